//! The report document: one JSON document per report (`report-json.md`, format
//! `qpr-report/1`). The same document is what the importer prints, what the API returns and
//! what an edit saves, so its keys are a public contract: unknown keys are kept (`extra`) so
//! that a document written by a newer tool survives a round trip through this one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::MeasureKind;
use crate::countries::Iso3;
use crate::money::Usd;

/// The `format` value of documents this crate writes.
pub const FORMAT: &str = "qpr-report/1";

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// Id of the framework version the document answers (`qpr-2020`).
    pub framework: String,
    /// The reporting Party.
    pub party: PartyRef,
    /// The report's year.
    pub year: i32,
    /// Every non-record question, by question id.
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
    /// All "Relevant Policies and Measures" records, in the published order.
    #[serde(default)]
    pub policy_measures: Vec<PolicyMeasure>,
    /// Measures and initiatives reported by CSOs, in the published order.
    #[serde(default)]
    pub cso_measures: Vec<CsoMeasure>,
    /// Where an imported document came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInfo>,
    /// What the importer could not place, with line numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ImportWarning>,
    /// Keys this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The reporting Party as named in the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRef {
    /// Name as written in the report.
    pub name: String,
    /// ISO 3166-1 alpha-3 code, `null` when the name could not be resolved.
    pub iso3: Option<Iso3>,
}

/// A "Relevant Policies and Measures" record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyMeasure {
    /// Stable id, kept across edits and cycles.
    pub id: String,
    /// Area of monitoring id (`cultural_creative_sectors`, …, `transversal`).
    pub area: String,
    /// Title.
    pub title: String,
    /// Agencies responsible for the implementation.
    #[serde(default)]
    pub agencies: Vec<String>,
    /// Cultural domain keys; an unknown spelling is kept as written (validation flags it).
    #[serde(default)]
    pub domains: Vec<String>,
    /// Main features.
    #[serde(default)]
    pub description: String,
    /// Does it specifically target young people?
    #[serde(default)]
    pub targets_youth: Option<bool>,
    /// Does the IFCD support the implementation?
    #[serde(default)]
    pub ifcd_support: Option<bool>,
    /// Results achieved so far.
    #[serde(default)]
    pub results: Option<String>,
    /// Financial resources allocated, as written, with the derived USD figure.
    #[serde(default)]
    pub financial_resources: Option<Amount>,
    /// Has the implementation been evaluated?
    #[serde(default)]
    pub evaluated: Option<bool>,
    /// Main conclusions or recommendations of the evaluation.
    #[serde(default)]
    pub evaluation_conclusions: Option<String>,
    /// Partners engaged in the implementation.
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// Keys this version does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A measure or initiative reported by civil society organizations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsoMeasure {
    /// Stable id.
    pub id: String,
    /// Goal 1 to 4.
    pub goal: u8,
    /// Title.
    pub title: String,
    /// CSOs responsible for the implementation.
    #[serde(default)]
    pub organizations: Vec<String>,
    /// Cultural domain keys.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Main features.
    #[serde(default)]
    pub description: String,
    /// Does it specifically target young people?
    #[serde(default)]
    pub targets_youth: Option<bool>,
    /// Does it receive or has it received IFCD funding?
    #[serde(default)]
    pub ifcd_funding: Option<bool>,
    /// Results achieved so far.
    #[serde(default)]
    pub results: Option<String>,
    /// Keys this version does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A partner of a policy/measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// Name of the partner.
    pub name: String,
    /// Type of entity, as written (`Public Sector`, `Civil Society Organization (CSO)`, …).
    pub entity_type: Option<String>,
}

/// An amount as written, with the USD figure derived from it (`None` for prose).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// The text as written.
    pub raw: String,
    /// The derived figure in USD.
    pub usd: Option<Usd>,
}

impl Amount {
    /// An amount from its raw text, deriving the USD figure.
    pub fn from_raw(raw: impl Into<String>) -> Amount {
        let raw = raw.into();
        let usd = Usd::derive(&raw);
        Amount { raw, usd }
    }
}

