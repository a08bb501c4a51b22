//! The workspace: where Parties draft their reports and the Secretariat runs the cycles.
//! Everything here needs a signed-in user (or a CSO's invitation link), is never cached,
//! and writes only through forms carrying the session's CSRF token or through the JSON API
//! with a token.
//!
//! The rules of the report's life are the `qpr-workflow` crate (no HTTP): who may do what
//! (`qpr_workflow::access`, re-exported here as `access`), passwords, secrets, sessions and the
//! login throttle (`qpr_workflow::auth`), accounts and invitations, cycles, the e-mails and
//! reminders (`qpr_workflow::notify`), the annex file check (`qpr_workflow::pdf`). Here:
//!
//! - `auth`: who is asking, as HTTP says it (cookies, bearer tokens, CSRF, `Origin`, the
//!   client's address).
//! - `actions`: the actions pages and the JSON API share, mapping path segments and refusals
//!   to HTTP; most call `qpr-workflow`, so the two faces never disagree.
//! - `session_pages`, `workspace`, `cycles`, `admin`, `history`, `sections`, `review`: the HTML
//!   pages; `api`: the JSON API.
//! - `annexes` and `prefill`: a feature each, actions and pages together; their API handlers
//!   are in `api`.

pub(crate) mod actions;
pub(crate) mod admin;
pub(crate) mod annexes;
pub(crate) mod api;
pub(crate) mod api_types;
pub(crate) mod auth;
pub(crate) mod cso;
pub(crate) mod cycles;
pub(crate) mod history;
pub(crate) mod prefill;
pub(crate) mod review;
mod reviews;
pub(crate) mod sections;
pub(crate) mod session_pages;
mod translations;
pub(crate) mod workbook;
pub(crate) mod workspace;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

pub(crate) use qpr_workflow::access;

use crate::AppState;
use crate::error::WebError;
use crate::report_key::ReportKey;
use crate::ui::Ui;
use auth::Viewer;

