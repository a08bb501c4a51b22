//! Civil society input: the focal point invites CSOs (by e-mail, or by copying the link); a CSO
//! opens its link (no account: the link's secret is the credential, kept hashed), fills the CSO
//! form (the same form engine as the report), saves and comes back, and submits; the focal point
//! then includes each submitted measure in the report or not. An included measure is a copy in
//! the report's CSO measures (a normal save, so merges and conflicts apply); the share included
//! is shown on the CSO page.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::response::Response;
use qpr_domain::Framework;
use qpr_domain::text::Lang;
use qpr_store::{Invitation, InvitationId, RevisionId, StoredReport};
use qpr_workflow::cso::InvitationStatus;
use serde::Serialize;

use super::access::ReportAccess;
use super::actions;
use super::auth::{SignedIn, Viewer};
use super::sections::SavedQuery;
use super::{Chrome, field, non_empty, page_error, private_page, see_other};
use crate::AppState;
use crate::editor::{self, Applied, CsoSubmission, SectionFields};
use crate::error::WebError;
use crate::report_key::ReportKey;
use crate::ui::Ui;

/// A submitted CSO measure and the focal point's decision on it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct MeasureLine {
    pub id: String,
    pub goal: u8,
    pub title: String,
    pub description: String,
    /// `Some(true)` included, `Some(false)` not included, `None` not decided yet.
    pub included: Option<bool>,
}

/// An invitation as the focal point sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct InvitationLine {
    pub id: i64,
    pub organization: String,
    pub email: Option<String>,
    /// `invited`, `saved` (started, not submitted), `submitted`, `closed` (the link was revoked
    /// or expired before a submission).
    #[schema(value_type = String)]
    pub status: InvitationStatus,
    /// Whether the CSO's link still opens its form (it can be revoked then).
    pub link_works: bool,
    pub submitted_at: Option<String>,
    pub measures: Vec<MeasureLine>,
}

fn line(invitation: &Invitation) -> Result<InvitationLine, WebError> {
    let status = InvitationStatus::of(invitation);
    let measures = if status == InvitationStatus::Submitted {
        qpr_workflow::cso::measures_of(invitation)?
            .into_iter()
            .map(|m| MeasureLine {
                included: invitation.decisions.get(&m.id).copied(),
                id: m.id,
                goal: m.goal,
                title: m.title,
                description: m.description,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(InvitationLine {
        id: invitation.id.get(),
        organization: invitation.organization.clone(),
        email: invitation.email.clone(),
        status,
        link_works: invitation.link_works(),
        submitted_at: invitation.submitted_at.as_ref().map(ToString::to_string),
        measures,
    })
}

/// The CSO's form as the form engine reads it.
/// Before its first save, the form starts with what the invitation says of the CSO.
fn submission_of(framework: &Framework, invitation: &Invitation) -> Result<CsoSubmission, WebError> {
    match &invitation.submission {
        None => Ok(CsoSubmission {
            answers: qpr_workflow::cso::starting_answers(framework, invitation),
            ..CsoSubmission::default()
        }),
        Some(json) => CsoSubmission::from_json(json)
            .map_err(|e| WebError::Internal(format!("stored CSO form {}: {e}", invitation.id))),
    }
}

/// The invitations of a report, for its focal point (or the Secretariat, reading).
pub(crate) async fn invitations(
    state: &AppState,
    report: &StoredReport,
    access: &ReportAccess,
) -> Result<Vec<InvitationLine>, WebError> {
    qpr_workflow::cso::may_see_invitations(access)?;
    state.store.invitations(report.id).await?.iter().map(line).collect()
}

/// Included and submitted measures, for the share included.
pub(crate) fn share(lines: &[InvitationLine]) -> (usize, usize) {
    let measures = lines.iter().flat_map(|l| &l.measures);
    let total = measures.clone().count();
    (measures.filter(|m| m.included == Some(true)).count(), total)
}

/// Invites a CSO to the report; returns the link (see `qpr_workflow::cso`).
pub(crate) async fn invite(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    organization: &str,
    email: Option<&str>,
    lang: Lang,
) -> Result<String, WebError> {
    Ok(qpr_workflow::cso::invite(&state.workflow, viewer, (report, access), (organization, email), lang).await?)
}

/// Ends a CSO's link (the focal point).
pub(crate) async fn revoke(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    invitation: InvitationId,
) -> Result<(), WebError> {
    Ok(qpr_workflow::cso::revoke(&state.workflow, viewer, (report, access), invitation).await?)
}

/// Includes a submitted CSO measure in the report (a copy in its CSO measures) or takes it out
/// (see `qpr_workflow::cso::decide_measure`).
pub(crate) async fn decide(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    (invitation, measure): (InvitationId, &str),
    included: bool,
) -> Result<RevisionId, WebError> {
    Ok(qpr_workflow::cso::decide_measure(&state.workflow, viewer, (report, access), (invitation, measure), included)
        .await?)
}

#[derive(Template)]
#[template(path = "app/cso.html")]
struct CsoPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    can_manage: bool,
    invitations: Vec<InvitationLine>,
    included: usize,
    total: usize,
    new_link: Option<String>,
}

impl CsoPage<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }

    fn percent(&self) -> usize {
        (self.included * 100).checked_div(self.total).unwrap_or(0)
    }
}

