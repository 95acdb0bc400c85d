//! The numbers behind the report: computed once here, drawn as SVG by
//! [`super::html`] and with matplotlib by the Python `plot_*` helpers.

use crate::error::{Error, Result};
use crate::forecast::{ForecastRequest, ModelConfig, Panel};
use crate::kpi::{AccuracyConfig, AccuracyPeriod, AlertCount, KpiConfig, KpiReport, SupplierKpi};
use crate::model::Dataset;
use crate::orders::tracking::{AlertConfig, PoTracking, StockOutlook};
use crate::plan::{LineAction, Plan, PlanLine};
use crate::report::PlanSummary;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What the report shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    pub title: String,
    pub kpi: KpiConfig,
    /// Forecast accuracy over time; `None` leaves it out (it refits the model once per origin).
    pub accuracy: Option<AccuracyConfig>,
    /// The model of the forecast charts and of the accuracy. `None`: the plan's
    /// default model; the CLI and the bindings pass the plan's `forecast`.
    pub forecast: Option<ModelConfig>,
    /// SKU-locations to chart, as `SKU@LOCATION`, or `SKU` for all its locations.
    /// Empty: the `top_series` lines with the largest order value, then the largest COGS.
    pub series: Vec<String>,
    pub top_series: usize,
    /// Days of actuals shown before the back-test.
    pub history_days: usize,
    /// The last days of history, forecast from the day before them, to set forecast
    /// against actual.
    pub backtest_days: usize,
    /// Days forecast and projected after the plan date.
    pub horizon_days: usize,
    /// Prediction-interval levels in percent.
    pub levels: Vec<f64>,
    /// Exceptions listed (the most urgent first); the rest are counted.
    pub max_exceptions: usize,
    /// When tracked purchase orders raise alerts.
    pub alerts: AlertConfig,
    /// Date of the tracking alerts and supplier on-time-in-full; default: the plan date.
    pub as_of: Option<NaiveDate>,
    /// A backtest of the plan on this history (`replenish simulate`, Python
    /// `policy.backtest`, Node `backtest`) to show: per demand class the target, the
    /// service and stock achieved, and the textbook rule's on the same replay.
    pub service: Option<crate::backtest::ServiceTable>,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            title: "Replenishment report".into(),
            kpi: KpiConfig::default(),
            accuracy: Some(AccuracyConfig::default()),
            forecast: None,
            series: Vec::new(),
            top_series: 4,
            history_days: 56,
            backtest_days: 28,
            horizon_days: 42,
            levels: vec![80.0, 95.0],
            max_exceptions: 100,
            alerts: AlertConfig::default(),
            as_of: None,
            service: None,
        }
    }
}

impl ReportConfig {
    pub fn validate(&self) -> Result<()> {
        if self.backtest_days == 0 || self.horizon_days == 0 {
            return Err(Error::config("report", "backtest_days and horizon_days must be at least 1"));
        }
        if let Some(l) = self.levels.iter().find(|l| !(**l > 0.0 && **l < 100.0)) {
            return Err(Error::config("report.levels", format!("{l} is outside (0, 100)")));
        }
        Ok(())
    }
}

/// Everything the report draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    pub title: String,
    /// The plan date.
    pub as_of: NaiveDate,
    pub summary: PlanSummary,
    /// The plan's purchase orders per supplier and currency.
    pub orders: Vec<SupplierOrders>,
    pub kpis: KpiReport,
    /// Forecast accuracy per origin (empty when left out or too little history).
    pub accuracy: Vec<AccuracyPeriod>,
    pub suppliers: Vec<SupplierKpi>,
    pub alerts: Vec<AlertCount>,
    /// Prediction-interval levels of the forecast bands, in percent.
    pub levels: Vec<f64>,
    pub series: Vec<SeriesChart>,
    /// The most urgent exceptions.
    pub exceptions: Vec<Exception>,
    /// Exceptions per kind, before the list was cut to `max_exceptions`.
    pub exception_counts: BTreeMap<String, usize>,
    /// What could not be shown, and why.
    pub notes: Vec<String>,
    /// The backtest given in the configuration, if any.
    #[serde(default)]
    pub service: Option<crate::backtest::ServiceTable>,
}

