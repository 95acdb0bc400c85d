//! Cycle-service targets corrected by the coverage the assortment's levels achieved
//! out of sample on its own recent past.
//!
//! The `errors` method's distribution is built from a year of the series' own
//! forecast misses, so it is calibrated to that year in sample. Out of sample the
//! levels cover less where demand grows or its misses widen (an online wholesaler's
//! items, a weekly chain's stores: 4–5 points short at every target) and more where
//! stock bought for an old level still sits on the shelf (monthly spare parts: 5
//! points over at 90%). [`super::resample::errors_pit`] measures, at each past review
//! of the window, the level the method would have set then against the demand that
//! followed, as the value u with "the level read at probability p covered it" ⇔
//! u < p. Pooled over the assortment's series of one demand class, the share of u
//! below p is the service those levels delivered; the probability the plan reads its
//! level at is the smallest p′ whose share reaches the target ([`Coverage::probability`]).
//! That is the recalibration of Kuleshov, Fenner & Ermon (2018, "Accurate uncertainties
//! for deep learning using calibrated regression"), applied to the policy's own event.
//!
//! The values are counted in bins of −ln(1 − u) (width [`BIN`]), so the counts stay
//! small whatever the assortment's size, merge by addition across the parts of a split
//! plan, and resolve p′ finely near 1, where the targets are.

use super::resample::{grid_probability, FillCounts, GRID};
use super::standard_normal_quantile;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Width of a bin on the −ln(1 − u) scale: neighbouring bin edges differ by 1% in 1 − u.
pub const BIN: f64 = 0.01;

/// The fewest values a pool needs beyond the target's quantile before it reads the
/// target's p′ directly (n·(1 − p) ≥ this): a 98% target's p′ then rests on at least
/// ten of the largest misses, a 90% target's on at least ten too. A class with fewer
/// uses the pool of every class; with fewer there too, the shift measured at the
/// highest level the pool does hold carries on ([`Coverage::probability`]).
pub const MIN_TAIL: f64 = 10.0;

/// Highest bin: u within 1e-12 of 1.
const TOP: u32 = (27.631_021_115_928_547 / BIN) as u32;

/// Counts of out-of-sample coverage values by bin.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Bin index → values in it (bins without values left out).
    pub bins: BTreeMap<u32, u64>,
}

fn bin_of(u: f64) -> u32 {
    let u = u.clamp(0.0, 1.0);
    let t = -(1.0 - u).ln() / BIN;
    if t.is_finite() {
        (t.floor().max(0.0) as u32).min(TOP)
    } else {
        TOP
    }
}

/// The upper edge of bin `b` on the u scale: every value counted in it is below it.
fn upper_edge(b: u32) -> f64 {
    1.0 - (-(f64::from(b) + 1.0) * BIN).exp()
}

impl Counts {
    pub fn add(&mut self, u: f64) {
        if !u.is_nan() {
            *self.bins.entry(bin_of(u)).or_default() += 1;
        }
    }

    pub fn merge(&mut self, other: &Counts) {
        for (b, n) in &other.bins {
            *self.bins.entry(*b).or_default() += n;
        }
    }

    pub fn total(&self) -> u64 {
        self.bins.values().sum()
    }

    /// The share of the values below `u`: the bins wholly below it, and the part of
    /// the bin holding it that lies below it on the −ln(1 − u) scale.
    fn share_below(&self, u: f64) -> f64 {
        let n = self.total();
        if n == 0 || u.is_nan() {
            return 0.0;
        }
        let u = u.clamp(0.0, 1.0);
        let t = -(1.0 - u).ln() / BIN;
        let at = bin_of(u);
        let mut below = 0.0;
        for (&b, &k) in &self.bins {
            if b < at {
                below += k as f64;
            } else if b == at && t.is_finite() {
                below += k as f64 * (t - f64::from(b)).clamp(0.0, 1.0);
            } else {
                break;
            }
        }
        below / n as f64
    }

