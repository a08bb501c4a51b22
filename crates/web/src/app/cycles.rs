//! The Secretariat's pages: reporting cycles (open one: a draft per Party expected), the status
//! board of a cycle, and naming each Party's focal point.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use qpr_domain::countries::Region;
use qpr_store::{Cycle, User};
use qpr_workflow::board::{BoardQuery, BoardQueryText, BoardSort};
use qpr_workflow::{Field, Invalid, Problem};

use super::actions::{self, PartyStatus};
use super::auth::Viewer;
use super::{Chrome, non_empty, page_error, private_page, see_other};
use crate::AppState;
use crate::error::WebError;
use crate::ui::Ui;

#[derive(Template)]
#[template(path = "app/cycles.html")]
struct CyclesPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    cycles: Vec<Cycle>,
    frameworks: Vec<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "app/board.html")]
struct BoardPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    cycle: Cycle,
    /// The rows the query keeps, in its order.
    rows: Vec<PartyStatus>,
    /// Every Party of the cycle (the forms' choices), by name.
    parties: Vec<(String, String)>,
    /// "12 of 158 reports shown", in the page's language.
    shown: String,
    counts: Vec<(&'static str, usize)>,
    notice: Option<String>,
    /// The query as typed (the filter form shows it).
    query: BoardQueryText,
    /// The query's parameters, for the links that keep it (CSV, sorting).
    query_string: String,
    regions: Vec<Region>,
    statuses: [&'static str; 6],
    sorts: Vec<&'static str>,
    reviewers: Vec<User>,
}

impl BoardPage<'_> {
    /// The address of the board sorted by `column`: the other way round when it is sorted by
    /// it already, the filters kept.
    fn sort_href(&self, column: &str) -> String {
        let descending = self.query.sort == column && self.query.order != "desc";
        let text = BoardQueryText {
            sort: column.to_owned(),
            order: if descending { "desc".to_owned() } else { String::new() },
            ..self.query.clone()
        };
        self.ui.href(format!("/app/cycles/{}{}", self.cycle.year, query_string(&text)))
    }

    /// `aria-sort` of a column's header.
    fn aria_sort(&self, column: &str) -> &'static str {
        let sorted = if self.query.sort.is_empty() { "party" } else { self.query.sort.as_str() };
        match (sorted == column, self.query.order == "desc") {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

/// The non-empty parameters of a board query, `?region=africa&…` (empty when none).
fn query_string(text: &BoardQueryText) -> String {
    let pairs = [
        ("region", &text.region),
        ("status", &text.status),
        ("overdue", &text.overdue),
        ("min", &text.min),
        ("max", &text.max),
        ("reviewer", &text.reviewer),
        ("sort", &text.sort),
        ("order", &text.order),
    ];
    let params: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| format!("{key}={}", crate::ui::query_value(value.trim())))
        .collect();
    if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) }
}

