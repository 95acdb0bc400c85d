//! What the fuzz targets share: the small fixture's tables, a fast plan
//! configuration, and the check that a plan made from any accepted input is sound.

use replenish::ingest::{IngestOptions, Inputs, TableInput};
use replenish::plan::{invariants, plan, PlanConfig};
use replenish::Dataset;

/// The tables of `tests/fixtures/small`, by name.
pub const SMALL: [(&str, &[u8]); 7] = [
    ("items", include_bytes!("../../../../tests/fixtures/small/items.csv")),
    ("suppliers", include_bytes!("../../../../tests/fixtures/small/suppliers.csv")),
    ("sales", include_bytes!("../../../../tests/fixtures/small/sales.csv")),
    ("inventory", include_bytes!("../../../../tests/fixtures/small/inventory.csv")),
    ("open_orders", include_bytes!("../../../../tests/fixtures/small/open_orders.csv")),
    ("stockouts", include_bytes!("../../../../tests/fixtures/small/stockouts.csv")),
    ("stock_history", include_bytes!("../../../../tests/fixtures/small/stock_history.csv")),
];

/// The optional tables a fuzzer may add to the fixture.
pub const EXTRA: [&str; 6] = ["promotions", "events", "prices", "weather", "receipts", "stockouts"];

/// The fixture's inputs with `replace` swapped in for the tables it names.
pub fn inputs_with(replace: &[(&str, Vec<u8>)]) -> Inputs {
    let mut inputs = Inputs::default();
    for (name, bytes) in SMALL {
        let _ = inputs.set(name, TableInput::new(format!("{name}.csv"), bytes.to_vec()));
    }
    for (name, bytes) in replace {
        let _ = inputs.set(name, TableInput::new(format!("{name}.csv"), bytes.clone()));
    }
    inputs
}

/// A plan configuration that keeps a fuzz iteration fast: a window average and few
/// sample paths, otherwise the defaults.
pub fn fast_config() -> PlanConfig {
    PlanConfig::from_toml("forecast = { model = \"window_average\", window = 7 }\n")
        .expect("the fuzz configuration is valid")
}

/// Plans `data` and panics (so the fuzzer reports it) if the plan breaks an
/// invariant. A typed error is a fine outcome.
pub fn check_plan(data: &Dataset, config: &PlanConfig) {
    if let Ok(p) = plan(data, config) {
        let v = invariants::violations(&p);
        assert!(v.is_empty(), "plan invariants broken: {v:#?}");
    }
}

/// Options for ingestion from a few fuzz bytes: delimiter, decimal and thousands
/// separators, a date format and a column rename, for one table.
pub fn options_from(table: &str, b: &[u8]) -> IngestOptions {
    let pick = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut mapping = replenish::ingest::ColumnMapping::default();
    mapping.delimiter = [',', ';', '\t', '|'][pick(0) as usize % 4];
    mapping.decimal_separator = if pick(1) % 2 == 0 { '.' } else { ',' };
    mapping.thousands_separator = [None, Some('.'), Some(','), Some(' '), Some('\'')][pick(2) as usize % 5];
    mapping.date_format = [None, Some("%d.%m.%Y"), Some("%m/%d/%Y"), Some("%Y%m%d"), Some("%d/%m/%y %H:%M")]
        [pick(3) as usize % 5]
        .map(String::from);
    if pick(4) % 3 == 0 {
        let names = ["sku", "location", "date", "quantity", "on_hand", "Artikel", "qty", ""];
        mapping
            .rename
            .insert(names[pick(5) as usize % names.len()].into(), names[pick(6) as usize % names.len()].into());
    }
    let mut o = IngestOptions::default();
    o.tables.insert(table.to_string(), mapping);
    o.part = pick(7) % 5 == 0;
    o
}

pub mod ingest_csv {
    //! CSV ingestion with column mappings: the fuzz bytes become one table (chosen by
    //! the first byte) of the small fixture, read with options from the next eight
    //! bytes. Ingestion must return data or typed problems, never panic; accepted data
    //! must plan into a plan that keeps every invariant.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use crate::{check_plan, fast_config, inputs_with, options_from, EXTRA, SMALL};
    use replenish::ingest::parse;

