//! Meetings: the papers of one meeting, for `/api/meetings/{id}` and the
//! item page's "this meeting" section.
//!
//! SEAM (meeting view, the any-council issue): until the library gives items
//! a `meeting_id` and a meeting lookup of its own, a meeting here is the items
//! that share council, committee and meeting date, found with the ordinary
//! filters, and its id is the date with a short hash of the council and
//! committee (`2017-11-23~1a2b3c4d5e6f7a8b`). When the library's meeting
//! lands, [`id_of`] returns the item's `meeting_id` and [`by_id`] calls the
//! library's lookup; the routes, the [`Meeting`] answer and the page do not
//! change.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use crate::record::StoredItem;
use crate::search::{Engine, SearchOptions, Sort};

/// Most papers listed for one meeting.
const MAX_MEETING_ITEMS: usize = 500;

/// One meeting and its papers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meeting {
    /// The meeting's id.
    pub id: String,
    /// The council.
    pub council: Option<String>,
    /// The committee that met.
    pub committee: Option<String>,
    /// The day it met.
    pub meeting_date: NaiveDate,
    /// Its items (without their text), in the order of their papers.
    pub items: Vec<StoredItem>,
}

/// The id of the meeting an item belongs to, where its meeting is known
/// (a date, and a council or committee).
pub(crate) fn id_of(item: &StoredItem) -> Option<String> {
    let m = &item.meta;
    let date = m.meeting_date?;
    if m.council.is_none() && m.committee.is_none() {
        return None;
    }
    Some(format!("{date}~{}", body_hash(m.council.as_deref(), m.committee.as_deref())))
}

/// The meeting with this id.
pub(crate) fn by_id(searcher: &dyn Engine, id: &str) -> Result<Meeting, ApiError> {
    let missing = || ApiError::not_found(format!("no meeting with id {:?}", id.chars().take(60).collect::<String>()));
    let (date, hash) = id.split_once('~').ok_or_else(missing)?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| missing())?;
    let opts = SearchOptions {
        from: Some(date),
        to: Some(date),
        sort: Sort::Date,
        limit: MAX_MEETING_ITEMS,
        snippet_chars: 0,
        ..SearchOptions::default()
    };
    let results = searcher.search(&opts).map_err(|e| ApiError::from_library(e, "id"))?;
    let mut items: Vec<StoredItem> = results
        .hits
        .into_iter()
        .map(|h| h.item)
        .filter(|i| body_hash(i.meta.council.as_deref(), i.meta.committee.as_deref()) == hash)
        .collect();
    let first = items.first().ok_or_else(missing)?;
    let (council, committee) = (first.meta.council.clone(), first.meta.committee.clone());
    items.sort_by(|a, b| (&a.path, a.line_start).cmp(&(&b.path, b.line_start)));
    Ok(Meeting { id: id.to_string(), council, committee, meeting_date: date, items })
}

/// The meeting an item belongs to, if known.
pub(crate) fn of_item(searcher: &dyn Engine, item: &StoredItem) -> Result<Option<Meeting>, ApiError> {
    match id_of(item) {
        Some(id) => by_id(searcher, &id).map(Some),
        None => Ok(None),
    }
}

/// A short hash of who met.
fn body_hash(council: Option<&str>, committee: Option<&str>) -> String {
    let mut h = blake3::Hasher::new();
    h.update(council.unwrap_or("").as_bytes());
    h.update(b"\0");
    h.update(committee.unwrap_or("").as_bytes());
    h.finalize().to_hex()[..16].to_string()
}
