//! From an item to a tantivy document: every field of the schema filled from
//! the item, its text and its file. Kept apart from the indexer's walking and
//! committing so the field mapping is in one place.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use tantivy::schema::document::{
    CompactDocArrayIter, CompactDocObjectIter, CompactDocValue, ReferenceValue, ReferenceValueLeaf,
};
use tantivy::schema::{Document, Field, TantivyDocument, Value};
use tantivy::DateTime;

use crate::extract::{Format, Text};
use crate::indexer::{encode_deltas, encode_varints, Ticket};
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

/// Finds long forms in a text in one pass.
struct LongForms {
    /// Each long form's first word and its words after it, lower-cased.
    words: Vec<(String, Vec<String>)>,
    /// Long forms by the first byte of their first word (an ASCII letter,
    /// lower-cased, or digit), each with the length of the word's leading
    /// run of ASCII letters and digits and that run's [`prefix_key`].
    by_start: Vec<Vec<(usize, u64, usize)>>,
    /// A bit for each [`first_word_bit`] of the first words in `by_start`: a
    /// word whose bit is clear starts no long form (most words).
    first_words: Box<[u64]>,
    /// Long forms whose first word does not start with an ASCII letter or digit.
    others: Vec<usize>,
}

impl LongForms {
    fn new<'l>(longs: impl IntoIterator<Item = &'l str>) -> Self {
        let words: Vec<(String, Vec<String>)> = longs
            .into_iter()
            .map(|long| {
                let lower = long.to_lowercase();
                let mut split = lower.split_whitespace().map(str::to_string);
                (split.next().unwrap_or_default(), split.collect())
            })
            .collect();
        let mut by_start: Vec<Vec<(usize, u64, usize)>> = vec![Vec::new(); 128];
        let mut others = Vec::new();
        for (i, (first, _)) in words.iter().enumerate() {
            match first.as_bytes() {
                [] => {}
                [a, ..] if a.is_ascii_alphanumeric() => {
                    let alnum = first.bytes().take_while(u8::is_ascii_alphanumeric).count();
                    by_start[usize::from(*a)].push((alnum, prefix_key(&first.as_bytes()[..alnum]), i));
                }
                _ => others.push(i),
            }
        }
        let mut first_words = vec![0u64; FIRST_WORD_BITS / 64].into_boxed_slice();
        for &(alnum, key, _) in by_start.iter().flatten() {
            let bit = first_word_bit(alnum, key);
            first_words[bit / 64] |= 1 << (bit % 64);
        }
        LongForms { words, by_start, first_words, others }
    }

    /// True when long form `k` starts at byte `i` of `text` (a character boundary).
    fn at(&self, text: &str, i: usize, k: usize) -> bool {
        let (first, rest) = &self.words[k];
        let starts = text.as_bytes().get(i..i + first.len()).is_some_and(|w| w.eq_ignore_ascii_case(first.as_bytes()));
        starts && rest_follows(&text[i + first.len()..], rest)
    }

    /// For each long form, whether it occurs in `text` at word boundaries,
    /// whitespace-insensitively and ignoring (ASCII) case.
    #[cfg(test)]
    fn found_in(&self, text: &str) -> Vec<bool> {
        self.scan(text, |_| {})
    }

    /// As `found_in`, also calling `caps` with every word of `text` that
    /// [`lexicon::looks_like_acronym`] (words: runs of ASCII letters, digits
    /// and `&`), in the same pass.
    fn scan<'t>(&self, text: &'t str, mut caps: impl FnMut(&'t str)) -> Vec<bool> {
        if !self.others.is_empty() {
            return self.scan_bytewise(text, caps);
        }
        let mut found = vec![false; self.words.len()];
        let b = text.as_bytes();
        // Block by block of 64 bytes: where runs of ASCII letters and digits
        // start is read off masks, so the loops below visit words, not bytes,
        // and branch on what is rare (a possible long form, a capital).
        let (mut alnum_before, mut high_before) = (false, false);
        for (n, block) in b.chunks(64).enumerate() {
            let base = n * 64;
            let m = analysis::ByteMasks::of(block);
            let runs = m.alnum & !(m.alnum << 1 | u64::from(alnum_before));
            // A run after a letter that is not ASCII (é) is inside a word.
            let mut words = runs;
            let mut after_high = runs & (m.high << 1 | u64::from(high_before));
            while after_high != 0 {
                let j = after_high.trailing_zeros();
                after_high &= after_high - 1;
                let start = base + j as usize;
                if text[..start].chars().next_back().is_some_and(char::is_alphanumeric) {
                    words &= !(1 << j);
                }
            }
            while words != 0 {
                let j = words.trailing_zeros() as usize;
                words &= words - 1;
                let start = base + j;
                // The run's length from the mask, unless it goes on past the block.
                let ones = (!(m.alnum >> j)).trailing_zeros() as usize;
                let end = if j + ones < 64 { start + ones } else { analysis::alnum_run_end(b, base + 64) };
                self.mark_at(text, start, end, &mut found);
            }
            // An acronym (at most eight bytes, over half of them capitals, at
            // least two) has another capital in the four bytes after its
            // first; most capitalised words do not, and are passed over
            // (unless the four bytes run past the block).
            let capitals_after = m.upper >> 1 | m.upper >> 2 | m.upper >> 3 | m.upper >> 4 | 0xF << 60;
            let mut capitals = runs & m.upper & capitals_after;
            while capitals != 0 {
                let start = base + capitals.trailing_zeros() as usize;
                capitals &= capitals - 1;
                if let Some(word) = acronym_at(text, start) {
                    caps(word);
                }
            }
            if let Some(&last) = block.last() {
                (alnum_before, high_before) = (last.is_ascii_alphanumeric(), !last.is_ascii());
            }
        }
        found
    }

    /// Marks in `found` the long forms that start at the word whose run of
    /// ASCII letters and digits is `start..end` of `text`.
    fn mark_at(&self, text: &str, start: usize, end: usize, found: &mut [bool]) {
        let b = text.as_bytes();
        // A first word can only match a word of the same letters and digits.
        let (run, key) = (end - start, prefix_key_at(b, start, end - start));
        let bit = first_word_bit(run, key);
        if self.first_words[bit / 64] & (1 << (bit % 64)) != 0 {
            for &(alnum, prefix, k) in &self.by_start[usize::from(b[start].to_ascii_lowercase())] {
                if alnum == run && prefix == key && !found[k] && self.at(text, start, k) {
                    found[k] = true;
                }
            }
        }
    }

    /// [`LongForms::scan`] a byte at a time: for long forms whose first word
    /// does not start with an ASCII letter or digit, looked for after every
    /// character that is not part of a word.
    fn scan_bytewise<'t>(&self, text: &'t str, mut caps: impl FnMut(&'t str)) -> Vec<bool> {
        let mut found = vec![false; self.words.len()];
        let b = text.as_bytes();
        // One pass: the long forms are looked up where a word starts (after
        // a character that is not a letter or digit).
        let mut after_alnum = false;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphanumeric() {
                let start = i;
                i = analysis::alnum_run_end(b, i + 1);
                if !after_alnum {
                    self.mark_at(text, start, i, &mut found);
                }
                if c.is_ascii_uppercase() {
                    if let Some(word) = acronym_at(text, start) {
                        caps(word);
                    }
                }
                after_alnum = true;
                continue;
            }
            if !after_alnum {
                for &k in &self.others {
                    if !found[k] && self.at(text, i, k) {
                        found[k] = true;
                    }
                }
            }
            if c.is_ascii() {
                after_alnum = false;
                i += 1;
                continue;
            }
            let ch = text[i..].chars().next().unwrap_or(' ');
            after_alnum = ch.is_alphanumeric();
            i += ch.len_utf8();
        }
        found
    }
}

