//! `/indicators/map?cycle=2020-2023`: the world map of the Parties that reported in a
//! reporting cycle, with every Party also listed beside it by class (small states, and Parties
//! that are not countries such as the European Union, are reachable there).
//!
//! The map itself is `qpr_views::map`: entries and a legend in, SVG out, so colouring by an
//! indicator's answer is other entries and another legend.

use std::collections::BTreeMap;
use std::time::SystemTime;

use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use fluent_templates::fluent_bundle::FluentValue;
use qpr_domain::countries;
use qpr_domain::cycle::Cycle;
use qpr_views::map::{self, ClassList, LegendClass, MapEntry};

use super::{Site, latest, listed, sort_key};
use crate::error::WebError;
use crate::http::{Kind, Representation};
use crate::ui::{Section, Ui};

/// A cycle to choose in the form.
struct CycleOption {
    id: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "world_map.html")]
struct MapPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    heading: String,
    cycles: Vec<CycleOption>,
    /// The indicators to colour the map by (the first: whether a Party reported).
    questions: Vec<CycleOption>,
    svg: String,
    classes: Vec<ClassList>,
    error: Option<String>,
}

/// `GET /indicators/map`: `cycle` (`2020-2023`; by default the newest cycle with a published
/// report) colours each Party by whether it reported in that cycle, or with `question` (an
/// indicator's id, `qpr_indicators`) by its answer in that cycle. A cycle or an indicator that
/// is not one is a 400 naming it, with the form to choose another.
pub(crate) async fn map_page(
    site: Site,
    ui: Ui,
    Query(params): Query<Vec<(String, String)>>,
    request: HeaderMap,
) -> Response {
    let ui = ui.in_section(Section::Parties).at("/indicators/map");
    let given = params.iter().rev().find(|(k, _)| k == "cycle").map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    let cycle = match given.map(|text| (text, Cycle::parse(text))) {
        None => None,
        Some((_, Ok(cycle))) => Some(cycle),
        Some((text, Err(_))) => {
            let message = ui.ts("map-bad-cycle", "text", text);
            return bad_request(&site, &ui, message).await;
        }
    };
    let question = params.iter().rev().find(|(k, _)| k == "question").map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    if let Some(id) = &question {
        match crate::indicators::figures(&site).await {
            Ok(figures) if figures.catalog().indicator(id).is_some() => {}
            Ok(_) => return bad_request(&site, &ui, ui.ts("map-bad-question", "text", id)).await,
            Err(error) => return error.page(&ui),
        }
    }
    let mut kept: Vec<(&'static str, String)> = cycle.map(|c| vec![("cycle", c.id())]).unwrap_or_default();
    kept.extend(question.clone().map(|q| ("question", q)));
    let ui = ui.with_params(kept);
    site.page(&ui, &request, || render(&site, &ui, cycle, question.as_deref())).await
}

/// The page with its error and the form, answered 400.
async fn bad_request(site: &Site, ui: &Ui, message: String) -> Response {
    match build(site, ui, None, None, Some(message)).await {
        Ok((body, _)) => (StatusCode::BAD_REQUEST, Html(body)).into_response(),
        Err(error) => error.page(ui),
    }
}

async fn render(
    site: &Site,
    ui: &Ui,
    cycle: Option<Cycle>,
    question: Option<&str>,
) -> Result<Representation, WebError> {
    let (body, modified) = build(site, ui, cycle, question, None).await?;
    Ok(Representation::new(Kind::Page, body, modified))
}

/// The page's HTML and when its data last changed.
async fn build(
    site: &Site,
    ui: &Ui,
    cycle: Option<Cycle>,
    question: Option<&str>,
    error: Option<String>,
) -> Result<(String, Option<SystemTime>), WebError> {
    let lang = ui.language();
    let reports = listed(site, lang).await?;
    let this_year = time::OffsetDateTime::now_utc().year();
    let newest = reports.iter().map(|r| Cycle::of_year(r.year)).max();
    let cycle = cycle.or(newest).unwrap_or_else(|| Cycle::of_year(this_year));
    // Each Party's newest report in the cycle.
    let mut reported: BTreeMap<&str, (i32, &str)> = BTreeMap::new();
    for report in reports.iter().filter(|r| cycle.holds(r.year)) {
        let entry = reported.entry(report.iso3.as_str()).or_insert((report.year, report.party.as_str()));
        entry.0 = entry.0.max(report.year);
    }
    let figures = crate::indicators::figures(site).await?;
    let indicator = question.and_then(|id| figures.catalog().indicator(id));
    let answers = indicator.and_then(|i| figures.party_answers(&i.id, cycle));
    let (legend, colour) = match (indicator, &answers) {
        (Some(indicator), Some(answers)) => by_answer(ui, cycle, indicator, answers),
        _ => (
            vec![
                LegendClass { label: ui.ts("map-reported", "cycle", cycle.to_string()), neutral: false },
                LegendClass { label: ui.ts("map-not-reported", "cycle", cycle.to_string()), neutral: true },
            ],
            Colouring::Reported,
        ),
    };
    // Every Party of the country list, and any other code with a published report (the
    // European Union): the map draws what it has a shape for and lists the rest.
    let mut entries: Vec<MapEntry> = countries::all()
        .iter()
        .filter(|c| c.ratification.is_some() || reported.contains_key(c.iso3.as_str()))
        .map(|c| (c.iso3.as_str().to_owned(), c.name.get(lang).to_owned()))
        .chain(
            reported
                .iter()
                .filter(|(iso3, _)| countries::by_iso3(iso3).is_none())
                .map(|(iso3, (_, name))| ((*iso3).to_owned(), (*name).to_owned())),
        )
        .map(|(iso3, name)| {
            let (class, href) = match (reported.get(iso3.as_str()), &colour) {
                (Some((year, _)), Colouring::Reported) => (0, ui.report_href(&iso3, year)),
                (None, Colouring::Reported) => (1, ui.party_href(&iso3)),
                (Some((year, _)), Colouring::Answer { classes, anchor, .. }) => (
                    classes.get(&iso3).copied().unwrap_or(classes.len()),
                    format!("{}#{anchor}", ui.report_href(&iso3, year)),
                ),
                (None, Colouring::Answer { not_reported, .. }) => (*not_reported, ui.party_href(&iso3)),
            };
            MapEntry { iso3, name, class, href }
        })
        .collect();
    entries.sort_by_cached_key(|e| sort_key(&e.name));
    let heading = match indicator {
        Some(indicator) => crate::i18n::text_with(
            lang,
            "map-heading-question",
            &[
                ("question", FluentValue::from(indicator.label.get(lang).to_owned())),
                ("cycle", FluentValue::from(cycle.to_string())),
            ],
        ),
        None => ui.ts("map-heading", "cycle", cycle.to_string()),
    };
    let drawn = map::render(&heading, &entries, &legend).map_err(|e| WebError::Internal(e.to_string()))?;
    // Every window from the first to the latest of this year's, a report's and the one shown.
    let last_year = this_year.max(newest.map_or(0, Cycle::last_year)).max(cycle.last_year());
    let cycles = Cycle::up_to(last_year)
        .iter()
        .rev()
        .map(|c| CycleOption { id: c.id(), label: c.to_string(), selected: *c == cycle })
        .collect();
    let questions = std::iter::once(CycleOption {
        id: String::new(),
        label: ui.t("map-by-reporting"),
        selected: indicator.is_none(),
    })
    .chain(figures.catalog().indicators.iter().map(|i| CycleOption {
        id: i.id.clone(),
        label: match &i.group_label {
            Some(group) => format!("{} — {}", i.label.get(lang), group.get(lang)),
            None => i.label.get(lang).to_owned(),
        },
        selected: indicator.is_some_and(|shown| shown.id == i.id),
    }))
    .collect();
    let modified = latest(reports.iter().map(|r| r.published_at.as_str()));
    let page =
        MapPage { lang: ui.lang(), ui, heading, cycles, questions, svg: drawn.svg, classes: drawn.classes, error };
    let body = page.render().map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((body, modified))
}

/// How Parties get their class.
enum Colouring {
    /// Reported in the cycle (0) or not (1).
    Reported,
    /// By their answer to an indicator: the class of each Party that reported (a Party whose
    /// report gives no counted answer has `no_answer`), and `not_reported` for the others.
    Answer { classes: BTreeMap<String, usize>, not_reported: usize, anchor: String },
}

/// The legend and classes of the map of an indicator's answers: one class per option, "several
/// answers" when a Party may choose more than one, then "no answer counted" and "did not report"
/// (neutral, apart from the data).
fn by_answer(
    ui: &Ui,
    cycle: Cycle,
    indicator: &qpr_indicators::Indicator,
    answers: &BTreeMap<String, Vec<&qpr_indicators::ChoiceOption>>,
) -> (Vec<LegendClass>, Colouring) {
    let lang = ui.language();
    let mut legend: Vec<LegendClass> =
        indicator.options.iter().map(|o| LegendClass { label: o.label.get(lang).to_owned(), neutral: false }).collect();
    let several = indicator.multiple.then(|| {
        legend.push(LegendClass { label: ui.t("map-several-answers"), neutral: false });
        legend.len() - 1
    });
    legend.push(LegendClass { label: ui.t("map-no-answer"), neutral: true });
    let no_answer = legend.len() - 1;
    legend.push(LegendClass { label: ui.ts("map-not-reported", "cycle", cycle.to_string()), neutral: true });
    let not_reported = legend.len() - 1;
    let position = |key: &str| indicator.options.iter().position(|o| o.key == key);
    let classes = answers
        .iter()
        .map(|(iso3, chosen)| {
            let class = match chosen.as_slice() {
                [] => no_answer,
                [one] => position(&one.key).unwrap_or(no_answer),
                [first, ..] => several.or_else(|| position(&first.key)).unwrap_or(no_answer),
            };
            (iso3.clone(), class)
        })
        .collect();
    (legend, Colouring::Answer { classes, not_reported, anchor: indicator.question.clone() })
}
