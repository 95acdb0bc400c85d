//! The dataset's demand drivers as a forecasting panel: every SKU-location's daily
//! demand (stock-out days missing) with the promotion calendar, planned prices,
//! events and weather as regressor columns over the history and the next `h` days.
//! The panel goes straight into [`crate::forecast::forecast_batch`] with a model
//! that uses regressors (GBDT, AutoARIMA, ARIMA, MSTL with an ARIMA trend).
//!
//! Columns, each present only when the dataset has what it needs:
//! * `promotion`: 1 on promotion days (flagged on sales lines or in the calendar);
//!   the horizon's come from the calendar.
//! * `discount`: the promotion's discount share on its days, else 0.
//! * `price`: the planned price (`prices.csv`) covering the day; on past days
//!   without one, the day's average selling price from the sales lines, then the
//!   item's list price. A day with none of these is an error naming it.
//! * one column per event name: 1 on the days the event covers at the location.
//! * one column per weather variable: the location's value that day. Every history
//!   and horizon day of a location with sales needs a row; the error names the
//!   first missing ones.

use crate::error::{Error, Result};
use crate::forecast::{Panel, Regressors, TimeUnit, Times};
use crate::model::*;
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

/// Most missing (location, date) pairs of weather named in an error.
const SHOWN: usize = 3;

/// Midnight of `date` in milliseconds since the epoch.
fn millis(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis())
}

