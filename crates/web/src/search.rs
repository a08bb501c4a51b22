//! The policy monitoring database on the web: `GET /api/v1/measures` (JSON, CSV, JSON lines)
//! and the `/measures` search page (facet counts as links, works without JavaScript).
//!
//! Parameters are parsed by `qpr_search::SearchRequest`; this module adds the HTTP parts:
//! the output format (`format=json|csv|jsonl` or the `Accept` header), the page language
//! (`lang=fr`), streaming downloads and error replies naming the parameter at fault.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fluent_templates::fluent_bundle::FluentValue;
use qpr_domain::Framework;
use qpr_domain::answer::{Answer, Figure, Part};
use qpr_domain::countries::{self, Region};
use qpr_domain::framework::AnswerType;
use qpr_domain::text::Lang;
use qpr_search::{Facet, IndexedMeasure, MAX_PER_PAGE, ParamError, SearchIndex, SearchRequest, SearchResults, Sort};

use crate::csv;
use crate::error::ApiError;
use crate::i18n;
use crate::ui::{Section, Ui};
use crate::{AppState, WebError};

/// The routes of the measure database.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/measures", get(page))
        .route("/api/v1/measures", get(api))
        .route("/api/v1/measures/{iso3}/{year}/{id}/similar", get(similar_api))
}

/// Parameters this module reads itself; the rest is the search.
const FORMAT: &str = "format";
const LANG: &str = "lang";

type Params = Vec<(String, String)>;

fn search_params(params: &Params) -> impl Iterator<Item = (&str, &str)> {
    params.iter().filter(|(k, _)| k != FORMAT && k != LANG).map(|(k, v)| (k.as_str(), v.as_str()))
}

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// What a download is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    JsonLines,
}

fn format(params: &Params, headers: &HeaderMap) -> Result<Format, ParamError> {
    match param(params, FORMAT) {
        Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some("jsonl") => Ok(Format::JsonLines),
        Some(other) => Err(ParamError {
            param: FORMAT.to_owned(),
            message: format!("`{other}` is not a format; use json, csv or jsonl"),
        }),
        None => {
            let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
            Ok(if accept.contains("text/csv") {
                Format::Csv
            } else if accept.contains("application/jsonl") || accept.contains("application/x-ndjson") {
                Format::JsonLines
            } else {
                Format::Json
            })
        }
    }
}

/// The answer to a search request with a parameter it cannot take (`400`).
#[derive(serde::Serialize)]
struct BadParameterBody<'a> {
    error: BadParameter<'a>,
}

/// The `error` of [`BadParameterBody`]: the code `bad_parameter`, which parameter, and why.
#[derive(serde::Serialize)]
struct BadParameter<'a> {
    code: &'static str,
    parameter: &'a str,
    message: String,
}

fn bad_request(param: &str, message: &str) -> Response {
    let error =
        BadParameter { code: "bad_parameter", parameter: param, message: format!("parameter `{param}`: {message}") };
    (StatusCode::BAD_REQUEST, axum::Json(BadParameterBody { error })).into_response()
}

/// Runs blocking index work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, qpr_search::SearchError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| WebError::Internal(format!("search task: {e}")))?
        .map_err(|e| WebError::Internal(format!("search: {e}")))
}

/// Searches every published measure: matching measures, a page of hits and the count of each
/// facet value; with `format=csv` or `format=jsonl` (or `Accept: text/csv`), every hit, streamed.
#[utoipa::path(get, path = "/api/v1/measures", tag = "public", security(()),
    params(
        ("q" = Option<String>, Query, description = "Words; \"a phrase\"; -word excludes"),
        ("party" = Option<Vec<String>>, Query, description = "ISO codes; a repeated filter means any of"),
        ("region" = Option<Vec<String>>, Query), ("year" = Option<Vec<String>>, Query), ("goal" = Option<Vec<String>>, Query),
        ("area" = Option<Vec<String>>, Query), ("domain" = Option<Vec<String>>, Query), ("targets_youth" = Option<String>, Query),
        ("ifcd" = Option<String>, Query), ("evaluated" = Option<String>, Query), ("partner_type" = Option<Vec<String>>, Query),
        ("kind" = Option<Vec<String>>, Query), ("sort" = Option<String>, Query, description = "relevance, year, party"),
        ("page" = Option<String>, Query), ("per_page" = Option<String>, Query),
        ("format" = Option<String>, Query, description = "json (default), csv, jsonl"), ("lang" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "`{\"total\", \"hits\", \"facets\"}`, or every hit as CSV or JSON lines",
            content((Object = "application/json"), (String = "text/csv"), (String = "application/jsonl"))),
        crate::app::api_types::Errors,
    ))]
