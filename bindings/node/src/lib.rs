//! Node bindings: conversion and error mapping only. Every algorithm lives in the
//! `replenish` crate. Long calls run as `AsyncTask`s on the libuv thread pool (a
//! Promise in JS); panics are caught and become errors with code `INTERNAL`.
//!
//! Errors are rejected with a JSON reason `{code, message, problems}`; the JS entry
//! (`node/index.js`) turns it into a `ReplenishError` with `code` and `problems`.

use napi::bindgen_prelude::*;
use napi::Task;
use napi_derive::napi;
use replenish::ingest::{IngestOptions, Ingested, Inputs, TableInput};
use replenish::plan::{Plan as CorePlan, PlanConfig};
use replenish::{demo, export, Error as CoreError};
use std::collections::HashMap;
use std::sync::Arc;

fn to_napi(code: &str, message: String, problems: &[replenish::Problem], field: Option<&str>) -> Error {
    let reason = serde_json::json!({ "code": code, "message": message, "problems": problems, "field": field });
    Error::new(Status::GenericFailure, reason.to_string())
}

fn core_err(e: CoreError) -> Error {
    if let CoreError::Rule { rule, field, expression, position, message } = &e {
        let reason = serde_json::json!({
            "code": e.code(), "message": e.to_string(), "problems": [], "field": field,
            "rule": rule, "expression": expression, "position": position, "column": position + 1, "reason": message,
        });
        return Error::new(Status::GenericFailure, reason.to_string());
    }
    if let CoreError::Workflow { kind, .. } = &e {
        let reason =
            serde_json::json!({ "code": e.code(), "message": e.to_string(), "problems": [], "kind": kind.as_str() });
        return Error::new(Status::GenericFailure, reason.to_string());
    }
    let field = match &e {
        CoreError::Config { field, .. } => Some(field.as_str()),
        _ => None,
    };
    to_napi(e.code(), e.to_string(), e.problems(), field)
}

/// Work that returns JSON text, run on the libuv thread pool (a Promise in JS; the
/// JS entry parses the text).
pub struct JsonTask(Option<Box<dyn FnOnce() -> std::result::Result<String, CoreError> + Send>>);

impl std::fmt::Debug for JsonTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonTask")
    }
}

impl Task for JsonTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> Result<Self::Output> {
        match self.0.take() {
            Some(f) => guarded(f),
            None => Err(to_napi("INTERNAL", "task ran twice".into(), &[], None)),
        }
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output)
    }
}

fn json_value<T: serde::Serialize>(v: T) -> std::result::Result<String, CoreError> {
    serde_json::to_string(&v).map_err(|e| CoreError::Internal(format!("cannot convert result: {e}")))
}

/// Runs core work, mapping errors and catching panics.
fn guarded<T>(f: impl FnOnce() -> std::result::Result<T, CoreError>) -> Result<T> {
    replenish::error::guard(f).map_err(core_err)
}

fn parse_json<T: serde::de::DeserializeOwned + Default>(
    text: Option<&str>,
    what: &str,
) -> std::result::Result<T, CoreError> {
    match text {
        None => Ok(T::default()),
        Some(t) => {
            serde_json::from_str(t).map_err(|e| CoreError::Config { field: what.into(), message: e.to_string() })
        }
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| to_napi("INTERNAL", format!("cannot convert result: {e}"), &[], None))
}

/// A validated dataset and its data-quality report.
#[napi]
#[derive(Debug)]
pub struct Dataset {
    inner: Arc<Ingested>,
}

#[napi]
impl Dataset {
    /// What was read and rejected per file, and every treatment applied.
    #[napi(getter, ts_return_type = "QualityReport")]
    pub fn report(&self) -> Result<serde_json::Value> {
        to_value(&self.inner.report)
    }

    /// One part of the canonical model as plain objects: `items`, `locations`,
    /// `suppliers`, `supply_terms`, `inventory`, `open_orders` or `demand` (long records).
    #[napi(ts_return_type = "Array<Record<string, unknown>>")]
    pub fn table(&self, name: String) -> Result<serde_json::Value> {
        let d = &self.inner.dataset;
        match name.as_str() {
            "items" => to_value(&d.items),
            "locations" => to_value(&d.locations),
            "suppliers" => to_value(&d.suppliers),
            "supply_terms" => to_value(&d.supply_terms),
            "inventory" => to_value(&d.inventory),
            "open_orders" => to_value(&d.open_orders),
            "demand" => to_value(&d.demand.to_records()),
            "promotions" => to_value(&d.promotions.as_deref().unwrap_or_default()),
            "events" => to_value(&d.events.as_deref().unwrap_or_default()),
            "prices" => to_value(&d.prices.as_deref().unwrap_or_default()),
            "weather" => to_value(&d.weather.clone().unwrap_or_default()),
            "receipts" => to_value(&d.receipts),
            other => Err(to_napi("INVALID_INPUT", format!("no table `{other}` in a dataset"), &[], None)),
        }
    }

    /// The demand history with its drivers as regressors for `h` days ahead, as a
    /// panel (ids, offsets, values with stock-out days as null, times in
    /// milliseconds, regressor names, history and horizon columns).
    #[napi(ts_return_type = "Promise<DriverPanel>")]
    pub fn drivers(&self, h: u32) -> AsyncTask<DriversTask> {
        AsyncTask::new(DriversTask { data: Arc::clone(&self.inner), h: h as usize })
    }
}

#[derive(Debug)]
pub struct DriversTask {
    data: Arc<Ingested>,
    h: usize,
}

impl Task for DriversTask {
    type Output = JsonObject;
    type JsValue = JsonObject;

    fn compute(&mut self) -> Result<Self::Output> {
        let panel = guarded(|| replenish::drivers::driver_panel(&self.data.dataset, self.h))?;
        match to_value(&panel)? {
            serde_json::Value::Object(m) => Ok(m.into_iter().collect()),
            _ => Err(to_napi("INTERNAL", "a panel serialises to an object".into(), &[], None)),
        }
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output)
    }
}

/// One input table: the name problems are reported under, and its CSV as text or
/// as bytes (a Buffer is passed as it is, so that a file that is not UTF-8 is
/// reported as such rather than decoded with replacement characters).
#[napi(object)]
pub struct TableText {
    pub name: String,
    pub text: Option<String>,
    pub bytes: Option<Buffer>,
}

impl std::fmt::Debug for TableText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.text.as_ref().map(String::len).or(self.bytes.as_ref().map(|b| b.len()));
        f.debug_struct("TableText").field("name", &self.name).field("bytes", &len).finish()
    }
}

#[derive(Debug)]
pub struct ReadTask {
    source: ReadSource,
    ingest: Option<String>,
}

