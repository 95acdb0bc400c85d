//! `plan(data, config) -> Plan`: from a validated dataset to explained plan lines
//! and purchase orders. Pure: no I/O, deterministic, parallel over SKU-locations.

use crate::error::{Error, Result};
use crate::forecast::{daily_demand, FitOptions, ModelConfig, ModelSpec, Protection};
use crate::model::*;
use crate::orders::{build_purchase_orders, PurchaseOrder};
use crate::policy::{self, fmt_qty, OrderConstraints, PolicyInput};
use crate::report::{summarize, PlanSummary};
use chrono::{Datelike, Duration, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod uplift;
use uplift::{
    event_days, event_uplifts, promotion_days, promotion_uplifts, promotions_by_sku, EventDays, EventUplifts, Uplifts,
};

/// Planning parameters. Every field has a default; a TOML or JSON file with any
/// subset of them is a valid configuration (`docs/configuration.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanConfig {
    /// Planning date. Default: the latest `as_of` of the inventory snapshot.
    pub as_of: Option<NaiveDate>,
    /// Default cycle service level target, in (0, 1).
    pub service_level: f64,
    /// Service level per item category, overriding the default.
    pub category_service_levels: BTreeMap<String, f64>,
    /// Review period in days for suppliers without an `order_cycle_days`.
    pub review_period_days: f64,
    /// Forecasting model.
    pub forecast: ModelConfig,
    /// Fixed cost of one order line, for the EOQ.
    pub ordering_cost: f64,
    /// Yearly holding cost as a fraction of unit cost, for the EOQ.
    pub holding_rate: f64,
    /// Prefix of generated PO numbers.
    pub po_prefix: String,
    /// How safety stock is computed.
    pub safety_stock: SafetyStockMethod,
    /// Sample paths per SKU-location for `safety_stock = "distribution"`.
    pub n_paths: usize,
    /// Seed of those paths (the same seed gives the same plan).
    pub seed: u64,
}

/// How safety stock and the reorder point are computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyStockMethod {
    /// From the forecast distribution: the service-level quantile of demand over the
    /// protection interval, simulated from the model's own sample paths with random
    /// lead times (works for intermittent and skewed demand). The default.
    #[default]
    Distribution,
    /// The normal formula SS = z·√(P·σ_d² + d̄²·σ_L²).
    Normal,
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            as_of: None,
            service_level: 0.95,
            category_service_levels: BTreeMap::new(),
            review_period_days: 7.0,
            forecast: ModelConfig::AutoSelect { season_length: 7, candidates: None, holdout: None, windows: None },
            ordering_cost: 25.0,
            holding_rate: 0.25,
            po_prefix: "PO".into(),
            safety_stock: SafetyStockMethod::Distribution,
            n_paths: 1000,
            seed: 0,
        }
    }
}

