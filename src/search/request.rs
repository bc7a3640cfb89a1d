//! A search as data: the query and every filter as a person writes them
//! (dates as typed, item types by name). It is what a search page's URL, a
//! saved search (`watch`) and the API carry, with the CLI's flag names (the
//! query is `q`). [`SearchRequest::options`] checks it and resolves it into
//! [`SearchOptions`], naming the field at fault; paging, and limits on what a
//! caller accepts (a server's cap on a query's length), are the caller's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{filters::parse_date_bound, SearchOptions, Sort};
use crate::paper::ItemType;
use crate::Error;

/// The query and every filter of one search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SearchRequest {
    /// The query, in the query language of `council-search search` (words,
    /// "phrases", OR, -word, field:value, prefix*, word~1). Empty: the items
    /// the filters select, newest first.
    #[cfg_attr(feature = "server", param(max_length = 1000))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Council (forgiving: case, punctuation, a leading "the").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council: Option<String>,
    /// Committee (forgiving: case, & or and, hyphens, a leading "the" or place name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
    /// Item types; repeat the parameter for several.
    #[cfg_attr(feature = "server", param(rename = "type", style = Form, explode, inline))]
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub item_type: Option<Vec<ItemType>>,
    /// Meetings on or after this date: YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY) from its first day.
    #[cfg_attr(feature = "server", param(pattern = r"^([0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?)?$"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Meetings on or before this date: YYYY-MM-DD, or a month or year to its last day.
    #[cfg_attr(feature = "server", param(pattern = r"^([0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?)?$"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Agenda item, as printed (5, 5a, 7.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// A printed page the item spans.
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 100000))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Minutes of meetings this person attended or sent apologies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee: Option<String>,
    /// Only items with every word of the query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    /// Order: relevance (the default) or date (newest meeting first).
    #[cfg_attr(feature = "server", param(inline))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<Sort>,
}

/// A field of a request that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field (parameter) name, as in [`SearchRequest::NAMES`].
    pub field: &'static str,
    /// What is wrong, for people.
    pub message: String,
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Error {
        Error::BadInput(format!("{}: {}", e.field, e.message))
    }
}

impl SearchRequest {
    /// The field names, in the order URLs are written.
    pub const NAMES: &'static [&'static str] =
        &["q", "council", "committee", "type", "from", "to", "item", "page", "attendee", "all", "sort"];

    /// The date bounds, checked: real dates, the range the right way round.
    pub fn dates(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), FieldError> {
        let bound = |field: &'static str, v: &Option<String>, end: bool| {
            v.as_deref()
                .map(|v| {
                    parse_date_bound(v, end).ok_or_else(|| FieldError {
                        field,
                        message: format!("{v:?} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
                    })
                })
                .transpose()
        };
        let (from, to) = (bound("from", &self.from, false)?, bound("to", &self.to, true)?);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(FieldError { field: "to", message: format!("{t} is before the start date {f}") });
            }
        }
        Ok((from, to))
    }

    /// True when nothing is asked: no query and no filter.
    pub fn is_empty(&self) -> bool {
        self.q.as_deref().is_none_or(|q| q.trim().is_empty()) && self.filter_count() == 0
    }

    /// How many filters are set.
    pub fn filter_count(&self) -> usize {
        [&self.council, &self.committee, &self.from, &self.to, &self.item, &self.attendee]
            .iter()
            .filter(|v| v.is_some())
            .count()
            + usize::from(self.item_type.is_some())
            + usize::from(self.page.is_some())
    }

    /// The library's options for this search (limit, offset and facets left at their defaults).
    pub fn options(&self) -> Result<SearchOptions, FieldError> {
        let (from, to) = self.dates()?;
        Ok(SearchOptions {
            query: self.q.clone().unwrap_or_default(),
            all_words: self.all.unwrap_or(false),
            council: self.council.clone(),
            committee: self.committee.clone(),
            item_types: self.item_type.clone().unwrap_or_default(),
            from,
            to,
            agenda_item: self.item.clone(),
            page: self.page,
            sort: self.sort.unwrap_or_default(),
            attendee: self.attendee.clone(),
            ..SearchOptions::default()
        })
    }

    /// The request as `(name, value)` pairs in [`Self::NAMES`] order, absent
    /// fields left out: a URL's query string, or a line for people.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let texts = [("q", &self.q), ("council", &self.council), ("committee", &self.committee)];
        out.extend(texts.into_iter().filter_map(|(k, v)| Some((k, v.clone()?))));
        out.extend(self.item_type.iter().flatten().map(|t| ("type", t.as_str().to_string())));
        let rest = [
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("item", self.item.clone()),
            ("page", self.page.map(|p| p.to_string())),
            ("attendee", self.attendee.clone()),
            ("all", self.all.filter(|a| *a).map(|_| "true".to_string())),
            ("sort", self.sort.filter(|s| *s == Sort::Date).map(|_| "date".to_string())),
        ];
        out.extend(rest.into_iter().filter_map(|(k, v)| Some((k, v?))));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_fields_are_named() {
        let field = |r: SearchRequest| r.options().unwrap_err().field;
        assert_eq!(field(SearchRequest { from: Some("2023-02-30".into()), ..Default::default() }), "from");
        assert_eq!(
            field(SearchRequest { from: Some("2020".into()), to: Some("2019".into()), ..Default::default() }),
            "to"
        );
    }

    #[test]
    fn a_request_reads_back_from_json() {
        let r = SearchRequest {
            q: Some("domestic abuse".into()),
            item_type: Some(vec![ItemType::Minutes]),
            from: Some("2017".into()),
            sort: Some(Sort::Date),
            ..Default::default()
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"q":"domestic abuse","type":["minutes"],"from":"2017","sort":"date"}"#);
        assert_eq!(serde_json::from_str::<SearchRequest>(&json).unwrap(), r);
    }
}
