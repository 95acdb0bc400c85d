//! Demand uplifts learnt from history: promotions (per SKU-location, else the
//! category median) and events (per event name, per SKU-location, else the
//! category's median, else every series' median).

use crate::model::*;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Promotion uplifts learnt from history: per series index (SKU-location), and the
/// median per category.
#[derive(Debug, Default)]
pub(super) struct Uplifts {
    pub series: HashMap<usize, (f64, usize)>,
    pub category: HashMap<String, f64>,
    /// (category, uplift) of each series with its own: what the medians are of.
    pub samples: Vec<(String, f64)>,
}

/// Fewest past promotion days (not censored) for a SKU-location's own uplift.
const MIN_PROMOTION_DAYS: usize = 3;

/// The promotion calendar indexed by SKU.
pub(crate) fn promotions_by_sku(data: &Dataset) -> HashMap<&str, Vec<&Promotion>> {
    let mut by_sku: HashMap<&str, Vec<&Promotion>> = HashMap::new();
    for p in data.promotions.iter().flatten() {
        by_sku.entry(p.sku.as_str()).or_default().push(p);
    }
    by_sku
}

/// Per demand series, its promotion days: flagged on the sales lines or covered by
/// the calendar (one pass over the calendar, not one per day).
pub(crate) fn promotion_days(data: &Dataset, by_sku: &HashMap<&str, Vec<&Promotion>>) -> Vec<DayFlags> {
    (0..data.demand.len())
        .into_par_iter()
        .map(|i| {
            let s = data.demand.series(i);
            let mut days: DayFlags = s.promotion.to_bitvec();
            for p in by_sku.get(s.key.sku.as_str()).into_iter().flatten() {
                if p.location.as_deref().is_some_and(|l| l != s.key.location) {
                    continue;
                }
                let from = (p.start - s.start).num_days().max(0) as usize;
                let to = ((p.end - s.start).num_days() + 1).clamp(0, days.len() as i64) as usize;
                if from < to {
                    days[from..to].fill(true);
                }
            }
            days
        })
        .collect()
}

/// Days before the planning date in which a SKU-location's promotion share is counted.
pub(super) const USUAL_WINDOW: usize = 364;

/// Share of those days (not censored) on promotion from which a promotion is the
/// SKU-location's usual state rather than an exception.
const USUAL_PROMOTION_SHARE: f64 = 0.5;

/// Per demand series, the share of its last [`USUAL_WINDOW`] uncensored days up to
/// `as_of` that were on promotion, when it is at least [`USUAL_PROMOTION_SHARE`]:
/// such a series has too few ordinary days to learn a baseline from, so its
/// promotion days are cleared from `promo` (the plan learns from every day, and a
/// planned promotion does not raise demand above what is usual for it).
pub(super) fn usual_promotions(data: &Dataset, as_of: NaiveDate, promo: &mut [DayFlags]) -> Vec<Option<f64>> {
    promo
        .par_iter_mut()
        .enumerate()
        .map(|(i, flags)| {
            let s = data.demand.series(i);
            let days = ((as_of - s.start).num_days() + 1).clamp(0, s.quantity.len() as i64) as usize;
            let (mut seen, mut on) = (0usize, 0usize);
            for d in (days.saturating_sub(USUAL_WINDOW)..days).filter(|&d| !s.stockout[d]) {
                seen += 1;
                on += usize::from(flags[d]);
            }
            let share = on as f64 / seen.max(1) as f64;
            (on > 0 && share >= USUAL_PROMOTION_SHARE).then(|| {
                flags.fill(false);
                share
            })
        })
        .collect()
}

/// Half-width, in days, of the window of ordinary days that gives the local level.
const LOCAL_WINDOW: usize = 28;

/// Expected demand on any past day from the series' ordinary days (no promotion, no
/// event, no stock-out): the mean of the ordinary days within ±[`LOCAL_WINDOW`]
/// days (the local level, so that seasonality and trend are not mistaken for an
/// uplift) times the day's weekday factor (ordinary weekday mean over the ordinary
/// mean).
struct Ordinary {
    /// Prefix sums of ordinary demand and of ordinary-day counts.
    sum: Vec<f64>,
    count: Vec<usize>,
    weekday: [f64; 7],
    /// Weekday of the series' first day (Monday 0).
    first_weekday: usize,
    /// Ordinary days with demand, as a share of ordinary days.
    demand_share: f64,
}

