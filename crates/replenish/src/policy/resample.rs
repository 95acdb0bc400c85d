//! Demand over the protection interval as a sample built from the series' own
//! history: the two empirical methods of lead-time demand.
//!
//! * [`errors`] (`lead_time_demand = "errors"`): a local-level forecast run over the
//!   history, its errors over whole protection intervals measured from every past
//!   origin of the last [`WINDOW_DAYS`] (three years of monthly data,
//!   [`SAMPLE_PERIODS`]; rolling origin), and the sample = today's
//!   level over the interval + those errors. The spread is what forecasting this
//!   series over this interval actually missed by, with runs of high and low days,
//!   level shifts the forecast lagged and over-dispersion all included; a model's
//!   own noise term (independent days) sees none of them and its levels fall short
//!   of their service on real demand (`docs/benchmarks.md`).
//! * [`bootstrap`] (`lead_time_demand = "bootstrap"`): independent resampled days.
//!
//! Both draw each path's lead time as the simulation draws it (normal, rounded to
//! whole days, never negative) and multiply planned days by their factors
//! (promotions, events). Pure functions of their inputs and the random stream.

use super::ltd::{Family, Ltd, LtdSummary};
use crate::error::{Error, Result};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::Distribution;
use serde::{Deserialize, Serialize};

/// Past days the bootstrap resamples and whose origins the errors method measures
/// (longer for monthly data: [`SAMPLE_PERIODS`]).
pub const WINDOW_DAYS: usize = 364;

/// The fewest periods of the data the errors method's sample spans: a year of daily
/// or weekly data holds more, monthly data is measured over three years. A year of
/// months holds a dozen independent intervals' misses, too few for the tail: on real
/// monthly spare parts the levels then held more stock than the textbook rule for
/// the same service (RAF at 90%: 14.0 units for 90.8%, 10.4 for 90.3% over three
/// years; two and four years gave 12.9 and 10.7, docs/benchmarks.md).
pub const SAMPLE_PERIODS: usize = 36;

/// The days whose origins the errors method measures its misses on, for data whose
/// totals cover `period` days each ([`Interval::block`]).
fn sample_days(period: usize) -> usize {
    WINDOW_DAYS.max(SAMPLE_PERIODS * period.max(1))
}

/// The smoothing weights the errors method chooses from (the one with the smallest
/// squared error of interval totals over the window).
pub const ALPHAS: [f64; 7] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5];

/// Origins whose interval has more than this share of missing days (stock-outs,
/// promotion or event days taken out of the history) are not measured.
const MAX_MISSING_SHARE: f64 = 0.5;

/// Sampled totals over lead time + review and over the lead time alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    pub totals: Vec<f64>,
    pub lead_totals: Vec<f64>,
}

/// What the errors method measured, for the plan line's explanation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ErrorsFit {
    /// The chosen smoothing weight.
    pub alpha: f64,
    /// Today's level (demand per day).
    pub level: f64,
    /// Past origins measured.
    pub origins: usize,
}

/// The protection interval a sample covers: a lead time N(`lead`, `lead_std`) drawn
/// per path as the simulation draws it, plus `review` days, with each future day's
/// demand multiplied by its planned factor (`factors[d]`, 1 past the end).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Interval<'a> {
    pub lead: f64,
    pub lead_std: f64,
    pub review: f64,
    pub factors: &'a [f64],
    /// Days that move together, the data's period: the bootstrap draws one past day
    /// per block of this many days (7 for weekly totals spread over their days), and
    /// the errors method's sample spans at least [`SAMPLE_PERIODS`] of them; 0 or 1:
    /// every day.
    pub block: usize,
    /// The seasonal profile of each future day (1 past the end) for [`errors`] on a
    /// history divided by its own days' profile ([`super::season`]): each path's
    /// total, errors included, is multiplied by the profile's mean over its days, so
    /// the misses grow and shrink with the season as the demand does.
    pub season: &'a [f64],
}

impl Interval<'_> {
    fn factor(&self, d: usize) -> f64 {
        self.factors.get(d).copied().unwrap_or(1.0)
    }

    /// The seasonal profile's mean over the first `days` days (1 without one).
    fn season_over(&self, days: f64) -> f64 {
        if self.season.is_empty() || days <= 0.0 {
            return 1.0;
        }
        over_days(days, |d| self.season.get(d).copied().unwrap_or(1.0)) / days
    }
}

/// Past origins the `errors` method needs before it trusts its error sample; with
/// fewer, [`errors`] gives `None` (the planner falls back to the bootstrap and says
/// so).
pub const MIN_ORIGINS: usize = 26;

fn lead_draw(lead: f64, lead_std: f64, rng: &mut ChaCha8Rng) -> f64 {
    if lead_std > 0.0 {
        match rand_distr::Normal::new(lead, lead_std) {
            Ok(d) => d.sample(rng).round().max(0.0),
            Err(_) => lead.max(0.0),
        }
    } else {
        lead.max(0.0)
    }
}

/// Sum of `f(d)` over the first `days` days, the last one by its fraction.
fn over_days(days: f64, mut f: impl FnMut(usize) -> f64) -> f64 {
    let whole = days.floor() as usize;
    let mut s: f64 = (0..whole).map(&mut f).sum();
    let frac = days - whole as f64;
    if frac > 0.0 {
        s += frac * f(whole);
    }
    s
}

/// Independent resampled days: `n` paths over lead time + `review`, each day drawn
/// from the last [`WINDOW_DAYS`] seen (missing days left out) and multiplied by its
/// factor, one draw per `at.block` days. Suits demand with no runs; all zeros when
/// the window has no demand.
pub fn bootstrap(y: &[f64], at: &Interval, n: usize, rng: &mut ChaCha8Rng) -> Sample {
    let pool: Vec<f64> = y.iter().rev().filter(|v| !v.is_nan()).take(WINDOW_DAYS).copied().collect();
    if pool.iter().all(|v| *v <= 0.0) {
        return Sample { totals: vec![0.0], lead_totals: vec![0.0] };
    }
    let mut out = Sample { totals: Vec::with_capacity(n), lead_totals: Vec::with_capacity(n) };
    for _ in 0..n {
        let l = lead_draw(at.lead, at.lead_std, rng);
        let days = l + at.review;
        let (mut total, mut lead_total) = (0.0, 0.0);
        let mut d = 0usize;
        let mut drawn = 0.0;
        while (d as f64) < days {
            let share = (days - d as f64).min(1.0);
            if d.is_multiple_of(at.block.max(1)) {
                drawn = pool[rng.random_range(0..pool.len())];
            }
            let v = drawn * at.factor(d);
            total += share * v;
            if (d as f64) < l {
                lead_total += (l - d as f64).min(1.0) * v;
            }
            d += 1;
        }
        out.totals.push(total);
        out.lead_totals.push(lead_total);
    }
    out
}

/// The local level after each day: simple exponential smoothing with weight
/// `alpha`, started at the mean of the first four weeks seen; missing days leave it
/// unchanged. `None` before the first day seen.
fn levels(y: &[f64], past: &[f64], alpha: f64) -> Vec<Option<f64>> {
    let base = |d: usize| y[d] / past.get(d).copied().unwrap_or(1.0);
    let seen: Vec<f64> = (0..y.len()).map(base).filter(|v| !v.is_nan()).take(28).collect();
    if seen.is_empty() {
        return vec![None; y.len()];
    }
    let mut level = seen.iter().sum::<f64>() / seen.len() as f64;
    let mut started = false;
    (0..y.len())
        .map(|d| {
            let v = base(d);
            if !v.is_nan() {
                started = true;
                level += alpha * (v - level);
            }
            started.then_some(level)
        })
        .collect()
}

