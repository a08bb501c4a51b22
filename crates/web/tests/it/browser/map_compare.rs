//! The world map and the comparison of Parties in Chromium without JavaScript: a Party on the
//! map is a link a click follows, the pages fit a 390 px screen (the map scales, the
//! comparison's tables scroll inside their own region), and axe-core finds nothing, in English
//! and in French.

use qpr_domain::ReportDocument;
use qpr_domain::countries::Iso3;
use qpr_domain::document::PartyRef;

use super::webdriver::Browser;
use super::{Site, axe_source, axe_violations};

#[test]
fn the_map_and_the_comparison_work_without_script_on_a_phone_and_pass_axe() {
    let site = Site::start();
    let mut germany = site.document.clone();
    germany.party = PartyRef { name: "Germany".into(), iso3: Some(Iso3::parse("DEU").unwrap()) };
    germany.year = 2017;
    let eu = ReportDocument::new(
        "qpr-2020",
        PartyRef { name: "European Union".into(), iso3: Some(Iso3::parse("EUE").unwrap()) },
        2021,
    );
    site.runtime.block_on(async {
        site.store.publish(&germany, "test").await.unwrap();
        site.store.publish(&eu, "test").await.unwrap();
    });
    let axe = axe_source();
    let browser = Browser::start_without_javascript();
    browser.goto(&site.url("/indicators/map"));
    assert_eq!(browser.execute("return document.scripts.length;"), serde_json::json!(0), "the map has no script");
    // A Party on the map is a link: a click opens its page (or its report of the cycle).
    browser.click_and_load(r#"svg.world-map a[href="/parties/BRA"]"#);
    assert!(browser.url().ends_with("/parties/BRA"), "{}", browser.url());
    browser.goto(&site.url("/indicators/map?cycle=2016-2019"));
    browser.click_and_load(r#"svg.world-map a[href="/reports/DEU/2017"]"#);
    assert!(browser.url().ends_with("/reports/DEU/2017"), "{}", browser.url());
    // The form chooses another cycle.
    browser.goto(&site.url("/indicators/map?lang=fr"));
    browser.execute("document.querySelector('#map-cycle').value = '2016-2019';");
    browser.click_and_load(".inline-form button[type=submit]");
    assert!(browser.url().contains("cycle=2016-2019") && browser.url().contains("lang=fr"), "{}", browser.url());
    assert!(browser.try_find(r#"svg.world-map a[href="/reports/DEU/2017?lang=fr"]"#).is_some());
    let pages = [
        "/indicators/map",
        "/indicators/map?cycle=2016-2019",
        "/indicators/map?cycle=1999",
        "/compare",
        "/compare?party=AZE&party=DEU&party=EUE",
        "/compare?party=AZE",
    ];
    // axe-core runs as the page's script, in a browser that runs scripts.
    let browser = Browser::start();
    let mut violations = Vec::new();
    let mut problems = Vec::new();
    for (width, height) in [(1280, 900), (390, 844)] {
        browser.set_viewport(width, height);
        for page in pages {
            for lang in ["en", "fr"] {
                let separator = if page.contains('?') { '&' } else { '?' };
                let path = format!("{page}{separator}lang={lang}");
                browser.goto(&site.url(&path));
                let geometry = browser.execute(
                    "const map = document.querySelector('svg.world-map');
                     const tables = [...document.querySelectorAll('.table-scroll')];
                     return { width: window.innerWidth, scroll: document.documentElement.scrollWidth,
                              map: map ? map.getBoundingClientRect().width : 0,
                              regions: tables.map(t => t.getBoundingClientRect().right) };",
                );
                let (inner, scroll) = (geometry["width"].as_f64().unwrap(), geometry["scroll"].as_f64().unwrap());
                if scroll > inner {
                    problems.push(format!("{path} ({width}): scrolls sideways ({scroll} px for {inner} px)"));
                }
                if page.starts_with("/indicators/map") && !(100.0..=inner).contains(&geometry["map"].as_f64().unwrap())
                {
                    problems.push(format!("{path} ({width}): the map does not fit: {geometry}"));
                }
                if geometry["regions"].as_array().unwrap().iter().any(|r| r.as_f64().unwrap() > inner) {
                    problems.push(format!("{path} ({width}): a table region is wider than the screen: {geometry}"));
                }
                violations.extend(axe_violations(&browser, &axe).into_iter().map(|v| format!("{path} ({width}): {v}")));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
