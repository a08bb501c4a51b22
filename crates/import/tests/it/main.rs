//! The integration tests of `qpr-import`, in one test binary (one link instead of one per
//! file): each module is what was a test file, `support` the seed they share. Run one part
//! with a filter: `cargo test -p qpr-import --test it variants::`.
//!
//! The fuzz run (`tests/fuzz.rs`) stays a test binary of its own: `.ci/run` runs it alone, in
//! release and with many more cases (`cargo test --release -p qpr-import --test fuzz`), which
//! would otherwise build and run these tests in release too.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod real_pages;
mod seed_facts;
mod support;
mod variants;
