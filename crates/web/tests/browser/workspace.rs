//! The workspace in Chromium: autosave never loses typing (a tab closed before the debounce
//! fires, a save refused while the session had ended), two people on one field see both values,
//! the editing pages work with JavaScript off, and axe-core finds nothing on any workspace page
//! type in either language.

use qpr_domain::ReportDocument;
use qpr_store::NewUser;
use serde_json::{Value, json};

use crate::flows::{self, AREA, CONSULTATION, FOCAL, PASSWORD, SECRETARIAT, SECTION};
use crate::webdriver::Browser;
use crate::{Site, axe_source, axe_violations};

const SUMMARY: &str = "[name='a.gi_executive_summary']";

/// A site with a 2028 cycle for Azerbaijan opened by the Secretariat and its focal point named
/// and signed in, all through the pages.
struct Team {
    site: Site,
    focal: Browser,
}

impl Team {
    fn start() -> Team {
        Team::start_with(Browser::start())
    }

    /// The team, with the focal point in `focal` (a browser with or without JavaScript).
    fn start_with(focal: Browser) -> Team {
        let site = Site::start();
        let secretariat = Browser::start();
        let link = secretariat_link(&site);
        flows::choose_password(&secretariat, &link);
        flows::log_in(&secretariat, &site.base(), SECRETARIAT);
        flows::open_cycle(&secretariat, &site.base(), 2028, "2028-04-30", "AZE");
        flows::name_focal_point(&secretariat, &site.base(), 2028, "AZE", FOCAL, "Leyla Mammadova");
        flows::choose_password(&focal, &flows::mailed_link(&site.mail, FOCAL, "http://"));
        flows::log_in(&focal, &site.base(), FOCAL);
        Team { site, focal }
    }

    /// The focal point signed in a second time, in another browser, on the page `path`; the
    /// first browser opens it too.
    fn second_session_on(&self, path: &str) -> Browser {
        let second = Browser::start();
        flows::log_in(&second, &self.site.base(), FOCAL);
        self.focal.goto(&self.site.url(path));
        second.goto(&self.site.url(path));
        second
    }

    /// The current draft of Azerbaijan 2028, read from the database.
    fn draft(&self) -> ReportDocument {
        self.site.runtime.block_on(async {
            let report = self.site.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
            self.site.store.revision(report.current_revision.unwrap()).await.unwrap().1
        })
    }

    /// Waits until the draft in the database answers `question` with `expected`.
    fn wait_for_answer(&self, question: &str, expected: &str) {
        self.focal.wait_until(&format!("{question} = “{expected}” in the database"), || {
            (self.draft().answer(question) == Some(&json!(expected))).then_some(())
        });
    }
}

/// Creates the first Secretariat member (as `qpr user add` does) and returns their password link.
fn secretariat_link(site: &Site) -> String {
    site.runtime.block_on(async {
        let user = NewUser { email: SECRETARIAT, display_name: "Sara Secretariat", password_hash: None, is_secretariat: true };
        let id = site.store.create_user(&user, "test").await.unwrap();
        qpr_web::first_password_link(&site.store, &site.base(), id).await.unwrap()
    })
}

/// What the save state of an editing page says.
fn save_state(browser: &Browser) -> String {
    browser.execute("return document.getElementById('save-state').textContent;").as_str().unwrap_or_default().to_owned()
}

#[test]
fn typing_survives_closing_the_tab_before_the_autosave_fires() {
    let team = Team::start();
    let focal = &team.focal;
    focal.goto(&team.site.url(SECTION));
    let editing = focal.window();
    let other = focal.new_window();
    focal.switch_to_window(&editing);
    let typed = "Ministries and CSOs met twice in Baku.";
    focal.type_into(CONSULTATION, typed);
    // The debounce (800 ms) has not fired: nothing was sent yet when the tab closes.
    assert_eq!(save_state(focal), "", "the tab closes before the autosave");
    focal.close_window();
    focal.switch_to_window(&other);
    team.wait_for_answer("gi_consultation_process", typed);
    focal.goto(&team.site.url(SECTION));
    assert_eq!(focal.value(CONSULTATION), typed, "the page shows the saved text again");
}

