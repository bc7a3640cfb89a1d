//! Exports of a result set (`/export.csv`, `/export.jsonl`): the CLI's CSV
//! and JSON lines (`council_search::output`), for the same parameters as the
//! search page, at most [`MAX_EXPORT`] rows a request.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, ErrorAnswers};
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

/// The results of an export request written by `write` as a download.
async fn export(
    state: &AppState,
    raw: Option<String>,
    write: fn(&mut Vec<u8>, &SearchResults) -> std::io::Result<()>,
    content_type: &'static str,
    disposition: &'static str,
) -> Result<Response, ApiError> {
    let results = results(state, raw).await?;
    let mut body = Vec::new();
    write(&mut body, &results).map_err(|e| ApiError::internal(format!("writing the export: {e}")))?;
    Ok(([(header::CONTENT_TYPE, content_type), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

/// The results as CSV: a header row, then a row per hit (the CLI's `--format csv`).
#[utoipa::path(
    get,
    path = "/export.csv",
    params(SearchRequest, ExportPaging),
    responses(
        (status = 200, description = "The results as CSV", body = String, content_type = "text/csv"),
        ErrorAnswers,
    )
)]
pub(crate) async fn csv(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let disposition = "attachment; filename=\"council-search.csv\"";
    export(&state, raw, output::csv, "text/csv; charset=utf-8", disposition).await
}

/// The results as JSON lines: a line per hit, then a summary (the CLI's `--format json`).
#[utoipa::path(
    get,
    path = "/export.jsonl",
    params(SearchRequest, ExportPaging),
    responses(
        (status = 200, description = "The results as JSON lines", body = String, content_type = "application/x-ndjson"),
        ErrorAnswers,
    )
)]
pub(crate) async fn json_lines(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let disposition = "attachment; filename=\"council-search.jsonl\"";
    export(&state, raw, output::json_lines, "application/x-ndjson", disposition).await
}
