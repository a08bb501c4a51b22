//! The history of a report: every revision with who saved it, when and how (created, saved,
//! merged, submitted, published), and the comparison of any two, field by field, with the
//! form's labels, grouped by section in the form's order. The pages and the JSON API
//! (`api.rs`) share everything here but the rendering.
//!
//! Who sees it: whoever sees the report; a contributor limited to some sections sees only the
//! changes in those sections. A revision of another report is a 404, as is a report the viewer
//! may not see.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use qpr_domain::ReportDocument;
use qpr_domain::changes::{self, Change};
use qpr_domain::framework::{AnswerType, Framework, Question};
use qpr_domain::text::Lang;
use qpr_store::{RevisionId, RevisionInfo, StoreError, StoredReport, UserId};
use serde::Serialize;
use serde_json::Value;

use super::access::ReportAccess;
use super::auth::Viewer;
use super::{Chrome, actions, field, page_error, private_page};
use crate::AppState;
use crate::error::{Missing, WebError};
use crate::i18n;
use crate::report_view::{self, Shown};
use crate::ui::Ui;

/// Revisions per page of the history.
pub(crate) const PER_PAGE: usize = 100;

/// A revision as the history lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct RevisionLine {
    pub id: i64,
    pub parent: Option<i64>,
    /// As recorded: `user:7`, `import`, `cli`.
    pub actor: String,
    /// The user's name for `user:N` actors, else the actor as recorded.
    pub author: String,
    pub created_at: String,
    /// How it was made (`created`, `saved`, `merged`), then `submitted` and `published` when
    /// the report's pointers name it.
    pub roles: Vec<&'static str>,
}

/// How a revision was made and what the report's pointers say of it.
fn roles(info: &RevisionInfo, report: &StoredReport) -> Vec<&'static str> {
    let made = match (info.parent_id, info.base_id) {
        (None, _) => "created",
        (Some(parent), Some(base)) if parent != base => "merged",
        _ => "saved",
    };
    let mut roles = vec![made];
    if report.submitted_revision == Some(info.id) {
        roles.push("submitted");
    }
    if report.published_revision == Some(info.id) {
        roles.push("published");
    }
    roles
}

/// Names of the authors of revisions, each user read once.
#[derive(Default)]
struct Authors(HashMap<String, String>);

impl Authors {
    async fn name(&mut self, state: &AppState, actor: &str) -> Result<String, WebError> {
        if let Some(name) = self.0.get(actor) {
            return Ok(name.clone());
        }
        let name = match actor.strip_prefix("user:").and_then(|id| id.parse::<UserId>().ok()) {
            Some(id) => match state.store.user(id).await {
                Ok(user) => user.display_name,
                Err(StoreError::NotFound(_)) => actor.to_owned(),
                Err(error) => return Err(error.into()),
            },
            None => actor.to_owned(),
        };
        self.0.insert(actor.to_owned(), name.clone());
        Ok(name)
    }

    async fn line(&mut self, state: &AppState, report: &StoredReport, info: &RevisionInfo) -> Result<RevisionLine, WebError> {
        Ok(RevisionLine {
            id: info.id.get(),
            parent: info.parent_id.map(RevisionId::get),
            actor: info.author.clone(),
            author: self.name(state, &info.author).await?,
            created_at: info.created_at.to_string(),
            roles: roles(info, report),
        })
    }
}

/// One page of the history, newest first: the lines, the page (clamped to those there are) and
/// the number of pages.
pub(crate) async fn history(state: &AppState, report: &StoredReport, page: usize) -> Result<(Vec<RevisionLine>, usize, usize), WebError> {
    let mut revisions = state.store.revisions(report.id).await?;
    revisions.reverse();
    let pages = revisions.len().div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let mut authors = Authors::default();
    let mut lines = Vec::new();
    for info in revisions.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE) {
        lines.push(authors.line(state, report, info).await?);
    }
    Ok((lines, page, pages))
}

/// A page number from the query (1 when absent).
pub(crate) fn page_number(query: &[(String, String)]) -> Result<usize, WebError> {
    match field(query, "page") {
        None | Some("") => Ok(1),
        Some(text) => text.parse().map_err(|_| WebError::Invalid(format!("Page: `{text}` is not a page number."))),
    }
}

/// A revision id from the query, or an error naming the parameter.
fn revision_param(query: &[(String, String)], name: &str) -> Result<RevisionId, WebError> {
    let text = field(query, name).ok_or_else(|| WebError::Invalid(format!("`{name}`: choose a version to compare.")))?;
    text.trim().parse().map_err(|_| WebError::Invalid(format!("`{name}`: `{text}` is not a version number.")))
}

