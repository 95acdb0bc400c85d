//! AutoARIMA: the Hyndman–Khandakar (2008) stepwise search of R's `auto.arima`,
//! as statsforecast implements it. Seasonal differencing D ∈ {0, 1} from the
//! seasonal strength of an STL decomposition (> 0.64), then d ≤ 2 from repeated KPSS
//! tests (5%); orders are searched by AICc from (2,d,2)(1,D,1), (0,d,0)(0,D,0),
//! (1,d,0)(1,D,0) and (0,d,1)(0,D,1), moving one order (or a pair) at a time and
//! toggling the constant. Series longer than 150 values or with m > 12 are searched
//! with conditional-sum-of-squares fits and the best candidates refitted exactly.
//! Models with an AR or MA root within 1.01 of the unit circle are rejected.

use super::arima::{difference, differencing_poly, Arima, ArimaCoefficients, ArimaOrder, FittedArima};
use super::optim::roots_within;
use super::stl::seasonal_strength;
use super::{FitOptions, Fitted, ModelSpec, SeriesRegressors};
use crate::error::{Error, Result};

/// AutoARIMA search limits (statsforecast's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct AutoArima {
    pub season_length: usize,
    pub max_p: usize,
    pub max_q: usize,
    pub max_sp: usize,
    pub max_sq: usize,
    pub max_d: usize,
    pub max_sd: usize,
    /// Stop the stepwise search after this many models.
    pub max_models: usize,
    pub name: String,
}

impl AutoArima {
    pub fn new(season_length: usize) -> Self {
        AutoArima {
            season_length: season_length.max(1),
            max_p: 5,
            max_q: 5,
            max_sp: 2,
            max_sq: 2,
            max_d: 2,
            max_sd: 1,
            max_models: 94,
            name: "AutoARIMA".into(),
        }
    }
}

fn is_constant(x: &[f64]) -> bool {
    x.iter().all(|v| *v == x[0])
}

/// The KPSS level-stationarity statistic with `lags` Bartlett-weighted
/// autocovariances (Kwiatkowski, Phillips, Schmidt & Shin 1992).
pub fn kpss_statistic(x: &[f64], lags: usize) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let e: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let mut s = 0.0;
    let eta = e
        .iter()
        .map(|v| {
            s += v;
            s * s
        })
        .sum::<f64>()
        / (n * n);
    let mut s_hat: f64 = e.iter().map(|v| v * v).sum();
    for l in 1..=lags.min(e.len().saturating_sub(1)) {
        let prod: f64 = e[l..].iter().zip(&e[..e.len() - l]).map(|(a, b)| a * b).sum();
        s_hat += 2.0 * prod * (1.0 - l as f64 / (lags as f64 + 1.0));
    }
    eta / (s_hat / n)
}

/// Number of first differences for stationarity: difference while the KPSS test
/// rejects at 5% (statistic above 0.463; ⌊3√n/13⌋ lags), at most `max_d` times.
pub fn ndiffs(x: &[f64], max_d: usize) -> usize {
    let mut x = x.to_vec();
    let mut d = 0;
    if x.len() < 3 || is_constant(&x) {
        return 0;
    }
    let rejects = |x: &[f64]| kpss_statistic(x, (3.0 * (x.len() as f64).sqrt() / 13.0).floor() as usize) > 0.463;
    while d < max_d && x.len() > 2 && rejects(&x) {
        d += 1;
        x = x.windows(2).map(|w| w[1] - w[0]).collect();
        if is_constant(&x) {
            return d;
        }
    }
    d
}

/// Number of seasonal differences: 1 when the STL seasonal strength exceeds 0.64.
pub fn nsdiffs(x: &[f64], m: usize, max_sd: usize) -> usize {
    if m < 2 || x.len() < 2 * m || max_sd == 0 || is_constant(x) {
        return 0;
    }
    usize::from(seasonal_strength(x, m) > 0.64)
}

/// Whether every root of 1 − Σ a_k z^k (AR) or 1 + Σ b_k z^k (MA, `sign` = −1)
/// lies outside the circle of radius 1.01.
fn roots_clear(poly: &[f64], sign: f64) -> bool {
    let k = match poly.iter().rposition(|v| v.abs() > 1e-8) {
        Some(k) => k + 1,
        None => return true,
    };
    // z^k·p(1/z) = z^k − Σ a_j z^{k−j}: its roots are the reciprocals.
    let mut c: Vec<f64> = (0..k).map(|i| -sign * poly[k - 1 - i]).collect();
    c.push(1.0);
    roots_within(&c, 1.0 / 1.01)
}

