//! The JSON API of the workflow (`/api/v1/…`), so that everything the pages do can be driven
//! without a browser. Authentication: `Authorization: Bearer qpr_…` (tokens from the account
//! page or `POST /api/v1/tokens`), or the browser session with the page's CSRF token in the
//! `X-CSRF-Token` header. Errors: `{"error": {"code", "message"}}` with the HTTP status.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use qpr_domain::ReportDocument;
use qpr_domain::text::Lang;
use qpr_domain::validate;
use qpr_store::{CommentId, InvitationId, RevisionId, StoreError, UserId};
use serde::Serialize;
use serde_json::Value;

use super::api_types::{
    AnnexList, CommentList, CommentReply, CommentRequest, CommentThread, Compared, Created, CsoDecided,
    CsoDecisionRequest, CsoForm, CsoFormRequest, CsoInvitationRequest, CsoInvitations, CsoInvited, CsoSaved,
    CsoWorkbookPreview, CycleLine, CycleList, CycleOpened, CycleStatus, Decided, DecisionRequest, Draft, ErrorBody,
    ErrorDetail, Errors, FieldProblem, FocalPointNamed, FormInvalid, Invitee, Me, MemberInvited, MissingAnswer,
    OpenCycle, Prefilled, ReportPath, RevisionPage, Role, SaveRefused, SaveRequest, SaveStatus, Saved, SubmitRequest,
    Submitted, TokenCreated, TokenRequest, WorkbookChange, WorkbookPreview, WorkbookRefused, WorkbookUnprocessable,
};
use super::auth::{SignedIn, Viewer};
use super::{actions, annexes, cso, history};
use crate::AppState;
use crate::error::{ApiError, WebError};
use crate::i18n;
use crate::report_key::{AnnexSegment, CsoMeasureSegment, InvitationSegment, MemberSegment, ReportKey};
use crate::ui::Ui;

/// The API routes of the workflow, and its description.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/docs", get(docs))
        .route("/api/v1/me", get(me))
        .route("/api/v1/tokens", post(create_token))
        .route("/api/v1/cycles", get(list_cycles).post(open_cycle))
        .route("/api/v1/cycles/{year}/status", get(cycle_status))
        .route("/api/v1/cycles/{year}/focal-points", post(focal_point))
        .route("/api/v1/drafts/{iso3}/{year}", get(draft).put(save_draft))
        .route("/api/v1/drafts/{iso3}/{year}/members", post(invite_member))
        .route("/api/v1/drafts/{iso3}/{year}/revisions", get(revisions))
        .route("/api/v1/drafts/{iso3}/{year}/revisions/compare", get(compare_revisions))
        .route("/api/v1/drafts/{iso3}/{year}/members/{user}", delete(remove_member))
        .route(
            "/api/v1/drafts/{iso3}/{year}/annexes",
            get(list_annexes).post(upload_annex).layer(DefaultBodyLimit::max(annexes::UPLOAD_BODY_LIMIT)),
        )
        .route("/api/v1/drafts/{iso3}/{year}/annexes/{sha256}", get(download_annex).delete(remove_annex))
        .route("/api/v1/drafts/{iso3}/{year}/prefill", post(prefill))
        .route("/api/v1/drafts/{iso3}/{year}/workbook", get(draft_workbook))
        .route(
            "/api/v1/drafts/{iso3}/{year}/workbook/preview",
            post(preview_workbook).layer(DefaultBodyLimit::max(super::workbook::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/api/v1/drafts/{iso3}/{year}/workbook/apply",
            post(apply_workbook).layer(DefaultBodyLimit::max(super::workbook::UPLOAD_BODY_LIMIT)),
        )
        .route("/api/v1/drafts/{iso3}/{year}/cso-invitations", get(cso_invitations).post(invite_cso))
        .route("/api/v1/drafts/{iso3}/{year}/cso-invitations/{invitation}", delete(revoke_cso_invitation))
        .route("/api/v1/drafts/{iso3}/{year}/cso-invitations/{invitation}/measures/{measure}", post(decide_cso_measure))
        .route("/api/v1/cso/{token}", get(cso_form).put(save_cso_form))
        .route("/api/v1/cso/{token}/workbook", get(cso_workbook))
        .route(
            "/api/v1/cso/{token}/workbook/preview",
            post(preview_cso_workbook).layer(DefaultBodyLimit::max(super::workbook::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/api/v1/cso/{token}/workbook/apply",
            post(apply_cso_workbook).layer(DefaultBodyLimit::max(super::workbook::UPLOAD_BODY_LIMIT)),
        )
        .route("/api/v1/drafts/{iso3}/{year}/submit", post(submit))
        .route("/api/v1/drafts/{iso3}/{year}/decision", post(decision))
        .route("/api/v1/drafts/{iso3}/{year}/comments", get(list_comments).post(comment))
}

type ApiResult = Result<Response, ApiError>;

/// The documentation page of the API, generated from its description.
#[derive(askama::Template)]
#[template(path = "api_docs.html")]
struct DocsPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    groups: Vec<super::api_types::OperationGroup>,
}

/// `GET /api/v1/docs`: the API for people, from the same description as `openapi.json`.
async fn docs(ui: Ui) -> Response {
    let page = async {
        let description = serde_json::to_value(<super::api_types::ApiDoc as utoipa::OpenApi>::openapi())
            .map_err(|e| WebError::Internal(format!("OpenAPI description: {e}")))?;
        let groups = super::api_types::operation_groups(&description);
        askama::Template::render(&DocsPage { lang: ui.lang(), ui: &ui, groups })
            .map_err(|e| WebError::Internal(format!("template: {e}")))
    };
    match page.await {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(error) => error.page(&ui),
    }
}

/// A typed JSON answer with its status.
fn answer(status: StatusCode, body: impl Serialize) -> ApiResult {
    Ok((status, Json(body)).into_response())
}

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of this API, generated from the
/// request and response types (people read it at `/api/v1/docs`).
async fn openapi() -> ApiResult {
    let json = super::api_types::openapi_json().map_err(|e| WebError::Internal(format!("OpenAPI description: {e}")))?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// The signed-in user of a write, after the CSRF check for browser sessions.
fn writer<'a>(viewer: &'a Viewer, headers: &HeaderMap) -> Result<&'a SignedIn, ApiError> {
    let signed_in = viewer.require()?;
    viewer.check_write(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))?;
    Ok(signed_in)
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ApiError(WebError::Store(error))
    }
}

