//! The Global Report's figures on the web: `/indicators` (the headline figure of every area
//! by goal, measures, CSO involvement), `/indicators/{area}` (each indicator with its chart,
//! table, base, breakdown by region and the Parties' answers; statistics and measures of the
//! area) and `GET /api/v1/indicators` (JSON or CSV).
//!
//! The figures are `qpr-indicators`'; this module maps HTTP to them. They are derived once per
//! site version (`FigureCache`), off the request path: a task started with the router
//! ([`keep_current`]) makes them when the server starts (reading every published revision)
//! and again whenever the site version moves (a publication or withdrawal by any server or
//! command: the outbox moves the store's change marks). A published revision's facts are read
//! once and kept (revisions never change), so after a publication only the new report is read
//! and the counts are made again over the kept facts; pages and API answers are then cached
//! per site version like every page.
//!
//! **Invariant: figures are never older than the site version a request sees.** A request
//! that comes while the figures of its version are being made (by the task, or by another
//! request) waits for them; it is never answered from the previous version's figures.

mod chart;
mod pages;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qpr_domain::text::Lang;
use qpr_indicators::{Catalog, Cycle, Figures, Group, IndicatorFigure, PublishedReport, ReportFacts, Tally};
use qpr_store::{RevisionId, Store};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::cache::SiteVersion;
use crate::error::WebError;
use crate::http::{Kind, Representation};
use crate::pages::Site;

pub(crate) use pages::{PartyComparison, party_comparison};

/// The routes of the indicators.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(pages::index))
        .route("/indicators/{area}", get(pages::area))
        .route("/api/v1/indicators", get(api))
}

/// The figures of the published reports, made once per site version, and the facts of each
/// published revision they were made from.
pub(crate) struct FigureCache {
    store: Store,
    facts: RwLock<HashMap<RevisionId, Arc<ReportFacts>>>,
    /// The figures of the newest versions made, newest last: the task may have made those of
    /// a version that requests will see only when their freshness period ends (the page
    /// cache's), so the previous version's are kept for them meanwhile.
    figures: RwLock<Vec<(SiteVersion, Arc<Figures<'static>>)>>,
    /// One caller (the task or a request) makes the figures of a new version; the others wait.
    making: tokio::sync::Mutex<()>,
}

/// How often the task of [`keep_current`] reads the site version from the database.
const KEEP_CURRENT_EVERY: Duration = Duration::from_millis(500);

/// How many versions' figures are kept (see `FigureCache::figures`).
const VERSIONS_KEPT: usize = 2;

impl FigureCache {
    pub(crate) fn new(store: Store) -> FigureCache {
        FigureCache {
            store,
            facts: RwLock::default(),
            figures: RwLock::new(Vec::with_capacity(VERSIONS_KEPT + 1)),
            making: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self, version: SiteVersion) -> Option<Arc<Figures<'static>>> {
        let figures = self.figures.read().unwrap_or_else(PoisonError::into_inner);
        figures.iter().find(|(made_from, _)| *made_from == version).map(|(_, f)| Arc::clone(f))
    }

    /// The figures of `version`: those kept, else made now (or waited for while another
    /// caller makes them).
    async fn of(&self, version: SiteVersion) -> Result<Arc<Figures<'static>>, WebError> {
        if let Some(figures) = self.current(version) {
            return Ok(figures);
        }
        let _making = self.making.lock().await;
        if let Some(figures) = self.current(version) {
            return Ok(figures);
        }
        let started = Instant::now();
        let catalog = Catalog::builtin();
        let listing = self.store.published_listing().await?;
        let mut reports = Vec::with_capacity(listing.len());
        let mut kept = HashMap::with_capacity(listing.len());
        let mut read = 0;
        for report in listing {
            let known = self.facts.read().unwrap_or_else(PoisonError::into_inner).get(&report.revision).cloned();
            let facts = match known {
                Some(facts) => facts,
                None => {
                    let (_, document) = self.store.revision(report.revision).await?;
                    read += 1;
                    Arc::new(ReportFacts::of(catalog, &document))
                }
            };
            kept.insert(report.revision, Arc::clone(&facts));
            reports.push(PublishedReport { iso3: report.party_iso3, year: report.year, facts });
        }
        let count = reports.len();
        // Facts of revisions no longer published are dropped with the rest.
        *self.facts.write().unwrap_or_else(PoisonError::into_inner) = kept;
        let figures = Arc::new(Figures::new(catalog, reports));
        {
            let mut kept = self.figures.write().unwrap_or_else(PoisonError::into_inner);
            kept.push((version, Arc::clone(&figures)));
            let over = kept.len().saturating_sub(VERSIONS_KEPT);
            kept.drain(..over);
        }
        tracing::info!(
            reports = count,
            read,
            ms = started.elapsed().as_millis(),
            "Indicator figures made from {count} published reports ({read} read)"
        );
        Ok(figures)
    }
}

