//! `/reports` (every published report, filterable by Party, region and year with a plain
//! form), `/reports/{iso3}/{year}` (one report, in the published order with the published
//! labels) and its JSON, `/api/v1/reports/{iso3}/{year}`.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::Response;
use qpr_domain::Year;
use qpr_domain::countries::{Iso3, Region};
use qpr_store::PublishedReport;
use serde::Deserialize;

use super::{Listed, Site, api, html, latest, listed, party_name, system_time};
use crate::error::{Missing, WebError};
use crate::http::{Kind, Representation};
use crate::report_key::{PublicReport, ReportFormat, ReportKey};
use crate::report_view::{self, Block, Shown, TocEntry};
use crate::ui::{Section, Ui};

/// The filters of `/reports`, as given.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Filters {
    party: Option<String>,
    region: Option<String>,
    year: Option<String>,
}

/// The filters that name something; the others are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filter {
    party: Option<Iso3>,
    region: Option<Region>,
    year: Option<i32>,
}

impl Filter {
    fn parse(given: &Filters) -> Filter {
        let given_text =
            |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        Filter {
            party: given_text(&given.party).and_then(|p| Iso3::parse(&p).ok()),
            region: given_text(&given.region).and_then(|r| Region::from_id(&r)),
            year: given_text(&given.year).and_then(|y| Year::parse(&y).ok()).map(Year::get),
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        params.extend(self.party.as_ref().map(|p| ("party", p.to_string())));
        params.extend(self.region.map(|r| ("region", r.id().to_owned())));
        params.extend(self.year.map(|y| ("year", y.to_string())));
        params
    }

    fn admits(&self, report: &Listed) -> bool {
        self.party.as_ref().is_none_or(|p| p.as_str() == report.iso3)
            && self.region.is_none_or(|r| report.region == Some(r))
            && self.year.is_none_or(|y| y == report.year)
    }
}

/// An option of a filter's `<select>`.
struct SelectOption {
    value: String,
    label: String,
    selected: bool,
}

/// A region as a table cell shows it: its name, linking to the reports of the region.
struct RegionCell {
    name: String,
    filter_href: String,
}

struct Row {
    iso3: String,
    party: String,
    year: i32,
    /// When it became public (see [`super::released`]).
    released: String,
    region: Option<RegionCell>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    parties: Vec<SelectOption>,
    regions: Vec<SelectOption>,
    years: Vec<SelectOption>,
    filtered: bool,
    rows: Vec<Row>,
}

/// The list of published reports.
pub(crate) async fn reports_page(site: Site, ui: Ui, Query(given): Query<Filters>, request: HeaderMap) -> Response {
    let filter = Filter::parse(&given);
    let ui = ui.in_section(Section::Reports).with_params(filter.params());
    site.page(&ui, &request, || render_list(&site, &ui, &filter)).await
}

async fn render_list(site: &Site, ui: &Ui, filter: &Filter) -> Result<Representation, WebError> {
    let all = listed(site, ui.language()).await?;
    let named: BTreeMap<&str, &str> = all.iter().map(|r| (r.iso3.as_str(), r.party.as_str())).collect();
    let mut parties: Vec<SelectOption> = named
        .into_iter()
        .map(|(iso3, name)| SelectOption {
            value: iso3.to_owned(),
            label: name.to_owned(),
            selected: filter.party.as_ref().is_some_and(|p| p.as_str() == iso3),
        })
        .collect();
    parties.sort_by_cached_key(|c| super::sort_key(&c.label));
    let regions = Region::ALL
        .iter()
        .map(|r| SelectOption {
            value: r.id().to_owned(),
            label: ui.local(&r.name()).to_owned(),
            selected: filter.region == Some(*r),
        })
        .collect();
    let years: BTreeSet<i32> = all.iter().map(|r| r.year).collect();
    let years = years
        .into_iter()
        .rev()
        .map(|y| SelectOption { value: y.to_string(), label: y.to_string(), selected: filter.year == Some(y) })
        .collect();
    let rows = all
        .iter()
        .filter(|r| filter.admits(r))
        .map(|r| Row {
            iso3: r.iso3.clone(),
            party: r.party.clone(),
            year: r.year,
            released: r.released(ui),
            region: r.region.map(|region| RegionCell {
                name: ui.local(&region.name()).to_owned(),
                filter_href: format!("/reports?region={}", region.id()),
            }),
        })
        .collect();
    let modified = latest(all.iter().map(|r| r.published_at.as_str()));
    html(
        &ReportsPage { lang: ui.lang(), ui, parties, regions, years, filtered: *filter != Filter::default(), rows },
        modified,
    )
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    page_title: String,
    report_label: String,
    party_name: String,
    party_url: String,
    json_url: String,
    pdf_url: String,
    iso3: String,
    year: i32,
    toc: Vec<TocEntry>,
    blocks: Vec<Block>,
    signature: Option<SignatureLine>,
    /// The day the report was submitted (`YYYY-MM-DD`), if known.
    submitted_on: Option<String>,
    /// When an import published it (imported reports only).
    imported_at: Option<String>,
    /// The Party's previous published report, if any (linked: what changed since).
    previous: Option<i32>,
    /// The Secretariat's translation of the executive summary in the reader's language.
    translation: Option<ShownTranslation>,
}

/// The Secretariat's translation of a report's executive summary, as the page shows it.
struct ShownTranslation {
    /// Its language tag (the page's).
    tag: &'static str,
    /// Its paragraphs (blank lines separate them).
    paragraphs: Vec<String>,
    /// When it was attached.
    attached_at: qpr_store::Timestamp,
    /// The element id of the executive summary as submitted.
    anchor: String,
}

/// The translation of the executive summary of the published report `document` (of `code`
/// `year`) that a reader of `lang` is shown: one the Secretariat attached in `lang`, when the
/// report has an executive summary (`qpr_workflow::translations`).
async fn shown_translation(
    site: &Site,
    (code, year): (&str, i32),
    framework: &qpr_domain::Framework,
    document: &qpr_domain::ReportDocument,
    lang: qpr_domain::text::Lang,
) -> Result<Option<ShownTranslation>, WebError> {
    use qpr_workflow::translations;
    let Some(question) = framework.question_with_role(qpr_domain::framework::QuestionRole::ExecutiveSummary) else {
        return Ok(None);
    };
    if translations::executive_summary(framework, document).is_none() {
        return Ok(None);
    }
    let Some(report) = site.app.store.report_by_key(code, year).await? else { return Ok(None) };
    let Some(revision) = report.published_revision else { return Ok(None) };
    let stored = translations::current_of(&site.app.workflow, framework, &report, (revision, document)).await?;
    Ok(translations::for_reader(&stored, lang).map(|translation| ShownTranslation {
        tag: translation.lang.tag(),
        paragraphs: translation
            .text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        attached_at: translation.attached_at.clone(),
        anchor: question.id.clone(),
    }))
}

/// Who signed a published report and when, from its signature envelope.
struct SignatureLine {
    official: String,
    signed_at: String,
    document_url: String,
    signature_url: String,
    keys_url: &'static str,
}

impl ReportPage<'_> {
    /// Nothing after fields on the public page (the review page shows comments there).
    fn field_notes(&self, _id: &str) -> askama::Result<String> {
        Ok(String::new())
    }
}

