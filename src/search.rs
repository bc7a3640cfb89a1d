//! Searching: typed options in, ranked hits with snippets out.
//!
//! The query language is tantivy's (words, `"phrases"`, `OR`, `-exclusion`,
//! `field:value`), made forgiving first by [`prepare_query`]: pasted curly quotes
//! and dashes work, a stray quote or lone operator is dropped, an unknown field
//! is searched as words, and each of these is reported back in
//! [`SearchResults::ignored`]. Items with all the words rank above items with
//! only some; filters are exact terms and ranges on fast fields. The order is
//! total: score, then newest meeting, then path, then first line.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, FuzzyTermQuery, MoreLikeThisQuery, Occur, Query, QueryParser, RangeQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, OwnedValue, TantivyDocument, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, Term};

use crate::document::date_value;
use crate::index::{self, OpenIndex};
use crate::indexer::{decode_deltas, decode_varints};
use crate::paper::{self, ItemType};
use crate::query::Prepared;
use crate::snippet::{self, Snippet, SnippetSource, SnippetTerms};
use crate::{analysis, Error, Result};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (BM25); for an empty query, newest first.
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
    /// Hits to return.
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

/// One ranked item.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Stable item id (for `show`).
    pub id: String,
    /// 1-based rank in the whole result list.
    pub rank: usize,
    /// Relevance score (BM25 and boosts; 0 for filter-only searches).
    pub score: f32,
    /// Source file.
    pub path: String,
    /// First line of the item in the source file (1-based, inclusive).
    pub line_start: usize,
    /// Last line of the item (1-based, inclusive).
    pub line_end: usize,
    /// The item's title.
    pub title: String,
    /// The agenda's title for the item, if different.
    pub agenda_title: Option<String>,
    /// Council.
    pub council: Option<String>,
    /// Committee.
    pub committee: Option<String>,
    /// Meeting date (YYYY-MM-DD).
    pub meeting_date: Option<String>,
    /// Item type.
    pub item_type: String,
    /// Agenda item, as printed.
    pub agenda_item: Option<String>,
    /// First printed page.
    pub page_start: Option<u32>,
    /// Last printed page.
    pub page_end: Option<u32>,
    /// Pages an agenda entry lists for its item.
    pub listed_pages: Option<String>,
    /// Where the paper says it was published.
    pub source_url: Option<String>,
    /// First and last PDF page, for papers read from PDF.
    pub pdf_page_start: Option<u32>,
    /// Last PDF page.
    pub pdf_page_end: Option<u32>,
    /// The item this record belongs to (a decision's minutes).
    pub parent_id: Option<String>,
    /// The best passage.
    pub snippet: Snippet,
    /// Up to three passages, best first (`snippet` is the first).
    pub snippets: Vec<Snippet>,
    /// The acronym expansions that matched the query.
    pub expansions: Vec<Expansion>,
    /// Other places the same text was published.
    pub also_in: Vec<Place>,
    /// With `--attendee`: how that person is recorded (present, apologies, attending).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Vec<String>>,
    #[serde(skip)]
    present: Vec<String>,
    #[serde(skip)]
    apologies: Vec<String>,
    #[serde(skip)]
    attending: Vec<String>,
}

/// An acronym and the long form used for it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
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
    pub meeting_date: Option<String>,
}

/// Counts of matching items by facet.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Facets {
    /// By council.
    pub council: Vec<(String, u64)>,
    /// By committee.
    pub committee: Vec<(String, u64)>,
    /// By item type.
    pub item_type: Vec<(String, u64)>,
    /// By meeting year.
    pub year: Vec<(String, u64)>,
}

/// Matching items per period.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// (period, count): `2017` or `2017-11`, ascending.
    pub buckets: Vec<(String, u64)>,
    /// Matching items in all.
    pub total: usize,
    /// Matching items with no meeting date.
    pub undated: u64,
    /// Parts of the query that were ignored.
    pub ignored: Vec<String>,
    /// Other notes for the user.
    pub warnings: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// How many items match in all.
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
    all_words: QueryParser,
    any_words: QueryParser,
    analyzers: AnalyzerPool,
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

impl Searcher {
    /// Opens the index at `dir` for searching.
    pub fn open(dir: &Path) -> Result<Searcher> {
        let open = index::open(dir)?;
        let reader = open.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let f = open.fields;
        let make = |all: bool| {
            let mut qp =
                QueryParser::for_index(&open.index, vec![f.title, f.agenda_title, f.headings, f.body, f.expansions]);
            qp.set_field_boost(f.title, 3.0);
            qp.set_field_boost(f.agenda_title, 2.0);
            qp.set_field_boost(f.headings, 1.5);
            qp.set_field_boost(f.expansions, 0.8);
            if all {
                qp.set_conjunction_by_default();
            }
            qp
        };
        Ok(Searcher { all_words: make(true), any_words: make(false), open, reader, analyzers: AnalyzerPool::default() })
    }

    /// The index this searcher reads.
    pub fn index(&self) -> &OpenIndex {
        &self.open
    }

