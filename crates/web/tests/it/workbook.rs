//! The workbook through the pages, on both database engines: downloaded from the overview,
//! filled, uploaded to a preview, applied as one save on the revision it was made from —
//! merged with what was saved since, or a conflict showing both values with nothing saved —
//! and a broken one refused cell by cell with nothing saved. The CSO form the same way.

use std::collections::BTreeMap;
use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Reader, SheetVisible, Xlsx};
use qpr_domain::{Framework, ReportDocument};
use qpr_store::MembershipRole;
use qpr_test_support::Engine;
use serde_json::Value;

use crate::support::{Client, Reply, TestApp};

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");
const BOUNDARY: &str = "qpr-workbook-boundary-42";
const BASE: &str = "/app/reports/AZE/2028";

/// A site with Azerbaijan's 2028 draft holding the demo report's answers, and its focal point.
async fn draft_site(engine: Engine) -> (TestApp, Client) {
    let app = TestApp::on(engine).await;
    let mut document = qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap();
    document.year = 2028;
    app.store.open_cycle_with_reports(2028, "qpr-2020", "2028-04-30", &[document], "test").await.unwrap();
    let focal = app.sign_in("focal@aze.test", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    (app, focal)
}

/// Sheets of cells (text or number), with their hidden flags: a spreadsheet program's save.
pub(crate) struct Book(Vec<Sheet>);

/// A sheet: name, hidden, cells by (row, column).
type Sheet = (String, bool, BTreeMap<(u32, u32), Data>);

impl Book {
    pub(crate) fn read(bytes: &[u8]) -> Book {
        let mut xlsx = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
        let meta: Vec<(String, bool)> =
            xlsx.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible != SheetVisible::Visible)).collect();
        Book(
            meta.into_iter()
                .map(|(name, hidden)| {
                    let range = xlsx.worksheet_range(&name).unwrap();
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    let cells =
                        range.used_cells().map(|(r, c, d)| ((r as u32 + r0, c as u32 + c0), d.clone())).collect();
                    (name, hidden, cells)
                })
                .collect(),
        )
    }

    pub(crate) fn write(&self) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        for (name, hidden, cells) in &self.0 {
            let sheet = book.add_worksheet();
            sheet.set_name(name).unwrap();
            for (&(r, c), data) in cells {
                let c = u16::try_from(c).unwrap();
                match data {
                    Data::Float(f) => sheet.write_number(r, c, *f).map(|_| ()).unwrap(),
                    Data::Int(i) => sheet.write_number(r, c, *i as f64).map(|_| ()).unwrap(),
                    // A date stays a date, as a spreadsheet program keeps the cell's format.
                    Data::DateTime(d) => sheet
                        .write_number_with_format(
                            r,
                            c,
                            d.as_f64(),
                            &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
                        )
                        .map(|_| ())
                        .unwrap(),
                    other => sheet.write_string(r, c, other.to_string()).map(|_| ()).unwrap(),
                }
            }
            sheet.set_hidden(*hidden);
        }
        book.save_to_buffer().unwrap()
    }

    /// Sets the answer of the question row whose hidden key is `key`.
    pub(crate) fn answer(&mut self, key: &str, value: &str) {
        for (_, _, cells) in &mut self.0 {
            let row = cells.iter().find(|((_, c), d)| *c == 2 && **d == Data::String(key.into())).map(|(&(r, _), _)| r);
            if let Some(row) = row {
                cells.insert((row, 1), Data::String(value.into()));
                return;
            }
        }
        panic!("no row {key}");
    }
}

