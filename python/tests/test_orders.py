"""Purchase orders end to end from Python: supplier minimums and truck loads, PO
e-mails, tracking with approval, supplier UBL documents (validated against the
official schema when it is present), alerts, open orders and lead-time learning."""

import datetime as dt
import email
import email.policy
import io
import pathlib

import pandas as pd
import pytest

import replenish
from replenish import orders

UBL = pathlib.Path(__file__).resolve().parents[3] / "shared" / "standards" / "ubl-2.1"

APPROVALS = """
auto_approve_when = "total_value < 1000"
[actors]
ann = ["buyer"]
max = ["manager"]
fin = ["finance_director"]
[[rules]]
name = "manager"
steps = [{ name = "manager", roles = ["manager"] }]
[[rules]]
name = "finance"
when = "total_value >= 25000"
steps = [{ name = "finance", roles = ["finance_director"] }]
"""


@pytest.fixture(scope="module")
def tables():
    return replenish.demo_data(skus=40, locations=1, days=400)


@pytest.fixture(scope="module")
def plan(tables):
    return replenish.plan(tables)


def schema(name):
    path = UBL / "xsd" / "maindoc" / f"UBL-{name}-2.1.xsd"
    if not path.exists():
        return None
    etree = pytest.importorskip("lxml.etree")
    return etree.XMLSchema(etree.parse(str(path)))


def approved_and_sent(plan, day):
    states = orders.track(plan)
    at = dt.datetime.combine(day, dt.time(9))
    events = []
    for po in plan.purchase_orders.itertuples():
        events.append(dict(po_number=po.po_number, event="submit", actor="ann", at=at))
        if po.total_value >= 1000:
            events.append(dict(po_number=po.po_number, event="approve", actor="max", at=at + dt.timedelta(hours=1)))
        if po.total_value >= 25000:
            events.append(dict(po_number=po.po_number, event="approve", actor="fin", at=at + dt.timedelta(hours=2)))
        events.append(dict(po_number=po.po_number, event="send", at=at + dt.timedelta(hours=3)))
    states, refused = orders.apply(APPROVALS, states, events)
    assert refused == []
    return states


def order_response(po_number, line, quantity, issue_date):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:ID>RESP-1</cbc:ID>
  <cbc:IssueDate>{issue_date}</cbc:IssueDate>
  <cbc:IssueTime>08:00:00</cbc:IssueTime>
  <cbc:OrderResponseCode>CA</cbc:OrderResponseCode>
  <cac:OrderReference><cbc:ID>{po_number}</cbc:ID></cac:OrderReference>
  <cac:SellerSupplierParty><cac:Party><cac:PartyName><cbc:Name>Supplier</cbc:Name></cac:PartyName></cac:Party></cac:SellerSupplierParty>
  <cac:BuyerCustomerParty><cac:Party><cac:PartyName><cbc:Name>Buyer</cbc:Name></cac:PartyName></cac:Party></cac:BuyerCustomerParty>
  <cac:OrderLine>
    <cac:LineItem>
      <cbc:ID>{line}</cbc:ID>
      <cbc:LineStatusCode>3</cbc:LineStatusCode>
      <cbc:Quantity unitCode="C62">{quantity}</cbc:Quantity>
      <cac:Item/>
    </cac:LineItem>
    <cac:OrderLineReference><cbc:LineID>{line}</cbc:LineID></cac:OrderLineReference>
  </cac:OrderLine>
</OrderResponse>"""


def despatch_advice(po_number, lines, issue_date, arrival):
    body = "".join(
        f"""<cac:DespatchLine><cbc:ID>{i + 1}</cbc:ID><cbc:DeliveredQuantity unitCode="C62">{q}</cbc:DeliveredQuantity>
    <cac:OrderLineReference><cbc:LineID>{line}</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cac:BuyersItemIdentification><cbc:ID>{sku}</cbc:ID></cac:BuyersItemIdentification></cac:Item></cac:DespatchLine>"""
        for i, (line, sku, q) in enumerate(lines))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:ID>DESADV-1</cbc:ID>
  <cbc:IssueDate>{issue_date}</cbc:IssueDate>
  <cac:OrderReference><cbc:ID>{po_number}</cbc:ID></cac:OrderReference>
  <cac:DespatchSupplierParty><cac:Party><cac:PartyName><cbc:Name>Supplier</cbc:Name></cac:PartyName></cac:Party></cac:DespatchSupplierParty>
  <cac:DeliveryCustomerParty><cac:Party><cac:PartyName><cbc:Name>Buyer</cbc:Name></cac:PartyName></cac:Party></cac:DeliveryCustomerParty>
  <cac:Shipment><cbc:ID>SHIP-1</cbc:ID><cac:Delivery><cac:EstimatedDeliveryPeriod><cbc:EndDate>{arrival}</cbc:EndDate></cac:EstimatedDeliveryPeriod></cac:Delivery></cac:Shipment>
  {body}
</DespatchAdvice>"""


