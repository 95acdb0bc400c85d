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
//! Run: `cargo bench -p replenish --bench service [-- NAME ...] [--lost-sales]
//! [--ltd=METHOD] [--periods-as-days] [--fill-rate] [--costs-only]` (NAME picks data sets: pasta, online_retail,
//! vn2, tuna, walmart, raf, carparts, pbs).
//!
//! Each data set is turned into the CSV tables a user would give (items, suppliers,
//! sales, inventory, and stock-outs and promotions where the data has them) and read
//! by `ingest::parse`. Weekly and monthly totals stay on their dates and are read at
//! their frequency (`ingest.frequency`: each total spread over the days of its
//! period), with lead time and review period of one period each given in days (7 for
//! a week, 30 for a month). `--periods-as-days` gives them as consecutive days instead
//! (one day per period), the reading before the plan had a frequency.
//!
//! With `vn2` it also replays the VN2 challenge's six rounds by its own rules (lost
//! sales, an order on the shelf three weeks after the week it follows, 0.2 per unit
//! held and 1 per unit short) and prints the holding, shortage and total cost of the
//! plan and of the organisers' benchmark policy.

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
    /// Weekly and monthly periods on their calendar dates, read at their frequency
    /// (each total spread over its days), with lead time, review and holdout in
    /// days; false: one day per period.
    calendar: bool,
}

impl Source {
    /// Days in one period (monthly: 30, the review cadence a monthly buyer keeps).
    fn period_days(&self) -> f64 {
        match (self.calendar, self.frequency) {
            (true, "weekly") => 7.0,
            (true, "monthly") => 30.0,
            _ => 1.0,
        }
    }

    /// The first day of period `i`.
    fn day_of(&self, i: usize) -> NaiveDate {
        match (self.calendar, self.frequency) {
            (true, "weekly") => self.start + Duration::days(7 * i as i64),
            (true, "monthly") => {
                use chrono::Datelike;
                let first = self.start.with_day(1).unwrap_or(self.start);
                first.checked_add_months(chrono::Months::new(i as u32)).unwrap_or(first)
            }
            _ => self.start + Duration::days(i as i64),
        }
    }

    /// The frequency the tables are read at.
    fn ingest(&self) -> IngestOptions {
        let frequency = match (self.calendar, self.frequency) {
            (true, "weekly") => ingest::Frequency::Weekly,
            (true, "monthly") => ingest::Frequency::Monthly,
            _ => ingest::Frequency::Daily,
        };
        IngestOptions { frequency, ..IngestOptions::default() }
    }

    /// Held-out days of the backtest.
    fn holdout_days(&self) -> usize {
        match (self.calendar, self.frequency) {
            (true, "monthly") => (self.day_of(self.len()) - self.day_of(self.len() - self.holdout)).num_days() as usize,
            _ => (self.holdout as f64 * self.period_days()) as usize,
        }
    }

    fn len(&self) -> usize {
        self.series.iter().map(|s| s.qty.len()).max().unwrap_or(0)
    }
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
        calendar: false,
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
        calendar: false,
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
    // Daily data on its dates; weekly and monthly periods on their dates, or on
    // consecutive days without `calendar`.
    let day_of = |i: usize| src.day_of(i);
    let last = day_of(src.len()) - Duration::days(1);
    let (lead, review) = (src.lead * src.period_days(), src.review * src.period_days());
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
        let _ = writeln!(sup, "S,{sku},{lead},{review}");
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
                let _ = writeln!(promo, "{sku},L,{},{}", day_of(i), day_of(j) - Duration::days(1));
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

/// VN2's rules: weekly, lost sales, an order placed at the end of week X is on the
/// shelf at the start of week X + 3; 0.2 per unit on hand at the end of a week, 1 per
/// unit short.
const VN2_HOLDING: f64 = 0.2;
const VN2_SHORTAGE: f64 = 1.0;

/// A wide VN2 table (Store, Product, one column per week) by series id.
fn vn2_wide<T>(path: &Path, cell: impl Fn(&str) -> T) -> Res<BTreeMap<String, Vec<T>>> {
    let (_, rows) = read_csv(path)?;
    Ok(rows.into_iter().map(|r| (format!("{}-{}", r[0], r[1]), r[2..].iter().map(|c| cell(c)).collect())).collect())
}

/// What a policy sees at one round: the series, their sales up to the end of the
/// previous week and whether each week was in stock.
struct Vn2Round<'a> {
    ids: &'a [String],
    history: &'a [Vec<f64>],
    in_stock: &'a [Vec<bool>],
}

