//! Councils named in a paper: `<Place> <Kind> Council` ("Ashworth Borough
//! Council"), `Council of the City of <Place>`, `Township of <Place>`, validated
//! strictly (a capitalised place of real place words, the kind in the same
//! case style), from a paper's head, from the domains it links to, and from
//! the folders of its path. A council merely mentioned in prose is not the
//! paper's council. Normalising names for matching is [`crate::paper::names`]'s.

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::paper::lines::{self, Line};
use crate::paper::names::display_case;

/// Council kinds, longest first: the words between a place and "Council".
const KINDS: [&str; 16] = [
    "City and County",
    "County Borough",
    "Metropolitan Borough",
    "Metropolitan District",
    "Borough",
    "County",
    "City",
    "District",
    "Parish",
    "Town",
    "Community",
    "Township",
    "Village",
    "Municipal",
    "Regional",
    "Unitary",
];

/// A place's name: up to four capitalised words, joined by spaces, hyphens
/// or the small words place names have ("Stoke-on-Trent", "Newcastle upon
/// Tyne", "Brighton and Hove").
const PLACE: &str =
    r"(?:[A-Z][A-Za-z'’]+(?:[ -](?:and|on|upon|under|in|le|next|cum|by|the)[ -]|[ -])){0,3}[A-Z][A-Za-z'’]+";

/// Small words a place's name may hold between its words.
const PLACE_JOINS: &[&str] = &["and", "on", "upon", "under", "in", "le", "next", "cum", "by", "the"];

/// Words that may begin a place's name though they begin sentences too.
const PLACE_PREFIXES: &[&str] =
    &["new", "upper", "lower", "great", "little", "north", "south", "east", "west", "old", "high", "long", "market"];

/// `<Place> <Kind> Council`.
static PLACE_COUNCIL: LazyLock<Regex> = LazyLock::new(|| {
    let kinds = KINDS.join("|").replace(" and ", r"\s+(?:and|&)\s+");
    Regex::new(&format!(
        r"(?-u:\b)({PLACE}) ((?i:{kinds}))(?: (?i:annual|special|extraordinary|ordinary|general))? (?i:Council)(?-u:\b)"
    ))
    .expect("valid regex")
});

/// `Council of the City of <Place>`, `Corporation of the Township of <Place>`, `Township of <Place> Council`.
static COUNCIL_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:council|corporation) of the (city|town|township|village|county|municipality|borough) of ((?:[A-Z][A-Za-z'’]+[ -]){0,2}[A-Z][A-Za-z'’]+)(?-u:\b)")
        .expect("valid regex")
});
static KIND_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(Township|TOWNSHIP|Municipality|MUNICIPALITY) (?:OF|of) ((?:[A-Z][A-Za-z'’]+[ -]){0,2}[A-Z][A-Za-z'’]+)(?-u:\b)")
        .expect("valid regex")
});

/// Words that are never a word of a place: data, in `src/data/not-place.txt`.
static NOT_PLACE: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/not-place.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

fn valid_place(place: &str) -> bool {
    let words: Vec<&str> = place.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let named = words.iter().filter(|w| !PLACE_JOINS.contains(w)).count();
    if words.is_empty() || named > 4 {
        return false;
    }
    for (k, w) in words.iter().enumerate() {
        let lw = w.to_lowercase();
        // A small word joins a place's words; "New", "Upper" may begin one.
        let joins = k > 0 && k + 1 < words.len() && PLACE_JOINS.contains(w);
        let prefix = k == 0 && words.len() > 1 && PLACE_PREFIXES.contains(&lw.as_str());
        if joins || prefix {
            continue;
        }
        if NOT_PLACE.contains(lw.as_str()) {
            return false;
        }
        if w.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            return false;
        }
        // Glued words ("Cityand", "Borough Council" run-ins) are not places.
        if lw.ends_with("and") && lw.len() > 4 && ["cityand", "countyand", "boroughand"].contains(&lw.as_str()) {
            return false;
        }
        let caps = w.chars().filter(|c| c.is_uppercase()).count();
        let lows = w.chars().filter(|c| c.is_lowercase()).count();
        // Mixed case inside a word ("CityAnd", "ParishCouncil") is a run-in.
        if lows > 0 && caps > 1 && !w.contains(['\'', '’']) && !w.starts_with("Mc") && !w.starts_with("Mac") {
            return false;
        }
    }
    let first = words[0];
    first.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A council named in a line: `Ashworth County Council`, `Lower Brackenfield Parish Council`,
