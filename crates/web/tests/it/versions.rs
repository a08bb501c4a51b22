//! Issue 15, point 3: a measure reported again is one measure in the public database. The
//! Party's 2022 report is published (imported); its 2028 draft is started from it (prefill:
//! the measures keep their ids), one measure is edited, and the report is signed, accepted
//! and published through the API. The measure database, the home page, the Party page and
//! the measure pages then count and show each measure once, in its newest version, with the
//! earlier report listed; a filter on 2022 still finds the 2022 versions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use qpr_domain::Framework;
use qpr_store::MembershipRole;
use serde_json::{Value, json};

use crate::support::{Client, PASSWORD, TestApp};

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

const OFFICIAL: [(&str, &str); 5] = [
    ("sub_signatory_title", "Mr."),
    ("sub_signatory_first_name", "Ramil"),
    ("sub_signatory_family_name", "Abbakirov"),
    ("sub_signatory_organization", "Ministry of Culture"),
    ("sub_signatory_position", "Head of Department"),
];

/// An API token made on the account page.
async fn token(app: &TestApp, client: &mut Client) -> String {
    let body =
        app.submit(client, "/app/account", "/app/account", &[("action", "create"), ("label", "script")]).await.body;
    crate::support::link_in(&body, "qpr_").trim_end_matches("</code></p>").to_owned()
}

