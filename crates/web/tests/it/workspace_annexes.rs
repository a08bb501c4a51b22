//! Annexes and prefill in the workspace, through the pages and the JSON API, called in-process
//! on a fresh database: people sign in as a browser does (password link, login, cookies).

// Test helpers (`TestApp`, `Browser`) are not `#[test]` functions, so clippy's test exemption
// misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use qpr_domain::countries::Iso3;
use qpr_domain::document::PartyRef;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::{MAX_ANNEX_BYTES, Membership, MembershipRole, NewUser, ReportState};

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");
const PASSWORD: &str = "a long enough test password";
const BOUNDARY: &str = "qpr-test-boundary-7MA4YWxkTrZu0gW";

use crate::support::pdf::pdf;
use crate::support::{Reply, TestApp as Server};

/// A server on a fresh database with the 2026 cycle open for Azerbaijan and France, and
/// Azerbaijan's 2022 report published.
struct TestApp {
    server: Server,
}

impl std::ops::Deref for TestApp {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.server
    }
}

trait ReplyExt {
    fn header(&self, name: &str) -> &str;
}

impl ReplyExt for Reply {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }
}

/// Someone using the site: their cookies and the form token of their session.
struct Browser<'a> {
    app: &'a TestApp,
    cookies: String,
    csrf: String,
}

impl TestApp {
    async fn new() -> TestApp {
        let server = Server::new().await;
        let store = &server.store;
        store.publish(&qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap(), "import").await.unwrap();
        let drafts: Vec<ReportDocument> = [("AZE", "Azerbaijan"), ("FRA", "France")]
            .iter()
            .map(|(iso3, name)| {
                ReportDocument::new(
                    "qpr-2020",
                    PartyRef { name: (*name).into(), iso3: Some(Iso3::parse(iso3).unwrap()) },
                    2026,
                )
            })
            .collect();
        store.open_cycle_with_reports(2026, "qpr-2020", "2026-06-30", &drafts, "test").await.unwrap();
        TestApp { server }
    }

    async fn anonymous(&self, method: &str, uri: &str) -> Reply {
        self.send_request(Request::builder().method(method).uri(uri).body(Body::empty()).unwrap()).await
    }

    /// A user with a role (`None`: the Secretariat), signed in through the password link and
    /// the login form.
    async fn sign_in(&self, email: &str, role: Option<(&str, MembershipRole, Option<&[&str]>)>) -> Browser<'_> {
        let user = NewUser {
            email,
            display_name: &format!("User {email}"),
            password_hash: None,
            is_secretariat: role.is_none(),
        };
        let id = self.store.create_user(&user, "test").await.unwrap();
        if let Some((iso3, role, sections)) = role {
            let sections = sections.map(|s| s.iter().map(|x| (*x).to_owned()).collect());
            self.store
                .set_membership(&Membership { user_id: id, party_iso3: iso3.into(), role, sections }, "test")
                .await
                .unwrap();
        }
        let link = qpr_workflow::first_password_link(&self.store, "http://127.0.0.1", id).await.unwrap();
        let path = link.strip_prefix("http://127.0.0.1").unwrap();
        let visitor = Browser { app: self, cookies: "qpr_csrf=visitor-token".into(), csrf: "visitor-token".into() };
        let set = visitor.post_form(path, &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        let login = visitor.post_form("/login", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
        let session = login.header("set-cookie").split(';').next().unwrap().to_owned();
        assert!(session.starts_with("qpr_session="), "{session}");
        let mut browser = Browser { app: self, cookies: session, csrf: String::new() };
        let page = browser.get("/app").await;
        browser.csrf = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        browser
    }

    async fn report(&self, iso3: &str) -> qpr_store::StoredReport {
        self.store.report_by_key(iso3, 2026).await.unwrap().unwrap()
    }
}

impl Browser<'_> {
    fn request(&self, method: &str, uri: &str) -> axum::http::request::Builder {
        Request::builder().method(method).uri(uri).header(header::COOKIE, &self.cookies)
    }

    async fn get(&self, uri: &str) -> Reply {
        self.app.send_request(self.request("GET", uri).body(Body::empty()).unwrap()).await
    }

    /// A form as a browser posts it, with the form token.
    async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut body = format!("csrf={}", self.csrf);
        for (name, value) in fields {
            body.push_str(&format!("&{name}={}", urlencode(value)));
        }
        let request = self.request("POST", uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.app.send_request(request.body(Body::from(body)).unwrap()).await
    }

