//! The world map (`/indicators/map`) and the comparison of Parties (`/compare`), in-process on
//! a fresh database holding the demo report and reports published by the test: the cells and
//! links are checked against the documents, not only that the pages render.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use qpr_domain::document::PartyRef;
use qpr_domain::framework::{AnswerType, Question};
use qpr_domain::text::Lang;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;
use qpr_views::report::{Shown, shown};
use scraper::{ElementRef, Html, Selector};
use tower::ServiceExt;

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

struct App {
    router: axum::Router,
    store: Store,
    _dir: tempfile::TempDir,
}

impl App {
    async fn new() -> App {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
        let state = qpr_web::AppState::new(
            store.clone(),
            search,
            qpr_mail::Mailer::to_folder("qpr@localhost", dir.path().join("mail")).unwrap(),
            qpr_web::SiteSettings::new("http://127.0.0.1"),
            Arc::new(qpr_signature::PlatformKey::generate().unwrap()),
        );
        App { router: qpr_web::router(state), store, _dir: dir }
    }

    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let response = self.router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn seed() -> ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap()
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn within<'a>(element: ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    element.select(&Selector::parse(selector).unwrap()).collect()
}

fn text(element: &ElementRef<'_>) -> String {
    element.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell's text as the report page shows a value.
fn shown_text(value: &Shown) -> String {
    match value {
        Shown::Dash => "-".into(),
        Shown::Lines(lines) | Shown::Paragraphs(lines) => lines.join(" "),
        Shown::Groups(groups) => {
            groups.iter().map(|(h, items)| format!("{h} {}", items.join(" "))).collect::<Vec<_>>().join(" ")
        }
        Shown::Table { header, rows } => {
            header.iter().chain(rows.iter().flatten()).filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" ")
        }
    }
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

fn first_of(framework: &Framework, answer_type: AnswerType) -> &Question {
    framework.questions().map(|(_, q)| q).find(|q| q.answer_type == answer_type).unwrap()
}

/// The demo report (AZE 2022), an older report of Azerbaijan (2016), France 2021 with a few
/// answers and a measure, Germany 2017 and the European Union 2023 (a Party without a shape).
async fn app_with_reports() -> (App, ReportDocument, ReportDocument) {
    let app = App::new().await;
    let azerbaijan = seed();
    app.store.publish(&azerbaijan, "test").await.unwrap();
    let mut older = seed();
    older.year = 2016;
    older.policy_measures.truncate(1);
    app.store.publish(&older, "test").await.unwrap();
    let framework = Framework::qpr_2020();
    let mut france = ReportDocument::new(
        "qpr-2020",
        PartyRef { name: "France".into(), iso3: Some(qpr_domain::countries::Iso3::parse("FRA").unwrap()) },
        2021,
    );
    let yes_no = first_of(framework, AnswerType::YesNo);
    let current = azerbaijan.answer(&yes_no.id).and_then(serde_json::Value::as_bool).unwrap_or(true);
    france.answers.insert(yes_no.id.clone(), serde_json::json!(!current));
    let free = first_of(framework, AnswerType::FreeText);
    france.answers.insert(free.id.clone(), serde_json::json!("Première ligne <b>.\n\nSeconde & dernière."));
    let mut measure = azerbaijan.policy_measures[0].clone();
    measure.id = "FRA-1".into();
    measure.title = "Fonds <pour> la création".into();
    france.policy_measures.push(measure);
    app.store.publish(&france, "test").await.unwrap();
    let germany = ReportDocument::new(
        "qpr-2020",
        PartyRef { name: "Germany".into(), iso3: Some(qpr_domain::countries::Iso3::parse("DEU").unwrap()) },
        2017,
    );
    app.store.publish(&germany, "test").await.unwrap();
    let eu = ReportDocument::new(
        "qpr-2020",
        PartyRef { name: "European Union".into(), iso3: Some(qpr_domain::countries::Iso3::parse("EUE").unwrap()) },
        2023,
    );
    app.store.publish(&eu, "test").await.unwrap();
    (app, azerbaijan, france)
}

#[tokio::test]
async fn compare_shows_each_latest_report_question_by_question_and_their_measures() {
    let (app, azerbaijan, france) = app_with_reports().await;
    let framework = Framework::qpr_2020();
    for lang in [Lang::En, Lang::Fr] {
        let (status, body) = app.get(&format!("/compare?party=AZE&party=fra&lang={}", lang.tag())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let html = Html::parse_document(&body);
        // The columns are the latest reports (AZE 2022, not 2016), in the order asked.
        let head: Vec<String> = within(select(&html, "table.compare thead tr")[0], "th").iter().map(text).collect();
        let names = match lang {
            Lang::En => ["Azerbaijan 2022", "France 2021"],
            Lang::Fr => ["Azerbaïdjan 2022", "France 2021"],
        };
        assert_eq!(head[1..], names);
        // Every question of the form is a row, in the form's order, each cell what the report
        // page shows for that report.
        let rows = select(&html, "table.compare tr[data-question]");
        let mut answered = 0;
        let mut ids = Vec::new();
        for row in &rows {
            let id = row.value().attr("data-question").unwrap();
            ids.push(id.to_owned());
            let question = framework.question(id).unwrap();
            let label = within(*row, "th").first().map(text).unwrap();
            assert_eq!(label, question.label.get(lang).split_whitespace().collect::<Vec<_>>().join(" "));
            if question.answer_type == AnswerType::Records {
                continue;
            }
            let cells: Vec<String> = row
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|e| e.value().name() == "td")
                .map(|td| text(&td))
                .collect();
            assert_eq!(cells.len(), 2, "{id}");
            for (cell, document) in cells.iter().zip([&azerbaijan, &france]) {
                let expected = document
                    .answer(id)
                    .map_or_else(|| "-".to_owned(), |value| shown_text(&shown(framework, question, value, lang)));
                assert_eq!(cell, &expected, "{id}");
                answered += usize::from(expected != "-");
            }
        }
        assert!(answered > 50, "{answered}");
        let expected: Vec<&str> =
            framework.questions().map(|(_, q)| q.id.as_str()).filter(|id| ids.iter().any(|i| i == id)).collect();
        assert_eq!(
            ids.iter().filter(|i| framework.questions().any(|(_, q)| &q.id == *i)).collect::<Vec<_>>(),
            expected
        );
        // The measures of each report under their area, linking to their pages.
        let links: Vec<(String, String)> = select(&html, "table.compare a")
            .iter()
            .map(|a| (a.value().attr("href").unwrap().to_owned(), text(a)))
            .collect();
        let suffix = format!("?lang={}", lang.tag());
        for measure in &azerbaijan.policy_measures {
            let href = format!("/measures/AZE/2022/{}{suffix}", measure.id);
            assert!(
                links
                    .iter()
                    .any(|(h, t)| h == &href && t == &measure.title.split_whitespace().collect::<Vec<_>>().join(" ")),
                "{href} {:?} {links:?}",
                measure.title
            );
        }
        assert!(links.contains(&(format!("/measures/FRA/2021/FRA-1{suffix}"), "Fonds <pour> la création".into())));
        // Report text is escaped.
        assert!(!body.contains("<pour>") && !body.contains("<b>"));
    }
    // The yes/no question reads YES/NO, OUI/NON as on the report page.
    let yes_no = first_of(framework, AnswerType::YesNo);
    let (_, body) = app.get("/compare?party=FRA&party=AZE&party=DEU&lang=fr").await;
    let html = Html::parse_document(&body);
    let row = select(&html, &format!("tr[data-question=\"{}\"]", yes_no.id)).first().map(text).unwrap();
    let says = |document: &ReportDocument| match document.answer(&yes_no.id).and_then(serde_json::Value::as_bool) {
        Some(true) => "OUI",
        Some(false) => "NON",
        None => "-",
    };
    assert_eq!(says(&france), if says(&azerbaijan) == "OUI" { "NON" } else { "OUI" });
    assert_eq!(row, format!("{} {} {} -", yes_no.label.fr, says(&france), says(&azerbaijan)));
}

#[tokio::test]
async fn compare_refuses_what_it_cannot_compare_with_a_400_naming_it() {
    let (app, _, _) = app_with_reports().await;
    let cases = [
        ("/compare?party=AZE", "Choose at least 2 Parties"),
        ("/compare?party=AZE&party=FRA&party=DEU&party=EUE&party=AZE", "AZE is chosen twice"),
        ("/compare?party=AZE&party=FRA&party=DEU&party=EUE&party=ITA&party=ESP", "At most 5 Parties"),
        ("/compare?party=AZE&party=F1", "`F1` is not a country code"),
        ("/compare?party=AZE&party=ITA", "ITA has no published report"),
    ];
    for (uri, message) in cases {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        let html = Html::parse_document(&body);
        let error = select(&html, "#compare-error").first().map(text).unwrap();
        assert!(error.contains(message) && error.contains("parameter party"), "{uri}: {error}");
        assert!(select(&html, "table.compare").is_empty());
    }
    let (status, body) = app.get("/compare?party=AZE&lang=fr").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Choisissez au moins 2 Parties"), "{body}");
    // Without Parties, the form alone; lists left empty are no choice.
    let (status, body) = app.get("/compare?party=&party=AZE&party=&party=FRA").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Azerbaijan 2022"));
    let (status, body) = app.get("/compare").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(Html::parse_document(&body).select(&Selector::parse("select[name=party]").unwrap()).count(), 5);
}

#[tokio::test]
async fn the_map_colours_parties_by_whether_they_reported_in_the_cycle() {
    let (app, _, _) = app_with_reports().await;
    // By default, the newest cycle with a report: 2020–2023.
    let (status, body) = app.get("/indicators/map").await;
    assert_eq!(status, StatusCode::OK);
    let html = Html::parse_document(&body);
    let links: Vec<(String, String)> = select(&html, "svg.world-map a")
        .iter()
        .map(|a| (a.value().attr("href").unwrap().to_owned(), a.value().attr("aria-label").unwrap().to_owned()))
        .collect();
    let link = |href: &str| links.iter().find(|(h, _)| h == href).map(|(_, label)| label.clone());
    assert_eq!(link("/reports/AZE/2022").as_deref(), Some("Azerbaijan: Reported in 2020–2023"));
    assert_eq!(link("/reports/FRA/2021").as_deref(), Some("France: Reported in 2020–2023"));
    assert_eq!(link("/parties/DEU").as_deref(), Some("Germany: Did not report in 2020–2023"));
    assert_eq!(link("/parties/BRA").as_deref(), Some("Brazil: Did not report in 2020–2023"));
    // The European Union (no shape) and Malta (too small for the data) are listed, not drawn.
    assert!(link("/reports/EUE/2023").is_none() && link("/parties/MLT").is_none());
    let lists: Vec<(String, Vec<String>)> = select(&html, "main section")
        .iter()
        .map(|s| {
            let heading = within(*s, "h3").first().map(text).unwrap();
            (heading, within(*s, "li").iter().map(text).collect())
        })
        .collect();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].0, "Reported in 2020–2023 (3)");
    assert_eq!(lists[0].1, ["Azerbaijan", "European Union (not on the map, or too small to click there)", "France"]);
    assert!(lists[1].0.starts_with("Did not report in 2020–2023 ("));
    assert!(lists[1].1.contains(&"Malta (not on the map, or too small to click there)".to_owned()));
    assert!(lists[1].1.contains(&"Germany".to_owned()));
    // Another cycle, in French.
    let (status, body) = app.get("/indicators/map?cycle=2016-2019&lang=fr").await;
    assert_eq!(status, StatusCode::OK);
    let html = Html::parse_document(&body);
    let labels: Vec<String> =
        select(&html, "svg.world-map a").iter().map(|a| a.value().attr("aria-label").unwrap().to_owned()).collect();
    assert!(labels.contains(&"Allemagne: Rapport soumis en 2016–2019".to_owned()), "{labels:?}");
    assert!(labels.contains(&"Azerbaïdjan: Rapport soumis en 2016–2019".to_owned()));
    assert!(labels.contains(&"France: Pas de rapport en 2016–2019".to_owned()));
    assert!(select(&html, "svg.world-map a[href=\"/reports/AZE/2016?lang=fr\"]").len() == 1);
    // A cycle that is not one: 400, naming it, with the form.
    let (status, body) = app.get("/indicators/map?cycle=2021-2024").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("The cycle `2021-2024` is not a reporting cycle") && body.contains("parameter cycle"),
        "{body}"
    );
    assert!(body.contains("<select id=\"map-cycle\""));
}

