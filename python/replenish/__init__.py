"""replenish: turn sales, stock and supplier data into purchase orders you can trust.

The algorithms run in the Rust core; this package converts pandas / polars data
frames to the core's tables and its results back to data frames.

>>> import replenish
>>> tables = replenish.demo_data(skus=10, locations=1, days=90)
>>> result = replenish.plan(tables)
>>> len(result.lines)
10
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _replenish, models, orders, policy, reports, workflow
from .plotting import (
    plot_abc_xyz,
    plot_accuracy,
    plot_forecast,
    plot_projection,
    plot_service_trends,
    plot_turnover,
)
from . import forecasting as _forecasting
from .forecasting import *  # noqa: F401,F403  (the names of forecasting.__all__)
from .forecasting import _is_polars
from ._progress import ProgressArg, progress_callback
from ._replenish import (
    CancelledError,
    ConfigError,
    InternalError,
    RuleError,
    FileError,
    InputError,
    ReplenishError,
    ValidationError,
    WorkflowError,
)

__version__: str = _replenish.__version__

__all__ = [
    "CancelledError",
    "ConfigError",
    "InternalError",
    "Dataset",
    "FileError",
    "InputError",
    "Plan",
    "ReplenishError",
    "RuleError",
    "TABLES",
    "ValidationError",
    "WorkflowError",
    "demo_data",
    "load_config",
    "models",
    "orders",
    "reports",
    "workflow",
    "plan",
    "plot_abc_xyz",
    "plot_accuracy",
    "plot_forecast",
    "plot_projection",
    "plot_service_trends",
    "plot_turnover",
    "read_folder",
    "read_tables",
] + _forecasting.__all__

#: Table names the core reads, in report order.
TABLES = ("items", "suppliers", "sales", "inventory", "open_orders", "stockouts", "stock_history", "promotions",
          "events", "prices", "weather", "receipts")

Frame = Any  # a pandas or polars DataFrame
Data = Union["Dataset", str, "os.PathLike[str]", Mapping[str, Any]]


def _to_csv_bytes(df: Any) -> bytes:
    """Serialises a frame (or CSV text) to the CSV the core validates."""
    if isinstance(df, (bytes, bytearray)):
        return bytes(df)
    if isinstance(df, str):
        return df.encode("utf-8")
    if _is_polars(df):
        return df.write_csv().encode("utf-8")
    if isinstance(df, pd.DataFrame):
        return df.to_csv(index=False).encode("utf-8")
    if type(df).__module__.split(".")[0] == "pyarrow" or hasattr(df, "__arrow_c_stream__"):
        # A pyarrow Table or an Arrow stream object: the same text as its pandas frame.
        return _forecasting._input(df).to_pandas().to_csv(index=False).encode("utf-8")
    raise InputError(
        f"expected a pandas, polars or pyarrow table, or CSV text, got {type(df).__name__}"
    )


def _frame(records: List[Dict[str, Any]], columns: Optional[List[str]], polars: bool) -> Any:
    if polars:
        import polars as pl

        if not records and columns:
            return pl.DataFrame({c: [] for c in columns})
        return pl.DataFrame(records, infer_schema_length=None)
    df = pd.DataFrame.from_records(records, columns=columns)
    return df


def _dates(df: Any, cols: List[str], polars: bool) -> Any:
    if polars:
        import polars as pl

        return df.with_columns([pl.col(c).str.to_date() for c in cols if c in df.columns and df[c].dtype == pl.String])
    for c in cols:
        if c in df.columns:
            df[c] = pd.to_datetime(df[c])
    return df


def _ingest_json(ingest: Optional[Mapping[str, Any]]) -> Optional[str]:
    return None if ingest is None else json.dumps(ingest)


class Dataset:
    """A validated dataset and its data-quality report.

    Get one from :func:`read_folder` or :func:`read_tables`; pass it to :func:`plan`.
    """

    def __init__(self, inner: "_replenish.Dataset", polars: bool = False) -> None:
        self._inner = inner
        self._polars = polars

    @property
    def report(self) -> Dict[str, Any]:
        """What was read and rejected per file, and every treatment applied."""
        return json.loads(self._inner.report_json())

    def table(self, name: str) -> Frame:
        """One part of the canonical model as a data frame: ``items``, ``locations``,
        ``suppliers``, ``supply_terms``, ``inventory``, ``open_orders``,
        ``promotions``, ``events``, ``prices``, ``weather`` (empty when not given)."""
        records = json.loads(self._inner.table_json(name))
        if name == "weather":
            names = records.get("variables", [])
            records = [{"location": d["location"], "date": d["date"], **dict(zip(names, d["values"]))}
                       for d in records.get("days", [])]
        df = _frame(records, None, self._polars)
        return _dates(df, ["as_of", "order_date", "expected_date", "start", "end", "date"], self._polars)

    def drivers(self, h: int) -> Tuple[Frame, Frame]:
        """The demand history and its drivers for :func:`replenish.forecast`:
        ``(df, X_df)`` in long format. ``df`` has ``unique_id`` (``sku/location``),
        ``ds``, ``y`` (stock-out days are missing: pass ``missing="interpolate"`` or
        ``"drop"``) and one column per driver the dataset has: ``promotion``,
        ``discount``, ``price``, one per event name and one per weather variable.
        ``X_df`` holds the same drivers for the next ``h`` days (promotion calendar,
        planned prices, events, weather forecast). A missing future value (e.g. no
        weather row for a horizon day) raises :class:`InputError` naming it."""
        ids, offsets, values, t_hist, t_fut, names, hist, fut = self._inner.drivers(int(h))
        counts = np.diff(np.asarray(offsets))
        ms = np.dtype("datetime64[ms]")
        df_cols: Dict[str, Any] = {
            "unique_id": np.repeat(np.asarray(ids, dtype=object), counts),
            "ds": t_hist.astype(ms).astype("datetime64[ns]"),
            "y": values,
        }
        x_cols: Dict[str, Any] = {
            "unique_id": np.repeat(np.asarray(ids, dtype=object), h),
            "ds": t_fut.astype(ms).astype("datetime64[ns]"),
        }
        for name, a, b in zip(names, hist, fut):
            df_cols[name] = a
            x_cols[name] = b
        if self._polars:
            import polars as pl

            return pl.DataFrame(df_cols), pl.DataFrame(x_cols)
        return pd.DataFrame(df_cols), pd.DataFrame(x_cols)

    @property
    def demand(self) -> Frame:
        """Daily demand in long format: ``unique_id`` (``sku/location``), ``ds``, ``y``,
        plus ``sku``, ``location``, ``price``, ``promotion``, ``stockout``."""
        recs = json.loads(self._inner.table_json("demand"))
        cols = ["unique_id", "ds", "y", "sku", "location", "price", "promotion", "stockout"]
        rows = [
            {
                "unique_id": f"{r['sku']}/{r['location']}",
                "ds": r["date"],
                "y": r["quantity"],
                "sku": r["sku"],
                "location": r["location"],
                "price": r["price"],
                "promotion": r["promotion"],
                "stockout": r["stockout"],
            }
            for r in recs
        ]
        return _dates(_frame(rows, cols, self._polars), ["ds"], self._polars)

    def __repr__(self) -> str:
        return self._inner.__repr__()


@dataclass(frozen=True)
class Plan:
    """The result of :func:`plan`.

    ``lines``: one row per SKU-location with every number behind the decision;
    ``purchase_orders``: one row per PO; ``purchase_order_lines``: one row per PO line;
    ``summary``: headline figures; ``warnings``: what the buyer should know.
    """

    lines: Frame
    purchase_orders: Frame
    purchase_order_lines: Frame
    summary: Dict[str, Any]
    warnings: List[str]
    as_of: str
    _inner: Any
    #: Order lines deferred by a budget (``config["budgets"]``) or a supplier's
    #: minimum order, with ``cause`` and why.
    deferred: Frame = None
    #: What supplier minimums and truck fill changed (``kind``, ``message``).
    supplier_adjustments: Frame = None
    _dataset: Any = None
    #: The configuration the plan ran with (its ``forecast`` is the report's model).
    _config: Any = None
    #: Whether results are polars frames.
    _polars: bool = False
    #: A plan computed in parts (:mod:`replenish.distributed`) has no whole dataset
    #: here, only its master data (items, suppliers).
    _master: Any = None

    def _whole_dataset(self, what: str) -> Any:
        if self._dataset is None:
            raise InputError(f"{what} needs the plan's whole dataset, and this plan was computed in parts "
                             "(replenish.distributed): plan the data in one process for it")
        return self._dataset

    def to_dict(self) -> Dict[str, Any]:
        """The whole plan as plain Python data, exactly as the core produced it."""
        return json.loads(self._inner.to_json())

    def violations(self) -> List[str]:
        """Every broken invariant of the plan, one sentence each (empty when sound):
        orders within MOQ, packs and maximums, nothing negative or not finite, POs
        and the summary adding up to their lines (``docs/reliability.md``).

        >>> import replenish
        >>> replenish.plan(replenish.demo_data(skus=5, locations=1, days=60)).violations()
        []
        """
        return list(self._inner.violations())

    def plan_csv(self) -> str:
        """``plan.csv`` as written by the CLI."""
        return self._inner.plan_csv()

    def purchase_orders_csv(self) -> str:
        """``purchase_orders.csv`` as written by the CLI."""
        return self._inner.purchase_orders_csv()

    def ubl_orders(self, buyer_id: str = "BUYER", buyer_name: str = "Buyer", *,
                   customization_id: Optional[str] = None, unit_code: str = "C62") -> Dict[str, str]:
        """Each purchase order as a UBL 2.1 Order XML document, by PO number
        (``docs/purchase-orders.md``)."""
        opts = dict(buyer_id=buyer_id, buyer_name=buyer_name, customization_id=customization_id, unit_code=unit_code)
        return dict(self._inner.ubl_orders(json.dumps(opts)))

    def purchase_orders_json(self) -> str:
        """``purchase_orders.json`` as written by the CLI."""
        return self._inner.purchase_orders_json()

    def emails(self, sender: str, date: Any, *, to: Optional[str] = None, cc: Optional[List[str]] = None,
               reply_to: Optional[str] = None, sender_name: Optional[str] = None, buyer_id: str = "BUYER",
               buyer_name: str = "Buyer", attach_ubl: bool = True, note: Optional[str] = None,
               skip_missing: bool = False) -> Dict[str, str]:
        """Each purchase order as an e-mail message (MIME text: plain-text and HTML
        body, the PO as CSV and UBL attached), by PO number, for the host to send.
        The recipient is ``to`` or the supplier's ``supplier_email``; a PO whose
        supplier has neither raises :class:`ConfigError` unless ``skip_missing``."""
        when = date.isoformat() if hasattr(date, "isoformat") else str(date)
        if len(when) == 10:
            when += "T00:00:00"
        opts = dict(from_=sender, from_name=sender_name, to=to, cc=list(cc or []), reply_to=reply_to, date=when,
                    ubl=dict(buyer_id=buyer_id, buyer_name=buyer_name), attach_ubl=attach_ubl, note=note)
        opts["from"] = opts.pop("from_")
        master = self._dataset if self._dataset is not None else self._master
        out = _replenish.po_emails(self._inner, master._inner, json.dumps(opts))
        missing = [po for po, m in out if m is None]
        if missing and not skip_missing:
            raise ConfigError(f"no e-mail address for the supplier of {', '.join(missing)}: pass to= or "
                              "add a supplier_email column (or skip_missing=True)")
        return {po: m for po, m in out if m is not None}

    def as_open_orders(self) -> Frame:
        """The plan's purchase orders as ``open_orders`` rows: pass them with the
        next plan's data so nothing is ordered twice."""
        rows = json.loads(_replenish.as_open_orders(self._inner))
        return _dates(_frame(rows, orders.OPEN_ORDER_COLUMNS, self._polars), ["order_date", "expected_date"],
                      self._polars)

    def report(self, tracked: Any = (), **options: Any) -> Any:
        """The report of this plan (:func:`replenish.reports.report`): KPI tables and
        chart data as DataFrames, ``.to_html()`` for the page."""
        return reports.report(self, tracked, **options)

    def html_report(self, path: Any = None, tracked: Any = (), **options: Any) -> str:
        """The self-contained HTML report (:func:`replenish.reports.html_report`),
        written to ``path`` when given."""
        return reports.html_report(self, tracked, path=path, **options)

    def kpis(self, *, window_days: int = 91, dead_stock_days: int = 90, period: str = "week") -> Any:
        """The KPI tables of this plan and its data (:func:`replenish.reports.kpis`)."""
        return reports.kpis(self, window_days=window_days, dead_stock_days=dead_stock_days, period=period)

    def stock_outlook(self) -> List[Dict[str, Any]]:
        """Per SKU-location: available stock, mean daily demand and open orders on
        the plan date, for :func:`replenish.orders.alerts`."""
        return json.loads(_replenish.stock_outlook(self._inner, self._whole_dataset("stock_outlook")._inner))

    def summary_text(self) -> str:
        """The summary the CLI prints."""
        return self._inner.summary_text()

    def write(self, out_dir: Union[str, "os.PathLike[str]"]) -> None:
        """Writes ``plan.csv``, ``purchase_orders.csv``, ``purchase_orders.json`` and
        ``summary.json`` to a folder, as the CLI does."""
        os.makedirs(out_dir, exist_ok=True)
        files = {
            "plan.csv": self.plan_csv(),
            "purchase_orders.csv": self.purchase_orders_csv(),
            "purchase_orders.json": self.purchase_orders_json(),
            "summary.json": json.dumps(self.summary, indent=2),
        }
        for name, text in files.items():
            with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="") as f:
                f.write(text)