    /// The upload form of the annexes page as a browser sends it (the token first, as in the page).
    async fn upload(&self, uri: &str, file_name: &str, file: &[u8], title: &str, description: &str) -> Reply {
        let csrf = self.csrf.clone();
        let parts: [(&str, Option<&str>, &[u8]); 4] = [
            ("csrf", None, csrf.as_bytes()),
            ("file", Some(file_name), file),
            ("title", None, title.as_bytes()),
            ("description", None, description.as_bytes()),
        ];
        let body = multipart(&parts);
        let request = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(header::CONTENT_LENGTH, body.len());
        self.app.send_request(request.body(Body::from(body)).unwrap()).await
    }

    /// An upload through the API, authenticated by the session and its token in `X-CSRF-Token`.
    async fn api_upload(&self, uri: &str, file: &[u8], title: &str, description: &str) -> Reply {
        self.send_api_upload(uri, (file, title, description), true).await
    }

    /// The same upload, streamed without a `Content-Length` (as programs may send it).
    async fn api_upload_streamed(&self, uri: &str, file: &[u8], title: &str, description: &str) -> Reply {
        self.send_api_upload(uri, (file, title, description), false).await
    }

    async fn send_api_upload(
        &self,
        uri: &str,
        (file, title, description): (&[u8], &str, &str),
        with_length: bool,
    ) -> Reply {
        let parts: [(&str, Option<&str>, &[u8]); 3] = [
            ("file", Some("annex.pdf"), file),
            ("title", None, title.as_bytes()),
            ("description", None, description.as_bytes()),
        ];
        let body = multipart(&parts);
        let mut request = self
            .request("POST", uri)
            .header("x-csrf-token", &self.csrf)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
        if with_length {
            request = request.header(header::CONTENT_LENGTH, body.len());
        }
        self.app.send_request(request.body(Body::from(body)).unwrap()).await
    }

