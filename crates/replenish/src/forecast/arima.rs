//! Seasonal ARIMA(p,d,q)(P,D,Q)_m with a fixed order, fitted as R's `arima` does by
//! default (`CSS-ML`): conditional sum of squares for starting values, then exact
//! Gaussian maximum likelihood by the Kalman filter on the differenced series.
//! Autoregressive parts are kept stationary during the search by R's
//! transformation (partial autocorrelations through tanh, then Durbin–Levinson),
//! and moving-average parts invertible by the same map (as statsmodels does; R
//! leaves them free and inverts afterwards).
//! A constant is a mean when the series is not differenced and a drift (a constant
//! of the differenced series) after one difference; none after more.
//! Forecasts run the recursion on the differenced series and integrate; intervals
//! are analytic, from the ψ-weights of the full (integrated) model.

use super::optim::nelder_mead_steps;
use super::{normal_draw, FitOptions, Fitted, ModelSpec, SeriesRegressors};
use crate::error::{Error, Result};
use rand_chacha::ChaCha8Rng;

/// The orders of a seasonal ARIMA model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ArimaOrder {
    pub p: usize,
    pub d: usize,
    pub q: usize,
    /// Seasonal AR, differencing and MA orders, at lag `m`.
    pub sp: usize,
    pub sd: usize,
    pub sq: usize,
    pub m: usize,
}

impl ArimaOrder {
    /// The usual notation, e.g. `ARIMA(2,1,1)(0,1,1)[7]`.
    pub fn label(&self) -> String {
        let mut s = format!("ARIMA({},{},{})", self.p, self.d, self.q);
        if self.sp + self.sd + self.sq > 0 && self.m > 1 {
            s += &format!("({},{},{})[{}]", self.sp, self.sd, self.sq, self.m);
        }
        s
    }

    fn seasonal_m(&self) -> usize {
        if self.sp + self.sd + self.sq > 0 {
            self.m.max(1)
        } else {
            1
        }
    }
}

/// Estimated coefficients: non-seasonal and seasonal AR and MA, and the constant.
#[derive(Debug, Clone, PartialEq)]
pub struct ArimaCoefficients {
    pub ar: Vec<f64>,
    pub ma: Vec<f64>,
    pub sar: Vec<f64>,
    pub sma: Vec<f64>,
    /// Constant of the differenced series: the mean (d + D = 0), or the drift per
    /// difference step (d + D = 1: per period, or per season when D = 1); 0 without.
    pub constant: f64,
    /// Coefficients of the exogenous regressors (regression with ARIMA errors), in
    /// the order of the regressor names; empty without regressors.
    pub beta: Vec<f64>,
}

/// ARIMA with a fixed order.
#[derive(Debug, Clone, PartialEq)]
pub struct Arima {
    pub order: ArimaOrder,
    /// Estimate a mean when the series is not differenced (d + D = 0).
    pub include_mean: bool,
    /// Estimate a drift when it is differenced once (d + D = 1).
    pub include_drift: bool,
    /// Coefficients held fixed instead of estimated (a refit-free update).
    pub fixed: Option<ArimaCoefficients>,
    /// Conditional sum of squares only (AutoARIMA's fast search), or then exact ML.
    pub css_only: bool,
    /// Keep every AR and MA root at least this far out (1 = the unit circle;
    /// AutoARIMA uses 1.01, the margin R's `auto.arima` demands of a model).
    pub root_margin: f64,
    pub name: String,
}

/// (1 − B)^d (1 − B^m)^D as the coefficients δ_k of y_t = w_t + Σ δ_k y_{t−k}.
pub(crate) fn differencing_poly(d: usize, sd: usize, m: usize) -> Vec<f64> {
    // Full polynomial with c[0] = 1.
    let mut c = vec![1.0];
    for _ in 0..d {
        c = poly_mul(&c, &[1.0, -1.0]);
    }
    for _ in 0..sd {
        let mut s = vec![0.0; m + 1];
        s[0] = 1.0;
        s[m] = -1.0;
        c = poly_mul(&c, &s);
    }
    c[1..].iter().map(|v| -v).collect()
}

fn poly_mul(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; a.len() + b.len() - 1];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

/// Applies the differencing: w_t = y_t − Σ δ_k y_{t−k} for t ≥ len(δ).
pub(crate) fn difference(y: &[f64], delta: &[f64]) -> Vec<f64> {
    let k = delta.len();
    (k..y.len()).map(|t| y[t] - delta.iter().enumerate().map(|(j, c)| c * y[t - j - 1]).sum::<f64>()).collect()
}

/// (1 − Σ ar_i B^i)(1 − Σ sar_j B^{mj}) = 1 − Σ a_k B^k: returns a.
fn ar_poly(ar: &[f64], sar: &[f64], m: usize) -> Vec<f64> {
    let mut x = vec![1.0];
    x.extend(ar.iter().map(|v| -v));
    let mut s = vec![0.0; sar.len() * m + 1];
    s[0] = 1.0;
    for (j, v) in sar.iter().enumerate() {
        s[(j + 1) * m] = -v;
    }
    let full = poly_mul(&x, &s);
    let mut a: Vec<f64> = full[1..].iter().map(|v| -v).collect();
    while a.last() == Some(&0.0) {
        a.pop();
    }
    a
}

