"""The plan from Python: hand-computed numbers, frames in and out, golden identity."""

import json
import math

import numpy as np
import pandas as pd
import pytest

import replenish
from replenish.models import GBDT
from conftest import FIXTURES, GOLDEN


def test_small_fixture_matches_hand_computation(small_dir, small_config):
    p = replenish.plan(small_dir, small_config["plan"])
    lines = p.lines.set_index(["sku", "location"])
    a = lines.loc[("A", "L1")]
    assert a["mean_daily_demand"] == 10.0
    assert a["sigma_daily_demand"] == 3.0
    assert a["censored_days"] == 1
    # SS = 1.644854 * sqrt(5 * 9 + 10**2 * 1**2)
    assert math.isclose(a["safety_stock"], 1.6448536269514722 * math.sqrt(145), rel_tol=1e-12)
    assert math.isclose(a["reorder_point"], 50 + a["safety_stock"], rel_tol=1e-12)
    assert a["inventory_position"] == 45.0
    assert a["order_quantity"] == 636.0  # 628.96 -> 53 packs of 12 -> lines of at most 96 (max 100)
    assert a["order_lines"] == [96.0] * 6 + [60.0]
    assert a["action"] == "order"
    assert "split 636 into 7 lines" in a["rounding"]
    assert lines.loc[("B", "L1")]["action"] == "no_order"
    assert lines.loc[("B", "L2")]["order_quantity"] == 278.0
    assert lines.loc[("C", "L1")]["action"] == "no_supplier"
    assert list(p.purchase_orders["po_number"]) == ["PO-20250309-0001", "PO-20250309-0002"]
    assert list(p.purchase_orders["total_value"]) == [1272.0, 278.0]
    assert list(p.purchase_orders["lines"]) == [7, 1]
    assert p.summary["order_value"] == {"EUR": 1550.0}
    assert any("no supply terms" in w for w in p.warnings)
    assert pd.api.types.is_datetime64_any_dtype(p.lines["order_date"])


