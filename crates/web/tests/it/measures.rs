//! The measure database over HTTP: `/api/v1/measures` (JSON, CSV, JSON lines) and the
//! `/measures` page, on the demo report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use qpr_domain::countries::Iso3;
use qpr_domain::document::PartyRef;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;
use serde_json::Value;
use tower::ServiceExt;

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

pub(crate) fn demo() -> ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap()
}

struct App {
    router: axum::Router,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

impl App {
    /// A server on a database holding the demo report, its search index up to date.
    async fn demo() -> App {
        App::with(&[demo()]).await
    }

    /// A server on a database holding these reports, its search index up to date.
    async fn with(documents: &[ReportDocument]) -> App {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        for document in documents {
            store.publish(document, "test").await.unwrap();
        }
        let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
        qpr_search::catch_up(&search, &store).await.unwrap();
        let state = qpr_web::AppState::new(
            store,
            search,
            qpr_mail::Mailer::to_folder("qpr@localhost", dir.path().join("mail")).unwrap(),
            qpr_web::SiteSettings::new("http://127.0.0.1"),
            Arc::new(qpr_signature::PlatformKey::generate().unwrap()),
        );
        App { router: qpr_web::router(state), _dir: dir }
    }

    async fn get_with(&self, uri: &str, accept: Option<&str>) -> Reply {
        let mut request = Request::get(uri);
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT, accept);
        }
        let response = self.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, content_type, body: String::from_utf8(bytes.to_vec()).unwrap() }
    }

    async fn get_with_language(&self, uri: &str, accept_language: &str) -> Reply {
        let request = Request::get(uri).header(header::ACCEPT_LANGUAGE, accept_language).body(Body::empty()).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, content_type: String::new(), body: String::from_utf8(bytes.to_vec()).unwrap() }
    }

    async fn get(&self, uri: &str) -> Reply {
        self.get_with(uri, None).await
    }
}

#[tokio::test]
async fn the_api_finds_music_and_music_for_young_people() {
    let app = App::demo().await;
    let music = app.get("/api/v1/measures?domain=music").await;
    assert_eq!(music.status, StatusCode::OK);
    let json = music.json();
    assert_eq!(json["total"], 4);
    assert_eq!(json["facets"]["domain"]["music"], 4);
    assert_eq!(json["facets"]["targets_youth"]["true"], 3);
    let hit = &json["hits"][0];
    let keys: Vec<&str> = hit.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["area", "goal", "id", "kind", "party", "reported_in", "snippet", "title", "year"]);
    assert_eq!(hit["party"], "AZE");
    let young = app.get("/api/v1/measures?domain=music&targets_youth=true").await.json();
    assert_eq!(young["total"], 3);
    let all = app.get("/api/v1/measures").await.json();
    assert_eq!(all["total"], 27);
    assert_eq!(all["facets"]["kind"], serde_json::json!({"cso": 5, "policy": 22}));
    assert_eq!(all["facets"]["area"]["treaties_agreements"], 4);
    let text = app.get("/api/v1/measures?q=%22creative+business+cup%22&sort=year&per_page=5").await.json();
    assert_eq!(text["total"], 1);
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter() {
    let app = App::demo().await;
    for (uri, param) in [
        ("/api/v1/measures?domain=jazz", "domain"),
        ("/api/v1/measures?year=soon", "year"),
        ("/api/v1/measures?per_page=0", "per_page"),
        ("/api/v1/measures?sort=best", "sort"),
        ("/api/v1/measures?format=xml", "format"),
        ("/api/v1/measures?colour=blue", "colour"),
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        let json = reply.json();
        assert_eq!(json["error"]["code"], "bad_parameter", "{uri}");
        assert_eq!(json["error"]["parameter"], param, "{uri}");
        assert!(json["error"]["message"].as_str().unwrap().contains(&format!("`{param}`")), "{json}");
    }
}

