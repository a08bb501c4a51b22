//! Steps of the workspace that several browser tests take, done as a person does them in
//! Chromium: through the pages, the links of the e-mails, the forms and their buttons.
//! Shared by the browser tests of `qpr-web` (in-process site) and of `qpr` (the real binary).

// Each test binary uses the steps it needs.
#![allow(dead_code)]

use std::path::Path;

use super::webdriver::Browser;

/// The first Secretariat member of the browser tests.
pub(super) const SECRETARIAT: &str = "sec@unesco.test";
/// Azerbaijan's focal point.
pub(super) const FOCAL: &str = "fp@culture.gov.az";
/// The editing page of the general information of Azerbaijan's 2028 report.
pub(super) const SECTION: &str = "/app/reports/AZE/2028/sections/general-information";
/// An area of monitoring: its page holds policies and measures (records with partners).
pub(super) const AREA: &str = "/app/reports/AZE/2028/sections/cultural-creative-sectors";
/// The text area of the consultation process (general information).
pub(super) const CONSULTATION: &str = "[name='a.gi_consultation_process']";

/// The password every person of the browser tests chooses (at least 12 characters).
pub(super) const PASSWORD: &str = "correct horse battery staple";

/// Opens a password link (from `qpr user add` or an e-mail), chooses `PASSWORD` and lands on
/// the login page that says so.
pub(super) fn choose_password(browser: &Browser, link: &str) {
    browser.goto(link);
    browser.fill("#password", PASSWORD);
    browser.fill("#confirm", PASSWORD);
    browser.click("main form button[type=submit]");
    browser.wait_until("the login page after choosing a password", || {
        browser.url().contains("/login?done=password").then_some(())
    });
}

/// Signs in with the login form of `site` (`http://host:port`) and waits for the workspace.
pub(super) fn log_in(browser: &Browser, site: &str, email: &str) {
    log_in_with(browser, site, email, PASSWORD);
}

/// Signs in with `password` (one of the person's own) and waits for the workspace.
pub(super) fn log_in_with(browser: &Browser, site: &str, email: &str, password: &str) {
    browser.goto(&format!("{site}/login"));
    browser.fill("#email", email);
    browser.fill("#password", password);
    browser.click("main form button[type=submit]");
    browser.wait_until(&format!("{email} to be signed in"), || {
        let url = browser.url();
        (url.contains("/app") && !url.contains("/login")).then_some(())
    });
}

/// Opens a reporting cycle for `parties` with the Secretariat's form at /app/cycles and waits
/// for its status board.
pub(super) fn open_cycle(browser: &Browser, site: &str, year: i32, deadline: &str, parties: &str) {
    browser.goto(&format!("{site}/app/cycles"));
    browser.fill("#cycle-year", &year.to_string());
    set_date(browser, "#cycle-deadline", deadline);
    browser.fill("#cycle-parties", parties);
    browser.click("main form button[type=submit]");
    browser.wait_until("the status board of the new cycle", || {
        browser.url().ends_with(&format!("/app/cycles/{year}")).then_some(())
    });
}

/// Names a Party's focal point on the status board of a cycle.
pub(super) fn name_focal_point(browser: &Browser, site: &str, year: i32, party: &str, email: &str, name: &str) {
    browser.goto(&format!("{site}/app/cycles/{year}"));
    browser.click(&format!("#focal-party option[value='{party}']"));
    browser.fill("#focal-email", email);
    browser.fill("#focal-name", name);
    browser.click("form[aria-labelledby=focal-heading] button[type=submit]");
    browser.wait_for_text("main .notice", email);
}

/// Types a date into a date control: key by key in the order the control's locale shows its
/// parts is brittle, so the value is set as a date picker sets it (with the events it fires).
pub(super) fn set_date(browser: &Browser, selector: &str, date: &str) {
    let script = format!(
        "const e = document.querySelector({selector:?}); e.value = {date:?};
         e.dispatchEvent(new Event('input', {{ bubbles: true }})); e.dispatchEvent(new Event('change', {{ bubbles: true }}));
         return e.value;"
    );
    assert_eq!(browser.execute(&script), serde_json::json!(date), "{selector} takes the date {date}");
}

