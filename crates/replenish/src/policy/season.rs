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
use statrs::distribution::{ContinuousCDF, FisherSnedecor};
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
        Some(Profile {
            factors: means.iter().map(|m| m / overall).collect(),
            monthly: self.monthly,
            by_month: Vec::new(),
        })
    }
}

/// The share of series without a season of their own whose own ratios spread less
/// than the spread [`Profile::own`] discounts as chance.
pub const CHANCE: f64 = 0.95;

/// Factors by period of the year, averaging 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    factors: Vec<f64>,
    monthly: bool,
    /// A series' own months over the assortment's ([`Profile::own`]); empty for the
    /// assortment's profile itself.
    by_month: Vec<f64>,
}

/// The least factor a day takes: a period with almost no sales would otherwise turn a
/// few units into a huge deseasonalised level.
pub const MIN_FACTOR: f64 = 0.05;

impl Profile {
    /// The factor of `date`'s period of the year (at least [`MIN_FACTOR`]).
    pub fn factor(&self, date: NaiveDate) -> f64 {
        let own = self.by_month.get(date.month() as usize - 1).copied().unwrap_or(1.0);
        (self.factors[period_of(date, self.monthly) as usize - 1] * own).max(MIN_FACTOR)
    }

    /// The factors of `days` days from `start`.
    pub fn days(&self, start: NaiveDate, days: usize) -> Vec<f64> {
        (0..days)
            .map(|d| start.checked_add_days(chrono::Days::new(d as u64)).map_or(1.0, |date| self.factor(date)))
            .collect()
    }

