//! A report as a PDF: `/reports/{iso3}/{year}.pdf`, the published report, and
//! `/app/reports/{iso3}/{year}/draft.pdf`, the current revision of a report marked "Draft", for
//! anyone on it (the sections they may see).
//!
//! Typesetting is `qpr-pdf`'s, from the report page's view model (`report_view::blocks`: the
//! same order and labels). Here: which revision, the interface words from the Fluent files,
//! and the bounds. A PDF takes a CPU for a moment, so it is made off the async runtime
//! (`spawn_blocking`), at most [`RENDERS`] at once (more requests wait their turn rather than
//! take every core), once per revision, language and visible sections: revisions never change,
//! so neither does their PDF, and requests arriving while it is being made wait for that one.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Extension;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use fluent_templates::fluent_bundle::FluentValue;
use qpr_domain::text::Lang;
use qpr_store::RevisionId;
use tokio::sync::{OnceCell, Semaphore};

use crate::app::actions;
use crate::app::auth::Viewer;
use crate::error::WebError;
use crate::http::{Kind, Representation};
use crate::pages::Site;
use crate::pages::reports::{load_published, published_signature, signature_official};
use crate::report_key::ReportKey;
use crate::report_view::{self, Block};
use crate::ui::{Section, Ui};
use crate::{AppState, i18n};

/// How many PDFs are made at once, at most.
const RENDERS: usize = 2;

/// How many PDFs are kept; beyond, the cache starts afresh (keys are revisions that exist, so
/// this bounds memory, not normal use: a report's PDF is a few hundred kilobytes).
const MAX_PDFS: usize = 128;

/// What identifies a PDF's content.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PdfKey {
    revision: RevisionId,
    lang: Lang,
    /// The workspace's copy: marked "Draft", with the sections its viewer may see (`None`: all).
    draft: Option<Option<Vec<String>>>,
}

/// The PDFs made, by revision, language and visible sections, and the bound on renders.
#[derive(Debug)]
pub(crate) struct PdfCache {
    pdfs: Mutex<HashMap<PdfKey, Arc<OnceCell<Arc<Representation>>>>>,
    renders: Semaphore,
}

impl Default for PdfCache {
    fn default() -> PdfCache {
        PdfCache { pdfs: Mutex::default(), renders: Semaphore::new(RENDERS) }
    }
}

impl PdfCache {
    /// The PDF under `key`: kept, or being made by another request (then waits for it), or
    /// made now from the report `prepare` gives.
    async fn get_or_make<F, Fut>(&self, key: PdfKey, prepare: F) -> Result<Arc<Representation>, WebError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Job, WebError>>,
    {
        let cell = {
            let mut pdfs = self.pdfs.lock().unwrap_or_else(PoisonError::into_inner);
            if pdfs.len() >= MAX_PDFS && !pdfs.contains_key(&key) {
                pdfs.clear();
            }
            Arc::clone(pdfs.entry(key).or_default())
        };
        let made = cell
            .get_or_try_init(|| async {
                let job = prepare().await?;
                let _permit =
                    self.renders.acquire().await.map_err(|e| WebError::Internal(format!("PDF renders: {e}")))?;
                let bytes = tokio::task::spawn_blocking(move || job.render())
                    .await
                    .map_err(|e| WebError::Internal(format!("PDF render task: {e}")))??;
                Ok::<_, WebError>(Arc::new(Representation::new(Kind::Pdf, bytes, None)))
            })
            .await?;
        Ok(Arc::clone(made))
    }
}

/// A report to typeset, owned, to be sent to a blocking thread.
struct Job {
    title: String,
    form_title: String,
    lang: Lang,
    blocks: Vec<Block>,
    toc: Vec<report_view::TocEntry>,
    signature: Option<qpr_pdf::SignatureBlock>,
    watermark: Option<String>,
    words: qpr_pdf::Words,
}

impl Job {
    fn render(&self) -> Result<Vec<u8>, WebError> {
        let report = qpr_pdf::PdfReport {
            title: &self.title,
            form_title: &self.form_title,
            header: &self.title,
            lang: self.lang,
            blocks: &self.blocks,
            toc: &self.toc,
            signature: self.signature.as_ref(),
            watermark: self.watermark.as_deref(),
            words: &self.words,
        };
        qpr_pdf::render(&report)
            .map(|rendered| rendered.bytes)
            .map_err(|e| WebError::Internal(format!("PDF of {} ({}): {e}", self.title, e.code())))
    }
}

/// The PDF's words in the page's language. The footer's numbers are typst's to fill:
/// the message gets `{page}` and `{pages}` as its arguments.
fn words(ui: &Ui) -> qpr_pdf::Words {
    let placeholder = |text: &'static str| FluentValue::from(text);
    qpr_pdf::Words {
        contents: ui.t("report-contents"),
        page: i18n::text_with(
            ui.language(),
            "pdf-page",
            &[("page", placeholder("{page}")), ("pages", placeholder("{pages}"))],
        ),
    }
}

