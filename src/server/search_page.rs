//! The search page (`/`): the search box with its filters, facet counts that
//! filter on click, a histogram of the matches over time that narrows to a
//! year and then a month, ranked hits with highlighted snippets, paging, the
//! exports and the feed of the same search. The whole search is in the URL.
//! With nothing asked, the page introduces the index and the query language.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::Datelike;
use maud::{html, Markup};

use super::error::ApiError;
use super::html::{self, href};
use super::params::{self, Paging, Pairs, MAX_EXPORT, MAX_LIMIT};
use super::{bounded, AppState};
use crate::paper::ItemType;
use crate::search::{query, Hit, IndexSummary, SearchRequest, SearchResults, Timeline};

/// Hits on one page.
const PAGE_SIZE: usize = 10;

/// What one search page shows.
struct Found {
    results: SearchResults,
    timeline: Timeline,
    /// The histogram is per month of this year (else per year).
    monthly: Option<i32>,
}

/// `GET /`.
pub(crate) async fn page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    match render(&state, raw).await {
        Ok(markup) => html::page(markup),
        Err(e) => html::error_page(e),
    }
}

async fn render(state: &AppState, raw: Option<String>) -> Result<Markup, ApiError> {
    let pairs = Pairs::parse(raw.as_deref());
    pairs.only(&[SearchRequest::NAMES, Paging::NAMES])?;
    let request = params::search_request(&pairs)?;
    let (limit, offset) = Paging::from_pairs(&pairs, MAX_LIMIT, PAGE_SIZE)?;
    let live = Arc::clone(&state.live);
    let summary = bounded::run(state, move |_| live.summary().map_err(|e| ApiError::from_library(e, "index"))).await?;
    let query = request.q.clone().unwrap_or_default();
    if request.is_empty() {
        return Ok(html::layout(
            "Search",
            html! {},
            &query,
            html! { (filters(&request, &summary)) (landing(&summary)) },
        ));
    }
    let mut opts = params::options(&request)?;
    (opts.limit, opts.offset, opts.facets) = (limit.max(1), offset, true);
    let (from, to) = request.dates().map_err(params::field_error)?;
    let monthly = match (from, to) {
        (Some(f), Some(t)) if f.year() == t.year() => Some(f.year()),
        _ => None,
    };
    let found = bounded::run(state, move |searcher| {
        let results = searcher.search(&opts).map_err(|e| ApiError::from_library(e, "q"))?;
        let timeline = searcher.timeline(&opts, monthly.is_some()).map_err(|e| ApiError::from_library(e, "q"))?;
        Ok(Found { results, timeline, monthly })
    })
    .await?;
    let title = if query.is_empty() { "Filtered papers".to_string() } else { query.clone() };
    let feed = href("/feed.atom", &request.pairs());
    let head = html! { link rel="alternate" type="application/atom+xml" title="Follow this search" href=(feed); };
    let main = html! {
        (filters(&request, &summary))
        div.results-layout {
            section.results aria-labelledby="results-heading" {
                (summary_line(&request, &found.results, offset))
                (notes(&found.results))
                (histogram(&request, &found))
                (hit_list(&request, &found.results.hits, offset))
                (pager(&request, found.results.total, limit, offset))
                (follow(&request))
            }
            @if let Some(f) = &found.results.facets { (facets(&request, f)) }
        }
    };
    Ok(html::layout(&title, head, &query, main))
}