    /// The query for a prepared user query: tantivy's parse of the text, plus
    /// fuzzy words, as all-words (`all = true`) or any-words.
    fn user_query(&self, prepared: &Prepared, all: bool, ignored: &mut Vec<String>) -> Box<dyn Query> {
        let parser = if all { &self.all_words } else { &self.any_words };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !prepared.text.trim().is_empty() {
            let (q, errors) = parser.parse_query_lenient(&prepared.text);
            if all {
                ignored.extend(errors.iter().map(describe_parse_error));
            }
            clauses.push((if all { Occur::Must } else { Occur::Should }, q));
        }
        let f = self.open.fields;
        for (word, distance) in &prepared.fuzzy {
            let mut analyzer = analysis::text_analyzer();
            let analyzed = analysis::analyze(&mut analyzer, word).into_iter().next().map_or(word.clone(), |(_, t)| t);
            let per_field: Vec<Box<dyn Query>> = [f.title, f.body]
                .into_iter()
                .map(|field| {
                    Box::new(FuzzyTermQuery::new(Term::from_field_text(field, &analyzed), *distance, true))
                        as Box<dyn Query>
                })
                .collect();
            clauses.push((if all { Occur::Must } else { Occur::Should }, Box::new(BooleanQuery::union(per_field))));
        }
        if clauses.len() == 1 {
            return clauses.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(EmptyQuery));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs a search. A failure inside the engine on some odd query comes
    /// back as an error, never as a panic.
    pub fn search(&self, opts: &SearchOptions) -> Result<SearchResults> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.search_inner(opts))).unwrap_or_else(|_| {
            Err(Error::BadInput(format!("the query {:?} could not be run; try rephrasing it", opts.query)))
        })
    }

    fn search_inner(&self, opts: &SearchOptions) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let prepared = Prepared::new(&opts.query);
        let mut ignored = prepared.ignored.clone();
        let mut warnings = Vec::new();
        let filters = self.filters(opts, &mut warnings)?;
        let want = opts.offset + opts.limit;
        // Candidates beyond the page, so ties at its edge still order totally
        // and duplicates can collapse without leaving the page short.
        let window = want.max(1) * 2 + 64;
        let demote = demote_boilerplate(opts, &prepared);
        let demote_decisions = !opts.item_types.contains(&ItemType::Decision);
        let mut keys = SortKeys::new(&searcher);
        let mut ranked: Vec<(f32, DocAddress)> = Vec::new();
        let (total, snippet_query, by_date): (usize, Option<Box<dyn Query>>, bool) = if prepared.is_empty() {
            let q = with_filters(Box::new(AllQuery), &filters);
            let total = searcher.search(&*q, &Count)?;
            let newest =
                TopDocs::with_limit(window).order_by_fast_field::<tantivy::DateTime>("meeting_date", Order::Desc);
            ranked.extend(searcher.search(&*q, &newest)?.into_iter().map(|(_, a)| (0.0, a)));
            (total, None, true)
        } else {
            let all_q = self.user_query(&prepared, true, &mut ignored);
            let any_q = self.user_query(&prepared, false, &mut ignored);
            let any_f = with_filters(any_q.box_clone(), &filters);
            let total = if opts.sort == Sort::Date {
                // Newest first, and the best match first within a date, scored
                // as collected.
                let newest = TopDocs::with_limit(window).order_by((
                    (SortByStaticFastValue::<tantivy::DateTime>::for_field("meeting_date"), Order::Desc),
                    (SortBySimilarityScore, Order::Desc),
                ));
                let (total, newest) = searcher.search(&*any_f, &(Count, newest))?;
                ranked.extend(newest.into_iter().map(|((_, score), a)| (score, a)));
                total
            } else {
                // Items with all the words first, then the best of the rest.
                // A query of one clause (a word, a phrase, a group of
                // synonyms) is the same either way: one pass ranks and counts.
                let one_clause = format!("{all_q:?}") == format!("{any_q:?}");
                let all_f = with_filters(all_q, &filters);
                if one_clause {
                    let top = top_by_score(window, demote, demote_decisions);
                    let (total, first) = searcher.search(&*all_f, &(Count, top))?;
                    ranked.extend(first);
                    total
                } else {
                    let first = searcher.search(&*all_f, &top_by_score(window, demote, demote_decisions))?;
                    ranked.extend(first.iter().copied());
                    if first.len() < window {
                        // The any-words pass counts the matches as it goes.
                        let have: std::collections::HashSet<DocAddress> = first.iter().map(|&(_, a)| a).collect();
                        let rest = top_by_score(window + first.len(), demote, demote_decisions);
                        let (total, rest) = searcher.search(&*any_f, &(Count, rest))?;
                        ranked.extend(rest.into_iter().filter(|(_, a)| !have.contains(a)).map(|(s, a)| (s - TIER, a)));
                        total
                    } else {
                        searcher.search(&*any_f, &Count)?
                    }
                }
            };
            (total, Some(any_q), opts.sort == Sort::Date)
        };

        // Total order: score (or date), then newest meeting, path, first line;
        // the same text published twice is one hit, the best-placed copy.
        let page = keys.page(ranked, by_date, want, self.open.fields.content_hash)?;

        let mut terms = match &snippet_query {
            Some(q) => SnippetTerms::new(&searcher, &**q, self.open.fields.body),
            None => SnippetTerms::new(&searcher, &AllQuery, self.open.fields.body),
        };
        terms.expand(&searcher, &prepared.prefixes, &prepared.fuzzy);
        let query_words = query_words(&opts.query);
        let mut analyzer = self.analyzers.take();
        let hits: Result<Vec<Hit>> = page
            .into_iter()
            .enumerate()
            .skip(opts.offset)
            .map(|(i, (row, doc))| {
                let score = if row.score < -TIER / 2.0 { row.score + TIER } else { row.score };
                let content_hash = str_of(&doc, self.open.fields.content_hash).unwrap_or_default();
                let address = row.address;
                let mut hit =
                    self.hit(&searcher, Row { address, doc }, i + 1, score, &terms, &mut analyzer, opts.snippet_chars)?;
                hit.also_in = self.also_in(&searcher, &content_hash, address, &hit.id)?;
                hit.expansions.retain(|e| e.relevant_to(&query_words));
                if let Some(name) = &opts.attendee {
                    hit.attendance = Some(attendance_roles(&hit, name));
                }
                Ok(hit)
            })
            .collect();
        self.analyzers.give(analyzer);
        let hits = hits?;
        let facets = if opts.facets {
            let q: Box<dyn Query> = match &snippet_query {
                Some(q) => with_filters(q.box_clone(), &filters),
                None => with_filters(Box::new(AllQuery), &filters),
            };
            Some(self.facets(&searcher, &*q)?)
        } else {
            None
        };
        Ok(SearchResults { hits, total, ignored, warnings, facets })
    }

    /// Other copies of the same text (any path), for a hit's `also_in`.
    fn also_in(
        &self,
        searcher: &tantivy::Searcher,
        content_hash: &str,
        own: DocAddress,
        id: &str,
    ) -> Result<Vec<Place>> {
        if content_hash.is_empty() {
            return Ok(Vec::new());
        }
        let f = self.open.fields;
        let term = Term::from_field_text(f.content_hash, content_hash);
        // Most texts are published once: the term's document count says so
        // without running a query.
        if searcher.doc_freq(&term)? <= 1 {
            return Ok(Vec::new());
        }
        let q = TermQuery::new(term, IndexRecordOption::Basic);
        let mut out = Vec::new();
        for (_, a) in searcher.search(&q, &TopDocs::with_limit(50).order_by_score())? {
            // The hit itself needs no loading: most texts are published once.
            if a == own {
                continue;
            }
            let doc: TantivyDocument = searcher.doc(a)?;
            let other = str_of(&doc, f.id).unwrap_or_default();
            if other != id {
                out.push(Place {
                    id: other,
                    path: str_of(&doc, f.path).unwrap_or_default(),
                    line_start: u64_of(&doc, f.line_start).unwrap_or(0) as usize,
                    line_end: u64_of(&doc, f.line_end).unwrap_or(0) as usize,
                    meeting_date: date_of(&doc, f.meeting_date),
                });
            }
        }
        out.sort_by(|a, b| (&a.path, a.line_start).cmp(&(&b.path, b.line_start)));
        Ok(out)
    }

    /// Counts by council, committee, item type and year for a query.
    fn facets(&self, searcher: &tantivy::Searcher, query: &dyn Query) -> Result<Facets> {
        let json = aggregate(
            searcher,
            query,
            serde_json::json!({
                "council": {"terms": {"field": "council", "size": 1000}},
                "committee": {"terms": {"field": "committee", "size": 1000}},
                "item_type": {"terms": {"field": "item_type", "size": 100}},
                "year": {"terms": {"field": "year", "size": 1000, "order": {"_key": "asc"}}},
            }),
        )?;
        Ok(Facets {
            council: buckets(&json, "council"),
            committee: buckets(&json, "committee"),
            item_type: buckets(&json, "item_type"),
            year: buckets(&json, "year"),
        })
    }

    /// Hits per year (or month) for a query and filters: the timeline.
    pub fn timeline(&self, opts: &SearchOptions, by_month: bool) -> Result<Timeline> {
        let searcher = self.reader.searcher();
        let prepared = Prepared::new(&opts.query);
        let mut ignored = prepared.ignored.clone();
        let mut warnings = Vec::new();
        let filters = self.filters(opts, &mut warnings)?;
        let q = if prepared.is_empty() {
            with_filters(Box::new(AllQuery), &filters)
        } else {
            with_filters(self.user_query(&prepared, false, &mut ignored), &filters)
        };
        let field = if by_month { "year_month" } else { "year" };
        let json = aggregate(
            &searcher,
            &*q,
            serde_json::json!({"t": {"terms": {"field": field, "size": 100000, "order": {"_key": "asc"}}}}),
        )?;
        let buckets: Vec<(String, u64)> = buckets(&json, "t")
            .into_iter()
            .map(|(k, n)| {
                let period = match k.parse::<u64>() {
                    Ok(v) if by_month => format!("{:04}-{:02}", v / 100, v % 100),
                    _ => k,
                };
                (period, n)
            })
            .collect();
        let total = searcher.search(&*q, &Count)?;
        let dated: u64 = buckets.iter().map(|(_, n)| n).sum();
        Ok(Timeline { buckets, total, undated: (total as u64).saturating_sub(dated), ignored, warnings })
    }

    /// Items most like the item `id` (by its title and body), best first.
    pub fn similar(&self, id: &str, limit: usize) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let f = self.open.fields;
        let q = TermQuery::new(Term::from_field_text(f.id, id.trim()), IndexRecordOption::Basic);
        let Some(&(_, address)) = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?.first() else {
            return Err(Error::NoSuchItem(id.to_string()));
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let own_hash = str_of(&doc, f.content_hash).unwrap_or_default();
        let fields = [f.title, f.body]
            .into_iter()
            .map(|field| (field, vec![OwnedValue::Str(str_of(&doc, field).unwrap_or_default())]))
            .collect();
        let n = searcher.num_docs();
        let mlt = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency((n / 2).max(2))
            .with_min_term_frequency(2)
            .with_max_query_terms(30)
            .with_min_word_length(3)
            .with_document_fields(fields);
        let mut rows = Vec::new();
        for (score, a) in searcher.search(&mlt, &TopDocs::with_limit(limit * 2 + 10).order_by_score())? {
            let d: TantivyDocument = searcher.doc(a)?;
            // Not the item itself, nor another copy of its text.
            if str_of(&d, f.id).as_deref() == Some(id.trim())
                || str_of(&d, f.content_hash).unwrap_or_default() == own_hash
            {
                continue;
            }
            rows.push((score, a, d));
        }
        let terms = SnippetTerms::new(&searcher, &AllQuery, f.body);
        let mut analyzer = analysis::text_analyzer();
        let mut hits = Vec::new();
        let total = rows.len();
        for (i, (score, address, doc)) in rows.into_iter().take(limit).enumerate() {
            hits.push(self.hit(&searcher, Row { address, doc }, i + 1, score, &terms, &mut analyzer, 240)?);
        }
        Ok(SearchResults { hits, total, ignored: Vec::new(), warnings: Vec::new(), facets: None })
    }

    /// Every item, in index order, for export.
    pub fn export(&self, each: &mut dyn FnMut(ItemView) -> Result<()>) -> Result<()> {
        let searcher = self.reader.searcher();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let alive = segment.alive_bitset();
            for doc_id in 0..segment.max_doc() {
                if alive.is_some_and(|b| !b.is_alive(doc_id)) {
                    continue;
                }
                let doc: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc_id))?;
                each(self.view(&doc))?;
            }
        }
        Ok(())
    }

    fn filters(&self, opts: &SearchOptions, warnings: &mut Vec<String>) -> Result<Vec<Box<dyn Query>>> {
        let f = self.open.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let term = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        };
        let searcher = self.reader.searcher();
        let mut known = |flag: &str, field, key: String, display: &str| {
            let t = Term::from_field_text(field, &key);
            if searcher.doc_freq(&t).unwrap_or(0) == 0 {
                let names = known_values(&searcher, display);
                warnings.push(format!("no {flag} in the index matches {key:?}; known: {}", names.join("; ")));
            }
            term(field, &key)
        };
        if let Some(c) = &opts.council {
            // "Worcestershire" names "Worcestershire County Council" when no council is called just that.
            let key = paper::normalise_council(c);
            let keys: Vec<String> = known_values(&searcher, "council_key")
                .into_iter()
                .filter(|k| *k == key || k.strip_prefix(key.as_str()).is_some_and(|rest| rest.starts_with(' ')))
                .collect();
            if keys.len() > 1 && !keys.contains(&key) {
                let any: Vec<Box<dyn Query>> = keys.iter().map(|k| term(f.council_key, k)).collect();
                out.push(Box::new(BooleanQuery::union(any)));
            } else {
                let key = keys.into_iter().next().unwrap_or(key);
                out.push(known("council", f.council_key, key, "council"));
            }
        }
        if let Some(c) = &opts.committee {
            out.push(known("committee", f.committee_key, paper::normalise_committee(c), "committee"));
        }
        if !opts.item_types.is_empty() {
            let any: Vec<Box<dyn Query>> = opts.item_types.iter().map(|t| term(f.item_type, t.as_str())).collect();
            out.push(Box::new(BooleanQuery::union(any)));
        }
        if let (Some(a), Some(b)) = (opts.from, opts.to) {
            if a > b {
                return Err(Error::BadInput(format!("--from {a} is after --to {b}")));
            }
        }
        if opts.from.is_some() || opts.to.is_some() {
            let lo = opts
                .from
                .map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_date(f.meeting_date, date_value(d))));
            let hi = opts
                .to
                .map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_date(f.meeting_date, date_value(d))));
            out.push(Box::new(RangeQuery::new(lo, hi)));
        }
        if let Some(item) = &opts.agenda_item {
            out.push(term(f.agenda_item, item.trim()));
        }
        if let Some(name) = opts.attendee.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            let parser = QueryParser::for_index(&self.open.index, vec![f.present, f.apologies, f.attending]);
            let phrase = format!("\"{}\"", name.replace('"', " "));
            let (q, _) = parser.parse_query_lenient(&phrase);
            out.push(q);
        }
        if let Some(p) = opts.page {
            let p = u64::from(p);
            out.push(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_u64(f.page_start, p)),
            )));
            out.push(Box::new(RangeQuery::new(Bound::Included(Term::from_field_u64(f.page_end, p)), Bound::Unbounded)));
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        row: Row,
        rank: usize,
        score: f32,
        terms: &SnippetTerms,
        analyzer: &mut TextAnalyzer,
        snippet_chars: usize,
    ) -> Result<Hit> {
        let view = self.view(&row.doc);
        let source = SnippetSource {
            body: &view.body,
            line_positions: &view.line_positions,
            line_start: view.line_start,
            page_markers: &view.page_markers,
            page_start: view.page_start,
            page_end: view.page_end,
            pdf_pages: &view.pdf_pages,
        };
        let snippets = snippet::best_snippets(searcher, row.address, &source, terms, analyzer, snippet_chars, 3);
        let expansions = view
            .acronyms
            .iter()
            .filter_map(|a| a.split_once('='))
            .map(|(s, l)| Expansion { acronym: s.to_string(), long: l.to_string() })
            .collect();
        Ok(Hit {
            id: view.id,
            rank,
            score,
            path: view.path,
            line_start: view.line_start,
            line_end: view.line_end,
            title: view.title,
            agenda_title: view.agenda_title,
            council: view.council,
            committee: view.committee,
            meeting_date: view.meeting_date,
            item_type: view.item_type,
            agenda_item: view.agenda_item,
            page_start: view.page_start,
            page_end: view.page_end,
            listed_pages: view.listed_pages,
            source_url: view.source_url,
            pdf_page_start: view.pdf_page_start,
            pdf_page_end: view.pdf_page_end,
            parent_id: view.parent_id,
            snippet: snippets.first().cloned().unwrap_or_else(|| Snippet::empty(view.line_start)),
            snippets,
            expansions,
            also_in: Vec::new(),
            attendance: None,
            present: view.present,
            apologies: view.apologies,
            attending: view.attending,
        })
    }

    fn view(&self, doc: &TantivyDocument) -> ItemView {
        let f = self.open.fields;
        let markers = decode_varints(doc.get_first(f.page_markers).and_then(|v| v.as_bytes()).unwrap_or(&[]));
        ItemView {
            id: str_of(doc, f.id).unwrap_or_default(),
            path: str_of(doc, f.path).unwrap_or_default(),
            line_start: u64_of(doc, f.line_start).unwrap_or(0) as usize,
            line_end: u64_of(doc, f.line_end).unwrap_or(0) as usize,
            title: str_of(doc, f.title).unwrap_or_default(),
            agenda_title: str_of(doc, f.agenda_title),
            council: str_of(doc, f.council),
            committee: str_of(doc, f.committee),
            meeting_date: doc
                .get_first(f.meeting_date)
                .and_then(|v| v.as_datetime())
                .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                .map(|d| d.date_naive().format("%Y-%m-%d").to_string()),
            item_type: str_of(doc, f.item_type).unwrap_or_default(),
            agenda_item: str_of(doc, f.agenda_item),
            page_start: u64_of(doc, f.page_start).map(|p| p as u32),
            page_end: u64_of(doc, f.page_end).map(|p| p as u32),
            listed_pages: str_of(doc, f.listed_pages),
            presenter: str_of(doc, f.presenter),
            body: str_of(doc, f.body).unwrap_or_default(),
            line_positions: decode_deltas(doc.get_first(f.line_positions).and_then(|v| v.as_bytes()).unwrap_or(&[])),
            page_markers: markers.chunks_exact(2).map(|c| (c[0] as usize, c[1])).collect(),
            pdf_pages: decode_varints(doc.get_first(f.pdf_pages).and_then(|v| v.as_bytes()).unwrap_or(&[]))
                .chunks_exact(2)
                .map(|c| (c[0] as usize, c[1]))
                .collect(),
            source_url: str_of(doc, f.source_url),
            pdf_page_start: u64_of(doc, f.pdf_page_start).map(|p| p as u32),
            pdf_page_end: u64_of(doc, f.pdf_page_end).map(|p| p as u32),
            parent_id: str_of(doc, f.parent_id),
            present: strs_of(doc, f.present),
            apologies: strs_of(doc, f.apologies),
            attending: strs_of(doc, f.attending),
            acronyms: strs_of(doc, f.acronyms),
        }
    }

    /// One whole item by id, with the words of `query` (if any) highlighted.
    pub fn show(&self, id: &str, query: Option<&str>) -> Result<ShownItem> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(Term::from_field_text(self.open.fields.id, id.trim()), IndexRecordOption::Basic);
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let Some(&(_, address)) = top.first() else {
            return Err(Error::NoSuchItem(id.to_string()));
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let item = self.view(&doc);
        let mut highlights = Vec::new();
        let mut ignored = Vec::new();
        if let Some(query) = query.filter(|q| !q.trim().is_empty()) {
            let prepared = Prepared::new(query);
            ignored = prepared.ignored.clone();
            let parsed = self.user_query(&prepared, true, &mut ignored);
            let mut terms = SnippetTerms::new(&searcher, &*parsed, self.open.fields.body);
            terms.expand(&searcher, &prepared.prefixes, &prepared.fuzzy);
            let mut analyzer = analysis::text_analyzer();
            highlights = snippet::highlight(&item.body, &terms, &mut analyzer);
        }
        Ok(ShownItem { item, highlights, ignored })
    }

    /// What the index holds: councils, committees, types and dates.
    pub fn stats(&self) -> Result<IndexSummary> {
        let searcher = self.reader.searcher();
        let json = aggregate(
            &searcher,
            &AllQuery,
            serde_json::json!({
                "council": {"terms": {"field": "council", "size": 1000}},
                "committee": {"terms": {"field": "committee", "size": 1000}},
                "item_type": {"terms": {"field": "item_type", "size": 100}},
                "first": {"min": {"field": "meeting_date"}},
                "last": {"max": {"field": "meeting_date"}},
            }),
        )?;
        let date = |name: &str| -> Option<String> {
            json[name]["value_as_string"].as_str().map(|s| s.chars().take(10).collect()).or_else(|| {
                json[name]["value"].as_f64().and_then(|ns| {
                    chrono::DateTime::from_timestamp((ns / 1e9) as i64, 0).map(|d| d.date_naive().to_string())
                })
            })
        };
        let payload = self.open.payload()?;
        let undated = searcher.num_docs()
            - searcher.search(
                &RangeQuery::new(
                    Bound::Included(Term::from_field_date(self.open.fields.meeting_date, tantivy::DateTime::MIN)),
                    Bound::Unbounded,
                ),
                &Count,
            )? as u64;
        Ok(IndexSummary {
            path: self.open.path.display().to_string(),
            files: payload.files.len(),
            items: searcher.num_docs(),
            councils: buckets(&json, "council"),
            committees: buckets(&json, "committee"),
            item_types: buckets(&json, "item_type"),
            first_meeting: date("first"),
            last_meeting: date("last"),
            undated,
        })
    }
}

