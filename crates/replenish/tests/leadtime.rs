//! Lead-time learning converges to a simulated supplier's true lead time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate};
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use replenish::model::SupplyTerms;
use replenish::orders::leadtime::*;

fn terms() -> SupplyTerms {
    SupplyTerms {
        supplier_id: "SUP".into(),
        sku: "A".into(),
        location: None,
        lead_time_days: 5.0,
        lead_time_std_days: 1.0,
        moq: 0.0,
        pack_size: 1.0,
        max_order: None,
        order_cycle_days: None,
        order_weekdays: vec![],
        unit_cost: None,
        currency: "EUR".into(),
        rank: 1,
    }
}

/// A supplier whose lead time is really N(9, 2²) days (rounded), while its terms say
/// 5 ± 1: receipts pull the estimate to the truth.
fn receipts(n: usize, seed: u64) -> Vec<Receipt> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let lt = Normal::new(9.0, 2.0).unwrap();
    let d0 = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    (0..n)
        .map(|i| {
            let ordered = d0 + Duration::days(i as i64 * 3);
            let days: f64 = lt.sample(&mut rng);
            Receipt {
                supplier_id: "SUP".into(),
                sku: "A".into(),
                order_date: ordered,
                received_date: ordered + Duration::days(days.round().max(0.0) as i64),
            }
        })
        .collect()
}

#[test]
fn learning_converges_to_the_true_mean_and_spread() {
    // The truth after rounding: mean 9, sd √(4 + 1/12) = 2.021.
    let true_sd = (4.0f64 + 1.0 / 12.0).sqrt();
    let all = LeadTimeLearning { prior_weight: 3.0, half_life: None };
    let recent = LeadTimeLearning::default();
    println!("receipts | all receipts: mean, sd | half-life 20: mean, sd");
    let mut last = None;
    for n in [0usize, 5, 20, 100, 500, 2000] {
        let r = receipts(n, 7);
        let a = &learn_lead_times(&[terms()], &r, &all).unwrap()[0];
        let b = &learn_lead_times(&[terms()], &r, &recent).unwrap()[0];
        println!("{n:>8} | {:.3}, {:.3} | {:.3}, {:.3}", a.mean_days, a.std_days, b.mean_days, b.std_days);
        if n == 0 {
            assert_eq!((a.mean_days, a.std_days), (5.0, 1.0));
        }
        last = Some((a.clone(), b.clone()));
    }
    let (a, b) = last.unwrap();
    assert!((a.mean_days - 9.0).abs() < 0.15, "{a:?}");
    assert!((a.std_days - true_sd).abs() < 0.15, "{a:?}");
    assert!((b.mean_days - 9.0).abs() < 1.0 && (b.std_days - true_sd).abs() < 1.0, "{b:?}");
    // The next plan uses them.
    let updated = apply_lead_times(&[terms()], std::slice::from_ref(&a));
    assert_eq!((updated[0].lead_time_days, updated[0].lead_time_std_days), (a.mean_days, a.std_days));
    // A receipt before its order is refused.
    let mut bad = receipts(1, 1);
    bad[0].received_date = bad[0].order_date - Duration::days(1);
    assert!(learn_lead_times(&[terms()], &bad, &all).is_err());
}
