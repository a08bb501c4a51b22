//! The policy monitoring database from the command line: `qpr reindex` rebuilds the search
//! index from the database, `qpr search-check` compares the two, `qpr synth` fills a separate
//! database with synthetic reports for scale tests; and the index follower of `qpr serve`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use qpr_domain::ReportDocument;
use qpr_domain::cycle::Cycle;
use qpr_search::SearchIndex;
use qpr_search::synth::{self, Generator, Rng};
use qpr_store::Store;

/// How often `qpr serve` looks for new outbox events.
const FOLLOW_EVERY: Duration = Duration::from_millis(500);

fn progress_bar(len: usize, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{eta}} left) {{msg}}");
    bar.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar
}

fn open_index(data_dir: &Path) -> anyhow::Result<Arc<SearchIndex>> {
    let dir = qpr_search::index_dir(data_dir);
    Ok(Arc::new(SearchIndex::open(&dir).with_context(|| format!("cannot open the search index in {}", dir.display()))?))
}

/// Opens the search index of `qpr serve` and starts following the outbox (after building
/// the index when it is new).
pub(crate) fn start_follower(data_dir: &Path, store: Store) -> anyhow::Result<Arc<SearchIndex>> {
    let index = open_index(data_dir)?;
    tokio::spawn(qpr_search::follow(Arc::clone(&index), store, FOLLOW_EVERY));
    Ok(index)
}

/// `qpr reindex`: rebuilds the search index from the database.
pub(crate) async fn reindex(store: &Store, data_dir: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let index = open_index(data_dir)?;
    let bar = progress_bar(0, "reports");
    let summary = qpr_search::rebuild(&index, store, |done, all| {
        bar.set_length(all as u64);
        bar.set_position(done as u64);
    })
    .await
    .context("rebuilding the search index failed")?;
    bar.finish_and_clear();
    eprintln!(
        "indexed {} measures of {} published reports in {:.1} s (outbox position {})",
        summary.measures,
        summary.reports,
        started.elapsed().as_secs_f64(),
        summary.seq
    );
    Ok(ExitCode::SUCCESS)
}

/// `qpr search-check`: lists every difference between the search index and the database.
pub(crate) async fn check(store: &Store, data_dir: &Path) -> anyhow::Result<ExitCode> {
    let dir = qpr_search::index_dir(data_dir);
    let index = SearchIndex::open_read_only(&dir)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    let report = qpr_search::check(&index, store).await.context("cannot compare the search index with the database")?;
    for difference in &report.differences {
        eprintln!("{difference}");
    }
    let lag = if report.index_seq < report.outbox_head {
        format!(
            " (the index is {} outbox events behind; a running server applies them shortly)",
            report.outbox_head - report.index_seq
        )
    } else {
        String::new()
    };
    if report.differences.is_empty() {
        eprintln!("search index in step with the database: {} measures, every field compared{lag}", report.indexed);
        return Ok(ExitCode::SUCCESS);
    }
    bail!(
        "the search index differs from the database: {} difference(s); {} measures indexed, {} published{lag}; `qpr reindex` rebuilds it",
        report.differences.len(),
        report.indexed,
        report.in_database
    )
}

/// Refuses a database that holds a real report: synthetic data goes into a separate one.
async fn refuse_real_reports(store: &Store) -> anyhow::Result<()> {
    for report in store.reports().await? {
        let Some(revision) = report.current_revision else { continue };
        let (_, document) = store.revision(revision).await?;
        if !synth::is_synthetic(&document) {
            bail!(
                "this database holds real reports ({} {}); synthetic data goes into a separate database (--database URL)",
                report.party_name,
                report.year
            );
        }
    }
    Ok(())
}

/// `qpr synth --measures N`: publishes synthetic reports with `measures` measures in all into
/// `store`, which must hold no real report.
pub(crate) async fn synth(
    store: &Store,
    seed: &ReportDocument,
    measures: usize,
    rng_seed: u64,
) -> anyhow::Result<ExitCode> {
    refuse_real_reports(store).await?;
    let generator = Generator::from_seed(seed);
    let mut rng = Rng::new(rng_seed);
    let plan = generator.plan(measures, &mut rng);
    let bar = progress_bar(measures, "measures");
    for (iso3, name, year, count) in &plan {
        let document = generator.report(iso3, name, *year, *count, &mut rng);
        store
            .publish(&document, "synthetic data")
            .await
            .with_context(|| format!("cannot publish the synthetic report {iso3} {year}"))?;
        bar.inc(*count as u64);
    }
    bar.finish_and_clear();
    eprintln!(
        "published {} synthetic reports holding {measures} measures (titles start with \"{}\")",
        plan.len(),
        synth::TITLE_PREFIX.trim()
    );
    Ok(ExitCode::SUCCESS)
}

