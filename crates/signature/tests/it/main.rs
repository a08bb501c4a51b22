//! The integration tests of `qpr-signature`, in one test binary (one link instead of one per
//! file): each module is what was a test file. Run one part with a filter:
//! `cargo test -p qpr-signature --test it key_file::`.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod key_file;
mod sign_verify;
