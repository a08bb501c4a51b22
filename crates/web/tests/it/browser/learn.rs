//! Policy learning pages in Chromium: a measure's similar measures of other Parties and its
//! timeline, and what changed between two reports of a Party, in both languages, at desktop
//! and phone widths, with axe-core finding nothing.

use super::webdriver::Browser;
use super::{Site, axe_source, axe_violations};

#[test]
fn similar_measures_timeline_and_changes_pages_work_and_axe_finds_nothing() {
    let (demo, mut others) = crate::measures::cinema_reports();
    others.push(crate::measures::earlier_report(&demo));
    let site = Site::start_with(&others);
    let axe = axe_source();
    let browser = Browser::start();
    let policy = &site.document.policy_measures[0].id;
    let mut violations = Vec::new();
    for lang in ["en", "fr"] {
        for width in [1280, 390] {
            browser.set_viewport(width, 900);
            let path = format!("/measures/AZE/2022/{policy}?lang={lang}");
            browser.goto(&site.url(&path));
            let items = browser.find_all(".similar-list > li");
            assert!(items.len() >= 2, "{path}: {} similar measures", items.len());
            let first_two: Vec<String> = items[..2].iter().map(|i| browser.element_text(i)).collect();
            assert!(first_two.iter().any(|t| t.contains("cinématographie nationale")), "{path}: {first_two:?}");
            assert!(first_two.iter().any(|t| t.contains("national cinematography")), "{path}: {first_two:?}");
            let steps = browser.find_all(".timeline-list > li");
            assert_eq!(steps.len(), 2, "{path}: the 2018 report's version and this one");
            assert!(browser.element_text(&steps[0]).starts_with("2018"), "{path}");
            let mut pages = vec![path];
            for page in ["/parties/AZE/changes", "/parties/AZE/changes?to=2018"] {
                pages.push(format!("{page}{}lang={lang}", if page.contains('?') { '&' } else { '?' }));
            }
            for (n, path) in pages.iter().enumerate() {
                if n > 0 {
                    browser.goto(&site.url(path));
                }
                let overflow = browser.execute("return document.documentElement.scrollWidth > window.innerWidth;");
                assert_eq!(overflow, serde_json::json!(false), "{path} overflows at {width} px");
                violations.extend(axe_violations(&browser, &axe).into_iter().map(|v| format!("{path} ({width}): {v}")));
            }
            assert!(browser.try_find("#first-report").is_some(), "the 2018 report is the first");
        }
    }
    // The form picks another comparison without JavaScript.
    browser.goto(&site.url("/parties/AZE/changes?to=2018"));
    browser.click_and_load("form.filters button[type=submit]");
    assert!(browser.url().contains("to=2018"), "{}", browser.url());
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
