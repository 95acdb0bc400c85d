//! Property tests of invariants that must hold for any input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use replenish::ingest::{parse, IngestOptions, Inputs, TableInput};
use replenish::plan::{invariants, plan, PlanConfig};
use replenish::policy::{round_order, OrderConstraints};

proptest! {
    /// An order is 0, or ≥ MOQ, a whole number of packs, covers the requirement,
    /// and is split into lines of at most the max order, each ≥ MOQ.
    #[test]
    fn rounding_respects_moq_pack_and_max(
        net in -100.0f64..10_000.0,
        moq_packs in 0u32..20,
        pack in prop::sample::select(vec![1.0, 2.0, 6.0, 12.0, 24.0, 0.5, 2.5]),
        max_packs in prop::option::of(20u32..400),
    ) {
        let moq = moq_packs as f64 * pack;
        let max_order = max_packs.map(|m| m as f64 * pack + pack * 0.3);
        let c = OrderConstraints { moq, pack_size: pack, max_order };
        let r = round_order(net, &c);
        let q = r.quantity;
        if net < 0.5 {
            prop_assert_eq!(q, 0.0);
            prop_assert!(r.lines.is_empty());
        } else {
            prop_assert!(q >= moq - 1e-9);
            prop_assert!((r.lines.iter().sum::<f64>() - q).abs() < 1e-6);
            for l in &r.lines {
                let packs = l / pack;
                prop_assert!((packs - packs.round()).abs() < 1e-6, "{} is not a multiple of {}", l, pack);
                prop_assert!(*l >= moq - 1e-9);
                if let Some(m) = max_order {
                    prop_assert!(*l <= m + 1e-9);
                }
            }
            prop_assert!(q >= net - 1e-9);
            // Over the requirement by less than a pack, plus the MOQ of a last line.
            prop_assert!(q < net.max(moq) + pack + moq + 1e-9);
        }
    }

    /// Every positive POS unit lands in demand; returns are counted, never lost.
    #[test]
    fn ingestion_conserves_units(lines in prop::collection::vec((0u8..30, 0usize..3, -3i32..20), 1..200)) {
        let skus = ["A", "B", "C"];
        let mut sales = String::from("date,sku,location,quantity\n");
        for (day, s, q) in &lines {
            sales += &format!("2025-01-{:02},{},L1,{}\n", day + 1, skus[*s], q);
        }
        let inputs = Inputs {
            items: Some(TableInput::new("items.csv", "sku,unit_cost\nA,1\nB,1\nC,1\n")),
            suppliers: Some(TableInput::new("suppliers.csv", "supplier_id,sku,lead_time_days\nS,A,1\n")),
            sales: Some(TableInput::new("sales.csv", sales)),
            inventory: Some(TableInput::new("inventory.csv", "sku,location,on_hand,as_of\nA,L1,0,2025-01-31\n")),
            ..Default::default()
        };
        let ing = parse(&inputs, &IngestOptions::default()).unwrap();
        let sold: f64 = lines.iter().filter(|l| l.2 > 0).map(|l| l.2 as f64).sum();
        let returned: f64 = lines.iter().filter(|l| l.2 < 0).map(|l| -l.2 as f64).sum();
        // To rounding: when the dates read as weekly, each total is spread over its days.
        let demand: f64 = ing.dataset.demand.quantity.iter().sum();
        prop_assert!((demand - sold).abs() <= 1e-9 * sold.max(1.0), "{} vs {}", demand, sold);
        prop_assert_eq!(ing.report.returned_units, returned);
        prop_assert_eq!(ing.report.sales_lines, lines.len());
        prop_assert!(ing.dataset.demand.quantity.iter().all(|q| *q >= 0.0));
    }
}

/// One SKU of a generated company: unit cost, MOQ in packs, pack size, maximum order
/// in packs, lead time and its spread, on hand, and a daily sales pattern.
type SkuSpec = (f64, u32, f64, Option<u32>, u32, u32, i32, Vec<i32>);

