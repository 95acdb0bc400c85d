//! Rules: segments of SKU-locations chosen by filter expressions, each setting
//! planning parameters, plus per-SKU overrides. Written as configuration (the
//! `[[rules]]` and `[[overrides]]` tables of a TOML file, or the same objects as
//! JSON from Python and Node) and checked when loaded: an unknown attribute, a type
//! error or a syntax error in an expression is reported with the rule, the field and
//! the character column (see [`expr`]).
//!
//! How a parameter of a SKU-location is chosen, last word first:
//! 1. an override naming its SKU and location, then one naming its SKU alone;
//! 2. of the rules whose `when` holds, the one with the highest `priority` that sets
//!    the parameter (equal priorities: the one listed first);
//! 3. the supplier's terms (review period from `order_cycle_days`);
//! 4. the plan configuration (`category_service_levels`, then the defaults).
//!
//! Each plan line records, per parameter, which of these set it.

pub mod expr;

use crate::error::{Error, Result};
use crate::forecast::ModelConfig;
use expr::{Expr, Schema, Type, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The reorder policy of a SKU-location.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// Periodic review: every review, if the position is at or below s, order up to
    /// S = s + Q. s covers demand over lead time + review period. The default.
    #[default]
    #[serde(rename = "r_s_s")]
    RsS,
    /// Periodic review, order up to S at every review.
    #[serde(rename = "r_s")]
    RS,
    /// Continuous review: at or below s, order a multiple of Q. s covers the lead time.
    #[serde(rename = "s_q")]
    SQ,
    /// Continuous review: at or below s, order up to S = s + Q.
    #[serde(rename = "s_s")]
    SS,
    /// Min/max in days of cover: at or below min order up to max (`min_days_of_cover`,
    /// `max_days_of_cover`; without them the (R,s,S) levels).
    MinMax,
    /// Order up to S every day (one-for-one; (R, S) with R = 1).
    BaseStock,
    /// Single period / short shelf life: order up to the critical fractile
    /// (price − cost) / price of demand until the next delivery.
    Newsvendor,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::RsS => "r_s_s",
            PolicyKind::RS => "r_s",
            PolicyKind::SQ => "s_q",
            PolicyKind::SS => "s_s",
            PolicyKind::MinMax => "min_max",
            PolicyKind::BaseStock => "base_stock",
            PolicyKind::Newsvendor => "newsvendor",
        }
    }

    /// Continuous-review policies protect the lead time only.
    pub fn continuous(self) -> bool {
        matches!(self, PolicyKind::SQ | PolicyKind::SS)
    }
}

/// The service target the levels are set to meet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Probability of no stock-out in a replenishment cycle (`service_level`).
    #[default]
    CycleServiceLevel,
    /// Share of demand served from stock (`fill_rate`).
    FillRate,
    /// The service level minimising holding plus shortage cost (`shortage_cost`).
    MinCost,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::CycleServiceLevel => "cycle_service_level",
            TargetKind::FillRate => "fill_rate",
            TargetKind::MinCost => "min_cost",
        }
    }
}

/// How demand over the protection interval is modelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LtdMethod {
    /// `errors` for every demand class (the bootstrap where the history is too
    /// short to measure errors). The default.
    #[default]
    Auto,
    /// The forecast model's own sample paths with random lead times.
    Distribution,
    /// Resampled history days (scaled to the forecast level) over random lead times.
    Bootstrap,
    /// Today's level plus the rolling-origin errors of a local-level forecast over
    /// the same interval, measured on the series' own history.
    Errors,
    /// The normal formula SS = z·√(P·σ_d² + d̄²·σ_L²).
    Normal,
    /// Parametric families summed over the random lead time.
    Poisson,
    NegativeBinomial,
    Gamma,
}

impl LtdMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            LtdMethod::Auto => "auto",
            LtdMethod::Distribution => "distribution",
            LtdMethod::Bootstrap => "bootstrap",
            LtdMethod::Errors => "errors",
            LtdMethod::Normal => "normal",
            LtdMethod::Poisson => "poisson",
            LtdMethod::NegativeBinomial => "negative_binomial",
            LtdMethod::Gamma => "gamma",
        }
    }
}