/// Running sums of a history, so that one origin's error over any interval costs
/// the same whatever its length.
struct Prefix<'a> {
    y: &'a [f64],
    past: &'a [f64],
    /// Demand seen, factors of the days seen, missing days: sums of the first i days.
    seen: Vec<f64>,
    factors: Vec<f64>,
    missing: Vec<u32>,
}

impl<'a> Prefix<'a> {
    fn new(y: &'a [f64], past: &'a [f64]) -> Prefix<'a> {
        let n = y.len();
        let (mut seen, mut factors, mut missing) =
            (Vec::with_capacity(n + 1), Vec::with_capacity(n + 1), Vec::with_capacity(n + 1));
        let (mut s, mut f, mut m) = (0.0, 0.0, 0u32);
        seen.push(s);
        factors.push(f);
        missing.push(m);
        for (d, &v) in y.iter().enumerate() {
            if v.is_nan() {
                m += 1;
            } else {
                s += v;
                f += past.get(d).copied().unwrap_or(1.0);
            }
            seen.push(s);
            factors.push(f);
            missing.push(m);
        }
        Prefix { y, past, seen, factors, missing }
    }

    /// The factors of the days seen over `days` days after `origin` (as [`Prefix::error`]).
    fn factor_sum(&self, origin: usize, days: f64) -> f64 {
        let n = self.y.len();
        let (a, whole) = (origin + 1, days.floor() as usize);
        let mut f = self.factors[(a + whole).min(n)] - self.factors[a.min(n)];
        let frac = days - whole as f64;
        if frac > 0.0 && a + whole < n && !self.y[a + whole].is_nan() {
            f += frac * self.past.get(a + whole).copied().unwrap_or(1.0);
        }
        f
    }

    /// One origin's error over `days` days after it: the days seen minus level ×
    /// their factor, missing days counting as on the level. `None` when too many days
    /// are missing or the history ends first.
    fn error(&self, origin: usize, days: f64, level: f64) -> Option<f64> {
        let span = days.ceil() as usize;
        if span == 0 {
            return Some(0.0);
        }
        if origin + span >= self.y.len() {
            return None;
        }
        let (a, whole) = (origin + 1, days.floor() as usize);
        let missing = self.missing[a + span] - self.missing[a];
        if f64::from(missing) > MAX_MISSING_SHARE * span as f64 {
            return None;
        }
        let mut e = (self.seen[a + whole] - self.seen[a]) - level * (self.factors[a + whole] - self.factors[a]);
        let frac = days - whole as f64;
        if frac > 0.0 && !self.y[a + whole].is_nan() {
            e += frac * (self.y[a + whole] - level * self.past.get(a + whole).copied().unwrap_or(1.0));
        }
        Some(e)
    }
}

/// The local level whose smoothing weight forecast the window's interval totals
/// best: its weight, its level after each day and the window's origins it measured.
struct Best {
    mse: f64,
    alpha: f64,
    levels: Vec<Option<f64>>,
    origins: Vec<usize>,
}

/// The first review [`errors_pit`] measures, for intervals of `horizon` days: the
/// coverage is measured on the last [`WINDOW_DAYS`], whatever the sample spans.
fn window_start(len: usize, horizon: f64) -> usize {
    len.saturating_sub(WINDOW_DAYS + horizon.ceil() as usize)
}

/// [`Best`] over [`ALPHAS`], on the origins of the last `window` days; `None` with
/// fewer than [`MIN_ORIGINS`] measurable origins.
fn best_level(y: &[f64], past: &[f64], sums: &Prefix, horizon: f64, window: usize) -> Option<Best> {
    let first = y.len().saturating_sub(window + horizon.ceil() as usize);
    let mut best: Option<Best> = None;
    for &alpha in &ALPHAS {
        let lv = levels(y, past, alpha);
        let mut sse = 0.0;
        let mut origins = Vec::new();
        for (t, l) in lv.iter().enumerate().skip(first) {
            let Some(l) = *l else { continue };
            if let Some(e) = sums.error(t, horizon, l) {
                sse += e * e;
                origins.push(t);
            }
        }
        if origins.len() < MIN_ORIGINS {
            return None;
        }
        let mse = sse / origins.len() as f64;
        if best.as_ref().is_none_or(|b| mse < b.mse) {
            best = Some(Best { mse, alpha, levels: lv, origins });
        }
    }
    best
}

/// Past reviews whose out-of-sample coverage [`errors_pit`] measures (at most; only
/// those of the window).
const PIT_REVIEWS: usize = 52;
/// Earlier reviews whose levels can still cover a review's interval in
/// [`errors_pit`]: those of the year before it ([`WINDOW_DAYS`], the errors'
/// window), at most [`PIT_CARRY`]: 52 weekly reviews, 13 monthly. Counted in reviews
/// alone (52 monthly reviews, four years), stock that levels of years ago would have
/// left covered the monthly spare parts' past intervals, and their levels read lower
/// than the held-out months needed (RAF at 95% reached 93.0%; 95.1% with a year's
/// reviews, docs/benchmarks.md).
fn pit_carry(review: usize) -> usize {
    WINDOW_DAYS.div_ceil(review.max(1)).min(PIT_CARRY)
}

/// The most earlier reviews [`pit_carry`] credits (reviews more often than weekly
/// look back 52 reviews, not a year: the measure's cost grows with them).
const PIT_CARRY: usize = 52;

/// The days at the end of a history whose demand [`errors_pit`] measures coverage
/// on: its reviews and the interval after the last. Whatever the levels are read
/// through (a series' own seasonal profile) is fitted on the days before them, so
/// that the coverage stays out of sample.
pub fn pit_days(at: &Interval) -> usize {
    PIT_REVIEWS * (at.review.round() as usize).max(1) + (at.lead + at.review).max(1.0).ceil() as usize
}

/// The `errors` method's out-of-sample coverage on the series' own past, for
/// [`super::coverage`]. At each past review of the window (every `review`
/// days back from today, the interval after it seen whole): the distribution the
/// method would have built then, from that day's level and the errors of the
/// window before it ([`sample_days`]) whose intervals had ended (negative binomial
/// on their moments, as [`errors_ltd`]). An order-up-to policy with backorders keeps
/// the position after a review at the highest of its own level S_j and an earlier
/// review's level less the demand since, so a review's interval is covered exactly
/// when, for some review j up to it ([`pit_carry`]: of the year before it), the
/// demand from j to the interval's end is at most S_j. Each value is the least over
/// those reviews of F_j(x̃ − 1), x̃ that demand rounded to a whole unit: levels read
/// at probability p cover the interval exactly when the value is below p. A review
/// whose own cycle (the interval's last `review` days) holds no demand cannot go
/// short whatever was owed before it: 0. `None` as [`errors`].
pub fn errors_pit(y: &[f64], past: &[f64], at: &Interval) -> Option<Vec<f64>> {
    errors_coverage(y, past, at, false, false).map(|(values, _)| values)
}

