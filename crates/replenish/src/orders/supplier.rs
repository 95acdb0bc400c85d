//! Supplier conditions on a whole purchase order: minimum order value or quantity
//! (top up or defer) and truck or container fill by volume, weight or pallets.
//!
//! Both work on the group of order lines that becomes one PO (supplier, ship-to
//! location, order date, currency). A top-up adds one pack at a time to the line
//! that runs out soonest (days of supply after the order: (position + order) /
//! mean daily demand). Lines that order nothing today but have demand from the
//! same supplier join as candidates, starting at their MOQ. A line never grows
//! past its caps (maximum stock, shelf life, a rule's maximum) nor past its
//! order-up-to level plus `max_top_up_days` of demand (default 28).

use crate::model::{Item, MinOrderAction, Supplier};
use crate::orders::budget::Deferral;
use crate::orders::PurchaseOrder;
use crate::plan::{LineAction, PlanLine};
use crate::policy::{round_order_capped, OrderConstraints};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Default limit of a top-up, in days of demand above the order-up-to level.
pub const DEFAULT_MAX_TOP_UP_DAYS: f64 = 28.0;

/// How full a PO's trucks are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Load {
    pub volume: Option<f64>,
    pub weight: Option<f64>,
    pub pallets: Option<f64>,
    /// Trucks needed: the most any capacity needs.
    pub trucks: u32,
    /// Use of the trucks' capacity in the binding dimension, in [0, 1].
    pub fill: f64,
    /// `volume`, `weight` or `pallets`: the dimension that sets the truck count.
    pub binding: String,
    /// SKUs without the measure a capacity needs (their load is not counted).
    pub unmeasured: Vec<String>,
}

/// Per unit of a SKU: volume, weight and pallet share.
fn unit_load(item: Option<&&Item>) -> [Option<f64>; 3] {
    [
        item.and_then(|i| i.unit_volume),
        item.and_then(|i| i.unit_weight),
        item.and_then(|i| i.units_per_pallet).map(|u| 1.0 / u),
    ]
}

fn capacities(s: &Supplier) -> [Option<f64>; 3] {
    [s.truck_volume, s.truck_weight, s.truck_pallets]
}

const DIMS: [&str; 3] = ["volume", "weight", "pallets"];

/// The load of (sku, quantity) pairs against a supplier's truck; `None` without capacities.
fn load_of<'a>(
    supplier: &Supplier,
    items: &HashMap<&str, &Item>,
    lines: impl Iterator<Item = (&'a str, f64)>,
) -> Option<Load> {
    let caps = capacities(supplier);
    if caps.iter().all(Option::is_none) {
        return None;
    }
    let mut totals = [0.0_f64; 3];
    let mut unmeasured = Vec::new();
    for (sku, q) in lines {
        let per = unit_load(items.get(sku));
        for d in 0..3 {
            if caps[d].is_some() {
                match per[d] {
                    Some(u) => totals[d] += u * q,
                    None => {
                        if !unmeasured.iter().any(|s: &String| s == sku) {
                            unmeasured.push(sku.to_string());
                        }
                    }
                }
            }
        }
    }
    let mut trucks = 0.0_f64;
    let mut binding = 0;
    for d in 0..3 {
        if let Some(c) = caps[d] {
            let need = (totals[d] / c - 1e-9).ceil().max(0.0);
            if need > trucks
                || (need == trucks && totals[d] / c > totals[binding] / caps[binding].unwrap_or(f64::INFINITY))
            {
                trucks = need;
                binding = d;
            }
        }
    }
    let trucks = trucks.max(1.0);
    let fill = caps[binding].map_or(0.0, |c| totals[binding] / (trucks * c));
    Some(Load {
        volume: caps[0].map(|_| totals[0]),
        weight: caps[1].map(|_| totals[1]),
        pallets: caps[2].map(|_| totals[2]),
        trucks: trucks as u32,
        fill,
        binding: DIMS[binding].to_string(),
        unmeasured,
    })
}