impl PlanConfig {
    /// Checks every value; the error names the field.
    pub fn validate(&self) -> Result<()> {
        let sl_ok = |v: f64| v > 0.0 && v < 1.0;
        if !sl_ok(self.service_level) {
            return Err(Error::config("service_level", format!("{} is outside (0, 1), e.g. 0.95", self.service_level)));
        }
        for (cat, &v) in &self.category_service_levels {
            if !sl_ok(v) {
                return Err(Error::config(format!("category_service_levels.{cat}"), format!("{v} is outside (0, 1)")));
            }
        }
        let non_neg = [
            ("review_period_days", self.review_period_days),
            ("ordering_cost", self.ordering_cost),
            ("holding_rate", self.holding_rate),
        ];
        for (name, v) in non_neg {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(name, format!("{v} must be a finite number ≥ 0")));
            }
        }
        if self.safety_stock == SafetyStockMethod::Distribution && self.n_paths == 0 {
            return Err(Error::config("n_paths", "must be at least 1 for distribution-based safety stock"));
        }
        if self.po_prefix.is_empty()
            || !self.po_prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::config("po_prefix", "must be non-empty letters, digits, `-` or `_`"));
        }
        self.forecast.build().map(|_| ())
    }

    /// Parses a TOML configuration.
    pub fn from_toml(text: &str) -> Result<PlanConfig> {
        let c: PlanConfig = toml::from_str(text).map_err(|e| Error::config("(file)", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Parses a JSON configuration (what the bindings pass).
    pub fn from_json(text: &str) -> Result<PlanConfig> {
        let c: PlanConfig = serde_json::from_str(text).map_err(|e| Error::config("(json)", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }
}

/// A whole run's configuration, as one file: `[plan]` and `[ingest]` sections.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunConfig {
    pub plan: PlanConfig,
    pub ingest: crate::ingest::IngestOptions,
}

impl RunConfig {
    /// Parses a TOML run configuration and validates it.
    pub fn from_toml(text: &str) -> Result<RunConfig> {
        let c: RunConfig = toml::from_str(text).map_err(|e| Error::config("(file)", e.to_string()))?;
        c.plan.validate()?;
        Ok(c)
    }
}

/// What the plan decided for a SKU-location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineAction {
    /// An order is proposed.
    Order,
    /// The inventory position covers the reorder point: nothing to order.
    NoOrder,
    /// No supply terms for this SKU(-location): cannot be ordered; listed for the buyer.
    NoSupplier,
}

/// One SKU-location of the plan with every number that produced the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub sku: String,
    pub location: String,
    pub item_name: String,
    pub category: String,
    pub supplier_id: Option<String>,
    pub action: LineAction,
    pub forecast_model: String,
    /// Days of demand history up to the planning date.
    pub history_days: usize,
    /// Stock-out days the forecast treated as missing.
    pub censored_days: usize,
    pub mean_daily_demand: f64,
    pub sigma_daily_demand: f64,
    pub lead_time_days: f64,
    pub lead_time_std_days: f64,
    pub review_period_days: f64,
    pub protection_days: f64,
    pub demand_over_protection: f64,
    pub service_level: f64,
    /// Where the service level came from (`default` or `category:<name>`).
    pub service_level_source: String,
    /// `normal` or `distribution` (see [`SafetyStockMethod`]).
    pub safety_stock_method: String,
    pub z: f64,
    pub safety_stock: f64,
    pub reorder_point: f64,
    pub eoq: f64,
    pub cycle_quantity: f64,
    pub order_up_to: f64,
    pub on_hand: f64,
    pub on_order: f64,
    pub backorders: f64,
    pub reserved: f64,
    pub inventory_position: f64,
    pub below_reorder_point: bool,
    /// Inventory position / mean daily demand (`None` without demand).
    pub days_of_supply: Option<f64>,
    pub net_requirement: f64,
    pub order_quantity: f64,
    /// The rounding steps from net requirement to order quantity.
    pub rounding: Vec<String>,
    pub moq: f64,
    pub pack_size: f64,
    pub max_order: Option<f64>,
    pub unit_cost: f64,
    pub currency: String,
    pub order_value: f64,
    pub order_date: Option<NaiveDate>,
    pub expected_delivery: Option<NaiveDate>,
    pub po_number: Option<String>,
    /// One sentence a buyer can read.
    pub explanation: String,
    /// Planned promotion days within the protection interval (lead time + review).
    #[serde(default)]
    pub promotion_days: usize,
    /// Demand multiplier on promotion days, learnt from past promotions.
    #[serde(default)]
    pub promotion_uplift: Option<f64>,
    /// Where the uplift comes from: `sku` (this SKU-location's past promotions) or
    /// `category:<name>` (its category's, when it has too few of its own).
    #[serde(default)]
    pub promotion_uplift_source: String,
    /// Expected extra demand from the planned promotion days.
    #[serde(default)]
    pub promotion_extra_demand: f64,
    /// Planned event days (holidays, events) within the protection interval.
    #[serde(default)]
    pub event_days: usize,
    /// The events in the protection interval and the uplift applied for each.
    #[serde(default)]
    pub events: Vec<EventUplift>,
    /// Expected extra demand from the planned event days.
    #[serde(default)]
    pub event_extra_demand: f64,
}

/// A planned event in a plan line's protection interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventUplift {
    pub name: String,
    /// Its first day in the protection interval.
    pub first_day: NaiveDate,
    /// Its days in the protection interval.
    pub days: usize,
    /// Demand multiplier on its days, learnt from its past occurrences (`None`: no
    /// past occurrence to learn from, demand not raised).
    pub uplift: Option<f64>,
    /// `sku` (this SKU-location's past days of the event), `category:<name>` (the
    /// category's median) or `all` (every series' median).
    pub source: String,
}