/// The parameters a rule or an override may set. Every field is optional; what a
/// rule leaves out comes from a lower-priority rule or the configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub policy: Option<PolicyKind>,
    pub target: Option<TargetKind>,
    /// Cycle service level in (0, 1).
    pub service_level: Option<f64>,
    /// Fill-rate target in (0, 1).
    pub fill_rate: Option<f64>,
    /// Cost per unit short, for `target = "min_cost"`.
    pub shortage_cost: Option<f64>,
    /// Unmet demand is lost (true) or backordered (false), for `min_cost`.
    pub lost_sales: Option<bool>,
    pub review_period_days: Option<f64>,
    pub forecast: Option<ModelConfig>,
    pub lead_time_demand: Option<LtdMethod>,
    pub ordering_cost: Option<f64>,
    pub holding_rate: Option<f64>,
    /// Safety stock floors and caps, in units and in days of mean demand.
    pub safety_stock_min_units: Option<f64>,
    pub safety_stock_max_units: Option<f64>,
    pub safety_stock_min_days: Option<f64>,
    pub safety_stock_max_days: Option<f64>,
    /// Most stock the location holds (shelf capacity), in units and in days.
    pub max_stock_units: Option<f64>,
    pub max_stock_days: Option<f64>,
    /// Days an item keeps: no more is ordered than sells within them after arrival.
    pub shelf_life_days: Option<f64>,
    /// Largest order (units), on top of the supplier's.
    pub max_order: Option<f64>,
    /// `min_max` levels in days of mean demand.
    pub min_days_of_cover: Option<f64>,
    pub max_days_of_cover: Option<f64>,
    /// When to order, replacing "position ≤ reorder point", e.g.
    /// `forecast_over_lead_time > on_hand + on_order`.
    pub order_when: Option<String>,
}

/// One segment: the SKU-locations where `when` holds (all, without it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub name: String,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub priority: i64,
    #[serde(default)]
    pub set: Settings,
}

/// Settings for one SKU (at one location, or all of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub sku: String,
    #[serde(default)]
    pub location: Option<String>,
    /// Why, for the buyer reading the plan.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub set: Settings,
}

/// The rules of a plan, as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub overrides: Vec<Override>,
}

/// Attributes a segment filter (`when`) can use. Forecast figures are not among
/// them: the segment chooses the forecast model.
pub const SEGMENT_ATTRIBUTES: &[(&str, Type)] = &[
    ("sku", Type::Text),
    ("location", Type::Text),
    ("category", Type::Text),
    ("supplier", Type::Text),
    ("item_name", Type::Text),
    ("abc", Type::Text),
    ("xyz", Type::Text),
    ("demand_class", Type::Text),
    ("unit_cost", Type::Number),
    ("price", Type::Number),
    ("lead_time", Type::Number),
    ("lead_time_std", Type::Number),
    ("moq", Type::Number),
    ("pack_size", Type::Number),
    ("mean_daily_demand", Type::Number),
    ("demand_cv", Type::Number),
    ("adi", Type::Number),
    ("cv2", Type::Number),
    ("annual_value", Type::Number),
    ("history_days", Type::Number),
    ("on_hand", Type::Number),
    ("on_order", Type::Number),
    ("has_supplier", Type::Bool),
];

const FORECAST_ONLY: &str = "it is known only after the forecast, so it can be used in `order_when`, not in `when`";

/// What a trigger (`order_when`) sees besides [`SEGMENT_ATTRIBUTES`]: the plan's
/// figures, in the order [`Attributes::with_plan`] appends them.
pub const PLAN_FIGURES: &[(&str, Type)] = &[
    ("backorders", Type::Number),
    ("reserved", Type::Number),
    ("inventory_position", Type::Number),
    ("forecast_daily", Type::Number),
    ("forecast_over_lead_time", Type::Number),
    ("forecast_over_protection", Type::Number),
    ("safety_stock", Type::Number),
    ("reorder_point", Type::Number),
    ("order_up_to", Type::Number),
    ("review_period", Type::Number),
];

/// Where the extra item columns start: after the segment attributes and the plan's
/// figures, the same place in filters and triggers.
const EXTRA_AT: usize = SEGMENT_ATTRIBUTES.len() + PLAN_FIGURES.len();

