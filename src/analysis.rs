//! Text analysis: how council text becomes index terms.
//!
//! Words are found at Unicode word boundaries (UAX #29, `unicode-segmentation`),
//! then lower-cased, accent-folded, stop-worded and stemmed (English). On top of
//! plain words the [`CouncilTokenizer`] emits, at the same position:
//!
//! - a council reference such as `FP/17/09/14` as one term (`fp/17/09/14`), so
//!   it is findable as a whole and `FP/17/09/15` does not match it;
//! - a hyphenated compound such as `self-harm` joined (`selfharm`), beside its
//!   parts, so `wellbeing`, `well-being` and `well being` find each other.
//!
//! The same analyzer runs at index and query time. This module does not decide
//! which fields use it; `schema` does.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenStream, Tokenizer, TokenizerManager,
};
use unicode_segmentation::UnicodeSegmentation;

use crate::lexicon;

/// Name of the English analyzer used for titles and body text.
pub const TEXT_ANALYZER: &str = "council_en";
/// Name of the analyzer for names (council, committee, people): words, lower-cased and folded, no stemming.
pub const NAME_ANALYZER: &str = "council_name";
/// Version of the analysis settings; stored in the index so a change forces a rebuild.
pub const ANALYSIS_VERSION: u32 = 2;

/// Characters that are invisible formatting rather than text: removed from words.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Registers the project's analyzers on a tokenizer manager (call on every open:
/// tantivy does not persist tokenizers).
pub fn register(manager: &TokenizerManager) {
    manager.register(TEXT_ANALYZER, text_analyzer());
    manager.register(NAME_ANALYZER, name_analyzer());
}

/// The English analyzer: council words, long-token removal, lower-case, ASCII
/// folding, English stop words, English stemming.
///
/// The filters act on one token at a time, so the analysed form of each
/// distinct word is computed once per analyzer instance and then reused
/// ([`CachedCouncilTokenizer`]); the terms are exactly those of the plain chain.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(CachedCouncilTokenizer::new(english_word_filters(), false))
}

/// [`text_analyzer`] for the index writer: the same terms, and the line starts
/// of each text of several lines it analyses kept for
/// [`take_recorded_line_starts`] (registered on the index only while it is
/// written, so searches and snippets never pay for them).
pub fn indexing_text_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(CachedCouncilTokenizer::new(english_word_filters(), true))
}

/// The English filters applied to one word at a time (a word in, at most one term out).
fn english_word_filters() -> TextAnalyzer {
    TextAnalyzer::builder(WholeText)
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::English).expect("tantivy ships an English stop list"))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// A tokenizer that makes the whole text one token (feeds one word to per-token filters).
#[derive(Clone, Copy, Debug, Default)]
struct WholeText;

/// The single token of [`WholeText`].
struct WholeTextStream {
    token: Token,
    done: bool,
}

impl Tokenizer for WholeText {
    type TokenStream<'a> = WholeTextStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WholeTextStream {
        let token =
            Token { offset_from: 0, offset_to: text.len(), position: 0, text: text.to_string(), position_length: 1 };
        WholeTextStream { token, done: false }
    }
}

