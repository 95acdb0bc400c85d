//! The backtest that re-plans at every review, and the textbook rule replayed beside
//! it; promotions that are a SKU's usual state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate};
use replenish::backtest::{backtest, BacktestOptions};
use replenish::ingest::{self, IngestOptions, Inputs, TableInput};
use replenish::plan::PlanConfig;
use replenish::policy::simulate::{simulate, simulate_schedule, SimConfig, SimPolicy};
use replenish::rules::PolicyKind;
use replenish::{demo, plan};
use std::fmt::Write as _;

/// One SKU at one location: `days` of sales from 2025-01-01, the promotion calendar
/// covering the days `promo` says (past and the 28 days after the history).
fn one_sku(days: usize, qty: impl Fn(usize) -> f64, promo: impl Fn(usize) -> bool) -> replenish::Dataset {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let end = start + Duration::days(days as i64 - 1);
    let mut sales = String::from("date,sku,location,quantity\n");
    let mut promos = String::from("sku,start,end\n");
    for d in 0..days {
        let q = qty(d);
        if q > 0.0 {
            writeln!(sales, "{},A,L,{q}", start + Duration::days(d as i64)).unwrap();
        }
    }
    for d in 0..days + 28 {
        if promo(d) {
            let day = start + Duration::days(d as i64);
            writeln!(promos, "A,{day},{day}").unwrap();
        }
    }
    let t = |n: &str, s: String| Some(TableInput::new(n, s));
    let inputs = Inputs {
        items: t("items", "sku,unit_cost\nA,1\n".into()),
        suppliers: t("suppliers", "supplier_id,sku,lead_time_days,order_cycle_days\nS,A,7,7\n".into()),
        sales: t("sales", sales),
        inventory: t("inventory", format!("sku,location,on_hand,as_of\nA,L,0,{end}\n")),
        promotions: t("promotions", promos),
        ..Default::default()
    };
    ingest::parse(&inputs, &IngestOptions::default()).unwrap().dataset
}

#[test]
fn a_schedule_changes_the_levels_on_its_days() {
    let demand = vec![10.0; 60];
    let cfg = SimConfig { lead_time_days: 2.0, ..Default::default() };
    let low = SimPolicy::RS { review_days: 1, big_s: 30.0 };
    let high = SimPolicy::RS { review_days: 1, big_s: 60.0 };
    // One entry: the same as a fixed policy.
    assert_eq!(simulate_schedule(&demand, &[(0, low)], &cfg).unwrap(), simulate(&demand, &low, &cfg).unwrap());
    // From day 30 the level is 60: twice the stock of S = 30 in steady state.
    let r = simulate_schedule(&demand, &[(0, low), (30, high)], &cfg).unwrap();
    let fixed = simulate(&demand, &low, &cfg).unwrap();
    assert!(r.average_on_hand > fixed.average_on_hand + 10.0, "{} vs {}", r.average_on_hand, fixed.average_on_hand);
    // Bad schedules are configuration errors, not panics.
    assert!(simulate_schedule(&demand, &[], &cfg).is_err());
    assert!(simulate_schedule(&demand, &[(1, low)], &cfg).is_err());
    assert!(simulate_schedule(&demand, &[(0, low), (0, high)], &cfg).is_err());
    assert!(simulate_schedule(&demand, &[(0, low), (5, SimPolicy::SQ { s: 1.0, q: 2.0 })], &cfg).is_err());
}

#[test]
fn the_backtest_replans_at_every_review_and_replays_the_textbook_rule() {
    let inputs = demo::generate(&demo::DemoConfig { skus: 12, ..Default::default() });
    let data = ingest::parse(&inputs, &IngestOptions::default()).unwrap().dataset;
    let config = PlanConfig { policy: PolicyKind::RS, ..PlanConfig::default() };
    let once = backtest(&data, &config, &BacktestOptions { days: 56, replan: false, ..Default::default() }).unwrap();
    assert_eq!(once.plans, 1);
    assert!(once.lines.iter().all(|l| l.plans == 1));
    let again = backtest(&data, &config, &BacktestOptions { days: 56, ..Default::default() }).unwrap();
    assert!(again.replan && again.plans > 1, "{} plans", again.plans);
    // A line with a 7-day review is planned on days 0, 7, ..., 49.
    let weekly = again.lines.iter().find(|l| l.plans == 8).expect("a line reviewed weekly");
    assert_eq!(weekly.report.days, 56);
    assert_eq!(weekly.textbook.days, 56);
    let all = again.kpis.last().unwrap();
    assert_eq!(all.group, "all");
    assert_eq!(all.lines, again.lines.len());
    assert!(all.textbook_cycle_service_level.is_some());
    // The textbook rule at the plan's achieved service holds stock; the ratio compares them.
    assert!(all.textbook_on_hand_at_plan_service > 0.0);
    let ratio = all.stock_ratio_at_equal_service.unwrap();
    assert!((ratio - all.average_on_hand_units / all.textbook_on_hand_at_plan_service).abs() < 1e-12);
    let text = again.to_text();
    assert!(text.contains("textbook SL") && text.contains("stock ratio"), "{text}");
    // Deterministic.
    assert_eq!(again, backtest(&data, &config, &BacktestOptions { days: 56, ..Default::default() }).unwrap());
    assert!(
        backtest(&data, &config, &BacktestOptions { days: 56, textbook_window_days: 0, ..Default::default() }).is_err()
    );
}

