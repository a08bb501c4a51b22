//! The public pages and the JSON API, called in-process on a fresh database.

// Test helpers (`TestApp`) are not `#[test]` functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use qpr_domain::countries::Iso3;
use qpr_domain::document::PartyRef;
use qpr_domain::framework::AnswerType;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;
use scraper::{Html, Selector};
use tower::ServiceExt;

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

/// A server on a fresh database, with helpers to publish and to request.
struct TestApp {
    router: axum::Router,
    store: Store,
    signing_key: Arc<qpr_signature::PlatformKey>,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
    body: String,
}

impl TestApp {
    async fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
        let signing_key = Arc::new(qpr_signature::PlatformKey::generate().unwrap());
        let state = qpr_web::AppState::new(
            store.clone(),
            search,
            qpr_mail::Mailer::to_folder("qpr@localhost", dir.path().join("mail")).unwrap(),
            qpr_web::SiteSettings::new("http://127.0.0.1"),
            Arc::clone(&signing_key),
        );
        TestApp { router: qpr_web::router(state), store, signing_key, _dir: dir }
    }

    async fn with_seed() -> (TestApp, ReportDocument) {
        let app = TestApp::new().await;
        let document = seed();
        app.store.publish(&document, "test").await.unwrap();
        (app, document)
    }

    async fn get(&self, uri: &str) -> Reply {
        self.get_with(uri, &[]).await
    }

    async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Reply { status, headers, bytes, body }
    }
}

fn seed() -> ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap()
}

/// The seed as another Party's report of another year (measure ids follow the Party).
fn report_of(iso3: &str, name: &str, year: i32) -> ReportDocument {
    let mut document = seed();
    document.party = PartyRef { name: name.to_owned(), iso3: Some(Iso3::parse(iso3).unwrap()) };
    document.year = year;
    for (i, measure) in document.policy_measures.iter_mut().enumerate() {
        measure.id = format!("{iso3}-{year}-pm{:02}", i + 1);
    }
    for (i, measure) in document.cso_measures.iter_mut().enumerate() {
        measure.id = format!("{iso3}-{year}-cso{:02}", i + 1);
    }
    document
}

/// How a text appears in the pages' HTML, escaped as askama does.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// Every page type, in both languages.
fn page_types(measure: &str) -> Vec<String> {
    let pages = [
        "/".to_owned(),
        "/reports".to_owned(),
        "/reports/AZE/2022".to_owned(),
        "/parties".to_owned(),
        "/parties/AZE".to_owned(),
        measure.to_owned(),
    ];
    pages.iter().flat_map(|page| [format!("{page}?lang=en"), format!("{page}?lang=fr")]).collect()
}

fn select<'a>(page: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(selector).unwrap()).collect()
}

