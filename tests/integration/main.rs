//! The one integration test binary (one link against tantivy, not one per file).

mod cli;
mod relevance;
mod segment;
mod util;
