//! The public site in a real Chromium (headless, through chromedriver): axe-core finds no
//! accessibility violation on any page type in either language, the text a browser shows of
//! a report page imports back to the same document, keyboard users get the skip link and a
//! visible focus, and the report filters work as a plain form.
//!
//! These tests need `QPR_CHROMEDRIVER_URL` and `QPR_AXE_JS` (scripts/test sets them up through
//! `scripts/lib/ensure-chromium.sh`); without them they fail, saying so. They never skip.

// Test helpers are not `#[test]` functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod answerable;
mod board;
mod flows;
mod guidance;
mod indicators;
mod learn;
mod map_compare;
mod prefilled;
mod reported_again;
mod review;
mod todo;
mod translations;
mod ux;
mod webdriver;
mod workbook;
mod workspace;

use std::net::SocketAddr;
use std::sync::Arc;

use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;
use serde_json::{Value, json};
use webdriver::Browser;

const SEED: &str = include_str!("../../../../../demo/qpr-azerbaijan-2022.txt");

/// The site on a fresh database holding the seed report (indexed for search), served on a
/// loopback port; its e-mails go to a folder (`mail`), and its links name its real address.
struct Site {
    address: SocketAddr,
    document: ReportDocument,
    store: Store,
    mail: std::path::PathBuf,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl Site {
    fn start() -> Site {
        Site::start_with(&[])
    }

    /// The site holding the seed report and these reports too.
    fn start_with(others: &[ReportDocument]) -> Site {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mail = dir.path().join("mail");
        let document = qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap();
        let (address, store) = runtime.block_on(async {
            let store = Store::open_in_data_dir(dir.path()).await.unwrap();
            store.publish(&document, "test").await.unwrap();
            for other in others {
                store.publish(other, "test").await.unwrap();
            }
            let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
            qpr_search::catch_up(&search, &store).await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let state = qpr_web::AppState::new(
                store.clone(),
                search,
                qpr_mail::Mailer::to_folder("qpr@localhost", &mail).unwrap(),
                qpr_web::SiteSettings::new(&format!("http://{address}")),
                Arc::new(qpr_signature::PlatformKey::generate().unwrap()),
            );
            tokio::spawn(async move { axum::serve(listener, qpr_web::router(state)).await });
            (address, store)
        });
        Site { address, document, store, mail, runtime, _dir: dir }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// `http://host:port`, what the links of the site start with.
    fn base(&self) -> String {
        self.url("")
    }
}

fn axe_source() -> String {
    let path = std::env::var("QPR_AXE_JS").unwrap_or_else(|_| {
        panic!("QPR_AXE_JS is not set: it names axe-core's axe.min.js. Run scripts/test, or `source scripts/lib/ensure-chromium.sh` first.")
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read axe-core at {path}: {e}"))
}

/// Runs axe-core on the current page (every rule but the experimental ones, best practices
/// included) and returns its violations, one line per element.
fn axe_violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.execute(&format!("{axe}\nreturn typeof window.axe;"));
    let result = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then(r => done(r.violations.flatMap(v => v.nodes.map(n =>
              `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}: ${n.failureSummary}`))))
           .catch(e => done(['axe failed: ' + e]));",
    );
    result
        .as_array()
        .unwrap_or_else(|| panic!("axe returned {result}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// What is wrong with the current page as a person sees it at this width: sideways scrolling,
/// and what axe-core finds; one line each, naming `what`.
fn seen(browser: &Browser, axe: &str, what: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let overflow = browser.sideways_scroll();
    if overflow > 0 {
        problems.push(format!("{what}: scrolls sideways by {overflow} px"));
    }
    problems.extend(axe_violations(browser, axe).into_iter().map(|v| format!("{what}: {v}")));
    problems
}

/// `path` with `lang=…` added.
fn in_lang(path: &str, lang: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}lang={lang}")
}

#[test]
fn axe_finds_no_violation_on_any_page_type_in_either_language() {
    let site = Site::start();
    let axe = axe_source();
    let browser = Browser::start();
    let policy = &site.document.policy_measures[0].id;
    let cso = &site.document.cso_measures[0].id;
    let pages = [
        "/".to_owned(),
        "/reports".to_owned(),
        "/reports?region=europe_north_america&year=2022".to_owned(),
        "/reports/AZE/2022".to_owned(),
        "/parties".to_owned(),
        "/parties/AZE".to_owned(),
        "/parties/FRA".to_owned(),
        "/measures".to_owned(),
        "/measures?domain=music&q=festival".to_owned(),
        // Results with filters in force (the remove links), facets and a second page.
        "/measures?domain=music&targets_youth=true&sort=year".to_owned(),
        "/measures?per_page=5&page=2".to_owned(),
        // No hit, and a parameter that cannot be used (the alert).
        "/measures?q=zzzzqqq".to_owned(),
        "/measures?year=soon".to_owned(),
        format!("/measures/{policy}"),
        format!("/measures/AZE/2022/{policy}"),
        format!("/measures/AZE/2022/{cso}"),
        // The API's documentation page, generated from its OpenAPI description.
        "/api/v1/docs".to_owned(),
        "/no/such/page".to_owned(),
    ];
    let mut violations = Vec::new();
    for page in &pages {
        for lang in ["en", "fr"] {
            let separator = if page.contains('?') { '&' } else { '?' };
            let path = format!("{page}{separator}lang={lang}");
            browser.goto(&site.url(&path));
            let lang_attribute = browser.execute("return document.documentElement.lang;");
            assert_eq!(lang_attribute, json!(lang), "{path}");
            violations.extend(axe_violations(&browser, &axe).into_iter().map(|v| format!("{path}: {v}")));
        }
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
    // And it does find them: an image without a text alternative.
    browser.execute("document.querySelector('main').appendChild(document.createElement('img'));");
    let found = axe_violations(&browser, &axe);
    assert!(found.iter().any(|v| v.starts_with("image-alt")), "axe-core is not checking: {found:?}");
}

#[test]
fn the_text_chromium_shows_of_a_report_page_imports_back_to_the_same_document() {
    let site = Site::start();
    let browser = Browser::start();
    for lang in ["", "?lang=en"] {
        browser.goto(&site.url(&format!("/reports/AZE/2022{lang}")));
        let text = browser.execute("return document.querySelector('main').innerText;");
        let text = text.as_str().unwrap();
        let again = qpr_import::import_published(Framework::qpr_2020(), text).unwrap();
        let original = &site.document;
        assert_eq!(again.warnings, [], "Chromium shows text the importer cannot place");
        assert_eq!(again.answers, original.answers);
        assert_eq!(again.policy_measures, original.policy_measures);
        assert_eq!(again.cso_measures, original.cso_measures);
        assert_eq!((again.party.name.as_str(), again.year), (original.party.name.as_str(), original.year));
    }
}

#[test]
fn keyboard_users_get_the_skip_link_and_a_visible_focus() {
    let site = Site::start();
    let browser = Browser::start();
    browser.goto(&site.url("/reports/AZE/2022"));
    browser.press("\u{E004}");
    let focused = browser.execute(
        "const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
         return { cls: e.className, visible: r.left >= 0 && r.top >= 0 && r.width > 0 && r.height > 0,
                  outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };",
    );
    assert_eq!(focused["cls"], "skip-link", "{focused}");
    assert_eq!(focused["visible"], true, "the skip link shows when focused: {focused}");
    assert!(focused["outline"] != "none" && focused["width"].as_f64().unwrap() >= 2.0, "visible focus: {focused}");
    browser.press("\u{E007}");
    let target = browser.execute("return [location.hash, document.activeElement.id];");
    assert_eq!(target, json!(["#main", "main"]), "Enter on the skip link moves focus to the content");
    browser.press("\u{E004}");
    let next = browser.execute("const s = getComputedStyle(document.activeElement); return s.outlineStyle;");
    assert_ne!(next, json!("none"), "focus stays visible on the next link");
}

#[test]
fn the_report_filters_work_as_a_plain_form() {
    let site = Site::start();
    let browser = Browser::start();
    browser.goto(&site.url("/reports?lang=fr"));
    assert_eq!(browser.execute("return document.scripts.length;"), json!(0), "no script on the page");
    browser.click("#filter-year option[value='2022']");
    browser.click(".filters button");
    let url = wait_for_url(&browser, |url| url.contains("year="));
    assert!(url.contains("year=2022") && url.contains("lang=fr"), "{url}");
    let rows: Value =
        browser.execute("return [...document.querySelectorAll('table.listing tbody th')].map(e => e.innerText);");
    assert_eq!(rows, json!(["Azerbaïdjan 2022"]));
}

#[test]
fn the_measure_search_works_as_a_plain_form_and_links_in_both_languages() {
    let site = Site::start();
    let browser = Browser::start();
    for (lang, results) in [("en", "3 measures"), ("fr", "3 mesures")] {
        browser.goto(&site.url(&format!("/measures?lang={lang}")));
        assert_eq!(browser.execute("return document.scripts.length;"), json!(0), "no script on the page");
        // The facets are shown beside the results at this width (the block only collapses on
        // narrow screens), but WebDriver takes whatever is in a closed <details> for hidden:
        // open it as a phone user would.
        browser.execute("document.querySelectorAll('details.toc-block').forEach(d => d.open = true);");
        // A facet link adds its filter; another facet's link narrows further.
        browser.click("#facet-domain + ul a[href*='domain=music']");
        browser.execute("document.querySelectorAll('details.toc-block').forEach(d => d.open = true);");
        browser.click("#facet-targets_youth + ul a[href*='targets_youth=true']");
        let heading = browser.execute("return document.getElementById('results').innerText;");
        assert_eq!(heading, json!(results), "{}", browser.url());
        // The text box searches within the filters, in the page's language: a long word of
        // the first hit's title finds it again.
        let word = browser.execute(
            "const title = document.querySelector('ol.hits h3 a').innerText;
             const word = title.split(/[^A-Za-z]+/).filter(w => w.length > 6)[0];
             document.getElementById('q').value = word; return word;",
        );
        let word = word.as_str().unwrap().to_owned();
        browser.click("form[role=search] button");
        let url = wait_for_url(&browser, |url| url.contains("q="));
        assert!(
            url.contains(&format!("q={word}")) && url.contains("domain=music") && url.contains("targets_youth=true"),
            "{url}"
        );
        assert_eq!(browser.execute("return document.documentElement.lang;"), json!(lang), "{url}");
        // Each hit opens its measure's page, in the same language.
        browser.click("ol.hits h3 a");
        let url = wait_for_url(&browser, |url| url.contains("/measures/"));
        assert!(url.contains("/measures/AZE/2022/AZE-2022-"), "{url}");
        assert_eq!(browser.execute("return document.documentElement.lang;"), json!(lang), "{url}");
    }
}

/// The address once `arrived` holds for it (a form's submission may still be under way when
/// the click returns); the last address after five seconds.
fn wait_for_url(browser: &Browser, arrived: impl Fn(&str) -> bool) -> String {
    for _ in 0..50 {
        let url = browser.url();
        if arrived(&url) && browser.execute("return document.readyState;") == json!("complete") {
            return url;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    browser.url()
}
