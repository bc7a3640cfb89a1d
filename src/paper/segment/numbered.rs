//! Numbered headings: how agendas number their items and minutes their
//! minutes, in any council's style: `1.`, `2)`, `(3)`, `5a`, `7.1`, `Item 5`,
//! `Minute 12`, `2614.`, `23/45`, `R2024-086`, a number alone on its line with
//! its title on the next. Of the numbered lines of a span, the headings are
//! the longest run of one numbering style that counts up (a step of one, or
//! two where a number was skipped); lists inside an item, page numbers and
//! figures in the text count up in other styles, or not at all. This module
//! finds the headings; agenda entries and minutes are made of them elsewhere.

use crate::paper::lines::{self, Line};

/// A numbered heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    /// Its line (0-based).
    pub line: usize,
    /// The number as printed, tidied: "5", "5a", "7.1", "2614", "R2024-086", "21/19".
    pub number: String,
    /// The words after the number on its line (markup and page references
    /// left in; the caller tidies them).
    pub rest: String,
    /// The numbering style and its fixed parts: headings of one run share it.
    style: String,
    /// The part that counts up.
    value: u32,
    /// A sub-number (`5a`, `7.1`): inside the run, never a step of it.
    sub: bool,
    /// It has a title: on its line, or on the next (which is no heading).
    titled: bool,
}

impl Heading {
    /// True for a resolution's number (`R2024-086`), whose words follow on the next lines.
    pub(crate) fn is_resolution(&self) -> bool {
        self.number.starts_with(|c: char| c.is_ascii_alphabetic())
    }
}

/// Most numbered lines looked at in one span (keeps the run search bounded).
const MAX_CANDIDATES: usize = 4000;

/// The numbered headings of `ls[from..to]`: the longest run of one style
/// that counts up, with the sub-numbers that fall inside it when `subs`.
/// At least `least` headings, or none.
pub(crate) fn headings(ls: &[Line], from: usize, to: usize, least: usize, subs: bool) -> Vec<Heading> {
    let to = to.min(ls.len());
    let mut found: Vec<Heading> = Vec::new();
    for (i, l) in ls.iter().enumerate().take(to).skip(from) {
        if !l.is_content() || l.long || found.len() >= MAX_CANDIDATES {
            continue;
        }
        found.extend(parse(l.clean.trim()).into_iter().map(|mut h| {
            h.line = i;
            h
        }));
    }
    mark_titled(ls, &mut found, to);
    let run = longest_run(&found);
    if run.len() < least.max(1) {
        return Vec::new();
    }
    let (first, last) = (found[run[0]].line, found[run[run.len() - 1]].line);
    let mut out: Vec<Heading> = run.iter().map(|&k| found[k].clone()).collect();
    if out.len() >= 2 && out[1].value == 2 && out[0].value != 1 {
        // The run's misread first number (see `longest_run`) is its 1.
        out[0].value = 1;
        out[0].number = "1".to_string();
    }
    if subs {
        let parents: Vec<u32> = out.iter().map(|h| h.value).collect();
        out.extend(
            found
                .iter()
                .filter(|h| h.sub && h.line > first && h.line <= last + 400 && parents.contains(&h.value))
                .cloned(),
        );
        out.sort_by_key(|h| h.line);
        out.dedup_by_key(|h| h.line);
    }
    out
}

/// Marks the candidates that have a title: words after the number, or on
/// the next content line, which is not itself a candidate.
fn mark_titled(ls: &[Line], found: &mut [Heading], to: usize) {
    let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    for k in 0..found.len() {
        let line = found[k].line;
        let next_candidate = found[k + 1..].iter().map(|h| h.line).find(|&l| l > line).unwrap_or(to);
        let next = (line + 1..to.min(line + 5)).find(|&i| ls[i].is_content());
        found[k].titled = letters(&found[k].rest) || next.is_some_and(|i| i < next_candidate && letters(&ls[i].clean));
    }
}

