//! Dates as councils write them.
//!
//! [`parse_date`] finds the first date in a string. It understands the long
//! forms (`Thursday 16 January 2020`, `14th of November 2019`, `31<sup>st</sup>
//! March 2016`, `25 January, 2017`, `14 FEBRUARY 2017`, `2 Nov 2017`), the US
//! order (`January 6th 2017`), numeric forms (`8.1.18`, `24.11.2017`,
//! `23/12/19`, `16/10/2017`) and month-only forms (`Mar-18`, `Oct '17`,
//! `September 17`, `January 2020`, which give the first of the month). It
//! rejects look-alikes: forward-plan references (`FP/17/09/14`), URL paths,
//! times (`11.00`), section numbers (`3.3.1.`), financial years (`2018/19`).
//! Dates without a year (`13th January`) give nothing.
//!
//! Which of a paper's dates is its meeting's is [`meeting`]'s to weigh; dates
//! in a paper's path are [`path`]'s; dates written in words, [`words`]'.

mod meeting;
mod path;
mod words;

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

pub(crate) use meeting::{head_date, text_date, title_date, title_disowns_date};
pub(crate) use path::path_date;

// Digits and word boundaries are ASCII (`[0-9]`, `(?-u:\b)`): a date's
// numbers are parsed as ASCII anyway, and ASCII boundaries let the regex
// engine use its fast DFA on text with other characters too.
const MON: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// `[Weekday[,]] D[th|<sup>th</sup>] [of] Month[.][,] YYYY` (no `\b` after the year).
static LONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?([0-9]{{1,2}})(?:\s*(?:st|nd|rd|th|<sup>\s*(?:st|nd|rd|th)\s*</sup>))?\s+(?:of\s+)?{MON}(?-u:\b)\.?,?\s+([0-9]{{4}})"
    ))
    .expect("valid regex")
});

/// `Month D[th][,] YYYY` (US order).
static US: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?-u:\b){MON}(?-u:\b)\.?\s+([0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+([0-9]{{4}})"))
        .expect("valid regex")
});

/// `D.M.YY`, `DD/MM/YYYY` and friends.
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{1,2})([./])([0-9]{1,2})[./]([0-9]{4}|[0-9]{2})(?-u:\b)").expect("valid regex")
});

/// `Month YYYY`, `Mon-YY`, `Mon 'YY`, `Month YY`.
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?-u:\b){MON}(?-u:\b)\.?(?:,?\s+([0-9]{{4}})|-([0-9]{{2}})(?-u:\b)|\s+['’‘]([0-9]{{2}})(?-u:\b)|\s+([0-9]{{2}})(?-u:\b))"))
        .expect("valid regex")
});

/// How precise a found date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precision {
    /// Day, month and year were all written.
    Day,
    /// Only month and year were written (the date is the first of the month).
    Month,
}

/// A date found in text: where it starts and ends (byte offsets) and how precise it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub date: NaiveDate,
    pub start: usize,
    pub end: usize,
    pub precision: Precision,
}

/// Parses the first date in `s`, if any (see the module docs for the forms).
/// Month-only forms give the first of the month.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    find_date(s).map(|f| f.date)
}

/// The first full date (day, month and year) in `s`.
pub(crate) fn find_full_date(s: &str) -> Option<Found> {
    [find_long(s), find_us(s), find_numeric(s)].into_iter().flatten().min_by_key(|f| (f.start, usize::MAX - f.end))
}

/// The first date of any precision in `s`.
pub(crate) fn find_date(s: &str) -> Option<Found> {
    let full = find_full_date(s);
    let month = find_month_year(s);
    match (full, month) {
        (Some(f), Some(m)) => Some(if m.start < f.start { m } else { f }),
        (f, m) => f.or(m),
    }
}

/// True when `s` (already stripped of markup) is essentially just a full date,
/// perhaps with a weekday: `16 January 2020`, `18th January 2018`.
pub(crate) fn is_date_line(s: &str) -> bool {
    let t = s.trim().trim_end_matches(['.', ',']);
    if t.len() > 60 {
        return false;
    }
    match find_full_date(t) {
        Some(f) => f.start == 0 && t[f.end..].trim().is_empty(),
        None => false,
    }
}

/// The months' names, in lower case.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// True for a month's full name, in any case.
pub(crate) fn is_month_name(w: &str) -> bool {
    MONTHS.iter().any(|m| m.eq_ignore_ascii_case(w))
}

