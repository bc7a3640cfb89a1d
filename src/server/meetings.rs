//! Meetings for `/api/meetings/{id}` and the item page's "this meeting"
//! section: the library's meeting view ([`crate::search::Meeting`]), from
//! whichever engine serves.

use super::error::ApiError;
use crate::record::StoredItem;
use crate::search::{Engine, Meeting};

/// The meeting with this id (a meeting id, or the id of one of its items).
pub(crate) fn by_id(searcher: &dyn Engine, id: &str) -> Result<Meeting, ApiError> {
    searcher.meeting(id).map_err(|e| ApiError::from_library(e, "id"))
}

/// The meeting an item belongs to, if it has one.
pub(crate) fn of_item(searcher: &dyn Engine, item: &StoredItem) -> Result<Option<Meeting>, ApiError> {
    match &item.meta.meeting_id {
        Some(id) => by_id(searcher, id).map(Some),
        None => Ok(None),
    }
}
