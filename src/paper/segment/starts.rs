//! Primary starts: where guidance notes, minutes, reports and work programmes begin.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::paper::dates;
use crate::paper::lines::{self, Line};
use crate::paper::names::normalise_committee;

/// What kind of document begins at a start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StartKind {
    /// Guidance notes for the meeting.
    Guidance,
    /// Minutes, with the date of the meeting they record.
    Minutes(Option<NaiveDate>),
    /// A cover report, with an explicit `AGENDA ITEM N` when printed.
    Report { explicit: Option<String> },
    /// A work programme, forward plan or outcome tracker.
    WorkProgramme,
}

/// A document start (0-based line).
#[derive(Debug, Clone)]
pub(crate) struct Start {
    pub line: usize,
    pub kind: StartKind,
    pub title: String,
}

/// Report header fields: `Lead Officer:`, `Lead Member:`, `Author(s):`, `Board Sponsor`.
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:lead officers?|lead members?|authors?|author\(s\)|report authors?)\s*:|board sponsor(?-u:\b))",
    )
    .expect("valid regex")
});

static AGENDA_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^agenda item\s*(?:no\.?\s*)?(\d{1,2}[a-z]?)\s*$").expect("valid regex"));

/// How many content lines a header block may span.
const HEADER_WINDOW: usize = 8;

/// Finds the primary starts from line `from` on, in file order.
pub(crate) fn find(ls: &[Line], from: usize, committee: Option<&str>) -> Vec<Start> {
    let committee_key = committee.map(normalise_committee);
    let ck = committee_key.as_deref();
    let mut out: Vec<Start> = Vec::new();
    // Content lines since the last report field line (for clustering header fields).
    let mut since_field = usize::MAX;
    let mut since_blank = false;
    // Each line lower-cased, into one buffer for all of them.
    let mut lower = String::new();
    for i in from..ls.len() {
        let l = &ls[i];
        if l.blank_page {
            since_blank = true;
            continue;
        }
        if l.empty {
            continue;
        }
        since_field = since_field.saturating_add(1);
        let floor = out.last().map_or(from, |s| s.line + 1);
        let after_blank = since_blank;
        since_blank = l.inline_blank;
        if l.long {
            continue;
        }
        lower_into(&l.clean, &mut lower);

        // Guidance notes.
        let gl = lower.trim_end_matches([':', '.']);
        if !l.tab && (gl == "agenda annexe" || gl == "guidance notes for the meeting" || gl == "guidance notes") {
            match out.last_mut() {
                // "Agenda Annexe" then "Guidance notes for the meeting": one doc, the better title.
                Some(s) if s.kind == StartKind::Guidance && i - s.line <= 6 => s.title = l.clean.to_string(),
                _ => push(&mut out, Start { line: i, kind: StartKind::Guidance, title: l.clean.to_string() }),
            }
            continue;
        }

        // Minutes header (prose form).
        if !l.tab && (lower.starts_with("minutes of a meeting") || lower.starts_with("minutes of the meeting of")) {
            push(&mut out, prose_minutes(ls, i, floor, ck));
            continue;
        }

        // Minutes header (table form): a `Minutes` cell below a committee-and-date line.
        if l.tab && l.raw.split('\t').any(|c| c.trim().eq_ignore_ascii_case("minutes")) {
            let recent = matches!(out.last(), Some(s) if matches!(s.kind, StartKind::Minutes(_)) && i - s.line <= 6);
            if let Some(s) = table_minutes(ls, i, floor).filter(|_| !recent) {
                push(&mut out, s);
            }
            continue;
        }

        // Report header fields.
        if FIELD.is_match(l.clean.trim_start()) {
            if since_field <= HEADER_WINDOW {
                since_field = 0;
                continue;
            }
            since_field = 0;
            if let Some(s) = report_start(ls, i, floor, ck) {
                push(&mut out, s);
            }
            continue;
        }

        // Work programme titles.
        if is_wp_title(l, &lower) && (l.hashes > 0 || after_blank || next_is_table(ls, i)) {
            let repeat = matches!(out.last(), Some(s) if lines::key_is(&l.clean, &lines::key(&s.title)));
            if !repeat {
                push(&mut out, Start { line: i, kind: StartKind::WorkProgramme, title: l.clean.to_string() });
            }
        }
    }
    out
}

/// The minutes whose prose header (`Minutes of a meeting of … held on …`) is
/// line `i`: dated by the meeting they record, starting at the committee line
/// just above it, if there is one.
fn prose_minutes(ls: &[Line], i: usize, floor: usize, ck: Option<&str>) -> Start {
    let l = &ls[i];
    let mut date = dates::find_full_date(after_word(&l.clean, "held")).map(|f| f.date);
    if date.is_none() {
        if let Some(j) = next_content(ls, i + 1) {
            let joined = format!("{} {}", l.clean, ls[j].clean);
            date = dates::find_full_date(after_word(&joined, "held")).map(|f| f.date);
        }
    }
    let mut start = i;
    if let Some(j) = prev_content(ls, i, floor) {
        if i - j <= 3 && committee_like(&ls[j], ck, true) {
            start = j;
        }
    }
    Start { line: start, kind: StartKind::Minutes(date), title: "Minutes".into() }
}

