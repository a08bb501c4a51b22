//! Parties: the ISO 3166-1 list with English and French names and UNESCO regions, shipped
//! as `data/countries.csv` (built from Debian's `iso-codes`; the European Union, a Party to
//! the Convention, has the user-assigned code `EUE`).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::{LocalizedText, normalize_loose};

const COUNTRIES_CSV: &str = include_str!("../data/countries.csv");
const PARTIES_CSV: &str = include_str!("../data/parties.csv");

/// An ISO 3166-1 alpha-3 code: three ASCII upper-case letters, checked on construction.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Iso3(String);

impl Iso3 {
    /// Parses a code; lower case is accepted and upper-cased.
    pub fn parse(code: &str) -> Result<Iso3, InvalidIso3> {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Iso3(code.to_ascii_uppercase()))
        } else {
            Err(InvalidIso3(code.to_owned()))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Iso3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Iso3 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Iso3, D::Error> {
        let code = String::deserialize(deserializer)?;
        Iso3::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// A string that is not an alpha-3 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an ISO 3166-1 alpha-3 code (three letters)")]
pub struct InvalidIso3(String);

/// UNESCO's regional groups, as used for analysis in the Global Report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Africa.
    Africa,
    /// Arab States.
    ArabStates,
    /// Asia and the Pacific.
    AsiaPacific,
    /// Europe and North America.
    EuropeNorthAmerica,
    /// Latin America and the Caribbean.
    LatinAmericaCaribbean,
}

impl Region {
    /// Every region, in the Global Report's order.
    pub const ALL: [Region; 5] = [
        Region::Africa,
        Region::ArabStates,
        Region::AsiaPacific,
        Region::EuropeNorthAmerica,
        Region::LatinAmericaCaribbean,
    ];

    /// The stable id (`asia_pacific`).
    pub fn id(self) -> &'static str {
        match self {
            Region::Africa => "africa",
            Region::ArabStates => "arab_states",
            Region::AsiaPacific => "asia_pacific",
            Region::EuropeNorthAmerica => "europe_north_america",
            Region::LatinAmericaCaribbean => "latin_america_caribbean",
        }
    }

    /// Parses a region id.
    pub fn from_id(id: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The region's name.
    pub fn name(self) -> LocalizedText {
        let (en, fr) = match self {
            Region::Africa => ("Africa", "Afrique"),
            Region::ArabStates => ("Arab States", "États arabes"),
            Region::AsiaPacific => ("Asia and the Pacific", "Asie et Pacifique"),
            Region::EuropeNorthAmerica => ("Europe and North America", "Europe et Amérique du Nord"),
            Region::LatinAmericaCaribbean => ("Latin America and the Caribbean", "Amérique latine et Caraïbes"),
        };
        LocalizedText { en: en.to_owned(), fr: fr.to_owned(), es: None }
    }
}

/// A country or the European Union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// Alpha-3 code.
    pub iso3: Iso3,
    /// Name in English, French and Spanish (the Spanish site prints Parties' names in Spanish).
    pub name: LocalizedText,
    /// UNESCO region, `None` for territories outside the regional groups.
    pub region: Option<Region>,
    /// Other names reports may use.
    pub aliases: Vec<String>,
    /// How and when it became a Party to the Convention; `None` if not a Party (or unknown).
    pub ratification: Option<Ratification>,
}

/// The deposit of a Party's instrument (`data/parties.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratification {
    /// `YYYY-MM-DD`, or `YYYY` when only the year is known; `None` when unknown.
    pub date: Option<String>,
    /// `ratification`, `accession`, `acceptance` or `approval`.
    pub instrument: Option<String>,
}

#[derive(Deserialize)]
struct PartyRow {
    iso3: String,
    deposit_date: String,
    instrument: String,
}

#[derive(Deserialize)]
struct CountryRow {
    alpha3: String,
    name_en: String,
    name_fr: String,
    #[serde(default)]
    name_es: String,
    unesco_region: String,
    aliases: String,
}

/// The built-in country list.
pub fn all() -> &'static [Country] {
    static CELL: OnceLock<Vec<Country>> = OnceLock::new();
    CELL.get_or_init(|| parse_countries(COUNTRIES_CSV))
}

