//! Passwords (Argon2id), one-time secrets, sessions and the login throttle: how a person
//! proves who they are, without HTTP. Reading cookies and headers, and the CSRF check of a
//! request, stay in `qpr-web`; what a signed-in person may do is decided in [`crate::access`].

use std::net::IpAddr;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use qpr_store::{Membership, Session, Store, Timestamp, User, UserId};

use crate::WorkflowError;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest (Argon2 would take more, but nobody types this much; it bounds the work).
const MAX_PASSWORD_CHARS: usize = 1024;
/// How long a login lasts.
pub const SESSION_LIFETIME: time::Duration = time::Duration::hours(12);

/// Failed logins allowed per account and per client address in a window.
const LOGIN_FAILURES_ALLOWED: u32 = 5;
/// The window of the login throttle.
const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A fresh secret: 32 random bytes, hex.
pub fn random_token() -> Result<String, WorkflowError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| WorkflowError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Why a password is refused: the id of a message for the person choosing it
/// (`password-too-short`, `password-too-long`).
pub fn password_problem(password: &str) -> Option<&'static str> {
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
    // OWASP's first Argon2id choice: 19 MiB, 2 passes, 1 lane. These are also the crate's
    // defaults, which `unwrap_or_default` would give if the constants were ever refused.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The Argon2id PHC string of a password. Runs on a blocking thread: it takes tens of
/// milliseconds of CPU on purpose.
pub async fn hash_password(password: String) -> Result<String, WorkflowError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| WorkflowError::Internal(format!("no randomness: {e}")))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| WorkflowError::Internal(format!("salt: {e}")))?;
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| WorkflowError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| WorkflowError::Internal(format!("hashing task: {e}")))?
}

