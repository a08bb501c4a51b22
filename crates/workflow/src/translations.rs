//! The Secretariat's translations of a report's executive summary (the one part it translates,
//! into English or French): attached, replaced and removed by the Secretariat, shown on the
//! public page to readers of that language, marked as the Secretariat's.
//!
//! The rules, written here only:
//! - who: the Secretariat ([`crate::ReportAccess::can_translate_summary`]); anyone else is
//!   refused as for any other action on the report (not found for what they may not see);
//! - when: a translation is attached to a report that was submitted, accepted or published
//!   ([`may_translate`]): before submission the summary is still being written. It translates
//!   the summary of the published revision, else of the submitted one ([`translated_revision`]),
//!   which must have an executive summary. Removing is possible in any state (a report sent
//!   back for changes may have a summary the translation no longer matches);
//! - which language: a translation into a language says the summary is written in another
//!   (the Secretariat translates a French summary into English, a Spanish one into both), so
//!   readers of that language are shown it ([`for_reader`]), with the original beside it;
//! - what: 1 to [`MAX_TRANSLATION_CHARS`] characters (line ends made `\n`, the ends trimmed),
//!   kept as typed and shown as text.

use qpr_domain::framework::QuestionRole;
use qpr_domain::text::Lang;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::{ReportState, RevisionId, StoreError, StoredReport, SummaryTranslation};

use crate::access::ReportAccess;
use crate::auth::SignedIn;
use crate::{Workflow, WorkflowError};

/// The longest translation, in characters (the 2012–2019 online form held the summary to
/// 3,500 characters; the 2020 form sets no limit, and a translation runs longer than its
/// original).
pub const MAX_TRANSLATION_CHARS: usize = 20_000;

/// Whether the Secretariat translates the executive summary of a report in `state`: once it
/// is submitted (submitted, accepted, published).
pub fn may_translate(state: ReportState) -> bool {
    matches!(state, ReportState::Submitted | ReportState::Accepted | ReportState::Published)
}

/// The revision whose executive summary a translation made now translates: the published
/// revision, else the submitted one.
pub fn translated_revision(report: &StoredReport) -> Option<RevisionId> {
    report.published_revision.or(report.submitted_revision)
}

/// The executive summary of `document` (the question with that role in its form), when
/// answered with some text.
pub fn executive_summary<'a>(framework: &Framework, document: &'a ReportDocument) -> Option<&'a str> {
    let question = framework.question_with_role(QuestionRole::ExecutiveSummary)?;
    document.answer(&question.id)?.as_str().filter(|text| !text.trim().is_empty())
}

/// The translation a reader of `lang` is shown, if the Secretariat attached one in `lang`.
pub fn for_reader(translations: &[SummaryTranslation], lang: Lang) -> Option<&SummaryTranslation> {
    translations.iter().find(|t| t.lang == lang)
}

/// Whether `translation` still translates the executive summary of `revision` (`document`):
/// it was made of that revision, or of an earlier one whose summary reads the same. A summary
/// rewritten since (the report sent back for changes, its summary changed, submitted again)
/// makes it out of date: the public page and the API leave it out, and the review page says
/// to attach it again.
pub async fn is_current(
    workflow: &Workflow,
    framework: &Framework,
    translation: &SummaryTranslation,
    (revision, document): (RevisionId, &ReportDocument),
) -> Result<bool, WorkflowError> {
    if translation.revision_id == revision {
        return Ok(true);
    }
    let (_, translated) = workflow.store.revision(translation.revision_id).await?;
    Ok(executive_summary(framework, &translated) == executive_summary(framework, document))
}

/// The translations of `report` that still translate the summary of `revision` (`document`):
/// what readers of the published report are shown ([`is_current`]).
pub async fn current_of(
    workflow: &Workflow,
    framework: &Framework,
    report: &StoredReport,
    (revision, document): (RevisionId, &ReportDocument),
) -> Result<Vec<SummaryTranslation>, WorkflowError> {
    let mut current = Vec::new();
    for translation in of_report(workflow, report).await? {
        if is_current(workflow, framework, &translation, (revision, document)).await? {
            current.push(translation);
        }
    }
    Ok(current)
}

