//! council-search: full-text search over local-government council papers.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod cluster;
pub mod error;
pub mod extract;
pub mod index;
pub mod indexer;
pub mod lexicon;
#[cfg(feature = "server")]
pub mod openapi;
pub mod output;
pub mod paper;
pub mod record;
pub mod schema;
pub mod search;
#[cfg(feature = "server")]
pub mod server;
pub mod watch;

pub use error::{Error, FileProblem, Result};

/// Helpers shared by the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// The texts of the bundled sample papers (`corpus-sample/`), read as UTF-8.
    pub fn sample_texts() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-sample");
        let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        paths.into_iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect()
    }
}
