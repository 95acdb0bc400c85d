//! Validation: every problem is found, located by file, row and column, and typed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use replenish::ingest::{parse, ColumnMapping, IngestOptions, ReturnsPolicy, TableInput};
use replenish::{ingest, Error, Problem, ProblemKind};
use serde::Deserialize;

fn problems(inputs: &replenish::Inputs, opts: &IngestOptions) -> Vec<Problem> {
    match parse(inputs, opts) {
        Err(Error::Validation { problems, .. }) => problems,
        Err(e) => panic!("expected a validation error, got {e}"),
        Ok(_) => panic!("expected a validation error, got success"),
    }
}

fn one(inputs: &replenish::Inputs) -> Problem {
    let p = problems(inputs, &IngestOptions::default());
    assert_eq!(p.len(), 1, "{p:#?}");
    p.into_iter().next().unwrap()
}

#[derive(Deserialize)]
struct Expected {
    file: String,
    row: u64,
    column: String,
    kind: ProblemKind,
}

#[test]
fn bad_fixtures_report_file_row_and_column() {
    for name in ["bad_quantity", "unknown_sku", "negative_lead_time"] {
        let dir = fixture(name);
        let expected: Vec<Expected> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
        let got = problems(&replenish::ingest::read_inputs(&dir).unwrap(), &IngestOptions::default());
        assert_eq!(got.len(), expected.len(), "{name}: {got:#?}");
        for (g, e) in got.iter().zip(&expected) {
            assert!(g.file.ends_with(&e.file), "{name}: file {} vs {}", g.file, e.file);
            assert_eq!(g.row, Some(e.row), "{name}");
            assert_eq!(g.column.as_deref(), Some(e.column.as_str()), "{name}");
            assert_eq!(g.kind, e.kind, "{name}");
        }
    }
}

#[test]
fn the_small_fixture_is_valid_and_summarised() {
    let ing = replenish::read_folder(fixture("small"), &IngestOptions::default()).unwrap();
    let r = &ing.report;
    assert_eq!((r.items, r.locations, r.suppliers, r.series), (3, 2, 1, 3));
    assert_eq!(r.sales_lines, 19);
    assert_eq!(r.return_lines, 1);
    assert_eq!(r.returned_units, 1.0);
    assert_eq!(r.stockout_days, 1);
    assert!(r.notes.iter().any(|n| n.contains("return line")), "{:?}", r.notes);
    for f in &r.files {
        assert_eq!(f.rows_rejected, 0, "{f:?}");
        assert_eq!(f.rows_read, f.rows_accepted);
    }
    // A,L1 has no sales on 03-05 (the stock-out day): zero quantity, flagged.
    let d = &ing.dataset.demand;
    let a = d.series(d.find("A", "L1").unwrap());
    assert_eq!(a.quantity.len(), 9);
    assert_eq!(a.quantity[4], 0.0);
    assert!(a.stockout[4]);
    assert!(a.promotion[2]);
    // B,L1 on 03-03: the return is excluded, so demand stays 2.
    let b = d.series(d.find("B", "L1").unwrap());
    assert_eq!(b.quantity[2], 2.0);
    // B,L2 sold only on the last day.
    assert_eq!(d.series(d.find("B", "L2").unwrap()).quantity, &[1.0]);
}

#[test]
fn returns_can_be_netted_against_same_day_sales() {
    let opts = IngestOptions { returns: ReturnsPolicy::NetSameDay, ..Default::default() };
    let ing = replenish::read_folder(fixture("small"), &opts).unwrap();
    let d = &ing.dataset.demand;
    assert_eq!(d.series(d.find("B", "L1").unwrap()).quantity[2], 1.0);
    assert!(ing.report.notes.iter().any(|n| n.contains("net_same_day")));
}

#[test]
fn all_problems_are_collected_not_just_the_first() {
    let sales = "date,sku,location,quantity\n2025-03-01,A,L1,x\n2025-13-01,A,L1,1\n2025-03-02,Q,L9,1\n,A,L1,1\n";
    let p = problems(&small_with("sales", sales), &IngestOptions::default());
    let kinds: Vec<(Option<u64>, Option<&str>, ProblemKind)> =
        p.iter().map(|p| (p.row, p.column.as_deref(), p.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (Some(2), Some("quantity"), ProblemKind::InvalidNumber),
            (Some(3), Some("date"), ProblemKind::InvalidDate),
            (Some(4), Some("sku"), ProblemKind::UnknownReference),
            (Some(4), Some("location"), ProblemKind::UnknownReference),
            (Some(5), Some("date"), ProblemKind::MissingValue),
        ]
    );
}