#[test]
fn typing_kept_in_the_browser_when_the_server_refused_it_is_offered_back_and_saved() {
    let team = Team::start();
    let focal = &team.focal;
    focal.goto(&team.site.url(SECTION));
    // The session ends (as after a long lunch) while the person types: the server refuses the
    // save, the page says so, the text stays in the browser.
    focal.delete_cookie("qpr_session");
    let typed = "Typed while signed out.";
    focal.type_into(CONSULTATION, typed);
    let expired = focal.execute("return document.getElementById('save-state').dataset.expired;");
    focal.wait_for_text("#save-state", expired.as_str().unwrap());
    let editing = focal.window();
    let other = focal.new_window();
    focal.switch_to_window(&editing);
    focal.close_window();
    focal.switch_to_window(&other);
    assert_eq!(team.draft().answer("gi_consultation_process"), None, "nothing reached the database");

    flows::log_in(focal, &team.site.base(), FOCAL);
    focal.goto(&team.site.url(SECTION));
    assert_eq!(focal.value(CONSULTATION), "", "the page shows the database");
    let offer = focal.wait_for("[role=region].conflict");
    let restore = focal.execute("return document.getElementById('save-state').dataset.restoreYes;");
    assert!(
        focal
            .element_text(&offer)
            .contains(focal.execute("return document.getElementById('save-state').dataset.restore;").as_str().unwrap())
    );
    let button = focal
        .find_all("[role=region].conflict button")
        .into_iter()
        .find(|b| focal.element_text(b) == restore.as_str().unwrap())
        .expect("a button to restore the text");
    focal.click_element(&button);
    assert_eq!(focal.value(CONSULTATION), typed, "the text is back in its field");
    team.wait_for_answer("gi_consultation_process", typed);
    let saved = focal.execute("return document.getElementById('save-state').dataset.saved;");
    focal.wait_for_text("#save-state", saved.as_str().unwrap());
    let left = focal.execute("return Object.keys(localStorage).filter(k => k.startsWith('qpr-draft:')).length;");
    assert_eq!(left, json!(0), "the browser's copy is dropped once the server has it");
}

#[test]
fn two_people_typing_in_one_field_see_both_values() {
    let team = Team::start();
    let second = team.second_session_on(SECTION);
    team.focal.type_into(CONSULTATION, "Alpha: two meetings.");
    team.wait_for_answer("gi_consultation_process", "Alpha: two meetings.");
    second.type_into(CONSULTATION, "Beta: three meetings.");
    let conflict = second.wait_for(".js-conflict[role=group]");
    let text = second.element_text(&conflict);
    assert!(text.contains("Alpha: two meetings.") && text.contains("Beta: three meetings."), "both values shown: {text}");
    let said = second.execute("return document.getElementById('save-state').dataset.conflict;");
    assert_eq!(save_state(&second), said.as_str().unwrap());
    assert_eq!(team.draft().answer("gi_consultation_process"), Some(&json!("Alpha: two meetings.")), "nothing was overwritten");
    let violations = axe_violations(&second, &axe_source());
    assert!(violations.is_empty(), "the conflict box is accessible: {violations:#?}");
    // The second person keeps their text: it is saved on top of the first one's.
    second.click("button.js-conflict");
    team.wait_for_answer("gi_consultation_process", "Beta: three meetings.");
}

#[test]
fn a_save_merged_with_someone_elses_shows_their_text_and_never_undoes_it() {
    let team = Team::start();
    let second = team.second_session_on(SECTION);
    team.focal.type_into(CONSULTATION, "Written by the first.");
    team.wait_for_answer("gi_consultation_process", "Written by the first.");
    // The second page still shows the revision before: its save is merged with the first one's.
    second.type_into(SUMMARY, "Summary by the second.");
    team.wait_for_answer("gi_executive_summary", "Summary by the second.");
    second
        .wait_until("the first person's text on the second page", || (second.value(CONSULTATION) == "Written by the first.").then_some(()));
    assert_eq!(second.value(SUMMARY), "Summary by the second.", "the second person's text stays as typed");
    // Saving again from the second page keeps the first person's text.
    second.type_into(SUMMARY, " More.");
    team.wait_for_answer("gi_executive_summary", "Summary by the second. More.");
    assert_eq!(team.draft().answer("gi_consultation_process"), Some(&json!("Written by the first.")));
}

#[test]
fn the_editing_pages_work_with_javascript_off() {
    let team = Team::start_with(Browser::start_without_javascript());
    let focal = &team.focal;
    focal.goto("data:text/html,<title>off</title><script>document.title = 'on'</script>");
    assert_eq!(focal.execute("return document.title;"), json!("off"), "page scripts do not run in this browser");

    focal.goto(&team.site.url(SECTION));
    focal.type_into(CONSULTATION, "Saved by a plain form.");
    assert_eq!(save_state(focal), "", "no autosave without JavaScript");
    focal.click("form.editor .actions button[type=submit]");
    focal.wait_for("main .notice[role=status]");
    assert_eq!(team.draft().answer("gi_consultation_process"), Some(&json!("Saved by a plain form.")));

    flows::add_measure(focal, &team.site.url(AREA), "Support for music festivals");
    for _ in 0..2 {
        let before = focal.find_all("fieldset.edit-record .list-item, fieldset.edit-record fieldset.row").len();
        let add = partner_add_button(focal);
        focal.click_element(&add);
        focal.wait_until("a new partner", || {
            (focal.find_all("fieldset.edit-record .list-item, fieldset.edit-record fieldset.row").len() > before).then_some(())
        });
    }
    let partners = partner_inputs(focal);
    assert!(partners.len() >= 2, "two partners on the page: {partners:?}");
    focal.type_into(&format!("[name='{}']", partners[0]), "Baku Jazz Centre");
    focal.type_into(&format!("[name='{}']", partners[1]), "Union of Composers");
    focal.click("form.editor .actions button[type=submit]");
    focal.wait_for("main .notice[role=status]");
    let draft = team.draft();
    assert_eq!(draft.policy_measures.len(), 1, "one measure");
    let measure = serde_json::to_value(&draft.policy_measures[0]).unwrap();
    let text = measure.to_string();
    for expected in ["Support for music festivals", "Baku Jazz Centre", "Union of Composers"] {
        assert!(text.contains(expected), "{expected} saved in {measure}");
    }
    assert_eq!(draft.answer("gi_consultation_process"), Some(&json!("Saved by a plain form.")), "the earlier save is kept");
}

