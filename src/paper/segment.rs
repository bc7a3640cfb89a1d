//! Segmentation: one pack's text -> items.
//!
//! The pass is line based and linear:
//!
//! 1. Each line is classified once ([`Line`]): blank-page markers, markdown
//!    heading level, text with markup stripped.
//! 2. The front sheet (committee title followed by a weekday date) gives the
//!    committee and the pack date; the agenda block gives the agenda items.
//! 3. *Primary starts* are found: guidance notes, minutes headers, report
//!    header blocks (a title followed by `Lead Officer:` / `Author:` / `Board
//!    Sponsor` fields) and work-programme titles.
//! 4. Each report's span is split into the cover report and its appendices
//!    (after the report's closing sections, after blank pages, at top-level
//!    labels, at running page titles, at titles the report lists).
//! 5. Reports and work programmes are aligned monotonically with the agenda
//!    items that carry page ranges; appendices follow their report.
//!
//! A file whose structure is not recognised becomes one report item.

mod agenda;
mod itemise;
mod mapping;
mod meta;
mod numbered;
mod sections;
mod split;
mod starts;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::lines::{self, Line};
use super::{dates, head, Item, ItemType};
use crate::extract::Text;

use agenda::AgendaEntry;
use meta::{PaperMeta, Sources};
use starts::{Start, StartKind};

/// A document found in the pack, before metadata is attached.
#[derive(Debug, Clone)]
struct Doc {
    item_type: ItemType,
    /// First line of the span (0-based).
    start: usize,
    /// One past the last line of the span (0-based).
    end: usize,
    title: String,
    /// An explicit `AGENDA ITEM N` printed on the report.
    explicit: Option<String>,
    /// The date of the meeting a minutes doc records.
    minutes_date: Option<NaiveDate>,
    /// The item's own number as printed (a numbered minute's).
    number: Option<String>,
    /// A section of a long document after its first: it belongs to the
    /// document before it.
    continuation: bool,
}

impl Doc {
    /// A doc of `item_type` spanning `start..end`.
    fn new(item_type: ItemType, start: usize, end: usize, title: String) -> Doc {
        Doc { item_type, start, end, title, explicit: None, minutes_date: None, number: None, continuation: false }
    }
}

/// Splits a pack into items. A file whose structure is not recognised becomes one item.
///
/// Metadata comes from the text, then from `text.meta`; see [`segment_with_path`]
/// to use the file's path as the last resort.
pub fn segment(text: &Text) -> Vec<Item> {
    segment_inner(text, Sources { path: None, path_names: false })
}

/// Like [`segment`], and where neither the text nor `text.meta` gives the
/// council, the committee or the meeting date, takes them from the path: a date
/// in the file name or a folder (`2019-03-14`, `14-03-2019`, `20190314`,
/// `aug-7-2018`, `…/2019/03/14-…/`), a council or body named by a folder. The
/// file's name and folder also say what kind of paper it is.
pub fn segment_with_path(text: &Text, path: &Path) -> Vec<Item> {
    segment_inner(text, Sources { path: Some(path), path_names: true })
}

/// As [`segment_with_path`], but a council or body named only by a folder is
/// left out: the indexer looks first to the other papers of the meeting.
pub(crate) fn segment_paper(text: &Text, path: &Path) -> Vec<Item> {
    segment_inner(text, Sources { path: Some(path), path_names: false })
}