    /// One fuzz input: returns normally or panics on a bug.
    pub fn run(data: &[u8]) {
        let Some((&which, rest)) = data.split_first() else { return };
        let names: Vec<&str> = SMALL.iter().map(|t| t.0).chain(EXTRA).collect();
        let table = names[which as usize % names.len()];
        let (opts, csv) = rest.split_at(rest.len().min(8));
        let options = options_from(table, opts);
        let inputs = inputs_with(&[(table, csv.to_vec())]);
        match parse(&inputs, &options) {
            Ok(ingested) => {
                // Nothing silently dropped: accepted data has every row accepted.
                for f in &ingested.report.files {
                    assert_eq!(f.rows_read, f.rows_accepted + f.rows_rejected, "{}", f.file);
                    assert_eq!(f.rows_rejected, 0, "{}: rows rejected without an error", f.file);
                }
                check_plan(&ingested.dataset, &fast_config());
            }
            Err(e) => {
                // Bad data is a validation error naming table and row, or a typed error.
                for p in e.problems() {
                    assert!(!p.file.is_empty() && !p.message.is_empty(), "{p:?}");
                }
                let _ = e.to_string();
            }
        }
    }
}

pub mod rules {
    //! The rule language: fuzz text as a TOML rule set (or, with a leading `{`, JSON).
    //! Parsing must give rules or a typed error; accepted rules are planned on the small
    //! fixture, and the plan must keep every invariant.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use crate::{check_plan, fast_config, inputs_with};
    use replenish::ingest::{parse, IngestOptions};
    use replenish::rules::RuleSet;
    use std::sync::OnceLock;

    /// One fuzz input: returns normally or panics on a bug.
    pub fn run(data: &[u8]) {
        static DATA: OnceLock<replenish::Dataset> = OnceLock::new();
        let Ok(text) = std::str::from_utf8(data) else { return };
        let rules =
            if text.trim_start().starts_with('{') { RuleSet::from_json(text) } else { RuleSet::from_toml(text) };
        let Ok(rules) = rules else { return };
        let mut config = fast_config();
        config.rules = rules;
        if config.validate().is_err() {
            return;
        }
        let data = DATA.get_or_init(|| parse(&inputs_with(&[]), &IngestOptions::default()).expect("fixture").dataset);
        check_plan(data, &config);
    }
}

pub mod documents {
    //! Documents from outside: UBL OrderResponse / DespatchAdvice XML, and the JSON a
    //! binding passes (plan and approval configurations, forecast requests, events).
    //! Each must parse or give a typed error, never panic.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use replenish::error::from_json;
    use replenish::orders::tracking::PoEvent;
    use replenish::orders::ubl;
    use replenish::plan::PlanConfig;
    use replenish::workflow::ApprovalConfig;

    /// One fuzz input: returns normally or panics on a bug.
    pub fn run(data: &[u8]) {
        let Some((&which, rest)) = data.split_first() else { return };
        let Ok(text) = std::str::from_utf8(rest) else { return };
        match which % 7 {
            0 => {
                let _ = ubl::import_event(text);
            }
            1 => {
                let _ = ubl::parse_order_response(text);
            }
            2 => {
                let _ = ubl::parse_despatch_advice(text);
            }
            3 => {
                let _ = PlanConfig::from_json(text);
            }
            4 => {
                if let Ok(c) = ApprovalConfig::from_json(text) {
                    let _ = c.compile();
                }
            }
            5 => {
                let _ = replenish::forecast::ForecastRequest::from_json(text);
            }
            _ => {
                let _ = from_json::<Vec<PoEvent>>(text, "events");
            }
        }
    }
}

pub mod workflow_events {
    //! Workflow event sequences: the fuzz bytes become a stream of approval and
    //! tracking events (any name, PO, actor, time, line and quantity, NaN and negative
    //! ones included), written as JSON and read back as a binding would, then applied to
    //! the POs of the small fixture's plan. A refused event is reported, never a panic;
    //! after the stream every PO's audit log verifies, and no quantity is negative or
    //! not finite.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use crate::{fast_config, inputs_with};
    use arbitrary::{Result, Unstructured};
    use replenish::error::from_json;
    use replenish::ingest::{parse, IngestOptions};
    use replenish::orders::tracking::{apply_all, PoEventFor, PoTracking, Tolerance};
    use replenish::workflow::{verify, ApprovalConfig, Workflow};
    use serde_json::{json, Value};
    use std::sync::OnceLock;
    const CONFIG: &str = r#"
    auto_approve_when = "total_value < 50"
    [actors]
    ann = ["buyer"]
    bob = ["buyer", "category_manager"]
    dan = ["finance_director"]
    eve = ["finance_director", "cfo"]
    [[rules]]
    name = "every PO"
    steps = [{ name = "category", roles = ["category_manager"] }]
    [[rules]]
    name = "large"
    when = "total_value >= 100"
    steps = [{ name = "finance", roles = ["finance_director"], deadline_hours = 48, escalate_to = ["cfo"] }]
    "#;

