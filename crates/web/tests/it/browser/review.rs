//! The Secretariat's review page in Chromium (a page without script: its Content-Security-Policy
//! allows none, so what works here works without JavaScript), at 1280 and at 390 px: a
//! comment form opens in place beside its field and the post brings the reader back to the
//! thread, in view; Accept, Publish and Withdraw cannot be pressed without ticking "I confirm", and a post
//! without it (the box's `required` taken away) gets the confirmation page and changes nothing;
//! axe-core finds nothing on the review and confirmation pages in either language.

use qpr_store::ReportState;
use serde_json::json;

use super::flows::{self, CONSULTATION, FOCAL, PASSWORD, SECRETARIAT, SECTION};
use super::webdriver::Browser;
use super::workspace::secretariat_link;
use super::{Site, axe_source, axe_violations};

const REVIEW: &str = "/app/reports/AZE/2028/review";

/// The state of Azerbaijan's 2028 report in the database.
fn state(site: &Site) -> ReportState {
    site.runtime.block_on(async { site.store.report_by_key("AZE", 2028).await.unwrap().unwrap().state })
}

/// Whether the element `selector` is in the viewport (its top between the top and the bottom
/// of the window) and within its width, give or take the pixel a scroll to an anchor rounds.
fn in_view(browser: &Browser, selector: &str) -> bool {
    let script = format!(
        "const r = document.querySelector('{selector}').getBoundingClientRect();
         return r.top > -1 && r.top < window.innerHeight && r.left > -1 && r.right < window.innerWidth + 1;"
    );
    browser.execute(&script) == json!(true)
}

/// axe-core on the current page's address in English and in French.
fn axe_both(site: &Site, browser: &Browser, axe: &str, path: &str) -> Vec<String> {
    let mut found = Vec::new();
    for lang in ["en", "fr"] {
        let separator = if path.contains('?') { '&' } else { '?' };
        browser.goto(&site.url(&format!("{path}{separator}lang={lang}")));
        found.extend(axe_violations(browser, axe).into_iter().map(|v| format!("{path} ({lang}): {v}")));
    }
    found
}

#[test]
fn the_review_page_comments_in_place_and_confirms_decisions_at_1280_and_390_px() {
    let axe = axe_source();
    let site = Site::start();
    let secretariat = Browser::start();
    flows::choose_password(&secretariat, &secretariat_link(&site));
    flows::log_in(&secretariat, &site.base(), SECRETARIAT);
    flows::open_cycle(&secretariat, &site.base(), 2028, "2028-04-30", "AZE");
    flows::name_focal_point(&secretariat, &site.base(), 2028, "AZE", FOCAL, "Leyla Mammadova");
    let focal = Browser::start();
    flows::choose_password(&focal, &flows::mailed_link(&site.mail, FOCAL, "http://"));
    flows::log_in(&focal, &site.base(), FOCAL);
    focal.goto(&site.url(SECTION));
    focal.type_into(CONSULTATION, "Ministries and CSOs met twice.");
    flows::save_page(&focal);
    flows::answer_required(&focal, &site.url("/app/reports/AZE/2028"));
    focal.goto(&site.url("/app/reports/AZE/2028/submit"));
    flows::sign(&focal, PASSWORD);
    focal.wait_until("the review page after signing", || focal.url().contains("/review").then_some(()));

    let mut violations = Vec::new();
    for (width, field, decision) in
        [(1280, "answers.gi_consultation_process", "accept"), (390, "answers.gi_ratification_date", "publish")]
    {
        secretariat.set_viewport(width, 900);
        secretariat.goto(&site.url(REVIEW));
        assert_eq!(secretariat.execute("return window.innerWidth;"), json!(width), "the viewport is {width} px");

        // The contents and the summary of open comments lead to the sections and threads.
        assert!(secretariat.try_find("nav.toc a[href='#general_information']").is_some(), "{width}: contents");
        assert!(secretariat.try_find("#open-heading").is_some(), "{width}: open comments");

        // A comment opens in place, below its field, and the post comes back to the thread.
        let id = field.split_once('.').unwrap().1;
        let form = format!("#new-comment-{id}");
        assert_eq!(secretariat.execute(&format!("return document.querySelector('{form}').open;")), json!(false));
        let body = format!("Checked at {width} px: please say more.");
        flows::comment(&secretariat, field, &body);
        let thread = secretariat.url().rsplit_once('#').unwrap().1.to_owned();
        let rect = secretariat.execute(&format!(
            "const r = document.getElementById('{thread}').getBoundingClientRect();
             return [r.top, r.left, r.right, window.innerWidth, window.innerHeight, window.scrollY];"
        ));
        assert!(in_view(&secretariat, &format!("#{thread}")), "{width}: the new thread is in view: {rect}");
        assert!(secretariat.text(&format!("#{thread}")).contains(&body));
        assert!(
            secretariat.execute(&format!(
                "return document.getElementById('{thread}').compareDocumentPosition(document.getElementById('{id}'));"
            )) == json!(2),
            "{width}: the thread follows its field"
        );
        violations.extend(axe_both(&site, &secretariat, &axe, REVIEW));

        let expected = if decision == "accept" { ReportState::Accepted } else { ReportState::Published };
        violations.extend(confirmed_decision(&site, &secretariat, &axe, (width, decision, expected)));
    }
    // Withdrawing a published report asks for the same confirmation (back to accepted).
    violations.extend(confirmed_decision(&site, &secretariat, &axe, (1280, "withdraw", ReportState::Accepted)));
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}

