//! The second half of a report's life: the focal point signs and submits; the Secretariat
//! comments on fields, requests changes, accepts, publishes (or withdraws); the Party may
//! recall a submission until the review has started.
//!
//! Submitting saves the designated official and the date into the document, signs the RFC 8785
//! canonical JSON of that revision with the platform key (`qpr-signature`), and stores the
//! signature together with the move to `submitted`: what the Secretariat reviews and publishes
//! is exactly the signed revision (publication publishes `submitted_revision`).

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use qpr_domain::framework::QuestionRole;
use qpr_domain::text::Lang;
use qpr_domain::validate::{self, Finding, Severity};
use qpr_domain::{Framework, ReportDocument};
use qpr_store::{CommentId, RevisionId, StoredReport};
use qpr_workflow::Decision;
use qpr_workflow::comments::{self, CommentOn, Thread};
use qpr_workflow::decisions::Confirmation;
use qpr_workflow::history;
use qpr_workflow::submission::{self, Signing, SubmitError, SubmitRefusal};
use qpr_workflow::words::Piece;
use serde_json::Value;

use super::access::ReportAccess;
use super::actions;
use super::auth::{self, SignedIn, Viewer};
use super::{Chrome, field, page_error, private_page, see_other};
use crate::AppState;
use crate::error::WebError;
use crate::report_key::ReportKey;
use crate::report_view::{self, Block, Shown};

use crate::ui::Ui;

/// The official as typed: the value of each of the framework's signatory questions, read by
/// `value` from the question's id.
pub(crate) fn official_typed<'a>(
    framework: &Framework,
    value: impl Fn(&str) -> Option<&'a str>,
) -> Vec<(QuestionRole, String)> {
    submission::official_questions(framework)
        .into_iter()
        .map(|(role, q)| (role, value(&q.id).unwrap_or_default().trim().to_owned()))
        .collect()
}

/// The official already in a document (to prefill the form).
fn official_in(framework: &Framework, document: &ReportDocument) -> Vec<(QuestionRole, String)> {
    official_typed(framework, |id| document.answer(id).and_then(Value::as_str))
}

/// A field of the official's form.
pub(crate) struct OfficialField {
    pub id: String,
    pub label: String,
    pub value: String,
    pub options: Vec<String>,
}

fn official_fields(framework: &Framework, ui: &Ui, values: &[(QuestionRole, String)]) -> Vec<OfficialField> {
    values
        .iter()
        .filter_map(|(role, value)| {
            let question = framework.question_with_role(*role)?;
            let options = question
                .options
                .as_deref()
                .and_then(|list| framework.option_lists.get(list))
                .map(|items| {
                    items
                        .iter()
                        .map(|item| if ui.language() == Lang::Fr { item.fr.clone() } else { item.en.clone() })
                        .collect()
                })
                .unwrap_or_default();
            Some(OfficialField {
                id: question.id.clone(),
                label: ui.local(&question.label).to_owned(),
                value: value.clone(),
                options,
            })
        })
        .collect()
}

/// A required question left unanswered, as the submit page links to it.
pub(crate) struct MissingLink {
    /// The question's label in the page's language.
    pub label: String,
    /// Its field on its section's editing page.
    pub href: String,
}

/// The missing answers of one section.
pub(crate) struct MissingSection {
    /// The section's heading in the page's language.
    pub title: String,
    /// Its missing answers, in the form's order.
    pub items: Vec<MissingLink>,
}

/// The required questions `document` leaves unanswered (`submission::unanswered`), grouped by
/// section in the form's order, each linked to its field.
fn missing_sections(
    framework: &Framework,
    ui: &Ui,
    report: &StoredReport,
    document: &ReportDocument,
) -> Vec<MissingSection> {
    let base = format!("/app/reports/{}/{}/sections", report.party_iso3, report.year);
    let mut sections: Vec<MissingSection> = Vec::new();
    let mut current: Option<String> = None;
    for missing in submission::unanswered(framework, document) {
        let (Some(section), Some(question)) =
            (framework.section(&missing.section), framework.question(&missing.question))
        else {
            continue;
        };
        let href = match qpr_editor::answer_location(framework, &question.id) {
            Some((slug, anchor)) => format!("{}#{anchor}", ui.href(format!("{base}/{slug}"))),
            None => ui.href(format!("/app/reports/{}/{}", report.party_iso3, report.year)),
        };
        let link = MissingLink { label: ui.local(&question.label).trim_end().to_owned(), href };
        match sections.last_mut() {
            Some(last) if current.as_deref() == Some(section.id.as_str()) => last.items.push(link),
            _ => {
                current = Some(section.id.clone());
                sections.push(MissingSection { title: ui.local(&section.heading).to_owned(), items: vec![link] });
            }
        }
    }
    sections
}