/// (1 + Σ ma_i B^i)(1 + Σ sma_j B^{mj}) = 1 + Σ b_k B^k: returns b.
fn ma_poly(ma: &[f64], sma: &[f64], m: usize) -> Vec<f64> {
    let mut x = vec![1.0];
    x.extend_from_slice(ma);
    let mut s = vec![0.0; sma.len() * m + 1];
    s[0] = 1.0;
    for (j, v) in sma.iter().enumerate() {
        s[(j + 1) * m] = *v;
    }
    let full = poly_mul(&x, &s);
    let mut b = full[1..].to_vec();
    while b.last() == Some(&0.0) {
        b.pop();
    }
    b
}

/// R's `partrans`: unconstrained values → partial autocorrelations (tanh) → the
/// coefficients of a stationary AR polynomial (Durbin–Levinson).
fn partrans(raw: &[f64]) -> Vec<f64> {
    let mut new: Vec<f64> = raw.iter().map(|v| v.tanh()).collect();
    let mut work = new.clone();
    for j in 1..new.len() {
        let a = new[j];
        for k in 0..j {
            work[k] -= a * new[j - k - 1];
        }
        new[..j].copy_from_slice(&work[..j]);
    }
    new
}

/// The stationary covariance P = T·P·Tᵀ + R·Rᵀ of the ARMA state (Harvey's form:
/// T has the AR coefficients in its first column and ones above the diagonal),
/// by the doubling algorithm. `None` when it does not converge (non-stationary).
fn stationary_covariance(phi: &[f64], rv: &[f64]) -> Option<Vec<f64>> {
    let r = rv.len();
    let mut a = vec![0.0; r * r];
    for i in 0..r {
        a[i * r] = phi[i];
        if i + 1 < r {
            a[i * r + i + 1] = 1.0;
        }
    }
    let mut p: Vec<f64> = (0..r * r).map(|k| rv[k / r] * rv[k % r]).collect();
    let mul = |x: &[f64], y: &[f64], out: &mut [f64]| {
        out.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..r {
            for k in 0..r {
                let xv = x[i * r + k];
                if xv != 0.0 {
                    for j in 0..r {
                        out[i * r + j] += xv * y[k * r + j];
                    }
                }
            }
        }
    };
    let (mut ap, mut apa, mut aa) = (vec![0.0; r * r], vec![0.0; r * r], vec![0.0; r * r]);
    for _ in 0..64 {
        // P ← P + A·P·Aᵀ, A ← A².
        mul(&a, &p, &mut ap);
        let at: Vec<f64> = (0..r * r).map(|k| a[(k % r) * r + k / r]).collect();
        mul(&ap, &at, &mut apa);
        for (x, y) in p.iter_mut().zip(&apa) {
            *x += y;
        }
        mul(&a, &a, &mut aa);
        std::mem::swap(&mut a, &mut aa);
        let size = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
        if !size.is_finite() || p.iter().any(|v| !v.is_finite()) {
            return None;
        }
        if size < 1e-15 {
            return Some(p);
        }
    }
    None
}

/// The ARMA `x_t = Σ a_k x_{t−k} + e_t + Σ b_k e_{t−k}` as Harvey's state space:
/// state dimension r = max(p, q + 1), transition coefficients φ and noise loadings R.
fn state_space(a: &[f64], b: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let r = a.len().max(b.len() + 1);
    let mut phi = vec![0.0; r];
    phi[..a.len()].copy_from_slice(a);
    let mut rv = vec![0.0; r];
    rv[0] = 1.0;
    rv[1..=b.len()].copy_from_slice(b);
    (phi, rv)
}

/// What the Kalman filter returns for the response (column 0, `w − mu`) and the
/// regressor columns run through the same filter.
struct Filtered {
    /// Σ v_i v_j / F over time for columns i, j (row-major, c × c).
    cross: Vec<f64>,
    /// Σ log F.
    sumlog: f64,
    /// Final predicted states a_{n+1|n}, column after column (c × r).
    states: Vec<f64>,
}

