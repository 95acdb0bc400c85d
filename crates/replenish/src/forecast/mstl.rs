//! MSTL: decomposition by STL for several seasonal periods (Bandara, Hyndman &
//! Bergmeir 2021), as statsforecast's `MSTL`. Periods are taken shortest first; each
//! STL pass re-estimates one seasonal component on the series less the others (two
//! passes over all periods; one for a single period), with seasonal windows
//! 7 + 4·i and locally constant cycle-subseries smoothing (degree 0, R's and
//! statsforecast's default). Periods of at least half the series length are left out. A fractional
//! period (365.25) is rounded for the decomposition.
//!
//! The forecast is the trend forecaster's forecast of the seasonally adjusted series
//! (trend + remainder; by default AutoETS without a season, with regressors when the
//! trend model takes them) plus each seasonal component's last cycle repeated. Its
//! distribution is the trend model's, shifted by the seasonal forecast.

use super::stl::stl;
use super::{FitOptions, Fitted, MissingPolicy, ModelSpec, Panel, SeriesRegressors};
use crate::error::{Error, Result};
use rand_chacha::ChaCha8Rng;

/// MSTL with its periods and trend forecaster.
#[derive(Debug)]
pub struct Mstl {
    pub periods: Vec<f64>,
    pub trend: Box<dyn ModelSpec>,
}

/// A multiple-seasonal decomposition: `y = trend + Σ seasonal + remainder`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    /// The periods used (rounded), shortest first.
    pub periods: Vec<usize>,
    pub trend: Vec<f64>,
    /// One component per period used.
    pub seasonals: Vec<Vec<f64>>,
    pub remainder: Vec<f64>,
}

/// Decomposes `y` by MSTL; periods below 2 or of at least half the length are left out.
pub fn mstl(y: &[f64], periods: &[f64]) -> Decomposition {
    let n = y.len();
    let mut used: Vec<usize> = periods.iter().map(|p| p.round() as usize).filter(|&p| p >= 2 && 2 * p < n).collect();
    used.sort_unstable();
    used.dedup();
    if used.is_empty() {
        return Decomposition { periods: used, trend: y.to_vec(), seasonals: vec![], remainder: vec![0.0; n] };
    }
    let iterate = if used.len() == 1 { 1 } else { 2 };
    let mut seasonals = vec![vec![0.0; n]; used.len()];
    let mut deseas = y.to_vec();
    let mut trend = vec![0.0; n];
    for _ in 0..iterate {
        for (i, &p) in used.iter().enumerate() {
            for (d, s) in deseas.iter_mut().zip(&seasonals[i]) {
                *d += s;
            }
            let fit = stl(&deseas, p, 7 + 4 * (i + 1), 0);
            for (d, s) in deseas.iter_mut().zip(&fit.seasonal) {
                *d -= s;
            }
            seasonals[i] = fit.seasonal;
            trend = fit.trend;
        }
    }
    let remainder = deseas.iter().zip(&trend).map(|(d, t)| d - t).collect();
    Decomposition { periods: used, trend, seasonals, remainder }
}

/// Column name of a period's seasonal component: `seasonal7`, `seasonal365.25`.
fn seasonal_name(p: f64) -> String {
    format!("seasonal{p}")
}

/// MSTL decompositions of every series of a panel, as columns aligned with its
/// values: `trend`, `seasonal<p>` per requested period (in the order given; 0 on a
/// series too short for that period, which MSTL leaves out) and `remainder`, with
/// `y = trend + Σ seasonal + remainder`. Missing values are
/// handled by `missing` first (with `drop`, the columns follow the kept values).
pub fn decompose_panel(panel: &Panel, periods: &[f64], missing: MissingPolicy) -> Result<Vec<(String, Vec<f64>)>> {
    use rayon::prelude::*;
    if periods.is_empty() {
        return Err(Error::config("season_length", "give at least one seasonal period"));
    }
    if let Some(p) = periods.iter().find(|p| !(p.is_finite() && **p >= 2.0)) {
        return Err(Error::config("season_length", format!("period {p} must be at least 2")));
    }
    let parts: Vec<(Decomposition, usize)> = (0..panel.len())
        .into_par_iter()
        .map(|i| {
            let y = super::clean(&panel.ids[i], panel.series(i), missing)?;
            Ok((mstl(&y, periods), y.len()))
        })
        .collect::<Result<_>>()?;
    let total: usize = parts.iter().map(|p| p.1).sum();
    let mut trend = Vec::with_capacity(total);
    let mut remainder = Vec::with_capacity(total);
    let mut seasonal = vec![Vec::with_capacity(total); periods.len()];
    for (d, n) in &parts {
        trend.extend(&d.trend);
        remainder.extend(&d.remainder);
        for (k, p) in periods.iter().enumerate() {
            match d.periods.iter().position(|&u| u == p.round() as usize) {
                Some(j) => seasonal[k].extend(&d.seasonals[j]),
                None => seasonal[k].extend(std::iter::repeat_n(0.0, *n)),
            }
        }
    }
    let mut out = vec![("trend".to_string(), trend)];
    out.extend(periods.iter().map(|&p| seasonal_name(p)).zip(seasonal));
    out.push(("remainder".to_string(), remainder));
    Ok(out)
}

#[derive(Debug)]
struct FittedMstl {
    trend: Box<dyn Fitted>,
    /// The seasonal components' last cycles.
    cycles: Vec<Vec<f64>>,
}

