//! The integration tests of `qpr-search`, in one test binary (one link instead of one per
//! file): each module is what was a test file, `support` the seed they share. Run one part
//! with a filter: `cargo test -p qpr-search --test it drift::`.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod drift;
mod search;
mod support;
