//! The second half of a report's life through the pages and the API: sign and submit, the lock,
//! recall, comments, change requests, resubmission, acceptance, publication with verifiable
//! files, withdrawal — on both engines.

// The two-engine tests are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{Client, PASSWORD, TestApp};
use axum::http::StatusCode;
use qpr_store::{MembershipRole, ReportState};
use qpr_test_support::{Engine, on_both_engines};
use serde_json::json;

const OFFICIAL: [(&str, &str); 5] = [
    ("sub_signatory_title", "Mr."),
    ("sub_signatory_first_name", "Ramil"),
    ("sub_signatory_family_name", "Abbakirov"),
    ("sub_signatory_organization", "Ministry of Culture"),
    ("sub_signatory_position", "Head of Department"),
];

/// A cycle with the draft of Azerbaijan (empty), its focal point and a Secretariat member.
async fn setup_empty(engine: Engine) -> (TestApp, Client, Client) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let opened = app.open_cycle(&mut secretariat, "AZE").await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    (app, focal, secretariat)
}

/// As [`setup_empty`], with every required question of the draft answered, so it can be signed.
async fn setup(engine: Engine) -> (TestApp, Client, Client) {
    let (app, mut focal, secretariat) = setup_empty(engine).await;
    app.answer_required(&mut focal, "AZE", 2028).await;
    (app, focal, secretariat)
}

async fn sign_and_submit(app: &TestApp, focal: &mut Client, password: &str) -> crate::support::Reply {
    let mut form: Vec<(&str, &str)> = OFFICIAL.to_vec();
    form.push(("password", password));
    app.submit(focal, "/app/reports/AZE/2028/submit", "/app/reports/AZE/2028/submit", &form).await
}

/// Saves one answer through the page's API (session + CSRF header).
async fn save_answer(
    app: &TestApp,
    client: &mut Client,
    question: &str,
    value: serde_json::Value,
) -> crate::support::Reply {
    let page = app.get(client, "/app/reports/AZE/2028").await;
    let csrf = page.csrf();
    let draft = app.get(client, "/api/v1/drafts/AZE/2028").await.json();
    let mut document = draft["document"].clone();
    document["answers"][question] = value;
    let body = json!({"base_revision": draft["revision"], "document": document}).to_string().into_bytes();
    app.send(client, "PUT", "/api/v1/drafts/AZE/2028", Some("application/json"), body, &[("x-csrf-token", &csrf)]).await
}

