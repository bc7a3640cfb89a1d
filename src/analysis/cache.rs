//! The English analyzer's speed: the analysed form of each distinct word is
//! computed once per analyzer and then looked up, short words by a packed key
//! in a direct-mapped front cache and a hash table behind it, so a token costs
//! one lookup and no allocation. The terms are exactly those of the plain
//! chain of filters (tested on the seeds).

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::words::{for_each_piece, word_text, Piece, Span};

/// Distinct words remembered per analyzer instance before the memory is reset.
const WORD_CACHE_LIMIT: usize = 100_000;

/// A fast hash for short words (the FxHash mix): the cache is bounded, so a
/// crafted text can slow it down only so far.
#[derive(Clone, Copy, Default)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u128(&mut self, i: u128) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        self.0 = (self.0.rotate_left(5) ^ (i as u64)).wrapping_mul(K);
        self.0 = (self.0.rotate_left(5) ^ ((i >> 64) as u64)).wrapping_mul(K);
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type WordCache = std::collections::HashMap<Box<str>, TermRef, std::hash::BuildHasherDefault<WordHasher>>;

/// Words of up to 16 bytes (nearly all), packed into their key: looked up
/// without a string comparison. Words never hold a NUL byte, so the zero
/// padding is unambiguous.
type ShortWordCache = std::collections::HashMap<u128, TermRef, std::hash::BuildHasherDefault<WordHasher>>;

/// Slots of the direct-mapped front cache (a power of two): 256 KB, held in
/// a core's L2 cache, where the large table's misses go to memory.
const RECENT_SLOTS: usize = 8192;

/// The front-cache slot of a short word's key.
fn recent_slot(key: u128) -> usize {
    let mixed = ((key as u64) ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
}

/// `word` packed into a [`ShortWordCache`] key, if it is short enough.
fn short_key(word: &str) -> Option<u128> {
    // Read with (overlapping) whole-word loads rather than copied into a
    // buffer byte by byte: the overlapping bytes are equal, so OR joins them.
    let b = word.as_bytes();
    let n = b.len();
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let u64_at =
        |i: usize| u64::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]]);
    let key = match n {
        0..=3 => b.iter().enumerate().fold(0u128, |k, (i, &x)| k | u128::from(x) << (8 * i)),
        4..=8 => u128::from(u64::from(u32_at(0)) | u64::from(u32_at(n - 4)) << (8 * (n - 4))),
        9..=16 => u128::from(u64_at(0)) | u128::from(u64_at(n - 8)) << (8 * (n - 8)),
        _ => return None,
    };
    Some(key)
}

/// [`short_key`] of `word`, which starts at `from` in `text`: read with one or
/// two whole loads from the text around it and masked to its length, where
/// the text has the bytes to read (all but its last few).
fn short_key_at(text: &[u8], from: usize, word: &str) -> Option<u128> {
    let u64_at = |i: usize| text.get(i..i + 8).map(|e| u64::from_le_bytes(e.try_into().unwrap_or_default()));
    // The low `n` bytes of a u64 (`n` in 1..=8).
    let low = |n: usize| u64::MAX >> (64 - 8 * n);
    let n = word.len();
    let loaded = match n {
        1..=8 => u64_at(from).map(|w| u128::from(w & low(n))),
        9..=16 => u64_at(from).zip(u64_at(from + 8)).map(|(a, b)| u128::from(a) | u128::from(b & low(n - 8)) << 64),
        _ => None,
    };
    loaded.or_else(|| short_key(word))
}

/// Where a term's text is in [`Terms`]: its start, shifted up 32 bits, and
/// its length. Tokens carry this rather than a term number, so handing one
/// out reads the term's text without first reading where it is.
type TermRef = u64;

/// Marks a word the filters drop, in place of a [`TermRef`].
const DROPPED: TermRef = u64::MAX;

