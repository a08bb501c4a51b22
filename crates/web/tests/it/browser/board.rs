//! Issue 19: the Secretariat's status board with every Party (149 reports) in Chromium: the
//! filter form works without JavaScript, the CSV link keeps the filters, a reviewer is
//! assigned and finds the report in their queue, the page fits 390 px, and axe-core finds
//! nothing on the board (filtered or not), a message's preview and the queue, in English and
//! French.

use serde_json::{Value, json};

use super::flows::{self, SECRETARIAT};
use super::webdriver::Browser;
use super::workspace::secretariat_link;
use super::{Site, axe_source, axe_violations, wait_for_url};

/// The Parties' codes in the board's rows, in order.
fn rows(browser: &Browser) -> Vec<String> {
    let codes: Value =
        browser.execute("return [...document.querySelectorAll('table.board tbody th .hint')].map(e => e.textContent);");
    serde_json::from_value(codes).unwrap()
}

#[test]
fn the_board_of_every_party_filters_without_javascript_and_axe_finds_nothing() {
    let axe = axe_source();
    let site = Site::start();
    let secretariat = Browser::start();
    flows::choose_password(&secretariat, &secretariat_link(&site));
    flows::log_in(&secretariat, &site.base(), SECRETARIAT);
    flows::open_cycle(&secretariat, &site.base(), 2028, "2028-04-30", "");
    let plain = Browser::start_without_javascript();
    flows::log_in(&plain, &site.base(), SECRETARIAT);
    let parties = qpr_domain::countries::all().iter().filter(|c| c.ratification.is_some()).count();
    assert_eq!(rows(&secretariat).len(), parties, "a row for every Party, the EU among them");
    assert!(rows(&secretariat).contains(&"EUU".to_owned()));

    // The filter form, without JavaScript: Europe and North America, sorted by region.
    plain.goto(&site.url("/app/cycles/2028?lang=fr"));
    plain.click("#board-region option[value='europe_north_america']");
    plain.click("#board-sort option[value='region']");
    plain.click("form.filters button[type=submit]");
    let url = wait_for_url(&plain, |url| url.contains("region="));
    assert!(url.contains("region=europe_north_america") && url.contains("lang=fr"), "{url}");
    let europe = rows(&plain);
    assert!(
        europe.contains(&"EUU".to_owned()) && europe.contains(&"FRA".to_owned()) && !europe.contains(&"SEN".to_owned())
    );
    let csv = plain.attribute(&plain.find("#board-shown a"), "href").unwrap();
    assert!(csv.contains("board.csv?region=europe_north_america&sort=region"), "{csv}");
    secretariat.goto(&url);
    let mut violations: Vec<String> =
        axe_violations(&secretariat, &axe).into_iter().map(|v| format!("filtered board (fr): {v}")).collect();

    // A reviewer for France; the board's reviewer filter and the queue show it.
    secretariat.goto(&site.url("/app/cycles/2028"));
    // 149 rows and two lists of 149 Parties: wait until the page has them all.
    secretariat.wait_for("#focal-party option[value='ZWE']");
    secretariat.click("#reviewer-party option[value='FRA']");
    let member: Value =
        secretariat.execute("return document.querySelector('#reviewer-member option:nth-child(2)').value;");
    let member = member.as_str().unwrap().to_owned();
    secretariat.click("#reviewer-member option:nth-child(2)");
    secretariat.click("form[aria-labelledby=reviewer-heading] button[type=submit]");
    secretariat.wait_for_text("main .notice", "France");
    secretariat.goto(&site.url(&format!("/app/cycles/2028?reviewer={member}")));
    assert_eq!(rows(&secretariat), ["FRA"]);

    for (path, what) in [("/app/cycles/2028", "board"), ("/app/reviews", "my reviews")] {
        for lang in ["en", "fr"] {
            secretariat.goto(&site.url(&format!("{path}?lang={lang}")));
            assert_eq!(secretariat.execute("return document.documentElement.lang;"), json!(lang));
            violations.extend(axe_violations(&secretariat, &axe).into_iter().map(|v| format!("{what} ({lang}): {v}")));
        }
    }
    assert!(secretariat.page_text().contains("France"), "the queue lists France");

    // The preview of a message to the focal points of the overdue-free Europe rows.
    for lang in ["en", "fr"] {
        secretariat.goto(&site.url(&format!("/app/cycles/2028?region=europe_north_america&lang={lang}")));
        secretariat.wait_for("#message-subject");
        secretariat.fill("#message-subject", "Rappel");
        secretariat.fill("#message-body", "Le rapport est attendu.");
        secretariat.click_and_load("form[aria-labelledby=message-heading] button[type=submit]");
        secretariat.wait_for("#message-summary");
        violations
            .extend(axe_violations(&secretariat, &axe).into_iter().map(|v| format!("message preview ({lang}): {v}")));
    }
    assert!(violations.is_empty(), "axe-core found {} violations:\n{}", violations.len(), violations.join("\n"));

    // At 390 px the page does not scroll sideways: the table scrolls in its own region.
    secretariat.set_viewport(390, 844);
    secretariat.goto(&site.url("/app/cycles/2028"));
    let overflow: Value =
        secretariat.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assert!(overflow.as_i64().unwrap() <= 0, "the page scrolls sideways by {overflow} px");
}
