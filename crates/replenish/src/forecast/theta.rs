//! The Theta family as state-space models (Fiorucci et al. 2016, "Models for
//! optimising the theta method and their relationship to state space models"):
//! standard (STM: θ = 2), optimised (OTM), dynamic (DSTM) and dynamic optimised
//! (DOTM) Theta, and AutoTheta (the best of the four by in-sample error), as in
//! statsforecast.
//!
//! States: level ℓ, running mean ȳ, regression coefficients Aₙ, Bₙ and the one-step
//! forecast μ. μₜ = ℓₜ₋₁ + (1 − 1/θ)·(Aₙ(1−α)^t + Bₙ(1 − (1−α)^{t+1})/α).
//! Static models fix Aₙ, Bₙ at the least-squares line of the whole series; dynamic
//! models update them with every observation. The initial level, α ∈ [0.1, 0.99]
//! and (optimised variants) θ ≥ 1 minimise Σ e²ₜ (t ≥ 3) / mean|y| by bounded
//! Nelder–Mead. Seasonal series (m ≥ 4, n ≥ 2m, the 90% autocorrelation test) are
//! seasonally adjusted by classical multiplicative decomposition (additive when the
//! data are not all positive or an index falls below 0.01) and reseasonalised.
//! Intervals come from simulated paths of the state equations (σ = sd of e[3..]).

use super::optim::nelder_mead;
use super::seasonal::{seasonal_indices, seasonality_test, Decomposition};
use super::{normal_draw, FitOptions, Fitted, ModelSpec};
use crate::error::{Error, Result};
use rand_chacha::ChaCha8Rng;

/// Which Theta model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThetaKind {
    /// θ = 2, static trend line.
    Standard,
    /// θ optimised, static trend line.
    Optimized,
    /// θ = 2, trend line updated with each observation.
    Dynamic,
    /// θ optimised, trend line updated.
    DynamicOptimized,
}

impl ThetaKind {
    fn dynamic(self) -> bool {
        matches!(self, ThetaKind::Dynamic | ThetaKind::DynamicOptimized)
    }
    fn optimise_theta(self) -> bool {
        matches!(self, ThetaKind::Optimized | ThetaKind::DynamicOptimized)
    }
    pub fn name(self) -> &'static str {
        match self {
            ThetaKind::Standard => "Theta",
            ThetaKind::Optimized => "OptimizedTheta",
            ThetaKind::Dynamic => "DynamicTheta",
            ThetaKind::DynamicOptimized => "DynamicOptimizedTheta",
        }
    }
}

/// A Theta model; `kind = None` is AutoTheta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theta {
    pub kind: Option<ThetaKind>,
    pub season_length: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct State {
    level: f64,
    mean_y: f64,
    a: f64,
    b: f64,
    mu: f64,
}

fn init_state(y: &[f64], kind: ThetaKind, level0: f64, alpha: f64, theta: f64) -> State {
    let (a, b, mu) = if kind.dynamic() {
        (y[0], 0.0, y[0])
    } else {
        let n = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n;
        let weighted = y.iter().enumerate().map(|(t, v)| v * (t + 1) as f64).sum::<f64>() / n;
        let b = 6.0 * (2.0 * weighted - (n + 1.0) * mean) / (n * n - 1.0);
        let a = mean - (n + 1.0) * b / 2.0;
        (a, b, level0 + (1.0 - 1.0 / theta) * (a + b))
    };
    State { level: alpha * y[0] + (1.0 - alpha) * level0, mean_y: y[0], a, b, mu }
}

/// One transition at time index `i`; `y = None` feeds the model its own forecast.
fn step(prev: &State, i: usize, kind: ThetaKind, alpha: f64, theta: f64, y: Option<f64>) -> State {
    let fi = i as f64;
    step_with(prev, i, kind, alpha, theta, y, [(1.0 - alpha).powf(fi), (1.0 - alpha).powf(fi + 1.0)])
}

/// [`step`] given (1 − α)^i and (1 − α)^(i+1).
fn step_with(prev: &State, i: usize, kind: ThetaKind, alpha: f64, theta: f64, y: Option<f64>, pow: [f64; 2]) -> State {
    let fi = i as f64;
    let mu = prev.level + (1.0 - 1.0 / theta) * (prev.a * pow[0] + prev.b * (1.0 - pow[1]) / alpha);
    let y = y.unwrap_or(mu);
    let level = alpha * y + (1.0 - alpha) * prev.level;
    let (mean_y, a, b) = if kind.dynamic() {
        dynamic_trend(fi, prev.mean_y, prev.b, y)
    } else {
        ((fi * prev.mean_y + y) / (fi + 1.0), prev.a, prev.b)
    };
    State { level, mean_y, a, b, mu }
}

