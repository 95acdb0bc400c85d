"""Forecasts and plans on a cluster: Spark (``groupBy(...).applyInPandas``) and Dask
(``map_partitions`` over a shuffle), with the same numbers as one process.

Forecasts partition by series id: each task forecasts whole series with
:func:`replenish.forecast`, and since sample paths are seeded by series id, a series
gets the same numbers in any partition. Plans partition by SKU (every location of a
SKU in one part) and run in the core's four steps (``docs/python.md``, "Spark and
Dask"): each part's statistics, their merge on the driver (planning date, ABC
classes, category uplifts), each part's lines, and supplier minimums, budgets and
purchase orders over all lines on the driver. The result is the single-process
:class:`replenish.Plan`, bit for bit.

Neither Spark nor Dask is imported until a helper is called; install
``replenish[spark]`` or ``replenish[dask]``.

>>> import pandas as pd, replenish.distributed as rd
>>> df = pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 4, "ds": list(pd.date_range("2025-01-01", periods=4)) * 2,
...                    "y": [1.0, 2, 3, 4, 5, 5, 5, 5]})
>>> parts = rd.split_series(df, 2)
>>> sorted(len(p) for p in parts)
[4, 4]
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from . import _replenish

#: Tables split by SKU: each part holds the rows of its SKUs.
SKU_TABLES = ("suppliers", "sales", "inventory", "open_orders", "stockouts", "stock_history", "promotions", "prices",
              "receipts")
#: Tables every part gets whole: the item master, events and weather.
SHARED_TABLES = ("items", "events", "weather")
_PART = "_replenish_part"


def _bucket(values: Any, n: int) -> np.ndarray:
    """The part of each key: a stable hash of its text, modulo ``n``."""
    keys = pd.Series(values, copy=False).astype(str)
    return (pd.util.hash_pandas_object(keys, index=False).to_numpy() % np.uint64(n)).astype(np.int64)


def split_series(df: Any, n: int, *, id_col: str = "unique_id") -> List[Any]:
    """``df`` cut into ``n`` frames, each series whole in one of them (by a stable
    hash of its id). Some may be empty."""
    if n < 1:
        raise _replenish.InputError(f"the number of parts must be at least 1, not {n}")
    part = _bucket(df[id_col].to_numpy(), n)
    return [df[part == k] for k in range(n)]


def _sku_column(table: str, ingest: Optional[Mapping[str, Any]]) -> str:
    """The column of ``table`` that the ingest mapping reads as ``sku``."""
    rename = ((ingest or {}).get("tables", {}).get(table) or {}).get("rename", {})
    for source, canonical in rename.items():
        if canonical == "sku":
            return source
    return "sku"


def _csv(df: Any) -> bytes:
    from . import _to_csv_bytes

    return _to_csv_bytes(df)


# --- the steps of a part, the same on every engine -----------------------------------


def _ingest_json(ingest: Optional[Mapping[str, Any]]) -> str:
    return json.dumps({**dict(ingest or {}), "part": True}, default=str)


def _read_part(part: int, tables: Mapping[str, bytes], ingest: Optional[Mapping[str, Any]]) -> Any:
    labelled = {name: (f"{name} (part {part})", data) for name, data in tables.items()}
    return _replenish.read_tables(labelled, _ingest_json(ingest))


def part_stats(part: int, tables: Mapping[str, bytes], config: Mapping[str, Any],
               ingest: Optional[Mapping[str, Any]] = None) -> Optional[str]:
    """Step 1 on one part (CSV bytes by table name): its ``PlanStats`` as JSON, or
    ``None`` when the part cannot tell the planning date (no ``as_of`` set and no
    inventory rows); the driver then sets it and asks again."""
    ds = _read_part(part, tables, ingest)
    if "as_of" not in config:
        files = json.loads(ds.report_json())["files"]
        if not any(f["file"].startswith("inventory") and f["rows_accepted"] > 0 for f in files):
            return None
    return _replenish.plan_stats(ds, json.dumps(dict(config), default=str))


def part_lines(part: int, tables: Mapping[str, bytes], config: Mapping[str, Any], globals_json: str,
               ingest: Optional[Mapping[str, Any]] = None) -> str:
    """Step 3 on one part: its plan lines as a JSON array."""
    ds = _read_part(part, tables, ingest)
    return _replenish.plan_lines(ds, globals_json, json.dumps(dict(config), default=str))


def merge_stats(stats: Iterable[Optional[str]], config: Mapping[str, Any]) -> Tuple[Optional[str], Dict[str, Any]]:
    """Step 2 on the driver: the ``PlanGlobals`` JSON and the configuration with its
    planning date set, or ``(None, config)`` when step 1 must run again with the
    returned configuration: the parts disagree on the date or could not tell it,
    or (with a seasonal profile) their coverage needs the whole assortment's
    ``season_counts``."""
    stats = list(stats)
    known = [json.loads(s)["as_of"] for s in stats if s is not None]
    if "as_of" in config or (known and all(s is not None for s in stats) and len(set(known)) == 1):
        cfg = dict(config)
        given = [s for s in stats if s is not None]
        cfg_json = json.dumps(cfg, default=str)
        # With a seasonal profile every part measures its coverage with the whole
        # assortment's: step 1 runs again with the merged counts.
        counts = _replenish.season_counts_to_share(given, cfg_json)
        if counts is not None:
            return None, {**cfg, "season_counts": json.loads(counts)}
        return _replenish.plan_globals(given, cfg_json), cfg
    if not known:
        raise _replenish.InputError("no planning date: set `as_of` or give an inventory snapshot")
    # As in one process: the latest inventory snapshot of all parts.
    return None, {**dict(config), "as_of": max(known)}


def finish(lines: Iterable[str], master: Mapping[str, Any], config: Mapping[str, Any], globals_json: str,
           ingest: Optional[Mapping[str, Any]] = None, *, polars: bool = False) -> Any:
    """Step 4 on the driver: the :class:`replenish.Plan` of every part's lines, with
    the ``items`` and ``suppliers`` tables (pandas/polars frames or CSV)."""
    from . import Dataset, _plan_result

    tables = {name: (f"{name} (DataFrame)", _csv(master[name])) for name in ("items", "suppliers")}
    ingest_json = json.dumps(dict(ingest or {}), default=str)
    master_ds = Dataset(_replenish.read_master(tables, ingest_json), polars)
    cfg = json.dumps(dict(config), default=str)
    inner = _replenish.finish_plan(list(lines), master_ds._inner, globals_json, cfg)
    return _plan_result(inner, None, dict(config), polars, master_ds)


def _config(config: Optional[Mapping[str, Any]], rules: Any) -> Dict[str, Any]:
    from . import _plan_config

    return _plan_config(config, rules)


def _check_tables(tables: Mapping[str, Any]) -> None:
    unknown = set(tables) - set(SKU_TABLES) - set(SHARED_TABLES)
    if unknown:
        raise _replenish.InputError(f"unknown table(s) {sorted(unknown)}: expected {', '.join(SHARED_TABLES + SKU_TABLES)}")
    missing = [t for t in ("items", "suppliers", "sales", "inventory") if t not in tables]
    if missing:
        raise _replenish.InputError(f"missing table(s) {missing}")


def _stats_step(k: int, tables: Dict[str, bytes], *, config: Dict[str, Any],
                ingest: Optional[Mapping[str, Any]]) -> Optional[str]:
    return part_stats(k, tables, config, ingest)


def _plan_steps(run_parts: Callable[[Callable[[int, Dict[str, bytes]], Optional[str]]], List[Optional[str]]],
                master: Mapping[str, Any], config: Dict[str, Any], ingest: Optional[Mapping[str, Any]],
                polars: bool) -> Any:
    """The four steps, ``run_parts(f)`` mapping ``f(part, tables)`` over the parts."""
    cfg = config
    # At most three rounds: the planning date, then the seasonal counts.
    for _ in range(3):
        stats = run_parts(functools.partial(_stats_step, config=cfg, ingest=ingest))
        globals_json, cfg = merge_stats(stats, cfg)
        if globals_json is not None:
            break
    if globals_json is None:  # pragma: no cover - the third round has its date and counts set
        raise _replenish.InternalError("the parts did not agree on a planning date or seasonal counts")
    lines = run_parts(lambda k, t: part_lines(k, t, cfg, globals_json, ingest))
    return finish([x for x in lines if x is not None], master, cfg, globals_json, ingest, polars=polars)


# --- Spark -------------------------------------------------------------------------


def _spark_default_parts(sdf: Any) -> int:
    return max(1, 2 * sdf.sparkSession.sparkContext.defaultParallelism)


def _spark_schema(probe: Any, sdf: Any, id_col: str, time_col: str) -> Any:
    from pyspark.sql import types as T

    fields = []
    for c in probe.columns:
        if c == id_col:
            fields.append(T.StructField(c, sdf.schema[id_col].dataType, True))
        elif c == time_col:
            src = sdf.schema[time_col].dataType
            fields.append(T.StructField(c, src if not isinstance(src, T.DateType) else T.TimestampType(), True))
        else:
            fields.append(T.StructField(c, T.DoubleType(), True))
    return T.StructType(fields)


def forecast_spark(sdf: Any, h: int, models: Sequence[Any], season_length: int = 1, level: Optional[Sequence[float]] = None,
                   quantiles: Optional[Sequence[float]] = None, *, X_df: Any = None, partitions: Optional[int] = None,
                   id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y", **options: Any) -> Any:
    """:func:`replenish.forecast` of a Spark DataFrame in long format, series whole in
    each task (``groupBy(part).applyInPandas``, with ``X_df`` cogrouped). Returns a
    Spark DataFrame with the columns :func:`replenish.forecast` returns; ``options``
    are its keyword arguments (``freq``, ``fallback``, ``seed``...). Global models
    (GBDT) learn from the series of each part only."""
    from pyspark.sql import functions as F

    from .forecasting import forecast

    n = partitions or _spark_default_parts(sdf)
    kw = dict(season_length=season_length, level=level, quantiles=quantiles, id_col=id_col, time_col=time_col,
              target_col=target_col, progress=False, **options)

    def run(pdf: Any) -> Any:
        return forecast(pdf.drop(columns=[_PART]), h, models, **kw) if len(pdf) else empty

    def run_x(pdf: Any, xdf: Any) -> Any:
        if len(pdf) == 0:
            return empty
        return forecast(pdf.drop(columns=[_PART]), h, models, X_df=xdf.drop(columns=[_PART]), **kw)

    # The first series, forecast on the driver, checks the arguments and gives the schema.
    first = sdf.select(id_col).limit(1).collect()
    if not first:
        raise _replenish.InputError("the DataFrame has no rows")
    one = sdf.filter(F.col(id_col) == first[0][0]).toPandas()
    x_one = None if X_df is None else X_df.filter(F.col(id_col) == first[0][0]).toPandas()
    empty = forecast(one, h, models, X_df=x_one, **kw).iloc[:0]
    schema = _spark_schema(empty, sdf, id_col, time_col)
    part = F.pmod(F.xxhash64(F.col(id_col).cast("string")), F.lit(n))
    grouped = sdf.withColumn(_PART, part).groupBy(_PART)
    if X_df is None:
        return grouped.applyInPandas(run, schema)
    return grouped.cogroup(X_df.withColumn(_PART, part).groupBy(_PART)).applyInPandas(run_x, schema)


def _packer(name: str) -> Callable[[Any], Any]:
    """A task turning one part's rows of table ``name`` into one row of CSV text."""

    def pack(pdf: Any) -> Any:
        k = int(pdf[_PART].iloc[0])
        body = _csv(pdf.drop(columns=[_PART]))
        return pd.DataFrame({_PART: [k], "table": [name], "csv": [body.decode("utf-8")]})

    return pack