/// What filters (`when`) see: the segment attributes and the extra item columns.
fn segment_schema(extra: &[String], open: bool) -> Schema<'_> {
    Schema {
        parts: &[SEGMENT_ATTRIBUTES],
        elsewhere: &[(PLAN_FIGURES, FORECAST_ONLY)],
        extra,
        extra_at: EXTRA_AT,
        open,
    }
}

/// What triggers (`order_when`) see: the plan's figures too.
fn trigger_schema(extra: &[String], open: bool) -> Schema<'_> {
    Schema { parts: &[SEGMENT_ATTRIBUTES, PLAN_FIGURES], elsewhere: &[], extra, extra_at: EXTRA_AT, open }
}

/// What the rules see of a SKU-location: [`SEGMENT_ATTRIBUTES`], then
/// [`PLAN_FIGURES`] (missing until the plan has them), then the extra item columns
/// in the order they were compiled with ([`RuleSet::compile_with`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Attributes(pub Vec<Value>);

impl Attributes {
    /// The same attributes with the plan's figures, in [`PLAN_FIGURES`] order.
    pub fn with_plan(&self, figures: [f64; PLAN_FIGURES.len()]) -> Attributes {
        let mut v = self.0.clone();
        for (slot, f) in v[SEGMENT_ATTRIBUTES.len()..EXTRA_AT].iter_mut().zip(figures) {
            *slot = Value::Number(f);
        }
        Attributes(v)
    }

    /// Segment attributes from their values in [`SEGMENT_ATTRIBUTES`] order and the
    /// extra item columns' values; a value of the wrong type or count is a bug in
    /// the caller (checked in debug builds).
    pub fn segment(values: Vec<Value>, extra: Vec<String>) -> Attributes {
        debug_assert_eq!(values.len(), SEGMENT_ATTRIBUTES.len());
        debug_assert!(values.iter().zip(SEGMENT_ATTRIBUTES).all(|(v, (_, t))| matches!(
            (v, t),
            (Value::Number(_), Type::Number) | (Value::Text(_), Type::Text) | (Value::Bool(_), Type::Bool)
        )));
        let mut v = values;
        v.extend(PLAN_FIGURES.iter().map(|_| Value::Number(f64::NAN)));
        v.extend(extra.into_iter().map(Value::Text));
        Attributes(v)
    }
}

fn rule_error(rule: &str, field: &str, expression: &str, e: expr::ExprError) -> Error {
    Error::Rule {
        rule: rule.to_string(),
        field: field.to_string(),
        expression: expression.to_string(),
        position: e.position,
        message: e.message,
    }
}

fn check_settings(who: &str, s: &Settings, extra: &[String], open: bool) -> Result<Option<Expr>> {
    let field = |f: &str| format!("{who}.set.{f}");
    let open01 = [("service_level", s.service_level), ("fill_rate", s.fill_rate)];
    for (name, v) in open01 {
        if let Some(v) = v {
            if !(v > 0.0 && v < 1.0) {
                return Err(Error::config(field(name), format!("{v} is outside (0, 1), e.g. 0.95")));
            }
        }
    }
    let non_negative = [
        ("shortage_cost", s.shortage_cost),
        ("ordering_cost", s.ordering_cost),
        ("holding_rate", s.holding_rate),
        ("safety_stock_min_units", s.safety_stock_min_units),
        ("safety_stock_max_units", s.safety_stock_max_units),
        ("safety_stock_min_days", s.safety_stock_min_days),
        ("safety_stock_max_days", s.safety_stock_max_days),
        ("max_stock_units", s.max_stock_units),
        ("max_stock_days", s.max_stock_days),
        ("min_days_of_cover", s.min_days_of_cover),
        ("max_days_of_cover", s.max_days_of_cover),
        ("max_order", s.max_order),
        ("review_period_days", s.review_period_days),
    ];
    for (name, v) in non_negative {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(field(name), format!("{v} must be a finite number ≥ 0")));
            }
        }
    }
    if let Some(v) = s.shelf_life_days {
        if !(v.is_finite() && v > 0.0) {
            return Err(Error::config(field("shelf_life_days"), format!("{v} must be a number > 0")));
        }
    }
    let pairs = [
        ("safety_stock_min_units", s.safety_stock_min_units, s.safety_stock_max_units),
        ("safety_stock_min_days", s.safety_stock_min_days, s.safety_stock_max_days),
        ("min_days_of_cover", s.min_days_of_cover, s.max_days_of_cover),
    ];
    for (name, lo, hi) in pairs {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo > hi {
                return Err(Error::config(field(name), format!("the minimum {lo} is above the maximum {hi}")));
            }
        }
    }
    if let Some(f) = &s.forecast {
        f.build().map_err(|e| Error::config(field("forecast"), e.to_string()))?;
    }
    s.order_when
        .as_deref()
        .map(|src| {
            Expr::parse(src, &trigger_schema(extra, open), Type::Bool)
                .map_err(|e| rule_error(who, "order_when", src, e))
        })
        .transpose()
}