/// Demand triples at the start of the held-out days: a plan made once keeps the old
/// level and runs out for the rest of the replay; re-planned at every review, the
/// levels follow the new demand within a few weeks. The textbook rule's window of
/// 91 days adapts more slowly than the plan's model.
#[test]
fn replanning_follows_a_level_shift_that_a_single_plan_misses() {
    let data = one_sku(400, |d| if d < 309 { 10.0 + (d % 3) as f64 } else { 30.0 + (d % 3) as f64 }, |_| false);
    let config = PlanConfig { policy: PolicyKind::RS, ..PlanConfig::default() };
    let opts = BacktestOptions { days: 91, ..Default::default() };
    let again = backtest(&data, &config, &opts).unwrap();
    let once = backtest(&data, &config, &BacktestOptions { replan: false, ..opts }).unwrap();
    let (a, o) = (&again.lines[0], &once.lines[0]);
    assert_eq!((a.plans, o.plans), (13, 1));
    assert!(o.report.fill_rate < 0.5, "plan once: {:?}", o.report);
    assert!(a.report.fill_rate > o.report.fill_rate + 0.3, "{} vs {}", a.report.fill_rate, o.report.fill_rate);
    assert!(a.report.fill_rate > a.textbook.fill_rate, "{:?} vs {:?}", a.report, a.textbook);
}

/// With a promotion calendar, the backtest reports service on the cycles that hold a
/// promotion day, for the plan and the textbook rule; the report shows them.
#[test]
fn promotion_cycles_get_their_own_service_in_the_backtest_and_report() {
    // Ordinary days sell 10, promotion weeks (every fifth week) 30.
    let promo = |d: usize| (d / 7) % 5 == 4;
    let data = one_sku(400, |d| if promo(d) { 30.0 + (d % 3) as f64 } else { 10.0 + (d % 3) as f64 }, promo);
    let config = PlanConfig { policy: PolicyKind::RS, ..PlanConfig::default() };
    let b = backtest(&data, &config, &BacktestOptions { days: 91, ..Default::default() }).unwrap();
    let all = b.kpis.last().unwrap();
    assert!(all.promotion_cycles >= 2, "{all:?}");
    assert!(all.promotion_cycle_service_level.is_some() && all.promotion_fill_rate.is_some(), "{all:?}");
    assert!(all.textbook_promotion_cycle_service_level.is_some());
    assert_eq!(all.promotion_cycles, b.lines[0].report.promotion_cycles);
    // Promotions flagged on the sales lines (the `promo` column) count too.
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut sales = String::from("date,sku,location,quantity,promo\n");
    for d in 0..400 {
        let q = if promo(d) { 30 } else { 10 } + d % 3;
        writeln!(sales, "{},A,L,{q},{}", start + Duration::days(d as i64), u8::from(promo(d))).unwrap();
    }
    let t = |n: &str, s: String| Some(TableInput::new(n, s));
    let flagged = Inputs {
        items: t("items", "sku,unit_cost\nA,1\n".into()),
        suppliers: t("suppliers", "supplier_id,sku,lead_time_days,order_cycle_days\nS,A,7,7\n".into()),
        sales: t("sales", sales),
        inventory: t("inventory", "sku,location,on_hand,as_of\nA,L,0,2026-02-04\n".into()),
        ..Default::default()
    };
    let flagged = ingest::parse(&flagged, &IngestOptions::default()).unwrap().dataset;
    let f = backtest(&flagged, &config, &BacktestOptions { days: 91, ..Default::default() }).unwrap();
    assert!(f.kpis.last().unwrap().promotion_cycles >= 2, "{:?}", f.kpis.last());
    // Without a calendar or flags there are no promotion cycles.
    let plain = one_sku(400, |d| 10.0 + (d % 3) as f64, |_| false);
    let p = backtest(&plain, &config, &BacktestOptions { days: 91, ..Default::default() }).unwrap();
    assert_eq!(p.kpis.last().unwrap().promotion_cycles, 0);
    assert_eq!(p.kpis.last().unwrap().promotion_cycle_service_level, None);
    // The report's service section shows the promotion table only where there are such cycles.
    let plan = replenish::plan(&data, &config).unwrap();
    let report = |s: &replenish::backtest::Backtest| {
        let cfg = replenish::report::ReportConfig { service: Some(s.service_table()), ..Default::default() };
        replenish::report::html_report(&data, &plan, &[], &cfg).unwrap()
    };
    assert!(report(&b).contains("On cycles with a promotion day"));
    assert!(!report(&p).contains("On cycles with a promotion day"));
    // A service table from before these fields reads with none.
    let mut json = serde_json::to_value(p.service_table()).unwrap();
    for k in json["kpis"].as_array_mut().unwrap() {
        let o = k.as_object_mut().unwrap();
        o.retain(|key, _| !key.contains("promotion"));
    }
    let old: replenish::backtest::ServiceTable = serde_json::from_value(json).unwrap();
    assert_eq!(old.kpis.last().unwrap().promotion_cycles, 0);
}