/// Adds a policy/measure on an area's editing page (`url`) with its button, names it, and
/// saves the page (a plain post, so this works with JavaScript on or off).
pub(super) fn add_measure(browser: &Browser, url: &str, title: &str) {
    browser.goto(url);
    let before = browser.find_all("fieldset.edit-record").len();
    browser.click("section.records .record-actions > button[value^='add:']");
    browser.wait_until("the new measure", || (browser.find_all("fieldset.edit-record").len() > before).then_some(()));
    let records = browser.find_all("fieldset.edit-record input[type=text]");
    let name = records.last().and_then(|_| {
        let names = browser.execute(
            "const last = document.querySelector('details.record-item[open] fieldset.edit-record');
             return last.querySelector('input[type=text], textarea').name;",
        );
        names.as_str().map(str::to_owned)
    });
    let name = name.unwrap_or_else(|| panic!("no text field in the new measure on {url}"));
    browser.type_into(&format!("[name='{name}']"), title);
    save_page(browser);
}

/// Saves an editing page with its save button (a plain post) and waits for the page that says
/// it is saved: the page the post loaded, not the one before (which may show a notice of its
/// own, after a record was added: CI once went on while the post was still in flight, and the
/// next page opened was replaced by the post's answer).
pub(super) fn save_page(browser: &Browser) {
    browser.click_and_load("form.editor .actions button[type=submit]");
    browser.wait_for("main .notice[role=status]");
}

/// Adds a partner per name to the first measure of an area's editing page (the page is open),
/// types the names, and saves the page.
pub(super) fn add_partners(browser: &Browser, names: &[&str]) {
    for _ in names {
        let rows = "fieldset.edit-record .list-item, fieldset.edit-record fieldset.row";
        let before = browser.find_all(rows).len();
        let add = browser
            .find_all("fieldset.edit-record button[value^='add:']")
            .into_iter()
            .find(|b| browser.attribute(b, "value").is_some_and(|v| v.contains("partner")))
            .unwrap_or_else(|| panic!("no button adding a partner on {}", browser.url()));
        browser.click_element(&add);
        browser.wait_until("a new partner", || (browser.find_all(rows).len() > before).then_some(()));
    }
    let fields: serde_json::Value = browser.execute(
        "return [...document.querySelectorAll('fieldset.edit-record input[type=text], fieldset.edit-record textarea')]
           .map(e => e.name).filter(n => n.includes('partner') && /name/.test(n));",
    );
    let fields: Vec<&str> =
        fields.as_array().map(|a| a.iter().filter_map(serde_json::Value::as_str).collect()).unwrap_or_default();
    assert!(fields.len() >= names.len(), "{} partner names on {}: {fields:?}", names.len(), browser.url());
    for (field, name) in fields.iter().zip(names) {
        browser.type_into(&format!("[name='{field}']"), name);
    }
    save_page(browser);
}

/// Invites a contributor limited to the section `section` (its form id) from the team part of
/// a report's overview (`report`: `http://host:port/app/reports/{iso3}/{year}`).
pub(super) fn invite_contributor(browser: &Browser, report: &str, email: &str, name: &str, section: &str) {
    browser.goto(report);
    browser.fill("#member-email", email);
    browser.fill("#member-name", name);
    browser.click(&format!("form.stacked input[type=checkbox][name=section][value='{section}']"));
    browser.click("form[action*='/members'] button[type=submit]");
    browser.wait_for_text("main .notice[role=status]", email);
}

