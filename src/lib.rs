//! council-search: full-text search over local-government council papers.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod document;
pub mod error;
pub mod exclude;
pub mod extract;
pub mod index;
pub mod indexer;
pub mod lexicon;
pub mod paper;
pub mod query;
pub mod schema;
pub mod search;
pub mod snippet;

pub use error::{Error, FileProblem, Result};
