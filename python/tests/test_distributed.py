"""Spark (local[2]) and Dask (a local distributed cluster) give the single-process
forecasts and plans on the demo data, bit for bit."""

import json
import logging
import os
import shutil
import sys

import pandas as pd
import pytest

import replenish
import replenish.distributed as rd
from replenish.models import ARIMA

pytestmark = [
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
]

MODELS = ["AutoETS", "CrostonSBA", "TSB", "ADIDA", "SeasonalNaive"]


@pytest.fixture(scope="module")
def tables():
    # Two years: the seasonal profile is in use, so the parts share its counts.
    t = replenish.demo_data(skus=40, days=730)
    # The snapshot of a third of the SKUs a day older: the plan date is still the
    # latest, which the parts holding only older SKUs cannot know alone.
    inv = t["inventory"].copy()
    day = pd.Timestamp(inv["as_of"].iloc[0]) - pd.Timedelta(days=1)
    inv.loc[rd._bucket(inv["sku"].to_numpy(), 3) == 0, "as_of"] = day.strftime("%Y-%m-%d")
    t["inventory"] = inv
    return t


@pytest.fixture(scope="module")
def whole(tables):
    return replenish.plan(tables)


@pytest.fixture(scope="module")
def demand(tables):
    return replenish.read_tables(**tables).drivers(7)


def same_plan(a, b):
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)
    pd.testing.assert_frame_equal(a.lines, b.lines, check_exact=True)
    pd.testing.assert_frame_equal(a.purchase_orders, b.purchase_orders, check_exact=True)