/// Whether `password` matches the PHC string `hash` (on a blocking thread).
pub async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A verifier hash to compare against when the account does not exist, so that a login
/// with an unknown e-mail takes as long as one with a wrong password.
pub async fn dummy_password_check(password: String) {
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

/// Starts a session for `user` (with its own CSRF token); returns the session's id, the
/// secret its cookie carries (the database keeps only its hash).
pub async fn start_session(store: &Store, user: UserId) -> Result<String, WorkflowError> {
    let id = random_token()?;
    let expires = time::OffsetDateTime::now_utc() + SESSION_LIFETIME;
    let data = serde_json::to_string(&SessionData { csrf: random_token()? })
        .map_err(|e| WorkflowError::Internal(e.to_string()))?;
    let expires_at = Timestamp::from_instant(expires);
    store.put_session(&id, &Session { user_id: user, data, expires_at }).await?;
    Ok(id)
}

/// Who holds the session `id`: `None` when it does not exist, expired, or its user is disabled.
pub async fn signed_in_by_session(store: &Store, id: &str) -> Result<Option<SignedIn>, WorkflowError> {
    let Some(session) = store.session(id).await? else { return Ok(None) };
    let data: SessionData =
        serde_json::from_str(&session.data).map_err(|e| WorkflowError::Internal(format!("session data: {e}")))?;
    let user = store.user(session.user_id).await?;
    if user.disabled {
        return Ok(None);
    }
    Ok(Some(SignedIn::of(store, user, Credential::Session { id: id.to_owned(), csrf: data.csrf }).await?))
}

/// Who holds the API token `token`: `None` when it names no one.
pub async fn signed_in_by_api_token(store: &Store, token: &str) -> Result<Option<SignedIn>, WorkflowError> {
    match store.api_token_user(token).await? {
        Some(user) => Ok(Some(SignedIn::of(store, user, Credential::ApiToken).await?)),
        None => Ok(None),
    }
}

/// What a login attempt came to.
#[derive(Debug)]
pub enum Login {
    /// Too many failures for this account or address lately: not even tried.
    Throttled,
    /// Unknown account, disabled account, no password yet, or a wrong one (which of them is
    /// not told); counted by the throttle.
    Refused,
    /// Signed in: a new session.
    Started {
        /// The account.
        user: User,
        /// The session's id, for the cookie.
        session: String,
    },
}

/// A login with `email` and `password` from `client`, throttled per account and address; a
/// login with an unknown e-mail takes as long as one with a wrong password.
pub async fn log_in(
    store: &Store,
    throttle: &LoginThrottle,
    (email, password): (&str, String),
    client: Option<IpAddr>,
) -> Result<Login, WorkflowError> {
    if !throttle.allows(email, client).await? {
        return Ok(Login::Throttled);
    }
    let user = store.user_by_email(email).await?;
    let verified = match user.as_ref().and_then(|u| u.password_hash.clone().filter(|_| !u.disabled)) {
        Some(hash) => password_matches(password, hash).await,
        None => {
            dummy_password_check(password).await;
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        throttle.failed(email, client).await?;
        tracing::info!(email = %email, "Failed login");
        return Ok(Login::Refused);
    };
    throttle.succeeded(email).await?;
    let session = start_session(store, user.id).await?;
    Ok(Login::Started { user, session })
}

/// Sets the password of the user a one-time link (`token`) was made for, and uses the link up.
/// `false` when the link is unknown, used or expired. The password's rules
/// ([`password_problem`]) are checked by the caller, which words them.
pub async fn set_password_with_link(store: &Store, token: &str, password: &str) -> Result<bool, WorkflowError> {
    let hash = hash_password(password.to_owned()).await?;
    let Some(user) = store.use_password_token(token).await? else { return Ok(false) };
    store.set_password_hash(user, &hash, &format!("user:{user}")).await?;
    Ok(true)
}

/// Why a signed-in user's change of password was refused, that they can fix on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChangeRefusal {
    /// The current password is not theirs.
    WrongCurrent,
    /// The new password breaks a rule: the id of the message that says it ([`password_problem`]).
    Rule(&'static str),
    /// The new password and its confirmation differ.
    Mismatch,
}

impl PasswordChangeRefusal {
    /// The id of the message that says it (`password-wrong-current`, `password-too-short`, …).
    pub fn message_id(self) -> &'static str {
        match self {
            PasswordChangeRefusal::WrongCurrent => "password-wrong-current",
            PasswordChangeRefusal::Rule(id) => id,
            PasswordChangeRefusal::Mismatch => "password-mismatch",
        }
    }
}

/// A signed-in user changes their password: the current one (counted by `throttle`, as logins
/// are), the new one twice, under the rules of the reset flow ([`password_problem`]). The store
/// then ends every session and token of the account and writes `user.password_set` in the audit
/// log, as a reset does, so the person signs in again with the new password.
pub async fn change_password(
    store: &Store,
    throttle: &LoginThrottle,
    signed_in: &SignedIn,
    (current, new, confirm): (&str, &str, &str),
    client: Option<IpAddr>,
) -> Result<Result<(), PasswordChangeRefusal>, WorkflowError> {
    let email = &signed_in.user.email;
    if !throttle.allows(email, client).await? {
        return Err(WorkflowError::TooManyAttempts);
    }
    let verified = match signed_in.user.password_hash.clone() {
        Some(hash) => password_matches(current.to_owned(), hash).await,
        None => false,
    };
    if !verified {
        throttle.failed(email, client).await?;
        return Ok(Err(PasswordChangeRefusal::WrongCurrent));
    }
    if let Some(problem) = password_problem(new) {
        return Ok(Err(PasswordChangeRefusal::Rule(problem)));
    }
    if new != confirm {
        return Ok(Err(PasswordChangeRefusal::Mismatch));
    }
    throttle.succeeded(email).await?;
    let hash = hash_password(new.to_owned()).await?;
    store.set_password_hash(signed_in.user.id, &hash, &signed_in.actor()).await?;
    Ok(Ok(()))
}

/// How the person proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
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

/// A signed-in user with their roles: who acts in the workflow.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// Their roles for Parties.
    pub memberships: Vec<Membership>,
    /// How they signed in.
    pub credential: Credential,
}

impl SignedIn {
    /// `user` signed in with `credential`, with their roles read from the store.
    pub async fn of(store: &Store, user: User, credential: Credential) -> Result<SignedIn, WorkflowError> {
        Ok(SignedIn { memberships: store.memberships(user.id).await?, user, credential })
    }

    /// The user's role for a Party, if any.
    pub fn membership(&self, iso3: &str) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.party_iso3 == iso3)
    }

    /// The actor name in the audit log and revisions.
    pub fn actor(&self) -> String {
        format!("user:{}", self.user.id)
    }
}

/// The login throttle: failed logins (and failed password checks before a change of password
/// or a signature) per account and per client address in a window, counted in the database
/// (`Store::count_login_failure`) so that every server of one platform counts the same ones:
/// a guesser spread over several nodes gets one allowance, not one per node. The limits live
/// here: [`LOGIN_FAILURES_ALLOWED`] per account, four times as many per address (an office
/// behind one address), in [`LOGIN_WINDOW`].
#[derive(Debug, Clone)]
pub struct LoginThrottle {
    store: Store,
}

impl LoginThrottle {
    /// The throttle that counts in `store`.
    pub fn new(store: Store) -> LoginThrottle {
        LoginThrottle { store }
    }

