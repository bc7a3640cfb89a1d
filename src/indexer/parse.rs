//! The parse workers' job: one file in, its documents out. Read, hash, skip
//! what is unchanged, extract the text, segment it into items and build each
//! item's document, all before the writer sees any of it.

use tantivy::TantivyDocument;

use super::acronyms::Acronyms;
use super::document::{self, Source};
use super::walk::Candidate;
use crate::extract::{self, Format, Text};
use crate::index::FileRecord;
use crate::schema::Fields;
use crate::{paper, FileProblem};

/// What a worker made of one file.
pub(crate) enum Parsed {
    /// Unchanged: by size and time (`hash` None), or by content (`hash` Some).
    Unchanged { hash: Option<String> },
    /// Not indexable.
    Skipped { problem: FileProblem, detail: Option<String> },
    /// The file's documents, all built before any is added.
    Docs { hash: String, docs: Vec<TantivyDocument>, lossy: bool },
}

/// Reads, hashes, segments and builds one file's documents. `previous` is
/// what the index recorded of the file, if anything.
pub(crate) fn parse(file: &Candidate, previous: Option<&FileRecord>, fields: &Fields) -> Parsed {
    if previous.is_some_and(|p| p.mtime != 0 && p.bytes == file.bytes && p.mtime == file.mtime) {
        return Parsed::Unchanged { hash: None };
    }
    // A text file is read once: its bytes are hashed and, if changed,
    // converted. A PDF, which pdftotext reads itself, is hashed as it streams by.
    let read = match file.format {
        Format::Pdf => hash_file(file).map(|hash| (hash, None)),
        _ => extract::read_bytes(&file.path).map(|b| (blake3::hash(&b).to_hex().to_string(), Some(b))),
    };
    let (hash, bytes) = match read {
        Ok(read) => read,
        Err(problem) => return Parsed::Skipped { problem, detail: None },
    };
    if previous.is_some_and(|p| p.hash == hash) {
        return Parsed::Unchanged { hash: Some(hash) };
    }
    let text = match read_text(file, bytes) {
        Ok(t) => t,
        Err((problem, detail)) => return Parsed::Skipped { problem, detail },
    };
    // A panic while segmenting one file skips that file, not the run.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| documents(file, &hash, &text, fields)));
    match built {
        Ok(docs) => Parsed::Docs { hash, docs, lossy: text.lossy },
        Err(panic) => {
            let msg = crate::error::panic_message(&*panic);
            let detail = format!("unreadable: internal error while segmenting ({msg}); please report it");
            Parsed::Skipped { problem: FileProblem::Unreadable(msg), detail: Some(detail) }
        }
    }
}

/// The documents of a paper's items, in order.
fn documents(file: &Candidate, hash: &str, text: &Text, fields: &Fields) -> Vec<TantivyDocument> {
    let items = paper::items(text, &file.path);
    let ids: Vec<String> = items.iter().map(|item| document::item_id(hash, item)).collect();
    let acronyms = Acronyms::new(items.first().map_or(&[][..], |i| &i.acronyms));
    let source = Source { key: &file.key, hash, format: file.format, text, ids: &ids, acronyms: &acronyms };
    items.iter().enumerate().map(|(k, item)| document::build(fields, &source, k, item)).collect()
}

/// Longest line indexed. A paper's lines are short; a longer one (a text
/// dump with no line breaks) would make one enormous item whose snippet
/// re-analyses the whole line at every search, so the file is skipped.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A file's text, refused if a line is over [`MAX_LINE_BYTES`].
fn read_text(file: &Candidate, bytes: Option<Vec<u8>>) -> Result<Text, (FileProblem, Option<String>)> {
    // The text holds its own copy: the bytes are let go before it is parsed.
    let text = match bytes {
        Some(bytes) => extract::from_bytes_as(&bytes, file.format),
        None => extract::read(&file.path, file.format),
    };
    let text = text.map_err(|p| (p, None))?;
    match text.lines.iter().map(String::len).max() {
        Some(n) if n > MAX_LINE_BYTES => Err((
            FileProblem::TooLarge(file.bytes),
            Some(format!("too large: a line of {n} bytes (the limit is {MAX_LINE_BYTES}); not a paper")),
        )),
        _ => Ok(text),
    }
}

/// BLAKE3 of the file's bytes, streamed. A file over the size limit is not
/// read at all.
fn hash_file(file: &Candidate) -> Result<String, FileProblem> {
    if file.bytes > extract::MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge(file.bytes));
    }
    let mut f = std::fs::File::open(&file.path).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    let mut hasher = blake3::Hasher::new();
    std::io::copy(&mut f, &mut hasher).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    Ok(hasher.finalize().to_hex().to_string())
}
