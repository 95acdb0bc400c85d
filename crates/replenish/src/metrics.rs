//! Forecast accuracy metrics and the M4 competition's scoring.
//!
//! Point metrics take the actuals `y` and forecasts `f` of one series over the
//! evaluation horizon; scaled metrics also take the in-sample history and the
//! seasonal lag `m` of their naive scale. `NaN` pairs are skipped.

/// Mean absolute error.
pub fn mae(y: &[f64], f: &[f64]) -> f64 {
    mean(pairs(y, f).map(|(a, b)| (a - b).abs()))
}

/// Root mean squared error.
pub fn rmse(y: &[f64], f: &[f64]) -> f64 {
    mean(pairs(y, f).map(|(a, b)| (a - b).powi(2))).sqrt()
}

/// Mean absolute percentage error, in percent (pairs with y = 0 are skipped).
pub fn mape(y: &[f64], f: &[f64]) -> f64 {
    100.0 * mean(pairs(y, f).filter(|(a, _)| *a != 0.0).map(|(a, b)| ((a - b) / a).abs()))
}

/// Symmetric MAPE as in M4, in percent: mean of 200·|y−f| / (|y|+|f|) (0 when both are 0).
pub fn smape(y: &[f64], f: &[f64]) -> f64 {
    mean(pairs(y, f).map(|(a, b)| {
        let d = a.abs() + b.abs();
        if d == 0.0 {
            0.0
        } else {
            200.0 * (a - b).abs() / d
        }
    }))
}

/// Weighted absolute percentage error Σ|y−f| / Σ|y| (a fraction).
pub fn wape(y: &[f64], f: &[f64]) -> f64 {
    let (num, den) = pairs(y, f).fold((0.0, 0.0), |(n, d), (a, b)| (n + (a - b).abs(), d + a.abs()));
    num / den
}

/// Bias Σ(f−y) / Σy (a fraction; positive = over-forecast).
pub fn bias(y: &[f64], f: &[f64]) -> f64 {
    let (num, den) = pairs(y, f).fold((0.0, 0.0), |(n, d), (a, b)| (n + (b - a), d + a));
    num / den
}

/// In-sample mean absolute error of the seasonal naive with lag `m` (MASE's scale).
pub fn naive_scale(insample: &[f64], m: usize) -> f64 {
    let m = m.max(1);
    mean(insample.windows(m + 1).map(|w| (w[m] - w[0]).abs()))
}

/// Mean absolute scaled error: MAE / in-sample MAE of the seasonal naive (lag m).
pub fn mase(y: &[f64], f: &[f64], insample: &[f64], m: usize) -> f64 {
    mae(y, f) / naive_scale(insample, m)
}

/// Root mean squared scaled error (M5): RMSE scaled by the in-sample RMSE of the
/// seasonal naive, computed from the first non-zero observation on.
pub fn rmsse(y: &[f64], f: &[f64], insample: &[f64], m: usize) -> f64 {
    let start = insample.iter().position(|v| *v != 0.0).unwrap_or(0);
    let s = &insample[start..];
    let m = m.max(1);
    let scale = mean(s.windows(m + 1).map(|w| (w[m] - w[0]).powi(2)));
    (mean(pairs(y, f).map(|(a, b)| (a - b).powi(2))) / scale).sqrt()
}

/// Pinball (quantile) loss of quantile forecasts `fq` at level `q`, averaged.
pub fn pinball(y: &[f64], fq: &[f64], q: f64) -> f64 {
    mean(pairs(y, fq).map(|(a, b)| {
        let d = a - b;
        (q * d).max((q - 1.0) * d)
    }))
}

/// Scaled pinball loss (M5 uncertainty track): pinball / in-sample MAE of the
/// seasonal naive from the first non-zero observation on.
pub fn scaled_pinball(y: &[f64], fq: &[f64], q: f64, insample: &[f64], m: usize) -> f64 {
    let start = insample.iter().position(|v| *v != 0.0).unwrap_or(0);
    pinball(y, fq, q) / naive_scale(&insample[start..], m)
}

/// Share of actuals inside [lo, hi] (bounds included).
pub fn coverage(y: &[f64], lo: &[f64], hi: &[f64]) -> f64 {
    mean(y.iter().zip(lo).zip(hi).filter(|((a, l), h)| !a.is_nan() && !l.is_nan() && !h.is_nan()).map(|((a, l), h)| {
        if a >= l && a <= h {
            1.0
        } else {
            0.0
        }
    }))
}

/// Overall weighted average (M4): ½ (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2).
pub fn owa(smape: f64, mase: f64, smape_naive2: f64, mase_naive2: f64) -> f64 {
    0.5 * (smape / smape_naive2 + mase / mase_naive2)
}

/// The M4 Naive2 benchmark: naive on the seasonally adjusted series (when the
/// seasonality test says so), reseasonalised.
pub fn naive2(y: &[f64], h: usize, m: usize) -> Vec<f64> {
    use crate::forecast::seasonal::{seasonal_indices, seasonality_test, Decomposition};
    let n = y.len();
    // M4's rule: test only with at least three seasons of data.
    if m > 1 && y.len() >= 3 * m && seasonality_test(y, m) {
        let idx = seasonal_indices(y, m, Decomposition::Multiplicative);
        let last = y[n - 1] / idx[(n - 1) % m];
        (0..h).map(|t| last * idx[(n + t) % m]).collect()
    } else {
        vec![y[n - 1]; h]
    }
}

