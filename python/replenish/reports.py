"""KPIs as DataFrames (``replenish.reports``), computed by the Rust core.

Definitions: ``docs/reports.md``. Every KPI is measured over a window of the last
``window_days`` days of the demand history; groups (category, location, supplier,
ABC class, total) are sums, and their ratios ratios of sums.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import timedelta as _timedelta
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from . import _replenish
from ._progress import progress_callback

__all__ = ["KpiReport", "ReportData", "kpis", "supplier_kpis", "alert_counts", "forecast_accuracy", "report",
           "html_report", "demo_tracked"]

ACCURACY_COLUMNS = ["cutoff", "series", "actual", "forecast", "wape", "mase", "bias"]


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
    ds = plan._whole_dataset("the report")
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

    ds = plan._whole_dataset("the report")
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


def forecast_accuracy(data: Any, model: Any = "SeasonalNaive", *, windows: int = 8, h: int = 7,
                      season_length: int = 7, progress: Any = None) -> Any:
    """Forecast accuracy over time: ``model`` (a name, a dict or a
    :mod:`replenish.models` object) refitted at ``windows`` origins ``h`` days apart
    before the history of ``data`` (a :class:`replenish.Plan` or
    :class:`replenish.Dataset`) ends, and scored on the ``h`` days after each.
    Stock-out days are left out of fitting and scoring. One row per origin:
    ``cutoff``, ``series``, ``actual``, ``forecast``, ``wape``, ``mase`` (scaled by
    the in-sample seasonal naive of ``season_length``) and ``bias`` (positive:
    over-forecast). ``progress`` as in :func:`replenish.forecast`.

    >>> import replenish
    >>> plan = replenish.plan(replenish.demo_data(skus=5))
    >>> acc = replenish.reports.forecast_accuracy(plan, "SeasonalNaive", windows=3)
    >>> len(acc), list(acc.columns[:3])
    (3, ['cutoff', 'series', 'actual'])
    """
    from .forecasting import _model_config

    ds = data._whole_dataset("forecast accuracy") if hasattr(data, "_whole_dataset") else data
    request = dict(model=_model_config(model), windows=windows, h=h, season_length=season_length)
    with progress_callback(progress, "forecast accuracy") as on_progress:
        rows = json.loads(_replenish.forecast_accuracy(ds._inner, json.dumps(request), on_progress))
    return _typed(rows, ACCURACY_COLUMNS, ["cutoff"], ds._polars)


@dataclass(frozen=True)
class ReportData:
    """The numbers behind the HTML report, as DataFrames in long format
    (``unique_id`` is ``SKU@LOCATION``, ``ds`` the day). Draw them with the
    ``replenish.plot_*`` helpers, or turn them into the page with :meth:`to_html`.

    ``series``: one row per charted SKU-location (levels, back-test WAPE and
    interval coverage); ``history``: actual demand (``y``, ``stockout``);
    ``forecasts``: ``kind`` = ``backtest`` or ``forecast`` with ``mean`` and
    ``lo-<level>``/``hi-<level>``; ``projection``: projected available ``stock``;
    ``arrivals``: deliveries expected in (``planned``: this plan's own order);
    ``orders``: the plan's POs per supplier; ``accuracy``: WAPE, MASE and bias per
    forecast origin; ``suppliers``: supplier performance; ``alerts``: PO alerts by
    kind; ``exceptions``: the most urgent first, with ``exception_counts`` per kind.
    """

    title: str
    as_of: str
    summary: Dict[str, Any]
    kpis: KpiReport
    orders: Any
    accuracy: Any
    suppliers: Any
    alerts: Any
    series: Any
    history: Any
    forecasts: Any
    projection: Any
    arrivals: Any
    exceptions: Any
    exception_counts: Dict[str, int]
    notes: List[str]
    levels: List[float]
    #: The report as the core returned it (plain Python data); the plot helpers read it.
    raw: Dict[str, Any] = field(repr=False, default_factory=dict)

    def to_html(self) -> str:
        """The self-contained HTML page (inline CSS and SVG, no script, nothing fetched)."""
        return _replenish.render_report(json.dumps(self.raw))

    def save_html(self, path: Union[str, "os.PathLike[str]"]) -> str:
        """Writes :meth:`to_html` to ``path`` and returns it."""
        html = self.to_html()
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)
        return html


def _level_name(level: float) -> str:
    return f"{level:g}"


def _report_frames(r: Dict[str, Any], polars: bool) -> Dict[str, Any]:
    levels = r["levels"]
    series, history, forecasts, projection, arrivals = [], [], [], [], []
    for s in r["series"]:
        uid = f"{s['sku']}@{s['location']}"
        row = dict(unique_id=uid, sku=s["sku"], location=s["location"], item_name=s["item_name"], model=s["model"],
                   safety_stock=s["safety_stock"], reorder_point=s["reorder_point"], order_up_to=s["order_up_to"],
                   backtest_wape=s["backtest_wape"])
        for lv, c in zip(levels, s["backtest_coverage"]):
            row[f"coverage-{_level_name(lv)}"] = c
        series.append(row)
        history += [dict(unique_id=uid, ds=d["date"], y=d["value"], stockout=d["stockout"]) for d in s["history"]]
        for kind in ("backtest", "forecast"):
            b = s[kind]
            start = _date.fromisoformat(b["start"])
            for t, m in enumerate(b["mean"]):
                row = dict(unique_id=uid, ds=(start + _timedelta(days=t)).isoformat(), kind=kind, mean=m)
                for j, lv in enumerate(levels):
                    row[f"lo-{_level_name(lv)}"] = b["lo"][j][t]
                    row[f"hi-{_level_name(lv)}"] = b["hi"][j][t]
                forecasts.append(row)
        projection += [dict(unique_id=uid, ds=d["date"], stock=d["value"]) for d in s["projection"]]
        arrivals += [dict(unique_id=uid, ds=a["date"], quantity=a["quantity"], po_number=a["po_number"],
                          planned=a["planned"]) for a in s["arrivals"]]
    bands = [f"{e}-{_level_name(lv)}" for lv in levels for e in ("lo", "hi")]
    cols = dict(
        series=["unique_id", "sku", "location", "item_name", "model", "safety_stock", "reorder_point", "order_up_to",
                "backtest_wape"] + [f"coverage-{_level_name(lv)}" for lv in levels],
        history=["unique_id", "ds", "y", "stockout"],
        forecasts=["unique_id", "ds", "kind", "mean"] + bands,
        projection=["unique_id", "ds", "stock"],
        arrivals=["unique_id", "ds", "quantity", "po_number", "planned"],
        orders=["supplier_id", "supplier_name", "purchase_orders", "lines", "units", "value", "currency",
                "first_delivery"],
        accuracy=ACCURACY_COLUMNS,
        suppliers=["supplier_id", "receipts", "stated_lead_time_days", "actual_lead_time_days", "lead_time_std_days",
                   "lead_time_bias_days", "on_time_rate", "within_one_day_rate", "lines_due", "in_full_rate",
                   "otif_rate"],
        alerts=["kind", "alerts", "pos", "projected_lost_sales"],
        exceptions=["kind", "severity", "sku", "location", "supplier_id", "po_number", "detail", "value"],
    )
    rows = dict(series=series, history=history, forecasts=forecasts, projection=projection, arrivals=arrivals,
                orders=r["orders"], accuracy=r["accuracy"], suppliers=r["suppliers"], alerts=r["alerts"],
                exceptions=r["exceptions"])
    dates = dict(history=["ds"], forecasts=["ds"], projection=["ds"], arrivals=["ds"], orders=["first_delivery"],
                 accuracy=["cutoff"])
    return {k: _typed(rows[k], cols[k], dates.get(k, []), polars) for k in rows}


def _typed(rows: List[dict], columns: List[str], dates: List[str], polars: bool) -> Any:
    if polars:
        import polars as pl

        df = pl.DataFrame(rows, schema=None if rows else {c: pl.Null for c in columns}, infer_schema_length=None)
        df = df.select([c for c in columns if c in df.columns])
        return df.with_columns([pl.col(c).cast(pl.String).str.to_date() for c in dates if c in df.columns])
    import pandas as pd

    df = pd.DataFrame.from_records(rows, columns=columns)
    for c in dates:
        df[c] = pd.to_datetime(df[c])
    return df


def _day(v: Any) -> str:
    return v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)[:10]


def report(plan: Any, tracked: Iterable[dict] = (), *, title: Optional[str] = None, series: Optional[Iterable[str]] = None,
           top_series: int = 4, history_days: int = 56, backtest_days: int = 28, horizon_days: int = 42,
           levels: Iterable[float] = (80, 95), window_days: int = 91, dead_stock_days: int = 90,
           period: str = "week", accuracy: Any = True, max_exceptions: int = 100, as_of: Any = None,
           forecast: Any = None, progress: Any = None, service: Any = None) -> ReportData:
    """The report of a :class:`replenish.Plan`: KPIs, forecast vs actual with
    prediction intervals and projected stock for the charted SKU-locations, service
    trends, forecast accuracy over time, supplier performance, PO alerts and the
    exceptions (``docs/reports.md``).

    ``tracked``: tracking states (:func:`replenish.orders.apply`), for PO alerts and
    on-time-in-full. ``series``: ``"SKU@LOCATION"`` or ``"SKU"`` strings; default
    the ``top_series`` lines with the largest order value. ``accuracy``: ``True``
    (8 weekly origins), ``False`` to leave it out, or a dict of ``windows``, ``h``
    and ``season_length``. ``forecast``: the model of the charts and the accuracy;
    default the plan's ``forecast``. ``progress`` as in :func:`replenish.forecast`
    (over the accuracy's fits). ``service``: the result of
    :func:`replenish.policy.backtest` (the ``(kpis, lines)`` pair or its ``kpis``
    frame), shown as the report's "Does the plan keep its promise?" table.
    """
    from .orders import _json

    ds = plan._whole_dataset("the report")
    model = forecast if forecast is not None else (getattr(plan, "_config", None) or {}).get("forecast")
    cfg: Dict[str, Any] = dict(
        series=list(series or []), top_series=top_series, history_days=history_days, backtest_days=backtest_days,
        horizon_days=horizon_days, levels=[float(x) for x in levels], max_exceptions=max_exceptions,
        kpi=dict(window_days=window_days, dead_stock_days=dead_stock_days, period=period),
        accuracy=(dict() if accuracy is True else (None if accuracy in (False, None) else dict(accuracy))),
    )
    if title is not None:
        cfg["title"] = title
    if model is not None:
        from .forecasting import _model_config

        cfg["forecast"] = _model_config(model)  # a dict or a replenish.models object
    if as_of is not None:
        cfg["as_of"] = _day(as_of)
    if service is not None:
        cfg["service"] = _service_table(service)
    states = list(tracked)
    with progress_callback(progress, "report") as on_progress:
        raw = json.loads(_replenish.report_data(plan._inner, ds._inner, _json(states) if states else None,
                                                json.dumps(cfg), on_progress))
    polars = ds._polars
    k = raw["kpis"]
    frames = _report_frames(raw, polars)
    return ReportData(
        title=raw["title"], as_of=raw["as_of"], summary=raw["summary"],
        kpis=KpiReport(lines=_frame(k["lines"], [], polars), groups=_frame(k["groups"], [], polars),
                       periods=_frame(k["periods"], ["period_start"], polars), abc_xyz=_frame(k["abc_xyz"], [], polars),
                       window_start=k["window_start"], window_end=k["window_end"]),
        exception_counts=raw["exception_counts"], notes=raw["notes"], levels=raw["levels"], raw=raw, **frames,
    )


def _service_table(service: Any) -> Dict[str, Any]:
    """A backtest's KPIs (``policy.backtest``'s ``(kpis, lines)`` or ``kpis``) as the
    report's ``service`` configuration."""
    import math

    kpis = service[0] if isinstance(service, tuple) else service
    attrs = getattr(kpis, "attrs", {})
    missing = [k for k in ("as_of", "end", "days", "replan", "plans") if k not in attrs]
    if missing:
        raise TypeError("service: pass the result of replenish.policy.backtest (its kpis frame lacks "
                        + ", ".join(missing) + ")")
    rows = kpis.to_dicts() if hasattr(kpis, "to_dicts") else kpis.to_dict("records")

    def clean(v: Any) -> Any:
        if isinstance(v, float) and math.isnan(v):
            return None
        return v.item() if hasattr(v, "item") else v

    return {**{k: clean(attrs[k]) for k in ("as_of", "end", "days", "replan", "plans")},
            "kpis": [{k: clean(v) for k, v in r.items()} for r in rows]}


def html_report(plan: Any, tracked: Iterable[dict] = (), *, path: Union[str, "os.PathLike[str]", None] = None,
                **options: Any) -> str:
    """The report of :func:`report` as one self-contained HTML page; also written to
    ``path`` when given."""
    r = report(plan, tracked, **options)
    return r.to_html() if path is None else r.save_html(path)


def demo_tracked(plan: Any) -> Tuple[List[Dict[str, Any]], str]:
    """The demo plan's purchase orders after the demo's week of approval and tracking
    events (the tracking states), and the date of the last event: what ``replenish
    demo`` puts in its report."""
    states, as_of = _replenish.demo_tracked(plan._inner)
    return json.loads(states), as_of
