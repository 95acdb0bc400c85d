"""Rossmann daily store sales: replenish with and without promotion/holiday regressors,
against statsforecast's AutoARIMA with the same regressors and mlforecast + LightGBM
with the same features.

Each store's last 6 weeks (42 days, 2015-06-20 .. 2015-07-31) are held out. Stores
with a gap in their history keep the days after it. Regressors are known in advance
in retail: the promotion calendar (`promo`), the opening calendar (`open`: Sundays
and holidays are closed), state and school holidays. Scores: WAPE (Σ|y − ŷ| / Σy over
all store-days) and MASE (per store, scaled by the in-sample weekly-naive error, then
averaged). Forecasts are clamped at zero for every library.

Each (library, model, variant) runs in its own subprocess, which reports wall time
and peak memory above its baseline after imports and data loading. statsforecast
and mlforecast get a warm-up run on two stores first (numba compilation is not
counted). Results of the other libraries are cached in target/bench-cache
(BENCH_RERUN_SF=1 re-measures).

With `--seeds N` it also fits both boosters N times with row and feature bagging
(0.8 each, seeds 0..N-1) and prints the mean and spread of their WAPE: without
bagging both are deterministic, and one configuration's difference can be smaller
than what a different seed moves.

Run: bash benches/rossmann-bench [--seeds 5]
"""

import json
import os
import pathlib
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

DATA = pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "data" / "rossmann"
CACHE = pathlib.Path(__file__).resolve().parents[1] / "target" / "bench-cache"
H = 42
REGRESSORS = ["promo", "open", "state_holiday", "school_holiday"]
# (library, model, with regressors)
RUNS = [
    ("replenish", "SeasonalNaive", False),
    ("replenish", "AutoARIMA", False),
    ("replenish", "AutoARIMA", True),
    ("statsforecast", "AutoARIMA", True),
    ("replenish", "GBDT", False),
    ("replenish", "GBDT", True),
    ("mlforecast", "LightGBM", True),
]
LAGS = [1, 2, 3, 7, 14, 21, 28]
WINDOWS = [7, 28]
BOOST = dict(n_estimators=500, learning_rate=0.05, num_leaves=31, min_data_in_leaf=20)


def load():
    raw = pd.read_csv(DATA / "train.csv", parse_dates=["Date"], dtype={"StateHoliday": str}, low_memory=False)
    df = pd.DataFrame({
        "unique_id": raw["Store"].astype(str).str.zfill(4),
        "ds": raw["Date"],
        "y": raw["Sales"].astype(float),
        "promo": raw["Promo"].astype(float),
        "open": raw["Open"].astype(float),
        "state_holiday": (raw["StateHoliday"] != "0").astype(float),
        "school_holiday": raw["SchoolHoliday"].astype(float),
    }).sort_values(["unique_id", "ds"])
    # Keep each store's days after its last gap.
    parts = []
    for _, g in df.groupby("unique_id", sort=True):
        gaps = np.flatnonzero(np.diff(g["ds"].to_numpy()) != np.timedelta64(1, "D"))
        parts.append(g.iloc[gaps[-1] + 1:] if len(gaps) else g)
    df = pd.concat(parts, ignore_index=True)
    cut = df["ds"].max() - pd.Timedelta(days=H - 1)
    return df[df["ds"] < cut].reset_index(drop=True), df[df["ds"] >= cut].reset_index(drop=True)


def run_one(lib, model, with_x):
    train, test = load()
    X_df = test[["unique_id", "ds"] + REGRESSORS]
    cols = ["unique_id", "ds", "y"] + (REGRESSORS if with_x else [])
    df = train[cols]
    if lib == "statsforecast":
        import statsforecast
        from statsforecast import StatsForecast
        from statsforecast.models import AutoARIMA

        warm_ids = df["unique_id"].unique()[:2]
        sel = lambda f: f[f["unique_id"].isin(warm_ids)]  # noqa: E731
        StatsForecast(models=[AutoARIMA(season_length=7)], freq="D", n_jobs=2).forecast(
            df=sel(df), h=H, X_df=sel(X_df) if with_x else None)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        fc = StatsForecast(models=[AutoARIMA(season_length=7)], freq="D", n_jobs=2).forecast(
            df=df, h=H, X_df=X_df if with_x else None)
        secs, version, col = time.perf_counter() - t, statsforecast.__version__, "AutoARIMA"
    elif lib == "mlforecast":
        import lightgbm as lgb
        import mlforecast
        from mlforecast import MLForecast
        from mlforecast.lag_transforms import RollingMean
        from mlforecast.target_transforms import LocalStandardScaler

        def make():
            return MLForecast(
                models={"LightGBM": lgb.LGBMRegressor(**BOOST, verbosity=-1, n_jobs=2, deterministic=True)},
                freq="D",
                lags=LAGS,
                lag_transforms={1: [RollingMean(window_size=w) for w in WINDOWS]},
                date_features=["dayofweek", "day", "month", "dayofyear", "week"],
                target_transforms=[LocalStandardScaler()],
            )

        warm_ids = df["unique_id"].unique()[:2]
        sel = lambda f: f[f["unique_id"].isin(warm_ids)]  # noqa: E731
        make().fit(sel(df), static_features=[]).predict(H, X_df=sel(X_df))
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        fc = make().fit(df, static_features=[]).predict(H, X_df=X_df)
        secs, version, col = time.perf_counter() - t, mlforecast.__version__, "LightGBM"
    else:
        import replenish
        from replenish.models import GBDT

        m = GBDT(season_length=7, lags=LAGS, rolling_means=WINDOWS, **BOOST) if model == "GBDT" else model
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        fc = replenish.forecast(df, h=H, models=[m], season_length=7, X_df=X_df if with_x else None)
        secs, version, col = time.perf_counter() - t, replenish.__version__, model
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fc = fc.reset_index() if "unique_id" not in fc.columns else fc
    fc = fc.sort_values(["unique_id", "ds"])
    out = {uid: np.maximum(g[col].to_numpy(), 0).tolist() for uid, g in fc.groupby("unique_id", sort=False)}
    print(json.dumps({"secs": secs, "mem_mb": (peak - base) / 1024, "version": version, "fc": out}))


