//! A global gradient-boosted-trees forecaster: one model learnt across every series
//! of a panel (as mlforecast with LightGBM), on lag, rolling-mean and calendar
//! features plus the user's regressors (promotion flags, prices, events, weather).
//!
//! - **Scaling.** Each series is divided by its mean absolute value, so stores of
//!   different sizes share one model of relative patterns; forecasts are scaled back.
//! - **Strategies.** `recursive` forecasts one step at a time, feeding forecasts
//!   back into the lags; `direct` uses only lags of at least `h` (values known at
//!   the forecast origin), so one model serves every step without feedback.
//! - **Distribution.** When intervals, quantiles or paths are asked for, the model
//!   is also fitted with each series' last `h` values held out; the relative errors
//!   of that forecast, one path per series, are the empirical error paths
//!   (conformal, as mlforecast's prediction intervals). A path's errors are drawn
//!   together, so totals over the horizon keep the errors' correlation.
//! - **Explanation.** Feature importance (share of the total gain), and per
//!   regressor the *effect*: the forecast less the forecast with that regressor at
//!   its usual value (its most frequent value in the history: 0 for a promotion
//!   flag, the regular price for a price), recursion included.
//!
//! Trees are grown leaf-wise on histograms by `hessboost` (pure Rust, deterministic
//! on any number of threads).

use super::exog::TimeUnit;
use super::{Fitted, SeriesRegressors};
use crate::error::{Error, Result};
use chrono::{Datelike, Timelike};
use hessboost::config::GrowPolicy;
use hessboost::objective::RegLoss;
use hessboost::prelude::{train, DMatrix, Iterations, Objective, TrainingParams, TreeMethod};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How multi-step forecasts are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// One step at a time, forecasts fed back into the lags.
    #[default]
    Recursive,
    /// Lags of at least `h` only: every step from values known at the origin.
    Direct,
}

/// The GBDT model's features and boosting parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GbdtConfig {
    /// Lags of the target; empty = 1, 2, 3 and 1–4 seasons (1–7 without a season).
    pub lags: Vec<usize>,
    /// Windows of rolling means ending at the most recent usable lag; empty = one
    /// and four seasons (7 and 28 without a season).
    pub rolling_means: Vec<usize>,
    /// Season length: the default lags, and the position-in-season feature when
    /// times are plain integers.
    pub season_length: usize,
    pub strategy: Strategy,
    /// Calendar features from the times (day of week, day of month, month, day of
    /// year, ISO week, hour) when they are dates.
    pub calendar: bool,
    /// Divide each series by its mean absolute value.
    pub scale: bool,
    pub n_estimators: usize,
    pub learning_rate: f64,
    pub num_leaves: usize,
    /// Fewest training rows in a leaf.
    pub min_data_in_leaf: usize,
    /// L2 regularisation of leaf values.
    pub lambda: f64,
    /// Share of rows sampled per tree (1 = all).
    pub subsample: f64,
    /// Share of features sampled per tree (1 = all).
    pub colsample: f64,
    /// Most histogram bins per feature (split thresholds come from quantiles).
    pub max_bin: usize,
    pub seed: u64,
}

impl Default for GbdtConfig {
    fn default() -> Self {
        GbdtConfig {
            lags: Vec::new(),
            rolling_means: Vec::new(),
            season_length: 1,
            strategy: Strategy::Recursive,
            calendar: true,
            scale: true,
            n_estimators: 500,
            learning_rate: 0.05,
            num_leaves: 31,
            min_data_in_leaf: 20,
            lambda: 0.0,
            subsample: 1.0,
            colsample: 1.0,
            max_bin: 255,
            seed: 0,
        }
    }
}