/// A rule set checked and ready to apply.
#[derive(Debug, Clone)]
pub struct CompiledRules {
    rules: Vec<CompiledRule>,
    overrides: Vec<(Override, Option<Expr>)>,
}

#[derive(Debug, Clone)]
struct CompiledRule {
    /// Its place in the file.
    index: usize,
    rule: Rule,
    when: Option<Expr>,
    order_when: Option<Expr>,
}

/// One parameter's value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

/// The settings that apply to one SKU-location, each with its source, and the
/// names of the rules whose `when` held.
#[derive(Debug, Clone, Default)]
pub struct Applied<'a> {
    pub segments: Vec<String>,
    /// Per parameter name, the winning settings and their source.
    chosen: BTreeMap<&'static str, (&'a Settings, String)>,
    /// The winning trigger.
    trigger: Option<(&'a Expr, String)>,
}

macro_rules! getter {
    ($name:ident, $ty:ty) => {
        pub fn $name(&self) -> Option<Sourced<$ty>> {
            self.chosen
                .get(stringify!($name))
                .and_then(|(s, src)| s.$name.clone().map(|value| Sourced { value, source: src.clone() }))
        }
    };
}

impl<'a> Applied<'a> {
    fn take(&mut self, s: &'a Settings, source: &str, order_when: Option<&'a Expr>) {
        let mut put = |name: &'static str, set: bool| {
            if set {
                self.chosen.insert(name, (s, source.to_string()));
            }
        };
        put("policy", s.policy.is_some());
        put("target", s.target.is_some());
        put("service_level", s.service_level.is_some());
        put("fill_rate", s.fill_rate.is_some());
        put("shortage_cost", s.shortage_cost.is_some());
        put("lost_sales", s.lost_sales.is_some());
        put("review_period_days", s.review_period_days.is_some());
        put("forecast", s.forecast.is_some());
        put("lead_time_demand", s.lead_time_demand.is_some());
        put("ordering_cost", s.ordering_cost.is_some());
        put("holding_rate", s.holding_rate.is_some());
        put("safety_stock_min_units", s.safety_stock_min_units.is_some());
        put("safety_stock_max_units", s.safety_stock_max_units.is_some());
        put("safety_stock_min_days", s.safety_stock_min_days.is_some());
        put("safety_stock_max_days", s.safety_stock_max_days.is_some());
        put("max_stock_units", s.max_stock_units.is_some());
        put("max_stock_days", s.max_stock_days.is_some());
        put("shelf_life_days", s.shelf_life_days.is_some());
        put("max_order", s.max_order.is_some());
        put("min_days_of_cover", s.min_days_of_cover.is_some());
        put("max_days_of_cover", s.max_days_of_cover.is_some());
        if let Some(e) = order_when {
            self.trigger = Some((e, source.to_string()));
        }
    }

    getter!(policy, PolicyKind);
    getter!(target, TargetKind);
    getter!(service_level, f64);
    getter!(fill_rate, f64);
    getter!(shortage_cost, f64);
    getter!(lost_sales, bool);
    getter!(review_period_days, f64);
    getter!(forecast, ModelConfig);
    getter!(lead_time_demand, LtdMethod);
    getter!(ordering_cost, f64);
    getter!(holding_rate, f64);
    getter!(safety_stock_min_units, f64);
    getter!(safety_stock_max_units, f64);
    getter!(safety_stock_min_days, f64);
    getter!(safety_stock_max_days, f64);
    getter!(max_stock_units, f64);
    getter!(max_stock_days, f64);
    getter!(shelf_life_days, f64);
    getter!(max_order, f64);
    getter!(min_days_of_cover, f64);
    getter!(max_days_of_cover, f64);

    /// The trigger expression and its source.
    pub fn order_when(&self) -> Option<(&'a Expr, &str)> {
        self.trigger.as_ref().map(|(e, s)| (*e, s.as_str()))
    }
}

