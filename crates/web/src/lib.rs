//! The HTTP face of qpr: the public pages (askama templates) and the JSON API (axum).
//!
//! Boundary: the only crate that knows HTTP. Handlers parse requests into domain values,
//! call the store, and render; they hold no state of their own, so several servers can run
//! on one database.

mod error;
pub mod report_view;
mod search;

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use qpr_domain::countries::Iso3;
use qpr_domain::framework::FrameworkRegistry;
use qpr_domain::text::Lang;
use qpr_store::{ReportSummary, Store};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use error::ApiError;
pub use error::WebError;
use report_view::{Block, Shown, TocEntry};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Framework versions, to render any report by its `framework` id.
    pub frameworks: Arc<FrameworkRegistry>,
    /// The policy monitoring database (search index of every published measure).
    pub search: Arc<qpr_search::SearchIndex>,
}

/// The application's routes with their middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/reports/{iso3}/{year}", get(report_page))
        .route("/api/v1/reports/{iso3}/{year}", get(report_json))
        .route("/assets/style.css", get(stylesheet))
        .merge(search::routes())
        .fallback(not_found)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
}

/// The `?lang=` of a page; English by default.
#[derive(Debug, Deserialize, Default)]
struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    fn lang(&self) -> Lang {
        self.lang.as_deref().and_then(Lang::parse).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "index.html")]
struct HomePage {
    lang: &'static str,
    lang_query: &'static str,
    reports: Vec<ReportSummary>,
}

async fn home(State(state): State<AppState>, Query(query): Query<LangQuery>) -> Result<Response, WebError> {
    let lang = query.lang();
    let reports = state.store.published_reports().await?;
    let lang_query = if lang == Lang::Fr { "?lang=fr" } else { "" };
    render(&HomePage { lang: lang.tag(), lang_query, reports })
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    lang: &'static str,
    page_title: String,
    report_label: String,
    json_url: String,
    toc: Vec<TocEntry>,
    blocks: Vec<Block>,
}

/// Parses the `{iso3}/{year}` of a report URL.
fn report_key(iso3: &str, year: &str) -> Result<(Iso3, i32), WebError> {
    let code = Iso3::parse(iso3).map_err(|_| WebError::NotFound(format!("`{iso3}` is not a country code")))?;
    let year = year.parse::<i32>().map_err(|_| WebError::NotFound(format!("`{year}` is not a year")))?;
    Ok((code, year))
}

async fn load_published(state: &AppState, iso3: &str, year: &str) -> Result<qpr_store::PublishedReport, WebError> {
    let (code, year) = report_key(iso3, year)?;
    state
        .store
        .published_report(code.as_str(), year)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("No published report of {code} for {year}.")))
}

async fn report_page(
    State(state): State<AppState>,
    Path((iso3, year)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
) -> Result<Response, WebError> {
    let lang = query.lang();
    let published = load_published(&state, &iso3, &year).await?;
    let document = &published.document;
    let framework = state
        .frameworks
        .get(&document.framework)
        .ok_or_else(|| WebError::Internal(format!("report uses unknown framework `{}`", document.framework)))?;
    let (blocks, toc) = report_view::blocks(framework, document, lang);
    let iso3 = document.party.iso3.as_ref().map(ToString::to_string).unwrap_or_default();
    render(&ReportPage {
        lang: lang.tag(),
        page_title: framework.title.get(lang).to_owned(),
        report_label: format!("{} {}", document.party.name, document.year),
        json_url: format!("/api/v1/reports/{iso3}/{}", document.year),
        toc,
        blocks,
    })
}

async fn report_json(State(state): State<AppState>, Path((iso3, year)): Path<(String, String)>) -> Result<Response, ApiError> {
    let published = load_published(&state, &iso3, &year).await.map_err(ApiError)?;
    Ok(Json(published.document).into_response())
}

async fn stylesheet() -> Response {
    let css = include_str!("../assets/style.css");
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], css).into_response()
}

async fn not_found() -> WebError {
    WebError::NotFound("There is no page at this address.".to_owned())
}

fn render(template: &impl Template) -> Result<Response, WebError> {
    let html = template.render().map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok(Html(html).into_response())
}
