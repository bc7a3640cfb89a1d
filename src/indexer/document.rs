//! From a segmented item to the stored item and its tantivy document: the
//! item's id, text, layout, acronyms, headings and content hash. Runs on the
//! parse workers, so the writer's threads only index.

use crate::analysis;
use crate::extract::{Format, Text};
use crate::paper::{self, Item};
use crate::record::{ContentHash, ItemText, StoredItem, TextLayout};
use crate::schema::Fields;
use tantivy::TantivyDocument;

use super::acronyms::Acronyms;

/// The paper the items come from.
pub(crate) struct Source<'a> {
    /// The file's key (absolute path).
    pub key: &'a str,
    /// The file's content hash.
    pub hash: &'a str,
    /// The file's format.
    pub format: Format,
    /// The file's text.
    pub text: &'a Text,
    /// The ids of all the pack's items, in order (for parent links).
    pub ids: &'a [String],
    /// The acronyms of the pack.
    pub acronyms: &'a Acronyms<'a>,
}

/// A stable item id: from the paper's bytes and the item's place in it (type,
/// agenda item, first line), never its path, so moving or renaming a folder
/// keeps every id. Byte-identical copies of a paper share their ids: they are
/// one paper published twice.
pub(crate) fn item_id(file_hash: &str, item: &Item) -> String {
    let mut h = blake3::Hasher::new();
    h.update(file_hash.as_bytes());
    h.update(b"\0");
    h.update(item.meta.item_type.as_str().as_bytes());
    h.update(b"\0");
    h.update(item.meta.agenda_item.as_deref().unwrap_or("").as_bytes());
    h.update(b"\0");
    h.update(item.line_start.to_string().as_bytes());
    h.finalize().to_hex()[..16].to_string()
}

/// The tantivy document of one item of a paper (the `index`th of its items).
pub(crate) fn build(f: &Fields, src: &Source<'_>, index: usize, item: &Item) -> TantivyDocument {
    let text = src.text;
    let body = paper::item_body(&text.lines, item);
    let mut stored = StoredItem {
        id: src.ids[index].clone(),
        path: src.key.to_string(),
        line_start: item.line_start,
        line_end: item.line_end,
        meta: item.meta.clone(),
        pdf_page_start: None,
        pdf_page_end: None,
        parent_id: item.parent.and_then(|i| src.ids.get(i)).cloned(),
        present: Vec::new(),
        apologies: Vec::new(),
        attending: Vec::new(),
        acronyms: Vec::new(),
        format: src.format,
        file_hash: src.hash.to_string(),
        content_hash: content_hash(&body),
        body: None,
        layout: TextLayout {
            line_positions: analysis::line_start_positions(&body),
            page_markers: item.page_markers.clone(),
            pdf_pages: Vec::new(),
        },
    };
    if let Some(a) = &item.attendance {
        stored.present.clone_from(&a.present);
        stored.apologies.clone_from(&a.apologies);
        stored.attending.clone_from(&a.attending);
    }
    add_pdf_pages(&mut stored, &text.pdf_page_starts);
    let acronyms = src.acronyms.of_item(&item.acronyms, &item.meta.title, &body);
    stored.acronyms.clone_from(&acronyms.used);
    let text =
        ItemText { body: &body, headings: headings(&body), expansions: acronyms.expansions, caps: acronyms.caps };
    stored.to_document(f, &text)
}

/// The PDF pages the item spans, and where each starts inside it.
fn add_pdf_pages(stored: &mut StoredItem, pdf_page_starts: &[usize]) {
    if pdf_page_starts.is_empty() {
        return;
    }
    let page_at = |line: usize| pdf_page_starts.partition_point(|&s| s <= line).max(1) as u32;
    let (first, last) = (page_at(stored.line_start), page_at(stored.line_end));
    stored.pdf_page_start = Some(first);
    stored.pdf_page_end = Some(last);
    stored.layout.pdf_pages =
        (first..=last).map(|p| (pdf_page_starts[p as usize - 1].max(stored.line_start), p)).collect();
}

/// Fewest words an item's text needs before another copy of it counts as the
/// same paper published twice: one-line boilerplate ("And Resolved:", a
/// council's name) recurs in every meeting and is never merged.
pub(crate) const MIN_DUPLICATE_WORDS: usize = 40;