/// Exact Gaussian likelihood pieces of the ARMA with coefficients `a`, `b` for
/// `w − mu` and for each regressor column (the filter's gains do not depend on the
/// data, so one covariance recursion serves every column: the regression
/// coefficients are then concentrated out by generalised least squares). Once the
/// gain has settled the filter continues with it fixed (no covariance updates).
fn kalman(w: &[f64], mu: f64, xs: &[Vec<f64>], a: &[f64], b: &[f64]) -> Option<Filtered> {
    let (phi, rv) = state_space(a, b);
    let r = phi.len();
    let c = 1 + xs.len();
    let mut p = stationary_covariance(&phi, &rv)?;
    let mut x = vec![0.0; c * r];
    let mut cross = vec![0.0; c * c];
    let mut sumlog = 0.0;
    let mut settled = false;
    let mut k = vec![0.0; r];
    let mut f = 1.0;
    let mut tp = vec![0.0; r * r];
    let mut pn = vec![0.0; r * r];
    let mut v = vec![0.0; c];
    for t in 0..w.len() {
        if !settled {
            f = p[0];
            if f.is_nan() || f <= 0.0 || !f.is_finite() {
                return None;
            }
            for i in 0..r {
                k[i] = p[i * r] / f;
            }
        }
        for (col, vc) in v.iter_mut().enumerate() {
            let obs = if col == 0 { w[t] - mu } else { xs[col - 1][t] };
            let xc = &mut x[col * r..(col + 1) * r];
            let vt = obs - xc[0];
            *vc = vt;
            // x ← T (x + K v)
            let xu0 = xc[0] + k[0] * vt;
            for i in 0..r {
                let next = if i + 1 < r { xc[i + 1] + k[i + 1] * vt } else { 0.0 };
                xc[i] = phi[i] * xu0 + next;
            }
        }
        if c == 1 {
            cross[0] += v[0] * v[0] / f;
        } else {
            for i in 0..c {
                for j in 0..=i {
                    cross[i * c + j] += v[i] * v[j] / f;
                }
            }
        }
        sumlog += f.ln();
        if settled {
            continue;
        }
        // P ← T (P − K Kᵀ F) Tᵀ + R Rᵀ, using T's structure.
        for i in 0..r {
            for j in 0..r {
                let pu = |a: usize, c: usize| p[a * r + c] - k[a] * k[c] * f;
                let below = if i + 1 < r { pu(i + 1, j) } else { 0.0 };
                tp[i * r + j] = phi[i] * pu(0, j) + below;
            }
        }
        let mut change = 0.0f64;
        for i in 0..r {
            for j in 0..r {
                let right = if j + 1 < r { tp[i * r + j + 1] } else { 0.0 };
                let v = phi[j] * tp[i * r] + right + rv[i] * rv[j];
                change = change.max((v - p[i * r + j]).abs());
                pn[i * r + j] = v;
            }
        }
        std::mem::swap(&mut p, &mut pn);
        if change < 1e-12 * p[0].abs().max(1.0) {
            settled = true;
            f = p[0];
            for i in 0..r {
                k[i] = p[i * r] / f;
            }
        }
    }
    for i in 0..c {
        for j in i + 1..c {
            cross[i * c + j] = cross[j * c + i];
        }
    }
    Some(Filtered { cross, sumlog, states: x })
}

/// Regression coefficients from the cross products of filtered columns (response
/// first): β = S_xx⁻¹ S_xy, and the residual sum of squares S_yy − β·S_xy.
fn concentrate(cross: &[f64], c: usize) -> (Vec<f64>, f64) {
    if c == 1 {
        return (Vec::new(), cross[0]);
    }
    let k = c - 1;
    let mut s = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            s[i * k + j] = cross[(i + 1) * c + j + 1];
        }
    }
    let rhs: Vec<f64> = (0..k).map(|i| cross[(i + 1) * c]).collect();
    match super::linalg::cholesky_solve(&s, &rhs, k) {
        Some(beta) => {
            let fit: f64 = beta.iter().zip(&rhs).map(|(b, r)| b * r).sum();
            let ssq = (cross[0] - fit).max(cross[0] * 1e-14);
            (beta, ssq)
        }
        None => (vec![0.0; k], cross[0]),
    }
}

/// Conditional residuals of the ARMA (zeros before the first `len(a)` values) of
/// `w − mu` (column 0) and of each regressor column; returns them and the cross
/// products over the used values, with the number used.
fn css_filter(w: &[f64], mu: f64, xs: &[Vec<f64>], a: &[f64], b: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>, usize) {
    let n = w.len();
    let start = a.len().min(n);
    let c = 1 + xs.len();
    let mut es = Vec::with_capacity(c);
    for col in 0..c {
        let z = |t: usize| if col == 0 { w[t] - mu } else { xs[col - 1][t] };
        let mut e = vec![0.0; n];
        for t in start..n {
            let mut v = z(t);
            for (k, c) in a.iter().enumerate() {
                v -= c * z(t - k - 1);
            }
            for (k, c) in b.iter().enumerate().take(t) {
                v -= c * e[t - k - 1];
            }
            e[t] = v;
        }
        es.push(e);
    }
    let mut cross = vec![0.0; c * c];
    for i in 0..c {
        for j in 0..=i {
            let v: f64 = es[i][start..].iter().zip(&es[j][start..]).map(|(p, q)| p * q).sum();
            cross[i * c + j] = v;
            cross[j * c + i] = v;
        }
    }
    (es, cross, n - start)
}

impl Arima {
    pub(crate) fn n_coef(&self) -> usize {
        let o = &self.order;
        o.p + o.q + o.sp + o.sq
    }

    pub(crate) fn has_constant(&self) -> bool {
        match self.order.d + self.order.sd {
            0 => self.include_mean,
            1 => self.include_drift,
            _ => false,
        }
    }