/// [`CouncilTokenizer`] followed by per-word filters, with the filtered form of
/// every word remembered. Equivalent to `TextAnalyzer::builder(CouncilTokenizer).filter(..)..`
/// for filters that map each token independently of the others, which tantivy's do.
///
/// A text is analysed without an allocation per token: words are looked up in
/// the cache as written (the spelling normalisation of `word_text` and the
/// filters run once per distinct word), each token keeps only its span and the
/// index of its term, and the stream hands out one reused [`Token`].
#[derive(Clone)]
pub(super) struct CachedCouncilTokenizer {
    filters: TextAnalyzer,
    /// Word as written -> its term in `terms` (or [`DROPPED`]): short words, long words.
    short: ShortWordCache,
    /// A small direct-mapped copy of `short` in front of it: the most frequent
    /// words are found there without probing the large table.
    recent: Box<[(u128, TermRef)]>,
    words: WordCache,
    /// Joined form (already normalised) -> its term in `terms` (or [`DROPPED`]).
    joined: WordCache,
    /// The distinct terms met since the caches were last reset.
    terms: Terms,
    /// The tokens of the current text, with their terms ([`DROPPED`] for a
    /// word the filters drop).
    spans: Vec<(Span, TermRef)>,
    /// Short words of the current text not yet looked up: where in `spans`, and their key.
    pending: Vec<(u32, u128)>,
    token: Token,
}

impl CachedCouncilTokenizer {
    /// Words found by the council tokenizer, analysed by `filters` (a word in,
    /// at most one term out).
    pub(super) fn new(filters: TextAnalyzer) -> Self {
        CachedCouncilTokenizer {
            filters,
            short: ShortWordCache::default(),
            recent: vec![(0, DROPPED); RECENT_SLOTS].into_boxed_slice(),
            words: WordCache::default(),
            joined: WordCache::default(),
            terms: Terms::default(),
            spans: Vec::new(),
            pending: Vec::new(),
            token: Token::default(),
        }
    }
}

/// Distinct terms, their text kept together (read for every token, so close
/// in memory rather than one allocation each).
#[derive(Clone, Default)]
struct Terms {
    text: String,
    /// How many terms `text` holds.
    count: usize,
}

impl Terms {
    fn len(&self) -> usize {
        self.count
    }

    fn clear(&mut self) {
        self.text.clear();
        self.count = 0;
    }

    fn push(&mut self, term: &str) -> TermRef {
        let start = self.text.len() as u64;
        self.text.push_str(term);
        self.count += 1;
        start << 32 | term.len() as u64
    }

    fn get(&self, term: TermRef) -> &str {
        let start = (term >> 32) as usize;
        &self.text[start..start + (term & u64::from(u32::MAX)) as usize]
    }
}

/// The filtered form of `word`, added to `terms`, or [`DROPPED`].
fn filter_into(filters: &mut TextAnalyzer, terms: &mut Terms, word: &str) -> TermRef {
    let mut stream = filters.token_stream(word);
    match stream.next() {
        Some(t) => terms.push(&t.text),
        None => DROPPED,
    }
}

impl Tokenizer for CachedCouncilTokenizer {
    type TokenStream<'a> = CachedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CachedTokenStream<'a> {
        if self.terms.len() >= WORD_CACHE_LIMIT {
            self.short.clear();
            self.recent.fill((0, DROPPED));
            self.words.clear();
            self.joined.clear();
            self.terms.clear();
        }
        let CachedCouncilTokenizer { filters, short, recent, words, joined, terms, spans, pending, token } = self;
        spans.clear();
        pending.clear();
        // Words are found first and looked up after, in separate passes: the
        // lookups of one pass do not wait on each other, so their cache
        // misses overlap instead of queueing behind the segmenting.
        for_each_piece(text, |span, piece| {
            let term = match piece {
                Piece::Word(w) => match short_key_at(text.as_bytes(), span.from, w) {
                    Some(key) => {
                        pending.push((spans.len() as u32, key));
                        DROPPED
                    }
                    None => match words.get(w) {
                        Some(&t) => t,
                        None => {
                            let t = filter_into(filters, terms, &word_text(w));
                            words.insert(w.into(), t);
                            t
                        }
                    },
                },
                Piece::Joined(j) => match joined.get(j) {
                    Some(&t) => t,
                    None => {
                        let t = filter_into(filters, terms, j);
                        joined.insert(j.into(), t);
                        t
                    }
                },
            };
            spans.push((span, term));
        });
        // The front cache first; what it misses is kept in `pending`, in order.
        let mut missed = 0;
        for k in 0..pending.len() {
            let (at, key) = pending[k];
            // Key 0 (the empty word) never occurs, so empty slots never match.
            let slot = recent[recent_slot(key)];
            if slot.0 == key {
                spans[at as usize].1 = slot.1;
            } else {
                pending[missed] = (at, key);
                missed += 1;
            }
        }
        for &(at, key) in &pending[..missed] {
            let span = &mut spans[at as usize];
            let (from, to) = (span.0.from, span.0.to);
            let t = *short.entry(key).or_insert_with(|| filter_into(filters, terms, &word_text(&text[from..to])));
            span.1 = t;
            recent[recent_slot(key)] = (key, t);
        }
        CachedTokenStream { spans, terms, token, next: 0 }
    }
}