def read_folder(path: Union[str, "os.PathLike[str]"], ingest: Optional[Mapping[str, Any]] = None, *, polars: bool = False) -> Dataset:
    """Reads and validates ``items.csv``, ``suppliers.csv``, ``sales.csv``,
    ``inventory.csv``, ``open_orders.csv`` (and optional ``stockouts.csv``,
    ``stock_history.csv`` and ``promotions.csv``) from a folder.

    ``ingest`` holds column mappings and the returns policy (docs/configuration.md).
    Raises :class:`ValidationError` listing every problem with file, row and column.
    """
    return Dataset(_replenish.read_folder(os.fspath(path), _ingest_json(ingest)), polars)


def read_tables(
    items: Any,
    suppliers: Any,
    sales: Any,
    inventory: Any,
    open_orders: Any = None,
    stockouts: Any = None,
    stock_history: Any = None,
    promotions: Any = None,
    events: Any = None,
    prices: Any = None,
    weather: Any = None,
    receipts: Any = None,
    *,
    ingest: Optional[Mapping[str, Any]] = None,
) -> Dataset:
    """Validates tables given as pandas or polars DataFrames (or CSV text).

    Problems name the table as ``"<name> (DataFrame)"``; ``row`` is the CSV line
    number (header = 1), so ``index = row - 2`` is the frame's positional row,
    also given as ``problem["index"]``.
    """
    given = dict(items=items, suppliers=suppliers, sales=sales, inventory=inventory, open_orders=open_orders,
                 stockouts=stockouts, stock_history=stock_history, promotions=promotions, events=events,
                 prices=prices, weather=weather, receipts=receipts)
    polars = any(_is_polars(v) for v in given.values() if v is not None)
    tables = {}
    for name, df in given.items():
        if df is None:
            continue
        label = f"{name} (DataFrame)" if not isinstance(df, (str, bytes, bytearray)) else f"{name}.csv"
        tables[name] = (label, _to_csv_bytes(df))
    try:
        return Dataset(_replenish.read_tables(tables, _ingest_json(ingest)), polars)
    except ValidationError as e:
        for p in e.problems:
            if p["row"] is not None and p["file"].endswith("(DataFrame)"):
                p["index"] = p["row"] - 2
        raise