impl GbdtConfig {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, msg: &str| Err(Error::config(field, msg));
        if self.season_length == 0 {
            return bad("season_length", "must be at least 1");
        }
        if self.lags.contains(&0) {
            return bad("lags", "lags start at 1");
        }
        if self.rolling_means.contains(&0) {
            return bad("rolling_means", "windows must be at least 1");
        }
        if self.n_estimators == 0 || self.n_estimators > 100_000 {
            return bad("n_estimators", "must be between 1 and 100000");
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 1.0) {
            return bad("learning_rate", "must be in (0, 1]");
        }
        if self.num_leaves < 2 {
            return bad("num_leaves", "must be at least 2");
        }
        if !(self.lambda >= 0.0 && self.lambda.is_finite()) {
            return bad("lambda", "must be ≥ 0");
        }
        if !(self.subsample > 0.0 && self.subsample <= 1.0 && self.colsample > 0.0 && self.colsample <= 1.0) {
            return bad("subsample", "subsample and colsample must be in (0, 1]");
        }
        if !(2..=65_535).contains(&self.max_bin) {
            return bad("max_bin", "must be between 2 and 65535");
        }
        Ok(())
    }

    fn default_lags(&self) -> Vec<usize> {
        let m = self.season_length;
        let mut lags: Vec<usize> = if m > 1 { vec![1, 2, 3, m, 2 * m, 3 * m, 4 * m] } else { (1..=7).collect() };
        if !self.lags.is_empty() {
            lags = self.lags.clone();
        }
        lags.sort_unstable();
        lags.dedup();
        lags
    }

    fn windows(&self) -> Vec<usize> {
        let m = self.season_length;
        if !self.rolling_means.is_empty() {
            return self.rolling_means.clone();
        }
        if m > 1 {
            vec![m, 4 * m]
        } else {
            vec![7, 28]
        }
    }
}

/// Values a series needs before its first training row (the longest lag or window).
pub(crate) fn warmup(cfg: &GbdtConfig, h: usize) -> usize {
    Layout::new(cfg, h, Calendar::None, &[]).warmup()
}

/// Times of a panel's observations and of its horizon (for calendar features).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Times {
    pub unit: TimeUnit,
    /// One time per value of the panel.
    pub history: Vec<i64>,
    /// `h` times per series (series order); empty: each series' last step repeated.
    #[serde(default)]
    pub future: Vec<i64>,
}

/// One series as the global model sees it: values (missing ones already handled),
/// their times, the horizon's times, and regressors.
#[derive(Debug, Clone)]
pub(crate) struct SeriesInput {
    pub y: Vec<f64>,
    pub times: Option<Vec<i64>>,
    pub future_times: Option<Vec<i64>>,
    pub x: Option<SeriesRegressors>,
}

/// What the global model returns per series, and for the panel.
#[derive(Debug)]
pub(crate) struct GlobalForecast {
    pub fitted: Vec<Box<dyn Fitted>>,
    /// (feature, share of the total gain), largest first.
    pub importance: Vec<(String, f64)>,
    /// Per regressor: forecast less the forecast with it at its usual value
    /// (`n_series × h`).
    pub effects: Vec<(String, Vec<f64>)>,
}

#[derive(Debug, Clone, Copy)]
enum Calendar {
    None,
    Position(usize),
    Dates(TimeUnit),
}

/// The feature layout shared by training and forecasting.
struct Layout {
    lags: Vec<usize>,
    windows: Vec<usize>,
    /// Lag at which rolling windows end (1, or h for the direct strategy).
    roll_lag: usize,
    calendar: Calendar,
    n_reg: usize,
    names: Vec<String>,
}

impl Layout {
    fn new(cfg: &GbdtConfig, h: usize, calendar: Calendar, regressors: &[String]) -> Layout {
        let shift = if cfg.strategy == Strategy::Direct { h - 1 } else { 0 };
        let lags: Vec<usize> = cfg.default_lags().into_iter().map(|l| l + shift).collect();
        let windows = cfg.windows();
        let roll_lag = 1 + shift;
        let mut names: Vec<String> = lags.iter().map(|l| format!("lag{l}")).collect();
        names.extend(windows.iter().map(|w| format!("rolling_mean{w}")));
        match calendar {
            Calendar::None => {}
            Calendar::Position(_) => names.push("season_position".into()),
            Calendar::Dates(_) => {
                names.extend(["dayofweek", "day", "month", "dayofyear", "week", "hour"].map(String::from))
            }
        }
        names.extend(regressors.iter().cloned());
        Layout { lags, windows, roll_lag, calendar, n_reg: regressors.len(), names }
    }

    /// Values needed before the first usable target.
    fn warmup(&self) -> usize {
        let lag = self.lags.iter().copied().max().unwrap_or(0);
        let roll = self.windows.iter().map(|w| self.roll_lag + w - 1).max().unwrap_or(0);
        lag.max(roll)
    }

