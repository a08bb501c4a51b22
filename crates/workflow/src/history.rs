//! The history of a report: every revision with who saved it, when and how (created, saved,
//! merged, submitted, published), and the comparison of any two, field by field, placed in the
//! form (grouped by section in the form's order), as typed data, with the word-level changes
//! of changed texts ([`crate::words`]); and what changed since the last submission (the
//! revision the Secretariat returned with a request for changes, against the one shown now).
//! Words (labels, values as the report page shows them) are the caller's.
//!
//! Who sees it: whoever sees the report; a contributor limited to some sections sees only the
//! changes in those sections. A revision of another report is "not found", as is a report the
//! viewer may not see.

use std::collections::{BTreeMap, HashMap};

use qpr_domain::changes::{self, Change};
use qpr_domain::framework::{AnswerType, Framework, Question, RecordType};
use qpr_domain::{MeasureKind, ReportDocument};
use qpr_store::{RevisionId, RevisionInfo, StoreError, StoredReport, Timestamp, UserId};
use serde::Serialize;
use serde_json::Value;

use crate::access::ReportAccess;
use crate::words::{self, Piece};
use crate::{Workflow, WorkflowError};

/// Revisions per page of the history.
pub const PER_PAGE: usize = 100;

/// How a revision was made, or what the report's pointers say of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionRole {
    /// The report's first revision.
    Created,
    /// A save on the revision before it.
    Saved,
    /// A save merged with saves made since its author's page was shown.
    Merged,
    /// The revision submitted (signed).
    Submitted,
    /// The revision on the public site.
    Published,
}

impl RevisionRole {
    /// Every role.
    pub const ALL: [RevisionRole; 5] = [
        RevisionRole::Created,
        RevisionRole::Saved,
        RevisionRole::Merged,
        RevisionRole::Submitted,
        RevisionRole::Published,
    ];

    /// The name pages and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionRole::Created => "created",
            RevisionRole::Saved => "saved",
            RevisionRole::Merged => "merged",
            RevisionRole::Submitted => "submitted",
            RevisionRole::Published => "published",
        }
    }

    /// How `info` was made, then `submitted` and `published` when `report`'s pointers name it.
    pub fn of(info: &RevisionInfo, report: &StoredReport) -> Vec<RevisionRole> {
        let made = match (info.parent_id, info.base_id) {
            (None, _) => RevisionRole::Created,
            (Some(parent), Some(base)) if parent != base => RevisionRole::Merged,
            _ => RevisionRole::Saved,
        };
        let mut roles = vec![made];
        if report.submitted_revision == Some(info.id) {
            roles.push(RevisionRole::Submitted);
        }
        if report.published_revision == Some(info.id) {
            roles.push(RevisionRole::Published);
        }
        roles
    }
}

/// A revision as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Its id.
    pub id: RevisionId,
    /// The revision it was written on top of.
    pub parent: Option<RevisionId>,
    /// As recorded: `user:7`, `import`, `cli`.
    pub actor: String,
    /// The user's name for `user:N` actors, else the actor as recorded.
    pub author: String,
    /// When (RFC 3339).
    pub created_at: Timestamp,
    /// How it was made and what it became.
    pub roles: Vec<RevisionRole>,
}

/// Names of the authors of revisions, each user read once.
#[derive(Default)]
struct Authors(HashMap<String, String>);

impl Authors {
    async fn name(&mut self, workflow: &Workflow, actor: &str) -> Result<String, WorkflowError> {
        if let Some(name) = self.0.get(actor) {
            return Ok(name.clone());
        }
        let name = match actor.strip_prefix("user:").and_then(|id| id.parse::<UserId>().ok()) {
            Some(id) => match workflow.store.user(id).await {
                Ok(user) => user.display_name,
                Err(StoreError::NotFound(_)) => actor.to_owned(),
                Err(error) => return Err(error.into()),
            },
            None => actor.to_owned(),
        };
        self.0.insert(actor.to_owned(), name.clone());
        Ok(name)
    }

