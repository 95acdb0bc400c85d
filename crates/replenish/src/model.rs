//! The canonical data model every other module works on.
//!
//! Ingestion turns files or data frames into a [`Dataset`]; forecasting, policy and
//! purchase-order code read it and never see raw text again. All types are plain
//! data and serde-serialisable.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A sellable, purchasable item (stock keeping unit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub sku: String,
    pub name: String,
    pub category: String,
    /// Purchase cost per unit, in the item's currency.
    pub unit_cost: f64,
    /// Selling price per unit, if known.
    pub sell_price: Option<f64>,
    /// Volume of one unit (in the unit the supplier's truck volume uses, e.g. m³).
    #[serde(default)]
    pub unit_volume: Option<f64>,
    /// Weight of one unit (in the unit of the supplier's truck weight, e.g. kg).
    #[serde(default)]
    pub unit_weight: Option<f64>,
    /// Units on one pallet.
    #[serde(default)]
    pub units_per_pallet: Option<f64>,
    /// Days a unit stays sellable after it arrives: orders never bring more than
    /// the demand over lead time + shelf life (a rule's `shelf_life_days` wins).
    #[serde(default)]
    pub shelf_life_days: Option<f64>,
    /// Any further columns of `items.csv`, kept as text.
    pub attributes: BTreeMap<String, String>,
}

/// A stocking location (store, warehouse). Locations are defined by `inventory.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
}

/// A supplier, as named in `suppliers.csv`, with its ordering conditions (the
/// supplier-level columns, the same on every row of the supplier).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Supplier {
    pub id: String,
    pub name: String,
    /// Where purchase orders go when the supplier has no electronic connection.
    pub email: Option<String>,
    /// The supplier's order days, for SKUs whose terms name none; empty = every day.
    pub order_weekdays: Vec<Weekday>,
    /// Orders placed after this time of day go out on the next order day.
    pub order_cutoff: Option<chrono::NaiveTime>,
    /// Smallest PO value the supplier accepts.
    pub min_order_value: Option<f64>,
    /// Smallest PO quantity (units) the supplier accepts.
    pub min_order_quantity: Option<f64>,
    /// What to do with a PO below the minimum: top it up or defer it.
    pub min_order_action: MinOrderAction,
    /// Capacity of one truck or container by volume, weight and pallets.
    pub truck_volume: Option<f64>,
    pub truck_weight: Option<f64>,
    pub truck_pallets: Option<f64>,
    /// Fill the last truck with the items that run out soonest.
    pub fill_trucks: bool,
    /// A top-up never lifts a line above its order-up-to level plus this many days of demand.
    pub max_top_up_days: Option<f64>,
}

/// What happens to a PO below the supplier's minimum order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinOrderAction {
    /// Add packs to the lines that run out soonest until the minimum is met.
    #[default]
    TopUp,
    /// Order nothing from the supplier this time.
    Defer,
}

/// Day of the week on which a supplier accepts orders.
pub type Weekday = chrono::Weekday;

/// Terms on which a supplier delivers one SKU (to one location, or to all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplyTerms {
    pub supplier_id: String,
    pub sku: String,
    /// `None`: the terms apply to every location.
    pub location: Option<String>,
    /// Mean lead time in days, order to availability.
    pub lead_time_days: f64,
    /// Standard deviation of the lead time in days.
    pub lead_time_std_days: f64,
    /// Minimum order quantity in units (0 = none).
    pub moq: f64,
    /// Orders are multiples of this many units (1 = any whole unit).
    pub pack_size: f64,
    /// Largest quantity one order line may carry.
    pub max_order: Option<f64>,
    /// Days between two orders to this supplier (the review period), if fixed.
    pub order_cycle_days: Option<f64>,
    /// Weekdays on which orders can be placed; empty = every day.
    pub order_weekdays: Vec<Weekday>,
    /// Purchase price per unit from this supplier; `None` = the item's unit cost.
    pub unit_cost: Option<f64>,
    pub currency: String,
    /// 1 = preferred supplier; the lowest rank is used for planning.
    pub rank: u32,
}

/// Stock of one SKU at one location at a point in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryRecord {
    pub sku: String,
    pub location: String,
    pub on_hand: f64,
    /// Units promised to customers or transfers, not available.
    pub reserved: f64,
    /// Demand already owed to customers.
    pub backorders: f64,
    pub as_of: NaiveDate,
}

