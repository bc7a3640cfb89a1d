//! Which date is the meeting's: the date a paper's head states for its meeting
//! (not the date it was issued, nor that of the minutes it approves), dates
//! with no year whose weekday says which year, and what a metadata title says
//! about a metadata date. The date forms themselves are parsed by the parent
//! module; this one only weighs the dates found.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use regex::Regex;

use super::words::words_date;
use super::{find_date, find_full_date, month_number, Precision, MON};

// Word boundaries in the patterns of this module are ASCII (`(?-u:\b)`): each
// sits next to ASCII words or letters, where it means the same, and with
// Unicode boundaries the regex engine leaves its DFA for the backtracker on
// any text with a character that is not ASCII (a £, a curly quote).

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

/// The head as one string (dates and their context may wrap), with where
/// each line starts and whether it is a line that is a date and little else.
struct Joined {
    text: String,
    starts: Vec<usize>,
    date_lines: Vec<bool>,
}

impl Joined {
    fn new(head: &[String]) -> Joined {
        let mut text = String::new();
        let mut starts: Vec<usize> = Vec::with_capacity(head.len());
        let mut date_lines: Vec<bool> = Vec::with_capacity(head.len());
        let mut chars = 0;
        for l in head.iter().take(DATE_LINES) {
            if chars > DATE_CHARS {
                break;
            }
            chars += l.len();
            let l = OCR_ORDINAL.replace_all(l, "$1 $2");
            starts.push(text.len());
            date_lines.push(is_date_only_line(&l));
            text.push_str(&l);
            text.push(' ');
        }
        // OCR noise may also split a day from its month across lines (`7"` / `February`).
        // Same length, so line offsets stay valid.
        let fixed = OCR_ORDINAL.replace_all(&text, |c: &regex::Captures| {
            let (all, d, m) = (&c[0], &c[1], &c[2]);
            format!("{d}{}{m}", " ".repeat(all.len().saturating_sub(d.len() + m.len()).max(1)))
        });
        if fixed.len() == text.len() {
            text = fixed.into_owned();
        }
        Joined { text, starts, date_lines }
    }

    /// The line the byte offset `at` lies on.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).saturating_sub(1)
    }

    /// Dates written with their year: candidates for full dates, and every
    /// year seen (to complete the dates written without one).
    fn written(&self, cands: &mut Vec<Cand>, years: &mut Vec<i32>) {
        let joined = &self.text;
        let mut pos = 0;
        let mut last_end = 0;
        for _ in 0..64 {
            let Some(f) = find_date(&joined[pos..]) else { break };
            let (s, e) = (pos + f.start, pos + f.end);
            pos = e;
            if !(1950..=2100).contains(&f.date.year()) {
                continue;
            }
            years.push(f.date.year());
            if f.precision == Precision::Day {
                let li = self.line_of(s);
                let at_line_start = joined[self.starts[li]..s].trim().len() <= 12;
                // A date line that finishes the previous line's sentence is not a heading.
                let continues = continues_sentence(&joined[..self.starts[li]]);
                let at_line_start = at_line_start && !continues;
                let line_is_date = self.date_lines[li] && at_line_start;
                let score = score_date(&joined[last_end..s], &joined[s..e], line_is_date, s, li);
                cands.push(Cand { date: f.date, score });
            }
            last_end = e;
            if pos >= joined.len() {
                break;
            }
        }
    }

    /// Dates written in words.
    fn in_words(&self, cands: &mut Vec<Cand>) {
        for c in WORDS_DATE.captures_iter(&self.text).take(2) {
            if let Some(d) = words_date(&c[1], &c[2], &c[3]) {
                let li = self.line_of(c.get(0).expect("match").start());
                cands.push(Cand { date: d, score: 40 - li as i32 });
            }
        }
    }

    /// Year-less weekday dates: the year is completed so the weekday agrees.
    fn yearless(&self, cands: &mut Vec<Cand>, years: &[i32]) {
        let joined = &self.text;
        let mut last_end = 0;
        for c in YEARLESS.captures_iter(joined).take(8) {
            let m = c.get(0).expect("whole match");
            // Already a full date when a year follows.
            if find_full_date(&joined[m.start()..]).is_some_and(|f| f.start == 0) {
                last_end = m.end();
                continue;
            }
            let (day, mon) = match (c.get(2), c.get(3), c.get(4), c.get(5)) {
                (Some(d), Some(mo), _, _) => (d.as_str(), mo.as_str()),
                (_, _, Some(mo), Some(d)) => (d.as_str(), mo.as_str()),
                _ => continue,
            };
            let (Ok(day), Some(mon), Some(wd)) = (day.parse::<u32>(), month_number(mon), weekday_of(&c[1])) else {
                continue;
            };
            if let Some(d) = complete_year(day, mon, wd, years) {
                let li = self.line_of(m.start());
                let from = last_end.min(m.start());
                let score = score_date(&joined[from..m.start()], m.as_str(), false, m.start(), li) - 5;
                cands.push(Cand { date: d, score });
            }
            last_end = m.end();
        }
    }
}