fn segment_inner(text: &Text, src: Sources<'_>) -> Vec<Item> {
    let ls: Vec<Line> = text.lines.iter().map(|l| Line::new(l)).collect();
    let n = ls.len();
    let Some(first_content) = ls.iter().position(|l| l.is_content()) else {
        let mut it = Item::new(ItemType::Report, "", 1, n.max(1));
        it.meta.meeting_date = meta::meta_date(text).or_else(|| src.path.and_then(dates::path_date));
        it.meta.council = text.meta.council.clone();
        it.meta.committee = text.meta.committee.clone();
        return vec![it];
    };
    let head = head::head(&text.lines);

    // A front sheet opens an agenda: a paper that says it is something else
    // (minutes under their council's name and date) has none.
    let kind = meta::stated_kind(text, src.path, &head);
    let front = agenda::front_sheet(&ls, first_content).filter(|_| kind.is_none_or(|k| k == ItemType::Agenda));
    let scan_from = front.as_ref().map_or(first_content, |f| f.date_line + 1);
    let front_committee = front.as_ref().and_then(|f| f.committee.clone());
    let found = starts::find(&ls, scan_from, front_committee.as_deref());
    let first_start = found.first().map_or(n, |s| s.line);
    let meta = PaperMeta::read(text, src, (&ls, &head), (first_content, first_start), front.as_ref(), kind);

    // The agenda block and its entries: in a pack's house style, else by
    // its numbering; an agenda without a front sheet by its numbering.
    let entries: Vec<AgendaEntry> = match &front {
        Some(f) => Some(agenda::entries(&ls, f.date_line + 1, first_start))
            .filter(|e| e.len() >= 2)
            .unwrap_or_else(|| itemise::agenda_entries(&ls, f.date_line + 1, first_start)),
        None if meta.kind == Some(ItemType::Agenda) => itemise::agenda_entries(&ls, first_content, first_start),
        None => Vec::new(),
    };
    let pack_date = front.as_ref().map(|f| f.date);
    // Minutes on their own are items by their numbered minutes.
    let minutes = (front.is_none() && meta.kind == Some(ItemType::Minutes))
        .then(|| itemise::minutes(&ls, first_content, n, meta.date, &first_meaningful(&ls, first_content, n)))
        .flatten();
    let docs = minutes.unwrap_or_else(|| docs_in_order(&ls, front.as_ref(), &found, &meta, first_content));
    let pages = page_starts(text, &ls);
    let docs = sections::split_long(&ls, docs, &pages);
    let markers = printed_pages(&ls, &pages);
    let mut items = build_items(&ls, (&docs, &entries), pack_date, &markers);
    for it in &mut items {
        apply_meta(it, &meta, first_content);
    }
    if items.is_empty() {
        let s = first_content;
        let e = last_content(&ls, s, n).unwrap_or(s);
        let kind = meta.kind.unwrap_or(ItemType::Report);
        let mut it = Item::new(kind, first_meaningful(&ls, s, n), s + 1, e + 1);
        it.meta.council = meta.council;
        it.meta.committee = meta.committee;
        it.meta.meeting_date = meta.date;
        items.push(it);
    }
    items
}

/// The paper's metadata on one of its items. A paper without a front sheet is
/// dated by its head; minutes found further down a file record another meeting
/// and keep their own date.
fn apply_meta(it: &mut Item, meta: &PaperMeta, first_content: usize) {
    it.meta.council.clone_from(&meta.council);
    it.meta.committee.clone_from(&meta.committee);
    let near_head = it.line_start <= first_content + 1 + 20;
    if it.meta.meeting_date.is_none() && (it.meta.item_type != ItemType::Minutes || near_head) {
        it.meta.meeting_date = meta.date;
    }
    // An agenda without a front sheet is titled by its meeting, as a front sheet is.
    if let (ItemType::Agenda, None, Some(c), Some(d)) =
        (it.meta.item_type, &it.meta.agenda_item, &meta.committee, meta.date)
    {
        it.meta.title = format!("{c} agenda {}", d.format("%-d %B %Y"));
    }
    // An agenda without a front sheet is titled by its meeting, as a front sheet is.
    if let (ItemType::Agenda, None, Some(c), Some(d)) =
        (it.meta.item_type, &it.meta.agenda_item, &meta.committee, meta.date)
    {
        it.meta.title = format!("{c} agenda {}", d.format("%-d %B %Y"));
    }
    // The head of a set of minutes is titled by its meeting; a numbered minute keeps its own title.
    if it.meta.item_type == ItemType::Minutes && it.meta.agenda_item.is_none() {
        let who = meta.committee.as_deref().unwrap_or("the");
        it.meta.title = match it.meta.meeting_date {
            Some(d) => format!("Minutes of {who} meeting held on {}", d.format("%-d %B %Y")),
            None => format!("Minutes of {who} meeting"),
        };
    }
}

