//! Issue 19: the Secretariat's translations of a report's executive summary, on both engines:
//! attached, replaced and removed from the review page (no script, CSRF), refused to anyone
//! else and before submission, bounded in length with the reason in the page's language, and
//! shown on the public page in the reader's language, marked as the Secretariat's, escaped,
//! with the original still there. And the European Union's former code typed in the cycle form.

// The two-engine tests are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use axum::http::StatusCode;
use qpr_domain::text::Lang;
use qpr_store::{MembershipRole, ReportState};
use qpr_test_support::{Engine, on_both_engines};

use crate::support::{Client, PASSWORD, Reply, TestApp};

const REVIEW: &str = "/app/reports/AZE/2028/review";
const ACTION: &str = "/app/reports/AZE/2028/translations";

on_both_engines!(
    the_secretariat_attaches_replaces_and_removes_translations_shown_in_the_readers_language,
    only_the_secretariat_translates_and_only_once_submitted,
    a_translation_of_a_summary_rewritten_since_is_not_shown,
);

/// A cycle with Azerbaijan's draft (every required question answered), its focal point and a
/// Secretariat member.
async fn setup(engine: Engine) -> (TestApp, Client, Client) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let opened = app.open_cycle(&mut secretariat, "AZE FRA").await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    app.answer_required(&mut focal, "AZE", 2028).await;
    (app, focal, secretariat)
}

async fn sign_and_submit(app: &TestApp, focal: &mut Client) {
    let form = [
        ("sub_signatory_title", "Mr."),
        ("sub_signatory_first_name", "Ramil"),
        ("sub_signatory_family_name", "Abbakirov"),
        ("sub_signatory_organization", "Ministry of Culture"),
        ("sub_signatory_position", "Head of Department"),
        ("password", PASSWORD),
    ];
    let submitted = app.submit(focal, "/app/reports/AZE/2028/submit", "/app/reports/AZE/2028/submit", &form).await;
    assert_eq!(submitted.location(), REVIEW, "{}", submitted.body);
}

