//! Papers that are not packs, made into items by their numbering: a set of
//! minutes into one item per numbered minute (after the minutes' head, with
//! who attended), an agenda into one entry per numbered item with the pages
//! it lists. The numbering itself is [`numbered`]'s to find.

use chrono::NaiveDate;

use super::agenda::{self, AgendaEntry};
use super::numbered::{self, Heading};
use super::Doc;
use crate::paper::lines::{self, Line};
use crate::paper::ItemType;

/// Longest title taken from a heading's line.
const TITLE_CHARS: usize = 120;

/// The minutes of a paper from line `first` (0-based) to `end`: the head
/// (up to the first numbered minute), then one doc per minute, each dated
/// by the meeting the minutes record. `None` when fewer than two minutes are
/// numbered: the minutes stay one item.
pub(super) fn minutes(ls: &[Line], first: usize, end: usize, date: Option<NaiveDate>, title: &str) -> Option<Vec<Doc>> {
    let heads = numbered::headings(ls, first, end, 2, false);
    let first_minute = heads.first()?.line;
    let mut docs = Vec::with_capacity(heads.len() + 1);
    if (first..first_minute).any(|i| ls[i].is_content()) {
        let mut head = Doc::new(ItemType::Minutes, first, first_minute, title.to_string());
        head.minutes_date = date;
        docs.push(head);
    }
    for (k, h) in heads.iter().enumerate() {
        let stop = heads.get(k + 1).map_or(end, |n| n.line);
        let (title, item) = minute_title(ls, h, stop);
        let mut d = Doc::new(ItemType::Minutes, h.line, stop, title);
        d.minutes_date = date;
        d.number = Some(item.unwrap_or_else(|| h.number.clone()));
        docs.push(d);
    }
    Some(docs)
}

/// A minute's title, and the agenda item it says it is for: the words after
/// its number up to a colon or a full stop ("2614. Police Report: none."),
/// else its next line ("84." / "Apologies" / "(Item 1)"); a resolution is
/// titled by its first words ("That the meeting be adjourned").
fn minute_title(ls: &[Line], h: &Heading, stop: usize) -> (String, Option<String>) {
    let following: Vec<&str> =
        (h.line + 1..stop.min(h.line + 8)).filter(|&i| ls[i].is_content()).map(|i| ls[i].clean.as_ref()).collect();
    let item = std::iter::once(h.rest.as_str()).chain(following.iter().copied().take(2)).find_map(agenda_item_of);
    let rest = lines::strip_markup(&h.rest);
    let own = if h.is_resolution() { "" } else { rest.trim() };
    let title = if title_words(own) {
        heading_words(own)
    } else {
        following
            .iter()
            .find(|l| title_words(l) && agenda_item_of(l).is_none())
            .map_or_else(|| format!("Minute {}", h.number), |l| heading_words(l))
    };
    (title, item)
}

/// True when a line has words to title an item with.
fn title_words(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 3
}

