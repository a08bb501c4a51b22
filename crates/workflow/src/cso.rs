//! Civil society input: the focal point invites a CSO (a link whose secret is stored hashed,
//! e-mailed when an address is given) and ends a link; the CSO saves and submits its form
//! while the report is drafted (the caller's form engine turns a post into the submission's
//! JSON); the focal point includes each submitted measure in the report or not (a copy in the
//! report's CSO measures, saved together with the decision).

use std::collections::BTreeMap;

use qpr_domain::ReportDocument;
use qpr_domain::document::CsoMeasure;
use qpr_domain::framework::{Framework, QuestionRole};
use qpr_domain::text::Lang;
use qpr_mail::Mail;
use qpr_store::{CsoDecision, Invitation, InvitationId, RevisionId, StoredReport, Timestamp};
use serde::{Deserialize, Serialize};

use crate::access::ReportAccess;
use crate::auth::{SignedIn, random_token};
use crate::messages as i18n;
use crate::{Field, Invalid, Problem, Workflow, WorkflowError};

/// How long a CSO link works when the report's cycle gives no deadline.
const LINK_DAYS: i64 = 120;

/// Invites a CSO to the report; returns the link (shown once to the focal point, and e-mailed,
/// in `lang`, when an address is given).
pub async fn invite(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    (organization, email): (&str, Option<&str>),
    lang: Lang,
) -> Result<String, WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    if !report.state.is_editable() {
        return Err(WorkflowError::CsoInvitationsClosed);
    }
    let organization = organization.trim();
    if organization.is_empty() || organization.chars().count() > 300 {
        return Err(Invalid::new(Field::Organization, Problem::Length { max: 300 }).into());
    }
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    if let Some(address) = email
        && (!address.contains('@') || address.contains(char::is_whitespace))
    {
        return Err(Invalid::new(Field::Email, Problem::NotAnEmail { value: address.to_owned() }).into());
    }
    let token = random_token()?;
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(LINK_DAYS);
    let expires = Timestamp::from_instant(expires);
    workflow.store.create_invitation(report.id, organization, email, &token, &expires, Some(viewer.user.id)).await?;
    let link = format!("{}{}{token}", workflow.public_url, crate::CSO_LINK_PATH);
    if let Some(address) = email {
        let args = [
            ("party", report.party_name.clone().into()),
            ("organization", organization.to_owned().into()),
            ("link", link.clone().into()),
        ];
        let mail = Mail {
            to: address.to_owned(),
            subject: i18n::text_with(lang, "mail-cso-subject", &args),
            body: i18n::text_with(lang, "mail-cso-body", &args),
        };
        workflow.mailer.send(&mail).await.map_err(|e| WorkflowError::MailNotSent {
            to: address.to_owned(),
            reason: e.to_string(),
            link: Some(link.clone()),
        })?;
    }
    Ok(link)
}

/// Ends a CSO's link (the focal point).
pub async fn revoke(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    invitation: InvitationId,
) -> Result<(), WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    Ok(workflow.store.revoke_invitation(report.id, invitation, &viewer.actor()).await?)
}

/// Where a CSO's invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Invited; nothing saved yet.
    Invited,
    /// Started (saved), not submitted.
    Saved,
    /// Submitted: final.
    Submitted,
    /// The link was revoked or expired before a submission.
    Closed,
}

impl InvitationStatus {
    /// Every status, in the order of an invitation's life.
    pub const ALL: [InvitationStatus; 4] =
        [InvitationStatus::Invited, InvitationStatus::Saved, InvitationStatus::Submitted, InvitationStatus::Closed];

    /// Where `invitation` stands.
    pub fn of(invitation: &Invitation) -> InvitationStatus {
        match (&invitation.submitted_at, &invitation.submission) {
            (Some(_), _) => InvitationStatus::Submitted,
            (None, _) if !invitation.link_works() => InvitationStatus::Closed,
            (None, Some(_)) => InvitationStatus::Saved,
            (None, None) => InvitationStatus::Invited,
        }
    }