/// The workspace routes (pages and JSON API).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(session_pages::login_form).post(session_pages::login))
        .route("/logout", post(session_pages::logout))
        .route("/password/forgot", get(session_pages::forgot_form).post(session_pages::forgot))
        .route("/password/set/{token}", get(session_pages::set_password_form).post(session_pages::set_password))
        .route("/app", get(workspace::dashboard))
        .route("/app/account", get(admin::account).post(admin::account_action))
        .route("/app/admin/mail", get(admin::mail_outbox))
        .route("/app/cycles", get(cycles::cycles_page).post(cycles::open_cycle))
        .route("/app/cycles/{year}", get(cycles::status_board))
        .route("/app/cycles/{year}/focal-points", post(cycles::invite_focal_point))
        .route("/app/cycles/{year}/board.csv", get(cycles::board_csv))
        .route("/app/cycles/{year}/reviewers", post(cycles::assign_reviewer))
        .route("/app/cycles/{year}/message", post(cycles::message_focal_points))
        .route("/app/reviews", get(reviews::reviews_page))
        .route("/app/reports/{iso3}/{year}", get(workspace::report_overview))
        .route("/app/reports/{iso3}/{year}/members", post(workspace::members_action))
        .route("/app/reports/{iso3}/{year}/sections/{slug}", get(sections::section_page).post(sections::save_section))
        .route("/app/reports/{iso3}/{year}/submit", get(review::submit_form).post(review::submit))
        .route("/app/reports/{iso3}/{year}/review", get(review::review_page))
        .route("/app/reports/{iso3}/{year}/comments", post(review::comment))
        .route("/app/reports/{iso3}/{year}/decision", post(review::decision_action))
        .route("/app/reports/{iso3}/{year}/translations", post(translations::post))
        .route("/app/reports/{iso3}/{year}/history", get(history::history_page))
        .route("/app/reports/{iso3}/{year}/draft.pdf", get(crate::pdf::draft_pdf))
        .route("/app/reports/{iso3}/{year}/history/compare", get(history::compare_page))
        .route(
            "/app/reports/{iso3}/{year}/annexes",
            get(annexes::page).post(annexes::upload).layer(DefaultBodyLimit::max(annexes::UPLOAD_BODY_LIMIT)),
        )
        .route("/app/reports/{iso3}/{year}/annexes/{sha256}", get(annexes::download))
        .route("/app/reports/{iso3}/{year}/annexes/{sha256}/remove", post(annexes::remove_action))
        .route("/app/reports/{iso3}/{year}/prefill", post(prefill::prefill_action))
        .route("/app/reports/{iso3}/{year}/cso", get(cso::page).post(cso::action))
        .route("/cso/{token}", get(cso::form_page).post(cso::form_post))
        .route(
            "/app/reports/{iso3}/{year}/workbook",
            get(workbook::download).post(workbook::upload).layer(DefaultBodyLimit::max(workbook::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/app/reports/{iso3}/{year}/workbook/apply",
            post(workbook::apply).layer(DefaultBodyLimit::max(workbook::APPLY_BODY_LIMIT)),
        )
        .route(
            "/cso/{token}/workbook",
            get(workbook::cso_download)
                .post(workbook::cso_upload)
                .layer(DefaultBodyLimit::max(workbook::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/cso/{token}/workbook/apply",
            post(workbook::cso_apply).layer(DefaultBodyLimit::max(workbook::APPLY_BODY_LIMIT)),
        )
        .merge(api::routes())
}

/// What every workspace page shows around its content: who is signed in, the navigation of
/// their role, the form token.
pub(crate) struct Chrome {
    /// The signed-in user's name, if any.
    pub user_name: Option<String>,
    /// Member of the Secretariat.
    pub secretariat: bool,
    /// The token every form of the page carries.
    pub csrf: String,
}

impl Chrome {
    /// The chrome of a page for `viewer`, and the CSRF cookie to set when a visitor without a
    /// session has none yet.
    pub(crate) fn new(state: &AppState, viewer: &Viewer) -> Result<(Chrome, Option<String>), WebError> {
        let (csrf, cookie) = viewer.csrf_for_form(state)?;
        let signed_in = viewer.signed_in.as_ref();
        Ok((
            Chrome {
                user_name: signed_in.map(|s| s.user.display_name.clone()),
                secretariat: signed_in.is_some_and(|s| s.user.is_secretariat),
                csrf,
            },
            cookie,
        ))
    }
}

/// A workspace page: never cached (it is one user's), with the CSRF cookie when one was made.
pub(crate) fn private_page(template: &impl Template, cookie: Option<String>) -> Response {
    match template.render() {
        Ok(html) => with_cookie(Html(html).into_response(), cookie),
        Err(e) => WebError::Internal(format!("template: {e}")).into_response(),
    }
}

/// Adds `Cache-Control: no-store` and an optional `Set-Cookie` to a response.
pub(crate) fn with_cookie(mut response: Response, cookie: Option<String>) -> Response {
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// "See other": where a form sends the browser after a write (POST/redirect/GET).
pub(crate) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    with_cookie(response, None)
}

/// The answer of a workspace page to an error: the login page for a visitor without a
/// session, else the error page in the page's language.
pub(crate) fn page_error(error: WebError, ui: &Ui) -> Response {
    match error {
        WebError::Unauthorized => see_other(&format!("/login?next={}", crate::ui::query_value(&ui_path(ui)))),
        error => with_cookie(error.page(ui), None),
    }
}

fn ui_path(ui: &Ui) -> String {
    ui.href(ui.path())
}

/// The writer of a form posted about a report: the form's token checked, signed in, the report
/// loaded with what they may do with it (404 when it is not theirs).
pub(crate) async fn posted_on_report<'v>(
    state: &AppState,
    viewer: &'v Viewer,
    form: &[(String, String)],
    key: &ReportKey,
) -> Result<(&'v auth::SignedIn, qpr_store::StoredReport, access::ReportAccess), WebError> {
    viewer.check_write(field(form, "csrf"))?;
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    Ok((signed_in, report, access))
}

/// The value of the first field `name` of a urlencoded form.
pub(crate) fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Every value of the field `name` (checkbox groups).
pub(crate) fn fields<'a>(form: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    form.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A fixed form parsed into its type, or the refusal of a form that does not fit it (422, with
/// what serde says is wrong).
pub(crate) fn parsed<T>(form: Result<axum::Form<T>, axum::extract::rejection::FormRejection>) -> Result<T, WebError> {
    form.map(|axum::Form(form)| form).map_err(|rejection| {
        qpr_workflow::Invalid::new(
            qpr_workflow::Field::Form,
            qpr_workflow::Problem::Unreadable { detail: rejection.body_text() },
        )
        .into()
    })
}

/// A number field of a form (an id, read as its typed id) that may be left empty (`parent=`):
/// `None` then.
pub(crate) fn optional_number<'de, D: serde::Deserializer<'de>, N: std::str::FromStr>(
    deserializer: D,
) -> Result<Option<N>, D::Error> {
    use serde::Deserialize;
    match Option::<String>::deserialize(deserializer)?.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number"))),
    }
}

/// A text that must not be empty once trimmed, or an error naming its field.
pub(crate) fn non_empty(value: &str, field: qpr_workflow::Field) -> Result<&str, WebError> {
    match value.trim() {
        "" => Err(qpr_workflow::Invalid::new(field, qpr_workflow::Problem::Required).into()),
        value => Ok(value),
    }
}

/// A required text field (`name` in the form), trimmed, or an error naming its field.
pub(crate) fn required<'a>(
    form: &'a [(String, String)],
    name: &str,
    field: qpr_workflow::Field,
) -> Result<&'a str, WebError> {
    non_empty(self::field(form, name).unwrap_or_default(), field)
}