/// What the planner measures on a series for [`super::coverage`]: its coverage
/// values ([`errors_pit`], or [`errors_pit_lost_sales`] with `lost_sales`) and, with
/// `fill`, what levels along the grid served ([`errors_fill`]). The past reviews'
/// distributions are built once for both, and with lost sales one replay gives both.
/// `None` as [`errors`].
pub fn errors_coverage(
    y: &[f64],
    past: &[f64],
    at: &Interval,
    lost_sales: bool,
    fill: bool,
) -> Option<(Vec<f64>, Option<FillCounts>)> {
    let r = past_reviews(y, past, at)?;
    if !lost_sales {
        let values = pit(y, &r, at);
        let counts = fill.then(|| GridReplay::new(y, &r, at).map_or_else(FillCounts::default, |p| p.fill(false, None)));
        return Some((values, counts));
    }
    let Some(replay) = GridReplay::new(y, &r, at) else { return Some((Vec::new(), fill.then(FillCounts::default))) };
    let mut covered = LostCoverage::new(replay.cycles.len());
    let counts = if fill {
        Some(replay.fill(true, Some(&mut covered)))
    } else {
        replay.run(true, |g, short| covered.visit(&replay.cycles, g, short));
        None
    };
    Some((covered.values(), counts))
}

/// [`errors_pit`] on the past reviews built.
fn pit(y: &[f64], r: &Reviews, at: &Interval) -> Vec<f64> {
    let Reviews { sums, dists, first, span } = r;
    let (first, span) = (*first, *span);
    let n = y.len();
    // The review's own cycle: the interval's last `review` days, after its order
    // arrives.
    let cycle = (at.review.round() as usize).clamp(1, span);
    let mut out = Vec::new();
    for (i, &(t, _)) in dists.iter().enumerate().take(PIT_REVIEWS) {
        if t < first {
            break;
        }
        let end = t + 1 + span;
        if end > n || sums.missing[end] > sums.missing[t + 1] {
            continue;
        }
        // A cycle without demand (less than half a unit) goes short of nothing,
        // whatever the stock: covered by any level. (Measured by the demand over the
        // whole interval, a backlog carried into an empty cycle counted as a miss:
        // intermittent series seemed to need more than they did.)
        if sums.seen[end] - sums.seen[end - cycle] <= 1e-9 {
            out.push(0.0);
            continue;
        }
        let mut w = f64::INFINITY;
        for (j, d) in dists[i..].iter().take(pit_carry(cycle) + 1) {
            let Some((d, m, v)) = d else { continue };
            let x = (sums.seen[end] - sums.seen[j + 1] - 0.5).ceil() - 1.0;
            // Cantelli: F(x) ≥ 1 − v/(v + (x − m)²) above the mean; a review whose
            // bound already reaches w cannot lower it (most earlier reviews, whose
            // demand to the interval's end is far above their level).
            if x > *m && 1.0 - v / (v + (x - m) * (x - m)) >= w {
                continue;
            }
            w = w.min(d.cdf(x));
            if w == 0.0 {
                break;
            }
        }
        if w.is_finite() {
            out.push(w);
        }
    }
    out
}

/// A past review: its day and the distribution the method would have built then,
/// with its mean and variance (`None` with too few origins before it).
type Review = (usize, Option<(Ltd, f64, f64)>);

/// What [`errors_pit`] and [`errors_pit_lost_sales`] measure on: the history's running
/// sums, its last [`PIT_REVIEWS`] + [`pit_carry`] reviews newest first, the first
/// origin of the window and the interval's length in whole days.
struct Reviews<'a> {
    sums: Prefix<'a>,
    dists: Vec<Review>,
    first: usize,
    span: usize,
}

fn past_reviews<'a>(y: &'a [f64], past: &'a [f64], at: &Interval) -> Option<Reviews<'a>> {
    let horizon = (at.lead + at.review).max(1.0);
    let sums = Prefix::new(y, past);
    let window = sample_days(at.block);
    let lv = best_level(y, past, &sums, horizon, window)?.levels;
    let n = lv.len();
    let first = window_start(n, horizon);
    let span = horizon.ceil() as usize;
    let step = (at.review.round() as usize).max(1);
    // Every origin's error over the interval, once.
    let errs: Vec<Option<f64>> = (0..n).map(|o| sums.error(o, horizon, lv[o]?)).collect();
    // The distribution at each past review, newest first, with its mean and variance.
    let dists: Vec<Review> = (0..n)
        .rev()
        .step_by(step)
        .take(PIT_REVIEWS + pit_carry(step))
        .map(|t| {
            let d = lv[t].and_then(|l| {
                let base = l * sums.factor_sum(t, horizon);
                let hi = t.saturating_sub(span);
                let (mut k, mut sum, mut sq) = (0usize, 0.0, 0.0);
                for e in errs[hi.saturating_sub(window)..hi].iter().flatten() {
                    let x = (base + e).max(0.0);
                    k += 1;
                    sum += x;
                    sq += x * x;
                }
                if k < MIN_ORIGINS {
                    return None;
                }
                let m = sum / k as f64;
                let d = Ltd::moments(Family::NegativeBinomial, m, (sq / k as f64 - m * m).max(0.0)).ok()?;
                // The family's own moments (a Poisson where the variance fell below the mean).
                let (m, v) = (d.mean(), d.variance());
                Some((d, m, v))
            });
            (t, d)
        })
        .collect();
    Some(Reviews { sums, dists, first, span })
}

/// Steps of the probability grid the replays of [`errors_pit_lost_sales`] and
/// [`errors_fill`] read levels at, on the −ln(1 − p) scale: p = 1 − e^(−k·[`GRID_STEP`])
/// for k = 1..=[`GRID`], 0.049 to 0.9999 (five bins of [`super::coverage`] per step;
/// one bin per step gave the same service on every real data set, within 0.1 point,
/// at three times the time).
pub const GRID_STEP: f64 = 0.05;
pub const GRID: usize = 184;

/// The probability of grid step `g` (0-based): 1 − e^(−(g + 1)·[`GRID_STEP`]).
pub fn grid_probability(g: usize) -> f64 {
    1.0 - (-((g + 1) as f64) * GRID_STEP).exp()
}

/// Reviews a replay runs before the first it measures: the shelf starts at that
/// review's level, and what happened before has worn off by the measured ones.
const LOST_CARRY: usize = 8;

/// The policy replayed on a series' own past at every probability of the grid: the
/// reviews it runs over (oldest first, [`LOST_CARRY`] before the first measured) with
/// the grid's level at each, and the reviews measured (as [`errors_pit`]: the newest
/// [`PIT_REVIEWS`] of the window whose interval is seen whole and recorded) by their
/// cycles, from their order's arrival to the day before the next's.
struct GridReplay<'a> {
    y: &'a [f64],
    lead: usize,
    /// (day, level at each grid step) of the reviews replayed.
    reviews: Vec<(usize, Vec<f64>)>,
    /// Each measured review's cycle, as a range of days.
    cycles: Vec<std::ops::Range<usize>>,
}

