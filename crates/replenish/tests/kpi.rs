//! KPIs on the small fixture, checked against values computed by hand
//! (docs/reports.md walks through them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use replenish::kpi::{kpis, KpiConfig, Period};
use replenish::plan::RunConfig;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

#[test]
fn kpis_of_the_small_fixture_match_hand_computation() {
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let data = replenish::read_folder(fixture("small"), &cfg.ingest).unwrap().dataset;
    let plan = replenish::plan(&data, &cfg.plan).unwrap();
    // The last 7 days, 2025-03-03 (a Monday) to 2025-03-09: one week.
    let r = kpis(&data, &plan, &KpiConfig { window_days: 7, dead_stock_days: 7, period: Period::Week }).unwrap();
    assert_eq!((r.window_start.to_string(), r.window_end.to_string()), ("2025-03-03".into(), "2025-03-09".into()));
    let line = |sku: &str, loc: &str| r.lines.iter().find(|l| l.sku == sku && l.location == loc).unwrap();

    // A@L1 sold 13, 7, 0 (stock-out on the 5th), 13, 7, 13, 10 = 63; in-stock mean 10.5.
    let a = line("A", "L1");
    assert_eq!((a.days, a.stockout_days), (7, 1));
    assert!(close(a.units_sold, 63.0) && close(a.lost_units, 10.5));
    assert!(close(a.fill_rate.unwrap(), 63.0 / 73.5));
    // Review period 1 day: 6 of 7 cycles without a stock-out.
    assert!(close(a.cycle_service_level.unwrap(), 6.0 / 7.0));
    // Unit cost 2: COGS 126; closing stock 3, 0, 40 on the 4th to 6th: values 6, 0, 80.
    assert!(close(a.cogs, 126.0));
    assert_eq!(a.inventory_source, "stock_history");
    assert!(close(a.avg_inventory_value, 86.0 / 3.0) && close(a.peak_inventory_value, 80.0));
    assert!(close(a.turnover.unwrap(), 126.0 * 365.0 / 7.0 / (86.0 / 3.0)));
    let mean = plan.lines.iter().find(|l| l.sku == "A").unwrap().mean_daily_demand;
    assert!(close(a.days_of_supply.unwrap(), 40.0 / mean));
    // Open PO OLD-1: 10 units sent, nothing received (OLD-2 received, OLD-3 cancelled).
    assert!(close(a.open_po_units, 10.0) && close(a.open_po_value, 20.0));
    assert!(!a.out_of_stock_now && a.dead_units == 0.0);

    // B@L1: 2 a day (the return on the 3rd is left out of demand), no stock-out;
    // one closing stock in the window, 12 units at 1.
    let b = line("B", "L1");
    assert!(close(b.units_sold, 14.0) && b.stockout_days == 0 && close(b.fill_rate.unwrap(), 1.0));
    assert!(close(b.avg_inventory_value, 12.0) && close(b.turnover.unwrap(), 14.0 * 365.0 / 7.0 / 12.0));
    // B@L2: nothing on hand, 2 backordered, demand: out of stock now.
    assert!(line("B", "L2").out_of_stock_now);
    // C@L1: 3 candles at 10 and no sale: dead stock, no history, value from the snapshot.
    let c = line("C", "L1");
    assert_eq!((c.days, c.inventory_source.as_str()), (0, "snapshot"));
    assert!(close(c.dead_units, 3.0) && close(c.dead_value, 30.0));

    // Groups are sums and ratios of sums.
    let total = r.groups.iter().find(|g| g.group_by == "total").unwrap();
    let b2 = line("B", "L2");
    assert_eq!(total.sku_locations, 4);
    assert!(close(total.units_sold, 63.0 + 14.0 + b2.units_sold));
    assert!(close(total.stockout_rate.unwrap(), 1.0 / (14 + b2.days) as f64));
    assert!(close(total.dead_value, 30.0) && close(total.open_po_value, 20.0));
    assert_eq!(total.out_of_stock_now, 1);
    let bev = r.groups.iter().find(|g| g.group_by == "category" && g.key == "Beverages").unwrap();
    assert!(close(bev.turnover.unwrap(), a.turnover.unwrap()));

    // One week: 1 stock-out day; closing stock value by day 6, 0 + 12, 80.
    assert_eq!(r.periods.len(), 1);
    let w = &r.periods[0];
    assert_eq!((w.period_start.to_string(), w.sku_locations_with_stockout), ("2025-03-03".into(), 1));
    assert!(close(w.units_sold, total.units_sold) && close(w.lost_units, 10.5));
    assert!(close(w.avg_inventory_value.unwrap(), (6.0 + 12.0 + 80.0) / 3.0));

    // The ABC/XYZ matrix covers every SKU-location once.
    assert_eq!(r.abc_xyz.iter().map(|c| c.sku_locations).sum::<usize>(), 4);
    assert!(kpis(&data, &plan, &KpiConfig { window_days: 0, ..Default::default() }).is_err());
}

