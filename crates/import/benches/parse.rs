//! Import throughput on the real published report (`BENCHMARKS.md`).
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qpr_domain::Framework;

const SEED: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

fn parse_seed(c: &mut Criterion) {
    let importer = qpr_import::Importer::new(Framework::qpr_2020());
    let mut group = c.benchmark_group("import");
    group.throughput(Throughput::Bytes(SEED.len() as u64));
    group.bench_function("azerbaijan-2022-text", |b| {
        b.iter(|| importer.import(std::hint::black_box(SEED)).map(|d| d.policy_measures.len()))
    });
    group.finish();
}

criterion_group!(benches, parse_seed);
criterion_main!(benches);