impl From<qpr_workflow::WorkflowError> for ApiError {
    fn from(error: qpr_workflow::WorkflowError) -> ApiError {
        ApiError(error.into())
    }
}

impl From<WebError> for ApiError {
    fn from(error: WebError) -> ApiError {
        ApiError(error)
    }
}

/// The writer of an API request about a report: a write as [`writer`] checks it, the report
/// loaded with what they may do with it (404 when it is not theirs).
async fn writer_on_report<'v>(
    state: &AppState,
    viewer: &'v Viewer,
    headers: &HeaderMap,
    key: &ReportKey,
) -> Result<(&'v SignedIn, qpr_store::StoredReport, super::access::ReportAccess), ApiError> {
    let signed_in = writer(viewer, headers)?;
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    Ok((signed_in, report, access))
}

/// A JSON body, or a 400 that says what is wrong with it.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError(
            qpr_workflow::Invalid::new(
                qpr_workflow::Field::RequestBody,
                qpr_workflow::Problem::Unreadable { detail: e.to_string() },
            )
            .into(),
        )
    })
}

/// Who the token or session belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), Errors))]
pub(crate) async fn me(viewer: Viewer) -> ApiResult {
    let signed_in = viewer.require()?;
    let roles = signed_in
        .memberships
        .iter()
        .map(|m| Role { party: m.party_iso3.clone(), role: m.role.as_str().to_owned(), sections: m.sections.clone() })
        .collect();
    let user = &signed_in.user;
    answer(
        StatusCode::OK,
        Me {
            id: user.id.get(),
            email: user.email.clone(),
            name: user.display_name.clone(),
            secretariat: user.is_secretariat,
            roles,
        },
    )
}

/// Makes an API token for the signed-in user (shown once).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = TokenRequest, responses((status = 201, body = TokenCreated), Errors))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: TokenRequest = parse_body(&body)?;
    let token = super::admin::create_api_token(&state, signed_in.user.id, &request.label).await?;
    answer(StatusCode::CREATED, TokenCreated { token, label: request.label.trim().to_owned() })
}

/// The reporting cycles.
#[utoipa::path(get, path = "/api/v1/cycles", tag = "cycles", responses((status = 200, body = CycleList), Errors))]
pub(crate) async fn list_cycles(State(state): State<AppState>, viewer: Viewer) -> ApiResult {
    viewer.require()?;
    let cycles = state
        .store
        .cycles()
        .await?
        .into_iter()
        .map(|c| CycleLine { year: c.year, framework: c.framework, deadline: c.deadline, open: c.open })
        .collect();
    answer(StatusCode::OK, CycleList { cycles })
}

