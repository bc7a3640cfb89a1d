//! The front sheet and the agenda block.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::paper::lines::{self, Line};
use crate::paper::{bodies, dates};

/// The front sheet of a pack.
#[derive(Debug, Clone)]
pub(crate) struct Front {
    /// The committee title line (0-based).
    pub title_line: usize,
    /// The weekday date line (0-based).
    pub date_line: usize,
    /// The body the front sheet names, if it names one.
    pub committee: Option<String>,
    /// The meeting date.
    pub date: NaiveDate,
}

/// One agenda entry.
#[derive(Debug, Clone)]
pub(crate) struct AgendaEntry {
    pub num: String,
    pub title: String,
    pub pages: Option<(u32, u32)>,
    pub listed: Option<String>,
    pub presenter: Option<String>,
    /// First and last content line of the entry (0-based, inclusive).
    pub line_start: usize,
    pub line_end: usize,
    pub procedural: bool,
}

const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A front sheet: a short title line followed within three content lines by a
/// weekday date line (or a line that is just a date).
pub(crate) fn front_sheet(ls: &[Line], first: usize) -> Option<Front> {
    let title = &ls[first];
    if title.long || title.tab || title.clean.len() > 150 || title.clean.is_empty() {
        return None;
    }
    // A link line ("[Original file](https://…)"), a rule or a minutes heading is not a committee title.
    let tl = title.clean.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    if title.clean.contains("://")
        || title.clean.chars().all(|c| matches!(c, '-' | '=' | '_' | '*' | ' '))
        || tl == "minutes"
        || tl.starts_with("minutes of")
    {
        return None;
    }
    let mut j = first;
    for _ in 0..3 {
        j = (j + 1..ls.len().min(j + 20)).find(|&k| ls[k].is_content())?;
        let l = &ls[j];
        if l.long || l.tab {
            continue;
        }
        let lower = l.clean.to_lowercase();
        let weekday = WEEKDAYS.iter().any(|w| lower.starts_with(w));
        if !(weekday || dates::is_date_line(&l.clean)) {
            continue;
        }
        let mut date = dates::find_full_date(&l.clean).map(|f| f.date);
        if date.is_none() {
            // A Markdown hard break may wrap the date: "Friday 17  " / "November 2017".
            if let Some(k) = (j + 1..ls.len().min(j + 3)).find(|&k| ls[k].is_content()) {
                date = dates::find_full_date(&format!("{} {}", l.clean, ls[k].clean)).map(|f| f.date);
            }
        }
        let date = date?;
        let committee = front_committee(ls, first, j);
        return Some(Front { title_line: first, date_line: j, committee, date });
    }
    None
}

/// The body a front sheet names between its title line and its date: the
/// first line that names one other than a council ("ASHWORTH BOROUGH
/// COUNCIL" / "CABINET" -> "Cabinet"), else the title's own body ("Agenda
/// Health and Well-Being Board" -> "Health and Well-Being Board").
fn front_committee(ls: &[Line], title: usize, date: usize) -> Option<String> {
    let named = |i: usize| bodies::body_name(&ls[i].clean);
    (title..date)
        .filter(|&i| ls[i].is_content() && !ls[i].long)
        .filter_map(named)
        .find(|b| bodies::council_in(b).is_none())
        .or_else(|| named(title))
}

static BOLD_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})([a-z]?)\.?\s+\*\*(.+?)\*\*(.*)$").expect("valid regex"));
static PLAIN_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})([a-z]?)[.)]?\s+(\S.{2,250})$").expect("valid regex"));
static PAGE_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\(\s*pages?\s+(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?\s*\)").expect("valid regex"));
static PAGE_CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?$").expect("valid regex"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Bold,
    Tsv,
    Plain,
}

struct Parsed {
    num: u32,
    suffix: String,
    style: Style,
    title: String,
    pages: Option<(u32, u32)>,
    listed: Option<String>,
    presenter: Option<String>,
}