    /// The name pages and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Invited => "invited",
            InvitationStatus::Saved => "saved",
            InvitationStatus::Submitted => "submitted",
            InvitationStatus::Closed => "closed",
        }
    }
}

/// The measures of a CSO's stored form (its `measures`, the same record as the report's CSO
/// measures); none before anything was saved.
pub fn measures_of(invitation: &Invitation) -> Result<Vec<CsoMeasure>, WorkflowError> {
    #[derive(Deserialize)]
    struct Stored {
        #[serde(default)]
        measures: Vec<CsoMeasure>,
    }
    match &invitation.submission {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str::<Stored>(json)
            .map(|stored| stored.measures)
            .map_err(|e| WorkflowError::Internal(format!("stored CSO form {}: {e}", invitation.id))),
    }
}

/// What a CSO's form starts with before its first save: the organization's name and the e-mail
/// address the invitation gives, as the answers of the form's questions with those roles.
pub fn starting_answers(framework: &Framework, invitation: &Invitation) -> BTreeMap<String, serde_json::Value> {
    let known = [
        (QuestionRole::CsoOrganization, Some(&invitation.organization)),
        (QuestionRole::CsoEmail, invitation.email.as_ref()),
    ];
    known
        .into_iter()
        .filter_map(|(role, value)| {
            let question = framework.cso_question_with_role(role)?;
            let value = value.map(|v| v.trim()).filter(|v| !v.is_empty())?;
            Some((question.id.clone(), serde_json::Value::String(value.to_owned())))
        })
        .collect()
}

/// Whether the viewer may see the invitations of a report: its focal point, and the
/// Secretariat (reading).
pub fn may_see_invitations(access: &ReportAccess) -> Result<(), WorkflowError> {
    if access.can_manage() || *access == ReportAccess::Secretariat { Ok(()) } else { Err(WorkflowError::Forbidden) }
}

/// The CSO form a link opens: its invitation and report ("not found" for a link that does not
/// work).
pub async fn open_form(workflow: &Workflow, token: &str) -> Result<(Invitation, StoredReport), WorkflowError> {
    let invitation = workflow.store.invitation_by_token(token).await?.ok_or(WorkflowError::NotFound)?;
    let report = workflow.store.report(invitation.report_id).await?;
    Ok((invitation, report))
}

/// Whether the CSO may still change its form: not submitted yet, and the report still drafted.
pub fn may_change_form(invitation: &Invitation, report: &StoredReport) -> Result<(), WorkflowError> {
    if invitation.submitted_at.is_some() {
        return Err(WorkflowError::CsoFormSubmitted);
    }
    if !report.state.is_editable() {
        return Err(WorkflowError::CsoFormClosed);
    }
    Ok(())
}

/// Keeps the CSO's form (`submission`: its JSON, as the form engine made it); `submit` also
/// submits it (final). Returns where the invitation stands now.
pub async fn save_form(
    workflow: &Workflow,
    (invitation, report): (&Invitation, &StoredReport),
    submission: &str,
    submit: bool,
) -> Result<InvitationStatus, WorkflowError> {
    may_change_form(invitation, report)?;
    workflow.store.save_invitation_answers(invitation.id, submission, submit).await?;
    Ok(if submit { InvitationStatus::Submitted } else { InvitationStatus::Saved })
}

/// The key of a copied measure's origin in its `extra` map: the invitation it came from.
pub const SOURCE_KEY: &str = "cso_invitation";

