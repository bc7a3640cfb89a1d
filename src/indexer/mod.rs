//! The batch indexer: walk folders, read each paper, segment it into items and
//! write them to the index, committing in bounded batches.
//!
//! The flow, one file at a time: [`walk`] finds the papers; [`parse`] workers
//! read, segment and map each into documents ([`document`], [`acronyms`]);
//! this module feeds them to tantivy's writer ([`flight`] bounds what it
//! holds), keeps the record of indexed files and commits.
//!
//! Re-running over the same folders adds new files, re-indexes changed ones (by
//! content hash), removes the items of deleted files and skips the unchanged; a
//! paper moved to another folder keeps its ids and loses its old path. The
//! record of indexed files travels in the commit payload, so it is always
//! exactly as durable as the items it describes. `--rebuild` builds a new index
//! beside the live one and swaps it in whole at the end ([`rebuild`]). Per-file
//! problems are counted in [`IndexStats`], never fatal. The indexer never
//! prints: progress goes to the caller's [`Progress`] callback.

mod acronyms;
mod context;
mod document;
pub mod exclude;
mod flight;
mod parse;
mod rebuild;
pub mod settings;
mod walk;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, UNIX_EPOCH};

use serde::Serialize;
use tantivy::directory::error::LockError;
use tantivy::directory::Directory;
use tantivy::{IndexWriter, ReloadPolicy, Term};

use crate::index::{self, Declared, FileRecord, OpenIndex, OpenMode, Payload};
use crate::paper;
use crate::{Error, FileProblem, Result};
use context::{Context, Found, HELD_BYTES};
use flight::{InFlight, QueuedDocument, IN_FLIGHT_BYTES, STALL};
pub use parse::MAX_LINE_BYTES;
use parse::{Paper, Parsed};
use settings::Settings;
use walk::{Candidate, Walked};

/// What the index searches of a stored item besides its fields: its section
/// headings, the acronym expansions it uses, and the acronyms it writes in
/// capitals, as the writer made them from the item's text and acronym pairs.
/// For handing items to another engine ([`crate::cluster`]).
pub fn searched_terms(item: &crate::record::StoredItem) -> SearchedTerms {
    let pairs: Vec<crate::lexicon::Acronym> = item
        .acronyms
        .iter()
        .filter_map(|a| a.split_once('='))
        .map(|(short, long)| crate::lexicon::Acronym { short: short.into(), long: long.into() })
        .collect();
    let known = acronyms::Acronyms::new(&pairs);
    let found = known.of_item(&pairs, &item.meta.title, item.body());
    SearchedTerms {
        headings: document::headings(item.body()).into_iter().map(str::to_string).collect(),
        expansions: found.expansions.into_iter().map(str::to_string).collect(),
        caps: found.caps.into_iter().map(str::to_string).collect(),
    }
}

/// See [`searched_terms`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchedTerms {
    /// Section headings inside the item.
    pub headings: Vec<String>,
    /// Long forms of the acronyms it uses, and acronyms of the long forms it uses.
    pub expansions: Vec<String>,
    /// Acronyms as written in capitals.
    pub caps: Vec<String>,
}

/// True while a rebuild of the index at `dir` is under way (or was killed
/// midway): its new index is being built beside it.
pub fn rebuild_under_way(dir: &Path) -> bool {
    rebuild::under_way(dir)
}

/// How to run the indexer.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Build a new index from these folders alone, beside the live one, and
    /// swap it in at the end.
    pub rebuild: bool,
    /// Writer memory budget, in bytes, shared by the writer threads.
    pub memory_budget: usize,
    /// Writer threads (0: one per core, at most 4).
    pub threads: usize,
    /// Commit after roughly this many bytes of input read, so a crash loses at
    /// most one batch (see [`index_paths`]).
    pub batch_bytes: u64,
    /// Globs of files and folders not to index (see [`exclude`]); each
    /// root's `.council-search-ignore` file adds to them.
    pub exclude: Vec<String>,
    /// The council of every paper of the run, whatever the papers name
    /// (over every folder's settings file; see [`settings`]).
    pub council: Option<String>,
}