/// The figures of what is published now (the site version this request sees).
pub(crate) async fn figures(site: &Site) -> Result<Arc<Figures<'static>>, WebError> {
    let version = site.cache.version(&site.app.store).await?;
    site.figures.of(version).await
}

/// Starts the task that makes the figures when the server starts and whenever the site
/// version moves, so that requests find them made. It reads the site version from the
/// database itself (not through the page cache, whose freshness period it would otherwise
/// start: requests would see a publication that follows up to a period later), holds the
/// cache only while it looks, and ends when the router that owns the cache is dropped.
/// Without a tokio runtime (a router built outside one) there is no task, and requests make
/// the figures as they come.
pub(crate) fn keep_current(figures: &Arc<FigureCache>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    let figures = Arc::downgrade(figures);
    runtime.spawn(async move {
        loop {
            let Some(figures) = figures.upgrade() else { return };
            let made = match SiteVersion::read(&figures.store).await {
                Ok(version) => figures.of(version).await.map(|_| ()),
                Err(error) => Err(error.into()),
            };
            if let Err(error) = made {
                // Requests make them (and answer the error) meanwhile; try again shortly.
                tracing::warn!(error = %error, "Cannot make the indicator figures: {error}");
            }
            drop(figures);
            tokio::time::sleep(KEEP_CURRENT_EVERY).await;
        }
    });
}

/// A parameter that cannot be taken: which, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParamError {
    param: String,
    message: String,
}

/// What the pages and the API are asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    cycle: Option<Cycle>,
    region: Option<Group>,
    goal: Option<u8>,
    area: Option<String>,
    question: Option<String>,
    csv: bool,
}

/// The parameters the API takes, besides `lang`.
const API_PARAMS: [&str; 6] = ["cycle", "region", "goal", "area", "question", "format"];

impl Selection {
    /// Reads the parameters named in `accepted`; an unknown parameter or a value that names
    /// nothing is an error naming the parameter.
    fn parse(params: &[(String, String)], accepted: &[&str]) -> Result<Selection, ParamError> {
        let catalog = Catalog::builtin();
        let mut selection = Selection::default();
        for (name, value) in params {
            let value = value.trim();
            let error = |message: String| Err(ParamError { param: name.clone(), message });
            if name == "lang" {
                continue;
            }
            if !accepted.contains(&name.as_str()) {
                return error(format!("unknown parameter; use {}", accepted.join(", ")));
            }
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "cycle" => match Cycle::parse(value) {
                    Ok(cycle) => selection.cycle = Some(cycle),
                    Err(e) => return error(e.to_string()),
                },
                "region" => match Group::from_id(value) {
                    Some(group) => selection.region = Some(group),
                    None => {
                        let ids: Vec<_> = Group::ALL.iter().map(|g| g.id()).collect();
                        return error(format!("`{value}` is not a region; use one of {}", ids.join(", ")));
                    }
                },
                "goal" => match value.parse::<u8>().ok().filter(|n| catalog.goals.iter().any(|(g, _)| g == n)) {
                    Some(goal) => selection.goal = Some(goal),
                    None => return error(format!("`{value}` is not a goal; use 1, 2, 3 or 4")),
                },
                "area" => match catalog.area(value) {
                    Some(area) => selection.area = Some(area.id.clone()),
                    None => {
                        let ids: Vec<_> = catalog.areas.iter().map(|a| a.id.as_str()).collect();
                        return error(format!("`{value}` is not an area of monitoring; use one of {}", ids.join(", ")));
                    }
                },
                "question" => {
                    if catalog.indicators.iter().any(|i| i.id == value || i.question == value) {
                        selection.question = Some(value.to_owned());
                    } else {
                        return error(format!(
                            "`{value}` is not a question counted as an indicator (a yes/no, option or rating question of an area of monitoring)"
                        ));
                    }
                }
                "format" => match value {
                    "json" => selection.csv = false,
                    "csv" => selection.csv = true,
                    other => return error(format!("`{other}` is not a format; use json or csv")),
                },
                _ => {}
            }
        }
        Ok(selection)
    }

    /// The indicators selected, in the form's order.
    fn indicators<'c>(&self, catalog: &'c Catalog) -> impl Iterator<Item = &'c qpr_indicators::Indicator> {
        catalog.indicators.iter().filter(move |i| {
            self.goal.is_none_or(|g| i.goal == g)
                && self.area.as_deref().is_none_or(|a| i.area == a)
                && self.question.as_deref().is_none_or(|q| i.id == q || i.question == q)
        })
    }
}

