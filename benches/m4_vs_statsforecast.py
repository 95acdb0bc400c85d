"""M4 Hourly and Weekly: replenish's models against statsforecast's, side by side.

Each (library, model, frequency) runs in its own subprocess, which reports its wall
time and its peak memory above the baseline after imports and data loading. Scoring
is an independent numpy implementation of the M4 scorer (sMAPE, MASE, OWA against the
published Naive2); it first reproduces the published Naive and sNaive rows.
statsforecast gets a warm-up call on two series first, so numba compilation is not
counted against it.

Run: bash benches/m4-bench   (creates target/bench-venv with statsforecast and replenish)
statsforecast's results are cached in target/bench-cache (BENCH_RERUN_SF=1 re-measures).
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

M4 = pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "data" / "m4"
# statsforecast's runs (forecasts, time, memory) are kept here and reused: its
# AutoARIMA alone takes over 20 minutes. BENCH_RERUN_SF=1 measures it again.
CACHE = pathlib.Path(__file__).resolve().parents[1] / "target" / "bench-cache"
FREQS = {"Hourly": (48, 24), "Weekly": (13, 1)}
NAIVE2 = {"Hourly": (18.383, 2.395), "Weekly": (9.161, 2.777)}
PUBLISHED = {"Hourly": {"Naive": (43.003, 11.608), "SeasonalNaive": (13.912, 1.193)},
             "Weekly": {"Naive": (9.161, 2.777), "SeasonalNaive": (9.161, 2.777)}}
MODELS = ["Naive", "SeasonalNaive", "Theta", "OptimizedTheta", "DynamicTheta", "DynamicOptimizedTheta", "AutoTheta",
          "AutoETS", "Ensemble", "AutoSelect", "AutoARIMA", "MSTL"]
# MSTL's periods: daily and weekly cycles of hourly data, the yearly cycle of weekly
# data (52 weeks); the trend forecaster is AutoETS without a season in both libraries.
MSTL_PERIODS = {"Hourly": [24, 168], "Weekly": [52]}
# statsforecast's AutoARIMA needs about 28 s per Hourly series on this machine (over
# three hours for all 414), so Hourly AutoARIMA runs on the first SUBSET series, for
# both libraries, scored against Naive2 on the same series.
SUBSET = {("Hourly", "AutoARIMA"): 40}
# replenish's default ensemble, rebuilt from statsforecast's models of the same names
# (mean of the members); statsforecast has no counterpart of AutoSelect.
ENSEMBLE = ["AutoETS", "DynamicOptimizedTheta", "SeasonalNaive"]
REPLENISH_ONLY = {"AutoSelect"}
# `python benches/m4_vs_statsforecast.py AutoETS` runs only the models named.
if len(sys.argv) > 1 and all(a in MODELS for a in sys.argv[1:]):
    MODELS = sys.argv[1:]


def wide(name):
    rows = []
    for line in (M4 / name).read_text().splitlines()[1:]:
        cells = [c.strip('"') for c in line.split(",")]
        rows.append((cells[0], np.array([float(c) for c in cells[1:] if c], dtype=float)))
    return rows


def long_frame(train):
    ids = np.concatenate([[uid] * len(y) for uid, y in train])
    ds = np.concatenate([np.arange(len(y)) for _, y in train])
    return pd.DataFrame({"unique_id": ids, "ds": ds, "y": np.concatenate([y for _, y in train])})


def run_one(lib, model, freq):
    """Runs in a subprocess: prints JSON with forecasts, time and memory."""
    h, m = FREQS[freq]
    train = wide(f"{freq}-train.csv")[: SUBSET.get((freq, model))]
    df = long_frame(train)
    if lib == "statsforecast":
        import statsforecast
        import statsforecast.models as sfm
        from statsforecast import StatsForecast

        names = ENSEMBLE if model == "Ensemble" else [model]
        season = lambda n: MSTL_PERIODS[freq] if n == "MSTL" else m  # noqa: E731
        make = lambda: [getattr(sfm, n)(**({} if n == "Naive" else {"season_length": season(n)})) for n in names]  # noqa: E731
        warm = df[df["unique_id"].isin([train[0][0], train[1][0]])]
        StatsForecast(models=make(), freq=1, n_jobs=2).forecast(df=warm, h=h)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        fc = StatsForecast(models=make(), freq=1, n_jobs=2).forecast(df=df, h=h)
        members = [c for c in fc.columns if c not in ("unique_id", "ds")]
        col = "combined"
        fc[col] = fc[members].mean(axis=1)
        secs = time.perf_counter() - t
        version = statsforecast.__version__
    else:
        import replenish

        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        from replenish.models import MSTL

        spec = MSTL(season_length=MSTL_PERIODS[freq]) if model == "MSTL" else model
        fc = replenish.forecast(df, h=h, models=[spec], season_length=m)
        secs = time.perf_counter() - t
        version = replenish.__version__
        col = model
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fc = fc.sort_values(["unique_id", "ds"]) if hasattr(fc, "sort_values") else fc
    out = {uid: g[col].to_numpy().tolist() for uid, g in fc.groupby("unique_id", sort=False)}
    print(json.dumps({"secs": secs, "mem_mb": (peak - base) / 1024, "version": version, "fc": out}))


def smape(y, f):
    d = np.abs(y) + np.abs(f)
    return np.mean(np.where(d == 0, 0.0, 200 * np.abs(y - f) / np.where(d == 0, 1, d)))


def mase(y, f, ins, m):
    return np.mean(np.abs(y - f)) / np.mean(np.abs(ins[m:] - ins[:-m]))


def seasonality_test(y, m):
    """M4's 90% test: lag-m autocorrelation against 1.645·√((1 + 2·Σ_{k<m} r_k²)/n)."""
    mu = y.mean()
    den = np.sum((y - mu) ** 2)
    acf = lambda k: np.sum((y[k:] - mu) * (y[:-k] - mu)) / den  # noqa: E731
    return abs(acf(m)) > 1.645 * np.sqrt((1 + 2 * sum(acf(k) ** 2 for k in range(1, m))) / len(y))


