//! Filters: exact terms and ranges on the keyword and numeric fields, from the
//! search options and from `field:value` clauses alike. Council and committee
//! names are forgiving (case, `&`/`and`, hyphens, a leading "the" or place
//! name); a name that matches nothing says so, with the nearest names the
//! index knows. Meeting dates take a day, a month or a year at either end.

use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::councils::Councils;
use super::query::Keyword;
use crate::paper::{self, ItemType};
use crate::record::codec;
use crate::schema::{Fields, NAME};
use crate::{Error, Result};

/// The first or last day a date bound stands for: `2019` is 2019-01-01 as a
/// start and 2019-12-31 as an end; `2019-06` is June's first or last day.
pub fn parse_date_bound(text: &str, end: bool) -> Option<NaiveDate> {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    match parts[..] {
        [y] => {
            let y = num(y, 4..=4)? as i32;
            if end {
                NaiveDate::from_ymd_opt(y, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(y, 1, 1)
            }
        }
        [y, m] => {
            let (y, m) = (num(y, 4..=4)? as i32, num(m, 1..=2)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            if !end {
                return Some(first);
            }
            let next =
                if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
            next.and_then(|n| n.pred_opt())
        }
        [y, m, d] => NaiveDate::from_ymd_opt(num(y, 4..=4)? as i32, num(m, 1..=2)?, num(d, 1..=2)?),
        _ => None,
    }
}

/// Builds filter queries against one searcher's index.
pub(crate) struct FilterBuilder<'a> {
    pub searcher: &'a tantivy::Searcher,
    pub fields: Fields,
    pub index: &'a tantivy::Index,
    /// The index's councils, one identity each.
    pub councils: &'a Councils,
    /// Committee aliases the user declared: alias -> name.
    pub committee_aliases: &'a std::collections::BTreeMap<String, String>,
}

impl FilterBuilder<'_> {
    fn term(&self, field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
    }

    /// A keyword field's value as a filter; a note where it matches nothing.
    pub fn keyword(&self, k: Keyword, value: &str, warnings: &mut Vec<String>) -> Box<dyn Query> {
        let f = self.fields;
        match k {
            Keyword::Type => self.term(f.item_type, value),
            Keyword::Council => self.council(value, warnings),
            Keyword::Committee => self.committee(value, warnings),
            Keyword::Item => self.term(f.agenda_item, value.trim()),
            Keyword::Id => self.term(f.id, value.trim()),
            Keyword::Format => self.term(f.format, &value.trim().to_ascii_lowercase()),
        }
    }

    /// Items of any of these types.
    pub fn item_types(&self, types: &[ItemType]) -> Box<dyn Query> {
        let any: Vec<Box<dyn Query>> = types.iter().map(|t| self.term(self.fields.item_type, t.as_str())).collect();
        Box::new(BooleanQuery::union(any))
    }

    /// The council filter: every council the name names by any of its
    /// names or aliases ([`Councils::matching`]); "Worcestershire" names
    /// "Worcestershire County Council" when no council is called just that.
    pub fn council(&self, name: &str, warnings: &mut Vec<String>) -> Box<dyn Query> {
        let matched = self.councils.matching(name);
        let keys: BTreeSet<&str> = matched.iter().flat_map(|c| c.keys()).collect();
        if keys.is_empty() {
            let known: Vec<String> = self.councils.all().iter().map(|c| c.name.clone()).collect();
            warnings.push(no_match("council", name, &known));
            return self.term(self.fields.council_key, &paper::normalise_council(name));
        }
        Box::new(BooleanQuery::union(keys.into_iter().map(|k| self.term(self.fields.council_key, k)).collect()))
    }

    /// The committee filter: a normalised name (a declared alias stands for its committee).
    pub fn committee(&self, name: &str, warnings: &mut Vec<String>) -> Box<dyn Query> {
        let key = paper::normalise_committee(name);
        let key = self
            .committee_aliases
            .iter()
            .find(|(alias, _)| paper::normalise_committee(alias) == key)
            .map_or(key, |(_, committee)| paper::normalise_committee(committee));
        let t = Term::from_field_text(self.fields.committee_key, &key);
        if self.searcher.doc_freq(&t).unwrap_or(0) == 0 {
            warnings.push(no_match("committee", name, &self.known_values(NAME.committee)));
        }
        self.term(self.fields.committee_key, &key)
    }

    /// Meetings from `from` to `to`, inclusive; either may be open.
    pub fn dates(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Option<Box<dyn Query>>> {
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(Error::BadInput(format!("--from {a} is after --to {b}")));
            }
        }
        if from.is_none() && to.is_none() {
            return Ok(None);
        }
        let f = self.fields.meeting_date;
        let bound = |d: Option<NaiveDate>| {
            d.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_date(f, codec::date_value(d))))
        };
        Ok(Some(Box::new(RangeQuery::new(bound(from), bound(to)))))
    }

    /// Items whose printed page range includes `page`.
    pub fn page(&self, page: u32) -> Vec<Box<dyn Query>> {
        let p = u64::from(page);
        let f = self.fields;
        vec![
            Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(Term::from_field_u64(f.page_start, p)))),
            Box::new(RangeQuery::new(Bound::Included(Term::from_field_u64(f.page_end, p)), Bound::Unbounded)),
        ]
    }

    /// Minutes whose attendance (present, apologies, also attending) names this person.
    pub fn attendee(&self, name: &str) -> Box<dyn Query> {
        let f = self.fields;
        let parser = QueryParser::for_index(self.index, vec![f.present, f.apologies, f.attending]);
        let phrase = format!("\"{}\"", name.replace(['"', '\\'], " "));
        parser.parse_query_lenient(&phrase).0
    }

    /// The distinct values of a string fast field, across segments, sorted.
    pub fn known_values(&self, field: &str) -> Vec<String> {
        let mut out = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
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
}

