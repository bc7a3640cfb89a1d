//! The page's stylesheet and script, built into the binary: no build step,
//! no CDN, and the pages work with the network cut.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// `GET /assets/{name}`: one of the two files, by exact name.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    let (body, content_type) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => {
            return ApiError::not_found(format!("no asset {:?}", name.chars().take(40).collect::<String>()))
                .into_response()
        }
    };
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=300")], body).into_response()
}