/// Invites a CSO on a report's CSO page (`page`: `…/app/reports/{iso3}/{year}/cso`), with an
/// e-mail address or none, and returns the link the page shows (once).
pub(super) fn invite_cso(browser: &Browser, page: &str, organization: &str, email: Option<&str>) -> String {
    browser.goto(page);
    browser.fill("#cso-organization", organization);
    if let Some(email) = email {
        browser.fill("#cso-email", email);
    }
    browser.click("section[aria-labelledby=invite-heading] button[type=submit]");
    browser.wait_for("#cso-link");
    browser.text("#cso-link")
}

/// On a CSO form (the page is open): adds an empty measure under `goal` with its button (a
/// post: the form is saved and shown again with the new measure last).
pub(super) fn add_cso_record(browser: &Browser, goal: u8) {
    let before = browser.find_all("fieldset.edit-record").len();
    browser.click(&format!("button[name=action][value='add:a.cso_form_measures_goal{goal}']"));
    browser
        .wait_until("the new CSO measure", || (browser.find_all("fieldset.edit-record").len() > before).then_some(()));
}

/// On a CSO form (the page is open): adds a measure under `goal`, types its title and
/// description (the new measure is the one the page shows open), and saves the form.
pub(super) fn add_cso_measure(browser: &Browser, goal: u8, title: &str, description: &str) {
    add_cso_record(browser, goal);
    let names = browser.execute(
        "const last = document.querySelector('details.record-item[open] fieldset.edit-record');
         const name = s => ((last && last.querySelector(`[name$='.${s}']`)) || {}).name;
         return [name('title'), name('description')];",
    );
    let field = |i: usize| {
        names[i]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no title and description in the new measure: {names}"))
    };
    browser.type_into(&format!("[name='{}']", field(0)), title);
    browser.type_into(&format!("[name='{}']", field(1)), description);
    save_cso_form(browser);
}

/// Saves a CSO form with its save button and waits for the page that says it is saved.
pub(super) fn save_cso_form(browser: &Browser) {
    browser.click_and_load("form.editor .actions button[type=submit]:not([name])");
    browser.wait_for("main .notice[role=status]");
}

/// Submits a CSO form (final) and waits for the page that says it was submitted (the form's
/// fields then disabled).
pub(super) fn submit_cso_form(browser: &Browser) {
    browser.click("form.editor .actions button[name=submit]");
    browser.wait_until("the submitted CSO form", || browser.try_find("form.editor fieldset[disabled]").map(|_| ()));
}

/// On a report's CSO page (open): includes the submitted measure `title` in the report, or
/// takes it out, with its button (which names the measure), and waits until the page no longer
/// offers that button.
pub(super) fn decide_cso_measure(browser: &Browser, title: &str, include: bool) {
    let selector =
        format!("article.invitation button[name=action][value={}]", if include { "include" } else { "exclude" });
    let button =
        |browser: &Browser| browser.find_all(&selector).into_iter().find(|b| browser.element_text(b).contains(title));
    let found = button(browser).unwrap_or_else(|| panic!("no button `{selector}` for “{title}” on {}", browser.url()));
    browser.click_element(&found);
    // Read in one script: the page is replaced meanwhile, and elements found before it would be stale.
    let offered =
        format!("return [...document.querySelectorAll({selector:?})].some(b => b.innerText.includes({title:?}));");
    browser.wait_until("the CSO page after the decision", || {
        (browser.execute(&offered) == serde_json::json!(false)).then_some(())
    });
}

/// Uploads a file as an annex on a report's annexes page (`page`) through its file control
/// (`WebDriver` types the file's path into it, as a person picks it) and waits for the notice.
pub(super) fn upload_annex(browser: &Browser, page: &str, file: &Path, title: &str, description: &str) {
    browser.goto(page);
    browser.type_into("#annex-file", &file.display().to_string());
    browser.fill("#annex-title", title);
    browser.fill("#annex-description", description);
    browser.click("form[enctype='multipart/form-data'] button[type=submit]");
    browser.wait_for_text("main .notice[role=status]", title);
}

