//! The frequency of the POS table: daily lines, or weekly or monthly totals.
//!
//! The engine plans in days. A weekly or monthly total is spread evenly over the
//! days of its period, so every day-based figure (lead times and review periods in
//! days, the 364-day error window, 365 days a year in the EOQ) counts real days and
//! a week's total never reads as one day of sales followed by six days of none.
//! The frequency is declared (`ingest.frequency`) or inferred from the dates; a date
//! that does not fit it is a problem naming the row.

pub use crate::model::{Frequency, PeriodDate};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeMap;

/// The frequency the sales are read at, with the day its lines are dated by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub frequency: Frequency,
    pub dated: PeriodDate,
    /// Weekly: the weekday every line is dated on.
    pub weekday: Option<Weekday>,
}

/// Share of distinct dates that must follow a pattern for it to be inferred; the
/// dates that do not are then reported (a few stray dates are errors, not a sign
/// of daily data).
const INFER_SHARE: f64 = 0.9;

fn last_of_month(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|n| n.month() != d.month())
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn days_in_month(d: NaiveDate) -> u32 {
    let start = month_start(d);
    let next = start.checked_add_months(chrono::Months::new(1)).unwrap_or(start);
    (next - start).num_days().max(1) as u32
}

impl Resolved {
    pub const DAILY: Resolved = Resolved { frequency: Frequency::Daily, dated: PeriodDate::Start, weekday: None };

