//! A seeded generator of a realistic retail company: items in several categories,
//! suppliers with different lead times, MOQs, packs and order days, two years of
//! daily POS sales at several locations with weekly and yearly seasonality, trends,
//! promotions, holidays (Black Friday, Christmas, a local festival), price changes,
//! weather that moves drinks and frozen food, intermittent and lumpy items, returns,
//! stock-out spells, an inventory snapshot and open purchase orders.
//!
//! The output is the same CSV text a user would put in a folder ([`Inputs`]), so
//! the demo runs through the real ingestion. Same seed and config, same bytes: the
//! generator uses ChaCha8 (portable) and fixed dates, never the clock.

use crate::ingest::{Inputs, TableInput};
use crate::model::Event;
use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Size and seed of the generated company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemoConfig {
    pub seed: u64,
    pub skus: usize,
    pub locations: usize,
    /// Days of sales history, ending on `end_date`.
    pub days: usize,
    /// Last day of history; the inventory snapshot is taken at its end.
    pub end_date: NaiveDate,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 42,
            skus: 300,
            locations: 3,
            days: 730,
            end_date: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default(),
        }
    }
}

const CATEGORIES: [&str; 8] = ["Beverages", "Snacks", "Dairy", "Household", "Personal Care", "Frozen", "Bakery", "Pet"];
const NOUNS: [&str; 12] = [
    "Juice",
    "Crisps",
    "Yoghurt",
    "Detergent",
    "Shampoo",
    "Pizza",
    "Bread",
    "Cat Food",
    "Water",
    "Cookies",
    "Soap",
    "Cheese",
];
const ADJECTIVES: [&str; 10] =
    ["Classic", "Organic", "Family", "Premium", "Light", "Original", "Mini", "Extra", "Fresh", "Value"];
const WEEKLY: [f64; 7] = [0.85, 0.9, 0.95, 1.0, 1.15, 1.3, 0.85];

/// The supplier-level columns of a demo supplier: e-mail (SUP-04 trades by EDI
/// only), a 14:00 order cut-off, a minimum order value for SUP-02 and a truck
/// (volume m³, weight kg) for SUP-01.
fn supplier_level(id: &str) -> String {
    let email = if id == "SUP-04" { String::new() } else { format!("orders@{}.example", id.to_ascii_lowercase()) };
    let min = if id == "SUP-02" { "150" } else { "" };
    let truck = if id == "SUP-01" { "4,1500" } else { "," };
    format!("{email},14:00,{min},{truck}")
}

struct SupplierSpec {
    id: &'static str,
    name: &'static str,
    lead: f64,
    lead_std: f64,
    weekdays: &'static str,
    cycle: Option<f64>,
    currency: &'static str,
}

const SUPPLIERS: [SupplierSpec; 8] = [
    SupplierSpec {
        id: "SUP-01",
        name: "Nordic Beverages AB",
        lead: 3.0,
        lead_std: 0.5,
        weekdays: "",
        cycle: None,
        currency: "EUR",
    },
    SupplierSpec {
        id: "SUP-02",
        name: "Crunch & Co",
        lead: 5.0,
        lead_std: 1.0,
        weekdays: "Mon|Thu",
        cycle: Some(7.0),
        currency: "EUR",
    },
    SupplierSpec {
        id: "SUP-03",
        name: "Alpine Dairy",
        lead: 2.0,
        lead_std: 0.3,
        weekdays: "",
        cycle: Some(3.0),
        currency: "EUR",
    },
    SupplierSpec {
        id: "SUP-04",
        name: "CleanHome Ltd",
        lead: 10.0,
        lead_std: 2.5,
        weekdays: "Tue",
        cycle: Some(14.0),
        currency: "GBP",
    },
    SupplierSpec {
        id: "SUP-05",
        name: "Beauty Direct",
        lead: 14.0,
        lead_std: 3.0,
        weekdays: "Wed",
        cycle: Some(14.0),
        currency: "EUR",
    },
    SupplierSpec {
        id: "SUP-06",
        name: "FrostLine Foods",
        lead: 7.0,
        lead_std: 1.5,
        weekdays: "Mon|Wed|Fri",
        cycle: None,
        currency: "EUR",
    },
    SupplierSpec {
        id: "SUP-07",
        name: "Baker Brothers",
        lead: 1.0,
        lead_std: 0.2,
        weekdays: "",
        cycle: Some(1.0),
        currency: "EUR",
    },
    SupplierSpec {
        id: "SUP-08",
        name: "PetPlanet Import",
        lead: 28.0,
        lead_std: 7.0,
        weekdays: "Fri",
        cycle: Some(28.0),
        currency: "USD",
    },
];

