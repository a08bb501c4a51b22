//! Policy learning pages in Chromium: a measure's similar measures of other Parties, in both
//! languages, at desktop and phone widths, with axe-core finding nothing.

use super::webdriver::Browser;
use super::{Site, axe_source, axe_violations};

#[test]
fn similar_measures_show_on_the_measure_page_and_axe_finds_nothing() {
    let (_, others) = crate::measures::cinema_reports();
    let site = Site::start_with(others);
    let axe = axe_source();
    let browser = Browser::start();
    let policy = &site.document.policy_measures[0].id;
    let mut violations = Vec::new();
    for lang in ["en", "fr"] {
        let path = format!("/measures/AZE/2022/{policy}?lang={lang}");
        for width in [1280, 390] {
            browser.set_viewport(width, 900);
            browser.goto(&site.url(&path));
            let items = browser.find_all(".similar-list > li");
            assert!(items.len() >= 2, "{path}: {} similar measures", items.len());
            let first_two: Vec<String> = items[..2].iter().map(|i| browser.element_text(i)).collect();
            assert!(first_two.iter().any(|t| t.contains("cinématographie nationale")), "{path}: {first_two:?}");
            assert!(first_two.iter().any(|t| t.contains("national cinematography")), "{path}: {first_two:?}");
            let overflow = browser.execute("return document.documentElement.scrollWidth > window.innerWidth;");
            assert_eq!(overflow, serde_json::json!(false), "{path} overflows at {width} px");
            violations.extend(axe_violations(&browser, &axe).into_iter().map(|v| format!("{path} ({width}): {v}")));
        }
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
