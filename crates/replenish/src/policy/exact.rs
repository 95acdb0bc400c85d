//! Exact cost models of the textbook, the foundations a cost target can rest on:
//!
//! - [`rq_normal`]: the continuous-review (r, Q) policy with normal lead-time demand:
//!   its expected cost per unit time in closed form (first- and second-order loss
//!   functions), the best r for a given Q, and the joint optimum;
//! - [`rq_poisson`]: the same for Poisson demand, exactly (Federgruen & Zheng 1992);
//! - [`ss_discrete`]: the optimal periodic-review (s, S) policy for discrete demand
//!   per period (Zheng & Federgruen 1991);
//! - [`epq`]: the economic production quantity;
//! - [`eoq_incremental_discount`]: EOQ with incremental quantity discounts;
//! - [`wagner_whitin`]: dynamic lot sizing for time-varying demand.
//!
//! Notation follows Snyder & Shen, *Fundamentals of Supply Chain Theory* (2nd ed.,
//! 2019), chapters 3–5: `h` holding cost, `p` stockout cost, `K` fixed cost per
//! order, `λ` demand rate, `L` lead time. Everything here is arithmetic on its
//! arguments; [`super::formulas::Formula`] exposes it as data to Python and Node.

use super::formulas::{non_negative, positive, PriceBreak};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Discrete, DiscreteCDF, Normal, Poisson};

/// Largest mean demand the discrete (Poisson or pmf) algorithms accept: beyond it,
/// their work grows with the demand and the normal models are as exact in practice.
pub const MAX_DISCRETE_MEAN: f64 = 100_000.0;
/// Largest number of periods [`wagner_whitin`] accepts (its work is quadratic).
pub const MAX_LOT_SIZING_PERIODS: usize = 10_000;
/// Largest number of demand values a custom pmf may list.
pub const MAX_PMF_LEN: usize = 1_000_000;
/// Largest number of inventory levels an (r, Q) window may span.
const MAX_LEVELS: usize = 1_000_000;
/// Largest S − s an (s, S) evaluation may span (its work is quadratic in it).
const MAX_SS_SPAN: usize = 20_000;

fn finite(field: &str, v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::config(field, format!("{v} is not a finite number")))
    }
}

fn whole(field: &str, v: f64) -> Result<i64> {
    if v.is_finite() && v.fract() == 0.0 && v.abs() <= 1e15 {
        Ok(v as i64)
    } else {
        Err(Error::config(field, format!("{v} must be a whole number")))
    }
}

/// An (r, Q) policy and its expected cost per unit time: order Q when the inventory
/// position falls to r.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RqSolution {
    pub reorder_point: f64,
    pub order_quantity: f64,
    pub cost: f64,
}

/// Lead-time demand N(μ, σ²) (σ = 0: exactly μ) with its loss functions.
#[derive(Debug, Clone, Copy)]
struct NormalLtd {
    mu: f64,
    sigma: f64,
}

impl NormalLtd {
    /// Φ(z), φ(z) and 1 − Φ(z) at y, in standard units.
    fn parts(&self, y: f64) -> (f64, f64, f64, f64) {
        let z = (y - self.mu) / self.sigma;
        let n = Normal::standard();
        (z, n.pdf(z), n.cdf(z), n.sf(z))
    }

    /// n(y) = E[(D − y)⁺].
    fn loss(&self, y: f64) -> f64 {
        if self.sigma == 0.0 {
            return (self.mu - y).max(0.0);
        }
        let (z, pdf, _, sf) = self.parts(y);
        self.sigma * (pdf - z * sf)
    }

    /// n⁽²⁾(y) = ½·E[((D − y)⁺)²] = ∫_y^∞ n(t) dt.
    fn second_loss(&self, y: f64) -> f64 {
        if self.sigma == 0.0 {
            return 0.5 * (self.mu - y).max(0.0).powi(2);
        }
        let (z, pdf, _, sf) = self.parts(y);
        0.5 * self.sigma * self.sigma * ((z * z + 1.0) * sf - z * pdf)
    }

    /// The newsvendor cost g(y) = h·E[(y − D)⁺] + p·E[(D − y)⁺] = h(y − μ) + (h + p)·n(y).
    fn g(&self, h: f64, p: f64, y: f64) -> f64 {
        h * (y - self.mu) + (h + p) * self.loss(y)
    }

    /// ∫_r^{r+Q} g(y) dy in closed form.
    fn g_integral(&self, h: f64, p: f64, r: f64, q: f64) -> f64 {
        let a = r - self.mu;
        h * (q * a + 0.5 * q * q) + (h + p) * (self.second_loss(r) - self.second_loss(r + q))
    }

    /// The y minimising g: the p/(h + p) quantile.
    fn newsvendor(&self, h: f64, p: f64) -> f64 {
        if self.sigma == 0.0 {
            return self.mu;
        }
        self.mu + self.sigma * super::standard_normal_quantile(p / (h + p))
    }
}