fn month_number(m: &str) -> Option<u32> {
    let m = m.to_ascii_lowercase();
    let n = match m.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn prev_char(s: &str, at: usize) -> Option<char> {
    s[..at].chars().next_back()
}

/// At most this many rejected candidates are retried per form (keeps it linear).
const MAX_TRIES: usize = 32;

fn find_long(s: &str) -> Option<Found> {
    let mut pos = 0;
    for _ in 0..MAX_TRIES {
        let c = LONG.captures_at(s, pos)?;
        let m = c.get(0)?;
        let next = m.start() + prev_len(s, m.start());
        // The day must not continue a longer number or word ("123 March").
        if prev_char(s, m.start()).is_some_and(|p| p.is_alphanumeric()) && !follows_year(s, m.start()) {
            pos = next;
            continue;
        }
        let end = m.end();
        if !year_ends_cleanly(s, end) {
            pos = next;
            continue;
        }
        let d: u32 = c[1].parse().ok()?;
        let mo = month_number(&c[2])?;
        let y: i32 = c[3].parse().ok()?;
        match NaiveDate::from_ymd_opt(y, mo, d) {
            Some(date) => return Some(Found { date, start: m.start(), end, precision: Precision::Day }),
            None => pos = next,
        }
    }
    None
}

/// Length in bytes of the char at `at` (to step forward safely).
fn prev_len(s: &str, at: usize) -> usize {
    s[at..].chars().next().map_or(1, char::len_utf8)
}

/// True when the text just before `at` is a 4-digit year that ends a date
/// (concatenated dates: `25 April 201711 July 2017`).
fn follows_year(s: &str, at: usize) -> bool {
    let before = &s[..at];
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits != 4 {
        return false;
    }
    let head = before[..before.len() - 4].trim_end();
    head.chars().next_back().is_some_and(|c| c.is_alphabetic())
}

/// After a 4-digit year: the next char must not be a digit, unless the digit
/// run starts another date (`…201711 July…`).
fn year_ends_cleanly(s: &str, end: usize) -> bool {
    let rest = &s[end..];
    let run = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if run == 0 {
        return true;
    }
    if run > 2 {
        return false;
    }
    let after = &rest[run..];
    let after = after
        .strip_prefix("st")
        .or_else(|| after.strip_prefix("nd"))
        .or_else(|| after.strip_prefix("rd"))
        .or_else(|| after.strip_prefix("th"))
        .unwrap_or(after);
    let after = after.trim_start();
    after.len() >= 3 && after.get(..3).and_then(month_number).is_some()
}

fn find_us(s: &str) -> Option<Found> {
    let mut pos = 0;
    for _ in 0..MAX_TRIES {
        let c = US.captures_at(s, pos)?;
        let m = c.get(0)?;
        let next = m.start() + prev_len(s, m.start());
        if !year_ends_cleanly(s, m.end()) {
            pos = next;
            continue;
        }
        let mo = month_number(&c[1])?;
        let d: u32 = c[2].parse().ok()?;
        let y: i32 = c[3].parse().ok()?;
        match NaiveDate::from_ymd_opt(y, mo, d) {
            Some(date) => return Some(Found { date, start: m.start(), end: m.end(), precision: Precision::Day }),
            None => pos = next,
        }
    }
    None
}

fn find_numeric(s: &str) -> Option<Found> {
    let mut pos = 0;
    for _ in 0..MAX_TRIES {
        let c = NUMERIC.captures_at(s, pos)?;
        let m = c.get(0)?;
        let next = m.start() + 1;
        if numeric_is_lookalike(s, m.start(), m.end()) {
            pos = next;
            continue;
        }
        let d: u32 = c[1].parse().ok()?;
        let mo: u32 = c[3].parse().ok()?;
        let ys = &c[4];
        let mut y: i32 = ys.parse().ok()?;
        if ys.len() == 2 {
            y += 2000;
        }
        match NaiveDate::from_ymd_opt(y, mo, d) {
            Some(date) => return Some(Found { date, start: m.start(), end: m.end(), precision: Precision::Day }),
            None => pos = next,
        }
    }
    None
}

/// Forward-plan refs, URL paths, section numbers and other dotted/slashed numbers.
fn numeric_is_lookalike(s: &str, start: usize, end: usize) -> bool {
    let before = &s[..start];
    if let Some(p) = before.chars().next_back() {
        if matches!(p, '/' | '.' | '-' | '\\') || p.is_alphanumeric() {
            return true;
        }
    }
    let after = &s[end..];
    let mut it = after.chars();
    if let (Some(a), Some(b)) = (it.next(), it.next()) {
        if matches!(a, '/' | '.' | '-') && b.is_ascii_digit() {
            return true;
        }
    }
    if after.starts_with('/') {
        return true;
    }
    // Inside a URL or a forward-plan reference token.
    let token_start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let token = &before[token_start..];
    let lower = token.to_ascii_lowercase();
    if lower.contains("://") || lower.contains("www.") || lower.ends_with("fp") || lower.ends_with("fp/") {
        return true;
    }
    // `<b>FP/17/09/14</b>` after tag stripping is caught above; also `FP ` + digits.
    let tail = before.trim_end();
    tail.len() != before.len() && tail.to_ascii_lowercase().ends_with("fp")
}

fn find_month_year(s: &str) -> Option<Found> {
    let mut pos = 0;
    for _ in 0..MAX_TRIES {
        let c = MONTH_YEAR.captures_at(s, pos)?;
        let m = c.get(0)?;
        let next = m.start() + prev_len(s, m.start());
        let mo = month_number(&c[1])?;
        let y: Option<i32> = if let Some(y4) = c.get(2) {
            if year_ends_cleanly(s, m.end()) {
                y4.as_str().parse().ok()
            } else {
                None
            }
        } else {
            c.get(3).or(c.get(4)).or(c.get(5)).and_then(|y2| y2.as_str().parse::<i32>().ok()).map(|y| y + 2000)
        };
        match y.and_then(|y| NaiveDate::from_ymd_opt(y, mo, 1)) {
            Some(date) => return Some(Found { date, start: m.start(), end: m.end(), precision: Precision::Month }),
            None => pos = next,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn long_forms() {
        assert_eq!(parse_date("Thursday 16 January 2020"), d(2020, 1, 16));
        assert_eq!(parse_date("# Friday 17 November 2017"), d(2017, 11, 17));
        assert_eq!(parse_date("Tuesday, 14 February 2017, 2.00 pm County Hall"), d(2017, 2, 14));
        assert_eq!(parse_date("Minutes from the meeting held on Thursday 14th November 2019"), d(2019, 11, 14));
        assert_eq!(parse_date("Issued By Scott - 8 January 2020"), d(2020, 1, 8));
        assert_eq!(parse_date("18th January 2018"), d(2018, 1, 18));
        assert_eq!(parse_date("from 1st October 2017"), d(2017, 10, 1));
        assert_eq!(parse_date("held on 26th of September 2019"), d(2019, 9, 26));
        assert_eq!(parse_date("as at 31<sup>st</sup> March 2016"), d(2016, 3, 31));
        assert_eq!(parse_date("on 18 <sup>th</sup> January 2018"), d(2018, 1, 18));
        assert_eq!(parse_date("1<sup>st</sup> Dec 2017"), d(2017, 12, 1));
        assert_eq!(parse_date("by 25 January, 2017"), d(2017, 1, 25));
        assert_eq!(parse_date("between January 6th 2017 and March 30th 2017"), d(2017, 1, 6));
        assert_eq!(parse_date("HEALTH AND WELL-BEING BOARD 14 FEBRUARY 2017"), d(2017, 2, 14));
        assert_eq!(parse_date("First published: 2 Nov 2017"), d(2017, 11, 2));
        assert_eq!(parse_date("17 Jan 2018 Cabinet"), d(2018, 1, 17));
        assert_eq!(parse_date("Not before 13th Nov 2017 Cabinet Member"), d(2017, 11, 13));
    }

    #[test]
    fn concatenated_dates() {
        assert_eq!(
            parse_date("Future Meeting DatesPublic meetings (All at 2pm)25 April 201711 July 2017"),
            d(2017, 4, 25)
        );
        let s = "x 201711 July 2017";
        assert_eq!(find_full_date(s).map(|f| f.date), d(2017, 7, 11));
        assert_eq!(parse_date("5 May 20171"), None);
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(parse_date("8.1.18"), d(2018, 1, 8));
        assert_eq!(parse_date("20.12.17"), d(2017, 12, 20));
        assert_eq!(parse_date("08.01.18"), d(2018, 1, 8));
        assert_eq!(parse_date("23.5.18 (Weds)"), d(2018, 5, 23));
        assert_eq!(parse_date("24.11.2017"), d(2017, 11, 24));
        assert_eq!(parse_date("Trudi Grant\t23/12/19"), d(2019, 12, 23));
        assert_eq!(parse_date("31/3/17"), d(2017, 3, 31));
        assert_eq!(parse_date("31/3/2017"), d(2017, 3, 31));
        assert_eq!(parse_date("Report Date:\t16/10/2017"), d(2017, 10, 16));
    }

    #[test]
    fn month_forms() {
        assert_eq!(parse_date("Mar-18"), d(2018, 3, 1));
        assert_eq!(parse_date("Oct '17"), d(2017, 10, 1));
        assert_eq!(parse_date("March '18"), d(2018, 3, 1));
        assert_eq!(parse_date("R12 months ending September 17"), d(2017, 9, 1));
        assert_eq!(parse_date("Work Programme – January 2020"), d(2020, 1, 1));
        assert_eq!(parse_date("end September 2017"), d(2017, 9, 1));
    }

    #[test]
    fn look_alikes_are_rejected() {
        for s in [
            "<b>FP/17/09/14</b> First published",
            "Fp/17/03/11",
            "FP17/09/07",
            "FP17/7/06",
            "http://example.org/2016/02/report",
            "2105/16",
            "2104-2017",
            "45.5%",
            "£1.327 billion",
            "0800 31 68 600",
            "07494 883 134",
            "v0.7",
            "at 11.00 am",
            "section 3.3.1.",
            "2018/19 and 2017 - 18 and 2019-22",
            "Q2 Period 8 P7",
            "Click or tap to enter a date.",
            "13th January",
            "",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("16 January 2020"));
        assert!(is_date_line("18th January 2018"));
        assert!(is_date_line("Thursday 16 January 2020"));
        assert!(!is_date_line("August 2018"));
        assert!(!is_date_line("Issued 8 January 2020"));
    }

    #[test]
    fn never_panics_on_odd_text() {
        for s in ["日本 12 三月 2017", "1\u{fffd}/2/2017", "31/02/2017", "99 March 2017", "\u{feff}7 May 2017"] {
            let _ = parse_date(s);
        }
        assert_eq!(parse_date("31/02/2017"), None);
    }
}
