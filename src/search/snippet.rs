//! Snippets: the best passages of a hit, with the matched words as byte ranges.
//!
//! Snippets are cheap by design: the index stores, for each item, the token
//! position at which each body line starts (`line_positions`). The positions of
//! the query's terms in the hit come from the postings, so the best lines are
//! found without re-analysing the item; only the few chosen lines are analysed
//! again, to place the highlights. Snippets are presentation-neutral: text plus
//! half-open byte ranges; the binary adds colour.

use std::collections::BTreeSet;
use std::ops::Range;

use serde::Serialize;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Searcher, Term};

use crate::analysis;
use crate::record::StoredItem;

/// A passage of an item with its highlights.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Snippet {
    /// The passage (lines joined by spaces; may be cut, with `…`).
    pub text: String,
    /// Matched words: half-open UTF-8 byte ranges into `text`, ascending, disjoint.
    /// Serialised as `[start, end]` pairs.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::byte_ranges))]
    #[serde(serialize_with = "ranges_as_pairs")]
    pub highlights: Vec<Range<usize>>,
    /// Source line (1-based) where the passage's first match is, or where it starts.
    pub line: usize,
    /// Printed page of that line, where known.
    pub page: Option<u32>,
    /// PDF page of that line (1-based), for papers read from PDF.
    pub pdf_page: Option<u32>,
}

impl Snippet {
    /// An empty snippet at a line (an item with no text).
    pub fn empty(line: usize) -> Snippet {
        Snippet { text: String::new(), highlights: Vec::new(), line, page: None, pdf_page: None }
    }
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

/// The query's body terms, with their weights, ready to place snippets.
pub struct SnippetTerms {
    terms: Vec<(Term, f32)>,
    /// Analyzed term texts, for highlighting.
    texts: BTreeSet<String>,
    /// Lower-case prefixes (`safeguard*`), for highlighting.
    prefixes: Vec<String>,
    /// Analyzed fuzzy words and their distance (`budgt~1`), for highlighting.
    fuzzy: Vec<(String, u8)>,
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
        SnippetTerms { terms, texts, prefixes: Vec::new(), fuzzy: Vec::new(), body }
    }

    /// Adds the index terms that prefix and fuzzy words match (at most 64
    /// each), which tantivy does not list among a query's terms, so that their
    /// matches choose and light up snippets too.
    pub fn expand(&mut self, searcher: &Searcher, prefixes: &[String], fuzzy: &[(String, u8)]) {
        let mut analyzer = analysis::text_analyzer();
        self.prefixes.extend(prefixes.iter().cloned());
        for (w, d) in fuzzy {
            let a = analysis::analyze(&mut analyzer, w).into_iter().next().map_or(w.clone(), |(_, t)| t);
            self.fuzzy.push((a, *d));
        }
        let mut found: BTreeSet<String> = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.body) else { continue };
            let dict = inverted.terms();
            for p in &self.prefixes {
                let mut hi = p.as_bytes().to_vec();
                if let Some(last) = hi.last_mut() {
                    *last = last.saturating_add(1);
                }
                if let Ok(mut stream) = dict.range().ge(p.as_bytes()).lt(&hi).into_stream() {
                    let mut n = 0;
                    while n < 64 && stream.advance() {
                        if let Ok(t) = std::str::from_utf8(stream.key()) {
                            found.insert(t.to_string());
                        }
                        n += 1;
                    }
                }
            }
            for (w, d) in &self.fuzzy {
                // Candidates share the first letter: a cheap, bounded scan.
                let Some(first) = w.chars().next() else { continue };
                let lo = first.to_string();
                let hi = char::from_u32(first as u32 + 1).map(String::from).unwrap_or_default();
                if let Ok(mut stream) = dict.range().ge(lo.as_bytes()).lt(hi.as_bytes()).into_stream() {
                    let mut n = 0;
                    while n < 64 && stream.advance() {
                        if let Ok(t) = std::str::from_utf8(stream.key()) {
                            if within_distance(t, w, *d) {
                                found.insert(t.to_string());
                                n += 1;
                            }
                        }
                    }
                }
            }
        }
        for t in found {
            let term = Term::from_field_text(self.body, &t);
            let df = searcher.doc_freq(&term).unwrap_or(0) as f32;
            self.terms.push((term, 1.0 / (1.0 + df).ln_1p()));
            self.texts.insert(t);
        }
    }

    /// Analysed terms and prefixes to highlight, with no postings to read:
    /// for items read from elsewhere than this index.
    pub fn of_analysed(texts: impl IntoIterator<Item = String>, prefixes: Vec<String>) -> SnippetTerms {
        SnippetTerms {
            terms: Vec::new(),
            texts: texts.into_iter().collect(),
            prefixes,
            fuzzy: Vec::new(),
            body: Field::from_field_id(0),
        }
    }

    /// Terms that only highlight (no positions): for tests and whole-item views.
    pub fn from_texts<'s>(texts: impl IntoIterator<Item = &'s str>) -> SnippetTerms {
        SnippetTerms {
            terms: Vec::new(),
            texts: texts.into_iter().map(str::to_string).collect(),
            prefixes: Vec::new(),
            fuzzy: Vec::new(),
            body: Field::from_field_id(0),
        }
    }

    /// The analyzed term texts to highlight.
    pub fn texts(&self) -> &BTreeSet<String> {
        &self.texts
    }

    /// True when the query has no terms on the body.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.texts.is_empty() && self.prefixes.is_empty() && self.fuzzy.is_empty()
    }

    /// True when an analyzed token (or its word, lower-cased) is a match.
    fn matches(&self, analyzed: &str, word: &str) -> bool {
        self.texts.contains(analyzed)
            || (!self.prefixes.is_empty() && {
                let word = word.to_lowercase();
                self.prefixes.iter().any(|p| analyzed.starts_with(p.as_str()) || word.starts_with(p.as_str()))
            })
            || self.fuzzy.iter().any(|(f, d)| within_distance(analyzed, f, *d))
    }
}

