"""KPIs from Python on the small fixture, against values computed by hand
(the same figures as crates/replenish/tests/kpi.rs; docs/reports.md)."""

import pathlib

import pytest

import replenish
from replenish import orders, reports

SMALL = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "small"


@pytest.fixture(scope="module")
def plan():
    cfg = replenish.load_config(SMALL / "config.toml")
    return replenish.plan(SMALL, cfg["plan"], ingest=cfg["ingest"])


def test_kpis_match_hand_computation(plan):
    r = plan.kpis(window_days=7, dead_stock_days=7)
    assert (r.window_start, r.window_end) == ("2025-03-03", "2025-03-09")
    lines = r.lines.set_index(["sku", "location"])
    a = lines.loc[("A", "L1")]
    assert a.units_sold == 63 and a.stockout_days == 1 and a.lost_units == pytest.approx(10.5)
    assert a.fill_rate == pytest.approx(63 / 73.5)
    assert a.cycle_service_level == pytest.approx(6 / 7)
    assert a.avg_inventory_value == pytest.approx(86 / 3) and a.peak_inventory_value == 80
    assert a.turnover == pytest.approx(126 * 365 / 7 / (86 / 3))
    assert a.open_po_value == 20
    c = lines.loc[("C", "L1")]
    assert c.dead_value == 30 and c.inventory_source == "snapshot"
    total = r.groups[r.groups.group_by == "total"].iloc[0]
    assert total.sku_locations == 4 and total.out_of_stock_now == 1 and total.dead_value == 30
    week = r.periods.iloc[0]
    assert str(week.period_start.date()) == "2025-03-03"
    assert week.avg_inventory_value == pytest.approx((6 + 12 + 80) / 3)
    assert r.abc_xyz.sku_locations.sum() == 4
    with pytest.raises(replenish.ConfigError):
        plan.kpis(window_days=0)


def test_supplier_kpis_and_alert_counts(plan):
    receipts = [dict(supplier_id="S1", sku=s, order_date=o, received_date=rcv) for s, o, rcv in [
        ("A", "2025-01-01", "2025-01-05"), ("A", "2025-01-08", "2025-01-14"),
        ("B", "2025-01-15", "2025-01-18"), ("B", "2025-01-22", "2025-01-27")]]
    k = reports.supplier_kpis(plan, receipts=receipts).set_index("supplier_id").loc["S1"]
    assert k.receipts == 4 and k.actual_lead_time_days == pytest.approx(4.5)
    assert k.lead_time_bias_days == pytest.approx(0.5) and k.on_time_rate == pytest.approx(0.5)
    assert k.within_one_day_rate == pytest.approx(0.75)
    # Sent and never acknowledged: one no-acknowledgement alert per PO.
    states = orders.track(plan)
    cfg = 'auto_approve_when = "true"\n[actors]\nann = ["buyer"]\n'
    events = [e for po in plan.purchase_orders.po_number for e in (
        dict(po_number=po, event="submit", actor="ann", at="2025-03-09T09:00:00"),
        dict(po_number=po, event="send", at="2025-03-09T10:00:00"))]
    states, refused = orders.apply(cfg, states, events)
    assert refused == []
    alerts = orders.alerts(states, plan, "2025-03-20")
    counts = reports.alert_counts(alerts).set_index("kind")
    assert counts.loc["no_acknowledgement"].pos == len(plan.purchase_orders)
    assert counts.alerts.sum() == len(alerts)


def test_forecast_accuracy_per_origin_matches_hand_computation():
    # 60 days alternating 10 and 20 from 2025-01-01, forecast naively from origins on
    # days 51 and 55 (both odd days, last value 20): the next four days 10, 20, 10, 20
    # against 20 each: |error| 20 and bias +20 on 60 sold; lag-1 in-sample MAE is 10,
    # so MASE = (20 / 4) / 10 = 0.5 (crates/replenish/tests/kpi.rs).
    import pandas as pd

    days = pd.date_range("2025-01-01", periods=60, freq="D")
    sales = pd.DataFrame(dict(date=days.strftime("%Y-%m-%d"), sku="A", location="L1",
                              quantity=[10 if d % 2 == 0 else 20 for d in range(60)]))
    tables = {n: pd.read_csv(SMALL / f"{n}.csv", dtype=str) for n in ("items", "suppliers", "inventory", "open_orders")}
    ds = replenish.read_tables(sales=sales, **tables)
    acc = reports.forecast_accuracy(ds, "Naive", windows=2, h=4, season_length=1)
    assert list(acc.columns) == reports.ACCURACY_COLUMNS
    assert [str(c.date()) for c in acc.cutoff] == ["2025-02-21", "2025-02-25"]
    assert list(acc.series) == [1, 1] and list(acc.actual) == [60, 60] and list(acc.forecast) == [80, 80]
    assert acc.wape.tolist() == pytest.approx([1 / 3, 1 / 3]) and acc.bias.tolist() == pytest.approx([1 / 3, 1 / 3])
    assert acc.mase.tolist() == pytest.approx([0.5, 0.5])
    # Seasonal naive at m = 2 is exact in-sample: no scale, so no MASE.
    m2 = reports.forecast_accuracy(ds, {"model": "Naive"}, windows=2, h=4, season_length=2)
    assert m2.mase.isna().all()
    with pytest.raises(replenish.ConfigError):
        reports.forecast_accuracy(ds, "Naive", windows=0)
    with pytest.raises(replenish.ReplenishError, match="unknown model"):
        reports.forecast_accuracy(ds, "NoSuchModel")