/// The documents of a paper in file order: a pack's agenda (front sheet) or a
/// paper's head, then what each primary start begins.
fn docs_in_order(
    ls: &[Line],
    front: Option<&agenda::Front>,
    found: &[Start],
    meta: &PaperMeta,
    first_content: usize,
) -> Vec<Doc> {
    let n = ls.len();
    let first_start = found.first().map_or(n, |s| s.line);
    let mut docs: Vec<Doc> = Vec::new();
    if let Some(f) = front {
        let title = match (&meta.committee, meta.date) {
            (Some(c), Some(d)) => format!("{c} agenda {}", d.format("%-d %B %Y")),
            _ => ls[f.title_line].clean.to_string(),
        };
        docs.push(doc(ItemType::Agenda, first_content, first_start, title));
    } else if first_start > first_content {
        let title = first_meaningful(ls, first_content, first_start);
        docs.push(doc(meta.kind.unwrap_or(ItemType::Report), first_content, first_start, title));
    }
    let heading_counts = heading_counts(ls);
    for (k, s) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(n, |x| x.line);
        push_start_docs(ls, s, end, &heading_counts, &mut docs);
    }
    docs
}

/// An item's printed pages from the page footers and headers inside it, where
/// they count up: the pages its first and last lines are on. An item with no
/// footer or header of its own is on the page of the next one, if that comes
/// within [`SAME_PAGE_LINES`] lines (a page number further on may belong to
/// another document).
fn printed_range(it: &mut Item, markers: &[(usize, u32)]) {
    let near = lines::markers_in(markers, it.line_start, it.line_end, 0, u32::MAX);
    if near.is_empty() {
        let next = markers.iter().find(|&&(l, _)| l >= it.line_end && l - it.line_end <= SAME_PAGE_LINES);
        if let Some(&(_, p)) = next {
            (it.meta.page_start, it.meta.page_end) = (Some(p), Some(p));
        }
        return;
    }
    if !near.windows(2).all(|w| w[0].1 < w[1].1) {
        return;
    }
    let first = super::page_of_line(&near, None, None, it.line_start);
    let last = super::page_of_line(&near, None, None, it.line_end);
    if let (Some(a), Some(b)) = (first, last) {
        if a <= b && b - a <= 2000 {
            (it.meta.page_start, it.meta.page_end) = (Some(a), Some(b));
            it.page_markers = near;
        }
    }
}

/// Most lines between an item's end and the footer of the page it is on.
const SAME_PAGE_LINES: usize = 80;

