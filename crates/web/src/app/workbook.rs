//! The form as a workbook (`qpr-workbook` through `qpr_workflow::workbook`): download a
//! draft's workbook from the report's overview, upload a filled one (multipart) to see what it
//! would change (a preview by field, or every problem at its sheet and cell), then apply it
//! (a form post carrying the same file, read and checked again: the server keeps nothing
//! between the two) as one save on the revision it was made from. The CSO form the same way
//! from its link; the API in `api`.

use askama::Template;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use qpr_domain::text::Lang;
use qpr_store::StoredReport;
use qpr_workflow::editing::Saved;
use qpr_workflow::workbook::{self, Change, Problem};

use super::auth::Viewer;
use super::sections::ConflictView;
use super::{Chrome, actions, field, page_error, private_page, see_other, with_cookie};
use crate::AppState;
use crate::editor;
use crate::error::WebError;
use crate::i18n;
use crate::report_key::ReportKey;
use crate::ui::Ui;

/// The media type of an XLSX file.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The largest file taken (`qpr_workbook::Limits`'s), and the largest request of an upload.
const MAX_FILE: usize = 8 << 20;
pub(crate) const UPLOAD_BODY_LIMIT: usize = MAX_FILE + (1 << 20);
/// The apply form carries the file in base64 (4/3 of its size) with the form's other fields.
pub(crate) const APPLY_BODY_LIMIT: usize = MAX_FILE / 3 * 4 + (1 << 20);

/// A problem as the page lists it.
pub(crate) struct ProblemView {
    pub sheet: String,
    pub cell: String,
    pub message: String,
}

/// A problem in `lang`.
pub(crate) fn problem_message(problem: &Problem, lang: Lang) -> String {
    i18n::text_with(lang, &problem.kind.message_id(), &[("value", problem.value.clone().into())])
}

#[derive(Template)]
#[template(path = "app/workbook.html")]
struct WorkbookPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    heading: String,
    back: String,
    apply: String,
    problems: Vec<ProblemView>,
    changes: Vec<Change>,
    encoded: String,
    conflicts: Vec<ConflictView>,
}

/// A workbook download.
fn xlsx_response(bytes: Vec<u8>, name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    with_cookie(response, None)
}

/// The workbook of the report `key` for whoever asks (the pages and the API).
pub(crate) async fn report_file(
    state: &AppState,
    viewer: &Viewer,
    key: &ReportKey,
    lang: Lang,
) -> Result<Response, WebError> {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    let bytes = workbook::report_workbook(&state.workflow, (&report, &access), editor::words(lang)).await?;
    Ok(xlsx_response(bytes, &format!("qpr-{}-{}-{}.xlsx", report.party_iso3, report.year, lang.tag())))
}

/// `GET /app/reports/{iso3}/{year}/workbook`: the draft as a workbook, in the page's language.
pub(crate) async fn download(State(state): State<AppState>, viewer: Viewer, ui: Ui, key: ReportKey) -> Response {
    report_file(&state, &viewer, &key, ui.language()).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// An uploaded file and the form's token.
#[derive(Default)]
struct UploadForm {
    bytes: Vec<u8>,
    csrf: Option<String>,
}

async fn read_upload(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    lang: Lang,
) -> Result<UploadForm, WebError> {
    let too_large = || WebError::TooLarge(i18n::text_with(lang, "workbook-too-large", &[("limit", "8 MB".into())]));
    let length = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|l| l > UPLOAD_BODY_LIMIT as u64) {
        return Err(too_large());
    }
    let mut multipart = multipart.map_err(|e| {
        tracing::debug!("workbook upload is not a multipart form: {e}");
        WebError::from(qpr_workflow::Invalid::new(
            qpr_workflow::Field::Upload,
            qpr_workflow::Problem::NotMultipart { parts: "file, csrf" },
        ))
    })?;
    let read_error = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            WebError::from(qpr_workflow::Invalid::new(
                qpr_workflow::Field::Upload,
                qpr_workflow::Problem::Unreadable { detail: e.body_text() },
            ))
        }
    };
    let mut form = UploadForm::default();
    while let Some(mut part) = multipart.next_field().await.map_err(read_error)? {
        match part.name() {
            Some("file") if form.bytes.is_empty() => {
                while let Some(chunk) = part.chunk().await.map_err(read_error)? {
                    if form.bytes.len() + chunk.len() > MAX_FILE {
                        return Err(too_large());
                    }
                    form.bytes.extend_from_slice(&chunk);
                }
            }
            Some("csrf") => form.csrf = Some(part.text().await.map_err(read_error)?),
            _ => {}
        }
    }
    Ok(form)
}