/// The best run of candidates of one style whose values count up by one or
/// two, in file order, as indices into `found` (sub-numbers excluded): the
/// run with the most headings that have a title (a number without one, in a
/// column of numbers whose titles a converter moved away, counts for none).
fn longest_run(found: &[Heading]) -> Vec<usize> {
    let n = found.len();
    // best[k]: (titled headings, headings) of the best run ending at k; prev[k]: its previous member.
    let mut best = vec![(0usize, 0usize); n];
    let mut prev = vec![usize::MAX; n];
    let mut end = None::<usize>;
    for k in 0..n {
        if found[k].sub {
            continue;
        }
        let weight = usize::from(found[k].titled);
        best[k] = (weight, 1);
        // Look back a bounded way: a run's next member is near.
        for j in (k.saturating_sub(200)..k).rev() {
            let (a, b) = (&found[j], &found[k]);
            if a.sub || a.style != b.style || a.line == b.line {
                continue;
            }
            let step = b.value.wrapping_sub(a.value);
            let through = (best[j].0 + weight, best[j].1 + 1);
            if (1..=2).contains(&step) && through > best[k] {
                best[k] = through;
                prev[k] = j;
            }
        }
        // `4. Minutes` before `2. Planning`: a scanner's misread 1 heads the run.
        if found[k].value == 2 && best[k].1 == 1 {
            let before = (0..k).rev().find(|&j| !found[j].sub && found[j].line != found[k].line);
            if let Some(j) = before.filter(|&j| found[j].style == found[k].style && found[j].titled) {
                best[k] = (1 + weight, 2);
                prev[k] = j;
            }
        }
        if end.is_none_or(|e| best[k] > best[e]) {
            end = Some(k);
        }
    }
    let mut run = Vec::new();
    let mut k = end.unwrap_or(usize::MAX);
    while k != usize::MAX {
        run.push(k);
        k = prev[k];
    }
    run.reverse();
    run
}

/// The numbered heading a line starts with, if any (the readings of a number
/// that could count up either way, `23/45`, give two candidates).
fn parse(t: &str) -> Vec<Heading> {
    let t = t.trim_start_matches(['*', '#', ' ', '\t']);
    let mut out = Vec::new();
    let heading = |number: String, rest: &str, style: String, value: u32, sub: bool| Heading {
        line: 0,
        number,
        rest: rest.trim().to_string(),
        style,
        value,
        sub,
        titled: false,
    };
    // `Item 5`, `Minute 12`, `Agenda Item 3:`.
    let lower = t.get(..12).unwrap_or(t).to_ascii_lowercase();
    for word in ["agenda item", "item", "minute"] {
        if let Some(after) = lower.strip_prefix(word).filter(|a| a.starts_with(' ')) {
            let skip = t.len() - t[word.len()..].trim_start().len();
            let _ = after;
            if let Some((num, rest)) = simple_number(&t[skip..]) {
                if title_or_nothing(rest) {
                    out.push(heading(num.text, rest, format!("{word}{}", num.style), num.value, num.sub));
                }
            }
            return out;
        }
    }
    // `R2024-086 Moved by…`: a resolution number.
    if let Some(r) = resolution(t) {
        out.push(r);
        return out;
    }
    // `23/45`, `14/11/3`: a minute reference.
    if let Some(refs) = reference(t) {
        return refs;
    }
    // `(3)`, `3)`, `3.`, `3`, `5a`, `7.1`.
    if let Some((num, rest)) = simple_number(t) {
        // A number alone needs its stop (`3.`): a bare one is a page number.
        let alone = rest.trim().is_empty();
        let bare = t.trim_end().bytes().all(|b| b.is_ascii_digit() || b == b'*');
        if (alone && bare) || !title_or_nothing(rest) || not_a_heading(rest) {
            return out;
        }
        out.push(heading(num.text, rest, num.style, num.value, num.sub));
    }
    out
}

/// A number at the start of `t`: its text, the style of its stops, its value.
struct Number {
    text: String,
    style: String,
    value: u32,
    sub: bool,
}

