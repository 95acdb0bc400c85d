"""KPIs as DataFrames (``replenish.reports``), computed by the Rust core.

Definitions: ``docs/reports.md``. Every KPI is measured over a window of the last
``window_days`` days of the demand history; groups (category, location, supplier,
ABC class, total) are sums, and their ratios ratios of sums.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, List, Optional

from . import _replenish

__all__ = ["KpiReport", "kpis", "supplier_kpis", "alert_counts"]


@dataclass(frozen=True)
class KpiReport:
    """The KPI tables: ``lines`` (one row per SKU-location), ``groups`` (``group_by``
    = ``category``, ``location``, ``supplier``, ``abc`` or ``total``), ``periods``
    (one row per week or month) and ``abc_xyz`` (the matrix as rows)."""

    lines: Any
    groups: Any
    periods: Any
    abc_xyz: Any
    window_start: str
    window_end: str


def _frame(rows: List[dict], dates: List[str], polars: bool) -> Any:
    if polars:
        import polars as pl

        df = pl.DataFrame(rows, infer_schema_length=None)
        return df.with_columns([pl.col(c).str.to_date() for c in dates if c in df.columns and df[c].dtype == pl.String])
    import pandas as pd

    df = pd.DataFrame.from_records(rows)
    for c in dates:
        if c in df.columns:
            df[c] = pd.to_datetime(df[c])
    return df


def kpis(plan: Any, *, window_days: int = 91, dead_stock_days: int = 90, period: str = "week") -> KpiReport:
    """The KPIs of a :class:`replenish.Plan` over the last ``window_days`` of history:
    turnover, days of supply, stock-out rate, fill rate, cycle service level, average
    and peak inventory value, excess and dead stock, open PO value; by SKU-location,
    group, ``period`` (``week`` or ``month``) and ABC/XYZ cell."""
    ds = plan._dataset
    cfg = json.dumps(dict(window_days=window_days, dead_stock_days=dead_stock_days, period=period))
    r = json.loads(_replenish.kpis(plan._inner, ds._inner, cfg))
    polars = ds._polars
    return KpiReport(
        lines=_frame(r["lines"], [], polars),
        groups=_frame(r["groups"], [], polars),
        periods=_frame(r["periods"], ["period_start"], polars),
        abc_xyz=_frame(r["abc_xyz"], [], polars),
        window_start=r["window_start"],
        window_end=r["window_end"],
    )


def supplier_kpis(plan: Any, states: Iterable[dict] = (), *, receipts: Any = None, as_of: Any = None) -> Any:
    """Supplier performance as a DataFrame: lead-time reliability from receipts (the
    plan's dataset's ``receipts`` unless given) against the stated terms, and
    on-time-in-full from tracked POs (:func:`replenish.orders.track`) due by ``as_of``
    (default: the plan date)."""
    from .orders import _json

    ds = plan._dataset
    rec = None
    if receipts is not None:
        records = receipts.to_dicts() if hasattr(receipts, "to_dicts") else (
            receipts.to_dict("records") if hasattr(receipts, "to_dict") else list(receipts))
        day = lambda v: v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)[:10]  # noqa: E731
        rec = json.dumps([dict(supplier_id=str(r["supplier_id"]), sku=str(r["sku"]), order_date=day(r["order_date"]),
                               received_date=day(r["received_date"])) for r in records])
    when = as_of if as_of is not None else plan.as_of
    when = when.isoformat()[:10] if hasattr(when, "isoformat") else str(when)[:10]
    return _frame(json.loads(_replenish.supplier_kpis(ds._inner, rec, _json(list(states)), when)), [], ds._polars)


def alert_counts(alerts: Any) -> Any:
    """Alerts (the DataFrame of :func:`replenish.orders.alerts`, or records) by kind:
    ``alerts``, distinct ``pos`` and ``projected_lost_sales``."""
    from .orders import _json

    if hasattr(alerts, "to_dicts"):
        records = alerts.to_dicts()
    elif hasattr(alerts, "to_dict"):
        records = alerts.to_dict("records")
    else:
        records = list(alerts)
    clean = []
    for a in records:
        a = dict(a)
        for k in ("expected_date", "stockout_date"):
            v = a.get(k)
            a[k] = None if v is None or v != v else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)[:10])
        a["lines"] = [int(x) for x in a.get("lines", [])]
        a["skus"] = list(a.get("skus", []))
        a["days_late"] = int(a.get("days_late", 0))
        a["projected_lost_sales"] = float(a.get("projected_lost_sales", 0.0))
        clean.append(a)
    return _frame(json.loads(_replenish.alert_counts(_json(clean))), [], hasattr(alerts, "to_dicts"))
