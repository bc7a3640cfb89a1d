//! What clerks look for in minutes: the decisions taken and who attended.
//!
//! Decisions ("RESOLVED that ...", "The Board agreed / endorsed / noted ...",
//! bold resolution lists) become their own records, type `decision`, linked to
//! their minutes item and carrying its meeting date. Attendance (present,
//! apologies, also attending) is read from the minutes header and the
//! apologies minute. Both work line by line on the minutes' own text.

use std::sync::LazyLock;

use regex::Regex;

use super::{Attendance, Item, ItemType};

static MINUTE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:#{1,6}\s*)?(?:\*\*)?(\d{1,4})(?:\.\d+)?\.?(?:\*\*)?(?:\s+|\t)(?:\*\*)?([A-Za-z][^\t]{2,150}?)(?:\*\*)?\s*(?:[-–]\s*\**\s*agenda (?:item|time)\s*\d+\**)?\s*(?:\t.*)?$")
        .expect("valid regex")
});

// Word boundaries are ASCII (`(?-u:\b)`), as in `segment::hints`: the same next
// to ASCII words, and they keep the regex engine on its DFA.
static DECISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:(?-u:\b)resolved(?-u:\b)|^\W*it was (?:agreed|resolved|noted)(?-u:\b)|^\W*agreed(?-u:\b)|",
        r"^\W*(?:the\s+)?(?-i:[A-Z][\w'&-]*\s+){0,8}(?:board|committee|council|cabinet|panel|members|group|forum)\s+",
        r"(?:\w+\s+){0,2}(?:agreed|endorsed|approved|noted|resolved|supported|accepted|ratified|recommended)(?-u:\b))"
    ))
    .expect("valid regex")
});

/// The verbs every [`DECISION`] holds: a line without one is no decision,
/// and this plain alternation is far quicker to rule it out.
static DECISION_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)agreed|endorsed|approved|noted|resolved|supported|accepted|ratified|recommended")
        .expect("valid regex")
});

/// A decision: [`DECISION`], tried only on lines with one of its verbs.
fn is_decision(line: &str) -> bool {
    DECISION_VERB.is_match(line) && DECISION.is_match(line)
}

static PROCEDURAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:correct|accurate|true) record(?-u:\b)|(?-u:\b)minutes of the (?:last|previous)(?-u:\b)|(?-u:\b)declar")
        .expect("valid regex")
});

/// Decision records found in the minutes items of a pack. Each gets the index
/// of its minutes item as `parent`.
pub fn decisions(lines: &[String], items: &[Item]) -> Vec<Item> {
    let mut out = Vec::new();
    for (parent, minutes) in items.iter().enumerate().filter(|(_, i)| i.meta.item_type == ItemType::Minutes) {
        let end = minutes.line_end.min(lines.len());
        let start = minutes.line_start.max(1);
        if start > end {
            continue;
        }
        // The last minute heading; its title is read only for a decision under it.
        let mut heading_line: Option<&str> = None;
        let mut i = start;
        while i <= end {
            let line = lines[i - 1].trim();
            let decision = is_decision(line);
            if MINUTE_HEADING.is_match(line) && (line.len() < 80 || !decision) {
                heading_line = Some(line);
            }
            if decision && !line.is_empty() {
                let heading = heading_line.and_then(|h| MINUTE_HEADING.captures(h)).map(|c| clean(&c[2]));
                let last = decision_end(lines, i, end);
                let text = lines[i - 1..last].iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
                // The decision's own words title it; the minute it sits in is its agenda title.
                let mut d = Item::new(ItemType::Decision, format!("Decision: {}", short(&clean(&text), 90)), i, last);
                d.meta.council = minutes.meta.council.clone();
                d.meta.committee = minutes.meta.committee.clone();
                d.meta.meeting_date = minutes.meta.meeting_date;
                d.meta.agenda_item = minutes.meta.agenda_item.clone();
                d.meta.agenda_title = Some(heading.clone().unwrap_or_else(|| minutes.meta.title.clone()));
                d.meta.page_start = minutes.meta.page_start;
                d.meta.page_end = minutes.meta.page_end;
                d.page_markers = minutes.page_markers.iter().copied().filter(|&(l, _)| l >= i && l <= last).collect();
                d.meta.boilerplate =
                    PROCEDURAL.is_match(&text) || heading.as_deref().is_some_and(|h| PROCEDURAL.is_match(h));
                d.meta.source_url = minutes.meta.source_url.clone();
                d.parent = Some(parent);
                out.push(d);
                i = last + 1;
                continue;
            }
            i += 1;
        }
    }
    out
}

