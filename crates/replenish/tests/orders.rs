//! Purchase orders end to end: supplier minimums, truck fill, order calendars and
//! cut-offs, budget periods, and a PO's life from approval to receipt with alerts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate, NaiveTime};
use replenish::model::MinOrderAction;
use replenish::orders::budget::Budget;
use replenish::orders::tracking::{self, AlertConfig, PoEvent, PoEventFor, PoTracking, StockOutlook, Tolerance};
use replenish::plan::{LineAction, PlanConfig};
use replenish::workflow::ApprovalConfig;
use replenish::{demo, ingest, plan, Dataset};

fn demo_data(skus: usize) -> Dataset {
    let inputs = demo::generate(&demo::DemoConfig { skus, locations: 1, ..Default::default() });
    ingest::parse(&inputs, &Default::default()).unwrap().dataset
}

/// Order value per PO of a supplier.
fn po_values(p: &replenish::Plan, supplier: &str) -> Vec<f64> {
    p.purchase_orders.iter().filter(|po| po.supplier_id == supplier).map(|po| po.total_value).collect()
}

#[test]
fn a_supplier_minimum_tops_up_or_defers_whole_orders() {
    let mut data = demo_data(60);
    let free = plan(&data, &PlanConfig::default()).unwrap();
    // The supplier with the smallest PO: ask for twice its largest PO.
    let po = free.purchase_orders.iter().min_by(|a, b| a.total_value.total_cmp(&b.total_value)).unwrap();
    let sid = po.supplier_id.clone();
    let minimum = 2.0 * po_values(&free, &sid).into_iter().fold(0.0, f64::max);
    let s = data.suppliers.iter_mut().find(|s| s.id == sid).unwrap();
    s.min_order_value = Some(minimum);
    let topped = plan(&data, &PlanConfig::default()).unwrap();
    let unmet = topped.supplier_adjustments.iter().any(|a| a.kind == "min_order_unmet" && a.supplier_id == sid);
    for v in po_values(&topped, &sid) {
        assert!(v >= minimum - 1e-6 || unmet, "PO of {v} below the minimum {minimum}");
    }
    assert!(topped.supplier_adjustments.iter().any(|a| a.supplier_id == sid && a.kind.starts_with("min_order")));
    // Topped-up lines say so, and stay within their order-up-to level + 28 days.
    let grown: Vec<_> = topped
        .lines
        .iter()
        .filter(|l| l.adjustments.iter().any(|a| a.starts_with("topped up to the supplier's minimum order")))
        .collect();
    assert!(!grown.is_empty());
    for l in &grown {
        assert!(
            l.inventory_position + l.order_quantity
                <= l.order_up_to.max(l.inventory_position) + 28.0 * l.mean_daily_demand + 1e-6
        );
    }
    // Other suppliers are untouched.
    for other in free.purchase_orders.iter().filter(|p| p.supplier_id != sid) {
        assert!(topped
            .purchase_orders
            .iter()
            .any(|p| p.supplier_id == other.supplier_id && p.total_value == other.total_value));
    }

    data.suppliers.iter_mut().find(|s| s.id == sid).unwrap().min_order_action = MinOrderAction::Defer;
    let deferred = plan(&data, &PlanConfig::default()).unwrap();
    assert!(po_values(&deferred, &sid).iter().all(|&v| v >= minimum - 1e-6));
    let mine: Vec<_> = deferred.deferred.iter().filter(|d| d.cause == "minimum_order").collect();
    assert!(!mine.is_empty());
    for d in mine {
        let l = deferred.lines.iter().find(|l| l.sku == d.sku && l.location == d.location).unwrap();
        assert_eq!(l.action, LineAction::Deferred);
        assert!(l.explanation.contains("below the supplier's minimum"), "{}", l.explanation);
    }
}