#[derive(Debug)]
enum ReadSource {
    Folder(String),
    Tables(Box<Inputs>),
    /// Only `items` and `suppliers` (`ingest::parse_master`).
    Master(Box<Inputs>),
}

impl Task for ReadTask {
    type Output = Ingested;
    type JsValue = Dataset;

    fn compute(&mut self) -> Result<Self::Output> {
        guarded(|| {
            let opts: IngestOptions = parse_json(self.ingest.as_deref(), "ingest")?;
            match &self.source {
                ReadSource::Folder(p) => replenish::read_folder(p, &opts),
                ReadSource::Tables(inputs) => replenish::ingest::parse(inputs, &opts),
                ReadSource::Master(inputs) => replenish::ingest::parse_master(inputs, &opts)
                    .map(|dataset| Ingested { dataset, report: Default::default() }),
            }
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(Dataset { inner: Arc::new(output) })
    }
}

/// Reads and validates the CSV tables of a folder.
#[napi(ts_return_type = "Promise<Dataset>")]
pub fn read_folder(path: String, ingest_json: Option<String>) -> AsyncTask<ReadTask> {
    AsyncTask::new(ReadTask { source: ReadSource::Folder(path), ingest: ingest_json })
}

/// Validates tables given as `{ items: {name, text}, ... }`.
#[napi(ts_return_type = "Promise<Dataset>")]
pub fn read_tables(tables: HashMap<String, TableText>, ingest_json: Option<String>) -> Result<AsyncTask<ReadTask>> {
    Ok(AsyncTask::new(ReadTask { source: ReadSource::Tables(Box::new(inputs_of(tables)?)), ingest: ingest_json }))
}

fn inputs_of(tables: HashMap<String, TableText>) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    for (key, t) in tables {
        let key = if key == "openOrders" { "open_orders".to_string() } else { key };
        let bytes = match (t.text, t.bytes) {
            (Some(text), _) => text.into_bytes(),
            (None, Some(b)) => b.to_vec(),
            (None, None) => {
                return Err(core_err(CoreError::InvalidInput(format!("table {}: give its text or its bytes", t.name))))
            }
        };
        inputs.set(&key, TableInput::new(t.name, bytes)).map_err(core_err)?;
    }
    Ok(inputs)
}

/// Validates only the master tables (`items`, `suppliers`): what `finishPlan` needs.
#[napi(ts_return_type = "Promise<Dataset>")]
pub fn read_master(tables: HashMap<String, TableText>, ingest_json: Option<String>) -> Result<AsyncTask<ReadTask>> {
    Ok(AsyncTask::new(ReadTask { source: ReadSource::Master(Box::new(inputs_of(tables)?)), ingest: ingest_json }))
}

fn json_arg<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> std::result::Result<T, CoreError> {
    serde_json::from_str(text).map_err(|e| CoreError::InvalidInput(format!("{what}: {e}")))
}

fn plan_config(config: Option<&str>) -> std::result::Result<PlanConfig, CoreError> {
    config.map_or_else(|| Ok(PlanConfig::default()), PlanConfig::from_json)
}

/// A plan in parts (`replenish::plan::split`), step 1: one part's statistics (JSON).
#[napi(ts_return_type = "Promise<string>")]
pub fn plan_stats(dataset: &Dataset, config_json: Option<String>) -> AsyncTask<JsonTask> {
    let data = dataset.inner.clone();
    AsyncTask::new(JsonTask(Some(Box::new(move || {
        json_value(replenish::plan::plan_stats(&data.dataset, &plan_config(config_json.as_deref())?)?)
    }))))
}

/// Step 2: every part's statistics (a JSON array) merged into the globals (JSON).
#[napi(ts_return_type = "Promise<string>")]
pub fn merge_plan_stats(stats_json: String, config_json: Option<String>) -> AsyncTask<JsonTask> {
    AsyncTask::new(JsonTask(Some(Box::new(move || {
        let parts: Vec<replenish::plan::PlanStats> = json_arg(&stats_json, "stats")?;
        json_value(replenish::plan::PlanGlobals::merge(&plan_config(config_json.as_deref())?, parts)?)
    }))))
}

/// Between steps 1 and 2: the merged seasonal counts (JSON) every part's statistics
/// must be run again with (`season_counts` in the configuration), or `null` when
/// the statistics merge as they are.
#[napi(ts_return_type = "Promise<string>")]
pub fn season_counts_to_share(stats_json: String, config_json: Option<String>) -> AsyncTask<JsonTask> {
    AsyncTask::new(JsonTask(Some(Box::new(move || {
        let parts: Vec<replenish::plan::PlanStats> = json_arg(&stats_json, "stats")?;
        json_value(replenish::plan::PlanGlobals::season_counts_to_share(&plan_config(config_json.as_deref())?, &parts))
    }))))
}

/// Step 3: one part's plan lines (JSON), given the globals.
#[napi(ts_return_type = "Promise<string>")]
pub fn plan_lines(
    dataset: &Dataset,
    globals_json: String,
    config_json: Option<String>,
    progress: Option<&ProgressHandle>,
) -> AsyncTask<JsonTask> {
    let data = dataset.inner.clone();
    let progress = progress_of(progress);
    AsyncTask::new(JsonTask(Some(Box::new(move || {
        let globals = json_arg(&globals_json, "globals")?;
        let cfg = plan_config(config_json.as_deref())?;
        json_value(replenish::plan::plan_lines(&data.dataset, &cfg, &globals, &progress)?)
    }))))
}

/// Step 4: supplier conditions, budgets and POs over every line (a JSON array); the plan (JSON).
#[napi(ts_return_type = "Promise<string>")]
pub fn finish_plan(
    master: &Dataset,
    lines_json: String,
    globals_json: String,
    config_json: Option<String>,
) -> AsyncTask<JsonTask> {
    let data = master.inner.clone();
    AsyncTask::new(JsonTask(Some(Box::new(move || {
        let globals = json_arg(&globals_json, "globals")?;
        let lines = json_arg(&lines_json, "lines")?;
        let (d, cfg) = (&data.dataset, plan_config(config_json.as_deref())?);
        json_value(replenish::plan::finish_plan(lines, &d.items, &d.suppliers, &cfg, &globals)?)
    }))))
}

#[derive(Debug)]
pub struct PlanTask {
    data: Arc<Ingested>,
    config: Option<String>,
    progress: replenish::progress::Progress,
}

/// A JSON object at the top level (napi converts maps, and their `Value`s, to plain objects).
type JsonObject = std::collections::BTreeMap<String, serde_json::Value>;

impl Task for PlanTask {
    type Output = JsonObject;
    type JsValue = JsonObject;