/// The 2022 report imported and published, the 2028 one started from it and published with
/// its first measure retitled; the index caught up. Returns the app and the measure's id.
async fn two_reports() -> (TestApp, String) {
    let app = TestApp::new().await;
    let demo = qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap();
    let id = demo.policy_measures[0].id.clone();
    app.store.publish(&demo, "import").await.unwrap();
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    assert_eq!(app.open_cycle(&mut secretariat, "AZE").await.status, StatusCode::SEE_OTHER);
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let prefilled = app.submit(&mut focal, "/app/reports/AZE/2028", "/app/reports/AZE/2028/prefill", &[]).await;
    assert_eq!(prefilled.status, StatusCode::OK, "{}", prefilled.body);

    let focal_token = token(&app, &mut focal).await;
    let secretariat_token = token(&app, &mut secretariat).await;
    let draft = app.api(&focal_token, "GET", "/api/v1/drafts/AZE/2028", None).await.json();
    let mut document = draft["document"].clone();
    assert_eq!(document["policy_measures"][0]["id"], id.as_str(), "the copy keeps the ids");
    document["policy_measures"][0]["title"] = json!("Creative industries, as reported in 2028");
    let saved = app
        .api(
            &focal_token,
            "PUT",
            "/api/v1/drafts/AZE/2028",
            Some(json!({"base_revision": draft["revision"], "document": document})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let official: serde_json::Map<String, Value> = OFFICIAL.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
    let submitted = app
        .api(
            &focal_token,
            "POST",
            "/api/v1/drafts/AZE/2028/submit",
            Some(json!({"official": official, "password": PASSWORD})),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    for decision in ["accept", "publish"] {
        let decided = app
            .api(&secretariat_token, "POST", "/api/v1/drafts/AZE/2028/decision", Some(json!({"decision": decision})))
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{decision}: {}", decided.body);
    }
    qpr_search::catch_up(&app.search, &app.store).await.unwrap();
    (app, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_measure_reported_again_is_one_measure_in_the_public_database() {
    let (app, id) = two_reports().await;
    let demo = qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap();
    let distinct = demo.policy_measures.len() + demo.cso_measures.len();
    let mut visitor = Client::default();

    // The measure database: each measure once, the newest version, the earlier report named.
    let all = app.get(&mut visitor, "/api/v1/measures?per_page=100").await.json();
    assert_eq!(all["total"], distinct, "22 policy measures (copied) and 5 CSO measures (of 2022 only)");
    let hits = all["hits"].as_array().unwrap();
    let again: Vec<&Value> = hits.iter().filter(|h| h["id"] == id.as_str()).collect();
    assert_eq!(again.len(), 1, "one hit for the measure reported again");
    assert_eq!(again[0]["year"], 2028);
    assert_eq!(again[0]["title"], "Creative industries, as reported in 2028");
    assert_eq!(again[0]["reported_in"], json!([2028, 2022]));
    assert_eq!(hits.iter().filter(|h| h["year"] == 2022).count(), demo.cso_measures.len(), "CSO measures stay 2022's");
    assert_eq!(all["facets"]["party"]["AZE"], distinct);
    assert_eq!(all["facets"]["year"]["2022"], distinct, "a filter on 2022 finds every 2022 version");

    // A filter on a year finds that report's versions.
    let in_2022 = app.get(&mut visitor, "/api/v1/measures?year=2022&per_page=100").await.json();
    assert_eq!(in_2022["total"], distinct);
    let old = in_2022["hits"].as_array().unwrap().iter().find(|h| h["id"] == id.as_str()).unwrap();
    assert_eq!(old["title"], demo.policy_measures[0].title.as_str(), "the 2022 version");
    let policies = app.get(&mut visitor, "/api/v1/measures?kind=policy&year=2022").await.json();
    assert_eq!(policies["total"], demo.policy_measures.len());
    let page = app.get(&mut visitor, "/measures?q=&year=2028").await;
    assert!(page.body.contains("also in 2022"), "the hit names the earlier report");

    // Totals count distinct measures.
    let home = app.get(&mut visitor, "/").await.body;
    assert!(home.contains(&format!("<strong>{distinct}</strong>")), "home total");
    let party = app.get(&mut visitor, "/parties/AZE").await.body;
    assert!(party.contains(&format!("Policies and measures in these reports: {distinct} ")), "Party total");
    assert_eq!(party.matches(&format!("/measures/AZE/2028/{id}\"")).count(), 1, "listed once");
    assert!(!party.contains(&format!("/measures/AZE/2022/{id}\"")), "not again under 2022");
    assert!(party.contains("(2028; also in 2022)"), "with the earlier report");
    let french = app.get(&mut visitor, "/parties/AZE?lang=fr").await.body;
    assert!(french.contains("(2028; aussi dans 2022)"), "in French too");

    // The measure's pages: the newest names the earlier report; the earlier says it is not current.
    let newest = app.get(&mut visitor, &format!("/measures/AZE/2028/{id}")).await.body;
    assert!(newest.contains("Earlier reports holding it"), "{newest}");
    assert!(newest.contains(&format!("/measures/AZE/2022/{id}")));
    assert!(!newest.contains("shows its newest version"));
    let earlier = app.get(&mut visitor, &format!("/measures/AZE/2022/{id}")).await.body;
    assert!(earlier.contains("Newer reports holding it"));
    assert!(earlier.contains("This is the measure as the 2022 report has it"), "{earlier}");
}

/// Issue 15, point 4: the imported report says when it was really submitted (the earlier
/// platform's date), and that it was imported, apart; a report submitted in qpr says the day
/// it was signed and nothing about an import.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_say_when_they_were_submitted_and_imported() {
    let (app, _) = two_reports().await;
    let mut visitor = Client::default();
    let imported = app.get(&mut visitor, "/reports/AZE/2022").await.body;
    assert!(imported.contains("Submitted on 5 August 2022."), "{imported}");
    assert!(imported.contains("Imported on "), "the import said apart");
    let (aside, main) = imported.split_once("<main").unwrap();
    assert!(aside.contains("Submitted on") && !main.contains("Submitted on"), "outside the report's text");
    let french = app.get(&mut visitor, "/reports/AZE/2022?lang=fr").await.body;
    assert!(french.contains("Soumis le 5 août 2022.") && french.contains("Importé le "), "{french}");
    let json = app.get(&mut visitor, "/api/v1/reports/AZE/2022").await.json();
    assert_eq!(json["source"]["submitted_on"], "2022-08-05", "in the JSON");

    let signed = app.get(&mut visitor, "/reports/AZE/2028").await.body;
    let signed_on =
        app.store.signatures(app.store.report_by_key("AZE", 2028).await.unwrap().unwrap().id).await.unwrap();
    let day = qpr_workflow::messages::date(qpr_domain::text::Lang::En, signed_on.last().unwrap().signed_at.as_str());
    assert!(signed.contains(&format!("Submitted on {day}.")), "{signed}");
    assert!(!signed.contains("Imported on"), "submitted in qpr");

    // The lists say it too: the home page, the reports and the Party's reports. The import
    // is not when the Party reported; a report published in qpr was published on its day.
    let submitted_imported = "submitted on 5 August 2022, imported on ";
    let published_on = format!("published on {}", qpr_workflow::messages::date(qpr_domain::text::Lang::En, &today()));
    for path in ["/", "/reports", "/parties/AZE"] {
        let page = app.get(&mut visitor, path).await.body;
        assert!(page.contains(submitted_imported), "{path}: {page}");
        assert!(page.contains(&published_on), "{path}: {page}");
        assert!(!page.contains("2022</a> <span class=\"meta\">published on"), "{path}: {page}");
    }
    let french = app.get(&mut visitor, "/reports?lang=fr").await.body;
    assert!(french.contains("soumis le 5 août 2022, importé le "), "{french}");
}

/// Today (UTC), `YYYY-MM-DD`: the day the test's reports are published.
fn today() -> String {
    qpr_workflow::todo::today().to_string()
}
