//! Signing in and out, and setting a password from a one-time link (first password after an
//! invitation, or a reset).

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use super::auth::{self, ClientAddress, Credential, Login, SESSION_COOKIE, Viewer};
use super::{Chrome, page_error, private_page, see_other, with_cookie};
use crate::AppState;
use crate::ui::Ui;

#[derive(Template)]
#[template(path = "app/login.html")]
struct LoginPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    next: &'a str,
    email: &'a str,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "app/password.html")]
struct PasswordPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    /// `forgot` (ask for a link), `sent` (asked), `set` (choose a password), `invalid` (bad link).
    step: &'a str,
    error: Option<String>,
}

/// Query of the login page.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

/// A path of this site to go to after login: what `next` may name (no open redirect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocalPath<'a>(&'a str);

impl<'a> LocalPath<'a> {
    /// Where a login goes when `next` is absent or refused.
    const DEFAULT: LocalPath<'static> = LocalPath("/app");

    /// An absolute path of this origin, or `None`. Browsers drop tabs and newlines inside a
    /// URL and read `\` as `/`, so `/\t/evil.example` and `/\\evil.example` are the
    /// scheme-relative `//evil.example`, another site: only visible ASCII is accepted (non-ASCII
    /// comes percent-encoded), no backslash anywhere, and the path starts with one `/` followed
    /// by something other than `/`.
    fn parse(text: &'a str) -> Option<LocalPath<'a>> {
        let visible = text.bytes().all(|b| b.is_ascii_graphic());
        let rooted = text.starts_with('/') && !text.starts_with("//");
        (visible && rooted && !text.contains('\\')).then_some(LocalPath(text))
    }

    fn as_str(self) -> &'a str {
        self.0
    }
}

/// Only paths of this site are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> &str {
    next.and_then(LocalPath::parse).unwrap_or(LocalPath::DEFAULT).as_str()
}

fn render_login(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    form: (&str, &str),
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let notice = None;
    match Chrome::new(state, viewer) {
        Ok((chrome, cookie)) => {
            let page = LoginPage { lang: ui.lang(), ui, chrome: &chrome, next: form.0, email: form.1, error, notice };
            let mut response = private_page(&page, cookie);
            *response.status_mut() = status;
            response
        }
        Err(error) => page_error(error, ui),
    }
}

/// `GET /login`.
pub(crate) async fn login_form(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Query(query): Query<LoginQuery>,
) -> Response {
    if viewer.signed_in.is_some() {
        return see_other(safe_next(query.next.as_deref()));
    }
    let next = safe_next(query.next.as_deref());
    match Chrome::new(&state, &viewer) {
        Ok((chrome, cookie)) => {
            let notice = query
                .done
                .as_deref()
                .map(|done| ui.t(if done == "password" { "login-password-set" } else { "login-signed-out" }));
            private_page(
                &LoginPage { lang: ui.lang(), ui: &ui, chrome: &chrome, next, email: "", error: None, notice },
                cookie,
            )
        }
        Err(error) => page_error(error, &ui),
    }
}

