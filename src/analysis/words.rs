//! What a word is for council papers: UAX #29 words, plus the joined forms of
//! references (`FP/17/09/14`) and hyphenated compounds (`self-harm`) at the
//! position of their first part, with curly apostrophes straightened,
//! invisible characters dropped and spelling variants made British.
//!
//! The rules are here; how fast the boundaries are found is
//! [`super::segments`]'s business.

use tantivy::tokenizer::Token;

use super::segments::{alnum_segment_end, ascii_segment_end, for_each_region, is_break, wb, Region, Wb};
use crate::lexicon;

/// True for a UAX #29 segment that is a word (has a letter or digit).
pub(super) fn is_word(seg: &str) -> bool {
    let b = seg.as_bytes();
    match b.first().map(|&c| (c, wb(c))) {
        // Most segments that are words start with a letter or digit.
        Some((_, Wb::Letter | Wb::Digit)) => true,
        // Most others are one ASCII character, or a run of spaces.
        Some((c, class)) if c.is_ascii() && class != Wb::Underscore && (b.len() == 1 || seg.is_ascii()) => false,
        // An ASCII segment starting with `_`, or one with other characters.
        Some(_) if seg.is_ascii() => b.iter().any(u8::is_ascii_alphanumeric),
        _ => seg.chars().any(char::is_alphanumeric),
    }
}

/// A joiner between two words that makes them one compound or reference.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Joiner {
    Slash,
    Hyphen,
}

fn joiner(seg: &str) -> Option<Joiner> {
    match seg {
        "/" => Some(Joiner::Slash),
        "-" | "\u{2010}" | "\u{2011}" => Some(Joiner::Hyphen),
        _ => None,
    }
}

/// Where a token is: byte range, position and how many positions it covers.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    /// Byte offset where the token starts.
    pub from: usize,
    /// Byte offset where the token ends.
    pub to: usize,
    /// Word position of the token (of its first part, for a joined form).
    pub position: usize,
    /// Positions covered: 1 for a word, the number of parts for a joined form.
    pub length: usize,
}

