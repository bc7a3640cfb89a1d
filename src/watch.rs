//! Saved searches (`council-search watch`): searches kept in a small JSON
//! file, each with the ids of the items it matched at its last run, so a run
//! can say what is new since then.
//!
//! A run looks at the [`WINDOW`] newest matches of each search (by meeting
//! date) and reports those whose ids it has not seen; the ids seen are then
//! replaced by this run's, so the file stays small. Item ids survive
//! re-indexing and moving a paper, so only new (or changed) papers are new.
//! Adding a search records what it matches already, so the first run reports
//! only what arrived after it was added. The file is replaced atomically
//! (written beside, then renamed), so a run killed midway loses nothing.
//! This module reads and writes the file and runs searches; it never prints.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::search::{Hit, SearchRequest, Searcher, Sort};
use crate::{Error, Result};

/// Newest matches a run looks at, per search.
pub const WINDOW: usize = 1000;

/// One saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    /// Its name (unique in the file).
    pub name: String,
    /// The search.
    pub search: SearchRequest,
    /// When it was added (RFC 3339).
    pub added: String,
    /// When it last ran (RFC 3339).
    #[serde(default)]
    pub last_run: Option<String>,
    /// The ids of the items it matched at its last run.
    #[serde(default)]
    pub seen: Vec<String>,
}

/// The saved searches of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchList {
    /// The searches, in the order they were added.
    pub watches: Vec<Watch>,
}

/// What one run of one search found.
#[derive(Debug, Clone)]
pub struct WatchRun {
    /// The search's name.
    pub name: String,
    /// Items matched now and not at the last run, newest meeting first.
    pub new: Vec<Hit>,
    /// Items it matches in all.
    pub total: usize,
}

impl WatchList {
    /// Reads the file at `path` (a missing file is an empty list).
    pub fn load(path: &Path) -> Result<WatchList> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::BadInput(format!("{}: not a saved-search file ({e}); fix or remove it", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WatchList::default()),
            Err(source) => Err(Error::Io { path: path.to_path_buf(), source }),
        }
    }

    /// Writes the file at `path` atomically, creating its folder.
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io { path: path.to_path_buf(), source };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Internal(e.to_string()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let beside = path.with_file_name(format!(".{name}.new"));
        std::fs::write(&beside, text + "\n").map_err(io)?;
        std::fs::rename(&beside, path).map_err(io)
    }

    /// Adds a search named `name`; what it matches now counts as seen.
    pub fn add(&mut self, searcher: &Searcher, name: &str, search: SearchRequest, now: &str) -> Result<&Watch> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::BadInput("a saved search needs a name".into()));
        }
        if self.watches.iter().any(|w| w.name == name) {
            return Err(Error::BadInput(format!("there is already a saved search named {name:?}; remove it first")));
        }
        let mut watch =
            Watch { name: name.to_string(), search, added: now.to_string(), last_run: None, seen: Vec::new() };
        run(searcher, &mut watch, now)?;
        watch.last_run = None;
        self.watches.push(watch);
        Ok(&self.watches[self.watches.len() - 1])
    }

    /// Removes the search named `name`.
    pub fn remove(&mut self, name: &str) -> Result<Watch> {
        let at = self
            .watches
            .iter()
            .position(|w| w.name == name)
            .ok_or_else(|| Error::BadInput(format!("no saved search named {name:?}")))?;
        Ok(self.watches.remove(at))
    }
}

/// Runs one search: the items it matches now that it had not seen, newest
/// meeting first. Its record of what it has seen becomes this run's.
pub fn run(searcher: &Searcher, watch: &mut Watch, now: &str) -> Result<WatchRun> {
    let mut opts = watch.search.options()?;
    (opts.sort, opts.limit) = (Sort::Date, WINDOW);
    let results = searcher.search(&opts)?;
    let seen: std::collections::HashSet<&str> = watch.seen.iter().map(String::as_str).collect();
    let ids: Vec<String> = results.hits.iter().map(|h| h.item.id.clone()).collect();
    let new: Vec<Hit> = results.hits.into_iter().filter(|h| !seen.contains(h.item.id.as_str())).collect();
    watch.seen = ids;
    watch.last_run = Some(now.to_string());
    Ok(WatchRun { name: watch.name.clone(), new, total: results.total })
}
