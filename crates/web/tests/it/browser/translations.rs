//! Issue 19: the Secretariat's translation of a report's executive summary in Chromium, at 1280
//! and at 390 px: the review page's form (a plain post, no script) attaches a French
//! translation of the published Azerbaijan 2022 report, a too-long text is refused with the
//! reason beside the form and the text kept; French readers of the public page see the
//! translation marked as the Secretariat's, in `lang="fr"`, above the report whose text stays
//! the original; nothing sideways at 390 px; axe-core finds nothing on the form and the public
//! page in either language.

use serde_json::{Value, json};

use super::flows::{self, SECRETARIAT};
use super::webdriver::Browser;
use super::workspace::secretariat_link;
use super::{Site, axe_source, axe_violations};

const REVIEW: &str = "/app/reports/AZE/2022/review";

/// How many pixels the page scrolls sideways.
fn overflow(browser: &Browser) -> i64 {
    let value: Value =
        browser.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    value.as_i64().unwrap()
}

#[test]
fn the_secretariat_attaches_a_translation_that_french_readers_see_at_1280_and_390_px() {
    let axe = axe_source();
    let site = Site::start();
    let secretariat = Browser::start();
    flows::choose_password(&secretariat, &secretariat_link(&site));
    flows::log_in(&secretariat, &site.base(), SECRETARIAT);
    let mut violations = Vec::new();

    for width in [1280, 390] {
        secretariat.set_viewport(width, 900);
        for lang in ["en", "fr"] {
            secretariat.goto(&site.url(&format!("{REVIEW}?lang={lang}")));
            secretariat.wait_for("#translation-text-fr");
            violations
                .extend(axe_violations(&secretariat, &axe).into_iter().map(|v| format!("form {width} {lang}: {v}")));
            assert!(overflow(&secretariat) <= 0, "{width} px: the review page scrolls sideways");
        }

        // Too long: refused beside the form, the text kept.
        secretariat.goto(&site.url(&format!("{REVIEW}?lang=fr")));
        let long = "a".repeat(20_001);
        secretariat.execute(&format!("document.querySelector('#translation-text-fr').value = '{long}';"));
        secretariat.click_and_load("#translation-fr form.stacked button[type=submit]");
        let problem = secretariat.wait_for_text("#translation-error-fr", "20 000");
        assert!(problem.contains("ce texte en a 20001"), "{problem}");
        assert_eq!(secretariat.value("#translation-text-fr").len(), 20_001, "the text typed is kept");
        violations.extend(axe_violations(&secretariat, &axe).into_iter().map(|v| format!("refusal {width}: {v}")));

        // Attached (or replaced) through the plain form.
        let text = format!("Traduction à {width} px : <b>texte</b> du Secrétariat.");
        secretariat.clear("#translation-text-fr");
        secretariat.type_into("#translation-text-fr", &text);
        secretariat.click_and_load("#translation-fr form.stacked button[type=submit]");
        secretariat.wait_until("back on the review page at the form", || {
            secretariat.url().ends_with("#translation-fr").then_some(())
        });
        assert!(secretariat.text("#translation-fr").contains("Jointe par"), "attached");

        // French readers see it, marked, above the report; the report's text is the original.
        let reader = Browser::start();
        reader.set_viewport(width, 900);
        reader.wait_until("the public page with the translation", || {
            reader.goto(&site.url("/reports/AZE/2022?lang=fr"));
            reader.try_find("section.summary-translation").filter(|_| reader.page_text().contains(&text)).map(|_| ())
        });
        assert_eq!(reader.execute("return document.querySelector('section.summary-translation').lang;"), json!("fr"));
        let section = reader.text("section.summary-translation");
        assert!(section.contains("Traduction du Secrétariat de l’UNESCO") && section.contains(&text), "{section}");
        assert!(reader.try_find("section.summary-translation b").is_none(), "typed markup is text");
        let main: Value = reader.execute("return document.querySelector('main').innerText;");
        assert!(!main.as_str().unwrap().contains("Traduction à"), "the report's text stays the original");
        assert!(main.as_str().unwrap().contains("Executive summary") || main.as_str().unwrap().contains("Résumé"));
        assert!(overflow(&reader) <= 0, "{width} px: the public page scrolls sideways");
        violations.extend(axe_violations(&reader, &axe).into_iter().map(|v| format!("public {width} fr: {v}")));
        reader.goto(&site.url("/reports/AZE/2022?lang=en"));
        assert!(reader.try_find("section.summary-translation").is_none(), "no English translation");
        violations.extend(axe_violations(&reader, &axe).into_iter().map(|v| format!("public {width} en: {v}")));
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
