//! Errors as the server answers them: a status and a JSON body
//! `{"error": "...", "parameter": "..."}` naming the parameter at fault when
//! there is one. A library error the user caused ([`Error::is_user_error`])
//! is a 400 (404 for an id that does not exist); anything else is a 500, with
//! the detail, since only a fault inside gets there.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people.
    pub error: String,
    /// The request parameter at fault, when one is.
    pub parameter: Option<String>,
}

/// The error answers of every route, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(crate) enum ErrorAnswers {
    /// A parameter is wrong (named in `parameter`).
    #[response(status = 400)]
    BadParameter(ErrorBody),
    /// No such item, meeting or route.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The search took longer than the deadline; try again (`Retry-After`).
    #[response(status = 503)]
    OverDeadline(ErrorBody),
    /// A fault inside the server, never a user's input.
    #[response(status = 500)]
    Internal(ErrorBody),
}

/// An error answer.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    fn new(status: StatusCode, error: impl Into<String>, parameter: Option<&str>) -> ApiError {
        ApiError { status, body: ErrorBody { error: error.into(), parameter: parameter.map(str::to_string) } }
    }

    /// A bad value for `parameter`.
    pub fn bad(parameter: &str, error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, error, Some(parameter))
    }

    /// Nothing here.
    pub fn not_found(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, error, None)
    }

    /// Busy or over the deadline: try again.
    pub fn unavailable(error: &str) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, error, None)
    }

    /// A fault inside.
    pub fn internal(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, error, None)
    }

    /// A library error; a user error is blamed on `parameter` (the request
    /// value the library was given), an unknown id is a 404.
    pub fn from_library(e: Error, parameter: &str) -> ApiError {
        match e {
            Error::NoSuchItem(_) | Error::NoSuchMeeting(_) => ApiError::not_found(e.to_string()),
            e if e.is_user_error() => ApiError::bad(parameter, e.to_string()),
            e => ApiError::internal(format!("{e}; this is a fault in the server, please report it")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&self.body).unwrap_or_else(|_| String::from("{\"error\":\"error\"}"));
        let mut res = (self.status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        res
    }
}

/// Any path no route serves: JSON under `/api/`, a page elsewhere.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let err = ApiError::not_found(format!("nothing at {}", uri.path()));
    if uri.path().starts_with("/api/") {
        err.into_response()
    } else {
        super::html::error_page(err)
    }
}
