//! The batch indexer: walk folders, read each paper, segment it into items and
//! write them to the index, committing in bounded batches.
//!
//! Re-running over the same folders adds new files, re-indexes changed ones (by
//! content hash), removes the items of deleted files and skips the unchanged.
//! The record of indexed files travels in the commit payload, so it is always
//! exactly as durable as the items it describes. Per-file problems are counted
//! in [`IndexStats`], never fatal. The indexer never prints: progress goes to the
//! caller's [`Progress`] callback.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, UNIX_EPOCH};

use serde::Serialize;
use tantivy::{IndexWriter, Term};
use walkdir::WalkDir;

use crate::extract::{self, Format, Text};
use crate::index::{self, FileRecord, OpenIndex, Payload};
use crate::paper;
use crate::{document, Error, FileProblem, Result};

/// How to run the indexer.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Drop everything in the index first.
    pub rebuild: bool,
    /// Writer memory budget, in bytes, shared by the writer threads.
    pub memory_budget: usize,
    /// Writer threads (0: one per core, at most 4).
    pub threads: usize,
    /// Commit after roughly this many bytes of input, so a crash loses at most one batch.
    pub batch_bytes: u64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { rebuild: false, memory_budget: 256 << 20, threads: 0, batch_bytes: 64 << 20 }
    }
}

/// What happened to one file, reported as it happens.
#[derive(Debug, Clone)]
pub enum Progress<'a> {
    /// The walk found this many candidate files, of this many bytes in all.
    Found {
        /// Candidate files.
        files: usize,
        /// Their total size.
        bytes: u64,
    },
    /// A file was read and indexed (or found unchanged).
    File {
        /// The file.
        path: &'a Path,
        /// Its size.
        bytes: u64,
    },
    /// A file was skipped.
    Skipped {
        /// The file.
        path: &'a Path,
        /// Why.
        problem: &'a FileProblem,
    },
    /// A batch is being committed.
    Committing,
}

/// A skipped file and the reason.
#[derive(Debug, Clone, Serialize)]
pub struct Skip {
    /// The file.
    pub path: PathBuf,
    /// Short reason key (`empty`, `binary`, `unreadable`, ...).
    pub reason: &'static str,
    /// The whole reason.
    pub detail: String,
}

/// The summary of one indexing run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexStats {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files re-indexed because their content changed.
    pub changed: usize,
    /// Files whose items were removed because the file is gone.
    pub removed: usize,
    /// Files skipped because they are unchanged.
    pub unchanged: usize,
    /// Files skipped with a reason.
    pub skipped: Vec<Skip>,
    /// Items written in this run.
    pub items: usize,
    /// Items in the index after the run.
    pub total_items: u64,
    /// Bytes of input read.
    pub bytes: u64,
    /// Files read, by format.
    pub formats: BTreeMap<&'static str, usize>,
    /// Commits made.
    pub commits: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Indexes `roots` (files or folders) into the index at `dir`.
pub fn index_paths(
    dir: &Path,
    roots: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<IndexStats> {
    let started = Instant::now();
    let mut stats = IndexStats::default();
    let open = index::open_or_create(dir)?;
    let mut payload = if options.rebuild { Payload::current() } else { open.payload()? };
    let mut writer = writer(&open, options)?;
    if options.rebuild {
        writer.delete_all_documents()?;
    }

    // Walk first, so the progress bar knows the total and deletions can be found.
    let mut files = Vec::new();
    let mut root_keys = Vec::new();
    for root in roots {
        let canonical = std::fs::canonicalize(root).map_err(|e| Error::BadInput(format!("{}: {e}", root.display())))?;
        root_keys.push(path_key(&canonical));
        walk(&canonical, &mut files, &mut stats, progress);
    }
    let total_bytes = files.iter().map(|f: &Candidate| f.bytes).sum();
    progress(Progress::Found { files: files.len(), bytes: total_bytes });

    // Files recorded under these roots but not on disk any more.
    let seen: BTreeSet<&str> = files.iter().map(|f| f.key.as_str()).collect();
    let gone: Vec<String> = payload
        .files
        .keys()
        .filter(|k| !seen.contains(k.as_str()) && root_keys.iter().any(|r| is_under(k, r)))
        .cloned()
        .collect();
    for key in gone {
        writer.delete_term(Term::from_field_text(open.fields.path, &key));
        payload.files.remove(&key);
        stats.removed += 1;
    }

    let mut batch = 0u64;
    for file in &files {
        let previous = payload.files.get(&file.key);
        if previous.is_some_and(|p| p.bytes == file.bytes && p.mtime == file.mtime && !options.rebuild) {
            stats.unchanged += 1;
            progress(Progress::File { path: &file.path, bytes: file.bytes });
            continue;
        }
        let outcome = read_file(file);
        let (text, hash) = match outcome {
            Ok(ok) => ok,
            Err(problem) => {
                progress(Progress::Skipped { path: &file.path, problem: &problem });
                stats.skipped.push(Skip {
                    path: file.path.clone(),
                    reason: problem.kind(),
                    detail: problem.to_string(),
                });
                // A file that became unreadable keeps no stale items.
                if payload.files.remove(&file.key).is_some() {
                    writer.delete_term(Term::from_field_text(open.fields.path, &file.key));
                    stats.removed += 1;
                }
                continue;
            }
        };
        stats.bytes += file.bytes;
        *stats.formats.entry(file.format.name()).or_default() += 1;
        if let Some(p) = previous.filter(|p| p.hash == hash && !options.rebuild) {
            // Same bytes, new timestamp: remember the timestamp, keep the items.
            let items = p.items;
            payload.files.insert(file.key.clone(), FileRecord { hash, items, bytes: file.bytes, mtime: file.mtime });
            stats.unchanged += 1;
            progress(Progress::File { path: &file.path, bytes: file.bytes });
            continue;
        }
        if previous.is_some() {
            writer.delete_term(Term::from_field_text(open.fields.path, &file.key));
            stats.changed += 1;
        } else {
            stats.added += 1;
        }
        let items = paper::items(&text);
        let ids: Vec<String> = items.iter().map(|item| document::item_id(&file.key, item)).collect();
        for item in &items {
            let source = document::Source { key: &file.key, hash: &hash, format: file.format, text: &text, ids: &ids };
            writer.add_document(document::build(&open.fields, &source, item))?;
        }
        stats.items += items.len();
        payload.files.insert(
            file.key.clone(),
            FileRecord { hash, items: items.len() as u64, bytes: file.bytes, mtime: file.mtime },
        );
        progress(Progress::File { path: &file.path, bytes: file.bytes });
        batch += file.bytes;
        if batch >= options.batch_bytes {
            progress(Progress::Committing);
            commit(&mut writer, &payload)?;
            stats.commits += 1;
            batch = 0;
        }
    }
    progress(Progress::Committing);
    commit(&mut writer, &payload)?;
    stats.commits += 1;
    writer.wait_merging_threads()?;
    let reader = open.index.reader()?;
    stats.total_items = reader.searcher().num_docs();
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

fn writer(open: &OpenIndex, options: &IndexOptions) -> Result<IndexWriter> {
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()).min(4),
        n => n,
    };
    // tantivy needs at least 15 MB a thread.
    let budget = options.memory_budget.max(threads * (16 << 20));
    open.index.writer_with_num_threads(threads, budget).map_err(|e| match e {
        tantivy::TantivyError::LockFailure(..) => Error::BadInput(format!(
            "{}: another council-search index run is writing to this index",
            open.path.display()
        )),
        e => e.into(),
    })
}

