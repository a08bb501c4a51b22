//! The integration tests of `qpr-store`, in one test binary (one link instead of one per
//! file): each module is what was a test file, `support` what they share. Most run each test
//! on SQLite and on PostgreSQL (`on_both_engines!`). Run one part with a filter:
//! `cargo test -p qpr-store --test it contract::`.
//!
//! The crash test (`crash`) starts and kills `qpr-crash-writer`, which stays a binary target
//! of its own (`tests/support/crash_writer.rs`, a `[[bin]]` in Cargo.toml): it must be a
//! separate process to be killed with SIGKILL.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod contract;
mod crash;
mod public;
mod search_source;
mod support;