/// The running mean and the dynamic models' trend (A, B) after observation `y` at
/// time index `fi`, from the mean and B before it.
fn dynamic_trend(fi: f64, mean_y: f64, b: f64, y: f64) -> (f64, f64, f64) {
    let new_mean = (fi * mean_y + y) / (fi + 1.0);
    let b = ((fi - 1.0) * b + 6.0 * (y - mean_y) / (fi + 1.0)) / (fi + 2.0);
    (new_mean, new_mean - b * (fi + 2.0) / 2.0, b)
}

/// Runs the model over the series: final state, residuals, objective Σe²[3..]/mean|y|.
fn run(y: &[f64], kind: ThetaKind, level0: f64, alpha: f64, theta: f64) -> (State, Vec<f64>, f64) {
    let mut s = init_state(y, kind, level0, alpha, theta);
    let mut e = Vec::with_capacity(y.len());
    e.push(y[0] - s.mu);
    // (1 − α)^i carried along, as in the objective, rather than two `powf` per step.
    let q = 1.0 - alpha;
    let mut pow = q;
    for (i, &v) in y.iter().enumerate().skip(1) {
        let next = step_with(&s, i, kind, alpha, theta, Some(v), [pow, pow * q]);
        pow *= q;
        e.push(v - next.mu);
        s = next;
    }
    let scale = (y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64).max(1e-10);
    let obj = e.iter().skip(3).map(|r| r * r).sum::<f64>() / scale;
    (s, e, obj)
}

#[derive(Debug, Clone, PartialEq)]
struct FittedTheta {
    kind: ThetaKind,
    state: State,
    n: usize,
    alpha: f64,
    theta: f64,
    sigma: f64,
    /// Seasonal indices (by position from the series start) and how they combine.
    seasonal: Option<(Vec<f64>, Decomposition)>,
    /// (1 − α)^(n+j) for j = 0, 1, …: the same for every simulated path, so computed
    /// for the first path's horizon and kept.
    powers: std::sync::OnceLock<Vec<f64>>,
}

/// What the objective needs of the series that does not depend on the parameters:
/// the trend coefficients (A, B) in force at each step from the second (one pair for
/// static models; dynamic models update them with every observation) and mean|y|.
/// Computed once per fit by the operations of [`step`], so that every evaluation of
/// the objective is the level recursion alone.
struct Prepared {
    dynamic: bool,
    a: Vec<f64>,
    b: Vec<f64>,
    scale: f64,
}

fn prepare(y: &[f64], kind: ThetaKind) -> Prepared {
    // A and B do not depend on the initial level, α or θ.
    let s0 = init_state(y, kind, 0.0, 0.5, 2.0);
    let scale = (y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64).max(1e-10);
    if !kind.dynamic() {
        return Prepared { dynamic: false, a: vec![s0.a], b: vec![s0.b], scale };
    }
    let n = y.len().saturating_sub(1);
    let (mut av, mut bv) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut mean_y, mut a, mut b) = (s0.mean_y, s0.a, s0.b);
    for (i, &v) in y.iter().enumerate().skip(1) {
        av.push(a);
        bv.push(b);
        (mean_y, a, b) = dynamic_trend(i as f64, mean_y, b, v);
    }
    Prepared { dynamic: true, a: av, b: bv, scale }
}

/// The objective Σe²[3..]/mean|y| alone, without allocation: powers of (1 − α) are
/// carried along instead of recomputed (same recursion as [`run`]). It is evaluated
/// about seventy times per fit, so two periods are taken per step
/// (ℓ₊₂ = (1 − α)²·ℓ + …): the chain of dependent operations is half as long.
fn objective(y: &[f64], pre: &Prepared, level0: f64, alpha: f64, theta: f64) -> f64 {
    if pre.dynamic {
        objective_with(y, |i| (pre.a[i - 1], pre.b[i - 1]), level0, alpha, theta) / pre.scale
    } else {
        objective_with(y, |_| (pre.a[0], pre.b[0]), level0, alpha, theta) / pre.scale
    }
}