/// Bisection for the root of an increasing function on [lo, hi].
fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..400 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The (r, Q) policy under continuous review with backorders and normal demand
/// (rate λ = `demand_rate`, standard deviation τ = `demand_sd` per unit time, lead
/// time L: lead-time demand N(λL, τ²L)), Snyder & Shen §5.2–5.3:
///
/// g(r, Q) = (Kλ + ∫_r^{r+Q} g(y) dy) / Q, with the newsvendor cost
/// g(y) = h·E[(y − D)⁺] + p·E[(D − y)⁺] and p per unit backordered per unit time;
/// the integral in closed form, h(Q(r − μ) + Q²/2) + (h + p)(n⁽²⁾(r) − n⁽²⁾(r + Q)).
///
/// - `reorder_point` and `order_quantity` given: that policy's cost;
/// - `order_quantity` only: the best r for it, where g(r) = g(r + Q) (eq. 5.9);
/// - neither: the exact joint optimum, where also g(r + Q) = g(r, Q). The cost of
///   the best r for each Q is convex in Q (Zheng 1992), so both conditions are
///   solved by nested bisection to machine precision.
#[allow(clippy::too_many_arguments)]
pub fn rq_normal(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_rate: f64,
    demand_sd: f64,
    lead_time: f64,
    reorder_point: Option<f64>,
    order_quantity: Option<f64>,
) -> Result<RqSolution> {
    let (h, p) = (positive("holding_cost", holding_cost)?, positive("stockout_cost", stockout_cost)?);
    let k = non_negative("fixed_cost", fixed_cost)?;
    let lambda = non_negative("demand_rate", demand_rate)?;
    let tau = non_negative("demand_sd", demand_sd)?;
    let lead = non_negative("lead_time", lead_time)?;
    let ltd = NormalLtd { mu: lambda * lead, sigma: tau * lead.sqrt() };
    if !(ltd.mu.is_finite() && ltd.sigma.is_finite()) {
        return Err(Error::config("lead_time", "the lead-time demand overflows"));
    }
    let cost = |r: f64, q: f64| (k * lambda + ltd.g_integral(h, p, r, q)) / q;
    let best_r = |q: f64| {
        let y = ltd.newsvendor(h, p);
        bisect(y - q, y, |r| ltd.g(h, p, r + q) - ltd.g(h, p, r))
    };
    match (reorder_point, order_quantity) {
        (Some(r), Some(q)) => {
            let (r, q) = (finite("reorder_point", r)?, positive("order_quantity", q)?);
            Ok(RqSolution { reorder_point: r, order_quantity: q, cost: cost(r, q) })
        }
        (None, Some(q)) => {
            let q = positive("order_quantity", q)?;
            let r = best_r(q);
            Ok(RqSolution { reorder_point: r, order_quantity: q, cost: cost(r, q) })
        }
        (Some(_), None) => Err(Error::config(
            "order_quantity",
            "give the order quantity with the reorder point (or neither, for the optimum)",
        )),
        (None, None) => {
            if k == 0.0 || lambda == 0.0 {
                return Err(Error::config(
                    "fixed_cost",
                    "the (r, Q) optimum needs a positive fixed cost and demand rate (without them Q → 0)",
                ));
            }
            // dC/dQ = (g(r(Q) + Q) − C(Q)) / Q: negative below the optimum, positive above.
            let slope = |q: f64| {
                let r = best_r(q);
                ltd.g(h, p, r + q) - cost(r, q)
            };
            let start = (2.0 * k * lambda * (h + p) / (h * p)).sqrt();
            let (mut lo, mut hi) = (start, start);
            for _ in 0..200 {
                if slope(lo) < 0.0 {
                    break;
                }
                lo *= 0.5;
            }
            for _ in 0..200 {
                if slope(hi) > 0.0 {
                    break;
                }
                hi *= 2.0;
            }
            let q = bisect(lo, hi, slope);
            let r = best_r(q);
            Ok(RqSolution { reorder_point: r, order_quantity: q, cost: cost(r, q) })
        }
    }
}

/// A discrete demand distribution on 0, 1, 2, …: Poisson or a listed pmf.
#[derive(Debug, Clone)]
enum DiscreteDemand {
    Poisson(Poisson, f64),
    /// pmf, its cumulative sums, and Σ d·pmf(d) from d onwards.
    Pmf {
        pmf: Vec<f64>,
        cdf: Vec<f64>,
        tail_mean: Vec<f64>,
        mean: f64,
    },
}

impl DiscreteDemand {
    fn poisson(field: &str, mean: f64) -> Result<Self> {
        let mean = positive(field, mean)?;
        if mean > MAX_DISCRETE_MEAN {
            return Err(Error::config(
                field,
                format!("{mean} is above {MAX_DISCRETE_MEAN}, too large for the exact discrete algorithm; use the normal models"),
            ));
        }
        let d = Poisson::new(mean).map_err(|e| Error::config(field, e.to_string()))?;
        Ok(Self::Poisson(d, mean))
    }

    fn pmf(pmf: &[f64]) -> Result<Self> {
        if pmf.is_empty() || pmf.len() > MAX_PMF_LEN {
            return Err(Error::config("pmf", format!("give between 1 and {MAX_PMF_LEN} probabilities")));
        }
        if let Some((d, v)) = pmf.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v >= 0.0)) {
            return Err(Error::config("pmf", format!("P(D = {d}) = {v} is not a probability")));
        }
        let total: f64 = pmf.iter().sum();
        if (total - 1.0).abs() > 1e-6 {
            return Err(Error::config("pmf", format!("the probabilities sum to {total}, not 1")));
        }
        if pmf[0] >= 1.0 {
            return Err(Error::config("pmf", "demand is always zero"));
        }
        let mut cdf = Vec::with_capacity(pmf.len());
        let mut acc = 0.0;
        for v in pmf {
            acc += v;
            cdf.push(acc.min(1.0));
        }
        let mut tail_mean = vec![0.0; pmf.len() + 1];
        for d in (0..pmf.len()).rev() {
            tail_mean[d] = tail_mean[d + 1] + d as f64 * pmf[d];
        }
        let mean = tail_mean[0];
        Ok(Self::Pmf { pmf: pmf.to_vec(), cdf, tail_mean, mean })
    }

    fn mean(&self) -> f64 {
        match self {
            Self::Poisson(_, m) => *m,
            Self::Pmf { mean, .. } => *mean,
        }
    }

    fn prob(&self, d: i64) -> f64 {
        if d < 0 {
            return 0.0;
        }
        match self {
            Self::Poisson(p, _) => p.pmf(d as u64),
            Self::Pmf { pmf, .. } => pmf.get(d as usize).copied().unwrap_or(0.0),
        }
    }

    /// F(y) = P(D ≤ y).
    fn cdf(&self, y: i64) -> f64 {
        if y < 0 {
            return 0.0;
        }
        match self {
            Self::Poisson(p, _) => p.cdf(y as u64),
            Self::Pmf { cdf, .. } => cdf.get(y as usize).copied().unwrap_or(1.0),
        }
    }

    /// n(y) = E[(D − y)⁺] = Σ_{d > y} d·P(d) − y·(1 − F(y)).
    fn loss(&self, y: i64) -> f64 {
        let mean = self.mean();
        if y < 0 {
            return mean - y as f64;
        }
        // (Σ_{d > y} d·P(d), P(D > y)); for Poisson the first is λ·P(D ≥ y).
        let (above, sf) = match self {
            Self::Poisson(p, m) => {
                let sf = p.sf(y as u64);
                (m * (sf + p.pmf(y as u64)), sf)
            }
            Self::Pmf { tail_mean, .. } => (tail_mean.get(y as usize + 1).copied().unwrap_or(0.0), 1.0 - self.cdf(y)),
        };
        (above - y as f64 * sf).max(0.0)
    }

    /// g(y) = h·E[(y − D)⁺] + p·E[(D − y)⁺].
    fn g(&self, h: f64, p: f64, y: i64) -> f64 {
        let n = self.loss(y);
        h * (y as f64 - self.mean() + n) + p * n
    }

    /// The smallest y with F(y) ≥ p/(h + p), the newsvendor optimum.
    fn newsvendor(&self, h: f64, p: f64) -> i64 {
        let ratio = p / (h + p);
        // Start ten standard deviations below the mean and walk.
        let mean = self.mean();
        let mut y = match self {
            Self::Poisson(..) => (mean - 10.0 * mean.sqrt() - 10.0).max(0.0) as i64,
            Self::Pmf { .. } => 0,
        };
        while y > 0 && self.cdf(y - 1) >= ratio {
            y -= 1;
        }
        while self.cdf(y) < ratio && (y as usize) < MAX_LEVELS + mean as usize {
            y += 1;
        }
        y
    }
}

