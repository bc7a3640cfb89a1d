//! Per-line classification, computed once per line.

use std::borrow::Cow;

/// The text PDF converters print on an empty page.
pub(crate) const BLANK_MARKER: &str = "This page is intentionally left blank";

/// Lines longer than this (trimmed, in bytes) are never titles or headings.
const LONG: usize = 300;

/// One source line, classified.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    /// The line as read.
    pub raw: &'a str,
    /// Whitespace only.
    pub empty: bool,
    /// A standalone blank-page marker.
    pub blank_page: bool,
    /// Content followed by the blank-page marker on the same line.
    pub inline_blank: bool,
    /// Markdown heading level (`#` count), 0 for none.
    pub hashes: usize,
    /// The whole line is bold (`**…**`).
    pub bold: bool,
    /// The line holds a TAB (a table row).
    pub tab: bool,
    /// Longer than a heading could be.
    pub long: bool,
    /// Text with markdown, HTML tags and escapes stripped, trimmed (capped in
    /// length); borrowed from `raw` when there is nothing to strip.
    pub clean: Cow<'a, str>,
}

impl<'a> Line<'a> {
    pub fn new(raw: &'a str) -> Line<'a> {
        let t = raw.trim();
        let empty = t.is_empty();
        let (body, blank_page, inline_blank) = match strip_blank_marker(t) {
            Some(pre) if pre.trim().is_empty() => ("", true, false),
            Some(pre) => (pre.trim_end(), false, true),
            None => (t, false, false),
        };
        let hashes = body.bytes().take_while(|&b| b == b'#').count();
        let hashes = if hashes <= 6 && body[hashes..].starts_with([' ', '\t']) { hashes } else { 0 };
        let long = body.len() > LONG;
        let capped = truncate(body, LONG);
        let bold = capped.len() > 4 && capped.starts_with("**") && capped.ends_with("**");
        Line {
            raw,
            empty,
            blank_page,
            inline_blank,
            hashes,
            bold,
            tab: body.contains('\t'),
            long,
            clean: strip_markup(capped),
        }
    }

    /// A line with text that belongs to a document (not empty, not a blank-page marker).
    pub fn is_content(&self) -> bool {
        !self.empty && !self.blank_page
    }

    /// A short, title-like line: no table cells, no sentence end, not a list item.
    pub fn heading_like(&self) -> bool {
        let c = self.clean.as_ref();
        !self.long
            && !self.tab
            && !c.is_empty()
            && c.len() <= 120
            && !c.ends_with(['.', ',', ';', ':'])
            && !is_list_item(self.raw.trim_start())
            && c.chars().next().is_some_and(|ch| ch.is_alphanumeric() || "'‘\"“".contains(ch))
            && c.chars().any(|ch| ch.is_alphabetic())
    }
}

/// `s` cut to at most `max` bytes on a char boundary.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

/// If `t` (trimmed) ends with the blank-page marker, the text before it.
pub(crate) fn strip_blank_marker(t: &str) -> Option<&str> {
    let n = BLANK_MARKER.len();
    if t.len() < n || !t.is_char_boundary(t.len() - n) {
        return None;
    }
    let (pre, tail) = t.split_at(t.len() - n);
    tail.eq_ignore_ascii_case(BLANK_MARKER).then_some(pre)
}

/// A printed page's footer or header on a line of its own: `Page 12`,
/// `Page 3 of 10`, `- 4 -`, or a running footer ending in its page (`Minutes
/// – 17 May 2024 – Page 2`); trimmed input.
pub(crate) fn is_page_marker(t: &str) -> bool {
    page_marker_number(t).is_some()
}

fn page_marker_number(t: &str) -> Option<u32> {
    // Every marker ends in its number, a dash (`- 4 -`) or its total.
    if t.len() > 100 || !t.ends_with(|c: char| c.is_ascii_digit() || c == '-' || c == '–') {
        return None;
    }
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    // `Page 3`, `Page 3 of 10`, `… – Page 3`.
    let at = if t.starts_with("Page ") {
        Some(0)
    } else {
        t.rfind(" Page ").filter(|&k| t[..k].trim_end().ends_with(['–', '—', '-', '|']))
    };
    if let Some(k) = at {
        let rest = t[k..].trim_start().strip_prefix("Page ")?.trim_start();
        let rest =
            rest.split_once(" of ").map_or(rest, |(n, total)| if number(total.trim()).is_some() { n } else { "" });
        return number(rest.trim());
    }
    // `- 4 -`.
    let inner = t.strip_prefix(['-', '–'])?.strip_suffix(['-', '–'])?;
    number(inner.trim())
}

/// All printed page markers on lines of their own: (1-based line, page number).
pub(crate) fn page_markers(ls: &[Line]) -> Vec<(usize, u32)> {
    ls.iter()
        .enumerate()
        .filter(|(_, l)| l.raw.len() <= 100)
        .filter_map(|(i, l)| page_marker_number(l.raw.trim()).map(|p| (i + 1, p)))
        .collect()
}

/// The markers on lines `s..=e` (1-based) whose page lies in `a..=b`.
pub(crate) fn markers_in(markers: &[(usize, u32)], s: usize, e: usize, a: u32, b: u32) -> Vec<(usize, u32)> {
    let from = markers.partition_point(|&(l, _)| l < s);
    markers[from..].iter().take_while(|&&(l, _)| l <= e).filter(|&&(_, p)| p >= a && p <= b).copied().collect()
}

/// Removes markdown emphasis and heading markers, HTML tags and escapes.
pub(crate) fn strip_markup(s: &str) -> Cow<'_, str> {
    let s = s.trim_start_matches('#').trim();
    // One pass: is there markup to strip, are there spaces to squeeze?
    let (mut markup, mut spaces, mut after_space) = (false, false, false);
    for &b in s.as_bytes() {
        markup |= is_markup_byte(b);
        spaces |= after_space && b == b' ';
        after_space = b == b' ';
    }
    if !markup {
        // Nothing to strip (most lines): only spaces to normalise.
        return if spaces {
            Cow::Owned(s.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
        } else {
            Cow::Borrowed(s)
        };
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    loop {
        // Text up to the next markup character goes over as it is, in one copy.
        let j = b[i..].iter().position(|&x| is_markup_byte(x)).map_or(b.len(), |k| i + k);
        out.push_str(&s[i..j]);
        let Some(&c) = b.get(j) else { break };
        i = j + 1;
        match c {
            // `**`, `__`: emphasis, dropped; a lone `*` too.
            b'*' | b'_' if b.get(i) == Some(&c) => i += 1,
            b'*' => {}
            // An escaped punctuation character stands for itself; a lone backslash goes.
            b'\\' => {
                if b.get(i).is_some_and(u8::is_ascii_punctuation) {
                    out.push(char::from(b[i]));
                    i += 1;
                }
            }
            b'<' => {
                // An HTML tag: `<b>`, `</p>`, `<td data-bbox=…>`; an autolink keeps its text.
                let rest = &s[i..];
                let is_tag = rest.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '/');
                let close = rest.find('>').filter(|&k| k < 200);
                match (is_tag, close) {
                    (true, Some(k)) if !rest[..k].contains("://") => {
                        out.push(' ');
                        i += k + 1;
                    }
                    _ => out.push('<'),
                }
            }
            b'&' if s[j..].starts_with("&amp;") => {
                out.push('&');
                i += 4;
            }
            _ => out.push(char::from(c)),
        }
    }
    let t = out.trim();
    if t.len() == out.len() && !t.contains("  ") {
        return Cow::Owned(out);
    }
    Cow::Owned(t.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
}

/// The characters [`strip_markup`] acts on: `*`, `_`, `\\`, `<`, `&`.
fn is_markup_byte(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'\\' | b'<' | b'&')
}

/// A normalised comparison key: lower-case words of letters and digits.
pub(crate) fn key(s: &str) -> String {
    // Words are split at anything but letters, digits and apostrophes; the
    // apostrophes are dropped. One pass, no allocation per word.
    if s.is_ascii() {
        let mut out = Vec::with_capacity(s.len());
        for_each_ascii_key_byte(s.as_bytes(), |b| {
            out.push(b);
            true
        });
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(s.len());
    for_each_key_char(s, |c| {
        out.push(c);
        true
    });
    out
}

/// `key(s) == key`, without building `key(s)`: stops at the first difference.
pub(crate) fn key_is(s: &str, key: &str) -> bool {
    if s.is_ascii() {
        let mut want = key.bytes();
        for_each_ascii_key_byte(s.as_bytes(), |b| want.next() == Some(b)) && want.next().is_none()
    } else {
        let mut want = key.chars();
        for_each_key_char(s, |c| want.next() == Some(c)) && want.next().is_none()
    }
}

/// Calls `emit` with each byte of the key of ASCII `s` while it returns
/// true; false if it stopped.
fn for_each_ascii_key_byte(s: &[u8], mut emit: impl FnMut(u8) -> bool) -> bool {
    let (mut gap, mut started) = (false, false);
    for &c in s {
        if c.is_ascii_alphanumeric() {
            if gap && started && !emit(b' ') {
                return false;
            }
            (gap, started) = (false, true);
            if !emit(c.to_ascii_lowercase()) {
                return false;
            }
        } else if c != b'\'' {
            gap = true;
        }
    }
    true
}

/// As [`for_each_ascii_key_byte`], by characters, for any text.
fn for_each_key_char(s: &str, mut emit: impl FnMut(char) -> bool) -> bool {
    let (mut gap, mut started) = (false, false);
    for c in s.chars() {
        if c.is_alphanumeric() {
            if gap && started && !emit(' ') {
                return false;
            }
            (gap, started) = (false, true);
            if c.is_ascii() {
                if !emit(c.to_ascii_lowercase()) {
                    return false;
                }
            } else if !c.to_lowercase().all(&mut emit) {
                return false;
            }
        } else if c != '\'' && c != '\u{2019}' {
            gap = true;
        }
    }
    true
}

/// True when `t` can title an item: it has words, and is neither a link nor a lone label.
pub(crate) fn is_title(t: &str) -> bool {
    t.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !is_link_only(t) && !is_lone_label(t)
}

/// A line that is only a link: `[Original file](https://…)`, `https://…`, `<https://…>`.
pub(crate) fn is_link_only(t: &str) -> bool {
    let t = t.trim();
    (t.starts_with('[') && t.contains("](") && t.ends_with(')'))
        || ((t.starts_with("http://") || t.starts_with("https://") || t.starts_with("<http")) && !t.contains(' '))
}

/// A label with no value on its line: `From:`, `To`, `Date:`, `Subject:`.
pub(crate) fn is_lone_label(t: &str) -> bool {
    const LABELS: &[&str] =
        &["from", "to", "by", "date", "subject", "re", "cc", "title", "author", "contact", "classification"];
    let t = t.trim().trim_end_matches(':').trim();
    LABELS.iter().any(|l| t.eq_ignore_ascii_case(l))
}

/// A list item: `- x`, `• x`, `* x`, `1. x`, `5.1.** x`, `6.1 •`.
pub(crate) fn is_list_item(t: &str) -> bool {
    if t.starts_with("- ") || t.starts_with("• ") || t.starts_with("· ") || t.starts_with("* ") || t.starts_with('•')
    {
        return true;
    }
    numbered_prefix_len(t) > 0
}

/// Length of a leading section number (`1. `, `5.1.** `, `4 `) including the
/// following space, or 0 when there is none.
pub(crate) fn numbered_prefix_len(t: &str) -> usize {
    let b = t.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        if b[i].is_ascii_digit() {
            digits += 1;
        }
        i += 1;
    }
    if digits == 0 || digits > 6 {
        return 0;
    }
    while i < b.len() && b[i] == b'*' {
        i += 1;
    }
    if i == b.len() {
        return i;
    }
    if b[i] == b' ' || b[i] == b'\t' {
        i + 1
    } else {
        0
    }
}

const STOP: &[&str] = &[
    "a", "an", "and", "of", "the", "for", "to", "in", "on", "with", "by", "at", "from", "is", "are", "be", "this",
    "that", "as", "or", "its", "our", "draft", "update", "report", "appendix", "item",
];

/// Content words for fuzzy title matching: lower-case, stop words and numbers
/// dropped, a plural `s` removed.
pub(crate) fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in key(s).split(' ') {
        if w.len() < 2 || w.bytes().any(|b| b.is_ascii_digit()) || STOP.contains(&w) {
            continue;
        }
        let w = if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") { &w[..w.len() - 1] } else { w };
        let w = w.to_string();
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// |A ∩ B| / min(|A|, |B|), 0 when either is empty.
pub(crate) fn overlap(a: &[String], b: &[String]) -> f64 {
    let m = a.len().min(b.len());
    if m == 0 {
        return 0.0;
    }
    let common = a.iter().filter(|w| b.contains(w)).count();
    common as f64 / m as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`strip_markup`] character by character, as it is specified.
    fn strip_markup_by_chars(s: &str) -> String {
        let s = s.trim_start_matches('#').trim();
        if !s.bytes().any(is_markup_byte) {
            return s.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        }
        let mut out = String::with_capacity(s.len());
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '*' | '_' if matches!(chars.peek(), Some(&(_, n)) if n == c) => {
                    chars.next();
                }
                '*' => {}
                '\\' => {
                    if let Some(&(_, n)) = chars.peek() {
                        if n.is_ascii_punctuation() {
                            out.push(n);
                            chars.next();
                        }
                    }
                }
                '<' => {
                    // An HTML tag: `<b>`, `</p>`, `<td data-bbox=…>`; an autolink keeps its text.
                    let rest = &s[i + 1..];
                    let is_tag = rest.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '/');
                    let close = rest.find('>').filter(|&k| k < 200);
                    match (is_tag, close) {
                        (true, Some(k)) if !rest[..k].contains("://") => {
                            out.push(' ');
                            for _ in 0..rest[..=k].chars().count() {
                                chars.next();
                            }
                        }
                        _ => out.push(c),
                    }
                }
                '&' if s[i..].starts_with("&amp;") => {
                    out.push('&');
                    for _ in 0..4 {
                        chars.next();
                    }
                }
                _ => out.push(c),
            }
        }
        out.trim().split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn markup_is_stripped_as_character_by_character_on_the_seeds() {
        let tricky = [
            "***a** _b_ __c__ ___d",
            "\\* \\ \\\\ \\a \\",
            "<b>x</b> <https://x.org> < a> <a <1> </",
            "&amp;&amp &ampx &",
            "caf\u{e9} <i>\u{2019}</i> **\u{a3}5**",
        ];
        let seeds = crate::testing::sample_texts();
        let mut marked = 0;
        for line in tricky.into_iter().chain(seeds.iter().flat_map(|t| t.lines())) {
            assert_eq!(strip_markup(line), strip_markup_by_chars(line), "{line:?}");
            marked += usize::from(line.bytes().any(is_markup_byte));
        }
        assert!(marked > 100, "{marked}");
    }

    proptest::proptest! {
        #[test]
        fn markup_is_stripped_as_character_by_character(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "*", "_", "\\", "<", ">", "&", "&amp;", "a", "B c", " ", "  ", "/", "p", "://", "\u{e9}", "#",
                ]),
                0..24,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(strip_markup(&text), strip_markup_by_chars(&text));
        }
    }

    #[test]
    fn markup_is_stripped() {
        assert_eq!(strip_markup("## **Children Social Care – Annual**"), "Children Social Care – Annual");
        assert_eq!(strip_markup("<p>Summary:</p>\t<p>x</p>"), "Summary: \t x");
        assert_eq!(strip_markup("**\\*\\* Public \\*\\***"), "** Public **");
        assert_eq!(strip_markup("<https://x.org/a>"), "<https://x.org/a>");
        assert_eq!(strip_markup("A &amp; B"), "A & B");
    }

    #[test]
    fn keys_are_lower_case_words_without_apostrophes() {
        assert_eq!(key("Children\u{2019}s  Social-Care (2024) O'Neill"), "childrens social care 2024 oneill");
        assert_eq!(key(" -- 'x' -- "), "x");
        assert_eq!(key("Children's  Social-Care (2024) O'Neill"), "childrens social care 2024 oneill");
        assert_eq!(key("Café ÉCOLE"), "café école");
        for s in
            ["Children\u{2019}s  Social-Care (2024) O'Neill", " -- 'x' -- ", "Café ÉCOLE", "", "--", "A b", "\u{130}x"]
        {
            let k = key(s);
            assert!(key_is(s, &k), "{s:?}");
            for other in ["", "x", "childrens", "café école!", &format!("{k} "), &k[..k.len().saturating_sub(1)]] {
                if other != k {
                    assert!(!key_is(s, other), "{s:?} {other:?}");
                }
            }
        }
    }

    #[test]
    fn blank_markers() {
        let l = Line::new("This page is intentionally left blank");
        assert!(l.blank_page && !l.is_content());
        let l = Line::new("Questionnaire This page is intentionally left blank");
        assert!(l.inline_blank && l.is_content());
        assert_eq!(l.clean, "Questionnaire");
        assert!(Line::new("日本語").clean == "日本語");
    }

    #[test]
    fn page_footers_and_headers() {
        for (t, want) in [
            ("Page 12", Some(12)),
            ("Page 3 of 10", Some(3)),
            ("- 4 -", Some(4)),
            ("Minutes – 17 May 2024 – Page 2", Some(2)),
            ("recorded in Volume 4, Page 12", None),
            ("Page twelve", None),
            ("See Page 3 of the report for details", None),
        ] {
            assert_eq!(page_marker_number(t), want, "{t:?}");
        }
    }

    #[test]
    fn links_and_labels_are_no_titles() {
        assert!(is_link_only("[Original file](https://example.org/a.pdf)"));
        assert!(is_link_only("https://example.org/a.pdf"));
        assert!(!is_link_only("See https://example.org for more"));
        assert!(is_lone_label("From:") && is_lone_label(" To ") && is_lone_label("Subject:"));
        assert!(!is_lone_label("From: the Clerk"));
    }

    #[test]
    fn numbering() {
        assert!(is_list_item("5.1.** Health"));
        assert!(is_list_item("6.1 •"));
        assert!(is_list_item("4 Background papers."));
        assert!(!is_list_item("2016/17 report"));
        assert_eq!(words("Children's and Young People's Plans 2016"), vec!["children", "young", "people", "plan"]);
    }
}
