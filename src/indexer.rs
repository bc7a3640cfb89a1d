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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::Serialize;
use tantivy::directory::Directory;
use tantivy::{IndexWriter, ReloadPolicy, Term};
use walkdir::WalkDir;

use crate::document::{self, ItemDocument};
use crate::exclude::Excludes;
use crate::extract::{self, Format, Text};
use crate::index::{self, FileRecord, OpenIndex, OpenMode, Payload};
use crate::schema::Fields;
use crate::{analysis, paper, Error, FileProblem, Result};

/// How to run the indexer.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Drop everything in the index first.
    pub rebuild: bool,
    /// Writer memory budget, in bytes, shared by the writer threads.
    pub memory_budget: usize,
    /// Writer threads (0: one per core, at most 4).
    pub threads: usize,
    /// Commit after roughly this many bytes of input read, so a crash loses at
    /// most one batch (see [`index_paths`]).
    pub batch_bytes: u64,
    /// Globs of files and folders not to index (see [`crate::exclude`]); each
    /// root's `.council-search-ignore` file adds to them.
    pub exclude: Vec<String>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            memory_budget: 256 << 20,
            threads: 0,
            batch_bytes: 64 << 20,
            exclude: Vec::new(),
        }
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
        /// Why, in full (one line; may say more than `problem`).
        detail: &'a str,
    },
    /// A file was indexed, with something worth saying about it.
    Note {
        /// The file.
        path: &'a Path,
        /// What (one line).
        note: &'static str,
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
    /// Files indexed whose bytes were not all valid UTF-8 (decoded lossily).
    pub lossy: usize,
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

/// Indexes `roots` (files or folders) into the index at `dir`, creating it if
/// needed. With [`IndexOptions::rebuild`], an index of another schema or
/// analysis version is replaced instead of refused.
///
/// Crash safety: items and the record of indexed files are committed together
/// every [`IndexOptions::batch_bytes`] of input, and each commit replaces
/// `meta.json` atomically. A run killed at any moment (even `SIGKILL`, a full
/// disk, a power cut) leaves the index exactly as of its last commit, searchable
/// and consistent, and loses at most the one batch in progress; the next run
/// redoes that batch by itself (tantivy's writer lock is an advisory `flock`,
/// released by the kernel when the process dies). Searches running meanwhile
/// see the last commit.
pub fn index_paths(
    dir: &Path,
    roots: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<IndexStats> {
    let started = Instant::now();
    let mode = if options.rebuild { OpenMode::Recreate } else { OpenMode::OrCreate };
    let open = index::open_or_create_with(dir, mode)?;
    run(open, roots, options, progress, started)
}

/// As [`index_paths`], into the index held by any tantivy [`Directory`]
/// (created if empty); `path` names it in messages. This is the seam through
/// which tests inject failing storage.
pub fn index_into(
    directory: Box<dyn Directory>,
    path: &Path,
    roots: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<IndexStats> {
    let started = Instant::now();
    let mode = if options.rebuild { OpenMode::Recreate } else { OpenMode::OrCreate };
    let open = index::open_in(directory, path, mode)?;
    run(open, roots, options, progress, started)
}

fn run(
    open: OpenIndex,
    roots: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress<'_>),
    started: Instant,
) -> Result<IndexStats> {
    let mut stats = IndexStats::default();
    // Timestamps this recent may still change within the file system's clock
    // granularity without changing, so they are not trusted next time.
    let trust_before = now_nanos().saturating_sub(RACY_NANOS);
    let mut payload = if options.rebuild { Payload::current() } else { open.payload()? };
    let mut writer = writer(&open, options)?;
    let fail = |e: tantivy::TantivyError| write_error(&open.path, e);
    if options.rebuild {
        // Lands in the same commit as the first batch and the reset payload.
        writer.delete_all_documents().map_err(fail)?;
    }

    // Walk first, so the progress bar knows the total and deletions can be found.
    let mut files = Vec::new();
    let mut root_keys = Vec::new();
    let mut walk_errors = Vec::new();
    for root in roots {
        let canonical = std::fs::canonicalize(root).map_err(|e| Error::BadInput(format!("{}: {e}", root.display())))?;
        root_keys.push(path_key(&canonical));
        let excludes = Excludes::new(&options.exclude, &canonical)?;
        walk(&canonical, &excludes, &mut files, &mut walk_errors, &mut stats, progress);
    }
    // Overlapping roots (`papers papers/2024`) name some files twice.
    let mut keys = BTreeSet::new();
    files.retain(|f: &Candidate| keys.insert(f.key.clone()));
    let total_bytes = files.iter().map(|f| f.bytes).sum();
    progress(Progress::Found { files: files.len(), bytes: total_bytes });

    // Files recorded under these roots but not on disk any more. A folder the
    // walk could not read keeps its items: it may be back next time.
    let gone: Vec<String> = payload
        .files
        .keys()
        .filter(|k| {
            !keys.contains(k.as_str())
                && root_keys.iter().any(|r| is_under(k, r))
                && !walk_errors.iter().any(|e: &String| is_under(k, e))
        })
        .cloned()
        .collect();
    for key in gone {
        writer.delete_term(Term::from_field_text(open.fields.path, &key));
        payload.files.remove(&key);
        stats.removed += 1;
    }

    // Files are read, hashed, segmented and turned into documents on worker
    // threads; this thread only feeds the writer and keeps the record, so
    // both cores parse while tantivy's threads index.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Prepared)>(workers * 2);
    let fields = open.fields;
    let payload_before = &payload.files.clone();
    let files = &files;
    let mut batch = 0u64;
    let in_flight = InFlight::new(IN_FLIGHT_BYTES, STALL);
    let outcome: Result<()> = std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                let previous = if options.rebuild { None } else { payload_before.get(&file.key) };
                let prepared = prepare(file, previous, &fields);
                if tx.send((i, prepared)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (i, prepared) in rx {
            let file = &files[i];
            let previous = if options.rebuild { None } else { payload.files.get(&file.key).cloned() };
            let mtime = if file.mtime < trust_before { file.mtime } else { 0 };
            match prepared {
                Prepared::Unchanged { hash } => {
                    if let Some(hash) = hash {
                        // Same bytes, new timestamp: remember the timestamp, keep the items.
                        stats.bytes += file.bytes;
                        let items = previous.map_or(0, |p| p.items);
                        payload.files.insert(file.key.clone(), FileRecord { hash, items, bytes: file.bytes, mtime });
                    }
                    stats.unchanged += 1;
                    progress(Progress::File { path: &file.path, bytes: file.bytes });
                }
                Prepared::Skipped { problem, detail } => {
                    skip(&mut stats, progress, &file.path, problem, detail);
                    // A file that became unreadable keeps no stale items.
                    if payload.files.remove(&file.key).is_some() {
                        writer.delete_term(Term::from_field_text(fields.path, &file.key));
                        stats.removed += 1;
                    }
                }
                Prepared::Docs { hash, docs, lossy } => {
                    stats.bytes += file.bytes;
                    *stats.formats.entry(file.format.name()).or_default() += 1;
                    if lossy {
                        stats.lossy += 1;
                        progress(Progress::Note { path: &file.path, note: "not valid UTF-8; decoded lossily" });
                    }
                    if previous.is_some() {
                        writer.delete_term(Term::from_field_text(fields.path, &file.key));
                        stats.changed += 1;
                    } else {
                        stats.added += 1;
                    }
                    let count = docs.len();
                    for mut doc in docs {
                        doc.hold(in_flight.admit(doc.text_bytes()));
                        if let Err(e) = writer.add_document(doc) {
                            return Err(fail(worker_error(&mut writer, e)));
                        }
                    }
                    stats.items += count;
                    payload
                        .files
                        .insert(file.key.clone(), FileRecord { hash, items: count as u64, bytes: file.bytes, mtime });
                    progress(Progress::File { path: &file.path, bytes: file.bytes });
                    batch += file.bytes;
                    if batch >= options.batch_bytes {
                        progress(Progress::Committing);
                        commit(&mut writer, &payload).map_err(fail)?;
                        stats.commits += 1;
                        batch = 0;
                    }
                }
            }
        }
        Ok(())
    });
    outcome?;
    progress(Progress::Committing);
    commit(&mut writer, &payload).map_err(fail)?;
    stats.commits += 1;
    writer.wait_merging_threads().map_err(fail)?;
    let reader = open.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(fail)?;
    stats.total_items = reader.searcher().num_docs();
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// What a worker made of one file.
enum Prepared {
    /// Unchanged: by size and time (`hash` None), or by content (`hash` Some).
    Unchanged { hash: Option<String> },
    /// Not indexable.
    Skipped { problem: FileProblem, detail: Option<String> },
    /// The file's documents, all built before any is added.
    Docs { hash: String, docs: Vec<ItemDocument>, lossy: bool },
}

/// Reads, hashes, segments and builds one file's documents (on a worker thread).
fn prepare(file: &Candidate, previous: Option<&FileRecord>, fields: &Fields) -> Prepared {
    if previous.is_some_and(|p| p.mtime != 0 && p.bytes == file.bytes && p.mtime == file.mtime) {
        return Prepared::Unchanged { hash: None };
    }
    // A text file is read once: its bytes are hashed and, if changed,
    // converted. A PDF, which pdftotext reads itself, is hashed as it streams by.
    let read = match file.format {
        Format::Pdf => hash_file(file).map(|hash| (hash, None)),
        _ => extract::read_bytes(&file.path).map(|b| (blake3::hash(&b).to_hex().to_string(), Some(b))),
    };
    let (hash, bytes) = match read {
        Ok(read) => read,
        Err(problem) => return Prepared::Skipped { problem, detail: None },
    };
    if previous.is_some_and(|p| p.hash == hash) {
        return Prepared::Unchanged { hash: Some(hash) };
    }
    let text = match read_text(file, bytes) {
        Ok(t) => t,
        Err((problem, detail)) => return Prepared::Skipped { problem, detail },
    };
    // A panic while segmenting one file skips that file, not the run.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let items = paper::items(&text, &file.path);
        let ids: Vec<String> = items.iter().map(|item| document::item_id(&file.key, item)).collect();
        let acronyms = document::Acronyms::new(items.first().map_or(&[][..], |i| &i.acronyms));
        let source = document::Source {
            key: &file.key,
            hash: &hash,
            format: file.format,
            text: &text,
            ids: &ids,
            acronyms: &acronyms,
        };
        items.iter().map(|item| document::build(fields, &source, item)).collect::<Vec<_>>()
    }));
    match built {
        Ok(docs) => Prepared::Docs { hash, docs, lossy: text.lossy },
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown");
            let detail = format!("unreadable: internal error while segmenting ({msg}); please report it");
            Prepared::Skipped { problem: FileProblem::Unreadable(msg.to_string()), detail: Some(detail) }
        }
    }
}