/// Opens a cycle: a draft for each Party named (Secretariat).
#[utoipa::path(post, path = "/api/v1/cycles", tag = "cycles", request_body = OpenCycle, responses((status = 201, body = CycleOpened), Errors))]
pub(crate) async fn open_cycle(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: OpenCycle = parse_body(&body)?;
    let year = actions::parse_year(&request.year.to_string())?;
    let deadline = actions::parse_date(&request.deadline, qpr_workflow::Field::Deadline)?;
    actions::open_cycle(&state, signed_in, year, &request.framework, &deadline, &request.parties).await?;
    let cycle = actions::cycle(&state, year).await?;
    let reports = state.store.cycle_reports(cycle.id).await?.len();
    answer(StatusCode::CREATED, CycleOpened { year, framework: cycle.framework, deadline: cycle.deadline, reports })
}

/// The status of every report of a cycle (Secretariat).
#[utoipa::path(get, path = "/api/v1/cycles/{year}/status", tag = "cycles", params(("year" = String, Path)), responses((status = 200, body = CycleStatus), Errors))]
pub(crate) async fn cycle_status(State(state): State<AppState>, viewer: Viewer, Path(year): Path<String>) -> ApiResult {
    actions::require_secretariat(viewer.require()?)?;
    let year = actions::parse_year(&year)?;
    let cycle = actions::cycle(&state, year).await?;
    let parties = actions::status_board(&state, &cycle, Lang::En).await?;
    answer(StatusCode::OK, CycleStatus { year, deadline: cycle.deadline, parties })
}

/// Names a Party's focal point for a cycle (Secretariat).
#[utoipa::path(post, path = "/api/v1/cycles/{year}/focal-points", tag = "cycles", params(("year" = String, Path)), request_body = Invitee, responses((status = 201, body = FocalPointNamed), Errors))]
pub(crate) async fn focal_point(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(year): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: Invitee = parse_body(&body)?;
    let year = actions::parse_year(&year)?;
    let user =
        actions::invite_focal_point(&state, signed_in, year, &request.party, &request.email, &request.name, Lang::En)
            .await?;
    answer(
        StatusCode::CREATED,
        FocalPointNamed { user: user.id.get(), email: user.email, party: request.party.trim().to_uppercase() },
    )
}

/// The draft as it is now: state, revision, completeness, findings and the document.
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}", tag = "drafts", params(ReportPath), responses((status = 200, body = Draft), Errors))]
pub(crate) async fn draft(State(state): State<AppState>, viewer: Viewer, key: ReportKey) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(&state, signed_in, &key).await?;
    if matches!(access, super::access::ReportAccess::Contributor { sections: Some(_) }) {
        // The whole document would show sections the contributor was not given.
        return Err(WebError::Forbidden.into());
    }
    let revision = report.current_revision.ok_or_else(|| WebError::Internal("report without revision".into()))?;
    let (_, document) = state.store.revision(revision).await?;
    let framework = actions::framework_of(&state, &report)?;
    let completeness = validate::overall(&validate::completeness(framework, &document)).percent();
    let findings = validate::validate(framework, &document);
    let party = report.party_iso3;
    answer(
        StatusCode::OK,
        Draft {
            party,
            year: report.year,
            state: report.state.as_str().to_owned(),
            revision: revision.get(),
            completeness,
            findings,
            document,
        },
    )
}

/// The JSON answer to a save: the new revision, or the conflict with the values of each side
/// (labels in `ui`'s language).
pub(crate) fn save_answer(
    framework: &qpr_domain::Framework,
    ui: &Ui,
    saved: qpr_workflow::editing::Saved,
) -> ApiResult {
    match Saved::of(saved) {
        Ok(saved) => answer(StatusCode::OK, saved),
        Err(conflict) => answer(StatusCode::CONFLICT, super::sections::conflict_answer(framework, ui, conflict, false)),
    }
}

/// Saves the whole document on `base_revision`: saved, merged with saves made meanwhile, or a
/// conflict with the three values of each field changed on both sides (nothing saved).
#[utoipa::path(put, path = "/api/v1/drafts/{iso3}/{year}", tag = "drafts", params(ReportPath), request_body = SaveRequest,
    responses((status = 200, body = Saved), (status = 409, body = SaveRefused, description = "An edit conflict, or a report that cannot be saved now"), Errors))]
