//! Searching: typed options in, ranked hits with snippets out.
//!
//! The flow of one search: the query text is parsed ([`query`]) and planned
//! into tantivy queries with the filters ([`plan`], [`filters`]); matches are
//! ranked and counted ([`ranking`]); the page's items are read back as stored
//! ([`crate::record`]) with their best passages ([`snippet`]) and the other
//! places their text appears. Facets, the timeline and index statistics are
//! aggregations over the same filters ([`aggregate`]); `show`, `similar` and
//! `export` read items whole ([`items`]); a meeting's papers are listed in
//! agenda order ([`meeting`]); councils are one identity each ([`councils`]).
//!
//! Errors are typed: a mistake in the options is a user error; a failure
//! inside the engine (a panic caught here, a broken index) is internal, never
//! reported as the user's fault.

pub mod aggregate;
pub mod councils;
mod engine;
pub mod filters;
pub mod items;
pub mod meeting;
mod plan;
pub mod query;
pub mod ranking;
pub mod request;
pub mod snippet;

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser};
use tantivy::schema::TantivyDocument;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, ReloadPolicy};

use crate::index::{self, OpenIndex};
use crate::paper::ItemType;
use crate::record::StoredItem;
use crate::{analysis, Error, Result};
pub use aggregate::{Facets, IndexSummary, Timeline};
pub use councils::{Council, Councils};
pub use engine::Engine;
pub use filters::parse_date_bound;
use filters::FilterBuilder;
pub use items::ShownItem;
pub use meeting::{Meeting, MeetingPaper};
use plan::{LeafBuilder, Notes, Plan};
pub use query::{type_names, QUERY_FIELDS};
pub use ranking::Tier;
use ranking::{Columns, Demotion, DistinctCount, Primary, RankKey};
pub use request::{FieldError, SearchRequest};
use snippet::{Snippet, SnippetTerms};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Sort {
    /// Best match first (BM25); for filters alone, newest first.
    #[default]
    Relevance,
    /// Newest meeting first.
    Date,
}

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The query text (may be empty when filters are given).
    pub query: String,
    /// Only items with every word of the query (no some-words tier).
    pub all_words: bool,
    /// Council filter (normalised before matching).
    pub council: Option<String>,
    /// Committee filter (forgiving: case, `&`/`and`, hyphens, leading "the" or place).
    pub committee: Option<String>,
    /// Item types to keep (empty: all).
    pub item_types: Vec<ItemType>,
    /// Earliest meeting date, inclusive.
    pub from: Option<NaiveDate>,
    /// Latest meeting date, inclusive.
    pub to: Option<NaiveDate>,
    /// Agenda item, as printed.
    pub agenda_item: Option<String>,
    /// A printed page the item must span.
    pub page: Option<u32>,
    /// Order of results.
    pub sort: Sort,
    /// Hits to return (0: count only).
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// Snippet length, in bytes, roughly.
    pub snippet_chars: usize,
    /// Only minutes whose attendance (present, apologies, also attending) names this person.
    pub attendee: Option<String>,
    /// Also count the matches by council, committee, item type and year.
    pub facets: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            query: String::new(),
            all_words: false,
            council: None,
            committee: None,
            item_types: Vec::new(),
            from: None,
            to: None,
            agenda_item: None,
            page: None,
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            snippet_chars: 240,
            attendee: None,
            facets: false,
        }
    }
}

impl SearchOptions {
    /// True when any filter is set.
    pub fn has_filters(&self) -> bool {
        self.council.is_some()
            || self.committee.is_some()
            || !self.item_types.is_empty()
            || self.from.is_some()
            || self.to.is_some()
            || self.agenda_item.is_some()
            || self.page.is_some()
            || self.attendee.is_some()
    }
}

