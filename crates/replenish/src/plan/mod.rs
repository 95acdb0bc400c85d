//! `plan(data, config) -> Plan`: from a validated dataset to explained plan lines
//! and purchase orders. Pure: no I/O, deterministic, parallel over SKU-locations.

use crate::error::{Error, Result};
use crate::forecast::{classify, series_key, stream, DemandClass};
use crate::forecast::{daily_demand, FitOptions, ModelConfig, ModelSpec, Protection};
use crate::model::*;
use crate::orders::{build_purchase_orders, PurchaseOrder};
use crate::policy::classes::{xyz_of, ClassThresholds};
use crate::policy::coverage::Coverage;
use crate::policy::ltd::{Family, Ltd};
use crate::policy::resample;
use crate::policy::season::{Profile, SeasonCounts};
use crate::policy::target::{self, Protect, Target};
use crate::policy::{self, fmt_qty, OrderConstraints};
use crate::report::{summarize, PlanSummary};
use crate::rules::expr::Value;
use crate::rules::{Applied, Attributes, CompiledRules, LtdMethod, PolicyKind, RuleSet, TargetKind};
use chrono::{Datelike, Duration, NaiveDate};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub mod invariants;
pub mod split;
pub(crate) mod uplift;
pub use split::{PlanGlobals, PlanStats};
use uplift::{
    event_days, event_uplifts, promotion_days, promotion_uplifts, promotions_by_sku, usual_promotions, EventDays,
    EventUplifts, Uplifts, USUAL_WINDOW,
};

/// Planning parameters. Every field has a default; a TOML or JSON file with any
/// subset of them is a valid configuration (`docs/configuration.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanConfig {
    /// Planning date. Default: the latest `as_of` of the inventory snapshot. Text
    /// (`"2026-10-31"`) or, in TOML, a date (`as_of = 2026-10-31`).
    #[serde(deserialize_with = "date_text_or_toml")]
    pub as_of: Option<NaiveDate>,
    /// Default cycle service level target, in (0, 1).
    pub service_level: f64,
    /// Service level per item category, overriding the default.
    pub category_service_levels: BTreeMap<String, f64>,
    /// Review period in days for suppliers without an `order_cycle_days`.
    pub review_period_days: f64,
    /// Forecasting model.
    pub forecast: ModelConfig,
    /// Fixed cost of one order line. With it (and `holding_rate`) the cycle
    /// quantity of the (R,s,S), (s,S) and (s,Q) policies is at least the EOQ; without
    /// it (the default) no EOQ is computed: an invented cost would set order sizes.
    pub ordering_cost: Option<f64>,
    /// Yearly holding cost as a fraction of unit cost, for the EOQ.
    pub holding_rate: f64,
    /// Prefix of generated PO numbers.
    pub po_prefix: String,
    /// How demand over the protection interval is modelled (also read from the
    /// older name `safety_stock`).
    #[serde(alias = "safety_stock")]
    pub lead_time_demand: LtdMethod,
    /// Sample paths per SKU-location for the `distribution` and `bootstrap` methods.
    pub n_paths: usize,
    /// Multiply the `errors` method's days by the assortment's seasonal profile
    /// ([`crate::policy::season`]) when its history holds every period of the year
    /// in two years or more.
    pub seasonal_profile: bool,
    /// The whole assortment's sales by period of the year, for a plan in parts: the
    /// merge of every part's `PlanStats.season` ([`PlanGlobals::season_counts_to_share`]),
    /// given to each part's statistics step so its coverage is measured with the
    /// whole assortment's seasonal profile, as the lines are planned ([`split`]).
    /// A plan in one piece leaves it unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub season_counts: Option<SeasonCounts>,
    /// Correct cycle-service targets of `errors` lines by the coverage the
    /// assortment's levels achieved out of sample on its own past
    /// ([`crate::policy::coverage`]); `false` reads every level at its target.
    pub correct_service: bool,
    /// Seed of those paths (the same seed gives the same plan).
    pub seed: u64,
    /// Default reorder policy: `r_s`, order up to the demand over review period +
    /// lead time at the target.
    pub policy: PolicyKind,
    /// Default service target: `service_level`, `fill_rate` or the minimum cost.
    pub target: TargetKind,
    /// Fill-rate target in (0, 1), used where the target is `fill_rate`.
    pub fill_rate: f64,
    /// Cost per unit short, used where the target is `min_cost`.
    pub shortage_cost: Option<f64>,
    /// Unmet demand is lost (true) or backordered (false, the default), for `min_cost`.
    pub lost_sales: bool,
    /// Segments and per-SKU overrides (`docs/policy.md`).
    pub rules: RuleSet,
    /// Spending caps: lines over them are deferred by priority (`docs/purchase-orders.md`).
    pub budgets: Vec<crate::orders::budget::Budget>,
    /// Time of day the plan's orders go out: after a supplier's `order_cutoff` they
    /// go on its next order day. None: before every cut-off.
    pub order_time: Option<chrono::NaiveTime>,
    /// Learn each supplier-item's lead time from the dataset's receipts (when it has
    /// any) and plan with the learnt mean and spread.
    pub learn_lead_times: bool,
    /// How receipts are weighed against the stated terms.
    pub lead_time_learning: crate::orders::leadtime::LeadTimeLearning,
}

/// An optional date given as `YYYY-MM-DD` text (JSON, TOML) or as a TOML local date.
fn date_text_or_toml<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<NaiveDate>, D::Error> {
    use serde::de::Error as _;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        Text(String),
        Toml(toml::value::Datetime),
    }
    let bad = |v: &dyn std::fmt::Display| D::Error::custom(format!("`{v}` is not a date like 2026-10-31"));
    match Option::<Given>::deserialize(d)? {
        None => Ok(None),
        Some(Given::Text(t)) => NaiveDate::parse_from_str(&t, "%Y-%m-%d").map(Some).map_err(|_| bad(&t)),
        Some(Given::Toml(t)) => match (t.date, t.time, t.offset) {
            (Some(v), None, None) => NaiveDate::from_ymd_opt(i32::from(v.year), u32::from(v.month), u32::from(v.day))
                .map(Some)
                .ok_or_else(|| bad(&t)),
            _ => Err(bad(&t)),
        },
    }
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            as_of: None,
            service_level: 0.95,
            category_service_levels: BTreeMap::new(),
            review_period_days: 7.0,
            forecast: ModelConfig::AutoSelect { season_length: 7, candidates: None, holdout: None, windows: None },
            ordering_cost: None,
            holding_rate: 0.25,
            po_prefix: "PO".into(),
            lead_time_demand: LtdMethod::Auto,
            n_paths: 1000,
            seasonal_profile: true,
            season_counts: None,
            correct_service: true,
            seed: 0,
            policy: PolicyKind::RS,
            target: TargetKind::CycleServiceLevel,
            fill_rate: 0.98,
            shortage_cost: None,
            lost_sales: false,
            rules: RuleSet::default(),
            budgets: Vec::new(),
            order_time: None,
            learn_lead_times: true,
            lead_time_learning: Default::default(),
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
            ("ordering_cost", self.ordering_cost.unwrap_or(0.0)),
            ("holding_rate", self.holding_rate),
        ];
        for (name, v) in non_neg {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(name, format!("{v} must be a finite number ≥ 0")));
            }
        }
        if !(self.fill_rate > 0.0 && self.fill_rate < 1.0) {
            return Err(Error::config("fill_rate", format!("{} is outside (0, 1), e.g. 0.98", self.fill_rate)));
        }
        if let Some(b) = self.shortage_cost {
            if !(b.is_finite() && b > 0.0) {
                return Err(Error::config("shortage_cost", format!("{b} must be a number > 0")));
            }
        }
        if self.target == TargetKind::MinCost && self.shortage_cost.is_none() {
            return Err(Error::config("shortage_cost", "target `min_cost` needs a shortage cost per unit short"));
        }
        if self.n_paths == 0 {
            return Err(Error::config(
                "n_paths",
                "must be at least 1 (sample paths of the distribution and bootstrap methods)",
            ));
        }
        self.rules.check()?;
        crate::orders::budget::check(&self.budgets)?;
        // The learning options are checked even without receipts.
        crate::orders::leadtime::learn_lead_times(&[], &[], &self.lead_time_learning)?;
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

/// A whole run's configuration, as one file: `[plan]`, `[ingest]` and `[report]` sections.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunConfig {
    pub plan: PlanConfig,
    pub ingest: crate::ingest::IngestOptions,
    pub report: crate::report::ReportConfig,
}

impl RunConfig {
    /// Parses a TOML run configuration and validates it.
    pub fn from_toml(text: &str) -> Result<RunConfig> {
        let c: RunConfig = toml::from_str(text).map_err(|e| Error::config("(file)", e.to_string()))?;
        c.plan.validate()?;
        c.report.validate()?;
        Ok(c)
    }
}

/// What the plan decided for a SKU-location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineAction {
    /// An order is proposed.
    Order,
    /// The inventory position covers the reorder point: nothing to order.
    #[default]
    NoOrder,
    /// No supply terms for this SKU(-location): cannot be ordered; listed for the buyer.
    NoSupplier,
    /// An order was due but a budget or the supplier's minimum order deferred it
    /// (see `Plan::deferred`).
    Deferred,
}

