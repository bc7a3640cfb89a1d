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

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, Term};

use crate::document::date_value;
use crate::index::{self, OpenIndex};
use crate::indexer::{decode_deltas, decode_varints};
use crate::paper::{self, ItemType};
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
    /// The best passage.
    pub snippet: Snippet,
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
}

/// An open index, ready to answer searches.
pub struct Searcher {
    open: OpenIndex,
    reader: IndexReader,
    all_words: QueryParser,
    any_words: QueryParser,
}

/// Fields users may name in `field:value`, with the index field each means.
pub const QUERY_FIELDS: &[(&str, &str)] = &[
    ("title", "title"),
    ("body", "body"),
    ("agenda_title", "agenda_title"),
    ("council", "council"),
    ("committee", "committee"),
    ("presenter", "presenter"),
    ("type", "item_type"),
    ("item_type", "item_type"),
    ("item", "agenda_item"),
    ("agenda_item", "agenda_item"),
    ("id", "id"),
    ("format", "format"),
];

impl Searcher {
    /// Opens the index at `dir` for searching.
    pub fn open(dir: &Path) -> Result<Searcher> {
        let open = index::open(dir)?;
        let reader = open.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let f = open.fields;
        let make = |all: bool| {
            let mut qp = QueryParser::for_index(&open.index, vec![f.title, f.agenda_title, f.body]);
            qp.set_field_boost(f.title, 3.0);
            qp.set_field_boost(f.agenda_title, 2.0);
            if all {
                qp.set_conjunction_by_default();
            }
            qp
        };
        Ok(Searcher { all_words: make(true), any_words: make(false), open, reader })
    }

    /// The index this searcher reads.
    pub fn index(&self) -> &OpenIndex {
        &self.open
    }

    /// Runs a search.
    pub fn search(&self, opts: &SearchOptions) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let (prepared, mut ignored) = prepare_query(&opts.query);
        let mut warnings = Vec::new();
        let filters = self.filters(opts, &mut warnings)?;
        let want = opts.offset + opts.limit;
        // Candidates beyond the page, so ties at its edge still order totally.
        let window = want.max(1) + 64;
        let mut keys = SortKeys::new(&searcher);
        let mut ranked: Vec<(f32, DocAddress)> = Vec::new();
        let (total, snippet_query, by_date): (usize, Option<Box<dyn Query>>, bool) = if prepared.trim().is_empty() {
            let q = with_filters(Box::new(AllQuery), &filters);
            let total = searcher.search(&*q, &Count)?;
            let newest =
                TopDocs::with_limit(window).order_by_fast_field::<tantivy::DateTime>("meeting_date", Order::Desc);
            ranked.extend(searcher.search(&*q, &newest)?.into_iter().map(|(_, a)| (0.0, a)));
            (total, None, true)
        } else {
            let (all_q, errors) = self.all_words.parse_query_lenient(&prepared);
            ignored.extend(errors.iter().map(describe_parse_error));
            let (any_q, _) = self.any_words.parse_query_lenient(&prepared);
            let any_f = with_filters(any_q.box_clone(), &filters);
            let total = searcher.search(&*any_f, &Count)?;
            if opts.sort == Sort::Date {
                let newest =
                    TopDocs::with_limit(window).order_by_fast_field::<tantivy::DateTime>("meeting_date", Order::Desc);
                for (_, a) in searcher.search(&*any_f, &newest)? {
                    ranked.push((any_f.explain(&searcher, a).map_or(0.0, |e| e.value()), a));
                }
            } else {
                // Items with all the words first, then the best of the rest.
                let all_f = with_filters(all_q, &filters);
                let first = searcher.search(&*all_f, &TopDocs::with_limit(window).order_by_score())?;
                ranked.extend(first.iter().copied());
                if first.len() < window {
                    let have: std::collections::HashSet<DocAddress> = first.iter().map(|&(_, a)| a).collect();
                    let rest = searcher.search(&*any_f, &TopDocs::with_limit(window + first.len()).order_by_score())?;
                    ranked.extend(rest.into_iter().filter(|(_, a)| !have.contains(a)).map(|(s, a)| (s - TIER, a)));
                }
            }
            (total, Some(any_q), opts.sort == Sort::Date)
        };

        // Total order: score (or date), then newest meeting, path, first line.
        let mut rows: Vec<(f32, SortKey, DocAddress)> = ranked.into_iter().map(|(s, a)| (s, keys.key(a), a)).collect();
        rows.sort_by(|(sa, a, _), (sb, b, _)| {
            let by_score = sb.partial_cmp(sa).unwrap_or(Ordering::Equal);
            let primary = if by_date { b.date.cmp(&a.date).then(by_score) } else { by_score.then(b.date.cmp(&a.date)) };
            primary.then_with(|| a.path.cmp(&b.path)).then(a.line.cmp(&b.line))
        });