SMALL_REPORT = dict(series=["A@L1"], history_days=5, backtest_days=2, horizon_days=4, levels=[80], accuracy=False,
                    window_days=7, dead_stock_days=7)


@pytest.fixture(scope="module")
def small_report(plan):
    return plan.report(**SMALL_REPORT)


def test_report_frames_match_hand_computation(plan, small_report):
    # The same figures as crates/replenish/tests/report.rs: the window average of 7
    # in-stock days, a 2-day back-test, 4 days ahead.
    r = small_report
    s = r.series.set_index("unique_id").loc["A@L1"]
    assert s.item_name == "Apple Juice" and s.backtest_wape == pytest.approx(4 / 23)
    h = r.history
    assert len(h) == 7 and str(h.ds.iloc[0].date()) == "2025-03-03" and str(h.ds.iloc[-1].date()) == "2025-03-09"
    assert h.stockout.sum() == 1 and str(h[h.stockout].ds.iloc[0].date()) == "2025-03-05"
    bt = r.forecasts[r.forecasts.kind == "backtest"]
    assert [str(d.date()) for d in bt.ds] == ["2025-03-08", "2025-03-09"]
    assert bt["mean"].tolist() == pytest.approx([9.5, 9.5])
    fc = r.forecasts[r.forecasts.kind == "forecast"]
    assert len(fc) == 4 and fc["mean"].tolist() == pytest.approx([10.0] * 4)
    assert (fc["lo-80"] <= fc["mean"]).all() and (fc["mean"] <= fc["hi-80"]).all() and (fc["lo-80"] >= 0).all()
    line = plan.lines.set_index(["sku", "location"]).loc[("A", "L1")]
    q = line.order_quantity
    assert q > 0
    assert r.projection.stock.tolist() == pytest.approx([35, 25, 25, 15, 5 + q])
    arr = r.arrivals
    assert [(str(d.date()), qty, p) for d, qty, p in zip(arr.ds, arr.quantity, arr.planned)] == [
        ("2025-03-11", 10, False), ("2025-03-13", q, True)]
    assert arr.po_number.iloc[0] == "OLD-1"
    assert s.reorder_point == pytest.approx(line.reorder_point)
    # Exceptions: the most severe first, counted before the cut.
    ex = r.exceptions
    assert ex.severity.iloc[0] == "high"
    assert ((ex.kind == "dead_stock") & (ex.sku == "C")).any()
    assert sum(r.exception_counts.values()) == len(ex)
    assert r.kpis.lines.units_sold.sum() > 0


def test_report_html_is_self_contained(plan, small_report, tmp_path):
    html = small_report.to_html()
    assert html.startswith("<!DOCTYPE html>")
    for chart in ["forecast:A@L1", "projection:A@L1", "fill-rate", "stockout-rate", "turnover", "abc-xyz"]:
        assert f'data-chart="{chart}"' in html
    lower = html.lower()
    for banned in ["<script", "<link", "<img", "@import", "url(", "src="]:
        assert banned not in lower
    path = tmp_path / "report.html"
    assert plan.html_report(path, **SMALL_REPORT) == html
    assert path.read_text(encoding="utf-8") == html
    # The chart model as a replenish.models object: the same page as the plan's own
    # window average; Naive forecasts the back-test from the last value before it (7 on 03-07).
    assert plan.report(**SMALL_REPORT, forecast=replenish.models.WindowAverage(window=7)).to_html() == html
    naive = plan.report(**SMALL_REPORT, forecast=replenish.models.Naive())
    assert naive.forecasts[naive.forecasts.kind == "backtest"]["mean"].tolist() == [7.0, 7.0]
    with pytest.raises(replenish.ConfigError, match="Z@L1"):
        plan.report(series=["Z@L1"])
    with pytest.raises(replenish.ConfigError):
        plan.report(levels=[100])


def test_report_frames_in_polars():
    pl = pytest.importorskip("polars")
    tables = {n: pl.read_csv(SMALL / f"{n}.csv", infer_schema_length=0) for n in
              ("items", "suppliers", "sales", "inventory", "open_orders", "stockouts", "stock_history")}
    cfg = replenish.load_config(SMALL / "config.toml")
    p = replenish.plan(replenish.read_tables(**tables, ingest=cfg["ingest"]), cfg["plan"])
    r = p.report(**SMALL_REPORT)
    assert isinstance(r.forecasts, pl.DataFrame) and r.forecasts.schema["ds"] == pl.Date
    assert r.projection["stock"].to_list()[:4] == pytest.approx([35, 25, 25, 15])