async fn the_whole_review_cycle(engine: Engine) {
    let (app, mut focal, mut secretariat) = setup(engine).await;
    assert_eq!(
        save_answer(&app, &mut focal, "gi_consultation_process", json!("Ministries and CSOs met twice.")).await.status,
        StatusCode::OK
    );

    // A wrong password submits nothing.
    let refused = sign_and_submit(&app, &mut focal, "not my password").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The password is not right. Nothing was submitted."), "{}", refused.body);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!(report.state, ReportState::Draft);

    let submitted = sign_and_submit(&app, &mut focal, PASSWORD).await;
    assert_eq!(submitted.location(), "/app/reports/AZE/2028/review", "{}", submitted.body);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!(report.state, ReportState::Submitted);
    let first_signed = report.submitted_revision.unwrap();
    let (_, document) = app.store.revision(first_signed).await.unwrap();
    assert_eq!(
        document.answer("sub_signatory_family_name"),
        Some(&json!("Abbakirov")),
        "the official is in the signed document"
    );

    // Locked for the Party.
    let locked = save_answer(&app, &mut focal, "gi_consultation_process", json!("Changed after signing")).await;
    assert_eq!(locked.status, StatusCode::CONFLICT, "{}", locked.body);
    // Issue 15: the read-only page offers no active-looking button: no save button, and the
    // records' buttons sit in a disabled fieldset.
    let read_only = app.get(&mut focal, "/app/reports/AZE/2028/sections/cultural-creative-sectors").await;
    assert!(read_only.body.contains("You can read this section but not change it now."), "{}", read_only.body);
    assert!(!read_only.body.contains("Save this section"), "{}", read_only.body);
    assert!(read_only.body.contains(r#"<fieldset class="plain" disabled>"#), "{}", read_only.body);

    // Recall before the review starts, then sign again: the first signature stays, superseded.
    let review = app.get(&mut focal, "/app/reports/AZE/2028/review").await;
    assert!(review.body.contains("Recall the submission"), "{}", review.body);
    let recalled = app
        .submit(&mut focal, "/app/reports/AZE/2028/review", "/app/reports/AZE/2028/decision", &[("decision", "recall")])
        .await;
    assert_eq!(recalled.status, StatusCode::SEE_OTHER, "{}", recalled.body);
    save_answer(&app, &mut focal, "gi_consultation_process", json!("Ministries and CSOs met three times.")).await;
    sign_and_submit(&app, &mut focal, PASSWORD).await;
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!(app.store.signatures(report.id).await.unwrap().len(), 2);

    // The Secretariat comments on two fields and requests changes; the Party can no longer recall.
    let page = "/app/reports/AZE/2028/review";
    for (field, body) in
        [("answers.gi_consultation_process", "Which CSOs?"), ("answers.gi_ratification_date", "Please give the date.")]
    {
        let reply = app
            .submit(&mut secretariat, page, "/app/reports/AZE/2028/comments", &[("field", field), ("body", body)])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    let bad = app
        .submit(&mut secretariat, page, "/app/reports/AZE/2028/comments", &[("field", "answers.nope"), ("body", "?")])
        .await;
    assert!(bad.body.contains("`answers.nope` is not a field of this report"), "{}", bad.body);
    assert_eq!(
        app.submit(&mut focal, page, "/app/reports/AZE/2028/decision", &[("decision", "recall")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.submit(&mut focal, page, "/app/reports/AZE/2028/decision", &[("decision", "accept")]).await.status,
        StatusCode::FORBIDDEN
    );
    let no_message = app
        .submit(
            &mut secretariat,
            page,
            "/app/reports/AZE/2028/decision",
            &[("decision", "request_changes"), ("message", " ")],
        )
        .await;
    assert_eq!(no_message.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.submit(
        &mut secretariat,
        page,
        "/app/reports/AZE/2028/decision",
        &[("decision", "request_changes"), ("message", "Two fields need answers.")],
    )
    .await;
    let seen = app.get(&mut focal, page).await.body;
    for text in ["Which CSOs?", "Please give the date.", "Two fields need answers."] {
        assert!(seen.contains(text), "the Party sees `{text}` beside the fields");
    }
    // Issue 15: the overview shows the request and the open comments by section, in both languages.
    let section_of = |question: &str| {
        let framework = qpr_domain::Framework::qpr_2020();
        framework.sections.iter().find(|s| s.questions.iter().any(|q| q.id == question)).unwrap().id.clone()
    };
    let (consultation, ratification) = (section_of("gi_consultation_process"), section_of("gi_ratification_date"));
    let overview = app.get(&mut focal, "/app/reports/AZE/2028").await.body;
    assert!(overview.contains("Changes requested by the Secretariat"), "{overview}");
    assert!(
        overview.contains("<blockquote class=\"comment-body\">Two fields need answers.</blockquote>"),
        "{overview}"
    );
    assert!(overview.contains(">2 open comments</a>"), "the total: {overview}");
    let per_section = if consultation == ratification {
        vec![(consultation.clone(), "2 open comments")]
    } else {
        vec![(consultation.clone(), "One open comment"), (ratification.clone(), "One open comment")]
    };
    for (section, text) in &per_section {
        let link = format!("<a href=\"/app/reports/AZE/2028/review#{section}\">{text}</a>");
        assert!(overview.contains(&link), "{link} in {overview}");
    }
    let french = app.get(&mut focal, "/app/reports/AZE/2028?lang=fr").await.body;
    assert!(french.contains("Modifications demandées par le Secrétariat") && french.contains("2 commentaires ouverts"));
    let mails = app.mails();
    let asked = mails.iter().find(|m| m.subject.contains("changes requested")).expect("the mail to the Party");
    assert!(asked.body.contains("/app/reports/AZE/2028/review"), "the mail links to the comments: {}", asked.body);
    let threads = app.get(&mut focal, "/api/v1/drafts/AZE/2028/comments").await.json();
    let first = threads["comments"][0]["id"].as_i64().unwrap().to_string();
    app.submit(&mut focal, page, "/app/reports/AZE/2028/comments", &[("parent", &first), ("body", "The arts unions.")])
        .await;
    app.submit(&mut focal, page, "/app/reports/AZE/2028/comments", &[("resolve", &first)]).await;
    let threads = app.get(&mut focal, "/api/v1/drafts/AZE/2028/comments").await.json();
    assert_eq!(threads["comments"][0]["replies"][0]["body"], "The arts unions.");
    assert_eq!(threads["comments"][0]["resolved"], true);
    let overview = app.get(&mut focal, "/app/reports/AZE/2028").await.body;
    assert!(overview.contains(">One open comment</a>"), "a resolved comment is no longer counted: {overview}");

    // Fixed and resubmitted: a new signed revision; accepted; published.
    save_answer(
        &app,
        &mut focal,
        "gi_consultation_process",
        json!("Ministries, arts unions and CSOs met three times."),
    )
    .await;
    sign_and_submit(&app, &mut focal, PASSWORD).await;
    app.submit(&mut secretariat, page, "/app/reports/AZE/2028/decision", &[("decision", "accept"), ("confirm", "yes")])
        .await;
    let published = app
        .submit(
            &mut secretariat,
            page,
            "/app/reports/AZE/2028/decision",
            &[("decision", "publish"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!((report.state, report.published_revision), (ReportState::Published, report.submitted_revision));
    assert_eq!(app.store.signatures(report.id).await.unwrap().len(), 3, "every submission's signature is kept");

    // The public page shows who signed and the files verify offline; a changed byte does not.
    let mut reader = Client::default();
    let public = app.get(&mut reader, "/reports/AZE/2028").await;
    assert!(
        public.body.contains("Signed for the Party by Mr. Ramil Abbakirov, Head of Department, Ministry of Culture."),
        "{}",
        public.body
    );
    let document = app.get(&mut reader, "/reports/AZE/2028/signed.json").await.body;
    let signature = app.get(&mut reader, "/reports/AZE/2028/signature.json").await.body;
    let keys = app.get(&mut reader, qpr_signature::WELL_KNOWN_PATH).await.body;
    let keys = qpr_signature::PublicKeySet::parse(keys.as_bytes(), "keys").unwrap();
    let verified = qpr_signature::verify(document.as_bytes(), signature.as_bytes(), &keys);
    assert!(verified.is_ok(), "{verified:?}");
    assert!(
        document.contains("Ministries, arts unions and CSOs met three times."),
        "the published revision is the last signed one"
    );
    let tampered = document.replace("three times", "four times");
    assert_eq!(
        qpr_signature::verify(tampered.as_bytes(), signature.as_bytes(), &keys).unwrap_err().code(),
        "hash_mismatch"
    );

    // Withdrawn: gone from the public site; the audit log has every step.
    app.submit(
        &mut secretariat,
        page,
        "/app/reports/AZE/2028/decision",
        &[("decision", "withdraw"), ("confirm", "yes")],
    )
    .await;
    // Public pages follow the database within the page cache's freshness window (one second).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.get(&mut reader, "/reports/AZE/2028").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&mut reader, "/reports/AZE/2028/signed.json").await.status, StatusCode::NOT_FOUND);
    assert!(app.store.verify_audit().await.unwrap().1.is_empty());
    let log = app.store.audit_entries().await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("report.")).collect();
    for action in
        ["report.submitted", "report.draft", "report.changes_requested", "report.accepted", "report.published"]
    {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

async fn the_api_drives_submission_and_review(engine: Engine) {
    let (app, mut focal, mut secretariat) = setup(engine).await;
    let token = |body: &str| crate::support::link_in(body, "qpr_").trim_end_matches("</code></p>").to_owned();
    let focal_token = token(
        &app.submit(&mut focal, "/app/account", "/app/account", &[("action", "create"), ("label", "script")])
            .await
            .body,
    );
    let sec_token = token(
        &app.submit(&mut secretariat, "/app/account", "/app/account", &[("action", "create"), ("label", "script")])
            .await
            .body,
    );
    let official: serde_json::Map<String, serde_json::Value> =
        OFFICIAL.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
    let missing = app
        .api(
            &focal_token,
            "POST",
            "/api/v1/drafts/AZE/2028/submit",
            Some(json!({"official": {}, "password": PASSWORD})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.json()["error"]["message"].as_str().unwrap().contains("sub_signatory_title"), "{}", missing.body);
    let submitted = app
        .api(
            &focal_token,
            "POST",
            "/api/v1/drafts/AZE/2028/submit",
            Some(json!({"official": official, "password": PASSWORD})),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json()["signature"]["format"], "qpr-signature/1");
    let denied =
        app.api(&focal_token, "POST", "/api/v1/drafts/AZE/2028/decision", Some(json!({"decision": "accept"}))).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let comment = app
        .api(
            &sec_token,
            "POST",
            "/api/v1/drafts/AZE/2028/comments",
            Some(json!({"field": "answers.gi_consultation_process", "body": "Empty?"})),
        )
        .await;
    assert_eq!(comment.status, StatusCode::CREATED, "{}", comment.body);
    let accepted =
        app.api(&sec_token, "POST", "/api/v1/drafts/AZE/2028/decision", Some(json!({"decision": "accept"}))).await;
    assert_eq!(accepted.json()["state"], "accepted");
    let twice =
        app.api(&sec_token, "POST", "/api/v1/drafts/AZE/2028/decision", Some(json!({"decision": "accept"}))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    let published =
        app.api(&sec_token, "POST", "/api/v1/drafts/AZE/2028/decision", Some(json!({"decision": "publish"}))).await;
    assert_eq!(published.json()["state"], "published");
}

/// A refusal of the workflow is told in the page's language: English on an English page,
/// French on a French one (as validation findings are); the API answers in English.
async fn refusals_are_told_in_the_page_language(engine: Engine) {
    let (app, mut focal, _) = setup(engine).await;
    let empty = [("field", "answers.gi_consultation_process"), ("body", " ")];
    let english =
        app.submit(&mut focal, "/app/reports/AZE/2028/review", "/app/reports/AZE/2028/comments", &empty).await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", english.body);
    assert!(english.body.contains("Comment: write between 1 and 10,000 characters."), "{}", english.body);
    let french = app
        .submit(&mut focal, "/app/reports/AZE/2028/review?lang=fr", "/app/reports/AZE/2028/comments?lang=fr", &empty)
        .await;
    assert_eq!(french.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", french.body);
    assert!(french.body.contains("Commentaire : écrivez entre 1 et 10 000 caractères."), "{}", french.body);
    assert!(!french.body.contains("write between"), "{}", french.body);

    // A refusal because of where the report stands: 409, in the page's language too.
    assert_eq!(sign_and_submit(&app, &mut focal, PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = "/app/reports/AZE/2028?lang=fr";
    let closed = app.submit(&mut focal, page, "/app/reports/AZE/2028/prefill?lang=fr", &[]).await;
    assert_eq!(closed.status, StatusCode::CONFLICT, "{}", closed.body);
    assert!(closed.body.contains("Le rapport est soumis : il ne peut plus être modifié."), "{}", closed.body);
    let closed = app.submit(&mut focal, "/app/reports/AZE/2028", "/app/reports/AZE/2028/prefill", &[]).await;
    assert!(closed.body.contains("The report is submitted: it can no longer be changed."), "{}", closed.body);
}

/// The fixed forms are parsed once into their types: a decision by its name, thread ids as
/// numbers (an empty one is none); what does not fit is refused before anything is done.
async fn fixed_forms_are_parsed_into_their_types(engine: Engine) {
    let (app, mut focal, mut secretariat) = setup(engine).await;
    let page = "/app/reports/AZE/2028/review";
    let unknown =
        app.submit(&mut secretariat, page, "/app/reports/AZE/2028/decision", &[("decision", "approve")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
    assert!(unknown.body.contains("Decision: `approve` is not one of the values this field takes"), "{}", unknown.body);
    let reply = [("field", ""), ("parent", "seven"), ("body", "Yes.")];
    let not_a_number = app.submit(&mut focal, page, "/app/reports/AZE/2028/comments", &reply).await;
    assert_eq!(not_a_number.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", not_a_number.body);
    assert!(not_a_number.body.contains("`seven` is not a number"), "{}", not_a_number.body);
    let thread =
        [("field", "answers.gi_consultation_process"), ("parent", ""), ("resolve", ""), ("body", "Which CSOs?")];
    let made = app.submit(&mut focal, page, "/app/reports/AZE/2028/comments", &thread).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "an empty parent is a new thread: {}", made.body);
    let cso = "/app/reports/AZE/2028/cso";
    let action = app.submit(&mut focal, cso, cso, &[("action", "delete")]).await;
    assert_eq!(action.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", action.body);
    let unnamed = app.submit(&mut focal, cso, cso, &[("action", "invite"), ("organization", " ")]).await;
    assert!(unnamed.body.contains("this field is required"), "{}", unnamed.body);
}

/// The review page keeps the Secretariat oriented: a table of contents with the open comments
/// of each section, a summary of the open comments linking to each thread, comment forms in
/// place that bring the reader back to the thread, what changed since the last submission word
/// by word, and a confirmation for Accept, Publish and Withdraw that a post cannot skip.
async fn the_review_loop_keeps_the_reader_in_place(engine: Engine) {
    let (app, mut focal, mut secretariat) = setup(engine).await;
    let page = "/app/reports/AZE/2028/review";
    let decide = "/app/reports/AZE/2028/decision";
    save_answer(&app, &mut focal, "gi_consultation_process", json!("Ministries and CSOs met twice.")).await;
    assert_eq!(sign_and_submit(&app, &mut focal, PASSWORD).await.status, StatusCode::SEE_OTHER);

    // The contents list the decisions, the open comments and every section, with anchors.
    let review = app.get(&mut secretariat, page).await.body;
    let toc = &review[review.find(r#"<nav class="toc""#).unwrap()..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    for anchor in ["#decisions-heading", "#open-heading", "#general_information", "#cultural_creative_sectors"] {
        assert!(toc.contains(&format!(r##"href="{anchor}""##)), "{anchor} in {toc}");
    }
    assert!(review.contains(r#"id="general_information""#), "the section's anchor is on the page");
    assert!(!toc.contains("#since-heading") && !review.contains("What changed since"), "nothing returned yet");
    assert!(review.contains("No open comment."), "{review}");

    // A comment opens in place on its field and the post comes back to the thread.
    let field = "gi_consultation_process";
    let form = &review[review.find(&format!(r#"id="new-comment-{field}""#)).unwrap()..];
    let form = &form[..form.find("</details>").unwrap()];
    assert!(form.contains(r#"name="field" value="answers.gi_consultation_process""#), "{form}");
    assert!(form.contains(&format!(r#"<textarea id="comment-on-{field}" name="body""#)), "{form}");
    assert!(!review.contains(r#"id="new-comment-gi_consultation_process" open"#), "closed until asked for");
    let posted = app
        .submit(
            &mut secretariat,
            page,
            "/app/reports/AZE/2028/comments",
            &[("field", "answers.gi_consultation_process"), ("body", "Which <b>CSOs</b> & when?")],
        )
        .await;
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let thread = app.store.comments(report.id).await.unwrap()[0].id;
    assert_eq!(posted.location(), format!("/app/reports/AZE/2028/review#comment-{thread}"));
    let french = app
        .submit(
            &mut secretariat,
            "/app/reports/AZE/2028/review?lang=fr",
            "/app/reports/AZE/2028/comments?lang=fr",
            &[("parent", &thread.to_string()), ("body", "Et les syndicats ?")],
        )
        .await;
    let reply = app.store.comments(report.id).await.unwrap()[1].id;
    assert_eq!(french.location(), format!("/app/reports/AZE/2028/review?lang=fr#comment-{reply}"));
    let review = app.get(&mut secretariat, page).await.body;
    // The thread sits right after its field, escaped, with its reply form in place.
    let after_field = &review[review.find(&format!(r#"id="{field}""#)).unwrap()..];
    let thread_at = after_field.find(&format!(r#"id="comment-{thread}""#)).unwrap();
    assert!(thread_at < after_field.find(r#"id="gi_executive_summary""#).unwrap(), "the thread follows its field");
    let shown = &after_field[thread_at..thread_at + 800];
    assert!(after_field.contains("Which &#60;b&#62;CSOs&#60;/b&#62; &#38; when?"), "{shown}");
    assert!(after_field.contains(&format!(r#"name="parent" value="{thread}""#)));
    // The summary counts it in its section and links to the thread; so do the contents.
    let summary = &review[review.find(r#"id="open-heading""#).unwrap()..];
    let summary = &summary[..summary.find("</section>").unwrap()];
    assert!(summary.contains("1 comment waits for an answer."), "{summary}");
    assert!(summary.contains(r##"<a href="#general_information">General Information</a> (1)"##), "{summary}");
    assert!(summary.contains(&format!(r##"<a href="#comment-{thread}">"##)), "{summary}");
    assert!(summary.contains("Which &#60;b&#62;CSOs&#60;/b&#62; &#38; when?"), "{summary}");
    assert!(review.contains(r#"(1 open comment)"#), "the contents count it");
    let asked = app.get(&mut secretariat, &format!("{page}?field=answers.gi_ratification_date")).await.body;
    assert!(asked.contains(r#"id="new-comment-gi_ratification_date" open"#), "?field= opens that field's form");
    let french = app.get(&mut secretariat, &format!("{page}?lang=fr")).await.body;
    assert!(french.contains("1 commentaire attend une réponse.") && french.contains("Sommaire"));

    // Accept without confirming: refused, nothing changes, the page asks for the confirmation.
    let accept = app.get(&mut secretariat, page).await.body;
    assert!(accept.contains(r#"<input type="checkbox" id="confirm-accept" name="confirm" value="yes" required>"#));
    for decision in ["accept", "publish", "withdraw"] {
        let refused = app.submit(&mut secretariat, page, decide, &[("decision", decision)]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{decision}: {}", refused.body);
        if decision == "accept" {
            assert!(refused.body.contains("Confirm the decision first"), "{}", refused.body);
            assert!(refused.body.contains(r#"id="confirm-accept" name="confirm""#), "{}", refused.body);
        }
    }
    let refused = app.submit(&mut secretariat, page, &format!("{decide}?lang=fr"), &[("decision", "accept")]).await;
    assert!(refused.body.contains("abord la décision : cochez"), "{}", refused.body);
    let ticked_wrong = app.submit(&mut secretariat, page, decide, &[("decision", "accept"), ("confirm", "no")]).await;
    assert_eq!(ticked_wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!(report.state, ReportState::Submitted, "a refused decision changes nothing");
    assert!(!app.store.audit_entries().await.unwrap().iter().any(|e| e.action == "report.accepted"));

    // Returned, changed, signed again: the Secretariat sees what changed, word by word.
    let returned = app
        .submit(&mut secretariat, page, decide, &[("decision", "request_changes"), ("message", "Say who met.")])
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    save_answer(&app, &mut focal, "gi_consultation_process", json!("Ministries & CSOs met three times <yearly>."))
        .await;
    let party = app.get(&mut focal, page).await.body;
    assert!(party.contains("What changed since the last submission"), "the Party sees its changes too");
    sign_and_submit(&app, &mut focal, PASSWORD).await;
    let review = app.get(&mut secretariat, page).await.body;
    let since = &review[review.find(r#"id="since-heading""#).unwrap()..];
    let since = &since[..since.find("</section>").unwrap()];
    assert!(since.contains(r##"<a href="#gi_consultation_process">"##), "the change links to its field: {since}");
    assert!(since.contains("<del>and</del>") && since.contains("<ins>&#38;</ins>"), "{since}");
    assert!(since.contains("<del>twice</del>") && since.contains("<ins>three times &#60;yearly&#62;</ins>"), "{since}");
    assert!(!since.contains("<yearly>"), "the new text is escaped");
    assert!(review.contains(r##"<li><a href="#since-heading">"##), "the contents link to it");
    let french = app.get(&mut secretariat, &format!("{page}?lang=fr")).await.body;
    assert!(french.contains("Ce qui a changé depuis la dernière soumission"));

    // Resolved threads leave the summary.
    app.submit(&mut secretariat, page, "/app/reports/AZE/2028/comments", &[("resolve", &thread.to_string())]).await;
    assert!(app.get(&mut secretariat, page).await.body.contains("No open comment."));

    // Confirmed, each decision goes through.
    for decision in ["accept", "publish"] {
        let done = app.submit(&mut secretariat, page, decide, &[("decision", decision), ("confirm", "yes")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{decision}: {}", done.body);
    }
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!(report.state, ReportState::Published);
    let refused = app.submit(&mut secretariat, page, decide, &[("decision", "withdraw")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.report_by_key("AZE", 2028).await.unwrap().unwrap().state, ReportState::Published);
}

/// Issue 15, point 1: the framework file says which questions are required and why (its
/// `required_note`), and none of the "Please provide whenever possible…" questions is required.
#[test]
fn the_framework_says_which_questions_are_required_and_why() {
    let framework = qpr_domain::Framework::qpr_2020();
    let note = framework.required_note.as_deref().unwrap_or_default();
    assert!(note.contains("whenever possible") && note.contains("condition"), "{note}");
    let questions: Vec<_> = framework.questions().map(|(_, q)| q).collect();
    let required = questions.iter().filter(|q| q.required).count();
    assert!(required >= 70, "{required} required questions");
    let whenever: Vec<_> = questions.iter().filter(|q| q.label.en.contains("whenever possible")).collect();
    assert!(whenever.len() >= 3, "the form's “whenever possible” questions are found");
    let marked: Vec<&str> = whenever.iter().filter(|q| q.required).map(|q| q.id.as_str()).collect();
    assert_eq!(marked, Vec::<&str>::new(), "asked only when data exist, so not required");
}

/// An empty draft cannot be signed: the submit page lists each unanswered required question by
/// section, linked to its field, in the page's language, and a post is refused with the same
/// count (the API lists them); a NO leaves its follow-ups out; a complete report goes through.
async fn required_questions_are_enforced_at_submission(engine: Engine) {
    let (app, mut focal, _) = setup_empty(engine).await;
    let page = app.get(&mut focal, "/app/reports/AZE/2028/submit").await;
    assert_eq!(page.status, StatusCode::OK);
    let required = qpr_domain::Framework::qpr_2020()
        .questions()
        .filter(|(_, q)| {
            q.required
                && q.condition.is_none()
                && q.role.is_none_or(|r| r == qpr_domain::framework::QuestionRole::ExecutiveSummary)
        })
        .count();
    assert!(page.body.contains(&format!("{required} required questions to answer before submitting")), "{}", page.body);
    assert!(page.body.contains("<h3>Cultural and Creative Sectors</h3>"), "{}", page.body);
    let link = r#"href="/app/reports/AZE/2028/sections/cultural-creative-sectors#f-a.g1_ccs_ministry-field""#;
    assert!(page.body.contains(link), "{}", page.body);
    assert!(!page.body.contains("g1_ccs_gdp_share_disaggregated"), "“whenever possible” is not required");
    assert!(!page.body.contains(r#"id="password""#), "no signing form while answers are missing");
    let area = app.get(&mut focal, "/app/reports/AZE/2028/sections/cultural-creative-sectors").await;
    assert!(area.body.contains(r#"id="f-a.g1_ccs_ministry-field""#), "the link's target is on the section page");
    let french = app.get(&mut focal, "/app/reports/AZE/2028/submit?lang=fr").await;
    assert!(french.body.contains("questions obligatoires sans réponse avant de soumettre"), "{}", french.body);
    assert!(french.body.contains("<h3>Secteurs culturels et créatifs</h3>"), "{}", french.body);
    assert!(french.body.contains("/sections/cultural-creative-sectors?lang=fr#f-a.g1_ccs_ministry-field"));

    // Posted anyway: refused, nothing submitted; the API names every missing question.
    let refused = sign_and_submit(&app, &mut focal, PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains(&format!("{required} required questions are unanswered. Nothing was submitted.")));
    let token_page =
        app.submit(&mut focal, "/app/account", "/app/account", &[("action", "create"), ("label", "script")]).await;
    let token = crate::support::link_in(&token_page.body, "qpr_").trim_end_matches("</code></p>").to_owned();
    let official: serde_json::Map<String, serde_json::Value> =
        OFFICIAL.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
    let request = json!({"official": official, "password": PASSWORD});
    let api = app.api(&token, "POST", "/api/v1/drafts/AZE/2028/submit", Some(request.clone())).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let missing = api.json()["error"]["missing"].as_array().unwrap().clone();
    assert_eq!(missing.len(), required);
    assert!(missing.contains(&json!({
        "section": "cultural_creative_sectors",
        "question": "g1_ccs_ministry",
        "path": "answers.g1_ccs_ministry",
        "label": "A Ministry (or agency with ministerial status) is responsible for cultural and creative sectors",
    })));
    assert_eq!(app.store.report_by_key("AZE", 2028).await.unwrap().unwrap().state, ReportState::Draft);

    // Every required answer given, and NO where the published report says YES: the three
    // follow-ups of that question are not asked, and the report is submitted without them.
    app.answer_required(&mut focal, "AZE", 2028).await;
    let draft = app.get(&mut focal, "/api/v1/drafts/AZE/2028").await.json();
    let mut document = draft["document"].clone();
    document["answers"]["g1_media_regulatory_authority_exists"] = json!(false);
    let answers = document["answers"].as_object_mut().unwrap();
    for follow_up in ["name_year", "monitors", "responsibilities"] {
        answers.remove(&format!("g1_media_regulatory_authority_{follow_up}"));
    }
    let csrf = app.get(&mut focal, "/app/reports/AZE/2028").await.csrf();
    let body = json!({"base_revision": draft["revision"], "document": document}).to_string().into_bytes();
    let saved = app
        .send(&mut focal, "PUT", "/api/v1/drafts/AZE/2028", Some("application/json"), body, &[("x-csrf-token", &csrf)])
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let page = app.get(&mut focal, "/app/reports/AZE/2028/submit").await;
    assert!(page.body.contains("Every required question is answered"), "{}", page.body);
    assert!(page.body.contains(r#"id="password""#));
    let submitted = sign_and_submit(&app, &mut focal, PASSWORD).await;
    assert_eq!(submitted.location(), "/app/reports/AZE/2028/review", "{}", submitted.body);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!(report.state, ReportState::Submitted);
    let (_, signed) = app.store.revision(report.submitted_revision.unwrap()).await.unwrap();
    assert_eq!(signed.answer("g1_media_regulatory_authority_exists"), Some(&json!(false)));
    assert_eq!(signed.answer("g1_media_regulatory_authority_monitors"), None);
}

on_both_engines!(
    the_review_loop_keeps_the_reader_in_place,
    the_whole_review_cycle,
    the_api_drives_submission_and_review,
    refusals_are_told_in_the_page_language,
    fixed_forms_are_parsed_into_their_types,
    required_questions_are_enforced_at_submission
);