impl Ordinary {
    /// `None` when there are fewer than two weeks of ordinary days or no demand on them.
    fn new(q: &[f64], ordinary: &[bool], start: NaiveDate) -> Option<Ordinary> {
        let mut sum = vec![0.0; q.len() + 1];
        let mut count = vec![0usize; q.len() + 1];
        let mut by_weekday = [(0.0, 0usize); 7];
        let mut nonzero = 0usize;
        let first_weekday = start.weekday().num_days_from_monday() as usize;
        for d in 0..q.len() {
            let o = ordinary[d];
            sum[d + 1] = sum[d] + if o { q[d] } else { 0.0 };
            count[d + 1] = count[d] + usize::from(o);
            if o {
                let w = &mut by_weekday[(first_weekday + d) % 7];
                w.0 += q[d];
                w.1 += 1;
                nonzero += usize::from(q[d] > 0.0);
            }
        }
        let (total, n) = (sum[q.len()], count[q.len()]);
        if n < 14 || total <= 0.0 {
            return None;
        }
        let mean = total / n as f64;
        let weekday = by_weekday.map(|(s, c)| if c >= 2 { s / c as f64 / mean } else { 1.0 });
        Some(Ordinary { sum, count, weekday, first_weekday, demand_share: nonzero as f64 / n as f64 })
    }

    fn expected(&self, d: usize) -> f64 {
        let n = self.sum.len() - 1;
        let (a, b) = (d.saturating_sub(LOCAL_WINDOW), (d + LOCAL_WINDOW + 1).min(n));
        let (s, c) = (self.sum[b] - self.sum[a], self.count[b] - self.count[a]);
        let level = if c >= 7 { s / c as f64 } else { self.sum[n] / self.count[n] as f64 };
        level * self.weekday[(self.first_weekday + d) % 7]
    }
}

/// The ordinary days of series `i` up to `days`: not censored, not on promotion,
/// not covered by an event.
fn ordinary_days(s: &crate::model::SeriesView, days: usize, promo: Option<&DayFlagsView>, event: &[bool]) -> Vec<bool> {
    (0..days)
        .map(|d| !s.stockout[d] && !promo.is_some_and(|p| p[d]) && !event.get(d).copied().unwrap_or(false))
        .collect()
}

/// With a promotion calendar: each SKU-location's uplift, demand on its past
/// promotion days over the demand expected on them from ordinary days
/// ([`Ordinary`]: local level and weekday), with at least three promotion days; and
/// each category's median.
pub(super) fn promotion_uplifts(
    data: &Dataset,
    items: &HashMap<&str, &Item>,
    as_of: NaiveDate,
    promo: &[DayFlags],
    ev: &EventDays,
) -> Uplifts {
    let mut out = Uplifts::default();
    if data.promotions.is_none() {
        return out;
    }
    let mut by_category: HashMap<String, Vec<f64>> = HashMap::new();
    // Each series on its own (in parallel), then gathered in series order.
    let own: Vec<Option<(f64, usize)>> = promo
        .par_iter()
        .enumerate()
        .map(|(i, flags)| {
            let s = data.demand.series(i);
            let days = ((as_of - s.start).num_days() + 1).clamp(0, s.quantity.len() as i64) as usize;
            let ordinary = ordinary_days(&s, days, Some(flags), &ev.mask(i, days));
            let base = Ordinary::new(&s.quantity[..days], &ordinary, s.start)?;
            let (mut sum, mut exp, mut n) = (0.0, 0.0, 0usize);
            for d in (0..days).filter(|&d| flags[d] && !s.stockout[d]) {
                sum += s.quantity[d];
                exp += base.expected(d);
                n += 1;
            }
            (n >= MIN_PROMOTION_DAYS && exp > 0.0).then(|| (sum / exp, n))
        })
        .collect();
    for (i, (uplift, n)) in own.into_iter().enumerate().filter_map(|(i, o)| Some((i, o?))) {
        out.series.insert(i, (uplift, n));
        if let Some(item) = items.get(data.demand.keys[i].sku.as_str()) {
            by_category.entry(item.category.clone()).or_default().push(uplift);
            out.samples.push((item.category.clone(), uplift));
        }
    }
    for (cat, v) in by_category {
        out.category.insert(cat, median(v));
    }
    out
}

pub(super) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_unstable_by(f64::total_cmp);
    crate::forecast::sorted_quantile(&v, 0.5)
}

/// Fewest past days of an event (not censored, not on promotion) for a
/// SKU-location's own uplift for it.
const MIN_EVENT_DAYS: usize = 3;

/// Fewest units of ordinary demand, and fewest days with demand, expected over
/// those days for a SKU-location's own uplift: below them (slow, intermittent and
/// lumpy items) a ratio of a few counts is noise, and the category's median is used.
const MIN_EVENT_UNITS: f64 = 10.0;
const MIN_EVENT_DEMAND_DAYS: f64 = 5.0;

/// Per demand series, the days events cover: (day index, event-name index), sorted.
pub(super) struct EventDays {
    pub names: Vec<String>,
    /// Per series, (day, event-name index) pairs, sorted.
    pub series: Vec<Vec<(u32, u32)>>,
}

impl EventDays {
    /// Whether any event covers day `d` of series `i`.
    pub fn mask(&self, i: usize, len: usize) -> Vec<bool> {
        let mut m = vec![false; len];
        for &(d, _) in &self.series[i] {
            if let Some(m) = m.get_mut(d as usize) {
                *m = true;
            }
        }
        m
    }
}

