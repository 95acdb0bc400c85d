//! The plan on the small fixture, checked against numbers computed by hand
//! (docs/policy.md, "Worked example"), and the demo plan against the golden file
//! shared with the Python and Node tests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use replenish::plan::{LineAction, PlanConfig, RunConfig};
use replenish::rules::{PolicyKind, TargetKind};
use replenish::{demo, ingest, plan};

fn small_plan() -> replenish::Plan {
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let data = replenish::read_folder(fixture("small"), &cfg.ingest).unwrap();
    plan(&data.dataset, &cfg.plan).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-3
}

#[test]
fn small_fixture_matches_hand_computation() {
    let p = small_plan();
    assert_eq!(p.lines.len(), 4);
    let a = &p.lines[0];
    assert_eq!((a.sku.as_str(), a.location.as_str()), ("A", "L1"));
    // window of 7 uncensored days skips the stock-out of 03-05: 10,13,7,13,7,13,7
    assert_eq!(a.mean_daily_demand, 10.0);
    assert_eq!(a.sigma_daily_demand, 3.0);
    assert_eq!(a.censored_days, 1);
    // P = L + R = 4 + 1; SS = 1.644854 · sqrt(5·9 + 10²·1²) = 19.8067
    assert_eq!(a.protection_days, 5.0);
    assert!(close(a.safety_stock, 19.8067), "{}", a.safety_stock);
    assert!(close(a.reorder_point, 69.8067));
    // EOQ = sqrt(2·25·3650 / (0.25·2)) = 604.152
    assert!(close(a.eoq.unwrap(), 604.1523));
    assert!(close(a.order_up_to, 673.959));
    // position = 40 on hand + 10 on order (sent; received and cancelled lines do not count) − 5 reserved
    assert_eq!((a.on_hand, a.on_order, a.reserved, a.inventory_position), (40.0, 10.0, 5.0, 45.0));
    assert!(a.below_reorder_point);
    assert!(close(a.net_requirement, 628.959));
    // MOQ 20 (no change) → 53 packs of 12 = 636 → lines of at most max order 100,
    // i.e. 8 packs = 96: six lines of 96 and one of 60
    assert_eq!(a.order_quantity, 636.0);
    assert_eq!(a.order_lines, vec![96.0, 96.0, 96.0, 96.0, 96.0, 96.0, 60.0]);
    assert_eq!(a.rounding.len(), 2, "{:?}", a.rounding);
    assert_eq!(a.order_value, 1272.0);
    assert_eq!(a.action, LineAction::Order);
    assert!(a.explanation.contains("reorder point 69.81"), "{}", a.explanation);

    let b1 = &p.lines[1];
    assert_eq!((b1.sku.as_str(), b1.location.as_str(), b1.action), ("B", "L1", LineAction::NoOrder));
    assert_eq!((b1.reorder_point, b1.order_quantity), (10.0, 0.0));

    let b2 = &p.lines[2];
    assert_eq!((b2.sku.as_str(), b2.location.as_str()), ("B", "L2"));
    assert_eq!(b2.inventory_position, -2.0); // 0 on hand − 2 backordered
    assert_eq!(b2.order_quantity, 278.0); // ceil(5 + 270.185 + 2)
    assert_eq!(p.lines[3].action, LineAction::NoSupplier);

    assert_eq!(p.purchase_orders.len(), 2);
    let po = &p.purchase_orders[0];
    assert_eq!(
        (po.po_number.as_str(), po.supplier_id.as_str(), po.location.as_str()),
        ("PO-20250309-0001", "S1", "L1")
    );
    assert_eq!(po.total_value, 1272.0);
    assert_eq!(po.lines.len(), 7);
    assert!(po.lines.iter().all(|l| l.sku == "A" && l.quantity <= 100.0));
    assert_eq!(p.purchase_orders[1].total_value, 278.0);
    assert_eq!(p.summary.order_value["EUR"], 1550.0);
    assert_eq!(p.summary.no_supplier, 1);
    assert_eq!(a.po_number.as_deref(), Some("PO-20250309-0001"));
}

#[test]
fn the_forecast_is_not_dragged_down_by_a_stockout() {
    // Without the stock-out log (and the stock history), 03-05 is a zero-demand day inside the 7-day window
    // (10, 13, 7, 0, 13, 7, 13): the mean drops from 10 to 9.
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let mut inputs = ingest::read_inputs(fixture("small")).unwrap();
    inputs.stockouts = None;
    inputs.stock_history = None;
    let unflagged = plan(&ingest::parse(&inputs, &cfg.ingest).unwrap().dataset, &cfg.plan).unwrap();
    assert_eq!(unflagged.lines[0].mean_daily_demand, 9.0);
    assert_eq!(unflagged.lines[0].censored_days, 0);
    let flagged = small_plan();
    assert_eq!((flagged.lines[0].mean_daily_demand, flagged.lines[0].censored_days), (10.0, 1));
}

#[test]
fn a_day_closing_without_stock_censors_like_the_stockout_log() {
    // The WMS history says A closed 03-05 with nothing on the shelf: the same
    // stock-out day the log flags, found from on-hand instead.
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let history =
        "date,sku,location,on_hand\n2025-03-04,A,L1,3\n2025-03-05,A,L1,0\n2025-03-06,A,L1,40\n2025-03-05,B,L1,12\n";
    let mut inputs = small_with("stock_history", history);
    inputs.stockouts = None;
    let ing = ingest::parse(&inputs, &cfg.ingest).unwrap();
    assert_eq!(ing.report.stockout_days, 1);
    assert!(ing.report.notes.iter().any(|n| n.starts_with("1 day(s) closing with no stock in stock_history.csv")));
    let from_history = plan(&ing.dataset, &cfg.plan).unwrap();
    assert_eq!((from_history.lines[0].mean_daily_demand, from_history.lines[0].censored_days), (10.0, 1));
    assert_eq!(from_history.lines, small_plan().lines);
}

#[test]
fn order_weekdays_move_the_order_date() {
    let mut inputs = small_with("suppliers", "supplier_id,sku,lead_time_days,moq,pack_size,order_cycle_days,order_weekdays\nS1,A,4,0,1,7,Wed|Fri\nS1,B,4,0,1,7,Wed|Fri\n");
    inputs.stockouts = None;
    inputs.stock_history = None;
    let data = ingest::parse(&inputs, &Default::default()).unwrap();
    let p = plan(&data.dataset, &PlanConfig::default()).unwrap();
    // 2025-03-09 is a Sunday: next Wednesday is 03-12; delivery 4 days later.
    let a = &p.lines[0];
    assert_eq!(a.order_date.map(|d| d.to_string()).as_deref(), Some("2025-03-12"));
    assert_eq!(a.expected_delivery.map(|d| d.to_string()).as_deref(), Some("2025-03-16"));
    assert_eq!(a.review_period_days, 7.0);
}

