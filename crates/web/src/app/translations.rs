//! The Secretariat's translations of a report's executive summary, on the review page: a form
//! per language (English, French) to attach, replace or remove one. The rules are
//! `qpr_workflow::translations`; this maps the posts to them and their outcome to the page.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;
use qpr_domain::text::Lang;
use qpr_store::{StoredReport, SummaryTranslation};
use qpr_workflow::translations;

use super::access::ReportAccess;
use super::auth::Viewer;
use super::{actions, page_error, see_other};
use crate::AppState;
use crate::error::WebError;
use crate::report_key::ReportKey;
use crate::ui::Ui;

/// The two languages the Secretariat translates into, in the order the page shows them.
pub(crate) const LANGUAGES: [Lang; 2] = [Lang::En, Lang::Fr];

/// The translations part of the review page (the Secretariat's only).
pub(crate) struct TranslationsPanel {
    /// New translations may be attached now (the report's state allows it).
    pub may_attach: bool,
    /// One form per language.
    pub forms: Vec<TranslationForm>,
}

/// The form of one language.
pub(crate) struct TranslationForm {
    /// Its language tag (`en`).
    pub tag: &'static str,
    /// The translation there is, if any.
    pub existing: Option<SummaryTranslation>,
    /// The existing translation is of a summary rewritten since (`translations::is_current`):
    /// readers are not shown it.
    pub out_of_date: bool,
    /// The text the field starts with: what was just posted (after a refusal), else the
    /// existing translation.
    pub text: String,
    /// Why the last post of this form was refused, in the page's language.
    pub problem: Option<String>,
}

/// A refused post, shown again on the page with the text typed.
pub(crate) struct Refused {
    pub lang: Lang,
    pub text: String,
    pub problem: String,
}

/// The panel of `report` for a viewer with `access`: `None` unless they may translate.
pub(crate) async fn panel(
    state: &AppState,
    report: &StoredReport,
    access: &ReportAccess,
    refused: Option<Refused>,
) -> Result<Option<TranslationsPanel>, WebError> {
    if !access.can_translate_summary() {
        return Ok(None);
    }
    let stored = translations::of_report(&state.workflow, report).await?;
    // Only a translation of another revision can be out of date: the translated revision's
    // document is read only then (most review pages have none, or translations of it).
    let mut out_of_date = Vec::new();
    if let Some(revision) = translations::translated_revision(report)
        && stored.iter().any(|t| t.revision_id != revision)
    {
        let (_, document) = state.store.revision(revision).await?;
        let framework = state.framework(&report.framework)?;
        for translation in &stored {
            if !translations::is_current(&state.workflow, framework, translation, (revision, &document)).await? {
                out_of_date.push(translation.lang);
            }
        }
    }
    let forms = LANGUAGES
        .into_iter()
        .map(|lang| {
            let existing = translations::for_reader(&stored, lang).cloned();
            let out_of_date = out_of_date.contains(&lang);
            let (text, problem) = match &refused {
                Some(refused) if refused.lang == lang => (refused.text.clone(), Some(refused.problem.clone())),
                _ => (existing.as_ref().map(|t| t.text.clone()).unwrap_or_default(), None),
            };
            TranslationForm { tag: lang.tag(), existing, out_of_date, text, problem }
        })
        .collect();
    Ok(Some(TranslationsPanel { may_attach: translations::may_translate(report.state), forms }))
}

/// The form of one language: `lang` (`en`, `fr`), `text`, and `remove` when its remove
/// button was pressed.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct TranslationPost {
    csrf: Option<String>,
    lang: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    remove: Option<String>,
}

/// `POST /app/reports/{iso3}/{year}/translations`: attaches (or replaces) the translation in
/// `lang`, or removes it (`remove`); back to the review page at the form. A refusal (too
/// long, empty, the report's state) shows the review page again with the text typed and why
/// (422).
pub(crate) async fn post(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    key: ReportKey,
    form: Result<Form<TranslationPost>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let signed_in = viewer.require()?;
        let (report, _) = actions::report_for(&state, signed_in, &key).await?;
        let lang = Lang::parse(&form.lang).filter(|lang| lang.tag() == form.lang.trim()).ok_or_else(|| {
            WebError::from(qpr_workflow::Invalid::new(
                qpr_workflow::Field::Language,
                qpr_workflow::Problem::Unknown { value: form.lang.clone() },
            ))
        })?;
        let outcome = if form.remove.is_some() {
            translations::remove(&state.workflow, signed_in, &report, lang).await
        } else {
            translations::attach(&state.workflow, signed_in, &report, lang, &form.text).await
        };
        match outcome.map_err(WebError::from) {
            Ok(()) => {
                Ok(see_other(&format!("{}#translation-{}", ui.href(format!("/app/reports/{key}/review")), lang.tag())))
            }
            Err(WebError::Refused(refusal)) => {
                let problem = crate::i18n::refusal(ui.language(), &refusal);
                let refused = Refused { lang, text: form.text.clone(), problem };
                let mut page = super::review::render_review(&state, &viewer, &ui, &key, None, Some(refused)).await?;
                *page.status_mut() = if refusal.is_state_refusal() {
                    axum::http::StatusCode::CONFLICT
                } else {
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY
                };
                Ok(page)
            }
            Err(error) => Err(error),
        }
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
