"""Rules, lead-time demand distributions, tuning, calibration and backtests from Python."""

import math

import numpy as np
import pandas as pd
import pytest

import replenish
from replenish import policy

RULES = """
[[rules]]
name = "A items"
when = "abc == 'A'"
priority = 10
set = { service_level = 0.99, policy = "r_s" }

[[rules]]
name = "slow movers"
when = "demand_class in ['intermittent', 'lumpy']"
set = { target = "fill_rate", fill_rate = 0.97 }

[[overrides]]
sku = "SKU-0002"
location = "L01"
set = { policy = "s_q" }
"""


@pytest.fixture(scope="module")
def dataset():
    return replenish.read_tables(**replenish.demo_data(skus=30, locations=2))


def test_rules_set_parameters_and_lines_cite_them(dataset):
    p = replenish.plan(dataset, rules=RULES)
    lines = p.lines
    a = lines[(lines.abc == "A") & (lines.sku != "SKU-0002")]
    assert len(a) > 0
    assert (a.policy == "r_s").all()
    assert a.parameter_sources.str.contains("policy=rule:A items").all()
    slow = lines[lines.segments.str.contains("slow movers")]
    assert len(slow) > 0 and (slow.target == "fill_rate").all() and (slow.fill_rate_target == 0.97).all()
    o = lines[(lines.sku == "SKU-0002") & (lines.location == "L01")].iloc[0]
    assert o.policy == "s_q" and "policy=override:SKU-0002@L01" in o.parameter_sources
    # The same rules as a dict.
    as_dict = policy.rules(RULES)
    assert [r["name"] for r in as_dict["rules"]] == ["A items", "slow movers"]
    assert replenish.plan(dataset, rules=as_dict).lines.policy.tolist() == lines.policy.tolist()


@pytest.mark.parametrize(
    "when, column, words",
    [
        ("categroy == 'Frozen'", 1, "did you mean `category`"),
        ("unit_cost > 'high'", 11, "cannot compare a number with a text"),
        ("unit_cost > (1 +", 17, "expected a value"),
        ("reorder_point > 1", 1, "order_when"),
    ],
)
def test_bad_rules_name_their_position(when, column, words):
    with pytest.raises(replenish.RuleError) as e:
        policy.rules({"rules": [{"name": "r", "when": when}]})
    assert e.value.rule == "r" and e.value.field == "when"
    assert e.value.column == column and e.value.position == column - 1
    assert words in e.value.reason
    assert e.value.expression == when
    assert isinstance(e.value, replenish.ConfigError) and e.value.code == "RULE"
    with pytest.raises(replenish.RuleError):
        replenish.plan(replenish.read_tables(**replenish.demo_data(skus=2, locations=1)),
                       rules={"rules": [{"name": "r", "when": when}]})


def test_lead_time_demand_distribution():
    d = policy.lead_time_demand_distribution("normal", 10, 3, lead_time_days=4, review_period_days=1,
                                             quantiles=[0.95], at=[50])
    assert d["mean"] == pytest.approx(50) and d["variance"] == pytest.approx(45)
    assert d["quantiles"][0] == pytest.approx(50 + 1.6448536269514722 * math.sqrt(45), abs=1e-6)
    assert d["loss"][0] == pytest.approx(math.sqrt(45) * 0.3989422804014327, abs=1e-9)
    p = policy.lead_time_demand_distribution("poisson", 2, lead_time_days=3, lead_time_std_days=1,
                                             review_period_days=7, quantiles=[0.9], fill_rate=0.95)
    assert float(p["quantiles"][0]).is_integer()
    assert p["order_up_to_for_fill_rate"] > 0
    with pytest.raises(replenish.ReplenishError):
        policy.lead_time_demand_distribution("cauchy", 1, lead_time_days=1)


def _weekly_runs(weeks=60, seed=7):
    # Whole weeks at 1 or 5 a day, in random order: days are not independent.
    rng = np.random.default_rng(seed)
    return np.repeat(np.where(rng.random(weeks) < 0.5, 5.0, 1.0), 7)


def test_lead_time_demand_errors_sees_runs_that_independent_days_miss():
    history = _weekly_runs()
    e = policy.lead_time_demand_errors(history, lead_time_days=7, review_period_days=7, quantiles=[0.5, 0.95],
                                       at=[42.0], fill_rate=0.95, seed=1)
    indep = policy.lead_time_demand_distribution("negative_binomial", float(history.mean()), float(history.std()),
                                                 lead_time_days=7, review_period_days=7, quantiles=[0.95])
    assert e["quantiles"][1] > indep["quantiles"][0] + 5
    assert e["origins"] > 300 and 0 < e["smoothing_weight"] <= 0.5 and e["level"] > 0
    assert e["order_up_to_for_fill_rate"] > 0 and 0 < e["cdf"][0] < 1
    # Days not seen (stock-outs) as NaN, a pandas Series, the same seed: the same answer.
    gappy = pd.Series(history).where(pd.Series(range(len(history))) % 10 != 3)
    a = policy.lead_time_demand_errors(gappy, lead_time_days=7, review_period_days=7, quantiles=[0.95])
    assert a == policy.lead_time_demand_errors(list(gappy), lead_time_days=7, review_period_days=7, quantiles=[0.95])
    with pytest.raises(replenish.ReplenishError, match="day 2"):
        policy.lead_time_demand_errors([1.0, 2.0, -1.0] + [1.0] * 100, lead_time_days=7)
    with pytest.raises(replenish.ReplenishError, match="fewer than 26 past origins"):
        policy.lead_time_demand_errors([1.0] * 5, lead_time_days=7, review_period_days=7)
    # A seasonal profile: the history read at half its days' factor, twice as busy ahead.
    plain = policy.lead_time_demand_errors(history, lead_time_days=7, review_period_days=7, seed=1)
    busy = policy.lead_time_demand_errors(history, lead_time_days=7, review_period_days=7, seed=1,
                                          profile_history=np.full(len(history), 0.5), profile_ahead=[2.0] * 14)
    assert busy["level"] == pytest.approx(2 * plain["level"]) and busy["mean"] > 3.5 * plain["mean"]
    with pytest.raises(replenish.ConfigError, match="profile_history"):
        policy.lead_time_demand_errors(history, lead_time_days=7, profile_history=[1.0, 1.0])


