//! Reporting cycles: opening one (a draft per Party expected, in one transaction) and the
//! status board of its reports.

use qpr_domain::ReportDocument;
use qpr_domain::countries::{self, Iso3};
use qpr_domain::document::PartyRef;
use qpr_domain::framework::{Framework, QuestionRole};
use qpr_domain::text::Lang;
use qpr_domain::validate;
use qpr_store::{Cycle, CycleId, ReportState, Timestamp};
use serde::Serialize;
use serde_json::Value;

use crate::access::require_secretariat;
use crate::auth::SignedIn;
use crate::{Field, Invalid, Problem, Workflow, WorkflowError};

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
        return Err(Invalid::new(Field::Framework, Problem::Unknown { value: framework.to_owned() }).into());
    }
    let expected: Vec<&countries::Country> = if parties.is_empty() {
        countries::all().iter().filter(|c| c.ratification.is_some()).collect()
    } else {
        let mut expected: Vec<&countries::Country> = Vec::with_capacity(parties.len());
        for code in parties {
            // A former code (`EUE`) names the Party it names today; named twice, it is one draft.
            let country = Iso3::from_input(code).ok().and_then(|iso3| countries::by_iso3(iso3.as_str()));
            let country = country
                .ok_or_else(|| Invalid::new(Field::Parties, Problem::NotACountryCode { value: code.clone() }))?;
            if !expected.iter().any(|c| c.iso3 == country.iso3) {
                expected.push(country);
            }
        }
        expected
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
    /// The Party's name, in the board's language (as the report names it for a code the
    /// country list does not know).
    pub party: String,
    /// The Party's UNESCO region (`None` outside the regional groups).
    pub region: Option<countries::Region>,
    /// `not_started`, `in_progress`, `submitted`, `changes_requested`, `accepted`, `published`.
    pub status: &'static str,
    /// Share of applicable questions answered, 0–100.
    pub percent: u8,
    /// Past the deadline and not submitted.
    pub overdue: bool,
    /// When the report last changed.
    pub updated_at: Timestamp,
    /// The Secretariat member assigned to review the report.
    pub reviewer: Option<qpr_store::UserId>,
    /// That member's name.
    pub reviewer_name: Option<String>,
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

/// The status of every report of a cycle, Parties named in `lang`. Completeness is the one
/// stored with each current revision: no document is read (but for a revision of a framework
/// that is not built in, which has none stored).
pub async fn status_board(workflow: &Workflow, cycle: &Cycle, lang: Lang) -> Result<Vec<PartyStatus>, WorkflowError> {
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let reviewers: std::collections::HashMap<qpr_store::UserId, String> = workflow
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.is_secretariat)
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut rows = Vec::new();
    for row in workflow.store.cycle_board(cycle.id).await? {
        let report = row.report;
        let percent = match row.percent {
            Some(percent) => percent,
            None => {
                let revision = report
                    .current_revision
                    .ok_or_else(|| WorkflowError::Internal(format!("report {} has no revision", report.id)))?;
                let (_, document) = workflow.store.revision(revision).await?;
                validate::percent_complete(workflow.framework(&report.framework)?, &document)
            }
        };
        let status = match report.state {
            ReportState::Draft if row.untouched => "not_started",
            ReportState::Draft => "in_progress",
            other => other.as_str(),
        };
        let unsubmitted = report.state.is_editable();
        let country = countries::by_iso3(&report.party_iso3);
        rows.push(PartyStatus {
            party: country.map_or_else(|| report.party_name.clone(), |c| c.name.get(lang).to_owned()),
            region: country.and_then(|c| c.region),
            iso3: report.party_iso3,
            status,
            percent,
            overdue: unsubmitted && cycle.open && today.as_str() > cycle.deadline.as_str(),
            updated_at: report.updated_at,
            reviewer_name: row.reviewer.and_then(|id| reviewers.get(&id).cloned()),
            reviewer: row.reviewer,
        });
    }
    Ok(rows)
}