/// The Poisson newsvendor: the smallest S with F(S) ≥ p/(h + p) and its expected
/// cost h·E[(S − D)⁺] + p·E[(D − S)⁺] (for [`super::formulas::newsvendor_poisson`]).
pub(super) fn poisson_newsvendor(holding_cost: f64, stockout_cost: f64, mean: f64) -> Result<(f64, f64)> {
    let (h, p) = (positive("holding_cost", holding_cost)?, positive("stockout_cost", stockout_cost)?);
    let d = DiscreteDemand::poisson("mean", mean)?;
    let s = d.newsvendor(h, p);
    Ok((s as f64, d.g(h, p, s)))
}

/// The (r, Q) policy under continuous review with Poisson demand (rate λ, lead time
/// L, lead-time demand Poisson(λL)), integer r and Q, exactly (Snyder & Shen §5.5):
/// g(r, Q) = (Kλ + Σ_{y=r+1}^{r+Q} g(y)) / Q. With neither `reorder_point` nor
/// `order_quantity` the optimum by Federgruen & Zheng (1992): start from the
/// newsvendor level, grow the window of levels one at a time on the side with the
/// smaller g(y), and stop when the average cost would rise.
#[allow(clippy::too_many_arguments)]
pub fn rq_poisson(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    demand_rate: f64,
    lead_time: f64,
    reorder_point: Option<f64>,
    order_quantity: Option<f64>,
) -> Result<RqSolution> {
    let (h, p) = (positive("holding_cost", holding_cost)?, positive("stockout_cost", stockout_cost)?);
    let k = non_negative("fixed_cost", fixed_cost)?;
    let lambda = positive("demand_rate", demand_rate)?;
    let lead = positive("lead_time", lead_time)?;
    let d = DiscreteDemand::poisson("demand_rate", lambda * lead)?;
    let window_cost = |r: i64, q: i64| {
        let sum: f64 = (r + 1..=r + q).map(|y| d.g(h, p, y)).sum();
        (k * lambda + sum) / q as f64
    };
    match (reorder_point, order_quantity) {
        (Some(r), Some(q)) => {
            let (r, q) = (whole("reorder_point", r)?, whole("order_quantity", q)?);
            if q < 1 || q as usize > MAX_LEVELS {
                return Err(Error::config("order_quantity", format!("{q} must be between 1 and {MAX_LEVELS}")));
            }
            Ok(RqSolution { reorder_point: r as f64, order_quantity: q as f64, cost: window_cost(r, q) })
        }
        (None, Some(_)) | (Some(_), None) => Err(Error::config(
            "order_quantity",
            "give both the reorder point and the order quantity (their cost) or neither (the optimum)",
        )),
        (None, None) => {
            let y = d.newsvendor(h, p);
            let (mut lo, mut hi) = (y, y);
            let mut sum = d.g(h, p, y);
            let mut cost = k * lambda + sum;
            loop {
                let q = (hi - lo + 1) as f64;
                let (left, right) = (d.g(h, p, lo - 1), d.g(h, p, hi + 1));
                let add = left.min(right);
                let next = (k * lambda + sum + add) / (q + 1.0);
                if next > cost {
                    break;
                }
                if (hi - lo) as usize >= MAX_LEVELS {
                    return Err(Error::config("fixed_cost", "the optimal order quantity is too large to search"));
                }
                if left < right {
                    lo -= 1;
                } else {
                    hi += 1;
                }
                sum += add;
                cost = next;
            }
            Ok(RqSolution { reorder_point: (lo - 1) as f64, order_quantity: (hi - lo + 1) as f64, cost })
        }
    }
}

/// A periodic-review (s, S) policy and its expected cost per period: at each review,
/// order up to S when the inventory position is at or below s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SsSolution {
    pub reorder_point: f64,
    pub order_up_to: f64,
    pub cost: f64,
}

/// The renewal quantities of Zheng & Federgruen: m(j), the expected number of
/// periods the inventory position spends j units below S, and M(j) = Σ_{i<j} m(i).
struct Renewal<'a> {
    d: &'a DiscreteDemand,
    /// P(D = l) for l < probs.len().
    probs: Vec<f64>,
    m: Vec<f64>,
    big_m: Vec<f64>,
}

impl<'a> Renewal<'a> {
    fn new(d: &'a DiscreteDemand) -> Self {
        Self { d, probs: Vec::new(), m: Vec::new(), big_m: vec![0.0] }
    }

    /// Extends m and M up to index n − 1 and n.
    fn extend(&mut self, n: usize) {
        while self.probs.len() < n {
            let l = self.probs.len() as i64;
            self.probs.push(self.d.prob(l));
        }
        let m0 = 1.0 / (1.0 - self.probs.first().copied().unwrap_or(0.0));
        while self.m.len() < n {
            let j = self.m.len();
            let v = if j == 0 {
                m0
            } else {
                // m(j) = m(0)·Σ_{l=1}^{j} P(l)·m(j − l); P(l) underflows to 0 far
                // above the mean, which bounds the useful terms.
                let mut acc = 0.0;
                for l in 1..=j {
                    let pl = self.probs[l];
                    if pl == 0.0 && (l as f64) > self.d.mean() {
                        break;
                    }
                    acc += pl * self.m[j - l];
                }
                m0 * acc
            };
            self.m.push(v);
            let last = *self.big_m.last().unwrap_or(&0.0);
            self.big_m.push(last + v);
        }
    }