def naive2(y, h, m):
    """M4's Naive2: the naive forecast of the classically (multiplicatively)
    seasonally adjusted series, reseasonalised."""
    n = len(y)
    if m > 1 and n >= 3 * m and seasonality_test(y, m):
        half = m // 2
        trend = np.full(n, np.nan)
        for t in range(half, n - half):
            trend[t] = ((y[t - half + 1:t + half].sum() + 0.5 * (y[t - half] + y[t + half])) / m if m % 2 == 0
                        else y[t - half:t + half + 1].sum() / m)
        idx = np.array([np.nanmean((y / trend)[p::m]) for p in range(m)])
        idx /= idx.mean()
        last = y[-1] / idx[(n - 1) % m]
        return np.array([last * idx[(n + t) % m] for t in range(h)])
    return np.repeat(y[-1], h)


def score(freq, fc):
    """sMAPE, MASE and OWA over the series forecast, against Naive2 on those series."""
    h, m = FREQS[freq]
    train = dict(wide(f"{freq}-train.csv"))
    test = [(uid, y) for uid, y in wide(f"{freq}-test.csv") if uid in fc]
    s = np.mean([smape(y, np.asarray(fc[uid])) for uid, y in test])
    ms = np.mean([mase(y, np.asarray(fc[uid]), train[uid], m) for uid, y in test])
    if len(test) == len(train):
        n2s, n2m = NAIVE2[freq]
    else:
        n2 = {uid: naive2(train[uid], h, m) for uid, _ in test}
        n2s = np.mean([smape(y, n2[uid]) for uid, y in test])
        n2m = np.mean([mase(y, n2[uid], train[uid], m) for uid, y in test])
    return s, ms, 0.5 * (s / n2s + ms / n2m)


