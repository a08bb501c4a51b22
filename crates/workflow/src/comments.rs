//! Comments on a report: threads on a field or record, replies, and resolving a thread. Who
//! may read and write them (the Party's editors of the whole report and the Secretariat), who
//! may resolve (the focal point and the Secretariat), and on which revision a comment is made.

use std::collections::HashMap;

use qpr_domain::ReportDocument;
use qpr_store::{Comment, CommentId, ReportState, RevisionId, Store, StoreError, StoredReport, UserId};

use crate::access::ReportAccess;
use crate::auth::SignedIn;
use crate::{Workflow, WorkflowError};

/// The path of the comment a request for changes leaves on the report as a whole.
pub const CHANGES_REQUESTED_PATH: &str = "report.changes_requested";

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// A comment with its replies and the names of their authors.
#[derive(Debug, Clone)]
pub struct Thread {
    /// The first comment.
    pub comment: Comment,
    /// Its author's name.
    pub author: String,
    /// The replies, oldest first, with their authors' names.
    pub replies: Vec<(Comment, String)>,
    /// Made on an earlier revision than the one shown.
    pub earlier: bool,
}

impl Thread {
    /// Whether this is the Secretariat's request for changes (on the report as a whole).
    pub fn is_change_request(&self) -> bool {
        self.comment.field_path == CHANGES_REQUESTED_PATH
    }
}

/// Whether the viewer may read the comments and write some: whoever edits the whole report,
/// and the Secretariat.
pub fn may_comment(access: &ReportAccess) -> bool {
    access.can_edit_everything() || *access == ReportAccess::Secretariat
}

/// Whether the viewer may resolve a thread: the focal point and the Secretariat.
pub fn may_resolve(access: &ReportAccess) -> bool {
    access.can_manage() || *access == ReportAccess::Secretariat
}

/// The revision the review page shows: the Party's current text while it may change it, else
/// what was signed.
pub fn reviewed_revision(report: &StoredReport) -> Result<RevisionId, WorkflowError> {
    if report.state.is_editable() {
        report.current_revision
    } else {
        report.submitted_revision.or(report.current_revision)
    }
    .ok_or_else(|| WorkflowError::Internal(format!("report {} has no revision", report.id)))
}

/// The revision a new comment is made on: the submission once there is one (changes requested
/// included), the current text of a draft.
pub fn commented_revision(report: &StoredReport) -> Result<RevisionId, WorkflowError> {
    report
        .submitted_revision
        .filter(|_| report.state != ReportState::Draft)
        .or(report.current_revision)
        .ok_or_else(|| WorkflowError::Internal(format!("report {} has no revision", report.id)))
}

/// The comment threads of a report, oldest first, with authors' names; `shown_revision` marks
/// those made on an earlier one.
pub async fn threads(
    store: &Store,
    report: &StoredReport,
    shown_revision: Option<RevisionId>,
) -> Result<Vec<Thread>, WorkflowError> {
    let comments = store.comments(report.id).await?;
    let mut names = HashMap::new();
    for comment in &comments {
        if let std::collections::hash_map::Entry::Vacant(entry) = names.entry(comment.author_id) {
            // A comment keeps its author's id; an account that no longer exists is shown by
            // that id. Any other failure is an error, not a comment without its author.
            let author = match store.user(comment.author_id).await {
                Ok(user) => user.display_name,
                Err(StoreError::NotFound(_)) => format!("user {}", comment.author_id),
                Err(error) => return Err(error.into()),
            };
            entry.insert(author);
        }
    }
    let name = |id: UserId| names.get(&id).cloned().unwrap_or_else(|| format!("user {id}"));
    Ok(comments
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| Thread {
            comment: c.clone(),
            author: name(c.author_id),
            replies: comments
                .iter()
                .filter(|r| r.parent_id == Some(c.id))
                .map(|r| (r.clone(), name(r.author_id)))
                .collect(),
            earlier: shown_revision.is_some_and(|shown| c.revision_id < shown),
        })
        .collect())
}

