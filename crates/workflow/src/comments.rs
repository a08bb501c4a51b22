//! Comments on a report: threads on a field or record, replies, and resolving a thread. Who
//! may read and write them (the Party's editors of the whole report and the Secretariat), who
//! may resolve (the focal point and the Secretariat), and on which revision a comment is made.

use std::collections::HashMap;

use qpr_domain::ReportDocument;
use qpr_domain::framework::{AnswerType, Framework, Section};
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

/// The open threads on the fields and records of one section of the form.
#[derive(Debug, Clone)]
pub struct OpenInSection<'t, 'f> {
    /// The section; `None` for threads on what the shown document no longer has.
    pub section: Option<&'f Section>,
    /// The threads, oldest first.
    pub threads: Vec<&'t Thread>,
}

/// Whether a thread still waits for an answer: not resolved, and on a field or record (the
/// requests for changes, on the report as a whole, are shown apart).
pub fn is_open(thread: &Thread) -> bool {
    thread.comment.resolved_at.is_none() && !thread.is_change_request()
}

/// The section of the form a comment path (`answers.<question>`, `records.<record id>`) is in,
/// for `document`: a question's section; a policy/measure's area; a CSO measure's goal.
pub fn section_of<'f>(framework: &'f Framework, document: &ReportDocument, path: &str) -> Option<&'f Section> {
    if let Some(id) = path.strip_prefix("answers.") {
        return framework
            .sections
            .iter()
            .find(|s| s.questions.iter().any(|q| q.id == id || q.fields.iter().any(|f| f.id == id)));
    }
    let id = path.strip_prefix("records.")?;
    if let Some(measure) = document.policy_measures.iter().find(|m| m.id == id) {
        return framework.sections.iter().find(|s| {
            s.area.as_deref() == Some(measure.area.as_str())
                && s.questions.iter().any(|q| q.answer_type == AnswerType::Records && q.goal.is_none())
        });
    }
    let measure = document.cso_measures.iter().find(|m| m.id == id)?;
    framework
        .sections
        .iter()
        .find(|s| s.questions.iter().any(|q| q.answer_type == AnswerType::Records && q.goal == Some(measure.goal)))
}

/// The open threads (see [`is_open`]) by section, in the form's order; those on what
/// `document` no longer has come last.
pub fn open_by_section<'t, 'f>(
    framework: &'f Framework,
    document: &ReportDocument,
    threads: &'t [Thread],
) -> Vec<OpenInSection<'t, 'f>> {
    let mut by_section: std::collections::BTreeMap<usize, Vec<&'t Thread>> = std::collections::BTreeMap::new();
    for thread in threads.iter().filter(|t| is_open(t)) {
        let at = section_of(framework, document, &thread.comment.field_path)
            .and_then(|section| framework.sections.iter().position(|s| std::ptr::eq(s, section)))
            .unwrap_or(usize::MAX);
        by_section.entry(at).or_default().push(thread);
    }
    by_section.into_iter().map(|(at, threads)| OpenInSection { section: framework.sections.get(at), threads }).collect()
}

/// A report sent back for changes, as its overview shows it to the Party's team: the
/// Secretariat's request and the open comments by section.
#[derive(Debug, Clone)]
pub struct Returned<'t> {
    /// The newest request for changes (its message, author and date).
    pub request: &'t Thread,
    /// The number of open threads (see [`is_open`]) per section id, in the form's order.
    pub open_by_section: Vec<(String, usize)>,
    /// Open threads on what the report no longer has (a removed record).
    pub open_elsewhere: usize,
}

impl Returned<'_> {
    /// The open threads of the section `id`.
    pub fn open_in(&self, id: &str) -> usize {
        self.open_by_section.iter().find(|(section, _)| section == id).map_or(0, |(_, count)| *count)
    }

    /// All open threads.
    pub fn open(&self) -> usize {
        self.open_by_section.iter().map(|(_, count)| count).sum::<usize>() + self.open_elsewhere
    }
}