impl RuleSet {
    /// Parses rules from TOML (`[[rules]]` and `[[overrides]]` tables) and checks them.
    pub fn from_toml(text: &str) -> Result<RuleSet> {
        let r: RuleSet = toml::from_str(text).map_err(|e| Error::config("(rules file)", e.to_string()))?;
        r.check()?;
        Ok(r)
    }

    /// Parses rules from JSON and checks them.
    pub fn from_json(text: &str) -> Result<RuleSet> {
        let r: RuleSet = serde_json::from_str(text).map_err(|e| Error::config("(rules)", e.to_string()))?;
        r.check()?;
        Ok(r)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.overrides.is_empty()
    }

    /// Checks every rule and parses its expressions against the fixed attributes.
    pub fn compile(&self) -> Result<CompiledRules> {
        self.compile_inner(&[], false)
    }

    /// [`RuleSet::compile`] where the data's extra item columns (text) are
    /// attributes too, in this order (see [`Attributes::segment`]).
    pub fn compile_with(&self, extra_columns: &[String]) -> Result<CompiledRules> {
        self.compile_inner(extra_columns, false)
    }

    /// Checks the rules before the data is known: a name that is no attribute is
    /// taken for an extra item column (checked when the plan compiles them with the
    /// data's columns), unless it is a near miss of a known attribute.
    pub fn check(&self) -> Result<()> {
        self.compile_inner(&[], true).map(|_| ())
    }

    fn compile_inner(&self, extra: &[String], open: bool) -> Result<CompiledRules> {
        let mut names = std::collections::BTreeSet::new();
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, r) in self.rules.iter().enumerate() {
            let who = if r.name.trim().is_empty() {
                return Err(Error::config(format!("rules[{i}].name"), "every rule needs a name (plan lines cite it)"));
            } else {
                r.name.clone()
            };
            if !names.insert(r.name.as_str()) {
                return Err(Error::config(format!("rules[{i}].name"), format!("two rules are named `{}`", r.name)));
            }
            let when = r
                .when
                .as_deref()
                .map(|src| {
                    Expr::parse(src, &segment_schema(extra, open), Type::Bool)
                        .map_err(|e| rule_error(&who, "when", src, e))
                })
                .transpose()?;
            let order_when = check_settings(&who, &r.set, extra, open)?;
            rules.push(CompiledRule { index: i, rule: r.clone(), when, order_when });
        }
        // Applied in rising priority, so the highest priority writes last; among
        // equal priorities the first listed writes last.
        let mut order: Vec<usize> = (0..rules.len()).collect();
        order.sort_by_key(|&i| (rules[i].rule.priority, std::cmp::Reverse(i)));
        let rules = order.into_iter().map(|i| rules[i].clone()).collect();
        let mut overrides = Vec::with_capacity(self.overrides.len());
        for (i, o) in self.overrides.iter().enumerate() {
            if o.sku.trim().is_empty() {
                return Err(Error::config(format!("overrides[{i}].sku"), "an override names its SKU"));
            }
            let who =
                format!("override {}{}", o.sku, o.location.as_deref().map(|l| format!("@{l}")).unwrap_or_default());
            let trigger = check_settings(&who, &o.set, extra, open)?;
            overrides.push((o.clone(), trigger));
        }
        // SKU-wide overrides before location-specific ones, so the latter write last.
        overrides.sort_by_key(|(o, _)| o.location.is_some());
        Ok(CompiledRules { rules, overrides })
    }
}