    /// The smallest bin edge p′ with at least a share `p` of the values below it,
    /// and that share.
    fn probability(&self, p: f64) -> Option<(f64, f64)> {
        let n = self.total();
        if n == 0 || !(p > 0.0 && p < 1.0) {
            return None;
        }
        let need = ((p * n as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (b, k) in &self.bins {
            seen += k;
            if seen >= need {
                return Some((upper_edge(*b), seen as f64 / n as f64));
            }
        }
        self.bins.keys().next_back().map(|b| (upper_edge(*b), 1.0))
    }
}

/// The pools of out-of-sample coverage values by demand class.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// Demand class (`smooth`, `intermittent`, ...) → its values.
    pub classes: BTreeMap<String, Counts>,
    /// Demand class → what levels read along the grid served of its past cycles'
    /// demand (lines with a fill-rate target only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fill: BTreeMap<String, FillCounts>,
}

/// The class's own pool where it is `enough` (borrowed: this runs for every line),
/// else every class's summed, and whether it is the own one.
fn own_or_every<'a, T: Clone + Default>(
    pools: &'a BTreeMap<String, T>,
    class: &str,
    enough: impl Fn(&T) -> bool,
    merge: impl Fn(&mut T, &T),
) -> (Cow<'a, T>, bool) {
    match pools.get(class).filter(|c| enough(c)) {
        Some(c) => (Cow::Borrowed(c), true),
        None => {
            let mut sum = T::default();
            for c in pools.values() {
                merge(&mut sum, c);
            }
            (Cow::Owned(sum), false)
        }
    }
}

/// What [`Coverage::fill_probability`] chose, for the plan line's explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorrectedFill {
    /// The probability the level is read at.
    pub probability: f64,
    /// The share of the pool's demand levels read there served from stock.
    pub expected: f64,
    /// Cycles in the pool it came from.
    pub cycles: u64,
    /// Whether the pool is the class's own (else every class's).
    pub own_class: bool,
}

/// What [`Coverage::probability`] chose, for the plan line's explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Corrected {
    /// The probability the level is read at.
    pub probability: f64,
    /// Values in the pool it came from.
    pub values: u64,
    /// Whether the pool is the class's own (else every class's).
    pub own_class: bool,
    /// The share of the pool's intervals that levels read at the target itself
    /// covered (bins wholly below it).
    pub covered_at_target: f64,
    /// With a pool too thin for the target: the level p_s whose shift was carried on.
    pub extrapolated_from: Option<f64>,
    /// The service levels read at `probability` are expected to give: the pool's
    /// share below it (at or above the target, above it where the values step past
    /// it), or the target itself where the shift was carried on.
    pub expected: f64,
}

/// A pool's values as a distribution of u, for reading a line's whole distribution
/// as the pool says it fell out of sample ([`Coverage::recalibration`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Recalibration {
    /// (u, share of the pool): the values grouped by [`GROUP`] on the −ln(1 − u)
    /// scale, each group at its values' mean there; increasing u, shares summing to 1.
    pub points: Vec<(f64, f64)>,
    /// Values in the pool.
    pub values: u64,
    /// Whether the pool is the class's own (else every class's).
    pub own_class: bool,
}

/// Width of a [`Recalibration`] group on the −ln(1 − u) scale (ten bins): fine
/// enough that a line's levels move by a small part of a unit, coarse enough that a
/// line reads tens of quantiles, not thousands.
pub const GROUP: f64 = 0.1;

impl Coverage {
    pub fn add(&mut self, class: &str, values: &[f64]) {
        let c = self.classes.entry(class.to_string()).or_default();
        for &u in values {
            c.add(u);
        }
    }

    pub fn merge(&mut self, other: &Coverage) {
        for (class, c) in &other.classes {
            self.classes.entry(class.clone()).or_default().merge(c);
        }
        for (class, f) in &other.fill {
            self.fill.entry(class.clone()).or_default().merge(f);
        }
    }

    pub fn add_fill(&mut self, class: &str, fill: &FillCounts) {
        self.fill.entry(class.to_string()).or_default().merge(fill);
    }