def main():
    if not (M4 / "Hourly-train.csv").exists():
        print(f"skipping: M4 data not found in {M4}")
        return
    if len(sys.argv) == 4 and sys.argv[1] in ("replenish", "statsforecast") and sys.argv[2] in MODELS:
        run_one(*sys.argv[1:])
        return
    for freq in FREQS:
        # The numpy Naive2 must reproduce the published row on the full set.
        h, m = FREQS[freq]
        train, test = dict(wide(f"{freq}-train.csv")), wide(f"{freq}-test.csv")
        n2 = {uid: naive2(train[uid], h, m) for uid, _ in test}
        got = (round(np.mean([smape(y, n2[u]) for u, y in test]), 3),
               round(np.mean([mase(y, n2[u], train[u], m) for u, y in test]), 3))
        assert got == NAIVE2[freq], f"{freq} Naive2 {got} != published {NAIVE2[freq]}"
    rows = []
    for freq in FREQS:
        for model in MODELS:
            res = {}
            for lib in ("replenish", "statsforecast"):
                if lib == "statsforecast" and model in REPLENISH_ONLY:
                    continue
                cache = CACHE / f"{model}-{freq}-{SUBSET.get((freq, model), 'all')}.json"
                if lib == "statsforecast" and cache.exists() and not os.environ.get("BENCH_RERUN_SF"):
                    r = json.loads(cache.read_text())
                    print(f"statsforecast {model} {freq}: measured earlier ({cache}; BENCH_RERUN_SF=1 re-runs)")
                else:
                    p = subprocess.run([sys.executable, __file__, lib, model, freq], capture_output=True, text=True)
                    if p.returncode != 0:
                        print(f"{lib} {model} {freq} failed:\n{p.stderr[-2000:]}")
                        continue
                    r = json.loads(p.stdout.strip().splitlines()[-1])
                    if lib == "statsforecast":
                        CACHE.mkdir(parents=True, exist_ok=True)
                        cache.write_text(json.dumps(r))
                r["score"] = score(freq, r.pop("fc"))
                res[lib] = r
            if model in PUBLISHED[freq] and "replenish" in res:
                got = tuple(round(v, 3) for v in res["replenish"]["score"][:2])
                assert got == PUBLISHED[freq][model], f"{freq} {model}: {got} != published {PUBLISHED[freq][model]}"
            rows.append((freq, model, res))
    versions = {lib: r["version"] for _, _, res in rows for lib, r in res.items()}
    print(f"\nM4, 2 cores; replenish {versions.get('replenish')}, statsforecast {versions.get('statsforecast')}")
    print("| frequency | model | replenish sMAPE / MASE / OWA | statsforecast sMAPE / MASE / OWA | OWA diff | replenish time | statsforecast time | speed-up | replenish mem | statsforecast mem |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for freq, model, res in rows:
        r, s = res.get("replenish"), res.get("statsforecast")
        fmt = lambda x: "—" if x is None else "{:.3f} / {:.3f} / {:.3f}".format(*x["score"])  # noqa: E731
        diff = f"{(r['score'][2] / s['score'][2] - 1) * 100:+.1f}%" if r and s else "—"
        speed = f"{s['secs'] / r['secs']:.1f}×" if r and s else "—"
        t = lambda x: "—" if x is None else f"{x['secs']:.2f} s"  # noqa: E731
        mem = lambda x: "—" if x is None else f"{max(x['mem_mb'], 0):.0f} MB"  # noqa: E731
        label = f"{model} (first {SUBSET[(freq, model)]} series)" if (freq, model) in SUBSET else model
        print(f"| {freq} | {label} | {fmt(r)} | {fmt(s)} | {diff} | {t(r)} | {t(s)} | {speed} | {mem(r)} | {mem(s)} |")


if __name__ == "__main__":
    main()
