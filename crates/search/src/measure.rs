//! What the index holds of a measure, derived from a published document by one function
//! ([`measures_of`]), so that indexing and checking cannot disagree on what a measure is.

use qpr_domain::countries;
use qpr_domain::document::{CsoMeasure, PolicyMeasure};
use qpr_domain::framework::FrameworkRegistry;
use qpr_domain::versions::{MeasureKey, MeasureVersions};
use qpr_domain::{Framework, MeasureKind, ReportDocument};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::facets::{Facet, FacetValues};

/// One measure as indexed: the facets, the searchable text and the record itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexedMeasure {
    /// The measure's stable id (`AZE-2022-pm01`).
    pub id: String,
    /// The report it belongs to.
    pub report_id: i64,
    /// The published revision it was read from.
    pub revision_id: i64,
    /// Policy or CSO measure (`policy`, `cso` in JSON).
    pub kind: MeasureKind,
    /// Party code (`AZE`), empty when unknown.
    pub party: String,
    /// Party name as in the report.
    pub party_name: String,
    /// UNESCO region id of the Party, if any.
    pub region: Option<String>,
    /// Report year.
    pub year: i32,
    /// Goal 1 to 4, if the measure belongs to one (the transversal section does not).
    pub goal: Option<u8>,
    /// Area of monitoring id (policy measures).
    pub area: Option<String>,
    /// Title.
    pub title: String,
    /// Every searchable text: title, description, results, agencies or organizations,
    /// partners, evaluation conclusions; one per line. Not stored: derived from `record`.
    #[serde(skip)]
    pub text: String,
    /// The years of the Party's published reports holding this measure (the same kind and
    /// id), newest first; more than one when it was reported again.
    #[serde(default)]
    pub reported_in: Vec<i32>,
    /// Whether this is the measure's current version, the one of the newest report holding
    /// it: searches show only current versions unless they filter on the year or the form
    /// version, which pick a report's version.
    #[serde(default = "current_by_default")]
    pub current: bool,
    /// The packed facet values (see [`crate::facets`]), with [`crate::facets::CURRENT`].
    pub code: u64,
    /// The record as it is in the document (JSON).
    pub record: Value,
}

impl IndexedMeasure {
    /// A measure as the index stores it (JSON), its text derived again from its record.
    pub fn from_stored(json: &str) -> Result<IndexedMeasure, serde_json::Error> {
        let mut measure = IndexedMeasure::from_stored_record(json)?;
        measure.text = match measure.kind {
            MeasureKind::Cso => cso_text(&serde_json::from_value(measure.record.clone())?),
            MeasureKind::Policy => policy_text(&serde_json::from_value(measure.record.clone())?),
        };
        Ok(measure)
    }

    /// A measure as the index stores it, without its searchable text (empty): what downloads
    /// need, at half the cost (the text is built from a typed copy of the record).
    pub fn from_stored_record(json: &str) -> Result<IndexedMeasure, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The value names of a facet.
    pub fn facet(&self, facet: Facet) -> Vec<&'static str> {
        crate::facets::values_of(facet, self.code)
    }
}

/// Measures stored before versions were indexed were all shown.
fn current_by_default() -> bool {
    true
}

/// The report a document was published as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Report id.
    pub report_id: i64,
    /// Published revision id.
    pub revision_id: i64,
}