/// One SKU-location of the plan with every number that produced the decision.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
    /// The cycle service the line's reorder level (in whole units where demand
    /// comes in units) is expected to give: for a target corrected by the
    /// assortment's out-of-sample coverage, the share of its past review intervals
    /// that levels read at the same probability covered; otherwise the probability of
    /// the protection-interval distribution at the level. At or above a cycle-service
    /// target, by more where whole units leave no level that gives the target itself.
    #[serde(default)]
    pub expected_service_level: f64,
    /// Where the service level came from (`default` or `category:<name>`).
    pub service_level_source: String,
    /// How demand over the protection interval was modelled (see [`LtdMethod`]).
    pub safety_stock_method: String,
    pub z: f64,
    pub safety_stock: f64,
    pub reorder_point: f64,
    /// Economic order quantity; `None` when no ordering cost is configured (or the
    /// line has no demand or holding cost).
    pub eoq: Option<f64>,
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
    /// The order quantity per PO line: one, or several when it exceeds the
    /// supplier's maximum per line.
    #[serde(default)]
    pub order_lines: Vec<f64>,
    /// The rounding steps from net requirement to order quantity.
    pub rounding: Vec<String>,
    pub moq: f64,
    pub pack_size: f64,
    pub max_order: Option<f64>,
    /// The most this line may order under its caps (maximum stock, shelf life, a
    /// rule's maximum order), for top-ups; none when uncapped.
    #[serde(default)]
    pub max_quantity: Option<f64>,
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
    /// Reorder policy (`r_s_s`, `r_s`, `s_q`, `s_s`, `min_max`, `base_stock`, `newsvendor`).
    #[serde(default)]
    pub policy: String,
    /// Service target (`cycle_service_level`, `fill_rate`, `min_cost`); the cycle
    /// service level the levels give is in `service_level`.
    #[serde(default)]
    pub target: String,
    /// The fill rate aimed at, where the target is `fill_rate`.
    #[serde(default)]
    pub fill_rate_target: Option<f64>,
    /// Syntetos–Boylan class of the history (`smooth`, `intermittent`, `erratic`, `lumpy`, `no_demand`).
    #[serde(default)]
    pub demand_class: String,
    /// ABC class by value and XYZ class by weekly variability, over all SKU-locations.
    #[serde(default)]
    pub abc: String,
    #[serde(default)]
    pub xyz: String,
    /// The rules whose `when` held, in the order written.
    #[serde(default)]
    pub segments: Vec<String>,
    /// Per parameter, what set it: `config`, `category:<name>`, `supplier terms`,
    /// `rule:<name>`, `override:<sku>[@<location>]`, or `demand class <class>`.
    #[serde(default)]
    pub parameter_sources: ParameterSources,
    /// When an order is placed: `position ≤ reorder point` or the rule's expression.
    #[serde(default)]
    pub trigger: String,
    /// Safety-stock floors and caps, stock and shelf-life limits that changed a level.
    #[serde(default)]
    pub adjustments: Vec<String>,
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
    /// Order lines deferred by a supplier's minimum order or a budget (least urgent
    /// first within each budget).
    #[serde(default)]
    pub deferred: Vec<crate::orders::budget::Deferral>,
    /// What supplier minimums and truck fill changed.
    #[serde(default)]
    pub supplier_adjustments: Vec<crate::orders::supplier::SupplierAdjustment>,
}

/// Plans every SKU-location of the dataset: the ones in the inventory snapshot and
/// the ones with sales history.
pub fn plan(data: &Dataset, config: &PlanConfig) -> Result<Plan> {
    plan_with(data, config, &crate::progress::Progress::default())
}

/// [`plan`], counting one unit of `progress` per SKU-location planned and stopping
/// with [`Error::Cancelled`] once it is cancelled.
///
/// A plan is four steps, which [`split`] exposes for a run over partitions (Spark,
/// Dask): what the assortment as a whole decides ([`plan_stats`] of each part,
/// merged into [`PlanGlobals`]: the planning date, ABC classes, category uplifts),
/// then each SKU-location's line ([`plan_lines`]), then the supplier minimums,
/// budgets and purchase orders over all lines ([`finish_plan`]).
pub fn plan_with(data: &Dataset, config: &PlanConfig, progress: &crate::progress::Progress) -> Result<Plan> {
    progress.check()?;
    config.validate()?;
    let mut prep = Prepared::new(data, config)?;
    progress.add_total(prep.keys.len());
    let facts = prep.facts();
    let globals = PlanGlobals::merge(config, vec![prep.stats(&facts)])?;
    let lines = prep.lines(&facts, &globals, progress)?;
    finish_plan(lines, &data.items, &data.suppliers, config, &globals)
}

/// What one part of the data (a partition of SKUs, with all their locations) tells
/// the merge: see [`plan_with`].
pub fn plan_stats(data: &Dataset, config: &PlanConfig) -> Result<PlanStats> {
    config.validate()?;
    let prep = Prepared::new(data, config)?;
    let facts = prep.facts();
    Ok(prep.stats(&facts))
}

/// The plan lines of one part of the data, given what the whole assortment decided.
/// Lines are sorted by SKU and location.
pub fn plan_lines(
    data: &Dataset,
    config: &PlanConfig,
    globals: &PlanGlobals,
    progress: &crate::progress::Progress,
) -> Result<Vec<PlanLine>> {
    progress.check()?;
    config.validate()?;
    if config.as_of.is_some_and(|d| d != globals.as_of) {
        return Err(Error::config(
            "as_of",
            format!("is {:?}, the merged statistics plan for {}", config.as_of, globals.as_of),
        ));
    }
    let cfg = PlanConfig { as_of: Some(globals.as_of), ..config.clone() };
    let mut prep = Prepared::new(data, &cfg)?;
    progress.add_total(prep.keys.len());
    let facts = prep.facts();
    prep.lines(&facts, globals, progress)
}

/// The random stream (purpose) of a line's target search: the lost-sales simulation.
const TARGET_STREAM: u64 = 1 << 62;

/// What a line's `forecast_model` says when its history was too short for the
/// configured model, and its `safety_stock_method` when too short for the errors
/// distribution: the plan's warnings count the lines by them.
const SHORT_FOR_MODEL: &str = "history too short for";
const SHORT_FOR_ERRORS: &str = "too little history for errors";

/// Supplier minimums, truck fill, budgets and purchase orders over every plan line
/// (from one [`plan_lines`] call or many, in any order: they are sorted by SKU and
/// location first), and the plan's summary and warnings.
pub fn finish_plan(
    mut lines: Vec<PlanLine>,
    items: &[Item],
    suppliers: &[Supplier],
    config: &PlanConfig,
    globals: &PlanGlobals,
) -> Result<Plan> {
    config.validate()?;
    lines.sort_by(|a, b| (a.sku.as_str(), a.location.as_str()).cmp(&(b.sku.as_str(), b.location.as_str())));
    if let Some(w) = lines.windows(2).find(|w| w[0].sku == w[1].sku && w[0].location == w[1].location) {
        return Err(Error::InvalidInput(format!(
            "{}@{} is planned twice: each SKU (with all its locations) must be in one part only",
            w[0].sku, w[0].location
        )));
    }
    let as_of = globals.as_of;
    let items: HashMap<&str, &Item> = items.iter().map(|i| (i.sku.as_str(), i)).collect();
    let mut warnings = Vec::new();
    if let Some(end) = globals.history_end {
        if end + Duration::days(1) < as_of {
            warnings.push(format!("sales history ends on {end}, {} day(s) before the planning date {as_of}: the days between are not in the forecast", (as_of - end).num_days() - 1));
        }
    }
    // Lines whose history was too short for their model or for the errors distribution.
    let fallbacks = [
        (
            lines.iter().filter(|l| l.forecast_model.contains(SHORT_FOR_MODEL)).collect::<Vec<_>>(),
            "too little history for their forecast model (forecast with HistoricAverage)",
        ),
        (
            lines.iter().filter(|l| l.safety_stock_method.contains(SHORT_FOR_ERRORS)).collect(),
            "too little history for the errors distribution (bootstrap of past days used)",
        ),
    ];
    for (hit, what) in fallbacks {
        if let Some(l) = hit.first() {
            warnings.push(format!("{} SKU-location(s) have {what}, e.g. {}@{}", hit.len(), l.sku, l.location));
        }
    }
    let no_supplier = lines.iter().filter(|l| l.action == LineAction::NoSupplier).count();
    if no_supplier > 0 {
        warnings.push(format!("{no_supplier} SKU-location(s) have no supply terms and cannot be ordered"));
    }
    // Supplier minimums and truck fill first (they add or take out whole POs), then
    // the budgets, which are hard caps.
    let (supplier_adjustments, mut deferred) =
        crate::orders::supplier::apply_supplier_conditions(&mut lines, suppliers, &items);
    for a in &supplier_adjustments {
        if a.kind == "min_order_unmet" {
            warnings.push(a.message.clone());
        }
    }
    let by_budget = crate::orders::budget::apply_budgets(&mut lines, &config.budgets, &items);
    if !by_budget.is_empty() {
        warnings.push(format!(
            "{} order line(s) deferred by budget: {}",
            by_budget.len(),
            by_budget.iter().map(|d| format!("{}@{}", d.sku, d.location)).collect::<Vec<_>>().join(", ")
        ));
    }
    deferred.extend(by_budget);
    let mut purchase_orders = build_purchase_orders(&mut lines, suppliers, &config.po_prefix, as_of);
    crate::orders::supplier::attach_loads(&mut purchase_orders, suppliers, &items);
    let summary = summarize(as_of, &lines, &purchase_orders);
    Ok(Plan { as_of, lines, purchase_orders, summary, warnings, deferred, supplier_adjustments })
}

