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
use qpr_store::{SaveOutcome, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{SignedIn, Viewer};
use super::{actions, annexes, cso, history};
use crate::AppState;
use crate::error::{ApiError, WebError};
use crate::ui::Ui;

/// The API routes of the workflow.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
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
        .route("/api/v1/drafts/{iso3}/{year}/cso-invitations", get(cso_invitations).post(invite_cso))
        .route("/api/v1/drafts/{iso3}/{year}/cso-invitations/{invitation}", delete(revoke_cso_invitation))
        .route("/api/v1/drafts/{iso3}/{year}/cso-invitations/{invitation}/measures/{measure}", post(decide_cso_measure))
        .route("/api/v1/cso/{token}", get(cso_form).put(save_cso_form))
        .route("/api/v1/drafts/{iso3}/{year}/submit", post(submit))
        .route("/api/v1/drafts/{iso3}/{year}/decision", post(decision))
        .route("/api/v1/drafts/{iso3}/{year}/comments", get(list_comments).post(comment))
}

type ApiResult = Result<Response, ApiError>;

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
    (iso3, year): (&str, &str),
) -> Result<(&'v SignedIn, qpr_store::StoredReport, super::access::ReportAccess), ApiError> {
    let signed_in = writer(viewer, headers)?;
    let (report, access) = actions::report_for(state, signed_in, iso3, year).await?;
    Ok((signed_in, report, access))
}

/// A JSON body, or a 400 that says what is wrong with it.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError(WebError::Invalid(format!("request body: {e}"))))
}

async fn me(viewer: Viewer) -> ApiResult {
    let signed_in = viewer.require()?;
    let roles: Vec<Value> =
        signed_in.memberships.iter().map(|m| json!({"party": m.party_iso3, "role": m.role.as_str(), "sections": m.sections})).collect();
    Ok(Json(json!({
        "id": signed_in.user.id,
        "email": signed_in.user.email,
        "name": signed_in.user.display_name,
        "secretariat": signed_in.user.is_secretariat,
        "roles": roles,
    }))
    .into_response())
}

#[derive(Deserialize)]
struct TokenRequest {
    label: String,
}

async fn create_token(State(state): State<AppState>, viewer: Viewer, headers: HeaderMap, body: axum::body::Bytes) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: TokenRequest = parse_body(&body)?;
    let token = super::admin::create_api_token(&state, signed_in.user.id, &request.label).await?;
    Ok((StatusCode::CREATED, Json(json!({"token": token, "label": request.label.trim()}))).into_response())
}

async fn list_cycles(State(state): State<AppState>, viewer: Viewer) -> ApiResult {
    viewer.require()?;
    let cycles: Vec<Value> = state
        .store
        .cycles()
        .await?
        .into_iter()
        .map(|c| json!({"year": c.year, "framework": c.framework, "deadline": c.deadline, "open": c.open}))
        .collect();
    Ok(Json(json!({"cycles": cycles})).into_response())
}

#[derive(Deserialize)]
struct OpenCycle {
    year: i32,
    framework: String,
    deadline: String,
    #[serde(default)]
    parties: Vec<String>,
}

async fn open_cycle(State(state): State<AppState>, viewer: Viewer, headers: HeaderMap, body: axum::body::Bytes) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: OpenCycle = parse_body(&body)?;
    let year = actions::parse_year(&request.year.to_string())?;
    let deadline = actions::parse_date(&request.deadline, "deadline")?;
    actions::open_cycle(&state, signed_in, year, &request.framework, &deadline, &request.parties).await?;
    let cycle = actions::cycle(&state, year).await?;
    let reports = state.store.cycle_reports(cycle.id).await?.len();
    Ok((StatusCode::CREATED, Json(json!({"year": year, "framework": cycle.framework, "deadline": cycle.deadline, "reports": reports})))
        .into_response())
}

async fn cycle_status(State(state): State<AppState>, viewer: Viewer, Path(year): Path<String>) -> ApiResult {
    actions::require_secretariat(viewer.require()?)?;
    let year = actions::parse_year(&year)?;
    let cycle = actions::cycle(&state, year).await?;
    let parties = actions::status_board(&state, &cycle).await?;
    Ok(Json(json!({"year": year, "deadline": cycle.deadline, "parties": parties})).into_response())
}

#[derive(Deserialize)]
struct Invitee {
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    sections: Vec<String>,
}