    async fn line(
        &mut self,
        workflow: &Workflow,
        report: &StoredReport,
        info: &RevisionInfo,
    ) -> Result<Revision, WorkflowError> {
        Ok(Revision {
            id: info.id,
            parent: info.parent_id,
            actor: info.author.clone(),
            author: self.name(workflow, &info.author).await?,
            created_at: info.created_at.clone(),
            roles: RevisionRole::of(info, report),
        })
    }
}

/// One page (from 1) of the history, newest first: the revisions, the page (clamped to those
/// there are) and the number of pages.
pub async fn history(
    workflow: &Workflow,
    report: &StoredReport,
    page: usize,
) -> Result<(Vec<Revision>, usize, usize), WorkflowError> {
    let mut revisions = workflow.store.revisions(report.id).await?;
    revisions.reverse();
    let pages = revisions.len().div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let mut authors = Authors::default();
    let mut lines = Vec::new();
    for info in revisions.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE) {
        lines.push(authors.line(workflow, report, info).await?);
    }
    Ok((lines, page, pages))
}

/// What a change did to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// It had no value and has one.
    Added,
    /// It had a value and has none.
    Removed,
    /// Its value changed.
    Changed,
}

impl ChangeKind {
    /// The name pages and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// What a changed path is in the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject<'f> {
    /// The answer to a question of the form.
    Answer(&'f Question),
    /// A field of a record (a policy/measure, a CSO measure).
    RecordField {
        /// The record's type in the framework, when it has one.
        record_type: Option<&'f RecordType>,
        /// The record's title (in the newer document when it is in both).
        title: String,
        /// The field's key in the record.
        key: String,
        /// What the field is.
        part: RecordPart<'f>,
    },
    /// The order of the records of one area (or goal) changed: their titles before and after.
    RecordOrder {
        /// Titles in the old order.
        before: Vec<String>,
        /// Titles in the new order.
        after: Vec<String>,
    },
    /// A path the form does not place (the document's header).
    Other,
}

impl<'f> Subject<'f> {
    /// The question that says how the field's values are shown, when there is one.
    pub fn question(&self) -> Option<&'f Question> {
        match self {
            Subject::Answer(question) => Some(question),
            Subject::RecordField { part: RecordPart::Field(field), .. } => Some(field),
            Subject::RecordField { .. } | Subject::RecordOrder { .. } | Subject::Other => None,
        }
    }
}

/// What a field of a record is: a question of its record type, or one of the keys the
/// platform keeps beside them, each shown with its own label (never its key).
#[derive(Debug, Clone, PartialEq)]
pub enum RecordPart<'f> {
    /// A field of the record type (its question says how values are shown).
    Field(&'f Question),
    /// A policy/measure's area of monitoring (its value is the area's id).
    Area,
    /// A CSO measure's goal (its value is the goal's number).
    Goal,
    /// The CSO invitation a CSO measure was taken from (its value is the invitation's id;
    /// [`Comparison::cso_sources`] names the organization).
    CsoInvitation,
    /// A key the form does not know, kept as stored.
    Other,
}

impl<'f> RecordPart<'f> {
    /// What `key` is in a record of `record_type`.
    fn of(record_type: Option<&'f RecordType>, key: &str) -> RecordPart<'f> {
        let fields = record_type.map(|r| r.fields.as_slice()).unwrap_or_default();
        if let Some(field) = fields.iter().find(|f| f.key.as_deref() == Some(key)) {
            return RecordPart::Field(field);
        }
        match key {
            "area" => RecordPart::Area,
            "goal" => RecordPart::Goal,
            crate::cso::SOURCE_KEY => RecordPart::CsoInvitation,
            _ => RecordPart::Other,
        }
    }
}

/// What changed in one field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange<'f> {
    /// The field's path in the document (`answers.g1_ccs_ministry`, `policy_measures#order`).
    pub path: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// What the path is in the form.
    pub subject: Subject<'f>,
    /// The old value as stored (record ids in the old order for a reordering).
    pub before: Option<Value>,
    /// The new value as stored.
    pub after: Option<Value>,
    /// The word-level changes, for a changed text (a free or short text, old and new).
    pub words: Option<Vec<Piece>>,
    /// Where the field sits in its section (the form's order).
    order: (usize, usize, usize),
}

