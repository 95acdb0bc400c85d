//! What the plan delivers on real demand nobody here wrote (`../shared/data/real`):
//! for each data set and cycle-service target 0.90, 0.95, 0.98, the plan is run as
//! of each review over a held-out stretch with the history up to that day, its
//! order-up-to levels are replayed against the demand that followed
//! (`backtest::backtest`, the same code as `replenish simulate`), and the textbook
//! rule s = d̄·P + z·σ_d·√P runs on the same replay. Prints achieved cycle service
//! level and fill rate, stock, stock-out days, the textbook rule's figures and its
//! stock at the plan's achieved service (the stock ratio: ≤ 1 means the plan holds
//! no more stock for the service it delivers).
//!
//! Run: `cargo bench -p replenish --bench service [-- NAME ...] [--lost-sales] [--markdown]`
//! (NAME picks data sets: pasta, online_retail, vn2, tuna, walmart, raf, carparts, pbs).
//!
//! Each data set is turned into the CSV tables a user would give (items, suppliers,
//! sales, inventory, and stock-outs and promotions where the data has them) and read
//! by `ingest::parse`. Weekly and monthly data are given as consecutive days (one
//! day per period) with lead time and review period of one period each, as the plan
//! has no calendar frequency yet; the table says so.

use chrono::{Duration, NaiveDate};
use replenish::backtest::{backtest, BacktestOptions};
use replenish::ingest::{self, IngestOptions, Inputs, TableInput};
use replenish::policy::simulate::ShortageMode;
use replenish::rules::PolicyKind;
use replenish::PlanConfig;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One series of a data set: per period, demand, promotion and stock-out flags.
struct Series {
    id: String,
    qty: Vec<f64>,
    promo: Vec<bool>,
    stockout: Vec<bool>,
}

struct Source {
    name: &'static str,
    frequency: &'static str,
    start: NaiveDate,
    series: Vec<Series>,
    lead: f64,
    review: f64,
    holdout: usize,
    has_promotions: bool,
}

type Res<T> = Result<T, String>;

fn read_csv(path: &Path) -> Res<(Vec<String>, Vec<Vec<String>>)> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let header: Vec<String> = r.headers().map_err(|e| e.to_string())?.iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.map(|r| r.iter().map(str::to_string).collect()).map_err(|e| e.to_string()))
        .collect::<Res<Vec<Vec<String>>>>()?;
    Ok((header, rows))
}

fn num(s: &str) -> f64 {
    s.trim().parse::<f64>().unwrap_or(0.0).max(0.0)
}

fn date(s: &str) -> Res<NaiveDate> {
    NaiveDate::parse_from_str(&s[..s.len().min(10)], "%Y-%m-%d").map_err(|e| format!("{s}: {e}"))
}

/// Long rows (id, date, qty, promo, stockout) → dense series over each id's span.
fn from_long(
    rows: Vec<(String, NaiveDate, f64, bool, bool)>,
    step_days: i64,
    monthly: bool,
) -> (NaiveDate, Vec<Series>) {
    let start = rows.iter().map(|r| r.1).min().unwrap_or_default();
    let index = |d: NaiveDate| -> usize {
        if monthly {
            use chrono::Datelike;
            ((d.year() - start.year()) * 12 + d.month() as i32 - start.month() as i32) as usize
        } else {
            ((d - start).num_days() / step_days) as usize
        }
    };
    let len = rows.iter().map(|r| index(r.1) + 1).max().unwrap_or(0);
    let mut by: BTreeMap<String, Series> = BTreeMap::new();
    for (id, d, q, p, so) in rows {
        let s = by.entry(id.clone()).or_insert_with(|| Series {
            id,
            qty: vec![0.0; len],
            promo: vec![false; len],
            stockout: vec![false; len],
        });
        let i = index(d);
        s.qty[i] += q;
        s.promo[i] |= p;
        s.stockout[i] |= so;
    }
    (start, by.into_values().collect())
}

/// Keeps series that sell in at least `min_share` of periods, then every k-th to `cap`.
fn pick(series: Vec<Series>, min_share: f64, cap: usize) -> Vec<Series> {
    let kept: Vec<Series> = series
        .into_iter()
        .filter(|s| {
            let n = s.qty.len().max(1) as f64;
            s.qty.iter().filter(|q| **q > 0.0).count() as f64 / n >= min_share
        })
        .collect();
    let step = kept.len().div_ceil(cap.max(1)).max(1);
    kept.into_iter().step_by(step).collect()
}

