//! The body that met, as a paper names it: "Minutes of the meeting of X held
//! on…", "Meeting of the X", "To: X – date", a short line that is a body's
//! name, "That the X endorses…" near the top, and the folder a paper sits in.
//! Whatever the source, a name is only taken once [`body_name`] has made it
//! the body's own name: never a fragment of a sentence ("X held in the
//! Council", "Deputation from"), with the kind of meeting ("Monthly Meeting
//! of the") left out and the abbreviations councils use spelt out ("SPC").
//! Normalising names for matching is [`crate::paper::names`]'s.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::paper::lines::{self, Line};
use crate::paper::names::display_case;

/// Words that announce the body whose meeting a paper records: the name
/// follows ("Minutes of the meeting of the Planning Committee held on…",
/// "To the Chair and each Member of the Housing Committee").
static ANNOUNCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:(?:minutes|proceedings|agenda|notice|summons)\s+(?:of|at)|meeting\s+(?:[a-z0-9]+\s+){0,8}?(?:of|for)|(?:each|every|all)\s+members?\s+of)\s+")
        .expect("valid regex")
});

/// Where the name that follows an announcement ends: a verb, a date or a
/// label on the next line ("RE:").
static NAME_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s(?:held|on|at|to be|will|which|that|was|were|is|dated|commencing|in the|in)(?-u:\b)|[,;:.(\[]|\s[-–—]\s|\s\d|\n[*_ ]*(?:re|subject|from|date)[*_ ]*:").expect("valid regex")
});

/// A verb after a name that ends it ("… held on", "… to be held").
static VERB_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s(?:held|to be held|will be held|on \w+day)(?-u:\b)").expect("valid regex"));

/// `To: Cabinet – 30 January 2025`.
static TO_BODY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^To:\s+(.{3,90}?)\s*[–—-]\s*\d").expect("valid regex"));

/// The body whose meeting the head records: `Minutes of Brackenfield Parish Council
/// meeting` -> "Brackenfield Parish Council", `Meeting of the Municipal District of
/// Harbour Bay` -> "Municipal District of Harbour Bay", `To: Cabinet – 30
/// January 2025` -> "Cabinet", a line `PLANNING COMMITTEE` -> "Planning Committee".
/// Only the head of an agenda or minutes (`meeting_paper`) announces its
/// meeting; a report's "at the meeting of the X Committee" is another's.
pub(crate) fn text_body(head: &[String], meeting_paper: bool) -> Option<String> {
    for (i, l) in head.iter().enumerate().take(12) {
        // `To:` may stand alone, its value on the next line.
        let joined;
        let l = match head.get(i + 1) {
            Some(next) if l.trim().eq_ignore_ascii_case("to:") => {
                joined = format!("To: {next}");
                &joined
            }
            _ => l,
        };
        if let Some(b) = TO_BODY.captures(l).and_then(|c| body_name(&c[1])) {
            return Some(b);
        }
    }
    // Lines joined, so that a name may wrap; it is tried first as ending with its line.
    let joined: String = head.iter().take(30).map(String::as_str).collect::<Vec<_>>().join("\n");
    let joined = lines::truncate(&joined, 4000);
    let mut announced = ANNOUNCE
        .find_iter(joined)
        .take(if meeting_paper { 8 } else { 0 })
        .filter_map(|m| announced_body(lines::truncate(&joined[m.end()..], 200)));
    if let Some(first) = announced.next() {
        // A name cut mid-word (a scan's garble, a column's edge: "District
        // of Harbour B") is the name the head gives whole further on.
        return Some(announced.find(|b| cut_of(&first, b)).unwrap_or(first));
    }
    head.iter().take(8).filter(|l| l.len() <= 60).find_map(|l| body_line(l))
}