/// The response: the PDF, shown in the browser, saved under `file_name`.
fn pdf_response(pdf: &Representation, request: &HeaderMap, file_name: &str) -> Response {
    let mut response = pdf.respond(request);
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{file_name}\"")) {
        response.headers_mut().insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /reports/{iso3}/{year}.pdf`: the published report, in the page's language.
pub(crate) async fn published_pdf(
    site: Site,
    ui: Ui,
    key: ReportKey,
    Extension(cache): Extension<Arc<PdfCache>>,
    request: HeaderMap,
) -> Response {
    let (code, year) = (&key.iso3, key.year.get());
    let ui = ui.in_section(Section::Reports).at(&format!("/reports/{code}/{year}.pdf"));
    let result = async {
        let published = load_published(&site, code, year).await?;
        let pdf_key = PdfKey { revision: published.revision, lang: ui.language(), draft: None };
        cache
            .get_or_make(pdf_key, || async {
                let document = &published.document;
                let framework = site.app.framework(&document.framework)?;
                let (blocks, toc) = report_view::blocks(framework, document, ui.language());
                let signature = published_signature(&site, &published).await?.map(|envelope| qpr_pdf::SignatureBlock {
                    heading: ui.t("report-signature"),
                    lines: vec![
                        ui.ts("report-signed-by", "official", signature_official(&envelope)),
                        ui.ts("report-signed-on", "date", ui.date(&envelope.signed_at)),
                    ],
                });
                Ok(Job {
                    title: format!("{} {}", document.party.name, document.year),
                    form_title: ui.local(&framework.title).to_owned(),
                    lang: ui.language(),
                    blocks,
                    toc,
                    signature,
                    watermark: None,
                    words: words(&ui),
                })
            })
            .await
    }
    .await;
    match result {
        Ok(pdf) => pdf_response(&pdf, &request, &format!("{code}-{year}-{}.pdf", ui.lang())),
        Err(error) => error.page(&ui),
    }
}

/// The blocks of the sections in `visible`, with the goal headings over them, and the
/// entries of the contents that lead to them.
fn visible_blocks(
    blocks: Vec<Block>,
    toc: Vec<report_view::TocEntry>,
    visible: &[String],
) -> (Vec<Block>, Vec<report_view::TocEntry>) {
    let mut kept = Vec::with_capacity(blocks.len());
    let mut goal = None;
    let mut shown = true;
    for block in blocks {
        match block {
            Block::Goal { .. } => goal = Some(block),
            Block::Section { ref id, .. } => {
                shown = visible.contains(id);
                if shown {
                    kept.extend(goal.take());
                    kept.push(block);
                }
            }
            block if shown => kept.push(block),
            _ => {}
        }
    }
    let headings: Vec<&str> = kept
        .iter()
        .filter_map(|block| match block {
            Block::Goal { id, .. } | Block::Section { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let toc = toc.into_iter().filter(|entry| headings.contains(&entry.id.as_str())).collect();
    (kept, toc)
}

/// `GET /app/reports/{iso3}/{year}/draft.pdf`: the report's current revision, marked "Draft",
/// for anyone on the report, with the sections they may see.
pub(crate) async fn draft_pdf(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Extension(cache): Extension<Arc<PdfCache>>,
    request: HeaderMap,
) -> Response {
    let result = async {
        let signed_in = viewer.require()?;
        let (report, access) = actions::report_for(&state, signed_in, &key).await?;
        let framework = actions::framework_of(&state, &report)?;
        let revision = report
            .current_revision
            .ok_or_else(|| WebError::Internal(format!("report {} has no revision", report.id)))?;
        let visible: Vec<String> =
            framework.sections.iter().filter(|s| access.can_see_section(&s.id)).map(|s| s.id.clone()).collect();
        let restricted = (visible.len() < framework.sections.len()).then_some(visible);
        let pdf_key = PdfKey { revision, lang: ui.language(), draft: Some(restricted.clone()) };
        cache
            .get_or_make(pdf_key, || async {
                let (_, document) = state.store.revision(revision).await?;
                let (blocks, toc) = report_view::blocks(framework, &document, ui.language());
                let (blocks, toc) = match &restricted {
                    Some(visible) => visible_blocks(blocks, toc, visible),
                    None => (blocks, toc),
                };
                Ok(Job {
                    title: format!("{} {}", document.party.name, document.year),
                    form_title: ui.local(&framework.title).to_owned(),
                    lang: ui.language(),
                    blocks,
                    toc,
                    signature: None,
                    watermark: Some(ui.t("pdf-draft")),
                    words: words(&ui),
                })
            })
            .await
    }
    .await;
    match result {
        Ok(pdf) => {
            let name = format!("{}-{}-{}-{}.pdf", key.iso3, key.year, ui.t("pdf-draft").to_lowercase(), ui.lang());
            let mut response = pdf_response(&pdf, &request, &name);
            // One person's copy of a report being written: never kept by a shared cache.
            response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            response
        }
        Err(error) => crate::app::page_error(error, &ui),
    }
}