    async fn api(&self, method: &str, uri: &str) -> Reply {
        self.app
            .send_request(self.request(method, uri).header("x-csrf-token", &self.csrf).body(Body::empty()).unwrap())
            .await
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A `multipart/form-data` body: (name, file name, content) for each part.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(file_name) = file_name {
            body.extend_from_slice(format!("; filename=\"{file_name}\"\r\nContent-Type: application/pdf").as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn sha256_of(reply: &Reply) -> String {
    let location = reply.header("location");
    location
        .split("added=")
        .nth(1)
        .unwrap_or_else(|| panic!("no added= in {location:?}: {}", reply.body))
        .chars()
        .take(64)
        .collect()
}

const ANNEXES: &str = "/app/reports/AZE/2026/annexes";
const API_ANNEXES: &str = "/api/v1/drafts/AZE/2026/annexes";

#[tokio::test]
async fn the_focal_point_uploads_a_pdf_that_the_team_can_download() {
    let app = TestApp::new().await;
    let focal = app.sign_in("focal@aze.example", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let page = focal.get(ANNEXES).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("enctype=\"multipart/form-data\""), "the upload form works without JavaScript");
    assert!(page.body.contains("No annex yet."));

    let file = pdf("Law on Culture");
    let uploaded =
        focal.upload(ANNEXES, "loi.pdf", &file, "Loi sur la culture — 2023", "The law of 2023 on culture.").await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let sha256 = sha256_of(&uploaded);
    let listed = focal.get(uploaded.header("location")).await;
    assert!(listed.body.contains("The annex “Loi sur la culture — 2023” was added."), "{}", listed.body);
    assert!(
        listed.body.contains("The law of 2023 on culture.") && listed.body.contains(&format!("{} bytes", file.len()))
    );
    assert!(listed.body.contains("User focal@aze.example"), "who added it");

    let download = focal.get(&format!("{ANNEXES}/{sha256}")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, file);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert_eq!(
        download.header("content-disposition"),
        "attachment; filename=\"Loi-sur-la-culture-2023.pdf\"; filename*=UTF-8''Loi-sur-la-culture-2023.pdf"
    );
    assert_eq!(download.header("x-content-type-options"), "nosniff");

    let overview = focal.get("/app/reports/AZE/2026").await;
    assert!(overview.body.contains(&format!("<a href=\"{ANNEXES}\">Annexes (1)</a>")), "{}", overview.body);

    let listing = focal.get(API_ANNEXES).await.json();
    assert_eq!(listing["annexes"][0]["sha256"], sha256.as_str());
    assert_eq!(listing["annexes"][0]["size"], file.len());
    assert_eq!(listing["annexes"][0]["added_by"]["name"], "User focal@aze.example");
    let second = pdf("Statistics 2024");
    let created = focal.api_upload(API_ANNEXES, &second, "Statistics", "Cultural employment, 2024.").await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["title"], "Statistics");
    let through_api = focal.get(&format!("{API_ANNEXES}/{}", created.json()["sha256"].as_str().unwrap())).await;
    assert_eq!((through_api.status, through_api.bytes), (StatusCode::OK, second));

    let secretariat = app.sign_in("sec@unesco.example", None).await;
    assert_eq!(
        secretariat.get(&format!("{ANNEXES}/{sha256}")).await.status,
        StatusCode::OK,
        "the Secretariat reads every report"
    );
    let all_sections = app.sign_in("all@aze.example", Some(("AZE", MembershipRole::Contributor, None))).await;
    assert_eq!(all_sections.get(&format!("{ANNEXES}/{sha256}")).await.bytes, file);
}

#[tokio::test]
async fn files_that_are_not_pdfs_or_are_too_large_are_refused_with_the_reason() {
    let app = TestApp::new().await;
    let focal = app.sign_in("focal@aze.example", Some(("AZE", MembershipRole::FocalPoint, None))).await;

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89%%EOF";
    let refused = focal.upload(ANNEXES, "scan.pdf", png, "Scanned decree", "A scan.").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("This file is not a PDF: it is a PNG image."), "{}", refused.body);
    assert!(refused.body.contains("value=\"Scanned decree\""), "what was typed is kept");
    let french = focal.upload(&format!("{ANNEXES}?lang=fr"), "scan.pdf", png, "Décret", "Un scan.").await;
    assert!(french.body.contains("Ce fichier n&#39;est pas un PDF : c&#39;est une image PNG."), "{}", french.body);

    let mut cut_off = pdf("Cut off");
    cut_off.truncate(cut_off.len() - 40);
    let refused = focal.upload(ANNEXES, "cut.pdf", &cut_off, "Cut", "Cut off.").await;
    assert!(refused.body.contains("This PDF is cut off"), "{}", refused.body);

    let mut too_large = pdf("Large");
    too_large.resize(MAX_ANNEX_BYTES + 100 * 1024, b' ');
    let refused = focal.upload(ANNEXES, "large.pdf", &too_large, "Large", "Too large.").await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.body.contains("The file is 20.1 MB; the limit is 20 MB."), "{}", refused.body);
    // Beyond twice the limit the request is refused by its length, unread.
    let huge = vec![b'%'; 42 * 1024 * 1024 - 1000];
    let refused = focal.api_upload(API_ANNEXES, &huge, "Huge", "Far too large.").await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused.json()["error"]["message"], "The file is 42 MB; the limit is 20 MB.");
    assert_eq!(refused.json()["error"]["code"], "too_large");
    let streamed = focal.api_upload_streamed(API_ANNEXES, &huge, "Huge", "Far too large.").await;
    assert_eq!(streamed.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(streamed.json()["error"]["message"], "The file is larger than the limit of 20 MB.");

    let no_title = focal.api_upload(API_ANNEXES, &pdf("Untitled"), " ", "No title.").await;
    assert_eq!(
        (no_title.status, no_title.json()["error"]["message"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("Title: give the document's title."))
    );
    let not_multipart = focal.api("POST", API_ANNEXES).await;
    assert_eq!(not_multipart.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", not_multipart.body);

    let file = pdf("Once");
    assert_eq!(focal.upload(ANNEXES, "a.pdf", &file, "Once", "First.").await.status, StatusCode::SEE_OTHER);
    let twice = focal.upload(ANNEXES, "b.pdf", &file, "Twice", "Again.").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("already an annex of the report, titled “Once”"), "{}", twice.body);
    assert_eq!(app.store.annexes(app.report("AZE").await.id).await.unwrap().len(), 1, "nothing refused was stored");
}

#[tokio::test]
async fn only_the_team_sees_the_annexes_and_only_the_focal_point_changes_them() {
    let app = TestApp::new().await;
    let focal = app.sign_in("focal@aze.example", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let contributor =
        app.sign_in("c@aze.example", Some(("AZE", MembershipRole::Contributor, Some(&["general_information"])))).await;
    let annex_contributor =
        app.sign_in("annexes@aze.example", Some(("AZE", MembershipRole::Contributor, Some(&["annexes"])))).await;
    let other_party = app.sign_in("focal@fra.example", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let file = pdf("Strategy");
    let sha256 = sha256_of(&focal.upload(ANNEXES, "s.pdf", &file, "Strategy", "The strategy.").await);
    let download = format!("{ANNEXES}/{sha256}");

    for (who, browser, expected) in [
        ("a contributor of other sections", &contributor, StatusCode::FORBIDDEN),
        ("another Party", &other_party, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(browser.get(ANNEXES).await.status, expected, "{who}: page");
        assert_eq!(browser.get(&download).await.status, expected, "{who}: download");
        assert_eq!(browser.get(API_ANNEXES).await.status, expected, "{who}: API list");
        assert_eq!(browser.get(&format!("{API_ANNEXES}/{sha256}")).await.status, expected, "{who}: API download");
        assert_eq!(
            browser.upload(ANNEXES, "x.pdf", &pdf("Mine"), "Mine", "Mine.").await.status,
            expected,
            "{who}: upload"
        );
        assert_eq!(
            browser.api_upload(API_ANNEXES, &pdf("Mine"), "Mine", "Mine.").await.status,
            expected,
            "{who}: API upload"
        );
        assert_eq!(browser.post_form(&format!("{download}/remove"), &[]).await.status, expected, "{who}: remove");
        assert_eq!(
            browser.api("DELETE", &format!("{API_ANNEXES}/{sha256}")).await.status,
            expected,
            "{who}: API remove"
        );
    }
    assert!(
        !contributor.get("/app/reports/AZE/2026").await.body.contains("Annexes ("),
        "no link to what they cannot open"
    );
    for (method, uri) in [("GET", ANNEXES.to_owned()), ("GET", download.clone())] {
        let reply = app.anonymous(method, &uri).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(reply.header("location").starts_with("/login?next="), "{uri}");
    }
    assert_eq!(app.anonymous("GET", &format!("{API_ANNEXES}/{sha256}")).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.anonymous("POST", API_ANNEXES).await.status, StatusCode::UNAUTHORIZED);

    // A file of another report is not reachable through one's own report.
    let french =
        sha256_of(&other_party.upload("/app/reports/FRA/2026/annexes", "f.pdf", &pdf("Loi"), "Loi", "La loi.").await);
    assert_eq!(focal.get(&format!("{ANNEXES}/{french}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(focal.get(&format!("{ANNEXES}/not-a-hash")).await.status, StatusCode::NOT_FOUND);

    // Forms need the session's token.
    let forged = Browser { app: &app, cookies: focal.cookies.clone(), csrf: "forged".into() };
    assert_eq!(
        forged.upload(ANNEXES, "x.pdf", &pdf("Forged"), "Forged", "Forged.").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(forged.api("DELETE", &format!("{API_ANNEXES}/{sha256}")).await.status, StatusCode::FORBIDDEN);

    // A contributor given the annex section adds annexes.
    let added = annex_contributor.api_upload(API_ANNEXES, &pdf("Study"), "Study", "A study.").await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(annex_contributor.get(&download).await.bytes, file);

    let removed = focal.post_form(&format!("{download}/remove"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(focal.get(removed.header("location")).await.body.contains("The annex “Strategy” was removed."));
    assert_eq!(focal.get(&download).await.status, StatusCode::NOT_FOUND);
    let study = added.json()["sha256"].as_str().unwrap().to_owned();
    assert_eq!(focal.api("DELETE", &format!("{API_ANNEXES}/{study}")).await.status, StatusCode::NO_CONTENT);
    assert!(focal.get(API_ANNEXES).await.json()["annexes"].as_array().unwrap().is_empty());

    // Once submitted, the annexes stay as they were.
    let report = app.report("AZE").await;
    app.store
        .transition(report.id, &[ReportState::Draft], ReportState::Submitted, "test", serde_json::json!({}))
        .await
        .unwrap();
    let late = focal.upload(ANNEXES, "late.pdf", &pdf("Late"), "Late", "Too late.").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("The report is submitted: it can no longer be changed."), "{}", late.body);
    assert!(
        !focal.get(ANNEXES).await.body.contains("enctype=\"multipart/form-data\""),
        "no upload form on a submitted report"
    );
}

#[tokio::test]
async fn prefill_copies_the_previous_report_once_with_the_same_measure_ids() {
    let app = TestApp::new().await;
    let focal = app.sign_in("focal@aze.example", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let contributor = app.sign_in("c@aze.example", Some(("AZE", MembershipRole::Contributor, None))).await;
    let other_party = app.sign_in("focal@fra.example", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let previous = app.store.published_report("AZE", 2022).await.unwrap().unwrap().document;
    let overview = focal.get("/app/reports/AZE/2026").await;
    assert!(overview.body.contains("Copy the 2022 report into this draft"), "{}", overview.body);
    assert!(!contributor.get("/app/reports/AZE/2026").await.body.contains("Copy the 2022 report"));

    assert_eq!(contributor.post_form("/app/reports/AZE/2026/prefill", &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other_party.post_form("/app/reports/AZE/2026/prefill", &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.anonymous("POST", "/api/v1/drafts/AZE/2026/prefill").await.status, StatusCode::UNAUTHORIZED);
    let before = app.report("AZE").await.current_revision.unwrap();

    let done = focal.post_form("/app/reports/AZE/2026/prefill", &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let measures = previous.policy_measures.len();
    assert!(
        done.body.contains(&format!("answers and {measures} measures of the 2022 report were copied")),
        "{}",
        done.body
    );
    assert!(done.body.contains("because they belong to the 2022 report itself: "), "{}", done.body);
    assert!(done.body.contains("CSO measures are not copied"));
    assert!(!done.body.contains("Copy the 2022 report into this draft"), "offered only on an empty draft");

    let report = app.report("AZE").await;
    let (info, document) = app.store.revision(report.current_revision.unwrap()).await.unwrap();
    assert_eq!(info.parent_id, Some(before), "a normal save on the current revision");
    assert_eq!(
        info.author,
        format!("user:{}", app.store.user_by_email("focal@aze.example").await.unwrap().unwrap().id)
    );
    assert_eq!(
        (document.year, document.framework.as_str(), document.party.name.as_str()),
        (2026, "qpr-2020", "Azerbaijan")
    );
    assert_eq!(document.policy_measures, previous.policy_measures, "measures keep their identity and content");
    assert!(document.cso_measures.is_empty());
    assert_eq!(document.answers.get("gi_executive_summary"), previous.answers.get("gi_executive_summary"));
    assert!(!document.answers.contains_key("sub_date"), "the date of submission belongs to the 2022 report");

    let again = focal.post_form("/app/reports/AZE/2026/prefill", &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already has answers or measures of its own"), "{}", again.body);
    let api_again = focal.api("POST", "/api/v1/drafts/AZE/2026/prefill").await;
    assert_eq!(
        (api_again.status, api_again.json()["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("rejected"))
    );
    assert_eq!(app.report("AZE").await.current_revision, report.current_revision, "refused twice: nothing saved");

    let nothing_before = other_party.api("POST", "/api/v1/drafts/FRA/2026/prefill").await;
    assert_eq!(nothing_before.status, StatusCode::CONFLICT);
    assert_eq!(nothing_before.json()["error"]["message"], "There is no earlier report of this Party to copy from.");
}

#[tokio::test]
async fn prefill_through_the_api_reports_what_it_copied() {
    let app = TestApp::new().await;
    let focal = app.sign_in("focal@aze.example", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let reply = focal.api("POST", "/api/v1/drafts/AZE/2026/prefill").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    let previous = app.store.published_report("AZE", 2022).await.unwrap().unwrap().document;
    assert_eq!(json["prefill"]["from_year"], 2022);
    assert_eq!(json["prefill"]["copied_measures"], previous.policy_measures.len());
    assert_eq!(json["prefill"]["cso_measures_left"], previous.cso_measures.len());
    assert!(json["prefill"]["not_carried"].as_array().unwrap().iter().any(|id| id == "sub_date"));
    assert_eq!(json["revision"], app.report("AZE").await.current_revision.unwrap().get());
    let draft = focal.get("/api/v1/drafts/AZE/2026").await.json();
    let ids: Vec<&str> =
        draft["document"]["policy_measures"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, previous.policy_measures.iter().map(|m| m.id.as_str()).collect::<Vec<_>>());
}