def score(fc):
    train, test = load()
    num = den = 0.0
    mases = []
    for uid, g in test.groupby("unique_id", sort=True):
        y = g["y"].to_numpy()
        f = np.asarray(fc[uid])
        ins = train.loc[train["unique_id"] == uid, "y"].to_numpy()
        num += np.abs(y - f).sum()
        den += y.sum()
        mases.append(np.mean(np.abs(y - f)) / np.mean(np.abs(ins[7:] - ins[:-7])))
    return num / den, float(np.mean(mases))


def bagged(lib, seed):
    """WAPE of one bagged fit with regressors (in this process; 2-3 s each)."""
    train, test = load()
    X_df = test[["unique_id", "ds"] + REGRESSORS]
    df = train[["unique_id", "ds", "y"] + REGRESSORS]
    if lib == "mlforecast":
        import lightgbm as lgb
        from mlforecast import MLForecast
        from mlforecast.lag_transforms import RollingMean
        from mlforecast.target_transforms import LocalStandardScaler

        model = lgb.LGBMRegressor(**BOOST, subsample=0.8, subsample_freq=1, colsample_bytree=0.8, random_state=seed,
                                  verbosity=-1, n_jobs=2, deterministic=True)
        fc = MLForecast(models={"m": model}, freq="D", lags=LAGS,
                        lag_transforms={1: [RollingMean(window_size=w) for w in WINDOWS]},
                        date_features=["dayofweek", "day", "month", "dayofyear", "week"],
                        target_transforms=[LocalStandardScaler()]).fit(df, static_features=[]).predict(H, X_df=X_df)
    else:
        import replenish
        from replenish.models import GBDT

        m = GBDT(season_length=7, lags=LAGS, rolling_means=WINDOWS, subsample=0.8, colsample=0.8, seed=seed, **BOOST)
        fc = replenish.forecast(df, h=H, models=[m], season_length=7, X_df=X_df).rename(columns={"GBDT": "m"})
    fc = fc.sort_values(["unique_id", "ds"])
    return score({u: np.maximum(g["m"].to_numpy(), 0).tolist() for u, g in fc.groupby("unique_id", sort=False)})[0]


def main():
    if not (DATA / "train.csv").exists():
        print(f"skipping: Rossmann data not found in {DATA}")
        return
    if len(sys.argv) == 4 and sys.argv[1] in ("replenish", "statsforecast", "mlforecast"):
        run_one(sys.argv[1], sys.argv[2], sys.argv[3] == "x")
        return
    train, test = load()
    print(f"Rossmann: {train['unique_id'].nunique()} stores, {len(train)} training days, last {H} days held out")
    rows = []
    for lib, model, with_x in RUNS:
        cache = CACHE / f"rossmann-{lib}-{model}-{'x' if with_x else 'plain'}.json"
        if lib != "replenish" and cache.exists() and not os.environ.get("BENCH_RERUN_SF"):
            r = json.loads(cache.read_text())
            print(f"{lib} {model}: measured earlier ({cache}; BENCH_RERUN_SF=1 re-runs)")
        else:
            p = subprocess.run([sys.executable, __file__, lib, model, "x" if with_x else "plain"], capture_output=True, text=True)
            if p.returncode != 0:
                print(f"{lib} {model} failed:\n{p.stderr[-3000:]}")
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            if lib != "replenish":
                CACHE.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps(r))
        r["score"] = score(r.pop("fc"))
        rows.append((lib, model, with_x, r))
    versions = {lib: r["version"] for lib, _, _, r in rows}
    print("\nRossmann, 2 cores; " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print("| library | model | regressors | WAPE | MASE | time | memory |")
    print("|---|---|---|---|---|---|---|")
    for lib, model, with_x, r in rows:
        regs = ", ".join(REGRESSORS) if with_x else "none"
        print(f"| {lib} | {model} | {regs} | {r['score'][0]:.4f} | {r['score'][1]:.3f} | {r['secs']:.1f} s | {max(r['mem_mb'], 0):.0f} MB |")
    if "--seeds" in sys.argv:
        n = int(sys.argv[sys.argv.index("--seeds") + 1])
        print(f"\nBagged (subsample 0.8, feature share 0.8), seeds 0..{n - 1}, WAPE with regressors:")
        for lib in ("replenish", "mlforecast"):
            w = np.array([bagged(lib, k) for k in range(n)])
            print(f"  {lib:10s} mean {w.mean():.4f}  sd {w.std(ddof=1):.4f}  min {w.min():.4f}  max {w.max():.4f}  ({', '.join(f'{x:.4f}' for x in w)})")


if __name__ == "__main__":
    main()
