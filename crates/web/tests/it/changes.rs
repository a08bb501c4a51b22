//! What changed between two reports of a Party: `/parties/{iso3}/changes` and its JSON, on the
//! demo report (2022) and reports published here (an independent 2018 report, a 2014 report
//! under the 2016 form, a 2020 report withdrawn).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use qpr_domain::ReportDocument;
use qpr_domain::document::PartyRef;
use qpr_store::{ReportState, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::measures::{demo, earlier_report, report_of};

struct Site {
    router: axum::Router,
    _dir: tempfile::TempDir,
}

impl Site {
    /// The demo, an independent 2018 report with a measure since dropped and a GDP share, a
    /// 2014 report under the 2016 form, and a 2020 report published then withdrawn.
    async fn start() -> (Site, ReportDocument) {
        let demo = demo();
        let mut earlier = earlier_report(&demo);
        earlier.policy_measures.push(
            serde_json::from_value(json!({"id": "AZE-2018-gone", "area": demo.policy_measures[0].area,
                "title": "Snow clearing on mountain roads", "description": "Plough lorries for remote valleys."}))
            .unwrap(),
        );
        earlier.answers.insert("g1_ccs_gdp_share".into(), json!({"raw": "2.3%", "percent": 2.3, "year": 2016}));
        let mut oldest = ReportDocument::new(
            "qpr-2016",
            PartyRef { name: "Azerbaijan".into(), iso3: demo.party.iso3.clone() },
            2014,
        );
        oldest.answers.insert("gi_party_name".into(), json!("Azerbaijan"));
        let mut withdrawn = report_of("AZE", Vec::new());
        withdrawn.year = 2020;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        for document in [&demo, &earlier, &oldest, &withdrawn] {
            store.publish(document, "test").await.unwrap();
        }
        let report = store.report_by_key("AZE", 2020).await.unwrap().unwrap();
        store.transition(report.id, &[ReportState::Published], ReportState::Accepted, "test", json!({})).await.unwrap();
        let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
        qpr_search::catch_up(&search, &store).await.unwrap();
        let state = qpr_web::AppState::new(
            store,
            search,
            qpr_mail::Mailer::to_folder("qpr@localhost", dir.path().join("mail")).unwrap(),
            qpr_web::SiteSettings::new("http://127.0.0.1"),
            Arc::new(qpr_signature::PlatformKey::generate().unwrap()),
        );
        (Site { router: qpr_web::router(state), _dir: dir }, demo)
    }

    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let response = self.router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    async fn json(&self, uri: &str) -> (StatusCode, Value) {
        let (status, body) = self.get(uri).await;
        (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")))
    }
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_changes_between_two_reports_list_measures_answers_and_statistics() {
    let (site, demo) = Site::start().await;
    let (first, second) = (&demo.policy_measures[0].id, &demo.policy_measures[1].id);
    let (status, json) = site.json("/api/v1/parties/AZE/changes").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        (json["from"].clone(), json["to"].clone()),
        (json!(2018), json!(2022)),
        "the withdrawn 2020 report is gone"
    );
    let changes = &json["changes"];
    let areas = changes["areas"].as_array().unwrap();
    let all = |key: &str| -> Vec<String> { areas.iter().flat_map(|a| ids(&a[key])).collect() };
    let new_ids: Vec<String> = demo.policy_measures[2..].iter().map(|m| m.id.clone()).collect();
    let mut new = all("new");
    new.sort();
    let mut expected = new_ids.clone();
    expected.sort();
    assert_eq!(new, expected);
    assert_eq!(all("no_longer_reported"), ["AZE-2018-gone"]);
    let continued: Vec<&Value> = areas.iter().flat_map(|a| a["continued"].as_array().unwrap()).collect();
    assert_eq!(continued.len(), 2, "{continued:?}");
    let by_content = continued.iter().find(|c| ids(&c["to"]) == [first.clone()]).unwrap();
    assert_eq!(by_content["link"]["how"], "matched");
    assert_eq!(ids(&by_content["from"]), ["AZE-2018-x1"]);
    assert!(by_content["changed"].as_array().unwrap().contains(&json!("title")));
    let same = continued.iter().find(|c| ids(&c["to"]) == [second.clone()]).unwrap();
    assert_eq!(same["link"]["how"], "same_id");
    assert_eq!(same["changed"], json!(["results"]));
    assert_eq!(ids(&changes["cso"]["new"]).len(), demo.cso_measures.len());
    let gdp = changes["statistics"].as_array().unwrap().iter().find(|s| s["question"] == "g1_ccs_gdp_share").unwrap();
    assert_eq!(gdp["from"], json!({"value": "2.30%", "year": "2016"}));
    assert_eq!(gdp["changed"], true);
    let answered_now = changes["answers"].as_array().unwrap();
    assert!(!answered_now.is_empty() && answered_now.iter().all(|a| a["from"] == ""), "the 2018 report answers none");

    // The page, in English and French, and the links to it.
    let (status, page) = site.get("/parties/AZE/changes?from=2018&to=2022").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("what changed from the 2018 report to the 2022 report"), "{page}");
    assert!(page.contains("Snow clearing on mountain roads"));
    assert!(page.contains("Measures no longer reported") || page.contains("Measure no longer reported"));
    assert!(page.contains("2.30% in 2016"), "{page}");
    assert!(page.contains("matched by content, score 0."), "{page}");
    assert!(page.contains("Changed: results"), "{page}");
    let (_, page) = site.get("/parties/AZE/changes?from=2018&to=2022&lang=fr").await;
    assert!(page.contains("ce qui a changé du rapport 2018 au rapport 2022"), "{page}");
    assert!(page.contains("2,30 %") || page.contains("2.30% en 2016"), "{page}");
    assert!(page.contains("Modifié : résultats"), "{page}");
    let (_, report) = site.get("/reports/AZE/2022").await;
    assert!(
        report.contains("href=\"/parties/AZE/changes?to=2022\">Compared with the previous report (2018)</a>"),
        "{report}"
    );
    let (_, party) = site.get("/parties/AZE").await;
    assert!(party.contains("href=\"/parties/AZE/changes\">What changed between its reports</a>"));
}

#[tokio::test]
async fn first_reports_two_form_versions_withdrawn_reports_and_bad_years() {
    let (site, _) = Site::start().await;
    // The first report: nothing to compare.
    let (status, json) = site.json("/api/v1/parties/AZE/changes?to=2014").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["from"], Value::Null);
    assert_eq!(json["changes"], Value::Null);
    let (_, page) = site.get("/parties/AZE/changes?to=2014").await;
    assert!(page.contains("The 2014 report is the Party&#39;s first published report"), "{page}");
    let (_, page) = site.get("/parties/AZE/changes?to=2014&lang=fr").await;
    assert!(page.contains("premier rapport publié de la Partie"), "{page}");
    // Two form versions: the question asked the same way compares, the others are apart.
    let (_, json) = site.json("/api/v1/parties/AZE/changes?from=2014&to=2018").await;
    let changes = &json["changes"];
    assert_eq!(
        (changes["from_framework"].clone(), changes["to_framework"].clone()),
        (json!("qpr-2016"), json!("qpr-2020"))
    );
    let apart: Vec<&str> =
        changes["unmapped"].as_array().unwrap().iter().map(|u| u["question"].as_str().unwrap()).collect();
    assert_eq!(apart, ["g1_ccs_gdp_share"], "the 2016 form does not ask the GDP share");
    let party = changes["answers"].as_array().unwrap().iter().find(|a| a["question"] == "gi_party_name");
    assert!(party.is_some_and(|a| a["from_question"] == "gi_party_name" && a["to"] == ""), "{changes}");
    let (_, page) = site.get("/parties/AZE/changes?from=2014&to=2018").await;
    assert!(page.contains("answer different versions of the form (2016 and 2020)"), "{page}");
    assert!(
        page.contains("2018: Share of cultural and creative sectors in Gross Domestic Product (GDP): 2.30%"),
        "{page}"
    );
    // The withdrawn report is not there to compare.
    let (status, json) = site.json("/api/v1/parties/AZE/changes?from=2020&to=2022").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    let (status, _) = site.get("/parties/AZE/changes?from=2020").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Bad years name the parameter.
    for (query, param) in [("from=2022&to=2018", "from"), ("from=soon", "from"), ("to=1800", "to")] {
        let (status, json) = site.json(&format!("/api/v1/parties/AZE/changes?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {json}");
        assert_eq!(json["error"]["parameter"], param, "{query}");
    }
    let (status, page) = site.get("/parties/AZE/changes?from=soon").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The parameter from is wrong: soon"), "{page}");
}