/// True when `short` is `long` cut inside a word: "Municipal District of
/// Harbour B" of "Municipal District of Harbour Bay".
fn cut_of(short: &str, long: &str) -> bool {
    long.len() > short.len()
        && long.is_char_boundary(short.len())
        && long[..short.len()].eq_ignore_ascii_case(short)
        && long[short.len()..].starts_with(char::is_alphabetic)
}

/// The body named by the words after an announcement: up to the verb or date
/// that ends the name, or to the end of its line; past a comma after a
/// council's name ("A meeting of Dunmore City Council, Housing Committee
/// will be held"). A committee is preferred to a whole council, a name
/// ending in a body word to a district.
fn announced_body(rest: &str) -> Option<String> {
    let end_at = |from: usize| from + NAME_END.find(&rest[from..]).map_or(rest.len() - from, |e| e.start());
    let end = end_at(0);
    let mut spans = vec![rest[..end].find('\n').unwrap_or(end), end];
    // A committee's name may hold commas of its own ("Housing, Roads and
    // Transport Committee"): a few are passed.
    let mut end = end;
    for _ in 0..4 {
        let continues_name =
            rest[end..].strip_prefix(',').is_some_and(|after| after.trim_start().starts_with(char::is_uppercase));
        if !continues_name {
            break;
        }
        let further = end_at(end + 1);
        spans.push(rest[..further].rfind('\n').filter(|&n| n > end).unwrap_or(further));
        spans.push(further);
        end = further;
    }
    let body_word = |b: &String| BODY_WORDS.contains(&b.rsplit(' ').next().unwrap_or("").to_lowercase().as_str());
    // A district's name wraps onto the next line only when it ends that
    // line ("District of Harbour\nBay\nRE:", not "…Bay\nA Chara, …"), or
    // a verb ends it a word or two on ("District of Harbour\nBay held on").
    let line_end = |e: usize| e == rest.len() || rest[e..].starts_with('\n');
    let first_line = spans[0];
    let verb_end = |e: usize| {
        let wrapped = rest[first_line..e].split_whitespace().count();
        (1..=2).contains(&wrapped) && VERB_END.is_match(&rest[e..])
    };
    // A word broken by a hyphen at the line's end goes on to the next line's
    // end, or to a verb on it ("Harbour-\nBay\nA Chara", "Harbour-\nBay held").
    let broken =
        rest[..first_line].ends_with('-') && rest[..first_line].trim_end_matches('-').ends_with(char::is_alphabetic);
    let next_line = rest.get(first_line + 1..).and_then(|r| r.find('\n')).map(|k| first_line + 1 + k);
    if broken {
        spans.extend(next_line);
    }
    let on_next_line = |e: usize| e > first_line && next_line.is_none_or(|n| e <= n);
    let names: Vec<String> = spans
        .into_iter()
        .filter_map(|e| {
            body_name(&rest[..e]).filter(|b| match broken {
                true => on_next_line(e) && (line_end(e) || verb_end(e)) || e > first_line && body_word(b),
                false => e <= first_line || line_end(e) || verb_end(e) || body_word(b),
            })
        })
        .collect();
    let rank = |b: &String| {
        let whole = super::councils::council_in(b).is_some() || is_whole_council(b, None);
        (!whole, body_word(b))
    };
    names.iter().max_by_key(|b| rank(b)).cloned()
}

/// A short line that is a body's name and nothing else: `CABINET`, `Planning
/// Committee`. A council's own name is its letterhead, not the body that met,
/// and a lone "COUNCIL" is a letterhead broken over lines.
fn body_line(l: &str) -> Option<String> {
    let t = l.trim().trim_matches(|c: char| "*_#".contains(c)).trim();
    let capitalised = t.split_whitespace().all(|w| !w.starts_with(char::is_lowercase) || CONNECTORS.contains(&w));
    let n = t.split_whitespace().count();
    if !capitalised
        || n > 8
        || (n < 2 && !t.eq_ignore_ascii_case("cabinet"))
        || super::councils::council_in(t).is_some()
        || (!t.chars().any(char::is_lowercase) && super::councils::council_in(&display_case(t)).is_some())
    {
        return None;
    }
    body_name(t).filter(|b| b.split_whitespace().count() == t.split_whitespace().count() || b == "Cabinet")
}

