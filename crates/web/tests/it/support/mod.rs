//! A workspace test harness: the whole router in-process on a fresh database (SQLite or
//! PostgreSQL), users of every role signed in through the real pages (set-password link,
//! login form), each with their own cookie jar, and the mail outbox to read links from.

// Shared by several test binaries: not every helper is used by each.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub(crate) mod pdf;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use qpr_store::{Membership, MembershipRole, NewUser, Store};
use qpr_test_support::{Engine, TestDatabase};
use tower::ServiceExt;

/// The real published report the site imports as its demo (Azerbaijan 2022).
pub(crate) const DEMO_REPORT: &str = include_str!("../../../../../demo/qpr-azerbaijan-2022.txt");

/// The password every test user chooses.
pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// A site on a fresh database.
pub(crate) struct TestApp {
    pub router: axum::Router,
    pub store: Store,
    pub mailer: qpr_mail::Mailer,
    /// The site's search index (tests bring it up to date with `qpr_search::catch_up`).
    pub search: Arc<qpr_search::SearchIndex>,
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

/// An answer, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
    pub body: String,
}

impl Reply {
    /// Where a redirect points.
    pub(crate) fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The value of the first hidden `csrf` field of the page.
    pub(crate) fn csrf(&self) -> String {
        let start =
            self.body.find(r#"name="csrf" value=""#).unwrap_or_else(|| panic!("no form token in: {}", self.body)) + 19;
        self.body[start..start + 64].to_owned()
    }
}

/// A browser: a cookie jar.
#[derive(Debug, Clone, Default)]
pub(crate) struct Client {
    pub cookies: BTreeMap<String, String>,
    /// A user id, when signed in.
    pub user: Option<qpr_store::UserId>,
    /// The TCP peer the server sees (`ConnectInfo`, as `qpr serve` sets it); none by default.
    pub peer: Option<std::net::SocketAddr>,
    /// Headers sent with every request (what a reverse proxy adds, say).
    pub headers: Vec<(String, String)>,
}

impl Client {
    /// A browser whose requests come from `peer` with `headers` (a reverse proxy's, say).
    pub(crate) fn from_peer(peer: &str, headers: &[(&str, &str)]) -> Client {
        Client {
            peer: Some(peer.parse().unwrap()),
            headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            ..Client::default()
        }
    }
}

impl TestApp {
    /// A site on SQLite.
    pub(crate) async fn new() -> TestApp {
        TestApp::on(Engine::Sqlite).await
    }

    /// A site on `engine`.
    pub(crate) async fn on(engine: Engine) -> TestApp {
        TestApp::with_settings(engine, qpr_web::SiteSettings::new("http://qpr.test")).await
    }

    /// A site on `engine` with these settings (reached at `http://qpr.test`).
    pub(crate) async fn with_settings(engine: Engine, settings: qpr_web::SiteSettings) -> TestApp {
        let database = TestDatabase::new(engine);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&database.url).await.unwrap();
        let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
        let mailer = qpr_mail::Mailer::to_folder("qpr <noreply@qpr.test>", dir.path().join("mail")).unwrap();
        let key = Arc::new(qpr_signature::PlatformKey::generate().unwrap());
        let state = qpr_web::AppState::new(store.clone(), Arc::clone(&search), mailer.clone(), settings, key);
        TestApp { router: qpr_web::router(state), store, mailer, search, _database: database, _dir: dir }
    }