/// What changed in one field.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ChangeRow {
    /// The field's path in the document (`answers.g1_ccs_ministry`).
    pub path: String,
    /// Its label from the form, in the page's language.
    pub label: String,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// The old value as the report page shows it, one line per item (empty when added).
    #[serde(skip)]
    pub before: Vec<String>,
    /// The new value as shown (empty when removed).
    #[serde(skip)]
    pub after: Vec<String>,
    /// The old value as stored.
    #[serde(rename = "before")]
    pub before_value: Option<Value>,
    /// The new value as stored.
    #[serde(rename = "after")]
    pub after_value: Option<Value>,
    /// Where the field sits in its section (the form's order).
    #[serde(skip)]
    order: (usize, usize, usize),
}

/// The changes of one section of the form.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct SectionChanges {
    /// Section id; `None` for changes outside the form's sections (the document's header).
    pub section: Option<String>,
    pub heading: String,
    pub changes: Vec<ChangeRow>,
}

/// Two revisions of a report compared.
pub(crate) struct Comparison {
    pub from: RevisionLine,
    pub to: RevisionLine,
    pub sections: Vec<SectionChanges>,
}

/// A revision of `report`, or a 404 when it is not one.
async fn revision_of(state: &AppState, report: &StoredReport, id: RevisionId) -> Result<(RevisionInfo, ReportDocument), WebError> {
    match state.store.revision(id).await {
        Ok((info, document)) if info.report_id == report.id => Ok((info, document)),
        Ok(_) | Err(StoreError::NotFound(_)) => Err(WebError::NotFound(Missing::Page)),
        Err(error) => Err(error.into()),
    }
}

/// Compares two revisions of `report` for a viewer with `access`.
pub(crate) async fn compare(
    state: &AppState,
    report: &StoredReport,
    access: &ReportAccess,
    query: &[(String, String)],
    lang: Lang,
) -> Result<Comparison, WebError> {
    let (from, to) = (revision_param(query, "from")?, revision_param(query, "to")?);
    let (from_info, before) = revision_of(state, report, from).await?;
    let (to_info, after) = revision_of(state, report, to).await?;
    let framework = actions::framework_of(state, report)?;
    let mut sections = describe(framework, &before, &after, &changes::diff(&before, &after), lang);
    let limited = matches!(access, ReportAccess::Contributor { sections: Some(_) });
    sections.retain(|s| s.section.as_deref().map_or(!limited, |id| access.can_see_section(id)));
    let mut authors = Authors::default();
    Ok(Comparison { from: authors.line(state, report, &from_info).await?, to: authors.line(state, report, &to_info).await?, sections })
}

/// Where a change goes: the section (index in the form), its place there, its label, and the
/// question that says how its values are shown.
struct Placed<'a> {
    section: Option<usize>,
    order: (usize, usize, usize),
    label: String,
    question: Option<&'a Question>,
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

/// A record of either document (the new one first): its section key (area or CSO goal), title
/// and position in its list.
fn find_record(before: &ReportDocument, after: &ReportDocument, list: &str, id: &str) -> Option<(RecordHome, String, usize)> {
    for document in [after, before] {
        let found = match list {
            "policy_measures" => document
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
fn repeater(framework: &Framework, index: &HashMap<&str, (usize, usize, &Question)>, home: &RecordHome) -> Option<(usize, usize)> {
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

/// The record type of a list.
fn record_type_name(list: &str) -> &'static str {
    if list == "policy_measures" { "policy_measure" } else { "cso_measure" }
}

/// Places one changed path (not an order change) in the form.
fn place<'a>(
    framework: &'a Framework,
    index: &HashMap<&str, (usize, usize, &'a Question)>,
    documents: (&ReportDocument, &ReportDocument),
    path: &str,
    lang: Lang,
) -> Placed<'a> {
    if let Some((section, position, question)) = path.strip_prefix("answers.").and_then(|id| index.get(id)) {
        return Placed {
            section: Some(*section),
            order: (*position, 0, 0),
            label: question.label.get(lang).to_owned(),
            question: Some(question),
        };
    }
    for list in ["policy_measures", "cso_measures"] {
        let Some((id, key)) = path.strip_prefix(list).and_then(|rest| rest.strip_prefix('.')).and_then(|rest| rest.rsplit_once('.')) else {
            continue;
        };
        let Some((home, title, at)) = find_record(documents.0, documents.1, list, id) else { break };
        let record_type = framework.record_type(record_type_name(list));
        let fields = record_type.map(|r| r.fields.as_slice()).unwrap_or_default();
        let field = fields.iter().enumerate().find(|(_, f)| f.key.as_deref() == Some(key));
        let field_label = match (field, key) {
            (Some((_, f)), _) => f.label.get(lang).to_owned(),
            (None, "area") => i18n::text(lang, "history-field-area"),
            (None, "goal") => i18n::text(lang, "history-field-goal"),
            (None, other) => other.to_owned(),
        };
        let type_label = record_type.map_or(list, |r| r.label.get(lang));
        let (section, position) = repeater(framework, index, &home).map_or((None, usize::MAX), |(s, p)| (Some(s), p));
        return Placed {
            section,
            order: (position, at + 1, field.map_or(usize::MAX, |(i, _)| i)),
            label: format!("{type_label} «{title}» — {field_label}"),
            question: field.map(|(_, f)| f),
        };
    }
    Placed { section: None, order: (usize::MAX, 0, 0), label: path.to_owned(), question: None }
}

/// Whether a value says nothing (absent, null, empty text or list).
fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(fields)) => fields.is_empty(),
        Some(_) => false,
    }
}

