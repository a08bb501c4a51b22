//! Signing and submitting a report: the focal point confirms with their password, names the
//! official, and the current revision (with the official and the date saved into it) is signed
//! with the platform key (`qpr-signature`); the signature and the move to `submitted` are
//! stored together, then the Secretariat is told.

use std::net::IpAddr;

use qpr_domain::ReportDocument;
use qpr_domain::framework::{Framework, Question, QuestionRole};
use qpr_domain::validate::{self, MissingAnswer, Severity};
use qpr_signature::{Official, ReportRef, SignatureMeta, Signer};
use qpr_store::{ReportState, RevisionId, SaveOutcome, StoredReport};
use serde_json::Value;

use crate::access::ReportAccess;
use crate::auth::{self, LoginThrottle, SignedIn};
use crate::{Workflow, WorkflowError, notify};

/// The questions of the designated official in `framework`, found by their roles, in the
/// order of [`QuestionRole::SIGNATORY`].
pub fn official_questions(framework: &Framework) -> Vec<(QuestionRole, &Question)> {
    QuestionRole::SIGNATORY
        .into_iter()
        .filter_map(|role| framework.question_with_role(role).map(|q| (role, q)))
        .collect()
}

/// A question of `framework` the workflow needs, by its role.
fn question_for(framework: &Framework, role: QuestionRole) -> Result<&Question, WorkflowError> {
    framework.question_with_role(role).ok_or_else(|| {
        WorkflowError::Internal(format!("framework `{}` has no question with the role {role:?}", framework.id))
    })
}

/// Why a submission did not go through, that the person signing can fix on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitRefusal {
    /// The password is not theirs.
    WrongPassword,
    /// A field of the official is empty (its question id).
    OfficialMissing(String),
    /// Required questions that apply are unanswered (see [`unanswered`]), in the form's order.
    RequiredMissing(Vec<MissingAnswer>),
    /// The report still has errors.
    ErrorsLeft,
    /// Someone saved while the focal point read the summary: what would be signed is not what
    /// they read. The merge is kept as a draft; they review it and sign again.
    Merged,
}

impl SubmitRefusal {
    /// A stable code: `password`, `official:<field id>`, `required`, `errors`, `merged`.
    pub fn code(&self) -> String {
        match self {
            SubmitRefusal::WrongPassword => "password".into(),
            SubmitRefusal::OfficialMissing(id) => format!("official:{id}"),
            SubmitRefusal::RequiredMissing(_) => "required".into(),
            SubmitRefusal::ErrorsLeft => "errors".into(),
            SubmitRefusal::Merged => "merged".into(),
        }
    }
}

/// The required questions of `document` left unanswered, as submission checks them: every
/// question the framework marks `required` that applies (a `NO` hides its follow-ups), except
/// those the signing itself answers (the official and the date, found by their role).
pub fn unanswered(framework: &Framework, document: &ReportDocument) -> Vec<MissingAnswer> {
    validate::missing_required(framework, document)
        .into_iter()
        .filter(|missing| {
            framework.question(&missing.question).is_none_or(|q| !q.role.is_some_and(QuestionRole::answered_at_signing))
        })
        .collect()
}

/// A submission that did not go through.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Something the person can fix on the form.
    #[error("not submitted: {}", .0.code())]
    Refused(SubmitRefusal),
    /// Anything else (not theirs, not submittable now, too many attempts, a fault).
    #[error(transparent)]
    Failed(#[from] WorkflowError),
}

impl From<qpr_store::StoreError> for SubmitError {
    fn from(error: qpr_store::StoreError) -> SubmitError {
        SubmitError::Failed(error.into())
    }
}

/// The current revision and document of a report the viewer may submit now: the focal point's,
/// editable.
pub async fn submittable(
    workflow: &Workflow,
    report: &StoredReport,
    access: &ReportAccess,
) -> Result<(RevisionId, ReportDocument), WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    if !report.state.is_editable() {
        return Err(WorkflowError::NotSubmittable(report.state));
    }
    let revision = report.current_revision.ok_or_else(|| WorkflowError::Internal("report without revision".into()))?;
    let (_, document) = workflow.store.revision(revision).await?;
    Ok((revision, document))
}

