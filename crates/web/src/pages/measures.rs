//! `/measures/{id}`: one measure with its report context (Party, year, goal, area).
//!
//! A measure's id starts with its Party's code (`AZE-2022-pm01`, as the importer names them;
//! ids are kept across edits and cycles). The page shows the measure as the newest published
//! report of that Party that has it, and names the other reports it is in.

use askama::Template;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use qpr_domain::countries::Iso3;

use super::reports::load_published;
use super::{Site, html, party_name, system_time};
use crate::error::{Missing, WebError};
use crate::http::Representation;
use crate::report_view::{self, Record, Shown};
use crate::ui::{Section, Ui};

#[derive(Template)]
#[template(path = "measure.html")]
struct MeasurePage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    record: &'a Record,
    by_cso: bool,
    goal: Option<String>,
    area: Option<String>,
    iso3: String,
    party: String,
    report_label: String,
    in_report: String,
    also_in: Vec<i32>,
}

/// The page of a measure.
pub(crate) async fn measure_page(site: Site, ui: Ui, Path(id): Path<String>, request: HeaderMap) -> Response {
    let ui = ui.in_section(Section::Measures);
    site.page(&ui, &request, || render(&site, &ui, &id)).await
}

async fn render(site: &Site, ui: &Ui, id: &str) -> Result<Representation, WebError> {
    let missing = || WebError::NotFound(Missing::Measure(id.to_owned()));
    let code = id.get(..3).filter(|_| id.get(3..4) == Some("-")).and_then(|c| Iso3::parse(c).ok()).ok_or_else(missing)?;
    let years: Vec<i32> =
        site.app.store.published_listing().await?.into_iter().filter(|r| r.party_iso3 == code.as_str()).map(|r| r.year).collect();
    let mut found = None;
    let mut also_in = Vec::new();
    for year in years {
        let published = load_published(site, &code, year).await?;
        let has_it =
            published.document.policy_measures.iter().any(|m| m.id == id) || published.document.cso_measures.iter().any(|m| m.id == id);
        match (&found, has_it) {
            (_, false) => {}
            (None, true) => found = Some(published),
            (Some(_), true) => also_in.push(year),
        }
    }
    let published = found.ok_or_else(missing)?;
    let document = &published.document;
    let framework = site.app.framework(&document.framework)?;
    let view = report_view::measure(framework, document, id, ui.language()).ok_or_else(missing)?;
    let page = MeasurePage {
        lang: ui.lang(),
        ui,
        record: &view.record,
        by_cso: view.by_cso,
        goal: view.goal.clone(),
        area: view.area.clone(),
        party: party_name(code.as_str(), ui.language()).unwrap_or_else(|| document.party.name.clone()),
        report_label: format!("{} {}", document.party.name, document.year),
        in_report: format!("{}#{}", ui.report_href(code.as_str(), document.year), view.record.id),
        iso3: code.to_string(),
        also_in,
    };
    html(&page, system_time(&published.published_at))
}
