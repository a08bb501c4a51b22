//! The request and response bodies of the JSON API (`/api/v1/…`), one type each, and the
//! OpenAPI 3.1 description generated from them (utoipa): `GET /api/v1/openapi.json`, read by
//! people at `GET /api/v1/docs`. A handler answers with one of these types, never a `json!`
//! literal, so the description and the answers cannot drift apart; the snapshot test of the
//! description (`tests/api.rs`) fails when the API changes without the snapshot being
//! accepted, and `.ci/run` fuzzes a real server against it (schemathesis).
//!
//! Values whose shape is defined elsewhere (the report document, `qpr-report/1`, described in
//! `report-json.md`; validation findings; the status board's rows; search results) are
//! described as objects here, with a pointer to where their fields are documented.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi, ToSchema};

use super::annexes::{AddedBy, AnnexView};
use super::cso::{InvitationLine, MeasureLine};
use super::history::{ChangeRow, RevisionLine, SectionChanges};

/// The body of every error answer: `{"error": {"code", "message"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: a stable code and a sentence saying what and where.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable, machine-readable (`not_found`, `invalid_input`, `edit_conflict`, …).
    pub code: String,
    /// In English, for people.
    pub message: String,
    /// A submission refused for unanswered required questions lists them here, in the form's
    /// order (absent from every other error).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingAnswer>,
}

/// A required question that applies and has no answer (a refused submission names each).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MissingAnswer {
    /// Id of the framework section that asks it (`cultural_creative_sectors`).
    pub section: String,
    /// Id of the question (`g1_ccs_ministry`).
    pub question: String,
    /// Path of its answer in the document (`answers.g1_ccs_ministry`).
    pub path: String,
    /// The question's label, in English.
    pub label: String,
}

/// The error answers any endpoint may give.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub(crate) enum Errors {
    /// The request body or a parameter is malformed.
    #[response(status = 400)]
    BadRequest(#[to_schema] ErrorBody),
    /// Not signed in, or the token is not valid.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Signed in, but this role may not do that (or the form token or origin is wrong).
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Nothing there for this user: another Party's report is "not found" too.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// Not possible in the report's current state.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// The body is larger than allowed.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// The body is well-formed but a value is not acceptable (the message names it).
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// Too many attempts (login, password): wait.
    #[response(status = 429)]
    TooManyAttempts(ErrorBody),
}

/// A report in a path: the Party's ISO 3166-1 alpha-3 code and the report's year.
/// The Secretariat's translations of a published report's executive summary
/// (`GET /api/v1/reports/{iso3}/{year}/translations`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SummaryTranslations {
    /// The Party's code.
    pub iso3: String,
    /// The report's year.
    pub year: i32,
    /// The translations, English first; empty when there is none.
    pub translations: Vec<SummaryTranslationBody>,
}

/// One translation of the executive summary.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SummaryTranslationBody {
    /// The language it is written in: `en` or `fr`.
    #[schema(example = "fr")]
    pub lang: String,
    /// The translated text (plain text; blank lines separate paragraphs).
    pub text: String,
    /// Who translated it: always `unesco_secretariat` (the Party wrote the original, in the
    /// document's executive summary).
    #[schema(example = "unesco_secretariat")]
    pub translated_by: String,
    /// When it was attached (RFC 3339).
    pub attached_at: String,
    /// The revision whose executive summary it translates.
    pub revision: i64,
}

impl SummaryTranslationBody {
    /// The value of `translated_by`.
    pub(crate) const SECRETARIAT: &'static str = "unesco_secretariat";
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(crate) struct ReportPath {
    /// ISO 3166-1 alpha-3 code of the Party (`AZE`).
    #[param(example = "AZE")]
    pub iso3: String,
    /// Year of the report (`2028`).
    #[param(example = "2028")]
    pub year: String,
}

/// `GET /api/v1/me`: who the token or session belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// Member of the Secretariat.
    pub secretariat: bool,
    pub roles: Vec<Role>,
}

/// A role for a Party.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Role {
    pub party: String,
    /// `focal_point` or `contributor`.
    pub role: String,
    /// The sections a contributor was given (`null`: every section).
    pub sections: Option<Vec<String>>,
}

/// `POST /api/v1/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct TokenRequest {
    /// A name to recognise the token by (at most 100 characters).
    pub label: String,
}

