//! Backtest of the plan's policies on a dataset's own history: plan as of some days
//! before the history ends, then replay every line's policy (its s, S or Q, review
//! period, lead time, MOQ, pack, maximum order and order weekdays) against the demand
//! that followed, and report service and stock per demand class. Pure: data in,
//! figures out.
//!
//! By default the plan is run again at every review over the held-out days, with
//! the history up to that day, as a plan runs in practice; [`BacktestOptions::replan`]
//! `false` plans once at the start. The textbook rule s = d̄·P + z·σ_d·√P (d̄ and σ_d
//! of the last [`BacktestOptions::textbook_window_days`] uncensored days before each
//! review, z for the line's target, the plan's own cycle stock on top) is replayed on
//! the same demand with the same lead-time draws, and so is the textbook rule with
//! the safety factor that reaches the plan's achieved cycle service level: its stock
//! is what the plan's stock is measured against.
//!
//! The held-out demand is the recorded sales: on days that were out of stock it is
//! what sold, not what was asked for, so the service measured is an upper bound
//! where the history has stock-outs.

use crate::error::{Error, Result};
use crate::model::Dataset;
use crate::plan::uplift::{promotion_days, promotions_by_sku};
use crate::plan::{plan, LineAction, PlanConfig, PlanLine};
use crate::policy::simulate::{simulate_schedule, ShortageMode, SimConfig, SimPolicy, SimReport};
use crate::policy::standard_normal_quantile;
use chrono::{Datelike, Duration, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// How the backtest runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BacktestOptions {
    /// Days at the end of the history replayed (the plan sees the days before).
    pub days: usize,
    /// Unmet demand waits for the next delivery or is lost.
    pub shortage: ShortageMode,
    /// Run the plan again at every review with the history up to that day (true,
    /// the default), or plan once at the start.
    pub replan: bool,
    /// Days of history behind the textbook rule's d̄ and σ_d.
    pub textbook_window_days: usize,
}

impl Default for BacktestOptions {
    fn default() -> Self {
        BacktestOptions { days: 182, shortage: ShortageMode::Backorder, replan: true, textbook_window_days: 91 }
    }
}

impl BacktestOptions {
    /// Parses the options as the bindings send them (JSON); the error names the field.
    pub fn from_json(text: &str) -> Result<BacktestOptions> {
        serde_json::from_str(text).map_err(|e| Error::config("backtest options", e.to_string()))
    }
}

/// One SKU-location's replayed run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestLine {
    pub sku: String,
    pub location: String,
    pub policy: String,
    pub demand_class: String,
    pub abc: String,
    /// The cycle service level the plan set the levels for (at the first review).
    pub target_service_level: f64,
    pub unit_cost: f64,
    /// How many plans set this line's levels over the replay.
    pub plans: usize,
    /// The cycle service its plans' levels were expected to give (mean over the
    /// plans: the plan line's `expected_service_level`).
    #[serde(default)]
    pub expected_service_level: f64,
    /// The plan's levels replayed.
    pub report: SimReport,
    /// The textbook rule, at the plan's target, replayed on the same demand.
    pub textbook: SimReport,
}