/// Section headings inside an item: Markdown headings, numbered section titles
/// ("3. Background") and short bold lines. Never long lines or sentences.
pub(crate) fn headings(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain(std::iter::once(body.len()));
    for end in ends {
        let t = body[start..end].trim();
        start = end + 1;
        // What every heading starts with, tested first: most lines start otherwise.
        let md = t.starts_with('#');
        let bold = t.starts_with("**") && t.ends_with("**");
        let digit = t.as_bytes().first().is_some_and(u8::is_ascii_digit);
        if !(md || bold || digit) || t.len() < 3 || t.len() > 100 || t.ends_with('.') || t.contains('\t') {
            continue;
        }
        let numbered = digit && {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            rest.len() < t.len()
                && rest.starts_with(' ')
                && rest.trim_start().chars().next().is_some_and(char::is_uppercase)
                && rest.split_whitespace().count() <= 10
        };
        if md || bold || numbered {
            out.push(t.trim_start_matches('#').trim_matches('*').trim());
        }
    }
    out
}

/// A hash of an item's text with whitespace and case normalised: equal for the
/// same paper published twice, whatever its line breaks. None for a text of
/// fewer than [`MIN_DUPLICATE_WORDS`] words.
pub(crate) fn content_hash(body: &str) -> Option<ContentHash> {
    body.split_ascii_whitespace().nth(MIN_DUPLICATE_WORDS - 1)?;
    let hex = normalised_hash(body);
    u64::from_str_radix(&hex, 16).ok().map(ContentHash)
}

