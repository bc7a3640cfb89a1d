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
//!
//! The rules of what a word is live in [`words`]; how fast word boundaries are
//! found, in [`segments`] (over the bit tricks of [`bytes`]); the cache that
//! makes the English analyzer fast, in [`cache`].

pub mod bytes;
mod cache;
mod segments;
mod words;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenStream, Tokenizer, TokenizerManager,
};

use cache::CachedCouncilTokenizer;
pub use segments::{ascii_segments, count_positions, line_start_positions};
pub use words::{for_each_piece, for_each_word, Piece, Span};

/// Name of the English analyzer used for titles and body text.
pub const TEXT_ANALYZER: &str = "council_en";

/// Name of the analyzer for names (council, committee, people): words, lower-cased and folded, no stemming.
pub const NAME_ANALYZER: &str = "council_name";

/// Version of the analysis settings; stored in the index so a change forces a rebuild.
pub const ANALYSIS_VERSION: u32 = 2;

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
    TextAnalyzer::from(CachedCouncilTokenizer::new(english_word_filters()))
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
}