/// `3.`, `(3)`, `3)`, `3:`, `3`, `5a`, `5(a)`, `7.1`: a number and what follows it.
fn simple_number(t: &str) -> Option<(Number, &str)> {
    let (open, t) = match t.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let value: u32 = t[..digits].parse().ok()?;
    let mut rest = &t[digits..];
    let mut text = t[..digits].to_string();
    let mut sub = false;
    // `7.1`, `5a`, `5(a)`.
    let b = rest.as_bytes();
    if b.len() >= 2 && b[0] == b'.' && b[1].is_ascii_digit() {
        let n = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
        text.push_str(&rest[..=n]);
        rest = &rest[1 + n..];
        sub = true;
    } else if b.first().is_some_and(|c| c.is_ascii_lowercase()) && !b.get(1).is_some_and(u8::is_ascii_alphabetic) {
        text.push(char::from(b[0]));
        rest = &rest[1..];
        sub = true;
    } else if b.len() >= 3 && b[0] == b'(' && b[1].is_ascii_lowercase() && b[2] == b')' {
        text.push(char::from(b[1]));
        rest = &rest[3..];
        sub = true;
    }
    // A scanner's comma for a full stop: `1, Minutes` (a short number, a space, a capital).
    let comma_stop = digits <= 2 && !sub && rest.strip_prefix(", ").is_some_and(|r| r.starts_with(char::is_uppercase));
    if comma_stop {
        rest = &rest[1..];
    }
    // A figure, not a number: `3.5%`, `1,000`, `2019`, `10am`.
    if rest.starts_with(['%', ',', '/', '-', '–']) && !rest.starts_with("- ") && !rest.starts_with("– ") {
        return None;
    }
    let (style, rest) = match (open, rest.chars().next()) {
        (true, Some(')')) => ("()", &rest[1..]),
        (false, Some(c @ ('.' | ')' | ':'))) => {
            let s = match c {
                '.' => ".",
                ')' => ")",
                _ => ":",
            };
            (s, &rest[1..])
        }
        (true, _) => return None,
        (false, _) => ("", rest),
    };
    // After the stop: a space, a tab, markup, the end, or (written glued) a capital.
    let next = rest.chars().next();
    let glued_ok = style.is_empty() && next.is_some_and(|c| c.is_uppercase() || c == '*' || c == '\t' || c == ' ');
    let stop_ok =
        next.is_none() || next.is_some_and(|c| c.is_whitespace() || c == '*' || c == '\\' || c.is_uppercase());
    if !(stop_ok || glued_ok) {
        return None;
    }
    if style.is_empty() && next.is_some_and(|c| c.is_uppercase()) && text.len() < 4 {
        // `5Apologies`: only minute numbers are written glued to their title.
        return None;
    }
    let rest = rest.trim_start_matches(['*', '\\', ' ', '\t']);
    // A full stop, a colon or none are one style ("2300.Police", "2301Apologies");
    // brackets another.
    let style = if matches!(style, ")" | "()") { "()" } else { "" };
    Some((Number { text, style: style.to_string(), value, sub }, rest))
}

