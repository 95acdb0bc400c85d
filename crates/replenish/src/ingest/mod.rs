//! Validated ingestion: five CSV tables (plus optional stock-out log) in, one
//! [`Dataset`] out, or every problem found.
//!
//! The parsing functions are pure (bytes in, data out); [`read_folder`] is the
//! only function here that touches the file system. The schemas are documented in
//! `docs/data-formats.md`.

mod frequency;
mod table;

pub use frequency::{Frequency, PeriodDate};
pub use table::ColumnMapping;

use crate::error::{Error, Problem, ProblemKind, Result};
use crate::model::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use table::{read_table, Row, Table, TableBlocks, Text};

/// How negative POS lines (returns) enter demand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnsPolicy {
    /// Returns are not demand: they are left out of the demand history and reported
    /// (count and units) in the quality report. Returned units that go back on the
    /// shelf reach the plan through the inventory snapshot. The default.
    #[default]
    Exclude,
    /// Returns are subtracted from sales of the same SKU, location and day; a day
    /// whose returns exceed its sales is floored at zero demand and the units
    /// floored away are reported.
    NetSameDay,
}

/// Options for reading input tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestOptions {
    /// Per-table column mapping, keyed by table name (`items`, `suppliers`, `sales`,
    /// `inventory`, `open_orders`, `stockouts`, `stock_history`, `promotions`,
    /// `events`, `prices`, `weather`).
    pub tables: BTreeMap<String, ColumnMapping>,
    pub returns: ReturnsPolicy,
    /// The tables are one part of the data, for a plan in parts
    /// ([`crate::plan::split`]): `sales`, `inventory` and `suppliers` may have a
    /// header and no rows (the part's SKUs have none). Default: false.
    pub part: bool,
    /// Daily lines, or weekly or monthly totals; `auto` (the default) infers it
    /// from the dates. Weekly and monthly totals are spread evenly over the days of
    /// their period (docs/data-formats.md).
    pub frequency: Frequency,
    /// Which day of its period a weekly or monthly line is dated by: `start` (the
    /// default) or `end`. Inferred monthly data takes what its dates show.
    pub period_dates: PeriodDate,
}

impl IngestOptions {
    fn mapping(&self, table: &str) -> ColumnMapping {
        self.tables.get(table).cloned().unwrap_or_default()
    }
}

/// The text of one input table and the name it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInput {
    /// Shown in problems, e.g. `data/sales.csv` or `sales (DataFrame)`.
    pub name: String,
    pub data: TableData,
}

/// Where a table's text is: in memory, or in a file read when the table is parsed.
/// A POS table in a file is read in blocks, so it may be larger than memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableData {
    Bytes(Vec<u8>),
    File(PathBuf),
}

impl TableInput {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        TableInput { name: name.into(), data: TableData::Bytes(bytes.into()) }
    }

    /// A table in a file, named by its path; the file is read when parsed.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        TableInput { name: path.display().to_string(), data: TableData::File(path) }
    }

    /// The whole text of the table (a file is read).
    pub fn read(&self) -> Result<Cow<'_, [u8]>> {
        match &self.data {
            TableData::Bytes(b) => Ok(Cow::Borrowed(b)),
            TableData::File(path) => std::fs::read(path)
                .map(Cow::Owned)
                .map_err(|source| Error::Io { path: path.display().to_string(), source }),
        }
    }

    /// The text, for reading in blocks.
    fn text(&self) -> Result<Text<'_>> {
        match &self.data {
            TableData::Bytes(b) => Ok(Text::Bytes(b)),
            TableData::File(path) => std::fs::File::open(path)
                .map(|f| Text::Reader(Box::new(f)))
                .map_err(|source| Error::Io { path: path.display().to_string(), source }),
        }
    }
}

/// The input tables. `items`, `suppliers`, `sales` and `inventory` are required;
/// `open_orders`, `stockouts` and `stock_history` may be absent (the quality report
/// says so).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    pub items: Option<TableInput>,
    pub suppliers: Option<TableInput>,
    pub sales: Option<TableInput>,
    pub inventory: Option<TableInput>,
    pub open_orders: Option<TableInput>,
    pub stockouts: Option<TableInput>,
    /// Daily closing stock per SKU-location (WMS history): days closing at zero or
    /// below are stock-out days, like the rows of `stockouts`.
    pub stock_history: Option<TableInput>,
    /// The promotion calendar: sku, optional location (blank = every location),
    /// start, end, optional discount.
    pub promotions: Option<TableInput>,
    /// Holidays and events: date, name, optional location, before, after.
    pub events: Option<TableInput>,
    /// Planned selling prices: sku, optional location, start, optional end, price.
    pub prices: Option<TableInput>,
    /// Weather per location and day: location, date and one numeric column per
    /// variable.
    pub weather: Option<TableInput>,
    /// Goods receipts of past purchase orders: supplier_id, sku, order_date,
    /// received_date; the plan learns lead times from them.
    pub receipts: Option<TableInput>,
}

/// The file names [`read_folder`] looks for, in the order tables are reported.
pub const TABLE_FILES: [&str; 12] = [
    "items.csv",
    "suppliers.csv",
    "sales.csv",
    "inventory.csv",
    "open_orders.csv",
    "stockouts.csv",
    "stock_history.csv",
    "promotions.csv",
    "events.csv",
    "prices.csv",
    "weather.csv",
    "receipts.csv",
];

/// What was read from one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    pub problems: usize,
}

/// Data-quality summary: what was read, what was rejected, and every treatment
/// applied to the data (nothing is changed without a line here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub files: Vec<FileReport>,
    pub items: usize,
    pub locations: usize,
    pub suppliers: usize,
    pub series: usize,
    pub demand_days: usize,
    pub sales_lines: usize,
    pub return_lines: usize,
    pub returned_units: f64,
    pub stockout_days: usize,
    pub history_start: Option<chrono::NaiveDate>,
    pub history_end: Option<chrono::NaiveDate>,
    /// Human-readable treatments and observations.
    pub notes: Vec<String>,
    /// The frequency the sales were read at (declared or inferred).
    #[serde(default)]
    pub frequency: Frequency,
}

/// The result of a successful ingestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ingested {
    pub dataset: Dataset,
    pub report: QualityReport,
}

/// Finds the table files of a folder ([`TABLE_FILES`]: `items.csv`, `suppliers.csv`,
/// `sales.csv`, `inventory.csv`, optional `open_orders.csv`, `stockouts.csv` ...)
/// without reading them: they are read when parsed, the POS table in blocks. A
/// missing file is `None` (and becomes a problem in [`parse`] if required).
pub fn read_inputs(dir: impl AsRef<Path>) -> Result<Inputs> {
    let dir = dir.as_ref();
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "data folder not found"),
        });
    }
    let read = |name: &str| -> Result<Option<TableInput>> {
        let path = dir.join(name);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => Err(Error::Io {
                path: path.display().to_string(),
                source: std::io::Error::other("a folder where a table file was expected"),
            }),
            Ok(_) => Ok(Some(TableInput::file(path))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Io { path: path.display().to_string(), source }),
        }
    };
    Ok(Inputs {
        items: read(TABLE_FILES[0])?,
        suppliers: read(TABLE_FILES[1])?,
        sales: read(TABLE_FILES[2])?,
        inventory: read(TABLE_FILES[3])?,
        open_orders: read(TABLE_FILES[4])?,
        stockouts: read(TABLE_FILES[5])?,
        stock_history: read(TABLE_FILES[6])?,
        promotions: read(TABLE_FILES[7])?,
        events: read(TABLE_FILES[8])?,
        prices: read(TABLE_FILES[9])?,
        weather: read(TABLE_FILES[10])?,
        receipts: read(TABLE_FILES[11])?,
    })
}

/// Reads a folder and validates it: [`read_inputs`] then [`parse`].
pub fn read_folder(dir: impl AsRef<Path>, options: &IngestOptions) -> Result<Ingested> {
    parse(&read_inputs(dir)?, options)
}

impl Inputs {
    /// Sets a table by its name (`items`, `suppliers`, `sales`, `inventory`,
    /// `open_orders`, `stockouts`, `stock_history`, `promotions`, `events`, `prices`,
    /// `weather`); an unknown name is
    /// [`Error::InvalidInput`].
    pub fn set(&mut self, table: &str, input: TableInput) -> Result<()> {
        let slot = match table {
            "items" => &mut self.items,
            "suppliers" => &mut self.suppliers,
            "sales" => &mut self.sales,
            "inventory" => &mut self.inventory,
            "open_orders" => &mut self.open_orders,
            "stockouts" => &mut self.stockouts,
            "stock_history" => &mut self.stock_history,
            "promotions" => &mut self.promotions,
            "events" => &mut self.events,
            "prices" => &mut self.prices,
            "weather" => &mut self.weather,
            "receipts" => &mut self.receipts,
            other => {
                return Err(Error::InvalidInput(format!(
                    "unknown table `{other}`: expected items, suppliers, sales, inventory, open_orders, stockouts, stock_history, promotions, events, prices, weather or receipts"
                )))
            }
        };
        *slot = Some(input);
        Ok(())
    }

