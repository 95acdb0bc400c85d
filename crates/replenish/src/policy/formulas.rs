//! Closed-form inventory models, as textbooks state them: EOQ (with and without
//! planned backorders), the newsvendor (normal and Poisson demand), the standard
//! normal loss function and its inverse, the (s, Q) reorder point for a fill-rate
//! target, and the power approximation of (s, S). Costs are per unit time for the
//! EOQ models and per period for the others; parameter names follow Snyder & Shen,
//! *Fundamentals of Supply Chain Theory* (2nd ed., 2019): `h` holding cost, `p`
//! stockout (underage) cost, `K` fixed cost per order, `λ` demand rate.
//!
//! [`Formula`] is the same set as data (JSON, Python, Node): `{"formula": "eoq",
//! "fixed_cost": 8, "holding_cost": 0.225, "demand_rate": 1300}`.

use super::exact;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// `v` when it is a finite number above 0; otherwise a configuration error naming `field`.
pub(super) fn positive(field: &str, v: f64) -> Result<f64> {
    if v > 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(Error::config(field, format!("{v} must be positive")))
    }
}

/// `v` when it is a finite number ≥ 0; otherwise a configuration error naming `field`.
pub(super) fn non_negative(field: &str, v: f64) -> Result<f64> {
    if v >= 0.0 && v.is_finite() {
        Ok(v)
    } else {
        Err(Error::config(field, format!("{v} must be zero or positive")))
    }
}

/// φ(z) and Φ(z) of the standard normal.
fn phi(z: f64) -> (f64, f64) {
    let n = Normal::standard();
    (n.pdf(z), n.cdf(z))
}

/// The standard normal loss function G(z) = E[(Z − z)⁺] = φ(z) − z·(1 − Φ(z)).
pub fn normal_loss(z: f64) -> f64 {
    let (pdf, cdf) = phi(z);
    pdf - z * (1.0 - cdf)
}

/// The z with G(z) = `g` (G decreases from +∞ to 0), by Newton's method on a
/// bracket: G'(z) = −(1 − Φ(z)).
pub fn normal_loss_inverse(g: f64) -> Result<f64> {
    positive("loss", g)?;
    let (mut lo, mut hi) = (-g - 10.0, 40.0);
    let mut z = 0.0_f64.clamp(lo, hi);
    for _ in 0..200 {
        let f = normal_loss(z) - g;
        if f.abs() < 1e-14 * g.max(1e-300) {
            break;
        }
        if f > 0.0 {
            lo = z;
        } else {
            hi = z;
        }
        let slope = -(1.0 - phi(z).1);
        let next = z - f / slope;
        z = if slope < 0.0 && next > lo && next < hi { next } else { 0.5 * (lo + hi) };
    }
    Ok(z)
}

/// An EOQ solution: the order quantity and the cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Eoq {
    pub quantity: f64,
    pub cost: f64,
}

/// EOQ: Q* = √(2Kλ/h), g* = √(2Kλh) (Snyder & Shen eq. 3.4–3.5).
pub fn eoq(fixed_cost: f64, holding_cost: f64, demand_rate: f64) -> Result<Eoq> {
    let (k, h, l) = (
        non_negative("fixed_cost", fixed_cost)?,
        positive("holding_cost", holding_cost)?,
        non_negative("demand_rate", demand_rate)?,
    );
    let q = (2.0 * k * l / h).sqrt();
    Ok(Eoq { quantity: q, cost: q * h })
}

/// EOQ with planned backorders: the order quantity, the share of each cycle out of
/// stock, and the cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EoqBackorders {
    pub quantity: f64,
    /// x* = h / (h + p): the share of each cycle spent backordered.
    pub stockout_fraction: f64,
    /// The largest backlog, x*·Q*.
    pub max_backorder: f64,
    pub cost: f64,
}

/// EOQ with backorders: Q* = √(2Kλ(h+p)/(hp)), x* = h/(h+p), g* = √(2Kλhp/(h+p))
/// (Snyder & Shen eq. 3.27–3.29); `stockout_cost` p per unit backordered per unit time.
pub fn eoq_backorders(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
) -> Result<EoqBackorders> {
    let (k, h, p, l) = (
        non_negative("fixed_cost", fixed_cost)?,
        positive("holding_cost", holding_cost)?,
        positive("stockout_cost", stockout_cost)?,
        non_negative("demand_rate", demand_rate)?,
    );
    let q = (2.0 * k * l * (h + p) / (h * p)).sqrt();
    let x = h / (h + p);
    Ok(EoqBackorders { quantity: q, stockout_fraction: x, max_backorder: x * q, cost: q * h * p / (h + p) })
}

