//! Demand over a protection interval as a distribution, and the stock levels that
//! meet a service target on it.
//!
//! A [`Ltd`] (lead-time demand) is either
//! * **parametric**: daily demand from a family (normal, Poisson, negative binomial,
//!   gamma) summed over a random number of days. The number of days is the lead time
//!   plus the review period; a random lead time is a normal N(L̄, σ_L) rounded to whole
//!   days and never negative — the same lead times the simulation draws — so the
//!   distribution is a mixture over the possible lead times of the family's n-day sum
//!   (normal: N(nμ, nσ²); Poisson: Poisson(nμ); negative binomial and gamma: the same
//!   family with n times the mean and the variance). A fixed lead time may be
//!   fractional;
//! * **empirical**: a sample of totals, e.g. from a forecast model's sample paths or
//!   from resampled history days.
//!
//! Each gives its mean, variance, CDF, quantile (the smallest level whose CDF reaches
//! p; a whole unit for the discrete families) and first-order loss function
//! E[(D − x)⁺], the expected demand above a level, which the fill-rate targets need.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, DiscreteCDF, Gamma, NegativeBinomial, Normal, Poisson};

/// The family of one day's demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Normal,
    Poisson,
    /// Over-dispersed counts (variance > mean); with variance ≤ mean it is Poisson.
    NegativeBinomial,
    /// Positive and skewed; continuous.
    Gamma,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Normal => "normal",
            Family::Poisson => "poisson",
            Family::NegativeBinomial => "negative_binomial",
            Family::Gamma => "gamma",
        }
    }
}

/// One n-day sum of the mixture.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Component {
    Point(f64),
    Normal { mean: f64, sd: f64 },
    Poisson(f64),
    NegBin { r: f64, p: f64, mean: f64 },
    Gamma { shape: f64, scale: f64 },
}

impl Component {
    fn new(family: Family, mean: f64, var: f64) -> Component {
        if mean <= 0.0 {
            return Component::Point(0.0);
        }
        match family {
            Family::Normal if var > 0.0 => Component::Normal { mean, sd: var.sqrt() },
            Family::Gamma if var > 0.0 => Component::Gamma { shape: mean * mean / var, scale: var / mean },
            Family::NegativeBinomial if var > mean * (1.0 + 1e-9) => {
                Component::NegBin { r: mean * mean / (var - mean), p: mean / var, mean }
            }
            Family::Poisson | Family::NegativeBinomial => Component::Poisson(mean),
            Family::Normal | Family::Gamma => Component::Point(mean),
        }
    }

    fn discrete(&self) -> bool {
        matches!(self, Component::Poisson(_) | Component::NegBin { .. })
    }

    /// For a Poisson or negative binomial, the smallest whole x with P(D ≤ x) ≥ p for
    /// each of the increasing `ps`, in one pass over the probabilities (each from the
    /// one before: P(x + 1) = P(x)·λ/(x + 1), or P(x)·(x + r)/(x + 1)·(1 − p)),
    /// starting 3 standard deviations below the mean (8 where the first p lies below
    /// that). `None` for other components, or where the probabilities underflow or
    /// the walk runs far past the mean.
    fn quantiles_ascending(&self, ps: &[f64]) -> Option<Vec<f64>> {
        use statrs::function::gamma::ln_gamma;
        let (mean, var) = self.mean_var();
        let sd = var.sqrt();
        let near = (mean - 3.0 * sd).floor().max(0.0);
        let first = ps.first().copied().unwrap_or(1.0);
        let x0 = if near == 0.0 || self.cdf(near - 1.0) < first { near } else { (mean - 8.0 * sd).floor().max(0.0) };
        let (ln_first, ratio): (f64, Box<dyn Fn(f64) -> f64>) = match *self {
            Component::Poisson(l) if l > 0.0 => {
                (-l + x0 * l.ln() - ln_gamma(x0 + 1.0), Box::new(move |x: f64| l / (x + 1.0)))
            }
            Component::NegBin { r, p, .. } => (
                ln_gamma(x0 + r) - ln_gamma(r) - ln_gamma(x0 + 1.0) + r * p.ln() + x0 * (1.0 - p).ln(),
                Box::new(move |x: f64| (x + r) / (x + 1.0) * (1.0 - p)),
            ),
            _ => return None,
        };
        let mut pmf = ln_first.exp();
        if pmf.is_nan() || pmf <= 0.0 {
            return None;
        }
        // below = P(D < x), pmf = P(D = x).
        let (mut x, mut below) = (x0, if x0 > 0.0 { self.cdf(x0 - 1.0) } else { 0.0 });
        let limit = mean + 60.0 * sd.max(1.0) + 100.0;
        let mut out = Vec::with_capacity(ps.len());
        for &p in ps {
            while below + pmf < p {
                if x > limit {
                    return None;
                }
                below += pmf;
                pmf *= ratio(x);
                x += 1.0;
            }
            out.push(x);
        }
        Some(out)
    }