    /// c(s, S) = (K + Σ_{j=0}^{S−s−1} m(j)·g(S − j)) / M(S − s).
    fn cost(&mut self, k: f64, g: &impl Fn(i64) -> f64, s: i64, big_s: i64) -> f64 {
        let n = (big_s - s) as usize;
        self.extend(n);
        let sum: f64 = (0..n).map(|j| self.m[j] * g(big_s - j as i64)).sum();
        (k + sum) / self.big_m[n]
    }
}

/// The periodic-review (s, S) policy with zero lead time, backorders, and discrete
/// demand per period (Poisson with `mean`, or a `pmf` over 0, 1, 2, …), with h and
/// p charged on the inventory at the end of each period and K per order. Its cost
/// is evaluated exactly by the renewal formula of Zheng & Federgruen (1991),
/// "Finding optimal (s, S) policies is about as simple as evaluating a single
/// policy", *Operations Research* 39(4); with neither level given, their algorithm
/// finds the optimum (Snyder & Shen Algorithm 4.2).
#[allow(clippy::too_many_arguments)]
pub fn ss_discrete(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    mean: Option<f64>,
    pmf: Option<&[f64]>,
    reorder_point: Option<f64>,
    order_up_to: Option<f64>,
) -> Result<SsSolution> {
    let (h, p) = (positive("holding_cost", holding_cost)?, positive("stockout_cost", stockout_cost)?);
    let k = positive("fixed_cost", fixed_cost)?;
    let d = match (mean, pmf) {
        (Some(m), None) => DiscreteDemand::poisson("mean", m)?,
        (None, Some(v)) => DiscreteDemand::pmf(v)?,
        _ => return Err(Error::config("mean", "give either `mean` (Poisson demand) or `pmf`, not both")),
    };
    let g = |y: i64| d.g(h, p, y);
    let mut ren = Renewal::new(&d);
    match (reorder_point, order_up_to) {
        (Some(s), Some(big_s)) => {
            let (s, big_s) = (whole("reorder_point", s)?, whole("order_up_to", big_s)?);
            if big_s <= s || (big_s - s) as usize > MAX_SS_SPAN {
                return Err(Error::config(
                    "order_up_to",
                    format!("{big_s} must be above the reorder point {s} by at most {MAX_SS_SPAN}"),
                ));
            }
            let cost = ren.cost(k, &g, s, big_s);
            Ok(SsSolution { reorder_point: s as f64, order_up_to: big_s as f64, cost })
        }
        (None, None) => {
            let span_limit = MAX_SS_SPAN as i64;
            let too_wide = || Error::config("fixed_cost", "the optimal (s, S) spans too many levels to search");
            let y = d.newsvendor(h, p);
            // s(S⁰): walk s down from y* until c(s, S⁰) ≤ g(s).
            let big_s0 = y;
            let mut s = y - 1;
            while ren.cost(k, &g, s, big_s0) > g(s) {
                s -= 1;
                if big_s0 - s > span_limit {
                    return Err(too_wide());
                }
            }
            let mut best_s = big_s0;
            let mut best = ren.cost(k, &g, s, big_s0);
            let mut big_s = big_s0 + 1;
            while g(big_s) <= best {
                if big_s - s > span_limit {
                    return Err(too_wide());
                }
                let c = ren.cost(k, &g, s, big_s);
                if c < best {
                    best_s = big_s;
                    while ren.cost(k, &g, s, best_s) <= g(s + 1) {
                        s += 1;
                    }
                    best = ren.cost(k, &g, s, best_s);
                }
                big_s += 1;
            }
            Ok(SsSolution { reorder_point: s as f64, order_up_to: best_s as f64, cost: best })
        }
        _ => Err(Error::config(
            "order_up_to",
            "give both the reorder point and the order-up-to level (their cost) or neither (the optimum)",
        )),
    }
}

/// The economic production quantity: the batch size, its cost per unit time, and
/// the peak inventory Q(1 − ρ).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Epq {
    pub quantity: f64,
    pub cost: f64,
    pub max_inventory: f64,
}

/// EPQ: production at rate μ > λ, ρ = λ/μ; g(Q) = Kλ/Q + h(1 − ρ)Q/2,
/// Q* = √(2Kλ/(h(1 − ρ))) (Snyder & Shen §3.6). With `order_quantity`, the cost of
/// that batch size.
pub fn epq(
    fixed_cost: f64,
    holding_cost: f64,
    demand_rate: f64,
    production_rate: f64,
    order_quantity: Option<f64>,
) -> Result<Epq> {
    let k = non_negative("fixed_cost", fixed_cost)?;
    let h = positive("holding_cost", holding_cost)?;
    let lambda = non_negative("demand_rate", demand_rate)?;
    let mu = positive("production_rate", production_rate)?;
    if lambda >= mu {
        return Err(Error::config(
            "production_rate",
            format!("{mu} must exceed the demand rate {lambda} (otherwise production never stops)"),
        ));
    }
    let keep = 1.0 - lambda / mu;
    let q = match order_quantity {
        Some(q) => positive("order_quantity", q)?,
        None => (2.0 * k * lambda / (h * keep)).sqrt(),
    };
    if q == 0.0 {
        return Ok(Epq { quantity: 0.0, cost: 0.0, max_inventory: 0.0 });
    }
    Ok(Epq { quantity: q, cost: k * lambda / q + h * keep * q / 2.0, max_inventory: q * keep })
}

/// The best order quantity under incremental quantity discounts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IncrementalDiscount {
    pub quantity: f64,
    /// Index of the price break the quantity falls in (0 = the first).
    pub region: usize,
    /// Purchase cost of the order divided by its quantity.
    pub average_unit_cost: f64,
    /// Purchase + ordering + holding cost per unit time.
    pub cost: f64,
}

