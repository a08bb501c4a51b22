//! The history of a report and the comparison of two revisions, as pages and JSON: the
//! revisions and the changes are `qpr_workflow::history`'s (typed, placed in the form); here
//! they get the form's labels and their values as the report page shows them, in the page's
//! language. The pages and the JSON API (`api.rs`) share everything here but the rendering.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use qpr_domain::framework::{Framework, Question};
use qpr_domain::text::Lang;
use qpr_store::{RevisionId, StoredReport};
use qpr_workflow::history::{self as flow, ChangeKind, FieldChange, RecordPart, Revision, RevisionRole, Subject};
use qpr_workflow::words::Piece;
use serde::Serialize;
use serde_json::Value;

use super::access::ReportAccess;
use super::auth::Viewer;
use super::{Chrome, actions, field, page_error, private_page};
use crate::AppState;
use crate::error::WebError;
use crate::i18n;
use crate::report_key::ReportKey;
use crate::report_view::{self, Shown};
use crate::ui::Ui;

pub(crate) use qpr_workflow::history::PER_PAGE;

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
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<RevisionRole>,
}

impl From<Revision> for RevisionLine {
    fn from(revision: Revision) -> RevisionLine {
        let Revision { id, parent, actor, author, created_at, roles } = revision;
        RevisionLine {
            id: id.get(),
            parent: parent.map(RevisionId::get),
            actor,
            author,
            created_at: created_at.to_string(),
            roles,
        }
    }
}

/// One page of the history, newest first: the lines, the page (clamped to those there are) and
/// the number of pages.
pub(crate) async fn history(
    state: &AppState,
    report: &StoredReport,
    page: usize,
) -> Result<(Vec<RevisionLine>, usize, usize), WebError> {
    let (lines, page, pages) = flow::history(&state.workflow, report, page).await?;
    Ok((lines.into_iter().map(RevisionLine::from).collect(), page, pages))
}

/// A page number from the query (1 when absent).
pub(crate) fn page_number(query: &[(String, String)]) -> Result<usize, WebError> {
    match field(query, "page") {
        None | Some("") => Ok(1),
        Some(text) => text.parse().map_err(|_| {
            qpr_workflow::Invalid::new(
                qpr_workflow::Field::Page,
                qpr_workflow::Problem::NotANumber { value: text.to_owned() },
            )
            .into()
        }),
    }
}

/// A revision id from the query, or an error naming the parameter.
fn revision_param(query: &[(String, String)], name: &str) -> Result<RevisionId, WebError> {
    let text = field(query, name).ok_or_else(|| {
        qpr_workflow::Invalid::new(qpr_workflow::Field::Version, qpr_workflow::Problem::ChooseVersion)
    })?;
    text.trim().parse().map_err(|_| {
        qpr_workflow::Invalid::new(
            qpr_workflow::Field::Version,
            qpr_workflow::Problem::NotANumber { value: text.to_owned() },
        )
        .into()
    })
}

/// What changed in one field.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ChangeRow {
    /// The field's path in the document (`answers.g1_ccs_ministry`).
    pub path: String,
    /// Its label from the form, in the page's language.
    pub label: String,
    /// `added`, `removed` or `changed`.
    #[schema(value_type = String)]
    pub kind: ChangeKind,
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
    /// The word-level changes of a changed text: the old column shows the kept and deleted
    /// pieces, the new column the kept and inserted ones.
    #[serde(skip)]
    pub words: Option<Vec<Piece>>,
    /// The element id of the field or record on the report page (for links to it).
    #[serde(skip)]
    pub anchor: Option<String>,
}

impl ChangeRow {
    /// The pieces of the old text (kept and deleted), when the row has word-level changes.
    pub(crate) fn old_words(&self) -> Vec<&Piece> {
        self.words.iter().flatten().filter(|p| !matches!(p, Piece::Inserted(_))).collect()
    }

