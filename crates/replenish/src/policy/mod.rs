//! Reorder policy: safety stock, reorder point, order-up-to level, and the
//! rounding of order quantities. Pure arithmetic, documented in `docs/policy.md`.
//!
//! [`levels`] is the textbook normal (R, s, S) computation on its own; the planner
//! builds its levels from a lead-time demand distribution ([`ltd`]) for the policy
//! and target each line's rules choose.

pub mod calibration;
pub mod classes;
pub mod coverage;
pub mod exact;
pub mod formulas;
pub mod lost_sales;
pub mod ltd;
pub mod resample;
pub mod season;
pub mod simulate;
pub mod target;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// What the policy needs to know about one SKU-location.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PolicyInput {
    /// Forecast mean demand per day (d̄).
    pub mean_daily_demand: f64,
    /// Standard deviation of one day's demand (σ_d).
    pub sigma_daily_demand: f64,
    /// Mean lead time L in days.
    pub lead_time_days: f64,
    /// Standard deviation of the lead time σ_L in days.
    pub lead_time_std_days: f64,
    /// Review period R in days (time between two order opportunities).
    pub review_period_days: f64,
    /// Cycle service level target: probability of no stock-out in a replenishment cycle.
    pub service_level: f64,
    /// Cost per unit, for the economic order quantity.
    pub unit_cost: f64,
    /// Fixed cost of placing one order line (K).
    pub ordering_cost: f64,
    /// Holding cost per year as a fraction of unit cost (h = rate × unit cost).
    pub holding_rate: f64,
}

/// The levels of a periodic-review (R, s, S) policy and the numbers behind them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PolicyLevels {
    /// Protection interval P = L + R.
    pub protection_days: f64,
    /// d̄ · P.
    pub demand_over_protection: f64,
    /// z = Φ⁻¹(service level).
    pub z: f64,
    /// SS = z · sqrt(P · σ_d² + d̄² · σ_L²).
    pub safety_stock: f64,
    /// s = d̄ · P + SS: order when the inventory position is at or below it.
    pub reorder_point: f64,
    /// Economic order quantity sqrt(2 K λ / h), λ = 365 · d̄ (0 when not defined).
    pub eoq: f64,
    /// Q = max(EOQ, d̄ · R): the cycle stock ordered on top of s.
    pub cycle_quantity: f64,
    /// S = s + Q: order up to this level.
    pub order_up_to: f64,
}

/// Computes the policy levels. `service_level` must be in (0, 1) (checked by the
/// configuration); all other inputs are ≥ 0.
pub fn levels(input: &PolicyInput) -> PolicyLevels {
    let d = input.mean_daily_demand;
    let p = input.lead_time_days + input.review_period_days;
    let z = standard_normal_quantile(input.service_level);
    let variance = p * input.sigma_daily_demand.powi(2) + d * d * input.lead_time_std_days.powi(2);
    let safety_stock = (z * variance.sqrt()).max(0.0);
    let demand_over_protection = d * p;
    let reorder_point = demand_over_protection + safety_stock;
    let h = input.holding_rate * input.unit_cost;
    let annual = 365.0 * d;
    let eoq = match formulas::eoq(input.ordering_cost, h, annual) {
        Ok(e) if annual > 0.0 => e.quantity,
        _ => 0.0,
    };
    let cycle_quantity = eoq.max(d * input.review_period_days);
    PolicyLevels {
        protection_days: p,
        demand_over_protection,
        z,
        safety_stock,
        reorder_point,
        eoq,
        cycle_quantity,
        order_up_to: reorder_point + cycle_quantity,
    }
}

/// Φ⁻¹(p) for 0 < p < 1.
pub fn standard_normal_quantile(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// Order-quantity constraints from the supply terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OrderConstraints {
    pub moq: f64,
    pub pack_size: f64,
    pub max_order: Option<f64>,
}

/// A rounded order quantity and the steps that produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rounded {
    pub quantity: f64,
    /// The quantity per order line: one line, or several when it exceeds the
    /// supplier's maximum per line (empty when nothing is ordered).
    #[serde(default)]
    pub lines: Vec<f64>,
    pub steps: Vec<String>,
}

/// Rounds a net requirement to an orderable quantity. The one rule, in this order:
/// 1. nothing is ordered for a requirement below half a unit (a model forecasting
///    a vanishing demand must not trigger a minimum order);
/// 2. raise to the minimum order quantity;
/// 3. round **up** to a multiple of the pack size;
/// 4. (with [`round_order_capped`]) cap at the smallest named cap, rounded **down**
///    to a pack multiple;
/// 5. split into order lines of at most the supplier's maximum per line (rounded
///    down to a pack multiple): full lines, then the rest (raised to the MOQ).
pub fn round_order(net_requirement: f64, c: &OrderConstraints) -> Rounded {
    round_order_capped(net_requirement, c, &[])
}

