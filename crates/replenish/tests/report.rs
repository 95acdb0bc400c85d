//! The HTML report and the data behind it, on the small fixture, checked against
//! values computed by hand (docs/reports.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::*;
use replenish::forecast::ModelConfig;
use replenish::kpi::{forecast_accuracy, AccuracyConfig, KpiConfig};
use replenish::plan::RunConfig;
use replenish::report::{html_report, render_html, report_data, ReportConfig};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

fn small() -> (replenish::Dataset, replenish::Plan) {
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let data = replenish::read_folder(fixture("small"), &cfg.ingest).unwrap().dataset;
    let plan = replenish::plan(&data, &cfg.plan).unwrap();
    (data, plan)
}

/// The small fixture's report: window average of 7 days (the plan's model), a
/// 2-day back-test, 4 days ahead, the 80% interval.
fn small_config() -> ReportConfig {
    ReportConfig {
        kpi: KpiConfig { window_days: 7, dead_stock_days: 7, ..Default::default() },
        accuracy: None,
        forecast: Some(ModelConfig::WindowAverage { window: 7 }),
        series: vec!["A@L1".into()],
        history_days: 5,
        backtest_days: 2,
        horizon_days: 4,
        levels: vec![80.0],
        ..Default::default()
    }
}

#[test]
fn forecast_back_test_and_projection_match_hand_computation() {
    let (data, plan) = small();
    let r = report_data(&data, &plan, &[], &small_config()).unwrap();
    assert_eq!(r.series.len(), 1);
    let s = &r.series[0];
    assert_eq!((s.sku.as_str(), s.location.as_str(), s.item_name.as_str()), ("A", "L1", "Apple Juice"));
    // History shown: the last 5 + 2 days, 03-03 to 03-09, with the stock-out on the 5th.
    assert_eq!(s.history.len(), 7);
    assert_eq!((s.history[0].date, s.history[6].date), (day("2025-03-03"), day("2025-03-09")));
    assert!(s.history[2].stockout && s.history.iter().filter(|d| d.stockout).count() == 1);
    // Back-test from 03-07: the in-stock days 10, 7, 13, 7, 13, 7 average 9.5; it
    // meets 13 and 10: |error| 3.5 + 0.5 = 4 on 23.
    assert_eq!(s.backtest.start, day("2025-03-08"));
    assert!(s.backtest.mean.iter().all(|&m| close(m, 9.5)));
    assert!(close(s.backtest_wape.unwrap(), 4.0 / 23.0));
    // Ahead: the last 7 in-stock days 7, 13, 7, 13, 7, 13, 10 average 10.
    assert_eq!(s.forecast.start, day("2025-03-10"));
    assert_eq!(s.forecast.mean.len(), 4);
    assert!(s.forecast.mean.iter().all(|&m| close(m, 10.0)));
    for b in [&s.backtest, &s.forecast] {
        for t in 0..b.mean.len() {
            assert!(b.lo[0][t] <= b.mean[t] && b.mean[t] <= b.hi[0][t] && b.lo[0][t] >= 0.0);
        }
    }
    let inside =
        [13.0, 10.0].iter().enumerate().filter(|&(t, &y)| y >= s.backtest.lo[0][t] && y <= s.backtest.hi[0][t]);
    assert!(close(s.backtest_coverage[0].unwrap(), inside.count() as f64 / 2.0));

    // Projection: 40 on hand − 5 reserved = 35 on 03-09; 10 a day out; open PO OLD-1
    // brings 10 on 03-11; the plan's own order arrives after the lead time of 4 days.
    let line = plan.lines.iter().find(|l| l.sku == "A" && l.location == "L1").unwrap();
    assert_eq!(line.expected_delivery, Some(day("2025-03-13")));
    let q = line.order_quantity;
    assert!(q > 0.0);
    let expected = [35.0, 25.0, 25.0, 15.0, 5.0 + q];
    let got: Vec<f64> = s.projection.iter().map(|d| d.value).collect();
    assert_eq!(got.len(), expected.len());
    assert!(got.iter().zip(expected).all(|(a, b)| close(*a, b)), "{got:?}");
    assert_eq!(s.projection[0].date, day("2025-03-09"));
    let arrivals: Vec<(NaiveDate, f64, bool)> = s.arrivals.iter().map(|a| (a.date, a.quantity, a.planned)).collect();
    assert_eq!(arrivals, vec![(day("2025-03-11"), 10.0, false), (day("2025-03-13"), q, true)]);
    assert_eq!(s.arrivals[0].po_number, "OLD-1");
    assert!(close(s.reorder_point, line.reorder_point) && close(s.safety_stock, line.safety_stock));
}

