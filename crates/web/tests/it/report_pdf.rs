//! The PDF of a report: `/reports/{iso3}/{year}.pdf` for a published report, in the page's
//! language, and the workspace's "Draft" copy for anyone on the report (the sections they may
//! see); read back with poppler (`pdfinfo`, `pdffonts`, `pdftotext`), on both database
//! engines. The PDF's content in full (every label and answer in order) is checked by
//! `qpr-pdf`'s own tests.

use std::io::Write;
use std::process::Command;

use axum::http::{StatusCode, header};
use qpr_domain::Framework;
use qpr_store::MembershipRole;
use qpr_test_support::Engine;

use crate::support::{Client, Reply, TestApp};

/// The output of a poppler reader on a PDF; a missing reader fails with what to install.
fn poppler(tool: &str, bytes: &[u8]) -> String {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    let mut command = Command::new(tool);
    command.arg(file.path());
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install Debian's poppler-utils (`apt-get install -y poppler-utils`)")
    });
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn info_field(bytes: &[u8], name: &str) -> String {
    let info = poppler("pdfinfo", bytes);
    info.lines()
        .find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(':')))
        .map(|value| value.trim().to_owned())
        .unwrap_or_else(|| panic!("no {name} in {info}"))
}

/// The PDF's text, whitespace collapsed.
fn text(bytes: &[u8]) -> String {
    poppler("pdftotext", bytes).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_pdf(reply: &Reply, title: &str) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body.chars().take(300).collect::<String>());
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(reply.headers.get(header::CONTENT_ENCODING).is_none(), "a PDF is compressed inside already");
    assert_eq!(info_field(&reply.bytes, "Title"), title);
    let pages: u32 = info_field(&reply.bytes, "Pages").parse().unwrap();
    assert!(pages > 1, "{pages} pages");
    let fonts = poppler("pdffonts", &reply.bytes);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    // emb, sub, uni, object id (two numbers): counted from the end, as a long name pushes them.
    let embedded = |row: &&str| {
        let tokens: Vec<&str> = row.split_whitespace().collect();
        tokens.len() > 5 && tokens[tokens.len() - 5] == "yes"
    };
    assert!(rows.iter().all(embedded), "every font embedded:\n{fonts}");
}

fn seed() -> qpr_domain::ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../../demo/qpr-azerbaijan-2022.txt"))
        .unwrap()
}

