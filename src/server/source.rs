//! The source paper of an item (`/items/{id}/source`): found by the item's id
//! alone, served only while the index still records the file, never from a
//! path in the request. A PDF is served as it is (the item page links it at
//! the item's page, `#page=N`); any other format as the text the index read,
//! so the item's `path:lines` point at the same lines.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::params::{self, Pairs};
use super::{bounded, AppState};
use crate::extract::{self, Format, MAX_FILE_BYTES};

/// The policy of a served PDF: nothing but the browser's own viewer.
const PDF_CSP: &str = "default-src 'none'; object-src 'self'; frame-ancestors 'none'";
/// The policy of served text: inert.
const TEXT_CSP: &str = "default-src 'none'; sandbox";

/// A source paper, read.
enum Source {
    Pdf { bytes: Vec<u8>, name: String },
    Text(String),
}

/// `GET /items/{id}/source`.
pub(crate) async fn source(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Pairs::parse(raw.as_deref()).only(&[])?;
    let Path(id) = id.map_err(|_| ApiError::not_found("no such item"))?;
    let id = params::item_id(&id)?.to_string();
    let source = bounded::run(&state, move |searcher| {
        let local = searcher.local().ok_or_else(|| ApiError::not_found("a cluster holds no source files"))?;
        let item = local.show(&id, None).map_err(|e| ApiError::from_library(e, "id"))?.item;
        let payload = local.index().payload().map_err(|e| ApiError::from_library(e, "id"))?;
        if !payload.files.contains_key(&item.path) {
            return Err(ApiError::not_found("the paper of this item is no longer in the index"));
        }
        let path = std::path::Path::new(&item.path);
        let gone = |e: String| ApiError::not_found(format!("the paper of this item cannot be read now: {e}"));
        match item.format {
            Format::Pdf => {
                let len = std::fs::metadata(path).map_err(|e| gone(e.to_string()))?.len();
                if len > MAX_FILE_BYTES {
                    return Err(gone("too large".into()));
                }
                let bytes = std::fs::read(path).map_err(|e| gone(e.to_string()))?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                Ok(Source::Pdf { bytes, name })
            }
            format => {
                let text = extract::read(path, format).map_err(|e| gone(e.to_string()))?;
                Ok(Source::Text(text.lines.join("\n")))
            }
        }
    })
    .await?;
    Ok(match source {
        Source::Pdf { bytes, name } => {
            let mut res = ([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PDF_CSP));
            if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{}\"", safe_file_name(&name))) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Source::Text(text) => {
            let mut res = ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response();
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(TEXT_CSP));
            res
        }
    })
}

/// A file name fit for a header: letters, digits, `.`, `-` and `_` only.
fn safe_file_name(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    if s.is_empty() {
        "paper.pdf".into()
    } else {
        s
    }
}