        let terms = match &snippet_query {
            Some(q) => SnippetTerms::new(&searcher, &**q, self.open.fields.body),
            None => SnippetTerms::new(&searcher, &AllQuery, self.open.fields.body),
        };
        let mut analyzer = analysis::text_analyzer();
        let mut hits = Vec::new();
        for (i, (score, key, address)) in rows.into_iter().enumerate().skip(opts.offset).take(opts.limit) {
            let score = if score < -TIER / 2.0 { score + TIER } else { score };
            let doc: TantivyDocument = searcher.doc(address)?;
            let row = Row { address, path: key.path, doc };
            hits.push(self.hit(&searcher, row, i + 1, score, &terms, &mut analyzer, opts.snippet_chars)?);
        }
        Ok(SearchResults { hits, total, ignored, warnings })
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
            out.push(known("council", f.council_key, paper::normalise_council(c), "council"));
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
        };
        let snippet = snippet::best_snippet(searcher, row.address, &source, terms, analyzer, snippet_chars);
        Ok(Hit {
            id: view.id,
            rank,
            score,
            path: row.path,
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
            snippet,
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
            let (prepared, mut why) = prepare_query(query);
            let (parsed, errors) = self.any_words.parse_query_lenient(&prepared);
            why.extend(errors.iter().map(describe_parse_error));
            ignored = why;
            let terms = SnippetTerms::new(&searcher, &*parsed, self.open.fields.body);
            let mut analyzer = analysis::text_analyzer();
            highlights = snippet::highlight(&item.body, terms.texts(), &mut analyzer);
        }
        Ok(ShownItem { item, highlights, ignored })
    }

    /// What the index holds: councils, committees, types and dates.
    pub fn stats(&self) -> Result<IndexSummary> {
        let searcher = self.reader.searcher();
        let aggs: tantivy::aggregation::agg_req::Aggregations = serde_json::from_value(serde_json::json!({
            "council": {"terms": {"field": "council", "size": 1000}},
            "committee": {"terms": {"field": "committee", "size": 1000}},
            "item_type": {"terms": {"field": "item_type", "size": 100}},
            "first": {"min": {"field": "meeting_date"}},
            "last": {"max": {"field": "meeting_date"}},
        }))
        .map_err(|e| Error::Internal(e.to_string()))?;
        let collector = tantivy::aggregation::AggregationCollector::from_aggs(aggs, Default::default());
        let res = searcher.search(&AllQuery, &collector)?;
        let json = serde_json::to_value(&res).map_err(|e| Error::Internal(e.to_string()))?;
        let buckets = |name: &str| -> Vec<(String, u64)> {
            json[name]["buckets"]
                .as_array()
                .map(|b| {
                    b.iter()
                        .map(|b| (b["key"].as_str().unwrap_or("").to_string(), b["doc_count"].as_u64().unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default()
        };
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
            councils: buckets("council"),
            committees: buckets("committee"),
            item_types: buckets("item_type"),
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
    /// The text, one line per source line.
    pub body: String,
    #[serde(skip)]
    line_positions: Vec<u32>,
    #[serde(skip)]
    page_markers: Vec<(usize, u32)>,
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
    path: String,
    doc: TantivyDocument,
}

/// Score offset that puts items with only some of the words below all items with every word.
const TIER: f32 = 1.0e6;

/// What ties are broken on, read from fast fields (no stored document is loaded).
#[derive(Debug, Clone, Default)]
struct SortKey {
    date: Option<i64>,
    path: String,
    line: u64,
}

/// Per-segment fast-field readers for [`SortKey`]s.
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

    fn key(&mut self, address: DocAddress) -> SortKey {
        let searcher = self.searcher;
        let cols = self.columns.entry(address.segment_ord).or_insert_with(|| {
            let ff = searcher.segment_reader(address.segment_ord).fast_fields();
            SegmentColumns {
                date: ff.date("meeting_date").ok(),
                path: ff.str("path").ok().flatten(),
                line: ff.u64("line_start").ok(),
            }
        });
        let doc = address.doc_id;
        let mut path = String::new();
        if let Some(col) = &cols.path {
            if let Some(ord) = col.term_ords(doc).next() {
                let _ = col.ord_to_str(ord, &mut path);
            }
        }
        SortKey {
            date: cols.date.as_ref().and_then(|c| c.first(doc)).map(|d| d.into_timestamp_secs()),
            path,
            line: cols.line.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
        }
    }
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

/// Makes a user's query safe for the parser, and says what it changed.
///
/// Curly quotes and dashes become straight ones; an unmatched quote, a lone
/// `-`/`+`, or a dangling `AND`/`OR` is dropped; `field:value` with an unknown
/// field is searched as plain words; field aliases (`type:`, `item:`) are mapped.
pub fn prepare_query(raw: &str) -> (String, Vec<String>) {
    let mut ignored = Vec::new();
    let mut s: String = raw
        .chars()
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    if s.matches('"').count() % 2 == 1 {
        if let Some(i) = s.rfind('"') {
            s.replace_range(i..i + 1, " ");
        }
        ignored.push("an unmatched quote".to_string());
    }
    // Work on whitespace-separated pieces outside quotes.
    let mut out: Vec<String> = Vec::new();
    let mut in_quote = false;
    let mut piece = String::new();
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for c in s.chars() {
        if c == '"' {
            in_quote = !in_quote;
        }
        if c.is_whitespace() && !in_quote {
            if !piece.is_empty() {
                pieces.push((std::mem::take(&mut piece), false));
            }
        } else {
            piece.push(c);
        }
    }
    if !piece.is_empty() {
        pieces.push((piece, false));
    }
    let n = pieces.len();
    for (i, (p, _)) in pieces.into_iter().enumerate() {
        if p.chars().all(|c| matches!(c, '-' | '+' | '!' | '^' | '~' | '*' | ':' | '(' | ')' | '{' | '}' | '[' | ']')) {
            if p.chars().any(|c| matches!(c, '(' | ')')) && p.chars().all(|c| matches!(c, '(' | ')')) {
                out.push(p);
            } else {
                ignored.push(format!("a lone `{p}`"));
            }
            continue;
        }
        if (p == "AND" || p == "OR") && (i == 0 || i + 1 == n) {
            ignored.push(format!("a dangling `{p}`"));
            continue;
        }
        out.push(quote_slashes(map_field(&p, &mut ignored)));
    }
    // A query of exclusions alone means "everything but": start from all items.
    out.retain(|p| !p.is_empty());
    if !out.is_empty() && out.iter().all(|p| p.starts_with('-')) {
        out.insert(0, "*".to_string());
    }
    // Unbalanced parentheses: drop them all rather than guess.
    let joined = out.join(" ");
    let opens = joined.matches('(').count();
    let closes = joined.matches(')').count();
    if opens != closes {
        ignored.push("unbalanced parentheses".to_string());
        return (joined.replace(['(', ')'], " "), ignored);
    }
    (joined, ignored)
}

/// A word with `/` in it (a reference such as FP/17/09/14) is quoted, since a
/// bare `/` starts a regular expression in the parser's grammar.
fn quote_slashes(piece: String) -> String {
    if !piece.contains('/') || piece.contains('"') {
        return piece;
    }
    let (prefix, word) = match piece.split_once(':') {
        Some((f, w)) if !f.contains('/') => (format!("{f}:"), w.to_string()),
        _ => {
            let w = piece.trim_start_matches(['-', '+']);
            (piece[..piece.len() - w.len()].to_string(), w.to_string())
        }
    };
    format!("{prefix}\"{word}\"")
}

fn map_field(piece: &str, ignored: &mut Vec<String>) -> String {
    let body = piece.trim_start_matches(['-', '+']);
    let sign = &piece[..piece.len() - body.len()];
    let Some((field, value)) = body.split_once(':') else { return piece.to_string() };
    if field.is_empty() || field.starts_with('"') || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return piece.to_string();
    }
    if value.is_empty() {
        ignored.push(format!("`{piece}` has no value"));
        return String::new();
    }
    match QUERY_FIELDS.iter().find(|(name, _)| name.eq_ignore_ascii_case(field)) {
        Some(&(_, "item_type")) => {
            let v = value.trim_matches('"');
            match ItemType::parse(v) {
                Some(t) => format!("{sign}item_type:{}", t.as_str()),
                None => {
                    ignored.push(format!("unknown item type `{v}` (types: {})", type_names()));
                    String::new()
                }
            }
        }
        Some(&(_, target)) => format!("{sign}{target}:{value}"),
        None if value.starts_with("//") => piece.to_string().replace(':', " "),
        None => {
            ignored.push(format!("unknown field `{field}` (searched `{value}` as words)"));
            format!("{sign}{value}")
        }
    }
}

/// The item type names, comma-separated, for messages.
pub fn type_names() -> String {
    ItemType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_quotes_and_dashes_work_like_straight_ones() {
        assert_eq!(prepare_query("\u{201C}mental health\u{201D} \u{2013}send").0, "\"mental health\" -send");
    }

    #[test]
    fn malformed_queries_are_repaired_and_reported() {
        let (q, why) = prepare_query("\"modern slavery");
        assert_eq!(q.trim(), "modern slavery");
        assert_eq!(why.len(), 1);
        let (q, why) = prepare_query("housing - parks");
        assert_eq!(q, "housing parks");
        assert!(why[0].contains('-'));
        let (q, why) = prepare_query("nosuch:field housing");
        assert_eq!(q, "field housing");
        assert!(why[0].contains("nosuch"));
        let (q, _) = prepare_query("type:Minutes item:5 -council:worcestershire");
        assert_eq!(q, "item_type:minutes agenda_item:5 -council:worcestershire");
        assert_eq!(prepare_query("FP/17/09/14 -x/y").0, "\"FP/17/09/14\" -\"x/y\"");
        let (q, why) = prepare_query("(unclosed group");
        assert_eq!(q.trim(), "unclosed group");
        assert!(!why.is_empty());
    }
}