async fn render_page(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    key: &ReportKey,
    new_link: Option<String>,
) -> Result<Response, WebError> {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    let invitations = invitations(state, &report, &access).await?;
    let (included, total) = share(&invitations);
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let page = CsoPage {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        report: &report,
        can_manage: access.can_manage(),
        invitations,
        included,
        total,
        new_link,
    };
    Ok(private_page(&page, cookie))
}

/// `GET /app/reports/{iso3}/{year}/cso`: the invitations, the submitted measures, the decisions.
pub(crate) async fn page(State(state): State<AppState>, viewer: Viewer, ui: Ui, key: ReportKey) -> Response {
    render_page(&state, &viewer, &ui, &key, None).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// What the focal point does on the CSO page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CsoAction {
    /// Invite a CSO (`organization`, `email`).
    Invite,
    /// End a CSO's link (`invitation`).
    Revoke,
    /// Include a submitted measure (`invitation`, `measure`).
    Include,
    /// Leave a submitted measure out (`invitation`, `measure`).
    Exclude,
}

/// The form of the CSO page.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CsoActionForm {
    csrf: Option<String>,
    action: CsoAction,
    #[serde(default)]
    organization: String,
    email: Option<String>,
    #[serde(default, deserialize_with = "super::optional_number")]
    invitation: Option<InvitationId>,
    #[serde(default)]
    measure: String,
}

impl CsoActionForm {
    fn invitation(&self) -> Result<InvitationId, WebError> {
        self.invitation.ok_or_else(|| {
            qpr_workflow::Invalid::new(qpr_workflow::Field::Invitation, qpr_workflow::Problem::Required).into()
        })
    }
}

/// `POST /app/reports/{iso3}/{year}/cso`: `action=invite` (`organization`, `email`) or
/// `action=include` / `action=exclude` (`invitation`, `measure`).
pub(crate) async fn action(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    form: Result<Form<CsoActionForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        let (report, access) = actions::report_for(&state, signed_in, &key).await?;
        let back = |invitation: InvitationId| {
            see_other(&format!("{}#invitation-{invitation}", ui.href(format!("/app/reports/{key}/cso"))))
        };
        match form.action {
            CsoAction::Invite => {
                let organization = non_empty(&form.organization, qpr_workflow::Field::Organization)?;
                let email = form.email.as_deref();
                let link = invite(&state, signed_in, &report, &access, organization, email, ui.language()).await?;
                render_page(&state, &viewer, &ui, &key, Some(link)).await
            }
            CsoAction::Revoke => {
                let invitation = form.invitation()?;
                revoke(&state, signed_in, &report, &access, invitation).await?;
                Ok(back(invitation))
            }
            CsoAction::Include | CsoAction::Exclude => {
                let invitation = form.invitation()?;
                let measure = non_empty(&form.measure, qpr_workflow::Field::Measure)?;
                decide(&state, signed_in, &report, &access, (invitation, measure), form.action == CsoAction::Include)
                    .await?;
                Ok(back(invitation))
            }
        }
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// The CSO form's page: the invitation and its report, from the link's secret.
async fn opened(state: &AppState, token: &str) -> Result<(Invitation, StoredReport), WebError> {
    Ok(qpr_workflow::cso::open_form(&state.workflow, token).await?)
}

#[derive(Template)]
#[template(path = "app/cso_form.html")]
struct CsoFormPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    organization: &'a str,
    fields: String,
    submitted: bool,
    saved: bool,
    problem: Option<String>,
    /// Where the form's workbook is downloaded and uploaded.
    workbook: String,
}

