//! The KPIs buyers and managers steer by, computed from the data a plan uses: pure
//! functions over a [`Dataset`] and its [`Plan`]. Definitions: `docs/reports.md`.
//!
//! Everything is measured over a window: the last `window_days` days of the demand
//! history (ending on its last day). Per SKU-location figures add up to groups
//! (category, location, supplier, ABC class, everything) as sums, and ratios of
//! groups are ratios of sums — a group's turnover is its COGS over its average
//! inventory, not an average of turnovers.

use crate::error::{Error, Result};
use crate::model::Dataset;
use crate::plan::Plan;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What the KPIs look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KpiConfig {
    /// Days of history the KPIs cover, ending on the history's last day.
    pub window_days: usize,
    /// Stock without a sale for this many days (up to the window's end) is dead stock.
    pub dead_stock_days: usize,
    /// Period of the time series: `week` (Monday to Sunday) or `month`.
    pub period: Period,
}

impl Default for KpiConfig {
    fn default() -> Self {
        KpiConfig { window_days: 91, dead_stock_days: 90, period: Period::Week }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    Month,
}

impl Period {
    fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Period::Month => d.with_day(1).unwrap_or(d),
        }
    }
}

/// The KPIs of one SKU-location over the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkuKpi {
    pub sku: String,
    pub location: String,
    pub category: String,
    pub supplier_id: Option<String>,
    pub abc: String,
    pub xyz: String,
    /// Days of history in the window.
    pub days: usize,
    pub units_sold: f64,
    /// Days flagged as stock-outs (no stock: sales censored).
    pub stockout_days: usize,
    /// Demand lost on stock-out days, estimated at the mean of the in-stock days.
    pub lost_units: f64,
    /// Units sold / (units sold + lost units).
    pub fill_rate: Option<f64>,
    /// Share of review periods (the plan line's R days) in the window without a stock-out day.
    pub cycle_service_level: Option<f64>,
    /// Units sold × unit cost.
    pub cogs: f64,
    pub unit_cost: f64,
    pub on_hand: f64,
    pub inventory_value: f64,
    /// Mean and peak closing stock value over the window (`stock_history`), else the snapshot.
    pub avg_inventory_value: f64,
    pub peak_inventory_value: f64,
    /// `stock_history` or `snapshot`.
    pub inventory_source: String,
    /// COGS over the window, annualised, / average inventory value.
    pub turnover: Option<f64>,
    /// On hand / mean daily demand (the plan's forecast).
    pub days_of_supply: Option<f64>,
    /// On hand above the plan's order-up-to level.
    pub excess_units: f64,
    pub excess_value: f64,
    /// On hand with no sale in the last `dead_stock_days` days.
    pub dead_units: f64,
    pub dead_value: f64,
    /// Open purchase-order quantity and value (at unit cost).
    pub open_po_units: f64,
    pub open_po_value: f64,
    pub out_of_stock_now: bool,
}

/// The KPIs of a group of SKU-locations (sums, and ratios of sums).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupKpi {
    /// `category`, `location`, `supplier`, `abc` or `total`.
    pub group_by: String,
    pub key: String,
    pub sku_locations: usize,
    pub units_sold: f64,
    pub cogs: f64,
    pub inventory_value: f64,
    pub avg_inventory_value: f64,
    pub turnover: Option<f64>,
    /// Σ on hand / Σ mean daily demand.
    pub days_of_supply: Option<f64>,
    /// Σ stock-out days / Σ days.
    pub stockout_rate: Option<f64>,
    /// Share of SKU-locations with at least one stock-out day in the window.
    pub stockout_sku_share: Option<f64>,
    pub out_of_stock_now: usize,
    pub fill_rate: Option<f64>,
    pub excess_value: f64,
    pub dead_value: f64,
    pub open_po_value: f64,
}

