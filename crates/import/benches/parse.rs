//! Import throughput on the real published report and on a page of every layout
//! (`BENCHMARKS.md`).
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qpr_domain::Framework;
use qpr_import::{Hints, PageImporter};

/// The allocator of the `qpr` binary (`crates/cli/src/main.rs`), which runs the importer: the
/// benchmark measures the importer as `qpr import` runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/pages.rs"]
mod pages;
use pages::{PAGES, SEED};

fn parse_seed(c: &mut Criterion) {
    let importer = qpr_import::Importer::new(Framework::qpr_2020());
    let mut group = c.benchmark_group("import");
    group.throughput(Throughput::Bytes(SEED.len() as u64));
    group.bench_function("azerbaijan-2022-text", |b| {
        b.iter(|| importer.import(std::hint::black_box(SEED)).map(|d| d.policy_measures.len()))
    });
    group.finish();
}

fn parse_layouts(c: &mut Criterion) {
    let importer = PageImporter::new();
    let mut group = c.benchmark_group("layouts");
    let seed_hints = Hints::default();
    group.throughput(Throughput::Bytes(SEED.len() as u64));
    group.bench_function("seed-through-page-importer", |b| {
        b.iter(|| importer.import(std::hint::black_box(SEED), &seed_hints).map(|(_, d)| d.policy_measures.len()))
    });
    for (name, page, party, year) in PAGES {
        let hints = Hints { party: party.map(str::to_owned), year };
        assert!(importer.import(page, &hints).is_ok(), "{name} imports");
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| importer.import(std::hint::black_box(page), &hints).map(|(_, d)| d.year))
        });
    }
    // The samples are cut after their first 2 KB, so a fixed cost per page weighs on them
    // more than on whole pages: a measures list of the size of a whole one (the sample's
    // rows repeated to 600 rows, 40 KB).
    let norway = PAGES[3].1;
    let (head, rest) = norway.split_at(norway.find("Production Grants").unwrap_or(0));
    let rows: String = rest.lines().take(10).map(|l| format!("{l}\n")).collect();
    let whole = format!("{head}{}", rows.repeat(60));
    group.throughput(Throughput::Bytes(whole.len() as u64));
    group.bench_function("2016-measures-list-600-rows", |b| {
        b.iter(|| importer.import(std::hint::black_box(&whole), &seed_hints).map(|(_, d)| d.policy_measures.len()))
    });
    group.finish();
}

criterion_group!(benches, parse_seed, parse_layouts);
criterion_main!(benches);