/// The translations of the report's executive summary (every reader of a published report
/// may see them; the workspace shows them to the Secretariat).
pub async fn of_report(workflow: &Workflow, report: &StoredReport) -> Result<Vec<SummaryTranslation>, WorkflowError> {
    Ok(workflow.store.summary_translations(report.id).await?)
}

/// The text as stored: line ends made `\n`, surrounding blank space trimmed, 1 to
/// [`MAX_TRANSLATION_CHARS`] characters.
fn checked_text(text: &str) -> Result<String, WorkflowError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_TRANSLATION_CHARS {
        return Err(WorkflowError::TranslationLength { chars });
    }
    Ok(text.to_owned())
}

/// Refuses what the viewer may not do: not found for a report they may not see, not allowed
/// for anyone but the Secretariat.
fn authorize(viewer: &SignedIn, report: &StoredReport) -> Result<(), WorkflowError> {
    let access = ReportAccess::of(viewer, report);
    if !access.can_see_report() {
        return Err(WorkflowError::NotFound);
    }
    if !access.can_translate_summary() {
        return Err(WorkflowError::Forbidden);
    }
    Ok(())
}

/// Attaches the translation into `lang` of the report's executive summary, replacing the one
/// there was (the audit log keeps every text).
pub async fn attach(
    workflow: &Workflow,
    viewer: &SignedIn,
    report: &StoredReport,
    lang: Lang,
    text: &str,
) -> Result<(), WorkflowError> {
    authorize(viewer, report)?;
    if !may_translate(report.state) {
        return Err(WorkflowError::NotTranslatable(report.state));
    }
    let text = checked_text(text)?;
    let revision = translated_revision(report).ok_or(WorkflowError::NotTranslatable(report.state))?;
    let (_, document) = workflow.store.revision(revision).await?;
    let framework = workflow.framework(&report.framework)?;
    if executive_summary(framework, &document).is_none() {
        return Err(WorkflowError::NoExecutiveSummary);
    }
    workflow
        .store
        .attach_summary_translation((report.id, revision), lang, &text, viewer.user.id, &viewer.actor())
        .await?;
    Ok(())
}

/// Removes the translation into `lang`; not found when there is none.
pub async fn remove(
    workflow: &Workflow,
    viewer: &SignedIn,
    report: &StoredReport,
    lang: Lang,
) -> Result<(), WorkflowError> {
    authorize(viewer, report)?;
    match workflow.store.remove_summary_translation(report.id, lang, &viewer.actor()).await {
        Err(StoreError::NotFound(_)) => Err(WorkflowError::NotFound),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(checked_text("  Un résumé.\r\nSuite.\r ").unwrap(), "Un résumé.\nSuite.");
        assert!(matches!(checked_text(" \n "), Err(WorkflowError::TranslationLength { chars: 0 })));
        let long = "é".repeat(MAX_TRANSLATION_CHARS + 1);
        let refused = checked_text(&long).unwrap_err();
        assert_eq!(refused.args(), vec![("chars", "20001".to_owned())]);
        assert!(checked_text(&"é".repeat(MAX_TRANSLATION_CHARS)).is_ok());
    }

    #[test]
    fn translated_once_submitted() {
        let allowed: Vec<ReportState> = ReportState::ALL.into_iter().filter(|s| may_translate(*s)).collect();
        assert_eq!(allowed, [ReportState::Submitted, ReportState::Accepted, ReportState::Published]);
    }

    #[test]
    fn every_builtin_form_names_its_executive_summary() {
        for framework in Framework::builtin_versions() {
            let question = framework.question_with_role(QuestionRole::ExecutiveSummary);
            assert!(question.is_some_and(|q| q.id.ends_with("executive_summary")), "{}", framework.id);
        }
    }
}
