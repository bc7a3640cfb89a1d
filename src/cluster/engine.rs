//! Searching a Quickwit cluster with our query language: the query translated
//! ([`super::translate`]), the answers turned back into our hits, snippets and
//! facets, rendered like local ones.
//!
//! Counts, facets and timelines use Quickwit's search API (with the meeting
//! dates as its timestamp parameters); ranked hits use its Elasticsearch-
//! compatible search, the only one that hands back BM25 scores (as sort
//! values). Items with all the words come first, then items with some, as
//! locally; procedural items and decisions are demoted within each tier over a
//! window of candidates, as locally. What differs from a local index: totals
//! count the same text published twice as often as it appears, ties are
//! broken by the cluster, and fuzzy words are searched as written.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};

use super::export::item_of_line;
use super::translate::{self, ClusterQuery};
use crate::paper::ItemType;
use crate::record::StoredItem;
use crate::search::snippet::{self, Snippet, SnippetTerms};
use crate::search::{
    meeting::{self, Meeting},
    Engine, Facets, Hit, IndexSummary, Place, SearchOptions, SearchResults, ShownItem, Sort, Tier, Timeline,
};
use crate::{analysis, Error, Result};

/// A candidate hit: its tier, its score and the stored document.
type Candidate = (Option<Tier>, f32, Value);

/// Most hits Quickwit pages through (its `max_hits` and `start_offset` limit).
pub const MAX_HITS: usize = 10_000;

/// A Quickwit index to search: `quickwit=http://HOST:7280/INDEX`.
#[derive(Clone)]
pub struct Quickwit {
    /// The node's address, `http://HOST:PORT`.
    pub base: String,
    /// The index id.
    pub index: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Quickwit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Quickwit({}/{})", self.base, self.index)
    }
}

impl Quickwit {
    /// Reads an engine spec: `quickwit=http://HOST:7280/INDEX`.
    pub fn parse(spec: &str) -> Result<Quickwit> {
        let bad = |why: &str| Error::BadInput(format!("--engine {spec:?}: {why}; use quickwit=http://HOST:7280/INDEX"));
        let url = spec.strip_prefix("quickwit=").ok_or_else(|| bad("unknown engine"))?;
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
            .ok_or_else(|| bad("not an http address"))?;
        let (host, index) = rest.trim_end_matches('/').rsplit_once('/').ok_or_else(|| bad("no index named"))?;
        if host.is_empty() || host.contains('/') || !super::config::valid_index_id(index) {
            return Err(bad("not HOST:PORT/INDEX"));
        }
        let scheme = &url[..url.len() - rest.len()];
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(Quickwit { base: format!("{scheme}{host}"), index: index.to_string(), agent })
    }

