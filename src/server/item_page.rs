//! The item page (`/items/{id}`): the whole item with every match of the
//! search highlighted and numbered (`#m1`, `#m2`, ...) for next/previous
//! navigation, the other papers of its meeting, similar items, and a link to
//! the source paper (a PDF opened at the item's page).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use std::ops::Range;

use axum::response::Response;
use maud::{html, Markup};

use super::error::ApiError;
use super::html::{self, href};
use super::meetings;
use super::params::{self, Highlight, Pairs};
use super::{bounded, AppState};
use crate::extract::Format;
use crate::record::StoredItem;
use crate::search::Meeting;
use crate::search::{SearchResults, ShownItem};

/// Most match links listed (the buttons reach every match).
const MAX_MATCH_LINKS: usize = 100;
/// Papers of the meeting listed.
const MAX_MEETING_LINKS: usize = 60;

/// What one item page shows.
struct Shown {
    shown: ShownItem,
    similar: SearchResults,
    meeting: Option<Meeting>,
}

/// `GET /items/{id}`.
pub(crate) async fn page(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    match render(&state, id, raw).await {
        Ok(markup) => html::page(markup),
        Err(e) => html::error_page(e),
    }
}

async fn render(
    state: &AppState,
    id: Result<Path<String>, PathRejection>,
    raw: Option<String>,
) -> Result<Markup, ApiError> {
    let pairs = Pairs::parse(raw.as_deref());
    pairs.only(&[Highlight::NAMES])?;
    let Path(id) = id.map_err(|_| ApiError::not_found("no such item"))?;
    let id = params::item_id(&id)?.to_string();
    let highlight = Highlight::from_pairs(&pairs)?;
    let q = highlight.q.clone();
    let found = bounded::run(state, move |searcher| {
        let shown = searcher.show(&id, q.as_deref()).map_err(|e| ApiError::from_library(e, "q"))?;
        let similar = searcher.similar(&id, 5).map_err(|e| ApiError::from_library(e, "id"))?;
        let meeting = meetings::of_item(searcher, &shown.item)?;
        Ok(Shown { shown, similar, meeting })
    })
    .await?;
    let query = highlight.q.unwrap_or_default();
    let item = &found.shown.item;
    let title = if item.meta.title.is_empty() { "(untitled)" } else { &item.meta.title };
    let back: Vec<(&str, String)> = if query.is_empty() { Vec::new() } else { vec![("q", query.clone())] };
    let main = html! {
        div.item-layout {
            article.item aria-labelledby="item-title" {
                p.back { a href=(href("/", &back)) { "‹ Back to the search" } }
                h1 #item-title { (title) }
                (html::meta_line(&item.meta))
                p.where {
                    code.path { (item.path) ":" (item.line_start) "–" (item.line_end) }
                    " · " a.source href=(source_link(&found.shown)) { (source_label(item.format)) }
                    @if let Some(url) = &item.meta.source_url { " · published at " code { (url) } }
                }
                (match_nav(matches(item.body(), &found.shown.highlights).len()))
                (text(&found.shown))
            }
            aside.related {
                @if let Some(m) = &found.meeting { (meeting(m, &item.id, &back)) }
                (similar(&found.similar, &back))
            }
        }
    };
    Ok(html::layout(title, html! {}, &query, main))
}

/// Where the source paper is: a PDF at the page of the first match (else of the item).
fn source_link(shown: &ShownItem) -> String {
    let item = &shown.item;
    let base = format!("/items/{}/source", item.id);
    if item.format != Format::Pdf {
        return base;
    }
    let first_line = shown
        .highlights
        .first()
        .map(|r| item.line_start + shown.item.body()[..r.start.min(item.body().len())].matches('\n').count());
    match first_line.and_then(|l| item.pdf_page_of_line(l)).or(item.pdf_page_start) {
        Some(page) => format!("{base}#page={page}"),
        None => base,
    }
}

fn source_label(format: Format) -> &'static str {
    match format {
        Format::Pdf => "Open the PDF at this page",
        _ => "The whole paper, as text",
    }
}

