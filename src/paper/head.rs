//! The head of a paper: its first lines as plain text, where a paper says what
//! it is, whose it is and when its meeting is. YAML front matter, markup,
//! link-only lines and page furniture are left out. It decides nothing itself:
//! dates, bodies and kinds of paper are read from it by their own modules.

use std::sync::LazyLock;

use regex::Regex;

use super::lines;

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
