//! Snippets: the best passage of a hit, with the matched words as byte ranges.
//!
//! Snippets are cheap by design: the index stores, for each item, the token
//! position at which each body line starts (`line_positions`). The positions of
//! the query's terms in the hit come from the postings, so the best lines are
//! found without re-analysing the item; only the few chosen lines are analysed
//! again, to place the highlights. Snippets are presentation-neutral: text plus
//! half-open byte ranges; the binary adds colour.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::Serialize;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Searcher, Term};

use crate::analysis;

/// A passage of an item with its highlights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    /// The passage (lines joined by spaces; may be cut, with `…`).
    pub text: String,
    /// Matched words: half-open UTF-8 byte ranges into `text`, ascending, disjoint.
    /// Serialised as `[start, end]` pairs.
    #[serde(serialize_with = "ranges_as_pairs")]
    pub highlights: Vec<Range<usize>>,
    /// Source line (1-based) where the passage's first match is, or where it starts.
    pub line: usize,
    /// Printed page of that line, where known.
    pub page: Option<u32>,
}

/// Serialises byte ranges as `[start, end]` pairs.
pub fn ranges_as_pairs<S: serde::Serializer>(ranges: &[Range<usize>], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(ranges.len()))?;
    for r in ranges {
        seq.serialize_element(&[r.start, r.end])?;
    }
    seq.end()
}

/// What a snippet is cut from: one item's stored fields.
pub struct SnippetSource<'a> {
    /// The item body (one line per source line).
    pub body: &'a str,
    /// Token position at which each body line starts.
    pub line_positions: &'a [u32],
    /// First source line of the item.
    pub line_start: usize,
    /// Page markers and range of the item.
    pub page_markers: &'a [(usize, u32)],
    /// First printed page.
    pub page_start: Option<u32>,
    /// Last printed page.
    pub page_end: Option<u32>,
}

/// The query's body terms, with their weights, ready to place snippets.
pub struct SnippetTerms {
    terms: Vec<(Term, f32)>,
    /// Analyzed term texts, for highlighting.
    texts: BTreeSet<String>,
    body: Field,
}

impl SnippetTerms {
    /// Collects the terms of `query` on `body`, weighted by rarity.
    pub fn new(searcher: &Searcher, query: &dyn tantivy::query::Query, body: Field) -> SnippetTerms {
        let mut seen = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == body {
                seen.insert(term.clone());
            }
        });
        let terms: Vec<(Term, f32)> = seen
            .into_iter()
            .map(|t| {
                let df = searcher.doc_freq(&t).unwrap_or(0) as f32;
                (t, 1.0 / (1.0 + df).ln_1p())
            })
            .collect();
        let texts = terms.iter().filter_map(|(t, _)| t.value().as_str().map(str::to_string)).collect();
        SnippetTerms { terms, texts, body }
    }

    /// Adds analyzed term texts to highlight (from prefix or fuzzy expansion).
    pub fn add_texts(&mut self, more: impl IntoIterator<Item = String>) {
        self.texts.extend(more);
    }

    /// The analyzed term texts to highlight.
    pub fn texts(&self) -> &BTreeSet<String> {
        &self.texts
    }

    /// True when the query has no terms on the body.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.texts.is_empty()
    }
}

/// Builds the best snippet of at most about `max_chars` bytes for one hit.
pub fn best_snippet(
    searcher: &Searcher,
    address: DocAddress,
    source: &SnippetSource<'_>,
    terms: &SnippetTerms,
    analyzer: &mut TextAnalyzer,
    max_chars: usize,
) -> Snippet {
    let lines: Vec<&str> = source.body.split('\n').collect();
    let matched = matched_lines(searcher, address, source.line_positions, terms, lines.len());
    // Choose the window of lines whose distinct matched terms weigh most.
    let mut best: Option<(f32, usize, usize)> = None;
    for (&first, _) in matched.iter() {
        let (mut end, mut chars) = (first, lines[first].len());
        while end + 1 < lines.len() && end < first + 3 && chars + lines[end + 1].len() <= max_chars {
            end += 1;
            chars += lines[end].len() + 1;
        }
        let mut distinct: HashMap<usize, f32> = HashMap::new();
        let mut hits = 0usize;
        for l in first..=end {
            if let Some(ts) = matched.get(&l) {
                for &(t, w) in ts {
                    distinct.insert(t, w);
                    hits += 1;
                }
            }
        }
        let score = distinct.values().sum::<f32>() + 0.01 * hits as f32;
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, first, end));
        }
    }
    let (first, end) = match best {
        Some((_, f, e)) => (f, e),
        None => {
            // No body match (a title match, or no query): the opening lines.
            let f = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
            let mut e = f;
            let mut chars = lines.get(f).map_or(0, |l| l.len());
            while e + 1 < lines.len() && e < f + 3 && chars + lines[e + 1].len() <= max_chars {
                e += 1;
                chars += lines[e].len() + 1;
            }
            (f, e)
        }
    };
    let text = lines[first..=end].iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let (text, highlights) = cut_and_highlight(&text, &terms.texts, analyzer, max_chars);
    let line = source.line_start + first;
    Snippet {
        text,
        highlights,
        line,
        page: crate::paper::page_of_line(source.page_markers, source.page_start, source.page_end, line),
    }
}

