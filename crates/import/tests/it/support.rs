//! What the importer's tests share: the seed report, as text and imported once.

use std::sync::OnceLock;

use qpr_domain::{Framework, ReportDocument};

/// The published Azerbaijan 2022 report, as UNESCO's site shows it.
pub(crate) const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

/// The seed imported once for all tests of the binary.
pub(crate) fn seed_doc() -> &'static ReportDocument {
    static DOC: OnceLock<ReportDocument> = OnceLock::new();
    DOC.get_or_init(|| qpr_import::import_published(Framework::qpr_2020(), SEED).expect("the seed imports"))
}
