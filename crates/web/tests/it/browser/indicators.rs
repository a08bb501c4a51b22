//! Issue 16: the indicator pages in Chromium, in English and French, at 1280 and 390 px: axe
//! finds nothing, no page scrolls sideways on a phone, no script runs (the filter is a plain
//! form), and each chart is drawn (an SVG with its title) beside its table.

use serde_json::json;

use super::webdriver::Browser;
use super::{Site, axe_source, axe_violations, wait_for_url};

/// The seed report, and two variants of it: France (same cycle) and the European Union.
fn site() -> Site {
    let site = Site::start();
    for (iso3, name, year, yes) in [("FRA", "France", 2021, false), ("EUE", "European Union", 2023, true)] {
        let mut document = site.document.clone();
        document.party = qpr_domain::document::PartyRef {
            name: name.to_owned(),
            iso3: Some(qpr_domain::countries::Iso3::parse(iso3).unwrap()),
        };
        document.year = year;
        document.answers.insert("g1_ccs_ministry".into(), json!(yes));
        document.answers.insert("g1_digital_creativity_competencies".into(), json!(true));
        site.runtime.block_on(site.store.publish(&document, "test")).unwrap();
    }
    site
}

#[test]
fn the_indicator_pages_are_accessible_and_fit_a_phone_in_both_languages() {
    let site = site();
    let axe = axe_source();
    let browser = Browser::start();
    let pages = [
        "/indicators",
        "/indicators?cycle=2020-2023&region=european_union",
        "/indicators?region=mars",
        "/indicators/cultural_creative_sectors",
        "/indicators/media_diversity?region=europe_north_america",
        "/indicators/gender_equality",
        "/parties/FRA",
        "/parties/EUE",
    ];
    let mut violations = Vec::new();
    let mut problems = Vec::new();
    for width in [1280, 390] {
        browser.set_viewport(width, 900);
        for page in pages {
            for lang in ["en", "fr"] {
                let separator = if page.contains('?') { '&' } else { '?' };
                let path = format!("{page}{separator}lang={lang}");
                browser.goto(&site.url(&path));
                assert_eq!(browser.execute("return document.documentElement.lang;"), json!(lang), "{path}");
                assert_eq!(browser.execute("return document.scripts.length;"), json!(0), "{path}: no script");
                if page.starts_with("/indicators/cultural") {
                    // For a person to look at (tests measure geometry, never pixels).
                    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
                    browser.screenshot(&dir.join(format!("indicators-{lang}-{width}.png")));
                }
                let scroll = browser.execute("return [window.innerWidth, document.documentElement.scrollWidth];");
                if scroll[1].as_f64() > scroll[0].as_f64() {
                    problems.push(format!("{path} ({width}): scrolls sideways {scroll}"));
                }
                violations.extend(axe_violations(&browser, &axe).into_iter().map(|v| format!("{path} ({width}): {v}")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));

    // A chart per indicator, drawn with its title, as wide as the screen allows.
    browser.goto(&site.url("/indicators/cultural_creative_sectors"));
    let charts = browser.execute(
        "return [...document.querySelectorAll('svg.chart')].map(s => [s.querySelector('title').textContent,
            s.getBoundingClientRect().width, s.querySelectorAll('rect[fill=\"#0072B2\"]').length]);",
    );
    let charts = charts.as_array().unwrap();
    assert!(charts.len() > 5, "{charts:?}");
    assert!(charts.iter().all(|c| c[1].as_f64().unwrap() > 300.0 && c[2].as_u64().unwrap() >= 2), "{charts:?}");

    // The filter is a plain form: choosing a region reloads the page with it.
    browser.goto(&site.url("/indicators?lang=fr"));
    browser.click("#region option[value='european_union']");
    browser.click(".filters button");
    let url = wait_for_url(&browser, |url| url.contains("region="));
    assert!(url.contains("region=european_union") && url.contains("lang=fr"), "{url}");
    let lead = browser.execute("return document.querySelector('p.lead').innerText;");
    assert!(lead.as_str().unwrap().starts_with("Une Partie a fait rapport en 2020–2023."), "{lead}");
}
