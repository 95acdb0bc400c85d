//! The whole pipeline at the size of a large retailer, end to end, with the time of
//! each stage and the peak memory: generate a company with two years of daily
//! history, ingest its CSV tables, plan (statistics, then forecasts with the
//! automatic model choice and the policy per SKU-location, then POs), and the KPIs.
//! Every plan is checked against `plan::invariants`.
//!
//! Run: `cargo bench -p replenish --bench scale -- 100000` (SKU-locations; 10
//! locations per SKU, 730 days). Figures go to stdout; `--days N` changes the history,
//! `--ingest-only` stops after ingest (for profiling it). The generated CSV files go
//! to `target/scale-data/<SKU-locations>x<days>/` (or `--data DIR`) and are reused by
//! the next run of the same size.

use replenish::plan::split::PlanGlobals;
use replenish::plan::{finish_plan, invariants, plan_lines, plan_stats, PlanConfig};
use replenish::progress::Progress;
use replenish::{demo, ingest, kpi};
use std::io::Write;
use std::time::Instant;

/// Peak and current resident memory of this process, in bytes (Linux).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Prints the resident memory now and the peak so far.
fn resident(when: &str) {
    let (peak, now) = memory();
    println!("          {when}: {:.2} GiB resident, peak {:.2} GiB", gib(now), gib(peak));
}

fn gib(b: u64) -> f64 {
    b as f64 / (1u64 << 30) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut sku_locations = 100_000usize;
    let mut days = 730usize;
    let mut ingest_only = false;
    let mut data_dir = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ingest-only" => ingest_only = true,
            "--days" => days = it.next().and_then(|v| v.parse().ok()).unwrap_or(days),
            "--data" => data_dir = it.next().map(std::path::PathBuf::from),
            v => sku_locations = v.replace('_', "").parse().unwrap_or(sku_locations),
        }
    }
    let locations = 10.min(sku_locations);
    let cfg = demo::DemoConfig { skus: sku_locations.div_ceil(locations), locations, days, ..Default::default() };
    let threads = rayon::current_num_threads();
    println!("scale: {} SKUs × {locations} locations × {days} days, {threads} threads", cfg.skus);

    // The company is written to CSV files in a folder, as a user's exports would be,
    // and read from there: at 1 M SKU-locations the POS table (about 16 GiB) is
    // larger than the memory target. The folder is kept and reused by later runs of
    // the same size (the generator is deterministic).
    let dir = data_dir.unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/scale-data")
            .join(format!("{sku_locations}x{days}"))
    });
    let stamp = dir.join("complete.json");
    let want = serde_json::to_string(&cfg)?;
    let t = Instant::now();
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        println!("generate  reusing {}", dir.display());
    } else {
        std::fs::create_dir_all(&dir)?;
        let _ = std::fs::remove_file(&stamp);
        let mut out = demo::DemoTables::try_new(|name| {
            std::fs::File::create(dir.join(name)).map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
        })?;
        demo::generate_into(&cfg, &mut out)?;
        for mut w in out.into_vec() {
            w.flush()?;
        }
        std::fs::write(&stamp, &want)?;
        println!("generate  {:>8.1} s  (not counted) into {}", t.elapsed().as_secs_f64(), dir.display());
    }
    let bytes: u64 =
        demo::DemoTables::<()>::NAMES.iter().map(|n| std::fs::metadata(dir.join(n)).map_or(0, |m| m.len())).sum();
    println!("          {:.2} GiB of CSV", gib(bytes));
    let (_, before) = memory();
    let start = Instant::now();

    let t = Instant::now();
    let data = ingest::read_folder(&dir, &ingest::IngestOptions::default())?;
    let series = data.dataset.demand.len();
    let series_days = data.report.demand_days;
    let (_, after_ingest) = memory();
    println!(
        "ingest    {:>8.1} s  ({} sales lines, {series} series, {series_days} series-days; dataset {:.2} GiB resident)",
        t.elapsed().as_secs_f64(),
        data.report.sales_lines,
        gib(after_ingest.saturating_sub(before.min(after_ingest)))
    );

    let d = &data.dataset.demand;
    println!("          daily arrays {:.2} GiB ({} price runs)", gib(d.daily_bytes() as u64), d.price.runs());
    if ingest_only {
        println!("memory    peak {:.2} GiB resident", gib(memory().0));
        return Ok(());
    }
    let config = PlanConfig::default();
    let t = Instant::now();
    let stats = plan_stats(&data.dataset, &config)?;
    let globals = PlanGlobals::merge(&config, vec![stats])?;
    println!("stats     {:>8.1} s  (plan date, ABC classes, uplifts)", t.elapsed().as_secs_f64());
    resident("after stats");

    let t = Instant::now();
    let lines = plan_lines(&data.dataset, &config, &globals, &Progress::new())?;
    let dt = t.elapsed().as_secs_f64();
    println!(
        "forecast+policy {:>2.1} s  ({:.0} SKU-locations/s, {:.2} ms per SKU-location per core; model {:?})",
        dt,
        series as f64 / dt,
        dt * 1e3 * threads as f64 / series as f64,
        config.forecast
    );
    resident("after forecast+policy");

    let t = Instant::now();
    let items = &data.dataset.items;
    let plan = finish_plan(lines, items, &data.dataset.suppliers, &config, &globals)?;
    println!(
        "POs       {:>8.1} s  ({} POs, {} order lines)",
        t.elapsed().as_secs_f64(),
        plan.purchase_orders.len(),
        plan.summary.order_lines
    );

    let t = Instant::now();
    let k = kpi::kpis(&data.dataset, &plan, &kpi::KpiConfig::default())?;
    println!("KPIs      {:>8.1} s  ({} KPI lines)", t.elapsed().as_secs_f64(), k.lines.len());

    let total = start.elapsed().as_secs_f64();
    let v = invariants::violations(&plan);
    if !v.is_empty() {
        return Err(format!("plan invariants broken: {:#?}", &v[..v.len().min(10)]).into());
    }
    let (peak, _) = memory();
    println!("total     {total:>8.1} s  (ingest to KPIs)");
    println!(
        "memory    peak {:.2} GiB resident; {:.0} bytes per series-day over the generated input",
        gib(peak),
        peak.saturating_sub(before) as f64 / series_days.max(1) as f64
    );
    Ok(())
}
