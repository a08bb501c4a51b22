//! `/measures/{iso3}/{year}/{id}` and `/measures/{id}`: one measure with its report context (Party,
//! year, goal, area).
//!
//! A measure's id is kept across edits and cycles (`AZE-2022-pm01`, as the importer names
//! them, is still its id in the Party's 2026 report when that report was started from a copy
//! of the 2022 one), so the id alone can name several measures. The unique, stable address of
//! a measure adds its report: `/measures/{iso3}/{year}/{id}`; every link of the site (search
//! hits, report and Party pages) goes there. `/measures/{id}` remains as a short form: the
//! measure as the newest published report of the Party the id starts with has it. Both pages
//! name the Party's other reports that have a measure with that id: its earlier versions, and
//! the newer ones when the page is not the current version (`qpr_domain::versions`).

use askama::Template;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use qpr_domain::MeasureKind;
use qpr_domain::countries::Iso3;
use qpr_domain::versions::{MeasureKey, measure_keys};
use qpr_learn::matching;
use qpr_learn::timeline::{self, How, Step};
use qpr_learn::words::Piece;

use super::reports::load_published;
use super::{Site, html, party_name, system_time};
use crate::error::{Missing, WebError};
use crate::http::Representation;
use crate::report_key::{MeasureSegment, ReportKey};
use crate::report_view::{self, Record, Shown};
use crate::search::value_label;
use crate::ui::{Section, Ui, path_segment};

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
    year: i32,
    /// Newer reports of the Party holding the measure, newest first (this is not its current
    /// version when any).
    newer: Vec<i32>,
    /// Earlier reports of the Party holding it, newest first.
    earlier: Vec<i32>,
    /// The most similar measures of other Parties.
    similar: Vec<SimilarItem>,
    /// The measure across the Party's reports, oldest first.
    timeline: Vec<TimelineItem>,
}

/// One report holding the measure, as the timeline shows it.
struct TimelineItem {
    year: i32,
    href: String,
    title: String,
    /// This page's report.
    here: bool,
    /// How it continues the previous report's measure (`None` for the first).
    how: Option<String>,
    /// Parts that changed, named, word by word.
    changes: Vec<(String, Vec<Piece>)>,
    /// Funding before → after.
    funding: Option<String>,
}

impl TimelineItem {
    fn of(ui: &Ui, code: &Iso3, year: i32, step: Step) -> TimelineItem {
        let how = step.how.map(|how| match how {
            How::SameId => ui.t("timeline-same-id"),
            How::Matched(score) => ui.ts("timeline-matched", "score", format!("{score:.2}")),
            How::SplitFrom(others) => ui.ts("timeline-split", "others", others.join(", ")),
            How::MergedWith(others) => ui.ts("timeline-merged", "others", others.join(", ")),
        });
        let mut changes = Vec::new();
        for (message, pieces) in [
            ("timeline-title", step.changes.title),
            ("timeline-description", step.changes.description),
            ("timeline-results", step.changes.results),
        ] {
            if let Some(pieces) = pieces {
                changes.push((ui.t(message), pieces));
            }
        }
        let given =
            |v: Option<String>| v.filter(|v| !v.trim().is_empty()).unwrap_or_else(|| ui.t("timeline-not-given"));
        TimelineItem {
            href: ui.measure_href(code.as_str(), step.year, &step.measure.id),
            here: step.year == year,
            year: step.year,
            title: step.measure.title,
            how,
            changes,
            funding: step.changes.funding.map(|(before, after)| format!("{} → {}", given(before), given(after))),
        }
    }
}

/// A similar measure as the page shows it.
struct SimilarItem {
    href: String,
    title: String,
    party: String,
    year: i32,
    /// Words both have (as this measure writes them), joined.
    shared_terms: String,
    /// The area both are in, named.
    same_area: Option<String>,
    /// Cultural domains both name, named and joined.
    domains: String,
    /// Partner types both name, named and joined.
    partner_types: String,
    results: Option<String>,
    evaluated: Option<bool>,
}

impl SimilarItem {
    fn of(ui: &Ui, similar: qpr_search::SimilarMeasure) -> SimilarItem {
        let names = |facet: qpr_search::Facet, values: &[&str]| {
            values.iter().map(|v| value_label(ui, facet, v)).collect::<Vec<_>>().join(", ")
        };
        SimilarItem {
            href: ui.measure_href(&similar.party, similar.year, &similar.id),
            party: party_name(&similar.party, ui.language()).unwrap_or_else(|| similar.party_name.clone()),
            year: similar.year,
            shared_terms: similar.why.shared_terms.join(", "),
            same_area: similar
                .why
                .same_area
                .then(|| similar.area.as_deref().map(|a| value_label(ui, qpr_search::Facet::Area, a)))
                .flatten(),
            domains: names(qpr_search::Facet::Domain, &similar.why.domains),
            partner_types: names(qpr_search::Facet::PartnerType, &similar.why.partner_types),
            results: similar.results.filter(|r| !r.trim().is_empty()),
            evaluated: similar.evaluated,
            title: similar.title,
        }
    }
}