struct Candidate {
    key: (usize, usize, usize, usize, bool),
    ic: f64,
}

struct Search<'a> {
    y: &'a [f64],
    x: Option<&'a SeriesRegressors>,
    d: usize,
    sd: usize,
    m: usize,
    approximation: bool,
    offset: f64,
    options: &'a FitOptions,
    tried: Vec<Candidate>,
}

impl Search<'_> {
    fn spec(&self, key: (usize, usize, usize, usize, bool), css_only: bool) -> Arima {
        let (p, q, sp, sq, constant) = key;
        Arima {
            order: ArimaOrder { p, d: self.d, q, sp, sd: self.sd, sq, m: self.m },
            include_mean: constant,
            include_drift: constant,
            fixed: None,
            css_only,
            root_margin: 1.01 + 1e-6,
            name: "AutoARIMA".into(),
        }
    }

    /// Fits one model and returns it with its information criterion (AICc).
    fn fit(&self, key: (usize, usize, usize, usize, bool), approximate: bool) -> Option<(FittedArima, f64)> {
        let fit = self.spec(key, approximate).fit_arima(self.y, self.x, self.options).ok()?;
        let nstar = fit.w.len() as f64;
        let npar = fit.npar as f64;
        let aic = if approximate {
            if fit.sigma2 <= 0.0 {
                return None;
            }
            self.offset + nstar * fit.sigma2.ln() + 2.0 * npar
        } else {
            -2.0 * fit.loglik + 2.0 * npar
        };
        let mut ic = if nstar - npar - 1.0 > 0.0 {
            aic + 2.0 * npar * (npar + 1.0) / (nstar - npar - 1.0)
        } else {
            f64::INFINITY
        };
        if !ic.is_finite() || !roots_clear(&fit.a, 1.0) || !roots_clear(&fit.b, -1.0) {
            ic = f64::INFINITY;
        }
        Some((fit, ic))
    }

    /// Tries a model unless already tried; true when it beats `best`.
    fn try_model(&mut self, key: (usize, usize, usize, usize, bool), best: &mut Option<(FittedArima, f64)>) -> bool {
        if self.tried.iter().any(|c| c.key == key) {
            return false;
        }
        let result = self.fit(key, self.approximation);
        let ic = result.as_ref().map_or(f64::INFINITY, |r| r.1);
        self.tried.push(Candidate { key, ic });
        match (result, best.as_ref()) {
            (Some(r), Some(b)) if r.1 < b.1 => {
                *best = Some(r);
                true
            }
            (Some(r), None) if r.1.is_finite() => {
                *best = Some(r);
                true
            }
            _ => false,
        }
    }
}

impl ModelSpec for AutoArima {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn min_length(&self) -> usize {
        4
    }

    fn fit(&self, y: &[f64], o: &FitOptions) -> Result<Box<dyn Fitted>> {
        Ok(Box::new(self.select(y, None, o)?))
    }

    fn uses_regressors(&self) -> bool {
        true
    }

    fn fit_with(&self, y: &[f64], x: Option<&SeriesRegressors>, o: &FitOptions) -> Result<Box<dyn Fitted>> {
        Ok(Box::new(self.select(y, x.filter(|x| !x.is_empty()), o)?))
    }
}

/// Residuals of the least-squares regression of `y` on an intercept and `x`'s
/// history (R's `auto.arima` chooses the differencing on these).
fn regression_residuals(y: &[f64], x: &SeriesRegressors) -> Vec<f64> {
    let n = y.len();
    let mut cols: Vec<&[f64]> = vec![];
    let ones = vec![1.0; n];
    cols.push(&ones);
    cols.extend(x.history.iter().map(Vec::as_slice));
    let k = cols.len();
    let mut a = vec![0.0; k * k];
    let mut b = vec![0.0; k];
    for i in 0..k {
        b[i] = cols[i].iter().zip(y).map(|(u, v)| u * v).sum();
        for j in 0..=i {
            let v: f64 = cols[i].iter().zip(cols[j]).map(|(u, v)| u * v).sum();
            a[i * k + j] = v;
            a[j * k + i] = v;
        }
    }
    match super::linalg::cholesky_solve(&a, &b, k) {
        Some(beta) => (0..n).map(|t| y[t] - cols.iter().zip(&beta).map(|(c, b)| c[t] * b).sum::<f64>()).collect(),
        None => y.to_vec(),
    }
}