    fn compute(&mut self) -> Result<Self::Output> {
        let plan = guarded(|| {
            let config = plan_config(self.config.as_deref())?;
            replenish::plan::plan_with(&self.data.dataset, &config, &self.progress)
        })?;
        match to_value(&plan)? {
            serde_json::Value::Object(m) => Ok(m.into_iter().collect()),
            _ => Err(to_napi("INTERNAL", "a plan serialises to an object".into(), &[], None)),
        }
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output)
    }
}

/// Progress and cancellation of one long call, shared with the work: JS reads
/// `snapshot()` to report progress and calls `cancel()` when its `AbortSignal` fires;
/// the call then rejects with code `CANCELLED`.
#[napi(js_name = "Progress")]
#[derive(Debug, Default)]
pub struct ProgressHandle {
    inner: replenish::progress::Progress,
}

#[napi]
impl ProgressHandle {
    #[napi(constructor)]
    pub fn new() -> Self {
        ProgressHandle::default()
    }

    /// Asks the work to stop at its next check.
    #[napi]
    pub fn cancel(&self) {
        self.inner.cancel()
    }

    /// `[done, total]` units of work so far.
    #[napi]
    pub fn snapshot(&self) -> Vec<f64> {
        let (done, total) = self.inner.snapshot();
        vec![done as f64, total as f64]
    }
}

fn progress_of(p: Option<&ProgressHandle>) -> replenish::progress::Progress {
    p.map(|p| p.inner.clone()).unwrap_or_default()
}

/// Plans a dataset with a JSON configuration; resolves to the plan as a plain object.
#[napi(ts_return_type = "Promise<Plan>")]
pub fn plan(dataset: &Dataset, config_json: Option<String>, progress: Option<&ProgressHandle>) -> AsyncTask<PlanTask> {
    AsyncTask::new(PlanTask { data: dataset.inner.clone(), config: config_json, progress: progress_of(progress) })
}

#[derive(Debug)]
pub struct DemoTask {
    config: Option<String>,
}

impl Task for DemoTask {
    type Output = HashMap<String, String>;
    type JsValue = HashMap<String, String>;

    fn compute(&mut self) -> Result<Self::Output> {
        guarded(|| {
            let cfg: demo::DemoConfig = parse_json(self.config.as_deref(), "demo")?;
            if cfg.skus == 0 || cfg.locations == 0 || cfg.days == 0 {
                return Err(CoreError::InvalidInput("skus, locations and days must be at least 1".into()));
            }
            demo::generate(&cfg)
                .tables()
                .into_iter()
                .map(|(name, t)| -> std::result::Result<(String, String), CoreError> {
                    Ok((name.trim_end_matches(".csv").to_string(), String::from_utf8_lossy(&t.read()?).into_owned()))
                })
                .collect()
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(output)
    }
}

/// The demo company's input tables as CSV text by table name.
#[napi(ts_return_type = "Promise<Record<string, string>>")]
pub fn demo_tables(config_json: Option<String>) -> AsyncTask<DemoTask> {
    AsyncTask::new(DemoTask { config: config_json })
}

fn plan_from(value: serde_json::Value) -> Result<CorePlan> {
    serde_json::from_value(value).map_err(|e| to_napi("INVALID_INPUT", format!("not a plan object: {e}"), &[], None))
}

/// `plan.csv` text of a plan object (as the CLI writes it).
#[napi]
pub fn plan_csv(#[napi(ts_arg_type = "Plan")] plan: serde_json::Value) -> Result<String> {
    let p = plan_from(plan)?;
    guarded(|| export::plan_csv(&p))
}

/// `purchase_orders.csv` text of a plan object.
#[napi]
pub fn purchase_orders_csv(#[napi(ts_arg_type = "Plan")] plan: serde_json::Value) -> Result<String> {
    let p = plan_from(plan)?;
    guarded(|| export::purchase_orders_csv(&p.purchase_orders))
}

/// Each purchase order of a plan as a UBL 2.1 Order document, by PO number.
#[napi(ts_return_type = "Record<string, string>")]
pub fn ubl_orders(
    #[napi(ts_arg_type = "Plan")] plan: serde_json::Value,
    options_json: Option<String>,
) -> Result<serde_json::Value> {
    let p = plan_from(plan)?;
    let out = guarded(|| {
        let opts: replenish::orders::ubl::UblOptions = parse_json(options_json.as_deref(), "ubl")?;
        p.purchase_orders
            .iter()
            .map(|po| {
                replenish::orders::ubl::order_xml(po, &opts)
                    .map(|x| (po.po_number.clone(), serde_json::Value::String(x)))
            })
            .collect::<std::result::Result<serde_json::Map<String, serde_json::Value>, CoreError>>()
    })?;
    Ok(serde_json::Value::Object(out))
}

/// The CLI's summary text of a plan object.
#[napi]
pub fn summary_text(#[napi(ts_arg_type = "Plan")] plan: serde_json::Value) -> Result<String> {
    Ok(plan_from(plan)?.summary.to_text())
}

/// Every broken invariant of a plan object (MOQ, packs, maximums, no negatives,
/// totals; `plan::invariants`); empty when the plan is sound.
#[napi]
pub fn plan_violations(#[napi(ts_arg_type = "Plan")] plan: serde_json::Value) -> Result<Vec<String>> {
    Ok(replenish::plan::invariants::violations(&plan_from(plan)?))
}

/// Parses a CLI configuration file's TOML text into `{plan, ingest}`.
#[napi(ts_return_type = "{ plan: PlanConfig; ingest: IngestOptions }")]
pub fn config_from_toml(text: String) -> Result<serde_json::Value> {
    let c = guarded(|| replenish::plan::RunConfig::from_toml(&text))?;
    to_value(&c)
}

/// A model that could not fit a series and what was used instead.
#[napi(object)]
#[derive(Debug)]
pub struct Fallback {
    pub id: String,
    pub model: String,
    pub reason: String,
}

/// A named column of values.
#[napi(object)]
#[allow(missing_debug_implementations)] // napi's typed arrays do not implement Debug
pub struct Column {
    pub name: String,
    pub values: Float64Array,
}

/// Forecast output: flat columns of `n_series × h` values in series order, and
/// per-series horizon totals, in the core's column order.
#[napi(object)]
#[allow(missing_debug_implementations)]
pub struct ForecastOutput {
    pub ids: Vec<String>,
    pub h: u32,
    pub columns: Vec<Column>,
    pub totals: Vec<Column>,
    pub fallbacks: Vec<Fallback>,
    /// Requested sample paths per model (series, then path, then step).
    pub paths: Vec<Column>,
    /// Global models' features by share of the total gain.
    pub importance: Vec<ModelImportance>,
}

/// A global model's features by share of the total gain, largest first.
#[napi(object)]
#[derive(Debug)]
pub struct ModelImportance {
    pub model: String,
    pub features: Vec<String>,
    pub shares: Vec<f64>,
}

/// A panel and a JSON request, copied out of JS before the work moves off the main thread.
#[derive(Debug)]
pub struct PanelJob {
    ids: Vec<String>,
    offsets: Vec<usize>,
    values: Vec<f64>,
    regressors: Option<replenish::forecast::Regressors>,
    times: Option<TimeColumns>,
    request: String,
    progress: replenish::progress::Progress,
}

/// The values' times and the horizon's (`h` per series), as integers in `unit`
/// (`index` or `milliseconds`).
#[napi(object)]
#[derive(Debug, Clone)]
pub struct TimeColumns {
    pub unit: String,
    pub history: Vec<i64>,
    pub future: Vec<i64>,
}

/// Exogenous regressors: names, history columns (aligned with the panel's values)
/// and future columns (`h` values per series; empty for cross-validation).
#[napi(object)]
#[allow(missing_debug_implementations)]
pub struct RegressorColumns {
    pub names: Vec<String>,
    pub history: Vec<Float64Array>,
    pub future: Vec<Float64Array>,
}

impl PanelJob {
    fn new(
        ids: Vec<String>,
        offsets: &[u32],
        values: &Float64Array,
        regressors: Option<RegressorColumns>,
        times: Option<TimeColumns>,
        request: String,
    ) -> PanelJob {
        let regressors = regressors.map(|r| replenish::forecast::Regressors {
            names: r.names,
            history: r.history.iter().map(|c| c.to_vec()).collect(),
            future: r.future.iter().map(|c| c.to_vec()).collect(),
        });
        PanelJob {
            ids,
            offsets: offsets_of(offsets),
            values: values.to_vec(),
            regressors,
            times,
            request,
            progress: Default::default(),
        }
    }

    fn panel(&mut self) -> std::result::Result<replenish::forecast::Panel, CoreError> {
        let panel = replenish::forecast::Panel::new(
            std::mem::take(&mut self.ids),
            std::mem::take(&mut self.offsets),
            std::mem::take(&mut self.values),
        )?;
        let panel = match self.regressors.take() {
            Some(r) => panel.with_regressors(r)?,
            None => panel,
        };
        match self.times.take() {
            Some(t) => {
                let unit: replenish::forecast::TimeUnit = serde_json::from_value(serde_json::Value::String(t.unit))
                    .map_err(|e| CoreError::Config { field: "unit".into(), message: e.to_string() })?;
                panel.with_times(replenish::forecast::Times { unit, history: t.history, future: t.future })
            }
            None => Ok(panel),
        }
    }
}

/// Event columns (one 0/1 column per event name) for rows at `days` (days since
/// 1970-01-01) with optional locations; events as JSON `[{date, name, location, before, after}]`.
#[napi]
pub fn event_columns(days: Vec<i64>, events_json: String, locations: Option<Vec<String>>) -> Result<Vec<Column>> {
    let cols = guarded(|| {
        let dates = replenish::forecast::dates_from_days(&days)?;
        let events: Vec<replenish::forecast::Event> =
            serde_json::from_str(&events_json).map_err(|e| CoreError::InvalidInput(format!("events: {e}")))?;
        replenish::forecast::event_columns(&dates, locations.as_deref(), &events)
    })?;
    Ok(cols.into_iter().map(|(name, v)| Column { name, values: Float64Array::new(v) }).collect())
}

/// Future-regressor rows (`X_df`) laid out per series and forecast step. `expected`
/// holds each series' `h` future times; `unit` is `index` or `milliseconds`.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn align_future(
    ids: Vec<String>,
    expected: Vec<i64>,
    h: u32,
    regressors: Vec<String>,
    row_ids: Vec<String>,
    row_times: Vec<i64>,
    names: Vec<String>,
    columns: Vec<Float64Array>,
    unit: String,
) -> Result<Vec<Float64Array>> {
    let columns: Vec<Vec<f64>> = columns.iter().map(|c| c.to_vec()).collect();
    let out = guarded(|| {
        let unit: replenish::forecast::TimeUnit = serde_json::from_value(serde_json::Value::String(unit.clone()))
            .map_err(|e| CoreError::Config { field: "unit".into(), message: e.to_string() })?;
        let rows =
            replenish::forecast::FutureRows { ids: &row_ids, times: &row_times, names: &names, columns: &columns };
        replenish::forecast::align_future(&ids, &expected, h as usize, &regressors, rows, unit)
    })?;
    Ok(out.into_iter().map(Float64Array::new).collect())
}

#[derive(Debug)]
pub struct ForecastTask(PanelJob);

impl Task for ForecastTask {
    type Output = replenish::forecast::BatchForecast;
    type JsValue = ForecastOutput;

