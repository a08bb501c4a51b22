//! The history of a report through its pages and its API: the revisions with author, time and
//! role; two revisions compared field by field with the form's labels; who may see what.

// The two-engine tests are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{Client, TestApp, link_in};
use axum::http::StatusCode;
use qpr_domain::ReportDocument;
use qpr_domain::document::PolicyMeasure;
use qpr_store::{MembershipRole, SaveOutcome};
use qpr_test_support::{Engine, on_both_engines};
use serde_json::json;

/// A cycle 2028 for AZE and FRA, opened through the Secretariat's form.
async fn open_cycle(app: &TestApp) -> Client {
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let reply = app.open_cycle(&mut secretariat, "AZE FRA").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    secretariat
}

fn measure(id: &str, area: &str, title: &str) -> PolicyMeasure {
    serde_json::from_value(json!({"id": id, "area": area, "title": title})).unwrap()
}

/// The AZE draft with revisions: 1 created; 2 the executive summary and a measure in
/// "mobility"; 3 the measure renamed and the summary changed; 4 a save based on 2 that changed
/// the consultation, merged with 3. Returns the revision ids.
async fn revisions(app: &TestApp, author: qpr_store::UserId) -> [qpr_store::RevisionId; 4] {
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let first = report.current_revision.unwrap();
    let (_, mut document): (_, ReportDocument) = app.store.revision(first).await.unwrap();
    let actor = format!("user:{author}");
    document.answers.insert("gi_executive_summary".into(), json!("A first summary."));
    document.policy_measures.push(measure("AZE-2028-pm01", "mobility", "Artists on the move"));
    let second = app.store.save(report.id, first, &document, &actor).await.unwrap().revision();
    let mut third_document = document.clone();
    third_document.policy_measures[0].title = "Artists travel".into();
    third_document.answers.insert("gi_executive_summary".into(), json!("A better summary."));
    let third = app.store.save(report.id, second, &third_document, &actor).await.unwrap().revision();
    let mut concurrent = document;
    concurrent.answers.insert("gi_consultation_process".into(), json!("Meetings with CSOs."));
    let outcome = app.store.save(report.id, second, &concurrent, "import").await.unwrap();
    assert!(matches!(outcome, SaveOutcome::Merged { .. }), "{outcome:?}");
    [first, second, third, outcome.revision()]
}

