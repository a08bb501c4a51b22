//! The vocabulary of qpr: the reporting form as data ([`framework`]), the report document
//! ([`document`]), its validation and completeness ([`validate`]), and the small typed values
//! they are made of (countries, amounts, localized text).
//!
//! Boundary: this crate does no I/O. Built-in data files (the 2020 framework, the ISO 3166-1
//! list) are compiled in with `include_str!`; everything else arrives as `&str` from callers.

pub mod answer;
pub mod changes;
pub mod countries;
pub mod cycle;
pub mod document;
pub mod framework;
pub mod mapping;
pub mod measure_kind;
pub mod money;
pub mod text;
pub mod validate;
pub mod versions;
mod year;

pub use document::ReportDocument;
pub use framework::Framework;
pub use measure_kind::MeasureKind;
pub use year::{Year, YearError};
