//! A report's annexes: PDF files with a title and a description, listed, uploaded, downloaded
//! and removed from one page (`/app/reports/{iso3}/{year}/annexes`) and through the API. The
//! actions are written once here; the API handlers in `api` call them too.
//!
//! Rules: whoever may read the form's annex section may list and download the files; whoever
//! may edit that section (the focal point, a contributor given it) may add and remove them,
//! while the report is editable. A file is a PDF by its content (`pdf`), at most
//! [`MAX_ANNEX_BYTES`]; the refusal of a larger one says how large it is.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use qpr_domain::Framework;
use qpr_domain::framework::{AnswerType, Section};
use qpr_domain::text::Lang;
use qpr_store::{Annex, MAX_ANNEX_BYTES, StoreError, StoredReport};
use qpr_workflow::pdf::PdfProblem;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::access::ReportAccess;
use super::auth::{SignedIn, Viewer};
use super::{Chrome, actions, page_error, private_page, see_other, with_cookie};
use crate::AppState;
use crate::error::{Missing, WebError};
use crate::i18n;
use crate::report_key::{AnnexSegment, ReportKey};
use crate::ui::Ui;
use crate::ui::query_value;

/// The largest request body of an upload. Files up to twice the limit are read through and
/// measured, so that the refusal says how large the file is; a longer request is refused by
/// its `Content-Length` before it is read.
pub(crate) const UPLOAD_BODY_LIMIT: usize = 2 * MAX_ANNEX_BYTES + 1024 * 1024;
/// The media type every annex has (checked by content).
const PDF: &str = "application/pdf";
const MAX_TITLE_CHARS: usize = 300;
const MAX_DESCRIPTION_CHARS: usize = 5000;

/// The section of the form that asks for the annexes: the one with a file-list question (found
/// by answer type, so that a framework may name it as it likes).
pub(crate) fn annex_section(framework: &Framework) -> Option<&Section> {
    framework.sections.iter().find(|s| s.questions.iter().any(|q| q.answer_type == AnswerType::FileList))
}

/// Whether the report may change now (draft, or sent back for changes).
pub(crate) fn editable(report: &StoredReport) -> bool {
    report.state.is_editable()
}

/// The refusal of a change to a report that is no longer editable (409, in the page's language).
pub(crate) fn not_editable(report: &StoredReport, _lang: Lang) -> WebError {
    WebError::Refused(qpr_workflow::WorkflowError::NotEditable(report.state))
}

/// The id of the report's annex section; `404` when its form has none.
fn section_id(state: &AppState, report: &StoredReport) -> Result<String, WebError> {
    let framework = actions::framework_of(state, report)?;
    annex_section(framework).map(|s| s.id.clone()).ok_or(WebError::NotFound(Missing::Page))
}

/// Whether the viewer may list and download the annexes.
fn may_see(state: &AppState, report: &StoredReport, access: &ReportAccess) -> Result<(), WebError> {
    if access.can_see_section(&section_id(state, report)?) { Ok(()) } else { Err(WebError::Forbidden) }
}

/// Whether the viewer may add and remove annexes now.
pub(crate) fn may_change(
    state: &AppState,
    report: &StoredReport,
    access: &ReportAccess,
    lang: Lang,
) -> Result<(), WebError> {
    if !access.can_edit_section(&section_id(state, report)?) {
        return Err(WebError::Forbidden);
    }
    if !editable(report) {
        return Err(not_editable(report, lang));
    }
    Ok(())
}

/// A size as people read it, in `lang`: "812 bytes", "340 KB", "23.4 MB" ("23,4 Mo").
pub(crate) fn file_size(lang: Lang, bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let (id, value) = if bytes < KB {
        ("size-bytes", bytes.to_string())
    } else if bytes < MB {
        ("size-kb", bytes.div_ceil(KB).to_string())
    } else {
        // Tenths of a megabyte, rounded up, so that a file just over the limit never reads
        // as the limit itself.
        let tenths = (bytes * 10).div_ceil(MB);
        let text = if tenths.is_multiple_of(10) {
            (tenths / 10).to_string()
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        };
        ("size-mb", if lang == Lang::Fr { text.replace('.', ",") } else { text })
    };
    i18n::text_with(lang, id, &[("value", value.into())])
}

