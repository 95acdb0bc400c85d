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
//! and (optimised variants) θ ≥ 1 minimise Σ e²ₜ (t ≥ 3) / mean|y|: the errors are
//! linear in ℓ₀ and 1 − 1/θ at a given α, so those two come from the normal
//! equations and Brent's method searches α alone ([`profile`]). Seasonal series (m ≥ 4, n ≥ 2m, the 90% autocorrelation test) are
//! seasonally adjusted by classical multiplicative decomposition (additive when the
//! data are not all positive or an index falls below 0.01) and reseasonalised.
//! Intervals come from simulated paths of the state equations (σ = sd of e[3..]).

use super::optim::{brent_min, SMOOTHING_TOLERANCE};
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

/// One transition at time index `i`, given (1 − α)^i and (1 − α)^(i+1); `y = None`
/// feeds the model its own forecast.
fn step_with(prev: &State, i: usize, kind: ThetaKind, alpha: f64, theta: f64, y: Option<f64>, pow: [f64; 2]) -> State {
    let mu = one_step(prev, alpha, theta, pow);
    advance(prev, i, kind, alpha, y.unwrap_or(mu), mu)
}

/// The state after observation `y` at time index `i`, given the forecast `mu` of it
/// ([`one_step`]).
#[inline(always)]
fn advance(prev: &State, i: usize, kind: ThetaKind, alpha: f64, y: f64, mu: f64) -> State {
    let fi = i as f64;
    let level = alpha * y + (1.0 - alpha) * prev.level;
    let (mean_y, a, b) = if kind.dynamic() {
        dynamic_trend(fi, prev.mean_y, prev.b, y)
    } else {
        ((fi * prev.mean_y + y) * (1.0 / (fi + 1.0)), prev.a, prev.b)
    };
    State { level, mean_y, a, b, mu }
}

/// The one-step forecast μ from the state before it (see [`step_with`]).
///
/// Here and in [`dynamic_trend`] every division is of numbers known before the
/// state (α, θ, the time index), and the state is only multiplied by the quotient:
/// a simulated path is a chain of dependent steps, and a division on that chain
/// would add its latency to every step.
#[inline(always)]
fn one_step(prev: &State, alpha: f64, theta: f64, pow: [f64; 2]) -> f64 {
    prev.level + (1.0 - 1.0 / theta) * (prev.a * pow[0] + prev.b * ((1.0 - pow[1]) / alpha))
}