/// The changes of one section of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionChanges<'f> {
    /// The section; `None` for changes outside the form's sections (the document's header).
    pub section: Option<&'f qpr_domain::framework::Section>,
    /// The changes, in the form's order.
    pub changes: Vec<FieldChange<'f>>,
}

/// Two revisions of a report compared.
#[derive(Debug, Clone)]
pub struct Comparison<'f> {
    /// The older side.
    pub from: Revision,
    /// The newer side.
    pub to: Revision,
    /// The changes by section, in the form's order.
    pub sections: Vec<SectionChanges<'f>>,
    /// The organization of each CSO invitation a changed [`RecordPart::CsoInvitation`] names.
    pub cso_sources: BTreeMap<i64, String>,
}

/// A revision of `report`, or "not found" when it is not one.
async fn revision_of(
    workflow: &Workflow,
    report: &StoredReport,
    id: RevisionId,
) -> Result<(RevisionInfo, ReportDocument), WorkflowError> {
    match workflow.store.revision(id).await {
        Ok((info, document)) if info.report_id == report.id => Ok((info, document)),
        Ok(_) | Err(StoreError::NotFound(_)) => Err(WorkflowError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// Compares revisions `from` and `to` of `report` for a viewer with `access`: a contributor
/// limited to some sections sees the changes of those only.
pub async fn compare<'w>(
    workflow: &'w Workflow,
    (report, access): (&StoredReport, &ReportAccess),
    (from, to): (RevisionId, RevisionId),
) -> Result<Comparison<'w>, WorkflowError> {
    let (from_info, before) = revision_of(workflow, report, from).await?;
    let (to_info, after) = revision_of(workflow, report, to).await?;
    let framework = workflow.framework(&report.framework)?;
    let mut sections = describe(framework, &before, &after, &changes::diff(&before, &after));
    let limited = matches!(access, ReportAccess::Contributor { sections: Some(_) });
    sections.retain(|s| s.section.map_or(!limited, |section| access.can_see_section(&section.id)));
    let names_source = sections
        .iter()
        .flat_map(|s| &s.changes)
        .any(|c| matches!(c.subject, Subject::RecordField { part: RecordPart::CsoInvitation, .. }));
    let cso_sources = if names_source {
        workflow.store.invitations(report.id).await?.into_iter().map(|i| (i.id.get(), i.organization)).collect()
    } else {
        BTreeMap::new()
    };
    let mut authors = Authors::default();
    Ok(Comparison {
        from: authors.line(workflow, report, &from_info).await?,
        to: authors.line(workflow, report, &to_info).await?,
        sections,
        cso_sources,
    })
}

/// The revision the Secretariat returned to the Party last (its latest request for changes is
/// a comment on it), when the revision the review page shows is another one: what changed
/// since is "what changed since the last submission". `None` before any request for changes,
/// or while the shown revision is still the returned one.
pub fn returned_revision(report: &StoredReport, threads: &[crate::comments::Thread]) -> Option<RevisionId> {
    let returned = threads.iter().filter(|t| t.is_change_request()).map(|t| t.comment.revision_id).max()?;
    let shown = crate::comments::reviewed_revision(report).ok()?;
    (returned < shown).then_some(returned)
}

/// What changed since the last submission (see [`returned_revision`]): the comparison of the
/// returned revision with the one the review page shows, for a viewer with `access`.
pub async fn since_last_submission<'w>(
    workflow: &'w Workflow,
    (report, access): (&StoredReport, &ReportAccess),
    threads: &[crate::comments::Thread],
) -> Result<Option<Comparison<'w>>, WorkflowError> {
    let Some(returned) = returned_revision(report, threads) else { return Ok(None) };
    let shown = crate::comments::reviewed_revision(report)?;
    Ok(Some(compare(workflow, (report, access), (returned, shown)).await?))
}

/// Where a change goes: the section (index in the form), its place there, and what it is.
struct Placed<'a> {
    section: Option<usize>,
    order: (usize, usize, usize),
    subject: Subject<'a>,
}