/// Demand pattern of a generated item.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pattern {
    Smooth,
    Seasonal,
    Trending,
    Intermittent,
    Lumpy,
}

/// Days of weather forecast after the last sales day.
const WEATHER_AHEAD: usize = 14;

/// The fourth Friday of November of `year` (Black Friday).
fn black_friday(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, 11, chrono::Weekday::Fri, 4)
}

/// A demo event and the demand multiplier the generator applies on its days.
struct DemoEvent {
    event: Event,
    factor: f64,
}

/// The demo's holidays and events from the first year of history to the year after
/// the last day.
fn demo_events(start: NaiveDate, end: NaiveDate, locations: &[String]) -> Vec<DemoEvent> {
    let ev = |date, name: &str, location, before, after, factor| DemoEvent {
        event: Event { date, name: name.to_string(), location, before, after },
        factor,
    };
    let mut out = Vec::new();
    for year in start.year()..=end.year() + 1 {
        if let Some(d) = black_friday(year) {
            out.push(ev(d, "black_friday", None, 0, 3, 1.6));
        }
        if let Some(d) = NaiveDate::from_ymd_opt(year, 12, 24) {
            out.push(ev(d, "christmas", None, 6, 0, 1.4));
        }
        if let (Some(d), Some(loc)) = (NaiveDate::from_ymd_opt(year, 8, 15), locations.get(1)) {
            out.push(ev(d, "harbour_festival", Some(loc.clone()), 1, 1, 1.3));
        }
    }
    out
}

/// One writer per table of the demo company, in the order of
/// [`DemoTables::NAMES`].
#[derive(Debug, Default)]
pub struct DemoTables<W> {
    pub items: W,
    pub suppliers: W,
    pub sales: W,
    pub inventory: W,
    pub open_orders: W,
    pub stockouts: W,
    pub promotions: W,
    pub events: W,
    pub prices: W,
    pub weather: W,
}

impl<W> DemoTables<W> {
    /// The tables' file names.
    pub const NAMES: [&'static str; 10] = {
        let t = crate::ingest::TABLE_FILES;
        [t[0], t[1], t[2], t[3], t[4], t[5], t[7], t[8], t[9], t[10]]
    };

    /// The writers, in [`Self::NAMES`] order.
    pub fn into_vec(self) -> Vec<W> {
        vec![
            self.items,
            self.suppliers,
            self.sales,
            self.inventory,
            self.open_orders,
            self.stockouts,
            self.promotions,
            self.events,
            self.prices,
            self.weather,
        ]
    }

    /// One writer per table, made from its file name.
    pub fn try_new<E>(mut make: impl FnMut(&str) -> std::result::Result<W, E>) -> std::result::Result<Self, E> {
        Ok(DemoTables {
            items: make(Self::NAMES[0])?,
            suppliers: make(Self::NAMES[1])?,
            sales: make(Self::NAMES[2])?,
            inventory: make(Self::NAMES[3])?,
            open_orders: make(Self::NAMES[4])?,
            stockouts: make(Self::NAMES[5])?,
            promotions: make(Self::NAMES[6])?,
            events: make(Self::NAMES[7])?,
            prices: make(Self::NAMES[8])?,
            weather: make(Self::NAMES[9])?,
        })
    }
}

