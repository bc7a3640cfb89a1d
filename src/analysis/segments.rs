//! Word boundaries (UAX #29) fast: ASCII text, and lines whose other
//! characters are common punctuation, are segmented by byte classes with the
//! same boundaries as `unicode-segmentation`, several times faster; any other
//! piece of a line takes the general path. Also the count of word positions
//! at each line start, which snippets use to find a match's line.
//!
//! Nothing here decides what a word means: [`super::words`] does.

use unicode_segmentation::UnicodeSegmentation;

use super::bytes::{alnum_run_end, ascii_alnum_bytes, ascii_prefix_len, bytes_in_range, HIGH_BITS};
use super::words::is_word;

/// ASCII bytes that are segments of their own (or runs of spaces), never
/// words and never joining them: spaces, tabs and line breaks.
pub(super) fn is_break(b: u8) -> bool {
    const BREAKS: u64 = 1 << b' ' | 1 << b'\t' | 1 << b'\n' | 1 << b'\r' | 1 << 0x0B | 1 << 0x0C;
    b < 64 && BREAKS & (1 << b) != 0
}

/// What [`for_each_region`] hands out: a stretch of ASCII text, or one
/// segment of a line with other characters.
pub(super) enum Region<'a> {
    /// `from..to`: ASCII, starting and ending at segment boundaries.
    Ascii(usize, usize),
    /// A UAX #29 segment at an offset.
    Segment(usize, &'a str),
}

/// Calls `emit` with the UAX #29 word-boundary segments of `text`: ASCII
/// (whole lines, most of a council paper, and the ASCII pieces of other lines)
/// is split by [`ascii_segments`], which gives the same boundaries several
/// times faster; a piece of a line around other characters is split as ASCII
/// between common punctuation, by [`known_segments`], or by the general
/// Unicode path. Line breaks, and spaces before an ASCII character, are always
/// boundaries (WB3a/b, WB3d, WB999), so choosing per piece changes nothing.
pub(super) fn for_each_segment<'a>(text: &'a str, mut emit: impl FnMut(usize, &'a str)) {
    for_each_region(text, |region| match region {
        Region::Ascii(from, to) => ascii_segments(&text[from..to], |o, s| emit(from + o, s)),
        Region::Segment(offset, seg) => emit(offset, seg),
    });
}

/// [`for_each_segment`] with the ASCII stretches (whole lines, the ASCII
/// pieces of other lines, and the ASCII between common punctuation) handed out
/// unsplit.
pub(super) fn for_each_region<'a>(text: &'a str, mut emit: impl FnMut(Region<'a>)) {
    // No segment crosses a line break, so the lines before a line with other
    // characters go out together.
    let b = text.as_bytes();
    let mut pos = 0;
    while pos < b.len() {
        let other = pos + ascii_prefix_len(&b[pos..]);
        if other == b.len() {
            emit(Region::Ascii(pos, b.len()));
            break;
        }
        let line_start = b[pos..other].iter().rposition(|&c| c == b'\n').map_or(pos, |k| pos + k + 1);
        if line_start > pos {
            emit(Region::Ascii(pos, line_start));
        }
        let line_end = b[other..].iter().position(|&c| c == b'\n').map_or(b.len(), |k| other + k + 1);
        // Inside the line, a run of spaces or tabs followed by an ASCII
        // character ends a segment whatever comes before it (WB3d, WB999:
        // only Extend, Format and ZWJ attach to what precedes them), and
        // what follows is segmented as if the line started there. So only
        // the piece between two such cuts around each other character needs
        // the slower paths; the ASCII pieces go out whole.
        let mut ascii_from = line_start;
        let mut i = other;
        while i < line_end {
            let piece_start = (ascii_from + 1..=i).rev().find(|&c| is_cut(b, c)).unwrap_or(ascii_from);
            let piece_end = (i + 1..line_end).find(|&c| is_cut(b, c)).unwrap_or(line_end);
            if piece_start > ascii_from {
                emit(Region::Ascii(ascii_from, piece_start));
            }
            other_regions(&text[piece_start..piece_end], piece_start, &mut emit);
            ascii_from = piece_end;
            i = piece_end + ascii_prefix_len(&b[piece_end..line_end]);
        }
        if line_end > ascii_from {
            emit(Region::Ascii(ascii_from, line_end));
        }
        pos = line_end;
    }
}

