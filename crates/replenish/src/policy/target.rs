//! The service target → the protection level: how much of the demand over lead
//! time + review a line protects against, for each kind of target, and the words
//! that say why. The planner gives the distributions ([`super::ltd`],
//! [`super::resample`]) and the line's costs; safety-stock floors, caps and the
//! reorder point / order-up-to level of each policy are applied on top of this.

use super::coverage::{Corrected, CorrectedFill, Coverage, Recalibration};
use super::fmt_qty;
use super::lost_sales::{self, LostSales};
use super::ltd::{self, Ltd};
use crate::error::Result;
use rand_chacha::ChaCha8Rng;

/// A line's target, resolved from its rules and item data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target<'a> {
    /// The newsvendor's critical fractile (price − cost) / price.
    Newsvendor { price: f64, unit_cost: f64 },
    /// Probability of no stock-out over lead time + review.
    CycleService(f64),
    /// A cycle-service target whose level is read at the probability the
    /// assortment's out-of-sample coverage calls for ([`super::coverage`]).
    CorrectedCycleService { target: f64, corrected: Corrected },
    /// Share of demand served from stock.
    FillRate(f64),
    /// A fill-rate target met on the line's distribution read as the assortment's
    /// out-of-sample coverage values fell ([`super::coverage::Coverage::recalibration`]).
    CorrectedFillRate { target: f64, recalibration: &'a Recalibration },
    /// A fill-rate target of an order-up-to policy, read at the probability whose
    /// levels served that share of the assortment's past demand when the policy was
    /// replayed on it ([`super::coverage::Coverage::fill_probability`]).
    ReplayedFillRate { target: f64, corrected: CorrectedFill, lost_sales: bool },
    /// Least holding + shortage cost: `shortage_cost` per unit short, backordered
    /// or lost. With lost sales and `coverage` (the assortment's out-of-sample
    /// coverage and the line's demand class), the cycle service the least-cost level
    /// gives in the simulation is delivered as that coverage measured it.
    MinCost { shortage_cost: f64, lost_sales: bool, coverage: Option<(&'a Coverage, &'a str)> },
}

impl Target<'_> {
    /// The newsvendor target of an item sold at `price` and bought at `unit_cost`,
    /// when the price exceeds a positive cost (otherwise no fractile is defined).
    pub fn newsvendor(price: Option<f64>, unit_cost: f64) -> Option<Target<'static>> {
        match price {
            Some(p) if p > unit_cost && unit_cost > 0.0 => Some(Target::Newsvendor { price: p, unit_cost }),
            _ => None,
        }
    }
}

/// What the protection level depends on besides the target.
#[derive(Debug, Clone, Copy)]
pub struct Protect<'a> {
    /// Demand over lead time + review.
    pub interval: &'a Ltd,
    /// Demand over the lead time alone.
    pub lead: &'a Ltd,
    /// The policy orders up to a level at every review (`r_s`, `base_stock`,
    /// `newsvendor`); otherwise it orders `cycle_quantity` when at or below s.
    pub order_up_to: bool,
    pub cycle_quantity: f64,
    /// Mean demand per day.
    pub mean_daily: f64,
    pub review_days: f64,
    pub lead_days: f64,
    /// Holding cost per unit and year (holding rate × unit cost).
    pub holding_per_unit_year: f64,
}

/// The protection level, the cycle service it gives, and the target in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Protection {
    pub level: f64,
    pub service_level: f64,
    pub text: String,
}