/// One price break of an all-units quantity discount: orders of at least
/// `min_quantity` pay `unit_cost` on every unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceBreak {
    pub min_quantity: f64,
    pub unit_cost: f64,
}

/// The best order quantity under an all-units quantity discount.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EoqDiscount {
    pub quantity: f64,
    /// The unit cost paid at that quantity.
    pub unit_cost: f64,
    /// Purchase + ordering + holding cost per unit time: cλ + Kλ/Q + i·c·Q/2.
    pub cost: f64,
}

/// EOQ with all-units quantity discounts: for each price break, the EOQ at that
/// price (holding cost h = `holding_rate` × unit cost) moved into the break's range
/// (up to its minimum when below it; a quantity above the range is dearer there
/// than at the next break, which is also tried), and the cheapest total cost
/// cλ + Kλ/Q + h·Q/2 wins (Nahmias, *Production and Operations Analysis*, §4.7;
/// Silver, Pyke & Thomas §5.4). The first break must start at a quantity ≤ 1.
pub fn eoq_quantity_discount(
    fixed_cost: f64,
    holding_rate: f64,
    demand_rate: f64,
    breaks: &[PriceBreak],
) -> Result<EoqDiscount> {
    let (k, i, l) = (
        non_negative("fixed_cost", fixed_cost)?,
        positive("holding_rate", holding_rate)?,
        positive("demand_rate", demand_rate)?,
    );
    if breaks.is_empty() {
        return Err(Error::config("breaks", "give at least one price break"));
    }
    let mut sorted = breaks.to_vec();
    for b in &sorted {
        non_negative("breaks.min_quantity", b.min_quantity)?;
        positive("breaks.unit_cost", b.unit_cost)?;
    }
    sorted.sort_by(|a, b| a.min_quantity.total_cmp(&b.min_quantity));
    if sorted.windows(2).any(|w| w[0].min_quantity == w[1].min_quantity) {
        return Err(Error::config("breaks", "two price breaks start at the same quantity"));
    }
    let total = |q: f64, c: f64| c * l + k * l / q + i * c * q / 2.0;
    let mut best: Option<EoqDiscount> = None;
    for (j, b) in sorted.iter().enumerate() {
        let upper = sorted.get(j + 1).map_or(f64::INFINITY, |n| n.min_quantity);
        let q = (2.0 * k * l / (i * b.unit_cost)).sqrt().max(b.min_quantity).max(f64::MIN_POSITIVE);
        if q >= upper {
            continue;
        }
        let candidate = EoqDiscount { quantity: q, unit_cost: b.unit_cost, cost: total(q, b.unit_cost) };
        if best.is_none_or(|x| candidate.cost < x.cost) {
            best = Some(candidate);
        }
    }
    best.ok_or_else(|| Error::config("breaks", "no price break gives a feasible order quantity"))
}

/// A newsvendor solution: the order (base-stock) quantity, the critical ratio
/// p/(h+p) and the expected cost per period at that quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Newsvendor {
    pub quantity: f64,
    pub critical_ratio: f64,
    pub cost: f64,
}

/// Newsvendor with normal demand: S* = μ + z·σ with Φ(z) = p/(h+p), expected cost
/// (h+p)·φ(z)·σ (Snyder & Shen eq. 4.24, 4.26). `holding_cost` h is the overage
/// cost per unit left over, `stockout_cost` p the underage cost per unit short.
pub fn newsvendor_normal(holding_cost: f64, stockout_cost: f64, mean: f64, sd: f64) -> Result<Newsvendor> {
    let (h, p) = (positive("holding_cost", holding_cost)?, positive("stockout_cost", stockout_cost)?);
    let (mean, sd) = (non_negative("mean", mean)?, non_negative("sd", sd)?);
    let ratio = p / (h + p);
    let z = super::standard_normal_quantile(ratio);
    Ok(Newsvendor { quantity: mean + z * sd, critical_ratio: ratio, cost: (h + p) * phi(z).0 * sd })
}

