//! Baseline models, with statsforecast's point forecasts and interval formulas.
//!
//! σ is the root mean square of the in-sample one-step residuals (with the degrees
//! of freedom statsforecast removes). Forecast standard deviations per step:
//! Naive σ·√h; SeasonalNaive σ·√(⌊(h−1)/m⌋+1); HistoricAverage σ·√(1+1/n);
//! RandomWalkWithDrift σ·√(h·(1+h/(n−1))); window averages σ (independent days).

use super::{normal_draw, residual_sigma, FitOptions, Fitted, ModelSpec};
use crate::error::{Error, Result};
use rand_chacha::ChaCha8Rng;

/// Last value carried forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Naive;

#[derive(Debug, Clone, PartialEq)]
struct RandomWalk {
    last: f64,
    drift: f64,
    sigma: f64,
    /// n − 1 for the drift's own uncertainty; `None` for the plain naive.
    drift_dof: Option<f64>,
}

impl ModelSpec for Naive {
    fn name(&self) -> String {
        "Naive".into()
    }
    fn fit(&self, y: &[f64], _: &FitOptions) -> Result<Box<dyn Fitted>> {
        let sigma = residual_sigma(y.windows(2).map(|w| w[1] - w[0]), 0);
        Ok(Box::new(RandomWalk { last: y[y.len() - 1], drift: 0.0, sigma, drift_dof: None }))
    }
}

/// Random walk with the average historical change as drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomWalkWithDrift;

impl ModelSpec for RandomWalkWithDrift {
    fn name(&self) -> String {
        "RandomWalkWithDrift".into()
    }
    fn min_length(&self) -> usize {
        2
    }
    fn fit(&self, y: &[f64], _: &FitOptions) -> Result<Box<dyn Fitted>> {
        let n = y.len();
        let drift = (y[n - 1] - y[0]) / (n - 1) as f64;
        let sigma = residual_sigma(y.windows(2).map(|w| w[1] - w[0] - drift), 1);
        Ok(Box::new(RandomWalk { last: y[n - 1], drift, sigma, drift_dof: Some((n - 1) as f64) }))
    }
}

impl Fitted for RandomWalk {
    fn mean(&self, h: usize) -> Vec<f64> {
        (1..=h).map(|t| self.last + self.drift * t as f64).collect()
    }
    fn sd(&self, h: usize) -> Option<Vec<f64>> {
        Some(
            (1..=h)
                .map(|t| {
                    let t = t as f64;
                    match self.drift_dof {
                        Some(d) => self.sigma * (t * (1.0 + t / d)).sqrt(),
                        None => self.sigma * t.sqrt(),
                    }
                })
                .collect(),
        )
    }
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut level = self.last;
        (0..h)
            .map(|_| {
                level += self.drift + self.sigma * normal_draw(rng);
                level
            })
            .collect()
    }
}

/// The value one season ago.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeasonalNaive {
    pub season_length: usize,
}

#[derive(Debug, Clone, PartialEq)]
struct SeasonalWalk {
    last_season: Vec<f64>,
    sigma: f64,
}

impl ModelSpec for SeasonalNaive {
    fn name(&self) -> String {
        "SeasonalNaive".into()
    }
    fn min_length(&self) -> usize {
        self.season_length
    }
    fn fit(&self, y: &[f64], _: &FitOptions) -> Result<Box<dyn Fitted>> {
        let m = self.season_length;
        let sigma = residual_sigma(y.windows(m + 1).map(|w| w[m] - w[0]), 0);
        Ok(Box::new(SeasonalWalk { last_season: y[y.len() - m..].to_vec(), sigma }))
    }
}

impl Fitted for SeasonalWalk {
    fn mean(&self, h: usize) -> Vec<f64> {
        let m = self.last_season.len();
        (0..h).map(|t| self.last_season[t % m]).collect()
    }
    fn sd(&self, h: usize) -> Option<Vec<f64>> {
        let m = self.last_season.len();
        Some((0..h).map(|t| self.sigma * ((t / m + 1) as f64).sqrt()).collect())
    }
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut level = self.last_season.clone();
        let m = level.len();
        (0..h)
            .map(|t| {
                level[t % m] += self.sigma * normal_draw(rng);
                level[t % m]
            })
            .collect()
    }
}

/// A constant forecast with independent normal errors of a given sd, optionally
/// with a seasonal profile.
#[derive(Debug, Clone, PartialEq)]
struct Level {
    profile: Vec<f64>,
    sd: f64,
}

impl Fitted for Level {
    fn mean(&self, h: usize) -> Vec<f64> {
        (0..h).map(|t| self.profile[t % self.profile.len()]).collect()
    }
    fn sd(&self, h: usize) -> Option<Vec<f64>> {
        Some(vec![self.sd; h])
    }
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut out = Vec::with_capacity(h);
        self.simulate_into(h, rng, &mut out);
        out
    }
    fn simulate_into(&self, h: usize, rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        out.clear();
        out.extend((0..h).map(|t| self.profile[t % self.profile.len()] + self.sd * normal_draw(rng)));
    }
}