/// [`round_order`] with caps on the whole order (shelf capacity, shelf life, a
/// rule's maximum), each named for the explanation. When the smallest cap leaves
/// less than the MOQ, nothing is ordered and the step says why.
pub fn round_order_capped(net_requirement: f64, c: &OrderConstraints, caps: &[(f64, String)]) -> Rounded {
    let mut steps = Vec::new();
    if net_requirement < 0.5 {
        if net_requirement > 0.0 {
            steps.push(format!("requirement {net_requirement:.3} is below half a unit: nothing ordered"));
        }
        return Rounded { quantity: 0.0, lines: Vec::new(), steps };
    }
    let mut q = net_requirement;
    if q < c.moq {
        steps.push(format!("raised {} to MOQ {}", fmt_qty(q), fmt_qty(c.moq)));
        q = c.moq;
    }
    let packs = (q / c.pack_size - 1e-9).ceil();
    let rounded = packs * c.pack_size;
    if (rounded - q).abs() > 1e-9 {
        steps.push(format!(
            "rounded {} up to {} × pack {} = {}",
            fmt_qty(q),
            packs,
            fmt_qty(c.pack_size),
            fmt_qty(rounded)
        ));
    }
    q = rounded;
    if let Some((max, why)) = caps.iter().min_by(|a, b| a.0.total_cmp(&b.0)) {
        if q > *max {
            let capped = (max.max(0.0) / c.pack_size + 1e-9).floor() * c.pack_size;
            if capped < c.moq || capped <= 0.0 {
                steps.push(format!(
                    "{why} allows {} at most, less than {}: nothing ordered",
                    fmt_qty(max.max(0.0)),
                    if c.moq > 0.0 {
                        format!("the MOQ {}", fmt_qty(c.moq))
                    } else {
                        format!("a pack of {}", fmt_qty(c.pack_size))
                    }
                ));
                return Rounded { quantity: 0.0, lines: Vec::new(), steps };
            }
            steps.push(format!("capped {} at {why} {} → {}", fmt_qty(q), fmt_qty(*max), fmt_qty(capped)));
            q = capped;
        }
    }
    let mut lines = vec![q];
    if let Some(max) = c.max_order {
        let per_line = (max / c.pack_size + 1e-9).floor() * c.pack_size;
        if q > per_line + 1e-9 && per_line > 0.0 {
            let full = ((q - 1e-9) / per_line).floor() as usize;
            let mut rest = q - full as f64 * per_line;
            if rest < c.moq {
                rest = (c.moq / c.pack_size - 1e-9).ceil() * c.pack_size;
            }
            lines = vec![per_line; full];
            if rest > 1e-9 {
                lines.push(rest);
            }
            let total: f64 = lines.iter().sum();
            steps.push(format!(
                "split {} into {} lines of at most the max order {}{}",
                fmt_qty(q),
                lines.len(),
                fmt_qty(max),
                if (total - q).abs() > 1e-9 {
                    format!(", the last raised to the MOQ: {}", fmt_qty(total))
                } else {
                    String::new()
                }
            ));
            q = total;
        }
    }
    Rounded { quantity: q, lines, steps }
}

/// Formats a quantity for explanations: whole numbers without decimals, others to 2 places.
pub fn fmt_qty(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn textbook_safety_stock() {
        // d̄ = 10/day, σ_d = 3, L = 4, σ_L = 1, R = 1, CSL 95% (z = 1.6449):
        // SS = 1.6449 · sqrt(5·9 + 100·1) = 1.6449 · 12.0416 = 19.807
        let l = levels(&PolicyInput {
            mean_daily_demand: 10.0,
            sigma_daily_demand: 3.0,
            lead_time_days: 4.0,
            lead_time_std_days: 1.0,
            review_period_days: 1.0,
            service_level: 0.95,
            unit_cost: 2.0,
            ordering_cost: 50.0,
            holding_rate: 0.25,
        });
        assert!(close(l.z, 1.644854, 1e-5), "z = {}", l.z);
        assert!(close(l.safety_stock, 19.8068, 1e-3), "SS = {}", l.safety_stock);
        assert!(close(l.reorder_point, 50.0 + 19.8068, 1e-3));
        // EOQ = sqrt(2·50·3650 / 0.5) = 854.4
        assert!(close(l.eoq, 854.40, 1e-2), "eoq = {}", l.eoq);
        assert!(close(l.order_up_to, l.reorder_point + l.eoq, 1e-9));
    }

    #[test]
    fn rounding_order_is_moq_then_pack_then_max() {
        let c = OrderConstraints { moq: 20.0, pack_size: 12.0, max_order: Some(100.0) };
        assert_eq!(round_order(0.0, &c).quantity, 0.0);
        assert_eq!(round_order(-5.0, &c).quantity, 0.0);
        assert_eq!(round_order(0.4, &c).quantity, 0.0);
        assert_eq!(round_order(0.4, &c).steps.len(), 1);
        // 3 → MOQ 20 → 2 packs = 24
        let r = round_order(3.0, &c);
        assert_eq!(r.quantity, 24.0);
        assert_eq!(r.steps.len(), 2);
        // 36 is already a pack multiple above MOQ
        assert_eq!(round_order(36.0, &c).quantity, 36.0);
        assert!(round_order(36.0, &c).steps.is_empty());
        // 150 → 156 → split into lines of at most 96 (8 packs ≤ 100): 96 + 60
        let r = round_order(150.0, &c);
        assert_eq!((r.quantity, r.lines.clone()), (156.0, vec![96.0, 60.0]));
        assert_eq!(r.steps.len(), 2);
        // 200 → 204 → 96 + 96 + 12, the last raised to the MOQ 20 → 24
        let r = round_order(200.0, &c);
        assert_eq!((r.quantity, r.lines.clone()), (216.0, vec![96.0, 96.0, 24.0]));
        // A cap on the whole order comes before the split.
        let r = round_order_capped(500.0, &c, &[(150.0, "maximum stock".into())]);
        assert_eq!((r.quantity, r.lines.clone()), (144.0, vec![96.0, 48.0]));
    }
}
