//! Demand forecasting.
//!
//! Every model implements [`Forecaster`]: history of one series in, a daily mean
//! forecast and the spread of one day's demand out. The planner only sees this
//! trait, so models added later plug in without touching the policy code.
//!
//! Censored demand: days flagged as stock-outs understate true demand. Models here
//! treat them as **missing** (left out of estimation), never as zero demand.

use crate::error::{Error, Result};
use crate::model::SeriesView;
use serde::{Deserialize, Serialize};

/// A point forecast with the day-level spread the policy needs for safety stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Name of the model that produced it.
    pub model: String,
    /// Expected demand per day, one value per day of the horizon.
    pub mean: Vec<f64>,
    /// Standard deviation of one day's demand around the mean.
    pub sigma: f64,
    /// Number of (uncensored) observations the model used.
    pub observations: usize,
    /// Stock-out days that were treated as missing.
    pub censored_days: usize,
}

/// A forecasting model for one series at a time. Implementations are pure and
/// thread-safe; the planner calls them in parallel over series.
pub trait Forecaster: Send + Sync + std::fmt::Debug {
    /// Name shown in plans (`WindowAverage(56)`).
    fn name(&self) -> String;
    /// Forecasts `horizon` days after the end of `series`.
    fn forecast(&self, series: &SeriesView<'_>, horizon: usize) -> Result<Forecast>;
}

/// Choice of forecasting model in a configuration file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case", deny_unknown_fields)]
pub enum ForecastMethod {
    /// Mean of the last `window` uncensored days (see [`WindowAverage`]).
    WindowAverage { window: usize },
}

impl Default for ForecastMethod {
    fn default() -> Self {
        ForecastMethod::WindowAverage { window: 56 }
    }
}

impl ForecastMethod {
    /// Builds the model, checking its parameters.
    pub fn build(&self) -> Result<Box<dyn Forecaster>> {
        match *self {
            ForecastMethod::WindowAverage { window } => Ok(Box::new(WindowAverage::new(window)?)),
        }
    }
}

/// Flat forecast: the mean of the last `window` days that were not stock-outs,
/// with the sample standard deviation of those days as the daily spread.
/// Stock-out days are skipped and the window reaches further back instead, so a
/// long stock-out does not drag the forecast down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowAverage {
    window: usize,
}

impl WindowAverage {
    pub fn new(window: usize) -> Result<Self> {
        if window == 0 {
            return Err(Error::config("forecast.window", "must be at least 1 day"));
        }
        Ok(WindowAverage { window })
    }
}

impl Forecaster for WindowAverage {
    fn name(&self) -> String {
        format!("WindowAverage({})", self.window)
    }

    fn forecast(&self, series: &SeriesView<'_>, horizon: usize) -> Result<Forecast> {
        let mut n = 0usize;
        let mut censored = 0usize;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        // Welford would be more robust for huge values; demand counts are small and
        // the two-pass form below keeps the result exact for the window.
        let mut used = Vec::with_capacity(self.window);
        for i in (0..series.quantity.len()).rev() {
            if n == self.window {
                break;
            }
            if series.stockout[i] {
                censored += 1;
                continue;
            }
            used.push(series.quantity[i]);
            sum += series.quantity[i];
            n += 1;
        }
        let mean = if n > 0 { sum / n as f64 } else { 0.0 };
        for v in &used {
            sum_sq += (v - mean) * (v - mean);
        }
        let sigma = if n > 1 { (sum_sq / (n - 1) as f64).sqrt() } else { 0.0 };
        Ok(Forecast { model: self.name(), mean: vec![mean; horizon], sigma, observations: n, censored_days: censored })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SeriesKey;
    use chrono::NaiveDate;

    fn view<'a>(key: &'a SeriesKey, q: &'a [f64], so: &'a [bool], price: &'a [f64]) -> SeriesView<'a> {
        SeriesView {
            key,
            start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            quantity: q,
            price,
            promotion: so,
            stockout: so,
        }
    }

    #[test]
    fn window_average_skips_stockouts() {
        let key = SeriesKey { sku: "A".into(), location: "L".into() };
        let q = [4.0, 6.0, 5.0, 0.0, 0.0, 0.0];
        let so = [false, false, false, true, true, true];
        let p = [f64::NAN; 6];
        let f = WindowAverage::new(3).unwrap().forecast(&view(&key, &q, &so, &p), 2).unwrap();
        assert_eq!(f.mean, vec![5.0, 5.0]);
        assert_eq!(f.sigma, 1.0);
        assert_eq!(f.censored_days, 3);
        assert_eq!(f.observations, 3);
    }

    #[test]
    fn zero_window_is_a_config_error() {
        assert!(matches!(ForecastMethod::WindowAverage { window: 0 }.build(), Err(Error::Config { .. })));
    }
}
