//! The workspace pages of a Party's team: the dashboard (my reports) and a report's overview
//! (sections with completeness, the team).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use qpr_domain::validate::{self, SectionCompleteness};
use qpr_store::{Membership, MembershipRole, ReportState, StoredReport, User};

use super::access::ReportAccess;
use super::actions;
use super::auth::Viewer;
use super::{Chrome, annexes, field, fields, page_error, private_page, see_other};
use crate::AppState;
use crate::error::WebError;
use crate::report_key::ReportKey;
use crate::ui::Ui;

/// A report in a list of the workspace.
pub(crate) struct ReportLine {
    pub iso3: String,
    pub party: String,
    pub year: i32,
    pub state: ReportState,
    pub percent: u8,
}

#[derive(Template)]
#[template(path = "app/dashboard.html")]
struct Dashboard<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    reports: Vec<ReportLine>,
    cycles: Vec<qpr_store::Cycle>,
}

/// Completeness of a report's current revision, overall and per section.
async fn completeness(state: &AppState, report: &StoredReport) -> Result<Vec<SectionCompleteness>, WebError> {
    let revision =
        report.current_revision.ok_or_else(|| WebError::Internal(format!("report {} has no revision", report.id)))?;
    let (_, document) = state.store.revision(revision).await?;
    Ok(validate::completeness(actions::framework_of(state, report)?, &document))
}

/// `GET /app`: what the signed-in user works on.
pub(crate) async fn dashboard(State(state): State<AppState>, viewer: Viewer, ui: Ui) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let parties: Vec<&str> = signed_in.memberships.iter().map(|m| m.party_iso3.as_str()).collect();
        let mut reports = Vec::new();
        for report in state.store.reports().await?.into_iter().filter(|r| parties.contains(&r.party_iso3.as_str())) {
            let percent = validate::overall(&completeness(&state, &report).await?).percent();
            reports.push(ReportLine {
                iso3: report.party_iso3,
                party: report.party_name,
                year: report.year,
                state: report.state,
                percent,
            });
        }
        reports.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.iso3.cmp(&b.iso3)));
        let cycles = if signed_in.user.is_secretariat { state.store.cycles().await? } else { Vec::new() };
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        Ok(private_page(&Dashboard { lang: ui.lang(), ui: &ui, chrome: &chrome, reports, cycles }, cookie))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// A section of the form as the overview lists it.
pub(crate) struct SectionLine {
    pub id: String,
    pub title: String,
    pub percent: u8,
    pub editable: bool,
}

#[derive(Template)]
#[template(path = "app/report.html")]
struct Overview<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    access: &'a ReportAccess,
    overall: u8,
    sections: Vec<SectionLine>,
    members: Vec<(User, Membership)>,
    notice: Option<String>,
    /// The number of annexes, when the viewer may see the form's annex section.
    annexes: Option<usize>,
    /// The year of the previous report, when the focal point may prefill this draft from it.
    prefill_from: Option<i32>,
    /// The workbook: `Some(may upload)` when the viewer may download it.
    workbook: Option<bool>,
}

impl Overview<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }

    fn is_secretariat(&self) -> bool {
        *self.access == ReportAccess::Secretariat
    }

    fn is_focal_point(&self, membership: &Membership) -> bool {
        membership.role == MembershipRole::FocalPoint
    }

    fn member_sections(&self, membership: &Membership) -> String {
        match &membership.sections {
            None => self.ui.t("members-all-sections"),
            Some(ids) => ids
                .iter()
                .map(|id| self.sections.iter().find(|s| &s.id == id).map_or(id.as_str(), |s| s.title.as_str()))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

pub(crate) async fn render_overview(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    key: &ReportKey,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    let framework = actions::framework_of(state, &report)?;
    let revision =
        report.current_revision.ok_or_else(|| WebError::Internal(format!("report {} has no revision", report.id)))?;
    let (_, document) = state.store.revision(revision).await?;
    let done = validate::completeness(framework, &document);
    let editable_state = report.state.is_editable();
    let sections = framework
        .sections
        .iter()
        .filter(|s| access.can_see_section(&s.id))
        .map(|s| SectionLine {
            id: s.id.clone(),
            title: ui.local(&s.heading).to_owned(),
            percent: done.iter().find(|c| c.section == s.id).map_or(100, SectionCompleteness::percent),
            editable: editable_state && access.can_edit_section(&s.id),
        })
        .collect();
    let members = if access.can_manage() || access == ReportAccess::Secretariat {
        state.store.party_members(&report.party_iso3).await?
    } else {
        Vec::new()
    };
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let overall = validate::overall(&done).percent();
    let annexes = match annexes::annex_section(framework) {
        Some(section) if access.can_see_section(&section.id) => Some(state.store.annexes(report.id).await?.len()),
        _ => None,
    };
    let prefill_from = qpr_workflow::prefill::offer(&state.workflow, (&report, &access), &document).await?;
    let workbook = qpr_workflow::workbook::may_download(&state.workflow, &report, &access)
        .is_ok()
        .then(|| editable_state && framework.sections.iter().any(|s| access.can_edit_section(&s.id)));
    let page = Overview {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        report: &report,
        access: &access,
        overall,
        sections,
        members,
        notice,
        annexes,
        prefill_from,
        workbook,
    };
    Ok(private_page(&page, cookie))
}

/// `GET /app/reports/{iso3}/{year}`: the report's sections and team.
pub(crate) async fn report_overview(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Query(query): Query<OverviewQuery>,
) -> Response {
    // After a workbook was applied (`?workbook=saved` or `merged`).
    let notice = match query.workbook.as_deref() {
        Some("saved") => Some(ui.t("workbook-saved")),
        Some("merged") => Some(ui.t("workbook-merged")),
        _ => None,
    };
    render_overview(&state, &viewer, &ui, &key, notice).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// The overview's query: what was just done.
#[derive(serde::Deserialize)]
pub(crate) struct OverviewQuery {
    workbook: Option<String>,
}

/// `POST /app/reports/{iso3}/{year}/members`: the focal point invites a contributor
/// (`action=invite`, `email`, `name`, `section` repeated) or removes one (`action=remove`,
/// `user`).
pub(crate) async fn members_action(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let (signed_in, report, access) = super::posted_on_report(&state, &viewer, &form, &key).await?;
        let notice = match field(&form, "action") {
            Some("invite") => {
                let email = super::required(&form, "email", &ui.t("members-email"))?;
                let sections = fields(&form, "section").map(str::to_owned).collect();
                let invitee = (email, field(&form, "name").unwrap_or_default());
                let user =
                    actions::invite_contributor(&state, signed_in, &report, &access, invitee, sections, ui.language())
                        .await?;
                ui.ts("members-invited", "email", user.email)
            }
            Some("remove") => {
                let user = field(&form, "user")
                    .and_then(|u| u.parse().ok())
                    .ok_or_else(|| WebError::Invalid("User: missing or not a number.".into()))?;
                actions::remove_member(&state, signed_in, &report, &access, user).await?;
                return Ok(see_other(&ui.href(format!("/app/reports/{}/{}", report.party_iso3, report.year))));
            }
            _ => return Err(WebError::Invalid("Action: expected `invite` or `remove`.".into())),
        };
        render_overview(&state, &viewer, &ui, &key, Some(notice)).await
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
