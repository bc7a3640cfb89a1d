//! Metadata for papers the structural pass does not fully recognise: the
//! council, the body that met, the meeting date and the kind of paper, read
//! from the text's head first, then from what the file says about itself
//! (`Text::meta`), then from the path. No rule refers to a file name.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use regex::Regex;

use super::lines;
use crate::paper::dates::{self, Precision};
use crate::paper::names::display_case;
use crate::paper::ItemType;

/// How many logical lines of the head are read.
const HEAD_LINES: usize = 90;
/// How many characters of the head are read.
const HEAD_CHARS: usize = 9000;

/// The first lines of a paper as plain text: YAML front matter skipped, HTML
/// line breaks split, tags stripped, common entities decoded, link-only and
/// page-furniture lines dropped, blank lines dropped.
pub(crate) fn head(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut chars = 0;
    let mut i = 0;
    // YAML front matter: `---` ... `---` at the very top.
    if raw.first().is_some_and(|l| l.trim() == "---") {
        if let Some(k) = raw.iter().skip(1).take(80).position(|l| l.trim() == "---" || l.trim() == "...") {
            i = k + 2;
        }
    }
    for l in raw.iter().skip(i) {
        if out.len() >= HEAD_LINES || chars >= HEAD_CHARS {
            break;
        }
        let l = lines::truncate(l, 20_000);
        for part in BR.split(l) {
            let t = tidy(part);
            if t.is_empty() || is_furniture(&t) {
                continue;
            }
            chars += t.len();
            out.push(t);
            if out.len() >= HEAD_LINES || chars >= HEAD_CHARS {
                break;
            }
        }
    }
    out
}

static BR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>|</p>|</div>|</h[1-6]>|</li>|</tr>").expect("valid regex"));

/// Strips markup and decodes the entities councils' HTML uses.
fn tidy(s: &str) -> String {
    let t = lines::strip_markup(s.trim());
    let t = crate::extract::decode_entities(&t);
    let t = t.replace('\u{a0}', " ");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lines that are never the paper's own words: rules, link-only lines, OCR notices.
fn is_furniture(t: &str) -> bool {
    let lower = t.to_lowercase();
    t.chars().all(|c| matches!(c, '-' | '=' | '_' | '*' | '|' | ' ' | '—'))
        || (t.starts_with('[') && t.contains("](") && t.ends_with(')'))
        || lower.starts_with("scanned page, text may contain errors")
        || lower == "(image omitted)"
}

// ---------------------------------------------------------------- dates

// Word boundaries in the patterns of this module are ASCII (`(?-u:\b)`): each
// sits next to ASCII words or letters, where it means the same, and with
// Unicode boundaries the regex engine leaves its DFA for the backtracker on
// any text with a character that is not ASCII (a £, a curly quote).

const MON: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WD: &str = r"(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?";

/// OCR and typesetting noise between a day and its month: `6" February`, `14™ MAY`, `1* March`.
static OCR_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r#"(?i)(?-u:\b)(\d{{1,2}})\s*(?:[™"”“*°'’^?]+|\s(?:st|nd|rd|th)(?-u:\b))\s*{MON}(?-u:\b)"#))
        .expect("valid regex")
});

/// A weekday and a day and month with no (readable) year: `Wednesday, 6 March`, `Tuesday January 7th`.
static YEARLESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b){WD},?\s+(?:(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MON}(?-u:\b)|{MON}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b))"
    ))
    .expect("valid regex")
});

/// A date written in words: `January the Third, Nineteen Hundred and Ninety-Six`.
static WORDS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b){MON}\s+the\s+([a-z]+(?:[- ][a-z]+)?),?\s+((?:nineteen hundred|two thousand)(?:\s+and)?(?:\s+[a-z]+(?:-[a-z]+)?)?)"
    ))
    .expect("valid regex")
});

/// Words before a date that make it the meeting's.
static HELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(held|to be held|will be held|took place|meeting (?:of|on|at|to be)|date of (?:the )?meeting|meeting date|convened|summons|presentation to (?:the )?(?:\w+ )?(?:council|committee|board|cabinet)|(?:council|committee|board|cabinet) presentation)(?-u:\b)|^\s*to:")
        .expect("valid regex")
});

/// Words before a date that make it another meeting's, or a publication date.
static NOT_THIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(adopt\w*|confirm\w*|approv\w*|circulated|previous|last|signed|agree\w*|accept\w*|amended|published|publication|printed|issued|dispatched|despatched|posted|updated|deadline|dated|received|letter|email|e-mail|report dated|past pathway|pathway)(?-u:\b)")
        .expect("valid regex")
});