#[test]
fn category_service_level_overrides_default_and_is_traced() {
    let data = replenish::read_folder(fixture("small"), &Default::default()).unwrap();
    let mut cfg = PlanConfig::default();
    cfg.category_service_levels.insert("Beverages".into(), 0.99);
    let p = plan(&data.dataset, &cfg).unwrap();
    assert_eq!(p.lines[0].service_level, 0.99);
    assert_eq!(p.lines[0].service_level_source, "category:Beverages");
    assert_eq!(p.lines[1].service_level_source, "config");
}

#[test]
fn invalid_configuration_is_a_typed_error() {
    let data = replenish::read_folder(fixture("small"), &Default::default()).unwrap();
    for (cfg, field) in [
        (PlanConfig { service_level: 1.0, ..Default::default() }, "service_level"),
        (PlanConfig { review_period_days: -1.0, ..Default::default() }, "review_period_days"),
        (PlanConfig { po_prefix: "P O".into(), ..Default::default() }, "po_prefix"),
    ] {
        match plan(&data.dataset, &cfg) {
            Err(replenish::Error::Config { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected config error for {field}, got {other:?}"),
        }
    }
    assert!(matches!(RunConfig::from_toml("[plan]\nservice_levle = 0.9\n"), Err(replenish::Error::Config { .. })));
}

/// The golden file holds the demo plan's decisions at full precision; the Python and
/// Node tests compare their plans to the same file, so all three languages agree.
#[test]
fn demo_plan_matches_golden() {
    let inputs = demo::generate(&demo::DemoConfig::default());
    let data = ingest::parse(&inputs, &Default::default()).unwrap();
    let p = plan(&data.dataset, &PlanConfig::default()).unwrap();
    let golden = golden_of(&p);
    let path = repo_tests().join("golden/demo_plan.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, golden).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).expect("tests/golden/demo_plan.json (run with UPDATE_GOLDEN=1 to create)");
    if golden != expected {
        let diff = golden.lines().zip(expected.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "demo plan differs from tests/golden/demo_plan.json from line {} on:\n  got:      {}\n  expected: {}",
            diff + 1,
            golden.lines().nth(diff).unwrap_or(""),
            expected.lines().nth(diff).unwrap_or("")
        );
    }
}

/// Golden fields, one JSON array per plan line and per PO (one line of text each).
fn golden_of(p: &replenish::Plan) -> String {
    let fields = serde_json::to_string(&GOLDEN_LINE_FIELDS).unwrap();
    let mut out = format!("{{\n\"line_fields\": {fields},\n\"lines\": [\n");
    let lines: Vec<String> = p
        .lines
        .iter()
        .map(|l| {
            let v = serde_json::to_value(l).unwrap();
            let row: Vec<&serde_json::Value> = GOLDEN_LINE_FIELDS.iter().map(|f| &v[*f]).collect();
            serde_json::to_string(&row).unwrap()
        })
        .collect();
    out += &lines.join(",\n");
    out += "\n],\n\"po_fields\": [\"po_number\",\"supplier_id\",\"location\",\"order_date\",\"lines\",\"total_quantity\",\"total_value\"],\n\"purchase_orders\": [\n";
    let pos: Vec<String> = p
        .purchase_orders
        .iter()
        .map(|o| {
            serde_json::to_string(&serde_json::json!([
                o.po_number,
                o.supplier_id,
                o.location,
                o.order_date,
                o.lines.len(),
                o.total_quantity,
                o.total_value
            ]))
            .unwrap()
        })
        .collect();
    out += &pos.join(",\n");
    out += &format!("\n],\n\"summary\": {}\n}}\n", serde_json::to_string(&p.summary).unwrap());
    out
}

const GOLDEN_LINE_FIELDS: [&str; 15] = [
    "sku",
    "location",
    "action",
    "supplier_id",
    "mean_daily_demand",
    "sigma_daily_demand",
    "safety_stock",
    "reorder_point",
    "order_up_to",
    "expected_service_level",
    "inventory_position",
    "net_requirement",
    "order_quantity",
    "order_value",
    "po_number",
];

#[test]
fn planning_after_the_history_ends_is_warned_about() {
    let data = replenish::read_folder(fixture("small"), &Default::default()).unwrap();
    let cfg = PlanConfig { as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 20), ..Default::default() };
    let p = plan(&data.dataset, &cfg).unwrap();
    assert!(
        p.warnings.iter().any(|w| w.contains("sales history ends on 2025-03-09, 10 day(s) before")),
        "{:?}",
        p.warnings
    );
    let p = plan(&data.dataset, &PlanConfig::default()).unwrap();
    assert!(!p.warnings.iter().any(|w| w.contains("sales history ends")));
}

/// With normal, independent daily demand (WindowAverage) the simulated safety stock
/// must agree with the textbook formula z·√(P·σ² + d̄²·σ_L²) = 19.81 for SKU A.
#[test]
fn distribution_safety_stock_agrees_with_the_formula_for_normal_demand() {
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let data = replenish::read_folder(fixture("small"), &cfg.ingest).unwrap();
    let plan_cfg =
        PlanConfig { lead_time_demand: replenish::rules::LtdMethod::Distribution, n_paths: 20_000, ..cfg.plan };
    let p = plan(&data.dataset, &plan_cfg).unwrap();
    let a = &p.lines[0];
    assert!(a.safety_stock_method.starts_with("distribution"), "{}", a.safety_stock_method);
    assert!((a.demand_over_protection - 50.0).abs() < 1.0, "mean over protection {}", a.demand_over_protection);
    assert!((a.safety_stock - 19.81).abs() / 19.81 < 0.08, "simulated SS {} vs formula 19.81", a.safety_stock);
    // The same seed gives the same plan; another seed a slightly different one.
    assert_eq!(p, plan(&data.dataset, &plan_cfg).unwrap());
    let other = plan(&data.dataset, &PlanConfig { seed: 1, ..plan_cfg }).unwrap();
    assert_ne!(other.lines[0].safety_stock, a.safety_stock);
}

/// The demo calendar plans promotions just after the planning date: those lines
/// raise their reorder point and order-up-to level by the learnt uplift, and say so.
#[test]
fn the_demo_plan_orders_ahead_of_planned_promotions() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 60, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let as_of = data.inventory[0].as_of;
    let with = plan(&data, &PlanConfig::default()).unwrap();
    // The same calendar without its future rows: only the planned promotions differ.
    let mut past = data.clone();
    past.promotions = past.promotions.map(|v| v.into_iter().filter(|p| p.start <= as_of).collect());
    let without = plan(&past, &PlanConfig::default()).unwrap();
    let promoted: Vec<_> = with.lines.iter().zip(&without.lines).filter(|(l, _)| l.promotion_days > 0).collect();
    assert!(promoted.len() >= 5, "{} lines with planned promotions", promoted.len());
    for (l, base) in &promoted {
        let u = l.promotion_uplift.unwrap();
        assert!(u > 1.2 && u < 2.6, "{} {}: uplift {u}", l.sku, l.location);
        assert!(l.promotion_extra_demand > 0.0);
        assert!(l.order_up_to > base.order_up_to, "{} {}", l.sku, l.location);
        assert!(l.explanation.contains("Includes a promotion from"), "{}", l.explanation);
        assert_eq!(l.mean_daily_demand, base.mean_daily_demand);
    }
    assert!(promoted.iter().any(|(l, b)| l.order_quantity > b.order_quantity));
    // Lines of SKU-locations without planned promotions are unchanged.
    let planned = |l: &replenish::plan::PlanLine| {
        data.promotions
            .iter()
            .flatten()
            .any(|p| p.start > as_of && p.sku == l.sku && p.location.as_deref().is_none_or(|x| x == l.location))
    };
    for (l, b) in with.lines.iter().zip(&without.lines).filter(|(l, _)| !planned(l)) {
        assert_eq!(l.order_up_to, b.order_up_to);
    }
}

#[test]
fn promotion_calendar_rows_are_validated() {
    let mut inputs = ingest::read_inputs(fixture("small")).unwrap();
    inputs.promotions = Some(ingest::TableInput::new(
        "promotions.csv",
        "sku,location,start,end,discount\nA,L1,2025-03-10,2025-03-05,0.2\nZ,,2025-03-10,2025-03-12,\nA,,2025-03-10,2025-03-12,1.5\nA,L1,2025-03-20,2025-03-26,0.25\n"
            .to_string(),
    ));
    let e = ingest::parse(&inputs, &Default::default()).unwrap_err();
    let replenish::Error::Validation { problems, .. } = e else { panic!("{e:?}") };
    let found: Vec<(u64, &str)> = problems
        .iter()
        .filter(|p| p.file == "promotions.csv")
        .map(|p| (p.row.unwrap_or(0), p.column.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(found, vec![(2, "end"), (3, "sku"), (4, "discount")], "{problems:?}");
}

/// The demo's events: Black Friday (×1.6 in the generator) and Christmas (×1.4) fall
/// in the protection days of the slow suppliers. Their lines learn the uplifts from
/// the past two years, raise the order-up-to level against the same data without the
/// future events, and say so; the baseline demand leaves event days out.
#[test]
fn the_demo_plan_orders_ahead_of_holidays() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 60, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let as_of = data.inventory[0].as_of;
    let with = plan(&data, &PlanConfig::default()).unwrap();
    let mut past = data.clone();
    past.events = past.events.map(|v| v.into_iter().filter(|e| e.span().1 <= as_of).collect());
    let without = plan(&past, &PlanConfig::default()).unwrap();
    let lines: Vec<_> = with.lines.iter().zip(&without.lines).filter(|(l, _)| l.event_days > 0).collect();
    assert!(lines.len() >= 10, "{} lines with planned events", lines.len());
    let mut uplifts: Vec<f64> = lines
        .iter()
        .flat_map(|(l, _)| &l.events)
        .filter(|e| e.name == "black_friday")
        .filter_map(|e| e.uplift)
        .collect();
    uplifts.sort_by(f64::total_cmp);
    let median = uplifts[uplifts.len() / 2];
    assert!((median - 1.6).abs() < 0.15, "median Black Friday uplift {median}");
    let raised = lines.iter().filter(|(l, b)| l.order_up_to > b.order_up_to).count();
    assert!(raised * 10 >= lines.len() * 8, "{raised} of {} lines raised", lines.len());
    for (l, b) in &lines {
        assert!(l.explanation.contains("Events in the protection days: "), "{}", l.explanation);
        assert_eq!(l.mean_daily_demand, b.mean_daily_demand);
        assert!(l.events.iter().all(|e| e.days > 0 && e.first_day > as_of));
    }
    // Lines without events in reach are unchanged.
    for (l, b) in with.lines.iter().zip(&without.lines).filter(|(l, _)| l.event_days == 0) {
        if l.lead_time_days + l.review_period_days < 20.0 {
            assert_eq!(l.order_up_to, b.order_up_to, "{} {}", l.sku, l.location);
        }
    }
}

/// Rules choose each line's policy, target and limits, and every line records
/// which rule set each parameter.
#[test]
fn rules_set_parameters_per_segment_and_every_line_cites_its_sources() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 40, locations: 2, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let rules = replenish::rules::RuleSet::from_toml(
        r#"
[[rules]]
name = "A items"
when = "abc == 'A'"
priority = 10
set = { service_level = 0.99, policy = "r_s", lead_time_demand = "gamma" }

[[rules]]
name = "slow movers"
when = "demand_class in ['intermittent', 'lumpy']"
set = { target = "fill_rate", fill_rate = 0.97, safety_stock_max_days = 30 }

[[rules]]
name = "frozen capacity"
when = "category == 'Frozen'"
set = { max_stock_days = 20, shelf_life_days = 60 }

[[rules]]
name = "order on forecast"
when = "category == 'Beverages'"
priority = 5
set = { order_when = "forecast_over_lead_time > on_hand + on_order" }

[[overrides]]
sku = "SKU-0002"
location = "L01"
reason = "key account"
set = { service_level = 0.995, policy = "s_q" }
"#,
    )
    .unwrap();
    let cfg = PlanConfig { rules, ..Default::default() };
    let p = plan(&data, &cfg).unwrap();
    let a: Vec<_> = p.lines.iter().filter(|l| l.abc == "A" && l.sku != "SKU-0002").collect();
    assert!(!a.is_empty());
    for l in &a {
        assert_eq!(l.policy, "r_s");
        assert_eq!(l.parameter_sources["policy"], "rule:A items");
        assert!(l.segments.contains(&"A items".to_string()));
        assert_eq!(l.reorder_point, l.order_up_to);
        if l.target == "cycle_service_level" {
            assert_eq!(l.service_level, 0.99);
            assert_eq!(l.parameter_sources["service_level"], "rule:A items");
        }
        assert!(l.safety_stock_method.starts_with("gamma"), "{}", l.safety_stock_method);
    }
    let slow: Vec<_> = p.lines.iter().filter(|l| l.segments.contains(&"slow movers".to_string())).collect();
    assert!(!slow.is_empty());
    for l in &slow {
        assert_eq!((l.target.as_str(), l.fill_rate_target), ("fill_rate", Some(0.97)));
        assert_eq!(l.parameter_sources["fill_rate"], "rule:slow movers");
        assert!(l.safety_stock <= 30.0 * l.mean_daily_demand + 1e-9);
    }
    for l in p.lines.iter().filter(|l| l.category == "Frozen") {
        assert!(l.order_up_to <= 20.0 * l.mean_daily_demand + 1e-9, "{}", l.explanation);
        assert_eq!(l.parameter_sources["shelf_life_days"], "rule:frozen capacity");
    }
    let bev: Vec<_> = p.lines.iter().filter(|l| l.category == "Beverages").collect();
    assert!(!bev.is_empty());
    for l in &bev {
        assert_eq!(l.trigger, "forecast_over_lead_time > on_hand + on_order");
        assert_eq!(l.parameter_sources["order_when"], "rule:order on forecast");
        if l.action == replenish::plan::LineAction::Order {
            assert!(
                l.explanation.starts_with("order_when `forecast_over_lead_time > on_hand + on_order` holds"),
                "{}",
                l.explanation
            );
        }
    }
    let o = p.lines.iter().find(|l| l.sku == "SKU-0002" && l.location == "L01").unwrap();
    assert_eq!((o.policy.as_str(), o.parameter_sources["policy"].as_ref()), ("s_q", "override:SKU-0002@L01"));
    // Lines no rule touches keep the configuration's parameters.
    let plain = p.lines.iter().find(|l| l.segments.is_empty() && l.sku != "SKU-0002").unwrap();
    assert_eq!((plain.policy.as_str(), plain.parameter_sources["policy"].as_ref()), ("r_s", "config"));

    // A bad rule is an error naming the rule, the field and the column.
    let e =
        replenish::rules::RuleSet::from_toml("[[rules]]\nname = \"x\"\nwhen = \"abc == 'A' and unit_cost > 'high'\"\n")
            .unwrap_err();
    assert_eq!(e.code(), "RULE");
    assert!(e.to_string().starts_with("rule `x`, `when`, column 26: cannot compare a number with a text"), "{e}");
}

/// Policy variants and targets give the levels their definitions say.
#[test]
fn policies_targets_and_limits() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 20, locations: 1, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let base = plan(&data, &PlanConfig::default()).unwrap();
    let with = |toml: &str| {
        let rules = replenish::rules::RuleSet::from_toml(toml).unwrap();
        plan(&data, &PlanConfig { rules, ..Default::default() }).unwrap()
    };
    // Min/max in days of cover.
    let mm = with(
        "[[rules]]\nname = \"mm\"\nset = { policy = \"min_max\", min_days_of_cover = 10, max_days_of_cover = 30 }\n",
    );
    for l in mm.lines.iter().filter(|l| l.mean_daily_demand > 0.0) {
        assert!((l.reorder_point - 10.0 * l.mean_daily_demand).abs() < 1e-9);
        assert!((l.order_up_to - 30.0 * l.mean_daily_demand).abs() < 1e-9);
    }
    // Safety-stock floor in units.
    let floor = with("[[rules]]\nname = \"f\"\nset = { safety_stock_min_units = 500 }\n");
    for l in &floor.lines {
        assert!(l.safety_stock >= 500.0 - 1e-9);
        assert!(l.adjustments.iter().any(|a| a.contains("raised to its floor")) || l.safety_stock >= 500.0);
    }
    // Min cost: the higher the shortage cost, the higher the service level.
    let cheap = with("[[rules]]\nname = \"c\"\nset = { target = \"min_cost\", shortage_cost = 0.5 }\n");
    let dear = with("[[rules]]\nname = \"c\"\nset = { target = \"min_cost\", shortage_cost = 50 }\n");
    for (c, d) in cheap.lines.iter().zip(&dear.lines) {
        assert!(c.service_level <= d.service_level, "{} vs {}", c.service_level, d.service_level);
        assert_eq!(d.parameter_sources["shortage_cost"], "rule:c");
    }
    // Min cost with lost sales under order-up-to: the simulated least-cost level,
    // never above the 99.9% quantile that bounds its search (both read as the model
    // says, without the coverage correction).
    let rules = |toml: &str| replenish::rules::RuleSet::from_toml(toml).unwrap();
    let lost_rule = "[[rules]]\nname = \"l\"\nset = { policy = \"r_s\", target = \"min_cost\", shortage_cost = 5, lost_sales = true }\n";
    let uncorrected = |toml: &str| {
        plan(&data, &PlanConfig { rules: rules(toml), correct_service: false, ..Default::default() }).unwrap()
    };
    let lost = uncorrected(lost_rule);
    let ratio = uncorrected(
        "[[rules]]\nname = \"l\"\nset = { policy = \"r_s\", target = \"cycle_service_level\", service_level = 0.999 }\n",
    );
    let mut lower = 0;
    for (l, r) in lost.lines.iter().zip(&ratio.lines).filter(|(l, _)| l.mean_daily_demand > 0.0) {
        assert!(l.explanation.contains("least-cost level under lost sales"), "{}", l.explanation);
        assert!(!l.explanation.contains("delivered as"), "{}", l.explanation);
        assert!(l.order_up_to <= r.order_up_to + 1e-9, "{} vs {}", l.order_up_to, r.order_up_to);
        lower += usize::from(l.order_up_to < r.order_up_to);
        assert!(l.service_level > 0.0 && l.service_level < 1.0);
    }
    assert!(lower > 0);
    // With the correction (the default), the simulated level's cycle service is read
    // where the assortment's levels covered that share of their past cycles.
    let corrected = with(lost_rule);
    let delivered =
        corrected.lines.iter().filter(|l| l.explanation.contains("delivered as the assortment's levels covered"));
    assert!(delivered.clone().count() * 2 > corrected.lines.len(), "{}", delivered.count());
    assert!(corrected.lines.iter().zip(&lost.lines).any(|(a, b)| a.order_up_to != b.order_up_to));
    // Newsvendor uses the price/cost critical fractile where the item has a price.
    let nv = with("[[rules]]\nname = \"nv\"\nset = { policy = \"newsvendor\" }\n");
    let items: std::collections::HashMap<_, _> = data.items.iter().map(|i| (i.sku.clone(), i)).collect();
    for l in &nv.lines {
        if let Some(p) = items[&l.sku].sell_price.filter(|p| *p > l.unit_cost) {
            assert!((l.service_level - (p - l.unit_cost) / p).abs() < 1e-9);
            assert_eq!(l.target, "newsvendor");
        }
    }
    // Shelf capacity caps the order.
    let cap = with("[[rules]]\nname = \"cap\"\nset = { max_stock_units = 50 }\n");
    for (l, b) in cap.lines.iter().zip(&base.lines) {
        assert!(l.order_up_to <= 50.0 + 1e-9);
        assert!(
            l.inventory_position + l.order_quantity <= 50.0_f64.max(l.inventory_position) + 1e-9
                || l.order_quantity == 0.0,
            "{}",
            l.explanation
        );
        assert!(l.order_quantity <= b.order_quantity.max(50.0));
    }
}

