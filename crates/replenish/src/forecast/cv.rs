//! Rolling-origin cross-validation and evaluation of its results.
//!
//! Window `w` of `n_windows` trains on a series up to
//! `len − h − (n_windows − 1 − w) · step_size` and forecasts the next `h` values.
//! With `refit = false`, a model is fitted on the first window only; later windows
//! reuse the parameters it estimated (see [`Fitted::pinned`]) and only update states.

use super::{
    assemble, fit_with_fallback, global_input, outputs, prepare, purpose, run_global, series_key, series_regressors,
    Fitted, ForecastRequest, Future, ModelForecast, ModelSpec, Panel,
};
use crate::error::{Error, Result};
use crate::metrics::{self, MetricArgs};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A cross-validation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CvRequest {
    /// Horizon, models, levels, quantiles, options and fallback.
    pub forecast: ForecastRequest,
    pub n_windows: usize,
    /// Periods between two windows' cutoffs; default `h`.
    pub step_size: Option<usize>,
    pub refit: bool,
}

impl Default for CvRequest {
    fn default() -> Self {
        CvRequest { forecast: ForecastRequest::default(), n_windows: 1, step_size: None, refit: true }
    }
}

/// Cross-validation results in long form: one row per (series, window, step).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    pub ids: Vec<String>,
    pub h: usize,
    /// Series index of each row.
    pub series: Vec<usize>,
    /// Position (in the original series) of the last training value of the row's window.
    pub cutoff: Vec<usize>,
    /// Position (in the original series) of the row's target value.
    pub position: Vec<usize>,
    /// The actual value.
    pub y: Vec<f64>,
    pub levels: Vec<f64>,
    pub quantiles: Vec<f64>,
    pub models: Vec<ModelForecast>,
}

impl CvRequest {
    /// Parses a request as the bindings send it; `forecast` follows
    /// [`ForecastRequest::from_json`] (model names allowed).
    pub fn from_json(text: &str) -> Result<CvRequest> {
        let bad = |e: String| Error::config("cross_validation", e);
        let mut v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let forecast = v.as_object_mut().and_then(|o| o.remove("forecast")).unwrap_or(serde_json::json!({}));
        let forecast = ForecastRequest::from_json(&forecast.to_string())?;
        let mut req: CvRequest = serde_json::from_value(v).map_err(|e| bad(e.to_string()))?;
        req.forecast = forecast;
        Ok(req)
    }
}

/// Runs rolling-origin cross-validation over every series of a panel.
pub fn cross_validation(panel: &Panel, request: &CvRequest) -> Result<CrossValidation> {
    cross_validation_with(panel, request, &crate::progress::Progress::default())
}