/// The signature envelope of a published revision, if it was signed on this platform.
pub(crate) async fn published_signature(
    site: &Site,
    published: &PublishedReport,
) -> Result<Option<qpr_signature::SignatureEnvelope>, WebError> {
    match site.app.store.signature(published.revision).await? {
        None => Ok(None),
        Some(stored) => serde_json::from_str(&stored.envelope)
            .map(Some)
            .map_err(|e| WebError::Internal(format!("stored signature: {e}"))),
    }
}

/// Who signed, as the signature block names them: title, names, position, organization.
pub(crate) fn signature_official(envelope: &qpr_signature::SignatureEnvelope) -> String {
    let official = &envelope.signer.official;
    format!(
        "{} {} {}, {}, {}",
        official.title, official.first_name, official.last_name, official.position, official.organization
    )
}

/// The years of a Party's published reports, in the store's order.
pub(crate) async fn published_years(site: &Site, code: &Iso3) -> Result<Vec<i32>, WebError> {
    let listing = site.app.store.published_listing().await?;
    Ok(listing.into_iter().filter(|r| r.party_iso3 == code.as_str()).map(|r| r.year).collect())
}

/// The published report of a Party and year.
pub(crate) async fn load_published(site: &Site, code: &Iso3, year: i32) -> Result<PublishedReport, WebError> {
    site.app
        .store
        .published_report(code.as_str(), year)
        .await?
        .ok_or_else(|| WebError::NotFound(Missing::Report { party: code.to_string(), year }))
}

