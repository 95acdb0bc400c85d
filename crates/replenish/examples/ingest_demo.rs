//! Times ingestion and planning of the demo company, end to end, and prints the figures.
//! Run: `cargo run --release -p replenish --example ingest_demo`
use replenish::{demo, ingest, plan, PlanConfig};
use std::time::Instant;

fn main() -> Result<(), replenish::Error> {
    let t = Instant::now();
    let inputs = demo::generate(&demo::DemoConfig::default());
    let gen = t.elapsed();
    let bytes: usize = inputs.tables().iter().map(|(_, t)| t.read().map_or(0, |b| b.len())).sum();
    let t = Instant::now();
    let data = ingest::parse(&inputs, &ingest::IngestOptions::default())?;
    let ing = t.elapsed();
    let t = Instant::now();
    let p = plan(&data.dataset, &PlanConfig::default())?;
    let pl = t.elapsed();
    println!(
        "generate {:.0} ms | ingest {:.0} ms ({} sales lines, {:.1} MB) | plan {:.1} ms ({} SKU-locations, {} POs)",
        gen.as_secs_f64() * 1e3,
        ing.as_secs_f64() * 1e3,
        data.report.sales_lines,
        bytes as f64 / 1e6,
        pl.as_secs_f64() * 1e3,
        p.lines.len(),
        p.purchase_orders.len()
    );
    Ok(())
}