fn sku_spec() -> impl Strategy<Value = SkuSpec> {
    (
        prop::sample::select(vec![0.0, 0.4, 2.5, 49.0, 1200.0]),
        0u32..6,
        prop::sample::select(vec![1.0, 6.0, 12.0, 0.5]),
        prop::option::of(0u32..40),
        0u32..15,
        0u32..4,
        -5i32..200,
        prop::collection::vec(prop_oneof![3 => Just(0), 5 => 0i32..12, 1 => 20i32..200, 1 => -4i32..0], 1..60),
    )
}

/// The tables of a generated company (one location, one supplier), as CSV text.
fn company(skus: &[SkuSpec], budget: Option<f64>) -> (Inputs, PlanConfig) {
    let mut items = String::from("sku,name,category,unit_cost\n");
    let mut sup = String::from("supplier_id,sku,lead_time_days,lead_time_std_days,moq,pack_size,max_order\n");
    let mut sales = String::from("date,sku,location,quantity\n");
    let mut inv = String::from("sku,location,on_hand,as_of\n");
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let days = skus.iter().map(|s| s.7.len()).max().unwrap_or(1);
    let as_of = start + chrono::Duration::days(days as i64 - 1);
    for (k, (cost, moq, pack, max, lt, lt_sd, on_hand, pattern)) in skus.iter().enumerate() {
        let max = max.map(|m| format!("{}", f64::from(m) * pack)).unwrap_or_default();
        items += &format!("K{k},Item {k},C{},{cost}\n", k % 2);
        sup += &format!("S1,K{k},{lt},{lt_sd},{},{pack},{max}\n", f64::from(*moq) * pack);
        for (d, q) in pattern.iter().enumerate() {
            if *q != 0 {
                sales += &format!("{},K{k},L1,{q}\n", start + chrono::Duration::days(d as i64));
            }
        }
        inv += &format!("K{k},L1,{on_hand},{as_of}\n");
    }
    let inputs = Inputs {
        items: Some(TableInput::new("items.csv", items)),
        suppliers: Some(TableInput::new("suppliers.csv", sup)),
        sales: Some(TableInput::new("sales.csv", sales)),
        inventory: Some(TableInput::new("inventory.csv", inv)),
        ..Default::default()
    };
    let mut toml = String::from("forecast = { model = \"window_average\", window = 14 }\nn_paths = 200\n");
    if let Some(b) = budget {
        toml += &format!("[[budgets]]\nname = \"all\"\ncurrency = \"EUR\"\namount = {b}\n");
    }
    (inputs, PlanConfig::from_toml(&toml).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// For any company: every row is accepted or rejected with a problem naming it;
    /// and a plan from accepted data keeps every invariant of `plan::invariants`:
    /// orders respect MOQ, packs and maximums, nothing is negative or not finite,
    /// POs and the summary add up to their lines.
    #[test]
    fn any_company_is_read_whole_and_planned_soundly(
        skus in prop::collection::vec(sku_spec(), 1..6),
        budget in prop::option::of(prop::sample::select(vec![0.0, 50.0, 5_000.0])),
    ) {
        let (inputs, config) = company(&skus, budget);
        match parse(&inputs, &IngestOptions::default()) {
            Err(e) => {
                prop_assert_eq!(e.code(), "VALIDATION");
                prop_assert!(!e.problems().is_empty());
                for p in e.problems() {
                    prop_assert!(!p.file.is_empty() && !p.message.is_empty());
                }
            }
            Ok(ing) => {
                for f in &ing.report.files {
                    prop_assert_eq!(f.rows_read, f.rows_accepted + f.rows_rejected, "{}", f.file);
                    prop_assert_eq!(f.rows_rejected, 0);
                }
                let p = plan(&ing.dataset, &config).unwrap();
                prop_assert_eq!(p.lines.len(), skus.len());
                let v = invariants::violations(&p);
                prop_assert!(v.is_empty(), "{:#?}", v);
            }
        }
    }
}
