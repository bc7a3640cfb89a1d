//! Acronyms in an item, found in one pass over its bytes: the long forms of
//! the acronyms it may use (its pack's own definitions, then the built-in list)
//! and the words it writes as acronyms in capitals. What the index makes of
//! them (expansions, capitalised acronyms, the pairs shown with hits) is
//! [`Acronyms::of_item`]'s answer.
//!
//! The scan reads 64 bytes at a time: where runs of ASCII letters and digits
//! start is read off bit masks ([`analysis::bytes`]), so the loops visit
//! words, not bytes; a bytewise scan does the same for long forms that start
//! with other characters, and the tests hold the two equal.

use std::collections::BTreeSet;

use crate::analysis::bytes as masks;
use crate::lexicon;

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
            let m = masks::ByteMasks::of(block);
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
                let end = if j + ones < 64 { start + ones } else { masks::alnum_run_end(b, base + 64) };
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
                i = masks::alnum_run_end(b, i + 1);
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
    /// `text` at word boundaries, whitespace-insensitively and ignoring (ASCII)
    /// case; and the words of `text` written as acronyms.
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

/// What an item's acronyms give the index.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ItemAcronyms<'a> {
    /// Long forms of the acronyms the item writes, and acronyms of the long forms it writes.
    pub expansions: Vec<&'a str>,
    /// The words the item writes as acronyms, in capitals.
    pub caps: Vec<&'a str>,
    /// The pairs used, as `ACRONYM=long form`, shown with hits.
    pub used: Vec<String>,
}

impl<'a> Acronyms<'a> {
    /// The acronyms of an item with this `title` and `body`. Items normally
    /// share their pack's definitions (`self`); one with others of its own
    /// (`own`) is scanned with those.
    pub(crate) fn of_item<'t>(
        &'t self,
        own: &'t [lexicon::Acronym],
        title: &'t str,
        body: &'t str,
    ) -> ItemAcronyms<'t> {
        if own != self.pack {
            return Acronyms::new(own).of_item_owned(title, body);
        }
        self.of_item_owned(title, body)
    }

    /// [`Acronyms::of_item`] with these definitions, the strings copied out
    /// where they would borrow from a set made for one item.
    fn of_item_owned<'t>(&self, title: &'t str, body: &'t str) -> ItemAcronyms<'t>
    where
        'a: 't,
    {
        let (long_forms, mut caps) = self.scan(body);
        caps.extend(self.scan(title).1);
        let mut out = ItemAcronyms::default();
        let mut used: BTreeSet<(&str, &str)> = BTreeSet::new();
        for (a, long_form_found) in long_forms {
            if caps.contains(a.short.as_str()) {
                out.expansions.push(&a.long);
                used.insert((&a.short, &a.long));
            } else if long_form_found {
                out.expansions.push(&a.short);
                used.insert((&a.short, &a.long));
            }
        }
        out.caps = caps.into_iter().collect();
        out.used = used.into_iter().map(|(short, long)| format!("{short}={long}")).collect();
        out
    }
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
