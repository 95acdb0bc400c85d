//! STL: seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae &
//! Terpenning 1990), the non-robust variant with the defaults of statsmodels' `STL`
//! (and R's `stl` with these windows): loess of degree 1 for trend and low-pass,
//! `seasonal_deg` for the cycle-subseries, no jumps, five inner passes.

/// An STL decomposition: `y = trend + seasonal + remainder`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stl {
    pub trend: Vec<f64>,
    pub seasonal: Vec<f64>,
    pub remainder: Vec<f64>,
}

/// Smallest odd integer ≥ `v`.
fn odd(v: usize) -> usize {
    v + usize::from(v.is_multiple_of(2))
}

/// Decomposes `y` with season `period` (≥ 2, `y.len()` ≥ 2·period), seasonal
/// smoothing window `seasonal` (odd, ≥ 3) and degree `seasonal_deg` (0 or 1).
/// Trend window: the smallest odd ≥ 1.5·period / (1 − 1.5/seasonal); low-pass
/// window: the smallest odd > period.
pub fn stl(y: &[f64], period: usize, seasonal: usize, seasonal_deg: usize) -> Stl {
    let n = y.len();
    let np = period.max(2);
    let ns = odd(seasonal.max(3));
    let nt = odd((1.5 * np as f64 / (1.0 - 1.5 / ns as f64)).ceil() as usize);
    let nl = odd(np + 1);
    let mut trend = vec![0.0; n];
    let mut season = vec![0.0; n];
    let mut work = vec![0.0; n];
    let mut cycle = vec![0.0; n + 2 * np];
    for _ in 0..5 {
        // 1. Detrend; 2. smooth each cycle-subseries, one extra value at each end.
        for i in 0..n {
            work[i] = y[i] - trend[i];
        }
        for j in 0..np {
            let sub: Vec<f64> = work.iter().skip(j).step_by(np).copied().collect();
            let k = sub.len();
            if k == 0 {
                continue;
            }
            let mut smooth = vec![0.0; k + 2];
            let inner = loess(&sub, ns, seasonal_deg);
            smooth[1..=k].copy_from_slice(&inner);
            let right = ns.min(k);
            smooth[0] = estimate(&sub, ns, seasonal_deg, -1.0, 0, right - 1).unwrap_or(smooth[1]);
            let left = k.saturating_sub(ns);
            smooth[k + 1] = estimate(&sub, ns, seasonal_deg, k as f64, left, k - 1).unwrap_or(smooth[k]);
            for (m, v) in smooth.into_iter().enumerate() {
                let idx = m * np + j;
                if idx < cycle.len() {
                    cycle[idx] = v;
                }
            }
        }
        // 3. Low-pass filter of the cycle: moving averages np, np, 3, then loess.
        let low = loess(&moving_average(&moving_average(&moving_average(&cycle, np), np), 3), nl, 1);
        // 4. Seasonal = cycle − low-pass; 5. deseasonalise; 6. trend by loess.
        for i in 0..n {
            season[i] = cycle[np + i] - low[i];
            work[i] = y[i] - season[i];
        }
        trend = loess(&work, nt, 1);
    }
    let remainder = (0..n).map(|i| y[i] - trend[i] - season[i]).collect();
    Stl { trend, seasonal: season, remainder }
}

fn moving_average(x: &[f64], len: usize) -> Vec<f64> {
    if x.len() < len {
        return vec![];
    }
    let mut out = Vec::with_capacity(x.len() - len + 1);
    let mut sum: f64 = x[..len].iter().sum();
    out.push(sum / len as f64);
    for i in len..x.len() {
        sum += x[i] - x[i - len];
        out.push(sum / len as f64);
    }
    out
}

