//! A measure reported again: the one rule of which measures of a Party's reports are the
//! same measure, and which version of it the public database shows.
//!
//! A draft started from the Party's previous report keeps its measures' ids, so once both
//! reports are published the same measure is in both. Within one Party, two measures of the
//! same kind with the same id are one measure; its *current* version is the one of the newest
//! report holding it, and the others are its earlier versions. Ids are not compared across
//! Parties (a copy of another Party's report keeps that Party's ids), and a Party has one
//! report per year, so a measure has at most one version per year.

use std::collections::BTreeMap;

use crate::{MeasureKind, ReportDocument};

/// What makes two measures of one Party's reports the same measure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MeasureKey {
    /// Policy or CSO measure.
    pub kind: MeasureKind,
    /// The measure's id (`AZE-2022-pm01`), kept when a report is started from a copy.
    pub id: String,
}

impl MeasureKey {
    /// The key of a measure of this kind with this id.
    pub fn new(kind: MeasureKind, id: &str) -> MeasureKey {
        MeasureKey { kind, id: id.to_owned() }
    }
}

/// The keys of a report's measures, policy measures first, in document order.
pub fn measure_keys(document: &ReportDocument) -> impl Iterator<Item = MeasureKey> + '_ {
    let policies = document.policy_measures.iter().map(|m| MeasureKey::new(MeasureKind::Policy, &m.id));
    policies.chain(document.cso_measures.iter().map(|m| MeasureKey::new(MeasureKind::Cso, &m.id)))
}

/// The reports (by year) of one Party holding each of its measures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureVersions {
    years: BTreeMap<MeasureKey, Vec<i32>>,
}

impl MeasureVersions {
    /// The versions of the measures of one Party's reports (any order; documents of other
    /// Parties must not be mixed in: ids are only compared within a Party).
    pub fn of<'a>(reports: impl IntoIterator<Item = &'a ReportDocument>) -> MeasureVersions {
        let mut years: BTreeMap<MeasureKey, Vec<i32>> = BTreeMap::new();
        for document in reports {
            for key in measure_keys(document) {
                let held = years.entry(key).or_default();
                if !held.contains(&document.year) {
                    held.push(document.year);
                }
            }
        }
        for held in years.values_mut() {
            held.sort_unstable_by(|a, b| b.cmp(a));
        }
        MeasureVersions { years }
    }

    /// The years of the reports holding a measure, newest first (empty for a measure none of
    /// the reports holds).
    pub fn years(&self, key: &MeasureKey) -> &[i32] {
        self.years.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether the measure as the report of `year` has it is the version the public database
    /// shows: no newer report holds it.
    pub fn is_current(&self, key: &MeasureKey, year: i32) -> bool {
        self.years(key).first().is_none_or(|&newest| newest <= year)
    }

    /// The years of the reports holding the measure other than `year`, newest first.
    pub fn other_years(&self, key: &MeasureKey, year: i32) -> Vec<i32> {
        self.years(key).iter().copied().filter(|&y| y != year).collect()
    }

    /// The number of distinct measures.
    pub fn distinct(&self) -> usize {
        self.years.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{CsoMeasure, PolicyMeasure};

    fn report(year: i32, policies: &[&str], csos: &[&str]) -> ReportDocument {
        let party = crate::document::PartyRef { name: "Azerbaijan".into(), iso3: None };
        let mut document = ReportDocument::new("qpr-2020", party, year);
        document.policy_measures = policies
            .iter()
            .map(|id| {
                serde_json::from_value::<PolicyMeasure>(serde_json::json!({"id": id, "area": "x", "title": id}))
                    .unwrap()
            })
            .collect();
        document.cso_measures = csos
            .iter()
            .map(|id| {
                serde_json::from_value::<CsoMeasure>(serde_json::json!({"id": id, "goal": 1, "title": id})).unwrap()
            })
            .collect();
        document
    }

    #[test]
    fn a_measure_reported_again_is_one_measure_whose_newest_version_is_current() {
        let older = report(2018, &["AZE-2018-pm01", "AZE-2018-pm02"], &["AZE-2018-cso01"]);
        let newer = report(2022, &["AZE-2018-pm01", "AZE-2022-pm03"], &["AZE-2018-cso01"]);
        let versions = MeasureVersions::of([&newer, &older]);
        assert_eq!(versions.distinct(), 4);
        let again = MeasureKey::new(MeasureKind::Policy, "AZE-2018-pm01");
        assert_eq!(versions.years(&again), [2022, 2018]);
        assert!(versions.is_current(&again, 2022));
        assert!(!versions.is_current(&again, 2018));
        assert_eq!(versions.other_years(&again, 2022), [2018]);
        let dropped = MeasureKey::new(MeasureKind::Policy, "AZE-2018-pm02");
        assert!(versions.is_current(&dropped, 2018), "no newer report holds it");
        assert_eq!(versions.years(&MeasureKey::new(MeasureKind::Cso, "AZE-2018-cso01")), [2022, 2018]);
        assert!(
            versions.years(&MeasureKey::new(MeasureKind::Cso, "AZE-2018-pm01")).is_empty(),
            "a policy measure and a CSO measure are never the same measure"
        );
    }
}
