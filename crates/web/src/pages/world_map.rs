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
use qpr_domain::countries;
use qpr_views::cycle::ReportingCycle;
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
    svg: String,
    classes: Vec<ClassList>,
    error: Option<String>,
}

/// `GET /indicators/map`: `cycle` (`2020-2023`; by default the newest cycle with a published
/// report) colours each Party by whether it reported in that cycle. A cycle that is not one is
/// a 400 naming it, with the form to choose another.
pub(crate) async fn map_page(
    site: Site,
    ui: Ui,
    Query(params): Query<Vec<(String, String)>>,
    request: HeaderMap,
) -> Response {
    let ui = ui.in_section(Section::Parties).at("/indicators/map");
    let given = params.iter().rev().find(|(k, _)| k == "cycle").map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    let cycle = match given.map(ReportingCycle::parse) {
        None => None,
        Some(Ok(cycle)) => Some(cycle),
        Some(Err(error)) => {
            let message = ui.ts("map-bad-cycle", "text", &error.0);
            return bad_request(&site, &ui, message).await;
        }
    };
    let ui = ui.with_params(cycle.map(|c| vec![("cycle", c.id())]).unwrap_or_default());
    site.page(&ui, &request, || render(&site, &ui, cycle)).await
}

/// The page with its error and the form, answered 400.
async fn bad_request(site: &Site, ui: &Ui, message: String) -> Response {
    match build(site, ui, None, Some(message)).await {
        Ok((body, _)) => (StatusCode::BAD_REQUEST, Html(body)).into_response(),
        Err(error) => error.page(ui),
    }
}

async fn render(site: &Site, ui: &Ui, cycle: Option<ReportingCycle>) -> Result<Representation, WebError> {
    let (body, modified) = build(site, ui, cycle, None).await?;
    Ok(Representation::new(Kind::Page, body, modified))
}

/// The page's HTML and when its data last changed.
async fn build(
    site: &Site,
    ui: &Ui,
    cycle: Option<ReportingCycle>,
    error: Option<String>,
) -> Result<(String, Option<SystemTime>), WebError> {
    let lang = ui.language();
    let reports = listed(site, lang).await?;
    let newest = reports.iter().filter_map(|r| ReportingCycle::of_year(r.year)).max();
    let cycle = cycle.or(newest).unwrap_or(ReportingCycle::ALL[ReportingCycle::ALL.len() - 1]);
    // Each Party's newest report in the cycle.
    let mut reported: BTreeMap<&str, (i32, &str)> = BTreeMap::new();
    for report in reports.iter().filter(|r| cycle.contains(r.year)) {
        let entry = reported.entry(report.iso3.as_str()).or_insert((report.year, report.party.as_str()));
        entry.0 = entry.0.max(report.year);
    }
    let legend = vec![
        LegendClass { label: ui.ts("map-reported", "cycle", cycle.label()), neutral: false },
        LegendClass { label: ui.ts("map-not-reported", "cycle", cycle.label()), neutral: true },
    ];
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
            let (class, href) = match reported.get(iso3.as_str()) {
                Some((year, _)) => (0, ui.report_href(&iso3, year)),
                None => (1, ui.party_href(&iso3)),
            };
            MapEntry { iso3, name, class, href }
        })
        .collect();
    entries.sort_by_cached_key(|e| sort_key(&e.name));
    let heading = ui.ts("map-heading", "cycle", cycle.label());
    let drawn = map::render(&heading, &entries, &legend).map_err(|e| WebError::Internal(e.to_string()))?;
    let cycles = ReportingCycle::ALL
        .iter()
        .rev()
        .map(|c| CycleOption { id: c.id(), label: c.label(), selected: *c == cycle })
        .collect();
    let modified = latest(reports.iter().map(|r| r.published_at.as_str()));
    let page = MapPage { lang: ui.lang(), ui, heading, cycles, svg: drawn.svg, classes: drawn.classes, error };
    let body = page.render().map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((body, modified))
}
