//! Similar measures at scale: p50/p99 time of `SearchIndex::similar_to` (five measures of other
//! Parties) for measures spread over an index, as the measure page and the API ask them.
//!
//! Run by `benches/similar/run.sh` (not in CI): `cargo bench -p qpr-search --bench similar --
//! INDEX_DIR [QUERIES]`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::Path;
use std::time::{Duration, Instant};

use qpr_search::{DEFAULT_SIMILAR, SearchIndex, SimilarOptions};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let dir = args.first().expect("usage: similar INDEX_DIR [QUERIES]");
    let queries: usize = args.get(1).map_or(1000, |n| n.parse().expect("QUERIES is a number"));
    let index = SearchIndex::open_read_only(Path::new(dir)).unwrap();
    println!("index: {} measures", index.len());
    let sample = index.sample(queries).unwrap();
    // Warm-up: the first queries read the index's files into the page cache.
    for measure in sample.iter().take(50) {
        index.similar_to(measure, DEFAULT_SIMILAR, SimilarOptions::default()).unwrap();
    }
    let mut times = Vec::with_capacity(sample.len());
    let mut empty = 0;
    for measure in &sample {
        let start = Instant::now();
        let similar = index.similar_to(measure, DEFAULT_SIMILAR, SimilarOptions::default()).unwrap();
        times.push(start.elapsed());
        empty += usize::from(similar.is_empty());
        assert!(similar.iter().all(|s| s.party != measure.party), "similar measures are other Parties'");
    }
    times.sort_unstable();
    println!(
        "similar measures ({} queries, {} with none): p50 {} ms, p99 {} ms, max {} ms",
        times.len(),
        empty,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(percentile(&times, 1.0))
    );
}
