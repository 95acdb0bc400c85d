//! The catalogue of bad inputs (`tests/catalogue/catalogue.json`): every entry gets
//! the typed error or the documented treatment it lists. Python and Node run the same
//! file (`python/tests/test_catalogue.py`, `node/test/catalogue.test.js`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use replenish::forecast::{forecast_batch, ForecastRequest, Panel, Regressors};
use replenish::ingest::{parse, read_inputs, IngestOptions, Inputs, TableInput};
use replenish::plan::{invariants, plan, PlanConfig};
use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn catalogue() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("tests/catalogue/catalogue.json")).unwrap()).unwrap()
}

/// One table's text after the entry's edits, or None when the edit drops it.
fn edited(text: &str, edit: &Value) -> Option<Vec<u8>> {
    if edit.get("drop").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let mut t = match edit.get("text") {
        Some(v) => v.as_str().unwrap().to_string(),
        None => text.to_string(),
    };
    for pair in edit.get("replace").and_then(Value::as_array).into_iter().flatten() {
        t = t.replace(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    if edit.get("reverse_rows").and_then(Value::as_bool) == Some(true) {
        let mut lines: Vec<&str> = t.lines().collect();
        lines[1..].reverse();
        t = lines.join("\n") + "\n";
    }
    if let Some(a) = edit.get("append").and_then(Value::as_str) {
        t.push_str(a);
    }
    if edit.get("bom").and_then(Value::as_bool) == Some(true) {
        t.insert(0, '\u{feff}');
    }
    if edit.get("latin1").and_then(Value::as_bool) == Some(true) {
        return Some(t.chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1 text")).collect());
    }
    Some(t.into_bytes())
}

fn slot<'a>(inputs: &'a mut Inputs, table: &str) -> &'a mut Option<TableInput> {
    match table {
        "items" => &mut inputs.items,
        "suppliers" => &mut inputs.suppliers,
        "sales" => &mut inputs.sales,
        "inventory" => &mut inputs.inventory,
        "open_orders" => &mut inputs.open_orders,
        "stockouts" => &mut inputs.stockouts,
        "stock_history" => &mut inputs.stock_history,
        other => panic!("the catalogue edits an unknown table {other}"),
    }
}

fn fixture() -> Inputs {
    let mut inputs = read_inputs(root().join("tests/fixtures/small")).unwrap();
    // Report tables by their names alone, as the bindings do for text input.
    for (name, _) in inputs.clone().tables() {
        let name = table_of(name);
        if let Some(t) = slot(&mut inputs, &name) {
            t.name = format!("{name}.csv");
        }
    }
    inputs
}

fn table_of(file: &str) -> String {
    let base = file.rsplit('/').next().unwrap_or(file);
    base.trim_end_matches(".csv").to_string()
}

fn plan_json(inputs: &Inputs) -> (String, replenish::QualityReport) {
    let ingested = parse(inputs, &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let p = plan(&ingested.dataset, &PlanConfig::default()).unwrap();
    assert_eq!(invariants::violations(&p), Vec::<String>::new());
    (serde_json::to_string(&(&p.lines, &p.purchase_orders)).unwrap(), ingested.report)
}

#[test]
fn every_bad_table_gets_its_error_or_its_treatment() {
    let cat = catalogue();
    let (baseline, _) = plan_json(&fixture());
    for entry in cat["tables"].as_array().unwrap() {
        let id = entry["id"].as_str().unwrap();
        let mut inputs = fixture();
        for (table, edit) in entry["edit"].as_object().unwrap() {
            let s = slot(&mut inputs, table);
            let text = String::from_utf8(s.as_ref().unwrap().read().unwrap().into_owned()).unwrap();
            *s = edited(&text, edit).map(|b| TableInput::new(format!("{table}.csv"), b));
        }
        let expect = &entry["expect"];
        if let Some(code) = expect.get("error") {
            let err = parse(&inputs, &IngestOptions::default()).err().unwrap_or_else(|| panic!("{id}: no error"));
            assert_eq!(err.code(), code.as_str().unwrap(), "{id}: {err}");
            let mut got: Vec<Value> = err
                .problems()
                .iter()
                .map(|p| {
                    serde_json::json!({"table": table_of(&p.file), "row": p.row, "column": p.column,
                                       "kind": serde_json::to_value(p.kind).unwrap()})
                })
                .collect();
            let mut want = expect["problems"].as_array().unwrap().clone();
            let key = |v: &Value| v.to_string();
            got.sort_by_key(key);
            want.sort_by_key(key);
            assert_eq!(got, want, "{id}: {err}");
        } else {
            let (json, report) = plan_json(&inputs);
            match expect["plan"].as_str().unwrap() {
                "same_as_fixture" => assert!(json == baseline, "{id}: the plan changed"),
                "differs_from_fixture" => assert!(json != baseline, "{id}: the plan did not change"),
                other => panic!("{id}: unknown expectation {other}"),
            }
            if let Some(n) = expect.get("sales_lines") {
                assert_eq!(report.sales_lines as u64, n.as_u64().unwrap(), "{id}");
            }
            if let Some(n) = expect.get("return_lines") {
                assert_eq!(report.return_lines as u64, n.as_u64().unwrap(), "{id}");
            }
            if let Some(note) = expect.get("note").and_then(Value::as_str) {
                assert!(report.notes.iter().any(|n| n.contains(note)), "{id}: no note `{note}` in {:?}", report.notes);
            }
        }
    }
}

#[test]
fn every_bad_series_gets_its_error_or_finite_forecasts() {
    let cat = catalogue();
    for entry in cat["series"].as_array().unwrap() {
        let id = entry["id"].as_str().unwrap();
        let y: Vec<f64> = entry["y"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect();
        let n = y.len();
        let mut panel = Panel::new(vec!["s".into()], vec![0, n], y).unwrap();
        if let Some(promo) = entry.get("promotion").and_then(Value::as_array) {
            let history = vec![promo.iter().map(|v| v.as_f64().unwrap()).collect()];
            panel =
                panel.with_regressors(Regressors { names: vec!["promotion".into()], history, future: vec![] }).unwrap();
        }
        let expect = &entry["expect"];
        for model in entry["models"].as_array().unwrap() {
            let req = serde_json::json!({"h": 7, "models": [model], "season_length": entry.get("season_length").cloned().unwrap_or(1.into())});
            let out = ForecastRequest::from_json(&req.to_string()).and_then(|r| forecast_batch(&panel, &r));
            match expect.get("error").and_then(Value::as_str) {
                Some(code) => {
                    let e = out.err().unwrap_or_else(|| panic!("{id} {model}: no error"));
                    assert_eq!(e.code(), code, "{id} {model}: {e}");
                }
                None => {
                    let out = out.unwrap_or_else(|e| panic!("{id} {model}: {e}"));
                    for (name, col) in out.columns() {
                        assert!(col.iter().all(|v| v.is_finite()), "{id} {model}: {name} = {col:?}");
                    }
                    if let Some(v) = expect.get("equals").and_then(Value::as_f64) {
                        let (_, point) = &out.columns()[0];
                        assert!(point.iter().all(|p| (p - v).abs() < 1e-9), "{id} {model}: {point:?}");
                    }
                }
            }
        }
    }
}
