//! The parse workers' job: one file in, its documents out. Read, hash, skip
//! what is unchanged, extract the text, segment it into items and build each
//! item's document, all before the writer sees any of it.

use chrono::NaiveDate;
use tantivy::TantivyDocument;

use super::acronyms::Acronyms;
use super::context::Needs;
use super::document::{self, Source};
use super::walk::Candidate;
use crate::extract::{self, Format, Text};
use crate::index::FileRecord;
use crate::paper::{self, Item, Named};
use crate::schema::Fields;
use crate::FileProblem;

/// What a worker made of one file.
pub(crate) enum Parsed {
    /// Unchanged: by size and time (`hash` None), or by content (`hash` Some).
    Unchanged { hash: Option<String> },
    /// Not indexable.
    Skipped { problem: FileProblem, detail: Option<String> },
    /// The file's documents, all built before any is added.
    Docs(Paper),
}

/// A paper's documents, and what they still lack.
pub(crate) struct Paper {
    /// The file's content hash.
    pub hash: String,
    /// Its items' documents, in order.
    pub docs: Vec<TantivyDocument>,
    /// Whether its bytes were decoded lossily.
    pub lossy: bool,
    /// The names it gives itself, and which it lacks (the feeder finds those).
    pub needs: Needs,
    /// Each document's meeting date, for its meeting id once the names are known.
    pub dates: Vec<Option<NaiveDate>>,
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
        Ok((docs, needs, dates)) => Parsed::Docs(Paper { hash, docs, lossy: text.lossy, needs, dates }),
        Err(panic) => {
            let msg = crate::error::panic_message(&*panic);
            let detail = format!("unreadable: internal error while segmenting ({msg}); please report it");
            Parsed::Skipped { problem: FileProblem::Unreadable(msg), detail: Some(detail) }
        }
    }
}

type Documents = (Vec<TantivyDocument>, Needs, Vec<Option<NaiveDate>>);

/// The documents of a paper's items, in order; the names the paper gives
/// itself (the user's settings over its own) and which it lacks; each item's
/// meeting date. An item whose names are all known carries its meeting id.
fn documents(file: &Candidate, hash: &str, text: &Text, fields: &Fields) -> Documents {
    let mut items = paper::items(text, &file.path);
    if let Some(settings) = &file.settings {
        settings.apply(&mut items);
    }
    let needs = needs(&items, &file.path);
    if !needs.council && !needs.committee {
        for it in &mut items {
            let m = &it.meta;
            it.meta.meeting_id = Some(paper::meeting_id(m.council.as_deref(), m.committee.as_deref(), m.meeting_date));
        }
    }
    let ids: Vec<String> = items.iter().map(|item| document::item_id(hash, item)).collect();
    let acronyms = Acronyms::new(items.first().map_or(&[][..], |i| &i.acronyms));
    let source = Source { key: &file.key, hash, format: file.format, text, ids: &ids, acronyms: &acronyms };
    let docs = items.iter().enumerate().map(|(k, item)| document::build(fields, &source, k, item)).collect();
    (docs, needs, items.iter().map(|it| it.meta.meeting_date).collect())
}

/// What a paper names itself (its first item's names) and what it lacks.
fn needs(items: &[Item], path: &std::path::Path) -> Needs {
    let first = items.iter().find(|i| i.meta.item_type != paper::ItemType::Decision).or(items.first());
    let named = Named {
        council: first.and_then(|i| i.meta.council.clone()),
        committee: first.and_then(|i| i.meta.committee.clone()),
        date: first.and_then(|i| i.meta.meeting_date),
        kind: first.map(|i| i.meta.item_type),
    };
    let (council, committee) = (named.council.is_none(), named.committee.is_none());
    let (path_council, path_committee) = if council || committee { paper::path_names(path) } else { (None, None) };
    Needs { named, council, committee, path_council, path_committee }
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
