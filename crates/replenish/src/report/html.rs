//! The report as one self-contained HTML page: inline CSS, inline SVG charts, no
//! script and nothing fetched, so it opens offline and can be mailed as one file.

use super::charts;
use super::data::{ReportData, SeriesChart};
use crate::error::Result;
use crate::kpi::GroupKpi;
use std::fmt::Write;

const CSS: &str = r#"
:root { --ink:#222; --muted:#666; --line:#e3e3e3; --accent:#1f77b4; --bad:#d62728; --warn:#ff7f0e; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
header { background: #1d2b3a; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header p { margin: 0; color: #c9d3dd; font-size: 13px; }
nav { padding: 8px 28px; background: #fff; border-bottom: 1px solid var(--line); font-size: 13px; }
nav a { color: var(--accent); margin-right: 14px; text-decoration: none; }
main { padding: 8px 28px 40px; max-width: 1600px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 14px 18px; margin: 16px 0; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
p.note { color: var(--muted); font-size: 12px; margin: 4px 0 8px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.tile .v { font-size: 22px; font-weight: 600; }
.tile .k { font-size: 12px; color: var(--muted); }
.tile.bad .v { color: var(--bad); }
.row { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 6px 0 12px; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; font-weight: 600; margin-bottom: 2px; }
figcaption span { font-weight: 400; color: var(--muted); }
table { border-collapse: collapse; font-size: 12px; width: 100%; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #fafafa; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.sev-high { color: var(--bad); font-weight: 600; }
.sev-medium { color: var(--warn); font-weight: 600; }
.sev-low { color: var(--muted); }
details summary { cursor: pointer; font-size: 13px; margin: 8px 0; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 8px 24px; }
"#;

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number with thousands separators and `decimals` digits.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".into(), |v| num(v, decimals))
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn tile(out: &mut String, value: &str, key: &str, bad: bool) {
    let class = if bad { "tile bad" } else { "tile" };
    let _ = write!(
        out,
        r#"<div class="{class}"><div class="v">{}</div><div class="k">{}</div></div>"#,
        esc(value),
        esc(key)
    );
}

fn figure(out: &mut String, id: &str, caption: &str, detail: &str, svg: &str) {
    let _ = write!(
        out,
        r#"<figure data-chart="{}"><figcaption>{} <span>{}</span></figcaption>{svg}</figure>"#,
        esc(id),
        esc(caption),
        esc(detail)
    );
}

fn table(out: &mut String, head: &[(&str, bool)], rows: impl Iterator<Item = Vec<String>>) {
    out.push_str("<table><thead><tr>");
    for (h, n) in head {
        let _ = write!(out, "<th{}>{}</th>", if *n { r#" class="n""# } else { "" }, esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (cell, (_, n)) in row.iter().zip(head) {
            let _ = write!(out, "<td{}>{}</td>", if *n { r#" class="n""# } else { "" }, cell);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn group_table(out: &mut String, groups: &[&GroupKpi], label: &str) {
    let head = [
        (label, false),
        ("SKU-locations", true),
        ("units sold", true),
        ("COGS", true),
        ("avg inventory", true),
        ("turnover /yr", true),
        ("days of supply", true),
        ("stock-out rate", true),
        ("SKUs with stock-outs", true),
        ("fill rate", true),
        ("excess", true),
        ("dead", true),
        ("open POs", true),
    ];
    table(
        out,
        &head,
        groups.iter().map(|g| {
            vec![
                esc(if g.key.is_empty() { "(none)" } else { &g.key }),
                num(g.sku_locations as f64, 0),
                num(g.units_sold, 0),
                num(g.cogs, 0),
                num(g.avg_inventory_value, 0),
                opt(g.turnover, 1),
                opt(g.days_of_supply, 1),
                pct(g.stockout_rate),
                pct(g.stockout_sku_share),
                pct(g.fill_rate),
                num(g.excess_value, 0),
                num(g.dead_value, 0),
                num(g.open_po_value, 0),
            ]
        }),
    );
}

fn series_section(out: &mut String, s: &SeriesChart, levels: &[f64]) -> Result<()> {
    let id = format!("{}@{}", s.sku, s.location);
    let _ = write!(out, "<h3>{} · {}</h3>", esc(&id), esc(&s.item_name));
    let coverage: Vec<String> = levels
        .iter()
        .zip(&s.backtest_coverage)
        .filter_map(|(l, c)| c.map(|c| format!("{l:.0}% interval held {:.0}% of days", c * 100.0)))
        .collect();
    let detail = format!(
        "model {}; back-test WAPE {}{}",
        s.model,
        pct(s.backtest_wape),
        if coverage.is_empty() { String::new() } else { format!("; {}", coverage.join(", ")) }
    );
    out.push_str(r#"<div class="pair">"#);
    figure(out, &format!("forecast:{id}"), "Forecast vs actual", &detail, &charts::forecast_chart(s, levels)?);
    let detail = format!(
        "safety stock {}, reorder point {}, order-up-to {}",
        num(s.safety_stock, 0),
        num(s.reorder_point, 0),
        num(s.order_up_to, 0)
    );
    figure(out, &format!("projection:{id}"), "Projected inventory", &detail, &charts::projection_chart(s)?);
    out.push_str("</div>");
    Ok(())
}

/// The whole report page.
/// The backtest of the plan on this history: per demand class the target, what the
/// plan achieved, and the textbook rule on the same replay.
fn service_section(out: &mut String, s: Option<&crate::backtest::ServiceTable>) {
    out.push_str(r#"<section id="service"><h2>Does the plan keep its promise? (backtest on this history)</h2>"#);
    let Some(s) = s else {
        out.push_str(r#"<p class="note">No backtest given: run <code>replenish simulate --report</code>, or pass a backtest (Python <code>policy.backtest</code>, Node <code>backtest</code>) as the report's <code>service</code>.</p></section>"#);
        return;
    };
    let how =
        if s.replan { format!("re-planned at every review ({} plans)", s.plans) } else { "planned once".to_string() };
    let _ = write!(
        out,
        r#"<p class="note">Planned as of {} with the history before it, {how}, and replayed over the {} days to {} against the demand that followed; the textbook rule s = d̄·P + z·σ·√P ran on the same replay. The expected cycle service is what the plan's own levels promised (above the target where whole units leave no level that gives the target itself). The stock ratio is the plan's average stock over the textbook rule's at the service the plan achieved (below 1: less stock for the same service).</p>"#,
        s.as_of, s.days, s.end
    );
    let head = [
        ("demand class", false),
        ("lines", true),
        ("target", true),
        ("cycle service", true),
        ("expected cycle service", true),
        ("fill rate", true),
        ("stock (units)", true),
        ("stock-out days", true),
        ("textbook cycle service", true),
        ("textbook fill rate", true),
        ("textbook stock", true),
        ("stock ratio", true),
    ];
    table(
        out,
        &head,
        s.kpis.iter().map(|k| {
            vec![
                esc(&k.group),
                num(k.lines as f64, 0),
                pct(Some(k.target_service_level)),
                pct(k.cycle_service_level),
                pct(k.expected_cycle_service_level),
                pct(Some(k.fill_rate)),
                num(k.average_on_hand_units, 1),
                pct(Some(k.stockout_day_share)),
                pct(k.textbook_cycle_service_level),
                pct(Some(k.textbook_fill_rate)),
                num(k.textbook_average_on_hand_units, 1),
                opt(k.stock_ratio_at_equal_service, 2),
            ]
        }),
    );
    if s.kpis.iter().any(|k| k.promotion_cycles > 0) {
        out.push_str(
            r#"<h3>On cycles with a promotion day</h3><p class="note">The replenishment cycles that hold a promotion day (from the calendar or the sales lines), and the demand on promotion days.</p>"#,
        );
        let head = [
            ("demand class", false),
            ("promotion cycles", true),
            ("cycle service", true),
            ("fill rate on promotion days", true),
            ("textbook cycle service", true),
        ];
        table(
            out,
            &head,
            s.kpis.iter().filter(|k| k.promotion_cycles > 0).map(|k| {
                vec![
                    esc(&k.group),
                    num(k.promotion_cycles as f64, 0),
                    pct(k.promotion_cycle_service_level),
                    pct(k.promotion_fill_rate),
                    pct(k.textbook_promotion_cycle_service_level),
                ]
            }),
        );
    }
    out.push_str("</section>");
}

pub fn render_html(r: &ReportData) -> Result<String> {
    let k = &r.kpis;
    let total = k.groups.iter().find(|g| g.group_by == "total");
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{CSS}</style></head><body>"#,
        esc(&r.title)
    );
    let _ = write!(
        out,
        "<header><h1>{}</h1><p>Plan of {} · KPIs over {} to {} ({} days) · values at unit cost</p></header>",
        esc(&r.title),
        r.as_of,
        k.window_start,
        k.window_end,
        (k.window_end - k.window_start).num_days() + 1
    );
    out.push_str(concat!(
        r##"<nav><a href="#summary">Summary</a><a href="#service">Service backtest</a><a href="#orders">Orders</a><a href="#series">Forecasts &amp; stock</a>"##,
        r##"<a href="#trends">Service trends</a><a href="#accuracy">Forecast accuracy</a><a href="#categories">Categories</a>"##,
        r##"<a href="#abcxyz">ABC/XYZ</a><a href="#suppliers">Suppliers</a><a href="#exceptions">Exceptions</a></nav><main>"##
    ));

    // Summary tiles.
    out.push_str(r#"<section id="summary"><h2>Summary</h2><div class="tiles">"#);
    let s = &r.summary;
    for (currency, value) in &s.order_value {
        tile(&mut out, &format!("{} {currency}", num(*value, 0)), "to order", false);
    }
    tile(
        &mut out,
        &format!("{} POs", s.purchase_orders),
        &format!("{} order lines, {} suppliers", s.order_lines, s.suppliers_ordered),
        false,
    );
    tile(
        &mut out,
        &format!("{} / {}", s.below_reorder_point, s.sku_locations),
        "SKU-locations at or below reorder point",
        false,
    );
    if let Some(t) = total {
        tile(&mut out, &num(t.out_of_stock_now as f64, 0), "out of stock now (with demand)", t.out_of_stock_now > 0);
        tile(&mut out, &pct(t.fill_rate), "fill rate (units)", t.fill_rate.is_some_and(|f| f < 0.95));
        tile(&mut out, &pct(t.stockout_rate), "stock-out rate (days)", false);
        tile(&mut out, &pct(t.stockout_sku_share), "SKU-locations with a stock-out", false);
        tile(&mut out, &format!("{}×", opt(t.turnover, 1)), "inventory turnover per year", false);
        tile(&mut out, &opt(t.days_of_supply, 0), "days of supply on hand", false);
        tile(&mut out, &num(t.inventory_value, 0), "inventory value", false);
        tile(&mut out, &num(t.excess_value, 0), "excess stock value", false);
        tile(&mut out, &num(t.dead_value, 0), "dead stock value", t.dead_value > 0.0);
        tile(&mut out, &num(t.open_po_value, 0), "open PO value", false);
    }
    let (abs, act) =
        r.accuracy.iter().fold((0.0, 0.0), |(a, b), p| (a + p.wape.unwrap_or(0.0) * p.actual, b + p.actual));
    if act > 0.0 {
        tile(&mut out, &pct(Some(abs / act)), &format!("forecast WAPE over {} origins", r.accuracy.len()), false);
    }
    let (due, otif) = r
        .suppliers
        .iter()
        .fold((0usize, 0.0), |(d, o), x| (d + x.lines_due, o + x.otif_rate.unwrap_or(0.0) * x.lines_due as f64));
    if due > 0 {
        tile(&mut out, &pct(Some(otif / due as f64)), &format!("supplier OTIF ({due} lines due)"), false);
    }
    let alerts: usize = r.alerts.iter().map(|a| a.alerts).sum();
    tile(&mut out, &num(alerts as f64, 0), "open PO alerts", alerts > 0);
    out.push_str("</div>");
    for n in &r.notes {
        let _ = write!(out, r#"<p class="note">{}</p>"#, esc(n));
    }
    out.push_str("</section>");

    service_section(&mut out, r.service.as_ref());

    // Orders by supplier.
    out.push_str(r#"<section id="orders"><h2>Purchase orders by supplier</h2>"#);
    if r.orders.is_empty() {
        out.push_str(r#"<p class="note">This plan orders nothing.</p>"#);
    } else {
        let head = [
            ("supplier", false),
            ("name", false),
            ("POs", true),
            ("lines", true),
            ("units", true),
            ("value", true),
            ("currency", false),
            ("first delivery", false),
        ];
        table(
            &mut out,
            &head,
            r.orders.iter().map(|o| {
                vec![
                    esc(&o.supplier_id),
                    esc(&o.supplier_name),
                    num(o.purchase_orders as f64, 0),
                    num(o.lines as f64, 0),
                    num(o.units, 0),
                    num(o.value, 2),
                    esc(&o.currency),
                    o.first_delivery.map(|d| d.to_string()).unwrap_or_default(),
                ]
            }),
        );
    }
    out.push_str("</section>");

    // Forecasts and projections.
    out.push_str(r#"<section id="series"><h2>Forecasts and projected stock</h2>"#);
    let _ = write!(
        out,
        r#"<p class="note">Actual demand with stock-out days marked; the back-test forecasts the last days of history from the day before them, so forecast meets actual; shaded bands are {} prediction intervals. The projection starts from stock available on {} (on hand less reserved and backorders) and takes the forecast out each day.</p>"#,
        esc(&r.levels.iter().map(|l| format!("{l:.0}%")).collect::<Vec<_>>().join(" and ")),
        r.as_of
    );
    if r.series.is_empty() {
        out.push_str(r#"<p class="note">No series to chart.</p>"#);
    }
    for s in &r.series {
        series_section(&mut out, s, &r.levels)?;
    }
    out.push_str("</section>");

    // Trends.
    let period = match k.periods.first() {
        Some(p) if k.periods.get(1).is_some_and(|q| (q.period_start - p.period_start).num_days() > 7) => "month",
        _ => "week",
    };
    out.push_str(r#"<section id="trends"><h2>Service trends</h2><div class="pair">"#);
    figure(
        &mut out,
        "fill-rate",
        &format!("Fill rate by {period}"),
        "units sold / (units sold + demand lost on stock-out days)",
        &charts::fill_rate_chart(&k.periods)?,
    );
    figure(
        &mut out,
        "stockout-rate",
        &format!("Stock-out rate by {period}"),
        "share of SKU-location days out of stock",
        &charts::stockout_chart(&k.periods)?,
    );
    out.push_str("</div></section>");

    out.push_str(r#"<section id="accuracy"><h2>Forecast accuracy over time</h2>"#);
    if r.accuracy.is_empty() {
        out.push_str(r#"<p class="note">Not measured (see the notes in the summary).</p>"#);
    } else {
        let series = r.accuracy.iter().map(|p| p.series).max().unwrap_or(0);
        figure(
            &mut out,
            "accuracy",
            "WAPE and bias per forecast origin",
            &format!("rolling origins, {series} series, stock-out days left out"),
            &charts::accuracy_chart(&r.accuracy)?,
        );
        let head = [
            ("origin", false),
            ("series", true),
            ("actual", true),
            ("forecast", true),
            ("WAPE", true),
            ("MASE", true),
            ("bias", true),
        ];
        table(
            &mut out,
            &head,
            r.accuracy.iter().map(|p| {
                vec![
                    p.cutoff.to_string(),
                    num(p.series as f64, 0),
                    num(p.actual, 0),
                    num(p.forecast, 0),
                    pct(p.wape),
                    opt(p.mase, 2),
                    pct(p.bias),
                ]
            }),
        );
    }
    out.push_str("</section>");

    // Categories.
    out.push_str(r#"<section id="categories"><h2>Turnover and stock by category</h2>"#);
    figure(&mut out, "turnover", "Inventory turnover by category", "", &charts::turnover_chart(&k.groups)?);
    let by = |name: &str| k.groups.iter().filter(|g| g.group_by == name).collect::<Vec<_>>();
    group_table(&mut out, &[by("category"), by("total")].concat(), "category");
    for (name, label) in [("location", "By location"), ("supplier", "By supplier"), ("abc", "By ABC class")] {
        let _ = write!(out, "<details><summary>{label}</summary>");
        group_table(&mut out, &by(name), name);
        out.push_str("</details>");
    }
    out.push_str("</section>");

    out.push_str(r#"<section id="abcxyz"><h2>ABC/XYZ matrix</h2>"#);
    figure(
        &mut out,
        "abc-xyz",
        "SKU-locations and share of cost of goods sold",
        "A: the SKU-locations making the first 80% of value, B the next 15%, C the rest; X/Y/Z by weekly demand variability",
        &charts::matrix_chart(&k.abc_xyz)?,
    );
    out.push_str("</section>");

    // Suppliers and alerts.
    out.push_str(r#"<section id="suppliers"><h2>Supplier performance</h2>"#);
    if r.suppliers.is_empty() {
        out.push_str(r#"<p class="note">No receipts or tracked purchase orders yet.</p>"#);
    } else {
        let head = [
            ("supplier", false),
            ("receipts", true),
            ("stated lead time", true),
            ("actual lead time", true),
            ("std dev", true),
            ("bias (days)", true),
            ("on time", true),
            ("lines due", true),
            ("in full", true),
            ("OTIF", true),
        ];
        table(
            &mut out,
            &head,
            r.suppliers.iter().map(|x| {
                vec![
                    esc(&x.supplier_id),
                    num(x.receipts as f64, 0),
                    opt(x.stated_lead_time_days, 1),
                    opt(x.actual_lead_time_days, 1),
                    opt(x.lead_time_std_days, 1),
                    opt(x.lead_time_bias_days, 1),
                    pct(x.on_time_rate),
                    num(x.lines_due as f64, 0),
                    pct(x.in_full_rate),
                    pct(x.otif_rate),
                ]
            }),
        );
    }
    if !r.alerts.is_empty() {
        out.push_str("<h3>Purchase-order alerts by type</h3>");
        let head = [("alert", false), ("alerts", true), ("POs", true), ("projected lost sales (units)", true)];
        table(
            &mut out,
            &head,
            r.alerts.iter().map(|a| {
                vec![esc(&a.kind), num(a.alerts as f64, 0), num(a.pos as f64, 0), num(a.projected_lost_sales, 0)]
            }),
        );
    }
    out.push_str("</section>");

    // Exceptions.
    let total_ex: usize = r.exception_counts.values().sum();
    out.push_str(r#"<section id="exceptions"><h2>Exceptions</h2>"#);
    let counts: Vec<String> = r.exception_counts.iter().map(|(k, n)| format!("{} {}", num(*n as f64, 0), k)).collect();
    let _ = write!(
        out,
        r#"<p class="note">{} exception(s): {}. The {} most urgent (severity, then value at stake) are listed.</p>"#,
        num(total_ex as f64, 0),
        esc(&counts.join(", ")),
        r.exceptions.len()
    );
    let head = [
        ("severity", false),
        ("kind", false),
        ("SKU", false),
        ("location", false),
        ("supplier", false),
        ("PO", false),
        ("detail", false),
        ("value at stake", true),
    ];
    table(
        &mut out,
        &head,
        r.exceptions.iter().map(|e| {
            vec![
                format!(r#"<span class="sev-{0}">{0}</span>"#, esc(&e.severity)),
                esc(&e.kind),
                esc(&e.sku),
                esc(&e.location),
                esc(e.supplier_id.as_deref().unwrap_or("")),
                esc(e.po_number.as_deref().unwrap_or("")),
                esc(&e.detail),
                num(e.value, 0),
            ]
        }),
    );
    out.push_str("</section></main></body></html>\n");
    Ok(out)
}