    fn account_key(email: &str) -> String {
        format!("email:{}", email.trim().to_lowercase())
    }

    fn keys(email: &str, client: Option<IpAddr>) -> Vec<String> {
        let mut keys = vec![Self::account_key(email)];
        keys.extend(client.map(|ip| format!("ip:{ip}")));
        keys
    }

    /// The failures allowed in a window for a key.
    fn allowance(key: &str) -> u32 {
        LOGIN_FAILURES_ALLOWED * if key.starts_with("ip:") { 4 } else { 1 }
    }

    /// When the windows still open began at the earliest.
    fn window_opened_after() -> Timestamp {
        let window = time::Duration::try_from(LOGIN_WINDOW).unwrap_or(time::Duration::MINUTE);
        Timestamp::from_instant(time::OffsetDateTime::now_utc() - window)
    }

    /// Whether a login for `email` from `client` may be tried now.
    pub async fn allows(&self, email: &str, client: Option<IpAddr>) -> Result<bool, WorkflowError> {
        let counts = self.store.login_failures(&Self::keys(email, client), &Self::window_opened_after()).await?;
        Ok(counts.iter().all(|(key, failures)| *failures < Self::allowance(key)))
    }

    /// Counts a failed login.
    pub async fn failed(&self, email: &str, client: Option<IpAddr>) -> Result<(), WorkflowError> {
        Ok(self.store.count_login_failure(&Self::keys(email, client), &Self::window_opened_after()).await?)
    }

    /// Forgets the failures of an account after a successful login.
    pub async fn succeeded(&self, email: &str) -> Result<(), WorkflowError> {
        Ok(self.store.forget_login_failures(&Self::account_key(email)).await?)
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

    /// Two servers on one database (here two stores on one file, as `qpr serve` opens it twice
    /// on two nodes): what one counts, the other sees.
    async fn the_throttle_counts_in_the_database_for_every_server(engine: qpr_test_support::Engine) {
        let database = qpr_test_support::TestDatabase::new(engine);
        let (one, other) = (Store::open(&database.url).await.unwrap(), Store::open(&database.url).await.unwrap());
        let (node_a, node_b) = (LoginThrottle::new(one), LoginThrottle::new(other.clone()));
        let ip = Some(IpAddr::from([127, 0, 0, 1]));
        for n in 0..LOGIN_FAILURES_ALLOWED {
            let node = if n % 2 == 0 { &node_a } else { &node_b };
            assert!(node.allows("A@x.org", ip).await.unwrap(), "failure {n} is still allowed");
            node.failed("a@x.org", ip).await.unwrap();
        }
        assert!(!node_a.allows("a@x.org", ip).await.unwrap(), "the account is locked for the window");
        assert!(!node_b.allows(" a@X.org", ip).await.unwrap(), "on the other node too, whatever the case");
        assert!(node_b.allows("b@x.org", ip).await.unwrap(), "another account from the same address still may");
        node_a.succeeded("a@x.org").await.unwrap();
        assert!(node_b.allows("a@x.org", ip).await.unwrap(), "a success forgets the account's failures");

        // An address gets four accounts' allowance (five of them counted above), then is
        // stopped whatever the account.
        for n in LOGIN_FAILURES_ALLOWED..LOGIN_FAILURES_ALLOWED * 4 {
            assert!(node_b.allows(&format!("user{n}@x.org"), ip).await.unwrap());
            node_a.failed(&format!("user{n}@x.org"), ip).await.unwrap();
        }
        assert!(!node_b.allows("new@x.org", ip).await.unwrap(), "the address is stopped");
        assert!(node_b.allows("new@x.org", Some(IpAddr::from([10, 0, 0, 1]))).await.unwrap());

        // A window that closed counts no more: its failures are forgotten at the next failure.
        let long_ago = Timestamp::from_instant(time::OffsetDateTime::now_utc() + time::Duration::hours(1));
        other.count_login_failure(&["email:late@x.org".to_owned()], &long_ago).await.unwrap();
        assert!(
            other
                .login_failures(&["ip:127.0.0.1".to_owned()], &LoginThrottle::window_opened_after())
                .await
                .unwrap()
                .is_empty(),
            "windows opened before the cut were deleted"
        );
    }

    qpr_test_support::on_both_engines!(the_throttle_counts_in_the_database_for_every_server);

    #[test]
    fn secrets_are_fresh_hex() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert!(a.len() == 64 && a.bytes().all(|c| c.is_ascii_hexdigit()) && a != b);
    }
}