/// Newsvendor with Poisson demand: the smallest S with F(S) ≥ p/(h+p), and its
/// expected cost h·E[(S − D)⁺] + p·E[(D − S)⁺].
pub fn newsvendor_poisson(holding_cost: f64, stockout_cost: f64, mean: f64) -> Result<Newsvendor> {
    let (quantity, cost) = exact::poisson_newsvendor(holding_cost, stockout_cost, mean)?;
    Ok(Newsvendor { quantity, critical_ratio: stockout_cost / (holding_cost + stockout_cost), cost })
}

/// A reorder point with its safety factor and safety stock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReorderPoint {
    pub reorder_point: f64,
    /// k: the reorder point is k lead-time standard deviations above the mean.
    pub safety_factor: f64,
    pub safety_stock: f64,
}

/// (s, Q) with a fill-rate target β: the expected shortage per cycle σ_L·G(k) may
/// be (1 − β)·Q, so G(k) = Q(1 − β)/σ_L and s = μ_L + k·σ_L (Silver, Pyke &
/// Peterson, *Inventory Management and Production Planning and Scheduling*, 3rd ed.,
/// §7.7.5, normal lead-time demand).
pub fn sq_fill_rate(
    lead_time_mean: f64,
    lead_time_sd: f64,
    order_quantity: f64,
    fill_rate: f64,
) -> Result<ReorderPoint> {
    let (mu, sd, q) = (
        non_negative("lead_time_mean", lead_time_mean)?,
        positive("lead_time_sd", lead_time_sd)?,
        positive("order_quantity", order_quantity)?,
    );
    if !(fill_rate > 0.0 && fill_rate < 1.0) {
        return Err(Error::config("fill_rate", format!("{fill_rate} is outside (0, 1)")));
    }
    let k = normal_loss_inverse(q * (1.0 - fill_rate) / sd)?;
    Ok(ReorderPoint { reorder_point: mu + k * sd, safety_factor: k, safety_stock: k * sd })
}

/// (s, S) levels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SsLevels {
    pub reorder_point: f64,
    pub order_up_to: f64,
}

/// The power approximation of the optimal periodic-review (s, S) policy (Ehrhardt &
/// Mosier 1984, as in Snyder & Shen eq. 4.77–4.80), for normal demand per period
/// with `mean` μ and `sd` σ: Q = 1.30·μ^0.494·(K/h)^0.506·(1 + σ²/μ²)^0.116,
/// z = √(Q·h/(σ·p)), s = 0.973·μ + σ·(0.183/z + 1.063 − 2.192·z), S = s + Q.
pub fn ss_power_approximation(
    holding_cost: f64,
    stockout_cost: f64,
    fixed_cost: f64,
    mean: f64,
    sd: f64,
) -> Result<SsLevels> {
    let (h, p, k) = (
        positive("holding_cost", holding_cost)?,
        positive("stockout_cost", stockout_cost)?,
        positive("fixed_cost", fixed_cost)?,
    );
    let (mu, sigma) = (positive("mean", mean)?, positive("sd", sd)?);
    let q = 1.30 * mu.powf(0.494) * (k / h).powf(0.506) * (1.0 + (sigma / mu).powi(2)).powf(0.116);
    let z = (q / sigma * h / p).sqrt();
    let s = 0.973 * mu + sigma * (0.183 / z + 1.063 - 2.192 * z);
    Ok(SsLevels { reorder_point: s, order_up_to: s + q })
}