#[tokio::test]
async fn downloads_stream_every_measure_as_csv_or_json_lines() {
    let app = App::demo().await;
    for reply in
        [app.get("/api/v1/measures?format=csv").await, app.get_with("/api/v1/measures", Some("text/csv")).await]
    {
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.content_type.starts_with("text/csv"), "{}", reply.content_type);
        let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[0], "id");
        assert!(headers.iter().any(|h| h == "partners") && headers.iter().any(|h| h == "evaluation_conclusions"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 27);
        assert!(rows.iter().all(|r| r.len() == headers.len()));
        let evaluated = rows.iter().find(|r| &r[17] == "true").unwrap();
        assert!(!evaluated[18].is_empty(), "the evaluated measure's conclusions are there");
    }
    let lines = app.get("/api/v1/measures?format=jsonl&domain=music").await;
    assert!(lines.content_type.starts_with("application/jsonl"));
    let records: Vec<Value> = lines.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 4);
    assert!(records.iter().all(|r| r["measure"]["domains"].as_array().unwrap().iter().any(|d| d == "music")));
}

#[tokio::test]
async fn cells_that_would_start_a_spreadsheet_formula_download_with_an_apostrophe() {
    // Issue 12, finding 5: a published title must not run as a formula in the reader's spreadsheet.
    let mut document = demo();
    let titles = [r#"=HYPERLINK("http://x","y")"#, "-1+2", "@SUM(A1)", "\tX", "+33 1 45 68 10 00", "\rY"];
    for (measure, title) in document.policy_measures.iter_mut().zip(titles) {
        measure.title = title.to_owned();
    }
    let app = App::with(&[document.clone()]).await;
    let reply = app.get("/api/v1/measures?format=csv&kind=policy").await;
    assert_eq!(reply.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
    assert_eq!(&reader.headers().unwrap()[8], "title");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for (measure, title) in document.policy_measures.iter().zip(titles) {
        let row = rows.iter().find(|r| &r[0] == measure.id.as_str()).unwrap();
        assert_eq!(&row[8], format!("'{title}"), "{}", measure.id);
    }
    assert!(reply.body.contains(r#""'=HYPERLINK(""http://x"",""y"")""#), "the quoting stays RFC 4180: {}", reply.body);
    // Every other cell of the file starts with something a spreadsheet takes as text or a number.
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} in {row:?}");
        }
    }
    // The other titles, and the JSON downloads, are as published.
    let untouched = &document.policy_measures[titles.len()];
    assert_eq!(&rows.iter().find(|r| &r[0] == untouched.id.as_str()).unwrap()[8], untouched.title);
    let lines = app.get("/api/v1/measures?format=jsonl&kind=policy").await.body;
    assert!(lines.contains(r#""title":"=HYPERLINK(\"http://x\",\"y\")""#), "{lines}");
}

#[tokio::test]
async fn the_page_lists_hits_and_facet_links_without_javascript() {
    let app = App::demo().await;
    let page = app.get("/measures?domain=music").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h2 id=\"results\">4 measures</h2>"), "{}", page.body);
    assert!(page.body.contains("href=\"/measures?domain=music&#38;targets_youth=true\">Yes</a> (3)"), "{}", page.body);
    assert!(page.body.contains("aria-current=\"true\""), "the selected value is marked");
    assert!(page.body.contains("href=\"/measures/AZE/2022/AZE-2022-pm"), "hits link to the measure pages");
    assert!(
        page.body.contains("href=\"/api/v1/measures?domain=music&#38;format=csv\""),
        "download links keep the search"
    );
    assert!(!page.body.contains("<script"), "no JavaScript");
    let search = app.get("/measures?q=volunteers").await;
    assert!(search.body.contains("<mark>"), "snippets highlight the words");
    let french = app.get("/measures?lang=fr&domain=music").await;
    assert!(
        french.body.contains("<html lang=\"fr\">") && french.body.contains("Base de données de suivi des politiques")
    );
    assert!(french.body.contains("4 mesures") && french.body.contains("lang=fr"), "links keep the language");
    let bad = app.get("/measures?year=soon").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("role=\"alert\"") && bad.body.contains("year"), "{}", bad.body);
}