/// One ranked item: its place in the results, the item as stored (without its
/// text), its best passages and the other places its text appears.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Hit {
    /// 1-based rank in the whole result list.
    pub rank: usize,
    /// Relevance score (BM25 and boosts; 0 for a listing without a query).
    pub score: f32,
    /// Which reading of the query the item matched (null for a listing).
    pub tier: Option<Tier>,
    /// The item.
    #[serde(flatten)]
    pub item: StoredItem,
    /// The best passage.
    pub snippet: Snippet,
    /// Up to three passages, best first (`snippet` is the first).
    pub snippets: Vec<Snippet>,
    /// The acronym expansions that matched the query.
    pub expansions: Vec<Expansion>,
    /// Other places the same text was published.
    pub also_in: Vec<Place>,
    /// With an attendee filter: how that person is recorded (present, apologies, attending).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Vec<String>>,
}

/// An acronym and the long form used for it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Expansion {
    /// The acronym.
    pub acronym: String,
    /// Its long form.
    pub long: String,
}

impl Expansion {
    /// True when the query names the acronym or all the long form's words.
    fn relevant_to(&self, query_words: &[String]) -> bool {
        query_words.iter().any(|w| w.eq_ignore_ascii_case(&self.acronym))
            || self.long.split_whitespace().filter(|w| w.len() > 3).all(|w| {
                query_words.iter().any(|q| q.eq_ignore_ascii_case(w.trim_matches(|c: char| !c.is_alphanumeric())))
            })
    }
}

/// Another place an item's text appears.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Place {
    /// Item id there.
    pub id: String,
    /// Source file.
    pub path: String,
    /// First line.
    pub line_start: usize,
    /// Last line.
    pub line_end: usize,
    /// Meeting date there.
    pub meeting_date: Option<NaiveDate>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// How many items match in all, the same text published twice once:
    /// paging with an offset reaches exactly this many.
    pub total: usize,
    /// Parts of the query that were ignored or reinterpreted, for the user.
    pub ignored: Vec<String>,
    /// Other notes for the user (a filter value that matches nothing, say).
    pub warnings: Vec<String>,
    /// Counts by facet, when asked for.
    pub facets: Option<Facets>,
}

/// An open index, ready to answer searches.
pub struct Searcher {
    open: OpenIndex,
    reader: IndexReader,
    /// The councils and committees the user named when indexing.
    declared: crate::index::Declared,
    /// Words across the text fields, with their weights.
    parser: QueryParser,
    analyzers: AnalyzerPool,
    /// What the user should know about the index as of the commit read
    /// (read from the commit record when opened and at each reload, not at
    /// every search: the record lists every indexed file).
    notes: std::sync::RwLock<Vec<String>>,
    /// The councils of the index as of the commit read (built when opened
    /// and at each reload, from the index's few distinct council names).
    councils: std::sync::RwLock<Arc<Councils>>,
}

/// Text analyzers kept from one search to the next: each remembers the
/// analysed form of the words it has seen, so highlighting a snippet mostly
/// looks words up instead of stemming them again.
#[derive(Default)]
struct AnalyzerPool(Mutex<Vec<TextAnalyzer>>);

impl AnalyzerPool {
    /// One analyzer for this caller alone (a fresh one when all are in use).
    fn take(&self) -> TextAnalyzer {
        self.0.lock().ok().and_then(|mut pool| pool.pop()).unwrap_or_else(analysis::text_analyzer)
    }

    /// Gives an analyzer back for the next search.
    fn give(&self, analyzer: TextAnalyzer) {
        if let Ok(mut pool) = self.0.lock() {
            pool.push(analyzer);
        }
    }
}

/// Field weights: title words count most, then the agenda's title, headings,
/// body, and the acronym expansions least.
const FIELD_WEIGHTS: [(&str, f32); 5] =
    [("title", 3.0), ("agenda_title", 2.0), ("headings", 1.5), ("body", 1.0), ("expansions", 0.8)];