/// The last line of a decision starting at `first`: the line itself, plus the
/// list that follows when it introduces one ("agreed the following:").
fn decision_end(lines: &[String], first: usize, end: usize) -> usize {
    let mut last = first;
    let intro = lines[first - 1].trim_end().trim_end_matches("**").trim_end();
    let introduces = intro.ends_with(':')
        || intro.ends_with('-')
        || intro.ends_with('–')
        || intro.to_lowercase().contains("following")
        || intro.to_lowercase().ends_with("that");
    if !introduces {
        return last;
    }
    let mut blanks = 0;
    let mut l = first + 1;
    while l <= end {
        let t = lines[l - 1].trim();
        if t.is_empty() {
            blanks += 1;
            if blanks > 1 {
                break;
            }
        } else if is_list_line(t) {
            blanks = 0;
            last = l;
        } else {
            break;
        }
        l += 1;
    }
    last
}

fn is_list_line(t: &str) -> bool {
    let body = t.trim_start_matches(['-', '•', '·', '*', ' ', '\t']);
    let bulleted = body.len() < t.len();
    let mut chars = body.chars();
    let lettered = matches!((chars.next(), chars.next()), (Some(c), Some(')' | '.')) if c.is_ascii_alphanumeric());
    bulleted || lettered || body.starts_with('(')
}

fn clean(s: &str) -> String {
    let s = s.replace("**", "");
    let s = s.trim().trim_end_matches(['-', '–', ':']).trim();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:#{1,6}\s*)?(?:\*\*)?\s*((?:[A-Za-z][\w&-]*\s+){0,4}?)(present|apologies(?: for absence)?|also (?:present|attended|attending|in attendance)|in attendance|officers? (?:present|in attendance))\s*(?:\*\*)?\s*:?\s*(?:\*\*)?\s*(.*)$")
        .expect("valid regex")
});

static APOLOGIES_RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)apologies(?: for absence)?(?: had been| were| have been)? (?:received|submitted|tendered) from\s+(.+?)(?:\.\s|\.$|$)").expect("valid regex")
});

static TITLES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:cllr|councillor|county councillor|dr|mr|mrs|ms|miss|prof|professor|supt|rev|revd|sir|dame|lord|lady)\.?\s+)+").expect("valid regex")
});

/// Attendance recorded in a minutes item: the labelled lists near its top and
/// any "apologies were received from ..." sentence.
pub fn attendance(lines: &[String], minutes: &Item) -> Option<Attendance> {
    let end = minutes.line_end.min(lines.len());
    let start = minutes.line_start.max(1);
    if start > end {
        return None;
    }
    let mut a = Attendance::default();
    // The header block: up to the first numbered minute, at most 80 lines.
    let mut role: Option<&'static str> = None;
    let header_end = end.min(start + 80);
    for i in start..=header_end {
        let line = lines[i - 1].trim();
        if line.is_empty() {
            continue;
        }
        if i > start + 2 && MINUTE_HEADING.is_match(line) && !LABEL.is_match(line) {
            break;
        }
        if let Some(c) = LABEL.captures(line) {
            let prefix = c[1].to_lowercase();
            let label = c[2].to_lowercase();
            let rest = c[3].trim();
            // "Present:" alone, or "Other Members present:", "Cabinet Members present:".
            let r = if label.starts_with("apolog") {
                "apologies"
            } else if label == "present" && prefix.trim().is_empty() {
                "present"
            } else {
                "attending"
            };
            // Sentences that merely mention the word are not labels.
            let is_label = line.contains(':') || line.starts_with('#') || line.starts_with("**") || line.contains('\t');
            if !is_label || rest.len() > 2000 {
                role = None;
                continue;
            }
            role = Some(r);
            push_names(&mut a, r, rest);
            continue;
        }
        match role {
            // "## Present" followed by one name per line.
            Some(r) if line.len() < 120 && !line.contains(':') && looks_like_names(line) => push_names(&mut a, r, line),
            _ => role = None,
        }
    }
    for line in &lines[start - 1..end] {
        if let Some(c) = APOLOGIES_RECEIVED.captures(line) {
            push_names(&mut a, "apologies", &c[1]);
        }
    }
    (!a.present.is_empty() || !a.apologies.is_empty() || !a.attending.is_empty()).then_some(a)
}

