"""The purchase-order approval workflow (``replenish.workflow``), computed by the Rust core.

A pure state machine: :func:`apply` takes an approval configuration, a PO's state and
one event, and returns the new state or raises :class:`replenish.WorkflowError`
(``.kind``: ``invalid_transition``, ``unknown_actor``, ``not_authorised``,
``self_approval``, ``duplicate_approver``, ``bad_delegation``, ``not_due``,
``out_of_order``). Every accepted event is appended to the state's hash-chained
``audit`` log; :func:`verify_audit` finds any edited, removed or reordered record.
Configuration and events: ``docs/workflow.md``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Dict, Iterable, List, Optional, Tuple

from . import _replenish

__all__ = ["config", "new", "apply", "run", "verify_audit", "po_facts", "learn_lead_times"]


def _json(v: Any) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, (_dt.datetime, _dt.date)):
            return o.isoformat()
        if hasattr(o, "isoformat"):  # pandas Timestamp
            return o.isoformat()
        return str(o)

    return json.dumps(v, default=default)


def config(spec: Any) -> Dict[str, Any]:
    """Checks an approval configuration — TOML text, a path to a ``.toml`` file, or a
    dict with ``actors`` (actor → roles), ``rules`` (each ``name``, optional ``when``
    and ``steps``) and ``auto_approve_when`` — and returns it as a dict. A wrong
    expression raises :class:`replenish.RuleError` with its position."""
    if isinstance(spec, os.PathLike) or (isinstance(spec, str) and "\n" not in spec and spec.endswith(".toml")):
        with open(spec, encoding="utf-8") as f:
            spec = f.read()
    if isinstance(spec, str):
        return json.loads(_replenish.approval_config_check(spec, True))
    return json.loads(_replenish.approval_config_check(_json(spec), False))


def po_facts(po: Any, *, supplier_new: bool = False, supplier_on_watch: bool = False,
             over_budget: bool = False) -> Dict[str, Any]:
    """What approval rules see of a PO: from a row of ``plan(...).purchase_orders``
    (or a dict with ``po_number``, ``supplier_id``, ``location``, ``currency``,
    ``total_value``, ``total_quantity``, ``lines``) plus the three flags."""
    get = po.get if hasattr(po, "get") else (lambda k, d=None: getattr(po, k, d))
    lines = get("lines", 0)
    return dict(po_number=str(get("po_number")), supplier=str(get("supplier_id", get("supplier"))),
                location=str(get("location")), currency=str(get("currency")),
                total_value=float(get("total_value")), total_quantity=float(get("total_quantity", 0.0)),
                lines=len(lines) if isinstance(lines, list) else int(lines),
                supplier_new=supplier_new, supplier_on_watch=supplier_on_watch, over_budget=over_budget)


def new(po: Any, **flags: bool) -> Dict[str, Any]:
    """A draft approval state for a PO (see :func:`po_facts`)."""
    facts = po if isinstance(po, dict) and "supplier" in po else po_facts(po, **flags)
    return json.loads(_replenish.approval_new(_json(facts)))


def apply(cfg: Dict[str, Any], state: Dict[str, Any], event: Dict[str, Any]) -> Dict[str, Any]:
    """Applies one event, e.g. ``{"event": "approve", "actor": "dan", "at": datetime(...)}``;
    returns the new state or raises :class:`replenish.WorkflowError`."""
    return json.loads(_replenish.approval_apply(_json(cfg), _json(state), _json(event)))


def run(cfg: Dict[str, Any], state: Dict[str, Any], events: Iterable[Dict[str, Any]]
        ) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """Applies events in order, keeping the state of every accepted one and skipping
    refused ones; returns the final state and the refusals (``index``, ``kind``,
    ``message``)."""
    refused = []
    for i, e in enumerate(events):
        try:
            state = apply(cfg, state, e)
        except _replenish.WorkflowError as err:
            refused.append({"index": i, "kind": err.kind, "message": str(err)})
    return state, refused


def verify_audit(audit: List[Dict[str, Any]], head: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """Checks an audit log (a state's ``audit``; pass its ``head_hash`` to also catch a
    removed last record): ``None`` when intact, else the first problem's ``index`` and
    ``message``."""
    out = _replenish.audit_verify(_json(audit), head)
    return None if out is None else json.loads(out)


def learn_lead_times(dataset: Any, receipts: Any, *, prior_weight: float = 3.0,
                     half_life: Optional[float] = 20.0) -> Any:
    """Learns each supplier-item's lead-time mean and spread from goods receipts (a
    DataFrame or records with ``supplier_id``, ``sku``, ``order_date``,
    ``received_date``), the dataset's stated terms counting as ``prior_weight``
    receipts and older receipts fading with ``half_life`` (in receipts; ``None``: no
    fading). Returns a pandas DataFrame: ``supplier_id``, ``sku``, ``receipts``,
    ``stated_mean_days``, ``stated_std_days``, ``mean_days``, ``std_days``."""
    import pandas as pd

    records = receipts.to_dict("records") if hasattr(receipts, "to_dict") else list(receipts)
    if hasattr(receipts, "to_dicts"):  # polars
        records = receipts.to_dicts()

    def day(v: Any) -> str:
        return v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)[:10]

    rows = [dict(supplier_id=str(r["supplier_id"]), sku=str(r["sku"]), order_date=day(r["order_date"]),
                 received_date=day(r["received_date"])) for r in records]
    ds = getattr(dataset, "_inner", dataset)
    out = _replenish.learn_lead_times(ds, json.dumps(rows),
                                      json.dumps(dict(prior_weight=prior_weight, half_life=half_life)))
    return pd.DataFrame(json.loads(out))
