//! Prefill: a new draft starts from the Party's previous report. The answers and the policies
//! and measures of the latest earlier report (published or not) are copied into the empty
//! draft as one ordinary save by the focal point, so the copy is a revision like any other.
//!
//! - Measures keep their ids: the measure database follows a measure from one report to the
//!   next.
//! - The document stays the new report's (framework, Party, year); answers to questions the
//!   new form no longer asks, and measures of areas it no longer has, are dropped and listed.
//! - What belongs to the previous report itself is not copied: the section that holds the
//!   signature (signatory, date of submission) and the annexed files (file lists). Both are
//!   found by answer type, not by question id.
//! - CSO measures are not copied: each cycle's come from its own consultation of civil
//!   society, and the focal point includes them from the CSO submissions.
//! - Only an empty draft is prefilled, so that nothing anyone typed is overwritten; a second
//!   prefill is refused for the same reason.

use std::collections::BTreeSet;

use qpr_domain::framework::AnswerType;
use qpr_domain::{Framework, ReportDocument};
use qpr_store::{RevisionId, StoredReport};
use serde::Serialize;

use crate::access::ReportAccess;
use crate::auth::SignedIn;
use crate::{Workflow, WorkflowError};

/// The previous report copied into a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prefill {
    /// The year of the report copied.
    pub from_year: i32,
    /// The framework it answered.
    pub from_framework: String,
    /// Answers copied.
    pub copied_answers: usize,
    /// Policies and measures copied.
    pub copied_measures: usize,
    /// Questions the form no longer asks (ids), whose answers were dropped.
    pub dropped_answers: Vec<String>,
    /// Measures (ids) of areas the form no longer has.
    pub dropped_measures: Vec<String>,
    /// Questions (ids) answered in the previous report that belong to it alone.
    pub not_carried: Vec<String>,
    /// CSO measures of the previous report, not copied.
    pub cso_measures_left: usize,
}

/// Whether a draft has nothing of its own yet: no answer but what a new draft starts with
/// (the questions the platform answers, `QuestionRole::known_to_the_platform`), no record.
pub fn is_empty(framework: &Framework, document: &ReportDocument) -> bool {
    let prefilled = |id: &str| {
        framework
            .question(id)
            .and_then(|q| q.role)
            .is_some_and(qpr_domain::framework::QuestionRole::known_to_the_platform)
    };
    document.answers.iter().all(|(id, value)| value.is_null() || prefilled(id))
        && document.policy_measures.is_empty()
        && document.cso_measures.is_empty()
}

/// `draft` with the answers and measures of `previous` that the form of `framework` still asks
/// for, and what was left out.
pub fn prefilled(
    framework: &Framework,
    previous: &ReportDocument,
    draft: &ReportDocument,
) -> (ReportDocument, Prefill) {
    let own_sections: BTreeSet<&str> = framework
        .sections
        .iter()
        .filter(|s| s.questions.iter().any(|q| q.answer_type == AnswerType::Signature))
        .map(|s| s.id.as_str())
        .collect();
    let mut document = draft.clone();
    let mut summary = Prefill {
        from_year: previous.year,
        from_framework: previous.framework.clone(),
        copied_answers: 0,
        copied_measures: 0,
        dropped_answers: Vec::new(),
        dropped_measures: Vec::new(),
        not_carried: Vec::new(),
        cso_measures_left: previous.cso_measures.len(),
    };
    for (id, value) in previous.answers.iter().filter(|(_, v)| !v.is_null()) {
        match framework.questions().find(|(_, q)| &q.id == id) {
            None => summary.dropped_answers.push(id.clone()),
            Some((section, question))
                if own_sections.contains(section.id.as_str()) || question.answer_type == AnswerType::FileList =>
            {
                summary.not_carried.push(id.clone());
            }
            Some(_) => {
                document.answers.insert(id.clone(), value.clone());
                summary.copied_answers += 1;
            }
        }
    }
    // In the order of the form, as the notice lists them.
    summary.not_carried.sort_by_key(|id| framework.questions().position(|(_, q)| &q.id == id));
    for measure in &previous.policy_measures {
        if framework.area_section(&measure.area).is_some() {
            document.policy_measures.push(measure.clone());
            summary.copied_measures += 1;
        } else {
            summary.dropped_measures.push(measure.id.clone());
        }
    }
    (document, summary)
}