/// A SKU on promotion on four days of five has too few ordinary days to learn a
/// baseline from: the plan learns from every day and plans its usual demand, where
/// it used to see almost no history and plan next to nothing.
#[test]
fn a_promotion_that_is_the_usual_state_is_planned_from_every_day() {
    let data = one_sku(200, |d| if d % 5 == 0 { 4.0 } else { 10.0 }, |d| d % 5 != 0);
    let p = plan(&data, &PlanConfig::default()).unwrap();
    let l = &p.lines[0];
    assert!(l.mean_daily_demand > 7.0, "mean {}", l.mean_daily_demand);
    assert_eq!(l.promotion_uplift, Some(1.0));
    assert_eq!(l.promotion_uplift_source, "usual");
    assert!(l.explanation.contains("usual state"), "{}", l.explanation);
    // Occasional promotions are still taken out of the baseline and raised.
    let data = one_sku(200, |d| if d % 10 == 0 { 30.0 } else { 10.0 }, |d| d % 10 == 0);
    let l = &plan(&data, &PlanConfig::default()).unwrap().lines[0];
    assert_eq!(l.promotion_uplift_source, "sku");
    assert!(l.promotion_uplift.unwrap() > 2.5, "{:?}", l.promotion_uplift);
}

/// The planning date may be a TOML date as the configuration docs show it, or text;
/// anything else is an error naming the field's value.
#[test]
fn as_of_reads_a_toml_date_or_text() {
    let day = NaiveDate::from_ymd_opt(2026, 10, 31);
    assert_eq!(PlanConfig::from_toml("as_of = 2026-10-31\n").unwrap().as_of, day);
    assert_eq!(PlanConfig::from_toml("as_of = \"2026-10-31\"\n").unwrap().as_of, day);
    assert_eq!(PlanConfig::from_json(r#"{"as_of": "2026-10-31"}"#).unwrap().as_of, day);
    assert_eq!(PlanConfig::from_json(r#"{"as_of": null}"#).unwrap().as_of, None);
    let run = replenish::plan::RunConfig::from_toml("[plan]\nas_of = 2026-10-31\n").unwrap();
    assert_eq!(run.plan.as_of, day);
    for bad in ["as_of = 2026-10-31T10:00:00\n", "as_of = \"31.10.2026\"\n", "as_of = 5\n"] {
        assert!(PlanConfig::from_toml(bad).is_err(), "{bad}");
    }
}

/// Whole weeks at 1 or 5 a day in a fixed pseudo-random order.
fn weekly_runs(d: usize) -> f64 {
    let w = (d / 7) as u64;
    if (w.wrapping_mul(2_654_435_761) >> 7).is_multiple_of(2) {
        5.0
    } else {
        1.0
    }
}

#[test]
fn the_default_reads_levels_from_the_forecasts_misses_over_whole_intervals() {
    let data = one_sku(420, weekly_runs, |_| false);
    let cfg = PlanConfig { policy: PolicyKind::RS, service_level: 0.95, ..PlanConfig::default() };
    let line = plan(&data, &cfg).unwrap().lines.remove(0);
    assert!(line.safety_stock_method.starts_with("errors (negative binomial"), "{}", line.safety_stock_method);
    assert_eq!(line.parameter_sources["lead_time_demand"], "config (auto: errors)");
    // Independent resampled days miss that whole weeks move together: over 14 days
    // they put the 95% level near 42 + 1.645·√56 ≈ 54; the weeks reach 70.
    let boot = PlanConfig { lead_time_demand: replenish::rules::LtdMethod::Bootstrap, ..cfg.clone() };
    let b = plan(&data, &boot).unwrap().lines.remove(0);
    assert!(line.order_up_to > b.order_up_to + 5.0, "errors S {} vs bootstrap S {}", line.order_up_to, b.order_up_to);
    assert!(line.order_up_to >= 60.0, "{}", line.order_up_to);
}

#[test]
fn too_short_a_history_for_errors_falls_back_to_the_bootstrap_and_says_so() {
    let data = one_sku(30, |d| (d % 3) as f64, |_| false);
    let line = plan(&data, &PlanConfig::default()).unwrap().lines.remove(0);
    assert!(line.safety_stock_method.contains("too little history for errors"), "{}", line.safety_stock_method);
    assert!(line.order_up_to > 0.0);
}