/// Adds each PO's truck load (for suppliers with a truck capacity).
pub fn attach_loads(orders: &mut [PurchaseOrder], suppliers: &[Supplier], items: &HashMap<&str, &Item>) {
    for po in orders {
        if let Some(s) = suppliers.iter().find(|s| s.id == po.supplier_id) {
            po.load = load_of(s, items, po.lines.iter().map(|l| (l.sku.as_str(), l.quantity)));
        }
    }
}

/// What the supplier conditions changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierAdjustment {
    pub supplier_id: String,
    pub location: String,
    pub order_date: NaiveDate,
    /// `min_order_top_up`, `min_order_deferred`, `min_order_unmet`, `truck_top_up`.
    pub kind: String,
    pub message: String,
}

fn days_after(l: &PlanLine, q: f64) -> f64 {
    if l.mean_daily_demand > 0.0 {
        (l.inventory_position + q) / l.mean_daily_demand
    } else {
        f64::INFINITY
    }
}

/// The next quantity of a line one pack up, if its limits allow it.
fn one_more_pack(l: &PlanLine, max_top_up_days: f64) -> Option<(f64, Vec<f64>)> {
    if l.mean_daily_demand <= 0.0 || l.pack_size <= 0.0 {
        return None;
    }
    let want = if l.order_quantity > 0.0 { l.order_quantity + l.pack_size } else { l.moq.max(l.pack_size) };
    let c = OrderConstraints { moq: l.moq, pack_size: l.pack_size, max_order: l.max_order };
    let caps: Vec<(f64, String)> = l.max_quantity.map(|m| vec![(m, "cap".to_string())]).unwrap_or_default();
    let r = round_order_capped(want, &c, &caps);
    let ceiling = l.order_up_to.max(l.inventory_position) + max_top_up_days * l.mean_daily_demand;
    (r.quantity > l.order_quantity + 1e-9 && l.inventory_position + r.quantity <= ceiling + 1e-9)
        .then_some((r.quantity, r.lines))
}

fn set_quantity(l: &mut PlanLine, q: f64, lines: Vec<f64>, date: NaiveDate, lead_days: i64, why: &str) {
    let before = l.order_quantity;
    if l.action != LineAction::Order {
        l.action = LineAction::Order;
        l.order_date = Some(date);
        l.expected_delivery = Some(date + chrono::Duration::days(lead_days));
    }
    l.order_quantity = q;
    l.order_lines = lines;
    l.order_value = q * l.unit_cost;
    l.adjustments.retain(|a| !a.starts_with(why));
    l.adjustments.push(format!("{why}: {} → {}", crate::policy::fmt_qty(before), crate::policy::fmt_qty(q)));
}