/// The running mean and the dynamic models' trend (A, B) after observation `y` at
/// time index `fi`, from the mean and B before it.
#[inline(always)]
fn dynamic_trend(fi: f64, mean_y: f64, b: f64, y: f64) -> (f64, f64, f64) {
    let (r1, r2) = (1.0 / (fi + 1.0), 1.0 / (fi + 2.0));
    let new_mean = (fi * mean_y + y) * r1;
    let b = ((fi - 1.0) * b + 6.0 * (y - mean_y) * r1) * r2;
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
    season_length: usize,
    level0: f64,
    alpha: f64,
    theta: f64,
    sigma: f64,
    /// Seasonal indices (by position from the series start) and how they combine.
    seasonal: Option<(Vec<f64>, Decomposition)>,
    /// (1 − α)^n, from which forecasts and paths carry (1 − α)^(n+j).
    power_n: f64,
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

/// The least-squares problem in the initial level ℓ₀ and c = 1 − 1/θ at one α.
///
/// The level recursion ℓₜ = α·yₜ + (1 − α)·ℓₜ₋₁ does not involve θ, and ℓ₀ enters
/// ℓₜ₋₁ with weight (1 − α)^t, so every one-step error is linear in (ℓ₀, c):
/// eₜ = rₜ − (1 − α)^t·ℓ₀ − c·Tₜ, where rₜ = yₜ − ℓₜ₋₁ run from ℓ₀ = 0 and
/// Tₜ = Aₜ(1 − α)^t + Bₜ(1 − (1 − α)^{t+1})/α is the trend term. Σe²ₜ (t ≥ 3) is a
/// quadratic in (ℓ₀, c), minimised exactly by its normal equations; only α is left
/// to search. `c_free = false` holds θ at 2 (c = ½).
fn profile(y: &[f64], pre: &Prepared, alpha: f64, c_free: bool) -> Profiled {
    if pre.dynamic {
        profile_with(y, |i| (pre.a[i - 1], pre.b[i - 1]), alpha, c_free, pre.scale)
    } else {
        profile_with(y, |_| (pre.a[0], pre.b[0]), alpha, c_free, pre.scale)
    }
}

/// The minimum of [`profile`]: objective Σe²[3..]/mean|y|, ℓ₀ and θ.
#[derive(Debug, Clone, Copy)]
struct Profiled {
    objective: f64,
    level0: f64,
    theta: f64,
}

/// Largest c = 1 − 1/θ allowed (θ ≤ 1e10, the bound of the previous search).
const C_MAX: f64 = 1.0 - 1e-10;
/// Bound on |ℓ₀|.
const LEVEL_MAX: f64 = 1e10;

#[inline(always)]
fn profile_with(y: &[f64], trend: impl Fn(usize) -> (f64, f64), alpha: f64, c_free: bool, scale: f64) -> Profiled {
    let q = 1.0 - alpha;
    let inv_alpha = 1.0 / alpha;
    // Level from ℓ₀ = 0 after y[0], and g = (1 − α)^i, the weight of ℓ₀ in ℓᵢ₋₁.
    let mut level = alpha * y[0];
    let mut g = q;
    for &v in y.iter().take(3).skip(1) {
        level = alpha * v + q * level;
        g *= q;
    }
    // Sums of products of r, g and T over t ≥ 3.
    let (mut srr, mut srg, mut srt, mut sgg, mut sgt, mut stt) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &v) in y.iter().enumerate().skip(3) {
        let (a, b) = trend(i);
        let t = a * g + b * (1.0 - g * q) * inv_alpha;
        let r = v - level;
        srr += r * r;
        srg += r * g;
        srt += r * t;
        sgg += g * g;
        sgt += g * t;
        stt += t * t;
        level = alpha * v + q * level;
        g *= q;
    }
    if sgg <= 0.0 {
        // Fewer than four observations: nothing to fit.
        return Profiled { objective: 0.0, level0: y[0] / 2.0, theta: 2.0 };
    }
    let mut c = 0.5;
    if c_free {
        let det = sgg * stt - sgt * sgt;
        if det > 1e-12 * sgg * stt {
            // The minimum over c of the minimum over ℓ₀ is convex in c, so a c out
            // of range is clamped to its nearest bound.
            c = ((srt * sgg - srg * sgt) / det).clamp(0.0, C_MAX);
        }
        // Otherwise T is proportional to g (a flat line) and θ does not matter: 2.
    }
    let level0 = ((srg - c * sgt) / sgg).clamp(-LEVEL_MAX, LEVEL_MAX);
    let sse = srr - 2.0 * level0 * srg - 2.0 * c * srt + level0 * level0 * sgg + 2.0 * level0 * c * sgt + c * c * stt;
    Profiled { objective: sse.max(0.0) / scale, level0, theta: 1.0 / (1.0 - c) }
}

/// Fits (ℓ₀, α, θ) of one kind: α ∈ [0.1, 0.99] by Brent's method on the objective
/// minimised over ℓ₀ and (optimised kinds) θ ≥ 1 at each α ([`profile`]). Returns
/// (ℓ₀, α, θ, objective).
fn fit_kind(y: &[f64], kind: ThetaKind, o: &FitOptions) -> (f64, f64, f64, f64) {
    let pre = prepare(y, kind);
    let free = kind.optimise_theta();
    let alpha = brent_min(
        |a| profile(y, &pre, a, free).objective,
        0.1,
        0.99,
        o.tolerance.max(SMOOTHING_TOLERANCE),
        o.max_iterations,
    );
    let p = profile(y, &pre, alpha, free);
    (p.level0, alpha, p.theta, p.objective)
}

