//! Parties: the ISO 3166-1 list with English and French names and UNESCO regions, shipped
//! as `data/countries.csv` (built from Debian's `iso-codes`), and who is a Party since when,
//! `data/parties.csv` (sources in `data/README.md`).
//!
//! The European Union, a Party as a regional economic integration organization (Article 27),
//! is no ISO 3166 country: it has the code `EUU`, as UN and World Bank data name it (ISO
//! 3166-1 reserves `EU` in alpha-2 for it and assigns nothing at `EUU`). Until 2026 it was
//! stored as `EUE`; [`FORMER_CODES`] keeps that code naming it, so stored reports, links and
//! documents that say `EUE` still find it.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::{LocalizedText, normalize_loose};

const COUNTRIES_CSV: &str = include_str!("../data/countries.csv");
const PARTIES_CSV: &str = include_str!("../data/parties.csv");

/// The European Union's code: a Party that is no country (a regional economic integration
/// organization), in no UNESCO regional group of its own.
pub const EUROPEAN_UNION: &str = "EUU";

/// Codes a Party was known by before and the code it has now, `(former, current)`: a lookup
/// by a former code ([`by_iso3`], [`Iso3::current`]) finds the Party; the store moves rows
/// stored under a former code to the current one when it opens. Signed and stored documents
/// keep the code they were written with (revisions are immutable).
pub const FORMER_CODES: [(&str, &str); 1] = [("EUE", EUROPEAN_UNION)];

/// An ISO 3166-1 alpha-3 code (or the European Union's `EUU`): three ASCII upper-case letters,
/// checked on construction.
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

    /// A Party's code as a person typed it (a form, a query): surrounding spaces ignored,
    /// any case, and a former code ([`FORMER_CODES`]) read as the code it names today, so
    /// `eue` is `EUU`. The one reading of a code from user input; stored documents keep the
    /// code they were written with and go through [`Iso3::parse`].
    pub fn from_input(text: &str) -> Result<Iso3, InvalidIso3> {
        Iso3::parse(text.trim()).map(Iso3::current)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code this one names today: a former code of a Party ([`FORMER_CODES`]) gives the
    /// Party's current code, any other code itself.
    pub fn current(self) -> Iso3 {
        match FORMER_CODES.iter().find(|(former, _)| *former == self.0) {
            Some((_, current)) => Iso3((*current).to_owned()),
            None => self,
        }
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
    // The European Union is one of these too: code `EUU`, no alpha-2 or numeric code.
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
    let code = Iso3::parse(code).ok()?.current();
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
            ("Unión Europea", "EUU"),
            ("Union européenne", "EUU"),
            ("European Union", "EUU"),
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
    fn the_european_union_is_a_party_under_its_code_and_its_former_one() {
        let eu = by_iso3("EUU").expect("the European Union");
        assert_eq!((eu.name.en.as_str(), eu.name.fr.as_str()), ("European Union", "Union européenne"));
        assert_eq!(eu.region, Some(Region::EuropeNorthAmerica));
        let ratification = eu.ratification.as_ref().expect("a Party");
        assert_eq!(
            (ratification.date.as_deref(), ratification.instrument.as_deref()),
            (Some("2006-12-18"), Some("approval"))
        );
        // Stored reports and links of before the rename name it `EUE`.
        assert_eq!(by_iso3("EUE").map(|c| c.iso3.as_str()), Some("EUU"));
        assert_eq!(by_iso3("eue").map(|c| c.iso3.as_str()), Some("EUU"));
        assert_eq!(Iso3::parse("EUE").unwrap().current().as_str(), "EUU");
        assert_eq!(Iso3::parse("FRA").unwrap().current().as_str(), "FRA");
        // Typed in a form: trimmed, any case, the former code read as the current one.
        assert_eq!(Iso3::from_input(" eue\n").unwrap().as_str(), "EUU");
        assert_eq!(Iso3::from_input("aze").unwrap().as_str(), "AZE");
        assert!(Iso3::from_input("EU").is_err());
        for (former, current) in FORMER_CODES {
            assert!(by_iso3(current).is_some_and(|c| c.iso3.as_str() == current), "{current} is in the list");
            assert!(all().iter().all(|c| c.iso3.as_str() != former), "{former} is not in the list any more");
        }
    }

    #[test]
    fn the_list_holds_the_parties_found_in_the_sources() {
        let parties = all().iter().filter(|c| c.ratification.is_some()).count();
        // 148 States and the European Union (data/README.md says what the sources gave).
        assert_eq!(parties, 149);
        for code in ["PHL", "UZB", "SAU", "ZMB", "EUU"] {
            assert!(by_iso3(code).and_then(|c| c.ratification.as_ref()).is_some(), "{code}");
        }
        // A Party whose date the sources do not give has none, rather than an invented one.
        assert_eq!(by_iso3("SMR").and_then(|c| c.ratification.as_ref()).map(|r| r.date.clone()), Some(None));
    }

    #[test]
    fn codes_are_checked() {
        assert!(Iso3::parse("AZ1").is_err());
        assert_eq!(Iso3::parse("fra").unwrap().as_str(), "FRA");
        assert!(serde_json::from_str::<Iso3>("\"ABCD\"").is_err());
    }
}
