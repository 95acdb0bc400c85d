//! Plan and purchase orders as CSV and JSON text. Pure: returns strings; the CLI
//! and bindings decide where they go.

use crate::error::{Error, Result};
use crate::orders::PurchaseOrder;
use crate::plan::{Plan, PlanLine};
use serde::Serialize;

/// Column order of `plan.csv`.
pub const PLAN_COLUMNS: [&str; 62] = [
    "sku",
    "location",
    "item_name",
    "category",
    "supplier_id",
    "action",
    "forecast_model",
    "history_days",
    "censored_days",
    "mean_daily_demand",
    "sigma_daily_demand",
    "lead_time_days",
    "lead_time_std_days",
    "review_period_days",
    "protection_days",
    "demand_over_protection",
    "service_level",
    "expected_service_level",
    "service_level_source",
    "safety_stock_method",
    "z",
    "safety_stock",
    "reorder_point",
    "eoq",
    "cycle_quantity",
    "order_up_to",
    "on_hand",
    "on_order",
    "backorders",
    "reserved",
    "inventory_position",
    "below_reorder_point",
    "days_of_supply",
    "net_requirement",
    "order_quantity",
    "rounding",
    "moq",
    "pack_size",
    "max_order",
    "unit_cost",
    "currency",
    "order_value",
    "order_date",
    "expected_delivery",
    "po_number",
    "promotion_days",
    "promotion_uplift",
    "promotion_extra_demand",
    "event_days",
    "events",
    "event_extra_demand",
    "policy",
    "target",
    "fill_rate_target",
    "demand_class",
    "abc",
    "xyz",
    "segments",
    "trigger",
    "parameter_sources",
    "adjustments",
    "explanation",
];

/// Numbers in CSV are rounded to 4 decimals for people; JSON keeps full precision.
fn num(v: f64) -> String {
    let r = (v * 1e4).round() / 1e4;
    if r == 0.0 {
        "0".into()
    } else {
        format!("{r}")
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn csv_err(e: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("cannot write CSV: {e}"))
}

fn line_record(l: &PlanLine) -> Vec<String> {
    let action = serde_json::to_value(l.action).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    vec![
        l.sku.clone(),
        l.location.clone(),
        l.item_name.clone(),
        l.category.clone(),
        opt(&l.supplier_id),
        action,
        l.forecast_model.clone(),
        l.history_days.to_string(),
        l.censored_days.to_string(),
        num(l.mean_daily_demand),
        num(l.sigma_daily_demand),
        num(l.lead_time_days),
        num(l.lead_time_std_days),
        num(l.review_period_days),
        num(l.protection_days),
        num(l.demand_over_protection),
        num(l.service_level),
        num(l.expected_service_level),
        l.service_level_source.clone(),
        l.safety_stock_method.clone(),
        num(l.z),
        num(l.safety_stock),
        num(l.reorder_point),
        l.eoq.map(num).unwrap_or_default(),
        num(l.cycle_quantity),
        num(l.order_up_to),
        num(l.on_hand),
        num(l.on_order),
        num(l.backorders),
        num(l.reserved),
        num(l.inventory_position),
        l.below_reorder_point.to_string(),
        l.days_of_supply.map(num).unwrap_or_default(),
        num(l.net_requirement),
        num(l.order_quantity),
        l.rounding.join("; "),
        num(l.moq),
        num(l.pack_size),
        l.max_order.map(num).unwrap_or_default(),
        num(l.unit_cost),
        l.currency.clone(),
        num(l.order_value),
        opt(&l.order_date),
        opt(&l.expected_delivery),
        opt(&l.po_number),
        l.promotion_days.to_string(),
        l.promotion_uplift.map(num).unwrap_or_default(),
        num(l.promotion_extra_demand),
        l.event_days.to_string(),
        l.events
            .iter()
            .map(|e| match e.uplift {
                Some(u) => format!("{} x{}", e.name, num(u)),
                None => e.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        num(l.event_extra_demand),
        l.policy.clone(),
        l.target.clone(),
        l.fill_rate_target.map(num).unwrap_or_default(),
        l.demand_class.clone(),
        l.abc.clone(),
        l.xyz.clone(),
        l.segments.join("; "),
        l.trigger.clone(),
        l.parameter_sources.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "),
        l.adjustments.join("; "),
        l.explanation.clone(),
    ]
}

/// `plan.csv`: one row per SKU-location with every number behind the decision.
pub fn plan_csv(plan: &Plan) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(PLAN_COLUMNS).map_err(csv_err)?;
    for l in &plan.lines {
        w.write_record(line_record(l)).map_err(csv_err)?;
    }
    String::from_utf8(w.into_inner().map_err(csv_err)?).map_err(csv_err)
}

/// `purchase_orders.csv`: one row per PO line, with the PO header repeated.
pub fn purchase_orders_csv(orders: &[PurchaseOrder]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "po_number",
        "supplier_id",
        "supplier_name",
        "location",
        "order_date",
        "expected_delivery",
        "currency",
        "status",
        "line",
        "sku",
        "item_name",
        "quantity",
        "pack_size",
        "unit_cost",
        "line_value",
        "po_total_value",
    ])
    .map_err(csv_err)?;
    for po in orders {
        for l in &po.lines {
            w.write_record([
                po.po_number.clone(),
                po.supplier_id.clone(),
                po.supplier_name.clone(),
                po.location.clone(),
                po.order_date.to_string(),
                opt(&l.expected_delivery),
                po.currency.clone(),
                po.status.as_str().to_string(),
                l.line.to_string(),
                l.sku.clone(),
                l.item_name.clone(),
                num(l.quantity),
                num(l.pack_size),
                num(l.unit_cost),
                num(l.line_value),
                num(po.total_value),
            ])
            .map_err(csv_err)?;
        }
    }
    String::from_utf8(w.into_inner().map_err(csv_err)?).map_err(csv_err)
}

/// Pretty JSON of any serialisable value (plans, POs, reports).
/// `open_orders.csv` in the format the ingestion reads (docs/data-formats.md).
pub fn open_orders_csv(lines: &[crate::model::OpenOrderLine]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "po_number",
        "line",
        "supplier_id",
        "sku",
        "location",
        "status",
        "quantity_ordered",
        "quantity_received",
        "order_date",
        "expected_date",
    ])
    .map_err(csv_err)?;
    for l in lines {
        w.write_record([
            l.po_number.clone(),
            l.line.to_string(),
            l.supplier_id.clone(),
            l.sku.clone(),
            l.location.clone(),
            l.status.as_str().to_string(),
            num(l.quantity_ordered),
            num(l.quantity_received),
            l.order_date.to_string(),
            l.expected_date.map(|d| d.to_string()).unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    String::from_utf8(w.into_inner().map_err(csv_err)?).map_err(csv_err)
}

/// `receipts.csv`: one row per received PO line, for lead-time learning.
pub fn receipts_csv(receipts: &[crate::orders::leadtime::Receipt]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["supplier_id", "sku", "order_date", "received_date"]).map_err(csv_err)?;
    for r in receipts {
        w.write_record([r.supplier_id.clone(), r.sku.clone(), r.order_date.to_string(), r.received_date.to_string()])
            .map_err(csv_err)?;
    }
    String::from_utf8(w.into_inner().map_err(csv_err)?).map_err(csv_err)
}

pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::InvalidInput(format!("cannot write JSON: {e}")))
}
