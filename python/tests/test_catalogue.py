"""The catalogue of bad inputs (tests/catalogue/catalogue.json) through the Python
package: every entry gets the same typed error or documented treatment as in Rust
(crates/replenish/tests/catalogue.rs) and Node (node/test/catalogue.test.js)."""

import json
import math

import numpy as np
import pandas as pd
import pytest

import replenish
from conftest import FIXTURES, REPO

CATALOGUE = json.loads((REPO / "tests" / "catalogue" / "catalogue.json").read_text())
TABLES = ["items", "suppliers", "sales", "inventory", "open_orders", "stockouts", "stock_history"]


def edited(text, edit):
    """One table's CSV after the entry's edits (str, or bytes for latin1); None = dropped."""
    if edit.get("drop"):
        return None
    t = edit["text"] if "text" in edit else text
    for a, b in edit.get("replace", []):
        t = t.replace(a, b)
    if edit.get("reverse_rows"):
        lines = t.splitlines()
        t = "\n".join([lines[0]] + lines[1:][::-1]) + "\n"
    t += edit.get("append", "")
    if edit.get("bom"):
        t = "\ufeff" + t
    if edit.get("latin1"):
        return t.encode("latin-1")
    return t.encode("utf-8")


def fixture_tables():
    return {name: (FIXTURES / "small" / f"{name}.csv").read_text() for name in TABLES}


def plan_of(tables):
    ds = replenish.read_tables(**tables)
    p = replenish.plan(ds)
    d = p.to_dict()
    return json.dumps([d["lines"], d["purchase_orders"]], sort_keys=True), ds.report


BASELINE = plan_of({k: v.encode() for k, v in fixture_tables().items()})[0]


@pytest.mark.parametrize("entry", CATALOGUE["tables"], ids=lambda e: e["id"])
def test_every_bad_table_gets_its_error_or_its_treatment(entry):
    tables = {k: v.encode() for k, v in fixture_tables().items()}
    for name, edit in entry["edit"].items():
        tables[name] = edited(fixture_tables()[name], edit)
    tables = {k: v for k, v in tables.items() if v is not None}
    expect = entry["expect"]
    if "error" in expect:
        with pytest.raises(replenish.ReplenishError) as info:
            replenish.read_tables(**{t: tables.get(t) for t in TABLES})
        assert info.value.code == expect["error"], str(info.value)
        got = sorted(json.dumps({"table": p["file"].rsplit("/", 1)[-1].removesuffix(".csv"), "row": p["row"],
                                 "column": p["column"], "kind": p["kind"]}, sort_keys=True) for p in info.value.problems)
        want = sorted(json.dumps(p, sort_keys=True) for p in expect["problems"])
        assert got == want, str(info.value)
    else:
        got, report = plan_of(tables)
        assert (got == BASELINE) == (expect["plan"] == "same_as_fixture"), entry["id"]
        for key in ("sales_lines", "return_lines"):
            if key in expect:
                assert report[key] == expect[key]
        if "note" in expect:
            assert any(expect["note"] in n for n in report["notes"]), report["notes"]


@pytest.mark.parametrize("entry", CATALOGUE["series"], ids=lambda e: e["id"])
def test_every_bad_series_gets_its_error_or_finite_forecasts(entry):
    y = np.array([math.nan if v is None else v for v in entry["y"]], dtype="float64")
    df = pd.DataFrame({"unique_id": ["s"] * len(y), "ds": np.arange(len(y)), "y": y})
    if "promotion" in entry:
        df["promotion"] = np.asarray(entry["promotion"], dtype="float64")
    expect = entry["expect"]
    if "long_format" in entry:  # what a long frame does instead (it cannot hold an empty series)
        out = replenish.forecast(df, h=7, models=entry["models"])
        assert len(out) == entry["long_format"]["rows"]
        return
    for model in entry["models"]:
        call = lambda: replenish.forecast(df, h=7, models=[model], season_length=entry.get("season_length", 1))  # noqa: E731
        if "error" in expect:
            with pytest.raises(replenish.ReplenishError) as info:
                call()
            assert info.value.code == expect["error"], f"{model}: {info.value}"
        else:
            out = call()
            cols = [c for c in out.columns if c not in ("unique_id", "ds")]
            assert np.isfinite(out[cols].to_numpy()).all(), (model, out)
            if "equals" in expect:
                np.testing.assert_allclose(out[model].to_numpy(), expect["equals"], atol=1e-9)


def test_a_plan_keeps_every_invariant():
    p = replenish.plan(replenish.read_tables(**{k: v.encode() for k, v in fixture_tables().items()}))
    assert p.violations() == []