/// Small words inside a body's name.
const CONNECTORS: &[&str] = &["of", "and", "for", "the", "&", "on", "in", "with"];

/// True for a word before a body's name that is not part of it ([`LEADING`],
/// or a month's name).
fn is_leading(w: &str) -> bool {
    LEADING.contains(&w.to_lowercase().as_str()) || crate::paper::dates::is_month_name(w)
}

/// Words before a body's name that are not part of it: what kind of paper or
/// meeting it is, and the little words around them.
const LEADING: &[&str] = &[
    "the",
    "a",
    "an",
    "above",
    "for",
    "to",
    "from",
    "except",
    "at",
    "of",
    "and",
    "minutes",
    "minute",
    "agenda",
    "notice",
    "summons",
    "proceedings",
    "record",
    "meeting",
    "meetings",
    "monthly",
    "special",
    "annual",
    "inaugural",
    "virtual",
    "adjourned",
    "ordinary",
    "extraordinary",
    "statutory",
    "budget",
    "budgetary",
    "draft",
    "plan",
    "general",
    "agm",
    "remote",
    "emergency",
    "reconvened",
    "held",
    "members",
    "elected",
    "online",
];

/// Words that end a body's name.
const BODY_WORDS: &[&str] = &[
    "council",
    "committee",
    "sub-committee",
    "subcommittee",
    "board",
    "cabinet",
    "panel",
    "forum",
    "assembly",
    "commission",
    "group",
    "partnership",
    "executive",
];

/// Offices people hold "of" a body.
const ROLES: &[&str] = &[
    "president",
    "clerk",
    "leader",
    "chair",
    "chairman",
    "chairperson",
    "mayor",
    "member",
    "members",
    "officer",
    "secretary",
    "deputy",
    "director",
    "head",
    "chief",
    "vice",
    "cllr",
    "councillor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
];

/// Abbreviations councils use in bodies' names, spelt out.
pub(crate) const SPELT_OUT: &[(&str, &str)] = &[
    ("SPC", "Strategic Policy Committee"),
    ("JPC", "Joint Policing Committee"),
    ("Cttee", "Committee"),
    ("Ctte", "Committee"),
    ("Comm", "Committee"),
];