/// The level of [`Protect::interval`] demand that meets `target`:
///
/// - newsvendor: the (price − cost) / price quantile (at most 99.99%);
/// - cycle service: its quantile;
/// - fill rate: the level whose expected shortage per cycle is (1 − β) of a cycle's
///   demand ([`ltd::order_up_to_for_fill_rate`], [`ltd::reorder_point_for_fill_rate`]);
/// - min cost with backorders or a reorder-point policy: the critical ratio
///   ([`ltd::cost_optimal_service_level`]) of holding a unit one more cycle against
///   the shortage cost, floored at 50%;
/// - min cost with lost sales and an order-up-to policy: the level with the least
///   simulated cost ([`lost_sales::order_up_to`], drawing from `rng`).
pub fn protection_level(target: Target<'_>, p: &Protect, rng: &mut ChaCha8Rng) -> Result<Protection> {
    let interval = p.interval;
    Ok(match target {
        Target::Newsvendor { price, unit_cost } => {
            let service_level = ((price - unit_cost) / price).min(0.9999);
            Protection {
                level: interval.quantile(service_level),
                service_level,
                text: format!(
                    "critical fractile {:.1}% = (price {} − cost {}) / price",
                    service_level * 100.0,
                    fmt_qty(price),
                    fmt_qty(unit_cost)
                ),
            }
        }
        Target::CycleService(service_level) => Protection {
            level: interval.quantile(service_level),
            service_level,
            text: format!("{}% cycle service", service_level * 100.0),
        },
        Target::CorrectedCycleService { target, corrected: c } => Protection {
            level: interval.quantile(c.probability),
            service_level: target,
            text: format!(
                "{}% cycle service, read at the {:.2}% quantile: levels read at {}% covered {:.1}% of {} past review intervals of {} out of sample{}",
                target * 100.0,
                c.probability * 100.0,
                target * 100.0,
                c.covered_at_target * 100.0,
                c.values,
                if c.own_class { "this demand class" } else { "every demand class" },
                c.extrapolated_from.map_or(String::new(), |p| format!(
                    " (too few to read {}% directly: the shift measured at {:.2}% carried on)",
                    target * 100.0,
                    p * 100.0
                ))
            ),
        },
        Target::FillRate(fill_rate) => {
            let level = if p.order_up_to {
                ltd::order_up_to_for_fill_rate(interval, p.lead, fill_rate)
            } else {
                ltd::reorder_point_for_fill_rate(interval, p.cycle_quantity.max(1.0), fill_rate)
            };
            let service_level = interval.cdf(level).clamp(0.0, 1.0);
            Protection {
                level,
                service_level,
                text: format!("{}% fill rate (cycle service {:.1}%)", fill_rate * 100.0, service_level * 100.0),
            }
        }
        Target::ReplayedFillRate { target: beta, corrected: c, lost_sales } => {
            let level = interval.quantile(c.probability);
            let service_level = interval.cdf(level).clamp(0.0, 1.0);
            Protection {
                level,
                service_level,
                text: format!(
                    "{}% fill rate, read at the {:.2}% quantile: levels read there served {:.1}% of the demand of {} past review cycles of {} out of sample, the policy replayed with {}{} (cycle service {:.1}%)",
                    beta * 100.0,
                    c.probability * 100.0,
                    c.expected * 100.0,
                    c.cycles,
                    if c.own_class { "this demand class" } else { "every demand class" },
                    if lost_sales { "lost sales" } else { "backorders" },
                    if c.expected < beta { "; no higher level of the grid served more, so the fill rate is likely short" } else { "" },
                    service_level * 100.0
                ),
            }
        }
        Target::CorrectedFillRate { target: beta, recalibration: r } => {
            // The line's interval and lead-time distributions as the pool's values
            // fell (the same u for both: their quantiles move together).
            let (xs, ls) = (Reread::new(interval, r), Reread::new(p.lead, r));
            let top = xs.body.iter().map(|x| x.0).fold(xs.q, f64::max) + interval.variance().sqrt() * 10.0 + 1.0;
            let level = if p.order_up_to {
                let per_review = (xs.mean() - ls.mean()).max(0.0);
                ltd::solve_decreasing(&|s| xs.loss(s) - ls.loss(s), (1.0 - beta) * per_review, 0.0, top)
            } else {
                let q = p.cycle_quantity.max(1.0);
                ltd::solve_decreasing(&|s| xs.loss(s) - xs.loss(s + q), (1.0 - beta) * q, 0.0, top)
            };
            let service_level = xs.cdf(level);
            Protection {
                level,
                service_level,
                text: format!(
                    "{}% fill rate on demand distributed as {} past review intervals of {} fell out of sample (cycle service {:.1}%; {:.1}% on the model alone)",
                    beta * 100.0,
                    r.values,
                    if r.own_class { "this demand class" } else { "every demand class" },
                    service_level * 100.0,
                    interval.cdf(level).clamp(0.0, 1.0) * 100.0
                ),
            }
        }
        Target::MinCost { shortage_cost: b, lost_sales, coverage } if lost_sales && p.order_up_to => {
            // Lost sales: no critical ratio is right (a lost unit is never replaced),
            // so the level is found by simulating the policy.
            let sys = LostSales {
                review_days: p.review_days.max(1.0),
                lead_days: p.lead_days,
                holding_per_unit_day: p.holding_per_unit_year / 365.0,
                shortage_cost: b,
            };
            let found = lost_sales::order_up_to(interval, &sys, rng)?;
            // The simulation's cycle service, read where the assortment's levels
            // covered that share of their past cycles.
            let corrected = coverage.and_then(|(c, class)| c.probability(class, found.cycle_service));
            let level = corrected.map_or(found.level, |c| interval.quantile(c.probability));
            let service_level = interval.cdf(level).clamp(0.0, 1.0);
            Protection {
                level,
                service_level,
                text: format!(
                    "the least-cost level under lost sales: {} minimises holding {:.4} per unit and day plus shortage {} per unit lost over {} simulated days of this policy (review {} days, lead time {} days; fill rate {:.1}%, cycle service {:.1}%){}; it covers the interval with probability {:.1}%",
                    fmt_qty(found.level),
                    sys.holding_per_unit_day,
                    fmt_qty(b),
                    found.days,
                    fmt_qty(sys.review_days.round().max(1.0)),
                    fmt_qty(p.lead_days.round()),
                    found.fill_rate * 100.0,
                    found.cycle_service * 100.0,
                    corrected.map_or(String::new(), |c| format!(
                        ", delivered as the assortment's levels covered: read at the {:.2}% quantile, {}",
                        c.probability * 100.0,
                        fmt_qty(level)
                    )),
                    service_level * 100.0
                ),
            }
        }
        Target::MinCost { shortage_cost: b, lost_sales, .. } => {
            let cycle_days = if p.order_up_to {
                p.review_days.max(1.0)
            } else if p.mean_daily > 0.0 {
                p.cycle_quantity / p.mean_daily
            } else {
                p.review_days.max(1.0)
            };
            let h_cycle = p.holding_per_unit_year / 365.0 * cycle_days;
            let csl = ltd::cost_optimal_service_level(h_cycle, b, lost_sales);
            let service_level = csl.unwrap_or(0.5).max(0.5);
            Protection {
                level: interval.quantile(service_level),
                service_level,
                text: format!(
                    "the cost-optimal {:.1}% cycle service (shortage {} vs holding {:.3} per unit and cycle{})",
                    service_level * 100.0,
                    fmt_qty(b),
                    h_cycle,
                    if csl.is_none_or(|c| c < 0.5) { "; floored at 50%" } else { "" }
                ),
            }
        }
    })
}

