//! The machine-readable forms of search results: JSON lines and CSV, as
//! `search --format json|csv` prints them and the server's exports serve them.
//! One place for both, so the CLI and the API can never drift apart.
//!
//! # JSON lines
//! One object per hit: `{"type":"hit", "rank", "score", "tier"}` and the stored
//! item's fields at the top level ([`crate::record::StoredItem`]: "id", "path",
//! "line_start", "line_end", "title", "council", "committee", "meeting_date",
//! "item_type", ...), then "snippet": {"text", "highlights", "line", "page",
//! "pdf_page"}, "snippets", "expansions", "also_in"; with facets, one
//! `{"type":"facets", ...}` line; then one `{"type":"summary", "total",
//! "returned", "ignored", "warnings"}`. `highlights` are half-open UTF-8 byte
//! ranges into `snippet.text`, as `[start, end]` pairs. Missing values are
//! `null`. The format only ever gains fields.
//!
//! # CSV
//! A header row ([`CSV_HEADER`]), then one row per hit.
//!
//! This module writes to any [`Write`]; it never chooses where (the library
//! never prints).

use std::io::{self, Write};

use serde_json::json;

use crate::search::{SearchResults, Tier};

/// The columns of the CSV form, in order.
pub const CSV_HEADER: [&str; 18] = [
    "rank",
    "score",
    "id",
    "path",
    "line_start",
    "line_end",
    "title",
    "council",
    "committee",
    "meeting_date",
    "item_type",
    "agenda_item",
    "page_start",
    "page_end",
    "snippet_line",
    "snippet_page",
    "snippet",
    "tier",
];

/// Search results as JSON lines: hits, facets (if counted), then the summary.
pub fn json_lines(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    for hit in &results.hits {
        writeln!(out, "{}", typed_line("hit", serde_json::to_value(hit).map_err(io::Error::other)?))?;
    }
    if let Some(f) = &results.facets {
        writeln!(out, "{}", typed_line("facets", serde_json::to_value(f).map_err(io::Error::other)?))?;
    }
    writeln!(
        out,
        "{}",
        json!({"type": "summary", "total": results.total, "returned": results.hits.len(), "ignored": results.ignored, "warnings": results.warnings})
    )
}

/// `v` (an object) as one JSON line with `"type": kind` first, so the lines read well; the other keys keep their order.
pub fn typed_line(kind: &str, v: serde_json::Value) -> String {
    let serde_json::Value::Object(map) = v else { return v.to_string() };
    let mut s = format!("{{\"type\":{}", json!(kind));
    for (k, val) in &map {
        if k != "type" {
            s.push(',');
            s.push_str(&serde_json::Value::String(k.clone()).to_string());
            s.push(':');
            s.push_str(&val.to_string());
        }
    }
    s.push('}');
    s
}

/// Search results as CSV: a header row, then one row per hit.
pub fn csv(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER).map_err(io::Error::other)?;
    for h in &results.hits {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let num = |o: Option<u32>| o.map(|p| p.to_string()).unwrap_or_default();
        let (item, m) = (&h.item, &h.item.meta);
        let tier = match h.tier {
            Some(Tier::AllWords) => "all_words",
            Some(Tier::SomeWords) => "some_words",
            None => "",
        };
        w.write_record([
            h.rank.to_string(),
            format!("{:.4}", h.score),
            item.id.clone(),
            item.path.clone(),
            item.line_start.to_string(),
            item.line_end.to_string(),
            m.title.clone(),
            opt(&m.council),
            opt(&m.committee),
            m.meeting_date.map(|d| d.to_string()).unwrap_or_default(),
            m.item_type.as_str().to_string(),
            opt(&m.agenda_item),
            num(m.page_start),
            num(m.page_end),
            h.snippet.line.to_string(),
            num(h.snippet.page),
            h.snippet.text.clone(),
            tier.to_string(),
        ])
        .map_err(io::Error::other)?;
    }
    w.flush()
}