def _lines_frame(plan_dict: Dict[str, Any], polars: bool) -> Frame:
    lines = plan_dict["lines"]
    for ln in lines:
        ln["rounding"] = "; ".join(ln["rounding"])
        ln["segments"] = "; ".join(ln.get("segments", []))
        ln["adjustments"] = "; ".join(ln.get("adjustments", []))
        ln["parameter_sources"] = "; ".join(f"{k}={v}" for k, v in ln.get("parameter_sources", {}).items())
    cols = list(lines[0].keys()) if lines else None
    df = _frame(lines, cols, polars)
    return _dates(df, ["order_date", "expected_delivery"], polars)


def plan(
    data: Data,
    config: Optional[Mapping[str, Any]] = None,
    *,
    ingest: Optional[Mapping[str, Any]] = None,
    rules: Any = None,
    progress: ProgressArg = None,
) -> Plan:
    """Plans replenishment: forecast, safety stock, reorder point, order-up-to level,
    rounded order quantities and purchase orders grouped per supplier and location.

    ``data`` is a :class:`Dataset`, a folder path, or a mapping of table name to
    pandas/polars DataFrame (``items``, ``suppliers``, ``sales``, ``inventory``,
    optional ``open_orders`` and ``stockouts``). Results come back as polars frames
    when the input frames were polars, pandas otherwise.

    ``config`` keys (all optional): ``as_of``, ``service_level``,
    ``category_service_levels``, ``review_period_days``, ``forecast``
    (e.g. ``{"model": "window_average", "window": 56}``), ``ordering_cost`` (none by
    default: no EOQ), ``holding_rate``, ``po_prefix``, ``policy`` (``r_s`` by default,
    ``r_s_s``, ``s_q``, ``s_s``,
    ``min_max``, ``base_stock``, ``newsvendor``), ``target`` (``cycle_service_level``,
    ``fill_rate``, ``min_cost``), ``fill_rate``, ``shortage_cost``, ``lost_sales``,
    ``lead_time_demand`` (``auto``, ``errors``, ``distribution``, ``bootstrap``, ``normal``,
    ``poisson``, ``negative_binomial``, ``gamma``).

    ``budgets``: spending caps ``[{"name", "currency", "amount", "supplier"?, "category"?}]``;
    lines over them are deferred by priority and listed in ``Plan.deferred``.

    ``rules``: segments and per-SKU overrides as TOML text, a path, or a dict (see
    :func:`replenish.policy.rules`); each plan line's ``parameter_sources`` says which
    rule set each parameter.

    ``progress``: a tqdm bar over the SKU-locations when tqdm is installed and the
    plan takes more than a second (``True``: always, ``False``: never), or a
    callable ``(done, total)``. The GIL is released while Rust works; Ctrl-C stops
    the plan and raises ``KeyboardInterrupt``.
    """
    if isinstance(data, Dataset):
        ds = data
    elif isinstance(data, (str, os.PathLike)):
        ds = read_folder(data, ingest)
    elif isinstance(data, Mapping):
        unknown = set(data) - set(TABLES)
        if unknown:
            raise InputError(f"unknown table(s) {sorted(unknown)}: expected {', '.join(TABLES)}")
        missing = [t for t in TABLES[:4] if t not in data]
        if missing:
            raise InputError(f"missing table(s) {missing}")
        ds = read_tables(**{k: v for k, v in data.items()}, ingest=ingest)
    else:
        raise InputError(f"data must be a Dataset, a folder path or a mapping of DataFrames, not {type(data).__name__}")
    merged = _plan_config(config, rules)
    cfg = json.dumps(merged, default=str) if merged else None
    with progress_callback(progress, "planning") as on_progress:
        inner = _replenish.plan(ds._inner, cfg, on_progress)
    return _plan_result(inner, ds, merged, ds._polars)


