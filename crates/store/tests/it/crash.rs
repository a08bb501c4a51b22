//! Crash safety: a writer process saves revisions in a loop and is killed with SIGKILL at
//! random moments, many times; after each kill every save it acknowledged must be there,
//! intact (its hash checks), on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qpr_store::{RevisionId, Store};

use crate::support::seed_of;

const KILLS: usize = 25;

/// A random number below `bound`, from the standard library's randomly seeded hasher.
fn random_below(bound: u64) -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(bound);
    hasher.finish() % bound.max(1)
}

async fn kill_and_check(url: &str) {
    let store = Store::open(url).await.unwrap();
    let (report, _) = store.create_report(&seed_of(2026), "setup").await.unwrap();
    store.close().await;
    let mut acknowledged: Vec<(RevisionId, u64)> = Vec::new();
    let mut next_counter = 0;
    for round in 0..KILLS {
        let mut writer = Command::new(env!("CARGO_BIN_EXE_qpr-crash-writer"))
            .args([url, &report.to_string(), &next_counter.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = writer.stdout.take().unwrap();
        // Kill once the writer has acknowledged a random number of saves (0 to 15), after a
        // further random delay (0 to 9 ms): the kill lands anywhere in a save, or in start-up.
        let kill_after = usize::try_from(random_below(16)).unwrap();
        let delay = Duration::from_millis(random_below(10));
        let (sender, acks) = std::sync::mpsc::channel::<(RevisionId, u64)>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let mut parts = line.split_whitespace().skip(1);
                let revision: RevisionId = parts.next().unwrap().parse().unwrap();
                let counter: u64 = parts.next().unwrap().parse().unwrap();
                if sender.send((revision, counter)).is_err() {
                    break;
                }
            }
        });
        let mut round_acks = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while round_acks.len() < kill_after && Instant::now() < deadline {
            match acks.recv_timeout(Duration::from_millis(50)) {
                Ok(ack) => round_acks.push(ack),
                Err(_) if writer.try_wait().unwrap().is_some() => panic!("round {round}: the writer exited on its own"),
                Err(_) => {}
            }
        }
        std::thread::sleep(delay);
        writer.kill().unwrap(); // SIGKILL on Unix.
        writer.wait().unwrap();
        reader.join().unwrap();
        round_acks.extend(acks.try_iter());
        next_counter = round_acks.last().map_or(next_counter, |(_, c)| c + 1);
        acknowledged.extend(round_acks);

        // A fresh process view: reopen and check every save ever acknowledged.
        let store = Store::open(url).await.unwrap();
        for (revision, counter) in &acknowledged {
            let (info, stored) = store
                .revision(*revision)
                .await
                .unwrap_or_else(|e| panic!("round {round}: acknowledged revision {revision} is lost or damaged: {e}"));
            assert_eq!(info.report_id, report);
            assert_eq!(
                stored.answers["crash_test_counter"],
                serde_json::json!(counter),
                "round {round}: revision {revision}"
            );
        }
        let current = store.report(report).await.unwrap().current_revision.unwrap();
        if let Some((last, _)) = acknowledged.last() {
            assert!(current >= *last, "round {round}: the report points before an acknowledged save");
        }
        store.revision(current).await.unwrap();
        store.close().await;
    }
    assert!(
        acknowledged.len() >= KILLS,
        "the writer acknowledged only {} saves; the test did not exercise much",
        acknowledged.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_acknowledged_save_across_kills() {
    let (url, _dir) = qpr_test_support::sqlite_url();
    kill_and_check(&url).await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    assert_eq!(integrity, "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_acknowledged_save_across_kills() {
    kill_and_check(&qpr_test_support::postgres_url()).await;
}