/// The window's totals per week or month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodKpi {
    pub period_start: NaiveDate,
    pub days: usize,
    pub units_sold: f64,
    pub lost_units: f64,
    pub fill_rate: Option<f64>,
    /// Stock-out days / SKU-location days in the period.
    pub stockout_rate: Option<f64>,
    /// SKU-locations with a stock-out day in the period.
    pub sku_locations_with_stockout: usize,
    /// Mean daily closing stock value (only with `stock_history`).
    pub avg_inventory_value: Option<f64>,
}

/// One cell of the ABC/XYZ matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub abc: String,
    pub xyz: String,
    pub sku_locations: usize,
    pub units_sold: f64,
    pub cogs: f64,
    pub inventory_value: f64,
}

/// The KPI report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiReport {
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub lines: Vec<SkuKpi>,
    /// Per category, location, supplier and ABC class, then the total.
    pub groups: Vec<GroupKpi>,
    pub periods: Vec<PeriodKpi>,
    pub abc_xyz: Vec<MatrixCell>,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// Computes the KPIs of a dataset and its plan.
pub fn kpis(data: &Dataset, plan: &Plan, cfg: &KpiConfig) -> Result<KpiReport> {
    if cfg.window_days == 0 {
        return Err(Error::config("window_days", "must be at least 1"));
    }
    let demand = &data.demand;
    let end = (0..demand.len())
        .filter_map(|i| demand.series(i).end())
        .max()
        .ok_or_else(|| Error::InvalidInput("no demand history: nothing to measure".into()))?;
    let start = end - Duration::days(cfg.window_days as i64 - 1);
    let series: HashMap<(&str, &str), usize> =
        demand.keys.iter().enumerate().map(|(i, k)| ((k.sku.as_str(), k.location.as_str()), i)).collect();
    let items: HashMap<&str, &crate::model::Item> = data.items.iter().map(|i| (i.sku.as_str(), i)).collect();
    let inventory: HashMap<(&str, &str), &crate::model::InventoryRecord> =
        data.inventory.iter().map(|r| ((r.sku.as_str(), r.location.as_str()), r)).collect();
    let mut levels: HashMap<(&str, &str), Vec<(NaiveDate, f64)>> = HashMap::new();
    for l in data.stock_levels.iter().filter(|l| l.date >= start && l.date <= end) {
        levels.entry((l.sku.as_str(), l.location.as_str())).or_default().push((l.date, l.on_hand));
    }
    let mut open_po: HashMap<(&str, &str), f64> = HashMap::new();
    for o in &data.open_orders {
        *open_po.entry((o.sku.as_str(), o.location.as_str())).or_default() += o.open_quantity();
    }
    // Period totals: (units, lost, stock-out days, SKU-location days, SKU-locations with a stock-out).
    let mut periods: BTreeMap<NaiveDate, (f64, f64, usize, usize, usize)> = BTreeMap::new();
    // Closing stock value per period and day (with a stock history).
    let mut period_values: BTreeMap<NaiveDate, BTreeMap<NaiveDate, f64>> = BTreeMap::new();
    let mut lines = Vec::with_capacity(plan.lines.len());
    for pl in &plan.lines {
        let key = (pl.sku.as_str(), pl.location.as_str());
        let unit_cost = if pl.unit_cost > 0.0 { pl.unit_cost } else { items.get(key.0).map_or(0.0, |i| i.unit_cost) };
        // The window's days of this series.
        let mut days: Vec<(NaiveDate, f64, bool)> = Vec::new();
        if let Some(&i) = series.get(&key) {
            let s = demand.series(i);
            for (k, (&q, so)) in s.quantity.iter().zip(s.stockout.iter().by_vals()).enumerate() {
                let d = s.start + Duration::days(k as i64);
                if d >= start && d <= end {
                    days.push((d, if q.is_finite() { q } else { 0.0 }, so));
                }
            }
        }
        let units_sold: f64 = days.iter().map(|d| d.1).sum();
        let stockout_days = days.iter().filter(|d| d.2).count();
        let in_stock: Vec<f64> = days.iter().filter(|d| !d.2).map(|d| d.1).collect();
        let in_stock_mean =
            if in_stock.is_empty() { 0.0 } else { in_stock.iter().sum::<f64>() / in_stock.len() as f64 };
        // Lost demand: the in-stock mean less what still sold on a stock-out day.
        let lost_units: f64 = days.iter().filter(|d| d.2).map(|d| (in_stock_mean - d.1).max(0.0)).sum();
        let review = pl.review_period_days.round().max(1.0) as usize;
        let cycles: Vec<bool> = days.chunks(review).map(|c| c.iter().any(|d| d.2)).collect();
        let on_hand = inventory.get(&key).map_or(pl.on_hand, |r| r.on_hand);
        let value = on_hand.max(0.0) * unit_cost;
        let (avg_value, peak_value, source) = match levels.get(&key) {
            Some(v) if !v.is_empty() => {
                let vals: Vec<f64> = v.iter().map(|x| x.1.max(0.0) * unit_cost).collect();
                (
                    vals.iter().sum::<f64>() / vals.len() as f64,
                    vals.iter().copied().fold(0.0, f64::max),
                    "stock_history",
                )
            }
            _ => (value, value, "snapshot"),
        };
        let cogs = units_sold * unit_cost;
        let annual = if days.is_empty() { 0.0 } else { cogs * 365.0 / days.len() as f64 };
        let last_sale = days.iter().rev().find(|d| d.1 > 0.0).map(|d| d.0);
        let dead = on_hand > 0.0 && last_sale.is_none_or(|d| (end - d).num_days() >= cfg.dead_stock_days as i64);
        let excess_units = (on_hand - pl.order_up_to).max(0.0);
        let open_units = open_po.get(&key).copied().unwrap_or(0.0);
        for (d, q, so) in &days {
            let e = periods.entry(cfg.period.start(*d)).or_default();
            e.0 += q;
            if *so {
                e.1 += (in_stock_mean - q).max(0.0);
                e.2 += 1;
            }
            e.3 += 1;
        }
        let mut flagged: Vec<NaiveDate> = days.iter().filter(|d| d.2).map(|d| cfg.period.start(d.0)).collect();
        flagged.dedup();
        for p in flagged {
            periods.entry(p).or_default().4 += 1;
        }
        for (d, v) in levels.get(&key).into_iter().flatten() {
            *period_values.entry(cfg.period.start(*d)).or_default().entry(*d).or_default() += v.max(0.0) * unit_cost;
        }
        let available = on_hand - inventory.get(&key).map_or(0.0, |r| r.reserved);
        lines.push(SkuKpi {
            sku: pl.sku.clone(),
            location: pl.location.clone(),
            category: pl.category.clone(),
            supplier_id: pl.supplier_id.clone(),
            abc: pl.abc.clone(),
            xyz: pl.xyz.clone(),
            days: days.len(),
            units_sold,
            stockout_days,
            lost_units,
            fill_rate: ratio(units_sold, units_sold + lost_units),
            cycle_service_level: ratio(cycles.iter().filter(|c| !**c).count() as f64, cycles.len() as f64),
            cogs,
            unit_cost,
            on_hand,
            inventory_value: value,
            avg_inventory_value: avg_value,
            peak_inventory_value: peak_value,
            inventory_source: source.into(),
            turnover: ratio(annual, avg_value),
            days_of_supply: ratio(on_hand.max(0.0), pl.mean_daily_demand),
            excess_units,
            excess_value: excess_units * unit_cost,
            dead_units: if dead { on_hand } else { 0.0 },
            dead_value: if dead { value } else { 0.0 },
            open_po_units: open_units,
            open_po_value: open_units * unit_cost,
            out_of_stock_now: available <= 0.0 && pl.mean_daily_demand > 0.0,
        });
    }
    let mean_demand: HashMap<(&str, &str), f64> =
        plan.lines.iter().map(|l| ((l.sku.as_str(), l.location.as_str()), l.mean_daily_demand)).collect();
    let mut groups = Vec::new();
    for (by, key_of) in [
        ("category", (|l: &SkuKpi| l.category.clone()) as fn(&SkuKpi) -> String),
        ("location", |l: &SkuKpi| l.location.clone()),
        ("supplier", |l: &SkuKpi| l.supplier_id.clone().unwrap_or_else(|| "(none)".into())),
        ("abc", |l: &SkuKpi| l.abc.clone()),
        ("total", |_: &SkuKpi| "total".to_string()),
    ] {
        let mut members: BTreeMap<String, Vec<&SkuKpi>> = BTreeMap::new();
        for l in &lines {
            members.entry(key_of(l)).or_default().push(l);
        }
        for (key, m) in members {
            groups.push(group(by, key, &m, &mean_demand));
        }
    }
    let mut matrix: BTreeMap<(String, String), MatrixCell> = BTreeMap::new();
    for l in &lines {
        let c = matrix.entry((l.abc.clone(), l.xyz.clone())).or_insert_with(|| MatrixCell {
            abc: l.abc.clone(),
            xyz: l.xyz.clone(),
            sku_locations: 0,
            units_sold: 0.0,
            cogs: 0.0,
            inventory_value: 0.0,
        });
        c.sku_locations += 1;
        c.units_sold += l.units_sold;
        c.cogs += l.cogs;
        c.inventory_value += l.inventory_value;
    }
    Ok(KpiReport {
        window_start: start,
        window_end: end,
        lines,
        groups,
        periods: periods
            .into_iter()
            .map(|(p, (units, lost, so, days, skus))| PeriodKpi {
                period_start: p,
                days,
                units_sold: units,
                lost_units: lost,
                fill_rate: ratio(units, units + lost),
                stockout_rate: ratio(so as f64, days as f64),
                sku_locations_with_stockout: skus,
                avg_inventory_value: period_values
                    .get(&p)
                    .filter(|v| !v.is_empty())
                    .map(|v| v.values().sum::<f64>() / v.len() as f64),
            })
            .collect(),
        abc_xyz: matrix.into_values().collect(),
    })
}