/// The word written as an acronym that starts at `start`, a run of ASCII
/// letters and digits starting with a capital: the word runs on over letters,
/// digits and `&`, and does not start after `&` (A&E is one word).
fn acronym_at(text: &str, start: usize) -> Option<&str> {
    let b = text.as_bytes();
    if start > 0 && b[start - 1] == b'&' {
        return None;
    }
    let mut end = start + 1;
    while end < b.len() && end - start <= 8 && (b[end].is_ascii_alphanumeric() || b[end] == b'&') {
        end += 1;
    }
    let word = &text[start..end];
    // `looks_like_acronym` for a word of ASCII letters, digits and `&`.
    let capitals = word.bytes().filter(u8::is_ascii_uppercase).count();
    // A word cut off at nine bytes is too long to be one.
    ((2..=8).contains(&word.len()) && capitals >= 2 && capitals * 2 > word.len()).then_some(word)
}

/// The first eight bytes (at most) of a run of ASCII letters and digits,
/// lower-cased, as one number: equal runs have equal keys.
fn prefix_key(run: &[u8]) -> u64 {
    prefix_key_at(run, 0, run.len())
}

/// [`prefix_key`] of the run of `len` bytes at `start` in `b`, read with one
/// load where eight bytes are there to read.
fn prefix_key_at(b: &[u8], start: usize, len: usize) -> u64 {
    let n = len.min(8);
    let word = match b.get(start..start + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
        None => {
            let mut bytes = [0u8; 8];
            bytes[..n].copy_from_slice(&b[start..start + n]);
            u64::from_le_bytes(bytes)
        }
    };
    let mask = u64::MAX >> (64 - 8 * n.max(1));
    // Setting bit 5 lower-cases a letter and leaves a digit as it is.
    (word & mask) | (0x2020_2020_2020_2020 & mask)
}

