//! Prefill: a new draft starts from the Party's previous report. The rule (what carries over,
//! when a prefill is refused) is `qpr_workflow::prefill`'s; here, what the focal point is told
//! and the page's action.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use qpr_domain::Framework;
pub(crate) use qpr_workflow::prefill::Prefill;

use super::auth::Viewer;
use super::{actions, page_error};
use crate::AppState;
use crate::error::WebError;
use crate::i18n;
use crate::report_key::ReportKey;
use crate::ui::Ui;

/// What the focal point is told after a prefill, sentence by sentence: labels in the page's
/// language (from the previous report's form for questions the new one no longer has).
pub(crate) fn summary_sentences(state: &AppState, summary: &Prefill, framework: &Framework, ui: &Ui) -> Vec<String> {
    let lang = ui.language();
    let previous_framework = state.frameworks.get(&summary.from_framework).map(AsRef::as_ref);
    let label = |framework: Option<&Framework>, id: &str| {
        framework.and_then(|f| f.question(id)).map_or_else(|| id.to_owned(), |q| ui.local(&q.label).to_owned())
    };
    let count = |n: usize| n.to_string();
    let mut sentences = vec![i18n::text_with(
        lang,
        "prefill-done",
        &[
            ("answers", count(summary.copied_answers).into()),
            ("measures", count(summary.copied_measures).into()),
            ("year", summary.from_year.to_string().into()),
        ],
    )];
    let list = |ids: &[String], framework: Option<&Framework>| {
        ids.iter().map(|id| label(framework, id)).collect::<Vec<_>>().join("; ")
    };
    if !summary.dropped_answers.is_empty() {
        sentences.push(ui.ts("prefill-dropped-answers", "list", list(&summary.dropped_answers, previous_framework)));
    }
    if !summary.dropped_measures.is_empty() {
        sentences.push(ui.ts("prefill-dropped-measures", "list", summary.dropped_measures.join("; ")));
    }
    if !summary.not_carried.is_empty() {
        let args = [
            ("year", summary.from_year.to_string().into()),
            ("list", list(&summary.not_carried, Some(framework)).into()),
        ];
        sentences.push(i18n::text_with(lang, "prefill-not-carried", &args));
    }
    if summary.cso_measures_left > 0 {
        sentences.push(ui.t("prefill-cso-not-carried"));
    }
    sentences
}

/// `POST /app/reports/{iso3}/{year}/prefill` (`csrf`): the overview again, saying what was
/// copied.
pub(crate) async fn prefill_action(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let (signed_in, report, access) = super::posted_on_report(&state, &viewer, &form, &key).await?;
        let (summary, _) = qpr_workflow::prefill::prefill(&state.workflow, signed_in, (&report, &access)).await?;
        let framework = actions::framework_of(&state, &report)?;
        let notice = summary_sentences(&state, &summary, framework, &ui).join(" ");
        super::workspace::render_overview(&state, &viewer, &ui, &key, Some(notice)).await
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