/// "Match k of n" with previous and next buttons (made live by the script),
/// and a link to each match, which works without it.
fn match_nav(n: usize) -> Markup {
    html! {
        @if n > 0 {
            nav.matches aria-label="Matches" data-count=(n) {
                button type="button" data-step="-1" aria-keyshortcuts="p" { "‹ Previous match" }
                span.position aria-live="polite" { (n) " match" @if n > 1 { "es" } }
                button type="button" data-step="1" aria-keyshortcuts="n" { "Next match ›" }
                details.all-matches {
                    summary { "All matches" }
                    ol { @for k in 1..=n.min(MAX_MATCH_LINKS) { li { a href={ "#m" (k) } { "Match " (k) } } } }
                }
            }
        }
    }
}

/// The matches to number: the highlighted words, with words of one phrase
/// (highlights apart by spaces alone) joined, so "next" goes phrase by phrase.
fn matches(body: &str, highlights: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in highlights {
        match out.last_mut() {
            Some(last)
                if last.end <= r.start
                    && body
                        .get(last.end..r.start)
                        .is_some_and(|gap| !gap.is_empty() && gap.bytes().all(|b| b == b' ')) =>
            {
                last.end = r.end;
            }
            _ => out.push(r.clone()),
        }
    }
    out
}

/// The item's text, line by line with its source line numbers, every match marked.
fn text(shown: &ShownItem) -> Markup {
    let body = shown.item.body();
    let mut marks = 0usize;
    let joined = matches(body, &shown.highlights);
    let mut ranges = joined.iter().peekable();
    let mut start = 0;
    let mut lines = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let end = start + line.len();
        let mut here = Vec::new();
        while let Some(r) = ranges.next_if(|r| r.start < end || (r.start == end && r.end == end)) {
            if r.start >= start && r.end <= end {
                here.push(r.start - start..r.end - start);
            }
        }
        lines.push((shown.item.line_start + i, line, here));
        start = end + 1;
    }
    html! {
        div.text role="document" aria-label="The item's text" {
            @for (n, line, here) in &lines {
                div.line id={ "L" (n) } {
                    a.ln href={ "#L" (n) } aria-hidden="true" tabindex="-1" { (n) }
                    span.t { (html::highlighted(line, here, Some(&mut marks))) }
                }
            }
        }
    }
}

/// The other papers of the item's meeting, in agenda order.
fn meeting(m: &Meeting, current: &str, back: &[(&str, String)]) -> Markup {
    let items: Vec<&StoredItem> = m.papers.iter().flat_map(|p| &p.items).collect();
    html! {
        section.meeting aria-labelledby="meeting-heading" {
            h2 #meeting-heading { "This meeting" }
            p.meeting-of {
                @if let Some(c) = &m.committee { (c) }
                @if let Some(d) = m.meeting_date { ", " (d.format("%-d %B %Y").to_string()) }
                " · " a href=(format!("/api/meetings/{}", m.meeting_id)) { "JSON" }
            }
            ol {
                @for it in items.iter().take(MAX_MEETING_LINKS) {
                    li {
                        @if it.id == current { strong aria-current="page" { (it.meta.title) } }
                        @else { a href=(href(&format!("/items/{}", it.id), back)) { (it.meta.title) } }
                        " " span.kind { (it.meta.item_type.as_str().replace('_', " ")) }
                    }
                }
            }
            @if items.len() > MAX_MEETING_LINKS { p { "and " (items.len() - MAX_MEETING_LINKS) " more" } }
        }
    }
}

/// Items most like this one.
fn similar(r: &SearchResults, back: &[(&str, String)]) -> Markup {
    html! {
        @if !r.hits.is_empty() {
            section.similar aria-labelledby="similar-heading" {
                h2 #similar-heading { "Similar items" }
                ol {
                    @for h in &r.hits {
                        li {
                            a href=(href(&format!("/items/{}", h.item.id), back)) { (h.item.meta.title) }
                            (html::meta_line(&h.item.meta))
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_a_phrase_are_one_match() {
        let body = "domestic abuse and domestic\nabuse";
        let words = [0..8, 9..14, 19..27, 28..33];
        assert_eq!(matches(body, &words), vec![0..14, 19..27, 28..33]);
    }
}