/// How recent a modification time may be and still change unseen (coarse
/// file-system clocks): two seconds, in nanoseconds.
const RACY_NANOS: i64 = 2_000_000_000;

fn now_nanos() -> i64 {
    std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i64)
}

/// Records and reports a skipped file.
fn skip(
    stats: &mut IndexStats,
    progress: &mut dyn FnMut(Progress<'_>),
    path: &Path,
    problem: FileProblem,
    detail: Option<String>,
) {
    let detail = detail.unwrap_or_else(|| problem.to_string()).replace(['\n', '\r'], " ");
    progress(Progress::Skipped { path, problem: &problem, detail: &detail });
    stats.skipped.push(Skip { path: path.to_path_buf(), reason: problem.kind(), detail });
}

/// Longest line indexed. A paper's lines are short; a longer one (a text
/// dump with no line breaks) would make one enormous item whose snippet
/// re-analyses the whole line at every search, so the file is skipped.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A file's text, refused if a line is over [`MAX_LINE_BYTES`].
fn read_text(file: &Candidate, bytes: Option<Vec<u8>>) -> std::result::Result<Text, (FileProblem, Option<String>)> {
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

fn writer(open: &OpenIndex, options: &IndexOptions) -> Result<IndexWriter<ItemDocument>> {
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()).min(4),
        n => n,
    };
    // tantivy needs at least 15 MB a thread.
    let budget = options.memory_budget.max(threads * (16 << 20));
    // The same terms, and each body's line starts kept for its document ([`ItemDocument`]).
    open.index.tokenizers().register(analysis::TEXT_ANALYZER, analysis::indexing_text_analyzer());
    open.index.writer_with_num_threads(threads, budget).map_err(|e| match e {
        tantivy::TantivyError::LockFailure(lock, _) => index::lock_error(&open.path, lock),
        e => write_error(&open.path, e),
    })
}

