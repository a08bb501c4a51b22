//! Issue 19: the Secretariat's status board at scale: filters and sorting by query parameters
//! (a form that works without JavaScript), the CSV of the rows shown, reviewers assigned per
//! report and each reviewer's queue, in English and French; and a first view that reads no
//! report document.

use axum::http::StatusCode;
use qpr_store::MembershipRole;

use crate::support::{Client, TestApp};

/// The Parties' codes in the board's rows, in order.
fn rows(body: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(body);
    let selector = scraper::Selector::parse("table.board tbody th .hint").unwrap();
    page.select(&selector).map(|e| e.text().collect::<String>()).collect()
}

/// A cycle of five Parties: France's focal point has answered every required question,
/// Senegal's has saved once, the others have not started.
async fn cycle_with_progress() -> (TestApp, Client) {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let opened = app.open_cycle(&mut secretariat, "FRA SEN EUU BRA AZE").await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let mut france = app.sign_in("fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    app.answer_required(&mut france, "FRA", 2028).await;
    let mut senegal = app.sign_in("fp@culture.sn", Some(("SEN", MembershipRole::FocalPoint, None))).await;
    let page = app.get(&mut senegal, "/app/reports/SEN/2028").await;
    let draft = app.get(&mut senegal, "/api/v1/drafts/SEN/2028").await.json();
    let mut document = draft["document"].clone();
    document["answers"]["gi_executive_summary"] = "Un résumé.".into();
    let body = serde_json::json!({"base_revision": draft["revision"], "document": document});
    let saved = app
        .send(
            &mut senegal,
            "PUT",
            "/api/v1/drafts/SEN/2028",
            Some("application/json"),
            body.to_string().into_bytes(),
            &[("x-csrf-token", &page.csrf())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    (app, secretariat)
}

#[tokio::test]
async fn the_board_filters_and_sorts_by_query_parameters_and_reads_no_document() {
    let (app, mut secretariat) = cycle_with_progress().await;
    let before = app.store.documents_read();
    let board = app.get(&mut secretariat, "/app/cycles/2028").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    assert_eq!(app.store.documents_read(), before, "the first view reads no report document");
    assert_eq!(rows(&board.body), ["AZE", "BRA", "EUU", "FRA", "SEN"], "by name");
    assert!(board.body.contains("5 of 5 reports shown"), "{}", board.body);
    // The filter form is a plain GET form with a submit button.
    assert!(board.body.contains(r#"<form method="get" action="/app/cycles/2028" class="filters""#));
    assert!(board.body.contains(r#"<button type="submit">Show</button>"#));

    let europe = app.get(&mut secretariat, "/app/cycles/2028?region=europe_north_america").await;
    assert_eq!(rows(&europe.body), ["AZE", "EUU", "FRA"], "the EU counts in Europe and North America");
    let started = app.get(&mut secretariat, "/app/cycles/2028?status=in_progress&sort=complete&order=desc").await;
    assert_eq!(rows(&started.body), ["FRA", "SEN"], "{}", started.body);
    let complete = app.get(&mut secretariat, "/app/cycles/2028?min=50").await;
    assert_eq!(rows(&complete.body), ["FRA"]);
    let low = app.get(&mut secretariat, "/app/cycles/2028?max=10&status=not_started&sort=party&order=desc").await;
    assert_eq!(rows(&low.body), ["EUU", "BRA", "AZE"]);
    assert!(app.get(&mut secretariat, "/app/cycles/2028?overdue=yes").await.body.contains("0 of 5"));
    // Column headers sort, the other way round when sorted already, filters kept.
    assert!(started.body.contains(r#"aria-sort="descending""#));
    assert!(
        started.body.contains(r#"href="/app/cycles/2028?status=in_progress&#38;sort=complete""#),
        "{}",
        started.body
    );

    let bad = app.get(&mut secretariat, "/app/cycles/2028?region=atlantis").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Region") && bad.body.contains("atlantis"), "{}", bad.body);
    let bad = app.get(&mut secretariat, "/app/cycles/2028?min=60&max=20").await;
    assert!(bad.body.contains("At most (%)"), "{}", bad.body);

    let french = app.get(&mut secretariat, "/app/cycles/2028?lang=fr&region=europe_north_america").await;
    assert!(french.body.contains("Union européenne") && french.body.contains("3 rapports affichés sur 5"));
    assert!(french.body.contains(r#"<input type="hidden" name="lang" value="fr">"#), "the form keeps the language");
    assert!(
        french.body.contains("Seulement les rapports en retard") && french.body.contains("Europe et Amérique du Nord")
    );

    let mut focal = app.sign_in("fp2@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    assert_eq!(app.get(&mut focal, "/app/cycles/2028").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_csv_holds_the_rows_the_filters_keep() {
    let (app, mut secretariat) = cycle_with_progress().await;
    let csv = app.get(&mut secretariat, "/app/cycles/2028/board.csv?region=europe_north_america&sort=complete").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"].to_str().unwrap().contains("qpr-board-2028.csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "party,party_name,region,status,percent_complete,overdue,updated_at,reviewer");
    let parties: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(parties, ["AZE", "EUU", "FRA"], "least complete first");
    assert!(lines[3].starts_with("FRA,France,europe_north_america,in_progress,"), "{}", lines[3]);
    let french = app.get(&mut secretariat, "/app/cycles/2028/board.csv?lang=fr&status=not_started").await;
    assert!(french.body.contains("EUU,Union européenne,europe_north_america,not_started,"), "{}", french.body);
    let board = app.get(&mut secretariat, "/app/cycles/2028?region=africa").await;
    assert!(board.body.contains(r#"href="/app/cycles/2028/board.csv?region=africa""#), "the link keeps the filters");
    let mut focal = app.sign_in("fp2@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    assert_eq!(app.get(&mut focal, "/app/cycles/2028/board.csv").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn reviewers_are_assigned_by_the_secretariat_audited_and_see_their_queue() {
    let (app, mut secretariat) = cycle_with_progress().await;
    let mut amina = app.sign_in("amina@unesco.test", None).await;
    let amina_id = amina.user.unwrap().to_string();
    let assign = |party: &'static str, reviewer: String| [("party", party.to_owned()), ("reviewer", reviewer)];
    for (party, name) in [("FRA", "France"), ("SEN", "Senegal")] {
        let form = assign(party, amina_id.clone());
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = app.submit(&mut secretariat, "/app/cycles/2028", "/app/cycles/2028/reviewers", &form).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body.contains(&format!("Reviewer saved for the report of {name}.")), "{}", done.body);
    }
    let audit = app.store.audit_entries().await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "report.reviewer_assigned").count(), 2, "audited");

    let mine = app.get(&mut secretariat, &format!("/app/cycles/2028?reviewer={amina_id}")).await;
    assert_eq!(rows(&mine.body), ["FRA", "SEN"]);
    let nobody = app.get(&mut secretariat, "/app/cycles/2028?reviewer=none").await;
    assert_eq!(rows(&nobody.body), ["AZE", "BRA", "EUU"]);
    let by_reviewer = app.get(&mut secretariat, "/app/cycles/2028?sort=reviewer&order=desc").await;
    assert_eq!(&rows(&by_reviewer.body)[..2], ["SEN", "FRA"]);

    let queue = app.get(&mut amina, "/app/reviews").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(r#"href="/app/reports/FRA/2028/review">France</a>"#), "{}", queue.body);
    assert!(queue.body.contains(r#"href="/app/reports/SEN/2028/review">Senegal</a>"#));
    let french = app.get(&mut amina, "/app/reviews?lang=fr").await;
    assert!(french.body.contains("Mes examens") && french.body.contains("Sénégal"), "{}", french.body);
    let empty = app.get(&mut secretariat, "/app/reviews").await;
    assert!(empty.body.contains("No report is assigned to you for review."));

    // Only a member of the Secretariat reviews; only the Secretariat assigns.
    let focal = app.sign_in("fp2@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let focal_id = focal.user.unwrap().to_string();
    let form = assign("FRA", focal_id);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = app.submit(&mut secretariat, "/app/cycles/2028", "/app/cycles/2028/reviewers", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("fp2@culture.gouv.fr is not a member of the Secretariat"), "{}", refused.body);
    let mut focal = focal;
    let forged = app.get(&mut focal, "/app/reviews").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let page = app.get(&mut focal, "/app/reports/FRA/2028").await;
    let forged = app
        .post_form(
            &mut focal,
            "/app/cycles/2028/reviewers",
            &[("csrf", page.csrf().as_str()), ("party", "FRA"), ("reviewer", "")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(rows(&app.get(&mut secretariat, "/app/cycles/2028?reviewer=none").await.body), ["AZE", "BRA", "EUU"]);
    // Unassigning leaves the report to nobody.
    let done = app
        .submit(
            &mut secretariat,
            "/app/cycles/2028",
            "/app/cycles/2028/reviewers",
            &[("party", "SEN"), ("reviewer", "")],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(
        rows(&app.get(&mut secretariat, "/app/cycles/2028?reviewer=none").await.body),
        ["AZE", "BRA", "EUU", "SEN"]
    );
}

#[tokio::test]
async fn a_message_to_the_filtered_focal_points_is_previewed_then_sent_once() {
    let (app, mut secretariat) = cycle_with_progress().await;
    let before = app.mails().len();
    let form = [
        ("region", "europe_north_america"),
        ("subject", "The deadline is near"),
        ("body", "Please submit your report <soon>."),
    ];
    let preview = app.submit(&mut secretariat, "/app/cycles/2028", "/app/cycles/2028/message", &form).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("This message goes to 1 person (focal points of 3 reports)."), "{}", preview.body);
    assert!(preview.body.contains("France: fp@culture.gouv.fr"), "{}", preview.body);
    assert!(preview.body.contains("<li>Azerbaijan</li>") && preview.body.contains("<li>European Union</li>"));
    assert!(preview.body.contains("Please submit your report &#60;soon&#62;."), "the text is escaped");
    assert_eq!(app.mails().len(), before, "a preview sends nothing");
    let start = preview.body.find(r#"name="token" value=""#).unwrap() + 20;
    let token = preview.body[start..].split('"').next().unwrap().to_owned();

    let send = [form.as_slice(), &[("token", token.as_str()), ("send", "yes")]].concat();
    let sent = app.submit(&mut secretariat, "/app/cycles/2028", "/app/cycles/2028/message", &send).await;
    assert!(sent.body.contains("The message was sent to 1 person."), "{}", sent.body);
    let mails = app.mails();
    assert_eq!(mails.len(), before + 1);
    assert_eq!((mails[0].to.as_str(), mails[0].subject.as_str()), ("fp@culture.gouv.fr", "The deadline is near"));
    assert!(
        mails[0].body.contains("Please submit your report <soon>.") && mails[0].body.contains("/app/reports/FRA/2028")
    );
    let again = app.submit(&mut secretariat, "/app/cycles/2028", "/app/cycles/2028/message", &send).await;
    assert!(again.body.contains("This message was sent already"), "{}", again.body);
    assert_eq!(app.mails().len(), before + 1, "claimed once");
    let audit = app.store.audit_entries().await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "board.message").count(), 1, "audited once");

    let french = [("lang", "fr"), ("status", "in_progress"), ("subject", "Rappel"), ("body", "Merci.")];
    let preview =
        app.submit(&mut secretariat, "/app/cycles/2028?lang=fr", "/app/cycles/2028/message?lang=fr", &french).await;
    assert!(
        preview.body.contains("Ce message va à 2 personnes (points de contact de 2 rapports)."),
        "{}",
        preview.body
    );
    let missing =
        app.submit(&mut secretariat, "/app/cycles/2028", "/app/cycles/2028/message", &[("subject", "x")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Message: this field is required."), "{}", missing.body);
    let mut focal = app.sign_in("fp2@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let page = app.get(&mut focal, "/app/reports/FRA/2028").await;
    let forged = app
        .post_form(
            &mut focal,
            "/app/cycles/2028/message",
            &[("csrf", page.csrf().as_str()), ("subject", "x"), ("body", "y")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