/// A heading's words: up to the colon, dash or full stop that ends them, cut to a title's length.
fn heading_words(s: &str) -> String {
    let s = s.trim().trim_start_matches(['-', '–', '—', ':', ' ']);
    let end = s
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ':' | '.') && i >= 3 && !s[i + c.len_utf8()..].starts_with(|n: char| n.is_ascii_digit())
        })
        .map_or(s.len(), |(i, _)| i);
    let t = s[..end].trim().trim_end_matches(['-', '–', '—']).trim();
    if t.chars().count() <= TITLE_CHARS {
        return t.to_string();
    }
    let cut: String = t.chars().take(TITLE_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// `(Item 3)`, `Agenda Item 3`, `- Agenda Item 3`: the agenda item a minute is for.
fn agenda_item_of(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let at = lower.find("item ")?;
    let before = lower[..at].trim_end_matches([' ', '(', '-', '–', '*']).trim_end();
    if !(before.is_empty() || before.ends_with("agenda")) {
        return None;
    }
    let num: String = s[at + 5..].trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.').collect();
    let num = num.trim_end_matches('.');
    (num.starts_with(|c: char| c.is_ascii_digit()) && num.len() <= 6).then(|| num.to_string())
}

/// An agenda's entries, by its numbering, between `from` and `to` (after an
/// `AGENDA` line when there is one): each numbered item, its title (on its
/// line, or the next when the number stands alone) and the pages it lists.
pub(super) fn agenda_entries(ls: &[Line], from: usize, to: usize) -> Vec<AgendaEntry> {
    let to = to.min(ls.len());
    // After an `AGENDA` line, one numbered item is an agenda; elsewhere a
    // list takes two.
    let agenda_line = (from..to).find(|&i| is_agenda_line(&ls[i]));
    let from = agenda_line.map_or(from, |i| i + 1);
    let heads = numbered::headings(ls, from, to, if agenda_line.is_some() { 1 } else { 2 }, true);
    let mut out = Vec::with_capacity(heads.len());
    for (k, h) in heads.iter().enumerate() {
        let stop = heads.get(k + 1).map_or(to, |n| n.line);
        let last = (h.line..stop).rev().find(|&i| ls[i].is_content()).unwrap_or(h.line);
        // The title: on the number's line, else the next content line; with
        // the page reference of either.
        let own = lines::strip_markup(&h.rest).trim().to_string();
        let next = (h.line + 1..stop).find(|&i| ls[i].is_content()).map(|i| ls[i].clean.to_string());
        let raw = if title_words(&own) { own } else { next.clone().unwrap_or_default() };
        let (pages, listed) =
            agenda::page_ref(&raw).or_else(|| next.as_deref().and_then(agenda::page_ref)).unwrap_or((None, None));
        let listed = listed.or_else(|| agenda::to_follow(&raw));
        let title = heading_words(&agenda::without_page_ref(&raw));
        // A number whose title a converter moved away is no entry.
        if !title_words(&title) {
            continue;
        }
        out.push(AgendaEntry {
            num: h.number.clone(),
            procedural: agenda::is_procedural(&title),
            title,
            pages,
            listed,
            presenter: None,
            line_start: h.line,
            line_end: last,
        });
    }
    if let (Some(first), Some(_)) = (out.first(), agenda_line) {
        if let Some(e) = lost_first(ls, from..heads[0].line, first) {
            out.insert(0, e);
        }
    }
    out
}

/// The first entry of a list the run of numbers left out: the first line of
/// `span` (after the `AGENDA` line, before the run), when it is
/// numbered 1 (the numbers after it lost to a scan or a column: "1. Minutes"
/// … "10.", "11."), or, before entry 2, when it reads as a title after a
/// stray mark or none ("4. Minutes", "i, Minutes", ": Minutes", "Minutes").
/// It is entry 1, as the list counts.
fn lost_first(ls: &[Line], span: std::ops::Range<usize>, next: &AgendaEntry) -> Option<AgendaEntry> {
    let line = span.clone().find(|&i| ls[i].is_content())?;
    let one = numbered::headings(ls, line, line + 1, 1, false).first().is_some_and(|h| h.number == "1");
    if !(next.num == "2" || one && next.num != "1") {
        return None;
    }
    let t = ls[line].clean.trim();
    let title = match t.split_once([' ', '\t']) {
        Some((mark, rest)) if mark.chars().count() <= 3 && !mark.chars().all(char::is_alphabetic) => rest.trim(),
        Some((mark, rest)) if mark.chars().count() == 1 && rest.starts_with(char::is_uppercase) => rest.trim(),
        _ => t,
    };
    let title = heading_words(title);
    if !title.starts_with(char::is_uppercase) || !title_words(&title) || title.split(' ').count() > 12 {
        return None;
    }
    let last = (line..span.end).rev().find(|&i| ls[i].is_content()).unwrap_or(line);
    Some(AgendaEntry {
        num: "1".to_string(),
        procedural: agenda::is_procedural(&title),
        title,
        pages: None,
        listed: None,
        presenter: None,
        line_start: line,
        line_end: last,
    })
}

/// A line that heads an agenda's list: `AGENDA`, `*** AGENDA ***`, `Agenda:`, `Clár`.
fn is_agenda_line(l: &Line) -> bool {
    let t = l.clean.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    // Letters spaced out for show: "A G E N D A".
    let t: String = if t.split(' ').all(|w| w.chars().count() == 1) { t.replace(' ', "") } else { t };
    t == "agenda" || t == "business" || t == "order of business" || t == "clár" || t == "clar"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<Line<'_>> {
        text.lines().map(Line::new).collect()
    }

    #[test]
    fn minutes_are_split_at_their_numbered_minutes() {
        let text = "Minutes of the meeting of Hinton Parish Council held on 7 May 2019\nPresent: Cllr A, Cllr B\n\n\
                    2614. Police Report: nothing to report.\n\n2615. Apologies for absence: Cllr C.\n\
                    2616. Planning Applications:-\nDM/19/1 – an extension. No objection.";
        let ls = lines_of(text);
        let docs = minutes(&ls, 0, ls.len(), NaiveDate::from_ymd_opt(2019, 5, 7), "Minutes").unwrap();
        let got: Vec<(&str, Option<&str>, usize)> =
            docs.iter().map(|d| (d.title.as_str(), d.number.as_deref(), d.start)).collect();
        assert_eq!(
            got,
            [
                ("Minutes", None, 0),
                ("Police Report", Some("2614"), 3),
                ("Apologies for absence", Some("2615"), 5),
                ("Planning Applications", Some("2616"), 6)
            ]
        );
        assert!(docs.iter().all(|d| d.minutes_date == NaiveDate::from_ymd_opt(2019, 5, 7)));
    }

    #[test]
    fn a_minute_s_title_may_follow_its_number_and_name_its_agenda_item() {
        let text = "MINUTES of a meeting of the Cabinet\n84.\nApologies\n(Item 1)\nApologies were received.\n\
                    85.\nDeclarations of Interest\n(Item 2)\nNone.";
        let ls = lines_of(text);
        let docs = minutes(&ls, 0, ls.len(), None, "Minutes").unwrap();
        assert_eq!(docs[1].title, "Apologies");
        assert_eq!(docs[1].number.as_deref(), Some("1"));
        assert_eq!(docs[2].title, "Declarations of Interest");
    }

    #[test]
    fn a_resolution_is_titled_by_its_words() {
        let text = "MINUTES\nR2024-086 A. Roe, B. Doe:\nThat the minutes be adopted. Carried.\n\
                    R2024-087 B. Doe, A. Roe:\nThat the meeting be adjourned. Carried.";
        let ls = lines_of(text);
        let docs = minutes(&ls, 0, ls.len(), None, "Minutes").unwrap();
        assert_eq!(docs[1].title, "That the minutes be adopted");
        assert_eq!(docs[1].number.as_deref(), Some("R2024-086"));
    }

    #[test]
    fn unnumbered_minutes_stay_whole() {
        let ls = lines_of("Minutes\nThe meeting discussed the park.\n1. One point only");
        assert!(minutes(&ls, 0, ls.len(), None, "Minutes").is_none());
    }

    #[test]
    fn agenda_entries_by_their_numbering() {
        let text = "ASHWORTH BOROUGH COUNCIL\nAGENDA\n1.\n\nApologies\n\n2.\n\nDeclarations of Interest\n\n\
                    3.\n\nMinutes of the Meeting held on 30 January 2025 (Pages 1 - 18)\n\n4. Budget Report (Pages 19 - 24)\n\
                    4.1 Capital Programme\n5. Any other business.";
        let ls = lines_of(text);
        let e = agenda_entries(&ls, 0, ls.len());
        let got: Vec<(&str, &str, Option<&str>)> =
            e.iter().map(|x| (x.num.as_str(), x.title.as_str(), x.listed.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("1", "Apologies", None),
                ("2", "Declarations of Interest", None),
                ("3", "Minutes of the Meeting held on 30 January 2025", Some("1-18")),
                ("4", "Budget Report", Some("19-24")),
                ("4.1", "Capital Programme", None),
                ("5", "Any other business", None)
            ]
        );
        assert!(e[0].procedural && !e[3].procedural);
    }

    #[test]
    fn an_agenda_s_first_entry_with_its_number_lost_to_the_scanner() {
        for first in ["qd. Minutes", ": Minutes", "i, Minutes", "Minutes"] {
            let text = format!(
                "Dunmore District Council\nAGENDA\n{first}\nTo adopt the Minutes of 3 May.\n\n\
                 2. Harbour Bay Footpaths\nTo note a report.\nQUESTIONS"
            );
            let ls = lines_of(&text);
            let e = agenda_entries(&ls, 0, ls.len());
            let got: Vec<(&str, &str)> = e.iter().map(|x| (x.num.as_str(), x.title.as_str())).collect();
            assert_eq!(got, [("1", "Minutes"), ("2", "Harbour Bay Footpaths")], "{first:?}");
        }
        let ls = lines_of("AGENDA\n1. — Minutes\nTo adopt them.\n2. Roads\n\n10.\n11.\n12.\nQUESTIONS");
        let e = agenda_entries(&ls, 0, ls.len());
        assert_eq!(e.iter().map(|x| x.title.as_str()).collect::<Vec<_>>(), ["Minutes", "Roads"]);
        // Numbered 1, its later numbers in a column apart from their titles.
        let ls = lines_of("AGENDA\n1. Minutes\nTo adopt them.\n\n10.\n11.\n12.\nNOTICES OF MOTION\nI will move.");
        let e = agenda_entries(&ls, 0, ls.len());
        let got: Vec<(&str, &str)> = e.iter().map(|x| (x.num.as_str(), x.title.as_str())).collect();
        assert_eq!(got, [("1", "Minutes"), ("12", "NOTICES OF MOTION")]);
        assert_eq!((e[0].line_start, e[0].line_end), (1, 2));
        // A list that is not after an `AGENDA` line keeps what it prints.
        let ls = lines_of("Dunmore District Council\nMinutes\n2. Harbour Bay Footpaths\n3. Roads");
        assert_eq!(agenda_entries(&ls, 0, ls.len())[0].num, "2");
    }
}