/// A rule chooses the forecast model and the review period of its segment.
#[test]
fn rules_choose_the_forecast_model_and_review_period() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 20, locations: 1, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let rules = replenish::rules::RuleSet::from_toml(
        "[[rules]]\nname = \"dairy\"\nwhen = \"category == 'Dairy'\"\nset = { forecast = { model = \"WindowAverage\", window = 14 }, review_period_days = 3 }\n",
    )
    .unwrap();
    let p = plan(&data, &PlanConfig { rules, ..Default::default() }).unwrap();
    let dairy: Vec<_> = p.lines.iter().filter(|l| l.category == "Dairy").collect();
    assert!(!dairy.is_empty());
    for l in &dairy {
        assert_eq!(l.forecast_model, "WindowAverage(window=14)");
        assert_eq!(l.parameter_sources["forecast"], "rule:dairy");
        assert_eq!((l.review_period_days, l.parameter_sources["review_period_days"].as_ref()), (3.0, "rule:dairy"));
    }
    for l in p.lines.iter().filter(|l| l.category != "Dairy") {
        assert!(l.forecast_model.starts_with("AutoSelect"), "{}", l.forecast_model);
        assert_eq!(l.parameter_sources["forecast"], "config");
    }
    // A rule's invalid model is an error naming the rule's field.
    let e = replenish::rules::RuleSet::from_toml(
        "[[rules]]\nname = \"d\"\nset = { forecast = { model = \"WindowAverage\", window = 0 } }\n",
    );
    assert!(matches!(e, Err(replenish::Error::Config { ref field, .. }) if field == "d.set.forecast"), "{e:?}");
}