/// The cycle service a line's (whole) level is expected to give.
///
/// - A corrected cycle-service target: the share of the assortment's past intervals
///   that levels read at the same probability covered out of sample
///   ([`Coverage::expected`]). Every probability in (F(S − 1), F(S)] reads the same
///   whole level S, and a past value u = F(x − 1) of a series in whole units is
///   covered exactly when u < p for any of them, so the pool's share is read at the
///   probability the target was read at, or in the middle of that range (on the
///   −ln(1 − u) scale) where a floor or cap changed the level. The share is above
///   the target where the pool's values sit on a few whole units (slow movers): the
///   service whole units force.
/// - A corrected fill-rate target: the probability of the line's distribution as the
///   pool's values fell.
/// - Otherwise the distribution's own probability at the level.
///
/// `coverage` and `class` are the pools and the line's demand class the target was
/// corrected with.
pub fn expected_service(
    target: Target<'_>,
    interval: &Ltd,
    coverage: Option<&Coverage>,
    class: &str,
    level: f64,
) -> f64 {
    let own = interval.cdf(level).clamp(0.0, 1.0);
    let below = if interval.whole_units() { interval.cdf(level.ceil() - 1.0).clamp(0.0, own) } else { own };
    // The middle of (F(S − 1), F(S)] on the −ln(1 − u) scale.
    let read_at = 1.0 - ((1.0 - below) * (1.0 - own)).sqrt();
    match target {
        Target::CorrectedCycleService { target, corrected } => {
            let p = corrected.probability;
            if below < p && p <= own {
                // Read where the target was read: the share found with it.
                return corrected.expected;
            }
            coverage.and_then(|c| c.expected(class, target, read_at)).unwrap_or(own)
        }
        Target::CorrectedFillRate { recalibration: r, .. } => Reread::new(interval, r).cdf(level),
        // The share of the pool's past intervals levels read there covered.
        Target::ReplayedFillRate { corrected, .. } => {
            let p = corrected.probability;
            let u = if below < p && p <= own { p } else { read_at };
            coverage.and_then(|c| c.covered(class, u)).unwrap_or(own)
        }
        _ => own,
    }
}

