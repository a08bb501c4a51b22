//! The integration tests of `qpr-web`, in one test binary (one link of the whole crate and its
//! dependencies instead of one per file): each module is what was a test file, `support` the
//! harness they share (the router in-process on a fresh database, users of every role), and
//! `browser` the tests in a real Chromium (they need `scripts/test`'s chromedriver and
//! axe-core, and fail saying so without them). Run one part with a filter:
//! `cargo test -p qpr-web --test it security::`.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod authorization;
mod board;
mod browser;
mod changes;
mod cso;
mod editor;
mod history;
mod indicators;
mod map_compare;
mod measures;
mod no_workflow_names;
mod other_specify;
mod pages;
mod parties;
mod report_pdf;
mod review;
mod security;
mod support;
mod todo;
mod translations;
mod versions;
mod workbook;
mod workspace;
mod workspace_annexes;
