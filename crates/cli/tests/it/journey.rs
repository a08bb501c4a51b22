//! The second half of a report's life in Chromium against the real `qpr serve` (issue 7):
//! the first Secretariat member made with `qpr user add` opens a cycle and names the focal
//! point; the focal point fills the report, signs and submits; the Secretariat comments on two
//! fields and requests changes; the focal point sees the comments, fixes and resubmits; the
//! Secretariat accepts and publishes; then the public page, the search and `qpr verify` agree
//! on the published report, and a changed byte fails verification.
//!
//! Needs `QPR_CHROMEDRIVER_URL` (scripts/test sets it up through
//! `scripts/lib/ensure-chromium.sh`); without it the test fails, saying so. It never skips.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../web/tests/it/browser/webdriver.rs"]
mod webdriver;

#[path = "../../../web/tests/it/browser/flows.rs"]
mod flows;

use std::path::Path;
use std::process::{Command, Output};

use crate::support::Server;
use flows::{AREA, CONSULTATION, FOCAL, SECRETARIAT, SECTION};
use serde_json::Value;
use webdriver::Browser;

const REPORT: &str = "/app/reports/AZE/2028";
const MEASURE: &str = "Support for music festivals";

/// Runs the `qpr` binary on the data directory.
fn qpr(data_dir: &Path, public_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qpr"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("QPR_PUBLIC_URL", public_url)
        .output()
        .unwrap()
}

/// Types `text` into the consultation field of the general information and saves the page.
fn save_consultation(browser: &Browser, site: &str, text: &str) {
    browser.goto(&format!("{site}{SECTION}"));
    browser.fill(CONSULTATION, text);
    browser.click("form.editor .actions button[type=submit]");
    browser.wait_for("main .notice[role=status]");
    assert_eq!(browser.value(CONSULTATION), text);
}

/// Ticks "I confirm" and presses the button of a decision form on the review page (`accept`,
/// `publish`).
fn decide(browser: &Browser, site: &str, decision: &str) {
    browser.goto(&format!("{site}{REPORT}/review"));
    browser.click(&format!("#confirm-{decision}"));
    browser.click(&format!("form:has(input[name=decision][value={decision}]) button[type=submit]"));
    browser.wait_until(&format!("the decision {decision} to be taken"), || {
        browser.try_find(&format!("input[name=decision][value={decision}]")).is_none().then_some(())
    });
}