    /// The profile of one series: its own seasonal ratios by month shrunk towards
    /// this (the assortment's) profile by how much of their spread is signal, and
    /// the weight its own ratios got (0: this profile as it is).
    ///
    /// Each month's mean daily demand over a year-long centred moving average (the
    /// classical ratio-to-moving-average decomposition, so a trend is not read as a
    /// season) gives a ratio per month and year. A month's own factor is its mean
    /// ratio, and its noise the variance of that mean across years. The weight is
    /// empirical Bayes (James–Stein): the factors' mean squared spread around this
    /// profile's months beyond what noise alone would give in [`CHANCE`] of series
    /// (τ²), over τ² plus the noise. A series whose months differ from the
    /// assortment's year after year (a prescription drug's winter peak in an
    /// assortment that peaks in December) keeps its own; a few noisy years stay with
    /// the assortment's. Months, not weeks, even for daily and weekly data: a
    /// series' own season is a slow swing that a dozen ratios per year show with
    /// far less noise than 52, and the assortment's weekly detail (a holiday week)
    /// stays: each day's factor is the assortment's, times the series' own month
    /// over the assortment's month, weighted. Needs every month's ratio in
    /// [`MIN_YEARS`] years; otherwise the weight is 0.
    pub fn own(&self, start: NaiveDate, values: &[f64]) -> (Profile, f64) {
        const MONTHS: usize = 12;
        let global = || (self.clone(), 0.0);
        // Per run of days in one month of one year, in order: demand and the
        // assortment's factors summed over the days seen, and the days seen.
        let mut runs: Vec<(usize, f64, f64, u32)> = Vec::new();
        let mut last = None;
        let mut date = start;
        for &v in values {
            let key = (date.month(), date.year());
            if last != Some(key) {
                runs.push((key.0 as usize - 1, 0.0, 0.0, 0));
                last = Some(key);
            }
            if !v.is_nan() {
                if let Some(r) = runs.last_mut() {
                    r.1 += v.max(0.0);
                    r.2 += self.factors[period_of(date, self.monthly) as usize - 1];
                    r.3 += 1;
                }
            }
            match date.succ_opt() {
                Some(d) => date = d,
                None => break,
            }
        }
        let mean = |sum: f64, days: u32| if days > 0 { sum / f64::from(days) } else { f64::NAN };
        let means: Vec<f64> = runs.iter().map(|r| mean(r.1, r.3)).collect();
        // The centred 2×12 moving average around each run; ratios where it is defined,
        // with the assortment's mean factor over the same days.
        let half = MONTHS / 2;
        let (mut ratios, mut theirs): (Vec<Vec<f64>>, Vec<Vec<f64>>) =
            (vec![Vec::new(); MONTHS], vec![Vec::new(); MONTHS]);
        for k in half..means.len().saturating_sub(half) {
            let window = &means[k - half..=k + half];
            let ma = (0.5 * (window[0] + window[MONTHS]) + window[1..MONTHS].iter().sum::<f64>()) / MONTHS as f64;
            if ma > 0.0 && ma.is_finite() && means[k].is_finite() {
                ratios[runs[k].0].push(means[k] / ma);
                theirs[runs[k].0].push(mean(runs[k].2, runs[k].3));
            }
        }
        if ratios.iter().any(|r| r.len() < MIN_YEARS) {
            return global();
        }
        let mean_of = |r: &[f64]| r.iter().sum::<f64>() / r.len() as f64;
        // Each month's mean, and the mean of those (the factors average 1 over it).
        let means_of = |rows: &[Vec<f64>]| -> (Vec<f64>, f64) {
            let raw: Vec<f64> = rows.iter().map(|r| mean_of(r)).collect();
            let scale = mean_of(&raw);
            (raw, scale)
        };
        let ((raw, scale), (their_raw, their_scale)) = (means_of(&ratios), means_of(&theirs));
        if !(scale > 0.0 && scale.is_finite() && their_scale > 0.0 && their_scale.is_finite()) {
            return global();
        }
        let own: Vec<f64> = raw.iter().map(|r| r / scale).collect();
        let assortment: Vec<f64> = their_raw.iter().map(|r| r / their_scale).collect();
        // Noise of each own factor: the variance of its mean across years.
        let noise = ratios
            .iter()
            .zip(&raw)
            .map(|(r, m)| r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (r.len() - 1) as f64 / r.len() as f64)
            .sum::<f64>()
            / MONTHS as f64
            / (scale * scale);
        let spread = own.iter().zip(&assortment).map(|(o, g)| (o - g).powi(2)).sum::<f64>() / MONTHS as f64;
        // The spread chance alone would reach in 95% of series without a season of
        // their own: spread / noise is then F-distributed with (months, Σ(years − 1))
        // degrees of freedom. Only the spread beyond it counts as signal.
        let df: f64 = ratios.iter().map(|r| (r.len() - 1) as f64).sum();
        let chance = FisherSnedecor::new(MONTHS as f64, df).map_or(f64::INFINITY, |f| f.inverse_cdf(CHANCE));
        let signal = (spread - chance * noise).max(0.0);
        let weight = if signal > 0.0 { signal / (signal + noise) } else { 0.0 };
        if !weight.is_finite() || weight <= 0.0 {
            return global();
        }
        let by_month =
            own.iter().zip(&assortment).map(|(o, g)| 1.0 - weight + weight * o / g.max(MIN_FACTOR)).collect();
        (Profile { factors: self.factors.clone(), monthly: self.monthly, by_month }, weight)
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

    /// Ten years of months: `shape` of the month (1-based), times a trend, plus
    /// deterministic noise of relative size `noise`.
    fn months(shape: impl Fn(u32) -> f64, trend: f64, noise: f64) -> (NaiveDate, Vec<f64>) {
        let start = day(2010, 1, 1);
        let days = 3652;
        let y = (0..days)
            .map(|d| {
                let date = start + chrono::Days::new(d as u64);
                let wobble = ((date.year() * 13 + date.month() as i32 * 7) % 11) as f64 / 5.0 - 1.0;
                (100.0 * shape(date.month()) * (1.0 + trend * d as f64 / days as f64) * (1.0 + noise * wobble)).max(0.0)
            })
            .collect();
        (start, y)
    }

    fn assortment(shape: impl Fn(u32) -> f64) -> Profile {
        let (start, y) = months(shape, 0.0, 0.0);
        let mut c = SeasonCounts::new(true);
        c.add(start, &y);
        c.profile().unwrap_or_else(|| panic!("ten years"))
    }

    #[test]
    fn a_series_with_its_own_season_keeps_it() {
        // The assortment peaks in December; this series in July, every year, growing.
        let whole = assortment(|m| if m == 12 { 3.0 } else { 1.0 });
        let (start, y) = months(|m| if m == 7 { 4.0 } else { 1.0 }, 1.0, 0.05);
        let (own, w) = whole.own(start, &y);
        assert!(w > 0.95, "{w}");
        assert!(own.factor(day(2030, 7, 10)) > 2.5 && own.factor(day(2030, 12, 10)) < 1.0, "{own:?}");
        let mean = (1..=12).map(|m| own.factor(day(2030, m, 10))).sum::<f64>() / 12.0;
        assert!((mean - 1.0).abs() < 1e-9, "{mean}");
    }

    #[test]
    fn noise_and_trend_are_not_read_as_a_season() {
        let whole = assortment(|m| if m == 12 { 3.0 } else { 1.0 });
        // The assortment's season, a strong trend and noise: nothing of its own.
        let (start, y) = months(|m| if m == 12 { 3.0 } else { 1.0 }, 3.0, 0.3);
        let (own, w) = whole.own(start, &y);
        assert_eq!((w, &own), (0.0, &whole));
        // Flat demand tripling over the years against a flat assortment: whatever
        // the weight, no month moves by as much as 1%.
        let flat = assortment(|_| 1.0);
        let (own, _) = flat.own(start, &months(|_| 1.0, 2.0, 0.0).1);
        assert!((1..=12).all(|m| (own.factor(day(2030, m, 10)) - 1.0).abs() < 0.01), "{own:?}");
        // Two years hold one ratio per month at most (the moving average needs half
        // a year either side): too few to tell.
        let (start, y) = months(|m| if m == 7 { 4.0 } else { 1.0 }, 0.0, 0.0);
        assert_eq!(whole.own(start, &y[..730]).1, 0.0);
        assert!(whole.own(start, &y[..1100]).1 > 0.9);
        // Missing days (stock-outs) leave their months out, not the series.
        let mut gappy = y.clone();
        for v in gappy.iter_mut().skip(200).step_by(3) {
            *v = f64::NAN;
        }
        assert!(whole.own(start, &gappy).1 > 0.9);
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
