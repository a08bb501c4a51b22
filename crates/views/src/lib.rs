//! Read-only view models for the public pages, and the CSV writer of the downloads.
//!
//! Boundary: pure functions from the framework and published documents to plain structs
//! whose public fields `qpr-web`'s templates read. No HTTP, no templates, no I/O; words of
//! the interface stay in `qpr-web` (these models hold report content and framework labels).
//!
//! - [`report`]: a report page's blocks in the published order, and one measure's page.
//! - [`party`]: a Party's profile from its published reports.
//! - [`csv`]: one CSV writer, so every cell is quoted and neutralized the same way.
//! - [`map`]: the world map, Parties coloured by a category, as SVG.
//! - [`compare`]: Parties' latest reports side by side, question by question.

pub mod compare;
pub mod csv;
pub mod map;
pub mod party;
pub mod report;

#[cfg(test)]
mod tests {
    /// The architecture invariant: the view models know no HTTP and no templates.
    #[test]
    fn the_views_depend_on_no_http_or_template_crate() {
        let names = qpr_test_support::manifest_dependencies(include_str!("../Cargo.toml"));
        assert!(names.contains(&"qpr-domain"), "{names:?}");
        for http in ["axum", "http", "hyper", "askama", "tower", "tower-http", "qpr-web", "qpr-workflow", "qpr-store"] {
            assert!(!names.contains(&http), "qpr-views depends on {http}: {names:?}");
        }
    }
}