/// Takes `decision` on the review page as the Secretariat at `width`: it cannot be pressed
/// without "I confirm" (the browser keeps the form); posted without it all the same, the server
/// refuses and asks for the confirmation, changing nothing; confirmed, the report moves to
/// `expected`. Returns what axe-core finds on the refusal page at 390 px.
fn confirmed_decision(
    site: &Site,
    secretariat: &Browser,
    axe: &str,
    (width, decision, expected): (u32, &str, ReportState),
) -> Vec<String> {
    let mut violations = Vec::new();
    secretariat.set_viewport(width, 900);
    secretariat.goto(&site.url(REVIEW));
    let button = format!("form:has(input[name=decision][value={decision}]) button[type=submit]");
    let before = state(site);
    secretariat.click(&button);
    assert_eq!(state(site), before, "{width}: nothing decided without the box ticked");
    assert!(secretariat.url().ends_with(REVIEW), "{width}: still on the review page");
    // Posted without it all the same (the box's check taken away): the server refuses, and
    // its page asks for the confirmation.
    secretariat.execute(&format!("document.getElementById('confirm-{decision}').required = false;"));
    secretariat.click_and_load(&button);
    assert!(secretariat.page_text().contains("Confirm the decision first"), "{}", secretariat.page_text());
    assert_eq!(state(site), before, "{width}: the refused post changed nothing");
    assert!(in_view(secretariat, &format!("#confirm-{decision}")), "{width}: the box fits the page");
    if width == 390 {
        let refused = secretariat.execute("return document.documentElement.outerHTML;");
        assert!(refused.as_str().unwrap().contains("error-summary"));
        violations.extend(axe_violations(secretariat, axe).into_iter().map(|v| format!("confirm page: {v}")));
    }
    secretariat.click(&format!("#confirm-{decision}"));
    secretariat.click_and_load("form.decision button[type=submit]");
    secretariat.wait_until(&format!("the report after {decision}"), || (state(site) == expected).then_some(()));
    violations
}