impl<'a> GridReplay<'a> {
    /// `None` when no review is measured.
    fn new(y: &'a [f64], r: &Reviews, at: &Interval) -> Option<GridReplay<'a>> {
        let Reviews { sums, dists, first, span } = r;
        let n = y.len();
        let lead = at.lead.round().max(0.0) as usize;
        let review = (at.review.round() as usize).max(1);
        let newest: Vec<usize> = dists.iter().take(PIT_REVIEWS).map(|r| r.0).filter(|t| t >= first).collect();
        let oldest = newest.last().copied()?;
        let grid: Vec<f64> = (0..GRID).map(grid_probability).collect();
        let reviews: Vec<(usize, Vec<f64>)> = dists
            .iter()
            .rev()
            .filter(|(t, _)| *t + LOST_CARRY * review >= oldest)
            .filter_map(|(t, d)| d.as_ref().map(|(d, _, _)| (*t, d.quantiles_ascending(&grid))))
            .collect();
        let cycles: Vec<std::ops::Range<usize>> = reviews
            .iter()
            .map(|r| r.0)
            .filter(|&t| {
                let end = t + 1 + span;
                newest.contains(&t) && end <= n && sums.missing[end] == sums.missing[t + 1]
            })
            .map(|t| (t + lead + 1)..(t + lead + 1 + review).min(n))
            .collect();
        (!cycles.is_empty()).then_some(GridReplay { y, lead, reviews, cycles })
    }

    /// Replays the reviews ordering up to their levels, for each grid step from the
    /// top down, and calls `visit(g, short)` with the units short on each day
    /// (indexed by day, up to the last measured cycle's end) until it returns false.
    /// With `lost_sales` the shelf never goes below 0; otherwise unmet demand waits,
    /// served first from the next delivery, and a day's shortage is its demand beyond
    /// the stock on hand. Days without a record count as no demand.
    fn run(&self, lost_sales: bool, mut visit: impl FnMut(usize, &[f64]) -> bool) {
        let (y, lead, reviews) = (self.y, self.lead, &self.reviews);
        let Some(stop) = self.cycles.last().map(|c| c.end) else { return };
        let start = reviews[0].0;
        let mut short = vec![0.0; stop];
        for g in (0..GRID).rev() {
            // Stock on hand less what is owed (negative with a backlog).
            let mut net = reviews[0].1[g];
            let mut arriving: Vec<(usize, f64)> = Vec::new();
            let mut next = 1;
            for (d, short_d) in short.iter_mut().enumerate().skip(start + 1) {
                let (mut came, mut in_transit) = (0.0, 0.0);
                arriving.retain(|&(day, q)| {
                    if day == d {
                        came += q;
                        false
                    } else {
                        in_transit += q;
                        true
                    }
                });
                net += came;
                let demand = if y[d].is_nan() { 0.0 } else { y[d] };
                *short_d = (demand - net.max(0.0)).max(0.0);
                net -= demand;
                if lost_sales {
                    net = net.max(0.0);
                }
                if next < reviews.len() && reviews[next].0 == d {
                    let order = reviews[next].1[g] - net - in_transit;
                    if order > 0.0 {
                        arriving.push((d + lead + 1, order));
                    }
                    next += 1;
                }
            }
            if !visit(g, &short) {
                break;
            }
        }
    }

    /// [`errors_fill`] on this replay; `covered` also takes every grid step's units
    /// short (the lost-sales coverage values of the same replay).
    fn fill(&self, lost_sales: bool, mut covered: Option<&mut LostCoverage>) -> FillCounts {
        let y = self.y;
        let demand: f64 = self.cycles.iter().flat_map(|c| y[c.clone()].iter()).filter(|v| !v.is_nan()).sum();
        let mut short = vec![0; GRID];
        self.run(lost_sales, |g, s| {
            short[g] = milli(self.cycles.iter().map(|c| s[c.clone()].iter().sum::<f64>()).sum());
            if let Some(c) = covered.as_deref_mut() {
                c.visit(&self.cycles, g, s);
            }
            true
        });
        FillCounts { short, demand: milli(demand), cycles: self.cycles.len() as u64 }
    }
}

/// [`errors_pit`] when unmet demand is lost. A review's interval is then covered
/// unless the shelf runs empty in its cycle (from its order's arrival to the next's),
/// and stock lost in one cycle is never made up: after a stock-out the next cycle
/// starts with what the last order brings, not with a backlog to clear, so levels
/// cover more often than the backorder reading says (2–3 points at a 90% target on
/// real demand). There is no closed form, so the policy is replayed on the series'
/// own past ([`GridReplay`]): for each p of the grid every past review orders up to
/// its distribution's p-quantile, and a review's value is the middle of the grid
/// step from the highest p whose levels left its cycle short to the next (0 when
/// even the lowest covered it, 1 when none did), so that "levels read at p covered
/// it" ⇔ value < p, as [`errors_pit`]. A cycle counts as covered when less than half
/// a unit went short in it (demand rounded to whole units, as [`errors_pit`] rounds
/// it: weekly and monthly totals spread over their days fall on fractions of a
/// unit). Days without a record (stock-outs taken out) count as no demand in the
/// replay, and a cycle holding one is not measured.
pub fn errors_pit_lost_sales(y: &[f64], past: &[f64], at: &Interval) -> Option<Vec<f64>> {
    errors_coverage(y, past, at, true, false).map(|(values, _)| values)
}

/// [`errors_pit_lost_sales`]'s values as a replay visits the grid from the top down.
struct LostCoverage {
    /// The lowest grid step from which every higher one covered measured review m
    /// (GRID: none did).
    covered_from: Vec<usize>,
    /// Whether every step visited so far covered review m.
    still: Vec<bool>,
}

impl LostCoverage {
    fn new(cycles: usize) -> LostCoverage {
        LostCoverage { covered_from: vec![GRID; cycles], still: vec![true; cycles] }
    }

    /// Grid step `g`'s units short by day; false once no review is covered any more.
    fn visit(&mut self, cycles: &[std::ops::Range<usize>], g: usize, short: &[f64]) -> bool {
        for (m, c) in cycles.iter().enumerate() {
            if self.still[m] {
                // Less than half a unit lost: the demand rounded to whole units
                // was covered, as errors_pit rounds it.
                if short[c.clone()].iter().sum::<f64>() >= 0.5 {
                    self.still[m] = false;
                } else {
                    self.covered_from[m] = g;
                }
            }
        }
        self.still.iter().any(|s| *s)
    }

    fn values(self) -> Vec<f64> {
        self.covered_from
            .into_iter()
            .map(|g| match g {
                0 => 0.0,
                GRID => 1.0,
                g => 1.0 - (-(g as f64 + 0.5) * GRID_STEP).exp(),
            })
            .collect()
    }
}

/// What levels read at each probability of the grid served of the demand of a
/// series' past review cycles out of sample, for fill-rate targets
/// ([`super::coverage::Coverage::fill_probability`]). Units are counted in
/// thousandths, whole numbers, so that the sums do not depend on the order the series
/// are added in (a plan in parts is the whole plan, bit for bit), and stay exact
/// numbers in JavaScript up to 9 billion units.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FillCounts {
    /// Per grid step ([`grid_probability`]), the thousandths of a unit the measured
    /// cycles went short (empty with no cycle measured).
    pub short: Vec<u64>,
    /// The measured cycles' demand, in thousandths of a unit.
    pub demand: u64,
    /// The cycles measured.
    pub cycles: u64,
}

/// Units → whole thousandths (saturating).
fn milli(units: f64) -> u64 {
    (units * 1e3).round() as u64
}

impl FillCounts {
    pub fn merge(&mut self, other: &FillCounts) {
        if self.short.is_empty() {
            self.short = other.short.clone();
        } else if other.short.len() == self.short.len() {
            for (a, b) in self.short.iter_mut().zip(&other.short) {
                *a = a.saturating_add(*b);
            }
        }
        self.demand = self.demand.saturating_add(other.demand);
        self.cycles += other.cycles;
    }