/// What a report whose changes were requested shows on its overview; `None` in any other
/// state (the request is answered by submitting again) or without a request among `threads`.
pub fn returned<'t>(
    report: &StoredReport,
    framework: &Framework,
    document: &ReportDocument,
    threads: &'t [Thread],
) -> Option<Returned<'t>> {
    if report.state != ReportState::ChangesRequested {
        return None;
    }
    let request = threads.iter().filter(|t| t.is_change_request()).max_by_key(|t| t.comment.id)?;
    let mut by_section = Vec::new();
    let mut open_elsewhere = 0;
    for group in open_by_section(framework, document, threads) {
        match group.section {
            Some(section) => by_section.push((section.id.clone(), group.threads.len())),
            None => open_elsewhere += group.threads.len(),
        }
    }
    Some(Returned { request, open_by_section: by_section, open_elsewhere })
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

    fn thread(id: i64, path: &str, resolved: bool) -> Thread {
        Thread {
            comment: Comment {
                id: CommentId::new(id),
                report_id: qpr_store::ReportId::new(1),
                revision_id: RevisionId::new(3),
                field_path: path.into(),
                parent_id: None,
                author_id: UserId::new(1),
                body: format!("comment {id}"),
                created_at: qpr_store::Timestamp::now(),
                resolved_at: resolved.then(qpr_store::Timestamp::now),
            },
            author: "sec".into(),
            replies: Vec::new(),
            earlier: false,
        }
    }

    #[test]
    fn open_threads_are_counted_by_section_in_the_form_order() {
        use qpr_domain::countries::Iso3;
        use qpr_domain::document::PartyRef;
        let framework = Framework::qpr_2020();
        let mut document = ReportDocument::new(
            "qpr-2020",
            PartyRef { name: "Azerbaijan".into(), iso3: Some(Iso3::parse("AZE").unwrap()) },
            2026,
        );
        let area_section = framework.sections.iter().find(|s| s.area.is_some()).unwrap();
        let area = area_section.area.clone().unwrap();
        document.policy_measures.push(
            serde_json::from_value(serde_json::json!({"id": "AZE-pm1", "area": area, "title": "A law"})).unwrap(),
        );
        let cso_section = framework.sections.iter().find(|s| s.questions.iter().any(|q| q.goal.is_some())).unwrap();
        let goal = cso_section.questions.iter().find_map(|q| q.goal).unwrap();
        document
            .cso_measures
            .push(serde_json::from_value(serde_json::json!({"id": "cso1", "goal": goal, "title": "A fund"})).unwrap());
        let first = &framework.sections[0];
        let first_question = &first.questions[0].id;
        // A question inside a group belongs to the group's section.
        let (grouped_section, grouped) = framework
            .sections
            .iter()
            .find_map(|s| s.questions.iter().find_map(|q| q.fields.first().map(|f| (s, f.id.clone()))))
            .unwrap();
        let threads = vec![
            thread(1, "records.AZE-pm1", false),
            thread(2, &format!("answers.{first_question}"), false),
            thread(3, &format!("answers.{first_question}"), true),
            thread(4, CHANGES_REQUESTED_PATH, false),
            thread(5, "records.gone", false),
            thread(6, "records.cso1", false),
            thread(7, &format!("answers.{grouped}"), false),
            thread(8, &format!("answers.{first_question}"), false),
        ];
        let summary = open_by_section(framework, &document, &threads);
        let shown: Vec<(Option<&str>, Vec<i64>)> = summary
            .iter()
            .map(|s| (s.section.map(|s| s.id.as_str()), s.threads.iter().map(|t| t.comment.id.get()).collect()))
            .collect();
        let position = |id: &str| framework.sections.iter().position(|s| s.id == id).unwrap();
        let mut expected = vec![
            (Some(first.id.as_str()), vec![2, 8]),
            (Some(area_section.id.as_str()), vec![1]),
            (Some(cso_section.id.as_str()), vec![6]),
        ];
        match expected.iter_mut().find(|(s, _)| *s == Some(grouped_section.id.as_str())) {
            Some((_, ids)) => {
                ids.push(7);
                ids.sort_unstable();
            }
            None => expected.push((Some(grouped_section.id.as_str()), vec![7])),
        }
        expected.sort_by_key(|(s, _)| position(s.unwrap()));
        expected.push((None, vec![5]));
        assert_eq!(shown, expected, "resolved threads and the request for changes are not counted");
        assert!(!is_open(&threads[2]) && !is_open(&threads[3]) && is_open(&threads[0]));
    }

    #[test]
    fn a_returned_report_shows_the_newest_request_and_its_open_comments_by_section() {
        use qpr_domain::countries::Iso3;
        use qpr_domain::document::PartyRef;
        let framework = Framework::qpr_2020();
        let document = ReportDocument::new(
            "qpr-2020",
            PartyRef { name: "Azerbaijan".into(), iso3: Some(Iso3::parse("AZE").unwrap()) },
            2026,
        );
        let (first, second) = (&framework.sections[0], &framework.sections[1]);
        let threads = vec![
            thread(1, CHANGES_REQUESTED_PATH, false),
            thread(2, &format!("answers.{}", first.questions[0].id), false),
            thread(3, &format!("answers.{}", first.questions[0].id), false),
            thread(4, &format!("answers.{}", second.questions[0].id), true),
            thread(5, "records.gone", false),
            thread(6, CHANGES_REQUESTED_PATH, false),
        ];
        let returned =
            returned(&report(ReportState::ChangesRequested, Some(5), Some(3)), framework, &document, &threads)
                .expect("a report sent back");
        assert_eq!(returned.request.comment.id.get(), 6, "the newest request");
        assert_eq!(returned.open_by_section, vec![(first.id.clone(), 2)], "resolved threads are not counted");
        assert_eq!((returned.open_in(&first.id), returned.open_in(&second.id)), (2, 0));
        assert_eq!((returned.open_elsewhere, returned.open()), (1, 3));
        for state in [ReportState::Draft, ReportState::Submitted, ReportState::Accepted] {
            assert!(returned_none(state, framework, &document, &threads), "{state:?}");
        }
        let no_request = &threads[1..5];
        assert!(
            super::returned(&report(ReportState::ChangesRequested, Some(5), Some(3)), framework, &document, no_request)
                .is_none()
        );
    }

    fn returned_none(state: ReportState, framework: &Framework, document: &ReportDocument, threads: &[Thread]) -> bool {
        returned(&report(state, Some(5), Some(3)), framework, document, threads).is_none()
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