fn framework_for<'a>(state: &'a AppState, report: &StoredReport) -> Result<&'a Framework, WebError> {
    actions::framework_of(state, report)
}

/// A refused post of the CSO form: the submission it was applied to, what was posted, and why
/// it was refused (the page shows the posted values again with the errors).
type Refused<'a> = (&'a CsoSubmission, &'a [(String, String)], &'a editor::FormError);

async fn render_form(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    token: &str,
    posted: Option<Refused<'_>>,
    (saved, open): (bool, Option<&str>),
) -> Result<Response, WebError> {
    let (invitation, report) = opened(state, token).await?;
    let framework = framework_for(state, &report)?;
    let stored = submission_of(framework, &invitation)?;
    let submission = posted.map_or(&stored, |(s, _, _)| s);
    let mut view = editor::cso_form_view(framework, submission, ui.language());
    if let Some(open) = open {
        view.open_record_at(open);
    }
    let problem = posted.map(|(_, pairs, error)| {
        view.keep_posted(pairs, error);
        error.errors.iter().map(|e| e.message(editor::words(ui.language()))).collect::<Vec<_>>().join(" ")
    });
    if invitation.submitted_at.is_some() {
        editor::read_only(&mut view, ui.language());
    }
    let fields = SectionFields { view: &view }.render().map_err(|e| WebError::Internal(format!("template: {e}")))?;
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let page = CsoFormPage {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        report: &report,
        organization: &invitation.organization,
        fields,
        submitted: invitation.submitted_at.is_some(),
        saved,
        problem,
        workbook: ui.href(format!("/cso/{token}/workbook")),
    };
    let mut response = private_page(&page, cookie);
    // The link's secret is in the address: never sent on to other sites. Not `no-referrer`:
    // with it, browsers send `Origin: null` on the form's own posts, which the cross-site check
    // of every write refuses (the form could not be saved).
    response.headers_mut().insert("referrer-policy", HeaderValue::from_static("same-origin"));
    response.headers_mut().insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    if page.problem.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /cso/{token}`: the CSO form of an invitation (`?saved=1` after a save).
pub(crate) async fn form_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(token): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Response {
    render_form(&state, &viewer, &ui, &token, None, (query.saved.is_some(), query.open.as_deref()))
        .await
        .unwrap_or_else(|error| page_error(error, &ui))
}

/// Applies a post of the CSO form (the form engine) and keeps it (the workflow); `submit` also
/// submits it (final). Returns the form applied and where the invitation stands now.
pub(crate) async fn save_form(
    state: &AppState,
    token: &str,
    pairs: &[(String, String)],
    submit: bool,
) -> Result<Result<(Applied<CsoSubmission>, InvitationStatus), (CsoSubmission, editor::FormError)>, WebError> {
    let (invitation, report) = opened(state, token).await?;
    qpr_workflow::cso::may_change_form(&invitation, &report)?;
    let framework = framework_for(state, &report)?;
    let current = submission_of(framework, &invitation)?;
    let applied = match editor::apply_cso_form(framework, &current, pairs) {
        Ok(applied) => applied,
        Err(error) => return Ok(Err((current, error))),
    };
    let status =
        qpr_workflow::cso::save_form(&state.workflow, (&invitation, &report), &applied.document.to_json(), submit)
            .await?;
    Ok(Ok((applied, status)))
}

/// `POST /cso/{token}`: saves the CSO form (`submit=1` also submits it).
pub(crate) async fn form_post(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        viewer.check_write(field(&pairs, "csrf"))?;
        let submit = field(&pairs, "submit").is_some();
        match save_form(&state, &token, &pairs, submit).await? {
            // Post/redirect/get, as the report's editing pages: reloading the page does not post
            // again (adding a second measure), and after a button that adds or removes, the
            // fragment brings the person back to what changed instead of the top of the page.
            Ok(_) if submit => Ok(see_other(&ui.href(format!("/cso/{token}")))),
            Ok((applied, _)) => {
                let (open, anchor) = match applied.focus {
                    Some(f) => (format!("&open={}", crate::ui::path_segment(&f)), format!("#{f}")),
                    None => (String::new(), String::new()),
                };
                Ok(see_other(&ui.href(format!("/cso/{token}?saved=1{open}{anchor}"))))
            }
            Err((submission, error)) => {
                render_form(&state, &viewer, &ui, &token, Some((&submission, &pairs, &error)), (false, None)).await
            }
        }
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
