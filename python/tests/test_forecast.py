"""Forecasting from Python: statsforecast-style frames, golden identity with Rust, M4."""

import json
import math
import pathlib

import numpy as np
import pandas as pd
import pytest

import replenish
from replenish.models import TSB, SeasonalNaive
from conftest import GOLDEN, REPO

M4 = REPO.parent / "shared" / "data" / "m4"


def golden_frame():
    g = json.loads((GOLDEN / "forecast_demo.json").read_text())
    rows = [(s["id"], t, v) for s in g["series"] for t, v in enumerate(s["y"])]
    return g, pd.DataFrame(rows, columns=["unique_id", "ds", "y"])


def test_forecasts_match_the_rust_golden_bit_for_bit():
    g, df = golden_frame()
    r = g["request"]
    fc = replenish.forecast(df, h=r["h"], models=list(replenish.MODEL_NAMES), season_length=r["season_length"],
                            level=r["level"], quantiles=r["quantiles"], n_paths=r["n_paths"], seed=r["seed"])
    assert len(fc) == len(g["series"]) * r["h"]
    for name, values in g["columns"].items():
        assert fc[name].tolist() == values, name


def test_columns_dates_and_models_as_objects():
    days = pd.date_range("2025-01-01", periods=21, freq="D")
    df = pd.DataFrame({"unique_id": ["b"] * 21 + ["a"] * 21, "ds": list(days) * 2, "y": list(range(21)) + [5.0] * 21})
    fc = replenish.forecast(df, h=2, models=["Naive", SeasonalNaive(season_length=7), {"model": "WindowAverage", "window": 3}], level=[90])
    assert list(fc.columns) == ["unique_id", "ds", "Naive", "Naive-lo-90", "Naive-hi-90", "SeasonalNaive", "SeasonalNaive-lo-90",
                                "SeasonalNaive-hi-90", "WindowAverage", "WindowAverage-lo-90", "WindowAverage-hi-90"]
    assert fc["unique_id"].tolist() == ["a", "a", "b", "b"]
    assert fc["ds"].tolist() == [pd.Timestamp("2025-01-22"), pd.Timestamp("2025-01-23")] * 2
    assert fc["Naive"].tolist() == [5.0, 5.0, 20.0, 20.0]
    assert fc["SeasonalNaive"].tolist() == [5.0, 5.0, 14.0, 15.0]
    assert fc["WindowAverage"].tolist() == [5.0, 5.0, 19.0, 19.0]
    # the constant series has zero spread; the trending one does not
    assert fc["Naive-lo-90"].iloc[0] == 5.0 and fc["Naive-hi-90"].iloc[2] > 20.0


def test_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"unique_id": ["a"] * 5, "ds": list(range(5)), "y": [1.0, 0.0, 2.0, 0.0, 3.0]})
    fc = replenish.forecast(df, h=2, models=["CrostonClassic", TSB(alpha_d=0.2, alpha_p=0.2)])
    assert isinstance(fc, pl.DataFrame)
    assert fc.columns == ["unique_id", "ds", "CrostonClassic", "TSB"]
    assert fc["ds"].to_list() == [5, 6]


def test_fallback_missing_policy_and_errors():
    df = pd.DataFrame({"unique_id": ["short"] * 3 + ["long"] * 10, "ds": list(range(3)) + list(range(10)), "y": [1.0] * 13})
    fc = replenish.forecast(df, h=1, models=["SeasonalNaive"], season_length=7)
    assert fc.attrs["fallbacks"] == [{"unique_id": "short", "model": "SeasonalNaive", "reason": fc.attrs["fallbacks"][0]["reason"]}]
    assert "used Naive" in fc.attrs["fallbacks"][0]["reason"]
    gap = pd.DataFrame({"unique_id": ["g"] * 4, "ds": range(4), "y": [1.0, np.nan, 3.0, 5.0]})
    with pytest.raises(replenish.InputError, match="missing value at position 1"):
        replenish.forecast(gap, h=1, models=["Naive"])
    assert replenish.forecast(gap, h=1, models=["HistoricAverage"], missing="drop")["HistoricAverage"].tolist() == [3.0]
    with pytest.raises(replenish.InputError, match="unknown model"):
        replenish.forecast(gap, h=1, models=["Prophet"])
    with pytest.raises(replenish.ConfigError):
        replenish.forecast(gap, h=0, models=["Naive"], missing="zero")
    with pytest.raises(replenish.InputError, match="no column `y`"):
        replenish.forecast(gap.rename(columns={"y": "sales"}), h=1, models=["Naive"])