fn too_large(lang: Lang, size: u64) -> WebError {
    let limit = file_size(lang, MAX_ANNEX_BYTES as u64);
    WebError::TooLarge(i18n::text_with(
        lang,
        "annex-too-large",
        &[("size", file_size(lang, size).into()), ("limit", limit.into())],
    ))
}

/// An upload as sent: the file's first [`MAX_ANNEX_BYTES`] bytes and its whole size, the title
/// and description, and the form token of a page's form.
#[derive(Debug, Default)]
pub(crate) struct Upload {
    bytes: Vec<u8>,
    size: u64,
    /// A file was chosen (browsers send an empty, unnamed file part when none was).
    file_chosen: bool,
    pub title: String,
    pub description: String,
    pub csrf: Option<String>,
}

/// Reads a `multipart/form-data` upload with the parts `file`, `title`, `description` (and
/// `csrf` from a page's form). The file is read as it arrives; beyond the limit its bytes are
/// counted, not kept.
pub(crate) async fn read_upload(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    lang: Lang,
) -> Result<Upload, WebError> {
    let length = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if let Some(length) = length.filter(|l| *l > UPLOAD_BODY_LIMIT as u64) {
        // The whole request, a few hundred bytes more than the file: close enough to tell.
        return Err(too_large(lang, length));
    }
    let mut multipart = multipart.map_err(|e| {
        tracing::debug!("annex upload is not a multipart form: {e}");
        WebError::from(qpr_workflow::Invalid::new(
            qpr_workflow::Field::Upload,
            qpr_workflow::Problem::NotMultipart { parts: "file, title, description" },
        ))
    })?;
    let mut upload = Upload::default();
    let read_error = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            let limit = file_size(lang, MAX_ANNEX_BYTES as u64);
            WebError::TooLarge(i18n::text_with(lang, "annex-over-limit", &[("limit", limit.into())]))
        } else {
            WebError::from(qpr_workflow::Invalid::new(
                qpr_workflow::Field::Upload,
                qpr_workflow::Problem::Unreadable { detail: e.body_text() },
            ))
        }
    };
    while let Some(mut part) = multipart.next_field().await.map_err(read_error)? {
        match part.name() {
            Some("file") if !upload.file_chosen => {
                upload.file_chosen = part.file_name().is_some_and(|name| !name.is_empty());
                while let Some(chunk) = part.chunk().await.map_err(read_error)? {
                    upload.size += chunk.len() as u64;
                    if upload.size <= MAX_ANNEX_BYTES as u64 {
                        upload.bytes.extend_from_slice(&chunk);
                    }
                }
                upload.file_chosen |= upload.size > 0;
            }
            Some("title") => upload.title = part.text().await.map_err(read_error)?,
            Some("description") => upload.description = part.text().await.map_err(read_error)?,
            Some("csrf") => upload.csrf = Some(part.text().await.map_err(read_error)?),
            // Anything else (a second file, unknown parts) is skipped as the next part is read.
            _ => {}
        }
    }
    Ok(upload)
}

/// A text field of an upload: required, at most `max` characters.
fn text_field<'a>(
    value: &'a str,
    max: usize,
    required_id: &str,
    label_id: &str,
    lang: Lang,
) -> Result<&'a str, WebError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(WebError::Invalid(i18n::text(lang, required_id)));
    }
    if value.chars().count() > max {
        let args = [("field", i18n::text(lang, label_id).into()), ("max", max.to_string().into())];
        return Err(WebError::Invalid(i18n::text_with(lang, "annex-text-too-long", &args)));
    }
    Ok(value)
}