#[test]
fn missing_required_column_is_named() {
    let p = one(&small_with("inventory", "sku,location,as_of\nA,L1,2025-03-09\nB,L1,2025-03-09\nB,L2,2025-03-09\n"));
    assert_eq!(p.kind, ProblemKind::MissingColumn);
    assert_eq!(p.column.as_deref(), Some("on_hand"));
    assert!(p.message.contains("sku, location, as_of"), "{}", p.message);
}

#[test]
fn empty_and_header_only_files() {
    let p = problems(&small_with("items", ""), &IngestOptions::default());
    assert!(p.iter().any(|p| p.kind == ProblemKind::EmptyFile && p.file == "items.csv"), "{p:#?}");
    // No suppliers at all: the file is reported empty (and the open orders naming S1
    // then name an unknown supplier).
    let p = problems(&small_with("suppliers", "supplier_id,sku,lead_time_days\n"), &IngestOptions::default());
    assert_eq!((p[0].file.as_str(), p[0].kind), ("suppliers.csv", ProblemKind::EmptyFile));
    // open orders may legitimately be empty
    assert!(parse(
        &small_with("open_orders", "po_number,supplier_id,sku,location,quantity_ordered,order_date,status\n"),
        &IngestOptions::default()
    )
    .is_ok());
}

#[test]
fn missing_required_file() {
    let mut inputs = replenish::ingest::read_inputs(fixture("small")).unwrap();
    inputs.inventory = None;
    let p = problems(&inputs, &IngestOptions::default());
    assert!(p.iter().any(|p| p.kind == ProblemKind::MissingFile && p.file == "inventory.csv"), "{p:#?}");
}

#[test]
fn non_utf8_bytes_are_located() {
    let mut bytes = b"sku,name,category,unit_cost\nA,Apple,Bev,2\nB,Bisc\xE9its,Snacks,1\nC,Candles,H,10\n".to_vec();
    let mut inputs = small_with("items", "");
    inputs.items = Some(TableInput::new("items.csv", std::mem::take(&mut bytes)));
    let p = one(&inputs);
    assert_eq!((p.row, p.column.as_deref(), p.kind), (Some(3), Some("name"), ProblemKind::InvalidEncoding));
}

#[test]
fn bom_is_ignored() {
    let text = "\u{FEFF}sku,name,category,unit_cost\nA,Apple,Bev,2\nB,B,Snacks,1\nC,C,H,10\n";
    assert!(parse(&small_with("items", text), &IngestOptions::default()).is_ok());
}

#[test]
fn duplicate_keys_point_at_the_first_row() {
    let p = one(&small_with("items", "sku,unit_cost\nA,1\nB,1\nC,1\nA,2\n"));
    assert_eq!((p.row, p.kind), (Some(5), ProblemKind::DuplicateKey));
    assert!(p.message.contains("row 2"), "{}", p.message);
    let p = one(&small_with(
        "inventory",
        "sku,location,on_hand,as_of\nA,L1,1,2025-03-09\nB,L1,1,2025-03-09\nB,L2,1,2025-03-09\nA,L1,5,2025-03-09\n",
    ));
    assert_eq!((p.row, p.kind), (Some(5), ProblemKind::DuplicateKey));
}

#[test]
fn wrong_field_count_is_a_malformed_row() {
    let p = one(&small_with("items", "sku,unit_cost\nA,1\nB,1,extra\nC,1\n"));
    assert_eq!((p.row, p.kind), (Some(3), ProblemKind::MalformedRow));
}

#[test]
fn nan_and_infinity_are_rejected() {
    let p = problems(&small_with("items", "sku,unit_cost\nA,NaN\nB,inf\nC,1\n"), &IngestOptions::default());
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(|p| p.kind == ProblemKind::InvalidNumber));
}

