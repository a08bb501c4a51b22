//! Issue 18 in Chromium: the focal point downloads the draft's workbook from the overview,
//! fills it offline, uploads it back through the page's file input, reads the preview (and,
//! for a broken workbook, the problems at their sheet and cell), and saves it; axe-core finds
//! nothing on the preview and problem pages in English and French, and the preview fits a
//! 390 px phone.

use serde_json::json;

use super::axe_source;
use super::axe_violations;
use super::webdriver::Browser;
use super::workspace::Team;
use crate::workbook::Book;

const OVERVIEW: &str = "/app/reports/AZE/2028";
const SUMMARY_KEY: &str = "a.gi_executive_summary";
const RATIFIED_KEY: &str = "a.gi_ratification_date";

/// The overview's workbook, fetched with the browser's session (its link has `download`, so
/// Chromium would save it to a file rather than show it).
fn download(site: &super::Site, browser: &Browser) -> Vec<u8> {
    use std::io::{Read, Write};
    browser.goto(&site.url(OVERVIEW));
    let href = browser.attribute(&browser.find("a[download]"), "href").unwrap();
    let path = href.trim_start_matches(&site.base()).to_owned();
    let session = browser.cookie("qpr_session").expect("signed in");
    let host = site.base().trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&host).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\nCookie: qpr_session={session}\r\n\r\n").unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    let end = reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&reply[..end]).into_owned();
    assert!(head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"), "{head}");
    reply.split_off(end)
}

/// Uploads `file` through the overview's form at `url` and waits for the answer page.
fn upload(browser: &Browser, url: &str, file: &std::path::Path) {
    browser.goto(url);
    browser.type_into("#workbook-file", &file.display().to_string());
    browser.click_and_load("form[enctype='multipart/form-data'] button[type=submit]");
}

#[test]
fn a_workbook_filled_offline_is_previewed_and_saved_through_the_pages() {
    let axe = axe_source();
    let team = Team::start();
    let (site, focal) = (&team.site, &team.focal);
    let files = tempfile::tempdir().unwrap();
    let mut violations = Vec::new();

    let bytes = download(site, focal);
    let mut book = Book::read(&bytes);
    book.answer(SUMMARY_KEY, "Prepared offline with <b>three</b> ministries.");
    let filled = files.path().join("filled.xlsx");
    std::fs::write(&filled, book.write()).unwrap();
    let mut broken = Book::read(&bytes);
    broken.answer(RATIFIED_KEY, "not a date");
    let broken_path = files.path().join("broken.xlsx");
    std::fs::write(&broken_path, broken.write()).unwrap();

    for lang in ["en", "fr"] {
        upload(focal, &site.url(&format!("{OVERVIEW}?lang={lang}")), &broken_path);
        assert_eq!(focal.execute("return document.documentElement.lang;"), json!(lang));
        let problems = focal.text("#workbook-problems");
        let rows = focal.find_all("#workbook-problems tbody tr");
        assert_eq!(rows.len(), 1, "{lang}: one problem, at its sheet and cell: {problems}");
        assert!(problems.contains("not a date"), "{lang}: the problem quotes the cell: {problems}");
        assert!(focal.try_find("form input[name=workbook]").is_none(), "{lang}: a broken workbook offers no save");
        violations.extend(axe_violations(focal, &axe).into_iter().map(|v| format!("problems ({lang}): {v}")));

        upload(focal, &site.url(&format!("{OVERVIEW}?lang={lang}")), &filled);
        let changes = focal.text("table.changes");
        assert!(changes.contains("Prepared offline with <b>three</b> ministries."), "{lang}: shown as text: {changes}");
        violations.extend(axe_violations(focal, &axe).into_iter().map(|v| format!("preview ({lang}): {v}")));
    }
    assert_eq!(team.draft().answer("gi_executive_summary"), None, "the previews saved nothing");

    focal.set_viewport(390, 844);
    let overflow = focal.sideways_scroll();
    assert!(overflow <= 0, "the preview scrolls sideways at 390 px by {overflow}");
    // Saved from the phone.
    focal.click_and_load("form input[name=workbook] ~ button[type=submit]");
    assert_eq!(
        team.draft().answer("gi_executive_summary"),
        Some(&json!("Prepared offline with <b>three</b> ministries.")),
        "saved through the page: {}",
        focal.url()
    );
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