/// Issue 15: after "changes requested", the focal point's overview shows the Secretariat's
/// message and the open comments per section, each count a link to the review page's section;
/// at 1280 and 390 px (no sideways scrolling), in English and French, with nothing for axe-core
/// to find; the e-mail's link leads to the comments (through the login page when signed out).
/// Changed and signed again, the review page shows what changed since, word by word, and has
/// "back to top"; the history's comparison names fields by their labels (points 8 and 10).
#[test]
fn the_overview_of_a_returned_report_shows_the_request_and_its_comments() {
    const OVERVIEW: &str = "/app/reports/AZE/2028";
    let axe = axe_source();
    let site = Site::start();
    let secretariat = Browser::start();
    flows::choose_password(&secretariat, &secretariat_link(&site));
    flows::log_in(&secretariat, &site.base(), SECRETARIAT);
    flows::open_cycle(&secretariat, &site.base(), 2028, "2028-04-30", "AZE");
    flows::name_focal_point(&secretariat, &site.base(), 2028, "AZE", FOCAL, "Leyla Mammadova");
    let focal = Browser::start();
    flows::choose_password(&focal, &flows::mailed_link(&site.mail, FOCAL, "http://"));
    flows::log_in(&focal, &site.base(), FOCAL);
    focal.goto(&site.url(SECTION));
    focal.type_into(CONSULTATION, "Ministries and CSOs met twice.");
    flows::save_page(&focal);
    flows::answer_required(&focal, &site.url(OVERVIEW));
    focal.goto(&site.url(&format!("{OVERVIEW}/submit")));
    flows::sign(&focal, PASSWORD);
    focal.wait_until("the review page after signing", || focal.url().contains("/review").then_some(()));

    secretariat.goto(&site.url(REVIEW));
    flows::comment(&secretariat, "answers.gi_consultation_process", "Which CSOs <em>exactly</em>?");
    secretariat.goto(&site.url(REVIEW));
    secretariat.type_into("form.decision textarea", "Please name the CSOs <b>consulted</b>.");
    secretariat.click_and_load("form.decision:has(input[name=decision][value=request_changes]) button[type=submit]");
    secretariat.wait_until("changes requested", || (state(&site) == ReportState::ChangesRequested).then_some(()));

    let mut violations = Vec::new();
    for width in [1280, 390] {
        focal.set_viewport(width, 900);
        focal.goto(&site.url(OVERVIEW));
        let returned = focal.text("section.returned");
        assert!(
            returned.contains("Please name the CSOs <b>consulted</b>."),
            "{width}: the message, as text: {returned}"
        );
        assert!(returned.contains("One open comment"), "{width}: {returned}");
        let link = focal.find("table a[href$='/review#general_information']");
        assert_eq!(focal.element_text(&link), "One open comment", "{width}: the section's count");
        let overflow = focal.sideways_scroll();
        assert!(overflow <= 0, "{width}: the overview scrolls sideways by {overflow}");
        violations.extend(axe_both(&site, &focal, &axe, OVERVIEW));
    }
    // The e-mail links to the comments: opened in a browser signed out, it asks to sign in,
    // then shows the review page with the Secretariat's comment.
    let outbox = qpr_mail::Mailer::to_folder("tests <tests@qpr.test>", &site.mail).unwrap().outbox().unwrap();
    let asked = outbox
        .iter()
        .find(|m| m.to == FOCAL && m.subject.contains("changes requested"))
        .unwrap_or_else(|| panic!("no e-mail to {FOCAL} asking for changes"));
    let link = flows::link_in(&asked.body, &site.url(REVIEW));
    let reader = Browser::start();
    reader.set_viewport(390, 844);
    reader.goto(&link);
    assert!(reader.url().contains("/login"), "signed out, the link asks to sign in: {}", reader.url());
    reader.fill("#email", FOCAL);
    reader.fill("#password", PASSWORD);
    reader.click_and_load("main form button[type=submit]");
    reader.wait_until("the review page from the e-mail", || reader.url().contains(REVIEW).then_some(()));
    assert!(reader.page_text().contains("Which CSOs <em>exactly</em>?"), "{}", reader.page_text());
    violations.extend(axe_violations(&reader, &axe).into_iter().map(|v| format!("the mail's link (390): {v}")));

    focal.goto(&site.url(&format!("{OVERVIEW}?lang=fr")));
    assert!(focal.text("section.returned").contains("Un commentaire ouvert"));
    focal.click_and_load("table a[href*='/review'][href$='#general_information']");
    assert!(focal.url().ends_with("/review?lang=fr#general_information"), "{}", focal.url());

    // Point 8: changed and signed again, the review page says what changed since the last
    // submission, word by word, and (a long page) has "back to top".
    focal.goto(&site.url(SECTION));
    focal.clear(CONSULTATION);
    focal.type_into(CONSULTATION, "Ministries, arts unions and CSOs met three times.");
    flows::save_page(&focal);
    focal.goto(&site.url(&format!("{OVERVIEW}/submit")));
    flows::sign(&focal, PASSWORD);
    focal.wait_until("the review page after signing again", || (state(&site) == ReportState::Submitted).then_some(()));
    for width in [1280, 390] {
        secretariat.set_viewport(width, 900);
        for (lang, title) in
            [("en", "What changed since the last submission"), ("fr", "Ce qui a changé depuis la dernière soumission")]
        {
            secretariat.goto(&site.url(&format!("{REVIEW}?lang={lang}")));
            let what = format!("({lang}, {width} px)");
            assert_eq!(secretariat.text("#since-heading"), title, "{what}");
            assert!(secretariat.try_find("nav.toc a[href='#since-heading']").is_some(), "{what}: in the contents");
            let words = secretariat.execute(
                "const s = document.querySelector('section.since');
                 return [[...s.querySelectorAll('del')].map(e => e.innerText).join(' '),
                         [...s.querySelectorAll('ins')].map(e => e.innerText).join(' ')];",
            );
            let (deleted, inserted) = (words[0].as_str().unwrap(), words[1].as_str().unwrap());
            assert!(deleted.contains("twice") && !deleted.contains("Ministries"), "{what}: {words}");
            assert!(inserted.contains("three") && inserted.contains("arts unions"), "{what}: {words}");
            let overflow = secretariat.sideways_scroll();
            assert!(overflow <= 0, "{what}: the review page scrolls sideways by {overflow}");
            violations.extend(axe_violations(&secretariat, &axe).into_iter().map(|v| format!("{REVIEW} {what}: {v}")));
            if width == 390 {
                secretariat.execute("window.scrollTo(0, document.documentElement.scrollHeight);");
                secretariat.click(".back-to-top a[href='#main']");
                let top = secretariat.execute("return document.getElementById('main').getBoundingClientRect().top;");
                assert!(top.as_f64().is_some_and(|t| t.abs() <= 2.0), "{what}: back to top leaves main at {top}");
            }
        }
    }
    // The history's comparison of the two signed revisions: fields by their labels, never by
    // their codes, and the changed words of the long text.
    let signed = site.runtime.block_on(async {
        let report = site.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
        site.store.signatures(report.id).await.unwrap().iter().map(|s| s.revision_id).collect::<Vec<_>>()
    });
    let (first, last) = (signed.iter().min().unwrap(), signed.iter().max().unwrap());
    let compare = format!("{OVERVIEW}/history/compare?from={first}&to={last}");
    for width in [1280, 390] {
        secretariat.set_viewport(width, 900);
        for (lang, label) in [
            ("en", "Describe the multi-stakeholder consultation process"),
            ("fr", "Décrivez le processus de consultation multipartite"),
        ] {
            let what = format!("the comparison ({lang}, {width} px)");
            secretariat.goto(&site.url(&format!("{compare}&lang={lang}")));
            let text = secretariat.text("main");
            assert!(text.contains(label), "{what}: {text}");
            for code in ["gi_consultation_process", "sub_signatory", "policy_measure"] {
                assert!(!text.contains(code), "{what}: the code {code} shown: {text}");
            }
            let inserted = secretariat
                .execute("return [...document.querySelectorAll('main ins')].map(e => e.innerText).join(' ');");
            assert!(inserted.as_str().unwrap().contains("arts unions"), "{what}: {inserted}");
            let overflow = secretariat.sideways_scroll();
            assert!(overflow <= 0, "{what}: scrolls sideways by {overflow}");
            violations.extend(axe_violations(&secretariat, &axe).into_iter().map(|v| format!("{what}: {v}")));
        }
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
