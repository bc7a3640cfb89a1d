//! The body that met, as a paper names it: "Minutes of the X meeting", "Meeting
//! of the X", "To: X – date", a short line that is a body's name, "That the X
//! endorses…" near the top, and the folder a paper sits in. Normalising names
//! for matching is [`crate::paper::names`]'s.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::paper::lines::{self, Line};
use crate::paper::names::display_case;

static BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:minutes|meeting|proceedings|agenda|notice)(?:\s+of)?(?:\s+(?:an?|the))?(?:\s+(?:[a-z]+ )?(?:meeting|proceedings)\s+of)?(?:\s+(?:an?|the))?\s+((?:[A-Z][A-Za-z'’&-]*\s+|(?:and|of|for|&)\s+){0,7}(?:Council|Committee|Sub-Committee|Board|Cabinet|Panel|Forum|Assembly|District of [A-Z][A-Za-z-]+(?: [A-Z][A-Za-z-]+)?))(?-u:\b)",
    )
    .expect("valid regex")
});

/// A short line that names a body by itself: `CABINET`, `Planning Committee`.
static BODY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][A-Za-z'’&-]*\s+|(?:and|of|for|&)\s+){0,6}(?:Council|Committee|Sub-Committee|Board|Cabinet|Panel|Forum)$")
        .expect("valid regex")
});
static TO_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^To:\s+((?:[A-Z][A-Za-z'’&-]*\s*|(?:and|of|for|&)\s+){1,8}?)\s*[–—-]\s*\d").expect("valid regex")
});

/// The body whose meeting the head records: `Minutes of Brackenfield Parish Council
/// meeting` -> "Brackenfield Parish Council", `Meeting of the Municipal District of
/// Harbour Bay` -> "Municipal District of Harbour Bay", `To: Cabinet – 30
/// January 2025` -> "Cabinet".
pub(crate) fn text_body(head: &[String]) -> Option<String> {
    let joined: String = head.iter().take(30).map(String::as_str).collect::<Vec<_>>().join(" ");
    let joined = lines::truncate(&joined, 4000);
    for l in head.iter().take(12) {
        if let Some(c) = TO_BODY.captures(l) {
            return Some(display_case(c[1].trim()));
        }
    }
    for c in BODY.captures_iter(joined).take(6) {
        let b = trim_body(&c[1]);
        let first = b.split(' ').next().unwrap_or("").to_lowercase();
        if b.split(' ').count() >= 1 && !NOT_BODY_START.contains(&first.as_str()) && b.len() >= 5 {
            return Some(display_case(&b));
        }
    }
    for l in head.iter().take(8) {
        let t = l.trim();
        if t.len() <= 60 && BODY_LINE.is_match(t) {
            let first = t.split(' ').next().unwrap_or("").to_lowercase();
            if !NOT_BODY_START.contains(&first.as_str()) {
                return Some(display_case(t));
            }
        }
    }
    None
}

const NOT_BODY_START: &[&str] = &[
    "meeting",
    "minutes",
    "agenda",
    "held",
    "this",
    "that",
    "each",
    "all",
    "any",
    "to",
    "by",
    "president",
    "clerk",
    "leader",
    "chair",
    "chairman",
    "mayor",
    "member",
    "members",
    "officer",
    "the",
];

fn trim_body(s: &str) -> String {
    // "Proceedings at Meeting of the Municipal District of X": the body follows the last "meeting of".
    let lower = s.to_lowercase();
    let s = match lower.rfind("meeting of ") {
        Some(k) if s.is_char_boundary(k + 11) => &s[k + 11..],
        _ => s,
    };
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while words.first().is_some_and(|w| {
        matches!(w.to_lowercase().as_str(), "held" | "meeting" | "ordinary" | "monthly" | "annual" | "the" | "a" | "an")
    }) {
        words.remove(0);
    }
    while words.last().is_some_and(|w| matches!(w.to_lowercase().as_str(), "held" | "in" | "on" | "at" | "meeting")) {
        words.pop();
    }
    words.join(" ")
}

/// A body named by the folder a paper sits in: `06-Monthly Meeting of the
/// Harbour Area Committee` -> "Harbour Area Committee".
pub(crate) fn path_body(path: &Path) -> Option<String> {
    let parent = path.parent()?.file_name()?.to_string_lossy().into_owned();
    text_body(&[parent])
}

/// For a pack with no front sheet: "That the <X Board> endorses…" in the first lines.
pub(crate) fn that_the_body(ls: &[Line], s: usize) -> Option<String> {
    static THAT_THE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?-u:\b)the ((?:[A-Z][A-Za-z'&-]*\s+|and\s+|for\s+|of\s+){1,8}(?:Board|Committee|Cabinet|Panel))(?-u:\b)",
        )
        .expect("valid regex")
    });
    for l in ls.iter().skip(s).take(60) {
        let raw = lines::truncate(l.raw, 4000);
        if let Some(c) = THAT_THE.captures(raw) {
            return Some(display_case(&c[1]));
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

    #[test]
    fn bodies_named_by_the_head() {
        assert_eq!(
            text_body(&strings("MINUTES OF BRACKENFIELD PARISH COUNCIL MEETING")).as_deref(),
            Some("Brackenfield Parish Council")
        );
        assert_eq!(
            text_body(&strings("Proceedings at Meeting of the Municipal District of Harbour Bay")).as_deref(),
            Some("Municipal District of Harbour Bay")
        );
        assert_eq!(text_body(&strings("To: Cabinet – 30 January 2025\nA report")).as_deref(), Some("Cabinet"));
        assert_eq!(text_body(&strings("Planning Committee\nA report")).as_deref(), Some("Planning Committee"));
        assert_eq!(text_body(&strings("Some notes\nabout things")), None);
    }

    #[test]
    fn bodies_named_by_the_folder() {
        let p = Path::new("x/2019/03/06-Monthly Meeting of the Harbour Area Committee/Agenda.md");
        assert_eq!(path_body(p).as_deref(), Some("Harbour Area Committee"));
    }
}