/// Levenshtein distance of at most `d` (with transpositions counted once).
pub fn within_distance(a: &str, b: &str, d: u8) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let d = usize::from(d);
    if a.len().abs_diff(b.len()) > d {
        return false;
    }
    let mut prev2: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        if cur.iter().min().is_some_and(|&m| m > d) {
            return false;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= d
}

/// Builds up to `n` snippets of about `max_chars` bytes for one hit, best
/// first, from windows of lines that do not overlap. Where the terms match
/// comes from the index's postings and the item's stored line starts.
pub fn best_snippets(
    searcher: &Searcher,
    address: DocAddress,
    item: &StoredItem,
    terms: &SnippetTerms,
    analyzer: &mut TextAnalyzer,
    max_chars: usize,
    n: usize,
) -> Vec<Snippet> {
    let lines: Vec<&str> = item.body().split('\n').collect();
    let matched = matched_lines(searcher, address, &item.layout.line_positions, terms, lines.len());
    snippets_of_lines(item, &lines, matched, terms.terms.len(), terms, analyzer, max_chars, n)
}

/// As [`best_snippets`], for an item read from elsewhere than this index (a
/// cluster): where the terms match is found by analysing its text, each of
/// `terms`' analysed terms and prefixes weighing the same.
pub fn snippets_of_text(
    item: &StoredItem,
    terms: &SnippetTerms,
    analyzer: &mut TextAnalyzer,
    max_chars: usize,
    n: usize,
) -> Vec<Snippet> {
    let lines: Vec<&str> = item.body().split('\n').collect();
    let texts: Vec<&String> = terms.texts.iter().collect();
    let mut matched: std::collections::BTreeMap<usize, Vec<(usize, f32)>> = Default::default();
    for (i, line) in lines.iter().enumerate() {
        let mut stream = analyzer.token_stream(line);
        while let Some(t) = stream.next() {
            let word = &line[t.offset_from..t.offset_to];
            if terms.matches(&t.text, word) {
                let k = texts.iter().position(|x| **x == t.text).unwrap_or(texts.len());
                matched.entry(i).or_default().push((k, 1.0));
            }
        }
    }
    snippets_of_lines(item, &lines, matched, texts.len() + 1, terms, analyzer, max_chars, n)
}