/// Status of a purchase order line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoStatus {
    /// Raised but not yet sent: still counts as on order, so it is never ordered twice.
    Draft,
    /// Waiting for approval.
    PendingApproval,
    Approved,
    Sent,
    /// The supplier confirmed quantities and dates (`confirmed` is read as this).
    #[serde(alias = "confirmed")]
    Acknowledged,
    /// Goods dispatched (a despatch advice was received).
    Shipped,
    PartiallyReceived,
    Received,
    /// Finished: received in full or within tolerance, or closed short by the buyer.
    Closed,
    Cancelled,
}

impl PoStatus {
    /// All statuses with their stable names.
    pub const ALL: [PoStatus; 10] = [
        PoStatus::Draft,
        PoStatus::PendingApproval,
        PoStatus::Approved,
        PoStatus::Sent,
        PoStatus::Acknowledged,
        PoStatus::Shipped,
        PoStatus::PartiallyReceived,
        PoStatus::Received,
        PoStatus::Closed,
        PoStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PoStatus::Draft => "draft",
            PoStatus::PendingApproval => "pending_approval",
            PoStatus::Approved => "approved",
            PoStatus::Sent => "sent",
            PoStatus::Acknowledged => "acknowledged",
            PoStatus::Shipped => "shipped",
            PoStatus::PartiallyReceived => "partially_received",
            PoStatus::Received => "received",
            PoStatus::Closed => "closed",
            PoStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PoStatus> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        if s == "confirmed" {
            return Some(PoStatus::Acknowledged);
        }
        PoStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether goods of a line in this status are still to come (counted as on order).
    pub fn is_open(self) -> bool {
        !matches!(self, PoStatus::Received | PoStatus::Closed | PoStatus::Cancelled)
    }
}

/// One line of a purchase order already raised (open, in transit or closed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenOrderLine {
    pub po_number: String,
    pub line: u32,
    pub supplier_id: String,
    pub sku: String,
    pub location: String,
    pub status: PoStatus,
    pub quantity_ordered: f64,
    pub quantity_received: f64,
    pub order_date: NaiveDate,
    pub expected_date: Option<NaiveDate>,
}

impl OpenOrderLine {
    /// Units still to arrive: ordered − received for open lines, 0 otherwise.
    pub fn open_quantity(&self) -> f64 {
        if self.status.is_open() {
            (self.quantity_ordered - self.quantity_received).max(0.0)
        } else {
            0.0
        }
    }
}

/// One day of demand for one SKU at one location (the long format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandRecord {
    pub sku: String,
    pub location: String,
    pub date: NaiveDate,
    pub quantity: f64,
    /// Average selling price of the day's sales (`None` when nothing sold or no price given).
    pub price: Option<f64>,
    pub promotion: bool,
    /// The SKU was out of stock at the location that day: sales understate demand.
    pub stockout: bool,
}

/// Key of one demand series.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SeriesKey {
    pub sku: String,
    pub location: String,
}

/// One flag per series-day, packed in bits (`flags[i]` reads like a `bool` slice).
pub type DayFlags = bitvec::vec::BitVec<u64, bitvec::order::Lsb0>;
/// A borrowed run of [`DayFlags`], one series' days.
pub type DayFlagsView = bitvec::slice::BitSlice<u64, bitvec::order::Lsb0>;

/// Daily demand for many SKU-locations, held as one set of value arrays plus offsets
/// (a grouped array): series `i` occupies `offsets[i]..offsets[i + 1]` and is dense
/// (one entry per calendar day from `starts[i]`, days without sales are zero).
///
/// About 8.6 bytes per series-day: the quantity is an `f64`, the promotion and
/// stock-out flags are bits, and prices are held as runs ([`DailyPrices`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandHistory {
    pub keys: Vec<SeriesKey>,
    pub starts: Vec<NaiveDate>,
    pub offsets: Vec<usize>,
    pub quantity: Vec<f64>,
    /// The average selling price of each day's sales, where known.
    pub price: DailyPrices,
    pub promotion: DayFlags,
    pub stockout: DayFlags,
}

/// The average selling price of each series-day, where one is known, indexed like
/// [`DemandHistory::quantity`]. A price changes on few days, so it is held as one
/// bit per day (is there a price?) and runs: a run starts on a priced day and its
/// price holds for the priced days up to the next run's start. That is about one
/// bit per day instead of eight bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DailyPrices {
    priced: DayFlags,
    /// (first day, price) of each run, in day order.
    runs: Vec<(usize, f64)>,
}

impl DailyPrices {
    /// Days covered (priced or not).
    pub fn len(&self) -> usize {
        self.priced.len()
    }

