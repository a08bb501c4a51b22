//! The public pages. Each module has its handlers and the askama template structs they fill;
//! what they share is here: the site's state, rendering through the page cache, and the list
//! of published reports with their Parties.

pub(crate) mod changes;
mod compare;
mod home;
mod keys;
mod measures;
mod parties;
pub(crate) mod reports;
mod world_map;

use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use qpr_domain::countries::{self, Region};
use qpr_domain::text::Lang;
use qpr_store::PublishedListing;

use crate::AppState;
use crate::cache::PageCache;
use crate::error::{Missing, WebError};
use crate::http::{Kind, Representation};
use crate::ui::{Section, Ui};

pub(crate) use compare::compare_page;
pub(crate) use home::home;
pub(crate) use keys::signing_keys;
pub(crate) use measures::{measure_in_report_page, measure_page};
pub(crate) use parties::{parties_page, party_page};
pub(crate) use reports::{
    report_json, report_page_or_pdf, reports_page, signature_file, signed_document, translations_json,
};
pub(crate) use world_map::map_page;

/// What the page handlers share: the application's state and the page cache (which the
/// router puts in every request's extensions).
#[derive(Clone)]
pub(crate) struct Site {
    pub app: AppState,
    pub cache: Arc<PageCache>,
    /// The indicators' figures, derived once per site version.
    pub figures: Arc<crate::indicators::FigureCache>,
}

impl FromRequestParts<AppState> for Site {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Site, WebError> {
        let cache = parts
            .extensions
            .get::<Arc<PageCache>>()
            .ok_or_else(|| WebError::Internal("no page cache in the request".into()))?;
        let figures = parts
            .extensions
            .get::<Arc<crate::indicators::FigureCache>>()
            .ok_or_else(|| WebError::Internal("no figure cache in the request".into()))?;
        Ok(Site { app: state.clone(), cache: Arc::clone(cache), figures: Arc::clone(figures) })
    }
}

impl Site {
    /// The representation under `key`: from the cache if it was made from the current site
    /// version, else made by `render` and kept.
    pub(crate) async fn cached<F, Fut>(&self, key: String, render: F) -> Result<Arc<Representation>, WebError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Representation, WebError>>,
    {
        let version = self.cache.version(&self.app.store).await?;
        if let Some(page) = self.cache.get(&key, version) {
            return Ok(page);
        }
        let page = Arc::new(render().await?);
        self.cache.put(key, version, Arc::clone(&page));
        Ok(page)
    }

    /// A page, answered to the request's headers; errors become the error page in the
    /// page's language.
    pub(crate) async fn page<F, Fut>(&self, ui: &Ui, request: &HeaderMap, render: F) -> Response
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Representation, WebError>>,
    {
        match self.cached(ui.cache_key(), render).await {
            Ok(page) => page.respond(request),
            Err(error) => error.page(ui),
        }
    }
}

/// Renders a page template.
pub(crate) fn html(template: &impl Template, modified: Option<SystemTime>) -> Result<Representation, WebError> {
    let html = template.render().map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok(Representation::new(Kind::Page, html, modified))
}

/// An RFC 3339 time (as the store writes them) as a `SystemTime`.
fn system_time(rfc3339: &str) -> Option<SystemTime> {
    let time = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339).ok()?;
    Some(SystemTime::from(time))
}

/// The latest of some RFC 3339 times.
fn latest<'a>(times: impl IntoIterator<Item = &'a str>) -> Option<SystemTime> {
    times.into_iter().filter_map(system_time).max()
}

/// A published report as lists show it.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// The Party's code.
    pub iso3: String,
    /// The Party's name in the page's language (as in the report, for a code the country
    /// list does not know).
    pub party: String,
    /// The Party's region.
    pub region: Option<Region>,
    /// The report's year.
    pub year: i32,
    /// When it was published.
    pub published_at: qpr_store::Timestamp,
    /// When an import published it, and the day the earlier platform says it was submitted.
    pub imported: Option<(qpr_store::Timestamp, Option<String>)>,
    /// The published revision.
    pub revision: qpr_store::RevisionId,
}

impl Listed {
    /// When the report became public, as lists say it (see [`released`]).
    pub(crate) fn released(&self, ui: &Ui) -> String {
        let imported = self.imported.as_ref().map(|(at, submitted)| (at.as_str(), submitted.as_deref()));
        released(ui, self.published_at.as_str(), imported)
    }
}

/// When a report became public, as the lists of reports say it (issue 15, point 4): a report
/// submitted in qpr was "published on" a day; an imported one was published by its import,
/// which is not when the Party reported, so it was "submitted on" the earlier platform's day
/// (when its page tells) and "imported on" another. `imported`: when it was imported, and
/// the day it was submitted.
pub(crate) fn released(ui: &Ui, published_at: &str, imported: Option<(&str, Option<&str>)>) -> String {
    match imported {
        None => ui.ts("published-on", "date", ui.date(published_at)),
        Some((at, None)) => ui.ts("imported-on", "date", ui.date(at)),
        Some((at, Some(submitted))) => crate::i18n::text_with(
            ui.language(),
            "submitted-imported-on",
            &[("reported", ui.date(submitted).into()), ("imported", ui.date(at).into())],
        ),
    }
}

/// Text folded for sorting names: case and accents ignored ("État" sorts with "Etat").
pub(crate) fn sort_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The name of a Party in `lang`, if the country list knows its code.
pub(crate) fn party_name(iso3: &str, lang: Lang) -> Option<String> {
    countries::by_iso3(iso3).map(|c| c.name.get(lang).to_owned())
}

/// Every published report, newest year first, then by Party name in `lang`.
async fn listed(site: &Site, lang: Lang) -> Result<Vec<Listed>, WebError> {
    let published = site.app.store.published_listing().await?;
    let mut listed: Vec<Listed> = published
        .into_iter()
        .map(
            |PublishedListing {
                 party_iso3,
                 party_name: reported,
                 year,
                 revision,
                 published_at,
                 imported_at,
                 submitted_on,
             }| {
                Listed {
                    party: party_name(&party_iso3, lang).unwrap_or(reported),
                    region: countries::by_iso3(&party_iso3).and_then(|c| c.region),
                    iso3: party_iso3,
                    year,
                    published_at,
                    imported: imported_at.map(|at| (at, submitted_on)),
                    revision,
                }
            },
        )
        .collect();
    listed.sort_by_cached_key(|r| (std::cmp::Reverse(r.year), sort_key(&r.party)));
    Ok(listed)
}

/// Answers any address no route takes.
pub(crate) async fn not_found(ui: Ui) -> Response {
    WebError::NotFound(Missing::Page).page(&ui.in_section(Section::Other))
}

/// The stylesheet under its hashed name.
pub(crate) async fn stylesheet(request: HeaderMap) -> Response {
    crate::assets::stylesheet().respond(&request)
}

/// The editing pages' script under its hashed name.
pub(crate) async fn editor_script(request: HeaderMap) -> Response {
    crate::assets::editor_script().respond(&request)
}

/// The stylesheet under its plain name.
pub(crate) async fn stylesheet_plain(request: HeaderMap) -> Response {
    crate::assets::stylesheet_plain().respond(&request)
}

/// Turns an API result into a response.
fn api(result: Result<Arc<Representation>, WebError>, request: &HeaderMap) -> Response {
    match result {
        Ok(representation) => representation.respond(request),
        Err(error) => crate::error::ApiError(error).into_response(),
    }
}