    fn cdf(&self, x: f64) -> f64 {
        match *self {
            Component::Point(m) => f64::from(x >= m),
            Component::Normal { mean, sd } => Normal::new(mean, sd).map_or(f64::NAN, |d| d.cdf(x)),
            Component::Gamma { shape, scale } => {
                if x <= 0.0 {
                    0.0
                } else {
                    Gamma::new(shape, 1.0 / scale).map_or(f64::NAN, |d| d.cdf(x))
                }
            }
            Component::Poisson(l) => {
                if x < 0.0 {
                    0.0
                } else {
                    Poisson::new(l).map_or(f64::NAN, |d| d.cdf(x.floor() as u64))
                }
            }
            Component::NegBin { r, p, .. } => {
                if x < 0.0 {
                    0.0
                } else {
                    NegativeBinomial::new(r, p).map_or(f64::NAN, |d| d.cdf(x.floor() as u64))
                }
            }
        }
    }

    /// E[(D − x)⁺].
    fn loss(&self, x: f64) -> f64 {
        match *self {
            Component::Point(m) => (m - x).max(0.0),
            Component::Normal { mean, sd } => sd * super::formulas::normal_loss((x - mean) / sd),
            Component::Gamma { shape, scale } => {
                if x <= 0.0 {
                    return shape * scale - x;
                }
                let tail = |k: f64| Gamma::new(k, 1.0 / scale).map_or(f64::NAN, |d| d.sf(x));
                (shape * scale * tail(shape + 1.0) - x * tail(shape)).max(0.0)
            }
            Component::Poisson(_) | Component::NegBin { .. } => {
                // With k = ⌊x⌋: E[(D − x)⁺] = Σ_{d>k} d·P(d) − x·P(D > k), and
                // Σ_{d>k} d·P(d) = mean·P(D' ≥ k), D' the same Poisson, or the negative
                // binomial with one more success (d·NB(d; r, p) = mean·NB(d − 1; r + 1, p)).
                // Two tail probabilities instead of a sum over k terms.
                let mean = self.mean_var().0;
                if x <= 0.0 {
                    return mean - x;
                }
                let k = x.floor() as u64;
                let (above, tail) = match *self {
                    Component::Poisson(l) => {
                        let Ok(d) = Poisson::new(l) else { return f64::NAN };
                        (if k == 0 { 1.0 } else { d.sf(k - 1) }, d.sf(k))
                    }
                    Component::NegBin { r, p, .. } => {
                        let (Ok(d), Ok(shifted)) = (NegativeBinomial::new(r, p), NegativeBinomial::new(r + 1.0, p))
                        else {
                            return f64::NAN;
                        };
                        (if k == 0 { 1.0 } else { shifted.sf(k - 1) }, d.sf(k))
                    }
                    _ => (0.0, 0.0),
                };
                (mean * above - x * tail).max(0.0)
            }
        }
    }

    fn mean_var(&self) -> (f64, f64) {
        match *self {
            Component::Point(m) => (m, 0.0),
            Component::Normal { mean, sd } => (mean, sd * sd),
            Component::Gamma { shape, scale } => (shape * scale, shape * scale * scale),
            Component::Poisson(l) => (l, l),
            Component::NegBin { r, p, mean } => (mean, r * (1.0 - p) / (p * p)),
        }
    }
}

/// A demand distribution over a protection interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Ltd {
    /// (weight, n-day sum); weights sum to 1.
    parts: Vec<(f64, Component)>,
    /// Sorted sample totals (empirical); empty for a parametric distribution.
    sample: Vec<f64>,
}

