//! Issue 15, point 9 (what the platform knows is prefilled, and the pages stop misleading), in
//! Chromium at 1280 and 390 px, in English and French, with nothing for axe-core to find and no
//! sideways scrolling: a new draft shows the Party's name and ratification date; the CSO form
//! starts with the organization and the e-mail address of its invitation; a blank new record
//! says nothing about its missing title until something is typed in it; the account page
//! changes the password; and once the report is submitted its pages offer nothing that looks
//! active: every control is disabled and looks it, and no record says "Edit".

use serde_json::{Value, json};

use super::flows::{self, AREA, FOCAL, SECTION};
use super::webdriver::Browser;
use super::workspace::Team;
use super::{axe_source, in_lang, seen};

/// Azerbaijan's 2028 report in the workspace.
const REPORT: &str = "/app/reports/AZE/2028";
/// Its civil society page.
const CSO_PAGE: &str = "/app/reports/AZE/2028/cso";
/// The CSO invited, and the address its invitation gives.
const CSO: &str = "Union of Composers";
const CSO_EMAIL: &str = "union@composers.az";
/// The password the focal point changes to on the account page.
const NEW_PASSWORD: &str = "a brand new long passphrase";
/// The widths of a desktop and of a phone, and the languages.
const WIDTHS: [u32; 2] = [1280, 390];
const LANGS: [&str; 2] = ["en", "fr"];

/// The record `id` of the area page as shown: its findings, the warnings of its summary, and
/// whether the page's error summary mentions a title.
fn record_findings(browser: &Browser, id: &str) -> Value {
    browser.execute(&format!(
        "const r = document.getElementById('rec-{id}');
         const summary = document.getElementById('error-summary');
         return {{ found: r !== null, open: r !== null && r.open,
                   findings: r ? [...r.querySelectorAll('ul.findings li')].map(l => l.innerText) : [],
                   flagged: r ? r.querySelector('summary').innerText.includes('⚠') : false,
                   summary: summary ? summary.innerText : '' }};"
    ))
}