impl FittedMstl {
    fn seasonal(&self, h: usize) -> Vec<f64> {
        (0..h).map(|t| self.cycles.iter().map(|c| c[t % c.len()]).sum()).collect()
    }
}

impl Fitted for FittedMstl {
    fn mean(&self, h: usize) -> Vec<f64> {
        self.trend.mean(h).iter().zip(self.seasonal(h)).map(|(a, b)| a + b).collect()
    }
    fn sd(&self, h: usize) -> Option<Vec<f64>> {
        self.trend.sd(h)
    }
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        self.trend.simulate(h, rng).iter().zip(self.seasonal(h)).map(|(a, b)| a + b).collect()
    }
    fn effects(&self) -> Vec<(String, Vec<f64>)> {
        self.trend.effects()
    }
}

impl ModelSpec for Mstl {
    fn name(&self) -> String {
        "MSTL".into()
    }
    fn min_length(&self) -> usize {
        self.trend.min_length().max(4)
    }
    fn fit(&self, y: &[f64], o: &FitOptions) -> Result<Box<dyn Fitted>> {
        self.fit_with(y, None, o)
    }
    fn uses_regressors(&self) -> bool {
        self.trend.uses_regressors()
    }
    fn fit_with(&self, y: &[f64], x: Option<&SeriesRegressors>, o: &FitOptions) -> Result<Box<dyn Fitted>> {
        let d = mstl(y, &self.periods);
        let adjusted: Vec<f64> = (0..y.len()).map(|t| d.trend[t] + d.remainder[t]).collect();
        let trend = self
            .trend
            .fit_with(&adjusted, x, o)
            .map_err(|e| Error::InvalidInput(format!("MSTL: the trend forecaster {}: {e}", self.trend.name())))?;
        let cycles = d.periods.iter().zip(&d.seasonals).map(|(&p, s)| s[s.len() - p..].to_vec()).collect();
        Ok(Box::new(FittedMstl { trend, cycles }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{Ets, Naive};

    fn two_seasons(n: usize) -> Vec<f64> {
        (0..n)
            .map(|t| {
                let t = t as f64;
                100.0
                    + 0.05 * t
                    + 10.0 * (2.0 * std::f64::consts::PI * t / 24.0).sin()
                    + 5.0 * (2.0 * std::f64::consts::PI * t / 168.0).cos()
            })
            .collect()
    }

    #[test]
    fn separates_two_seasonal_cycles() {
        let y = two_seasons(24 * 7 * 8);
        let d = mstl(&y, &[168.0, 24.0, 9999.0]);
        assert_eq!(d.periods, vec![24, 168]);
        // The daily component swings ±10, the weekly ±5; the remainder is small.
        let range = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min);
        let mid = 24 * 7 * 2..24 * 7 * 6;
        assert!((range(&d.seasonals[0][mid.clone()]) - 20.0).abs() < 2.0, "{}", range(&d.seasonals[0]));
        assert!((range(&d.seasonals[1][mid.clone()]) - 10.0).abs() < 2.0, "{}", range(&d.seasonals[1]));
        assert!(d.remainder[mid].iter().all(|r| r.abs() < 1.0));
        let sum: Vec<f64> =
            (0..y.len()).map(|t| d.trend[t] + d.seasonals[0][t] + d.seasonals[1][t] + d.remainder[t]).collect();
        assert!(sum.iter().zip(&y).all(|(a, b)| (a - b).abs() < 1e-9));
    }

    #[test]
    fn panels_decompose_into_columns() {
        let long = two_seasons(24 * 7 * 8);
        let short = two_seasons(200);
        let n = long.len();
        let values: Vec<f64> = long.iter().chain(&short).copied().collect();
        let panel = Panel::new(vec!["a".into(), "b".into()], vec![0, n, n + 200], values.clone()).unwrap_or_default();
        let cols = decompose_panel(&panel, &[24.0, 168.0], MissingPolicy::Error).unwrap_or_default();
        let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(names, ["trend", "seasonal24", "seasonal168", "remainder"]);
        // Series b is too short for the weekly period: its column is 0 there.
        assert!(cols[2].1[n..].iter().all(|v| *v == 0.0));
        assert!(cols[1].1[n..].iter().any(|v| *v != 0.0));
        for (t, v) in values.iter().enumerate() {
            let sum: f64 = cols.iter().map(|c| c.1[t]).sum();
            assert!((sum - v).abs() < 1e-9);
        }
        assert!(decompose_panel(&panel, &[1.0], MissingPolicy::Error).is_err());
        assert!(decompose_panel(&panel, &[], MissingPolicy::Error).is_err());
    }

    #[test]
    fn forecasts_both_cycles() {
        let y = two_seasons(24 * 7 * 8 + 48);
        let (train, test) = y.split_at(24 * 7 * 8);
        let spec = Mstl {
            periods: vec![24.0, 168.0],
            trend: Box::new(Ets { season_length: 1, spec: None, name: "AutoETS".into() }),
        };
        let f = spec.fit(train, &FitOptions::default()).unwrap();
        let mae = f.mean(48).iter().zip(test).map(|(a, b)| (a - b).abs()).sum::<f64>() / 48.0;
        assert!(mae < 1.0, "{mae}");
        let naive = Mstl { periods: vec![], trend: Box::new(Naive) }.fit(train, &FitOptions::default()).unwrap();
        assert_eq!(naive.mean(2), vec![train[train.len() - 1]; 2]);
    }
}