/// One of the formulas with its parameters, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "formula", rename_all = "snake_case", deny_unknown_fields)]
pub enum Formula {
    Eoq {
        fixed_cost: f64,
        holding_cost: f64,
        demand_rate: f64,
    },
    EoqBackorders {
        fixed_cost: f64,
        holding_cost: f64,
        stockout_cost: f64,
        demand_rate: f64,
    },
    EoqQuantityDiscount {
        fixed_cost: f64,
        holding_rate: f64,
        demand_rate: f64,
        breaks: Vec<PriceBreak>,
    },
    NewsvendorNormal {
        holding_cost: f64,
        stockout_cost: f64,
        mean: f64,
        sd: f64,
    },
    NewsvendorPoisson {
        holding_cost: f64,
        stockout_cost: f64,
        mean: f64,
    },
    NormalLoss {
        z: f64,
    },
    NormalLossInverse {
        loss: f64,
    },
    SqFillRate {
        lead_time_mean: f64,
        lead_time_sd: f64,
        order_quantity: f64,
        fill_rate: f64,
    },
    SsPowerApproximation {
        holding_cost: f64,
        stockout_cost: f64,
        fixed_cost: f64,
        mean: f64,
        sd: f64,
    },
    /// [`super::exact::rq_normal`]: the cost of (r, Q), the best r for Q, or the optimum.
    RqNormal {
        holding_cost: f64,
        stockout_cost: f64,
        fixed_cost: f64,
        demand_rate: f64,
        demand_sd: f64,
        lead_time: f64,
        reorder_point: Option<f64>,
        order_quantity: Option<f64>,
    },
    /// [`super::exact::rq_poisson`]: the cost of (r, Q) or the optimum.
    RqPoisson {
        holding_cost: f64,
        stockout_cost: f64,
        fixed_cost: f64,
        demand_rate: f64,
        lead_time: f64,
        reorder_point: Option<f64>,
        order_quantity: Option<f64>,
    },
    /// [`super::exact::ss_discrete`]: Poisson `mean` or a `pmf`.
    SsDiscrete {
        holding_cost: f64,
        stockout_cost: f64,
        fixed_cost: f64,
        mean: Option<f64>,
        pmf: Option<Vec<f64>>,
        reorder_point: Option<f64>,
        order_up_to: Option<f64>,
    },
    /// [`super::exact::epq`].
    Epq {
        fixed_cost: f64,
        holding_cost: f64,
        demand_rate: f64,
        production_rate: f64,
        order_quantity: Option<f64>,
    },
    /// [`super::exact::eoq_incremental_discount`].
    EoqIncrementalDiscount {
        fixed_cost: f64,
        holding_rate: f64,
        demand_rate: f64,
        breaks: Vec<PriceBreak>,
    },
    /// [`super::exact::wagner_whitin`].
    WagnerWhitin {
        fixed_cost: f64,
        holding_cost: f64,
        demand: Vec<f64>,
        purchase_cost: Option<Vec<f64>>,
    },
}

/// The result of a [`Formula`], named fields as the functions return them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FormulaResult {
    Eoq(Eoq),
    EoqBackorders(EoqBackorders),
    EoqDiscount(EoqDiscount),
    Newsvendor(Newsvendor),
    Value { value: f64 },
    ReorderPoint(ReorderPoint),
    Ss(SsLevels),
    Rq(exact::RqSolution),
    SsExact(exact::SsSolution),
    Epq(exact::Epq),
    IncrementalDiscount(exact::IncrementalDiscount),
    LotSizing(exact::LotSizing),
}