/// The result of planning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub as_of: NaiveDate,
    pub lines: Vec<PlanLine>,
    pub purchase_orders: Vec<PurchaseOrder>,
    pub summary: PlanSummary,
    /// Conditions the buyer should know about (no supplier, stale history, ...).
    pub warnings: Vec<String>,
}

/// Plans every SKU-location of the dataset: the ones in the inventory snapshot and
/// the ones with sales history.
pub fn plan(data: &Dataset, config: &PlanConfig) -> Result<Plan> {
    config.validate()?;
    let forecaster = config.forecast.build()?;
    let model_label = config.forecast.label();
    let as_of = match config.as_of.or_else(|| data.inventory.iter().map(|r| r.as_of).max()) {
        Some(d) => d,
        None => return Err(Error::InvalidInput("no planning date: set `as_of` or give an inventory snapshot".into())),
    };
    let items: HashMap<&str, &Item> = data.items.iter().map(|i| (i.sku.as_str(), i)).collect();
    let inventory: HashMap<(&str, &str), &InventoryRecord> =
        data.inventory.iter().map(|r| ((r.sku.as_str(), r.location.as_str()), r)).collect();
    let mut on_order: HashMap<(&str, &str), f64> = HashMap::new();
    for o in &data.open_orders {
        *on_order.entry((o.sku.as_str(), o.location.as_str())).or_default() += o.open_quantity();
    }
    let mut keys: BTreeSet<(&str, &str)> = inventory.keys().copied().collect();
    keys.extend(data.demand.keys.iter().map(|k| (k.sku.as_str(), k.location.as_str())));
    let keys: Vec<(&str, &str)> = keys.into_iter().collect();

    let mut warnings = Vec::new();
    if let Some(end) = data
        .demand
        .starts
        .iter()
        .zip(&data.demand.offsets[1..])
        .zip(&data.demand.offsets)
        .map(|((s, e), b)| *s + Duration::days((e - b) as i64 - 1))
        .max()
    {
        if end + Duration::days(1) < as_of {
            warnings.push(format!("sales history ends on {end}, {} day(s) before the planning date {as_of}: the days between are not in the forecast", (as_of - end).num_days() - 1));
        }
    }

    let promos_by_sku = promotions_by_sku(data);
    let promo_days = if data.promotions.is_some() { promotion_days(data, &promos_by_sku) } else { Vec::new() };
    let ev_days = event_days(data);
    let uplifts = promotion_uplifts(data, &items, as_of, &promo_days, &ev_days);
    let ev_uplifts = event_uplifts(data, &items, as_of, &ev_days, &promo_days);
    let ctx = LineCtx {
        promos_by_sku: &promos_by_sku,
        uplifts: &uplifts,
        ev_days: &ev_days,
        ev_uplifts: &ev_uplifts,
        promo_days: &promo_days,
        data,
        config,
        forecaster: forecaster.as_ref(),
        model_label: &model_label,
        items: &items,
        inventory: &inventory,
        on_order: &on_order,
        as_of,
    };
    let mut lines: Vec<PlanLine> = keys.par_iter().map(|&(sku, loc)| ctx.line(sku, loc)).collect::<Result<_>>()?;

    let no_supplier = lines.iter().filter(|l| l.action == LineAction::NoSupplier).count();
    if no_supplier > 0 {
        warnings.push(format!("{no_supplier} SKU-location(s) have no supply terms and cannot be ordered"));
    }
    let purchase_orders = build_purchase_orders(&mut lines, &data.suppliers, &config.po_prefix, as_of);
    let summary = summarize(as_of, &lines, &purchase_orders);
    Ok(Plan { as_of, lines, purchase_orders, summary, warnings })
}