    fn decode(&self, x: &[f64]) -> ArimaCoefficients {
        let o = &self.order;
        let mut k = 0;
        let mut take = |n: usize| {
            k += n;
            &x[k - n..k]
        };
        // MA parts through the same map, sign flipped: 1 + Σθ_i B^i stays invertible.
        let flip = |v: Vec<f64>| v.into_iter().map(|c| -c).collect::<Vec<f64>>();
        // Roots beyond ρ: the coefficient of z^k shrinks by ρ^−k.
        let rho = self.root_margin.max(1.0);
        let shrink = |v: Vec<f64>, lag: usize| -> Vec<f64> {
            if rho == 1.0 {
                return v;
            }
            v.into_iter().enumerate().map(|(k, c)| c * rho.powi(-(((k + 1) * lag) as i32))).collect()
        };
        let m = o.seasonal_m();
        let ar = shrink(partrans(take(o.p)), 1);
        let ma = shrink(flip(partrans(take(o.q))), 1);
        let sar = shrink(partrans(take(o.sp)), m);
        let sma = shrink(flip(partrans(take(o.sq))), m);
        let constant = if self.has_constant() { x[k] } else { 0.0 };
        ArimaCoefficients { ar, ma, sar, sma, constant, beta: Vec::new() }
    }
}

impl ModelSpec for Arima {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn min_length(&self) -> usize {
        let o = &self.order;
        let m = o.seasonal_m();
        o.d + o.sd * m + o.p + o.sp * m + self.n_coef() + usize::from(self.has_constant()) + 3
    }

    fn fit(&self, y: &[f64], o: &FitOptions) -> Result<Box<dyn Fitted>> {
        Ok(Box::new(self.fit_arima(y, None, o)?))
    }

    fn uses_regressors(&self) -> bool {
        true
    }

    fn fit_with(&self, y: &[f64], x: Option<&SeriesRegressors>, o: &FitOptions) -> Result<Box<dyn Fitted>> {
        Ok(Box::new(self.fit_arima(y, x, o)?))
    }
}

/// Regressor columns differenced as the series is: over the history (`n − len(δ)`
/// values each) and over the horizon (the last `len(δ)` history values lead in).
pub(crate) fn difference_regressors(x: Option<&SeriesRegressors>, delta: &[f64]) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let Some(x) = x else {
        return (Vec::new(), Vec::new());
    };
    let hist = x.history.iter().map(|c| difference(c, delta)).collect();
    let future = x
        .history
        .iter()
        .zip(&x.future)
        .map(|(h, f)| {
            let lead = &h[h.len().saturating_sub(delta.len())..];
            let joined: Vec<f64> = lead.iter().chain(f).copied().collect();
            difference(&joined, delta)
        })
        .collect();
    (hist, future)
}

impl Arima {
    /// Fits the model, with regression on `x` when given (regression with ARIMA
    /// errors: the differenced series less the differenced regressors times β is an
    /// ARMA; β is concentrated out of the likelihood by generalised least squares).
    pub(crate) fn fit_arima(&self, y: &[f64], x: Option<&SeriesRegressors>, o: &FitOptions) -> Result<FittedArima> {
        let ord = self.order;
        let m = ord.seasonal_m();
        let delta = differencing_poly(ord.d, ord.sd, m);
        let w = difference(y, &delta);
        if let Some(x) = x {
            if x.history.iter().any(|c| c.len() != y.len()) {
                return Err(Error::InvalidInput(format!(
                    "{}: every regressor needs one value per observation ({})",
                    self.name,
                    y.len()
                )));
            }
        }
        let (xd, xf) = difference_regressors(x, &delta);
        let min = (self.min_length() + xd.len()).saturating_sub(delta.len()).max(3);
        if w.len() < min {
            return Err(Error::InvalidInput(format!(
                "{}: {} observations are too few for {}{}",
                self.name,
                y.len(),
                ord.label(),
                if xd.is_empty() { String::new() } else { format!(" with {} regressors", xd.len()) }
            )));
        }
        let coef = match &self.fixed {
            Some(c) => {
                if c.beta.len() != xd.len() {
                    return Err(Error::InvalidInput(format!(
                        "{}: the fixed coefficients have {} regressor coefficients, the data {} regressors",
                        self.name,
                        c.beta.len(),
                        xd.len()
                    )));
                }
                c.clone()
            }
            None => self.estimate(&w, &xd, m, o)?,
        };
        let mut fitted = self.finish(y, delta, w, &xd, xf, coef);
        // β_k·(x_k − usual x_k) over the horizon: integrating the differences of a
        // change confined to the horizon gives the change itself.
        if let Some(x) = x {
            fitted.effects = x
                .names
                .iter()
                .zip(&x.history)
                .zip(&x.future)
                .zip(&fitted.coef.beta)
                .map(|(((name, hist), fut), b)| {
                    let usual = super::gbdt::usual_value(hist);
                    (name.clone(), fut.iter().map(|v| b * (v - usual)).collect())
                })
                .collect();
        }
        Ok(fitted)
    }