def _spark_pack(tables: Mapping[str, Any], ingest: Optional[Mapping[str, Any]], n: int) -> Any:
    """One Spark DataFrame of (part, table, csv): each SKU table's rows of each part."""
    from pyspark.sql import functions as F

    packed = None
    for name in SKU_TABLES:
        sdf = tables.get(name)
        if sdf is None:
            continue
        sku = _sku_column(name, ingest)
        one = (sdf.withColumn(_PART, F.pmod(F.xxhash64(F.col(sku).cast("string")), F.lit(n)))
               .groupBy(_PART).applyInPandas(_packer(name), f"{_PART} long, table string, csv string"))
        packed = one if packed is None else packed.unionByName(one)
    return packed


def plan_spark(tables: Mapping[str, Any], config: Optional[Mapping[str, Any]] = None, *,
               ingest: Optional[Mapping[str, Any]] = None, rules: Any = None, partitions: Optional[int] = None) -> Any:
    """:func:`replenish.plan` over Spark: ``tables`` maps table names to Spark
    DataFrames (the SKU tables: ``sales``, ``inventory``, ``suppliers``...) or to
    pandas frames (small master tables: ``items``, ``events``, ``weather``). Parts
    are SKUs by hash; the result is the single-process :class:`replenish.Plan`,
    bit for bit. Its reports need the whole dataset (plan in one process for them)."""
    from pyspark.sql import DataFrame as SparkFrame

    _check_tables(tables)
    cfg = _config(config, rules)
    spark_frames = [v for v in tables.values() if isinstance(v, SparkFrame)]
    if not spark_frames:
        raise _replenish.InputError("plan_spark needs at least one Spark DataFrame (e.g. sales)")
    n = partitions or _spark_default_parts(spark_frames[0])
    local = {k: (v.toPandas() if isinstance(v, SparkFrame) else v) for k, v in tables.items() if k in SHARED_TABLES}
    for k, v in tables.items():
        if k in SKU_TABLES and not isinstance(v, SparkFrame):
            tables = {**tables, k: spark_frames[0].sparkSession.createDataFrame(v)}
    shared = {k: _csv(v) for k, v in local.items()}
    packed = _spark_pack(tables, ingest, n).persist()

    def run_parts(step: Callable[[int, Dict[str, bytes]], Optional[str]]) -> List[Optional[str]]:
        def task(pdf: Any) -> Any:
            k = int(pdf[_PART].iloc[0])
            part = dict(shared)
            part.update({t: c.encode("utf-8") for t, c in zip(pdf["table"], pdf["csv"])})
            return pd.DataFrame({_PART: [k], "out": [step(k, part)]})

        rows = packed.groupBy(_PART).applyInPandas(task, f"{_PART} long, out string").collect()
        return [r["out"] for r in sorted(rows, key=lambda r: r[_PART])]

    master = {"items": local["items"], "suppliers": tables["suppliers"].toPandas()}
    try:
        return _plan_steps(run_parts, master, cfg, ingest, polars=False)
    finally:
        packed.unpersist()