/// Generates the input tables (the stock-out log, the promotion calendar, events,
/// planned prices and weather included), in memory.
pub fn generate(cfg: &DemoConfig) -> Inputs {
    let mut out = DemoTables::<Vec<u8>>::default();
    // Writing to memory cannot fail.
    let _ = generate_into(cfg, &mut out);
    let mut inputs = Inputs::default();
    for (name, bytes) in DemoTables::<Vec<u8>>::NAMES.iter().zip(out.into_vec()) {
        let table = name.trim_end_matches(".csv");
        let _ = inputs.set(table, TableInput::new(format!("demo/{name}"), bytes));
    }
    inputs
}

/// Generates the input tables into `out`, a row at a time: with files as writers,
/// a company larger than memory can be generated.
pub fn generate_into<W: Write>(cfg: &DemoConfig, out: &mut DemoTables<W>) -> std::io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let start = cfg.end_date - Duration::days(cfg.days as i64 - 1);
    let locations: Vec<String> = (1..=cfg.locations).map(|i| format!("L{i:02}")).collect();
    let loc_scale: Vec<f64> = (0..cfg.locations).map(|i| 1.0 / (1.0 + 0.6 * i as f64)).collect();

    // Events: the table, and each location's demand multiplier per history day.
    let event_list = demo_events(start, cfg.end_date, &locations);
    out.events.write_all("date,name,location,before,after\n".as_bytes())?;
    for DemoEvent { event: e, .. } in &event_list {
        let loc = e.location.as_deref().unwrap_or("");
        writeln!(out.events, "{},{},{loc},{},{}", e.date, e.name, e.before, e.after)?;
    }
    let event_factor: Vec<Vec<f64>> = locations
        .iter()
        .map(|loc| {
            (0..cfg.days)
                .map(|d| {
                    let date = start + Duration::days(d as i64);
                    event_list.iter().filter(|e| e.event.covers(loc, date)).map(|e| e.factor).product()
                })
                .collect()
        })
        .collect();
    // Weather per location: observed for the history, forecast for two weeks after.
    // A separate stream, so the sales draws do not depend on it.
    let mut weather_rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x0057_4541_5448_4552);
    out.weather.write_all("location,date,temperature,precipitation\n".as_bytes())?;
    let noise = rand_distr::Normal::new(0.0, 2.5).ok();
    let mut temperature: Vec<Vec<f64>> = Vec::with_capacity(locations.len());
    for (li, loc) in locations.iter().enumerate() {
        let mut at = Vec::with_capacity(cfg.days + WEATHER_AHEAD);
        for d in 0..cfg.days + WEATHER_AHEAD {
            let date = start + Duration::days(d as i64);
            let season = ((date.ordinal() as f64 - 105.0) / 365.25 * std::f64::consts::TAU).sin();
            let t = 11.0 - li as f64 + 9.0 * season + noise.map_or(0.0, |n| n.sample(&mut weather_rng));
            let t = (t * 10.0).round() / 10.0;
            let rain = if weather_rng.random_bool(0.3) { weather_rng.random_range(0.2..12.0) } else { 0.0 };
            writeln!(out.weather, "{loc},{date},{t:.1},{rain:.1}")?;
            at.push(t);
        }
        temperature.push(at);
    }
    out.prices.write_all("sku,location,start,end,price\n".as_bytes())?;

    out.items.write_all("sku,name,category,unit_cost,sell_price,brand,unit_volume,unit_weight\n".as_bytes())?;
    out.suppliers.write_all("supplier_id,supplier_name,sku,location,lead_time_days,lead_time_std_days,moq,pack_size,max_order,order_cycle_days,order_weekdays,unit_cost,currency,rank,supplier_email,order_cutoff,min_order_value,truck_volume,truck_weight\n".as_bytes())?;
    out.sales.write_all("date,sku,location,quantity,price,promo\n".as_bytes())?;
    out.inventory.write_all("sku,location,on_hand,reserved,backorders,as_of\n".as_bytes())?;
    out.open_orders.write_all(
        "po_number,line,supplier_id,sku,location,status,quantity_ordered,quantity_received,order_date,expected_date\n"
            .as_bytes(),
    )?;
    out.stockouts.write_all("date,sku,location\n".as_bytes())?;
    // The promotion calendar: every past window, and planned ones for about one
    // regular seller in four, starting 2-10 days after the last sales day. A separate
    // stream, so the sales are the same with or without it.
    out.promotions.write_all("sku,location,start,end,discount\n".as_bytes())?;
    let mut plan_rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x5052_4f4d_4f53);
    let cost_dist = LogNormal::new(1.3, 0.8).ok();
    let mut po_seq = 0;

    for s in 0..cfg.skus {
        let sku = format!("SKU-{:04}", s + 1);
        let cat = s % CATEGORIES.len();
        let pattern = match s % 10 {
            0..=3 => Pattern::Smooth,
            4 | 5 => Pattern::Seasonal,
            6 => Pattern::Trending,
            7 | 8 => Pattern::Intermittent,
            _ => Pattern::Lumpy,
        };
        let unit_cost = cost_dist.map_or(4.0_f64, |d: LogNormal<f64>| d.sample(&mut rng)).clamp(0.4, 80.0);
        let unit_cost = (unit_cost * 100.0).round() / 100.0;
        let price = (unit_cost * rng.random_range(1.3..1.9) * 100.0).round() / 100.0;
        let name = format!(
            "{} {} {}",
            ADJECTIVES[rng.random_range(0..ADJECTIVES.len())],
            NOUNS[(s * 7 + cat) % NOUNS.len()],
            s + 1
        );
        // Pack volume (m³) and weight (kg) per unit, for truck loads.
        let volume = 0.0005 + 0.0001 * ((s * 13) % 20) as f64;
        writeln!(
            out.items,
            "{sku},{name},{},{unit_cost},{price},Brand {},{volume:.4},{:.3}",
            CATEGORIES[cat],
            (s % 17) + 1,
            volume * 450.0
        )?;
        // Planned prices: the list price, a past increase for one SKU in twenty (demand
        // answers with elasticity −1.5) and a planned cut for another one in twenty.
        let change = start + Duration::days(cfg.days as i64 * 5 / 6);
        let price_after = (price * 1.15 * 100.0).round() / 100.0;
        if s % 20 == 3 {
            writeln!(out.prices, "{sku},,{start},{},{price}", change - Duration::days(1))?;
            writeln!(out.prices, "{sku},,{change},,{price_after}")?;
        } else if s % 20 == 13 {
            let cut = cfg.end_date + Duration::days(7);
            writeln!(out.prices, "{sku},,{start},{},{price}", cut - Duration::days(1))?;
            writeln!(out.prices, "{sku},,{cut},,{:.2}", price * 0.9)?;
        } else {
            writeln!(out.prices, "{sku},,{start},,{price}")?;
        }
        let weather_sensitive = matches!(CATEGORIES[cat], "Beverages" | "Frozen");

        // Supply terms: the category's supplier; cheap items come in bigger packs.
        let sup = &SUPPLIERS[cat];
        let pack = if unit_cost < 2.0 {
            24.0
        } else if unit_cost < 6.0 {
            12.0
        } else if unit_cost < 20.0 {
            6.0
        } else {
            1.0
        };
        let moq = pack * rng.random_range(1..=3) as f64;
        let max_order = if rng.random_bool(0.2) { format!("{}", moq.max(pack) * 40.0) } else { String::new() };
        let cycle = sup.cycle.map(|c| c.to_string()).unwrap_or_default();
        let cost = (unit_cost * 0.98 * 100.0).round() / 100.0;
        writeln!(
            out.suppliers,
            "{},{},{sku},,{},{},{moq},{pack},{max_order},{cycle},{},{cost},{},1,{}",
            sup.id,
            sup.name,
            sup.lead,
            sup.lead_std,
            sup.weekdays,
            sup.currency,
            supplier_level(sup.id)
        )?;
        // Some items have a slower, dearer second source.
        if s % 9 == 0 {
            let alt = &SUPPLIERS[(cat + 3) % SUPPLIERS.len()];
            writeln!(
                out.suppliers,
                "{},{},{sku},,{},{},{},{pack},,{},{},{},{},2,{}",
                alt.id,
                alt.name,
                alt.lead + 4.0,
                alt.lead_std + 1.0,
                moq * 2.0,
                alt.cycle.map(|c| c.to_string()).unwrap_or_default(),
                alt.weekdays,
                (unit_cost * 1.05 * 100.0).round() / 100.0,
                alt.currency,
                supplier_level(alt.id)
            )?;
        }

        let base = match pattern {
            Pattern::Smooth | Pattern::Seasonal | Pattern::Trending => rng.random_range(3.0..40.0),
            Pattern::Intermittent => rng.random_range(0.15..0.45),
            Pattern::Lumpy => rng.random_range(0.05..0.15),
        } / unit_cost.sqrt().max(1.0)
            * 2.0;
        let phase = rng.random_range(0.0..365.0);
        let trend = if pattern == Pattern::Trending { rng.random_range(-0.4..0.9) } else { 0.0 };

        for (li, loc) in locations.iter().enumerate() {
            let scale = loc_scale[li];
            // Promotions: about four windows of 7-14 days a year for regular sellers.
            let mut promo = vec![false; cfg.days];
            let regular = matches!(pattern, Pattern::Smooth | Pattern::Seasonal | Pattern::Trending);
            if regular {
                let n = (cfg.days as f64 / 365.0 * 4.0).round() as usize;
                for _ in 0..n {
                    let len = rng.random_range(7..=14);
                    let at = rng.random_range(0..cfg.days.saturating_sub(len).max(1));
                    promo[at..(at + len).min(cfg.days)].iter_mut().for_each(|p| *p = true);
                }
            }
            let uplift = rng.random_range(1.4..2.2);
            let discount = rng.random_range(0.15..0.3);
            let mut d = 0;
            while d < cfg.days {
                if promo[d] {
                    let e = d + promo[d..].iter().take_while(|p| **p).count();
                    let (a, b) = (start + Duration::days(d as i64), start + Duration::days(e as i64 - 1));
                    writeln!(out.promotions, "{sku},{loc},{a},{b},{discount:.2}")?;
                    d = e;
                } else {
                    d += 1;
                }
            }
            if regular && plan_rng.random_bool(0.25) {
                let a = cfg.end_date + Duration::days(plan_rng.random_range(2..=10));
                let b = a + Duration::days(plan_rng.random_range(6..=13));
                writeln!(out.promotions, "{sku},{loc},{a},{b},{discount:.2}")?;
            }
            // A stock-out spell for about one SKU-location in eight.
            let spell = rng.random_bool(0.125).then(|| {
                let len = rng.random_range(7..=28);
                let at = rng.random_range(cfg.days / 3..cfg.days.saturating_sub(len + 14).max(cfg.days / 3 + 1));
                (at, at + len)
            });
            let mut recent = 0.0;
            for (d, &on_promo) in promo.iter().enumerate() {
                let date = start + Duration::days(d as i64);
                let t = d as f64 / cfg.days as f64;
                let weekly = WEEKLY[date.weekday().num_days_from_monday() as usize];
                let yearly = match pattern {
                    Pattern::Seasonal => {
                        1.0 + 0.6 * ((date.ordinal() as f64 + phase) / 365.25 * std::f64::consts::TAU).sin()
                    }
                    _ => 1.0,
                };
                let shelf_price = if s % 20 == 3 && date >= change { price_after } else { price };
                let price_effect = (shelf_price / price).powf(-1.5);
                let weather_effect =
                    if weather_sensitive { (1.0 + 0.03 * (temperature[li][d] - 12.0)).clamp(0.6, 1.6) } else { 1.0 };
                let level = base * scale * (1.0 + trend * t).max(0.05) * yearly;
                let out_of_stock = spell.is_some_and(|(a, b)| d >= a && d < b);
                let qty: f64 = match pattern {
                    Pattern::Intermittent | Pattern::Lumpy => {
                        if rng.random_bool(level.clamp(0.0, 0.95)) {
                            let size = if pattern == Pattern::Lumpy {
                                rng.random_range(1..=25)
                            } else {
                                rng.random_range(1..=4)
                            };
                            size as f64
                        } else {
                            0.0
                        }
                    }
                    _ => {
                        let lambda = level
                            * weekly
                            * if on_promo { uplift } else { 1.0 }
                            * event_factor[li][d]
                            * price_effect
                            * weather_effect;
                        Poisson::new(lambda.max(1e-6)).map_or(0.0, |p| p.sample(&mut rng))
                    }
                };
                if out_of_stock {
                    writeln!(out.stockouts, "{date},{sku},{loc}")?;
                    continue; // nothing on the shelf, nothing sold
                }
                if d + 28 >= cfg.days {
                    recent += qty;
                }
                if qty > 0.0 {
                    let p = if on_promo { shelf_price * (1.0 - discount) } else { shelf_price };
                    writeln!(out.sales, "{date},{sku},{loc},{qty},{:.2},{}", p, u8::from(on_promo))?;
                    if rng.random_bool(0.004) {
                        writeln!(out.sales, "{date},{sku},{loc},-1,{price:.2},0")?;
                    }
                }
            }
            // Inventory: between nothing and six weeks of recent demand.
            let daily = recent / 28.0;
            let on_hand = if rng.random_bool(0.08) { 0.0 } else { (daily * rng.random_range(0.0..42.0)).round() };
            let reserved = if rng.random_bool(0.1) { (on_hand * 0.1).floor() } else { 0.0 };
            let backorders = if on_hand == 0.0 && rng.random_bool(0.3) { rng.random_range(1..=5) as f64 } else { 0.0 };
            writeln!(out.inventory, "{sku},{loc},{on_hand},{reserved},{backorders},{}", cfg.end_date)?;
            // Open orders: some lines in transit, some received or cancelled (not on order).
            if rng.random_bool(0.18) {
                po_seq += 1;
                let ordered = (moq.max(daily * 14.0) / pack).ceil().max(1.0) * pack;
                let order_date = cfg.end_date - Duration::days(rng.random_range(1..=sup.lead.max(2.0) as i64));
                let expected = order_date + Duration::days(sup.lead as i64);
                let (status, received) = match rng.random_range(0..10) {
                    0..=4 => ("sent", 0.0),
                    5..=6 => ("confirmed", 0.0),
                    7 => ("partially_received", (ordered / 2.0).floor()),
                    8 => ("received", ordered),
                    _ => ("cancelled", 0.0),
                };
                writeln!(
                    out.open_orders,
                    "PO-HIST-{po_seq:05},1,{},{sku},{loc},{status},{ordered},{received},{order_date},{expected}",
                    sup.id
                )?;
            }
        }
    }
    Ok(())
}

