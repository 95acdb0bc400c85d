"""Textbook inventory formulas from Python, against the books' worked examples."""

import pytest

import replenish
from replenish import policy


def close(a, b):
    assert abs(a - b) < 1e-6, (a, b)


def test_eoq_and_backorders_snyder_shen_examples_3_1_and_3_8():
    e = policy.eoq(fixed_cost=8, holding_cost=0.225, demand_rate=1300)
    close(e["quantity"], 304.0467800264368)
    close(e["cost"], 68.41052550594829)
    b = policy.eoq_backorders(8, 0.225, 5, 1300)
    close(b["quantity"], 310.81255515896464)
    close(b["stockout_fraction"], 0.0430622009569378)
    close(b["cost"], 66.92136355097325)


def test_newsvendor_snyder_shen_example_4_3():
    n = policy.newsvendor_normal(0.18, 0.70, 50, 8)
    close(n["quantity"], 56.60395592743389)
    close(n["cost"], 1.9976051931766445)
    p = policy.newsvendor_poisson(0.18, 0.70, 50)
    assert p["quantity"] == 56.0
    close(p["cost"], 1.797235211809178)


def test_loss_function_fill_rate_and_power_approximation():
    close(policy.normal_loss(1.0), 0.0833154705876863)  # Silver, Pyke & Peterson Table B.1: 0.0833
    close(policy.normal_loss_inverse(policy.normal_loss(0.9)), 0.9)
    r = policy.sq_fill_rate(100, 20, 200, 0.99)
    close(policy.normal_loss(r["safety_factor"]), 0.1)
    s = policy.ss_power_approximation(0.18, 0.70, 2.5, 50, 8)  # Snyder & Shen Example 4.7
    close(s["reorder_point"], 40.19461695647407)
    close(s["order_up_to"], 74.29017010980579)


def test_bad_parameters_name_the_field():
    with pytest.raises(replenish.ConfigError) as e:
        policy.eoq(fixed_cost=8, holding_cost=0, demand_rate=1300)
    assert e.value.field == "holding_cost"
    with pytest.raises(replenish.ConfigError, match="unknown variant|unknown field"):
        policy.formula("eoq_typo", fixed_cost=1)


def test_simulation_of_an_order_up_to_policy_hits_its_service_level():
    import numpy as np
    from statistics import NormalDist

    rng = np.random.default_rng(3)
    demand = np.maximum(rng.normal(100, 20, 100_000), 0)
    target = 0.95
    big_s = 500 + NormalDist().inv_cdf(target) * 20 * 5 ** 0.5  # L + R = 4 + 1 days
    r = policy.simulate(demand, {"policy": "r_s", "review_days": 1, "big_s": big_s}, lead_time_days=4, warmup_days=50)
    assert abs(r["cycle_service_level"] - target) < 0.01, r
    assert r["fill_rate"] > 0.99 and r["orders"] > 90_000
    lost = policy.simulate(demand[:200], {"policy": "s_q", "s": 300, "q": 500}, lead_time_days=4, shortage="lost_sales",
                           initial_on_hand=0)
    assert lost["units_short"] > 0
    with pytest.raises(replenish.ConfigError) as e:
        policy.simulate(demand[:10], {"policy": "s_s", "s": 50, "big_s": 10})
    assert e.value.field == "big_s"


def test_abc_xyz_classes_of_a_long_frame():
    import pandas as pd

    ds = pd.date_range("2025-01-01", periods=14, freq="D")
    lumpy = [0.0] * 14
    lumpy[3] = 140.0
    frames = [pd.DataFrame({"unique_id": uid, "ds": ds, "y": y}) for uid, y in
              [("a", [10.0] * 14), ("b", lumpy), ("c", [10.0] * 14), ("d", [10.0] * 14), ("e", [4.0] * 14)]]
    df = pd.concat(frames, ignore_index=True)
    unit = {"a": 500 / 140, "b": 300 / 140, "c": 100 / 140, "d": 60 / 140, "e": 40 / 56}
    c = policy.abc_xyz(df, unit)
    assert c["abc"].tolist() == ["A", "A", "B", "B", "C"]
    assert c["xyz"].tolist() == ["X", "Z", "X", "X", "X"]
    assert abs(c.loc[c.unique_id == "b", "cv"].iloc[0] - 2 ** 0.5) < 1e-9
    with pytest.raises(replenish.InputError, match="no value for series `a`"):
        policy.abc_xyz(df, {"b": 1.0})
    with pytest.raises(replenish.ConfigError):
        policy.abc_xyz(df, 1.0, a=0.9, b=0.8)