/// The button that adds a partner to the first measure.
fn partner_add_button(browser: &Browser) -> crate::webdriver::Element {
    browser
        .find_all("fieldset.edit-record button[value^='add:']")
        .into_iter()
        .find(|b| browser.attribute(b, "value").is_some_and(|v| v.contains("partner")))
        .unwrap_or_else(|| panic!("no button adding a partner on {}", browser.url()))
}

/// The names of the text controls of the first measure's partners.
fn partner_inputs(browser: &Browser) -> Vec<String> {
    let names: Value = browser.execute(
        "return [...document.querySelectorAll('fieldset.edit-record input[type=text], fieldset.edit-record textarea')]
           .map(e => e.name).filter(n => n.includes('partner') && /name/.test(n));",
    );
    names.as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_owned()).collect()
}

#[test]
fn axe_finds_no_violation_on_any_workspace_page_type_in_either_language() {
    let axe = axe_source();
    let site = Site::start();
    let visitor = Browser::start();
    let link = secretariat_link(&site);
    let token_path = link.trim_start_matches(&site.base()).to_owned();
    let mut violations = Vec::new();
    let mut check = |browser: &Browser, path: &str| {
        for lang in ["en", "fr"] {
            let separator = if path.contains('?') { '&' } else { '?' };
            let url = site.url(&format!("{path}{separator}lang={lang}"));
            browser.goto(&url);
            assert_eq!(browser.execute("return document.documentElement.lang;"), json!(lang), "{url}");
            violations.extend(axe_violations(browser, &axe).into_iter().map(|v| format!("{path} ({lang}): {v}")));
        }
    };
    check(&visitor, "/login");
    check(&visitor, "/password/forgot");
    check(&visitor, &token_path);

    let secretariat = visitor;
    flows::choose_password(&secretariat, &link);
    flows::log_in(&secretariat, &site.base(), SECRETARIAT);
    flows::open_cycle(&secretariat, &site.base(), 2028, "2028-04-30", "AZE");
    flows::name_focal_point(&secretariat, &site.base(), 2028, "AZE", FOCAL, "Leyla Mammadova");
    let focal = Browser::start();
    flows::choose_password(&focal, &flows::mailed_link(&site.mail, FOCAL, "http://"));
    flows::log_in(&focal, &site.base(), FOCAL);
    for path in ["/app", "/app/cycles", "/app/cycles/2028", "/app/admin/mail", "/app/account"] {
        check(&secretariat, path);
    }

    // A section page with a measure, with a finding or two, and the other pages of a draft.
    flows::add_measure(&focal, &site.url(AREA), "Support for music festivals");
    focal.goto(&site.url(SECTION));
    focal.type_into(CONSULTATION, "Ministries and CSOs met twice.");
    focal.click("form.editor .actions button[type=submit]");
    focal.wait_for("main .notice[role=status]");
    for path in ["/app", "/app/reports/AZE/2028", AREA, SECTION, "/app/reports/AZE/2028/submit", "/app/account"] {
        check(&focal, path);
    }

    // Signed and submitted; the Secretariat comments on two fields.
    focal.goto(&site.url("/app/reports/AZE/2028/submit"));
    flows::sign(&focal, PASSWORD);
    focal.wait_until("the review page after signing", || focal.url().contains("/review").then_some(()));
    secretariat.goto(&site.url("/app/reports/AZE/2028/review"));
    flows::comment(&secretariat, "answers.gi_consultation_process", "Which CSOs?");
    flows::comment(&secretariat, "answers.gi_ratification_date", "Please give the date.");
    let revisions = site.runtime.block_on(async {
        let report = site.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
        site.store.revisions(report.id).await.unwrap().iter().map(|r| r.id).collect::<Vec<i64>>()
    });
    let (first, last) = (revisions.iter().min().unwrap(), revisions.iter().max().unwrap());
    let compare = format!("/app/reports/AZE/2028/history/compare?from={first}&to={last}");
    for path in ["/app/reports/AZE/2028/review", "/app/reports/AZE/2028/history", compare.as_str(), "/app/cycles/2028"] {
        check(&secretariat, path);
    }
    for path in ["/app/reports/AZE/2028/review", SECTION] {
        check(&focal, path);
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