/// Everything a plan derives from the dataset before planning lines.
struct Prepared<'a> {
    data: &'a Dataset,
    config: &'a PlanConfig,
    rules: CompiledRules,
    /// The extra item columns the rules can read, in their attribute order.
    extra_columns: Vec<String>,
    as_of: NaiveDate,
    items: HashMap<&'a str, &'a Item>,
    /// Supply terms, with lead times learnt from receipts where there are any.
    terms: Vec<SupplyTerms>,
    learnt: HashMap<(String, String), usize>,
    inventory: HashMap<(&'a str, &'a str), &'a InventoryRecord>,
    on_order: HashMap<(&'a str, &'a str), f64>,
    /// Every SKU-location to plan, sorted: the inventory snapshot's and the sales history's.
    keys: Vec<(&'a str, &'a str)>,
    promos_by_sku: HashMap<&'a str, Vec<&'a Promotion>>,
    promo_days: Vec<DayFlags>,
    usual_promo: Vec<Option<f64>>,
    ev_days: EventDays,
    uplifts: Uplifts,
    ev_uplifts: EventUplifts,
    forecasters: HashMap<String, Box<dyn ModelSpec>>,
}

impl<'a> Prepared<'a> {
    fn new(data: &'a Dataset, config: &'a PlanConfig) -> Result<Prepared<'a>> {
        // Extra item columns are rule attributes; a fixed attribute of the same name wins.
        let extra_columns: Vec<String> = data
            .items
            .iter()
            .flat_map(|i| i.attributes.keys())
            .filter(|k| !crate::rules::SEGMENT_ATTRIBUTES.iter().any(|(n, _)| n == k))
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let rules = config.rules.compile_with(&extra_columns)?;
        let as_of = match config.as_of.or_else(|| data.inventory.iter().map(|r| r.as_of).max()) {
            Some(d) => d,
            None => {
                return Err(Error::InvalidInput("no planning date: set `as_of` or give an inventory snapshot".into()))
            }
        };
        let items: HashMap<&str, &Item> = data.items.iter().map(|i| (i.sku.as_str(), i)).collect();
        // Lead times learnt from receipts replace the stated ones (docs/purchase-orders.md).
        let (terms, learnt) = if config.learn_lead_times && !data.receipts.is_empty() {
            use crate::orders::leadtime::{apply_lead_times, learn_lead_times};
            let estimates = learn_lead_times(&data.supply_terms, &data.receipts, &config.lead_time_learning)?;
            let learnt: HashMap<(String, String), usize> = estimates
                .iter()
                .filter(|e| e.receipts > 0)
                .map(|e| ((e.supplier_id.clone(), e.sku.clone()), e.receipts))
                .collect();
            (apply_lead_times(&data.supply_terms, &estimates), learnt)
        } else {
            (data.supply_terms.clone(), HashMap::new())
        };
        let inventory: HashMap<(&str, &str), &InventoryRecord> =
            data.inventory.iter().map(|r| ((r.sku.as_str(), r.location.as_str()), r)).collect();
        let mut on_order: HashMap<(&str, &str), f64> = HashMap::new();
        for o in &data.open_orders {
            *on_order.entry((o.sku.as_str(), o.location.as_str())).or_default() += o.open_quantity();
        }
        let mut keys: BTreeSet<(&str, &str)> = inventory.keys().copied().collect();
        keys.extend(data.demand.keys.iter().map(|k| (k.sku.as_str(), k.location.as_str())));
        let keys: Vec<(&str, &str)> = keys.into_iter().collect();

        let promos_by_sku = promotions_by_sku(data);
        let mut promo_days = if data.promotions.is_some() { promotion_days(data, &promos_by_sku) } else { Vec::new() };
        let usual_promo = usual_promotions(data, as_of, &mut promo_days);
        let ev_days = event_days(data);
        let uplifts = promotion_uplifts(data, &items, as_of, &promo_days, &ev_days);
        let ev_uplifts = event_uplifts(data, &items, as_of, &ev_days, &promo_days);
        let mut forecasters: HashMap<String, Box<dyn ModelSpec>> = HashMap::new();
        for m in std::iter::once(&config.forecast).chain(rules.forecast_models()) {
            forecasters.entry(m.label()).or_insert(m.build()?);
        }
        Ok(Prepared {
            data,
            config,
            rules,
            extra_columns,
            as_of,
            items,
            terms: {
                // By SKU, so that each SKU-location looks at its SKU's terms only. The
                // sort is stable: ties in `select_terms` still go to the earlier row.
                let mut terms = terms;
                terms.sort_by(|a, b| a.sku.cmp(&b.sku));
                terms
            },
            learnt,
            inventory,
            on_order,
            keys,
            promos_by_sku,
            promo_days,
            usual_promo,
            ev_days,
            uplifts,
            ev_uplifts,
            forecasters,
        })
    }

    fn ctx(&self) -> LineCtx<'_> {
        LineCtx {
            promos_by_sku: &self.promos_by_sku,
            uplifts: &self.uplifts,
            ev_days: &self.ev_days,
            ev_uplifts: &self.ev_uplifts,
            promo_days: &self.promo_days,
            usual_promo: &self.usual_promo,
            data: self.data,
            config: self.config,
            rules: &self.rules,
            extra_columns: &self.extra_columns,
            forecasters: &self.forecasters,
            items: &self.items,
            inventory: &self.inventory,
            on_order: &self.on_order,
            as_of: self.as_of,
            classes: HashMap::new(),
            terms: &self.terms,
            learnt: &self.learnt,
            coverage: None,
            season: None,
        }
    }

    fn facts(&self) -> Vec<Facts<'a>> {
        let ctx = self.ctx();
        self.keys.par_iter().map(|&(sku, loc)| ctx.facts(sku, loc)).collect()
    }

    fn stats(&self, facts: &[Facts]) -> PlanStats {
        let history_end = self
            .data
            .demand
            .starts
            .iter()
            .zip(&self.data.demand.offsets[1..])
            .zip(&self.data.demand.offsets)
            .map(|((s, e), b)| *s + Duration::days((e - b) as i64 - 1))
            .max();
        // The part's sales (stock-out days missing) by period of the year, for the
        // assortment's seasonal profile. Promotion days stay in: measured on real
        // demand, a profile of baseline days alone met the targets less closely
        // (docs/benchmarks.md).
        let monthly = self.data.frequency == crate::model::Frequency::Monthly;
        let season = if self.config.seasonal_profile {
            let ctx = self.ctx();
            // Whole-number counts: the order the series are summed in changes nothing.
            facts
                .par_iter()
                .filter_map(|f| f.series)
                .fold(
                    || SeasonCounts::new(monthly),
                    |mut c, i| {
                        c.add(self.data.demand.series(i).start, &ctx.history(Some(i)).1);
                        c
                    },
                )
                .reduce(
                    || SeasonCounts::new(monthly),
                    |mut a, b| {
                        a.merge(&b);
                        a
                    },
                )
        } else {
            SeasonCounts::new(monthly)
        };
        let mut coverage = Coverage::default();
        if self.config.correct_service {
            let ctx = self.ctx();
            // The coverage is measured as the lines are planned: with the whole
            // assortment's seasonal profile (a plan in parts is given it, see `split`).
            let profile = match &self.config.season_counts {
                Some(whole) if self.config.seasonal_profile => whole.profile(),
                _ => season.profile(),
            };
            let values: Vec<(&str, Measured)> = facts
                .par_iter()
                .filter_map(|f| Some((f.class.as_str(), ctx.coverage_values(f, profile.as_ref())?)))
                .collect();
            for (class, (v, fill)) in values {
                coverage.add(class, &v);
                if let Some(fill) = fill {
                    coverage.add_fill(class, &fill);
                }
            }
        }
        let stats = split::stats(
            self.as_of,
            history_end,
            facts,
            &self.uplifts,
            &self.ev_uplifts,
            &self.ev_days.names,
            coverage,
        );
        PlanStats { season, ..stats }
    }

    /// The lines of `facts`, with the assortment's ABC classes and category uplifts.
    fn lines(
        &mut self,
        facts: &[Facts],
        globals: &PlanGlobals,
        progress: &crate::progress::Progress,
    ) -> Result<Vec<PlanLine>> {
        split::apply_uplifts(globals, &mut self.uplifts, &mut self.ev_uplifts, &self.ev_days.names);
        let mut ctx = self.ctx();
        ctx.classes = ctx.abc_xyz(facts, globals)?;
        ctx.coverage = Some(&globals.coverage);
        let season = globals.season.profile().filter(|_| self.config.seasonal_profile);
        ctx.season = season.as_ref();
        facts.par_iter().map(|f| progress.step(|| ctx.line(f))).collect()
    }
}

/// A line's out-of-sample coverage values and, for a fill-rate target, what levels
/// along the grid served ([`LineCtx::coverage_values`]).
type Measured = (Vec<f64>, Option<resample::FillCounts>);