/// The name of the body `raw` names, cleaned, or `None` when it names none:
/// markup and the kind of meeting or paper before the name dropped
/// ("Monthly Meeting of the", "Proceedings at"), the clause after it cut
/// ("held in the Council"), abbreviations spelt out ("Housing SPC"), a
/// trailing "Meeting" dropped. A body's name ends in a body word (Council,
/// Committee, Board, Cabinet, Panel, Forum…) or is a district ("Municipal
/// District of Harbour Bay"); a run of words ending in "Cabinet" is the Cabinet.
pub(crate) fn body_name(raw: &str) -> Option<String> {
    let (mut words, all_caps) = name_words(raw);
    // "Wretton PC MINUTES OF WRETTON PARISH COUNCIL": the name is what the
    // last "minutes of" or "meeting of" announces.
    if let Some(k) = words.windows(2).rposition(|w| {
        matches!(w[0].to_lowercase().as_str(), "minutes" | "meeting" | "agenda" | "notice")
            && matches!(w[1].to_lowercase().as_str(), "of" | "for")
    }) {
        words.drain(..k + 2);
    }
    // "Meeting to consider the Budget for the Municipal District of X": the
    // body follows the purpose.
    if let Some(i) = words.iter().take(3).position(|w| w.eq_ignore_ascii_case("meeting")) {
        let purpose = words.get(i + 1).is_some_and(|w| w.starts_with(char::is_lowercase));
        if let Some(j) = words.iter().skip(i + 1).take(10).position(|w| w == "for").filter(|_| purpose) {
            words.drain(..=i + 1 + j);
        }
    }
    strip_leading(&mut words);
    // A council's name before its committee's: "Dunmore City and County
    // Council's Housing Committee" is the Housing Committee.
    let joined = words.join(" ");
    if let Some((at, _)) = super::councils::council_at(&joined).filter(|(at, _)| at.start == 0) {
        let rest = joined[at.end..].trim_start_matches(['\'', '’', ',']);
        let rest = rest.strip_prefix('s').filter(|r| r.starts_with(' ')).unwrap_or(rest);
        if let Some(committee) = body_name(rest) {
            return Some(committee);
        }
    }
    // The clause after the name: the first lower-case word that is not a
    // connector (in capitals, the first such verb or preposition).
    let clause = ["held", "was", "were", "will", "that", "which", "is", "on", "at", "in", "by"];
    let cut = words.iter().position(|w| {
        (w.starts_with(char::is_lowercase) && !CONNECTORS.contains(&w.as_str()))
            || (all_caps && clause.contains(&w.to_lowercase().as_str()))
    });
    // …and a clause after a comma: "District of Harbour Bay, with the Police".
    let comma_clause = words.windows(2).position(|w| w[0].ends_with(',') && w[1].starts_with(char::is_lowercase));
    if let Some(k) = cut.into_iter().chain(comma_clause.map(|k| k + 1)).min() {
        words.truncate(k);
    }
    strip_leading(&mut words);
    // "& County Council": the tail of a name broken over lines.
    if words.first().is_some_and(|w| CONNECTORS.contains(&w.to_lowercase().as_str())) {
        return None;
    }
    while words.last().is_some_and(|w| {
        let l = w.to_lowercase();
        CONNECTORS.contains(&l.as_str()) || matches!(l.as_str(), "meeting" | "meetings" | "agenda" | "minutes")
    }) {
        words.pop();
    }
    let name = words
        .join(" ")
        .trim_matches(',')
        .replace("Sub Committee", "Sub-Committee")
        .replace("Committee Sub-Committee", "Sub-Committee")
        .replace("Committee Subcommittee", "Sub-Committee");
    let last = name.rsplit(' ').next().unwrap_or("").trim_matches(',').to_lowercase();
    let district = words.len() >= 3
        && words.windows(2).any(|w| w[0].eq_ignore_ascii_case("district") && w[1].eq_ignore_ascii_case("of"));
    if last == "cabinet" {
        return Some("Cabinet".into());
    }
    // "President of Council", "Roger Roe, Leader of the Council", "Jo Doe,
    // Chief Executive": a person and an office, not a body; nor is an
    // agenda item's number and title ("2780 Public Forum").
    let role = |w: &String| ROLES.contains(&w.to_lowercase().as_str());
    let after_comma = words.iter().position(|w| w.ends_with(',')).and_then(|k| words.get(k + 1));
    let office = words.first().is_some_and(role)
        || after_comma.is_some_and(role)
        || words.windows(2).any(|w| role(&w[0]) && matches!(w[1].as_str(), "of" | "to"))
        || words.first().is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    if name.is_empty() || words.len() > 12 || office || !(BODY_WORDS.contains(&last.as_str()) || district) {
        return None;
    }
    Some(if name.chars().any(char::is_lowercase) { name } else { display_case(&name) })
}

