//! Who attended a meeting, as its minutes record it: the labelled lists near
//! their top (present, apologies, also attending) and the apologies minute.
//! The decisions taken are [`super::decisions`]'s.

use std::sync::LazyLock;

use regex::Regex;

use super::{Attendance, Item};

pub(super) static MINUTE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:#{1,6}\s*)?(?:\*\*)?(\d{1,4})(?:\.\d+)?\.?(?:\*\*)?(?:\s+|\t)(?:\*\*)?([A-Za-z][^\t]{2,150}?)(?:\*\*)?\s*(?:[-–]\s*\**\s*agenda (?:item|time)\s*\d+\**)?\s*(?:\t.*)?$")
        .expect("valid regex")
});

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

    fn minutes_of(text: &str) -> (Vec<String>, Vec<Item>) {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut m = Item::new(super::super::ItemType::Minutes, "Minutes", 1, lines.len());
        m.meta.meeting_date = chrono::NaiveDate::from_ymd_opt(2016, 11, 1);
        (lines, vec![m])
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