fn group(by: &str, key: String, m: &[&SkuKpi], mean_demand: &HashMap<(&str, &str), f64>) -> GroupKpi {
    let sum = |f: fn(&SkuKpi) -> f64| m.iter().map(|l| f(l)).sum::<f64>();
    let days: usize = m.iter().map(|l| l.days).sum();
    let so: usize = m.iter().map(|l| l.stockout_days).sum();
    let cogs = sum(|l| l.cogs);
    let annual: f64 = m.iter().filter(|l| l.days > 0).map(|l| l.cogs * 365.0 / l.days as f64).sum();
    let avg_value = sum(|l| l.avg_inventory_value);
    let units = sum(|l| l.units_sold);
    let lost = sum(|l| l.lost_units);
    let demand: f64 =
        m.iter().map(|l| mean_demand.get(&(l.sku.as_str(), l.location.as_str())).copied().unwrap_or(0.0)).sum();
    let with_history = m.iter().filter(|l| l.days > 0).count();
    GroupKpi {
        group_by: by.to_string(),
        key,
        sku_locations: m.len(),
        units_sold: units,
        cogs,
        inventory_value: sum(|l| l.inventory_value),
        avg_inventory_value: avg_value,
        turnover: ratio(annual, avg_value),
        days_of_supply: ratio(sum(|l| l.on_hand.max(0.0)), demand),
        stockout_rate: ratio(so as f64, days as f64),
        stockout_sku_share: ratio(m.iter().filter(|l| l.stockout_days > 0).count() as f64, with_history as f64),
        out_of_stock_now: m.iter().filter(|l| l.out_of_stock_now).count(),
        fill_rate: ratio(units, units + lost),
        excess_value: sum(|l| l.excess_value),
        dead_value: sum(|l| l.dead_value),
        open_po_value: sum(|l| l.open_po_value),
    }
}

