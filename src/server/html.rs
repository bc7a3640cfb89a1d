//! What every page shares: the layout (head, header with the search box,
//! footer), highlighted text, an item's metadata line and the error page.
//!
//! Pages are `maud` templates, which escape every value they interpolate:
//! document text can only ever appear as text. Highlights become `<mark>`
//! around escaped pieces. No page has inline script or inline style (the
//! Content-Security-Policy forbids both); behaviour comes from `/assets/app.js`.

use std::ops::Range;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::error::ApiError;
use crate::paper::ItemMeta;

/// A whole page: `title`, extra head links, the search box holding `query`, and `main`.
pub(crate) fn layout(title: &str, head: Markup, query: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · council-search" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
                (head)
            }
            body {
                a.skip href="#main" { "Skip to results" }
                header.top {
                    a.brand href="/" { "council-search" }
                    form.searchbox role="search" action="/" method="get" {
                        label.visually-hidden for="q" { "Search council papers" }
                        input #q type="search" name="q" value=(query) placeholder="Search council papers"
                            autocomplete="off" maxlength="1000";
                        button type="submit" { "Search" }
                    }
                    a.help-link href="/#help" { "Query help" }
                }
                main #main { (main) }
            }
        }
    }
}

/// Answers with a page.
pub(crate) fn page(markup: Markup) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup.into_string()).into_response()
}

/// An error as a page, with its status.
pub(crate) fn error_page(err: ApiError) -> Response {
    let markup = layout(
        "Error",
        html! {},
        "",
        html! {
            section.error role="alert" {
                h1 { (err.status.canonical_reason().unwrap_or("Error")) }
                p {
                    @if let Some(p) = &err.body.parameter { "The value of " code { (p) } ": " }
                    (err.body.error)
                }
                p { a href="/" { "Start a new search" } }
            }
        },
    );
    let mut res = page(markup);
    *res.status_mut() = err.status;
    res
}

/// `text` with the byte ranges `highlights` marked; each mark gets the id
/// `m{n}` from `first_mark` on when `numbered`. Ranges that are out of order,
/// out of bounds or not on character boundaries are left unmarked.
pub(crate) fn highlighted(text: &str, highlights: &[Range<usize>], numbered: Option<&mut usize>) -> Markup {
    let mut counter = numbered;
    let mut at = 0;
    let mut pieces: Vec<(&str, Option<Option<usize>>)> = Vec::new();
    for r in highlights {
        if r.start < at || r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        pieces.push((&text[at..r.start], None));
        let n = counter.as_deref_mut().map(|c| {
            *c += 1;
            *c
        });
        pieces.push((&text[r.clone()], Some(n)));
        at = r.end;
    }
    pieces.push((&text[at..], None));
    html! {
        @for (piece, mark) in pieces {
            @match mark {
                None => (piece),
                Some(None) => mark { (piece) },
                Some(Some(n)) => mark id={ "m" (n) } { (piece) },
            }
        }
    }
}

/// Council, committee, date, type, agenda item and pages, as a list.
pub(crate) fn meta_line(m: &ItemMeta) -> Markup {
    let pages = match (m.page_start, m.page_end) {
        (Some(a), Some(b)) if a != b => Some(format!("pp. {a}–{b}")),
        (Some(a), _) => Some(format!("p. {a}")),
        _ => m.listed_pages.as_ref().map(|l| format!("listed pp. {l}")),
    };
    html! {
        ul.meta {
            @if let Some(c) = &m.council { li.council { (c) } }
            @if let Some(c) = &m.committee { li.committee { (c) } }
            li.date {
                @match m.meeting_date {
                    Some(d) => time datetime=(d.to_string()) { (d.format("%-d %B %Y").to_string()) },
                    None => "undated",
                }
            }
            li.type { (m.item_type.as_str().replace('_', " ")) }
            @if let Some(a) = &m.agenda_item { li.item { "item " (a) } }
            @if let Some(p) = pages { li.pages { (p) } }
        }
    }
}

/// A link to a page of this server with query parameters.
pub(crate) fn href(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", super::params::encode(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_text_is_escaped_and_marks_are_numbered() {
        let mut n = 0;
        let text = "<script>alert(1)</script> budget & <b>plan</b>";
        let budget = text.find("budget").unwrap();
        let plan = text.find("plan").unwrap();
        let out = highlighted(text, &[budget..budget + 6, plan..plan + 4], Some(&mut n)).into_string();
        assert!(!out.contains("<script>") && !out.contains("<b>"));
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(out.contains(r#"<mark id="m1">budget</mark> &amp; &lt;b&gt;<mark id="m2">plan</mark>"#));
        assert_eq!(n, 2);
    }

    #[test]
    fn ranges_that_do_not_fit_are_left_unmarked() {
        let out = highlighted("café", &[3..4, 10..12], None).into_string();
        assert_eq!(out, "café");
    }
}