/// The printed page markers of a text: footers and headers on lines of their
/// own ([`lines::page_markers`]), and a bare number that ends a page (its
/// footer) or begins one (its header, which ends the page before), where
/// `page_starts` says where pages begin. As (1-based line, page) footers.
fn printed_pages(ls: &[Line], page_starts: &[usize]) -> Vec<(usize, u32)> {
    let mut out = lines::page_markers(ls);
    let bare = |l: &Line| {
        let t = l.clean.trim();
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    for &p in page_starts {
        if let Some(q) = (p..(p + 3).min(ls.len())).find(|&i| ls[i].is_content()) {
            if let Some(n) = bare(&ls[q]).filter(|&n| n > 1 && q > 0) {
                out.push((q, n - 1));
            }
        }
        if let Some(q) = (p.saturating_sub(3)..p.min(ls.len())).rev().find(|&i| ls[i].is_content()) {
            if let Some(n) = bare(&ls[q]).filter(|&n| n > 0) {
                out.push((q + 1, n));
            }
        }
    }
    out.sort_unstable();
    out.dedup_by_key(|m| m.0);
    out
}

/// The 0-based lines where pages begin: a PDF's pages, or the page rules
/// (`---`) a converter put between a document's pages.
fn page_starts(text: &Text, ls: &[Line]) -> Vec<usize> {
    if !text.pdf_page_starts.is_empty() {
        return text.pdf_page_starts.iter().map(|&l| l.saturating_sub(1)).collect();
    }
    ls.iter().enumerate().filter(|(_, l)| l.raw.len() < 8 && l.raw.trim() == "---").map(|(i, _)| i + 1).collect()
}

/// Turns one primary start into docs (a report may bring appendices).
fn push_start_docs(ls: &[Line], s: &Start, end: usize, heading_counts: &HashMap<String, usize>, docs: &mut Vec<Doc>) {
    match &s.kind {
        StartKind::Guidance => docs.push(doc(ItemType::GuidanceNotes, s.line, end, s.title.clone())),
        StartKind::Minutes(date) => {
            let mut d = doc(ItemType::Minutes, s.line, end, s.title.clone());
            d.minutes_date = *date;
            docs.push(d);
        }
        StartKind::WorkProgramme => docs.push(doc(ItemType::WorkProgramme, s.line, end, s.title.clone())),
        StartKind::Report { explicit } => {
            let apps = split::appendices(ls, s.line, end, heading_counts, &s.title);
            let report_end = apps.first().map_or(end, |a| a.0);
            let mut d = doc(ItemType::Report, s.line, report_end, s.title.clone());
            d.explicit = explicit.clone();
            docs.push(d);
            for (k, (line, title)) in apps.iter().enumerate() {
                let app_end = apps.get(k + 1).map_or(end, |a| a.0);
                docs.push(doc(ItemType::Appendix, *line, app_end, title.clone()));
            }
        }
    }
}

fn doc(item_type: ItemType, start: usize, end: usize, title: String) -> Doc {
    Doc::new(item_type, start, end, title)
}

/// Counts of the level-1 and level-2 markdown headings, by normalised text.
fn heading_counts(ls: &[Line]) -> HashMap<String, usize> {
    let mut m: HashMap<String, usize> = HashMap::new();
    for l in ls {
        if (1..=2).contains(&l.hashes) && !l.long {
            *m.entry(lines::key(&l.clean)).or_default() += 1;
        }
    }
    m
}

/// A paper's own title in `s..e`: what a "Subject:" or "Title:" label near
/// its top says, else its first line that reads like a title: not a link,
/// a rule, a number or a lone label ("From:").
fn first_meaningful(ls: &[Line], s: usize, e: usize) -> String {
    if let Some(t) = labelled_title(ls, s, e.min(s + 60)) {
        return t;
    }
    let mut fallback = None;
    for l in ls.iter().take(e).skip(s) {
        if !l.is_content() {
            continue;
        }
        let t = l.clean.trim();
        let words = t.chars().filter(|c| c.is_alphabetic()).count() >= 3;
        if words && !lines::is_link_only(t) && !lines::is_lone_label(t) {
            return lines::truncate(t, 150).to_string();
        }
        if words && !lines::is_link_only(t) {
            fallback.get_or_insert_with(|| lines::truncate(t, 150).to_string());
        }
    }
    fallback.unwrap_or_default()
}

/// The value of a "Subject:", "Title:" or "Report title:" label in `s..e`,
/// on its line or the next.
fn labelled_title(ls: &[Line], s: usize, e: usize) -> Option<String> {
    const LABELS: [&str; 4] = ["subject", "title", "report title", "title of report"];
    for i in s..e.min(ls.len()) {
        let t = ls[i].clean.trim();
        let Some((label, value)) = t.split_once(':') else { continue };
        if !LABELS.contains(&label.trim().to_lowercase().as_str()) {
            continue;
        }
        let value = value.trim();
        let value = if value.is_empty() {
            (i + 1..e.min(i + 4)).find(|&j| ls[j].is_content()).map_or("", |j| ls[j].clean.trim())
        } else {
            value
        };
        if value.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !lines::is_lone_label(value) {
            return Some(lines::truncate(value, 150).to_string());
        }
    }
    None
}

/// Index of the first content line in `s..e`.
fn first_content_in(ls: &[Line], s: usize, e: usize) -> Option<usize> {
    (s..e.min(ls.len())).find(|&i| ls[i].is_content())
}

/// Index of the last content line in `s..e`.
fn last_content(ls: &[Line], s: usize, e: usize) -> Option<usize> {
    (s..e.min(ls.len())).rev().find(|&i| ls[i].is_content())
}

/// Docs and agenda entries -> items with metadata.
/// Docs and agenda entries -> items with metadata. `markers` are the
/// printed page markers of the whole text ([`printed_pages`]).
fn build_items(
    ls: &[Line],
    (docs, entries): (&[Doc], &[AgendaEntry]),
    pack_date: Option<NaiveDate>,
    markers: &[(usize, u32)],
) -> Vec<Item> {
    let assignment = mapping::assign(docs, entries);
    let mut items = Vec::with_capacity(docs.len() + entries.len());
    for (k, d) in docs.iter().enumerate() {
        let Some(s) = first_content_in(ls, d.start, d.end) else { continue };
        let e = last_content(ls, s, d.end).unwrap_or(s);
        // A doc whose start gave it no title (a number, a label) takes its first line that reads as one.
        let title = if lines::is_title(&d.title) { d.title.clone() } else { first_meaningful(ls, s, e + 1) };
        let mut it = Item::new(d.item_type, title, s + 1, e + 1);
        it.meta.meeting_date = match d.item_type {
            ItemType::Minutes => d.minutes_date,
            _ => pack_date,
        };
        it.meta.boilerplate = d.item_type == ItemType::GuidanceNotes;
        it.meta.agenda_item.clone_from(&d.number);
        if let Some(ei) = assignment[k] {
            let en = &entries[ei];
            it.meta.agenda_item = Some(en.num.clone());
            if let Some((a, b)) = en.pages {
                it.meta.page_start = Some(a);
                it.meta.page_end = Some(b);
            }
            if lines::key(&en.title) != lines::key(&it.meta.title) {
                it.meta.agenda_title = Some(en.title.clone());
            }
            it.meta.presenter = en.presenter.clone();
        }
        match (it.meta.page_start, it.meta.page_end) {
            (Some(a), Some(b)) => it.page_markers = lines::markers_in(markers, it.line_start, it.line_end, a, b),
            _ => printed_range(&mut it, markers),
        }
        items.push(it);
    }
    for en in entries {
        let mut it = Item::new(ItemType::Agenda, en.title.clone(), en.line_start + 1, en.line_end + 1);
        it.meta.agenda_item = Some(en.num.clone());
        it.meta.listed_pages = en.listed.clone();
        it.meta.presenter = en.presenter.clone();
        it.meta.meeting_date = pack_date;
        it.meta.boilerplate = en.procedural;
        items.push(it);
    }
    items
}

/// The item's text with one output line per source line in
/// `line_start..=line_end`; noise lines (blank-page and page markers) are empty.
pub(super) fn clean_body(lines: &[String], item: &Item) -> String {
    let end = item.line_end.min(lines.len());
    if end == 0 || item.line_start > end {
        return String::new();
    }
    let start = item.line_start.max(1);
    let slice = &lines[start - 1..end];
    let mut out = String::with_capacity(slice.iter().map(|l| l.len() + 1).sum());
    for (k, l) in slice.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let t = l.trim();
        if lines::is_page_marker(t) {
            continue;
        }
        match lines::strip_blank_marker(t) {
            Some(pre) => out.push_str(pre.trim_end()),
            None => out.push_str(l),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::lines::BLANK_MARKER;
    use super::*;

    fn item(s: usize, e: usize) -> Item {
        Item::new(ItemType::Report, "t", s, e)
    }

    #[test]
    fn clean_body_keeps_one_line_per_source_line() {
        let lines: Vec<String> = ["a", "Page 12", "b", BLANK_MARKER, "c This page is intentionally left blank", "d"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(clean_body(&lines, &item(1, 6)), "a\n\nb\n\nc\nd");
        assert_eq!(clean_body(&lines, &item(3, 4)), "b\n");
        assert_eq!(clean_body(&lines, &item(9, 12)), "");
        assert_eq!(clean_body(&[], &item(1, 1)), "");
    }

    #[test]
    fn odd_inputs_never_panic_and_give_one_item() {
        for s in ["", "\n\n\n", "\u{feff}x", "\r\n\r\nhello\r\n", "\u{fffd}\u{0}\u{1}", &"x".repeat(100_000)] {
            let items = segment(&Text::from_lines_of(s));
            assert_eq!(items.len(), 1, "{s:?}");
        }
        let many = "Lead Officer: x\nThis page is intentionally left blank\n## Appendix A\n1 **x**\n".repeat(2000);
        let items = segment(&Text::from_lines_of(&many));
        assert!(!items.is_empty());
    }

    #[test]
    fn big_hostile_input_is_linear_enough() {
        let mut s = String::from("COMMITTEE BOARD\n\nMonday 1 May 2017\n\nAGENDA\n");
        for k in 1..=50 {
            s.push_str(&format!("{k} **Item {k}** (Pages {k} - {})\n", k + 1));
        }
        let chunk = "Title of a report\nLead Officer: x\nAuthor: y\n1. Background papers\n- list\n\
                     This page is intentionally left blank\n## Appendix A\n## Running title\n\t\tcell\n\
                     Page 3\n3 **x** (Pages 1 - 2)\nMinutes of a meeting of the Board held on 1 May 2017\n\n\n";
        for _ in 0..(200_000 / 14) {
            s.push_str(chunk);
        }
        s.push_str(&"9".repeat(1_000_000));
        let t = Text::from_lines_of(&s);
        let started = std::time::Instant::now();
        let items = segment(&t);
        assert!(!items.is_empty());
        assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
        for it in items.iter().take(100) {
            let _ = clean_body(&t.lines, it);
        }
    }

    #[test]
    fn items_know_their_printed_pages_from_footers_and_headers() {
        let mut text = String::from("MINUTES\nMinutes of a meeting of Hinton Parish Council held on 7 May 2019\n");
        for k in 1..=3 {
            text.push_str(&format!(
                "{k}. Item {k}\nThe council discussed item {k}.\nMinutes – 7 May 2019 – Page {k}\n"
            ));
        }
        let items = segment(&Text::from_lines_of(&text));
        let pages: Vec<(Option<u32>, Option<u32>)> =
            items.iter().map(|i| (i.meta.page_start, i.meta.page_end)).collect();
        assert_eq!(pages, [(Some(1), Some(1)), (Some(1), Some(1)), (Some(2), Some(2)), (Some(3), Some(3))]);
        // A number heading a page (after a converter's page rule) is that page's.
        let ls: Vec<Line> = ["a", "---", "2", "b", "---", "3", "c"].iter().map(|l| Line::new(l)).collect();
        assert_eq!(printed_pages(&ls, &[2, 5]), [(2, 1), (5, 2)]);
    }

    #[test]
    fn unrecognised_text_is_one_report_titled_by_its_first_line() {
        let items = segment(&Text::from_lines_of("\n\n  Some notes about things\nmore text\n\n"));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].meta.item_type, ItemType::Report);
        assert_eq!(items[0].meta.title, "Some notes about things");
        assert_eq!((items[0].line_start, items[0].line_end), (3, 4));
    }
}
