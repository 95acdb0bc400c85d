//! Exponential smoothing state-space models (ETS; Hyndman, Koehler, Ord & Snyder
//! 2008) and AutoETS, following the reference formulation of R's `forecast::ets`:
//! additive or multiplicative error; no, additive or additive-damped trend; no,
//! additive or multiplicative season. Parameters (α, β, γ, φ) and initial states are
//! estimated by maximum likelihood (bounded Nelder–Mead) within the usual region
//! (0 < β < α < 1, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98); AutoETS picks the model with the
//! lowest AICc. Intervals come from simulated paths of the fitted model.

use super::optim::nelder_mead;
use super::seasonal::{seasonal_indices, Decomposition};
use super::{normal_draw, FitOptions, Fitted, ModelSpec};
use crate::error::{Error, Result};
use rand_chacha::ChaCha8Rng;

/// Error, trend or season component type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    None,
    Additive,
    Multiplicative,
}

/// One ETS model structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EtsSpec {
    pub error: Component,
    pub trend: Component,
    pub damped: bool,
    pub season: Component,
}

impl EtsSpec {
    /// The usual code, e.g. `MAdM`.
    pub fn code(&self) -> String {
        let c = |x: Component| match x {
            Component::None => "N",
            Component::Additive => "A",
            Component::Multiplicative => "M",
        };
        format!("{}{}{}{}", c(self.error), c(self.trend), if self.damped { "d" } else { "" }, c(self.season))
    }
}

/// Model search space: `None` fields are chosen automatically.
#[derive(Debug, Clone, PartialEq)]
pub struct Ets {
    pub season_length: usize,
    /// Restrict to this structure (e.g. SES = ANN); `None` = AutoETS over all.
    pub spec: Option<EtsSpec>,
    /// Column name.
    pub name: String,
}

const HUGE: f64 = 1e10;

/// State: level, trend, seasonal ring buffer (`season[(start + k) % m]` is the
/// season k + 1 steps ago... stored oldest-first through `head`).
#[derive(Debug, Clone, PartialEq)]
struct State {
    l: f64,
    b: f64,
    /// s[j]: j = 0 most recent, m − 1 oldest (season of period t − m).
    s: Vec<f64>,
    head: usize,
}

impl State {
    fn season(&self, j: usize) -> f64 {
        let m = self.s.len();
        self.s[(self.head + j) % m]
    }
}

#[derive(Debug, Clone, Copy)]
struct Params {
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
}

fn one_step(st: &State, spec: &EtsSpec, phi: f64) -> f64 {
    let q = match spec.trend {
        Component::None => st.l,
        _ => st.l + phi * st.b,
    };
    match spec.season {
        Component::None => q,
        Component::Additive => q + st.season(st.s.len() - 1),
        Component::Multiplicative => q * st.season(st.s.len() - 1),
    }
}

/// The state update shared by additive and multiplicative errors.
fn update(st: &mut State, spec: &EtsSpec, p: &Params, y: f64) {
    let m = st.s.len();
    let (q, phib) = match spec.trend {
        Component::None => (st.l, 0.0),
        _ => (st.l + p.phi * st.b, p.phi * st.b),
    };
    let old_s = if m > 0 { st.season(m - 1) } else { 0.0 };
    let pl = match spec.season {
        Component::None => y,
        Component::Additive => y - old_s,
        Component::Multiplicative => {
            if old_s.abs() < 1e-10 {
                HUGE
            } else {
                y / old_s
            }
        }
    };
    let old_l = st.l;
    st.l = q + p.alpha * (pl - q);
    if spec.trend != Component::None {
        st.b = phib + (p.beta / p.alpha) * ((st.l - old_l) - phib);
    }
    if spec.season != Component::None {
        let t = match spec.season {
            Component::Additive => y - q,
            _ => {
                if q.abs() < 1e-10 {
                    HUGE
                } else {
                    y / q
                }
            }
        };
        // The oldest slot becomes the newest.
        let oldest = (st.head + m - 1) % m;
        st.s[oldest] = old_s + p.gamma * (t - old_s);
        st.head = oldest;
    }
}