    /// The probability to read a line's level at for fill rate `target`: the lowest
    /// grid probability whose levels served at least that share of the pool's past
    /// demand out of sample ([`super::resample::errors_fill`]), from the class's own
    /// pool when it holds enough cycles ([`MIN_TAIL`] beyond the target, as
    /// [`Coverage::probability`]), else from every class's. The top of the grid where
    /// none did. `None` with too few cycles even in every class's pool, or no demand.
    pub fn fill_probability(&self, class: &str, target: f64) -> Option<CorrectedFill> {
        if !(target > 0.0 && target < 1.0) {
            return None;
        }
        let enough = |f: &FillCounts| f.cycles as f64 * (1.0 - target) >= MIN_TAIL && f.demand > 0;
        let (pool, own_class) = own_or_every(&self.fill, class, enough, FillCounts::merge);
        if !enough(&pool) || pool.short.len() != GRID {
            return None;
        }
        let g = (0..GRID).find(|&g| pool.served(g) >= target).unwrap_or(GRID - 1);
        Some(CorrectedFill {
            probability: grid_probability(g),
            expected: pool.served(g),
            cycles: pool.cycles,
            own_class,
        })
    }

    /// The pool for a line of `class` with target `target`: the class's own when it
    /// holds enough values beyond the target ([`MIN_TAIL`]), else every class's.
    fn pool(&self, class: &str, target: f64) -> (Cow<'_, Counts>, bool) {
        let enough = |c: &Counts| c.total() as f64 * (1.0 - target) >= MIN_TAIL;
        own_or_every(&self.classes, class, enough, Counts::merge)
    }

    /// The pool's values as a distribution of u for a fill-rate target `target`
    /// (the pool as [`Coverage::probability`] picks it). `None` when even every
    /// class's pool holds fewer than [`MIN_TAIL`] values beyond the target: a fill
    /// rate rests on the sizes of the largest misses, which such a pool hardly holds.
    pub fn recalibration(&self, class: &str, target: f64) -> Option<Recalibration> {
        if !(target > 0.0 && target < 1.0) {
            return None;
        }
        let (pool, own_class) = self.pool(class, target);
        let values = pool.total();
        if (values as f64) * (1.0 - target) < MIN_TAIL {
            return None;
        }
        let per_group = (GROUP / BIN).round() as u32;
        // (group, Σ count·t, Σ count); bin 0 alone as group 0.
        let mut groups: Vec<(u32, f64, u64)> = Vec::new();
        for (&b, &k) in &pool.bins {
            let g = if b == 0 { 0 } else { 1 + (b - 1) / per_group };
            let t = if b == 0 { 0.0 } else { (f64::from(b) + 0.5) * BIN };
            match groups.last_mut() {
                Some(last) if last.0 == g => {
                    last.1 += t * k as f64;
                    last.2 += k;
                }
                _ => groups.push((g, t * k as f64, k)),
            }
        }
        let points =
            groups.into_iter().map(|(_, tk, k)| (1.0 - (-tk / k as f64).exp(), k as f64 / values as f64)).collect();
        Some(Recalibration { points, values, own_class })
    }

    /// The probability to read a line's level at for cycle service `target`: from the
    /// class's own pool when it holds enough values ([`MIN_TAIL`]), else from every
    /// class's. When even every class's pool is too thin for the target but holds
    /// enough for a level p_s = 1 − [`MIN_TAIL`]/n of at least 1/2, the shift it
    /// measures there carries on in normal scores: Φ⁻¹(p′) = Φ⁻¹(target) +
    /// Φ⁻¹(p′_s) − Φ⁻¹(p_s). `None` (read at the target) with fewer values than that.
    pub fn probability(&self, class: &str, target: f64) -> Option<Corrected> {
        if !(target > 0.0 && target < 1.0) {
            return None;
        }
        let enough = |c: &Counts| c.total() as f64 * (1.0 - target) >= MIN_TAIL;
        let (pool, own_class) = self.pool(class, target);
        let values = pool.total();
        let below: u64 = pool.bins.iter().filter(|(b, _)| upper_edge(**b) <= target).map(|(_, k)| k).sum();
        let covered_at_target = below as f64 / values.max(1) as f64;
        if enough(&pool) {
            return pool.probability(target).map(|(probability, expected)| Corrected {
                probability,
                values,
                own_class,
                covered_at_target,
                extrapolated_from: None,
                expected,
            });
        }
        let p_s = 1.0 - MIN_TAIL / values as f64;
        if p_s < 0.5 {
            return None;
        }
        let at_s = pool.probability(p_s)?.0.min(1.0 - 1e-12);
        let z = standard_normal_quantile(target) + standard_normal_quantile(at_s) - standard_normal_quantile(p_s);
        let probability = Normal::standard().cdf(z).clamp(1e-6, 1.0 - 1e-12);
        Some(Corrected {
            probability,
            values,
            own_class,
            covered_at_target,
            extrapolated_from: Some(p_s),
            expected: target,
        })
    }