/// The purchase orders of one supplier (in one currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierOrders {
    pub supplier_id: String,
    pub supplier_name: String,
    pub purchase_orders: usize,
    pub lines: usize,
    pub units: f64,
    pub value: f64,
    pub currency: String,
    pub first_delivery: Option<NaiveDate>,
}

fn supplier_orders(plan: &Plan) -> Vec<SupplierOrders> {
    let mut by: BTreeMap<(&str, &str), SupplierOrders> = BTreeMap::new();
    for po in &plan.purchase_orders {
        let e = by.entry((po.supplier_id.as_str(), po.currency.as_str())).or_insert_with(|| SupplierOrders {
            supplier_id: po.supplier_id.clone(),
            supplier_name: po.supplier_name.clone(),
            purchase_orders: 0,
            lines: 0,
            units: 0.0,
            value: 0.0,
            currency: po.currency.clone(),
            first_delivery: None,
        });
        e.purchase_orders += 1;
        e.lines += po.lines.len();
        e.units += po.total_quantity;
        e.value += po.total_value;
        e.first_delivery = match (e.first_delivery, po.expected_delivery) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let mut out: Vec<SupplierOrders> = by.into_values().collect();
    out.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.supplier_id.cmp(&b.supplier_id)));
    out
}

/// One SKU-location's forecast and stock projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesChart {
    pub sku: String,
    pub location: String,
    pub item_name: String,
    pub model: String,
    /// Actual demand (units/day); stock-out days are censored (the sales understate demand).
    pub history: Vec<DayValue>,
    /// Forecast of the last `backtest_days` of history from the day before them.
    pub backtest: ForecastBand,
    /// Forecast after the history ends.
    pub forecast: ForecastBand,
    /// Σ|actual − forecast| / Σ actual over the back-test (stock-out days left out).
    pub backtest_wape: Option<f64>,
    /// Per level: the share of back-test days whose actual fell inside the interval.
    pub backtest_coverage: Vec<Option<f64>>,
    /// Projected available stock at the end of each day from the plan date: stock
    /// on hand less reserved and backorders, plus arrivals, less the forecast. Below
    /// zero is demand that goes unserved.
    pub projection: Vec<DayValue>,
    pub arrivals: Vec<Arrival>,
    pub safety_stock: f64,
    pub reorder_point: f64,
    pub order_up_to: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayValue {
    pub date: NaiveDate,
    pub value: f64,
    #[serde(default)]
    pub stockout: bool,
}

/// Point forecasts with prediction intervals, one value per day from `start`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastBand {
    pub start: NaiveDate,
    pub mean: Vec<f64>,
    /// Per level: lower and upper bounds.
    pub lo: Vec<Vec<f64>>,
    pub hi: Vec<Vec<f64>>,
}

/// Goods expected in: an open order, or the plan's own order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrival {
    pub date: NaiveDate,
    pub quantity: f64,
    pub po_number: String,
    /// The order this plan places (not yet sent).
    pub planned: bool,
}

/// Something a buyer should look at, with the money at stake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exception {
    /// `out_of_stock`, `below_safety_stock`, a tracking alert kind (`overdue`,
    /// `at_risk`, ...), `deferred`, `no_supplier`, `excess`, `dead_stock` or `warning`.
    pub kind: String,
    /// `high`, `medium` or `low`.
    pub severity: String,
    pub sku: String,
    pub location: String,
    pub supplier_id: Option<String>,
    pub po_number: Option<String>,
    pub detail: String,
    /// The value at stake, at unit cost: lost sales until the next delivery, the
    /// deferred order, the excess or dead stock.
    pub value: f64,
}

/// Computes what the report shows: the KPIs, forecast accuracy, supplier
/// performance, tracking alerts, the charted series and the exceptions.
/// `tracked`: purchase orders under tracking (may be empty).
pub fn report_data(data: &Dataset, plan: &Plan, tracked: &[PoTracking], cfg: &ReportConfig) -> Result<ReportData> {
    report_data_with(data, plan, tracked, cfg, &crate::progress::Progress::default())
}