/// −2·log-likelihood (up to a constant) and the residuals' sum of squares.
fn likelihood(y: &[f64], spec: &EtsSpec, p: &Params, init: &State) -> (f64, f64) {
    let mut st = init.clone();
    let (mut sse, mut log_f) = (0.0, 0.0);
    for &v in y {
        let f = one_step(&st, spec, p.phi);
        if !f.is_finite() || (spec.error == Component::Multiplicative && f.abs() < 1e-10) {
            return (f64::INFINITY, f64::INFINITY);
        }
        let e = match spec.error {
            Component::Multiplicative => (v - f) / f,
            _ => v - f,
        };
        sse += e * e;
        if spec.error == Component::Multiplicative {
            log_f += f.abs().ln();
        }
        update(&mut st, spec, p, v);
    }
    let n = y.len() as f64;
    let lik = n * sse.ln() + if spec.error == Component::Multiplicative { 2.0 * log_f } else { 0.0 };
    (if lik.is_nan() { f64::INFINITY } else { lik.max(-1e10) }, sse)
}

/// R's `initstate`: seasonal indices from a classical decomposition of the first
/// three seasons (or all data), level and trend from a regression on the first
/// max(10, 2m) seasonally adjusted values. Returns (l0, b0, seasons oldest-last).
fn initial_states(y: &[f64], spec: &EtsSpec, m: usize) -> (f64, f64, Vec<f64>) {
    let mut seasons = vec![];
    let mut sa = y.to_vec();
    if spec.season != Component::None {
        let kind =
            if spec.season == Component::Additive { Decomposition::Additive } else { Decomposition::Multiplicative };
        let span = &y[..(3 * m).min(y.len())];
        let mut idx = seasonal_indices(span, m, kind);
        if kind == Decomposition::Multiplicative {
            idx.iter_mut().for_each(|v| *v = v.max(1e-2));
        }
        for (t, v) in sa.iter_mut().enumerate() {
            match kind {
                Decomposition::Additive => *v -= idx[t % m],
                Decomposition::Multiplicative => *v /= idx[t % m],
            }
        }
        // Before the first observation the most recent season is position m − 1,
        // the oldest position 0: s[j] = idx[m − 1 − j].
        seasons = (0..m).map(|j| idx[m - 1 - j]).collect();
    }
    let maxn = (2 * m).max(10).min(sa.len());
    let x: Vec<f64> = (1..=maxn).map(|t| t as f64).collect();
    let ys = &sa[..maxn];
    let (mx, my) = (x.iter().sum::<f64>() / maxn as f64, ys.iter().sum::<f64>() / maxn as f64);
    if spec.trend == Component::None {
        return (my, 0.0, seasons);
    }
    let sxx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
    let sxy: f64 = x.iter().zip(ys).map(|(a, b)| (a - mx) * (b - my)).sum();
    let b0 = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let mut l0 = my - b0 * mx;
    let mut b0 = b0;
    if (l0 + b0).abs() < 1e-8 {
        l0 *= 1.0 + 1e-3;
        b0 *= 1.0 - 1e-3;
    }
    (l0, b0, seasons)
}

#[derive(Debug, Clone)]
struct FittedEts {
    spec: EtsSpec,
    p: Params,
    state: State,
    sigma: f64,
    aicc: f64,
}