fn load(name: &str, root: &Path) -> Res<Source> {
    let daily = |name, start, series, has_promotions| Source {
        name,
        frequency: "daily",
        start,
        series,
        lead: 7.0,
        review: 7.0,
        holdout: 182,
        has_promotions,
    };
    let per = |name, frequency, start, series, holdout, has_promotions| Source {
        name,
        frequency,
        start,
        series,
        lead: 1.0,
        review: 1.0,
        holdout,
        has_promotions,
    };
    Ok(match name {
        "pasta" => {
            let (h, rows) = read_csv(&root.join("pasta_italy/hierarchical_sales_data.csv"))?;
            let mut long = Vec::new();
            for r in &rows {
                let d = date(&r[0])?;
                for (c, col) in h.iter().enumerate() {
                    if let Some(id) = col.strip_prefix("QTY_") {
                        let promo =
                            h.iter().position(|x| x == &format!("PROMO_{id}")).is_some_and(|p| num(&r[p]) > 0.0);
                        long.push((id.to_string(), d, num(&r[c]), promo, false));
                    }
                }
            }
            let (start, s) = from_long(long, 1, false);
            daily("pasta", start, pick(s, 0.3, 1000), true)
        }
        "online_retail" => {
            let (_, rows) = read_csv(&root.join("online_retail/daily_by_stockcode_2009-12_2010-12.csv"))?;
            let long =
                rows.iter().map(|r| Ok((r[0].clone(), date(&r[1])?, num(&r[2]), false, false))).collect::<Res<_>>()?;
            let (start, s) = from_long(long, 1, false);
            daily("online_retail", start, pick(s, 100.0 / 373.0, 300), false)
        }
        "vn2" => {
            let (_, rows) = read_csv(&root.join("vn2/vn2_sales_long.csv"))?;
            let long = rows
                .iter()
                .map(|r| Ok((format!("{}-{}", r[0], r[1]), date(&r[2])?, num(&r[3]), false, r[4] == "False")))
                .collect::<Res<_>>()?;
            let (start, s) = from_long(long, 7, false);
            per("vn2", "weekly", start, pick(s, 0.0, 600), 52, false)
        }
        "tuna" => {
            let (_, rows) = read_csv(&root.join("tuna_weekly.csv"))?;
            // A deal week: a display in more than 10% of the stores.
            let long = rows
                .iter()
                .map(|r| Ok((r[0].clone(), date(&r[1])?, num(&r[2]), num(&r[3]) > 0.1, false)))
                .collect::<Res<_>>()?;
            let (start, s) = from_long(long, 7, false);
            per("tuna", "weekly", start, s, 104, true)
        }
        "walmart" => {
            let (_, rows) = read_csv(&root.join("walmart_weekly.csv"))?;
            let long = rows
                .iter()
                .map(|r| Ok((r[0].clone(), date(&r[3])?, num(&r[4]).round(), false, false)))
                .collect::<Res<_>>()?;
            let (start, s) = from_long(long, 7, false);
            per("walmart", "weekly", start, s, 52, false)
        }
        "raf" => {
            let (h, rows) = read_csv(&root.join("spare_parts/raf_monthly.csv"))?;
            let start = NaiveDate::from_ymd_opt(1996, 1, 1).unwrap_or_default();
            let months = h.len() - 2;
            let s = rows
                .iter()
                .map(|r| Series {
                    id: r[0].clone(),
                    qty: r[2..].iter().map(|v| num(v)).collect(),
                    promo: vec![false; months],
                    stockout: vec![false; months],
                })
                .collect();
            per("raf", "monthly", start, pick(s, 0.1, 500), 24, false)
        }
        "carparts" => {
            let (_, rows) = read_csv(&root.join("carparts_monthly.csv"))?;
            let long =
                rows.iter().map(|r| Ok((r[0].clone(), date(&r[1])?, num(&r[2]), false, false))).collect::<Res<_>>()?;
            let (start, s) = from_long(long, 0, true);
            per("carparts", "monthly", start, pick(s, 0.1, 500), 15, false)
        }
        "pbs" => {
            let (_, rows) = read_csv(&root.join("pbs_monthly.csv"))?;
            let long = rows
                .iter()
                .map(|r| Ok((format!("{}|{}|{}", r[1], r[2], r[5]), date(&r[0])?, num(&r[7]), false, false)))
                .collect::<Res<_>>()?;
            let (start, s) = from_long(long, 0, true);
            per("pbs", "monthly", start, pick(s, 0.5, 400), 36, false)
        }
        other => return Err(format!("unknown data set {other}")),
    })
}