    /// The share of the demand levels read at grid step `g` served from stock.
    pub fn served(&self, g: usize) -> f64 {
        match self.short.get(g) {
            Some(&s) if self.demand > 0 => 1.0 - s as f64 / self.demand as f64,
            _ => 0.0,
        }
    }
}

/// The `errors` method's out-of-sample fill rate on the series' own past: the policy
/// replayed at every probability of the grid as [`errors_pit_lost_sales`] replays it
/// (with `lost_sales` or backorders), and per grid step the units the measured
/// cycles went short. Pooled over an assortment's series, 1 − short / demand is the
/// share of demand that levels read at that probability served from stock, weighted
/// by units as a fill rate is. `None` as [`errors`].
pub fn errors_fill(y: &[f64], past: &[f64], at: &Interval, lost_sales: bool) -> Option<FillCounts> {
    errors_coverage(y, past, at, lost_sales, true).and_then(|(_, counts)| counts)
}

/// Rolling-origin errors of a local level over lead time + `review` (see the module
/// text). `past` holds the factor each past day was forecast with (a promotion day
/// its uplift; empty or 1 for none): the level learns from demand divided by it and
/// the error of that day is measured against level × factor, so the uplift's own
/// misses are part of the sample. The smoothing weight that forecast the window's interval totals best,
/// then `n` paths, each with a lead time drawn as the simulation draws it and a past
/// origin of the window drawn at random, total = today's level × the interval's
/// planned factors + that origin's error over the same days (never below 0). The
/// lead-time total is the same path's first `l` days. `None` when the history has
/// fewer than [`MIN_ORIGINS`] measurable origins (the caller falls back).
pub fn errors(y: &[f64], past: &[f64], at: &Interval, n: usize, rng: &mut ChaCha8Rng) -> Option<(Sample, ErrorsFit)> {
    let horizon = (at.lead + at.review).max(1.0);
    let sums = Prefix::new(y, past);
    let Best { alpha, levels: lv, origins, .. } = best_level(y, past, &sums, horizon, sample_days(at.block))?;
    let level = lv.last().copied().flatten().unwrap_or(0.0);
    let factor = |d: usize| at.factor(d);
    let mut out = Sample { totals: Vec::with_capacity(n), lead_totals: Vec::with_capacity(n) };
    for _ in 0..n {
        let l = lead_draw(at.lead, at.lead_std, rng);
        let days = l + at.review;
        // An origin whose interval fits this path's days; the window's own when the
        // drawn lead time runs past the history.
        let mut pick = None;
        for _ in 0..8 {
            let t = origins[rng.random_range(0..origins.len())];
            let lt = lv[t].unwrap_or(level);
            if let (Some(e), Some(el)) = (sums.error(t, days, lt), sums.error(t, l, lt)) {
                pick = Some((e, el));
                break;
            }
        }
        let (e, el) = pick.unwrap_or((0.0, 0.0));
        out.totals.push((level * over_days(days, factor) + e).max(0.0) * at.season_over(days));
        out.lead_totals.push((level * over_days(l, factor) + el).max(0.0) * at.season_over(l));
    }
    Some((out, ErrorsFit { alpha, level, origins: origins.len() }))
}

/// The `errors` method's distributions over lead time + review and over the lead
/// time alone: [`errors`], then a negative binomial on each sample's mean and
/// variance (Poisson when the variance does not exceed the mean). Its tail is steadier
/// than the sample's own upper quantiles, which rest on a few dozen independent
/// intervals; measured on real demand it met the targets more closely with less
/// stock (docs/benchmarks.md). `None` as [`errors`].
pub fn errors_ltd(
    y: &[f64],
    past: &[f64],
    at: &Interval,
    n: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Option<(Ltd, Ltd, ErrorsFit)>> {
    let Some((s, fit)) = errors(y, past, at, n, rng) else {
        return Ok(None);
    };
    let nb = |v: Vec<f64>| {
        let e = Ltd::empirical(v)?;
        Ltd::moments(Family::NegativeBinomial, e.mean(), e.variance())
    };
    Ok(Some((nb(s.totals)?, nb(s.lead_totals)?, fit)))
}

/// The bootstrap's distributions over lead time + review and over the lead time
/// alone: the empirical distributions of [`bootstrap`]'s paths.
pub fn bootstrap_ltd(y: &[f64], at: &Interval, n: usize, rng: &mut ChaCha8Rng) -> Result<(Ltd, Ltd)> {
    let s = bootstrap(y, at, n, rng);
    Ok((Ltd::empirical(s.totals)?, Ltd::empirical(s.lead_totals)?))
}

/// The `errors` distribution of one history and what to read from it (for the
/// bindings and anyone planning a single series by hand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorsRequest {
    /// Past demand per day, oldest first; `null` for a day not seen (a stock-out).
    pub history: Vec<Option<f64>>,
    pub lead_time_days: f64,
    #[serde(default)]
    pub lead_time_std_days: f64,
    #[serde(default)]
    pub review_period_days: f64,
    #[serde(default = "default_paths")]
    pub n_paths: usize,
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub quantiles: Vec<f64>,
    #[serde(default)]
    pub at: Vec<f64>,
    #[serde(default)]
    pub fill_rate: Option<f64>,
    /// A seasonal profile's factor for each history day (empty: none): the history
    /// is divided by it before the level and its errors are measured, as the plan
    /// does with the assortment's profile ([`super::season`]).
    #[serde(default)]
    pub profile_history: Vec<f64>,
    /// The profile's factor for each day from tomorrow (1 past the end): each path's
    /// total is multiplied by its mean over the path's days.
    #[serde(default)]
    pub profile_ahead: Vec<f64>,
}

fn default_paths() -> usize {
    1000
}

/// What [`ErrorsRequest::evaluate`] returns: the distribution's summary and what the
/// method measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorsSummary {
    #[serde(flatten)]
    pub summary: LtdSummary,
    pub smoothing_weight: f64,
    pub level: f64,
    pub origins: usize,
}

impl ErrorsRequest {
    pub fn evaluate(&self) -> Result<ErrorsSummary> {
        for (name, v) in [
            ("lead_time_days", self.lead_time_days),
            ("lead_time_std_days", self.lead_time_std_days),
            ("review_period_days", self.review_period_days),
        ] {
            if !(v.is_finite() && (0.0..=MAX_DAYS).contains(&v)) {
                return Err(Error::config(name, format!("{v} must be a number of days from 0 to {MAX_DAYS}")));
            }
        }
        if !(1..=100_000).contains(&self.n_paths) {
            return Err(Error::config("n_paths", format!("{} must be from 1 to 100000", self.n_paths)));
        }
        if let Some((d, v)) = self
            .history
            .iter()
            .enumerate()
            .find_map(|(d, v)| v.filter(|v| !(v.is_finite() && *v >= 0.0)).map(|v| (d, v)))
        {
            return Err(Error::InvalidInput(format!("history day {d}: demand {v} must be a finite number ≥ 0")));
        }
        for (name, profile) in [("profile_history", &self.profile_history), ("profile_ahead", &self.profile_ahead)] {
            if let Some((d, v)) = profile.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
                return Err(Error::config(name, format!("day {d}: factor {v} must be a finite number > 0")));
            }
        }
        if !self.profile_history.is_empty() && self.profile_history.len() != self.history.len() {
            return Err(Error::config(
                "profile_history",
                format!("has {} days, the history {}", self.profile_history.len(), self.history.len()),
            ));
        }
        let y: Vec<f64> = self
            .history
            .iter()
            .enumerate()
            .map(|(d, v)| v.map_or(f64::NAN, |v| v / self.profile_history.get(d).copied().unwrap_or(1.0)))
            .collect();
        let mut rng = <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(self.seed);
        let at = Interval {
            lead: self.lead_time_days,
            lead_std: self.lead_time_std_days,
            review: self.review_period_days,
            factors: &[],
            block: 1,
            season: &self.profile_ahead,
        };
        let Some((p, l, fit)) = errors_ltd(&y, &[], &at, self.n_paths, &mut rng)? else {
            return Err(Error::InvalidInput(format!(
                "history of {} days has fewer than {MIN_ORIGINS} past origins with lead time + review ({} days) of demand after them",
                y.len(),
                at.lead + at.review
            )));
        };
        Ok(ErrorsSummary {
            summary: super::ltd::summarize(&p, &l, &self.quantiles, &self.at, self.fill_rate)?,
            smoothing_weight: fit.alpha,
            level: fit.level,
            origins: fit.origins,
        })
    }
}