/// The filters, in a form of their own that carries the query along.
fn filters(p: &SearchRequest, summary: &IndexSummary) -> Markup {
    let types = p.item_type.clone().unwrap_or_default();
    let open = p.filter_count() > 0 || p.is_empty();
    html! {
        form.filters action="/" method="get" aria-label="Filters" {
            input type="hidden" name="q" value=[p.q.as_deref()];
            details open[open] {
                summary { "Filters" @if p.filter_count() > 0 { " (" (p.filter_count()) ")" } }
                div.filter-grid {
                    label { "Council" input name="council" list="councils" value=[p.council.as_deref()]; }
                    label { "Committee" input name="committee" list="committees" value=[p.committee.as_deref()]; }
                    label { "From" input name="from" inputmode="numeric" placeholder="YYYY-MM-DD" pattern="[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?" value=[p.from.as_deref()]; }
                    label { "To" input name="to" inputmode="numeric" placeholder="YYYY-MM-DD" pattern="[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?" value=[p.to.as_deref()]; }
                    label { "Agenda item" input name="item" size="6" value=[p.item.as_deref()]; }
                    label { "Attendee" input name="attendee" value=[p.attendee.as_deref()]; }
                    label { "Order"
                        select name="sort" {
                            option value="relevance" { "Best match" }
                            option value="date" selected[p.sort == Some(crate::search::Sort::Date)] { "Newest meeting" }
                        }
                    }
                    label.check { input type="checkbox" name="all" value="true" checked[p.all == Some(true)]; "Every word" }
                }
                fieldset.types {
                    legend { "Type" }
                    @for t in ItemType::ALL {
                        label.check { input type="checkbox" name="type" value=(t.as_str()) checked[types.contains(&t)]; (t.as_str().replace('_', " ")) }
                    }
                }
                @if let Some(page) = p.page { input type="hidden" name="page" value=(page); }
                button type="submit" { "Apply filters" }
                " " a href=(href("/", &only_query(p))) { "Clear filters" }
            }
            datalist #councils { @for (c, _) in &summary.councils { option value=(c) {} } }
            datalist #committees { @for (c, _) in &summary.committees { option value=(c) {} } }
        }
    }
}

/// The search's query alone, no filters.
fn only_query(p: &SearchRequest) -> Vec<(&'static str, String)> {
    p.q.iter().map(|q| ("q", q.clone())).collect()
}

/// What the index holds, and how to ask it.
fn landing(summary: &IndexSummary) -> Markup {
    html! {
        section.landing {
            h1 { "Search council papers" }
            p {
                (summary.items) " items from " (summary.files) " papers"
                @if let (Some(a), Some(b)) = (&summary.first_meeting, &summary.last_meeting) { ", meetings from " (a) " to " (b) }
                ": " (summary.councils.len()) " councils, " (summary.committees.len()) " committees."
            }
            (help_table())
        }
    }
}

/// The query language, by example.
pub(crate) fn help_table() -> Markup {
    html! {
        section #help aria-labelledby="help-heading" {
            h2 #help-heading { "The query language" }
            table.help {
                thead { tr { th scope="col" { "Type" } th scope="col" { "to find" } } }
                tbody { @for (q, meaning) in query::HELP { tr { td { code { (q) } } td { (meaning) } } } }
            }
            p { (query::HELP_NOTES) " " a href="/api/openapi.json" { "The JSON API" } " takes the same parameters as this page." }
        }
    }
}

/// "N matching items", with the active filters, each removable.
fn summary_line(p: &SearchRequest, r: &SearchResults, offset: usize) -> Markup {
    let mut chips: Vec<(String, SearchRequest)> = Vec::new();
    let mut without = |label: String, f: &dyn Fn(&mut SearchRequest)| {
        let mut q = p.clone();
        f(&mut q);
        chips.push((label, q));
    };
    if let Some(c) = &p.council {
        without(format!("council: {c}"), &|q| q.council = None);
    }
    if let Some(c) = &p.committee {
        without(format!("committee: {c}"), &|q| q.committee = None);
    }
    for t in p.item_type.iter().flatten() {
        let t = *t;
        without(format!("type: {t}"), &move |q| {
            q.item_type = q
                .item_type
                .take()
                .map(|v| v.into_iter().filter(|x| *x != t).collect::<Vec<_>>())
                .filter(|v| !v.is_empty())
        });
    }
    if p.from.is_some() || p.to.is_some() {
        let range = format!("{} to {}", p.from.as_deref().unwrap_or("…"), p.to.as_deref().unwrap_or("…"));
        without(format!("dates: {range}"), &|q| (q.from, q.to) = (None, None));
    }
    if let Some(i) = &p.item {
        without(format!("item: {i}"), &|q| q.item = None);
    }
    if let Some(a) = &p.attendee {
        without(format!("attendee: {a}"), &|q| q.attendee = None);
    }
    if let Some(pg) = p.page {
        without(format!("page: {pg}"), &|q| q.page = None);
    }
    let shown = r.hits.len();
    html! {
        h1 #results-heading.count {
            @if r.total == 0 { "No matching items" }
            @else if shown == 0 { (r.total) " matching items (none on this page)" }
            @else { "Items " (offset + 1) "–" (offset + shown) " of " (r.total) " matching" }
        }
        @if !chips.is_empty() {
            ul.chips aria-label="Active filters" {
                @for (label, q) in &chips {
                    li { (label) " " a href=(href("/", &q.pairs())) aria-label={ "Remove " (label) } { "✕" } }
                }
            }
        }
    }
}

