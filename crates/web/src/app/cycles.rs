//! The Secretariat's pages: reporting cycles (open one: a draft per Party expected), the status
//! board of a cycle, and naming each Party's focal point.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use qpr_store::Cycle;

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
    rows: Vec<PartyStatus>,
    counts: Vec<(&'static str, usize)>,
    notice: Option<String>,
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
        let year = actions::parse_year(non_empty(&form.year, &ui.t("board-year"))?)?;
        let deadline =
            actions::parse_date(non_empty(&form.deadline, &ui.t("cycles-deadline"))?, &ui.t("cycles-deadline"))?;
        let framework = non_empty(&form.framework, &ui.t("cycles-framework"))?;
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

async fn render_board(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    year: &str,
    notice: Option<String>,
) -> Result<Response, WebError> {
    actions::require_secretariat(viewer.require()?)?;
    let cycle = actions::cycle(
        state,
        actions::parse_year(year).map_err(|_| WebError::NotFound(crate::Missing::Year(year.to_owned())))?,
    )
    .await?;
    let rows = actions::status_board(state, &cycle).await?;
    let counts = PartyStatus::STATUSES.iter().map(|s| (*s, rows.iter().filter(|r| r.status == *s).count())).collect();
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    Ok(private_page(&BoardPage { lang: ui.lang(), ui, chrome: &chrome, cycle, rows, counts, notice }, cookie))
}

/// `GET /app/cycles/{year}`: every Party's status, overdue ones flagged.
pub(crate) async fn status_board(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    Path(year): Path<String>,
) -> Response {
    render_board(&state, &viewer, &ui, &year, None).await.unwrap_or_else(|error| page_error(error, &ui))
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
        let party = non_empty(&form.party, &ui.t("board-party"))?;
        let email = non_empty(&form.email, &ui.t("members-email"))?;
        let user =
            actions::invite_focal_point(&state, signed_in, cycle_year, party, email, &form.name, ui.language()).await?;
        render_board(&state, &viewer, &ui, &year, Some(ui.ts("members-invited", "email", user.email))).await
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
