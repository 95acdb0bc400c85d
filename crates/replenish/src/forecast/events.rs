//! Holidays and events as regressors: a table of events (date, name, optional
//! location, days before and after) becomes one 0/1 column per event name, 1 on the
//! days from `date − before` to `date + after` at the event's location (or
//! everywhere when it has none). The same columns serve the history (`df`) and the
//! horizon (`X_df`), so a model learns an event's effect, including the days around
//! it (shopping before Christmas, the lull after it).

use crate::error::{Error, Result};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One occurrence of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub date: NaiveDate,
    pub name: String,
    /// Where it applies; `None` = every location.
    #[serde(default)]
    pub location: Option<String>,
    /// Days before the date that count as part of it.
    #[serde(default)]
    pub before: u32,
    /// Days after the date that count as part of it.
    #[serde(default)]
    pub after: u32,
}

impl Event {
    /// The first and last day it covers.
    pub fn span(&self) -> (NaiveDate, NaiveDate) {
        (self.date - Duration::days(i64::from(self.before)), self.date + Duration::days(i64::from(self.after)))
    }

    /// Whether it covers `date` at `location` (an event without a location is
    /// everywhere).
    pub fn covers(&self, location: &str, date: NaiveDate) -> bool {
        let (from, to) = self.span();
        self.location.as_deref().is_none_or(|l| l == location) && from <= date && date <= to
    }
}

/// Dates from days since 1970-01-01 (as the bindings pass them).
pub fn dates_from_days(days: &[i64]) -> Result<Vec<NaiveDate>> {
    days.iter()
        .map(|&d| {
            i32::try_from(d)
                .ok()
                .and_then(|d| NaiveDate::from_num_days_from_ce_opt(719_163 + d))
                .ok_or_else(|| Error::InvalidInput(format!("day {d} is out of range")))
        })
        .collect()
}

/// Most days an event may reach before or after its date.
pub const MAX_WINDOW: u32 = 366;

/// The event columns for rows at `dates` (with their `locations`, when rows belong to
/// locations): one column per event name, in name order, named `name`. A row is 1 in
/// a column when an occurrence of that event covers its date at its location.
pub fn event_columns(
    dates: &[NaiveDate],
    locations: Option<&[String]>,
    events: &[Event],
) -> Result<Vec<(String, Vec<f64>)>> {
    if let Some(l) = locations {
        if l.len() != dates.len() {
            return Err(Error::InvalidInput(format!("{} locations for {} dates", l.len(), dates.len())));
        }
    }
    for (k, e) in events.iter().enumerate() {
        if e.name.trim().is_empty() {
            return Err(Error::InvalidInput(format!("event {}: the name is empty", k + 1)));
        }
        if e.before > MAX_WINDOW || e.after > MAX_WINDOW {
            return Err(Error::InvalidInput(format!(
                "event {} (`{}` on {}): before/after must be at most {MAX_WINDOW} days",
                k + 1,
                e.name,
                e.date
            )));
        }
    }
    // Per name: covered (date, location) spans.
    let mut by_name: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
    for e in events {
        by_name.entry(e.name.as_str()).or_default().push(e);
    }
    Ok(by_name
        .into_iter()
        .map(|(name, occ)| {
            let col = dates
                .iter()
                .enumerate()
                .map(|(r, d)| {
                    let here = locations.map(|l| l[r].as_str());
                    let hit = occ.iter().any(|e| {
                        let (from, to) = e.span();
                        let place = match (&e.location, here) {
                            (None, _) => true,
                            (Some(l), Some(h)) => l == h,
                            (Some(_), None) => true,
                        };
                        place && from <= *d && *d <= to
                    });
                    f64::from(u8::from(hit))
                })
                .collect();
            (name.to_string(), col)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn windows_and_locations() {
        let dates: Vec<NaiveDate> =
            ["2025-12-22", "2025-12-24", "2025-12-25", "2025-12-27", "2025-12-24"].map(d).to_vec();
        let locs: Vec<String> = ["A", "A", "A", "A", "B"].map(String::from).to_vec();
        let events = vec![
            Event { date: d("2025-12-25"), name: "christmas".into(), location: None, before: 2, after: 1 },
            Event { date: d("2025-12-24"), name: "fair".into(), location: Some("B".into()), before: 0, after: 0 },
        ];
        let cols = event_columns(&dates, Some(&locs), &events).unwrap_or_default();
        assert_eq!(cols[0], ("christmas".to_string(), vec![0.0, 1.0, 1.0, 0.0, 1.0]));
        assert_eq!(cols[1], ("fair".to_string(), vec![0.0, 0.0, 0.0, 0.0, 1.0]));
        let long = Event { before: 400, ..events[0].clone() };
        assert!(event_columns(&dates, None, &[long]).is_err());
    }
}