#[test]
fn trucks_are_filled_with_what_runs_out_soonest_without_adding_a_truck() {
    let mut data = demo_data(60);
    for (k, item) in data.items.iter_mut().enumerate() {
        item.unit_volume = Some(0.002 + 0.001 * (k % 5) as f64);
    }
    let free = plan(&data, &PlanConfig::default()).unwrap();
    let po = free.purchase_orders.iter().max_by(|a, b| a.total_quantity.total_cmp(&b.total_quantity)).unwrap();
    let sid = po.supplier_id.clone();
    let volume: f64 = po
        .lines
        .iter()
        .map(|l| l.quantity * data.items.iter().find(|i| i.sku == l.sku).unwrap().unit_volume.unwrap())
        .sum();
    // A truck 1.6 times the PO's volume: one truck, 62% full before the top-up.
    let s = data.suppliers.iter_mut().find(|s| s.id == sid).unwrap();
    s.truck_volume = Some(volume * 1.6);
    let reported = plan(&data, &PlanConfig::default()).unwrap();
    let load = reported.purchase_orders.iter().find(|p| p.po_number == po.po_number).unwrap().load.clone().unwrap();
    assert_eq!(load.trucks, 1);
    assert!((load.fill - 1.0 / 1.6).abs() < 1e-6, "{load:?}");
    data.suppliers.iter_mut().find(|s| s.id == sid).unwrap().fill_trucks = true;
    let filled = plan(&data, &PlanConfig::default()).unwrap();
    let after = filled.purchase_orders.iter().find(|p| p.supplier_id == sid && p.location == po.location).unwrap();
    let load = after.load.clone().unwrap();
    assert_eq!(load.trucks, 1);
    assert!(load.fill > 1.0 / 1.6 + 0.05, "{load:?}");
    assert!(filled.supplier_adjustments.iter().any(|a| a.kind == "truck_top_up" && a.supplier_id == sid));
}

#[test]
fn an_order_after_the_cutoff_goes_on_the_next_order_day() {
    let mut data = demo_data(30);
    let base = plan(&data, &PlanConfig::default()).unwrap();
    let po = &base.purchase_orders[0];
    let sid = po.supplier_id.clone();
    // Clear the SKU-level days so the supplier's calendar applies: every day, cut-off 11:00.
    for t in data.supply_terms.iter_mut().filter(|t| t.supplier_id == sid) {
        t.order_weekdays.clear();
    }
    let s = data.suppliers.iter_mut().find(|s| s.id == sid).unwrap();
    s.order_cutoff = Some(NaiveTime::from_hms_opt(11, 0, 0).unwrap());
    let morning = PlanConfig { order_time: NaiveTime::from_hms_opt(9, 0, 0), ..Default::default() };
    let afternoon = PlanConfig { order_time: NaiveTime::from_hms_opt(14, 0, 0), ..Default::default() };
    let early = plan(&data, &morning).unwrap();
    let late = plan(&data, &afternoon).unwrap();
    let date = |p: &replenish::Plan| p.purchase_orders.iter().find(|x| x.supplier_id == sid).unwrap().order_date;
    assert_eq!(date(&early), early.as_of);
    assert_eq!(date(&late), early.as_of + Duration::days(1));
}

#[test]
fn a_budget_covers_its_period_and_counts_what_was_spent() {
    let data = demo_data(40);
    let free = plan(&data, &PlanConfig::default()).unwrap();
    let eur: f64 = free.lines.iter().filter(|l| l.currency == "EUR").map(|l| l.order_value).sum();
    let past = Budget {
        name: "last month".into(),
        currency: "EUR".into(),
        amount: 0.0,
        until: Some(free.as_of - Duration::days(1)),
        ..Default::default()
    };
    let p = plan(&data, &PlanConfig { budgets: vec![past], ..Default::default() }).unwrap();
    assert!(p.deferred.is_empty(), "a budget of another period defers nothing");
    let spent =
        Budget { name: "spent".into(), currency: "EUR".into(), amount: eur, spent: eur / 2.0, ..Default::default() };
    let p = plan(&data, &PlanConfig { budgets: vec![spent], ..Default::default() }).unwrap();
    let kept: f64 = p.lines.iter().filter(|l| l.currency == "EUR").map(|l| l.order_value).sum();
    assert!(kept <= eur / 2.0 + 1e-6 && !p.deferred.is_empty());
    assert!(p.deferred[0].reason.contains("already spent"), "{}", p.deferred[0].reason);
}