/// Re-running the plan with its own purchase orders loaded as open orders orders
/// nothing twice: every line's position now covers its reorder point.
#[test]
fn replanning_with_its_own_orders_open_orders_nothing_new() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 60, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let first = plan(&data, &PlanConfig::default()).unwrap();
    assert!(first.summary.order_lines > 50, "{}", first.summary.order_lines);
    let mut again = data.clone();
    again.open_orders.extend(replenish::orders::as_open_orders(&first.purchase_orders));
    let second = plan(&again, &PlanConfig::default()).unwrap();
    let repeated: Vec<_> = second
        .lines
        .iter()
        .filter(|l| l.order_quantity > 0.0)
        .map(|l| (&l.sku, &l.location, l.explanation.clone()))
        .collect();
    assert!(repeated.is_empty(), "ordered again: {repeated:?}");
    assert!(second.purchase_orders.is_empty());
    // Every line that ordered now has that order on order.
    for (a, b) in first.lines.iter().zip(&second.lines) {
        assert!((b.on_order - a.on_order - a.order_quantity).abs() < 1e-9);
    }
}

/// A budget smaller than the plan's orders defers the least urgent lines (most days
/// of supply) until the rest fits, and reports each with why.
#[test]
fn a_budget_cap_defers_the_lowest_priority_lines() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 40, locations: 1, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let free = plan(&data, &PlanConfig::default()).unwrap();
    let currency = "EUR";
    let eur: Vec<_> = free.lines.iter().filter(|l| l.action == LineAction::Order && l.currency == currency).collect();
    let total: f64 = eur.iter().map(|l| l.order_value).sum();
    assert!(eur.len() > 5, "{} EUR lines", eur.len());
    let budget = replenish::orders::budget::Budget {
        name: "EUR month".into(),
        supplier: None,
        category: None,
        currency: currency.into(),
        amount: total / 2.0,
        ..Default::default()
    };
    let capped = plan(&data, &PlanConfig { budgets: vec![budget], ..Default::default() }).unwrap();
    assert!(!capped.deferred.is_empty());
    let kept: f64 = capped
        .lines
        .iter()
        .filter(|l| l.action == LineAction::Order && l.currency == currency)
        .map(|l| l.order_value)
        .sum();
    assert!(kept <= total / 2.0 + 1e-6, "{kept} > {}", total / 2.0);
    let deferred_value: f64 = capped.deferred.iter().map(|d| d.order_value).sum();
    assert!((kept + deferred_value - total).abs() < 1e-6);
    // Every deferred line is less urgent than every kept line it could have replaced:
    // the most urgent deferred line has more days of supply than the most urgent kept.
    let dos = |d: Option<f64>| d.unwrap_or(f64::INFINITY);
    let min_deferred = capped.deferred.iter().map(|d| dos(d.days_of_supply)).fold(f64::INFINITY, f64::min);
    let min_kept = capped
        .lines
        .iter()
        .filter(|l| l.action == LineAction::Order && l.currency == currency)
        .map(|l| dos(l.days_of_supply))
        .fold(f64::INFINITY, f64::min);
    assert!(min_kept <= min_deferred);
    for d in &capped.deferred {
        let l = capped.lines.iter().find(|l| l.sku == d.sku && l.location == d.location).unwrap();
        assert_eq!((l.action, l.order_quantity, l.po_number.as_deref()), (LineAction::Deferred, 0.0, None));
        assert!(l.explanation.contains("deferred by budget `EUR month`"), "{}", l.explanation);
    }
    assert!(capped.warnings.iter().any(|w| w.contains("deferred by budget")));
    // Other currencies are untouched.
    let other =
        |p: &replenish::Plan| p.lines.iter().filter(|l| l.currency != currency).map(|l| l.order_value).sum::<f64>();
    assert_eq!(other(&free), other(&capped));
    let bad = replenish::orders::budget::Budget {
        name: "x".into(),
        supplier: None,
        category: None,
        currency: "EUR".into(),
        amount: -1.0,
        ..Default::default()
    };
    assert!(plan(&data, &PlanConfig { budgets: vec![bad], ..Default::default() }).is_err());
}