impl Searcher {
    /// Opens the index at `dir` for searching.
    pub fn open(dir: &Path) -> Result<Searcher> {
        let open = index::open(dir)?;
        let reader = open.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let schema = open.schema();
        let fields = FIELD_WEIGHTS.iter().filter_map(|(name, _)| schema.get_field(name).ok()).collect();
        let mut parser = QueryParser::for_index(&open.index, fields);
        for (name, weight) in FIELD_WEIGHTS {
            if let Ok(f) = schema.get_field(name) {
                parser.set_field_boost(f, weight);
            }
        }
        let declared = open.payload()?.declared;
        let notes = std::sync::RwLock::new(index_notes(&open));
        let councils =
            std::sync::RwLock::new(Arc::new(Councils::of_index(&reader.searcher(), &open.fields, &declared)));
        Ok(Searcher { parser, open, reader, declared, analyzers: AnalyzerPool::default(), notes, councils })
    }

    /// The index this searcher reads.
    pub fn index(&self) -> &OpenIndex {
        &self.open
    }

    /// Reads the index's latest commit, if it changed since the last look.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        if let Ok(mut notes) = self.notes.write() {
            *notes = index_notes(&self.open);
        }
        let councils = Councils::of_index(&self.reader.searcher(), &self.open.fields, &self.declared);
        if let Ok(mut cached) = self.councils.write() {
            *cached = Arc::new(councils);
        }
        Ok(())
    }

    /// Runs a search. A failure inside the engine on some odd query comes
    /// back as an internal error, never as a panic.
    pub fn search(&self, opts: &SearchOptions) -> Result<SearchResults> {
        catching(|| self.search_inner(opts))
    }

    /// The councils of the index, one identity each.
    pub fn councils(&self) -> Arc<Councils> {
        Arc::clone(&self.councils.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// The filter builder of one search.
    fn filters<'a>(&'a self, searcher: &'a tantivy::Searcher, councils: &'a Councils) -> FilterBuilder<'a> {
        FilterBuilder {
            searcher,
            fields: self.open.fields,
            index: &self.open.index,
            councils,
            committee_aliases: &self.declared.committees,
        }
    }

    fn search_inner(&self, opts: &SearchOptions) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let councils = self.councils();
        let fb = self.filters(&searcher, &councils);
        let (plan, mut notes, tree_ignored) = self.plan(&fb, opts)?;
        let mut ignored = tree_ignored;
        ignored.append(&mut notes.ignored);
        let mut warnings = notes.warnings;
        warnings.extend(self.index_notes());
        let (page, total) = self.page(&searcher, &plan, opts)?;
        let hits = self.hits(&searcher, &plan, opts, page, &councils)?;
        let facets = if opts.facets {
            let widest = with_filters(plan.widest().map(|q| q.box_clone()), &plan.filters);
            Some(aggregate::facets(&searcher, &*widest, &councils)?)
        } else {
            None
        };
        Ok(SearchResults { hits, total, ignored, warnings, facets })
    }

    /// The plan of a search, with what the query's parse and plan had to say.
    /// A query with nothing to look up and no filter is a user error.
    fn plan(&self, fb: &FilterBuilder<'_>, opts: &SearchOptions) -> Result<(Plan, Notes, Vec<String>)> {
        let tree = query::parse(&opts.query);
        let mut notes = Notes::default();
        let filters = self.option_filters(fb, opts, &mut notes.warnings)?;
        let leaves = LeafBuilder {
            parser: &self.parser,
            fields: self.open.fields,
            filters: fb,
            analyzer: std::cell::RefCell::new(self.analyzers.take()),
        };
        let mut plan = leaves.plan(&tree, filters, &mut notes);
        self.analyzers.give(leaves.analyzer.into_inner());
        if opts.all_words {
            plan.some_words = None;
        }
        dedup(&mut notes.ignored);
        dedup(&mut notes.warnings);
        dedup(&mut notes.common);
        if plan.all_words.is_none() && plan.filters.is_empty() {
            let why = if notes.common.is_empty() {
                format!("the query {:?} has no word to search for", opts.query)
            } else {
                format!("the query has only common words ({}), which are not searched", notes.common.join(", "))
            };
            return Err(Error::BadInput(format!("{why}; give a word, a phrase or a filter")));
        }
        Ok((plan, notes, tree.ignored))
    }

    /// The filters of the options, in the order given.
    fn option_filters(
        &self,
        fb: &FilterBuilder<'_>,
        opts: &SearchOptions,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<Box<dyn Query>>> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(c) = &opts.council {
            out.push(fb.council(c, warnings));
        }
        if let Some(c) = &opts.committee {
            out.push(fb.committee(c, warnings));
        }
        if !opts.item_types.is_empty() {
            out.push(fb.item_types(&opts.item_types));
        }
        out.extend(fb.dates(opts.from, opts.to)?);
        if let Some(item) = &opts.agenda_item {
            out.push(fb.keyword(query::Keyword::Item, item, warnings));
        }
        if let Some(name) = opts.attendee.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            out.push(fb.attendee(name));
        }
        if let Some(p) = opts.page {
            out.extend(fb.page(p));
        }
        Ok(out)
    }

    /// What the user should know about the index itself.
    fn index_notes(&self) -> Vec<String> {
        self.notes.read().map(|n| n.clone()).unwrap_or_default()
    }

    /// The items of the page asked for, in order (their keys), and how many
    /// items match in all, counted in the same passes where they cover every
    /// match.
    fn page(&self, searcher: &tantivy::Searcher, plan: &Plan, opts: &SearchOptions) -> Result<(Vec<RankKey>, usize)> {
        let count_alone = || {
            let widest = with_filters(plan.widest().map(|q| q.box_clone()), &plan.filters);
            searcher.search(&*widest, &DistinctCount)
        };
        let want = opts.offset.saturating_add(opts.limit);
        if opts.limit == 0 {
            return Ok((Vec::new(), count_alone()?));
        }
        let demote = Demotion {
            boilerplate: demotes_boilerplate(opts),
            decisions: !opts.item_types.contains(&ItemType::Decision),
        };
        let mut columns = Columns::new(searcher);
        // Candidates beyond the page, so that ties at its edge still order
        // totally and copies can collapse; more if that was not enough.
        let mut window = want.saturating_mul(2).saturating_add(64);
        let mut total = None;
        loop {
            let found = self.candidates(searcher, plan, opts.sort, demote, window, total.is_none(), &mut columns)?;
            total = total.or(found.total);
            let primary =
                if opts.sort == Sort::Date || plan.all_words.is_none() { Primary::Date } else { Primary::Relevance };
            let (ordered, certain) = columns.order(found.keys, primary, found.complete);
            if found.complete || certain >= want {
                let total = match total {
                    Some(t) => t,
                    None => count_alone()?,
                };
                return Ok((ordered.into_iter().take(want).skip(opts.offset).collect(), total));
            }
            window = window.saturating_mul(4);
        }
    }

    /// Up to `window` candidates per reading, each with its key; whether they
    /// are all the matches; and (with `count`) how many items match in all,
    /// where a pass covered the widest reading.
    #[allow(clippy::too_many_arguments)]
    fn candidates(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        sort: Sort,
        demote: Demotion,
        window: usize,
        count: bool,
        columns: &mut Columns<'_>,
    ) -> Result<Candidates> {
        let Some(all) = &plan.all_words else {
            // A listing: filters (or exclusions) alone, newest first.
            let q = with_filters(None, &plan.filters);
            let (found, total) = ranking::top_by_date(searcher, &*q, window, false, count)?;
            let complete = found.len() < window;
            let keys = found.into_iter().map(|(s, a)| columns.key(None, s, a)).collect();
            return Ok(Candidates { keys, complete, total });
        };
        let all_f = with_filters(Some(all.box_clone()), &plan.filters);
        if sort == Sort::Date {
            let q = with_filters(plan.widest().map(|q| q.box_clone()), &plan.filters);
            let (found, total) = ranking::top_by_date(searcher, &*q, window, true, count)?;
            let complete = found.len() < window;
            let tiers = self.tiers_of(searcher, &*all_f, plan, found.iter().map(|&(_, a)| a))?;
            let keys = found.into_iter().zip(tiers).map(|((s, a), t)| columns.key(Some(t), s, a)).collect();
            return Ok(Candidates { keys, complete, total });
        }
        // With one reading, the all-words pass covers every match and counts them.
        let one_reading = plan.some_words.is_none();
        let (first, first_total) = ranking::top_by_score(searcher, &*all_f, window, demote, count && one_reading)?;
        let first_complete = first.len() < window;
        let mut keys: Vec<RankKey> = first.iter().map(|&(s, a)| columns.key(Some(Tier::AllWords), s, a)).collect();
        let Some(some) = &plan.some_words else {
            return Ok(Candidates { keys, complete: first_complete, total: first_total });
        };
        if !first_complete {
            return Ok(Candidates { keys, complete: false, total: None });
        }
        // Every all-words match is in hand: the rest come after them.
        let have: std::collections::HashSet<DocAddress> = first.iter().map(|&(_, a)| a).collect();
        let limit = window + first.len();
        let some_f = with_filters(Some(some.box_clone()), &plan.filters);
        let (rest, total) = ranking::top_by_score(searcher, &*some_f, limit, demote, count)?;
        let complete = rest.len() < limit;
        let tier = Some(Tier::SomeWords);
        keys.extend(rest.into_iter().filter(|(_, a)| !have.contains(a)).map(|(s, a)| columns.key(tier, s, a)));
        Ok(Candidates { keys, complete, total })
    }

    /// For each address, whether it has all the words of the query: one
    /// scorer a segment, moved forward over the addresses in order.
    fn tiers_of(
        &self,
        searcher: &tantivy::Searcher,
        all_f: &dyn Query,
        plan: &Plan,
        addresses: impl Iterator<Item = DocAddress>,
    ) -> Result<Vec<Tier>> {
        let addresses: Vec<DocAddress> = addresses.collect();
        if plan.some_words.is_none() {
            return Ok(vec![Tier::AllWords; addresses.len()]);
        }
        let weight = all_f.weight(tantivy::query::EnableScoring::disabled_from_searcher(searcher))?;
        let mut order: Vec<usize> = (0..addresses.len()).collect();
        order.sort_by_key(|&i| addresses[i]);
        let mut tiers = vec![Tier::SomeWords; addresses.len()];
        let mut scorer: Option<(u32, Box<dyn tantivy::query::Scorer>)> = None;
        for i in order {
            let a = addresses[i];
            if scorer.as_ref().is_none_or(|(seg, _)| *seg != a.segment_ord) {
                scorer = Some((a.segment_ord, weight.scorer(searcher.segment_reader(a.segment_ord), 1.0)?));
            }
            if let Some((_, s)) = scorer.as_mut() {
                let doc = if s.doc() < a.doc_id { s.seek(a.doc_id) } else { s.doc() };
                if doc == a.doc_id {
                    tiers[i] = Tier::AllWords;
                }
            }
        }
        Ok(tiers)
    }

    /// The hits of a page: each item read back, with its passages.
    fn hits(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        opts: &SearchOptions,
        page: Vec<RankKey>,
        councils: &Councils,
    ) -> Result<Vec<Hit>> {
        let body = self.open.fields.body;
        let mut terms = match plan.widest() {
            Some(q) => SnippetTerms::new(searcher, q, body),
            None => SnippetTerms::new(searcher, &AllQuery, body),
        };
        terms.expand(searcher, &plan.prefixes, &plan.fuzzy);
        let mut analyzer = self.analyzers.take();
        let hits: Result<Vec<Hit>> = page
            .into_iter()
            .enumerate()
            .map(|(i, key)| {
                let mut hit =
                    self.hit(searcher, key, opts.offset + i + 1, &terms, &mut analyzer, opts.snippet_chars)?;
                councils.name(&mut hit.item);
                hit.expansions = expansions_for(&hit.item, &opts.query);
                if let Some(name) = &opts.attendee {
                    hit.attendance = Some(attendance_roles(&hit.item, name));
                }
                Ok(hit)
            })
            .collect();
        self.analyzers.give(analyzer);
        hits
    }

    /// One hit: the item at `key`, its passages and its other places.
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        key: RankKey,
        rank: usize,
        terms: &SnippetTerms,
        analyzer: &mut TextAnalyzer,
        snippet_chars: usize,
    ) -> Result<Hit> {
        let doc: TantivyDocument = searcher.doc(key.address)?;
        let mut item = StoredItem::from_document(&doc, &self.open.fields);
        let snippets = snippet::best_snippets(searcher, key.address, &item, terms, analyzer, snippet_chars, 3);
        let also_in = items::also_in(searcher, &self.open.fields, &item, key.address)?;
        // A hit carries its item's metadata; the text is for `show` and `export`.
        item.body = None;
        Ok(Hit {
            rank,
            score: key.score,
            tier: key.tier,
            snippet: snippets.first().cloned().unwrap_or_else(|| Snippet::empty(item.line_start)),
            snippets,
            item,
            expansions: Vec::new(),
            also_in,
            attendance: None,
        })
    }
}

