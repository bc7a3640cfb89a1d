//! From a parsed query and the search options to tantivy queries: the
//! filters, the all-words reading, and (where it differs) the some-words
//! reading, with the words expanded the way councils write them.
//!
//! Each leaf is handed to tantivy's query parser on its own (one word, one
//! phrase, one group of synonyms), so words are analysed and weighted across
//! the title, agenda title, headings, body and acronym fields exactly as the
//! index analysed them; the boolean structure around the leaves is built here.
//! Exclusions are read into a set of documents first ([`materialized`]), so no
//! scorer is ever asked to go back (tantivy's phrase scorer asserts it is not,
//! in debug builds).

use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, ConstScorer, EnableScoring, Explanation, FuzzyTermQuery, Occur as TOccur,
    Query, QueryParser, Scorer, Weight,
};
use tantivy::BitSet;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::filters::{excluding, FilterBuilder};
use super::query::{Clause, Leaf, Node, Occur, QueryTree};
use crate::analysis;
use crate::lexicon;
use crate::schema::Fields;

/// The tantivy queries of one search.
pub(crate) struct Plan {
    /// Filters that every reading must pass (from the options and from
    /// `field:value` clauses on keyword fields).
    pub filters: Vec<Box<dyn Query>>,
    /// What is looked up, every clause required (None: filters alone, or
    /// exclusions alone, which list items rather than rank them).
    pub all_words: Option<Box<dyn Query>>,
    /// The some-words reading, where it differs from the all-words one.
    pub some_words: Option<Box<dyn Query>>,
    /// Prefixes (`word*`), lower-case, for highlighting.
    pub prefixes: Vec<String>,
    /// Fuzzy words (`word~N`) and their distance, for highlighting.
    pub fuzzy: Vec<(String, u8)>,
}

impl Plan {
    /// The widest reading (some words, else all words), for counts and snippets.
    pub fn widest(&self) -> Option<&dyn Query> {
        self.some_words.as_deref().or(self.all_words.as_deref())
    }
}

/// Turns leaves into tantivy queries.
pub(crate) struct LeafBuilder<'a> {
    /// The parser for words in the text fields, with their weights.
    pub parser: &'a QueryParser,
    pub fields: Fields,
    pub filters: &'a FilterBuilder<'a>,
    /// Analyses the query's words (a pooled analyzer: making one costs more
    /// than a search of a common word).
    pub analyzer: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer>,
}

impl LeafBuilder<'_> {
    /// The plan of a parsed query, with `filters` from the options added.
    /// Parts that make no query (common words alone) are dropped and said.
    pub fn plan(&self, tree: &QueryTree, mut filters: Vec<Box<dyn Query>>, notes: &mut Notes) -> Plan {
        let mut rest: Vec<Clause> = Vec::new();
        for c in &tree.clauses {
            match (&c.node, c.occur) {
                (Node::Leaf(Leaf::Keyword(k, v)), Occur::MustNot) => {
                    filters.push(excluding(self.filters.keyword(*k, v, &mut notes.warnings)))
                }
                (Node::Leaf(Leaf::Keyword(k, v)), _) => filters.push(self.filters.keyword(*k, v, &mut notes.warnings)),
                _ => rest.push(c.clone()),
            }
        }
        let positive = rest.iter().any(|c| c.occur != Occur::MustNot);
        let all_words = self.group(&rest, true, notes);
        let tiers = QueryTree { clauses: rest, ignored: Vec::new() }.has_tiers();
        let some_words = if tiers { self.group(&tree_clauses(tree), false, notes) } else { None };
        let mut plan = Plan { filters, all_words, some_words, prefixes: Vec::new(), fuzzy: Vec::new() };
        if !positive {
            // Exclusions alone: everything but them, listed rather than ranked.
            if let Some(q) = plan.all_words.take() {
                plan.filters.push(q);
            }
            plan.some_words = None;
        }
        for leaf in tree.leaves() {
            match leaf {
                Leaf::Prefix { prefix, .. } => plan.prefixes.push(prefix.to_lowercase()),
                Leaf::Fuzzy { word, distance } => plan.fuzzy.push((word.clone(), *distance)),
                _ => {}
            }
        }
        plan
    }

    /// Clauses side by side: each required (`all`), or any of the plain ones.
    fn group(&self, clauses: &[Clause], all: bool, notes: &mut Notes) -> Option<Box<dyn Query>> {
        let mut out: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        for c in clauses {
            let Some(q) = self.node(&c.node, all, notes) else { continue };
            let occur = match c.occur {
                Occur::Default if all => TOccur::Must,
                Occur::Default => TOccur::Should,
                Occur::Must => TOccur::Must,
                Occur::MustNot => TOccur::MustNot,
            };
            out.push((occur, if occur == TOccur::MustNot { materialized(q) } else { q }));
        }
        if out.is_empty() {
            return None;
        }
        if out.iter().all(|(o, _)| *o == TOccur::MustNot) {
            out.insert(0, (TOccur::Must, Box::new(AllQuery)));
        }
        if out.len() == 1 && out[0].0 != TOccur::MustNot {
            return out.pop().map(|(_, q)| q);
        }
        Some(Box::new(BooleanQuery::new(out)))
    }

    fn node(&self, node: &Node, all: bool, notes: &mut Notes) -> Option<Box<dyn Query>> {
        match node {
            Node::Group(clauses) => self.group(clauses, all, notes),
            Node::Or(alts) => {
                let qs: Vec<Box<dyn Query>> = alts.iter().filter_map(|n| self.node(n, all, notes)).collect();
                match qs.len() {
                    0 => None,
                    1 => qs.into_iter().next(),
                    _ => Some(Box::new(BooleanQuery::union(qs))),
                }
            }
            Node::Leaf(leaf) => self.leaf(leaf, notes),
        }
    }

    /// One leaf's query, or None (and a note) when it has nothing to look up.
    fn leaf(&self, leaf: &Leaf, notes: &mut Notes) -> Option<Box<dyn Query>> {
        let text = match leaf {
            Leaf::Keyword(k, v) => return Some(self.filters.keyword(*k, v, &mut notes.warnings)),
            Leaf::Fuzzy { word, distance } => return Some(self.fuzzy(word, *distance)),
            Leaf::Text { field, text, phrase, slop, boost } => {
                let common = analysis::analyze(&mut self.analyzer.borrow_mut(), text).is_empty();
                if common && field != &Some("presenter") {
                    notes.common.push(text.clone());
                    return None;
                }
                let mut q = match (phrase, field) {
                    (false, None) => expand_word(text),
                    (false, Some(_)) => quoted_if_needed(text),
                    (true, _) => format!("\"{}\"", text.replace(['"', '\\'], " ")),
                };
                if let Some(f) = field {
                    q = format!("{f}:{q}");
                }
                if let Some(s) = slop {
                    q.push_str(&format!("~{s}"));
                }
                if let Some(b) = boost {
                    q.push_str(&format!("^{b}"));
                }
                q
            }
            Leaf::Prefix { field, prefix } => match field {
                Some(f) => format!("{f}:{prefix}*"),
                None => format!("{prefix}*"),
            },
            Leaf::Synonyms(group) => {
                let alts: Vec<String> = group.iter().map(|s| format!("\"{s}\"")).collect();
                format!("({})", alts.join(" OR "))
            }
        };
        match self.parser.parse_query(&text) {
            Ok(q) => Some(q),
            Err(e) => {
                notes.ignored.push(format!("`{text}`: {e}"));
                None
            }
        }
    }

    /// A word within `distance` edits, in the title or the body.
    fn fuzzy(&self, word: &str, distance: u8) -> Box<dyn Query> {
        let analyzed = analysis::analyze(&mut self.analyzer.borrow_mut(), word)
            .into_iter()
            .next()
            .map_or(word.to_string(), |(_, t)| t);
        let f = self.fields;
        let per_field: Vec<Box<dyn Query>> = [f.title, f.body]
            .into_iter()
            .map(|field| {
                Box::new(FuzzyTermQuery::new(Term::from_field_text(field, &analyzed), distance, true)) as Box<dyn Query>
            })
            .collect();
        Box::new(BooleanQuery::union(per_field))
    }
}

