//! Property tests of invariants that must hold for any input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use replenish::ingest::{parse, IngestOptions, Inputs, TableInput};
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
        prop_assert_eq!(ing.dataset.demand.quantity.iter().sum::<f64>(), sold);
        prop_assert_eq!(ing.report.returned_units, returned);
        prop_assert_eq!(ing.report.sales_lines, lines.len());
        prop_assert!(ing.dataset.demand.quantity.iter().all(|q| *q >= 0.0));
    }
}
