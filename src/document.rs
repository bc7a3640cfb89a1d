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
    /// The acronyms of the pack ([`Acronyms::new`] of its definitions).
    pub acronyms: &'a Acronyms<'a>,
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

/// The acronyms an item may use (its pack's own definitions, then the
/// built-in list) with a matcher that finds all their long forms in one pass.
pub struct Acronyms<'a> {
    /// The pack's own definitions the matcher was built for.
    pack: &'a [lexicon::Acronym],
    /// Pack definitions first; built-ins whose short form the pack does not define.
    known: Vec<&'a lexicon::Acronym>,
    /// Each long form's words after the first, lower-cased.
    rest: Vec<Vec<String>>,
    /// Finds the long forms' first words, ASCII case-insensitively.
    first: aho_corasick::AhoCorasick,
    /// For each pattern of `first`, the indices into `known` that start with it.
    by_first: Vec<Vec<usize>>,
}

impl<'a> Acronyms<'a> {
    /// The matcher for a pack that defines `pack`.
    pub fn new(pack: &'a [lexicon::Acronym]) -> Self {
        let builtins = lexicon::builtin_acronyms().iter().filter(|b| !pack.iter().any(|a| a.short == b.short));
        let known: Vec<&lexicon::Acronym> = pack.iter().chain(builtins).collect();
        let mut firsts: Vec<String> = Vec::new();
        let mut by_first: Vec<Vec<usize>> = Vec::new();
        let mut rest = Vec::with_capacity(known.len());
        for (i, a) in known.iter().enumerate() {
            let lower = a.long.to_lowercase();
            let mut words = lower.split_whitespace().map(str::to_string);
            let first = words.next().unwrap_or_default();
            rest.push(words.collect());
            match firsts.iter().position(|f| *f == first) {
                Some(p) => by_first[p].push(i),
                None if first.is_empty() => by_first.push(Vec::new()),
                None => {
                    firsts.push(first);
                    by_first.push(vec![i]);
                }
            }
        }
        by_first.truncate(firsts.len());
        let first = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&firsts)
            .expect("a few short literal patterns always build");
        Acronyms { pack, known, rest, first, by_first }
    }

    /// For each of `known`, whether its long form occurs in `text` at word
    /// boundaries, whitespace-insensitively and ignoring case (as
    /// [`contains_phrase`] on the lower-cased text).
    fn long_forms_in(&self, text: &str) -> Vec<bool> {
        let mut found = vec![false; self.known.len()];
        let mut left = self.known.len();
        for m in self.first.find_overlapping_iter(text) {
            let before_ok = text[..m.start()].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            if !before_ok {
                continue;
            }
            for &i in &self.by_first[m.pattern().as_usize()] {
                if !found[i] && rest_follows(&text[m.end()..], &self.rest[i]) {
                    found[i] = true;
                    left -= 1;
                }
            }
            if left == 0 {
                break;
            }
        }
        found
    }
}

/// True when `words` follow at the start of `text`, each after whitespace,
/// ending at a word boundary (ASCII case-insensitively).
fn rest_follows(text: &str, words: &[String]) -> bool {
    let mut rest = text;
    for w in words {
        let trimmed = rest.trim_start();
        let starts = trimmed.len() < rest.len()
            && trimmed.as_bytes().get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w.as_bytes()));
        if !starts {
            return false;
        }
        rest = &trimmed[w.len()..];
    }
    rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// Acronyms: capitalised ones as written (`caps`), the long forms of the
/// acronyms the item uses and the acronyms of the long forms it uses
/// (`expansions`), and the pairs used (`acronyms`, stored for display).
fn add_acronyms(f: &Fields, doc: &mut TantivyDocument, item: &Item, body: &str, pack: &Acronyms<'_>) {
    let mut caps: BTreeSet<&str> = BTreeSet::new();
    for text in [body, item.title.as_str()] {
        for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '&')) {
            if lexicon::looks_like_acronym(w) {
                caps.insert(w);
            }
        }
    }
    // Items normally share their pack's definitions; one with its own gets its own matcher.
    let own;
    let acronyms = if item.acronyms == pack.pack {
        pack
    } else {
        own = Acronyms::new(&item.acronyms);
        &own
    };
    let long_forms = acronyms.long_forms_in(body);
    let mut used: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (a, long_form_found) in acronyms.known.iter().zip(long_forms) {
        if caps.contains(a.short.as_str()) {
            doc.add_text(f.expansions, &a.long);
            used.insert((&a.short, &a.long));
        } else if long_form_found {
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
    // The same bytes are hashed as word by word, in one call (blake3 is much
    // faster on one long input than on many short ones).
    let mut normal = String::with_capacity(body.len() + 1);
    for word in body.split_whitespace() {
        if word.is_ascii() {
            let from = normal.len();
            normal.push_str(word);
            normal[from..].make_ascii_lowercase();
        } else {
            normal.push_str(&word.to_lowercase());
        }
        normal.push(' ');
    }
    blake3::hash(normal.as_bytes()).to_hex()[..16].to_string()
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
    add_acronyms(f, &mut doc, item, &body, src.acronyms);
    for h in headings(&body) {
        doc.add_text(f.headings, h);
    }
    doc.add_text(f.content_hash, content_hash(&body));
    doc.add_text(f.body, body);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True when `phrase` occurs in `text` at word boundaries, whitespace-insensitively.
    fn contains_phrase(text: &str, phrase: &str) -> bool {
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

    #[test]
    fn phrase_matching_is_word_bounded_and_whitespace_insensitive() {
        assert!(contains_phrase("the better  care fund\u{2019}s plan", "better care fund"));
        assert!(!contains_phrase("the better careful fund", "better care fund"));
        let acronyms = Acronyms::new(&[]);
        let bcf = acronyms.known.iter().position(|a| a.short == "BCF").unwrap();
        assert!(acronyms.long_forms_in("The Better\nCare  FUND\u{2019}s plan")[bcf]);
        assert!(!acronyms.long_forms_in("the better careful fund")[bcf]);
        assert!(!acronyms.long_forms_in("thebetter care fund")[bcf]);
    }

    #[test]
    fn one_pass_finds_the_long_forms_phrase_search_finds_on_the_seeds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-sample");
        let mut found = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            let pack = lexicon::learn_acronyms(text.lines());
            let acronyms = Acronyms::new(&pack);
            let lower = text.to_lowercase();
            let want: Vec<bool> =
                acronyms.known.iter().map(|a| contains_phrase(&lower, &a.long.to_lowercase())).collect();
            assert_eq!(acronyms.long_forms_in(&text), want);
            found += want.iter().filter(|&&f| f).count();
        }
        assert!(found > 20, "{found}");
    }
}