/// The words of a name as found: markup dropped, a hyphen a converter left
/// at a line's end joined ("Adare- Westbury", "Adare-" ending a line), capitals read as words
/// ("HARBOUR BAY" -> "Harbour Bay"), abbreviations spelt out. Also whether
/// the name was written in capitals.
fn name_words(raw: &str) -> (Vec<String>, bool) {
    let tidy = lines::strip_markup(raw)
        .replace(['\u{a0}', '\t'], " ")
        .replace("-\n", "-")
        .replace("- ", "-")
        .replace(" -", "-");
    let all_caps = !tidy.chars().any(char::is_lowercase);
    let tidy = if all_caps { display_case(&tidy) } else { tidy };
    let mut words: Vec<String> = Vec::new();
    for w in tidy.split_whitespace() {
        let w = w.trim_matches(|c: char| !(c.is_alphanumeric() || "&'’,".contains(c)));
        if w.is_empty() {
            continue;
        }
        match SPELT_OUT.iter().find(|(a, _)| w.eq_ignore_ascii_case(a)) {
            Some((_, full)) => words.extend(full.split(' ').map(String::from)),
            None => words.push(w.to_string()),
        }
    }
    (words, all_caps)
}

/// Drops the words before a body's name that are not part of it ([`is_leading`]).
fn strip_leading(words: &mut Vec<String>) {
    let n = words.iter().take_while(|w| is_leading(w)).count();
    words.drain(..n);
}

/// True when a body's name names the whole council rather than one of its
/// committees: "Council", "Full Council", "County Council", the council's own
/// name in any form ("Township of Elmvale Council" for Elmvale Township
/// Council, "Hinton Annual Parish Council" for Hinton Parish Council), or any
/// council's name.
pub(crate) fn is_whole_council(name: &str, council: Option<&str>) -> bool {
    const KINDS: &[&str] =
        &["county", "city", "borough", "district", "town", "parish", "community", "township", "village", "municipal"];
    let kept: Vec<&str> = name.split_whitespace().filter(|w| !is_leading(w) || w.eq_ignore_ascii_case("the")).collect();
    let name = &kept.join(" ");
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words[..] {
        ["council"] | ["full", "council"] | ["the", "council"] | ["full", "council", "meeting"] => return true,
        [kind, "council"] if KINDS.contains(&kind) => return true,
        _ => {}
    }
    let identity = crate::paper::council_identity(name);
    council.is_some_and(|c| crate::paper::council_identity(c) == identity)
        || super::councils::council_in(name).is_some_and(|c| crate::paper::council_identity(&c) == identity)
}

/// A body named by the folder a paper sits in: `06-Monthly Meeting of the
/// Harbour Area Committee` -> "Harbour Area Committee".
pub(crate) fn path_body(path: &Path) -> Option<String> {
    let parent = path.parent()?.file_name()?.to_string_lossy().into_owned();
    let name = parent.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_' || c == ' ');
    body_name(name)
}