/// What the user should know about an index, from its last commit's record.
fn index_notes(open: &OpenIndex) -> Vec<String> {
    match open.payload() {
        Ok(p) if p.building => vec![format!(
            "the index is still being built (or its first run did not finish): it holds {} papers so far",
            p.files.len()
        )],
        _ => Vec::new(),
    }
}

/// Candidates for a page (see [`Searcher::candidates`]).
struct Candidates {
    keys: Vec<RankKey>,
    /// They are every match.
    complete: bool,
    /// How many items match in all, where a pass counted them.
    total: Option<usize>,
}

/// Runs `f`, turning a panic inside the engine into an internal error.
fn catching<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        Err(Error::Internal(format!(
            "the search engine failed ({}); please report it",
            crate::error::panic_message(&*panic)
        )))
    })
}

/// `query` (or every item) with every filter required.
fn with_filters(query: Option<Box<dyn Query>>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    let query = query.unwrap_or_else(|| Box::new(AllQuery));
    if filters.is_empty() {
        return query;
    }
    let mut clauses = vec![(Occur::Must, query)];
    clauses.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
    Box::new(BooleanQuery::new(clauses))
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
}

/// Procedural items rank below substantive ones unless the search asks for them:
/// by type (guidance notes, agenda) or by words (apologies, declarations...).
pub fn demotes_boilerplate(opts: &SearchOptions) -> bool {
    const ASKING: [&str; 9] =
        ["apolog", "declar", "interest", "question", "guidance", "procedur", "urgent", "any other", "participation"];
    let q = opts.query.to_lowercase();
    let by_type = opts.item_types.iter().any(|t| matches!(t, ItemType::GuidanceNotes | ItemType::Agenda));
    !by_type && !ASKING.iter().any(|w| q.contains(w))
}

