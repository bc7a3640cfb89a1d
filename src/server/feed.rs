//! "Follow this search": an Atom feed (`/feed.atom`, the search page's
//! parameters) of the newest matching items, so any feed reader is an alert.
//!
//! Entries are the [`FEED_SIZE`] matching items of the most recent meetings,
//! newest first; each entry's id is the item's (stable across re-indexing and
//! moves), so a reader shows an item once, and papers that a later `index` run
//! adds appear at the next poll (the server follows new commits). An entry is
//! dated by its meeting. Document text is escaped, and characters XML cannot
//! carry (form feeds from PDFs, say) are dropped.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, ErrorAnswers};
use super::params::{self, Pairs};
use super::{bounded, AppState};
use crate::search::{Hit, SearchRequest, SearchResults, Sort};

/// Entries in a feed.
pub(crate) const FEED_SIZE: usize = 50;

/// The feed of a search.
#[utoipa::path(
    get,
    path = "/feed.atom",
    params(SearchRequest),
    responses(
        (status = 200, description = "An Atom feed of the newest matching items", body = String, content_type = "application/atom+xml"),
        ErrorAnswers,
    )
)]
pub(crate) async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = Pairs::parse(raw.as_deref());
    pairs.only(&[SearchRequest::NAMES])?;
    let request = params::search_request(&pairs)?;
    let mut opts = params::options(&request)?;
    (opts.sort, opts.limit) = (Sort::Date, FEED_SIZE);
    let results =
        bounded::run(&state, move |searcher| searcher.search(&opts).map_err(|e| ApiError::from_library(e, "q")))
            .await?;
    let base = base_url(&headers);
    let body = atom(&base, &request, &results);
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], body).into_response())
}

/// `http://host:port` as the request named it, where that is a plain host name.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let plain = !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    format!("http://{}", if plain { host } else { "localhost" })
}

/// What a feed is of, for its title.
fn describe(p: &SearchRequest) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(q) = p.q.as_deref().filter(|q| !q.trim().is_empty()) {
        parts.push(format!("“{q}”"));
    }
    for (k, v) in p.pairs().into_iter().filter(|(k, _)| *k != "q") {
        parts.push(format!("{k}: {v}"));
    }
    parts.join(", ")
}

/// The feed document.
fn atom(base: &str, p: &SearchRequest, results: &SearchResults) -> String {
    let query = params::query_string(p);
    let updated = results.hits.iter().filter_map(|h| h.item.meta.meeting_date).max();
    let updated = updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| format!("{d}T00:00:00Z"));
    let feed_id = blake3::hash(query.as_bytes()).to_hex()[..16].to_string();
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <id>urn:council-search:search:{feed_id}</id>\n"));
    out.push_str(&format!("  <title>{}</title>\n", xml(&format!("council-search: {}", describe(p)))));
    out.push_str("  <subtitle>The newest council papers matching this search.</subtitle>\n");
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml(&format!("{base}/feed.atom?{query}"))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&format!("{base}/?{query}"))
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n  <generator>council-search</generator>\n"));
    for hit in &results.hits {
        entry(&mut out, base, p, hit, &updated);
    }
    out.push_str("</feed>\n");
    out
}

/// One item as an entry.
fn entry(out: &mut String, base: &str, p: &SearchRequest, hit: &Hit, fallback: &str) {
    let item = &hit.item;
    let m = &item.meta;
    let q: Vec<(&str, String)> = p.q.iter().map(|q| ("q", q.clone())).collect();
    let link = super::html::href(&format!("{base}/items/{}", item.id), &q);
    let updated = m.meeting_date.map_or_else(|| fallback.to_string(), |d| format!("{d}T00:00:00Z"));
    let author = m.committee.as_deref().or(m.council.as_deref()).unwrap_or("council-search");
    let mut about: Vec<String> = Vec::new();
    about.extend(m.council.iter().cloned());
    about.extend(m.committee.iter().cloned());
    about.push(m.meeting_date.map_or_else(|| "undated".into(), |d| d.to_string()));
    about.push(m.item_type.as_str().to_string());
    let summary = format!("{}. {}", about.join(" · "), hit.snippet.text);
    let title = if m.title.is_empty() { "(untitled)" } else { &m.title };
    out.push_str("  <entry>\n");
    out.push_str(&format!("    <id>urn:council-search:item:{}</id>\n", xml(&item.id)));
    out.push_str(&format!("    <title>{}</title>\n", xml(title)));
    out.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", xml(&link)));
    out.push_str(&format!("    <updated>{updated}</updated>\n"));
    out.push_str(&format!("    <author><name>{}</name></author>\n", xml(author)));
    out.push_str(&format!("    <category term=\"{}\"/>\n", xml(m.item_type.as_str())));
    out.push_str(&format!("    <summary>{}</summary>\n", xml(&summary)));
    out.push_str("  </entry>\n");
}

/// Text fit for XML content and attributes: escaped, and without the
/// characters XML 1.0 cannot carry.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        assert_eq!(xml("a<b>&\"c'\x0c\u{FFFF}d"), "a&lt;b&gt;&amp;&quot;c&apos;d");
    }

    #[test]
    fn only_plain_host_names_make_links() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(base_url(&h), "http://127.0.0.1:8080");
        h.insert(header::HOST, "evil\"><x".parse().unwrap());
        assert_eq!(base_url(&h), "http://localhost");
    }
}
