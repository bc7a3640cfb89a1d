//! Long documents into sections: a document over [`SPLIT_OVER`] lines (a
//! journal's issue, a plan, a long appendix, minutes whose numbering was not
//! recognised) is split at its headings (Markdown headings, bold lines,
//! lines in capitals, numbered section titles), and where headings are too
//! far apart, at page boundaries; so no search hit is one 10,000-line item.
//! Each section keeps its document's type and metadata; the first keeps its
//! title, the others are titled by their heading (or "… (page N)").

use super::Doc;
use crate::paper::lines::{self, Line};

/// Documents longer than this many lines are split.
pub(super) const SPLIT_OVER: usize = 1000;

/// A section is at least this long (shorter runs stay with the one before).
const MIN_SECTION: usize = 40;

/// A section with no heading in it is cut at a page boundary past this length.
const MAX_SECTION: usize = 600;

/// `docs` with every document over [`SPLIT_OVER`] lines split into sections.
/// `page_starts` are the 0-based lines where pages begin (PDF pages, or the
/// page rules of a converted document).
pub(super) fn split_long(ls: &[Line], docs: Vec<Doc>, page_starts: &[usize]) -> Vec<Doc> {
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        if d.end.saturating_sub(d.start) <= SPLIT_OVER {
            out.push(d);
            continue;
        }
        let mut starts = vec![(d.start, d.title.clone())];
        starts.extend(cuts(ls, d.start, d.end, page_starts));
        for (k, (start, title)) in starts.iter().enumerate() {
            let mut section = d.clone();
            section.start = *start;
            section.end = starts.get(k + 1).map_or(d.end, |n| n.0);
            section.title.clone_from(title);
            section.continuation = k > 0;
            out.push(section);
        }
    }
    out
}

/// Where a document's span `s..e` is cut, with the title of the section
/// each cut begins: at headings at least [`MIN_SECTION`] lines apart, and in
/// a run of [`MAX_SECTION`] lines with none, at a page boundary (else a
/// blank line).
fn cuts(ls: &[Line], s: usize, e: usize, page_starts: &[usize]) -> Vec<(usize, String)> {
    let e = e.min(ls.len());
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut section_start = s;
    let mut page = page_starts.partition_point(|&p| p <= s);
    let mut last_break: Option<usize> = None;
    for i in s + 1..e {
        while page < page_starts.len() && page_starts[page] < i {
            page += 1;
        }
        let at_page = page < page_starts.len() && page_starts[page] == i;
        if at_page || (ls[i].empty && i > section_start + MIN_SECTION) {
            last_break = Some(i);
        }
        let long_enough = i >= section_start + MIN_SECTION && e >= i + MIN_SECTION;
        if long_enough && is_heading(&ls[i]) {
            out.push((i, lines::truncate(ls[i].clean.trim(), 150).to_string()));
            section_start = i;
            last_break = None;
            continue;
        }
        if i >= section_start + MAX_SECTION && e >= i + MIN_SECTION {
            let at = last_break.filter(|&b| b > section_start + MIN_SECTION).unwrap_or(i);
            let title = continued_title(ls, at, e, page_starts);
            out.push((at, title));
            section_start = at;
            last_break = None;
        }
    }
    out
}

/// The title of a section cut where no heading was: its first line that
/// reads as a title, with its page.
fn continued_title(ls: &[Line], at: usize, e: usize, page_starts: &[usize]) -> String {
    let page = page_starts.partition_point(|&p| p <= at);
    let first = (at..e.min(at + 20)).map(|i| ls[i].clean.trim()).find(|t| lines::is_title(t) && t.len() <= 120);
    match (first, page) {
        (Some(t), 0) => t.to_string(),
        (Some(t), p) => format!("{t} (page {p})"),
        (None, p) => format!("Page {p}"),
    }
}

/// A line that heads a section: a Markdown heading, a bold line, a short line
/// in capitals, a numbered section title ("4. Financial Implications").
fn is_heading(l: &Line) -> bool {
    let c = l.clean.trim();
    if l.long || l.tab || c.len() > 100 || !lines::is_title(c) || c.ends_with([',', ';']) {
        return false;
    }
    if (1..=3).contains(&l.hashes) || l.bold {
        return true;
    }
    let letters = c.chars().filter(|ch| ch.is_alphabetic()).count();
    let capitals = letters >= 6
        && !c.chars().any(char::is_lowercase)
        && letters * 2 >= c.chars().filter(|ch| !ch.is_whitespace()).count();
    let numbered = lines::numbered_prefix_len(l.raw.trim_start()) > 0 && l.heading_like() && c.len() <= 80;
    capitals || numbered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::ItemType;

    #[test]
    fn a_long_document_is_split_at_its_headings() {
        let mut text = String::from("THE TOWN JOURNAL\n");
        for part in ["CITY COUNCIL", "BOARD OF CONTROL", "CIVIL SERVICE NOTICES"] {
            text.push_str(part);
            text.push('\n');
            for k in 0..500 {
                text.push_str(&format!("Ordinance text line {k} of the {part}.\n"));
            }
        }
        let ls: Vec<Line> = text.lines().map(Line::new).collect();
        let docs = vec![Doc::new(ItemType::Report, 0, ls.len(), "The Town Journal".into())];
        let out = split_long(&ls, docs, &[]);
        let titles: Vec<&str> = out.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["The Town Journal", "BOARD OF CONTROL", "CIVIL SERVICE NOTICES"]);
        assert_eq!(out[0].start, 0);
        assert_eq!(out.last().map(|d| d.end), Some(ls.len()));
        assert!(out.windows(2).all(|w| w[0].end == w[1].start));
        assert!(out.iter().all(|d| d.item_type == ItemType::Report));
    }

    #[test]
    fn without_headings_it_is_cut_at_pages() {
        let text: String = (0..2000).map(|k| format!("plain text line {k}\n")).collect();
        let ls: Vec<Line> = text.lines().map(Line::new).collect();
        let pages: Vec<usize> = (0..2000).step_by(100).collect();
        let out = split_long(&ls, vec![Doc::new(ItemType::Minutes, 0, 2000, "Minutes".into())], &pages);
        assert!(out.len() >= 3, "{}", out.len());
        assert!(
            out.iter().all(|d| d.end - d.start <= MAX_SECTION + 1),
            "{:?}",
            out.iter().map(|d| d.end - d.start).collect::<Vec<_>>()
        );
        assert!(out[1..].iter().all(|d| pages.contains(&d.start)));
        assert!(out[1].title.ends_with(")"), "{}", out[1].title);
        // A short document stays whole.
        let short = split_long(&ls, vec![Doc::new(ItemType::Minutes, 0, 900, "Minutes".into())], &pages);
        assert_eq!(short.len(), 1);
    }
}