#[test]
fn supplier_performance_and_alert_counts_match_hand_computation() {
    use chrono::NaiveDate;
    use replenish::orders::leadtime::Receipt;
    use replenish::orders::tracking::{LineStatus, PoTracking, Tolerance};
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let data = replenish::read_folder(fixture("small"), &cfg.ingest).unwrap().dataset;
    let plan = replenish::plan(&data, &cfg.plan).unwrap();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // S1 states 4 days for A and B; it took 4, 6, 3 and 5 days.
    let r = |sku: &str, o: &str, rcv: &str| Receipt {
        supplier_id: "S1".into(),
        sku: sku.into(),
        order_date: d(o),
        received_date: d(rcv),
    };
    let receipts = [
        r("A", "2025-01-01", "2025-01-05"),
        r("A", "2025-01-08", "2025-01-14"),
        r("B", "2025-01-15", "2025-01-18"),
        r("B", "2025-01-22", "2025-01-27"),
    ];
    // Three tracked lines: one in full on time, one in full late, one short; a fourth not yet due.
    let po = &plan.purchase_orders[0];
    let mut t = PoTracking::new(po, Tolerance::default()).unwrap();
    let template = t.lines[0].clone();
    t.lines = (1..=4)
        .map(|n| {
            let mut l = template.clone();
            l.line = n;
            l.ordered = 100.0;
            l.requested_date = Some(d(if n == 4 { "2025-12-31" } else { "2025-03-10" }));
            (l.received, l.last_received, l.status) = match n {
                1 => (100.0, Some(d("2025-03-10")), LineStatus::Received),
                2 => (96.0, Some(d("2025-03-12")), LineStatus::Received),
                3 => (50.0, Some(d("2025-03-09")), LineStatus::Closed),
                _ => (0.0, None, LineStatus::Open),
            };
            l
        })
        .collect();
    let k = replenish::kpi::supplier_kpis(&data.supply_terms, &receipts, &[t], d("2025-03-20"));
    assert_eq!(k.len(), 1);
    let s = &k[0];
    assert_eq!((s.supplier_id.as_str(), s.receipts, s.lines_due), ("S1", 4, 3));
    assert!(close(s.actual_lead_time_days.unwrap(), 4.5) && close(s.stated_lead_time_days.unwrap(), 4.0));
    assert!(close(s.lead_time_bias_days.unwrap(), 0.5));
    // sd of 4, 6, 3, 5 (n − 1): sqrt(5/3).
    assert!(close(s.lead_time_std_days.unwrap(), (5.0_f64 / 3.0).sqrt()));
    // By day 4: 4 and 3 → 2 of 4; within a day of 4: 4, 3, 5 → 3 of 4.
    assert!(close(s.on_time_rate.unwrap(), 0.5) && close(s.within_one_day_rate.unwrap(), 0.75));
    // In full: lines 1 and 2 (96 is within 5 %); on time in full: line 1 only.
    assert!(close(s.in_full_rate.unwrap(), 2.0 / 3.0) && close(s.otif_rate.unwrap(), 1.0 / 3.0));
    assert!(replenish::kpi::alert_counts(&[]).is_empty());
}