/// The form's questions by id: section index, place in the form, question.
fn question_index(framework: &Framework) -> HashMap<&str, (usize, usize, &Question)> {
    let mut index = HashMap::new();
    let mut position = 0;
    for (s, section) in framework.sections.iter().enumerate() {
        for question in &section.questions {
            for q in std::iter::once(question).chain(&question.fields) {
                index.insert(q.id.as_str(), (s, position, q));
                position += 1;
            }
        }
    }
    index
}

/// The document lists that hold records, and the record type of each.
const RECORD_LISTS: [(&str, &str); 2] = [
    (MeasureKind::Policy.array(), MeasureKind::Policy.record_type()),
    (MeasureKind::Cso.array(), MeasureKind::Cso.record_type()),
];

/// A record of either document (the new one first): its home (area or CSO goal), title and
/// position in its list.
fn find_record(
    before: &ReportDocument,
    after: &ReportDocument,
    list: &str,
    id: &str,
) -> Option<(RecordHome, String, usize)> {
    for document in [after, before] {
        let found = match MeasureKind::from_array(list) {
            Some(MeasureKind::Policy) => document
                .policy_measures
                .iter()
                .enumerate()
                .find(|(_, m)| m.id == id)
                .map(|(i, m)| (RecordHome::Area(m.area.clone()), m.title.clone(), i)),
            _ => document
                .cso_measures
                .iter()
                .enumerate()
                .find(|(_, m)| m.id == id)
                .map(|(i, m)| (RecordHome::Goal(m.goal), m.title.clone(), i)),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Where a record lives in the form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum RecordHome {
    /// A policy/measure: its area of monitoring.
    Area(String),
    /// A CSO measure: its goal.
    Goal(u8),
}

/// The repeater question of a record's home: its section index and place in the form.
fn repeater(
    framework: &Framework,
    index: &HashMap<&str, (usize, usize, &Question)>,
    home: &RecordHome,
) -> Option<(usize, usize)> {
    framework.sections.iter().find_map(|section| {
        section
            .questions
            .iter()
            .find(|q| {
                q.answer_type == AnswerType::Records
                    && match home {
                        RecordHome::Area(area) => q.goal.is_none() && section.area.as_deref() == Some(area.as_str()),
                        RecordHome::Goal(goal) => q.goal == Some(*goal),
                    }
            })
            .and_then(|q| index.get(q.id.as_str()).map(|(s, position, _)| (*s, *position)))
    })
}

/// Places one changed path (not an order change) in the form.
fn place<'a>(
    framework: &'a Framework,
    index: &HashMap<&str, (usize, usize, &'a Question)>,
    documents: (&ReportDocument, &ReportDocument),
    path: &str,
) -> Placed<'a> {
    if let Some((section, position, question)) = path.strip_prefix("answers.").and_then(|id| index.get(id)) {
        return Placed { section: Some(*section), order: (*position, 0, 0), subject: Subject::Answer(question) };
    }
    for (list, type_name) in RECORD_LISTS {
        let Some((id, key)) =
            path.strip_prefix(list).and_then(|rest| rest.strip_prefix('.')).and_then(|rest| rest.rsplit_once('.'))
        else {
            continue;
        };
        let Some((home, title, at)) = find_record(documents.0, documents.1, list, id) else { break };
        let record_type = framework.record_type(type_name);
        let fields = record_type.map(|r| r.fields.as_slice()).unwrap_or_default();
        let at_field = fields.iter().position(|f| f.key.as_deref() == Some(key));
        let (section, position) = repeater(framework, index, &home).map_or((None, usize::MAX), |(s, p)| (Some(s), p));
        return Placed {
            section,
            order: (position, at + 1, at_field.unwrap_or(usize::MAX)),
            subject: Subject::RecordField {
                record_type,
                title,
                key: key.to_owned(),
                part: RecordPart::of(record_type, key),
            },
        };
    }
    Placed { section: None, order: (usize::MAX, 0, 0), subject: Subject::Other }
}

/// Whether a value says nothing (absent, null, empty text or list).
pub fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(fields)) => fields.is_empty(),
        Some(_) => false,
    }
}