def test_lead_time_demand_and_classification():
    rng = np.random.default_rng(1)
    y = (rng.random(400) < 0.3) * rng.integers(1, 5, 400)
    df = pd.DataFrame({"unique_id": "i", "ds": range(400), "y": y.astype(float)})
    ltd = replenish.lead_time_demand(df, h=14, model="TSB", quantiles=[0.5, 0.95])
    assert list(ltd.columns) == ["unique_id", "mean", "q-0.5", "q-0.95"]
    row = ltd.iloc[0]
    assert 0 < row["q-0.5"] < row["q-0.95"]
    assert abs(row["mean"] - 14 * y.mean()) / (14 * y.mean()) < 0.35
    cls = replenish.classify(df)
    assert cls["demand_class"].tolist() == ["intermittent"]
    assert cls["adi"].iloc[0] > 1.32


def test_metrics_by_hand():
    y, f = [2.0, 4.0, 0.0], [3.0, 2.0, 1.0]
    assert replenish.mae(y, f) == 4 / 3
    assert math.isclose(replenish.rmse(y, f), math.sqrt(2))
    assert replenish.mape(y, f) == 50.0
    assert replenish.wape(y, f) == 4 / 6
    assert replenish.bias(y, f) == 0.0
    assert replenish.mase([5.0], [4.0], insample=[1.0, 3.0, 2.0, 4.0]) == pytest.approx(0.6)
    assert replenish.pinball([10.0], [8.0], q=0.9) == pytest.approx(1.8)
    assert replenish.coverage([1, 5, 3], [0, 0, 3], [2, 4, 3]) == pytest.approx(2 / 3)
    assert set(replenish.METRICS) >= {"smape", "rmsse", "scaled_pinball"}
    with pytest.raises(replenish.InputError, match="in-sample"):
        replenish.metric("mase", [1.0], [1.0])


def _m4(freq):
    def wide(name):
        rows = [line.split(",") for line in (M4 / name).read_text().splitlines()[1:]]
        return [(r[0].strip('"'), [float(v.strip('"')) for v in r[1:] if v.strip('"')]) for r in rows]
    return wide(f"{freq}-train.csv"), wide(f"{freq}-test.csv")


@pytest.mark.skipif(not (M4 / "Hourly-train.csv").exists(), reason="M4 data not found in ../shared/data/m4")
def test_m4_baselines_reproduce_published_rows_from_python():
    train, test = _m4("Hourly")
    df = pd.DataFrame([(i, t, v) for i, ys in train for t, v in enumerate(ys)], columns=["unique_id", "ds", "y"])
    fc = replenish.forecast(df, h=48, models=["Naive", "SeasonalNaive"], season_length=24)
    by_id = dict(train)
    scores = {}
    for model in ["Naive", "SeasonalNaive"]:
        s = m = 0.0
        for uid, actual in test:
            f = fc.loc[fc["unique_id"] == uid, model].to_numpy()
            s += replenish.smape(actual, f)
            m += replenish.mase(actual, f, insample=by_id[uid], m=24)
        scores[model] = (round(s / len(test), 3), round(m / len(test), 3))
    assert scores == {"Naive": (43.003, 11.608), "SeasonalNaive": (13.912, 1.193)}


def test_cross_validation_and_evaluate():
    df = pd.DataFrame({"unique_id": ["lin"] * 20 + ["const"] * 12, "ds": list(range(20)) + list(range(12)),
                       "y": [t * 2.0 for t in range(20)] + [5.0] * 12})
    cv = replenish.cross_validation(df, h=2, models=["Naive", "RandomWalkWithDrift"], n_windows=3, step_size=2, level=[80])
    lin = cv[cv["unique_id"] == "lin"]
    assert lin["cutoff"].tolist() == [13, 13, 15, 15, 17, 17]
    assert lin["ds"].tolist() == [14, 15, 16, 17, 18, 19]
    assert lin["Naive"].tolist() == [26.0, 26.0, 30.0, 30.0, 34.0, 34.0]
    assert lin["RandomWalkWithDrift"].tolist() == lin["y"].tolist()
    ev = replenish.evaluate(cv, df, metrics=["mae", "mase", "coverage"]).set_index(["unique_id", "metric"])
    assert ev.loc[("lin", "mae"), "Naive"] == 3.0
    assert ev.loc[("lin", "mase"), "Naive"] == 1.5
    assert ev.loc[("lin", "coverage-80"), "RandomWalkWithDrift"] == 1.0
    overall = replenish.evaluate(cv, df, metrics=["mae"], agg=True)
    assert overall["Naive"].tolist() == [1.5]
    with pytest.raises(replenish.InputError, match="observations"):
        replenish.cross_validation(df, h=5, models=["Naive"], n_windows=3)