/// The tokens of one text for [`CachedCouncilTokenizer`], handed out one at a time.
pub struct CachedTokenStream<'a> {
    spans: &'a [(Span, TermRef)],
    terms: &'a Terms,
    token: &'a mut Token,
    next: usize,
}

impl TokenStream for CachedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let (span, term) = loop {
            let Some(&(span, term)) = self.spans.get(self.next) else { return false };
            self.next += 1;
            if term != DROPPED {
                break (span, term);
            }
        };
        let t = &mut *self.token;
        t.offset_from = span.from;
        t.offset_to = span.to;
        t.position = span.position;
        t.position_length = span.length;
        t.text.clear();
        t.text.push_str(self.terms.get(term));
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter};

    use super::*;
    use crate::analysis::{text_analyzer, CouncilTokenizer};

    #[test]
    fn cached_analyzer_gives_the_terms_of_the_plain_chain_on_the_seeds() {
        let mut plain = TextAnalyzer::builder(CouncilTokenizer)
            .filter(RemoveLongFilter::limit(64))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(StopWordFilter::new(Language::English).unwrap())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached = text_analyzer();
        let all = |a: &mut TextAnalyzer, text: &str| {
            let mut out = Vec::new();
            let mut stream = a.token_stream(text);
            while let Some(t) = stream.next() {
                out.push((t.offset_from, t.offset_to, t.position, t.position_length, t.text.clone()));
            }
            out
        };
        let mut tokens = 0;
        for text in crate::testing::sample_texts() {
            // Twice: the second pass is served from the cache.
            for _ in 0..2 {
                let want = all(&mut plain, &text);
                assert_eq!(all(&mut cached, &text), want);
                tokens += want.len();
            }
        }
        assert!(tokens > 10_000, "{tokens}");
        let tricky = "The THE a Café naïve Nurses immunize self-harm FP/17/09/14 x__y e.g. 3.5,000 \u{2019}s \
                      safe\u{00AD}guarding supercalifragilisticexpialidocioussupercalifragilisticexpialidociouslong";
        assert_eq!(all(&mut cached, tricky), all(&mut plain, tricky));
        assert_eq!(all(&mut cached, tricky), all(&mut plain, tricky));
    }

    #[test]
    fn short_keys_are_the_zero_padded_bytes() {
        for w in ["", "a", "ab", "abc", "abcd", "abcde", "council", "councils", "wellbeing", "safeguarding1234", "café"]
        {
            let mut padded = [0u8; 16];
            padded[..w.len()].copy_from_slice(w.as_bytes());
            assert_eq!(short_key(w), Some(u128::from_le_bytes(padded)), "{w}");
        }
        assert_eq!(short_key("safeguarding12345"), None);
        // Read in place from a text, every word (near the end too) gets the same key.
        for text in crate::testing::sample_texts() {
            for_each_piece(&text, |span, piece| {
                if let Piece::Word(w) = piece {
                    assert_eq!(short_key_at(text.as_bytes(), span.from, w), short_key(w), "{w}");
                }
            });
        }
        assert_eq!(short_key_at(b"the council", 4, "council"), short_key("council"));
    }
}