    /// Appends the features of position `t` of `v` (scaled values; only `..t` read).
    fn row(&self, v: &[f64], t: usize, time: Option<i64>, reg: impl Fn(usize) -> f64, out: &mut Vec<f32>) {
        for &l in &self.lags {
            out.push(v[t - l] as f32);
        }
        for &w in &self.windows {
            let end = t + 1 - self.roll_lag;
            out.push((v[end - w..end].iter().sum::<f64>() / w as f64) as f32);
        }
        match self.calendar {
            Calendar::None => {}
            Calendar::Position(m) => out.push((t % m) as f32),
            Calendar::Dates(unit) => {
                let stamp = time.and_then(|t| match unit {
                    TimeUnit::Nanoseconds => Some(chrono::DateTime::from_timestamp_nanos(t)),
                    TimeUnit::Milliseconds => chrono::DateTime::from_timestamp_millis(t),
                    TimeUnit::Index => None,
                });
                match stamp {
                    Some(s) => out.extend([
                        s.weekday().num_days_from_monday() as f32,
                        s.day() as f32,
                        s.month() as f32,
                        s.ordinal() as f32,
                        s.iso_week().week() as f32,
                        s.hour() as f32,
                    ]),
                    None => out.extend([f32::NAN; 6]),
                }
            }
        }
        for k in 0..self.n_reg {
            out.push(reg(k) as f32);
        }
    }
}

fn scale_of(y: &[f64], on: bool) -> f64 {
    if !on || y.is_empty() {
        return 1.0;
    }
    let s = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
    if s > 0.0 && s.is_finite() {
        s
    } else {
        1.0
    }
}

/// A model fitted to every series at once.
struct Trained {
    model: hessboost::model::BoostedModel,
    layout: Layout,
    scales: Vec<f64>,
}

fn gbdt_err(e: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("GBDT: {e}"))
}

fn fit_global(
    cfg: &GbdtConfig,
    series: &[SeriesInput],
    h: usize,
    calendar: Calendar,
    names: &[String],
) -> Result<Trained> {
    let layout = Layout::new(cfg, h, calendar, names);
    let warm = layout.warmup();
    let nf = layout.names.len();
    let scales: Vec<f64> = series.iter().map(|s| scale_of(&s.y, cfg.scale)).collect();
    let rows: Vec<(Vec<f32>, Vec<f32>)> = series
        .par_iter()
        .zip(&scales)
        .map(|(s, &scale)| {
            let v: Vec<f64> = s.y.iter().map(|y| y / scale).collect();
            let n = v.len();
            let mut x = Vec::with_capacity(n.saturating_sub(warm) * nf);
            let mut target = Vec::with_capacity(n.saturating_sub(warm));
            for t in warm..n {
                let time = s.times.as_ref().map(|ts| ts[t]);
                layout.row(&v, t, time, |k| s.x.as_ref().map_or(0.0, |x| x.history[k][t]), &mut x);
                target.push(v[t] as f32);
            }
            (x, target)
        })
        .collect();
    let n_rows: usize = rows.iter().map(|r| r.1.len()).sum();
    if n_rows < 2 * cfg.min_data_in_leaf.max(1) {
        return Err(gbdt_err(format!(
            "{n_rows} training rows after the first {warm} values of each series (the longest lag and window); give longer series or shorter lags"
        )));
    }
    let mut x = Vec::with_capacity(n_rows * nf);
    let mut y = Vec::with_capacity(n_rows);
    for (rx, ry) in rows {
        x.extend(rx);
        y.extend(ry);
    }
    let data = DMatrix::from_dense_vec(x, n_rows, nf).and_then(|d| d.with_labels(&y)).map_err(gbdt_err)?;
    let mut params = TrainingParams::builder()
        .objective(Objective::SquaredError(RegLoss::default()))
        .tree_method(TreeMethod::Hist)
        .grow_policy(GrowPolicy::LossGuide)
        .max_leaves(cfg.num_leaves)
        .unlimited_depth()
        .eta(cfg.learning_rate)
        .build()
        .map_err(gbdt_err)?;
    params.min_child_weight = cfg.min_data_in_leaf as f64;
    params.lambda = cfg.lambda;
    params.subsample = cfg.subsample;
    params.colsample_bytree = cfg.colsample;
    params.max_bin = cfg.max_bin;
    params.seed = cfg.seed;
    let model = train(&params, &data, cfg.n_estimators).map_err(gbdt_err)?;
    Ok(Trained { model, layout, scales })
}

