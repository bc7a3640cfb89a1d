//! Dates written in words: `January the Third, Nineteen Hundred and
//! Ninety-Six`, as some journals print the date of their issue.

use chrono::NaiveDate;

use super::month_number;

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

pub(super) fn words_date(mon: &str, ord: &str, year: &str) -> Option<NaiveDate> {
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
    NaiveDate::from_ymd_opt(year, month_number(mon)?, day)
}