    fn estimate(&self, w: &[f64], xd: &[Vec<f64>], m: usize, o: &FitOptions) -> Result<ArimaCoefficients> {
        let ord = self.order;
        let nc = self.n_coef();
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let sd = (w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / w.len() as f64).sqrt();
        let mut x0 = vec![0.0; nc];
        let mut steps = vec![0.1; nc];
        let (mut lo, mut hi) = (vec![-20.0; nc], vec![20.0; nc]);
        if self.has_constant() {
            x0.push(mean);
            steps.push(0.1 * sd.max(1e-8));
            lo.push(f64::NEG_INFINITY);
            hi.push(f64::INFINITY);
        }
        // β given the ARMA coefficients, by (conditional) least squares.
        let css_beta = |c: &ArimaCoefficients| {
            let (_, cross, used) =
                css_filter(w, c.constant, xd, &ar_poly(&c.ar, &c.sar, m), &ma_poly(&c.ma, &c.sma, m));
            let (beta, ssq) = concentrate(&cross, 1 + xd.len());
            (beta, ssq, used)
        };
        if nc == 0 && xd.is_empty() {
            // White noise around a constant: the ML constant is the sample mean.
            return Ok(self.decode(&x0));
        }
        let tol = o.tolerance.max(1e-10);
        let max_iter = o.max_iterations.max(1000);
        // Conditional sum of squares for starting values...
        let css = |x: &[f64]| {
            let (_, ssq, used) = css_beta(&self.decode(x));
            if used == 0 || ssq.is_nan() || ssq <= 0.0 {
                return f64::INFINITY;
            }
            0.5 * (ssq / used as f64).ln()
        };
        let start = if x0.is_empty() {
            super::optim::Minimum { value: css(&x0), x: x0, converged: true }
        } else {
            nelder_mead_steps(css, &x0, Some(&steps), &lo, &hi, tol, max_iter)
        };
        let fail = |why: &str| Error::InvalidInput(format!("{}: {} could not be fitted{why}", self.name, ord.label()));
        if self.css_only {
            if !start.value.is_finite() {
                return Err(fail(""));
            }
            let mut c = self.decode(&start.x);
            c.beta = css_beta(&c).0;
            return Ok(c);
        }
        // ...then the exact likelihood, concentrated in σ² and β.
        let n = w.len() as f64;
        let ml = |x: &[f64]| {
            let c = self.decode(x);
            match kalman(w, c.constant, xd, &ar_poly(&c.ar, &c.sar, m), &ma_poly(&c.ma, &c.sma, m)) {
                Some(f) => {
                    let (_, ssq) = concentrate(&f.cross, 1 + xd.len());
                    if ssq > 0.0 {
                        0.5 * ((ssq / n).ln() + f.sumlog / n)
                    } else {
                        f64::INFINITY
                    }
                }
                None => f64::INFINITY,
            }
        };
        let best = if start.x.is_empty() {
            super::optim::Minimum { value: ml(&start.x), x: start.x, converged: true }
        } else {
            let mut best = nelder_mead_steps(ml, &start.x, Some(&steps), &lo, &hi, tol, max_iter);
            if !best.converged {
                let again = nelder_mead_steps(ml, &best.x, Some(&steps), &lo, &hi, tol, max_iter);
                if again.value <= best.value {
                    best = again;
                }
            }
            best
        };
        if !best.value.is_finite() {
            return Err(fail(" (non-stationary or degenerate data)"));
        }
        let mut c = self.decode(&best.x);
        let filtered = kalman(w, c.constant, xd, &ar_poly(&c.ar, &c.sar, m), &ma_poly(&c.ma, &c.sma, m));
        c.beta = match filtered {
            Some(f) => concentrate(&f.cross, 1 + xd.len()).0,
            None => css_beta(&c).0,
        };
        Ok(c)
    }