/// The snippets of windows of lines around the matched lines (body line ->
/// the matched terms' indices, below `n_terms`, and weights).
#[allow(clippy::too_many_arguments)]
fn snippets_of_lines(
    item: &StoredItem,
    lines: &[&str],
    matched: std::collections::BTreeMap<usize, Vec<(usize, f32)>>,
    n_terms: usize,
    terms: &SnippetTerms,
    analyzer: &mut TextAnalyzer,
    max_chars: usize,
    n: usize,
) -> Vec<Snippet> {
    // Score every window that starts on a matched line by the distinct
    // matched terms it holds (rarer terms weigh more). The weights are summed
    // in term order, so equal windows score exactly equal and the earlier wins.
    let mut windows: Vec<(f32, usize, usize)> = Vec::new();
    let mut distinct: Vec<Option<f32>> = Vec::new();
    for &first in matched.keys() {
        let end = window_end(lines, first, max_chars);
        distinct.clear();
        distinct.resize(n_terms, None);
        let mut hits = 0usize;
        for ts in matched.range(first..=end).map(|(_, ts)| ts) {
            for &(t, w) in ts {
                distinct[t] = Some(w);
                hits += 1;
            }
        }
        windows.push((distinct.iter().flatten().sum::<f32>() + 0.01 * hits as f32, first, end));
    }
    // Best first; ties go to the earlier passage.
    windows.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, f, e) in windows {
        if chosen.len() == n {
            break;
        }
        if chosen.iter().all(|&(cf, ce)| e < cf || f > ce) {
            chosen.push((f, e));
        }
    }
    // With none of the terms in the body, only prefix and fuzzy words could
    // light anything up; otherwise the passage needs no analysing at all.
    let can_match = !matched.is_empty() || !terms.prefixes.is_empty() || !terms.fuzzy.is_empty();
    if chosen.is_empty() {
        // No body match (a title match, or no query): the opening lines.
        let f = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
        chosen.push((f, window_end(lines, f, max_chars)));
    }
    chosen
        .into_iter()
        .map(|(first, end)| {
            let text =
                lines[first..=end].iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
            let (text, highlights) = if can_match {
                cut_and_highlight(&text, terms, analyzer, max_chars)
            } else if text.len() <= max_chars {
                (text, Vec::new())
            } else {
                let (start, end) = cut_bounds(&text, 0, max_chars);
                cut(&text, Vec::new(), start, end)
            };
            let line = item.line_start + first;
            Snippet { text, highlights, line, page: item.page_of_line(line), pdf_page: item.pdf_page_of_line(line) }
        })
        .collect()
}

/// The last line of a window starting at `first`: up to four lines within `max_chars`.
fn window_end(lines: &[&str], first: usize, max_chars: usize) -> usize {
    let (mut end, mut chars) = (first, lines.get(first).map_or(0, |l| l.len()));
    while end + 1 < lines.len() && end < first + 3 && chars + lines[end + 1].len() <= max_chars {
        end += 1;
        chars += lines[end].len() + 1;
    }
    end
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
    terms: &SnippetTerms,
    analyzer: &mut TextAnalyzer,
    max_chars: usize,
) -> (String, Vec<Range<usize>>) {
    if text.len() <= max_chars {
        return (text.to_string(), highlight(text, terms, analyzer));
    }
    // A passage can be one long line, and the cut never reaches far past the
    // first match: the analysis stops at the cut's end.
    let mut bounds = None;
    let ranges = highlight_until(text, terms, analyzer, |ranges| {
        let first = ranges.first()?;
        Some(bounds.get_or_insert_with(|| cut_bounds(text, first.start, max_chars)).1)
    });
    let (start, end) = bounds.unwrap_or_else(|| cut_bounds(text, 0, max_chars));
    cut(text, ranges, start, end)
}

/// Byte bounds of a cut of about `max_chars` that starts a third of the
/// window before `anchor`, on word boundaries.
fn cut_bounds(text: &str, anchor: usize, max_chars: usize) -> (usize, usize) {
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
    (start, end)
}

