//! The workbook benchmark (`benches/workbook/run.sh`, BENCHMARKS.md): the demo report's draft
//! as a workbook (`export`), and a filled workbook of it read back with its preview
//! (`import`: open, check, apply every cell, list the changes), each timed over many runs.
//! Run one mode per process, so that the peak memory `/usr/bin/time` reports is that mode's.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_editor::{Arg, Words};

const SEED: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

fn lookup(_: Lang, id: &str, _: &[(&'static str, Arg)]) -> String {
    match id {
        "editor-yes" => "Yes".into(),
        "editor-no" => "No".into(),
        other => other.to_owned(),
    }
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{name}: {} runs, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "export".into());
    let runs: usize = args.next().map_or(50, |n| n.parse().unwrap());
    let framework = Framework::qpr_2020();
    let document = qpr_import::import_published(framework, SEED).unwrap();
    let words = Words::new(Lang::En, lookup);
    let bytes = qpr_workbook::report_workbook(framework, &document, 1, words).unwrap();
    match mode.as_str() {
        "export" => {
            let times = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let bytes = qpr_workbook::report_workbook(framework, &document, 1, words).unwrap();
                    std::hint::black_box(bytes);
                    start.elapsed()
                })
                .collect();
            println!("workbook: {} bytes", bytes.len());
            report("export", times);
        }
        "import" => {
            let limits = qpr_workbook::Limits::default();
            let times = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let upload = qpr_workbook::open(&bytes, &limits).unwrap();
                    let filled = qpr_workbook::read_report(framework, &document, &upload, lookup).unwrap();
                    std::hint::black_box(filled.changes);
                    start.elapsed()
                })
                .collect();
            report("import+preview", times);
        }
        other => panic!("mode: export or import, not {other}"),
    }
}