def sorted_frame(df):
    return df.sort_values(["unique_id", "ds"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (install a JDK 17 or set JAVA_HOME)")
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("replenish-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
               .config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_split_series_keeps_series_whole(demand):
    df, _ = demand
    parts = rd.split_series(df, 5)
    assert sum(len(p) for p in parts) == len(df)
    owners = {}
    for k, p in enumerate(parts):
        for uid in p["unique_id"].unique():
            assert owners.setdefault(uid, k) == k
    with pytest.raises(replenish.InputError):
        rd.split_series(df, 0)


def test_the_split_steps_by_hand_give_the_whole_plan(tables, whole):
    """The four steps with pandas parts on one machine (what the helpers distribute)."""
    n = 3
    parts = []
    for k in range(n):
        part = {}
        for name, df in tables.items():
            if name in rd.SKU_TABLES:
                part[name] = rd._csv(df[rd._bucket(df["sku"].to_numpy(), n) == k])
            else:
                part[name] = rd._csv(df)
        parts.append(part)
    stats = [rd.part_stats(k, p, {}) for k, p in enumerate(parts)]
    globals_json, cfg = rd.merge_stats(stats, {})
    # The parts' snapshots differ (one SKU a day older): the merge sets the latest date.
    assert globals_json is None and cfg["as_of"] == whole.as_of
    stats = [rd.part_stats(k, p, cfg) for k, p in enumerate(parts)]
    globals_json, cfg = rd.merge_stats(stats, cfg)
    # With a seasonal profile the parts measure their coverage again with the whole
    # assortment's counts; merging without them is an error naming the field.
    assert globals_json is None and len(cfg["season_counts"]["periods"]) == 52
    with pytest.raises(replenish.ConfigError) as e:
        rd._replenish.plan_globals(stats, json.dumps({"as_of": cfg["as_of"]}))
    assert e.value.field == "season_counts"
    stats = [rd.part_stats(k, p, cfg) for k, p in enumerate(parts)]
    globals_json, cfg = rd.merge_stats(stats, cfg)
    # The parts' out-of-sample coverage values add up in the merge.
    merged = json.loads(globals_json)["coverage"]["classes"]
    assert sum(sum(c["bins"].values()) for c in merged.values()) > 0
    lines = [rd.part_lines(k, p, cfg, globals_json) for k, p in enumerate(parts)]
    split = rd.finish(lines[::-1], {"items": tables["items"], "suppliers": tables["suppliers"]}, cfg, globals_json)
    same_plan(split, whole)
    # Its e-mails work from the master data; its report needs the whole dataset.
    assert split.emails("buyer@example.com", "2026-11-01", skip_missing=True) == \
        whole.emails("buyer@example.com", "2026-11-01", skip_missing=True)
    with pytest.raises(replenish.InputError, match="computed in parts"):
        split.report()


def test_dask_plan_is_the_single_process_plan(dask_client, tables, whole):
    import dask.dataframe as dd

    dtables = {k: (dd.from_pandas(v, npartitions=3) if k in rd.SKU_TABLES else v) for k, v in tables.items()}
    same_plan(rd.plan_dask(dtables, partitions=4), whole)
    # Pandas SKU tables are accepted too; the rules and configuration go through.
    cfg = {"service_level": 0.9, "review_period_days": 14}
    same_plan(rd.plan_dask(tables, cfg, partitions=3), replenish.plan(tables, cfg))


def test_dask_forecast_is_the_single_process_forecast(dask_client, demand):
    import dask.dataframe as dd

    df, x_df = demand
    y = df[["unique_id", "ds", "y"]].fillna(0.0)
    expected = replenish.forecast(y, 7, MODELS, season_length=7, level=[80], quantiles=[0.9])
    got = rd.forecast_dask(dd.from_pandas(y, npartitions=3), 7, MODELS, season_length=7, level=[80],
                           quantiles=[0.9], partitions=4).compute()
    pd.testing.assert_frame_equal(sorted_frame(got), expected, check_exact=True)
    # With regressors: the future drivers are shuffled the same way.
    yx = df[["unique_id", "ds", "y", "price"]].fillna(0.0)
    model = ARIMA(order=(1, 0, 0))
    expected = replenish.forecast(yx, 7, [model], X_df=x_df[["unique_id", "ds", "price"]], level=[80])
    got = rd.forecast_dask(dd.from_pandas(yx, npartitions=2), 7, [model], level=[80], partitions=3,
                           X_df=dd.from_pandas(x_df[["unique_id", "ds", "price"]], npartitions=2)).compute()
    pd.testing.assert_frame_equal(sorted_frame(got), expected, check_exact=True)


def test_spark_plan_is_the_single_process_plan(spark, tables, whole):
    stables = {k: (spark.createDataFrame(v) if k in rd.SKU_TABLES else v) for k, v in tables.items()}
    same_plan(rd.plan_spark(stables, partitions=4), whole)
    with pytest.raises(replenish.InputError, match="unknown table"):
        rd.plan_spark({**stables, "salse": tables["sales"]})


def test_spark_forecast_is_the_single_process_forecast(spark, demand):
    df, x_df = demand
    y = df[["unique_id", "ds", "y"]].fillna(0.0)
    expected = replenish.forecast(y, 7, MODELS, season_length=7, level=[80], quantiles=[0.9])
    got = rd.forecast_spark(spark.createDataFrame(y), 7, MODELS, season_length=7, level=[80], quantiles=[0.9],
                            partitions=4).toPandas()
    pd.testing.assert_frame_equal(sorted_frame(got), expected, check_exact=True, check_dtype=False)
    assert got["ds"].dtype.kind == "M" and got["AutoETS"].dtype == "float64"
    yx = df[["unique_id", "ds", "y", "price"]].fillna(0.0)
    model = ARIMA(order=(1, 0, 0))
    expected = replenish.forecast(yx, 7, [model], X_df=x_df[["unique_id", "ds", "price"]], level=[80])
    got = rd.forecast_spark(spark.createDataFrame(yx), 7, [model], level=[80], partitions=3,
                            X_df=spark.createDataFrame(x_df[["unique_id", "ds", "price"]])).toPandas()
    pd.testing.assert_frame_equal(sorted_frame(got), expected, check_exact=True, check_dtype=False)
