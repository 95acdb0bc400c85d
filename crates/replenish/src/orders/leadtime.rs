//! Lead-time learning: receipts update each supplier-item's lead-time mean and
//! spread, which the next plan uses.
//!
//! Per (supplier, SKU), the observed lead times (received − ordered, in days) are
//! combined with the supplier's stated terms as a prior worth `prior_weight`
//! receipts, each receipt weighted by `0.5^(age / half_life)` where age counts the
//! receipts after it, so that the estimate follows a supplier whose lead time
//! drifts. The mean and the standard deviation are the weighted moments (the stated
//! terms contribute their mean and spread to both). With no decay (`half_life` none)
//! and many receipts the estimate converges to the supplier's true mean and spread.

use crate::error::{Error, Result};
use crate::model::SupplyTerms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One goods receipt of a purchase-order line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub supplier_id: String,
    pub sku: String,
    pub order_date: NaiveDate,
    pub received_date: NaiveDate,
}

/// How receipts are weighed against the stated terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeadTimeLearning {
    /// The stated terms count as this many receipts.
    pub prior_weight: f64,
    /// A receipt this many receipts old weighs half as much as the newest; `None`:
    /// all receipts weigh the same.
    pub half_life: Option<f64>,
}

impl Default for LeadTimeLearning {
    fn default() -> Self {
        LeadTimeLearning { prior_weight: 3.0, half_life: Some(20.0) }
    }
}

/// A learnt lead time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadTimeEstimate {
    pub supplier_id: String,
    pub sku: String,
    pub receipts: usize,
    pub stated_mean_days: f64,
    pub stated_std_days: f64,
    pub mean_days: f64,
    pub std_days: f64,
}

/// Learns lead times from receipts, in receipt-date order, per supplier and SKU of
/// `terms` (a receipt for a pair without terms has no prior and is learnt alone).
pub fn learn_lead_times(
    terms: &[SupplyTerms],
    receipts: &[Receipt],
    opts: &LeadTimeLearning,
) -> Result<Vec<LeadTimeEstimate>> {
    if !(opts.prior_weight.is_finite() && opts.prior_weight >= 0.0) {
        return Err(Error::config("prior_weight", "must be a finite number ≥ 0"));
    }
    if let Some(h) = opts.half_life {
        if !(h.is_finite() && h > 0.0) {
            return Err(Error::config("half_life", "must be a number > 0"));
        }
    }
    let mut by_pair: BTreeMap<(&str, &str), Vec<&Receipt>> = BTreeMap::new();
    for r in receipts {
        if r.received_date < r.order_date {
            return Err(Error::InvalidInput(format!(
                "receipt of {} from {}: received {} before it was ordered on {}",
                r.sku, r.supplier_id, r.received_date, r.order_date
            )));
        }
        by_pair.entry((r.supplier_id.as_str(), r.sku.as_str())).or_default().push(r);
    }
    let mut stated: BTreeMap<(&str, &str), (f64, f64)> = BTreeMap::new();
    for t in terms {
        stated.entry((t.supplier_id.as_str(), t.sku.as_str())).or_insert((t.lead_time_days, t.lead_time_std_days));
    }
    let keys: std::collections::BTreeSet<(&str, &str)> = by_pair.keys().chain(stated.keys()).copied().collect();
    Ok(keys
        .into_iter()
        .map(|key| {
            let mut rs = by_pair.remove(&key).unwrap_or_default();
            rs.sort_by_key(|r| (r.received_date, r.order_date));
            let prior = stated.get(&key).copied();
            let n = rs.len();
            let decay = opts.half_life.map_or(1.0, |h| 0.5f64.powf(1.0 / h));
            // Weighted sums: weight, Σw·x, Σw·x² (prior: its mean and variance).
            let (mut w, mut s1, mut s2) = match prior {
                Some((m, sd)) if opts.prior_weight > 0.0 => {
                    let pw = opts.prior_weight * decay.powi(n as i32);
                    (pw, pw * m, pw * (sd * sd + m * m))
                }
                _ => (0.0, 0.0, 0.0),
            };
            for (i, r) in rs.iter().enumerate() {
                let x = (r.received_date - r.order_date).num_days() as f64;
                let wi = decay.powi((n - 1 - i) as i32);
                w += wi;
                s1 += wi * x;
                s2 += wi * x * x;
            }
            let mean = if w > 0.0 { s1 / w } else { 0.0 };
            let var = if w > 0.0 { (s2 / w - mean * mean).max(0.0) } else { 0.0 };
            let (stated_mean_days, stated_std_days) = prior.unwrap_or((f64::NAN, f64::NAN));
            LeadTimeEstimate {
                supplier_id: key.0.to_string(),
                sku: key.1.to_string(),
                receipts: n,
                stated_mean_days,
                stated_std_days,
                mean_days: mean,
                std_days: var.sqrt(),
            }
        })
        .collect())
}

/// The supply terms with learnt lead times in place of the stated ones (pairs with
/// at least one receipt), for the next plan.
pub fn apply_lead_times(terms: &[SupplyTerms], estimates: &[LeadTimeEstimate]) -> Vec<SupplyTerms> {
    let learnt: BTreeMap<(&str, &str), &LeadTimeEstimate> =
        estimates.iter().filter(|e| e.receipts > 0).map(|e| ((e.supplier_id.as_str(), e.sku.as_str()), e)).collect();
    terms
        .iter()
        .map(|t| match learnt.get(&(t.supplier_id.as_str(), t.sku.as_str())) {
            Some(e) => SupplyTerms { lead_time_days: e.mean_days, lead_time_std_days: e.std_days, ..t.clone() },
            None => t.clone(),
        })
        .collect()
}