fn parse_countries(csv_text: &str) -> Vec<Country> {
    let non_empty = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let parties: Vec<(String, Ratification)> = csv::Reader::from_reader(PARTIES_CSV.as_bytes())
        .deserialize::<PartyRow>()
        .filter_map(Result::ok)
        .map(|row| {
            (row.iso3, Ratification { date: non_empty(row.deposit_date), instrument: non_empty(row.instrument) })
        })
        .collect();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    // The file is compiled in and a unit test reads every row, so a bad row is a build defect;
    // it is skipped rather than taking the server down.
    reader
        .deserialize::<CountryRow>()
        .filter_map(Result::ok)
        .filter_map(|row| {
            Some(Country {
                iso3: Iso3::parse(&row.alpha3).ok()?,
                name: LocalizedText {
                    en: row.name_en,
                    fr: row.name_fr,
                    es: (!row.name_es.trim().is_empty()).then(|| row.name_es.into_boxed_str()),
                },
                region: Region::from_id(&row.unesco_region),
                aliases: row.aliases.split('|').filter(|a| !a.is_empty()).map(str::to_owned).collect(),
                ratification: parties.iter().find(|(iso3, _)| *iso3 == row.alpha3).map(|(_, r)| r.clone()),
            })
        })
        .collect()
}

/// The country with this alpha-3 code.
pub fn by_iso3(code: &str) -> Option<&'static Country> {
    // Looked up for every imported page and every page served: a sorted index, not a scan.
    static INDEX: OnceLock<Vec<(Iso3, usize)>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index: Vec<(Iso3, usize)> = all().iter().enumerate().map(|(i, c)| (c.iso3.clone(), i)).collect();
        // The first country with a code keeps it, as the linear search did.
        index.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()).then(a.1.cmp(&b.1)));
        index.dedup_by(|later, first| later.0 == first.0);
        index
    });
    let code = Iso3::parse(code).ok()?;
    let at = index.binary_search_by(|(iso3, _)| iso3.as_str().cmp(code.as_str())).ok()?;
    all().get(index[at].1)
}

/// The country a report names, matched loosely on its English, French and Spanish names and
/// its aliases.
pub fn resolve_name(name: &str) -> Option<&'static Country> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = HashMap::new();
        for (i, country) in all().iter().enumerate() {
            for text in country.name.texts().chain(country.aliases.iter().map(String::as_str)) {
                // The first country to use a name keeps it, as the linear search did.
                index.entry(normalize_loose(text)).or_insert(i);
            }
        }
        index.remove("");
        index
    });
    index.get(&normalize_loose(name)).and_then(|&i| all().get(i))
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_shipped_list_is_read() {
        let rows = COUNTRIES_CSV.lines().count() - 1;
        assert_eq!(all().len(), rows, "a row failed to parse");
        assert!(all().len() >= 250);
    }

    #[test]
    fn azerbaijan_resolves_in_both_languages() {
        let aze = resolve_name("Azerbaijan").expect("known");
        assert_eq!(aze.iso3.as_str(), "AZE");
        assert_eq!(aze.region, Some(Region::EuropeNorthAmerica));
        let ratified = aze.ratification.as_ref().and_then(|r| r.date.as_deref()).expect("a Party");
        assert!(ratified.starts_with("2010"), "{ratified}");
        assert_eq!(resolve_name("Azerbaïdjan").map(|c| c.iso3.as_str()), Some("AZE"));
        assert_eq!(resolve_name("  azerbaijan ").map(|c| c.iso3.as_str()), Some("AZE"));
        assert!(resolve_name("Atlantis").is_none());
    }

    #[test]
    fn parties_resolve_in_spanish_french_and_english() {
        for (name, code) in [
            ("Alemania", "DEU"),
            ("Autriche", "AUT"),
            ("Brasil", "BRA"),
            ("Unión Europea", "EUE"),
            ("Turquía", "TUR"),
            ("Suecia", "SWE"),
        ] {
            assert_eq!(resolve_name(name).map(|c| c.iso3.as_str()), Some(code), "{name}");
        }
        let named = all().iter().filter(|c| c.name.es.is_some()).count();
        assert_eq!(named, all().len(), "every country has a Spanish name");
    }

    #[test]
    fn every_party_row_names_a_known_country() {
        let rows = PARTIES_CSV.lines().skip(1).filter(|l| !l.is_empty()).count();
        assert_eq!(all().iter().filter(|c| c.ratification.is_some()).count(), rows);
    }

    #[test]
    fn codes_are_checked() {
        assert!(Iso3::parse("AZ1").is_err());
        assert_eq!(Iso3::parse("fra").unwrap().as_str(), "FRA");
        assert!(serde_json::from_str::<Iso3>("\"ABCD\"").is_err());
    }
}