    /// The pieces of the new text (kept and inserted), when the row has word-level changes.
    pub(crate) fn new_words(&self) -> Vec<&Piece> {
        self.words.iter().flatten().filter(|p| !matches!(p, Piece::Deleted(_))).collect()
    }
}

/// The changes of one section of the form.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct SectionChanges {
    /// Section id; `None` for changes outside the form's sections (the document's header).
    pub section: Option<String>,
    pub heading: String,
    pub changes: Vec<ChangeRow>,
}

/// Two revisions of a report compared, in words.
pub(crate) struct Comparison {
    pub from: RevisionLine,
    pub to: RevisionLine,
    pub sections: Vec<SectionChanges>,
}

/// Compares the two revisions the query names (`from`, `to`) for a viewer with `access`.
pub(crate) async fn compare(
    state: &AppState,
    report: &StoredReport,
    access: &ReportAccess,
    query: &[(String, String)],
    lang: Lang,
) -> Result<Comparison, WebError> {
    let (from, to) = (revision_param(query, "from")?, revision_param(query, "to")?);
    let comparison = flow::compare(&state.workflow, (report, access), (from, to)).await?;
    in_words(actions::framework_of(state, report)?, comparison, lang)
}

/// A comparison of the workflow in words: the form's labels, values as the report page shows
/// them, in `lang`.
pub(crate) fn in_words(
    framework: &Framework,
    comparison: flow::Comparison<'_>,
    lang: Lang,
) -> Result<Comparison, WebError> {
    let sources = &comparison.cso_sources;
    let sections = comparison
        .sections
        .into_iter()
        .map(|section| SectionChanges {
            section: section.section.map(|s| s.id.clone()),
            heading: section
                .section
                .map_or_else(|| i18n::text(lang, "history-other"), |s| s.heading.get(lang).to_owned()),
            changes: section.changes.into_iter().map(|change| row(framework, change, sources, lang)).collect(),
        })
        .collect();
    Ok(Comparison { from: comparison.from.into(), to: comparison.to.into(), sections })
}

/// A change in words: its label from the form and its values as the report page shows them;
/// the keys the platform keeps beside a record's fields by what they are, never their codes.
fn row(framework: &Framework, change: FieldChange<'_>, sources: &BTreeMap<i64, String>, lang: Lang) -> ChangeRow {
    let question = change.subject.question();
    let (label, before, after, anchor) = match &change.subject {
        Subject::Answer(question) => (question.label.get(lang).to_owned(), None, None, Some(question.id.clone())),
        Subject::RecordField { record_type, title, key, part } => {
            let field_label = match part {
                RecordPart::Field(f) => f.label.get(lang).to_owned(),
                RecordPart::Area => i18n::text(lang, "history-field-area"),
                RecordPart::Goal => i18n::text(lang, "history-field-goal"),
                RecordPart::CsoInvitation => i18n::text(lang, "history-field-cso-invitation"),
                RecordPart::Other => key.clone(),
            };
            let lines = |value: Option<&Value>| -> Option<Vec<String>> {
                match value.filter(|v| !flow::is_empty(Some(v))) {
                    Some(value) => part_value(framework, part, value, sources, lang).map(|shown| vec![shown]),
                    None => Some(Vec::new()),
                }
            };
            let (before, after) = (lines(change.before.as_ref()), lines(change.after.as_ref()));
            let list = change.path.split('.').next().unwrap_or_default();
            let type_label = record_type.map_or(list, |r| r.label.get(lang));
            let record = change.path.split('.').nth(1).map(str::to_owned);
            (format!("{type_label} «{title}» — {field_label}"), before, after, record)
        }
        Subject::RecordOrder { before, after } => {
            (i18n::text(lang, "history-order"), Some(before.clone()), Some(after.clone()), None)
        }
        Subject::Other => (change.path.clone(), None, None, None),
    };
    ChangeRow {
        label,
        kind: change.kind,
        before: before.unwrap_or_else(|| shown_lines(framework, question, change.before.as_ref(), lang)),
        after: after.unwrap_or_else(|| shown_lines(framework, question, change.after.as_ref(), lang)),
        before_value: change.before,
        after_value: change.after,
        words: change.words,
        anchor,
        path: change.path,
    }
}