fn pairs<'a>(y: &'a [f64], f: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
    y.iter().zip(f).map(|(a, b)| (*a, *b)).filter(|(a, b)| !a.is_nan() && !b.is_nan())
}

fn mean(it: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = it.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_metrics_by_hand() {
        let y = [2.0, 4.0, 0.0];
        let f = [3.0, 2.0, 1.0];
        assert_eq!(mae(&y, &f), 4.0 / 3.0);
        assert!((rmse(&y, &f) - (6.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(mape(&y, &f), 100.0 * (0.5 + 0.5) / 2.0);
        assert!((smape(&y, &f) - (200.0 / 5.0 + 200.0 * 2.0 / 6.0 + 200.0) / 3.0).abs() < 1e-12);
        assert_eq!(wape(&y, &f), 4.0 / 6.0);
        assert_eq!(bias(&y, &f), 0.0);
        assert_eq!(pinball(&[10.0], &[8.0], 0.9), 0.9 * 2.0);
        assert!((pinball(&[10.0], &[12.0], 0.9) - 0.2).abs() < 1e-12);
        assert_eq!(coverage(&[1.0, 5.0, 3.0], &[0.0, 0.0, 3.0], &[2.0, 4.0, 3.0]), 2.0 / 3.0);
    }

    #[test]
    fn scaled_metrics_by_hand() {
        let insample = [1.0, 3.0, 2.0, 4.0]; // naive abs diffs 2, 1, 2: scale 5/3
        assert_eq!(naive_scale(&insample, 1), 5.0 / 3.0);
        assert!((mase(&[5.0], &[4.0], &insample, 1) - 0.6).abs() < 1e-12);
        // seasonal lag 2: diffs |2-1|, |4-3| -> 1
        assert_eq!(naive_scale(&insample, 2), 1.0);
        // rmsse from the first non-zero: squared diffs 4,1,4 -> 3
        assert!((rmsse(&[5.0], &[4.0], &[0.0, 1.0, 3.0, 2.0, 4.0], 1) - (1.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(owa(10.0, 2.0, 20.0, 4.0), 0.5);
    }

    #[test]
    fn naive2_reseasonalises_a_seasonal_series() {
        let pattern = [1.0, 2.0, 3.0, 2.0];
        let y: Vec<f64> = (0..40).map(|t| 10.0 * pattern[t % 4]).collect();
        let f = naive2(&y, 4, 4);
        for (a, b) in f.iter().zip([10.0, 20.0, 30.0, 20.0]) {
            assert!((a - b).abs() < 1e-9, "{f:?}");
        }
        assert_eq!(naive2(&[1.0, 2.0, 3.0], 2, 1), vec![3.0, 3.0]);
    }
}

/// Every metric by name, for the bindings: `mae`, `rmse`, `mape`, `smape`, `wape`,
/// `bias`, `mase`, `rmsse`, `pinball`, `scaled_pinball`, `coverage`.
/// `insample` and `m` are needed by the scaled metrics, `q` by the pinball losses,
/// `hi` (with `f` as the lower bound) by `coverage`.
pub fn by_name(name: &str, y: &[f64], f: &[f64], args: &MetricArgs<'_>) -> crate::Result<f64> {
    use crate::Error;
    if y.len() != f.len() {
        return Err(Error::InvalidInput(format!(
            "{name}: actuals ({}) and forecasts ({}) differ in length",
            y.len(),
            f.len()
        )));
    }
    let insample = || args.insample.ok_or_else(|| Error::InvalidInput(format!("{name} needs the in-sample history")));
    let q = || match args.q {
        Some(q) if q > 0.0 && q < 1.0 => Ok(q),
        _ => Err(Error::InvalidInput(format!("{name} needs a quantile level q in (0, 1)"))),
    };
    Ok(match name {
        "mae" => mae(y, f),
        "rmse" => rmse(y, f),
        "mape" => mape(y, f),
        "smape" => smape(y, f),
        "wape" => wape(y, f),
        "bias" => bias(y, f),
        "mase" => mase(y, f, insample()?, args.m),
        "rmsse" => rmsse(y, f, insample()?, args.m),
        "pinball" => pinball(y, f, q()?),
        "scaled_pinball" => scaled_pinball(y, f, q()?, insample()?, args.m),
        "coverage" => {
            let hi = args.hi.ok_or_else(|| Error::InvalidInput("coverage needs the upper bounds `hi`".into()))?;
            coverage(y, f, hi)
        }
        other => return Err(Error::InvalidInput(format!("unknown metric `{other}`; known: {}", METRICS.join(", ")))),
    })
}

/// The metric names [`by_name`] knows.
pub const METRICS: [&str; 11] =
    ["mae", "rmse", "mape", "smape", "wape", "bias", "mase", "rmsse", "pinball", "scaled_pinball", "coverage"];

/// Extra arguments of [`by_name`].
#[derive(Debug, Clone, Copy, Default)]
pub struct MetricArgs<'a> {
    pub insample: Option<&'a [f64]>,
    pub m: usize,
    pub q: Option<f64>,
    pub hi: Option<&'a [f64]>,
}