/// `GET /reports/{iso3}/{year}` and `/reports/{iso3}/{year}.pdf` (one route: the router takes
/// no suffix after a parameter): the page of a report, or its PDF.
pub(crate) async fn report_page_or_pdf(
    site: Site,
    ui: Ui,
    address: PublicReport,
    cache: axum::Extension<std::sync::Arc<crate::pdf::PdfCache>>,
    request: HeaderMap,
) -> Response {
    match address.format {
        ReportFormat::Page => report_page(site, ui, address.key, request).await,
        ReportFormat::Pdf => crate::pdf::published_pdf(site, ui, address.key, cache, request).await,
    }
}

/// The page of a report.
async fn report_page(site: Site, ui: Ui, key: ReportKey, request: HeaderMap) -> Response {
    let (code, year) = (key.iso3, key.year.get());
    // One cache entry per report, however its address is spelled (`aze`, `02022`).
    let ui = ui.in_section(Section::Reports).at(&format!("/reports/{code}/{year}"));
    site.page(&ui, &request, || async {
        let published = load_published(&site, &code, year).await?;
        let document = &published.document;
        let framework = site.app.framework(&document.framework)?;
        let (blocks, toc) = report_view::blocks(framework, document, ui.language());
        let party = party_name(code.as_str(), ui.language()).unwrap_or_else(|| document.party.name.clone());
        let signature = published_signature(&site, &published).await?.map(|envelope| SignatureLine {
            official: signature_official(&envelope),
            signed_at: envelope.signed_at.clone(),
            document_url: format!("/reports/{code}/{year}/signed.json"),
            signature_url: format!("/reports/{code}/{year}/signature.json"),
            keys_url: qpr_signature::WELL_KNOWN_PATH,
        });
        let previous = published_years(&site, &code).await?.into_iter().filter(|&y| y < year).max();
        let translation = shown_translation(&site, (code.as_str(), year), framework, document, ui.language()).await?;
        // The page changes when a translation is attached after publication.
        let modified =
            translation.as_ref().map_or(&published.published_at, |t| (&published.published_at).max(&t.attached_at));
        let modified = system_time(modified.as_str());
        let page = ReportPage {
            translation,
            previous,
            signature,
            submitted_on: published.submitted_on.clone(),
            imported_at: published.imported_at.as_ref().map(ToString::to_string),
            lang: ui.lang(),
            ui: &ui,
            page_title: ui.local(&framework.title).to_owned(),
            report_label: format!("{} {}", document.party.name, document.year),
            party_url: ui.party_href(code.as_str()),
            party_name: party,
            json_url: format!("/api/v1/reports/{code}/{year}"),
            pdf_url: ui.href(format!("/reports/{code}/{year}.pdf")),
            iso3: code.to_string(),
            year,
            toc,
            blocks,
        };
        html(&page, modified)
    })
    .await
}

/// The document of a report (JSON, format `qpr-report/1`).
/// A published report: the document as published (`qpr-report/1`, see `report-json.md`).
#[utoipa::path(get, path = "/api/v1/reports/{iso3}/{year}", tag = "public", security(()), params(crate::app::api_types::ReportPath),
    responses((status = 200, body = Object, description = "The report document"), (status = 304, description = "Not modified (ETag, Last-Modified)"),
        crate::app::api_types::Errors))]
pub(crate) async fn report_json(site: Site, key: ReportKey, request: HeaderMap) -> Response {
    let result = async {
        let (code, year) = (&key.iso3, key.year.get());
        site.cached(format!("api:/api/v1/reports/{code}/{year}"), || async {
            let published = load_published(&site, code, year).await?;
            let json = serde_json::to_vec(&published.document)
                .map_err(|e| WebError::Internal(format!("document to JSON: {e}")))?;
            Ok(Representation::new(Kind::Json, json, system_time(published.published_at.as_str())))
        })
        .await
    };
    api(result.await, &request)
}

/// The Secretariat's translations of a published report's executive summary (English,
/// French): a resource of its own beside the document, which stays as submitted
/// (`report-json.md`); an empty list when there is none. A translation of a summary rewritten
/// since it was made is left out (`qpr_workflow::translations::is_current`).
#[utoipa::path(get, path = "/api/v1/reports/{iso3}/{year}/translations", tag = "public", security(()), params(crate::app::api_types::ReportPath),
    responses((status = 200, body = crate::app::api_types::SummaryTranslations, description = "The translations of the executive summary"),
        (status = 304, description = "Not modified (ETag, Last-Modified)"), crate::app::api_types::Errors))]