    fn compute(&mut self) -> Result<Self::Output> {
        guarded(|| {
            let panel = self.0.panel()?;
            let req = replenish::forecast::ForecastRequest::from_json(&self.0.request)?;
            replenish::forecast::forecast_batch_with(&panel, &req, &self.0.progress)
        })
    }

    fn resolve(&mut self, _env: Env, out: Self::Output) -> Result<Self::JsValue> {
        Ok(ForecastOutput {
            h: out.h as u32,
            columns: out
                .columns()
                .into_iter()
                .map(|(name, v)| Column { name, values: Float64Array::new(v.to_vec()) })
                .collect(),
            totals: out
                .total_columns()
                .into_iter()
                .map(|(name, v)| Column { name, values: Float64Array::new(v) })
                .collect(),
            fallbacks: out.fallbacks().into_iter().map(|(id, model, reason)| Fallback { id, model, reason }).collect(),
            paths: out
                .models
                .iter()
                .map(|m| Column { name: m.model.clone(), values: Float64Array::new(m.paths.clone()) })
                .collect(),
            importance: out
                .models
                .iter()
                .filter(|m| !m.importance.is_empty())
                .map(|m| ModelImportance {
                    model: m.model.clone(),
                    features: m.importance.iter().map(|(f, _)| f.clone()).collect(),
                    shares: m.importance.iter().map(|(_, s)| *s).collect(),
                })
                .collect(),
            ids: out.ids,
        })
    }
}

fn offsets_of(offsets: &[u32]) -> Vec<usize> {
    offsets.iter().map(|&o| o as usize).collect()
}

/// Forecasts a panel (ids, offsets into `values`) with a JSON `ForecastRequest`.
#[napi(ts_return_type = "Promise<ForecastOutput>")]
pub fn forecast(
    ids: Vec<String>,
    offsets: Vec<u32>,
    values: Float64Array,
    request_json: String,
    regressors: Option<RegressorColumns>,
    times: Option<TimeColumns>,
    progress: Option<&ProgressHandle>,
) -> AsyncTask<ForecastTask> {
    let mut job = PanelJob::new(ids, &offsets, &values, regressors, times, request_json);
    job.progress = progress_of(progress);
    AsyncTask::new(ForecastTask(job))
}

/// Syntetos–Boylan classification of one series.
#[napi(object)]
#[derive(Debug)]
pub struct DemandClassification {
    pub adi: f64,
    pub cv2: f64,
    #[napi(js_name = "demand_class")]
    pub demand_class: String,
}

/// MSTL decomposition columns of a panel (`trend`, `seasonal<p>`, `remainder`),
/// aligned with its values after the missing-value policy.
#[napi]
pub fn mstl_decompose(
    ids: Vec<String>,
    offsets: Vec<u32>,
    values: Float64Array,
    periods: Vec<f64>,
    missing: String,
) -> Result<Vec<Column>> {
    let cols = guarded(|| {
        let panel = replenish::forecast::Panel::new(ids, offsets_of(&offsets), values.to_vec())?;
        let missing: replenish::forecast::MissingPolicy = parse_json(Some(&format!("\"{missing}\"")), "missing")?;
        replenish::forecast::mstl::decompose_panel(&panel, &periods, missing)
    })?;
    Ok(cols.into_iter().map(|(name, v)| Column { name, values: Float64Array::new(v) }).collect())
}

/// One closed-form inventory formula (`Formula` as JSON, e.g. `{"formula": "eoq", ...}`).
#[napi(ts_return_type = "Record<string, number>")]
pub fn formula(request_json: String) -> Result<serde_json::Value> {
    let out = guarded(|| {
        let f: replenish::policy::formulas::Formula = serde_json::from_str(&request_json)
            .map_err(|e| CoreError::Config { field: "formula".into(), message: e.to_string() })?;
        f.evaluate()
    })?;
    to_value(&out)
}

/// Simulates a reorder policy (JSON) over a daily demand path with settings (JSON).
#[napi(ts_return_type = "SimReport")]
pub fn simulate_policy(
    demand: Float64Array,
    policy_json: String,
    config_json: Option<String>,
) -> Result<serde_json::Value> {
    let report = guarded(|| {
        let policy: replenish::policy::simulate::SimPolicy = serde_json::from_str(&policy_json)
            .map_err(|e| CoreError::Config { field: "policy".into(), message: e.to_string() })?;
        let config: replenish::policy::simulate::SimConfig = parse_json(config_json.as_deref(), "simulation")?;
        replenish::policy::simulate::simulate(&demand, &policy, &config)
    })?;
    to_value(&report)
}

/// Checks a rule set given as TOML (`toml = true`) or JSON text; the rules as an object.
#[napi(ts_return_type = "RuleSet")]
pub fn check_rules(text: String, toml: bool) -> Result<serde_json::Value> {
    let r = guarded(|| {
        if toml {
            replenish::rules::RuleSet::from_toml(&text)
        } else {
            replenish::rules::RuleSet::from_json(&text)
        }
    })?;
    to_value(&r)
}

/// Tunes a policy's levels by simulation to reach a target.
#[napi(ts_return_type = "{ offset: number; policy: Record<string, unknown>; report: SimReport }")]
pub fn tune_policy(
    demand: Float64Array,
    policy_json: String,
    target_json: String,
    config_json: Option<String>,
) -> Result<serde_json::Value> {
    let out = guarded(|| {
        let policy: replenish::policy::simulate::SimPolicy = serde_json::from_str(&policy_json)
            .map_err(|e| CoreError::Config { field: "policy".into(), message: e.to_string() })?;
        let target: replenish::policy::simulate::TuneTarget = serde_json::from_str(&target_json)
            .map_err(|e| CoreError::Config { field: "target".into(), message: e.to_string() })?;
        let config: replenish::policy::simulate::SimConfig = parse_json(config_json.as_deref(), "simulation")?;
        replenish::policy::simulate::tune(&demand, &policy, &config, target)
    })?;
    to_value(&out)
}

/// A parametric lead-time demand distribution (`LtdRequest`).
#[napi(ts_return_type = "LtdSummary")]
pub fn lead_time_demand_distribution(request_json: String) -> Result<serde_json::Value> {
    let out = guarded(|| {
        let r: replenish::policy::ltd::LtdRequest = serde_json::from_str(&request_json)
            .map_err(|e| CoreError::Config { field: "request".into(), message: e.to_string() })?;
        r.evaluate()
    })?;
    to_value(&out)
}

/// The `errors` lead-time demand of one history (`ErrorsRequest`).
#[napi(ts_return_type = "LtdErrorsSummary")]
pub fn lead_time_demand_errors(request_json: String) -> Result<serde_json::Value> {
    let out = guarded(|| {
        let r: replenish::policy::resample::ErrorsRequest = serde_json::from_str(&request_json)
            .map_err(|e| CoreError::Config { field: "request".into(), message: e.to_string() })?;
        r.evaluate()
    })?;
    to_value(&out)
}

/// The calibration experiment (`policy::calibration`).
#[napi(ts_return_type = "Promise<string>")]
pub fn calibrate(config_json: Option<String>) -> AsyncTask<JsonTask> {
    AsyncTask::new(JsonTask(Some(Box::new(move || {
        let cfg: replenish::policy::calibration::CalibrationConfig = parse_json(config_json.as_deref(), "calibration")?;
        json_value(replenish::policy::calibration::calibrate(&cfg)?)
    }))))
}

/// Backtest of the plan's policies over the last `days` of history.
#[napi(ts_return_type = "Promise<string>")]
pub fn backtest(dataset: &Dataset, options_json: String, config_json: Option<String>) -> AsyncTask<JsonTask> {
    let data = dataset.inner.clone();
    AsyncTask::new(JsonTask(Some(Box::new(move || {
        let config = match config_json.as_deref() {
            None => PlanConfig::default(),
            Some(t) => PlanConfig::from_json(t)?,
        };
        let opts = replenish::backtest::BacktestOptions::from_json(&options_json)?;
        json_value(replenish::backtest::backtest(&data.dataset, &config, &opts)?)
    }))))
}

fn approval_config(text: &str, toml: bool) -> std::result::Result<replenish::workflow::ApprovalConfig, CoreError> {
    if toml {
        replenish::workflow::ApprovalConfig::from_toml(text)
    } else {
        replenish::workflow::ApprovalConfig::from_json(text)
    }
}

/// Checks an approval configuration (TOML or JSON text).
#[napi(ts_return_type = "ApprovalConfig")]
pub fn approval_config_check(text: String, toml: bool) -> Result<serde_json::Value> {
    let c = guarded(|| approval_config(&text, toml))?;
    to_value(&c)
}

/// A new draft approval state for a PO.
#[napi(ts_return_type = "ApprovalState")]
pub fn approval_new(po_json: String) -> Result<serde_json::Value> {
    let s = guarded(|| {
        let po: replenish::workflow::PoFacts = serde_json::from_str(&po_json)
            .map_err(|e| CoreError::Config { field: "po".into(), message: e.to_string() })?;
        Ok(replenish::workflow::PoApproval::new(po))
    })?;
    to_value(&s)
}

/// Applies one workflow event to a state under a configuration (all JSON).
#[napi(ts_return_type = "ApprovalState")]
pub fn approval_apply(config_json: String, state_json: String, event_json: String) -> Result<serde_json::Value> {
    let s = guarded(|| {
        let w = approval_config(&config_json, false)?.compile()?;
        let state: replenish::workflow::PoApproval = serde_json::from_str(&state_json)
            .map_err(|e| CoreError::Config { field: "state".into(), message: e.to_string() })?;
        let event: replenish::workflow::Event = serde_json::from_str(&event_json)
            .map_err(|e| CoreError::Config { field: "event".into(), message: e.to_string() })?;
        w.apply(&state, &event)
    })?;
    to_value(&s)
}

/// Verifies an audit log: the first problem, or null.
#[napi(ts_return_type = "{ index: number; message: string } | null")]
pub fn audit_verify(log_json: String, head: Option<String>) -> Result<serde_json::Value> {
    let p = guarded(|| {
        let log: Vec<replenish::workflow::AuditRecord> = serde_json::from_str(&log_json)
            .map_err(|e| CoreError::Config { field: "audit".into(), message: e.to_string() })?;
        Ok(replenish::workflow::verify(&log, head.as_deref()).err())
    })?;
    to_value(&p)
}

/// Lead times learnt from receipts (JSON) against a dataset's supply terms.
#[napi(ts_return_type = "LeadTimeEstimate[]")]
pub fn learn_lead_times(
    dataset: &Dataset,
    receipts_json: String,
    options_json: Option<String>,
) -> Result<serde_json::Value> {
    let out = guarded(|| {
        let receipts: Vec<replenish::orders::leadtime::Receipt> = serde_json::from_str(&receipts_json)
            .map_err(|e| CoreError::Config { field: "receipts".into(), message: e.to_string() })?;
        let opts: replenish::orders::leadtime::LeadTimeLearning = parse_json(options_json.as_deref(), "learning")?;
        replenish::orders::leadtime::learn_lead_times(&dataset.inner.dataset.supply_terms, &receipts, &opts)
    })?;
    to_value(&out)
}

/// Tracking states for purchase orders (JSON), as drafts.
#[napi(ts_return_type = "PoTracking[]")]
pub fn tracking_new(orders_json: String, tolerance_json: Option<String>) -> Result<serde_json::Value> {
    let s = guarded(|| {
        let orders: Vec<replenish::orders::PurchaseOrder> = replenish::error::from_json(&orders_json, "orders")?;
        let tol: replenish::orders::tracking::Tolerance = parse_json(tolerance_json.as_deref(), "tolerance")?;
        orders
            .iter()
            .map(|po| replenish::orders::tracking::PoTracking::new(po, tol))
            .collect::<std::result::Result<Vec<_>, _>>()
    })?;
    to_value(&s)
}

/// Applies events (each with `po_number`) to tracking states under an approval configuration.
#[napi(ts_return_type = "{ states: PoTracking[]; refused: Refusal[] }")]
pub fn tracking_apply(config_json: String, states_json: String, events_json: String) -> Result<serde_json::Value> {
    let (states, refused) = guarded(|| {
        let w = approval_config(&config_json, false)?.compile()?;
        let states: Vec<replenish::orders::tracking::PoTracking> = replenish::error::from_json(&states_json, "states")?;
        let events: Vec<replenish::orders::tracking::PoEventFor> = replenish::error::from_json(&events_json, "events")?;
        Ok(replenish::orders::tracking::apply_all(&w, states, &events))
    })?;
    to_value(&serde_json::json!({ "states": states, "refused": refused }))
}

/// The alerts of tracking states against a stock outlook on a date.
#[napi(ts_return_type = "PoAlert[]")]
pub fn tracking_alerts(
    states_json: String,
    stock_json: String,
    as_of: String,
    config_json: Option<String>,
) -> Result<serde_json::Value> {
    let a = guarded(|| {
        let states: Vec<replenish::orders::tracking::PoTracking> = replenish::error::from_json(&states_json, "states")?;
        let stock: Vec<replenish::orders::tracking::StockOutlook> = replenish::error::from_json(&stock_json, "stock")?;
        let cfg: replenish::orders::tracking::AlertConfig = parse_json(config_json.as_deref(), "alerts")?;
        let date = replenish::error::from_json(&serde_json::json!(as_of).to_string(), "as_of")?;
        Ok(replenish::orders::tracking::alerts(&states, &stock, date, &cfg))
    })?;
    to_value(&a)
}

/// The open-order lines of tracking states, for the next plan.
#[napi(ts_return_type = "OpenOrderLine[]")]
pub fn tracking_open_orders(states_json: String) -> Result<serde_json::Value> {
    let o = guarded(|| {
        let states: Vec<replenish::orders::tracking::PoTracking> = replenish::error::from_json(&states_json, "states")?;
        Ok(replenish::orders::tracking::open_orders(&states))
    })?;
    to_value(&o)
}

/// The goods receipts of tracking states, for lead-time learning.
#[napi(ts_return_type = "Array<{ supplier_id: string; sku: string; order_date: string; received_date: string }>")]
pub fn tracking_receipts(states_json: String) -> Result<serde_json::Value> {
    let r = guarded(|| {
        let states: Vec<replenish::orders::tracking::PoTracking> = replenish::error::from_json(&states_json, "states")?;
        Ok(replenish::orders::tracking::receipts(&states))
    })?;
    to_value(&r)
}

/// Verifies a tracking history: the first problem, or null.
#[napi(ts_return_type = "{ index: number; message: string } | null")]
pub fn tracking_verify(history_json: String, head: Option<String>) -> Result<serde_json::Value> {
    let p = guarded(|| {
        let log: Vec<replenish::orders::tracking::TrackRecord> = replenish::error::from_json(&history_json, "history")?;
        Ok(replenish::workflow::verify(&log, head.as_deref()).err())
    })?;
    to_value(&p)
}

/// A UBL OrderResponse or DespatchAdvice as the tracking event it stands for.
#[napi(ts_return_type = "PoEvent")]
pub fn ubl_import(xml: String) -> Result<serde_json::Value> {
    let e = guarded(|| replenish::orders::ubl::import_event(&xml))?;
    to_value(&e)
}

/// The stock outlook of a plan object with a dataset's open orders.
#[napi(ts_return_type = "StockOutlook[]")]
pub fn stock_outlook(
    #[napi(ts_arg_type = "Plan")] plan: serde_json::Value,
    dataset: &Dataset,
) -> Result<serde_json::Value> {
    let p = plan_from(plan)?;
    let o =
        guarded(|| Ok(replenish::orders::tracking::StockOutlook::from_plan(&p, &dataset.inner.dataset.open_orders)))?;
    to_value(&o)
}

/// A plan object's purchase orders as open-order lines.
#[napi(ts_return_type = "OpenOrderLine[]")]
pub fn as_open_orders(#[napi(ts_arg_type = "Plan")] plan: serde_json::Value) -> Result<serde_json::Value> {
    let p = plan_from(plan)?;
    to_value(&replenish::orders::as_open_orders(&p.purchase_orders))
}

/// Each PO of a plan object as an e-mail message, by PO number (null: no address).
#[napi(ts_return_type = "Record<string, string | null>")]
pub fn po_emails(
    #[napi(ts_arg_type = "Plan")] plan: serde_json::Value,
    dataset: &Dataset,
    options_json: String,
) -> Result<serde_json::Value> {
    let p = plan_from(plan)?;
    let out = guarded(|| {
        let opts: replenish::orders::email::EmailOptions = replenish::error::from_json(&options_json, "email")?;
        let suppliers = &dataset.inner.dataset.suppliers;
        let mut m = serde_json::Map::new();
        for po in &p.purchase_orders {
            let to = suppliers.iter().find(|s| s.id == po.supplier_id).and_then(|s| s.email.as_deref());
            let v = if opts.to.is_none() && to.is_none() {
                serde_json::Value::Null
            } else {
                serde_json::Value::String(replenish::orders::email::po_email(po, to, &opts)?)
            };
            m.insert(po.po_number.clone(), v);
        }
        Ok(m)
    })?;
    Ok(serde_json::Value::Object(out))
}

/// The KPI report of a plan object and its dataset.
#[napi(ts_return_type = "KpiReport")]
pub fn kpis(
    #[napi(ts_arg_type = "Plan")] plan: serde_json::Value,
    dataset: &Dataset,
    config_json: Option<String>,
) -> Result<serde_json::Value> {
    let p = plan_from(plan)?;
    let r = guarded(|| {
        let cfg: replenish::kpi::KpiConfig = parse_json(config_json.as_deref(), "kpi")?;
        replenish::kpi::kpis(&dataset.inner.dataset, &p, &cfg)
    })?;
    to_value(&r)
}

/// Supplier performance from receipts (the dataset's when null) and tracking states.
#[napi(ts_return_type = "SupplierKpi[]")]
pub fn supplier_kpis(
    dataset: &Dataset,
    receipts_json: Option<String>,
    states_json: String,
    as_of: String,
) -> Result<serde_json::Value> {
    let k = guarded(|| {
        let d = &dataset.inner.dataset;
        let receipts: Vec<replenish::orders::leadtime::Receipt> = match &receipts_json {
            Some(r) => replenish::error::from_json(r, "receipts")?,
            None => d.receipts.clone(),
        };
        let states: Vec<replenish::orders::tracking::PoTracking> = replenish::error::from_json(&states_json, "states")?;
        let date = replenish::error::from_json(&serde_json::json!(as_of).to_string(), "as_of")?;
        Ok(replenish::kpi::supplier_kpis(&d.supply_terms, &receipts, &states, date))
    })?;
    to_value(&k)
}

/// The data behind the HTML report of a plan object and its dataset, with tracked
/// purchase orders (JSON states) and a report configuration (JSON); resolves to JSON text.
#[napi(ts_return_type = "Promise<string>")]
pub fn report_data(
    #[napi(ts_arg_type = "Plan")] plan: serde_json::Value,
    dataset: &Dataset,
    states_json: Option<String>,
    config_json: Option<String>,
    progress: Option<&ProgressHandle>,
) -> Result<AsyncTask<JsonTask>> {
    let p = plan_from(plan)?;
    let data = dataset.inner.clone();
    let progress = progress_of(progress);
    Ok(AsyncTask::new(JsonTask(Some(Box::new(move || {
        let cfg: replenish::report::ReportConfig = parse_json(config_json.as_deref(), "report")?;
        let states: Vec<replenish::orders::tracking::PoTracking> = match &states_json {
            Some(s) => replenish::error::from_json(s, "tracked")?,
            None => Vec::new(),
        };
        json_value(replenish::report::report_data_with(&data.dataset, &p, &states, &cfg, &progress)?)
    })))))
}

/// Forecast accuracy over time (rolling origins) of a model on a dataset's demand;
/// request JSON `{ model, windows, h, season_length }`; resolves to JSON text.
#[napi(ts_return_type = "Promise<string>")]
pub fn forecast_accuracy(
    dataset: &Dataset,
    request_json: String,
    progress: Option<&ProgressHandle>,
) -> Result<AsyncTask<JsonTask>> {
    let data = dataset.inner.clone();
    let progress = progress_of(progress);
    Ok(AsyncTask::new(JsonTask(Some(Box::new(move || {
        let (model, cfg) = replenish::kpi::AccuracyConfig::request_from_json(&request_json)?;
        json_value(replenish::kpi::forecast_accuracy_with(&data.dataset, &model, &cfg, &progress)?)
    })))))
}

/// The HTML report page from report data (JSON text).
#[napi]
pub fn render_report(report_json: String) -> Result<String> {
    guarded(|| {
        let r: replenish::report::ReportData = replenish::error::from_json(&report_json, "report")?;
        replenish::report::render_html(&r)
    })
}

/// The demo plan's purchase orders after the demo's week of approval and tracking
/// events, and the date of the last event.
#[napi(ts_return_type = "{ tracked: PoTracking[]; asOf: string }")]
pub fn demo_tracked(#[napi(ts_arg_type = "Plan")] plan: serde_json::Value) -> Result<serde_json::Value> {
    let p = plan_from(plan)?;
    let (states, as_of) = guarded(|| replenish::demo::tracked(&p))?;
    Ok(serde_json::json!({ "tracked": to_value(&states)?, "asOf": as_of.to_string() }))
}

/// Alerts counted by kind.
#[napi(ts_return_type = "AlertCount[]")]
pub fn alert_counts(alerts_json: String) -> Result<serde_json::Value> {
    let c = guarded(|| {
        let alerts: Vec<replenish::orders::tracking::Alert> = replenish::error::from_json(&alerts_json, "alerts")?;
        Ok(replenish::kpi::alert_counts(&alerts))
    })?;
    to_value(&c)
}

/// ABC/XYZ classes of a panel's series (`policy::classes::abc_xyz`).
#[napi(
    ts_return_type = "Array<{ id: string; value: number; share: number; cumulative_share_before: number; abc: 'A' | 'B' | 'C'; cv: number | null; xyz: 'X' | 'Y' | 'Z' }>"
)]
pub fn abc_xyz(
    ids: Vec<String>,
    offsets: Vec<u32>,
    values: Float64Array,
    unit_values: Vec<f64>,
    thresholds_json: Option<String>,
) -> Result<serde_json::Value> {
    let out = guarded(|| {
        let panel = replenish::forecast::Panel::new(ids, offsets_of(&offsets), values.to_vec())?;
        let t: replenish::policy::classes::ClassThresholds = parse_json(thresholds_json.as_deref(), "thresholds")?;
        replenish::policy::classes::abc_xyz(&panel, &unit_values, &t)
    })?;
    to_value(&out)
}