/// A stored item, decoded.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// Item id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// First line (1-based, inclusive).
    pub line_start: usize,
    /// Last line (1-based, inclusive).
    pub line_end: usize,
    /// Title.
    pub title: String,
    /// Agenda title, if different.
    pub agenda_title: Option<String>,
    /// Council.
    pub council: Option<String>,
    /// Committee.
    pub committee: Option<String>,
    /// Meeting date (YYYY-MM-DD).
    pub meeting_date: Option<String>,
    /// Item type.
    pub item_type: String,
    /// Agenda item.
    pub agenda_item: Option<String>,
    /// First printed page.
    pub page_start: Option<u32>,
    /// Last printed page.
    pub page_end: Option<u32>,
    /// Pages an agenda entry lists.
    pub listed_pages: Option<String>,
    /// Presenter.
    pub presenter: Option<String>,
    /// Where the paper was published.
    pub source_url: Option<String>,
    /// First PDF page.
    pub pdf_page_start: Option<u32>,
    /// Last PDF page.
    pub pdf_page_end: Option<u32>,
    /// The item this record belongs to.
    pub parent_id: Option<String>,
    /// Present at the meeting (minutes).
    pub present: Vec<String>,
    /// Sent apologies (minutes).
    pub apologies: Vec<String>,
    /// Also attending (minutes).
    pub attending: Vec<String>,
    /// Acronym expansions used (ACRONYM=long form).
    pub acronyms: Vec<String>,
    /// The text, one line per source line.
    pub body: String,
    #[serde(skip)]
    line_positions: Vec<u32>,
    #[serde(skip)]
    page_markers: Vec<(usize, u32)>,
    #[serde(skip)]
    pdf_pages: Vec<(usize, u32)>,
}