/// KPIs of a group of lines (a demand class, or all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestKpis {
    pub group: String,
    pub lines: usize,
    pub target_service_level: f64,
    /// Pooled over the group's replenishment cycles.
    pub cycle_service_level: Option<f64>,
    /// The cycle service the plans' whole levels were expected to give, weighted as
    /// the achieved one: above the target where one unit is a large step, the service
    /// that whole units force.
    #[serde(default)]
    pub expected_cycle_service_level: Option<f64>,
    pub fill_rate: f64,
    /// Share of line-days with unserved demand.
    pub stockout_day_share: f64,
    pub average_on_hand_units: f64,
    pub average_stock_value: f64,
    pub orders: usize,
    pub total_cost: f64,
    /// The textbook rule at the target, on the same replay.
    pub textbook_cycle_service_level: Option<f64>,
    pub textbook_fill_rate: f64,
    pub textbook_average_on_hand_units: f64,
    /// The safety factor with which the textbook rule reaches the plan's achieved
    /// cycle service level on this group, and the stock it then holds.
    pub textbook_z_at_plan_service: f64,
    pub textbook_on_hand_at_plan_service: f64,
    /// The plan's average stock over the textbook rule's at equal service (≤ 1: the
    /// plan holds no more stock for the service it delivers).
    pub stock_ratio_at_equal_service: Option<f64>,
    /// Cycles holding a promotion day (the calendar or the sales lines' flags), the plan's and
    /// the textbook rule's cycle service on them, and the plan's fill rate on
    /// promotion days (`None` without promotions in the replay).
    #[serde(default)]
    pub promotion_cycles: usize,
    #[serde(default)]
    pub promotion_cycle_service_level: Option<f64>,
    #[serde(default)]
    pub promotion_fill_rate: Option<f64>,
    #[serde(default)]
    pub textbook_promotion_cycle_service_level: Option<f64>,
}

/// The backtest's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub as_of: NaiveDate,
    pub end: NaiveDate,
    pub days: usize,
    /// Whether the plan was run again at every review.
    pub replan: bool,
    /// Plans run over the replay.
    pub plans: usize,
    pub lines: Vec<BacktestLine>,
    /// Per demand class, then `all`.
    pub kpis: Vec<BacktestKpis>,
}

/// What a report shows of a backtest: its span and the KPIs per demand class (the
/// per-line rows left out). A whole [`Backtest`] in JSON reads as one (its `lines`
/// are ignored), so Node can pass `backtest()`'s result as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceTable {
    pub as_of: NaiveDate,
    pub end: NaiveDate,
    pub days: usize,
    pub replan: bool,
    pub plans: usize,
    pub kpis: Vec<BacktestKpis>,
}

impl Backtest {
    /// The span and the KPIs, for a report.
    pub fn service_table(&self) -> ServiceTable {
        ServiceTable {
            as_of: self.as_of,
            end: self.end,
            days: self.days,
            replan: self.replan,
            plans: self.plans,
            kpis: self.kpis.clone(),
        }
    }
}

/// One line's levels from one plan: its policy and the textbook rule's parts
/// (s = base + z·spread, with the plan's cycle stock `gap` on top).
#[derive(Debug, Clone, Copy)]
struct Levels {
    policy: SimPolicy,
    /// The plan line's expected cycle service at its levels.
    expected: f64,
    base: f64,
    spread: f64,
    gap: f64,
}

/// What one replayed line needs: its first plan line, the held-out demand, the
/// simulation settings, the textbook safety factor and the levels of each plan.
struct Replay<'p> {
    first: &'p PlanLine,
    demand: Vec<f64>,
    sim: SimConfig,
    z: f64,
    schedule: Vec<(usize, Levels)>,
}

impl Replay<'_> {
    fn textbook(&self, z: f64) -> Vec<(usize, SimPolicy)> {
        self.schedule.iter().map(|(d, l)| (*d, textbook_policy(l, z))).collect()
    }
}

fn textbook_policy(l: &Levels, z: f64) -> SimPolicy {
    let s = (l.base + z * l.spread).max(0.0);
    match l.policy {
        SimPolicy::RS { review_days, .. } => SimPolicy::RS { review_days, big_s: s },
        SimPolicy::RsS { review_days, .. } => SimPolicy::RsS { review_days, s, big_s: s + l.gap },
        SimPolicy::SS { .. } => SimPolicy::SS { s, big_s: s + l.gap },
        SimPolicy::SQ { q, .. } => SimPolicy::SQ { s, q },
    }
}