/// What the query ignored and other notes.
fn notes(r: &SearchResults) -> Markup {
    html! {
        @if !r.ignored.is_empty() || !r.warnings.is_empty() {
            ul.notes {
                @for i in &r.ignored { li { "Ignored " (i) } }
                @for w in &r.warnings { li { (w) } }
            }
        }
    }
}

/// One bar of the histogram: its label, count, link (narrowed to its period) and whether it is the range now.
struct Bar {
    label: String,
    n: u64,
    href: String,
    current: bool,
}

/// The bars: per month of one year, or per year; each narrows the search to its period.
fn bars(p: &SearchRequest, found: &Found) -> Vec<Bar> {
    let periods: Vec<(String, String, u64)> = match found.monthly {
        Some(year) => (1..=12)
            .map(|m| {
                let key = format!("{year:04}-{m:02}");
                let n = found.timeline.buckets.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n);
                let label =
                    chrono::NaiveDate::from_ymd_opt(year, m, 1).map_or(key.clone(), |d| d.format("%b").to_string());
                (key, label, n)
            })
            .collect(),
        None => {
            // Every year from the first to the last, those without a match at 0, so gaps show.
            let years: Vec<(i32, u64)> =
                found.timeline.buckets.iter().filter_map(|(k, n)| Some((k.parse().ok()?, *n))).collect();
            let (first, last) = (years.first().map_or(0, |y| y.0), years.last().map_or(-1, |y| y.0));
            (first..=last)
                .map(|y| {
                    let n = years.iter().find(|(k, _)| *k == y).map_or(0, |(_, n)| *n);
                    (y.to_string(), y.to_string(), n)
                })
                .collect()
        }
    };
    periods
        .into_iter()
        .map(|(key, label, n)| {
            let mut q = p.clone();
            (q.from, q.to) = (Some(key.clone()), Some(key.clone()));
            let current = p.from.as_deref() == Some(key.as_str()) && p.to.as_deref() == Some(key.as_str());
            Bar { label, n, href: href("/", &q.pairs()), current }
        })
        .collect()
}

/// The matches per year, or per month of one year; each bar narrows to its period.
fn histogram(p: &SearchRequest, found: &Found) -> Markup {
    let bars = bars(p, found);
    if bars.iter().all(|b| b.n == 0) {
        return html! {};
    }
    let max = bars.iter().map(|b| b.n).max().unwrap_or(1).max(1);
    let mut widen = p.clone();
    (widen.from, widen.to) = (None, None);
    html! {
        nav.histogram aria-label="Matches over time" {
            h2.visually-hidden { "Matches over time" }
            p.hist-scope {
                @match found.monthly {
                    Some(y) => { "By month of " (y) ". " a href=(href("/", &widen.pairs())) { "All years" } }
                    None => "By year: choose a year to see its months.",
                }
                @if found.timeline.undated > 0 { " (" (found.timeline.undated) " undated)" }
            }
            ol.bars {
                @for bar in &bars {
                    li {
                        a.bar.current[bar.current] href=(bar.href) title={ (bar.label) ": " (bar.n) } aria-label={ (bar.label) ": " (bar.n) " matching items" } {
                            span class={ "fill h" ((bar.n * 10).div_ceil(max)) } {}
                            span.label { (bar.label) }
                            span.n { (bar.n) }
                        }
                    }
                }
            }
        }
    }
}

/// The ranked hits.
fn hit_list(p: &SearchRequest, hits: &[Hit], offset: usize) -> Markup {
    let q = only_query(p);
    html! {
        ol.hits start=(offset + 1) {
            @for hit in hits {
                @let item = &hit.item;
                li.hit {
                    h2 { a href=(href(&format!("/items/{}", item.id), &q)) { (if item.meta.title.is_empty() { "(untitled)" } else { &item.meta.title }) } }
                    (html::meta_line(&item.meta))
                    @for s in hit.snippets.iter().take(2) {
                        @if !s.text.is_empty() { p.snippet { (html::highlighted(&s.text, &s.highlights, None)) } }
                    }
                    p.where {
                        code.path { (item.path) ":" (item.line_start) "–" (item.line_end) }
                        " · line " (hit.snippet.line)
                        @if let Some(pg) = hit.snippet.page { " · page " (pg) }
                        @if let Some(pg) = hit.snippet.pdf_page { " · PDF page " (pg) }
                        @if hit.tier == Some(crate::search::Tier::SomeWords) { " · " span.tier { "some of the words" } }
                        @if !hit.also_in.is_empty() { " · also in " (hit.also_in.len()) " other place" @if hit.also_in.len() > 1 { "s" } }
                    }
                }
            }
        }
    }
}