/// How a supplier delivers: lead-time reliability from receipts, on-time-in-full
/// from tracked purchase orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierKpi {
    pub supplier_id: String,
    pub receipts: usize,
    /// The lead time the terms state (mean over the receipts' SKUs).
    pub stated_lead_time_days: Option<f64>,
    pub actual_lead_time_days: Option<f64>,
    pub lead_time_std_days: Option<f64>,
    /// Actual − stated, in days (positive: late).
    pub lead_time_bias_days: Option<f64>,
    /// Share of receipts by the order date + the stated lead time (rounded up).
    pub on_time_rate: Option<f64>,
    /// Share of receipts within a day of the stated lead time.
    pub within_one_day_rate: Option<f64>,
    /// Tracked PO lines due by `as_of` (requested date passed, or finished).
    pub lines_due: usize,
    /// Share of due lines received in full (within the under-delivery tolerance of the ordered quantity).
    pub in_full_rate: Option<f64>,
    /// Share of due lines received in full by their requested date.
    pub otif_rate: Option<f64>,
}

/// Per supplier: (actual, stated) lead times, and tracked lines (due, in full, on
/// time in full).
type Tally = (Vec<(f64, Option<f64>)>, usize, usize, usize);

/// Supplier performance from receipts (against the stated terms) and tracked POs on `as_of`.
pub fn supplier_kpis(
    terms: &[crate::model::SupplyTerms],
    receipts: &[crate::orders::leadtime::Receipt],
    tracked: &[crate::orders::tracking::PoTracking],
    as_of: NaiveDate,
) -> Vec<SupplierKpi> {
    use crate::orders::tracking::LineStatus;
    // The stated lead time per supplier and SKU: the all-location terms, else any.
    let mut stated: HashMap<(&str, &str), f64> = HashMap::new();
    for t in terms {
        let k = (t.supplier_id.as_str(), t.sku.as_str());
        if t.location.is_none() {
            stated.insert(k, t.lead_time_days);
        } else {
            stated.entry(k).or_insert(t.lead_time_days);
        }
    }
    let mut by: BTreeMap<&str, Tally> = BTreeMap::new();
    for r in receipts {
        let actual = (r.received_date - r.order_date).num_days() as f64;
        let s = stated.get(&(r.supplier_id.as_str(), r.sku.as_str())).copied();
        by.entry(r.supplier_id.as_str()).or_default().0.push((actual, s));
    }
    for po in tracked {
        for l in &po.lines {
            if l.status == LineStatus::Cancelled {
                continue;
            }
            let done = matches!(l.status, LineStatus::Received | LineStatus::Closed);
            let due = done || l.requested_date.is_some_and(|d| d < as_of);
            if !due {
                continue;
            }
            let in_full = l.received >= l.ordered * (1.0 - po.tolerance.under) - 1e-9;
            let on_time = match (l.last_received, l.requested_date) {
                (Some(r), Some(q)) => r <= q,
                (Some(_), None) => true,
                _ => false,
            };
            let e = by.entry(po.supplier_id.as_str()).or_default();
            e.1 += 1;
            e.2 += usize::from(in_full);
            e.3 += usize::from(in_full && on_time);
        }
    }
    by.into_iter()
        .map(|(sid, (lt, due, full, otif))| {
            let n = lt.len() as f64;
            let mean = (n > 0.0).then(|| lt.iter().map(|x| x.0).sum::<f64>() / n);
            let sd = mean
                .filter(|_| n > 1.0)
                .map(|m| (lt.iter().map(|x| (x.0 - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt());
            let with_terms: Vec<(f64, f64)> = lt.iter().filter_map(|&(a, s)| s.map(|s| (a, s))).collect();
            let m = with_terms.len() as f64;
            let stated_mean = (m > 0.0).then(|| with_terms.iter().map(|x| x.1).sum::<f64>() / m);
            SupplierKpi {
                supplier_id: sid.to_string(),
                receipts: lt.len(),
                stated_lead_time_days: stated_mean,
                actual_lead_time_days: mean,
                lead_time_std_days: sd,
                lead_time_bias_days: (m > 0.0).then(|| with_terms.iter().map(|x| x.0 - x.1).sum::<f64>() / m),
                on_time_rate: ratio(with_terms.iter().filter(|x| x.0 <= x.1.ceil()).count() as f64, m),
                within_one_day_rate: ratio(with_terms.iter().filter(|x| (x.0 - x.1).abs() <= 1.0).count() as f64, m),
                lines_due: due,
                in_full_rate: ratio(full as f64, due as f64),
                otif_rate: ratio(otif as f64, due as f64),
            }
        })
        .collect()
}

/// Alerts counted by kind, with their projected lost sales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertCount {
    pub kind: String,
    pub alerts: usize,
    pub pos: usize,
    pub projected_lost_sales: f64,
}

/// Alerts by type.
pub fn alert_counts(alerts: &[crate::orders::tracking::Alert]) -> Vec<AlertCount> {
    let mut by: BTreeMap<&str, (usize, std::collections::BTreeSet<&str>, f64)> = BTreeMap::new();
    for a in alerts {
        let e = by.entry(a.kind.as_str()).or_default();
        e.0 += 1;
        e.1.insert(a.po_number.as_str());
        e.2 += a.projected_lost_sales;
    }
    by.into_iter()
        .map(|(k, (n, pos, lost))| AlertCount {
            kind: k.to_string(),
            alerts: n,
            pos: pos.len(),
            projected_lost_sales: lost,
        })
        .collect()
}

/// How forecast accuracy over time is measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccuracyConfig {
    /// Forecast origins, one every `h` days, the last `h` days before the history ends.
    pub windows: usize,
    /// Days forecast from each origin.
    pub h: usize,
    /// Season of the naive forecast that scales MASE.
    pub season_length: usize,
}

impl Default for AccuracyConfig {
    fn default() -> Self {
        AccuracyConfig { windows: 8, h: 7, season_length: 7 }
    }
}

impl AccuracyConfig {
    /// A request as the bindings send it: the fields of [`AccuracyConfig`] plus
    /// `model`, a model name (default parameters with this `season_length`) or a
    /// model object; the default model is `SeasonalNaive`.
    pub fn request_from_json(text: &str) -> Result<(crate::forecast::ModelConfig, AccuracyConfig)> {
        let mut v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::config("accuracy", e.to_string()))?;
        let obj = v.as_object_mut().ok_or_else(|| Error::config("accuracy", "the request must be an object"))?;
        let model = obj.remove("model").unwrap_or_else(|| "SeasonalNaive".into());
        let cfg: AccuracyConfig = serde_json::from_value(v).map_err(|e| Error::config("accuracy", e.to_string()))?;
        Ok((crate::forecast::ModelConfig::from_value(model, cfg.season_length)?, cfg))
    }
}

