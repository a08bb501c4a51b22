//! What the search tests share: the seed report.

use qpr_domain::{Framework, ReportDocument};

/// The published Azerbaijan 2022 report, as UNESCO's site shows it.
const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

/// The seed report, imported.
pub(crate) fn seed() -> ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap()
}

/// The seed report for another year.
pub(crate) fn seed_of(year: i32) -> ReportDocument {
    let mut document = seed();
    document.year = year;
    document
}
