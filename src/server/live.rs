//! What is served as it is now: a local index (the open [`Searcher`],
//! followed as `index` runs commit and `index --rebuild` swaps a new folder
//! in), or a cluster (which follows its own ingests: nothing to watch here).
//!
//! A thread looks at the index folder every so often. A new commit replaces
//! `meta.json` (atomically), so a changed `meta.json` means "reload the
//! reader": cheap, and searches under way finish on what they had. A rebuild
//! exchanges the whole folder with a new one (see `indexer::rebuild`), so a
//! changed folder identity means "open the index afresh"; should that fail
//! (a folder caught mid-swap on a system without an atomic exchange, an index
//! of another version), the old searcher goes on serving and the problem is
//! reported by `/api/health` until a later look succeeds.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, SystemTime};

use crate::search::{Engine, IndexSummary, Searcher};
use crate::Result;

/// The live index.
pub(crate) struct LiveIndex {
    /// The index folder followed (none for a cluster).
    dir: Option<PathBuf>,
    current: RwLock<Arc<dyn Engine>>,
    /// What the folder looked like at the last look.
    seen: Mutex<Look>,
    /// The index summary of the current searcher, made on first use.
    summary: RwLock<Option<Arc<IndexSummary>>>,
    /// Why the last look could not follow the index, if it could not.
    problem: RwLock<Option<String>>,
}

/// The identity of the folder and of its `meta.json`: what changes when a
/// rebuild swaps the folder, and when a commit lands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Look {
    folder: Option<(u64, u64)>,
    meta: Option<(u64, u64, Option<SystemTime>)>,
}

impl Look {
    fn now(dir: &Path) -> Look {
        Look { folder: std::fs::metadata(dir).ok().map(|m| identity(&m)), meta: meta_identity(dir) }
    }
}

fn meta_identity(dir: &Path) -> Option<(u64, u64, Option<SystemTime>)> {
    let m = std::fs::metadata(dir.join("meta.json")).ok()?;
    let (_, inode) = identity(&m);
    Some((inode, m.len(), m.modified().ok()))
}

#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(m: &std::fs::Metadata) -> (u64, u64) {
    (0, m.created().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64))
}

/// What a look found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Nothing new.
    None,
    /// A new commit: the reader was reloaded.
    Reloaded,
    /// A new folder (a rebuild): the index was opened afresh.
    Reopened,
}

impl LiveIndex {
    /// Opens the index at `dir`.
    pub fn open(dir: &Path) -> Result<LiveIndex> {
        let look = Look::now(dir);
        let searcher = Searcher::open(dir)?;
        Ok(LiveIndex::of(Some(dir.to_path_buf()), Arc::new(searcher), look))
    }

    /// Serves a cluster (or any engine with no folder to follow).
    pub fn engine(engine: Arc<dyn Engine>) -> LiveIndex {
        LiveIndex::of(None, engine, Look::default())
    }

    fn of(dir: Option<PathBuf>, engine: Arc<dyn Engine>, look: Look) -> LiveIndex {
        LiveIndex {
            dir,
            current: RwLock::new(engine),
            seen: Mutex::new(look),
            summary: RwLock::new(None),
            problem: RwLock::new(None),
        }
    }

    /// The engine to use for one request.
    pub fn searcher(&self) -> Arc<dyn Engine> {
        match self.current.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// What the index holds (cached until the index changes).
    pub fn summary(&self) -> Result<Arc<IndexSummary>> {
        if let Some(s) = self.summary.read().ok().and_then(|s| s.clone()) {
            return Ok(s);
        }
        let s = Arc::new(self.searcher().stats()?);
        if let Ok(mut slot) = self.summary.write() {
            *slot = Some(Arc::clone(&s));
        }
        Ok(s)
    }

    /// Why the index could not be followed at the last look, if so.
    pub fn problem(&self) -> Option<String> {
        self.problem.read().ok().and_then(|p| p.clone())
    }

    /// Looks at the folder once and follows any change.
    pub fn refresh(&self) -> Change {
        let Some(dir) = &self.dir else { return Change::None };
        let now = Look::now(dir);
        let Ok(mut seen) = self.seen.lock() else { return Change::None };
        if *seen == now {
            return Change::None;
        }
        let outcome = if now.folder != seen.folder {
            Searcher::open(dir).map(|s| {
                if let Ok(mut slot) = self.current.write() {
                    *slot = Arc::new(s);
                }
                Change::Reopened
            })
        } else {
            let engine = self.searcher();
            engine.local().map_or(Ok(()), Searcher::reload).map(|()| Change::Reloaded)
        };
        match outcome {
            Ok(change) => {
                *seen = now;
                if let Ok(mut slot) = self.summary.write() {
                    *slot = None;
                }
                if let Ok(mut p) = self.problem.write() {
                    *p = None;
                }
                change
            }
            Err(e) => {
                // Keep serving what we have; try again at the next look.
                if let Ok(mut p) = self.problem.write() {
                    *p = Some(format!("could not follow the index at {}: {e}", dir.display()));
                }
                Change::None
            }
        }
    }

    /// Follows the index on a thread of its own, every `every`, for as long
    /// as the live index is in use.
    pub fn follow(live: &Arc<LiveIndex>, every: Duration) {
        let weak: Weak<LiveIndex> = Arc::downgrade(live);
        let spawned = std::thread::Builder::new().name("index-follower".into()).spawn(move || loop {
            std::thread::sleep(every);
            match weak.upgrade() {
                Some(live) => {
                    live.refresh();
                }
                None => break,
            }
        });
        if let Err(e) = spawned {
            if let Ok(mut p) = live.problem.write() {
                *p = Some(format!("cannot follow the index for new commits: {e}"));
            }
        }
    }
}