/// How far into the head a meeting date is looked for: a paper that does not
/// state its date near the top is dated by its metadata or path instead.
const DATE_LINES: usize = 45;
const DATE_CHARS: usize = 3500;

/// A meeting date candidate.
#[derive(Debug, Clone, Copy)]
struct Cand {
    date: NaiveDate,
    score: i32,
}

/// The meeting date the head of a paper states, if it states one clearly.
/// `year_hint` (from metadata or the path) only helps complete a date whose
/// year is missing or unreadable, and only when the weekday agrees.
pub(crate) fn text_date(head: &[String], year_hint: Option<i32>) -> Option<NaiveDate> {
    // The head as one string (dates and their context may wrap), with where each line starts.
    let mut joined = String::new();
    let mut starts: Vec<usize> = Vec::with_capacity(head.len());
    let mut date_lines: Vec<bool> = Vec::with_capacity(head.len());
    let mut chars = 0;
    for l in head.iter().take(DATE_LINES) {
        if chars > DATE_CHARS {
            break;
        }
        chars += l.len();
        let l = OCR_ORDINAL.replace_all(l, "$1 $2");
        starts.push(joined.len());
        date_lines.push(is_date_only_line(&l));
        joined.push_str(&l);
        joined.push(' ');
    }
    // OCR noise may also split a day from its month across lines (`7"` / `February`).
    // Same length, so line offsets stay valid.
    let fixed = OCR_ORDINAL.replace_all(&joined, |c: &regex::Captures| {
        let (all, d, m) = (&c[0], &c[1], &c[2]);
        format!("{d}{}{m}", " ".repeat(all.len().saturating_sub(d.len() + m.len()).max(1)))
    });
    if fixed.len() == joined.len() {
        joined = fixed.into_owned();
    }
    let line_of = |at: usize| starts.partition_point(|&s| s <= at).saturating_sub(1);
    let mut cands: Vec<Cand> = Vec::new();
    let mut years: Vec<i32> = year_hint.into_iter().collect();
    let mut pos = 0;
    let mut last_end = 0;
    for _ in 0..64 {
        let Some(f) = dates::find_date(&joined[pos..]) else { break };
        let (s, e) = (pos + f.start, pos + f.end);
        pos = e;
        if !(1950..=2100).contains(&f.date.year()) {
            continue;
        }
        years.push(f.date.year());
        if f.precision == Precision::Day {
            let li = line_of(s);
            let at_line_start = joined[starts[li]..s].trim().len() <= 12;
            // A date line that finishes the previous line's sentence is not a heading.
            let continues = continues_sentence(&joined[..starts[li]]);
            let at_line_start = at_line_start && !continues;
            let score = score_date(&joined[last_end..s], &joined[s..e], date_lines[li] && at_line_start, s, li);
            cands.push(Cand { date: f.date, score });
        }
        last_end = e;
        if pos >= joined.len() {
            break;
        }
    }
    for c in WORDS_DATE.captures_iter(&joined).take(2) {
        if let Some(d) = words_date(&c[1], &c[2], &c[3]) {
            let li = line_of(c.get(0).expect("match").start());
            cands.push(Cand { date: d, score: 40 - li as i32 });
        }
    }
    // Year-less weekday dates: complete the year so the weekday agrees.
    let mut last_end = 0;
    for c in YEARLESS.captures_iter(&joined).take(8) {
        let m = c.get(0).expect("whole match");
        // Already a full date when a year follows.
        if dates::find_full_date(&joined[m.start()..]).is_some_and(|f| f.start == 0) {
            last_end = m.end();
            continue;
        }
        let (day, mon) = match (c.get(2), c.get(3), c.get(4), c.get(5)) {
            (Some(d), Some(mo), _, _) => (d.as_str(), mo.as_str()),
            (_, _, Some(mo), Some(d)) => (d.as_str(), mo.as_str()),
            _ => continue,
        };
        let (Ok(day), Some(mon), Some(wd)) = (day.parse::<u32>(), month_of(mon), weekday_of(&c[1])) else {
            continue;
        };
        if let Some(d) = complete_year(day, mon, wd, &years) {
            let li = line_of(m.start());
            let from = last_end.min(m.start());
            let score = score_date(&joined[from..m.start()], m.as_str(), false, m.start(), li) - 5;
            cands.push(Cand { date: d, score });
        }
        last_end = m.end();
    }
    let best = cands.iter().enumerate().max_by_key(|(k, c)| (c.score, usize::MAX - k))?.1;
    (best.score >= 15).then_some(best.date)
}

