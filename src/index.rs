//! Opening and creating an index folder: the one place that registers the
//! analyzers and checks the schema version, so no caller can forget either.
//!
//! The commit payload (stored by tantivy in `meta.json`, atomically with each
//! commit) carries the schema and analysis versions and the record of indexed
//! files with their content hashes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::schema::Schema;
use tantivy::Index;

use crate::paper::Named;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::{analysis, Error, Result};

/// What each commit records beside the items.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// [`analysis::ANALYSIS_VERSION`] of the writer.
    pub analysis_version: u32,
    /// Indexed files: path -> record.
    #[serde(default)]
    pub files: BTreeMap<String, FileRecord>,
    /// True in every commit of an index's first run but its last: the index
    /// is still being built (or that run did not finish), and searches say so.
    #[serde(default)]
    pub building: bool,
    /// Councils and committees the user named (settings files, `index
    /// --council`), with their other names, so a search for one finds them.
    #[serde(default, skip_serializing_if = "Declared::is_empty")]
    pub declared: Declared,
}

/// Councils and committees the user named, with their other names.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Declared {
    /// Each council named, with its aliases.
    #[serde(default)]
    pub councils: BTreeMap<String, BTreeSet<String>>,
    /// Committee aliases: the name papers use -> the name shown.
    #[serde(default)]
    pub committees: BTreeMap<String, String>,
}

impl Declared {
    /// True when the user named nothing.
    pub fn is_empty(&self) -> bool {
        self.councils.is_empty() && self.committees.is_empty()
    }
}

/// One indexed file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    /// BLAKE3 of the file's bytes (hex).
    pub hash: String,
    /// Items the file produced.
    pub items: u64,
    /// File size in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Modification time (nanoseconds since the epoch), to skip hashing
    /// unchanged files; 0 when it cannot be trusted (the file was modified
    /// moments before it was read), so the next run compares hashes.
    #[serde(default)]
    pub mtime: i64,
    /// What the paper names itself, for the papers of its folder that name
    /// nothing (they are read again when it is not).
    #[serde(default, skip_serializing_if = "Named::is_empty")]
    pub named: Named,
}

impl Payload {
    /// An empty payload of this build's versions.
    pub fn current() -> Payload {
        Payload {
            schema_version: SCHEMA_VERSION,
            analysis_version: analysis::ANALYSIS_VERSION,
            files: BTreeMap::new(),
            building: false,
            declared: Declared::default(),
        }
    }
}

/// An open index with its fields resolved.
#[derive(Clone)]
pub struct OpenIndex {
    /// The tantivy index, analyzers registered.
    pub index: Index,
    /// Every field the code uses.
    pub fields: Fields,
    /// The folder it lives in.
    pub path: PathBuf,
}

impl OpenIndex {
    /// The schema.
    pub fn schema(&self) -> Schema {
        self.index.schema()
    }

    /// The payload of the last commit (empty for a fresh index).
    pub fn payload(&self) -> Result<Payload> {
        let metas = self.index.load_metas()?;
        match metas.payload {
            Some(p) => serde_json::from_str(&p)
                .map_err(|e| Error::Internal(format!("{}: unreadable commit record: {e}", self.path.display()))),
            None => Ok(Payload::current()),
        }
    }
}

/// True when `dir` holds an index (a `meta.json`).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// How [`open_in`] treats what it finds in a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The index must exist and be of this build's schema and analysis versions.
    Existing,
    /// As `Existing`, but an empty index is created where there is none.
    OrCreate,
    /// For `index --rebuild`: as `OrCreate`, but an index that cannot be used
    /// (another schema or analysis version, unreadable metadata) is replaced by
    /// an empty one instead of being refused. Its files go at the next commit.
    Recreate,
}

/// Opens an existing index for reading or writing; refuses one written by
/// another schema or analysis version.
pub fn open(dir: &Path) -> Result<OpenIndex> {
    if !exists(dir) {
        return Err(Error::NoIndex(dir.to_path_buf()));
    }
    open_in(Box::new(MmapDirectory::open(dir)?), dir, OpenMode::Existing)
}

/// Opens the index in `dir`, creating the folder and an empty index if needed.
pub fn open_or_create(dir: &Path) -> Result<OpenIndex> {
    open_or_create_with(dir, OpenMode::OrCreate)
}

