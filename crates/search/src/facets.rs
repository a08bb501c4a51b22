//! The facets of the measure database and their fixed vocabularies.
//!
//! Every facet value a measure can take is one of a small, fixed list derived from the
//! shipped data (the country list, the framework's areas, domains and entity types), plus
//! `other` for values outside those lists (a spelling the framework does not know, kept as
//! written in the document and flagged by validation). Fixed lists let a measure's facet
//! values be packed into one 64-bit code, which is what makes counting every facet of a
//! million-measure result set cheap: one array read per matching measure.

use std::sync::OnceLock;

use qpr_domain::countries::{self, Region};
use qpr_domain::{Framework, MeasureKind};

/// The bit of a packed code set for a measure's current version (see
/// [`crate::IndexedMeasure::current`]); above every facet's bits.
pub const CURRENT: u64 = 1 << 63;

/// A packed code with [`CURRENT`] set when `current`.
pub fn with_current(code: u64, current: bool) -> u64 {
    if current { code | CURRENT } else { code & !CURRENT }
}

/// Value for facet values outside the known lists.
pub const OTHER: &str = "other";

/// A facet of the measure database, in the order the API lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// Reporting Party (ISO 3166-1 alpha-3).
    Party,
    /// UNESCO region of the Party.
    Region,
    /// Report year.
    Year,
    /// Goal of the Convention (1 to 4).
    Goal,
    /// Area of monitoring (`report-json.md` ids).
    Area,
    /// Cultural domain (`report-json.md` keys); a measure may have several.
    Domain,
    /// Does the measure specifically target young people?
    TargetsYouth,
    /// IFCD support (policy measures) or funding (CSO measures).
    Ifcd,
    /// Has the measure been evaluated?
    Evaluated,
    /// Entity type of a partner (framework keys); a measure may have several.
    PartnerType,
    /// `policy` (a policy/measure record) or `cso` (a CSO measure).
    Kind,
    /// The form version of the report (`qpr-2012`, `qpr-2016`, `qpr-2020`): its cycle.
    Framework,
}

impl Facet {
    /// Every facet, in the API's order.
    pub const ALL: [Facet; 12] = [
        Facet::Party,
        Facet::Region,
        Facet::Year,
        Facet::Goal,
        Facet::Area,
        Facet::Domain,
        Facet::TargetsYouth,
        Facet::Ifcd,
        Facet::Evaluated,
        Facet::PartnerType,
        Facet::Kind,
        Facet::Framework,
    ];

