//! Civil society input end to end, in-process: the focal point invites a CSO, the CSO fills the
//! CSO form through its link (saves, comes back, submits), the focal point includes a measure
//! in the report and takes it out again — on both engines.

// The two-engine tests are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{Client, TestApp, link_in};
use axum::http::StatusCode;
use qpr_store::MembershipRole;
use qpr_test_support::{Engine, on_both_engines};
use serde_json::json;

/// The first `name="…"` of the page that starts with `prefix`.
fn field_name(body: &str, prefix: &str) -> String {
    let start = body.find(&format!(r#"name="{prefix}"#)).unwrap_or_else(|| panic!("no field {prefix} in: {body}")) + 6;
    body[start..].split('"').next().unwrap().to_owned()
}

async fn a_cso_contributes_and_the_focal_point_decides(engine: Engine) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    app.open_cycle(&mut secretariat, "AZE FRA").await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let page = "/app/reports/AZE/2028/cso";
    let invited = app
        .submit(
            &mut focal,
            page,
            page,
            &[("action", "invite"), ("organization", "Union of Composers"), ("email", "union@example.org")],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let shown = link_in(&invited.body, "http://qpr.test/cso/");
    let shown = shown.trim_end_matches("</code></p>");
    let mail = &app.mails()[0];
    assert_eq!(mail.to, "union@example.org");
    assert_eq!(link_in(&mail.body, "http://qpr.test/cso/"), shown, "the mail carries the same link");
    let path = shown.trim_start_matches("http://qpr.test");

    // The CSO: no account; saves its identification, adds a goal-1 measure, comes back, submits.
    let mut cso = Client::default();
    let opened = app.get(&mut cso, path).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert_eq!(opened.headers["referrer-policy"], "same-origin", "the link's secret never leaks to other sites");
    // Issue 15: the form starts with the organization and the address the invitation gave.
    assert!(opened.body.contains(r#"name="a.cso_org_name" value="Union of Composers""#), "{}", opened.body);
    assert!(opened.body.contains(r#"name="a.cso_org_email" value="union@example.org""#), "{}", opened.body);
    let saved = app
        .submit(
            &mut cso,
            path,
            path,
            &[("a.cso_org_name", "Union of Composers"), ("action", "add:a.cso_form_measures_goal1")],
        )
        .await;
    // Post/redirect/get: back on the form, at the new measure, saying it is saved.
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.headers["location"].to_str().unwrap();
    let (back, fragment) = location.split_once('#').unwrap_or_else(|| panic!("no fragment in {location}"));
    // The page opens the new measure (`open` names it), the others collapsed.
    assert_eq!(back, format!("{path}?saved=1&open={fragment}"));
    let saved = app.get(&mut cso, back).await;
    assert!(saved.body.contains("Saved. You can come back with the same link."), "{}", saved.body);
    assert!(saved.body.contains(&format!(r#"id="{fragment}""#)), "the fragment names the new measure: {fragment}");
    let title = field_name(&saved.body, "r.cso_measure.");
    let title = format!("{}.title", title.rsplit_once('.').unwrap().0);
    let description = title.replace(".title", ".description");
    let again = app.get(&mut cso, path).await;
    assert!(again.body.contains("Union of Composers"), "saved answers come back with the link");
    let done = app
        .submit(
            &mut cso,
            path,
            path,
            &[
                (title.as_str(), "Music camps for young composers"),
                (description.as_str(), "Summer camps in 5 regions."),
                ("submit", "1"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let closed = app.get(&mut cso, path).await;
    assert!(closed.body.contains("your form was submitted"), "{}", closed.body);
    // Issue 15: read-only, its measures offer to be shown, not edited.
    assert!(closed.body.contains(r#"<span class="record-edit">Show</span>"#), "{}", closed.body);
    assert!(!closed.body.contains(r#"<span class="record-edit">Edit</span>"#), "{}", closed.body);
    let late = app.submit(&mut cso, path, path, &[(title.as_str(), "Changed later")]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "a submitted form is final");
    assert_eq!(app.get(&mut Client::default(), "/cso/not-a-token").await.status, StatusCode::NOT_FOUND);

    // The focal point includes the measure: a copy in the report; the share says 1 of 1.
    let listing = app.get(&mut focal, "/api/v1/drafts/AZE/2028/cso-invitations").await.json();
    let invitation = listing["invitations"][0]["id"].as_i64().unwrap().to_string();
    let measure = listing["invitations"][0]["measures"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(listing["invitations"][0]["measures"][0]["title"], "Music camps for young composers");
    let include = [("action", "include"), ("invitation", invitation.as_str()), ("measure", measure.as_str())];
    let included = app.submit(&mut focal, page, page, &include).await;
    assert_eq!(included.status, StatusCode::SEE_OTHER, "{}", included.body);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let (_, document) = app.store.revision(report.current_revision.unwrap()).await.unwrap();
    assert_eq!(
        document.cso_measures.iter().map(|m| m.title.as_str()).collect::<Vec<_>>(),
        ["Music camps for young composers"]
    );
    assert!(app.get(&mut focal, page).await.body.contains("1 / 1 (100 %)"));

    // Another Party's focal point cannot see or decide; the CSO link is not a workspace login.
    let mut other = app.sign_in("fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    assert_eq!(app.get(&mut other, page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&mut cso, "/app/reports/AZE/2028").await.status,
        StatusCode::SEE_OTHER,
        "sent to the login page"
    );

    // Taken out again: the report no longer has it; the decision is kept.
    let exclude = [("action", "exclude"), ("invitation", invitation.as_str()), ("measure", measure.as_str())];
    app.submit(&mut focal, page, page, &exclude).await;
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let (_, document) = app.store.revision(report.current_revision.unwrap()).await.unwrap();
    assert!(document.cso_measures.is_empty());
    let listing = app.get(&mut focal, "/api/v1/drafts/AZE/2028/cso-invitations").await.json();
    assert_eq!(listing["invitations"][0]["measures"][0]["included"], false);
    assert_eq!((listing["included"].as_u64(), listing["submitted_measures"].as_u64()), (Some(0), Some(1)));
}

async fn the_cso_api_uses_the_page_field_names(engine: Engine) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    app.open_cycle(&mut secretariat, "AZE").await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let page = app.get(&mut focal, "/app/reports/AZE/2028").await;
    let body = json!({"organization": "Theatre Network"}).to_string().into_bytes();
    let made = app
        .send(
            &mut focal,
            "POST",
            "/api/v1/drafts/AZE/2028/cso-invitations",
            Some("application/json"),
            body,
            &[("x-csrf-token", &page.csrf())],
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let link = made.json()["link"].as_str().unwrap().to_owned();
    let token = link.rsplit('/').next().unwrap().to_owned();
    let put = |fields: serde_json::Value, submit: bool| {
        let body = json!({"fields": fields, "submit": submit}).to_string().into_bytes();
        let uri = format!("/api/v1/cso/{token}");
        let app = &app;
        async move { app.send(&mut Client::default(), "PUT", &uri, Some("application/json"), body, &[]).await }
    };
    let saved = put(json!([["a.cso_org_name", "Theatre Network"]]), false).await;
    assert_eq!(saved.json()["status"], "saved", "{}", saved.body);
    let bad = put(json!([["a.no_such_question", "x"]]), false).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let submitted = put(json!([["a.cso_org_name", "Theatre Network"]]), true).await;
    assert_eq!(submitted.json()["status"], "submitted");
    let read =
        app.send(&mut Client::default(), "GET", &format!("/api/v1/cso/{token}"), None, Vec::new(), &[]).await.json();
    assert_eq!(read["submission"]["answers"]["cso_org_name"], "Theatre Network");
    assert!(read["submitted_at"].is_string());
}

on_both_engines!(a_cso_contributes_and_the_focal_point_decides, the_cso_api_uses_the_page_field_names);
