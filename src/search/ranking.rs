//! The order of results and how many there are.
//!
//! Items with all the query's words come first ([`Tier::AllWords`]), then items
//! with some of them ([`Tier::SomeWords`]); within a tier, by score (BM25 with
//! field weights; procedural items and decisions count less unless asked for),
//! then newest meeting, path and first line, so the order is total and the
//! same every time. The sort key is that tuple ([`RankKey`]), never a score
//! with an offset folded in. The same text published twice is one hit, its
//! best-placed copy; the total counts it once, so paging with an offset
//! reaches exactly the total.

use std::cmp::Ordering;
use std::collections::HashSet;

use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Order, Score, SegmentOrdinal, SegmentReader};

use crate::schema::NAME;
use crate::Result;

/// Which reading of the query an item matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Tier {
    /// Every word (every clause) of the query.
    AllWords,
    /// Some of the words only.
    SomeWords,
}

/// How one candidate sorts: tier, then score (or date first, when sorting by
/// date), then newest meeting, path and first line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RankKey {
    /// The tier (None for a listing without a query).
    pub tier: Option<Tier>,
    pub score: Score,
    /// Meeting date, seconds since the epoch.
    pub date: Option<i64>,
    pub line: u64,
    pub hash: Option<u64>,
    pub address: DocAddress,
}

/// What the order is decided on first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Primary {
    /// Tier, then score, then date.
    Relevance,
    /// Date, then tier and score.
    Date,
}

impl RankKey {
    /// The order of two candidates on all but path and line: less is better.
    fn cmp_primary(&self, other: &RankKey, primary: Primary) -> Ordering {
        let by_tier = self.tier.cmp(&other.tier);
        let by_score = other.score.total_cmp(&self.score);
        let by_date = other.date.cmp(&self.date);
        match primary {
            Primary::Relevance => by_tier.then(by_score).then(by_date),
            Primary::Date => by_date.then(by_tier).then(by_score),
        }
    }
}

/// Per-segment fast-field readers for ordering and collapsing candidates.
///
/// Dates, lines and content hashes are numeric columns, cheap to read for
/// every candidate. Paths sit in a compressed dictionary, so they are read
/// only to break ties on the primary key.
pub(crate) struct Columns<'a> {
    searcher: &'a tantivy::Searcher,
    segments: Vec<Option<SegmentColumns>>,
}

struct SegmentColumns {
    date: Option<tantivy::columnar::Column<tantivy::DateTime>>,
    path: Option<tantivy::columnar::StrColumn>,
    line: Option<tantivy::columnar::Column<u64>>,
    hash: Option<tantivy::columnar::Column<u64>>,
}

impl<'a> Columns<'a> {
    pub fn new(searcher: &'a tantivy::Searcher) -> Self {
        let segments = (0..searcher.segment_readers().len()).map(|_| None).collect();
        Columns { searcher, segments }
    }

    fn of(&mut self, segment: SegmentOrdinal) -> &SegmentColumns {
        let searcher = self.searcher;
        self.segments[segment as usize].get_or_insert_with(|| {
            let ff = searcher.segment_reader(segment).fast_fields();
            SegmentColumns {
                date: ff.date(NAME.meeting_date).ok(),
                path: ff.str(NAME.path).ok().flatten(),
                line: ff.u64(NAME.line_start).ok(),
                hash: ff.u64(NAME.content_hash).ok(),
            }
        })
    }

    /// The key of a candidate.
    pub fn key(&mut self, tier: Option<Tier>, score: Score, address: DocAddress) -> RankKey {
        let cols = self.of(address.segment_ord);
        let doc = address.doc_id;
        RankKey {
            tier,
            score,
            date: cols.date.as_ref().and_then(|c| c.first(doc)).map(|d| d.into_timestamp_secs()),
            line: cols.line.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
            hash: cols.hash.as_ref().and_then(|c| c.first(doc)),
            address,
        }
    }