    /// The first day and the number of days of the period that holds day `d`: for
    /// a sales line's date, the days its total covers; for a stock-out day, the
    /// period whose total it censors.
    pub fn span(&self, d: NaiveDate) -> (NaiveDate, u32) {
        let back = |w: Weekday| i64::from((7 + d.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7);
        match (self.frequency, self.dated) {
            (Frequency::Weekly, PeriodDate::Start) => {
                (d - chrono::Duration::days(back(self.weekday.unwrap_or(Weekday::Mon))), 7)
            }
            (Frequency::Weekly, PeriodDate::End) => {
                // The week ending on the next dated weekday (d itself when it is one).
                let ahead = (7 - back(self.weekday.unwrap_or(Weekday::Mon))) % 7;
                (d + chrono::Duration::days(ahead - 6), 7)
            }
            (Frequency::Monthly, _) => (month_start(d), days_in_month(d)),
            _ => (d, 1),
        }
    }

    /// Whether `d` is a date this frequency's lines carry.
    pub fn fits(&self, d: NaiveDate) -> bool {
        match (self.frequency, self.dated) {
            (Frequency::Weekly, _) => self.weekday.is_none_or(|w| d.weekday() == w),
            (Frequency::Monthly, PeriodDate::Start) => d.day() == 1,
            (Frequency::Monthly, PeriodDate::End) => last_of_month(d),
            _ => true,
        }
    }

    /// What a date must look like, for problems.
    pub fn expected(&self) -> String {
        match (self.frequency, self.dated) {
            (Frequency::Weekly, _) => {
                format!("weekly sales here are dated on {}s", weekday_name(self.weekday.unwrap_or(Weekday::Mon)))
            }
            (Frequency::Monthly, PeriodDate::Start) => "monthly sales are dated on the 1st of the month".into(),
            (Frequency::Monthly, PeriodDate::End) => "monthly sales are dated on the last day of the month".into(),
            _ => String::new(),
        }
    }

    /// How the sales were read, for the quality report.
    pub fn note(&self, inferred: bool) -> Option<String> {
        let how = if inferred { "inferred from the dates" } else { "declared" };
        match self.frequency {
            Frequency::Weekly => Some(format!(
                "sales are weekly ({how}; {}, each the {} day of its week): each total is spread evenly over its 7 days, so lead times and review periods stay in days",
                self.expected().trim_start_matches("weekly sales here are "),
                if self.dated == PeriodDate::Start { "first" } else { "last" }
            )),
            Frequency::Monthly => Some(format!(
                "sales are monthly ({how}; {}): each total is spread evenly over the days of its month, so lead times and review periods stay in days",
                self.expected().trim_start_matches("monthly sales are ")
            )),
            _ => None,
        }
    }
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// The frequency of sales whose distinct dates are `dates`, as declared (`given`,
/// with `dated`) or inferred: weekly when at least 90% of the dates fall on one
/// weekday and those dates are at least 7 days apart, monthly when 90% are the 1st
/// (or 90% the last day) of their month, daily otherwise. Fewer than 3 dates are
/// daily unless declared.
pub fn resolve(given: Frequency, dated: PeriodDate, dates: &BTreeMap<NaiveDate, (u64, usize)>) -> Resolved {
    let n = dates.len() as f64;
    let share = |k: usize| if n > 0.0 { k as f64 / n } else { 0.0 };
    let firsts = dates.keys().filter(|d| d.day() == 1).count();
    let lasts = dates.keys().filter(|d| last_of_month(**d)).count();
    let mut by_weekday = [0usize; 7];
    for d in dates.keys() {
        by_weekday[d.weekday().num_days_from_monday() as usize] += 1;
    }
    let (top, count) =
        by_weekday.iter().enumerate().max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i))).unwrap_or((0, &0));
    let weekday = Weekday::try_from(top as u8).ok();
    let monthly_dated = if lasts > firsts { PeriodDate::End } else { PeriodDate::Start };
    match given {
        Frequency::Daily => Resolved::DAILY,
        Frequency::Weekly => Resolved { frequency: Frequency::Weekly, dated, weekday: weekday.or(Some(Weekday::Mon)) },
        Frequency::Monthly => Resolved { frequency: Frequency::Monthly, dated, weekday: None },
        Frequency::Auto if dates.len() < 3 => Resolved::DAILY,
        Frequency::Auto => {
            if share(firsts.max(lasts)) >= INFER_SHARE {
                return Resolved { frequency: Frequency::Monthly, dated: monthly_dated, weekday: None };
            }
            let on_day: Vec<NaiveDate> = dates.keys().copied().filter(|d| Some(d.weekday()) == weekday).collect();
            let spaced = on_day.windows(2).all(|w| (w[1] - w[0]).num_days() >= 7);
            if share(*count) >= INFER_SHARE && spaced {
                Resolved { frequency: Frequency::Weekly, dated, weekday }
            } else {
                Resolved::DAILY
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(ds: &[NaiveDate]) -> BTreeMap<NaiveDate, (u64, usize)> {
        ds.iter().enumerate().map(|(i, d)| (*d, (i as u64 + 2, 1))).collect()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn infers_daily_weekly_and_monthly() {
        let daily: Vec<_> = (0..30).map(|i| day(2026, 1, 1) + chrono::Duration::days(i)).collect();
        assert_eq!(resolve(Frequency::Auto, PeriodDate::Start, &dates(&daily)), Resolved::DAILY);
        let weekly: Vec<_> = (0..30).map(|i| day(2026, 1, 5) + chrono::Duration::days(7 * i)).collect();
        let r = resolve(Frequency::Auto, PeriodDate::Start, &dates(&weekly));
        assert_eq!((r.frequency, r.weekday), (Frequency::Weekly, Some(Weekday::Mon)));
        assert_eq!(r.span(day(2026, 1, 5)), (day(2026, 1, 5), 7));
        // A day inside a week belongs to the week that holds it.
        assert_eq!(r.span(day(2026, 1, 8)), (day(2026, 1, 5), 7));
        // One stray Wednesday among 30 Mondays: still weekly, and the stray date does not fit.
        let mut stray = weekly.clone();
        stray.push(day(2026, 1, 7));
        let r = resolve(Frequency::Auto, PeriodDate::Start, &dates(&stray));
        assert_eq!(r.frequency, Frequency::Weekly);
        assert!(!r.fits(day(2026, 1, 7)) && r.fits(day(2026, 1, 12)));
        assert!(r.expected().contains("Mondays"));
        let monthly: Vec<_> = (1..=12).map(|m| day(2025, m, 1)).collect();
        let r = resolve(Frequency::Auto, PeriodDate::Start, &dates(&monthly));
        assert_eq!((r.frequency, r.dated), (Frequency::Monthly, PeriodDate::Start));
        assert_eq!(r.span(day(2025, 2, 1)), (day(2025, 2, 1), 28));
        let ends: Vec<_> = (1..=12).map(|m| day(2025, m, days_in_month(day(2025, m, 1)))).collect();
        let r = resolve(Frequency::Auto, PeriodDate::Start, &dates(&ends));
        assert_eq!((r.frequency, r.dated), (Frequency::Monthly, PeriodDate::End));
        assert_eq!(r.span(day(2024, 2, 29)), (day(2024, 2, 1), 29));
        // Weekly dated by the week's end.
        let sundays: Vec<_> = weekly.iter().map(|d| *d + chrono::Duration::days(6)).collect();
        let r = resolve(Frequency::Weekly, PeriodDate::End, &dates(&sundays));
        assert_eq!(r.span(day(2026, 1, 11)), (day(2026, 1, 5), 7));
        assert_eq!(r.span(day(2026, 1, 7)), (day(2026, 1, 5), 7));
        // Declared daily stays daily.
        assert_eq!(resolve(Frequency::Daily, PeriodDate::Start, &dates(&weekly)), Resolved::DAILY);
    }
}