/// The answer to a request with a parameter it cannot take (`400`).
#[derive(Serialize, ToSchema)]
pub(crate) struct BadIndicatorParameter {
    /// What is wrong.
    error: BadIndicatorParameterDetail,
}

/// Which parameter, and why.
#[derive(Serialize, ToSchema)]
pub(crate) struct BadIndicatorParameterDetail {
    /// `bad_parameter`.
    code: &'static str,
    /// The parameter's name.
    parameter: String,
    /// What is wrong with it and what it takes.
    message: String,
}

fn bad_request(error: ParamError) -> Response {
    let message = format!("parameter `{}`: {}", error.param, error.message);
    let body = BadIndicatorParameter {
        error: BadIndicatorParameterDetail { code: "bad_parameter", parameter: error.param, message },
    };
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

/// Who an indicator's figure is about.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub(crate) struct IndicatorBase {
    /// Parties that reported in the cycle (in the region, when one is chosen): one report
    /// per Party, its latest in the cycle.
    reporting: usize,
    /// Those that answered; shares are of these.
    answered: usize,
    /// Those that did not answer (never counted as "no").
    not_answered: usize,
    /// Those a follow-up question did not apply to (their answer to its parent does not ask it).
    not_applicable: usize,
    /// Those whose report answers an earlier form that does not ask this question the same way.
    earlier_form: usize,
}

/// How many Parties chose an option.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct IndicatorValue {
    /// The option's key (`yes`, `no`, the option list's key, a rating, or `unlisted`).
    option: String,
    /// Its label in the language asked for.
    label: String,
    /// Parties that chose it.
    count: usize,
    /// `count / answered` (0 to 1); `null` when nobody answered.
    share: Option<f64>,
}

/// An indicator's counts over a group of Parties.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct IndicatorTally {
    /// The base.
    base: IndicatorBase,
    /// Counts per option.
    values: Vec<IndicatorValue>,
}

/// One indicator in one cycle.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct IndicatorData {
    /// The indicator's id: the question's, or `question.group` for a group of a checklist.
    indicator: String,
    /// The question's id (its field on a report page: `/reports/{iso3}/{year}#{question}`).
    question: String,
    /// The question's label (and the group's header), in the language asked for.
    label: String,
    /// The goal (1–4).
    goal: u8,
    /// The area of monitoring.
    area: String,
    /// The cycle (`2020-2023`).
    cycle: String,
    /// The region chosen, if any.
    region: Option<String>,
    /// Whether a Party may choose several options (shares then add up to more than 1).
    multiple: bool,
    /// Who the figure is about.
    base: IndicatorBase,
    /// Counts per option.
    values: Vec<IndicatorValue>,
    /// The same counts for each region (and the European Union, and the Parties outside the
    /// regional groups) with a Party that reported in the cycle.
    by_region: BTreeMap<String, IndicatorTally>,
}

fn base_json(tally: &Tally<'_>) -> IndicatorBase {
    let base = tally.base;
    IndicatorBase {
        reporting: base.reporting,
        answered: base.answered,
        not_answered: base.not_answered,
        not_applicable: base.not_applicable,
        earlier_form: base.earlier_form,
    }
}

fn values_json(tally: &Tally<'_>, lang: Lang) -> Vec<IndicatorValue> {
    tally
        .values
        .iter()
        .map(|v| IndicatorValue {
            option: v.option.key.clone(),
            label: v.option.label.get(lang).to_owned(),
            count: v.count,
            share: v.share,
        })
        .collect()
}

/// An indicator's label, with its group's header for a group of a checklist.
pub(crate) fn indicator_label(indicator: &qpr_indicators::Indicator, lang: Lang) -> String {
    match &indicator.group_label {
        Some(group) => format!("{} — {}", indicator.label.get(lang), group.get(lang)),
        None => indicator.label.get(lang).to_owned(),
    }
}

fn indicator_json(figure: &IndicatorFigure<'_>, lang: Lang) -> IndicatorData {
    IndicatorData {
        indicator: figure.indicator.id.clone(),
        question: figure.indicator.question.clone(),
        label: indicator_label(figure.indicator, lang),
        goal: figure.indicator.goal,
        area: figure.indicator.area.clone(),
        cycle: figure.cycle.id(),
        region: figure.within.map(|g| g.id().to_owned()),
        multiple: figure.indicator.multiple,
        base: base_json(&figure.all),
        values: values_json(&figure.all, lang),
        by_region: figure
            .by_group
            .iter()
            .map(|(group, tally)| {
                (group.id().to_owned(), IndicatorTally { base: base_json(tally), values: values_json(tally, lang) })
            })
            .collect(),
    }
}