def test_eoq_all_units_discount_nahmias_trash_bags():
    # Nahmias, Production and Operations Analysis, §4.7: λ = 600, K = 8, i = 20%,
    # 30¢ / 29¢ from 500 / 28¢ from 1,000 → order 500 at 29¢, cost 198.10 a year.
    e = policy.eoq_quantity_discount(8, 0.2, 600, [(0, 0.30), (500, 0.29), (1000, 0.28)])
    assert e["quantity"] == pytest.approx(500, abs=1e-6)
    assert e["unit_cost"] == pytest.approx(0.29, abs=1e-12)
    assert e["cost"] == pytest.approx(198.10, abs=1e-6)
    with pytest.raises(replenish.ConfigError):
        policy.eoq_quantity_discount(8, 0.2, 600, [])


def test_exact_rq_models_snyder_shen_examples_5_1_5_6_and_5_8():
    c = policy.rq_normal(0.225, 7.5, 8, 1300, 150, 1 / 12, reorder_point=126.8, order_quantity=328.5)
    close(c["cost"], 78.071162509282942)
    close(policy.rq_normal(0.225, 7.5, 8, 1300, 150, 1 / 12, order_quantity=318)["reorder_point"], 127.7880348669655)
    opt = policy.rq_normal(0.225, 7.5, 8, 1300, 150, 1 / 12)
    close(opt["reorder_point"], 126.8670634479628)  # Example 5.6, loss-function method
    close(opt["order_quantity"], 328.4491421980451)
    p = policy.rq_poisson(20, 150, 100, 1.5, 2)
    assert (p["reorder_point"], p["order_quantity"]) == (3, 5)
    close(p["cost"], 107.92358063314975)
    close(policy.rq_poisson(4, 28, 4, 12, 0.5, reorder_point=3, order_quantity=9)["cost"], 34.264154469469503)


def test_exact_ss_zheng_federgruen():
    s = policy.ss_discrete(1, 4, 5, mean=6)  # Snyder & Shen Example 4.7
    assert (s["reorder_point"], s["order_up_to"]) == (4, 10)
    close(s["cost"], 8.034111561471644)
    z = policy.ss_discrete(1, 9, 64, mean=30)  # Zheng & Federgruen (1991), Table I
    assert (z["reorder_point"], z["order_up_to"]) == (23, 66)
    assert abs(z["cost"] - 57.819) < 5e-4
    import numpy as np
    from math import exp, factorial

    pmf = np.array([exp(-4) * 4 ** d / factorial(d) for d in range(60)])
    pmf[-1] += 1 - pmf.sum()
    alt = policy.ss_discrete(40, 125, 150, pmf=pmf)  # Problem 4.31 as a listed pmf
    assert (alt["reorder_point"], alt["order_up_to"]) == (2, 7)
    close(alt["cost"], 223.5748295669688)
    with pytest.raises(replenish.ConfigError) as e:
        policy.ss_discrete(1, 4, 5, pmf=[0.5, 0.6])
    assert e.value.field == "pmf"


def test_epq_incremental_discounts_and_wagner_whitin():
    e = policy.epq(8, 0.225, 1300, 2000)
    close(e["quantity"], 513.9328595516969)
    close(e["cost"], 40.47221268969612)
    with pytest.raises(replenish.ConfigError) as err:
        policy.epq(8, 0.225, 1300, 1000)
    assert err.value.field == "production_rate"
    d = policy.eoq_incremental_discount(2250, 0.25, 182500, [(0, 1490), (1200, 1220), (2400, 1100)])
    close(d["quantity"], 28553.06065428)  # Problem 3.12(b)
    assert d["region"] == 2
    w = policy.wagner_whitin(500, 2, [90, 120, 80, 70])  # Example 3.9
    assert w["order_quantities"].tolist() == [210, 0, 150, 0]
    close(w["cost"], 1380)
    w = policy.wagner_whitin(100, 0.1, [400, 500, 500, 1100, 900], purchase_cost=[3, 1, 4, 6, 6])
    assert w["order_quantities"].tolist() == [400, 3000, 0, 0, 0]
    close(w["cost"], 4940)


def test_simulation_reports_service_on_promotion_days():
    import numpy as np

    demand = np.full(70, 10.0)
    promo = np.zeros(70, dtype=bool)
    for week in (3, 6):
        demand[week * 7:week * 7 + 7] = 30.0
        promo[week * 7:week * 7 + 7] = True
    r = policy.simulate(demand, {"policy": "r_s", "review_days": 7, "big_s": 70}, shortage="lost_sales",
                        promotion_days=promo)
    assert r["promotion_cycles"] >= 2
    assert r["promotion_demand"] == 420.0
    assert r["promotion_cycle_service_level"] < r["cycle_service_level"]
    assert r["promotion_fill_rate"] < r["fill_rate"]
    assert policy.simulate(demand, {"policy": "r_s", "review_days": 7, "big_s": 70})["promotion_fill_rate"] is None