/// Σe²[3..] given the trend (A, B) in force at step i.
#[inline(always)]
fn objective_with(y: &[f64], trend: impl Fn(usize) -> (f64, f64), level0: f64, alpha: f64, theta: f64) -> f64 {
    let c = 1.0 - 1.0 / theta;
    let q = 1.0 - alpha;
    let (q2, inv_alpha) = (q * q, 1.0 / alpha);
    let mut level = alpha * y[0] + q * level0;
    let mut pow = q; // (1 − α)^i for i = 1
    let mu = |level: f64, pow: f64, (a, b): (f64, f64)| level + c * (a * pow + b * (1.0 - pow * q) * inv_alpha);
    // Errors of t = 1, 2 are left out; from t = 3 on, two at a time.
    let mut i = 1;
    while i < 3.min(y.len()) {
        level = alpha * y[i] + q * level;
        pow *= q;
        i += 1;
    }
    let (mut sse0, mut sse1) = (0.0, 0.0);
    while i + 1 < y.len() {
        let (v0, v1) = (y[i], y[i + 1]);
        let e0 = v0 - mu(level, pow, trend(i));
        let e1 = v1 - mu(alpha * v0 + q * level, pow * q, trend(i + 1));
        sse0 += e0 * e0;
        sse1 += e1 * e1;
        level = q2 * level + (q * alpha * v0 + alpha * v1);
        pow *= q2;
        i += 2;
    }
    if i < y.len() {
        let e = y[i] - mu(level, pow, trend(i));
        sse0 += e * e;
    }
    sse0 + sse1
}

fn fit_kind(y: &[f64], kind: ThetaKind, o: &FitOptions) -> (f64, f64, f64, f64) {
    let level0 = y[0] / 2.0;
    let theta_free = kind.optimise_theta();
    let (x0, lo, hi) = if theta_free {
        (vec![level0, 0.5, 2.0], vec![-1e10, 0.1, 1.0], vec![1e10, 0.99, 1e10])
    } else {
        (vec![level0, 0.5], vec![-1e10, 0.1], vec![1e10, 0.99])
    };
    let pre = prepare(y, kind);
    let target = |p: &[f64]| objective(y, &pre, p[0], p[1], if theta_free { p[2] } else { 2.0 });
    let (p, v) = nelder_mead(target, &x0, &lo, &hi, o.tolerance.max(1e-4), o.max_iterations.max(1000));
    (p[0], p[1], if theta_free { p[2] } else { 2.0 }, v)
}

impl ModelSpec for Theta {
    fn name(&self) -> String {
        self.kind.map_or("AutoTheta", ThetaKind::name).into()
    }
    fn min_length(&self) -> usize {
        4
    }
    fn fit(&self, y: &[f64], o: &FitOptions) -> Result<Box<dyn Fitted>> {
        if y.iter().all(|v| *v == y[0]) {
            // The state space only approaches a constant; forecast it exactly.
            return Ok(super::baselines::constant(y[0]));
        }
        let m = self.season_length;
        let mut data = y.to_vec();
        let mut seasonal = None;
        if m >= 4 && y.len() >= 2 * m && seasonality_test(y, m) {
            let mut kind =
                if y.iter().all(|v| *v > 0.0) { Decomposition::Multiplicative } else { Decomposition::Additive };
            let mut idx = seasonal_indices(y, m, kind);
            if kind == Decomposition::Multiplicative && idx.iter().any(|v| *v < 0.01) {
                kind = Decomposition::Additive;
                idx = seasonal_indices(y, m, kind);
            }
            for (t, v) in data.iter_mut().enumerate() {
                match kind {
                    Decomposition::Multiplicative => *v /= idx[t % m],
                    Decomposition::Additive => *v -= idx[t % m],
                }
            }
            seasonal = Some((idx, kind));
        }
        let kinds: &[ThetaKind] = match &self.kind {
            Some(k) => std::slice::from_ref(k),
            None => &[ThetaKind::Standard, ThetaKind::Optimized, ThetaKind::Dynamic, ThetaKind::DynamicOptimized],
        };
        let best = kinds
            .iter()
            .map(|&k| (k, fit_kind(&data, k, o)))
            .filter(|(_, f)| f.3.is_finite())
            .min_by(|a, b| a.1 .3.total_cmp(&b.1 .3))
            .ok_or_else(|| Error::InvalidInput(format!("{}: no Theta model could be fitted", self.name())))?;
        let (kind, (level0, alpha, theta, _)) = best;
        let (state, e, _) = run(&data, kind, level0, alpha, theta);
        let tail = &e[3.min(e.len())..];
        let tail = if tail.len() >= 2 { tail } else { &e[..] };
        let mean = tail.iter().sum::<f64>() / tail.len() as f64;
        let sigma = (tail.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (tail.len().max(2) - 1) as f64).sqrt();
        Ok(Box::new(FittedTheta {
            kind,
            state,
            n: data.len(),
            alpha,
            theta,
            sigma,
            seasonal,
            powers: Default::default(),
        }))
    }
}

