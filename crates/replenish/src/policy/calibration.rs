//! Does the plan deliver the service level it promises? A seeded experiment: for
//! each demand class (smooth, intermittent, lumpy) it generates series with a
//! history and an unseen future, plans them with [`crate::plan::plan`] at each
//! target cycle service level, then simulates each plan line's policy over the
//! future demand with random lead times and pools the achieved cycle service level
//! per class and target. The same simulation runs the classic reorder point
//! d̄·P + z·σ_d·√P (mean lead time, normal demand) on the same demand, and finds
//! the safety factor that classic formula would need to reach the target, to
//! compare the stock each needs.
//!
//! Synthetic classes (per day; each series scales its sizes by a factor in [0.5, 2]):
//! * smooth: gamma with mean 20, coefficient of variation 0.3, rounded (ADI 1, CV² 0.09);
//! * intermittent: demand on 35% of days, size 1 + Poisson(3) (ADI 2.9, CV² 0.19);
//! * lumpy: demand on 25% of days, size ⌈gamma(mean 10, CV 1.2)⌉ (ADI 4, CV² 1.4).

use super::simulate::{simulate, SimConfig, SimPolicy};
use super::standard_normal_quantile;
use crate::error::{Error, Result};
use crate::model::*;
use crate::plan::{plan, PlanConfig};
use crate::rules::{LtdMethod, PolicyKind};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A synthetic demand class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyntheticClass {
    Smooth,
    Intermittent,
    Lumpy,
}

impl SyntheticClass {
    pub fn as_str(self) -> &'static str {
        match self {
            SyntheticClass::Smooth => "smooth",
            SyntheticClass::Intermittent => "intermittent",
            SyntheticClass::Lumpy => "lumpy",
        }
    }

    /// `days` of daily demand, sizes scaled by `scale`.
    pub fn generate(self, days: usize, scale: f64, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let gamma = |mean: f64, cv: f64| Gamma::new(1.0 / (cv * cv), mean * cv * cv).ok();
        let smooth = gamma(20.0 * scale, 0.3);
        let lumpy = gamma(10.0 * scale, 1.2);
        let sizes = Poisson::new(3.0 * scale).ok();
        (0..days)
            .map(|_| match self {
                SyntheticClass::Smooth => smooth.map_or(0.0, |g| {
                    let x: f64 = g.sample(rng);
                    x.round()
                }),
                SyntheticClass::Intermittent => {
                    if rng.random::<f64>() < 0.35 {
                        let x: f64 = sizes.map_or(0.0, |p| p.sample(rng));
                        1.0 + x
                    } else {
                        0.0
                    }
                }
                SyntheticClass::Lumpy => {
                    if rng.random::<f64>() < 0.25 {
                        let x: f64 = lumpy.map_or(1.0, |g| g.sample(rng));
                        x.ceil().max(1.0)
                    } else {
                        0.0
                    }
                }
            })
            .collect()
    }
}

/// The experiment's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalibrationConfig {
    pub classes: Vec<SyntheticClass>,
    pub targets: Vec<f64>,
    pub series_per_class: usize,
    pub history_days: usize,
    /// Simulated days per series after the history.
    pub test_days: usize,
    pub lead_time_days: f64,
    pub lead_time_std_days: f64,
    pub review_days: u32,
    /// The plan's policy: an order-up-to policy (`r_s`, the default) or `r_s_s`.
    pub policy: PolicyKind,
    pub lead_time_demand: LtdMethod,
    /// The plan's forecast model (default: the plan's default, automatic selection).
    pub forecast: Option<crate::forecast::ModelConfig>,
    pub n_paths: usize,
    pub seed: u64,
}

impl Default for CalibrationConfig {
    fn default() -> Self {
        CalibrationConfig {
            classes: vec![SyntheticClass::Smooth, SyntheticClass::Intermittent, SyntheticClass::Lumpy],
            targets: vec![0.90, 0.95, 0.98],
            series_per_class: 40,
            history_days: 730,
            test_days: 5000,
            lead_time_days: 5.0,
            lead_time_std_days: 1.5,
            review_days: 7,
            policy: PolicyKind::RS,
            lead_time_demand: LtdMethod::Auto,
            forecast: None,
            n_paths: 2000,
            seed: 0,
        }
    }
}

/// One class and target: what the plan and the classic formula achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationRow {
    pub class: String,
    pub target: f64,
    /// Pooled simulated cycle service level, fill rate and average on hand per series.
    pub plan_csl: f64,
    pub plan_fill_rate: f64,
    pub plan_average_on_hand: f64,
    pub classic_csl: f64,
    pub classic_fill_rate: f64,
    pub classic_average_on_hand: f64,
    /// The safety factor the classic formula needs to reach the target, and its stock.
    pub classic_tuned_z: f64,
    pub classic_tuned_average_on_hand: f64,
    /// How the plan modelled lead-time demand (the most common method in the class).
    pub method: String,
    pub cycles: usize,
}

struct Series {
    sku: String,
    class: SyntheticClass,
    future: Vec<f64>,
}