fn tail(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut i = s.len() - n;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// A line that is a date and little else (weekday, time, place after it).
fn is_date_only_line(l: &str) -> bool {
    let Some(f) = dates::find_full_date(l) else { return false };
    let before = l[..f.start].trim().trim_end_matches([':', ',', '-', '–']).trim();
    let before_ok = before.is_empty() || (before.len() <= 40 && WD_ONLY.is_match(before) && !NOT_THIS.is_match(before));
    let after = l[f.end..].trim();
    before_ok && (after.is_empty() || after.len() <= 60 && TIME_AFTER.is_match(after))
}

static WD_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^(?:(?:date|meeting|on|held on|of meeting|the)\s*:?\s*)*(?:{WD})?[,.]?$"))
        .expect("valid regex")
});
static TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[,.;]?\s*(?:at|commencing|starting|from|@|\d|\(|–|-|in(?-u:\b))").expect("valid regex")
});

fn score_date(before: &str, date: &str, line_is_date: bool, offset: usize, line: usize) -> i32 {
    let near = tail(before, 140);
    let mut score = 0;
    let held = HELD.find_iter(near).last();
    let not = NOT_THIS.find_iter(near).last();
    match (held, not) {
        (Some(h), Some(n)) if n.start() > h.start() => score -= 40,
        (Some(_), Some(n)) if near.len() - n.end() < 90 => score += 10,
        (Some(_), _) => score += 50,
        (None, Some(n)) if near.len() - n.end() < 60 => score -= 40,
        _ => {}
    }
    // "Minutes of … held" over a previous meeting's minutes.
    if line_is_date {
        score += 35;
    }
    // A weekday starts the date, or comes just before it (`Tuesday, September 17, 2024`).
    if (date.to_lowercase().starts_with(|c: char| c.is_alphabetic()) && WEEKDAY_START.is_match(date))
        || WEEKDAY_END.is_match(tail(before, 40))
    {
        score += 15;
    }
    if line < 12 {
        score += 12 - line as i32;
    }
    score - (offset / 400) as i32
}

static WEEKDAY_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^{WD}(?-u:\b)")).expect("valid regex"));
/// A weekday right before a date: `Tuesday, ` before `September 17, 2024`.
static WEEKDAY_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)(?-u:\b){WD}[,.]?\s*$")).expect("valid regex"));

/// True when the text before a line ends mid-sentence (a lower-case letter or
/// a comma), so the line continues it and is not a heading.
fn continues_sentence(before: &str) -> bool {
    before.trim_end().chars().next_back().is_some_and(|c| c.is_lowercase() || c == ',')
}

fn month_of(m: &str) -> Option<u32> {
    dates::parse_date(&format!("1 {m} 2000")).map(|d| d.month())
}