/// `POST /login`: e-mail and password; throttled per account and address.
pub(crate) async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    ClientAddress(client): ClientAddress,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let form = match super::parsed(form) {
        Ok(form) => form,
        Err(error) => return page_error(error, &ui),
    };
    let email = form.email.trim().to_owned();
    let next = safe_next(form.next.as_deref()).to_owned();
    if let Err(error) = viewer.check_write(form.csrf.as_deref()) {
        return page_error(error, &ui);
    }
    let password = form.password;
    match auth::log_in(&state.store, &state.throttle, (&email, password), client).await {
        Ok(Login::Throttled) => render_login(
            &state,
            &viewer,
            &ui,
            (&next, &email),
            Some(ui.t("login-throttled")),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Ok(Login::Refused) => {
            render_login(&state, &viewer, &ui, (&next, &email), Some(ui.t("login-failed")), StatusCode::UNAUTHORIZED)
        }
        Ok(Login::Started { session, .. }) => {
            let mut response = see_other(&next);
            if let Ok(cookie) = HeaderValue::from_str(&auth::session_cookie(&state, &session)) {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => page_error(error.into(), &ui),
    }
}

/// `POST /logout`: ends the session on the server, not only in the browser.
pub(crate) async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(error) = super::parsed(form).and_then(|form| viewer.check_write(form.csrf.as_deref())) {
        return page_error(error, &ui);
    }
    if let Some(signed_in) = &viewer.signed_in
        && let Credential::Session { id, .. } = &signed_in.credential
        && let Err(error) = state.store.delete_session(id).await
    {
        return page_error(error.into(), &ui);
    }
    let expired = auth::set_cookie(&state, SESSION_COOKIE, "", Some(0));
    with_cookie(see_other("/login?done=logout"), Some(expired))
}

fn password_page(state: &AppState, viewer: &Viewer, ui: &Ui, step: &str, error: Option<&str>) -> Response {
    match Chrome::new(state, viewer) {
        Ok((chrome, cookie)) => {
            let mut response = private_page(
                &PasswordPage { lang: ui.lang(), ui, chrome: &chrome, step, error: error.map(str::to_owned) },
                cookie,
            );
            if step == "invalid" {
                *response.status_mut() = StatusCode::NOT_FOUND;
            } else if error.is_some() {
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            response
        }
        Err(error) => page_error(error, ui),
    }
}

/// `GET /password/forgot`.
pub(crate) async fn forgot_form(State(state): State<AppState>, viewer: Viewer, ui: Ui) -> Response {
    password_page(&state, &viewer, &ui, "forgot", None)
}

/// `POST /password/forgot`: sends a link if the address has an account, and says the same
/// either way.
pub(crate) async fn forgot(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    form: Result<Form<ForgotForm>, FormRejection>,
) -> Response {
    let form = match super::parsed(form).and_then(|form| viewer.check_write(form.csrf.as_deref()).map(|()| form)) {
        Ok(form) => form,
        Err(error) => return page_error(error, &ui),
    };
    let email = form.email.as_str();
    match qpr_workflow::accounts::request_password_reset(&state.workflow, email, ui.language()).await {
        Ok(()) => password_page(&state, &viewer, &ui, "sent", None),
        Err(error) => page_error(error.into(), &ui),
    }
}

/// `GET /password/set/{token}`.
pub(crate) async fn set_password_form(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(token): Path<String>,
) -> Response {
    match state.store.password_token_user(&token).await {
        Ok(Some(_)) => password_page(&state, &viewer, &ui, "set", None),
        Ok(None) => password_page(&state, &viewer, &ui, "invalid", None),
        Err(error) => page_error(error.into(), &ui),
    }
}

/// `POST /password/set/{token}`: the link works once.
pub(crate) async fn set_password(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(token): Path<String>,
    form: Result<Form<NewPasswordForm>, FormRejection>,
) -> Response {
    let form = match super::parsed(form).and_then(|form| viewer.check_write(form.csrf.as_deref()).map(|()| form)) {
        Ok(form) => form,
        Err(error) => return page_error(error, &ui),
    };
    let password = form.password.as_str();
    if let Some(problem) = auth::password_problem(password) {
        return password_page(&state, &viewer, &ui, "set", Some(&ui.t(problem)));
    }
    if form.confirm.as_deref() != Some(password) {
        return password_page(&state, &viewer, &ui, "set", Some(&ui.t("password-mismatch")));
    }
    match auth::set_password_with_link(&state.store, &token, password).await {
        Ok(true) => see_other("/login?done=password"),
        Ok(false) => password_page(&state, &viewer, &ui, "invalid", None),
        Err(error) => page_error(error.into(), &ui),
    }
}

/// The login form: `email`, `password`, where to go after (`next`), and the form token.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct LoginForm {
    csrf: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// A form with nothing but its token (`POST /logout`).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CsrfOnly {
    csrf: Option<String>,
}

/// `POST /password/forgot`: the address to send a link to.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ForgotForm {
    csrf: Option<String>,
    #[serde(default)]
    email: String,
}

/// `POST /password/set/{token}`: the new password, typed twice.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct NewPasswordForm {
    csrf: Option<String>,
    #[serde(default)]
    password: String,
    confirm: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_are_followed_after_login() {
        for local in
            ["/app", "/app/reports/AZE/2028?lang=fr", "/app/reports/AZE/2028/sections/x#field", "/%C3%A9t%C3%A9"]
        {
            assert_eq!(safe_next(Some(local)), local);
        }
        // Each of these is read by some browser as another site (or is not a path at all).
        for hostile in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/a\\b",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            " /app",
            "/ /evil",
            "/\u{0}",
            "/é",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/app", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/app");
    }
}