pub(crate) async fn save_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    headers: HeaderMap,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    // Before reading the body: who may not save learns nothing about it.
    qpr_workflow::editing::may_save_document(&access)?;
    let request: SaveRequest = parse_body(&body)?;
    let document: ReportDocument = serde_json::from_value(request.document).map_err(|e| {
        WebError::from(qpr_workflow::Invalid::new(
            qpr_workflow::Field::Document,
            qpr_workflow::Problem::Unreadable { detail: e.to_string() },
        ))
    })?;
    let on = (&report, &access);
    let saved = qpr_workflow::editing::save_document(
        &state.workflow,
        signed_in,
        on,
        (RevisionId::new(request.base_revision), &document),
    )
    .await?;
    save_answer(actions::framework_of(&state, &report)?, &ui, saved)
}

/// Invites a contributor (focal point).
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/members", tag = "drafts", params(ReportPath), request_body = Invitee, responses((status = 201, body = MemberInvited), Errors))]
pub(crate) async fn invite_member(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let request: Invitee = parse_body(&body)?;
    let user = actions::invite_contributor(
        &state,
        signed_in,
        &report,
        &access,
        (&request.email, &request.name),
        request.sections,
        Lang::En,
    )
    .await?;
    answer(StatusCode::CREATED, MemberInvited { user: user.id.get(), email: user.email })
}

/// Takes a contributor off the report (focal point).
#[utoipa::path(delete, path = "/api/v1/drafts/{iso3}/{year}/members/{user}", tag = "drafts", params(ReportPath, ("user" = String, Path)), responses((status = 204), Errors))]
pub(crate) async fn remove_member(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    Path(MemberSegment { user }): Path<MemberSegment>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let user: UserId = user.parse().map_err(|_| WebError::NotFound(crate::Missing::Page))?;
    actions::remove_member(&state, signed_in, &report, &access, user).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Signs and submits the report (focal point; the password is asked again).
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/submit", tag = "review", params(ReportPath), request_body = SubmitRequest, responses((status = 200, body = Submitted), Errors))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    client: super::auth::ClientAddress,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: SubmitRequest = parse_body(&body)?;
    let (report, _) = actions::report_for(&state, signed_in, &key).await?;
    let official = super::review::official_typed(actions::framework_of(&state, &report)?, |id| {
        request.official.get(id).map(String::as_str)
    });
    match super::review::submit_report(&state, signed_in, &key, &official, &request.password, client.0).await {
        Ok(report) => {
            let signature = match report.submitted_revision {
                Some(revision) => state.store.signature(revision).await?.map(|s| s.envelope),
                None => None,
            };
            let envelope: Value = signature
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| WebError::Internal(e.to_string()))?
                .unwrap_or(Value::Null);
            answer(
                StatusCode::OK,
                Submitted {
                    state: report.state.as_str().to_owned(),
                    revision: report.submitted_revision.map(RevisionId::get),
                    signature: envelope,
                },
            )
        }
        Err(super::review::Refusal::Fix(qpr_workflow::submission::SubmitRefusal::RequiredMissing(missing))) => {
            let framework = actions::framework_of(&state, &report)?;
            let missing: Vec<MissingAnswer> = missing
                .into_iter()
                .map(|m| MissingAnswer {
                    label: framework
                        .question(&m.question)
                        .map(|q| q.label.en.trim_end().to_owned())
                        .unwrap_or_default(),
                    section: m.section,
                    question: m.question,
                    path: m.path,
                })
                .collect();
            let message = format!(
                "{} required question(s) unanswered (listed in `missing`); nothing was submitted",
                missing.len()
            );
            let error = WebError::Invalid(message.clone());
            answer(error.status(), ErrorBody { error: ErrorDetail { code: error.code().to_owned(), message, missing } })
        }
        Err(super::review::Refusal::Fix(refusal)) => {
            use qpr_workflow::submission::SubmitRefusal;
            Err(WebError::Invalid(match refusal {
                SubmitRefusal::WrongPassword => "password: not right; nothing was submitted".to_owned(),
                SubmitRefusal::ErrorsLeft => {
                    "the report has errors; nothing was submitted (GET the draft for its findings)".to_owned()
                }
                SubmitRefusal::Merged => {
                    "the report was saved by someone else meanwhile; review it and submit again".to_owned()
                }
                SubmitRefusal::OfficialMissing(field) => format!("official: `{field}` is missing"),
                SubmitRefusal::RequiredMissing(missing) => {
                    format!("{} required question(s) unanswered; nothing was submitted", missing.len())
                }
            })
            .into())
        }
        Err(super::review::Refusal::Error(error)) => Err(error.into()),
    }
}