impl CompiledRules {
    /// The settings that apply to a SKU-location with these segment attributes.
    pub fn apply(&self, sku: &str, location: &str, attrs: &Attributes) -> Applied<'_> {
        let mut out = Applied::default();
        let mut matched = Vec::new();
        for r in &self.rules {
            if r.when.as_ref().is_none_or(|e| e.test(&attrs.0)) {
                matched.push((r.index, r.rule.name.clone()));
                out.take(&r.rule.set, &format!("rule:{}", r.rule.name), r.order_when.as_ref());
            }
        }
        for (o, trigger) in &self.overrides {
            if o.sku == sku && o.location.as_deref().is_none_or(|l| l == location) {
                let src = match &o.location {
                    Some(l) => format!("override:{sku}@{l}"),
                    None => format!("override:{sku}"),
                };
                out.take(&o.set, &src, trigger.as_ref());
            }
        }
        // Segment names in the order the user wrote them.
        matched.sort();
        out.segments = matched.into_iter().map(|(_, n)| n).collect();
        out
    }

    /// Every distinct forecast model a rule or override sets.
    pub fn forecast_models(&self) -> Vec<&ModelConfig> {
        self.rules
            .iter()
            .filter_map(|r| r.rule.set.forecast.as_ref())
            .chain(self.overrides.iter().filter_map(|(o, _)| o.set.forecast.as_ref()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(category: &str, abc: &str, cost: f64) -> Attributes {
        let mut v: Vec<Value> = SEGMENT_ATTRIBUTES
            .iter()
            .map(|(_, t)| match t {
                Type::Number => Value::Number(1.0),
                Type::Text => Value::Text(String::new()),
                Type::Bool => Value::Bool(true),
            })
            .collect();
        v[2] = Value::Text(category.into());
        v[5] = Value::Text(abc.into());
        v[8] = Value::Number(cost);
        Attributes::segment(v, vec![])
    }

    #[test]
    fn extra_item_columns_are_text_attributes() {
        let rules = RuleSet::from_toml(
            r#"
[[rules]]
name = "fresh"
when = "perishable == '1' and category == 'Deli'"
set = { shelf_life_days = 5, order_when = "shelf_zone != 'back' and on_hand < reorder_point" }
"#,
        )
        .unwrap();
        // Before the data is known the names are accepted; a typo of a known one is not.
        rules.check().unwrap();
        let typo = RuleSet::from_toml("[[rules]]\nname = \"t\"\nwhen = \"categroy == 'x'\"\n");
        let msg = typo.unwrap_err().to_string();
        assert!(msg.contains("did you mean `category`") && !msg.contains("items.csv"), "{msg}");
        // Against the data: a column the items lack is named, with the ones they have.
        let msg = rules.compile_with(&["perishable".into()]).unwrap_err().to_string();
        assert!(
            msg.contains("unknown attribute `shelf_zone`") && msg.contains("extra items.csv columns: perishable"),
            "{msg}"
        );
        let msg = rules.compile().unwrap_err().to_string();
        assert!(msg.contains("unknown attribute `perishable`") && msg.contains("no extra columns"), "{msg}");
        let c = rules.compile_with(&["perishable".into(), "shelf_zone".into()]).unwrap();
        let mut base = attrs("Deli", "A", 1.0).0[..SEGMENT_ATTRIBUTES.len()].to_vec();
        base[2] = Value::Text("Deli".into());
        let yes = Attributes::segment(base.clone(), vec!["1".into(), "front".into()]);
        let no = Attributes::segment(base, vec!["0".into(), "front".into()]);
        let a = c.apply("S1", "L1", &yes);
        assert_eq!(a.segments, vec!["fresh".to_string()]);
        assert_eq!(a.shelf_life_days().map(|s| s.value), Some(5.0));
        assert!(c.apply("S1", "L1", &no).segments.is_empty());
        // The trigger reads the plan's figures and the extra column alike.
        let (trigger, _) = a.order_when().unwrap();
        let mut figures = [0.0; PLAN_FIGURES.len()];
        figures[PLAN_FIGURES.iter().position(|(n, _)| *n == "reorder_point").unwrap()] = 10.0;
        assert!(trigger.test(&yes.with_plan(figures).0));
        let back = Attributes::segment(
            attrs("Deli", "A", 1.0).0[..SEGMENT_ATTRIBUTES.len()].to_vec(),
            vec!["1".into(), "back".into()],
        );
        assert!(!trigger.test(&back.with_plan(figures).0));
    }

    const RULES: &str = r#"
[[rules]]
name = "everything"
set = { service_level = 0.9, policy = "r_s" }

[[rules]]
name = "A items"
when = "abc == 'A'"
priority = 10
set = { service_level = 0.98 }

[[rules]]
name = "frozen"
when = "category == 'Frozen'"
priority = 10
set = { service_level = 0.97, shelf_life_days = 30, order_when = "forecast_over_lead_time > on_hand + on_order" }

[[overrides]]
sku = "S1"
reason = "key account"
set = { service_level = 0.995 }

[[overrides]]
sku = "S1"
location = "L2"
set = { policy = "s_q" }
"#;

    #[test]
    fn priorities_then_order_then_overrides() {
        let rs = RuleSet::from_toml(RULES).unwrap_or_else(|e| panic!("{e}"));
        let c = rs.compile().unwrap_or_else(|e| panic!("{e}"));
        let a = attrs("Frozen", "A", 2.0);
        let got = c.apply("S9", "L1", &a);
        assert_eq!(got.segments, vec!["everything", "A items", "frozen"]);
        // A items and frozen share priority 10: the first listed wins.
        assert_eq!(got.service_level(), Some(Sourced { value: 0.98, source: "rule:A items".into() }));
        assert_eq!(got.policy().map(|p| p.value), Some(PolicyKind::RS));
        assert_eq!(got.shelf_life_days().map(|p| p.source), Some("rule:frozen".into()));
        assert_eq!(got.order_when().map(|(_, s)| s.to_string()), Some("rule:frozen".into()));
        let b = c.apply("S9", "L1", &attrs("Dairy", "C", 2.0));
        assert_eq!(b.service_level().map(|s| s.value), Some(0.9));
        assert!(b.order_when().is_none() && b.shelf_life_days().is_none());
        let o = c.apply("S1", "L2", &attrs("Dairy", "C", 2.0));
        assert_eq!(o.service_level().map(|s| s.source), Some("override:S1".into()));
        assert_eq!(o.policy(), Some(Sourced { value: PolicyKind::SQ, source: "override:S1@L2".into() }));
        assert_eq!(c.apply("S1", "L1", &attrs("Dairy", "C", 2.0)).policy().map(|p| p.value), Some(PolicyKind::RS));
    }

    fn rule_err(toml: &str) -> (String, String, usize, String) {
        match RuleSet::from_toml(toml) {
            Err(Error::Rule { rule, field, position, message, .. }) => (rule, field, position, message),
            other => panic!("expected a rule error, got {other:?}"),
        }
    }

    #[test]
    fn bad_rules_are_reported_with_their_position() {
        let (rule, field, pos, msg) = rule_err("[[rules]]\nname = \"x\"\nwhen = \"abc == 'A' and categroy == 'B'\"\n");
        assert_eq!((rule.as_str(), field.as_str(), pos), ("x", "when", 15));
        assert!(msg.contains("unknown attribute `categroy`; did you mean `category`?"), "{msg}");
        let (_, _, pos, msg) = rule_err("[[rules]]\nname = \"x\"\nwhen = \"unit_cost > 'high'\"\n");
        assert_eq!(pos, 10);
        assert!(msg.contains("cannot compare"), "{msg}");
        let (_, _, pos, _) = rule_err("[[rules]]\nname = \"x\"\nwhen = \"unit_cost > \"\n");
        assert_eq!(pos, 12);
        let (_, field, _, msg) = rule_err("[[rules]]\nname = \"x\"\nwhen = \"reorder_point > 3\"\n");
        assert_eq!(field, "when");
        assert!(msg.contains("order_when"), "{msg}");
        let (rule, field, pos, _) = rule_err("[[overrides]]\nsku = \"S1\"\nset = { order_when = \"on_hand < = 3\" }\n");
        assert_eq!((rule.as_str(), field.as_str(), pos), ("override S1", "order_when", 10));
        let e = RuleSet::from_toml("[[rules]]\nname = \"x\"\nset = { service_level = 95 }\n");
        assert!(matches!(e, Err(Error::Config { ref field, .. }) if field == "x.set.service_level"), "{e:?}");
        let e = RuleSet::from_toml("[[rules]]\nname = \"x\"\nset = { servce_level = 0.9 }\n");
        assert!(matches!(e, Err(Error::Config { .. })), "{e:?}");
        let e = RuleSet::from_toml("[[rules]]\nname = \"x\"\n[[rules]]\nname = \"x\"\n");
        assert!(e.is_err());
    }
}
