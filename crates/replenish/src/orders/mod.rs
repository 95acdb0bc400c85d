//! Purchase orders: plan lines grouped per supplier, ship-to location, order date
//! and currency, with deterministic numbering and line order.

pub mod budget;
pub mod email;
pub mod leadtime;
pub mod supplier;
pub mod tracking;
pub mod ubl;

use crate::model::{OpenOrderLine, PoStatus, Supplier};
use crate::plan::{LineAction, PlanLine};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One line of a proposed purchase order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoLine {
    pub line: u32,
    pub sku: String,
    pub item_name: String,
    pub quantity: f64,
    pub pack_size: f64,
    pub unit_cost: f64,
    pub line_value: f64,
    pub expected_delivery: Option<NaiveDate>,
}

/// A proposed purchase order (status `draft` until approved and sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    pub po_number: String,
    pub supplier_id: String,
    pub supplier_name: String,
    /// Ship-to location.
    pub location: String,
    pub order_date: NaiveDate,
    /// Latest expected delivery of its lines.
    pub expected_delivery: Option<NaiveDate>,
    pub currency: String,
    pub status: PoStatus,
    pub lines: Vec<PoLine>,
    pub total_quantity: f64,
    pub total_value: f64,
    /// Truck or container load, for suppliers with a capacity.
    #[serde(default)]
    pub load: Option<supplier::Load>,
}

/// Groups the ordering lines into POs and writes each line's PO number back.
///
/// POs are sorted by (supplier, location, order date, currency) and numbered
/// `{prefix}-{as_of:YYYYMMDD}-{NNNN}` in that order; lines within a PO are sorted
/// by SKU. The same plan always gives the same numbers.
pub fn build_purchase_orders(
    lines: &mut [PlanLine],
    suppliers: &[Supplier],
    prefix: &str,
    as_of: NaiveDate,
) -> Vec<PurchaseOrder> {
    let names: HashMap<&str, &str> = suppliers.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect();
    let mut groups: BTreeMap<(String, String, NaiveDate, String), Vec<usize>> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        if let (LineAction::Order, Some(sup), Some(date)) = (l.action, &l.supplier_id, l.order_date) {
            groups.entry((sup.clone(), l.location.clone(), date, l.currency.clone())).or_default().push(i);
        }
    }
    let mut orders = Vec::with_capacity(groups.len());
    for (seq, ((supplier_id, location, order_date, currency), mut idx)) in groups.into_iter().enumerate() {
        idx.sort_by(|&a, &b| lines[a].sku.cmp(&lines[b].sku));
        let po_number = format!("{prefix}-{}-{:04}", as_of.format("%Y%m%d"), seq + 1);
        let mut po_lines = Vec::with_capacity(idx.len());
        for &i in &idx {
            let l = &mut lines[i];
            l.po_number = Some(po_number.clone());
            // One PO line per order line of the plan line (a quantity above the
            // supplier's maximum per line was split).
            let quantities = if l.order_lines.is_empty() { vec![l.order_quantity] } else { l.order_lines.clone() };
            for q in quantities {
                po_lines.push(PoLine {
                    line: po_lines.len() as u32 + 1,
                    sku: l.sku.clone(),
                    item_name: l.item_name.clone(),
                    quantity: q,
                    pack_size: l.pack_size,
                    unit_cost: l.unit_cost,
                    line_value: q * l.unit_cost,
                    expected_delivery: l.expected_delivery,
                });
            }
        }
        let total_quantity = po_lines.iter().map(|l| l.quantity).sum();
        let total_value = po_lines.iter().map(|l| l.line_value).sum();
        orders.push(PurchaseOrder {
            po_number,
            supplier_name: names.get(supplier_id.as_str()).map_or_else(|| supplier_id.clone(), |n| n.to_string()),
            supplier_id,
            location,
            order_date,
            expected_delivery: po_lines.iter().filter_map(|l| l.expected_delivery).max(),
            currency,
            status: PoStatus::Draft,
            lines: po_lines,
            total_quantity,
            total_value,
            load: None,
        });
    }
    orders
}

/// The open-order lines a host records once it has raised these purchase orders
/// (status as in each PO, nothing received): loaded as `open_orders` into the next
/// plan they count as on order, so re-planning orders nothing twice.
pub fn as_open_orders(orders: &[PurchaseOrder]) -> Vec<OpenOrderLine> {
    orders
        .iter()
        .flat_map(|po| {
            po.lines.iter().map(move |l| OpenOrderLine {
                po_number: po.po_number.clone(),
                line: l.line,
                supplier_id: po.supplier_id.clone(),
                sku: l.sku.clone(),
                location: po.location.clone(),
                status: po.status,
                quantity_ordered: l.quantity,
                quantity_received: 0.0,
                order_date: po.order_date,
                expected_date: l.expected_delivery,
            })
        })
        .collect()
}