/// `Dunmore City and County Council`, `Council of the City of Harbourton`.
pub(crate) fn council_in(line: &str) -> Option<String> {
    council_at(line).map(|(_, name)| name)
}

/// The first council named in a line, with where its name lies.
pub(super) fn council_at(line: &str) -> Option<(std::ops::Range<usize>, String)> {
    // Each pattern below needs one of these words (in any case): most lines have none.
    if !["council", "corporation", "township", "municipality"]
        .iter()
        .any(|w| crate::extract::find_ascii_ci(line, w).is_some())
    {
        return None;
    }
    let mut best: Option<(std::ops::Range<usize>, String)> = None;
    let mut keep_first = |found: (std::ops::Range<usize>, String)| {
        if best.as_ref().is_none_or(|b| found.0.start < b.0.start) {
            best = Some(found);
        }
    };
    for c in PLACE_COUNCIL.captures_iter(line).take(6) {
        if let Some(found) = place_kind_council(line, &c) {
            keep_first(found);
        }
    }
    if let Some(c) = COUNCIL_OF.captures(line) {
        let place = c[2].to_string();
        let m = c.get(0).expect("match");
        let after = &line[m.end()..];
        if valid_place(&place) && !after.starts_with(|ch: char| ch.is_alphabetic()) && !spaced_fragment(after) {
            let kind = display_case(&c[1].to_uppercase());
            keep_first((m.range(), format!("{} {kind} Council", tidy_place(&place))));
        }
    }
    if best.is_none() {
        if let Some(c) = KIND_OF.captures(line) {
            let place = c[2].to_string();
            let after = &line[c.get(0).expect("match").end()..];
            if valid_place(&place) && !spaced_fragment(after) {
                let at = c.get(0).expect("match").range();
                best = Some((at, format!("{} {} Council", tidy_place(&place), display_case(&c[1].to_uppercase()))));
            }
        }
    }
    best
}

/// A `<Place> <Kind> Council` match made into a council's name, if its place is one.
fn place_kind_council(line: &str, c: &regex::Captures<'_>) -> Option<(std::ops::Range<usize>, String)> {
    let m = c.get(0)?;
    let place_m = c.get(1)?;
    // Trim leading non-place words off the place ("The Ashworth" loses "The").
    let mut place = place_m.as_str().to_string();
    loop {
        let first = place.split([' ', '-']).next().unwrap_or("").to_lowercase();
        let prefix = PLACE_PREFIXES.contains(&first.as_str());
        if NOT_PLACE.contains(first.as_str()) && !prefix && place.contains(' ') {
            place = place.split_once(' ').map(|x| x.1.to_string()).unwrap_or_default();
        } else {
            break;
        }
    }
    // A kind of meeting between the place and the kind of council is not
    // the place's: "Hinton Annual Parish Council Meeting".
    while let Some((rest, last)) = place.rsplit_once(' ') {
        if !MEETING_KINDS.contains(&last.to_lowercase().as_str()) {
            break;
        }
        place = rest.to_string();
    }
    // Leading words in another case style are letterhead debris ("COUNCIL Dunmore").
    let words: Vec<&str> = place.split(' ').collect();
    if words.len() > 1 {
        let style = |w: &str| w.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
        let last = style(words[words.len() - 1]);
        let keep = words.iter().rev().take_while(|w| style(w) == last).count();
        place = words[words.len() - keep..].join(" ");
    }
    // The place must be a whole word run: not glued to the word before it.
    if prev_is_letter(line, place_m.start()) || !place.starts_with(|ch: char| ch.is_uppercase()) {
        return None;
    }
    if !valid_place(&place) || !kind_case_ok(&c[2], &place) {
        return None;
    }
    let kind = display_case(&c[2]).replace('&', "and").replace(" And ", " and ");
    let kind = kind.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = m.start() + (place_m.as_str().len() - place.len());
    Some((at..m.end(), format!("{} {kind} Council", tidy_place(&place))))
}