/// What a new comment answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentOn<'a> {
    /// A new thread on the field or record at this path (`answers.q`, `records.id`).
    Field(&'a str),
    /// A reply to the thread with this id.
    Reply(CommentId),
}

/// Adds a comment (or a reply) on the report's commented revision (see
/// [`commented_revision`]). `is_field` says whether a path names a field or record of that
/// revision's document that can carry a comment (the caller's view of the report knows).
/// Returns the comment's id.
pub async fn add(
    workflow: &Workflow,
    signed_in: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    on: CommentOn<'_>,
    body: &str,
    is_field: impl FnOnce(&ReportDocument, &str) -> bool,
) -> Result<CommentId, WorkflowError> {
    if !may_comment(access) {
        return Err(WorkflowError::Forbidden);
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_COMMENT_CHARS {
        return Err(WorkflowError::CommentLength);
    }
    let revision = commented_revision(report)?;
    let (path, parent) = match on {
        CommentOn::Reply(parent) => {
            let comments = workflow.store.comments(report.id).await?;
            let thread =
                comments.iter().find(|c| c.id == parent && c.parent_id.is_none()).ok_or(WorkflowError::NotFound)?;
            (thread.field_path.clone(), Some(parent))
        }
        CommentOn::Field(path) => {
            let (_, document) = workflow.store.revision(revision).await?;
            if !is_field(&document, path) {
                return Err(WorkflowError::NotCommentable(path.to_owned()));
            }
            (path.to_owned(), None)
        }
    };
    Ok(workflow.store.add_comment(report.id, revision, &path, parent, signed_in.user.id, body).await?)
}

/// Resolves the thread `thread`; returns the path of what it was about.
pub async fn resolve(
    workflow: &Workflow,
    signed_in: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    thread: CommentId,
) -> Result<String, WorkflowError> {
    if !may_resolve(access) {
        return Err(WorkflowError::Forbidden);
    }
    let comments = workflow.store.comments(report.id).await?;
    let target = comments.iter().find(|c| c.id == thread).ok_or(WorkflowError::NotFound)?;
    workflow.store.resolve_comment(report.id, thread, signed_in.user.id).await?;
    Ok(target.field_path.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(state: ReportState, current: Option<i64>, submitted: Option<i64>) -> StoredReport {
        StoredReport {
            id: qpr_store::ReportId::new(1),
            party_iso3: "AZE".into(),
            party_name: "Azerbaijan".into(),
            year: 2026,
            framework: "qpr-2020".into(),
            state,
            current_revision: current.map(RevisionId::new),
            submitted_revision: submitted.map(RevisionId::new),
            published_revision: None,
            published_at: None,
            updated_at: qpr_store::Timestamp::now(),
        }
    }

    #[test]
    fn the_review_shows_the_signed_text_once_the_party_cannot_change_it() {
        assert_eq!(reviewed_revision(&report(ReportState::Draft, Some(5), Some(3))).unwrap().get(), 5);
        assert_eq!(reviewed_revision(&report(ReportState::ChangesRequested, Some(5), Some(3))).unwrap().get(), 5);
        assert_eq!(reviewed_revision(&report(ReportState::Submitted, Some(5), Some(3))).unwrap().get(), 3);
        // Comments attach to the submission as soon as there is one, changes requested included.
        assert_eq!(commented_revision(&report(ReportState::ChangesRequested, Some(5), Some(3))).unwrap().get(), 3);
        assert_eq!(commented_revision(&report(ReportState::Draft, Some(5), Some(3))).unwrap().get(), 5);
        assert!(reviewed_revision(&report(ReportState::Draft, None, None)).is_err());
    }

    #[test]
    fn the_secretariat_and_the_party_editors_comment_the_focal_point_resolves() {
        assert!(may_comment(&ReportAccess::Secretariat) && may_resolve(&ReportAccess::Secretariat));
        assert!(may_comment(&ReportAccess::FocalPoint) && may_resolve(&ReportAccess::FocalPoint));
        let limited = ReportAccess::Contributor { sections: Some(vec!["s1".into()]) };
        assert!(!may_comment(&limited) && !may_resolve(&limited));
        assert!(!may_comment(&ReportAccess::None));
    }
}