/// The sales file of week `k` (`Week k - <date> - Sales.csv`).
fn vn2_sales_file(dir: &Path, k: usize) -> Res<PathBuf> {
    let prefix = format!("Week {k} - ");
    std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&prefix) && n.ends_with("Sales.csv"))
        })
        .ok_or_else(|| format!("no {prefix}... Sales.csv in {}", dir.display()))
}

/// Costs of one policy over VN2's weeks 1..8: (holding, shortage) per week.
struct Vn2Run {
    weekly: Vec<(f64, f64)>,
    /// Share of (series, round) whose demand over the three weeks an order covers
    /// (the week it follows' next week until the next order arrives) stayed at or
    /// below the order-up-to level: the achieved cycle service of the levels.
    covered: f64,
}

impl Vn2Run {
    fn total(&self, weeks: std::ops::RangeInclusive<usize>) -> (f64, f64) {
        weeks.map(|w| self.weekly[w - 1]).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1))
    }
}

/// Replays VN2's six rounds by its rules. `order_up_to` gives each series'
/// order-up-to level from what a round sees (in-stock flags are true past the last
/// known week).
fn vn2_replay(dir: &Path, mut order_up_to: impl FnMut(&Vn2Round) -> Res<Vec<f64>>) -> Res<Vn2Run> {
    let (_, init) = read_csv(&dir.join("Week 0 - 2024-04-08 - Initial State.csv"))?;
    let ids: Vec<String> = init.iter().map(|r| format!("{}-{}", r[0], r[1])).collect();
    let col = |r: &Vec<String>, c: usize| num(&r[c]);
    let mut on_hand: Vec<f64> = init.iter().map(|r| col(r, 5)).collect();
    // Pipeline slots: arriving at the start of the next week, and of the one after.
    let mut pipe: Vec<[f64; 2]> = init.iter().map(|r| [col(r, 6), col(r, 7)]).collect();
    let stock = vn2_wide(&dir.join("Week 0 - In Stock.csv"), |x| x != "False")?;
    let final_sales = vn2_wide(&vn2_sales_file(dir, 8)?, num)?;
    let demand = |id: &str, week: usize| -> f64 { final_sales.get(id).map_or(0.0, |v| v[v.len() - 8 + week - 1]) };
    let mut weekly = Vec::new();
    let (mut covered, mut rounds) = (0usize, 0usize);
    for week in 1..=8 {
        // Round `week` orders at the end of week `week − 1`, seeing its sales file.
        let mut order = vec![0.0; ids.len()];
        if week <= 6 {
            let by = vn2_wide(&vn2_sales_file(dir, week - 1)?, num)?;
            let history: Vec<Vec<f64>> = ids.iter().map(|id| by.get(id).cloned().unwrap_or_default()).collect();
            let in_stock: Vec<Vec<bool>> = ids
                .iter()
                .zip(&history)
                .map(|(id, h)| {
                    let known = stock.get(id).map_or(&[][..], Vec::as_slice);
                    (0..h.len()).map(|w| if w < 157 { known.get(w).copied().unwrap_or(true) } else { true }).collect()
                })
                .collect();
            let levels = order_up_to(&Vn2Round { ids: &ids, history: &history, in_stock: &in_stock })?;
            if let Some(path) = std::env::var_os("VN2_DUMP") {
                use std::io::Write as _;
                let mut f =
                    std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| e.to_string())?;
                for (id, s) in ids.iter().zip(&levels) {
                    writeln!(f, "{week},{id},{s}").map_err(|e| e.to_string())?;
                }
            }
            for (k, s) in levels.iter().enumerate() {
                let position = on_hand[k] + pipe[k][0] + pipe[k][1];
                order[k] = (s - position).max(0.0).round();
                let protected: f64 = (week..week + 3).map(|w| demand(&ids[k], w)).sum();
                rounds += 1;
                covered += usize::from(protected <= *s);
            }
        }
        // Week `week`: the slot due now arrives, demand is served or lost, the
        // pipeline shifts and the new order (arriving in week `week + 3`) enters it.
        let (mut holding, mut short) = (0.0, 0.0);
        for k in 0..ids.len() {
            let start = on_hand[k] + pipe[k][0];
            let d = demand(&ids[k], week);
            let sold = d.min(start);
            on_hand[k] = start - sold;
            short += (d - sold) * VN2_SHORTAGE;
            holding += on_hand[k] * VN2_HOLDING;
            pipe[k] = [pipe[k][1], order[k]];
        }
        weekly.push((holding, short));
    }
    Ok(Vn2Run { weekly, covered: covered as f64 / rounds.max(1) as f64 })
}