def _plan_config(config: Optional[Mapping[str, Any]], rules: Any) -> Dict[str, Any]:
    merged = dict(config or {})
    if rules is not None:
        merged["rules"] = policy.rules(rules)
    return merged


def _plan_result(inner: Any, ds: Any, merged: Dict[str, Any], polars: bool, master: Any = None) -> Plan:
    """The Python :class:`Plan` of a core plan (``ds``: its dataset, or ``None``
    for a plan computed in parts, which has no whole dataset on this machine)."""
    d = json.loads(inner.to_json())
    po_cols = ["po_number", "supplier_id", "supplier_name", "location", "order_date", "expected_delivery", "currency",
               "status", "total_quantity", "total_value", "lines", "trucks", "load_fill", "load_binding"]

    def load(po: Dict[str, Any], key: str) -> Any:
        return (po.get("load") or {}).get(key)

    pos = [{**{k: po[k] for k in po_cols[:10]}, "lines": len(po["lines"]), "trucks": load(po, "trucks"),
            "load_fill": load(po, "fill"), "load_binding": load(po, "binding")} for po in d["purchase_orders"]]
    po_lines = [
        {"po_number": po["po_number"], "supplier_id": po["supplier_id"], "location": po["location"], **ln}
        for po in d["purchase_orders"]
        for ln in po["lines"]
    ]
    pol_cols = ["po_number", "supplier_id", "location", "line", "sku", "item_name", "quantity", "pack_size", "unit_cost", "line_value", "expected_delivery"]
    return Plan(
        lines=_lines_frame(d, polars),
        purchase_orders=_dates(_frame(pos, po_cols, polars), ["order_date", "expected_delivery"], polars),
        purchase_order_lines=_dates(_frame(po_lines, pol_cols, polars), ["expected_delivery"], polars),
        summary=d["summary"],
        warnings=d["warnings"],
        as_of=d["as_of"],
        _inner=inner,
        deferred=_frame(d.get("deferred", []), ["sku", "location", "cause", "budget", "order_quantity", "order_value",
                                                  "days_of_supply", "service_level", "reason"], polars),
        supplier_adjustments=_dates(_frame(d.get("supplier_adjustments", []),
                                           ["supplier_id", "location", "order_date", "kind", "message"], polars),
                                    ["order_date"], polars),
        _dataset=ds,
        _polars=polars,
        _master=master,
        _config=merged,
    )