/// Where an imported document came from: the page header of the published report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SourceInfo {
    /// Page title (`Quadrennial Periodic Report`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    /// Report label (`Azerbaijan 2022`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_label: Option<String>,
    /// The node line of the publishing CMS (account slug and an ambiguous timestamp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_title: Option<String>,
    /// Capture time of the web archive the page was saved from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_capture: Option<String>,
    /// The date the report was submitted on the earlier platform (`2022-08-05`), read from
    /// the node line's stamp ([`SourceInfo::node_date`]); the page itself shows the year only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_on: Option<String>,
    /// What kind of page it was, when not a whole report page (`measure_page`: one measure of
    /// the Policy Monitoring Platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Sections of the form the page did not reach: it stops early (a cut-off copy, an
    /// archive capture that ends), so they are missing rather than unanswered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_sections: Vec<String>,
}

impl SourceInfo {
    /// The date of the node line's stamp, as `YYYY-MM-DD`: the day the report was submitted
    /// on the earlier platform. The line ends with `… - 05/08/2022 - 23:30`; that CMS wrote
    /// dates day first (the Azerbaijan report of 2022, stamped `05/08/2022`, was submitted
    /// on 5 August 2022), so a stamp is read as `DD/MM/YYYY`, and one that is not a real
    /// date that way gives none.
    pub fn node_date(&self) -> Option<String> {
        let line = self.node_title.as_deref()?;
        line.split_whitespace().rev().find_map(|word| {
            let mut parts = word.split('/');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            let digits = |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_digit());
            if parts.next().is_some() || !digits(day, 2) || !digits(month, 2) || !digits(year, 4) {
                return None;
            }
            let (d, m, y): (u32, u32, i32) = (day.parse().ok()?, month.parse().ok()?, year.parse().ok()?);
            crate::Year::parse(year).ok()?;
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return None,
            };
            (1..=days).contains(&d).then(|| format!("{year}-{month}-{day}"))
        })
    }
}

/// Something the importer could not place, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportWarning {
    /// 1-based line number in the imported text.
    pub line: usize,
    /// What happened, with the text concerned.
    pub message: String,
}

/// The most records a report holds in one list (policies and measures; CSO measures). Real
/// reports hold tens; the bound keeps one save from making a page of tens of megabytes and a
/// server of hundreds (10,000 measures made a 32 MB page and 342 MB of memory).
pub const MAX_MEASURES: usize = 500;

/// The most partners one measure lists.
pub const MAX_PARTNERS: usize = 100;

impl ReportDocument {
    /// What makes this document larger than a report may be ([`MAX_MEASURES`],
    /// [`MAX_PARTNERS`]), in words saying where; `None` when it is within bounds.
    pub fn size_problem(&self) -> Option<String> {
        for (kind, count) in
            [(MeasureKind::Policy, self.policy_measures.len()), (MeasureKind::Cso, self.cso_measures.len())]
        {
            if count > MAX_MEASURES {
                return Some(format!("{}: {count} measures; a report holds at most {MAX_MEASURES}", kind.array()));
            }
        }
        let crowded = self.policy_measures.iter().enumerate().find(|(_, m)| m.partners.len() > MAX_PARTNERS);
        crowded.map(|(i, m)| {
            let array = MeasureKind::Policy.array();
            format!("{array}[{i}].partners: {} partners; a measure lists at most {MAX_PARTNERS}", m.partners.len())
        })
    }

    /// An empty document for a Party and year, answering `framework`.
    pub fn new(framework: &str, party: PartyRef, year: i32) -> ReportDocument {
        ReportDocument {
            format: FORMAT.to_owned(),
            framework: framework.to_owned(),
            party,
            year,
            answers: BTreeMap::new(),
            policy_measures: Vec::new(),
            cso_measures: Vec::new(),
            source: None,
            warnings: Vec::new(),
            extra: BTreeMap::new(),
        }
    }