/// Forecast accuracy of one origin: the days after `cutoff`, over every series long enough.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccuracyPeriod {
    /// Last day the model saw.
    pub cutoff: NaiveDate,
    pub series: usize,
    pub actual: f64,
    pub forecast: f64,
    /// Σ|actual − forecast| / Σ actual.
    pub wape: Option<f64>,
    /// Mean over series of MAE / the in-sample seasonal-naive MAE.
    pub mase: Option<f64>,
    /// Σ(forecast − actual) / Σ actual: positive is over-forecasting.
    pub bias: Option<f64>,
}

/// Forecast accuracy over time: forecasts from origins every `h` days before the
/// history ends (the same calendar day for every series), each scored on the `h`
/// days after it. Models are fitted on the history up to the origin with stock-out
/// days left out (as the plan does), and stock-out days are not scored: their
/// sales understate demand.
pub fn forecast_accuracy(
    data: &Dataset,
    model: &crate::forecast::ModelConfig,
    cfg: &AccuracyConfig,
) -> Result<Vec<AccuracyPeriod>> {
    forecast_accuracy_with(data, model, cfg, &crate::progress::Progress::default())
}

/// [`forecast_accuracy`] with progress (one unit per series fitted at each origin)
/// and cancellation.
pub fn forecast_accuracy_with(
    data: &Dataset,
    model: &crate::forecast::ModelConfig,
    cfg: &AccuracyConfig,
    progress: &crate::progress::Progress,
) -> Result<Vec<AccuracyPeriod>> {
    use crate::forecast::{forecast_batch_with, FitOptions, ForecastRequest, MissingPolicy, Panel};
    if cfg.windows == 0 || cfg.h == 0 || cfg.season_length == 0 {
        return Err(Error::config("accuracy", "windows, h and season_length must be at least 1"));
    }
    let demand = &data.demand;
    let Some(end) = (0..demand.len()).filter_map(|i| demand.series(i).end()).max() else {
        return Err(Error::InvalidInput("no demand history to measure accuracy on".into()));
    };
    // Enough to fit on: four seasons of in-stock days before the origin.
    let min_train = 4 * cfg.season_length;
    let request = ForecastRequest {
        h: cfg.h,
        models: vec![model.clone()],
        options: FitOptions { missing: MissingPolicy::Drop, non_negative: true, ..Default::default() },
        ..Default::default()
    };
    let mut out = Vec::with_capacity(cfg.windows);
    for w in (1..=cfg.windows).rev() {
        let cutoff = end - Duration::days((cfg.h * w) as i64);
        let (mut ids, mut offsets, mut values) = (Vec::new(), vec![0], Vec::new());
        // Per series in the panel: the scored (step, actual) pairs and the MASE scale.
        let mut scored: Vec<(Vec<(usize, f64)>, f64)> = Vec::new();
        for i in 0..demand.len() {
            let s = demand.series(i);
            let n_train = (cutoff - s.start).num_days() + 1;
            let Ok(n_train) = usize::try_from(n_train) else { continue };
            if n_train >= s.quantity.len() {
                continue;
            }
            let train: Vec<f64> = s.quantity[..n_train]
                .iter()
                .zip(s.stockout[..n_train].iter().by_vals())
                .map(|(&q, so)| if so { f64::NAN } else { q })
                .collect();
            if train.iter().filter(|v| v.is_finite()).count() < min_train {
                continue;
            }
            let test: Vec<(usize, f64)> = (0..cfg.h)
                .map(|t| (t, n_train + t))
                .filter(|&(_, d)| d < s.quantity.len() && !s.stockout[d])
                .map(|(t, d)| (t, s.quantity[d]))
                .collect();
            if test.is_empty() {
                continue;
            }
            // In-sample seasonal-naive MAE up to the origin, over in-stock pairs.
            let diffs: Vec<f64> = (cfg.season_length..train.len())
                .map(|t| (train[t] - train[t - cfg.season_length]).abs())
                .filter(|d| d.is_finite())
                .collect();
            let scale = if diffs.is_empty() { 0.0 } else { diffs.iter().sum::<f64>() / diffs.len() as f64 };
            ids.push(format!("{}/{}", s.key.sku, s.key.location));
            values.extend(train);
            offsets.push(values.len());
            scored.push((test, scale));
        }
        if ids.is_empty() {
            continue;
        }
        let fc = forecast_batch_with(&Panel::new(ids, offsets, values)?, &request, progress)?;
        let mean = &fc.models[0].mean;
        let (mut actual, mut forecast, mut abs, mut err, mut mase) = (0.0, 0.0, 0.0, 0.0, Vec::new());
        for (k, (test, scale)) in scored.iter().enumerate() {
            let mut series_abs = 0.0;
            for &(t, y) in test {
                let f = mean[k * cfg.h + t];
                actual += y;
                forecast += f;
                abs += (y - f).abs();
                err += f - y;
                series_abs += (y - f).abs();
            }
            if *scale > 0.0 {
                mase.push(series_abs / test.len() as f64 / scale);
            }
        }
        out.push(AccuracyPeriod {
            cutoff,
            series: scored.len(),
            actual,
            forecast,
            wape: ratio(abs, actual),
            mase: (!mase.is_empty()).then(|| mase.iter().sum::<f64>() / mase.len() as f64),
            bias: ratio(err, actual),
        });
    }
    if out.is_empty() {
        return Err(Error::InvalidInput(format!(
            "no series has {min_train} in-stock days before the first origin ({})",
            end - Duration::days((cfg.h * cfg.windows) as i64)
        )));
    }
    Ok(out)
}
