"""Closed-form inventory models (``replenish.policy``), computed by the Rust core.

>>> from replenish import policy
>>> round(policy.eoq(fixed_cost=8, holding_cost=0.225, demand_rate=1300)["quantity"], 4)
304.0468

Every function returns a dict of named results; bad parameters raise
:class:`replenish.ConfigError` naming the field. Sources and equations:
``docs/policy.md`` ("Textbook formulas").
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

import numpy as np

from . import _replenish
from .forecasting import _f8

__all__ = [
    "formula",
    "eoq",
    "eoq_backorders",
    "eoq_quantity_discount",
    "newsvendor_normal",
    "newsvendor_poisson",
    "normal_loss",
    "normal_loss_inverse",
    "sq_fill_rate",
    "ss_power_approximation",
    "rq_normal",
    "rq_poisson",
    "ss_discrete",
    "epq",
    "eoq_incremental_discount",
    "wagner_whitin",
    "simulate",
    "tune",
    "abc_xyz",
    "rules",
    "lead_time_demand_distribution",
    "lead_time_demand_errors",
    "calibrate",
    "backtest",
]


def formula(name: str, **params: Any) -> Dict[str, Any]:
    """Evaluates one formula by name with keyword parameters."""
    return json.loads(_replenish.formula(json.dumps({"formula": name, **params})))


def eoq(fixed_cost: float, holding_cost: float, demand_rate: float) -> Dict[str, float]:
    """EOQ: ``quantity`` √(2Kλ/h) and ``cost`` per unit time."""
    return formula("eoq", fixed_cost=fixed_cost, holding_cost=holding_cost, demand_rate=demand_rate)


def eoq_backorders(fixed_cost: float, holding_cost: float, stockout_cost: float, demand_rate: float) -> Dict[str, float]:
    """EOQ with planned backorders: ``quantity``, ``stockout_fraction``, ``max_backorder``, ``cost``."""
    return formula("eoq_backorders", fixed_cost=fixed_cost, holding_cost=holding_cost, stockout_cost=stockout_cost,
                   demand_rate=demand_rate)


def eoq_quantity_discount(fixed_cost: float, holding_rate: float, demand_rate: float, breaks: Any) -> Dict[str, float]:
    """EOQ with all-units quantity discounts: ``breaks`` is a list of
    ``(min_quantity, unit_cost)`` pairs (or dicts); holding cost is ``holding_rate`` ×
    unit cost. Returns the best ``quantity``, its ``unit_cost`` and the ``cost`` per
    unit time including purchases."""
    rows = [b if isinstance(b, dict) else {"min_quantity": b[0], "unit_cost": b[1]} for b in breaks]
    return json.loads(_replenish.formula(json.dumps({"formula": "eoq_quantity_discount", "fixed_cost": fixed_cost,
                                                     "holding_rate": holding_rate, "demand_rate": demand_rate,
                                                     "breaks": rows})))


def newsvendor_normal(holding_cost: float, stockout_cost: float, mean: float, sd: float) -> Dict[str, float]:
    """Newsvendor with normal demand: ``quantity``, ``critical_ratio``, expected ``cost``."""
    return formula("newsvendor_normal", holding_cost=holding_cost, stockout_cost=stockout_cost, mean=mean, sd=sd)


def newsvendor_poisson(holding_cost: float, stockout_cost: float, mean: float) -> Dict[str, float]:
    """Newsvendor with Poisson demand: the smallest ``quantity`` reaching the critical ratio, its ``cost``."""
    return formula("newsvendor_poisson", holding_cost=holding_cost, stockout_cost=stockout_cost, mean=mean)


def normal_loss(z: float) -> float:
    """The standard normal loss function G(z) = φ(z) − z(1 − Φ(z))."""
    return formula("normal_loss", z=z)["value"]


def normal_loss_inverse(loss: float) -> float:
    """The z with G(z) = ``loss``."""
    return formula("normal_loss_inverse", loss=loss)["value"]


def sq_fill_rate(lead_time_mean: float, lead_time_sd: float, order_quantity: float, fill_rate: float) -> Dict[str, Any]:
    """(s, Q) reorder point for a fill-rate target: ``reorder_point``, ``safety_factor``, ``safety_stock``."""
    return formula("sq_fill_rate", lead_time_mean=lead_time_mean, lead_time_sd=lead_time_sd,
                   order_quantity=order_quantity, fill_rate=fill_rate)


def ss_power_approximation(holding_cost: float, stockout_cost: float, fixed_cost: float, mean: float,
                           sd: float) -> Dict[str, float]:
    """Power approximation of (s, S): ``reorder_point``, ``order_up_to``."""
    return formula("ss_power_approximation", holding_cost=holding_cost, stockout_cost=stockout_cost,
                   fixed_cost=fixed_cost, mean=mean, sd=sd)


def _given(**params: Any) -> Dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


def rq_normal(holding_cost: float, stockout_cost: float, fixed_cost: float, demand_rate: float, demand_sd: float,
              lead_time: float, reorder_point: Optional[float] = None,
              order_quantity: Optional[float] = None) -> Dict[str, float]:
    """Continuous-review (r, Q) with normal demand (exact, Snyder & Shen §5.2): with both
    levels their ``cost`` per unit time; with ``order_quantity`` only the best
    ``reorder_point`` for it; with neither the optimum. Returns ``reorder_point``,
    ``order_quantity``, ``cost``."""
    return formula("rq_normal", **_given(holding_cost=holding_cost, stockout_cost=stockout_cost,
                                         fixed_cost=fixed_cost, demand_rate=demand_rate, demand_sd=demand_sd,
                                         lead_time=lead_time, reorder_point=reorder_point,
                                         order_quantity=order_quantity))


def rq_poisson(holding_cost: float, stockout_cost: float, fixed_cost: float, demand_rate: float, lead_time: float,
               reorder_point: Optional[int] = None, order_quantity: Optional[int] = None) -> Dict[str, float]:
    """(r, Q) with Poisson demand, exact (Federgruen & Zheng 1992): the cost of given
    whole levels, or the optimum."""
    return formula("rq_poisson", **_given(holding_cost=holding_cost, stockout_cost=stockout_cost,
                                          fixed_cost=fixed_cost, demand_rate=demand_rate, lead_time=lead_time,
                                          reorder_point=reorder_point, order_quantity=order_quantity))


def ss_discrete(holding_cost: float, stockout_cost: float, fixed_cost: float, mean: Optional[float] = None,
                pmf: Any = None, reorder_point: Optional[int] = None,
                order_up_to: Optional[int] = None) -> Dict[str, float]:
    """Periodic-review (s, S) for Poisson(``mean``) or a listed ``pmf`` (array-like
    P(D = 0), P(D = 1), ...) demand per period: the exact cost of given levels, or the
    optimum by Zheng & Federgruen (1991). Returns ``reorder_point``, ``order_up_to``,
    ``cost`` per period."""
    probs = None if pmf is None else [float(v) for v in np.asarray(pmf, dtype=float).ravel()]
    return formula("ss_discrete", **_given(holding_cost=holding_cost, stockout_cost=stockout_cost,
                                           fixed_cost=fixed_cost, mean=mean, pmf=probs, reorder_point=reorder_point,
                                           order_up_to=order_up_to))


def epq(fixed_cost: float, holding_cost: float, demand_rate: float, production_rate: float,
        order_quantity: Optional[float] = None) -> Dict[str, float]:
    """Economic production quantity: ``quantity``, ``cost`` per unit time, ``max_inventory``
    (or the cost of a given ``order_quantity``)."""
    return formula("epq", **_given(fixed_cost=fixed_cost, holding_cost=holding_cost, demand_rate=demand_rate,
                                   production_rate=production_rate, order_quantity=order_quantity))


def eoq_incremental_discount(fixed_cost: float, holding_rate: float, demand_rate: float,
                             breaks: Any) -> Dict[str, float]:
    """EOQ with incremental quantity discounts (each price only on the units in its
    range): ``breaks`` as ``(min_quantity, unit_cost)`` pairs or dicts, the first at 0.
    Returns ``quantity``, ``region``, ``average_unit_cost``, ``cost`` per unit time."""
    rows = [b if isinstance(b, dict) else {"min_quantity": b[0], "unit_cost": b[1]} for b in breaks]
    return formula("eoq_incremental_discount", fixed_cost=fixed_cost, holding_rate=holding_rate,
                   demand_rate=demand_rate, breaks=rows)


def wagner_whitin(fixed_cost: float, holding_cost: float, demand: Any,
                  purchase_cost: Any = None) -> Dict[str, Any]:
    """Wagner–Whitin lot sizing for known demand per period (array-like): returns
    ``order_quantities`` (a numpy array, one per period) and the total ``cost``;
    ``purchase_cost`` optionally gives a unit price per period."""
    dem = [float(v) for v in np.asarray(demand, dtype=float).ravel()]
    price = None if purchase_cost is None else [float(v) for v in np.asarray(purchase_cost, dtype=float).ravel()]
    out = formula("wagner_whitin", **_given(fixed_cost=fixed_cost, holding_cost=holding_cost, demand=dem,
                                            purchase_cost=price))
    out["order_quantities"] = np.asarray(out["order_quantities"], dtype=float)
    return out


def simulate(demand: Any, policy: Dict[str, Any], *, lead_time_days: float = 0.0, lead_time_std_days: float = 0.0,
             shortage: str = "backorder", initial_on_hand: Optional[float] = None, moq: float = 0.0,
             pack_size: float = 1.0, max_order: Optional[float] = None, order_days: Any = (),
             holding_cost: float = 0.0, ordering_cost: float = 0.0, shortage_cost: float = 0.0,
             warmup_days: int = 0, seed: int = 0, promotion_days: Any = ()) -> Dict[str, Any]:
    """Simulates a reorder policy day by day over a demand path (array-like, one value
    per day): ``policy`` is ``{"policy": "s_q", "s": ..., "q": ...}``, ``"s_s"`` (``s``,
    ``big_s``), ``"r_s"`` (``review_days``, ``big_s``) or ``"r_s_s"``. Returns the
    ``fill_rate``, ``cycle_service_level``, ``stockout_days``, ``average_on_hand``,
    ``peak_on_hand``, ``orders``, costs and more (``docs/policy.md``, "Simulation");
    ``promotion_days`` (one flag per day) adds the service on cycles and days flagged."""
    config = dict(lead_time_days=lead_time_days, lead_time_std_days=lead_time_std_days, shortage=shortage,
                  initial_on_hand=initial_on_hand, moq=moq, pack_size=pack_size, max_order=max_order,
                  order_days=list(order_days), holding_cost=holding_cost, ordering_cost=ordering_cost,
                  shortage_cost=shortage_cost, warmup_days=warmup_days, seed=seed,
                  promotion_days=[bool(v) for v in np.asarray(promotion_days, dtype=bool).ravel()])
    raw = _f8(demand)
    return json.loads(_replenish.simulate_policy(raw, json.dumps(policy), json.dumps(config)))


def abc_xyz(df: Any, unit_value: Any = 1.0, *, a: float = 0.8, b: float = 0.95, x: float = 0.5, y: float = 1.0,
            bucket_days: int = 7, id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y") -> Any:
    """ABC (by value) and XYZ (by variability) class of every series of a long frame.

    ``unit_value`` is one number for all, or a mapping / pandas Series from id to the
    unit cost or price. A: the series within the first ``a`` of the cumulative value
    (ranked by total demand × unit value), B: up to ``b``, C: the rest. X / Y / Z:
    coefficient of variation of demand summed over ``bucket_days`` at most ``x`` /
    at most ``y`` / above. Returns ``unique_id``, ``value``, ``share``,
    ``cumulative_share_before``, ``abc``, ``cv``, ``xyz``."""
    from .forecasting import _frame, _input, _kind, _panel

    df = _input(df)

    ids, offsets, values, _, _ = _panel(df, id_col, time_col, target_col)
    if np.isscalar(unit_value):
        units = [float(unit_value)] * len(ids)
    else:
        lookup = dict(unit_value.items()) if hasattr(unit_value, "items") else dict(unit_value)
        missing = [i for i in ids if i not in lookup]
        if missing:
            from ._replenish import InputError

            raise InputError(f"unit_value has no value for series `{missing[0]}` (and {len(missing) - 1} more)")
        units = [float(lookup[i]) for i in ids]
    thresholds = json.dumps(dict(a=a, b=b, x=x, y=y, bucket_days=bucket_days))
    rows = json.loads(_replenish.abc_xyz(ids, offsets, _f8(values), units, thresholds))
    cols: Dict[str, Any] = {id_col: [r["id"] for r in rows]}
    for k in ("value", "share", "cumulative_share_before", "abc", "cv", "xyz"):
        cols[k] = [np.nan if r[k] is None else r[k] for r in rows]
    return _frame(cols, _kind(df))


def tune(demand: Any, policy: Dict[str, Any], target: Dict[str, float], **config: Any) -> Dict[str, Any]:
    """Shifts a policy's levels (its safety stock) by the smallest amount that makes the
    simulation over ``demand`` reach ``target``: ``{"cycle_service_level": 0.95}`` or
    ``{"fill_rate": 0.98}``. ``config`` takes :func:`simulate`'s keywords. Returns
    ``offset``, the tuned ``policy`` and its simulation ``report``."""
    if len(target) != 1:
        from ._replenish import ConfigError

        raise ConfigError("target: give one of cycle_service_level or fill_rate, e.g. {'fill_rate': 0.98}")
    ((metric, value),) = target.items()
    if "order_days" in config:
        config["order_days"] = list(config["order_days"])
    raw = _f8(demand)
    return json.loads(_replenish.tune_policy(raw, json.dumps(policy), json.dumps({"metric": metric, "value": value}),
                                             json.dumps(config)))


def rules(spec: Any) -> Dict[str, Any]:
    """Checks a rule set and returns it as a dict (what ``plan(..., rules=...)`` takes).

    ``spec`` is TOML text (``[[rules]]`` and ``[[overrides]]`` tables), a path to such a
    file, or a dict ``{"rules": [...], "overrides": [...]}``. A wrong expression raises
    :class:`replenish.RuleError` with ``rule``, ``field``, ``expression``, ``position``
    (0-based) and ``column``; other mistakes :class:`replenish.ConfigError`."""
    import os

    if isinstance(spec, os.PathLike) or (isinstance(spec, str) and "\n" not in spec and spec.endswith(".toml")):
        with open(spec, encoding="utf-8") as f:
            spec = f.read()
    if isinstance(spec, str):
        return json.loads(_replenish.check_rules(spec, True))
    return json.loads(_replenish.check_rules(json.dumps(spec, default=str), False))


def lead_time_demand_distribution(family: str, daily_mean: float, daily_sd: float = 0.0, *,
                                  lead_time_days: float, lead_time_std_days: float = 0.0,
                                  review_period_days: float = 0.0, quantiles: Any = (), at: Any = (),
                                  fill_rate: Optional[float] = None) -> Dict[str, Any]:
    """Demand over lead time + review period as a distribution: daily demand of
    ``family`` (``normal``, ``poisson``, ``negative_binomial``, ``gamma``) summed over
    a random lead time (normal, rounded to whole days). Returns ``mean``,
    ``variance``, the ``quantiles`` asked for, ``cdf`` and ``loss`` E[(D − x)⁺] at
    the levels ``at``, and the (R, S) ``order_up_to_for_fill_rate`` when a
    ``fill_rate`` is given."""
    req = dict(family=family, daily_mean=daily_mean, daily_sd=daily_sd, lead_time_days=lead_time_days,
               lead_time_std_days=lead_time_std_days, review_period_days=review_period_days,
               quantiles=[float(q) for q in quantiles], at=[float(x) for x in at], fill_rate=fill_rate)
    return json.loads(_replenish.lead_time_demand_distribution(json.dumps(req)))


def lead_time_demand_errors(history: Any, *, lead_time_days: float, lead_time_std_days: float = 0.0,
                            review_period_days: float = 0.0, n_paths: int = 1000, seed: int = 0,
                            quantiles: Any = (), at: Any = (), fill_rate: Optional[float] = None,
                            profile_history: Any = (), profile_ahead: Any = ()) -> Dict[str, Any]:
    """Demand over lead time + review period by the ``errors`` method (the plan's
    default, ``docs/policy.md``): today's level of a local-level forecast plus the
    errors that forecast made over the same interval from every past origin of the
    last 364 days, as a negative binomial on their moments. ``history`` is daily
    demand, oldest first (a list, numpy array or pandas Series; NaN or None for a day
    not seen, e.g. a stock-out). Returns what :func:`lead_time_demand_distribution`
    returns plus ``smoothing_weight``, ``level`` and ``origins``. A seasonal profile,
    as the plan uses the assortment's: ``profile_history`` (a factor per history day;
    the history is divided by it) and ``profile_ahead`` (a factor per day from
    tomorrow; each path is multiplied by its mean)."""
    values = [None if v is None or v != v else float(v) for v in list(history)]
    req = dict(history=values, lead_time_days=lead_time_days, lead_time_std_days=lead_time_std_days,
               review_period_days=review_period_days, n_paths=int(n_paths), seed=int(seed),
               quantiles=[float(q) for q in quantiles], at=[float(x) for x in at], fill_rate=fill_rate,
               profile_history=[float(x) for x in profile_history], profile_ahead=[float(x) for x in profile_ahead])
    return json.loads(_replenish.lead_time_demand_errors(json.dumps(req)))


def calibrate(**config: Any) -> Any:
    """Runs the calibration experiment (``docs/policy.md``, "Calibration"): plans
    synthetic smooth, intermittent and lumpy series at 90/95/98% cycle service level,
    simulates them with random lead times, and compares with the classic formula.
    Keywords: ``classes``, ``targets``, ``series_per_class``, ``history_days``,
    ``test_days``, ``lead_time_days``, ``lead_time_std_days``, ``review_days``,
    ``policy``, ``lead_time_demand``, ``forecast``, ``n_paths``, ``seed``. Returns a
    pandas DataFrame, one row per class and target."""
    import pandas as pd

    return pd.DataFrame(json.loads(_replenish.calibrate(json.dumps(config, default=str))))


def backtest(data: Any, days: int = 182, *, lost_sales: bool = False, replan: bool = True,
             textbook_window_days: int = 91, config: Optional[Dict[str, Any]] = None, rules: Any = None) -> Any:
    """Plans as of ``days`` before the history ends and replays every line's policy
    over the days that followed, re-planning at every review (``replan=False``: plan
    once). Returns ``(kpis, lines)``: KPIs per demand class and overall (cycle service
    level, fill rate, stock-out days, stock, orders, cost; the textbook rule's service
    and stock on the same replay, and its stock at the plan's achieved service), and
    one row per SKU-location (``textbook_*`` columns for the textbook rule)."""
    import pandas as pd

    from . import Dataset, read_folder

    ds = data if isinstance(data, Dataset) else read_folder(data)
    cfg = dict(config or {})
    if rules is not None:
        cfg["rules"] = globals()["rules"](rules)
    opts = {"days": int(days), "shortage": "lost_sales" if lost_sales else "backorder", "replan": bool(replan),
            "textbook_window_days": int(textbook_window_days)}
    out = json.loads(_replenish.backtest(ds._inner, json.dumps(opts), json.dumps(cfg, default=str) if cfg else None))
    kpis = pd.DataFrame(out["kpis"])
    lines = pd.DataFrame([{**{k: v for k, v in l.items() if k not in ("report", "textbook")}, **l["report"],
                           **{f"textbook_{k}": v for k, v in l["textbook"].items()}} for l in out["lines"]])
    kpis.attrs.update(as_of=out["as_of"], end=out["end"], days=out["days"], replan=out["replan"], plans=out["plans"])
    return kpis, lines
