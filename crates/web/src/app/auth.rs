//! Who is asking, as HTTP says it: the session cookie (a random id, kept hashed in the database
//! so app servers stay stateless), API tokens (`Authorization: Bearer`), the CSRF token of
//! forms and the `Origin` check, the client's address for the login throttle.
//!
//! Passwords (Argon2id), secrets, sessions and the throttle itself are `qpr_workflow::auth`
//! (re-exported here). Every request of the workspace extracts a [`Viewer`]; what the viewer
//! may do is decided in `qpr_workflow::access`, never here.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
pub(crate) use qpr_workflow::auth::{
    Credential, Login, LoginThrottle, SESSION_LIFETIME, SignedIn, log_in, password_problem, random_token,
    set_password_with_link,
};

use crate::AppState;
use crate::error::WebError;

/// Name of the session cookie.
pub(crate) const SESSION_COOKIE: &str = "qpr_session";
/// Name of the CSRF cookie of visitors without a session (login, password and CSO forms).
pub(crate) const CSRF_COOKIE: &str = "qpr_csrf";

/// The `Set-Cookie` value of a cookie of this site (`HttpOnly`, `SameSite=Lax`, whole site;
/// `Secure` when the site is served over HTTPS).
pub(crate) fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> String {
    let secure = if state.settings.secure_cookies { "; Secure" } else { "" };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}")
}

/// The session cookie's `Set-Cookie` for a new session.
pub(crate) fn session_cookie(state: &AppState, id: &str) -> String {
    set_cookie(state, SESSION_COOKIE, id, Some(SESSION_LIFETIME.whole_seconds()))
}

/// A cookie of the request.
pub(crate) fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// Whoever makes the request: signed in (session or API token) or not.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub signed_in: Option<SignedIn>,
    /// The CSRF cookie of a visitor without a session, if the browser sent one.
    pub csrf_cookie: Option<String>,
    /// Whether the request came from another site (by `Origin`): such a request never writes.
    pub cross_site: bool,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, WebError> {
        let cross_site = match parts.headers.get(ORIGIN) {
            Some(origin) => !same_origin(origin.to_str().unwrap_or_default(), parts.headers.get(HOST), &state.settings),
            None => false,
        };
        let csrf_cookie = cookie(parts, CSRF_COOKIE).map(str::to_owned);
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let signed_in = if let Some(token) = bearer {
            Some(qpr_workflow::auth::signed_in_by_api_token(&state.store, token).await?.ok_or(WebError::Unauthorized)?)
        } else if let Some(id) = cookie(parts, SESSION_COOKIE) {
            qpr_workflow::auth::signed_in_by_session(&state.store, id).await?
        } else {
            None
        };
        Ok(Viewer { signed_in, csrf_cookie, cross_site })
    }
}

impl Viewer {
    /// The token forms of this viewer carry: the session's, else the CSRF cookie's (made by
    /// [`Viewer::csrf_for_form`] when missing).
    pub(crate) fn csrf(&self) -> Option<&str> {
        match &self.signed_in {
            Some(SignedIn { credential: Credential::Session { csrf, .. }, .. }) => Some(csrf),
            Some(SignedIn { credential: Credential::ApiToken, .. }) => None,
            None => self.csrf_cookie.as_deref(),
        }
    }

    /// The CSRF token for a form, and the cookie to set when the visitor has none yet.
    pub(crate) fn csrf_for_form(&self, state: &AppState) -> Result<(String, Option<String>), WebError> {
        match self.csrf() {
            Some(token) => Ok((token.to_owned(), None)),
            None => {
                let token = random_token()?;
                let cookie = set_cookie(state, CSRF_COOKIE, &token, None);
                Ok((token, Some(cookie)))
            }
        }
    }

    /// Checks a write: not from another site, and a form's token matches (API tokens need
    /// none: browsers do not send them by themselves).
    pub(crate) fn check_write(&self, submitted: Option<&str>) -> Result<(), WebError> {
        if self.cross_site {
            return Err(WebError::Forbidden);
        }
        if matches!(&self.signed_in, Some(SignedIn { credential: Credential::ApiToken, .. })) {
            return Ok(());
        }
        match (self.csrf(), submitted) {
            (Some(expected), Some(given)) if constant_time_eq(expected.as_bytes(), given.as_bytes()) => Ok(()),
            _ => Err(WebError::CsrfMismatch),
        }
    }

    /// The signed-in user, or 401 (the page handlers turn it into the login page).
    pub(crate) fn require(&self) -> Result<&SignedIn, WebError> {
        self.signed_in.as_ref().ok_or(WebError::Unauthorized)
    }
}

/// Whether a request's `Origin` is this site: the origin of `public_url`, or the scheme of
/// `public_url` with the `Host` the request was sent to (the same server reached under another
/// name). The scheme counts: with `public_url` on `https://`, a page served over plain
/// `http://` on the same host (which anyone on the network can forge) is another origin.
/// `null` (a sandboxed or privacy-restricted page) is never this site.
fn same_origin(origin: &str, host: Option<&axum::http::HeaderValue>, settings: &crate::SiteSettings) -> bool {
    let public = settings.public_url.as_str();
    let public_origin = match public.split_once("://") {
        Some((scheme, rest)) => (scheme, rest.split('/').next().unwrap_or_default()),
        None => return false,
    };
    let Some((scheme, authority)) = origin.split_once("://") else { return false };
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) || !scheme.eq_ignore_ascii_case(public_origin.0)
    {
        return false;
    }
    let host = host.and_then(|h| h.to_str().ok());
    authority.eq_ignore_ascii_case(public_origin.1) || host.is_some_and(|host| authority.eq_ignore_ascii_case(host))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client's address, when the server was started with connection info (`qpr serve`
/// is): the TCP peer, or the address a trusted reverse proxy forwarded (see `proxies`);
/// in-process test routers have none unless a test sets it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddress, Self::Rejection> {
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip());
        Ok(ClientAddress(peer.map(|peer| state.settings.trusted_proxies.client_address(peer, &parts.headers))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_check_compares_scheme_and_host() {
        use axum::http::HeaderValue;
        let https = crate::SiteSettings::new("https://qpr.example");
        let host = HeaderValue::from_static("qpr.example");
        assert!(same_origin("https://qpr.example", Some(&host), &https));
        assert!(same_origin("https://QPR.example", None, &https), "the public origin, whatever the Host");
        assert!(!same_origin("http://qpr.example", Some(&host), &https), "plain http is another origin");
        assert!(!same_origin("https://evil.example", Some(&host), &https));
        assert!(!same_origin("https://qpr.example.evil.example", Some(&host), &https));
        assert!(!same_origin("null", Some(&host), &https));
        assert!(!same_origin("https://qpr.example/path", Some(&host), &https));
        let local = crate::SiteSettings::new("http://127.0.0.1:8080");
        let localhost = HeaderValue::from_static("localhost:8080");
        assert!(same_origin("http://localhost:8080", Some(&localhost), &local), "the same server under another name");
        assert!(!same_origin("https://localhost:8080", Some(&localhost), &local));
        assert!(!same_origin("http://localhost:8081", Some(&localhost), &local));
    }
}
