//! How the form versions answer each other: for each pair of versions, each question of one
//! mapped to the other's (`same`, `broader`, `narrower`, `overlapping`), the questions with
//! no equivalent listed apart, and the measure fields both ask. Data, not code:
//! `data/frameworks/mapping.json`; anything that compares or adds up answers across cycles
//! goes through it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::framework::Framework;

const MAPPING_JSON: &str = include_str!("../data/frameworks/mapping.json");

/// What the `to` question is to the `from` question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Asks the same.
    Same,
    /// Asks more: the earlier answer is part of it.
    Broader,
    /// Asks part of it: the earlier answer may hold more.
    Narrower,
    /// Each holds part of the other.
    Overlapping,
}

impl Relation {
    /// The relation seen from the other side.
    pub fn inverse(self) -> Relation {
        match self {
            Relation::Broader => Relation::Narrower,
            Relation::Narrower => Relation::Broader,
            other => other,
        }
    }
}

/// One question mapped to one of the other version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionLink {
    /// Question id in the `from` version.
    pub from: String,
    /// Question id in the `to` version.
    pub to: String,
    /// What `to` is to `from`.
    pub relation: Relation,
}

/// Measure record keys of two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MeasureFields {
    /// Keys both versions ask.
    pub same: Vec<String>,
    /// Keys only the `from` version asks (empty in measures of the other).
    pub only_from: Vec<String>,
    /// Keys only the `to` version asks.
    pub only_to: Vec<String>,
}

/// The mapping between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionPair {
    /// The earlier version's id.
    pub from: String,
    /// The later version's id.
    pub to: String,
    /// How the pair was made.
    #[serde(default)]
    pub note: String,
    /// The mapped questions.
    pub questions: Vec<QuestionLink>,
    /// Questions of `from` with no equivalent in `to`.
    pub unmapped_from: Vec<String>,
    /// Questions of `to` with no equivalent in `from`.
    pub unmapped_to: Vec<String>,
    /// Measure fields.
    #[serde(default)]
    pub measure_fields: MeasureFields,
}

/// Every pair of versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionMapping {
    /// `qpr-mapping/1`.
    pub format: String,
    /// What the relations mean and where the mapping comes from.
    #[serde(default)]
    pub note: String,
    /// The pairs.
    pub pairs: Vec<VersionPair>,
}

impl VersionMapping {
    /// The built-in mapping between the built-in versions.
    pub fn builtin() -> &'static VersionMapping {
        static CELL: OnceLock<VersionMapping> = OnceLock::new();
        CELL.get_or_init(|| {
            #[expect(clippy::expect_used, reason = "the embedded file is tested")]
            serde_json::from_str(MAPPING_JSON).expect("embedded mapping is valid")
        })
    }

    /// The questions of version `to` that answer question `question` of version `from`, with
    /// what each is to it; either direction of a stored pair works. Empty when none does
    /// (the question is unmapped) or the versions are not paired.
    pub fn equivalents(&self, from: &str, question: &str, to: &str) -> Vec<(&str, Relation)> {
        if from == to {
            return vec![];
        }
        for pair in &self.pairs {
            if pair.from == from && pair.to == to {
                return pair
                    .questions
                    .iter()
                    .filter(|l| l.from == question)
                    .map(|l| (l.to.as_str(), l.relation))
                    .collect();
            }
            if pair.from == to && pair.to == from {
                return pair
                    .questions
                    .iter()
                    .filter(|l| l.to == question)
                    .map(|l| (l.from.as_str(), l.relation.inverse()))
                    .collect();
            }
        }
        vec![]
    }

    /// The pair from one version to another, as stored.
    pub fn pair(&self, from: &str, to: &str) -> Option<&VersionPair> {
        self.pairs.iter().find(|p| p.from == from && p.to == to)
    }

    /// What does not match the frameworks: unknown ids, and questions neither mapped nor
    /// listed as unmapped.
    pub fn problems(&self, frameworks: &[&Framework]) -> Vec<String> {
        let mut problems = Vec::new();
        let ids = |id: &str| {
            frameworks.iter().find(|f| f.id == id).map(|f| f.questions().map(|(_, q)| q.id.clone()).collect::<Vec<_>>())
        };
        for pair in &self.pairs {
            let (Some(from), Some(to)) = (ids(&pair.from), ids(&pair.to)) else {
                problems.push(format!("{} → {}: unknown framework", pair.from, pair.to));
                continue;
            };
            for link in &pair.questions {
                if !from.contains(&link.from) {
                    problems.push(format!(
                        "{} → {}: `{}` is not a question of {}",
                        pair.from, pair.to, link.from, pair.from
                    ));
                }
                if !to.contains(&link.to) {
                    problems
                        .push(format!("{} → {}: `{}` is not a question of {}", pair.from, pair.to, link.to, pair.to));
                }
            }
            for id in &from {
                let mapped = pair.questions.iter().any(|l| &l.from == id);
                if mapped == pair.unmapped_from.contains(id) {
                    problems.push(format!(
                        "{} → {}: `{id}` must be either mapped or listed unmapped, once",
                        pair.from, pair.to
                    ));
                }
            }
            for id in &to {
                let mapped = pair.questions.iter().any(|l| &l.to == id);
                if mapped == pair.unmapped_to.contains(id) {
                    problems.push(format!(
                        "{} → {}: `{id}` must be either mapped or listed unmapped, once",
                        pair.from, pair.to
                    ));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_covers_every_question_of_every_pair() {
        let mapping = VersionMapping::builtin();
        assert_eq!(mapping.format, "qpr-mapping/1");
        assert_eq!(mapping.problems(&Framework::builtin_versions()), Vec::<String>::new());
        assert_eq!(mapping.pairs.len(), 3);
    }

    #[test]
    fn equivalents_in_both_directions() {
        let mapping = VersionMapping::builtin();
        assert_eq!(
            mapping.equivalents("qpr-2016", "t16_ratification_date", "qpr-2020"),
            [("gi_ratification_date", Relation::Same)]
        );
        assert_eq!(
            mapping.equivalents("qpr-2020", "gi_ratification_date", "qpr-2016"),
            [("t16_ratification_date", Relation::Same)]
        );
        assert_eq!(
            mapping.equivalents("qpr-2016", "t16_poc_mailing_address", "qpr-2020"),
            [("gi_poc_address", Relation::Broader)]
        );
        assert_eq!(mapping.equivalents("qpr-2020", "gi_poc_address", "qpr-2016").len(), 4);
        assert!(mapping.equivalents("qpr-2016", "t16_poc_fax", "qpr-2020").is_empty());
        assert!(
            mapping.pair("qpr-2016", "qpr-2020").is_some_and(|p| p.unmapped_from.contains(&"t16_poc_fax".to_owned()))
        );
        assert_eq!(
            mapping.equivalents("qpr-2012", "r12_executive_summary", "qpr-2020"),
            [("gi_executive_summary", Relation::Same)]
        );
        let fields = &mapping.pair("qpr-2016", "qpr-2020").expect("pair").measure_fields;
        assert!(fields.same.contains(&"financial_resources".to_owned()));
        assert!(fields.only_from.contains(&"scope".to_owned()));
    }
}
