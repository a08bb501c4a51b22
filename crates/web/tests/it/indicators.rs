//! Issue 16's "done when": on the demo report (Azerbaijan 2022) plus two more reports
//! published in the test through the API (France and the European Union, 2023: the same
//! cycle), every figure of `/api/v1/indicators` equals a count the test makes from the
//! published documents themselves (counts, bases, shares, by region); the chart's numbers,
//! the table's, the CSV's and the JSON's are the same; the pages work in English and French
//! without a script; a bad parameter is a 400 naming it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use axum::http::StatusCode;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::MembershipRole;
use serde_json::{Value, json};

use crate::support::{Client, DEMO_REPORT, PASSWORD, TestApp};

const OFFICIAL: [(&str, &str); 5] = [
    ("sub_signatory_title", "Ms."),
    ("sub_signatory_first_name", "Anne"),
    ("sub_signatory_family_name", "Martin"),
    ("sub_signatory_organization", "Ministry of Culture"),
    ("sub_signatory_position", "Director"),
];

/// An API token made on the account page.
async fn token(app: &TestApp, client: &mut Client) -> String {
    let body =
        app.submit(client, "/app/account", "/app/account", &[("action", "create"), ("label", "script")]).await.body;
    crate::support::link_in(&body, "qpr_").trim_end_matches("</code></p>").to_owned()
}

/// The answers of the demo report to the questions of the areas of monitoring.
fn area_answers(demo: &ReportDocument) -> BTreeMap<String, Value> {
    let framework = Framework::qpr_2020();
    framework
        .sections
        .iter()
        .filter(|s| s.goal.is_some())
        .flat_map(|s| s.questions.iter().flat_map(|q| std::iter::once(q).chain(q.fields.iter())))
        .filter_map(|q| Some((q.id.clone(), demo.answers.get(&q.id)?.clone())))
        .collect()
}

