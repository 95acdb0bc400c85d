//! Purchase orders: plan lines grouped per supplier, ship-to location, order date
//! and currency, with deterministic numbering and line order.

use crate::model::{PoStatus, Supplier};
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
        for (n, &i) in idx.iter().enumerate() {
            let l = &mut lines[i];
            l.po_number = Some(po_number.clone());
            po_lines.push(PoLine {
                line: n as u32 + 1,
                sku: l.sku.clone(),
                item_name: l.item_name.clone(),
                quantity: l.order_quantity,
                pack_size: l.pack_size,
                unit_cost: l.unit_cost,
                line_value: l.order_value,
                expected_delivery: l.expected_delivery,
            });
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
        });
    }
    orders
}