#[test]
fn exceptions_are_ranked_by_severity_then_value() {
    let (data, plan) = small();
    let r = report_data(&data, &plan, &[], &small_config()).unwrap();
    let find = |kind: &str, sku: &str, loc: &str| {
        r.exceptions.iter().find(|e| e.kind == kind && e.sku == sku && e.location == loc).unwrap_or_else(|| {
            panic!("no {kind} for {sku}@{loc} in {:#?}", r.exceptions);
        })
    };
    // B@L2: nothing on hand, 2 backordered, demand: out of stock.
    let b2 = find("out_of_stock", "B", "L2");
    assert_eq!(b2.severity, "high");
    let line = plan.lines.iter().find(|l| l.sku == "B" && l.location == "L2").unwrap();
    // Lost until the plan's order arrives, at unit cost.
    let days = line.expected_delivery.map_or(line.lead_time_days, |d| (d - plan.as_of).num_days().max(1) as f64);
    assert!(b2.value > 0.0 && close(b2.value, line.mean_daily_demand * days * line.unit_cost));
    // C@L1: 3 candles at 10.00 with no sale in the window; and no supplier.
    let dead = find("dead_stock", "C", "L1");
    assert!(close(dead.value, 30.0));
    assert_eq!(find("no_supplier", "C", "L1").severity, "medium");
    assert_eq!(r.exceptions[0].severity, "high");
    let rank = |s: &str| ["high", "medium", "low"].iter().position(|x| *x == s).unwrap();
    for w in r.exceptions.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(rank(&a.severity) < rank(&b.severity) || (a.severity == b.severity && a.value >= b.value));
    }
    assert_eq!(r.exception_counts.values().sum::<usize>(), r.exceptions.len());
    // The list is cut, the counts are not.
    let cut = report_data(&data, &plan, &[], &ReportConfig { max_exceptions: 1, ..small_config() }).unwrap();
    assert_eq!(cut.exceptions.len(), 1);
    assert_eq!(cut.exception_counts, r.exception_counts);
}

#[test]
fn series_choice_and_bad_configuration() {
    let (data, plan) = small();
    // `B` is every location of B; the default picks the largest order values.
    let r = report_data(&data, &plan, &[], &ReportConfig { series: vec!["B".into()], ..small_config() }).unwrap();
    let ids: Vec<String> = r.series.iter().map(|s| format!("{}@{}", s.sku, s.location)).collect();
    assert_eq!(ids, vec!["B@L1"]);
    // B@L2 has one day of history: too little to chart, and said so.
    assert!(r.notes.iter().any(|n| n.starts_with("B@L2: too little history")), "{:?}", r.notes);
    let top =
        report_data(&data, &plan, &[], &ReportConfig { series: vec![], top_series: 1, ..small_config() }).unwrap();
    let biggest = plan.lines.iter().max_by(|a, b| a.order_value.total_cmp(&b.order_value)).unwrap();
    assert_eq!(
        (top.series[0].sku.as_str(), top.series[0].location.as_str()),
        (biggest.sku.as_str(), biggest.location.as_str())
    );

    let err = report_data(&data, &plan, &[], &ReportConfig { series: vec!["Z@L1".into()], ..small_config() });
    assert!(matches!(err, Err(replenish::Error::Config { ref message, .. }) if message.contains("Z@L1")), "{err:?}");
    let err = report_data(&data, &plan, &[], &ReportConfig { levels: vec![100.0], ..small_config() });
    assert!(matches!(err, Err(replenish::Error::Config { .. })));
    let err = report_data(&data, &plan, &[], &ReportConfig { horizon_days: 0, ..small_config() });
    assert!(matches!(err, Err(replenish::Error::Config { .. })));
    // Too little history for accuracy is a note, not a failure.
    let r =
        report_data(&data, &plan, &[], &ReportConfig { accuracy: Some(AccuracyConfig::default()), ..small_config() })
            .unwrap();
    assert!(r.accuracy.is_empty() && r.notes.iter().any(|n| n.starts_with("forecast accuracy left out")));
}