fn problem_views(problems: &[Problem], lang: Lang) -> Vec<ProblemView> {
    problems
        .iter()
        .map(|p| ProblemView { sheet: p.sheet.clone(), cell: p.cell.clone(), message: problem_message(p, lang) })
        .collect()
}

fn report_base(report: &StoredReport) -> String {
    format!("/app/reports/{}/{}", report.party_iso3, report.year)
}

/// The preview (or the problems, or the conflicts) of a report's workbook.
#[allow(clippy::too_many_arguments)]
fn report_page(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    report: &StoredReport,
    bytes: &[u8],
    read: Result<Vec<Change>, Vec<Problem>>,
    conflicts: Vec<ConflictView>,
) -> Result<Response, WebError> {
    let base = report_base(report);
    let heading = format!("{} — {} {}", ui.t("workbook-title"), report.party_name, report.year);
    page(state, viewer, ui, (heading, base.clone(), format!("{base}/workbook/apply")), bytes, read, conflicts)
}

fn page(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    (heading, back, apply): (String, String, String),
    bytes: &[u8],
    read: Result<Vec<Change>, Vec<Problem>>,
    conflicts: Vec<ConflictView>,
) -> Result<Response, WebError> {
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let lang = ui.language();
    let refused = read.is_err() || !conflicts.is_empty();
    let conflict = !conflicts.is_empty();
    let (problems, changes) = match read {
        Ok(changes) => (Vec::new(), changes),
        Err(problems) => (problem_views(&problems, lang), Vec::new()),
    };
    let encoded = if refused { String::new() } else { base64::engine::general_purpose::STANDARD.encode(bytes) };
    let page = WorkbookPage {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        heading,
        back: ui.href(back),
        apply: ui.href(apply),
        problems,
        changes,
        encoded,
        conflicts,
    };
    let mut response = private_page(&page, cookie);
    if conflict {
        *response.status_mut() = StatusCode::CONFLICT;
    } else if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `POST /app/reports/{iso3}/{year}/workbook` (multipart: `file`, `csrf`): what the workbook
/// would change, with the form that applies it; nothing is saved.
pub(crate) async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let (report, access) = actions::report_for(&state, signed_in, &key).await?;
        // Before reading the body: only who may change the draft makes the server read it.
        if !report.state.is_editable() {
            return Err(WebError::Refused(qpr_workflow::WorkflowError::NotEditable(report.state)));
        }
        let form = read_upload(&headers, multipart, ui.language()).await?;
        viewer.check_write(form.csrf.as_deref())?;
        let read =
            workbook::read_report_upload(&state.workflow, (&report, &access), &form.bytes, i18n::editor_text).await?;
        report_page(&state, &viewer, &ui, &report, &form.bytes, read.map(|upload| upload.changes), Vec::new())
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// The file of an apply form.
fn decoded(form: &[(String, String)]) -> Result<Vec<u8>, WebError> {
    let text = field(form, "workbook").unwrap_or_default();
    base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|e| {
        tracing::debug!("workbook of an apply form is not base64: {e}");
        qpr_workflow::Invalid::new(qpr_workflow::Field::Upload, qpr_workflow::Problem::NotThePreviewedFile).into()
    })
}