impl AutoArima {
    fn constant_model(&self, y: &[f64], d: usize, sd: usize, m: usize, constant: Option<f64>) -> Result<FittedArima> {
        let spec = Arima {
            order: ArimaOrder { d, sd, m, ..Default::default() },
            include_mean: constant.is_some(),
            include_drift: constant.is_some(),
            fixed: Some(ArimaCoefficients {
                ar: vec![],
                ma: vec![],
                sar: vec![],
                sma: vec![],
                constant: constant.unwrap_or(0.0),
                beta: Vec::new(),
            }),
            css_only: false,
            root_margin: 1.0,
            name: self.name.clone(),
        };
        spec.fit_arima(y, None, &FitOptions::default())
    }

    pub(crate) fn select(&self, y: &[f64], x: Option<&SeriesRegressors>, o: &FitOptions) -> Result<FittedArima> {
        let n = y.len();
        if is_constant(y) {
            return self.constant_model(y, 0, 0, 1, Some(y[0]));
        }
        let seasonal = self.season_length > 1;
        let m = if seasonal { self.season_length } else { 1 };
        // Differencing is chosen on the series less its regression on the regressors.
        let xx = match x {
            Some(x) => regression_residuals(y, x),
            None => y.to_vec(),
        };
        let approximation = n > 150 || m > 12;
        let (mut max_p, mut max_q) = (self.max_p.min(n / 3), self.max_q.min(n / 3));
        let (mut max_sp, mut max_sq) = (self.max_sp.min(n / 3 / m), self.max_sq.min(n / 3 / m));
        let sd = if !seasonal {
            max_sp = 0;
            max_sq = 0;
            0
        } else if n <= 2 * m {
            0
        } else {
            nsdiffs(&xx, m, self.max_sd)
        };
        let dx = difference(&xx, &differencing_poly(0, sd, m));
        let d = ndiffs(&dx, self.max_d);
        let w = difference(&xx, &differencing_poly(d, sd, m));
        if w.is_empty() {
            return Err(Error::InvalidInput(format!("{}: not enough data after differencing", self.name)));
        }
        if is_constant(&w) && x.is_none() {
            let mean = w.iter().sum::<f64>() / w.len() as f64;
            let constant = if d + sd <= 1 { Some(mean) } else { None };
            return self.constant_model(y, d, sd, m, constant);
        }
        if seasonal {
            max_p = max_p.min(m - 1);
            max_q = max_q.min(m - 1);
        }
        // With approximations, R's offset puts CSS fits on the likelihood's scale.
        let mut search = Search { y, x, d, sd, m, approximation, offset: 0.0, options: o, tried: vec![] };
        if approximation {
            // (0,d,0)(0,D,0) with a mean only when undifferenced, as R's arima() default.
            let base = Arima { include_drift: false, ..search.spec((0, 0, 0, 0, true), false) };
            if let Ok(f) = base.fit_arima(y, x, o) {
                if f.loglik.is_finite() && f.sigma2 > 0.0 {
                    search.offset = -2.0 * f.loglik - n as f64 * f.sigma2.ln();
                }
            }
        }
        let allow_constant = d + sd <= 1;
        let mut constant = allow_constant;
        let small = n < 10;
        let mut p = (if small { 1 } else { 2 }).min(max_p);
        let mut q = (if small { 1 } else { 2 }).min(max_q);
        let mut sp = (if small { 0 } else { 1 }).min(max_sp);
        let mut sq = (if small { 0 } else { 1 }).min(max_sq);
        let mut best: Option<(FittedArima, f64)> = None;
        search.try_model((p, q, sp, sq, constant), &mut best);
        if search.try_model((0, 0, 0, 0, constant), &mut best) {
            (p, q, sp, sq) = (0, 0, 0, 0);
        }
        if max_p > 0 || max_sp > 0 {
            let key = (usize::from(max_p > 0), 0, usize::from(seasonal && max_sp > 0), 0, constant);
            if search.try_model(key, &mut best) {
                (p, q, sp, sq) = (key.0, 0, key.2, 0);
            }
        }
        if max_q > 0 || max_sq > 0 {
            let key = (0, usize::from(max_q > 0), 0, usize::from(seasonal && max_sq > 0), constant);
            if search.try_model(key, &mut best) {
                (p, q, sp, sq) = (0, key.1, 0, key.3);
            }
        }
        if constant && search.try_model((0, 0, 0, 0, false), &mut best) {
            (p, q, sp, sq, constant) = (0, 0, 0, 0, false);
        }
        let mut start = 0;
        while start < search.tried.len() && search.tried.len() < self.max_models {
            start = search.tried.len();
            // Neighbours in R's order; the first improvement restarts the scan.
            let mut moves: Vec<(isize, isize, isize, isize, bool)> = vec![
                (0, 0, -1, 0, false),
                (0, 0, 0, -1, false),
                (0, 0, 1, 0, false),
                (0, 0, 0, 1, false),
                (0, 0, -1, -1, false),
                (0, 0, -1, 1, false),
                (0, 0, 1, -1, false),
                (0, 0, 1, 1, false),
                (-1, 0, 0, 0, false),
                (0, -1, 0, 0, false),
                (1, 0, 0, 0, false),
                (0, 1, 0, 0, false),
                (-1, -1, 0, 0, false),
                (-1, 1, 0, 0, false),
                (1, -1, 0, 0, false),
                (1, 1, 0, 0, false),
            ];
            if allow_constant {
                moves.push((0, 0, 0, 0, true));
            }
            for (dp, dq, dsp, dsq, toggle) in moves {
                let step = |v: usize, dv: isize, max: usize| -> Option<usize> {
                    let nv = v as isize + dv;
                    (nv >= 0 && nv as usize <= max).then_some(nv as usize)
                };
                let (Some(np), Some(nq), Some(nsp), Some(nsq)) =
                    (step(p, dp, max_p), step(q, dq, max_q), step(sp, dsp, max_sp), step(sq, dsq, max_sq))
                else {
                    continue;
                };
                if search.tried.len() >= self.max_models {
                    continue;
                }
                let nc = if toggle { !constant } else { constant };
                if search.try_model((np, nq, nsp, nsq, nc), &mut best) {
                    (p, q, sp, sq, constant) = (np, nq, nsp, nsq, nc);
                    break;
                }
            }
        }
        if approximation {
            // Refit the candidates exactly, best approximate criterion first.
            let mut order: Vec<&Candidate> = search.tried.iter().filter(|c| c.ic.is_finite()).collect();
            order.sort_by(|a, b| a.ic.total_cmp(&b.ic));
            best = None;
            for c in order {
                if let Some(r) = search.fit(c.key, false) {
                    if r.1.is_finite() {
                        best = Some(r);
                        break;
                    }
                }
            }
        }
        let (mut fit, _) =
            best.ok_or_else(|| Error::InvalidInput(format!("{}: no suitable ARIMA model", self.name)))?;
        // R's auto.arima reports σ² = Σe² / (n* − k + 1).
        let nstar = fit.w.len() as f64;
        let ssq: f64 = fit.e.iter().map(|v| v * v).sum();
        if nstar - fit.npar as f64 + 1.0 > 0.0 {
            fit.sigma2 = ssq / (nstar - fit.npar as f64 + 1.0);
        }
        Ok(fit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::normal_draw;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn kpss_tells_a_random_walk_from_noise() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let noise: Vec<f64> = (0..500).map(|_| normal_draw(&mut rng)).collect();
        let mut walk = vec![0.0];
        for e in &noise {
            walk.push(walk.last().copied().unwrap_or(0.0) + e);
        }
        assert_eq!(ndiffs(&noise, 2), 0);
        assert_eq!(ndiffs(&walk, 2), 1);
        // (the statistic is the textbook one: for white noise around 0.1)
        assert!(kpss_statistic(&noise, 5) < 0.463);
    }

    #[test]
    fn picks_a_seasonal_model_for_seasonal_data() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let pattern = [10.0, -4.0, 3.0, -9.0, 0.0, 6.0, -6.0];
        let y: Vec<f64> = (0..350).map(|t| 100.0 + pattern[t % 7] + normal_draw(&mut rng)).collect();
        let fit = AutoArima::new(7).select(&y, None, &FitOptions::default()).unwrap();
        assert_eq!(fit.spec.order.sd, 1, "{}", fit.spec.order.label());
        let f = fit.mean(7);
        for (k, v) in f.iter().enumerate() {
            assert!((v - (100.0 + pattern[(350 + k) % 7])).abs() < 1.5, "{f:?}");
        }
    }

    #[test]
    fn an_ar1_is_found() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut y = vec![0.0];
        for _ in 0..299 {
            let last = y.last().copied().unwrap_or(0.0);
            y.push(0.8 * last + normal_draw(&mut rng));
        }
        let fit = AutoArima::new(1).select(&y, None, &FitOptions::default()).unwrap();
        let o = fit.spec.order;
        assert_eq!((o.d, o.sd), (0, 0), "{}", o.label());
        assert!(o.p >= 1, "{}", o.label());
        assert!(roots_clear(&[0.5], 1.0) && !roots_clear(&[0.995], 1.0) && !roots_clear(&[-0.995], -1.0));
    }
}