/// The probabilities of whole-day lead times when the lead time is N(mean, sd)
/// rounded to whole days and never negative; a fixed (sd = 0) lead time is kept as
/// it is, fractional or not. Tails below 1e-9 are dropped and the rest renormalised.
pub fn lead_time_pmf(mean: f64, sd: f64) -> Vec<(f64, f64)> {
    if sd <= 0.0 {
        return vec![(mean.max(0.0), 1.0)];
    }
    let Ok(n) = Normal::new(mean, sd) else { return vec![(mean.max(0.0), 1.0)] };
    let hi = (mean + 9.0 * sd).ceil().max(0.0) as u64;
    let mut out = Vec::new();
    for k in 0..=hi {
        let upper = n.cdf(k as f64 + 0.5);
        let lower = if k == 0 { 0.0 } else { n.cdf(k as f64 - 0.5) };
        let p = upper - lower;
        if p > 1e-9 {
            out.push((k as f64, p));
        }
    }
    let total: f64 = out.iter().map(|x| x.1).sum();
    out.iter_mut().for_each(|x| x.1 /= total);
    out
}

impl Ltd {
    /// Daily demand of `family` with mean `daily_mean` and standard deviation
    /// `daily_sd`, summed over lead time (N(`lead_mean`, `lead_sd`) rounded, see
    /// [`lead_time_pmf`]) plus `review_days` days. `day_weight(n)` is the expected
    /// demand multiplier summed over the first n days (n for plain demand; larger with
    /// a planned promotion), which scales both the mean and the variance.
    pub fn parametric(
        family: Family,
        daily_mean: f64,
        daily_sd: f64,
        lead_mean: f64,
        lead_sd: f64,
        review_days: f64,
        day_weight: &dyn Fn(f64) -> f64,
    ) -> Result<Ltd> {
        for (name, v) in [
            ("daily mean", daily_mean),
            ("daily sd", daily_sd),
            ("lead time", lead_mean),
            ("lead time sd", lead_sd),
            ("review period", review_days),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::InvalidInput(format!("lead-time demand: {name} {v} must be a finite number ≥ 0")));
            }
        }
        let parts = lead_time_pmf(lead_mean, lead_sd)
            .into_iter()
            .map(|(days, w)| {
                let n = day_weight(days + review_days);
                (w, Component::new(family, daily_mean * n, daily_sd * daily_sd * n))
            })
            .collect();
        Ok(Ltd { parts, sample: Vec::new() })
    }

    /// The `family` with this mean and variance (moment-matched; a point when the
    /// mean is 0 or the variance 0 for the continuous families, Poisson when a
    /// negative binomial's variance does not exceed its mean).
    pub fn moments(family: Family, mean: f64, variance: f64) -> Result<Ltd> {
        if !(mean.is_finite() && mean >= 0.0 && variance.is_finite() && variance >= 0.0) {
            return Err(Error::InvalidInput(format!(
                "lead-time demand: mean {mean} and variance {variance} must be finite numbers ≥ 0"
            )));
        }
        Ok(Ltd { parts: vec![(1.0, Component::new(family, mean, variance))], sample: Vec::new() })
    }

    /// A normal distribution with this mean and standard deviation (sd 0: a point).
    pub fn normal(mean: f64, sd: f64) -> Ltd {
        let c = if sd > 0.0 { Component::Normal { mean, sd } } else { Component::Point(mean) };
        Ltd { parts: vec![(1.0, c)], sample: Vec::new() }
    }

    /// The empirical distribution of `totals` (finite values; at least one).
    pub fn empirical(mut totals: Vec<f64>) -> Result<Ltd> {
        if totals.is_empty() || totals.iter().any(|t| !t.is_finite()) {
            return Err(Error::InvalidInput("lead-time demand: give at least one finite sample total".into()));
        }
        crate::forecast::sort_total(&mut totals);
        Ok(Ltd { parts: Vec::new(), sample: totals })
    }

    pub fn is_empirical(&self) -> bool {
        !self.sample.is_empty()
    }

    pub fn mean(&self) -> f64 {
        if self.is_empirical() {
            return self.sample.iter().sum::<f64>() / self.sample.len() as f64;
        }
        self.parts.iter().map(|(w, c)| w * c.mean_var().0).sum()
    }

    pub fn variance(&self) -> f64 {
        let m = self.mean();
        if self.is_empirical() {
            return self.sample.iter().map(|x| (x - m).powi(2)).sum::<f64>() / self.sample.len() as f64;
        }
        self.parts
            .iter()
            .map(|(w, c)| {
                let (cm, cv) = c.mean_var();
                w * (cv + (cm - m).powi(2))
            })
            .sum()
    }

    /// P(D ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if self.is_empirical() {
            return self.sample.partition_point(|v| *v <= x) as f64 / self.sample.len() as f64;
        }
        self.parts.iter().map(|(w, c)| w * c.cdf(x)).sum()
    }

    /// E[(D − x)⁺]: expected demand above `x`.
    pub fn loss(&self, x: f64) -> f64 {
        if self.is_empirical() {
            return self.sample.iter().map(|v| (v - x).max(0.0)).sum::<f64>() / self.sample.len() as f64;
        }
        self.parts.iter().map(|(w, c)| w * c.loss(x)).sum()
    }

    fn discrete(&self) -> bool {
        self.parts.iter().all(|(_, c)| c.discrete() || matches!(c, Component::Point(m) if m.fract() == 0.0))
    }

    /// Whether the distribution is in whole units (a discrete family, or a sample of
    /// whole numbers).
    pub fn whole_units(&self) -> bool {
        if self.is_empirical() {
            return self.sample.iter().all(|v| v.fract() == 0.0);
        }
        self.discrete()
    }

    /// The smallest level x with P(D ≤ x) ≥ p (a whole unit for discrete families),
    /// for 0 < p < 1.
    pub fn quantile(&self, p: f64) -> f64 {
        if self.is_empirical() {
            let n = self.sample.len();
            let k = ((p * n as f64).ceil() as usize).clamp(1, n);
            return self.sample[k - 1];
        }
        if let [(_, c)] = self.parts.as_slice() {
            match *c {
                Component::Point(m) => return m,
                Component::Normal { mean, sd } => {
                    return Normal::new(mean, sd).map_or(mean, |d| d.inverse_cdf(p));
                }
                _ => {}
            }
        }
        let sd = self.variance().sqrt();
        let mut hi = self.mean() + 10.0 * sd.max(1.0);
        while self.cdf(hi) < p {
            hi *= 2.0;
        }
        let discrete = self.discrete();
        let mut lo = if discrete {
            -1.0
        } else {
            self.parts.iter().map(|(_, c)| c.mean_var().0).fold(0.0, f64::min) - 10.0 * sd.max(1.0)
        };
        if discrete {
            let mut hi = hi.ceil();
            // Smallest integer with cdf ≥ p, between lo (fails) and hi (holds).
            while hi - lo > 1.0 {
                let mid = ((lo + hi) / 2.0).floor();
                if self.cdf(mid) >= p {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return hi;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) >= p {
                hi = mid;
            } else {
                lo = mid;
            }
            if hi - lo <= 1e-9 * hi.abs().max(1.0) {
                break;
            }
        }
        hi
    }
}

