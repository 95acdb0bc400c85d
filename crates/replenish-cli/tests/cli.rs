//! The `replenish` binary end to end: demo outputs, bad input exit codes and messages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_replenish"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

#[test]
fn demo_writes_plan_and_orders_with_a_positive_total() {
    let out = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    // A smaller company keeps the debug-build test fast; the full demo runs in CI via the README command.
    let o = bin()
        .args(["demo", "--skus", "40", "--days", "200", "--out"])
        .arg(out.path())
        .arg("--write-data")
        .arg(data.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("purchase orders"), "{stdout}");
    for f in ["plan.csv", "purchase_orders.csv", "purchase_orders.json", "summary.json", "quality.json", "report.html"]
    {
        assert!(out.path().join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap()).unwrap();
    let total: f64 = summary["order_value"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).sum();
    assert!(total > 0.0, "order value {total}");
    assert!(summary["purchase_orders"].as_u64().unwrap() > 0);
    for f in ["items.csv", "suppliers.csv", "sales.csv", "inventory.csv", "open_orders.csv", "stockouts.csv"] {
        assert!(data.path().join(f).is_file(), "{f} missing");
    }
    // Planning the written folder gives the same plan as the demo.
    let out2 = tempfile::tempdir().unwrap();
    let o = bin().arg("plan").arg("--data").arg(data.path()).arg("--out").arg(out2.path()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read(out.path().join("plan.csv")).unwrap(),
        std::fs::read(out2.path().join("plan.csv")).unwrap()
    );
}

#[test]
fn bad_input_exits_non_zero_naming_file_row_and_column() {
    for (name, needle) in [
        ("bad_quantity", "sales.csv:5:quantity: `seven` is not a number"),
        ("unknown_sku", "sales.csv:17:sku: unknown SKU `Z`"),
        ("negative_lead_time", "suppliers.csv:3:lead_time_days: -4 is not allowed"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let o = bin().arg("plan").arg("--data").arg(fixture(name)).arg("--out").arg(out.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(needle), "{name}: {stderr}");
        assert!(!out.path().join("plan.csv").exists(), "{name}: no plan on bad input");
    }
}

#[test]
fn config_file_is_applied_and_bad_config_rejected() {
    let out = tempfile::tempdir().unwrap();
    let o = bin()
        .arg("plan")
        .arg("--data")
        .arg(fixture("small"))
        .arg("--out")
        .arg(out.path())
        .arg("--config")
        .arg(fixture("small").join("config.toml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plan = std::fs::read_to_string(out.path().join("plan.csv")).unwrap();
    assert!(plan.contains("WindowAverage(window=7)"));

    let cfg = out.path().join("bad.toml");
    std::fs::write(&cfg, "[plan]\nservice_level = 1.5\n").unwrap();
    let o = bin()
        .arg("plan")
        .arg("--data")
        .arg(fixture("small"))
        .arg("--out")
        .arg(out.path())
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("service_level"));
}

#[test]
fn missing_folder_is_a_clean_error() {
    let o = bin().args(["plan", "--data", "/nonexistent/replenish", "--out", "/tmp/x"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/replenish"));
}

#[test]
fn help_explains_every_option() {
    let o = bin().args(["plan", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&o.stdout);
    for opt in ["--data", "--out", "--config"] {
        assert!(help.contains(opt), "{help}");
    }
}

/// `demo` writes approval rules, a week of events, the stock outlook and e-mails;
/// `track` applies the events and UBL documents and prints states and alerts;
/// its open orders feed the next plan.
#[test]
fn track_applies_events_and_documents_and_prints_alerts() {
    let out = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["demo", "--skus", "40", "--days", "200", "--email-from", "buying@shop.example", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let eml = std::fs::read_dir(out.path().join("email")).unwrap().count();
    assert!(eml > 0);
    let pos: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("purchase_orders.json")).unwrap()).unwrap();
    let last = pos.as_array().unwrap().last().unwrap();
    let po = last["po_number"].as_str().unwrap();
    let line = &last["lines"][0];
    // The last PO is never acknowledged in the demo events: its supplier answers by UBL.
    let docs = tempfile::tempdir().unwrap();
    let response = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>R1</cbc:ID><cbc:IssueDate>2026-11-03</cbc:IssueDate><cbc:OrderResponseCode>CA</cbc:OrderResponseCode>
<cac:OrderReference><cbc:ID>{po}</cbc:ID></cac:OrderReference>
<cac:SellerSupplierParty/><cac:BuyerCustomerParty/>
<cac:OrderLine><cac:LineItem><cbc:ID>{}</cbc:ID><cbc:Quantity>0</cbc:Quantity><cac:Item/></cac:LineItem></cac:OrderLine>
</OrderResponse>"#,
        line["line"]
    );
    std::fs::write(docs.path().join("response.xml"), response).unwrap();
    let track = tempfile::tempdir().unwrap();
    let o = bin()
        .arg("track")
        .arg("--orders")
        .arg(out.path().join("purchase_orders.json"))
        .arg("--events")
        .arg(out.path().join("events.jsonl"))
        .arg("--approvals")
        .arg(out.path().join("approvals.toml"))
        .arg("--stock")
        .arg(out.path().join("stock.json"))
        .arg("--documents")
        .arg(docs.path())
        .args(["--show", "1000"])
        .arg("--out")
        .arg(track.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("0 refused"), "{stdout}");
    assert!(stdout.contains("alerts as of 2026-11-03"), "{stdout}");
    assert!(stdout.contains("received") && stdout.contains("acknowledged"), "{stdout}");
    assert!(stdout.contains("[short_confirmation]"), "{stdout}");
    let states: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(track.path().join("tracking.json")).unwrap()).unwrap();
    let tracked = states.as_array().unwrap().iter().find(|s| s["po_number"] == po).unwrap();
    assert_eq!(tracked["lines"][0]["status"], "cancelled", "the supplier confirmed 0");
    let open = std::fs::read_to_string(track.path().join("open_orders.csv")).unwrap();
    assert!(open.starts_with("po_number,line,supplier_id,sku,location,status,quantity_ordered"));
    // A bad event file names the line.
    let bad = docs.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"po_number\":\"X\",\"event\":\"send\",\"at\":\"2026-01-01T00:00:00\"}\n{\"event\":\"fly\"}\n",
    )
    .unwrap();
    let o = bin()
        .arg("track")
        .arg("--orders")
        .arg(out.path().join("purchase_orders.json"))
        .arg("--events")
        .arg(&bad)
        .arg("--approvals")
        .arg(out.path().join("approvals.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 2"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn report_writes_one_html_file_and_rejects_unknown_series() {
    let dir = tempfile::tempdir().unwrap();
    // The small fixture's configuration with a [report] section short enough for its 9 days.
    let config = std::fs::read_to_string(fixture("small").join("config.toml")).unwrap()
        + "\n[report]\ntitle = \"Small & co\"\nbacktest_days = 2\nhorizon_days = 4\nhistory_days = 5\naccuracy = { windows = 1, h = 2, season_length = 1 }\n";
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let out = dir.path().join("nested/report.html");
    let o = bin()
        .args(["report", "--series", "A@L1", "--window-days", "7", "--data"])
        .arg(fixture("small"))
        .arg("--config")
        .arg(dir.path().join("config.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("1 charted") && stdout.contains("Wrote"), "{stdout}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<title>Small &amp; co</title>"));
    for chart in ["forecast:A@L1", "projection:A@L1", "accuracy", "abc-xyz"] {
        assert!(html.contains(&format!("data-chart=\"{chart}\"")), "no {chart} chart");
    }

    let o = bin()
        .args(["report", "--series", "Z@L1", "--data"])
        .arg(fixture("small"))
        .arg("--out")
        .arg(dir.path().join("bad.html"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`Z@L1` is not in the plan"));
    assert!(!dir.path().join("bad.html").exists());
}

/// `simulate` re-plans at every review and prints the textbook rule beside the plan;
/// `--plan-once` plans once.
#[test]
fn simulate_replays_the_plan_and_the_textbook_rule() {
    let o = bin().args(["simulate", "--skus", "8", "--days", "42"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("again at every review") && out.contains("textbook SL") && out.contains("stock ratio"),
        "{out}"
    );
    let all = out.lines().find(|l| l.trim_start().starts_with("all")).unwrap_or_default();
    assert!(all.contains('%'), "{out}");
    let o = bin().args(["simulate", "--skus", "8", "--days", "42", "--plan-once"]).output().unwrap();
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stdout).contains("again at every review"));
    // `--report` writes the HTML report with the backtest's table.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let o = bin().args(["simulate", "--skus", "8", "--days", "42", "--report"]).arg(&path).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("Does the plan keep its promise?") && html.contains("textbook cycle service"));
    // The same seeded replay: the printed `all` row's figures are in the table.
    for cell in all.split_whitespace().filter(|c| c.ends_with('%')).take(3) {
        assert!(html.contains(&format!(">{cell}<")), "{cell} not in the report's table");
    }
}