/// [`report_data`] with progress (the forecast accuracy's fits) and cancellation.
pub fn report_data_with(
    data: &Dataset,
    plan: &Plan,
    tracked: &[PoTracking],
    cfg: &ReportConfig,
    progress: &crate::progress::Progress,
) -> Result<ReportData> {
    progress.check()?;
    cfg.validate()?;
    let model = cfg.forecast.clone().unwrap_or_else(|| crate::plan::PlanConfig::default().forecast);
    let mut notes = Vec::new();
    let kpis = crate::kpi::kpis(data, plan, &cfg.kpi)?;
    let accuracy = match &cfg.accuracy {
        None => Vec::new(),
        Some(a) => match crate::kpi::forecast_accuracy_with(data, &model, a, progress) {
            Ok(v) => v,
            Err(Error::InvalidInput(why)) => {
                notes.push(format!("forecast accuracy left out: {why}"));
                Vec::new()
            }
            Err(e) => return Err(e),
        },
    };
    let as_of = cfg.as_of.unwrap_or(plan.as_of);
    let suppliers = crate::kpi::supplier_kpis(&data.supply_terms, &data.receipts, tracked, as_of);
    let outlook = StockOutlook::from_plan(plan, &data.open_orders);
    let alerts = crate::orders::tracking::alerts(tracked, &outlook, as_of, &cfg.alerts);
    let alert_counts = crate::kpi::alert_counts(&alerts);
    let chosen = choose_series(plan, &kpis, cfg)?;
    let series = series_charts(data, plan, &outlook, &chosen, (cfg, &model), &mut notes)?;
    let (mut exceptions, exception_counts) = exceptions(plan, &kpis, &outlook, &alerts);
    exceptions.truncate(cfg.max_exceptions);
    Ok(ReportData {
        title: cfg.title.clone(),
        as_of: plan.as_of,
        summary: plan.summary.clone(),
        orders: supplier_orders(plan),
        kpis,
        accuracy,
        suppliers,
        alerts: alert_counts,
        levels: cfg.levels.clone(),
        series,
        exceptions,
        exception_counts,
        notes,
        service: cfg.service.clone(),
    })
}

/// The plan lines to chart, in order.
fn choose_series<'a>(plan: &'a Plan, kpis: &KpiReport, cfg: &ReportConfig) -> Result<Vec<&'a PlanLine>> {
    if !cfg.series.is_empty() {
        let mut out: Vec<&PlanLine> = Vec::new();
        for s in &cfg.series {
            let (sku, loc) = match s.split_once('@') {
                Some((a, b)) => (a, Some(b)),
                None => (s.as_str(), None),
            };
            let found: Vec<&PlanLine> = plan
                .lines
                .iter()
                .filter(|l| l.sku == sku && loc.is_none_or(|x| l.location == x))
                .filter(|l| !out.iter().any(|o| o.sku == l.sku && o.location == l.location))
                .collect();
            if found.is_empty() && !out.iter().any(|o| o.sku == sku && loc.is_none_or(|x| o.location == x)) {
                return Err(Error::config("report.series", format!("`{s}` is not in the plan")));
            }
            out.extend(found);
        }
        return Ok(out);
    }
    let cogs: HashMap<(&str, &str), f64> =
        kpis.lines.iter().map(|l| ((l.sku.as_str(), l.location.as_str()), l.cogs)).collect();
    let mut lines: Vec<&PlanLine> = plan.lines.iter().filter(|l| l.history_days > 0).collect();
    let key = |l: &PlanLine| (l.order_value, cogs.get(&(l.sku.as_str(), l.location.as_str())).copied().unwrap_or(0.0));
    lines.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.total_cmp(&ka.1)).then(a.sku.cmp(&b.sku)).then(a.location.cmp(&b.location))
    });
    lines.truncate(cfg.top_series);
    Ok(lines)
}

/// The demand of a series with stock-out days missing.
fn censored(q: &[f64], stockout: &crate::model::DayFlagsView) -> Vec<f64> {
    q.iter().zip(stockout.iter().by_vals()).map(|(&v, s)| if s { f64::NAN } else { v }).collect()
}