/// Attaches an uploaded PDF to the report.
pub(crate) async fn add(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    upload: &Upload,
    lang: Lang,
) -> Result<Annex, WebError> {
    may_change(state, report, access, lang)?;
    if !upload.file_chosen {
        return Err(WebError::Invalid(i18n::text(lang, "annex-no-file")));
    }
    if upload.size > MAX_ANNEX_BYTES as u64 {
        return Err(too_large(lang, upload.size));
    }
    qpr_workflow::pdf::check(&upload.bytes).map_err(|problem| WebError::Invalid(pdf_message(problem, lang)))?;
    let title = text_field(&upload.title, MAX_TITLE_CHARS, "annex-title-required", "annexes-doc-title", lang)?;
    let description = text_field(
        &upload.description,
        MAX_DESCRIPTION_CHARS,
        "annex-description-required",
        "annexes-description",
        lang,
    )?;
    Ok(state.store.add_annex(report.id, &upload.bytes, PDF, title, description, &viewer.actor()).await?)
}

/// Whether a path segment can be a file's SHA-256 (64 lowercase hex digits).
fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Takes an annex off the report.
pub(crate) async fn remove(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    sha256: &str,
    lang: Lang,
) -> Result<Annex, WebError> {
    may_change(state, report, access, lang)?;
    if !is_sha256(sha256) {
        return Err(WebError::NotFound(Missing::Page));
    }
    Ok(state.store.remove_annex(report.id, sha256, &viewer.actor()).await?)
}

/// Who added an annex.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct AddedBy {
    /// The user's id, when a user did.
    pub user: Option<i64>,
    pub name: String,
}

/// An annex as the page and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct AnnexView {
    pub sha256: String,
    pub title: String,
    pub description: String,
    /// Bytes.
    pub size: i64,
    pub content_type: String,
    pub added_by: AddedBy,
    pub added_at: String,
}

impl AnnexView {
    /// The view of `annex`, added by `added_by`.
    pub(crate) fn new(annex: Annex, added_by: AddedBy) -> AnnexView {
        AnnexView {
            sha256: annex.sha256,
            title: annex.title,
            description: annex.description,
            size: annex.size,
            content_type: annex.content_type,
            added_by,
            added_at: annex.added_at.to_string(),
        }
    }
}

/// The annexes of a report the viewer may see, with the names of who added them.
pub(crate) async fn list(
    state: &AppState,
    report: &StoredReport,
    access: &ReportAccess,
) -> Result<Vec<AnnexView>, WebError> {
    may_see(state, report, access)?;
    let mut names: HashMap<String, AddedBy> = HashMap::new();
    let mut views = Vec::new();
    for annex in state.store.annexes(report.id).await? {
        let added_by = match names.get(&annex.added_by) {
            Some(known) => known.clone(),
            None => {
                let user = annex.added_by.strip_prefix("user:").and_then(|id| id.parse::<qpr_store::UserId>().ok());
                let name = match user {
                    Some(id) => state.store.user(id).await.map_or_else(|_| annex.added_by.clone(), |u| u.display_name),
                    None => annex.added_by.clone(),
                };
                let known = AddedBy { user: user.map(qpr_store::UserId::get), name };
                names.insert(annex.added_by.clone(), known.clone());
                known
            }
        };
        views.push(AnnexView::new(annex, added_by));
    }
    Ok(views)
}

/// `text` with every run of characters `keep` refuses (path separators, quotes, controls,
/// spaces, dots) made one `-`, cut to `max` characters; `annex-…` when nothing is left.
fn safe_name(text: &str, keep: impl Fn(char) -> bool, max: usize, sha256: &str) -> String {
    let mut name = String::new();
    for c in text.chars() {
        if keep(c) {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name: String = name.trim_end_matches('-').chars().take(max).collect();
    if name.is_empty() { format!("annex-{}", sha256.get(..12).unwrap_or(sha256)) } else { name }
}

/// The file name a download is saved under: the title made safe, as plain ASCII for old
/// clients (accents dropped: "Décret" → "Decret") and as UTF-8 (`filename*`, RFC 6266).
fn content_disposition(title: &str, sha256: &str) -> String {
    let unaccented: String = title.nfd().filter(char::is_ascii).collect();
    let ascii = safe_name(&unaccented, |c| c.is_ascii_alphanumeric() || c == '_', 80, sha256);
    let unicode = safe_name(title, |c| c.is_alphanumeric() || c == '_', 120, sha256);
    format!("attachment; filename=\"{ascii}.pdf\"; filename*=UTF-8''{}.pdf", query_value(&unicode))
}

/// The file of an annex, for whoever may see the report's annexes: `404` for a report that is
/// not theirs or a file that is not an annex of this report.
pub(crate) async fn file(
    state: &AppState,
    viewer: &SignedIn,
    key: &ReportKey,
    sha256: &str,
) -> Result<Response, WebError> {
    let (report, access) = actions::report_for(state, viewer, key).await?;
    may_see(state, &report, &access)?;
    if !is_sha256(sha256) {
        return Err(WebError::NotFound(Missing::Page));
    }
    let annex = state.store.annex(report.id, sha256).await?.ok_or(WebError::NotFound(Missing::Page))?;
    let bytes = state.store.blob(&annex.sha256).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(PDF));
    let disposition = HeaderValue::from_str(&content_disposition(&annex.title, &annex.sha256))
        .map_err(|e| WebError::Internal(format!("content-disposition: {e}")))?;
    headers.insert(CONTENT_DISPOSITION, disposition);
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", annex.sha256)) {
        headers.insert(ETAG, etag);
    }
    Ok(with_cookie(response, None))
}

