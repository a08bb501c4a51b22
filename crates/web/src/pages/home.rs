//! `/`: what the platform is, the reporting cycle and its deadline, counts, latest reports.

use std::collections::HashSet;
use std::sync::Arc;

use askama::Template;

use axum::http::HeaderMap;
use axum::response::Response;
use qpr_domain::countries;
use qpr_domain::versions::{MeasureKey, measure_keys};

use super::{Listed, Site, html, latest, listed};
use crate::error::WebError;
use crate::http::Representation;
use crate::ui::{Section, Ui};

/// How many reports the home page lists.
const LATEST: usize = 10;

#[derive(Template)]
#[template(path = "index.html")]
struct HomePage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    cycle: String,
    parties: usize,
    reports: usize,
    measures: usize,
    latest: Vec<Listed>,
}

/// The home page.
pub(crate) async fn home(site: Site, ui: Ui, request: HeaderMap) -> Response {
    let ui = ui.in_section(Section::Home);
    site.page(&ui, &request, || render(&site, &ui)).await
}

async fn render(site: &Site, ui: &Ui) -> Result<Representation, WebError> {
    let store = &site.app.store;
    let mut reports = listed(site, ui.language()).await?;
    let measures = site.measure_count(&reports).await?;
    // Cycles come newest first: the latest open one is current.
    let cycle = match store.cycles().await?.into_iter().find(|c| c.open) {
        Some(cycle) => crate::i18n::text_with(
            ui.language(),
            "home-cycle-open",
            &[("year", cycle.year.to_string().into()), ("deadline", ui.date(&cycle.deadline).into())],
        ),
        None => ui.ts("home-cycle-common", "deadline", ui.date(next_common_deadline(&today()))),
    };
    let count = reports.len();
    let modified = latest(reports.iter().map(|r| r.published_at.as_str()));
    reports.sort_by(|a, b| b.published_at.cmp(&a.published_at));
    reports.truncate(LATEST);
    let parties = countries::all().iter().filter(|c| c.ratification.is_some()).count();
    html(&HomePage { lang: ui.lang(), ui, cycle, parties, reports: count, measures, latest: reports }, modified)
}

/// Today's date, `YYYY-MM-DD` (UTC).
fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// The common deadline of all Parties on or after `today` (`YYYY-MM-DD`): from 2027 every
/// Party submits on 30 June, every four years (30 June 2027, 2031, …).
fn next_common_deadline(today: &str) -> String {
    // `today` is the server's own date (`YYYY-MM-DD`); were it ever not, the first common
    // deadline is the right answer.
    let year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2027);
    let mut deadline = 2027 + ((year - 2027).max(0) + 3) / 4 * 4;
    if format!("{deadline}-06-30").as_str() < today {
        deadline += 4;
    }
    format!("{deadline}-06-30")
}

impl Site {
    /// Policies and measures (of the Parties and of CSOs) in the published reports, each
    /// once: a measure a Party reported again (the same id in a later report) counts once
    /// (`qpr_domain::versions`). The measures of each revision are kept: revisions never
    /// change.
    async fn measure_count(&self, reports: &[Listed]) -> Result<usize, WebError> {
        let mut distinct: HashSet<(&str, MeasureKey)> = HashSet::new();
        for report in reports {
            let keys = match self.cache.measures_of(report.revision) {
                Some(keys) => keys,
                None => {
                    let (_, document) = self.app.store.revision(report.revision).await?;
                    let keys: Arc<[MeasureKey]> = measure_keys(&document).collect();
                    self.cache.keep_measures_of(report.revision, Arc::clone(&keys));
                    keys
                }
            };
            distinct.extend(keys.iter().map(|key| (report.iso3.as_str(), key.clone())));
        }
        Ok(distinct.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_deadline_is_30_june_every_four_years_from_2027() {
        assert_eq!(next_common_deadline("2026-11-05"), "2027-06-30");
        assert_eq!(next_common_deadline("2027-06-30"), "2027-06-30");
        assert_eq!(next_common_deadline("2027-07-01"), "2031-06-30");
        assert_eq!(next_common_deadline("2029-01-01"), "2031-06-30");
        assert_eq!(next_common_deadline("2031-06-29"), "2031-06-30");
        assert_eq!(next_common_deadline("2020-01-01"), "2027-06-30");
    }
}
