//! Seasonality test and classical decomposition, shared by Theta and M4's Naive2.

/// The 90% seasonality test of M4 and the Theta method: the lag-m autocorrelation
/// exceeds 1.645·√((1 + 2·Σ_{k<m} r_k²) / n). Callers decide the minimum length.
pub fn seasonality_test(y: &[f64], m: usize) -> bool {
    if m <= 1 || y.len() <= m {
        return false;
    }
    let n = y.len();
    let mu = y.iter().sum::<f64>() / n as f64;
    let den: f64 = y.iter().map(|v| (v - mu).powi(2)).sum();
    if den == 0.0 {
        return false;
    }
    let acf = |k: usize| -> f64 { (k..n).map(|t| (y[t] - mu) * (y[t - k] - mu)).sum::<f64>() / den };
    let s: f64 = (1..m).map(|k| acf(k).powi(2)).sum();
    acf(m).abs() > 1.645 * ((1.0 + 2.0 * s) / n as f64).sqrt()
}

/// How a seasonal component combines with the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decomposition {
    Additive,
    Multiplicative,
}

/// Classical decomposition's seasonal indices (length m, by position from the
/// series' start): a centred moving average as trend (weights ½,1,…,1,½ for even m),
/// the detrended values averaged per position, normalised to mean 1
/// (multiplicative) or 0 (additive).
pub fn seasonal_indices(y: &[f64], m: usize, kind: Decomposition) -> Vec<f64> {
    let n = y.len();
    let mut trend = vec![f64::NAN; n];
    let half = m / 2;
    if n > 2 * half {
        for (t, tr) in trend.iter_mut().enumerate().take(n - half).skip(half) {
            *tr = if m.is_multiple_of(2) {
                (y[t - half + 1..t + half].iter().sum::<f64>() + 0.5 * (y[t - half] + y[t + half])) / m as f64
            } else {
                y[t - half..=t + half].iter().sum::<f64>() / m as f64
            };
        }
    }
    let detrended = |t: usize| match kind {
        Decomposition::Multiplicative => y[t] / trend[t],
        Decomposition::Additive => y[t] - trend[t],
    };
    let mut idx: Vec<f64> = (0..m)
        .map(|p| {
            let v: Vec<f64> = (p..n).step_by(m).filter(|&t| !trend[t].is_nan()).map(detrended).collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        })
        .collect();
    let avg = idx.iter().sum::<f64>() / m as f64;
    match kind {
        Decomposition::Multiplicative => idx.iter_mut().for_each(|v| *v /= avg),
        Decomposition::Additive => idx.iter_mut().for_each(|v| *v -= avg),
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_extracts_a_seasonal_pattern() {
        let pattern = [1.0, 2.0, 3.0, 2.0];
        let y: Vec<f64> = (0..40).map(|t| 10.0 * pattern[t % 4]).collect();
        assert!(seasonality_test(&y, 4));
        let idx = seasonal_indices(&y, 4, Decomposition::Multiplicative);
        assert!((idx[2] / idx[0] - 3.0).abs() < 1e-9);
        let add = seasonal_indices(&y, 4, Decomposition::Additive);
        assert!((add[2] - add[0] - 20.0).abs() < 1e-9);
        assert!(!seasonality_test(&[1.0; 40], 4));
        let trend: Vec<f64> = (0..40).map(|t| t as f64).collect();
        assert!(!seasonality_test(&trend[..5], 4));
    }
}