impl Formula {
    /// Evaluates the formula; bad parameters are [`Error::Config`] naming the field.
    pub fn evaluate(&self) -> Result<FormulaResult> {
        use Formula as F;
        use FormulaResult as R;
        Ok(match self {
            F::Eoq { fixed_cost, holding_cost, demand_rate } => R::Eoq(eoq(*fixed_cost, *holding_cost, *demand_rate)?),
            F::EoqBackorders { fixed_cost, holding_cost, stockout_cost, demand_rate } => {
                R::EoqBackorders(eoq_backorders(*fixed_cost, *holding_cost, *stockout_cost, *demand_rate)?)
            }
            F::EoqQuantityDiscount { fixed_cost, holding_rate, demand_rate, breaks } => {
                R::EoqDiscount(eoq_quantity_discount(*fixed_cost, *holding_rate, *demand_rate, breaks)?)
            }
            F::NewsvendorNormal { holding_cost, stockout_cost, mean, sd } => {
                R::Newsvendor(newsvendor_normal(*holding_cost, *stockout_cost, *mean, *sd)?)
            }
            F::NewsvendorPoisson { holding_cost, stockout_cost, mean } => {
                R::Newsvendor(newsvendor_poisson(*holding_cost, *stockout_cost, *mean)?)
            }
            F::NormalLoss { z } => R::Value { value: normal_loss(*z) },
            F::NormalLossInverse { loss } => R::Value { value: normal_loss_inverse(*loss)? },
            F::SqFillRate { lead_time_mean, lead_time_sd, order_quantity, fill_rate } => {
                R::ReorderPoint(sq_fill_rate(*lead_time_mean, *lead_time_sd, *order_quantity, *fill_rate)?)
            }
            F::SsPowerApproximation { holding_cost, stockout_cost, fixed_cost, mean, sd } => {
                R::Ss(ss_power_approximation(*holding_cost, *stockout_cost, *fixed_cost, *mean, *sd)?)
            }
            F::RqNormal {
                holding_cost,
                stockout_cost,
                fixed_cost,
                demand_rate,
                demand_sd,
                lead_time,
                reorder_point,
                order_quantity,
            } => R::Rq(exact::rq_normal(
                *holding_cost,
                *stockout_cost,
                *fixed_cost,
                *demand_rate,
                *demand_sd,
                *lead_time,
                *reorder_point,
                *order_quantity,
            )?),
            F::RqPoisson {
                holding_cost,
                stockout_cost,
                fixed_cost,
                demand_rate,
                lead_time,
                reorder_point,
                order_quantity,
            } => R::Rq(exact::rq_poisson(
                *holding_cost,
                *stockout_cost,
                *fixed_cost,
                *demand_rate,
                *lead_time,
                *reorder_point,
                *order_quantity,
            )?),
            F::SsDiscrete { holding_cost, stockout_cost, fixed_cost, mean, pmf, reorder_point, order_up_to } => {
                R::SsExact(exact::ss_discrete(
                    *holding_cost,
                    *stockout_cost,
                    *fixed_cost,
                    *mean,
                    pmf.as_deref(),
                    *reorder_point,
                    *order_up_to,
                )?)
            }
            F::Epq { fixed_cost, holding_cost, demand_rate, production_rate, order_quantity } => {
                R::Epq(exact::epq(*fixed_cost, *holding_cost, *demand_rate, *production_rate, *order_quantity)?)
            }
            F::EoqIncrementalDiscount { fixed_cost, holding_rate, demand_rate, breaks } => R::IncrementalDiscount(
                exact::eoq_incremental_discount(*fixed_cost, *holding_rate, *demand_rate, breaks)?,
            ),
            F::WagnerWhitin { fixed_cost, holding_cost, demand, purchase_cost } => {
                R::LotSizing(exact::wagner_whitin(*fixed_cost, *holding_cost, demand, purchase_cost.as_deref())?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }

    /// Snyder & Shen, *Fundamentals of Supply Chain Theory*, 2nd ed., Example 3.1:
    /// K = 8, h = 0.225, λ = 1300.
    #[test]
    fn eoq_example_3_1() {
        let e = eoq(8.0, 0.225, 1300.0).unwrap_or(Eoq { quantity: 0.0, cost: 0.0 });
        close(e.quantity, 304.0467800264368);
        close(e.cost, 68.41052550594829);
    }

    /// Nahmias, *Production and Operations Analysis*, §4.7 (the Weighty Trash Bag
    /// Company): λ = 600 bags a year, K = 8, i = 20%, 30¢ below 500 bags, 29¢ from 500,
    /// 28¢ from 1,000. EOQs 400 (30¢, realisable), 406.8 (29¢, below 500 → 500) and
    /// 414 (28¢, below 1,000 → 1,000); G(400) = 204, G(500) = 198.10, G(1000) = 200.80:
    /// order 500.
    #[test]
    fn eoq_all_units_discount_trash_bags() {
        let breaks = [
            PriceBreak { min_quantity: 0.0, unit_cost: 0.30 },
            PriceBreak { min_quantity: 500.0, unit_cost: 0.29 },
            PriceBreak { min_quantity: 1000.0, unit_cost: 0.28 },
        ];
        let e = eoq_quantity_discount(8.0, 0.2, 600.0, &breaks).unwrap_or_else(|e| panic!("{e}"));
        close(e.quantity, 500.0);
        close(e.unit_cost, 0.29);
        close(e.cost, 198.1);
        // Without the 29¢ break, 1,000 bags at 28¢ (200.80) beat the 30¢ EOQ of 400 (204).
        let two = [breaks[0], breaks[2]];
        let e = eoq_quantity_discount(8.0, 0.2, 600.0, &two).unwrap_or_else(|e| panic!("{e}"));
        close(e.quantity, 1000.0);
        close(e.cost, 200.8);
        let one = [breaks[0]];
        close(eoq_quantity_discount(8.0, 0.2, 600.0, &one).map_or(0.0, |e| e.cost), 204.0);
        assert!(eoq_quantity_discount(8.0, 0.2, 600.0, &[]).is_err());
        let f: Formula = serde_json::from_str(
            r#"{"formula":"eoq_quantity_discount","fixed_cost":8,"holding_rate":0.2,"demand_rate":600,
                "breaks":[{"min_quantity":0,"unit_cost":0.3},{"min_quantity":500,"unit_cost":0.29}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(f.evaluate(), Ok(FormulaResult::EoqDiscount(d)) if (d.quantity - 500.0).abs() < 1e-9));
    }

    /// Snyder & Shen Example 3.8: the same with p = 5 per unit backordered.
    #[test]
    fn eoq_with_backorders_example_3_8() {
        let e = eoq_backorders(8.0, 0.225, 5.0, 1300.0).ok();
        let e = e.as_ref();
        close(e.map_or(0.0, |e| e.quantity), 310.81255515896464);
        close(e.map_or(0.0, |e| e.stockout_fraction), 0.0430622009569378);
        close(e.map_or(0.0, |e| e.cost), 66.92136355097325);
    }

    /// Snyder & Shen Example 4.3 (h = 0.18, p = 0.70, N(50, 8²)) and its Poisson(50)
    /// variant.
    #[test]
    fn newsvendor_examples() {
        let n = newsvendor_normal(0.18, 0.70, 50.0, 8.0).ok();
        close(n.map_or(0.0, |n| n.quantity), 56.60395592743389);
        close(n.map_or(0.0, |n| n.cost), 1.9976051931766445);
        let p = newsvendor_poisson(0.18, 0.70, 50.0).ok();
        close(p.map_or(0.0, |n| n.quantity), 56.0);
        close(p.map_or(0.0, |n| n.cost), 1.797235211809178);
    }

    /// Standard normal loss values (Silver, Pyke & Peterson, Table B.1, to 4
    /// decimals): G(0) = 1/√(2π), G(1) = φ(1) − (1 − Φ(1)); G(−z) = G(z) + z.
    #[test]
    fn normal_loss_values_and_inverse() {
        close(normal_loss(0.0), 0.398_942_280_401_432_7);
        close(normal_loss(1.0), 0.083_315_470_587_686_3);
        close(normal_loss(-1.0), 1.083_315_470_587_686_3);
        close(normal_loss(2.0), 0.008_490_702_616_829_1);
        for z in [-2.5, -0.3, 0.0, 0.9, 2.7] {
            close(normal_loss_inverse(normal_loss(z)).unwrap_or(f64::NAN), z);
        }
        assert!(normal_loss_inverse(0.0).is_err());
    }

    /// (s, Q) with a 99% fill rate, μ_L = 100, σ_L = 20, Q = 200: G(k) = 0.1
    /// (Silver, Pyke & Peterson's tables give k ≈ 0.90).
    #[test]
    fn reorder_point_for_a_fill_rate() {
        let r = sq_fill_rate(100.0, 20.0, 200.0, 0.99).ok();
        let k = r.map_or(f64::NAN, |r| r.safety_factor);
        close(normal_loss(k), 0.1);
        assert!((k - 0.90).abs() < 0.005, "{k}");
        close(r.map_or(0.0, |r| r.reorder_point), 100.0 + 20.0 * k);
        assert!(sq_fill_rate(100.0, 20.0, 200.0, 1.0).is_err());
    }

    /// Snyder & Shen Example 4.7: h = 0.18, p = 0.70, K = 2.5, N(50, 8²).
    #[test]
    fn power_approximation_example_4_7() {
        let s = ss_power_approximation(0.18, 0.70, 2.5, 50.0, 8.0).ok();
        close(s.map_or(0.0, |s| s.reorder_point), 40.19461695647407);
        close(s.map_or(0.0, |s| s.order_up_to), 74.29017010980579);
    }

    #[test]
    fn formulas_as_data() {
        let f: Formula =
            serde_json::from_str(r#"{"formula": "eoq", "fixed_cost": 8, "holding_cost": 0.225, "demand_rate": 1300}"#)
                .unwrap_or(Formula::NormalLoss { z: 0.0 });
        let out = serde_json::to_value(f.evaluate().ok()).unwrap_or_default();
        close(out["quantity"].as_f64().unwrap_or(0.0), 304.0467800264368);
        let bad = Formula::Eoq { fixed_cost: 8.0, holding_cost: 0.0, demand_rate: 1.0 }.evaluate();
        assert!(matches!(bad, Err(Error::Config { ref field, .. }) if field == "holding_cost"), "{bad:?}");
    }
}
