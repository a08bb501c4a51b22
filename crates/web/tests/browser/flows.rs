//! Steps of the workspace that several browser tests take, done as a person does them in
//! Chromium: through the pages, the links of the e-mails, the forms and their buttons.
//! Shared by the browser tests of `qpr-web` (in-process site) and of `qpr` (the real binary).

// Each test binary uses the steps it needs.
#![allow(dead_code)]

use std::path::Path;

use crate::webdriver::Browser;

/// The first Secretariat member of the browser tests.
pub const SECRETARIAT: &str = "sec@unesco.test";
/// Azerbaijan's focal point.
pub const FOCAL: &str = "fp@culture.gov.az";
/// The editing page of the general information of Azerbaijan's 2028 report.
pub const SECTION: &str = "/app/reports/AZE/2028/sections/general-information";
/// An area of monitoring: its page holds policies and measures (records with partners).
pub const AREA: &str = "/app/reports/AZE/2028/sections/cultural-creative-sectors";
/// The text area of the consultation process (general information).
pub const CONSULTATION: &str = "[name='a.gi_consultation_process']";

/// The password every person of the browser tests chooses (at least 12 characters).
pub const PASSWORD: &str = "correct horse battery staple";

/// Opens a password link (from `qpr user add` or an e-mail), chooses `PASSWORD` and lands on
/// the login page that says so.
pub fn choose_password(browser: &Browser, link: &str) {
    browser.goto(link);
    browser.fill("#password", PASSWORD);
    browser.fill("#confirm", PASSWORD);
    browser.click("main form button[type=submit]");
    browser.wait_until("the login page after choosing a password", || browser.url().contains("/login?done=password").then_some(()));
}

/// Signs in with the login form of `site` (`http://host:port`) and waits for the workspace.
pub fn log_in(browser: &Browser, site: &str, email: &str) {
    browser.goto(&format!("{site}/login"));
    browser.fill("#email", email);
    browser.fill("#password", PASSWORD);
    browser.click("main form button[type=submit]");
    browser.wait_until(&format!("{email} to be signed in"), || {
        let url = browser.url();
        (url.contains("/app") && !url.contains("/login")).then_some(())
    });
}

/// Opens a reporting cycle for `parties` with the Secretariat's form at /app/cycles and waits
/// for its status board.
pub fn open_cycle(browser: &Browser, site: &str, year: i32, deadline: &str, parties: &str) {
    browser.goto(&format!("{site}/app/cycles"));
    browser.fill("#cycle-year", &year.to_string());
    set_date(browser, "#cycle-deadline", deadline);
    browser.fill("#cycle-parties", parties);
    browser.click("main form button[type=submit]");
    browser.wait_until("the status board of the new cycle", || browser.url().ends_with(&format!("/app/cycles/{year}")).then_some(()));
}

/// Names a Party's focal point on the status board of a cycle.
pub fn name_focal_point(browser: &Browser, site: &str, year: i32, party: &str, email: &str, name: &str) {
    browser.goto(&format!("{site}/app/cycles/{year}"));
    browser.click(&format!("#focal-party option[value='{party}']"));
    browser.fill("#focal-email", email);
    browser.fill("#focal-name", name);
    browser.click("form[aria-labelledby=focal-heading] button[type=submit]");
    browser.wait_for_text("main .notice", email);
}

/// Types a date into a date control: key by key in the order the control's locale shows its
/// parts is brittle, so the value is set as a date picker sets it (with the events it fires).
pub fn set_date(browser: &Browser, selector: &str, date: &str) {
    let script = format!(
        "const e = document.querySelector({selector:?}); e.value = {date:?};
         e.dispatchEvent(new Event('input', {{ bubbles: true }})); e.dispatchEvent(new Event('change', {{ bubbles: true }}));
         return e.value;"
    );
    assert_eq!(browser.execute(&script), serde_json::json!(date), "{selector} takes the date {date}");
}

/// Adds a policy/measure on an area's editing page (`url`) with its button, names it, and
/// saves the page (a plain post, so this works with JavaScript on or off).
pub fn add_measure(browser: &Browser, url: &str, title: &str) {
    browser.goto(url);
    let before = browser.find_all("fieldset.edit-record").len();
    browser.click("section.records .record-actions > button[value^='add:']");
    browser.wait_until("the new measure", || (browser.find_all("fieldset.edit-record").len() > before).then_some(()));
    let records = browser.find_all("fieldset.edit-record input[type=text]");
    let name = records.last().and_then(|_| {
        let names = browser.execute(
            "const r = document.querySelectorAll('fieldset.edit-record'); const last = r[r.length - 1];
             return last.querySelector('input[type=text], textarea').name;",
        );
        names.as_str().map(str::to_owned)
    });
    let name = name.unwrap_or_else(|| panic!("no text field in the new measure on {url}"));
    browser.type_into(&format!("[name='{name}']"), title);
    browser.click("form.editor .actions button[type=submit]");
    browser.wait_for("main .notice[role=status]");
}

/// Fills the designated official on the submit page (Mr. Ramil Abbakirov, Head of Department,
/// Ministry of Culture) and signs with `password`.
pub fn sign(browser: &Browser, password: &str) {
    for (field, value) in [
        ("sub_signatory_first_name", "Ramil"),
        ("sub_signatory_family_name", "Abbakirov"),
        ("sub_signatory_organization", "Ministry of Culture"),
        ("sub_signatory_position", "Head of Department"),
    ] {
        browser.fill(&format!("#{field}"), value);
    }
    let title = browser
        .find_all("#sub_signatory_title option")
        .into_iter()
        .find(|o| browser.element_text(o) == "Mr.")
        .unwrap_or_else(|| panic!("no title “Mr.” to choose on {}", browser.url()));
    browser.click_element(&title);
    browser.fill("#password", password);
    browser.click("form[action*='/submit'] button[type=submit]");
}

/// Comments on a field from the review page: the field's "Comment on …" link points the form at it.
pub fn comment(browser: &Browser, field: &str, body: &str) {
    let link = browser
        .find_all("a.comment-link")
        .into_iter()
        .find(|a| browser.attribute(a, "href").is_some_and(|h| h.contains(&format!("field={field}"))))
        .unwrap_or_else(|| panic!("no “Comment on …” link for {field}"));
    browser.click_element(&link);
    browser.wait_until(&format!("the comment form on {field}"), || (browser.value("#comment-field") == field).then_some(()));
    browser.fill("#comment-body", body);
    browser.click("#comment-form button[type=submit]");
    browser.wait_for_text("main", body);
}

/// The first link starting with `prefix` in the newest e-mail to `to` in a mail outbox folder.
pub fn mailed_link(outbox: &Path, to: &str, prefix: &str) -> String {
    let mailer = qpr_mail::Mailer::to_folder("tests <tests@qpr.test>", outbox).unwrap();
    let mails = mailer.outbox().unwrap();
    let mail = mails.iter().find(|m| m.to == to).unwrap_or_else(|| panic!("no e-mail to {to} in {}", outbox.display()));
    link_in(&mail.body, prefix)
}

/// The first link starting with `prefix` in a text, up to the next space.
pub fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no link {prefix} in: {text}"));
    text[start..].split_whitespace().next().unwrap_or_default().to_owned()
}