/// Rows of a CSV table whose `sku` falls in part `k` of `n` (by id hash), with the header.
fn part_of(t: &Option<replenish::ingest::TableInput>, k: u64, n: u64) -> Option<replenish::ingest::TableInput> {
    let t = t.as_ref()?;
    let text = t.read().unwrap();
    let mut r = csv::Reader::from_reader(&*text);
    let col = r.headers().unwrap().iter().position(|h| h == "sku").unwrap();
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if replenish::forecast::series_key(&rec[col]) % n == k {
            w.write_record(&rec).unwrap();
        }
    }
    Some(replenish::ingest::TableInput::new(t.name.clone(), w.into_inner().unwrap()))
}

/// JSON out and back, as the Python and Node split plans carry the parts.
fn through_json<T: serde::Serialize + serde::de::DeserializeOwned>(v: &T) -> T {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap()
}

/// The demo planned in three parts of SKUs (stats, merge, lines, finish, every step
/// through JSON) is the whole plan, bit for bit, whatever the thread count.
#[test]
fn a_plan_in_parts_is_the_whole_plan() {
    use replenish::plan::{finish_plan, plan_lines, plan_stats, PlanGlobals};
    let inputs = demo::generate(&demo::DemoConfig { skus: 60, ..Default::default() });
    let whole_data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let cfg = PlanConfig::default();
    let whole = plan(&whole_data, &cfg).unwrap();
    let n = 3;
    let parts: Vec<_> = (0..n)
        .map(|k| {
            let part = replenish::ingest::Inputs {
                sales: part_of(&inputs.sales, k, n),
                inventory: part_of(&inputs.inventory, k, n),
                open_orders: part_of(&inputs.open_orders, k, n),
                stockouts: part_of(&inputs.stockouts, k, n),
                stock_history: part_of(&inputs.stock_history, k, n),
                promotions: part_of(&inputs.promotions, k, n),
                prices: part_of(&inputs.prices, k, n),
                receipts: part_of(&inputs.receipts, k, n),
                ..inputs.clone()
            };
            ingest::parse(&part, &Default::default()).unwrap().dataset
        })
        .collect();
    assert!(parts.iter().all(|p| !p.demand.is_empty() && p.demand.len() < whole_data.demand.len()));
    // Each part on a pool of its own size: threads change nothing.
    let pool = |t| rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
    let first: Vec<_> = parts.iter().map(|d| through_json(&plan_stats(d, &cfg).unwrap())).collect();
    // The demo's two years make a seasonal profile: the parts measure their
    // coverage again with the whole assortment's, which merging without is an error.
    let counts = PlanGlobals::season_counts_to_share(&cfg, &first).expect("a profile to share");
    assert!(
        matches!(PlanGlobals::merge(&cfg, first), Err(replenish::Error::Config { field, .. }) if field == "season_counts")
    );
    let cfg = PlanConfig { season_counts: Some(through_json(&counts)), ..cfg };
    let stats: Vec<_> = parts.iter().map(|d| through_json(&plan_stats(d, &cfg).unwrap())).collect();
    assert_eq!(PlanGlobals::season_counts_to_share(&cfg, &stats), None);
    let mut wrong = stats.clone();
    wrong[0].season = Default::default();
    assert!(PlanGlobals::season_counts_to_share(&cfg, &wrong).is_some());
    let globals = through_json(&PlanGlobals::merge(&cfg, stats).unwrap());
    let mut lines = vec![];
    for (k, d) in parts.iter().enumerate().rev() {
        let part = pool(k + 1).install(|| plan_lines(d, &cfg, &globals, &Default::default()).unwrap());
        lines.extend(through_json(&part));
    }
    let split = finish_plan(lines, &whole_data.items, &whole_data.suppliers, &cfg, &globals).unwrap();
    assert_eq!(serde_json::to_string(&split).unwrap(), serde_json::to_string(&whole).unwrap());
    assert!(!whole.purchase_orders.is_empty());

    // Fill-rate targets: what the parts' levels served of their past demand merges
    // to what the whole's served (whole thousandths of a unit, summed in any order).
    let fill = PlanConfig { target: TargetKind::FillRate, fill_rate: 0.95, ..cfg.clone() };
    let whole_fill = plan(&whole_data, &PlanConfig { season_counts: None, ..fill.clone() }).unwrap();
    let stats: Vec<_> = parts.iter().map(|d| through_json(&plan_stats(d, &fill).unwrap())).collect();
    assert!(stats.iter().all(|s| !s.coverage.fill.is_empty()));
    let globals = through_json(&PlanGlobals::merge(&fill, stats).unwrap());
    let lines = parts
        .iter()
        .rev()
        .flat_map(|d| through_json(&plan_lines(d, &fill, &globals, &Default::default()).unwrap()))
        .collect();
    let split = finish_plan(lines, &whole_data.items, &whole_data.suppliers, &fill, &globals).unwrap();
    assert_eq!(serde_json::to_string(&split).unwrap(), serde_json::to_string(&whole_fill).unwrap());
    assert!(whole_fill.lines.iter().any(|l| l.explanation.contains("the policy replayed with backorders")));

    // A SKU in two parts, or parts planning for different dates, are errors.
    let cfg = PlanConfig { seasonal_profile: false, ..PlanConfig::default() };
    let twice = vec![plan_stats(&parts[0], &cfg).unwrap(), plan_stats(&parts[0], &cfg).unwrap()];
    assert!(
        matches!(PlanGlobals::merge(&cfg, twice), Err(replenish::Error::InvalidInput(m)) if m.contains("more than one part"))
    );
    let mut later = plan_stats(&parts[1], &cfg).unwrap();
    later.as_of = later.as_of.map(|d| d + chrono::Duration::days(1));
    let dates = vec![plan_stats(&parts[0], &cfg).unwrap(), later];
    assert!(matches!(PlanGlobals::merge(&cfg, dates), Err(replenish::Error::Config { field, .. }) if field == "as_of"));
}

