//! Who a Party is counted with in figures by region.

use qpr_domain::countries::{self, Region};
use qpr_domain::text::LocalizedText;

/// The group a Party's figures are shown under: its UNESCO region; the European Union, a
/// Party that is no Member State and so in no regional group (the country list files it
/// under Europe and North America for the Parties page, the figures do not); or, for a Party
/// the country list places in no region (or does not know), the Parties outside the regional
/// groups. Every Party is in exactly one group, and every group is counted in "all Parties".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// A UNESCO region.
    Region(Region),
    /// The European Union.
    EuropeanUnion,
    /// Parties outside the regional groups.
    NoRegion,
}

impl Group {
    /// Every group, in the Global Report's order of regions, then the EU, then the others.
    pub const ALL: [Group; 7] = [
        Group::Region(Region::Africa),
        Group::Region(Region::ArabStates),
        Group::Region(Region::AsiaPacific),
        Group::Region(Region::EuropeNorthAmerica),
        Group::Region(Region::LatinAmericaCaribbean),
        Group::EuropeanUnion,
        Group::NoRegion,
    ];

    /// The group of the Party with this code.
    pub fn of(iso3: &str) -> Group {
        // By its current code or a former one (`EUE`, as older documents say).
        let country = countries::by_iso3(iso3);
        if country.is_some_and(|c| c.iso3.as_str() == countries::EUROPEAN_UNION) {
            return Group::EuropeanUnion;
        }
        country.and_then(|c| c.region).map_or(Group::NoRegion, Group::Region)
    }

    /// The stable id (`asia_pacific`, `european_union`, `no_region`).
    pub fn id(self) -> &'static str {
        match self {
            Group::Region(region) => region.id(),
            Group::EuropeanUnion => "european_union",
            Group::NoRegion => "no_region",
        }
    }

    /// The group with this id.
    pub fn from_id(id: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.id() == id)
    }

    /// The group's name.
    pub fn name(self) -> LocalizedText {
        let named = |en: &str, fr: &str| LocalizedText { en: en.to_owned(), fr: fr.to_owned(), es: None };
        match self {
            Group::Region(region) => region.name(),
            Group::EuropeanUnion => named("European Union", "Union européenne"),
            Group::NoRegion => named("Parties outside the regional groups", "Parties hors des groupes régionaux"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_party_has_one_group_the_eu_its_own() {
        assert_eq!(Group::of("AZE"), Group::Region(Region::EuropeNorthAmerica));
        assert_eq!(Group::of("SEN"), Group::Region(Region::Africa));
        assert_eq!(Group::of("EUU"), Group::EuropeanUnion);
        assert_eq!(Group::of("EUE"), Group::EuropeanUnion, "its former code");
        assert_eq!(Group::of("ABW"), Group::NoRegion, "in the list, in no region");
        assert_eq!(Group::of("XXX"), Group::NoRegion, "not in the list");
        for group in Group::ALL {
            assert_eq!(Group::from_id(group.id()), Some(group));
            assert!(!group.name().fr.is_empty());
        }
        assert_eq!(Group::from_id("atlantis"), None);
    }
}