const APPROVALS: &str = r#"
auto_approve_when = "total_value < 200"
[actors]
ann = ["buyer"]
max = ["manager"]
fin = ["finance_director"]
[[rules]]
name = "manager"
steps = [{ name = "manager", roles = ["manager"] }]
[[rules]]
name = "finance"
when = "total_value >= 5000"
steps = [{ name = "finance", roles = ["finance_director"] }]
"#;

fn event(po: &str, json: serde_json::Value) -> PoEventFor {
    let mut v = json;
    v["po_number"] = po.into();
    serde_json::from_value(v).unwrap()
}

/// The plan's POs are approved, sent, confirmed short, shipped and received; the
/// alerts follow, the open orders feed the next plan, and receipts teach lead times.
#[test]
fn purchase_orders_are_tracked_from_approval_to_receipt() {
    let data = demo_data(60);
    let p = plan(&data, &PlanConfig::default()).unwrap();
    let workflow = ApprovalConfig::from_toml(APPROVALS).unwrap().compile().unwrap();
    let states: Vec<PoTracking> =
        p.purchase_orders.iter().map(|po| PoTracking::new(po, Tolerance::default()).unwrap()).collect();
    let t0 = p.as_of.and_hms_opt(9, 0, 0).unwrap();
    let mut events = Vec::new();
    for po in &p.purchase_orders {
        events.push(event(&po.po_number, serde_json::json!({"event": "submit", "actor": "ann", "at": t0})));
        if po.total_value >= 200.0 {
            events.push(event(
                &po.po_number,
                serde_json::json!({"event": "approve", "actor": "max", "at": t0 + Duration::hours(1)}),
            ));
        }
        if po.total_value >= 5000.0 {
            events.push(event(
                &po.po_number,
                serde_json::json!({"event": "approve", "actor": "fin", "at": t0 + Duration::hours(2)}),
            ));
        }
        events.push(event(&po.po_number, serde_json::json!({"event": "send", "at": t0 + Duration::hours(3)})));
    }
    let (states, refused) = tracking::apply_all(&workflow, states, &events);
    assert!(refused.is_empty(), "{refused:?}");
    assert!(states.iter().all(|s| s.status == replenish::model::PoStatus::Sent));
    // The first PO: its first line confirmed at half, the rest shipped and received.
    let first = &p.purchase_orders[0];
    let l1 = &first.lines[0];
    let day = |d: i64| p.as_of.and_hms_opt(8, 0, 0).unwrap() + Duration::days(d);
    let more = vec![
        event(
            &first.po_number,
            serde_json::json!({"event": "acknowledge", "at": day(1), "lines": [{"line": l1.line, "quantity": (l1.quantity / 2.0).floor()}]}),
        ),
        event(
            &first.po_number,
            serde_json::json!({"event": "receive", "at": day(2), "lines": [{"line": l1.line, "quantity": l1.quantity * 2.0}]}),
        ),
    ];
    let (states, refused) = tracking::apply_all(&workflow, states, &more);
    assert_eq!(refused.len(), 1, "over-delivery beyond the tolerance is refused: {refused:?}");
    assert_eq!((refused[0].index, refused[0].kind.as_str()), (1, "bad_quantity"));
    // Alerts a week later: the short confirmation, and the other POs not acknowledged.
    let stock = StockOutlook::from_plan(&p, &data.open_orders);
    let alerts = tracking::alerts(&states, &stock, p.as_of + Duration::days(7), &AlertConfig::default());
    assert!(alerts.iter().any(|a| a.kind.as_str() == "short_confirmation" && a.po_number == first.po_number));
    let no_ack = alerts.iter().filter(|a| a.kind.as_str() == "no_acknowledgement").count();
    assert_eq!(no_ack, p.purchase_orders.len() - 1);
    for a in &alerts {
        assert!(!a.skus.is_empty() && a.projected_lost_sales >= 0.0 && !a.message.is_empty());
    }
    // Alerts by type, as the reports count them.
    let counts = replenish::kpi::alert_counts(&alerts);
    assert_eq!(counts.iter().map(|c| c.alerts).sum::<usize>(), alerts.len());
    let no_ack_count = counts.iter().find(|c| c.kind == "no_acknowledgement").unwrap();
    assert_eq!((no_ack_count.alerts, no_ack_count.pos), (no_ack, no_ack));
    let lost: f64 = alerts.iter().map(|a| a.projected_lost_sales).sum();
    assert!((counts.iter().map(|c| c.projected_lost_sales).sum::<f64>() - lost).abs() < 1e-6);
    // Every history verifies, and each PO's approval follows its chain.
    for s in &states {
        assert!(replenish::workflow::verify(&s.history, Some(&s.head_hash)).is_ok());
        assert!(s.history.iter().any(|r| matches!(r.event, PoEvent::Tracking(_))));
    }
    // The tracked POs as open orders: re-planning orders nothing new, except what
    // the short confirmation left uncovered.
    let mut again = data.clone();
    again.open_orders.extend(tracking::open_orders(&states));
    let second = plan(&again, &PlanConfig::default()).unwrap();
    let new: Vec<_> = second.lines.iter().filter(|l| l.order_quantity > 0.0).map(|l| l.sku.clone()).collect();
    assert!(new.iter().all(|s| *s == l1.sku), "ordered again: {new:?}");
}

