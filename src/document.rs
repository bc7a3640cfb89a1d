//! From an item to a tantivy document: every field of the schema filled from
//! the item, its text and its file. Kept apart from the indexer's walking and
//! committing so the field mapping is in one place.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use tantivy::schema::TantivyDocument;
use tantivy::DateTime;

use crate::extract::{Format, Text};
use crate::indexer::{encode_deltas, encode_varints};
use crate::paper::{self, Item};
use crate::schema::Fields;
use crate::{analysis, lexicon};

/// The file an item comes from.
pub struct Source<'a> {
    /// The file's key (absolute path).
    pub key: &'a str,
    /// The file's content hash.
    pub hash: &'a str,
    /// The file's format.
    pub format: Format,
    /// The file's text.
    pub text: &'a Text,
    /// The ids of all the pack's items, in order (for parent links).
    pub ids: &'a [String],
}

/// A stable item id: the same file, type and first line give the same id.
pub fn item_id(path: &str, item: &Item) -> String {
    let mut h = blake3::Hasher::new();
    h.update(path.as_bytes());
    h.update(b"\0");
    h.update(item.item_type.as_str().as_bytes());
    h.update(b"\0");
    h.update(item.agenda_item.as_deref().unwrap_or("").as_bytes());
    h.update(b"\0");
    h.update(item.line_start.to_string().as_bytes());
    h.finalize().to_hex()[..16].to_string()
}

/// Acronyms: capitalised ones as written (`caps`), the long forms of the
/// acronyms the item uses and the acronyms of the long forms it uses
/// (`expansions`), and the pairs used (`acronyms`, stored for display).
fn add_acronyms(f: &Fields, doc: &mut TantivyDocument, item: &Item, body: &str) {
    let mut caps: BTreeSet<&str> = BTreeSet::new();
    for w in body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '&')) {
        if lexicon::looks_like_acronym(w) {
            caps.insert(w);
        }
    }
    for w in item.title.split(|c: char| !(c.is_ascii_alphanumeric() || c == '&')) {
        if lexicon::looks_like_acronym(w) {
            caps.insert(w);
        }
    }
    let lower = body.to_lowercase();
    // Words present, so a long form is only searched for when all its words occur.
    let words: std::collections::HashSet<&str> =
        lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let may_contain =
        |long: &str| long.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).all(|w| words.contains(w));
    let mut used: BTreeSet<(&str, &str)> = BTreeSet::new();
    // The pack's own definitions win over the built-in list.
    let known = item
        .acronyms
        .iter()
        .chain(lexicon::builtin_acronyms().iter().filter(|b| !item.acronyms.iter().any(|a| a.short == b.short)));
    for a in known {
        if caps.contains(a.short.as_str()) {
            doc.add_text(f.expansions, &a.long);
            used.insert((&a.short, &a.long));
        } else if may_contain(&a.long.to_lowercase()) && contains_phrase(&lower, &a.long.to_lowercase()) {
            doc.add_text(f.expansions, &a.short);
            used.insert((&a.short, &a.long));
        }
    }
    for w in caps {
        doc.add_text(f.caps, w);
    }
    for (short, long) in used {
        doc.add_text(f.acronyms, format!("{short}={long}"));
    }
}

/// True when `phrase` occurs in `text` at word boundaries, whitespace-insensitively.
///
/// ```
/// # use council_search::document::contains_phrase;
/// assert!(contains_phrase("the better  care fund’s plan", "better care fund"));
/// assert!(!contains_phrase("the better careful fund", "better care fund"));
/// ```
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let Some(first) = words.first() else { return false };
    let mut from = 0;
    while let Some(i) = text[from..].find(first) {
        let at = from + i;
        let before_ok = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let mut rest = &text[at + first.len()..];
        let mut ok = before_ok;
        for w in &words[1..] {
            if !ok {
                break;
            }
            let trimmed = rest.trim_start();
            ok = trimmed.len() < rest.len() && trimmed.starts_with(w);
            if ok {
                rest = &trimmed[w.len()..];
            }
        }
        if ok && rest.chars().next().is_none_or(|c| !c.is_alphanumeric()) {
            return true;
        }
        from = at + first.len();
    }
    false
}

/// Section headings inside an item: Markdown headings, numbered section titles
/// ("3. Background") and short bold lines. Never long lines or sentences.
pub fn headings(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in body.lines() {
        let t = line.trim();
        if t.len() < 3 || t.len() > 100 || t.ends_with('.') || t.contains('\t') {
            continue;
        }
        let md = t.starts_with('#');
        let bold = t.starts_with("**") && t.ends_with("**");
        let numbered = {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            rest.len() < t.len()
                && rest.starts_with(' ')
                && t.chars().next().is_some_and(|c| c.is_ascii_digit())
                && rest.trim_start().chars().next().is_some_and(char::is_uppercase)
                && rest.split_whitespace().count() <= 10
        };
        if md || bold || numbered {
            out.push(t.trim_start_matches('#').trim_matches('*').trim());
        }
    }
    out
}