# --- Dask --------------------------------------------------------------------------


def _dask_parts(ddf: Any, key: str, n: int) -> Any:
    """``ddf`` with part ``hash(key) % n`` as its index, partition ``k`` holding part ``k``."""
    with_part = ddf.assign(**{_PART: ddf[key].map_partitions(lambda s: pd.Series(_bucket(s.to_numpy(), n), index=s.index),
                                                               meta=(_PART, "int64"))})
    return with_part.set_index(_PART, divisions=list(range(n)) + [n - 1])


def forecast_dask(ddf: Any, h: int, models: Sequence[Any], season_length: int = 1, level: Optional[Sequence[float]] = None,
                  quantiles: Optional[Sequence[float]] = None, *, X_df: Any = None, partitions: Optional[int] = None,
                  id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y", **options: Any) -> Any:
    """:func:`replenish.forecast` of a Dask DataFrame in long format: a shuffle puts
    each series whole in one partition, then ``map_partitions`` forecasts them.
    Returns a Dask DataFrame (lazy; ``.compute()`` it)."""
    import dask.dataframe as dd

    from .forecasting import forecast

    n = partitions or max(1, ddf.npartitions)
    kw = dict(season_length=season_length, level=level, quantiles=quantiles, id_col=id_col, time_col=time_col,
              target_col=target_col, progress=False, **options)
    first = ddf[id_col].head(1, npartitions=-1)
    if len(first) == 0:
        raise _replenish.InputError("the DataFrame has no rows")
    one = ddf[ddf[id_col] == first.iloc[0]].compute()
    x_one = None if X_df is None else X_df[X_df[id_col] == first.iloc[0]].compute()
    meta = forecast(one, h, models, X_df=x_one, **kw).iloc[:0]

    def run(pdf: Any, xdf: Any = None) -> Any:
        pdf = pdf.reset_index(drop=True)
        if len(pdf) == 0:
            return meta
        if xdf is not None:
            xdf = xdf.reset_index(drop=True)
        return forecast(pdf, h, models, X_df=xdf, **kw)

    y = _dask_parts(ddf, id_col, n)
    if X_df is None:
        return y.map_partitions(run, meta=meta)
    return dd.map_partitions(run, y, _dask_parts(X_df, id_col, n), meta=meta)


def plan_dask(tables: Mapping[str, Any], config: Optional[Mapping[str, Any]] = None, *,
              ingest: Optional[Mapping[str, Any]] = None, rules: Any = None, partitions: Optional[int] = None) -> Any:
    """:func:`replenish.plan` over Dask: ``tables`` maps table names to Dask or pandas
    DataFrames. The SKU tables are shuffled into ``partitions`` parts by SKU; every
    step runs on the workers of the current Dask scheduler (a
    ``distributed.Client`` if one is active). The result is the single-process
    :class:`replenish.Plan`, bit for bit."""
    import dask
    import dask.dataframe as dd

    _check_tables(tables)
    cfg = _config(config, rules)
    frames = {k: v for k, v in tables.items() if isinstance(v, dd.DataFrame)}
    n = partitions or max([1] + [v.npartitions for v in frames.values()])
    local = {k: (v.compute() if isinstance(v, dd.DataFrame) else v) for k, v in tables.items() if k in SHARED_TABLES}
    shared = {k: _csv(v) for k, v in local.items()}
    sku_tables = {}
    for name in SKU_TABLES:
        if name not in tables:
            continue
        t = tables[name]
        if not isinstance(t, dd.DataFrame):
            t = dd.from_pandas(t, npartitions=1)
        sku_tables[name] = _dask_parts(t, _sku_column(name, ingest), n)
    names = list(sku_tables)
    # One task per part: the CSV of each table's rows of the part.
    packed = [
        dask.delayed(lambda k, *frames: {t: _csv(f.reset_index(drop=True)) for t, f in zip(names, frames)})(
            k, *[sku_tables[t].get_partition(k) for t in names])
        for k in range(n)
    ]
    packed = dask.persist(*packed)

    def run_parts(step: Callable[[int, Dict[str, bytes]], Optional[str]]) -> List[Optional[str]]:
        tasks = [dask.delayed(lambda k, p: step(k, {**shared, **p}))(k, p) for k, p in enumerate(packed)]
        return list(dask.compute(*tasks))

    suppliers = tables["suppliers"]
    master = {"items": local["items"], "suppliers": suppliers.compute() if isinstance(suppliers, dd.DataFrame) else suppliers}
    return _plan_steps(run_parts, master, cfg, ingest, polars=False)