fn sim_policy(l: &PlanLine) -> SimPolicy {
    let review = (l.review_period_days.round() as u32).max(1);
    match l.policy.as_str() {
        "r_s" | "base_stock" | "newsvendor" => SimPolicy::RS { review_days: review, big_s: l.order_up_to },
        "s_q" => SimPolicy::SQ { s: l.reorder_point, q: l.cycle_quantity.max(1.0) },
        "s_s" => SimPolicy::SS { s: l.reorder_point, big_s: l.order_up_to },
        _ => SimPolicy::RsS { review_days: review, s: l.reorder_point, big_s: l.order_up_to },
    }
}

/// Mean and standard deviation of the last `window` uncensored days up to `as_of`.
fn recent_moments(data: &Dataset, series: usize, as_of: NaiveDate, window: usize) -> (f64, f64) {
    let s = data.demand.series(series);
    let days = ((as_of - s.start).num_days() + 1).clamp(0, s.quantity.len() as i64) as usize;
    let seen: Vec<f64> =
        (days.saturating_sub(window)..days).filter(|&d| !s.stockout[d]).map(|d| s.quantity[d]).collect();
    let n = seen.len() as f64;
    if n == 0.0 {
        return (0.0, 0.0);
    }
    let mean = seen.iter().sum::<f64>() / n;
    let var = if n > 1.0 { seen.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (mean, var.sqrt())
}

fn pooled_csl(reports: &[&SimReport]) -> Option<f64> {
    let cycles: usize = reports.iter().map(|r| r.cycles).sum();
    let good: f64 = reports.iter().map(|r| r.cycle_service_level.unwrap_or(0.0) * r.cycles as f64).sum();
    (cycles > 0).then(|| good / cycles as f64)
}

fn expected_csl(lines: &[&BacktestLine]) -> Option<f64> {
    let cycles: usize = lines.iter().map(|l| l.report.cycles).sum();
    let sum: f64 = lines.iter().map(|l| l.expected_service_level * l.report.cycles as f64).sum();
    (cycles > 0).then(|| sum / cycles as f64)
}

fn promotion_csl(reports: &[&SimReport]) -> Option<f64> {
    let cycles: usize = reports.iter().map(|r| r.promotion_cycles).sum();
    let good: f64 =
        reports.iter().map(|r| r.promotion_cycle_service_level.unwrap_or(0.0) * r.promotion_cycles as f64).sum();
    (cycles > 0).then(|| good / cycles as f64)
}

fn promotion_fill_rate(reports: &[&SimReport]) -> Option<f64> {
    let demand: f64 = reports.iter().map(|r| r.promotion_demand).sum();
    let served: f64 = reports.iter().map(|r| r.promotion_fill_rate.unwrap_or(0.0) * r.promotion_demand).sum();
    (demand > 0.0).then(|| served / demand)
}

fn fill_rate(reports: &[&SimReport]) -> f64 {
    let demand: f64 = reports.iter().map(|r| r.demand).sum();
    let short: f64 = reports.iter().map(|r| r.units_short).sum();
    if demand > 0.0 {
        1.0 - short / demand
    } else {
        1.0
    }
}

fn mean_on_hand(reports: &[&SimReport]) -> f64 {
    reports.iter().map(|r| r.average_on_hand).sum::<f64>() / reports.len().max(1) as f64
}

/// The KPIs of the lines `members` (indices into `replays` and `lines`).
fn kpis(
    group: &str,
    members: &[usize],
    replays: &[Replay],
    lines: &[BacktestLine],
    days: usize,
) -> Result<BacktestKpis> {
    let replays: Vec<&Replay> = members.iter().map(|&k| &replays[k]).collect();
    let lines: Vec<&BacktestLine> = members.iter().map(|&k| &lines[k]).collect();
    let n = lines.len().max(1) as f64;
    let plan: Vec<&SimReport> = lines.iter().map(|l| &l.report).collect();
    let text: Vec<&SimReport> = lines.iter().map(|l| &l.textbook).collect();
    let csl = pooled_csl(&plan);
    // The textbook rule with one safety-factor shift for the whole group, against
    // the plan's achieved service: the smallest shift that reaches it (bisection).
    let shifted = |dz: f64| -> Result<Vec<SimReport>> {
        replays.par_iter().map(|r| simulate_schedule(&r.demand, &r.textbook(r.z + dz), &r.sim)).collect()
    };
    let (mut z_eq, mut stock_eq) = (f64::NAN, f64::NAN);
    if let Some(want) = csl {
        let reaches = |dz: f64| -> Result<(bool, f64)> {
            let rs = shifted(dz)?;
            let refs: Vec<&SimReport> = rs.iter().collect();
            Ok((pooled_csl(&refs).unwrap_or(1.0) >= want - 1e-12, mean_on_hand(&refs)))
        };
        let (mut lo, mut hi) = (-6.0, 6.0);
        let mut hi_stock = reaches(hi)?;
        if !hi_stock.0 {
            hi = 12.0;
            hi_stock = reaches(hi)?;
        }
        if hi_stock.0 {
            for _ in 0..24 {
                let mid = 0.5 * (lo + hi);
                let r = reaches(mid)?;
                if r.0 {
                    hi = mid;
                    hi_stock = r;
                } else {
                    lo = mid;
                }
            }
            // Report the shift as the textbook safety factor of an average line.
            let z0 = replays.iter().map(|r| r.z).sum::<f64>() / n;
            z_eq = z0 + hi;
            stock_eq = hi_stock.1;
        }
    }
    let stock = mean_on_hand(&plan);
    Ok(BacktestKpis {
        group: group.to_string(),
        lines: lines.len(),
        target_service_level: lines.iter().map(|l| l.target_service_level).sum::<f64>() / n,
        cycle_service_level: csl,
        expected_cycle_service_level: expected_csl(&lines),
        fill_rate: fill_rate(&plan),
        stockout_day_share: lines.iter().map(|l| l.report.stockout_days).sum::<usize>() as f64
            / (n * days.max(1) as f64),
        average_on_hand_units: stock,
        average_stock_value: lines.iter().map(|l| l.report.average_on_hand * l.unit_cost).sum::<f64>() / n,
        orders: lines.iter().map(|l| l.report.orders).sum(),
        total_cost: lines.iter().map(|l| l.report.total_cost).sum(),
        textbook_cycle_service_level: pooled_csl(&text),
        textbook_fill_rate: fill_rate(&text),
        textbook_average_on_hand_units: mean_on_hand(&text),
        textbook_z_at_plan_service: z_eq,
        textbook_on_hand_at_plan_service: stock_eq,
        stock_ratio_at_equal_service: (stock_eq > 0.0).then(|| stock / stock_eq),
        promotion_cycles: plan.iter().map(|r| r.promotion_cycles).sum(),
        promotion_cycle_service_level: promotion_csl(&plan),
        promotion_fill_rate: promotion_fill_rate(&plan),
        textbook_promotion_cycle_service_level: promotion_csl(&text),
    })
}

/// Plans as of `opts.days` before the last day of history and replays the following
/// days, re-planning at every review unless `opts.replan` is false. Lines without
/// supply terms or without history are left out.
pub fn backtest(data: &Dataset, config: &PlanConfig, opts: &BacktestOptions) -> Result<Backtest> {
    let days = opts.days;
    let end = (0..data.demand.len())
        .filter_map(|i| data.demand.series(i).end())
        .max()
        .ok_or_else(|| Error::InvalidInput("no sales history to backtest on".into()))?;
    let first = data.demand.starts.iter().min().copied().unwrap_or(end);
    let history = (end - first).num_days() as usize + 1;
    if days == 0 || days + 28 > history {
        return Err(Error::InvalidInput(format!(
            "cannot hold out {days} day(s) of a {history}-day history: hold out at least 1 and leave 28 to plan from"
        )));
    }
    if opts.textbook_window_days == 0 {
        return Err(Error::config("textbook_window_days", "must be at least 1 day"));
    }
    let as_of = end - Duration::days(days as i64);
    let plan_at =
        |day: usize| plan(data, &PlanConfig { as_of: Some(as_of + Duration::days(day as i64)), ..config.clone() });
    let first_plan = plan_at(0)?;
    let keep = |l: &PlanLine| l.action != LineAction::NoSupplier;
    // The days a line reviews: every R days (continuous review: every 7 days).
    let review_of = |l: &PlanLine| match sim_policy(l) {
        SimPolicy::RS { review_days, .. } | SimPolicy::RsS { review_days, .. } => review_days as usize,
        _ => 7,
    };
    let mut plan_days: BTreeSet<usize> = BTreeSet::from([0]);
    if opts.replan {
        for l in first_plan.lines.iter().filter(|l| keep(l)) {
            let r = review_of(l);
            plan_days.extend((r..days).step_by(r));
        }
    }
    let key = |l: &PlanLine| (l.sku.clone(), l.location.clone());
    let index: HashMap<(String, String), usize> =
        first_plan.lines.iter().enumerate().map(|(k, l)| (key(l), k)).collect();
    let day0 = as_of + Duration::days(1);
    let textbook_levels = |l: &PlanLine, series: usize, date: NaiveDate| -> Levels {
        let (mean, sd) = recent_moments(data, series, date, opts.textbook_window_days);
        let p = l.protection_days.max(0.0);
        Levels {
            policy: sim_policy(l),
            expected: l.expected_service_level,
            base: mean * p,
            // Days of a spread weekly or monthly total move together.
            spread: sd * (p * data.frequency.period_days()).sqrt(),
            gap: (l.order_up_to - l.reorder_point).max(0.0),
        }
    };
    // Each series' promotion days: flagged on its sales lines or in the calendar.
    let promo = promotion_days(data, &promotions_by_sku(data));
    let mut replays: Vec<Option<Replay>> = first_plan
        .lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let i = data.demand.find(&l.sku, &l.location).filter(|_| keep(l))?;
            let s = data.demand.series(i);
            let from = (as_of - s.start).num_days() + 1;
            let demand: Vec<f64> =
                (0..days as i64).map(|d| s.quantity.get((from + d).max(0) as usize).copied().unwrap_or(0.0)).collect();
            let t = crate::plan::select_terms(&data.supply_terms, &l.sku, &l.location);
            let order_days: Vec<u8> = t
                .map(|t| {
                    t.order_weekdays
                        .iter()
                        .map(|w| ((w.num_days_from_monday() + 7 - day0.weekday().num_days_from_monday()) % 7) as u8)
                        .collect()
                })
                .unwrap_or_default();
            let sim = SimConfig {
                lead_time_days: l.lead_time_days,
                lead_time_std_days: l.lead_time_std_days,
                shortage: opts.shortage,
                initial_on_hand: None,
                moq: l.moq,
                pack_size: l.pack_size.max(1e-9),
                max_order: l.max_order,
                order_days,
                holding_cost: config.holding_rate * l.unit_cost / 365.0,
                ordering_cost: config.ordering_cost.unwrap_or(0.0),
                shortage_cost: config.shortage_cost.unwrap_or(l.unit_cost),
                warmup_days: 0,
                seed: config.seed.wrapping_add(k as u64),
                promotion_days: (0..days as i64)
                    .map(|d| usize::try_from(from + d).ok().and_then(|k| promo[i].get(k).map(|b| *b)).unwrap_or(false))
                    .collect(),
            };
            let z = if l.service_level > 0.0 && l.service_level < 1.0 {
                standard_normal_quantile(l.service_level)
            } else {
                0.0
            };
            Some(Replay { first: l, demand, sim, z, schedule: vec![(0, textbook_levels(l, i, as_of))] })
        })
        .collect();
    // Each review's plan sets the levels of the lines that review on that day.
    for &day in plan_days.iter().skip(1) {
        let p = plan_at(day)?;
        for l in &p.lines {
            let Some(&k) = index.get(&key(l)) else { continue };
            let Some(r) = replays[k].as_mut() else { continue };
            if day % review_of(&first_plan.lines[k]) != 0 {
                continue;
            }
            let Some(i) = data.demand.find(&l.sku, &l.location) else { continue };
            let date = as_of + Duration::days(day as i64);
            let levels = textbook_levels(l, i, date);
            // A schedule keeps one kind of rule (a rule that changed the policy
            // mid-replay keeps the first plan's).
            if std::mem::discriminant(&r.schedule[0].1.policy) == std::mem::discriminant(&levels.policy) {
                r.schedule.push((day, levels));
            }
        }
    }
    let replays: Vec<Replay> = replays.into_iter().flatten().collect();
    let lines: Vec<BacktestLine> = replays
        .par_iter()
        .map(|r| {
            let l = r.first;
            let plan_schedule: Vec<(usize, SimPolicy)> = r.schedule.iter().map(|(d, v)| (*d, v.policy)).collect();
            Ok(BacktestLine {
                sku: l.sku.clone(),
                location: l.location.clone(),
                policy: l.policy.clone(),
                demand_class: l.demand_class.clone(),
                abc: l.abc.clone(),
                target_service_level: l.service_level,
                unit_cost: l.unit_cost,
                plans: r.schedule.len(),
                expected_service_level: r.schedule.iter().map(|(_, v)| v.expected).sum::<f64>()
                    / r.schedule.len().max(1) as f64,
                report: simulate_schedule(&r.demand, &plan_schedule, &r.sim)?,
                textbook: simulate_schedule(&r.demand, &r.textbook(r.z), &r.sim)?,
            })
        })
        .collect::<Result<_>>()?;
    let mut classes: Vec<&str> = lines.iter().map(|l| l.demand_class.as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    let mut out: Vec<BacktestKpis> = classes
        .iter()
        .map(|c| {
            let members: Vec<usize> = (0..lines.len()).filter(|&k| lines[k].demand_class == *c).collect();
            kpis(c, &members, &replays, &lines, days)
        })
        .collect::<Result<_>>()?;
    out.push(kpis("all", &(0..lines.len()).collect::<Vec<_>>(), &replays, &lines, days)?);
    Ok(Backtest { as_of, end, days, replan: opts.replan, plans: plan_days.len(), lines, kpis: out })
}