    fn path(&mut self, address: DocAddress) -> String {
        let mut out = String::new();
        if let Some(col) = &self.of(address.segment_ord).path {
            if let Some(ord) = col.term_ords(address.doc_id).next() {
                let _ = col.ord_to_str(ord, &mut out);
            }
        }
        out
    }

    /// Orders candidates totally and keeps the best-placed copy of each text.
    /// Returns the ordered list and how many of its first entries are certain:
    /// when the candidates are a prefix of all the matches (`complete` false),
    /// those tied with the last candidate on the primary key may be followed
    /// by others not fetched, so only the entries before that tie are.
    pub fn order(&mut self, mut keys: Vec<RankKey>, primary: Primary, complete: bool) -> (Vec<RankKey>, usize) {
        keys.sort_by(|a, b| a.cmp_primary(b, primary));
        let cut = match (complete, keys.last()) {
            (false, Some(last)) => keys.iter().position(|k| k.cmp_primary(last, primary).is_eq()).unwrap_or(0),
            _ => keys.len(),
        };
        let mut ordered = Vec::with_capacity(keys.len());
        let mut start = 0;
        while start < keys.len() {
            // A run of candidates equal on the primary key, ordered by path and line.
            let end = start + keys[start..].iter().take_while(|k| keys[start].cmp_primary(k, primary).is_eq()).count();
            let mut run: Vec<(RankKey, String)> = keys[start..end].iter().map(|&k| (k, String::new())).collect();
            if run.len() > 1 {
                for (k, path) in &mut run {
                    *path = self.path(k.address);
                }
                run.sort_by(|(a, pa), (b, pb)| pa.cmp(pb).then(a.line.cmp(&b.line)));
            }
            ordered.extend(run.into_iter().map(|(k, _)| (k, start < cut)));
            start = end;
        }
        let mut seen = HashSet::new();
        let kept: Vec<(RankKey, bool)> =
            ordered.into_iter().filter(|(k, _)| k.hash.is_none_or(|h| seen.insert(h))).collect();
        let certain = kept.iter().take_while(|(_, c)| *c).count();
        (kept.into_iter().map(|(k, _)| k).collect(), certain)
    }
}

/// How much a procedural item's score counts when the query does not ask for one.
pub(crate) const BOILERPLATE_WEIGHT: f32 = 0.35;

/// How much a decision's score counts when decisions were not asked for: it is
/// a passage of minutes that are searched whole as well.
pub(crate) const DECISION_WEIGHT: f32 = 0.7;

/// Which items count less.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Demotion {
    /// Procedural items (guidance notes, apologies, declarations).
    pub boilerplate: bool,
    /// Decisions (they are passages of minutes, searched whole as well).
    pub decisions: bool,
}

/// Ranked matches (score, address), and how many items match in all where counted.
pub(crate) type Ranked = (Vec<(Score, DocAddress)>, Option<usize>);

