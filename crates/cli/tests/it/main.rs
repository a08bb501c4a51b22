//! The integration tests of the `qpr` binary, in one test binary (one link of the whole
//! workspace instead of one per file): each module is what was a test file, `support` the
//! `qpr serve` they share. Run one part with a filter: `cargo test -p qpr --test it verify::`.
//!
//! `security_http`, `security_integrity` and `verify` are the binary's part of the security
//! suite, which `.ci/run` selects by module path; `journey` needs chromedriver (see its
//! header).

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod import;
mod journey;
mod nodes;
mod remind;
mod security_http;
mod security_integrity;
mod serve;
mod support;
mod verify;