    /// The tables present, as (canonical file name, input) pairs in [`TABLE_FILES`] order.
    pub fn tables(&self) -> Vec<(&'static str, &TableInput)> {
        let t = [
            &self.items,
            &self.suppliers,
            &self.sales,
            &self.inventory,
            &self.open_orders,
            &self.stockouts,
            &self.stock_history,
            &self.promotions,
            &self.events,
            &self.prices,
            &self.weather,
            &self.receipts,
        ];
        TABLE_FILES.iter().zip(t).filter_map(|(n, t)| t.as_ref().map(|t| (*n, t))).collect()
    }
}

struct Ctx {
    problems: Vec<Problem>,
    report: QualityReport,
    /// Sales, inventory and suppliers may have no rows (a part of a split plan).
    part: bool,
}

impl Ctx {
    fn file_report(&mut self, table: &Table, accepted: usize, problems_before: usize) {
        self.report.files.push(FileReport {
            file: table.file.clone(),
            rows_read: table.rows.len() + table.rejected_rows,
            rows_accepted: accepted,
            rows_rejected: table.rows.len() + table.rejected_rows - accepted,
            problems: self.problems.len() - problems_before,
        });
    }

    /// The report of a table that could not be read (its problems say why).
    fn unreadable(&mut self, file: &str, problems_before: usize) {
        self.report.files.push(FileReport {
            file: file.into(),
            problems: self.problems.len() - problems_before,
            ..Default::default()
        });
    }

    /// A table not given: a problem if it is required, a note if not.
    fn absent(&mut self, name: &str, required: bool) {
        if required {
            self.missing(name);
        } else {
            self.report.notes.push(format!("{name} not given: treated as having no rows"));
        }
    }

    fn missing(&mut self, name: &str) {
        self.problems.push(Problem {
            file: name.into(),
            row: None,
            column: None,
            kind: ProblemKind::MissingFile,
            message: "required table is missing".into(),
        });
    }

    fn reference(&mut self, table: &str, line: u64, column: &str, what: &str, value: &str, defined_in: &str) {
        self.problems.push(Problem {
            file: table.into(),
            row: Some(line),
            column: Some(column.into()),
            kind: ProblemKind::UnknownReference,
            message: format!("unknown {what} `{value}`: not defined in {defined_in}"),
        });
    }

    fn duplicate(&mut self, table: &str, line: u64, column: &str, key: String, first: u64) {
        self.problems.push(Problem {
            file: table.into(),
            row: Some(line),
            column: Some(column.into()),
            kind: ProblemKind::DuplicateKey,
            message: format!("duplicate key {key}: already defined on row {first}"),
        });
    }
}

/// Reads a required or optional table; `None` if absent or unreadable.
fn open(
    ctx: &mut Ctx,
    input: &Option<TableInput>,
    default_name: &str,
    opts: &IngestOptions,
    key: &str,
    required: bool,
) -> Result<Option<Table>> {
    match input {
        Some(t) => {
            let before = ctx.problems.len();
            let table = read_table(&t.name, &t.read()?, &opts.mapping(key), &mut ctx.problems);
            if table.is_none() {
                ctx.unreadable(&t.name, before);
            }
            Ok(table)
        }
        None => {
            ctx.absent(default_name, required);
            Ok(None)
        }
    }
}

/// A required table must have rows; in a part of a split plan only the items must.
fn require_rows(ctx: &mut Ctx, t: &Table, in_part: bool) {
    require_rows_read(ctx, &t.file, t.rows.len() + t.rejected_rows, in_part);
}

/// [`require_rows`] for a table read in blocks, of which `rows` were read.
fn require_rows_read(ctx: &mut Ctx, file: &str, rows: usize, in_part: bool) {
    if rows == 0 && !(ctx.part && in_part) {
        ctx.problems.push(Problem {
            file: file.into(),
            row: None,
            column: None,
            kind: ProblemKind::EmptyFile,
            message: "the file has a header but no data rows".into(),
        });
    }
}

const ITEM_COLS: [&str; 9] = [
    "sku",
    "name",
    "category",
    "unit_cost",
    "sell_price",
    "unit_volume",
    "unit_weight",
    "units_per_pallet",
    "shelf_life_days",
];