/// The longest lead time or review period [`ErrorsRequest`] takes (ten years).
const MAX_DAYS: f64 = 3650.0;

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Lead time 7 days, review 7 days, no planned factors.
    fn week2() -> Interval<'static> {
        Interval { lead: 7.0, review: 7.0, ..Interval::default() }
    }

    #[test]
    fn the_bootstrap_draws_whole_periods_of_spread_totals() {
        // Weekly totals 0 or 70, spread as 0 or 10 a day: two weeks sum to 0, 70 or 140
        // when whole weeks are drawn; independent days would spread 0..140 in steps of 10
        // around 70 with a much smaller variance.
        let y: Vec<f64> = (0..364).map(|d| if (d / 7) % 2 == 0 { 10.0 } else { 0.0 }).collect();
        let var = |s: &Sample| {
            let m = s.totals.iter().sum::<f64>() / s.totals.len() as f64;
            s.totals.iter().map(|t| (t - m).powi(2)).sum::<f64>() / s.totals.len() as f64
        };
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let days = bootstrap(&y, &week2(), 2000, &mut rng);
        let weeks = bootstrap(&y, &Interval { block: 7, ..week2() }, 2000, &mut rng);
        assert!(weeks.totals.iter().all(|t| [0.0, 70.0, 140.0].iter().any(|w| (t - w).abs() < 1e-9)));
        // Var of 2 weeks of 0/70: 2 × 35² = 2450; of 14 independent days of 0/10: 14 × 25 = 350.
        assert!((var(&weeks) / 2450.0 - 1.0).abs() < 0.15, "{}", var(&weeks));
        assert!((var(&days) / 350.0 - 1.0).abs() < 0.15, "{}", var(&days));
    }

    #[test]
    fn constant_demand_gives_its_total() {
        let y = vec![3.0; 400];
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (s, fit) = errors(&y, &[], &week2(), 100, &mut rng).unwrap();
        assert!(s.totals.iter().all(|t| (t - 42.0).abs() < 1e-9), "{:?}", &s.totals[..3]);
        assert!(s.lead_totals.iter().all(|t| (t - 21.0).abs() < 1e-9));
        assert!((fit.level - 3.0).abs() < 1e-9);
        assert!(fit.origins >= 300);
    }

    #[test]
    fn runs_of_high_weeks_widen_the_interval_beyond_independent_days() {
        // Weeks alternate at random between 1/day and 5/day: independent days
        // would put a 14-day total near 42 ± 9; whole weeks move together.
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let y: Vec<f64> = (0..60)
            .flat_map(|_| {
                let v = if rng.random_bool(0.5) { 5.0 } else { 1.0 };
                std::iter::repeat_n(v, 7)
            })
            .collect();
        let (s, _) = errors(&y, &[], &week2(), 2000, &mut rng).unwrap();
        let b = bootstrap(&y, &week2(), 2000, &mut rng);
        let q = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            v[(0.95 * v.len() as f64) as usize]
        };
        assert!(q(&s.totals) > q(&b.totals) + 5.0, "errors {} bootstrap {}", q(&s.totals), q(&b.totals));
        // Two high weeks in a row happen: the 95% level reaches about 70.
        assert!(q(&s.totals) >= 60.0, "{}", q(&s.totals));
    }

    #[test]
    fn past_coverage_is_near_its_promise_on_steady_demand_and_short_after_a_rise() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let pois = |m: f64, rng: &mut ChaCha8Rng| rand_distr::Poisson::new(m).map_or(0.0, |p| p.sample(rng));
        let share_below = |u: &[f64], p: f64| u.iter().filter(|x| **x < p).count() as f64 / u.len() as f64;
        // Pooled over 20 steady series, as the plan pools an assortment.
        let mut pooled = Vec::new();
        let mut steady = Vec::new();
        for _ in 0..20 {
            steady = (0..900).map(|_| pois(5.0, &mut rng)).collect();
            let u = errors_pit(&steady, &[], &week2()).unwrap_or_default();
            assert!(u.len() >= 40 && u.iter().all(|x| (0.0..=1.0).contains(x)), "{}", u.len());
            pooled.extend(u);
        }
        let s = share_below(&pooled, 0.9);
        assert!((0.84..=0.97).contains(&s), "{s}");
        // Demand growing through the last year (3 → 15 a day): the lagging levels
        // covered far less often.
        let mut risen_u = Vec::new();
        for _ in 0..20 {
            let risen: Vec<f64> =
                (0..900).map(|d| pois(if d < 500 { 3.0 } else { 3.0 + (d - 500) as f64 * 0.03 }, &mut rng)).collect();
            risen_u.extend(errors_pit(&risen, &[], &week2()).unwrap_or_default());
        }
        let r = share_below(&risen_u, 0.9);
        assert!(r < s - 0.05, "{r} vs {s}");
        // Too little history: no values, as `errors`.
        assert!(errors_pit(&steady[..30], &[], &week2()).is_none());
    }

    /// Lost sales: the same series measured with the policy replayed. Levels cover at
    /// least as often as with backorders (a stock-out leaves no backlog to clear),
    /// clearly more at 80% where stock-outs are frequent; a level read at p covered
    /// the cycles whose value is below p, checked by replaying one p by hand; and a
    /// rise still shows as levels that covered less.
    #[test]
    fn lost_sales_coverage_replays_the_policy() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let pois = |m: f64, rng: &mut ChaCha8Rng| rand_distr::Poisson::new(m).map_or(0.0, |p| p.sample(rng));
        let share_below = |u: &[f64], p: f64| u.iter().filter(|x| **x < p).count() as f64 / u.len() as f64;
        let (mut back, mut lost) = (Vec::new(), Vec::new());
        let mut one = Vec::new();
        for k in 0..20 {
            let y: Vec<f64> = (0..900).map(|_| pois(2.0, &mut rng)).collect();
            back.extend(errors_pit(&y, &[], &week2()).unwrap_or_default());
            let u = errors_pit_lost_sales(&y, &[], &week2()).unwrap_or_default();
            assert!(u.len() >= 40 && u.iter().all(|x| (0.0..=1.0).contains(x)), "{}", u.len());
            if k == 0 {
                one = y;
            }
            lost.extend(u);
        }
        assert_eq!(back.len(), lost.len());
        for p in [0.8, 0.9, 0.95] {
            assert!(share_below(&lost, p) >= share_below(&back, p) - 0.005, "{p}");
        }
        assert!(share_below(&lost, 0.8) > share_below(&back, 0.8) + 0.01);
        assert!((0.85..=0.99).contains(&share_below(&lost, 0.9)), "{}", share_below(&lost, 0.9));

        // By hand, for the first series at a grid probability p: replay the reviews'
        // p-quantiles with lost sales; the cycles short are the values at or above p.
        // The hand replay starts at the oldest review, 52 before the first measured;
        // the code starts LOST_CARRY before it: what came earlier has worn off.
        let at = week2();
        let Reviews { dists, first, span, .. } = past_reviews(&one, &[], &at).unwrap_or_else(|| panic!("reviews"));
        let g = 45; // p = 1 − e^(−46·0.05) ≈ 0.90
        let p = 1.0 - (-((g + 1) as f64) * GRID_STEP).exp();
        let reviews: Vec<(usize, f64)> =
            dists.iter().rev().filter_map(|(t, d)| d.as_ref().map(|(d, _, _)| (*t, d.quantile(p)))).collect();
        let (lead, review) = (at.lead as usize, at.review as usize);
        let (mut on_hand, mut pipeline): (f64, Vec<(usize, f64)>) = (reviews[0].1, Vec::new());
        let mut lost_on = vec![0.0; one.len()];
        for d in reviews[0].0 + 1..one.len() {
            on_hand += pipeline.iter().filter(|o| o.0 == d).map(|o| o.1).sum::<f64>();
            pipeline.retain(|o| o.0 != d);
            lost_on[d] = (one[d] - on_hand).max(0.0);
            on_hand = (on_hand - one[d]).max(0.0);
            if let Some(&(_, s)) = reviews.iter().find(|r| r.0 == d) {
                let q = s - on_hand - pipeline.iter().map(|o| o.1).sum::<f64>();
                if q > 0.0 {
                    pipeline.push((d + lead + 1, q));
                }
            }
        }
        let newest: Vec<usize> = dists.iter().take(PIT_REVIEWS).map(|r| r.0).filter(|&t| t >= first).collect();
        let short: Vec<bool> = reviews
            .iter()
            .filter(|r| newest.contains(&r.0) && r.0 + 1 + span <= one.len())
            .map(|r| lost_on[r.0 + lead + 1..r.0 + lead + 1 + review].iter().sum::<f64>() >= 0.5)
            .collect();
        let u = errors_pit_lost_sales(&one, &[], &at).unwrap_or_default();
        assert_eq!(short.len(), u.len());
        assert!(short.iter().any(|s| *s) && short.iter().any(|s| !*s));
        for (s, v) in short.iter().zip(&u) {
            assert_eq!(*s, *v >= p, "{v} at {p}");
        }

        // Demand growing through the last year: the lagging levels covered less.
        let mut risen_u = Vec::new();
        for _ in 0..20 {
            let risen: Vec<f64> =
                (0..900).map(|d| pois(if d < 500 { 3.0 } else { 3.0 + (d - 500) as f64 * 0.03 }, &mut rng)).collect();
            risen_u.extend(errors_pit_lost_sales(&risen, &[], &week2()).unwrap_or_default());
        }
        assert!(share_below(&risen_u, 0.9) < share_below(&lost, 0.9) - 0.05);
        assert!(errors_pit_lost_sales(&one[..30], &[], &week2()).is_none());
    }

    /// A review whose own cycle (the interval's last review days, after its order
    /// arrives) holds no demand cannot go short, whatever was owed before it: its
    /// value is 0, covered by any level, as the simulation counts a cycle without a
    /// short day. Reviews with demand in their cycle keep values above 0 where the
    /// levels missed.
    #[test]
    fn cycles_without_demand_are_covered_by_any_level() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        // Sales in one week of five: most cycles hold no demand.
        let y: Vec<f64> =
            (0..900)
                .map(|d| {
                    if (d / 7) % 5 == 0 {
                        rand_distr::Poisson::new(3.0).map_or(0.0, |p| p.sample(&mut rng))
                    } else {
                        0.0
                    }
                })
                .collect();
        let u = errors_pit(&y, &[], &week2()).unwrap_or_else(|| panic!("measured"));
        assert!(u.len() >= 40);
        // Newest first, every 7 days back from the last day whose 14-day interval is
        // seen whole (t = n − 15); the cycle is the interval's last 7 days.
        let (mut empty, mut missed) = (0, 0);
        for (m, &v) in u.iter().enumerate() {
            let t = y.len() - 15 - 7 * m;
            if y[t + 8..=t + 14].iter().sum::<f64>() == 0.0 {
                assert_eq!(v, 0.0, "review {m}");
                empty += 1;
            } else if v > 0.5 {
                missed += 1;
            }
        }
        assert!(empty >= 20 && missed >= 1, "{empty} {missed}");
    }

    /// Monthly data's errors are measured over three years, daily and weekly data's
    /// over one: a spike two years back widens a monthly series' interval, and the
    /// same days read as daily data do not see it.
    #[test]
    fn monthly_errors_span_three_years() {
        assert_eq!(sample_days(1), 364);
        assert_eq!(sample_days(7), 364);
        assert_eq!(sample_days(30), 1080);
        // Four years of months spread over their days, 1 a day; 20 a day in one month
        // two years before the end.
        let mut y = vec![1.0; 4 * 365];
        for v in &mut y[2 * 365..2 * 365 + 30] {
            *v = 20.0;
        }
        let at = |block| Interval { lead: 30.0, review: 30.0, block, ..Interval::default() };
        let sd = |block| {
            let mut rng = ChaCha8Rng::seed_from_u64(5);
            let (s, fit) = errors(&y, &[], &at(block), 2000, &mut rng).unwrap_or_else(|| panic!("measured"));
            let m = s.totals.iter().sum::<f64>() / s.totals.len() as f64;
            let v = s.totals.iter().map(|t| (t - m).powi(2)).sum::<f64>() / s.totals.len() as f64;
            (v.sqrt(), fit.origins)
        };
        let ((monthly, months_origins), (daily, days_origins)) = (sd(30), sd(1));
        assert!(months_origins > 2 * days_origins, "{months_origins} {days_origins}");
        assert!(monthly > 10.0 && daily < 1.0, "{monthly} {daily}");
    }

    /// The stock earlier levels leave is credited from the year before a review: 52
    /// weekly reviews, 13 monthly (not 52 months), never more than 52 reviews.
    #[test]
    fn earlier_levels_are_credited_from_the_year_before() {
        assert_eq!(pit_carry(7), 52);
        assert_eq!(pit_carry(30), 13);
        assert_eq!(pit_carry(91), 4);
        assert_eq!(pit_carry(1), 52);
        assert_eq!(pit_carry(0), 52);
    }

    /// The fill rate levels along the grid served of past cycles' demand: checked by
    /// replaying one grid probability by hand with backorders (unmet demand waits
    /// and is served first from the next delivery), rising with the probability,
    /// and higher with lost sales (no backlog eats the next delivery).
    #[test]
    fn fill_counts_replay_the_policy_with_backorders_and_lost_sales() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let pois = |m: f64, rng: &mut ChaCha8Rng| rand_distr::Poisson::new(m).map_or(0.0, |p| p.sample(rng));
        let y: Vec<f64> = (0..900).map(|_| pois(3.0, &mut rng)).collect();
        let at = week2();
        let back = errors_fill(&y, &[], &at, false).unwrap_or_else(|| panic!("measured"));
        let lost = errors_fill(&y, &[], &at, true).unwrap_or_else(|| panic!("measured"));
        assert_eq!(back.short.len(), GRID);
        assert!(back.cycles >= 40 && back.demand > 0 && back.cycles == lost.cycles);
        // Higher levels go short of no more.
        assert!(back.short.windows(2).all(|w| w[1] <= w[0]));
        let served = |f: &FillCounts, g: usize| f.served(g);
        assert!(served(&back, 0) < 0.7 && served(&back, GRID - 1) > 0.999);
        for g in [20, 45, 60] {
            assert!(served(&lost, g) >= served(&back, g) - 1e-9, "{g}");
        }

        // By hand at one grid probability, from LOST_CARRY reviews before the first
        // measured, with backorders.
        let Reviews { dists, first, span, .. } = past_reviews(&y, &[], &at).unwrap_or_else(|| panic!("reviews"));
        let g = 45;
        let p = grid_probability(g);
        let newest: Vec<usize> = dists.iter().take(PIT_REVIEWS).map(|r| r.0).filter(|&t| t >= first).collect();
        let oldest = *newest.last().unwrap_or_else(|| panic!("measured"));
        let reviews: Vec<(usize, f64)> = dists
            .iter()
            .rev()
            .filter(|(t, _)| *t + LOST_CARRY * 7 >= oldest)
            .filter_map(|(t, d)| d.as_ref().map(|(d, _, _)| (*t, d.quantile(p))))
            .collect();
        let (mut net, mut pipeline): (f64, Vec<(usize, f64)>) = (reviews[0].1, Vec::new());
        let mut short_on = vec![0.0; y.len()];
        for d in reviews[0].0 + 1..y.len() {
            net += pipeline.iter().filter(|o| o.0 == d).map(|o| o.1).sum::<f64>();
            pipeline.retain(|o| o.0 != d);
            short_on[d] = (y[d] - net.max(0.0)).max(0.0);
            net -= y[d];
            if let Some(&(_, s)) = reviews.iter().find(|r| r.0 == d) {
                let q = s - net - pipeline.iter().map(|o| o.1).sum::<f64>();
                if q > 0.0 {
                    pipeline.push((d + 8, q));
                }
            }
        }
        let cycles: Vec<usize> =
            reviews.iter().map(|r| r.0).filter(|t| newest.contains(t) && t + 1 + span <= y.len()).collect();
        let short: f64 = cycles.iter().map(|t| short_on[t + 8..t + 15].iter().sum::<f64>()).sum();
        let demand: f64 = cycles.iter().map(|t| y[t + 8..t + 15].iter().sum::<f64>()).sum();
        assert_eq!(cycles.len() as u64, back.cycles);
        assert!((short - back.short[g] as f64 / 1e3).abs() < 1e-3 && (demand - back.demand as f64 / 1e3).abs() < 1e-3);
        assert!(short > 0.0);

        assert!(errors_fill(&y[..30], &[], &at, false).is_none());

        // Parts merge by addition.
        let mut both = back.clone();
        both.merge(&lost);
        assert_eq!(both.cycles, back.cycles + lost.cycles);
        assert_eq!(both.short[g], back.short[g] + lost.short[g]);
        let mut empty = FillCounts::default();
        empty.merge(&back);
        assert_eq!(empty, back);
    }

    #[test]
    fn short_history_asks_for_a_fallback() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(errors(&[1.0; 20], &[], &week2(), 10, &mut rng).is_none());
    }

    #[test]
    fn planned_factors_scale_the_level_part() {
        let y = vec![2.0; 200];
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (s, _) =
            errors(&y, &[], &Interval { lead: 2.0, factors: &[3.0, 1.0], ..Interval::default() }, 10, &mut rng)
                .unwrap();
        assert!(s.totals.iter().all(|t| (t - 8.0).abs() < 1e-9));
    }

    #[test]
    fn the_season_scales_each_path_errors_and_all() {
        // Noisy history: the same draws with and without a season of 1.5 then 0.5.
        let y: Vec<f64> = (0..400).map(|d| 2.0 + ((d * 7) % 5) as f64).collect();
        let at = Interval { lead: 2.0, review: 2.0, ..Interval::default() };
        let season = [1.5, 1.5, 0.5, 0.5];
        let plain = errors(&y, &[], &at, 50, &mut ChaCha8Rng::seed_from_u64(4)).unwrap().0;
        let seasonal =
            errors(&y, &[], &Interval { season: &season, ..at }, 50, &mut ChaCha8Rng::seed_from_u64(4)).unwrap().0;
        for (a, b) in plain.totals.iter().zip(&seasonal.totals) {
            assert!((a - b).abs() < 1e-9, "mean of 1.5, 1.5, 0.5, 0.5 is 1: {a} {b}");
        }
        // Over the lead time alone (the first two days) the season is 1.5.
        for (a, b) in plain.lead_totals.iter().zip(&seasonal.lead_totals) {
            assert!((1.5 * a - b).abs() < 1e-9, "{a} {b}");
        }
    }
}