/// Drafts, signs and publishes a 2023 report of `iso3` through the API, with the demo
/// report's answers to the areas of monitoring changed by `answers`.
async fn publish(app: &TestApp, secretariat_token: &str, iso3: &str, answers: &[(&str, Value)]) {
    let email = format!("fp@{}.test", iso3.to_lowercase());
    let mut focal = app.sign_in(&email, Some((iso3, MembershipRole::FocalPoint, None))).await;
    app.answer_required(&mut focal, iso3, 2023).await;
    let focal_token = token(app, &mut focal).await;
    let draft = app.api(&focal_token, "GET", &format!("/api/v1/drafts/{iso3}/2023"), None).await.json();
    let mut document: ReportDocument = serde_json::from_value(draft["document"].clone()).unwrap();
    let demo = qpr_import::import_published(Framework::qpr_2020(), DEMO_REPORT).unwrap();
    document.answers.extend(area_answers(&demo));
    for (id, value) in answers {
        document.answers.insert((*id).to_owned(), value.clone());
    }
    let saved = app
        .api(
            &focal_token,
            "PUT",
            &format!("/api/v1/drafts/{iso3}/2023"),
            Some(json!({"base_revision": draft["revision"], "document": document})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let official: serde_json::Map<String, Value> = OFFICIAL.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
    let submitted = app
        .api(
            &focal_token,
            "POST",
            &format!("/api/v1/drafts/{iso3}/2023/submit"),
            Some(json!({"official": official, "password": PASSWORD})),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{iso3}: {}", submitted.body);
    for decision in ["accept", "publish"] {
        let decided = app
            .api(
                secretariat_token,
                "POST",
                &format!("/api/v1/drafts/{iso3}/2023/decision"),
                Some(json!({"decision": decision})),
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{iso3} {decision}: {}", decided.body);
    }
}

/// The demo report (imported) and France's and the EU's 2023 reports (through the API).
async fn three_reports() -> TestApp {
    let app = TestApp::new().await;
    let demo = qpr_import::import_published(Framework::qpr_2020(), DEMO_REPORT).unwrap();
    app.store.publish(&demo, "import").await.unwrap();
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let form = [("year", "2023"), ("framework", "qpr-2020"), ("deadline", "2023-12-31"), ("parties", "FRA EUU")];
    let opened = app.submit(&mut secretariat, "/app/cycles", "/app/cycles", &form).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let secretariat_token = token(&app, &mut secretariat).await;
    publish(
        &app,
        &secretariat_token,
        "FRA",
        &[
            ("g1_ccs_ministry", json!(false)),
            ("g1_ccs_regulatory_frameworks", json!(false)),
            ("g1_ccs_interministerial", Value::Null),
            ("g1_digital_creativity_competencies", json!(true)),
            ("g1_media_content_diversity", json!(["Regional and/or local broadcasters", "Cinema in schools"])),
            ("g2_flow_export_strategies_domains", json!(["Music", "Design"])),
        ],
    )
    .await;
    publish(
        &app,
        &secretariat_token,
        "EUU",
        &[
            ("g1_media_psm_remit", json!(false)),
            ("g2_treaties_ecommerce", json!(true)),
            ("g1_ccs_gdp_share", json!({"percent": 4.5, "year": 2020})),
        ],
    )
    .await;
    app
}

/// What a document says for an indicator, as the test reads it: `None` when it did not
/// answer, else the keys of the options chosen (resolved by the form's option lists).
fn chosen(document: &ReportDocument, indicator: &Value) -> Option<Vec<String>> {
    let framework = Framework::qpr_2020();
    let id = indicator["indicator"].as_str().unwrap();
    let question = framework.question(indicator["question"].as_str().unwrap()).unwrap();
    let value = document.answer(&question.id)?;
    let (list, texts): (Option<&str>, Vec<String>) = match value {
        Value::Bool(yes) => return Some(vec![if *yes { "yes" } else { "no" }.to_owned()]),
        Value::Number(n) => return Some(vec![n.to_string()]),
        Value::String(text) => (question.options.as_deref(), vec![text.clone()]),
        Value::Array(items) => {
            (question.options.as_deref(), items.iter().map(|i| i.as_str().unwrap().to_owned()).collect())
        }
        Value::Object(groups) => {
            let group = id.split_once('.').unwrap().1;
            let list = question.groups.iter().find(|g| g.key == group).map(|g| g.options.as_str());
            let items = groups.get(group).and_then(Value::as_array).cloned().unwrap_or_default();
            (list, items.iter().map(|i| i.as_str().unwrap().to_owned()).collect())
        }
        Value::Null => return None,
    };
    let list = list.unwrap();
    let keys: Vec<String> = texts
        .iter()
        .map(|text| match framework.resolve_option(list, text) {
            Some(option) => option.key.clone(),
            None => framework.option_lists[list]
                .iter()
                .find(|o| o.specify)
                .map_or_else(|| "unlisted".to_owned(), |o| o.key.clone()),
        })
        .collect();
    (!keys.is_empty()).then_some(keys)
}

/// Whether a follow-up question does not apply to a document (its parent is answered
/// otherwise).
fn not_applicable(document: &ReportDocument, question: &str) -> bool {
    let question = Framework::qpr_2020().question(question).unwrap();
    question.condition.as_ref().is_some_and(|c| document.answer(&c.question).is_some_and(|given| *given != c.equals))
}

/// Checks a tally (`base` and `values`) against the documents.
fn check_tally(documents: &[&ReportDocument], indicator: &Value, tally: &Value, what: &str) {
    let answers: Vec<Option<Vec<String>>> = documents.iter().map(|d| chosen(d, indicator)).collect();
    let question = indicator["question"].as_str().unwrap();
    let answered = answers.iter().filter(|a| a.is_some()).count();
    let not_applicable =
        documents.iter().zip(&answers).filter(|(d, a)| a.is_none() && not_applicable(d, question)).count();
    let base = &tally["base"];
    assert_eq!(base["reporting"], documents.len(), "{what}");
    assert_eq!(base["answered"], answered, "{what}");
    assert_eq!(base["not_applicable"], not_applicable, "{what}");
    assert_eq!(base["not_answered"], documents.len() - answered - not_applicable, "{what}");
    assert_eq!(base["earlier_form"], 0, "{what}");
    for value in tally["values"].as_array().unwrap() {
        let option = value["option"].as_str().unwrap();
        let count = answers.iter().flatten().filter(|keys| keys.iter().any(|k| k == option)).count();
        assert_eq!(value["count"], count, "{what}: {option}");
        if answered == 0 {
            assert_eq!(value["share"], Value::Null, "{what}: {option}");
        } else {
            let share = value["share"].as_f64().unwrap();
            assert!((share - count as f64 / answered as f64).abs() < 1e-12, "{what}: {option}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_figure_is_a_count_of_the_published_documents() {
    let app = three_reports().await;
    let mut visitor = Client::default();
    let mut documents = BTreeMap::new();
    for (iso3, year) in [("AZE", 2022), ("EUU", 2023), ("FRA", 2023)] {
        let reply = app.get(&mut visitor, &format!("/api/v1/reports/{iso3}/{year}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{iso3}");
        documents.insert(iso3, serde_json::from_str::<ReportDocument>(&reply.body).unwrap());
    }
    let all: Vec<&ReportDocument> = documents.values().collect();
    let europe: Vec<&ReportDocument> = vec![&documents["AZE"], &documents["FRA"]];
    let union: Vec<&ReportDocument> = vec![&documents["EUU"]];

    let reply = app.get(&mut visitor, "/api/v1/indicators?cycle=2020-2023").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let indicators = reply.json();
    let indicators = indicators.as_array().unwrap();
    assert_eq!(indicators.len(), qpr_indicators::Catalog::builtin().indicators.len(), "every indicator");
    for indicator in indicators {
        let id = indicator["indicator"].as_str().unwrap();
        assert_eq!(indicator["cycle"], "2020-2023");
        check_tally(&all, indicator, indicator, id);
        let regions: Vec<&String> = indicator["by_region"].as_object().unwrap().keys().collect();
        assert_eq!(regions, ["europe_north_america", "european_union"], "{id}");
        check_tally(&europe, indicator, &indicator["by_region"]["europe_north_america"], id);
        check_tally(&union, indicator, &indicator["by_region"]["european_union"], id);
    }
    // The figures the variants were made to show.
    let find = |id: &str| indicators.iter().find(|i| i["indicator"] == id).unwrap();
    let ministry = find("g1_ccs_ministry");
    assert_eq!((ministry["values"][0]["count"].clone(), ministry["values"][1]["count"].clone()), (json!(2), json!(1)));
    assert_eq!(find("g1_ccs_interministerial")["base"]["not_applicable"], 1, "France's NO to its parent");
    assert_eq!(find("g1_digital_creativity_competencies")["base"]["answered"], 1, "only France answered");
    let content = find("g1_media_content_diversity");
    let other =
        content["values"].as_array().unwrap().iter().find(|v| v["label"].as_str().unwrap().starts_with("Other"));
    assert_eq!(other.unwrap()["count"], 1, "France's own text");

    // A region filter is that region's tally; filters by goal, area and question select.
    let filtered = app
        .get(&mut visitor, "/api/v1/indicators?cycle=2020-2023&region=european_union&question=g1_ccs_ministry")
        .await;
    let filtered = filtered.json();
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    assert_eq!(filtered[0]["region"], "european_union");
    check_tally(&union, &filtered[0], &filtered[0], "EU filter");
    let area = app.get(&mut visitor, "/api/v1/indicators?area=mobility").await.json();
    assert!(area.as_array().unwrap().iter().all(|i| i["area"] == "mobility" && i["cycle"] == "2020-2023"));
    let goal = app.get(&mut visitor, "/api/v1/indicators?goal=4").await.json();
    assert!(!goal.as_array().unwrap().is_empty() && goal.as_array().unwrap().iter().all(|i| i["goal"] == 4));

    // A bad parameter is a 400 naming it.
    for (query, parameter) in [
        ("cycle=2021", "cycle"),
        ("region=mars", "region"),
        ("question=gi_executive_summary", "question"),
        ("x=1", "x"),
    ] {
        let reply = app.get(&mut visitor, &format!("/api/v1/indicators?{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.json()["error"]["parameter"], parameter, "{query}");
    }
}

/// Issue 16 point 7: a report published through the API shows in the next indicator request
/// once the site version moved (read at most once a second), in the API and on the area's
/// page: the figures made for the previous version are not served for the new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publication_shows_in_the_next_indicator_request() {
    let app = TestApp::new().await;
    let demo = qpr_import::import_published(Framework::qpr_2020(), DEMO_REPORT).unwrap();
    app.store.publish(&demo, "import").await.unwrap();
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let form = [("year", "2023"), ("framework", "qpr-2020"), ("deadline", "2023-12-31"), ("parties", "FRA")];
    let opened = app.submit(&mut secretariat, "/app/cycles", "/app/cycles", &form).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let secretariat_token = token(&app, &mut secretariat).await;
    let mut visitor = Client::default();
    let ministry = "/api/v1/indicators?cycle=2020-2023&question=g1_ccs_ministry";
    let count = |reply: &Value, option: &str| {
        reply[0]["values"].as_array().unwrap().iter().find(|v| v["option"] == option).unwrap()["count"].clone()
    };
    let before = app.get(&mut visitor, ministry).await.json();
    assert_eq!(before[0]["base"]["reporting"], 1, "{before}");
    assert_eq!(count(&before, "no"), 0);
    let page = app.get(&mut visitor, "/indicators/cultural_creative_sectors?cycle=2020-2023").await;
    assert_eq!(page.status, StatusCode::OK);

    publish(&app, &secretariat_token, "FRA", &[("g1_ccs_ministry", json!(false))]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = app.get(&mut visitor, ministry).await.json();
    assert_eq!(after[0]["base"]["reporting"], 2, "{after}");
    assert_eq!(after[0]["base"]["answered"], 2, "{after}");
    assert_eq!(count(&after, "no"), 1, "France's NO");
    let page = app.get(&mut visitor, "/indicators/cultural_creative_sectors?cycle=2020-2023").await.body;
    assert!(page.contains("/reports/FRA/2023#g1_ccs_ministry"), "France's answer is listed on the area's page");
}

/// The numbers of an indicator's chart (the bold text after each bar) and of its table.
fn chart_and_table(page: &str, anchor: &str) -> (Vec<String>, Vec<(String, String, String)>) {
    let html = scraper::Html::parse_document(page);
    let section = scraper::Selector::parse(&format!("section#{anchor}")).unwrap();
    let section = html.select(&section).next().unwrap_or_else(|| panic!("no section {anchor}"));
    let bars = scraper::Selector::parse("svg text.value").unwrap();
    let numbers: Vec<String> = section.select(&bars).map(|t| t.text().collect()).collect();
    let rows = scraper::Selector::parse("div.figure table tbody tr").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    let table = section
        .select(&rows)
        .map(|row| {
            let cells: Vec<String> = row.select(&cell).map(|c| c.text().collect()).collect();
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect();
    (numbers, table)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_tables_csv_and_json_agree_in_both_languages() {
    let app = three_reports().await;
    let mut visitor = Client::default();
    for (lang, percent) in [("en", "%"), ("fr", "\u{a0}%")] {
        let page =
            app.get(&mut visitor, &format!("/indicators/cultural_creative_sectors?cycle=2020-2023&lang={lang}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("<script"), "no script");
        assert!(page.headers["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
        let json = app
            .get(
                &mut visitor,
                &format!("/api/v1/indicators?cycle=2020-2023&area=cultural_creative_sectors&lang={lang}"),
            )
            .await
            .json();
        let csv = app
            .get(
                &mut visitor,
                &format!("/api/v1/indicators?cycle=2020-2023&area=cultural_creative_sectors&format=csv&lang={lang}"),
            )
            .await;
        assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        for indicator in json.as_array().unwrap() {
            let id = indicator["indicator"].as_str().unwrap();
            let (chart, table) = chart_and_table(&page.body, &id.replace('.', "-"));
            let shown: Vec<&Value> = indicator["values"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|v| v["count"] != 0 || v["option"] != "unlisted")
                .collect();
            assert_eq!(chart.len(), shown.len(), "{id}: a bar per option");
            assert_eq!(table.len(), shown.len(), "{id}: a row per option");
            for ((value, number), (label, count, share)) in shown.iter().zip(&chart).zip(&table) {
                let share_text =
                    value["share"].as_f64().map_or_else(|| "-".to_owned(), |s| format!("{:.0}{percent}", s * 100.0));
                assert_eq!(*number, format!("{} ({share_text})", value["count"]), "{id}: chart");
                assert_eq!(
                    (label.as_str(), count.as_str(), share.as_str()),
                    (value["label"].as_str().unwrap(), value["count"].to_string().as_str(), share_text.as_str()),
                    "{id}: table"
                );
                let row = rows
                    .iter()
                    .find(|r| &r[0] == id && &r[3] == "all" && &r[4] == value["option"].as_str().unwrap())
                    .unwrap_or_else(|| panic!("{id}: no CSV row"));
                assert_eq!(&row[5], value["label"].as_str().unwrap(), "{id}: CSV label");
                assert_eq!(&row[6], value["count"].to_string(), "{id}: CSV count");
                let share_csv = if value["share"].is_null() { String::new() } else { value["share"].to_string() };
                assert_eq!(&row[7], share_csv, "{id}: CSV share");
                assert_eq!(&row[8], indicator["base"]["reporting"].to_string(), "{id}: CSV base");
                assert_eq!(&row[9], indicator["base"]["answered"].to_string(), "{id}: CSV base");
            }
        }
        // The base in words; the Parties' answers link to their fields.
        let (base, parties) = if lang == "en" {
            ("2 of the 3 Parties that reported in 2020–2023 answered; 0 did not answer.", "The Parties’ answers (3)")
        } else {
            (
                "2 des 3 Parties ayant fait rapport en 2020–2023 ont répondu ; 0 n’ont pas répondu.",
                "Les réponses des Parties (3)",
            )
        };
        assert!(page.body.contains(base) || page.body.contains(&base.replace('’', "&#x27;")), "{lang}: {base}");
        assert!(page.body.contains(parties) || page.body.contains(&parties.replace('’', "&#x27;")), "{lang}");
        assert!(page.body.contains(&format!("/reports/FRA/2023?lang={lang}#g1_ccs_ministry")), "{lang}");
        let statistics = if lang == "en" { "Median" } else { "Médiane" };
        assert!(page.body.contains(statistics), "{lang}");
    }

    // The overview: every area by goal, in both languages.
    let overview = app.get(&mut visitor, "/indicators").await;
    assert!(overview.body.contains("3 Parties reported in 2020–2023."), "{}", overview.body);
    assert!(overview.body.contains("/indicators/artistic_freedom?cycle=2020-2023"));
    assert!(overview.body.contains("Civil society organizations"));
    let french = app.get(&mut visitor, "/indicators?lang=fr&region=european_union").await;
    assert!(french.body.contains("Une Partie a fait rapport en 2020–2023."), "{}", french.body);
    let bad = app.get(&mut visitor, "/indicators?region=mars").await;
    assert!(bad.body.contains("The filter “region” was not understood"), "{}", bad.body);

    // The Party page compares with its region and with all Parties.
    let party = app.get(&mut visitor, "/parties/FRA").await.body;
    assert!(party.contains("Compared with its region and with all Parties"), "{party}");
    assert!(party.contains("/indicators/cultural_creative_sectors?cycle=2020-2023#g1_ccs_ministry"));
    let eu = app.get(&mut visitor, "/parties/EUE?lang=fr").await.body;
    assert!(eu.contains("Comparaison avec sa région") && eu.contains("Union européenne"), "{eu}");
}
