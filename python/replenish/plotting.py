"""The report's charts drawn with matplotlib (``pip install replenish[plot]``).

Each ``plot_*`` helper takes a :class:`replenish.reports.ReportData` (from
``plan.report()``), draws the same chart as the HTML report, and returns the
matplotlib ``Figure``; pass ``ax=`` to draw into an axes of your own figure.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["plot_forecast", "plot_projection", "plot_service_trends", "plot_accuracy", "plot_turnover",
           "plot_abc_xyz"]

# The HTML report's colours.
ACTUAL = "#222222"
FORECAST = "#1f77b4"
BACKTEST = "#9467bd"
STOCKOUT = "#d62728"
SAFETY = "#ff7f0e"
REORDER = "#d62728"
ORDER_UP_TO = "#2ca02c"
STOCK = "#34495e"


def _plt() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("the plot_* helpers need matplotlib: pip install 'replenish[plot]'") from e
    return plt


def _axes(ax: Any, size: Tuple[float, float]) -> Tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    fig, ax = _plt().subplots(figsize=size, layout="constrained")
    return fig, ax


def _raw(report: Any) -> Dict[str, Any]:
    raw = getattr(report, "raw", report)
    if not isinstance(raw, dict) or "series" not in raw:
        from . import InputError

        raise InputError("expected a report from plan.report() / replenish.reports.report()")
    return raw


def _series(report: Any, unique_id: Optional[str]) -> Dict[str, Any]:
    raw = _raw(report)
    if not raw["series"]:
        from . import InputError

        raise InputError("the report charts no series (see its notes)")
    if unique_id is None:
        return raw["series"][0]
    for s in raw["series"]:
        if f"{s['sku']}@{s['location']}" == unique_id:
            return s
    from . import InputError

    known = ", ".join(f"{s['sku']}@{s['location']}" for s in raw["series"])
    raise InputError(f"{unique_id!r} is not charted in this report (charted: {known})")


def _d(s: str) -> date:
    return date.fromisoformat(s)


def _days(start: str, n: int) -> List[date]:
    d0 = _d(start)
    return [d0 + timedelta(days=t) for t in range(n)]


def _pct_axis(ax: Any, decimals: int = 0) -> None:
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))


def _dates_axis(ax: Any) -> None:
    import matplotlib.dates as mdates

    loc = mdates.AutoDateLocator(maxticks=9)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
    ax.grid(axis="y", color="#e8e8e8")
    ax.set_axisbelow(True)


def plot_forecast(report: Any, unique_id: Optional[str] = None, *, ax: Any = None) -> Any:
    """Actual demand (stock-out days marked), the back-test forecast over the last
    days of history and the forecast ahead, with their prediction intervals."""
    s = _series(report, unique_id)
    levels = _raw(report)["levels"]
    fig, ax = _axes(ax, (10, 3.8))
    hist = s["history"]
    ax.plot([_d(h["date"]) for h in hist], [h["value"] for h in hist], color=ACTUAL, lw=1.6, label="actual")
    outs = [h for h in hist if h["stockout"]]
    if outs:
        ax.plot([_d(h["date"]) for h in outs], [h["value"] for h in outs], "x", color=STOCKOUT, ms=7, mew=2,
                label="stock-out day", linestyle="none")
    order = sorted(range(len(levels)), key=lambda j: -levels[j])
    for kind, colour, style, name in (("backtest", BACKTEST, "--", "back-test forecast"),
                                      ("forecast", FORECAST, "-", "forecast")):
        b = s[kind]
        days = _days(b["start"], len(b["mean"]))
        for k, j in enumerate(order):
            ax.fill_between(days, b["lo"][j], b["hi"][j], color=colour, alpha=0.14 + 0.12 * k, lw=0,
                            label=f"{levels[j]:g}% interval" if kind == "forecast" else None)
        ax.plot(days, b["mean"], style, color=colour, lw=1.6, label=name)
    if hist:
        ax.axvline(_d(hist[-1]["date"]), color="#969696", lw=1, ls=":", label="last day of history")
    ax.set_ylabel("units per day")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Forecast vs actual: {s['sku']}@{s['location']} · {s['item_name']}", loc="left", fontsize=11)
    _dates_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig


def plot_projection(report: Any, unique_id: Optional[str] = None, *, ax: Any = None) -> Any:
    """Projected available stock day by day with the safety stock, reorder point,
    order-up-to level and the deliveries expected in."""
    s = _series(report, unique_id)
    fig, ax = _axes(ax, (10, 3.8))
    proj = s["projection"]
    days = [_d(p["date"]) for p in proj]
    values = [p["value"] for p in proj]
    ax.plot(days, values, color=STOCK, lw=1.8, label="projected stock")
    for value, colour, name in ((s["order_up_to"], ORDER_UP_TO, "order-up-to"),
                                (s["reorder_point"], REORDER, "reorder point"),
                                (s["safety_stock"], SAFETY, "safety stock")):
        if value and value > 0:
            ax.axhline(value, color=colour, ls="--", lw=1.4, label=f"{name} {value:,.0f}")
    if values and min(values) < 0:
        ax.axhspan(min(values) * 1.08, 0, color=STOCKOUT, alpha=0.08, lw=0, label="unserved demand")
    level = {p["date"]: p["value"] for p in proj}
    for planned, colour, name in ((False, FORECAST, "open order arrives"), (True, ORDER_UP_TO, "this plan's order")):
        arr = [a for a in s["arrivals"] if a["planned"] == planned]
        if not arr:
            continue
        ax.plot([_d(a["date"]) for a in arr], [level.get(a["date"], 0.0) for a in arr], "^", color=colour, ms=8,
                label=name, linestyle="none")
        for a in arr:
            ax.annotate(f"+{a['quantity']:,.0f} {a['po_number']}", (_d(a["date"]), level.get(a["date"], 0.0)),
                        textcoords="offset points", xytext=(4, 4), fontsize=8, color=STOCK)
    ax.set_ylabel("units available")
    ax.set_title(f"Projected inventory: {s['sku']}@{s['location']}", loc="left", fontsize=11)
    _dates_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig


def plot_service_trends(report: Any) -> Any:
    """Fill rate and stock-out rate per week (or month), side by side."""
    periods = _raw(report)["kpis"]["periods"]
    plt = _plt()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.6), layout="constrained")
    fill = [(_d(p["period_start"]), p["fill_rate"]) for p in periods if p["fill_rate"] is not None]
    out = [(_d(p["period_start"]), p["stockout_rate"]) for p in periods if p["stockout_rate"] is not None]
    for ax, pts, colour, label, title in ((left, fill, FORECAST, "fill rate (units)", "Fill rate"),
                                          (right, out, STOCKOUT, "stock-out days / SKU-location days",
                                           "Stock-out rate")):
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", color=colour, lw=1.8, ms=4)
        ax.set_ylabel(label)
        ax.set_title(title, loc="left", fontsize=11)
        _pct_axis(ax, 1)
        _dates_axis(ax)
    if fill:
        left.set_ylim(min(0.95, min(p[1] for p in fill) - 0.01), 1.0005)
    right.set_ylim(bottom=0)
    return fig


def plot_accuracy(report: Any, *, ax: Any = None) -> Any:
    """WAPE and bias per forecast origin, in percent of actual demand."""
    acc = _raw(report)["accuracy"]
    fig, ax = _axes(ax, (10, 3.4))
    wape = [(_d(a["cutoff"]), a["wape"]) for a in acc if a["wape"] is not None]
    bias = [(_d(a["cutoff"]), a["bias"]) for a in acc if a["bias"] is not None]
    ax.axhline(0, color="#969696", lw=1)
    if wape:
        ax.plot([p[0] for p in wape], [p[1] for p in wape], "o-", color=FORECAST, lw=1.8, ms=4, label="WAPE")
    if bias:
        ax.plot([p[0] for p in bias], [p[1] for p in bias], "o-", color=SAFETY, lw=1.8, ms=4,
                label="bias (+: over-forecast)")
    ax.set_ylabel("% of actual demand")
    ax.set_title("Forecast accuracy per origin", loc="left", fontsize=11)
    _pct_axis(ax)
    _dates_axis(ax)
    if wape or bias:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "no forecast origins in this report", transform=ax.transAxes, ha="center", va="center",
                color="#969696")
    return fig


def plot_turnover(report: Any, *, ax: Any = None) -> Any:
    """Inventory turnover per category as horizontal bars, highest on top."""
    groups = [g for g in _raw(report)["kpis"]["groups"] if g["group_by"] == "category" and g["turnover"] is not None]
    groups.sort(key=lambda g: (g["turnover"], g["key"]))
    fig, ax = _axes(ax, (7, 0.8 + 0.4 * max(len(groups), 1)))
    names = [g["key"] or "(none)" for g in groups]
    values = [g["turnover"] for g in groups]
    bars = ax.barh(names, values, color=FORECAST)
    ax.bar_label(bars, labels=[f"{v:.1f}×" for v in values], padding=3, fontsize=9)
    ax.set_xlabel("times per year: COGS per year / average inventory value")
    ax.set_title("Inventory turnover by category", loc="left", fontsize=11)
    ax.grid(axis="x", color="#e8e8e8")
    ax.set_axisbelow(True)
    if values:
        ax.set_xlim(0, max(values) * 1.15)
    return fig


def plot_abc_xyz(report: Any, *, ax: Any = None) -> Any:
    """The ABC/XYZ matrix: SKU-locations and share of COGS per cell, shaded by that share."""
    import numpy as np

    cells = _raw(report)["kpis"]["abc_xyz"]
    total = sum(c["cogs"] for c in cells) or 1.0
    share = np.zeros((3, 3))
    count = np.zeros((3, 3), dtype=int)
    for c in cells:
        i, j = "ABC".index(c["abc"]), "XYZ".index(c["xyz"])
        share[i, j] = c["cogs"] / total
        count[i, j] = c["sku_locations"]
    fig, ax = _axes(ax, (5.5, 4.2))
    ax.imshow(np.sqrt(share), cmap="Blues", vmin=0, vmax=1)
    for i in range(3):
        for j in range(3):
            ink = "white" if share[i, j] > 0.3 else ACTUAL
            ax.text(j, i - 0.12, f"{'ABC'[i]}{'XYZ'[j]}  {count[i, j]}", ha="center", va="center", fontsize=13,
                    color=ink)
            ax.text(j, i + 0.2, f"{share[i, j] * 100:.1f}% of COGS", ha="center", va="center", fontsize=8, color=ink)
    ax.set_xticks(range(3), list("XYZ"))
    ax.set_yticks(range(3), list("ABC"))
    ax.set_xlabel("XYZ: demand variability (X steady … Z erratic)")
    ax.set_ylabel("ABC: share of value")
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    ax.set_title("SKU-locations and share of COGS", loc="left", fontsize=11, pad=28)
    return fig