    /// POSTs `body` to `path` under the node and returns the JSON answer; a
    /// node that cannot be reached or answers an error is one line of error.
    fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let down = |e: ureq::Error| Error::Cluster(format!("{}: {e}", self.base));
        let mut resp = self.agent.post(&url).send_json(body).map_err(down)?;
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().map_err(down)?;
        if status != 200 {
            let why = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
                .unwrap_or(text);
            return Err(Error::Cluster(format!("{url} answered {status}: {}", why.replace('\n', " "))));
        }
        serde_json::from_str(&text).map_err(|e| Error::Cluster(format!("{url}: not JSON ({e})")))
    }

    /// Quickwit's search API: hits (stored documents), counts, aggregations.
    fn native(&self, query: &str, q: &ClusterQuery, max_hits: usize, aggs: Option<Value>) -> Result<Value> {
        let mut body = json!({"query": query, "max_hits": max_hits, "count_all": true});
        if let Some(s) = q.start_timestamp {
            body["start_timestamp"] = json!(s);
        }
        if let Some(e) = q.end_timestamp {
            body["end_timestamp"] = json!(e);
        }
        if let Some(a) = aggs {
            body["aggs"] = a;
        }
        self.post(&format!("/api/v1/{}/search", self.index), &body)
    }

    /// How many items match `query`.
    fn count(&self, query: &str, q: &ClusterQuery) -> Result<usize> {
        let v = self.native(query, q, 0, None)?;
        Ok(v["num_hits"].as_u64().unwrap_or(0) as usize)
    }

    /// Ranked (or dated) candidates: each stored document with its score.
    fn ranked(&self, query: &str, q: &ClusterQuery, size: usize, by_date: bool) -> Result<Vec<(f32, Value)>> {
        let query = match dates_clause(q) {
            Some(d) => format!("({query}) AND {d}"),
            None => query.to_string(),
        };
        let sort = if by_date {
            json!([{"meeting_date": {"order": "desc"}}, {"_score": {"order": "desc"}}])
        } else {
            json!([{"_score": {"order": "desc"}}])
        };
        let body = json!({"query": {"query_string": {"query": query}}, "size": size, "sort": sort});
        let v = self.post(&format!("/api/v1/_elastic/{}/_search", self.index), &body)?;
        let hits = v["hits"]["hits"].as_array().cloned().unwrap_or_default();
        Ok(hits
            .into_iter()
            .map(|h| {
                let at = if by_date { 1 } else { 0 };
                let score = h["sort"].get(at).and_then(Value::as_f64).unwrap_or(0.0) as f32;
                (score, h["_source"].clone())
            })
            .collect())
    }

    /// Runs a search on the cluster, with the local search's options.
    pub fn search(&self, opts: &SearchOptions) -> Result<SearchResults> {
        let q = translate::translate(opts)?;
        let widest = q.some_words.clone().unwrap_or_else(|| q.all_words.clone());
        let total = self.count(&widest, &q)?;
        let want = opts.offset.saturating_add(opts.limit);
        if want > MAX_HITS {
            return Err(Error::BadInput(format!("a cluster pages through its first {MAX_HITS} hits only")));
        }
        let page = if opts.limit == 0 { Vec::new() } else { self.page(&q, opts, want)? };
        let mut hits = self.hits(&q, opts, page)?;
        self.add_places(&mut hits)?;
        let facets = if opts.facets { Some(self.facets(&widest, &q)?) } else { None };
        Ok(SearchResults { hits, total, ignored: q.notes.clone(), warnings: Vec::new(), facets })
    }

    /// The page's candidates in order: (tier, score, stored document). The
    /// same text published twice is one hit, its best-placed copy, as locally.
    fn page(&self, q: &ClusterQuery, opts: &SearchOptions, want: usize) -> Result<Vec<Candidate>> {
        let window = want.saturating_mul(2).saturating_add(64).min(MAX_HITS);
        let mut seen = std::collections::HashSet::new();
        let ordered = self.ordered(q, opts, window)?;
        Ok(ordered
            .into_iter()
            .filter(|(_, _, d)| d["content_hash"].as_str().is_none_or(|h| seen.insert(h.to_string())))
            .take(want)
            .skip(opts.offset)
            .collect())
    }

    /// Up to `window` candidates of each reading, in the local index's order.
    fn ordered(&self, q: &ClusterQuery, opts: &SearchOptions, window: usize) -> Result<Vec<Candidate>> {
        if !q.scored {
            let listed = local_order(self.ranked(&q.all_words, q, window, true)?, true);
            return Ok(listed.into_iter().map(|(_, d)| (None, 0.0, d)).collect());
        }
        if opts.sort == Sort::Date {
            let widest = q.some_words.as_deref().unwrap_or(&q.all_words);
            let dated = local_order(self.ranked(widest, q, window, true)?, true);
            let all: std::collections::HashSet<String> = match &q.some_words {
                Some(_) => self.ids_matching(&q.all_words, q, &dated)?,
                None => dated.iter().map(|(_, d)| id_of(d)).collect(),
            };
            let tier = |d: &Value| if all.contains(&id_of(d)) { Tier::AllWords } else { Tier::SomeWords };
            return Ok(dated.into_iter().map(|(s, d)| (Some(tier(&d)), s, d)).collect());
        }
        let first = demoted(self.ranked(&q.all_words, q, window, false)?, opts);
        let complete = first.len() < window;
        let mut out: Vec<Candidate> = first.into_iter().map(|(s, d)| (Some(Tier::AllWords), s, d)).collect();
        if let (Some(some), true) = (&q.some_words, complete) {
            let rest_query = format!("({some}) AND NOT ({})", q.all_words);
            let rest = demoted(self.ranked(&rest_query, q, window, false)?, opts);
            out.extend(rest.into_iter().map(|(s, d)| (Some(Tier::SomeWords), s, d)));
        }
        Ok(out)
    }

    /// The ids among `docs` that `query` matches.
    fn ids_matching(
        &self,
        query: &str,
        q: &ClusterQuery,
        docs: &[(f32, Value)],
    ) -> Result<std::collections::HashSet<String>> {
        if docs.is_empty() {
            return Ok(Default::default());
        }
        let ids: Vec<String> = docs.iter().map(|(_, d)| translate::quote(&id_of(d))).collect();
        let v = self.native(&format!("({query}) AND id: IN [{}]", ids.join(" ")), q, docs.len(), None)?;
        Ok(v["hits"].as_array().map(|h| h.iter().map(id_of).collect()).unwrap_or_default())
    }

    /// Hits from the page's documents, with snippets made from their text.
    fn hits(&self, q: &ClusterQuery, opts: &SearchOptions, page: Vec<Candidate>) -> Result<Vec<Hit>> {
        let prefixes: Vec<String> = Vec::new();
        let terms = SnippetTerms::of_analysed(q.highlight.iter().cloned(), prefixes);
        let mut analyzer = analysis::text_analyzer();
        page.into_iter()
            .enumerate()
            .map(|(i, (tier, score, doc))| {
                let mut item = item_of_line(&doc)?;
                let snippets = snippet::snippets_of_text(&item, &terms, &mut analyzer, opts.snippet_chars, 3);
                item.body = None;
                Ok(Hit {
                    rank: opts.offset + i + 1,
                    score,
                    tier,
                    snippet: snippets.first().cloned().unwrap_or_else(|| Snippet::empty(item.line_start)),
                    snippets,
                    expansions: crate::search::expansions_for(&item, &opts.query),
                    item,
                    also_in: Vec::new(),
                    attendance: None,
                })
            })
            .collect()
    }

    /// The other places each hit's text appears: one request for the page.
    fn add_places(&self, hits: &mut [Hit]) -> Result<()> {
        let hashes: Vec<String> =
            hits.iter().filter_map(|h| h.item.content_hash).map(|h| format!("\"{:016x}\"", h.0)).collect();
        if hashes.is_empty() {
            return Ok(());
        }
        let q = ClusterQuery::everything();
        let v = self.native(&format!("content_hash: IN [{}]", hashes.join(" ")), &q, 500, None)?;
        let mut by_hash: HashMap<String, Vec<StoredItem>> = HashMap::new();
        for doc in v["hits"].as_array().cloned().unwrap_or_default() {
            if let Ok(item) = item_of_line(&doc) {
                if let Some(h) = item.content_hash {
                    by_hash.entry(format!("{:016x}", h.0)).or_default().push(item);
                }
            }
        }
        for hit in hits.iter_mut() {
            let Some(h) = hit.item.content_hash else { continue };
            let others = by_hash.get(&format!("{:016x}", h.0)).map(Vec::as_slice).unwrap_or(&[]);
            hit.also_in = others
                .iter()
                .filter(|o| (&o.path, o.line_start) != (&hit.item.path, hit.item.line_start))
                .map(|o| Place {
                    id: o.id.clone(),
                    path: o.path.clone(),
                    line_start: o.line_start,
                    line_end: o.line_end,
                    meeting_date: o.meta.meeting_date,
                })
                .collect();
        }
        Ok(())
    }

    /// Counts by council, committee, item type and year.
    fn facets(&self, query: &str, q: &ClusterQuery) -> Result<Facets> {
        let aggs = json!({
            "council": {"terms": {"field": "council", "size": 1000}},
            "committee": {"terms": {"field": "committee", "size": 1000}},
            "item_type": {"terms": {"field": "item_type", "size": 100}},
            "year": {"terms": {"field": "year", "size": 1000, "order": {"_key": "asc"}}},
        });
        let v = self.native(query, q, 0, Some(aggs))?;
        let a = &v["aggregations"];
        Ok(Facets {
            council: buckets(&a["council"]),
            committee: buckets(&a["committee"]),
            item_type: buckets(&a["item_type"]),
            year: buckets(&a["year"]),
        })
    }

    /// Matching items per year (or month).
    pub fn timeline(&self, opts: &SearchOptions, by_month: bool) -> Result<Timeline> {
        let q = translate::translate(opts)?;
        let widest = q.some_words.clone().unwrap_or_else(|| q.all_words.clone());
        let field = if by_month { "year_month" } else { "year" };
        let aggs = json!({"t": {"terms": {"field": field, "size": 100000, "order": {"_key": "asc"}}}});
        let v = self.native(&widest, &q, 0, Some(aggs))?;
        let total = v["num_hits"].as_u64().unwrap_or(0) as usize;
        let buckets: Vec<(String, u64)> = buckets(&v["aggregations"]["t"])
            .into_iter()
            .map(|(k, n)| match k.parse::<u64>() {
                Ok(v) if by_month => (format!("{:04}-{:02}", v / 100, v % 100), n),
                _ => (k, n),
            })
            .collect();
        let dated: u64 = buckets.iter().map(|(_, n)| n).sum();
        Ok(Timeline {
            buckets,
            total,
            undated: (total as u64).saturating_sub(dated),
            ignored: q.notes,
            warnings: Vec::new(),
        })
    }
}