/// The value of a record key the platform keeps beside the form's fields, in words: an area
/// by its section's heading, a goal by its heading, a CSO invitation by its organization.
/// `None` for a field of the record type (shown as its question says) or an unknown key.
fn part_value(
    framework: &Framework,
    part: &RecordPart<'_>,
    value: &Value,
    sources: &BTreeMap<i64, String>,
    lang: Lang,
) -> Option<String> {
    let raw = || value.as_str().map_or_else(|| value.to_string(), str::to_owned);
    match part {
        RecordPart::Field(_) | RecordPart::Other => None,
        RecordPart::Area => Some(
            framework
                .sections
                .iter()
                .find(|s| value.as_str().is_some_and(|area| s.area.as_deref() == Some(area)))
                .map_or_else(raw, |s| s.heading.get(lang).to_owned()),
        ),
        RecordPart::Goal => Some(
            value
                .as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .and_then(|n| framework.goal(n))
                .map_or_else(raw, |g| g.heading.get(lang).to_owned()),
        ),
        RecordPart::CsoInvitation => Some(
            value
                .as_i64()
                .and_then(|id| sources.get(&id))
                .cloned()
                .unwrap_or_else(|| i18n::text_with(lang, "history-cso-invitation-value", &[("id", raw().into())])),
        ),
    }
}

/// A value as lines of text: as the report page shows answers of the question's type, else the
/// text itself or compact JSON.
fn shown_lines(framework: &Framework, question: Option<&Question>, value: Option<&Value>, lang: Lang) -> Vec<String> {
    let Some(value) = value.filter(|v| !flow::is_empty(Some(v))) else { return Vec::new() };
    match question {
        Some(question) => match report_view::shown(framework, question, value, lang) {
            Shown::Dash => vec!["-".to_owned()],
            Shown::Lines(lines) => lines,
            Shown::Paragraphs(paragraphs) => paragraphs,
            Shown::Groups(groups) => {
                groups.into_iter().map(|(group, items)| format!("{group}: {}", items.join("; "))).collect()
            }
            Shown::Table { rows, .. } => rows.into_iter().map(|cells| cells.join(" — ")).collect(),
        },
        None => match value {
            Value::String(text) => text.lines().map(str::to_owned).collect(),
            other => vec![other.to_string()],
        },
    }
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
        line.roles.iter().map(|r| self.ui.t(format!("history-role-{}", r.as_str()))).collect::<Vec<_>>().join(", ")
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
    key: ReportKey,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let (report, _) = actions::report_for(&state, signed_in, &key).await?;
        let (lines, page, pages) = history(&state, &report, page_number(&query)?).await?;
        let ui = ui.clone().with_params(vec![("page", page.to_string())]);
        let (from, to) =
            if page == 1 { (lines.get(1).map(|l| l.id), lines.first().map(|l| l.id)) } else { (None, None) };
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        let page =
            HistoryPage { lang: ui.lang(), ui: &ui, chrome: &chrome, report: &report, lines, page, pages, from, to };
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
        let args =
            [("from", self.comparison.from.id.to_string().into()), ("to", self.comparison.to.id.to_string().into())];
        i18n::text_with(self.ui.language(), "history-compare-title", &args)
    }
}

/// `GET /app/reports/{iso3}/{year}/history/compare?from=A&to=B`: what changed from A to B.
pub(crate) async fn compare_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let (report, access) = actions::report_for(&state, signed_in, &key).await?;
        let comparison = compare(&state, &report, &access, &query, ui.language()).await?;
        let ui = ui
            .clone()
            .with_params(vec![("from", comparison.from.id.to_string()), ("to", comparison.to.id.to_string())]);
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        Ok(private_page(
            &ComparePage { lang: ui.lang(), ui: &ui, chrome: &chrome, report: &report, comparison },
            cookie,
        ))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