/// The demand history of `data` with its drivers as regressors, ids
/// `sku/location`, times in milliseconds, and `h` horizon days after the history
/// ends. Stock-out days are missing values (`NaN`): choose a missing-value policy
/// when forecasting.
pub fn driver_panel(data: &Dataset, h: usize) -> Result<Panel> {
    if h == 0 {
        return Err(Error::config("h", "the horizon must be at least 1 day"));
    }
    let demand = &data.demand;
    let n = demand.len();
    if n == 0 {
        return Err(Error::InvalidInput("the dataset has no demand history".into()));
    }
    let mut ids = Vec::with_capacity(n);
    let mut values = Vec::with_capacity(demand.total_days());
    let mut history_dates = Vec::with_capacity(demand.total_days());
    let mut future_dates = Vec::with_capacity(n * h);
    // Per value and per horizon step: (series, date).
    for i in 0..n {
        let s = demand.series(i);
        ids.push(format!("{}/{}", s.key.sku, s.key.location));
        for d in 0..s.quantity.len() {
            values.push(if s.stockout[d] { f64::NAN } else { s.quantity[d] });
            history_dates.push((i, s.start + Duration::days(d as i64)));
        }
        let end = s.start + Duration::days(s.quantity.len() as i64 - 1);
        future_dates.extend((1..=h as i64).map(|k| (i, end + Duration::days(k))));
    }
    let offsets = demand.offsets.clone();
    let key = |i: usize| &demand.keys[i];

    let mut names: Vec<String> = Vec::new();
    let mut history: Vec<Vec<f64>> = Vec::new();
    let mut future: Vec<Vec<f64>> = Vec::new();
    let mut push = |name: &str, f: &dyn Fn(usize, NaiveDate, Option<usize>) -> Result<f64>| -> Result<()> {
        let mut hist = Vec::with_capacity(history_dates.len());
        for (pos, &(i, date)) in history_dates.iter().enumerate() {
            hist.push(f(i, date, Some(pos))?);
        }
        let fut = future_dates.iter().map(|&(i, date)| f(i, date, None)).collect::<Result<Vec<f64>>>()?;
        names.push(name.to_string());
        history.push(hist);
        future.push(fut);
        Ok(())
    };

    // Promotions, indexed by SKU.
    let promos = data.promotions.as_deref().unwrap_or_default();
    let mut by_sku: HashMap<&str, Vec<&Promotion>> = HashMap::new();
    for p in promos {
        by_sku.entry(p.sku.as_str()).or_default().push(p);
    }
    let covering = |i: usize, date: NaiveDate| -> Vec<&Promotion> {
        let k = key(i);
        by_sku
            .get(k.sku.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|p| p.covers(&k.sku, &k.location, date))
            .collect()
    };
    if data.promotions.is_some() || demand.promotion.any() {
        push("promotion", &|i, date, pos| {
            let flagged = pos.is_some_and(|p| demand.promotion[p]);
            Ok(f64::from(u8::from(flagged || !covering(i, date).is_empty())))
        })?;
    }
    if promos.iter().any(|p| p.discount.is_some()) {
        push("discount", &|i, date, _| Ok(covering(i, date).iter().filter_map(|p| p.discount).fold(0.0, f64::max)))?;
    }

    if let Some(prices) = &data.prices {
        let mut by_sku: HashMap<&str, Vec<&PlannedPrice>> = HashMap::new();
        for p in prices {
            by_sku.entry(p.sku.as_str()).or_default().push(p);
        }
        let list: HashMap<&str, f64> =
            data.items.iter().filter_map(|it| it.sell_price.map(|p| (it.sku.as_str(), p))).collect();
        push("price", &|i, date, pos| {
            let k = key(i);
            // A location's own price before an all-location one.
            let planned = by_sku
                .get(k.sku.as_str())
                .into_iter()
                .flatten()
                .filter(|p| p.covers(&k.sku, &k.location, date))
                .min_by_key(|p| p.location.is_none())
                .map(|p| p.price);
            let observed = pos.and_then(|p| demand.price.get(p));
            planned.or(observed).or(list.get(k.sku.as_str()).copied()).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "no price for `{}` at `{}` on {date}: prices.csv covers no such day, no sale that day has a price, and items.csv has no sell_price",
                    k.sku, k.location
                ))
            })
        })?;
    }

    if let Some(events) = data.events.as_deref().filter(|e| !e.is_empty()) {
        let mut event_names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        event_names.sort_unstable();
        event_names.dedup();
        for name in event_names {
            let these: Vec<&Event> = events.iter().filter(|e| e.name == name).collect();
            push(name, &|i, date, _| Ok(f64::from(u8::from(these.iter().any(|e| e.covers(&key(i).location, date))))))?;
        }
    }

    if let Some(weather) = &data.weather {
        let index: HashMap<(&str, NaiveDate), &[f64]> =
            weather.days.iter().map(|d| ((d.location.as_str(), d.date), d.values.as_slice())).collect();
        let mut missing: Vec<(String, NaiveDate)> = Vec::new();
        for &(i, date) in history_dates.iter().chain(&future_dates) {
            let loc = key(i).location.as_str();
            if !index.contains_key(&(loc, date)) {
                missing.push((loc.to_string(), date));
            }
        }
        missing.sort();
        missing.dedup();
        if !missing.is_empty() {
            let shown: Vec<String> =
                missing.iter().take(SHOWN).map(|(l, d)| format!("location `{l}` on {d}")).collect();
            let more = missing.len().saturating_sub(SHOWN);
            return Err(Error::InvalidInput(format!(
                "weather.csv has no row for {}{}: the weather regressors need every history and horizon day of each location with sales (give the forecast weather for the next {h} day(s), or leave weather.csv out)",
                shown.join(", "),
                if more > 0 { format!(" (and {more} more)") } else { String::new() }
            )));
        }
        for (v, name) in weather.variables.iter().enumerate() {
            push(name, &|i, date, _| Ok(index.get(&(key(i).location.as_str(), date)).map_or(f64::NAN, |x| x[v])))?;
        }
    }

    let times = Times {
        unit: TimeUnit::Milliseconds,
        history: history_dates.iter().map(|&(_, d)| millis(d)).collect(),
        future: future_dates.iter().map(|&(_, d)| millis(d)).collect(),
    };
    let panel = Panel::new(ids, offsets, values)?.with_times(times)?;
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = names.iter().find(|n| !seen.insert(n.as_str())) {
        return Err(Error::InvalidInput(format!(
            "two regressors are named `{dup}` (an event name or weather variable repeats another driver's name): rename one"
        )));
    }
    if names.is_empty() {
        return Ok(panel);
    }
    panel.with_regressors(Regressors { names, history, future })
}