/// A value as lines of text: as the report page shows answers of the question's type, else the
/// text itself or compact JSON.
fn shown_lines(framework: &Framework, question: Option<&Question>, value: Option<&Value>, lang: Lang) -> Vec<String> {
    let Some(value) = value.filter(|v| !is_empty(Some(v))) else { return Vec::new() };
    match question {
        Some(question) => match report_view::shown(framework, question, value, lang) {
            Shown::Dash => vec!["-".to_owned()],
            Shown::Lines(lines) => lines,
            Shown::Paragraphs(paragraphs) => paragraphs,
            Shown::Groups(groups) => groups.into_iter().map(|(group, items)| format!("{group}: {}", items.join("; "))).collect(),
            Shown::Table { rows, .. } => rows.into_iter().map(|cells| cells.join(" — ")).collect(),
        },
        None => match value {
            Value::String(text) => text.lines().map(str::to_owned).collect(),
            other => vec![other.to_string()],
        },
    }
}

/// The order of the records of each home (area or goal) in a record list's order.
fn titles_by_home(document: &ReportDocument, list: &str) -> BTreeMap<RecordHome, Vec<(String, String)>> {
    let mut homes: BTreeMap<RecordHome, Vec<(String, String)>> = BTreeMap::new();
    if list == "policy_measures" {
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

/// The reorderings of a record list, one row per area (or goal) whose records kept in both
/// documents are in another order. Adding or removing a record changes the list's order too,
/// but that is shown by the record's own fields, not as a reordering.
fn reorderings(
    framework: &Framework,
    index: &HashMap<&str, (usize, usize, &Question)>,
    documents: (&ReportDocument, &ReportDocument),
    list: &str,
    lang: Lang,
) -> Vec<(Option<usize>, ChangeRow)> {
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
        let ids = |records: &[(String, String)]| Value::Array(records.iter().map(|(id, _)| Value::String(id.clone())).collect());
        rows.push((
            section,
            ChangeRow {
                path: format!("{list}#order"),
                label: i18n::text(lang, "history-order"),
                kind: "changed",
                before: titles(old),
                after: titles(new),
                before_value: Some(ids(old)),
                after_value: Some(ids(new)),
                order: (position, 0, 0),
            },
        ));
    }
    rows
}

/// The changes between two documents, labelled from the framework and grouped by section in
/// the form's order (changes outside the form's sections last). Changes that only turn an
/// empty value into another empty value are left out.
pub(crate) fn describe(
    framework: &Framework,
    before: &ReportDocument,
    after: &ReportDocument,
    changes: &[Change],
    lang: Lang,
) -> Vec<SectionChanges> {
    let index = question_index(framework);
    let mut grouped: BTreeMap<Option<usize>, Vec<ChangeRow>> = BTreeMap::new();
    for change in changes {
        if let Some(list) = change.path.strip_suffix("#order") {
            for (section, row) in reorderings(framework, &index, (before, after), list, lang) {
                grouped.entry(section).or_default().push(row);
            }
            continue;
        }
        let (old, new) = (change.before.as_ref(), change.after.as_ref());
        let kind = match (is_empty(old), is_empty(new)) {
            (true, true) => continue,
            (true, false) => "added",
            (false, true) => "removed",
            (false, false) => "changed",
        };
        let placed = place(framework, &index, (before, after), &change.path, lang);
        grouped.entry(placed.section).or_default().push(ChangeRow {
            path: change.path.clone(),
            label: placed.label,
            kind,
            before: shown_lines(framework, placed.question, old, lang),
            after: shown_lines(framework, placed.question, new, lang),
            before_value: change.before.clone(),
            after_value: change.after.clone(),
            order: placed.order,
        });
    }
    // `None` sorts first in a BTreeMap; the changes outside the form go last.
    let mut sections: Vec<SectionChanges> = grouped
        .into_iter()
        .map(|(section, mut rows)| {
            rows.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.path.cmp(&b.path)));
            let form_section = section.and_then(|s| framework.sections.get(s));
            SectionChanges {
                section: form_section.map(|s| s.id.clone()),
                heading: form_section.map_or_else(|| i18n::text(lang, "history-other"), |s| s.heading.get(lang).to_owned()),
                changes: rows,
            }
        })
        .collect();
    let outside_first = sections.first().is_some_and(|s| s.section.is_none());
    sections.rotate_left(usize::from(outside_first));
    sections
}