/// After a place: ` l a n d` (letters spaced out by a PDF extractor).
fn spaced_fragment(after: &str) -> bool {
    let mut it = after.chars();
    matches!((it.next(), it.next(), it.next()), (Some(' '), Some(c), Some(' ' | '\n')) if c.is_alphabetic())
        || after.starts_with(|c: char| c.is_lowercase())
}

fn prev_is_letter(s: &str, at: usize) -> bool {
    s[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric())
}

/// A council kind in lower case after a capitalised place is prose ("the Ashworth county council"
/// is fine; "Granted city council" is not): both must share case style.
fn kind_case_ok(kind: &str, place: &str) -> bool {
    let kind_upper = kind.chars().next().is_some_and(|c| c.is_uppercase());
    let place_all_caps = place.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    let kind_all_caps = kind.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    kind_upper && (!place_all_caps || kind_all_caps)
}

fn tidy_place(p: &str) -> String {
    let p = display_case(p);
    p.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The council the head names, strictly: on a title line near the top (the
/// council's name, perhaps with a kind of meeting or paper: "ASHWORTH
/// BOROUGH COUNCIL", "Hinton Parish Council annual meeting minutes", or a
/// letterhead that breaks it over short lines), or as the body whose minutes,
/// meeting or publication the head announces ("Minutes of a meeting of Hinton
/// Parish Council held…"). A council merely mentioned ("Deputation from
/// Ashworth Community Council", "Hinton County Council – no report") is not
/// the paper's council.
pub(crate) fn text_council(head: &[String]) -> Option<String> {
    // The whole head lower-cased, made only once a line names a council.
    let mut all = None;
    for (i, l) in head.iter().take(40).enumerate() {
        let letterhead = if i < 15 { letterhead(&head[i..]) } else { None };
        for line in std::iter::once(l.as_str()).chain(letterhead.as_deref()) {
            let Some((at, c)) = council_at(line) else { continue };
            let (before, after) = (&line[..at.start], &line[at.end..]);
            let title = i < 15 && line.len() <= 90 && is_title_line(before, after);
            let opens = i < 15 && before.trim().is_empty() && OPENS_PAPER.is_match(after);
            let announced = ANNOUNCED.is_match(before) || SIGNED.is_match(line) || opens;
            if announced {
                // An announced council stands alone, its place as written.
                return Some(c);
            }
            if title {
                // A title's place must be written twice in the head (a misread
                // letterhead rarely repeats).
                let all = all.get_or_insert_with(|| head.join(" ").to_lowercase());
                if let Some(c) = confirmed(&c, all) {
                    return Some(c);
                }
            }
        }
    }
    None
}

/// The council a metadata title names ("Hinton Parish Council - May
/// meeting", "Minutes of Hinton PC"): a title a person typed, so taken as
/// written, on a title line alone. "PC" after a place is its parish council.
pub(crate) fn title_council(title: &str) -> Option<String> {
    // Typed in haste, a kind may lack its capital: "Hinton parish Council".
    let title = &LOWER_KIND
        .replace_all(title, |c: &regex::Captures<'_>| format!("{} Council", display_case(&c[1].to_uppercase())));
    let (at, c) = council_at(title).or_else(|| parish_abbreviated(title))?;
    is_title_line(&title[..at.start], &title[at.end..]).then_some(c)
}

/// A council's kind in lower case before a capitalised `Council`.
static LOWER_KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(parish|town|community|borough|district|county|city) Council(?-u:\b)").expect("valid regex")
});

/// The council a paper names: its typed metadata title's, unless the paper
/// prints a near spelling of it in its head ("Northwold" typed
/// "Northwood"): what is printed on the paper wins a typing slip.
pub(crate) fn titled_or_printed(titled: Option<String>, head: &[String]) -> Option<String> {
    let Some(t) = titled else { return text_council(head) };
    match text_council(head) {
        Some(p) if p != t && near_spelling(&t.to_lowercase(), &p.to_lowercase()) => Some(p),
        _ => Some(t),
    }
}

/// Two names a letter or two apart (edits counted up to 2), each long enough
/// that a slip is likelier than another name.
fn near_spelling(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 12 || a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    // Levenshtein distance, row by row.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()] <= 2
}

/// `Hinton PC`: a place's parish council, abbreviated.
fn parish_abbreviated(line: &str) -> Option<(std::ops::Range<usize>, String)> {
    static PC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"(?-u:\b)({PLACE}) P\.?C\.?(?-u:\b)")).expect("valid regex"));
    let c = PC.captures(line)?;
    let place = c.get(1)?;
    let words: Vec<&str> = place.as_str().split(' ').collect();
    // Leading words of a title ("Minutes of Hinton PC") are not the place's.
    let skip = words
        .iter()
        .take_while(|w| {
            let lw = w.to_lowercase();
            NOT_PLACE.contains(lw.as_str()) && !PLACE_PREFIXES.contains(&lw.as_str())
        })
        .count();
    let name = words[skip..].join(" ");
    if name.is_empty() || !valid_place(&name) {
        return None;
    }
    let start = place.start() + words[..skip].iter().map(|w| w.len() + 1).sum::<usize>();
    Some((start..c.get(0)?.end(), format!("{} Parish Council", tidy_place(&name))))
}