/// Receipts in the dataset: the plan uses the learnt lead time and says so.
#[test]
fn the_plan_learns_lead_times_from_receipts() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 30, locations: 1, ..Default::default() });
    let base = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let t = base.supply_terms.iter().find(|t| t.rank == 1).unwrap().clone();
    // This supplier really takes its stated lead time + 6 days, ±1.
    let mut csv = String::from("supplier_id,sku,order_date,received_date\n");
    let d0 = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    for k in 0..40 {
        let ordered = d0 + Duration::days(7 * k);
        let days = (t.lead_time_days + 6.0).round() as i64 + [-1, 0, 1][k as usize % 3];
        csv.push_str(&format!("{},{},{ordered},{}\n", t.supplier_id, t.sku, ordered + Duration::days(days)));
    }
    let mut with = inputs.clone();
    with.set("receipts", ingest::TableInput::new("receipts.csv", csv.clone().into_bytes())).unwrap();
    let data = ingest::parse(&with, &Default::default()).unwrap().dataset;
    assert_eq!(data.receipts.len(), 40);
    let p = plan(&data, &PlanConfig::default()).unwrap();
    let line = p.lines.iter().find(|l| l.sku == t.sku && l.supplier_id.as_deref() == Some(&t.supplier_id)).unwrap();
    assert!(line.lead_time_days > t.lead_time_days + 4.0, "{} vs stated {}", line.lead_time_days, t.lead_time_days);
    assert_eq!(line.parameter_sources.get("lead_time").map(|s| &**s), Some("learnt from 40 receipt(s)"));
    // Off: the stated terms.
    let off = plan(&data, &PlanConfig { learn_lead_times: false, ..Default::default() }).unwrap();
    let line = off.lines.iter().find(|l| l.sku == t.sku).unwrap();
    assert_eq!(line.lead_time_days, t.lead_time_days);
    // A receipt before its order date, or of an unknown supplier, is a validation problem.
    let bad = csv.replacen(&format!("{},{}", t.supplier_id, t.sku), "NOPE,SKU-0001", 1)
        + &format!("{},{},2026-03-10,2026-03-01\n", t.supplier_id, t.sku);
    let mut broken = inputs.clone();
    broken.set("receipts", ingest::TableInput::new("receipts.csv", bad.into_bytes())).unwrap();
    match ingest::parse(&broken, &Default::default()) {
        Err(replenish::Error::Validation { problems, .. }) => {
            let cols: Vec<(Option<u64>, Option<&str>)> =
                problems.iter().map(|p| (p.row, p.column.as_deref())).collect();
            assert!(cols.contains(&(Some(2), Some("supplier_id"))), "{problems:?}");
            assert!(cols.contains(&(Some(42), Some("received_date"))), "{problems:?}");
        }
        other => panic!("expected a validation error, got {:?}", other.map(|_| ())),
    }
}