struct LineCtx<'a> {
    /// The promotion calendar by SKU.
    promos_by_sku: &'a HashMap<&'a str, Vec<&'a Promotion>>,
    uplifts: &'a Uplifts,
    ev_days: &'a EventDays,
    ev_uplifts: &'a EventUplifts,
    /// Per demand series, its promotion days (empty without a calendar).
    promo_days: &'a [DayFlags],
    /// Per demand series with a calendar, its share of promotion days when they are
    /// its usual state (then cleared from `promo_days`).
    usual_promo: &'a [Option<f64>],
    data: &'a Dataset,
    config: &'a PlanConfig,
    rules: &'a CompiledRules,
    extra_columns: &'a [String],
    /// Forecast models by label: the configuration's and every rule's.
    forecasters: &'a HashMap<String, Box<dyn ModelSpec>>,
    items: &'a HashMap<&'a str, &'a Item>,
    inventory: &'a HashMap<(&'a str, &'a str), &'a InventoryRecord>,
    on_order: &'a HashMap<(&'a str, &'a str), f64>,
    as_of: NaiveDate,
    /// ABC and XYZ class per (sku, location).
    classes: HashMap<(String, String), (char, char)>,
    /// Supply terms, with lead times learnt from receipts where there are any, by SKU.
    terms: &'a [SupplyTerms],
    /// Receipts behind each learnt (supplier, sku) lead time.
    learnt: &'a HashMap<(String, String), usize>,
    /// The assortment's out-of-sample coverage (set once the parts are merged).
    coverage: Option<&'a Coverage>,
    /// The assortment's seasonal profile, for the `errors` method.
    season: Option<&'a Profile>,
}

/// What is known of a SKU-location before its segment is chosen. Only numbers: the
/// daily history is derived again where a line needs it ([`LineCtx::history`]), so
/// that the facts of a whole assortment take no memory per day.
struct Facts<'a> {
    sku: &'a str,
    location: &'a str,
    series: Option<usize>,
    /// Days of history up to the planning date.
    days: usize,
    /// Sales (stock-out days left out) × unit cost: what ABC ranks.
    value: f64,
    /// XYZ class of the sales.
    xyz: char,
    class: DemandClass,
    adi: f64,
    cv2: f64,
    mean: f64,
    sd: f64,
    unit_cost: f64,
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

/// The terms of one SKU in terms sorted by SKU.
fn terms_of_sku<'t>(sorted: &'t [SupplyTerms], sku: &str) -> &'t [SupplyTerms] {
    let start = sorted.partition_point(|t| t.sku.as_str() < sku);
    let end = start + sorted[start..].partition_point(|t| t.sku == sku);
    &sorted[start..end]
}

/// First date on or after `from` that is an order weekday (any day if none given).
pub fn next_order_date(from: NaiveDate, weekdays: &[Weekday]) -> NaiveDate {
    if weekdays.is_empty() {
        return from;
    }
    (0..7).map(|i| from + Duration::days(i)).find(|d| weekdays.contains(&d.weekday())).unwrap_or(from)
}

/// The day an order goes out: the first of the supplier's order days (the SKU's
/// terms' days, else the supplier's calendar) from `as_of`, skipping `as_of`
/// itself when the order time is past the supplier's cut-off.
pub fn order_day(
    as_of: NaiveDate,
    order_time: Option<chrono::NaiveTime>,
    terms: Option<&SupplyTerms>,
    supplier: Option<&crate::model::Supplier>,
) -> NaiveDate {
    let days = match terms {
        Some(t) if !t.order_weekdays.is_empty() => &t.order_weekdays[..],
        _ => supplier.map_or(&[][..], |s| &s.order_weekdays[..]),
    };
    let late = matches!((order_time, supplier.and_then(|s| s.order_cutoff)), (Some(t), Some(c)) if t > c);
    next_order_date(if late { as_of + Duration::days(1) } else { as_of }, days)
}

/// Per parameter of a plan line, what set it. The names and the common sources
/// (`config`, `supplier terms`) are static text: a million lines share them.
pub type ParameterSources = BTreeMap<Cow<'static, str>, Cow<'static, str>>;

/// The policy, review period (days) and lead-time demand method of a line: a rule's,
/// else the supply terms' order cycle (the review only), else the configuration's,
/// with each source recorded in `sources`.
fn interval_terms(
    cfg: &PlanConfig,
    applied: &Applied,
    terms: Option<&SupplyTerms>,
    sources: &mut ParameterSources,
) -> (PolicyKind, f64, LtdMethod) {
    let src = |s: &'static str| Cow::Borrowed(s);
    let policy = pick(sources, "policy", applied.policy(), (cfg.policy, src("config")));
    let review_default = match terms.and_then(|t| t.order_cycle_days) {
        Some(d) => (d, src("supplier terms")),
        None => (cfg.review_period_days, src("config")),
    };
    let review = pick(sources, "review_period_days", applied.review_period_days(), review_default);
    let method = pick(sources, "lead_time_demand", applied.lead_time_demand(), (cfg.lead_time_demand, src("config")));
    (policy, review, method)
}

/// The days an order protects beyond its lead time under `policy`.
fn protected_review(policy: PolicyKind, review: f64) -> f64 {
    match policy {
        PolicyKind::SQ | PolicyKind::SS => 0.0,
        PolicyKind::BaseStock => 1.0,
        _ => review,
    }
}