/// Fills the designated official on the submit page (Mr. Ramil Abbakirov, Head of Department,
/// Ministry of Culture) and signs with `password`.
pub(super) fn sign(browser: &Browser, password: &str) {
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

/// Answers, through the drafting API with the page's session and form token (as the editor's
/// script saves), every required question of the report at `report` (`{site}/app/reports/AZE/2028`)
/// that is still empty, with the answers of the real published report (Azerbaijan 2022, which
/// answers every one), so that it can be signed. What the test typed stays.
pub(super) fn answer_required(browser: &Browser, report: &str) {
    let framework = qpr_domain::Framework::qpr_2020();
    let published =
        qpr_import::import_published(framework, include_str!("../../../../../demo/qpr-azerbaijan-2022.txt"))
            .expect("the demo report imports");
    let answers: serde_json::Map<String, serde_json::Value> = framework
        .questions()
        .filter(|(_, q)| {
            q.required && q.role.is_none_or(|r| r == qpr_domain::framework::QuestionRole::ExecutiveSummary)
        })
        .filter_map(|(_, q)| published.answer(&q.id).map(|a| (q.id.clone(), a.clone())))
        .collect();
    // An editing page: its Content-Security-Policy lets the page talk to its own site.
    browser.goto(&format!("{report}/sections/general-information"));
    let api = report.replacen("/app/reports/", "/api/v1/drafts/", 1);
    let script = format!(
        "const done = arguments[arguments.length - 1], answers = {answers};
         const csrf = document.querySelector('input[name=csrf]').value;
         fetch('{api}', {{ headers: {{ 'Accept': 'application/json' }} }}).then(r => r.json()).then(draft => {{
           const document_ = draft.document;
           for (const [id, value] of Object.entries(answers)) {{
             const now = document_.answers[id];
             if (now === undefined || now === null || now === '') document_.answers[id] = value;
           }}
           return fetch('{api}', {{ method: 'PUT', body: JSON.stringify({{ base_revision: draft.revision, document: document_ }}),
             headers: {{ 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }} }});
         }}).then(r => done(r.status)).catch(e => done(String(e)));",
        answers = serde_json::Value::Object(answers),
    );
    let status = browser.execute_async(&script);
    assert_eq!(status, serde_json::json!(200), "saving the required answers through the API");
}

/// Comments on a field from the review page, in place: opens the field's "Comment on …" form
/// (a `<details>` after the field), types and posts; the page comes back at the new thread.
pub(super) fn comment(browser: &Browser, field: &str, body: &str) {
    let id = field.split_once('.').map_or(field, |(_, id)| id);
    let form = format!("#new-comment-{id}");
    browser.click(&format!("{form} > summary"));
    browser.wait_until(&format!("the comment form on {field} to open"), || {
        (browser.execute(&format!("return document.querySelector('{form}').open;")) == serde_json::Value::Bool(true))
            .then_some(())
    });
    browser.fill(&format!("#comment-on-{id}"), body);
    browser.click(&format!("{form} button[type=submit]"));
    browser.wait_until(&format!("the page back at the new thread on {field}"), || {
        browser.url().contains("#comment-").then_some(())
    });
    browser.wait_for_text("main", body);
}

/// The first link starting with `prefix` in the newest e-mail to `to` in a mail outbox folder.
pub(super) fn mailed_link(outbox: &Path, to: &str, prefix: &str) -> String {
    let mailer = qpr_mail::Mailer::to_folder("tests <tests@qpr.test>", outbox).unwrap();
    let mails = mailer.outbox().unwrap();
    let mail = mails.iter().find(|m| m.to == to).unwrap_or_else(|| panic!("no e-mail to {to} in {}", outbox.display()));
    link_in(&mail.body, prefix)
}

/// The first link starting with `prefix` in a text, up to the next space.
pub(super) fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no link {prefix} in: {text}"));
    text[start..].split_whitespace().next().unwrap_or_default().to_owned()
}
