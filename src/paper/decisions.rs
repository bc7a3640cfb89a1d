//! The decisions minutes record, each a record of its own (type `decision`)
//! with its text, linked to its minutes and carrying their meeting date: a
//! resolution ("RESOLVED that…", "And Resolved:" with the resolution on the
//! lines after it), an agreement ("It was agreed…", "The Board endorsed…"),
//! a numbered resolution ("R2024-086 A. Roe, B. Doe: That… Carried.") or a
//! motion ("Proposed by Cllr Roe, seconded by Cllr Doe, that…"), with who
//! moved and seconded it and whether it was carried, where the minutes say.
//! Works line by line on the minutes' own text.

use std::sync::LazyLock;

use regex::Regex;

use super::minutes::MINUTE_HEADING;
use super::{Item, ItemType};

// Word boundaries are ASCII (`(?-u:\b)`): the same next to ASCII words, and
// they keep the regex engine on its DFA.
static DECISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:(?-u:\b)resolved(?-u:\b)|^\W*it was (?:agreed|resolved|noted)(?-u:\b)|^\W*agreed(?-u:\b)|",
        r"^\W*(?:the\s+)?(?-i:[A-Z][\w'&-]*\s+){0,8}(?:board|committee|council|cabinet|panel|members|group|forum)\s+",
        r"(?:\w+\s+){0,2}(?:agreed|endorsed|approved|noted|resolved|supported|accepted|ratified|recommended)(?-u:\b)|",
        r"(?:proposed|moved)(?-u:\b).{0,80}(?-u:\b)seconded(?-u:\b))"
    ))
    .expect("valid regex")
});

/// The verbs every [`DECISION`] holds: a line without one is no decision,
/// and this plain alternation is far quicker to rule it out.
static DECISION_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)agreed|endorsed|approved|noted|resolved|supported|accepted|ratified|recommended|seconded")
        .expect("valid regex")
});

/// A numbered resolution with its mover and seconder: `R2024-086 A. Roe, B. Doe:`.
static RESOLUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W*[A-Z][0-9]{4}-[0-9]{1,4}(?:\s+([^,:]{2,40}),\s*([^:]{2,40}))?\s*:?").expect("valid regex")
});

/// A mover or seconder named before the verb: "Mr Roe proposed, and Mr Doe seconded".
static NAMED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-i:((?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Sir)\.?\s+[A-Z][A-Za-z'’.-]*(?:\s+[A-Z][A-Za-z'’.-]*)?))\s+(proposed|moved|seconded)(?-u:\b)")
        .expect("valid regex")
});

static MOVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:proposed|moved)(?:\s+by)?\s*[:\-–]?\s*(?:(?:cllr|councillor|mr|mrs|ms|miss|dr)\.?\s+)*(?-i:([A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3}))")
        .expect("valid regex")
});

static SECONDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)seconded(?:\s+by)?\s*[:\-–]?\s*(?:(?:cllr|councillor|mr|mrs|ms|miss|dr)\.?\s+)*(?-i:([A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3}))")
        .expect("valid regex")
});

/// How a motion ended: carried, defeated, withdrawn.
static OUTCOME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(carried|defeated|lost|withdrawn|fell|all in favour|unanimously)(?-u:\b)")
        .expect("valid regex")
});

/// A resolution's label, before its words: "And Resolved:", "RESOLVED -", "It was agreed:".
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:and\s+)?(?:agreed\s+and\s+)?(?:resolved|it was (?:agreed|resolved)|agreed)\W*(?:[:;,.\-–—]\W*|$)",
    )
    .expect("valid regex")
});

/// A decision: [`DECISION`], tried only on lines with one of its verbs; or a
/// numbered resolution. A line that starts in lower case ends another line's
/// sentence ("…this was\nagreed."), and starts nothing.
fn is_decision(line: &str) -> bool {
    let continues = line.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_lowercase);
    (!continues && DECISION_VERB.is_match(line) && DECISION.is_match(line)) || is_resolution(line)
}

/// A line that only tells how a motion went: "Agreed unanimously.", "Carried."
fn is_outcome_line(line: &str) -> bool {
    let t = line.trim().trim_end_matches(['.', '*']).trim_start_matches(['*', ' ']).to_lowercase();
    matches!(
        t.as_str(),
        "agreed" | "agreed unanimously" | "carried" | "carried unanimously" | "resolved" | "lost" | "defeated"
    )
}

/// A numbered resolution's first line (`R2024-086 …`).
fn is_resolution(line: &str) -> bool {
    let t = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    let b = t.as_bytes();
    b.len() >= 7 && b[0].is_ascii_uppercase() && b[1..5].iter().all(u8::is_ascii_digit) && b[5] == b'-'
}

static PROCEDURAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:correct|accurate|true) record(?-u:\b)|(?-u:\b)minutes of the (?:last|previous)(?-u:\b)|(?-u:\b)declar")
        .expect("valid regex")
});

/// Most lines one decision spans.
const MAX_DECISION_LINES: usize = 30;

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
            let found = is_decision(line);
            if MINUTE_HEADING.is_match(line) && (line.len() < 80 || !found) && !is_resolution(line) {
                heading_line = Some(line);
            }
            if found && !line.is_empty() {
                let heading = heading_line.and_then(|h| MINUTE_HEADING.captures(h)).map(|c| clean(&c[2]));
                // "Agreed unanimously." alone: the decision is the motion above it.
                let first = if is_outcome_line(line) { paragraph_before(lines, i, start) } else { i };
                let last = decision_end(lines, i, end);
                let d = decision(lines, (first, last), (parent, minutes), heading);
                out.push(d);
                i = last + 1;
                continue;
            }
            i += 1;
        }
    }
    out
}

/// The decision on lines `first..=last` of the minutes item `parent`.
fn decision(
    lines: &[String],
    (first, last): (usize, usize),
    (parent, minutes): (usize, &Item),
    heading: Option<String>,
) -> Item {
    let text = lines[first - 1..last].iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    // The decision's own words title it; the minute it sits in is its agenda title.
    let mut d = Item::new(ItemType::Decision, format!("Decision: {}", short(&clean(words_of(&text)), 90)), first, last);
    d.meta.council = minutes.meta.council.clone();
    d.meta.committee = minutes.meta.committee.clone();
    d.meta.meeting_date = minutes.meta.meeting_date;
    d.meta.agenda_item = minutes.meta.agenda_item.clone();
    d.meta.agenda_title = Some(heading.clone().unwrap_or_else(|| minutes.meta.title.clone()));
    d.meta.page_start = minutes.meta.page_start;
    d.meta.page_end = minutes.meta.page_end;
    d.page_markers = minutes.page_markers.iter().copied().filter(|&(l, _)| l >= first && l <= last).collect();
    d.meta.boilerplate = PROCEDURAL.is_match(&text) || heading.as_deref().is_some_and(|h| PROCEDURAL.is_match(h));
    d.meta.source_url = minutes.meta.source_url.clone();
    // Who moved and seconded it may be written just before it.
    let before = lines[first.saturating_sub(5).max(minutes.line_start) - 1..first - 1].join(" ");
    let motion = motion(&format!("{before} {text}"), lines[first - 1].trim());
    (d.meta.mover, d.meta.seconder, d.meta.outcome) = motion;
    d.parent = Some(parent);
    d
}

/// A decision's own words: after its label ("And Resolved:") and, where a
/// motion is written before it, from its "That".
fn words_of(text: &str) -> &str {
    let t = LABEL.find(text).map_or(text, |m| &text[m.end()..]);
    let t = if is_resolution(t) { t.split_once(':').map_or(t, |(_, r)| r) } else { t };
    match t.find(" That ").or_else(|| t.find("“That ").map(|k| k + 3)).or_else(|| t.find("\"That ").map(|k| k + 1)) {
        Some(k) if k < 200 && (MOVER.is_match(&t[..k]) || SECONDER.is_match(&t[..k])) => &t[k..],
        _ => t,
    }
}

/// Who moved a motion, who seconded it, and how it ended, where the text says.
fn motion(text: &str, first_line: &str) -> (Option<String>, Option<String>, Option<String>) {
    // A name ends where the minutes' words go on ("Roe Seconded - Cllr Doe That…").
    const NOT_NAME: &[&str] =
        &["Seconded", "Proposed", "Moved", "That", "And", "Carried", "All", "Resolved", "It", "The"];
    let name = |s: &str| {
        let words: Vec<&str> = s.split_whitespace().take_while(|w| !NOT_NAME.contains(w)).collect();
        let n = words.join(" ");
        let n = n.trim().trim_end_matches(['.', ',', ';', ':']).trim();
        (n.chars().filter(|c| c.is_alphabetic()).count() >= 2).then(|| n.to_string())
    };
    let (mut mover, mut seconder) = (None, None);
    if let Some(c) = RESOLUTION.captures(first_line.trim_start_matches(|c: char| !c.is_alphanumeric())) {
        mover = c.get(1).and_then(|m| name(m.as_str()));
        seconder = c.get(2).and_then(|m| name(m.as_str()));
    }
    for c in NAMED_BEFORE.captures_iter(text).take(4) {
        match &c[2] {
            "seconded" => seconder = seconder.or_else(|| name(&c[1])),
            _ => mover = mover.or_else(|| name(&c[1])),
        }
    }
    mover = mover.or_else(|| MOVER.captures(text).and_then(|c| name(&c[1])));
    seconder = seconder.or_else(|| SECONDER.captures(text).and_then(|c| name(&c[1])));
    let outcome = OUTCOME.find_iter(text).last().map(|m| match m.as_str().to_lowercase().as_str() {
        "defeated" | "lost" | "fell" => "defeated".to_string(),
        "withdrawn" => "withdrawn".to_string(),
        _ => "carried".to_string(),
    });
    // A vote is only told where a motion was: "agreed unanimously" alone is an agreement.
    let outcome = outcome.filter(|_| mover.is_some() || seconder.is_some() || is_resolution(first_line));
    (mover, seconder, outcome)
}