/// An item shown whole.
#[derive(Debug, Clone, Serialize)]
pub struct ShownItem {
    /// The item.
    #[serde(flatten)]
    pub item: ItemView,
    /// Matched words in `item.body`: half-open byte ranges, as `[start, end]` pairs.
    #[serde(serialize_with = "snippet::ranges_as_pairs")]
    pub highlights: Vec<std::ops::Range<usize>>,
    /// Parts of the query that were ignored.
    pub ignored: Vec<String>,
}

/// What an index holds.
#[derive(Debug, Clone, Serialize)]
pub struct IndexSummary {
    /// Index folder.
    pub path: String,
    /// Files indexed.
    pub files: usize,
    /// Items indexed.
    pub items: u64,
    /// Items per council.
    pub councils: Vec<(String, u64)>,
    /// Items per committee.
    pub committees: Vec<(String, u64)>,
    /// Items per type.
    pub item_types: Vec<(String, u64)>,
    /// Earliest meeting date.
    pub first_meeting: Option<String>,
    /// Latest meeting date.
    pub last_meeting: Option<String>,
    /// Items with no meeting date.
    pub undated: u64,
}

struct Row {
    address: DocAddress,
    doc: TantivyDocument,
}

/// Score offset that puts items with only some of the words below all items with every word.
const TIER: f32 = 1.0e6;