async fn published_report_pdfs(engine: Engine) {
    let app = TestApp::on(engine).await;
    app.store.publish(&seed(), "test").await.unwrap();
    let mut visitor = Client::default();

    let page = app.get(&mut visitor, "/reports/AZE/2022").await;
    assert!(page.body.contains(r#"<a href="/reports/AZE/2022.pdf" type="application/pdf">"#), "the page links its PDF");
    let english = app.get(&mut visitor, "/reports/AZE/2022.pdf").await;
    assert_pdf(&english, "Azerbaijan 2022");
    assert!(english.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("AZE-2022-en.pdf"));
    let english_text = text(&english.bytes);
    assert!(english_text.contains("Contents") && english_text.contains("Page 2 of"), "English words");

    // French: from the language choice of the link, or from the browser's.
    let page = app.get(&mut visitor, "/reports/AZE/2022?lang=fr").await;
    assert!(page.body.contains(r#"<a href="/reports/AZE/2022.pdf?lang=fr" type="application/pdf">"#));
    let french = app.get(&mut visitor, "/reports/aze/2022.pdf?lang=fr").await;
    assert_pdf(&french, "Azerbaijan 2022");
    let french_text = text(&french.bytes);
    assert!(french_text.contains("Sommaire") && french_text.contains("Page 2 sur"), "French words");
    assert!(french_text.contains(&Framework::qpr_2020().sections[0].heading.fr), "French labels");
    let mut browser =
        Client { headers: vec![("accept-language".into(), "fr-FR,fr;q=0.9".into())], ..Client::default() };
    let by_browser = app.get(&mut browser, "/reports/AZE/2022.pdf").await;
    assert_eq!(by_browser.bytes, french.bytes, "one PDF per revision and language, made once");

    // Kept: the same file again, and a conditional request is answered 304.
    let again = app.get(&mut visitor, "/reports/AZE/2022.pdf").await;
    assert_eq!(again.bytes, english.bytes);
    let etag = english.headers[header::ETAG].to_str().unwrap().to_owned();
    let mut conditional = Client { headers: vec![("if-none-match".into(), etag)], ..Client::default() };
    assert_eq!(app.get(&mut conditional, "/reports/AZE/2022.pdf").await.status, StatusCode::NOT_MODIFIED);

    // Unknown reports: the error page, in the visitor's language.
    for (path, lang) in [
        ("/reports/AZE/2023.pdf", "en"),
        ("/reports/AZE/2023.pdf?lang=fr", "fr"),
        ("/reports/ZZZ/2022.pdf?lang=fr", "fr"),
        ("/reports/AZE/20x2.pdf", "en"),
        ("/reports/AZE/2022.txt", "en"),
    ] {
        let reply = app.get(&mut visitor, path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains(&format!(r#"<html lang="{lang}""#)), "{path}: {}", reply.body);
    }
    let not_found = app.get(&mut visitor, "/reports/AZE/2023.pdf?lang=fr").await;
    assert!(not_found.body.contains("Aucun rapport publié de AZE pour 2023."), "{}", not_found.body);
    let not_found = app.get(&mut visitor, "/reports/AZE/2023.pdf").await;
    assert!(not_found.body.contains("No published report of AZE for 2023."), "{}", not_found.body);
}

async fn draft_pdfs(engine: Engine) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    app.open_cycle(&mut secretariat, "AZE").await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let mut contributor = app
        .sign_in(
            "stats@culture.gov.az",
            Some(("AZE", MembershipRole::Contributor, Some(vec!["cultural_creative_sectors".into()]))),
        )
        .await;

    let overview = app.get(&mut focal, "/app/reports/AZE/2028").await;
    assert!(overview.body.contains(r#"href="/app/reports/AZE/2028/draft.pdf""#), "the overview links the draft's PDF");
    let framework = Framework::qpr_2020();
    let general = &framework.sections.iter().find(|s| s.id == "general_information").unwrap().heading;
    let sectors = &framework.sections.iter().find(|s| s.id == "cultural_creative_sectors").unwrap().heading;

    let draft = app.get(&mut focal, "/app/reports/AZE/2028/draft.pdf").await;
    assert_pdf(&draft, "Azerbaijan 2028");
    assert_eq!(draft.headers[header::CACHE_CONTROL], "private, no-store");
    let whole = text(&draft.bytes);
    assert!(whole.contains(&general.en) && whole.contains(&sectors.en), "{whole}");

    let french = app.get(&mut contributor, "/app/reports/AZE/2028/draft.pdf?lang=fr").await;
    assert_pdf(&french, "Azerbaijan 2028");
    let part = text(&french.bytes);
    assert!(part.contains(&sectors.fr), "the contributor's section, in French");
    assert!(!part.contains(&general.fr), "not the sections the contributor may not see");

    let secretariat_copy = app.get(&mut secretariat, "/app/reports/AZE/2028/draft.pdf").await;
    assert_eq!(secretariat_copy.bytes, draft.bytes, "the whole report, made once");
    let mut anonymous = Client::default();
    let refused = app.get(&mut anonymous, "/app/reports/AZE/2028/draft.pdf").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.location().starts_with("/login"));
    let missing = app.get(&mut focal, "/app/reports/AZE/2030/draft.pdf?lang=fr").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains(r#"<html lang="fr""#));
}

qpr_test_support::on_both_engines!(published_report_pdfs, draft_pdfs);