/// The last line of a decision starting at `first`: a label alone ("And
/// Resolved:") takes the paragraph after it; a line that introduces a list
/// ("agreed the following:") takes the list; a sentence that runs on takes
/// the lines it runs on to. Never past the next numbered minute or decision.
fn decision_end(lines: &[String], first: usize, end: usize) -> usize {
    let end = end.min(first + MAX_DECISION_LINES);
    let line = lines[first - 1].trim();
    let own = LABEL.find(line).map_or(line, |m| &line[m.end()..]);
    let own_words = own.chars().filter(|c| c.is_alphabetic()).count();
    let stops = |t: &str| MINUTE_HEADING.is_match(t) || (is_decision(t) && !is_outcome_line(t));
    if is_outcome_line(line) {
        return first;
    }
    let intro = line.trim_end_matches("**").trim_end();
    let lower = intro.to_lowercase();
    let introduces = intro.ends_with([':', '-', '–']) || lower.contains("following") || lower.ends_with("that");
    if introduces && own_words >= 12 {
        let last = list_after(lines, first, end);
        if last > first {
            return last;
        }
    }
    if own_words < 25 || introduces || is_resolution(line) {
        return paragraph_after(lines, first, end, &stops);
    }
    // A sentence that runs on to the next lines, and the vote after it.
    let mut last = first;
    while last < end && !ends_sentence(lines[last - 1].trim()) {
        let next = lines[last].trim();
        if next.is_empty() || stops(next) {
            break;
        }
        last += 1;
    }
    if last < end && is_outcome_line(&lines[last]) {
        last += 1;
    }
    last
}

/// The first line of the paragraph that ends just above line `at` (not
/// before `floor`, nor past a blank line or a numbered minute).
fn paragraph_before(lines: &[String], at: usize, floor: usize) -> usize {
    // A blank line or two may stand between the motion and its vote.
    let mut end = at;
    while end > floor && end + 2 > at && lines[end - 2].trim().is_empty() {
        end -= 1;
    }
    let mut first = end;
    while first > floor && first + MAX_DECISION_LINES > at {
        let t = lines[first - 2].trim();
        if t.is_empty() {
            break;
        }
        first -= 1;
        if MINUTE_HEADING.is_match(t) || t.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
    }
    if first == end {
        at
    } else {
        first
    }
}

/// The lines after a label: blank lines skipped, then a paragraph (and the
/// next, while a sentence runs on or a list follows).
fn paragraph_after(lines: &[String], first: usize, end: usize, stops: &dyn Fn(&str) -> bool) -> usize {
    let mut last = first;
    let mut l = first + 1;
    let mut blanks = 0;
    while l <= end {
        let t = lines[l - 1].trim();
        if t.is_empty() {
            blanks += 1;
            let taken = last > first;
            // A blank line after a finished sentence ends it; before any text, at most two.
            if (taken && ends_sentence(lines[last - 1].trim()) && !next_is_list(lines, l, end)) || blanks > 2 {
                break;
            }
        } else {
            if stops(t) && l > first + 1 {
                break;
            }
            blanks = 0;
            last = l;
        }
        l += 1;
    }
    last
}

/// True when the next non-blank line after `l` is a list item.
fn next_is_list(lines: &[String], l: usize, end: usize) -> bool {
    (l + 1..=end).map(|k| lines[k - 1].trim()).find(|t| !t.is_empty()).is_some_and(is_list_line)
}

/// The list that follows a line introducing one.
fn list_after(lines: &[String], first: usize, end: usize) -> usize {
    let mut last = first;
    let mut blanks = 0;
    let mut l = first + 1;
    while l <= end {
        let t = lines[l - 1].trim();
        if t.is_empty() {
            blanks += 1;
            if blanks > 1 {
                break;
            }
        } else if is_list_line(t) || t.starts_with(['“', '"', '\'']) {
            blanks = 0;
            last = l;
        } else {
            break;
        }
        l += 1;
    }
    last
}