/// A revision's time in the page's language: "30 June 2027, 14:05 UTC".
pub(crate) fn when(lang: Lang, at: &str) -> String {
    match at.get(11..16) {
        Some(hour) if at.len() > 16 => format!("{}, {hour} UTC", i18n::date(lang, at)),
        _ => i18n::date(lang, at),
    }
}

#[derive(Template)]
#[template(path = "app/history.html")]
struct HistoryPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    lines: Vec<RevisionLine>,
    page: usize,
    pages: usize,
    /// The two revisions checked at first: the one before the newest, and the newest.
    from: Option<i64>,
    to: Option<i64>,
}

impl HistoryPage<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }

    fn when(&self, at: &str) -> String {
        when(self.ui.language(), at)
    }

    fn roles(&self, line: &RevisionLine) -> String {
        line.roles.iter().map(|r| self.ui.t(format!("history-role-{r}"))).collect::<Vec<_>>().join(", ")
    }

    fn title(&self) -> String {
        let args = [("party", self.report.party_name.clone().into()), ("year", self.report.year.to_string().into())];
        i18n::text_with(self.ui.language(), "history-title", &args)
    }

    fn page_label(&self) -> String {
        let args = [("page", self.page.to_string().into()), ("pages", self.pages.to_string().into())];
        i18n::text_with(self.ui.language(), "history-page", &args)
    }

    fn checked(&self, column: Option<i64>, line: &RevisionLine) -> bool {
        column == Some(line.id)
    }

    fn page_href(&self, page: usize) -> String {
        self.ui.href(format!("{}/history?page={page}", self.base()))
    }
}

/// `GET /app/reports/{iso3}/{year}/history[?page=N]`: the revisions, newest first, 100 a page.
pub(crate) async fn history_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path((iso3, year)): Path<(String, String)>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let (report, _) = actions::report_for(&state, signed_in, &iso3, &year).await?;
        let (lines, page, pages) = history(&state, &report, page_number(&query)?).await?;
        let ui = ui.clone().with_params(vec![("page", page.to_string())]);
        let (from, to) = if page == 1 { (lines.get(1).map(|l| l.id), lines.first().map(|l| l.id)) } else { (None, None) };
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        let page = HistoryPage { lang: ui.lang(), ui: &ui, chrome: &chrome, report: &report, lines, page, pages, from, to };
        Ok(private_page(&page, cookie))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

#[derive(Template)]
#[template(path = "app/compare.html")]
struct ComparePage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    comparison: Comparison,
}

impl ComparePage<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }

    fn intro(&self) -> String {
        let (from, to) = (&self.comparison.from, &self.comparison.to);
        let lang = self.ui.language();
        i18n::text_with(
            lang,
            "history-compare-intro",
            &[
                ("from", from.id.to_string().into()),
                ("from_time", when(lang, &from.created_at).into()),
                ("from_author", from.author.clone().into()),
                ("to", to.id.to_string().into()),
                ("to_time", when(lang, &to.created_at).into()),
                ("to_author", to.author.clone().into()),
            ],
        )
    }

    fn title(&self) -> String {
        let args = [("from", self.comparison.from.id.to_string().into()), ("to", self.comparison.to.id.to_string().into())];
        i18n::text_with(self.ui.language(), "history-compare-title", &args)
    }
}

/// `GET /app/reports/{iso3}/{year}/history/compare?from=A&to=B`: what changed from A to B.
pub(crate) async fn compare_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path((iso3, year)): Path<(String, String)>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let (report, access) = actions::report_for(&state, signed_in, &iso3, &year).await?;
        let comparison = compare(&state, &report, &access, &query, ui.language()).await?;
        let ui = ui.clone().with_params(vec![("from", comparison.from.id.to_string()), ("to", comparison.to.id.to_string())]);
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        Ok(private_page(&ComparePage { lang: ui.lang(), ui: &ui, chrome: &chrome, report: &report, comparison }, cookie))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