/// The demo company's approval rules: a manager approves every PO from 1,000, the
/// finance director too from 25,000; smaller POs are approved automatically.
pub const DEMO_APPROVALS: &str = r#"# Who approves purchase orders (docs/workflow.md).
auto_approve_when = "total_value < 1000"

[actors]
"anna.buyer" = ["buyer"]
"max.manager" = ["purchasing_manager"]
"mia.manager" = ["purchasing_manager"]
"fred.finance" = ["finance_director"]

[[rules]]
name = "manager"
steps = [{ name = "purchasing manager", roles = ["purchasing_manager"], deadline_hours = 24, escalate_to = ["finance_director"] }]

[[rules]]
name = "large orders"
when = "total_value >= 25000"
steps = [{ name = "finance director", roles = ["finance_director"] }]
"#;

/// A week of events for the demo plan's purchase orders, to try `replenish track`:
/// every PO submitted, approved by its chain and sent on the plan date; then the
/// suppliers answer. The first PO is confirmed short, the second later than asked,
/// the third shipped and partly received, the last two never acknowledged, the
/// others confirmed as ordered.
pub fn tracking_events(plan: &crate::Plan) -> Vec<crate::orders::tracking::PoEventFor> {
    use crate::orders::tracking::{LineQuantity, PoEvent, PoEventFor, TrackEvent};
    use crate::workflow::Event as A;
    let at = |day: i64, hour: u32| plan.as_of.and_hms_opt(hour, 0, 0).unwrap_or_default() + Duration::days(day);
    let mut out = Vec::new();
    let n = plan.purchase_orders.len();
    for (k, po) in plan.purchase_orders.iter().enumerate() {
        let ev = |e: PoEvent| PoEventFor { po_number: po.po_number.clone(), event: e };
        out.push(ev(PoEvent::Approval(A::Submit { actor: "anna.buyer".into(), at: at(0, 9) })));
        if po.total_value >= 1000.0 {
            let manager = if k % 2 == 0 { "max.manager" } else { "mia.manager" };
            out.push(ev(PoEvent::Approval(A::Approve { actor: manager.into(), at: at(0, 10), comment: None })));
        }
        if po.total_value >= 25000.0 {
            out.push(ev(PoEvent::Approval(A::Approve { actor: "fred.finance".into(), at: at(0, 11), comment: None })));
        }
        out.push(ev(PoEvent::Tracking(TrackEvent::Send { at: at(0, 12), actor: Some("anna.buyer".into()) })));
        let first = &po.lines[0];
        match k {
            _ if k + 2 >= n => {} // never acknowledged
            0 => out.push(ev(PoEvent::Tracking(TrackEvent::Acknowledge {
                at: at(1, 8),
                document_id: None,
                lines: vec![LineQuantity {
                    line: first.line,
                    quantity: Some((first.quantity / 2.0).floor()),
                    date: None,
                }],
            }))),
            1 => out.push(ev(PoEvent::Tracking(TrackEvent::Acknowledge {
                at: at(1, 8),
                document_id: None,
                lines: vec![LineQuantity {
                    line: first.line,
                    quantity: None,
                    date: first.expected_delivery.map(|d| d + Duration::days(4)),
                }],
            }))),
            2 => {
                out.push(ev(PoEvent::Tracking(TrackEvent::Acknowledge {
                    at: at(1, 8),
                    document_id: None,
                    lines: vec![],
                })));
                let all: Vec<LineQuantity> = po
                    .lines
                    .iter()
                    .map(|l| LineQuantity { line: l.line, quantity: Some(l.quantity), date: None })
                    .collect();
                out.push(ev(PoEvent::Tracking(TrackEvent::Ship {
                    at: at(1, 16),
                    despatch_id: Some(format!("DESADV-{}", po.po_number)),
                    expected_date: po.expected_delivery,
                    lines: all.clone(),
                })));
                let half: Vec<LineQuantity> = all
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| LineQuantity {
                        quantity: l.quantity.map(|q| if i % 2 == 0 { q } else { (q / 2.0).floor() }),
                        ..l
                    })
                    .collect();
                out.push(ev(PoEvent::Tracking(TrackEvent::Receive { at: at(3, 7), lines: half })));
            }
            _ => out.push(ev(PoEvent::Tracking(TrackEvent::Acknowledge {
                at: at(1, 8),
                document_id: None,
                lines: vec![],
            }))),
        }
    }
    out.sort_by_key(|e| e.event.at());
    out
}