impl Ltd {
    /// [`Ltd::quantile`] of each of the increasing probabilities `ps`: for a single
    /// Poisson or negative binomial in one pass over its probabilities, otherwise one
    /// search each.
    pub fn quantiles_ascending(&self, ps: &[f64]) -> Vec<f64> {
        if let [(_, c)] = self.parts.as_slice() {
            if let Some(q) = c.quantiles_ascending(ps) {
                return q;
            }
        }
        ps.iter().map(|&p| self.quantile(p)).collect()
    }

    /// The demands whose coverage values are `us` (in increasing order): for a
    /// distribution in whole units (as [`super::resample::errors_pit`] measures
    /// them), the x with F(x − 1) = u, read between whole units where F jumps
    /// (x = y + (u − F(y − 1)) / (F(y) − F(y − 1)), y the u-quantile), so that a
    /// value just above F(y − 1) is y and one at F(y) is y + 1; u ≤ 0 (no demand) is
    /// 0. Otherwise the u-quantiles. Each search starts where the one before ended.
    pub fn at_coverage_values(&self, us: &[f64]) -> Vec<f64> {
        if self.is_empirical() || !self.discrete() {
            return us.iter().map(|&u| self.quantile(u.clamp(1e-12, 1.0 - 1e-12))).collect();
        }
        // (lo, F(lo)) with F(lo) < u for every u still to come; F(−1) = 0.
        let (mut lo, mut f_lo) = (-1.0, 0.0);
        us.iter()
            .map(|&u| {
                if u <= 0.0 {
                    return 0.0;
                }
                let u = u.min(1.0 - 1e-12);
                let (mut step, mut guard) = (1.0, 0);
                let mut hi = lo + step;
                let mut f_hi = self.cdf(hi);
                while f_hi < u && guard < 1100 {
                    (lo, f_lo) = (hi, f_hi);
                    step *= 2.0;
                    hi = lo + step;
                    f_hi = self.cdf(hi);
                    guard += 1;
                }
                while hi - lo > 1.0 {
                    let mid = ((lo + hi) / 2.0).floor();
                    let f = self.cdf(mid);
                    if f >= u {
                        (hi, f_hi) = (mid, f);
                    } else {
                        (lo, f_lo) = (mid, f);
                    }
                }
                if f_hi > f_lo {
                    hi + ((u - f_lo) / (f_hi - f_lo)).clamp(0.0, 1.0)
                } else {
                    hi
                }
            })
            .collect()
    }
}

