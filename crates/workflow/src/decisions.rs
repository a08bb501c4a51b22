//! The decisions on a submitted report: the Secretariat requests changes, accepts, publishes
//! or withdraws it; the Party recalls its submission before the review starts. Each moves the
//! report from some states to one (the store checks the move under the report's lock), and
//! the people concerned are told once it is committed.

use qpr_store::{ReportState, Store, StoredReport};

use crate::access::ReportAccess;
use crate::auth::SignedIn;
use crate::{Field, Invalid, Problem, Workflow, WorkflowError, notify};

/// A decision on a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The Secretariat sends the report back to the Party, with a message.
    RequestChanges,
    /// The Secretariat accepts the report.
    Accept,
    /// The Secretariat publishes the accepted report.
    Publish,
    /// The Secretariat takes a published report off the public site.
    Withdraw,
    /// The Party takes its submission back, before the review starts.
    Recall,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 5] =
        [Decision::RequestChanges, Decision::Accept, Decision::Publish, Decision::Withdraw, Decision::Recall];

    /// The name forms, the API and the audit log use.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::RequestChanges => "request_changes",
            Decision::Accept => "accept",
            Decision::Publish => "publish",
            Decision::Withdraw => "withdraw",
            Decision::Recall => "recall",
        }
    }

    /// The decision named `name`, or a refusal of the `Decision` field.
    pub fn parse(name: &str) -> Result<Decision, WorkflowError> {
        Decision::ALL
            .into_iter()
            .find(|decision| decision.as_str() == name)
            .ok_or_else(|| Invalid::new(Field::Decision, Problem::Unknown { value: name.to_owned() }).into())
    }

    /// The states the report may be in when the decision is taken.
    pub fn from_states(self) -> &'static [ReportState] {
        match self {
            Decision::RequestChanges | Decision::Accept | Decision::Recall => &[ReportState::Submitted],
            Decision::Publish => &[ReportState::Accepted],
            Decision::Withdraw => &[ReportState::Published],
        }
    }

    /// The state the decision moves the report to.
    pub fn to_state(self) -> ReportState {
        match self {
            Decision::RequestChanges => ReportState::ChangesRequested,
            Decision::Accept | Decision::Withdraw => ReportState::Accepted,
            Decision::Publish => ReportState::Published,
            Decision::Recall => ReportState::Draft,
        }
    }

    /// Whether only the Secretariat takes it (else the Party's focal point does).
    pub fn secretariat_only(self) -> bool {
        self != Decision::Recall
    }

    /// Whether it takes a message (what the Party should change).
    pub fn needs_message(self) -> bool {
        self == Decision::RequestChanges
    }

    /// Whether the person must confirm it first: accepting, publishing and withdrawing are
    /// not undone by the Party's next step (a request for changes is answered by the Party, a
    /// recall by signing again).
    pub fn needs_confirmation(self) -> bool {
        matches!(self, Decision::Accept | Decision::Publish | Decision::Withdraw)
    }
}

/// Whether the person taking a decision confirmed it (see [`Decision::needs_confirmation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// They confirmed it (ticked "I confirm" on the page; a call of the API is deliberate).
    Confirmed,
    /// They did not.
    Missing,
}

/// The decisions the viewer may take on the report now, in [`Decision::ALL`]'s order: the
/// Secretariat's from the report's state; the focal point's recall of a submission whose
/// review has not started.
pub async fn available(
    store: &Store,
    report: &StoredReport,
    access: &ReportAccess,
) -> Result<Vec<Decision>, WorkflowError> {
    let mut decisions = Vec::new();
    for decision in Decision::ALL {
        if !decision.from_states().contains(&report.state) {
            continue;
        }
        let allowed = if decision.secretariat_only() {
            *access == ReportAccess::Secretariat
        } else {
            access.can_manage() && !review_started(store, report).await?
        };
        if allowed {
            decisions.push(decision);
        }
    }
    Ok(decisions)
}

/// A decision read straight from a form or a JSON body, by its name; an unknown name is refused
/// as [`Decision::parse`] refuses it.
impl<'de> serde::Deserialize<'de> for Decision {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decision, D::Error> {
        let name = String::deserialize(deserializer)?;
        Decision::parse(&name).map_err(serde::de::Error::custom)
    }
}

