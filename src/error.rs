//! Errors: what the library returns, split into mistakes the user can fix and
//! internal failures, and the per-file problems that skip one file without
//! stopping a batch.

use std::path::PathBuf;

/// Convenience alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a path failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An index was named that does not exist.
    #[error("no index at {}: run `council-search index PATH --index {}` first", .0.display(), .0.display())]
    NoIndex(PathBuf),
    /// The index was written by another schema version.
    #[error("the index at {} has schema version {found}, this build reads version {expected}: rebuild it with `council-search index --rebuild`", path.display())]
    IndexVersion {
        /// Where the index is.
        path: PathBuf,
        /// The version this build reads and writes.
        expected: u32,
        /// The version found in the index.
        found: String,
    },
    /// A command-line value was not acceptable.
    #[error("{0}")]
    BadInput(String),
    /// No item has this id.
    #[error("no item with id {0}")]
    NoSuchItem(String),
    /// No meeting has this id (nor any item with it).
    #[error("no meeting with id {0} (give a meeting_id, or the id of one of its items)")]
    NoSuchMeeting(String),
    /// The search engine failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Anything else that went wrong inside.
    #[error("{0}")]
    Internal(String),
    /// A search cluster could not be reached, or answered an error.
    #[error("the search cluster failed: {0}")]
    Cluster(String),
}

impl Error {
    /// True for errors the user caused and can fix (bad input, a missing index
    /// or item, an index of another version).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::NoIndex(_)
                | Error::IndexVersion { .. }
                | Error::BadInput(_)
                | Error::NoSuchItem(_)
                | Error::NoSuchMeeting(_)
        )
    }

    /// True for failures inside (a bug, a broken or unwritable index), which
    /// are worth reporting; neither the user's mistake nor a cluster that is
    /// down or refuses.
    pub fn is_internal(&self) -> bool {
        !self.is_user_error() && !matches!(self, Error::Cluster(_))
    }
}

/// The message a caught panic carries, for reports of internal errors.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown")
        .to_string()
}

impl From<tantivy::directory::error::OpenDirectoryError> for Error {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Error::Internal(e.to_string())
    }
}

impl From<tantivy::query::QueryParserError> for Error {
    fn from(e: tantivy::query::QueryParserError) -> Self {
        Error::BadInput(e.to_string())
    }
}

/// Why one file was skipped. The batch goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// The file could not be read.
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// The file has no text.
    #[error("empty")]
    Empty,
    /// The file holds binary data.
    #[error("binary content")]
    Binary,
    /// The file is over the size limit.
    #[error("too large ({0} bytes)")]
    TooLarge(u64),
    /// The file's format is not one the indexer reads (which format, and what to do).
    #[error("unsupported format: {0} (reads .txt, .md, .html and .pdf)")]
    Unsupported(String),
    /// The file is plainly not a paper (why).
    #[error("not a paper: {0}")]
    NotAPaper(&'static str),
    /// A PDF with no text layer (a scan): it needs OCR before it can be indexed.
    #[error("PDF has no text layer (a scan?): run OCR on it first, e.g. `ocrmypdf`")]
    NoTextLayer,
    /// A PDF that needs a password to read.
    #[error("PDF is encrypted (needs a password)")]
    Encrypted,
    /// A file that is damaged or is not what its extension says.
    #[error("corrupt: {0}")]
    Corrupt(String),
    /// Extraction took longer than the limit (in seconds) and was stopped.
    #[error("extraction timed out after {0} s")]
    TimedOut(u64),
    /// A tool needed to read this format is not installed.
    #[error("{0}")]
    ToolMissing(String),
}

impl FileProblem {
    /// A short stable key for summaries (`empty`, `binary`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            FileProblem::Unreadable(_) => "unreadable",
            FileProblem::Empty => "empty",
            FileProblem::Binary => "binary",
            FileProblem::TooLarge(_) => "too_large",
            FileProblem::Unsupported(_) => "unsupported",
            FileProblem::NotAPaper(_) => "not_a_paper",
            FileProblem::NoTextLayer => "no_text_layer",
            FileProblem::Encrypted => "encrypted",
            FileProblem::Corrupt(_) => "corrupt",
            FileProblem::TimedOut(_) => "timed_out",
            FileProblem::ToolMissing(_) => "tool_missing",
        }
    }
}
