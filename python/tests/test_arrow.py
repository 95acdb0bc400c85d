"""Arrow and numpy input without copies: pyarrow tables, Arrow stream objects
(``__arrow_c_stream__``), Arrow-backed pandas and polars frames give the same results
as numpy-backed pandas, and numeric columns reach the core as views of their buffers."""

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import replenish
from replenish import forecasting as fc


def long_frame(n_series=4, n=60):
    rng = np.random.default_rng(3)
    ids = np.repeat([f"s{k}" for k in range(n_series)], n)
    ds = np.tile(pd.date_range("2025-01-01", periods=n).to_numpy(), n_series)
    y = rng.poisson(4.0, n_series * n).astype("float64")
    y[::17] = 0.0
    return pd.DataFrame({"unique_id": ids, "ds": ds, "y": y, "price": rng.uniform(1, 2, n_series * n)})


class StreamOnly:
    """An object that offers nothing but the Arrow PyCapsule stream interface."""

    def __init__(self, table):
        self._table = table

    def __arrow_c_stream__(self, requested_schema=None):
        return self._table.__arrow_c_stream__(requested_schema)


def y_buffer(table):
    chunk = table.column("y").chunk(0)
    return np.frombuffer(chunk.buffers()[1], dtype="float64", count=len(chunk), offset=chunk.offset * 8)


def test_every_kind_of_frame_reads_its_numeric_columns_in_place():
    table = pa.Table.from_pandas(long_frame(), preserve_index=False)
    buf = y_buffer(table)
    frames = {
        "pyarrow": fc._input(table),
        "stream": fc._input(StreamOnly(table)),
        "polars": pl.from_arrow(table),
        "pandas[pyarrow]": table.to_pandas(types_mapper=pd.ArrowDtype),
    }
    for name, df in frames.items():
        ids, offsets, y, ds, order = fc._panel(df, "unique_id", "ds", "y")
        assert np.shares_memory(fc._f8(y), buf), name  # the sorted frame's y is not copied
        assert ids == ["s0", "s1", "s2", "s3"] and offsets == [0, 60, 120, 180, 240]
    # numpy-backed pandas: the column's own array
    df = long_frame()
    _, _, y, _, _ = fc._panel(df, "unique_id", "ds", "y")
    assert np.shares_memory(fc._f8(y), df["y"].to_numpy())


def test_an_unsorted_frame_is_sorted_into_a_copy_and_the_input_is_untouched():
    df = long_frame().sample(frac=1.0, random_state=1).reset_index(drop=True)
    before = df.copy()
    ids, offsets, y, ds, order = fc._panel(df, "unique_id", "ds", "y")
    assert not np.shares_memory(y, df["y"].to_numpy())
    pd.testing.assert_frame_equal(df, before)
    assert all(np.all(np.diff(ds[a:b].astype("int64")) > 0) for a, b in zip(offsets[:-1], offsets[1:]))


def test_arrow_tables_and_streams_forecast_like_pandas_and_come_back_as_arrow():
    df = long_frame()
    table = pa.Table.from_pandas(df, preserve_index=False)
    want = replenish.forecast(df, h=7, models=["AutoETS", "CrostonSBA"], level=[80])
    for given in (table, StreamOnly(table), table.to_pandas(types_mapper=pd.ArrowDtype)):
        got = replenish.forecast(given, h=7, models=["AutoETS", "CrostonSBA"], level=[80])
        as_pd = got.to_pandas() if isinstance(got, pa.Table) else got
        if isinstance(given, pd.DataFrame):
            assert isinstance(got, pd.DataFrame)
        else:
            assert isinstance(got, pa.Table)
        pd.testing.assert_frame_equal(as_pd.reset_index(drop=True), want.reset_index(drop=True), check_exact=True,
                                      check_dtype=False)


