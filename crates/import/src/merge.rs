//! Bulk imports without doubles: what a page adds to the report already stored for its Party
//! and year. A report page replaces the report but keeps the measures measure pages added to
//! it; a measure page adds its measure unless the report holds one of that title. Importing
//! the same page twice therefore changes nothing the second time.

use qpr_domain::{MeasureKind, ReportDocument};
use serde_json::Value;

use crate::PageKind;

/// The key a measure taken from a measure page carries in its extra fields (its page title).
pub const FROM_MEASURE_PAGE: &str = "from_measure_page";

/// What to do with an imported page.
#[derive(Debug, Clone, PartialEq)]
pub enum Merge {
    /// The stored report already holds everything the page says.
    Unchanged,
    /// Publish this document (new, or the stored one with the page's content).
    Publish(Box<ReportDocument>),
}

/// The document to publish for `page` given the report stored for its Party and year.
pub fn merge(existing: Option<&ReportDocument>, kind: PageKind, mut page: ReportDocument) -> Merge {
    if kind == PageKind::MeasurePage {
        // A measure page always has its title (`read_measure` sets it); empty otherwise.
        let title = page.source.as_ref().and_then(|s| s.page_title.clone()).unwrap_or_default();
        for measure in &mut page.policy_measures {
            measure.extra.insert(FROM_MEASURE_PAGE.into(), Value::String(title.clone()));
        }
        for measure in &mut page.cso_measures {
            measure.extra.insert(FROM_MEASURE_PAGE.into(), Value::String(title.clone()));
        }
        let Some(existing) = existing else { return Merge::Publish(Box::new(page)) };
        let has = |t: &str| {
            existing.policy_measures.iter().any(|m| m.title == t) || existing.cso_measures.iter().any(|m| m.title == t)
        };
        let mut merged = existing.clone();
        let mut added = false;
        for measure in page.policy_measures.into_iter().filter(|m| !has(&m.title)) {
            merged.policy_measures.push(measure);
            added = true;
        }
        for measure in page.cso_measures.into_iter().filter(|m| !has(&m.title)) {
            merged.cso_measures.push(measure);
            added = true;
        }
        if !added {
            return Merge::Unchanged;
        }
        renumber(&mut merged);
        return Merge::Publish(Box::new(merged));
    }
    let mut merged = page;
    if let Some(existing) = existing {
        let kept: Vec<_> = existing
            .policy_measures
            .iter()
            .filter(|m| {
                m.extra.contains_key(FROM_MEASURE_PAGE) && !merged.policy_measures.iter().any(|n| n.title == m.title)
            })
            .cloned()
            .collect();
        let kept_cso: Vec<_> = existing
            .cso_measures
            .iter()
            .filter(|m| {
                m.extra.contains_key(FROM_MEASURE_PAGE) && !merged.cso_measures.iter().any(|n| n.title == m.title)
            })
            .cloned()
            .collect();
        merged.policy_measures.extend(kept);
        merged.cso_measures.extend(kept_cso);
        renumber(&mut merged);
        if &merged == existing {
            return Merge::Unchanged;
        }
    }
    Merge::Publish(Box::new(merged))
}

/// Measures added from measure pages get the next free ids of the report.
fn renumber(document: &mut ReportDocument) {
    let prefix = document.party.iso3.as_ref().map_or_else(|| "unknown".to_owned(), ToString::to_string);
    let year = document.year;
    let mut seen = std::collections::HashSet::new();
    for (i, measure) in document.policy_measures.iter_mut().enumerate() {
        if measure.id.is_empty() || !seen.insert(measure.id.clone()) {
            measure.id = MeasureKind::Policy.measure_id(&prefix, year, i + 1);
            seen.insert(measure.id.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (i, measure) in document.cso_measures.iter_mut().enumerate() {
        if measure.id.is_empty() || !seen.insert(measure.id.clone()) {
            measure.id = MeasureKind::Cso.measure_id(&prefix, year, i + 1);
            seen.insert(measure.id.clone());
        }
    }
}