/// A candidate hit, with what its order is decided on first.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: f32,
    date: Option<i64>,
    line: u64,
    address: DocAddress,
}

/// Per-segment fast-field readers for ordering and collapsing candidates.
///
/// Dates and lines are numeric columns, cheap to read for every candidate.
/// Paths sit in a compressed dictionary, so they are read only to break ties
/// on score and date; content hashes come from the stored documents of the
/// candidates up to a full page, which the hits need anyway.
struct SortKeys<'a> {
    searcher: &'a tantivy::Searcher,
    columns: HashMap<u32, SegmentColumns>,
}

struct SegmentColumns {
    date: Option<tantivy::columnar::Column<tantivy::DateTime>>,
    path: Option<tantivy::columnar::StrColumn>,
    line: Option<tantivy::columnar::Column<u64>>,
}

impl<'a> SortKeys<'a> {
    fn new(searcher: &'a tantivy::Searcher) -> SortKeys<'a> {
        SortKeys { searcher, columns: HashMap::new() }
    }

    fn columns(&mut self, segment_ord: u32) -> &SegmentColumns {
        let searcher = self.searcher;
        self.columns.entry(segment_ord).or_insert_with(|| {
            let ff = searcher.segment_reader(segment_ord).fast_fields();
            SegmentColumns {
                date: ff.date("meeting_date").ok(),
                path: ff.str("path").ok().flatten(),
                line: ff.u64("line_start").ok(),
            }
        })
    }

    fn ranked(&mut self, score: f32, address: DocAddress) -> Ranked {
        let cols = self.columns(address.segment_ord);
        let doc = address.doc_id;
        Ranked {
            score,
            date: cols.date.as_ref().and_then(|c| c.first(doc)).map(|d| d.into_timestamp_secs()),
            line: cols.line.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
            address,
        }
    }

    fn path(&mut self, address: DocAddress) -> String {
        let cols = self.columns(address.segment_ord);
        first_str(&cols.path, address.doc_id)
    }

    /// The first `want` candidates in total order (score or date, newest
    /// meeting, path, first line), keeping only the best-placed copy of each
    /// text, each with its stored document (which holds the content hash).
    fn page(
        &mut self,
        ranked: Vec<(f32, DocAddress)>,
        by_date: bool,
        want: usize,
        content_hash: tantivy::schema::Field,
    ) -> Result<Vec<(Ranked, TantivyDocument)>> {
        let mut rows: Vec<Ranked> = ranked.into_iter().map(|(s, a)| self.ranked(s, a)).collect();
        let primary = |a: &Ranked, b: &Ranked| {
            let by_score = b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal);
            if by_date {
                b.date.cmp(&a.date).then(by_score)
            } else {
                by_score.then(b.date.cmp(&a.date))
            }
        };
        rows.sort_by(primary);
        let mut seen_text = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(want);
        let mut start = 0;
        while start < rows.len() && out.len() < want {
            // A run of candidates equal on score and date, ordered by path and line.
            let end = start + rows[start..].iter().take_while(|r| primary(&rows[start], r).is_eq()).count();
            let mut run: Vec<(Ranked, String)> = rows[start..end].iter().map(|&r| (r, String::new())).collect();
            if run.len() > 1 {
                for (r, path) in &mut run {
                    *path = self.path(r.address);
                }
                run.sort_by(|(a, pa), (b, pb)| pa.cmp(pb).then(a.line.cmp(&b.line)));
            }
            for (r, _) in run {
                if out.len() == want {
                    break;
                }
                let doc: TantivyDocument = self.searcher.doc(r.address)?;
                let hash = str_of(&doc, content_hash).unwrap_or_default();
                if hash.is_empty() || seen_text.insert(hash) {
                    out.push((r, doc));
                }
            }
            start = end;
        }
        Ok(out)
    }
}