/// The page of a measure by its id alone: as the newest published report of the Party its
/// id names has it (the short form of the address; pages link to the unique one below).
pub(crate) async fn measure_page(site: Site, ui: Ui, Path(id): Path<String>, request: HeaderMap) -> Response {
    let ui = ui.in_section(Section::Measures);
    measure_page_cached(&site, &ui, &request, || async {
        let missing = || WebError::NotFound(Missing::Measure(id.clone()));
        let code =
            id.get(..3).filter(|_| id.get(3..4) == Some("-")).and_then(|c| Iso3::parse(c).ok()).ok_or_else(missing)?;
        let years = years_with(&site, &code, &id).await?;
        let year = years.first().copied().ok_or_else(missing)?;
        render(&site, &ui, &code, year, &id, &years).await
    })
    .await
}

/// The page of a measure as one report has it, `/measures/{iso3}/{year}/{id}`: unique and
/// stable, whatever other reports hold a measure with the same id.
pub(crate) async fn measure_in_report_page(
    site: Site,
    ui: Ui,
    key: ReportKey,
    Path(MeasureSegment { id }): Path<MeasureSegment>,
    request: HeaderMap,
) -> Response {
    let (code, year) = (key.iso3, key.year.get());
    // One cache entry per measure, however its address is spelled (`aze`, `02022`).
    let ui = ui.in_section(Section::Measures).at(&format!("/measures/{code}/{year}/{}", path_segment(&id)));
    measure_page_cached(&site, &ui, &request, || async {
        let years = years_with(&site, &code, &id).await?;
        if !years.contains(&year) {
            return Err(WebError::NotFound(Missing::Measure(id.clone())));
        }
        render(&site, &ui, &code, year, &id, &years).await
    })
    .await
}

/// A measure page from the page cache, kept per position of the search index as well as per
/// site version: its similar measures come from the index, which follows the outbox a moment
/// after a publication.
async fn measure_page_cached<F, Fut>(site: &Site, ui: &Ui, request: &HeaderMap, render: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Representation, WebError>>,
{
    let position = site.app.search.applied_seq().unwrap_or(-1);
    match site.cached(format!("{}|index {position}", ui.cache_key()), render).await {
        Ok(page) => page.respond(request),
        Err(error) => error.page(ui),
    }
}

/// The years of the Party's published reports that have a measure `id`, newest first.
async fn years_with(site: &Site, code: &Iso3, id: &str) -> Result<Vec<i32>, WebError> {
    let mut years = super::reports::published_years(site, code).await?;
    years.sort_unstable_by(|a, b| b.cmp(a));
    let mut with = Vec::new();
    for year in years {
        let document = load_published(site, code, year).await?.document;
        if measure_keys(&document).any(|key| key.id == id) {
            with.push(year);
        }
    }
    Ok(with)
}

/// The page of measure `id` in the report of `code` for `year`; `years` are the Party's
/// reports that have it (the others are named on the page).
async fn render(
    site: &Site,
    ui: &Ui,
    code: &Iso3,
    year: i32,
    id: &str,
    years: &[i32],
) -> Result<Representation, WebError> {
    let missing = || WebError::NotFound(Missing::Measure(id.to_owned()));
    let published = load_published(site, code, year).await?;
    let document = &published.document;
    let framework = site.app.framework(&document.framework)?;
    let view = report_view::measure(framework, document, id, ui.language()).ok_or_else(missing)?;
    let kind = if view.by_cso { MeasureKind::Cso } else { MeasureKind::Policy };
    let mut reports = Vec::new();
    for other in super::reports::published_years(site, code).await? {
        let measures = if other == year {
            matching::measures(document)
        } else {
            matching::measures(&load_published(site, code, other).await?.document)
        };
        reports.push((other, measures));
    }
    let steps = timeline::timeline(&reports, year, &MeasureKey::new(kind, id));
    let index = std::sync::Arc::clone(&site.app.search);
    let (of, measure) = (document.clone(), id.to_owned());
    let similar = tokio::task::spawn_blocking(move || index.similar(&of, &measure, qpr_search::DEFAULT_SIMILAR))
        .await
        .map_err(|e| WebError::Internal(format!("similar measures task: {e}")))?
        .map_err(|e| WebError::Internal(format!("similar measures: {e}")))?
        .unwrap_or_default();
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
        year,
        newer: years.iter().copied().filter(|&y| y > year).collect(),
        earlier: years.iter().copied().filter(|&y| y < year).collect(),
        similar: similar.into_iter().map(|s| SimilarItem::of(ui, s)).collect(),
        timeline: steps.into_iter().map(|step| TimelineItem::of(ui, code, year, step)).collect(),
    };
    html(&page, system_time(published.published_at.as_str()))
}