fn multipart(csrf: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"filled.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads `file` from `page` (a page with the upload form) to `action`: the preview.
async fn upload(app: &TestApp, client: &mut Client, page: &str, action: &str, file: &[u8]) -> Reply {
    let csrf = app.get(client, page).await.csrf();
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    app.send(client, "POST", action, Some(&content_type), multipart(&csrf, file), &[]).await
}

/// The apply form of a preview, posted.
async fn apply(app: &TestApp, client: &mut Client, preview: &Reply) -> Reply {
    let document = scraper::Html::parse_document(&preview.body);
    let selector = scraper::Selector::parse("form input[name=workbook]").unwrap();
    let encoded = document.select(&selector).next().unwrap_or_else(|| panic!("no apply form: {}", preview.body));
    let encoded = encoded.value().attr("value").unwrap().to_owned();
    let form_selector = scraper::Selector::parse("form:has(input[name=workbook])").unwrap();
    let action = document.select(&form_selector).next().unwrap().value().attr("action").unwrap().to_owned();
    let csrf = preview.csrf();
    app.post_form(client, &action, &[("csrf", &csrf), ("workbook", &encoded)]).await
}

async fn current(app: &TestApp) -> (qpr_store::RevisionId, ReportDocument) {
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let revision = report.current_revision.unwrap();
    (revision, app.store.revision(revision).await.unwrap().1)
}

/// Saves `answers` as someone else would meanwhile.
async fn saved_by_someone_else(app: &TestApp, answers: &[(&str, Value)]) {
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let (revision, mut document) = current(app).await;
    for (id, value) in answers {
        document.answers.insert((*id).to_owned(), value.clone());
    }
    app.store.save(report.id, revision, &document, "user:other").await.unwrap();
}

/// Two yes/no questions the demo report answers yes, by id (read from the framework).
fn two_yes(document: &ReportDocument) -> (String, String) {
    let framework = Framework::qpr_2020();
    let mut ids = framework
        .sections
        .iter()
        .flat_map(|s| s.questions.iter())
        .filter(|q| q.answer_type == qpr_domain::framework::AnswerType::YesNo)
        .filter(|q| document.answers.get(&q.id) == Some(&Value::Bool(true)))
        .map(|q| q.id.clone());
    (ids.next().unwrap(), ids.next().unwrap())
}

async fn merged_and_conflicting_workbooks(engine: Engine) {
    let (app, mut focal) = draft_site(engine).await;
    let overview = app.get(&mut focal, BASE).await;
    assert!(overview.body.contains("/workbook\" download"), "{}", overview.body);
    let download = app.get(&mut focal, &format!("{BASE}/workbook")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let (before, document) = current(&app).await;
    let (mine, theirs) = two_yes(&document);

    // Someone saves one answer; the workbook changes another: one save, merged.
    saved_by_someone_else(&app, &[(&theirs, Value::Bool(false))]).await;
    let mut book = Book::read(&download.bytes);
    book.answer(&format!("a.{mine}"), "No");
    let filled = book.write();
    let preview = upload(&app, &mut focal, BASE, &format!("{BASE}/workbook"), &filled).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("<td>Yes</td><td>No</td>"), "{}", preview.body);
    let (after_someone, _) = current(&app).await;
    let applied = apply(&app, &mut focal, &preview).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    assert!(applied.location().ends_with("?workbook=merged"), "{}", applied.location());
    let (merged, document) = current(&app).await;
    assert_ne!(merged, after_someone);
    assert_eq!(document.answers[&mine], Value::Bool(false), "the workbook's answer");
    assert_eq!(document.answers[&theirs], Value::Bool(false), "the other save kept");
    let history = app.store.revision_of_report(app.store.report_by_key("AZE", 2028).await.unwrap().unwrap().id, merged);
    assert_eq!(history.await.unwrap().base_id, Some(before), "one save on the workbook's revision");

    // The same field changed on both sides: a conflict with both values, nothing saved.
    let download = app.get(&mut focal, &format!("{BASE}/workbook")).await;
    saved_by_someone_else(&app, &[(&mine, Value::Bool(true))]).await;
    let (now, _) = current(&app).await;
    let mut book = Book::read(&download.bytes);
    book.answer(&format!("a.{mine}"), "");
    let preview = upload(&app, &mut focal, BASE, &format!("{BASE}/workbook"), &book.write()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let refused = apply(&app, &mut focal, &preview).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("class=\"conflict\""), "{}", refused.body);
    assert!(refused.body.contains(": true") && refused.body.contains(": —"), "both values: {}", refused.body);
    assert_eq!(current(&app).await.0, now, "nothing saved");

    // A broken workbook: each problem at its sheet and cell, nothing saved.
    let mut book = Book::read(&download.bytes);
    book.answer(&format!("a.{mine}"), "Perhaps");
    let refused = upload(&app, &mut focal, BASE, &format!("{BASE}/workbook"), &book.write()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("“Perhaps” is not one of the values of the list."), "{}", refused.body);
    assert!(!refused.body.contains("name=\"workbook\""), "no apply form");
    assert_eq!(current(&app).await.0, now, "nothing saved");

    // Another report's workbook.
    let mut book = Book::read(&download.bytes);
    let meta = book.0.iter_mut().find(|(n, _, _)| n == "qpr").unwrap();
    meta.2.insert((2, 1), Data::String("FRA".into()));
    let refused = upload(&app, &mut focal, BASE, &format!("{BASE}/workbook"), &book.write()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("This workbook is not this report"), "{}", refused.body);
}

#[tokio::test]
async fn a_workbook_is_one_save_merged_or_a_conflict_on_sqlite() {
    merged_and_conflicting_workbooks(Engine::Sqlite).await;
}

#[tokio::test]
async fn a_workbook_is_one_save_merged_or_a_conflict_on_postgres() {
    merged_and_conflicting_workbooks(Engine::Postgres).await;
}

#[tokio::test]
async fn who_may_not_change_a_section_cannot_change_it_through_a_workbook() {
    let (app, mut focal) = draft_site(Engine::Sqlite).await;
    let download = app.get(&mut focal, &format!("{BASE}/workbook")).await;
    // A reviewer of the Secretariat may download nothing to upload: uploads are refused.
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let (_, document) = current(&app).await;
    let (mine, _) = two_yes(&document);
    let mut book = Book::read(&download.bytes);
    book.answer(&format!("a.{mine}"), "No");
    let refused = upload(&app, &mut secretariat, BASE, &format!("{BASE}/workbook"), &book.write()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("You may not change this section"), "{}", refused.body);
    // Without the form's token: refused before anything is read.
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let forged = app
        .send(
            &mut focal,
            "POST",
            &format!("{BASE}/workbook"),
            Some(&content_type),
            multipart("forged", &book.write()),
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_previews_and_applies_a_workbook() {
    let (app, mut focal) = draft_site(Engine::Sqlite).await;
    let download = app.get(&mut focal, "/api/v1/drafts/AZE/2028/workbook").await;
    assert_eq!(download.status, StatusCode::OK);
    let (_, document) = current(&app).await;
    let (mine, _) = two_yes(&document);
    let csrf = app.get(&mut focal, BASE).await.csrf();
    let post = |uri: &'static str, body: Vec<u8>| {
        let csrf = csrf.clone();
        let app = &app;
        let mut client = Client { cookies: focal.cookies.clone(), ..Client::default() };
        async move {
            app.send(&mut client, "POST", uri, Some("application/octet-stream"), body, &[("x-csrf-token", &csrf)]).await
        }
    };
    let mut book = Book::read(&download.bytes);
    book.answer(&format!("a.{mine}"), "Maybe");
    let refused = post("/api/v1/drafts/AZE/2028/workbook/preview", book.write()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let problem = &refused.json()["problems"][0];
    assert_eq!(problem["code"], "not_an_option");
    assert!(problem["cell"].as_str().unwrap().starts_with('B'), "{problem}");

    book.answer(&format!("a.{mine}"), "No");
    let filled = book.write();
    let preview = post("/api/v1/drafts/AZE/2028/workbook/preview", filled.clone()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let json = preview.json();
    assert_eq!(json["changes"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(
        (json["changes"][0]["before"].as_str(), json["changes"][0]["after"].as_str()),
        (Some("Yes"), Some("No"))
    );
    let (unchanged, _) = current(&app).await;
    assert_eq!(json["base_revision"].as_i64(), Some(unchanged.get()), "the preview saved nothing");
    let applied = post("/api/v1/drafts/AZE/2028/workbook/apply", filled).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(applied.json()["status"], "saved");
    assert_eq!(current(&app).await.1.answers[&mine], Value::Bool(false));
}

#[tokio::test]
async fn a_cso_fills_its_form_through_a_workbook_from_its_link() {
    let (app, mut focal) = draft_site(Engine::Sqlite).await;
    let page = format!("{BASE}/cso");
    let invited = app.submit(&mut focal, &page, &page, &[("action", "invite"), ("organization", "Arts Union")]).await;
    let link = crate::support::link_in(&invited.body, "http://qpr.test/cso/");
    let path = link.trim_end_matches("</code></p>").trim_start_matches("http://qpr.test").to_owned();
    let mut cso = Client::default();
    let form = app.get(&mut cso, &path).await;
    assert!(form.body.contains(&format!("{path}/workbook")), "{}", form.body);
    let download = app.get(&mut cso, &format!("{path}/workbook")).await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.body);
    assert!(!String::from_utf8_lossy(&download.bytes).contains(path.trim_start_matches("/cso/")), "no secret in it");
    let mut book = Book::read(&download.bytes);
    let key = book
        .0
        .iter()
        .flat_map(|(_, _, cells)| cells.iter())
        .filter_map(|((r, c), d)| match d {
            Data::String(key) if *c == 2 && *r > 0 && key.starts_with("a.") && !key.contains(['=', '@']) => {
                Some(key.clone())
            }
            _ => None,
        })
        .next()
        .unwrap();
    book.answer(&key, "Filled offline by the union");
    let preview = upload(&app, &mut cso, &path, &format!("{path}/workbook"), &book.write()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("Filled offline by the union"), "{}", preview.body);
    let applied = apply(&app, &mut cso, &preview).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    let form = app.get(&mut cso, &path).await;
    assert!(form.body.contains("Filled offline by the union"), "{}", form.body);
}

#[tokio::test]
async fn a_cso_fills_its_form_through_a_workbook_through_the_api() {
    let (app, mut focal) = draft_site(Engine::Sqlite).await;
    let page = format!("{BASE}/cso");
    let invited = app.submit(&mut focal, &page, &page, &[("action", "invite"), ("organization", "Arts Union")]).await;
    let link = crate::support::link_in(&invited.body, "http://qpr.test/cso/");
    let token = link.trim_end_matches("</code></p>").trim_start_matches("http://qpr.test/cso/").to_owned();
    let api = format!("/api/v1/cso/{token}");
    let mut cso = Client::default();
    let download = app.get(&mut cso, &format!("{api}/workbook?lang=fr")).await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.body);
    let mut book = Book::read(&download.bytes);
    let key = book
        .0
        .iter()
        .flat_map(|(_, _, cells)| cells.iter())
        .filter_map(|((r, c), d)| match d {
            Data::String(key) if *c == 2 && *r > 0 && key.starts_with("a.") && !key.contains(['=', '@']) => {
                Some(key.clone())
            }
            _ => None,
        })
        .next()
        .unwrap();
    book.answer(&key, "Rempli hors ligne par l'union");
    let filled = book.write();
    let post = |uri: String, body: Vec<u8>| {
        let app = &app;
        async move { app.send(&mut Client::default(), "POST", &uri, Some("application/octet-stream"), body, &[]).await }
    };

    let broken = post(format!("{api}/workbook/preview"), b"not a workbook".to_vec()).await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", broken.body);
    assert!(!broken.json()["problems"].as_array().unwrap().is_empty(), "{}", broken.body);

    let preview = post(format!("{api}/workbook/preview"), filled.clone()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let changes = preview.json()["changes"].clone();
    assert_eq!(changes.as_array().unwrap().len(), 1, "{changes}");
    assert_eq!(changes[0]["after"], "Rempli hors ligne par l'union");
    let before = app.get(&mut Client::default(), &api).await.json();
    assert!(!before.to_string().contains("Rempli hors ligne"), "the preview saved nothing: {before}");

    let wrong_token = post("/api/v1/cso/not-a-token/workbook/apply".to_owned(), filled.clone()).await;
    assert_eq!(wrong_token.status, StatusCode::NOT_FOUND, "{}", wrong_token.body);

    let applied = post(format!("{api}/workbook/apply"), filled).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(applied.json()["status"], "saved", "{}", applied.body);
    let form = app.get(&mut Client::default(), &api).await.json();
    assert!(form.to_string().contains("Rempli hors ligne par l'union"), "{form}");
    assert!(form["submitted_at"].is_null(), "kept, not submitted: {form}");
}
