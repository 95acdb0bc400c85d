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

__all__ = [
    "formula",
    "eoq",
    "eoq_backorders",
    "newsvendor_normal",
    "newsvendor_poisson",
    "normal_loss",
    "normal_loss_inverse",
    "sq_fill_rate",
    "ss_power_approximation",
    "simulate",
]


def formula(name: str, **params: float) -> Dict[str, float]:
    """Evaluates one formula by name with keyword parameters."""
    return json.loads(_replenish.formula(json.dumps({"formula": name, **params})))


def eoq(fixed_cost: float, holding_cost: float, demand_rate: float) -> Dict[str, float]:
    """EOQ: ``quantity`` √(2Kλ/h) and ``cost`` per unit time."""
    return formula("eoq", fixed_cost=fixed_cost, holding_cost=holding_cost, demand_rate=demand_rate)


def eoq_backorders(fixed_cost: float, holding_cost: float, stockout_cost: float, demand_rate: float) -> Dict[str, float]:
    """EOQ with planned backorders: ``quantity``, ``stockout_fraction``, ``max_backorder``, ``cost``."""
    return formula("eoq_backorders", fixed_cost=fixed_cost, holding_cost=holding_cost, stockout_cost=stockout_cost,
                   demand_rate=demand_rate)


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


def simulate(demand: Any, policy: Dict[str, Any], *, lead_time_days: float = 0.0, lead_time_std_days: float = 0.0,
             shortage: str = "backorder", initial_on_hand: Optional[float] = None, moq: float = 0.0,
             pack_size: float = 1.0, max_order: Optional[float] = None, order_days: Any = (),
             holding_cost: float = 0.0, ordering_cost: float = 0.0, shortage_cost: float = 0.0,
             warmup_days: int = 0, seed: int = 0) -> Dict[str, Any]:
    """Simulates a reorder policy day by day over a demand path (array-like, one value
    per day): ``policy`` is ``{"policy": "s_q", "s": ..., "q": ...}``, ``"s_s"`` (``s``,
    ``big_s``), ``"r_s"`` (``review_days``, ``big_s``) or ``"r_s_s"``. Returns the
    ``fill_rate``, ``cycle_service_level``, ``stockout_days``, ``average_on_hand``,
    ``peak_on_hand``, ``orders``, costs and more (``docs/policy.md``, "Simulation")."""
    config = dict(lead_time_days=lead_time_days, lead_time_std_days=lead_time_std_days, shortage=shortage,
                  initial_on_hand=initial_on_hand, moq=moq, pack_size=pack_size, max_order=max_order,
                  order_days=list(order_days), holding_cost=holding_cost, ordering_cost=ordering_cost,
                  shortage_cost=shortage_cost, warmup_days=warmup_days, seed=seed)
    raw = np.ascontiguousarray(np.asarray(demand, dtype="float64"), dtype="<f8").tobytes()
    return json.loads(_replenish.simulate_policy(raw, json.dumps(policy), json.dumps(config)))