/// Body line index -> (term index, weight) for every matched position in the doc.
fn matched_lines(
    searcher: &Searcher,
    address: DocAddress,
    line_positions: &[u32],
    terms: &SnippetTerms,
    n_lines: usize,
) -> std::collections::BTreeMap<usize, Vec<(usize, f32)>> {
    let mut out: std::collections::BTreeMap<usize, Vec<(usize, f32)>> = Default::default();
    let segment = searcher.segment_reader(address.segment_ord);
    let Ok(inverted) = segment.inverted_index(terms.body) else { return out };
    let mut positions = Vec::new();
    for (i, (term, weight)) in terms.terms.iter().enumerate() {
        let Ok(Some(mut postings)) = inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions) else {
            continue;
        };
        // A fresh postings list sits on its first doc; seek only moves forward.
        let mut doc = postings.doc();
        if doc < address.doc_id {
            doc = postings.seek(address.doc_id);
        }
        if doc != address.doc_id {
            continue;
        }
        positions.clear();
        postings.positions(&mut positions);
        for &p in &positions {
            // The line holding position p: the last line starting at or before it.
            let line = line_positions.partition_point(|&s| s <= p).saturating_sub(1);
            if line < n_lines {
                out.entry(line).or_default().push((i, *weight));
            }
        }
    }
    out
}

/// Cuts `text` to about `max_chars` around its first match and finds the highlights.
pub fn cut_and_highlight(
    text: &str,
    texts: &BTreeSet<String>,
    analyzer: &mut TextAnalyzer,
    max_chars: usize,
) -> (String, Vec<Range<usize>>) {
    let ranges = highlight(text, texts, analyzer);
    if text.len() <= max_chars {
        return (text.to_string(), ranges);
    }
    // Start a third of the window before the first match, on a word boundary.
    let anchor = ranges.first().map_or(0, |r| r.start);
    let mut start = anchor.saturating_sub(max_chars / 3);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..anchor].find(' ').map_or(anchor, |i| start + i + 1);
    }
    let mut end = (start + max_chars).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text[start..end].rfind(' ').map_or(end, |i| start + i).max(anchor.min(end));
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
    }
    let prefix = if start > 0 { "… " } else { "" };
    let suffix = if end < text.len() { " …" } else { "" };
    let cut = format!("{prefix}{}{suffix}", &text[start..end]);
    let shift = prefix.len();
    let highlights = ranges
        .into_iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| r.start - start + shift..r.end - start + shift)
        .collect();
    (cut, highlights)
}

/// Byte ranges of the words in `text` whose analyzed form is one of `texts`.
pub fn highlight(text: &str, texts: &BTreeSet<String>, analyzer: &mut TextAnalyzer) -> Vec<Range<usize>> {
    if texts.is_empty() {
        return Vec::new();
    }
    let mut ranges: Vec<Range<usize>> =
        analysis::analyze(analyzer, text).into_iter().filter(|(_, t)| texts.contains(t)).map(|(r, _)| r).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_match_stemmed_words_and_stay_inside_the_cut() {
        let mut a = analysis::text_analyzer();
        let texts: BTreeSet<String> = ["nurs".to_string(), "oversea".to_string()].into();
        let text = "We recruited nurses from overseas last year.";
        let hl = highlight(text, &texts, &mut a);
        let words: Vec<&str> = hl.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, vec!["nurses", "overseas"]);

        let long = format!("{} nurses {}", "word ".repeat(200), "more ".repeat(200));
        let (cut, hl) = cut_and_highlight(&long, &texts, &mut a, 120);
        assert!(cut.len() <= 120 + 8, "{}", cut.len());
        assert_eq!(&cut[hl[0].clone()], "nurses");
        assert!(cut.starts_with('…') && cut.ends_with('…'));
    }
}