def test_a_po_is_tracked_from_approval_to_receipt_with_supplier_documents(plan):
    as_of = dt.date.fromisoformat(plan.as_of)
    states = approved_and_sent(plan, as_of)
    assert {s["status"] for s in states} == {"sent"}
    first = plan.purchase_order_lines[plan.purchase_order_lines.po_number == plan.purchase_orders.po_number[0]]
    po, line, sku, qty = first.po_number.iloc[0], int(first.line.iloc[0]), first.sku.iloc[0], float(first.quantity.iloc[0])

    # The supplier confirms half of line 1 (UBL OrderResponse) and ships it (DespatchAdvice).
    response = order_response(po, line, int(qty // 2), as_of + dt.timedelta(days=1))
    arrival = as_of + dt.timedelta(days=3)
    despatch = despatch_advice(po, [(line, sku, int(qty // 2))], as_of + dt.timedelta(days=2), arrival)
    for name, doc in [("OrderResponse", response), ("DespatchAdvice", despatch)]:
        s = schema(name)
        if s is not None:
            from lxml import etree

            s.assertValid(etree.fromstring(doc.encode()))
    ack = orders.import_ubl(response)
    assert ack["event"] == "acknowledge" and ack["po_number"] == po
    assert ack["lines"] == [{"line": line, "quantity": qty // 2, "date": None}]
    ship = orders.import_ubl(despatch.encode())
    assert ship["event"] == "ship" and ship["expected_date"] == arrival.isoformat()
    states, refused = orders.apply(APPROVALS, states, [ack, ship])
    assert refused == []
    mine = next(s for s in states if s["po_number"] == po)
    assert mine["status"] == "shipped"

    # Alerts: the short confirmation names the SKU and the shortfall.
    alerts = orders.alerts(states, plan, as_of + dt.timedelta(days=4))
    assert list(alerts.columns) == orders.ALERT_COLUMNS
    short = alerts[(alerts.kind == "short_confirmation") & (alerts.po_number == po)]
    assert len(short) == 1 and short.skus.iloc[0] == [sku]
    assert short.projected_lost_sales.iloc[0] >= qty - qty // 2
    assert (alerts.kind == "no_acknowledgement").sum() == len(states) - 1
    assert alerts.projected_lost_sales.is_monotonic_decreasing

    # Over-delivery beyond the tolerance is refused with a typed kind; within, received.
    at = dt.datetime.combine(arrival, dt.time(7))
    over = dict(po_number=po, event="receive", at=at, lines=[dict(line=line, quantity=qty * 1.2)])
    states2, refused = orders.apply(APPROVALS, states, [over])
    assert [r["kind"] for r in refused] == ["bad_quantity"] and states2 == states
    got = dict(po_number=po, event="receive", at=at, lines=[dict(line=line, quantity=qty // 2)])
    states, refused = orders.apply(APPROVALS, states, [got])
    assert refused == []
    mine = next(s for s in states if s["po_number"] == po)
    assert mine["lines"][0]["status"] == "received"

    # The history is hash-chained: any edit is found.
    assert orders.verify_history(mine) is None
    tampered = {**mine, "history": [dict(r) for r in mine["history"]]}
    tampered["history"][1]["status"] = "cancelled"
    assert orders.verify_history(tampered)["index"] == 1

    # Receipts teach lead times; open orders feed the next plan.
    rec = orders.receipts(states)
    assert list(rec.columns) == ["supplier_id", "sku", "order_date", "received_date"]
    assert (rec.sku == sku).any()
    oo = orders.open_orders(states)
    assert list(oo.columns) == orders.OPEN_ORDER_COLUMNS
    assert oo[oo.po_number == po].quantity_ordered.iloc[0] == qty // 2


def test_unknown_documents_and_bad_events_are_typed_errors(plan):
    with pytest.raises(replenish.InputError, match="OrderResponse and DespatchAdvice"):
        orders.import_ubl("<Invoice/>")
    states = orders.track(plan)
    with pytest.raises(replenish.ConfigError):
        orders.apply(APPROVALS, states, [dict(po_number="X", event="fly", at="2026-01-01T00:00:00")])
    # Sending before approval is refused, never applied.
    po = plan.purchase_orders.po_number[0]
    out, refused = orders.apply(APPROVALS, states, [dict(po_number=po, event="send", at="2026-01-01T00:00:00")])
    assert refused[0]["kind"] == "invalid_transition" and out == states


def test_po_emails_are_mime_messages_with_csv_and_ubl_attached(plan):
    msgs = plan.emails("buying@shop.example", dt.datetime(2026, 11, 2, 9, 30), buyer_name="Demo Shop",
                       skip_missing=True)
    assert msgs
    po_number, text = next(iter(msgs.items()))
    m = email.message_from_string(text, policy=email.policy.default)
    assert m["Subject"] == f"Purchase order {po_number} from Demo Shop"
    assert m["To"].addresses[0].addr_spec.endswith(".example")
    body = m.get_body(preferencelist=("plain",)).get_content()
    assert po_number in body and "Total:" in body
    assert "<table" in m.get_body(preferencelist=("html",)).get_content()
    files = {p.get_filename(): p.get_content() for p in m.iter_attachments()}
    csv = files[f"{po_number}.csv"]
    csv = csv.decode() if isinstance(csv, bytes) else csv
    rows = pd.read_csv(io.StringIO(csv))
    assert set(rows.po_number) == {po_number}
    xml = files[f"{po_number}.xml"]
    s = schema("Order")
    if s is not None:
        from lxml import etree

        s.assertValid(etree.fromstring(xml if isinstance(xml, bytes) else xml.encode()))
    # SUP-04 trades by EDI only: no address, so asking for all raises.
    if len(msgs) < len(plan.purchase_orders):
        with pytest.raises(replenish.ConfigError, match="no e-mail address"):
            plan.emails("buying@shop.example", "2026-11-02")
    with pytest.raises(replenish.ConfigError, match="not an e-mail address"):
        plan.emails("nobody", "2026-11-02", skip_missing=True)


def test_supplier_minimums_trucks_and_budget_periods_from_data_frames(tables, plan):
    po = plan.purchase_orders.sort_values("total_value").iloc[0]
    suppliers = tables["suppliers"].copy()
    mine = suppliers.supplier_id == po.supplier_id
    suppliers["min_order_value"] = suppliers["min_order_value"].astype("object")
    suppliers.loc[mine, "min_order_value"] = round(po.total_value * 1.5, 2)
    suppliers.loc[mine, "min_order_action"] = "defer"
    p = replenish.plan({**tables, "suppliers": suppliers})
    d = p.deferred[p.deferred.cause == "minimum_order"]
    assert len(d) > 0 and d.reason.str.contains("below the supplier's minimum").all()
    assert (p.supplier_adjustments.kind == "min_order_deferred").any()
    # SUP-01 has a truck in the demo data: its POs carry loads.
    loads = p.purchase_orders.dropna(subset=["trucks"])
    assert len(loads) > 0 and loads.load_fill.between(0, 1).all()
    # A budget for a past period defers nothing; one already spent defers.
    past = dict(name="past", currency="EUR", amount=0, until=str(dt.date.fromisoformat(p.as_of) - dt.timedelta(days=1)))
    assert replenish.plan(tables, config=dict(budgets=[past])).deferred.empty
    spent = dict(name="spent", currency="EUR", amount=100.0, spent=100.0)
    assert (replenish.plan(tables, config=dict(budgets=[spent])).deferred.cause == "budget").any()
    # Re-planning with the plan's own POs as open orders orders nothing new.
    again = replenish.plan({**tables, "open_orders": pd.concat([tables["open_orders"], plan.as_open_orders()])})
    assert again.purchase_orders.empty


def test_receipts_teach_the_next_plan_its_lead_times(tables, plan):
    terms = plan.lines.dropna(subset=["supplier_id"]).iloc[0]
    rows = [dict(supplier_id=terms.supplier_id, sku=terms.sku, order_date=dt.date(2026, 1, 5) + dt.timedelta(days=7 * k),
                 received_date=dt.date(2026, 1, 5) + dt.timedelta(days=7 * k + int(terms.lead_time_days) + 6))
            for k in range(30)]
    p = replenish.plan({**tables, "receipts": pd.DataFrame(rows)})
    line = p.lines[(p.lines.sku == terms.sku) & (p.lines.location == terms.location)].iloc[0]
    assert line.lead_time_days > terms.lead_time_days + 4
    assert "lead_time=learnt from 30 receipt(s)" in line.parameter_sources
    off = replenish.plan({**tables, "receipts": pd.DataFrame(rows)}, {"learn_lead_times": False})
    assert off.lines[off.lines.sku == terms.sku].lead_time_days.iloc[0] == terms.lead_time_days
    bad = pd.DataFrame([{**rows[0], "received_date": dt.date(2025, 1, 1)}])
    with pytest.raises(replenish.ValidationError) as e:
        replenish.plan({**tables, "receipts": bad})
    assert e.value.problems[0]["column"] == "received_date"