/// A new API token: shown once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenCreated {
    /// `qpr_…`, to send as `Authorization: Bearer qpr_…`.
    pub token: String,
    pub label: String,
}

/// `GET /api/v1/cycles`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CycleList {
    pub cycles: Vec<CycleLine>,
}

/// A reporting cycle.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CycleLine {
    pub year: i32,
    /// The form version (`qpr-2020`).
    pub framework: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    pub open: bool,
}

/// `POST /api/v1/cycles`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct OpenCycle {
    pub year: i32,
    pub framework: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    /// ISO codes of the Parties expected to report (a draft each).
    #[serde(default)]
    pub parties: Vec<String>,
}

/// A cycle just opened.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CycleOpened {
    pub year: i32,
    pub framework: String,
    pub deadline: String,
    /// Drafts made.
    pub reports: usize,
}

/// `GET /api/v1/cycles/{year}/status`: every Party's report of the cycle.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CycleStatus {
    pub year: i32,
    pub deadline: String,
    /// One row per report: `iso3`, `party`, `region`, `status` (`not_started`, `in_progress`,
    /// `submitted`, `changes_requested`, `accepted`, `published`), `percent`, `overdue`,
    /// `updated_at`, `reviewer` (a user id) and `reviewer_name`.
    #[schema(value_type = Vec<Object>)]
    pub parties: Vec<qpr_workflow::cycles::PartyStatus>,
}

/// `POST /api/v1/cycles/{year}/focal-points` and `POST /api/v1/drafts/{iso3}/{year}/members`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct Invitee {
    pub email: String,
    /// The name shown to others (default: the e-mail).
    #[serde(default)]
    pub name: String,
    /// The Party (focal points only).
    #[serde(default)]
    pub party: String,
    /// Sections of a contributor (none: every section).
    #[serde(default)]
    pub sections: Vec<String>,
}

/// A focal point named.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FocalPointNamed {
    pub user: i64,
    pub email: String,
    pub party: String,
}

/// A member invited.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MemberInvited {
    pub user: i64,
    pub email: String,
}

/// `GET /api/v1/drafts/{iso3}/{year}`: the draft as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Draft {
    pub party: String,
    pub year: i32,
    /// `draft`, `submitted`, `changes_requested`, `accepted`, `published`.
    pub state: String,
    /// The current revision: the `base_revision` of the next save.
    pub revision: i64,
    /// Percent of the form answered.
    pub completeness: u8,
    /// Validation findings: `severity` (`error`, `warning`), `path`, `code` (stable), `message`.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<qpr_domain::validate::Finding>,
    /// The report document (`qpr-report/1`, see `report-json.md`).
    #[schema(value_type = Object)]
    pub document: qpr_domain::ReportDocument,
}

/// `PUT /api/v1/drafts/{iso3}/{year}`: a save.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SaveRequest {
    /// The revision the document was based on (`revision` of the draft when it was read).
    pub base_revision: i64,
    /// The whole report document (`qpr-report/1`).
    #[schema(value_type = Object)]
    pub document: Value,
}

/// How a save went.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SaveStatus {
    /// Saved as sent.
    Saved,
    /// Someone saved other fields meanwhile: both changes are in the new revision.
    Merged,
}

/// A save that went through.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Saved {
    pub status: SaveStatus,
    pub revision: i64,
}

impl Saved {
    /// A save that went through, or its conflict.
    pub(crate) fn of(saved: qpr_workflow::editing::Saved) -> Result<Saved, qpr_workflow::editing::EditConflict> {
        use qpr_workflow::editing::Saved as S;
        match saved {
            S::Saved { revision } => Ok(Saved { status: SaveStatus::Saved, revision: revision.get() }),
            S::Merged { revision } => Ok(Saved { status: SaveStatus::Merged, revision: revision.get() }),
            S::Conflict(conflict) => Err(conflict),
        }
    }
}

/// The editor's autosave of a section that went through (the page's own JSON, not part of the
/// API): the save as the API answers it, then what the page shows next.
#[derive(Debug, Serialize)]
pub(crate) struct SectionSaved {
    #[serde(flatten)]
    pub saved: Saved,
    /// Percent of the section answered.
    pub completeness: u8,
    pub findings: Vec<FieldFinding>,
    /// Records were added or removed: the page reloads.
    pub reload: bool,
    /// The element to bring into view after a reload.
    pub focus: Option<String>,
}