/// The text of a token from [`for_each_piece`].
pub enum Piece<'t> {
    /// A word as written; its term text is `word_text` of it.
    Word(&'t str),
    /// A joined reference or compound, already normalised.
    Joined(&'t str),
}

/// Calls `emit` for every token of `text`, in order: words with consecutive
/// positions, and joined forms at the position of their first part.
pub fn for_each_word(text: &str, mut emit: impl FnMut(Token)) {
    for_each_piece(text, |s, piece| {
        let text = match piece {
            Piece::Word(w) => word_text(w),
            Piece::Joined(j) => j.to_string(),
        };
        emit(Token { offset_from: s.from, offset_to: s.to, position: s.position, text, position_length: s.length });
    });
}

/// As [`for_each_word`], without normalising or copying the words: each token
/// comes as its span and the word as written (or the joined form).
pub fn for_each_piece(text: &str, mut emit: impl FnMut(Span, Piece<'_>)) {
    let mut pieces = Pieces::new(text);
    for_each_region(text, |region| match region {
        Region::Ascii(from, to) => pieces.ascii(from, to, &mut emit),
        Region::Segment(offset, seg) => pieces.segment(offset, seg, &mut emit),
    });
    pieces.finish(&mut emit);
}

/// A run: words separated by single joiners of one kind, with no spaces.
struct Run {
    kind: Option<Joiner>,
    start: usize,
    end: usize,
    position: usize,
}

/// The state of [`for_each_piece`] between segments.
struct Pieces<'t> {
    text: &'t str,
    /// Position of the next word.
    position: usize,
    run: Option<Run>,
    /// The run's parts (byte ranges), kept from its second word on.
    parts: Vec<(usize, usize)>,
    /// Scratch the joined form is built in.
    joined: String,
    /// Where the last word ended, and the joiner (with its end) directly after it.
    word_end: usize,
    joined_by: Option<(Joiner, usize)>,
}

impl<'t> Pieces<'t> {
    fn new(text: &'t str) -> Self {
        Pieces {
            text,
            position: 0,
            run: None,
            parts: Vec::new(),
            joined: String::new(),
            word_end: usize::MAX,
            joined_by: None,
        }
    }

    /// Ends the run, emitting its joined form if it has one.
    fn flush(&mut self, emit: &mut dyn FnMut(Span, Piece<'_>)) {
        let text = self.text;
        if let Some(r) = self.run.take() {
            let parts = &self.parts;
            let n = parts.len();
            // Whether the parts have digits and letters, only for runs of two or more.
            let has = |test: fn(char) -> bool| parts.iter().any(|&(from, to)| text[from..to].chars().any(test));
            let keep = match r.kind {
                // A reference: three or more parts (FP/17/09/14), or letters with digits (FP17/09).
                Some(Joiner::Slash) => {
                    n >= 3 || (n >= 2 && has(char::is_alphabetic) && has(|c: char| c.is_ascii_digit()))
                }
                // A compound: self-harm, well-being, co-operate.
                Some(Joiner::Hyphen) => n >= 2 && has(char::is_alphabetic),
                None => false,
            };
            if keep {
                self.joined.clear();
                for (k, &(from, to)) in parts.iter().enumerate() {
                    if k > 0 && r.kind == Some(Joiner::Slash) {
                        self.joined.push('/');
                    }
                    self.joined.push_str(&word_text(&text[from..to]));
                }
                let span = Span { from: r.start, to: r.end, position: r.position, length: n };
                emit(span, Piece::Joined(&self.joined));
            }
        }
        self.parts.clear();
    }

    /// Ends the run; a run of one word has no joined form, so ending it is
    /// all there is to do, without the call (most runs).
    fn end_run(&mut self, emit: &mut impl FnMut(Span, Piece<'_>)) {
        if self.run.as_ref().is_some_and(|r| r.kind.is_some()) {
            self.flush(emit);
        } else {
            self.run = None;
            self.parts.clear();
        }
    }

    /// A segment that is neither a word nor a joiner: ends the run.
    fn gap(&mut self, emit: &mut impl FnMut(Span, Piece<'_>)) {
        self.joined_by = None;
        self.word_end = usize::MAX;
        self.end_run(emit);
    }

    /// Takes the next UAX #29 segment, at `offset`.
    fn segment(&mut self, offset: usize, seg: &'t str, emit: &mut impl FnMut(Span, Piece<'_>)) {
        let end = offset + seg.len();
        // Spaces (every other segment of prose) neither are words nor join them.
        if seg.as_bytes()[0] == b' ' && seg.is_ascii() {
            self.gap(emit);
            return;
        }
        // A segment starting with a letter or digit is a word (most of them).
        if !seg.as_bytes()[0].is_ascii_alphanumeric() && !is_word(seg) {
            match joiner(seg) {
                Some(j) if offset == self.word_end && self.joined_by.is_none() => self.joined_by = Some((j, end)),
                _ => self.gap(emit),
            }
            return;
        }
        let extend = match (self.run.as_mut(), self.joined_by) {
            (Some(r), Some((j, at))) if at == offset && r.kind.is_none_or(|k| k == j) => Some((r, j)),
            _ => None,
        };
        match extend {
            Some((r, j)) => {
                // The parts are kept from the second on (most runs are one word).
                if self.parts.is_empty() {
                    self.parts.push((r.start, r.end));
                }
                r.kind = Some(j);
                r.end = end;
                self.parts.push((offset, end));
            }
            None => {
                self.end_run(emit);
                self.run = Some(Run { kind: None, start: offset, end, position: self.position });
            }
        }
        emit(Span { from: offset, to: end, position: self.position, length: 1 }, Piece::Word(seg));
        self.position += 1;
        self.word_end = end;
        self.joined_by = None;
    }

    /// Takes the ASCII text `from..to`, which starts and ends at segment
    /// boundaries. Breaks, and a word of letters and digits that no joiner
    /// comes before (most words of prose), are taken straight away; the rest
    /// goes segment by segment.
    fn ascii(&mut self, from: usize, to: usize, emit: &mut impl FnMut(Span, Piece<'_>)) {
        let text = self.text;
        let b = &text.as_bytes()[..to];
        let mut i = from;
        while i < to {
            let c = b[i];
            if is_break(c) {
                self.gap(emit);
                i += 1;
                while i < to && is_break(b[i]) {
                    i += 1;
                }
                continue;
            }
            if c.is_ascii_alphanumeric() && self.joined_by.is_none() {
                if let Some(j) = alnum_segment_end(b, i) {
                    self.end_run(emit);
                    emit(Span { from: i, to: j, position: self.position, length: 1 }, Piece::Word(&text[i..j]));
                    self.position += 1;
                    self.word_end = j;
                    self.run = Some(Run { kind: None, start: i, end: j, position: self.position - 1 });
                    i = j;
                    continue;
                }
            }
            let j = ascii_segment_end(b, i);
            self.segment(i, &text[i..j], emit);
            i = j;
        }
    }

    fn finish(mut self, emit: &mut impl FnMut(Span, Piece<'_>)) {
        self.flush(emit);
    }
}

/// Characters that are invisible formatting rather than text: removed from words.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Normalises one word's text: curly apostrophes straightened, invisible
/// characters dropped.
pub(super) fn word_text(w: &str) -> String {
    if w.is_ascii() {
        // No curly apostrophes or invisible characters to replace.
        if w.len() >= 4 {
            let mut buf = [0u8; 64];
            let british = match buf.get_mut(..w.len()) {
                Some(lower) => {
                    lower.copy_from_slice(w.as_bytes());
                    lower.make_ascii_lowercase();
                    lexicon::british_spelling(std::str::from_utf8(lower).unwrap_or_default())
                }
                None => lexicon::british_spelling(&w.to_ascii_lowercase()),
            };
            if let Some(b) = british {
                return b;
            }
        }
        return w.to_string();
    }
    let text: String = w
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') { '\'' } else { c })
        .collect();
    // Spelling variants become the British form (immunize -> immunise).
    if text.len() >= 4 && text.is_ascii() {
        if let Some(b) = lexicon::british_spelling(&text.to_ascii_lowercase()) {
            return b;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::segments::for_each_segment;
    use super::*;

    proptest::proptest! {
        /// Any such text gives the same tokens whether its ASCII words are
        /// taken whole or segment by segment.
        #[test]
        fn ascii_words_taken_whole_are_the_segment_tokens(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Bc", "de1", "42", " ", "  ", "\n", "\t", ".", ",", ";", ":", "'", "_", "-", "/", "(", "\u{2013}",
                    "\u{2019}", "\u{e9}", "\r\n", "\u{b}", "\u{c}",
                ]),
                0..60,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(pieces(&text), pieces_by_segment(&text));
        }
    }

    /// The tokens of `text` taken segment by segment, without the ASCII shortcut.
    fn pieces_by_segment(text: &str) -> Vec<(usize, usize, usize, usize, String)> {
        let mut out = Vec::new();
        let mut emit = |s: Span, p: Piece<'_>| {
            let t = match p {
                Piece::Word(w) => w.to_string(),
                Piece::Joined(j) => format!("joined:{j}"),
            };
            out.push((s.from, s.to, s.position, s.length, t));
        };
        let mut pieces = Pieces::new(text);
        for_each_segment(text, |o, seg| pieces.segment(o, seg, &mut emit));
        pieces.finish(&mut emit);
        out
    }

    fn pieces(text: &str) -> Vec<(usize, usize, usize, usize, String)> {
        let mut out = Vec::new();
        for_each_piece(text, |s, p| {
            let t = match p {
                Piece::Word(w) => w.to_string(),
                Piece::Joined(j) => format!("joined:{j}"),
            };
            out.push((s.from, s.to, s.position, s.length, t));
        });
        out
    }

    #[test]
    fn ascii_words_taken_whole_are_the_segment_tokens_on_the_seeds() {
        let mut joined = 0;
        for text in crate::testing::sample_texts() {
            let want = pieces_by_segment(&text);
            joined += want.iter().filter(|t| t.4.starts_with("joined:")).count();
            assert_eq!(pieces(&text), want);
        }
        assert!(joined > 100, "{joined}");
        for tricky in [
            "FP/17/09/14 self-harm",
            "a-b-c/d 1,000.5 e.g. don't x_y _z",
            "end-",
            "-a",
            "a/",
            "word\u{2013}next a-",
            "",
        ] {
            assert_eq!(pieces(tricky), pieces_by_segment(tricky), "{tricky:?}");
        }
    }
}