async fn focal_point(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(year): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: Invitee = parse_body(&body)?;
    let year = actions::parse_year(&year)?;
    let user = actions::invite_focal_point(&state, signed_in, year, &request.party, &request.email, &request.name, Lang::En).await?;
    Ok((StatusCode::CREATED, Json(json!({"user": user.id, "email": user.email, "party": request.party.trim().to_uppercase()})))
        .into_response())
}

async fn draft(State(state): State<AppState>, viewer: Viewer, Path((iso3, year)): Path<(String, String)>) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(&state, signed_in, &iso3, &year).await?;
    if matches!(access, super::access::ReportAccess::Contributor { sections: Some(_) }) {
        // The whole document would show sections the contributor was not given.
        return Err(WebError::Forbidden.into());
    }
    let revision = report.current_revision.ok_or_else(|| WebError::Internal("report without revision".into()))?;
    let (_, document) = state.store.revision(revision).await?;
    let framework = actions::framework_of(&state, &report)?;
    let completeness = validate::overall(&validate::completeness(framework, &document)).percent();
    Ok(Json(json!({
        "party": report.party_iso3,
        "year": report.year,
        "state": report.state.as_str(),
        "revision": revision,
        "completeness": completeness,
        "findings": validate::validate(framework, &document),
        "document": document,
    }))
    .into_response())
}

#[derive(Deserialize)]
struct SaveRequest {
    base_revision: i64,
    document: Value,
}

/// The JSON answer to a save: the new revision, or the conflict with both values.
pub(crate) fn save_answer(outcome: Result<SaveOutcome, StoreError>) -> ApiResult {
    match outcome {
        Ok(SaveOutcome::Saved { revision }) => Ok(Json(json!({"status": "saved", "revision": revision})).into_response()),
        Ok(SaveOutcome::Merged { revision, .. }) => Ok(Json(json!({"status": "merged", "revision": revision})).into_response()),
        Err(StoreError::Conflict { base, current, conflicts }) => {
            let conflicts: Vec<Value> =
                conflicts.iter().map(|c| json!({"path": c.path, "yours": c.ours, "theirs": c.theirs, "base": c.base})).collect();
            Ok((StatusCode::CONFLICT, Json(json!({"status": "conflict", "base": base, "revision": current, "conflicts": conflicts})))
                .into_response())
        }
        Err(error) => Err(error.into()),
    }
}

async fn save_draft(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    if !access.can_edit_everything() {
        return Err(WebError::Forbidden.into());
    }
    let request: SaveRequest = parse_body(&body)?;
    let document: ReportDocument =
        serde_json::from_value(request.document).map_err(|e| WebError::Invalid(format!("document: not a report document: {e}")))?;
    if document.party.iso3.as_ref().map(|c| c.as_str()) != Some(report.party_iso3.as_str()) || document.year != report.year {
        return Err(WebError::Invalid(format!("document: it must stay the report of {} for {}", report.party_iso3, report.year)).into());
    }
    // The base must be a revision of this report: another report's id is "not found", as if
    // it did not exist (the store checks it again where it reads the base).
    state.store.revision_of_report(report.id, request.base_revision).await?;
    save_answer(state.store.save(report.id, request.base_revision, &document, &signed_in.actor()).await)
}

async fn invite_member(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    let request: Invitee = parse_body(&body)?;
    let user =
        actions::invite_contributor(&state, signed_in, &report, &access, (&request.email, &request.name), request.sections, Lang::En)
            .await?;
    Ok((StatusCode::CREATED, Json(json!({"user": user.id, "email": user.email}))).into_response())
}

async fn remove_member(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year, user)): Path<(String, String, String)>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    let user: i64 = user.parse().map_err(|_| WebError::NotFound(crate::Missing::Page))?;
    actions::remove_member(&state, signed_in, &report, &access, user).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct SubmitRequest {
    official: std::collections::BTreeMap<String, String>,
    password: String,
}