impl IndexOptions {
    /// What the options say about every paper of the run.
    fn settings(&self) -> Settings {
        Settings { council: self.council.clone(), ..Settings::default() }
    }
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            memory_budget: 256 << 20,
            threads: 0,
            batch_bytes: 64 << 20,
            exclude: Vec::new(),
            council: None,
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
    /// Short reason key (`empty`, `binary`, `unreadable`, `unsupported`, ...).
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
    /// Files found at a new path with the content of a recorded file that is
    /// gone from its old one (a moved or renamed folder): indexed under the new
    /// path, with the same item ids, and the old path's items removed.
    pub moved: usize,
    /// Files skipped because they are unchanged.
    pub unchanged: usize,
    /// Files skipped with a reason.
    pub skipped: Vec<Skip>,
    /// Other files passed over without a word: not papers by their kind
    /// (images, archives).
    pub ignored: usize,
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
/// needed. With [`IndexOptions::rebuild`], a new index of `roots` alone is
/// built beside the live one and swapped in whole at the end (an index of
/// another schema or analysis version is replaced, not refused); searches
/// meanwhile see the old index whole. Roots that hold no paper at all (and
/// none recorded) are an error, before anything is written.
///
/// Crash safety: items and the record of indexed files are committed together
/// every [`IndexOptions::batch_bytes`] of input, and each commit replaces
/// `meta.json` atomically. A run killed at any moment (even `SIGKILL`, a full
/// disk, a power cut) leaves the index exactly as of its last commit, searchable
/// and consistent, and loses at most the one batch in progress; the next run
/// redoes that batch by itself (tantivy's writer lock is an advisory `flock`,
/// released by the kernel when the process dies). Searches running meanwhile
/// see the last commit; while a first index is still being built, they are
/// told so ([`Payload::building`]). A rebuild killed midway leaves the live
/// index untouched.
pub fn index_paths(
    dir: &Path,
    roots: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<IndexStats> {
    let started = Instant::now();
    let walked = walk::walk_roots(roots, &options.exclude, &options.settings())?;
    if options.rebuild {
        require_papers(&walked, roots, None)?;
        return rebuild::beside(dir, |staging| {
            let open = index::open_or_create_with(staging, OpenMode::OrCreate)?;
            run(open, walked, options, progress, started)
        });
    }
    let open = if index::exists(dir) { Some(index::open(dir)?) } else { None };
    require_papers(&walked, roots, open.as_ref())?;
    let open = match open {
        Some(open) => open,
        None => index::open_or_create_with(dir, OpenMode::OrCreate)?,
    };
    run(open, walked, options, progress, started)
}

/// As [`index_paths`], into the index held by any tantivy [`Directory`]
/// (created if empty); `path` names it in messages. This is the seam through
/// which tests inject failing storage. Here a rebuild starts the index over in
/// place: its first commit holds no old item, and until then the old index
/// stands.
pub fn index_into(
    directory: Box<dyn Directory>,
    path: &Path,
    roots: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<IndexStats> {
    let started = Instant::now();
    let walked = walk::walk_roots(roots, &options.exclude, &options.settings())?;
    let mode = if options.rebuild { OpenMode::Recreate } else { OpenMode::OrCreate };
    let open = index::open_in(directory, path, mode)?;
    require_papers(&walked, roots, (!options.rebuild).then_some(&open))?;
    run(open, walked, options, progress, started)
}

/// Refuses a run over roots with no paper in them, unless the index records
/// files under them (whose removal is then the point of the run).
fn require_papers(walked: &Walked, roots: &[PathBuf], open: Option<&OpenIndex>) -> Result<()> {
    if !walked.files.is_empty() {
        return Ok(());
    }
    let recorded = open
        .and_then(|o| o.payload().ok())
        .is_some_and(|p| p.files.keys().any(|k| walked.root_keys.iter().any(|r| walk::is_under(k, r))));
    if recorded {
        return Ok(());
    }
    let named: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    let mut why = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, problem) in &walked.skipped {
        *counts.entry(problem.kind()).or_default() += 1;
    }
    why.extend(counts.iter().map(|(k, n)| format!("{n} {k}")));
    if walked.ignored > 0 {
        why.push(format!("{} other files", walked.ignored));
    }
    let found = if why.is_empty() { "nothing".to_string() } else { why.join(", ") };
    Err(Error::BadInput(format!(
        "no papers found in {} (found {found}); papers are .pdf, .html, .md and .txt files",
        named.join(", ")
    )))
}

/// One indexing run over an open index: remove what is gone, parse the
/// files on worker threads, feed their documents to the writer, commit.
fn run(
    open: OpenIndex,
    walked: Walked,
    options: &IndexOptions,
    progress: &mut dyn FnMut(Progress<'_>),
    started: Instant,
) -> Result<IndexStats> {
    let payload = if options.rebuild { Payload::current() } else { open.payload()? };
    let fresh = payload.files.is_empty();
    let mut feed = Feed::new(&open, payload, options, progress, &walked.files)?;
    if options.rebuild {
        // Lands in the same commit as the first batch and the reset payload.
        feed.writer.delete_all_documents().map_err(|e| write_error(&open.path, e))?;
    }
    // A first index says so in every commit until its last.
    feed.payload.building = fresh || feed.payload.building;
    for (path, problem) in &walked.skipped {
        feed.skip(path, problem.clone(), None);
    }
    feed.stats.ignored = walked.ignored;
    declare(&mut feed.payload.declared, &walked.settings);
    let total_bytes = walked.files.iter().map(|f| f.bytes).sum();
    (feed.progress)(Progress::Found { files: walked.files.len(), bytes: total_bytes });
    feed.remove_gone(&walked);
    parse_and_feed(&mut feed, &walked.files)?;
    for (held, found) in feed.context.drain() {
        feed.release(&walked.files, held, found)?;
    }
    feed.payload.building = false;
    feed.finish(started)
}

/// Parses `files` on worker threads, all cores at once, and feeds each
/// file's outcome to the writer on this thread in the order they finish.
fn parse_and_feed(feed: &mut Feed<'_>, files: &[Candidate]) -> Result<()> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Parsed)>(workers * 2);
    let fields = feed.open.fields;
    let recorded = if feed.options.rebuild { BTreeMap::new() } else { feed.payload.files.clone() };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (tx, next, recorded) = (tx.clone(), &next, &recorded);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                if tx.send((i, parse::parse(file, recorded.get(&file.key), &fields))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (i, parsed) in rx {
            // An error stops the feeding; the workers stop at their next send.
            feed.take(files, i, parsed)?;
        }
        Ok(())
    })
}

/// The writing side of a run: the writer, the record of indexed files and
/// the figures, fed one parsed file at a time.
struct Feed<'a> {
    open: &'a OpenIndex,
    options: &'a IndexOptions,
    progress: &'a mut dyn FnMut(Progress<'_>),
    writer: IndexWriter<QueuedDocument>,
    payload: Payload,
    stats: IndexStats,
    in_flight: Arc<InFlight>,
    /// Input bytes read since the last commit.
    batch: u64,
    /// Timestamps this recent may still change within the file system's
    /// clock granularity, so they are not trusted next time.
    trust_before: i64,
    /// Recorded files gone from disk, by content hash: where a file of the
    /// same content turns up at a new path, it was moved.
    gone_by_hash: HashMap<String, Vec<String>>,
    /// What the papers of each folder name, and the papers held until their
    /// folders have been read.
    context: Context<Held>,
}