struct LineCtx<'a> {
    /// The promotion calendar by SKU.
    promos_by_sku: &'a HashMap<&'a str, Vec<&'a Promotion>>,
    uplifts: &'a Uplifts,
    ev_days: &'a EventDays,
    ev_uplifts: &'a EventUplifts,
    /// Per demand series, its promotion days (empty without a calendar).
    promo_days: &'a [Vec<bool>],
    data: &'a Dataset,
    config: &'a PlanConfig,
    forecaster: &'a dyn ModelSpec,
    model_label: &'a str,
    items: &'a HashMap<&'a str, &'a Item>,
    inventory: &'a HashMap<(&'a str, &'a str), &'a InventoryRecord>,
    on_order: &'a HashMap<(&'a str, &'a str), f64>,
    as_of: NaiveDate,
}

/// The " + promotion N + events M" part of an order explanation.
fn extras(promotion: f64, events: f64) -> String {
    let mut s = String::new();
    if promotion > 0.0 {
        s += &format!(" + promotion {}", fmt_qty(promotion));
    }
    if events != 0.0 {
        s += &format!(" {} events {}", if events > 0.0 { '+' } else { '−' }, fmt_qty(events.abs()));
    }
    s
}

/// Chooses the supply terms for a SKU-location: location-specific terms before
/// all-location terms, then the lowest rank, then the supplier id.
pub fn select_terms<'a>(terms: &'a [SupplyTerms], sku: &str, location: &str) -> Option<&'a SupplyTerms> {
    terms.iter().filter(|t| t.sku == sku && t.location.as_deref().is_none_or(|l| l == location)).min_by(|a, b| {
        (a.location.is_none(), a.rank, &a.supplier_id).cmp(&(b.location.is_none(), b.rank, &b.supplier_id))
    })
}

/// First date on or after `from` that is an order weekday (any day if none given).
pub fn next_order_date(from: NaiveDate, weekdays: &[Weekday]) -> NaiveDate {
    if weekdays.is_empty() {
        return from;
    }
    (0..7).map(|i| from + Duration::days(i)).find(|d| weekdays.contains(&d.weekday())).unwrap_or(from)
}