/// A name broken over the short lines of a letterhead ("Dunmore" / "CITY &
/// COUNTY" / "COUNCIL"), joined: two or three short lines of words alone, the
/// last of them ending in "Council".
fn letterhead(lines: &[String]) -> Option<String> {
    let part = |l: &String| l.len() <= 40 && l.chars().all(|c| c.is_alphabetic() || " &'’-.".contains(c));
    let n = lines.iter().take(3).take_while(|l| part(l)).count();
    (2..=n).find(|&k| lines[k - 1].trim().to_lowercase().ends_with("council")).map(|k| lines[..k].join(" "))
}

/// Kinds of meeting, which may stand between a place and its council's kind.
const MEETING_KINDS: &[&str] = &["annual", "special", "extraordinary", "ordinary", "monthly", "statutory", "general"];

/// Words that may stand beside a council's name on its title line.
const TITLE_WORDS: &[&str] = &[
    "minutes",
    "minute",
    "agenda",
    "meeting",
    "meetings",
    "notice",
    "of",
    "the",
    "a",
    "an",
    "and",
    "for",
    "annual",
    "monthly",
    "ordinary",
    "extraordinary",
    "special",
    "full",
    "draft",
    "official",
    "publication",
    "summons",
    "held",
    "on",
    "at",
    "in",
    "record",
    "proceedings",
    "parish",
    "town",
    "general",
    "budget",
    "statutory",
    "inaugural",
];

/// True when what stands before and after a council's name on a line is a
/// title's furniture: a few words of [`TITLE_WORDS`], dates, numbers, punctuation.
fn is_title_line(before: &str, after: &str) -> bool {
    let words: Vec<String> = format!("{before} {after}")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| !is_date_word(w))
        .collect();
    words.len() <= 6 && words.iter().all(|w| TITLE_WORDS.contains(&w.as_str()))
}