/// Bits in [`LongForms::first_words`].
const FIRST_WORD_BITS: usize = 1 << 14;

/// The bit of a first word (its run length and prefix key) in [`LongForms::first_words`].
fn first_word_bit(run: usize, key: u64) -> usize {
    let mixed = (key ^ (run as u64).rotate_left(56)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 50) as usize & (FIRST_WORD_BITS - 1)
}

/// The acronyms an item may use, its pack's own definitions before the
/// built-in list, with what finds their long forms.
pub struct Acronyms<'a> {
    /// The pack's own definitions.
    pack: &'a [lexicon::Acronym],
    /// The pack's definitions, then the built-ins the pack does not redefine.
    known: Vec<&'a lexicon::Acronym>,
    /// The long forms of `known`.
    forms: LongForms,
}

impl<'a> Acronyms<'a> {
    /// The acronyms of a pack that defines `pack`.
    pub fn new(pack: &'a [lexicon::Acronym]) -> Self {
        let builtins = lexicon::builtin_acronyms().iter().filter(|b| !pack.iter().any(|a| a.short == b.short));
        let known: Vec<&lexicon::Acronym> = pack.iter().chain(builtins).collect();
        let forms = LongForms::new(known.iter().map(|a| a.long.as_str()));
        Acronyms { pack, known, forms }
    }