/// The focal point changes one answer of the draft (as the editor's autosave does).
async fn edit(app: &TestApp, focal: &mut Client, question: &str, value: &str) {
    let page = app.get(focal, "/app/reports/AZE/2028").await;
    let draft = app.get(focal, "/api/v1/drafts/AZE/2028").await.json();
    let mut document = draft["document"].clone();
    document["answers"][question] = serde_json::json!(value);
    let body = serde_json::json!({"base_revision": draft["revision"], "document": document});
    let csrf = page.csrf();
    let saved = app
        .send(
            focal,
            "PUT",
            "/api/v1/drafts/AZE/2028",
            Some("application/json"),
            body.to_string().into_bytes(),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
}

/// The Secretariat sends the report back, the focal point changes `question` and submits again.
async fn changed_and_resubmitted(app: &TestApp, focal: &mut Client, secretariat: &mut Client, question: &str) {
    let form = [("decision", "request_changes"), ("message", "Please look again.")];
    let sent_back = app.submit(secretariat, REVIEW, "/app/reports/AZE/2028/decision", &form).await;
    assert_eq!(sent_back.status, StatusCode::SEE_OTHER, "{}", sent_back.body);
    edit(app, focal, question, "Rewritten by the focal point after the Secretariat's request.").await;
    sign_and_submit(app, focal).await;
}

/// Posts the translation form of `lang` from the review page (in the page's language `ui`).
async fn post(app: &TestApp, client: &mut Client, ui: &str, lang: &str, text: &str) -> Reply {
    app.submit(
        client,
        &format!("{REVIEW}?lang={ui}"),
        &format!("{ACTION}?lang={ui}"),
        &[("lang", lang), ("text", text)],
    )
    .await
}

async fn remove(app: &TestApp, client: &mut Client, lang: &str) -> Reply {
    app.submit(client, REVIEW, ACTION, &[("lang", lang), ("remove", "yes")]).await
}

/// The report's translations as stored: (language, text).
async fn stored(app: &TestApp) -> Vec<(Lang, String)> {
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    app.store.summary_translations(report.id).await.unwrap().into_iter().map(|t| (t.lang, t.text)).collect()
}

/// The public page, after the site version has moved (it is read at most once a second).
async fn public_page(app: &TestApp, lang: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let page = app.get(&mut Client::default(), &format!("/reports/AZE/2028?lang={lang}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

/// The text of the page's translation section, if any.
fn translation_section(body: &str) -> Option<(String, String)> {
    let page = scraper::Html::parse_document(body);
    let selector = scraper::Selector::parse("section.summary-translation").unwrap();
    let section = page.select(&selector).next()?;
    let main = scraper::Selector::parse("main section.summary-translation").unwrap();
    assert!(page.select(&main).next().is_none(), "the translation stays outside <main>");
    Some((section.value().attr("lang").unwrap_or_default().to_owned(), section.text().collect()))
}

async fn the_secretariat_attaches_replaces_and_removes_translations_shown_in_the_readers_language(engine: Engine) {
    let (app, mut focal, mut secretariat) = setup(engine).await;
    sign_and_submit(&app, &mut focal).await;

    // The review page has a form per language, in the page's language.
    let review = app.get(&mut secretariat, REVIEW).await;
    assert!(review.body.contains(r#"id="translation-text-en""#) && review.body.contains(r#"id="translation-text-fr""#));
    assert!(review.body.contains("Translation into French") && review.body.contains("No translation attached."));
    let french = app.get(&mut secretariat, &format!("{REVIEW}?lang=fr")).await;
    assert!(french.body.contains("Traduction en français") && french.body.contains("Aucune traduction jointe."));

    // Attached while submitted, HTML typed as text.
    let hostile = "Résumé <script>alert(1)</script> <b>gras</b>\r\n\r\nDeuxième paragraphe.";
    let attached = post(&app, &mut secretariat, "en", "fr", hostile).await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);
    assert_eq!(attached.location(), format!("{REVIEW}?lang=en#translation-fr"));
    let text = "Résumé <script>alert(1)</script> <b>gras</b>\n\nDeuxième paragraphe.";
    assert_eq!(stored(&app).await, [(Lang::Fr, text.to_owned())]);
    let review = app.get(&mut secretariat, REVIEW).await;
    assert!(review.body.contains("Attached by sec@unesco.test on") && review.body.contains("Replace the translation"));
    assert!(!review.body.contains("<script>alert(1)"), "escaped on the review page");

    // Too long: refused, the page again with the text typed and why, in its language.
    let long = "a".repeat(20_001);
    let refused = post(&app, &mut secretariat, "en", "fr", &long).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("write between 1 and 20,000 characters (this text has 20001)"), "{}", refused.body);
    assert!(refused.body.contains(&long), "the text typed is kept");
    let refused = post(&app, &mut secretariat, "fr", "en", "  \n ").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("écrivez entre 1 et 20 000 caractères (ce texte en a 0)"), "{}", refused.body);
    assert_eq!(stored(&app).await, [(Lang::Fr, text.to_owned())], "nothing saved");
    let unknown = app.submit(&mut secretariat, REVIEW, ACTION, &[("lang", "es"), ("text", "Resumen")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
    assert!(unknown.body.contains("Language: `es` is not one of the values this field takes."), "{}", unknown.body);

    // Accepted and published: French readers see it, marked; English readers do not.
    for decision in ["accept", "publish"] {
        let decided = app
            .submit(
                &mut secretariat,
                REVIEW,
                "/app/reports/AZE/2028/decision",
                &[("decision", decision), ("confirm", "yes")],
            )
            .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{decision}: {}", decided.body);
    }
    let page = public_page(&app, "fr").await;
    let (lang, shown) = translation_section(&page).expect("a French reader sees the French translation");
    assert_eq!(lang, "fr");
    assert!(shown.contains("Traduction du Secrétariat de l’UNESCO"), "{shown}");
    assert!(shown.contains("Résumé <script>alert(1)</script> <b>gras</b>") && shown.contains("Deuxième paragraphe."));
    // Shown as text (the markup escaped), never as an element.
    assert!(!page.contains("<script>alert(1)") && !page.contains("<b>gras"), "escaped");
    assert!(page.contains("alert(1)") && page.contains("gras"));
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let (_, document) = app.store.revision(report.published_revision.unwrap()).await.unwrap();
    let original = document.answer("gi_executive_summary").and_then(|v| v.as_str()).unwrap();
    let first_words: String = original.chars().take(40).collect();
    assert!(page.contains(r##"href="#gi_executive_summary""##) && page.contains(&first_words), "the original stays");
    assert!(translation_section(&public_page(&app, "en").await).is_none(), "no English translation yet");

    // The API: a resource of its own; the document stays as submitted.
    let json = app.get(&mut Client::default(), "/api/v1/reports/AZE/2028/translations").await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let json = json.json();
    assert_eq!((json["iso3"].as_str(), json["year"].as_i64()), (Some("AZE"), Some(2028)));
    let list = json["translations"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["lang"], "fr");
    assert_eq!(list[0]["text"], text);
    assert_eq!(list[0]["translated_by"], "unesco_secretariat");
    assert_eq!(list[0]["revision"].as_i64(), Some(report.published_revision.unwrap().get()));
    assert!(list[0].get("attached_by").is_none(), "no account is named publicly");
    let document = app.get(&mut Client::default(), "/api/v1/reports/AZE/2028").await.json();
    assert!(!document.to_string().contains("Deuxième paragraphe"), "the document is the one submitted");
    let unpublished = app.get(&mut Client::default(), "/api/v1/reports/FRA/2028/translations").await;
    assert_eq!(unpublished.status, StatusCode::NOT_FOUND);

    // English attached after publication, replaced, then removed; the audit log keeps each text.
    assert_eq!(post(&app, &mut secretariat, "en", "en", "First English text.").await.status, StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &mut secretariat, "en", "en", "Revised English text.").await.status, StatusCode::SEE_OTHER);
    let (lang, shown) = translation_section(&public_page(&app, "en").await).unwrap();
    assert_eq!(lang, "en");
    assert!(shown.contains("Translation by the UNESCO Secretariat") && shown.contains("Revised English text."));
    assert!(!shown.contains("First English text."));
    assert_eq!(remove(&app, &mut secretariat, "en").await.status, StatusCode::SEE_OTHER);
    assert!(translation_section(&public_page(&app, "en").await).is_none(), "removed");
    assert_eq!(remove(&app, &mut secretariat, "en").await.status, StatusCode::NOT_FOUND, "nothing left to remove");
    assert!(translation_section(&public_page(&app, "fr").await).is_some(), "the French one stays");
    let entries = app.store.audit_entries().await.unwrap();
    let attached: Vec<&str> = entries
        .iter()
        .filter(|e| e.action == "report.summary_translation_attached")
        .map(|e| e.details.as_str())
        .collect();
    assert_eq!(attached.len(), 3);
    assert!(attached[1].contains("First English text.") && attached[2].contains("Revised English text."));
    assert_eq!(entries.iter().filter(|e| e.action == "report.summary_translation_removed").count(), 1);
}

async fn only_the_secretariat_translates_and_only_once_submitted(engine: Engine) {
    let (app, mut focal, mut secretariat) = setup(engine).await;

    // A draft: refused, in the page's language, nothing stored.
    let draft = post(&app, &mut secretariat, "en", "fr", "Résumé.").await;
    assert_eq!(draft.status, StatusCode::CONFLICT, "{}", draft.body);
    assert!(draft.body.contains("its executive summary is translated once it is submitted"), "{}", draft.body);
    let review = app.get(&mut secretariat, REVIEW).await;
    assert!(review.body.contains("A translation can be attached once the report is submitted."));
    assert!(!review.body.contains(r#"id="translation-text-fr""#), "no form before submission");
    sign_and_submit(&app, &mut focal).await;

    // The Party's own focal point, a contributor, another Party's focal point: refused.
    let mine = app.submit(&mut focal, REVIEW, ACTION, &[("lang", "fr"), ("text", "Par nous.")]).await;
    assert_eq!(mine.status, StatusCode::FORBIDDEN, "{}", mine.body);
    let review = app.get(&mut focal, REVIEW).await;
    assert!(!review.body.contains("translation-text-fr"), "the Party has no translation form");
    let mut contributor = app.sign_in("c@culture.gov.az", Some(("AZE", MembershipRole::Contributor, None))).await;
    let page = app.get(&mut contributor, "/app/reports/AZE/2028").await;
    let posted = app
        .post_form(
            &mut contributor,
            ACTION,
            &[("csrf", &page.csrf()), ("lang", "fr"), ("text", "Par un contributeur.")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN, "{}", posted.body);
    let mut france = app.sign_in("fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let page = app.get(&mut france, "/app/reports/FRA/2028").await;
    let other =
        app.post_form(&mut france, ACTION, &[("csrf", &page.csrf()), ("lang", "fr"), ("text", "Par la France.")]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "another Party's report does not exist for them");
    // Without the form's token, and signed out: nothing.
    let forged = app.post_form(&mut secretariat, ACTION, &[("lang", "fr"), ("text", "Forgé.")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let mut anonymous = Client::default();
    let page = app.get(&mut anonymous, "/login").await;
    let anonymous_post =
        app.post_form(&mut anonymous, ACTION, &[("csrf", &page.csrf()), ("lang", "fr"), ("text", "Anonyme.")]).await;
    assert!(
        anonymous_post.location().starts_with("/login?") || anonymous_post.status == StatusCode::FORBIDDEN,
        "{} {}",
        anonymous_post.status,
        anonymous_post.location()
    );
    assert!(stored(&app).await.is_empty(), "nothing stored by anyone but the Secretariat");
    // A report that does not exist.
    let missing = app
        .submit(&mut secretariat, REVIEW, "/app/reports/AZE/2031/translations", &[("lang", "fr"), ("text", "X")])
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // The Secretariat may; the report's state is what the workflow says.
    assert_eq!(post(&app, &mut secretariat, "en", "fr", "Par le Secrétariat.").await.status, StatusCode::SEE_OTHER);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    assert_eq!(report.state, ReportState::Submitted);
    assert_eq!(stored(&app).await, [(Lang::Fr, "Par le Secrétariat.".to_owned())]);
}

/// The cycle form reads the European Union's former code as its current one.
#[tokio::test]
async fn the_cycle_form_reads_the_european_unions_former_code() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let opened = app.open_cycle(&mut secretariat, "eue, AZE EUU").await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let report = app.store.report_by_key("EUU", 2028).await.unwrap().expect("the EU's draft, under EUU");
    assert_eq!(report.party_name, "European Union");
    assert!(app.store.report_by_key("EUE", 2028).await.unwrap().is_none());
    // Named twice (former and current code): one draft.
    let board = app.get(&mut secretariat, "/app/cycles/2028/board.csv").await;
    assert_eq!(board.body.lines().filter(|l| l.starts_with("EUU,")).count(), 1, "{}", board.body);
    // The focal point form too.
    let named = app
        .submit(
            &mut secretariat,
            "/app/cycles/2028",
            "/app/cycles/2028/focal-points",
            &[("party", "EUE"), ("email", "fp@eeas.europa.eu"), ("name", "EU focal point")],
        )
        .await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.body);
    assert!(named.body.contains("fp@eeas.europa.eu"), "{}", named.body);
    let user = app.store.user_by_email("fp@eeas.europa.eu").await.unwrap().expect("invited");
    let roles = app.store.memberships(user.id).await.unwrap();
    assert_eq!(roles.iter().map(|m| m.party_iso3.as_str()).collect::<Vec<_>>(), ["EUU"]);
}

/// A translation translates the summary it was made of: a report sent back whose summary is
/// rewritten and submitted again no longer shows it (public page, API), and the review page
/// says why; a resubmission that leaves the summary as it was keeps it.
async fn a_translation_of_a_summary_rewritten_since_is_not_shown(engine: Engine) {
    let (app, mut focal, mut secretariat) = setup(engine).await;
    sign_and_submit(&app, &mut focal).await;
    assert_eq!(post(&app, &mut secretariat, "en", "fr", "Résumé traduit.").await.status, StatusCode::SEE_OTHER);

    // Sent back, another answer changed, submitted again: the summary reads the same.
    changed_and_resubmitted(&app, &mut focal, &mut secretariat, "gi_consultation_process").await;
    let review = app.get(&mut secretariat, REVIEW).await.body;
    assert!(!review.contains("translation-out-of-date-fr"), "the summary did not change");

    // Sent back again, the summary rewritten, submitted again: out of date.
    changed_and_resubmitted(&app, &mut focal, &mut secretariat, "gi_executive_summary").await;
    let review = app.get(&mut secretariat, REVIEW).await.body;
    assert!(review.contains(r#"id="translation-out-of-date-fr""#), "{review}");
    assert!(review.contains("The executive summary has changed since this translation was made"));
    let french = app.get(&mut secretariat, &format!("{REVIEW}?lang=fr")).await.body;
    assert!(french.contains("Le résumé analytique a changé depuis cette traduction"));
    for decision in ["accept", "publish"] {
        let form = [("decision", decision), ("confirm", "yes")];
        let decided = app.submit(&mut secretariat, REVIEW, "/app/reports/AZE/2028/decision", &form).await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{decision}: {}", decided.body);
    }
    assert!(translation_section(&public_page(&app, "fr").await).is_none(), "readers are not shown it");
    let json = app.get(&mut Client::default(), "/api/v1/reports/AZE/2028/translations").await.json();
    assert_eq!(json["translations"].as_array().map(Vec::len), Some(0), "{json}");

    // Attached again, of the summary as published: shown.
    assert_eq!(
        post(&app, &mut secretariat, "en", "fr", "Résumé réécrit, traduit.").await.status,
        StatusCode::SEE_OTHER
    );
    let (_, shown) = translation_section(&public_page(&app, "fr").await).expect("shown again");
    assert!(shown.contains("Résumé réécrit, traduit."), "{shown}");
    let json = app.get(&mut Client::default(), "/api/v1/reports/AZE/2028/translations").await.json();
    assert_eq!(json["translations"].as_array().map(Vec::len), Some(1), "{json}");
}