/// The organisers' benchmark: stock-out weeks missing; multiplicative week-of-year
/// factors from the mean over all series; a 13-week moving average of the
/// de-seasonalised sales; order up to the next 4 weeks of re-seasonalised forecast.
fn vn2_benchmark(first_week: NaiveDate) -> impl FnMut(&Vn2Round) -> Res<Vec<f64>> {
    use chrono::Datelike;
    move |r| {
        let (history, in_stock) = (r.history, r.in_stock);
        let week_of = |w: usize| (first_week + Duration::weeks(w as i64)).iso_week().week() as usize;
        let (mut sum, mut n) = (vec![0.0; 54], vec![0usize; 54]);
        for (h, st) in history.iter().zip(in_stock) {
            for (w, q) in h.iter().enumerate().filter(|(w, _)| st[*w]) {
                sum[week_of(w)] += q;
                n[week_of(w)] += 1;
            }
        }
        let means: Vec<Option<f64>> = (0..54).map(|k| (n[k] > 0).then(|| sum[k] / n[k] as f64)).collect();
        let known: Vec<f64> = means.iter().flatten().copied().collect();
        let overall = known.iter().sum::<f64>() / known.len().max(1) as f64;
        let factor = |w: usize| means[week_of(w)].map_or(1.0, |m| if overall > 0.0 { m / overall } else { 1.0 });
        Ok(history
            .iter()
            .zip(in_stock)
            .map(|(h, st)| {
                let seen: Vec<f64> = (0..h.len()).filter(|&w| st[w]).map(|w| h[w] / factor(w).max(1e-9)).collect();
                let last = &seen[seen.len().saturating_sub(13)..];
                let level = if last.is_empty() { 0.0 } else { last.iter().sum::<f64>() / last.len() as f64 };
                (h.len()..h.len() + 4).map(|w| level * factor(w)).sum::<f64>()
            })
            .collect())
    }
}

/// The plan on VN2: each round, the sales seen so far (censored weeks as stock-outs)
/// on their weeks (or one day per week), lead time 2 weeks, review 1, policy `r_s`.
fn vn2_plan(config: PlanConfig, calendar: bool) -> impl FnMut(&Vn2Round) -> Res<Vec<f64>> {
    move |r| {
        let (ids, history, in_stock) = (r.ids, r.history, r.in_stock);
        let src = Source {
            name: "vn2",
            frequency: "weekly",
            start: NaiveDate::from_ymd_opt(2021, 4, 12).unwrap_or_default(),
            series: ids
                .iter()
                .zip(history.iter().zip(in_stock))
                .map(|(id, (h, st))| Series {
                    id: id.clone(),
                    qty: h.clone(),
                    promo: vec![false; h.len()],
                    stockout: st.iter().map(|x| !x).collect(),
                })
                .collect(),
            lead: 2.0,
            review: 1.0,
            holdout: 0,
            has_promotions: false,
            calendar,
        };
        let data = ingest::parse(&inputs(&src), &src.ingest()).map_err(|e| e.to_string())?.dataset;
        let p = replenish::plan(&data, &config).map_err(|e| e.to_string())?;
        let by: BTreeMap<&str, f64> = p.lines.iter().map(|l| (l.sku.as_str(), l.order_up_to)).collect();
        Ok(ids.iter().map(|id| by.get(id.as_str()).copied().unwrap_or(0.0)).collect())
    }
}