def test_plan_reads_levels_from_the_errors_method_by_default(dataset):
    lines = replenish.plan(dataset).lines
    assert lines["safety_stock_method"].str.startswith("errors (negative binomial").all()
    assert lines["parameter_sources"].str.contains("lead_time_demand=config (auto: errors)", regex=False).all()
    boot = replenish.plan(dataset, {"lead_time_demand": "bootstrap"}).lines
    assert boot["safety_stock_method"].str.startswith("bootstrap (").all()


def test_tune_reaches_the_target():
    rng = np.random.default_rng(3)
    demand = np.maximum(rng.normal(100, 20, 30_000), 0)
    s = 400 + 1.6448536269514722 * 40
    out = policy.tune(demand, {"policy": "s_q", "s": s, "q": 700}, {"cycle_service_level": 0.95},
                      lead_time_days=4, warmup_days=50)
    assert out["offset"] > 20
    assert out["report"]["cycle_service_level"] >= 0.95


def test_calibration_and_backtest(dataset):
    rows = policy.calibrate(series_per_class=15, test_days=3000, targets=[0.95])
    assert list(rows["class"]) == ["smooth", "intermittent", "lumpy"]
    assert ((rows.plan_csl - 0.95).abs() < 0.03).all()
    assert (rows.classic_csl < rows.plan_csl).all()
    kpis, lines = policy.backtest(dataset, days=91)
    assert kpis.group.iloc[-1] == "all"
    assert 0.5 < kpis.fill_rate.iloc[-1] <= 1.0
    assert len(lines) == kpis.lines.iloc[-1] and "cycle_service_level" in lines
    # Re-planned at every review by default, with the textbook rule on the same replay.
    assert kpis.attrs["replan"] and kpis.attrs["plans"] > 1 and (lines.plans > 1).any()
    assert {"textbook_cycle_service_level", "textbook_on_hand_at_plan_service",
            "stock_ratio_at_equal_service"} <= set(kpis.columns)
    assert "textbook_fill_rate" in lines and "textbook_average_on_hand" in lines
    all_ = kpis.iloc[-1]
    assert abs(all_.stock_ratio_at_equal_service
               - all_.average_on_hand_units / all_.textbook_on_hand_at_plan_service) < 1e-9
    once, once_lines = policy.backtest(dataset, days=91, replan=False)
    assert once.attrs["plans"] == 1 and (once_lines.plans == 1).all()
    with pytest.raises(replenish.ConfigError):
        policy.backtest(dataset, days=91, textbook_window_days=0)


def test_defaults_item_columns_and_the_chosen_model():
    tables = replenish.demo_data(skus=20, locations=2)
    items = tables["items"].copy()
    items["shelf_life_days"] = [3.0] + [float("nan")] * (len(items) - 1)
    items["perishable"] = ["1"] + ["0"] * (len(items) - 1)
    tables["items"] = items
    ds = replenish.read_tables(**tables)
    lines = replenish.plan(ds).lines
    # No ordering cost given: no EOQ, and the default orders up to cover review + lead time.
    assert (lines.policy == "r_s").all() and lines.eoq.isna().all()
    assert (lines.reorder_point == lines.order_up_to).all()
    assert lines.forecast_model.str.match(r"AutoSelect\(season_length=7\): \w+, (beat \w+: RMSE|the only)").all()
    fresh = lines[lines.sku == "SKU-0001"]
    assert len(fresh) > 0 and fresh.parameter_sources.str.contains("shelf_life_days=items.csv", regex=False).all()
    costed = replenish.plan(ds, {"ordering_cost": 25, "policy": "r_s_s"}).lines
    assert (costed.eoq > 0).any() and costed.parameter_sources.str.contains("ordering_cost=config").all()
    # An extra item column is a text attribute in rules.
    rules = "[[rules]]\nname = \"fresh\"\nwhen = \"perishable == '1'\"\nset = { service_level = 0.9 }\n"
    r = replenish.plan(ds, rules=rules).lines
    assert (r[r.sku == "SKU-0001"].service_level == 0.9).all()
    assert r[r.sku == "SKU-0001"].segments.str.contains("fresh").all()
    assert not r[r.sku != "SKU-0001"].segments.str.contains("fresh").any()
    with pytest.raises(replenish.RuleError, match="unknown attribute `frozen_zone`.*brand, perishable"):
        replenish.plan(ds, rules="[[rules]]\nname = \"x\"\nwhen = \"frozen_zone == 'B'\"\n")
