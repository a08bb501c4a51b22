//! Issue 15, point 6: time and to-dos. The focal point's dashboard and report overview give
//! the deadline and the days left, and a link to continue (the first incomplete section,
//! then the section they last edited); the Secretariat's dashboard lists the submitted
//! reports to review and the Parties past their deadline. Both languages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use qpr_domain::document::PartyRef;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::MembershipRole;
use qpr_workflow::todo::{DeadlineStatus, today};
use serde_json::json;

use crate::support::{PASSWORD, TestApp};

const OFFICIAL: [(&str, &str); 5] = [
    ("sub_signatory_title", "Mr."),
    ("sub_signatory_first_name", "Ramil"),
    ("sub_signatory_family_name", "Abbakirov"),
    ("sub_signatory_organization", "Ministry of Culture"),
    ("sub_signatory_position", "Head of Department"),
];

/// The heading of the section of the 2020 form holding a question.
fn section_of(question: &str) -> (String, String) {
    let (section, _) = Framework::qpr_2020().questions().find(|(_, q)| q.id == question).unwrap();
    (section.id.clone(), section.heading.en.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workspace_gives_deadlines_where_to_continue_and_what_waits() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    assert_eq!(app.open_cycle(&mut secretariat, "AZE").await.status, StatusCode::SEE_OTHER);
    // An earlier cycle whose deadline has passed, Senegal's report still a draft.
    let senegal = ReportDocument::new(
        "qpr-2020",
        PartyRef { name: "Senegal".into(), iso3: Some(qpr_domain::countries::Iso3::parse("SEN").unwrap()) },
        2026,
    );
    app.store.open_cycle_with_reports(2026, "qpr-2020", "2026-03-31", &[senegal], "test").await.unwrap();
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;

    // The deadline and the days left, on the dashboard and the overview, in both languages.
    let days = DeadlineStatus::on("2028-04-30", today()).unwrap().days_left;
    let expected = format!("Deadline: 30 April 2028 ({days} days left)");
    let dashboard = app.get(&mut focal, "/app").await.body;
    assert!(dashboard.contains(&expected), "{dashboard}");
    let overview = app.get(&mut focal, "/app/reports/AZE/2028").await.body;
    assert!(overview.contains(&expected), "{overview}");
    let french = app.get(&mut focal, "/app/reports/AZE/2028?lang=fr").await.body;
    assert!(french.contains(&format!("Date limite : 30 avril 2028 ({days} jours restants)")), "{french}");

    // Nothing edited yet: continue with the first incomplete section.
    let first = &Framework::qpr_2020().sections[0];
    assert!(
        overview.contains(&format!("Continue with the first incomplete section: {}", first.heading.en)),
        "{overview}"
    );
    // After an edit: continue where they left off.
    let (section, heading) = section_of("gi_consultation_process");
    let csrf = app.get(&mut focal, "/app/reports/AZE/2028").await.csrf();
    let draft = app.get(&mut focal, "/api/v1/drafts/AZE/2028").await.json();
    let mut document = draft["document"].clone();
    document["answers"]["gi_consultation_process"] = json!("Ministries and CSOs met twice.");
    let body = json!({"base_revision": draft["revision"], "document": document}).to_string().into_bytes();
    let saved = app
        .send(&mut focal, "PUT", "/api/v1/drafts/AZE/2028", Some("application/json"), body, &[("x-csrf-token", &csrf)])
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let overview = app.get(&mut focal, "/app/reports/AZE/2028").await.body;
    assert!(overview.contains(&format!("Continue where you left off: {heading}")), "{overview}");
    assert!(overview.contains(&format!("/sections/{}", section.replace('_', "-"))));

    // The Secretariat: Senegal is late; nothing to review until Azerbaijan submits.
    let waiting = app.get(&mut secretariat, "/app").await.body;
    assert!(waiting.contains("No submitted report waits for review."), "{waiting}");
    let late = DeadlineStatus::on("2026-03-31", today()).unwrap().days_late();
    assert!(waiting.contains(&format!("Deadline: 31 March 2026 ({late} days late)")), "{waiting}");
    assert!(waiting.contains("href=\"/app/reports/SEN/2026\""), "{waiting}");
    app.answer_required(&mut focal, "AZE", 2028).await;
    let mut form: Vec<(&str, &str)> = OFFICIAL.to_vec();
    form.push(("password", PASSWORD));
    let submitted = app.submit(&mut focal, "/app/reports/AZE/2028/submit", "/app/reports/AZE/2028/submit", &form).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
    let waiting = app.get(&mut secretariat, "/app").await.body;
    assert!(waiting.contains("href=\"/app/reports/AZE/2028/review\""), "{waiting}");
    assert!(!waiting.contains("No submitted report waits for review."));
    let french = app.get(&mut secretariat, "/app?lang=fr").await.body;
    assert!(french.contains("Rapports soumis à examiner") && french.contains("jours de retard"), "{french}");
    // A submitted report has no deadline left to meet.
    let overview = app.get(&mut focal, "/app/reports/AZE/2028").await.body;
    assert!(!overview.contains("Deadline:") && !overview.contains("Continue "), "{overview}");
}