    pub fn is_empty(&self) -> bool {
        self.priced.is_empty()
    }

    /// The price of day `day`, if one is known.
    pub fn get(&self, day: usize) -> Option<f64> {
        if !self.priced.get(day).is_some_and(|b| *b) {
            return None;
        }
        let r = self.runs.partition_point(|&(d, _)| d <= day);
        r.checked_sub(1).map(|r| self.runs[r].1)
    }

    /// Number of runs held (distinct consecutive prices).
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Extends the days covered to `len`, the new days without a price.
    pub fn resize(&mut self, len: usize) {
        self.priced.resize(len, false);
    }

    /// Sets the price of `day`, which must come after every day set before (the
    /// days of a series in order, series in order).
    pub fn push(&mut self, day: usize, price: f64) {
        debug_assert!(self.runs.last().is_none_or(|&(d, _)| d < day));
        self.priced.set(day, true);
        if self.runs.last().is_none_or(|&(_, p)| p.to_bits() != price.to_bits()) {
            self.runs.push((day, price));
        }
    }

    /// Builds the prices from the priced days and runs given in any order. Every
    /// run must start on a priced day, and the first priced day of every series
    /// must start a run (so no run reaches into the next series' days).
    pub(crate) fn from_runs(priced: DayFlags, mut runs: Vec<(usize, f64)>) -> DailyPrices {
        runs.sort_unstable_by_key(|&(d, _)| d);
        runs.dedup_by(|b, a| a.1.to_bits() == b.1.to_bits());
        DailyPrices { priced, runs }
    }
}

/// The priced sales of one series-day, summed: revenue and units, and the price
/// when every line has the same one (NaN before the first line, and when they differ).
#[derive(Clone, Copy)]
pub(crate) struct DaySum {
    revenue: f64,
    units: f64,
    same: f64,
    lines: u32,
}

impl Default for DaySum {
    fn default() -> Self {
        DaySum { revenue: 0.0, units: 0.0, same: f64::NAN, lines: 0 }
    }
}

impl DaySum {
    pub(crate) fn add(&mut self, price: f64, quantity: f64) {
        self.revenue += price * quantity;
        self.units += quantity;
        self.same = if self.lines == 0 || self.same == price { price } else { f64::NAN };
        self.lines += 1;
    }

    /// The day's average price, weighted by units: the price itself when all lines
    /// have the same one; `None` when no unit was priced.
    pub(crate) fn price(&self) -> Option<f64> {
        (self.units > 0.0).then(|| if self.same.is_nan() { self.revenue / self.units } else { self.same })
    }
}

/// A borrowed view of one demand series.
#[derive(Debug, Clone, Copy)]
pub struct SeriesView<'a> {
    pub key: &'a SeriesKey,
    pub start: NaiveDate,
    pub quantity: &'a [f64],
    pub price: SeriesPrices<'a>,
    pub promotion: &'a DayFlagsView,
    pub stockout: &'a DayFlagsView,
}

/// The prices of one series' days.
#[derive(Debug, Clone, Copy)]
pub struct SeriesPrices<'a> {
    prices: &'a DailyPrices,
    base: usize,
    len: usize,
}

impl SeriesPrices<'_> {
    /// The average selling price on day `d` of the series, if known.
    pub fn get(&self, d: usize) -> Option<f64> {
        (d < self.len).then(|| self.prices.get(self.base + d)).flatten()
    }
}

impl SeriesView<'_> {
    /// Date of the last observation, if any.
    pub fn end(&self) -> Option<NaiveDate> {
        let n = self.quantity.len();
        (n > 0).then(|| self.start + chrono::Duration::days(n as i64 - 1))
    }
}