/// The horizon's time of step `s` for a series (given, or its last step repeated).
fn future_time(s: &SeriesInput, step: usize) -> Option<i64> {
    if let Some(f) = &s.future_times {
        return f.get(step).copied();
    }
    let ts = s.times.as_ref()?;
    let last = *ts.last()?;
    let delta = if ts.len() >= 2 { last - ts[ts.len() - 2] } else { 1 };
    Some(last + delta * (step as i64 + 1))
}

impl Trained {
    fn predict(&self, rows: Vec<f32>, n: usize) -> Result<Vec<f64>> {
        let data = DMatrix::from_dense_vec(rows, n, self.layout.names.len()).map_err(gbdt_err)?;
        let p = self.model.predict(&data, Iterations::Best).map_err(gbdt_err)?;
        Ok(p.as_slice().iter().map(|v| f64::from(*v)).collect())
    }

    /// Forecasts `h` steps of every series; `reg(series, k, step)` gives future
    /// regressor values. Returns `n_series × h` values in the series' units.
    fn forecast(&self, series: &[SeriesInput], h: usize, reg: &dyn Fn(usize, usize, usize) -> f64) -> Result<Vec<f64>> {
        let nf = self.layout.names.len();
        let mut values: Vec<Vec<f64>> =
            series.iter().zip(&self.scales).map(|(s, sc)| s.y.iter().map(|y| y / sc).collect()).collect();
        let mut out = vec![0.0; series.len() * h];
        let steps: Vec<Vec<usize>> = match self.layout.roll_lag {
            1 => (0..h).map(|s| vec![s]).collect(),
            _ => vec![(0..h).collect()],
        };
        for block in steps {
            let mut rows = Vec::with_capacity(series.len() * block.len() * nf);
            for (i, s) in series.iter().enumerate() {
                let n = s.y.len();
                for &step in &block {
                    let t = n + step;
                    // Direct: the positions beyond the data are never read (lags ≥ h).
                    if values[i].len() <= t {
                        values[i].resize(t + 1, f64::NAN);
                    }
                    self.layout.row(&values[i], t, future_time(s, step), |k| reg(i, k, step), &mut rows);
                }
            }
            let pred = self.predict(rows, series.len() * block.len())?;
            for (i, _) in series.iter().enumerate() {
                for (b, &step) in block.iter().enumerate() {
                    let v = pred[i * block.len() + b];
                    values[i][series[i].y.len() + step] = v;
                    out[i * h + step] = v * self.scales[i];
                }
            }
        }
        Ok(out)
    }

    fn importance(&self) -> Vec<(String, f64)> {
        let gains = self.model.feature_importance(hessboost::model::ImportanceType::TotalGain);
        let total: f64 = gains.values().sum();
        let mut out: Vec<(String, f64)> = self
            .layout
            .names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.clone(), if total > 0.0 { gains.get(&k).copied().unwrap_or(0.0) / total } else { 0.0 }))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }
}

/// The most frequent value of a column (ties: the smallest).
pub(crate) fn usual_value(col: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = col.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let (mut best, mut best_n, mut k) = (0.0, 0, 0);
    while k < sorted.len() {
        let j = sorted[k..].iter().position(|v| *v != sorted[k]).map_or(sorted.len(), |p| k + p);
        if j - k > best_n {
            (best, best_n) = (sorted[k], j - k);
        }
        k = j;
    }
    best
}