/// A validation finding on a field of the editor.
#[derive(Debug, Serialize)]
pub(crate) struct FieldFinding {
    /// The field's form name.
    pub name: String,
    /// The field's path in the document.
    pub path: String,
    /// `error` or `warning`.
    pub severity: &'static str,
    pub message: String,
}

impl FieldFinding {
    /// A finding on the field `name` at `path`.
    pub(crate) fn new(name: &str, path: &str, error: bool, message: &str) -> FieldFinding {
        let severity = if error { "error" } else { "warning" };
        FieldFinding { name: name.to_owned(), path: path.to_owned(), severity, message: message.to_owned() }
    }
}

/// A save refused because someone changed the same fields meanwhile: nothing was saved. The
/// API and the editor's autosave answer this one shape.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SaveConflict {
    /// Always `conflict`.
    #[schema(value_type = String, example = "conflict")]
    pub status: &'static str,
    /// The revision the save was based on.
    pub base: i64,
    /// The current revision, which holds the other person's values.
    pub revision: i64,
    pub conflicts: Vec<ConflictField>,
}

/// A field both sides changed, with the three values.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ConflictField {
    /// Where in the document (`answers.gi_executive_summary`).
    pub path: String,
    /// What the form calls it (the question's label), else the path.
    pub label: String,
    /// The editor's name of the field (autosave only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[schema(value_type = Object)]
    pub yours: Value,
    #[schema(value_type = Object)]
    pub theirs: Value,
    #[schema(value_type = Object)]
    pub base: Value,
}

/// The answers of a 409 to a save: an edit conflict, or a state that allows no save.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum SaveRefused {
    /// The same fields changed meanwhile.
    Conflict(SaveConflict),
    /// The report cannot be saved now (submitted, published).
    Error(ErrorBody),
}

/// `POST /api/v1/drafts/{iso3}/{year}/submit`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SubmitRequest {
    /// The designated official's answers, by question id of the form's signatory questions.
    pub official: std::collections::BTreeMap<String, String>,
    /// The submitter's password: a submission is signed.
    pub password: String,
}

/// A report submitted and signed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Submitted {
    pub state: String,
    /// The revision signed.
    pub revision: Option<i64>,
    /// The signature envelope (`qpr-signature/1`).
    #[schema(value_type = Object)]
    pub signature: Value,
}

/// `POST /api/v1/drafts/{iso3}/{year}/decision`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct DecisionRequest {
    /// `recall` (the Party, before review), `request_changes`, `accept`, `publish`, `withdraw`.
    #[schema(value_type = String)]
    pub decision: qpr_workflow::Decision,
    /// A message (with `request_changes`).
    #[serde(default)]
    pub message: String,
}

/// The report after a decision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Decided {
    pub state: String,
    pub submitted_revision: Option<i64>,
    pub published_revision: Option<i64>,
}

/// `POST /api/v1/drafts/{iso3}/{year}/comments`: a new thread on a field, or a reply.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CommentRequest {
    /// The field's path (`answers.gi_executive_summary`), for a new thread.
    #[serde(default)]
    pub field: String,
    /// The thread answered.
    pub parent: Option<i64>,
    pub body: String,
}

/// A comment made.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Created {
    pub id: i64,
}

/// `GET /api/v1/drafts/{iso3}/{year}/comments`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CommentList {
    pub comments: Vec<CommentThread>,
}

/// A thread of comments on a field.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CommentThread {
    pub id: i64,
    pub field: String,
    /// The revision it was made on.
    pub revision: i64,
    pub author: String,
    pub body: String,
    pub created_at: String,
    pub resolved: bool,
    pub replies: Vec<CommentReply>,
}

/// A reply in a thread.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CommentReply {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub created_at: String,
}

/// `GET /api/v1/drafts/{iso3}/{year}/revisions`: newest first, 100 a page.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RevisionPage {
    pub party: String,
    pub year: i32,
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub revisions: Vec<RevisionLine>,
}

/// `GET /api/v1/drafts/{iso3}/{year}/revisions/compare?from=A&to=B`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Compared {
    pub from: RevisionLine,
    pub to: RevisionLine,
    pub sections: Vec<SectionChanges>,
}