/// The smallest level x in [`lo`, `hi`] where the decreasing function `f(x) ≤ want`
/// (to 1e-6 relative), by bisection.
pub(crate) fn solve_decreasing(f: &dyn Fn(f64) -> f64, want: f64, mut lo: f64, mut hi: f64) -> f64 {
    if f(lo) <= want {
        return lo;
    }
    let mut guard = 0;
    while f(hi) > want && guard < 60 {
        hi = hi * 2.0 + 1.0;
        guard += 1;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) <= want {
            hi = mid;
        } else {
            lo = mid;
        }
        if hi - lo <= 1e-6 * hi.abs().max(1.0) {
            break;
        }
    }
    hi
}

/// The order-up-to level S of a periodic (R, S) policy that meets fill rate `beta`:
/// expected units short per review cycle, E[(D_{L+R} − S)⁺] − E[(D_L − S)⁺], equal
/// to (1 − β) times the mean demand per review period (Silver, Pyke & Thomas 2017,
/// §6.9; the second term removes shortages carried over from the cycle before).
/// `protect` is demand over L + R, `lead` over L alone.
pub fn order_up_to_for_fill_rate(protect: &Ltd, lead: &Ltd, beta: f64) -> f64 {
    let per_review = (protect.mean() - lead.mean()).max(0.0);
    let short = |s: f64| protect.loss(s) - lead.loss(s);
    solve_decreasing(&short, (1.0 - beta) * per_review, 0.0, protect.mean() + 10.0 * protect.variance().sqrt() + 1.0)
}

/// The reorder point s of a policy ordering Q at a time that meets fill rate `beta`:
/// expected units short per cycle, E[(D − s)⁺] − E[(D − s − Q)⁺], equal to (1 − β)·Q
/// (Hadley & Whitin 1963; Axsäter 2015 §5.3). `protect` is demand over the
/// protection interval.
pub fn reorder_point_for_fill_rate(protect: &Ltd, q: f64, beta: f64) -> f64 {
    let short = |s: f64| protect.loss(s) - protect.loss(s + q);
    solve_decreasing(&short, (1.0 - beta) * q, 0.0, protect.mean() + 10.0 * protect.variance().sqrt() + 1.0)
}

/// The cycle service level that minimises expected holding plus shortage cost,
/// given the units held one more cycle by a unit of extra stock: a newsvendor
/// critical ratio. `holding_per_cycle` is the holding cost of a unit over one order
/// cycle (holding cost per unit-day × days between orders); `shortage` the cost per
/// unit short. Backorders: 1 − h/b (Silver, Pyke & Thomas 2017, §6.7, cost B2 per
/// unit short); lost sales: b / (b + h), as each lost unit also saves its holding.
/// `None` when no positive service level is worth it (h ≥ b with backorders).
pub fn cost_optimal_service_level(holding_per_cycle: f64, shortage: f64, lost_sales: bool) -> Option<f64> {
    if !(holding_per_cycle >= 0.0 && shortage > 0.0) {
        return None;
    }
    let csl = if lost_sales { shortage / (shortage + holding_per_cycle) } else { 1.0 - holding_per_cycle / shortage };
    (csl > 0.0).then_some(csl.min(0.9999))
}