/// The meeting date the head of a paper states, if it states one clearly.
/// `year_hint` (from metadata or the path) only helps complete a date whose
/// year is missing or unreadable, and only when the weekday agrees.
pub(crate) fn text_date(head: &[String], year_hint: Option<i32>) -> Option<NaiveDate> {
    head_date(head, year_hint).map(|d| d.date)
}

/// A meeting date a paper's head states, and how it states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeadDate {
    /// The date.
    pub date: NaiveDate,
    /// The head names it as its meeting's ("to be held on", "To: Cabinet –
    /// 30 January 2025"), not merely as a date at its top.
    pub announced: bool,
}

/// As [`text_date`], with whether the head announces the date as its meeting's.
pub(crate) fn head_date(head: &[String], year_hint: Option<i32>) -> Option<HeadDate> {
    let joined = Joined::new(head);
    let mut cands: Vec<Cand> = Vec::new();
    let mut years: Vec<i32> = year_hint.into_iter().collect();
    joined.written(&mut cands, &mut years);
    joined.in_words(&mut cands);
    joined.yearless(&mut cands, &years);
    let best = cands.iter().enumerate().max_by_key(|(k, c)| (c.score, usize::MAX - k))?.1;
    (best.score >= 15).then_some(HeadDate { date: best.date, announced: best.score >= 50 })
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
    let Some(f) = find_full_date(l) else { return false };
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

/// A date in a metadata title ("Minutes of the meeting held on 11th March 2004").
pub(crate) fn title_date(title: &str) -> Option<NaiveDate> {
    let t = OCR_ORDINAL.replace_all(title, "$1 $2");
    find_full_date(&t).map(|f| f.date)
}

/// True when a paper's metadata title shows that its metadata date (a post
/// or publication date) is not the meeting's: the title names a month and not
/// the date's (`Brackenfield Parish Council June` posted in October), or the
/// paper is a letter to the editor or an editorial, which records no meeting.
pub(crate) fn title_disowns_date(title: &str, date: NaiveDate) -> bool {
    if NOT_MEETING_TITLE.is_match(title) {
        return true;
    }
    let months: Vec<u32> = TITLE_MONTH.find_iter(title).filter_map(|m| month_number(m.as_str())).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::head::head;

    fn h(s: &str) -> Vec<String> {
        head(&s.lines().map(String::from).collect::<Vec<_>>())
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
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
            text_date(&h("The Town Journal\nJanuary the Third, Nineteen Hundred and Ninety-Six"), None),
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
    fn metadata_dates_a_title_disowns() {
        let oct = NaiveDate::from_ymd_opt(2016, 10, 20).expect("date");
        assert!(title_disowns_date("Brackenfield Parish Council July", oct));
        assert!(title_disowns_date("Letter to the Editor", oct));
        assert!(title_disowns_date("A letter from Joan to the editor", oct));
        assert!(title_disowns_date("August Editorial", oct));
        assert!(!title_disowns_date("Brackenfield Parish Council October", oct));
        assert!(!title_disowns_date("Minutes of the Parish Council Meeting", oct));
        assert!(!title_disowns_date("Minutes September and October", oct));
        // "may" as a verb is not a month.
        assert!(!title_disowns_date("Hall may close", oct));
    }
}