/// A constant forecast with no spread (for constant series).
pub(crate) fn constant(value: f64) -> Box<dyn Fitted> {
    Box::new(Level { profile: vec![value], sd: 0.0 })
}

/// The mean of the whole history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoricAverage;

impl ModelSpec for HistoricAverage {
    fn name(&self) -> String {
        "HistoricAverage".into()
    }
    fn fit(&self, y: &[f64], _: &FitOptions) -> Result<Box<dyn Fitted>> {
        let n = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n;
        let sigma = residual_sigma(y.iter().map(|v| v - mean), 1);
        Ok(Box::new(Level { profile: vec![mean], sd: sigma * (1.0 + 1.0 / n).sqrt() }))
    }
}

/// The mean of the last `window` observations; the spread is their sample standard
/// deviation. Fitted on a series whose missing (censored) days were dropped, the
/// window reaches further back instead of counting a shortage as low demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowAverage {
    pub window: usize,
}

impl ModelSpec for WindowAverage {
    fn name(&self) -> String {
        "WindowAverage".into()
    }
    fn fit(&self, y: &[f64], _: &FitOptions) -> Result<Box<dyn Fitted>> {
        // Summed from the newest value backwards (kept so plans stay bit-identical).
        let used: Vec<f64> = y.iter().rev().take(self.window).copied().collect();
        let n = used.len();
        let mean = used.iter().sum::<f64>() / n as f64;
        let ss: f64 = used.iter().map(|v| (v - mean) * (v - mean)).sum();
        let sd = if n > 1 { (ss / (n - 1) as f64).sqrt() } else { 0.0 };
        Ok(Box::new(Level { profile: vec![mean], sd }))
    }
}

/// For each position in the season, the mean of that position over the last
/// `window` seasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeasonalWindowAverage {
    pub season_length: usize,
    pub window: usize,
}

impl ModelSpec for SeasonalWindowAverage {
    fn name(&self) -> String {
        "SeasonalWindowAverage".into()
    }
    fn min_length(&self) -> usize {
        self.season_length
    }
    fn fit(&self, y: &[f64], _: &FitOptions) -> Result<Box<dyn Fitted>> {
        let m = self.season_length;
        let seasons = (y.len() / m).min(self.window);
        if seasons == 0 {
            return Err(Error::InvalidInput(format!("SeasonalWindowAverage needs one full season of {m}")));
        }
        let tail = &y[y.len() - seasons * m..];
        let profile: Vec<f64> =
            (0..m).map(|p| (0..seasons).map(|s| tail[s * m + p]).sum::<f64>() / seasons as f64).collect();
        let sd = residual_sigma(tail.iter().enumerate().map(|(i, v)| v - profile[i % m]), m.min(tail.len() - 1));
        Ok(Box::new(Level { profile, sd }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(spec: &dyn ModelSpec, y: &[f64]) -> Box<dyn Fitted> {
        spec.fit(y, &FitOptions::default()).unwrap()
    }

    #[test]
    fn naive_and_drift_by_hand() {
        let y = [1.0, 3.0, 2.0, 6.0];
        let f = fit(&Naive, &y);
        assert_eq!(f.mean(2), vec![6.0, 6.0]);
        // residuals 2, -1, 4: sigma = sqrt(21/3)
        let s = (21.0f64 / 3.0).sqrt();
        assert_eq!(f.sd(2).unwrap(), vec![s, s * 2f64.sqrt()]);
        let f = fit(&RandomWalkWithDrift, &y);
        // drift (6-1)/3 = 5/3
        assert!((f.mean(1)[0] - (6.0 + 5.0 / 3.0)).abs() < 1e-12);
    }

    #[test]
    fn seasonal_naive_repeats_the_last_season() {
        let y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let f = fit(&SeasonalNaive { season_length: 3 }, &y);
        assert_eq!(f.mean(5), vec![4.0, 5.0, 6.0, 4.0, 5.0]);
        let sd = f.sd(4).unwrap();
        assert_eq!(sd[0], sd[2]);
        assert!((sd[3] / sd[0] - 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn historic_and_window_averages() {
        let y = [2.0, 4.0, 6.0, 8.0];
        assert_eq!(fit(&HistoricAverage, &y).mean(1), vec![5.0]);
        assert_eq!(fit(&WindowAverage { window: 2 }, &y).mean(2), vec![7.0, 7.0]);
        let f = fit(&SeasonalWindowAverage { season_length: 2, window: 2 }, &y);
        assert_eq!(f.mean(3), vec![4.0, 6.0, 4.0]);
    }
}