/// True when a segment boundary at `c` in `b` is certain from the bytes
/// around it alone: spaces or a tab before it, an ASCII character other than
/// those after it.
fn is_cut(b: &[u8], c: usize) -> bool {
    matches!(b[c - 1], b' ' | b'\t') && b[c].is_ascii() && !matches!(b[c], b' ' | b'\t')
}

/// The regions of `piece` (at `offset` in its text), a piece of a line with
/// characters other than ASCII: by the fastest method that holds for it.
fn other_regions<'a>(piece: &'a str, offset: usize, emit: &mut impl FnMut(Region<'a>)) {
    let shifted = |r: Region<'a>| match r {
        Region::Ascii(from, to) => Region::Ascii(offset + from, offset + to),
        Region::Segment(o, s) => Region::Segment(offset + o, s),
    };
    if !regions_at_others(piece, |r| emit(shifted(r)))
        && !known_segments(piece, |o, s| emit(Region::Segment(offset + o, s)))
    {
        for (o, s) in piece.split_word_bound_indices() {
            emit(Region::Segment(offset + o, s));
        }
    }
}

/// The character classes of UAX #29 that ASCII text can have.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Wb {
    Letter,
    Digit,
    Underscore,
    MidLetter,
    MidNumLet,
    MidNum,
    Space,
    Newline,
    Other,
}

pub(super) fn wb(b: u8) -> Wb {
    WB_TABLE[usize::from(b)]
}

/// [`wb_byte`] of every byte, looked up instead of matched in the hot loops.
static WB_TABLE: [Wb; 256] = {
    let mut table = [Wb::Other; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = wb_byte(b as u8);
        b += 1;
    }
    table
};

const fn wb_byte(b: u8) -> Wb {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Wb::Letter,
        b'0'..=b'9' => Wb::Digit,
        b'_' => Wb::Underscore,
        b':' => Wb::MidLetter,
        b'.' | b'\'' => Wb::MidNumLet,
        b',' | b';' => Wb::MidNum,
        b' ' => Wb::Space,
        b'\n' | b'\r' | 0x0B | 0x0C => Wb::Newline,
        _ => Wb::Other,
    }
}

/// The UAX #29 class of a character that the fast paths know, or None.
///
/// Besides ASCII, the punctuation council papers are full of: curly quotes,
/// dashes, bullets, arrows, ticks and currency signs. `'` and `'` join words
/// as `'` does (MidNumLet); the others are always boundaries (Other).
fn wb_char(c: char) -> Option<Wb> {
    if c.is_ascii() {
        return Some(wb(c as u8));
    }
    match c {
        '\u{2018}' | '\u{2019}' => Some(Wb::MidNumLet),
        '\u{00A3}' | '\u{20AC}' | '\u{2013}' | '\u{2014}' | '\u{201C}' | '\u{201D}' | '\u{2022}' | '\u{2194}'
        | '\u{2192}' | '\u{2713}' => Some(Wb::Other),
        _ => None,
    }
}

/// Where the segment starting at `i` ends, for a sequence of classes: the
/// rules of [`ascii_segments`].
fn segment_end(n: usize, class: impl Fn(usize) -> Wb, is_cr_lf: impl Fn(usize) -> bool, i: usize) -> usize {
    let mut j = i + 1;
    match class(i) {
        Wb::Letter | Wb::Digit | Wb::Underscore => {
            while j < n {
                let next = class(j);
                if matches!(next, Wb::Letter | Wb::Digit | Wb::Underscore) {
                    j += 1;
                    continue;
                }
                // A middle character joins when the same kind follows (WB6/7, WB11/12).
                let prev = class(j - 1);
                let after = if j + 1 < n { class(j + 1) } else { Wb::Other };
                let joins = matches!(
                    (prev, next, after),
                    (Wb::Letter, Wb::MidLetter | Wb::MidNumLet, Wb::Letter)
                        | (Wb::Digit, Wb::MidNum | Wb::MidNumLet, Wb::Digit)
                );
                if joins {
                    j += 2;
                } else {
                    break;
                }
            }
        }
        Wb::Space => {
            while j < n && class(j) == Wb::Space {
                j += 1;
            }
        }
        Wb::Newline if is_cr_lf(i) => j += 1,
        _ => {}
    }
    j
}