/// For a pack with no front sheet: "That the <X Board> endorses…" (a
/// recommendation to the body) in the first lines; "the Monetary Policy
/// Committee" in a glossary is no recommendation.
pub(crate) fn that_the_body(ls: &[Line], s: usize) -> Option<String> {
    static THAT_THE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?-u:\b)[Tt]hat the ((?:[A-Z][A-Za-z'&-]*\s+|and\s+|for\s+|of\s+){1,8}(?:Board|Committee|Cabinet|Panel))(?-u:\b)",
        )
        .expect("valid regex")
    });
    for l in ls.iter().skip(s).take(60) {
        let raw = lines::truncate(l.raw, 4000);
        if let Some(b) = THAT_THE.captures(raw).and_then(|c| body_name(&c[1])) {
            return Some(b);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    fn text_body_of(head: &[String]) -> Option<String> {
        text_body(head, true)
    }

    #[test]
    fn bodies_named_by_the_head() {
        assert_eq!(
            text_body_of(&strings("MINUTES OF BRACKENFIELD PARISH COUNCIL MEETING")).as_deref(),
            Some("Brackenfield Parish Council")
        );
        assert_eq!(
            text_body_of(&strings("Proceedings at Meeting of the Municipal District of Harbour Bay")).as_deref(),
            Some("Municipal District of Harbour Bay")
        );
        assert_eq!(
            text_body_of(&strings(
                "To: The Chair and Each Member of the Municipal District of Harbour Bay\nA Chara, you are"
            ))
            .as_deref(),
            Some("Municipal District of Harbour Bay")
        );
        assert_eq!(text_body_of(&strings("To: Cabinet – 30 January 2025\nA report")).as_deref(), Some("Cabinet"));
        assert_eq!(text_body_of(&strings("PLANNING COMMITTEE\nA report")).as_deref(), Some("Planning Committee"));
        assert_eq!(text_body_of(&strings("Some notes\nabout things")), None);
        assert_eq!(text_body_of(&strings("Dunmore\nCITY & COUNTY\nCOUNCIL\nCorporate Services")), None);
        assert_eq!(text_body_of(&strings("DUNMORE CITY AND COUNTY COUNCIL\nCorporate Services")), None);
        assert_eq!(
            text_body_of(&strings("DUNMORE CITY AND COUNTY COUNCIL\nTO:\nThe Chair and Each Member of the Municipal District of Harbour\nBay\nRE:")).as_deref(),
            Some("Municipal District of Harbour Bay")
        );
        assert_eq!(
            text_body_of(&strings(
                "A meeting of Dunmore City & County Council, Housing Strategic\nPolicy Committee will be held"
            ))
            .as_deref(),
            Some("Housing Strategic Policy Committee")
        );
        assert_eq!(
            text_body_of(&strings(
                "The next meeting of Dunmore City Council, Parks, Arts and Leisure\nStrategic Policy Committee will be held"
            ))
            .as_deref(),
            Some("Parks, Arts and Leisure Strategic Policy Committee")
        );
        assert_eq!(
            text_body_of(&strings("Joint Policing Sub-Committee meeting of the Municipal District of Harbour\nBay Joint Policing Sub-Committee held on")).as_deref(),
            Some("Municipal District of Harbour Bay Joint Policing Sub-Committee")
        );
        assert_eq!(
            text_body_of(&strings("You are requested to attend a Meeting to consider the budget for the Municipal District of Harbour Bay to be held on")).as_deref(),
            Some("Municipal District of Harbour Bay")
        );
    }

    #[test]
    fn a_name_wrapped_or_cut_at_a_line_s_end_is_whole() {
        for (head, want) in [
            ("MINUTES OF PROCEEDINGS AT MEETING OF THE MUNICIPAL DISTRICT OF HARBOUR-\nBAY HELD AT THE HALL, DUNMORE", "Municipal District of Harbour-Bay"),
            ("To: Each Member of the Municipal District of Harbour-\nBay\nA Chara, a chara,\nYou are requested", "Municipal District of Harbour-Bay"),
            ("MINUTES OF PROCEEDINGS AT MEETING OF THE MUNICIPAL DISTRICT OF HARBOUR\nBAY HELD IN THE HALL, DUNMORE", "Municipal District of Harbour Bay"),
            ("To: The Chair and Each Member of the Municipal District of Harb\nA Chara, a chara,\nYou are requested to attend a Meeting of the Municipal District of Harbour Bay to be held at", "Municipal District of Harbour Bay"),
            // A line's end that is the name's: the next line is not.
            ("To: Each Member of the Municipal District of Harbour Bay\nA Chara, you are", "Municipal District of Harbour Bay"),
        ] {
            assert_eq!(text_body_of(&strings(head)).as_deref(), Some(want), "{head:?}");
        }
    }

    #[test]
    fn a_report_s_mention_of_another_meeting_is_not_its_body() {
        let head =
            strings("Budget Report\nAt the meeting of the Scrutiny Committee on 29 January the budget was discussed.");
        assert_eq!(text_body(&head, true).as_deref(), Some("Scrutiny Committee"));
        assert_eq!(text_body(&head, false), None);
        assert_eq!(text_body(&strings("To: Cabinet – 30 January 2025"), false).as_deref(), Some("Cabinet"));
        assert_eq!(
            text_body(&strings("From:\nThe Leader\nTo:\nCabinet – 30 January 2025"), false).as_deref(),
            Some("Cabinet")
        );
    }

    #[test]
    fn a_body_s_name_is_never_a_fragment() {
        for (raw, want) in [
            ("County Council held in the Council", Some("County Council")),
            ("Monthly Meeting of the Municipal District of Harbour Bay", Some("Municipal District of Harbour Bay")),
            ("Municipal District of Adare- Westbury to", Some("Municipal District of Adare-Westbury")),
            ("Proceedings at Joint Policing Sub Committee", Some("Joint Policing Sub-Committee")),
            (
                "Meeting of the Housing and Social Development SPC",
                Some("Housing and Social Development Strategic Policy Committee"),
            ),
            (
                "PROCEEDINGS AT MEETING OF THE MUNICIPAL DISTRICT OF RIVERFORD HELD IN",
                Some("Municipal District of Riverford"),
            ),
            ("except from Selection and Member Services Committee", Some("Selection and Member Services Committee")),
            ("Deputy Leader and Cabinet", Some("Cabinet")),
            ("Special Meeting Agenda", None),
            ("Council that the Council", Some("Council")),
            ("Chairperson stated that all Council", None),
            ("Motion referred from full Council", None),
            ("Agenda", None),
            ("Question 1", None),
            ("President of Council", None),
            ("Roger Roe, Leader of the Council", None),
            ("Jo Doe, Chief Executive", None),
            ("2780 Public Forum", None),
            ("Presentation to Township Council", None),
            ("Mr Jo Doe Harbour Food Group", None),
            ("Hinton PC MINUTES OF HINTON PARISH COUNCIL", Some("Hinton Parish Council")),
            ("SFPC DRAFT Minutes of Hinton Parish Council", Some("Hinton Parish Council")),
            ("Selection and Member Services Committee", Some("Selection and Member Services Committee")),
            (
                "Dunmore City and County Council’s Travel and Transport SPC",
                Some("Travel and Transport Strategic Policy Committee"),
            ),
            (
                "MUNICIPAL DISTRICT OF HARBOUR BAY JPC SUBCOMMITTEE",
                Some("Municipal District of Harbour Bay Joint Policing Sub-Committee"),
            ),
            ("MEETING OF DUNMORE CITY AND COUNTY COUNCIL HOUSING SPC", Some("Housing Strategic Policy Committee")),
            ("the Meeting of Dunmore City & County Council’s Travel Committee", Some("Travel Committee")),
            ("& County Council", None),
            ("Municipal District of Harbour Bay, with the Police", Some("Municipal District of Harbour Bay")),
            (
                "Meeting to consider Draft Budget 2017 for the Members of the Municipal District of Harbour Bay",
                Some("Municipal District of Harbour Bay"),
            ),
            ("", None),
        ] {
            assert_eq!(body_name(raw).as_deref(), want, "{raw:?}");
        }
    }

    #[test]
    fn a_meeting_of_the_whole_council_is_the_full_council() {
        assert!(is_whole_council("Council", None));
        assert!(is_whole_council("County Council", None));
        assert!(is_whole_council("Township of Elmvale Council", Some("Elmvale Township Council")));
        assert!(is_whole_council("Hinton Parish Council", None));
        assert!(is_whole_council("Hinton Annual Parish Council", Some("Hinton Parish Council")));
        assert!(is_whole_council("February Parish Council", None));
        assert!(!is_whole_council("Planning Committee", Some("Hinton Parish Council")));
        assert!(!is_whole_council("Municipal District of Harbour Bay", Some("Dunmore City and County Council")));
    }

    #[test]
    fn bodies_named_by_the_folder() {
        let p = Path::new("x/2019/03/06-Monthly Meeting of the Harbour Area Committee/Agenda.md");
        assert_eq!(path_body(p).as_deref(), Some("Harbour Area Committee"));
    }
}
