//! A plan in parts, for runs over partitions of SKUs (Spark, Dask, or batches on one
//! machine). Most of a plan is per SKU-location, but three things are decided by the
//! assortment as a whole: the planning date (the latest inventory snapshot), the ABC
//! class (a ranking by value over every SKU-location) and the category medians of
//! promotion and event uplifts. And supplier minimums, truck fill, budgets and PO
//! numbers need every line. So a split plan runs:
//!
//! 1. [`plan_stats`](super::plan_stats) on each part: small statistics;
//!    with a seasonal profile, the coverage each part measures needs the whole
//!    assortment's, so when [`PlanGlobals::season_counts_to_share`] returns the
//!    merged counts, step 1 runs again with them as `season_counts` in the
//!    configuration (as it does when the parts disagree on the planning date);
//! 2. [`PlanGlobals::merge`] of them all;
//! 3. [`plan_lines`](super::plan_lines) on each part, given the globals;
//! 4. [`finish_plan`](super::finish_plan) over all lines.
//!
//! A part holds whole SKUs: every location of a SKU, with its sales, inventory,
//! open orders, receipts and promotions; the master data (items, suppliers, supply
//! terms, events) may be given whole to every part. The result is the plan of the
//! whole data, bit for bit ([`plan`](super::plan) is these four steps on one part).

use super::uplift::{median, EventUplifts, Uplifts};
use super::{Facts, PlanConfig};
use crate::error::{Error, Result};
use crate::policy::classes::{abc_by_value, ClassThresholds};
use crate::policy::coverage::Coverage;
use crate::policy::season::SeasonCounts;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The parts' sales by period of the year, merged.
fn merged_season(parts: &[PlanStats]) -> SeasonCounts {
    let mut merged = SeasonCounts::default();
    for p in parts {
        merged.merge(&p.season);
    }
    merged
}

/// [`PlanGlobals::season_counts_to_share`] with the parts' `merged` counts.
fn season_to_share(config: &PlanConfig, parts: &[PlanStats], merged: &SeasonCounts) -> Option<SeasonCounts> {
    let ok = match &config.season_counts {
        Some(given) => given == merged,
        None => parts.len() <= 1 || !config.seasonal_profile || merged.profile().is_none(),
    };
    (!ok).then(|| merged.clone())
}