/// The CSV columns of an indicator download.
const CSV_COLUMNS: [&str; 13] = [
    "indicator",
    "question",
    "cycle",
    "region",
    "option",
    "label",
    "count",
    "share",
    "reporting",
    "answered",
    "not_answered",
    "not_applicable",
    "earlier_form",
];

/// The CSV of indicators: a row per option, first over the Parties chosen (`region` is the
/// region chosen, or `all`), then for each region. A share is written as the JSON writes it.
fn csv(indicators: &[IndicatorData]) -> String {
    let mut out = String::new();
    crate::csv::push_row(&mut out, CSV_COLUMNS);
    for indicator in indicators {
        let tallies =
            std::iter::once((indicator.region.as_deref().unwrap_or("all"), &indicator.base, &indicator.values))
                .chain(indicator.by_region.iter().map(|(region, tally)| (region.as_str(), &tally.base, &tally.values)));
        for (region, base, values) in tallies {
            for value in values {
                let share = value.share.map(|s| serde_json::Value::from(s).to_string()).unwrap_or_default();
                crate::csv::push_row(
                    &mut out,
                    [
                        indicator.indicator.clone(),
                        indicator.question.clone(),
                        indicator.cycle.clone(),
                        region.to_owned(),
                        value.option.clone(),
                        value.label.clone(),
                        value.count.to_string(),
                        share,
                        base.reporting.to_string(),
                        base.answered.to_string(),
                        base.not_answered.to_string(),
                        base.not_applicable.to_string(),
                        base.earlier_form.to_string(),
                    ],
                );
            }
        }
    }
    out
}

/// The indicators selected, as the API answers them; the newest cycle with a published
/// report when none is chosen (no indicator when nothing is published).
fn selected(figures: &Figures<'_>, selection: &Selection, lang: Lang) -> Vec<IndicatorData> {
    let Some(cycle) = selection.cycle.or_else(|| figures.latest_cycle()) else { return Vec::new() };
    selection
        .indicators(figures.catalog())
        .filter_map(|indicator| figures.indicator(&indicator.id, cycle, selection.region))
        .map(|figure| indicator_json(&figure, lang))
        .collect()
}