/// UAX #29 word segmentation of an ASCII string (WB3-WB13b as they apply to
/// ASCII): letters, digits and `_` join; `:` joins letters, `.` and `'` join
/// letters or digits, `,` and `;` join digits; runs of spaces are one segment,
/// CR LF is one segment, every other character is its own.
pub fn ascii_segments<'a>(text: &'a str, mut emit: impl FnMut(usize, &'a str)) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // A single space between words (the most common segment) is its own.
        if b[i] == b' ' && b.get(i + 1) != Some(&b' ') {
            emit(i, &text[i..i + 1]);
            i += 1;
            continue;
        }
        let j = ascii_segment_end(b, i);
        emit(i, &text[i..j]);
        i = j;
    }
}

/// Where the segment of ASCII bytes `b` starting at `i` ends ([`segment_end`] over bytes).
#[inline]
pub(super) fn ascii_segment_end(b: &[u8], i: usize) -> usize {
    let n = b.len();
    if b[i].is_ascii_alphanumeric() {
        if let Some(j) = alnum_segment_end(b, i) {
            return j;
        }
    }
    segment_end(n, |k| wb(b[k]), |k| b[k] == b'\r' && k + 1 < n && b[k + 1] == b'\n', i)
}

/// Where the segment of ASCII bytes `b` that starts at the letter or digit
/// at `i` ends, when it is just its run of letters and digits: unless `_` or
/// a middle character that may join (WB6/7, WB11/12) follows the run; then
/// the segment rules decide (None).
#[inline(always)]
pub(super) fn alnum_segment_end(b: &[u8], i: usize) -> Option<usize> {
    let j = alnum_run_end(b, i + 1);
    let whole = match b.get(j) {
        None => true,
        Some(&next) => {
            next != b'_' && (BYTE_FLAGS[usize::from(next)] == 0 || !b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric))
        }
    };
    whole.then_some(j)
}

/// [`regions_at_others`] as segments: the ASCII split by [`ascii_segments`].
#[cfg(test)]
fn split_at_others<'a>(line: &'a str, mut emit: impl FnMut(usize, &'a str)) -> bool {
    regions_at_others(line, |r| match r {
        Region::Ascii(from, to) => ascii_segments(&line[from..to], |o, s| emit(from + o, s)),
        Region::Segment(o, s) => emit(o, s),
    })
}

/// For a line whose other characters are all punctuation that [`wb_char`]
/// classes as Other (dashes, bullets, double quotes, currency): each of them
/// as its own segment (WB999), and the ASCII between them as regions, unsplit
/// (they start and end at segment boundaries). False (and nothing emitted)
/// for any other line.
fn regions_at_others<'a>(line: &'a str, mut emit: impl FnMut(Region<'a>)) -> bool {
    let b = line.as_bytes();
    let mut i = ascii_prefix_len(b);
    while i < b.len() {
        let c = line[i..].chars().next().unwrap_or(' ');
        if c.is_ascii() {
            i += 1;
        } else if wb_char(c) == Some(Wb::Other) {
            i += c.len_utf8();
        } else {
            return false;
        }
        i += ascii_prefix_len(&b[i..]);
    }
    let mut pos = 0;
    while pos < b.len() {
        let end = pos + ascii_prefix_len(&b[pos..]);
        if end > pos {
            emit(Region::Ascii(pos, end));
        }
        if let Some(c) = line[end..].chars().next() {
            emit(Region::Segment(end, &line[end..end + c.len_utf8()]));
            pos = end + c.len_utf8();
        } else {
            pos = end;
        }
    }
    true
}

/// As [`ascii_segments`], for a line whose characters all have a class in
/// [`wb_char`]; false (and nothing emitted) for any other line.
fn known_segments<'a>(line: &'a str, mut emit: impl FnMut(usize, &'a str)) -> bool {
    let mut chars: Vec<(usize, Wb)> = Vec::with_capacity(line.len());
    for (o, c) in line.char_indices() {
        match wb_char(c) {
            Some(w) => chars.push((o, w)),
            None => return false,
        }
    }
    let n = chars.len();
    let b = line.as_bytes();
    let class = |k: usize| chars[k].1;
    let cr_lf = |k: usize| b[chars[k].0] == b'\r' && k + 1 < n && b[chars[k + 1].0] == b'\n';
    let offset = |k: usize| chars.get(k).map_or(line.len(), |c| c.0);
    let mut i = 0;
    while i < n {
        let j = segment_end(n, class, cr_lf, i);
        emit(offset(i), &line[offset(i)..offset(j)]);
        i = j;
    }
    true
}

