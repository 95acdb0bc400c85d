//! Criterion benchmarks of the main job on the demo company (300 SKUs × 3
//! locations × 730 days): ingestion of the six CSV tables, planning from the
//! validated dataset, and both together.
//!
//! Run: `cargo bench -p replenish --bench plan`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use replenish::{demo, ingest, plan, PlanConfig};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let inputs = demo::generate(&demo::DemoConfig::default());
    let opts = ingest::IngestOptions::default();
    let data = match ingest::parse(&inputs, &opts) {
        Ok(d) => d,
        Err(e) => panic!("demo data must validate: {e}"),
    };
    let config = PlanConfig::default();
    let series = data.dataset.demand.len() as u64;

    let mut g = c.benchmark_group("demo");
    g.sample_size(20);
    g.throughput(Throughput::Elements(series));
    g.bench_function("generate", |b| b.iter(|| demo::generate(black_box(&demo::DemoConfig::default()))));
    g.bench_function("ingest", |b| b.iter(|| ingest::parse(black_box(&inputs), &opts)));
    g.bench_function("plan", |b| b.iter(|| plan(black_box(&data.dataset), &config)));
    g.bench_function("ingest+plan", |b| {
        b.iter(|| {
            let d = ingest::parse(black_box(&inputs), &opts).map_err(|e| e.to_string());
            d.map(|d| plan(&d.dataset, &config).map(|p| p.lines.len()))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