impl Backtest {
    /// The KPI table as text: the plan, then the textbook rule on the same replay.
    pub fn to_text(&self) -> String {
        let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{:.1}%", v * 100.0));
        let mut s = format!(
            "  {:<13} {:>5} {:>7} {:>9} {:>9} {:>9} {:>9} {:>10} {:>12} {:>7} {:>12}   {:>11} {:>10} {:>10} {:>14} {:>11}\n",
            "class",
            "lines",
            "target",
            "cycle SL",
            "expected",
            "fill rate",
            "stockout",
            "on hand",
            "stock value",
            "orders",
            "total cost",
            "textbook SL",
            "its fill",
            "its stock",
            "its stock at SL",
            "stock ratio"
        );
        for k in &self.kpis {
            s += &format!(
                "  {:<13} {:>5} {:>6.1}% {:>9} {:>9} {:>8.1}% {:>8.1}% {:>10.1} {:>12.1} {:>7} {:>12.1}   {:>11} {:>9.1}% {:>10.1} {:>14} {:>11}\n",
                k.group,
                k.lines,
                k.target_service_level * 100.0,
                pct(k.cycle_service_level),
                pct(k.expected_cycle_service_level),
                k.fill_rate * 100.0,
                k.stockout_day_share * 100.0,
                k.average_on_hand_units,
                k.average_stock_value,
                k.orders,
                k.total_cost,
                pct(k.textbook_cycle_service_level),
                k.textbook_fill_rate * 100.0,
                k.textbook_average_on_hand_units,
                if k.textbook_on_hand_at_plan_service.is_finite() {
                    format!("{:.1}", k.textbook_on_hand_at_plan_service)
                } else {
                    "-".to_string()
                },
                k.stock_ratio_at_equal_service.map_or("-".to_string(), |v| format!("{v:.3}")),
            );
        }
        s
    }
}
