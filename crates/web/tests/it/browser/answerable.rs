//! Issue 15, point 2 as a focal point meets it, in Chromium at 1280 and 390 px, in English and
//! French, with nothing for axe-core to find and no sideways scrolling: a question whose
//! official options are unknown (`g2_mobility_funds`) is answered through "Other (please
//! specify)": the box is ticked, the text typed beside it, and the page's save keeps the text
//! as the answer, shown again on the page.

use serde_json::json;

use super::flows;
use super::workspace::Team;
use super::{axe_source, axe_violations};

/// The area page holding the question.
const MOBILITY: &str = "/app/reports/AZE/2028/sections/mobility";
/// The question's field on the page.
const FIELD: &str = "[data-field='a.g2_mobility_funds']";

#[test]
fn a_question_without_known_options_is_answered_through_other_at_1280_and_390_px() {
    let axe = axe_source();
    let team = Team::start();
    let (site, focal) = (&team.site, &team.focal);
    let mut problems = Vec::new();
    for width in [1280, 390] {
        focal.set_viewport(width, 900);
        for (lang, other) in [("en", "Other (please specify)"), ("fr", "Autre (veuillez préciser)")] {
            let what = format!("{MOBILITY} ({lang}, {width} px)");
            focal.goto(&site.url(&format!("{MOBILITY}?lang={lang}")));
            let field = focal.execute(&format!(
                "const f = document.querySelector(\"{FIELD}\");
                 const box = f.querySelector('input[type=checkbox]');
                 const text = f.querySelector('.part.other input, .part.other textarea');
                 const r = text.getBoundingClientRect();
                 const label = document.querySelector(`label[for='${{box.id}}']`);
                 return [f.hidden, label.innerText.trim(), r.width > 0 && r.right <= window.innerWidth];"
            ));
            assert_eq!(field, json!([false, other, true]), "{what}: the choice and its text field, in view");
            let overflow = focal.sideways_scroll();
            if overflow > 0 {
                problems.push(format!("{what}: scrolls sideways by {overflow} px"));
            }
            problems.extend(axe_violations(focal, &axe).into_iter().map(|v| format!("{what}: {v}")));
        }
    }

    // Ticked, the text typed, saved with the page's button: the text is the answer.
    let typed = "Travel grants of the regional arts councils";
    focal.set_viewport(1280, 900);
    focal.goto(&site.url(MOBILITY));
    focal.click(&format!("{FIELD} input[type=checkbox]"));
    let text = focal.execute(&format!(
        "return document.querySelector(\"{FIELD}\").querySelector('.part.other input, .part.other textarea').id;"
    ));
    focal.type_into(&format!("[id='{}']", text.as_str().unwrap()), typed);
    flows::save_page(focal);
    let answer = team.draft().answer("g2_mobility_funds").cloned();
    assert!(answer.as_ref().is_some_and(|a| a.to_string().contains(typed)), "the answer: {answer:?}");
    focal.goto(&site.url(MOBILITY));
    assert_eq!(focal.value(&format!("[id='{}']", text.as_str().unwrap())), typed, "shown again");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