/// Coverage values above this are not read through the line's quantiles one by one:
/// their share scales the line's own tail beyond its quantile here. A pooled value
/// near 1 says a miss was extreme for its own series, not how large it would be for
/// another one; read through another series' quantile function it became tens of
/// times its demand (fill-rate lines held 3–7 times the stock).
const TAIL_FROM: f64 = 0.99;

/// A line's distribution re-read through a [`Recalibration`]: the quantiles of the
/// pool's values up to [`TAIL_FROM`], and the line's own tail beyond with the share
/// of the pool's values beyond it.
struct Reread<'a> {
    body: Vec<(f64, f64)>,
    ltd: &'a Ltd,
    /// The line's level at [`TAIL_FROM`].
    q: f64,
    /// The pool's share beyond [`TAIL_FROM`] over the line's own (1 − TAIL_FROM).
    tail_scale: f64,
}

impl<'a> Reread<'a> {
    fn new(ltd: &'a Ltd, r: &Recalibration) -> Self {
        let (us, ws): (Vec<f64>, Vec<f64>) = r.points.iter().filter(|p| p.0 <= TAIL_FROM).copied().unzip();
        let body = ltd.at_coverage_values(&us).into_iter().zip(ws).collect();
        let tail: f64 = r.points.iter().filter(|p| p.0 > TAIL_FROM).map(|p| p.1).sum();
        Reread { body, ltd, q: ltd.quantile(TAIL_FROM), tail_scale: tail / (1.0 - TAIL_FROM) }
    }

    /// E[(D − s)⁺]: the body's points, and ∫ over u beyond TAIL_FROM of (F⁻¹(u) − s)⁺.
    fn loss(&self, s: f64) -> f64 {
        let body: f64 = self.body.iter().map(|&(x, w)| w * (x - s).max(0.0)).sum();
        let tail = self.ltd.loss(s.max(self.q)) + (self.q - s).max(0.0) * (1.0 - TAIL_FROM);
        body + self.tail_scale * tail
    }

    fn mean(&self) -> f64 {
        let body: f64 = self.body.iter().map(|&(x, w)| w * x).sum();
        body + self.tail_scale * (self.ltd.loss(self.q) + self.q * (1.0 - TAIL_FROM))
    }