/// The minutes whose table header has a `Minutes` cell on line `i`: they
/// start at the committee-and-date line just above it.
fn table_minutes(ls: &[Line], i: usize, floor: usize) -> Option<Start> {
    let mut j = i;
    for _ in 0..3 {
        let p = prev_content(ls, j, floor)?;
        j = p;
        if !ls[p].tab {
            if let Some(f) = dates::find_full_date(&ls[p].clean) {
                return Some(Start { line: p, kind: StartKind::Minutes(Some(f.date)), title: "Minutes".into() });
            }
        }
    }
    None
}

/// `s` lower-cased into `out` (replacing what it held): ASCII in place, in
/// the buffer already there; other text as `str::to_lowercase` has it.
fn lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

fn push(out: &mut Vec<Start>, s: Start) {
    if out.last().is_none_or(|p| s.line > p.line) {
        out.push(s);
    }
}

/// The text after the first occurrence of ` word ` (or all of it).
fn after_word<'a>(s: &'a str, word: &str) -> &'a str {
    let pat = format!(" {word} ");
    match s.to_lowercase().find(&pat) {
        // Lower-casing can change byte offsets for non-ASCII text; fall back safely.
        Some(k) if s.is_char_boundary(k) && s.len() >= k + pat.len() => &s[k..],
        _ => s,
    }
}

fn prev_content(ls: &[Line], i: usize, floor: usize) -> Option<usize> {
    (floor..i).rev().find(|&j| ls[j].is_content())
}

fn next_content(ls: &[Line], i: usize) -> Option<usize> {
    (i..ls.len().min(i + 6)).find(|&j| ls[j].is_content())
}

fn next_is_table(ls: &[Line], i: usize) -> bool {
    next_content(ls, i + 1).is_some_and(|j| ls[j].tab)
}

fn is_wp_title(l: &Line, lower: &str) -> bool {
    let c = l.clean.as_ref();
    !l.tab
        && c.len() <= 120
        && (lower.contains("work programme")
            || lower.contains("forward plan")
            || lower.contains("outcome tracker")
            || lower.contains("work plan"))
        && !c.starts_with(|ch: char| ch.is_ascii_digit())
        && !c.ends_with(['.', ':', ';', ',', '?'])
        && !lower.starts_with("to ")
        && !lower.contains("agenda item")
}

/// A line naming a committee: the pack's committee (perhaps with a date after
/// it, perhaps without its last word), or, when `generic`, any short name ending
/// in Board/Committee/Council/Cabinet/Panel.
pub(crate) fn committee_like(l: &Line, committee_key: Option<&str>, generic: bool) -> bool {
    if l.long || l.tab || l.clean.len() > 120 {
        return false;
    }
    let mut text = l.clean.as_ref();
    if let Some(f) = dates::find_full_date(text) {
        if text[f.end..].trim().is_empty() && f.start > 0 {
            text = &text[..f.start];
        }
    }
    let text = text.trim().trim_end_matches([',', '-', '–']).trim();
    if text.is_empty() {
        return false;
    }
    if let Some(ck) = committee_key {
        let k = normalise_committee(text);
        if !k.is_empty()
            && (k == ck || (ck.starts_with(&k) && k.split(' ').count() >= 2 && ck[k.len()..].starts_with(' ')))
        {
            return true;
        }
    }
    if generic && text.len() <= 80 && !text.contains(',') {
        let last = text.rsplit(' ').next().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        return matches!(last.as_str(), "board" | "committee" | "council" | "cabinet" | "panel")
            && text.split(' ').count() >= 2;
    }
    false
}

/// A council name on its own line: `Somerset County Council`.
fn council_line(l: &Line) -> bool {
    let c = l.clean.trim();
    c.len() <= 60 && !c.contains(',') && c.split(' ').count() >= 2 && c.to_lowercase().ends_with(" council")
}

/// A line that may open a report's header block above its title.
fn anchor(l: &Line, committee_key: Option<&str>) -> Option<Option<String>> {
    if l.long || l.tab {
        return None;
    }
    let c = l.clean.trim();
    if let Some(cap) = AGENDA_ITEM.captures(c) {
        return Some(Some(cap[1].to_string()));
    }
    let lower = c.to_lowercase();
    let anchor = committee_like(l, committee_key, committee_key.is_none())
        || council_line(l)
        || dates::is_date_line(c)
        || lower.starts_with("(please click")
        || (lower.starts_with("report for") && c.len() <= 40);
    anchor.then_some(None)
}

/// The start of a report whose first header field is on line `f`.
fn report_start(ls: &[Line], f: usize, floor: usize, ck: Option<&str>) -> Option<Start> {
    // The title is the content line above the first field.
    let t = prev_content(ls, f, floor)?;
    if ls[t].long || ls[t].blank_page || ls[t].clean.len() > 200 {
        return None;
    }
    let mut start = t;
    let mut explicit = None;
    let mut j = t;
    for _ in 0..6 {
        let Some(p) = prev_content(ls, j, floor) else { break };
        let l = &ls[p];
        if l.inline_blank || l.long || l.tab || l.clean.ends_with('.') {
            break;
        }
        // A blank page between lines ends the header block.
        if (p + 1..j).any(|k| ls[k].blank_page) {
            break;
        }
        if let Some(ex) = anchor(l, ck) {
            start = p;
            if ex.is_some() {
                explicit = ex;
            }
        }
        j = p;
    }
    let mut title = lines::truncate(ls[t].clean.trim(), 150).to_string();
    if title.is_empty() {
        title = "Report".into();
    }
    Some(Start { line: start, kind: StartKind::Report { explicit }, title })
}