impl FittedTheta {
    fn reseason(&self, j: usize, v: f64) -> f64 {
        match &self.seasonal {
            None => v,
            Some((idx, Decomposition::Multiplicative)) => v * idx[(self.n + j) % idx.len()],
            Some((idx, Decomposition::Additive)) => v + idx[(self.n + j) % idx.len()],
        }
    }
}

impl Fitted for FittedTheta {
    fn mean(&self, h: usize) -> Vec<f64> {
        let mut s = self.state;
        (0..h)
            .map(|j| {
                s = step(&s, self.n + j, self.kind, self.alpha, self.theta, None);
                self.reseason(j, s.mu)
            })
            .collect()
    }
    fn sd(&self, _h: usize) -> Option<Vec<f64>> {
        None
    }
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let powers = |h: usize| -> Vec<f64> { (0..=h).map(|j| (1.0 - self.alpha).powf((self.n + j) as f64)).collect() };
        let kept = self.powers.get_or_init(|| powers(h));
        let fresh;
        let pw = if kept.len() > h {
            kept
        } else {
            fresh = powers(h);
            &fresh
        };
        let mut s = self.state;
        (0..h)
            .map(|j| {
                let (i, p) = (self.n + j, [pw[j], pw[j + 1]]);
                let mu = step_with(&s, i, self.kind, self.alpha, self.theta, None, p).mu;
                let v = mu + self.sigma * normal_draw(rng);
                s = step_with(&s, i, self.kind, self.alpha, self.theta, Some(v), p);
                self.reseason(j, v)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(kind: Option<ThetaKind>, m: usize, y: &[f64]) -> Box<dyn Fitted> {
        Theta { kind, season_length: m }.fit(y, &FitOptions::default()).unwrap()
    }

    #[test]
    fn follows_a_linear_trend() {
        let y: Vec<f64> = (0..60).map(|t| 10.0 + 2.0 * t as f64).collect();
        for kind in [ThetaKind::Standard, ThetaKind::Optimized, ThetaKind::Dynamic, ThetaKind::DynamicOptimized] {
            let f = fit(Some(kind), 1, &y).mean(3);
            // STM/DSTM dampen half the trend by construction (θ = 2); optimised θ tracks it.
            assert!(f[0] > y[59] && f[2] > f[0], "{kind:?} {f:?}");
            if kind.optimise_theta() {
                assert!((f[0] - 130.0).abs() < 2.0, "{kind:?} {f:?}");
            }
        }
    }

    #[test]
    fn the_fast_objective_matches_the_state_recursion() {
        let long: Vec<f64> = (0..200).map(|t| 50.0 + (t as f64 * 0.7).sin() * 10.0 + t as f64 * 0.3).collect();
        for y in [&long[..], &long[..199], &long[..2], &long[..3], &long[..4], &long[..5]] {
            for kind in [ThetaKind::Standard, ThetaKind::Optimized, ThetaKind::Dynamic, ThetaKind::DynamicOptimized] {
                let slow = run(y, kind, 20.0, 0.3, 2.5).2;
                let fast = objective(y, &prepare(y, kind), 20.0, 0.3, 2.5);
                assert!((slow - fast).abs() <= 1e-9 * slow.abs(), "{kind:?} n={}: {slow} vs {fast}", y.len());
            }
        }
    }

    #[test]
    fn constant_series_forecast_the_constant() {
        let f = fit(None, 1, &[7.0; 30]).mean(4);
        assert!(f.iter().all(|v| (v - 7.0).abs() < 1e-6), "{f:?}");
    }

    #[test]
    fn seasonal_series_are_reseasonalised() {
        let pattern = [1.0, 1.5, 0.5, 1.0];
        let y: Vec<f64> = (0..48).map(|t| 100.0 * pattern[t % 4]).collect();
        let f = fit(None, 4, &y).mean(4);
        for (a, b) in f.iter().zip([100.0, 150.0, 50.0, 100.0]) {
            assert!((a - b).abs() < 1.0, "{f:?}");
        }
    }
}