/// `qpr synth --reports N --cycles K`: publishes a full synthetic report (every question
/// answered, measures, statistics) for each of `reports` Parties in each of the last `cycles`
/// reporting cycles, each answering the form of its year, into `store`, which must hold no
/// real report.
/// The year whose reporting cycle is the last that `qpr synth --cycles` fills: the cycle of the
/// 2027 global deadline.
const SYNTH_LAST_YEAR: i32 = 2027;

pub(crate) async fn synth_full(
    store: &Store,
    seed: &ReportDocument,
    reports: usize,
    cycles: u8,
    rng_seed: u64,
) -> anyhow::Result<ExitCode> {
    refuse_real_reports(store).await?;
    let started = Instant::now();
    // The last `cycles` windows up to that of the 2027 global deadline.
    let windows: Vec<(i32, i32)> = Cycle::up_to(SYNTH_LAST_YEAR)
        .iter()
        .rev()
        .take(usize::from(cycles))
        .rev()
        .map(|c| (c.first_year(), c.last_year()))
        .collect();
    let generator = Generator::from_seed(seed);
    let mut rng = Rng::new(rng_seed);
    let plan = generator.full_plan(reports, &windows, &mut rng).map_err(anyhow::Error::msg)?;
    let bar = progress_bar(plan.len(), "reports");
    let mut measures = 0;
    for (iso3, name, year) in &plan {
        let framework = qpr_domain::Framework::builtin_for_year(*year);
        let document = generator.full_report(framework, iso3, name, *year, &mut rng);
        measures += document.policy_measures.len() + document.cso_measures.len();
        store
            .publish(&document, "synthetic data")
            .await
            .with_context(|| format!("cannot publish the synthetic report {iso3} {year}"))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    let names: Vec<String> = windows.iter().map(|(first, last)| format!("{first}-{last}")).collect();
    eprintln!(
        "published {} full synthetic reports of {reports} Parties over {} ({measures} measures) in {:.1} s; titles and texts start with \"{}\"",
        plan.len(),
        names.join(", "),
        started.elapsed().as_secs_f64(),
        synth::TITLE_PREFIX.trim()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> ReportDocument {
        qpr_import::import_published(qpr_domain::Framework::qpr_2020(), crate::DEMO_REPORT).unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn synth_refuses_real_reports_and_its_output_indexes_and_checks_clean() {
        let real = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(real.path()).await.unwrap();
        store.publish(&demo(), "test").await.unwrap();
        let refused = synth(&store, &demo(), 10, 1).await.unwrap_err().to_string();
        assert!(refused.contains("real reports"), "{refused}");
        assert_eq!(store.report_count().await.unwrap(), 1, "nothing was written");

        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        synth(&store, &demo(), 60, 1).await.unwrap();
        synth(&store, &demo(), 60, 2).await.unwrap();
        for report in store.published_revisions().await.unwrap() {
            let (_, document) = store.revision(report.revision_id).await.unwrap();
            assert!(synth::is_synthetic(&document));
            let titles =
                document.policy_measures.iter().map(|m| &m.title).chain(document.cso_measures.iter().map(|m| &m.title));
            assert!(titles.into_iter().all(|t| t.starts_with(synth::TITLE_PREFIX)));
        }
        assert_eq!(reindex(&store, dir.path()).await.unwrap(), ExitCode::SUCCESS);
        assert_eq!(check(&store, dir.path()).await.unwrap(), ExitCode::SUCCESS);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn full_synth_makes_one_report_per_party_and_cycle_and_refuses_real_reports() {
        let real = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(real.path()).await.unwrap();
        store.publish(&demo(), "test").await.unwrap();
        let refused = synth_full(&store, &demo(), 3, 2, 1).await.unwrap_err().to_string();
        assert!(refused.contains("real reports"), "{refused}");
        assert_eq!(store.report_count().await.unwrap(), 1, "nothing was written");

        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        synth_full(&store, &demo(), 5, 3, 1).await.unwrap();
        let published = store.published_listing().await.unwrap();
        assert_eq!(published.len(), 15);
        let mut by_party: std::collections::BTreeMap<String, Vec<i32>> = std::collections::BTreeMap::new();
        for report in &published {
            by_party.entry(report.party_iso3.clone()).or_default().push(report.year);
        }
        assert_eq!(by_party.len(), 5);
        for years in by_party.values_mut() {
            years.sort_unstable();
            let cycles: Vec<i32> = years.iter().map(|y| Cycle::of_year(*y).first_year()).collect();
            assert_eq!(cycles, [2016, 2020, 2024], "{years:?}");
        }
        for report in store.published_revisions().await.unwrap() {
            let (_, document) = store.revision(report.revision_id).await.unwrap();
            assert!(synth::is_synthetic(&document));
            let framework = qpr_domain::Framework::builtin_for_year(document.year);
            assert_eq!(document.framework, framework.id);
            assert!(document.answers.len() > framework.questions().count() / 2, "{}", document.answers.len());
            assert!(document.policy_measures.iter().all(|m| m.title.starts_with(synth::TITLE_PREFIX)));
        }
    }
}