#[test]
fn what_the_platform_knows_is_prefilled_and_read_only_pages_look_it_at_1280_and_390_px() {
    let axe = axe_source();
    let team = Team::start();
    let (site, focal) = (&team.site, &team.focal);
    let mut problems = Vec::new();

    // A new draft has the Party's name and the date its instrument was deposited.
    for width in WIDTHS {
        focal.set_viewport(width, 900);
        for lang in LANGS {
            let what = format!("general information ({lang}, {width} px)");
            focal.goto(&site.url(&in_lang(SECTION, lang)));
            let shown = focal.execute(
                "const party = document.querySelector(\"[name='a.gi_party_name']\");
                 const date = document.querySelector(\"[name='a.gi_ratification_date']\");
                 return [party.value, party.selectedOptions[0].innerText, date.value, date.type];",
            );
            let name = if lang == "en" { "Azerbaijan" } else { "Azerbaïdjan" };
            assert_eq!(shown[0], json!("Azerbaijan"), "{what}: {shown}");
            assert!(shown[1].as_str().is_some_and(|t| t.contains(name)), "{what}: the option shows {shown}");
            assert_eq!(shown[2], json!("2010-02-15"), "{what}: {shown}");
            problems.extend(seen(focal, &axe, &what));
        }
    }

    // A new record, nothing typed in it, shouts nothing; once something is typed but no title,
    // it says the title is missing (so the check above can see a finding when there is one).
    focal.set_viewport(1280, 900);
    focal.goto(&site.url(AREA));
    focal.click("section.records .record-actions > button[value^='add:']");
    focal.wait_until("the new measure", || (team.draft().policy_measures.len() == 1).then_some(()));
    let id = team.draft().policy_measures[0].id.clone();
    for width in WIDTHS {
        focal.set_viewport(width, 900);
        for lang in LANGS {
            let what = format!("a blank new record ({lang}, {width} px)");
            focal.goto(&site.url(&format!("{}&open=rec-{id}", in_lang(AREA, lang))));
            let record = record_findings(focal, &id);
            assert_eq!(record["found"], json!(true), "{what}: {record}");
            assert_eq!(record["open"], json!(true), "{what}: {record}");
            assert_eq!(record["findings"], json!([]), "{what}: {record}");
            assert_eq!(record["flagged"], json!(false), "{what}: {record}");
            let summary = record["summary"].as_str().unwrap();
            assert!(!summary.contains("title") && !summary.contains("titre"), "{what}: {record}");
            problems.extend(seen(focal, &axe, &what));
        }
    }
    focal.set_viewport(1280, 900);
    focal.goto(&site.url(&format!("{AREA}?open=rec-{id}")));
    let description = focal.execute(&format!(
        "return document.getElementById('rec-{id}').querySelector(\"textarea[name$='.description']\").name;"
    ));
    focal.type_into(&format!("[name='{}']", description.as_str().unwrap()), "Festivals in five regions.");
    flows::save_page(focal);
    focal.goto(&site.url(&format!("{AREA}?open=rec-{id}")));
    let record = record_findings(focal, &id);
    assert!(
        record["findings"].as_array().unwrap().iter().any(|f| f.as_str().unwrap().contains("The record has no title.")),
        "a record with a description and no title says so: {record}"
    );

    // The CSO form starts with the organization and the address of the invitation.
    let link = flows::invite_cso(focal, &site.url(CSO_PAGE), CSO, Some(CSO_EMAIL));
    let cso = Browser::start();
    for width in WIDTHS {
        cso.set_viewport(width, 900);
        for lang in LANGS {
            let what = format!("the CSO form ({lang}, {width} px)");
            cso.goto(&in_lang(&link, lang));
            assert_eq!(cso.value("[name='a.cso_org_name']"), CSO, "{what}");
            assert_eq!(cso.value("[name='a.cso_org_email']"), CSO_EMAIL, "{what}");
            problems.extend(seen(&cso, &axe, &what));
        }
    }

    // The account page changes the password: a wrong current one is refused in the page's
    // language, the right one changes it, the session ends, and the new one signs in.
    for width in WIDTHS {
        focal.set_viewport(width, 900);
        for lang in LANGS {
            focal.goto(&site.url(&in_lang("/app/account", lang)));
            problems.extend(seen(focal, &axe, &format!("the account page ({lang}, {width} px)")));
        }
    }
    let change = |current: &str| {
        focal.fill("#current-password", current);
        focal.fill("#new-password", NEW_PASSWORD);
        focal.fill("#confirm-password", NEW_PASSWORD);
        focal.click_and_load("form[aria-labelledby=password-heading] button[type=submit]");
    };
    focal.goto(&site.url("/app/account?lang=fr"));
    change("not mine at all");
    assert!(
        focal.text("#password-error").contains("Le mot de passe actuel n'est pas correct."),
        "{}",
        focal.page_text()
    );
    problems.extend(seen(focal, &axe, "the refused change (fr, 390 px)"));
    change(flows::PASSWORD);
    focal.wait_until("the login page after the change", || focal.url().contains("/login?done=password").then_some(()));
    focal.goto(&site.url(REPORT));
    assert!(focal.url().contains("/login"), "the session ended: {}", focal.url());
    flows::log_in_with(focal, &site.base(), FOCAL, NEW_PASSWORD);

    // Submitted (signed with the new password, the record titled): the section pages are
    // read-only, and look it.
    focal.set_viewport(1280, 900);
    focal.goto(&site.url(&format!("{AREA}?open=rec-{id}")));
    let title =
        focal.execute(&format!("return document.getElementById('rec-{id}').querySelector(\"[name$='.title']\").name;"));
    focal.type_into(&format!("[name='{}']", title.as_str().unwrap()), "Support for music festivals");
    flows::save_page(focal);
    flows::answer_required(focal, &site.url(REPORT));
    focal.goto(&site.url(&format!("{REPORT}/submit")));
    flows::sign(focal, NEW_PASSWORD);
    focal.wait_until("the review page after signing", || focal.url().contains("/review").then_some(()));
    for width in WIDTHS {
        focal.set_viewport(width, 900);
        for (lang, edit, show) in [("en", "Edit", "Show"), ("fr", "Modifier", "Afficher")] {
            let what = format!("a read-only area page ({lang}, {width} px)");
            focal.goto(&site.url(&in_lang(AREA, lang)));
            let state = focal.execute(
                "const form = document.querySelector('form.editor');
                 const controls = [...form.querySelectorAll('button, input:not([type=hidden]), select, textarea')];
                 const shown = [...form.querySelectorAll('button')].filter(b => b.getClientRects().length > 0);
                 return { controls: controls.length,
                          enabled: controls.filter(c => !c.matches(':disabled')).map(c => c.name || c.innerText),
                          buttons: shown.length,
                          pointing: shown.filter(b => getComputedStyle(b).cursor !== 'not-allowed').map(b => b.innerText),
                          records: [...form.querySelectorAll('details.record-item .record-edit')].map(e => e.innerText) };",
            );
            assert!(state["controls"].as_u64() > Some(5), "{what}: {state}");
            assert_eq!(state["enabled"], json!([]), "{what}: every control is disabled: {state}");
            assert!(state["buttons"].as_u64() > Some(0), "{what}: {state}");
            assert_eq!(state["pointing"], json!([]), "{what}: the buttons look disabled: {state}");
            let records = state["records"].as_array().unwrap();
            assert!(!records.is_empty(), "{what}: {state}");
            assert!(records.iter().all(|r| r == show), "{what}: a record says “{show}”, not “{edit}”: {state}");
            problems.extend(seen(focal, &axe, &what));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
