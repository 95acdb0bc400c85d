"""The PO approval workflow from Python: chains, separation of duties, audit log."""

from datetime import datetime, timedelta

import pytest

import replenish
from replenish import workflow

CONFIG = """
auto_approve_when = "total_value < 500"

[actors]
ann = ["buyer"]
cat = ["category_manager"]
dan = ["finance_director"]
fay = ["cfo"]

[[rules]]
name = "every PO"
steps = [{ name = "category", roles = ["category_manager"] }]

[[rules]]
name = "large"
when = "total_value >= 10000"
steps = [{ name = "finance", roles = ["finance_director"], deadline_hours = 48, escalate_to = ["cfo"] }]
"""

T0 = datetime(2026, 11, 2, 8)


def ev(kind, actor=None, hours=0, **more):
    e = {"event": kind, "at": T0 + timedelta(hours=hours), **more}
    if actor is not None:
        e["actor"] = actor
    return e


@pytest.fixture(scope="module")
def plan_pos():
    return replenish.plan(replenish.read_tables(**replenish.demo_data(skus=20, locations=1))).purchase_orders


def test_a_planned_po_goes_through_its_chain(plan_pos):
    cfg = workflow.config(CONFIG)
    big = plan_pos.sort_values("total_value").iloc[-1]
    state = workflow.new(big)
    assert state["status"] == "draft" and state["po"]["po_number"] == big.po_number
    state = workflow.apply(cfg, state, ev("submit", "ann"))
    assert state["status"] == "pending_approval"
    with pytest.raises(replenish.WorkflowError) as e:
        workflow.apply(cfg, state, ev("approve", "ann", 1))
    assert e.value.kind == "self_approval" and e.value.code == "WORKFLOW"
    with pytest.raises(replenish.WorkflowError) as e:
        workflow.apply(cfg, state, ev("approve", "dan", 1))
    assert e.value.kind == "not_authorised"
    state, refused = workflow.run(cfg, state, [ev("approve", "cat", 1), ev("approve", "cat", 2), ev("escalate", hours=60),
                                               ev("approve", "fay", 61)])
    assert big.total_value >= 10000
    # cat already approved the category step and holds no finance role.
    assert [r["kind"] for r in refused] == ["not_authorised"]
    assert state["status"] == "approved"
    assert workflow.verify_audit(state["audit"], state["head_hash"]) is None
    # Tampering is found: an edit, and a removed last record.
    edited = [dict(r) for r in state["audit"]]
    edited[0]["status"] = "approved"
    assert workflow.verify_audit(edited, state["head_hash"])["index"] == 0
    assert workflow.verify_audit(state["audit"][:-1], state["head_hash"]) is not None


def test_small_pos_are_auto_approved_and_bad_rules_are_located():
    cfg = workflow.config(CONFIG)
    facts = dict(po_number="PO-X", supplier="S", location="L", currency="EUR", total_value=100.0,
                 total_quantity=5.0, lines=1)
    state = workflow.apply(cfg, workflow.new(facts), ev("submit", "ann"))
    assert state["status"] == "approved" and "total_value < 500" in state["auto_approved_by"]
    with pytest.raises(replenish.RuleError) as e:
        workflow.config({"rules": [{"name": "big", "when": "total_vale > 1", "steps": []}]})
    assert e.value.column == 1 and "did you mean `total_value`" in e.value.reason


def test_lead_time_learning_from_receipts():
    import numpy as np
    import pandas as pd

    ds = replenish.read_tables(**replenish.demo_data(skus=5, locations=1))
    terms = ds.table("supply_terms").iloc[0]
    rng = np.random.default_rng(0)
    orders = pd.date_range("2025-01-01", periods=1500, freq="D")
    lead = np.maximum(np.round(rng.normal(9, 2, len(orders))), 0)
    receipts = pd.DataFrame({"supplier_id": terms.supplier_id, "sku": terms.sku, "order_date": orders,
                             "received_date": orders + pd.to_timedelta(lead, unit="D")})
    est = workflow.learn_lead_times(ds, receipts, half_life=None).set_index(["supplier_id", "sku"])
    row = est.loc[(terms.supplier_id, terms.sku)]
    assert row.receipts == 1500
    assert abs(row.mean_days - 9) < 0.2 and abs(row.std_days - 2.02) < 0.2
    assert row.stated_mean_days == terms.lead_time_days