fn text_of(element: scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_signing_keys_are_published_at_the_well_known_address() {
    let app = TestApp::new().await;
    let reply = app.get("/.well-known/qpr-signing-keys.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    let keys = qpr_signature::PublicKeySet::parse(&reply.bytes, "the well-known key set").unwrap();
    assert_eq!(keys, app.signing_key.public_key_set());
    let json: serde_json::Value = serde_json::from_slice(&reply.bytes).unwrap();
    assert_eq!(json["keys"][0]["key_id"], app.signing_key.key_id());
    assert_eq!(json["keys"][0]["algorithm"], "Ed25519");
}

#[tokio::test]
async fn the_home_page_says_what_the_platform_is_with_counts_and_latest_reports() {
    let (app, document) = TestApp::with_seed().await;
    let reply = app.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains(r#"<a href="/reports/AZE/2022">Azerbaijan 2022</a>"#), "{}", reply.body);
    let page = Html::parse_document(&reply.body);
    let figures: Vec<String> = select(&page, ".figures li").into_iter().map(text_of).collect();
    let measures = document.policy_measures.len() + document.cso_measures.len();
    assert_eq!(
        figures,
        [
            "149 Parties to the Convention".to_owned(),
            "1 published report".to_owned(),
            format!("{measures} policies and measures reported")
        ]
    );
    assert!(reply.body.contains("The next deadline is 30 June 2027."), "no cycle is open: the common deadline");
    let french = app.get("/?lang=fr").await.body;
    assert!(french.contains("La prochaine échéance est le 30 juin 2027."));
    assert!(
        french.contains(r#"<a href="/reports/AZE/2022?lang=fr">Azerbaïdjan 2022</a>"#),
        "names in French, links keep the language"
    );
}

#[tokio::test]
async fn the_open_cycle_and_its_deadline_show_on_the_home_page() {
    let (app, _) = TestApp::with_seed().await;
    let cycle = app.store.open_cycle(2027, "qpr-2020", "2027-06-30", "secretariat").await.unwrap();
    assert!(app.get("/").await.body.contains("The 2027 reporting cycle is open. Reports are due by 30 June 2027."));
    let french = app.get("/?lang=fr").await.body;
    assert!(
        french
            .contains("Le cycle de rapports 2027 est ouvert. Les rapports sont attendus au plus tard le 30 juin 2027.")
    );
    app.store.close_cycle(cycle, "secretariat").await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(app.get("/").await.body.contains("The next deadline is"), "a closed cycle leaves the page within a second");
}

#[tokio::test]
async fn an_empty_platform_says_so() {
    let app = TestApp::new().await;
    let reply = app.get("/").await;
    assert!(reply.body.contains("No report is published yet."));
    assert!(app.get("/reports").await.body.contains("No report matches."));
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
        at = at
            + page[at..]
                .find(&heading)
                .unwrap_or_else(|| panic!("heading `{}` missing or out of order", section.heading.en));
        for (_, question) in framework.questions().filter(|(s, _)| s.id == section.id) {
            let label = format!("{}:&nbsp;", escaped(&question.label.en));
            at = at
                + page[at..]
                    .find(&label)
                    .unwrap_or_else(|| panic!("label of `{}` missing or out of order", question.id));
            if question.answer_type == AnswerType::Records {
                continue;
            }
        }
    }
    for measure in &document.policy_measures {
        assert!(page.contains(&format!(r#"id="{}""#, measure.id)), "anchor of {}", measure.id);
        assert!(
            page.contains(&format!(r#"<a href="/measures/AZE/2022/{}">{}</a>"#, measure.id, escaped(&measure.title))),
            "link of {}",
            measure.id
        );
    }
    for measure in &document.cso_measures {
        assert!(page.contains(&escaped(&measure.title)), "title of {}", measure.id);
    }
    let html = Html::parse_document(page);
    let toc: Vec<String> =
        select(&html, ".toc a[href^='#']").into_iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect();
    assert!(
        toc.len() > 15 && toc.iter().all(|href| select(&html, &format!("[id='{}']", &href[1..])).len() == 1),
        "{toc:?}"
    );
    assert!(page.contains("href=\"/api/v1/reports/AZE/2022\""), "links to its JSON");
    assert!(page.contains("href=\"/parties/AZE\""), "links to the Party");
}

#[tokio::test]
async fn the_page_text_imports_back_to_the_same_document() {
    let (app, document) = TestApp::with_seed().await;
    for uri in ["/reports/AZE/2022", "/reports/AZE/2022?lang=en"] {
        let page = app.get(uri).await.body;
        // The page's <main>, as text, is a published report page again.
        let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
        let text = qpr_import::html_to_text(&format!("<html><body>{main}</body></html>"));
        let again = qpr_import::import_published(Framework::qpr_2020(), &text).unwrap();
        assert_eq!(again.warnings, [], "the page shows nothing the importer cannot place");
        assert_eq!(again.answers, document.answers);
        assert_eq!(again.policy_measures, document.policy_measures);
        assert_eq!(again.cso_measures, document.cso_measures);
    }
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
    let etag = reply.headers[header::ETAG].to_str().unwrap();
    assert_eq!(
        app.get_with("/api/v1/reports/AZE/2022", &[("if-none-match", etag)]).await.status,
        StatusCode::NOT_MODIFIED
    );
}

#[tokio::test]
async fn missing_things_are_404_in_the_right_format_and_language() {
    let (app, _) = TestApp::with_seed().await;
    let page = app.get("/reports/AZE/2018").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("No published report of AZE for 2018."));
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let french = app.get("/reports/AZE/2018?lang=fr").await;
    assert_eq!(french.status, StatusCode::NOT_FOUND);
    assert!(
        french.body.contains(r#"<html lang="fr">"#) && french.body.contains("Aucun rapport publié de AZE pour 2018.")
    );
    let api = app.get("/api/v1/reports/XX1/2022").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    let body: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["message"], "`XX1` is not a country code.");
    for uri in [
        "/no/such/page",
        "/reports/AZE/twenty",
        "/parties/QQQ",
        "/parties/12",
        "/measures/AZE-2022-pm99",
        "/measures/nothing",
    ] {
        let reply = app.get_with(uri, &[("accept-language", "fr")]).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(reply.body.contains("Page introuvable"), "{uri}: {}", reply.body);
    }
}

#[tokio::test]
async fn user_text_is_escaped_everywhere() {
    let app = TestApp::new().await;
    let hostile = r#"<script>alert("x")</script> & 'quotes'"#;
    // A Party the country list does not know shows under the name its report gives.
    let mut document = report_of("QQQ", &format!("Q {hostile}"), 2022);
    document.answers.insert("gi_executive_summary".into(), hostile.into());
    document.answers.insert("g1_ccs_gdp_share".into(), serde_json::json!({"raw": hostile, "year": hostile}));
    document.policy_measures[0].title = hostile.to_owned();
    document.policy_measures[0].agencies = vec![hostile.to_owned()];
    document.policy_measures[0].domains = vec![hostile.to_owned()];
    document.policy_measures[0].partners[0].name = hostile.to_owned();
    app.store.publish(&document, "test").await.unwrap();
    let pages = [
        "/",
        "/reports",
        "/reports?party=QQQ",
        "/reports/QQQ/2022",
        "/parties",
        "/parties/QQQ",
        "/measures/QQQ-2022-pm01",
    ];
    for uri in pages
        .iter()
        .flat_map(|page| [page.to_string(), format!("{page}{}lang=fr", if page.contains('?') { '&' } else { '?' })])
    {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert!(!reply.body.contains("<script"), "{uri} lets markup through");
        assert!(reply.body.contains(&escaped(hostile)), "{uri} does not show the text");
    }
}

#[tokio::test]
async fn security_and_cache_headers_are_set_on_every_page() {
    let (app, document) = TestApp::with_seed().await;
    for uri in page_types(&format!("/measures/{}", document.policy_measures[0].id)) {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe-inline") && !csp.contains("script-src"),
            "{csp}"
        );
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(reply.headers[header::CACHE_CONTROL], "public, max-age=60", "{uri}");
        assert_eq!(reply.headers[header::VARY], "Accept-Encoding, Accept-Language", "{uri}");
        assert!(reply.headers.contains_key(header::ETAG) && reply.headers.contains_key(header::LAST_MODIFIED), "{uri}");
        assert!(!reply.body.contains("<script") && !reply.body.contains(" style="), "{uri}: no inline script or style");
    }
    let css = app.get("/assets/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
    let page = app.get("/").await.body;
    let hashed = page.split("href=\"").find(|s| s.starts_with("/assets/style-")).unwrap().split('"').next().unwrap();
    let reply = app.get(hashed).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, css.body.as_str()));
    assert_eq!(reply.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn conditional_requests_get_304_and_bodies_come_compressed() {
    let (app, _) = TestApp::with_seed().await;
    let uri = "/reports/AZE/2022";
    let plain = app.get(uri).await;
    let etag = plain.headers[header::ETAG].to_str().unwrap();
    let modified = plain.headers[header::LAST_MODIFIED].to_str().unwrap();
    let unchanged = app.get_with(uri, &[("if-none-match", etag)]).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes.is_empty());
    assert_eq!(unchanged.headers[header::ETAG], etag);
    assert_eq!(app.get_with(uri, &[("if-modified-since", modified)]).await.status, StatusCode::NOT_MODIFIED);
    assert_eq!(app.get_with(uri, &[("if-none-match", "\"elsewhere\"")]).await.status, StatusCode::OK);
    assert_ne!(app.get(&format!("{uri}?lang=fr")).await.headers[header::ETAG], etag, "each language has its own ETag");

    let gzip = app.get_with(uri, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.headers[header::CONTENT_ENCODING], "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gzip.bytes[..]).read_to_string(&mut text).unwrap();
    assert_eq!(text, plain.body);
    let brotli = app.get_with(uri, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(brotli.headers[header::CONTENT_ENCODING], "br");
    let mut text = String::new();
    brotli::Decompressor::new(&brotli.bytes[..], 4096).read_to_string(&mut text).unwrap();
    assert_eq!(text, plain.body);
    assert!(brotli.bytes.len() * 4 < plain.bytes.len(), "{} → {}", plain.bytes.len(), brotli.bytes.len());
    assert_eq!(brotli.headers[header::ETAG], etag, "one ETag for every encoding of the page");
}

#[tokio::test]
async fn a_publication_shows_within_the_freshness_period() {
    let (app, mut document) = TestApp::with_seed().await;
    let before = app.get("/reports/AZE/2022").await;
    document.policy_measures[0].title = "A measure renamed since".into();
    app.store.publish(&document, "test").await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let after = app.get("/reports/AZE/2022").await;
    assert!(after.body.contains("A measure renamed since") && !before.body.contains("A measure renamed since"));
    assert_ne!(after.headers[header::ETAG], before.headers[header::ETAG]);
    let stale = before.headers[header::ETAG].to_str().unwrap();
    assert_eq!(app.get_with("/reports/AZE/2022", &[("if-none-match", stale)]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_report_page_is_in_french_on_request() {
    let (app, _) = TestApp::with_seed().await;
    let page = app.get("/reports/AZE/2022?lang=fr").await.body;
    assert!(page.contains(r#"<html lang="fr">"#));
    assert!(page.contains("Secteurs culturels et créatifs"));
    assert!(page.contains("OUI"));
    assert!(page.contains("Rapport périodique quadriennal"));
    assert!(page.contains("Sommaire"));
}

#[tokio::test]
async fn the_browser_language_is_respected_and_the_switch_keeps_the_page() {
    let (app, _) = TestApp::with_seed().await;
    let french =
        app.get_with("/reports?year=2022&party=AZE", &[("accept-language", "fr-CH, fr;q=0.9, en;q=0.8")]).await.body;
    assert!(french.contains(r#"<html lang="fr">"#) && french.contains("Rapports publiés"));
    assert!(
        french.contains(r#"href="/reports?party=AZE&#38;year=2022&#38;lang=en" lang="en""#),
        "the switch keeps the filters"
    );
    assert!(french.contains(r#"href="/parties?lang=fr""#), "links keep French");
    assert!(french.contains(r#"<input type="hidden" name="lang" value="fr">"#), "so does the filter form");
    let english = app.get_with("/parties/AZE", &[("accept-language", "de, en;q=0.5")]).await.body;
    assert!(english.contains(r#"<html lang="en">"#) && english.contains(r#"href="/parties/AZE?lang=fr" lang="fr""#));
    assert!(english.contains(r#"href="/reports/AZE/2022""#), "English links stay plain");
    let chosen = app.get_with("/parties/AZE?lang=en", &[("accept-language", "fr")]).await.body;
    assert!(
        chosen.contains(r#"<html lang="en">"#) && chosen.contains(r#"href="/reports/AZE/2022?lang=en""#),
        "a choice sticks"
    );
}

#[tokio::test]
async fn reports_filter_by_party_region_and_year() {
    let app = TestApp::new().await;
    for (iso3, name, year) in
        [("AZE", "Azerbaijan", 2022), ("AZE", "Azerbaijan", 2018), ("FRA", "France", 2022), ("SEN", "Senegal", 2020)]
    {
        app.store.publish(&report_of(iso3, name, year), "test").await.unwrap();
    }
    let rows = |body: &str| -> Vec<String> {
        select(&Html::parse_document(body), "table.listing tbody th").into_iter().map(text_of).collect()
    };
    assert_eq!(
        rows(&app.get("/reports").await.body),
        ["Azerbaijan 2022", "France 2022", "Senegal 2020", "Azerbaijan 2018"]
    );
    assert_eq!(rows(&app.get("/reports?party=AZE").await.body), ["Azerbaijan 2022", "Azerbaijan 2018"]);
    assert_eq!(rows(&app.get("/reports?region=africa").await.body), ["Senegal 2020"]);
    assert_eq!(
        rows(&app.get("/reports?year=2022&region=europe_north_america").await.body),
        ["Azerbaijan 2022", "France 2022"]
    );
    assert_eq!(rows(&app.get("/reports?year=2022&region=europe_north_america&party=FRA").await.body), ["France 2022"]);
    assert_eq!(
        rows(&app.get("/reports?party=&region=&year=2018").await.body),
        ["Azerbaijan 2018"],
        "empty choices mean all"
    );
    assert_eq!(
        rows(&app.get("/reports?party=nonsense&year=abc").await.body).len(),
        4,
        "filters that name nothing are ignored"
    );
    let none = app.get("/reports?party=FRA&year=2018").await.body;
    assert!(none.contains("No report matches.") && none.contains(r#"<a href="/reports">Show all reports</a>"#));
    let page = Html::parse_document(&app.get("/reports?year=2020").await.body);
    for select_id in ["filter-party", "filter-region", "filter-year"] {
        assert_eq!(select(&page, &format!("label[for={select_id}]")).len(), 1, "{select_id} has a label");
    }
    let selected: Vec<String> = select(&page, "option[selected]").into_iter().map(text_of).collect();
    assert_eq!(selected, ["2020"]);
    let parties: Vec<String> = select(&page, "#filter-party option").into_iter().map(text_of).collect();
    assert_eq!(parties, ["All Parties", "Azerbaijan", "France", "Senegal"]);
    let french = Html::parse_document(&app.get("/reports?lang=fr").await.body);
    let regions: Vec<String> =
        select(&french, "table.listing tbody td:nth-of-type(2)").into_iter().map(text_of).collect();
    assert_eq!(
        regions,
        ["Europe et Amérique du Nord", "Europe et Amérique du Nord", "Afrique", "Europe et Amérique du Nord"]
    );
}

#[tokio::test]
async fn the_party_profile_has_reports_statistics_and_measures() {
    let app = TestApp::new().await;
    let newest = seed();
    let mut older = report_of("AZE", "Azerbaijan", 2018);
    older.policy_measures.truncate(2);
    older.policy_measures[1].id = newest.policy_measures[0].id.clone();
    app.store.publish(&newest, "test").await.unwrap();
    app.store.publish(&older, "test").await.unwrap();
    let reply = app.get("/parties/AZE").await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = Html::parse_document(&reply.body);
    assert_eq!(select(&page, "h1").into_iter().map(text_of).collect::<Vec<_>>(), ["Azerbaijan"]);
    let facts: Vec<String> = select(&page, ".facts dd").into_iter().map(text_of).collect();
    assert_eq!(facts[0], "Europe and North America");
    assert!(facts[1].contains("2010"), "{facts:?}");
    let reports: Vec<String> = select(&page, "#reports-heading + table tbody th").into_iter().map(text_of).collect();
    assert_eq!(reports, ["2022 report", "2018 report"]);
    let statistics: Vec<String> =
        select(&page, "#statistics-heading + table tbody tr").into_iter().map(text_of).collect();
    assert!(
        statistics
            .iter()
            .any(|s| s.starts_with("Share of cultural and creative sectors in Gross Domestic Product (GDP)")),
        "{statistics:?}"
    );
    assert!(statistics.iter().any(|s| s.starts_with("Total public budget for culture (in USD)")), "{statistics:?}");
    assert!(
        statistics.iter().any(|s| s.starts_with("Share of employment in the cultural and creative sectors")),
        "{statistics:?}"
    );
    let measure_links = select(&page, ".measure-list a").len();
    let reported = |d: &ReportDocument| d.policy_measures.len() + d.cso_measures.len();
    assert_eq!(measure_links, reported(&newest) + reported(&older) - 1, "the measure of both reports is listed once");
    assert!(!select(&page, "#domains-heading + table tbody tr").is_empty());
    let french = app.get("/parties/AZE?lang=fr").await.body;
    assert!(french.contains("Azerbaïdjan") && french.contains("Statistiques clés") && french.contains("Musique"));
    assert!(french.contains("Secteurs culturels et créatifs"), "area headings from the framework, in French");
}

#[tokio::test]
async fn the_parties_page_lists_parties_by_region() {
    let (app, _) = TestApp::with_seed().await;
    let page = Html::parse_document(&app.get("/parties").await.body);
    let regions: Vec<String> = select(&page, "main h2").into_iter().map(text_of).collect();
    assert_eq!(
        regions[..5],
        [
            "Africa",
            "Arab States",
            "Asia and the Pacific",
            "Europe and North America",
            "Latin America and the Caribbean"
        ]
    );
    let parties = select(&page, ".party-list > li").len();
    assert_eq!(parties, 149);
    assert_eq!(select(&page, "a[href='/reports/AZE/2022']").len(), 1);
}

#[tokio::test]
async fn a_measure_page_shows_the_measure_in_its_report_context() {
    let app = TestApp::new().await;
    let newest = seed();
    let mut older = report_of("AZE", "Azerbaijan", 2018);
    older.policy_measures[3].id = newest.policy_measures[0].id.clone();
    app.store.publish(&newest, "test").await.unwrap();
    app.store.publish(&older, "test").await.unwrap();
    let measure = &newest.policy_measures[0];
    let reply = app.get(&format!("/measures/{}", measure.id)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = Html::parse_document(&reply.body);
    assert_eq!(select(&page, "h1").into_iter().map(text_of).collect::<Vec<_>>(), std::slice::from_ref(&measure.title));
    let facts: Vec<String> = select(&page, ".facts dd").into_iter().map(text_of).collect();
    assert_eq!(
        facts,
        [
            "Azerbaijan",
            "Azerbaijan 2022",
            "Goal 1 - Support Sustainable Systems of Governance for Culture",
            "Cultural and Creative Sectors",
            "Azerbaijan 2018"
        ]
    );
    assert!(reply.body.contains(&format!(r#"href="/reports/AZE/2022#{}""#, measure.id)));
    for agency in &measure.agencies {
        assert!(reply.body.contains(&escaped(agency)));
    }
    assert!(reply.body.contains(&escaped(&measure.partners[0].name)));
    let cso = &newest.cso_measures[0];
    let reply = app.get(&format!("/measures/{}?lang=fr", cso.id)).await;
    assert!(reply.body.contains("Mesure rapportée par les organisations de la société civile"), "{}", reply.body);
    assert!(reply.body.contains("Objectif"));
}

#[tokio::test]
async fn every_page_has_landmarks_a_skip_link_and_headings_in_order() {
    let (app, document) = TestApp::with_seed().await;
    for uri in page_types(&format!("/measures/{}", document.cso_measures[0].id)) {
        let page = Html::parse_document(&app.get(&uri).await.body);
        assert_eq!(select(&page, "main#main").len(), 1, "{uri}");
        assert_eq!(select(&page, "body > header").len() + select(&page, "body > footer").len(), 2, "{uri}");
        assert_eq!(select(&page, "a.skip-link[href='#main']").len(), 1, "{uri}");
        assert_eq!(select(&page, "h1").len(), 1, "{uri}");
        let levels: Vec<u8> = select(&page, "main h1, main h2, main h3, main h4, main h5, main h6")
            .into_iter()
            .map(|h| h.value().name()[1..].parse().unwrap())
            .collect();
        assert_eq!(levels[0], 1, "{uri}");
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{uri}: h{} after h{}", pair[1], pair[0]);
        }
        for nav in select(&page, "nav") {
            assert!(
                nav.value().attr("aria-label").or(nav.value().attr("aria-labelledby")).is_some(),
                "{uri}: every nav is named"
            );
        }
    }
}
