//! The assortment's seasonal profile: how demand moves with the time of year,
//! pooled over every series.
//!
//! One series' own year-ago weeks are too few and too noisy to tell a season from
//! chance; the assortment's, summed over every series and year, are not. As the VN2
//! challenge's own benchmark does, the profile is the mean demand of each week of
//! the year (each month, for monthly data) over the mean of those means. The
//! `errors` method then measures its level and its misses on demand divided by the
//! profile of each day and multiplies the profile back over the protection interval
//! ([`super::resample`]'s day factors), so a level learnt in a slow season is not
//! read as the demand of a busy one.
//!
//! The counts are whole numbers (thousandths of a unit, days, years), so the parts
//! of a split plan add up to the whole exactly, whatever the order.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Years a period of the year needs in the history, every one of them, before the
/// profile is used: a single year cannot tell a season from that year's chance.
pub const MIN_YEARS: usize = 2;

/// Demand seen in one period of the year.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodCounts {
    /// Demand in thousandths of a unit.
    pub milli: u64,
    /// Days with demand seen (not missing).
    pub days: u64,
    /// Years with a day seen.
    pub years: BTreeSet<i32>,
}

/// Demand by period of the year (ISO week 1..52, week 53 counted as 52; month
/// 1..12 for monthly data), summed over series.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonCounts {
    /// Whether the periods are months (else ISO weeks).
    #[serde(default)]
    pub monthly: bool,
    pub periods: BTreeMap<u32, PeriodCounts>,
}

fn period_of(date: NaiveDate, monthly: bool) -> u32 {
    if monthly {
        date.month()
    } else {
        date.iso_week().week().min(52)
    }
}

impl SeasonCounts {
    pub fn new(monthly: bool) -> Self {
        SeasonCounts { monthly, periods: BTreeMap::new() }
    }

    /// Adds a series' days from `start` (missing days NaN; negative values count as 0).
    /// Sums per period in an array first: this runs over every day of every series.
    pub fn add(&mut self, start: NaiveDate, values: &[f64]) {
        let mut sums = [(0u64, 0u64); 53];
        let mut years: Vec<(u32, i32)> = Vec::new();
        let mut date = start;
        for &v in values {
            if !v.is_nan() {
                let (p, y) = (period_of(date, self.monthly), date.iso_week().year());
                let s = &mut sums[p as usize];
                s.0 = s.0.saturating_add((v.max(0.0) * 1000.0).round().min(u64::MAX as f64) as u64);
                s.1 += 1;
                if years.last() != Some(&(p, y)) {
                    years.push((p, y));
                }
            }
            match date.succ_opt() {
                Some(d) => date = d,
                None => break,
            }
        }
        for (k, &(milli, days)) in sums.iter().enumerate().filter(|(_, s)| s.1 > 0) {
            let p = self.periods.entry(k as u32).or_default();
            p.milli = p.milli.saturating_add(milli);
            p.days += days;
        }
        for (k, y) in years {
            self.periods.entry(k).or_default().years.insert(y);
        }
    }

    pub fn merge(&mut self, other: &SeasonCounts) {
        self.monthly |= other.monthly;
        for (k, o) in &other.periods {
            let p = self.periods.entry(*k).or_default();
            p.milli = p.milli.saturating_add(o.milli);
            p.days += o.days;
            p.years.extend(o.years.iter().copied());
        }
    }

    /// The profile: each period's mean daily demand over the mean of those means.
    /// `None` unless every period of the year was seen in [`MIN_YEARS`] years and the
    /// assortment sold something.
    pub fn profile(&self) -> Option<Profile> {
        let n = if self.monthly { 12 } else { 52 };
        let means: Vec<f64> = (1..=n)
            .map(|k| {
                let p = self.periods.get(&k).filter(|p| p.years.len() >= MIN_YEARS && p.days > 0)?;
                Some(p.milli as f64 / 1000.0 / p.days as f64)
            })
            .collect::<Option<_>>()?;
        let overall = means.iter().sum::<f64>() / n as f64;
        if !(overall > 0.0 && overall.is_finite()) {
            return None;
        }
        Some(Profile { factors: means.iter().map(|m| m / overall).collect(), monthly: self.monthly })
    }
}

/// Factors by period of the year, averaging 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    factors: Vec<f64>,
    monthly: bool,
}