/// The tables a user would give; series ids become SKUs at one location `L`.
fn inputs(src: &Source) -> Inputs {
    // Daily data on its dates; weekly and monthly periods on consecutive days.
    let day_of = |i: usize| src.start + Duration::days(i as i64);
    let len = src.series.iter().map(|s| s.qty.len()).max().unwrap_or(0);
    let last = day_of(len.saturating_sub(1));
    let (mut items, mut sup, mut sales, mut inv, mut so, mut promo) = (
        String::from("sku,unit_cost,category\n"),
        String::from("supplier_id,sku,lead_time_days,order_cycle_days\n"),
        String::from("date,sku,location,quantity\n"),
        String::from("sku,location,on_hand,as_of\n"),
        String::from("date,sku,location\n"),
        String::from("sku,location,start,end\n"),
    );
    for s in &src.series {
        let sku = &s.id;
        let _ = writeln!(items, "{sku},1,{}", src.name);
        let _ = writeln!(sup, "S,{sku},{},{}", src.lead, src.review);
        let _ = writeln!(inv, "{sku},L,0,{last}");
        for (i, q) in s.qty.iter().enumerate() {
            if *q > 0.0 {
                let _ = writeln!(sales, "{},{sku},L,{q}", day_of(i));
            }
            if s.stockout[i] {
                let _ = writeln!(so, "{},{sku},L", day_of(i));
            }
        }
        let mut i = 0;
        while i < s.promo.len() {
            if s.promo[i] {
                let j = (i..s.promo.len()).find(|&j| !s.promo[j]).unwrap_or(s.promo.len());
                let _ = writeln!(promo, "{sku},L,{},{}", day_of(i), day_of(j - 1));
                i = j;
            } else {
                i += 1;
            }
        }
    }
    let t = |name: &str, text: String| Some(TableInput::new(format!("{}:{name}", src.name), text));
    let any_stockout = src.series.iter().any(|s| s.stockout.iter().any(|x| *x));
    Inputs {
        items: t("items", items),
        suppliers: t("suppliers", sup),
        sales: t("sales", sales),
        inventory: t("inventory", inv),
        stockouts: if any_stockout { t("stockouts", so) } else { None },
        promotions: if src.has_promotions { t("promotions", promo) } else { None },
        ..Default::default()
    }
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let root = std::env::var_os("REPLENISH_REAL_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/real"));
    if !root.is_dir() {
        println!("skipped: no real data at {} (set REPLENISH_REAL_DATA)", root.display());
        return Ok(());
    }
    let lost = args.iter().any(|a| a == "--lost-sales");
    let names: Vec<&str> = args.iter().filter(|a| !a.starts_with("--")).map(String::as_str).collect();
    let all = ["pasta", "online_retail", "vn2", "tuna", "walmart", "raf", "carparts", "pbs"];
    let chosen: Vec<&str> = if names.is_empty() { all.to_vec() } else { names };
    let shortage = if lost { ShortageMode::LostSales } else { ShortageMode::Backorder };
    println!(
        "| data set | frequency | series | target | plan CSL | plan fill rate | plan stock | stock-out days | textbook CSL | textbook fill rate | textbook stock | textbook stock at plan CSL | stock ratio | seconds |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for name in chosen {
        let src = load(name, &root)?;
        let data = ingest::parse(&inputs(&src), &IngestOptions::default()).map_err(|e| e.to_string())?.dataset;
        let freq =
            if src.frequency == "daily" { "daily".to_string() } else { format!("{} (periods as days)", src.frequency) };
        for target in [0.90, 0.95, 0.98] {
            let t0 = Instant::now();
            let config = PlanConfig { service_level: target, policy: PolicyKind::RS, ..PlanConfig::default() };
            let opts = BacktestOptions { days: src.holdout, shortage, replan: true, ..BacktestOptions::default() };
            let b = backtest(&data, &config, &opts).map_err(|e| format!("{name}: {e}"))?;
            let Some(k) = b.kpis.iter().find(|k| k.group == "all") else { continue };
            let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{:.1}%", v * 100.0));
            println!(
                "| {name} | {freq} | {} | {:.0}% | {} | {:.1}% | {:.1} | {:.1}% | {} | {:.1}% | {:.1} | {:.1} | {} | {:.1} |",
                k.lines,
                target * 100.0,
                pct(k.cycle_service_level),
                k.fill_rate * 100.0,
                k.average_on_hand_units,
                k.stockout_day_share * 100.0,
                pct(k.textbook_cycle_service_level),
                k.textbook_fill_rate * 100.0,
                k.textbook_average_on_hand_units,
                k.textbook_on_hand_at_plan_service,
                k.stock_ratio_at_equal_service.map_or("-".to_string(), |v| format!("{v:.3}")),
                t0.elapsed().as_secs_f64()
            );
            if std::env::var_os("SERVICE_BENCH_CLASSES").is_some() {
                print!("{}", b.to_text());
            }
        }
    }
    if lost {
        println!("(lost sales: unmet demand is gone)");
    } else {
        println!("(backorders: unmet demand waits for the next delivery)");
    }
    Ok(())
}