/// The signature the review page shows: that of the submitted revision, unless the Party has
/// taken the report back and changed it since (a draft whose text is no longer the signed one).
pub async fn shown_signature(
    workflow: &Workflow,
    report: &StoredReport,
) -> Result<Option<qpr_store::StoredSignature>, WorkflowError> {
    match report.submitted_revision {
        Some(submitted) if report.state != ReportState::Draft || report.current_revision == Some(submitted) => {
            Ok(workflow.store.signature(submitted).await?)
        }
        _ => Ok(None),
    }
}

/// What the signer typed besides the report: the official (by the roles of their questions),
/// their password, and where they are (for the login throttle).
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    /// The official's answers.
    pub official: &'a [(QuestionRole, String)],
    /// The signer's password.
    pub password: &'a str,
    /// The client's address.
    pub client: Option<IpAddr>,
}

/// Signs and submits the current revision of a report with the official named, after checking
/// the focal point's password (counted by `throttle`, as logins are). Returns the submitted
/// report.
pub async fn submit(
    workflow: &Workflow,
    throttle: &LoginThrottle,
    signed_in: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    signing: Signing<'_>,
) -> Result<StoredReport, SubmitError> {
    let Signing { official, password, client } = signing;
    let (revision, mut document) = submittable(workflow, report, access).await?;
    let email = &signed_in.user.email;
    if !throttle.allows(email, client).await? {
        return Err(WorkflowError::TooManyAttempts.into());
    }
    let verified = match signed_in.user.password_hash.clone() {
        Some(hash) => auth::password_matches(password.to_owned(), hash).await,
        None => false,
    };
    if !verified {
        throttle.failed(email, client).await?;
        return Err(SubmitError::Refused(SubmitRefusal::WrongPassword));
    }
    let framework = workflow.framework(&report.framework)?;
    for role in QuestionRole::SIGNATORY {
        let question = question_for(framework, role)?;
        match official.iter().find(|(r, _)| *r == role) {
            Some((_, value)) if !value.is_empty() => {
                document.answers.insert(question.id.clone(), Value::String(value.clone()));
            }
            _ => return Err(SubmitError::Refused(SubmitRefusal::OfficialMissing(question.id.clone()))),
        }
    }
    let today = time::OffsetDateTime::now_utc().date().to_string();
    document.answers.insert(question_for(framework, QuestionRole::SubmissionDate)?.id.clone(), Value::String(today));
    let missing = unanswered(framework, &document);
    if !missing.is_empty() {
        return Err(SubmitError::Refused(SubmitRefusal::RequiredMissing(missing)));
    }
    if validate::validate(framework, &document).iter().any(|f| f.severity == Severity::Error) {
        return Err(SubmitError::Refused(SubmitRefusal::ErrorsLeft));
    }
    let signed_revision = match workflow.store.save(report.id, revision, &document, &signed_in.actor()).await? {
        SaveOutcome::Saved { revision } => revision,
        SaveOutcome::Merged { .. } => return Err(SubmitError::Refused(SubmitRefusal::Merged)),
    };
    let value =
        serde_json::to_value(&document).map_err(|e| WorkflowError::Internal(format!("document to JSON: {e}")))?;
    let value_of =
        |role: QuestionRole| official.iter().find(|(r, _)| *r == role).map(|(_, v)| v.clone()).unwrap_or_default();
    let meta = SignatureMeta {
        report: ReportRef { party: report.party_iso3.clone(), year: report.year, revision: signed_revision.get() },
        signer: Signer {
            user: email.clone(),
            official: Official {
                title: value_of(QuestionRole::SignatoryTitle),
                first_name: value_of(QuestionRole::SignatoryFirstName),
                last_name: value_of(QuestionRole::SignatoryFamilyName),
                organization: value_of(QuestionRole::SignatoryOrganization),
                position: value_of(QuestionRole::SignatoryPosition),
            },
        },
        signed_at: time::OffsetDateTime::now_utc(),
    };
    let key = workflow
        .signing_key
        .as_ref()
        .ok_or_else(|| WorkflowError::Internal("signing: no platform key loaded".into()))?;
    let signed = key.sign_report(&value, meta).map_err(|e| WorkflowError::Internal(format!("signing: {e}")))?;
    let envelope =
        String::from_utf8(signed.envelope_json).map_err(|e| WorkflowError::Internal(format!("envelope: {e}")))?;
    let submitted = workflow.store.submit_signed(report.id, signed_revision, &envelope, &signed_in.actor()).await?;
    throttle.succeeded(email).await?;
    notify::report_submitted(workflow, &submitted, &signed_in.user).await;
    debug_assert_eq!(submitted.state, ReportState::Submitted);
    Ok(submitted)
}