#[test]
fn negative_moq_and_inconsistent_max_order() {
    let text = "supplier_id,sku,lead_time_days,moq,pack_size,max_order\nS1,A,4,-1,12,\nS1,B,4,30,12,24\n";
    let p = problems(&small_with("suppliers", text), &IngestOptions::default());
    let k: Vec<_> = p.iter().map(|p| (p.row, p.column.as_deref(), p.kind)).collect();
    assert_eq!(
        k,
        vec![(Some(2), Some("moq"), ProblemKind::OutOfRange), (Some(3), Some("max_order"), ProblemKind::Inconsistent)]
    );
}

#[test]
fn invalid_status_and_weekday() {
    let p = one(&small_with(
        "open_orders",
        "po_number,supplier_id,sku,location,quantity_ordered,order_date,status\nP1,S1,A,L1,5,2025-03-01,in_transit\n",
    ));
    assert_eq!((p.column.as_deref(), p.kind), (Some("status"), ProblemKind::InvalidValue));
    assert!(p.message.contains("partially_received"));
    let p =
        one(&small_with("suppliers", "supplier_id,sku,lead_time_days,order_weekdays\nS1,A,4,Mon|Funday\nS1,B,4,\n"));
    assert_eq!((p.column.as_deref(), p.kind), (Some("order_weekdays"), ProblemKind::InvalidValue));
}

#[test]
fn unknown_supplier_on_an_open_order() {
    let p = one(&small_with(
        "open_orders",
        "po_number,supplier_id,sku,location,quantity_ordered,order_date,status\nP1,S9,A,L1,5,2025-03-01,sent\n",
    ));
    assert_eq!((p.column.as_deref(), p.kind), (Some("supplier_id"), ProblemKind::UnknownReference));
}

