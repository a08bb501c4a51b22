//! The two kinds of measure a report lists, and every name each is known by: the document's
//! array, the framework's record type, the short name of the search facet and the API, and
//! the tag in measure ids.

use serde::{Deserialize, Serialize};

/// A kind of measure: a policy measure of the Party, or a measure of civil society.
///
/// Serialized as its short name (`policy`, `cso`), as the search index and the API write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    /// A policy or measure of the Party (`policy_measures`).
    Policy,
    /// A measure of civil society organizations (`cso_measures`).
    Cso,
}

impl MeasureKind {
    /// Both kinds, policy measures first (the order of the document and of the search facet).
    pub const ALL: [MeasureKind; 2] = [MeasureKind::Policy, MeasureKind::Cso];

    /// The short name: the search facet's value, the API's `kind` (`policy`, `cso`).
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Policy => "policy",
            MeasureKind::Cso => "cso",
        }
    }

    /// The kind of a short name ([`MeasureKind::as_str`]).
    pub fn parse(name: &str) -> Option<MeasureKind> {
        MeasureKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The report document's array of measures of this kind (`policy_measures`), also the
    /// first segment of change paths (`policy_measures.AZE-2022-pm01.title`).
    pub const fn array(self) -> &'static str {
        match self {
            MeasureKind::Policy => "policy_measures",
            MeasureKind::Cso => "cso_measures",
        }
    }

    /// The kind whose document array is `name`.
    pub fn from_array(name: &str) -> Option<MeasureKind> {
        MeasureKind::ALL.into_iter().find(|kind| kind.array() == name)
    }

    /// The framework's record type of these measures (`policy_measure`).
    pub const fn record_type(self) -> &'static str {
        match self {
            MeasureKind::Policy => "policy_measure",
            MeasureKind::Cso => "cso_measure",
        }
    }

    /// The kind whose framework record type is `name`.
    pub fn from_record_type(name: &str) -> Option<MeasureKind> {
        MeasureKind::ALL.into_iter().find(|kind| kind.record_type() == name)
    }

    /// The tag of this kind in measure ids (`pm`, `cso`).
    pub fn id_tag(self) -> &'static str {
        match self {
            MeasureKind::Policy => "pm",
            MeasureKind::Cso => "cso",
        }
    }

    /// The id an import gives the `number`th measure of this kind (from 1) of a report:
    /// `AZE-2022-pm01`, `AZE-2022-cso03` (`prefix` is the Party code, or a slug of its name).
    pub fn measure_id(self, prefix: &str, year: i32, number: usize) -> String {
        // A measures list gives hundreds of ids a page: they are written without the
        // formatting machinery.
        let tag = self.id_tag();
        let Ok(year) = usize::try_from(year) else { return format!("{prefix}-{year}-{tag}{number:02}") };
        let mut id = String::with_capacity(prefix.len() + tag.len() + 12);
        id.push_str(prefix);
        id.push('-');
        push_decimal(&mut id, year, 1);
        id.push('-');
        id.push_str(tag);
        push_decimal(&mut id, number, 2);
        id
    }
}

/// Writes `n` in decimal with at least `width` digits (zeros in front), as `{n:0width$}` does.
fn push_decimal(out: &mut String, mut n: usize, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || digits.len() - at < width {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_ids_are_written_as_formatted() {
        for (year, number) in [
            (2022, 1),
            (2022, 12),
            (999, 3),
            (10000, 4),
            (-5, 5),
            (0, 0),
            (2016, 100),
            (1000, 99),
            (9999, 0),
            (2016, usize::MAX),
        ] {
            for kind in MeasureKind::ALL {
                assert_eq!(
                    kind.measure_id("AZE", year, number),
                    format!("AZE-{year}-{}{number:02}", kind.id_tag()),
                    "{year} {number}"
                );
            }
        }
        assert_eq!(MeasureKind::Cso.measure_id("unknown", 2016, 3), "unknown-2016-cso03");
    }

    #[test]
    fn each_name_reads_back_as_its_kind() {
        for kind in MeasureKind::ALL {
            assert_eq!(MeasureKind::parse(kind.as_str()), Some(kind));
            assert_eq!(MeasureKind::from_array(kind.array()), Some(kind));
            assert_eq!(MeasureKind::from_record_type(kind.record_type()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_eq!(serde_json::from_value::<MeasureKind>(kind.as_str().into()).unwrap(), kind);
        }
        assert_eq!(MeasureKind::parse("policy_measures"), None);
        assert_eq!(MeasureKind::from_array("policy"), None);
        assert_eq!(MeasureKind::from_record_type("cso_measures"), None);
    }

    #[test]
    fn names_are_those_the_documents_and_the_framework_use() {
        assert_eq!([MeasureKind::Policy.array(), MeasureKind::Cso.array()], ["policy_measures", "cso_measures"]);
        let framework = crate::Framework::qpr_2020();
        for kind in MeasureKind::ALL {
            assert!(framework.record_type(kind.record_type()).is_some(), "{kind:?}");
        }
        let document = serde_json::to_value(crate::ReportDocument::new(
            "qpr-2020",
            crate::document::PartyRef { name: "Azerbaijan".into(), iso3: None },
            2022,
        ))
        .unwrap();
        for kind in MeasureKind::ALL {
            assert!(document[kind.array()].is_array(), "{kind:?}");
        }
        assert_eq!(MeasureKind::Policy.measure_id("AZE", 2022, 1), "AZE-2022-pm01");
        assert_eq!(MeasureKind::Cso.measure_id("AZE", 2022, 12), "AZE-2022-cso12");
    }
}