fn parse_items(ctx: &mut Ctx, t: &Table) -> Vec<(u64, Item)> {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    if t.require(&["sku", "unit_cost"], &mut ctx.problems) {
        require_rows(ctx, t, false);
        let extra = t.extra_columns(&ITEM_COLS);
        let mut seen: HashMap<String, u64> = HashMap::new();
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let sku = r.req_str("sku");
            let name = r.opt_str("name").unwrap_or_default();
            let category = r.opt_str("category").unwrap_or_else(|| "uncategorised".into());
            let unit_cost = r.req_f64("unit_cost");
            r.non_negative("unit_cost", unit_cost, false);
            let sell_price = r.opt_f64("sell_price");
            if let Some(p) = sell_price {
                r.non_negative("sell_price", p, false);
            }
            let measure = |r: &mut Row, col: &str| {
                let v = r.opt_f64(col);
                if let Some(x) = v {
                    r.non_negative(col, x, col == "units_per_pallet");
                }
                v
            };
            let unit_volume = measure(&mut r, "unit_volume");
            let unit_weight = measure(&mut r, "unit_weight");
            let units_per_pallet = measure(&mut r, "units_per_pallet");
            let shelf_life_days = r.opt_f64("shelf_life_days");
            if let Some(d) = shelf_life_days {
                r.non_negative("shelf_life_days", d, true);
            }
            let attributes = extra
                .iter()
                .filter_map(|(k, i)| {
                    fields.get(*i).map(str::trim).filter(|v| !v.is_empty()).map(|v| (k.clone(), v.to_string()))
                })
                .collect();
            let ok = r.ok;
            if ok && !sku.is_empty() {
                if let Some(&first) = seen.get(&sku) {
                    ctx.duplicate(&t.file, *line, "sku", format!("sku `{sku}`"), first);
                    continue;
                }
                seen.insert(sku.clone(), *line);
                out.push((
                    *line,
                    Item {
                        sku,
                        name,
                        category,
                        unit_cost,
                        sell_price,
                        unit_volume,
                        unit_weight,
                        units_per_pallet,
                        shelf_life_days,
                        attributes,
                    },
                ));
            }
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

fn parse_weekdays(r: &mut Row<'_, '_>, col: &str) -> Vec<Weekday> {
    let Some(raw) = r.opt_str(col) else { return Vec::new() };
    let mut days = BTreeSet::new();
    for part in raw.split(['|', ' ', ';', '/']).filter(|p| !p.is_empty()) {
        match part.parse::<Weekday>() {
            Ok(d) => {
                days.insert(d.num_days_from_monday());
            }
            Err(_) => {
                r.problem(
                    col,
                    ProblemKind::InvalidValue,
                    format!("`{part}` is not a weekday (use Mon|Tue|... separated by `|`)"),
                );
                return Vec::new();
            }
        }
    }
    days.into_iter().filter_map(|n| Weekday::try_from(n as u8).ok()).collect()
}

/// Columns of `suppliers.csv` that describe the supplier, not one SKU's terms.
const SUPPLIER_LEVEL_COLS: [&str; 11] = [
    "supplier_email",
    "supplier_order_weekdays",
    "order_cutoff",
    "min_order_value",
    "min_order_quantity",
    "min_order_action",
    "truck_volume",
    "truck_weight",
    "truck_pallets",
    "fill_trucks",
    "max_top_up_days",
];

fn weekdays_of(v: &str) -> Vec<Weekday> {
    let days: BTreeSet<u32> = v
        .split(['|', ' ', ';', '/'])
        .filter_map(|p| p.parse::<Weekday>().ok())
        .map(|d| d.num_days_from_monday())
        .collect();
    days.into_iter().filter_map(|n| Weekday::try_from(n as u8).ok()).collect()
}

fn parse_time(v: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(v.trim(), "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(v.trim(), "%H:%M:%S"))
        .ok()
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" => Some(true),
        "false" | "no" | "0" | "n" => Some(false),
        _ => None,
    }
}

/// Checks the supplier-level values of one row (typed problems naming the column).
fn check_supplier_level(r: &mut Row, level: &[(&'static str, String)]) {
    for (col, v) in level {
        let bad = match *col {
            "supplier_email" => (!v.contains('@')).then(|| format!("`{v}` is not an e-mail address")),
            "supplier_order_weekdays" => None,
            "order_cutoff" => parse_time(v).is_none().then(|| format!("`{v}` is not a time of day (HH:MM)")),
            "min_order_action" => (!matches!(v.trim().to_ascii_lowercase().as_str(), "top_up" | "defer"))
                .then(|| format!("`{v}` is not allowed: use top_up or defer")),
            "fill_trucks" => parse_bool(v).is_none().then(|| format!("`{v}` is not true or false")),
            _ => match v.trim().parse::<f64>() {
                Ok(x) if x.is_finite() && x > 0.0 => None,
                _ => Some(format!("`{v}` must be a number > 0")),
            },
        };
        if let Some(message) = bad {
            r.problem(*col, ProblemKind::OutOfRange, message);
        }
    }
    if level.iter().any(|(c, _)| *c == "supplier_order_weekdays") {
        let _ = parse_weekdays(r, "supplier_order_weekdays");
    }
}

fn supplier_of(id: String, name: String, values: &BTreeMap<&str, &str>) -> Supplier {
    let get = |c: &str| values.get(c).copied();
    let num = |c: &str| get(c).and_then(|v| v.trim().parse::<f64>().ok());
    Supplier {
        id,
        name,
        email: get("supplier_email").map(|v| v.trim().to_string()),
        order_weekdays: get("supplier_order_weekdays").map(weekdays_of).unwrap_or_default(),
        order_cutoff: get("order_cutoff").and_then(parse_time),
        min_order_value: num("min_order_value"),
        min_order_quantity: num("min_order_quantity"),
        min_order_action: match get("min_order_action").map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if v == "defer" => crate::model::MinOrderAction::Defer,
            _ => crate::model::MinOrderAction::TopUp,
        },
        truck_volume: num("truck_volume"),
        truck_weight: num("truck_weight"),
        truck_pallets: num("truck_pallets"),
        fill_trucks: get("fill_trucks").and_then(parse_bool).unwrap_or(false),
        max_top_up_days: num("max_top_up_days"),
    }
}

fn parse_suppliers(ctx: &mut Ctx, t: &Table) -> (Vec<(u64, SupplyTerms)>, Vec<Supplier>) {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut levels: BTreeMap<(String, &'static str), (String, u64)> = BTreeMap::new();
    if t.require(&["supplier_id", "sku", "lead_time_days"], &mut ctx.problems) {
        require_rows(ctx, t, true);
        let mut seen: HashMap<(String, String, Option<String>), u64> = HashMap::new();
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let supplier_id = r.req_str("supplier_id");
            let supplier_name = r.opt_str("supplier_name");
            let sku = r.req_str("sku");
            let location = r.opt_str("location");
            let lead_time_days = r.req_f64("lead_time_days");
            r.non_negative("lead_time_days", lead_time_days, false);
            let lead_time_std_days = r.opt_f64("lead_time_std_days").unwrap_or(0.0);
            r.non_negative("lead_time_std_days", lead_time_std_days, false);
            let moq = r.opt_f64("moq").unwrap_or(0.0);
            r.non_negative("moq", moq, false);
            let pack_size = r.opt_f64("pack_size").unwrap_or(1.0);
            r.non_negative("pack_size", pack_size, true);
            let max_order = r.opt_f64("max_order");
            if let Some(m) = max_order {
                r.non_negative("max_order", m, true);
                let smallest = if pack_size > 0.0 { (moq.max(1e-12) / pack_size).ceil() * pack_size } else { moq };
                if r.ok && m < smallest {
                    r.problem(
                        "max_order",
                        ProblemKind::Inconsistent,
                        format!("max_order {m} is below the smallest orderable quantity {smallest} (MOQ {moq} rounded up to pack {pack_size})"),
                    );
                }
            }
            let order_cycle_days = r.opt_f64("order_cycle_days");
            if let Some(c) = order_cycle_days {
                r.non_negative("order_cycle_days", c, true);
            }
            let order_weekdays = parse_weekdays(&mut r, "order_weekdays");
            // Supplier-level columns: checked here, gathered per supplier below.
            let mut level: Vec<(&'static str, String)> = Vec::new();
            for col in SUPPLIER_LEVEL_COLS {
                if let Some(v) = r.opt_str(col) {
                    level.push((col, v));
                }
            }
            check_supplier_level(&mut r, &level);
            let unit_cost = r.opt_f64("unit_cost");
            if let Some(c) = unit_cost {
                r.non_negative("unit_cost", c, false);
            }
            let currency = r.opt_str("currency").unwrap_or_else(|| "EUR".into()).to_ascii_uppercase();
            let rank = match r.opt_f64("rank") {
                Some(v) if v >= 1.0 && v.fract() == 0.0 && v <= u32::MAX as f64 => v as u32,
                Some(v) => {
                    r.problem(
                        "rank",
                        ProblemKind::OutOfRange,
                        format!("{v} is not allowed: rank is a whole number from 1"),
                    );
                    1
                }
                None => 1,
            };
            if !r.ok {
                continue;
            }
            let key = (supplier_id.clone(), sku.clone(), location.clone());
            if let Some(&first) = seen.get(&key) {
                let loc = location.as_deref().unwrap_or("(all)");
                ctx.duplicate(
                    &t.file,
                    *line,
                    "sku",
                    format!("supplier `{supplier_id}`, sku `{sku}`, location `{loc}`"),
                    first,
                );
                continue;
            }
            seen.insert(key, *line);
            let entry = names.entry(supplier_id.clone()).or_insert_with(|| supplier_id.clone());
            if let Some(n) = supplier_name {
                *entry = n;
            }
            for (col, value) in level {
                match levels.entry((supplier_id.clone(), col)) {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert((value, *line));
                    }
                    std::collections::btree_map::Entry::Occupied(o) if o.get().0 != value => {
                        ctx.problems.push(Problem {
                            file: t.file.clone(),
                            row: Some(*line),
                            column: Some(col.to_string()),
                            kind: ProblemKind::Inconsistent,
                            message: format!(
                                "`{value}` differs from `{}` on line {} for supplier `{supplier_id}`: a supplier-level column must be the same on every row of the supplier",
                                o.get().0,
                                o.get().1
                            ),
                        });
                    }
                    _ => {}
                }
            }
            out.push((
                *line,
                SupplyTerms {
                    supplier_id,
                    sku,
                    location,
                    lead_time_days,
                    lead_time_std_days,
                    moq,
                    pack_size,
                    max_order,
                    order_cycle_days,
                    order_weekdays,
                    unit_cost,
                    currency,
                    rank,
                },
            ));
        }
    }
    ctx.file_report(t, out.len(), before);
    let suppliers = names
        .into_iter()
        .map(|(id, name)| {
            let mine: BTreeMap<&str, &str> = SUPPLIER_LEVEL_COLS
                .iter()
                .filter_map(|&c| levels.get(&(id.clone(), c)).map(|(v, _)| (c, v.as_str())))
                .collect();
            supplier_of(id, name, &mine)
        })
        .collect();
    (out, suppliers)
}

fn parse_inventory(ctx: &mut Ctx, t: &Table) -> Vec<(u64, InventoryRecord)> {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    if t.require(&["sku", "location", "on_hand", "as_of"], &mut ctx.problems) {
        require_rows(ctx, t, true);
        let mut seen: HashMap<(String, String), u64> = HashMap::new();
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let sku = r.req_str("sku");
            let location = r.req_str("location");
            // Negative on hand happens in real WMS exports (sold before booked in); it is
            // kept as is, because it is what the position really is.
            let on_hand = r.req_f64("on_hand");
            let reserved = r.opt_f64("reserved").unwrap_or(0.0);
            r.non_negative("reserved", reserved, false);
            let backorders = r.opt_f64("backorders").unwrap_or(0.0);
            r.non_negative("backorders", backorders, false);
            let as_of = r.req_date("as_of");
            let (ok, Some(as_of)) = (r.ok, as_of) else { continue };
            if !ok {
                continue;
            }
            let key = (sku.clone(), location.clone());
            if let Some(&first) = seen.get(&key) {
                ctx.duplicate(&t.file, *line, "sku", format!("sku `{sku}`, location `{location}`"), first);
                continue;
            }
            seen.insert(key, *line);
            out.push((*line, InventoryRecord { sku, location, on_hand, reserved, backorders, as_of }));
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

fn parse_open_orders(ctx: &mut Ctx, t: &Table) -> Vec<(u64, OpenOrderLine)> {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    let req = ["po_number", "supplier_id", "sku", "location", "quantity_ordered", "order_date", "status"];
    if t.require(&req, &mut ctx.problems) {
        let mut seen: HashMap<(String, u32), u64> = HashMap::new();
        let mut next_line: HashMap<String, u32> = HashMap::new();
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let po_number = r.req_str("po_number");
            let line_no = match r.opt_f64("line") {
                Some(v) if v >= 1.0 && v.fract() == 0.0 && v <= u32::MAX as f64 => Some(v as u32),
                Some(v) => {
                    r.problem(
                        "line",
                        ProblemKind::OutOfRange,
                        format!("{v} is not a line number (whole number from 1)"),
                    );
                    None
                }
                None => None,
            };
            let supplier_id = r.req_str("supplier_id");
            let sku = r.req_str("sku");
            let location = r.req_str("location");
            let status_raw = r.req_str("status");
            let status = PoStatus::parse(&status_raw);
            if status.is_none() && !status_raw.is_empty() {
                let names: Vec<&str> = PoStatus::ALL.iter().map(|s| s.as_str()).collect();
                r.problem(
                    "status",
                    ProblemKind::InvalidValue,
                    format!("`{status_raw}` is not a status; expected one of {}", names.join(", ")),
                );
            }
            let quantity_ordered = r.req_f64("quantity_ordered");
            r.non_negative("quantity_ordered", quantity_ordered, false);
            let quantity_received = r.opt_f64("quantity_received").unwrap_or(0.0);
            r.non_negative("quantity_received", quantity_received, false);
            let order_date = r.req_date("order_date");
            let expected_date = r.opt_date("expected_date");
            if let (Some(o), Some(e)) = (order_date, expected_date) {
                if e < o {
                    r.problem(
                        "expected_date",
                        ProblemKind::Inconsistent,
                        format!("expected date {e} is before the order date {o}"),
                    );
                }
            }
            let (true, Some(status), Some(order_date)) = (r.ok, status, order_date) else { continue };
            let counter = next_line.entry(po_number.clone()).or_insert(0);
            let line_no = line_no.unwrap_or(*counter + 1);
            *counter = (*counter).max(line_no);
            let key = (po_number.clone(), line_no);
            if let Some(&first) = seen.get(&key) {
                ctx.duplicate(&t.file, *line, "po_number", format!("PO `{po_number}` line {line_no}"), first);
                continue;
            }
            seen.insert(key, *line);
            out.push((
                *line,
                OpenOrderLine {
                    po_number,
                    line: line_no,
                    supplier_id,
                    sku,
                    location,
                    status,
                    quantity_ordered,
                    quantity_received,
                    order_date,
                    expected_date,
                },
            ));
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

/// One POS line after parsing (40 bytes: there are tens of millions). `series` is
/// the id of its SKU-location in the [`Series`] interner.
struct SaleLine {
    line: u64,
    quantity: f64,
    /// NaN when the line has no price (a price read is always finite).
    price: f64,
    series: u32,
    date: chrono::NaiveDate,
    promotion: bool,
}

type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// The day of a series whose priced POS lines are being summed, and the last price
/// the series' runs hold (its bits; NaN: none yet).
#[derive(Clone, Copy)]
struct OpenDay {
    day: usize,
    sum: DaySum,
    last: u64,
}

impl Default for OpenDay {
    fn default() -> Self {
        OpenDay { day: usize::MAX, sum: DaySum::default(), last: f64::NAN.to_bits() }
    }
}

impl OpenDay {
    /// Ends the day: its price, if any units were priced, goes to the series' runs.
    fn close(&mut self, priced: &mut DayFlags, runs: &mut Vec<(usize, f64)>) {
        if let (true, Some(price)) = (self.day != usize::MAX, self.sum.price()) {
            priced.set(self.day, true);
            if price.to_bits() != self.last {
                runs.push((self.day, price));
                self.last = price.to_bits();
            }
        }
        self.day = usize::MAX;
    }
}

/// Interns SKU-location pairs: hundreds of thousands of POS lines share one key
/// each. The keys are owned, so that the POS table's text can be freed as soon as
/// its lines are parsed; lookups are by borrowed text (a hash, then a chain of the
/// ids with that hash).
#[derive(Default)]
struct Series {
    /// Hash of a key → the first id with that hash.
    index: FastMap<u64, u32>,
    /// The next id with the same hash as this one (`u32::MAX`: none).
    chain: Vec<u32>,
    keys: Vec<(String, String)>,
}

impl Series {
    fn id(&mut self, sku: &str, location: &str) -> u32 {
        use std::hash::BuildHasher;
        self.id_hashed(rustc_hash::FxBuildHasher.hash_one((sku, location)), sku, location)
    }
    fn id_hashed(&mut self, hash: u64, sku: &str, location: &str) -> u32 {
        use std::collections::hash_map::Entry;
        let next = self.keys.len() as u32;
        match self.index.entry(hash) {
            Entry::Vacant(e) => {
                e.insert(next);
            }
            Entry::Occupied(e) => {
                let mut k = *e.get() as usize;
                loop {
                    if self.keys[k].0 == sku && self.keys[k].1 == location {
                        return k as u32;
                    }
                    if self.chain[k] == u32::MAX {
                        self.chain[k] = next;
                        break;
                    }
                    k = self.chain[k] as usize;
                }
            }
        }
        self.keys.push((sku.to_string(), location.to_string()));
        self.chain.push(u32::MAX);
        next
    }
    fn key(&self, id: u32) -> (&str, &str) {
        let (sku, location) = &self.keys[id as usize];
        (sku, location)
    }
}

/// Rows of the POS table parsed per task; a task's lines stay in their own vector
/// (no copy into one of tens of millions).
const SALES_CHUNK_ROWS: usize = 8192;

/// Bytes of the POS table read and parsed at a time: its lines are added to their
/// days block by block, so the table may be larger than memory.
const SALES_BLOCK_BYTES: usize = 64 << 20;

/// The date column of a POS table: `date`, or a column named `timestamp`.
fn sales_date_col(t: &Table) -> &'static str {
    if t.index.contains_key("date") || !t.index.contains_key("timestamp") {
        "date"
    } else {
        "timestamp"
    }
}

/// The POS lines of one block of rows in file order, in chunks; every problem goes
/// to `problems`. The table must have the required columns.
fn parse_sales_block<'t>(problems: &mut Vec<Problem>, t: &'t Table, series: &mut Series) -> Vec<Vec<SaleLine>> {
    let date_col = sales_date_col(t);
    // POS tables are the big ones and their rows are independent: parsed in
    // parallel chunks, each interning its keys locally, then the chunks' keys are
    // interned in file order (problems and series ids come out as if read in one
    // pass).
    let n = t.rows.len();
    type Parsed<'t> = (Vec<Problem>, Vec<SaleLine>, Vec<(&'t str, &'t str)>);
    let chunks: Vec<Parsed<'t>> = (0..n.div_ceil(SALES_CHUNK_ROWS))
        .into_par_iter()
        .map(|c| {
            let rows = c * SALES_CHUNK_ROWS..((c + 1) * SALES_CHUNK_ROWS).min(n);
            let (mut problems, mut lines, mut keys) = (Vec::new(), Vec::with_capacity(rows.len()), Vec::new());
            let mut local: FastMap<(&'t str, &'t str), u32> = FastMap::default();
            // The previous line's key and id: POS exports often list one
            // SKU-location's lines together, and then no hash is needed.
            let mut last: Option<((&'t str, &'t str), u32)> = None;
            let (c_date, c_sku, c_loc) = (t.col(date_col), t.col("sku"), t.col("location"));
            let (c_qty, c_price, c_promo) = (t.col("quantity"), t.col("price"), t.col("promo"));
            for (line, fields) in rows.map(|i| t.rows.row(i)) {
                let mut r = Row::new(t, *line, fields, &mut problems);
                let date = r.req_date(c_date);
                let sku = r.req_ref(c_sku);
                let location = r.req_ref(c_loc);
                let quantity = r.req_f64(c_qty);
                let price = r.opt_f64(c_price);
                if let Some(p) = price {
                    r.non_negative(c_price, p, false);
                }
                let promotion = r.opt_bool(c_promo).unwrap_or(false);
                if let (true, Some(date)) = (r.ok, date) {
                    let next = keys.len() as u32;
                    let series = match last {
                        Some((k, id)) if k == (sku, location) => id,
                        _ => *local.entry((sku, location)).or_insert_with(|| {
                            keys.push((sku, location));
                            next
                        }),
                    };
                    last = Some(((sku, location), series));
                    let price = price.unwrap_or(f64::NAN);
                    lines.push(SaleLine { line: *line, quantity, price, series, date, promotion });
                }
            }
            (problems, lines, keys)
        })
        .collect();
    let mut out = Vec::with_capacity(chunks.len());
    let mut maps = Vec::with_capacity(chunks.len());
    for (chunk_problems, lines, keys) in chunks {
        problems.extend(chunk_problems);
        maps.push(keys.iter().map(|&(sku, loc)| series.id(sku, loc)).collect::<Vec<u32>>());
        out.push(lines);
    }
    out.par_iter_mut().zip(maps).for_each(|(lines, map)| {
        for s in lines {
            s.series = map[s.series as usize];
        }
    });
    out
}

/// Below this many days a series' history is noted as short in the quality report.
pub const SHORT_HISTORY_DAYS: usize = 56;

/// What the first pass over the POS table learns, per series id of the interner.
struct SalesScan {
    /// Lines accepted.
    lines: usize,
    /// First day (`num_days_from_ce`) of each series' lines; `i32::MAX`: none.
    first: Vec<i32>,
    /// Latest day of each series' lines so far, and whether a line came before an
    /// earlier day's (the series' lines are not in date order).
    latest: Vec<i32>,
    unordered: Vec<bool>,
    /// Last day of all lines; `i32::MIN`: none.
    last: i32,
    /// Each distinct day (`num_days_from_ce`): its first row and how many rows carry
    /// it (the frequency). A hash map: one lookup per POS line.
    dates: FastMap<i32, (u64, usize)>,
}

impl Default for SalesScan {
    fn default() -> Self {
        SalesScan {
            lines: 0,
            first: Vec::new(),
            latest: Vec::new(),
            unordered: Vec::new(),
            last: i32::MIN,
            dates: FastMap::default(),
        }
    }
}

fn day_of(d: chrono::NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d)
}

/// The first pass over the POS table: every row parsed and checked (problems to
/// `ctx`), its SKU-locations interned in `series`, and the days each one spans.
/// `None` when the table is absent, unreadable or lacks a required column.
fn scan_sales(
    ctx: &mut Ctx,
    input: &Option<TableInput>,
    opts: &IngestOptions,
    series: &mut Series,
) -> Result<Option<SalesScan>> {
    let Some(input) = input else {
        ctx.absent("sales.csv", true);
        return Ok(None);
    };
    let before = ctx.problems.len();
    let io = |source| Error::Io { path: input.name.clone(), source };
    let Some(mut blocks) =
        TableBlocks::open(&input.name, input.text()?, &opts.mapping("sales"), &mut ctx.problems, SALES_BLOCK_BYTES)
            .map_err(io)?
    else {
        ctx.unreadable(&input.name, before);
        return Ok(None);
    };
    let t = &blocks.table;
    let columns = t.require(&[sales_date_col(t), "sku", "location", "quantity"], &mut ctx.problems);
    let mut scan = SalesScan::default();
    let mut rows = 0;
    while blocks.next(&mut ctx.problems).map_err(io)? {
        rows += blocks.table.rows.len();
        if !columns {
            continue;
        }
        let lines = parse_sales_block(&mut ctx.problems, &blocks.table, series);
        let n = series.keys.len();
        scan.first.resize(n, i32::MAX);
        scan.latest.resize(n, i32::MIN);
        scan.unordered.resize(n, false);
        for s in lines.iter().flatten() {
            let (d, k) = (day_of(s.date), s.series as usize);
            scan.first[k] = scan.first[k].min(d);
            scan.unordered[k] |= d < scan.latest[k];
            scan.latest[k] = scan.latest[k].max(d);
            scan.last = scan.last.max(d);
            scan.lines += 1;
            scan.dates.entry(d).or_insert((s.line, 0)).1 += 1;
        }
    }
    let t = &blocks.table;
    if columns {
        require_rows_read(ctx, &t.file, rows + t.rejected_rows, true);
    }
    ctx.report.files.push(FileReport {
        file: t.file.clone(),
        rows_read: rows + t.rejected_rows,
        rows_accepted: scan.lines,
        rows_rejected: rows + t.rejected_rows - scan.lines,
        problems: ctx.problems.len() - before,
    });
    Ok(columns.then_some(scan))
}

/// The error of a table whose second reading differs from its first.
fn changed_while_read(input: &TableInput) -> Error {
    Error::Io { path: input.name.clone(), source: std::io::Error::other("the file changed while it was read") }
}

/// Reads the POS table again, block by block, and hands each block's lines (in file
/// order) to `f`. The table was read by [`scan_sales`]; a key it did not see, or a
/// problem when it found none (`clean`), means the file changed in between.
fn each_sales_block(
    input: &TableInput,
    opts: &IngestOptions,
    series: &mut Series,
    clean: bool,
    mut f: impl FnMut(&[Vec<SaleLine>]) -> Result<()>,
) -> Result<()> {
    let io = |source| Error::Io { path: input.name.clone(), source };
    let changed = || changed_while_read(input);
    let mut problems = Vec::new();
    let mut blocks =
        TableBlocks::open(&input.name, input.text()?, &opts.mapping("sales"), &mut problems, SALES_BLOCK_BYTES)
            .map_err(io)?
            .ok_or_else(changed)?;
    let keys = series.keys.len();
    while blocks.next(&mut problems).map_err(io)? {
        let lines = parse_sales_block(&mut problems, &blocks.table, series);
        if series.keys.len() != keys || (clean && !problems.is_empty()) {
            return Err(changed());
        }
        problems.clear();
        f(&lines)?;
    }
    Ok(())
}

fn parse_receipts(ctx: &mut Ctx, t: &Table) -> Vec<(u64, crate::orders::leadtime::Receipt)> {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    if t.require(&["supplier_id", "sku", "order_date", "received_date"], &mut ctx.problems) {
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let supplier_id = r.req_str("supplier_id");
            let sku = r.req_str("sku");
            let order_date = r.req_date("order_date");
            let received_date = r.req_date("received_date");
            if let (Some(o), Some(d)) = (order_date, received_date) {
                if d < o {
                    r.problem("received_date", ProblemKind::Inconsistent, format!("{d} is before the order date {o}"));
                }
            }
            if let (true, Some(order_date), Some(received_date)) = (r.ok, order_date, received_date) {
                out.push((*line, crate::orders::leadtime::Receipt { supplier_id, sku, order_date, received_date }));
            }
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

fn parse_stockouts(ctx: &mut Ctx, t: &Table, series: &mut Series) -> Vec<(u64, u32, chrono::NaiveDate)> {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    if t.require(&["date", "sku", "location"], &mut ctx.problems) {
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let date = r.req_date("date");
            let sku = r.req_ref("sku");
            let location = r.req_ref("location");
            if let (true, Some(date)) = (r.ok, date) {
                out.push((*line, series.id(sku, location), date));
            }
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

/// One row of the stock history: line, SKU-location, date, closed at zero or below,
/// the closing stock.
type StockDay = (u64, u32, chrono::NaiveDate, bool, f64);

fn parse_stock_history(ctx: &mut Ctx, t: &Table, series: &mut Series) -> Vec<StockDay> {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    let mut seen: HashMap<(u32, chrono::NaiveDate), u64> = HashMap::new();
    if t.require(&["date", "sku", "location", "on_hand"], &mut ctx.problems) {
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let date = r.req_date("date");
            let sku = r.req_ref("sku");
            let location = r.req_ref("location");
            let on_hand = r.req_f64("on_hand");
            let (true, Some(date)) = (r.ok, date) else { continue };
            let key = series.id(sku, location);
            if let Some(first) = seen.insert((key, date), *line) {
                ctx.duplicate(
                    &t.file,
                    *line,
                    "date",
                    format!("sku `{sku}`, location `{location}`, date {date}"),
                    first,
                );
                continue;
            }
            out.push((*line, key, date, on_hand <= 0.0, on_hand));
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

fn parse_promotions(ctx: &mut Ctx, t: &Table) -> Vec<(u64, Promotion)> {
    let before = ctx.problems.len();
    let mut out = Vec::with_capacity(t.rows.len());
    if t.require(&["sku", "start", "end"], &mut ctx.problems) {
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let sku = r.req_str("sku");
            let location = r.opt_str("location").filter(|l| !l.trim().is_empty());
            let start = r.req_date("start");
            let end = r.req_date("end");
            let discount = r.opt_f64("discount");
            if let Some(d) = discount {
                if !(0.0..1.0).contains(&d) {
                    r.problem(
                        "discount",
                        ProblemKind::OutOfRange,
                        format!("discount {d} must be a share in [0, 1), e.g. 0.2 for 20% off"),
                    );
                }
            }
            if let (Some(a), Some(b)) = (start, end) {
                if b < a {
                    r.problem("end", ProblemKind::Inconsistent, format!("end {b} is before start {a}"));
                }
            }
            if let (true, Some(start), Some(end)) = (r.ok, start, end) {
                out.push((*line, Promotion { sku, location, start, end, discount }));
            }
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

fn parse_events(ctx: &mut Ctx, t: &Table) -> Vec<(u64, Event)> {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    let mut seen: HashMap<(String, Option<String>, chrono::NaiveDate), u64> = HashMap::new();
    if t.require(&["date", "name"], &mut ctx.problems) {
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let date = r.req_date("date");
            let name = r.req_str("name");
            let location = r.opt_str("location");
            let days = |r: &mut Row, col: &str| match r.opt_f64(col) {
                None => 0,
                Some(v) if v.fract() == 0.0 && (0.0..=f64::from(crate::forecast::events::MAX_WINDOW)).contains(&v) => {
                    v as u32
                }
                Some(v) => {
                    r.problem(
                        col,
                        ProblemKind::OutOfRange,
                        format!("{v} must be a whole number of days from 0 to {}", crate::forecast::events::MAX_WINDOW),
                    );
                    0
                }
            };
            let (b, a) = (days(&mut r, "before"), days(&mut r, "after"));
            let (true, Some(date)) = (r.ok, date) else { continue };
            if let Some(first) = seen.insert((name.clone(), location.clone(), date), *line) {
                let at = location.as_deref().map(|l| format!(" at `{l}`")).unwrap_or_default();
                ctx.duplicate(&t.file, *line, "date", format!("event `{name}`{at} on {date}"), first);
                continue;
            }
            out.push((*line, Event { date, name, location, before: b, after: a }));
        }
    }
    ctx.file_report(t, out.len(), before);
    out
}

fn parse_prices(ctx: &mut Ctx, t: &Table) -> Vec<(u64, PlannedPrice)> {
    let before = ctx.problems.len();
    let mut out: Vec<(u64, PlannedPrice)> = Vec::new();
    if t.require(&["sku", "start", "price"], &mut ctx.problems) {
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let sku = r.req_str("sku");
            let location = r.opt_str("location");
            let start = r.req_date("start");
            let end = r.opt_date("end");
            let price = r.req_f64("price");
            r.non_negative("price", price, false);
            if let (Some(a), Some(b)) = (start, end) {
                if b < a {
                    r.problem("end", ProblemKind::Inconsistent, format!("end {b} is before start {a}"));
                }
            }
            if let (true, Some(start)) = (r.ok, start) {
                out.push((*line, PlannedPrice { sku, location, start, end, price }));
            }
        }
    }
    // Two prices for the same SKU and location on the same day contradict each other.
    let mut sorted: Vec<&(u64, PlannedPrice)> = out.iter().collect();
    sorted.sort_by(|(_, a), (_, b)| (&a.sku, &a.location, a.start).cmp(&(&b.sku, &b.location, b.start)));
    let mut overlaps = Vec::new();
    for w in sorted.windows(2) {
        let ((l0, a), (l1, b)) = (w[0], w[1]);
        if (&a.sku, &a.location) == (&b.sku, &b.location) && a.end.is_none_or(|e| e >= b.start) {
            overlaps.push((*l1, *l0, b.start, a.sku.clone()));
        }
    }
    for (line, first, start, sku) in &overlaps {
        ctx.problems.push(Problem {
            file: t.file.clone(),
            row: Some(*line),
            column: Some("start".into()),
            kind: ProblemKind::Inconsistent,
            message: format!(
                "the price of `{sku}` from {start} overlaps the period on row {first}: give the earlier period an end before {start}"
            ),
        });
    }
    let bad: HashSet<u64> = overlaps.iter().map(|o| o.0).collect();
    out.retain(|(l, _)| !bad.contains(l));
    ctx.file_report(t, out.len(), before);
    out
}

fn parse_weather(ctx: &mut Ctx, t: &Table) -> (Vec<String>, Vec<(u64, WeatherDay)>) {
    let before = ctx.problems.len();
    let mut out = Vec::new();
    let variables = t.extra_columns(&["location", "date"]);
    if variables.is_empty() && t.index.contains_key("location") && t.index.contains_key("date") {
        ctx.problems.push(Problem {
            file: t.file.clone(),
            row: Some(1),
            column: None,
            kind: ProblemKind::MissingColumn,
            message: "no weather variable: give one numeric column per variable besides `location` and `date`, e.g. `temperature`".into(),
        });
    }
    let mut seen: HashMap<(String, chrono::NaiveDate), u64> = HashMap::new();
    if t.require(&["location", "date"], &mut ctx.problems) && !variables.is_empty() {
        for (line, fields) in t.rows.iter() {
            let mut r = Row::new(t, *line, fields, &mut ctx.problems);
            let location = r.req_str("location");
            let date = r.req_date("date");
            let values: Vec<f64> = variables.iter().map(|(v, _)| r.req_f64(v.as_str())).collect();
            let (true, Some(date)) = (r.ok, date) else { continue };
            if let Some(first) = seen.insert((location.clone(), date), *line) {
                ctx.duplicate(&t.file, *line, "date", format!("location `{location}`, date {date}"), first);
                continue;
            }
            out.push((*line, WeatherDay { location, date, values }));
        }
    }
    ctx.file_report(t, out.len(), before);
    (variables.into_iter().map(|(v, _)| v).collect(), out)
}

/// Validates and converts the input tables. Pure: no file system access.
///
/// Every problem in every table is collected; if there is any, the result is
/// [`Error::Validation`] with all of them and the quality report.
pub fn parse(inputs: &Inputs, options: &IngestOptions) -> Result<Ingested> {
    let mut ctx = Ctx { problems: Vec::new(), report: QualityReport::default(), part: options.part };
    let t_items = open(&mut ctx, &inputs.items, "items.csv", options, "items", true)?;
    let t_sup = open(&mut ctx, &inputs.suppliers, "suppliers.csv", options, "suppliers", true)?;
    let t_inv = open(&mut ctx, &inputs.inventory, "inventory.csv", options, "inventory", true)?;
    let t_po = open(&mut ctx, &inputs.open_orders, "open_orders.csv", options, "open_orders", false)?;
    let t_so = open(&mut ctx, &inputs.stockouts, "stockouts.csv", options, "stockouts", false)?;
    let t_sh = open(&mut ctx, &inputs.stock_history, "stock_history.csv", options, "stock_history", false)?;
    let t_pr = open(&mut ctx, &inputs.promotions, "promotions.csv", options, "promotions", false)?;
    let t_ev = open(&mut ctx, &inputs.events, "events.csv", options, "events", false)?;
    let t_pp = open(&mut ctx, &inputs.prices, "prices.csv", options, "prices", false)?;
    let t_we = open(&mut ctx, &inputs.weather, "weather.csv", options, "weather", false)?;
    let t_rc = open(&mut ctx, &inputs.receipts, "receipts.csv", options, "receipts", false)?;

    let items = t_items.as_ref().map(|t| parse_items(&mut ctx, t)).unwrap_or_default();
    let (terms, suppliers) = t_sup.as_ref().map(|t| parse_suppliers(&mut ctx, t)).unwrap_or_default();
    let mut series = Series::default();
    // The POS table is read in blocks: a first pass checks every row and finds the
    // days of each series; a second one (below) adds the lines to their days.
    let sales_scan = scan_sales(&mut ctx, &inputs.sales, options, &mut series)?;
    let f_sales = inputs.sales.as_ref().map_or_else(|| "sales.csv".to_string(), |t| t.name.clone());
    let inventory = t_inv.as_ref().map(|t| parse_inventory(&mut ctx, t)).unwrap_or_default();
    let open_orders = t_po.as_ref().map(|t| parse_open_orders(&mut ctx, t)).unwrap_or_default();
    let mut stockouts = t_so.as_ref().map(|t| parse_stockouts(&mut ctx, t, &mut series)).unwrap_or_default();
    let stock_days = t_sh.as_ref().map(|t| parse_stock_history(&mut ctx, t, &mut series)).unwrap_or_default();
    let promotions = t_pr.as_ref().map(|t| parse_promotions(&mut ctx, t));
    let events = t_ev.as_ref().map(|t| parse_events(&mut ctx, t));
    let prices = t_pp.as_ref().map(|t| parse_prices(&mut ctx, t));
    let weather = t_we.as_ref().map(|t| parse_weather(&mut ctx, t));
    let receipts = t_rc.as_ref().map(|t| parse_receipts(&mut ctx, t)).unwrap_or_default();

    let name = |t: &Option<Table>, d: &str| t.as_ref().map(|t| t.file.clone()).unwrap_or_else(|| d.to_string());
    let (f_items, f_sup, f_inv, f_po, f_so, f_sh) = (
        name(&t_items, "items.csv"),
        name(&t_sup, "suppliers.csv"),
        name(&t_inv, "inventory.csv"),
        name(&t_po, "open_orders.csv"),
        name(&t_so, "stockouts.csv"),
        name(&t_sh, "stock_history.csv"),
    );
    let f_pr = name(&t_pr, "promotions.csv");
    let (f_ev, f_pp, f_we) = (name(&t_ev, "events.csv"), name(&t_pp, "prices.csv"), name(&t_we, "weather.csv"));
    let f_rc = name(&t_rc, "receipts.csv");

    // Cross-references. Only checked against tables that were read, so that a
    // missing items.csv does not turn every sales row into a problem.
    // A key counts as defined when any row of its master table names it, even a row
    // rejected for another reason: one bad unit cost must not turn every sale of
    // that SKU into a second, misleading "unknown SKU" problem.
    let skus = declared(&t_items, "sku");
    let location_ids = declared(&t_inv, "location");
    let supplier_ids = declared(&t_sup, "supplier_id");
    let (skus, locations, supplier_ids): (HashSet<&str>, HashSet<&str>, HashSet<&str>) = (
        skus.iter().map(String::as_str).collect(),
        location_ids.iter().map(String::as_str).collect(),
        supplier_ids.iter().map(String::as_str).collect(),
    );
    let check_items = t_items.is_some();
    let check_locs = t_inv.is_some();
    let mut bad_refs: BTreeSet<(String, u64)> = BTreeSet::new();
    let mut refs = Vec::new();
    for (line, s) in &terms {
        refs.push((f_sup.as_str(), *line, Some(&s.sku), s.location.as_ref(), None));
    }
    for (line, s) in &inventory {
        refs.push((f_inv.as_str(), *line, Some(&s.sku), None, None));
    }
    for (line, o) in &open_orders {
        refs.push((f_po.as_str(), *line, Some(&o.sku), Some(&o.location), Some(&o.supplier_id)));
    }
    for (line, p) in promotions.iter().flatten() {
        refs.push((f_pr.as_str(), *line, Some(&p.sku), p.location.as_ref(), None));
    }
    for (line, e) in events.iter().flatten() {
        refs.push((f_ev.as_str(), *line, None, e.location.as_ref(), None));
    }
    for (line, p) in prices.iter().flatten() {
        refs.push((f_pp.as_str(), *line, Some(&p.sku), p.location.as_ref(), None));
    }
    for (line, w) in weather.iter().flat_map(|w| &w.1) {
        refs.push((f_we.as_str(), *line, None, Some(&w.location), None));
    }
    for (line, r) in &receipts {
        refs.push((f_rc.as_str(), *line, Some(&r.sku), None, Some(&r.supplier_id)));
    }
    for (file, line, sku, loc, sup) in refs {
        if let (true, Some(sku)) = (check_items, sku) {
            if !skus.contains(sku.as_str()) {
                ctx.reference(file, line, "sku", "SKU", sku, &f_items);
                bad_refs.insert((file.to_string(), line));
            }
        }
        if let (true, Some(loc)) = (check_locs, loc) {
            if !locations.contains(loc.as_str()) {
                ctx.reference(
                    file,
                    line,
                    "location",
                    "location",
                    loc,
                    &format!("{f_inv} (locations are defined by the inventory snapshot)"),
                );
                bad_refs.insert((file.to_string(), line));
            }
        }
        if let (true, Some(sup)) = (t_sup.is_some(), sup) {
            if !supplier_ids.contains(sup.as_str()) {
                ctx.reference(file, line, "supplier_id", "supplier", sup, &f_sup);
                bad_refs.insert((file.to_string(), line));
            }
        }
    }
    // Sales and stock-outs: each distinct SKU-location is checked once; its rows are
    // reported only when the key is unknown.
    let key_bad: Vec<(bool, bool)> = series
        .keys
        .iter()
        .map(|(sku, loc)| {
            (check_items && !skus.contains(sku.as_str()), check_locs && !locations.contains(loc.as_str()))
        })
        .collect();
    // A sale after the latest inventory snapshot (the plan date) has not happened
    // yet: most often a wrong year or a day-month swap. Left in, it would extend every
    // series with days of no demand. A part of the data (`part`) is not checked: its
    // own snapshot may be older than the plan date, which only the merge knows.
    let latest = inventory.iter().map(|(_, r)| r.as_of).max().filter(|_| !ctx.part);
    let sales_last = sales_scan.as_ref().map_or(i32::MIN, |s| s.last);
    let future_sales = latest.is_some_and(|l| sales_last > day_of(l));
    // Sales with an unknown key or a future date: a pass over the POS table to name
    // their rows (only when there are some).
    let sales_keys_bad = sales_scan.as_ref().is_some_and(|scan| {
        scan.first.iter().zip(&key_bad).any(|(&first, &(sku, loc))| first != i32::MAX && (sku || loc))
    });
    // (row, series) of sales with an unknown key; (row, date) of sales in the future.
    let mut sales_refs: Vec<(u64, u32)> = Vec::new();
    let mut future: Vec<(u64, chrono::NaiveDate)> = Vec::new();
    if let (Some(input), true) = (&inputs.sales, sales_scan.is_some() && (future_sales || sales_keys_bad)) {
        each_sales_block(input, options, &mut series, false, |lines| {
            for s in lines.iter().flatten() {
                let (bad_sku, bad_loc) = key_bad.get(s.series as usize).copied().unwrap_or_default();
                if bad_sku || bad_loc {
                    sales_refs.push((s.line, s.series));
                }
                if latest.is_some_and(|l| s.date > l) {
                    future.push((s.line, s.date));
                }
            }
            Ok(())
        })?;
    }
    if key_bad.iter().any(|&(a, b)| a || b) {
        let lines = sales_refs
            .iter()
            .map(|&(l, k)| (&f_sales, l, k))
            .chain(stockouts.iter().map(|(l, k, _)| (&f_so, *l, *k)))
            .chain(stock_days.iter().map(|(l, k, _, _, _)| (&f_sh, *l, *k)));
        for (file, line, k) in lines {
            let (bad_sku, bad_loc) = key_bad[k as usize];
            let (sku, loc) = series.key(k);
            if bad_sku {
                ctx.reference(file, line, "sku", "SKU", sku, &f_items);
            }
            if bad_loc {
                let defined = format!("{f_inv} (locations are defined by the inventory snapshot)");
                ctx.reference(file, line, "location", "location", loc, &defined);
            }
            if bad_sku || bad_loc {
                bad_refs.insert((file.clone(), line));
            }
        }
    }
    if let Some(latest) = latest {
        for (line, date) in future {
            ctx.problems.push(Problem {
                file: f_sales.clone(),
                row: Some(line),
                column: Some("date".into()),
                kind: ProblemKind::OutOfRange,
                message: format!(
                    "{date} is after the inventory snapshot of {latest} (the plan date): a sale cannot come after it"
                ),
            });
            bad_refs.insert((f_sales.clone(), line));
        }
    }
    // Rows rejected by a reference check no longer count as accepted.
    for fr in &mut ctx.report.files {
        let n = bad_refs.iter().filter(|(f, _)| *f == fr.file).count();
        fr.rows_accepted -= n.min(fr.rows_accepted);
        fr.rows_rejected += n;
        fr.problems = ctx.problems.iter().filter(|p| p.file == fr.file).count();
    }

    // The frequency of the sales, and the rows whose date does not fit it.
    let sales_dates: BTreeMap<chrono::NaiveDate, (u64, usize)> = sales_scan
        .as_ref()
        .map(|s| {
            s.dates
                .iter()
                .filter_map(|(&d, &v)| chrono::NaiveDate::from_num_days_from_ce_opt(d).map(|d| (d, v)))
                .collect()
        })
        .unwrap_or_default();
    let freq = match &sales_scan {
        Some(_) => frequency::resolve(options.frequency, options.period_dates, &sales_dates),
        None => frequency::Resolved::DAILY,
    };
    if sales_scan.is_some() {
        let column = "date".to_string();
        for (date, &(line, rows)) in sales_dates.iter().filter(|(d, _)| !freq.fits(**d)) {
            let more =
                if rows > 1 { format!(" ({rows} rows carry this date; this is the first)") } else { String::new() };
            ctx.problems.push(Problem {
                file: f_sales.clone(),
                row: Some(line),
                column: Some(column.clone()),
                kind: ProblemKind::InvalidDate,
                message: format!(
                    "{date} ({}) does not fit the sales' frequency: {}{more}; set `ingest.frequency` if it is not {}",
                    date.format("%A"),
                    freq.expected(),
                    freq.frequency.as_str()
                ),
            });
        }
    }
    ctx.report.frequency = freq.frequency;
    if let Some(note) = freq.note(options.frequency == Frequency::Auto) {
        ctx.report.notes.push(note);
    }

    // Inventory as-of dates must agree: one snapshot.
    let as_of_dates: BTreeSet<_> = inventory.iter().map(|(_, r)| r.as_of).collect();
    if as_of_dates.len() > 1 {
        ctx.report.notes.push(format!(
            "inventory snapshot has {} different as_of dates ({} .. {}); the plan uses the latest",
            as_of_dates.len(),
            as_of_dates.first().map(|d| d.to_string()).unwrap_or_default(),
            as_of_dates.last().map(|d| d.to_string()).unwrap_or_default()
        ));
    }

    if !ctx.problems.is_empty() {
        ctx.problems.sort_by(|a, b| {
            let fa = TABLE_FILES.iter().position(|f| a.file.ends_with(f)).unwrap_or(usize::MAX);
            let fb = TABLE_FILES.iter().position(|f| b.file.ends_with(f)).unwrap_or(usize::MAX);
            (fa, &a.file, a.row).cmp(&(fb, &b.file, b.row))
        });
        return Err(Error::Validation { problems: ctx.problems, summary: Box::new(ctx.report) });
    }

    // Days the stock history closes at zero or below are stock-out days too.
    let flagged = stockouts.len();
    stockouts.extend(stock_days.iter().filter(|d| d.3).map(|&(line, key, date, _, _)| (line, key, date)));
    let stock_levels: Vec<StockLevel> = stock_days
        .iter()
        .map(|&(_, key, date, _, on_hand)| {
            let (sku, location) = series.key(key);
            StockLevel { sku: sku.to_string(), location: location.to_string(), date, on_hand }
        })
        .collect();
    if t_sh.is_some() {
        ctx.report.notes.push(format!(
            "{} day(s) closing with no stock in {f_sh} treated as stock-out days (their sales are censored, not demand)",
            stockouts.len() - flagged
        ));
    }

    // Aggregate POS lines into daily demand. Every series runs from its first day
    // (of sales or stock-outs) to the last day of the whole history; series are laid
    // out in (sku, location) order. Lines are then added to their day in file order,
    // without sorting them, block by block as the POS table is read again.
    let mut report = ctx.report;
    let n_keys = series.keys.len();
    let scan = sales_scan.unwrap_or_default();
    report.sales_lines = scan.lines;
    // A weekly or monthly line covers the days of its period (`span`): the first
    // and last days move to its period's.
    // Daily lines (the usual case) skip the date conversion: one call per POS line.
    let daily = freq.frequency == Frequency::Daily;
    let span = |d: i32| -> (i32, usize) {
        match (!daily).then(|| chrono::NaiveDate::from_num_days_from_ce_opt(d)).flatten() {
            Some(date) => {
                let (start, len) = freq.span(date);
                (day_of(start), len as usize)
            }
            None => (d, 1),
        }
    };
    let mut first: Vec<i32> = scan.first.iter().map(|&d| if d == i32::MAX { d } else { span(d).0 }).collect();
    first.resize(n_keys, i32::MAX);
    let mut last = if scan.last == i32::MIN {
        scan.last
    } else {
        let (s, len) = span(scan.last);
        s + len as i32 - 1
    };
    for &(_, k, date) in &stockouts {
        let (s, len) = span(day_of(date));
        first[k as usize] = first[k as usize].min(s);
        last = last.max(s + len as i32 - 1);
    }
    let history_end = (last != i32::MIN).then(|| chrono::NaiveDate::from_num_days_from_ce_opt(last)).flatten();
    let mut order: Vec<u32> = (0..n_keys as u32).filter(|&k| first[k as usize] != i32::MAX).collect();
    order.sort_unstable_by(|&a, &b| series.key(a).cmp(&series.key(b)));
    let total: usize = order.iter().map(|&k| (last - first[k as usize]) as usize + 1).sum();
    let mut demand = DemandHistory::with_capacity(order.len(), total);
    // Where each key's series starts in the daily arrays (unused for keys without days).
    let mut base = vec![0usize; n_keys];
    for &k in &order {
        let (sku, loc) = series.key(k);
        let start = chrono::NaiveDate::from_num_days_from_ce_opt(first[k as usize]).unwrap_or_default();
        let len = (last - first[k as usize]) as usize + 1;
        base[k as usize] =
            demand.push_series(SeriesKey { sku: sku.to_string(), location: loc.to_string() }, start, len);
    }
    let day_index = |k: u32, d: i32| base[k as usize] + (d - first[k as usize]) as usize;
    // A day's price is its revenue over its priced units. The lines of a series in
    // date order (the usual case) are summed day by day, and each day's price is
    // final when the series' next day starts; other series sum in a map by day.
    let mut open_days = vec![OpenDay::default(); n_keys];
    let unordered = scan.unordered;
    let mut loose: FastMap<usize, DaySum> = FastMap::default();
    let mut priced = DayFlags::repeat(false, total);
    let mut runs: Vec<(usize, f64)> = Vec::new();
    // Returns (rare) per day.
    let mut returns: BTreeMap<usize, f64> = BTreeMap::new();
    if let (Some(input), true) = (&inputs.sales, report.sales_lines > 0) {
        let changed = || changed_while_read(input);
        let mut added = 0;
        each_sales_block(input, options, &mut series, true, |lines| {
            added += lines.iter().map(Vec::len).sum::<usize>();
            for s in lines.iter().flatten() {
                let (d, len) = span(day_of(s.date));
                if !(first[s.series as usize]..=last).contains(&d) || d + len as i32 - 1 > last {
                    return Err(changed());
                }
                let day = day_index(s.series, d);
                if len > 1 {
                    // A period's total, spread evenly over its days.
                    let q = s.quantity / len as f64;
                    for j in day..day + len {
                        if q < 0.0 {
                            *returns.entry(j).or_insert(0.0) += -q;
                        } else {
                            demand.quantity[j] += q;
                            if !s.price.is_nan() {
                                loose.entry(j).or_default().add(s.price, q);
                            }
                        }
                        if s.promotion {
                            demand.promotion.set(j, true);
                        }
                    }
                    if s.quantity < 0.0 {
                        report.return_lines += 1;
                        report.returned_units += -s.quantity;
                    }
                    continue;
                }
                if s.quantity < 0.0 {
                    report.return_lines += 1;
                    report.returned_units += -s.quantity;
                    *returns.entry(day).or_insert(0.0) += -s.quantity;
                } else {
                    demand.quantity[day] += s.quantity;
                    if !s.price.is_nan() {
                        if unordered[s.series as usize] {
                            loose.entry(day).or_default().add(s.price, s.quantity);
                        } else {
                            let o = &mut open_days[s.series as usize];
                            if o.day != day {
                                o.close(&mut priced, &mut runs);
                                *o = OpenDay { day, sum: DaySum::default(), last: o.last };
                            }
                            o.sum.add(s.price, s.quantity);
                        }
                    }
                }
                if s.promotion {
                    demand.promotion.set(day, true);
                }
            }
            Ok(())
        })?;
        if added != report.sales_lines {
            return Err(changed());
        }
    }
    for o in &mut open_days {
        o.close(&mut priced, &mut runs);
    }
    for (day, sum) in loose {
        if let Some(price) = sum.price() {
            priced.set(day, true);
            runs.push((day, price));
        }
    }
    demand.price = DailyPrices::from_runs(priced, runs);
    // Returns are netted against the same day's sales, or left out of demand.
    let mut floored = 0.0;
    if matches!(options.returns, ReturnsPolicy::NetSameDay) {
        for (day, returned) in returns {
            let net = demand.quantity[day] - returned;
            if net < 0.0 {
                floored += -net;
            }
            demand.quantity[day] = net.max(0.0);
        }
    }
    for &(_, k, date) in &stockouts {
        let (d, len) = span(day_of(date));
        for j in 0..len {
            demand.stockout.set(day_index(k, d) + j, true);
        }
    }
    if report.return_lines > 0 {
        report.notes.push(match options.returns {
            ReturnsPolicy::Exclude => format!(
                "{} return line(s) ({} units) left out of demand (returns policy `exclude`)",
                report.return_lines, report.returned_units
            ),
            ReturnsPolicy::NetSameDay => format!(
                "{} return line(s) ({} units) netted against same-day sales (returns policy `net_same_day`); {} units of returns exceeding a day's sales were floored at zero demand",
                report.return_lines, report.returned_units, floored
            ),
        });
    }
    report.stockout_days = demand.stockout.count_ones();
    report.series = demand.len();
    report.demand_days = demand.total_days();
    report.history_start = demand.starts.iter().min().copied();
    report.history_end = history_end;
    // Short histories: the errors distribution needs 26 origins with L + R days after
    // them, the default model three two-week holdouts; below about 8 weeks a plan
    // rests on little evidence.
    let short: Vec<&SeriesKey> = (0..demand.len())
        .filter(|&i| demand.series(i).quantity.len() < SHORT_HISTORY_DAYS)
        .map(|i| &demand.keys[i])
        .collect();
    if let Some(k) = short.first() {
        report.notes.push(format!(
            "{} series have less than {SHORT_HISTORY_DAYS} days of history (e.g. {}@{}): their forecasts and safety stocks rest on little evidence, and the plan says on each line which fallback it used",
            short.len(),
            k.sku,
            k.location
        ));
    }

    let items: Vec<Item> = items.into_iter().map(|(_, i)| i).collect();
    let inventory: Vec<InventoryRecord> = inventory.into_iter().map(|(_, i)| i).collect();
    let inv_keys: BTreeSet<(&str, &str)> = inventory.iter().map(|r| (r.sku.as_str(), r.location.as_str())).collect();
    let no_inv = demand.keys.iter().filter(|k| !inv_keys.contains(&(k.sku.as_str(), k.location.as_str()))).count();
    if no_inv > 0 {
        report.notes.push(format!("{no_inv} SKU-location(s) with sales but no inventory row: planned with on hand 0"));
    }
    let locations: BTreeSet<&str> = inventory.iter().map(|r| r.location.as_str()).collect();
    let locations: Vec<Location> = locations.into_iter().map(|id| Location { id: id.to_string() }).collect();
    report.items = items.len();
    report.locations = locations.len();
    report.suppliers = suppliers.len();
    Ok(Ingested {
        dataset: Dataset {
            items,
            locations,
            suppliers,
            supply_terms: terms.into_iter().map(|(_, t)| t).collect(),
            inventory,
            open_orders: open_orders.into_iter().map(|(_, o)| o).collect(),
            frequency: freq.frequency,
            demand,
            promotions: promotions.map(|v| v.into_iter().map(|(_, p)| p).collect()),
            events: events.map(|v| v.into_iter().map(|(_, e)| e).collect()),
            prices: prices.map(|v| v.into_iter().map(|(_, p)| p).collect()),
            weather: weather
                .map(|(variables, days)| Weather { variables, days: days.into_iter().map(|(_, d)| d).collect() }),
            receipts: receipts.into_iter().map(|(_, r)| r).collect(),
            stock_levels,
        },
        report,
    })
}

/// The master data alone: `items` and `suppliers` (with their supply terms),
/// validated as [`parse`] validates them; the other tables are not read. It is what
/// [`finish_plan`](crate::plan::finish_plan) needs on the machine that merges a plan
/// computed in parts ([`crate::plan::split`]).
pub fn parse_master(inputs: &Inputs, options: &IngestOptions) -> Result<Dataset> {
    let mut ctx = Ctx { problems: Vec::new(), report: QualityReport::default(), part: false };
    let t_items = open(&mut ctx, &inputs.items, "items.csv", options, "items", true)?;
    let t_sup = open(&mut ctx, &inputs.suppliers, "suppliers.csv", options, "suppliers", true)?;
    let items = t_items.as_ref().map(|t| parse_items(&mut ctx, t)).unwrap_or_default();
    let (terms, suppliers) = t_sup.as_ref().map(|t| parse_suppliers(&mut ctx, t)).unwrap_or_default();
    let skus: HashSet<&str> = items.iter().map(|(_, i)| i.sku.as_str()).collect();
    let f_sup = t_sup.as_ref().map_or_else(|| "suppliers.csv".to_string(), |t| t.file.clone());
    let f_items = t_items.as_ref().map_or_else(|| "items.csv".to_string(), |t| t.file.clone());
    if t_items.is_some() {
        for (line, t) in terms.iter().filter(|(_, t)| !skus.contains(t.sku.as_str())) {
            ctx.reference(&f_sup, *line, "sku", "SKU", &t.sku, &f_items);
        }
    }
    if !ctx.problems.is_empty() {
        return Err(Error::Validation { problems: ctx.problems, summary: Box::new(ctx.report) });
    }
    Ok(Dataset {
        items: items.into_iter().map(|(_, i)| i).collect(),
        suppliers,
        supply_terms: terms.into_iter().map(|(_, t)| t).collect(),
        ..Dataset::default()
    })
}

/// Every non-empty value of a column, over all rows of a table.
fn declared(table: &Option<Table>, col: &str) -> BTreeSet<String> {
    let Some(t) = table else { return BTreeSet::new() };
    let Some(&i) = t.index.get(col) else { return BTreeSet::new() };
    let ok = t.rows.iter().filter_map(|(_, f)| f.get(i)).map(str::trim);
    let rejected = t.rejected.iter().filter_map(|(_, f)| f.get(i)).map(String::as_str);
    let distinct: BTreeSet<&str> = ok.chain(rejected).filter(|v| !v.is_empty()).collect();
    distinct.into_iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::Series;

    #[test]
    fn the_key_interner_tells_keys_apart_when_their_hashes_collide() {
        let mut s = Series::default();
        // Every key under one hash: each lookup walks the chain.
        let keys = [("A", "L1"), ("A", "L2"), ("B", "L1"), ("AL", "1"), ("", "AL1")];
        let ids: Vec<u32> = keys.iter().map(|&(k, l)| s.id_hashed(7, k, l)).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4]);
        for (&(k, l), &id) in keys.iter().zip(&ids).rev() {
            assert_eq!(s.id_hashed(7, k, l), id);
            assert_eq!(s.key(id), (k, l));
        }
        // Through the real hash, too.
        assert_eq!(s.id("B", "L9"), 5);
        assert_eq!(s.id("B", "L9"), 5);
        assert_eq!(s.keys.len(), 6);
    }
}
