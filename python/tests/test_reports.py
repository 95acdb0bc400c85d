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