    /// Sends a request as `client`, keeping the cookies it sets.
    pub(crate) async fn send(
        &self,
        client: &mut Client,
        method: &str,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if !client.cookies.is_empty() {
            let jar: Vec<String> = client.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, jar.join("; "));
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        for (name, value) in &client.headers {
            request = request.header(name, value);
        }
        if let Some(peer) = client.peer {
            request = request.extension(axum::extract::ConnectInfo(peer));
        }
        let response = self.router.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
        for cookie in response.headers().get_all(header::SET_COOKIE) {
            let cookie = cookie.to_str().unwrap();
            let (pair, attributes) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                client.cookies.remove(name);
            } else {
                client.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        read(response).await
    }

    /// Sends a request as built, without a cookie jar.
    pub(crate) async fn send_request(&self, request: Request<Body>) -> Reply {
        read(self.router.clone().oneshot(request).await.unwrap()).await
    }

    /// `GET`.
    pub(crate) async fn get(&self, client: &mut Client, uri: &str) -> Reply {
        self.send(client, "GET", uri, None, Vec::new(), &[]).await
    }

    /// `POST` of a form (urlencoded).
    pub(crate) async fn post_form(&self, client: &mut Client, uri: &str, form: &[(&str, &str)]) -> Reply {
        let body = form.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        self.send(client, "POST", uri, Some("application/x-www-form-urlencoded"), body.into_bytes(), &[]).await
    }

    /// Fetches `page` and posts `form` with the page's form token, as a browser does.
    pub(crate) async fn submit(&self, client: &mut Client, page: &str, action: &str, form: &[(&str, &str)]) -> Reply {
        let csrf = self.get(client, page).await.csrf();
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        self.post_form(client, action, &fields).await
    }

    /// A JSON request with an API token.
    pub(crate) async fn api(&self, token: &str, method: &str, uri: &str, body: Option<serde_json::Value>) -> Reply {
        let bearer = format!("Bearer {token}");
        let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.send(&mut Client::default(), method, uri, Some("application/json"), body, &[("authorization", &bearer)])
            .await
    }

    /// Creates a user with a role (`secretariat`, or a Party role), lets them choose their
    /// password through the real link, and signs them in.
    pub(crate) async fn sign_in(
        &self,
        email: &str,
        role: Option<(&str, MembershipRole, Option<Vec<String>>)>,
    ) -> Client {
        let user = self
            .store
            .create_user(
                &NewUser { email, display_name: email, password_hash: None, is_secretariat: role.is_none() },
                "test",
            )
            .await
            .unwrap();
        if let Some((party, role, sections)) = role {
            self.store
                .set_membership(&Membership { user_id: user, party_iso3: party.into(), role, sections }, "test")
                .await
                .unwrap();
        }
        let link = qpr_workflow::first_password_link(&self.store, "http://qpr.test", user).await.unwrap();
        let path = link.trim_start_matches("http://qpr.test");
        let mut client = Client::default();
        let set = self.submit(&mut client, path, path, &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        self.log_in(&mut client, email, PASSWORD).await;
        client.user = Some(user);
        client
    }

    /// The Secretariat opens the 2028 cycle (form `qpr-2020`, deadline 2028-04-30) for `parties`
    /// (codes separated by spaces) through the cycles page.
    pub(crate) async fn open_cycle(&self, secretariat: &mut Client, parties: &str) -> Reply {
        let form = [("year", "2028"), ("framework", "qpr-2020"), ("deadline", "2028-04-30"), ("parties", parties)];
        self.submit(secretariat, "/app/cycles", "/app/cycles", &form).await
    }

    /// Signs a client in with the login form.
    pub(crate) async fn log_in(&self, client: &mut Client, email: &str, password: &str) -> Reply {
        let reply = self
            .submit(client, "/login", "/login", &[("email", email), ("password", password), ("next", "/app")])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "login of {email} failed: {}", reply.body);
        reply
    }

    /// Answers every required question the draft of `iso3` `year` leaves unanswered, with
    /// the answers of the real published report (Azerbaijan 2022, which answers them all),
    /// through the drafting API as the focal point `client`, so that it can be submitted.
    /// Answers already given stay; a follow-up the draft's own answers hide stays empty.
    pub(crate) async fn answer_required(&self, client: &mut Client, iso3: &str, year: i32) {
        let framework = qpr_domain::Framework::qpr_2020();
        let published = qpr_import::import_published(framework, DEMO_REPORT).expect("the demo report imports");
        let page = self.get(client, &format!("/app/reports/{iso3}/{year}")).await;
        let draft = self.get(client, &format!("/api/v1/drafts/{iso3}/{year}")).await.json();
        let mut document: qpr_domain::ReportDocument = serde_json::from_value(draft["document"].clone()).unwrap();
        // An answer may make its follow-ups apply: fill until nothing applicable is missing.
        loop {
            let missing: Vec<_> = qpr_domain::validate::missing_required(framework, &document)
                .into_iter()
                // The signing page answers the official and the date.
                .filter(|m| {
                    framework.question(&m.question).is_some_and(|q| {
                        q.role.is_none_or(|r| r == qpr_domain::framework::QuestionRole::ExecutiveSummary)
                    })
                })
                .collect();
            if missing.is_empty() {
                break;
            }
            for missing in missing {
                let answer = published.answer(&missing.question).cloned().expect("the published report answers it");
                document.answers.insert(missing.question, answer);
            }
        }
        let body = serde_json::json!({"base_revision": draft["revision"], "document": document});
        let csrf = page.csrf();
        let saved = self
            .send(
                client,
                "PUT",
                &format!("/api/v1/drafts/{iso3}/{year}"),
                Some("application/json"),
                body.to_string().into_bytes(),
                &[("x-csrf-token", &csrf)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    }

    /// The messages of the mail outbox, newest first.
    pub(crate) fn mails(&self) -> Vec<qpr_mail::OutboxEntry> {
        self.mailer.outbox().unwrap()
    }
}

/// Reads a whole answer.
async fn read(response: axum::response::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Reply { status, headers, bytes, body }
}

/// A form value, percent-encoded.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A link in a text (the first one starting with `prefix`).
pub(crate) fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no link {prefix} in: {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}