    /// The fitted model for given coefficients: σ² and log-likelihood (exact, or from
    /// the conditional sum of squares for `css_only`), the residuals, and the
    /// filter's final state for forecasting.
    fn finish(
        &self,
        y: &[f64],
        delta: Vec<f64>,
        w: Vec<f64>,
        xd: &[Vec<f64>],
        xf: Vec<Vec<f64>>,
        coef: ArimaCoefficients,
    ) -> FittedArima {
        let m = self.order.seasonal_m();
        let a = ar_poly(&coef.ar, &coef.sar, m);
        let b = ma_poly(&coef.ma, &coef.sma, m);
        // The ARMA part u = w − μ − Xβ, filtered once.
        let u: Vec<f64> = (0..w.len())
            .map(|t| w[t] - coef.constant - xd.iter().zip(&coef.beta).map(|(c, b)| c[t] * b).sum::<f64>())
            .collect();
        let (mut es, cross, used) = css_filter(&u, 0.0, &[], &a, &b);
        let e = es.swap_remove(0);
        let filtered = kalman(&u, 0.0, &[], &a, &b);
        let (sigma2, loglik) = match &filtered {
            Some(f) if !self.css_only && f.cross[0] > 0.0 => {
                let n = w.len() as f64;
                let s2 = f.cross[0] / n;
                (s2, -0.5 * (n * (2.0 * std::f64::consts::PI * s2).ln() + n + f.sumlog))
            }
            _ => (cross[0] / used.max(1) as f64, f64::NAN),
        };
        let state = filtered.map(|f| f.states);
        let npar = self.n_coef() + usize::from(self.has_constant()) + coef.beta.len() + 1;
        // Future means of the differenced series: the constant plus the regression.
        let h = xf.first().map_or(0, Vec::len);
        let drift: Vec<f64> =
            (0..h).map(|t| coef.constant + xf.iter().zip(&coef.beta).map(|(c, b)| c[t] * b).sum::<f64>()).collect();
        FittedArima {
            spec: self.clone(),
            coef,
            a,
            b,
            delta,
            y: y.to_vec(),
            w,
            u,
            e,
            state,
            drift,
            sigma2,
            loglik,
            npar,
            effects: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct FittedArima {
    pub(crate) spec: Arima,
    pub(crate) coef: ArimaCoefficients,
    pub(crate) a: Vec<f64>,
    pub(crate) b: Vec<f64>,
    delta: Vec<f64>,
    y: Vec<f64>,
    pub(crate) w: Vec<f64>,
    /// The ARMA part of the differenced series (less constant and regression).
    u: Vec<f64>,
    pub(crate) e: Vec<f64>,
    /// The Kalman filter's predicted state a_{n+1|n} of the ARMA part.
    state: Option<Vec<f64>>,
    /// Constant plus regression of the differenced series per future step; with
    /// regressors it is as long as their horizon.
    drift: Vec<f64>,
    pub(crate) sigma2: f64,
    /// Exact log-likelihood; NaN for a CSS-only fit.
    pub(crate) loglik: f64,
    /// Estimated parameters including σ².
    pub(crate) npar: usize,
    /// Per regressor: β·(future value − usual value) over the horizon.
    effects: Vec<(String, Vec<f64>)>,
}

impl FittedArima {
    /// The mean of the differenced series at future step `t` (0-based); without
    /// regressors the constant, with them NaN beyond the supplied horizon.
    fn level_at(&self, t: usize) -> f64 {
        if self.coef.beta.is_empty() {
            self.coef.constant
        } else {
            self.drift.get(t).copied().unwrap_or(f64::NAN)
        }
    }

    /// Runs the model `h` steps on from the data with the given future innovations:
    /// the ARMA part from the filter's final state (α ← a + R·e, u = α₀, a ← T α),
    /// or from conditional residuals when the filter could not run; then the mean
    /// of the differenced series is added and the differences integrated.
    fn run(&self, shocks: &[f64]) -> Vec<f64> {
        let mut arma = Vec::with_capacity(shocks.len());
        match &self.state {
            Some(state) => {
                let (phi, rv) = state_space(&self.a, &self.b);
                let r = phi.len();
                let mut s = state.clone();
                let mut alpha = vec![0.0; r];
                for &shock in shocks {
                    for i in 0..r {
                        alpha[i] = s[i] + rv[i] * shock;
                    }
                    arma.push(alpha[0]);
                    for i in 0..r {
                        s[i] = phi[i] * alpha[0] + if i + 1 < r { alpha[i + 1] } else { 0.0 };
                    }
                }
            }
            None => {
                let (mut u, mut e) = (self.u.clone(), self.e.clone());
                for &shock in shocks {
                    let t = u.len();
                    let mut v = shock;
                    for (k, c) in self.a.iter().enumerate() {
                        v += c * u[t - k - 1];
                    }
                    for (k, c) in self.b.iter().enumerate() {
                        if t > k {
                            v += c * e[t - k - 1];
                        }
                    }
                    u.push(v);
                    e.push(shock);
                    arma.push(v);
                }
            }
        }
        let mut y = self.y.clone();
        let mut out = Vec::with_capacity(shocks.len());
        for (t, v) in arma.into_iter().enumerate() {
            let ty = y.len();
            let level: f64 = self.delta.iter().enumerate().map(|(k, c)| c * y[ty - k - 1]).sum();
            let value = self.level_at(t) + v + level;
            y.push(value);
            out.push(value);
        }
        out
    }

    /// ψ-weights of the integrated model, ψ_0 = 1.
    fn psi(&self, h: usize) -> Vec<f64> {
        let mut full = vec![1.0];
        full.extend(self.a.iter().map(|v| -v));
        let mut d = vec![1.0];
        d.extend(self.delta.iter().map(|v| -v));
        let g: Vec<f64> = poly_mul(&full, &d)[1..].iter().map(|v| -v).collect();
        let mut psi = vec![1.0];
        for j in 1..h {
            let mut v = self.b.get(j - 1).copied().unwrap_or(0.0);
            for (k, c) in g.iter().enumerate().take(j) {
                v += c * psi[j - k - 1];
            }
            psi.push(v);
        }
        psi
    }
}

impl Fitted for FittedArima {
    fn mean(&self, h: usize) -> Vec<f64> {
        self.run(&vec![0.0; h])
    }

    fn sd(&self, h: usize) -> Option<Vec<f64>> {
        let psi = self.psi(h);
        let mut acc = 0.0;
        Some(
            psi.iter()
                .map(|p| {
                    acc += p * p;
                    (self.sigma2 * acc).sqrt()
                })
                .collect(),
        )
    }

    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let s = self.sigma2.sqrt();
        let shocks: Vec<f64> = (0..h).map(|_| s * normal_draw(rng)).collect();
        self.run(&shocks)
    }

    fn pinned(&self) -> Option<Box<dyn ModelSpec>> {
        Some(Box::new(Arima { fixed: Some(self.coef.clone()), ..self.spec.clone() }))
    }

    fn effects(&self) -> Vec<(String, Vec<f64>)> {
        self.effects.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn arima(p: usize, d: usize, q: usize, constant: bool) -> Arima {
        Arima {
            order: ArimaOrder { p, d, q, ..Default::default() },
            include_mean: constant,
            include_drift: constant,
            fixed: None,
            css_only: false,
            root_margin: 1.0,
            name: "ARIMA".into(),
        }
    }

    fn simulate_arma(n: usize, ar: &[f64], ma: &[f64], mu: f64, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let burn = 200;
        let (mut x, mut e) = (vec![0.0; n + burn], vec![0.0; n + burn]);
        for t in 0..n + burn {
            e[t] = normal_draw(&mut rng);
            let mut v = e[t];
            for (k, c) in ar.iter().enumerate() {
                if t > k {
                    v += c * x[t - k - 1];
                }
            }
            for (k, c) in ma.iter().enumerate() {
                if t > k {
                    v += c * e[t - k - 1];
                }
            }
            x[t] = v;
        }
        x[burn..].iter().map(|v| v + mu).collect()
    }

    #[test]
    fn polynomials_expand_as_written() {
        // (1 − 0.5B)(1 − 0.3B⁴) = 1 − 0.5B − 0.3B⁴ + 0.15B⁵
        assert_eq!(ar_poly(&[0.5], &[0.3], 4), vec![0.5, 0.0, 0.0, 0.3, -0.15]);
        // (1 − B)(1 − B²): y_t = w_t + y_{t−1} + y_{t−2} − y_{t−3}
        assert_eq!(differencing_poly(1, 1, 2), vec![1.0, 1.0, -1.0]);
        let y = [1.0, 4.0, 9.0, 16.0, 25.0];
        assert_eq!(difference(&y, &differencing_poly(2, 0, 1)), vec![2.0, 2.0, 2.0]);
        // partrans keeps an AR(2) inside the stationarity triangle
        let a = partrans(&[3.0, -3.0]);
        assert!(a[1].abs() < 1.0 && a[0].abs() < 1.0 - a[1], "{a:?}");
    }

    #[test]
    fn the_stationary_covariance_of_an_ar1_is_one_over_one_minus_phi_squared() {
        let p = stationary_covariance(&[0.6, 0.0], &[1.0, 0.0]).unwrap();
        assert!((p[0] - 1.0 / (1.0 - 0.36)).abs() < 1e-12, "{p:?}");
        assert!(stationary_covariance(&[1.01], &[1.0]).is_none());
    }

    #[test]
    fn recovers_arma_coefficients() {
        let y = simulate_arma(2000, &[0.6], &[0.3], 50.0, 1);
        let f = arima(1, 0, 1, true).fit_arima(&y, None, &FitOptions::default()).unwrap();
        // Within sampling error (n = 2000, standard errors about 0.03).
        let c = &f.coef;
        assert!((c.ar[0] - 0.6).abs() < 0.08 && (c.ma[0] - 0.3).abs() < 0.08, "{c:?}");
        assert!((c.constant - 50.0).abs() < 0.5 && (f.sigma2 - 1.0).abs() < 0.1, "{c:?} {}", f.sigma2);
        // A refit-free update keeps the coefficients.
        let pinned = f.pinned().unwrap().fit(&y[..1500], &FitOptions::default()).unwrap();
        assert_eq!(pinned.mean(1).len(), 1);
    }

    #[test]
    fn seasonal_model_recovers_its_seasonal_ma() {
        // (1 − B⁷) y_t = (1 − 0.5 B⁷) e_t
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let n = 1500;
        let e: Vec<f64> = (0..n).map(|_| normal_draw(&mut rng)).collect();
        let mut y = vec![0.0; n];
        for t in 0..n {
            y[t] = e[t] + if t >= 7 { y[t - 7] - 0.5 * e[t - 7] } else { 10.0 * (t as f64).sin() };
        }
        let spec = Arima {
            order: ArimaOrder { sd: 1, sq: 1, m: 7, ..Default::default() },
            include_mean: false,
            include_drift: false,
            fixed: None,
            css_only: false,
            root_margin: 1.0,
            name: "ARIMA".into(),
        };
        let f = spec.fit_arima(&y, None, &FitOptions::default()).unwrap();
        assert!((f.coef.sma[0] + 0.5).abs() < 0.08, "{:?}", f.coef);
        // Forecasts repeat last season's values, shrunk towards the smoothed season.
        assert_eq!(f.mean(14).len(), 14);
    }

    #[test]
    fn random_walk_with_drift_forecasts_a_line_with_widening_intervals() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut y = vec![100.0];
        for _ in 0..400 {
            let last = *y.last().unwrap();
            y.push(last + 2.0 + normal_draw(&mut rng));
        }
        let f = arima(0, 1, 0, true).fit(&y, &FitOptions::default()).unwrap();
        let mean = f.mean(3);
        let last = *y.last().unwrap();
        let drift = (last - y[0]) / 400.0;
        for (k, v) in mean.iter().enumerate() {
            assert!((v - (last + drift * (k + 1) as f64)).abs() < 1e-6, "{mean:?}");
        }
        let sd = f.sd(4).unwrap();
        // A random walk's variance grows linearly: sd_h = σ√h.
        assert!((sd[3] / sd[0] - 2.0).abs() < 1e-9, "{sd:?}");
    }

    #[test]
    fn forecasts_continue_from_the_filtered_state() {
        // An MA(1) forecast one step ahead is θ·e_n with e_n the filtered innovation:
        // the state's forecast and the exact recursion from the true innovations agree
        // once the filter has settled.
        let y = simulate_arma(400, &[], &[0.7], 0.0, 5);
        let fixed = ArimaCoefficients { ma: vec![0.7], ..self::fixed_zero() };
        let spec = Arima { fixed: Some(fixed), ..arima(0, 0, 1, false) };
        let f = spec.fit_arima(&y, None, &FitOptions::default()).unwrap();
        let mut e = 0.0;
        for v in &y {
            e = v - 0.7 * e;
        }
        let mean = f.mean(2);
        assert!((mean[0] - 0.7 * e).abs() < 1e-9 && mean[1].abs() < 1e-12, "{mean:?} vs {}", 0.7 * e);
    }

    fn fixed_zero() -> ArimaCoefficients {
        ArimaCoefficients { ar: vec![], ma: vec![], sar: vec![], sma: vec![], constant: 0.0, beta: vec![] }
    }

    #[test]
    fn regression_with_arima_errors_recovers_the_coefficients() {
        // y = 10 + 3·promo − 2·price + AR(1) errors.
        let n = 600;
        let noise = simulate_arma(n, &[0.6], &[], 0.0, 3);
        let promo: Vec<f64> = (0..n).map(|t| f64::from(u8::from(t % 5 == 0))).collect();
        let price: Vec<f64> = (0..n).map(|t| 4.0 + (t as f64 * 0.37).sin()).collect();
        let y: Vec<f64> = (0..n).map(|t| 10.0 + 3.0 * promo[t] - 2.0 * price[t] + noise[t]).collect();
        let x = SeriesRegressors {
            names: vec!["promo".into(), "price".into()],
            history: vec![promo, price],
            future: vec![vec![1.0, 0.0, 0.0], vec![4.0, 4.0, 5.0]],
        };
        for d in [0, 1] {
            let f = arima(1, d, 0, d == 0).fit_arima(&y, Some(&x), &FitOptions::default()).unwrap();
            let b = &f.coef.beta;
            assert!((b[0] - 3.0).abs() < 0.15 && (b[1] + 2.0).abs() < 0.15, "d = {d}: {:?}", f.coef);
            // The forecast moves with the future regressors: promotion on step 1, a
            // price rise on step 3.
            let m = f.mean(3);
            assert!(m[0] - m[1] > 2.0 && m[1] - m[2] > 1.0, "d = {d}: {m:?}");
            // Effects: β·(x − usual x); promo's usual value is 0, price's the most
            // frequent value in its history (all distinct here: the smallest).
            let e = f.effects();
            assert_eq!((e[0].0.as_str(), e[1].0.as_str()), ("promo", "price"));
            assert_eq!(e[0].1, vec![b[0], 0.0, 0.0]);
            let usual = super::super::gbdt::usual_value(&x.history[1]);
            assert!((e[1].1[2] - b[1] * (5.0 - usual)).abs() < 1e-12);
            // The effect is exactly the change of the forecast when the regressor
            // is held at its usual value.
            let held = SeriesRegressors { future: vec![vec![0.0; 3], x.future[1].clone()], ..x.clone() };
            let spec = Arima { fixed: Some(f.coef.clone()), ..arima(1, d, 0, d == 0) };
            let m0 = spec.fit_arima(&y, Some(&held), &FitOptions::default()).unwrap().mean(3);
            for t in 0..3 {
                assert!((m[t] - m0[t] - e[0].1[t]).abs() < 1e-9, "d = {d}, step {t}");
            }
            // CSS-only fits estimate them too.
            let css = Arima { css_only: true, ..arima(1, d, 0, d == 0) };
            let c = css.fit_arima(&y, Some(&x), &FitOptions::default()).unwrap();
            assert!((c.coef.beta[0] - 3.0).abs() < 0.2, "{:?}", c.coef);
        }
        // Fixed coefficients must match the regressors.
        let spec = Arima { fixed: Some(fixed_zero()), ..arima(0, 0, 0, false) };
        assert!(spec.fit_arima(&y, Some(&x), &FitOptions::default()).is_err());
    }
}