/// The focal point includes a submitted CSO measure in the report (a copy in its CSO measures)
/// or takes it out; the report and the decision are saved in one transaction (a refused
/// decision saves nothing). Returns the report's new revision.
pub async fn decide_measure(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    (invitation, measure): (InvitationId, &str),
    included: bool,
) -> Result<RevisionId, WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    let stored = workflow.store.invitation(invitation).await?;
    if stored.report_id != report.id {
        return Err(WorkflowError::NotFound);
    }
    if stored.submitted_at.is_none() {
        return Err(WorkflowError::CsoNotSubmitted);
    }
    let measures = measures_of(&stored)?;
    let chosen = measures.iter().find(|m| m.id == measure).ok_or(WorkflowError::NotFound)?;
    let base = report
        .current_revision
        .ok_or_else(|| WorkflowError::Internal(format!("report {} has no revision", report.id)))?;
    let (_, mut document) = workflow.store.revision(base).await?;
    with_decision(&mut document, invitation, chosen, included);
    let decision = CsoDecision { invitation, measure: measure.to_owned(), included };
    let outcome = workflow.store.save_with_cso_decision(report.id, base, &document, &viewer.actor(), &decision).await?;
    Ok(outcome.revision())
}

/// The document with `measure` of `invitation` in its CSO measures, or without it.
fn with_decision(document: &mut ReportDocument, invitation: InvitationId, measure: &CsoMeasure, included: bool) {
    let copy_id = format!("{}-{}", invitation, measure.id);
    document.cso_measures.retain(|m| m.id != copy_id);
    if included {
        let mut copy = measure.clone();
        copy.id = copy_id;
        copy.extra.insert(SOURCE_KEY.to_owned(), serde_json::json!(invitation));
        document.cso_measures.push(copy);
    }
}

#[cfg(test)]
mod tests {
    use qpr_domain::countries::Iso3;
    use qpr_domain::document::PartyRef;

    use super::*;

    fn invitation(submission: Option<&str>, submitted: bool, expires_at: &str) -> Invitation {
        Invitation {
            id: InvitationId::new(4),
            report_id: qpr_store::ReportId::new(1),
            email: None,
            organization: "Arts".into(),
            expires_at: expires_at.parse().unwrap(),
            submitted_at: submitted.then(|| "2026-01-01T00:00:00Z".parse().unwrap()),
            submission: submission.map(str::to_owned),
            decisions: Default::default(),
        }
    }

    #[test]
    fn an_invitation_goes_from_invited_to_saved_to_submitted_or_closed() {
        let later = "2999-01-01T00:00:00Z";
        assert_eq!(InvitationStatus::of(&invitation(None, false, later)), InvitationStatus::Invited);
        assert_eq!(InvitationStatus::of(&invitation(Some("{}"), false, later)), InvitationStatus::Saved);
        assert_eq!(
            InvitationStatus::of(&invitation(Some("{}"), true, "2000-01-01T00:00:00Z")),
            InvitationStatus::Submitted
        );
        assert_eq!(
            InvitationStatus::of(&invitation(Some("{}"), false, "2000-01-01T00:00:00Z")),
            InvitationStatus::Closed
        );
        assert_eq!(
            serde_json::to_value(InvitationStatus::Saved).unwrap(),
            serde_json::json!(InvitationStatus::Saved.as_str())
        );
    }

    #[test]
    fn an_included_measure_is_a_copy_named_after_its_invitation_and_excluding_takes_it_out() {
        let stored = invitation(
            Some(r#"{"answers": {}, "measures": [{"id": "m1", "goal": 2, "title": "Fund"}]}"#),
            true,
            "2999-01-01T00:00:00Z",
        );
        let measures = measures_of(&stored).unwrap();
        let party = PartyRef { name: "Azerbaijan".into(), iso3: Some(Iso3::parse("AZE").unwrap()) };
        let mut document = ReportDocument::new("qpr-2020", party, 2026);
        with_decision(&mut document, InvitationId::new(4), &measures[0], true);
        with_decision(&mut document, InvitationId::new(4), &measures[0], true);
        assert_eq!(document.cso_measures.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["4-m1"]);
        assert_eq!(document.cso_measures[0].extra.get(SOURCE_KEY), Some(&serde_json::json!(4)));
        with_decision(&mut document, InvitationId::new(4), &measures[0], false);
        assert!(document.cso_measures.is_empty());
        assert!(measures_of(&invitation(Some("not json"), true, "2999-01-01T00:00:00Z")).is_err());
    }
}