/// Every measure of a published document, policy measures first, in document order.
/// `versions` are those of the measures of every published report of the document's Party
/// (this one included), which say which measures are current.
pub fn measures_of(
    frameworks: &FrameworkRegistry,
    document: &ReportDocument,
    origin: Origin,
    versions: &MeasureVersions,
) -> Vec<IndexedMeasure> {
    let framework: &Framework = match frameworks.get(&document.framework) {
        Some(framework) => framework,
        None => Framework::qpr_2020(),
    };
    // A Party without a code (published reports always have one) has no party facet value.
    // A report stored before its Party's code changed says the former one (`EUE`).
    let party = document.party.iso3.clone().map(|code| code.current().to_string()).unwrap_or_default();
    let region = countries::by_iso3(&party).and_then(|c| c.region).map(|r| r.id().to_owned());
    let base = |kind: MeasureKind, id: &str, title: &str, record: Value| {
        let mut facets = FacetValues::default();
        facets.set(Facet::Party, &party);
        if let Some(region) = &region {
            facets.set(Facet::Region, region);
        }
        facets.set_year(document.year);
        facets.set(Facet::Kind, kind.as_str());
        facets.set(Facet::Framework, &document.framework);
        let key = MeasureKey::new(kind, id);
        let measure = IndexedMeasure {
            id: id.to_owned(),
            report_id: origin.report_id,
            revision_id: origin.revision_id,
            kind,
            party: party.clone(),
            party_name: document.party.name.clone(),
            region: region.clone(),
            year: document.year,
            goal: None,
            area: None,
            title: title.to_owned(),
            text: String::new(),
            reported_in: versions.years(&key).to_vec(),
            current: versions.is_current(&key, document.year),
            code: 0,
            record,
        };
        (measure, facets)
    };
    let policies = document.policy_measures.iter().map(|m| {
        let (mut measure, mut facets) = base(MeasureKind::Policy, &m.id, &m.title, record_json(m));
        let goal = framework.area_section(&m.area).and_then(|s| s.goal);
        measure.goal = goal;
        measure.area = Some(m.area.clone());
        if let Some(goal) = goal {
            facets.set(Facet::Goal, &goal.to_string());
        }
        let area_known = framework.area_section(&m.area).is_some();
        facets.set(Facet::Area, if area_known { &m.area } else { crate::facets::OTHER });
        add_domains(framework, &mut facets, &m.domains);
        facets.set_bool(Facet::TargetsYouth, m.targets_youth);
        facets.set_bool(Facet::Ifcd, m.ifcd_support);
        facets.set_bool(Facet::Evaluated, m.evaluated);
        for entity_type in m.partners.iter().filter_map(|p| p.entity_type.as_deref()) {
            let key =
                framework.resolve_option("entity_types", entity_type).map_or(crate::facets::OTHER, |o| o.key.as_str());
            facets.add(Facet::PartnerType, key);
        }
        measure.text = policy_text(m);
        measure.code = crate::facets::with_current(facets.pack(), measure.current);
        measure
    });
    let csos = document.cso_measures.iter().map(|m| {
        let (mut measure, mut facets) = base(MeasureKind::Cso, &m.id, &m.title, record_json(m));
        measure.goal = Some(m.goal);
        facets.set(Facet::Goal, &m.goal.to_string());
        add_domains(framework, &mut facets, &m.domains);
        facets.set_bool(Facet::TargetsYouth, m.targets_youth);
        facets.set_bool(Facet::Ifcd, m.ifcd_funding);
        measure.text = cso_text(m);
        measure.code = crate::facets::with_current(facets.pack(), measure.current);
        measure
    });
    policies.chain(csos).collect()
}

fn add_domains(framework: &Framework, facets: &mut FacetValues, domains: &[String]) {
    for domain in domains {
        facets.add(Facet::Domain, framework.domain_key(domain).unwrap_or(crate::facets::OTHER));
    }
}

fn record_json(record: &impl Serialize) -> Value {
    // Records are plain data with string keys; serializing them cannot fail.
    serde_json::to_value(record).unwrap_or(Value::Null)
}

fn joined<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n")
}

fn policy_text(m: &PolicyMeasure) -> String {
    joined(
        [m.title.as_str(), m.description.as_str()]
            .into_iter()
            .chain(m.results.as_deref())
            .chain(m.agencies.iter().map(String::as_str))
            .chain(m.partners.iter().map(|p| p.name.as_str()))
            .chain(m.evaluation_conclusions.as_deref()),
    )
}

fn cso_text(m: &CsoMeasure) -> String {
    joined(
        [m.title.as_str(), m.description.as_str()]
            .into_iter()
            .chain(m.results.as_deref())
            .chain(m.organizations.iter().map(String::as_str)),
    )
}
