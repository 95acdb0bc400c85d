//! Self-checks of a finished [`Plan`]: what must hold for any input, whatever the
//! data and configuration. The property tests, the fuzz targets and the scale
//! benchmark run them; a caller can too, before sending POs.
//!
//! A violation is a bug in replenish, not in the data: bad data is reported by
//! ingestion, never turned into an order that breaks these rules.

use super::{LineAction, Plan, PlanLine};
use std::collections::{BTreeMap, HashMap};

/// Relative tolerance for sums of rounded quantities and values.
const EPS: f64 = 1e-6;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * (1.0 + a.abs().max(b.abs()))
}

/// Every broken invariant of `plan`, one sentence each naming the SKU-location or
/// PO; empty when the plan is sound:
/// - every figure of a line is finite, and stock targets, orders and values are not
///   negative;
/// - an order is a whole number of packs, within the line's cap (`max_quantity`),
///   split into lines that sum to it, each at least the MOQ and at most the
///   supplier's maximum order;
/// - a line orders something exactly when its action is `order`;
/// - each PO's totals are the sums of its lines, and its lines are the plan lines
///   that carry its number;
/// - the summary's units, values and counts are the sums of lines and POs.
pub fn violations(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for l in &plan.lines {
        line_violations(l, &mut out);
    }
    order_violations(plan, &mut out);
    summary_violations(plan, &mut out);
    out
}

fn line_violations(l: &PlanLine, out: &mut Vec<String>) {
    let at = format!("{}/{}", l.sku, l.location);
    let figures = [
        ("mean_daily_demand", l.mean_daily_demand),
        ("sigma_daily_demand", l.sigma_daily_demand),
        ("lead_time_days", l.lead_time_days),
        ("safety_stock", l.safety_stock),
        ("reorder_point", l.reorder_point),
        ("order_up_to", l.order_up_to),
        ("eoq", l.eoq.unwrap_or(0.0)),
        ("demand_over_protection", l.demand_over_protection),
        ("inventory_position", l.inventory_position),
        ("net_requirement", l.net_requirement),
        ("order_quantity", l.order_quantity),
        ("order_value", l.order_value),
        ("unit_cost", l.unit_cost),
    ];
    for (name, v) in figures {
        if !v.is_finite() {
            out.push(format!("{at}: {name} is {v}"));
        }
    }
    if !(0.0..=1.0).contains(&l.expected_service_level) {
        out.push(format!("{at}: expected_service_level {} is not a probability", l.expected_service_level));
    }
    const NON_NEGATIVE: [&str; 7] = [
        "mean_daily_demand",
        "sigma_daily_demand",
        "safety_stock",
        "reorder_point",
        "order_up_to",
        "order_quantity",
        "order_value",
    ];
    for (name, v) in figures.into_iter().filter(|(n, _)| NON_NEGATIVE.contains(n)) {
        if v < 0.0 {
            out.push(format!("{at}: {name} {v} is negative"));
        }
    }
    let q = l.order_quantity;
    let ordering = q > 0.0;
    if ordering != (l.action == LineAction::Order) {
        out.push(format!("{at}: order quantity {q} with action {:?}", l.action));
    }
    if !ordering {
        if !l.order_lines.is_empty() {
            out.push(format!("{at}: order lines {:?} without an order", l.order_lines));
        }
        return;
    }
    if l.pack_size > 0.0 {
        let packs = q / l.pack_size;
        if (packs - packs.round()).abs() > 1e-6 * packs.abs().max(1.0) {
            out.push(format!("{at}: {q} is not a whole number of packs of {}", l.pack_size));
        }
    }
    if let Some(cap) = l.max_quantity {
        if q > cap + EPS * cap.abs().max(1.0) {
            out.push(format!("{at}: {q} is over the cap {cap}"));
        }
    }
    if !close(l.order_lines.iter().sum(), q) {
        out.push(format!("{at}: order lines {:?} do not sum to {q}", l.order_lines));
    }
    for &part in &l.order_lines {
        if part < l.moq - EPS * l.moq.max(1.0) {
            out.push(format!("{at}: order line {part} is below the MOQ {}", l.moq));
        }
        if let Some(max) = l.max_order {
            if part > max + EPS * max.max(1.0) {
                out.push(format!("{at}: order line {part} is over the maximum order {max}"));
            }
        }
    }
    if !close(l.order_value, q * l.unit_cost) {
        out.push(format!("{at}: order value {} is not {q} × {}", l.order_value, l.unit_cost));
    }
}

fn order_violations(plan: &Plan, out: &mut Vec<String>) {
    // Plan lines by (PO number, SKU): their quantities, to compare with the PO's lines.
    let mut by_po: HashMap<(&str, &str), f64> = HashMap::new();
    for l in plan.lines.iter().filter(|l| l.order_quantity > 0.0) {
        match l.po_number.as_deref() {
            Some(po) => *by_po.entry((po, l.sku.as_str())).or_default() += l.order_quantity,
            None if l.supplier_id.is_some() => out.push(format!("{}/{}: an order without a PO", l.sku, l.location)),
            None => {}
        }
    }
    let mut seen: HashMap<(&str, &str), f64> = HashMap::new();
    for po in &plan.purchase_orders {
        let (units, value): (f64, f64) =
            po.lines.iter().map(|x| (x.quantity, x.line_value)).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        if !close(units, po.total_quantity) {
            out.push(format!(
                "PO {}: total quantity {} is not the sum of its lines {units}",
                po.po_number, po.total_quantity
            ));
        }
        if !close(value, po.total_value) {
            out.push(format!(
                "PO {}: total value {} is not the sum of its lines {value}",
                po.po_number, po.total_value
            ));
        }
        for x in &po.lines {
            if x.quantity.is_nan() || x.quantity <= 0.0 || !x.line_value.is_finite() {
                out.push(format!(
                    "PO {} line {}: quantity {} value {}",
                    po.po_number, x.line, x.quantity, x.line_value
                ));
            }
            *seen.entry((po.po_number.as_str(), x.sku.as_str())).or_default() += x.quantity;
        }
    }
    for (key, q) in &by_po {
        match seen.get(key) {
            Some(s) if close(*s, *q) => {}
            other => out.push(format!("PO {}: SKU {} has {q} in the plan and {other:?} on the PO", key.0, key.1)),
        }
    }
    for key in seen.keys().filter(|k| !by_po.contains_key(*k)) {
        out.push(format!("PO {}: SKU {} is on the PO but no plan line orders it", key.0, key.1));
    }
}

fn summary_violations(plan: &Plan, out: &mut Vec<String>) {
    let s = &plan.summary;
    if s.sku_locations != plan.lines.len() {
        out.push(format!("summary: {} SKU-locations for {} lines", s.sku_locations, plan.lines.len()));
    }
    if s.purchase_orders != plan.purchase_orders.len() {
        out.push(format!("summary: {} POs for {} built", s.purchase_orders, plan.purchase_orders.len()));
    }
    let units: f64 = plan.purchase_orders.iter().map(|p| p.total_quantity).sum();
    if !close(units, s.order_units) {
        out.push(format!("summary: {} units ordered, the POs hold {units}", s.order_units));
    }
    let mut values: BTreeMap<&str, f64> = BTreeMap::new();
    for p in &plan.purchase_orders {
        *values.entry(p.currency.as_str()).or_default() += p.total_value;
    }
    for (cur, v) in &values {
        let got = s.order_value.get(*cur).copied().unwrap_or(0.0);
        if !close(got, *v) {
            out.push(format!("summary: order value {got} {cur}, the POs hold {v}"));
        }
    }
}