/// The focal point copies the Party's previous report into this empty draft. Returns what was
/// copied and the new revision.
pub async fn prefill(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
) -> Result<(Prefill, RevisionId), WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    if !report.state.is_editable() {
        return Err(WorkflowError::NotEditable(report.state));
    }
    let current = report
        .current_revision
        .ok_or_else(|| WorkflowError::Internal(format!("report {} has no revision", report.id)))?;
    let (_, draft) = workflow.store.revision(current).await?;
    if !is_empty(workflow.framework(&report.framework)?, &draft) {
        return Err(WorkflowError::PrefillNotEmpty);
    }
    let previous = workflow
        .store
        .latest_report_before(&report.party_iso3, report.year)
        .await?
        .ok_or(WorkflowError::NoPreviousReport)?;
    // The published text of a published report; the latest draft of any other.
    let revision = previous.published_revision.or(previous.current_revision);
    let revision =
        revision.ok_or_else(|| WorkflowError::Internal(format!("report {} has no revision", previous.id)))?;
    let (_, previous_document) = workflow.store.revision(revision).await?;
    let (document, summary) = prefilled(workflow.framework(&report.framework)?, &previous_document, &draft);
    if summary.copied_answers == 0 && summary.copied_measures == 0 {
        return Err(WorkflowError::NothingToPrefill(previous.year));
    }
    // Based on the revision found empty: a save landing meanwhile is merged or conflicts,
    // never overwritten.
    let saved = workflow.store.save(report.id, current, &document, &viewer.actor()).await?;
    Ok((summary, saved.revision()))
}

/// The previous report's year, when the overview should offer the prefill: to the focal point,
/// on an editable, empty draft, when there is an earlier report.
pub async fn offer(
    workflow: &Workflow,
    (report, access): (&StoredReport, &ReportAccess),
    document: &ReportDocument,
) -> Result<Option<i32>, WorkflowError> {
    if !access.can_manage()
        || !report.state.is_editable()
        || !is_empty(workflow.framework(&report.framework)?, document)
    {
        return Ok(None);
    }
    Ok(workflow.store.latest_report_before(&report.party_iso3, report.year).await?.map(|r| r.year))
}

#[cfg(test)]
mod tests {
    use qpr_domain::countries::Iso3;
    use qpr_domain::document::{PartyRef, PolicyMeasure};
    use serde_json::json;

    use super::*;

    fn measure(id: &str, area: &str) -> PolicyMeasure {
        serde_json::from_value(json!({"id": id, "area": area, "title": id})).unwrap()
    }

    #[test]
    fn the_previous_answers_and_measures_fill_the_draft_as_the_new_form_asks() {
        let framework = Framework::qpr_2020();
        let party = PartyRef { name: "Azerbaijan".into(), iso3: Some(Iso3::parse("AZE").unwrap()) };
        let mut previous = ReportDocument::new("qpr-2020", party.clone(), 2022);
        previous.answers.insert("g1_ccs_ministry".into(), json!(true));
        previous.answers.insert("gi_executive_summary".into(), json!("Summary"));
        previous.answers.insert("gone_question".into(), json!("x"));
        previous.answers.insert("sub_date".into(), json!("2022"));
        previous.answers.insert("sub_signatory_first_name".into(), json!("Ramil"));
        previous.answers.insert("annex_documents".into(), json!([{"title": "Law"}]));
        previous.answers.insert("g1_ccs_gdp_share".into(), serde_json::Value::Null);
        previous.policy_measures =
            vec![measure("AZE-2022-pm01", "cultural_creative_sectors"), measure("AZE-2022-pm02", "no_such_area")];
        previous.cso_measures = vec![serde_json::from_value(json!({"id": "c1", "goal": 1, "title": "CSO"})).unwrap()];
        let mut draft = ReportDocument::new("qpr-2020", party, 2026);
        draft.answers.insert("gi_party_name".into(), json!("Azerbaijan"));
        assert!(is_empty(framework, &draft), "what a new draft starts with is nothing of its own");

        let (document, summary) = prefilled(framework, &previous, &draft);
        assert_eq!(
            (document.year, document.framework.as_str()),
            (2026, "qpr-2020"),
            "the document stays the new report's"
        );
        assert_eq!(
            document.answers.keys().collect::<Vec<_>>(),
            ["g1_ccs_ministry", "gi_executive_summary", "gi_party_name"],
            "the draft's own answers stay"
        );
        assert_eq!(
            document.policy_measures.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["AZE-2022-pm01"],
            "same ids"
        );
        assert!(document.cso_measures.is_empty());
        assert_eq!(
            summary,
            Prefill {
                from_year: 2022,
                from_framework: "qpr-2020".into(),
                copied_answers: 2,
                copied_measures: 1,
                dropped_answers: vec!["gone_question".into()],
                dropped_measures: vec!["AZE-2022-pm02".into()],
                not_carried: vec!["annex_documents".into(), "sub_signatory_first_name".into(), "sub_date".into()],
                cso_measures_left: 1,
            }
        );
        assert!(!is_empty(framework, &document));
    }
}