#[tokio::test]
async fn the_page_is_in_french_from_the_address_or_the_browser() {
    let app = App::demo().await;
    let english = app.get("/measures?q=music+%26+arts&domain=music").await;
    assert!(english.body.contains("Cultural domain") && english.body.contains("Kind of measure"), "{}", english.body);
    assert!(
        english.body.contains("href=\"/measures?q=music+%26+arts&#38;domain=music&#38;lang=fr\""),
        "the language switch keeps the search, its text one value: {}",
        english.body
    );
    let by_browser = app.get_with_language("/measures?domain=music&targets_youth=true", "fr-FR,fr;q=0.9").await;
    let by_address = app.get("/measures?domain=music&targets_youth=true&lang=fr").await;
    for french in [&by_browser, &by_address] {
        assert!(french.body.contains("<html lang=\"fr\">"), "{}", french.body);
        for text in [
            "<h2 id=\"results\">3 mesures</h2>",
            "Domaine culturel",
            "Cible les jeunes : Oui",
            "Retirer tous les filtres",
            "Rechercher",
        ] {
            assert!(french.body.contains(text), "{text} missing: {}", french.body);
        }
        for english in ["Cultural domain", "Targets young people", "measures</h2>", "Clear all filters", "Download"] {
            assert!(!french.body.contains(english), "{english} left in English: {}", french.body);
        }
        assert!(
            french.body.contains("<input type=\"hidden\" name=\"lang\" value=\"fr\">"),
            "the form keeps the language"
        );
        assert!(
            french.body.contains("href=\"/measures/AZE/2022/AZE-2022-pm") && french.body.contains("?lang=fr\">"),
            "hits keep the language"
        );
    }
    let nothing = app.get("/measures?q=zzzzqqq&lang=fr").await;
    assert!(
        nothing.body.contains("Aucune mesure</h2>") && nothing.body.contains("Aucune mesure ne correspond"),
        "{}",
        nothing.body
    );
    let bad = app.get("/measures?year=soon&lang=fr").await;
    assert!(bad.body.contains("Le paramètre « year »"), "{}", bad.body);
    let pages = app.get("/measures?per_page=10&lang=fr").await;
    assert!(pages.body.contains("Page 1 sur 3") && pages.body.contains("Page suivante"), "{}", pages.body);
}

#[tokio::test]
async fn pages_of_hits_link_to_each_other() {
    let app = App::demo().await;
    let first = app.get("/measures?per_page=10").await;
    assert!(first.body.contains("Page 1 / 3"), "{}", first.body);
    assert!(first.body.contains("href=\"/measures?page=2&#38;per_page=10\" rel=\"next\""), "{}", first.body);
    let last = app.get("/measures?per_page=10&page=3").await;
    assert!(last.body.contains("rel=\"prev\"") && !last.body.contains("rel=\"next\""));
    assert_eq!(last.body.matches("<li class=\"record\">").count(), 7);
}