impl LineCtx<'_> {
    fn line(&self, sku: &str, location: &str) -> Result<PlanLine> {
        let item = self.items.get(sku);
        let terms = select_terms(&self.data.supply_terms, sku, location);
        let inv = self.inventory.get(&(sku, location));
        let category = item.map(|i| i.category.clone()).unwrap_or_default();
        let (service_level, service_level_source) = match self.config.category_service_levels.get(&category) {
            Some(&v) => (v, format!("category:{category}")),
            None => (self.config.service_level, "default".to_string()),
        };
        let review = terms.and_then(|t| t.order_cycle_days).unwrap_or(self.config.review_period_days);
        let lead = terms.map_or(0.0, |t| t.lead_time_days);
        let horizon = (lead + review).ceil() as usize;

        let lead_std = terms.map_or(0.0, |t| t.lead_time_std_days);
        // Planned promotions in the protection interval (long enough for the slowest
        // simulated lead times) and the uplift to apply on their days.
        let series_index = self.data.demand.find(sku, location);
        let reach = (lead + 4.0 * lead_std + review).ceil() as usize + 1;
        let promos = self.promos_by_sku.get(sku).map_or(&[][..], Vec::as_slice);
        let planned: Vec<bool> = (1..=reach as i64)
            .map(|d| {
                let date = self.as_of + Duration::days(d);
                promos.iter().any(|p| p.covers(sku, location, date))
            })
            .collect();
        let (uplift, uplift_source, uplift_days) = match series_index.and_then(|i| self.uplifts.series.get(&i)) {
            Some(&(u, n)) => (Some(u), "sku".to_string(), n),
            None => match self.uplifts.category.get(&category) {
                Some(&u) => (Some(u), format!("category:{category}"), 0),
                None => (None, String::new(), 0),
            },
        };
        let factor = uplift.unwrap_or(1.0);
        let promo_factors: Vec<f64> = planned.iter().map(|&p| if p { factor } else { 1.0 }).collect();
        // Planned events: per day the product of the uplifts of the events covering it.
        let whole = (lead + review).floor() as usize;
        let frac = lead + review - whole as f64;
        let in_protection = whole + usize::from(frac > 0.0);
        let event_list = self.data.events.as_deref().unwrap_or_default();
        let mut events: Vec<EventUplift> = Vec::new();
        let mut event_factors = vec![1.0; reach];
        let mut event_day_count = 0;
        for (d, f) in event_factors.iter_mut().enumerate() {
            let date = self.as_of + Duration::days(d as i64 + 1);
            let mut covered = false;
            for e in event_list.iter().filter(|e| e.covers(location, date)) {
                covered = true;
                let k = self.ev_days.names.iter().position(|n| *n == e.name).unwrap_or(0);
                let (u, source) = match series_index.and_then(|i| self.ev_uplifts.series.get(&(i, k))) {
                    Some(&(u, _)) => (Some(u), "sku".to_string()),
                    None => match self.ev_uplifts.category.get(&(category.clone(), k)) {
                        Some(&u) => (Some(u), format!("category:{category}")),
                        None => (self.ev_uplifts.all.get(&k).copied(), "all".to_string()),
                    },
                };
                *f *= u.unwrap_or(1.0);
                if d < in_protection {
                    match events.iter_mut().find(|x| x.name == e.name) {
                        Some(x) => x.days += 1,
                        None => events.push(EventUplift {
                            name: e.name.clone(),
                            first_day: date,
                            days: 1,
                            uplift: u,
                            source: if u.is_some() { source } else { String::new() },
                        }),
                    }
                }
            }
            event_day_count += usize::from(covered && d < in_protection);
        }
        let day_factors: Vec<f64> = promo_factors.iter().zip(&event_factors).map(|(p, e)| p * e).collect();
        let protection = (self.config.safety_stock == SafetyStockMethod::Distribution).then(|| Protection {
            lead_time_days: lead,
            lead_time_std_days: lead_std,
            review_period_days: review,
            quantile: service_level,
            day_factors: day_factors.clone(),
        });
        // History up to the planning date only; stock-out days are missing (NaN).
        let calendar = self.data.promotions.is_some();
        let with_events = self.data.events.is_some();
        let (forecast, history_days) = match series_index {
            Some(i) => {
                let s = self.data.demand.series(i);
                let days = ((self.as_of - s.start).num_days() + 1).clamp(0, s.quantity.len() as i64) as usize;
                // With a promotion calendar (or events) the model learns the baseline:
                // promotion and event days are left out like stock-out days, and the
                // uplifts come back on the planned days.
                let event_mask = if with_events { self.ev_days.mask(i, days) } else { Vec::new() };
                let y: Vec<f64> = (0..days)
                    .map(|d| {
                        if s.stockout[d] || (calendar && self.promo_days[i][d]) || (with_events && event_mask[d]) {
                            f64::NAN
                        } else {
                            s.quantity[d]
                        }
                    })
                    .collect();
                let opts = FitOptions {
                    non_negative: true,
                    n_paths: self.config.n_paths,
                    seed: self.config.seed,
                    ..FitOptions::default()
                };
                (daily_demand(self.forecaster, &y, horizon, protection.as_ref(), &opts, i)?, days)
            }
            None => (daily_demand(self.forecaster, &[], horizon, protection.as_ref(), &FitOptions::default(), 0)?, 0),
        };
        let model = if forecast.model == self.forecaster.name() {
            self.model_label.to_string()
        } else {
            forecast.model.clone()
        };
        let mean = forecast.mean;
        let unit_cost = terms.and_then(|t| t.unit_cost).or(item.map(|i| i.unit_cost)).unwrap_or(0.0);
        let input = PolicyInput {
            mean_daily_demand: mean,
            sigma_daily_demand: forecast.sigma,
            lead_time_days: lead,
            lead_time_std_days: lead_std,
            review_period_days: review,
            service_level,
            unit_cost,
            ordering_cost: self.config.ordering_cost,
            holding_rate: self.config.holding_rate,
        };
        // Expected extra demand on planned promotion and event days within the
        // protection days (an event on a promotion day raises the promoted demand).
        let promotion_days = planned.iter().take(in_protection).filter(|p| **p).count();
        let weight = |d: usize| if d == whole { frac } else { 1.0 };
        let promo_extra: f64 =
            promo_factors.iter().take(in_protection).enumerate().map(|(d, f)| (f - 1.0) * mean * weight(d)).sum();
        let event_extra: f64 = promo_factors
            .iter()
            .zip(&event_factors)
            .take(in_protection)
            .enumerate()
            .map(|(d, (p, e))| p * (e - 1.0) * mean * weight(d))
            .sum();
        let extra = promo_extra + event_extra;
        let (levels, ss_method) = match forecast.protection {
            Some(p) => (
                policy::levels_from_distribution(&input, p.mean, p.quantile),
                format!("distribution ({}% quantile of {} simulated paths)", service_level * 100.0, p.paths),
            ),
            None => {
                let mut l = policy::levels(&input);
                l.demand_over_protection += extra;
                l.reorder_point += extra;
                l.order_up_to += extra;
                (l, "normal".to_string())
            }
        };
        let pos = InventoryPosition {
            on_hand: inv.map_or(0.0, |r| r.on_hand),
            on_order: self.on_order.get(&(sku, location)).copied().unwrap_or(0.0),
            backorders: inv.map_or(0.0, |r| r.backorders),
            reserved: inv.map_or(0.0, |r| r.reserved),
        };
        let ip = pos.position();
        let below = ip <= levels.reorder_point && levels.order_up_to > 0.0;
        let net = if below { (levels.order_up_to - ip).max(0.0) } else { 0.0 };
        let constraints = OrderConstraints {
            moq: terms.map_or(0.0, |t| t.moq),
            pack_size: terms.map_or(1.0, |t| t.pack_size),
            max_order: terms.and_then(|t| t.max_order),
        };
        let (action, rounded) = match terms {
            None => (LineAction::NoSupplier, policy::Rounded { quantity: 0.0, steps: vec![] }),
            Some(_) => {
                let r = policy::round_order(net, &constraints);
                (if r.quantity > 0.0 { LineAction::Order } else { LineAction::NoOrder }, r)
            }
        };
        let order_date = (action == LineAction::Order)
            .then(|| next_order_date(self.as_of, terms.map_or(&[][..], |t| &t.order_weekdays)));
        let expected_delivery = order_date.map(|d| d + Duration::days(lead.ceil() as i64));
        let explanation = match action {
            LineAction::NoSupplier => "no supply terms for this SKU at this location: add it to suppliers.csv to plan orders".to_string(),
            LineAction::NoOrder => format!(
                "position {} (on hand {} + on order {} − backorders {} − reserved {}) is above the reorder point {}: no order",
                fmt_qty(ip), fmt_qty(pos.on_hand), fmt_qty(pos.on_order), fmt_qty(pos.backorders), fmt_qty(pos.reserved), fmt_qty(levels.reorder_point)
            ),
            LineAction::Order => format!(
                "position {} ≤ reorder point {} (demand {:.2}/day × {} days{} + safety stock {} at {}% service): order up to {}, need {}, order {}",
                fmt_qty(ip), fmt_qty(levels.reorder_point), mean, fmt_qty(levels.protection_days),
                extras(promo_extra, event_extra), fmt_qty(levels.safety_stock),
                service_level * 100.0, fmt_qty(levels.order_up_to), fmt_qty(net), fmt_qty(rounded.quantity)
            ),
        };
        let explanation = match (promotion_days, uplift) {
            (0, _) => explanation,
            (n, None) => format!(
                "{explanation}. {n} planned promotion day(s) in the protection days, but no past promotions to learn an uplift from: demand not raised"
            ),
            (n, Some(u)) => {
                let first = planned.iter().position(|p| *p).map(|d| self.as_of + Duration::days(d as i64 + 1));
                let from = if uplift_source == "sku" {
                    format!("{uplift_days} past promotion days of this SKU here")
                } else {
                    format!("past promotions in category {category}")
                };
                format!(
                    "{explanation}. Includes a promotion from {}: {n} promotion day(s) in the protection days at ×{u:.2} demand (from {from}), +{} units",
                    first.map(|d| d.to_string()).unwrap_or_default(),
                    fmt_qty(promo_extra)
                )
            }
        };
        let explanation = if events.is_empty() {
            explanation
        } else {
            let parts: Vec<String> = events
                .iter()
                .map(|e| {
                    let how = match (e.uplift, e.source.as_str()) {
                        (None, _) => "no past occurrence to learn from, demand not raised".to_string(),
                        (Some(u), "sku") => format!("×{u:.2} demand, from its past days for this SKU here"),
                        (Some(u), "all") => format!("×{u:.2} demand, from its past days over every SKU"),
                        (Some(u), src) => {
                            format!("×{u:.2} demand, from its past days in {}", src.replace("category:", "category "))
                        }
                    };
                    format!("{} from {} ({} day(s), {how})", e.name, e.first_day, e.days)
                })
                .collect();
            let sign = if event_extra < 0.0 { '−' } else { '+' };
            format!(
                "{explanation}. Events in the protection days: {}; {sign}{} units",
                parts.join("; "),
                fmt_qty(event_extra.abs())
            )
        };
        Ok(PlanLine {
            promotion_days,
            promotion_uplift: if promotion_days > 0 { uplift } else { None },
            promotion_uplift_source: if promotion_days > 0 { uplift_source } else { String::new() },
            promotion_extra_demand: promo_extra,
            event_days: event_day_count,
            events,
            event_extra_demand: event_extra,
            sku: sku.to_string(),
            location: location.to_string(),
            item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
            category,
            supplier_id: terms.map(|t| t.supplier_id.clone()),
            action,
            forecast_model: model,
            history_days,
            censored_days: forecast.censored_days,
            mean_daily_demand: mean,
            sigma_daily_demand: forecast.sigma,
            lead_time_days: lead,
            lead_time_std_days: terms.map_or(0.0, |t| t.lead_time_std_days),
            review_period_days: review,
            protection_days: levels.protection_days,
            demand_over_protection: levels.demand_over_protection,
            service_level,
            service_level_source,
            safety_stock_method: ss_method,
            z: levels.z,
            safety_stock: levels.safety_stock,
            reorder_point: levels.reorder_point,
            eoq: levels.eoq,
            cycle_quantity: levels.cycle_quantity,
            order_up_to: levels.order_up_to,
            on_hand: pos.on_hand,
            on_order: pos.on_order,
            backorders: pos.backorders,
            reserved: pos.reserved,
            inventory_position: ip,
            below_reorder_point: below,
            days_of_supply: (mean > 0.0).then(|| ip / mean),
            net_requirement: net,
            order_quantity: rounded.quantity,
            rounding: rounded.steps,
            moq: constraints.moq,
            pack_size: constraints.pack_size,
            max_order: constraints.max_order,
            unit_cost,
            currency: terms.map(|t| t.currency.clone()).unwrap_or_default(),
            order_value: rounded.quantity * unit_cost,
            order_date,
            expected_delivery,
            po_number: None,
            explanation,
        })
    }
}