/// A hash of an item's text with whitespace and case normalised: equal for the
/// same paper published twice, whatever its line breaks.
pub fn content_hash(body: &str) -> String {
    let mut h = blake3::Hasher::new();
    let mut lower = String::new();
    for word in body.split_whitespace() {
        if word.is_ascii() {
            // Same bytes as `to_lowercase`, without an allocation per word.
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            h.update(lower.as_bytes());
        } else {
            h.update(word.to_lowercase().as_bytes());
        }
        h.update(b" ");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Midnight UTC of a date, as tantivy stores it.
pub fn date_value(d: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(d.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp()))
}

/// Builds the document for one item.
pub fn build(f: &Fields, src: &Source<'_>, item: &Item) -> TantivyDocument {
    let (key, hash, format, text) = (src.key, src.hash, src.format, src.text);
    let body = paper::item_body(&text.lines, item);
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, item_id(key, item));
    doc.add_text(f.path, key);
    doc.add_text(f.file_hash, hash);
    doc.add_text(f.format, format.name());
    if let Some(c) = &item.council {
        doc.add_text(f.council, c);
        doc.add_text(f.council_key, paper::normalise_council(c));
    }
    if let Some(c) = &item.committee {
        doc.add_text(f.committee, c);
        doc.add_text(f.committee_key, paper::normalise_committee(c));
    }
    doc.add_text(f.item_type, item.item_type.as_str());
    if let Some(a) = &item.agenda_item {
        doc.add_text(f.agenda_item, a);
    }
    doc.add_text(f.title, &item.title);
    if let Some(t) = &item.agenda_title {
        doc.add_text(f.agenda_title, t);
    }
    if let Some(d) = item.meeting_date {
        doc.add_date(f.meeting_date, date_value(d));
        doc.add_u64(f.year, d.year().max(0) as u64);
        doc.add_u64(f.year_month, (d.year().max(0) as u64) * 100 + u64::from(d.month()));
    }
    if let Some(p) = item.page_start {
        doc.add_u64(f.page_start, u64::from(p));
    }
    if let Some(p) = item.page_end {
        doc.add_u64(f.page_end, u64::from(p));
    }
    if let Some(p) = &item.listed_pages {
        doc.add_text(f.listed_pages, p);
    }
    if let Some(p) = &item.presenter {
        doc.add_text(f.presenter, p);
    }
    doc.add_u64(f.line_start, item.line_start as u64);
    doc.add_u64(f.line_end, item.line_end as u64);
    doc.add_bytes(f.line_positions, &encode_deltas(&analysis::line_start_positions(&body)));
    let markers: Vec<u32> = item.page_markers.iter().flat_map(|&(l, p)| [l as u32, p]).collect();
    doc.add_bytes(f.page_markers, &encode_varints(&markers));
    doc.add_u64(f.boilerplate, u64::from(item.boilerplate));
    if let Some(u) = &item.source_url {
        doc.add_text(f.source_url, u);
    }
    if !text.pdf_page_starts.is_empty() {
        let page_at = |line: usize| text.pdf_page_starts.partition_point(|&s| s <= line).max(1) as u32;
        let (first, last) = (page_at(item.line_start), page_at(item.line_end));
        doc.add_u64(f.pdf_page_start, u64::from(first));
        doc.add_u64(f.pdf_page_end, u64::from(last));
        let starts: Vec<u32> = (first..=last)
            .map(|p| (text.pdf_page_starts[p as usize - 1].max(item.line_start) as u32, p))
            .flat_map(|(l, p)| [l, p])
            .collect();
        doc.add_bytes(f.pdf_pages, &encode_varints(&starts));
    }
    if let Some(parent) = item.parent.and_then(|i| src.ids.get(i)) {
        doc.add_text(f.parent_id, parent);
    }
    if let Some(a) = &item.attendance {
        for (field, names) in [(f.present, &a.present), (f.apologies, &a.apologies), (f.attending, &a.attending)] {
            for n in names {
                doc.add_text(field, n);
            }
        }
    }
    add_acronyms(f, &mut doc, item, &body);
    for h in headings(&body) {
        doc.add_text(f.headings, h);
    }
    doc.add_text(f.content_hash, content_hash(&body));
    doc.add_text(f.body, body);
    doc
}