/// Whether the Secretariat has started the review of the submission: it commented on it.
pub async fn review_started(store: &Store, report: &StoredReport) -> Result<bool, WorkflowError> {
    let Some(submitted) = report.submitted_revision else { return Ok(false) };
    let comments = store.comments(report.id).await?;
    // Each author once, however many comments they wrote.
    let authors: std::collections::BTreeSet<qpr_store::UserId> =
        comments.iter().filter(|c| c.revision_id >= submitted).map(|c| c.author_id).collect();
    for author in authors {
        if store.user(author).await?.is_secretariat {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Takes `decision` on `report` (`RequestChanges` needs a `message`, which becomes a comment on
/// the report as a whole, so the Party sees it with the field comments; `Accept`, `Publish` and
/// `Withdraw` need a [`Confirmation`]), then tells the people concerned. Returns the report as
/// it is now. A refusal changes nothing.
pub async fn decide(
    workflow: &Workflow,
    signed_in: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    (decision, confirmation): (Decision, Confirmation),
    message: &str,
) -> Result<StoredReport, WorkflowError> {
    let secretariat = decision.secretariat_only();
    if secretariat && *access != ReportAccess::Secretariat || !secretariat && !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    if decision.needs_confirmation() && confirmation == Confirmation::Missing {
        return Err(WorkflowError::NotConfirmed(decision));
    }
    if decision == Decision::Recall && review_started(&workflow.store, report).await? {
        return Err(WorkflowError::ReviewStarted);
    }
    let message = message.trim();
    if decision == Decision::RequestChanges && message.is_empty() {
        return Err(Invalid::new(Field::Message, Problem::ChangesUnsaid).into());
    }
    let details = serde_json::json!({"decision": decision.as_str(), "message": message});
    let report = workflow
        .store
        .transition(report.id, decision.from_states(), decision.to_state(), &signed_in.actor(), details)
        .await?;
    match decision {
        Decision::RequestChanges => {
            let revision = report
                .submitted_revision
                .or(report.current_revision)
                .ok_or_else(|| WorkflowError::Internal("no revision".into()))?;
            workflow
                .store
                .add_comment(
                    report.id,
                    revision,
                    crate::comments::CHANGES_REQUESTED_PATH,
                    None,
                    signed_in.user.id,
                    message,
                )
                .await?;
            notify::changes_requested(workflow, &report, message).await;
        }
        Decision::Accept => {
            notify::report_accepted(workflow, &report).await;
        }
        Decision::Publish => {
            notify::report_published(workflow, &report).await;
        }
        Decision::Withdraw | Decision::Recall => {}
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_decision_has_its_name_and_its_moves() {
        for decision in Decision::ALL {
            assert_eq!(Decision::parse(decision.as_str()).unwrap(), decision);
            assert!(!decision.from_states().contains(&decision.to_state()), "{decision:?}");
        }
        let unknown = Decision::parse("approve").unwrap_err();
        assert_eq!(unknown.to_string(), "Decision: `approve` is not one of the values this field takes.");
        assert_eq!(Decision::Recall.to_state(), ReportState::Draft);
        assert!(!Decision::Recall.secretariat_only() && Decision::Withdraw.secretariat_only());
        assert_eq!(
            Decision::ALL.into_iter().filter(|d| d.needs_message()).collect::<Vec<_>>(),
            [Decision::RequestChanges]
        );
        assert_eq!(serde_json::from_str::<Decision>(r#""request_changes""#).unwrap(), Decision::RequestChanges);
        let unknown = serde_json::from_str::<Decision>(r#""approve""#).unwrap_err().to_string();
        assert!(unknown.contains("`approve` is not one of the values this field takes"), "{unknown}");
    }

    #[test]
    fn accepting_publishing_and_withdrawing_need_a_confirmation() {
        assert_eq!(
            Decision::ALL.into_iter().filter(|d| d.needs_confirmation()).collect::<Vec<_>>(),
            [Decision::Accept, Decision::Publish, Decision::Withdraw]
        );
        let refusal = WorkflowError::NotConfirmed(Decision::Publish);
        assert!(refusal.is_refusal() && !refusal.is_state_refusal(), "told in the page's language, as a 422");
        assert_eq!(refusal.args(), vec![("decision", "publish".to_owned())]);
    }
}
