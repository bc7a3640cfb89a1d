//! Request parameters: one parser for the query string of every route, into
//! typed parameter sets that are also the OpenAPI document's (they derive
//! `IntoParams`), so what is documented is what is parsed.
//!
//! The names are the CLI's flags (`council`, `committee`, `type`, `from`,
//! `to`, `item`, `page`, `attendee`, `all`, `sort`, `limit`, `offset`,
//! `facets`), with the query as `q`. Every parameter is checked: an unknown
//! name, a repeated one, a value out of range or of the wrong form is a 400
//! naming it. An empty text or date counts as absent, as forms send them;
//! numbers, switches and choices must be given whole.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;
use crate::paper::ItemType;
use crate::search::{FieldError, SearchOptions, SearchRequest, Sort};
/// Longest query accepted, in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 1000;
/// Most hits one API page returns.
pub(crate) const MAX_LIMIT: usize = 100;
/// Furthest a page may start.
pub(crate) const MAX_OFFSET: usize = 10_000;
/// Most rows one export returns.
pub(crate) const MAX_EXPORT: usize = 1000;
/// Most similar items returned.
pub(crate) const MAX_SIMILAR: usize = 50;

/// The query string, decoded.
pub(crate) struct Pairs(Vec<(String, String)>);

impl Pairs {
    /// Decodes a raw query string (absent: no parameters).
    pub fn parse(raw: Option<&str>) -> Pairs {
        Pairs(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Refuses any parameter not among `known`.
    pub fn only(&self, known: &[&[&str]]) -> Result<(), ApiError> {
        match self.0.iter().find(|(k, _)| !known.iter().any(|set| set.contains(&k.as_str()))) {
            Some((k, _)) => {
                let names: Vec<&str> = known.iter().flat_map(|s| s.iter().copied()).collect();
                Err(ApiError::bad(k, format!("unknown parameter {k:?}; this route takes {}", names.join(", "))))
            }
            None => Ok(()),
        }
    }

    /// The values of `name`, in order.
    fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The one value of `name`, if given; twice is an error.
    fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.all(name)[..] {
            [] => Ok(None),
            [v] => Ok(Some(v)),
            _ => Err(ApiError::bad(name, format!("{name} is given more than once"))),
        }
    }

    /// A text value; empty (as a form sends an empty field) is absent.
    fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        Ok(self.one(name)?.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string))
    }

    /// A whole number within `lo..=hi`.
    fn number<T: FromStr + PartialOrd + std::fmt::Display + Copy>(
        &self,
        name: &str,
        lo: T,
        hi: T,
    ) -> Result<Option<T>, ApiError> {
        let Some(v) = self.one(name)? else { return Ok(None) };
        match v.trim().parse::<T>() {
            Ok(n) if n >= lo && n <= hi => Ok(Some(n)),
            _ => Err(ApiError::bad(name, format!("{name} must be a whole number from {lo} to {hi}, not {v:?}"))),
        }
    }

    fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::bad(name, format!("{name} must be true or false, not {v:?}"))),
        }
    }

    fn choice<T>(&self, name: &str, parse: impl Fn(&str) -> Option<T>, names: &str) -> Result<Option<T>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(v) => parse(v)
                .map(Some)
                .ok_or_else(|| ApiError::bad(name, format!("{name} must be one of {names}, not {v:?}"))),
        }
    }
}

/// The search of a query string: the query and every filter, checked.
pub(crate) fn search_request(p: &Pairs) -> Result<SearchRequest, ApiError> {
    let mut item_type = Vec::new();
    for v in p.all("type") {
        let t = ItemType::parse(v).ok_or_else(|| {
            ApiError::bad("type", format!("unknown item type {v:?}; use one of {}", crate::search::type_names()))
        })?;
        if !item_type.contains(&t) {
            item_type.push(t);
        }
    }
    let request = SearchRequest {
        q: p.one("q")?.filter(|q| !q.trim().is_empty()).map(str::to_string),
        council: p.text("council")?,
        committee: p.text("committee")?,
        item_type: (!item_type.is_empty()).then_some(item_type),
        from: p.text("from")?,
        to: p.text("to")?,
        item: p.text("item")?,
        page: p.number("page", 1, 100_000)?,
        attendee: p.text("attendee")?,
        all: p.boolean("all")?,
        sort: p.choice("sort", parse_sort, "relevance, date")?,
    };
    if request.q.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(ApiError::bad("q", format!("the query is longer than {MAX_QUERY_CHARS} characters")));
    }
    request.dates().map_err(field_error)?;
    Ok(request)
}

/// A request's field error as a 400 naming the parameter.
pub(crate) fn field_error(e: FieldError) -> ApiError {
    ApiError::bad(e.field, format!("{}: {}", e.field, e.message))
}

/// The options of a checked request.
pub(crate) fn options(r: &SearchRequest) -> Result<SearchOptions, ApiError> {
    r.options().map_err(field_error)
}

/// A request as a query string (`a=b&c=d`, no leading `?`).
pub(crate) fn query_string(r: &SearchRequest) -> String {
    encode(&r.pairs())
}

