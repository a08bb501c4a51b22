//! Policy learning, pure: how a Party's measures continue from one report to the next, and
//! what changed.
//!
//! Boundary: functions from published documents (and their frameworks) to plain values; no
//! I/O, no HTTP, no store. The web maps them to pages and JSON.
//!
//! - [`words`]: word-level changes between two texts (also the review loop's comparison).
//! - [`lexicon`]: the Convention's vocabulary in English and French, one list for similar
//!   measures (the search index) and for matching measures by content here.
//! - [`matching`]: which measure of a report continues which of the previous one: the same
//!   id (`qpr_domain::versions`), else by content with a score and a threshold, splits and
//!   merges included.
//! - [`timeline`]: a measure's life across the Party's reports, with what changed.
//! - [`changes`]: what changed between two reports of a Party.

pub mod changes;
pub mod lexicon;
pub mod matching;
pub mod timeline;
pub mod words;

#[cfg(test)]
mod tests {
    /// The architecture invariant: no I/O, HTTP or store crate.
    #[test]
    fn learning_depends_on_no_io_crate() {
        let names = qpr_test_support::manifest_dependencies(include_str!("../Cargo.toml"));
        for crate_name in ["axum", "askama", "tokio", "sqlx", "qpr-store", "qpr-web", "qpr-workflow", "tantivy"] {
            assert!(!names.contains(&crate_name), "qpr-learn depends on {crate_name}: {names:?}");
        }
    }
}
