//! A deterministic driver for instruction counts (`valgrind --tool=callgrind`): imports one
//! page of each layout (the samples of `tests/fixtures/real-pages`, as `benches/parse.rs` does)
//! `N` times inside [`measured`], so that `--toggle-collect` counts the imports only, not the
//! building of the importer (nor the indexes built on first use: one import runs first). On a shared machine, wall-clock benchmarks vary by 2× between
//! runs; instruction counts do not.
//!
//! ```sh
//! CARGO_PROFILE_BENCH_DEBUG=line-tables-only cargo build -p qpr-import --profile bench --example count
//! valgrind --tool=callgrind --toggle-collect='*count::measured*' \
//!     target/release/examples/count 2016-measures-list 10
//! ```
//!
//! Arguments: the layout's name (as in the benchmark, or `all`) and the number of imports.
#![allow(missing_docs, clippy::print_stdout)]

use qpr_import::{Hints, PageImporter};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/common/pages.rs"]
mod pages;
use pages::{PAGES, SEED};

/// The imports counted: `times` imports of `page`.
#[inline(never)]
fn measured(importer: &PageImporter, page: &str, hints: &Hints, times: usize) -> usize {
    let mut total = 0;
    for _ in 0..times {
        let (_, document) = std::hint::black_box(importer.import(std::hint::black_box(page), hints))
            .unwrap_or_else(|e| panic!("the page imports: {e}"));
        total += document.policy_measures.len() + document.cso_measures.len();
    }
    total
}

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "all".into());
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let importer = PageImporter::new();
    // The benchmark's 600-row list: the sample's rows repeated.
    let norway = PAGES[3].1;
    let (head, rest) = norway.split_at(norway.find("Production Grants").unwrap_or(0));
    let rows: String = rest.lines().take(10).map(|l| format!("{l}\n")).collect();
    let whole = format!("{head}{}", rows.repeat(60));
    let mut pages: Vec<(&str, &str, Hints)> = vec![("seed-through-page-importer", SEED, Hints::default())];
    for (name, page, party, year) in PAGES {
        pages.push((name, page, Hints { party: party.map(str::to_owned), year }));
    }
    pages.push(("2016-measures-list-600-rows", &whole, Hints::default()));
    for (name, page, hints) in &pages {
        if which == "all" || which == *name {
            // Once outside the count: the country and option indexes built on first use.
            let _ = std::hint::black_box(importer.import(page, hints));
            let measures = measured(&importer, page, hints, times);
            println!("{name}: {} bytes, {times} imports, {measures} measures", page.len());
        }
    }
}