async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    client: super::auth::ClientAddress,
    Path((iso3, year)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: SubmitRequest = parse_body(&body)?;
    let official: Vec<(&'static str, String)> = super::review::OFFICIAL_FIELDS
        .iter()
        .map(|id| (*id, request.official.get(*id).map(|v| v.trim().to_owned()).unwrap_or_default()))
        .collect();
    match super::review::submit_report(&state, signed_in, (&iso3, &year), &official, &request.password, client.0).await {
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
            Ok(Json(json!({"state": report.state.as_str(), "revision": report.submitted_revision, "signature": envelope})).into_response())
        }
        Err(super::review::Refusal::Fix(reason)) => Err(WebError::Invalid(match reason.as_str() {
            "password" => "password: not right; nothing was submitted".to_owned(),
            "errors" => "the report has errors; nothing was submitted (GET the draft for its findings)".to_owned(),
            "merged" => "the report was saved by someone else meanwhile; review it and submit again".to_owned(),
            other => format!("official: `{}` is missing", other.trim_start_matches("official:")),
        })
        .into()),
        Err(super::review::Refusal::Error(error)) => Err(error.into()),
    }
}

#[derive(Deserialize)]
struct DecisionRequest {
    decision: String,
    #[serde(default)]
    message: String,
}

async fn decision(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: DecisionRequest = parse_body(&body)?;
    let report = super::review::decide_with_message(&state, signed_in, (&iso3, &year), &request.decision, &request.message).await?;
    Ok(Json(json!({"state": report.state.as_str(), "submitted_revision": report.submitted_revision, "published_revision": report.published_revision})).into_response())
}

#[derive(Deserialize)]
struct CommentRequest {
    #[serde(default)]
    field: String,
    parent: Option<i64>,
    body: String,
}

async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let signed_in = writer(&viewer, &headers)?;
    let request: CommentRequest = parse_body(&body)?;
    let id = super::review::add_comment(&state, signed_in, (&iso3, &year), &request.field, request.parent, &request.body).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

async fn list_comments(State(state): State<AppState>, viewer: Viewer, Path((iso3, year)): Path<(String, String)>) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(&state, signed_in, &iso3, &year).await?;
    if !access.can_edit_everything() && access != super::access::ReportAccess::Secretariat {
        return Err(WebError::Forbidden.into());
    }
    let threads = super::review::threads(&state, &report, None).await?;
    let comments: Vec<Value> = threads
        .iter()
        .map(|t| {
            let replies: Vec<Value> = t.replies.iter().map(|(r, author)| json!({"id": r.id, "author": author, "body": r.body, "created_at": r.created_at})).collect();
            json!({"id": t.comment.id, "field": t.comment.field_path, "revision": t.comment.revision_id, "author": t.author, "body": t.comment.body,
                   "created_at": t.comment.created_at, "resolved": t.comment.resolved_at.is_some(), "replies": replies})
        })
        .collect();
    Ok(Json(json!({"comments": comments})).into_response())
}

/// `GET /api/v1/drafts/{iso3}/{year}/revisions[?page=N]`: the revisions, newest first, 100 a page.
async fn revisions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((iso3, year)): Path<(String, String)>,
    Query(query): Query<Vec<(String, String)>>,
) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, _) = actions::report_for(&state, signed_in, &iso3, &year).await?;
    let (lines, page, pages) = history::history(&state, &report, history::page_number(&query)?).await?;
    Ok(Json(json!({
        "party": report.party_iso3,
        "year": report.year,
        "page": page,
        "pages": pages,
        "per_page": history::PER_PAGE,
        "revisions": lines,
    }))
    .into_response())
}

/// `GET /api/v1/drafts/{iso3}/{year}/revisions/compare?from=A&to=B[&lang=fr]`: the changes by
/// section, with the form's labels and the values as stored.
async fn compare_revisions(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path((iso3, year)): Path<(String, String)>,
    Query(query): Query<Vec<(String, String)>>,
) -> ApiResult {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(&state, signed_in, &iso3, &year).await?;
    let comparison = history::compare(&state, &report, &access, &query, ui.language()).await?;
    Ok(Json(json!({"from": comparison.from, "to": comparison.to, "sections": comparison.sections})).into_response())
}

async fn list_annexes(State(state): State<AppState>, viewer: Viewer, Path((iso3, year)): Path<(String, String)>) -> ApiResult {
    let (report, access) = actions::report_for(&state, viewer.require()?, &iso3, &year).await?;
    let annexes = annexes::list(&state, &report, &access).await?;
    Ok(Json(json!({"annexes": annexes})).into_response())
}

/// `multipart/form-data` with the parts `file` (a PDF), `title` and `description`.
async fn upload_annex(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    // Before reading the body: only who may upload makes the server read a large file.
    annexes::may_change(&state, &report, &access, Lang::En)?;
    let upload = annexes::read_upload(&headers, multipart, Lang::En).await?;
    let annex = annexes::add(&state, signed_in, &report, &access, &upload, Lang::En).await?;
    let added_by = annexes::AddedBy { user: Some(signed_in.user.id), name: signed_in.user.display_name.clone() };
    Ok((StatusCode::CREATED, Json(annexes::AnnexView::new(annex, added_by))).into_response())
}