/// The best `limit` matches of `query` by score, demoted as asked; with
/// `count`, also how many items match in all ([`DistinctCount`]), in the same
/// pass over the matches.
pub(crate) fn top_by_score(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    limit: usize,
    demote: Demotion,
    count: bool,
) -> Result<Ranked> {
    let collector = TopDocs::with_limit(limit.max(1)).tweak_score(move |segment: &SegmentReader| {
        let ff = segment.fast_fields();
        let boilerplate = if demote.boilerplate { ff.u64(NAME.boilerplate).ok() } else { None };
        let types = if demote.decisions { ff.str(NAME.item_type).ok().flatten() } else { None };
        let decision_ord = types.as_ref().and_then(|c| c.dictionary().term_ord("decision").ok().flatten());
        move |doc: DocId, score: Score| {
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
    });
    counted(searcher, query, collector, count)
}

/// The newest `limit` matches of `query`, the best first within a date (when
/// `scored`); with `count`, also how many items match in all.
pub(crate) fn top_by_date(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    limit: usize,
    scored: bool,
    count: bool,
) -> Result<Ranked> {
    if !scored {
        let newest =
            TopDocs::with_limit(limit.max(1)).order_by_fast_field::<tantivy::DateTime>(NAME.meeting_date, Order::Desc);
        let (found, total) = counted(searcher, query, newest, count)?;
        return Ok((found.into_iter().map(|(_, a)| (0.0, a)).collect(), total));
    }
    let newest = TopDocs::with_limit(limit.max(1)).order_by((
        (SortByStaticFastValue::<tantivy::DateTime>::for_field(NAME.meeting_date), Order::Desc),
        (SortBySimilarityScore, Order::Desc),
    ));
    let (found, total) = counted(searcher, query, newest, count)?;
    Ok((found.into_iter().map(|((_, score), a)| (score, a)).collect(), total))
}

/// Runs `collector`, and with `count` a [`DistinctCount`] beside it in the same pass.
fn counted<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    collector: C,
    count: bool,
) -> Result<(C::Fruit, Option<usize>)> {
    if count {
        let (total, found) = searcher.search(query, &(DistinctCount, collector))?;
        Ok((found, Some(total)))
    } else {
        Ok((searcher.search(query, &collector)?, None))
    }
}

/// Counts matching items, the same text published twice once.
pub(crate) struct DistinctCount;

/// The per-segment part of [`DistinctCount`].
pub(crate) struct SegmentDistinctCount {
    hashes: Option<tantivy::columnar::Column<u64>>,
    unhashed: usize,
    seen: Vec<u64>,
}

impl Collector for DistinctCount {
    type Fruit = usize;
    type Child = SegmentDistinctCount;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentDistinctCount> {
        let hashes = segment.fast_fields().u64(NAME.content_hash).ok();
        Ok(SegmentDistinctCount { hashes, unhashed: 0, seen: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<u64>)>) -> tantivy::Result<usize> {
        let mut all: Vec<u64> = Vec::with_capacity(fruits.iter().map(|(_, h)| h.len()).sum());
        let mut unhashed = 0;
        for (n, hashes) in fruits {
            unhashed += n;
            all.extend(hashes);
        }
        all.sort_unstable();
        all.dedup();
        Ok(unhashed + all.len())
    }
}

impl SegmentCollector for SegmentDistinctCount {
    type Fruit = (usize, Vec<u64>);

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.hashes.as_ref().and_then(|c| c.first(doc)) {
            Some(h) => self.seen.push(h),
            None => self.unhashed += 1,
        }
    }

    fn harvest(self) -> (usize, Vec<u64>) {
        (self.unhashed, self.seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(tier: Option<Tier>, score: f32, date: Option<i64>) -> RankKey {
        RankKey { tier, score, date, line: 0, hash: None, address: DocAddress::new(0, 0) }
    }

    #[test]
    fn tiers_come_before_scores_and_scores_before_dates() {
        let all_low = key(Some(Tier::AllWords), 1.0, Some(0));
        let some_high = key(Some(Tier::SomeWords), 9.0, Some(5));
        let all_high_old = key(Some(Tier::AllWords), 2.0, Some(0));
        let all_high_new = key(Some(Tier::AllWords), 2.0, Some(9));
        let mut keys = [some_high, all_low, all_high_old, all_high_new];
        keys.sort_by(|a, b| a.cmp_primary(b, Primary::Relevance));
        let got: Vec<(f32, Option<i64>)> = keys.iter().map(|k| (k.score, k.date)).collect();
        assert_eq!(got, vec![(2.0, Some(9)), (2.0, Some(0)), (1.0, Some(0)), (9.0, Some(5))]);
        keys.sort_by(|a, b| a.cmp_primary(b, Primary::Date));
        assert_eq!(keys[0].date, Some(9));
        assert_eq!(keys[1].date, Some(5));
        // Undated items come last when sorting by date.
        assert!(key(None, 0.0, None).cmp_primary(&key(None, 0.0, Some(-5)), Primary::Date).is_gt());
    }
}
