//! Comparing the index with the database: the same measures, with the same value in every
//! indexed field.

use std::collections::BTreeMap;
use std::fmt;

use qpr_store::Store;
use tantivy::DocAddress;

use crate::facets::Facet;
use crate::measure::{IndexedMeasure, Origin, measures_of};
use crate::{SearchError, SearchIndex};
use qpr_domain::versions::MeasureVersions;

/// One difference between the index and the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The report concerned.
    pub report_id: i64,
    /// The measure concerned.
    pub measure_id: String,
    /// What differs.
    pub problem: Problem,
}

/// What differs about a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Published in the database, absent from the index.
    MissingFromIndex,
    /// In the index, not published in the database.
    NotInDatabase,
    /// In the index more than once.
    Duplicate,
    /// A field holds another value in the index than the database gives.
    Field {
        /// The field (`title`, `revision_id`, `facet domain`, …).
        field: String,
        /// Its value in the index.
        index: String,
        /// Its value derived from the database.
        database: String,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "report {} measure `{}`: ", self.report_id, self.measure_id)?;
        match &self.problem {
            Problem::MissingFromIndex => f.write_str("published in the database, missing from the index"),
            Problem::NotInDatabase => f.write_str("in the index, not published in the database"),
            Problem::Duplicate => f.write_str("in the index more than once"),
            Problem::Field { field, index, database } => {
                write!(f, "{field} is {index} in the index, {database} in the database")
            }
        }
    }
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Measures in the index.
    pub indexed: usize,
    /// Measures published in the database.
    pub in_database: usize,
    /// The outbox position the index reflects.
    pub index_seq: i64,
    /// The outbox position of the database.
    pub outbox_head: i64,
    /// Every difference found.
    pub differences: Vec<Difference>,
}

type Key = (i64, String);

/// Compares every measure of the index with the database: ids, every stored field, and the
/// facet values the index searches by.
pub async fn check(index: &SearchIndex, store: &Store) -> Result<CheckReport, SearchError> {
    let outbox_head = store.outbox_head().await?;
    let mut expected: BTreeMap<Key, IndexedMeasure> = BTreeMap::new();
    let mut by_party: BTreeMap<String, Vec<(Origin, qpr_domain::ReportDocument)>> = BTreeMap::new();
    for published in store.published_revisions().await? {
        let (_, document) = store.revision(published.revision_id).await?;
        let origin = Origin { report_id: published.report_id.get(), revision_id: published.revision_id.get() };
        by_party.entry(published.party_iso3).or_default().push((origin, document));
    }
    for reports in by_party.values() {
        let versions = MeasureVersions::of(reports.iter().map(|(_, document)| document));
        for (origin, document) in reports {
            for measure in measures_of(&index.frameworks, document, *origin, &versions) {
                expected.insert((measure.report_id, measure.id.clone()), measure);
            }
        }
    }
    let mut differences = Vec::new();
    let mut indexed = 0;
    let mut seen: BTreeMap<Key, ()> = BTreeMap::new();
    let searcher = index.searcher();
    let resident = index.resident(&searcher)?;
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let codes = &resident.segments[segment_ord].codes;
        for doc in segment.doc_ids_alive() {
            indexed += 1;
            let mut actual = index.stored(&searcher, DocAddress::new(segment_ord as u32, doc))?;
            // What search uses is the fast field, so that is what is compared.
            actual.code = codes[doc as usize];
            let key = (actual.report_id, actual.id.clone());
            let difference = |problem| Difference { report_id: key.0, measure_id: key.1.clone(), problem };
            if seen.insert(key.clone(), ()).is_some() {
                differences.push(difference(Problem::Duplicate));
                continue;
            }
            match expected.get(&key) {
                None => differences.push(difference(Problem::NotInDatabase)),
                Some(wanted) => differences.extend(field_differences(&actual, wanted).into_iter().map(difference)),
            }
        }
    }
    for (report_id, measure_id) in expected.keys().filter(|k| !seen.contains_key(*k)) {
        differences.push(Difference {
            report_id: *report_id,
            measure_id: measure_id.clone(),
            problem: Problem::MissingFromIndex,
        });
    }
    Ok(CheckReport { indexed, in_database: expected.len(), index_seq: index.applied_seq()?, outbox_head, differences })
}

fn field_differences(actual: &IndexedMeasure, wanted: &IndexedMeasure) -> Vec<Problem> {
    let as_object = |m: &IndexedMeasure| match serde_json::to_value(m) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (a, w) = (as_object(actual), as_object(wanted));
    let mut problems: Vec<Problem> = w
        .iter()
        .filter(|(field, _)| field.as_str() != "code")
        .filter(|(field, value)| a.get(*field) != Some(*value))
        .map(|(field, value)| Problem::Field {
            field: field.clone(),
            index: shown(a.get(field).unwrap_or(&serde_json::Value::Null)),
            database: shown(value),
        })
        .collect();
    if actual.text != wanted.text {
        problems.push(Problem::Field {
            field: "text".into(),
            index: shown_str(&actual.text),
            database: shown_str(&wanted.text),
        });
    }
    let current = |m: &IndexedMeasure| m.code & crate::facets::CURRENT != 0;
    if current(actual) != current(wanted) {
        problems.push(Problem::Field {
            field: "current (packed code)".into(),
            index: current(actual).to_string(),
            database: current(wanted).to_string(),
        });
    }
    for facet in Facet::ALL {
        let (a, w) = (actual.facet(facet), wanted.facet(facet));
        if a != w {
            problems.push(Problem::Field {
                field: format!("facet {}", facet.name()),
                index: format!("{a:?}"),
                database: format!("{w:?}"),
            });
        }
    }
    problems
}

fn shown(value: &serde_json::Value) -> String {
    shown_str(&value.to_string())
}

fn shown_str(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