fn vn2_costs(root: &Path, ltd: replenish::rules::LtdMethod, calendar: bool) -> Res<()> {
    let dir = root.join("vn2");
    println!("\nVN2 by its rules (lost sales, lead time 2 weeks, 0.2 per unit held, 1 per unit short), six rounds:\n");
    println!(
        "| policy | holding 1..8 | shortage 1..8 | total 1..8 | total 3..8 | vs benchmark 3..8 | 3-week demand ≤ S |"
    );
    println!("|---|---|---|---|---|---|---|");
    let bench = vn2_replay(&dir, vn2_benchmark(NaiveDate::from_ymd_opt(2021, 4, 12).unwrap_or_default()))?;
    let base = {
        let (h, s) = bench.total(3..=8);
        h + s
    };
    let row = |name: &str, r: &Vn2Run| {
        let (h, s) = r.total(1..=8);
        let (h3, s3) = r.total(3..=8);
        println!(
            "| {name} | {h:.1} | {s:.1} | {:.1} | {:.1} | {:+.1}% | {:.1}% |",
            h + s,
            h3 + s3,
            ((h3 + s3) / base - 1.0) * 100.0,
            r.covered * 100.0
        );
    };
    row("organisers' benchmark", &bench);
    // The critical ratio of lost sales: b / (b + h) = 1 / 1.2.
    let csl = VN2_SHORTAGE / (VN2_SHORTAGE + VN2_HOLDING);
    let plan_csl = PlanConfig {
        service_level: csl,
        policy: PolicyKind::RS,
        lead_time_demand: ltd,
        lost_sales: true,
        ..PlanConfig::default()
    };
    row(&format!("plan, r_s at CSL {csl:.3}"), &vn2_replay(&dir, vn2_plan(plan_csl.clone(), calendar))?);
    // `VN2_CSLS=0.6,0.7`: the same plan at other service levels (a sensitivity check).
    for extra in std::env::var("VN2_CSLS").unwrap_or_default().split(',').filter_map(|v| v.trim().parse::<f64>().ok()) {
        let cfg = PlanConfig { service_level: extra, ..plan_csl.clone() };
        row(&format!("plan, r_s at CSL {extra:.3}"), &vn2_replay(&dir, vn2_plan(cfg, calendar))?);
    }
    // The cost target: 0.2 per week held at unit cost 1 is a holding rate of 0.2 × 365 / 7
    // a year (with periods as days, 0.2 × 365: a "year" of 365 periods).
    let plan_cost = PlanConfig {
        policy: PolicyKind::RS,
        target: replenish::rules::TargetKind::MinCost,
        shortage_cost: Some(VN2_SHORTAGE),
        lost_sales: true,
        holding_rate: VN2_HOLDING * 365.0 / if calendar { 7.0 } else { 1.0 },
        lead_time_demand: ltd,
        ..PlanConfig::default()
    };
    row("plan, r_s, min_cost (lost sales)", &vn2_replay(&dir, vn2_plan(plan_cost, calendar))?);
    println!(
        "(published: the benchmark 5,247.8 over weeks 1..8 and 4,334.0 over 3..8, the winning entry about 3,763 over 3..8; \
         this reconstruction of the benchmark from the README's description differs from the published figure by {:+.1}%)",
        (base / 4334.0 - 1.0) * 100.0
    );
    Ok(())
}