fn looks_like_names(line: &str) -> bool {
    let t = line.trim_start_matches(['-', '*', '•', ' ']);
    TITLES.is_match(t) || t.split_whitespace().count() <= 6 && t.chars().next().is_some_and(char::is_uppercase)
}

fn push_names(a: &mut Attendance, role: &str, text: &str) {
    let list = match role {
        "present" => &mut a.present,
        "apologies" => &mut a.apologies,
        _ => &mut a.attending,
    };
    let text = text.replace('\t', " ").replace(" and ", ", ").replace(';', ",");
    for part in text.split(',') {
        // Drop roles in brackets: "(Chair)", "(for item 6)".
        let mut name = String::new();
        let mut depth = 0;
        for c in part.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = (depth - 1).max(0),
                c if depth == 0 => name.push(c),
                _ => {}
            }
        }
        let name = name.replace("**", "");
        let name = name.trim().trim_end_matches('.').trim();
        let name = TITLES.replace(name, "");
        let name = name.trim();
        let words = name.split_whitespace().count();
        if words == 0 || words > 6 || name.eq_ignore_ascii_case("none") || !name.chars().any(char::is_alphabetic) {
            continue;
        }
        if !list.iter().any(|n| n == name) {
            list.push(name.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verb_filter_keeps_every_decision_on_the_seeds() {
        let mut decisions = 0;
        for text in crate::testing::sample_texts() {
            for line in text.lines() {
                assert_eq!(is_decision(line), DECISION.is_match(line), "{line:?}");
                decisions += usize::from(is_decision(line));
            }
        }
        assert!(decisions >= 10, "{decisions}");
    }

    fn minutes_of(text: &str) -> (Vec<String>, Vec<Item>) {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut m = Item::new(ItemType::Minutes, "Minutes", 1, lines.len());
        m.meta.meeting_date = chrono::NaiveDate::from_ymd_opt(2016, 11, 1);
        (lines, vec![m])
    }

    #[test]
    fn resolutions_become_decisions_dated_by_their_minutes() {
        // Shaped like the Worcestershire minutes in corpus-sample/004.
        let (lines, items) = minutes_of(
            "Present:\t\tMr J H Smith (Chairman), Dr C Ellson (Vice Chairman), Mrs S L Blagg\n\
             397\tSustainability and Transformation Plan\tThe Board discussed the plan.\n\
             \t\t RESOLVED that the Health and Well-being Board: a) Noted the progress on the STP;\n\
             398\tEmotional Well-being\tThe Board considered the plan.\n\
             The Board agreed the following recommendations:\n\
             - a) to endorse the plan\n\
             - b) to receive an update\n\
             \n\
             Other text.",
        );
        let d = decisions(&lines, &items);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].meta.agenda_title.as_deref(), Some("Sustainability and Transformation Plan"));
        assert!(d[0].meta.title.starts_with("Decision: RESOLVED that the Health"), "{}", d[0].meta.title);
        assert_eq!((d[0].line_start, d[0].line_end), (3, 3));
        assert_eq!((d[1].line_start, d[1].line_end), (5, 7));
        assert_eq!(d[1].meta.meeting_date, items[0].meta.meeting_date);
        assert_eq!(d[1].parent, Some(0));
    }

    #[test]
    fn attendance_is_read_from_labels_and_sentences() {
        let (lines, items) = minutes_of(
            "Minutes of a meeting held on 1 November 2016\n\
             Present: Cllr C Lawrence (Chair), Dr E Ford (Vice-Chair), J Goodchild\n\
             Other Members present: Cllr T Munt\n\
             Apologies for absence: Cllr Amanda Broom, Mel Lock, and Mark Cooke\n\
             392\tApologies\tApologies for absence had been received from Jo-anne Alner and Anthony Kelly.",
        );
        let a = attendance(&lines, &items[0]).expect("attendance");
        assert_eq!(a.present, vec!["C Lawrence", "E Ford", "J Goodchild"]);
        assert_eq!(a.attending, vec!["T Munt"]);
        assert_eq!(a.apologies, vec!["Amanda Broom", "Mel Lock", "Mark Cooke", "Jo-anne Alner", "Anthony Kelly"]);
    }
}