impl DemandHistory {
    /// Builds the grouped array from long records (any order). Records for the same
    /// SKU-location-day are summed; days between a series' first record and its last
    /// record (or `end`, if later) that have no record are zero demand, not stockouts.
    pub fn from_records(records: &[DemandRecord], end: Option<NaiveDate>) -> DemandHistory {
        let mut idx: Vec<usize> = (0..records.len()).collect();
        idx.sort_by(|&a, &b| {
            let (ra, rb) = (&records[a], &records[b]);
            (&ra.sku, &ra.location, ra.date).cmp(&(&rb.sku, &rb.location, rb.date))
        });
        let mut h = DemandHistory { offsets: vec![0], ..Default::default() };
        let mut i = 0;
        while i < idx.len() {
            let first = &records[idx[i]];
            let mut j = i;
            while j < idx.len() && records[idx[j]].sku == first.sku && records[idx[j]].location == first.location {
                j += 1;
            }
            let start = first.date;
            let last = records[idx[j - 1]].date;
            let end = end.map_or(last, |e| e.max(last));
            let len = (end - start).num_days() as usize + 1;
            let key = SeriesKey { sku: first.sku.clone(), location: first.location.clone() };
            let base = h.push_series(key, start, len);
            let mut sums = vec![DaySum::default(); len];
            for &k in &idx[i..j] {
                let r = &records[k];
                let d = (r.date - start).num_days() as usize;
                h.quantity[base + d] += r.quantity;
                if r.promotion {
                    h.promotion.set(base + d, true);
                }
                if r.stockout {
                    h.stockout.set(base + d, true);
                }
                if let Some(p) = r.price {
                    sums[d].add(p, r.quantity);
                }
            }
            for (d, sum) in sums.iter().enumerate() {
                if let Some(price) = sum.price() {
                    h.price.push(base + d, price);
                }
            }
            i = j;
        }
        h
    }

    /// An empty history with room for `series` series of `days` days in all (so
    /// that appending them never copies the arrays).
    pub fn with_capacity(series: usize, days: usize) -> DemandHistory {
        let mut offsets = Vec::with_capacity(series + 1);
        offsets.push(0);
        DemandHistory {
            keys: Vec::with_capacity(series),
            starts: Vec::with_capacity(series),
            offsets,
            quantity: Vec::with_capacity(days),
            price: DailyPrices { priced: DayFlags::with_capacity(days), runs: Vec::new() },
            promotion: DayFlags::with_capacity(days),
            stockout: DayFlags::with_capacity(days),
        }
    }

    /// Appends a series of `len` days from `start`, all zero demand, no price, no
    /// flags; returns the offset of its first day for the caller to fill in.
    /// Series must be appended in key order (sorted by SKU, then location).
    pub fn push_series(&mut self, key: SeriesKey, start: NaiveDate, len: usize) -> usize {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let base = self.quantity.len();
        self.quantity.resize(base + len, 0.0);
        self.price.resize(base + len);
        self.promotion.resize(base + len, false);
        self.stockout.resize(base + len, false);
        self.keys.push(key);
        self.starts.push(start);
        self.offsets.push(base + len);
        base
    }

    /// Number of series.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Bytes the daily arrays take (quantities, flags and price runs), not the keys.
    pub fn daily_bytes(&self) -> usize {
        let bits = |f: &DayFlags| f.capacity().div_ceil(8);
        self.quantity.capacity() * std::mem::size_of::<f64>()
            + bits(&self.promotion)
            + bits(&self.stockout)
            + bits(&self.price.priced)
            + self.price.runs.capacity() * std::mem::size_of::<(usize, f64)>()
    }

    /// Total number of series-days held.
    pub fn total_days(&self) -> usize {
        self.quantity.len()
    }

    /// View of series `i`.
    pub fn series(&self, i: usize) -> SeriesView<'_> {
        let r = self.offsets[i]..self.offsets[i + 1];
        SeriesView {
            key: &self.keys[i],
            start: self.starts[i],
            quantity: &self.quantity[r.clone()],
            price: SeriesPrices { prices: &self.price, base: r.start, len: r.len() },
            promotion: &self.promotion[r.clone()],
            stockout: &self.stockout[r],
        }
    }

    /// Index of the series for a key (keys are sorted).
    pub fn find(&self, sku: &str, location: &str) -> Option<usize> {
        self.keys.binary_search_by(|k| (k.sku.as_str(), k.location.as_str()).cmp(&(sku, location))).ok()
    }

    /// Back to long records (days with zero quantity included).
    pub fn to_records(&self) -> Vec<DemandRecord> {
        let mut out = Vec::with_capacity(self.total_days());
        for i in 0..self.len() {
            let s = self.series(i);
            for d in 0..s.quantity.len() {
                out.push(DemandRecord {
                    sku: s.key.sku.clone(),
                    location: s.key.location.clone(),
                    date: s.start + chrono::Duration::days(d as i64),
                    quantity: s.quantity[d],
                    price: s.price.get(d),
                    promotion: s.promotion[d],
                    stockout: s.stockout[d],
                });
            }
        }
        out
    }
}