/// The figures of the indicators: per option, how many Parties that reported in the cycle
/// chose it and the share of those who answered, with the base and the same by region.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "public", security(()),
    params(
        ("cycle" = Option<String>, Query, description = "A reporting cycle, `2020-2023` (default: the newest with a published report)"),
        ("region" = Option<String>, Query, description = "africa, arab_states, asia_pacific, europe_north_america, latin_america_caribbean, european_union, no_region"),
        ("goal" = Option<String>, Query, description = "1 to 4"),
        ("area" = Option<String>, Query, description = "An area of monitoring (`media_diversity`)"),
        ("question" = Option<String>, Query, description = "A question id, or an indicator id (`question.group`)"),
        ("format" = Option<String>, Query, description = "json (default) or csv"),
        ("lang" = Option<String>, Query, description = "Labels in en (default) or fr"),
    ),
    responses(
        (status = 200, description = "The indicators selected", content((Vec<IndicatorData> = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A parameter it cannot take, named", body = BadIndicatorParameter),
        crate::app::api_types::Errors,
    ))]
pub(crate) async fn api(site: Site, headers: HeaderMap, Query(params): Query<Vec<(String, String)>>) -> Response {
    let selection = match Selection::parse(&params, &API_PARAMS) {
        Ok(selection) => selection,
        Err(error) => return bad_request(error),
    };
    let lang = params.iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(v)).unwrap_or_default();
    let key = format!("api:/api/v1/indicators?{:?}|{}", selection, lang.tag());
    let result = site
        .cached(key, || async {
            let figures = figures(&site).await?;
            let indicators = selected(&figures, &selection, lang);
            if selection.csv {
                Ok(Representation::new(Kind::Csv, csv(&indicators), None))
            } else {
                let json = serde_json::to_vec(&indicators)
                    .map_err(|e| WebError::Internal(format!("indicators to JSON: {e}")))?;
                Ok(Representation::new(Kind::Json, json, None))
            }
        })
        .await;
    match result {
        Ok(representation) => {
            let mut response = representation.respond(&headers);
            if selection.csv
                && let Ok(value) = header::HeaderValue::from_str("attachment; filename=\"indicators.csv\"")
            {
                response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => crate::error::ApiError(error).into_response(),
    }
}

/// The address of the API for a selection (`format=csv` for the download).
/// `filter` is an area (`("area", id)`) or an indicator (`("question", id)`), or nothing.
pub(crate) fn api_href(
    cycle: Cycle,
    region: Option<Group>,
    filter: Option<(&'static str, &str)>,
    csv: bool,
    lang: Lang,
) -> String {
    let mut params = vec![("cycle", cycle.id())];
    params.extend(region.map(|g| ("region", g.id().to_owned())));
    params.extend(filter.map(|(name, value)| (name, value.to_owned())));
    if csv {
        params.push(("format", "csv".to_owned()));
    }
    if lang != Lang::default() {
        params.push(("lang", lang.tag().to_owned()));
    }
    format!("/api/v1/indicators{}", crate::ui::query_string(&params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use qpr_domain::countries::Iso3;
    use qpr_domain::document::PartyRef;

    const DEMO: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

    /// The figures kept for the site version the store shows now, once the task made them
    /// (within 10 s); nothing here makes them.
    async fn made_by_the_task(
        store: &Store,
        cache: &FigureCache,
        not: Option<SiteVersion>,
    ) -> (SiteVersion, Arc<Figures<'static>>) {
        for _ in 0..100 {
            let version = SiteVersion::read(store).await.unwrap();
            if Some(version) != not
                && let Some(figures) = cache.current(version)
            {
                return (version, figures);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the task made no figures for the current site version in 10 s");
    }

    fn reporting(figures: &Figures<'_>) -> usize {
        let cycle = Cycle::parse("2020-2023").unwrap();
        figures.indicator("g1_ccs_ministry", cycle, None).unwrap().all.base.reporting
    }

    /// Issue 16 point 7: the figures are made when the server starts and after a publication
    /// (by another process here, as `qpr import` would), before any request asks them; a
    /// request of that version gets the very figures the task made.
    #[tokio::test]
    async fn the_figures_are_made_at_start_and_after_a_publication_off_the_request_path() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        let demo = qpr_import::import_published(qpr_domain::Framework::qpr_2020(), DEMO).unwrap();
        store.publish(&demo, "test").await.unwrap();
        let cache = Arc::new(FigureCache::new(store.clone()));
        keep_current(&cache);

        let (first, first_figures) = made_by_the_task(&store, &cache, None).await;
        assert_eq!(reporting(&first_figures), 1, "Azerbaijan 2022");

        let other = Store::open_in_data_dir(dir.path()).await.unwrap();
        let mut france = demo.clone();
        france.party = PartyRef { name: "France".into(), iso3: Some(Iso3::parse("FRA").unwrap()) };
        france.year = 2023;
        other.publish(&france, "another process").await.unwrap();
        let (second, figures) = made_by_the_task(&store, &cache, Some(first)).await;
        assert_eq!(reporting(&figures), 2, "Azerbaijan 2022 and France 2023");
        assert!(Arc::ptr_eq(&cache.of(second).await.unwrap(), &figures), "a request does not make them again");
        // A request that still sees the previous version (its page cache's freshness period
        // not over) gets that version's figures, kept.
        assert!(Arc::ptr_eq(&cache.of(first).await.unwrap(), &first_figures));

        // The task ends with the caches (the router) it served.
        let task_holds_none = Arc::downgrade(&cache);
        drop(cache);
        tokio::time::sleep(KEEP_CURRENT_EVERY * 3).await;
        assert!(task_holds_none.upgrade().is_none());
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn bad_parameters_are_named() {
        for (name, value, says) in [
            ("cycle", "2021", "2020-2023"),
            ("region", "atlantis", "european_union"),
            ("goal", "5", "1, 2, 3 or 4"),
            ("area", "gastronomy", "media_diversity"),
            ("question", "gi_executive_summary", "not a question counted"),
            ("format", "xml", "json or csv"),
            ("colour", "red", "unknown parameter"),
        ] {
            let error = Selection::parse(&params(&[(name, value)]), &API_PARAMS).unwrap_err();
            assert_eq!(error.param, name);
            assert!(error.message.contains(says), "{name}: {}", error.message);
        }
        let selection = Selection::parse(
            &params(&[
                ("cycle", "2020-2023"),
                ("region", "european_union"),
                ("question", "g1_ccs_education_training"),
                ("lang", "fr"),
            ]),
            &API_PARAMS,
        )
        .unwrap();
        assert_eq!(selection.region, Some(Group::EuropeanUnion));
        let ids: Vec<_> = selection.indicators(Catalog::builtin()).map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["g1_ccs_education_training.tvet", "g1_ccs_education_training.tertiary"]);
    }
}