    const NAMES: [&str; 14] = [
        "submit",
        "approve",
        "reject",
        "request_changes",
        "delegate",
        "escalate",
        "send",
        "acknowledge",
        "change",
        "ship",
        "receive",
        "close",
        "cancel",
        "bogus",
    ];
    const ACTORS: [&str; 6] = ["ann", "bob", "dan", "eve", "zed", ""];

    fn quantity(u: &mut Unstructured) -> Result<Value> {
        Ok(match u.int_in_range(0..=5)? {
            0 => Value::Null,
            1 => json!(u.int_in_range(0..=40)?),
            2 => json!(-(u.int_in_range(1..=10)? as f64)),
            3 => json!(1e300),
            4 => json!(f64::from(u.arbitrary::<f32>()?)),
            _ => json!(u.int_in_range(0..=200)? as f64 * 0.5),
        })
    }

    fn event(u: &mut Unstructured, pos: &[String], hour: &mut i64) -> Result<Value> {
        let name = *u.choose(&NAMES)?;
        *hour += i64::from(u.int_in_range(-3i8..=30)?);
        let at = format!("2025-03-{:02}T{:02}:00:00", 10 + (hour.rem_euclid(24 * 15) / 24), hour.rem_euclid(24));
        let po = if u.ratio(1, 12)? { "PO-NOPE".to_string() } else { u.choose(pos)?.clone() };
        let mut e = json!({ "po_number": po, "event": name, "at": at, "actor": *u.choose(&ACTORS)? });
        match name {
            "delegate" => e["to"] = json!(*u.choose(&ACTORS)?),
            "reject" | "cancel" => e["reason"] = json!("no"),
            "request_changes" => e["note"] = json!("fix"),
            "acknowledge" | "change" | "ship" | "receive" => {
                let n = u.int_in_range(0..=3)?;
                let mut lines = Vec::new();
                for _ in 0..n {
                    let mut l = json!({ "line": u.int_in_range(0..=3)? });
                    l["quantity"] = quantity(u)?;
                    if u.ratio(1, 3)? {
                        l["date"] = json!(format!("2025-03-{:02}", u.int_in_range(1..=31)?));
                    }
                    lines.push(l);
                }
                e["lines"] = Value::Array(lines);
            }
            _ => {}
        }
        if u.ratio(1, 20)? {
            e.as_object_mut().map(|o| o.remove("at"));
        }
        Ok(e)
    }

    fn setup() -> &'static (Workflow, Vec<PoTracking>) {
        static S: OnceLock<(Workflow, Vec<PoTracking>)> = OnceLock::new();
        S.get_or_init(|| {
            let data = parse(&inputs_with(&[]), &IngestOptions::default()).expect("fixture").dataset;
            let p = replenish::plan::plan(&data, &fast_config()).expect("fixture plan");
            let states: Vec<PoTracking> = p
                .purchase_orders
                .iter()
                .map(|po| PoTracking::new(po, Tolerance::default()).expect("tracking"))
                .collect();
            assert!(!states.is_empty(), "the fixture plans POs");
            (ApprovalConfig::from_toml(CONFIG).expect("config").compile().expect("workflow"), states)
        })
    }

    /// One fuzz input: returns normally or panics on a bug.
    pub fn run(data: &[u8]) {
        let (workflow, states) = setup();
        let pos: Vec<String> = states.iter().map(|s| s.po_number.clone()).collect();
        let mut u = Unstructured::new(data);
        let mut hour = 0;
        let mut events = Vec::new();
        while !u.is_empty() && events.len() < 64 {
            match event(&mut u, &pos, &mut hour) {
                Ok(e) => events.push(e),
                Err(_) => break,
            }
        }
        let text = Value::Array(events).to_string();
        let Ok(events) = from_json::<Vec<PoEventFor>>(&text, "events") else { return };
        let (after, refused) = apply_all(workflow, states.clone(), &events);
        assert!(refused.len() <= events.len());
        for s in &after {
            assert!(verify(&s.history, Some(&s.head_hash)).is_ok(), "the audit log of {} does not verify", s.po_number);
            for l in &s.lines {
                for q in [l.ordered, l.shipped, l.received].into_iter().chain(l.confirmed_quantity) {
                    assert!(q.is_finite() && q >= 0.0, "{}: line {} has quantity {q}", s.po_number, l.line);
                }
            }
        }
    }
}