/// Pooled result of simulating `levels[i]` (order-up-to or (s, S)) over each series.
fn pooled(series: &[&Series], levels: &[(f64, f64)], cfg: &CalibrationConfig) -> Result<(f64, f64, f64, usize)> {
    let reports: Vec<_> = series
        .par_iter()
        .zip(levels)
        .enumerate()
        .map(|(i, (s, &(small, big)))| {
            let policy = if cfg.policy == PolicyKind::RS || small >= big {
                SimPolicy::RS { review_days: cfg.review_days, big_s: big }
            } else {
                SimPolicy::RsS { review_days: cfg.review_days, s: small, big_s: big }
            };
            let sim = SimConfig {
                lead_time_days: cfg.lead_time_days,
                lead_time_std_days: cfg.lead_time_std_days,
                warmup_days: 28,
                seed: cfg.seed.wrapping_add(i as u64),
                ..SimConfig::default()
            };
            simulate(&s.future, &policy, &sim)
        })
        .collect::<Result<_>>()?;
    let cycles: usize = reports.iter().map(|r| r.cycles).sum();
    let good: f64 = reports.iter().map(|r| r.cycle_service_level.unwrap_or(0.0) * r.cycles as f64).sum();
    let demand: f64 = reports.iter().map(|r| r.demand).sum();
    let short: f64 = reports.iter().map(|r| r.units_short).sum();
    let stock = reports.iter().map(|r| r.average_on_hand).sum::<f64>() / reports.len().max(1) as f64;
    Ok((good / cycles.max(1) as f64, if demand > 0.0 { 1.0 - short / demand } else { 1.0 }, stock, cycles))
}