fn weekday_of(w: &str) -> Option<Weekday> {
    let w = w.to_lowercase();
    Some(match w.get(..3)? {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// The year, near the years seen, that puts `day month` on weekday `wd`.
fn complete_year(day: u32, mon: u32, wd: Weekday, years: &[i32]) -> Option<NaiveDate> {
    let mut tried: Vec<i32> = Vec::new();
    // Most common year first.
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for &y in years {
        match counts.iter_mut().find(|(x, _)| *x == y) {
            Some(c) => c.1 += 1,
            None => counts.push((y, 1)),
        }
    }
    counts.sort_by_key(|&(y, n)| (usize::MAX - n, y));
    for (y, _) in counts {
        for cand in [y, y + 1, y - 1] {
            if tried.contains(&cand) {
                continue;
            }
            tried.push(cand);
            if let Some(d) = NaiveDate::from_ymd_opt(cand, mon, day) {
                if d.weekday() == wd {
                    return Some(d);
                }
            }
        }
    }
    None
}

const ORDINALS: [&str; 31] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
];

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// A number below 100 in words: `ninety-six`, `four`, `twelve`.
fn small_number(s: &str) -> Option<i32> {
    let s = s.trim().to_lowercase().replace(' ', "-");
    if s.is_empty() {
        return Some(0);
    }
    if let Some(n) = UNITS.iter().position(|u| *u == s) {
        return Some(n as i32);
    }
    let (t, u) = s.split_once('-').unwrap_or((&s, ""));
    let tn = TENS.iter().position(|x| !x.is_empty() && *x == t)? as i32;
    let un = if u.is_empty() { 0 } else { UNITS.iter().take(10).position(|x| *x == u)? as i32 };
    Some(tn * 10 + un)
}

fn words_date(mon: &str, ord: &str, year: &str) -> Option<NaiveDate> {
    let ord = ord.to_lowercase().replace(' ', "-");
    let day = ORDINALS.iter().position(|o| *o == ord)? as u32 + 1;
    let y = year.to_lowercase();
    let y = y.split_whitespace().collect::<Vec<_>>().join(" ");
    let year = if let Some(rest) = y.strip_prefix("nineteen hundred") {
        1900 + small_number(rest.trim_start_matches(" and").trim())?
    } else if let Some(rest) = y.strip_prefix("two thousand") {
        2000 + small_number(rest.trim_start_matches(" and").trim())?
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(year, month_of(mon)?, day)
}

/// A date in a metadata title ("Minutes of the meeting held on 11th March 2004").
pub(crate) fn title_date(title: &str) -> Option<NaiveDate> {
    let t = OCR_ORDINAL.replace_all(title, "$1 $2");
    dates::find_full_date(&t).map(|f| f.date)
}

/// True when a paper's metadata title shows that its metadata date (a post
/// or publication date) is not the meeting's: the title names a month and not
/// the date's (`Northwold Parish Council June` posted in October), or the
/// paper is a letter to the editor or an editorial, which records no meeting.
pub(crate) fn title_disowns_date(title: &str, date: NaiveDate) -> bool {
    if NOT_MEETING_TITLE.is_match(title) {
        return true;
    }
    let months: Vec<u32> = TITLE_MONTH.find_iter(title).filter_map(|m| month_of(m.as_str())).collect();
    !months.is_empty() && !months.contains(&date.month())
}

/// Full month names, capitalised, as words of a title.
static TITLE_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)(?-u:\b)")
        .expect("valid regex")
});
static NOT_MEETING_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:letters? (?:\w+ ){0,3}to the editor|editorial)(?-u:\b)").expect("valid regex")
});

/// A meeting date in the path, nearest component first: `2019-03-14`,
/// `14-03-2019`, `20190314`, `aug-7-2018`, `6th February 2019`, and a
/// `YYYY/MM/DD-…` folder run.
///
/// One exception to "nearest first": a folder whose whole name is a date
/// (`…/2025-01-30/…`, as ModernGov exports file each meeting's papers) names
/// the meeting, and outranks a date written among the words of the file name
/// (`Appendix E 21.01.25 incl update.pdf`, a version date). A file name that is
/// itself just a date (`2010-05-05.txt`) still wins.
pub(crate) fn path_date(path: &Path) -> Option<NaiveDate> {
    let comps: Vec<String> = path.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let n = comps.len();
    for (k, c) in comps.iter().enumerate().rev() {
        let c = if k + 1 == n { stem(c) } else { c.as_str() };
        if let Some(d) = component_date(c) {
            if k + 1 == n && !WHOLE_DATE.is_match(c) {
                if let Some(folder) = comps[..k].iter().rev().find(|f| WHOLE_DATE.is_match(f)) {
                    return component_date(folder).or(Some(d));
                }
            }
            return Some(d);
        }
        // `YYYY/MM/DD-name`: three components.
        if k >= 2 {
            let y = comps[k - 2].parse::<i32>().ok().filter(|y| (1900..2100).contains(y));
            let m = comps[k - 1].parse::<u32>().ok();
            let d = c
                .get(..2)
                .and_then(|d| d.parse::<u32>().ok())
                .filter(|_| !c[2..].starts_with(|ch: char| ch.is_ascii_digit()));
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    return Some(date);
                }
            }
        }
    }
    None
}

fn stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 6 => &name[..i],
        _ => name,
    }
}

/// A path component that is a date and nothing else: `2025-01-30`, `20250130`, `30-01-2025`.
static WHOLE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:19|20)\d\d[-_.]?[01]\d[-_.]?[0-3]\d|[0-3]?\d[-_.][01]?\d[-_.](?:19|20)\d\d)$")
        .expect("valid regex")
});

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?:[^0-9]|$)").expect("valid regex")
});
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])([0-3]?\d)[-_.]([01]?\d)[-_.]((?:19|20)\d\d)(?:[^0-9]|$)").expect("valid regex")
});