/// Loess at every position 0..n with window `len` (nearest points) and degree 0/1.
fn loess(y: &[f64], len: usize, deg: usize) -> Vec<f64> {
    let n = y.len();
    if n == 0 {
        return vec![];
    }
    let mut out = vec![0.0; n];
    if len >= n {
        for (i, o) in out.iter_mut().enumerate() {
            *o = estimate(y, len, deg, i as f64, 0, n - 1).unwrap_or(y[i]);
        }
        return out;
    }
    let half = len.div_ceil(2);
    let (mut left, mut right) = (0, len - 1);
    for (i, o) in out.iter_mut().enumerate() {
        if i + 1 > half && right != n - 1 {
            left += 1;
            right += 1;
        }
        *o = estimate(y, len, deg, i as f64, left, right).unwrap_or(y[i]);
    }
    out
}

/// The local (tricube-weighted, degree 0 or 1) fit at position `xs` from the values
/// `y[left..=right]`; `None` when every weight is zero.
fn estimate(y: &[f64], len: usize, deg: usize, xs: f64, left: usize, right: usize) -> Option<f64> {
    let n = y.len();
    let range = n as f64 - 1.0;
    let mut h = (xs - left as f64).max(right as f64 - xs);
    if len > n {
        h += ((len - n) / 2) as f64;
    }
    let (h9, h1) = (0.999 * h, 0.001 * h);
    let mut w = vec![0.0; right + 1 - left];
    let mut total = 0.0;
    for (k, j) in (left..=right).enumerate() {
        let r = (j as f64 - xs).abs();
        if r <= h9 {
            w[k] = if r <= h1 { 1.0 } else { (1.0 - (r / h).powi(3)).powi(3) };
            total += w[k];
        }
    }
    if total <= 0.0 {
        return None;
    }
    w.iter_mut().for_each(|v| *v /= total);
    if h > 0.0 && deg > 0 {
        let a: f64 = (left..=right).zip(&w).map(|(j, wj)| wj * j as f64).sum();
        let c: f64 = (left..=right).zip(&w).map(|(j, wj)| wj * (j as f64 - a).powi(2)).sum();
        if c.sqrt() > 0.001 * range {
            let b = (xs - a) / c;
            for (k, j) in (left..=right).enumerate() {
                w[k] *= b * (j as f64 - a) + 1.0;
            }
        }
    }
    Some((left..=right).zip(&w).map(|(j, wj)| wj * y[j]).sum())
}

/// Strength of seasonality, max(0, 1 − Var(remainder) / Var(seasonal + remainder)),
/// from an STL decomposition with seasonal window 11 and degree 0 (R's and
/// statsforecast's `mstl` defaults for one season).
pub fn seasonal_strength(y: &[f64], period: usize) -> f64 {
    let d = stl(y, period, 11, 0);
    let var = |v: &[f64]| {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    };
    let sr: Vec<f64> = d.seasonal.iter().zip(&d.remainder).map(|(s, r)| s + r).collect();
    let total = var(&sr);
    if total <= 0.0 || !total.is_finite() {
        return 0.0;
    }
    (1.0 - var(&d.remainder) / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_a_trend_from_a_fixed_season() {
        let pattern = [3.0, -1.0, 0.5, -2.5];
        let y: Vec<f64> = (0..80).map(|t| 10.0 + 0.2 * t as f64 + pattern[t % 4]).collect();
        let d = stl(&y, 4, 7, 0);
        for t in 8..72 {
            assert!((d.seasonal[t] - pattern[t % 4]).abs() < 0.05, "t {t}: {}", d.seasonal[t]);
            assert!((d.trend[t] - (10.0 + 0.2 * t as f64)).abs() < 0.05);
        }
        assert!(seasonal_strength(&y, 4) > 0.99);
        let flat: Vec<f64> = (0..80).map(|t| ((t * 7919) % 13) as f64).collect();
        assert!(seasonal_strength(&flat, 4) < 0.64);
    }

    #[test]
    fn moving_averages_and_loess_agree_with_hand_values() {
        assert_eq!(moving_average(&[1.0, 2.0, 3.0, 4.0], 2), vec![1.5, 2.5, 3.5]);
        // a straight line is reproduced exactly by degree-1 loess
        let line: Vec<f64> = (0..20).map(|t| 2.0 * t as f64 + 1.0).collect();
        for (a, b) in loess(&line, 7, 1).iter().zip(&line) {
            assert!((a - b).abs() < 1e-9);
        }
    }
}
