//! Counts over matching items: facets (by council, committee, item type and
//! year), the timeline (per year or month) and what the whole index holds.
//! Each is one tantivy aggregation over the same query and filters a search uses.

use std::ops::Bound;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{AllQuery, Query, RangeQuery};
use tantivy::Term;

use super::councils::Councils;
use crate::schema::NAME;
use crate::{Error, Result};

/// Counts of matching items by facet.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Facets {
    /// By council.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
    pub council: Vec<(String, u64)>,
    /// By committee.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
    pub committee: Vec<(String, u64)>,
    /// By item type.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
    pub item_type: Vec<(String, u64)>,
    /// By meeting year.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
    pub year: Vec<(String, u64)>,
}

/// Matching items per period.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Timeline {
    /// (period, count): `2017` or `2017-11`, ascending.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
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

/// What an index holds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IndexSummary {
    /// Index folder.
    pub path: String,
    /// Files indexed.
    pub files: usize,
    /// Items indexed.
    pub items: u64,
    /// Items per council (each council once, under its name).
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
    pub councils: Vec<(String, u64)>,
    /// The other names of each council that has any: in its papers, or declared.
    pub council_aliases: std::collections::BTreeMap<String, Vec<String>>,
    /// Items per committee.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
    pub committees: Vec<(String, u64)>,
    /// Items per type.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::name_counts))]
    pub item_types: Vec<(String, u64)>,
    /// Earliest meeting date.
    pub first_meeting: Option<String>,
    /// Latest meeting date.
    pub last_meeting: Option<String>,
    /// Items with no meeting date.
    pub undated: u64,
    /// True while the index's first run has not finished.
    pub building: bool,
}

/// Counts by council (each council once, under its name), committee, item
/// type and year for a query.
pub(crate) fn facets(searcher: &tantivy::Searcher, query: &dyn Query, councils: &Councils) -> Result<Facets> {
    let fields = [Facet::Str(NAME.council), Facet::Str(NAME.committee), Facet::Str(NAME.item_type), Facet::Year];
    let [council, committee, item_type, year] = searcher.search(query, &BucketCounts(fields))?;
    let by_count = |mut b: Vec<(Option<String>, u64)>| {
        b.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        b.into_iter().filter_map(|(k, n)| Some((k?, n))).collect()
    };
    let mut merged: std::collections::BTreeMap<Option<String>, u64> = std::collections::BTreeMap::new();
    for (name, n) in council {
        *merged.entry(name.map(|c| councils.name_of(&c).to_string())).or_default() += n;
    }
    Ok(Facets {
        council: by_count(merged.into_iter().collect()),
        committee: by_count(committee),
        item_type: by_count(item_type),
        year: year.into_iter().filter_map(|(k, n)| Some((k?, n))).collect(),
    })
}

/// Matching items per year (or month).
pub(crate) fn timeline(searcher: &tantivy::Searcher, query: &dyn Query, by_month: bool) -> Result<Timeline> {
    let field = if by_month { Facet::YearMonth } else { Facet::Year };
    let ([periods], total) = searcher.search(query, &(BucketCounts([field]), super::ranking::DistinctCount))?;
    let undated = periods.iter().find(|(k, _)| k.is_none()).map_or(0, |(_, n)| *n);
    let buckets = periods.into_iter().filter_map(|(k, n)| Some((k?, n))).collect();
    Ok(Timeline { buckets, total, undated, ignored: Vec::new(), warnings: Vec::new() })
}

/// A field items are counted by.
#[derive(Debug, Clone, Copy)]
enum Facet {
    /// A string fast field, by its values.
    Str(&'static str),
    /// The meeting's year (`2017`).
    Year,
    /// The meeting's month (`2017-11`).
    YearMonth,
}

/// Counts matching items per value of each of `N` facets, the same text
/// published twice once in each bucket (by its content hash). Each facet's
/// buckets come in ascending order of value, items without one as `None`.
struct BucketCounts<const N: usize>([Facet; N]);

/// One bucket's count so far: items without a content hash, and the hashes of the others.
#[derive(Default)]
struct Tally {
    unhashed: u64,
    hashes: Vec<u64>,
}

impl Tally {
    fn add(&mut self, hash: Option<u64>) {
        match hash {
            Some(h) => self.hashes.push(h),
            None => self.unhashed += 1,
        }
    }

    fn count(mut self) -> u64 {
        self.hashes.sort_unstable();
        self.hashes.dedup();
        self.unhashed + self.hashes.len() as u64
    }
}

/// A facet's column in one segment.
enum FacetColumn {
    Str(Option<tantivy::columnar::StrColumn>),
    Number(Option<tantivy::columnar::Column<u64>>, Facet),
}

struct SegmentBuckets<const N: usize> {
    columns: [FacetColumn; N],
    hashes: Option<tantivy::columnar::Column<u64>>,
    /// Per facet: the value's term ordinal (strings) or number, to its tally.
    tallies: [std::collections::BTreeMap<Option<u64>, Tally>; N],
}

impl<const N: usize> tantivy::collector::Collector for BucketCounts<N> {
    type Fruit = [Vec<(Option<String>, u64)>; N];
    type Child = SegmentBuckets<N>;

