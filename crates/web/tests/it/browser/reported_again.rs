//! Issue 15, points 3 and 4 as a reader sees them, in Chromium at 1280 and 390 px, in English
//! and French, with nothing for axe-core to find and no sideways scrolling. The Party has two
//! published reports holding the same measures: the home page, the Party page and the
//! measure database count each measure once. The imported report says the day it was really
//! submitted, and that it was imported, apart, on its page and in the lists. The measure
//! database's facets name each goal and say how the filters combine (point 11).

use qpr_domain::Framework;
use serde_json::json;

use super::webdriver::Browser;
use super::{SEED, Site, axe_source, axe_violations};

/// The text of `selector` as shown, its white space (line breaks between blocks, the no-break
/// spaces of French punctuation) as single plain spaces.
fn shown(browser: &Browser, selector: &str) -> String {
    browser.text(selector).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn measures_reported_again_count_once_and_imported_reports_show_their_date_at_1280_and_390_px() {
    let axe = axe_source();
    // The 2022 report (the seed, imported) reported again in 2026: the same measures, by id,
    // the first one retitled.
    let mut again = qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap();
    again.year = 2026;
    again.source = None;
    again.policy_measures[0].title = "Creative industries, as reported in 2026".into();
    let site = Site::start_with(&[again]);
    let distinct = site.document.policy_measures.len() + site.document.cso_measures.len();
    let id = &site.document.policy_measures[0].id;
    let browser = Browser::start();
    let mut problems = Vec::new();
    for width in [1280, 390] {
        browser.set_viewport(width, 900);
        for (lang, total, party_total, results, submitted, imported, listed, goal, any_of) in [
            (
                "en",
                format!("{distinct} policies and measures reported"),
                format!("Policies and measures in these reports: {distinct} "),
                format!("{distinct} measures"),
                "Submitted on 5 August 2022.",
                "Imported on ",
                "Azerbaijan 2022 submitted on 5 August 2022, imported on ",
                "Goal 1 – Support Sustainable Systems of Governance for Culture",
                "any of the chosen values",
            ),
            (
                "fr",
                format!("{distinct} politiques et mesures rapportées"),
                format!("Politiques et mesures dans ces rapports : {distinct} "),
                format!("{distinct} mesures"),
                "Soumis le 5 août 2022.",
                "Importé le ",
                "Azerbaïdjan 2022 soumis le 5 août 2022, importé le ",
                "Objectif 1 – Soutenir des systèmes de gouvernance durables de la culture",
                "l’une des valeurs choisies",
            ),
        ] {
            let what = |page: &str| format!("{page} ({lang}, {width} px)");
            let mut check = |path: &str| {
                browser.goto(&site.url(&format!("{path}{}lang={lang}", if path.contains('?') { '&' } else { '?' })));
                assert_eq!(browser.execute("return document.documentElement.lang;"), json!(lang), "{path}");
                let overflow = browser.sideways_scroll();
                if overflow > 0 {
                    problems.push(format!("{}: scrolls sideways by {overflow} px", what(path)));
                }
                problems.extend(axe_violations(&browser, &axe).into_iter().map(|v| format!("{}: {v}", what(path))));
            };

            // The home page's total counts distinct measures (twice as many before), and its
            // latest reports say when the imported one was submitted, not "published on" the
            // day of its import.
            check("/");
            let page = shown(&browser, "main");
            assert!(page.contains(&total), "{}: {page}", what("/"));
            assert!(page.contains(listed), "{}: {page}", what("/"));
            // The Party page: the total, and the measure once, its newest version.
            check("/parties/AZE");
            let page = shown(&browser, "main");
            assert!(page.contains(&party_total), "{}: {page}", what("/parties/AZE"));
            let links = browser.execute(&format!(
                "return [...document.querySelectorAll('main a[href*=\"/measures/AZE/\"][href*=\"/{id}\"]')]
                   .map(a => a.getAttribute('href').split('?')[0]);"
            ));
            assert_eq!(links, json!([format!("/measures/AZE/2026/{id}")]), "{}", what("/parties/AZE"));
            // The measure database.
            check("/measures");
            assert_eq!(shown(&browser, "#results"), results, "{}", what("/measures"));
            // Its facets (a collapsed block on a phone: opened as a person would) name goals.
            browser.execute("document.querySelectorAll('details.toc-block').forEach(d => d.open = true);");
            let facets = shown(&browser, "body");
            assert!(facets.contains(goal) && facets.contains(any_of), "{}: {facets}", what("/measures"));
            // The imported report: its real submission date, the import said apart, outside
            // the report's own text.
            check("/reports/AZE/2022");
            let page = shown(&browser, "body");
            assert!(page.contains(submitted) && page.contains(imported), "{}: {page}", what("/reports/AZE/2022"));
            assert!(!shown(&browser, "main").contains(submitted), "{}: outside <main>", what("/reports/AZE/2022"));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