#[test]
fn the_invariant_check_finds_a_broken_plan() {
    let inputs = replenish::demo::generate(&replenish::demo::DemoConfig {
        skus: 40,
        locations: 2,
        days: 120,
        ..Default::default()
    });
    let data = replenish::ingest::parse(&inputs, &replenish::ingest::IngestOptions::default()).unwrap().dataset;
    let p = replenish::plan(&data, &replenish::PlanConfig::default()).unwrap();
    assert_eq!(replenish::plan::invariants::violations(&p), Vec::<String>::new());
    let k = p.lines.iter().position(|l| l.order_quantity > 0.0 && l.pack_size > 1.0).expect("an order in packs");
    let mut broken = p.clone();
    broken.lines[k].order_quantity += 1.0;
    let v = replenish::plan::invariants::violations(&broken);
    assert!(v.iter().any(|m| m.contains("whole number of packs")), "{v:?}");
    assert!(v.iter().any(|m| m.contains("do not sum")), "{v:?}");
    let mut broken = p.clone();
    broken.purchase_orders[0].total_value += 10.0;
    let v = replenish::plan::invariants::violations(&broken);
    assert!(v.iter().any(|m| m.contains("total value")), "{v:?}");
    let mut broken = p;
    broken.lines[k].safety_stock = f64::NAN;
    assert!(replenish::plan::invariants::violations(&broken).iter().any(|m| m.contains("safety_stock is NaN")));
}