fn band(mf: &crate::forecast::ModelForecast, i: usize, h: usize, start: NaiveDate) -> ForecastBand {
    let r = i * h..(i + 1) * h;
    ForecastBand {
        start,
        mean: mf.mean[r.clone()].to_vec(),
        lo: mf.lo.iter().map(|v| v[r.clone()].to_vec()).collect(),
        hi: mf.hi.iter().map(|v| v[r.clone()].to_vec()).collect(),
    }
}

fn series_charts(
    data: &Dataset,
    plan: &Plan,
    outlook: &[StockOutlook],
    chosen: &[&PlanLine],
    (cfg, model): (&ReportConfig, &ModelConfig),
    notes: &mut Vec<String>,
) -> Result<Vec<SeriesChart>> {
    let index: HashMap<(&str, &str), usize> = (0..data.demand.len())
        .map(|i| {
            let k = &data.demand.keys[i];
            ((k.sku.as_str(), k.location.as_str()), i)
        })
        .collect();
    let bt = cfg.backtest_days;
    // Series with enough history for a back-test: at least a week to fit on.
    let mut charted = Vec::new();
    for l in chosen {
        match index.get(&(l.sku.as_str(), l.location.as_str())) {
            Some(&i) if data.demand.series(i).quantity.len() >= bt + 7 => charted.push((*l, i)),
            _ => notes.push(format!(
                "{}@{}: too little history for a forecast chart (needs {} days)",
                l.sku,
                l.location,
                bt + 7
            )),
        }
    }
    if charted.is_empty() {
        return Ok(Vec::new());
    }
    let request = |h| ForecastRequest {
        h,
        models: vec![model.clone()],
        levels: cfg.levels.clone(),
        // Stock-out days are missing, not zero demand; demand is never negative.
        options: crate::forecast::FitOptions {
            missing: crate::forecast::MissingPolicy::Drop,
            non_negative: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let panel = |cut: usize| -> Result<Panel> {
        let (mut ids, mut offsets, mut values) = (Vec::new(), vec![0], Vec::new());
        for (l, i) in &charted {
            let s = data.demand.series(*i);
            let n = s.quantity.len() - cut;
            values.extend(censored(&s.quantity[..n], &s.stockout[..n]));
            offsets.push(values.len());
            ids.push(format!("{}@{}", l.sku, l.location));
        }
        Panel::new(ids, offsets, values)
    };
    let past = crate::forecast::forecast_batch(&panel(bt)?, &request(bt))?;
    let future = crate::forecast::forecast_batch(&panel(0)?, &request(cfg.horizon_days))?;
    let outlook: HashMap<(&str, &str), &StockOutlook> =
        outlook.iter().map(|o| ((o.sku.as_str(), o.location.as_str()), o)).collect();
    let mut out = Vec::with_capacity(charted.len());
    for (k, (l, i)) in charted.iter().enumerate() {
        let s = data.demand.series(*i);
        let n = s.quantity.len();
        let end = s.start + Duration::days(n as i64 - 1);
        let shown = (cfg.history_days + bt).min(n);
        let history: Vec<DayValue> = (n - shown..n)
            .map(|d| DayValue {
                date: s.start + Duration::days(d as i64),
                value: s.quantity[d],
                stockout: s.stockout[d],
            })
            .collect();
        let backtest = band(&past.models[0], k, bt, end - Duration::days(bt as i64 - 1));
        let forecast = band(&future.models[0], k, cfg.horizon_days, end + Duration::days(1));
        // Back-test accuracy and interval coverage over the in-stock days.
        let pairs: Vec<(usize, f64)> =
            (0..bt).filter(|&t| !s.stockout[n - bt + t]).map(|t| (t, s.quantity[n - bt + t])).collect();
        let actual: f64 = pairs.iter().map(|p| p.1).sum();
        let abs: f64 = pairs.iter().map(|&(t, y)| (y - backtest.mean[t]).abs()).sum();
        let coverage = (0..cfg.levels.len())
            .map(|j| {
                (!pairs.is_empty()).then(|| {
                    let inside =
                        pairs.iter().filter(|&&(t, y)| y >= backtest.lo[j][t] - 1e-9 && y <= backtest.hi[j][t] + 1e-9);
                    inside.count() as f64 / pairs.len() as f64
                })
            })
            .collect();
        let (projection, arrivals) =
            project(plan.as_of, l, outlook.get(&(l.sku.as_str(), l.location.as_str())), &forecast, cfg.horizon_days);
        out.push(SeriesChart {
            sku: l.sku.clone(),
            location: l.location.clone(),
            item_name: l.item_name.clone(),
            model: l.forecast_model.clone(),
            history,
            backtest,
            forecast,
            backtest_wape: (actual > 0.0).then(|| abs / actual),
            backtest_coverage: coverage,
            projection,
            arrivals,
            safety_stock: l.safety_stock,
            reorder_point: l.reorder_point,
            order_up_to: l.order_up_to,
        });
    }
    Ok(out)
}

/// Day-by-day available stock after the plan date: open orders and the plan's own
/// order arrive, the forecast (the plan's mean daily demand where the forecast does
/// not reach) goes out.
fn project(
    as_of: NaiveDate,
    line: &PlanLine,
    outlook: Option<&&StockOutlook>,
    forecast: &ForecastBand,
    days: usize,
) -> (Vec<DayValue>, Vec<Arrival>) {
    let mut arrivals: Vec<Arrival> = outlook
        .map(|o| {
            o.arrivals
                .iter()
                .map(|a| Arrival {
                    date: a.date.unwrap_or(as_of + Duration::days(1)).max(as_of + Duration::days(1)),
                    quantity: a.quantity,
                    po_number: a.po_number.clone(),
                    planned: false,
                })
                .collect()
        })
        .unwrap_or_default();
    if line.action == LineAction::Order && line.order_quantity > 0.0 {
        if let Some(d) = line.expected_delivery {
            arrivals.push(Arrival {
                date: d.max(as_of + Duration::days(1)),
                quantity: line.order_quantity,
                po_number: line.po_number.clone().unwrap_or_else(|| "planned".into()),
                planned: true,
            });
        }
    }
    arrivals.sort_by(|a, b| a.date.cmp(&b.date).then(a.po_number.cmp(&b.po_number)));
    let mut level = outlook.map_or(line.on_hand - line.reserved - line.backorders, |o| o.available);
    let mut projection = vec![DayValue { date: as_of, value: level, stockout: level <= 0.0 }];
    for d in 1..=days as i64 {
        let date = as_of + Duration::days(d);
        level += arrivals.iter().filter(|a| a.date == date).map(|a| a.quantity).sum::<f64>();
        let t = (date - forecast.start).num_days();
        let demand = usize::try_from(t)
            .ok()
            .and_then(|t| forecast.mean.get(t))
            .copied()
            .filter(|v| v.is_finite())
            .unwrap_or(line.mean_daily_demand);
        level -= demand.max(0.0);
        projection.push(DayValue { date, value: level, stockout: level <= 0.0 });
    }
    arrivals.retain(|a| a.date <= as_of + Duration::days(days as i64));
    (projection, arrivals)
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "high" => 0,
        "medium" => 1,
        _ => 2,
    }
}

/// Every exception, the most urgent first (severity, then value), and the count per kind.
fn exceptions(
    plan: &Plan,
    kpis: &KpiReport,
    outlook: &[StockOutlook],
    alerts: &[crate::orders::tracking::Alert],
) -> (Vec<Exception>, BTreeMap<String, usize>) {
    let mut out = Vec::new();
    let outlook: HashMap<(&str, &str), &StockOutlook> =
        outlook.iter().map(|o| ((o.sku.as_str(), o.location.as_str()), o)).collect();
    let lines: HashMap<(&str, &str), &PlanLine> =
        plan.lines.iter().map(|l| ((l.sku.as_str(), l.location.as_str()), l)).collect();
    let mut ex = |kind: &str, severity: &str, l: &PlanLine, detail: String, value: f64| {
        out.push(Exception {
            kind: kind.into(),
            severity: severity.into(),
            sku: l.sku.clone(),
            location: l.location.clone(),
            supplier_id: l.supplier_id.clone(),
            po_number: None,
            detail,
            value,
        })
    };
    for l in &plan.lines {
        let available = l.on_hand - l.reserved - l.backorders;
        if l.mean_daily_demand > 0.0 && available <= 0.0 {
            // Lost until the first arrival: an open order, else this plan's order, else a lead time.
            let first = outlook
                .get(&(l.sku.as_str(), l.location.as_str()))
                .and_then(|o| o.arrivals.iter().map(|a| a.date.unwrap_or(plan.as_of + Duration::days(1))).min());
            let next = first.or(l.expected_delivery);
            let days = next.map_or(l.lead_time_days, |d| (d - plan.as_of).num_days().max(1) as f64);
            let lost = l.mean_daily_demand * days;
            let when = next.map_or_else(|| "no delivery on order".to_string(), |d| format!("next delivery {d}"));
            ex(
                "out_of_stock",
                "high",
                l,
                format!("no stock; {:.1} units/day of demand; {when}: about {lost:.0} units lost", l.mean_daily_demand),
                lost * l.unit_cost,
            );
        } else if l.mean_daily_demand > 0.0 && available < l.safety_stock {
            ex(
                "below_safety_stock",
                "medium",
                l,
                format!(
                    "{available:.0} available, safety stock {:.0}, reorder point {:.0}",
                    l.safety_stock, l.reorder_point
                ),
                (l.safety_stock - available) * l.unit_cost,
            );
        }
        if l.action == LineAction::NoSupplier {
            ex(
                "no_supplier",
                "medium",
                l,
                "no supply terms: nothing can be ordered".into(),
                l.net_requirement * l.unit_cost,
            );
        }
    }
    for d in &plan.deferred {
        if let Some(l) = lines.get(&(d.sku.as_str(), d.location.as_str())) {
            ex("deferred", "medium", l, d.reason.clone(), d.order_value);
        }
    }
    for k in &kpis.lines {
        let Some(l) = lines.get(&(k.sku.as_str(), k.location.as_str())) else { continue };
        if k.dead_value > 0.0 {
            ex("dead_stock", "low", l, format!("{:.0} units with no sale in the window", k.dead_units), k.dead_value);
        } else if k.excess_value > 0.0 {
            ex(
                "excess",
                "low",
                l,
                format!(
                    "{:.0} on hand, {:.0} above the order-up-to level {:.0}",
                    k.on_hand, k.excess_units, l.order_up_to
                ),
                k.excess_value,
            );
        }
    }
    for a in alerts {
        let severity = match a.kind.as_str() {
            "overdue" | "at_risk" => "high",
            _ => "medium",
        };
        let sku = a.skus.first().cloned().unwrap_or_default();
        let cost = lines.get(&(sku.as_str(), a.location.as_str())).map_or(0.0, |l| l.unit_cost);
        out.push(Exception {
            kind: a.kind.as_str().into(),
            severity: severity.into(),
            sku: a.skus.join(" "),
            location: a.location.clone(),
            supplier_id: Some(a.supplier_id.clone()),
            po_number: Some(a.po_number.clone()),
            detail: a.message.clone(),
            value: a.projected_lost_sales * cost,
        });
    }
    for w in &plan.warnings {
        out.push(Exception {
            kind: "warning".into(),
            severity: "low".into(),
            sku: String::new(),
            location: String::new(),
            supplier_id: None,
            po_number: None,
            detail: w.clone(),
            value: 0.0,
        });
    }
    out.sort_by(|a, b| {
        severity_rank(&a.severity)
            .cmp(&severity_rank(&b.severity))
            .then(b.value.total_cmp(&a.value))
            .then(a.kind.cmp(&b.kind))
            .then(a.sku.cmp(&b.sku))
            .then(a.location.cmp(&b.location))
    });
    let mut counts = BTreeMap::new();
    for e in &out {
        *counts.entry(e.kind.clone()).or_insert(0) += 1;
    }
    (out, counts)
}
