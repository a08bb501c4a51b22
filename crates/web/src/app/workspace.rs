//! The workspace pages of a Party's team: the dashboard (my reports) and a report's overview
//! (sections with completeness, the team).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use fluent_templates::fluent_bundle::FluentValue;
use qpr_domain::validate::{self, SectionCompleteness};
use qpr_store::{Membership, MembershipRole, ReportState, StoredReport, User};
use qpr_workflow::comments;
use qpr_workflow::todo::{self, DeadlineStatus};

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
    /// The deadline and the days left, while the report is to be submitted.
    pub deadline: Option<String>,
    /// Whether the deadline has passed.
    pub late: bool,
}

/// A deadline and the days left (or late), in the page's language.
pub(crate) fn deadline_text(ui: &Ui, deadline: &DeadlineStatus) -> String {
    let date = ui.date(&deadline.deadline);
    let (id, days) = match deadline.days_left {
        0 => ("deadline-today", 0),
        left if left > 0 => ("deadline-days-left", left),
        _ => ("deadline-late", deadline.days_late()),
    };
    crate::i18n::text_with(ui.language(), id, &[("date", date.into()), ("days", FluentValue::from(days))])
}

/// A submitted report waiting for review, as the Secretariat's dashboard lists it.
struct ReviewLine {
    href: String,
    label: String,
    since: String,
}

/// A Party past the deadline, as the Secretariat's dashboard lists it.
struct OverdueLine {
    href: String,
    label: String,
    late: String,
}

/// Where to continue on a report, as a link.
pub(crate) struct ContinueLink {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "app/dashboard.html")]
struct Dashboard<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    reports: Vec<ReportLine>,
    cycles: Vec<qpr_store::Cycle>,
    /// The Secretariat's: submitted reports to review.
    to_review: Vec<ReviewLine>,
    /// The Secretariat's: Parties past the deadline.
    overdue: Vec<OverdueLine>,
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
        let today = todo::today();
        let mut reports = Vec::new();
        for report in state.store.reports().await?.into_iter().filter(|r| parties.contains(&r.party_iso3.as_str())) {
            let percent = validate::overall(&completeness(&state, &report).await?).percent();
            let deadline = todo::report_deadline(&state.workflow, &report, today).await?;
            reports.push(ReportLine {
                late: deadline.as_ref().is_some_and(DeadlineStatus::is_past),
                deadline: deadline.map(|d| deadline_text(&ui, &d)),
                iso3: report.party_iso3,
                party: report.party_name,
                year: report.year,
                state: report.state,
                percent,
            });
        }
        reports.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.iso3.cmp(&b.iso3)));
        let (cycles, to_review, overdue) = if signed_in.user.is_secretariat {
            let waiting = todo::secretariat_todo(&state.workflow, today).await?;
            let label = |party: &str, year: i32| format!("{party} {year}");
            let to_review = waiting
                .to_review
                .iter()
                .map(|r| ReviewLine {
                    href: ui.href(format!("/app/reports/{}/{}/review", r.iso3, r.year)),
                    label: label(&r.party, r.year),
                    since: ui.ts("todo-submitted-on", "date", ui.date(&r.since)),
                })
                .collect();
            let overdue = waiting
                .overdue
                .iter()
                .map(|o| OverdueLine {
                    href: ui.href(format!("/app/reports/{}/{}", o.iso3, o.year)),
                    label: label(&o.party, o.year),
                    late: deadline_text(&ui, &o.deadline),
                })
                .collect();
            (state.store.cycles().await?, to_review, overdue)
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        let page = Dashboard { lang: ui.lang(), ui: &ui, chrome: &chrome, reports, cycles, to_review, overdue };
        Ok(private_page(&page, cookie))
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
    /// The open comments on its fields, when the report was sent back for changes.
    pub open_comments: Option<usize>,
}

