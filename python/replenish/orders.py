"""Purchase-order tracking (``replenish.orders``), computed by the Rust core.

A PO's life after the plan raised it is a pure state machine. :func:`track` makes a
draft tracking state per purchase order; :func:`apply` applies events (approval
events — ``submit``, ``approve``, ``reject``, ``request_changes``, ``delegate``,
``escalate`` — through the approval configuration, then ``send``, ``acknowledge``,
``change``, ``ship``, ``receive``, ``close``, ``cancel``) and returns the new states
and the refused events with a typed ``kind``; :func:`alerts` lists overdue and
at-risk lines, short and late confirmations and missing acknowledgements with the
affected SKUs and projected lost sales. :func:`import_ubl` reads a supplier's UBL
OrderResponse or DespatchAdvice into an event. :func:`open_orders` and
:func:`receipts` feed the next plan and lead-time learning.
Formats: ``docs/purchase-orders.md``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from . import _replenish

__all__ = ["track", "apply", "alerts", "open_orders", "receipts", "verify_history", "import_ubl",
           "OPEN_ORDER_COLUMNS"]

#: Columns of ``open_orders`` rows (the ``open_orders`` table of the ingestion).
OPEN_ORDER_COLUMNS = ["po_number", "line", "supplier_id", "sku", "location", "status", "quantity_ordered",
                      "quantity_received", "order_date", "expected_date"]

ALERT_COLUMNS = ["kind", "po_number", "supplier_id", "location", "lines", "skus", "expected_date", "days_late",
                 "stockout_date", "projected_lost_sales", "message"]


def _json(v: Any) -> str:
    def default(o: Any) -> Any:
        if hasattr(o, "isoformat"):  # datetime, date, pandas Timestamp
            return o.isoformat()
        if hasattr(o, "item"):  # numpy scalars
            return o.item()
        return str(o)

    return json.dumps(v, default=default)


def _records(orders: Any) -> List[Dict[str, Any]]:
    if hasattr(orders, "purchase_orders_json"):  # a Plan
        return json.loads(orders.purchase_orders_json())
    if isinstance(orders, str):
        return json.loads(orders)
    return list(orders)


def track(orders: Any, *, under: float = 0.05, over: float = 0.05) -> List[Dict[str, Any]]:
    """Draft tracking states for a plan's purchase orders (a :class:`replenish.Plan`,
    ``purchase_orders.json`` text, or the PO dicts). ``under``/``over``: the delivery
    tolerance as a fraction of the ordered quantity."""
    return json.loads(_replenish.tracking_new(_json(_records(orders)), json.dumps(dict(under=under, over=over))))


def _config_json(config: Any) -> str:
    from . import workflow

    cfg = config if isinstance(config, dict) and "actors" in config else workflow.config(config)
    return _json(cfg)


def apply(config: Any, states: List[Dict[str, Any]], events: Iterable[Dict[str, Any]]
          ) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Applies events — dicts with ``po_number``, ``event``, ``at`` and the event's
    fields, in order — to tracking states under an approval configuration (as for
    :func:`replenish.workflow.config`). A refused event changes nothing and the rest
    still apply; returns the new states and the refusals (``index``, ``po_number``,
    ``event``, ``kind``, ``message``)."""
    out, refused = _replenish.tracking_apply(_config_json(config), _json(states), _json(list(events)))
    return json.loads(out), json.loads(refused)


def alerts(states: List[Dict[str, Any]], stock: Any, as_of: Any, *, acknowledgement_days: int = 2,
           grace_days: int = 0, polars: bool = False) -> Any:
    """The alerts on ``as_of`` as a DataFrame, largest projected lost sales first:
    ``kind`` (``overdue``, ``at_risk``, ``short_confirmation``, ``late_confirmation``,
    ``no_acknowledgement``), the PO, its ``lines`` and ``skus``, dates, ``days_late``,
    ``projected_lost_sales`` and a ``message``. ``stock``: ``plan.stock_outlook()``
    (or a :class:`replenish.Plan`, whose outlook is used)."""
    if hasattr(stock, "stock_outlook"):
        stock = stock.stock_outlook()
    day = as_of.isoformat()[:10] if hasattr(as_of, "isoformat") else str(as_of)[:10]
    cfg = json.dumps(dict(acknowledgement_days=acknowledgement_days, grace_days=grace_days))
    rows = json.loads(_replenish.tracking_alerts(_json(states), _json(stock), day, cfg))
    return _table(rows, ALERT_COLUMNS, ["expected_date", "stockout_date"], polars)


def _table(rows: List[Dict[str, Any]], columns: List[str], dates: List[str], polars: bool) -> Any:
    if polars:
        import polars as pl

        if not rows:
            return pl.DataFrame({c: [] for c in columns})
        df = pl.DataFrame(rows, infer_schema_length=None).select(columns)
        return df.with_columns([pl.col(c).str.to_date() for c in dates if df[c].dtype == pl.String])
    import pandas as pd

    df = pd.DataFrame.from_records(rows, columns=columns)
    for c in dates:
        df[c] = pd.to_datetime(df[c])
    return df


def open_orders(states: List[Dict[str, Any]], *, polars: bool = False) -> Any:
    """The open-order rows of tracking states (confirmed quantities, best-known
    dates): pass them as the ``open_orders`` table of the next plan."""
    rows = json.loads(_replenish.tracking_open_orders(_json(states)))
    return _table(rows, OPEN_ORDER_COLUMNS, ["order_date", "expected_date"], polars)


def receipts(states: List[Dict[str, Any]], *, polars: bool = False) -> Any:
    """One row per PO line received in full (``supplier_id``, ``sku``, ``order_date``,
    ``received_date``), for :func:`replenish.workflow.learn_lead_times`."""
    rows = json.loads(_replenish.tracking_receipts(_json(states)))
    return _table(rows, ["supplier_id", "sku", "order_date", "received_date"], ["order_date", "received_date"], polars)


def verify_history(state: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """Checks a tracking state's hash-chained ``history`` against its ``head_hash``:
    ``None`` when intact, else the first problem's ``index`` and ``message``."""
    out = _replenish.tracking_verify(_json(state["history"]), state.get("head_hash"))
    return None if out is None else json.loads(out)


def import_ubl(document: Union[str, bytes, "os.PathLike[str]"]) -> Dict[str, Any]:
    """A supplier's UBL 2.1 OrderResponse (→ ``acknowledge``) or DespatchAdvice
    (→ ``ship``) as the event to pass to :func:`apply`. Takes XML text or bytes, or
    a path to the file."""
    if isinstance(document, bytes):
        text = document.decode("utf-8")
    elif isinstance(document, os.PathLike) or (isinstance(document, str) and not document.lstrip().startswith("<")):
        with open(document, encoding="utf-8") as f:
            text = f.read()
    else:
        text = document
    return json.loads(_replenish.ubl_import(text))