/// Demand classification per series of a panel.
#[napi]
pub fn classify(ids: Vec<String>, offsets: Vec<u32>, values: Float64Array) -> Result<Vec<DemandClassification>> {
    let panel = guarded(|| replenish::forecast::Panel::new(ids, offsets_of(&offsets), values.to_vec()))?;
    Ok(replenish::forecast::classify_panel(&panel)
        .into_iter()
        .map(|c| DemandClassification { adi: c.adi, cv2: c.cv2, demand_class: c.class.as_str().into() })
        .collect())
}

/// One accuracy metric by name.
#[napi]
pub fn metric(
    name: String,
    y: Float64Array,
    f: Float64Array,
    insample: Option<Float64Array>,
    m: Option<u32>,
    q: Option<f64>,
    hi: Option<Float64Array>,
) -> Result<f64> {
    let (insample, hi) = (insample.map(|a| a.to_vec()), hi.map(|a| a.to_vec()));
    let args = replenish::metrics::MetricArgs {
        insample: insample.as_deref(),
        m: m.unwrap_or(1) as usize,
        q,
        hi: hi.as_deref(),
    };
    guarded(|| replenish::metrics::by_name(&name, &y, &f, &args))
}

/// Model and metric names known to the engine.
#[napi]
pub fn names() -> HashMap<String, Vec<String>> {
    HashMap::from([
        ("models".to_string(), replenish::forecast::MODEL_NAMES.iter().map(|s| s.to_string()).collect()),
        ("metrics".to_string(), replenish::metrics::METRICS.iter().map(|s| s.to_string()).collect()),
    ])
}

