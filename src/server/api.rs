//! The JSON API: `/api/search`, `/api/items/{id}`, `/api/items/{id}/similar`,
//! `/api/meetings/{id}`, `/api/stats`, `/api/health`, and its OpenAPI
//! document at `/api/openapi.json`, generated from these handlers and the
//! library's own types (`utoipa`), never written by hand.
//!
//! Field names are the CLI's JSON: a search answers the hits of
//! `search --format json` (without their `"type"` tag) with the summary's
//! `total`, `returned`, `ignored` and `warnings` beside them.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::bounded;
use super::error::{ApiError, ErrorAnswers, ErrorBody};
use super::meetings;
use super::params::{self, Counts, Highlight, Histogram, Paging, Pairs, SimilarLimit};
use super::AppState;
use crate::search::Meeting;
use crate::search::{IndexSummary, SearchRequest, SearchResults, ShownItem};

/// The API's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/search", get(search))
        .route("/api/items/{id}", get(item))
        .route("/api/items/{id}/similar", get(similar))
        .route("/api/meetings/{id}", get(meeting))
        .route("/api/stats", get(stats))
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
}

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "council-search",
        description = "Full-text search over council papers, item by item. Read-only. Field names are those of `council-search search --format json`."
    ),
    paths(
        search,
        item,
        similar,
        meeting,
        stats,
        health,
        super::export::csv,
        super::export::json_lines,
        super::feed::feed
    ),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

/// One page of search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The hits, the total and what the query ignored.
    #[serde(flatten)]
    pub results: SearchResults,
    /// Hits in this answer.
    pub returned: usize,
    /// Hits skipped before this page.
    pub offset: usize,
    /// The most hits this page could hold.
    pub limit: usize,
    /// Matches per period (ascending), when asked for.
    pub histogram: Option<Vec<Bucket>>,
}

/// Matches in one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bucket {
    /// `2017` or `2017-11`.
    pub period: String,
    /// Matching items in that period.
    pub count: u64,
}

/// The server's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `stale` when the index could not be followed at the last look.
    pub status: String,
    /// Items in the index being served.
    pub items: u64,
    /// True while the index's first run has not finished.
    pub building: bool,
    /// Why the index could not be followed, if so.
    pub problem: Option<String>,
}

/// Answers with `value` as JSON.
pub(crate) fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => ApiError::internal(format!("writing JSON: {e}")).into_response(),
    }
}

/// The id of a route, or a 404.
fn route_id(id: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::not_found("no such item"))?;
    params::item_id(&id).map(str::to_string)
}

/// Search: the query language of the CLI, every filter, paging, facets and a histogram.
#[utoipa::path(
    get,
    path = "/api/search",
    params(SearchRequest, Paging, Counts),
    responses(
        (status = 200, description = "One page of results", body = SearchResponse),
        ErrorAnswers,
    )
)]
pub(crate) async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = Pairs::parse(raw.as_deref());
    pairs.only(&[SearchRequest::NAMES, Paging::NAMES, Counts::NAMES])?;
    let request = params::search_request(&pairs)?;
    let (limit, offset) = Paging::from_pairs(&pairs, params::MAX_LIMIT, 10)?;
    let counts = Counts::from_pairs(&pairs)?;
    let mut opts = params::options(&request)?;
    (opts.limit, opts.offset, opts.facets) = (limit, offset, counts.facets.unwrap_or(false));
    let response = bounded::run(&state, move |searcher| {
        let results = searcher.search(&opts).map_err(|e| ApiError::from_library(e, "q"))?;
        let histogram = match counts.histogram {
            None => None,
            Some(h) => {
                let t = searcher.timeline(&opts, h == Histogram::Month).map_err(|e| ApiError::from_library(e, "q"))?;
                Some(t.buckets.into_iter().map(|(period, count)| Bucket { period, count }).collect())
            }
        };
        Ok(SearchResponse { returned: results.hits.len(), results, offset, limit, histogram })
    })
    .await?;
    Ok(json(&response))
}

/// One whole item, with its text and the words of `q` highlighted.
#[utoipa::path(
    get,
    path = "/api/items/{id}",
    params(("id" = String, Path, description = "Item id (16 hex digits)"), Highlight),
    responses(
        (status = 200, description = "The item", body = ShownItem),
        ErrorAnswers,
    )
)]
pub(crate) async fn item(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = Pairs::parse(raw.as_deref());
    pairs.only(&[Highlight::NAMES])?;
    let id = route_id(id)?;
    let highlight = Highlight::from_pairs(&pairs)?;
    let shown = bounded::run(&state, move |searcher| {
        searcher.show(&id, highlight.q.as_deref()).map_err(|e| ApiError::from_library(e, "q"))
    })
    .await?;
    Ok(json(&shown))
}

/// The items most like one item, best first.
#[utoipa::path(
    get,
    path = "/api/items/{id}/similar",
    params(("id" = String, Path, description = "Item id (16 hex digits)"), SimilarLimit),
    responses(
        (status = 200, description = "Similar items", body = SearchResults),
        ErrorAnswers,
    )
)]
pub(crate) async fn similar(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = Pairs::parse(raw.as_deref());
    pairs.only(&[SimilarLimit::NAMES])?;
    let id = route_id(id)?;
    let limit = SimilarLimit::from_pairs(&pairs)?;
    let results =
        bounded::run(&state, move |searcher| searcher.similar(&id, limit).map_err(|e| ApiError::from_library(e, "id")))
            .await?;
    Ok(json(&results))
}

/// One meeting: its council, committee, date and papers, in order.
#[utoipa::path(
    get,
    path = "/api/meetings/{id}",
    params(("id" = String, Path, description = "Meeting id, as an item's page links it")),
    responses(
        (status = 200, description = "The meeting", body = Meeting),
        ErrorAnswers,
    )
)]
pub(crate) async fn meeting(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Pairs::parse(raw.as_deref()).only(&[])?;
    let Path(id) = id.map_err(|_| ApiError::not_found("no such meeting"))?;
    let meeting = bounded::run(&state, move |searcher| meetings::by_id(searcher, &id)).await?;
    Ok(json(&meeting))
}

/// What the index holds: councils, committees, types and dates.
#[utoipa::path(
    get,
    path = "/api/stats",
    responses(
        (status = 200, description = "The index's contents", body = IndexSummary),
        ErrorAnswers,
    )
)]
pub(crate) async fn stats(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Pairs::parse(raw.as_deref()).only(&[])?;
    let live = std::sync::Arc::clone(&state.live);
    let summary = bounded::run(&state, move |_| live.summary().map_err(|e| ApiError::from_library(e, "index"))).await?;
    Ok(json(&*summary))
}

/// Whether the server is up, and what it serves.
#[utoipa::path(
    get,
    path = "/api/health",
    responses(
        (status = 200, description = "Up", body = Health),
        ErrorAnswers,
    )
)]
pub(crate) async fn health(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Pairs::parse(raw.as_deref()).only(&[])?;
    let live = std::sync::Arc::clone(&state.live);
    let summary = bounded::run(&state, move |_| live.summary().map_err(|e| ApiError::from_library(e, "index"))).await?;
    let problem = state.live.problem();
    let status = if problem.is_some() { "stale" } else { "ok" }.to_string();
    Ok(json(&Health { status, items: summary.items, building: summary.building, problem }))
}

/// The OpenAPI document.
async fn openapi() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => ApiError::internal(format!("writing the API document: {e}")).into_response(),
    }
}