/// A cell against its target: within 1.5 points, or over or short by how much; over
/// "as expected" where the service the plan's own levels were expected to give is
/// itself above the band and the achieved within 1.5 points of it (the assortment's
/// coverage values step past the target: whole units, or a pool of few values).
fn verdict(target: f64, achieved: Option<f64>, expected: Option<f64>) -> String {
    const BAND: f64 = 0.015;
    let Some(a) = achieved else { return "-".to_string() };
    let off = (a - target) * 100.0;
    if off.abs() <= BAND * 100.0 {
        return "within".to_string();
    }
    match expected {
        Some(e) if off > 0.0 && e > target + BAND && a <= e + BAND => {
            format!("{off:.1} over, as expected ({:.1}%)", e * 100.0)
        }
        _ if off > 0.0 => format!("{off:.1} over"),
        _ => format!("{:.1} short", -off),
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
    // Weekly and monthly data on their dates, read at their frequency (each total
    // spread over its days); `--periods-as-days`: one day per period, as before the
    // plan had a frequency.
    let calendar = !args.iter().any(|a| a == "--periods-as-days");
    // `--fill-rate`: the targets are fill rates (`target = "fill_rate"`), not cycle service levels.
    let fill_rate_target = args.iter().any(|a| a == "--fill-rate");
    // `--ltd=METHOD` plans with another lead-time demand method than the default.
    let ltd = match args.iter().find_map(|a| a.strip_prefix("--ltd=")) {
        Some(m) => {
            serde_json::from_value(serde_json::Value::String(m.to_string())).map_err(|e| format!("--ltd: {e}"))?
        }
        None => replenish::rules::LtdMethod::default(),
    };
    let names: Vec<&str> = args.iter().filter(|a| !a.starts_with("--")).map(String::as_str).collect();
    let all = ["pasta", "online_retail", "vn2", "tuna", "walmart", "raf", "carparts", "pbs"];
    let chosen: Vec<&str> = if names.is_empty() { all.to_vec() } else { names };
    let shortage = if lost { ShortageMode::LostSales } else { ShortageMode::Backorder };
    println!(
        "| data set | frequency | series | target | plan CSL | expected CSL | plan fill rate | plan stock | stock-out days | textbook CSL | textbook fill rate | textbook stock | textbook stock at plan CSL | stock ratio | promotion cycles: plan CSL, fill rate, textbook CSL | against the target | seconds |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    // Cells: within 1.5 points; above it where the plan's levels were expected to be.
    let (mut cells, mut within, mut as_expected) = (0, 0, 0);
    // `--costs-only`: skip the service table (with `vn2`, only its cost replay).
    let costs_only = args.iter().any(|a| a == "--costs-only");
    for &name in chosen.iter().filter(|_| !costs_only) {
        let mut src = load(name, &root)?;
        src.calendar = calendar;
        let data = ingest::parse(&inputs(&src), &src.ingest()).map_err(|e| e.to_string())?.dataset;
        let freq = match (src.frequency, calendar) {
            ("daily", _) => "daily".to_string(),
            (f, true) => format!("{f} (spread over its days)"),
            (f, false) => format!("{f} (periods as days)"),
        };
        for target in [0.90, 0.95, 0.98] {
            let t0 = Instant::now();
            let config = if fill_rate_target {
                PlanConfig {
                    target: replenish::rules::TargetKind::FillRate,
                    fill_rate: target,
                    policy: PolicyKind::RS,
                    lead_time_demand: ltd,
                    // The plan is told how unmet demand goes, as a user would.
                    lost_sales: lost,
                    ..PlanConfig::default()
                }
            } else {
                PlanConfig {
                    service_level: target,
                    policy: PolicyKind::RS,
                    lead_time_demand: ltd,
                    // The plan is told how unmet demand goes, as a user would.
                    lost_sales: lost,
                    ..PlanConfig::default()
                }
            };
            let opts =
                BacktestOptions { days: src.holdout_days(), shortage, replan: true, ..BacktestOptions::default() };
            let b = backtest(&data, &config, &opts).map_err(|e| format!("{name}: {e}"))?;
            let Some(k) = b.kpis.iter().find(|k| k.group == "all") else { continue };
            let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{:.1}%", v * 100.0));
            let achieved = if fill_rate_target { Some(k.fill_rate) } else { k.cycle_service_level };
            let expected = if fill_rate_target { None } else { k.expected_cycle_service_level };
            let verdict = verdict(target, achieved, expected);
            cells += 1;
            within += usize::from(verdict == "within");
            as_expected += usize::from(verdict.contains("as expected"));
            println!(
                "| {name} | {freq} | {} | {:.0}% | {} | {} | {:.1}% | {:.1} | {:.1}% | {} | {:.1}% | {:.1} | {:.1} | {} | {} | {verdict} | {:.1} |",
                k.lines,
                target * 100.0,
                pct(k.cycle_service_level),
                pct(k.expected_cycle_service_level),
                k.fill_rate * 100.0,
                k.average_on_hand_units,
                k.stockout_day_share * 100.0,
                pct(k.textbook_cycle_service_level),
                k.textbook_fill_rate * 100.0,
                k.textbook_average_on_hand_units,
                k.textbook_on_hand_at_plan_service,
                k.stock_ratio_at_equal_service.map_or("-".to_string(), |v| format!("{v:.3}")),
                if k.promotion_cycles > 0 {
                    format!(
                        "{} of {}, {}, {}",
                        pct(k.promotion_cycle_service_level),
                        k.promotion_cycles,
                        pct(k.promotion_fill_rate),
                        pct(k.textbook_promotion_cycle_service_level)
                    )
                } else {
                    "-".to_string()
                },
                t0.elapsed().as_secs_f64()
            );
            if std::env::var_os("SERVICE_BENCH_CLASSES").is_some() {
                print!("{}", b.to_text());
            }
        }
    }
    if cells > 0 {
        println!(
            "{within} of {cells} cells within 1.5 points of the target{}",
            if as_expected > 0 {
                format!(
                    "; {as_expected} more above it as the plan's levels were expected to be (the service expected of the smallest levels that reach the target is itself above the band: whole units, or an assortment's coverage values too few to step finer)"
                )
            } else {
                String::new()
            }
        );
    }
    if chosen.contains(&"vn2") {
        vn2_costs(&root, ltd, calendar)?;
    }
    if lost {
        println!("(lost sales: unmet demand is gone)");
    } else {
        println!("(backorders: unmet demand waits for the next delivery)");
    }
    if fill_rate_target {
        println!("(targets are fill rates: compare the plan fill rate column with the target)");
    }
    Ok(())
}