    /// Parses a document from JSON.
    pub fn from_json(json: &str) -> Result<ReportDocument, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The document as pretty-printed JSON.
    pub fn to_json_pretty(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Policy/measure records of one area, in order.
    pub fn measures_in_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a PolicyMeasure> {
        self.policy_measures.iter().filter(move |m| m.area == area)
    }

    /// CSO measures of one goal, in order.
    pub fn cso_measures_of_goal(&self, goal: u8) -> impl Iterator<Item = &CsoMeasure> {
        self.cso_measures.iter().filter(move |m| m.goal == goal)
    }

    /// The answer to a question, `None` when absent or `null`.
    pub fn answer(&self, id: &str) -> Option<&Value> {
        self.answers.get(id).filter(|v| !v.is_null())
    }
}

/// Splits a text holding a numbered list (`… 1) first; 2) second. 3) third`) into its items,
/// as CSO priorities are published: one paragraph, items marked `N)` in sequence, separated by
/// `;` or `.`. The text before the first marker is not an item. Returns no items when the
/// markers do not run 1, 2, 3, … in order.
pub fn numbered_items(text: &str) -> Vec<String> {
    let mut starts = Vec::new();
    let mut expected = 1;
    let mut search_from = 0;
    loop {
        let marker = format!("{expected})");
        let found = text[search_from..].match_indices(&marker).find(|(at, _)| {
            let absolute = search_from + at;
            // A marker stands at the start or after whitespace: `10)` must not match in `110)`.
            text[..absolute].chars().next_back().is_none_or(char::is_whitespace)
        });
        match found {
            Some((at, _)) => {
                let absolute = search_from + at;
                starts.push((absolute, marker.len()));
                search_from = absolute + marker.len();
                expected += 1;
            }
            None => break,
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &(at, len))| {
            let end = starts.get(i + 1).map_or(text.len(), |&(next, _)| next);
            let item = text[at + len..end].trim();
            // The separator before the next marker belongs to no item, but a final `.` of the
            // last item is part of its sentence.
            if i + 1 < starts.len() { item.trim_end_matches(';').trim_end().to_owned() } else { item.to_owned() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_line_stamp_is_the_submission_date_day_first() {
        let source = |line: &str| SourceInfo { node_title: Some(line.to_owned()), ..SourceInfo::default() };
        let date = |line: &str| source(line).node_date();
        assert_eq!(
            date("Quadrennial Periodic Report - azerbaijanreport - 05/08/2022 - 23:30").as_deref(),
            Some("2022-08-05")
        );
        assert_eq!(date("Rapport - x - 29/02/2024 - 10:00").as_deref(), Some("2024-02-29"));
        assert_eq!(date("Rapport - x - 29/02/2023 - 10:00"), None, "not a leap year");
        assert_eq!(date("Rapport - x - 08/13/2022 - 10:00"), None, "month first is not read");
        assert_eq!(date("Rapport - x - 5/8/2022"), None);
        assert_eq!(date("Quadrennial Periodic Report - azerbaijanreport"), None);
        assert_eq!(SourceInfo::default().node_date(), None);
    }

    #[test]
    fn numbered_items_split_on_markers_in_sequence() {
        let text = "Intro (see 2) below). Recommendations: 1) First one; 2) Second, with 3 parts. 3) Third.";
        // `2)` inside the intro comes before `1)`, so it is not taken as a marker.
        assert_eq!(numbered_items(text), ["First one", "Second, with 3 parts.", "Third."]);
        assert!(numbered_items("no list here").is_empty());
    }

    #[test]
    fn unknown_keys_survive_a_round_trip() {
        let json = r#"{"format":"qpr-report/1","framework":"qpr-2020","party":{"name":"X","iso3":null},
            "year":2022,"answers":{},"policy_measures":[{"id":"a","area":"mobility","title":"T",
            "future_key":[1,2]}],"cso_measures":[],"added_later":{"k":true}}"#;
        let document = ReportDocument::from_json(json).unwrap();
        assert_eq!(document.extra["added_later"]["k"], true);
        let again = ReportDocument::from_json(&document.to_json_pretty()).unwrap();
        assert_eq!(again, document);
        assert_eq!(again.policy_measures[0].extra["future_key"][1], 2);
    }
}