def demo_data(
    seed: int = 42,
    skus: int = 300,
    locations: int = 3,
    days: int = 730,
    *,
    polars: bool = False,
) -> Dict[str, Frame]:
    """The built-in demo company's input tables as data frames (the same data the
    CLI's ``replenish demo`` plans): ``items``, ``suppliers``, ``sales``,
    ``inventory``, ``open_orders``, ``stockouts``, ``promotions``, ``events``,
    ``prices`` and ``weather``. Same seed, same data everywhere."""
    cfg = json.dumps({"seed": seed, "skus": skus, "locations": locations, "days": days})
    out: Dict[str, Frame] = {}
    import io

    for name, text in _replenish.demo_tables(cfg):
        if polars:
            import polars as pl

            out[name] = pl.read_csv(io.StringIO(text), infer_schema_length=None, schema_overrides=_POLARS_TEXT.get(name))
        else:
            out[name] = pd.read_csv(io.StringIO(text), dtype=_PANDAS_TEXT.get(name), keep_default_na=False, na_values=[""])
    return out


# Columns that must stay text when frames are read back (ids, weekday lists).
_PANDAS_TEXT: Dict[str, Dict[str, Any]] = {
    "items": {"sku": str, "name": str, "category": str, "brand": str},
    "suppliers": {"supplier_id": str, "sku": str, "location": str, "order_weekdays": str},
    "sales": {"sku": str, "location": str, "date": str},
    "inventory": {"sku": str, "location": str, "as_of": str},
    "open_orders": {"po_number": str, "supplier_id": str, "sku": str, "location": str, "order_date": str, "expected_date": str},
    "stockouts": {"sku": str, "location": str, "date": str},
    "stock_history": {"sku": str, "location": str, "date": str},
    "promotions": {"sku": str, "location": str, "start": str, "end": str},
    "events": {"date": str, "name": str, "location": str},
    "prices": {"sku": str, "location": str, "start": str, "end": str},
    "weather": {"location": str, "date": str},
    "receipts": {"supplier_id": str, "sku": str, "order_date": str, "received_date": str},
}


def _polars_overrides() -> Dict[str, Dict[str, Any]]:
    try:
        import polars as pl
    except ImportError:  # pragma: no cover - polars is optional
        return {}
    return {k: {c: pl.String for c in v} for k, v in _PANDAS_TEXT.items()}


_POLARS_TEXT = _polars_overrides()


def load_config(path: Union[str, "os.PathLike[str]"]) -> Dict[str, Any]:
    """Reads a CLI configuration file (TOML with ``[plan]`` and ``[ingest]``) and
    returns ``{"plan": {...}, "ingest": {...}}`` for :func:`plan`'s ``config`` and
    ``ingest`` arguments. Raises :class:`ConfigError` on an invalid file."""
    with open(path, encoding="utf-8") as f:
        return json.loads(_replenish.config_from_toml(f.read()))