/// URL pairs as a query string.
pub(crate) fn encode(pairs: &[(&str, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

fn parse_sort(v: &str) -> Option<Sort> {
    match v {
        "relevance" => Some(Sort::Relevance),
        "date" => Some(Sort::Date),
        _ => None,
    }
}

/// Which page of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Hits to return (0: only count the matches). Default 10.
    #[param(minimum = 0, maximum = 100)]
    pub limit: Option<usize>,
    /// Hits to skip first. Default 0.
    #[param(minimum = 0, maximum = 10000)]
    pub offset: Option<usize>,
}

impl Paging {
    /// The parameter names.
    pub const NAMES: &'static [&'static str] = &["limit", "offset"];

    /// The paging of a query string; `max` caps the limit, `default` is used without one.
    pub fn from_pairs(p: &Pairs, max: usize, default: usize) -> Result<(usize, usize), ApiError> {
        let limit = p.number("limit", 0, max)?.unwrap_or(default);
        let offset = p.number("offset", 0, MAX_OFFSET)?.unwrap_or(0);
        Ok((limit, offset))
    }
}

/// Which rows of the results an export writes (parsed by [`Paging::from_pairs`]
/// with the export's cap; this type documents it).
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportPaging {
    /// Rows to write, at most 1000. Default 1000.
    #[param(minimum = 0, maximum = 1000)]
    pub limit: Option<usize>,
    /// Rows to skip first. Default 0.
    #[param(minimum = 0, maximum = 10000)]
    pub offset: Option<usize>,
}

/// A count of the matches per period, for the histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Histogram {
    /// Per year.
    Year,
    /// Per month.
    Month,
}

/// What `/api/search` counts beside the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Counts {
    /// Also count the matches by council, committee, item type and year.
    pub facets: Option<bool>,
    /// Also count the matches per year or month.
    #[param(inline)]
    pub histogram: Option<Histogram>,
}

impl Counts {
    /// The parameter names.
    pub const NAMES: &'static [&'static str] = &["facets", "histogram"];

    /// The counts asked for in a query string.
    pub fn from_pairs(p: &Pairs) -> Result<Counts, ApiError> {
        let histogram = p.choice(
            "histogram",
            |v| match v {
                "year" => Some(Histogram::Year),
                "month" => Some(Histogram::Month),
                _ => None,
            },
            "year, month",
        )?;
        Ok(Counts { facets: p.boolean("facets")?, histogram })
    }
}

/// Words to highlight in one item.
#[derive(Debug, Clone, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Highlight {
    /// The query whose words to highlight (at most 1000 characters).
    #[param(max_length = 1000)]
    pub q: Option<String>,
}

impl Highlight {
    /// The parameter names.
    pub const NAMES: &'static [&'static str] = &["q"];

    /// The words to highlight in a query string.
    pub fn from_pairs(p: &Pairs) -> Result<Highlight, ApiError> {
        let q = p.one("q")?.map(str::to_string);
        if q.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
            return Err(ApiError::bad("q", format!("the query is longer than {MAX_QUERY_CHARS} characters")));
        }
        Ok(Highlight { q })
    }
}

/// How many similar items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarLimit {
    /// Items to return, 1 to 50. Default 10.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
}

impl SimilarLimit {
    /// The parameter names.
    pub const NAMES: &'static [&'static str] = &["limit"];

    /// The limit in a query string.
    pub fn from_pairs(p: &Pairs) -> Result<usize, ApiError> {
        Ok(p.number("limit", 1, MAX_SIMILAR)?.unwrap_or(10))
    }
}

/// An item id as routes take it: 16 hex digits. Anything else names no item.
pub(crate) fn item_id(raw: &str) -> Result<&str, ApiError> {
    if raw.len() == 16 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(raw)
    } else {
        Err(ApiError::not_found(format!("no item with id {:?}", raw.chars().take(40).collect::<String>())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<SearchRequest, ApiError> {
        search_request(&Pairs::parse(Some(q)))
    }

    #[test]
    fn a_search_round_trips_through_its_url() {
        let p = parse("q=domestic+abuse&type=minutes&type=report&from=2017&to=2018-06&sort=date&all=true").unwrap();
        assert_eq!(p.item_type, Some(vec![ItemType::Minutes, ItemType::Report]));
        assert_eq!(parse(&query_string(&p)).unwrap(), p);
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let param = |q: &str| parse(q).unwrap_err().body.parameter.unwrap();
        assert_eq!(param("type=memo"), "type");
        assert_eq!(param("from=2023-02-30"), "from");
        assert_eq!(param("from=2020&to=2019"), "to");
        assert_eq!(param("sort=best"), "sort");
        assert_eq!(param("page=0"), "page");
        assert_eq!(param("all=yes"), "all");
        assert_eq!(param("q=a&q=b"), "q");
        assert_eq!(param(&format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1))), "q");
        let unknown = Pairs::parse(Some("colour=red")).only(&[SearchRequest::NAMES]).unwrap_err();
        assert_eq!(unknown.body.parameter.as_deref(), Some("colour"));
    }

    #[test]
    fn empty_texts_are_absent_but_empty_numbers_are_not() {
        assert_eq!(parse("q=&council=&from=&to=&item=").unwrap(), SearchRequest::default());
        assert_eq!(parse("page=").unwrap_err().body.parameter.as_deref(), Some("page"));
        assert_eq!(parse("sort=").unwrap_err().body.parameter.as_deref(), Some("sort"));
        assert_eq!(parse("type=").unwrap_err().body.parameter.as_deref(), Some("type"));
    }

    #[test]
    fn ids_are_sixteen_hex_digits() {
        assert!(item_id("0123456789abcdef").is_ok());
        assert!(item_id("../../etc/passwd").is_err());
        assert!(item_id("0123456789abcdeg").is_err());
    }
}