/// `R2024-086` (a resolution number: a letter, a year, a number).
fn resolution(t: &str) -> Option<Heading> {
    let b = t.as_bytes();
    if b.len() < 8 || !b[0].is_ascii_uppercase() || !b[1..5].iter().all(u8::is_ascii_digit) || b[5] != b'-' {
        return None;
    }
    let digits = t[6..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 || t[6 + digits..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let value = t[6..6 + digits].parse().ok()?;
    let number = t[..6 + digits].to_string();
    let rest = t[6 + digits..].trim_start_matches([':', '.', ' ']).to_string();
    Some(Heading { line: 0, number, rest, style: t[..6].to_string(), value, sub: false, titled: false })
}

/// `23/45` or `14/11/3`: minute references. Either part of `a/b` may be the
/// count; both readings are offered, and the run decides.
fn reference(t: &str) -> Option<Vec<Heading>> {
    let token: &str = t.split(|c: char| c.is_whitespace()).next()?;
    let token = token.trim_end_matches(['.', ':', ')']);
    let parts: Vec<&str> = token.split('/').collect();
    if !(2..=3).contains(&parts.len())
        || parts.iter().any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let rest = t[t.find(token)? + token.len()..].trim_start_matches(['.', ':', ')', ' ', '\t', '*']);
    if !title_or_nothing(rest) || not_a_heading(rest) {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    let last = parts.len() - 1;
    for (k, p) in parts.iter().enumerate() {
        if parts.len() == 3 && k != last {
            continue;
        }
        let style: String =
            parts.iter().enumerate().map(|(j, q)| if j == k { "#" } else { q }).collect::<Vec<_>>().join("/");
        out.push(Heading {
            line: 0,
            number: token.to_string(),
            rest: rest.to_string(),
            style,
            value: p.parse().ok()?,
            sub: false,
            titled: false,
        });
    }
    Some(out)
}

/// The words after a number are a title (a capital, a quote, markup) or nothing.
fn title_or_nothing(rest: &str) -> bool {
    let r = rest.trim_start_matches(['*', '_', ' ', '\t', '\\', '-', '–', '—']);
    // `|` is how a scanner reads a capital I ("| will ask at the next meeting").
    r.is_empty() || r.starts_with(|c: char| c.is_uppercase() || "'‘\"“[|".contains(c))
}

/// Words after a number that make it a date, a time or a quantity: `1 May
/// 2019`, `10 AM`, `3 Members`.
fn not_a_heading(rest: &str) -> bool {
    let first = rest.trim_start_matches(['*', ' ']).split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let lower = first.to_lowercase();
    const NOT: &[&str] = &[
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "am",
        "pm",
        "members",
        "councillors",
    ];
    crate::paper::dates::is_month_name(&lower) || NOT.contains(&lower.as_str()) || lines::is_page_marker(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, least: usize, subs: bool) -> Vec<(String, String)> {
        let ls: Vec<Line> = text.lines().map(Line::new).collect();
        headings(&ls, 0, ls.len(), least, subs).into_iter().map(|h| (h.number, h.rest)).collect()
    }

    fn numbers(text: &str) -> Vec<String> {
        run(text, 2, false).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn numbering_styles_councils_use() {
        assert_eq!(numbers("1. Apologies\n2. Minutes\nText\n3. Planning"), ["1", "2", "3"]);
        assert_eq!(numbers("(1) Yellow Lines\n(2) Signage\n(3) Traffic"), ["1", "2", "3"]);
        assert_eq!(numbers("1)Apologies\n2)Minutes"), ["1", "2"]);
        assert_eq!(numbers("**Item 1**:\ntext\n**Item 2:**\n**Item 3:**"), ["1", "2", "3"]);
        assert_eq!(numbers("Minute 12 Apologies\nMinute 13 Planning"), ["12", "13"]);
        assert_eq!(numbers("2399.   Police Report\n2400.   Public Forum\n2401.\tApologies"), ["2399", "2400", "2401"]);
        assert_eq!(numbers("2300.Police Report: Attached.\n2301Apologies for absence: none."), ["2300", "2301"]);
        assert_eq!(
            numbers("R2024-086 S. Foote, D. Yemm:\nThat x. Carried.\nR2024-087 S. Kirk, S. Foot:"),
            ["R2024-086", "R2024-087"]
        );
        assert_eq!(numbers("21/19 Apologies\n22/19 Minutes\n23/19 Planning"), ["21/19", "22/19", "23/19"]);
        assert_eq!(numbers("14/11/1 Apologies\n14/11/2 Minutes\n14/11/3 Reports"), ["14/11/1", "14/11/2", "14/11/3"]);
        // A dash between the number and its title.
        assert_eq!(numbers("1. — Minutes\n2. – Roads\n3. - Any Other Business"), ["1", "2", "3"]);
        // A number alone on its line, its title on the next (a converted two-column table).
        assert_eq!(numbers("1.\n\nApologies\n\n2.\n\nDeclarations of Interest"), ["1", "2"]);
    }

    #[test]
    fn the_run_counts_up_and_skips_what_does_not() {
        // Page numbers alone, a list inside an item, a misprinted number.
        let text = "1. Minutes\n2\n2. Reports\n1. First point\n2. Second point\n4. Planning\n3\n5. Any other business\n3505. Misprint\n6. Close";
        let got = numbers(text);
        assert_eq!(got, ["1", "2", "4", "5", "6"], "{got:?}");
        assert!(numbers("Only 1. one\n").is_empty());
    }

    #[test]
    fn a_run_of_titled_headings_outweighs_stray_numbers() {
        let text = "AGENDA\n1. Minutes:\nTo adopt the minutes.\n2. Discuss the roads\nPage two\n10.\n11.\n12.\n13.\nNotice of Motion";
        assert_eq!(numbers(text), ["1", "2"]);
    }

    #[test]
    fn figures_dates_and_times_are_not_headings() {
        for t in [
            "1 May 2019 was the date",
            "10 am start",
            "3.5% rise",
            "1,000 homes",
            "2019 budget",
            "12 Members present",
            "6 of which are new",
            "2",
        ] {
            assert!(parse(t).is_empty(), "{t:?}");
        }
    }

    #[test]
    fn a_scanner_s_misread_first_number_heads_a_run_that_starts_at_two() {
        assert_eq!(numbers("AGENDA\n4. Minutes\nTo adopt them.\n2. Harbour Bay Lights\nTo note."), ["1", "2"]);
        assert_eq!(numbers("1, Minutes\n2. Roads\n3, Any Other Business"), ["1", "2", "3"]);
        // A comma after a figure is no stop.
        assert!(parse("1, 2 and 3 were noted").is_empty());
    }

    #[test]
    fn sub_numbers_fall_inside_their_run() {
        let text = "5. Reports\n5.1 Chairman's Report\n5.2 Clerk's Report\n6. Accounts\n6a Payments";
        let got: Vec<String> = run(text, 2, true).into_iter().map(|(n, _)| n).collect();
        assert_eq!(got, ["5", "5.1", "5.2", "6", "6a"]);
    }
}