/// A parameter's value and the source recorded for it.
fn pick<T: Clone>(
    sources: &mut ParameterSources,
    name: &'static str,
    chosen: Option<crate::rules::Sourced<T>>,
    fallback: (T, Cow<'static, str>),
) -> T {
    let (v, src) = match chosen {
        Some(c) => (c.value, Cow::Owned(c.source)),
        None => fallback,
    };
    sources.insert(Cow::Borrowed(name), src);
    v
}

/// An optional parameter (a constraint): recorded only when some rule sets it.
fn optional(
    sources: &mut ParameterSources,
    name: &'static str,
    chosen: Option<crate::rules::Sourced<f64>>,
) -> Option<f64> {
    chosen.map(|c| {
        sources.insert(Cow::Borrowed(name), Cow::Owned(c.source));
        c.value
    })
}

/// Total day factor over the first `days` days (a fractional last day in proportion).
fn weight(factors: &[f64], days: f64) -> f64 {
    let whole = days.floor() as usize;
    let f = |d: usize| factors.get(d).copied().unwrap_or(1.0);
    (0..whole).map(f).sum::<f64>() + (days - whole as f64) * f(whole)
}

impl LineCtx<'_> {
    /// Days of history up to the planning date, sales (stock-out days missing, NaN)
    /// and what the forecast learns from: sales with promotion and event days missing
    /// too when there is a calendar (the model learns the baseline; the uplifts come
    /// back on the planned days).
    fn history(&self, series: Option<usize>) -> (usize, Vec<f64>, Vec<f64>) {
        let Some(i) = series else { return (0, Vec::new(), Vec::new()) };
        let calendar = self.data.promotions.is_some();
        let with_events = self.data.events.is_some();
        let s = self.data.demand.series(i);
        let days = ((self.as_of - s.start).num_days() + 1).clamp(0, s.quantity.len() as i64) as usize;
        let event_mask = if with_events { self.ev_days.mask(i, days) } else { Vec::new() };
        let sales: Vec<f64> = (0..days).map(|d| if s.stockout[d] { f64::NAN } else { s.quantity[d] }).collect();
        let y = (0..days)
            .map(|d| {
                if (calendar && self.promo_days[i][d]) || (with_events && event_mask[d]) {
                    f64::NAN
                } else {
                    sales[d]
                }
            })
            .collect();
        (days, sales, y)
    }

    /// The history the `errors` method measures: `y` with promotion days back in
    /// (stock-out and event days stay missing) and each day's factor (`uplift` on
    /// promotion days, 1 otherwise). Without a promotion calendar, `y` as it is.
    fn past_with_promotions(&self, series: Option<usize>, y: &[f64], uplift: f64) -> (Vec<f64>, Vec<f64>) {
        let Some(i) = series.filter(|_| self.data.promotions.is_some()) else { return (y.to_vec(), Vec::new()) };
        let s = self.data.demand.series(i);
        let with_events = self.data.events.is_some();
        let event_mask = if with_events { self.ev_days.mask(i, y.len()) } else { Vec::new() };
        let promo = &self.promo_days[i];
        let mut past = vec![1.0; y.len()];
        let values = (0..y.len())
            .map(|d| {
                if promo[d] && !s.stockout[d] && !(with_events && event_mask[d]) {
                    past[d] = uplift;
                    s.quantity[d]
                } else {
                    y[d]
                }
            })
            .collect();
        (values, past)
    }

    /// The `errors` method's history divided by the series' seasonal profile of each
    /// day, the profile of the `ahead` days from tomorrow (empty without a profile)
    /// and the weight of the series' own ratios in it ([`Profile::own`]).
    fn deseasonalised(&self, series: usize, y: Vec<f64>, ahead: usize) -> (Vec<f64>, Vec<f64>, f64) {
        let fit = y.len();
        self.deseasonalised_by(self.season, series, y, fit, ahead)
    }

    /// [`Self::deseasonalised`] with `season` as the assortment's profile and the
    /// series' own ratios fitted on its first `fit` days.
    fn deseasonalised_by(
        &self,
        season: Option<&Profile>,
        series: usize,
        mut y: Vec<f64>,
        fit: usize,
        ahead: usize,
    ) -> (Vec<f64>, Vec<f64>, f64) {
        let Some(assortment) = season else { return (y, Vec::new(), 0.0) };
        let start = self.data.demand.series(series).start;
        let (p, own_weight) = assortment.own(start, &y[..fit.min(y.len())]);
        let profile = p.days(start, y.len());
        for (v, f) in y.iter_mut().zip(profile) {
            *v /= f;
        }
        (y, p.days(self.as_of + Duration::days(1), ahead), own_weight)
    }

    fn facts<'k>(&self, sku: &'k str, location: &'k str) -> Facts<'k> {
        let series = self.data.demand.find(sku, location);
        let (days, sales, y) = self.history(series);
        let seen: Vec<f64> = y.iter().copied().filter(|v| !v.is_nan()).collect();
        let c = classify(&seen);
        let n = seen.len() as f64;
        let mean = if n > 0.0 { seen.iter().sum::<f64>() / n } else { 0.0 };
        let sd = if n > 1.0 { (seen.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt() } else { 0.0 };
        let terms = select_terms(terms_of_sku(self.terms, sku), sku, location);
        let unit_cost = terms.and_then(|t| t.unit_cost).or(self.items.get(sku).map(|i| i.unit_cost)).unwrap_or(0.0);
        let value = sales.iter().filter(|v| !v.is_nan()).sum::<f64>() * unit_cost;
        let xyz = xyz_of(&sales, &ClassThresholds::default()).1;
        Facts { sku, location, series, days, value, xyz, class: c.class, adi: c.adi, cv2: c.cv2, mean, sd, unit_cost }
    }

    /// XYZ from each SKU-location's own demand; ABC from the assortment's ranking.
    fn abc_xyz(&self, facts: &[Facts], globals: &PlanGlobals) -> Result<HashMap<(String, String), (char, char)>> {
        if let Some(v) = facts.iter().map(|f| f.unit_cost).find(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(Error::InvalidInput(format!("unit value {v} must be a number ≥ 0")));
        }
        facts
            .iter()
            .map(|f| match globals.abc_of(f.sku, f.location) {
                Some(abc) => Ok(((f.sku.to_string(), f.location.to_string()), (abc, f.xyz))),
                None => Err(Error::InvalidInput(format!(
                    "{}@{} is not in the merged statistics: plan lines with the globals of the same data",
                    f.sku, f.location
                ))),
            })
            .collect()
    }

    fn attributes(&self, f: &Facts, terms: Option<&SupplyTerms>) -> Attributes {
        let item = self.items.get(f.sku);
        let (abc, xyz) = self.classes.get(&(f.sku.to_string(), f.location.to_string())).copied().unwrap_or(('C', 'Z'));
        let inv = self.inventory.get(&(f.sku, f.location));
        let text = |s: &str| Value::Text(s.to_string());
        let num = Value::Number;
        Attributes::segment(
            vec![
                text(f.sku),
                text(f.location),
                text(item.map_or("", |i| i.category.as_str())),
                text(terms.map_or("", |t| t.supplier_id.as_str())),
                text(item.map_or("", |i| i.name.as_str())),
                text(&abc.to_string()),
                text(&xyz.to_string()),
                text(f.class.as_str()),
                num(f.unit_cost),
                num(item.and_then(|i| i.sell_price).unwrap_or(f64::NAN)),
                num(terms.map_or(f64::NAN, |t| t.lead_time_days)),
                num(terms.map_or(f64::NAN, |t| t.lead_time_std_days)),
                num(terms.map_or(f64::NAN, |t| t.moq)),
                num(terms.map_or(f64::NAN, |t| t.pack_size)),
                num(f.mean),
                num(if f.mean > 0.0 { f.sd / f.mean } else { f64::NAN }),
                num(f.adi),
                num(f.cv2),
                num(f.mean * 365.0 * f.unit_cost),
                num(f.days as f64),
                num(inv.map_or(0.0, |r| r.on_hand)),
                num(self.on_order.get(&(f.sku, f.location)).copied().unwrap_or(0.0)),
                Value::Bool(terms.is_some()),
            ],
            self.extra_columns
                .iter()
                .map(|c| item.and_then(|i| i.attributes.get(c)).cloned().unwrap_or_default())
                .collect(),
        )
    }

    /// The `errors` method's out-of-sample coverage values for a SKU-location
    /// ([`resample::errors_pit`]), with the lead time and the policy, review period
    /// and method its line resolves to ([`interval_terms`], as [`LineCtx::line`]).
    /// Computed before the parts of a split plan are merged, so with what every part
    /// knows alone: rules see ABC class C (the merged classes come later) and
    /// promotion days count at the series' own uplift (1 without one, not the
    /// category's). With `season` (the whole assortment's profile; a plan in parts
    /// is given its counts), the history is read through it as the line reads it,
    /// the series' own months fitted on the days before the measured reviews. `None`
    /// for lines that use another method or have too little history for it.
    fn coverage_values(&self, f: &Facts, season: Option<&Profile>) -> Option<Measured> {
        let terms = select_terms(terms_of_sku(self.terms, f.sku), f.sku, f.location);
        let applied: Applied = self.rules.apply(f.sku, f.location, &self.attributes(f, terms));
        let mut sources = ParameterSources::new();
        let (policy, review, method) = interval_terms(self.config, &applied, terms, &mut sources);
        let target = pick(&mut sources, "target", applied.target(), (self.config.target, Cow::Borrowed("config")));
        if !matches!(method, LtdMethod::Auto | LtdMethod::Errors) {
            return None;
        }
        let i = f.series?;
        let uplift = self.uplifts.series.get(&i).map_or(1.0, |&(u, _)| u);
        let y = self.history(Some(i)).2;
        let (past_y, past) = self.past_with_promotions(Some(i), &y, uplift);
        let at = resample::Interval {
            lead: terms.map_or(0.0, |t| t.lead_time_days),
            lead_std: terms.map_or(0.0, |t| t.lead_time_std_days),
            review: protected_review(policy, review),
            factors: &[],
            block: self.data.frequency.period_days().round() as usize,
            season: &[],
        };
        // The series' own seasonal ratios come from the days before the measured
        // reviews: fitted on the demand they are measured against, they would make
        // the coverage look better than the lines will see it.
        let fit = past_y.len().saturating_sub(resample::pit_days(&at));
        let (past_y, _, _) = self.deseasonalised_by(season, i, past_y, fit, 0);
        // Measured as the policy runs: with lost sales, by replaying it; for a fill
        // rate of an order-up-to policy, also what levels along the grid served.
        let lost_sales = applied.lost_sales().map_or(self.config.lost_sales, |l| l.value);
        let order_up_to = matches!(policy, PolicyKind::RS | PolicyKind::BaseStock);
        let fill_rate = target == TargetKind::FillRate && order_up_to;
        let (values, fill) = resample::errors_coverage(&past_y, &past, &at, lost_sales, fill_rate)?;
        Some((values, fill))
    }

    fn line(&self, f: &Facts) -> Result<PlanLine> {
        let (sku, location) = (f.sku, f.location);
        let item = self.items.get(sku);
        let terms = select_terms(terms_of_sku(self.terms, sku), sku, location);
        let inv = self.inventory.get(&(sku, location));
        let category = item.map(|i| i.category.clone()).unwrap_or_default();
        let attrs = self.attributes(f, terms);
        let applied: Applied = self.rules.apply(sku, location, &attrs);
        let cfg = self.config;
        let mut sources = ParameterSources::new();
        let src = |s: &'static str| Cow::Borrowed(s);

        if let Some(n) = terms.and_then(|t| self.learnt.get(&(t.supplier_id.clone(), sku.to_string()))) {
            sources.insert("lead_time".into(), format!("learnt from {n} receipt(s)").into());
        }
        // Parameters: override > rule > supplier terms > configuration.
        let (policy, review, ltd_set) = interval_terms(cfg, &applied, terms, &mut sources);
        let target = pick(&mut sources, "target", applied.target(), (cfg.target, src("config")));
        let sl_default = match cfg.category_service_levels.get(&category) {
            Some(&v) => (v, format!("category:{category}").into()),
            None => (cfg.service_level, src("config")),
        };
        let service_level_set = pick(&mut sources, "service_level", applied.service_level(), sl_default);
        let fill_rate = pick(&mut sources, "fill_rate", applied.fill_rate(), (cfg.fill_rate, src("config")));
        let shortage_cost = applied
            .shortage_cost()
            .map(|c| (c.value, c.source.into()))
            .or(cfg.shortage_cost.map(|c| (c, src("config"))));
        let lost_sales = pick(&mut sources, "lost_sales", applied.lost_sales(), (cfg.lost_sales, src("config")));
        let forecast_cfg = pick(&mut sources, "forecast", applied.forecast(), (cfg.forecast.clone(), src("config")));
        let ordering_cost = optional(&mut sources, "ordering_cost", applied.ordering_cost()).or_else(|| {
            cfg.ordering_cost.inspect(|_| {
                sources.insert("ordering_cost".into(), src("config"));
            })
        });
        let holding_rate =
            pick(&mut sources, "holding_rate", applied.holding_rate(), (cfg.holding_rate, src("config")));
        let ss_min_units = optional(&mut sources, "safety_stock_min_units", applied.safety_stock_min_units());
        let ss_max_units = optional(&mut sources, "safety_stock_max_units", applied.safety_stock_max_units());
        let ss_min_days = optional(&mut sources, "safety_stock_min_days", applied.safety_stock_min_days());
        let ss_max_days = optional(&mut sources, "safety_stock_max_days", applied.safety_stock_max_days());
        let max_stock_units = optional(&mut sources, "max_stock_units", applied.max_stock_units());
        let max_stock_days = optional(&mut sources, "max_stock_days", applied.max_stock_days());
        let shelf_life = optional(&mut sources, "shelf_life_days", applied.shelf_life_days()).or_else(|| {
            item.and_then(|i| i.shelf_life_days).inspect(|_| {
                sources.insert("shelf_life_days".into(), src("items.csv"));
            })
        });
        let rule_max_order = optional(&mut sources, "max_order", applied.max_order());
        let min_days = optional(&mut sources, "min_days_of_cover", applied.min_days_of_cover());
        let max_days = optional(&mut sources, "max_days_of_cover", applied.max_days_of_cover());
        if let Some((_, s)) = &shortage_cost {
            sources.insert("shortage_cost".into(), s.clone());
        }
        if target != TargetKind::CycleServiceLevel {
            sources.remove("service_level");
        }
        if target != TargetKind::FillRate {
            sources.remove("fill_rate");
        }
        if target != TargetKind::MinCost {
            sources.remove("shortage_cost");
            sources.remove("lost_sales");
        }
        let forecaster = self
            .forecasters
            .get(&forecast_cfg.label())
            .ok_or_else(|| Error::Internal(format!("forecast model {} not built", forecast_cfg.label())))?;
        let model_label = forecast_cfg.label();

        let lead = terms.map_or(0.0, |t| t.lead_time_days);
        let lead_std = terms.map_or(0.0, |t| t.lead_time_std_days);
        let review_eff = protected_review(policy, review);
        let horizon = (lead + review_eff).ceil().max(1.0) as usize;

        // Planned promotions in the protection interval (long enough for the slowest
        // simulated lead times) and the uplift to apply on their days.
        let series_index = f.series;
        let reach = (lead + 9.0 * lead_std + review_eff).ceil() as usize + 2;
        let promos = self.promos_by_sku.get(sku).map_or(&[][..], Vec::as_slice);
        let planned: Vec<bool> = (1..=reach as i64)
            .map(|d| {
                let date = self.as_of + Duration::days(d);
                promos.iter().any(|p| p.covers(sku, location, date))
            })
            .collect();
        let usual = series_index.and_then(|i| self.usual_promo.get(i).copied().flatten());
        let (uplift, uplift_source, uplift_days) = match series_index.and_then(|i| self.uplifts.series.get(&i)) {
            Some(&(u, n)) => (Some(u), "sku".to_string(), n),
            None if usual.is_some() => (Some(1.0), "usual".to_string(), 0),
            None => match self.uplifts.category.get(&category) {
                Some(&u) => (Some(u), format!("category:{category}"), 0),
                None => (None, String::new(), 0),
            },
        };
        let factor = uplift.unwrap_or(1.0);
        let promo_factors: Vec<f64> = planned.iter().map(|&p| if p { factor } else { 1.0 }).collect();
        // Planned events: per day the product of the uplifts of the events covering it.
        let whole = (lead + review_eff).floor() as usize;
        let frac = lead + review_eff - whole as f64;
        let in_protection = whole + usize::from(frac > 0.0);
        let event_list = self.data.events.as_deref().unwrap_or_default();
        let mut events: Vec<EventUplift> = Vec::new();
        let mut event_factors = vec![1.0; reach];
        let mut event_day_count = 0;
        for (d, fct) in event_factors.iter_mut().enumerate() {
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
                *fct *= u.unwrap_or(1.0);
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

        // How lead-time demand is modelled; `auto` by demand class.
        let method = match ltd_set {
            LtdMethod::Auto => {
                // Measured on real demand of every class (docs/benchmarks.md): the
                // errors method meets the targets more closely with less stock than
                // the model's own paths or independent resampled days.
                let m = LtdMethod::Errors;
                let source = match &*sources["lead_time_demand"] {
                    "config" => Cow::Borrowed("config (auto: errors)"),
                    set => Cow::Owned(format!("{set} (auto: errors)")),
                };
                sources.insert("lead_time_demand".into(), source);
                m
            }
            m => m,
        };
        let protection = (method == LtdMethod::Distribution).then(|| Protection {
            lead_time_days: lead,
            lead_time_std_days: lead_std,
            review_period_days: review_eff,
            quantile: 0.5,
            day_factors: day_factors.clone(),
        });
        // Random streams are keyed by the SKU-location, not its position, so a plan of
        // a subset (one Spark or Dask partition) draws the same paths for it.
        let stream_key = series_key(&format!("{sku}\u{1f}{}", f.location));
        let y = self.history(series_index).2;
        let opts = FitOptions { non_negative: true, n_paths: cfg.n_paths, seed: cfg.seed, ..FitOptions::default() };
        let forecast = if series_index.is_some() {
            daily_demand(forecaster.as_ref(), &y, horizon, protection.as_ref(), &opts, stream_key)?
        } else {
            daily_demand(forecaster.as_ref(), &[], horizon, protection.as_ref(), &FitOptions::default(), 0)?
        };
        // The configured model, and for a selecting one what it chose here and over which.
        let model = match (forecast.model == forecaster.name(), &forecast.chosen) {
            (true, Some(chosen)) => format!("{model_label}: {chosen}"),
            (true, None) => model_label,
            (false, _) => format!("{} ({SHORT_FOR_MODEL} {model_label})", forecast.model),
        };
        let mean = forecast.mean;
        let sigma = forecast.sigma;
        let unit_cost = f.unit_cost;

        // Demand over the protection interval (lead time + review) and over the lead time alone.
        let w = |days: f64| weight(&day_factors, days);
        // The daily rate the levels rest on: the forecast's mean, or the errors
        // method's own recent level.
        let mut errors_level: Option<f64> = None;
        // The seasonal profile's mean over the interval the errors method multiplied by.
        let mut season_factor = 1.0;
        // Whether the levels rest on the errors method's own distribution.
        let mut from_errors = false;
        // Days of one sales period: days of a spread weekly or monthly total move together.
        let period = self.data.frequency.period_days();
        let period_text = if period > 1.0 {
            format!(
                "; day variance × {} for {} sales spread over their days",
                fmt_qty(period),
                self.data.frequency.as_str()
            )
        } else {
            String::new()
        };
        let (ltd_p, ltd_l, method_text) = match method {
            LtdMethod::Distribution => {
                let p = forecast.protection.clone().unwrap_or_default();
                let n = p.paths;
                let (p_totals, l_totals) =
                    if p.totals.is_empty() { (vec![0.0], vec![0.0]) } else { (p.totals, p.lead_totals) };
                (
                    Ltd::empirical(p_totals)?,
                    Ltd::empirical(l_totals)?,
                    format!("distribution ({n} simulated paths of the forecast model)"),
                )
            }
            LtdMethod::Bootstrap | LtdMethod::Errors => {
                let mut rng = stream(cfg.seed, stream_key, 2);
                let at = resample::Interval {
                    lead,
                    lead_std,
                    review: review_eff,
                    factors: &day_factors,
                    block: period.round() as usize,
                    season: &[],
                };
                let boot = format!("bootstrap ({} resampled paths of past days", cfg.n_paths);
                // Promotion days stay in the history at their uplift: the errors
                // then measure what forecasting them missed by.
                // With a seasonal profile (the assortment's, with the series' own
                // months where they stand out): the history divided by it, the
                // interval multiplied by its mean over the interval's days.
                let (mut season_mean, mut own_weight) = (None, 0.0);
                let fitted = if let (LtdMethod::Errors, Some(i)) = (method, series_index) {
                    let (past_y, past) = self.past_with_promotions(series_index, &y, factor);
                    let (past_y, season, own) = self.deseasonalised(i, past_y, reach);
                    own_weight = own;
                    if !season.is_empty() {
                        season_mean = Some(weight(&season, lead + review_eff) / (lead + review_eff).max(1e-9));
                    }
                    let at = resample::Interval { season: &season, ..at };
                    resample::errors_ltd(&past_y, &past, &at, cfg.n_paths, &mut rng)?
                } else {
                    None
                };
                match fitted {
                    Some((p, l, fit)) => {
                        errors_level = Some(fit.level);
                        from_errors = true;
                        season_factor = season_mean.unwrap_or(1.0);
                        let season_text = match (season_mean, self.season) {
                            (Some(m), Some(profile)) if own_weight > 0.0 => format!(
                                " × the assortment's {} profile with the series' own months (weight {:.2}), {} on average over the interval,",
                                profile.period_name(),
                                own_weight,
                                fmt_qty(m)
                            ),
                            (Some(m), Some(profile)) => format!(
                                " × the assortment's {} profile, {} on average over the interval,",
                                profile.period_name(),
                                fmt_qty(m)
                            ),
                            _ => String::new(),
                        };
                        (
                        p,
                        l,
                        format!(
                            "errors (negative binomial on today's level {}/day{season_text} over the interval plus the errors of that forecast from {} past origins, smoothing weight {})",
                            fmt_qty(fit.level),
                            fit.origins,
                            fit.alpha
                        ),
                    )
                    }
                    None => {
                        let (p, l) = resample::bootstrap_ltd(&y, &at, cfg.n_paths, &mut rng)?;
                        let why = if method == LtdMethod::Errors {
                            format!("; {SHORT_FOR_ERRORS}: fewer than {} past origins", resample::MIN_ORIGINS)
                        } else {
                            String::new()
                        };
                        (p, l, format!("{boot}{why})"))
                    }
                }
            }
            LtdMethod::Normal => {
                // The textbook approximation: mean d̄·P, variance P·σ_d² + d̄²·σ_L²
                // (σ_d² × the period's days when weekly or monthly totals were spread
                // over their days: those days move together).
                let p_days = lead + review_eff;
                let sd = |days: f64| (days * period * sigma * sigma + mean * mean * lead_std * lead_std).sqrt();
                (
                    Ltd::normal(mean * w(p_days), sd(p_days)),
                    Ltd::normal(mean * w(lead), sd(lead)),
                    format!("normal{period_text}"),
                )
            }
            LtdMethod::Poisson | LtdMethod::NegativeBinomial | LtdMethod::Gamma => {
                let family = match method {
                    LtdMethod::Poisson => Family::Poisson,
                    LtdMethod::Gamma => Family::Gamma,
                    _ => Family::NegativeBinomial,
                };
                let sigma = sigma * period.sqrt();
                let p = Ltd::parametric(family, mean, sigma, lead, lead_std, review_eff, &w)?;
                let l = Ltd::parametric(family, mean, sigma, lead, lead_std, 0.0, &w)?;
                (p, l, format!("{} over random lead times{period_text}", family.as_str()))
            }
            LtdMethod::Auto => unreachable!("resolved above"),
        };
        let mean_p = ltd_p.mean();

        // Cycle quantity: a review period's demand, or the EOQ where it is larger and
        // the user gave an ordering cost (an invented one would set order sizes).
        let h_year = holding_rate * unit_cost;
        let annual = 365.0 * mean;
        let eoq = ordering_cost
            .filter(|_| h_year > 0.0 && annual > 0.0)
            .and_then(|k| crate::policy::formulas::eoq(k, h_year, annual).ok())
            .map(|e| e.quantity);
        let cycle_quantity = eoq.unwrap_or(0.0).max(mean * review_eff);
        let order_up_to_policy = matches!(policy, PolicyKind::RS | PolicyKind::BaseStock | PolicyKind::Newsvendor);

        // The service target → the protection level (`policy::target`).
        let newsvendor = if policy == PolicyKind::Newsvendor {
            Target::newsvendor(item.and_then(|i| i.sell_price), unit_cost)
        } else {
            None
        };
        // A fill rate of an order-up-to policy is read where the assortment's levels
        // served it (`Coverage::fill_probability`); the re-read distribution is the
        // fallback, built only where that reads nothing.
        let coverage = self.coverage.filter(|_| from_errors && cfg.correct_service);
        let fill_rate_line = newsvendor.is_none() && target == TargetKind::FillRate;
        let replayed = coverage
            .filter(|_| fill_rate_line && order_up_to_policy && policy != PolicyKind::Newsvendor)
            .and_then(|c| c.fill_probability(f.class.as_str(), fill_rate));
        let recalibration = coverage
            .filter(|_| fill_rate_line && replayed.is_none())
            .and_then(|c| c.recalibration(f.class.as_str(), fill_rate));
        let line_target = match (newsvendor, target) {
            (Some(t), _) => {
                sources.insert("service_level".into(), "newsvendor (price and cost)".into());
                t
            }
            // Read where the assortment's out-of-sample coverage says (`policy::coverage`).
            (None, TargetKind::CycleServiceLevel) => self
                .coverage
                .filter(|_| from_errors && cfg.correct_service)
                .and_then(|c| c.probability(f.class.as_str(), service_level_set))
                .map_or(Target::CycleService(service_level_set), |corrected| Target::CorrectedCycleService {
                    target: service_level_set,
                    corrected,
                }),
            // Read where levels served the target's share of the assortment's past
            // demand (order-up-to); else met on the distribution as the
            // assortment's coverage values fell.
            (None, TargetKind::FillRate) => match replayed {
                Some(corrected) => Target::ReplayedFillRate { target: fill_rate, corrected, lost_sales },
                None => recalibration.as_ref().map_or(Target::FillRate(fill_rate), |r| Target::CorrectedFillRate {
                    target: fill_rate,
                    recalibration: r,
                }),
            },
            (None, TargetKind::MinCost) => {
                let Some((b, _)) = shortage_cost.clone() else {
                    return Err(Error::config(
                        "shortage_cost",
                        format!("target `min_cost` for {sku} at {location} needs a shortage cost per unit short"),
                    ));
                };
                let coverage =
                    self.coverage.filter(|_| from_errors && cfg.correct_service).map(|c| (c, f.class.as_str()));
                Target::MinCost { shortage_cost: b, lost_sales, coverage }
            }
        };
        let protect = Protect {
            interval: &ltd_p,
            lead: &ltd_l,
            order_up_to: order_up_to_policy,
            cycle_quantity,
            mean_daily: mean,
            review_days: review_eff,
            lead_days: lead,
            holding_per_unit_year: h_year,
        };
        let protection =
            target::protection_level(line_target, &protect, &mut stream(cfg.seed, stream_key, TARGET_STREAM))?;
        let protected = (protection.level, protection.service_level);
        let (mut level, mut service_level, mut target_text) =
            (protection.level, protection.service_level, protection.text);

        // Safety stock floors and caps.
        let mut adjustments = Vec::new();
        let mut safety_stock = level - mean_p;
        let floor =
            [ss_min_units, ss_min_days.map(|d| d * mean)].into_iter().flatten().fold(f64::NEG_INFINITY, f64::max);
        let cap = [ss_max_units, ss_max_days.map(|d| d * mean)].into_iter().flatten().fold(f64::INFINITY, f64::min);
        if safety_stock < 0.0 && floor <= 0.0 {
            // A skewed lead-time demand (rare large orders) can put the service
            // quantile below the mean; the plan never holds negative safety stock.
            adjustments.push(format!(
                "safety stock {} (the {:.1}% quantile of lead-time demand is below its mean) raised to 0",
                fmt_qty(safety_stock),
                service_level * 100.0
            ));
            safety_stock = 0.0;
        } else if safety_stock < floor {
            adjustments.push(format!("safety stock {} raised to its floor {}", fmt_qty(safety_stock), fmt_qty(floor)));
            safety_stock = floor;
        } else if safety_stock > cap {
            adjustments.push(format!("safety stock {} capped at {}", fmt_qty(safety_stock), fmt_qty(cap)));
            safety_stock = cap;
        }
        level = mean_p + safety_stock;

        // Reorder point s and order-up-to level S by policy.
        let (mut reorder_point, mut order_up_to) = match policy {
            PolicyKind::RS | PolicyKind::BaseStock | PolicyKind::Newsvendor => (level, level),
            PolicyKind::RsS | PolicyKind::SS | PolicyKind::SQ => (level, level + cycle_quantity),
            PolicyKind::MinMax => {
                let s = min_days.map_or(level, |d| d * mean);
                (s, max_days.map_or(s + cycle_quantity, |d| (d * mean).max(s)))
            }
        };
        if policy == PolicyKind::MinMax && min_days.is_some() {
            safety_stock = reorder_point - mean_p;
            if safety_stock < 0.0 {
                adjustments.push(format!(
                    "the min of {} days of cover is below the lead-time demand {}: no safety stock",
                    fmt_qty(min_days.unwrap_or(0.0)),
                    fmt_qty(mean_p)
                ));
                safety_stock = 0.0;
            }
            service_level = ltd_p.cdf(reorder_point);
            target_text = format!(
                "min {} days of cover (cycle service {:.1}%)",
                fmt_qty(min_days.unwrap_or(0.0)),
                service_level * 100.0
            );
        }
        let stock_cap =
            [max_stock_units, max_stock_days.map(|d| d * mean)].into_iter().flatten().fold(f64::INFINITY, f64::min);
        if order_up_to > stock_cap {
            adjustments.push(format!(
                "order-up-to {} capped at the maximum stock {}",
                fmt_qty(order_up_to),
                fmt_qty(stock_cap)
            ));
            order_up_to = stock_cap;
            reorder_point = reorder_point.min(order_up_to);
        }

        // The service the final (whole) reorder level is expected to give, as the
        // target was read: above the target where one unit is a large step.
        let expected_service = match line_target {
            // The fill-rate level's cycle service on the re-read distribution, found with it.
            Target::CorrectedFillRate { .. } if reorder_point == protected.0 => protected.1,
            _ => target::expected_service(line_target, &ltd_p, self.coverage, f.class.as_str(), reorder_point),
        };
        if matches!(line_target, Target::CycleService(_) | Target::CorrectedCycleService { .. })
            && expected_service > service_level_set + 0.005
            && adjustments.is_empty()
        {
            target_text = format!(
                "{target_text}; the smallest level that reaches it, the {}, is expected to give {:.1}%",
                if order_up_to_policy { "order-up-to level" } else { "reorder point" },
                expected_service * 100.0
            );
        }

        let pos = InventoryPosition {
            on_hand: inv.map_or(0.0, |r| r.on_hand),
            on_order: self.on_order.get(&(sku, location)).copied().unwrap_or(0.0),
            backorders: inv.map_or(0.0, |r| r.backorders),
            reserved: inv.map_or(0.0, |r| r.reserved),
        };
        let ip = pos.position();
        let below = ip <= reorder_point && order_up_to > 0.0;
        let (trigger_text, fire) = match applied.order_when() {
            Some((expr, source)) => {
                sources.insert("order_when".into(), source.to_string().into());
                let env = attrs.with_plan([
                    pos.backorders,
                    pos.reserved,
                    ip,
                    mean,
                    ltd_l.mean(),
                    mean_p,
                    safety_stock,
                    reorder_point,
                    order_up_to,
                    review_eff,
                ]);
                (expr.source().to_string(), expr.test(&env.0))
            }
            None => ("position ≤ reorder point".to_string(), below),
        };
        let net = if !fire {
            0.0
        } else if policy == PolicyKind::SQ {
            // Enough multiples of Q to lift the position above s (one at least).
            let q = cycle_quantity.max(1.0);
            (((reorder_point - ip) / q).floor().max(0.0) + 1.0) * q
        } else {
            (order_up_to - ip).max(0.0)
        };
        let constraints = OrderConstraints {
            moq: terms.map_or(0.0, |t| t.moq),
            pack_size: terms.map_or(1.0, |t| t.pack_size),
            max_order: terms.and_then(|t| t.max_order),
        };
        let mut caps: Vec<(f64, String)> = Vec::new();
        if let Some(m) = rule_max_order {
            caps.push((m, format!("max order ({})", sources.get("max_order").cloned().unwrap_or_default())));
        }
        if stock_cap.is_finite() {
            caps.push(((stock_cap - ip).max(0.0), "maximum stock".into()));
        }
        if let Some(life) = shelf_life {
            // What arrives must sell within its shelf life: the position after the
            // order may not exceed demand over lead time + shelf life.
            caps.push(((mean * (lead + life) - ip).max(0.0), format!("shelf life {} days", fmt_qty(life))));
        }
        let (action, rounded) = match terms {
            None => (LineAction::NoSupplier, policy::Rounded { quantity: 0.0, lines: vec![], steps: vec![] }),
            Some(_) => {
                let r = policy::round_order_capped(net, &constraints, &caps);
                (if r.quantity > 0.0 { LineAction::Order } else { LineAction::NoOrder }, r)
            }
        };
        let order_date = (action == LineAction::Order).then(|| {
            let supplier = terms.and_then(|t| self.data.suppliers.iter().find(|s| s.id == t.supplier_id));
            order_day(self.as_of, self.config.order_time, terms, supplier)
        });
        let expected_delivery = order_date.map(|d| d + Duration::days(lead.ceil() as i64));

        // Expected extra demand on planned promotion and event days within the
        // protection days (an event on a promotion day raises the promoted demand).
        let promotion_days = planned.iter().take(in_protection).filter(|p| **p).count();
        let dw = |d: usize| if d == whole { frac } else { 1.0 };
        let rate = errors_level.map_or(mean, |l| l * season_factor);
        let promo_extra: f64 =
            promo_factors.iter().take(in_protection).enumerate().map(|(d, x)| (x - 1.0) * rate * dw(d)).sum();
        let event_extra: f64 = promo_factors
            .iter()
            .zip(&event_factors)
            .take(in_protection)
            .enumerate()
            .map(|(d, (p, e))| p * (e - 1.0) * rate * dw(d))
            .sum();
        let protection_days = lead + review_eff;
        let level_name = if order_up_to_policy { "order-up-to level" } else { "reorder point" };
        let basis = match errors_level {
            Some(l) => format!(
                " (from today's level {}/day{} and its past errors; the forecast says {}/day)",
                fmt_qty(l),
                if season_factor == 1.0 { String::new() } else { format!(" × season {}", fmt_qty(season_factor)) },
                fmt_qty(mean)
            ),
            None => String::new(),
        };
        let why = format!(
            "expected demand {} over {} days{basis}{} + safety stock {} for {target_text}",
            fmt_qty(mean_p - promo_extra - event_extra),
            fmt_qty(protection_days),
            extras(promo_extra, event_extra),
            fmt_qty(safety_stock)
        );
        let explanation = match action {
            LineAction::NoSupplier => "no supply terms for this SKU at this location: add it to suppliers.csv to plan orders".to_string(),
            LineAction::NoOrder if applied.order_when().is_some() && !fire => format!(
                "order_when `{trigger_text}` does not hold (position {}, {level_name} {}): no order",
                fmt_qty(ip), fmt_qty(reorder_point)
            ),
            LineAction::NoOrder if !fire => format!(
                "position {} (on hand {} + on order {} − backorders {} − reserved {}) is above the {level_name} {} ({why}): no order",
                fmt_qty(ip), fmt_qty(pos.on_hand), fmt_qty(pos.on_order), fmt_qty(pos.backorders), fmt_qty(pos.reserved), fmt_qty(reorder_point)
            ),
            LineAction::NoOrder => format!(
                "position {} ≤ {level_name} {} ({why}), but {}: no order",
                fmt_qty(ip), fmt_qty(reorder_point),
                rounded.steps.last().cloned().unwrap_or_else(|| format!("it already reaches the order-up-to level {}", fmt_qty(order_up_to)))
            ),
            LineAction::Order | LineAction::Deferred => {
                let when = match applied.order_when() {
                    Some(_) => format!("order_when `{trigger_text}` holds (position {}, {level_name} {}, {why})", fmt_qty(ip), fmt_qty(reorder_point)),
                    None => format!("position {} ≤ {level_name} {} ({why})", fmt_qty(ip), fmt_qty(reorder_point)),
                };
                let how = if policy == PolicyKind::SQ {
                    format!("order {} × Q {}", fmt_qty((net / cycle_quantity.max(1.0)).round()), fmt_qty(cycle_quantity.max(1.0)))
                } else {
                    format!("order up to {}", fmt_qty(order_up_to))
                };
                format!("{when}: {how}, need {}, order {}", fmt_qty(net), fmt_qty(rounded.quantity))
            }
        };
        let explanation = match (promotion_days, uplift, usual) {
            (0, _, _) => explanation,
            (n, _, Some(share)) => format!(
                "{explanation}. {n} planned promotion day(s) in the protection days: promotion is this SKU's usual state here ({:.0}% of its last {USUAL_WINDOW} days), so demand is learnt from every day and not raised",
                share * 100.0
            ),
            (n, None, None) => format!(
                "{explanation}. {n} planned promotion day(s) in the protection days, but no past promotions to learn an uplift from: demand not raised"
            ),
            (n, Some(u), None) => {
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
        let explanation = if adjustments.is_empty() {
            explanation
        } else {
            format!("{explanation}. Adjusted: {}", adjustments.join("; "))
        };
        let (abc, xyz) = self.classes.get(&(sku.to_string(), location.to_string())).copied().unwrap_or(('C', 'Z'));
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
            history_days: f.days,
            censored_days: forecast.censored_days,
            mean_daily_demand: mean,
            sigma_daily_demand: sigma,
            lead_time_days: lead,
            lead_time_std_days: lead_std,
            review_period_days: review_eff,
            protection_days,
            demand_over_protection: mean_p,
            service_level,
            expected_service_level: expected_service,
            service_level_source: sources
                .get("service_level")
                .map_or_else(|| target.as_str().to_string(), |s| s.to_string()),
            safety_stock_method: method_text,
            z: if service_level > 0.0 && service_level < 1.0 {
                policy::standard_normal_quantile(service_level)
            } else {
                f64::NAN
            },
            safety_stock,
            reorder_point,
            eoq,
            cycle_quantity,
            order_up_to,
            on_hand: pos.on_hand,
            on_order: pos.on_order,
            backorders: pos.backorders,
            reserved: pos.reserved,
            inventory_position: ip,
            below_reorder_point: below,
            days_of_supply: (mean > 0.0).then(|| ip / mean),
            net_requirement: net,
            order_quantity: rounded.quantity,
            order_lines: rounded.lines,
            rounding: rounded.steps,
            moq: constraints.moq,
            pack_size: constraints.pack_size,
            max_order: constraints.max_order,
            max_quantity: caps.iter().map(|c| c.0).min_by(f64::total_cmp),
            unit_cost,
            currency: terms.map(|t| t.currency.clone()).unwrap_or_default(),
            order_value: rounded.quantity * unit_cost,
            order_date,
            expected_delivery,
            po_number: None,
            explanation,
            policy: policy.as_str().to_string(),
            target: if matches!(line_target, Target::Newsvendor { .. }) {
                "newsvendor".to_string()
            } else {
                target.as_str().to_string()
            },
            fill_rate_target: matches!(
                line_target,
                Target::FillRate(_) | Target::CorrectedFillRate { .. } | Target::ReplayedFillRate { .. }
            )
            .then_some(fill_rate),
            demand_class: f.class.as_str().to_string(),
            abc: abc.to_string(),
            xyz: xyz.to_string(),
            segments: applied.segments.clone(),
            parameter_sources: sources,
            trigger: trigger_text,
            adjustments,
        })
    }
}
