//! The Global Report's figures from the published reports, pure (no HTTP, no SQL, no I/O).
//!
//! * [`Catalog`]: what can be counted, read from the framework file: every yes/no,
//!   single-select, multi-select and checklist (nested multi-select, one indicator per group)
//!   question of an area of monitoring, and the 1–4 ratings, is an [`Indicator`]; every
//!   percentage or amount with its year is a [`StatisticDef`]. No code is written per question:
//!   a question added to the framework file is an indicator.
//! * [`ReportFacts`]: what one published report says for each of them, read once per published
//!   revision (revisions never change, so callers keep them).
//! * [`Figures`]: the facts of every published report, one per Party per [`Cycle`] (the latest
//!   report of a Party in a cycle counts; the others are listed as set aside), and the queries
//!   the pages and the API ask: an indicator's [`Base`] and counts per option, by [`Group`]
//!   (UNESCO region, the European Union, Parties outside the regional groups), the Parties'
//!   answers, measures, CSO involvement and statistics (median and quartiles with the years of
//!   the data).
//!
//! **Invariant (an honest base):** every Party that reported in the cycle is in exactly one
//! of `answered`, `not_answered`, `not_applicable` (a follow-up whose parent answer does not
//! ask it) and `earlier_form` (a report under an earlier form that does not ask the question
//! the same way, per `mapping.json`); a Party that did not answer is never counted as "no",
//! and shares are of those who answered.

mod catalog;
mod facts;
mod figures;
mod group;

pub use catalog::{Area, Catalog, ChoiceOption, Indicator, StatisticDef, StatisticKind};
pub use facts::{Flag, ReportFacts};
pub use figures::{
    Base, Comparison, CsoFigures, Figures, FlagCount, IndicatorFigure, MeasureFigures, OptionCount, PartyAnswer,
    PublishedReport, Reading, SetAside, StatisticFigure, Tally,
};
pub use group::Group;
/// Reporting cycles live in `qpr-domain` (one rule for every page that places a report).
pub use qpr_domain::cycle::{Cycle, CycleError};

#[cfg(test)]
mod tests {
    /// The architecture invariant: the figures know no HTTP, no templates and no SQL.
    #[test]
    fn the_indicators_depend_on_no_http_template_or_storage_crate() {
        let names = qpr_test_support::manifest_dependencies(include_str!("../Cargo.toml"));
        assert!(names.contains(&"qpr-domain"), "{names:?}");
        for crate_name in
            ["axum", "http", "hyper", "askama", "tower", "tower-http", "sqlx", "qpr-web", "qpr-workflow", "qpr-store"]
        {
            assert!(!names.contains(&crate_name), "qpr-indicators depends on {crate_name}: {names:?}");
        }
    }
}