/// The demo plan's purchase orders after [`tracking_events`] under
/// [`DEMO_APPROVALS`], and the day of the last event (the date their alerts are for).
pub fn tracked(plan: &crate::Plan) -> crate::error::Result<(Vec<crate::orders::tracking::PoTracking>, NaiveDate)> {
    use crate::orders::tracking::{apply_all, PoTracking, Tolerance};
    let workflow = crate::workflow::ApprovalConfig::from_toml(DEMO_APPROVALS)?.compile()?;
    let states = plan
        .purchase_orders
        .iter()
        .map(|po| PoTracking::new(po, Tolerance::default()))
        .collect::<crate::error::Result<Vec<_>>>()?;
    let events = tracking_events(plan);
    let (states, refused) = apply_all(&workflow, states, &events);
    if let Some(r) = refused.first() {
        return Err(crate::error::Error::Internal(format!(
            "demo event refused: {} on {}: {}",
            r.event, r.po_number, r.message
        )));
    }
    let as_of = events.iter().map(|e| e.event.at().date()).max().unwrap_or(plan.as_of);
    Ok((states, as_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_different_seed_differs() {
        let small = DemoConfig { skus: 12, locations: 2, days: 90, ..Default::default() };
        let a = generate(&small);
        assert_eq!(a, generate(&small));
        let b = generate(&DemoConfig { seed: 7, ..small });
        assert_ne!(a.sales, b.sales);
    }
}