impl TokenStream for WholeTextStream {
    fn advance(&mut self) -> bool {
        let first = !self.done;
        self.done = true;
        first
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

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
pub struct CachedCouncilTokenizer {
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
    /// Whether to keep each text's line starts ([`indexing_text_analyzer`]).
    record_lines: bool,
}

impl CachedCouncilTokenizer {
    fn new(filters: TextAnalyzer, record_lines: bool) -> Self {
        CachedCouncilTokenizer {
            filters,
            record_lines,
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
        let CachedCouncilTokenizer {
            filters,
            short,
            recent,
            words,
            joined,
            terms,
            spans,
            pending,
            token,
            record_lines,
        } = self;
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
        if *record_lines {
            record_line_starts(text, spans);
        }
        CachedTokenStream { spans, terms, token, next: 0 }
    }
}

/// The line starts ([`line_start_positions`]) of the last text of several
/// lines a [`CachedCouncilTokenizer`] analysed on this thread, and where that
/// text lies in memory.
struct RecordedLines {
    at: usize,
    len: usize,
    starts: Vec<u32>,
}

thread_local! {
    static RECORDED_LINES: std::cell::RefCell<Option<RecordedLines>> = const { std::cell::RefCell::new(None) };
}

/// Keeps the line starts of `text` from its tokens, for
/// [`take_recorded_line_starts`]: counting the words before each line break
/// costs little once the words are found, where [`line_start_positions`]
/// finds them all again. A text of one line clears the record: only the
/// last text analysed can be taken.
fn record_line_starts(text: &str, spans: &[(Span, TermRef)]) {
    let b = text.as_bytes();
    if memchr::memchr(b'\n', b).is_none() {
        RECORDED_LINES.with(|r| r.borrow_mut().take());
        return;
    }
    // Words (not joined forms, which repeat their parts' positions), in order.
    let mut words = spans.iter().filter(|(s, _)| s.length == 1).map(|(s, _)| s.from).peekable();
    let mut starts = vec![0];
    let mut count = 0u32;
    for n in memchr::memchr_iter(b'\n', b) {
        while words.next_if(|&from| from < n).is_some() {
            count += 1;
        }
        starts.push(count);
    }
    let recorded = RecordedLines { at: b.as_ptr() as usize, len: b.len(), starts };
    RECORDED_LINES.with(|r| *r.borrow_mut() = Some(recorded));
}

/// [`line_start_positions`] of `text`, if the indexing text analyzer
/// ([`indexing_text_analyzer`]) last analysed this very text (the same bytes
/// in memory) on this thread, from the words it found. The record is taken, so a later text that happens to lie
/// at the same address is never given it.
pub fn take_recorded_line_starts(text: &str) -> Option<Vec<u32>> {
    let recorded = RECORDED_LINES.with(|r| r.borrow_mut().take())?;
    (recorded.at == text.as_ptr() as usize && recorded.len == text.len()).then_some(recorded.starts)
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

/// The name analyzer: council words, lower-case, ASCII folding.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CouncilTokenizer)
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Splits text into words at Unicode word boundaries, adding joined forms of
/// references and hyphenated compounds (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct CouncilTokenizer;

/// The tokens of one text, produced eagerly.
pub struct CouncilTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for CouncilTokenizer {
    type TokenStream<'a> = CouncilTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CouncilTokenStream {
        let mut tokens = Vec::new();
        for_each_word(text, |w| tokens.push(w));
        CouncilTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for CouncilTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Normalises one word's text: curly apostrophes straightened, invisible
/// characters dropped.
fn word_text(w: &str) -> String {
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

/// True for a UAX #29 segment that is a word (has a letter or digit).
fn is_word(seg: &str) -> bool {
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

/// ASCII bytes that are segments of their own (or runs of spaces), never
/// words and never joining them: spaces, tabs and line breaks.
fn is_break(b: u8) -> bool {
    const BREAKS: u64 = 1 << b' ' | 1 << b'\t' | 1 << b'\n' | 1 << b'\r' | 1 << 0x0B | 1 << 0x0C;
    b < 64 && BREAKS & (1 << b) != 0
}

/// What [`for_each_region`] hands out: a stretch of ASCII text, or one
/// segment of a line with other characters.
enum Region<'a> {
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
fn for_each_segment<'a>(text: &'a str, mut emit: impl FnMut(usize, &'a str)) {
    for_each_region(text, |region| match region {
        Region::Ascii(from, to) => ascii_segments(&text[from..to], |o, s| emit(from + o, s)),
        Region::Segment(offset, seg) => emit(offset, seg),
    });
}

/// [`for_each_segment`] with the ASCII stretches (whole lines, the ASCII
/// pieces of other lines, and the ASCII between common punctuation) handed out
/// unsplit.
fn for_each_region<'a>(text: &'a str, mut emit: impl FnMut(Region<'a>)) {
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

/// The length of the leading run of ASCII bytes of `b`, checked 16 bytes at a time.
pub(crate) fn ascii_prefix_len(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 16) {
        let word = u128::from_le_bytes(chunk.try_into().unwrap_or([0x80; 16]));
        if word & 0x8080_8080_8080_8080_8080_8080_8080_8080 != 0 {
            break;
        }
        i += 16;
    }
    i + b[i..].iter().take_while(|b| b.is_ascii()).count()
}

/// The character classes of UAX #29 that ASCII text can have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
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

fn wb(b: u8) -> Wb {
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
fn ascii_segment_end(b: &[u8], i: usize) -> usize {
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
fn alnum_segment_end(b: &[u8], i: usize) -> Option<usize> {
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

const ONE_BITS: u64 = u64::from_le_bytes([1; 8]);
const HIGH_BITS: u64 = ONE_BITS << 7;

/// The high bit of each of the eight bytes of `w` that lies in `lo..=hi`
/// (both ASCII).
pub(crate) fn bytes_in_range(w: u64, lo: u8, hi: u8) -> u64 {
    // Tested on the low seven bits, where adding never carries into the next
    // byte; bytes with the high bit set (not ASCII) are never in range.
    let x = w & !HIGH_BITS;
    (x + ONE_BITS * u64::from(0x80 - lo)) & !(x + ONE_BITS * u64::from(0x7f - hi)) & !w & HIGH_BITS
}

/// The high bit of each of the eight bytes of `w` that is an ASCII letter or digit.
pub(crate) fn ascii_alnum_bytes(w: u64) -> u64 {
    // Setting bit 5 lower-cases letters; no other byte becomes one.
    bytes_in_range(w | (ONE_BITS * 0x20), b'a', b'z') | bytes_in_range(w, b'0', b'9')
}

/// One bit for each byte of a block of up to 64 bytes (bit `k` for byte
/// `k`; bytes past the block's end count as neither): ASCII letters and
/// digits, ASCII capitals, and bytes that are not ASCII.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ByteMasks {
    pub alnum: u64,
    pub upper: u64,
    pub high: u64,
}

impl ByteMasks {
    /// The masks of `block` (at most 64 bytes).
    pub(crate) fn of(block: &[u8]) -> Self {
        let mut padded = [0u8; 64];
        let n = block.len().min(64);
        let bytes: &[u8] = if n == 64 {
            &block[..64]
        } else {
            padded[..n].copy_from_slice(&block[..n]);
            &padded
        };
        let mut m = ByteMasks::default();
        for (k, eight) in bytes.chunks_exact(8).enumerate() {
            let w = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            let alnum = ascii_alnum_bytes(w);
            // Of letters and digits, only capitals have bit 5 clear.
            let upper = alnum & !(w << 2);
            m.alnum |= gather_high_bits(alnum) << (8 * k);
            m.upper |= gather_high_bits(upper) << (8 * k);
            m.high |= gather_high_bits(w & HIGH_BITS) << (8 * k);
        }
        m
    }
}

/// The high bits of the eight bytes of `x` (nothing else set) as eight bits, byte `k` to bit `k`.
fn gather_high_bits(x: u64) -> u64 {
    // Each byte's bit lands on its own bit of the top byte; no two partial products meet.
    ((x >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Where the run of ASCII letters and digits that continues at `i` ends:
/// eight bytes at a time.
pub(crate) fn alnum_run_end(b: &[u8], mut i: usize) -> usize {
    while let Some(eight) = b.get(i..i + 8) {
        let others = !ascii_alnum_bytes(u64::from_le_bytes(eight.try_into().unwrap_or_default())) & HIGH_BITS;
        if others != 0 {
            return i + others.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
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

/// Runs an analyzer over `text` and returns `(byte range, term)` for each token.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push((t.offset_from..t.offset_to, t.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(usize, String)> {
        let mut a = text_analyzer();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.position, t.text.clone()));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn words_are_lowercased_folded_and_stemmed() {
        assert_eq!(texts("Nurses RECRUITED from Overseas"), vec!["nurs", "recruit", "from", "oversea"]);
        assert_eq!(texts("Café naïve"), vec!["cafe", "naiv"]);
    }

    #[test]
    fn forward_plan_reference_is_one_term_beside_its_parts() {
        let t = terms("see FP/17/09/14 today");
        assert!(t.contains(&(1, "fp/17/09/14".to_string())), "{t:?}");
        assert!(t.contains(&(1, "fp".to_string())));
        assert!(t.contains(&(4, "14".to_string())));
        assert!(!texts("FP/17/09/15").contains(&"fp/17/09/14".to_string()));
        // A plain financial year is not a reference.
        assert!(!texts("2016/17").iter().any(|t| t.contains('/')));
    }

    #[test]
    fn hyphenated_compounds_are_joined_too() {
        let t = texts("self-harm and well-being");
        assert!(t.contains(&"selfharm".to_string()), "{t:?}");
        assert!(t.contains(&"self".to_string()));
        assert!(t.contains(&"harm".to_string()));
        assert_eq!(texts("wellbeing")[0], texts("well-being").into_iter().find(|t| t.starts_with("wellb")).unwrap());
        // A spaced dash is not a compound.
        assert!(!texts("health - care").contains(&"healthcar".to_string()));
    }

    #[test]
    fn spelling_variants_are_one_term() {
        assert_eq!(texts("immunize"), texts("immunise"));
        assert_eq!(texts("Nebulizers"), texts("nebulisers"));
        assert_eq!(texts("organization"), texts("organisation"));
        assert_eq!(texts("pediatric"), texts("paediatric"));
    }

    #[test]
    fn curly_apostrophes_and_invisible_characters_do_not_split_words() {
        assert_eq!(texts("Somerset\u{2019}s"), texts("Somerset's"));
        assert_eq!(texts("safe\u{00AD}guarding"), texts("safeguarding"));
    }

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

    #[test]
    fn byte_masks_mark_each_byte_by_its_class() {
        for start in (0..256).step_by(5) {
            for len in [0, 1, 7, 8, 9, 63, 64] {
                let block: Vec<u8> = (start..start + len).map(|b| (b % 256) as u8).collect();
                let m = ByteMasks::of(&block);
                let bits = |test: fn(&u8) -> bool| {
                    block.iter().enumerate().filter(|(_, b)| test(b)).fold(0u64, |m, (k, _)| m | 1 << k)
                };
                assert_eq!(m.alnum, bits(u8::is_ascii_alphanumeric), "{start} {len}");
                assert_eq!(m.upper, bits(u8::is_ascii_uppercase), "{start} {len}");
                assert_eq!(m.high, bits(|b| !b.is_ascii()), "{start} {len}");
            }
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

    /// The line starts the text analyzer records while analysing `text`.
    fn recorded_line_starts(text: &str) -> Option<Vec<u32>> {
        let mut analyzer = indexing_text_analyzer();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {}
        take_recorded_line_starts(text)
    }

    #[test]
    fn recorded_line_starts_are_for_that_text_only_and_taken_once() {
        let text = String::from("Minutes of the meeting\nheld on 5 May 2020\n\nPresent: all");
        // The analyzer for searches keeps nothing.
        text_analyzer().token_stream(&text).process(&mut |_| {});
        assert_eq!(take_recorded_line_starts(&text), None);
        let mut analyzer = indexing_text_analyzer();
        analyzer.token_stream(&text).process(&mut |_| {});
        // Same words, other bytes: not this record.
        assert_eq!(take_recorded_line_starts(&text.clone()), None);
        analyzer.token_stream(&text).process(&mut |_| {});
        assert_eq!(take_recorded_line_starts(&text), Some(line_start_positions(&text)));
        assert_eq!(take_recorded_line_starts(&text), None, "taken once");
        // A text of one line leaves no record, and clears the one before.
        analyzer.token_stream(&text).process(&mut |_| {});
        let line = &text[..22];
        analyzer.token_stream(line).process(&mut |_| {});
        assert_eq!(take_recorded_line_starts(line), None);
        assert_eq!(take_recorded_line_starts(&text), None);
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
            // A text of one line has no line start to count but the first.
            assert_eq!(recorded_line_starts(&text), text.contains('\n').then_some(want), "the analyzer's count");
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

    #[test]
    fn byte_masks_agree_with_the_byte_tests() {
        for b in 0..=255u8 {
            for at in [0, 3, 7] {
                let mut bytes = [b' '; 8];
                bytes[at] = b;
                // A byte above 0x80 next to it must not change the answer.
                bytes[(at + 1) % 8] = 0xC3;
                let w = u64::from_le_bytes(bytes);
                assert_eq!(ascii_alnum_bytes(w) >> (8 * at + 7) & 1 == 1, b.is_ascii_alphanumeric(), "{b}");
                assert_eq!(bytes_in_range(w, b' ', b' ') >> (8 * at + 7) & 1 == 1, b == b' ', "{b}");
            }
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
            proptest::prop_assert_eq!(line_start_positions(&text), want.clone());
            let recorded = recorded_line_starts(&text);
            proptest::prop_assert_eq!(recorded, text.contains('\n').then_some(want));
        }

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

    #[test]
    fn line_starts_count_positions_per_line() {
        assert_eq!(line_start_positions("a b\n\nc FP/1/2/3\nd"), vec![0, 2, 2, 7]);
    }
}
