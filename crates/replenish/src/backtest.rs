//! Backtest of the plan's policies: plan as of some days before the history ends,
//! then simulate every line's policy (its s, S or Q, review period, lead time,
//! MOQ, pack, maximum order and order weekdays) over the demand that followed, and
//! report service and stock per demand class. Pure: data in, figures out.
//!
//! The held-out demand is the recorded sales: on days that were out of stock it is
//! what sold, not what was asked for, so the service measured is an upper bound
//! where the history has stock-outs.

use crate::error::{Error, Result};
use crate::model::Dataset;
use crate::plan::{plan, LineAction, PlanConfig};
use crate::policy::simulate::{simulate, ShortageMode, SimConfig, SimPolicy, SimReport};
use chrono::{Datelike, Duration, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One SKU-location's simulated run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestLine {
    pub sku: String,
    pub location: String,
    pub policy: String,
    pub demand_class: String,
    pub abc: String,
    /// The cycle service level the plan set the levels for.
    pub target_service_level: f64,
    pub unit_cost: f64,
    pub report: SimReport,
}

/// KPIs of a group of lines (a demand class, or all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestKpis {
    pub group: String,
    pub lines: usize,
    pub target_service_level: f64,
    /// Pooled over the group's replenishment cycles.
    pub cycle_service_level: Option<f64>,
    pub fill_rate: f64,
    /// Share of line-days with unserved demand.
    pub stockout_day_share: f64,
    pub average_on_hand_units: f64,
    pub average_stock_value: f64,
    pub orders: usize,
    pub total_cost: f64,
}

/// The backtest's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub as_of: NaiveDate,
    pub end: NaiveDate,
    pub days: usize,
    pub lines: Vec<BacktestLine>,
    /// Per demand class, then `all`.
    pub kpis: Vec<BacktestKpis>,
}

fn kpis(group: &str, lines: &[&BacktestLine], days: usize) -> BacktestKpis {
    let n = lines.len().max(1) as f64;
    let cycles: usize = lines.iter().map(|l| l.report.cycles).sum();
    let good: f64 = lines.iter().map(|l| l.report.cycle_service_level.unwrap_or(0.0) * l.report.cycles as f64).sum();
    let demand: f64 = lines.iter().map(|l| l.report.demand).sum();
    let short: f64 = lines.iter().map(|l| l.report.units_short).sum();
    BacktestKpis {
        group: group.to_string(),
        lines: lines.len(),
        target_service_level: lines.iter().map(|l| l.target_service_level).sum::<f64>() / n,
        cycle_service_level: (cycles > 0).then(|| good / cycles as f64),
        fill_rate: if demand > 0.0 { 1.0 - short / demand } else { 1.0 },
        stockout_day_share: lines.iter().map(|l| l.report.stockout_days).sum::<usize>() as f64
            / (n * days.max(1) as f64),
        average_on_hand_units: lines.iter().map(|l| l.report.average_on_hand).sum::<f64>() / n,
        average_stock_value: lines.iter().map(|l| l.report.average_on_hand * l.unit_cost).sum::<f64>() / n,
        orders: lines.iter().map(|l| l.report.orders).sum(),
        total_cost: lines.iter().map(|l| l.report.total_cost).sum(),
    }
}