async fn render_cycles(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    error: Option<String>,
) -> Result<Response, WebError> {
    actions::require_secretariat(viewer.require()?)?;
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let frameworks = state.frameworks.ids().map(str::to_owned).collect();
    let page =
        CyclesPage { lang: ui.lang(), ui, chrome: &chrome, cycles: state.store.cycles().await?, frameworks, error };
    let mut response = private_page(&page, cookie);
    if page.error.is_some() {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /app/cycles`.
pub(crate) async fn cycles_page(State(state): State<AppState>, viewer: Viewer, ui: Ui) -> Response {
    render_cycles(&state, &viewer, &ui, None).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// `POST /app/cycles`: opens a cycle (`year`, `framework`, `deadline`, `parties`: codes
/// separated by spaces or commas, empty for every Party).
pub(crate) async fn open_cycle(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    form: Result<Form<OpenCycleForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        let year = actions::parse_year(non_empty(&form.year, Field::Year)?)?;
        let deadline = actions::parse_date(non_empty(&form.deadline, Field::Deadline)?, Field::Deadline)?;
        let framework = non_empty(&form.framework, Field::Framework)?;
        let parties: Vec<String> =
            form.parties.split([',', ' ', '\n', '\r']).filter(|s| !s.is_empty()).map(str::to_uppercase).collect();
        actions::open_cycle(&state, signed_in, year, framework, &deadline, &parties).await?;
        Ok(see_other(&ui.href(format!("/app/cycles/{year}"))))
    }
    .await;
    match result {
        Err(
            error @ (WebError::Invalid(_) | WebError::Refused(_) | WebError::Store(qpr_store::StoreError::Rejected(_))),
        ) => {
            let message = error.public_message(ui.language());
            render_cycles(&state, &viewer, &ui, Some(message)).await.unwrap_or_else(|error| page_error(error, &ui))
        }
        other => other.unwrap_or_else(|error| page_error(error, &ui)),
    }
}

/// The cycle a board's address names; `404` for a year that is not one.
async fn board_cycle(state: &AppState, year: &str) -> Result<Cycle, WebError> {
    actions::cycle(
        state,
        actions::parse_year(year).map_err(|_| WebError::NotFound(crate::Missing::Year(year.to_owned())))?,
    )
    .await
}

async fn render_board(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    year: &str,
    notice: Option<String>,
    query: BoardQueryText,
) -> Result<Response, WebError> {
    let signed_in = viewer.require()?;
    actions::require_secretariat(signed_in)?;
    let cycle = board_cycle(state, year).await?;
    let checked = BoardQuery::parse(&query)?;
    let all = qpr_workflow::cycles::status_board(&state.workflow, &cycle, ui.language()).await?;
    let counts = PartyStatus::STATUSES.iter().map(|s| (*s, all.iter().filter(|r| r.status == *s).count())).collect();
    let mut parties: Vec<(String, String)> = all.iter().map(|r| (r.iso3.clone(), r.party.clone())).collect();
    parties.sort_by(|a, b| a.1.cmp(&b.1));
    let total = all.len();
    let rows = checked.apply(all);
    let (shown_count, total) = (rows.len(), total);
    let reviewers = qpr_workflow::board::reviewers(&state.workflow, signed_in).await?;
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let page = BoardPage {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        cycle,
        rows,
        parties,
        shown: crate::i18n::text_with(
            ui.language(),
            "board-shown",
            &[("shown", shown_count.into()), ("total", total.into())],
        ),
        counts,
        notice,
        query_string: query_string(&query),
        query,
        regions: Region::ALL.to_vec(),
        statuses: PartyStatus::STATUSES,
        sorts: BoardSort::ALL.iter().map(|(_, id)| *id).collect(),
        reviewers,
    };
    Ok(private_page(&page, cookie))
}

/// `GET /app/cycles/{year}`: every Party's status, overdue ones flagged.
pub(crate) async fn status_board(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(year): Path<String>,
    Query(query): Query<BoardQueryText>,
) -> Response {
    render_board(&state, &viewer, &ui, &year, None, query).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// `GET /app/cycles/{year}/board.csv`: the rows of the board as its query filters and orders
/// them (the same parameters), one line per report.
pub(crate) async fn board_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(year): Path<String>,
    Query(query): Query<BoardQueryText>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let cycle = board_cycle(&state, &year).await?;
        let checked = BoardQuery::parse(&query)?;
        let rows = qpr_workflow::board::board(&state.workflow, signed_in, &cycle, &checked, ui.language()).await?;
        let mut out = String::new();
        let header =
            ["party", "party_name", "region", "status", "percent_complete", "overdue", "updated_at", "reviewer"];
        crate::csv::push_row(&mut out, header);
        for row in &rows {
            crate::csv::push_row(
                &mut out,
                [
                    row.iso3.clone(),
                    row.party.clone(),
                    row.region.map(|r| r.id().to_owned()).unwrap_or_default(),
                    row.status.to_owned(),
                    row.percent.to_string(),
                    if row.overdue { "yes" } else { "no" }.to_owned(),
                    row.updated_at.to_string(),
                    row.reviewer_name.clone().unwrap_or_default(),
                ],
            );
        }
        let disposition = format!("attachment; filename=\"qpr-board-{}.csv\"", cycle.year);
        Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            out,
        )
            .into_response())
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `POST /app/cycles/{year}/reviewers`: the Secretariat assigns a reviewer (`reviewer`: a
/// member's id, empty for nobody) to a Party's report (`party`) of the cycle.
pub(crate) async fn assign_reviewer(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(year): Path<String>,
    form: Result<Form<ReviewerForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        actions::require_secretariat(signed_in)?;
        let cycle = board_cycle(&state, &year).await?;
        let party = non_empty(&form.party, Field::Party)?;
        let no_report =
            || Invalid::new(Field::Party, Problem::NotInCycle { party: party.to_owned(), year: cycle.year });
        let code = qpr_domain::countries::Iso3::from_input(party).map_err(|_| no_report())?;
        let report = state.store.report_by_key(code.as_str(), cycle.year).await?.ok_or_else(no_report)?;
        let reviewer = match form.reviewer.trim() {
            "" => None,
            id => Some(
                id.parse().map_err(|_| Invalid::new(Field::Reviewer, Problem::NoSuchUser { value: id.to_owned() }))?,
            ),
        };
        qpr_workflow::board::assign_reviewer(&state.workflow, signed_in, report.id, reviewer).await?;
        let name = qpr_domain::countries::by_iso3(party)
            .map_or_else(|| report.party_name.clone(), |c| c.name.get(ui.language()).to_owned());
        let notice = ui.ts("board-reviewer-assigned", "party", name);
        render_board(&state, &viewer, &ui, &year, Some(notice), BoardQueryText::default()).await
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `POST /app/cycles/{year}/focal-points`: names a Party's focal point (`party`, `email`,
/// `name`) and e-mails them the link to their account.
pub(crate) async fn invite_focal_point(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(year): Path<String>,
    form: Result<Form<FocalPointForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        let cycle_year = actions::parse_year(&year)?;
        let party = non_empty(&form.party, Field::Party)?;
        let email = non_empty(&form.email, Field::Email)?;
        let user =
            actions::invite_focal_point(&state, signed_in, cycle_year, party, email, &form.name, ui.language()).await?;
        let notice = Some(ui.ts("members-invited", "email", user.email));
        render_board(&state, &viewer, &ui, &year, notice, BoardQueryText::default()).await
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `POST /app/cycles`: the cycle to open.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct OpenCycleForm {
    csrf: Option<String>,
    #[serde(default)]
    year: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    framework: String,
    /// Party codes separated by spaces or commas; empty for every Party.
    #[serde(default)]
    parties: String,
}

/// `POST /app/cycles/{year}/message`: a message to the focal points of the reports the
/// board's filters keep (the filters as hidden fields), previewed first (`send` empty), then
/// sent with the preview's token (`send=yes`).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct MessageForm {
    csrf: Option<String>,
    #[serde(default)]
    region: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    min: String,
    #[serde(default)]
    max: String,
    #[serde(default)]
    reviewer: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    send: String,
}

#[derive(Template)]
#[template(path = "app/board_message.html")]
struct MessagePreviewPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    cycle: Cycle,
    query: BoardQueryText,
    subject: String,
    body: String,
    message: qpr_workflow::board::BoardMessage,
    /// "This message goes to …", in the page's language.
    summary: String,
}

/// `POST /app/cycles/{year}/message`: the preview (how many people, which Parties have no
/// focal point), then the sending, claimed once by the preview's token.
pub(crate) async fn message_focal_points(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(year): Path<String>,
    form: Result<Form<MessageForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        actions::require_secretariat(signed_in)?;
        let cycle = board_cycle(&state, &year).await?;
        let query = BoardQueryText {
            region: form.region,
            status: form.status,
            overdue: form.overdue,
            min: form.min,
            max: form.max,
            reviewer: form.reviewer,
            ..BoardQueryText::default()
        };
        let checked = BoardQuery::parse(&query)?;
        let subject = non_empty(&form.subject, Field::Subject)?.to_owned();
        let body = non_empty(&form.body, Field::Message)?.to_owned();
        if form.send == "yes" {
            let outcome = qpr_workflow::board::send_message(
                &state.workflow,
                signed_in,
                (&cycle, &checked, ui.language()),
                &form.token,
                (&subject, &body),
            )
            .await?;
            let notice = match outcome {
                qpr_workflow::board::MessageOutcome::Sent(count) => ui.tn("board-message-sent", "count", count),
                qpr_workflow::board::MessageOutcome::AlreadySent => ui.t("board-message-already-sent"),
            };
            return render_board(&state, &viewer, &ui, &year, Some(notice), query).await;
        }
        let message =
            qpr_workflow::board::preview_message(&state.workflow, signed_in, &cycle, &checked, ui.language()).await?;
        let summary = crate::i18n::text_with(
            ui.language(),
            "board-message-summary",
            &[("people", message.count().into()), ("reports", message.recipients.len().into())],
        );
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        let page = MessagePreviewPage {
            lang: ui.lang(),
            ui: &ui,
            chrome: &chrome,
            cycle,
            query,
            subject,
            body,
            message,
            summary,
        };
        Ok(private_page(&page, cookie))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `POST /app/cycles/{year}/reviewers`: the report's Party and its reviewer.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ReviewerForm {
    csrf: Option<String>,
    #[serde(default)]
    party: String,
    /// A member's id; empty for nobody.
    #[serde(default)]
    reviewer: String,
}

/// `POST /app/cycles/{year}/focal-points`: the Party and its focal point.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct FocalPointForm {
    csrf: Option<String>,
    #[serde(default)]
    party: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
}
