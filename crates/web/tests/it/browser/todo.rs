//! Issue 15, point 6 (time and to-dos), in Chromium at 1280 and 390 px, in English and French,
//! with nothing for axe-core to find and no sideways scrolling: the focal point's dashboard and
//! report overview give the deadline and the days left and a link to continue (the first
//! incomplete section, then the section they last changed, which the link opens); once the
//! report is submitted, the Secretariat's dashboard lists it to review (its link opens the
//! review page) beside the Parties past their deadline.

use qpr_domain::ReportDocument;
use qpr_domain::document::PartyRef;
use qpr_workflow::todo::{DeadlineStatus, today};
use serde_json::json;

use super::flows::{self, AREA, PASSWORD, SECRETARIAT};
use super::webdriver::Browser;
use super::workspace::Team;
use super::{axe_source, in_lang, seen};

/// Azerbaijan's 2028 report in the workspace (its cycle's deadline: 30 April 2028).
const REPORT: &str = "/app/reports/AZE/2028";

/// The text of `main` as shown, its no-break spaces (French punctuation) as plain spaces.
fn main_text(browser: &Browser) -> String {
    browser.text("main").replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn deadlines_where_to_continue_and_the_secretariats_to_dos_at_1280_and_390_px() {
    let axe = axe_source();
    let team = Team::start();
    let (site, focal) = (&team.site, &team.focal);
    // An earlier cycle whose deadline has passed, Senegal's report still a draft.
    site.runtime.block_on(async {
        let iso3 = qpr_domain::countries::Iso3::parse("SEN").unwrap();
        let senegal = ReportDocument::new("qpr-2020", PartyRef { name: "Senegal".into(), iso3: Some(iso3) }, 2026);
        site.store.open_cycle_with_reports(2026, "qpr-2020", "2026-03-31", &[senegal], "test").await.unwrap();
    });
    let days = DeadlineStatus::on("2028-04-30", today()).unwrap().days_left;
    let late = DeadlineStatus::on("2026-03-31", today()).unwrap().days_late();
    let deadline = |lang: &str| match lang {
        "en" => format!("Deadline: 30 April 2028 ({days} days left)"),
        _ => format!("Date limite : 30 avril 2028 ({days} jours restants)"),
    };
    let mut problems = Vec::new();

    // Nothing done yet: the deadline on the dashboard and the overview, and the first
    // incomplete section to continue with.
    for width in [1280, 390] {
        focal.set_viewport(width, 900);
        for (lang, first) in [
            ("en", "Continue with the first incomplete section: General Information"),
            ("fr", "Continuer avec la première section incomplète : Informations générales"),
        ] {
            let what = format!("({lang}, {width} px)");
            focal.goto(&site.url(&in_lang("/app", lang)));
            assert!(main_text(focal).contains(&deadline(lang)), "the dashboard {what}: {}", main_text(focal));
            problems.extend(seen(focal, &axe, &format!("the focal point's dashboard {what}")));
            focal.goto(&site.url(&in_lang(REPORT, lang)));
            let shown = focal.text("p.deadline").replace(['\u{a0}', '\u{202f}'], " ");
            assert_eq!(shown, deadline(lang), "the overview {what}");
            let next = focal.text("p.continue a").replace(['\u{a0}', '\u{202f}'], " ");
            assert_eq!(next, first, "the overview {what}");
            problems.extend(seen(focal, &axe, &format!("the overview {what}")));
        }
    }

    // A measure added on an area page: the overview offers to continue there, and the link
    // opens that page in the overview's language.
    flows::add_measure(focal, &site.url(AREA), "Support for music festivals");
    for width in [1280, 390] {
        focal.set_viewport(width, 900);
        for (lang, resume) in [
            ("en", "Continue where you left off: Cultural and Creative Sectors"),
            ("fr", "Reprendre là où vous en étiez : Secteurs culturels et créatifs"),
        ] {
            focal.goto(&site.url(&in_lang(REPORT, lang)));
            let next = focal.text("p.continue a").replace(['\u{a0}', '\u{202f}'], " ");
            assert_eq!(next.to_lowercase(), resume.to_lowercase(), "({lang}, {width} px)");
            focal.click_and_load("p.continue a");
            assert!(focal.url().contains("/sections/cultural-creative-sectors"), "{}", focal.url());
            assert_eq!(focal.execute("return document.documentElement.lang;"), json!(lang), "{}", focal.url());
        }
    }

    // Submitted: the Secretariat's dashboard lists it to review, beside Senegal, late.
    flows::answer_required(focal, &site.url(REPORT));
    focal.goto(&site.url(&format!("{REPORT}/submit")));
    flows::sign(focal, PASSWORD);
    focal.wait_until("the review page after signing", || focal.url().contains("/review").then_some(()));
    focal.goto(&site.url(REPORT));
    assert!(focal.try_find("p.deadline").is_none() && focal.try_find("p.continue").is_none(), "nothing left to meet");
    let secretariat = Browser::start();
    flows::log_in(&secretariat, &site.base(), SECRETARIAT);
    for width in [1280, 390] {
        secretariat.set_viewport(width, 900);
        for (lang, review, overdue, days_late) in [
            ("en", "Submitted reports to review", "Parties past the deadline", format!("({late} days late)")),
            ("fr", "Rapports soumis à examiner", "Parties en retard", format!("({late} jours de retard)")),
        ] {
            let what = format!("the Secretariat's dashboard ({lang}, {width} px)");
            secretariat.goto(&site.url(&in_lang("/app", lang)));
            let text = main_text(&secretariat);
            assert!(text.contains(review) && text.contains(overdue), "{what}: {text}");
            let lists = secretariat.execute(
                "return [...document.querySelectorAll('ul.todo')].map(u => [...u.querySelectorAll('li')]
                   .map(l => [l.querySelector('a').getAttribute('href'), l.innerText]));",
            );
            let lists = lists.as_array().unwrap();
            assert_eq!(lists.len(), 2, "{what}: {lists:?}");
            assert!(lists[0][0][0].as_str().unwrap().starts_with("/app/reports/AZE/2028/review"), "{what}: {lists:?}");
            assert!(lists[1][0][0].as_str().unwrap().starts_with("/app/reports/SEN/2026"), "{what}: {lists:?}");
            let senegal = lists[1][0][1].as_str().unwrap().replace(['\u{a0}', '\u{202f}'], " ");
            assert!(senegal.contains(&days_late), "{what}: {senegal}");
            problems.extend(seen(&secretariat, &axe, &what));
        }
    }
    secretariat.click_and_load("ul.todo a[href*='/AZE/2028/review']");
    assert!(secretariat.url().contains("/app/reports/AZE/2028/review"), "{}", secretariat.url());
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