/// A decision on the report: recall, request changes, accept, publish, withdraw.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/decision", tag = "review", params(ReportPath), request_body = DecisionRequest, responses((status = 200, body = Decided), Errors))]
pub(crate) async fn decision(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: DecisionRequest = parse_body(&body)?;
    let report = super::review::decide_with_message(
        &state,
        signed_in,
        &key,
        // A call of the API is deliberate: the confirmation step is the page's.
        (request.decision, qpr_workflow::decisions::Confirmation::Confirmed),
        &request.message,
    )
    .await?;
    let state = report.state.as_str().to_owned();
    answer(
        StatusCode::OK,
        Decided {
            state,
            submitted_revision: report.submitted_revision.map(RevisionId::get),
            published_revision: report.published_revision.map(RevisionId::get),
        },
    )
}

/// A comment on a field, or a reply to a thread.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/comments", tag = "review", params(ReportPath), request_body = CommentRequest, responses((status = 201, body = Created), Errors))]
pub(crate) async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: CommentRequest = parse_body(&body)?;
    let parent = request.parent.map(CommentId::new);
    let id = super::review::add_comment(&state, signed_in, &key, &request.field, parent, &request.body).await?;
    answer(StatusCode::CREATED, Created { id: id.get() })
}

/// The comment threads of the report.
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}/comments", tag = "review", params(ReportPath), responses((status = 200, body = CommentList), Errors))]
pub(crate) async fn list_comments(State(state): State<AppState>, viewer: Viewer, key: ReportKey) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(&state, signed_in, &key).await?;
    if !qpr_workflow::comments::may_comment(&access) {
        return Err(WebError::Forbidden.into());
    }
    let threads = super::review::threads(&state, &report, None).await?;
    let comments = threads
        .iter()
        .map(|t| CommentThread {
            id: t.comment.id.get(),
            field: t.comment.field_path.clone(),
            revision: t.comment.revision_id.get(),
            author: t.author.clone(),
            body: t.comment.body.clone(),
            created_at: t.comment.created_at.to_string(),
            resolved: t.comment.resolved_at.is_some(),
            replies: t
                .replies
                .iter()
                .map(|(r, author)| CommentReply {
                    id: r.id.get(),
                    author: author.clone(),
                    body: r.body.clone(),
                    created_at: r.created_at.to_string(),
                })
                .collect(),
        })
        .collect();
    answer(StatusCode::OK, CommentList { comments })
}

/// `GET /api/v1/drafts/{iso3}/{year}/revisions[?page=N]`: the revisions, newest first, 100 a page.
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}/revisions", tag = "history", params(ReportPath, ("page" = Option<String>, Query)), responses((status = 200, body = RevisionPage), Errors))]
pub(crate) async fn revisions(
    State(state): State<AppState>,
    viewer: Viewer,
    key: ReportKey,
    Query(query): Query<Vec<(String, String)>>,
) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, _) = actions::report_for(&state, signed_in, &key).await?;
    let (lines, page, pages) = history::history(&state, &report, history::page_number(&query)?).await?;
    answer(
        StatusCode::OK,
        RevisionPage {
            party: report.party_iso3,
            year: report.year,
            page,
            pages,
            per_page: history::PER_PAGE,
            revisions: lines,
        },
    )
}

/// `GET /api/v1/drafts/{iso3}/{year}/revisions/compare?from=A&to=B[&lang=fr]`: the changes by
/// section, with the form's labels and the values as stored.
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}/revisions/compare", tag = "history",
    params(ReportPath, ("from" = String, Query), ("to" = String, Query), ("lang" = Option<String>, Query)), responses((status = 200, body = Compared), Errors))]
pub(crate) async fn compare_revisions(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Query(query): Query<Vec<(String, String)>>,
) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(&state, signed_in, &key).await?;
    let comparison = history::compare(&state, &report, &access, &query, ui.language()).await?;
    answer(StatusCode::OK, Compared { from: comparison.from, to: comparison.to, sections: comparison.sections })
}

/// The annexes of the report.
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}/annexes", tag = "annexes", params(ReportPath), responses((status = 200, body = AnnexList), Errors))]
pub(crate) async fn list_annexes(State(state): State<AppState>, viewer: Viewer, key: ReportKey) -> ApiResult {
    let (report, access) = actions::report_for(&state, viewer.require()?, &key).await?;
    let annexes = annexes::list(&state, &report, &access).await?;
    answer(StatusCode::OK, AnnexList { annexes })
}