/// The hash of [`content_hash`], for any text, in hex.
fn normalised_hash(body: &str) -> String {
    // The words (split as `split_whitespace` splits), lower-cased, each
    // followed by one space, hashed in one call. First every character is
    // lower-cased and whitespace becomes a space: runs of ASCII in bulk, other
    // characters one by one (as `str::to_lowercase` does for every character
    // but capital sigma). Then runs of spaces are squeezed to one.
    let mut normal: Vec<u8> = Vec::with_capacity(body.len() + 1);
    let mut rest = body;
    while !rest.is_empty() {
        let ascii = analysis::bytes::ascii_prefix_len(rest.as_bytes());
        let from = normal.len();
        normal.extend_from_slice(&rest.as_bytes()[..ascii]);
        normal[from..].iter_mut().for_each(|b| *b = fold_ascii(*b));
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() {
            normal.push(b' ');
        } else if c == 'Σ' {
            return content_hash_by_words(body);
        } else {
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                normal.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    normal.push(b' ');
    let len = squeeze_spaces(&mut normal);
    blake3::hash(&normal[..len]).to_hex()[..16].to_string()
}

/// Keeps a space of `text` only where it follows another byte (so leading
/// spaces go and runs of spaces become one), in place; returns the new length.
/// Eight bytes at a time where they hold no two spaces in a row.
fn squeeze_spaces(text: &mut [u8]) -> usize {
    let (mut j, mut k) = (0, 0);
    let mut after_space = true;
    while k < text.len() {
        if let Some(chunk) = text.get(k..k + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let spaces = analysis::bytes::bytes_in_range(w, b' ', b' ');
            let after = (spaces << 8) | (u64::from(after_space) << 7);
            if spaces & after == 0 {
                text[j..j + 8].copy_from_slice(&w.to_le_bytes());
                (j, k) = (j + 8, k + 8);
                after_space = spaces >> 63 != 0;
                continue;
            }
        }
        let end = (k + 8).min(text.len());
        for k in k..end {
            let x = text[k];
            text[j] = x;
            let space = x == b' ';
            j += usize::from(!space || !after_space);
            after_space = space;
        }
        k = end;
    }
    j
}

/// An ASCII byte lower-cased, or a space for ASCII whitespace (as
/// `char::is_whitespace` has it: space, tab, LF, VT, FF, CR). Branch-free,
/// so a run of bytes is mapped in vector registers.
fn fold_ascii(b: u8) -> u8 {
    let upper = b.wrapping_sub(b'A') < 26;
    let space = b.wrapping_sub(b'\t') < 5;
    let lower = b | (u8::from(upper) << 5);
    if space {
        b' '
    } else {
        lower
    }
}

/// [`content_hash`] word by word, for the texts whose lower case depends on
/// context (a capital sigma ends a word as `ς`).
fn content_hash_by_words(body: &str) -> String {
    let mut h = blake3::Hasher::new();
    for w in body.split_whitespace() {
        h.update(w.to_lowercase().as_bytes());
        h.update(b" ");
    }
    h.finalize().to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_the_short_marked_or_numbered_lines() {
        let body = "# Agenda\n3. Background\n3.1 Financial Implications\r\n**Recommendation**\n\
                    4. The council agreed.\n5. lower case\n12\tTable\n**x\nPlain line\n## \n 6.  Risks";
        assert_eq!(
            headings(body),
            vec!["Agenda", "3. Background", "3.1 Financial Implications", "Recommendation", "6.  Risks"]
        );
        // Line by line, as written: the same lines on the seeds.
        let reference = |body: &str| -> Vec<String> {
            body.lines()
                .map(str::trim)
                .filter(|t| (3..=100).contains(&t.len()) && !t.ends_with('.') && !t.contains('\t'))
                .filter(|t| {
                    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                    let numbered = t.starts_with(|c: char| c.is_ascii_digit())
                        && rest.starts_with(' ')
                        && rest.trim_start().starts_with(char::is_uppercase)
                        && rest.split_whitespace().count() <= 10;
                    t.starts_with('#') || (t.starts_with("**") && t.ends_with("**")) || numbered
                })
                .map(|t| t.trim_start_matches('#').trim_matches('*').trim().to_string())
                .collect()
        };
        let mut found = 0;
        for text in crate::testing::sample_texts() {
            let got = headings(&text);
            assert_eq!(got, reference(&text));
            found += got.len();
        }
        assert!(found > 50, "{found}");
    }

    #[test]
    fn content_hash_is_that_of_the_lower_cased_words() {
        let reference = |body: &str| {
            let mut h = blake3::Hasher::new();
            for w in body.split_whitespace() {
                h.update(w.to_lowercase().as_bytes());
                h.update(b" ");
            }
            h.finalize().to_hex()[..16].to_string()
        };
        for body in [
            "",
            " ",
            "A  b\tC\r\n\x0B\x0cd ",
            "\x1fx y",
            "Caf\u{e9}\u{a0}CLUB  \u{2003}x",
            "x",
            "\u{85}\u{2028}ÉCOLE \u{130}stanbul ß",
            "ΟΔΟΣ ΣΑΣ Σ",
        ] {
            assert_eq!(normalised_hash(body), reference(body), "{body:?}");
        }
        assert_eq!(normalised_hash("The  Plan\n"), normalised_hash("the plan"));
        let long = "the same report ".repeat(14);
        let hex = normalised_hash(&long.to_uppercase());
        assert_eq!(content_hash(&long).map(|h| format!("{:016x}", h.0)), Some(hex));
        assert_eq!(content_hash("And Resolved:"), None);
        for b in 0..128u8 {
            let c = char::from(b);
            let want = if c.is_whitespace() { b' ' } else { b.to_ascii_lowercase() };
            assert_eq!(fold_ascii(b), want, "{b}");
        }
        let long = format!("{}\u{e9}{}", "ab  ".repeat(9), "Cd\t".repeat(9));
        assert_eq!(analysis::bytes::ascii_prefix_len(long.as_bytes()), 36);
        assert_eq!(normalised_hash(&long), reference(&long));
        for text in ["", " ", "  a  b ", "a b c d e f g h i j k l m n o p q r s t u v w x y z", "                  x"] {
            let mut got = text.as_bytes().to_vec();
            let len = squeeze_spaces(&mut got);
            let want = text.split(' ').filter(|w| !w.is_empty()).map(|w| format!("{w} ")).collect::<String>();
            let want = if text.ends_with(' ') { want } else { want.trim_end_matches(' ').to_string() };
            assert_eq!(std::str::from_utf8(&got[..len]).unwrap(), want, "{text:?}");
        }
        let (mut ascii, mut other) = (0, 0);
        for text in crate::testing::sample_texts() {
            for para in text.split("\n\n") {
                assert_eq!(normalised_hash(para), reference(para), "{para:?}");
                if para.is_ascii() {
                    ascii += 1;
                } else {
                    other += 1;
                }
            }
        }
        assert!(ascii > 100 && other > 10, "{ascii} {other}");
    }
}
