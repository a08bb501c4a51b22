//! The public pages and the JSON API, called in-process on a fresh database.

// Test helpers (`TestApp`) are not `#[test]` functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use qpr_domain::framework::{AnswerType, FrameworkRegistry};
use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;
use std::sync::Arc;
use tower::ServiceExt;

const SEED: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

/// A server on a fresh database, with helpers to publish and to request.
struct TestApp {
    router: axum::Router,
    store: Store,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl TestApp {
    async fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
        let state = qpr_web::AppState { store: store.clone(), frameworks: Arc::new(FrameworkRegistry::builtin()), search };
        TestApp { router: qpr_web::router(state), store, _dir: dir }
    }

    async fn with_seed() -> (TestApp, ReportDocument) {
        let app = TestApp::new().await;
        let document = seed();
        app.store.publish(&document, "test").await.unwrap();
        (app, document)
    }

    async fn get(&self, uri: &str) -> Reply {
        let response = self.router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8(bytes.to_vec()).unwrap() }
    }
}

fn seed() -> ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap()
}

/// How a text appears in the pages' HTML, escaped as askama does.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

#[tokio::test]
async fn the_home_page_links_to_published_reports() {
    let (app, _) = TestApp::with_seed().await;
    let reply = app.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains(r#"<a href="/reports/AZE/2022">Azerbaijan 2022</a>"#), "{}", reply.body);
}

#[tokio::test]
async fn an_empty_platform_says_so() {
    let app = TestApp::new().await;
    let reply = app.get("/").await;
    assert!(reply.body.contains("No report is published yet."));
}

#[tokio::test]
async fn the_report_page_shows_every_label_and_record_in_order() {
    let (app, document) = TestApp::with_seed().await;
    let reply = app.get("/reports/AZE/2022").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let page = &reply.body;
    let framework = Framework::qpr_2020();
    let mut at = 0;
    for section in &framework.sections {
        let heading = escaped(&section.heading.en);
        at = at + page[at..].find(&heading).unwrap_or_else(|| panic!("heading `{}` missing or out of order", section.heading.en));
        for (_, question) in framework.questions().filter(|(s, _)| s.id == section.id) {
            let label = format!("{}:&nbsp;", escaped(&question.label.en));
            at = at + page[at..].find(&label).unwrap_or_else(|| panic!("label of `{}` missing or out of order", question.id));
            if question.answer_type == AnswerType::Records {
                continue;
            }
        }
    }
    for measure in &document.policy_measures {
        assert!(page.contains(&format!(r#"id="{}""#, measure.id)), "anchor of {}", measure.id);
        assert!(page.contains(&escaped(&measure.title)), "title of {}", measure.id);
    }
    for measure in &document.cso_measures {
        assert!(page.contains(&escaped(&measure.title)), "title of {}", measure.id);
    }
    assert!(page.contains("href=\"/api/v1/reports/AZE/2022\""), "links to its JSON");
}

#[tokio::test]
async fn the_page_text_imports_back_to_the_same_document() {
    let (app, document) = TestApp::with_seed().await;
    let page = app.get("/reports/AZE/2022").await.body;
    // The page's <main>, as text, is a published report page again.
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    let text = qpr_import::html_to_text(&format!("<html><body>{main}</body></html>"));
    let again = qpr_import::import_published(Framework::qpr_2020(), &text).unwrap();
    assert_eq!(again.warnings, [], "the page shows nothing the importer cannot place");
    assert_eq!(again.answers, document.answers);
    assert_eq!(again.policy_measures, document.policy_measures);
    assert_eq!(again.cso_measures, document.cso_measures);
}

#[tokio::test]
async fn the_json_api_returns_the_document() {
    let (app, document) = TestApp::with_seed().await;
    let reply = app.get("/api/v1/reports/AZE/2022").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(ReportDocument::from_json(&reply.body).unwrap(), document);
    let lower_case = app.get("/api/v1/reports/aze/2022").await;
    assert_eq!(lower_case.status, StatusCode::OK, "codes are case-insensitive");
}

#[tokio::test]
async fn missing_reports_are_404_in_the_right_format() {
    let (app, _) = TestApp::with_seed().await;
    let page = app.get("/reports/AZE/2018").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("No published report of AZE for 2018."));
    let api = app.get("/api/v1/reports/XX1/2022").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    let body: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(app.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/reports/AZE/twenty").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn user_text_is_escaped_everywhere() {
    let app = TestApp::new().await;
    let mut document = seed();
    let hostile = r#"<script>alert("x")</script> & 'quotes'"#;
    document.party.name = format!("Azerbaijan {hostile}");
    document.answers.insert("gi_executive_summary".into(), hostile.into());
    document.policy_measures[0].title = hostile.to_owned();
    document.policy_measures[0].agencies = vec![hostile.to_owned()];
    document.policy_measures[0].partners[0].name = hostile.to_owned();
    app.store.publish(&document, "test").await.unwrap();
    for uri in ["/", "/reports/AZE/2022"] {
        let body = app.get(uri).await.body;
        assert!(!body.contains("<script>"), "{uri} lets markup through");
        assert!(body.contains(&escaped(hostile)), "{uri}");
    }
}

#[tokio::test]
async fn security_headers_are_set() {
    let (app, _) = TestApp::with_seed().await;
    let reply = app.get("/reports/AZE/2022").await;
    let csp = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let css = app.get("/assets/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
}

#[tokio::test]
async fn the_report_page_is_in_french_on_request() {
    let (app, _) = TestApp::with_seed().await;
    let page = app.get("/reports/AZE/2022?lang=fr").await.body;
    assert!(page.contains(r#"<html lang="fr">"#));
    assert!(page.contains("Secteurs culturels et créatifs"));
    assert!(page.contains("OUI"));
    assert!(page.contains("Rapport périodique quadriennal"));
}