#[derive(Template)]
#[template(path = "app/annexes.html")]
struct AnnexesPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    annexes: Vec<AnnexView>,
    can_change: bool,
    notice: Option<String>,
    error: Option<String>,
    /// What was typed in the form, kept when the upload is refused.
    title: &'a str,
    description: &'a str,
    limit: String,
}

impl AnnexesPage<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }

    fn size(&self, bytes: &i64) -> String {
        // Sizes are stored from the length of the bytes received, never negative.
        file_size(self.ui.language(), u64::try_from(*bytes).unwrap_or_default())
    }

    fn added(&self, annex: &AnnexView) -> String {
        let args = [("name", annex.added_by.name.clone().into()), ("date", self.ui.date(&annex.added_at).into())];
        i18n::text_with(self.ui.language(), "annexes-added-by", &args)
    }
}

/// What the annexes page shows besides the list: a notice, or a refused upload with what was
/// typed.
#[derive(Default)]
struct Feedback<'a> {
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
    title: &'a str,
    description: &'a str,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    report: &StoredReport,
    access: &ReportAccess,
    feedback: Feedback<'_>,
) -> Result<Response, WebError> {
    let annexes = list(state, report, access).await?;
    let can_change = may_change(state, report, access, ui.language()).is_ok();
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let (status, error) = feedback.error.map_or((StatusCode::OK, None), |(status, message)| (status, Some(message)));
    let page = AnnexesPage {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        report,
        annexes,
        can_change,
        notice: feedback.notice,
        error,
        title: feedback.title,
        description: feedback.description,
        limit: file_size(ui.language(), MAX_ANNEX_BYTES as u64),
    };
    let mut response = private_page(&page, cookie);
    *response.status_mut() = status;
    Ok(response)
}

/// Query of the annexes page after a change (POST/redirect/GET).
#[derive(Debug, Deserialize)]
pub(crate) struct Done {
    added: Option<String>,
    removed: Option<String>,
}