#[test]
fn a_report_goes_from_signature_through_review_to_a_verifiable_publication() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let server = Server::start(&["--data-dir", data_dir.to_str().unwrap(), "--no-demo"]);
    let site = format!("http://{}", server.address);

    // The first Secretariat member, from the command line.
    let added =
        qpr(&data_dir, &site, &["user", "add", "--role", "secretariat", "--name", "Sara Secretariat", SECRETARIAT]);
    assert!(added.status.success(), "qpr user add: {}", String::from_utf8_lossy(&added.stderr));
    let link = flows::link_in(&String::from_utf8_lossy(&added.stdout), &format!("{site}/password/set/"));
    let secretariat = Browser::start();
    flows::choose_password(&secretariat, &link);
    flows::log_in(&secretariat, &site, SECRETARIAT);
    flows::open_cycle(&secretariat, &site, 2028, "2028-04-30", "AZE");
    flows::name_focal_point(&secretariat, &site, 2028, "AZE", FOCAL, "Leyla Mammadova");

    // The focal point, from the e-mail in the outbox folder.
    let focal = Browser::start();
    flows::choose_password(&focal, &flows::mailed_link(&data_dir.join("mail-outbox"), FOCAL, &site));
    flows::log_in(&focal, &site, FOCAL);
    save_consultation(&focal, &site, "Ministries and CSOs met twice.");
    flows::add_measure(&focal, &format!("{site}{AREA}"), MEASURE);
    flows::answer_required(&focal, &format!("{site}{REPORT}"));
    focal.goto(&format!("{site}{REPORT}/submit"));
    flows::sign(&focal, flows::PASSWORD);
    focal.wait_until("the review page after signing", || {
        focal.url().ends_with(&format!("{REPORT}/review")).then_some(())
    });

    // Submitted: locked for the Party, on the page and for a post made anyway.
    focal.goto(&format!("{site}{SECTION}"));
    assert_eq!(
        focal.execute("return document.querySelector('form.editor fieldset').disabled;"),
        Value::Bool(true),
        "read only"
    );
    assert!(focal.try_find("script[src*=editor]").is_none(), "no autosave on a read-only page");
    let refused = focal.execute_async(
        "const done = arguments[arguments.length - 1], form = document.querySelector('form.editor');
         const body = new URLSearchParams(new FormData(form)); body.set('a.gi_consultation_process', 'Changed after signing');
         fetch(form.getAttribute('action'), { method: 'POST', body, headers: { 'Accept': 'application/json' } })
           .then(r => done(r.status)).catch(e => done(String(e)));",
    );
    let status = refused.as_u64().unwrap_or_else(|| panic!("the post did not reach the server: {refused}"));
    assert!(status >= 400, "a post to a submitted report is refused (got HTTP {status})");
    focal.goto(&format!("{site}{SECTION}"));
    assert_eq!(focal.value(CONSULTATION), "Ministries and CSOs met twice.", "nothing changed");

    // The Secretariat comments on two fields and requests changes.
    secretariat.goto(&format!("{site}{REPORT}/review"));
    flows::comment(&secretariat, "answers.gi_consultation_process", "Which CSOs took part?");
    flows::comment(&secretariat, "answers.gi_ratification_date", "Please give the date of ratification.");
    secretariat.fill("#changes-message", "Two fields need answers.");
    secretariat.click("form:has(#changes-message) button[type=submit]");
    secretariat.wait_for_text("main", "Two fields need answers.");

    // The focal point sees the comments beside the fields, fixes one and signs again.
    focal.goto(&format!("{site}{SECTION}"));
    focal.wait_for_text("section.comments", "Which CSOs took part?");
    focal.goto(&format!("{site}{REPORT}/review"));
    for text in ["Which CSOs took part?", "Please give the date of ratification.", "Two fields need answers."] {
        focal.wait_for_text("main", text);
    }
    save_consultation(&focal, &site, "Ministries, the arts unions and CSOs met three times.");
    focal.goto(&format!("{site}{REPORT}/submit"));
    flows::sign(&focal, flows::PASSWORD);
    focal.wait_until("the review page after signing again", || {
        focal.url().ends_with(&format!("{REPORT}/review")).then_some(())
    });

    // Accepted and published.
    decide(&secretariat, &site, "accept");
    decide(&secretariat, &site, "publish");

    // The public page shows who signed and links the files that verify it.
    let reader = Browser::start();
    reader.goto(&format!("{site}/reports/AZE/2028"));
    reader
        .wait_for_text("body", "Signed for the Party by Mr. Ramil Abbakirov, Head of Department, Ministry of Culture.");
    reader.wait_for_text("main", "Ministries, the arts unions and CSOs met three times.");
    let href = |ending: &str| {
        let link = reader.find(&format!("a[href$='{ending}']"));
        let href = reader.attribute(&link, "href").unwrap();
        href.trim_start_matches(&site).to_owned()
    };
    let files = dir.path();
    for (path, name) in [
        (href("/signed.json"), "signed.json"),
        (href("/signature.json"), "signature.json"),
        ("/.well-known/qpr-signing-keys.json".to_owned(), "keys.json"),
    ] {
        let (status, body) = server.get(&path);
        assert_eq!(status, 200, "GET {path}");
        std::fs::write(files.join(name), body).unwrap();
    }
    let verify = |document: &str| {
        let file = |name: &str| files.join(name).to_str().unwrap().to_owned();
        qpr(&data_dir, &site, &["verify", &file(document), &file("signature.json"), "--key", &file("keys.json")])
    };
    let verified = verify("signed.json");
    assert!(
        verified.status.success(),
        "qpr verify: {}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );

    // One changed byte in a value of the signed document is detected.
    let mut tampered = std::fs::read(files.join("signed.json")).unwrap();
    let at = tampered
        .windows(MEASURE.len())
        .position(|w| w == MEASURE.as_bytes())
        .expect("the measure is in the signed document");
    tampered[at] = b's';
    std::fs::write(files.join("tampered.json"), tampered).unwrap();
    let refused = verify("tampered.json");
    assert!(!refused.status.success(), "a changed byte must fail verification");
    let said = String::from_utf8_lossy(&refused.stderr).into_owned() + &String::from_utf8_lossy(&refused.stdout);
    assert!(said.to_lowercase().contains("hash"), "qpr verify says what does not match: {said}");

    // The search finds the report's measure once the server's outbox follower has indexed it.
    reader.wait_until("the published measure in the search API", || {
        let (status, body) = server.get("/api/v1/measures?party=AZE&year=2028");
        (status == 200 && body.contains(MEASURE)).then_some(())
    });
    reader.goto(&format!("{site}/measures?q=festivals"));
    reader.wait_for_text("main", MEASURE);
}