/// Fits one structure: returns the fitted model with its AICc.
fn fit_spec(y: &[f64], spec: EtsSpec, m: usize, o: &FitOptions) -> Option<FittedEts> {
    let seasonal = spec.season != Component::None;
    let mm = if seasonal { m } else { 1 };
    let (l0, b0, s0) = initial_states(y, &spec, mm);
    // R's initparam with lower (1e-4, 1e-4, 1e-4, 0.8), upper (0.9999, 0.9999, 0.9999, 0.98).
    let alpha0 = 1e-4 + 0.2 * (0.9999 - 1e-4) / mm as f64;
    let beta0 = 1e-4 + 0.1 * (alpha0.min(0.9999) - 1e-4);
    let gamma0 = 1e-4 + 0.05 * ((1.0 - alpha0).min(0.9999) - 1e-4);
    let phi0 = 0.8 + 0.99 * (0.98 - 0.8);
    let has_trend = spec.trend != Component::None;
    // Parameter vector: α, [β], [γ], [φ], l0, [b0], [s_0 .. s_{m−2}] (the last season is implied).
    let mut x0 = vec![alpha0];
    let mut lo = vec![1e-4];
    let mut hi = vec![0.9999];
    if has_trend {
        x0.push(beta0);
        lo.push(1e-4);
        hi.push(0.9999);
    }
    if seasonal {
        x0.push(gamma0);
        lo.push(1e-4);
        hi.push(0.9999);
    }
    if spec.damped {
        x0.push(phi0);
        lo.push(0.8);
        hi.push(0.98);
    }
    let n_par = x0.len();
    x0.push(l0);
    if has_trend {
        x0.push(b0);
    }
    if seasonal {
        x0.extend_from_slice(&s0[..mm - 1]);
    }
    for _ in n_par..x0.len() {
        lo.push(-HUGE);
        hi.push(HUGE);
    }
    let decode = |x: &[f64]| -> Option<(Params, State)> {
        let mut k = 0;
        let alpha = x[k];
        k += 1;
        let beta = if has_trend {
            k += 1;
            x[k - 1]
        } else {
            0.0
        };
        let gamma = if seasonal {
            k += 1;
            x[k - 1]
        } else {
            0.0
        };
        let phi = if spec.damped {
            k += 1;
            x[k - 1]
        } else {
            1.0
        };
        // The usual region.
        if (has_trend && beta >= alpha) || (seasonal && gamma >= 1.0 - alpha) {
            return None;
        }
        let l = x[k];
        k += 1;
        let b = if has_trend {
            k += 1;
            x[k - 1]
        } else {
            0.0
        };
        let mut s = Vec::new();
        if seasonal {
            s.extend_from_slice(&x[k..k + mm - 1]);
            let sum: f64 = s.iter().sum();
            s.push(match spec.season {
                Component::Additive => -sum,
                _ => mm as f64 - sum,
            });
            if spec.season == Component::Multiplicative && s.iter().any(|v| *v <= 0.0) {
                return None;
            }
        }
        Some((Params { alpha, beta, gamma, phi }, State { l, b, s, head: 0 }))
    };
    let objective = |x: &[f64]| match decode(x) {
        Some((p, st)) => likelihood(y, &spec, &p, &st).0,
        None => f64::INFINITY,
    };
    let max_iter = o.max_iterations.max(2000);
    // Nelder–Mead stalls on these badly scaled problems (levels in the thousands next
    // to smoothing parameters near 0): restart from the best point with a fresh simplex.
    let (mut best, mut lik) = nelder_mead(objective, &x0, &lo, &hi, o.tolerance.max(1e-8), max_iter);
    for _ in 0..2 {
        let (b, l) = nelder_mead(objective, &best, &lo, &hi, o.tolerance.max(1e-8), max_iter);
        let improved = l < lik - 1e-6 * lik.abs().max(1.0);
        if l < lik {
            best = b;
            lik = l;
        }
        if !improved {
            break;
        }
    }
    if !lik.is_finite() {
        return None;
    }
    let (p, init) = decode(&best)?;
    let (_, sse) = likelihood(y, &spec, &p, &init);
    let mut state = init;
    for &v in y {
        update(&mut state, &spec, &p, v);
    }
    let n = y.len() as f64;
    let k = best.len() as f64 + 1.0;
    let aic = lik + 2.0 * k;
    let aicc = if n - k - 1.0 > 0.0 { aic + 2.0 * k * (k + 1.0) / (n - k - 1.0) } else { f64::INFINITY };
    let sigma = (sse / (n - k).max(1.0)).sqrt();
    Some(FittedEts { spec, p, state, sigma, aicc })
}

/// Every structure AutoETS considers for this series.
fn candidates(y: &[f64], m: usize) -> Vec<EtsSpec> {
    use Component::*;
    let positive = y.iter().all(|v| *v > 0.0);
    let seasonal_ok = m > 1 && m <= 24 && y.len() > 2 * m;
    let mut out = vec![];
    for error in [Additive, Multiplicative] {
        for (trend, damped) in [(None, false), (Additive, false), (Additive, true)] {
            for season in [None, Additive, Multiplicative] {
                if (error == Multiplicative || season == Multiplicative) && !positive {
                    continue;
                }
                if season != None && !seasonal_ok {
                    continue;
                }
                if error == Additive && season == Multiplicative {
                    continue; // infinite-variance models, excluded as in R
                }
                out.push(EtsSpec { error, trend, damped, season });
            }
        }
    }
    out
}