fn component_date(c: &str) -> Option<NaiveDate> {
    if let Some(m) = ISO.captures(c) {
        let d = NaiveDate::from_ymd_opt(m[1].parse().ok()?, m[2].parse().ok()?, m[3].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    if let Some(m) = DMY.captures(c) {
        let d = NaiveDate::from_ymd_opt(m[3].parse().ok()?, m[2].parse().ok()?, m[1].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    let spaced = c.replace(['-', '_'], " ");
    dates::find_full_date(&spaced).map(|f| f.date)
}

// ---------------------------------------------------------------- councils

/// Council kinds, longest first.
const KINDS: &str = r"City and County|County Borough|Metropolitan Borough|Metropolitan District|Borough|County|City|District|Parish|Town|Community|Township|Village|Municipal|Regional|Unitary";

/// `<Place> <Kind> Council`.
static PLACE_COUNCIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)((?:[A-Z][A-Za-z'’]+[ -]){{0,2}}[A-Z][A-Za-z'’]+) ((?i:{KINDS})) (?i:Council)(?-u:\b)"
    ))
    .expect("valid regex")
});

/// `Council of the City of <Place>`, `Corporation of the Township of <Place>`, `Township of <Place> Council`.
static COUNCIL_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:council|corporation) of the (city|town|township|village|county|municipality|borough) of ((?:[A-Z][A-Za-z'’]+[ -]){0,2}[A-Z][A-Za-z'’]+)(?-u:\b)")
        .expect("valid regex")
});
static KIND_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(Township|TOWNSHIP|Municipality|MUNICIPALITY) OF ((?:[A-Z][A-Za-z'’]+[ -]){0,2}[A-Z][A-Za-z'’]+)(?-u:\b)")
        .expect("valid regex")
});

/// Words that are never (the first word of) a place.
const NOT_PLACE: &[&str] = &[
    "the",
    "a",
    "an",
    "all",
    "any",
    "each",
    "every",
    "this",
    "that",
    "these",
    "those",
    "our",
    "your",
    "their",
    "his",
    "her",
    "its",
    "my",
    "no",
    "granted",
    "refused",
    "approved",
    "and",
    "or",
    "of",
    "for",
    "to",
    "by",
    "with",
    "from",
    "in",
    "on",
    "at",
    "as",
    "new",
    "local",
    "said",
    "such",
    "other",
    "both",
    "neighbouring",
    "adjoining",
    "relevant",
    "respective",
    "appropriate",
    "principal",
    "unitary",
    "member",
    "members",
    "whole",
    "full",
    "annual",
    "special",
    "monthly",
    "ordinary",
    "extraordinary",
    "regular",
    "meeting",
    "minutes",
    "agenda",
    "dear",
    "cllr",
    "councillor",
    "county",
    "city",
    "borough",
    "district",
    "parish",
    "town",
    "community",
    "township",
    "village",
    "mr",
    "mrs",
    "ms",
    "dr",
    "re",
    "note",
    "notes",
    "planning",
    "application",
    "applications",
    "permission",
    "decision",
    "chairman",
    "chair",
    "clerk",
    "report",
    "reports",
    "from",
    "via",
    "per",
    "was",
    "were",
    "is",
    "are",
    "be",
    "has",
    "have",
    "had",
    "will",
    "would",
    "should",
    "could",
    "may",
    "can",
    "if",
    "when",
    "which",
    "who",
    "what",
    "where",
    "contact",
    "ring",
    "phone",
    "tel",
    "email",
    "letter",
    "letters",
    "more",
    "most",
    "some",
    "many",
    "several",
    "one",
    "two",
    "three",
    "first",
    "second",
    "last",
    "next",
    "previous",
    "same",
    "non",
    "pre",
    "post",
    "cross",
    "inter",
    "responsible",
    "lead",
    "host",
    "partner",
    "upper",
    "lower",
    "tier",
    "single",
    "two-tier",
    "former",
    "current",
    "various",
    "another",
    "against",
    "between",
    "under",
    "over",
    "about",
    "into",
    "onto",
    "upon",
    "then",
    "than",
    "also",
    "only",
    "not",
    "see",
    "please",
    "thank",
    "thanks",
    "welcome",
    "item",
    "items",
    "resolved",
    "agreed",
    "noted",
    "proposed",
    "seconded",
    "carried",
    "following",
    "above",
    "below",
    "apologies",
    "present",
    "absent",
    "declared",
    "why",
    "how",
    "so",
    "yes",
    "attend",
    "attended",
    "attending",
    "inform",
    "informed",
    "write",
    "wrote",
    "written",
    "ask",
    "asked",
    "contacted",
    "told",
    "tell",
    "says",
    "said",
    "there",
    "here",
    "after",
    "before",
    "during",
    "since",
    "until",
    "whilst",
    "while",
    "although",
    "though",
    "because",
    "but",
    "nor",
    "yet",
    "about",
    "consultation",
    "consult",
    "response",
    "responses",
    "update",
    "updates",
    "budget",
    "precept",
    "grant",
    "council",
    "councils",
    "draft",
    "final",
    "revised",
    "virtual",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "model",
    "scheme",
];