/// [`open_or_create`] with a chosen [`OpenMode`] (`OrCreate` or `Recreate`).
pub(crate) fn open_or_create_with(dir: &Path, mode: OpenMode) -> Result<OpenIndex> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    open_in(Box::new(MmapDirectory::open(dir)?), dir, mode)
}

/// Opens (or creates, per `mode`) the index held by any tantivy [`Directory`]:
/// the seam for tests that inject storage failures. `path` names the index in
/// messages only.
pub fn open_in(directory: Box<dyn Directory>, path: &Path, mode: OpenMode) -> Result<OpenIndex> {
    let found = Index::exists(&*directory).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    if !found {
        return match mode {
            OpenMode::Existing => Err(Error::NoIndex(path.to_path_buf())),
            OpenMode::OrCreate | OpenMode::Recreate => create(directory, path),
        };
    }
    let opened = Index::open(directory.box_clone()).map_err(Error::from).and_then(|index| {
        check_version(path, &index)?;
        if index.schema() != schema::build_schema() {
            return Err(Error::IndexVersion {
                path: path.to_path_buf(),
                expected: SCHEMA_VERSION,
                found: "a different field list".into(),
            });
        }
        Ok(index)
    });
    match opened {
        Ok(index) => finish(path, index),
        Err(_) if mode == OpenMode::Recreate => create(directory, path),
        Err(e) => Err(e),
    }
}

/// A new empty index; an old `meta.json` is replaced atomically, and the old
/// segment files are collected by the first commit. Never while another
/// process holds the writer lock.
fn create(directory: Box<dyn Directory>, path: &Path) -> Result<OpenIndex> {
    let _lock = directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(|e| lock_error(path, e))?;
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Lz4,
        docstore_blocksize: 64 * 1024,
        // Each indexing thread compresses its own stored text. A thread of its
        // own per segment only overlaps compression with indexing where a core
        // would otherwise idle; here the parse workers and the indexing threads
        // already keep every core busy, so it only added threads to switch
        // between and a copy of every block handed over (see docs/BENCHMARKS.md).
        docstore_compress_dedicated_thread: false,
        ..Default::default()
    };
    let index = Index::create(directory, schema::build_schema(), settings)?;
    finish(path, index)
}

fn check_version(dir: &Path, index: &Index) -> Result<()> {
    let metas = index.load_metas()?;
    let Some(raw) = metas.payload else {
        // Created but never committed by us: nothing to trust it with.
        return if metas.segments.is_empty() {
            Ok(())
        } else {
            Err(Error::IndexVersion {
                path: dir.to_path_buf(),
                expected: SCHEMA_VERSION,
                found: "none (not written by council-search)".into(),
            })
        };
    };
    #[derive(Deserialize)]
    struct Versions {
        schema_version: Option<u32>,
        analysis_version: Option<u32>,
    }
    let v: Versions = serde_json::from_str(&raw).unwrap_or(Versions { schema_version: None, analysis_version: None });
    let found = (v.schema_version, v.analysis_version);
    if found != (Some(SCHEMA_VERSION), Some(analysis::ANALYSIS_VERSION)) {
        return Err(Error::IndexVersion {
            path: dir.to_path_buf(),
            expected: SCHEMA_VERSION,
            found: match found {
                (Some(s), Some(a)) if s == SCHEMA_VERSION => format!("{s} (analysis version {a})"),
                (Some(s), _) => s.to_string(),
                _ => "unknown".into(),
            },
        });
    }
    Ok(())
}

fn finish(dir: &Path, index: Index) -> Result<OpenIndex> {
    analysis::register(index.tokenizers());
    let fields = Fields::resolve(&index.schema())?;
    Ok(OpenIndex { index, fields, path: dir.to_path_buf() })
}

/// The message for a writer lock that cannot be taken: another run holds it,
/// or the folder cannot be written.
pub(crate) fn lock_error(path: &Path, e: LockError) -> Error {
    match e {
        LockError::LockBusy => {
            Error::BadInput(format!("{}: another council-search index run is writing to this index", path.display()))
        }
        LockError::IoError(io) => Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(io.kind(), format!("cannot write to the index folder: {io}")),
        },
    }
}