    /// Every acronym that applies, each with whether its long form occurs in
    /// `text` at word boundaries, whitespace-insensitively and ignoring case
    /// (as [`contains_phrase`] on the lower-cased text); and the words of
    /// `text` written as acronyms.
    fn scan<'t>(&self, text: &'t str) -> (Vec<(&'a lexicon::Acronym, bool)>, BTreeSet<&'t str>) {
        let mut caps = BTreeSet::new();
        let found = self.forms.scan(text, |w| {
            caps.insert(w);
        });
        (self.known.iter().copied().zip(found).collect(), caps)
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
    // Items normally share their pack's definitions; one with its own gets its own.
    let own;
    let acronyms = if item.acronyms == pack.pack {
        pack
    } else {
        own = Acronyms::new(&item.acronyms);
        &own
    };
    let (long_forms, mut caps) = acronyms.scan(body);
    caps.extend(acronyms.scan(&item.title).1);
    let mut used: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (a, long_form_found) in long_forms {
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
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain(std::iter::once(body.len()));
    for end in ends {
        let t = body[start..end].trim();
        start = end + 1;
        // What every heading starts with, tested first: most lines start otherwise.
        let md = t.starts_with('#');
        let bold = t.starts_with("**") && t.ends_with("**");
        let digit = t.as_bytes().first().is_some_and(u8::is_ascii_digit);
        if !(md || bold || digit) || t.len() < 3 || t.len() > 100 || t.ends_with('.') || t.contains('\t') {
            continue;
        }
        let numbered = digit && {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            rest.len() < t.len()
                && rest.starts_with(' ')
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
    // The words (split as `split_whitespace` splits), lower-cased, each
    // followed by one space, hashed in one call. First every character is
    // lower-cased and whitespace becomes a space: runs of ASCII in bulk, other
    // characters one by one (as `str::to_lowercase` does for every character
    // but capital sigma). Then runs of spaces are squeezed to one.
    let mut normal: Vec<u8> = Vec::with_capacity(body.len() + 1);
    let mut rest = body;
    while !rest.is_empty() {
        let ascii = analysis::ascii_prefix_len(rest.as_bytes());
        let from = normal.len();
        normal.extend_from_slice(&rest.as_bytes()[..ascii]);
        normal[from..].iter_mut().for_each(|b| *b = fold_ascii(*b));
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() {
            normal.push(b' ');
        } else if c == 'Σ' {
            return content_hash_by_words(body);
        } else {
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                normal.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    normal.push(b' ');
    let len = squeeze_spaces(&mut normal);
    blake3::hash(&normal[..len]).to_hex()[..16].to_string()
}

/// Keeps a space of `text` only where it follows another byte (so leading
/// spaces go and runs of spaces become one), in place; returns the new length.
/// Eight bytes at a time where they hold no two spaces in a row.
fn squeeze_spaces(text: &mut [u8]) -> usize {
    let (mut j, mut k) = (0, 0);
    let mut after_space = true;
    while k < text.len() {
        if let Some(chunk) = text.get(k..k + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let spaces = analysis::bytes_in_range(w, b' ', b' ');
            let after = (spaces << 8) | (u64::from(after_space) << 7);
            if spaces & after == 0 {
                text[j..j + 8].copy_from_slice(&w.to_le_bytes());
                (j, k) = (j + 8, k + 8);
                after_space = spaces >> 63 != 0;
                continue;
            }
        }
        let end = (k + 8).min(text.len());
        for k in k..end {
            let x = text[k];
            text[j] = x;
            let space = x == b' ';
            j += usize::from(!space || !after_space);
            after_space = space;
        }
        k = end;
    }
    j
}

/// An ASCII byte lower-cased, or a space for ASCII whitespace (as
/// `char::is_whitespace` has it: space, tab, LF, VT, FF, CR). Branch-free,
/// so a run of bytes is mapped in vector registers.
fn fold_ascii(b: u8) -> u8 {
    let upper = b.wrapping_sub(b'A') < 26;
    let space = b.wrapping_sub(b'\t') < 5;
    let lower = b | (u8::from(upper) << 5);
    if space {
        b' '
    } else {
        lower
    }
}

/// [`content_hash`] word by word, for the texts whose lower case depends on
/// context (a capital sigma ends a word as `ς`).
fn content_hash_by_words(body: &str) -> String {
    let mut h = blake3::Hasher::new();
    for w in body.split_whitespace() {
        h.update(w.to_lowercase().as_bytes());
        h.update(b" ");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Midnight UTC of a date, as tantivy stores it.
pub fn date_value(d: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(d.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp()))
}

/// An item's document for the index writer: its fields, and the word
/// position where each line of its body starts (`line_positions`).
///
/// The line starts are made when tantivy stores the document, after the
/// indexing thread has analysed the body in the same call: the text analyzer
/// counts them from the words it found ([`analysis::take_recorded_line_starts`]),
/// so the body is not segmented a second time. Should it have no count for
/// this body, they are counted here ([`analysis::line_start_positions`]):
/// the same numbers either way.
#[derive(Debug)]
pub struct ItemDocument {
    doc: TantivyDocument,
    body: Field,
    line_positions: Field,
    /// `line_positions`, LEB128 deltas, once made.
    encoded: OnceLock<Vec<u8>>,
    /// Counts the document as held by the writer, until dropped.
    ticket: Option<Ticket>,
}

impl ItemDocument {
    /// The item's text.
    fn body(&self) -> &str {
        self.doc.get_first(self.body).and_then(|v| v.as_str()).unwrap_or("")
    }

    /// Bytes of text the document holds, roughly: its body and the rest.
    pub fn text_bytes(&self) -> usize {
        self.body().len() + 1024
    }

    /// Keeps `ticket` until the document is dropped (once the writer has stored it).
    pub fn hold(&mut self, ticket: Ticket) {
        self.ticket = Some(ticket);
    }

    /// The encoded line starts of the body.
    fn line_positions(&self) -> &[u8] {
        self.encoded.get_or_init(|| {
            let body = self.body();
            let starts =
                analysis::take_recorded_line_starts(body).unwrap_or_else(|| analysis::line_start_positions(body));
            encode_deltas(&starts)
        })
    }
}

/// A value of an [`ItemDocument`]: one of its fields, or its line starts.
#[derive(Clone, Debug)]
pub enum ItemValue<'a> {
    /// A value of the document's fields.
    Field(CompactDocValue<'a>),
    /// The line starts of the document's body.
    LinePositions(&'a ItemDocument),
}

type ItemArrayIter<'a> = std::iter::Map<CompactDocArrayIter<'a>, fn(CompactDocValue<'a>) -> ItemValue<'a>>;
type ItemObjectIter<'a> =
    std::iter::Map<CompactDocObjectIter<'a>, fn((&'a str, CompactDocValue<'a>)) -> (&'a str, ItemValue<'a>)>;

impl<'a> Value<'a> for ItemValue<'a> {
    type ArrayIter = ItemArrayIter<'a>;
    type ObjectIter = ItemObjectIter<'a>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        match self {
            ItemValue::Field(v) => match v.as_value() {
                ReferenceValue::Leaf(leaf) => ReferenceValue::Leaf(leaf),
                ReferenceValue::Array(values) => ReferenceValue::Array(values.map(ItemValue::Field as fn(_) -> _)),
                ReferenceValue::Object(entries) => {
                    ReferenceValue::Object(entries.map((|(k, v)| (k, ItemValue::Field(v))) as fn(_) -> _))
                }
            },
            ItemValue::LinePositions(doc) => ReferenceValue::Leaf(ReferenceValueLeaf::Bytes(doc.line_positions())),
        }
    }
}

impl Document for ItemDocument {
    type Value<'a> = ItemValue<'a>;
    type FieldsValuesIter<'a> = Box<dyn Iterator<Item = (Field, ItemValue<'a>)> + 'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        let fields = self.doc.field_values().map(|(field, v)| (field, ItemValue::Field(v)));
        Box::new(fields.chain(std::iter::once((self.line_positions, ItemValue::LinePositions(self)))))
    }
}

/// Builds the document for one item.
pub fn build(f: &Fields, src: &Source<'_>, item: &Item) -> ItemDocument {
    let (key, hash, format, text) = (src.key, src.hash, src.format, src.text);
    let body = paper::item_body(&text.lines, item);
    // Room for the body and the other fields up front: the document's buffer
    // is not grown (and copied) field by field.
    let mut doc = TantivyDocument::with_capacity(body.len() + 2048);
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
    ItemDocument { doc, body: f.body, line_positions: f.line_positions, encoded: OnceLock::new(), ticket: None }
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
        assert_eq!(prefix_key(b"CaRe1"), prefix_key(b"care1"));
        assert_ne!(prefix_key(b"care"), prefix_key(b"care1"));
        assert_eq!(prefix_key(b"Safeguarding"), prefix_key(b"safeguar"));
        assert_eq!(prefix_key_at(b"the Care plan", 4, 4), prefix_key(b"care"));
        assert_eq!(prefix_key_at(b"x Care", 2, 4), prefix_key(b"care"));
        let acronyms = Acronyms::new(&[]);
        let bcf = |text: &str| acronyms.scan(text).0.iter().any(|(a, found)| a.short == "BCF" && *found);
        assert!(bcf("The Better\nCare  FUND\u{2019}s plan"));
        assert!(!bcf("the better careful fund"));
        assert!(!bcf("thebetter care fund"));
        // A shorter first word inside a longer one's match, and a long form
        // starting inside another's first word.
        let forms =
            LongForms::new(["Education, Health and Care Plan", "Education", "Multi-Agency Hub", "Agency Staff"]);
        assert_eq!(forms.found_in("the EDUCATION, health and care plan"), vec![true, true, false, false]);
        assert_eq!(forms.found_in("multi-agency staff"), vec![false, false, false, true]);
        for text in ["the EDUCATION, health and care plan", "multi-agency staff", "educational multi-agency hub"] {
            let lower = text.to_lowercase();
            let want: Vec<bool> =
                forms.words.iter().map(|(f, r)| contains_phrase(&lower, &format!("{f} {}", r.join(" ")))).collect();
            assert_eq!(forms.found_in(text), want, "{text}");
        }
    }

    /// Both scans' long forms found and words taken as acronyms (in order).
    fn both_scans(forms: &LongForms, text: &str) -> [(Vec<bool>, Vec<String>); 2] {
        let (mut masked, mut bytewise) = (Vec::new(), Vec::new());
        let found = forms.scan(text, |w| masked.push(w.to_string()));
        let found_bytewise = forms.scan_bytewise(text, |w| bytewise.push(w.to_string()));
        [(found, masked), (found_bytewise, bytewise)]
    }

    #[test]
    fn block_scan_finds_what_the_bytewise_scan_finds_on_the_seeds() {
        let (mut found, mut caps) = (0, 0);
        for text in crate::testing::sample_texts() {
            let pack = lexicon::learn_acronyms(text.lines());
            let acronyms = Acronyms::new(&pack);
            // Otherwise `scan` is `scan_bytewise`, and the test compares it with itself.
            assert!(acronyms.forms.others.is_empty());
            let [masked, bytewise] = both_scans(&acronyms.forms, &text);
            assert_eq!(masked, bytewise);
            found += masked.0.iter().filter(|f| **f).count();
            caps += masked.1.len();
        }
        assert!(found > 20 && caps > 500, "{found} long forms, {caps} acronyms");
        // Every tricky spot at every offset from a block's edge.
        let acronyms = Acronyms::new(&[]);
        for pad in 0..140 {
            for tail in ["caf\u{e9}Better care fund", "\u{2019}Better care fund", "A&ENHS x", "AbcDE SENDS Special"] {
                let text = format!("{}{tail}", " ".repeat(pad));
                let [masked, bytewise] = both_scans(&acronyms.forms, &text);
                assert_eq!(masked, bytewise, "{text:?}");
            }
        }
    }

    proptest::proptest! {
        /// Words across block edges, after letters that are not ASCII, after
        /// `&`, of every length: the scan by blocks of 64 bytes agrees with the
        /// one byte at a time.
        #[test]
        fn block_scan_agrees_with_the_bytewise_scan(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "the", "Better", "CARE", "fund", "Care", "NHS", "A&E", "&", "SEND", "Special", "educational",
                    "NEEDS", "and", "disabilities", " ", "  ", "\n", "\t", ".", ",", "-", "/", "\u{e9}", "\u{2019}",
                    "\u{c9}", "caf\u{e9}", "x", "Q", "AbCdEfGh", "ABCDEFGHI", "AbcDE", "2019", "B2", "\u{3042}",
                ]),
                0..120,
            )
        ) {
            let text = parts.concat();
            let acronyms = Acronyms::new(&[]);
            proptest::prop_assert!(acronyms.forms.others.is_empty());
            let [masked, bytewise] = both_scans(&acronyms.forms, &text);
            proptest::prop_assert_eq!(masked, bytewise);
        }
    }

    #[test]
    fn headings_are_the_short_marked_or_numbered_lines() {
        let body = "# Agenda\n3. Background\n3.1 Financial Implications\r\n**Recommendation**\n\
                    4. The council agreed.\n5. lower case\n12\tTable\n**x\nPlain line\n## \n 6.  Risks";
        assert_eq!(
            headings(body),
            vec!["Agenda", "3. Background", "3.1 Financial Implications", "Recommendation", "6.  Risks"]
        );
        // Line by line, as written: the same lines on the seeds.
        let reference = |body: &str| -> Vec<String> {
            body.lines()
                .map(str::trim)
                .filter(|t| (3..=100).contains(&t.len()) && !t.ends_with('.') && !t.contains('\t'))
                .filter(|t| {
                    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                    let numbered = t.starts_with(|c: char| c.is_ascii_digit())
                        && rest.starts_with(' ')
                        && rest.trim_start().starts_with(char::is_uppercase)
                        && rest.split_whitespace().count() <= 10;
                    t.starts_with('#') || (t.starts_with("**") && t.ends_with("**")) || numbered
                })
                .map(|t| t.trim_start_matches('#').trim_matches('*').trim().to_string())
                .collect()
        };
        let mut found = 0;
        for text in crate::testing::sample_texts() {
            let got = headings(&text);
            assert_eq!(got, reference(&text));
            found += got.len();
        }
        assert!(found > 50, "{found}");
    }

    #[test]
    fn content_hash_is_that_of_the_lower_cased_words() {
        let reference = |body: &str| {
            let mut h = blake3::Hasher::new();
            for w in body.split_whitespace() {
                h.update(w.to_lowercase().as_bytes());
                h.update(b" ");
            }
            h.finalize().to_hex()[..16].to_string()
        };
        for body in [
            "",
            " ",
            "A  b\tC\r\n\x0B\x0cd ",
            "\x1fx y",
            "Caf\u{e9}\u{a0}CLUB  \u{2003}x",
            "x",
            "\u{85}\u{2028}ÉCOLE \u{130}stanbul ß",
            "ΟΔΟΣ ΣΑΣ Σ",
        ] {
            assert_eq!(content_hash(body), reference(body), "{body:?}");
        }
        assert_eq!(content_hash("The  Plan\n"), content_hash("the plan"));
        for b in 0..128u8 {
            let c = char::from(b);
            let want = if c.is_whitespace() { b' ' } else { b.to_ascii_lowercase() };
            assert_eq!(fold_ascii(b), want, "{b}");
        }
        let long = format!("{}\u{e9}{}", "ab  ".repeat(9), "Cd\t".repeat(9));
        assert_eq!(analysis::ascii_prefix_len(long.as_bytes()), 36);
        assert_eq!(content_hash(&long), reference(&long));
        for text in ["", " ", "  a  b ", "a b c d e f g h i j k l m n o p q r s t u v w x y z", "                  x"] {
            let mut got = text.as_bytes().to_vec();
            let len = squeeze_spaces(&mut got);
            let want = text.split(' ').filter(|w| !w.is_empty()).map(|w| format!("{w} ")).collect::<String>();
            let want = if text.ends_with(' ') { want } else { want.trim_end_matches(' ').to_string() };
            assert_eq!(std::str::from_utf8(&got[..len]).unwrap(), want, "{text:?}");
        }
        let (mut ascii, mut other) = (0, 0);
        for text in crate::testing::sample_texts() {
            for para in text.split("\n\n") {
                assert_eq!(content_hash(para), reference(para), "{para:?}");
                if para.is_ascii() {
                    ascii += 1;
                } else {
                    other += 1;
                }
            }
        }
        assert!(ascii > 100 && other > 10, "{ascii} {other}");
    }

    #[test]
    fn one_pass_finds_the_long_forms_phrase_search_finds_on_the_seeds() {
        let mut found = 0;
        for text in crate::testing::sample_texts() {
            let pack = lexicon::learn_acronyms(text.lines());
            let acronyms = Acronyms::new(&pack);
            let lower = text.to_lowercase();
            let (long_forms, caps) = acronyms.scan(&text);
            let split: BTreeSet<&str> = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '&'))
                .filter(|w| lexicon::looks_like_acronym(w))
                .collect();
            assert_eq!(caps, split);
            found += caps.len();
            for (a, got) in long_forms {
                assert_eq!(got, contains_phrase(&lower, &a.long.to_lowercase()), "{}", a.long);
                found += usize::from(got);
            }
        }
        assert!(found > 20, "{found}");
    }
}