fn commit(writer: &mut IndexWriter, payload: &Payload) -> Result<()> {
    let json = serde_json::to_string(payload).map_err(|e| Error::Internal(e.to_string()))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&json);
    prepared.commit()?;
    Ok(())
}

struct Candidate {
    path: PathBuf,
    key: String,
    format: Format,
    bytes: u64,
    mtime: i64,
}

fn walk(root: &Path, out: &mut Vec<Candidate>, stats: &mut IndexStats, progress: &mut dyn FnMut(Progress<'_>)) {
    let explicit_file = root.is_file();
    for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                let problem = FileProblem::Unreadable(e.to_string());
                progress(Progress::Skipped { path: &path, problem: &problem });
                stats.skipped.push(Skip { path, reason: problem.kind(), detail: problem.to_string() });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        if is_hidden(path, root) {
            continue;
        }
        let Some(format) = Format::of_path(path) else {
            if explicit_file {
                let problem = FileProblem::Unsupported;
                progress(Progress::Skipped { path, problem: &problem });
                stats.skipped.push(Skip {
                    path: path.to_path_buf(),
                    reason: problem.kind(),
                    detail: problem.to_string(),
                });
            }
            continue;
        };
        let (bytes, mtime) = match entry.metadata() {
            Ok(m) => (
                m.len(),
                m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64),
            ),
            Err(_) => (0, 0),
        };
        out.push(Candidate { path: path.to_path_buf(), key: path_key(path), format, bytes, mtime });
    }
}

/// Hidden files and folders (a leading dot) below the root are not papers.
fn is_hidden(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root)
        .map(|rel| rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.'))))
        .unwrap_or(false)
}

fn read_file(file: &Candidate) -> std::result::Result<(Text, String), FileProblem> {
    let text = extract::read(&file.path, file.format)?;
    let bytes = std::fs::read(&file.path).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    Ok((text, blake3::hash(&bytes).to_hex().to_string()))
}

/// The key a file is recorded under: its absolute path, as text.
fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn is_under(key: &str, root: &str) -> bool {
    key == root || key.strip_prefix(root).is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
}

/// LEB128 varints.
pub fn encode_varints(values: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 2);
    for &v in values {
        let mut v = v;
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// Decodes LEB128 varints; a truncated tail is ignored.
pub fn decode_varints(bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u32, 0u32);
    for &b in bytes {
        v |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        if b & 0x80 == 0 {
            out.push(v);
            v = 0;
            shift = 0;
        } else {
            shift += 7;
        }
    }
    out
}

/// Ascending values as varint deltas.
pub fn encode_deltas(values: &[u32]) -> Vec<u8> {
    let mut prev = 0;
    let deltas: Vec<u32> = values
        .iter()
        .map(|&v| {
            let d = v.saturating_sub(prev);
            prev = v;
            d
        })
        .collect();
    encode_varints(&deltas)
}

/// Inverse of [`encode_deltas`].
pub fn decode_deltas(bytes: &[u8]) -> Vec<u32> {
    let mut acc = 0u32;
    decode_varints(bytes)
        .into_iter()
        .map(|d| {
            acc = acc.saturating_add(d);
            acc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_deltas_round_trip() {
        let v = vec![0, 1, 127, 128, 300, 70_000, u32::MAX];
        assert_eq!(decode_varints(&encode_varints(&v)), v);
        let asc = vec![0, 0, 5, 200, 201, 100_000];
        assert_eq!(decode_deltas(&encode_deltas(&asc)), asc);
    }

    #[test]
    fn roots_contain_only_their_own_files() {
        assert!(is_under("/a/b/c.txt", "/a/b"));
        assert!(!is_under("/a/bc/c.txt", "/a/b"));
    }
}