/// Item text handed to the writer and not yet stored by it, at most. tantivy
/// queues up to 10,000 documents for its indexing threads; when parsing runs
/// ahead of indexing, that queue (not the writer's budget) would hold the
/// memory, tens of MB that do nothing for speed.
const IN_FLIGHT_BYTES: usize = 16 << 20;

/// How long the feeder waits for the writer to store anything before it
/// hands over the next document regardless: should the writer's threads have
/// stopped (a full disk), the documents they were given are never dropped,
/// and only handing over another makes the writer report why.
const STALL: Duration = Duration::from_secs(2);

/// Counts the item text the writer holds; the feeding thread waits while it
/// is over the limit.
struct InFlight {
    bytes: AtomicUsize,
    limit: usize,
    stall: Duration,
    feeder: std::thread::Thread,
}

impl InFlight {
    /// For the calling thread to feed the writer.
    fn new(limit: usize, stall: Duration) -> Arc<Self> {
        Arc::new(InFlight { bytes: AtomicUsize::new(0), limit, stall, feeder: std::thread::current() })
    }

    /// Counts `bytes` more until the ticket is dropped; if they do not fit,
    /// first waits until the writer holds half the limit or less (so the
    /// feeder wakes once per batch, not once per document), or has stored
    /// nothing for `stall`.
    fn admit(self: &Arc<Self>, bytes: usize) -> Ticket {
        if self.bytes.load(Ordering::Acquire) + bytes > self.limit {
            let (mut held, mut since) = (self.bytes.load(Ordering::Acquire), Instant::now());
            while held > self.limit / 2 {
                // Woken when the count falls to half; the timeout only guards the wait.
                std::thread::park_timeout(Duration::from_millis(10));
                let now = self.bytes.load(Ordering::Acquire);
                if now < held {
                    since = Instant::now();
                } else if since.elapsed() >= self.stall {
                    break;
                }
                held = now;
            }
        }
        self.bytes.fetch_add(bytes, Ordering::AcqRel);
        Ticket { flight: Arc::clone(self), bytes }
    }
}

