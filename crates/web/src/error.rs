//! The one error type of the HTTP boundary, with stable codes. Pages get an HTML error page,
//! API routes (`/api/…`) a JSON body `{"error": {"code", "message"}}`; internal details are
//! logged, never shown.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Nothing at this address.
    #[error("{0}")]
    NotFound(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] qpr_store::StoreError),
    /// Something that is our fault.
    #[error("{0}")]
    Internal(String),
}

impl WebError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::NotFound(_) => "not_found",
            WebError::Store(error) => error.code(),
            WebError::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Store(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the user is told: the message for their errors, a generic sentence for ours.
    fn public_message(&self) -> String {
        match self {
            WebError::NotFound(message) => message.clone(),
            WebError::Store(_) | WebError::Internal(_) => "Something went wrong on our side; it has been logged.".to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'static str,
    heading: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, code = self.code(), "Request failed: {self}");
        }
        let message = self.public_message();
        let page = ErrorPage { lang: "en", heading: status.canonical_reason().unwrap_or("Error"), message: &message };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, message).into_response(),
        }
    }
}

/// Errors of API routes answer in JSON.
pub(crate) struct ApiError(pub WebError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let body = serde_json::json!({"error": {"code": self.0.code(), "message": self.0.public_message()}});
        (status, Json(body)).into_response()
    }
}
