//! Exports of a result set (`/export.csv`, `/export.jsonl`): the CLI's CSV
//! and JSON lines (`council_search::output`), for the same parameters as the
//! search page, at most [`MAX_EXPORT`] rows a request.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, ErrorBody};
use super::params::{self, ExportPaging, Paging, Pairs, MAX_EXPORT};
use super::{bounded, AppState};
use crate::output;
use crate::search::{SearchRequest, SearchResults};

/// The search of an export request, run.
async fn results(state: &AppState, raw: Option<String>) -> Result<SearchResults, ApiError> {
    let pairs = Pairs::parse(raw.as_deref());
    pairs.only(&[SearchRequest::NAMES, Paging::NAMES])?;
    let request = params::search_request(&pairs)?;
    let (limit, offset) = Paging::from_pairs(&pairs, MAX_EXPORT, MAX_EXPORT)?;
    let mut opts = params::options(&request)?;
    (opts.limit, opts.offset) = (limit, offset);
    bounded::run(state, move |searcher| searcher.search(&opts).map_err(|e| ApiError::from_library(e, "q"))).await
}

/// A download of `body`.
fn download(body: Vec<u8>, content_type: &'static str, name: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CONTENT_DISPOSITION, name)], body).into_response()
}

/// The results as CSV: a header row, then a row per hit (the CLI's `--format csv`).
#[utoipa::path(
    get,
    path = "/export.csv",
    params(SearchRequest, ExportPaging),
    responses(
        (status = 200, description = "The results as CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "A parameter is wrong", body = ErrorBody),
        (status = 503, description = "Over the deadline", body = ErrorBody),
        (status = 500, description = "A fault inside the server", body = ErrorBody),
    )
)]
pub(crate) async fn csv(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let results = results(&state, raw).await?;
    let mut body = Vec::new();
    output::csv(&mut body, &results).map_err(|e| ApiError::internal(format!("writing CSV: {e}")))?;
    Ok(download(body, "text/csv; charset=utf-8", "attachment; filename=\"council-search.csv\""))
}

/// The results as JSON lines: a line per hit, then a summary (the CLI's `--format json`).
#[utoipa::path(
    get,
    path = "/export.jsonl",
    params(SearchRequest, ExportPaging),
    responses(
        (status = 200, description = "The results as JSON lines", body = String, content_type = "application/x-ndjson"),
        (status = 400, description = "A parameter is wrong", body = ErrorBody),
        (status = 503, description = "Over the deadline", body = ErrorBody),
        (status = 500, description = "A fault inside the server", body = ErrorBody),
    )
)]
pub(crate) async fn json_lines(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let results = results(&state, raw).await?;
    let mut body = Vec::new();
    output::json_lines(&mut body, &results).map_err(|e| ApiError::internal(format!("writing JSON lines: {e}")))?;
    Ok(download(body, "application/x-ndjson", "attachment; filename=\"council-search.jsonl\""))
}