/// Previous and next pages.
fn pager(p: &SearchRequest, total: usize, limit: usize, offset: usize) -> Markup {
    let at = |off: usize| {
        let mut pairs = p.pairs();
        if off > 0 {
            pairs.push(("offset", off.to_string()));
        }
        if limit != PAGE_SIZE {
            pairs.push(("limit", limit.to_string()));
        }
        href("/", &pairs)
    };
    let limit = limit.max(1);
    let next = offset + limit;
    html! {
        @if offset > 0 || next < total {
            nav.pager aria-label="Pages" {
                @if offset > 0 { a rel="prev" href=(at(offset.saturating_sub(limit))) { "‹ Previous" } }
                span { "Page " (offset / limit + 1) " of " (total.div_ceil(limit)) }
                @if next < total && next <= super::params::MAX_OFFSET { a rel="next" href=(at(next)) { "Next ›" } }
            }
        }
    }
}

/// Follow the search (Atom), export it, or ask the API.
fn follow(p: &SearchRequest) -> Markup {
    let pairs = p.pairs();
    html! {
        aside.follow aria-label="Follow or export this search" {
            p {
                a.feed href=(href("/feed.atom", &pairs)) { "Follow this search" }
                " — an Atom feed of the newest matching items, for any feed reader."
            }
            p {
                "Download the first " (MAX_EXPORT) ": "
                a href=(href("/export.csv", &pairs)) { "CSV" } " · "
                a href=(href("/export.jsonl", &pairs)) { "JSON lines" } " · "
                a href=(href("/api/search", &pairs)) { "JSON API" }
            }
        }
    }
}

/// One facet value: its name, count, link (the search filtered to it) and whether the filter is on.
struct FacetRow<'a> {
    name: &'a str,
    n: u64,
    href: String,
    on: bool,
}

/// The rows of one facet.
fn facet_rows<'a>(
    p: &SearchRequest,
    rows: &'a [(String, u64)],
    set: impl Fn(&mut SearchRequest, &str),
    is_on: impl Fn(&str) -> bool,
) -> Vec<FacetRow<'a>> {
    rows.iter()
        .take(12)
        .map(|(name, n)| {
            let mut q = p.clone();
            set(&mut q, name);
            FacetRow { name, n: *n, href: href("/", &q.pairs()), on: is_on(name) }
        })
        .collect()
}

fn facet_group(title: &str, rows: &[FacetRow<'_>]) -> Markup {
    html! {
        @if !rows.is_empty() {
            section.facet {
                h2 { (title) }
                ul {
                    @for row in rows {
                        li.on[row.on] { a href=(row.href) { span.name { (row.name.replace('_', " ")) } " " span.n { (row.n) } } }
                    }
                }
            }
        }
    }
}

/// Counts by council, committee, type and year; each filters on click.
fn facets(p: &SearchRequest, f: &crate::search::Facets) -> Markup {
    let types = p.item_type.clone().unwrap_or_default();
    let council = facet_rows(p, &f.council, |q, v| q.council = Some(v.into()), |v| p.council.as_deref() == Some(v));
    let committee =
        facet_rows(p, &f.committee, |q, v| q.committee = Some(v.into()), |v| p.committee.as_deref() == Some(v));
    let kind = facet_rows(
        p,
        &f.item_type,
        |q, v| q.item_type = ItemType::parse(v).map(|t| vec![t]),
        |v| ItemType::parse(v).is_some_and(|t| types.contains(&t)),
    );
    let year = facet_rows(
        p,
        &f.year,
        |q, v| (q.from, q.to) = (Some(v.into()), Some(v.into())),
        |v| p.from.as_deref() == Some(v) && p.to.as_deref() == Some(v),
    );
    html! {
        aside.facets aria-label="Narrow by" {
            (facet_group("Council", &council))
            (facet_group("Committee", &committee))
            (facet_group("Type", &kind))
            (facet_group("Year", &year))
        }
    }
}