def test_cross_validation_dates_and_refit():
    days = pd.date_range("2025-01-01", periods=60, freq="D")
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"unique_id": "x", "ds": days, "y": (rng.random(60) < 0.4) * rng.integers(1, 6, 60).astype(float)})
    a = replenish.cross_validation(df, h=7, models=["TSB"], n_windows=3, refit=True)
    b = replenish.cross_validation(df, h=7, models=["TSB"], n_windows=3, refit=False)
    assert a["cutoff"].iloc[0] == pd.Timestamp("2025-02-08")  # 60 days, 3 windows of 7: training ends at index 39
    assert a["TSB"].iloc[:7].tolist() == b["TSB"].iloc[:7].tolist()
    assert a["y"].tolist() == b["y"].tolist()
    # Theta pins α, θ and its initial level at the first window: later windows differ.
    smooth = df.assign(y=50 + 10 * np.sin(np.arange(60) / 3) + rng.normal(0, 3, 60))
    a = replenish.cross_validation(smooth, h=7, models=["DynamicOptimizedTheta"], n_windows=3, refit=True)
    b = replenish.cross_validation(smooth, h=7, models=["DynamicOptimizedTheta"], n_windows=3, refit=False)
    assert a["DynamicOptimizedTheta"].iloc[:7].tolist() == b["DynamicOptimizedTheta"].iloc[:7].tolist()
    assert a["DynamicOptimizedTheta"].tolist() != b["DynamicOptimizedTheta"].tolist()


def test_theta_auto_select_and_ensembles_as_objects():
    from replenish.models import AutoSelect, AutoTheta, Ensemble, Naive, SeasonalNaive, Theta

    pattern = [5.0, 9.0, 4.0, 7.0, 12.0, 20.0, 3.0]
    df = pd.DataFrame({"unique_id": "w", "ds": range(140), "y": [pattern[t % 7] for t in range(140)]})
    fc = replenish.forecast(df, h=7, models=[AutoTheta(season_length=7), AutoSelect(season_length=7),
                                             Ensemble(models=[Naive(), SeasonalNaive(season_length=7)], combine="median")],
                            level=[80])
    assert fc["AutoSelect"].tolist() == pattern  # seasonal naive is exact on the holdout
    assert fc["AutoTheta"].round(6).tolist() == pattern  # seasonally adjusted, a flat level remains
    assert "EnsembleMedian" in fc.columns and "EnsembleMedian-hi-80" in fc.columns
    assert AutoSelect(season_length=7, candidates=[Theta(7)], holdout=14).config() == {
        "model": "AutoSelect", "season_length": 7, "candidates": [{"model": "Theta", "season_length": 7}], "holdout": 14}
    assert set(replenish.MODEL_NAMES) >= {"AutoTheta", "AutoSelect", "Ensemble", "DynamicOptimizedTheta"}


def test_optimiser_limits_and_ets_from_python():
    from replenish.models import ETS, HoltWinters

    pattern = [0.8, 1.0, 1.3, 0.9]
    df = pd.DataFrame({"unique_id": "s", "ds": range(80), "y": [(100 + 2 * t) * pattern[t % 4] for t in range(80)]})
    fc = replenish.forecast(df, h=4, models=["AutoETS", ETS(spec="MAM", season_length=4), HoltWinters(season_length=4)],
                            season_length=4, tolerance=1e-10, max_iterations=3000)
    want = [(100 + 2 * t) * pattern[t % 4] for t in range(80, 84)]
    for col in ["AutoETS", "ETS", "HoltWinters"]:
        assert np.allclose(fc[col], want, rtol=0.05), (col, fc[col].tolist())
    with pytest.raises(replenish.ConfigError, match="spec"):
        replenish.forecast(df, h=1, models=[ETS(spec="XYZ")])


