//! The form as a workbook (`qpr-workbook`): who may download a report's or a CSO's workbook,
//! and a filled one back as one save. A report's workbook is read over the revision it was
//! made from and saved on that revision, so the store merges it with what others saved since
//! or reports a conflict per field with both values, exactly as autosave; every section it
//! changes must be the uploader's. A CSO's form keeps no revisions: its workbook is applied
//! over the form as it is, as the form's own page does.

use qpr_domain::ReportDocument;
use qpr_editor::{CsoSubmission, Lookup, Words};
use qpr_store::{Invitation, RevisionId, StoreError, StoredReport};
pub use qpr_workbook::{Change, Limits, Problem, ProblemKind};
use qpr_workbook::{Filled, Upload};

use crate::access::ReportAccess;
use crate::auth::SignedIn;
use crate::editing::Saved;
use crate::{Workflow, WorkflowError};

/// A report's workbook read back: what saving it would change.
#[derive(Debug, Clone)]
pub struct ReportUpload {
    /// The revision the workbook was made from: the base of its save.
    pub base: RevisionId,
    /// The document with every cell applied.
    pub document: ReportDocument,
    /// Every change by field (old → new).
    pub changes: Vec<Change>,
    /// The framework sections it changes.
    pub sections: Vec<String>,
}

/// Whether the viewer may download the report's workbook: it holds every section, so who may
/// see every section of the form.
pub fn may_download(workflow: &Workflow, report: &StoredReport, access: &ReportAccess) -> Result<(), WorkflowError> {
    let framework = workflow.framework(&report.framework)?;
    if framework.sections.iter().all(|s| access.can_see_section(&s.id)) {
        Ok(())
    } else {
        Err(WorkflowError::Forbidden)
    }
}

/// The report's current revision as a workbook, labelled in the language of `words`.
pub async fn report_workbook(
    workflow: &Workflow,
    (report, access): (&StoredReport, &ReportAccess),
    words: Words,
) -> Result<Vec<u8>, WorkflowError> {
    may_download(workflow, report, access)?;
    let revision = report.current_revision.ok_or(WorkflowError::NotFound)?;
    let (_, document) = workflow.store.revision(revision).await?;
    let framework = workflow.framework(&report.framework)?;
    qpr_workbook::report_workbook(framework, &document, revision.get(), words)
        .map_err(|e| WorkflowError::Internal(e.to_string()))
}

/// Reads an uploaded workbook of the report: `Ok(Err(problems))` for a workbook that cannot
/// be taken (another report's, a changed structure, a value that does not fit, a section the
/// viewer may not change), each at its sheet and cell; nothing is saved either way.
pub async fn read_report_upload(
    workflow: &Workflow,
    (report, access): (&StoredReport, &ReportAccess),
    bytes: &[u8],
    lookup: Lookup,
) -> Result<Result<ReportUpload, Vec<Problem>>, WorkflowError> {
    if !report.state.is_editable() {
        return Err(WorkflowError::NotEditable(report.state));
    }
    let framework = workflow.framework(&report.framework)?;
    let upload = match qpr_workbook::open(bytes, &Limits::default()) {
        Ok(upload) => upload,
        Err(problems) => return Ok(Err(problems)),
    };
    let revision = match upload.report_revision(&report.party_iso3, report.year, &framework.id) {
        Ok(revision) => RevisionId::new(revision),
        Err(problems) => return Ok(Err(problems)),
    };
    // A revision of another report is unknown here, as one that does not exist.
    let document = match workflow.store.revision_of_report(report.id, revision).await {
        Ok(_) => workflow.store.revision(revision).await?.1,
        Err(StoreError::NotFound(_)) => {
            return Ok(Err(vec![Problem::file(ProblemKind::UnknownRevision, revision.get().to_string())]));
        }
        Err(error) => return Err(error.into()),
    };
    let filled = match qpr_workbook::read_report(framework, &document, &upload, lookup) {
        Ok(filled) => filled,
        Err(problems) => return Ok(Err(problems)),
    };
    let refused: Vec<Problem> = filled
        .units
        .iter()
        .filter(|section| !access.can_edit_section(section))
        .map(|section| {
            let title = framework.section(section).map_or_else(|| section.clone(), |s| s.heading.en.clone());
            Problem::file(ProblemKind::NotAllowed, title)
        })
        .collect();
    if !refused.is_empty() {
        return Ok(Err(refused));
    }
    let Filled { document, changes, units } = filled;
    Ok(Ok(ReportUpload { base: revision, document, changes, sections: units }))
}

/// Saves a workbook read by [`read_report_upload`] as one save on its base revision: saved,
/// merged with what others saved since, or a conflict per field (nothing saved).
pub async fn save_report_upload(
    workflow: &Workflow,
    signed_in: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    upload: &ReportUpload,
) -> Result<Saved, WorkflowError> {
    if !report.state.is_editable() {
        return Err(WorkflowError::NotEditable(report.state));
    }
    if upload.sections.iter().any(|section| !access.can_edit_section(section)) {
        return Err(WorkflowError::Forbidden);
    }
    if upload.document.party.iso3.as_ref().map(|c| c.as_str()) != Some(report.party_iso3.as_str())
        || upload.document.year != report.year
    {
        return Err(WorkflowError::DocumentOfAnotherReport { party: report.party_iso3.clone(), year: report.year });
    }
    workflow.store.revision_of_report(report.id, upload.base).await?;
    workflow.saved(workflow.store.save(report.id, upload.base, &upload.document, &signed_in.actor()).await)
}

/// A CSO's form as a workbook (the invitation's id in its hidden sheet, never the link).
pub fn cso_workbook(
    workflow: &Workflow,
    (invitation, report): (&Invitation, &StoredReport),
    words: Words,
) -> Result<Vec<u8>, WorkflowError> {
    let framework = workflow.framework(&report.framework)?;
    let submission = cso_submission(invitation)?;
    qpr_workbook::cso_workbook(framework, &submission, (&report.party_iso3, report.year, invitation.id.get()), words)
        .map_err(|e| WorkflowError::Internal(e.to_string()))
}

fn cso_submission(invitation: &Invitation) -> Result<CsoSubmission, WorkflowError> {
    match invitation.submission.as_deref() {
        None => Ok(CsoSubmission::default()),
        Some(json) => CsoSubmission::from_json(json)
            .map_err(|e| WorkflowError::Internal(format!("stored CSO form {}: {e}", invitation.id))),
    }
}

/// A CSO form's workbook read back: the form as it would be, and its changes.
pub type CsoUpload = (CsoSubmission, Vec<Change>);

/// Reads an uploaded workbook of a CSO's form over the form as it is now: the new form and
/// its changes, or the problems (nothing saved).
pub fn read_cso_upload(
    workflow: &Workflow,
    (invitation, report): (&Invitation, &StoredReport),
    bytes: &[u8],
    lookup: Lookup,
) -> Result<Result<CsoUpload, Vec<Problem>>, WorkflowError> {
    crate::cso::may_change_form(invitation, report)?;
    let framework = workflow.framework(&report.framework)?;
    let upload: Upload = match qpr_workbook::open(bytes, &Limits::default()) {
        Ok(upload) => upload,
        Err(problems) => return Ok(Err(problems)),
    };
    if let Err(problems) = upload.expect_cso(&report.party_iso3, report.year, &framework.id, invitation.id.get()) {
        return Ok(Err(problems));
    }
    let current = cso_submission(invitation)?;
    Ok(qpr_workbook::read_cso(framework, &current, &upload, lookup).map(|filled| (filled.document, filled.changes)))
}
