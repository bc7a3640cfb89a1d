//! What answers searches: a local index ([`Searcher`]) or a cluster
//! ([`crate::cluster::Quickwit`]), behind one trait, so that the command line
//! and the server put the same pages and answers in front of either.

use super::meeting::Meeting;
use super::{IndexSummary, SearchOptions, SearchResults, Searcher, ShownItem, Timeline};
use crate::Result;

/// Searches, timelines, items and statistics, from wherever the items are.
pub trait Engine: Send + Sync {
    /// Runs a search.
    fn search(&self, opts: &SearchOptions) -> Result<SearchResults>;
    /// Matching items per year (or month).
    fn timeline(&self, opts: &SearchOptions, by_month: bool) -> Result<Timeline>;
    /// One whole item by id, with the words of `query` (if any) highlighted.
    fn show(&self, id: &str, query: Option<&str>) -> Result<ShownItem>;
    /// Items most like the item `id` (none where the engine cannot tell).
    fn similar(&self, id: &str, limit: usize) -> Result<SearchResults>;
    /// What the engine holds: councils, committees, types and dates.
    fn stats(&self) -> Result<IndexSummary>;
    /// The meeting `id` names (a meeting id, or the id of one of its items),
    /// its papers in agenda order.
    fn meeting(&self, id: &str) -> Result<Meeting>;
    /// The local index behind the engine, for what only a local index has
    /// (the source files, the record of indexed files, new commits to follow).
    fn local(&self) -> Option<&Searcher> {
        None
    }
}

impl Engine for Searcher {
    fn search(&self, opts: &SearchOptions) -> Result<SearchResults> {
        Searcher::search(self, opts)
    }

    fn timeline(&self, opts: &SearchOptions, by_month: bool) -> Result<Timeline> {
        Searcher::timeline(self, opts, by_month)
    }

    fn show(&self, id: &str, query: Option<&str>) -> Result<ShownItem> {
        Searcher::show(self, id, query)
    }

    fn similar(&self, id: &str, limit: usize) -> Result<SearchResults> {
        Searcher::similar(self, id, limit)
    }

    fn stats(&self) -> Result<IndexSummary> {
        Searcher::stats(self)
    }

    fn meeting(&self, id: &str) -> Result<Meeting> {
        Searcher::meeting(self, id)
    }

    fn local(&self) -> Option<&Searcher> {
        Some(self)
    }
}
