"""Bad input raises typed exceptions carrying every located problem."""

import pandas as pd
import pytest

import replenish
from conftest import FIXTURES, expected_problems


def test_exception_hierarchy():
    for cls in (replenish.ValidationError, replenish.ConfigError, replenish.InputError, replenish.FileError):
        assert issubclass(cls, replenish.ReplenishError)
    assert issubclass(replenish.ReplenishError, Exception)


@pytest.mark.parametrize("name", ["bad_quantity", "unknown_sku", "negative_lead_time"])
def test_bad_fixtures_raise_validation_error_with_location(name):
    with pytest.raises(replenish.ValidationError) as info:
        replenish.plan(FIXTURES / name)
    got = info.value.problems
    want = expected_problems(name)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g["file"].endswith(w["file"])
        assert (g["row"], g["column"], g["kind"]) == (w["row"], w["column"], w["kind"])
    assert info.value.code == "VALIDATION"
    assert "problem" in str(info.value)


def test_dataframe_problems_give_the_frame_index(small_dir):
    frames = {n: pd.read_csv(small_dir / f"{n}.csv", dtype=str, keep_default_na=False) for n in replenish.TABLES if (small_dir / f"{n}.csv").exists()}
    frames["sales"].loc[3, "quantity"] = "seven"
    with pytest.raises(replenish.ValidationError) as info:
        replenish.plan(frames)
    (p,) = info.value.problems
    assert p["file"] == "sales (DataFrame)"
    assert (p["row"], p["index"], p["column"], p["kind"]) == (5, 3, "quantity", "invalid_number")


def test_every_problem_is_reported_not_only_the_first(small_dir):
    frames = {n: pd.read_csv(small_dir / f"{n}.csv", dtype=str, keep_default_na=False) for n in replenish.TABLES if (small_dir / f"{n}.csv").exists()}
    frames["sales"].loc[0, "quantity"] = "x"
    frames["sales"].loc[1, "sku"] = "NOPE"
    frames["suppliers"].loc[0, "moq"] = "-3"
    with pytest.raises(replenish.ValidationError) as info:
        replenish.plan(frames)
    kinds = sorted((p["file"].split(" ")[0], p["kind"]) for p in info.value.problems)
    assert kinds == [("sales", "invalid_number"), ("sales", "unknown_reference"), ("suppliers", "out_of_range")]


def test_config_errors_name_the_field(small_dir):
    with pytest.raises(replenish.ConfigError) as info:
        replenish.plan(small_dir, {"service_level": 1.2})
    assert info.value.field == "service_level"
    with pytest.raises(replenish.ConfigError):
        replenish.plan(small_dir, {"no_such_option": 1})


def test_input_errors(small_dir):
    with pytest.raises(replenish.InputError):
        replenish.plan({"items": None})
    with pytest.raises(replenish.InputError):
        replenish.plan(42)
    with pytest.raises(replenish.FileError):
        replenish.read_folder(small_dir / "does-not-exist")
    with pytest.raises(replenish.InputError):
        replenish.demo_data(skus=0)


def test_column_mapping_from_python(small_dir):
    sales = pd.read_csv(small_dir / "sales.csv", dtype=str, keep_default_na=False).rename(columns={"quantity": "Qty", "date": "Day"})
    frames = {n: pd.read_csv(small_dir / f"{n}.csv", dtype=str, keep_default_na=False) for n in replenish.TABLES if (small_dir / f"{n}.csv").exists()}
    frames["sales"] = sales
    with pytest.raises(replenish.ValidationError) as info:
        replenish.plan(frames)
    assert {p["kind"] for p in info.value.problems} == {"missing_column"}
    ingest = {"tables": {"sales": {"rename": {"Qty": "quantity", "Day": "date"}}}}
    p = replenish.plan(frames, ingest=ingest)
    assert len(p.lines) == 4


def _weekly_sales(extra=()):
    first = pd.Timestamp("2024-09-02")
    rows = [{"date": (first + pd.Timedelta(days=7 * w)).strftime("%Y-%m-%d"), "sku": "A", "location": "L1",
             "quantity": 70 + 7 * (w % 2)} for w in range(26)]
    return pd.DataFrame(rows + list(extra))


def test_weekly_sales_are_read_as_weeks_and_stray_dates_are_located(small_dir):
    frames = {n: pd.read_csv(small_dir / f"{n}.csv", dtype=str, keep_default_na=False) for n in replenish.TABLES if (small_dir / f"{n}.csv").exists()}
    frames["sales"] = _weekly_sales()
    ds = replenish.read_tables(**frames)
    report = ds.report
    assert report["frequency"] == "weekly"
    assert any("sales are weekly (inferred from the dates; dated on Mondays" in n for n in report["notes"])
    lines = replenish.plan(ds).lines
    a = lines[(lines.sku == "A") & (lines.location == "L1")].iloc[0]
    assert 8 < a.mean_daily_demand < 13  # a week's 70-77 units over its 7 days
    # Declared daily, the weeks are single days of sales.
    daily = replenish.read_tables(**frames, ingest={"frequency": "daily"})
    assert daily.report["frequency"] == "daily"
    frames["sales"] = _weekly_sales([{"date": "2024-12-04", "sku": "A", "location": "L1", "quantity": 5}])
    with pytest.raises(replenish.ValidationError) as info:
        replenish.read_tables(**frames)
    (p,) = [p for p in info.value.problems if p["kind"] == "invalid_date"]
    assert (p["index"], p["column"]) == (26, "date")
    assert "2024-12-04 (Wednesday) does not fit" in p["message"] and "Mondays" in p["message"]
