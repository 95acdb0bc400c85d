//! Reports over a plan: the summary printed by the CLI and returned to every
//! binding, and the self-contained HTML report with its SVG charts
//! ([`html_report`]; the data behind it: [`report_data`]).

pub mod charts;
mod data;
mod html;

pub use data::{
    report_data, report_data_with, Arrival, DayValue, Exception, ForecastBand, ReportConfig, ReportData, SeriesChart,
    SupplierOrders,
};
pub use html::render_html;

use crate::orders::PurchaseOrder;
use crate::plan::{LineAction, PlanLine};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Headline figures of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub as_of: NaiveDate,
    /// SKU-locations in the plan.
    pub sku_locations: usize,
    /// Distinct SKUs in the plan.
    pub skus: usize,
    /// SKU-locations whose inventory position is at or below the reorder point.
    pub below_reorder_point: usize,
    /// SKU-locations with nothing available now (on hand − reserved ≤ 0) but demand.
    pub out_of_stock: usize,
    /// SKU-locations without supply terms.
    pub no_supplier: usize,
    /// Plan lines with an order.
    pub order_lines: usize,
    pub purchase_orders: usize,
    pub suppliers_ordered: usize,
    pub order_units: f64,
    /// Order value per currency.
    pub order_value: BTreeMap<String, f64>,
    /// Plan lines with planned promotion days in their protection interval, and the
    /// extra demand those days add.
    #[serde(default)]
    pub promotion_lines: usize,
    #[serde(default)]
    pub promotion_extra_demand: f64,
    /// Plan lines with planned events (holidays) in their protection interval, and
    /// the extra demand those days add (negative when events lower demand).
    #[serde(default)]
    pub event_lines: usize,
    #[serde(default)]
    pub event_extra_demand: f64,
}

/// Computes the summary of plan lines and their POs.
pub fn summarize(as_of: NaiveDate, lines: &[PlanLine], orders: &[PurchaseOrder]) -> PlanSummary {
    let mut order_value: BTreeMap<String, f64> = BTreeMap::new();
    for po in orders {
        *order_value.entry(po.currency.clone()).or_default() += po.total_value;
    }
    PlanSummary {
        as_of,
        sku_locations: lines.len(),
        skus: lines.iter().map(|l| l.sku.as_str()).collect::<BTreeSet<_>>().len(),
        below_reorder_point: lines.iter().filter(|l| l.below_reorder_point).count(),
        out_of_stock: lines.iter().filter(|l| l.on_hand - l.reserved <= 0.0 && l.mean_daily_demand > 0.0).count(),
        no_supplier: lines.iter().filter(|l| l.action == LineAction::NoSupplier).count(),
        order_lines: lines.iter().filter(|l| l.action == LineAction::Order).count(),
        purchase_orders: orders.len(),
        suppliers_ordered: orders.iter().map(|p| p.supplier_id.as_str()).collect::<BTreeSet<_>>().len(),
        order_units: orders.iter().map(|p| p.total_quantity).sum(),
        order_value,
        promotion_lines: lines.iter().filter(|l| l.promotion_days > 0).count(),
        promotion_extra_demand: lines.iter().map(|l| l.promotion_extra_demand).sum(),
        event_lines: lines.iter().filter(|l| l.event_days > 0).count(),
        event_extra_demand: lines.iter().map(|l| l.event_extra_demand).sum(),
    }
}

impl PlanSummary {
    /// A few lines of text for a terminal.
    pub fn to_text(&self) -> String {
        let value: Vec<String> = self.order_value.iter().map(|(c, v)| format!("{v:.2} {c}")).collect();
        let mut drivers = String::new();
        if self.promotion_lines > 0 {
            drivers += &format!(
                "  ahead of promotions   : {} line(s), {:+.0} units of demand\n",
                self.promotion_lines, self.promotion_extra_demand
            );
        }
        if self.event_lines > 0 {
            drivers += &format!(
                "  ahead of events       : {} line(s), {:+.0} units of demand\n",
                self.event_lines, self.event_extra_demand
            );
        }
        let text = format!(
            "Plan as of {}\n  SKU-locations planned : {} ({} SKUs)\n  below reorder point   : {}\n  out of stock now      : {}\n  without supplier      : {}\n  order lines           : {}\n  purchase orders       : {} to {} supplier(s)\n  units ordered         : {}\n  order value           : {}\n",
            self.as_of,
            self.sku_locations,
            self.skus,
            self.below_reorder_point,
            self.out_of_stock,
            self.no_supplier,
            self.order_lines,
            self.purchase_orders,
            self.suppliers_ordered,
            self.order_units,
            if value.is_empty() { "0".to_string() } else { value.join(", ") },
        );
        text + &drivers
    }
}

/// The HTML report of a plan: [`report_data`] drawn by [`render_html`].
/// `tracked`: purchase orders under tracking, for alerts and supplier OTIF (may be empty).
pub fn html_report(
    data: &crate::model::Dataset,
    plan: &crate::Plan,
    tracked: &[crate::orders::tracking::PoTracking],
    cfg: &ReportConfig,
) -> crate::error::Result<String> {
    render_html(&report_data(data, plan, tracked, cfg)?)
}