/// `GET /app/reports/{iso3}/{year}/annexes`: the list, and the upload form for who may upload.
pub(crate) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Query(done): Query<Done>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let (report, access) = actions::report_for(&state, viewer.require()?, &key).await?;
        let notice = match (&done.added, &done.removed) {
            (Some(sha256), _) if is_sha256(sha256) => {
                state.store.annex(report.id, sha256).await?.map(|a| ui.ts("annexes-added-notice", "title", a.title))
            }
            (_, Some(title)) => Some(ui.ts("annexes-removed-notice", "title", title)),
            _ => None,
        };
        render(&state, &viewer, &ui, &report, &access, Feedback { notice, ..Feedback::default() }).await
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `POST /app/reports/{iso3}/{year}/annexes` (`multipart/form-data`: `csrf`, `file`, `title`,
/// `description`). A refused file shows the page again with the reason and what was typed.
pub(crate) async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = ui.language();
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let (report, access) = actions::report_for(&state, signed_in, &key).await?;
        // Before reading the body: only who may upload makes the server read a large file.
        may_change(&state, &report, &access, lang)?;
        let upload = match read_upload(&headers, multipart, lang).await {
            Ok(upload) => upload,
            Err(error) => return refused(&state, &viewer, &ui, &report, &access, error, &Upload::default()).await,
        };
        viewer.check_write(upload.csrf.as_deref())?;
        match add(&state, signed_in, &report, &access, &upload, lang).await {
            Ok(annex) => Ok(see_other(
                &ui.href(format!("/app/reports/{}/{}/annexes?added={}", report.party_iso3, report.year, annex.sha256)),
            )),
            Err(error) => refused(&state, &viewer, &ui, &report, &access, error, &upload).await,
        }
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// The page again after a refused upload: input errors are shown above the form (with what was
/// typed); anything else is the error page.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    report: &StoredReport,
    access: &ReportAccess,
    error: WebError,
    upload: &Upload,
) -> Result<Response, WebError> {
    match error {
        WebError::Invalid(_)
        | WebError::Refused(_)
        | WebError::TooLarge(_)
        | WebError::Store(StoreError::Rejected(_)) => {
            let message = error.public_message(ui.language());
            let feedback = Feedback {
                notice: None,
                error: Some((error.status(), message)),
                title: &upload.title,
                description: &upload.description,
            };
            render(state, viewer, ui, report, access, feedback).await
        }
        error => Err(error),
    }
}

/// `GET /app/reports/{iso3}/{year}/annexes/{sha256}`: the file, as a download.
pub(crate) async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Path(AnnexSegment { sha256 }): Path<AnnexSegment>,
) -> Response {
    let result = async { file(&state, viewer.require()?, &key, &sha256).await }.await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `POST /app/reports/{iso3}/{year}/annexes/{sha256}/remove` (`csrf`).
pub(crate) async fn remove_action(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Path(AnnexSegment { sha256 }): Path<AnnexSegment>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let (signed_in, report, access) = super::posted_on_report(&state, &viewer, &form, &key).await?;
        let annex = remove(&state, signed_in, &report, &access, &sha256, ui.language()).await?;
        let title = query_value(&annex.title);
        Ok(see_other(&ui.href(format!("/app/reports/{}/{}/annexes?removed={title}", report.party_iso3, report.year))))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// What the person uploading a file that is not a PDF is told, in `lang`.
fn pdf_message(problem: PdfProblem, lang: Lang) -> String {
    match problem {
        PdfProblem::Empty => i18n::text(lang, "annex-empty"),
        PdfProblem::NotPdf { looks_like: Some(kind) } => {
            i18n::text_with(lang, "annex-not-pdf-but", &[("kind", i18n::text(lang, kind).into())])
        }
        PdfProblem::NotPdf { looks_like: None } => i18n::text(lang, "annex-not-pdf"),
        PdfProblem::Truncated => i18n::text(lang, "annex-pdf-truncated"),
        PdfProblem::Damaged => i18n::text(lang, "annex-pdf-damaged"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(file_size(Lang::En, 812), "812 bytes");
        assert_eq!(file_size(Lang::En, 340 * 1024), "340 KB");
        assert_eq!(file_size(Lang::En, MAX_ANNEX_BYTES as u64), "20 MB");
        assert_eq!(
            file_size(Lang::En, MAX_ANNEX_BYTES as u64 + 1),
            "20.1 MB",
            "over the limit never reads as the limit"
        );
        assert_eq!(file_size(Lang::En, 24_536_678), "23.4 MB");
        assert_eq!(file_size(Lang::Fr, 24_536_678), "23,4 Mo");
    }

    #[test]
    fn download_names_are_safe_in_both_forms() {
        let sha = "ab".repeat(32);
        assert_eq!(
            content_disposition("Décret n° 12/2021 \"culture\"", &sha),
            "attachment; filename=\"Decret-n-12-2021-culture.pdf\"; filename*=UTF-8''D%C3%A9cret-n-12-2021-culture.pdf"
        );
        assert_eq!(
            content_disposition("../../etc/passwd", &sha),
            "attachment; filename=\"etc-passwd.pdf\"; filename*=UTF-8''etc-passwd.pdf"
        );
        assert!(content_disposition("«»", &sha).starts_with("attachment; filename=\"annex-abababababab.pdf\""));
    }
}
