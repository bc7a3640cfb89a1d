//! Opening and creating an index folder: the one place that registers the
//! analyzers and checks the schema version, so no caller can forget either.
//!
//! The commit payload (stored by tantivy in `meta.json`, atomically with each
//! commit) carries the schema and analysis versions and the record of indexed
//! files with their content hashes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::schema::Schema;
use tantivy::Index;

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
    /// Modification time (seconds since the epoch), to skip hashing unchanged files.
    #[serde(default)]
    pub mtime: i64,
}

impl Payload {
    /// An empty payload of this build's versions.
    pub fn current() -> Payload {
        Payload { schema_version: SCHEMA_VERSION, analysis_version: analysis::ANALYSIS_VERSION, files: BTreeMap::new() }
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

/// Opens an existing index for reading or writing; refuses one written by
/// another schema or analysis version.
pub fn open(dir: &Path) -> Result<OpenIndex> {
    if !exists(dir) {
        return Err(Error::NoIndex(dir.to_path_buf()));
    }
    let mmap = MmapDirectory::open(dir)?;
    let index = Index::open(mmap)?;
    check_version(dir, &index)?;
    if index.schema() != schema::build_schema() {
        return Err(Error::IndexVersion {
            path: dir.to_path_buf(),
            expected: SCHEMA_VERSION,
            found: "a different field list".into(),
        });
    }
    finish(dir, index)
}

/// Opens the index in `dir`, creating the folder and an empty index if needed.
pub fn open_or_create(dir: &Path) -> Result<OpenIndex> {
    if exists(dir) {
        return open(dir);
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let mmap = MmapDirectory::open(dir)?;
    let index = Index::builder()
        .schema(schema::build_schema())
        .settings(tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Lz4,
            docstore_blocksize: 64 * 1024,
            ..Default::default()
        })
        .open_or_create(mmap)?;
    finish(dir, index)
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