/// A month or weekday name, or an ordinal suffix (`7th`): a date's words.
fn is_date_word(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "st",
        "nd",
        "rd",
        "th",
        "pm",
        "am",
    ];
    crate::paper::dates::is_month_name(w)
        || WORDS.contains(&w)
        || (w.len() <= 4 && w.ends_with(['t', 'd', 'h']) && w.starts_with(|c: char| c.is_ascii_digit()))
}

/// Words right before a council's name that announce it as the body whose
/// minutes, meeting or publication the paper is.
static ANNOUNCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:minutes|meeting|proceedings|publication|agenda|summons|notice)\s+of\s+(?:(?:an?|the)\s+)?(?:(?:[a-z]+\s+){0,3}(?:meeting|proceedings)\s+of\s+(?:the\s+)?)?$")
        .expect("valid regex")
});

/// What a paper is, right after the council's name that opens a line:
/// "HINTON PARISH COUNCIL Minutes of the Ordinary Meeting held…", "… DRAFT
/// Minutes", "… (Draft until approved) Minutes"; capitalised, as a title is
/// ("… Council minutes were noted" is prose).
static OPENS_PAPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s:,.–—-]*(?:(?:DRAFT|Draft)\s+)?(?:\([^)]{0,80}\)\s*)?(?:MINUTES|Minutes|AGENDA|Agenda)(?-u:\b)")
        .expect("valid regex")
});

/// A report's author or sender line: the council named on it is the paper's.
static SIGNED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:lead officers?|authors?|report authors?|from)\s*:").expect("valid regex"));

/// The council, if its place is written more than once in the head (an OCR
/// misreading rarely repeats): the longest such tail of the place.
fn confirmed(council: &str, all: &str) -> Option<String> {
    let kind_at = KINDS.iter().filter_map(|k| council.find(&format!(" {k} Council"))).min()?;
    let place = &council[..kind_at];
    let rest = &council[kind_at..];
    let words: Vec<&str> = place.split(' ').collect();
    for k in 0..words.len() {
        let p = words[k..].join(" ");
        if p.chars().filter(|c| c.is_alphabetic()).count() >= 3 && all.matches(&p.to_lowercase()).count() >= 2 {
            return Some(format!("{p}{rest}"));
        }
    }
    None
}

/// A council named by a folder in the path: `…/ashworth-borough-council/…`.
pub(crate) fn path_council(path: &Path) -> Option<String> {
    for c in path.iter().rev().skip(1) {
        let c = c.to_string_lossy().replace(['-', '_'], " ");
        if let Some(name) = council_in(&display_case(&c.to_uppercase())) {
            return Some(name);
        }
    }
    None
}