def test_plot_helpers_draw_the_report_data(small_report):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    r = small_report
    fig = replenish.plot_forecast(r, "A@L1")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert lines["actual"].get_ydata().tolist() == r.history.y.tolist()
    assert lines["forecast"].get_ydata().tolist() == pytest.approx([10.0] * 4)
    assert lines["back-test forecast"].get_ydata().tolist() == pytest.approx([9.5, 9.5])
    assert "80% interval" in [t.get_text() for t in ax.get_legend().get_texts()]

    fig = replenish.plot_projection(r)
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert lines["projected stock"].get_ydata().tolist() == pytest.approx(r.projection.stock.tolist())
    rop = r.series.reorder_point.iloc[0]
    assert f"reorder point {rop:,.0f}" in lines
    assert len(lines["this plan's order"].get_xdata()) == 1 and len(lines["open order arrives"].get_xdata()) == 1

    fig = replenish.plot_service_trends(r)
    assert len(fig.axes) == 2
    fill = [p for p in r.raw["kpis"]["periods"] if p["fill_rate"] is not None]
    assert fig.axes[0].get_lines()[0].get_ydata().tolist() == pytest.approx([p["fill_rate"] for p in fill])

    fig = replenish.plot_turnover(r)
    cats = [g for g in r.raw["kpis"]["groups"] if g["group_by"] == "category" and g["turnover"] is not None]
    assert sorted(b.get_width() for b in fig.axes[0].patches) == pytest.approx(sorted(g["turnover"] for g in cats))

    fig = replenish.plot_abc_xyz(r)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 18 and sum(int(t.split()[1]) for t in texts if "COGS" not in t) == 4

    fig = replenish.plot_accuracy(r)  # accuracy was left out: an empty but labelled chart
    assert fig.axes[0].get_ylabel() == "% of actual demand"
    assert fig.axes[0].texts[0].get_text() == "no forecast origins in this report"
    acc = dict(r.raw, accuracy=[dict(cutoff="2025-03-02", wape=0.25, bias=0.05), dict(cutoff="2025-03-09", wape=0.2,
                                                                                       bias=None)])
    lines = {ln.get_label(): ln for ln in replenish.plot_accuracy(acc).axes[0].get_lines()}
    assert lines["WAPE"].get_ydata().tolist() == [0.25, 0.2] and lines["bias (+: over-forecast)"].get_ydata().tolist() == [0.05]

    # Drawing into the caller's axes returns the caller's figure.
    own, axes = plt.subplots(1, 2)
    assert replenish.plot_forecast(r, ax=axes[0]) is own
    with pytest.raises(replenish.InputError, match="not charted"):
        replenish.plot_forecast(r, "B@L9")
    plt.close("all")


def test_demo_tracked_gives_the_states_the_cli_demo_reports_on():
    p = replenish.plan(replenish.demo_data(skus=10))
    states, as_of = reports.demo_tracked(p)
    assert len(states) == len(p.purchase_orders) and as_of > str(p.as_of)[:10]
    assert {s["status"] for s in states} - {"draft"}, "the demo's events moved some POs on"
    r = p.report(states, as_of=as_of, accuracy=False, top_series=1)
    assert r.as_of == str(p.as_of)[:10] and len(r.series) == 1


def test_the_report_shows_a_backtest_of_the_plan():
    from replenish import policy

    ds = replenish.read_tables(**replenish.demo_data(skus=12, locations=1))
    kpis, lines = policy.backtest(ds, days=56)
    assert set(kpis.group) >= {"all"} and len(lines) == 12
    r = replenish.plan(ds).report(accuracy=False, service=(kpis, lines))
    assert r.raw["service"]["days"] == 56 and r.raw["service"]["replan"] is True
    every = next(k for k in r.raw["service"]["kpis"] if k["group"] == "all")
    assert every["lines"] == 12
    html = r.to_html()
    assert "Does the plan keep its promise?" in html and "textbook cycle service" in html
    assert f"{every['fill_rate'] * 100:.1f}%" in html
    # The demo has a promotion calendar: cycles holding a promotion day get their own table.
    assert every["promotion_cycles"] > 0 and 0 <= every["promotion_cycle_service_level"] <= 1
    assert "On cycles with a promotion day" in html
    # The kpis frame alone works too; anything else is refused with a reason.
    assert replenish.plan(ds).report(accuracy=False, service=kpis).raw["service"]["plans"] == kpis.attrs["plans"]
    with pytest.raises(TypeError, match="policy.backtest"):
        replenish.plan(ds).report(accuracy=False, service=lines)
    # Without one, the section says how to get it.
    assert "replenish simulate --report" in replenish.plan(ds).report(accuracy=False).to_html()
