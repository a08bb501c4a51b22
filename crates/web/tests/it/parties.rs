//! Issue 19: every Party, the European Union among them. The EU is no ISO 3166 country (code
//! `EUU`, formerly stored as `EUE`): its pages, an import of its page, the API, the search
//! facets and a cycle treat it as any Party, in English and French.

use axum::http::StatusCode;
use qpr_domain::countries::{self, Iso3};
use qpr_domain::document::PartyRef;
use qpr_import::{Hints, PageImporter};

use crate::support::{Client, TestApp};

/// The EU's measure page on the Policy Monitoring Platform, as the importer's tests read it.
const EU_PAGE: &str = include_str!(
    "../../../import/tests/fixtures/real-pages/pmp-eu-creative-europe-2014-2020-culture-sub-programme.txt"
);

#[tokio::test]
async fn the_european_union_is_a_party_through_an_import_its_pages_the_api_and_the_search_facets() {
    let app = TestApp::new().await;
    // An import of the EU's page names the Party by its name: the EU, code EUU.
    let hints = Hints { year: Some(2021), ..Hints::default() };
    let (_, imported) = PageImporter::new().import(EU_PAGE, &hints).expect("the EU's page imports");
    assert_eq!(imported.party.iso3.as_ref().map(Iso3::as_str), Some("EUU"));
    app.store.publish(&imported, "import").await.unwrap();
    // A report stored before the EU had its code says `EUE` in its (immutable) document.
    let mut older = imported.clone();
    older.year = 2017;
    older.party = PartyRef { name: "European Union".into(), iso3: Some(Iso3::parse("EUE").unwrap()) };
    for measure in &mut older.policy_measures {
        measure.id = format!("EUE-2017-{}", measure.id);
    }
    app.store.publish(&older, "import").await.unwrap();
    qpr_search::catch_up(&app.search, &app.store).await.unwrap();
    let mut visitor = Client::default();

    let profile = app.get(&mut visitor, "/parties/EUU").await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
    assert!(profile.body.contains("<h1>European Union</h1>"), "{}", profile.body);
    assert!(profile.body.contains("Europe and North America"), "the region the README states");
    assert!(profile.body.contains("/reports/EUU/2021") && profile.body.contains("/reports/EUU/2017"));
    let french = app.get(&mut visitor, "/parties/EUU?lang=fr").await;
    assert!(french.body.contains("Union européenne") && french.body.contains("approbation"), "{}", french.body);
    let former = app.get(&mut visitor, "/parties/EUE").await;
    assert_eq!(former.status, StatusCode::OK, "the former code still names the EU");
    assert!(former.body.contains("<h1>European Union</h1>"));

    for path in ["/reports/EUU/2021", "/reports/EUU/2017", "/reports/EUE/2017", "/reports/eue/2021"] {
        let page = app.get(&mut visitor, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(page.body.contains("European Union"), "{path}");
    }
    let listed = app.get(&mut visitor, "/reports?party=EUU&lang=fr").await;
    assert!(listed.body.matches("Union européenne").count() >= 2, "{}", listed.body);
    let parties = app.get(&mut visitor, "/parties").await;
    assert!(parties.body.contains(r#"href="/parties/EUU""#), "the EU is listed among the Parties");

    let api = app.get(&mut visitor, "/api/v1/reports/EUU/2021").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(api.json()["party"]["iso3"], "EUU");
    let stored_as_signed = app.get(&mut visitor, "/api/v1/reports/EUE/2017").await;
    assert_eq!(stored_as_signed.status, StatusCode::OK, "the former code in the address");
    assert_eq!(stored_as_signed.json()["party"]["iso3"], "EUE", "the document is served as it was stored");

    // The search facet counts both reports' measures under EUU, and filters by it.
    let all = app.get(&mut visitor, "/api/v1/measures").await.json();
    let measures = imported.policy_measures.len() + older.policy_measures.len();
    assert_eq!(all["facets"]["party"]["EUU"], measures, "{}", all["facets"]["party"]);
    assert!(all["facets"]["party"].get("EUE").is_none());
    let filtered = app.get(&mut visitor, "/api/v1/measures?party=EUU").await.json();
    assert_eq!(filtered["total"], measures);
    assert!(filtered["hits"].as_array().unwrap().iter().all(|hit| hit["party"] == "EUU"));
    let region = app.get(&mut visitor, "/api/v1/measures?region=europe_north_america").await.json();
    assert_eq!(region["total"], measures, "the EU's measures count in its region");
    let page = app.get(&mut visitor, "/measures?party=EUU&lang=fr").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Union européenne"), "the facet names the EU in French");
}

#[tokio::test]
async fn a_cycle_opens_for_every_party_and_the_european_union_drafts_its_report() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("secretariat@unesco.org", None).await;
    let opened = app.open_cycle(&mut secretariat, "").await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let parties = countries::all().iter().filter(|c| c.ratification.is_some()).count();
    let cycle = app.store.cycles().await.unwrap().into_iter().find(|c| c.year == 2028).unwrap();
    let reports = app.store.cycle_reports(cycle.id).await.unwrap();
    assert_eq!(reports.len(), parties, "a draft for every Party");
    assert!(reports.iter().any(|r| r.party_iso3 == "EUU"));
    let board = app.get(&mut secretariat, "/app/cycles/2028").await;
    assert!(board.body.contains("European Union"), "the board names the EU");

    let mut focal = app.sign_in("eu@ec.europa.eu", Some(("EUU", qpr_store::MembershipRole::FocalPoint, None))).await;
    let overview = app.get(&mut focal, "/app/reports/EUU/2028").await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    let draft = app.get(&mut focal, "/api/v1/drafts/EUU/2028").await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    let document = &draft.json()["document"];
    assert_eq!(
        (document["party"]["iso3"].as_str(), document["party"]["name"].as_str()),
        (Some("EUU"), Some("European Union"))
    );
    // A Party the sources give no date for opens all the same, its ratification unanswered.
    assert!(reports.iter().any(|r| r.party_iso3 == "SMR"));
}