    /// The facet's name: its query parameter and its key in `facets`.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Party => "party",
            Facet::Region => "region",
            Facet::Year => "year",
            Facet::Goal => "goal",
            Facet::Area => "area",
            Facet::Domain => "domain",
            Facet::TargetsYouth => "targets_youth",
            Facet::Ifcd => "ifcd",
            Facet::Evaluated => "evaluated",
            Facet::PartnerType => "partner_type",
            Facet::Kind => "kind",
            Facet::Framework => "framework",
        }
    }

    /// The facet a parameter names.
    pub fn from_name(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Position in [`Facet::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether a measure can have several values of this facet.
    pub fn is_multi(self) -> bool {
        matches!(self, Facet::Domain | Facet::PartnerType)
    }

    /// The facet's values; a value's position is its code. Code 0 of a single-valued
    /// facet means "no value" and is never counted or matched.
    pub fn values(self) -> &'static [String] {
        &vocabulary().values[self.index()]
    }

    /// The code of a value, if the facet has it (`party` is matched case-insensitively).
    pub fn code(self, value: &str) -> Option<u16> {
        let value = if self == Facet::Party { value.to_ascii_uppercase() } else { value.to_owned() };
        let skip = usize::from(!self.is_multi());
        // A facet has at most 64 values (one bit each), so the conversion cannot fail.
        self.values().iter().skip(skip).position(|v| *v == value).and_then(|i| u16::try_from(i + skip).ok())
    }

    fn layout(self) -> (u32, u32) {
        vocabulary().layout[self.index()]
    }

    /// Where the facet's bits are in a packed code: shift and mask.
    pub(crate) fn shift_and_mask(self) -> (u32, u64) {
        let (shift, width) = self.layout();
        (shift, (1 << width) - 1)
    }

    /// The facet's bits in a packed code: value code (single) or bit set (multi).
    pub(crate) fn bits(self, code: u64) -> u64 {
        let (shift, mask) = self.shift_and_mask();
        (code >> shift) & mask
    }
}

/// The value lists and bit layout, built once from the shipped data.
struct Vocabulary {
    values: Vec<Vec<String>>,
    /// (shift, width) of each facet in a packed code.
    layout: Vec<(u32, u32)>,
}

/// First year a code can represent; years are stored as `year - YEAR_BASE`.
const YEAR_BASE: i32 = 1900;
const YEAR_SPAN: i32 = 511;

fn vocabulary() -> &'static Vocabulary {
    static CELL: OnceLock<Vocabulary> = OnceLock::new();
    CELL.get_or_init(|| {
        let framework = Framework::qpr_2020();
        let none = || vec![String::new()];
        let with_none = |items: Vec<String>| none().into_iter().chain(items).collect::<Vec<_>>();
        // The built-in framework has every list named here (the vocabulary test checks them).
        // A list's keys, then `other` for the values outside it, which is also where the
        // list's own "Other (please specify)" entry goes (entity types have one).
        let option_keys = |list: &str| {
            let mut keys: Vec<String> = framework
                .option_lists
                .get(list)
                .map(|items| items.iter().filter(|i| !i.specify).map(|i| i.key.clone()).collect())
                .unwrap_or_default();
            keys.push(OTHER.to_owned());
            keys
        };
        // The areas of every form version, the current one's first (their codes stay).
        let mut areas: Vec<String> = Vec::new();
        for version in std::iter::once(framework).chain(Framework::builtin_versions().into_iter().rev()) {
            for area in version.sections.iter().filter_map(|s| s.area.clone()) {
                if !areas.contains(&area) {
                    areas.push(area);
                }
            }
        }
        areas.push(OTHER.to_owned());
        let versions: Vec<String> = Framework::builtin_versions().iter().map(|f| f.id.clone()).collect();
        let booleans = || with_none(vec!["false".to_owned(), "true".to_owned()]);
        let values: Vec<Vec<String>> = Facet::ALL
            .iter()
            .map(|facet| match facet {
                Facet::Party => with_none(countries::all().iter().map(|c| c.iso3.to_string()).collect()),
                Facet::Region => with_none(Region::ALL.iter().map(|r| r.id().to_owned()).collect()),
                Facet::Year => with_none((1..=YEAR_SPAN).map(|y| (YEAR_BASE + y).to_string()).collect()),
                Facet::Goal => with_none((1..=4).map(|g: u8| g.to_string()).collect()),
                Facet::Area => with_none(areas.clone()),
                Facet::Domain => option_keys("cultural_domains"),
                Facet::PartnerType => option_keys("entity_types"),
                Facet::TargetsYouth | Facet::Ifcd | Facet::Evaluated => booleans(),
                Facet::Kind => with_none(MeasureKind::ALL.iter().map(|k| k.as_str().to_owned()).collect()),
                Facet::Framework => with_none(versions.clone()),
            })
            .collect();
        let mut shift = 0;
        let layout = Facet::ALL
            .iter()
            .zip(&values)
            .map(|(facet, values)| {
                let width = if facet.is_multi() {
                    values.len() as u32
                } else {
                    usize::BITS - (values.len() - 1).leading_zeros()
                };
                let at = (shift, width.max(1));
                shift += width.max(1);
                at
            })
            .collect();
        assert!(shift < 64, "facet codes need {shift} bits and the current bit one more");
        Vocabulary { values, layout }
    })
}

/// A measure's facet values, before packing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetValues {
    /// Code of each facet (single-valued) or bit set of codes (multi-valued).
    codes: [u64; Facet::ALL.len()],
}

impl FacetValues {
    /// Sets a single-valued facet from its value; an unknown value sets nothing.
    pub fn set(&mut self, facet: Facet, value: &str) {
        if let Some(code) = facet.code(value) {
            self.codes[facet.index()] = u64::from(code);
        }
    }

    /// Sets a year.
    pub fn set_year(&mut self, year: i32) {
        // Clamped to 1..=YEAR_SPAN, so the conversion cannot fail.
        self.codes[Facet::Year.index()] = u64::try_from((year - YEAR_BASE).clamp(1, YEAR_SPAN)).unwrap_or(0);
    }

    /// Sets a yes/no facet (`None`: unanswered).
    pub fn set_bool(&mut self, facet: Facet, value: Option<bool>) {
        self.codes[facet.index()] = match value {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        };
    }

    /// Adds a value to a multi-valued facet; unknown values count as `other`.
    pub fn add(&mut self, facet: Facet, value: &str) {
        // Every multi-valued facet has `other`; 0 (no value) is unreachable.
        let code = facet.code(value).or_else(|| facet.code(OTHER)).unwrap_or(0);
        self.codes[facet.index()] |= 1 << code;
    }

    /// The one 64-bit code holding every facet.
    pub fn pack(&self) -> u64 {
        Facet::ALL.iter().fold(0, |code, facet| {
            let (shift, width) = facet.layout();
            code | ((self.codes[facet.index()] & ((1 << width) - 1)) << shift)
        })
    }
}

/// The value names of one facet in a packed code.
pub fn values_of(facet: Facet, code: u64) -> Vec<&'static str> {
    let bits = facet.bits(code);
    let values = facet.values();
    if facet.is_multi() {
        (0..values.len()).filter(|i| bits & (1 << i) != 0).map(|i| values[i].as_str()).collect()
    } else {
        match usize::try_from(bits) {
            Ok(0) | Err(_) => Vec::new(),
            Ok(i) => values.get(i).map(String::as_str).into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facet_fits_in_one_code_and_round_trips() {
        let mut values = FacetValues::default();
        values.set(Facet::Party, "aze");
        values.set(Facet::Region, "asia_pacific");
        values.set_year(2022);
        values.set(Facet::Goal, "4");
        values.set(Facet::Area, "transversal");
        values.add(Facet::Domain, "music");
        values.add(Facet::Domain, "gastronomy");
        values.set_bool(Facet::TargetsYouth, Some(true));
        values.set_bool(Facet::Ifcd, Some(false));
        values.add(Facet::PartnerType, "cso");
        values.set(Facet::Kind, "cso");
        let code = values.pack();
        assert_eq!(values_of(Facet::Party, code), ["AZE"]);
        assert_eq!(values_of(Facet::Region, code), ["asia_pacific"]);
        assert_eq!(values_of(Facet::Year, code), ["2022"]);
        assert_eq!(values_of(Facet::Goal, code), ["4"]);
        assert_eq!(values_of(Facet::Area, code), ["transversal"]);
        assert_eq!(values_of(Facet::Domain, code), ["music", "other"]);
        assert_eq!(values_of(Facet::TargetsYouth, code), ["true"]);
        assert_eq!(values_of(Facet::Ifcd, code), ["false"]);
        assert!(values_of(Facet::Evaluated, code).is_empty(), "unanswered has no value");
        assert_eq!(values_of(Facet::PartnerType, code), ["cso"]);
        assert_eq!(values_of(Facet::Kind, code), ["cso"]);
    }

    #[test]
    fn the_form_version_and_earlier_areas_are_facets() {
        assert_eq!(Facet::Framework.values(), ["", "qpr-2012", "qpr-2016", "qpr-2020"]);
        let mut values = FacetValues::default();
        values.set(Facet::Framework, "qpr-2016");
        values.set(Facet::Area, "preferential_treatment");
        values.set(Facet::Kind, "policy");
        let code = values.pack();
        assert_eq!(values_of(Facet::Framework, code), ["qpr-2016"]);
        assert_eq!(values_of(Facet::Area, code), ["preferential_treatment"]);
        assert_eq!(Facet::from_name("framework"), Some(Facet::Framework));
    }

    #[test]
    fn names_and_values_are_the_contract_ids() {
        assert_eq!(Facet::from_name("partner_type"), Some(Facet::PartnerType));
        assert_eq!(Facet::Area.code("cultural_creative_sectors"), Some(1));
        assert!(Facet::Domain.code("cinema_audiovisual").is_some());
        assert_eq!(Facet::TargetsYouth.code(""), None, "the empty value is not a value");
        assert_eq!(Facet::Year.code("1999"), Some(99));
    }
}