/// Everything but what `query` matches.
pub(crate) fn excluding(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, super::plan::materialized(query)),
    ]))
}

/// How many of the nearest known names a miss suggests.
const NEAREST: usize = 3;

/// The note for a filter value that matches nothing: the nearest names known.
fn no_match(what: &str, value: &str, known: &[String]) -> String {
    let near = nearest(value, known, NEAREST);
    if near.is_empty() {
        return format!("no {what} in the index matches {value:?} (the index names none)");
    }
    format!("no {what} in the index matches {value:?}; nearest: {}", near.join("; "))
}

/// The `n` names of `known` nearest to `value`, nearest first: by the words
/// they share, then by the similarity of their letters.
fn nearest(value: &str, known: &[String], n: usize) -> Vec<String> {
    let words = |s: &str| -> BTreeSet<String> {
        paper::normalise_committee(s).split_whitespace().map(str::to_string).collect()
    };
    let want = words(value);
    let lower = value.to_lowercase();
    let mut scored: Vec<(f64, &String)> = known
        .iter()
        .map(|k| {
            let have = words(k);
            let shared = want.intersection(&have).count() as f64 / want.union(&have).count().max(1) as f64;
            (shared + strsim::jaro_winkler(&lower, &k.to_lowercase()) / 2.0, k)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, k)| k.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds_take_a_year_a_month_or_a_day() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date_bound("2019", false), d(2019, 1, 1));
        assert_eq!(parse_date_bound("2019", true), d(2019, 12, 31));
        assert_eq!(parse_date_bound("2019-06", true), d(2019, 6, 30));
        assert_eq!(parse_date_bound("2020-02", true), d(2020, 2, 29));
        assert_eq!(parse_date_bound("2019-12", true), d(2019, 12, 31));
        assert_eq!(parse_date_bound(" 2019-6-5 ", false), d(2019, 6, 5));
        for bad in ["2019-13", "2019-02-30", "19", "june", "2019/06", "", "2019-06-01-02", "+2019"] {
            assert_eq!(parse_date_bound(bad, false), None, "{bad}");
        }
    }

    #[test]
    fn a_miss_names_the_nearest_three() {
        let known: Vec<String> = [
            "Home and Social Development Strategic Policy Committee",
            "Travel and Transportation Strategic Policy Committee",
            "Somerset Health and Wellbeing Board",
            "Cabinet",
            "Audit Committee",
        ]
        .map(String::from)
        .to_vec();
        let near = nearest("home & social development SPC", &known, 3);
        assert_eq!(near.len(), 3);
        assert_eq!(near[0], "Home and Social Development Strategic Policy Committee");
        assert_eq!(nearest("helth and wellbeing", &known, 1), vec!["Somerset Health and Wellbeing Board".to_string()]);
    }
}