/// EOQ with incremental quantity discounts: units from `min_quantity` of a break on
/// cost that break's `unit_cost` (only those units). An order of Q in region j costs
/// c̄_j + c_j(Q − b_j); holding is `holding_rate` × the average unit cost. Per region
/// g_j(Q) = c_jλ + (K + R_j)λ/Q + i·c_j·Q/2 + i·R_j/2, R_j = c̄_j − c_j·b_j, with
/// Q_j = √(2(K + R_j)λ/(i·c_j)); the cheapest Q_j inside its region wins (the cost
/// is continuous and its kinks are concave, so no break is ever optimal by itself;
/// Snyder & Shen §3.5.2, Hadley & Whitin 1963). The first break starts at 0.
pub fn eoq_incremental_discount(
    fixed_cost: f64,
    holding_rate: f64,
    demand_rate: f64,
    breaks: &[PriceBreak],
) -> Result<IncrementalDiscount> {
    let k = non_negative("fixed_cost", fixed_cost)?;
    let i = positive("holding_rate", holding_rate)?;
    let lambda = positive("demand_rate", demand_rate)?;
    if breaks.is_empty() {
        return Err(Error::config("breaks", "give at least one price break"));
    }
    for b in breaks {
        non_negative("breaks.min_quantity", b.min_quantity)?;
        positive("breaks.unit_cost", b.unit_cost)?;
    }
    if breaks[0].min_quantity != 0.0 {
        return Err(Error::config("breaks", "the first price break must start at quantity 0"));
    }
    if breaks.windows(2).any(|w| w[1].min_quantity <= w[0].min_quantity) {
        return Err(Error::config("breaks", "price breaks must start at strictly increasing quantities"));
    }
    let mut best: Option<IncrementalDiscount> = None;
    let mut paid_to_start = 0.0; // c̄_j: the purchase cost of b_j units
    for (j, b) in breaks.iter().enumerate() {
        if j > 0 {
            let prev = breaks[j - 1];
            paid_to_start += prev.unit_cost * (b.min_quantity - prev.min_quantity);
        }
        let fixed_part = paid_to_start - b.unit_cost * b.min_quantity;
        let upper = breaks.get(j + 1).map_or(f64::INFINITY, |n| n.min_quantity);
        let q = (2.0 * (k + fixed_part) * lambda / (i * b.unit_cost)).sqrt();
        if !(q >= b.min_quantity && q < upper && q > 0.0) {
            continue;
        }
        let cost =
            b.unit_cost * lambda + (k + fixed_part) * lambda / q + i * b.unit_cost * q / 2.0 + i * fixed_part / 2.0;
        let candidate =
            IncrementalDiscount { quantity: q, region: j, average_unit_cost: (fixed_part + b.unit_cost * q) / q, cost };
        if best.is_none_or(|x| candidate.cost < x.cost) {
            best = Some(candidate);
        }
    }
    best.ok_or_else(|| {
        Error::config("fixed_cost", "no price break has a positive optimal quantity (a fixed cost of 0 orders nothing)")
    })
}

/// A lot-sizing plan: how much to order in each period and its total cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LotSizing {
    /// Order quantity per period (0 where nothing is ordered).
    pub order_quantities: Vec<f64>,
    /// Fixed + holding (+ purchase, when given) cost over the horizon.
    pub cost: f64,
}