/// Item text counted in [`InFlight`] while the writer holds its document.
pub struct Ticket {
    flight: Arc<InFlight>,
    bytes: usize,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let before = self.flight.bytes.fetch_sub(self.bytes, Ordering::AcqRel);
        let half = self.flight.limit / 2;
        if before > half && before - self.bytes <= half {
            self.flight.feeder.unpark();
        }
    }
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticket").field("bytes", &self.bytes).finish()
    }
}

/// A failure to write the index: one line, and the reassurance that holds
/// (nothing of the last commit is touched before the next one succeeds).
fn write_error(path: &Path, e: tantivy::TantivyError) -> Error {
    let cause = match &e {
        tantivy::TantivyError::IoError(io) => io.to_string(),
        tantivy::TantivyError::OpenWriteError(w) => w.to_string(),
        other => other.to_string(),
    };
    Error::Internal(format!(
        "{}: could not write the index ({}); the index is as of its last commit",
        path.display(),
        cause.replace('\n', " ")
    ))
}

/// Why the writer refused a document. When one of its threads has stopped
/// (a write failed while it compressed or flushed its segment), `add_document`
/// only says that the thread is gone; the cause, a full disk say, is what the
/// thread returned, and joining the threads for a commit hands it over. Should
/// they all be well after all, the commit is abandoned and the refusal stands.
fn worker_error(writer: &mut IndexWriter<ItemDocument>, refused: tantivy::TantivyError) -> tantivy::TantivyError {
    match writer.prepare_commit() {
        Err(cause) => cause,
        Ok(prepared) => {
            // Nothing of this run is published; the index stays as of its last commit.
            let _ = prepared.abort();
            refused
        }
    }
}