/// [`cross_validation`], counting one unit of `progress` per series, window and
/// model, and stopping with [`Error::Cancelled`] once it is cancelled.
pub fn cross_validation_with(
    panel: &Panel,
    request: &CvRequest,
    progress: &crate::progress::Progress,
) -> Result<CrossValidation> {
    progress.check()?;
    let req = &request.forecast;
    if request.n_windows == 0 {
        return Err(Error::config("n_windows", "must be at least 1"));
    }
    let step = request.step_size.unwrap_or(req.h);
    if step == 0 {
        return Err(Error::config("step_size", "must be at least 1"));
    }
    let (specs, fallback, cleaned) = prepare(panel, req)?;
    let span = req.h + (request.n_windows - 1) * step;
    if let Some(i) = cleaned.iter().position(|(y, _)| y.len() <= span) {
        return Err(Error::InvalidInput(format!(
            "series `{}` has {} observations: {} windows of h = {} every {} need more than {span}",
            panel.ids[i],
            cleaned[i].0.len(),
            request.n_windows,
            req.h,
            step
        )));
    }
    let ends = |n: usize| (0..request.n_windows).map(move |w| n - span + w * step);
    progress.add_total(panel.len() * request.n_windows * specs.len());
    let mut models = Vec::with_capacity(specs.len());
    let names = super::unique_names(specs.iter().map(|s| s.name()));
    for (m, (spec, name)) in specs.iter().zip(names).enumerate() {
        if let Some(cfg) = spec.as_global() {
            // One global fit per window, on every series cut at that window's end.
            let mut per_window: Vec<Vec<super::One>> = Vec::with_capacity(request.n_windows);
            for w in 0..request.n_windows {
                let inputs: Vec<super::gbdt::SeriesInput> = (0..panel.len())
                    .map(|i| {
                        let end = ends(cleaned[i].0.len()).nth(w).unwrap_or(0);
                        global_input(panel, i, &cleaned[i], Future::Window { end, h: req.h })
                    })
                    .collect();
                let unit = panel.times.as_ref().map(|t| t.unit);
                progress.check()?;
                let (results, _) = run_global(cfg, &inputs, fallback.as_deref(), req, unit, |i| {
                    (series_key(&panel.ids[i]), purpose(m, w + 1))
                })?;
                progress.advance(panel.len());
                per_window.push(results);
            }
            // Rows are series-major, then window.
            let mut flat = Vec::with_capacity(panel.len() * request.n_windows);
            let mut iters: Vec<_> = per_window.into_iter().map(Vec::into_iter).collect();
            for _ in 0..panel.len() {
                for it in iters.iter_mut() {
                    flat.extend(it.next());
                }
            }
            models.push(assemble(name, flat, req));
            continue;
        }
        let per_series: Vec<Vec<super::One>> = (0..panel.len())
            .into_par_iter()
            .map(|i| -> Result<Vec<super::One>> {
                let (y, kept) = &cleaned[i];
                let mut pinned: Option<Box<dyn ModelSpec>> = None;
                let mut out = Vec::with_capacity(request.n_windows);
                for (w, end) in ends(y.len()).enumerate() {
                    progress.check()?;
                    progress.advance(1);
                    let train = &y[..end];
                    let chosen: &dyn ModelSpec = match (&pinned, request.refit) {
                        (Some(p), false) => p.as_ref(),
                        _ => spec.as_ref(),
                    };
                    let x = if chosen.uses_regressors() {
                        series_regressors(panel, i, kept, Future::Window { end, h: req.h })
                    } else {
                        None
                    };
                    let (fitted, note): (Box<dyn Fitted>, _) =
                        fit_with_fallback(chosen, fallback.as_deref(), train, x.as_ref(), &req.options)?;
                    if w == 0 && !request.refit {
                        pinned = fitted.pinned();
                    }
                    // A stream per (series id, window, model) keeps sample paths reproducible.
                    out.push(outputs(fitted.as_ref(), note, series_key(&panel.ids[i]), purpose(m, w + 1), req));
                }
                Ok(out)
            })
            .collect::<Result<_>>()?;
        let flat: Vec<super::One> = per_series.into_iter().flatten().collect();
        let mut mf = assemble(name, flat, req);
        // Fallback indices refer to (series, window) pairs; report the series.
        for f in &mut mf.fallbacks {
            f.0 /= request.n_windows;
        }
        mf.fallbacks.dedup_by(|a, b| a.0 == b.0);
        models.push(mf);
    }
    let mut cv = CrossValidation {
        ids: panel.ids.clone(),
        h: req.h,
        series: vec![],
        cutoff: vec![],
        position: vec![],
        y: vec![],
        levels: req.levels.clone(),
        quantiles: req.quantiles.clone(),
        models,
    };
    for (i, (y, kept)) in cleaned.iter().enumerate() {
        for end in ends(y.len()) {
            for t in end..end + req.h {
                cv.series.push(i);
                cv.cutoff.push(kept[end - 1]);
                cv.position.push(kept[t]);
                cv.y.push(y[t]);
            }
        }
    }
    Ok(cv)
}

impl CrossValidation {
    /// The forecasts as named columns, in row order (as [`super::BatchForecast::columns`]).
    pub fn columns(&self) -> Vec<(String, &[f64])> {
        super::named_columns(&self.models, &self.levels, &self.quantiles)
    }
}

/// One evaluated value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Series id, or `None` for the average over series.
    pub unique_id: Option<String>,
    pub metric: String,
    pub model: String,
    pub value: f64,
}

/// Rows of forecasts to evaluate, grouped by (series, window): group `g` covers rows
/// `offsets[g]..offsets[g + 1]`, belongs to series `group_series[g]`, and was trained
/// on `insample[insample_offsets[g]..insample_offsets[g + 1]]` (for scaled metrics).
#[derive(Debug, Clone, Copy)]
pub struct EvalInput<'a> {
    pub ids: &'a [String],
    pub group_series: &'a [usize],
    pub offsets: &'a [usize],
    pub y: &'a [f64],
    pub insample: &'a [f64],
    pub insample_offsets: &'a [usize],
    /// Named forecast columns (`Model`, `Model-lo-80`, `Model-q-0.9`, ...).
    pub columns: &'a [(String, &'a [f64])],
}

