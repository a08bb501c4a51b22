//! Who is asking: passwords (Argon2id), sessions (a random id in a cookie, kept hashed in the
//! database so app servers stay stateless), API tokens (`Authorization: Bearer`), CSRF tokens,
//! and the login throttle.
//!
//! Every request of the workspace extracts a [`Viewer`]; what the viewer may do is decided in
//! `access`, never here.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use qpr_store::{Membership, Session, User};

use crate::AppState;
use crate::error::WebError;

/// The shortest password accepted.
pub(crate) const MIN_PASSWORD_CHARS: usize = 12;
/// The longest (Argon2 would take more, but nobody types this much; it bounds the work).
const MAX_PASSWORD_CHARS: usize = 1024;
/// How long a login lasts.
const SESSION_LIFETIME: time::Duration = time::Duration::hours(12);
/// Name of the session cookie.
pub(crate) const SESSION_COOKIE: &str = "qpr_session";
/// Name of the CSRF cookie of visitors without a session (login, password and CSO forms).
pub(crate) const CSRF_COOKIE: &str = "qpr_csrf";

/// Failed logins allowed per account and per client address in a window.
const LOGIN_FAILURES_ALLOWED: u32 = 5;
/// The window of the login throttle.
const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A fresh secret: 32 random bytes, hex.
pub(crate) fn random_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| WebError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Why a password is refused, in words for the person choosing it.
pub(crate) fn password_problem(password: &str) -> Option<&'static str> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Some("password-too-short")
    } else if chars > MAX_PASSWORD_CHARS {
        Some("password-too-long")
    } else {
        None
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP's first Argon2id choice: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The Argon2id PHC string of a password. Runs on a blocking thread: it takes tens of
/// milliseconds of CPU on purpose.
pub(crate) async fn hash_password(password: String) -> Result<String, WebError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| WebError::Internal(format!("no randomness: {e}")))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| WebError::Internal(format!("salt: {e}")))?;
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| WebError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| WebError::Internal(format!("hashing task: {e}")))?
}

/// Whether `password` matches the PHC string `hash` (on a blocking thread).
pub(crate) async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A verifier hash to compare against when the account does not exist, so that a login
/// with an unknown e-mail takes as long as one with a wrong password.
pub(crate) async fn dummy_password_check(password: String) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = match DUMMY.get() {
        Some(hash) => hash.clone(),
        None => match hash_password("not a real password at all".into()).await {
            Ok(hash) => DUMMY.get_or_init(|| hash).clone(),
            Err(_) => return,
        },
    };
    password_matches(password, hash).await;
}

/// What a session carries besides its user.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SessionData {
    csrf: String,
}

/// Starts a session for `user`; returns the cookie's value.
pub(crate) async fn start_session(state: &AppState, user: i64) -> Result<String, WebError> {
    let id = random_token()?;
    let expires = time::OffsetDateTime::now_utc() + SESSION_LIFETIME;
    let data = serde_json::to_string(&SessionData { csrf: random_token()? }).map_err(|e| WebError::Internal(e.to_string()))?;
    let expires_at = expires.format(&time::format_description::well_known::Rfc3339).map_err(|e| WebError::Internal(e.to_string()))?;
    state.store.put_session(&id, &Session { user_id: user, data, expires_at }).await?;
    Ok(id)
}

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

/// How the viewer proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    /// A browser session: forms must carry its CSRF token.
    Session {
        /// The session id (the cookie's value).
        id: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// An API token: no cookies, so no CSRF.
    ApiToken,
}

/// A signed-in user with their roles.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub user: User,
    pub memberships: Vec<Membership>,
    pub credential: Credential,
}

impl SignedIn {
    /// The user's role for a Party, if any.
    pub(crate) fn membership(&self, iso3: &str) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.party_iso3 == iso3)
    }

    /// The actor name in the audit log and revisions.
    pub(crate) fn actor(&self) -> String {
        format!("user:{}", self.user.id)
    }
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
        let bearer = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let signed_in = if let Some(token) = bearer {
            let user = state.store.api_token_user(token).await?.ok_or(WebError::Unauthorized)?;
            Some((user, Credential::ApiToken))
        } else if let Some(id) = cookie(parts, SESSION_COOKIE) {
            match state.store.session(id).await? {
                Some(session) => {
                    let data: SessionData =
                        serde_json::from_str(&session.data).map_err(|e| WebError::Internal(format!("session data: {e}")))?;
                    let user = state.store.user(session.user_id).await?;
                    (!user.disabled).then(|| (user, Credential::Session { id: id.to_owned(), csrf: data.csrf }))
                }
                None => None,
            }
        } else {
            None
        };
        let signed_in = match signed_in {
            Some((user, credential)) => Some(SignedIn { memberships: state.store.memberships(user.id).await?, user, credential }),
            None => None,
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
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) || !scheme.eq_ignore_ascii_case(public_origin.0) {
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

/// Counts failed logins per account and per client address, in this process. Several
/// servers each keep their own count: the limit per server still stops guessing at speed.
#[derive(Debug, Default)]
pub(crate) struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginThrottle {
    fn keys(email: &str, client: Option<IpAddr>) -> Vec<String> {
        let mut keys = vec![format!("email:{}", email.trim().to_lowercase())];
        keys.extend(client.map(|ip| format!("ip:{ip}")));
        keys
    }

    /// Whether a login for `email` from `client` may be tried now.
    pub(crate) fn allows(&self, email: &str, client: Option<IpAddr>) -> bool {
        let Ok(failures) = self.failures.lock() else { return false };
        let limit = |key: &String| match failures.get(key) {
            Some((count, since)) if since.elapsed() < LOGIN_WINDOW => {
                *count < LOGIN_FAILURES_ALLOWED * if key.starts_with("ip:") { 4 } else { 1 }
            }
            _ => true,
        };
        Self::keys(email, client).iter().all(limit)
    }

    /// Counts a failed login.
    pub(crate) fn failed(&self, email: &str, client: Option<IpAddr>) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.retain(|_, (_, since)| since.elapsed() < LOGIN_WINDOW);
            for key in Self::keys(email, client) {
                let entry = failures.entry(key).or_insert((0, Instant::now()));
                entry.0 += 1;
            }
        }
    }

    /// Forgets the failures of an account after a successful login.
    pub(crate) fn succeeded(&self, email: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("email:{}", email.trim().to_lowercase()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse battery".into(), hash.clone()).await);
        assert!(!password_matches("correct horse batterY".into(), hash).await);
        assert!(!password_matches("x".into(), "not a phc string".into()).await);
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(password_problem("elevenchars"), Some("password-too-short"));
        assert_eq!(password_problem("twelve chars"), None);
        assert_eq!(password_problem("ééééééééééé"), Some("password-too-short"), "characters, not bytes");
    }

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

    #[test]
    fn the_throttle_stops_guessing_per_account_and_forgets_after_success() {
        let throttle = LoginThrottle::default();
        let ip = Some(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..LOGIN_FAILURES_ALLOWED {
            assert!(throttle.allows("A@x.org", ip));
            throttle.failed("a@x.org", ip);
        }
        assert!(!throttle.allows("a@x.org", ip), "the account is locked for the window");
        assert!(throttle.allows("b@x.org", ip), "another account from the same address still may");
        throttle.succeeded("a@x.org");
        assert!(throttle.allows("a@x.org", ip));
    }
}