/// Cross-validation rows and forecast columns.
#[napi(object)]
#[allow(missing_debug_implementations)]
pub struct CvOutput {
    pub ids: Vec<String>,
    /// Series index of each row.
    pub series: Vec<u32>,
    /// Position of the last training value of the row's window, in its series.
    pub cutoff: Vec<u32>,
    /// Position of the row's target value, in its series.
    pub position: Vec<u32>,
    pub y: Float64Array,
    pub columns: Vec<Column>,
    pub fallbacks: Vec<Fallback>,
}

#[derive(Debug)]
pub struct CvTask(PanelJob);

impl Task for CvTask {
    type Output = replenish::forecast::CrossValidation;
    type JsValue = CvOutput;

    fn compute(&mut self) -> Result<Self::Output> {
        guarded(|| {
            let panel = self.0.panel()?;
            let req = replenish::forecast::CvRequest::from_json(&self.0.request)?;
            replenish::forecast::cross_validation_with(&panel, &req, &self.0.progress)
        })
    }

    fn resolve(&mut self, _env: Env, cv: Self::Output) -> Result<Self::JsValue> {
        let u32s = |v: &[usize]| v.iter().map(|&x| x as u32).collect::<Vec<u32>>();
        Ok(CvOutput {
            series: u32s(&cv.series),
            cutoff: u32s(&cv.cutoff),
            position: u32s(&cv.position),
            y: Float64Array::new(cv.y.clone()),
            columns: cv
                .columns()
                .into_iter()
                .map(|(name, v)| Column { name, values: Float64Array::new(v.to_vec()) })
                .collect(),
            fallbacks: cv
                .models
                .iter()
                .flat_map(|m| {
                    m.fallbacks.iter().map(|(i, why)| Fallback {
                        id: cv.ids[*i].clone(),
                        model: m.model.clone(),
                        reason: why.clone(),
                    })
                })
                .collect(),
            ids: cv.ids,
        })
    }
}