/// Plans as of `days` before the last day of history and simulates the following
/// `days` days. Lines without supply terms or without history are left out.
pub fn backtest(data: &Dataset, config: &PlanConfig, days: usize, shortage: ShortageMode) -> Result<Backtest> {
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
    let as_of = end - Duration::days(days as i64);
    let p = plan(data, &PlanConfig { as_of: Some(as_of), ..config.clone() })?;
    let terms_of = |sku: &str, loc: &str| crate::plan::select_terms(&data.supply_terms, sku, loc);
    let lines: Vec<BacktestLine> = p
        .lines
        .par_iter()
        .enumerate()
        .filter(|(_, l)| l.action != LineAction::NoSupplier)
        .filter_map(|(k, l)| data.demand.find(&l.sku, &l.location).map(|i| (k, l, i)))
        .map(|(k, l, i)| {
            let s = data.demand.series(i);
            let from = (as_of - s.start).num_days() + 1;
            let demand: Vec<f64> =
                (0..days as i64).map(|d| s.quantity.get((from + d).max(0) as usize).copied().unwrap_or(0.0)).collect();
            let review = (l.review_period_days.round() as u32).max(1);
            let policy = match l.policy.as_str() {
                "r_s" | "base_stock" | "newsvendor" => SimPolicy::RS { review_days: review, big_s: l.order_up_to },
                "s_q" => SimPolicy::SQ { s: l.reorder_point, q: l.cycle_quantity.max(1.0) },
                "s_s" => SimPolicy::SS { s: l.reorder_point, big_s: l.order_up_to },
                _ => SimPolicy::RsS { review_days: review, s: l.reorder_point, big_s: l.order_up_to },
            };
            let t = terms_of(&l.sku, &l.location);
            let day0 = as_of + Duration::days(1);
            let order_days: Vec<u8> = t
                .map(|t| {
                    t.order_weekdays
                        .iter()
                        .map(|w| ((w.num_days_from_monday() + 7 - day0.weekday().num_days_from_monday()) % 7) as u8)
                        .collect()
                })
                .unwrap_or_default();
            let cfg = SimConfig {
                lead_time_days: l.lead_time_days,
                lead_time_std_days: l.lead_time_std_days,
                shortage,
                initial_on_hand: None,
                moq: l.moq,
                pack_size: l.pack_size.max(1e-9),
                max_order: l.max_order,
                order_days,
                holding_cost: config.holding_rate * l.unit_cost / 365.0,
                ordering_cost: config.ordering_cost,
                shortage_cost: config.shortage_cost.unwrap_or(l.unit_cost),
                warmup_days: 0,
                seed: config.seed.wrapping_add(k as u64),
            };
            simulate(&demand, &policy, &cfg).map(|report| BacktestLine {
                sku: l.sku.clone(),
                location: l.location.clone(),
                policy: l.policy.clone(),
                demand_class: l.demand_class.clone(),
                abc: l.abc.clone(),
                target_service_level: l.service_level,
                unit_cost: l.unit_cost,
                report,
            })
        })
        .collect::<Result<_>>()?;
    let mut classes: Vec<&str> = lines.iter().map(|l| l.demand_class.as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    let mut out: Vec<BacktestKpis> = classes
        .iter()
        .map(|c| {
            let group: Vec<&BacktestLine> = lines.iter().filter(|l| l.demand_class == *c).collect();
            kpis(c, &group, days)
        })
        .collect();
    out.push(kpis("all", &lines.iter().collect::<Vec<_>>(), days));
    Ok(Backtest { as_of, end, days, lines, kpis: out })
}

impl Backtest {
    /// The KPI table as text.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "  {:<13} {:>5} {:>7} {:>9} {:>9} {:>9} {:>10} {:>12} {:>7} {:>12}\n",
            "class",
            "lines",
            "target",
            "cycle SL",
            "fill rate",
            "stockout",
            "on hand",
            "stock value",
            "orders",
            "total cost"
        );
        for k in &self.kpis {
            s += &format!(
                "  {:<13} {:>5} {:>6.1}% {:>9} {:>8.1}% {:>8.1}% {:>10.1} {:>12.1} {:>7} {:>12.1}\n",
                k.group,
                k.lines,
                k.target_service_level * 100.0,
                k.cycle_service_level.map_or("-".to_string(), |v| format!("{:.1}%", v * 100.0)),
                k.fill_rate * 100.0,
                k.stockout_day_share * 100.0,
                k.average_on_hand_units,
                k.average_stock_value,
                k.orders,
                k.total_cost
            );
        }
        s
    }
}