/// True when a line ends a sentence (or a quoted resolution).
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['*', '_', ' ']);
    t.ends_with(['.', '!', '?', '”', '"', ';']) || t.ends_with(".)") || t.is_empty()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verb_filter_keeps_every_decision_on_the_seeds() {
        let mut decisions = 0;
        for text in crate::testing::sample_texts() {
            for line in text.lines() {
                assert_eq!(is_decision(line), DECISION.is_match(line) || is_resolution(line), "{line:?}");
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
        let (lines, items) = minutes_of(
            "Present:\t\tMr J Roe (Chairman), Dr C Doe (Vice Chairman)\n\
             397\tTransformation Plan\tThe Board discussed the plan.\n\
             \t\t RESOLVED that the Health Board: a) Noted the progress on the plan;\n\
             398\tEmotional Well-being\tThe Board considered the plan.\n\
             The Board agreed the following recommendations:\n\
             - a) to endorse the plan\n\
             - b) to receive an update\n\
             \n\
             Other text.",
        );
        let d = decisions(&lines, &items);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].meta.agenda_title.as_deref(), Some("Transformation Plan"));
        assert!(d[0].meta.title.starts_with("Decision: RESOLVED that the Health Board"), "{}", d[0].meta.title);
        assert_eq!((d[0].line_start, d[0].line_end), (3, 3));
        assert_eq!((d[1].line_start, d[1].line_end), (5, 7));
        assert_eq!(d[1].meta.meeting_date, items[0].meta.meeting_date);
        assert_eq!(d[1].parent, Some(0));
    }

    #[test]
    fn a_resolution_label_takes_the_words_after_it() {
        let (lines, items) = minutes_of(
            "1. Minutes\nProposed by Councillor Roe;\nSeconded by Councillor Doe;\nAnd Resolved:\n\n\
             “That, the draft Minutes, as circulated, be taken as read and adopted\n\
             and signed.”\n\n2. Roads\nThe engineer reported.",
        );
        let d = decisions(&lines, &items);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line_start, d[0].line_end), (4, 7));
        assert!(d[0].meta.title.starts_with("Decision: That, the draft Minutes"), "{}", d[0].meta.title);
        assert_eq!(d[0].meta.mover.as_deref(), Some("Roe"));
        assert_eq!(d[0].meta.seconder.as_deref(), Some("Doe"));
        assert_eq!(d[0].meta.outcome, None);
    }

    #[test]
    fn numbered_resolutions_keep_mover_seconder_and_outcome() {
        let (lines, items) = minutes_of(
            "R2024-086 A. Roe, B. Doe:\nThat this part of our meeting be closed to the public.\nTime: 6:03 p.m. Carried.\n\n\
             R2024-087 B. Doe, A. Roe:\nThat the by-law be read a first time. Defeated.",
        );
        let d = decisions(&lines, &items);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].line_start, d[0].line_end), (1, 3));
        assert_eq!(d[0].meta.mover.as_deref(), Some("A. Roe"));
        assert_eq!(d[0].meta.seconder.as_deref(), Some("B. Doe"));
        assert_eq!(d[0].meta.outcome.as_deref(), Some("carried"));
        assert_eq!(d[1].meta.outcome.as_deref(), Some("defeated"));
        assert!(d[0].meta.title.starts_with("Decision: That this part"), "{}", d[0].meta.title);
    }

    #[test]
    fn a_vote_alone_takes_the_motion_above_it() {
        let (lines, items) = minutes_of(
            "10) Mr Roe proposed, and Mr Doe seconded, that the Council record its thanks
             to the retiring clerk.
Agreed unanimously.
11) The Chairman closed the meeting.
             The proposal was
agreed.",
        );
        let d = decisions(&lines, &items);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line_start, d[0].line_end), (1, 3));
        assert_eq!(d[0].meta.mover.as_deref(), Some("Mr Roe"));
        assert_eq!(d[0].meta.seconder.as_deref(), Some("Mr Doe"));
        assert_eq!(d[0].meta.outcome.as_deref(), Some("carried"));
        let (lines, items) = minutes_of(
            "The motion was put.
Agreed unanimously.",
        );
        let d = decisions(&lines, &items);
        assert_eq!((d[0].line_start, d[0].line_end), (1, 2));
    }

    #[test]
    fn resolved_that_takes_the_paragraph_after_it() {
        let (lines, items) = minutes_of(
            "5)
RESOLVED that:
Members note the report and agree the
priorities.

302.
Next item",
        );
        let d = decisions(&lines, &items);
        assert_eq!((d[0].line_start, d[0].line_end), (2, 4));
    }

    #[test]
    fn a_motion_on_one_line_is_a_decision() {
        let (lines, items) = minutes_of(
            "9. Payments Proposed - Cllr Roe Seconded - Cllr Doe That the bills be approved for payment. All in favour",
        );
        let d = decisions(&lines, &items);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].meta.mover.as_deref(), Some("Roe"));
        assert_eq!(d[0].meta.outcome.as_deref(), Some("carried"));
        assert!(d[0].meta.title.starts_with("Decision: That the bills"), "{}", d[0].meta.title);
    }
}