impl Quickwit {
    /// One whole item by id, with the words of `query` (if any) highlighted.
    pub fn show(&self, id: &str, query: Option<&str>) -> Result<ShownItem> {
        let q = ClusterQuery::everything();
        let v = self.native(&format!("id:{}", translate::quote(id.trim())), &q, 1, None)?;
        let doc =
            v["hits"].as_array().and_then(|h| h.first().cloned()).ok_or_else(|| Error::NoSuchItem(id.to_string()))?;
        let item = item_of_line(&doc)?;
        let (mut highlights, mut ignored) = (Vec::new(), Vec::new());
        if let Some(query) = query.filter(|q| !q.trim().is_empty()) {
            let asked = translate::translate(&SearchOptions { query: query.to_string(), ..SearchOptions::default() })?;
            let terms = SnippetTerms::of_analysed(asked.highlight, Vec::new());
            highlights = snippet::highlight(item.body(), &terms, &mut analysis::text_analyzer());
            ignored = asked.notes;
        }
        Ok(ShownItem { item, highlights, ignored })
    }

    /// The meeting `id` names (a meeting id, or the id of one of its items),
    /// its papers in agenda order, as a local index gives it.
    pub fn meeting(&self, id: &str) -> Result<Meeting> {
        let everything = ClusterQuery::everything();
        let id = id.trim();
        let items_of = |meeting_id: &str| -> Result<Vec<StoredItem>> {
            let query = format!("meeting_id:{}", translate::quote(meeting_id));
            let v = self.native(&query, &everything, meeting::MAX_ITEMS, None)?;
            let docs = v["hits"].as_array().cloned().unwrap_or_default();
            docs.iter().map(|d| item_of_line(d).map(|i| StoredItem { body: None, ..i })).collect()
        };
        let mut meeting_id = id.to_string();
        let mut items = items_of(id)?;
        if items.is_empty() {
            // An item's id stands for its meeting.
            let item = match self.show(id, None) {
                Err(Error::NoSuchItem(_)) => return Err(Error::NoSuchMeeting(id.to_string())),
                other => other?.item,
            };
            meeting_id = item.meta.meeting_id.ok_or_else(|| Error::NoSuchMeeting(id.to_string()))?;
            items = items_of(&meeting_id)?;
        }
        Ok(meeting::arrange(meeting_id, items))
    }

