//! The pages the import benchmark (`benches/parse.rs`) and the instruction counter
//! (`examples/count.rs`) read: one list, so both measure the same pages.

/// The real published report (Azerbaijan 2022).
pub(crate) const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

/// One page of each layout (the real samples of `tests/fixtures/real-pages`), with the hints a
/// page that does not show its Party or year needs.
pub(crate) const PAGES: [(&str, &str, Option<&str>, Option<i32>); 10] = [
    ("2020-es-site", include_str!("../../tests/fixtures/real-pages/qpr-germany-2020.txt"), None, None),
    ("2020-fr-labels", include_str!("../../tests/fixtures/real-pages/qpr-austria-2020-fr.txt"), None, None),
    ("2016-report", include_str!("../../tests/fixtures/real-pages/qpr-austria-2016.txt"), None, None),
    ("2016-measures-list", include_str!("../../tests/fixtures/real-pages/qpr-norway-2016-measures.txt"), None, None),
    ("2012-report", include_str!("../../tests/fixtures/real-pages/qpr-austria-2012.txt"), None, None),
    ("pmp-2020", include_str!("../../tests/fixtures/real-pages/pmp-youth-fund-0-es.txt"), Some("ISL"), Some(2020)),
    (
        "pmp-2020-cso-fr",
        include_str!("../../tests/fixtures/real-pages/pmp-literary-art-creation-support-program-youth-cso-fr.txt"),
        Some("CHN"),
        Some(2020),
    ),
    (
        "pmp-2012-es",
        include_str!("../../tests/fixtures/real-pages/pmp-regional-cultural-development-es.txt"),
        Some("FIN"),
        Some(2012),
    ),
    (
        "pmp-newer-site",
        include_str!("../../tests/fixtures/real-pages/pmp-croatia-national-programme-youth-2014.txt"),
        None,
        None,
    ),
    (
        "pmp-2020-eu",
        include_str!("../../tests/fixtures/real-pages/pmp-eu-creative-europe-2014-2020-culture-sub-programme.txt"),
        None,
        Some(2021),
    ),
];