/// The Secretariat's request for changes, as the overview shows it.
pub(crate) struct ReturnedView {
    /// Who asked and when, in words.
    pub by: String,
    pub message: String,
    /// Open comments, all sections together.
    pub open: usize,
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
    /// The deadline and the days left, while the report is to be submitted.
    deadline: Option<String>,
    /// Where the viewer continues, when they may edit a section that needs it.
    resume: Option<ContinueLink>,
    /// The workbook: `Some(may upload)` when the viewer may download it.
    workbook: Option<bool>,
    /// The Secretariat's request, when the report was sent back for changes.
    returned: Option<ReturnedView>,
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
    let threads = if report.state == ReportState::ChangesRequested && comments::may_comment(&access) {
        comments::threads(&state.store, &report, None).await?
    } else {
        Vec::new()
    };
    let returned = comments::returned(&report, framework, &document, &threads);
    let sections: Vec<SectionLine> = framework
        .sections
        .iter()
        .filter(|s| access.can_see_section(&s.id))
        .map(|s| SectionLine {
            id: s.id.clone(),
            title: ui.local(&s.heading).to_owned(),
            percent: done.iter().find(|c| c.section == s.id).map_or(100, SectionCompleteness::percent),
            editable: editable_state && access.can_edit_section(&s.id),
            open_comments: returned.as_ref().map(|r| r.open_in(&s.id)),
        })
        .collect();
    let returned = returned.map(|r| ReturnedView {
        by: crate::i18n::text_with(
            ui.language(),
            "returned-by",
            &[
                ("name", FluentValue::from(r.request.author.clone())),
                ("date", FluentValue::from(ui.date(&r.request.comment.created_at))),
            ],
        ),
        message: r.request.comment.body.clone(),
        open: r.open(),
    });
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
    let deadline = todo::report_deadline(&state.workflow, &report, todo::today()).await?.map(|d| deadline_text(ui, &d));
    let resume = if editable_state && access != ReportAccess::Secretariat {
        let last = todo::last_edited_section(&state.workflow, &report, &signed_in.actor()).await?;
        let may_edit = |id: &str| access.can_edit_section(id);
        todo::continue_at(&done, last.as_deref(), may_edit).and_then(|next| {
            let line = sections.iter().find(|s| s.id == next.section)?;
            let id = match next.reason {
                todo::ContinueReason::LastEdited => "continue-last-edited",
                todo::ContinueReason::FirstIncomplete => "continue-first-incomplete",
            };
            Some(ContinueLink {
                href: ui.href(format!(
                    "/app/reports/{}/{}/sections/{}",
                    report.party_iso3,
                    report.year,
                    line.id.replace('_', "-")
                )),
                label: ui.ts(id, "section", &line.title),
            })
        })
    } else {
        None
    };
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
        deadline,
        resume,
        workbook,
        returned,
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
                let email = super::required(&form, "email", qpr_workflow::Field::Email)?;
                let sections = fields(&form, "section").map(str::to_owned).collect();
                let invitee = (email, field(&form, "name").unwrap_or_default());
                let user =
                    actions::invite_contributor(&state, signed_in, &report, &access, invitee, sections, ui.language())
                        .await?;
                ui.ts("members-invited", "email", user.email)
            }
            Some("remove") => {
                let user = field(&form, "user").and_then(|u| u.parse().ok()).ok_or_else(|| {
                    let value = field(&form, "user").unwrap_or_default().to_owned();
                    qpr_workflow::Invalid::new(qpr_workflow::Field::User, qpr_workflow::Problem::NotANumber { value })
                })?;
                actions::remove_member(&state, signed_in, &report, &access, user).await?;
                return Ok(see_other(&ui.href(format!("/app/reports/{}/{}", report.party_iso3, report.year))));
            }
            other => {
                let value = other.unwrap_or_default().to_owned();
                return Err(qpr_workflow::Invalid::new(
                    qpr_workflow::Field::Action,
                    qpr_workflow::Problem::Unknown { value },
                )
                .into());
            }
        };
        render_overview(&state, &viewer, &ui, &key, Some(notice)).await
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