fn valid_place(place: &str) -> bool {
    let words: Vec<&str> = place.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    for w in &words {
        let lw = w.to_lowercase();
        if NOT_PLACE.contains(&lw.as_str()) {
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

/// A council named in a line: `Kent County Council`, `Stoke Ferry Parish Council`,
/// `Limerick City and County Council`, `Council of the City of Cleveland`.
pub(crate) fn council_in(line: &str) -> Option<String> {
    // Each pattern below needs one of these words (in any case): most lines have none.
    if !["council", "corporation", "township", "municipality"]
        .iter()
        .any(|w| crate::extract::find_ascii_ci(line, w).is_some())
    {
        return None;
    }
    let mut best: Option<(usize, String)> = None;
    for c in PLACE_COUNCIL.captures_iter(line).take(6) {
        let m = c.get(0).expect("whole match");
        let place_m = c.get(1).expect("place");
        // Trim leading non-place words off the place ("by Norfolk County Council" never
        // reaches here since the place must be capitalised; "The Kent" loses "The").
        let mut place = place_m.as_str().to_string();
        loop {
            let first = place.split([' ', '-']).next().unwrap_or("").to_lowercase();
            if NOT_PLACE.contains(&first.as_str()) && place.contains(' ') {
                place = place.split_once(' ').map(|x| x.1.to_string()).unwrap_or_default();
            } else {
                break;
            }
        }
        // Leading words in another case style are letterhead debris ("COUNCIL Limerick").
        let words: Vec<&str> = place.split(' ').collect();
        if words.len() > 1 {
            let style = |w: &str| w.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
            let last = style(words[words.len() - 1]);
            let keep = words.iter().rev().take_while(|w| style(w) == last).count();
            place = words[words.len() - keep..].join(" ");
        }
        // The place must be a whole word run: not glued to the word before it.
        if prev_is_letter(line, place_m.start()) || !place.starts_with(|ch: char| ch.is_uppercase()) {
            continue;
        }
        if !valid_place(&place) || !kind_case_ok(&c[2], &place) {
            continue;
        }
        // Spaced-out OCR ("Cleve l a n d") continues after the match.
        let _ = m;
        let name = format!("{} {} Council", tidy_place(&place), display_case(&c[2]).replace(" And ", " and "));
        if best.as_ref().is_none_or(|b| m.start() < b.0) {
            best = Some((m.start(), name));
        }
    }
    if let Some(c) = COUNCIL_OF.captures(line) {
        let place = c[2].to_string();
        let after = &line[c.get(0).expect("match").end()..];
        if valid_place(&place) && !after.starts_with(|ch: char| ch.is_alphabetic()) && !spaced_fragment(after) {
            let kind = display_case(&c[1].to_uppercase());
            let name = format!("{} {kind} Council", tidy_place(&place));
            let at = c.get(0).expect("match").start();
            if best.as_ref().is_none_or(|b| at < b.0) {
                best = Some((at, name));
            }
        }
    }
    if best.is_none() {
        if let Some(c) = KIND_OF.captures(line) {
            let place = c[2].to_string();
            let after = &line[c.get(0).expect("match").end()..];
            if valid_place(&place) && !spaced_fragment(after) {
                best = Some((0, format!("{} {} Council", tidy_place(&place), display_case(&c[1].to_uppercase()))));
            }
        }
    }
    best.map(|b| b.1)
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

/// A council kind in lower case after a capitalised place is prose ("the Kent county council"
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

/// The council the head names, strictly: on a short title-like line near the
/// top, or as the body whose minutes, meeting or publication the head
/// announces. A council merely mentioned in prose is not the paper's council.
pub(crate) fn text_council(head: &[String]) -> Option<String> {
    // The whole head lower-cased, made only once a line names a council.
    let mut all = None;
    for (i, l) in head.iter().take(40).enumerate() {
        let Some(c) = council_in(l) else { continue };
        let announced = ANNOUNCES.is_match(l);
        if (i < 15 && l.len() <= 90) || announced {
            let all = all.get_or_insert_with(|| head.join(" ").to_lowercase());
            if let Some(c) = confirmed(&c, all) {
                return Some(c);
            }
            if announced {
                return Some(c);
            }
        }
    }
    None
}

/// The council, if its place is written more than once in the head (an OCR
/// misreading rarely repeats): the longest such tail of the place.
fn confirmed(council: &str, all: &str) -> Option<String> {
    let kind_at = KIND_WORDS.iter().filter_map(|k| council.find(k)).min()?;
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

const KIND_WORDS: &[&str] = &[
    " City and County Council",
    " County Borough Council",
    " Metropolitan Borough Council",
    " Metropolitan District Council",
    " Borough Council",
    " County Council",
    " City Council",
    " District Council",
    " Parish Council",
    " Town Council",
    " Community Council",
    " Township Council",
    " Village Council",
    " Municipal Council",
    " Regional Council",
    " Unitary Council",
];

static ANNOUNCES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:minutes|meeting|proceedings|publication|agenda|summons) of (?:an? |the )?(?:[a-z]+ )?(?:meeting of (?:the )?)?[A-Z]|(?-u:\b)(?:council|corporation) of the (?:city|town|township|village|county)|^(?:lead officers?|authors?|report authors?|from)\s*:")
        .expect("valid regex")
});

// ---------------------------------------------------------------- bodies and kinds

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

/// The body whose meeting the head records: `Minutes of Northwold Parish Council
/// meeting` -> "Northwold Parish Council", `Meeting of the Municipal District of
/// Newcastle West` -> "Municipal District of Newcastle West", `To: Cabinet – 30
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

/// What kind of paper the head says it is.
pub(crate) fn text_kind(head: &[String]) -> Option<ItemType> {
    for l in head.iter().take(15) {
        let lower = l.to_lowercase();
        let lower = lower.trim_start_matches(['*', '#', ' ']);
        if lower.starts_with("minutes")
            || lower.contains(" minutes of ")
            || lower.starts_with("extract of minutes")
            || lower.starts_with("draft minutes")
            || lower.ends_with(" minutes")
            || lower.starts_with("record of decision")
            || lower.starts_with("official proceedings")
        {
            return Some(ItemType::Minutes);
        }
        if lower.starts_with("agenda")
            || lower.contains("*** agenda")
            || lower.contains("amended agenda")
            || lower.starts_with("summons")
            || lower.starts_with("notice of meeting")
            || lower.contains("you are requested to attend")
            || lower.contains("you are hereby summoned")
            || lower.ends_with(" agenda")
        {
            return Some(ItemType::Agenda);
        }
    }
    None
}

/// A council named by a folder in the path: `…/wyevalley-community-council/…`.
pub(crate) fn path_council(path: &Path) -> Option<String> {
    for c in path.iter().rev().skip(1) {
        let c = c.to_string_lossy().replace(['-', '_'], " ");
        if let Some(name) = council_in(&display_case(&c.to_uppercase())) {
            return Some(name);
        }
    }
    None
}

/// A body named by the folder a paper sits in: `06-Monthly Meeting of the
/// Municipal District of Newcastle West` -> "Municipal District of Newcastle West".
pub(crate) fn path_body(path: &Path) -> Option<String> {
    let parent = path.parent()?.file_name()?.to_string_lossy().into_owned();
    text_body(&[parent])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<String> {
        head(&s.lines().map(String::from).collect::<Vec<_>>())
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

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
        assert_eq!(council_in("Minutes of KENT COUNTY COUNCIL"), Some("Kent County Council".to_string()));
        assert_eq!(council_in("Minutes of the Cabinet"), None);
    }

    #[test]
    fn meeting_dates_from_the_head() {
        assert_eq!(
            text_date(&h("---\ndate: 2004-04-01\n---\nMinutes\nHeld on Thursday 11th March 2004"), None),
            d(2004, 3, 11)
        );
        assert_eq!(
            text_date(&h("AMENDED February 16, 2024\nTuesday, February 20, 2024\n3. Adopt the minutes of the meeting held February 6, 2024."), None),
            d(2024, 2, 20)
        );
        assert_eq!(
            text_date(&h("1 March, 2019\nYou are requested to attend a Meeting to be held on Wednesday, 6 March, 20\nat 10.00"), None),
            d(2019, 3, 6)
        );
        assert_eq!(
            text_date(&h("The City Record\nJanuary the Third, Nineteen Hundred and Ninety-Six"), None),
            d(1996, 1, 3)
        );
        assert_eq!(
            text_date(&h("To: Cabinet – 30 January 2025\nPast Pathway of report: Committee - 21 November 2024"), None),
            d(2025, 1, 30)
        );
        assert_eq!(text_date(&h("A report\nIn April 2019 the plan was launched"), None), None);
        // A weekday before a US-order date; a later change of meeting date does not win.
        assert_eq!(
            text_date(&h("The Corporation of the Township of Somewhere\n*** AGENDA ***\nMonday, June 9, 2025\n1. Call to order.\n2. Adopt the minutes of the meeting held May 26, 2025.\n3. Resolution: Change Council meeting date from July 14, 2025 to July 21, 2025."), None),
            d(2025, 6, 9)
        );
        // A presentation to a council, dated on its cover.
        assert_eq!(
            text_date(&h("Township of\nSomewhere\nAnnual Audit Findings\nPresentation to Township Council\n—\nApril 8th, 2025"), None),
            d(2025, 4, 8)
        );
        assert_eq!(text_date(&h("The budget was agreed by the council\nApril 8th, 2025 and it"), None), None);
        // A presentation to a council, dated on its cover line.
        assert_eq!(
            text_date(&h("Roads Needs Study\nTownship of Somewhere: 2025 Roads Plan\nCouncil Presentation, May 13, 2025\nContents"), None),
            d(2025, 5, 13)
        );
        // A title with a year-less weekday date takes its year from the metadata, if the weekday agrees.
        assert_eq!(
            text_date(
                &["Minutes of a meeting of the Parish Council held at 7.30pm on Tuesday 14th December".to_string()],
                Some(2011)
            ),
            d(2010, 12, 14)
        );
    }

    #[test]
    fn councils_are_strict() {
        assert_eq!(
            council_in("MINUTES OF NORTHWOLD PARISH COUNCIL MEETING").as_deref(),
            Some("Northwold Parish Council")
        );
        assert_eq!(
            council_in("Limerick City and County Council.").as_deref(),
            Some("Limerick City and County Council")
        );
        assert_eq!(
            council_in("Official Publication of the Council of the City of Cleveland").as_deref(),
            Some("Cleveland City Council")
        );
        assert_eq!(council_in("O fficial Publication of the City of Cleve l a n d"), None);
        assert_eq!(council_in("MINUTES TOWNSHIP OF NIPISSING").as_deref(), Some("Nipissing Township Council"));
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

    #[test]
    fn metadata_dates_a_title_disowns() {
        let oct = NaiveDate::from_ymd_opt(2016, 10, 20).expect("date");
        assert!(title_disowns_date("Wereham Parish Council July", oct));
        assert!(title_disowns_date("Letter to the Editor", oct));
        assert!(title_disowns_date("A letter from Joan to the editor", oct));
        assert!(title_disowns_date("August Editorial", oct));
        assert!(!title_disowns_date("Wereham Parish Council October", oct));
        assert!(!title_disowns_date("Minutes of the Parish Council Meeting", oct));
        assert!(!title_disowns_date("Minutes September and October", oct));
        // "may" as a verb is not a month.
        assert!(!title_disowns_date("Hall may close", oct));
    }

    #[test]
    fn path_dates() {
        assert_eq!(path_date(Path::new("x/2019/03/06-Monthly Meeting/Minutes - 6th February 2019.md")), d(2019, 2, 6));
        assert_eq!(path_date(Path::new("minutes/20180108.txt")), d(2018, 1, 8));
        assert_eq!(path_date(Path::new("html/2018/agenda-aug-7-2018.html")), d(2018, 8, 7));
        assert_eq!(path_date(Path::new("a/14-03-2019.txt")), d(2019, 3, 14));
        assert_eq!(path_date(Path::new("a/2019/03/06-Meeting/Agenda.md")), d(2019, 3, 6));
        assert_eq!(path_date(Path::new("a/b.txt")), None);
        // A meeting folder named by its date outranks a version date among the file name's words.
        assert_eq!(path_date(Path::new("cabinet/2024-03-12/Annex B 04.03.24 draft.pdf")), d(2024, 3, 12));
        assert_eq!(path_date(Path::new("council/20240312/Budget update 4.3.24.pdf")), d(2024, 3, 12));
        // A file name that is only a date still wins; so does a dated name under a folder run.
        assert_eq!(path_date(Path::new("records/1999-01-01/1999-01-06.txt")), d(1999, 1, 6));
        assert_eq!(path_date(Path::new("p/2019/03/06-Meeting/Minutes - 6th February 2019.md")), d(2019, 2, 6));
    }
}