/// A paper whose documents wait for the names the papers around it give.
struct Held {
    /// Its index among the run's files.
    file: usize,
    paper: Paper,
    /// Whether the index holds an older version of it.
    changed: bool,
    /// The modification time to record.
    mtime: i64,
}

/// Records the councils and committees the user named, with their aliases.
fn declare(declared: &mut Declared, settings: &[Arc<Settings>]) {
    for s in settings {
        if let Some(c) = &s.council {
            declared.councils.entry(c.trim().to_string()).or_default().extend(s.council_aliases.iter().cloned());
        }
        for (alias, name) in &s.committees {
            declared.committees.insert(alias.clone(), name.clone());
        }
    }
}

impl<'a> Feed<'a> {
    fn new(
        open: &'a OpenIndex,
        payload: Payload,
        options: &'a IndexOptions,
        progress: &'a mut dyn FnMut(Progress<'_>),
        files: &[Candidate],
    ) -> Result<Self> {
        Ok(Feed {
            writer: writer(open, options)?,
            open,
            options,
            progress,
            payload,
            stats: IndexStats::default(),
            in_flight: InFlight::new(IN_FLIGHT_BYTES, STALL),
            batch: 0,
            trust_before: now_nanos().saturating_sub(RACY_NANOS),
            gone_by_hash: HashMap::new(),
            context: Context::new(files.iter().map(|f| f.path.as_path()), HELD_BYTES),
        })
    }

    /// Removes the items of recorded files under the walked roots that are
    /// not on disk any more; a folder the walk could not read keeps its items
    /// (it may be back next time). Recorded files outside the roots that are
    /// gone from disk are remembered by content, to spot moves.
    fn remove_gone(&mut self, walked: &Walked) {
        let found: std::collections::HashSet<&str> = walked.files.iter().map(|f| f.key.as_str()).collect();
        let mut under_roots = Vec::new();
        for (key, record) in &self.payload.files {
            if found.contains(key.as_str()) {
                continue;
            }
            let under = walked.root_keys.iter().any(|r| walk::is_under(key, r));
            if under && !walked.unreadable.iter().any(|u| walk::is_under(key, u)) {
                under_roots.push(key.clone());
            } else if !under && !Path::new(key).exists() {
                self.gone_by_hash.entry(record.hash.clone()).or_default().push(key.clone());
            }
        }
        for key in under_roots {
            self.forget(&key);
            self.stats.removed += 1;
        }
    }

    /// Deletes a recorded file's items and its record.
    fn forget(&mut self, key: &str) {
        self.writer.delete_term(Term::from_field_text(self.open.fields.path, key));
        self.payload.files.remove(key);
    }

    /// Records and reports a skipped file.
    fn skip(&mut self, path: &Path, problem: FileProblem, detail: Option<String>) {
        let detail = detail.unwrap_or_else(|| problem.to_string()).replace(['\n', '\r'], " ");
        (self.progress)(Progress::Skipped { path, problem: &problem, detail: &detail });
        self.stats.skipped.push(Skip { path: path.to_path_buf(), reason: problem.kind(), detail });
    }

    /// Takes one parsed file: records it, and writes its documents now, or
    /// once the papers around it have given the names it lacks; writes the
    /// held papers this file settles; commits when a batch is full.
    fn take(&mut self, files: &[Candidate], i: usize, parsed: Parsed) -> Result<()> {
        let file = &files[i];
        let previous = if self.options.rebuild { None } else { self.payload.files.get(&file.key).cloned() };
        let mtime = if file.mtime < self.trust_before { file.mtime } else { 0 };
        match parsed {
            Parsed::Unchanged { hash } => {
                let named = previous.as_ref().map(|p| p.named.clone()).unwrap_or_default();
                self.context.named(&file.path, &named);
                if let Some(hash) = hash {
                    // Same bytes, new timestamp: remember the timestamp, keep the items.
                    self.stats.bytes += file.bytes;
                    let items = previous.map_or(0, |p| p.items);
                    let record = FileRecord { hash, items, bytes: file.bytes, mtime, named };
                    self.payload.files.insert(file.key.clone(), record);
                }
                self.stats.unchanged += 1;
                (self.progress)(Progress::File { path: &file.path, bytes: file.bytes });
            }
            Parsed::Skipped { problem, detail } => {
                self.skip(&file.path, problem, detail);
                // A file that became unreadable keeps no stale items.
                if self.payload.files.contains_key(&file.key) {
                    self.forget(&file.key);
                    self.stats.removed += 1;
                }
            }
            Parsed::Docs(paper) => {
                self.context.named(&file.path, &paper.needs.named);
                let bytes = paper.docs.iter().map(|d| doc_text_bytes(d, self.open.fields.body)).sum();
                let needs = paper.needs.clone();
                let held = Held { file: i, paper, changed: previous.is_some(), mtime };
                if let Some(held) = self.context.hold(&file.path, held, bytes, needs) {
                    self.write(files, held)?;
                }
                (self.progress)(Progress::File { path: &file.path, bytes: file.bytes });
            }
        }
        for (held, found) in self.context.taken(&file.path) {
            self.release(files, held, found)?;
        }
        Ok(())
    }

    /// Writes a held paper with the names the papers around it gave.
    fn release(&mut self, files: &[Candidate], mut held: Held, found: Found) -> Result<()> {
        let f = self.open.fields;
        let needs = &held.paper.needs;
        let council = needs.named.council.as_deref().or(found.council.as_deref());
        let committee = needs.named.committee.as_deref().or(found.committee.as_deref());
        let (late_council, late_committee) = (found.council.as_deref(), found.committee.as_deref());
        for (doc, date) in held.paper.docs.iter_mut().zip(&held.paper.dates) {
            crate::record::add_names(doc, &f, late_council, late_committee);
            crate::record::add_meeting_id(doc, &f, &paper::meeting_id(council, committee, *date));
        }
        self.write(files, held)
    }

    /// Writes a changed or new file's documents in place of its old ones.
    fn write(&mut self, files: &[Candidate], held: Held) -> Result<()> {
        let Held { file, paper, changed, mtime } = held;
        let file = &files[file];
        let Paper { hash, docs, lossy, needs, .. } = paper;
        self.stats.bytes += file.bytes;
        *self.stats.formats.entry(file.format.name()).or_default() += 1;
        if lossy {
            self.stats.lossy += 1;
            (self.progress)(Progress::Note { path: &file.path, note: "not valid UTF-8; decoded lossily" });
        }
        if changed {
            self.forget(&file.key);
            self.stats.changed += 1;
        } else if let Some(old) = self.gone_by_hash.get_mut(&hash).and_then(Vec::pop) {
            self.forget(&old);
            self.stats.moved += 1;
        } else {
            self.stats.added += 1;
        }
        let count = docs.len();
        for doc in docs {
            let bytes = doc_text_bytes(&doc, self.open.fields.body);
            let queued = QueuedDocument::new(doc, self.in_flight.admit(bytes));
            if let Err(e) = self.writer.add_document(queued) {
                return Err(write_error(&self.open.path, worker_error(&mut self.writer, e)));
            }
        }
        self.stats.items += count;
        let record = FileRecord { hash, items: count as u64, bytes: file.bytes, mtime, named: needs.named };
        self.payload.files.insert(file.key.clone(), record);
        self.batch += file.bytes;
        if self.batch >= self.options.batch_bytes {
            self.commit()?;
            self.batch = 0;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        (self.progress)(Progress::Committing);
        commit(&mut self.writer, &self.payload).map_err(|e| write_error(&self.open.path, e))?;
        self.stats.commits += 1;
        Ok(())
    }

    /// The last commit, then the merges; the figures of the whole run.
    fn finish(mut self, started: Instant) -> Result<IndexStats> {
        self.commit()?;
        let fail = |e| write_error(&self.open.path, e);
        self.writer.wait_merging_threads().map_err(fail)?;
        let reader = self.open.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(fail)?;
        self.stats.total_items = reader.searcher().num_docs();
        self.stats.seconds = started.elapsed().as_secs_f64();
        Ok(self.stats)
    }
}