async fn download_annex(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((iso3, year, sha256)): Path<(String, String, String)>,
) -> ApiResult {
    Ok(annexes::file(&state, viewer.require()?, &iso3, &year, &sha256).await?)
}

async fn remove_annex(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year, sha256)): Path<(String, String, String)>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    annexes::remove(&state, signed_in, &report, &access, &sha256, Lang::En).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn prefill(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year)): Path<(String, String)>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    let (summary, revision) = super::prefill::prefill(&state, signed_in, &report, &access, Lang::En).await?;
    Ok(Json(json!({"status": "saved", "revision": revision, "prefill": summary})).into_response())
}

async fn cso_invitations(State(state): State<AppState>, viewer: Viewer, Path((iso3, year)): Path<(String, String)>) -> ApiResult {
    let (report, access) = actions::report_for(&state, viewer.require()?, &iso3, &year).await?;
    let invitations = cso::invitations(&state, &report, &access).await?;
    let (included, total) = cso::share(&invitations);
    Ok(Json(json!({"invitations": invitations, "included": included, "submitted_measures": total})).into_response())
}

#[derive(Deserialize)]
struct CsoInvitationRequest {
    organization: String,
    email: Option<String>,
}

async fn invite_cso(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    let request: CsoInvitationRequest = parse_body(&body)?;
    let link = cso::invite(&state, signed_in, &report, &access, &request.organization, request.email.as_deref(), Lang::En).await?;
    Ok((StatusCode::CREATED, Json(json!({"link": link}))).into_response())
}

#[derive(Deserialize)]
struct CsoDecisionRequest {
    included: bool,
}

async fn decide_cso_measure(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year, invitation, measure)): Path<(String, String, String, String)>,
    body: axum::body::Bytes,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    let request: CsoDecisionRequest = parse_body(&body)?;
    let invitation: i64 = invitation.parse().map_err(|_| WebError::NotFound(crate::Missing::Page))?;
    let revision = cso::decide(&state, signed_in, &report, &access, (invitation, &measure), request.included).await?;
    Ok(Json(json!({"revision": revision, "included": request.included})).into_response())
}

/// Ends a CSO's link: `204`; `404` for an invitation of another report or one already closed.
async fn revoke_cso_invitation(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((iso3, year, invitation)): Path<(String, String, String)>,
) -> ApiResult {
    let (signed_in, report, access) = writer_on_report(&state, &viewer, &headers, (&iso3, &year)).await?;
    let invitation: i64 = invitation.parse().map_err(|_| WebError::NotFound(crate::Missing::Page))?;
    cso::revoke(&state, signed_in, &report, &access, invitation).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The CSO's own form, by the link's secret (no account).
async fn cso_form(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult {
    let invitation = state.store.invitation_by_token(&token).await?.ok_or(WebError::NotFound(crate::Missing::Page))?;
    let submission: Value = invitation
        .submission
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| WebError::Internal(e.to_string()))?
        .unwrap_or(Value::Null);
    Ok(Json(json!({"organization": invitation.organization, "submitted_at": invitation.submitted_at, "submission": submission}))
        .into_response())
}

/// Saves the CSO form as form fields (`{"fields": [[name, value], …], "submit": bool}`): the
/// same names as the page, so the API and the page read answers one way.
#[derive(Deserialize)]
struct CsoFormRequest {
    fields: Vec<(String, String)>,
    #[serde(default)]
    submit: bool,
}

async fn save_cso_form(State(state): State<AppState>, viewer: Viewer, Path(token): Path<String>, body: axum::body::Bytes) -> ApiResult {
    if viewer.cross_site {
        return Err(WebError::Forbidden.into());
    }
    let request: CsoFormRequest = parse_body(&body)?;
    match cso::save_form(&state, &token, &request.fields, request.submit).await? {
        Ok(applied) => {
            Ok(Json(json!({"status": if request.submit { "submitted" } else { "saved" }, "submission": applied.document})).into_response())
        }
        Err((_, error)) => {
            let errors: Vec<Value> = error.errors.iter().map(|e| json!({"name": e.name, "message": e.message(Lang::En)})).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"status": "invalid", "errors": errors}))).into_response())
        }
    }
}