/// The records of each home (area or goal), ids and titles, in a record list's order.
fn titles_by_home(document: &ReportDocument, list: &str) -> BTreeMap<RecordHome, Vec<(String, String)>> {
    let mut homes: BTreeMap<RecordHome, Vec<(String, String)>> = BTreeMap::new();
    if MeasureKind::from_array(list) == Some(MeasureKind::Policy) {
        for m in &document.policy_measures {
            homes.entry(RecordHome::Area(m.area.clone())).or_default().push((m.id.clone(), m.title.clone()));
        }
    } else {
        for m in &document.cso_measures {
            homes.entry(RecordHome::Goal(m.goal)).or_default().push((m.id.clone(), m.title.clone()));
        }
    }
    homes
}

/// The reorderings of a record list, one per area (or goal) whose records kept in both
/// documents are in another order. Adding or removing a record changes the list's order too,
/// but that is shown by the record's own fields, not as a reordering.
fn reorderings<'a>(
    framework: &'a Framework,
    index: &HashMap<&str, (usize, usize, &'a Question)>,
    documents: (&ReportDocument, &ReportDocument),
    list: &str,
) -> Vec<(Option<usize>, FieldChange<'a>)> {
    let (before, after) = (titles_by_home(documents.0, list), titles_by_home(documents.1, list));
    let mut rows = Vec::new();
    for (home, new) in &after {
        let Some(old) = before.get(home) else { continue };
        let kept = |records: &[(String, String)], other: &[(String, String)]| -> Vec<String> {
            records.iter().filter(|(id, _)| other.iter().any(|(o, _)| o == id)).map(|(id, _)| id.clone()).collect()
        };
        if kept(old, new) == kept(new, old) {
            continue;
        }
        let (section, position) = repeater(framework, index, home).map_or((None, usize::MAX), |(s, p)| (Some(s), p));
        let titles = |records: &[(String, String)]| records.iter().map(|(_, title)| title.clone()).collect::<Vec<_>>();
        let ids = |records: &[(String, String)]| {
            Value::Array(records.iter().map(|(id, _)| Value::String(id.clone())).collect())
        };
        rows.push((
            section,
            FieldChange {
                path: format!("{list}#order"),
                kind: ChangeKind::Changed,
                subject: Subject::RecordOrder { before: titles(old), after: titles(new) },
                before: Some(ids(old)),
                after: Some(ids(new)),
                words: None,
                order: (position, 0, 0),
            },
        ));
    }
    rows
}

/// The changes between two documents, placed in the form of `framework` and grouped by
/// section in the form's order (changes outside the form's sections last). Changes that only
/// turn an empty value into another empty value are left out.
pub fn describe<'f>(
    framework: &'f Framework,
    before: &ReportDocument,
    after: &ReportDocument,
    changes: &[Change],
) -> Vec<SectionChanges<'f>> {
    let index = question_index(framework);
    let mut grouped: BTreeMap<Option<usize>, Vec<FieldChange<'f>>> = BTreeMap::new();
    for change in changes {
        if let Some(list) = change.path.strip_suffix("#order") {
            for (section, row) in reorderings(framework, &index, (before, after), list) {
                grouped.entry(section).or_default().push(row);
            }
            continue;
        }
        let (old, new) = (change.before.as_ref(), change.after.as_ref());
        let kind = match (is_empty(old), is_empty(new)) {
            (true, true) => continue,
            (true, false) => ChangeKind::Added,
            (false, true) => ChangeKind::Removed,
            (false, false) => ChangeKind::Changed,
        };
        let placed = place(framework, &index, (before, after), &change.path);
        let words = match (kind, placed.subject.question().map(|q| q.answer_type), old, new) {
            (
                ChangeKind::Changed,
                Some(AnswerType::FreeText | AnswerType::ShortText),
                Some(Value::String(old)),
                Some(Value::String(new)),
            ) => Some(words::diff(old, new)),
            _ => None,
        };
        grouped.entry(placed.section).or_default().push(FieldChange {
            path: change.path.clone(),
            kind,
            subject: placed.subject,
            before: change.before.clone(),
            after: change.after.clone(),
            words,
            order: placed.order,
        });
    }
    // `None` sorts first in a BTreeMap; the changes outside the form go last.
    let mut sections: Vec<SectionChanges<'f>> = grouped
        .into_iter()
        .map(|(section, mut rows)| {
            rows.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.path.cmp(&b.path)));
            SectionChanges { section: section.and_then(|s| framework.sections.get(s)), changes: rows }
        })
        .collect();
    let outside_first = sections.first().is_some_and(|s| s.section.is_none());
    sections.rotate_left(usize::from(outside_first));
    sections
}

