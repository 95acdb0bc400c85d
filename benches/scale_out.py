"""Throughput per core of the Spark and Dask helpers against one process, on the demo
company (300 SKUs x 3 locations x 730 days: 900 SKU-locations).

    .venv/bin/python benches/scale_out.py            # every run below
    .venv/bin/python benches/scale_out.py dask       # one of: single1, single2, dask, spark

Each run is a fresh process with the core's thread pool sized by RAYON_NUM_THREADS:
one process on 1 and on 2 threads, a Dask LocalCluster of 2 worker processes x 1
thread, and Spark local[2] (2 Python workers, 1 thread each). Each plans the demo
(the default AutoSelect forecast and simulated safety stock) and forecasts its 900
daily series 14 days ahead with AutoETS and CrostonSBA, and checks that the numbers
equal the single-process ones. Prints SKU-locations (or series) per second per core.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

MODELS = ["AutoETS", "CrostonSBA"]
H = 14


def data():
    import replenish

    tables = replenish.demo_data()
    demand = replenish.read_tables(**tables).demand[["unique_id", "ds", "y"]].fillna(0.0)
    return tables, demand


def digest(plan, fc) -> str:
    import hashlib

    fc = fc.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    h = hashlib.sha256(json.dumps(plan.to_dict(), sort_keys=True).encode())
    h.update(fc.to_csv(index=False, float_format="%r").encode())
    return h.hexdigest()[:16]


def run(mode: str) -> dict:
    import replenish
    import replenish.distributed as rd

    tables, demand = data()
    if mode.startswith("single"):
        t = time.perf_counter()
        plan = replenish.plan(tables, progress=False)
        t_plan = time.perf_counter() - t
        t = time.perf_counter()
        fc = replenish.forecast(demand, H, MODELS, season_length=7, progress=False)
        t_fc = time.perf_counter() - t
        cores = int(os.environ["RAYON_NUM_THREADS"])
    elif mode == "dask":
        import logging

        import dask.dataframe as dd
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, silence_logs=logging.ERROR,
                          env={"RAYON_NUM_THREADS": "1"}) as cluster, Client(cluster):
            dtables = {k: (dd.from_pandas(v, npartitions=2) if k in rd.SKU_TABLES else v) for k, v in tables.items()}
            t = time.perf_counter()
            plan = rd.plan_dask(dtables, partitions=8)
            t_plan = time.perf_counter() - t
            t = time.perf_counter()
            fc = rd.forecast_dask(dd.from_pandas(demand, npartitions=2), H, MODELS, season_length=7,
                                  partitions=8).compute()
            t_fc = time.perf_counter() - t
        cores = 2
    elif mode == "spark":
        from pyspark.sql import SparkSession

        os.environ["PYSPARK_PYTHON"] = sys.executable
        spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                 .config("spark.sql.shuffle.partitions", "8").config("spark.driver.memory", "4g").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        stables = {k: (spark.createDataFrame(v) if k in rd.SKU_TABLES else v) for k, v in tables.items()}
        sdemand = spark.createDataFrame(demand).cache()
        sdemand.count()
        t = time.perf_counter()
        plan = rd.plan_spark(stables, partitions=8)
        t_plan = time.perf_counter() - t
        t = time.perf_counter()
        fc = rd.forecast_spark(sdemand, H, MODELS, season_length=7, partitions=8).toPandas()
        t_fc = time.perf_counter() - t
        spark.stop()
        cores = 2
    else:
        raise SystemExit(f"unknown mode {mode}: single1, single2, dask or spark")
    n = len(plan.lines)
    return dict(mode=mode, cores=cores, plan_s=t_plan, forecast_s=t_fc, series=n, digest=digest(plan, fc))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] != "--child":
        modes = sys.argv[1:]
    elif len(sys.argv) > 2:
        print(json.dumps(run(sys.argv[2])))
        return
    else:
        modes = ["single1", "single2", "dask", "spark"]
    rows = []
    for mode in modes:
        threads = "1" if mode != "single2" else "2"
        env = {**os.environ, "RAYON_NUM_THREADS": threads, "PYTHONWARNINGS": "ignore"}
        out = subprocess.run([sys.executable, __file__, "--child", mode], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{mode}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'run':<9} {'cores':>5} {'plan s':>8} {'plan /s/core':>13} {'forecast s':>11} {'fc /s/core':>11}  digest")
    for r in rows:
        print(f"{r['mode']:<9} {r['cores']:>5} {r['plan_s']:>8.2f} {r['series'] / r['plan_s'] / r['cores']:>13.0f} "
              f"{r['forecast_s']:>11.2f} {r['series'] / r['forecast_s'] / r['cores']:>11.0f}  {r['digest']}")
    if len({r["digest"] for r in rows}) > 1:
        raise SystemExit("the runs disagree")
    print("every run gives the same plan and forecasts")


if __name__ == "__main__":
    main()