/// The least factor a day takes: a period with almost no sales would otherwise turn a
/// few units into a huge deseasonalised level.
pub const MIN_FACTOR: f64 = 0.05;

impl Profile {
    /// The factor of `date`'s period of the year (at least [`MIN_FACTOR`]).
    pub fn factor(&self, date: NaiveDate) -> f64 {
        self.factors[period_of(date, self.monthly) as usize - 1].max(MIN_FACTOR)
    }

    /// The factors of `days` days from `start`.
    pub fn days(&self, start: NaiveDate, days: usize) -> Vec<f64> {
        (0..days)
            .map(|d| start.checked_add_days(chrono::Days::new(d as u64)).map_or(1.0, |date| self.factor(date)))
            .collect()
    }

    /// "week of the year" or "month".
    pub fn period_name(&self) -> &'static str {
        if self.monthly {
            "month"
        } else {
            "week of the year"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Three years of daily demand twice as high in ISO weeks 10..20 as elsewhere.
    fn busy_spring(start: NaiveDate, days: usize, scale: f64) -> Vec<f64> {
        (0..days)
            .map(|d| {
                let w = (start + chrono::Days::new(d as u64)).iso_week().week();
                scale * if (10..20).contains(&w) { 2.0 } else { 1.0 }
            })
            .collect()
    }

    #[test]
    fn the_profile_is_each_week_over_the_mean_week() {
        let start = day(2021, 1, 4);
        let mut c = SeasonCounts::new(false);
        c.add(start, &busy_spring(start, 3 * 364, 3.0));
        c.add(start, &busy_spring(start, 3 * 364, 1.0));
        let p = c.profile().unwrap_or_else(|| panic!("three years"));
        // Mean of the weekly means: (10 × 2 + 42 × 1) / 52 of the quiet level.
        let quiet = 52.0 / 62.0;
        assert!((p.factor(day(2024, 3, 12)) - 2.0 * quiet).abs() < 1e-9, "{p:?}");
        assert!((p.factor(day(2024, 8, 1)) - quiet).abs() < 1e-9);
        assert!((p.factors.iter().sum::<f64>() / 52.0 - 1.0).abs() < 1e-12);
        assert_eq!(p.days(day(2024, 3, 10), 3).len(), 3);
        assert_eq!(p.period_name(), "week of the year");
        // ISO week 53 reads as week 52.
        assert_eq!(period_of(day(2020, 12, 31), false), 52);
    }

    #[test]
    fn a_single_year_a_gap_or_no_sales_give_no_profile() {
        let start = day(2021, 1, 4);
        let mut one = SeasonCounts::new(false);
        one.add(start, &vec![1.0; 364]);
        assert!(one.profile().is_none());
        // Two years, but one week never seen (missing days) in the second.
        let mut gap = SeasonCounts::new(false);
        let mut y = vec![1.0; 2 * 364];
        for v in &mut y[364 + 7 * 5..364 + 7 * 6] {
            *v = f64::NAN;
        }
        gap.add(start, &y);
        assert!(gap.profile().is_none());
        let mut zeros = SeasonCounts::new(true);
        zeros.add(start, &vec![0.0; 3 * 365]);
        assert!(zeros.profile().is_none());
    }

    #[test]
    fn months_and_parts_add_up_exactly() {
        let start = day(2019, 1, 1);
        let y: Vec<f64> = (0..4 * 365).map(|d| 1.0 + ((d * 37) % 11) as f64 / 7.0).collect();
        let mut whole = SeasonCounts::new(true);
        whole.add(start, &y);
        whole.add(start, &y[..500]);
        let (mut a, mut b) = (SeasonCounts::new(true), SeasonCounts::new(true));
        a.add(start, &y[..500]);
        b.add(start, &y);
        b.merge(&a);
        assert_eq!(b, whole);
        let p = whole.profile().unwrap_or_else(|| panic!("four years of months"));
        assert_eq!(p.factors.len(), 12);
        assert_eq!(p.period_name(), "month");
        // A month with almost nothing sold is floored.
        let mut quiet = SeasonCounts::new(true);
        quiet.add(start, &(0..3 * 365).map(|d| if d % 365 < 31 { 0.0 } else { 5.0 }).collect::<Vec<_>>());
        assert_eq!(quiet.profile().map(|p| p.factor(day(2030, 1, 15))), Some(MIN_FACTOR));
    }
}
