//! The one error type of the HTTP boundary, with stable codes. Pages get an HTML error page in
//! their language, API routes (`/api/…`) a JSON body `{"error": {"code", "message"}}` in
//! English; internal details are logged, never shown.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use qpr_domain::text::Lang;

use crate::i18n;
use crate::ui::Ui;

/// What a request asked for that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No route at this address.
    Page,
    /// A path segment that should be a country code is not one.
    CountryCode(String),
    /// A path segment that should be a year is not one.
    Year(String),
    /// No published report of this Party and year.
    Report {
        /// The Party's code.
        party: String,
        /// The year.
        year: i32,
    },
    /// A code that names no country.
    Party(String),
    /// No published measure with this id.
    Measure(String),
}

impl Missing {
    /// What the user is told, in `lang`.
    fn message(&self, lang: Lang) -> String {
        let with =
            |id: &str, name: &'static str, value: &str| i18n::text_with(lang, id, &[(name, value.to_owned().into())]);
        match self {
            Missing::Page => i18n::text(lang, "error-no-page"),
            Missing::CountryCode(text) => with("error-not-a-code", "text", text),
            Missing::Year(text) => with("error-not-a-year", "text", text),
            Missing::Report { party, year } => i18n::text_with(
                lang,
                "error-no-report",
                &[("party", party.clone().into()), ("year", year.to_string().into())],
            ),
            Missing::Party(code) => with("error-no-party", "code", code),
            Missing::Measure(id) => with("error-no-measure", "id", id),
        }
    }
}

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Nothing at this address.
    #[error("not found: {0:?}")]
    NotFound(Missing),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] qpr_store::StoreError),
    /// The request needs a signed-in user (pages send the visitor to the login page).
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but this is not theirs to do (what is not theirs to see is `NotFound`).
    #[error("not allowed")]
    Forbidden,
    /// A form without the token of the session that showed it (or sent from another site).
    #[error("form token missing or stale")]
    CsrfMismatch,
    /// The request's input is wrong: the message says what and where, already in the page's
    /// language (shown to the user).
    #[error("{0}")]
    Invalid(String),
    /// A field's value is wrong, typed: told in the page's language where it is shown.
    #[error("{0}")]
    Input(qpr_workflow::Invalid),
    /// An upload over its size limit: the message gives the size and the limit.
    #[error("{0}")]
    TooLarge(String),
    /// Too many attempts; try later.
    #[error("too many attempts")]
    TooManyAttempts,
    /// A refusal of the workflow (one of `WorkflowError::REFUSAL_CODES`), told in the page's
    /// language: 409 when the report's state allows no such change, else 422.
    #[error("{0}")]
    Refused(qpr_workflow::WorkflowError),
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
            WebError::Unauthorized => "unauthorized",
            WebError::Forbidden => "forbidden",
            WebError::CsrfMismatch => "csrf_mismatch",
            WebError::Invalid(_) | WebError::Input(_) => "invalid_input",
            WebError::TooLarge(_) => "too_large",
            WebError::TooManyAttempts => "too_many_attempts",
            // The class, as before the workflow had codes of its own: clients read these.
            WebError::Refused(error) if error.is_state_refusal() => "rejected",
            WebError::Refused(_) => "invalid_input",
            WebError::Internal(_) => "internal",
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) | WebError::Store(qpr_store::StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            WebError::Store(qpr_store::StoreError::Conflict { .. } | qpr_store::StoreError::Rejected(_)) => {
                StatusCode::CONFLICT
            }
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::CsrfMismatch => StatusCode::FORBIDDEN,
            WebError::Invalid(_) | WebError::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::TooLarge(_) | WebError::Store(qpr_store::StoreError::TooLarge(_)) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            WebError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            WebError::Refused(error) if error.is_state_refusal() => StatusCode::CONFLICT,
            WebError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Store(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the user is told: what was missing, or a generic sentence for our faults.
    pub(crate) fn public_message(&self, lang: Lang) -> String {
        match self {
            WebError::NotFound(missing) => missing.message(lang),
            WebError::Store(qpr_store::StoreError::NotFound(_)) => Missing::Page.message(lang),
            // Rejections and conflicts say what rule the request broke, in the store's words.
            WebError::Store(
                error @ (qpr_store::StoreError::Conflict { .. }
                | qpr_store::StoreError::Rejected(_)
                | qpr_store::StoreError::TooLarge(_)),
            ) => error.to_string(),
            WebError::Invalid(message) | WebError::TooLarge(message) => message.clone(),
            WebError::Input(invalid) => i18n::invalid(lang, invalid),
            WebError::Unauthorized => i18n::text(lang, "error-unauthorized"),
            WebError::Forbidden => i18n::text(lang, "error-forbidden"),
            WebError::CsrfMismatch => i18n::text(lang, "error-csrf"),
            WebError::TooManyAttempts => i18n::text(lang, "error-too-many-attempts"),
            WebError::Refused(error) => i18n::refusal(lang, error),
            WebError::Store(_) | WebError::Internal(_) => i18n::text(lang, "error-internal"),
        }
    }

    /// Logs our faults, once, with their details.
    pub(crate) fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, code = self.code(), "Request failed: {self}");
        }
    }

    /// The error page of a request, in its language.
    pub fn page(self, ui: &Ui) -> Response {
        self.log();
        let status = self.status();
        let heading = ui.t(match status {
            StatusCode::NOT_FOUND => "error-not-found-title",
            status if status.is_server_error() => "error-internal-title",
            _ => "error-request-title",
        });
        let message = self.public_message(ui.language());
        let page = ErrorPage { lang: ui.lang(), ui, heading: &heading, message: &message };
        let mut response = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, message).into_response(),
        };
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    heading: &'a str,
    message: &'a str,
}

/// The workflow's refusals, once: each to its status; a refusal keeps its code and values, and
/// is told in the page's language where it is shown (`i18n::refusal`).
impl From<qpr_workflow::WorkflowError> for WebError {
    fn from(error: qpr_workflow::WorkflowError) -> WebError {
        use qpr_workflow::WorkflowError as W;
        match error {
            W::Forbidden => WebError::Forbidden,
            W::NotFound => WebError::NotFound(Missing::Page),
            W::TooManyAttempts => WebError::TooManyAttempts,
            W::UnknownFramework(id) => WebError::Internal(format!("report uses unknown framework `{id}`")),
            W::Store(error) => WebError::Store(error),
            W::Internal(message) => WebError::Internal(message),
            refusal => WebError::Refused(refusal),
        }
    }
}

/// A wrong field is a wrong request.
impl From<qpr_workflow::Invalid> for WebError {
    fn from(invalid: qpr_workflow::Invalid) -> WebError {
        WebError::Input(invalid)
    }
}

/// Outside a page's context (no request at hand), errors answer in English.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.page(&Ui::new(Lang::En, "/"))
    }
}

/// Errors of API routes answer in JSON.
pub(crate) struct ApiError(pub WebError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        use crate::app::api_types::{ErrorBody, ErrorDetail};
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.0.code().to_owned(),
                message: self.0.public_message(Lang::En),
                missing: Vec::new(),
            },
        };
        (status, Json(body)).into_response()
    }
}