/// Forecast accuracy over time with the naive model on a series whose errors are known.
#[test]
fn forecast_accuracy_per_origin_matches_hand_computation() {
    use replenish::forecast::ModelConfig;
    use replenish::kpi::{forecast_accuracy, AccuracyConfig};
    // 60 days of sales: 10 on even days, 20 on odd days, starting 2025-01-01.
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut sales = String::from("date,sku,location,quantity\n");
    for d in 0..60 {
        sales.push_str(&format!("{},A,L1,{}\n", start + chrono::Duration::days(d), if d % 2 == 0 { 10 } else { 20 }));
    }
    let inputs = small_with("sales", &sales);
    let mut inputs = inputs;
    inputs.stockouts = None;
    inputs.stock_history = None;
    let data = replenish::ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let cfg = AccuracyConfig { windows: 2, h: 4, season_length: 2 };
    let acc = forecast_accuracy(&data, &ModelConfig::Naive, &cfg).unwrap();
    assert_eq!(acc.len(), 2);
    // Origins: day 51 (2025-02-21) and day 55 (2025-02-25), both odd days (last value 20).
    assert_eq!(acc[0].cutoff, start + chrono::Duration::days(51));
    assert_eq!(acc[1].cutoff, start + chrono::Duration::days(55));
    for a in &acc {
        // Next 4 days: 10, 20, 10, 20 against 20 each: |err| 10 + 0 + 10 + 0 = 20 on 60 sold.
        assert_eq!(a.series, 1);
        assert!(close(a.actual, 60.0) && close(a.forecast, 80.0));
        assert!(close(a.wape.unwrap(), 20.0 / 60.0) && close(a.bias.unwrap(), 20.0 / 60.0));
        // Seasonal naive (m = 2) is exact in-sample: scale 0, so no MASE.
        assert!(a.mase.is_none());
    }
    let m1 =
        forecast_accuracy(&data, &ModelConfig::Naive, &AccuracyConfig { season_length: 1, ..cfg.clone() }).unwrap();
    // Lag-1 in-sample MAE is 10: MASE = (20 / 4) / 10 = 0.5.
    assert!(close(m1[0].mase.unwrap(), 0.5));
    assert!(forecast_accuracy(&data, &ModelConfig::Naive, &AccuracyConfig { windows: 0, ..cfg }).is_err());
}

/// The bindings' accuracy request: a model name with its default parameters, a model
/// object, the default model, and errors for unknown names and fields.
#[test]
fn accuracy_request_from_json() {
    use replenish::forecast::ModelConfig;
    use replenish::kpi::AccuracyConfig;
    let (m, c) =
        AccuracyConfig::request_from_json(r#"{"model": "AutoETS", "windows": 3, "season_length": 12}"#).unwrap();
    assert_eq!(m, ModelConfig::AutoEts { season_length: 12 });
    assert_eq!(c, AccuracyConfig { windows: 3, h: 7, season_length: 12 });
    let (m, _) = AccuracyConfig::request_from_json(r#"{"model": {"model": "WindowAverage", "window": 5}}"#).unwrap();
    assert_eq!(m, ModelConfig::WindowAverage { window: 5 });
    let (m, c) = AccuracyConfig::request_from_json("{}").unwrap();
    assert_eq!((m, c), (ModelConfig::SeasonalNaive { season_length: 7 }, AccuracyConfig::default()));
    assert!(AccuracyConfig::request_from_json(r#"{"model": "NoSuch"}"#).is_err());
    assert!(matches!(AccuracyConfig::request_from_json(r#"{"windws": 3}"#), Err(replenish::Error::Config { .. })));
    assert!(AccuracyConfig::request_from_json("[]").is_err());
}
