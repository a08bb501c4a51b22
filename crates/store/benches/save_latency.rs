//! Save latency with many concurrent editors (`BENCHMARKS.md`, issue 3).
//!
//! `cargo bench -p qpr-store --bench save_latency -- DATABASE_URL [EDITORS] [SAVES_EACH] [PAUSE_MS]`
//!
//! `EDITORS` tasks (default 200) edit 50 reports, four editors per report, each editing its own
//! field and always saving on the revision it last saw, so most saves merge with another
//! editor's. Each editor pauses `PAUSE_MS` (default 1000, an autosave cadence) between saves,
//! with a random start so that saves do not arrive in lockstep; `PAUSE_MS` 0 measures the
//! most saves per second. Prints p50/p90/p99/max of the save call, and checks at the end that no save was
//! lost or overwritten: every editor's last value is in its report's current document.
#![allow(missing_docs, clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;

/// The allocator `qpr serve` runs with (crates/cli/src/main.rs), so that this measures what
/// the server does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEED: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");
const REPORTS: usize = 50;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let url = args.first().expect("usage: save_latency DATABASE_URL [EDITORS] [SAVES_EACH]").clone();
    let editors: usize = args.get(1).map_or(200, |a| a.parse().unwrap());
    let saves_each: usize = args.get(2).map_or(25, |a| a.parse().unwrap());
    let pause = Duration::from_millis(args.get(3).map_or(1000, |a| a.parse().unwrap()));
    let store = Arc::new(Store::open(&url).await.unwrap());
    let seed = qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap();
    let mut reports = Vec::new();
    for i in 0..REPORTS {
        let mut document: ReportDocument = seed.clone();
        document.year = 2100 + i32::try_from(i).unwrap();
        reports.push(store.create_report(&document, "bench").await.unwrap());
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..editors)
        .map(|editor| {
            let store = Arc::clone(&store);
            let (report, first) = reports[editor % REPORTS];
            tokio::spawn(async move {
                tokio::time::sleep(pause.mul_f64((editor as f64 * 0.618_034).fract())).await;
                let mut latencies = Vec::with_capacity(saves_each);
                let mut base = first;
                let (_, mut document) = store.revision(base).await.unwrap();
                for save in 0..saves_each {
                    document.answers.insert(format!("bench_editor_{editor}"), serde_json::json!(save));
                    let began = Instant::now();
                    let outcome = store.save(report, base, &document, "editor").await.unwrap();
                    latencies.push(began.elapsed());
                    base = outcome.revision();
                    if let qpr_store::SaveOutcome::Merged { document: merged, .. } = outcome {
                        document = *merged;
                    }
                    // An editor types for a moment between autosaves.
                    tokio::time::sleep(pause).await;
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
    // Nothing lost or overwritten: every editor's last value is in the current document.
    let mut lost = 0;
    for editor in 0..editors {
        let (report, _) = reports[editor % REPORTS];
        let current = store.report(report).await.unwrap().current_revision.unwrap();
        let (_, document) = store.revision(current).await.unwrap();
        if document.answers.get(&format!("bench_editor_{editor}")) != Some(&serde_json::json!(saves_each - 1)) {
            lost += 1;
        }
    }
    println!(
        "engine={:?} editors={editors} pause={}ms saves={} wall={:.1}s throughput={:.0}/s p50={:.2}ms p90={:.2}ms p99={:.2}ms max={:.2}ms lost_or_overwritten={lost}",
        store.backend(),
        pause.as_millis(),
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.90).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
    );
    assert_eq!(lost, 0, "saves were lost or overwritten");
}