/// The acronym expansions an item uses that the query names (the acronym, or
/// every word of the long form), for a hit's `expansions`.
pub fn expansions_for(item: &StoredItem, query: &str) -> Vec<Expansion> {
    let words = query_words(query);
    item.acronyms
        .iter()
        .filter_map(|a| a.split_once('='))
        .map(|(s, l)| Expansion { acronym: s.to_string(), long: l.to_string() })
        .filter(|e| e.relevant_to(&words))
        .collect()
}

/// The plain words of a raw query, for matching expansions.
fn query_words(raw: &str) -> Vec<String> {
    raw.split(|c: char| !(c.is_alphanumeric() || c == '&' || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How a person is recorded in an item's attendance: present, apologies, attending.
fn attendance_roles(item: &StoredItem, name: &str) -> Vec<String> {
    let want: Vec<String> = name.split_whitespace().map(|w| w.to_lowercase()).collect();
    let has = |names: &[String]| {
        names.iter().any(|n| {
            let words: Vec<String> = n.split_whitespace().map(|w| w.to_lowercase()).collect();
            want.iter().all(|w| words.contains(w))
        })
    };
    let mut roles = Vec::new();
    for (role, names) in [("present", &item.present), ("apologies", &item.apologies), ("attending", &item.attending)] {
        if has(names) {
            roles.push(role.to_string());
        }
    }
    roles
}