async fn history_with_authors_times_and_roles(engine: Engine) {
    let app = TestApp::on(engine).await;
    let mut secretariat = open_cycle(&app).await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let [first, second, third, merged] = revisions(&app, focal.user.unwrap()).await;

    let overview = app.get(&mut focal, "/app/reports/AZE/2028").await;
    assert!(overview.body.contains(r#"href="/app/reports/AZE/2028/history""#), "the overview links the history");
    let page = app.get(&mut focal, "/app/reports/AZE/2028/history").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let rows: Vec<&str> = page.body.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 4, "{}", page.body);
    // Newest first, each with its author and role.
    assert!(rows[0].contains(&format!(r#"<th scope="row">{merged}</th>"#)) && rows[0].contains("<td>import</td>"));
    assert!(rows[0].contains("saved, merged with changes made meanwhile"), "{}", rows[0]);
    assert!(
        rows[1].contains(&format!(r#"<th scope="row">{third}</th>"#)) && rows[1].contains("<td>fp@culture.gov.az</td>")
    );
    assert!(rows[1].contains("<td>saved</td>"));
    assert!(
        rows[3].contains(&format!(r#"<th scope="row">{first}</th>"#)) && rows[3].contains("<td>created</td>"),
        "{}",
        rows[3]
    );
    assert!(rows[3].contains("<td>sec@unesco.test</td>"), "the cycle's drafts are created by the Secretariat user");
    // The two newest are checked, so that Compare shows the last change at once.
    assert!(
        rows[0].contains(&format!(r#"name="to" value="{merged}" aria-label="Compare with version {merged}" checked"#))
    );
    assert!(
        rows[1].contains(&format!(r#"name="from" value="{third}" aria-label="Compare from version {third}" checked"#))
    );
    assert!(page.body.contains("<caption>") && page.body.contains(r#"<th scope="col">From</th>"#));
    // The time in the page's language.
    let revised = app.store.revision(third).await.unwrap().0.created_at.to_string();
    let date = time::Date::parse(&revised[..10], &time::format_description::well_known::Iso8601::DATE).unwrap();
    let english = format!("<td>{} {} {}, {} UTC</td>", date.day(), date.month(), date.year(), &revised[11..16]);
    assert!(rows[1].contains(&english), "{english} in {}", rows[1]);
    let french = app.get(&mut focal, "/app/reports/AZE/2028/history?lang=fr").await;
    assert!(french.body.contains(&format!(" {}, {} UTC</td>", date.year(), &revised[11..16])));
    assert!(
        !french.body.contains(&date.month().to_string()) || date.month() == time::Month::August,
        "the month in French"
    );
    assert!(
        french.body.contains("enregistrée, fusionnée")
            && french.body.contains(r#"<input type="hidden" name="lang" value="fr">"#)
    );

    // The Secretariat sees the history of every report.
    assert_eq!(app.get(&mut secretariat, "/app/reports/AZE/2028/history").await.status, StatusCode::OK);

    let compare = app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={first}&to={third}")).await;
    assert_eq!(compare.status, StatusCode::OK, "{}", compare.body);
    let body = &compare.body;
    let general = body.find("<h2 id=\"changes-1\">General Information</h2>").expect("general information first");
    let mobility = body.find("Mobility of Artists").expect("then the mobility section");
    assert!(general < mobility, "sections in the form's order");
    assert!(body.contains(r#"<th scope="row">Executive summary</th>"#));
    assert!(body.contains("<td>added</td>") && body.contains("<td>A better summary.</td>"));
    assert!(body.contains("Policy/measure «Artists travel» — Title"), "{body}");
    assert!(body.contains("<caption>Changes in General Information</caption>"));

    let changed =
        app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={second}&to={third}")).await.body;
    // Changed texts show their word-level changes: deletions in the old column, insertions in
    // the new one.
    assert!(
        changed.contains("<td>changed</td>")
            && changed.contains(r#"<td class="words">A <del>first</del> summary.</td>"#)
            && changed.contains(r#"<td class="words">A <ins>better</ins> summary.</td>"#),
        "{changed}"
    );
    assert!(
        changed.contains(
            "<td class=\"words\">Artists <del>on the move</del></td>\n<td class=\"words\">Artists <ins>travel</ins></td>"
        ),
        "{changed}"
    );
    assert!(changed.contains("deleted words are struck through and inserted words underlined"));
    let back =
        app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={third}&to={second}")).await.body;
    assert!(
        back.contains("<td class=\"words\">A <del>better</del> summary.</td>\n<td class=\"words\">A <ins>first</ins> summary.</td>"),
        "old | new, whichever way: {back}"
    );
    let same =
        app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={third}&to={third}")).await.body;
    assert!(same.contains("No change in what you can see."));

    let french = app
        .get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={first}&to={third}&lang=fr"))
        .await
        .body;
    assert!(
        french.contains("Résumé analytique") && french.contains("Politique/mesure «Artists travel» — Titre"),
        "{french}"
    );
    assert!(french.contains("<td>ajouté</td>"));

    // Removing a measure shows its fields as removed; reordering the measures of an area shows
    // the new order.
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let (_, mut document) = app.store.revision(merged).await.unwrap();
    document.policy_measures.push(measure("AZE-2028-pm02", "mobility", "Visas for artists"));
    let with_two = app.store.save(report.id, merged, &document, "import").await.unwrap().revision();
    document.policy_measures.reverse();
    let reordered = app.store.save(report.id, with_two, &document, "import").await.unwrap().revision();
    document.policy_measures.retain(|m| m.id != "AZE-2028-pm01");
    let removed = app.store.save(report.id, reordered, &document, "import").await.unwrap().revision();
    let order = app
        .get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={with_two}&to={reordered}"))
        .await
        .body;
    assert!(
        order.contains("Order of the measures") && order.contains("<td>Artists travel<br>Visas for artists</td>"),
        "{order}"
    );
    let gone =
        app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={reordered}&to={removed}")).await.body;
    assert!(gone.contains("<td>removed</td>") && !gone.contains("Order of the measures"), "{gone}");
}

async fn who_may_see_the_history_and_which_changes(engine: Engine) {
    let app = TestApp::on(engine).await;
    open_cycle(&app).await;
    let focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let mut contributor = app
        .sign_in(
            "c@culture.gov.az",
            Some(("AZE", MembershipRole::Contributor, Some(vec!["general_information".into()]))),
        )
        .await;
    let mut other_party = app.sign_in("fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let [first, _, third, _] = revisions(&app, focal.user.unwrap()).await;
    let compare = format!("/app/reports/AZE/2028/history/compare?from={first}&to={third}");

    // A contributor limited to sections sees the history, and only the changes in them.
    assert_eq!(app.get(&mut contributor, "/app/reports/AZE/2028/history").await.status, StatusCode::OK);
    let limited = app.get(&mut contributor, &compare).await;
    assert_eq!(limited.status, StatusCode::OK);
    assert!(limited.body.contains("Executive summary") && !limited.body.contains("Artists travel"), "{}", limited.body);

    // Another Party's report does not exist for them; nor does a revision of another report.
    assert_eq!(app.get(&mut other_party, "/app/reports/AZE/2028/history").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&mut other_party, &compare).await.status, StatusCode::NOT_FOUND);
    let fra = app.store.report_by_key("FRA", 2028).await.unwrap().unwrap().current_revision.unwrap();
    let mut focal = focal;
    let foreign = app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={first}&to={fra}")).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={first}&to=999999")).await.status,
        StatusCode::NOT_FOUND
    );
    let bad = app.get(&mut focal, &format!("/app/reports/AZE/2028/history/compare?from={first}&to=latest")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Version: `latest` is not a number"), "{}", bad.body);
    // A visitor is sent to sign in.
    let visitor = app.get(&mut Client::default(), "/app/reports/AZE/2028/history").await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
}

async fn the_history_through_the_api(engine: Engine) {
    let app = TestApp::on(engine).await;
    open_cycle(&app).await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let mut contributor = app
        .sign_in(
            "c@culture.gov.az",
            Some(("AZE", MembershipRole::Contributor, Some(vec!["general_information".into()]))),
        )
        .await;
    let other = app.sign_in("fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let [first, second, third, merged] = revisions(&app, focal.user.unwrap()).await;
    let token = |reply: crate::support::Reply| link_in(&reply.body, "qpr_").trim_end_matches("</code></p>").to_owned();
    let focal_token =
        token(app.submit(&mut focal, "/app/account", "/app/account", &[("action", "create"), ("label", "t")]).await);

    let list = app.api(&focal_token, "GET", "/api/v1/drafts/AZE/2028/revisions", None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json();
    let ids: Vec<qpr_store::RevisionId> = list["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| serde_json::from_value(r["id"].clone()).unwrap())
        .collect();
    assert_eq!(ids, [merged, third, second, first]);
    assert_eq!(list["revisions"][0]["roles"], json!(["merged"]));
    assert_eq!(list["revisions"][1]["author"], "fp@culture.gov.az");
    assert_eq!(list["revisions"][1]["actor"], format!("user:{}", focal.user.unwrap()));
    assert_eq!((list["page"].as_i64(), list["pages"].as_i64()), (Some(1), Some(1)));

    let compare = app
        .api(&focal_token, "GET", &format!("/api/v1/drafts/AZE/2028/revisions/compare?from={second}&to={third}"), None)
        .await
        .json();
    assert_eq!(compare["from"]["id"], second.get());
    let general = &compare["sections"][0];
    assert_eq!(general["section"], "general_information");
    assert_eq!(
        general["changes"][0],
        json!({"path": "answers.gi_executive_summary", "label": "Executive summary", "kind": "changed", "before": "A first summary.", "after": "A better summary."})
    );
    assert_eq!(compare["sections"][1]["changes"][0]["label"], "Policy/measure «Artists travel» — Title");
    let french = app
        .api(
            &focal_token,
            "GET",
            &format!("/api/v1/drafts/AZE/2028/revisions/compare?from={second}&to={third}&lang=fr"),
            None,
        )
        .await;
    assert_eq!(french.json()["sections"][0]["changes"][0]["label"], "Résumé analytique");

    let contributor_token = token(
        app.submit(&mut contributor, "/app/account", "/app/account", &[("action", "create"), ("label", "t")]).await,
    );
    let limited = app
        .api(
            &contributor_token,
            "GET",
            &format!("/api/v1/drafts/AZE/2028/revisions/compare?from={first}&to={third}"),
            None,
        )
        .await
        .json();
    let sections: Vec<&str> =
        limited["sections"].as_array().unwrap().iter().map(|s| s["section"].as_str().unwrap()).collect();
    assert_eq!(sections, ["general_information"]);

    let mut other = other;
    let other_token =
        token(app.submit(&mut other, "/app/account", "/app/account", &[("action", "create"), ("label", "t")]).await);
    assert_eq!(
        app.api(&other_token, "GET", "/api/v1/drafts/AZE/2028/revisions", None).await.status,
        StatusCode::NOT_FOUND
    );
    let fra = app.store.report_by_key("FRA", 2028).await.unwrap().unwrap().current_revision.unwrap();
    let foreign = app
        .api(&focal_token, "GET", &format!("/api/v1/drafts/AZE/2028/revisions/compare?from={first}&to={fra}"), None)
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(foreign.json()["error"]["code"], "not_found");
    let missing = app.api(&focal_token, "GET", "/api/v1/drafts/AZE/2028/revisions/compare?from=1", None).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The comparison names what the platform keeps in codes: an option stored as its key
/// (`design`) by the option's text, the CSO invitation a measure came from (`cso_invitation`)
/// by its organization, a goal and an area by their headings; in the page's language.
async fn the_comparison_shows_labels_not_codes(engine: Engine) {
    let app = TestApp::on(engine).await;
    open_cycle(&app).await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let cso = "/app/reports/AZE/2028/cso";
    let invited = app.submit(&mut focal, cso, cso, &[("action", "invite"), ("organization", "Film <Guild>")]).await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let invitation = app.store.invitations(report.id).await.unwrap()[0].id;
    let first = report.current_revision.unwrap();
    let (_, mut document): (_, ReportDocument) = app.store.revision(first).await.unwrap();
    let mut pm = measure("AZE-2028-pm01", "mobility", "Artists on the move");
    pm.domains = vec!["music".into()];
    document.policy_measures.push(pm);
    let second = app.store.save(report.id, first, &document, "import").await.unwrap().revision();
    document.policy_measures[0].domains = vec!["design".into(), "performing_arts".into()];
    document.policy_measures[0].area = "cultural_creative_sectors".into();
    let mut fund: qpr_domain::document::CsoMeasure =
        serde_json::from_value(json!({"id": format!("{invitation}-m1"), "goal": 1, "title": "A fund"})).unwrap();
    fund.domains = vec!["visual_arts".into()];
    fund.extra.insert(qpr_workflow::cso::SOURCE_KEY.into(), json!(invitation.get()));
    document.cso_measures.push(fund);
    let third = app.store.save(report.id, second, &document, "import").await.unwrap().revision();

    let url = format!("/app/reports/AZE/2028/history/compare?from={second}&to={third}");
    let body = app.get(&mut focal, &url).await.body;
    assert!(body.contains("<td>Music</td>\n<td>Design<br>Performing Arts</td>"), "{body}");
    assert!(body.contains("<td>Visual Arts</td>"), "{body}");
    assert!(body.contains("— Taken from the form of the CSO</th>") && body.contains("<td>Film &#60;Guild&#62;</td>"));
    assert!(body.contains("— Area of monitoring</th>") && body.contains("<td>Mobility of Artists"), "{body}");
    assert!(body.contains("— Goal</th>") && body.contains("<td>Goal 1 - Support Sustainable Systems"), "{body}");
    for code in [">design<", ">music<", "cso_invitation", ">mobility<", ">1<", "performing_arts"] {
        assert!(!body.contains(code), "{code} shown in {body}");
    }
    let french = app.get(&mut focal, &format!("{url}&lang=fr")).await.body;
    assert!(french.contains("<td>Musique</td>") && french.contains("Reprise du formulaire de l&#39;OSC"), "{french}");
    assert!(french.contains("<td>Objectif 1 - Soutenir"), "{french}");
}

on_both_engines!(
    the_comparison_shows_labels_not_codes,
    history_with_authors_times_and_roles,
    who_may_see_the_history_and_which_changes,
    the_history_through_the_api
);

#[tokio::test]
async fn a_long_history_is_paginated_by_100() {
    let app = TestApp::new().await;
    open_cycle(&app).await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let mut current = report.current_revision.unwrap();
    let (_, mut document) = app.store.revision(current).await.unwrap();
    for n in 0..120 {
        document.answers.insert("gi_executive_summary".into(), json!(format!("Summary {n}")));
        current = app.store.save(report.id, current, &document, "import").await.unwrap().revision();
    }
    let first_page = app.get(&mut focal, "/app/reports/AZE/2028/history").await.body;
    assert_eq!(first_page.matches(r#"<th scope="row">"#).count(), 100);
    assert!(
        first_page.contains("(Page 1 of 2)")
            && first_page.contains(r#"href="/app/reports/AZE/2028/history?page=2" rel="next""#)
    );
    let second_page = app.get(&mut focal, "/app/reports/AZE/2028/history?page=2").await.body;
    assert_eq!(second_page.matches(r#"<th scope="row">"#).count(), 21);
    assert!(second_page.contains(r#"rel="prev""#) && !second_page.contains(r#"rel="next""#));
    assert!(!second_page.contains(" checked"), "nothing is preselected past the first page");
    assert_eq!(
        app.get(&mut focal, "/app/reports/AZE/2028/history?page=two").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
