//! The PDF of the seed report (Azerbaijan 2022), made `RUNS` times in one process
//! (`benches/pdf/run.sh`, BENCHMARKS.md, issue 18): the time of each render from the view
//! model to the PDF's bytes, with typst's memoized results dropped before each one (every
//! run is a first render, as the server's first request for a revision is), and the peak
//! memory of the process. Arguments: `[runs] [en|fr]`.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_pdf::{PdfReport, Words};

// What the server runs (see crates/cli/src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map_or(20, |n| n.parse().expect("runs: a number"));
    let lang = match args.next().as_deref() {
        Some("fr") => Lang::Fr,
        _ => Lang::En,
    };
    let started = Instant::now();
    let document =
        qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../demo/qpr-azerbaijan-2022.txt"))
            .expect("the seed report imports");
    let framework = Framework::qpr_2020();
    let words = match lang {
        Lang::En => Words { contents: "Contents".into(), page: "Page {page} of {pages}".into() },
        _ => Words { contents: "Sommaire".into(), page: "Page {page} sur {pages}".into() },
    };
    let title = format!("{} {}", document.party.name, document.year);
    let render = || {
        let (blocks, toc) = qpr_views::report::blocks(framework, &document, lang);
        let report = PdfReport {
            title: &title,
            form_title: framework.title.get(lang),
            header: &title,
            lang,
            blocks: &blocks,
            toc: &toc,
            signature: None,
            watermark: None,
            words: &words,
        };
        qpr_pdf::render(&report).expect("the seed report typesets")
    };
    // The process's first render also loads the fonts and typst's library, once per server.
    let first = Instant::now();
    let pdf = render();
    println!(
        "first render (fonts and library loaded): {:.1} ms, {} bytes; process up {:.1} ms",
        first.elapsed().as_secs_f64() * 1e3,
        pdf.bytes.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        typst::comemo::evict(0);
        let start = Instant::now();
        let pdf = render();
        times.push(start.elapsed().as_secs_f64() * 1e3);
        assert!(pdf.bytes.len() > 10_000);
    }
    times.sort_by(f64::total_cmp);
    // Nearest rank: with 20 runs, p99 is the slowest.
    let rank = |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{runs} renders ({}): min {:.1} ms, median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        lang.tag(),
        times[0],
        rank(0.5),
        rank(0.99),
        times[times.len() - 1]
    );
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or("VmHWM: unknown");
    println!("peak memory (resident, whole process): {}", peak.trim_start_matches("VmHWM:").trim());
}
