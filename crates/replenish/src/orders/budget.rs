//! Budget caps: when the order lines in a budget's scope (a supplier, a category, or
//! everything; one currency) are worth more than its amount, the lowest-priority
//! lines are deferred until the rest fits, and each deferral is reported with why.
//!
//! A budget may cover a period (`from`, `until`: lines ordered in it) and carry
//! what was already committed in it (`spent`), so the room is `amount − spent`.
//!
//! Priority, most urgent first: the earliest projected stock-out (days of supply =
//! inventory position / mean daily demand), then the higher service level, then the
//! higher margin (sell price − unit cost, times the quantity; lines without a sell
//! price count none), then the higher order value. Deferral takes lines from the least urgent end; a line that
//! alone would bring the total within the budget is deferred before any more urgent
//! one, and a less urgent line that still fits is kept (first-fit from the urgent end).

use crate::error::{Error, Result};
use crate::model::Item;
use crate::plan::{LineAction, PlanLine};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A spending cap on one plan's orders.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub name: String,
    /// Only this supplier's lines (all suppliers without it).
    #[serde(default)]
    pub supplier: Option<String>,
    /// Only this category's lines (all categories without it).
    #[serde(default)]
    pub category: Option<String>,
    pub currency: String,
    pub amount: f64,
    /// First order date the budget covers (none: no lower bound).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Last order date the budget covers (none: no upper bound).
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Already committed in the budget's period (open POs, say).
    #[serde(default)]
    pub spent: f64,
}

/// A line the budgets deferred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deferral {
    pub sku: String,
    pub location: String,
    /// The budget that deferred the line (empty for other causes).
    pub budget: String,
    /// `budget` or `minimum_order` (the supplier's minimum was not met).
    #[serde(default = "budget_cause")]
    pub cause: String,
    pub order_quantity: f64,
    pub order_value: f64,
    pub days_of_supply: Option<f64>,
    pub service_level: f64,
    pub reason: String,
}

fn budget_cause() -> String {
    "budget".into()
}

/// Takes a line out of the order, with why in its explanation.
pub(crate) fn defer(l: &mut PlanLine, reason: &str) {
    l.action = LineAction::Deferred;
    l.explanation = format!("{}. Not ordered: {reason}", l.explanation);
    l.order_quantity = 0.0;
    l.order_lines.clear();
    l.order_value = 0.0;
    l.order_date = None;
    l.expected_delivery = None;
}

/// Checks budgets (names, amounts).
pub fn check(budgets: &[Budget]) -> Result<()> {
    for (i, b) in budgets.iter().enumerate() {
        if b.name.trim().is_empty() {
            return Err(Error::config(format!("budgets[{i}].name"), "every budget needs a name"));
        }
        for (field, v) in [("amount", b.amount), ("spent", b.spent)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(format!("budgets.{}.{field}", b.name), format!("{v} must be a number ≥ 0")));
            }
        }
        if let (Some(f), Some(u)) = (b.from, b.until) {
            if f > u {
                return Err(Error::config(format!("budgets.{}.from", b.name), format!("{f} is after until {u}")));
            }
        }
    }
    Ok(())
}

/// Applies the budgets in order to the plan's lines: deferred lines become
/// [`LineAction::Deferred`] with no order; their explanations say why.
pub fn apply_budgets(lines: &mut [PlanLine], budgets: &[Budget], items: &HashMap<&str, &Item>) -> Vec<Deferral> {
    let margin = |l: &PlanLine| {
        items.get(l.sku.as_str()).and_then(|i| i.sell_price).map_or(0.0, |p| (p - l.unit_cost) * l.order_quantity)
    };
    let mut out = Vec::new();
    for b in budgets {
        let room = (b.amount - b.spent).max(0.0);
        let in_scope = |l: &PlanLine| {
            l.action == LineAction::Order
                && l.currency == b.currency
                && l.order_date.is_some_and(|d| b.from.is_none_or(|f| d >= f) && b.until.is_none_or(|u| d <= u))
                && b.supplier.as_deref().is_none_or(|s| l.supplier_id.as_deref() == Some(s))
                && b.category.as_deref().is_none_or(|c| l.category == c)
        };
        let mut idx: Vec<usize> = (0..lines.len()).filter(|&i| in_scope(&lines[i])).collect();
        let total: f64 = idx.iter().map(|&i| lines[i].order_value).sum();
        if total <= room + 1e-9 {
            continue;
        }
        // Most urgent first.
        idx.sort_by(|&a, &c| {
            let (x, y) = (&lines[a], &lines[c]);
            let dos = |l: &PlanLine| l.days_of_supply.unwrap_or(f64::INFINITY);
            dos(x)
                .total_cmp(&dos(y))
                .then(y.service_level.total_cmp(&x.service_level))
                .then(margin(y).total_cmp(&margin(x)))
                .then(y.order_value.total_cmp(&x.order_value))
                .then((&x.sku, &x.location).cmp(&(&y.sku, &y.location)))
        });
        let mut kept = 0.0;
        for &i in &idx {
            let l = &mut lines[i];
            if kept + l.order_value <= room + 1e-9 {
                kept += l.order_value;
                continue;
            }
            let reason = format!(
                "deferred by budget `{}` ({} {}{} for {} lines worth {:.2}): {} days of supply, less urgent than the lines kept",
                b.name,
                b.amount,
                b.currency,
                if b.spent > 0.0 { format!(", {} already spent", b.spent) } else { String::new() },
                idx.len(),
                total,
                l.days_of_supply.map_or("unknown".to_string(), |d| format!("{d:.1}"))
            );
            out.push(Deferral {
                sku: l.sku.clone(),
                location: l.location.clone(),
                budget: b.name.clone(),
                cause: "budget".into(),
                order_quantity: l.order_quantity,
                order_value: l.order_value,
                days_of_supply: l.days_of_supply,
                service_level: l.service_level,
                reason: reason.clone(),
            });
            defer(l, &reason);
        }
    }
    out
}