/// `GET /api/v1/drafts/{iso3}/{year}/annexes`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AnnexList {
    pub annexes: Vec<AnnexView>,
}

/// A prefill from the previous report.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Prefilled {
    /// Always `saved`.
    #[schema(value_type = String, example = "saved")]
    pub status: SaveStatus,
    pub revision: i64,
    /// What was copied: the previous report and counts.
    #[schema(value_type = Object)]
    pub prefill: super::prefill::Prefill,
}

/// `GET /api/v1/drafts/{iso3}/{year}/cso-invitations`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CsoInvitations {
    pub invitations: Vec<InvitationLine>,
    /// Submitted CSO measures included in the report.
    pub included: usize,
    /// Submitted CSO measures in all.
    pub submitted_measures: usize,
}

/// `POST /api/v1/drafts/{iso3}/{year}/cso-invitations`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CsoInvitationRequest {
    pub organization: String,
    /// Where to send the link (none: copy it from the answer).
    pub email: Option<String>,
}

/// A CSO invited: its form's link (a secret: whoever has it can write the CSO's input).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CsoInvited {
    pub link: String,
}

/// `POST …/cso-invitations/{invitation}/measures/{measure}`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CsoDecisionRequest {
    pub included: bool,
}

/// A decision on a CSO's measure, with the report's new revision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CsoDecided {
    pub revision: i64,
    pub included: bool,
}

/// `GET /api/v1/cso/{token}`: a CSO's form.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CsoForm {
    pub organization: String,
    pub submitted_at: Option<String>,
    /// The answers saved (`answers`, `measures`), or `null`.
    #[schema(value_type = Object)]
    pub submission: Value,
}

/// `PUT /api/v1/cso/{token}`: the form's fields as the page posts them.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CsoFormRequest {
    /// `[name, value]` pairs with the page's field names.
    #[schema(value_type = Vec<Vec<String>>)]
    pub fields: Vec<(String, String)>,
    /// Submit (final) rather than save.
    #[serde(default)]
    pub submit: bool,
}

/// A CSO form saved or submitted.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CsoSaved {
    /// `saved` or `submitted`.
    #[schema(value_type = String)]
    pub status: qpr_workflow::cso::InvitationStatus,
    #[schema(value_type = Object)]
    pub submission: crate::editor::CsoSubmission,
}

/// `POST /api/v1/drafts/{iso3}/{year}/annexes`: a PDF and what it is.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub(crate) struct AnnexUpload {
    /// The PDF (at most 20 MB).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub title: String,
    #[schema(default = "")]
    pub description: Option<String>,
}

/// A form refused (the CSO form, the editor's autosave): each field's problem.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FormInvalid {
    /// Always `invalid`.
    #[schema(value_type = String, example = "invalid")]
    pub status: &'static str,
    pub errors: Vec<FieldProblem>,
}

impl FormInvalid {
    /// The refusal of these fields.
    pub(crate) fn new(errors: Vec<FieldProblem>) -> FormInvalid {
        FormInvalid { status: "invalid", errors }
    }
}

/// A field's problem.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FieldProblem {
    pub name: String,
    pub message: String,
}

/// What a workbook would change (nothing is saved): each field with its value before and after,
/// as the workbook shows them (labels in the workbook's language).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkbookPreview {
    /// The revision the workbook was made from: the base of its save.
    pub base_revision: i64,
    pub changes: Vec<WorkbookChange>,
}

/// What a filled workbook of a CSO form would change in the form as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CsoWorkbookPreview {
    pub changes: Vec<WorkbookChange>,
}

/// A change a workbook makes.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkbookChange {
    /// The sheet showing the field.
    pub sheet: String,
    /// The field (a record's title before its field's label).
    pub label: String,
    pub before: String,
    pub after: String,
}

impl WorkbookChange {
    /// The API's view of a change.
    pub(crate) fn of(change: qpr_workflow::workbook::Change) -> WorkbookChange {
        WorkbookChange { sheet: change.sheet, label: change.label, before: change.before, after: change.after }
    }
}

/// A workbook that cannot be taken: every problem, at its sheet and cell; nothing was saved.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkbookRefused {
    /// Always `invalid`.
    #[schema(value_type = String, example = "invalid")]
    pub status: &'static str,
    pub problems: Vec<WorkbookProblem>,
}

