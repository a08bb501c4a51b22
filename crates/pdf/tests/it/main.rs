//! The PDF of a report, read back with real PDF readers (poppler's `pdftotext`, `pdfinfo`,
//! `pdffonts`): every label, answer and measure title of the seed report in order, the page
//! count, the title, the language, embedded fonts; report text that looks like typst markup
//! comes out as written; characters no font has are reported.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod poppler;
mod seed;
mod text;