/// Flags of a class for [`WordCounter`].
const LETTER: u8 = 1;

const DIGIT: u8 = 2;

const UNDERSCORE: u8 = 4;

/// Joins two letters (MidLetter, MidNumLet).
const JOINS_LETTERS: u8 = 8;

/// Joins two digits (MidNum, MidNumLet).
const JOINS_DIGITS: u8 = 16;

const fn class_flags(c: Wb) -> u8 {
    match c {
        Wb::Letter => LETTER,
        Wb::Digit => DIGIT,
        Wb::Underscore => UNDERSCORE,
        Wb::MidLetter => JOINS_LETTERS,
        Wb::MidNumLet => JOINS_LETTERS | JOINS_DIGITS,
        Wb::MidNum => JOINS_DIGITS,
        Wb::Space | Wb::Newline | Wb::Other => 0,
    }
}

/// [`class_flags`] of every byte's [`wb`] class (non-ASCII bytes have none).
static BYTE_FLAGS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = class_flags(wb_byte(b as u8));
        b += 1;
    }
    table
};

/// Counts words from characters' classes ([`class_flags`]), one at a time:
/// the segments ([`segment_end`]) that are words. Without branches, so the
/// ends of words cost no mispredictions.
///
/// A word starts at a letter or digit that neither follows a letter, digit
/// or `_` nor is joined to the word before by a middle character (`a.b`,
/// `1,000`); a segment starting with `_` is a word once a letter or digit
/// joins it.
#[derive(Clone, Copy, Default)]
struct WordCounter {
    words: u32,
    /// The flags of the two characters before the next one.
    before: u8,
    prev: u8,
    /// Inside a segment that started with `_` and has no letter or digit yet.
    underscores: bool,
}

impl WordCounter {
    fn push(&mut self, f: u8) {
        // Bitwise `&` and `|` on purpose: no short circuits, no branches.
        let (before, prev) = (self.before, self.prev);
        let both = |flag: u8| before & f & flag != 0;
        let continues = (prev & (LETTER | DIGIT | UNDERSCORE) != 0)
            | (both(LETTER) & (prev & JOINS_LETTERS != 0))
            | (both(DIGIT) & (prev & JOINS_DIGITS != 0));
        let alnum = f & (LETTER | DIGIT) != 0;
        self.words += u32::from(alnum & (!continues | self.underscores));
        self.underscores = (continues & self.underscores & !alnum) | (!continues & (f & UNDERSCORE != 0));
        (self.before, self.prev) = (prev, f);
    }
}

/// The leading bytes of `w` (eight bytes, little-endian) that are ASCII
/// letters, digits and spaces, after a byte with flags `prev` (a space's are
/// 0): how many there are, and how many words start among them. With only
/// these, a word starts at each letter or digit after a space.
fn plain_words(w: u64, prev: u8) -> (usize, u32) {
    let alnum = ascii_alnum_bytes(w);
    let spaces = bytes_in_range(w, b' ', b' ');
    let others = !(alnum | spaces) & HIGH_BITS;
    let plain = others.trailing_zeros() as usize / 8;
    // A space before each byte: the byte before it in the word, or `prev` for the first.
    let space_before = (spaces << 8) | (u64::from(prev == 0) << 7);
    let in_plain = if plain == 8 { u64::MAX } else { (1u64 << (8 * plain)) - 1 };
    (plain, (alnum & space_before & in_plain).count_ones())
}

/// Word positions in an ASCII line: its [`ascii_segments`] that are words.
#[cfg(test)]
fn ascii_word_count(line: &str) -> usize {
    line_start_positions(&format!("{line}\n"))[1] as usize
}

/// Counts the word positions in `text` (joined forms share a position and are not counted).
pub fn count_positions(text: &str) -> usize {
    let mut n = 0;
    for_each_segment(text, |_, s| n += usize::from(is_word(s)));
    n
}