#[test]
fn html_is_self_contained_has_every_chart_and_escapes_text() {
    let inputs = small_with(
        "items",
        "sku,name,category,unit_cost,sell_price,brand\nA,<script>alert(1)</script> & \"Juice\",Beverages,2.00,3.50,Acme\n\
         B,Biscuits,Snacks,1.00,2.00,Acme\nC,Candles,Household,10.00,,\n",
    );
    let data = replenish::ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let cfg = RunConfig::from_toml(&std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()).unwrap();
    let plan = replenish::plan(&data, &cfg.plan).unwrap();
    let html = html_report(&data, &plan, &[], &small_config()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    for chart in ["forecast:A@L1", "projection:A@L1", "fill-rate", "stockout-rate", "turnover", "abc-xyz"] {
        assert!(html.contains(&format!("data-chart=\"{chart}\"")), "no {chart} chart");
    }
    // One <svg> per chart, each closed.
    assert_eq!(html.matches("<figure data-chart=").count(), html.matches("<svg ").count());
    assert_eq!(html.matches("<svg ").count(), html.matches("</svg>").count());
    // Nothing fetched, nothing run.
    let lower = html.to_lowercase();
    for banned in ["<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href=\"http"] {
        assert!(!lower.contains(banned), "{banned} in the report");
    }
    assert_eq!(lower.matches("http").count(), lower.matches("http://www.w3.org/2000/svg").count());
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Juice&quot;"));

    // The same page from the data, and the data round-trips through JSON (the bindings' path).
    let r = report_data(&data, &plan, &[], &small_config()).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let back: replenish::report::ReportData = serde_json::from_str(&json).unwrap();
    assert_eq!(render_html(&back).unwrap(), html);
}

/// Origins fall on the same calendar day for every series, a series that starts
/// later joins once it has enough history, and stock-out days are neither fitted
/// nor scored.
#[test]
fn forecast_accuracy_aligns_origins_by_calendar_and_skips_stockouts() {
    let start = day("2025-01-01");
    let mut sales = String::from("date,sku,location,quantity\n");
    for d in 0..60 {
        let date = start + chrono::Duration::days(d);
        sales.push_str(&format!("{date},A,L1,{}\n", if d % 2 == 0 { 10 } else { 20 }));
        if d >= 20 {
            sales.push_str(&format!("{date},B,L1,5\n"));
        }
    }
    let mut inputs = small_with("sales", &sales);
    // Stock-outs on day 40 (in the training data) and day 57 (scored window).
    let so = |d: i64| (start + chrono::Duration::days(d)).to_string();
    inputs
        .set(
            "stockouts",
            replenish::ingest::TableInput::new(
                "stockouts.csv",
                format!("date,sku,location\n{},A,L1\n{},A,L1\n", so(40), so(57)).into_bytes(),
            ),
        )
        .unwrap();
    inputs.stock_history = None;
    let data = replenish::ingest::parse(&inputs, &Default::default()).unwrap().dataset;
    let acc =
        forecast_accuracy(&data, &ModelConfig::Naive, &AccuracyConfig { windows: 2, h: 4, season_length: 2 }).unwrap();
    assert_eq!(acc.len(), 2);
    assert_eq!(
        (acc[0].cutoff, acc[1].cutoff),
        (start + chrono::Duration::days(51), start + chrono::Duration::days(55))
    );
    // Origin day 51: A forecasts 20 for 10, 20, 10, 20 (|error| 20 on 60); B is exact (20 on 20).
    assert_eq!(acc[0].series, 2);
    assert!(close(acc[0].actual, 80.0) && close(acc[0].forecast, 100.0));
    assert!(close(acc[0].wape.unwrap(), 0.25) && close(acc[0].bias.unwrap(), 0.25));
    // Origin day 55: day 57 is a stock-out, so A scores days 56, 58, 59: 10, 10, 20 against 20.
    assert!(close(acc[1].actual, 60.0) && close(acc[1].forecast, 80.0));
    assert!(close(acc[1].wape.unwrap(), 20.0 / 60.0));
    // Both series are exact in-sample at season 2 (A alternates, B is flat): no MASE scale.
    assert!(acc.iter().all(|a| a.mase.is_none()));
}