impl ModelSpec for Ets {
    fn name(&self) -> String {
        self.name.clone()
    }
    fn min_length(&self) -> usize {
        4
    }
    fn fit(&self, y: &[f64], o: &FitOptions) -> Result<Box<dyn Fitted>> {
        if y.iter().all(|v| *v == y[0]) {
            return Ok(super::baselines::constant(y[0]));
        }
        let specs = match self.spec {
            Some(s) => vec![s],
            None => candidates(y, self.season_length),
        };
        let best = specs
            .into_iter()
            .filter(|s| {
                // Enough data for the parameters (R: n > npars + 4).
                let m = if s.season == Component::None { 0 } else { self.season_length };
                let npars = 2 + usize::from(s.trend != Component::None) * 2 + usize::from(s.damped) + m;
                y.len() > npars + 4
            })
            .filter_map(|s| fit_spec(y, s, self.season_length, o))
            .min_by(|a, b| a.aicc.total_cmp(&b.aicc))
            .ok_or_else(|| Error::InvalidInput(format!("{}: no ETS model could be fitted", self.name)))?;
        Ok(Box::new(best))
    }
}

impl Fitted for FittedEts {
    fn mean(&self, h: usize) -> Vec<f64> {
        let mut st = self.state.clone();
        (0..h)
            .map(|_| {
                let f = one_step(&st, &self.spec, self.p.phi);
                // Updating with its own forecast moves the state as the mean forecast does.
                update(&mut st, &self.spec, &self.p, f);
                f
            })
            .collect()
    }
    fn sd(&self, _h: usize) -> Option<Vec<f64>> {
        None
    }
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut st = self.state.clone();
        (0..h)
            .map(|_| {
                let f = one_step(&st, &self.spec, self.p.phi);
                let y = match self.spec.error {
                    Component::Multiplicative => f * (1.0 + self.sigma * normal_draw(rng)),
                    _ => f + self.sigma * normal_draw(rng),
                };
                update(&mut st, &self.spec, &self.p, y);
                y
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(m: usize) -> Ets {
        Ets { season_length: m, spec: None, name: "AutoETS".into() }
    }

    #[test]
    fn ses_structure_on_a_level_series() {
        let y: Vec<f64> = (0..80).map(|t| 50.0 + if t % 2 == 0 { 3.0 } else { -3.0 }).collect();
        let spec =
            EtsSpec { error: Component::Additive, trend: Component::None, damped: false, season: Component::None };
        let f = fit_spec(&y, spec, 1, &FitOptions::default()).unwrap();
        let m = f.mean(3);
        assert!((m[0] - 50.0).abs() < 3.5 && m[0] == m[2], "{m:?}");
    }

    #[test]
    fn trend_and_season_are_recovered() {
        let pattern = [0.8, 1.0, 1.3, 0.9];
        let y: Vec<f64> = (0..80).map(|t| (100.0 + 2.0 * t as f64) * pattern[t % 4]).collect();
        let fitted = auto(4).fit(&y, &FitOptions::default()).unwrap();
        let f = fitted.mean(4);
        for (k, v) in f.iter().enumerate() {
            let t = 80 + k;
            let want = (100.0 + 2.0 * t as f64) * pattern[t % 4];
            assert!((v - want).abs() / want < 0.03, "step {k}: {v} vs {want}");
        }
    }

    #[test]
    fn non_positive_data_only_get_additive_models() {
        let y: Vec<f64> = (0..40).map(|t| (t as f64 * 0.3).sin()).collect();
        assert!(candidates(&y, 1)
            .iter()
            .all(|s| s.error == Component::Additive && s.season != Component::Multiplicative));
        assert_eq!(candidates(&[1.0; 40], 1).len(), 6);
        assert_eq!(candidates(&[1.0; 40], 4).len(), 15);
    }
}