/// Seasonally adjusts `y` when it is seasonal (see the module notes): the adjusted
/// series and the indices with how they combine.
fn deseasonalise(y: &[f64], m: usize) -> (Vec<f64>, Option<(Vec<f64>, Decomposition)>) {
    let mut data = y.to_vec();
    if !(m >= 4 && y.len() >= 2 * m && seasonality_test(y, m)) {
        return (data, None);
    }
    let mut kind = if y.iter().all(|v| *v > 0.0) { Decomposition::Multiplicative } else { Decomposition::Additive };
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
    (data, Some((idx, kind)))
}

/// The fitted model at given parameters: final state and σ of the residuals.
fn finish(
    data: &[f64],
    season_length: usize,
    seasonal: Option<(Vec<f64>, Decomposition)>,
    kind: ThetaKind,
    level0: f64,
    alpha: f64,
    theta: f64,
) -> FittedTheta {
    let (state, e, _) = run(data, kind, level0, alpha, theta);
    let tail = &e[3.min(e.len())..];
    let tail = if tail.len() >= 2 { tail } else { &e[..] };
    let mean = tail.iter().sum::<f64>() / tail.len() as f64;
    let sigma = (tail.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (tail.len().max(2) - 1) as f64).sqrt();
    let n = data.len();
    FittedTheta {
        kind,
        state,
        n,
        season_length,
        level0,
        alpha,
        theta,
        sigma,
        seasonal,
        power_n: (1.0 - alpha).powf(n as f64),
    }
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
        let (data, seasonal) = deseasonalise(y, self.season_length);
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
        Ok(Box::new(finish(&data, self.season_length, seasonal, kind, level0, alpha, theta)))
    }
}

/// A Theta model with its estimated kind, initial level, α and θ fixed (the pinned
/// spec of a fitted Theta): a fit runs the states over the series without searching.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ThetaFixed {
    kind: ThetaKind,
    season_length: usize,
    level0: f64,
    alpha: f64,
    theta: f64,
}