    /// What the cluster's index holds: councils, committees, types and dates.
    pub fn stats(&self) -> Result<IndexSummary> {
        let aggs = json!({
            "council": {"terms": {"field": "council", "size": 1000}},
            "committee": {"terms": {"field": "committee", "size": 1000}},
            "item_type": {"terms": {"field": "item_type", "size": 100}},
            "first": {"min": {"field": "meeting_date"}},
            "last": {"max": {"field": "meeting_date"}},
            "dated": {"value_count": {"field": "meeting_date"}},
        });
        let v = self.native("*", &ClusterQuery::everything(), 0, Some(aggs))?;
        let a = &v["aggregations"];
        let items = v["num_hits"].as_u64().unwrap_or(0);
        let date = |k: &str| {
            a[k]["value_as_string"].as_str().map(|s| s.chars().take(10).collect()).or_else(|| {
                a[k]["value"]
                    .as_f64()
                    .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms as i64))
                    .map(|d| d.date_naive().to_string())
            })
        };
        Ok(IndexSummary {
            path: format!("{}/{}", self.base, self.index),
            files: 0,
            items,
            councils: buckets(&a["council"]),
            council_aliases: Default::default(),
            committees: buckets(&a["committee"]),
            item_types: buckets(&a["item_type"]),
            first_meeting: date("first"),
            last_meeting: date("last"),
            undated: items.saturating_sub(a["dated"]["value"].as_f64().unwrap_or(0.0) as u64),
            building: false,
        })
    }
}