/// The top-level clauses of a tree other than keyword filters.
fn tree_clauses(tree: &QueryTree) -> Vec<Clause> {
    tree.clauses.iter().filter(|c| !matches!(c.node, Node::Leaf(Leaf::Keyword(..)))).cloned().collect()
}

/// What building a plan had to say.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// Parts not searched (a parse error of a leaf).
    pub ignored: Vec<String>,
    /// Words not searched because they are too common (`the`).
    pub common: Vec<String>,
    /// Filter values that match nothing.
    pub warnings: Vec<String>,
}

/// A word, expanded the way councils write: a hyphenated compound matches its
/// spaced and joined forms; a capitalised acronym matches as written (not the
/// ordinary word it spells) or by its long form; a reference (`FP/17/09/14`)
/// or a word with other punctuation is matched whole, as a phrase of its parts.
fn expand_word(word: &str) -> String {
    let parts: Vec<&str> = word.split('-').collect();
    if parts.len() > 1 && parts.iter().all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic)) {
        return format!("(\"{}\" OR {})", parts.join(" "), parts.concat());
    }
    if lexicon::looks_like_acronym(word) && word.chars().all(|c| c.is_ascii_alphabetic()) {
        return format!("(caps:{word}^3 OR expansions:{word} OR {word})");
    }
    quoted_if_needed(word)
}

/// A word as the parser's grammar reads it: plain words as they are, others
/// in quotes (a `/` would start a regular expression, a `.` a range...).
fn quoted_if_needed(word: &str) -> String {
    if word.chars().all(|c| c.is_alphanumeric() || c == '\'') {
        word.to_string()
    } else {
        format!("\"{}\"", word.replace(['"', '\\'], " "))
    }
}

/// A query whose matches are read into a set of documents before use, by
/// advancing its scorer only: safe as an exclusion whatever it holds.
pub(crate) fn materialized(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(Materialized(query))
}

#[derive(Debug)]
struct Materialized(Box<dyn Query>);

impl Clone for Materialized {
    fn clone(&self) -> Self {
        Materialized(self.0.box_clone())
    }
}

impl Query for Materialized {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.0.weight(EnableScoring::disabled_from_schema(enable_scoring.schema()))?;
        Ok(Box::new(MaterializedWeight(inner)))
    }
}

struct MaterializedWeight(Box<dyn Weight>);

impl Weight for MaterializedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut inner = self.0.scorer(reader, boost)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let mut doc = inner.doc();
        while doc != TERMINATED {
            docs.insert(doc);
            doc = inner.advance();
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_expanded_the_way_councils_write() {
        assert_eq!(expand_word("self-harm"), "(\"self harm\" OR selfharm)");
        assert_eq!(expand_word("SEND"), "(caps:SEND^3 OR expansions:SEND OR SEND)");
        assert_eq!(expand_word("FP/17/09/14"), "\"FP/17/09/14\"");
        assert_eq!(expand_word("3.5"), "\"3.5\"");
        assert_eq!(expand_word("nurses"), "nurses");
        assert_eq!(expand_word("don't"), "don't");
    }
}