def test_arima_from_python():
    from replenish.models import ARIMA

    rng = np.random.default_rng(5)
    # AR(1) around 20 and a random walk with drift 0.5
    ar = [20.0]
    for _ in range(599):
        ar.append(20 + 0.7 * (ar[-1] - 20) + rng.normal())
    walk = np.cumsum(0.5 + rng.normal(size=600))
    df = pd.DataFrame({"unique_id": ["ar"] * 600 + ["walk"] * 600, "ds": list(range(600)) * 2,
                       "y": np.concatenate([ar, walk])})
    fc = replenish.forecast(df, h=3, models=[ARIMA(order=(1, 0, 0)), ARIMA(order=(0, 1, 0), include_drift=True),
                                             "RandomWalkWithDrift"], level=[80])
    a = fc[fc["unique_id"] == "ar"]
    # The forecast decays towards the mean at the AR coefficient's rate.
    gaps = (a["ARIMA"] - 20).to_numpy()
    assert 0.55 < gaps[1] / gaps[0] < 0.85 and 0.55 < gaps[2] / gaps[1] < 0.85, gaps
    w = fc[fc["unique_id"] == "walk"]
    # With drift the ML forecast is the random walk with drift's line.
    assert np.allclose(w["ARIMA1"], w["RandomWalkWithDrift"], rtol=1e-6)
    assert (w["ARIMA-hi-80"] > w["ARIMA"]).all()
    with pytest.raises(replenish.ConfigError, match="order"):
        replenish.forecast(df, h=1, models=[ARIMA(order=(1, 3, 0))])


def test_auto_arima_finds_the_season():
    from replenish.models import AutoARIMA

    rng = np.random.default_rng(11)
    pattern = np.array([10.0, -4.0, 3.0, -9.0, 0.0, 6.0, -6.0])
    y = 100 + pattern[np.arange(280) % 7] + rng.normal(size=280)
    df = pd.DataFrame({"unique_id": "s", "ds": pd.date_range("2025-01-01", periods=280), "y": y})
    fc = replenish.forecast(df, h=7, models=[AutoARIMA(season_length=7)], level=[95])
    want = 100 + pattern[np.arange(280, 287) % 7]
    assert np.abs(fc["AutoARIMA"].to_numpy() - want).max() < 1.5
    assert (fc["AutoARIMA-lo-95"] < fc["AutoARIMA"]).all()
    assert "AutoARIMA" in replenish.MODEL_NAMES


def test_sample_paths_are_long_and_seeded():
    df = pd.DataFrame({"unique_id": ["a"] * 30 + ["b"] * 30, "ds": list(range(30)) * 2, "y": [float(t % 5) for t in range(60)]})
    paths = replenish.sample_paths(df, h=4, model="SeasonalNaive", n_paths=50, season_length=5, seed=3)
    assert list(paths.columns) == ["unique_id", "path", "ds", "y"]
    assert len(paths) == 2 * 50 * 4
    assert paths["ds"].iloc[:4].tolist() == [30, 31, 32, 33]
    assert paths["path"].iloc[4] == 1
    again = replenish.sample_paths(df, h=4, model="SeasonalNaive", n_paths=50, season_length=5, seed=3)
    assert paths["y"].tolist() == again["y"].tolist()
    fc = replenish.forecast(df, h=4, models=["SeasonalNaive"], season_length=5)
    mean = paths.groupby(["unique_id", "ds"])["y"].mean().to_numpy()
    assert np.allclose(mean, fc["SeasonalNaive"].to_numpy(), atol=0.6)