/// A 422 of the workbook endpoints: the workbook's problems at their cells, or (a value of the
/// request itself not acceptable) the error body of every endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum WorkbookUnprocessable {
    /// The workbook's problems.
    Refused(WorkbookRefused),
    /// Any other unacceptable value.
    Error(ErrorBody),
}

/// A problem of a workbook.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkbookProblem {
    /// Stable code (`not_an_option`, `changed_structure`, `formula`, …).
    pub code: String,
    /// The sheet, empty for the whole file.
    pub sheet: String,
    /// The cell (`B7`), empty for a whole sheet or file.
    pub cell: String,
    /// The value found, or the limit passed.
    pub value: String,
    /// In English, for people.
    pub message: String,
}

impl WorkbookRefused {
    /// The refusal of these problems.
    pub(crate) fn new(problems: &[qpr_workflow::workbook::Problem]) -> WorkbookRefused {
        WorkbookRefused {
            status: "invalid",
            problems: problems
                .iter()
                .map(|p| WorkbookProblem {
                    code: p.kind.code().to_owned(),
                    sheet: p.sheet.clone(),
                    cell: p.cell.clone(),
                    value: p.value.clone(),
                    message: super::workbook::problem_message(p, qpr_domain::text::Lang::En),
                })
                .collect(),
        }
    }
}

/// Adds the bearer token scheme.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some("An API token (`qpr_…`) from the account page or `POST /api/v1/tokens`.".into());
        components.add_security_scheme("token", SecurityScheme::Http(http));
    }
}

/// The description of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "qpr API",
        description = "The JSON API of qpr: drafting, submitting and reviewing the quadrennial periodic reports of the 2005 Convention, and the published reports. Errors answer `{\"error\": {\"code\", \"message\"}}`.",
        license(name = "Apache-2.0")
    ),
    paths(
        super::api::me,
        super::api::create_token,
        super::api::list_cycles,
        super::api::open_cycle,
        super::api::cycle_status,
        super::api::focal_point,
        super::api::draft,
        super::api::save_draft,
        super::api::invite_member,
        super::api::remove_member,
        super::api::revisions,
        super::api::compare_revisions,
        super::api::list_annexes,
        super::api::upload_annex,
        super::api::download_annex,
        super::api::remove_annex,
        super::api::prefill,
        super::api::cso_invitations,
        super::api::invite_cso,
        super::api::revoke_cso_invitation,
        super::api::decide_cso_measure,
        super::api::cso_form,
        super::api::save_cso_form,
        super::api::draft_workbook,
        super::api::preview_workbook,
        super::api::apply_workbook,
        super::api::cso_workbook,
        super::api::preview_cso_workbook,
        super::api::apply_cso_workbook,
        super::api::submit,
        super::api::decision,
        super::api::list_comments,
        super::api::comment,
        crate::pages::reports::report_json,
        crate::pages::reports::translations_json,
        crate::search::api,
        crate::indicators::api,
        crate::search::similar_api,
        crate::pages::changes::changes_api,
    ),
    components(schemas(ErrorBody, ErrorDetail, MissingAnswer, AddedBy, MeasureLine, ChangeRow)),
    modifiers(&BearerToken),
    security(("token" = []))
)]
pub(crate) struct ApiDoc;