#[tokio::test]
async fn the_map_colours_parties_by_their_answer_to_an_indicator() {
    let (app, azerbaijan, france) = app_with_reports().await;
    // A yes/no question of an area of monitoring that the demo report answers: an indicator.
    let framework = Framework::qpr_2020();
    let question = framework
        .sections
        .iter()
        .filter(|s| s.area.is_some())
        .flat_map(|s| s.questions.iter())
        .find(|q| q.answer_type == AnswerType::YesNo && azerbaijan.answer(&q.id).is_some_and(|a| a.is_boolean()))
        .expect("an answered yes/no question in an area");
    // The form's own labels of the options.
    let label = |document: &ReportDocument| match document.answer(&question.id) {
        Some(serde_json::Value::Bool(true)) => "YES",
        Some(serde_json::Value::Bool(false)) => "NO",
        _ => "No answer counted",
    };
    let (answer, france_answer) = (label(&azerbaijan), label(&france));
    let (status, body) = app.get(&format!("/indicators/map?cycle=2020-2023&question={}", question.id)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = Html::parse_document(&body);
    let heading = text(&select(&html, "h1")[0]);
    assert_eq!(heading, format!("{} (2020–2023)", question.label.en));
    let links: Vec<(String, String)> = select(&html, "svg.world-map a")
        .iter()
        .map(|a| (a.value().attr("href").unwrap().to_owned(), a.value().attr("aria-label").unwrap().to_owned()))
        .collect();
    let link = |href: &str| links.iter().find(|(h, _)| h == href).map(|(_, label)| label.clone());
    // Each reporting Party links to the answer in its report.
    let azerbaijan_link = format!("/reports/AZE/2022#{}", question.id);
    assert_eq!(link(&azerbaijan_link), Some(format!("Azerbaijan: {answer}")), "{links:?}");
    let france_link = format!("/reports/FRA/2021#{}", question.id);
    assert_eq!(link(&france_link), Some(format!("France: {france_answer}")));
    assert_eq!(link("/parties/DEU").as_deref(), Some("Germany: Did not report in 2020–2023"));
    let lists: Vec<(String, Vec<String>)> = select(&html, "main section")
        .iter()
        .map(|s| (within(*s, "h3").first().map(text).unwrap(), within(*s, "li").iter().map(text).collect()))
        .collect();
    let headings: Vec<&str> = lists.iter().map(|(h, _)| h.as_str()).collect();
    // The European Union (no answer) is counted apart from NO, never as NO.
    let count = |l: &str| [answer, france_answer, "No answer counted"].iter().filter(|a| **a == l).count();
    let expected = ["YES", "NO", "No answer counted"].map(|l| format!("{l} ({})", count(l)));
    assert_eq!(headings[..3], expected.iter().map(String::as_str).collect::<Vec<_>>()[..], "{lists:?}");
    assert!(lists[2].1.iter().any(|p| p.starts_with("European Union")), "{lists:?}");
    let chosen = select(&html, "#map-question option[selected]");
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0].value().attr("value"), Some(question.id.as_str()));
    // An id that is no indicator: 400, naming it and the parameter.
    let (status, body) = app.get("/indicators/map?question=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("`nope` is not an indicator (parameter question)"), "{body}");
}