/// `POST /app/reports/{iso3}/{year}/workbook/apply` (`csrf`, `workbook`: the file, from the
/// preview): read and checked again, then saved as one save on its revision; the overview
/// says whether it was merged, a conflict shows both values of each field.
pub(crate) async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let (signed_in, report, access) = super::posted_on_report(&state, &viewer, &form, &key).await?;
        let bytes = decoded(&form)?;
        let upload =
            match workbook::read_report_upload(&state.workflow, (&report, &access), &bytes, i18n::editor_text).await? {
                Ok(upload) => upload,
                Err(problems) => return report_page(&state, &viewer, &ui, &report, &bytes, Err(problems), Vec::new()),
            };
        match workbook::save_report_upload(&state.workflow, signed_in, (&report, &access), &upload).await? {
            Saved::Saved { .. } => Ok(see_other(&ui.href(format!("{}?workbook=saved", report_base(&report))))),
            Saved::Merged { .. } => Ok(see_other(&ui.href(format!("{}?workbook=merged", report_base(&report))))),
            Saved::Conflict(conflict) => {
                let framework = actions::framework_of(&state, &report)?;
                let conflicts = super::sections::conflict_views(framework, &ui, &conflict);
                report_page(&state, &viewer, &ui, &report, &bytes, Ok(upload.changes), conflicts)
            }
        }
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// The CSO form's pages: no script, the link's secret kept on the site (as `cso::form_page`).
fn cso_headers(mut response: Response) -> Response {
    response.headers_mut().insert("referrer-policy", HeaderValue::from_static("same-origin"));
    response.headers_mut().insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    response
}

/// `GET /cso/{token}/workbook`: the CSO's form as a workbook.
pub(crate) async fn cso_download(State(state): State<AppState>, ui: Ui, Path(token): Path<String>) -> Response {
    let result = cso_file(&state, &token, ui.language()).await;
    cso_headers(result.unwrap_or_else(|error| page_error(error, &ui)))
}

/// The workbook of the CSO form of the invitation `token` (the pages and the API).
pub(crate) async fn cso_file(state: &AppState, token: &str, lang: Lang) -> Result<Response, WebError> {
    let (invitation, report) = qpr_workflow::cso::open_form(&state.workflow, token).await?;
    let bytes = workbook::cso_workbook(&state.workflow, (&invitation, &report), editor::words(lang))?;
    Ok(xlsx_response(bytes, &format!("qpr-cso-{}-{}-{}.xlsx", report.party_iso3, report.year, lang.tag())))
}

fn cso_page(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    (token, report): (&str, &StoredReport),
    bytes: &[u8],
    read: Result<Vec<Change>, Vec<Problem>>,
) -> Result<Response, WebError> {
    let heading = format!("{} — {} {}", ui.t("workbook-title"), report.party_name, report.year);
    let back = format!("/cso/{token}");
    page(state, viewer, ui, (heading, back.clone(), format!("{back}/workbook/apply")), bytes, read, Vec::new())
}

/// `POST /cso/{token}/workbook` (multipart: `file`, `csrf`): the preview of a CSO's workbook.
pub(crate) async fn cso_upload(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(token): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let (invitation, report) = qpr_workflow::cso::open_form(&state.workflow, &token).await?;
        qpr_workflow::cso::may_change_form(&invitation, &report)?;
        let form = read_upload(&headers, multipart, ui.language()).await?;
        viewer.check_write(form.csrf.as_deref())?;
        let read = workbook::read_cso_upload(&state.workflow, (&invitation, &report), &form.bytes, i18n::editor_text)?;
        cso_page(&state, &viewer, &ui, (&token, &report), &form.bytes, read.map(|(_, changes)| changes))
    }
    .await;
    cso_headers(result.unwrap_or_else(|error| page_error(error, &ui)))
}

/// `POST /cso/{token}/workbook/apply` (`csrf`, `workbook`): keeps the CSO's form as the
/// workbook fills it (not submitted), then shows the form.
pub(crate) async fn cso_apply(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(token): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        viewer.check_write(field(&form, "csrf"))?;
        let (invitation, report) = qpr_workflow::cso::open_form(&state.workflow, &token).await?;
        let bytes = decoded(&form)?;
        match workbook::read_cso_upload(&state.workflow, (&invitation, &report), &bytes, i18n::editor_text)? {
            Ok((submission, _)) => {
                qpr_workflow::cso::save_form(&state.workflow, (&invitation, &report), &submission.to_json(), false)
                    .await?;
                Ok(see_other(&ui.href(format!("/cso/{token}?saved=1"))))
            }
            Err(problems) => cso_page(&state, &viewer, &ui, (&token, &report), &bytes, Err(problems)),
        }
    }
    .await;
    cso_headers(result.unwrap_or_else(|error| page_error(error, &ui)))
}
