//! ABC and XYZ classification of series (items or item-locations).
//!
//! * **ABC by value.** Each series' value (total demand × unit value) as a share of
//!   the total; series are ranked by value, and the ones within the first `a` of the
//!   cumulative value are A (default 80%), up to `b` B (default 95%), the rest C. A
//!   series is in the class where its cumulative share *starts*, so the largest one is
//!   always A.
//! * **XYZ by variability.** The coefficient of variation (sd / mean) of demand
//!   summed over buckets of `bucket_days` (default 7: weekly): at most `x` (0.5) is
//!   X, at most `y` (1.0) Y, more Z. Missing values (NaN) are left out; a series
//!   without demand is Z.

use super::super::forecast::Panel;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Class boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClassThresholds {
    /// Cumulative value share closing class A, then B.
    pub a: f64,
    pub b: f64,
    /// Largest coefficient of variation of X, then Y.
    pub x: f64,
    pub y: f64,
    pub bucket_days: usize,
}

impl Default for ClassThresholds {
    fn default() -> Self {
        ClassThresholds { a: 0.8, b: 0.95, x: 0.5, y: 1.0, bucket_days: 7 }
    }
}

/// The classes of one series and the numbers behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesClass {
    pub id: String,
    /// Total demand × unit value.
    pub value: f64,
    /// Its share of the total value, and the cumulative share of the series ranked
    /// above it (where its class is read).
    pub share: f64,
    pub cumulative_share_before: f64,
    pub abc: char,
    /// Coefficient of variation of the bucketed demand (`None` without demand).
    pub cv: Option<f64>,
    pub xyz: char,
}

/// The ABC class of each value, with its share of the total and the cumulative share
/// of the values ranked above it (ties by id). Values are summed in the order given.
pub fn abc_by_value(ids: &[String], values: &[f64], t: &ClassThresholds) -> Vec<(f64, f64, char)> {
    let total: f64 = values.iter().sum();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(ids[a].cmp(&ids[b])));
    let mut before = vec![0.0; values.len()];
    let mut cum = 0.0;
    for &i in &order {
        before[i] = cum;
        cum += if total > 0.0 { values[i] / total } else { 0.0 };
    }
    (0..values.len())
        .map(|i| {
            let share = if total > 0.0 { values[i] / total } else { 0.0 };
            let abc = if total <= 0.0 || values[i] <= 0.0 {
                'C'
            } else if before[i] < t.a {
                'A'
            } else if before[i] < t.b {
                'B'
            } else {
                'C'
            };
            (share, before[i], abc)
        })
        .collect()
}

/// The XYZ class of one series (missing days NaN) and the coefficient of variation
/// of its `bucket_days` sums behind it (none without demand).
pub fn xyz_of(series: &[f64], t: &ClassThresholds) -> (Option<f64>, char) {
    let buckets: Vec<f64> =
        series.chunks(t.bucket_days.max(1)).map(|c| c.iter().filter(|v| !v.is_nan()).sum::<f64>()).collect();
    let n = buckets.len() as f64;
    let mean = buckets.iter().sum::<f64>() / n.max(1.0);
    let cv = (mean > 0.0).then(|| {
        let var = buckets.iter().map(|b| (b - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        var.sqrt() / mean
    });
    let xyz = match cv {
        Some(c) if c <= t.x => 'X',
        Some(c) if c <= t.y => 'Y',
        _ => 'Z',
    };
    (cv, xyz)
}

/// Classifies every series of `panel`; `unit_values` has one value per series
/// (unit cost or price).
pub fn abc_xyz(panel: &Panel, unit_values: &[f64], t: &ClassThresholds) -> Result<Vec<SeriesClass>> {
    if unit_values.len() != panel.len() {
        return Err(Error::InvalidInput(format!(
            "{} unit values for {} series: give one per series",
            unit_values.len(),
            panel.len()
        )));
    }
    if let Some(v) = unit_values.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
        return Err(Error::InvalidInput(format!("unit value {v} must be a number ≥ 0")));
    }
    if !(0.0 < t.a && t.a <= t.b && t.b <= 1.0) {
        return Err(Error::config("a", format!("class shares must satisfy 0 < a ≤ b ≤ 1 (a = {}, b = {})", t.a, t.b)));
    }
    if !(0.0 <= t.x && t.x <= t.y) {
        return Err(Error::config(
            "x",
            format!("variability bounds must satisfy 0 ≤ x ≤ y (x = {}, y = {})", t.x, t.y),
        ));
    }
    if t.bucket_days == 0 {
        return Err(Error::config("bucket_days", "must be at least 1"));
    }
    let values: Vec<f64> = (0..panel.len())
        .map(|i| panel.series(i).iter().filter(|v| !v.is_nan()).sum::<f64>() * unit_values[i])
        .collect();
    let ranked = abc_by_value(&panel.ids, &values, t);
    Ok((0..panel.len())
        .map(|i| {
            let (share, before, abc) = ranked[i];
            let (cv, xyz) = xyz_of(panel.series(i), t);
            SeriesClass {
                id: panel.ids[i].clone(),
                value: values[i],
                share,
                cumulative_share_before: before,
                abc,
                cv,
                xyz,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five items worth 500, 300, 100, 60 and 40 (total 1000): cumulative shares
    /// before them 0, 0.5, 0.8, 0.9, 0.96 → A, A, B, B, C with the default 80/95.
    #[test]
    fn abc_by_cumulative_value_and_xyz_by_weekly_cv() {
        let steady = vec![10.0; 14];
        let mut lumpy = vec![0.0; 14];
        lumpy[3] = 140.0;
        let series = [
            ("e", vec![4.0; 14], 40.0 / 56.0),
            ("a", steady.clone(), 500.0 / 140.0),
            ("b", lumpy, 300.0 / 140.0),
            ("c", steady.clone(), 100.0 / 140.0),
            ("d", steady, 60.0 / 140.0),
        ];
        let ids: Vec<String> = series.iter().map(|s| s.0.to_string()).collect();
        let mut offsets = vec![0];
        let mut values = vec![];
        for s in &series {
            values.extend(&s.1);
            offsets.push(values.len());
        }
        let panel = Panel::new(ids, offsets, values).unwrap_or_default();
        let units: Vec<f64> = series.iter().map(|s| s.2).collect();
        let c = abc_xyz(&panel, &units, &ClassThresholds::default()).unwrap_or_default();
        let got: Vec<(char, char)> = c.iter().map(|c| (c.abc, c.xyz)).collect();
        // e: C (starts at 0.96), a: A, b: A (starts at 0.5), c: B (0.8), d: B (0.9).
        assert_eq!(got, vec![('C', 'X'), ('A', 'X'), ('A', 'Z'), ('B', 'X'), ('B', 'X')]);
        assert!((c[2].cumulative_share_before - 0.5).abs() < 1e-12);
        // Lumpy: weeks 140 and 0, cv = sd / mean = 98.99 / 70 = 1.414.
        assert!((c[2].cv.unwrap_or(0.0) - 2f64.sqrt()).abs() < 1e-9);
        assert!(abc_xyz(&panel, &[1.0], &ClassThresholds::default()).is_err());
        let bad = ClassThresholds { a: 0.9, b: 0.8, ..Default::default() };
        assert!(abc_xyz(&panel, &units, &bad).is_err());
    }
}