#[derive(Template)]
#[template(path = "app/submit.html")]
struct SubmitPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    percent: u8,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
    /// Required questions unanswered, by section.
    missing: Vec<MissingSection>,
    official: Vec<OfficialField>,
    problem: Option<String>,
}

impl SubmitPage<'_> {
    /// How many required answers are missing in all.
    fn missing_count(&self) -> usize {
        self.missing.iter().map(|s| s.items.len()).sum()
    }
}

impl SubmitPage<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }
}

/// The report a focal point may submit now, with its current document.
async fn submittable(
    state: &AppState,
    signed_in: &SignedIn,
    key: &ReportKey,
) -> Result<(StoredReport, RevisionId, ReportDocument), WebError> {
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    let (revision, document) = submission::submittable(&state.workflow, &report, &access).await?;
    Ok((report, revision, document))
}

async fn render_submit(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    key: &ReportKey,
    typed: Option<Vec<(QuestionRole, String)>>,
    problem: Option<String>,
) -> Result<Response, WebError> {
    let signed_in = viewer.require()?;
    let (report, _, mut document) = submittable(state, signed_in, key).await?;
    let framework = actions::framework_of(state, &report)?;
    if let Some(values) = &typed {
        for (role, value) in values {
            if let Some(question) = framework.question_with_role(*role) {
                document.answers.insert(question.id.clone(), Value::String(value.clone()));
            }
        }
    }
    let findings = validate::validate(framework, &document);
    let (errors, warnings) = findings.into_iter().partition(|f| f.severity == Severity::Error);
    let percent = validate::overall(&validate::completeness(framework, &document)).percent();
    let missing = missing_sections(framework, ui, &report, &document);
    let official = official_fields(framework, ui, &typed.unwrap_or_else(|| official_in(framework, &document)));
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let failed = problem.is_some();
    let page = SubmitPage {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        report: &report,
        percent,
        errors,
        warnings,
        missing,
        official,
        problem,
    };
    let mut response = private_page(&page, cookie);
    if failed {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /app/reports/{iso3}/{year}/submit`: the summary before signing.
pub(crate) async fn submit_form(State(state): State<AppState>, viewer: Viewer, ui: Ui, key: ReportKey) -> Response {
    render_submit(&state, &viewer, &ui, &key, None, None).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// Why a submission did not go through, for the person signing.
pub(crate) enum Refusal {
    /// Something they can fix on the form (wrong password, missing official, errors left).
    Fix(SubmitRefusal),
    /// Anything else.
    Error(WebError),
}

impl From<WebError> for Refusal {
    fn from(error: WebError) -> Refusal {
        Refusal::Error(error)
    }
}

impl From<qpr_store::StoreError> for Refusal {
    fn from(error: qpr_store::StoreError) -> Refusal {
        Refusal::Error(error.into())
    }
}

/// Signs and submits the current revision of a report with the official named, after checking
/// the focal point's password (see `qpr_workflow::submission`). Returns the submitted report.
pub(crate) async fn submit_report(
    state: &AppState,
    signed_in: &SignedIn,
    key: &ReportKey,
    official: &[(QuestionRole, String)],
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<StoredReport, Refusal> {
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    let signing = Signing { official, password, client };
    submission::submit(&state.workflow, &state.throttle, signed_in, (&report, &access), signing).await.map_err(
        |error| match error {
            SubmitError::Refused(refusal) => Refusal::Fix(refusal),
            SubmitError::Failed(error) => Refusal::Error(error.into()),
        },
    )
}

/// `POST /app/reports/{iso3}/{year}/submit`: the official, the password; signs and submits.
pub(crate) async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    auth::ClientAddress(client): auth::ClientAddress,
    key: ReportKey,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(error) = viewer.check_write(field(&form, "csrf")) {
        return page_error(error, &ui);
    }
    let Some(signed_in) = viewer.signed_in.as_ref() else { return page_error(WebError::Unauthorized, &ui) };
    let report = match actions::report_for(&state, signed_in, &key).await {
        Ok((report, _)) => report,
        Err(error) => return page_error(error, &ui),
    };
    let official = match actions::framework_of(&state, &report) {
        Ok(framework) => official_typed(framework, |id| field(&form, id)),
        Err(error) => return page_error(error, &ui),
    };
    let password = field(&form, "password").unwrap_or_default();
    match submit_report(&state, signed_in, &key, &official, password, client).await {
        Ok(report) => see_other(&ui.href(format!("/app/reports/{}/{}/review", report.party_iso3, report.year))),
        Err(Refusal::Fix(refusal)) => {
            let message = match refusal {
                SubmitRefusal::WrongPassword => ui.t("submit-wrong-password"),
                SubmitRefusal::ErrorsLeft => ui.t("submit-errors-left"),
                SubmitRefusal::Merged => ui.t("submit-merged"),
                SubmitRefusal::OfficialMissing(id) => ui.ts("submit-official-missing", "field", id),
                SubmitRefusal::RequiredMissing(missing) => ui.tn("submit-required-missing", "count", missing.len()),
            };
            render_submit(&state, &viewer, &ui, &key, Some(official), Some(message))
                .await
                .unwrap_or_else(|error| page_error(error, &ui))
        }
        Err(Refusal::Error(error)) => page_error(error, &ui),
    }
}

/// The comment threads of a report, oldest first, with authors' names.
pub(crate) async fn threads(
    state: &AppState,
    report: &StoredReport,
    shown_revision: Option<RevisionId>,
) -> Result<Vec<Thread>, WebError> {
    Ok(comments::threads(&state.store, report, shown_revision).await?)
}

/// A field or record that can be commented on: its path and what the form calls it.
pub(crate) struct Anchor {
    pub path: String,
    pub label: String,
}

/// An entry of the review page's table of contents: a goal or a section of the form, with the
/// number of open comments on its fields.
pub(crate) struct TocLine {
    pub id: String,
    pub text: String,
    pub level: u8,
    pub open: usize,
}

/// The open comments of one section, for the summary at the top of the review page.
pub(crate) struct OpenGroup {
    /// The section's element id; `None` for threads on what the report no longer has.
    pub anchor: Option<String>,
    pub heading: String,
    pub threads: Vec<OpenLine>,
}

/// An open thread in the summary: where it is, and how it starts.
pub(crate) struct OpenLine {
    pub id: CommentId,
    pub field: String,
    pub excerpt: String,
}

/// What changed since the last submission, in words.
pub(crate) struct SinceLast {
    pub from: i64,
    pub to: i64,
    pub sections: Vec<super::history::SectionChanges>,
}

/// The first words of a comment, for the summary.
fn excerpt(body: &str) -> String {
    const LONGEST: usize = 100;
    let mut chars = body.chars();
    let start: String = chars.by_ref().take(LONGEST).collect();
    if chars.next().is_some() { format!("{}…", start.trim_end()) } else { start }
}

/// The open comments by section (`comments::open_by_section`), in words.
fn open_groups(
    framework: &Framework,
    document: &ReportDocument,
    threads: &[Thread],
    anchors: &[Anchor],
    ui: &Ui,
) -> Vec<OpenGroup> {
    comments::open_by_section(framework, document, threads)
        .into_iter()
        .map(|group| OpenGroup {
            anchor: group.section.map(|s| s.id.clone()),
            heading: group.section.map_or_else(|| ui.t("review-open-elsewhere"), |s| ui.local(&s.heading).to_owned()),
            threads: group
                .threads
                .into_iter()
                .map(|thread| {
                    let path = &thread.comment.field_path;
                    OpenLine {
                        id: thread.comment.id,
                        field: anchors
                            .iter()
                            .find(|a| &a.path == path)
                            .map_or_else(|| path.clone(), |a| a.label.clone()),
                        excerpt: excerpt(&thread.comment.body),
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "app/review.html")]
struct ReviewPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    access: &'a ReportAccess,
    /// The report's Party and year, for the links of its measures.
    iso3: &'a str,
    year: i32,
    revision: RevisionId,
    signed: Option<qpr_store::StoredSignature>,
    blocks: Vec<Block>,
    threads: Vec<Thread>,
    anchors: Vec<Anchor>,
    /// The path of the field whose comment form is open (`?field=`).
    selected: String,
    /// The decisions the viewer may take now, in the order the page offers them.
    decisions: Vec<Decision>,
    /// The viewer may take the report off the public site: the page links to it there.
    public_link: bool,
    /// The goals and sections of the form, with their open comments.
    toc: Vec<TocLine>,
    /// The open comments by section.
    open: Vec<OpenGroup>,
    /// What changed since the last submission, when the report was returned and changed since.
    since: Option<SinceLast>,
    /// The executive summary's translations, for the Secretariat.
    translations: Option<super::translations::TranslationsPanel>,
}

impl ReviewPage<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }

    /// The threads on the field or record with element id `id`.
    fn threads_on(&self, id: &str) -> Vec<&Thread> {
        self.threads.iter().filter(|t| anchor_id(&t.comment.field_path) == id).collect()
    }

    /// The comments shown after the field or record `id`, with the form of a new comment on
    /// it (opened in place), rendered (escaped) by their own template; nothing when it cannot
    /// take one. A fragment that fails to render fails the page (never a comment silently left
    /// out).
    fn field_notes(&self, id: &str) -> askama::Result<String> {
        let threads = self.threads_on(id);
        let Some(anchor) = self.anchors.iter().find(|a| anchor_id(&a.path) == id) else { return Ok(String::new()) };
        let fragment = CommentsFragment {
            ui: self.ui,
            threads,
            label: &anchor.label,
            path: &anchor.path,
            id,
            open: anchor.path == self.selected,
            action: self.ui.href(format!("{}/comments", self.base())),
            csrf: &self.chrome.csrf,
            can_resolve: comments::may_resolve(self.access),
        };
        fragment.render()
    }

    /// What the page says of a translation: who attached it, when, from which revision.
    fn translation_attached(&self, translation: &qpr_store::SummaryTranslation) -> String {
        let args = [
            ("name", translation.attached_by_name.clone().into()),
            ("date", self.ui.date(&translation.attached_at).into()),
            ("revision", translation.revision_id.to_string().into()),
        ];
        crate::i18n::text_with(self.ui.language(), "translation-attached", &args)
    }

    /// The number of open comments, all sections together.
    fn open_count(&self) -> usize {
        self.open.iter().map(|g| g.threads.len()).sum()
    }

    /// The explanation of a decision that must be confirmed.
    fn confirm_text(&self, decision: &Decision) -> String {
        self.ui.t(format!("review-confirm-{}", decision.as_str().replace('_', "-")))
    }

    /// The label of the confirmation checkbox of a decision.
    fn confirm_label(&self, decision: &Decision) -> String {
        self.ui.ts("review-confirm", "decision", self.decision_label(decision))
    }

    /// The introduction of "what changed since the last submission".
    fn since_intro(&self, since: &SinceLast) -> String {
        let args = [("from", since.from.to_string().into()), ("to", since.to.to_string().into())];
        crate::i18n::text_with(self.ui.language(), "review-since-intro", &args)
    }

    /// The Secretariat's requests for changes, on the report as a whole.
    fn change_requests(&self) -> Vec<&Thread> {
        self.threads.iter().filter(|t| t.is_change_request()).collect()
    }

    /// The button of a decision: its message id (`review-request-changes`, …).
    fn decision_label(&self, decision: &Decision) -> String {
        self.ui.t(format!("review-{}", decision.as_str().replace('_', "-")))
    }
}

#[derive(Template)]
#[template(path = "app/comments.html")]
struct CommentsFragment<'a> {
    ui: &'a Ui,
    threads: Vec<&'a Thread>,
    /// What the form calls the field or record.
    label: &'a str,
    /// Its comment path (`answers.q`, `records.id`).
    path: &'a str,
    /// Its element id on the page.
    id: &'a str,
    /// The new comment's form starts open (the page was asked with `?field=` this path).
    open: bool,
    action: String,
    csrf: &'a str,
    can_resolve: bool,
}

/// The element id of the page part a comment path points at (`answers.g1_x` → `g1_x`,
/// `records.AZE-2022-pm01` → `AZE-2022-pm01`).
fn anchor_id(path: &str) -> &str {
    path.split_once('.').map_or(path, |(_, id)| id)
}

/// Every field and record of the document that can carry a comment, in the page's order.
fn anchors(blocks: &[Block]) -> Vec<Anchor> {
    let mut anchors = Vec::new();
    for block in blocks {
        match block {
            Block::Field(field) => {
                anchors.push(Anchor { path: format!("answers.{}", field.id), label: field.label.clone() })
            }
            Block::Records { records, label, .. } => {
                anchors.extend(
                    records
                        .iter()
                        .map(|r| Anchor {
                            path: format!("records.{}", r.id), label: format!("{label} — {}", r.title)
                        }),
                );
            }
            Block::Goal { .. } | Block::Section { .. } => {}
        }
    }
    anchors
}

/// Query of the review page: the field the comment form points at.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ReviewQuery {
    field: Option<String>,
}

pub(crate) async fn render_review(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    key: &ReportKey,
    selected: Option<String>,
    refused_translation: Option<super::translations::Refused>,
) -> Result<Response, WebError> {
    let signed_in = viewer.require()?;
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    if !comments::may_comment(&access) {
        return Err(WebError::Forbidden);
    }
    // The Secretariat reviews what was signed; the Party sees its current text with the comments.
    let revision = comments::reviewed_revision(&report)?;
    let (_, document) = state.store.revision(revision).await?;
    let framework = actions::framework_of(state, &report)?;
    let (blocks, toc) = report_view::blocks(framework, &document, ui.language());
    let signed = submission::shown_signature(&state.workflow, &report).await?;
    let decisions = qpr_workflow::decisions::available(&state.store, &report, &access).await?;
    let public_link = decisions.contains(&Decision::Withdraw);
    let threads = threads(state, &report, Some(revision)).await?;
    let anchors = anchors(&blocks);
    let open = open_groups(framework, &document, &threads, &anchors, ui);
    let toc = toc
        .into_iter()
        .map(|entry| TocLine {
            open: open.iter().find(|g| g.anchor.as_deref() == Some(entry.id.as_str())).map_or(0, |g| g.threads.len()),
            id: entry.id,
            text: entry.text,
            level: entry.level,
        })
        .collect();
    let since = match history::since_last_submission(&state.workflow, (&report, &access), &threads).await? {
        Some(comparison) => {
            let words = super::history::in_words(framework, comparison, ui.language())?;
            Some(SinceLast { from: words.from.id, to: words.to.id, sections: words.sections })
        }
        None => None,
    };
    let translations = super::translations::panel(state, &report, &access, refused_translation).await?;
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let page = ReviewPage {
        translations,
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        threads,
        anchors,
        toc,
        open,
        since,
        selected: selected.unwrap_or_default(),
        report: &report,
        access: &access,
        iso3: &report.party_iso3,
        year: report.year,
        revision,
        signed,
        blocks,
        decisions,
        public_link,
    };
    Ok(private_page(&page, cookie))
}

/// `GET /app/reports/{iso3}/{year}/review`: the report as submitted, with the comments beside
/// its fields, the comment form, and the decisions of the Secretariat.
pub(crate) async fn review_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Query(query): Query<ReviewQuery>,
) -> Response {
    render_review(&state, &viewer, &ui, &key, query.field, None).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// Adds a comment (or a reply) on a field of the report's reviewed revision: a new thread only
/// on a field or record the review page shows.
pub(crate) async fn add_comment(
    state: &AppState,
    signed_in: &SignedIn,
    key: &ReportKey,
    path: &str,
    parent: Option<CommentId>,
    body: &str,
) -> Result<CommentId, WebError> {
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    let framework = actions::framework_of(state, &report)?;
    let on = parent.map_or(CommentOn::Field(path), CommentOn::Reply);
    let is_field = |document: &ReportDocument, path: &str| {
        let (blocks, _) = report_view::blocks(framework, document, Lang::En);
        anchors(&blocks).iter().any(|a| a.path == path)
    };
    Ok(comments::add(&state.workflow, signed_in, (&report, &access), on, body, is_field).await?)
}

/// The comment form: a new thread (`field`, `body`), a reply (`parent`, `body`), or the
/// thread to resolve (`resolve`).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CommentForm {
    csrf: Option<String>,
    #[serde(default)]
    field: String,
    #[serde(default)]
    body: String,
    #[serde(default, deserialize_with = "super::optional_number")]
    parent: Option<CommentId>,
    #[serde(default, deserialize_with = "super::optional_number")]
    resolve: Option<CommentId>,
}

/// `POST /app/reports/{iso3}/{year}/comments`: `field` + `body`, or `parent` + `body` (a reply),
/// or `resolve` (a thread id).
pub(crate) async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    form: Result<Form<CommentForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        let anchor = if let Some(thread) = form.resolve {
            let (report, access) = actions::report_for(&state, signed_in, &key).await?;
            let path = comments::resolve(&state.workflow, signed_in, (&report, &access), thread).await?;
            anchor_id(&path).to_owned()
        } else {
            let id = add_comment(&state, signed_in, &key, &form.field, form.parent, &form.body).await?;
            format!("comment-{id}")
        };
        Ok(see_other(&format!("{}#{anchor}", ui.href(format!("/app/reports/{key}/review")))))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// Takes `decision` on the report at `key` (see `qpr_workflow::decisions`).
pub(crate) async fn decide_with_message(
    state: &AppState,
    signed_in: &SignedIn,
    key: &ReportKey,
    decision: (Decision, Confirmation),
    message: &str,
) -> Result<StoredReport, WebError> {
    let (report, access) = actions::report_for(state, signed_in, key).await?;
    Ok(qpr_workflow::decisions::decide(&state.workflow, signed_in, (&report, &access), decision, message).await?)
}

/// The decision form: the decision's name (`Decision::as_str`), its message, and the ticked
/// "I confirm" box (`confirm=yes`) of a decision that needs it.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct DecisionForm {
    csrf: Option<String>,
    decision: Decision,
    #[serde(default)]
    message: String,
    #[serde(default)]
    confirm: Option<String>,
}

impl DecisionForm {
    fn confirmation(&self) -> Confirmation {
        if self.confirm.as_deref() == Some(CONFIRMED) { Confirmation::Confirmed } else { Confirmation::Missing }
    }
}

/// The value of the ticked "I confirm" box.
pub(crate) const CONFIRMED: &str = "yes";

/// The page that asks to confirm a decision posted without its "I confirm" box ticked.
#[derive(Template)]
#[template(path = "app/confirm.html")]
struct ConfirmPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    report: &'a StoredReport,
    decision: Decision,
    /// Why the decision was not taken.
    problem: String,
}

impl ConfirmPage<'_> {
    fn base(&self) -> String {
        format!("/app/reports/{}/{}", self.report.party_iso3, self.report.year)
    }

    fn decision_label(&self) -> String {
        self.ui.t(format!("review-{}", self.decision.as_str().replace('_', "-")))
    }

    fn title(&self) -> String {
        self.ui.ts("review-confirm-title", "decision", self.decision_label())
    }

    fn confirm_text(&self) -> String {
        self.ui.t(format!("review-confirm-{}", self.decision.as_str().replace('_', "-")))
    }

    fn confirm_label(&self) -> String {
        self.ui.ts("review-confirm", "decision", self.decision_label())
    }
}

/// `POST /app/reports/{iso3}/{year}/decision`: `decision` (+ `message`, + `confirm`). A
/// decision that needs confirming, posted without it, changes nothing and answers the page
/// that asks for it (422).
pub(crate) async fn decision_action(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        match decide_with_message(&state, signed_in, &key, (form.decision, form.confirmation()), &form.message).await {
            Ok(_) => Ok(see_other(&ui.href(format!("/app/reports/{key}/review")))),
            Err(WebError::Refused(refusal @ qpr_workflow::WorkflowError::NotConfirmed(decision))) => {
                let (report, _) = actions::report_for(&state, signed_in, &key).await?;
                let (chrome, cookie) = Chrome::new(&state, &viewer)?;
                let problem = crate::i18n::refusal(ui.language(), &refusal);
                let page =
                    ConfirmPage { lang: ui.lang(), ui: &ui, chrome: &chrome, report: &report, decision, problem };
                let mut response = private_page(&page, cookie);
                *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                Ok(response)
            }
            Err(error) => Err(error),
        }
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