/// Wagner–Whitin dynamic lot sizing (Wagner & Whitin 1958; Snyder & Shen §3.7):
/// known demand per period, a fixed cost K per order, holding h per unit left at
/// the end of a period, and optionally a purchase cost per unit in each period.
/// No shortages; an order covers whole periods. θ(t) = min over j ≥ t of
/// K + c_t·D(t..j) + h·Σ_{i=t}^{j−1} D(i+1..j) + θ(j + 1), by dynamic programming;
/// ties go to the earlier next order.
pub fn wagner_whitin(
    fixed_cost: f64,
    holding_cost: f64,
    demand: &[f64],
    purchase_cost: Option<&[f64]>,
) -> Result<LotSizing> {
    let k = non_negative("fixed_cost", fixed_cost)?;
    let h = non_negative("holding_cost", holding_cost)?;
    let n = demand.len();
    if n == 0 || n > MAX_LOT_SIZING_PERIODS {
        return Err(Error::config("demand", format!("give between 1 and {MAX_LOT_SIZING_PERIODS} periods")));
    }
    for (t, v) in demand.iter().enumerate() {
        non_negative(&format!("demand[{t}]"), *v)?;
    }
    let unit = match purchase_cost {
        None => vec![0.0; n],
        Some(c) if c.len() == n => {
            for (t, v) in c.iter().enumerate() {
                non_negative(&format!("purchase_cost[{t}]"), *v)?;
            }
            c.to_vec()
        }
        Some(c) => {
            return Err(Error::config("purchase_cost", format!("has {} values for {n} periods of demand", c.len())))
        }
    };
    // theta[t]: the least cost of periods t.. with nothing on hand at the start of t;
    // next[t]: the first period after the one the order in t covers up to (or t + 1
    // when period t has no demand and orders nothing).
    let mut theta = vec![0.0; n + 1];
    let mut next = vec![n; n + 1];
    for t in (0..n).rev() {
        let mut best = f64::INFINITY;
        let mut best_next = t + 1;
        if demand[t] == 0.0 {
            best = theta[t + 1];
        }
        let (mut qty, mut hold) = (0.0, 0.0);
        for j in t..n {
            qty += demand[j];
            hold += h * demand[j] * (j - t) as f64;
            if qty == 0.0 {
                continue;
            }
            let c = k + unit[t] * qty + hold + theta[j + 1];
            if c < best {
                best = c;
                best_next = j + 1;
            }
        }
        theta[t] = best;
        next[t] = best_next;
    }
    let mut order_quantities = vec![0.0; n];
    let mut t = 0;
    while t < n {
        let j = next[t];
        order_quantities[t] = demand[t..j].iter().sum();
        t = j;
    }
    if !theta[0].is_finite() {
        return Err(Error::config("demand", "the cost of the plan overflows"));
    }
    Ok(LotSizing { order_quantities, cost: theta[0] })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} vs {b}");
    }

    // Reference values: the worked examples and problems of Snyder & Shen,
    // *Fundamentals of Supply Chain Theory* (2nd ed.), at the full precision that the
    // book's companion package (stockpyl) prints for them; and the table of
    // Zheng & Federgruen (1991), to its 3 decimals.

    /// Example 5.1: h = 0.225, p = 7.5, K = 8, λ = 1300, τ = 150, L = 1/12. The book's
    /// optimum is r = 126.8, Q = 328.5, g = 78.07.
    #[test]
    fn rq_normal_example_5_1() {
        let c =
            |r, q| rq_normal(0.225, 7.5, 8.0, 1300.0, 150.0, 1.0 / 12.0, Some(r), Some(q)).map_or(f64::NAN, |s| s.cost);
        close(c(126.8, 328.5), 78.071_162_509_282_94, 1e-6);
        close(c(100.0, 250.0), 87.346_478_028_174_99, 1e-6);
        let r = |q| {
            rq_normal(0.225, 7.5, 8.0, 1300.0, 150.0, 1.0 / 12.0, None, Some(q)).map_or(f64::NAN, |s| s.reorder_point)
        };
        // The book's bisection stops when |g(r) − g(r + Q)| ≤ 1e-6 (g' ≈ 7 here).
        close(r(318.0), 127.7880348669655, 1e-6);
        close(r(150.0), 147.1949581740714, 1e-6);
        close(r(750.0), 99.853_773_396_165_28, 1e-6);
        let opt = rq_normal(0.225, 7.5, 8.0, 1300.0, 150.0, 1.0 / 12.0, None, None).unwrap_or_else(|e| panic!("{e}"));
        // Example 5.6, the loss-function method (Hadley & Whitin): r = 126.8670634,
        // Q = 328.4491422. It drops n⁽²⁾(r + Q), here ~1e-17 (r + Q is 8σ above μ),
        // so the exact optimum agrees with it; the book rounds both to 126.8 and 328.5.
        close(opt.reorder_point, 126.8670634479628, 1e-6);
        close(opt.order_quantity, 328.4491421980451, 1e-6);
        close(opt.cost, 78.07, 0.005);
        assert!(opt.cost < c(126.8, 328.5));
        // The optimum satisfies both first-order conditions and beats its neighbours.
        let ltd = NormalLtd { mu: 1300.0 / 12.0, sigma: 150.0 / 12f64.sqrt() };
        let (r, q) = (opt.reorder_point, opt.order_quantity);
        close(ltd.g(0.225, 7.5, r), ltd.g(0.225, 7.5, r + q), 1e-9);
        close(ltd.g(0.225, 7.5, r + q), opt.cost, 1e-9);
        for (dr, dq) in [(0.5, 0.0), (-0.5, 0.0), (0.0, 0.5), (0.0, -0.5)] {
            assert!(c(r + dr, q + dq) > opt.cost);
        }
    }

    /// Problems 5.1 and 5.3 of the book.
    #[test]
    fn rq_normal_problems_5_1_and_5_3() {
        let l = 4.0 / 365.0;
        let c = rq_normal(3.1, 45.0, 50.0, 800.0, 40.0, l, Some(100.0), Some(250.0)).map_or(f64::NAN, |s| s.cost);
        close(c, 830.3219178082192, 1e-6);
        let c = rq_normal(3.1, 45.0, 50.0, 800.0, 40.0, l, Some(-1.9859), Some(166.95)).map_or(f64::NAN, |s| s.cost);
        close(c, 484.2110418415538, 1e-6);
        let r = rq_normal(3.1, 45.0, 50.0, 800.0, 40.0, l, None, Some(318.0)).map_or(f64::NAN, |s| s.reorder_point);
        close(r, -11.727678833180178, 1e-5);
        let r =
            rq_normal(1.5 / 7.0, 40.0, 85.0, 192.0, 17.4, 3.0, None, Some(150.0)).map_or(f64::NAN, |s| s.reorder_point);
        close(r, 622.5171783526781, 1e-5);
    }

    /// Example 5.8: h = 20, p = 150, K = 100, λ = 1.5, L = 2: optimum (3, 5).
    #[test]
    fn rq_poisson_example_5_8_and_problem_5_2() {
        let c = |r, q| rq_poisson(20.0, 150.0, 100.0, 1.5, 2.0, Some(r), Some(q)).map_or(f64::NAN, |s| s.cost);
        close(c(3.0, 5.0), 107.92358063314975, 1e-6);
        close(c(8.0, 12.0), 242.5281637662021, 1e-6);
        let opt = rq_poisson(20.0, 150.0, 100.0, 1.5, 2.0, None, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((opt.reorder_point, opt.order_quantity), (3.0, 5.0));
        close(opt.cost, 107.92358063314975, 1e-6);
        let opt = rq_poisson(4.0, 28.0, 4.0, 12.0, 0.5, None, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((opt.reorder_point, opt.order_quantity), (6.0, 7.0));
        close(opt.cost, 28.241312842169155, 1e-6);
        close(
            rq_poisson(4.0, 28.0, 4.0, 12.0, 0.5, Some(3.0), Some(9.0)).map_or(0.0, |s| s.cost),
            34.264_154_469_469_5,
            1e-6,
        );
        // Exhaustive check that nothing nearby is cheaper.
        for r in -2..12 {
            for q in 1..20 {
                assert!(c(r as f64, q as f64) >= 107.92358063314975 - 1e-12, "({r}, {q})");
            }
        }
        assert!(rq_poisson(20.0, 150.0, 100.0, 1.5, 2.0, Some(3.5), Some(5.0)).is_err());
        assert!(rq_poisson(20.0, 150.0, 100.0, 1.5, 2.0, None, Some(5.0)).is_err());
    }

    /// Example 4.7 (h = 1, p = 4, K = 5, Poisson(6)) and Problem 4.31.
    #[test]
    fn ss_discrete_book_examples() {
        let c =
            |s, big_s| ss_discrete(1.0, 4.0, 5.0, Some(6.0), None, Some(s), Some(big_s)).map_or(f64::NAN, |x| x.cost);
        close(c(4.0, 10.0), 8.034111561471644, 1e-6);
        close(c(6.0, 18.0), 10.193798671644046, 1e-6);
        let opt = ss_discrete(1.0, 4.0, 5.0, Some(6.0), None, None, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((opt.reorder_point, opt.order_up_to), (4.0, 10.0));
        close(opt.cost, 8.034111561471644, 1e-6);
        let opt = ss_discrete(40.0, 125.0, 150.0, Some(4.0), None, None, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((opt.reorder_point, opt.order_up_to), (2.0, 7.0));
        close(opt.cost, 223.5748295669688, 1e-6);
        // The same demand as a listed pmf gives the same answer.
        let pois = Poisson::new(4.0).unwrap_or_else(|e| panic!("{e}"));
        let mut pmf: Vec<f64> = (0..60).map(|d| pois.pmf(d)).collect();
        let rest = 1.0 - pmf.iter().sum::<f64>();
        pmf[59] += rest;
        let alt = ss_discrete(40.0, 125.0, 150.0, None, Some(&pmf), None, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((alt.reorder_point, alt.order_up_to), (2.0, 7.0));
        close(alt.cost, 223.5748295669688, 1e-6);
        close(
            ss_discrete(40.0, 125.0, 150.0, Some(4.0), None, Some(4.0), Some(10.0)).map_or(0.0, |x| x.cost),
            262.2755613772775,
            1e-6,
        );
    }

    /// Zheng & Federgruen (1991), Table I: h = 1, p = 9, K = 64, Poisson demand.
    #[test]
    fn ss_discrete_zheng_federgruen_table() {
        let mu = [
            10., 15., 20., 25., 30., 35., 40., 45., 50., 55., 60., 65., 70., 75., 21., 22., 23., 24., 51., 52., 59.,
            61., 63., 64.,
        ];
        let s = [6, 10, 14, 19, 23, 28, 33, 37, 42, 47, 52, 56, 62, 67, 15, 16, 17, 18, 43, 44, 51, 52, 54, 55];
        let big_s =
            [40, 49, 62, 56, 66, 77, 87, 97, 108, 118, 129, 75, 81, 86, 65, 68, 52, 54, 110, 112, 126, 131, 73, 74];
        let cost = [
            35.022, 42.698, 49.173, 54.262, 57.819, 61.215, 64.512, 67.776, 70.975, 74.149, 77.306, 78.518, 79.037,
            79.554, 50.406, 51.632, 52.757, 53.518, 71.611, 72.246, 76.679, 77.929, 78.287, 78.402,
        ];
        for i in 0..mu.len() {
            let opt = ss_discrete(1.0, 9.0, 64.0, Some(mu[i]), None, None, None).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((opt.reorder_point, opt.order_up_to), (s[i] as f64, big_s[i] as f64), "μ = {}", mu[i]);
            close(opt.cost, cost[i], 5e-4);
        }
    }

    #[test]
    fn epq_example_3_1_with_production() {
        let e = epq(8.0, 0.225, 1300.0, 2000.0, None).unwrap_or_else(|e| panic!("{e}"));
        close(e.quantity, 513.9328595516969, 1e-6);
        close(e.cost, 40.472_212_689_696_12, 1e-6);
        close(epq(8.0, 0.225, 1300.0, 2000.0, Some(350.0)).map_or(0.0, |e| e.cost), 43.495535714285715, 1e-6);
        let e = epq(4.0, 0.08, 80.0, 110.0, None).unwrap_or_else(|e| panic!("{e}")); // Problem 3.22
        close(e.quantity, 171.2697677155351, 1e-6);
        close(e.cost, 3.736_794_931_975_31, 1e-6);
        assert!(epq(8.0, 0.225, 1300.0, 1300.0, None).is_err());
    }

    fn breaks(v: &[(f64, f64)]) -> Vec<PriceBreak> {
        v.iter().map(|&(q, c)| PriceBreak { min_quantity: q, unit_cost: c }).collect()
    }

    /// Example 3.7 (K = 8, i = 0.3, λ = 1300; 0.75, 0.72 from 400, 0.68 from 800)
    /// and Problem 3.12(b).
    #[test]
    fn incremental_discount_examples() {
        let d = eoq_incremental_discount(8.0, 0.3, 1300.0, &breaks(&[(0.0, 0.75), (400.0, 0.72), (800.0, 0.68)]))
            .unwrap_or_else(|e| panic!("{e}"));
        close(d.quantity, 304.04678003, 1e-6);
        assert_eq!(d.region, 0);
        close(d.cost, 1043.41052551, 1e-6);
        let d = eoq_incremental_discount(
            2250.0,
            0.25,
            182500.0,
            &breaks(&[(0.0, 1490.0), (1200.0, 1220.0), (2400.0, 1100.0)]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        close(d.quantity, 28553.06065428, 1e-6);
        assert_eq!(d.region, 2);
        close(d.cost, 208678591.67992835, 1e-5);
        let d = eoq_incremental_discount(150.0, 0.25, 2400.0, &breaks(&[(0.0, 100.0), (300.0, 90.0), (600.0, 80.0)]))
            .unwrap_or_else(|e| panic!("{e}"));
        close(d.quantity, 1481.8906842274164, 1e-6);
        close(d.cost, 222762.8136845483, 1e-6);
        assert!(eoq_incremental_discount(8.0, 0.3, 1300.0, &breaks(&[(10.0, 0.75)])).is_err());
    }

    /// Example 3.9 and Problems 3.27 and 3.29; a time-varying purchase cost.
    #[test]
    fn wagner_whitin_examples() {
        let w = wagner_whitin(500.0, 2.0, &[90.0, 120.0, 80.0, 70.0], None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.order_quantities, vec![210.0, 0.0, 150.0, 0.0]);
        close(w.cost, 1380.0, 1e-9);
        let w = wagner_whitin(120.0, 0.8, &[150.0, 100.0, 80.0, 200.0], None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.order_quantities, vec![150.0, 180.0, 0.0, 200.0]);
        close(w.cost, 424.0, 1e-9);
        let w = wagner_whitin(100.0, 0.1, &[730.0, 580.0, 445.0, 650.0, 880.0], None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.order_quantities, vec![1310.0, 0.0, 1095.0, 0.0, 880.0]);
        close(w.cost, 423.0, 1e-9);
        let w = wagner_whitin(100.0, 0.1, &[400.0, 500.0, 500.0, 1100.0, 900.0], Some(&[3.0, 1.0, 4.0, 6.0, 6.0]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.order_quantities, vec![400.0, 3000.0, 0.0, 0.0, 0.0]);
        close(w.cost, 4940.0, 1e-9);
        // Periods without demand order nothing and cost nothing.
        let w = wagner_whitin(100.0, 1.0, &[0.0, 0.0, 5.0, 0.0], None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(w.order_quantities, vec![0.0, 0.0, 5.0, 0.0]);
        close(w.cost, 100.0, 1e-12);
        assert!(wagner_whitin(1.0, 1.0, &[1.0, f64::NAN], None).is_err());
        assert!(wagner_whitin(1.0, 1.0, &[1.0, 2.0], Some(&[1.0])).is_err());
    }

    /// Brute force agrees with the algorithms on small random instances.
    #[test]
    fn optimisers_agree_with_brute_force() {
        let mut state = 7_u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        for _ in 0..20 {
            let (h, p, k, mean) = (0.5 + next() * 3.0, 2.0 + next() * 20.0, 1.0 + next() * 50.0, 0.5 + next() * 12.0);
            let opt = ss_discrete(h, p, k, Some(mean), None, None, None).unwrap_or_else(|e| panic!("{e}"));
            let mut best = f64::INFINITY;
            for s in -5..40 {
                for big_s in s + 1..s + 60 {
                    let c = ss_discrete(h, p, k, Some(mean), None, Some(s as f64), Some(big_s as f64))
                        .map_or(f64::INFINITY, |x| x.cost);
                    best = best.min(c);
                }
            }
            close(opt.cost, best, 1e-9);
            let rq = rq_poisson(h, p, k, mean, 1.0, None, None).unwrap_or_else(|e| panic!("{e}"));
            let mut best = f64::INFINITY;
            for r in -5..40 {
                for q in 1..80 {
                    let c = rq_poisson(h, p, k, mean, 1.0, Some(r as f64), Some(q as f64))
                        .map_or(f64::INFINITY, |x| x.cost);
                    best = best.min(c);
                }
            }
            close(rq.cost, best, 1e-9);
            let demand: Vec<f64> = (0..8).map(|_| (next() * 10.0).floor()).collect();
            let ww = wagner_whitin(k, h, &demand, None).unwrap_or_else(|e| panic!("{e}"));
            let mut best = f64::INFINITY;
            for mask in 0..(1u32 << 8) {
                // Bit t set: an order in period t covering up to the next set bit.
                let mut cost = 0.0;
                let mut on_hand = 0.0;
                let mut ok = true;
                for t in 0..8 {
                    if mask & (1 << t) != 0 {
                        let end = (t + 1..8).find(|u| mask & (1 << u) != 0).unwrap_or(8);
                        let q: f64 = demand[t..end].iter().sum();
                        if q > 0.0 {
                            cost += k;
                        }
                        on_hand += q;
                    }
                    if on_hand + 1e-9 < demand[t] {
                        ok = false;
                        break;
                    }
                    on_hand -= demand[t];
                    cost += h * on_hand;
                }
                if ok {
                    best = best.min(cost);
                }
            }
            close(ww.cost, best, 1e-9);
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(ss_discrete(1.0, 4.0, 5.0, Some(6.0), Some(&[1.0]), None, None).is_err());
        assert!(ss_discrete(1.0, 4.0, 5.0, None, Some(&[0.5, 0.4]), None, None).is_err());
        assert!(ss_discrete(1.0, 4.0, 5.0, None, Some(&[1.0]), None, None).is_err());
        assert!(ss_discrete(1.0, 4.0, 5.0, Some(1e9), None, None, None).is_err());
        assert!(ss_discrete(1.0, 4.0, 5.0, Some(6.0), None, Some(10.0), Some(4.0)).is_err());
        assert!(rq_normal(0.225, 7.5, 0.0, 1300.0, 150.0, 0.1, None, None).is_err());
        assert!(rq_normal(0.225, 7.5, 8.0, 1300.0, 150.0, 0.1, Some(1.0), None).is_err());
        assert!(rq_normal(0.225, 7.5, 8.0, f64::INFINITY, 150.0, 0.1, None, None).is_err());
        assert!(rq_poisson(20.0, 150.0, 100.0, 1e12, 2.0, None, None).is_err());
        assert!(wagner_whitin(1.0, 1.0, &vec![1.0; MAX_LOT_SIZING_PERIODS + 1], None).is_err());
    }

    /// Deterministic lead-time demand (τ = 0) reduces (r, Q) to the EOQ with
    /// planned backorders: Q* = √(2Kλ(h+p)/(hp)).
    #[test]
    fn rq_normal_without_variability_is_the_eoq_with_backorders() {
        let opt = rq_normal(0.225, 5.0, 8.0, 1300.0, 0.0, 0.1, None, None).unwrap_or_else(|e| panic!("{e}"));
        close(opt.order_quantity, 310.81255515896464, 1e-6);
        close(opt.cost, 66.92136355097325, 1e-6);
    }

    /// The models as data, the way Python and Node call them.
    #[test]
    fn exact_models_as_formula_data() {
        use crate::policy::formulas::Formula;
        let eval = |json: &str| {
            let f: Formula = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            serde_json::to_value(f.evaluate().unwrap_or_else(|e| panic!("{json}: {e}"))).unwrap_or_default()
        };
        let v = eval(
            r#"{"formula":"rq_poisson","holding_cost":20,"stockout_cost":150,"fixed_cost":100,"demand_rate":1.5,"lead_time":2}"#,
        );
        assert_eq!((v["reorder_point"].as_f64(), v["order_quantity"].as_f64()), (Some(3.0), Some(5.0)));
        let v = eval(r#"{"formula":"ss_discrete","holding_cost":1,"stockout_cost":4,"fixed_cost":5,"mean":6}"#);
        assert_eq!((v["reorder_point"].as_f64(), v["order_up_to"].as_f64()), (Some(4.0), Some(10.0)));
        let v = eval(r#"{"formula":"wagner_whitin","fixed_cost":500,"holding_cost":2,"demand":[90,120,80,70]}"#);
        assert_eq!(v["order_quantities"], serde_json::json!([210.0, 0.0, 150.0, 0.0]));
        let v =
            eval(r#"{"formula":"epq","fixed_cost":8,"holding_cost":0.225,"demand_rate":1300,"production_rate":2000}"#);
        close(v["quantity"].as_f64().unwrap_or(0.0), 513.9328595516969, 1e-6);
        let v = eval(
            r#"{"formula":"eoq_incremental_discount","fixed_cost":8,"holding_rate":0.3,"demand_rate":1300,
                "breaks":[{"min_quantity":0,"unit_cost":0.75},{"min_quantity":400,"unit_cost":0.72}]}"#,
        );
        assert_eq!(v["region"].as_u64(), Some(0));
        let v = eval(
            r#"{"formula":"rq_normal","holding_cost":0.225,"stockout_cost":7.5,"fixed_cost":8,"demand_rate":1300,
                "demand_sd":150,"lead_time":0.08333333333333333,"order_quantity":318}"#,
        );
        close(v["reorder_point"].as_f64().unwrap_or(0.0), 127.7880348669655, 1e-6);
        let bad: std::result::Result<Formula, _> = serde_json::from_str(
            r#"{"formula":"ss_discrete","holding_cost":1,"stockout_cost":4,"fixed_cost":5,"mean":6,"typo":1}"#,
        );
        assert!(bad.is_err());
        let e = Formula::SsDiscrete {
            holding_cost: 1.0,
            stockout_cost: 4.0,
            fixed_cost: 5.0,
            mean: None,
            pmf: Some(vec![0.5, 0.6]),
            reorder_point: None,
            order_up_to: None,
        }
        .evaluate();
        assert!(matches!(e, Err(Error::Config { ref field, .. }) if field == "pmf"), "{e:?}");
    }
}