impl Engine for Quickwit {
    fn search(&self, opts: &SearchOptions) -> Result<SearchResults> {
        Quickwit::search(self, opts)
    }

    fn timeline(&self, opts: &SearchOptions, by_month: bool) -> Result<Timeline> {
        Quickwit::timeline(self, opts, by_month)
    }

    fn show(&self, id: &str, query: Option<&str>) -> Result<ShownItem> {
        Quickwit::show(self, id, query)
    }

    /// A cluster has no "more like this": none, and it says so.
    fn similar(&self, _id: &str, _limit: usize) -> Result<SearchResults> {
        Ok(SearchResults {
            hits: Vec::new(),
            total: 0,
            ignored: Vec::new(),
            warnings: vec!["similar items are found on a local index only".to_string()],
            facets: None,
        })
    }

    fn stats(&self) -> Result<IndexSummary> {
        Quickwit::stats(self)
    }

    fn meeting(&self, id: &str) -> Result<Meeting> {
        Quickwit::meeting(self, id)
    }
}

/// The date range as a clause for the Elasticsearch-compatible search, which
/// takes no timestamp parameters (end exclusive, as the parameters are).
fn dates_clause(q: &ClusterQuery) -> Option<String> {
    let rfc = |s: i64| chrono::DateTime::from_timestamp(s, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    match (q.start_timestamp.and_then(rfc), q.end_timestamp.and_then(rfc)) {
        (None, None) => None,
        (a, b) => {
            Some(format!("meeting_date:[{} TO {}}}", a.unwrap_or_else(|| "*".into()), b.unwrap_or_else(|| "*".into())))
        }
    }
}

/// Scores demoted as the local search demotes them (procedural items, and
/// decisions unless asked for), best first.
fn demoted(mut docs: Vec<(f32, Value)>, opts: &SearchOptions) -> Vec<(f32, Value)> {
    let boilerplate = crate::search::demotes_boilerplate(opts);
    let decisions = !opts.item_types.contains(&ItemType::Decision);
    for (score, d) in &mut docs {
        if boilerplate && d["boilerplate"].as_bool() == Some(true) {
            *score *= crate::search::ranking::BOILERPLATE_WEIGHT;
        }
        if decisions && d["item_type"].as_str() == Some("decision") {
            *score *= crate::search::ranking::DECISION_WEIGHT;
        }
    }
    local_order(docs, false)
}

/// Candidates in the local index's order: by score (or first by meeting date,
/// `by_date`), then newest meeting, then path and first line.
fn local_order(mut docs: Vec<(f32, Value)>, by_date: bool) -> Vec<(f32, Value)> {
    let date = |d: &Value| d["meeting_date"].as_str().map(str::to_string);
    let place = |d: &Value| (d["path"].as_str().unwrap_or("").to_string(), d["line_start"].as_u64().unwrap_or(0));
    docs.sort_by(|a, b| {
        let by_score = b.0.total_cmp(&a.0);
        let newest = date(&b.1).cmp(&date(&a.1));
        let first = if by_date { newest.then(by_score) } else { by_score.then(newest) };
        first.then_with(|| place(&a.1).cmp(&place(&b.1)))
    });
    docs
}

fn id_of(doc: &Value) -> String {
    doc["id"].as_str().unwrap_or("").to_string()
}

/// The (key, count) buckets of a terms aggregation.
fn buckets(agg: &Value) -> Vec<(String, u64)> {
    agg["buckets"]
        .as_array()
        .map(|b| {
            b.iter()
                .map(|b| {
                    let key = match &b["key"] {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.as_f64().map_or(n.to_string(), |f| format!("{}", f as i64)),
                        other => other.to_string(),
                    };
                    (key, b["doc_count"].as_u64().unwrap_or(0))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_specs_name_a_node_and_an_index() {
        let q = Quickwit::parse("quickwit=http://127.0.0.1:7280/council_items").unwrap();
        assert_eq!((q.base.as_str(), q.index.as_str()), ("http://127.0.0.1:7280", "council_items"));
        let q = Quickwit::parse("quickwit=https://search.example.org/council_items/").unwrap();
        assert_eq!(q.base, "https://search.example.org");
        for bad in
            ["elastic=http://x:9200/i", "quickwit=x:7280/items", "quickwit=http://x:7280", "quickwit=http://x/1a"]
        {
            let e = Quickwit::parse(bad).unwrap_err();
            assert!(e.is_user_error() && e.to_string().contains("--engine"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_node_that_is_down_is_one_line_of_error() {
        // A port nothing listens on (bound, then let go).
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let q = Quickwit::parse(&format!("quickwit=http://127.0.0.1:{port}/council_items")).unwrap();
        let e = q.search(&SearchOptions { query: "carers".into(), ..SearchOptions::default() }).unwrap_err();
        assert!(matches!(e, Error::Cluster(_)) && !e.to_string().contains('\n'), "{e}");
        assert!(e.to_string().contains(&format!("127.0.0.1:{port}")), "{e}");
    }

    #[test]
    fn dates_become_a_range_clause_ending_before_the_day_after() {
        let q = translate::translate(&SearchOptions {
            query: "carers".into(),
            from: chrono::NaiveDate::from_ymd_opt(2016, 1, 1),
            to: chrono::NaiveDate::from_ymd_opt(2018, 12, 31),
            ..SearchOptions::default()
        })
        .unwrap();
        assert_eq!(dates_clause(&q).as_deref(), Some("meeting_date:[2016-01-01T00:00:00Z TO 2019-01-01T00:00:00Z}"));
    }
}