#[cfg(test)]
mod tests {
    use qpr_domain::countries::Iso3;
    use qpr_domain::document::PartyRef;
    use serde_json::json;

    use super::*;

    fn document() -> ReportDocument {
        ReportDocument::new(
            "qpr-2020",
            PartyRef { name: "Azerbaijan".into(), iso3: Some(Iso3::parse("AZE").unwrap()) },
            2026,
        )
    }

    #[test]
    fn changes_are_placed_in_the_form_in_its_order_with_empty_to_empty_left_out() {
        let framework = Framework::qpr_2020();
        // Two questions of different sections, by the framework's own order.
        let questions: Vec<&Question> = framework
            .sections
            .iter()
            .filter_map(|s| s.questions.iter().find(|q| q.answer_type == AnswerType::FreeText))
            .take(2)
            .collect();
        let (first, second) = (questions[0], questions[1]);
        let before = document();
        let mut after = document();
        after.answers.insert(second.id.clone(), json!("new"));
        after.answers.insert(first.id.clone(), json!(""));
        after.party.name = "Azerbaïdjan".into();
        let sections = describe(framework, &before, &after, &changes::diff(&before, &after));
        let ids: Vec<Option<&str>> = sections.iter().map(|s| s.section.map(|s| s.id.as_str())).collect();
        assert_eq!(ids.last(), Some(&None), "the header's change comes last: {ids:?}");
        let placed: Vec<&FieldChange<'_>> = sections.iter().flat_map(|s| &s.changes).collect();
        assert!(placed.iter().all(|c| c.path != format!("answers.{}", first.id)), "empty to empty is no change");
        let answer = placed.iter().find(|c| c.path == format!("answers.{}", second.id)).unwrap();
        assert_eq!(
            (answer.kind, answer.subject.question().map(|q| q.id.as_str())),
            (ChangeKind::Added, Some(second.id.as_str()))
        );
        assert!(matches!(placed.last().unwrap().subject, Subject::Other));
    }

    #[test]
    fn changed_texts_carry_their_word_changes_other_values_do_not() {
        let framework = Framework::qpr_2020();
        let text = framework
            .sections
            .iter()
            .flat_map(|s| &s.questions)
            .find(|q| q.answer_type == AnswerType::FreeText)
            .unwrap();
        let flag =
            framework.sections.iter().flat_map(|s| &s.questions).find(|q| q.answer_type == AnswerType::YesNo).unwrap();
        let mut before = document();
        before.answers.insert(text.id.clone(), json!("Met twice <in> Baku."));
        before.answers.insert(flag.id.clone(), json!(false));
        let mut after = document();
        after.answers.insert(text.id.clone(), json!("Met three times <in> Baku."));
        after.answers.insert(flag.id.clone(), json!(true));
        let sections = describe(framework, &before, &after, &changes::diff(&before, &after));
        let changes: Vec<&FieldChange<'_>> = sections.iter().flat_map(|s| &s.changes).collect();
        let of = |id: &str| changes.iter().find(|c| c.path == format!("answers.{id}")).unwrap();
        assert_eq!(
            of(&text.id).words,
            Some(vec![
                Piece::Same("Met ".into()),
                Piece::Deleted("twice".into()),
                Piece::Inserted("three times".into()),
                Piece::Same(" <in> Baku.".into()),
            ])
        );
        assert_eq!(of(&flag.id).words, None);
        // An added text is shown whole, not as a word diff.
        let added = describe(framework, &document(), &after, &changes::diff(&document(), &after));
        assert!(added.iter().flat_map(|s| &s.changes).all(|c| c.words.is_none()));
    }

