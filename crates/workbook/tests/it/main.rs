//! The workbook on the real published report: written, edited as a spreadsheet would (cells
//! rewritten by `rust_xlsxwriter` from what `calamine` read), read back into the form engine.
//! `libreoffice`: the round trip through real spreadsheet software (`soffice`, headless).

// Test helpers are not `#[test]` functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod libreoffice;
mod problems;
mod roundtrip;
mod support;