/// The council named (see [`council_in`]) on a line of `ls[s..e]` whose place
/// is also a `place.gov.uk` domain the lines link to. A wrong council is worse
/// than none.
pub(crate) fn domain_council(ls: &[Line], s: usize, e: usize) -> Option<String> {
    static DOMAIN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)([a-z]+)\.gov\.uk(?-u:\b)").expect("valid regex"));
    let mut domains: Vec<String> = Vec::new();
    let mut councils: Vec<String> = Vec::new();
    for l in ls.iter().take(e.max(s + 1).min(ls.len())).skip(s) {
        let raw = lines::truncate(l.raw, 4000);
        // Most lines have no `.gov` (in any case) to find: skip the regex for them.
        let has_gov = crate::extract::find_ascii_ci(raw, ".gov").is_some();
        for c in DOMAIN.captures_iter(if has_gov { raw } else { "" }).take(8) {
            let d = c[1].to_ascii_lowercase();
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        if raw.contains("ouncil") || raw.contains("OUNCIL") {
            if let Some(c) = council_in(&lines::strip_markup(raw)) {
                councils.push(c);
            }
        }
    }
    councils
        .iter()
        .find(|c| {
            let squashed: String = c.chars().filter(|ch| ch.is_alphanumeric()).collect::<String>().to_lowercase();
            domains.iter().any(|d| d.len() >= 4 && squashed.starts_with(d.as_str()))
        })
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn council_words_have_no_other_case_forms() {
        // The pre-checks in `council_in` (and for `.gov` domains in the pack's
        // head) look for words in ASCII case only; that is exact when no other
        // character matches the letters of the words their patterns match under
        // `(?i)`: council, corporation, gov.
        for c in "councilorpatgv".chars() {
            let re = Regex::new(&format!("(?i)^{c}$")).expect("valid regex");
            let others: Vec<char> = (0..=0x10FFFF)
                .filter_map(char::from_u32)
                .filter(|x| !x.eq_ignore_ascii_case(&c) && re.is_match(&x.to_string()))
                .collect();
            assert!(others.is_empty(), "{c}: {others:?}");
        }
        assert_eq!(council_in("Minutes of ASHWORTH COUNTY COUNCIL"), Some("Ashworth County Council".to_string()));
        assert_eq!(council_in("Minutes of the Cabinet"), None);
    }

    #[test]
    fn councils_are_strict() {
        assert_eq!(
            council_in("MINUTES OF BRACKENFIELD PARISH COUNCIL MEETING").as_deref(),
            Some("Brackenfield Parish Council")
        );
        assert_eq!(council_in("Dunmore City and County Council.").as_deref(), Some("Dunmore City and County Council"));
        assert_eq!(
            council_in("Official Publication of the Council of the City of Harbourton").as_deref(),
            Some("Harbourton City Council")
        );
        assert_eq!(council_in("O fficial Publication of the City of Harbo u r t o n"), None);
        assert_eq!(council_in("MINUTES TOWNSHIP OF ELMVALE").as_deref(), Some("Elmvale Township Council"));
        for junk in [
            "The Borough Council",
            "Granted Borough Council",
            "All County Council",
            "Cityand County Council",
            "the Borough Council said",
        ] {
            assert_eq!(council_in(junk), None, "{junk}");
        }
    }

    fn strings(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn the_head_names_its_council_on_a_title_line_or_announces_it() {
        for (head, want) in [
            (
                "ASHWORTH BOROUGH COUNCIL\nCABINET\nMinutes of the Cabinet held at Ashworth Town Hall",
                Some("Ashworth Borough Council"),
            ),
            (
                "Hinton Parish Council annual meeting minutes\nHeld at Hinton village hall",
                Some("Hinton Parish Council"),
            ),
            // A title whose place is written once may be a misreading: not taken.
            ("ASHWQRTH BOROUGH COUNCIL\nCABINET\nMinutes of the Cabinet", None),
            ("Minutes of a meeting of Hinton Parish Council held on 3rd May 2019", Some("Hinton Parish Council")),
            // A letterhead broken over short lines.
            ("Dunmore\nCITY & COUNTY\nCOUNCIL\nCorporate Services, Dunmore", Some("Dunmore City and County Council")),
            ("Official Publication of the Council of the City of Harbourton", Some("Harbourton City Council")),
            // A council's name that opens the paper, and what the paper is.
            (
                "HARBOUR BAY PARISH COUNCIL Minutes of the Ordinary Meeting held on Wednesday 3 April 2019 at 7pm",
                Some("Harbour Bay Parish Council"),
            ),
            (
                "HARBOUR BAY PARISH COUNCIL (Draft until approved at the next meeting) Minutes of the Meeting",
                Some("Harbour Bay Parish Council"),
            ),
            ("Hinton Parish Council DRAFT Minutes of the meeting held at Hinton Hall", Some("Hinton Parish Council")),
            // An announced council is taken whole, though only its last word recurs.
            ("Minutes of the June Meeting of Harbour Bay Parish Council\nBay Road", Some("Harbour Bay Parish Council")),
            // Mentions are not the paper's council.
            ("Minutes of the meeting\nDeputation from Marsh End Community Council", None),
            ("Minutes of the meeting\nHinton County Council - representative not present", None),
            ("Notes\nA letter from Hinton County Council about the budget was read.", None),
            ("Notes\nHinton County Council minutes were noted.", None),
        ] {
            assert_eq!(text_council(&strings(head)).as_deref(), want, "{head:?}");
        }
    }

    #[test]
    fn a_metadata_title_names_its_council_as_written() {
        assert_eq!(
            title_council("Lower Hinton Parish Council Meeting (8th November)").as_deref(),
            Some("Lower Hinton Parish Council")
        );
        assert_eq!(title_council("Stoke-on-Wyre City Council").as_deref(), Some("Stoke-on-Wyre City Council"));
        assert_eq!(
            title_council("Minutes of Newport upon Tay Town Council").as_deref(),
            Some("Newport upon Tay Town Council")
        );
        assert_eq!(title_council("Ashby and Hove City Council").as_deref(), Some("Ashby and Hove City Council"));
        assert_eq!(title_council("New Forest District Council").as_deref(), Some("New Forest District Council"));
        assert_eq!(
            title_council("Minutes of Lower Hinton PC Meeting June").as_deref(),
            Some("Lower Hinton Parish Council")
        );
        assert_eq!(title_council("Hinton PC Minutes").as_deref(), Some("Hinton Parish Council"));
        assert_eq!(
            title_council("Harbour Bay parish Council Meeting - December").as_deref(),
            Some("Harbour Bay Parish Council")
        );
        assert_eq!(title_council("Letter from Hinton Parish Council about the road"), None);
        assert_eq!(title_council("Report by PC Smith"), None);
    }

    #[test]
    fn a_printed_name_wins_a_typed_title_s_slip() {
        let head = strings("MINUTES OF DUNMOOR PARISH COUNCIL MEETING\nHeld at Dunmoor village hall");
        let typed = title_council("Dunmore Parish Council - September");
        assert_eq!(titled_or_printed(typed, &head).as_deref(), Some("Dunmoor Parish Council"));
        // Another council altogether is no slip: the title stands.
        let typed = title_council("Hinton Parish Council - September");
        assert_eq!(titled_or_printed(typed, &head).as_deref(), Some("Hinton Parish Council"));
        assert_eq!(titled_or_printed(None, &head).as_deref(), Some("Dunmoor Parish Council"));
    }

    #[test]
    fn a_kind_of_meeting_is_not_part_of_the_place() {
        assert_eq!(council_in("Hinton Annual Parish Council Meeting").as_deref(), Some("Hinton Parish Council"));
        assert_eq!(
            council_in("Hinton Annual General Parish Council Meeting").as_deref(),
            Some("Hinton Parish Council")
        );
        assert_eq!(council_in("Hinton Parish Annual Council Meeting").as_deref(), Some("Hinton Parish Council"));
        assert_eq!(council_in("Annual Parish Council Meeting"), None);
    }

    #[test]
    fn folders_name_councils() {
        assert_eq!(
            path_council(Path::new("papers/ashworth-borough-council/2019/minutes.txt")).as_deref(),
            Some("Ashworth Borough Council")
        );
        assert_eq!(path_council(Path::new("papers/2019/minutes.txt")), None);
    }

    #[test]
    fn a_council_needs_its_domain_to_confirm_it() {
        let raw = ["Ashworth Borough Council", "www.ashworth.gov.uk", "Hinton County Council"];
        let ls: Vec<Line> = raw.iter().map(|l| Line::new(l)).collect();
        assert_eq!(domain_council(&ls, 0, 3).as_deref(), Some("Ashworth Borough Council"));
        assert_eq!(domain_council(&ls[2..], 0, 1), None);
    }
}
