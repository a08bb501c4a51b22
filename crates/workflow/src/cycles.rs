//! Reporting cycles: opening one (a draft per Party expected, in one transaction) and the
//! status board of its reports.

use qpr_domain::ReportDocument;
use qpr_domain::countries;
use qpr_domain::document::PartyRef;
use qpr_domain::framework::{Framework, QuestionRole};
use qpr_domain::text::Lang;
use qpr_domain::validate;
use qpr_store::{Cycle, CycleId, ReportState, Timestamp};
use serde::Serialize;
use serde_json::Value;

use crate::access::require_secretariat;
use crate::auth::SignedIn;
use crate::{Workflow, WorkflowError};

/// Opens a reporting cycle with a draft report for each Party expected (every Party to the
/// Convention when `parties` is empty). Returns the cycle's id.
pub async fn open_cycle(
    workflow: &Workflow,
    viewer: &SignedIn,
    (year, framework, deadline): (i32, &str, &str),
    parties: &[String],
) -> Result<CycleId, WorkflowError> {
    require_secretariat(viewer)?;
    if workflow.frameworks.get(framework).is_none() {
        return Err(WorkflowError::Invalid {
            field: "Framework",
            problem: format!("`{framework}` is not a framework this platform knows."),
        });
    }
    let expected: Vec<&countries::Country> = if parties.is_empty() {
        countries::all().iter().filter(|c| c.ratification.is_some()).collect()
    } else {
        parties
            .iter()
            .map(|code| {
                countries::by_iso3(code.trim()).ok_or_else(|| WorkflowError::Invalid {
                    field: "Parties",
                    problem: format!("`{code}` is not a country code."),
                })
            })
            .collect::<Result<_, _>>()?
    };
    let form = workflow.framework(framework)?;
    let drafts: Vec<ReportDocument> = expected.iter().map(|country| new_draft(form, country, year)).collect();
    Ok(workflow.store.open_cycle_with_reports(year, framework, deadline, &drafts, &viewer.actor()).await?)
}

/// A Party's new draft for `year` on `framework`: empty but for what the platform knows, the
/// answers of the questions whose role says so (the Party's name as the country list names it
/// in English, the date its instrument was deposited, `parties.csv`).
pub fn new_draft(framework: &Framework, country: &countries::Country, year: i32) -> ReportDocument {
    let name = country.name.get(Lang::En).to_owned();
    let party = PartyRef { name: name.clone(), iso3: Some(country.iso3.clone()) };
    let mut document = ReportDocument::new(&framework.id, party, year);
    let ratified = country.ratification.as_ref().and_then(|r| r.date.clone());
    for (role, value) in [(QuestionRole::PartyName, Some(name)), (QuestionRole::RatificationDate, ratified)] {
        if let (Some(question), Some(value)) = (framework.question_with_role(role), value) {
            document.answers.insert(question.id.clone(), Value::String(value));
        }
    }
    document
}

/// The cycle of a year.
pub async fn cycle(workflow: &Workflow, year: i32) -> Result<Cycle, WorkflowError> {
    workflow.store.cycles().await?.into_iter().find(|c| c.year == year).ok_or(WorkflowError::NotFound)
}

/// Where a Party's report stands, as the status board shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PartyStatus {
    /// The Party's code.
    pub iso3: String,
    /// The Party's name.
    pub party: String,
    /// `not_started`, `in_progress`, `submitted`, `changes_requested`, `accepted`, `published`.
    pub status: &'static str,
    /// Share of applicable questions answered, 0–100.
    pub percent: u8,
    /// Past the deadline and not submitted.
    pub overdue: bool,
    /// When the report last changed.
    pub updated_at: Timestamp,
}

impl PartyStatus {
    /// The statuses of the board, in the order of a report's life: not started and in
    /// progress (both drafts), then the report's states after the draft.
    pub const STATUSES: [&'static str; 6] = [
        "not_started",
        "in_progress",
        ReportState::Submitted.as_str(),
        ReportState::ChangesRequested.as_str(),
        ReportState::Accepted.as_str(),
        ReportState::Published.as_str(),
    ];
}

/// The status of every report of a cycle.
pub async fn status_board(workflow: &Workflow, cycle: &Cycle) -> Result<Vec<PartyStatus>, WorkflowError> {
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut rows = Vec::new();
    for report in workflow.store.cycle_reports(cycle.id).await? {
        let revision = report
            .current_revision
            .ok_or_else(|| WorkflowError::Internal(format!("report {} has no revision", report.id)))?;
        let (info, document) = workflow.store.revision(revision).await?;
        let framework = workflow.framework(&report.framework)?;
        let percent = validate::overall(&validate::completeness(framework, &document)).percent();
        let status = match report.state {
            ReportState::Draft if info.parent_id.is_none() => "not_started",
            ReportState::Draft => "in_progress",
            other => other.as_str(),
        };
        let unsubmitted = report.state.is_editable();
        rows.push(PartyStatus {
            iso3: report.party_iso3.clone(),
            party: report.party_name.clone(),
            status,
            percent,
            overdue: unsubmitted && cycle.open && today.as_str() > cycle.deadline.as_str(),
            updated_at: report.updated_at.clone(),
        });
    }
    Ok(rows)
}