def promo_frame(n=120, uplift=5.0, seed=3):
    """Two daily series: demand 20 (and 30) plus `uplift` per unit of `promo`, AR(1) noise."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2025-01-01", periods=n, freq="D")
    rows = []
    for uid, base in (("a", 20.0), ("b", 30.0)):
        promo = (rng.random(n) < 0.2).astype(float)
        e = np.zeros(n)
        for t in range(1, n):
            e[t] = 0.5 * e[t - 1] + rng.normal(0, 0.5)
        rows.append(pd.DataFrame({"unique_id": uid, "ds": days, "y": base + uplift * promo + e, "promo": promo}))
    return pd.concat(rows, ignore_index=True), days[-1]


def future_promo(last, h=7, on=(2,)):
    days = pd.date_range(last + pd.Timedelta(days=1), periods=h, freq="D")
    promo = [1.0 if k in on else 0.0 for k in range(h)]
    return pd.DataFrame({"unique_id": ["a"] * h + ["b"] * h, "ds": list(days) * 2, "promo": promo * 2})


def test_arima_with_a_promotion_regressor_forecasts_the_uplift():
    df, last = promo_frame()
    X_df = future_promo(last)
    fc = replenish.forecast(df, h=7, models=[replenish.models.ARIMA(order=(1, 0, 0)), "AutoARIMA", "Naive"], X_df=X_df)
    a = fc[fc["unique_id"] == "a"]
    for col in ("ARIMA", "AutoARIMA"):
        # The promoted day stands about 5 above its neighbours.
        lift = a[col].iloc[2] - (a[col].iloc[1] + a[col].iloc[3]) / 2
        assert 4.0 < lift < 6.0, (col, lift)
        # The effect column explains it: β on the promoted day, 0 on the others.
        effect = a[f"{col}-effect-promo"].to_numpy()
        assert 4.0 < effect[2] < 6.0 and np.all(np.delete(effect, 2) == 0.0), (col, effect)
    assert "Naive-effect-promo" not in fc.columns
    # Models without regressors ignore them: Naive is the same with or without.
    plain = replenish.forecast(df[["unique_id", "ds", "y"]], h=7, models=["Naive"])
    assert fc["Naive"].tolist() == plain["Naive"].tolist()
    # The same with polars frames.
    pl = pytest.importorskip("polars")
    to_pl = lambda f: pl.DataFrame({c: f[c].tolist() if c == "unique_id" else f[c].to_numpy() for c in f.columns})  # noqa: E731
    fp = replenish.forecast(to_pl(df), h=7, models=["AutoARIMA"], X_df=to_pl(X_df))
    assert np.allclose(fp["AutoARIMA"].to_numpy(), fc["AutoARIMA"].to_numpy())


def test_future_regressor_errors_name_what_is_missing():
    df, last = promo_frame(60)
    X_df = future_promo(last)
    with pytest.raises(replenish.InputError, match=r"AutoARIMA use the regressors `promo`.*X_df"):
        replenish.forecast(df, h=7, models=["AutoARIMA"])
    with pytest.raises(replenish.InputError, match=r"no row for series `b` at 2025-03-07 \(and 1 more"):
        replenish.forecast(df, h=7, models=["AutoARIMA"], X_df=X_df[~((X_df.unique_id == "b") & (X_df.index >= 12))])
    with pytest.raises(replenish.InputError, match=r"no row for series `a` at 2025-03-02"):
        shifted = X_df.assign(ds=X_df["ds"] + pd.Timedelta(days=1))
        replenish.forecast(df, h=7, models=["AutoARIMA"], X_df=shifted)
    with pytest.raises(replenish.InputError, match=r"unknown regressor `price`"):
        replenish.forecast(df, h=7, models=["AutoARIMA"], X_df=X_df.assign(price=1.0))
    with pytest.raises(replenish.InputError, match=r"regressor `promo` has no column"):
        replenish.forecast(df, h=7, models=["AutoARIMA"], X_df=X_df.drop(columns="promo"))
    with pytest.raises(replenish.InputError, match=r"column `store` of df is not numeric"):
        replenish.forecast(df.assign(store="x"), h=7, models=["AutoARIMA"], X_df=X_df)
    with pytest.raises(replenish.InputError, match=r"regressor `promo` is missing for series `a`"):
        replenish.forecast(df, h=7, models=["AutoARIMA"], X_df=X_df.assign(promo=[np.nan] + [0.0] * 13))


def test_cross_validation_uses_the_actual_regressors_after_each_cutoff():
    df, _ = promo_frame(100)
    cv = replenish.cross_validation(df, h=7, models=["AutoARIMA"], n_windows=2)
    plain = replenish.cross_validation(df[["unique_id", "ds", "y"]], h=7, models=["AutoARIMA"], n_windows=2)
    err = lambda f: float(np.mean(np.abs(f["y"] - f["AutoARIMA"])))  # noqa: E731
    assert err(cv) < 0.6 * err(plain)


def retail_frame(n_series=10, days=200, h=14):
    """Daily series with a weekly pattern and promotions lifting demand by 40%."""
    week = np.array([1.0, 0.9, 0.95, 1.0, 1.2, 1.4, 0.6])
    dates = pd.date_range("2024-01-01", periods=days + h, freq="D")
    frames = []
    for s in range(n_series):
        t = np.arange(days + h)
        promo = (((t * 13 + s * 7) % 11) < 2).astype(float)
        y = (50 + 30 * s) * week[dates.day_of_week] * (1 + 0.4 * promo) * (1 + 0.05 * np.sin(t * 31 + s * 17))
        frames.append(pd.DataFrame({"unique_id": f"s{s}", "ds": dates, "y": y, "promo": promo}))
    full = pd.concat(frames, ignore_index=True)
    train = full[full["ds"] < dates[days]].reset_index(drop=True)
    future = full[full["ds"] >= dates[days]].reset_index(drop=True)
    return train, future


def test_gbdt_learns_promotions_across_series_and_explains_the_uplift():
    from replenish.models import GBDT

    train, future = retail_frame()
    model = GBDT(season_length=7, n_estimators=200, min_data_in_leaf=5)
    fc = replenish.forecast(train, h=14, models=[model], level=[80], X_df=future[["unique_id", "ds", "promo"]])
    assert {"GBDT", "GBDT-lo-80", "GBDT-hi-80", "GBDT-effect-promo"} <= set(fc.columns)
    merged = fc.merge(future, on=["unique_id", "ds"])
    wape = float(np.abs(merged["y"] - merged["GBDT"]).sum() / merged["y"].sum())
    assert wape < 0.08, wape
    promoted = merged[merged["promo"] == 1]
    rel = promoted["GBDT-effect-promo"] / (promoted["GBDT"] - promoted["GBDT-effect-promo"])
    assert rel.between(0.25, 0.55).all(), rel.describe()
    imp = fc.attrs["importance"]["GBDT"]
    assert imp["promo"] > 0.05 and abs(sum(imp.values()) - 1) < 1e-9
    fi = replenish.feature_importance(train, h=14, model=model, X_df=future[["unique_id", "ds", "promo"]])
    assert list(fi.columns) == ["feature", "importance"] and "dayofweek" in fi["feature"].tolist()
    # Without the promotion column the model cannot see the promotions and does worse.
    plain = replenish.forecast(train[["unique_id", "ds", "y"]], h=14, models=[model]).merge(future, on=["unique_id", "ds"])
    assert float(np.abs(plain["y"] - plain["GBDT"]).sum() / plain["y"].sum()) > 1.5 * wape
    cv = replenish.cross_validation(train, h=14, models=[model], n_windows=2)
    assert len(cv) == 10 * 2 * 14 and cv["GBDT"].notna().all()
    assert GBDT(lags=(1, 7)).config()["lags"] == [1, 7]
    with pytest.raises(replenish.ConfigError, match="learning_rate"):
        replenish.forecast(train, h=14, models=[GBDT(learning_rate=0)], X_df=future[["unique_id", "ds", "promo"]])


def test_mstl_with_two_seasons_and_a_regressor_aware_trend():
    from replenish.models import MSTL, AutoARIMA

    t = np.arange(24 * 7 * 6 + 48)
    y = 100 + 10 * np.sin(2 * np.pi * t / 24) + 5 * np.cos(2 * np.pi * t / 168) + 0.01 * t
    df = pd.DataFrame({"unique_id": "h", "ds": t[:-48], "y": y[:-48]})
    fc = replenish.forecast(df, h=48, models=[MSTL(season_length=[24, 168])], level=[90])
    assert float(np.mean(np.abs(fc["MSTL"].to_numpy() - y[-48:]))) < 1.0
    assert (fc["MSTL-lo-90"] <= fc["MSTL"]).all()
    # With AutoARIMA as the trend forecaster, the frame's regressors are used.
    promo = (t % 5 == 0).astype(float)
    dfx = df.assign(y=df["y"] + 8 * promo[:-48], promo=promo[:-48])
    X_df = pd.DataFrame({"unique_id": "h", "ds": t[-48:], "promo": promo[-48:]})
    actual = y[-48:] + 8 * promo[-48:]
    fx = replenish.forecast(dfx, h=48, models=[MSTL(season_length=[24, 168], trend_forecaster=AutoARIMA())], X_df=X_df)
    plain = replenish.forecast(dfx, h=48, models=[MSTL(season_length=[24, 168])], X_df=X_df)
    err = lambda f: float(np.mean(np.abs(f["MSTL"].to_numpy() - actual)))  # noqa: E731
    assert err(fx) < 0.7 * err(plain), (err(fx), err(plain))
    with pytest.raises(replenish.ConfigError, match="season_length"):
        replenish.forecast(df, h=2, models=[MSTL(season_length=[])])


def test_event_tables_become_regressor_columns():
    days = pd.date_range("2024-01-01", periods=400, freq="D")
    events = pd.DataFrame({
        "date": ["2024-03-15", "2024-07-15", "2024-11-15", "2025-01-25", "2024-06-01"],
        "name": ["sale", "sale", "sale", "sale", "fair"],
        "location": [None, None, None, None, "L2"],
        "before": [1, 1, 1, 1, 0],
        "after": [1, 1, 1, 1, 0],
    })
    df = pd.DataFrame({"unique_id": "a", "ds": days[:380], "y": 20.0, "loc": "L1"})
    with_events = replenish.event_features(df, events, location_col="loc")
    assert list(with_events.columns) == ["unique_id", "ds", "y", "loc", "fair", "sale"]
    assert with_events["sale"].sum() == 9 and with_events["fair"].sum() == 0  # the fair is at L2
    # Sales triple around the event; AutoARIMA learns it from the columns.
    hist = with_events.assign(y=20.0 + 40.0 * with_events["sale"] + np.sin(np.arange(380))).drop(columns=["loc", "fair"])
    X_df = replenish.event_features(pd.DataFrame({"unique_id": "a", "ds": days[380:]}), events)[["unique_id", "ds", "sale"]]
    fc = replenish.forecast(hist, h=20, models=["AutoARIMA"], X_df=X_df)
    on = fc.merge(X_df, on=["unique_id", "ds"])
    assert on.loc[on["sale"] == 1, "AutoARIMA"].min() > 50 and on.loc[on["sale"] == 0, "AutoARIMA"].max() < 30
    with pytest.raises(replenish.InputError, match="is not a date"):
        replenish.event_features(df, events.assign(date=["x"] * 5))


def test_lead_time_demand_and_paths_take_future_regressors():
    df, last = promo_frame()
    quiet = replenish.lead_time_demand(df, 7, "AutoARIMA", X_df=future_promo(last, on=()), quantiles=[0.5])
    promoted = replenish.lead_time_demand(df, 7, "AutoARIMA", X_df=future_promo(last, on=(1, 2, 3)), quantiles=[0.5])
    lift = promoted["mean"].to_numpy() - quiet["mean"].to_numpy()
    assert np.all((lift > 12) & (lift < 18)), lift  # three promoted days at about +5
    paths = replenish.sample_paths(df, 7, "AutoARIMA", n_paths=50, X_df=future_promo(last, on=(1, 2, 3)))
    assert len(paths) == 2 * 50 * 7 and paths["ds"].iloc[0] == last + pd.Timedelta(days=1)
    with pytest.raises(replenish.InputError, match="X_df"):
        replenish.lead_time_demand(df, 7, "AutoARIMA")


def test_mstl_decomposition_columns_sum_to_the_series():
    t = np.arange(24 * 7 * 6)
    y = 100 + 0.05 * t + 10 * np.sin(2 * np.pi * t / 24) + 5 * np.cos(2 * np.pi * t / 168)
    ds = pd.date_range("2025-01-01", periods=len(t), freq="h")
    df = pd.concat([pd.DataFrame({"unique_id": "a", "ds": ds, "y": y}),
                    pd.DataFrame({"unique_id": "b", "ds": ds[:200], "y": y[:200]})], ignore_index=True)
    d = replenish.mstl_decomposition(df, season_length=[24, 168])
    assert list(d.columns) == ["unique_id", "ds", "y", "trend", "seasonal24", "seasonal168", "remainder"]
    total = d["trend"] + d["seasonal24"] + d["seasonal168"] + d["remainder"]
    assert np.allclose(total, d["y"])
    a = d[d["unique_id"] == "a"].iloc[24 * 7: 24 * 7 * 5]
    assert abs(np.ptp(a["seasonal24"]) - 20) < 2 and abs(np.ptp(a["seasonal168"]) - 10) < 2
    assert (d.loc[d["unique_id"] == "b", "seasonal168"] == 0).all()  # too short for a weekly cycle
    with pytest.raises(replenish.ConfigError, match="at least 2"):
        replenish.mstl_decomposition(df, season_length=1)