/// Runs the experiment.
pub fn calibrate(cfg: &CalibrationConfig) -> Result<Vec<CalibrationRow>> {
    if cfg.series_per_class == 0 || cfg.history_days < 28 || cfg.test_days < 100 || cfg.review_days == 0 {
        return Err(Error::InvalidInput(
            "calibration needs series_per_class ≥ 1, history_days ≥ 28, test_days ≥ 100 and review_days ≥ 1".into(),
        ));
    }
    if let Some(t) = cfg.targets.iter().find(|t| !(**t > 0.0 && **t < 1.0)) {
        return Err(Error::config("targets", format!("{t} is outside (0, 1)")));
    }
    if !matches!(cfg.policy, PolicyKind::RS | PolicyKind::RsS) {
        return Err(Error::config("policy", "calibration simulates periodic review: `r_s` or `r_s_s`"));
    }
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let as_of = start + Duration::days(cfg.history_days as i64 - 1);
    let mut data = Dataset::default();
    let mut series = Vec::new();
    data.locations.push(Location { id: "L1".into() });
    data.suppliers.push(Supplier { id: "SUP".into(), name: "Supplier".into(), ..Default::default() });
    for (c, class) in cfg.classes.iter().enumerate() {
        for k in 0..cfg.series_per_class {
            let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ ((c as u64) << 32) ^ k as u64);
            let scale = 0.5 + 1.5 * k as f64 / cfg.series_per_class.max(2).saturating_sub(1) as f64;
            let history = class.generate(cfg.history_days, scale, &mut rng);
            let future = class.generate(cfg.test_days, scale, &mut rng);
            let sku = format!("{c}-{}-{k:03}", class.as_str());
            data.items.push(Item {
                sku: sku.clone(),
                name: sku.clone(),
                category: class.as_str().into(),
                unit_cost: 1.0,
                sell_price: None,
                unit_volume: None,
                unit_weight: None,
                units_per_pallet: None,
                shelf_life_days: None,
                attributes: Default::default(),
            });
            data.supply_terms.push(SupplyTerms {
                supplier_id: "SUP".into(),
                sku: sku.clone(),
                location: None,
                lead_time_days: cfg.lead_time_days,
                lead_time_std_days: cfg.lead_time_std_days,
                moq: 0.0,
                pack_size: 1.0,
                max_order: None,
                order_cycle_days: Some(cfg.review_days as f64),
                order_weekdays: vec![],
                unit_cost: None,
                currency: "EUR".into(),
                rank: 1,
            });
            data.inventory.push(InventoryRecord {
                sku: sku.clone(),
                location: "L1".into(),
                on_hand: 0.0,
                reserved: 0.0,
                backorders: 0.0,
                as_of,
            });
            let base = data.demand.push_series(SeriesKey { sku, location: "L1".into() }, start, cfg.history_days);
            data.demand.quantity[base..base + cfg.history_days].copy_from_slice(&history);
            series.push(Series {
                sku: data.items.last().map(|i| i.sku.clone()).unwrap_or_default(),
                class: *class,
                future,
            });
        }
    }
    let mut rows = Vec::new();
    for &target in &cfg.targets {
        let pc = PlanConfig {
            as_of: Some(as_of),
            service_level: target,
            policy: cfg.policy,
            lead_time_demand: cfg.lead_time_demand,
            n_paths: cfg.n_paths,
            seed: cfg.seed,
            forecast: cfg.forecast.clone().unwrap_or_else(|| PlanConfig::default().forecast),
            // The experiment plans once and holds its levels; the coverage correction
            // is for levels re-planned at every review, whose earlier, higher levels
            // leave stock that covers later intervals (`policy::coverage`).
            correct_service: false,
            // Nor the seasonal profile: it sets levels for the season of the next
            // interval, which a level held for months outlives.
            seasonal_profile: false,
            ..PlanConfig::default()
        };
        let p = plan(&data, &pc)?;
        let by_sku: std::collections::HashMap<&str, &crate::plan::PlanLine> =
            p.lines.iter().map(|l| (l.sku.as_str(), l)).collect();
        for class in &cfg.classes {
            let idx: Vec<usize> = (0..series.len()).filter(|&i| series[i].class == *class).collect();
            let group: Vec<&Series> = idx.iter().map(|&i| &series[i]).collect();
            let lines: Vec<&crate::plan::PlanLine> = idx
                .iter()
                .map(|&i| {
                    by_sku
                        .get(series[i].sku.as_str())
                        .copied()
                        .ok_or_else(|| Error::Internal("a series has no plan line".into()))
                })
                .collect::<Result<_>>()?;
            let plan_levels: Vec<(f64, f64)> = lines.iter().map(|l| (l.reorder_point, l.order_up_to)).collect();
            let (plan_csl, plan_fill, plan_stock, cycles) = pooled(&group, &plan_levels, cfg)?;
            let protect = cfg.lead_time_days + cfg.review_days as f64;
            let classic = |z: f64| -> Vec<(f64, f64)> {
                lines
                    .iter()
                    .map(|l| {
                        let s = l.mean_daily_demand * protect + z * l.sigma_daily_demand * protect.sqrt();
                        (s, s + (l.order_up_to - l.reorder_point))
                    })
                    .collect()
            };
            let z = standard_normal_quantile(target);
            let (classic_csl, classic_fill, classic_stock, _) = pooled(&group, &classic(z), cfg)?;
            // The safety factor the classic formula needs: bisection on pooled CSL.
            let (mut lo, mut hi) = (-1.0, 8.0);
            for _ in 0..30 {
                let mid = 0.5 * (lo + hi);
                if pooled(&group, &classic(mid), cfg)?.0 >= target {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            let tuned_stock = pooled(&group, &classic(hi), cfg)?.2;
            let mut methods: Vec<&str> =
                lines.iter().map(|l| l.safety_stock_method.split(' ').next().unwrap_or("")).collect();
            methods.sort_unstable();
            let method = methods
                .chunk_by(|a, b| a == b)
                .max_by_key(|c| c.len())
                .and_then(|c| c.first())
                .map(|m| m.to_string())
                .unwrap_or_default();
            rows.push(CalibrationRow {
                class: class.as_str().into(),
                target,
                plan_csl,
                plan_fill_rate: plan_fill,
                plan_average_on_hand: plan_stock,
                classic_csl,
                classic_fill_rate: classic_fill,
                classic_average_on_hand: classic_stock,
                classic_tuned_z: hi,
                classic_tuned_average_on_hand: tuned_stock,
                method,
                cycles,
            });
        }
    }
    Ok(rows)
}

/// The rows as a Markdown table.
pub fn to_markdown(rows: &[CalibrationRow]) -> String {
    let mut out = String::from(
        "| class | target | plan CSL | plan stock | classic CSL | classic stock | classic z for target | its stock | method |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        out += &format!(
            "| {} | {:.0}% | {:.1}% | {:.1} | {:.1}% | {:.1} | {:.2} | {:.1} | {} |\n",
            r.class,
            r.target * 100.0,
            r.plan_csl * 100.0,
            r.plan_average_on_hand,
            r.classic_csl * 100.0,
            r.classic_average_on_hand,
            r.classic_tuned_z,
            r.classic_tuned_average_on_hand,
            r.method
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The acceptance test: at 90/95/98% on smooth, intermittent and lumpy
    /// demand with random lead times, the plan's simulated cycle service level is
    /// within ±1.5 points of its target; the classic formula misses, and reaching
    /// the target with it takes more stock than the plan holds.
    #[test]
    fn the_plan_delivers_its_service_level_by_class() {
        let rows = calibrate(&CalibrationConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 9);
        let table = to_markdown(&rows);
        for r in &rows {
            assert!((r.plan_csl - r.target).abs() <= 0.015, "{} {}: {}\n{table}", r.class, r.target, r.plan_csl);
            assert!(r.classic_csl < r.target - 0.015, "{} {}: classic {}\n{table}", r.class, r.target, r.classic_csl);
            assert!(r.plan_average_on_hand <= r.classic_tuned_average_on_hand, "{} {}\n{table}", r.class, r.target);
            assert!(r.cycles > 10_000);
        }
        assert!(calibrate(&CalibrationConfig { targets: vec![1.0], ..Default::default() }).is_err());
    }
}