/// A lead-time demand distribution and what to read from it (for the bindings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LtdRequest {
    pub family: Family,
    pub daily_mean: f64,
    #[serde(default)]
    pub daily_sd: f64,
    pub lead_time_days: f64,
    #[serde(default)]
    pub lead_time_std_days: f64,
    #[serde(default)]
    pub review_period_days: f64,
    /// Probabilities whose quantiles are wanted.
    #[serde(default)]
    pub quantiles: Vec<f64>,
    /// Levels at which the CDF and the loss E[(D − x)⁺] are wanted.
    #[serde(default)]
    pub at: Vec<f64>,
    /// Fill rate whose order-up-to level (R, S) is wanted.
    #[serde(default)]
    pub fill_rate: Option<f64>,
}

/// What [`LtdRequest::evaluate`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LtdSummary {
    pub mean: f64,
    pub variance: f64,
    pub quantiles: Vec<f64>,
    pub cdf: Vec<f64>,
    pub loss: Vec<f64>,
    pub order_up_to_for_fill_rate: Option<f64>,
}

impl LtdRequest {
    pub fn evaluate(&self) -> Result<LtdSummary> {
        let w = |n: f64| n;
        let d = Ltd::parametric(
            self.family,
            self.daily_mean,
            self.daily_sd,
            self.lead_time_days,
            self.lead_time_std_days,
            self.review_period_days,
            &w,
        )?;
        let lead = Ltd::parametric(
            self.family,
            self.daily_mean,
            self.daily_sd,
            self.lead_time_days,
            self.lead_time_std_days,
            0.0,
            &w,
        )?;
        summarize(&d, &lead, &self.quantiles, &self.at, self.fill_rate)
    }
}