/// `text[start..end]` with `…` where it is cut, and the highlights inside it.
fn cut(text: &str, ranges: Vec<Range<usize>>, start: usize, end: usize) -> (String, Vec<Range<usize>>) {
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

/// Byte ranges of the words in `text` that match the query's terms, prefixes or fuzzy words.
pub fn highlight(text: &str, terms: &SnippetTerms, analyzer: &mut TextAnalyzer) -> Vec<Range<usize>> {
    highlight_until(text, terms, analyzer, |_| None)
}

/// About how many bytes of text are analysed at a time.
const PIECE_BYTES: usize = 128;

/// [`highlight`], analysing the text in pieces that end before a space (no
/// word or joined form spans a space, so the words are the same as the whole
/// text's, and each all-ASCII piece takes the analyzer's fast path). After
/// each piece `stop` sees the ranges so far and may name a byte offset past
/// which no more are wanted; the analysis ends once the pieces reach it.
fn highlight_until(
    text: &str,
    terms: &SnippetTerms,
    analyzer: &mut TextAnalyzer,
    mut stop: impl FnMut(&[Range<usize>]) -> Option<usize>,
) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::new();
    if terms.is_empty() {
        return merged;
    }
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let end = piece_end(text, at);
        let piece = &text[at..end];
        let mut stream = analyzer.token_stream(piece);
        while let Some(t) = stream.next() {
            let r = t.offset_from..t.offset_to;
            if terms.matches(&t.text, &piece[r.clone()]) {
                ranges.push(at + r.start..at + r.end);
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        for r in ranges.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        at = end;
        if stop(&merged).is_some_and(|wanted| at >= wanted) {
            break;
        }
    }
    merged
}

/// Where the piece of `text` starting at `at` ends: before the first space
/// [`PIECE_BYTES`] or more further on, or at the end of the text.
fn piece_end(text: &str, at: usize) -> usize {
    let from = at + PIECE_BYTES;
    if from >= text.len() {
        return text.len();
    }
    // A space is one byte, so any position found is a character boundary.
    text.as_bytes()[from..].iter().position(|&b| b == b' ').map_or(text.len(), |i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_fuzzy_words_are_highlighted() {
        let mut a = analysis::text_analyzer();
        let mut t = SnippetTerms::from_texts([]);
        t.prefixes.push("safeguard".into());
        t.fuzzy.push(("budget".into(), 1));
        let text = "Safeguarding adults and the budgt for safeguards";
        let words: Vec<&str> = highlight(text, &t, &mut a).into_iter().map(|r| &text[r]).collect();
        assert_eq!(words, vec!["Safeguarding", "budgt", "safeguards"]);
        assert!(within_distance("budgt", "budget", 1) && !within_distance("budgt", "bridge", 1));
        assert!(within_distance("nurse", "nusre", 1) && !within_distance("nurse", "nuser", 1));
    }

    #[test]
    fn highlights_match_stemmed_words_and_stay_inside_the_cut() {
        let mut a = analysis::text_analyzer();
        let texts = SnippetTerms::from_texts(["nurs", "oversea"]);
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

    /// The highlights from analysing the whole text at once.
    fn highlight_whole(text: &str, terms: &SnippetTerms, analyzer: &mut TextAnalyzer) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            if terms.matches(&t.text, &text[t.offset_from..t.offset_to]) {
                ranges.push(t.offset_from..t.offset_to);
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    proptest::proptest! {
        #[test]
        fn highlighting_in_pieces_equals_highlighting_the_whole_text(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    // Matches are sparse, so the first one is often far into the text.
                    30 => proptest::sample::select(vec![
                        "the", "a", "café", "Zoë", "recruited", "-", "/", "—", "1.5", "can't", "\t", "self", "harm",
                        "–", "’s", "naïve", "e\u{301}", "\u{301}x", "\u{a0}", "\u{200d}", "\r\n", "\n", "O’Neil",
                        "3,000", "£5m", "don’t", "日本", "x.y", ".", "--",
                    ]),
                    1 => proptest::sample::select(vec![
                        "nurses", "overseas", "self-harm", "well-being", "FP/17/09", "nurse-led", "budget",
                        "Nurses’", "Well–being", "nurse’s",
                    ]),
                ],
                0..400,
            ),
            seps in proptest::collection::vec(
                proptest::sample::select(vec![" ", "  ", "-", "/", " - ", "", "\u{a0}", " \u{301}", "\t"]),
                400,
            ),
            max_chars in 20usize..300,
        ) {
            let mut text = String::new();
            for (w, sep) in words.iter().zip(&seps) {
                text.push_str(w);
                text.push_str(sep);
            }
            let mut a = analysis::text_analyzer();
            let mut terms = SnippetTerms::from_texts(["nurs", "oversea", "selfharm", "wellb", "fp/17/09", "harm"]);
            terms.prefixes.push("budg".into());
            let ranges = highlight_whole(&text, &terms, &mut a);
            proptest::prop_assert_eq!(&highlight(&text, &terms, &mut a), &ranges);
            let (start, end) = cut_bounds(&text, ranges.first().map_or(0, |r| r.start), max_chars);
            let whole = if text.len() <= max_chars { (text.clone(), ranges) } else { cut(&text, ranges, start, end) };
            proptest::prop_assert_eq!(cut_and_highlight(&text, &terms, &mut a, max_chars), whole);
        }
    }
}