/// Rolling-origin cross-validation with a JSON `{forecast, n_windows, step_size, refit}` request.
#[napi(ts_return_type = "Promise<CvOutput>")]
pub fn cross_validation(
    ids: Vec<String>,
    offsets: Vec<u32>,
    values: Float64Array,
    request_json: String,
    regressors: Option<RegressorColumns>,
    times: Option<TimeColumns>,
    progress: Option<&ProgressHandle>,
) -> AsyncTask<CvTask> {
    let mut job = PanelJob::new(ids, &offsets, &values, regressors, times, request_json);
    job.progress = progress_of(progress);
    AsyncTask::new(CvTask(job))
}

/// One evaluated value; `unique_id` is null for the average over series.
#[napi(object)]
#[derive(Debug)]
pub struct Score {
    #[napi(js_name = "unique_id")]
    pub unique_id: Option<String>,
    pub metric: String,
    pub model: String,
    pub value: f64,
}

/// Groups of evaluation rows (see `forecast::evaluate` in the core).
#[napi(object)]
#[allow(missing_debug_implementations)]
pub struct EvalGroups {
    pub ids: Vec<String>,
    pub group_series: Vec<u32>,
    pub offsets: Vec<u32>,
    pub y: Float64Array,
    pub insample: Float64Array,
    pub insample_offsets: Vec<u32>,
    pub columns: Vec<Column>,
}

/// Scores forecast columns grouped by (series, window).
#[napi]
pub fn evaluate(groups: EvalGroups, metrics: Vec<String>, m: Option<u32>) -> Result<Vec<Score>> {
    let cols: Vec<(String, &[f64])> = groups.columns.iter().map(|c| (c.name.clone(), &c.values[..])).collect();
    if let Some((n, _)) = cols.iter().find(|(_, v)| v.len() != groups.y.len()) {
        return Err(core_err(CoreError::InvalidInput(format!("column `{n}` has a different length than `y`"))));
    }
    let (series, offsets, ins_offsets) =
        (offsets_of(&groups.group_series), offsets_of(&groups.offsets), offsets_of(&groups.insample_offsets));
    let input = replenish::forecast::EvalInput {
        ids: &groups.ids,
        group_series: &series,
        offsets: &offsets,
        y: &groups.y,
        insample: &groups.insample,
        insample_offsets: &ins_offsets,
        columns: &cols,
    };
    let scores = guarded(|| replenish::forecast::evaluate(&input, &metrics, m.unwrap_or(1) as usize))?;
    Ok(scores
        .into_iter()
        .map(|s| Score { unique_id: s.unique_id, metric: s.metric, model: s.model, value: s.value })
        .collect())
}
