//! When one machine is not enough: hand the items to a Quickwit cluster, and
//! search it with the same queries, filters and output.
//!
//! Quickwit (the distributed engine built on tantivy) has no English stemmer
//! and no notion of our items, so the items go over as they are stored, with
//! our analysed terms beside their text ([`terms`], [`export`]), into an index
//! configured from our own field list ([`config`]); searches are translated into
//! its query language ([`translate`]) and its answers turned back into our hits
//! ([`engine`]). Nothing here runs Quickwit: the README says how.

pub mod config;
pub mod engine;
pub mod export;
pub mod terms;
pub mod translate;

pub use engine::Quickwit;
pub use export::{ExportSummary, Exporter};