/// The agenda entries between `from` and `to` (0-based, exclusive end). The
/// block starts after an `AGENDA` line when there is one; item numbers must run
/// consecutively from 1.
pub(crate) fn entries(ls: &[Line], from: usize, to: usize) -> Vec<AgendaEntry> {
    let to = to.min(ls.len());
    let from = (from..to).find(|&i| ls[i].clean.eq_ignore_ascii_case("agenda")).map_or(from, |i| i + 1);
    let mut found: Vec<(usize, Parsed)> = Vec::new();
    let mut expected = 1u32;
    let mut style: Option<Style> = None;
    for (i, l) in ls.iter().enumerate().take(to).skip(from) {
        if !l.is_content() {
            continue;
        }
        let Some(p) = parse_item(l.raw.trim(), style) else { continue };
        let next = p.num == expected;
        let sub = p.num + 1 == expected && !p.suffix.is_empty();
        if next || sub {
            if next {
                expected += 1;
            }
            style = Some(p.style);
            found.push((i, p));
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for k in 0..found.len() {
        let (line, p) = &found[k];
        let limit = found.get(k + 1).map_or(to, |f| f.0);
        let mut end = *line;
        if p.style == Style::Tsv {
            // The row, plus continuation rows that start with a TAB.
            for (j, l) in ls.iter().enumerate().take(limit).skip(line + 1) {
                if l.empty {
                    continue;
                }
                if l.raw.starts_with('\t') {
                    end = j;
                } else {
                    break;
                }
            }
        } else if let Some(e) = (line + 1..limit).rev().find(|&j| ls[j].is_content()) {
            end = e;
        }
        let procedural = is_procedural(&p.title);
        out.push(AgendaEntry {
            num: format!("{}{}", p.num, p.suffix),
            title: p.title.clone(),
            pages: p.pages,
            listed: p.listed.clone(),
            presenter: p.presenter.clone(),
            line_start: *line,
            line_end: end,
            procedural,
        });
    }
    out
}

fn parse_item(t: &str, style: Option<Style>) -> Option<Parsed> {
    let want = |s: Style| style.is_none_or(|x| x == s);
    if want(Style::Tsv) && t.contains('\t') {
        if let Some(p) = parse_tsv(t) {
            return Some(p);
        }
    }
    if want(Style::Bold) {
        if let Some(c) = BOLD_ITEM.captures(t) {
            let raw_title = &c[3];
            let tail = &c[4];
            let (pages, listed) = page_ref(raw_title).or_else(|| page_ref(tail)).unwrap_or((None, None));
            let listed = listed.or_else(|| to_follow(tail).or_else(|| to_follow(raw_title)));
            let title = PAGE_REF.replace_all(raw_title, "");
            let title = tidy_title(&title);
            if title.is_empty() {
                return None;
            }
            return Some(Parsed {
                num: c[1].parse().ok()?,
                suffix: c[2].to_string(),
                style: Style::Bold,
                title,
                pages,
                listed,
                presenter: None,
            });
        }
    }
    if want(Style::Plain) && !t.contains('\t') && !t.contains("**") {
        if let Some(c) = PLAIN_ITEM.captures(t) {
            let body = &c[3];
            if !body.starts_with(|ch: char| ch.is_uppercase() || "'‘\"“".contains(ch)) {
                return None;
            }
            let (pages, listed) = page_ref(body).unwrap_or((None, None));
            let listed = listed.or_else(|| to_follow(body));
            let title = tidy_title(&PAGE_REF.replace_all(body, ""));
            if title.is_empty() || title.ends_with('.') {
                return None;
            }
            return Some(Parsed {
                num: c[1].parse().ok()?,
                suffix: c[2].to_string(),
                style: Style::Plain,
                title,
                pages,
                listed,
                presenter: None,
            });
        }
    }
    None
}

/// `3\tSubject\tPresenter\t11 - 16`.
fn parse_tsv(t: &str) -> Option<Parsed> {
    let cells: Vec<&str> = t.split('\t').map(str::trim).collect();
    let num_cell = cells.first()?.trim_end_matches('.');
    let digits: String = num_cell.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let suffix = &num_cell[digits.len()..];
    if suffix.len() > 1 || !suffix.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let title = short_subject(&tidy_title(cells.get(1)?));
    if title.is_empty() {
        return None;
    }
    let mut pages = None;
    let mut listed = None;
    let mut page_cell = None;
    for (k, c) in cells.iter().enumerate().skip(2).rev() {
        if c.is_empty() {
            continue;
        }
        if let Some(m) = PAGE_CELL.captures(c) {
            let a: u32 = m[1].parse().ok()?;
            let b: u32 = m.get(2).and_then(|x| x.as_str().parse().ok()).unwrap_or(a);
            pages = Some((a, b));
            listed = Some(if a == b { a.to_string() } else { format!("{a}-{b}") });
            page_cell = Some(k);
        } else if c.eq_ignore_ascii_case("to follow") {
            listed = Some("To Follow".into());
            page_cell = Some(k);
        }
        break;
    }
    let presenter = cells
        .iter()
        .enumerate()
        .skip(2)
        .find(|&(k, c)| !c.is_empty() && Some(k) != page_cell)
        .map(|(_, c)| c.to_string());
    Some(Parsed {
        num: digits.parse().ok()?,
        suffix: suffix.to_string(),
        style: Style::Tsv,
        title,
        pages,
        listed,
        presenter,
    })
}

/// A table cell that runs the title into its description ("Public Participation
/// Members of the public wishing…", "Future Meeting DatesPublic meetings…") is
/// cut where the description starts.
fn short_subject(s: &str) -> String {
    const SMALL: &[&str] = &["of", "the", "and", "for", "to", "in", "on", "a", "an", "or", "at", "by", "with"];
    if s.len() <= 150 {
        return s.to_string();
    }
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    for (k, w) in words.iter().enumerate() {
        // Glued words: a lower-case letter directly followed by a capital.
        let b: Vec<char> = w.chars().collect();
        if let Some(p) = (1..b.len()).find(|&p| b[p - 1].is_lowercase() && b[p].is_uppercase()) {
            let head: String = b[..p].iter().collect();
            let mut t = words[..k].join(" ");
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(&head);
            return t;
        }
        if k >= 1 && w.starts_with(|c: char| c.is_uppercase()) {
            let sentence = words[k + 1..words.len().min(k + 4)]
                .iter()
                .any(|x| x.starts_with(|c: char| c.is_lowercase()) && !SMALL.contains(x));
            if sentence {
                return words[..k].join(" ");
            }
        }
    }
    lines::truncate(s, 150).to_string()
}

/// The page range a reference lists, and how it is listed.
pub(crate) type PageRef = (Option<(u32, u32)>, Option<String>);

/// The pages a reference lists: `(Pages 5 - 12)` -> 5-12.
pub(crate) fn page_ref(s: &str) -> Option<PageRef> {
    let c = PAGE_REF.captures(s)?;
    let a: u32 = c[1].parse().ok()?;
    let b: u32 = c.get(2).and_then(|x| x.as_str().parse().ok()).unwrap_or(a);
    let listed = if a == b { a.to_string() } else { format!("{a}-{b}") };
    Some((Some((a, b)), Some(listed)))
}

/// "To Follow", where the text says the paper will follow.
pub(crate) fn to_follow(s: &str) -> Option<String> {
    s.to_lowercase().contains("to follow").then(|| "To Follow".to_string())
}

/// `s` without its page references.
pub(crate) fn without_page_ref(s: &str) -> String {
    PAGE_REF.replace_all(s, "").trim().to_string()
}

fn tidy_title(s: &str) -> String {
    let t = lines::strip_markup(s);
    let t = t.trim().trim_end_matches(['-', '–', ':']).trim();
    lines::truncate(t, 250).to_string()
}

/// Procedural agenda business: apologies, declarations, public questions, any other business.
pub(crate) fn is_procedural(title: &str) -> bool {
    let t = title.to_lowercase();
    [
        "apolog",
        "declaration",
        "public question",
        "public participation",
        "questions from the public",
        "any other",
        "urgent business",
        "urgent items",
        "substitut",
        "chair's announcements",
        "chairman's announcements",
    ]
    .iter()
    .any(|k| t.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_lines_parse() {
        let p = parse_item("3 **Minutes from the meeting held on Thursday 14th November 2019** (Pages 5 - 12)", None)
            .unwrap();
        assert_eq!(
            (p.num, p.title.as_str(), p.listed.as_deref()),
            (3, "Minutes from the meeting held on Thursday 14th November 2019", Some("5-12"))
        );
        let p = parse_item("5 **Scrutiny Work Programme (Pages 11 - 32)**", None).unwrap();
        assert_eq!((p.title.as_str(), p.pages), ("Scrutiny Work Programme", Some((11, 32))));
        let p = parse_item("8\tAcute Trust Performance\tFrances Howie\tTo Follow", None).unwrap();
        assert_eq!(
            (p.listed.as_deref(), p.presenter.as_deref(), p.pages),
            (Some("To Follow"), Some("Frances Howie"), None)
        );
        let p = parse_item("4\tConfirmation of Minutes\t\t1 - 10", None).unwrap();
        assert_eq!((p.listed.as_deref(), p.presenter), (Some("1-10"), None));
        assert!(parse_item("1. **Inspection of Papers**", Some(Style::Tsv)).is_none());
    }

    #[test]
    fn committee_titles() {
        let ls: Vec<Line> = ["Agenda Health and Well-Being Board", "SOMERSET HEALTH AND WELLBEING BOARD", "x"]
            .iter()
            .map(|l| Line::new(l))
            .collect();
        assert_eq!(front_committee(&ls, 0, 1).as_deref(), Some("Health and Well-Being Board"));
        assert_eq!(front_committee(&ls, 1, 2).as_deref(), Some("Somerset Health and Wellbeing Board"));
        let ls: Vec<Line> =
            ["ASHWORTH BOROUGH COUNCIL", "CABINET", "Tuesday 3 May"].iter().map(|l| Line::new(l)).collect();
        assert_eq!(front_committee(&ls, 0, 2).as_deref(), Some("Cabinet"));
        let ls: Vec<Line> = ["Summons to and", "Agenda for a", "Meeting on"].iter().map(|l| Line::new(l)).collect();
        assert_eq!(front_committee(&ls, 0, 2), None);
    }
}