    /// The share of a class's past intervals that levels read at probability `u`
    /// covered, from the class's own pool when it holds at least [`MIN_TAIL`] values
    /// beyond `u`, else every class's. `None` with fewer there too.
    pub fn covered(&self, class: &str, u: f64) -> Option<f64> {
        if !(u > 0.0 && u < 1.0) {
            return None;
        }
        let (pool, _) = self.pool(class, u);
        (pool.total() as f64 * (1.0 - u) >= MIN_TAIL).then(|| pool.share_below(u))
    }

    /// The cycle service levels read at probability `u` are expected to give, for a
    /// line of `class` with target `target`: the share of the pool's intervals
    /// ([`Coverage::probability`]'s pool) that levels read at `u` covered. Where the
    /// pool is too thin for the target and its shift is carried on in normal scores,
    /// the same shift read backwards. `None` where [`Coverage::probability`] corrects
    /// nothing (the distribution's own `u` then).
    ///
    /// At the probability the target is read at, this is at or above the target: by
    /// more where the pool's values sit on a few whole units, so that no probability
    /// gives the target itself.
    pub fn expected(&self, class: &str, target: f64, u: f64) -> Option<f64> {
        let c = self.probability(class, target)?;
        let (pool, _) = self.pool(class, target);
        match c.extrapolated_from {
            None => Some(pool.share_below(u)),
            Some(p_s) => {
                let at_s = pool.probability(p_s)?.0.min(1.0 - 1e-12);
                let z = standard_normal_quantile(u.clamp(1e-12, 1.0 - 1e-12)) - standard_normal_quantile(at_s)
                    + standard_normal_quantile(p_s);
                Some(Normal::standard().cdf(z))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_values_leave_the_target_and_short_ones_raise_it() {
        // Calibrated: u uniform on (0, 1) → p′ ≈ p (within a bin).
        let mut c = Coverage::default();
        let uniform: Vec<f64> = (0..10_000).map(|i| (i as f64 + 0.5) / 10_000.0).collect();
        c.add("smooth", &uniform);
        for p in [0.9, 0.95, 0.98] {
            let got = c.probability("smooth", p).unwrap();
            assert!((got.probability - p).abs() < (1.0 - p) * 0.011, "{p} → {got:?}");
            assert!(got.own_class && got.values == 10_000);
            // Every value counted below p′ is below it: the share reaches p.
            let share = uniform.iter().filter(|u| **u < got.probability).count() as f64 / 1e4;
            assert!(share >= p, "{share}");
        }
        // Levels that covered less often (u skewed to 1): p′ above the target.
        let mut short = Coverage::default();
        short.add("erratic", &uniform.iter().map(|u| u.sqrt()).collect::<Vec<_>>());
        let p = short.probability("erratic", 0.9).unwrap().probability;
        assert!((p - 0.9f64.sqrt()).abs() < 0.01, "{p}");
        // Levels that covered more often (u skewed to 0): below it.
        let mut over = Coverage::default();
        over.add("lumpy", &uniform.iter().map(|u| u * u).collect::<Vec<_>>());
        let p = over.probability("lumpy", 0.9).unwrap().probability;
        assert!((p - 0.81).abs() < 0.01, "{p}");
    }

    #[test]
    fn the_service_a_level_is_expected_to_give_is_the_pools_share_below_it() {
        let uniform: Vec<f64> = (0..10_000).map(|i| (i as f64 + 0.5) / 10_000.0).collect();
        let mut c = Coverage::default();
        // Levels covered less often than their probability: u = √v, so a level at
        // probability u covers u² of the intervals.
        c.add("erratic", &uniform.iter().map(|u| u.sqrt()).collect::<Vec<_>>());
        for u in [0.5, 0.9, 0.95, 0.99] {
            let e = c.expected("erratic", 0.9, u).unwrap();
            assert!((e - u * u).abs() < 0.004, "{u} → {e}");
        }
        // The level read at p′ gives the target; a whole level above it, more.
        let p = c.probability("erratic", 0.95).unwrap().probability;
        assert!(c.expected("erratic", 0.95, p).unwrap() >= 0.95 - 1e-9);
        assert!(c.expected("erratic", 0.95, 0.995).unwrap() > 0.98);
        // Nothing corrected, nothing expected by the pool.
        assert_eq!(Coverage::default().expected("erratic", 0.95, 0.97), None);
        // A pool too thin for the target: the carried shift read backwards, so the
        // level read at p′ is expected to give the target.
        let mut thin = Coverage::default();
        thin.add("lumpy", &uniform.iter().step_by(20).map(|u| u.sqrt()).collect::<Vec<_>>());
        let far = thin.probability("lumpy", 0.99).unwrap();
        assert!(far.extrapolated_from.is_some());
        let e = thin.expected("lumpy", 0.99, far.probability).unwrap();
        assert!((e - 0.99).abs() < 1e-6, "{e}");
        // The share covered at a probability (a fill-rate line's): the pool's share
        // below it, where it holds ten values beyond it.
        for u in [0.5, 0.9, 0.99] {
            assert!((c.covered("erratic", u).unwrap() - u * u).abs() < 0.004, "{u}");
        }
        assert!(thin.covered("lumpy", 0.9).is_some() && thin.covered("lumpy", 0.99).is_none());
        assert_eq!(c.covered("erratic", 1.0), None);
    }

    #[test]
    fn small_classes_use_every_class_and_small_pools_correct_nothing() {
        let mut c = Coverage::default();
        c.add("lumpy", &[0.5; 19]);
        assert_eq!(c.probability("lumpy", 0.9), None);
        c.add("smooth", &vec![0.99; 600]);
        let got = c.probability("lumpy", 0.9).unwrap();
        assert!(!got.own_class && got.values == 619 && got.extrapolated_from.is_none());
        assert!(got.probability > 0.99 && got.probability < 0.9901, "{got:?}");
        // 619 values hold 12 beyond a 98% quantile, not 10 beyond 99%: there the shift
        // measured at p_s = 1 − 10/619 carries on in normal scores.
        assert!(c.probability("lumpy", 0.98).is_some_and(|g| g.extrapolated_from.is_none()));
        let far = c.probability("lumpy", 0.99).unwrap();
        let p_s = 1.0 - 10.0 / 619.0;
        assert_eq!(far.extrapolated_from, Some(p_s));
        let at_s = c.probability("lumpy", p_s).unwrap().probability;
        let z = standard_normal_quantile;
        assert!((z(far.probability) - z(0.99) - (z(at_s) - z(p_s))).abs() < 1e-6, "{far:?}");
        assert_eq!(c.probability("lumpy", 1.0), None);
    }

    #[test]
    fn recalibration_groups_the_pool_in_order_and_needs_a_tail() {
        let mut c = Coverage::default();
        let uniform: Vec<f64> = (0..10_000).map(|i| (i as f64 + 0.5) / 10_000.0).collect();
        c.add("smooth", &uniform);
        c.add("lumpy", &[0.0; 5]);
        let r = c.recalibration("smooth", 0.95).unwrap();
        assert!(r.own_class && r.values == 10_000);
        assert!((r.points.iter().map(|p| p.1).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(r.points.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", r.points);
        // Uniform values: a group's share is the width of its span of u (bin 0 alone,
        // then ten bins per group), and its point lies inside the span.
        let (u1, w1) = r.points[1];
        let span = (-(BIN)).exp() - (-(BIN + GROUP)).exp();
        assert!(
            (w1 - span).abs() < 2e-4 && u1 > 1.0 - (-BIN).exp() && u1 < 1.0 - (-(BIN + GROUP)).exp(),
            "{:?}",
            r.points[1]
        );
        // A thin class borrows every class's pool; too thin everywhere, none.
        assert!(!c.recalibration("lumpy", 0.95).unwrap().own_class);
        let mut thin = Coverage::default();
        thin.add("smooth", &uniform[..150]);
        assert!(thin.recalibration("smooth", 0.95).is_none() && thin.recalibration("smooth", 0.9).is_some());
        assert!(c.recalibration("smooth", 1.0).is_none());
    }

    #[test]
    fn parts_merge_to_the_whole() {
        let values: Vec<f64> = (0..2000).map(|i| ((i * 7919) % 2000) as f64 / 2000.0).collect();
        let mut whole = Coverage::default();
        whole.add("smooth", &values);
        let (mut a, mut b) = (Coverage::default(), Coverage::default());
        a.add("smooth", &values[..700]);
        b.add("smooth", &values[700..]);
        a.merge(&b);
        assert_eq!(a, whole);
        // Extremes land in the first and last bins; NaN is not counted.
        let mut e = Counts::default();
        for u in [0.0, 1.0, -1.0, 2.0, f64::NAN] {
            e.add(u);
        }
        assert_eq!(e.total(), 4);
        assert_eq!(e.bins.keys().copied().collect::<Vec<_>>(), vec![0, TOP]);
    }

    /// A class's pool whose short units fall as 1 − p along the grid: the lowest grid
    /// probability whose levels served the target is read, from the class's own pool
    /// when it holds enough cycles, else every class's; too few anywhere reads nothing;
    /// a target no probability reaches reads the top of the grid; parts merge.
    #[test]
    fn fill_rate_targets_read_the_lowest_probability_that_served_them() {
        let pool = |cycles: u64, scale: f64| FillCounts {
            short: (0..GRID).map(|g| ((1.0 - grid_probability(g)) * scale * 1e3).round() as u64).collect(),
            demand: 100_000,
            cycles,
        };
        let mut c = Coverage::default();
        c.add_fill("smooth", &pool(1000, 20.0));
        // served(g) = 1 − 0.2·(1 − p_g) ≥ 0.95 ⇔ 1 − p_g ≤ 0.25.
        let f = c.fill_probability("smooth", 0.95).unwrap_or_else(|| panic!("a pool"));
        assert!(f.own_class && f.cycles == 1000);
        assert!(1.0 - f.probability <= 0.25 + 1e-9 && f.expected >= 0.95, "{f:?}");
        let g = (0..GRID).find(|&g| (grid_probability(g) - f.probability).abs() < 1e-12).unwrap_or(GRID);
        assert!(g > 0 && 1.0 - 0.2 * (1.0 - grid_probability(g - 1)) < 0.95);
        // 100 cycles are too few for 95% (5 beyond it): every class's pool.
        c.add_fill("lumpy", &pool(100, 20.0));
        let l = c.fill_probability("lumpy", 0.95).unwrap_or_else(|| panic!("every class"));
        assert!(!l.own_class && l.cycles == 1100);
        let mut thin = Coverage::default();
        thin.add_fill("lumpy", &pool(100, 20.0));
        assert!(thin.fill_probability("lumpy", 0.95).is_none() && thin.fill_probability("lumpy", 0.8).is_some());
        assert!(c.fill_probability("smooth", 1.0).is_none());
        // Short of the target everywhere: the top of the grid, and what it served.
        let mut bad = Coverage::default();
        bad.add_fill("smooth", &FillCounts { short: vec![50; GRID], demand: 100, cycles: 1000 });
        let b = bad.fill_probability("smooth", 0.9).unwrap_or_else(|| panic!("the top"));
        assert!((b.probability - grid_probability(GRID - 1)).abs() < 1e-12 && (b.expected - 0.5).abs() < 1e-12);
        // Merged parts: the sums.
        let mut a = Coverage::default();
        a.add_fill("smooth", &pool(400, 20.0));
        let mut d = Coverage::default();
        d.add_fill("smooth", &pool(600, 20.0));
        a.merge(&d);
        assert_eq!(a.fill["smooth"].cycles, 1000);
        assert_eq!(a.fill["smooth"].demand, 200_000);
        // A stats file without fill pools still reads (the field is optional).
        let json = serde_json::to_string(&Coverage::default()).unwrap_or_default();
        assert!(!json.contains("fill"));
        let back: Coverage = serde_json::from_str(r#"{"classes":{}}"#).unwrap_or_default();
        assert!(back.fill.is_empty());
    }
}
