//! Saving a report: a section from the editing pages, the whole document from the API. Who
//! may save what, on which revision, and what the store's merge came to, as typed values; the
//! form engine (decoding a post into a document) is the caller's.
//!
//! A save names the revision its author's page or client showed (the base). The store merges
//! it with anything saved since, field by field; the same field changed on both sides is an
//! [`EditConflict`] and nothing is saved.

use std::sync::atomic::{AtomicU64, Ordering};

use qpr_domain::ReportDocument;
use qpr_domain::changes::Conflict;
use qpr_store::{RevisionId, SaveOutcome, StoreError, StoredReport};

use crate::access::ReportAccess;
use crate::auth::SignedIn;
use crate::{Workflow, WorkflowError};

/// A save that was not made because others changed the same fields since its base.
#[derive(Debug, Clone, PartialEq)]
pub struct EditConflict {
    /// The revision the save was based on.
    pub base: RevisionId,
    /// The report's current revision, which holds the other values.
    pub current: RevisionId,
    /// Each field changed on both sides, with the three values.
    pub conflicts: Vec<Conflict>,
}

/// What a save came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Saved as sent: nobody saved in between.
    Saved {
        /// The new revision.
        revision: RevisionId,
    },
    /// Others saved other fields in between; both changes are in the new revision (the editor
    /// should show theirs before saving again).
    Merged {
        /// The new revision.
        revision: RevisionId,
    },
    /// Not saved: the same fields changed meanwhile.
    Conflict(EditConflict),
}

impl Saved {
    /// The new revision, or for a conflict the current one (which holds the other values).
    pub fn revision(&self) -> RevisionId {
        match self {
            Saved::Saved { revision } | Saved::Merged { revision } => *revision,
            Saved::Conflict(conflict) => conflict.current,
        }
    }

    /// The store's answer to a save, with a conflict as an outcome rather than an error.
    pub fn of(outcome: Result<SaveOutcome, StoreError>) -> Result<Saved, WorkflowError> {
        match outcome {
            Ok(SaveOutcome::Saved { revision }) => Ok(Saved::Saved { revision }),
            Ok(SaveOutcome::Merged { revision, .. }) => Ok(Saved::Merged { revision }),
            Err(StoreError::Conflict { base, current, conflicts }) => {
                Ok(Saved::Conflict(EditConflict { base, current, conflicts }))
            }
            Err(error) => Err(error.into()),
        }
    }
}

/// How many saves this process made, by outcome, since it started: what `/metrics` reports
/// (every save goes through [`Workflow::saved`], whichever page, API or workbook made it).
#[derive(Debug, Default)]
pub struct SaveCounts {
    saved: AtomicU64,
    merged: AtomicU64,
    conflicts: AtomicU64,
}

impl SaveCounts {
    /// Counts one outcome.
    fn count(&self, saved: &Saved) {
        let counter = match saved {
            Saved::Saved { .. } => &self.saved,
            Saved::Merged { .. } => &self.merged,
            Saved::Conflict(_) => &self.conflicts,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Saves stored as sent.
    pub fn saved(&self) -> u64 {
        self.saved.load(Ordering::Relaxed)
    }

    /// Saves merged with others' made meanwhile.
    pub fn merged(&self) -> u64 {
        self.merged.load(Ordering::Relaxed)
    }

    /// Saves refused because the same fields changed meanwhile.
    pub fn conflicts(&self) -> u64 {
        self.conflicts.load(Ordering::Relaxed)
    }
}

impl Workflow {
    /// The store's answer to a save as a [`Saved`], counted in [`Workflow::save_counts`].
    pub(crate) fn saved(&self, outcome: Result<SaveOutcome, StoreError>) -> Result<Saved, WorkflowError> {
        let saved = Saved::of(outcome)?;
        self.save_counts.count(&saved);
        Ok(saved)
    }
}

/// Whether the viewer may change the section `section` (a framework section id) of the report
/// now: the report is being drafted and the section is theirs.
pub fn may_edit_section(report: &StoredReport, access: &ReportAccess, section: &str) -> bool {
    report.state.is_editable() && access.can_edit_section(section)
}

/// The revision a post of section `section` was based on and its document, for the form
/// engine to apply the post to: refused when the section is not the viewer's, when the post
/// names no base, and "not found" when the base is not a revision of this report.
pub async fn section_base(
    workflow: &Workflow,
    (report, access): (&StoredReport, &ReportAccess),
    section: &str,
    base: Option<RevisionId>,
) -> Result<(RevisionId, ReportDocument), WorkflowError> {
    if !access.can_edit_section(section) {
        return Err(WorkflowError::Forbidden);
    }
    let base = base.ok_or(WorkflowError::NoBaseRevision)?;
    let (info, document) = workflow.store.revision(base).await?;
    if info.report_id != report.id {
        return Err(WorkflowError::NotFound);
    }
    Ok((base, document))
}

/// Saves `document` (the base with the post of section `section` applied) on `base`.
pub async fn save_section(
    workflow: &Workflow,
    signed_in: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    section: &str,
    (base, document): (RevisionId, &ReportDocument),
) -> Result<Saved, WorkflowError> {
    if !access.can_edit_section(section) {
        return Err(WorkflowError::Forbidden);
    }
    workflow.saved(workflow.store.save(report.id, base, document, &signed_in.actor()).await)
}

/// Whether the viewer may save the whole document (the API's save): everyone who may edit
/// every section; a contributor limited to some sections may not.
pub fn may_save_document(access: &ReportAccess) -> Result<(), WorkflowError> {
    if access.can_edit_everything() { Ok(()) } else { Err(WorkflowError::Forbidden) }
}

/// Saves a whole document sent by a client on `base`: it must stay this report's (Party and
/// year), and `base` must be a revision of this report ("not found" otherwise, as if it did
/// not exist).
pub async fn save_document(
    workflow: &Workflow,
    signed_in: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    (base, document): (RevisionId, &ReportDocument),
) -> Result<Saved, WorkflowError> {
    may_save_document(access)?;
    if document.party.iso3.as_ref().map(|c| c.as_str()) != Some(report.party_iso3.as_str())
        || document.year != report.year
    {
        return Err(WorkflowError::DocumentOfAnotherReport { party: report.party_iso3.clone(), year: report.year });
    }
    workflow.store.revision_of_report(report.id, base).await?;
    workflow.saved(workflow.store.save(report.id, base, document, &signed_in.actor()).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_is_an_outcome_and_other_errors_stay_errors() {
        assert_eq!(
            Saved::of(Ok(SaveOutcome::Saved { revision: RevisionId::new(3) })).unwrap(),
            Saved::Saved { revision: RevisionId::new(3) }
        );
        let conflict =
            StoreError::Conflict { base: RevisionId::new(1), current: RevisionId::new(2), conflicts: Vec::new() };
        assert_eq!(
            Saved::of(Err(conflict)).unwrap(),
            Saved::Conflict(EditConflict {
                base: RevisionId::new(1),
                current: RevisionId::new(2),
                conflicts: Vec::new()
            })
        );
        let refused = Saved::of(Err(StoreError::Rejected("no".into()))).unwrap_err();
        assert_eq!(refused.code(), "rejected");
    }
}