#[tokio::test]
async fn every_hit_links_to_its_own_page_when_copies_share_measure_ids() {
    // The Party's 2026 report started from a copy of its 2022 one (ids kept, one title
    // revised), and another Party published a copy too: three measures with one id.
    let original = demo();
    let id = original.policy_measures[0].id.clone();
    let mut next_cycle = original.clone();
    next_cycle.year = 2026;
    next_cycle.policy_measures[0].title = format!("{} (second phase)", original.policy_measures[0].title);
    let mut copy = original.clone();
    copy.party = PartyRef { name: "France".to_owned(), iso3: Some(Iso3::parse("FRA").unwrap()) };
    let app = App::with(&[original.clone(), next_cycle, copy]).await;

    let query = encode(&format!("\"{}\"", original.policy_measures[0].title));
    let search = app.get(&format!("/api/v1/measures?q={query}&per_page=100")).await.json();
    let same_id: Vec<(String, i64)> = search["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|hit| hit["id"] == id.as_str())
        .map(|hit| (hit["party"].as_str().unwrap().to_owned(), hit["year"].as_i64().unwrap()))
        .collect();
    // The Party's measure reported again is one hit (its 2026 version); the other Party's
    // copy is another measure; a filter on 2022 finds the 2022 versions.
    assert_eq!(same_id, [("AZE".to_owned(), 2026), ("FRA".to_owned(), 2022)], "{search}");
    let mut hrefs: Vec<String> = Vec::new();
    for filter in ["", "&year=2022"] {
        let page = app.get(&format!("/measures?q={query}&per_page=100{filter}")).await.body;
        let on_page: Vec<String> =
            page.split("<h3><a href=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()).collect();
        let unique: std::collections::BTreeSet<&String> = on_page.iter().collect();
        assert_eq!(unique.len(), on_page.len(), "two hits link to the same page: {on_page:?}");
        hrefs.extend(on_page);
    }
    let hrefs: Vec<&str> = hrefs.iter().map(String::as_str).collect();
    for (party, year, title, party_name) in [
        ("AZE", 2022, original.policy_measures[0].title.clone(), "Azerbaijan"),
        ("AZE", 2026, format!("{} (second phase)", original.policy_measures[0].title), "Azerbaijan"),
        ("FRA", 2022, original.policy_measures[0].title.clone(), "France"),
    ] {
        let href = format!("/measures/{party}/{year}/{id}");
        assert!(hrefs.contains(&href.as_str()), "no hit links to {href}: {hrefs:?}");
        let measure = app.get(&href).await;
        assert_eq!(measure.status, StatusCode::OK, "{href}");
        assert!(
            measure.body.contains(&format!("<h1>{}</h1>", title.replace('"', "&#34;"))),
            "{href} shows its own version: {}",
            measure.body
        );
        assert!(measure.body.contains(&format!(">{party_name}</a>")), "{href}");
        assert!(measure.body.contains(&format!("href=\"/reports/{party}/{year}#{id}\"")), "{href} links to its report");
    }
    // The Party's other report with the measure is named, linking to its own page.
    let newest = app.get(&format!("/measures/AZE/2026/{id}")).await.body;
    assert!(newest.contains(&format!("href=\"/measures/AZE/2022/{id}\"")), "{newest}");
    // The address is canonical however it is spelled; a report without the measure has no page.
    assert_eq!(app.get(&format!("/measures/aze/02026/{id}")).await.status, StatusCode::OK);
    for missing in [
        format!("/measures/AZE/2018/{id}"),
        format!("/measures/SEN/2022/{id}"),
        "/measures/AZE/2022/no-such-id".to_owned(),
        format!("/measures/XX/2022/{id}"),
    ] {
        assert_eq!(app.get(&missing).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
    // The short form still answers: the newest report of the Party the id names.
    let short = app.get(&format!("/measures/{id}")).await.body;
    assert!(short.contains("(second phase)"), "{short}");
}

/// A query parameter's value, percent-encoded.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn the_goal_facet_names_each_goal_and_the_filters_say_how_they_combine() {
    let app = App::demo().await;
    for (lang, goal, any_of) in [
        ("en", "Goal 1 – Support Sustainable Systems of Governance for Culture", "any of the chosen values"),
        (
            "fr",
            "Objectif 1 – Soutenir des systèmes de gouvernance durables de la culture",
            "l’une des valeurs choisies",
        ),
    ] {
        let page = app.get(&format!("/measures?lang={lang}")).await;
        assert!(page.body.contains(goal), "{goal} in {}", page.body);
        assert!(page.body.contains(any_of), "{any_of} in {}", page.body);
        // The filter in force, by its goal's name, stays outside the collapsible list.
        let filtered = app.get(&format!("/measures?lang={lang}&goal=1")).await;
        let (before, _) = filtered.body.split_once("<details class=\"toc-block\">").unwrap();
        assert!(before.contains("class=\"active-filters\"") && before.contains(goal), "{}", filtered.body);
    }
}

/// A 2022 report of `code` holding these policy measures (JSON records).
pub(crate) fn report_of(code: &str, measures: Vec<Value>) -> ReportDocument {
    let party = PartyRef { name: code.to_owned(), iso3: Some(Iso3::parse(code).unwrap()) };
    let mut document = ReportDocument::new("qpr-2020", party, 2022);
    document.policy_measures = measures.into_iter().map(|m| serde_json::from_value(m).unwrap()).collect();
    document
}

/// The demo's first measure (a decree on Azerbaijan's cinematography), a paraphrase of it in
/// English by another Party, a translation in French by a third, and an unrelated measure.
pub(crate) fn cinema_reports() -> (ReportDocument, Vec<ReportDocument>) {
    let demo = demo();
    let area = demo.policy_measures[0].area.clone();
    let others = vec![
        report_of(
            "CAN",
            vec![serde_json::json!({"id": "CAN-2022-pm01", "area": area,
            "title": "Presidential decree on the development of national cinematography",
            "description": "Measures to develop cinematography: funding of film production and distribution, cinemas.",
            "evaluated": false})],
        ),
        report_of(
            "FRA",
            vec![serde_json::json!({"id": "FRA-2022-pm01", "area": area,
            "title": "Décret présidentiel sur le développement de la cinématographie nationale",
            "description": "Mesures pour développer la cinématographie : financement de la production et de la distribution de films, salles de cinéma.",
            "results": "Douze films produits", "evaluated": true})],
        ),
        report_of(
            "NOR",
            vec![serde_json::json!({"id": "NOR-2022-pm01", "area": "gender_equality",
            "title": "Snow clearing on mountain roads", "description": "Plough lorries for remote valleys."})],
        ),
    ];
    (demo, others)
}

#[tokio::test]
async fn similar_measures_are_other_parties_paraphrases_and_translations_with_why() {
    let (demo, others) = cinema_reports();
    let id = demo.policy_measures[0].id.clone();
    let mut documents = vec![demo];
    documents.extend(others);
    let app = App::with(&documents).await;
    let reply = app.get(&format!("/api/v1/measures/AZE/2022/{id}/similar")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["measure"]["id"], id.as_str());
    let similar = json["similar"].as_array().unwrap();
    let parties: Vec<&str> = similar.iter().map(|s| s["party"].as_str().unwrap()).collect();
    assert!(!parties.contains(&"AZE"), "only other Parties: {parties:?}");
    let mut first_two = parties[..2].to_vec();
    first_two.sort_unstable();
    assert_eq!(first_two, ["CAN", "FRA"], "the paraphrase and the translation come first: {parties:?}");
    let french = similar.iter().find(|s| s["party"] == "FRA").unwrap();
    assert_eq!(french["id"], "FRA-2022-pm01");
    assert_eq!(french["evaluated"], true);
    assert_eq!(french["results"], "Douze films produits");
    assert_eq!(french["why"]["same_area"], true);
    assert!(!french["why"]["shared_terms"].as_array().unwrap().is_empty(), "{french}");
    let english = similar.iter().find(|s| s["party"] == "CAN").unwrap();
    assert_eq!(english["evaluated"], false);
    assert!(english["why"]["shared_terms"].as_array().unwrap().iter().any(|t| t == "cinematography"), "{english}");
    if let Some(position) = parties.iter().position(|p| *p == "NOR") {
        assert!(position >= 2, "the unrelated measure comes after: {parties:?}");
    }
    let one = app.get(&format!("/api/v1/measures/AZE/2022/{id}/similar?limit=1")).await.json();
    assert_eq!(one["similar"].as_array().unwrap().len(), 1);

    for bad in ["0", "51", "five"] {
        let reply = app.get(&format!("/api/v1/measures/AZE/2022/{id}/similar?limit={bad}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "limit={bad}");
        assert_eq!(reply.json()["error"]["parameter"], "limit");
    }
    let reply = app.get("/api/v1/measures/AZE/2022/AZE-2022-pm99/similar").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let page = app.get(&format!("/measures/AZE/2022/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Similar measures of other Parties"));
    assert!(page.body.contains("Décret présidentiel sur le développement de la cinématographie nationale"));
    assert!(page.body.contains("href=\"/measures/CAN/2022/CAN-2022-pm01\""), "{}", page.body);
    assert!(page.body.contains("Douze films produits"));
    let page = app.get(&format!("/measures/AZE/2022/{id}?lang=fr")).await;
    assert!(page.body.contains("Mesures similaires d&#39;autres Parties"), "{}", page.body);
    assert!(page.body.contains("Termes communs"));
    assert!(page.body.contains("<dt>Évaluée</dt><dd>Oui</dd>"));
}

/// An earlier (2018) report of Azerbaijan, written independently: the demo's first measure
/// with a French title and another id, its second measure with the same id and other results.
pub(crate) fn earlier_report(demo: &ReportDocument) -> ReportDocument {
    let (first, second) = (&demo.policy_measures[0], &demo.policy_measures[1]);
    let mut earlier = report_of(
        "AZE",
        vec![
            serde_json::json!({"id": "AZE-2018-x1", "area": first.area,
                "title": "Décret du Président de l'Azerbaïdjan sur les mesures de développement de la cinématographie azerbaïdjanaise",
                "description": first.description}),
            serde_json::json!({"id": second.id, "area": second.area, "title": second.title,
                "description": second.description, "results": "Premiers résultats attendus"}),
        ],
    );
    earlier.year = 2018;
    earlier
}

#[tokio::test]
async fn the_measure_page_shows_its_life_across_the_partys_reports() {
    let demo = demo();
    let earlier = earlier_report(&demo);
    let (first, second, third) =
        (demo.policy_measures[0].id.clone(), demo.policy_measures[1].id.clone(), demo.policy_measures[2].id.clone());
    let app = App::with(&[demo, earlier]).await;

    let page = app.get(&format!("/measures/AZE/2022/{first}")).await.body;
    assert!(page.contains("This measure across the Party&#39;s reports"), "{page}");
    assert!(page.contains("href=\"/measures/AZE/2018/AZE-2018-x1\""), "{page}");
    assert!(page.contains("Matched by content with the previous report&#39;s measure (score 0."), "{page}");
    assert!(page.contains("<del>Décret du Président de l&#39;Azerbaïdjan"), "the French title is replaced: {page}");

    let page = app.get(&format!("/measures/AZE/2022/{second}")).await.body;
    assert!(page.contains("The same measure as in the previous report (kept from it)."), "{page}");
    assert!(page.contains("<del>Premiers résultats attendus</del>"), "{page}");
    let page = app.get(&format!("/measures/AZE/2022/{second}?lang=fr")).await.body;
    assert!(page.contains("La même mesure que dans le rapport précédent (reprise de celui-ci)."), "{page}");
    assert!(page.contains("<dt>Résultats</dt>"), "{page}");
    let page = app.get("/measures/AZE/2018/AZE-2018-x1").await.body;
    assert!(page.contains("The first report holding it."), "{page}");
    assert!(page.contains(&format!("href=\"/measures/AZE/2022/{first}\"")), "the newer version is linked: {page}");

    let page = app.get(&format!("/measures/AZE/2022/{third}")).await.body;
    assert!(page.contains("Only the 2022 report holds this measure"), "{page}");
}
