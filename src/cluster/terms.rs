//! The analysed terms a cluster indexes and searches: our analyzer's output,
//! written out so that a plain whitespace tokenizer reads the same terms.
//!
//! A text becomes its words' terms in order (stop words dropped, as the local
//! index drops them), then the joined forms of references and compounds
//! (`fp/17/09/14`, `selfharm`) after all of them: positions of the words stay
//! consecutive for phrases, and every term counts in the field's length as it
//! does locally, so BM25 weighs documents alike.

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::analysis;

/// The terms of `text`: word terms by position, then joined forms.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> (Vec<String>, Vec<String>) {
    let mut words = Vec::new();
    let mut joined = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        if t.position_length > 1 {
            joined.push(t.text.clone());
        } else {
            words.push(t.text.clone());
        }
    }
    (words, joined)
}

/// The terms of a text as one string for a whitespace-tokenized field.
pub fn term_stream(analyzer: &mut TextAnalyzer, text: &str) -> String {
    let (mut words, joined) = terms(analyzer, text);
    words.extend(joined);
    words.join(" ")
}

/// The terms of several values of a field (headings, expansions), one stream.
pub fn terms_of_values<'a>(analyzer: &mut TextAnalyzer, values: impl IntoIterator<Item = &'a str>) -> String {
    let streams: Vec<String> = values.into_iter().map(|v| term_stream(analyzer, v)).filter(|s| !s.is_empty()).collect();
    streams.join(" ")
}

/// The English analyzer, as the local index uses it.
pub fn text_analyzer() -> TextAnalyzer {
    analysis::text_analyzer()
}

/// The name analyzer (people, places): words, lower-cased and folded, no stemming.
pub fn name_analyzer() -> TextAnalyzer {
    analysis::name_analyzer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_order_and_joined_forms_come_after() {
        let mut a = text_analyzer();
        assert_eq!(term_stream(&mut a, "Nurses recruited from overseas"), "nurs recruit from oversea");
        assert_eq!(term_stream(&mut a, "the self-harm plan"), "self harm plan selfharm");
        assert_eq!(term_stream(&mut a, "see FP/17/09/14"), "see fp 17 09 14 fp/17/09/14");
        assert_eq!(terms_of_values(&mut a, ["Background", "", "Financial Implications"]), "background financi implic");
    }
}
