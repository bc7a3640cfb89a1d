//! The one integration test binary (one link against tantivy, not one per file).

mod browser;
mod cli;
mod cluster;
mod councils;
mod formats;
mod http;
mod language;
mod props;
mod quality;
mod relevance;
mod reliability;
mod segment;
mod server;
mod util;