#[test]
fn column_mapping_reads_an_erp_export_unchanged() {
    // A German ERP export: semicolons, decimal commas, thousands dots, dd.mm.yyyy dates, own names.
    let sales = "Datum;Artikel;Filiale;Menge;Preis\n01.03.2025;A;L1;1.200,5;3,50\n02.03.2025;B;L1;2;2,00\n";
    let mut opts = IngestOptions::default();
    opts.tables.insert(
        "sales".into(),
        ColumnMapping {
            rename: [
                ("Datum", "date"),
                ("Artikel", "sku"),
                ("Filiale", "location"),
                ("Menge", "quantity"),
                ("Preis", "price"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
            date_format: Some("%d.%m.%Y".into()),
            decimal_separator: ',',
            thousands_separator: Some('.'),
            delimiter: ';',
        },
    );
    let ing = parse(&small_with("sales", sales), &opts).unwrap();
    let d = &ing.dataset.demand;
    let a = d.series(d.find("A", "L1").unwrap());
    assert_eq!(a.quantity[0], 1200.5);
    assert_eq!(a.price.get(0), Some(3.5));
    // Problems name the column as written in the user's file.
    let bad = "Datum;Artikel;Filiale;Menge;Preis\n2025-03-01;A;L1;1;3,50\n";
    let p = problems(&small_with("sales", bad), &opts);
    assert_eq!((p[0].row, p[0].column.as_deref(), p[0].kind), (Some(2), Some("Datum"), ProblemKind::InvalidDate));
}

#[test]
fn timestamps_are_aggregated_to_days() {
    let sales = "timestamp,sku,location,quantity\n2025-03-01T09:00:00,A,L1,1\n2025-03-01T17:30:00,A,L1,2\n2025-03-02 08:00:00,A,L1,4\n";
    let mut inputs = small_with("sales", sales);
    inputs.stockouts = None;
    inputs.stock_history = None;
    let ing = parse(&inputs, &IngestOptions::default()).unwrap();
    let d = &ing.dataset.demand;
    assert_eq!(d.series(d.find("A", "L1").unwrap()).quantity, &[3.0, 4.0]);
    assert_eq!(ing.report.sales_lines, 3);
}

#[test]
fn problems_display_as_file_row_column() {
    let p = one(&small_with("items", "sku,unit_cost\nA,abc\nB,1\nC,1\n"));
    assert_eq!(p.to_string(), "items.csv:2:unit_cost: `abc` is not a number (invalid_number)");
}

#[test]
fn unknown_references_in_the_stockout_log() {
    let p = problems(
        &small_with("stockouts", "date,sku,location\n2025-03-05,A,L1\n2025-03-06,A,L7\n2025-03-07,Q,L1\n"),
        &IngestOptions::default(),
    );
    let k: Vec<_> = p.iter().map(|p| (p.row, p.column.as_deref(), p.kind)).collect();
    assert_eq!(
        k,
        vec![
            (Some(3), Some("location"), ProblemKind::UnknownReference),
            (Some(4), Some("sku"), ProblemKind::UnknownReference)
        ]
    );
    assert!(p.iter().all(|p| p.file == "stockouts.csv"));
}

#[test]
fn stock_history_rows_are_validated() {
    let history =
        "date,sku,location,on_hand\n2025-03-05,A,L1,0\n2025-03-05,A,L1,4\n2025-03-06,Q,L1,0\n2025-03-07,A,L1,lots\n";
    let p = problems(&small_with("stock_history", history), &IngestOptions::default());
    let k: Vec<_> = p.iter().map(|p| (p.row, p.column.as_deref(), p.kind)).collect();
    assert_eq!(
        k,
        vec![
            (Some(3), Some("date"), ProblemKind::DuplicateKey),
            (Some(4), Some("sku"), ProblemKind::UnknownReference),
            (Some(5), Some("on_hand"), ProblemKind::InvalidNumber),
        ]
    );
    assert!(p.iter().all(|p| p.file == "stock_history.csv"), "{p:?}");
}

#[test]
fn demand_history_round_trips_through_long_records() {
    use replenish::model::DemandHistory;
    let ing = replenish::read_folder(fixture("small"), &IngestOptions::default()).unwrap();
    let h = &ing.dataset.demand;
    let end = h.keys.iter().enumerate().filter_map(|(i, _)| h.series(i).end()).max();
    let rebuilt = DemandHistory::from_records(&h.to_records(), end);
    assert_eq!(rebuilt.keys, h.keys);
    assert_eq!(rebuilt.offsets, h.offsets);
    assert_eq!(rebuilt.quantity, h.quantity);
    assert_eq!(rebuilt.promotion, h.promotion);
    assert_eq!(rebuilt.stockout, h.stockout);
    assert_eq!(rebuilt.price, h.price);
}

fn located(inputs: &replenish::Inputs, file: &str) -> Vec<(u64, String, ProblemKind)> {
    problems(inputs, &IngestOptions::default())
        .into_iter()
        .filter(|p| p.file == file)
        .map(|p| (p.row.unwrap_or(0), p.column.unwrap_or_default(), p.kind))
        .collect()
}

#[test]
fn event_rows_are_validated() {
    let inputs = small_with(
        "events",
        "date,name,location,before,after\n2025-12-24,christmas,,6,0\n2025-13-01,bad date,,,\n2025-12-24,christmas,,1,1\n2025-11-28,black_friday,L9,0,3\n2025-06-01,fair,,2.5,\n2025-06-02,,L1,,400\n",
    );
    let found = located(&inputs, "events.csv");
    assert_eq!(
        found,
        vec![
            (3, "date".into(), ProblemKind::InvalidDate),
            (4, "date".into(), ProblemKind::DuplicateKey),
            (5, "location".into(), ProblemKind::UnknownReference),
            (6, "before".into(), ProblemKind::OutOfRange),
            (7, "name".into(), ProblemKind::MissingValue),
            (7, "after".into(), ProblemKind::OutOfRange),
        ],
        "{found:?}"
    );
    let ok =
        small_with("events", "date,name,location,before,after\n2025-12-24,christmas,,6,0\n2025-08-15,fair,L1,1,1\n");
    let data = parse(&ok, &IngestOptions::default()).unwrap().dataset;
    let events = data.events.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!((events[0].before, events[1].location.as_deref()), (6, Some("L1")));
}

#[test]
fn planned_price_rows_are_validated_and_periods_may_not_overlap() {
    let inputs = small_with(
        "prices",
        "sku,location,start,end,price\nA,,2025-01-01,2025-03-31,4.5\nA,,2025-03-15,,4.9\nZ,,2025-01-01,,1\nB,L1,2025-02-01,2025-01-01,2\nB,,2025-01-01,,-3\n",
    );
    let found = located(&inputs, "prices.csv");
    assert_eq!(
        found,
        vec![
            (3, "start".into(), ProblemKind::Inconsistent),
            (4, "sku".into(), ProblemKind::UnknownReference),
            (5, "end".into(), ProblemKind::Inconsistent),
            (6, "price".into(), ProblemKind::OutOfRange),
        ],
        "{found:?}"
    );
    let ok = small_with("prices", "sku,location,start,end,price\nA,,2025-01-01,2025-03-14,4.5\nA,,2025-03-15,,4.9\n");
    let prices = parse(&ok, &IngestOptions::default()).unwrap().dataset.prices.unwrap();
    assert!(prices[1].covers("A", "L1", chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()));
    assert!(!prices[0].covers("A", "L1", chrono::NaiveDate::from_ymd_opt(2025, 3, 15).unwrap()));
}

#[test]
fn weather_rows_are_validated() {
    let inputs = small_with(
        "weather",
        "location,date,temperature,rain\nL1,2025-03-01,8.5,0\nL1,2025-03-01,9,1\nL1,2025-03-02,,0\nL1,2025-03-03,3,x\nL7,2025-03-03,3,1\n",
    );
    let found = located(&inputs, "weather.csv");
    assert_eq!(
        found,
        vec![
            (3, "date".into(), ProblemKind::DuplicateKey),
            (4, "temperature".into(), ProblemKind::MissingValue),
            (5, "rain".into(), ProblemKind::InvalidNumber),
            (6, "location".into(), ProblemKind::UnknownReference),
        ],
        "{found:?}"
    );
    let none = small_with("weather", "location,date\nL1,2025-03-01\n");
    let p = problems(&none, &IngestOptions::default());
    assert!(p.iter().any(|p| p.file == "weather.csv" && p.message.contains("no weather variable")), "{p:?}");
    let ok = small_with("weather", "location,date,temperature\nL1,2025-03-01,8.5\nL1,2025-03-02,9\n");
    let w = parse(&ok, &IngestOptions::default()).unwrap().dataset.weather.unwrap();
    assert_eq!((w.variables.clone(), w.days.len(), w.days[1].values[0]), (vec!["temperature".to_string()], 2, 9.0));
}

#[test]
fn supplier_level_columns_are_checked_and_must_agree() {
    let p = one(&small_with("suppliers", "supplier_id,sku,lead_time_days,min_order_value\nS1,A,4,500\nS1,B,4,600\n"));
    assert_eq!((p.column.as_deref(), p.kind, p.row), (Some("min_order_value"), ProblemKind::Inconsistent, Some(3)));
    assert!(p.message.contains("line 2"), "{}", p.message);
    let p = one(&small_with("suppliers", "supplier_id,sku,lead_time_days,order_cutoff\nS1,A,4,25:00\n"));
    assert_eq!((p.column.as_deref(), p.kind), (Some("order_cutoff"), ProblemKind::OutOfRange));
    let p = one(&small_with("suppliers", "supplier_id,sku,lead_time_days,min_order_action\nS1,A,4,wait\n"));
    assert!(p.message.contains("top_up or defer"), "{}", p.message);
    let ok = small_with(
        "suppliers",
        "supplier_id,sku,lead_time_days,min_order_value,min_order_action,order_cutoff,truck_pallets,fill_trucks,supplier_email\n\
         S1,A,4,500,defer,11:30,33,yes,orders@s1.example\nS1,B,4,,,,,,\n",
    );
    let data = replenish::ingest::parse(&ok, &Default::default()).unwrap().dataset;
    let s = &data.suppliers[0];
    assert_eq!((s.min_order_value, s.truck_pallets, s.fill_trucks), (Some(500.0), Some(33.0), true));
    assert_eq!(s.min_order_action, replenish::model::MinOrderAction::Defer);
    assert_eq!(s.email.as_deref(), Some("orders@s1.example"));
    assert_eq!(s.order_cutoff, chrono::NaiveTime::from_hms_opt(11, 30, 0));
}

#[test]
fn sales_in_any_order_and_read_from_files_give_the_same_demand() {
    use replenish::demo;
    let inputs = demo::generate(&demo::DemoConfig { skus: 20, locations: 3, days: 90, ..Default::default() });
    let text = String::from_utf8(inputs.sales.as_ref().unwrap().read().unwrap().into_owned()).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    // A second line at another price on every third sale's day (two lines: their
    // revenue sums the same in either order).
    let mut lines = Vec::new();
    for (i, l) in body.lines().enumerate() {
        lines.push(l.to_string());
        let f: Vec<&str> = l.split(',').collect();
        if i % 3 == 0 && f[3] != "-1" {
            let price: f64 = f[4].parse().unwrap();
            lines.push(format!("{},{},{},1,{:.2},{}", f[0], f[1], f[2], price * 0.9, f[5]));
        }
    }
    let with = |lines: &[String]| {
        let mut i = inputs.clone();
        i.sales = Some(TableInput::new("sales.csv", format!("{header}\n{}\n", lines.join("\n"))));
        parse(&i, &IngestOptions::default()).unwrap().dataset.demand
    };
    let in_order = with(&lines);
    assert!(in_order.price.runs() > in_order.len(), "{} runs", in_order.price.runs());
    lines.reverse(); // every SKU-location's lines now go back in time
    assert_eq!(with(&lines), in_order);

    let dir = tempfile::tempdir().unwrap();
    for (name, t) in inputs.tables() {
        std::fs::write(dir.path().join(name), t.read().unwrap()).unwrap();
    }
    let from_files = replenish::read_folder(dir.path(), &IngestOptions::default()).unwrap();
    assert_eq!(from_files.dataset.demand, parse(&inputs, &IngestOptions::default()).unwrap().dataset.demand);
    // A day whose priced lines share one price has exactly that price.
    let d = &from_files.dataset.demand;
    // The daily arrays: an f64 and three bits per day, and the price runs (16 bytes
    // each, with the room a growing vector keeps).
    let (days, runs) = (d.total_days(), d.price.runs());
    let range = 8 * days + 16 * runs..8 * days + days / 2 + 32 * runs + 64;
    assert!(range.contains(&d.daily_bytes()), "{} bytes, expected {range:?}", d.daily_bytes());
    let s = d.series(0);
    let day = (0..s.quantity.len()).find(|&k| s.price.get(k).is_some()).unwrap();
    let first = text.lines().find(|l| l.contains(&format!(",{},{},", s.key.sku, s.key.location))).unwrap();
    assert_eq!(first.split(',').nth(4).unwrap().parse::<f64>().ok(), s.price.get(day));
}

/// Weekly sales (26 Mondays) of A at L1, then the given extra rows.
fn weekly_sales(extra: &str) -> String {
    let mut s = String::from("date,sku,location,quantity,price,promo\n");
    let first = chrono::NaiveDate::from_ymd_opt(2024, 9, 2).unwrap();
    for w in 0..26 {
        let d = first + chrono::Duration::days(7 * w);
        s += &format!("{d},A,L1,{},3.50,{}\n", 70 + 7 * (w % 2), u8::from(w == 10));
    }
    s + extra
}

#[test]
fn weekly_totals_are_inferred_and_spread_over_their_days() {
    let mut inputs = ingest::read_inputs(fixture("small")).unwrap();
    inputs.sales = Some(ingest::TableInput::new("sales.csv", weekly_sales("2025-03-03,B,L1,14,,0\n")));
    let data = ingest::parse(&inputs, &Default::default()).unwrap();
    assert_eq!(data.report.frequency, ingest::Frequency::Weekly);
    assert!(data.report.notes.iter().any(|n| n.contains("sales are weekly (inferred") && n.contains("Mondays")));
    let d = &data.dataset.demand;
    let s = d.series(d.keys.iter().position(|k| k.sku == "A" && k.location == "L1").unwrap());
    assert_eq!(s.start, chrono::NaiveDate::from_ymd_opt(2024, 9, 2).unwrap());
    // 26 weeks of 7 days, each day a seventh of its week; the stock-out of Wednesday
    // 03-05 censors its week (03-03 .. 03-09), which the series reaches.
    assert_eq!(s.quantity.len(), 27 * 7);
    assert!(s.stockout[26 * 7..].iter().all(|x| *x) && !s.stockout[26 * 7 - 1]);
    assert!(s.quantity[..7].iter().all(|q| (q - 10.0).abs() < 1e-12), "{:?}", &s.quantity[..7]);
    assert!(s.quantity[7..14].iter().all(|q| (q - 11.0).abs() < 1e-12));
    assert!((s.quantity.iter().sum::<f64>() - (13.0 * 70.0 + 13.0 * 77.0)).abs() < 1e-9);
    assert!(s.promotion[70..77].iter().all(|p| *p) && !s.promotion[77]);
    // It plans, and in days: the day rate is the week's over 7.
    let p = replenish::plan(&data.dataset, &replenish::plan::PlanConfig::default()).unwrap();
    let a = p.lines.iter().find(|l| l.sku == "A" && l.location == "L1").unwrap();
    assert!((8.0..13.0).contains(&a.mean_daily_demand), "{}", a.mean_daily_demand);
    // B at L1 has one week of sales: noted as short, and the plan
    // says which fallback its lines used.
    assert!(
        data.report.notes.iter().any(|n| n.contains("less than 56 days of history (e.g. B@L1)")),
        "{:?}",
        data.report.notes
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("too little history for the errors distribution")),
        "{:?}",
        p.warnings
    );

    // The textbook normal scales the day variance by the 7 days that move together.
    let normal = replenish::plan::PlanConfig {
        lead_time_demand: replenish::rules::LtdMethod::Normal,
        ..replenish::plan::PlanConfig::default()
    };
    let n = replenish::plan(&data.dataset, &normal).unwrap();
    let a = n.lines.iter().find(|l| l.sku == "A" && l.location == "L1").unwrap();
    assert!(a.safety_stock_method.contains("day variance × 7 for weekly sales"), "{}", a.safety_stock_method);

    // A stray Wednesday is a problem naming the row and the column.
    inputs.sales = Some(ingest::TableInput::new("sales.csv", weekly_sales("2024-12-04,A,L1,5,3.50,0\n")));
    let e = ingest::parse(&inputs, &Default::default()).unwrap_err();
    let replenish::Error::Validation { problems, .. } = e else { panic!("{e:?}") };
    let p = problems.iter().find(|p| p.kind == replenish::ProblemKind::InvalidDate).unwrap();
    assert_eq!((p.file.as_str(), p.row, p.column.as_deref()), ("sales.csv", Some(28), Some("date")));
    assert!(
        p.message.contains("2024-12-04 (Wednesday) does not fit") && p.message.contains("Mondays"),
        "{}",
        p.message
    );

    // Declared daily, the same weeks are days of sales with six empty days between.
    let opts = ingest::IngestOptions { frequency: ingest::Frequency::Daily, ..Default::default() };
    inputs.sales = Some(ingest::TableInput::new("sales.csv", weekly_sales("")));
    let daily = ingest::parse(&inputs, &opts).unwrap();
    assert_eq!(daily.report.frequency, ingest::Frequency::Daily);
    let d = &daily.dataset.demand;
    let s = d.series(d.keys.iter().position(|k| k.sku == "A" && k.location == "L1").unwrap());
    assert_eq!((s.quantity[0], s.quantity[1]), (70.0, 0.0));

    // Declared monthly, Monday dates do not fit.
    let opts = ingest::IngestOptions { frequency: ingest::Frequency::Monthly, ..Default::default() };
    let e = ingest::parse(&inputs, &opts).unwrap_err();
    assert!(e.to_string().contains("monthly sales are dated on the 1st"), "{e}");
}

#[test]
fn monthly_totals_cover_their_calendar_month() {
    let mut inputs = ingest::read_inputs(fixture("small")).unwrap();
    let mut s = String::from("date,sku,location,quantity\n");
    for m in 1..=12 {
        s += &format!("2024-{m:02}-01,A,L1,{}\n", 31 * 2);
    }
    s += "2025-01-01,A,L1,62\n2025-02-01,A,L1,56\n";
    inputs.sales = Some(ingest::TableInput::new("sales.csv", s));
    let data = ingest::parse(&inputs, &Default::default()).unwrap();
    assert_eq!(data.report.frequency, ingest::Frequency::Monthly);
    let d = &data.dataset.demand;
    let s = d.series(0);
    // January 31 days of 2, February 2024 29 days of 62/29, ...
    assert!((s.quantity[0] - 2.0).abs() < 1e-12 && (s.quantity[31] - 62.0 / 29.0).abs() < 1e-12);
    assert_eq!(s.start, chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
}