/// What one part of the data tells the merge.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanStats {
    /// The planning date this part resolved (the configuration's, or its latest
    /// inventory snapshot).
    pub as_of: Option<NaiveDate>,
    /// The last day of this part's sales history.
    pub history_end: Option<NaiveDate>,
    /// Each SKU-location's value for the ABC ranking (units sold × unit cost).
    pub values: Vec<SeriesValue>,
    /// Promotion uplifts of SKU-locations with their own, by category.
    pub promotion_uplifts: Vec<CategoryUplift>,
    /// Event uplifts of SKU-locations with their own.
    pub event_uplifts: Vec<EventSample>,
    /// Out-of-sample coverage of the `errors` method's levels on each series' own
    /// past, by demand class ([`crate::policy::coverage`]).
    #[serde(default)]
    pub coverage: Coverage,
    /// This part's sales by period of the year, for the assortment's seasonal
    /// profile ([`crate::policy::season`]).
    #[serde(default)]
    pub season: SeasonCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesValue {
    pub sku: String,
    pub location: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryUplift {
    pub category: String,
    pub uplift: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSample {
    /// `None` when the item is not in the master data.
    pub category: Option<String>,
    pub event: String,
    pub uplift: f64,
}

/// What the assortment as a whole decides, merged from every part's [`PlanStats`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanGlobals {
    pub as_of: NaiveDate,
    /// The last day of sales history over all parts.
    pub history_end: Option<NaiveDate>,
    /// ABC class by SKU, then location.
    pub abc: BTreeMap<String, BTreeMap<String, char>>,
    /// Median promotion uplift by category.
    pub promotion_uplifts: BTreeMap<String, f64>,
    /// Median event uplift by category, then event name.
    pub event_category_uplifts: BTreeMap<String, BTreeMap<String, f64>>,
    /// Median event uplift by event name, over every SKU-location.
    pub event_uplifts: BTreeMap<String, f64>,
    /// The parts' coverage pools, merged: what corrects cycle-service targets.
    #[serde(default)]
    pub coverage: Coverage,
    /// The parts' sales by period of the year, merged: the seasonal profile.
    #[serde(default)]
    pub season: SeasonCounts,
}

impl PlanGlobals {
    /// Merges the statistics of every part. The parts must agree on the planning
    /// date (set `as_of` in the configuration when they might not) and plan each
    /// SKU-location once.
    pub fn merge(config: &PlanConfig, parts: Vec<PlanStats>) -> Result<PlanGlobals> {
        let mut dates: Vec<NaiveDate> = parts.iter().filter_map(|p| p.as_of).collect();
        dates.sort();
        dates.dedup();
        let as_of = match (config.as_of, dates.as_slice()) {
            (Some(d), _) if dates.iter().all(|x| *x == d) => d,
            (Some(d), _) => {
                return Err(Error::config("as_of", format!("is {d}, but parts planned for {dates:?}")));
            }
            (None, [d]) => *d,
            (None, []) => {
                return Err(Error::InvalidInput("no planning date: set `as_of` or give an inventory snapshot".into()))
            }
            (None, _) => {
                return Err(Error::config(
                    "as_of",
                    format!("the parts' latest inventory snapshots differ ({dates:?}): set the planning date"),
                ))
            }
        };
        let season = merged_season(&parts);
        if let Some(counts) = season_to_share(config, &parts, &season) {
            return Err(Error::config(
                "season_counts",
                format!(
                    "{}: the parts' coverage must be measured with the whole assortment's seasonal profile; run every part's statistics step again with `season_counts` set to the parts' merged counts (season_counts_to_share, {} periods)",
                    if config.season_counts.is_some() {
                        "differ from the merged counts of the parts"
                    } else {
                        "are not set in a plan in parts"
                    },
                    counts.periods.len()
                ),
            ));
        }
        let history_end = parts.iter().filter_map(|p| p.history_end).max();
        let mut values: Vec<SeriesValue> = Vec::new();
        let mut coverage = Coverage::default();
        let (mut promo, mut event_cat, mut event_all) = (
            BTreeMap::<String, Vec<f64>>::new(),
            BTreeMap::<(String, String), Vec<f64>>::new(),
            BTreeMap::<String, Vec<f64>>::new(),
        );
        for p in parts {
            coverage.merge(&p.coverage);
            values.extend(p.values);
            for u in p.promotion_uplifts {
                promo.entry(u.category).or_default().push(u.uplift);
            }
            for e in p.event_uplifts {
                if let Some(c) = &e.category {
                    event_cat.entry((c.clone(), e.event.clone())).or_default().push(e.uplift);
                }
                event_all.entry(e.event).or_default().push(e.uplift);
            }
        }
        // The single-process order: by SKU, then location.
        values.sort_by(|a, b| (a.sku.as_str(), a.location.as_str()).cmp(&(b.sku.as_str(), b.location.as_str())));
        if let Some(w) = values.windows(2).find(|w| w[0].sku == w[1].sku && w[0].location == w[1].location) {
            return Err(Error::InvalidInput(format!(
                "{}@{} is in more than one part: each SKU (with all its locations) must be in one part only",
                w[0].sku, w[0].location
            )));
        }
        let ids: Vec<String> = values.iter().map(|v| format!("{}@{}", v.sku, v.location)).collect();
        let vals: Vec<f64> = values.iter().map(|v| v.value).collect();
        let mut abc: BTreeMap<String, BTreeMap<String, char>> = BTreeMap::new();
        for (v, (_, _, class)) in values.iter().zip(abc_by_value(&ids, &vals, &ClassThresholds::default())) {
            abc.entry(v.sku.clone()).or_default().insert(v.location.clone(), class);
        }
        let mut event_category_uplifts: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
        for ((c, e), v) in event_cat {
            event_category_uplifts.entry(c).or_default().insert(e, median(v));
        }
        Ok(PlanGlobals {
            as_of,
            history_end,
            abc,
            promotion_uplifts: promo.into_iter().map(|(k, v)| (k, median(v))).collect(),
            event_category_uplifts,
            event_uplifts: event_all.into_iter().map(|(k, v)| (k, median(v))).collect(),
            coverage,
            season,
        })
    }

    /// The merged sales by period of the year that every part's statistics step must
    /// be run again with (as `season_counts` in the configuration), or `None` when
    /// the statistics can be merged as they are: the configuration already holds
    /// exactly the parts' merged counts, the plan is in one part, or the merged
    /// counts make no seasonal profile (then the coverage does not use one).
    pub fn season_counts_to_share(config: &PlanConfig, parts: &[PlanStats]) -> Option<SeasonCounts> {
        season_to_share(config, parts, &merged_season(parts))
    }

    /// The ABC class of a SKU-location, if the merge saw it.
    pub fn abc_of(&self, sku: &str, location: &str) -> Option<char> {
        self.abc.get(sku).and_then(|m| m.get(location)).copied()
    }
}

pub(super) fn stats(
    as_of: NaiveDate,
    history_end: Option<NaiveDate>,
    facts: &[Facts],
    uplifts: &Uplifts,
    ev_uplifts: &EventUplifts,
    event_names: &[String],
    coverage: Coverage,
) -> PlanStats {
    PlanStats {
        as_of: Some(as_of),
        history_end,
        values: facts
            .iter()
            .map(|f| SeriesValue { sku: f.sku.to_string(), location: f.location.to_string(), value: f.value })
            .collect(),
        promotion_uplifts: uplifts
            .samples
            .iter()
            .map(|(c, u)| CategoryUplift { category: c.clone(), uplift: *u })
            .collect(),
        event_uplifts: ev_uplifts
            .samples
            .iter()
            .map(|(c, k, u)| EventSample { category: c.clone(), event: event_names[*k].clone(), uplift: *u })
            .collect(),
        coverage,
        season: SeasonCounts::default(),
    }
}

/// Replaces a part's own category and all-series uplift medians with the merged ones.
pub(super) fn apply_uplifts(g: &PlanGlobals, uplifts: &mut Uplifts, ev: &mut EventUplifts, event_names: &[String]) {
    uplifts.category = g.promotion_uplifts.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let index: HashMap<&str, usize> = event_names.iter().enumerate().map(|(k, n)| (n.as_str(), k)).collect();
    ev.category = g
        .event_category_uplifts
        .iter()
        .flat_map(|(c, m)| m.iter().filter_map(|(e, v)| Some(((c.clone(), *index.get(e.as_str())?), *v))))
        .collect();
    ev.all = g.event_uplifts.iter().filter_map(|(e, v)| Some((*index.get(e.as_str())?, *v))).collect();
}