pub(crate) async fn translations_json(site: Site, key: ReportKey, request: HeaderMap) -> Response {
    use crate::app::api_types::{SummaryTranslationBody, SummaryTranslations};
    let result = async {
        let (code, year) = (&key.iso3, key.year.get());
        site.cached(format!("api:/api/v1/reports/{code}/{year}/translations"), || async {
            let published = load_published(&site, code, year).await?;
            let report = site
                .app
                .store
                .report_by_key(code.as_str(), year)
                .await?
                .ok_or_else(|| WebError::NotFound(Missing::Report { party: code.to_string(), year }))?;
            let framework = site.app.framework(&report.framework)?;
            let stored = qpr_workflow::translations::current_of(
                &site.app.workflow,
                framework,
                &report,
                (published.revision, &published.document),
            )
            .await?;
            let modified = stored.iter().map(|t| &t.attached_at).chain([&published.published_at]).max();
            let body = SummaryTranslations {
                iso3: code.to_string(),
                year,
                translations: stored
                    .iter()
                    .map(|t| SummaryTranslationBody {
                        lang: t.lang.tag().to_owned(),
                        text: t.text.clone(),
                        translated_by: SummaryTranslationBody::SECRETARIAT.to_owned(),
                        attached_at: t.attached_at.to_string(),
                        revision: t.revision_id.get(),
                    })
                    .collect(),
            };
            let json =
                serde_json::to_vec(&body).map_err(|e| WebError::Internal(format!("translations to JSON: {e}")))?;
            Ok(Representation::new(Kind::Json, json, modified.and_then(|m| system_time(m.as_str()))))
        })
        .await
    };
    api(result.await, &request)
}

/// Which file of a signed report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignedFile {
    /// The document as signed: its RFC 8785 canonical JSON.
    Document,
    /// The signature envelope.
    Signature,
}

/// `/reports/{iso3}/{year}/signed.json` and `/signature.json`: the two files `qpr verify` takes.
/// The canonical document is made again from the published revision and checked against the
/// signed hash before it is served, so a mismatch is an error here, not a surprise for a reader.
pub(crate) async fn signed_file(site: &Site, key: &ReportKey, file: SignedFile, request: &HeaderMap) -> Response {
    let result = async {
        let (code, year) = (&key.iso3, key.year.get());
        let name = if file == SignedFile::Document { "signed" } else { "signature" };
        site.cached(format!("api:/reports/{code}/{year}/{name}.json"), || async {
            let published = load_published(site, code, year).await?;
            let not_signed = || WebError::NotFound(Missing::Report { party: code.to_string(), year });
            let stored = site.app.store.signature(published.revision).await?.ok_or_else(not_signed)?;
            let bytes = match file {
                SignedFile::Signature => stored.envelope.into_bytes(),
                SignedFile::Document => {
                    let value = serde_json::to_value(&published.document)
                        .map_err(|e| WebError::Internal(format!("document to JSON: {e}")))?;
                    let canonical = qpr_signature::jcs::canonicalize(&value)
                        .map_err(|e| WebError::Internal(format!("canonical JSON: {e}")))?;
                    let envelope: qpr_signature::SignatureEnvelope = serde_json::from_str(&stored.envelope)
                        .map_err(|e| WebError::Internal(format!("stored signature: {e}")))?;
                    if qpr_signature::sha256_hex(&canonical) != envelope.hash.value {
                        return Err(WebError::Internal(format!(
                            "published revision {} no longer matches its signature",
                            published.revision
                        )));
                    }
                    canonical
                }
            };
            Ok(Representation::new(Kind::Json, bytes, system_time(published.published_at.as_str())))
        })
        .await
    };
    api(result.await, request)
}

/// `GET /reports/{iso3}/{year}/signed.json`.
pub(crate) async fn signed_document(site: Site, key: ReportKey, request: HeaderMap) -> Response {
    signed_file(&site, &key, SignedFile::Document, &request).await
}

/// `GET /reports/{iso3}/{year}/signature.json`.
pub(crate) async fn signature_file(site: Site, key: ReportKey, request: HeaderMap) -> Response {
    signed_file(&site, &key, SignedFile::Signature, &request).await
}