    #[test]
    fn record_keys_beside_the_form_fields_are_named_by_what_they_are() {
        let framework = Framework::qpr_2020();
        let goal = framework.sections.iter().flat_map(|s| &s.questions).find_map(|q| q.goal).unwrap();
        let mut before = document();
        let mut measure: qpr_domain::document::CsoMeasure =
            serde_json::from_value(json!({"id": "3-m1", "goal": goal, "title": "A fund", "domains": ["music"]}))
                .unwrap();
        before.cso_measures.push(measure.clone());
        measure.extra.insert(crate::cso::SOURCE_KEY.into(), json!(3));
        measure.domains = vec!["design".into()];
        let mut after = document();
        after.cso_measures.push(measure);
        let sections = describe(framework, &before, &after, &changes::diff(&before, &after));
        let parts: Vec<(&str, &RecordPart<'_>)> = sections
            .iter()
            .flat_map(|s| &s.changes)
            .filter_map(|c| match &c.subject {
                Subject::RecordField { key, part, .. } => Some((key.as_str(), part)),
                _ => None,
            })
            .collect();
        assert!(parts.iter().any(|(k, p)| *k == "domains" && matches!(p, RecordPart::Field(q) if q.options.is_some())));
        assert!(parts.contains(&(crate::cso::SOURCE_KEY, &RecordPart::CsoInvitation)), "{parts:?}");
    }

    fn change_request(revision: i64) -> crate::comments::Thread {
        crate::comments::Thread {
            comment: qpr_store::Comment {
                id: qpr_store::CommentId::new(revision),
                report_id: qpr_store::ReportId::new(1),
                revision_id: RevisionId::new(revision),
                field_path: crate::comments::CHANGES_REQUESTED_PATH.into(),
                parent_id: None,
                author_id: UserId::new(1),
                body: "Fix it.".into(),
                created_at: Timestamp::now(),
                resolved_at: None,
            },
            author: "sec".into(),
            replies: Vec::new(),
            earlier: false,
        }
    }

    #[test]
    fn the_last_submission_is_the_revision_returned_last() {
        let report = |state, current: i64, submitted: i64| StoredReport {
            id: qpr_store::ReportId::new(1),
            party_iso3: "AZE".into(),
            party_name: "Azerbaijan".into(),
            year: 2026,
            framework: "qpr-2020".into(),
            state,
            current_revision: Some(RevisionId::new(current)),
            submitted_revision: Some(RevisionId::new(submitted)),
            published_revision: None,
            published_at: None,
            updated_at: Timestamp::now(),
        };
        use qpr_store::ReportState::*;
        let returned = [change_request(3), change_request(7)];
        // Submitted again after the second request: revision 7 against the new submission 9.
        assert_eq!(returned_revision(&report(Submitted, 9, 9), &returned), Some(RevisionId::new(7)));
        // While the Party fixes it: against its current text.
        assert_eq!(returned_revision(&report(ChangesRequested, 8, 7), &returned), Some(RevisionId::new(7)));
        // Nothing changed yet, or never returned: nothing to show.
        assert_eq!(returned_revision(&report(ChangesRequested, 7, 7), &returned), None);
        assert_eq!(returned_revision(&report(Submitted, 9, 9), &[]), None);
    }

    #[test]
    fn a_reordering_of_kept_records_is_one_change_with_the_titles() {
        let framework = Framework::qpr_2020();
        let area = framework.sections.iter().find_map(|s| s.area.clone()).unwrap();
        let measure =
            |id: &str| serde_json::from_value(json!({"id": id, "area": area, "title": format!("T{id}")})).unwrap();
        let mut before = document();
        before.policy_measures = vec![measure("a"), measure("b")];
        let mut after = document();
        after.policy_measures = vec![measure("b"), measure("a")];
        let sections = describe(framework, &before, &after, &changes::diff(&before, &after));
        let changes: Vec<&FieldChange<'_>> = sections.iter().flat_map(|s| &s.changes).collect();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(
            changes[0].subject,
            Subject::RecordOrder { before: vec!["Ta".into(), "Tb".into()], after: vec!["Tb".into(), "Ta".into()] }
        );
        assert_eq!(changes[0].after, Some(json!(["b", "a"])));
        assert!(sections[0].section.is_some_and(|s| s.area.as_deref() == Some(area.as_str())));
    }
}