/// Without ordering costs no EOQ sets order sizes: the default policy orders up to
/// the demand over review period + lead time at the target. Extra item columns are
/// rule attributes, and a `shelf_life_days` column caps what one order brings.
#[test]
fn defaults_need_no_invented_costs_and_item_columns_drive_rules() {
    let mut inputs = demo::generate(&demo::DemoConfig { skus: 30, ..Default::default() });
    let Some(ingest::TableInput { data: ingest::TableData::Bytes(items), .. }) = &inputs.items else {
        panic!("demo items are in memory")
    };
    let items = String::from_utf8(items.clone()).unwrap();
    let mut text = String::new();
    for (i, row) in items.lines().enumerate() {
        let extra = match i {
            0 => ",shelf_life_days,perishable",
            1 => ",3,1",
            _ => ",,0",
        };
        text += &format!("{row}{extra}\n");
    }
    inputs.items = Some(ingest::TableInput::new("items.csv", text));
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    assert_eq!(data.items[0].shelf_life_days, Some(3.0));
    assert!(!data.items[0].attributes.contains_key("shelf_life_days"));

    let p = plan(&data, &PlanConfig::default()).unwrap();
    for l in &p.lines {
        assert_eq!(l.policy, "r_s");
        assert_eq!(l.eoq, None, "{}/{}", l.sku, l.location);
        assert!(!l.parameter_sources.contains_key("ordering_cost"));
        assert_eq!(l.reorder_point, l.order_up_to);
        // The forecast column names the model chosen and the one it beat.
        assert!(l.forecast_model.starts_with("AutoSelect(season_length=7): "), "{}", l.forecast_model);
        assert!(
            l.forecast_model.contains(", beat ") || l.forecast_model.contains("only candidate"),
            "{}",
            l.forecast_model
        );
    }
    let fresh: Vec<_> = p.lines.iter().filter(|l| l.sku == "SKU-0001").collect();
    assert!(!fresh.is_empty());
    for l in &fresh {
        assert_eq!(l.parameter_sources["shelf_life_days"], "items.csv");
        let cap = l.mean_daily_demand * (l.lead_time_days + 3.0);
        assert!(l.inventory_position + l.order_quantity <= cap.max(l.inventory_position) + l.pack_size, "{l:?}");
    }

    // With an ordering cost the EOQ is back, and the (R,s,S) order-up-to sits a cycle above s.
    let costed =
        PlanConfig { ordering_cost: Some(25.0), policy: replenish::rules::PolicyKind::RsS, ..Default::default() };
    let q = plan(&data, &costed).unwrap();
    let l = q.lines.iter().find(|l| l.mean_daily_demand > 0.0 && l.unit_cost > 0.0).unwrap();
    assert!(l.eoq.unwrap() > 0.0 && l.order_up_to >= l.reorder_point + l.eoq.unwrap() - 1e-9, "{l:?}");
    assert_eq!(l.parameter_sources["ordering_cost"], "config");

    // A rule on an extra item column (text, compared with quotes) and on the demo's `brand`.
    let rules = replenish::rules::RuleSet::from_toml(
        r#"
[[rules]]
name = "perishables"
when = "perishable == '1'"
set = { service_level = 0.9 }

[[rules]]
name = "brand 2"
when = "brand == 'Brand 2'"
set = { service_level = 0.97 }
"#,
    )
    .unwrap();
    let r = plan(&data, &PlanConfig { rules, ..Default::default() }).unwrap();
    for l in &r.lines {
        let want = match l.sku.as_str() {
            "SKU-0001" => Some(("perishables", 0.9)),
            "SKU-0002" | "SKU-0019" => Some(("brand 2", 0.97)), // brand = s % 17 + 1
            _ => None,
        };
        match want {
            Some((rule, sl)) => {
                assert_eq!(l.segments, vec![rule.to_string()]);
                assert_eq!(l.service_level, sl);
            }
            None => assert!(l.segments.is_empty(), "{}: {:?}", l.sku, l.segments),
        }
    }
    // A column the items do not have is an error naming it and the ones they have.
    let bad = replenish::rules::RuleSet::from_toml("[[rules]]\nname = \"x\"\nwhen = \"frozen_zone == 'B'\"\n").unwrap();
    let e = plan(&data, &PlanConfig { rules: bad, ..Default::default() }).unwrap_err().to_string();
    assert!(e.contains("unknown attribute `frozen_zone`") && e.contains("brand, perishable"), "{e}");
}

/// With the errors method the explanation names the daily level its levels rest on
/// (the one in `safety_stock_method`), beside the forecast's mean.
#[test]
fn the_explanation_names_the_rate_the_levels_rest_on() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 20, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let p = plan(&data, &PlanConfig::default()).unwrap();
    let mut checked = 0;
    for l in p.lines.iter().filter(|l| l.safety_stock_method.starts_with("errors")) {
        let level = l.safety_stock_method.split("today's level ").nth(1).unwrap().split("/day").next().unwrap();
        assert!(l.explanation.contains(&format!("from today's level {level}/day")), "{}", l.explanation);
        // Mean over the interval + safety stock is the level the policy used.
        assert!((l.demand_over_protection + l.safety_stock - l.order_up_to).abs() < 1.0 + l.pack_size, "{l:?}");
        checked += 1;
    }
    assert!(checked > 10, "{checked}");
}