def test_pandas_frames_give_the_same_plan_as_the_folder(small_dir, small_config):
    frames = {
        name: pd.read_csv(small_dir / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in replenish.TABLES
        if (small_dir / f"{name}.csv").exists()
    }
    from_frames = replenish.plan(frames, small_config["plan"])
    from_folder = replenish.plan(small_dir, small_config["plan"])
    assert from_frames.to_dict() == from_folder.to_dict()


def test_polars_frames_in_polars_frames_out(small_dir, small_config):
    pl = pytest.importorskip("polars")
    frames = {name: pl.read_csv(small_dir / f"{name}.csv", infer_schema_length=0) for name in replenish.TABLES if (small_dir / f"{name}.csv").exists()}
    p = replenish.plan(frames, small_config["plan"])
    assert isinstance(p.lines, pl.DataFrame)
    assert p.lines.filter(pl.col("sku") == "A")["order_quantity"].to_list() == [636.0]
    assert p.to_dict() == replenish.plan(small_dir, small_config["plan"]).to_dict()


def test_demand_is_long_format(small_dir):
    ds = replenish.read_folder(small_dir)
    d = ds.demand
    assert list(d.columns[:3]) == ["unique_id", "ds", "y"]
    a = d[d["unique_id"] == "A/L1"]
    assert len(a) == 9
    assert a["stockout"].sum() == 1
    assert pd.api.types.is_datetime64_any_dtype(d["ds"])
    rep = ds.report
    assert rep["return_lines"] == 1 and rep["series"] == 3
    assert ds.table("items")["sku"].tolist() == ["A", "B", "C"]


def test_days_closing_without_stock_are_censored_like_the_stockout_log(small_dir, small_config):
    frames = {name: pd.read_csv(small_dir / f"{name}.csv", dtype=str, keep_default_na=False) for name in replenish.TABLES if (small_dir / f"{name}.csv").exists()}
    history = frames.pop("stock_history")
    frames.pop("stockouts")
    unflagged = replenish.plan(replenish.read_tables(**frames), small_config["plan"])
    assert unflagged.lines["mean_daily_demand"].iloc[0] == 9.0
    ds = replenish.read_tables(**frames, stock_history=history)
    assert any(n.startswith("1 day(s) closing with no stock") for n in ds.report["notes"])
    a = ds.demand[ds.demand["unique_id"] == "A/L1"]
    assert a.loc[a["stockout"], "ds"].dt.strftime("%Y-%m-%d").tolist() == ["2025-03-05"]
    lines = replenish.plan(ds, small_config["plan"]).lines
    assert (lines["mean_daily_demand"].iloc[0], lines["censored_days"].iloc[0]) == (10.0, 1)


def test_exports_match_the_cli_formats(small_dir, small_config, tmp_path):
    p = replenish.plan(small_dir, small_config["plan"])
    assert p.plan_csv().splitlines()[0].startswith("sku,location,item_name")
    assert "PO-20250309-0001" in p.purchase_orders_csv()
    assert json.loads(p.purchase_orders_json())[0]["lines"][0]["sku"] == "A"
    p.write(tmp_path)
    assert (tmp_path / "plan.csv").read_text() == p.plan_csv()
    assert "Plan as of 2025-03-09" in p.summary_text()


def test_demo_plan_is_identical_to_rust_golden():
    golden = json.loads((GOLDEN / "demo_plan.json").read_text())
    p = replenish.plan(replenish.demo_data())
    d = p.to_dict()
    fields = golden["line_fields"]
    got = [[ln[f] for f in fields] for ln in d["lines"]]
    assert got == golden["lines"]
    # and through the DataFrame: the same floats, bit for bit
    frame_rows = p.lines[fields].astype(object).where(p.lines[fields].notna(), None).values.tolist()
    assert frame_rows == golden["lines"]
    pos = [[po["po_number"], po["supplier_id"], po["location"], po["order_date"], len(po["lines"]), po["total_quantity"], po["total_value"]] for po in d["purchase_orders"]]
    assert pos == golden["purchase_orders"]
    assert d["summary"] == golden["summary"]


def test_demo_data_is_deterministic():
    a = replenish.demo_data(seed=3, skus=8, locations=2, days=60)
    b = replenish.demo_data(seed=3, skus=8, locations=2, days=60)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    # the demo flags stock-outs in a log and has no receipts (its lead times are as stated)
    assert set(a) == set(replenish.TABLES) - {"stock_history", "receipts"}


def test_config_override_by_category(small_dir):
    p = replenish.plan(small_dir, {"category_service_levels": {"Beverages": 0.99}})
    row = p.lines[p.lines["sku"] == "A"].iloc[0]
    assert row["service_level"] == 0.99
    assert row["service_level_source"] == "category:Beverages"


def test_demo_plan_orders_ahead_of_planned_promotions():
    tables = replenish.demo_data(skus=40)
    assert "promotions" in tables
    p = replenish.plan(tables)
    promo = p.lines[p.lines["promotion_days"] > 0]
    assert len(promo) >= 3
    assert promo["promotion_uplift"].between(1.2, 2.6).all()
    assert (promo["promotion_extra_demand"] > 0).all()
    assert promo["explanation"].str.contains("Includes a promotion from").all()


def test_promotion_calendar_problems_name_row_and_column(small_dir):
    frames = {n: pd.read_csv(small_dir / f"{n}.csv", dtype=str) for n in ("items", "suppliers", "sales", "inventory")}
    bad = pd.DataFrame({"sku": ["A", "Z"], "location": ["L1", ""], "start": ["2025-03-10", "2025-03-10"], "end": ["2025-03-05", "2025-03-12"]})
    with pytest.raises(replenish.ValidationError) as e:
        replenish.read_tables(**frames, promotions=bad)
    found = [(p["row"], p["column"]) for p in e.value.problems if p["file"].startswith("promotions")]
    assert found == [(2, "end"), (3, "sku")]


def test_demo_plan_orders_ahead_of_holidays():
    tables = replenish.demo_data(skus=40)
    assert {"events", "prices", "weather"} <= set(tables)
    p = replenish.plan(tables)
    ev = p.lines[p.lines["event_days"] > 0]
    assert len(ev) >= 5
    assert ev["explanation"].str.contains("Events in the protection days: black_friday from 2026-11-27").all()
    uplifts = [e["uplift"] for evs in ev["events"] for e in evs if e["name"] == "black_friday" and e["uplift"]]
    assert 1.4 < float(np.median(uplifts)) < 1.8  # the generator's ×1.6


def test_event_price_and_weather_problems_name_row_and_column(small_dir):
    frames = {n: pd.read_csv(small_dir / f"{n}.csv", dtype=str) for n in ("items", "suppliers", "sales", "inventory")}
    events = pd.DataFrame({"date": ["2025-12-24", "2025-12-40"], "name": ["christmas", "x"], "location": ["", "L9"]})
    prices = pd.DataFrame({"sku": ["A", "A"], "start": ["2025-01-01", "2025-02-01"], "price": ["4", "5"]})
    weather = pd.DataFrame({"location": ["L1", "L2"], "date": ["2025-03-01", "2025-03-01"], "temperature": ["8.5", "warm"]})
    with pytest.raises(replenish.ValidationError) as e:
        replenish.read_tables(**frames, events=events, prices=prices, weather=weather)
    found = [(p["file"].split(" ")[0], p["row"], p["column"]) for p in e.value.problems
             if p["file"].split(" ")[0] in ("events", "prices", "weather")]
    assert found == [("events", 3, "date"), ("prices", 3, "start"), ("weather", 3, "temperature")], found


def test_dataset_drivers_feed_a_gbdt_forecast():
    ds = replenish.read_tables(**replenish.demo_data(skus=20, days=400))
    df, X_df = ds.drivers(14)
    assert list(df.columns) == ["unique_id", "ds", "y", "promotion", "discount", "price", "black_friday", "christmas",
                                "harbour_festival", "temperature", "precipitation"]
    assert list(X_df.columns) == ["unique_id", "ds"] + list(df.columns[3:])
    assert len(X_df) == 14 * df["unique_id"].nunique()
    assert df["y"].isna().any()  # stock-out days are missing, not zero
    assert ds.table("weather").columns.tolist() == ["location", "date", "temperature", "precipitation"]
    fc = replenish.forecast(df, h=14, models=[GBDT(season_length=7, n_estimators=150)], X_df=X_df, missing="interpolate")
    on = fc.merge(X_df, on=["unique_id", "ds"])
    on = on[on["promotion"] == 1]
    assert len(on) >= 20
    rel = on["GBDT-effect-promotion"] / (on["GBDT"] - on["GBDT-effect-promotion"])
    assert rel.mean() > 0.2
    # Weather is known two weeks ahead only.
    with pytest.raises(replenish.InputError, match="weather.csv has no row for location `L01` on 2026-11-15"):
        ds.drivers(20)


def test_a_budget_cap_defers_the_least_urgent_lines():
    ds = replenish.read_tables(**replenish.demo_data(skus=30, locations=1))
    free = replenish.plan(ds)
    eur = free.lines[(free.lines.action == "order") & (free.lines.currency == "EUR")]
    total = eur.order_value.sum()
    p = replenish.plan(ds, {"budgets": [{"name": "EUR cap", "currency": "EUR", "amount": total / 2}]})
    assert len(p.deferred) > 0 and set(p.deferred.budget) == {"EUR cap"}
    kept = p.lines[(p.lines.action == "order") & (p.lines.currency == "EUR")].order_value.sum()
    assert kept <= total / 2 + 1e-6
    assert (p.lines.action == "deferred").sum() == len(p.deferred)
    assert p.deferred.reason.str.contains("deferred by budget `EUR cap`").all()


def test_min_cost_with_lost_sales_simulates_the_policy(small_dir):
    # Read as the model says (no coverage correction): the search is bounded by the 99.9% quantile.
    cfg = {"policy": "r_s", "target": "min_cost", "shortage_cost": 5.0, "lost_sales": True, "correct_service": False}
    p = replenish.plan(small_dir, cfg)
    moving = p.lines[p.lines["mean_daily_demand"] > 0]
    assert len(moving) > 0
    assert moving["explanation"].str.contains("least-cost level under lost sales").all()
    # The critical ratio b / (b + h) would ask nearly 100%; the simulated level asks less.
    high = replenish.plan(small_dir, {"policy": "r_s", "service_level": 0.999, "correct_service": False})
    merged = moving.merge(high.lines, on=["sku", "location"], suffixes=("", "_high"))
    assert (merged["order_up_to"] <= merged["order_up_to_high"] + 1e-9).all()


def test_cycle_service_levels_are_read_where_past_coverage_says():
    data = replenish.demo_data()
    corrected = replenish.plan(data).lines
    plain = replenish.plan(data, {"correct_service": False}).lines
    on_errors = corrected["explanation"].str.contains("read at the")
    assert on_errors.mean() > 0.9
    assert not plain["explanation"].str.contains("read at the").any()
    # The line keeps its target; the level moves with the measured coverage.
    assert (corrected["service_level"] == plain["service_level"]).all()
    assert (corrected["order_up_to"] != plain["order_up_to"]).any()
    # The whole level is the smallest that reaches the target: the service it is
    # expected to give is at or above it, and said where whole units lift it.
    for lines in (corrected, plain):
        free = lines[~lines["explanation"].str.contains("Adjusted:")]
        assert (free["expected_service_level"] >= free["service_level"] - 1e-6).all()
        lifted = free["expected_service_level"] > free["service_level"] + 0.005
        assert (lifted == free["explanation"].str.contains("the smallest level that reaches it, the order-up-to level, is expected to give")).all()
    assert 0 < (plain["expected_service_level"] > plain["service_level"] + 0.005).sum() < len(plain)
    # Lost sales: coverage measured by replaying the policy with lost sales; levels
    # covered at least as often, so none is higher and some are lower.
    lost = replenish.plan(data, {"lost_sales": True}).lines
    assert (lost["order_up_to"] <= corrected["order_up_to"] + 1e-9).all()
    assert (lost["order_up_to"] < corrected["order_up_to"]).any()
    with pytest.raises(replenish.ConfigError):
        replenish.plan(data, {"correct_service": "yes"})
    # Fill-rate targets of an order-up-to policy: read where levels served the
    # target's share of the assortment's past demand, the policy replayed on it;
    # of a reorder-point policy: met on the distribution as the coverage values fell.
    fill = {"target": "fill_rate", "fill_rate": 0.95}
    corrected = replenish.plan(data, fill).lines
    plain = replenish.plan(data, {**fill, "correct_service": False}).lines
    replayed = corrected["explanation"].str.contains("the policy replayed with backorders")
    assert replayed.mean() > 0.9
    assert not plain["explanation"].str.contains("the policy replayed|fell out of sample").any()
    assert (corrected["fill_rate_target"] == 0.95).all()
    assert (corrected["order_up_to"] != plain["order_up_to"]).any()
    lost = replenish.plan(data, {**fill, "lost_sales": True}).lines
    assert lost["explanation"].str.contains("the policy replayed with lost sales").mean() > 0.9
    assert (lost["order_up_to"] <= corrected["order_up_to"] + 1e-9).all()
    reorder_point = replenish.plan(data, {**fill, "policy": "s_s"}).lines
    assert reorder_point["explanation"].str.contains("fell out of sample").mean() > 0.9


def test_errors_lines_read_the_assortments_seasonal_profile():
    data = replenish.demo_data()
    seasonal = replenish.plan(data).lines
    plain = replenish.plan(data, {"seasonal_profile": False}).lines
    on_errors = seasonal["safety_stock_method"].str.startswith("errors")
    assert on_errors.sum() > 10
    assert seasonal.loc[on_errors, "safety_stock_method"].str.contains("week of the year profile").all()
    assert not plain["safety_stock_method"].str.contains("profile").any()
    assert (seasonal["order_up_to"] != plain["order_up_to"]).any()
    with pytest.raises(replenish.ConfigError):
        replenish.plan(data, {"seasonal_profile": "yes"})