/// `multipart/form-data` with the parts `file` (a PDF), `title` and `description`.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/annexes", tag = "annexes", params(ReportPath),
    request_body(content = super::api_types::AnnexUpload, content_type = "multipart/form-data"), responses((status = 201, body = annexes::AnnexView), Errors))]
pub(crate) async fn upload_annex(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    // Before reading the body: only who may upload makes the server read a large file.
    annexes::may_change(&state, &report, &access, Lang::En)?;
    let upload = annexes::read_upload(&headers, multipart, Lang::En).await?;
    let annex = annexes::add(&state, signed_in, &report, &access, &upload, Lang::En).await?;
    let added_by = annexes::AddedBy { user: Some(signed_in.user.id.get()), name: signed_in.user.display_name.clone() };
    Ok((StatusCode::CREATED, Json(annexes::AnnexView::new(annex, added_by))).into_response())
}

/// An annex's file.
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}/annexes/{sha256}", tag = "annexes", params(ReportPath, ("sha256" = String, Path)),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), Errors))]
pub(crate) async fn download_annex(
    State(state): State<AppState>,
    viewer: Viewer,
    key: ReportKey,
    Path(AnnexSegment { sha256 }): Path<AnnexSegment>,
) -> ApiResult {
    Ok(annexes::file(&state, viewer.require()?, &key, &sha256).await?)
}

/// The draft as a workbook (XLSX) to fill offline, labelled in English (`?lang=fr`: French).
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}/workbook", tag = "workbook", params(ReportPath),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Errors))]
pub(crate) async fn draft_workbook(State(state): State<AppState>, viewer: Viewer, ui: Ui, key: ReportKey) -> ApiResult {
    Ok(super::workbook::report_file(&state, &viewer, &key, ui.language()).await?)
}