/// Quantiles, CDF and loss of `d` where asked, and the (R, S) order-up-to level for
/// a fill rate (`lead`: the demand over the lead time alone).
pub fn summarize(d: &Ltd, lead: &Ltd, quantiles: &[f64], at: &[f64], fill_rate: Option<f64>) -> Result<LtdSummary> {
    for p in quantiles.iter().chain(fill_rate.iter()) {
        if !(*p > 0.0 && *p < 1.0) {
            return Err(Error::InvalidInput(format!("probability {p} is outside (0, 1)")));
        }
    }
    if let Some(x) = at.iter().find(|x| !x.is_finite()) {
        return Err(Error::InvalidInput(format!("level {x} must be a finite number")));
    }
    Ok(LtdSummary {
        mean: d.mean(),
        variance: d.variance(),
        quantiles: quantiles.iter().map(|p| d.quantile(*p)).collect(),
        cdf: at.iter().map(|x| d.cdf(*x)).collect(),
        loss: at.iter().map(|x| d.loss(*x)).collect(),
        order_up_to_for_fill_rate: fill_rate.map(|b| order_up_to_for_fill_rate(d, lead, b)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{Continuous, Discrete};

    fn linear(n: f64) -> f64 {
        n
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn normal_with_fixed_lead_time_is_the_textbook_formula() {
        // d̄ = 10, σ = 3, L = 4, R = 1: D ~ N(50, 45); 95% → 50 + 1.6449·6.708 = 61.034
        let d = Ltd::parametric(Family::Normal, 10.0, 3.0, 4.0, 0.0, 1.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        assert!(close(d.mean(), 50.0, 1e-12) && close(d.variance(), 45.0, 1e-9));
        assert!(close(d.quantile(0.95), 50.0 + 1.6448536269514722 * 45f64.sqrt(), 1e-6), "{}", d.quantile(0.95));
        // Loss: σ·G(z) with G(0) = φ(0) = 0.398942.
        assert!(close(d.loss(50.0), 45f64.sqrt() * 0.3989422804014327, 1e-9));
    }

    #[test]
    fn random_lead_time_adds_the_lead_time_variance() {
        // Var = E[n]σ² + μ²·Var(n): with L ~ N(5, 1.5) rounded, Var(n) ≈ 1.5² + 1/12.
        let d = Ltd::parametric(Family::Poisson, 4.0, 2.0, 5.0, 1.5, 0.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        let pmf = lead_time_pmf(5.0, 1.5);
        let en: f64 = pmf.iter().map(|(n, p)| n * p).sum();
        let vn: f64 = pmf.iter().map(|(n, p)| (n - en).powi(2) * p).sum();
        assert!(close(en, 5.0, 1e-3) && close(vn, 1.5 * 1.5 + 1.0 / 12.0, 0.01), "{en} {vn}");
        assert!(close(d.mean(), 4.0 * en, 1e-9));
        assert!(close(d.variance(), 4.0 * en + 16.0 * vn, 1e-6));
        // The quantile is a whole unit and the smallest with cdf ≥ p.
        let q = d.quantile(0.9);
        assert_eq!(q.fract(), 0.0);
        assert!(d.cdf(q) >= 0.9 && d.cdf(q - 1.0) < 0.9);
    }

    /// Poisson(λ = 3) loss values from the definition E[(D − x)⁺] = Σ_{k>x}(k − x)p(k):
    /// x = 0 → 3, x = 3 → 3 − 3 + Σ_{k≤3}(3 − k)p(k) = 3p0 + 2p1 + p2.
    #[test]
    fn discrete_loss_matches_its_definition() {
        let d = Ltd::parametric(Family::Poisson, 3.0, 0.0, 1.0, 0.0, 0.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        let p = |k: i32| (-3f64).exp() * 3f64.powi(k) / (1..=k).map(f64::from).product::<f64>();
        assert!(close(d.loss(0.0), 3.0, 1e-12));
        assert!(close(d.loss(3.0), 3.0 * p(0) + 2.0 * p(1) + p(2), 1e-12));
        // Negative binomial with mean 3, variance 6 against a direct sum.
        let nb = Ltd::parametric(Family::NegativeBinomial, 3.0, 6f64.sqrt(), 1.0, 0.0, 0.0, &linear)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(close(nb.variance(), 6.0, 1e-9));
        let (r, q) = (9.0 / 3.0, 0.5);
        let pmf = |k: u64| NegativeBinomial::new(r, q).map_or(0.0, |d| d.pmf(k));
        let direct: f64 = (5..2000).map(|k| (k as f64 - 4.0) * pmf(k)).sum();
        assert!(close(nb.loss(4.0), direct, 1e-9), "{} vs {direct}", nb.loss(4.0));
        // Between whole units the loss is linear; and large means (the tail sums in
        // closed form) agree with the direct sum to its own precision (1e-6 on 15 units).
        let direct = |x: f64, pmf: &dyn Fn(u64) -> f64, to: u64| -> f64 {
            (x.floor() as u64 + 1..to).map(|k| (k as f64 - x) * pmf(k)).sum()
        };
        assert!(close(nb.loss(4.5), direct(4.5, &pmf, 2000), 1e-9));
        let big =
            Ltd::parametric(Family::Poisson, 50_000.0, 0.0, 1.0, 0.0, 0.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        let pois = |k: u64| Poisson::new(50_000.0).map_or(0.0, |d| d.pmf(k));
        for x in [49_700.0, 50_000.0, 50_250.5] {
            assert!(
                close(big.loss(x), direct(x, &pois, 52_000), 1e-6),
                "{x}: {} vs {}",
                big.loss(x),
                direct(x, &pois, 52_000)
            );
        }
        // Gamma against numerical integration of the tail.
        let g = Ltd::parametric(Family::Gamma, 3.0, 2.0, 1.0, 0.0, 0.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        let dist = Gamma::new(9.0 / 4.0, 3.0 / 4.0).unwrap_or_else(|e| panic!("{e}"));
        let h = 1e-3;
        let integral: f64 = (0..60_000)
            .map(|i| {
                let x = 5.0 + (i as f64 + 0.5) * h;
                (x - 5.0) * dist.pdf(x) * h
            })
            .sum();
        assert!(close(g.loss(5.0), integral, 1e-6), "{} vs {integral}", g.loss(5.0));
    }

    #[test]
    fn fill_rate_levels_solve_their_equations() {
        // (s, Q) on normal lead-time demand N(100, 20²), Q = 200, β = 0.99:
        // σ·G(k) = 0.01·200 = 2 → G(k) = 0.1 → k = 0.9004 (Snyder & Shen Table C.1 region).
        let d = Ltd::parametric(Family::Normal, 100.0, 20.0, 1.0, 0.0, 0.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        let s = reorder_point_for_fill_rate(&d, 200.0, 0.99);
        let k = (s - 100.0) / 20.0;
        assert!(close(
            super::super::formulas::normal_loss(k) - super::super::formulas::normal_loss(k + 10.0),
            0.1,
            1e-6
        ));
        // (R, S): the shortage per cycle is (1 − β)·μR.
        let protect =
            Ltd::parametric(Family::Poisson, 2.0, 0.0, 3.0, 1.0, 7.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        let lead = Ltd::parametric(Family::Poisson, 2.0, 0.0, 3.0, 1.0, 0.0, &linear).unwrap_or_else(|e| panic!("{e}"));
        let big_s = order_up_to_for_fill_rate(&protect, &lead, 0.95);
        let short = protect.loss(big_s) - lead.loss(big_s);
        assert!(close(short, 0.05 * 14.0, 1e-4), "{short}");
        assert_eq!(cost_optimal_service_level(1.0, 20.0, false), Some(0.95));
        assert_eq!(cost_optimal_service_level(1.0, 19.0, true), Some(0.95));
        assert_eq!(cost_optimal_service_level(5.0, 2.0, false), None);
    }

    #[test]
    fn coverage_values_map_back_to_the_demand_they_came_from() {
        let linear = |n: f64| n;
        let d = Ltd::parametric(Family::NegativeBinomial, 3.0, 3.0, 1.0, 0.0, 0.0, &linear)
            .unwrap_or_else(|e| panic!("{e}"));
        // u = F(x − 1), as errors_pit measures it, reads back as x; in between, between units.
        let us: Vec<f64> = (1..30).map(|x| d.cdf(x as f64 - 1.0)).collect();
        let xs = d.at_coverage_values(&us);
        for (x, got) in (1..30).zip(&xs) {
            assert!((got - x as f64).abs() < 1e-9, "{x} → {got}");
        }
        assert_eq!(d.at_coverage_values(&[0.0, -1.0]), vec![0.0, 0.0]);
        let mid = 0.5 * (d.cdf(4.0) + d.cdf(5.0));
        let got = d.at_coverage_values(&[mid])[0];
        assert!(got > 5.0 && got < 6.0, "{got}");
        // Searches that start where the last ended agree with one search each.
        let ascending = [0.1, 0.5, 0.9, 0.99, 0.999_999];
        let together = d.at_coverage_values(&ascending);
        for (u, x) in ascending.iter().zip(&together) {
            assert_eq!(*x, d.at_coverage_values(&[*u])[0]);
        }
        // Continuous: the quantile.
        let n = Ltd::normal(10.0, 2.0);
        assert!((n.at_coverage_values(&[0.5])[0] - 10.0).abs() < 1e-9);
    }

    #[test]
    fn quantiles_in_one_pass_are_the_quantiles() {
        let ps: Vec<f64> = (1..200).map(|g| 1.0 - (-(g as f64) * 0.05).exp()).collect();
        for (family, mean, var) in [
            (Family::Poisson, 0.4, 0.4),
            (Family::Poisson, 30.0, 30.0),
            (Family::Poisson, 5000.0, 5000.0),
            (Family::NegativeBinomial, 2.0, 9.0),
            (Family::NegativeBinomial, 400.0, 40_000.0),
            (Family::NegativeBinomial, 20_000.0, 4e6),
        ] {
            let d = Ltd::moments(family, mean, var).unwrap_or_else(|e| panic!("{e}"));
            let fast = d.quantiles_ascending(&ps);
            for (p, q) in ps.iter().zip(&fast) {
                // The same level, or one unit off where p sits within rounding of F(q).
                let exact = d.quantile(*p);
                assert!(
                    *q == exact || ((q - exact).abs() == 1.0 && (d.cdf(q.min(exact)) - p).abs() < 1e-9),
                    "{family:?} {mean} p {p}: {q} vs {exact}"
                );
            }
        }
        // Other distributions: one search each.
        let n = Ltd::normal(10.0, 2.0);
        assert_eq!(n.quantiles_ascending(&[0.5, 0.9]), vec![n.quantile(0.5), n.quantile(0.9)]);
    }

    #[test]
    fn empirical_quantile_is_the_inverse_cdf() {
        let d = Ltd::empirical(vec![5.0, 1.0, 3.0, 2.0, 4.0]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.quantile(0.6), 3.0);
        assert_eq!(d.quantile(0.61), 4.0);
        assert_eq!(d.cdf(3.0), 0.6);
        assert!(close(d.loss(3.0), 0.6, 1e-12));
        assert!(Ltd::empirical(vec![]).is_err());
    }
}