impl ModelSpec for ThetaFixed {
    fn name(&self) -> String {
        self.kind.name().into()
    }
    fn min_length(&self) -> usize {
        4
    }
    fn fit(&self, y: &[f64], _: &FitOptions) -> Result<Box<dyn Fitted>> {
        if y.iter().all(|v| *v == y[0]) {
            return Ok(super::baselines::constant(y[0]));
        }
        let (data, seasonal) = deseasonalise(y, self.season_length);
        Ok(Box::new(finish(&data, self.season_length, seasonal, self.kind, self.level0, self.alpha, self.theta)))
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
        let q = 1.0 - self.alpha;
        let (mut s, mut p) = (self.state, self.power_n);
        (0..h)
            .map(|j| {
                s = step_with(&s, self.n + j, self.kind, self.alpha, self.theta, None, [p, p * q]);
                p *= q;
                self.reseason(j, s.mu)
            })
            .collect()
    }
    fn sd(&self, _h: usize) -> Option<Vec<f64>> {
        None
    }
    fn pinned(&self) -> Option<Box<dyn ModelSpec>> {
        Some(Box::new(ThetaFixed {
            kind: self.kind,
            season_length: self.season_length,
            level0: self.level0,
            alpha: self.alpha,
            theta: self.theta,
        }))
    }
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut out = Vec::with_capacity(h);
        self.simulate_into(h, rng, &mut out);
        out
    }
    fn simulate_into(&self, h: usize, rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        // (1 − α)^(n+j) carried along from (1 − α)^n.
        let q = 1.0 - self.alpha;
        let (mut s, mut p) = (self.state, self.power_n);
        out.clear();
        out.extend((0..h).map(|j| {
            let (i, pw) = (self.n + j, [p, p * q]);
            p *= q;
            let mu = one_step(&s, self.alpha, self.theta, pw);
            let v = mu + self.sigma * normal_draw(rng);
            // The state stores the forecast of the observation it took in.
            s = advance(&s, i, self.kind, self.alpha, v, mu);
            self.reseason(j, v)
        }));
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
    fn the_profiled_level_and_theta_minimise_the_state_recursion_error() {
        let long: Vec<f64> = (0..200).map(|t| 50.0 + (t as f64 * 0.7).sin() * 10.0 + t as f64 * 0.3).collect();
        for y in [&long[..], &long[..199], &long[..4], &long[..5], &long[..9]] {
            for kind in [ThetaKind::Standard, ThetaKind::Optimized, ThetaKind::Dynamic, ThetaKind::DynamicOptimized] {
                let pre = prepare(y, kind);
                for alpha in [0.1, 0.3, 0.77, 0.99] {
                    let p = profile(y, &pre, alpha, kind.optimise_theta());
                    if !kind.optimise_theta() {
                        assert_eq!(p.theta, 2.0);
                    }
                    assert!(p.theta >= 1.0, "{kind:?}: θ {}", p.theta);
                    // The sums give the objective the state recursion gives at (ℓ₀, α, θ)...
                    let at = run(y, kind, p.level0, alpha, p.theta).2;
                    let tol = 1e-7 * at.abs().max(1e-3);
                    assert!(
                        (at - p.objective).abs() <= tol,
                        "{kind:?} n={} α={alpha}: {at} vs {}",
                        y.len(),
                        p.objective
                    );
                    // ...and no other (ℓ₀, θ) does better at that α.
                    for level0 in [p.level0 - 5.0, p.level0 - 0.1, p.level0 + 0.1, p.level0 + 5.0, 0.0, 60.0] {
                        let thetas: &[f64] =
                            if kind.optimise_theta() { &[1.0, 1.5, 2.0, 3.0, 10.0, p.theta] } else { &[2.0] };
                        for &theta in thetas {
                            let other = run(y, kind, level0, alpha, theta).2;
                            assert!(
                                other >= p.objective - tol,
                                "{kind:?} n={} α={alpha} ℓ₀={level0} θ={theta}: {other} < {}",
                                y.len(),
                                p.objective
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn constant_series_forecast_the_constant() {
        let f = fit(None, 1, &[7.0; 30]).mean(4);
        assert!(f.iter().all(|v| (v - 7.0).abs() < 1e-6), "{f:?}");
    }

    #[test]
    fn a_pinned_theta_reproduces_its_fit_and_updates_states_on_more_data() {
        let y: Vec<f64> = (0..300)
            .map(|t| {
                50.0 + (t as f64 * 0.9).sin() * 8.0 + t as f64 * 0.2 + [3.0, -1.0, 0.0, 5.0, -4.0, 2.0, -5.0][t % 7]
            })
            .collect();
        let o = FitOptions::default();
        for kind in [ThetaKind::Standard, ThetaKind::DynamicOptimized] {
            let spec = Theta { kind: Some(kind), season_length: 7 };
            let fitted = spec.fit(&y[..250], &o).unwrap();
            let pinned = fitted.pinned().expect("Theta pins its parameters");
            assert_eq!(pinned.name(), kind.name());
            assert_eq!(pinned.fit(&y[..250], &o).unwrap().mean(5), fitted.mean(5));
            // On more data the states move on; the parameters stay, so the forecast
            // differs from both the old one and a fresh estimate.
            let moved = pinned.fit(&y, &o).unwrap().mean(5);
            assert_ne!(moved, fitted.mean(5));
            // ...exactly as the state recursion at the parameters estimated on the first 250.
            let (first, _) = deseasonalise(&y[..250], 7);
            let (level0, alpha, theta, _) = fit_kind(&first, kind, &o);
            let (data, seasonal) = deseasonalise(&y, 7);
            let by_hand = finish(&data, 7, seasonal, kind, level0, alpha, theta);
            assert_eq!(moved, by_hand.mean(5), "{kind:?}");
        }
    }

    #[test]
    fn theta_paths_into_a_buffer_are_the_paths_simulated() {
        use rand::SeedableRng;
        let y: Vec<f64> = (0..120).map(|t| 20.0 + (t % 7) as f64 + t as f64 * 0.1).collect();
        let f = fit(Some(ThetaKind::DynamicOptimized), 7, &y);
        let (mut a, mut b) = (ChaCha8Rng::seed_from_u64(5), ChaCha8Rng::seed_from_u64(5));
        let mut buf = Vec::new();
        for h in [1, 9, 30] {
            f.simulate_into(h, &mut b, &mut buf);
            assert_eq!(buf, f.simulate(h, &mut a));
        }
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