    fn cdf(&self, s: f64) -> f64 {
        let body: f64 = self.body.iter().filter(|x| x.0 <= s).map(|x| x.1).sum();
        let tail = ((self.ltd.cdf(s) - TAIL_FROM) / (1.0 - TAIL_FROM)).clamp(0.0, 1.0);
        (body + self.tail_scale * (1.0 - TAIL_FROM) * tail).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn input<'a>(interval: &'a Ltd, lead: &'a Ltd) -> Protect<'a> {
        Protect {
            interval,
            lead,
            order_up_to: true,
            cycle_quantity: 70.0,
            mean_daily: 10.0,
            review_days: 7.0,
            lead_days: 14.0,
            holding_per_unit_year: 0.2 * 365.0 / 7.0,
        }
    }

    #[test]
    fn fill_rates_are_met_on_the_distribution_as_the_pool_fell() {
        let linear = |n: f64| n;
        let nb = |days: f64| {
            Ltd::parametric(super::ltd::Family::NegativeBinomial, 4.0, 4.0, days, 0.0, 0.0, &linear)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let (interval, lead) = (nb(21.0), nb(14.0));
        let p = input(&interval, &lead);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let plain = protection_level(Target::FillRate(0.95), &p, &mut rng).unwrap_or_else(|e| panic!("{e}"));
        let pool = |values: &[f64]| {
            let mut c = crate::policy::coverage::Coverage::default();
            c.add("smooth", values);
            c.recalibration("smooth", 0.95).unwrap_or_else(|| panic!("a pool"))
        };
        let uniform: Vec<f64> = (0..20_000).map(|i| (i as f64 + 0.5) / 20_000.0).collect();
        let level = |r: &Recalibration| {
            let t = Target::CorrectedFillRate { target: 0.95, recalibration: r };
            protection_level(t, &p, &mut rng.clone()).unwrap_or_else(|e| panic!("{e}"))
        };
        // Values as calibrated as the model: about the model's own level.
        let calibrated = pool(&uniform);
        let same = level(&calibrated);
        assert!((same.level - plain.level).abs() < 0.02 * plain.level, "{} vs {}", same.level, plain.level);
        assert!(same
            .text
            .contains("95% fill rate on demand distributed as 20000 past review intervals of this demand class"));
        // The level meets the fill rate on the re-read distributions: shortage per
        // cycle (1 − β) of the cycle's demand.
        let (xs, ls) = (Reread::new(&interval, &calibrated), Reread::new(&lead, &calibrated));
        let short = xs.loss(same.level) - ls.loss(same.level);
        assert!((short - 0.05 * (xs.mean() - ls.mean())).abs() < 1e-3, "{short}");
        // Levels that covered less often (u pushed to 1): a higher level; more often: lower.
        let under = level(&pool(&uniform.iter().map(|u| u.sqrt()).collect::<Vec<_>>()));
        let over = level(&pool(&uniform.iter().map(|u| u * u).collect::<Vec<_>>()));
        assert!(under.level > same.level + 1.0 && over.level < same.level - 1.0, "{under:?} {over:?}");
        // Misses beyond the 99% quantile twice as often as the model says: the
        // model's own tail counted twice, a higher level than the calibrated one.
        let heavy: Vec<f64> = uniform.iter().map(|&u| if u > 0.98 { 0.99 + (u - 0.98) / 2.0 } else { u }).collect();
        assert!(level(&pool(&heavy)).level > same.level, "tail");
    }

    /// A replayed fill rate reads the line's level at the pool's probability, says what
    /// levels there served and how the policy was replayed, and says when no level of
    /// the grid served the target; its expected cycle service is the coverage pool's
    /// share below that probability.
    #[test]
    fn replayed_fill_rates_read_the_level_where_the_pool_was_served() {
        use crate::policy::coverage::{CorrectedFill, Coverage};
        let linear = |n: f64| n;
        let interval = Ltd::parametric(super::ltd::Family::NegativeBinomial, 4.0, 4.0, 21.0, 0.0, 0.0, &linear)
            .unwrap_or_else(|e| panic!("{e}"));
        let p = input(&interval, &interval);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let corrected = CorrectedFill { probability: 0.9, expected: 0.953, cycles: 5000, own_class: true };
        let t = Target::ReplayedFillRate { target: 0.95, corrected, lost_sales: false };
        let got = protection_level(t, &p, &mut rng).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.level, interval.quantile(0.9));
        assert!(
            got.text.starts_with(
                "95% fill rate, read at the 90.00% quantile: levels read there served 95.3% of the demand of 5000 past review cycles of this demand class out of sample, the policy replayed with backorders"
            ),
            "{}",
            got.text
        );
        assert!(!got.text.contains("likely short"));
        let short = CorrectedFill { expected: 0.85, own_class: false, ..corrected };
        let t = Target::ReplayedFillRate { target: 0.95, corrected: short, lost_sales: true };
        let text = protection_level(t, &p, &mut rng).unwrap_or_else(|e| panic!("{e}")).text;
        assert!(text.contains("every demand class out of sample, the policy replayed with lost sales; no higher level"));
        // Expected cycle service: the coverage pool's share below the probability
        // (levels covered u² of the intervals here), else the distribution's own.
        let uniform: Vec<f64> = (0..10_000).map(|i| ((i as f64 + 0.5) / 10_000.0).sqrt()).collect();
        let mut c = Coverage::default();
        c.add("smooth", &uniform);
        let level = interval.quantile(0.9);
        let e = expected_service(t, &interval, Some(&c), "smooth", level);
        let (lo, hi) = (interval.cdf(level - 1.0), interval.cdf(level));
        assert!(e >= lo * lo - 0.005 && e <= hi * hi + 0.005, "{e} in [{}, {}]", lo * lo, hi * hi);
        assert_eq!(expected_service(t, &interval, None, "smooth", level), hi);
    }

    /// Slow movers: Poisson demand of mean 0.5 over the interval, calibrated. Their
    /// past values sit on the whole units (u = F(x − 1) ∈ {0, 0.61, 0.91, 0.986, …}),
    /// so no probability covers 95% of the intervals: the smallest whole level that
    /// reaches it, 2, covers 98.6%, and that is the service it is expected to give.
    #[test]
    fn whole_units_force_the_service_a_slow_mover_is_expected_to_get() {
        let d = Ltd::moments(super::ltd::Family::Poisson, 0.5, 0.5).unwrap_or_else(|e| panic!("{e}"));
        let mut c = Coverage::default();
        for x in 0..8 {
            let share = d.cdf(x as f64) - d.cdf(x as f64 - 1.0);
            let n = (share * 100_000.0).round() as usize;
            c.add("lumpy", &vec![d.cdf(x as f64 - 1.0); n]);
        }
        let corrected = c.probability("lumpy", 0.95).unwrap_or_else(|| panic!("a pool"));
        let t = Target::CorrectedCycleService { target: 0.95, corrected };
        let lead = Ltd::moments(super::ltd::Family::Poisson, 0.3, 0.3).unwrap_or_else(|e| panic!("{e}"));
        let p = input(&d, &lead);
        let level = protection_level(t, &p, &mut ChaCha8Rng::seed_from_u64(1)).unwrap_or_else(|e| panic!("{e}")).level;
        assert_eq!(level, 2.0);
        let e = expected_service(t, &d, Some(&c), "lumpy", level);
        assert!((e - d.cdf(2.0)).abs() < 1e-3 && e > 0.98, "{e}");
        // A level raised to 3 by a floor reads the pool between F(2) and F(3): it
        // covers 99.8%.
        let raised = expected_service(t, &d, Some(&c), "lumpy", 3.0);
        assert!((raised - d.cdf(3.0)).abs() < 1e-4, "{raised}");
        // Without the correction, the distribution's own probability at the level.
        assert_eq!(expected_service(Target::CycleService(0.95), &d, None, "lumpy", 2.0), d.cdf(2.0));
    }

    #[test]
    fn each_target_reads_its_level() {
        let (interval, lead) = (Ltd::normal(210.0, 30.0), Ltd::normal(140.0, 25.0));
        let p = input(&interval, &lead);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let csl = protection_level(Target::CycleService(0.95), &p, &mut rng).unwrap_or_else(|e| panic!("{e}"));
        assert!((csl.level - interval.quantile(0.95)).abs() < 1e-9);
        assert_eq!(csl.text, "95% cycle service");
        // Corrected: the level read at p′, the line keeping its target, the text saying both.
        let corrected = crate::policy::coverage::Corrected {
            probability: 0.97,
            values: 1200,
            own_class: true,
            covered_at_target: 0.921,
            extrapolated_from: None,
            expected: 0.95,
        };
        let c = protection_level(Target::CorrectedCycleService { target: 0.95, corrected }, &p, &mut rng)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!((c.level - interval.quantile(0.97)).abs() < 1e-9 && c.level > csl.level);
        assert_eq!(c.service_level, 0.95);
        assert!(
            c.text.contains("read at the 97.00% quantile") && c.text.contains("covered 92.1% of 1200"),
            "{}",
            c.text
        );
        let nv = Target::newsvendor(Some(10.0), 6.0).unwrap_or(Target::CycleService(0.0));
        let nv = protection_level(nv, &p, &mut rng).unwrap_or_else(|e| panic!("{e}"));
        assert!((nv.service_level - 0.4).abs() < 1e-12, "{nv:?}");
        assert!(Target::newsvendor(Some(5.0), 6.0).is_none() && Target::newsvendor(None, 6.0).is_none());
        let fr = protection_level(Target::FillRate(0.99), &p, &mut rng).unwrap_or_else(|e| panic!("{e}"));
        assert!((fr.service_level - interval.cdf(fr.level)).abs() < 1e-12);
        // Backorders: 1 − h/b with h per cycle = 0.2 a week, b = 1 → 80%.
        let back = Target::MinCost { shortage_cost: 1.0, lost_sales: false, coverage: None };
        let back = protection_level(back, &p, &mut rng).unwrap_or_else(|e| panic!("{e}"));
        assert!((back.service_level - 0.8).abs() < 1e-9, "{back:?}");
        // Lost sales under order-up-to: simulated, below the lost-sales critical ratio b/(b + h).
        let lost = Target::MinCost { shortage_cost: 1.0, lost_sales: true, coverage: None };
        let lost = protection_level(lost, &p, &mut rng).unwrap_or_else(|e| panic!("{e}"));
        assert!(lost.text.starts_with("the least-cost level under lost sales"), "{}", lost.text);
        assert!(lost.level < interval.quantile(1.0 / 1.2), "{lost:?}");
        // With the assortment's coverage: the simulation's cycle service delivered as
        // the pool measured it. Levels that covered less than their probability (u = √v)
        // are read higher; calibrated ones about where the simulation put them.
        let uniform: Vec<f64> = (0..20_000).map(|i| (i as f64 + 0.5) / 20_000.0).collect();
        let with = |values: Vec<f64>| {
            let mut c = crate::policy::coverage::Coverage::default();
            c.add("smooth", &values);
            let t = Target::MinCost { shortage_cost: 1.0, lost_sales: true, coverage: Some((&c, "smooth")) };
            protection_level(t, &p, &mut ChaCha8Rng::seed_from_u64(1)).unwrap_or_else(|e| panic!("{e}"))
        };
        let calibrated = with(uniform.clone());
        let short = with(uniform.iter().map(|u| u.sqrt()).collect());
        assert!(calibrated.text.contains("delivered as the assortment's levels covered"), "{}", calibrated.text);
        assert!(short.level > calibrated.level + 1.0, "{} vs {}", short.level, calibrated.level);
        let found = with(Vec::new());
        assert!(!found.text.contains("delivered"), "{}", found.text);
    }
}
