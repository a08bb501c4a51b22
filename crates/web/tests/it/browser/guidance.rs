//! Issue 15 point 7 in Chromium: the official guidance of an area, from the framework file,
//! opens on demand with JavaScript off (a `<details>`: the browser opens it), in English and
//! French, fits a 390 px screen, and axe-core finds nothing on the page, closed or open.

use serde_json::{Value, json};

use super::webdriver::Browser;
use super::workspace::Team;
use super::{axe_source, axe_violations};

/// The Mobility area of Azerbaijan's 2028 draft: the online form's introduction and the
/// Monitoring Framework's indicator.
const MOBILITY: &str = "/app/reports/AZE/2028/sections/mobility";

/// Whether the first guidance's text is shown.
fn shown(browser: &Browser) -> Value {
    browser.execute(
        "const t = document.querySelector('details.guidance .guidance-text');
         return t.checkVisibility() && t.innerText.trim().length > 0;",
    )
}

/// Opens the first guidance of the page at `url` and checks what it shows; returns the problems
/// axe-core finds with it closed, then open (`None`: no axe, as in a browser without scripts).
fn open_and_check(browser: &Browser, url: &str, at: &str, lang: &str, axe: Option<&str>) -> Vec<String> {
    let (summary, text, source) = match lang {
        "en" => ("Guidance", "inward and outward mobility of artists", "Source: Online QPR form"),
        _ => ("Conseils", "mobilité entrante et sortante des artistes", "Source : Online QPR form"),
    };
    let mut violations = Vec::new();
    browser.goto(url);
    assert_eq!(browser.text("details.guidance > summary"), summary, "{at}");
    assert_eq!(shown(browser), json!(false), "{at}: closed until asked for");
    if let Some(axe) = axe {
        violations.extend(axe_violations(browser, axe).into_iter().map(|v| format!("{at}, closed: {v}")));
    }
    browser.click("details.guidance > summary");
    assert_eq!(shown(browser), json!(true), "{at}: the summary opens it");
    let opened = browser.text("details.guidance .guidance-text");
    assert!(opened.contains(text) && opened.contains(source), "{at}: {opened}");
    if lang == "fr" {
        assert!(opened.contains("Traduction de qpr"), "{at}: the translation says it is one");
    }
    // Nothing sticks out sideways.
    let fits = browser.execute(
        "const r = document.querySelector('details.guidance').getBoundingClientRect();
         return [document.documentElement.scrollWidth <= window.innerWidth, r.right <= window.innerWidth];",
    );
    assert_eq!(fits, json!([true, true]), "{at}");
    if let Some(axe) = axe {
        violations.extend(axe_violations(browser, axe).into_iter().map(|v| format!("{at}, open: {v}")));
    }
    violations
}

#[test]
fn the_guidance_of_an_area_opens_without_javascript_in_both_languages_and_at_390_px() {
    // Without JavaScript: the browser alone opens it.
    let off = Team::start_with(Browser::start_without_javascript());
    off.focal.goto("data:text/html,<title>off</title><script>document.title = 'on'</script>");
    assert_eq!(off.focal.execute("return document.title;"), json!("off"), "page scripts do not run");
    for lang in ["en", "fr"] {
        off.focal.set_viewport(390, 844);
        let path = format!("{MOBILITY}?lang={lang}");
        open_and_check(&off.focal, &off.site.url(&path), &format!("{path} (no script, 390)"), lang, None);
    }
    drop(off);

    // With the page's script, at both widths, axe-core on the page closed and open.
    let axe = axe_source();
    let team = Team::start();
    let mut violations = Vec::new();
    for lang in ["en", "fr"] {
        for (width, height) in [(1280, 900), (390, 844)] {
            team.focal.set_viewport(width, height);
            let path = format!("{MOBILITY}?lang={lang}");
            let at = format!("{path} ({width})");
            violations.extend(open_and_check(&team.focal, &team.site.url(&path), &at, lang, Some(&axe)));
        }
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));
}