fn commit(writer: &mut IndexWriter<ItemDocument>, payload: &Payload) -> tantivy::Result<()> {
    let json = serde_json::to_string(payload).map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
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

fn walk(
    root: &Path,
    excludes: &Excludes,
    out: &mut Vec<Candidate>,
    errors: &mut Vec<String>,
    stats: &mut IndexStats,
    progress: &mut dyn FnMut(Progress<'_>),
) {
    let explicit_file = root.is_file();
    for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                errors.push(path_key(&path));
                skip(stats, progress, &path, FileProblem::Unreadable(e.to_string()), None);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        // Hidden files, and what --exclude or the folder's ignore file names, are not papers.
        if is_hidden(path, root) || path.strip_prefix(root).is_ok_and(|rel| excludes.is_excluded(rel)) {
            continue;
        }
        let Some(format) = Format::of_path(path) else {
            if explicit_file {
                skip(stats, progress, path, FileProblem::Unsupported, None);
            }
            continue;
        };
        let (bytes, mtime) = match entry.metadata() {
            Ok(m) => (
                m.len(),
                m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as i64),
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

/// BLAKE3 of the file's bytes, streamed. A file over the size limit is not
/// read at all.
fn hash_file(file: &Candidate) -> std::result::Result<String, FileProblem> {
    if file.bytes > extract::MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge(file.bytes));
    }
    let mut f = std::fs::File::open(&file.path).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    let mut hasher = blake3::Hasher::new();
    std::io::copy(&mut f, &mut hasher).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    Ok(hasher.finalize().to_hex().to_string())
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
    fn feeding_waits_while_the_writer_holds_too_much() {
        let flight = InFlight::new(100, Duration::from_secs(60));
        // A document over the limit goes in when nothing is held.
        drop(flight.admit(250));
        let first = flight.admit(60);
        let second = flight.admit(30);
        assert_eq!(flight.bytes.load(Ordering::Acquire), 90);
        let released = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(30));
                released.store(true, Ordering::Release);
                drop(first);
            });
            // 90 + 20 is over 100: this waits until the writer holds 50 or less.
            let third = flight.admit(20);
            assert!(released.load(Ordering::Acquire), "admitted before the writer let go");
            assert_eq!(flight.bytes.load(Ordering::Acquire), 50);
            drop((second, third));
        });
        assert_eq!(flight.bytes.load(Ordering::Acquire), 0);
    }

    /// A writer whose threads have stopped never drops what it was given; the
    /// feeder goes on after the stall, so that the writer can say why.
    #[test]
    fn feeding_goes_on_when_the_writer_stores_nothing() {
        let stall = Duration::from_millis(50);
        let flight = InFlight::new(100, stall);
        let stuck = flight.admit(90);
        let started = Instant::now();
        let next = flight.admit(20);
        assert!(started.elapsed() >= stall);
        assert_eq!(flight.bytes.load(Ordering::Acquire), 110);
        drop((stuck, next));
    }

    /// The same with a real writer: a document tantivy refuses stops its only
    /// thread with the documents it was given still queued, and the next
    /// document, handed over after the stall, gets the error.
    #[test]
    fn a_stopped_writer_is_reported_not_waited_for() {
        use tantivy::schema::{Schema, INDEXED, STORED, TEXT};
        use tantivy::TantivyDocument;
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT | STORED);
        let number = builder.add_u64_field("number", INDEXED);
        let index = tantivy::Index::create_in_ram(builder.build());
        let writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 16 << 20).unwrap();
        let flight = InFlight::new(100, Duration::from_millis(200));
        // Held as the stopped writer's queue would hold them: never dropped.
        let mut tickets = Vec::new();
        let mut refused = None;
        for k in 0..100 {
            tickets.push(flight.admit(60));
            let mut doc = TantivyDocument::new();
            if k == 1 {
                doc.add_text(number, "not a number");
            } else {
                doc.add_text(text, "a b c");
            }
            if let Err(e) = writer.add_document(doc) {
                refused = Some(e);
                break;
            }
        }
        assert!(refused.is_some(), "the writer took every document");
    }

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