/// The first value of a string column for a document ("" when none).
fn first_str(col: &Option<tantivy::columnar::StrColumn>, doc: tantivy::DocId) -> String {
    let mut out = String::new();
    if let Some(col) = col {
        if let Some(ord) = col.term_ords(doc).next() {
            let _ = col.ord_to_str(ord, &mut out);
        }
    }
    out
}

/// The distinct values of a string fast field, across segments, sorted.
fn known_values(searcher: &tantivy::Searcher, field: &str) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        if let Ok(Some(col)) = segment.fast_fields().str(field) {
            for ord in 0..col.num_terms() as u64 {
                let mut s = String::new();
                if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                    out.insert(s);
                }
            }
        }
    }
    out.into_iter().collect()
}

/// How much a procedural item's score counts when the query does not ask for one.
const BOILERPLATE_WEIGHT: f32 = 0.35;

/// Procedural items rank below substantive ones unless the search asks for them:
/// by type (guidance notes, agenda) or by words (apologies, declarations...).
fn demote_boilerplate(opts: &SearchOptions, prepared: &Prepared) -> bool {
    const ASKING: [&str; 9] =
        ["apolog", "declar", "interest", "question", "guidance", "procedur", "urgent", "any other", "participation"];
    let q = prepared.text.to_lowercase();
    let by_type = opts.item_types.iter().any(|t| matches!(t, ItemType::GuidanceNotes | ItemType::Agenda));
    !by_type && !ASKING.iter().any(|w| q.contains(w))
}

