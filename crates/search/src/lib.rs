//! The policy monitoring database: faceted full-text search over every published measure
//! (policy/measure records and CSO measures), on a tantivy index.
//!
//! Boundary: the index is a cache of the store, never a source of truth. What it holds is
//! derived from published documents by one function ([`measures_of`]); [`rebuild`] recreates
//! it from the database, [`catch_up`] (run in a loop by [`follow`]) applies the store's outbox
//! events after the last one it recorded, and [`check`] compares it with the database. The
//! position in the outbox is committed with the index, so a restart resumes where it
//! stopped; an index that is missing, unreadable or of an older schema is rebuilt. Losing
//! the directory loses nothing.
//!
//! Searching ([`SearchIndex::search`]): BM25 over all text of a measure analysed twice
//! (English and French stemming), phrase queries, highlighted snippets, and counts of every
//! facet ([`Facet`]), answered from sets of documents kept in memory per searcher generation
//! (`resident`: bit sets of facet values and frequent words, their best-scoring documents).

mod bitsets;
mod check;
mod consumer;
mod execute;
pub mod facets;
mod index;
pub mod labelled;
mod measure;
mod query;
mod request;
mod resident;
mod similar;
pub mod synth;

use std::path::{Path, PathBuf};

pub use check::{CheckReport, Difference, Problem, check};
pub use consumer::{RebuildSummary, catch_up, follow, rebuild};
pub use facets::Facet;
pub use index::SearchIndex;
pub use measure::{IndexedMeasure, Origin, measures_of};
pub use query::{Export, Hit, SearchResults};
pub use request::{DEFAULT_PER_PAGE, Filter, MAX_DEPTH, MAX_PER_PAGE, ParamError, SearchRequest, Sort};
pub use similar::{DEFAULT_SIMILAR, MAX_SIMILAR, SimilarMeasure, SimilarOptions, Why, measure_in};

/// The index directory inside a data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search")
}

/// What went wrong in search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Another process writes this index (a running `qpr serve`).
    #[error("the search index in {} is in use by another process (a running server?)", .0.display())]
    Locked(PathBuf),
    /// The index was opened for reading only.
    #[error("the search index was opened read-only")]
    ReadOnly,
    /// The index refused or failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Files of the index.
    #[error("search index files: {0}")]
    Io(String),
    /// A stored measure does not read back.
    #[error("search index data: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] qpr_store::StoreError),
}

impl From<tantivy::query::QueryParserError> for SearchError {
    fn from(error: tantivy::query::QueryParserError) -> SearchError {
        SearchError::Corrupt(error.to_string())
    }
}