/// A filled workbook (XLSX or ODS, the file as the body) read against the revision it was made
/// from: what saving it would change, or every problem at its sheet and cell. Nothing is saved.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/workbook/preview", tag = "workbook", params(ReportPath),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = WorkbookPreview), Errors, (status = 422, body = WorkbookUnprocessable, description = "The workbook has problems (each at its sheet and cell), or a value of the request is not acceptable; nothing is saved")))]
pub(crate) async fn preview_workbook(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let (_, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let read =
        qpr_workflow::workbook::read_report_upload(&state.workflow, (&report, &access), &body, i18n::editor_text)
            .await
            .map_err(WebError::from)?;
    match read {
        Ok(upload) => answer(
            StatusCode::OK,
            WorkbookPreview {
                base_revision: upload.base.get(),
                changes: upload.changes.into_iter().map(WorkbookChange::of).collect(),
            },
        ),
        Err(problems) => answer(StatusCode::UNPROCESSABLE_ENTITY, WorkbookRefused::new(&problems)),
    }
}

/// Saves a filled workbook (the file as the body) as one save on the revision it was made
/// from: saved, merged with saves made since, or a conflict with the values of each field
/// changed on both sides (nothing saved); a workbook with problems saves nothing either.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/workbook/apply", tag = "workbook", params(ReportPath),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = Saved), (status = 409, body = SaveRefused, description = "An edit conflict, or a report that cannot be saved now"), Errors, (status = 422, body = WorkbookUnprocessable, description = "The workbook has problems (each at its sheet and cell), or a value of the request is not acceptable; nothing is saved")))]
pub(crate) async fn apply_workbook(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    headers: HeaderMap,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let on = (&report, &access);
    let read = qpr_workflow::workbook::read_report_upload(&state.workflow, on, &body, i18n::editor_text)
        .await
        .map_err(WebError::from)?;
    let upload = match read {
        Ok(upload) => upload,
        Err(problems) => return answer(StatusCode::UNPROCESSABLE_ENTITY, WorkbookRefused::new(&problems)),
    };
    let saved = qpr_workflow::workbook::save_report_upload(&state.workflow, signed_in, on, &upload)
        .await
        .map_err(WebError::from)?;
    save_answer(actions::framework_of(&state, &report)?, &ui, saved)
}

/// The CSO form of an invitation as a workbook (XLSX) to fill offline, labelled in English
/// (`?lang=fr`: French). The invitation's link is the credential, as for its form.
#[utoipa::path(get, path = "/api/v1/cso/{token}/workbook", tag = "cso", params(("token" = String, Path)), security(()),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Errors))]
pub(crate) async fn cso_workbook(State(state): State<AppState>, ui: Ui, Path(token): Path<String>) -> ApiResult {
    Ok(super::workbook::cso_file(&state, &token, ui.language()).await?)
}

/// A filled workbook of a CSO form (XLSX or ODS, the file as the body) read against the form
/// as it is now: what saving it would change, or every problem at its sheet and cell. Nothing
/// is saved.
#[utoipa::path(post, path = "/api/v1/cso/{token}/workbook/preview", tag = "cso", params(("token" = String, Path)), security(()),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = CsoWorkbookPreview), Errors, (status = 422, body = WorkbookUnprocessable, description = "The workbook has problems (each at its sheet and cell); nothing is saved")))]
pub(crate) async fn preview_cso_workbook(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult {
    let (_, read) = read_cso_workbook(&state, &viewer, &token, &body).await?;
    match read {
        Ok((_, changes)) => answer(
            StatusCode::OK,
            CsoWorkbookPreview { changes: changes.into_iter().map(WorkbookChange::of).collect() },
        ),
        Err(problems) => answer(StatusCode::UNPROCESSABLE_ENTITY, WorkbookRefused::new(&problems)),
    }
}

/// What a CSO's uploaded workbook says, read against its form: the common part of the preview
/// and the apply (refused from another site, the invitation opened, the file read).
async fn read_cso_workbook(
    state: &AppState,
    viewer: &Viewer,
    token: &str,
    body: &[u8],
) -> Result<CsoWorkbookRead, ApiError> {
    if viewer.cross_site {
        return Err(WebError::Forbidden.into());
    }
    let (invitation, report) = qpr_workflow::cso::open_form(&state.workflow, token).await.map_err(WebError::from)?;
    let read =
        qpr_workflow::workbook::read_cso_upload(&state.workflow, (&invitation, &report), body, i18n::editor_text)
            .map_err(WebError::from)?;
    Ok(((invitation, report), read))
}

/// The invitation and its report, and the workbook read or its problems.
type CsoWorkbookRead = (
    (qpr_store::Invitation, qpr_store::StoredReport),
    Result<qpr_workflow::workbook::CsoUpload, Vec<qpr_workflow::workbook::Problem>>,
);

/// Keeps a CSO's form as a filled workbook has it (saved, not submitted: submitting stays a
/// step of its own, `PUT /api/v1/cso/{token}` with `submit`); a workbook with problems saves
/// nothing.
#[utoipa::path(post, path = "/api/v1/cso/{token}/workbook/apply", tag = "cso", params(("token" = String, Path)), security(()),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = CsoSaved), Errors, (status = 422, body = WorkbookUnprocessable, description = "The workbook has problems (each at its sheet and cell); nothing is saved")))]
pub(crate) async fn apply_cso_workbook(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult {
    let ((invitation, report), read) = read_cso_workbook(&state, &viewer, &token, &body).await?;
    let on = (&invitation, &report);
    let submission = match read {
        Ok((submission, _)) => submission,
        Err(problems) => return answer(StatusCode::UNPROCESSABLE_ENTITY, WorkbookRefused::new(&problems)),
    };
    let status = qpr_workflow::cso::save_form(&state.workflow, on, &submission.to_json(), false)
        .await
        .map_err(WebError::from)?;
    answer(StatusCode::OK, CsoSaved { status, submission })
}

/// Removes an annex.
#[utoipa::path(delete, path = "/api/v1/drafts/{iso3}/{year}/annexes/{sha256}", tag = "annexes", params(ReportPath, ("sha256" = String, Path)), responses((status = 204), Errors))]
pub(crate) async fn remove_annex(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    Path(AnnexSegment { sha256 }): Path<AnnexSegment>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    annexes::remove(&state, signed_in, &report, &access, &sha256, Lang::En).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Starts the draft from the Party's previous report.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/prefill", tag = "drafts", params(ReportPath), responses((status = 200, body = Prefilled), Errors))]
pub(crate) async fn prefill(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let (summary, revision) = qpr_workflow::prefill::prefill(&state.workflow, signed_in, (&report, &access)).await?;
    answer(StatusCode::OK, Prefilled { status: SaveStatus::Saved, revision: revision.get(), prefill: summary })
}

/// The CSOs invited, their status and submitted measures.
#[utoipa::path(get, path = "/api/v1/drafts/{iso3}/{year}/cso-invitations", tag = "cso", params(ReportPath), responses((status = 200, body = CsoInvitations), Errors))]
pub(crate) async fn cso_invitations(State(state): State<AppState>, viewer: Viewer, key: ReportKey) -> ApiResult {
    let (report, access) = actions::report_for(&state, viewer.require()?, &key).await?;
    let invitations = cso::invitations(&state, &report, &access).await?;
    let (included, total) = cso::share(&invitations);
    answer(StatusCode::OK, CsoInvitations { invitations, included, submitted_measures: total })
}

/// Invites a CSO: a link to its form, e-mailed when an address is given.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/cso-invitations", tag = "cso", params(ReportPath), request_body = CsoInvitationRequest, responses((status = 201, body = CsoInvited), Errors))]
pub(crate) async fn invite_cso(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let request: CsoInvitationRequest = parse_body(&body)?;
    let link =
        cso::invite(&state, signed_in, &report, &access, &request.organization, request.email.as_deref(), Lang::En)
            .await?;
    answer(StatusCode::CREATED, CsoInvited { link })
}

/// Includes a CSO's submitted measure in the report, or not.
#[utoipa::path(post, path = "/api/v1/drafts/{iso3}/{year}/cso-invitations/{invitation}/measures/{measure}", tag = "cso",
    params(ReportPath, ("invitation" = String, Path), ("measure" = String, Path)), request_body = CsoDecisionRequest, responses((status = 200, body = CsoDecided), Errors))]
pub(crate) async fn decide_cso_measure(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    Path(CsoMeasureSegment { invitation, measure }): Path<CsoMeasureSegment>,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let request: CsoDecisionRequest = parse_body(&body)?;
    let invitation: InvitationId = invitation.parse().map_err(|_| WebError::NotFound(crate::Missing::Page))?;
    let revision = cso::decide(&state, signed_in, &report, &access, (invitation, &measure), request.included).await?;
    answer(StatusCode::OK, CsoDecided { revision: revision.get(), included: request.included })
}

/// Ends a CSO's link: `204`; `404` for an invitation of another report or one already closed.
#[utoipa::path(delete, path = "/api/v1/drafts/{iso3}/{year}/cso-invitations/{invitation}", tag = "cso", params(ReportPath, ("invitation" = String, Path)), responses((status = 204), Errors))]
pub(crate) async fn revoke_cso_invitation(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    key: ReportKey,
    Path(InvitationSegment { invitation }): Path<InvitationSegment>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, &key).await?;
    let invitation: InvitationId = invitation.parse().map_err(|_| WebError::NotFound(crate::Missing::Page))?;
    cso::revoke(&state, signed_in, &report, &access, invitation).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The CSO's own form, by the link's secret (no account).
#[utoipa::path(get, path = "/api/v1/cso/{token}", tag = "cso", params(("token" = String, Path)), security(()), responses((status = 200, body = CsoForm), Errors))]
pub(crate) async fn cso_form(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult {
    let invitation = state.store.invitation_by_token(&token).await?.ok_or(WebError::NotFound(crate::Missing::Page))?;
    let submission: Value = invitation
        .submission
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| WebError::Internal(e.to_string()))?
        .unwrap_or(Value::Null);
    answer(
        StatusCode::OK,
        CsoForm {
            organization: invitation.organization,
            submitted_at: invitation.submitted_at.as_ref().map(ToString::to_string),
            submission,
        },
    )
}

/// Saves the CSO form as form fields (`{"fields": [[name, value], …], "submit": bool}`): the
/// same names as the page, so the API and the page read answers one way.
#[utoipa::path(put, path = "/api/v1/cso/{token}", tag = "cso", params(("token" = String, Path)), security(()), request_body = CsoFormRequest,
    responses((status = 200, body = CsoSaved), (status = 422, body = FormInvalid, description = "Fields refused, each with its problem"), Errors))]
pub(crate) async fn save_cso_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult {
    if viewer.cross_site {
        return Err(WebError::Forbidden.into());
    }
    let request: CsoFormRequest = parse_body(&body)?;
    match cso::save_form(&state, &token, &request.fields, request.submit).await? {
        Ok((applied, status)) => answer(StatusCode::OK, CsoSaved { status, submission: applied.document }),
        Err((_, error)) => {
            let errors = error
                .errors
                .iter()
                .map(|e| FieldProblem { name: e.name.clone(), message: e.message(crate::editor::words(Lang::En)) })
                .collect();
            answer(StatusCode::UNPROCESSABLE_ENTITY, FormInvalid::new(errors))
        }
    }
}
