//! The workspace in Chromium: autosave never loses typing (a tab closed before the debounce
//! fires, a save refused while the session had ended), two people on one field see both values,
//! the editing pages work with JavaScript off, issue 6's journey (a draft with a contributor
//! given one section and a CSO whose measure joins the report, the CSO's form without
//! JavaScript), and axe-core finds nothing on any workspace page type in either language, CSO
//! input and annexes included.

use qpr_domain::ReportDocument;
use qpr_store::NewUser;
use serde_json::{Value, json};

use super::flows::{self, AREA, CONSULTATION, FOCAL, PASSWORD, SECRETARIAT, SECTION};
use super::webdriver::Browser;
use super::{Site, axe_source, axe_violations};

const SUMMARY: &str = "[name='a.gi_executive_summary']";

/// A site with a 2028 cycle for Azerbaijan opened by the Secretariat and its focal point named
/// and signed in, all through the pages.
pub(super) struct Team {
    pub(super) site: Site,
    pub(super) focal: Browser,
}

impl Team {
    pub(super) fn start() -> Team {
        Team::start_with(Browser::start())
    }

    /// The team, with the focal point in `focal` (a browser with or without JavaScript).
    pub(super) fn start_with(focal: Browser) -> Team {
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
    pub(super) fn draft(&self) -> ReportDocument {
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
pub(super) fn secretariat_link(site: &Site) -> String {
    site.runtime.block_on(async {
        let user =
            NewUser { email: SECRETARIAT, display_name: "Sara Secretariat", password_hash: None, is_secretariat: true };
        let id = site.store.create_user(&user, "test").await.unwrap();
        qpr_workflow::first_password_link(&site.store, &site.base(), id).await.unwrap()
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
    assert!(
        text.contains("Alpha: two meetings.") && text.contains("Beta: three meetings."),
        "both values shown: {text}"
    );
    let said = second.execute("return document.getElementById('save-state').dataset.conflict;");
    assert_eq!(save_state(&second), said.as_str().unwrap());
    assert_eq!(
        team.draft().answer("gi_consultation_process"),
        Some(&json!("Alpha: two meetings.")),
        "nothing was overwritten"
    );
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
    second.wait_until("the first person's text on the second page", || {
        (second.value(CONSULTATION) == "Written by the first.").then_some(())
    });
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
    flows::save_page(focal);
    assert_eq!(team.draft().answer("gi_consultation_process"), Some(&json!("Saved by a plain form.")));

    flows::add_measure(focal, &team.site.url(AREA), "Support for music festivals");
    flows::add_partners(focal, &["Baku Jazz Centre", "Union of Composers"]);
    let draft = team.draft();
    assert_eq!(draft.policy_measures.len(), 1, "one measure");
    let measure = serde_json::to_value(&draft.policy_measures[0]).unwrap();
    let text = measure.to_string();
    for expected in ["Support for music festivals", "Baku Jazz Centre", "Union of Composers"] {
        assert!(text.contains(expected), "{expected} saved in {measure}");
    }
    assert_eq!(
        draft.answer("gi_consultation_process"),
        Some(&json!("Saved by a plain form.")),
        "the earlier save is kept"
    );
}

/// Opens `path` in English, then in French, and returns what axe-core finds on each, one line
/// per element, naming the page and the language.
fn axe_in_both_languages(site: &Site, browser: &Browser, axe: &str, path: &str) -> Vec<String> {
    let mut violations = Vec::new();
    for lang in ["en", "fr"] {
        let separator = if path.contains('?') { '&' } else { '?' };
        let url = site.url(&format!("{path}{separator}lang={lang}"));
        browser.goto(&url);
        assert_eq!(browser.execute("return document.documentElement.lang;"), json!(lang), "{url}");
        violations.extend(axe_violations(browser, axe).into_iter().map(|v| format!("{path} ({lang}): {v}")));
    }
    violations
}

#[test]
fn axe_finds_no_violation_on_any_workspace_page_type_in_either_language() {
    let axe = axe_source();
    let site = Site::start();
    let visitor = Browser::start();
    let link = secretariat_link(&site);
    let token_path = link.trim_start_matches(&site.base()).to_owned();
    let mut violations = Vec::new();
    let mut check =
        |browser: &Browser, path: &str| violations.extend(axe_in_both_languages(&site, browser, &axe, path));
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
    flows::save_page(&focal);
    for path in ["/app", "/app/reports/AZE/2028", AREA, SECTION, "/app/reports/AZE/2028/submit", "/app/account"] {
        check(&focal, path);
    }

    // Every required question answered, signed and submitted; the Secretariat comments on two fields.
    flows::answer_required(&focal, &site.url("/app/reports/AZE/2028"));
    focal.goto(&site.url("/app/reports/AZE/2028/submit"));
    flows::sign(&focal, PASSWORD);
    focal.wait_until("the review page after signing", || focal.url().contains("/review").then_some(()));
    secretariat.goto(&site.url("/app/reports/AZE/2028/review"));
    flows::comment(&secretariat, "answers.gi_consultation_process", "Which CSOs?");
    flows::comment(&secretariat, "answers.gi_ratification_date", "Please give the date.");
    let revisions = site.runtime.block_on(async {
        let report = site.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
        site.store.revisions(report.id).await.unwrap().iter().map(|r| r.id).collect::<Vec<qpr_store::RevisionId>>()
    });
    let (first, last) = (revisions.iter().min().unwrap(), revisions.iter().max().unwrap());
    let compare = format!("/app/reports/AZE/2028/history/compare?from={first}&to={last}");
    for path in ["/app/reports/AZE/2028/review", "/app/reports/AZE/2028/history", compare.as_str(), "/app/cycles/2028"]
    {
        check(&secretariat, path);
    }
    for path in ["/app/reports/AZE/2028/review", SECTION] {
        check(&focal, path);
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}

/// Issue 15: an empty draft cannot be signed. The submit page lists every required question
/// left unanswered, grouped by section, each a link that opens the field on its section page,
/// at a desktop's 1280 px and a phone's 390 px (no sideways scrolling), in English and French,
/// with nothing for axe-core to find; no signing form is offered.
#[test]
fn the_submit_page_lists_the_missing_answers_with_links_to_their_fields() {
    let team = Team::start();
    let (site, focal) = (&team.site, &team.focal);
    let axe = axe_source();
    let required = qpr_domain::Framework::qpr_2020()
        .questions()
        .filter(|(_, q)| {
            q.required
                && q.condition.is_none()
                && q.role.is_none_or(|r| r == qpr_domain::framework::QuestionRole::ExecutiveSummary)
        })
        .count();
    for (lang, first_section, heading) in [
        ("en", "General Information", "required questions to answer before submitting"),
        ("fr", "Informations générales", "questions obligatoires sans réponse avant de soumettre"),
    ] {
        for width in [1280, 390] {
            focal.set_viewport(width, 900);
            focal.goto(&site.url(&format!("/app/reports/AZE/2028/submit?lang={lang}")));
            let what = format!("{lang} at {width} px");
            assert_eq!(focal.text("#missing-heading"), format!("{required} {heading}"), "{what}");
            let sections = texts(focal, ".missing-answers h3");
            assert_eq!(sections.first().map(String::as_str), Some(first_section), "{what}: {sections:?}");
            assert!(sections.len() >= 10, "grouped by section ({what}): {sections:?}");
            assert_eq!(focal.find_all(".missing-answers li a").len(), required, "{what}");
            assert!(focal.try_find("#password").is_none(), "no signing form ({what})");
            let overflow = focal.sideways_scroll();
            assert!(overflow <= 0, "sideways scrolling of {overflow} px ({what})");
            let violations = axe_violations(focal, &axe);
            assert!(violations.is_empty(), "axe-core ({what}):\n{}", violations.join("\n"));

            // A link opens its section with the field in view.
            let link = focal
                .find_all(".missing-answers li a")
                .into_iter()
                .find(|a| focal.attribute(a, "href").is_some_and(|h| h.contains("#f-a.g1_ccs_ministry-field")))
                .unwrap_or_else(|| panic!("no link to the first question of Cultural and Creative Sectors ({what})"));
            focal.click_element(&link);
            focal.wait_until("the section page", || {
                focal.url().contains("/sections/cultural-creative-sectors").then_some(())
            });
            assert!(focal.url().contains(&format!("lang={lang}")), "{what}: {}", focal.url());
            let target = focal.execute(
                "const field = document.getElementById('f-a.g1_ccs_ministry-field');
                 return [location.hash, field !== null && field.contains(document.querySelector(':target'))];",
            );
            assert_eq!(target, json!(["#f-a.g1_ccs_ministry-field", true]), "the link targets the field ({what})");
        }
    }
}

/// Azerbaijan's 2028 report in the workspace.
const REPORT: &str = "/app/reports/AZE/2028";
/// Its civil society page: invitations, submitted measures, decisions.
const CSO_PAGE: &str = "/app/reports/AZE/2028/cso";
/// Its annexes.
const ANNEXES: &str = "/app/reports/AZE/2028/annexes";
/// The editing page of the CSO measures of the report.
const CSO_MEASURES: &str = "/app/reports/AZE/2028/sections/cso-measures";
/// The CSO of the journey, its address, and the measure it reports.
const CSO: &str = "Union of Composers";
const CSO_EMAIL: &str = "union@composers.az";
const CSO_TITLE: &str = "Music camps for young composers";
const CSO_DESCRIPTION: &str = "Summer camps in five regions, with concerts of the works written there.";
/// A contributor of Azerbaijan, given one section.
const CONTRIBUTOR: &str = "kamal@culture.gov.az";

/// The texts of the elements a CSS selector finds, read in one script.
fn texts(browser: &Browser, selector: &str) -> Vec<String> {
    let found =
        browser.execute(&format!("return [...document.querySelectorAll({selector:?})].map(e => e.innerText.trim());"));
    found.as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect()
}

/// Issue 6 in Chromium, all through the pages: the focal point drafts (general information, a
/// measure with two partners), invites a CSO and a contributor given one section; the CSO fills
/// its form through its link in a browser without JavaScript (no account), comes back, submits;
/// the focal point includes its measure, which the report's document then holds.
#[test]
fn the_focal_point_drafts_with_a_contributor_and_a_cso_whose_measure_joins_the_report() {
    let team = Team::start();
    let (site, focal) = (&team.site, &team.focal);

    focal.goto(&site.url(SECTION));
    focal.type_into(CONSULTATION, "Ministries and CSOs met twice in Baku.");
    flows::save_page(focal);
    flows::add_measure(focal, &site.url(AREA), "Support for music festivals");
    flows::add_partners(focal, &["Baku Jazz Centre", "Union of Composers"]);
    let draft = team.draft();
    assert_eq!(draft.answer("gi_consultation_process"), Some(&json!("Ministries and CSOs met twice in Baku.")));
    assert_eq!(draft.policy_measures.len(), 1, "one measure");
    let measure = serde_json::to_value(&draft.policy_measures[0]).unwrap().to_string();
    for expected in ["Support for music festivals", "Baku Jazz Centre", "Union of Composers"] {
        assert!(measure.contains(expected), "{expected} saved in {measure}");
    }

    // The CSO's link: shown once on the page, and the same in its e-mail.
    let link = flows::invite_cso(focal, &site.url(CSO_PAGE), CSO, Some(CSO_EMAIL));
    assert!(link.starts_with(&site.url("/cso/")), "{link}");
    assert_eq!(flows::mailed_link(&site.mail, CSO_EMAIL, &site.url("/cso/")), link, "the e-mail carries the link");
    focal.goto(&site.url(CSO_PAGE));
    assert!(focal.try_find("#cso-link").is_none(), "the link is shown only once");

    // The contributor: from the e-mail's link to a workspace showing their one section.
    flows::invite_contributor(focal, &site.url(REPORT), CONTRIBUTOR, "Kamal Aliyev", "digital_environment");
    let contributor = Browser::start();
    flows::choose_password(&contributor, &flows::mailed_link(&site.mail, CONTRIBUTOR, &site.url("/password/")));
    flows::log_in(&contributor, &site.base(), CONTRIBUTOR);
    contributor.goto(&site.url(REPORT));
    assert_eq!(texts(&contributor, "section[aria-labelledby=sections-heading] tbody a"), ["Digital Environment"]);
    contributor.goto(&site.url("/app/reports/AZE/2028/sections/digital-environment"));
    assert_eq!(
        texts(&contributor, "nav.toc ol a"),
        ["Digital Environment"],
        "the section menu lists only their section"
    );
    assert!(contributor.try_find("form.editor fieldset.plain:not([disabled])").is_some(), "they can edit it");
    for other in [SECTION, AREA, CSO_PAGE] {
        contributor.goto(&site.url(other));
        assert!(
            contributor.try_find("form.editor").is_none() && contributor.try_find("#cso-organization").is_none(),
            "{other}"
        );
    }

    // The CSO, in a browser without JavaScript (the form page has no script anyway).
    let cso = Browser::start_without_javascript();
    cso.goto(&link);
    assert_eq!(cso.execute("return document.scripts.length;"), json!(0), "the CSO form has no script");
    cso.fill("[name='a.cso_org_name']", CSO);
    flows::add_cso_measure(&cso, 1, CSO_TITLE, CSO_DESCRIPTION);
    focal.goto(&site.url(CSO_PAGE));
    assert!(focal.find_all("article.invitation tbody tr").is_empty(), "nothing to decide before the CSO submits");
    // Back later through the same link: everything is there.
    cso.goto(&site.url("/"));
    cso.goto(&link);
    assert_eq!(cso.value("[name='a.cso_org_name']"), CSO);
    assert_eq!(cso.value("fieldset.edit-record [name$='.title']"), CSO_TITLE);
    assert_eq!(cso.value("fieldset.edit-record [name$='.description']"), CSO_DESCRIPTION);
    cso.goto(&site.url(REPORT));
    assert!(cso.url().contains("/login"), "the link is no workspace account: {}", cso.url());
    cso.goto(&link);
    flows::submit_cso_form(&cso);
    assert!(cso.try_find("form.editor .actions").is_none(), "a submitted form has nothing left to press");
    assert_eq!(cso.value("fieldset.edit-record [name$='.title']"), CSO_TITLE, "and still shows what was sent");

    // The focal point includes the measure.
    focal.goto(&site.url(CSO_PAGE));
    let row = focal.text("article.invitation tbody tr");
    assert!(row.contains(CSO_TITLE) && row.contains(CSO_DESCRIPTION), "{row}");
    assert!(focal.text("main .figures").contains("0 / 1 (0 %)"));
    flows::decide_cso_measure(focal, CSO_TITLE, true);
    focal.wait_for_text("main .figures", "1 / 1 (100 %)");

    focal.goto(&site.url("/api/v1/drafts/AZE/2028"));
    let reply: Value = serde_json::from_str(&focal.text("pre")).unwrap();
    let document = &reply["document"];
    let included = document["cso_measures"].as_array().unwrap();
    assert_eq!(included.len(), 1, "{document}");
    assert_eq!(
        (&included[0]["title"], &included[0]["description"], &included[0]["goal"]),
        (&json!(CSO_TITLE), &json!(CSO_DESCRIPTION), &json!(1))
    );
    assert_eq!(document["policy_measures"].as_array().map(Vec::len), Some(1), "the focal point's measure is kept");
    assert_eq!(document["answers"]["gi_consultation_process"], "Ministries and CSOs met twice in Baku.");
    focal.goto(&site.url(CSO_MEASURES));
    assert_eq!(focal.value("fieldset.edit-record [name$='.title']"), CSO_TITLE, "the CSO measures page shows it");
}

/// axe-core on the pages of CSO input and annexes in both languages, in each of their states:
/// the CSO page with a new link, an invitation and a submitted measure (to decide, then
/// included); the CSO form empty, with a measure missing its title (findings shown), with a
/// measure, and submitted; the annexes page empty, with an uploaded PDF, and refusing a file
/// that is no PDF.
#[test]
fn axe_finds_no_violation_on_the_cso_and_annexes_pages_in_either_language() {
    let axe = axe_source();
    let team = Team::start();
    let (site, focal) = (&team.site, &team.focal);
    let mut violations = Vec::new();
    let here = |browser: &Browser, what: &str| {
        axe_violations(browser, &axe).into_iter().map(move |v| format!("{what}: {v}")).collect::<Vec<_>>()
    };

    check_pages(site, focal, &axe, &mut violations, &[CSO_PAGE, ANNEXES]);
    let link = flows::invite_cso(focal, &site.url(CSO_PAGE), CSO, Some(CSO_EMAIL));
    violations.extend(here(focal, "the CSO page showing a new link (en)"));
    flows::invite_cso(focal, &site.url(&format!("{CSO_PAGE}?lang=fr")), "Réseau des théâtres", None);
    violations.extend(here(focal, "the CSO page showing a new link (fr)"));

    let form = link.trim_start_matches(&site.base()).to_owned();
    let cso = Browser::start();
    check_pages(site, &cso, &axe, &mut violations, &[&form]);
    cso.goto(&link);
    flows::add_cso_record(&cso, 3);
    let landed = cso.execute(
        "const id = location.hash.slice(1), records = document.querySelectorAll('details.record-item');
         const last = records[records.length - 1];
         return id !== '' && last.contains(document.getElementById(id)) && last.open;",
    );
    assert_eq!(landed, json!(true), "the page comes back at the new measure, open: {}", cso.url());
    // Issue 15: a measure just added, nothing typed in it yet, does not shout what it lacks.
    assert!(cso.try_find("fieldset.edit-record .findings").is_none(), "a new, blank measure shows no finding yet");
    check_pages(site, &cso, &axe, &mut violations, &[&form]);
    cso.goto(&link);
    flows::add_cso_measure(&cso, 2, CSO_TITLE, CSO_DESCRIPTION);
    violations.extend(here(&cso, "the CSO form just saved"));
    check_pages(site, &cso, &axe, &mut violations, &[&form]);
    cso.goto(&link);
    flows::submit_cso_form(&cso);
    check_pages(site, &cso, &axe, &mut violations, &[&form]);

    check_pages(site, focal, &axe, &mut violations, &[CSO_PAGE]);
    focal.goto(&site.url(CSO_PAGE));
    flows::decide_cso_measure(focal, CSO_TITLE, true);
    check_pages(site, focal, &axe, &mut violations, &[CSO_PAGE]);

    let files = tempfile::tempdir().unwrap();
    let pdf = files.path().join("law-on-culture.pdf");
    std::fs::write(&pdf, crate::support::pdf::pdf("Law on Culture")).unwrap();
    flows::upload_annex(focal, &site.url(ANNEXES), &pdf, "Law on Culture (2023)", "The law of 2023 on culture.");
    violations.extend(here(focal, "the annexes page after an upload"));
    check_pages(site, focal, &axe, &mut violations, &[ANNEXES]);
    let text = files.path().join("notes.pdf");
    std::fs::write(&text, "Not a PDF at all.").unwrap();
    focal.goto(&site.url(ANNEXES));
    focal.type_into("#annex-file", &text.display().to_string());
    focal.fill("#annex-title", "Notes");
    focal.fill("#annex-description", "Notes.");
    focal.click("form[enctype='multipart/form-data'] button[type=submit]");
    focal.wait_for("#annex-error");
    violations.extend(here(focal, "the annexes page refusing a file"));
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}

/// Adds what axe-core finds on each page of `paths`, in English and in French.
fn check_pages(site: &Site, browser: &Browser, axe: &str, violations: &mut Vec<String>, paths: &[&str]) {
    for path in paths {
        violations.extend(axe_in_both_languages(site, browser, axe, path));
    }
}
