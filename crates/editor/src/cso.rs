//! The CSO form (the page behind a CSO's invitation link): the CSO's identification, its
//! measures per goal and its priorities, edited by the same engine as the report, over a
//! [`CsoSubmission`].

use std::collections::BTreeMap;

use qpr_domain::ReportDocument;
use qpr_domain::document::{CsoMeasure, PartyRef};
use qpr_domain::framework::{Framework, Section};
use qpr_domain::validate::{self, Finding};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{Layout, Walker};
use super::{Applied, FormError, SectionView, Words, apply, view};

/// Where a submission keeps its measures.
const CSO_ARRAYS: &[(&str, &str)] = &[("cso_measure", "measures")];

/// What a CSO filled in: kept by the store as JSON (`cso_invitations.submission`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CsoSubmission {
    /// Answers to the questions of the CSO form (identification, priorities), by question
    /// id, as the report keeps its answers.
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
    /// The measures, each with its goal; the same record as the report's CSO measures, so an
    /// included measure is copied as it is.
    #[serde(default)]
    pub measures: Vec<CsoMeasure>,
    /// Keys this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl CsoSubmission {
    /// Parses a stored submission.
    pub fn from_json(json: &str) -> Result<CsoSubmission, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The submission as JSON, for storage.
    pub fn to_json(&self) -> String {
        // Plain data with string keys always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Findings about the answers (an e-mail address that is none, an option outside the list)
    /// and the measures (a missing title, unknown domains), with paths into the submission
    /// (`answers.cso_org_email`, `measures[0].title`).
    pub fn findings(&self, framework: &Framework) -> Vec<Finding> {
        let mut probe = ReportDocument::new(&framework.id, PartyRef { name: "CSO".to_owned(), iso3: None }, 2020);
        probe.cso_measures.clone_from(&self.measures);
        let measures = validate::validate(framework, &probe).into_iter().filter_map(|mut finding| {
            let rest = finding.path.strip_prefix("cso_measures")?;
            finding.path = format!("measures{rest}");
            Some(finding)
        });
        validate::validate_cso_answers(framework, &self.answers).into_iter().chain(measures).collect()
    }
}

fn walker_parts(framework: &Framework) -> (Layout, &[Section]) {
    let sections = framework.cso_form.as_ref().map_or(&[][..], |form| form.sections.as_slice());
    (Layout { arrays: CSO_ARRAYS, id_prefix: "cso".to_owned() }, sections)
}

/// The whole CSO form for `submission` on one page (a block per section of the form), with
/// the findings about its measures, in the language of `words`.
pub fn cso_form_view(framework: &Framework, submission: &CsoSubmission, words: Words) -> SectionView {
    let (layout, sections) = walker_parts(framework);
    let walker = Walker { framework, layout: &layout, sections };
    let state = serde_json::to_value(submission).unwrap_or_default();
    let all: Vec<&Section> = sections.iter().collect();
    view::build(&walker, &all, &state, &submission.findings(framework), None, words)
}

/// Applies a post of the CSO form to `submission` (the version the page was built from).
pub fn apply_cso_form(
    framework: &Framework,
    submission: &CsoSubmission,
    pairs: &[(String, String)],
) -> Result<Applied<CsoSubmission>, FormError> {
    let (layout, sections) = walker_parts(framework);
    let walker = Walker { framework, layout: &layout, sections };
    let state = serde_json::to_value(submission).map_err(|e| FormError::invalid(&e))?;
    let all: Vec<&Section> = sections.iter().collect();
    let applied = apply::apply(&walker, &all, &state, pairs, &apply::context(&walker))?;
    let document = serde_json::from_value(applied.state).map_err(|e| FormError::invalid(&e))?;
    Ok(Applied { document, action: applied.action, focus: applied.focus })
}