/// Bytes of text a document holds, roughly: its body and the rest.
fn doc_text_bytes(doc: &tantivy::TantivyDocument, body: tantivy::schema::Field) -> usize {
    use tantivy::schema::Value;
    doc.get_first(body).and_then(|v| v.as_str()).map_or(0, str::len) + 1024
}

/// How recent a modification time may be and still change unseen (coarse
/// file-system clocks): two seconds, in nanoseconds.
const RACY_NANOS: i64 = 2_000_000_000;

fn now_nanos() -> i64 {
    std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i64)
}

fn writer(open: &OpenIndex, options: &IndexOptions) -> Result<IndexWriter<QueuedDocument>> {
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()).min(4),
        n => n,
    };
    // tantivy needs at least 15 MB a thread.
    let budget = options.memory_budget.max(threads * (16 << 20));
    // The writer lock is an flock on an open file. A new index is created
    // under that lock a moment before; if another thread of this process
    // forks meanwhile (a program starting a child), the child holds a copy of
    // that file until it execs, and with it the lock: a busy lock is asked
    // for again for a little while before it is another run's.
    let mut tries = 0;
    loop {
        match open.index.writer_with_num_threads(threads, budget) {
            Ok(writer) => return Ok(writer),
            Err(tantivy::TantivyError::LockFailure(LockError::LockBusy, _)) if tries < LOCK_TRIES => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(tantivy::TantivyError::LockFailure(lock, _)) => return Err(index::lock_error(&open.path, lock)),
            Err(e) => return Err(write_error(&open.path, e)),
        }
    }
}

/// Times a busy writer lock is asked for again (25 ms apart) before it counts as another run's.
const LOCK_TRIES: u32 = 20;

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
fn worker_error(writer: &mut IndexWriter<QueuedDocument>, refused: tantivy::TantivyError) -> tantivy::TantivyError {
    match writer.prepare_commit() {
        Err(cause) => cause,
        Ok(prepared) => {
            // Nothing of this run is published; the index stays as of its last commit.
            let _ = prepared.abort();
            refused
        }
    }
}

fn commit(writer: &mut IndexWriter<QueuedDocument>, payload: &Payload) -> tantivy::Result<()> {
    let json = serde_json::to_string(payload).map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&json);
    prepared.commit()?;
    Ok(())
}