/// Scores every model column with every metric: per group, then averaged over a
/// series' windows, then over series (`unique_id = None`). `coverage` is computed for
/// each `-lo-L`/`-hi-L` pair (as `coverage-L`); `pinball` and `scaled_pinball` for each
/// `-q-τ` column (as `pinball-q-τ`); the others for each point-forecast column.
pub fn evaluate(input: &EvalInput<'_>, metric_names: &[String], m: usize) -> Result<Vec<Score>> {
    let groups = input.group_series.len();
    if input.offsets.len() != groups + 1 || input.insample_offsets.len() != groups + 1 {
        return Err(Error::InvalidInput("evaluation groups, offsets and in-sample offsets disagree".into()));
    }
    for name in metric_names {
        if !metrics::METRICS.contains(&name.as_str()) {
            return Err(Error::InvalidInput(format!(
                "unknown metric `{name}`; known: {}",
                metrics::METRICS.join(", ")
            )));
        }
    }
    let mut jobs: Vec<Job<'_>> = vec![];
    let col = |name: &str| input.columns.iter().position(|(n, _)| n == name);
    for (k, (name, _)) in input.columns.iter().enumerate() {
        for metric in metric_names {
            match metric.as_str() {
                "coverage" => {
                    if let Some((model, level)) = name.split_once("-lo-") {
                        if let Some(hi) = col(&format!("{model}-hi-{level}")) {
                            jobs.push((format!("coverage-{level}"), "coverage", model.to_string(), k, Some(hi), None));
                        }
                    }
                }
                "pinball" | "scaled_pinball" => {
                    if let Some((model, q)) = name.split_once("-q-") {
                        if let Ok(qv) = q.parse::<f64>() {
                            jobs.push((format!("{metric}-q-{q}"), metric, model.to_string(), k, None, Some(qv)));
                        }
                    }
                }
                _ if !name.contains("-lo-") && !name.contains("-hi-") && !name.contains("-q-") => {
                    jobs.push((metric.clone(), metric, name.clone(), k, None, None));
                }
                _ => {}
            }
        }
    }
    let n_series = input.ids.len();
    let mut out = Vec::new();
    for (metric, base, model, c, hi, q) in &jobs {
        let mut per_series: Vec<(f64, usize)> = vec![(0.0, 0); n_series];
        for g in 0..groups {
            let rows = input.offsets[g]..input.offsets[g + 1];
            let ins = &input.insample[input.insample_offsets[g]..input.insample_offsets[g + 1]];
            let args = MetricArgs { insample: Some(ins), m, q: *q, hi: hi.map(|h| &input.columns[h].1[rows.clone()]) };
            let v = metrics::by_name(base, &input.y[rows.clone()], &input.columns[*c].1[rows], &args)?;
            if !v.is_nan() {
                let s = &mut per_series[input.group_series[g]];
                s.0 += v;
                s.1 += 1;
            }
        }
        let (mut total, mut count) = (0.0, 0);
        for (i, (sum, n)) in per_series.iter().enumerate() {
            if *n > 0 {
                let v = sum / *n as f64;
                total += v;
                count += 1;
                out.push(Score {
                    unique_id: Some(input.ids[i].clone()),
                    metric: metric.clone(),
                    model: model.clone(),
                    value: v,
                });
            }
        }
        out.push(Score {
            unique_id: None,
            metric: metric.clone(),
            model: model.clone(),
            value: total / count.max(1) as f64,
        });
    }
    Ok(out)
}

/// (output name, metric computed, model, point or lower-bound column, upper-bound column, quantile level)
type Job<'m> = (String, &'m str, String, usize, Option<usize>, Option<f64>);

/// Evaluates a cross-validation run against its own panel.
pub fn evaluate_cv(panel: &Panel, cv: &CrossValidation, metric_names: &[String], m: usize) -> Result<Vec<Score>> {
    let mut group_series = vec![];
    let mut offsets = vec![0];
    let mut insample = vec![];
    let mut insample_offsets = vec![0];
    let mut r = 0;
    while r < cv.y.len() {
        let (s, cut) = (cv.series[r], cv.cutoff[r]);
        let mut e = r;
        while e < cv.y.len() && cv.series[e] == s && cv.cutoff[e] == cut {
            e += 1;
        }
        group_series.push(s);
        offsets.push(e);
        insample.extend(panel.series(s)[..=cut].iter().filter(|v| !v.is_nan()));
        insample_offsets.push(insample.len());
        r = e;
    }
    let columns = cv.columns();
    evaluate(
        &EvalInput {
            ids: &cv.ids,
            group_series: &group_series,
            offsets: &offsets,
            y: &cv.y,
            insample: &insample,
            insample_offsets: &insample_offsets,
            columns: &columns,
        },
        metric_names,
        m,
    )
}