    fn for_segment(&self, _: u32, segment: &tantivy::SegmentReader) -> tantivy::Result<SegmentBuckets<N>> {
        let ff = segment.fast_fields();
        let columns = self.0.map(|f| match f {
            Facet::Str(name) => FacetColumn::Str(ff.str(name).ok().flatten()),
            Facet::Year => FacetColumn::Number(ff.u64(NAME.year).ok(), f),
            Facet::YearMonth => FacetColumn::Number(ff.u64(NAME.year_month).ok(), f),
        });
        let hashes = ff.u64(NAME.content_hash).ok();
        Ok(SegmentBuckets { columns, hashes, tallies: std::array::from_fn(|_| Default::default()) })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<[Vec<(Option<String>, Tally)>; N]>,
    ) -> tantivy::Result<[Vec<(Option<String>, u64)>; N]> {
        let mut merged: [std::collections::BTreeMap<Option<String>, Tally>; N] =
            std::array::from_fn(|_| Default::default());
        for fruit in fruits {
            for (k, buckets) in fruit.into_iter().enumerate() {
                for (value, t) in buckets {
                    let into = merged[k].entry(value).or_default();
                    into.unhashed += t.unhashed;
                    into.hashes.extend(t.hashes);
                }
            }
        }
        Ok(merged.map(|m| m.into_iter().map(|(v, t)| (v, t.count())).collect()))
    }
}

impl<const N: usize> tantivy::collector::SegmentCollector for SegmentBuckets<N> {
    type Fruit = [Vec<(Option<String>, Tally)>; N];

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        let hash = self.hashes.as_ref().and_then(|c| c.first(doc));
        for (column, tallies) in self.columns.iter().zip(self.tallies.iter_mut()) {
            let value = match column {
                FacetColumn::Str(col) => col.as_ref().and_then(|c| c.term_ords(doc).next()),
                FacetColumn::Number(col, _) => col.as_ref().and_then(|c| c.first(doc)),
            };
            tallies.entry(value).or_default().add(hash);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let SegmentBuckets { columns, tallies, .. } = self;
        let mut tallies = tallies.into_iter();
        columns.map(|column| {
            let buckets = tallies.next().unwrap_or_default();
            buckets.into_iter().map(|(value, t)| (value.map(|v| value_name(&column, v)), t)).collect()
        })
    }
}

/// How a facet's value reads: a string's text, a year, a year and month.
fn value_name(column: &FacetColumn, value: u64) -> String {
    match column {
        FacetColumn::Str(col) => {
            let mut out = String::new();
            if let Some(c) = col {
                let _ = c.ord_to_str(value, &mut out);
            }
            out
        }
        FacetColumn::Number(_, Facet::YearMonth) => format!("{:04}-{:02}", value / 100, value % 100),
        FacetColumn::Number(..) => value.to_string(),
    }
}

/// Councils, committees, types and dates of the whole index.
pub(crate) fn summary(
    searcher: &tantivy::Searcher,
    open: &crate::index::OpenIndex,
    councils: &Councils,
) -> Result<IndexSummary> {
    let json = aggregate(
        searcher,
        &AllQuery,
        serde_json::json!({
            "committee": {"terms": {"field": NAME.committee, "size": 1000}},
            "item_type": {"terms": {"field": NAME.item_type, "size": 100}},
            "first": {"min": {"field": NAME.meeting_date}},
            "last": {"max": {"field": NAME.meeting_date}},
        }),
    )?;
    let date = |name: &str| -> Option<String> {
        json[name]["value_as_string"].as_str().map(|s| s.chars().take(10).collect()).or_else(|| {
            json[name]["value"].as_f64().and_then(|ns| {
                chrono::DateTime::from_timestamp((ns / 1e9) as i64, 0).map(|d| d.date_naive().to_string())
            })
        })
    };
    let payload = open.payload()?;
    let dated = RangeQuery::new(
        Bound::Included(Term::from_field_date(open.fields.meeting_date, tantivy::DateTime::MIN)),
        Bound::Unbounded,
    );
    let undated = searcher.num_docs() - searcher.search(&dated, &Count)? as u64;
    Ok(IndexSummary {
        path: open.path.display().to_string(),
        files: payload.files.len(),
        items: searcher.num_docs(),
        councils: councils.all().iter().map(|c| (c.name.clone(), c.items)).collect(),
        council_aliases: councils
            .all()
            .iter()
            .filter(|c| !c.aliases.is_empty())
            .map(|c| (c.name.clone(), c.aliases.clone()))
            .collect(),
        committees: buckets(&json, "committee"),
        item_types: buckets(&json, "item_type"),
        first_meeting: date("first"),
        last_meeting: date("last"),
        undated,
        building: payload.building,
    })
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

impl super::Searcher {
    /// Hits per year (or month) for a query and filters: the timeline.
    pub fn timeline(&self, opts: &super::SearchOptions, by_month: bool) -> Result<Timeline> {
        super::catching(|| {
            let searcher = self.reader.searcher();
            let councils = self.councils();
            let fb = self.filters(&searcher, &councils);
            let (plan, notes, mut ignored) = self.plan(&fb, opts)?;
            let q = super::with_filters(plan.widest().map(|q| q.box_clone()), &plan.filters);
            let mut t = timeline(&searcher, &*q, by_month)?;
            ignored.extend(notes.ignored);
            t.ignored = ignored;
            t.warnings = notes.warnings;
            t.warnings.extend(self.index_notes());
            Ok(t)
        })
    }

    /// What the index holds: councils, committees, types and dates.
    pub fn stats(&self) -> Result<IndexSummary> {
        let searcher = self.reader.searcher();
        let councils = self.councils();
        summary(&searcher, &self.open, &councils)
    }
}
