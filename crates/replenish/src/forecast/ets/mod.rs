//! Exponential smoothing state-space models (ETS; Hyndman, Koehler, Ord & Snyder
//! 2008) and AutoETS, following the reference formulation of R's `forecast::ets`:
//! additive or multiplicative error; no, additive or additive-damped trend; no,
//! additive or multiplicative season. Smoothing parameters (α, β, γ, φ) are estimated
//! by maximum likelihood within the usual region (0 < β ≤ α < 1, 0 < γ ≤ 1 − α,
//! 0.8 ≤ φ ≤ 0.98) intersected with the admissible (forecastable) region, the initial
//! states by least squares where the predictions are linear in them (see [`fit`]);
//! AutoETS picks the model with the lowest AICc. Intervals come from simulated paths
//! of the fitted model.

mod fit;

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

pub(super) const HUGE: f64 = 1e10;

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

#[derive(Debug, Clone)]
struct FittedEts {
    spec: EtsSpec,
    p: Params,
    state: State,
    sigma: f64,
    aicc: f64,
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
            .filter_map(|s| fit::fit_spec(y, s, self.season_length, o))
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