/// The description as JSON (what `GET /api/v1/openapi.json` serves).
pub(crate) fn openapi_json() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The description is part of the API: a change to any request or response type changes
    /// this snapshot, and the test fails until the change is accepted (`cargo insta review`),
    /// so no API change goes out unannounced.
    #[test]
    fn the_api_description_changes_only_when_announced() {
        let json: Value = serde_json::from_str(&openapi_json().unwrap()).unwrap();
        insta::assert_json_snapshot!("openapi", json);
    }

    /// Every route of the API router is described, and every description names a route.
    #[test]
    fn every_api_route_is_described() {
        let description = ApiDoc::openapi();
        let described: std::collections::BTreeSet<String> = description
            .paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                let methods = [
                    ("get", item.get.is_some()),
                    ("put", item.put.is_some()),
                    ("post", item.post.is_some()),
                    ("delete", item.delete.is_some()),
                ];
                methods.into_iter().filter(|(_, present)| *present).map(move |(method, _)| format!("{method} {path}"))
            })
            .collect();
        let source = include_str!("api.rs");
        let routes = source.split("pub(crate) fn routes()").nth(1).unwrap().split("\n}\n").next().unwrap();
        let mut routed = std::collections::BTreeSet::new();
        for route in routes.split(".route(").skip(1) {
            let path = route.split('"').nth(1).unwrap();
            let handlers = route.split_once(&format!("\"{path}\"")).unwrap().1;
            for (method, call) in [("get", "get("), ("put", ".put("), ("post", "post("), ("delete", "delete(")] {
                if handlers.contains(call) {
                    routed.insert(format!("{method} {path}"));
                }
            }
        }
        // The description (and its page) does not describe itself; the public API's two routes are in lib.rs
        // and search.rs.
        routed.remove("get /api/v1/openapi.json");
        routed.remove("get /api/v1/docs");
        routed.extend(["get /api/v1/reports/{iso3}/{year}".to_owned(), "get /api/v1/measures".to_owned()]);
        routed.insert("get /api/v1/reports/{iso3}/{year}/translations".to_owned());
        routed.insert("get /api/v1/indicators".to_owned());
        // Policy learning: similar measures (search.rs) and the changes between reports (pages/changes.rs).
        routed.extend([
            "get /api/v1/measures/{iso3}/{year}/{id}/similar".to_owned(),
            "get /api/v1/parties/{iso3}/changes".to_owned(),
        ]);
        assert_eq!(described, routed);
        assert!(matches!(description.openapi, utoipa::openapi::OpenApiVersion::Version31), "OpenAPI 3.1");
    }
}

/// One operation as the documentation page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OperationView {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub summary: String,
    /// (name, where, required, description)
    pub parameters: Vec<(String, String, bool, String)>,
    /// The request body's schema or content type.
    pub request: Option<String>,
    /// (status, description, schema)
    pub responses: Vec<(String, String, String)>,
}

/// A group of operations (a tag of the description).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OperationGroup {
    pub tag: String,
    pub operations: Vec<OperationView>,
}

/// The name a schema is shown by: its component's name, or its type.
fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    match (schema.get("type").and_then(Value::as_str), schema.get("items")) {
        (Some("array"), Some(items)) => format!("array of {}", schema_name(items)),
        (Some(kind), _) => kind.to_owned(),
        (None, _) => "object".to_owned(),
    }
}

/// The body of a request or response: its schema by media type.
fn content_name(content: Option<&Value>) -> String {
    let Some(content) = content.and_then(Value::as_object) else { return String::new() };
    content
        .iter()
        .map(|(media, body)| match body.get("schema") {
            Some(schema) => format!("{} ({media})", schema_name(schema)),
            None => media.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The operations of the description, by tag in the description's order of paths.
pub(crate) fn operation_groups(description: &Value) -> Vec<OperationGroup> {
    let mut groups: Vec<OperationGroup> = Vec::new();
    let paths = description.get("paths").and_then(Value::as_object).into_iter().flatten();
    for (path, item) in paths {
        for method in ["get", "put", "post", "delete"] {
            let Some(operation) = item.get(method) else { continue };
            let text = |key: &str| operation.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            let summary = [text("summary"), text("description")]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let parameters = operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| {
                    let field = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
                    (
                        field("name"),
                        field("in"),
                        p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        field("description"),
                    )
                })
                .collect();
            let request = operation.get("requestBody").map(|body| content_name(body.get("content")));
            let responses = operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, response)| {
                    let description =
                        response.get("description").and_then(Value::as_str).unwrap_or_default().to_owned();
                    (status.clone(), description, content_name(response.get("content")))
                })
                .collect();
            let tag = operation.pointer("/tags/0").and_then(Value::as_str).unwrap_or("other").to_owned();
            let anchor = format!("{method}-{}", path.replace(['/', '{', '}', '.'], "-").trim_matches('-'));
            let view = OperationView {
                method: method.to_uppercase(),
                path: path.clone(),
                anchor,
                summary,
                parameters,
                request,
                responses,
            };
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(group) => group.operations.push(view),
                None => groups.push(OperationGroup { tag, operations: vec![view] }),
            }
        }
    }
    groups
}