/// The event days of every demand series, from the dataset's events.
pub(super) fn event_days(data: &Dataset) -> EventDays {
    let events = data.events.as_deref().unwrap_or_default();
    let mut names: Vec<String> = events.iter().map(|e| e.name.clone()).collect();
    names.sort();
    names.dedup();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(k, n)| (n.as_str(), k)).collect();
    let series = (0..data.demand.len())
        .into_par_iter()
        .map(|i| {
            let s = data.demand.series(i);
            let mut days = Vec::new();
            for e in events {
                if e.location.as_deref().is_some_and(|l| l != s.key.location) {
                    continue;
                }
                let (from, to) = e.span();
                let a = (from - s.start).num_days().max(0);
                let b = ((to - s.start).num_days() + 1).min(s.quantity.len() as i64);
                for d in a..b {
                    days.push((d as u32, index[e.name.as_str()] as u32));
                }
            }
            days.sort_unstable();
            days.dedup();
            days
        })
        .collect();
    EventDays { names, series }
}

/// Event uplifts: per (series, event-name index) with the number of days behind it,
/// per (category, name) the median of the series' own, and per name the median over
/// every series.
#[derive(Debug, Default)]
pub(super) struct EventUplifts {
    pub series: HashMap<(usize, usize), (f64, usize)>,
    pub category: HashMap<(String, usize), f64>,
    pub all: HashMap<usize, f64>,
    /// (category if the item is known, event-name index, uplift) of each series with
    /// its own: what the medians are of.
    pub samples: Vec<(Option<String>, usize, f64)>,
}

/// One series' past days of one event: its demand, the demand expected from ordinary
/// days, how many days and how many of them expected to have demand.
struct EventSum {
    name: usize,
    demand: f64,
    expected: f64,
    days: usize,
    demand_days: f64,
}

/// Each event's uplift per SKU-location: demand on its past days over the demand
/// expected on them from ordinary days ([`Ordinary`]: local level and weekday), so
/// that an event in a busy season or on busy weekdays is not mistaken for an
/// uplift. Needs [`MIN_EVENT_DAYS`] of its days, and [`MIN_EVENT_UNITS`] and
/// [`MIN_EVENT_DEMAND_DAYS`] expected on them.
pub(super) fn event_uplifts(
    data: &Dataset,
    items: &HashMap<&str, &Item>,
    as_of: NaiveDate,
    ev: &EventDays,
    promo: &[DayFlags],
) -> EventUplifts {
    let mut out = EventUplifts::default();
    let mut by_category: HashMap<(String, usize), Vec<f64>> = HashMap::new();
    let mut by_name: HashMap<usize, Vec<f64>> = HashMap::new();
    // Per series (in parallel) and event name, in name order; gathered in series order.
    let per_series: Vec<Vec<EventSum>> = (0..ev.series.len())
        .into_par_iter()
        .map(|i| {
            if ev.series[i].is_empty() {
                return Vec::new();
            }
            let s = data.demand.series(i);
            let days = ((as_of - s.start).num_days() + 1).clamp(0, s.quantity.len() as i64) as usize;
            let flags = promo.get(i).map(|p| &p[..days]);
            let ordinary = ordinary_days(&s, days, flags, &ev.mask(i, days));
            let Some(base) = Ordinary::new(&s.quantity[..days], &ordinary, s.start) else { return Vec::new() };
            let mut on: BTreeMap<usize, (f64, f64, usize)> = BTreeMap::new();
            for (d, k) in ev.series[i].iter().map(|&(d, k)| (d as usize, k as usize)).filter(|&(d, _)| d < days) {
                if !s.stockout[d] && !flags.is_some_and(|p| p[d]) {
                    let acc = on.entry(k).or_default();
                    acc.0 += s.quantity[d];
                    acc.1 += base.expected(d);
                    acc.2 += 1;
                }
            }
            on.into_iter()
                .map(|(name, (demand, expected, days))| EventSum {
                    name,
                    demand,
                    expected,
                    days,
                    demand_days: days as f64 * base.demand_share,
                })
                .collect()
        })
        .collect();
    for (i, on) in per_series.into_iter().enumerate() {
        let s = data.demand.series(i);
        for EventSum { name: k, demand: sum, expected: exp, days: n, demand_days } in on {
            if n < MIN_EVENT_DAYS || exp < MIN_EVENT_UNITS || demand_days < MIN_EVENT_DEMAND_DAYS {
                continue;
            }
            let uplift = sum / exp;
            out.series.insert((i, k), (uplift, n));
            by_name.entry(k).or_default().push(uplift);
            let category = items.get(s.key.sku.as_str()).map(|item| item.category.clone());
            if let Some(c) = &category {
                by_category.entry((c.clone(), k)).or_default().push(uplift);
            }
            out.samples.push((category, k, uplift));
        }
    }
    out.category = by_category.into_iter().map(|(k, v)| (k, median(v))).collect();
    out.all = by_name.into_iter().map(|(k, v)| (k, median(v))).collect();
    out
}