/// How often the POS table has a line per SKU-location.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Inferred from the dates (the default).
    #[default]
    Auto,
    Daily,
    /// Totals of 7 days.
    Weekly,
    /// Totals of calendar months.
    Monthly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Auto => "auto",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    /// Days one sales total covers: 1 for daily lines (and before it is known), 7
    /// for weeks, 365.25 / 12 for months on average.
    pub fn period_days(self) -> f64 {
        match self {
            Frequency::Auto | Frequency::Daily => 1.0,
            Frequency::Weekly => 7.0,
            Frequency::Monthly => 365.25 / 12.0,
        }
    }
}

/// Which day of its period a weekly or monthly line is dated by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodDate {
    /// The first day: a week from its date, a month from its 1st (the default).
    #[default]
    Start,
    /// The last day: the week ending on its date, a month on its last day.
    End,
}

/// Everything the planner needs, validated and cross-referenced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub items: Vec<Item>,
    pub locations: Vec<Location>,
    pub suppliers: Vec<Supplier>,
    pub supply_terms: Vec<SupplyTerms>,
    pub inventory: Vec<InventoryRecord>,
    pub open_orders: Vec<OpenOrderLine>,
    pub demand: DemandHistory,
    /// The promotion calendar (`promotions.csv`), when given: past and planned
    /// promotions. With a calendar, the plan estimates demand without promotion
    /// days and adds each SKU's promotion uplift on the planned days.
    #[serde(default)]
    pub promotions: Option<Vec<Promotion>>,
    /// Holidays and events (`events.csv`), when given. With events, the plan
    /// estimates demand without event days and adds each event's uplift, learnt from
    /// its past occurrences, on its planned days.
    #[serde(default)]
    pub events: Option<Vec<Event>>,
    /// Planned selling prices (`prices.csv`), when given: a regressor for the
    /// forecasting models ([`crate::drivers`]).
    #[serde(default)]
    pub prices: Option<Vec<PlannedPrice>>,
    /// Weather per location and day (`weather.csv`), when given: observed for the
    /// history, forecast for the days ahead; regressors for the forecasting models.
    #[serde(default)]
    pub weather: Option<Weather>,
    /// Goods receipts of past purchase orders (`receipts.csv`): the plan learns each
    /// supplier-item's lead time from them.
    #[serde(default)]
    pub receipts: Vec<crate::orders::leadtime::Receipt>,
    /// Daily closing stock (`stock_history.csv`), when given: average and peak
    /// inventory for the reports.
    #[serde(default)]
    pub stock_levels: Vec<StockLevel>,
    /// The frequency the sales were read at: weekly and monthly totals are spread
    /// over the days of their period, so days within one period move together.
    #[serde(default)]
    pub frequency: Frequency,
}

/// Closing stock of one SKU at one location on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockLevel {
    pub sku: String,
    pub location: String,
    pub date: NaiveDate,
    pub on_hand: f64,
}

pub use crate::forecast::events::Event;

/// A selling price of a SKU, at one location or (no location) at all of them, from
/// `start` to `end` (open-ended without one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedPrice {
    pub sku: String,
    pub location: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub price: f64,
}

impl PlannedPrice {
    /// Whether it applies to the SKU at `location` on `date`.
    pub fn covers(&self, sku: &str, location: &str, date: NaiveDate) -> bool {
        self.sku == sku
            && self.location.as_deref().is_none_or(|l| l == location)
            && self.start <= date
            && self.end.is_none_or(|e| date <= e)
    }
}

/// Weather observations (and forecasts) per location and day: one value per
/// variable (`temperature`, `precipitation`, ...), in `variables` order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Weather {
    pub variables: Vec<String>,
    pub days: Vec<WeatherDay>,
}

/// The weather of one location on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeatherDay {
    pub location: String,
    pub date: NaiveDate,
    pub values: Vec<f64>,
}

/// A promotion of a SKU, at one location or (no location) at all of them, over the
/// days `start..=end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promotion {
    pub sku: String,
    pub location: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Price reduction as a share (0.2 = 20% off), when known.
    pub discount: Option<f64>,
}

impl Promotion {
    /// Whether it covers `date` for the SKU at `location`.
    pub fn covers(&self, sku: &str, location: &str, date: NaiveDate) -> bool {
        self.sku == sku
            && self.location.as_deref().is_none_or(|l| l == location)
            && self.start <= date
            && date <= self.end
    }
}

/// Inventory position of one SKU-location and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InventoryPosition {
    pub on_hand: f64,
    pub on_order: f64,
    pub backorders: f64,
    pub reserved: f64,
}

impl InventoryPosition {
    /// on hand + on order − backorders − reserved.
    pub fn position(&self) -> f64 {
        self.on_hand + self.on_order - self.backorders - self.reserved
    }
}