/// For each line of `text` (split on `\n`), the position of its first word:
/// what snippets use to map a matched position back to a line.
///
/// One pass over the bytes: ASCII and the punctuation [`wb_char`] knows are
/// counted by their classes; a line with any other character is counted
/// again on the general path.
pub fn line_start_positions(text: &str) -> Vec<u32> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    // Kept in locals (not behind a reference) so the loop runs in registers.
    let mut count = WordCounter::default();
    // Where the current line starts and the count there; whether it needs the general path.
    let (mut line_start, mut line_words, mut general) = (0, 0, false);
    let mut i = 0;
    while i < b.len() {
        // Letters, digits and spaces after a space, letter or digit (most of
        // prose): counted up to eight bytes at once, up to the first other byte.
        if count.prev & !(LETTER | DIGIT) == 0 && !count.underscores {
            if let Some(eight) = b.get(i..i + 8) {
                let (plain, words) = plain_words(u64::from_le_bytes(eight.try_into().unwrap_or_default()), count.prev);
                if plain > 0 {
                    count.words += words;
                    // `before` matters only after a joining character, never a plain byte.
                    (count.before, count.prev) = (0, BYTE_FLAGS[usize::from(b[i + plain - 1])]);
                    i += plain;
                    if plain == 8 {
                        continue;
                    }
                }
            }
        }
        // Otherwise one byte (or character) at a time.
        let x = b[i];
        if x.is_ascii() {
            if x == b'\n' {
                if general {
                    count.words = line_words + count_positions(&text[line_start..i]) as u32;
                    general = false;
                }
                (line_start, line_words) = (i + 1, count.words);
                starts.push(count.words);
            }
            count.push(BYTE_FLAGS[usize::from(x)]);
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            match wb_char(c) {
                Some(class) => count.push(class_flags(class)),
                None => {
                    general = true;
                    count.push(0);
                }
            }
            i += c.len_utf8();
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;

    #[test]
    fn ascii_fast_path_gives_the_unicode_boundaries_on_the_seeds() {
        let mut lines = 0;
        for text in crate::testing::sample_texts() {
            for line in text.split_inclusive('\n').filter(|l| l.is_ascii()) {
                let mut fast = Vec::new();
                ascii_segments(line, |o, s| fast.push((o, s)));
                let slow: Vec<(usize, &str)> = line.split_word_bound_indices().collect();
                assert_eq!(fast, slow, "{line:?}");
                lines += 1;
            }
        }
        assert!(lines > 5000, "{lines}");
        // Whole paragraphs, many lines at once: ASCII ones are cut without splitting lines.
        let mut ascii_paragraphs = 0;
        for text in crate::testing::sample_texts() {
            for para in text.split_inclusive("\n\n") {
                let mut fast = Vec::new();
                for_each_segment(para, |o, s| fast.push((o, s)));
                assert_eq!(fast, para.split_word_bound_indices().collect::<Vec<_>>(), "{para:?}");
                ascii_paragraphs += usize::from(para.is_ascii() && para.trim_end().contains('\n'));
            }
        }
        assert!(ascii_paragraphs > 100, "{ascii_paragraphs}");
        for tricky in
            ["e.g. 3.5,000 a:b a.5 don't 'quoted' x__y _a 1,a \r\n\t  end.", "FP/17/09/14 self-harm", "a.b. c", ""]
        {
            let mut fast = Vec::new();
            ascii_segments(tricky, |o, s| fast.push((o, s)));
            assert_eq!(fast, tricky.split_word_bound_indices().collect::<Vec<_>>(), "{tricky:?}");
        }
    }

    proptest::proptest! {
        /// Lines with other characters are cut after spaces and tabs: the
        /// segments are still those of UAX #29 over the whole text.
        #[test]
        fn segments_of_mixed_lines_are_the_unicode_boundaries(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Bc", "42", " ", "  ", "\t", "\n", ".", ",", "'", "_", "-", "\u{2013}", "\u{2019}", "\u{e9}",
                    "\u{301}", "\u{200d}", "\u{200b}", "\u{1f1ec}", "\u{1f600}", "\u{a0}", "\u{3000}", "\u{fe0f}",
                    "\u{5d0}", "\u{3042}", "\u{b7}", "\r\n",
                ]),
                0..40,
            )
        ) {
            let text = parts.concat();
            let mut fast = Vec::new();
            for_each_segment(&text, |o, s| fast.push((o, s)));
            proptest::prop_assert_eq!(fast, text.split_word_bound_indices().collect::<Vec<_>>());
        }
    }

    #[test]
    fn punctuation_fast_path_gives_the_unicode_boundaries() {
        let known = ['\u{2018}', '\u{2019}', '£', '€', '–', '—', '“', '”', '•', '↔', '→', '✓'];
        let mut checked = 0;
        let (mut split, mut checked_split) = (0, 0);
        let mut check = |line: &str| {
            let want = line.split_word_bound_indices().collect::<Vec<_>>();
            let mut fast = Vec::new();
            if known_segments(line, |o, s| fast.push((o, s))) {
                assert_eq!(fast, want, "{line:?}");
                checked += 1;
            }
            fast.clear();
            if split_at_others(line, |o, s| fast.push((o, s))) {
                assert_eq!(fast, want, "{line:?}");
                checked_split += 1;
            }
            split += usize::from(line.contains(['–', '•']) && !line.contains(['\u{2018}', '\u{2019}']));
        };
        for c in known {
            for ctx in ["a{}b", "1{}2", "a{}1", " {} ", "{}a", "a{}", "{}{}", "a.{}b", "1,{}2", "a{}'b", "\r\n{}"] {
                check(&ctx.replace("{}", &c.to_string()));
            }
        }
        for text in crate::testing::sample_texts() {
            text.split_inclusive('\n').filter(|l| !l.is_ascii()).for_each(&mut check);
        }
        assert!(checked > 500, "{checked}");
        assert!(checked_split >= split && split > 100, "{checked_split} {split}");
        // Anything else takes the general path; curly apostrophes, which join words, the known one.
        assert!(!known_segments("café", |_, _| {}));
        assert!(!split_at_others("café", |_, _| {}));
        assert!(!split_at_others("council\u{2019}s", |_, _| {}));
    }

    #[test]
    fn line_starts_agree_with_counting_every_segment_on_the_seeds() {
        for text in crate::testing::sample_texts() {
            let mut want = Vec::new();
            let mut position = 0;
            for line in text.split('\n') {
                want.push(position);
                let mut n = 0;
                for (_, s) in line.split_word_bound_indices() {
                    n += u32::from(is_word(s));
                }
                position += n;
            }
            assert_eq!(line_start_positions(&text), want);
        }
        assert_eq!(line_start_positions("_ __ _a a_ x\n"), vec![0, 3]);
        for line in ["a.b.c 1.2,3 _a __ a_b x:y 1:2 a'b 1'2 a.1 1.a a..b e.g. 3.5,000 'q' x__y _1_ :a a: .5", "", "."] {
            let mut n = 0;
            ascii_segments(line, |_, s| n += usize::from(is_word(s)));
            assert_eq!(ascii_word_count(line), n, "{line:?}");
        }
        for line in [
            "a\u{2019}b 1\u{2019}2 _\u{2019}a \u{2018}x\u{2019} \u{00A3}5,000 \u{2013} \u{2022} 3\u{20AC}",
            "caf\u{e9} _\u{e9}",
        ] {
            let n = line.split_word_bound_indices().filter(|(_, s)| is_word(s)).count() as u32;
            assert_eq!(line_start_positions(line), vec![0], "{line:?}");
            assert_eq!(line_start_positions(&format!("{line}\nx")), vec![0, n], "{line:?}");
        }
    }

    proptest::proptest! {
        /// Any mix of words, joining punctuation, spaces and line breaks
        /// (the bytes the eight-byte path stops at) counts as segmenting does.
        #[test]
        fn line_starts_agree_with_segmenting_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Bc", "de1", "42", " ", "  ", "\n", ".", ",", ";", ":", "'", "_", "-", "(", "\u{2019}", "\u{e9}", "\r\n", "\u{b}", "\u{c}",
                ]),
                0..60,
            )
        ) {
            let text = parts.concat();
            let mut want = Vec::new();
            let mut position = 0;
            for line in text.split('\n') {
                want.push(position);
                position += line.split_word_bound_indices().filter(|(_, s)| is_word(s)).count() as u32;
            }
            proptest::prop_assert_eq!(line_start_positions(&text), want);
        }
    }

    #[test]
    fn line_starts_count_positions_per_line() {
        assert_eq!(line_start_positions("a b\n\nc FP/1/2/3\nd"), vec![0, 2, 2, 7]);
    }
}