pub(crate) async fn api(State(state): State<AppState>, headers: HeaderMap, Query(params): Query<Params>) -> Response {
    let parsed =
        format(&params, &headers).and_then(|format| Ok((format, SearchRequest::from_params(search_params(&params))?)));
    let (format, request) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return bad_request(&error.param, &error.message),
    };
    let index = Arc::clone(&state.search);
    let reply = match format {
        Format::Json => {
            blocking(move || index.search(&request)).await.map(|results| axum::Json(results).into_response())
        }
        Format::Csv | Format::JsonLines => download(index, request, format).await,
    };
    reply.unwrap_or_else(|error| ApiError(error).into_response())
}

/// Threads reading a download's measures: one per core (reading and parsing stored measures
/// is the cost of a download), at most four (beyond, the client's connection is the limit).
fn export_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |cores| cores.get().min(4))
}

/// Streams every measure of the result set, read and written on blocking threads in batches.
async fn download(index: Arc<SearchIndex>, request: SearchRequest, format: Format) -> Result<Response, WebError> {
    let export = blocking(move || index.export(&request)).await?;
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut header = String::new();
        if format == Format::Csv {
            csv::push_row(&mut header, CSV_COLUMNS);
        }
        let write = |measure: &IndexedMeasure, out: &mut String| match format {
            Format::Csv => csv::push_row(out, csv_fields(measure)),
            _ => {
                match jsonl(measure) {
                    Ok(line) => out.push_str(&line),
                    // Not expected (every key is a string); were it to happen, the line says so
                    // rather than the measure missing from the file without a word.
                    Err(error) => {
                        tracing::error!(error = %error, "Download: {error}");
                        out.push_str(&format!("{{\"error\":{}}}", serde_json::Value::String(error.to_string())));
                    }
                }
                out.push('\n');
            }
        };
        // Batches are small (a few hundred KB); the client going away stops the reading.
        let send = |text: String| text.is_empty() || sender.blocking_send(Ok(Bytes::from(text))).is_ok();
        if !send(header) {
            return;
        }
        if let Err(error) = export.write_in_order(export_threads(), write, send) {
            tracing::error!(error = %error, "Download stopped: {error}");
            let _ = sender.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        _ => ("application/jsonl; charset=utf-8", "jsonl"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"measures.{extension}\"")),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The CSV columns: every field of both kinds of measure, with the report it comes from.
const CSV_COLUMNS: [&str; 21] = [
    "id",
    "kind",
    "party",
    "party_name",
    "region",
    "year",
    "goal",
    "area",
    "title",
    "agencies_or_organizations",
    "domains",
    "description",
    "targets_youth",
    "ifcd",
    "results",
    "financial_resources",
    "financial_resources_usd",
    "evaluated",
    "evaluation_conclusions",
    "partners",
    "report_revision",
];

fn csv_fields(measure: &IndexedMeasure) -> Vec<String> {
    let record = &measure.record;
    let text = |key: &str| record.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    let list = |key: &str| {
        record
            .get(key)
            .and_then(serde_json::Value::as_array)
            .map(|items| items.iter().filter_map(serde_json::Value::as_str).collect::<Vec<_>>().join("; "))
            .unwrap_or_default()
    };
    let yes_no =
        |key: &str| record.get(key).and_then(serde_json::Value::as_bool).map(|b| b.to_string()).unwrap_or_default();
    // The amount of a policy measure (`amount_usd`): the text as written and the USD figure.
    let financial = match record.get("financial_resources").map(|v| Answer::read(AnswerType::AmountUsd, v)) {
        Some(Ok(Answer::AmountUsd(figure))) => figure,
        _ => Figure::default(),
    };
    let partners = record
        .get("partners")
        .and_then(serde_json::Value::as_array)
        .map(|partners| {
            partners
                .iter()
                .map(|p| {
                    let name = p.get("name").and_then(serde_json::Value::as_str).unwrap_or_default();
                    match p.get("entity_type").and_then(serde_json::Value::as_str) {
                        Some(kind) => format!("{name} ({kind})"),
                        None => name.to_owned(),
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let agencies = if measure.kind == qpr_domain::MeasureKind::Cso { list("organizations") } else { list("agencies") };
    let ifcd =
        if measure.kind == qpr_domain::MeasureKind::Cso { yes_no("ifcd_funding") } else { yes_no("ifcd_support") };
    vec![
        measure.id.clone(),
        measure.kind.as_str().to_owned(),
        measure.party.clone(),
        measure.party_name.clone(),
        measure.region.clone().unwrap_or_default(),
        measure.year.to_string(),
        measure.goal.map(|g| g.to_string()).unwrap_or_default(),
        measure.area.clone().unwrap_or_default(),
        measure.title.clone(),
        agencies,
        list("domains"),
        text("description"),
        yes_no("targets_youth"),
        ifcd,
        text("results"),
        financial.raw().unwrap_or_default().to_owned(),
        financial.text(Part::Usd),
        yes_no("evaluated"),
        text("evaluation_conclusions"),
        partners,
        measure.revision_id.to_string(),
    ]
}

/// One JSON line: the record with the report's context.
fn jsonl(measure: &IndexedMeasure) -> Result<String, WebError> {
    let line = MeasureLine {
        area: measure.area.as_deref(),
        goal: measure.goal,
        id: &measure.id,
        kind: measure.kind,
        measure: &measure.record,
        party: &measure.party,
        party_name: &measure.party_name,
        region: measure.region.as_deref(),
        report_revision: measure.revision_id,
        year: measure.year,
    };
    serde_json::to_string(&line).map_err(|e| WebError::Internal(format!("measure {} to JSON: {e}", measure.id)))
}

/// One line of the JSON-lines download; the keys in the order the lines have always had
/// (alphabetical).
#[derive(serde::Serialize)]
struct MeasureLine<'a> {
    area: Option<&'a str>,
    goal: Option<u8>,
    id: &'a str,
    kind: qpr_domain::MeasureKind,
    measure: &'a serde_json::Value,
    party: &'a str,
    party_name: &'a str,
    region: Option<&'a str>,
    report_revision: i64,
    year: i32,
}

/// The display name of a facet value in the page's language: names of Parties, regions and
/// areas from the shipped data, option labels from the framework, the rest from the Fluent
/// files.
pub(crate) fn value_label(ui: &Ui, facet: Facet, value: &str) -> String {
    let lang = ui.language();
    let framework = Framework::qpr_2020();
    let option = |list: &str| {
        framework
            .option_by_key(list, value)
            .filter(|o| !o.specify) // `other` is named by the page's own word
            .map(|o| if lang == Lang::Fr && !o.fr.is_empty() { o.fr.clone() } else { o.en.clone() })
    };
    let label = match facet {
        Facet::Party => countries::by_iso3(value).map(|c| c.name.get(lang).to_owned()),
        Facet::Region => Region::from_id(value).map(|r| r.name().get(lang).to_owned()),
        // The goal's official heading (`Goal 1 – Support Sustainable Systems of Governance for
        // Culture`), from the form.
        Facet::Goal => value
            .parse()
            .ok()
            .and_then(|n| framework.goal(n))
            .map(|g| g.heading.get(lang).replacen(" - ", " – ", 1))
            .or_else(|| Some(ui.ts("search-goal", "goal", value))),
        Facet::Area => std::iter::once(framework)
            .chain(Framework::builtin_versions().into_iter().rev())
            .find_map(|f| f.area_section(value))
            .map(|s| s.heading.get(lang).to_owned()),
        Facet::Domain => option("cultural_domains"),
        Facet::PartnerType => option("entity_types"),
        Facet::TargetsYouth | Facet::Ifcd | Facet::Evaluated => {
            Some(ui.t(if value == "true" { "search-yes" } else { "search-no" }))
        }
        Facet::Kind => Some(ui.t(kind_message(value))),
        Facet::Framework => Some(ui.ts("search-framework", "version", value.trim_start_matches("qpr-"))),
        Facet::Year => None,
    };
    label.unwrap_or_else(|| if value == qpr_search::facets::OTHER { ui.t("search-other") } else { value.to_owned() })
}

/// The message naming a kind of measure.
fn kind_message(kind: &str) -> &'static str {
    if kind == "cso" { "search-kind-cso" } else { "search-kind-policy" }
}

/// The heading of a facet (`facet-party`, `facet-targets_youth`, …).
fn facet_heading(ui: &Ui, facet: Facet) -> String {
    ui.t(format!("facet-{}", facet.name()))
}

/// The page's address for a search (its language kept by `Ui`).
fn page_url(ui: &Ui, request: &SearchRequest, page: u32) -> String {
    ui.href(format!("/measures{}", crate::ui::query_string(&page_params(request, page))))
}

/// The parameters of a page of a search.
fn page_params(request: &SearchRequest, page: u32) -> Vec<(&'static str, String)> {
    let mut params = request.to_params();
    if page > 1 {
        params.push(("page", page.to_string()));
    }
    if request.per_page != qpr_search::DEFAULT_PER_PAGE {
        params.push(("per_page", request.per_page.to_string()));
    }
    params
}

/// The download of a whole result set.
fn download_url(request: &SearchRequest, format: &str) -> String {
    let mut params = request.to_params();
    params.push((FORMAT, format.to_owned()));
    format!("/api/v1/measures{}", crate::ui::query_string(&params))
}

/// A facet value on the page: a link that adds or removes it.
struct FacetLink {
    label: String,
    count: u64,
    href: String,
    selected: bool,
}

/// A facet box on the page.
struct FacetBox {
    name: &'static str,
    heading: String,
    links: Vec<FacetLink>,
}

/// A hit on the page.
struct HitView {
    href: String,
    title: String,
    meta: String,
    snippet: String,
}

/// A filter in force, with the link that removes it.
struct ActiveFilter {
    label: String,
    remove_href: String,
}

/// A hidden form field keeping a filter when the text is searched again.
struct Hidden {
    name: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "measures.html")]
struct MeasuresPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    q: String,
    sort_year: bool,
    hidden: Vec<Hidden>,
    error: Option<String>,
    total: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetBox>,
    active: Vec<ActiveFilter>,
    clear_href: String,
    previous_href: Option<String>,
    next_href: Option<String>,
    page_of: String,
    many_pages: bool,
    csv_href: String,
    jsonl_href: String,
}

async fn page(ui: Ui, State(state): State<AppState>, Query(params): Query<Params>) -> Response {
    let (request, error) = match SearchRequest::from_params(search_params(&params)) {
        Ok(request) => (request, None),
        Err(error) => (SearchRequest::default(), Some(error)),
    };
    let ui = ui.in_section(Section::Measures).with_params(page_params(&request, request.page));
    let index = Arc::clone(&state.search);
    let search = request.clone();
    let results = match blocking(move || index.search(&search)).await {
        Ok(results) => results,
        Err(error) => return error.page(&ui),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    // The English detail names the parameter; the page says so in its language.
    let error = error.map(|error| ui.ts("search-bad-parameter", "param", error.param));
    match page_view(&ui, &request, results, error).render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(error) => WebError::Internal(format!("template: {error}")).page(&ui),
    }
}

fn page_view<'a>(
    ui: &'a Ui,
    request: &SearchRequest,
    results: SearchResults,
    error: Option<String>,
) -> MeasuresPage<'a> {
    let facets = Facet::ALL
        .iter()
        .map(|&facet| {
            let mut values: Vec<(&str, u64)> =
                results.facets.get(facet.name()).map(|m| m.iter().map(|(k, v)| (*k, *v)).collect()).unwrap_or_default();
            if facet == Facet::Year {
                values.sort_by(|a, b| b.0.cmp(a.0));
            } else {
                values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            }
            let links = values
                .into_iter()
                .map(|(value, count)| FacetLink {
                    label: value_label(ui, facet, value),
                    count,
                    href: page_url(ui, &request.toggled(facet, value), 1),
                    selected: request.has_filter(facet, value),
                })
                .collect();
            FacetBox { name: facet.name(), heading: facet_heading(ui, facet), links }
        })
        .filter(|facet| !facet.links.is_empty())
        .collect();
    let active: Vec<ActiveFilter> = request
        .filters
        .iter()
        .flat_map(|filter| {
            filter.values.iter().map(move |&code| (filter.facet, filter.facet.values()[usize::from(code)].as_str()))
        })
        .map(|(facet, value)| ActiveFilter {
            label: i18n::text_with(
                ui.language(),
                "search-active-filter",
                &[
                    ("facet", FluentValue::from(facet_heading(ui, facet))),
                    ("value", FluentValue::from(value_label(ui, facet, value))),
                ],
            ),
            remove_href: page_url(ui, &request.toggled(facet, value), 1),
        })
        .collect();
    let hidden = request
        .to_params()
        .into_iter()
        .filter(|(name, _)| *name != "q" && *name != "sort")
        .chain(ui.form_lang().map(|lang| (LANG, lang.to_owned())))
        .map(|(name, value)| Hidden { name, value })
        .collect();
    let hits = results
        .hits
        .into_iter()
        .map(|hit| {
            let place = match (&hit.area, hit.goal) {
                (Some(area), _) => value_label(ui, Facet::Area, area),
                (None, Some(goal)) => ui.ts("search-goal", "goal", goal.to_string()),
                (None, None) => String::new(),
            };
            let party =
                countries::by_iso3(&hit.party).map_or(hit.party_name.clone(), |c| c.name.get(ui.language()).to_owned());
            let others: Vec<String> =
                hit.reported_in.iter().filter(|&&y| y != hit.year).map(ToString::to_string).collect();
            let also =
                if others.is_empty() { String::new() } else { ui.ts("search-also-in", "years", others.join(", ")) };
            let meta = [party, hit.year.to_string(), place, ui.t(kind_message(hit.kind.as_str())), also]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            HitView {
                href: ui.measure_href(&hit.party, hit.year, &hit.id),
                title: hit.title,
                meta,
                snippet: hit.snippet,
            }
        })
        .collect();
    let pages = u32::try_from(results.total.div_ceil(u64::from(request.per_page.max(1)))).unwrap_or(u32::MAX);
    let reachable = pages.min(qpr_search::MAX_DEPTH / request.per_page.clamp(1, MAX_PER_PAGE));
    let mut cleared = request.clone();
    cleared.filters.clear();
    MeasuresPage {
        lang: ui.lang(),
        ui,
        q: request.q.clone(),
        sort_year: request.sort == Sort::Year,
        hidden,
        error,
        total: usize::try_from(results.total).unwrap_or(usize::MAX),
        hits,
        facets,
        active,
        clear_href: page_url(ui, &cleared, 1),
        previous_href: (request.page > 1).then(|| page_url(ui, request, request.page - 1)),
        next_href: (request.page < reachable).then(|| page_url(ui, request, request.page + 1)),
        page_of: i18n::text_with(
            ui.language(),
            "search-page-of",
            &[("page", FluentValue::from(request.page)), ("pages", FluentValue::from(pages))],
        ),
        many_pages: pages > 1,
        csv_href: download_url(request, "csv"),
        jsonl_href: download_url(request, "jsonl"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facet_and_value_has_a_name_in_both_languages() {
        for lang in [Lang::En, Lang::Fr] {
            let ui = Ui::new(lang, "/measures");
            for facet in Facet::ALL {
                let heading = facet_heading(&ui, facet);
                assert!(
                    !heading.is_empty() && !heading.contains("facet-") && !heading.contains("Unknown"),
                    "{facet:?}: {heading}"
                );
            }
            for (facet, value) in [
                (Facet::Goal, "2"),
                (Facet::Ifcd, "true"),
                (Facet::Evaluated, "false"),
                (Facet::Kind, "cso"),
                (Facet::Domain, "other"),
            ] {
                let label = value_label(&ui, facet, value);
                assert!(
                    !label.contains("search-") && !label.contains("Unknown") && label != value,
                    "{facet:?} {value}: {label}"
                );
            }
        }
        // A goal by its official heading, from the form (issue 15: "Goal 1 – …", not "Goal 1").
        assert_eq!(
            value_label(&Ui::new(Lang::Fr, "/measures"), Facet::Goal, "2"),
            "Objectif 2 – Parvenir à un échange équilibré de biens et services culturels et accroître la mobilité des \
             artistes et des professionnels de la culture"
        );
        assert_eq!(
            value_label(&Ui::new(Lang::En, "/measures"), Facet::Goal, "1"),
            "Goal 1 – Support Sustainable Systems of Governance for Culture"
        );
        // A goal the form does not have keeps its number.
        assert_eq!(value_label(&Ui::new(Lang::Fr, "/measures"), Facet::Goal, "7"), "Objectif 7");
    }
}

/// The `limit` of similar measures: [`qpr_search::DEFAULT_SIMILAR`] when absent, else a
/// number from 1 to [`qpr_search::MAX_SIMILAR`].
fn similar_limit(params: &Params) -> Result<usize, ParamError> {
    match param(params, "limit") {
        None => Ok(qpr_search::DEFAULT_SIMILAR),
        Some(value) => {
            value.parse::<usize>().ok().filter(|n| (1..=qpr_search::MAX_SIMILAR).contains(n)).ok_or_else(|| {
                ParamError {
                    param: "limit".to_owned(),
                    message: format!("`{value}` is not a number from 1 to {}", qpr_search::MAX_SIMILAR),
                }
            })
        }
    }
}

/// The answer of `GET /api/v1/measures/{iso3}/{year}/{id}/similar`.
#[derive(serde::Serialize)]
struct SimilarBody {
    /// The measure asked about: `{"party", "year", "id"}`.
    measure: SimilarOf,
    /// The most similar measures of other Parties, most similar first.
    similar: Vec<qpr_search::SimilarMeasure>,
}

#[derive(serde::Serialize)]
struct SimilarOf {
    party: String,
    year: i32,
    id: String,
}

/// The measures of other Parties most similar to a published measure (across English and
/// French), each with why (`shared_terms`, `same_area`, `domains`, `partner_types`), its
/// results and whether it was evaluated.
#[utoipa::path(get, path = "/api/v1/measures/{iso3}/{year}/{id}/similar", tag = "public", security(()),
    params(crate::app::api_types::ReportPath, ("id" = String, Path, description = "The measure's id"),
        ("limit" = Option<usize>, Query, description = "How many (default 5, at most 50)")),
    responses(
        (status = 200, body = Object, description = "`{\"measure\": {\"party\", \"year\", \"id\"}, \"similar\": [{\"id\", \"title\", \"party\", \"party_name\", \"year\", \"kind\", \"goal\", \"area\", \"score\", \"why\": {\"shared_terms\", \"same_area\", \"domains\", \"partner_types\"}, \"results\", \"evaluated\"}]}`"),
        crate::app::api_types::Errors,
    ))]
pub(crate) async fn similar_api(
    State(state): State<AppState>,
    key: crate::report_key::ReportKey,
    axum::extract::Path(crate::report_key::MeasureSegment { id }): axum::extract::Path<
        crate::report_key::MeasureSegment,
    >,
    Query(params): Query<Params>,
) -> Response {
    let limit = match similar_limit(&params) {
        Ok(limit) => limit,
        Err(error) => return bad_request(&error.param, &error.message),
    };
    let (code, year) = (key.iso3, key.year.get());
    let reply = async {
        let missing = || WebError::NotFound(crate::error::Missing::Measure(id.clone()));
        let published = state
            .store
            .published_report(code.as_str(), year)
            .await?
            .ok_or_else(|| WebError::NotFound(crate::error::Missing::Report { party: code.to_string(), year }))?;
        let index = Arc::clone(&state.search);
        let (document, measure) = (published.document, id.clone());
        let similar = blocking(move || index.similar(&document, &measure, limit)).await?.ok_or_else(missing)?;
        let body = SimilarBody { measure: SimilarOf { party: code.to_string(), year, id: id.clone() }, similar };
        Ok::<_, WebError>(axum::Json(body).into_response())
    };
    reply.await.unwrap_or_else(|error| ApiError(error).into_response())
}