/// How much a decision's score counts when decisions were not asked for: it is
/// a passage of minutes that are searched whole as well.
const DECISION_WEIGHT: f32 = 0.7;

/// Top documents by score, with procedural items' scores scaled down when
/// `demote`, and decisions' when `demote_decisions`.
fn top_by_score(
    limit: usize,
    demote: bool,
    demote_decisions: bool,
) -> impl tantivy::collector::Collector<Fruit = Vec<(f32, DocAddress)>> {
    TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
        let ff = segment.fast_fields();
        let boilerplate = if demote { ff.u64("boilerplate").ok() } else { None };
        let types = if demote_decisions { ff.str("item_type").ok().flatten() } else { None };
        let decision_ord = types.as_ref().and_then(|c| c.dictionary().term_ord("decision").ok().flatten());
        move |doc: tantivy::DocId, score: tantivy::Score| {
            let mut s = score;
            if boilerplate.as_ref().and_then(|c| c.first(doc)) == Some(1) {
                s *= BOILERPLATE_WEIGHT;
            }
            if let (Some(col), Some(ord)) = (&types, decision_ord) {
                if col.term_ords(doc).next() == Some(ord) {
                    s *= DECISION_WEIGHT;
                }
            }
            s
        }
    })
}

/// The plain words of a raw query, for matching expansions.
fn query_words(raw: &str) -> Vec<String> {
    raw.split(|c: char| !(c.is_alphanumeric() || c == '&' || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How a person is recorded in a hit's attendance: present, apologies, attending.
fn attendance_roles(hit: &Hit, name: &str) -> Vec<String> {
    let want: Vec<String> = name.split_whitespace().map(|w| w.to_lowercase()).collect();
    let has = |names: &[String]| {
        names.iter().any(|n| {
            let words: Vec<String> = n.split_whitespace().map(|w| w.to_lowercase()).collect();
            want.iter().all(|w| words.contains(w))
        })
    };
    let mut roles = Vec::new();
    for (role, names) in [("present", &hit.present), ("apologies", &hit.apologies), ("attending", &hit.attending)] {
        if has(names) {
            roles.push(role.to_string());
        }
    }
    roles
}

/// Runs an aggregation request and returns its JSON result.
fn aggregate(searcher: &tantivy::Searcher, query: &dyn Query, request: serde_json::Value) -> Result<serde_json::Value> {
    let aggs: tantivy::aggregation::agg_req::Aggregations =
        serde_json::from_value(request).map_err(|e| Error::Internal(e.to_string()))?;
    let collector = tantivy::aggregation::AggregationCollector::from_aggs(aggs, Default::default());
    let res = searcher.search(query, &collector)?;
    serde_json::to_value(&res).map_err(|e| Error::Internal(e.to_string()))
}

/// The (key, count) buckets of a terms aggregation result.
fn buckets(json: &serde_json::Value, name: &str) -> Vec<(String, u64)> {
    json[name]["buckets"]
        .as_array()
        .map(|b| {
            b.iter()
                .map(|b| {
                    let key = match &b["key"] {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Number(n) => n.as_f64().map_or(n.to_string(), |f| format!("{}", f as i64)),
                        other => other.to_string(),
                    };
                    (key, b["doc_count"].as_u64().unwrap_or(0))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn date_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_datetime())
        .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
        .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
}

fn strs_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_string).collect()
}

fn str_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

fn u64_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<u64> {
    doc.get_first(field).and_then(|v| v.as_u64())
}

fn with_filters(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let mut clauses = vec![(Occur::Must, query)];
    clauses.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
    Box::new(BooleanQuery::new(clauses))
}

fn describe_parse_error(e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match e {
        E::FieldDoesNotExist(f) => format!("unknown field `{f}`"),
        E::SyntaxError(s) => format!("could not parse part of the query ({s})"),
        other => other.to_string(),
    }
}

pub use crate::query::{prepare_query, type_names, QUERY_FIELDS};