#[cfg(test)]
mod request_tests {
    use super::*;

    #[test]
    fn request_reads_levels_and_rejects_bad_input() {
        let history: Vec<Option<f64>> = (0..200).map(|d| Some(f64::from(d % 3))).collect();
        let r = ErrorsRequest {
            history: history.clone(),
            lead_time_days: 5.0,
            lead_time_std_days: 1.0,
            review_period_days: 7.0,
            n_paths: 500,
            seed: 1,
            quantiles: vec![0.5, 0.95],
            at: vec![12.0],
            fill_rate: Some(0.95),
            profile_history: vec![],
            profile_ahead: vec![],
        };
        let out = r.evaluate().unwrap();
        assert!((out.summary.mean - 12.0).abs() < 1.5, "{}", out.summary.mean);
        assert!(out.summary.quantiles[1] > out.summary.quantiles[0]);
        assert!(out.origins > 100 && out.level > 0.5);
        assert_eq!(r.evaluate().unwrap(), out, "seeded: the same answer twice");
        let bad = ErrorsRequest { lead_time_days: f64::NAN, ..r.clone() };
        assert!(matches!(bad.evaluate(), Err(Error::Config { field, .. }) if field == "lead_time_days"));
        let neg = ErrorsRequest { history: vec![Some(-1.0); 50], ..r.clone() };
        assert!(matches!(neg.evaluate(), Err(Error::InvalidInput(m)) if m.contains("day 0")));
        // A profile: the history read as 2 × its days' factor of 1, twice as busy ahead.
        let seasonal = ErrorsRequest { profile_history: vec![0.5; 200], profile_ahead: vec![2.0; 60], ..r.clone() };
        let busy = seasonal.evaluate().unwrap();
        assert!(
            (busy.level - 2.0 * out.level).abs() < 1e-9 && (busy.summary.mean - 4.0 * out.summary.mean).abs() < 2.0
        );
        let wrong = ErrorsRequest { profile_history: vec![1.0; 3], ..r.clone() };
        assert!(matches!(wrong.evaluate(), Err(Error::Config { field, .. }) if field == "profile_history"));
        let zero = ErrorsRequest { profile_ahead: vec![0.0], ..r.clone() };
        assert!(matches!(zero.evaluate(), Err(Error::Config { field, .. }) if field == "profile_ahead"));
        let short = ErrorsRequest { history: vec![Some(1.0); 5], ..r };
        assert!(matches!(short.evaluate(), Err(Error::InvalidInput(m)) if m.contains("fewer than 26 past origins")));
    }
}