/// Applies the minimum-order and truck-fill conditions of each supplier to the
/// plan's order lines. Returns what changed and the lines deferred for a minimum.
pub fn apply_supplier_conditions(
    lines: &mut [PlanLine],
    suppliers: &[Supplier],
    items: &HashMap<&str, &Item>,
) -> (Vec<SupplierAdjustment>, Vec<Deferral>) {
    let mut adjustments = Vec::new();
    let mut deferrals = Vec::new();
    // PO groups, and the first order date per (supplier, location, currency).
    let mut groups: BTreeMap<(String, String, NaiveDate, String), Vec<usize>> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        if let (LineAction::Order, Some(s), Some(d)) = (l.action, &l.supplier_id, l.order_date) {
            groups.entry((s.clone(), l.location.clone(), d, l.currency.clone())).or_default().push(i);
        }
    }
    let mut candidates_taken = vec![false; lines.len()];
    for ((sid, loc, date, cur), mut idx) in groups {
        let Some(sup) = suppliers.iter().find(|s| s.id == sid) else { continue };
        let needs_min = sup.min_order_value.is_some() || sup.min_order_quantity.is_some();
        let needs_truck = sup.fill_trucks && capacities(sup).iter().any(Option::is_some);
        if !needs_min && !needs_truck {
            continue;
        }
        let max_days = sup.max_top_up_days.unwrap_or(DEFAULT_MAX_TOP_UP_DAYS);
        // Candidates: this supplier's lines at this location that order nothing today.
        for (i, l) in lines.iter().enumerate() {
            if !candidates_taken[i]
                && l.action == LineAction::NoOrder
                && l.supplier_id.as_deref() == Some(sid.as_str())
                && l.location == loc
                && l.currency == cur
                && l.mean_daily_demand > 0.0
            {
                candidates_taken[i] = true;
                idx.push(i);
            }
        }
        let lead = |l: &PlanLine| l.lead_time_days.ceil() as i64;
        let totals = |lines: &[PlanLine], idx: &[usize]| -> (f64, f64) {
            idx.iter()
                .filter(|&&i| lines[i].action == LineAction::Order)
                .fold((0.0, 0.0), |(v, q), &i| (v + lines[i].order_value, q + lines[i].order_quantity))
        };
        let below = |(v, q): (f64, f64)| {
            sup.min_order_value.is_some_and(|m| v < m - 1e-9) || sup.min_order_quantity.is_some_and(|m| q < m - 1e-9)
        };
        let minimum_text = || {
            let mut parts = Vec::new();
            if let Some(v) = sup.min_order_value {
                parts.push(format!("value {v} {cur}"));
            }
            if let Some(q) = sup.min_order_quantity {
                parts.push(format!("quantity {q}"));
            }
            parts.join(" and ")
        };
        // Picks the most urgent line that can take one more pack; `fits` vets the step.
        let top_up_step =
            |lines: &[PlanLine], fits: &dyn Fn(&PlanLine, f64) -> bool| -> Option<(usize, f64, Vec<f64>)> {
                idx.iter()
                    .filter_map(|&i| {
                        let l = &lines[i];
                        one_more_pack(l, max_days).filter(|(q, _)| fits(l, *q)).map(|(q, ls)| (i, q, ls))
                    })
                    .min_by(|a, b| {
                        days_after(&lines[a.0], lines[a.0].order_quantity)
                            .total_cmp(&days_after(&lines[b.0], lines[b.0].order_quantity))
                            .then(lines[a.0].sku.cmp(&lines[b.0].sku))
                    })
            };
        if needs_min && below(totals(lines, &idx)) {
            let start = totals(lines, &idx);
            match sup.min_order_action {
                MinOrderAction::TopUp => {
                    let mut steps = 0;
                    while below(totals(lines, &idx)) && steps < 100_000 {
                        let Some((i, q, ls)) = top_up_step(lines, &|_, _| true) else { break };
                        let d = lead(&lines[i]);
                        set_quantity(&mut lines[i], q, ls, date, d, "topped up to the supplier's minimum order");
                        steps += 1;
                    }
                    let end = totals(lines, &idx);
                    if below(end) {
                        adjustments.push(SupplierAdjustment {
                            supplier_id: sid.clone(),
                            location: loc.clone(),
                            order_date: date,
                            kind: "min_order_unmet".into(),
                            message: format!(
                                "PO to {sid} for {loc} on {date} is {:.2} {cur} / {} units after topping up every line to its limit, below the minimum {}",
                                end.0,
                                end.1,
                                minimum_text()
                            ),
                        });
                    } else {
                        adjustments.push(SupplierAdjustment {
                            supplier_id: sid.clone(),
                            location: loc.clone(),
                            order_date: date,
                            kind: "min_order_top_up".into(),
                            message: format!(
                                "PO to {sid} for {loc} on {date} topped up from {:.2} to {:.2} {cur} ({} to {} units) to reach the minimum {}",
                                start.0,
                                end.0,
                                start.1,
                                end.1,
                                minimum_text()
                            ),
                        });
                    }
                }
                MinOrderAction::Defer => {
                    let reason = format!(
                        "deferred: the PO to {sid} would be {:.2} {cur} / {} units, below the supplier's minimum {}",
                        start.0,
                        start.1,
                        minimum_text()
                    );
                    for &i in &idx {
                        let l = &mut lines[i];
                        if l.action != LineAction::Order {
                            continue;
                        }
                        deferrals.push(Deferral {
                            sku: l.sku.clone(),
                            location: l.location.clone(),
                            budget: String::new(),
                            cause: "minimum_order".into(),
                            order_quantity: l.order_quantity,
                            order_value: l.order_value,
                            days_of_supply: l.days_of_supply,
                            service_level: l.service_level,
                            reason: reason.clone(),
                        });
                        crate::orders::budget::defer(l, &reason);
                    }
                    adjustments.push(SupplierAdjustment {
                        supplier_id: sid.clone(),
                        location: loc.clone(),
                        order_date: date,
                        kind: "min_order_deferred".into(),
                        message: reason,
                    });
                    continue;
                }
            }
        }
        if needs_truck {
            let measured = |l: &PlanLine| {
                let per = unit_load(items.get(l.sku.as_str()));
                capacities(sup).iter().zip(per).all(|(c, u)| c.is_none() || u.is_some())
            };
            let current = |lines: &[PlanLine]| {
                load_of(
                    sup,
                    items,
                    idx.iter()
                        .filter(|&&i| lines[i].action == LineAction::Order)
                        .map(|&i| (lines[i].sku.as_str(), lines[i].order_quantity)),
                )
            };
            let Some(before) = current(lines) else { continue };
            // Room in the trucks already needed, per dimension; each pack is checked
            // against the running totals (no recount of the whole PO per step).
            let caps = capacities(sup);
            let room: Vec<Option<f64>> = caps.iter().map(|c| c.map(|c| c * f64::from(before.trucks))).collect();
            let mut totals =
                [before.volume.unwrap_or(0.0), before.weight.unwrap_or(0.0), before.pallets.unwrap_or(0.0)];
            let mut steps = 0;
            loop {
                let fits = |l: &PlanLine, q: f64| {
                    let per = unit_load(items.get(l.sku.as_str()));
                    let delta = q - l.order_quantity;
                    measured(l)
                        && (0..3).all(|d| match (room[d], per[d]) {
                            (Some(r), Some(u)) => totals[d] + u * delta <= r + 1e-9,
                            _ => true,
                        })
                };
                let Some((i, q, ls)) = top_up_step(lines, &fits) else { break };
                let per = unit_load(items.get(lines[i].sku.as_str()));
                let delta = q - lines[i].order_quantity;
                for d in 0..3 {
                    totals[d] += per[d].unwrap_or(0.0) * delta;
                }
                let lead_days = lead(&lines[i]);
                set_quantity(&mut lines[i], q, ls, date, lead_days, "topped up to fill the truck");
                steps += 1;
                if steps >= 100_000 {
                    break;
                }
            }
            if let (true, Some(after)) = (steps > 0, current(lines)) {
                adjustments.push(SupplierAdjustment {
                    supplier_id: sid.clone(),
                    location: loc.clone(),
                    order_date: date,
                    kind: "truck_top_up".into(),
                    message: format!(
                        "PO to {sid} for {loc} on {date}: {} truck(s) filled from {:.0}% to {:.0}% ({}) with {steps} more pack(s) of the items that run out soonest",
                        after.trucks,
                        before.fill * 100.0,
                        after.fill * 100.0,
                        after.binding
                    ),
                });
            }
        }
    }
    (adjustments, deferrals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, q: f64, ip: f64, mean: f64, action: LineAction) -> PlanLine {
        PlanLine {
            sku: sku.into(),
            location: "L1".into(),
            supplier_id: Some("S".into()),
            currency: "EUR".into(),
            action,
            order_quantity: q,
            order_lines: if q > 0.0 { vec![q] } else { vec![] },
            unit_cost: 2.0,
            order_value: 2.0 * q,
            inventory_position: ip,
            mean_daily_demand: mean,
            order_up_to: ip + q,
            pack_size: 10.0,
            moq: 10.0,
            lead_time_days: 3.0,
            order_date: (action == LineAction::Order).then(|| NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default()),
            ..Default::default()
        }
    }

    fn item(sku: &str, volume: f64) -> Item {
        Item {
            sku: sku.into(),
            name: sku.into(),
            category: "c".into(),
            unit_cost: 2.0,
            sell_price: None,
            unit_volume: Some(volume),
            unit_weight: None,
            units_per_pallet: None,
            shelf_life_days: None,
            attributes: Default::default(),
        }
    }

    #[test]
    fn a_small_po_is_topped_up_with_the_soonest_to_run_out() {
        let mut lines = vec![
            line("A", 10.0, 5.0, 5.0, LineAction::Order),   // 3 days after the order
            line("B", 10.0, 90.0, 5.0, LineAction::Order),  // 20 days
            line("C", 0.0, 20.0, 5.0, LineAction::NoOrder), // 4 days, ordering nothing yet
        ];
        let sup = Supplier { id: "S".into(), min_order_value: Some(100.0), ..Default::default() };
        let (adj, def) = apply_supplier_conditions(&mut lines, &[sup], &HashMap::new());
        assert!(def.is_empty());
        let total: f64 = lines.iter().map(|l| l.order_value).sum();
        assert!(total >= 100.0, "{total}");
        assert_eq!(adj[0].kind, "min_order_top_up", "{adj:?}");
        // B, with 20 days of supply, is never touched; A and C share the top-up.
        assert_eq!(lines[1].order_quantity, 10.0);
        assert!(lines[0].order_quantity > 10.0 && lines[2].order_quantity > 0.0);
        assert_eq!(lines[2].action, LineAction::Order);
        assert!(lines[0].adjustments[0].starts_with("topped up to the supplier's minimum order"));
    }

    #[test]
    fn a_small_po_of_a_defer_supplier_is_deferred_and_reported() {
        let mut lines = vec![line("A", 10.0, 5.0, 5.0, LineAction::Order)];
        let sup = Supplier {
            id: "S".into(),
            min_order_quantity: Some(500.0),
            min_order_action: MinOrderAction::Defer,
            ..Default::default()
        };
        let (adj, def) = apply_supplier_conditions(&mut lines, &[sup], &HashMap::new());
        assert_eq!(lines[0].action, LineAction::Deferred);
        assert_eq!(def.len(), 1);
        assert_eq!(def[0].cause, "minimum_order");
        assert_eq!(adj[0].kind, "min_order_deferred");
    }

    #[test]
    fn the_last_truck_is_filled_without_a_new_one() {
        // 10 m³ a truck; A is 0.05 m³ a unit: 150 units = 7.5 m³.
        let mut lines =
            vec![line("A", 150.0, 10.0, 10.0, LineAction::Order), line("B", 0.0, 400.0, 1.0, LineAction::NoOrder)];
        lines[0].max_quantity = None;
        let items_v = [item("A", 0.05), item("B", 0.05)];
        let items: HashMap<&str, &Item> = items_v.iter().map(|i| (i.sku.as_str(), i)).collect();
        let sup = Supplier { id: "S".into(), truck_volume: Some(10.0), fill_trucks: true, ..Default::default() };
        let (adj, _) = apply_supplier_conditions(&mut lines, std::slice::from_ref(&sup), &items);
        let load = load_of(&sup, &items, lines.iter().map(|l| (l.sku.as_str(), l.order_quantity)))
            .unwrap_or_else(|| panic!("no load"));
        assert_eq!(load.trucks, 1);
        assert!(load.fill > 0.94 && load.fill <= 1.0 + 1e-9, "{load:?} {adj:?}");
        // B has 400 days of supply: it is not the one topped up.
        assert_eq!(lines[1].order_quantity, 0.0);
    }
}