/// Cycle-service levels of `errors` lines are read at the probability the demo's own
/// out-of-sample coverage calls for; the line keeps its target and says both.
#[test]
fn cycle_service_is_read_where_past_coverage_says() {
    let data =
        ingest::parse(&demo::generate(&demo::DemoConfig { skus: 60, ..Default::default() }), &Default::default())
            .unwrap()
            .dataset;
    let corrected = plan(&data, &PlanConfig::default()).unwrap();
    let plain = plan(&data, &PlanConfig { correct_service: false, ..Default::default() }).unwrap();
    let read_at = |p: &replenish::plan::Plan| p.lines.iter().filter(|l| l.explanation.contains("read at the")).count();
    assert!(read_at(&corrected) * 10 > corrected.lines.len() * 9, "{}", read_at(&corrected));
    assert_eq!(read_at(&plain), 0);
    assert!(corrected.lines.iter().zip(&plain.lines).all(|(a, b)| a.service_level == b.service_level));
    assert!(corrected.lines.iter().zip(&plain.lines).any(|(a, b)| a.order_up_to != b.order_up_to));
    // The whole level is the smallest that reaches the target: the service it is
    // expected to give (the pool's share at its probability, or the distribution's
    // own without the correction) is at or above the target, and the explanation
    // names it where whole units lift it by more than half a point.
    for p in [&corrected, &plain] {
        for l in p.lines.iter().filter(|l| l.adjustments.is_empty()) {
            assert!(l.expected_service_level >= l.service_level - 1e-6, "{l:?}");
            let lifted = l.expected_service_level > l.service_level + 0.005;
            assert_eq!(
                lifted,
                l.explanation
                    .contains("the smallest level that reaches it, the order-up-to level, is expected to give"),
                "{l:?}"
            );
        }
    }
    // Read at the target itself, slow movers' whole levels give more than it.
    let lifted = plain.lines.iter().filter(|l| l.explanation.contains("the smallest level that reaches it")).count();
    assert!(lifted > 0 && lifted < plain.lines.len(), "{lifted}");

    // Lost sales: the coverage is measured by replaying the policy with lost sales;
    // levels then covered at least as often, so no level is higher and some are lower.
    let lost = plan(&data, &PlanConfig { lost_sales: true, ..Default::default() }).unwrap();
    assert!(lost.lines.iter().zip(&corrected.lines).all(|(a, b)| a.order_up_to <= b.order_up_to + 1e-9));
    assert!(lost.lines.iter().zip(&corrected.lines).any(|(a, b)| a.order_up_to < b.order_up_to));

    // Fill-rate targets of an order-up-to policy: read where levels served the
    // target's share of the assortment's past demand, the policy replayed on it
    // (with lost sales when told); of a reorder-point policy: met on the
    // distribution as the coverage values fell.
    let fill = PlanConfig { target: TargetKind::FillRate, fill_rate: 0.95, ..Default::default() };
    let corrected = plan(&data, &fill).unwrap();
    let plain = plan(&data, &PlanConfig { correct_service: false, ..fill.clone() }).unwrap();
    let count = |p: &replenish::plan::Plan, text: &str| p.lines.iter().filter(|l| l.explanation.contains(text)).count();
    let replayed = count(&corrected, "of the demand of");
    assert!(replayed * 10 > corrected.lines.len() * 9, "{replayed}");
    assert_eq!(count(&corrected, "the policy replayed with backorders"), replayed);
    assert_eq!(count(&plain, "of the demand of") + count(&plain, "fell out of sample"), 0);
    assert!(corrected.lines.iter().all(|l| l.fill_rate_target == Some(0.95)));
    assert!(corrected.lines.iter().zip(&plain.lines).any(|(a, b)| a.order_up_to != b.order_up_to));
    // Expected cycle service: a probability, the pool's share where it was read.
    assert!(corrected.lines.iter().all(|l| (0.0..=1.0).contains(&l.expected_service_level)));
    let lost = plan(&data, &PlanConfig { lost_sales: true, ..fill.clone() }).unwrap();
    assert_eq!(count(&lost, "the policy replayed with lost sales"), count(&lost, "of the demand of"));
    assert!(count(&lost, "of the demand of") * 10 > lost.lines.len() * 9);
    // No backlog eats the next delivery: no level is higher with lost sales.
    assert!(lost.lines.iter().zip(&corrected.lines).all(|(a, b)| a.order_up_to <= b.order_up_to + 1e-9));
    let reorder_point = plan(&data, &PlanConfig { policy: PolicyKind::SS, ..fill }).unwrap();
    let reread = count(&reorder_point, "fell out of sample");
    assert!(reread * 10 > reorder_point.lines.len() * 9, "{reread}");
    assert_eq!(count(&reorder_point, "of the demand of"), 0);
}

/// With every week of the year seen in two years, the errors method reads its days
/// through the assortment's seasonal profile and says so; `seasonal_profile = false`,
/// or a single year of history, plans without it.
#[test]
fn errors_lines_read_the_assortments_seasonal_profile() {
    let demo_data = |days| {
        let inputs = demo::generate(&demo::DemoConfig { skus: 40, days, ..Default::default() });
        ingest::parse(&inputs, &Default::default()).unwrap().dataset
    };
    let data = demo_data(730);
    let with = plan(&data, &PlanConfig::default()).unwrap();
    let without = plan(&data, &PlanConfig { seasonal_profile: false, ..Default::default() }).unwrap();
    let profiled = |p: &replenish::plan::Plan| {
        p.lines.iter().filter(|l| l.safety_stock_method.contains("week of the year profile")).count()
    };
    let on_errors = with.lines.iter().filter(|l| l.safety_stock_method.starts_with("errors")).count();
    assert!(on_errors > 10 && profiled(&with) == on_errors, "{} of {on_errors}", profiled(&with));
    assert!(with
        .lines
        .iter()
        .filter(|l| l.safety_stock_method.contains("profile"))
        .all(|l| l.explanation.contains("× season ")));
    assert_eq!(profiled(&without), 0);
    assert!(with.lines.iter().zip(&without.lines).any(|(a, b)| a.order_up_to != b.order_up_to));
    assert_eq!(profiled(&plan(&demo_data(365), &PlanConfig::default()).unwrap()), 0);
    // Two years make no ratio of a series' own for every week (the year-long moving
    // average needs half a year on either side): every line reads the assortment's.
    assert!(with.lines.iter().all(|l| !l.safety_stock_method.contains("own months")));
}

/// Five years of the demo, whose items peak in different weeks of the year: lines
/// whose own weekly ratios stand out from chance read their own profile, shrunk
/// towards the assortment's, and say with what weight.
#[test]
fn series_with_a_season_of_their_own_keep_it() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 12, locations: 1, days: 5 * 365, ..Default::default() });
    let data = ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let p = plan(&data, &PlanConfig::default()).unwrap();
    let own: Vec<&replenish::plan::PlanLine> = p
        .lines
        .iter()
        .filter(|l| l.safety_stock_method.contains("week of the year profile with the series' own months (weight "))
        .collect();
    assert!(!own.is_empty(), "{:?}", p.lines.iter().map(|l| &l.safety_stock_method).collect::<Vec<_>>());
    assert!(own.len() < p.lines.len());
}