/// Fits the global model and forecasts `h` steps of every series; with
/// `distribution`, also the held-out error paths for intervals and sample paths.
pub(crate) fn forecast_global(
    cfg: &GbdtConfig,
    series: &[SeriesInput],
    h: usize,
    unit: Option<TimeUnit>,
    distribution: bool,
) -> Result<GlobalForecast> {
    cfg.validate()?;
    let names: Vec<String> = series.iter().find_map(|s| s.x.as_ref().map(|x| x.names.clone())).unwrap_or_default();
    let calendar = match unit {
        Some(u @ (TimeUnit::Nanoseconds | TimeUnit::Milliseconds)) if cfg.calendar => Calendar::Dates(u),
        _ if cfg.season_length > 1 => Calendar::Position(cfg.season_length),
        _ => Calendar::None,
    };
    let trained = fit_global(cfg, series, h, calendar, &names)?;
    let future = |i: usize, k: usize, step: usize| series[i].x.as_ref().map_or(0.0, |x| x.future[k][step]);
    let mean = trained.forecast(series, h, &future)?;
    // Effects: the forecast less the forecast with one regressor at its usual value.
    let mut effects = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        let usual: Vec<f64> = series.iter().map(|s| s.x.as_ref().map_or(0.0, |x| usual_value(&x.history[k]))).collect();
        let base = trained.forecast(series, h, &|i, kk, step| if kk == k { usual[i] } else { future(i, kk, step) })?;
        effects.push((name.clone(), mean.iter().zip(&base).map(|(a, b)| a - b).collect()));
    }
    let errors = if distribution { Some(Arc::new(held_out_errors(cfg, series, h, calendar, &names)?)) } else { None };
    let fitted = (0..series.len())
        .map(|i| {
            Box::new(EmpiricalPaths {
                mean: mean[i * h..(i + 1) * h].to_vec(),
                scale: trained.scales[i],
                errors: errors.clone(),
            }) as Box<dyn Fitted>
        })
        .collect();
    Ok(GlobalForecast { fitted, importance: trained.importance(), effects })
}

/// Relative errors (actual − forecast) / scale of a forecast made with every series'
/// last `h` values held out: one path per series long enough.
fn held_out_errors(
    cfg: &GbdtConfig,
    series: &[SeriesInput],
    h: usize,
    calendar: Calendar,
    names: &[String],
) -> Result<Vec<Vec<f64>>> {
    let warm = Layout::new(cfg, h, calendar, names).warmup();
    let cut: Vec<(usize, SeriesInput)> = series
        .iter()
        .enumerate()
        .filter(|(_, s)| s.y.len() > warm + h + 1)
        .map(|(i, s)| {
            let n = s.y.len() - h;
            let x = s.x.as_ref().map(|x| x.window(n, h));
            let times = s.times.as_ref().map(|t| t[..n].to_vec());
            let future_times = s.times.as_ref().map(|t| t[n..].to_vec());
            (i, SeriesInput { y: s.y[..n].to_vec(), times, future_times, x })
        })
        .collect();
    if cut.is_empty() {
        return Err(gbdt_err(format!(
            "intervals and quantiles come from a forecast of each series' last {h} values, and no series is longer than {}",
            warm + h + 1
        )));
    }
    let inputs: Vec<SeriesInput> = cut.iter().map(|(_, s)| s.clone()).collect();
    let trained = fit_global(cfg, &inputs, h, calendar, names)?;
    let fc = trained.forecast(&inputs, h, &|i, k, step| inputs[i].x.as_ref().map_or(0.0, |x| x.future[k][step]))?;
    Ok(cut
        .iter()
        .enumerate()
        .map(|(j, (i, s))| {
            let actual = &series[*i].y[s.y.len()..];
            (0..h).map(|t| (actual[t] - fc[j * h + t]) / trained.scales[j]).collect()
        })
        .collect())
}

/// Forecast of one series with empirical error paths (relative to its scale).
#[derive(Debug)]
struct EmpiricalPaths {
    mean: Vec<f64>,
    scale: f64,
    errors: Option<Arc<Vec<Vec<f64>>>>,
}

impl Fitted for EmpiricalPaths {
    fn mean(&self, h: usize) -> Vec<f64> {
        (0..h).map(|t| self.mean.get(t).copied().unwrap_or(f64::NAN)).collect()
    }

    fn sd(&self, _h: usize) -> Option<Vec<f64>> {
        None
    }

    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mean = self.mean(h);
        match &self.errors {
            Some(e) if !e.is_empty() => {
                let path = &e[rng.random_range(0..e.len())];
                mean.iter().enumerate().map(|(t, m)| m + self.scale * path.get(t).copied().unwrap_or(0.0)).collect()
            }
            _ => mean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_value_is_the_most_frequent() {
        assert_eq!(usual_value(&[0.0, 1.0, 0.0, 1.0, 0.0]), 0.0);
        assert_eq!(usual_value(&[4.99, 3.99, 4.99]), 4.99);
    }

    #[test]
    fn parameters_are_checked() {
        assert!(GbdtConfig { lags: vec![0], ..Default::default() }.validate().is_err());
        assert!(GbdtConfig { learning_rate: 0.0, ..Default::default() }.validate().is_err());
        assert!(GbdtConfig::default().validate().is_ok());
    }
}