def test_arrow_regressors_cross_validation_and_evaluation():
    df = long_frame()
    h = 5
    hist = df.groupby("unique_id").head(55).reset_index(drop=True)
    fut = df.groupby("unique_id").tail(h)[["unique_id", "ds", "price"]].reset_index(drop=True)
    want = replenish.forecast(hist, h=h, models=["AutoARIMA"], X_df=fut)
    got = replenish.forecast(pa.Table.from_pandas(hist, preserve_index=False), h=h, models=["AutoARIMA"],
                             X_df=pa.Table.from_pandas(fut, preserve_index=False))
    np.testing.assert_array_equal(got.column("AutoARIMA").to_numpy(), want["AutoARIMA"].to_numpy())

    plain = df[["unique_id", "ds", "y"]]
    cv_pd = replenish.cross_validation(plain, h=h, n_windows=2, models=["SeasonalNaive"], season_length=7)
    cv_pa = replenish.cross_validation(pa.Table.from_pandas(plain, preserve_index=False), h=h, n_windows=2,
                                       models=["SeasonalNaive"], season_length=7)
    assert isinstance(cv_pa, pa.Table)
    np.testing.assert_array_equal(cv_pa.column("SeasonalNaive").to_numpy(), cv_pd["SeasonalNaive"].to_numpy())
    scores = replenish.evaluate(cv_pa, pa.Table.from_pandas(plain, preserve_index=False), metrics=["mae"],
                                season_length=7)
    assert isinstance(scores, pa.Table)
    want_scores = replenish.evaluate(cv_pd, plain, metrics=["mae"], season_length=7)
    np.testing.assert_array_equal(scores.column("SeasonalNaive").to_numpy(), want_scores["SeasonalNaive"].to_numpy())

    classes = replenish.classify(pa.Table.from_pandas(plain, preserve_index=False))
    assert isinstance(classes, pa.Table) and classes.num_rows == 4


def test_results_are_numpy_arrays_the_core_hands_over():
    ds = replenish.read_tables(**replenish.demo_data(skus=5, locations=1, days=60))
    df, x_df = ds.drivers(7)
    y = df["y"].to_numpy()
    assert y.dtype == np.float64
    # A view of the core's buffer, not a numpy-allocated copy of bytes.
    raw = ds._inner.drivers(7)[2]
    assert isinstance(raw, np.ndarray) and not raw.flags.owndata and raw.base is not None


def test_tables_for_a_plan_can_be_pyarrow():
    tables = replenish.demo_data(skus=8, locations=2, days=120)
    want = replenish.plan(replenish.read_tables(**tables))
    arrow = {k: pa.Table.from_pandas(v, preserve_index=False) for k, v in tables.items()}
    got = replenish.plan(replenish.read_tables(**arrow))
    pd.testing.assert_frame_equal(got.lines, want.lines, check_exact=True)
    pd.testing.assert_frame_equal(got.purchase_orders, want.purchase_orders, check_exact=True)


def test_what_is_not_a_table_is_an_input_error():
    with pytest.raises(replenish.InputError, match="pandas, polars or pyarrow"):
        replenish.forecast([1, 2, 3], h=2, models=["Naive"])
    assert replenish.mae(np.arange(10.0)[::2], np.arange(5.0)) == 2.0  # a strided view is made contiguous
    from replenish import _replenish

    with pytest.raises(replenish.InputError, match="`y`|y: the array is not contiguous"):
        _replenish.metric("mae", np.arange(10.0)[::2], np.arange(5.0))


@pytest.mark.parametrize("kind", ["object", "str", "polars", "pyarrow"])
def test_a_missing_id_is_an_error_not_a_series_named_none(kind):
    ids = pd.Series(["a", None, "a"], dtype=object if kind == "object" else "str")
    df = pd.DataFrame({"unique_id": ids, "ds": [0, 1, 2], "y": [1.0, 2.0, 3.0]})
    given = {"polars": lambda: pl.from_pandas(df), "pyarrow": lambda: pa.Table.from_pandas(df, preserve_index=False)}.get(
        kind, lambda: df)()
    with pytest.raises(replenish.InputError, match="missing id at row 1"):
        replenish.forecast(given, h=1, models=["Naive"])


def test_a_table_of_several_chunks_is_read_whole():
    a = pa.table({"unique_id": ["b", "b", "a"], "ds": [0, 1, 0], "y": [1.0, 2.0, 3.0]})
    b = pa.table({"unique_id": ["a", "c", "c"], "ds": [1, 0, 1], "y": [4.0, 5.0, 6.0]})
    table = pa.concat_tables([a, b])
    assert table.column("unique_id").num_chunks == 2
    got = replenish.forecast(table, h=1, models=["Naive"]).to_pandas()
    assert list(got["unique_id"]) == ["a", "b", "c"] and list(got["Naive"]) == [4.0, 2.0, 6.0]


def test_integer_ids_keep_the_text_order_of_their_series():
    df = pd.DataFrame({"unique_id": [10, 10, 2, 2, 1, 1], "ds": [1, 0, 0, 1, 1, 0], "y": [1.0, 2, 3, 4, 5, 6]})
    out = replenish.forecast(df, h=1, models=["Naive"])
    assert list(out["unique_id"]) == ["1", "10", "2"] and list(out["Naive"]) == [5.0, 1.0, 4.0]
