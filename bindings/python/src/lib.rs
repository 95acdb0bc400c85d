//! Python bindings: conversion and error mapping only. Every algorithm lives in the
//! `replenish` crate. Long calls release the GIL; panics are caught and raised as
//! `replenish.ReplenishError`, never as a Rust panic inside Python.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use replenish::error::{from_json, to_json};
use replenish::ingest::{IngestOptions, Ingested, Inputs, TableInput};
use replenish::plan::{Plan as CorePlan, PlanConfig};
use replenish::progress::Progress;
use replenish::{demo, export, Error};

create_exception!(_replenish, ReplenishError, PyException, "Base class of every error raised by replenish.");
create_exception!(
    _replenish,
    ValidationError,
    ReplenishError,
    "The input data failed validation; `.problems` lists every problem with file, row and column."
);
create_exception!(_replenish, ConfigError, ReplenishError, "A configuration value is invalid; `.field` names it.");
create_exception!(
    _replenish,
    RuleError,
    ConfigError,
    "A rule expression is wrong; `.rule`, `.field`, `.expression` and `.position` (0-based) locate it."
);
create_exception!(
    _replenish,
    WorkflowError,
    ReplenishError,
    "A workflow event was refused; `.kind` says why (not_authorised, self_approval, duplicate_approver, ...)."
);
create_exception!(_replenish, InputError, ReplenishError, "An argument is outside what the function accepts.");
create_exception!(_replenish, FileError, ReplenishError, "A file or folder could not be read or written.");
create_exception!(_replenish, CancelledError, ReplenishError, "The call was cancelled before it finished.");
create_exception!(_replenish, InternalError, ReplenishError, "A bug in replenish (a caught panic); please report it.");

/// Converts a core error to the matching Python exception, with its details attached.
fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let msg = e.to_string();
    let result = (|| -> PyResult<PyErr> {
        Ok(match &e {
            Error::Validation { problems, summary } => {
                let err = ValidationError::new_err(msg.clone());
                let list = PyList::empty(py);
                for p in problems {
                    let d = PyDict::new(py);
                    d.set_item("file", &p.file)?;
                    d.set_item("row", p.row)?;
                    d.set_item("column", &p.column)?;
                    d.set_item("kind", p.kind.as_str())?;
                    d.set_item("message", &p.message)?;
                    list.append(d)?;
                }
                let v = err.value(py);
                v.setattr("problems", list)?;
                v.setattr("summary_json", json(summary.as_ref())?)?;
                v.setattr("code", e.code())?;
                err
            }
            Error::Config { field, .. } => {
                let err = ConfigError::new_err(msg.clone());
                err.value(py).setattr("field", field)?;
                err.value(py).setattr("code", e.code())?;
                err
            }
            Error::Rule { rule, field, expression, position, message } => {
                let err = RuleError::new_err(msg.clone());
                let v = err.value(py);
                v.setattr("rule", rule)?;
                v.setattr("field", field)?;
                v.setattr("expression", expression)?;
                v.setattr("position", position)?;
                v.setattr("column", position + 1)?;
                v.setattr("reason", message)?;
                v.setattr("code", e.code())?;
                err
            }
            Error::Workflow { kind, .. } => {
                let err = WorkflowError::new_err(msg.clone());
                err.value(py).setattr("kind", kind.as_str())?;
                err.value(py).setattr("code", e.code())?;
                err
            }
            Error::Io { path, .. } => {
                let err = FileError::new_err(msg.clone());
                err.value(py).setattr("path", path)?;
                err.value(py).setattr("code", e.code())?;
                err
            }
            Error::InvalidInput(_) => {
                let err = InputError::new_err(msg.clone());
                err.value(py).setattr("code", e.code())?;
                err
            }
            Error::Cancelled => {
                let err = CancelledError::new_err(msg.clone());
                err.value(py).setattr("code", e.code())?;
                err
            }
            Error::Internal(_) => {
                let err = InternalError::new_err(msg.clone());
                err.value(py).setattr("code", e.code())?;
                err
            }
        })
    })();
    result.unwrap_or_else(|inner| inner)
}

fn json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| ReplenishError::new_err(format!("cannot serialise result: {e}")))
}

/// Runs `f` without the GIL; errors and caught panics become Python exceptions.
fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error> + Send) -> PyResult<T> {
    py.detach(|| replenish::error::guard(f)).map_err(|e| to_py(py, e))
}

/// Runs long core work on a worker thread while this thread waits without the GIL,
/// looking every 100 ms for signals and progress: Ctrl-C (any signal handler that
/// raises) cancels the work and raises once it has stopped; `on_progress(done,
/// total)` is called with the work's counts (and once more at the end).
fn run_long<T: Send>(
    py: Python<'_>,
    on_progress: Option<&Bound<'_, PyAny>>,
    f: impl FnOnce(&Progress) -> Result<T, Error> + Send,
) -> PyResult<T> {
    use std::sync::mpsc::{channel, RecvTimeoutError};
    let progress = Progress::new();
    let (tx, rx) = channel();
    // Behind a mutex so that the wait below can run without the GIL (it needs Sync).
    let rx = std::sync::Mutex::new(rx);
    std::thread::scope(|scope| {
        let p = &progress;
        scope.spawn(move || {
            let _ = tx.send(replenish::error::guard(|| f(p)));
        });
        let mut raised: Option<PyErr> = None;
        let report = |cb: &Bound<'_, PyAny>| {
            let (done, total) = progress.snapshot();
            cb.call1((done, total)).map(|_| ())
        };
        loop {
            let wait = || match rx.lock() {
                Ok(rx) => rx.recv_timeout(std::time::Duration::from_millis(100)),
                Err(_) => Err(RecvTimeoutError::Disconnected),
            };
            match py.detach(wait) {
                Ok(result) => {
                    if let Some(e) = raised {
                        return Err(e);
                    }
                    let out = result.map_err(|e| to_py(py, e))?;
                    if let Some(cb) = on_progress {
                        report(cb)?;
                    }
                    return Ok(out);
                }
                Err(RecvTimeoutError::Timeout) if raised.is_none() => {
                    let looked = py.check_signals().and_then(|()| on_progress.map_or(Ok(()), report));
                    if let Err(e) = looked {
                        progress.cancel();
                        raised = Some(e);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(InternalError::new_err("the worker thread ended without a result"));
                }
            }
        }
    })
}

fn parse_json<T: serde::de::DeserializeOwned + Default>(text: Option<&str>, what: &str) -> Result<T, Error> {
    match text {
        None => Ok(T::default()),
        Some(t) => serde_json::from_str(t).map_err(|e| Error::Config { field: what.into(), message: e.to_string() }),
    }
}

/// A validated dataset and its data-quality report.
#[pyclass(module = "replenish._replenish", frozen)]
struct Dataset {
    inner: Ingested,
}

#[pymethods]
impl Dataset {
    /// The data-quality report as JSON.
    fn report_json(&self) -> PyResult<String> {
        json(&self.inner.report)
    }

    /// One part of the dataset as JSON: `items`, `locations`, `suppliers`,
    /// `supply_terms`, `inventory`, `open_orders` or `demand` (long records).
    fn table_json(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        let d = &self.inner.dataset;
        run(py, || {
            let s = match name {
                "items" => serde_json::to_string(&d.items),
                "locations" => serde_json::to_string(&d.locations),
                "suppliers" => serde_json::to_string(&d.suppliers),
                "supply_terms" => serde_json::to_string(&d.supply_terms),
                "inventory" => serde_json::to_string(&d.inventory),
                "open_orders" => serde_json::to_string(&d.open_orders),
                "demand" => serde_json::to_string(&d.demand.to_records()),
                "promotions" => serde_json::to_string(&d.promotions.as_deref().unwrap_or_default()),
                "events" => serde_json::to_string(&d.events.as_deref().unwrap_or_default()),
                "prices" => serde_json::to_string(&d.prices.as_deref().unwrap_or_default()),
                "weather" => serde_json::to_string(&d.weather.clone().unwrap_or_default()),
                "receipts" => serde_json::to_string(&d.receipts),
                other => return Err(Error::InvalidInput(format!("no table `{other}` in a dataset"))),
            };
            s.map_err(|e| Error::InvalidInput(e.to_string()))
        })
    }

    /// The demand history with its drivers as regressors for `h` days ahead
    /// (`replenish::drivers::driver_panel`): ids, offsets, values, history and
    /// horizon times (int64 milliseconds), regressor names, and their history and
    /// horizon columns (numpy arrays the core hands over without a copy).
    fn drivers(&self, py: Python<'_>, h: usize) -> PyResult<Drivers> {
        let p = run(py, || replenish::drivers::driver_panel(&self.inner.dataset, h))?;
        let ints = |v: Vec<i64>| PyArray1::from_vec(py, v).unbind();
        let (hist_t, fut_t) = p.times.map(|t| (t.history, t.future)).unwrap_or_default();
        let (names, hist, fut) = match p.regressors {
            Some(r) => (
                r.names,
                r.history.into_iter().map(|c| array(py, c)).collect(),
                r.future.into_iter().map(|c| array(py, c)).collect(),
            ),
            None => (vec![], vec![], vec![]),
        };
        Ok((p.ids, p.offsets, array(py, p.values), ints(hist_t), ints(fut_t), names, hist, fut))
    }

    fn __repr__(&self) -> String {
        let r = &self.inner.report;
        format!(
            "Dataset(items={}, locations={}, suppliers={}, series={}, demand_days={})",
            r.items, r.locations, r.suppliers, r.series, r.demand_days
        )
    }
}

/// A plan: lines, purchase orders, summary.
#[pyclass(module = "replenish._replenish", frozen)]
struct Plan {
    inner: CorePlan,
}

#[pymethods]
impl Plan {
    /// The whole plan as JSON.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || serde_json::to_string(&self.inner).map_err(|e| Error::InvalidInput(e.to_string())))
    }
    /// Every broken invariant of the plan (`plan::invariants::violations`); empty
    /// when sound.
    fn violations(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        run(py, || Ok(replenish::plan::invariants::violations(&self.inner)))
    }
    /// `plan.csv` text: one row per SKU-location.
    fn plan_csv(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || export::plan_csv(&self.inner))
    }
    /// `purchase_orders.csv` text: one row per PO line.
    fn purchase_orders_csv(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || export::purchase_orders_csv(&self.inner.purchase_orders))
    }
    /// Each purchase order as a UBL 2.1 Order document: (po_number, xml) pairs.
    #[pyo3(signature = (options_json=None))]
    fn ubl_orders(&self, py: Python<'_>, options_json: Option<String>) -> PyResult<Vec<(String, String)>> {
        run(py, || {
            let opts: replenish::orders::ubl::UblOptions = parse_json(options_json.as_deref(), "ubl")?;
            self.inner
                .purchase_orders
                .iter()
                .map(|po| replenish::orders::ubl::order_xml(po, &opts).map(|x| (po.po_number.clone(), x)))
                .collect()
        })
    }
    /// `purchase_orders.json` text.
    fn purchase_orders_json(&self, py: Python<'_>) -> PyResult<String> {
        run(py, || export::to_json(&self.inner.purchase_orders))
    }
    /// The summary printed by the CLI.
    fn summary_text(&self) -> String {
        self.inner.summary.to_text()
    }
}

fn inputs_from(py: Python<'_>, tables: &Bound<'_, PyDict>) -> PyResult<Inputs> {
    let mut inputs = Inputs::default();
    for (k, v) in tables.iter() {
        let key: String = k.extract()?;
        let (name, text): (String, Vec<u8>) = v.extract()?;
        inputs.set(&key, TableInput::new(name, text)).map_err(|e| to_py(py, e))?;
    }
    Ok(inputs)
}

/// Validates tables given as `{name: (display_name, csv_bytes)}`.
#[pyfunction]
#[pyo3(signature = (tables, ingest_json=None))]
fn read_tables(py: Python<'_>, tables: &Bound<'_, PyDict>, ingest_json: Option<String>) -> PyResult<Dataset> {
    let inputs = inputs_from(py, tables)?;
    run(py, move || {
        let opts: IngestOptions = parse_json(ingest_json.as_deref(), "ingest")?;
        replenish::ingest::parse(&inputs, &opts).map(|inner| Dataset { inner })
    })
}

/// Reads and validates the CSV tables of a folder.
#[pyfunction]
#[pyo3(signature = (path, ingest_json=None))]
fn read_folder(py: Python<'_>, path: std::path::PathBuf, ingest_json: Option<String>) -> PyResult<Dataset> {
    run(py, move || {
        let opts: IngestOptions = parse_json(ingest_json.as_deref(), "ingest")?;
        replenish::read_folder(&path, &opts).map(|inner| Dataset { inner })
    })
}

/// Plans a dataset with a JSON configuration (`PlanConfig`).
#[pyfunction]
#[pyo3(signature = (dataset, config_json=None, on_progress=None))]
fn plan(
    py: Python<'_>,
    dataset: &Dataset,
    config_json: Option<String>,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<Plan> {
    run_long(py, on_progress.as_ref(), |progress| {
        let config = plan_config(config_json.as_deref())?;
        replenish::plan::plan_with(&dataset.inner.dataset, &config, progress).map(|inner| Plan { inner })
    })
}

fn plan_config(config_json: Option<&str>) -> Result<PlanConfig, Error> {
    config_json.map_or_else(|| Ok(PlanConfig::default()), PlanConfig::from_json)
}

fn globals_of(globals_json: &str) -> Result<replenish::plan::PlanGlobals, Error> {
    serde_json::from_str(globals_json).map_err(|e| Error::Config { field: "globals".into(), message: e.to_string() })
}

/// A split plan, step 1: one part's statistics (`PlanStats` as JSON).
#[pyfunction]
#[pyo3(signature = (dataset, config_json=None))]
fn plan_stats(py: Python<'_>, dataset: &Dataset, config_json: Option<String>) -> PyResult<String> {
    run(py, || {
        let stats = replenish::plan::plan_stats(&dataset.inner.dataset, &plan_config(config_json.as_deref())?)?;
        serde_json::to_string(&stats).map_err(|e| Error::Internal(e.to_string()))
    })
}

/// The parts' `PlanStats`, each given as JSON.
fn stats_of(parts: &[String]) -> Result<Vec<replenish::plan::PlanStats>, Error> {
    parts
        .iter()
        .map(|p| serde_json::from_str(p).map_err(|e| Error::Config { field: "stats".into(), message: e.to_string() }))
        .collect()
}

/// A split plan, step 2: every part's statistics merged (`PlanGlobals` as JSON).
#[pyfunction]
#[pyo3(signature = (parts, config_json=None))]
fn plan_globals(py: Python<'_>, parts: Vec<String>, config_json: Option<String>) -> PyResult<String> {
    run(py, || {
        let parts = stats_of(&parts)?;
        let globals = replenish::plan::PlanGlobals::merge(&plan_config(config_json.as_deref())?, parts)?;
        serde_json::to_string(&globals).map_err(|e| Error::Internal(e.to_string()))
    })
}

/// A split plan, between steps 1 and 2: the merged seasonal counts every part's
/// statistics must be run again with (`season_counts` in the configuration), as
/// JSON, or `None` when the statistics merge as they are.
#[pyfunction]
#[pyo3(signature = (parts, config_json=None))]
fn season_counts_to_share(py: Python<'_>, parts: Vec<String>, config_json: Option<String>) -> PyResult<Option<String>> {
    run(py, || {
        let parts = stats_of(&parts)?;
        replenish::plan::PlanGlobals::season_counts_to_share(&plan_config(config_json.as_deref())?, &parts)
            .map(|c| serde_json::to_string(&c).map_err(|e| Error::Internal(e.to_string())))
            .transpose()
    })
}

/// A split plan, step 3: one part's plan lines (a JSON array of `PlanLine`).
#[pyfunction]
#[pyo3(signature = (dataset, globals_json, config_json=None, on_progress=None))]
fn plan_lines(
    py: Python<'_>,
    dataset: &Dataset,
    globals_json: String,
    config_json: Option<String>,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    run_long(py, on_progress.as_ref(), |progress| {
        let config = plan_config(config_json.as_deref())?;
        let lines =
            replenish::plan::plan_lines(&dataset.inner.dataset, &config, &globals_of(&globals_json)?, progress)?;
        serde_json::to_string(&lines).map_err(|e| Error::Internal(e.to_string()))
    })
}

/// A split plan, step 4: supplier conditions, budgets and POs over every part's lines.
#[pyfunction]
#[pyo3(signature = (lines, master, globals_json, config_json=None))]
fn finish_plan(
    py: Python<'_>,
    lines: Vec<String>,
    master: &Dataset,
    globals_json: String,
    config_json: Option<String>,
) -> PyResult<Plan> {
    run(py, || {
        let mut all: Vec<replenish::plan::PlanLine> = Vec::new();
        for part in &lines {
            let part: Vec<replenish::plan::PlanLine> = serde_json::from_str(part)
                .map_err(|e| Error::Config { field: "lines".into(), message: e.to_string() })?;
            all.extend(part);
        }
        let data = &master.inner.dataset;
        let config = plan_config(config_json.as_deref())?;
        replenish::plan::finish_plan(all, &data.items, &data.suppliers, &config, &globals_of(&globals_json)?)
            .map(|inner| Plan { inner })
    })
}

/// Validates only the master tables (`items`, `suppliers`): what `finish_plan` needs.
#[pyfunction]
#[pyo3(signature = (tables, ingest_json=None))]
fn read_master(py: Python<'_>, tables: &Bound<'_, PyDict>, ingest_json: Option<String>) -> PyResult<Dataset> {
    let inputs = inputs_from(py, tables)?;
    run(py, move || {
        let opts: IngestOptions = parse_json(ingest_json.as_deref(), "ingest")?;
        let dataset = replenish::ingest::parse_master(&inputs, &opts)?;
        Ok(Dataset { inner: Ingested { dataset, report: Default::default() } })
    })
}

/// The demo company's tables as `{name: csv_text}`, from a JSON `DemoConfig`.
#[pyfunction]
#[pyo3(signature = (config_json=None))]
fn demo_tables(py: Python<'_>, config_json: Option<String>) -> PyResult<Vec<(String, String)>> {
    run(py, move || {
        let cfg: demo::DemoConfig = parse_json(config_json.as_deref(), "demo")?;
        if cfg.skus == 0 || cfg.locations == 0 || cfg.days == 0 {
            return Err(Error::InvalidInput("skus, locations and days must be at least 1".into()));
        }
        let inputs = demo::generate(&cfg);
        inputs
            .tables()
            .into_iter()
            .map(|(name, t)| {
                Ok((name.trim_end_matches(".csv").to_string(), String::from_utf8_lossy(&t.read()?).into_owned()))
            })
            .collect::<Result<_, Error>>()
    })
}

/// Validates a JSON `RunConfig`-style TOML file's text and returns it as JSON
/// `{"plan": ..., "ingest": ...}` (so Python can read the CLI's config files).
#[pyfunction]
fn config_from_toml(py: Python<'_>, text: String) -> PyResult<String> {
    run(py, move || {
        let c = replenish::plan::RunConfig::from_toml(&text)?;
        serde_json::to_string(&c).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// A numpy array's values in place (float64 or int64, C-contiguous): the core
/// reads them without a copy; the Python side passes `np.ascontiguousarray`.
fn slice<'a, T: numpy::Element>(name: &str, a: &'a PyReadonlyArray1<'_, T>) -> PyResult<&'a [T]> {
    a.as_slice().map_err(|_| InputError::new_err(format!("{name}: the array is not contiguous")))
}

/// A float64 array that numpy takes over from the core without a copy.
fn array(py: Python<'_>, v: Vec<f64>) -> Py<PyArray1<f64>> {
    PyArray1::from_vec(py, v).unbind()
}

/// A float64 array copied from a slice the core keeps.
fn copied(py: Python<'_>, v: &[f64]) -> Py<PyArray1<f64>> {
    PyArray1::from_slice(py, v).unbind()
}

type F64s<'py> = PyReadonlyArray1<'py, f64>;
type I64s<'py> = PyReadonlyArray1<'py, i64>;
type Columns = Vec<(String, Py<PyArray1<f64>>)>;
/// A dataset's driver panel: ids, offsets, values, history and horizon times,
/// regressor names, history columns, horizon columns.
type Drivers = (
    Vec<String>,
    Vec<usize>,
    Py<PyArray1<f64>>,
    Py<PyArray1<i64>>,
    Py<PyArray1<i64>>,
    Vec<String>,
    Vec<Py<PyArray1<f64>>>,
    Vec<Py<PyArray1<f64>>>,
);
/// Regressor names, their history columns and their future columns (float64 arrays).
type RegressorArrays<'py> = (Vec<String>, Vec<F64s<'py>>, Vec<F64s<'py>>);

/// Time unit, the values' times and the horizon's (int64 arrays).
type TimeArrays<'py> = (String, I64s<'py>, I64s<'py>);
/// Per global model: (feature, share of the total gain).
type Importance = Vec<(String, Vec<(String, f64)>)>;

/// Borrowed regressor columns: names, history and horizon columns.
type RegressorSlices<'a> = (Vec<String>, Vec<&'a [f64]>, Vec<&'a [f64]>);
/// Borrowed times: unit, history and horizon.
type TimeSlices<'a> = (String, &'a [i64], &'a [i64]);

/// Borrows the numpy arrays of regressors and times for work without the GIL.
fn borrow_inputs<'a>(
    regressors: &'a Option<RegressorArrays<'_>>,
    times: &'a Option<TimeArrays<'_>>,
) -> PyResult<(Option<RegressorSlices<'a>>, Option<TimeSlices<'a>>)> {
    let regs = match regressors {
        None => None,
        Some((names, h, f)) => {
            let cols = |what: &str, v: &'a [F64s<'_>]| -> PyResult<Vec<&'a [f64]>> {
                v.iter().zip(names).map(|(a, n)| slice(&format!("{what} `{n}`"), a)).collect()
            };
            Some((names.clone(), cols("regressor", h)?, cols("future regressor", f)?))
        }
    };
    let times = match times {
        None => None,
        Some((unit, h, f)) => Some((unit.clone(), slice("times", h)?, slice("future times", f)?)),
    };
    Ok((regs, times))
}

/// Attaches times when given.
fn with_times(
    panel: replenish::forecast::Panel,
    times: Option<TimeSlices<'_>>,
) -> Result<replenish::forecast::Panel, Error> {
    match times {
        None => Ok(panel),
        Some((unit, history, future)) => {
            let unit: replenish::forecast::TimeUnit = parse_json(Some(&format!("\"{unit}\"")), "time unit")?;
            let times = replenish::forecast::Times { unit, history: history.to_vec(), future: future.to_vec() };
            panel.with_times(times)
        }
    }
}

/// A panel from ids, offsets and values, with regressors when given. The panel owns
/// its columns (the work runs without the GIL), so this is the one copy of the input.
fn panel_with(
    ids: Vec<String>,
    offsets: Vec<usize>,
    values: &[f64],
    regressors: Option<RegressorSlices<'_>>,
) -> Result<replenish::forecast::Panel, Error> {
    let panel = replenish::forecast::Panel::new(ids, offsets, values.to_vec())?;
    match regressors {
        None => Ok(panel),
        Some((names, history, future)) => {
            let history = history.iter().map(|c| c.to_vec()).collect();
            let future = future.iter().map(|c| c.to_vec()).collect();
            panel.with_regressors(replenish::forecast::Regressors { names, history, future })
        }
    }
}

/// Future-regressor rows (`X_df`) laid out per series and forecast step: ids and
/// expected times (int64) of the horizon, then the rows' ids, times, column
/// names and columns. `unit` is `index`, `nanoseconds` or `milliseconds`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn align_future(
    py: Python<'_>,
    ids: Vec<String>,
    expected: I64s<'_>,
    h: usize,
    regressors: Vec<String>,
    row_ids: Vec<String>,
    row_times: I64s<'_>,
    names: Vec<String>,
    columns: Vec<F64s<'_>>,
    unit: String,
) -> PyResult<Vec<Py<PyArray1<f64>>>> {
    let (expected, row_times) = (slice("expected", &expected)?, slice("times", &row_times)?);
    let columns: Vec<Vec<f64>> = columns
        .iter()
        .zip(&names)
        .map(|(a, n)| slice(&format!("X_df `{n}`"), a).map(<[f64]>::to_vec))
        .collect::<PyResult<_>>()?;
    let out = run(py, move || {
        let unit: replenish::forecast::TimeUnit = parse_json(Some(&format!("\"{unit}\"")), "time unit")?;
        let rows =
            replenish::forecast::FutureRows { ids: &row_ids, times: row_times, names: &names, columns: &columns };
        replenish::forecast::align_future(&ids, expected, h, &regressors, rows, unit)
    })?;
    Ok(out.into_iter().map(|c| array(py, c)).collect())
}

/// Event columns (one 0/1 column per event name) for rows given as days since
/// 1970-01-01 (int64) and optional locations; events as JSON
/// `[{date, name, location, before, after}]`.
#[pyfunction]
#[pyo3(signature = (days, events_json, locations=None))]
fn event_columns(
    py: Python<'_>,
    days: I64s<'_>,
    events_json: String,
    locations: Option<Vec<String>>,
) -> PyResult<Columns> {
    let days = slice("days", &days)?;
    let cols = run(py, move || {
        let dates = replenish::forecast::dates_from_days(days)?;
        let events: Vec<replenish::forecast::Event> =
            serde_json::from_str(&events_json).map_err(|e| Error::InvalidInput(format!("events: {e}")))?;
        replenish::forecast::event_columns(&dates, locations.as_deref(), &events)
    })?;
    Ok(cols.into_iter().map(|(n, v)| (n, array(py, v))).collect())
}

/// MSTL decomposition columns of a panel (`trend`, `seasonal<p>`, `remainder`),
/// aligned with its values after the missing-value policy.
#[pyfunction]
fn mstl_decompose(
    py: Python<'_>,
    ids: Vec<String>,
    offsets: Vec<usize>,
    values: F64s<'_>,
    periods: Vec<f64>,
    missing: String,
) -> PyResult<Columns> {
    let values = slice("values", &values)?;
    let cols = run(py, move || {
        let panel = replenish::forecast::Panel::new(ids, offsets, values.to_vec())?;
        let missing: replenish::forecast::MissingPolicy = parse_json(Some(&format!("\"{missing}\"")), "missing")?;
        replenish::forecast::mstl::decompose_panel(&panel, &periods, missing)
    })?;
    Ok(cols.into_iter().map(|(n, v)| (n, array(py, v))).collect())
}

/// One closed-form inventory formula (`replenish::policy::formulas::Formula` as
/// JSON, e.g. `{"formula": "eoq", ...}`); the result as JSON.
#[pyfunction]
fn formula(py: Python<'_>, request_json: String) -> PyResult<String> {
    run(py, move || {
        let f: replenish::policy::formulas::Formula = serde_json::from_str(&request_json)
            .map_err(|e| Error::Config { field: "formula".into(), message: e.to_string() })?;
        let out = f.evaluate()?;
        serde_json::to_string(&out).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// Simulates a reorder policy (JSON) over a daily demand path (float64 array) with
/// settings (JSON); the report as JSON.
#[pyfunction]
#[pyo3(signature = (demand, policy_json, config_json=None))]
fn simulate_policy(
    py: Python<'_>,
    demand: F64s<'_>,
    policy_json: String,
    config_json: Option<String>,
) -> PyResult<String> {
    let demand = slice("demand", &demand)?;
    run(py, move || {
        let policy: replenish::policy::simulate::SimPolicy = serde_json::from_str(&policy_json)
            .map_err(|e| Error::Config { field: "policy".into(), message: e.to_string() })?;
        let config: replenish::policy::simulate::SimConfig = parse_json(config_json.as_deref(), "simulation")?;
        let report = replenish::policy::simulate::simulate(demand, &policy, &config)?;
        serde_json::to_string(&report).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// Checks a rule set given as TOML (`toml=True`) or JSON text; the rules as JSON.
#[pyfunction]
fn check_rules(py: Python<'_>, text: String, toml: bool) -> PyResult<String> {
    run(py, move || {
        let r = if toml {
            replenish::rules::RuleSet::from_toml(&text)?
        } else {
            replenish::rules::RuleSet::from_json(&text)?
        };
        serde_json::to_string(&r).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// Tunes a policy's levels by simulation to reach a target (JSON in and out).
#[pyfunction]
#[pyo3(signature = (demand, policy_json, target_json, config_json=None))]
fn tune_policy(
    py: Python<'_>,
    demand: F64s<'_>,
    policy_json: String,
    target_json: String,
    config_json: Option<String>,
) -> PyResult<String> {
    let demand = slice("demand", &demand)?;
    run(py, move || {
        let policy: replenish::policy::simulate::SimPolicy = serde_json::from_str(&policy_json)
            .map_err(|e| Error::Config { field: "policy".into(), message: e.to_string() })?;
        let target: replenish::policy::simulate::TuneTarget = serde_json::from_str(&target_json)
            .map_err(|e| Error::Config { field: "target".into(), message: e.to_string() })?;
        let config: replenish::policy::simulate::SimConfig = parse_json(config_json.as_deref(), "simulation")?;
        let out = replenish::policy::simulate::tune(demand, &policy, &config, target)?;
        serde_json::to_string(&out).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// The calibration experiment (`policy::calibration`), rows as JSON.
#[pyfunction]
#[pyo3(signature = (config_json=None))]
fn calibrate(py: Python<'_>, config_json: Option<String>) -> PyResult<String> {
    run(py, move || {
        let cfg: replenish::policy::calibration::CalibrationConfig = parse_json(config_json.as_deref(), "calibration")?;
        let rows = replenish::policy::calibration::calibrate(&cfg)?;
        serde_json::to_string(&rows).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// A parametric lead-time demand distribution (`policy::ltd::LtdRequest` JSON).
#[pyfunction]
fn lead_time_demand_distribution(py: Python<'_>, request_json: String) -> PyResult<String> {
    run(py, move || {
        let r: replenish::policy::ltd::LtdRequest = serde_json::from_str(&request_json)
            .map_err(|e| Error::Config { field: "request".into(), message: e.to_string() })?;
        serde_json::to_string(&r.evaluate()?).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// The `errors` lead-time demand of one history (`policy::resample::ErrorsRequest` JSON).
#[pyfunction]
fn lead_time_demand_errors(py: Python<'_>, request_json: String) -> PyResult<String> {
    run(py, move || {
        let r: replenish::policy::resample::ErrorsRequest = serde_json::from_str(&request_json)
            .map_err(|e| Error::Config { field: "request".into(), message: e.to_string() })?;
        serde_json::to_string(&r.evaluate()?).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// Backtest of the plan's policies over the last `days` of history (JSON).
#[pyfunction]
#[pyo3(signature = (dataset, options_json, config_json=None))]
fn backtest(py: Python<'_>, dataset: &Dataset, options_json: &str, config_json: Option<String>) -> PyResult<String> {
    run(py, || {
        let config = match config_json.as_deref() {
            None => PlanConfig::default(),
            Some(t) => PlanConfig::from_json(t)?,
        };
        let opts = replenish::backtest::BacktestOptions::from_json(options_json)?;
        let out = replenish::backtest::backtest(&dataset.inner.dataset, &config, &opts)?;
        serde_json::to_string(&out).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

fn approval_config(text: &str, toml: bool) -> std::result::Result<replenish::workflow::ApprovalConfig, Error> {
    if toml {
        replenish::workflow::ApprovalConfig::from_toml(text)
    } else {
        replenish::workflow::ApprovalConfig::from_json(text)
    }
}

/// Checks an approval configuration (TOML or JSON text); the configuration as JSON.
#[pyfunction]
fn approval_config_check(py: Python<'_>, text: String, toml: bool) -> PyResult<String> {
    run(py, move || {
        let c = approval_config(&text, toml)?;
        serde_json::to_string(&c).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// A new draft approval state for a PO (`PoFacts` JSON).
#[pyfunction]
fn approval_new(py: Python<'_>, po_json: String) -> PyResult<String> {
    run(py, move || {
        let po: replenish::workflow::PoFacts =
            serde_json::from_str(&po_json).map_err(|e| Error::Config { field: "po".into(), message: e.to_string() })?;
        serde_json::to_string(&replenish::workflow::PoApproval::new(po)).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// Applies one workflow event (JSON) to a state (JSON) under a configuration (JSON).
#[pyfunction]
fn approval_apply(py: Python<'_>, config_json: String, state_json: String, event_json: String) -> PyResult<String> {
    run(py, move || {
        let w = approval_config(&config_json, false)?.compile()?;
        let state: replenish::workflow::PoApproval = serde_json::from_str(&state_json)
            .map_err(|e| Error::Config { field: "state".into(), message: e.to_string() })?;
        let event: replenish::workflow::Event = serde_json::from_str(&event_json)
            .map_err(|e| Error::Config { field: "event".into(), message: e.to_string() })?;
        serde_json::to_string(&w.apply(&state, &event)?).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// Verifies an audit log (JSON); the first problem as JSON, or None.
#[pyfunction]
#[pyo3(signature = (log_json, head=None))]
fn audit_verify(py: Python<'_>, log_json: String, head: Option<String>) -> PyResult<Option<String>> {
    run(py, move || {
        let log: Vec<replenish::workflow::AuditRecord> = serde_json::from_str(&log_json)
            .map_err(|e| Error::Config { field: "audit".into(), message: e.to_string() })?;
        Ok(replenish::workflow::verify(&log, head.as_deref()).err().map(|p| serde_json::json!(p).to_string()))
    })
}

/// Lead times learnt from receipts (JSON list) against a dataset's supply terms.
#[pyfunction]
#[pyo3(signature = (dataset, receipts_json, options_json=None))]
fn learn_lead_times(
    py: Python<'_>,
    dataset: &Dataset,
    receipts_json: String,
    options_json: Option<String>,
) -> PyResult<String> {
    run(py, || {
        let receipts: Vec<replenish::orders::leadtime::Receipt> = serde_json::from_str(&receipts_json)
            .map_err(|e| Error::Config { field: "receipts".into(), message: e.to_string() })?;
        let opts: replenish::orders::leadtime::LeadTimeLearning = parse_json(options_json.as_deref(), "learning")?;
        let out = replenish::orders::leadtime::learn_lead_times(&dataset.inner.dataset.supply_terms, &receipts, &opts)?;
        serde_json::to_string(&out).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// Tracking states (JSON) for purchase orders (JSON), as drafts.
#[pyfunction]
#[pyo3(signature = (orders_json, tolerance_json=None))]
fn tracking_new(py: Python<'_>, orders_json: String, tolerance_json: Option<String>) -> PyResult<String> {
    run(py, move || {
        let orders: Vec<replenish::orders::PurchaseOrder> = from_json(&orders_json, "orders")?;
        let tol: replenish::orders::tracking::Tolerance = parse_json(tolerance_json.as_deref(), "tolerance")?;
        let states = orders
            .iter()
            .map(|po| replenish::orders::tracking::PoTracking::new(po, tol))
            .collect::<Result<Vec<_>, _>>()?;
        to_json(&states)
    })
}

/// Applies events (JSON, each with `po_number`) to tracking states under an
/// approval configuration: (states, refusals) as JSON.
#[pyfunction]
fn tracking_apply(
    py: Python<'_>,
    config_json: String,
    states_json: String,
    events_json: String,
) -> PyResult<(String, String)> {
    run(py, move || {
        let w = approval_config(&config_json, false)?.compile()?;
        let states: Vec<replenish::orders::tracking::PoTracking> = from_json(&states_json, "states")?;
        let events: Vec<replenish::orders::tracking::PoEventFor> = from_json(&events_json, "events")?;
        let (states, refused) = replenish::orders::tracking::apply_all(&w, states, &events);
        Ok((to_json(&states)?, to_json(&refused)?))
    })
}

/// Alerts (JSON) of tracking states against a stock outlook on a date.
#[pyfunction]
#[pyo3(signature = (states_json, stock_json, as_of, config_json=None))]
fn tracking_alerts(
    py: Python<'_>,
    states_json: String,
    stock_json: String,
    as_of: String,
    config_json: Option<String>,
) -> PyResult<String> {
    run(py, move || {
        let states: Vec<replenish::orders::tracking::PoTracking> = from_json(&states_json, "states")?;
        let stock: Vec<replenish::orders::tracking::StockOutlook> = from_json(&stock_json, "stock")?;
        let cfg: replenish::orders::tracking::AlertConfig = parse_json(config_json.as_deref(), "alerts")?;
        let date = from_json(&serde_json::json!(as_of).to_string(), "as_of")?;
        to_json(&replenish::orders::tracking::alerts(&states, &stock, date, &cfg))
    })
}

/// The open-order lines (JSON) of tracking states, for the next plan.
#[pyfunction]
fn tracking_open_orders(py: Python<'_>, states_json: String) -> PyResult<String> {
    run(py, move || {
        let states: Vec<replenish::orders::tracking::PoTracking> = from_json(&states_json, "states")?;
        to_json(&replenish::orders::tracking::open_orders(&states))
    })
}

/// The goods receipts (JSON) of tracking states, for lead-time learning.
#[pyfunction]
fn tracking_receipts(py: Python<'_>, states_json: String) -> PyResult<String> {
    run(py, move || {
        let states: Vec<replenish::orders::tracking::PoTracking> = from_json(&states_json, "states")?;
        to_json(&replenish::orders::tracking::receipts(&states))
    })
}

/// Verifies a tracking history (JSON); the first problem as JSON, or None.
#[pyfunction]
#[pyo3(signature = (history_json, head=None))]
fn tracking_verify(py: Python<'_>, history_json: String, head: Option<String>) -> PyResult<Option<String>> {
    run(py, move || {
        let log: Vec<replenish::orders::tracking::TrackRecord> = from_json(&history_json, "history")?;
        Ok(replenish::workflow::verify(&log, head.as_deref()).err().map(|p| serde_json::json!(p).to_string()))
    })
}

/// A UBL OrderResponse or DespatchAdvice as the tracking event (JSON) it stands for.
#[pyfunction]
fn ubl_import(py: Python<'_>, xml: String) -> PyResult<String> {
    run(py, move || to_json(&replenish::orders::ubl::import_event(&xml)?))
}

/// The stock outlook (JSON) of a plan with its dataset's open orders.
#[pyfunction]
fn stock_outlook(py: Python<'_>, plan: &Plan, dataset: &Dataset) -> PyResult<String> {
    run(py, || {
        to_json(&replenish::orders::tracking::StockOutlook::from_plan(&plan.inner, &dataset.inner.dataset.open_orders))
    })
}

/// A plan's purchase orders as open-order lines (JSON).
#[pyfunction]
fn as_open_orders(py: Python<'_>, plan: &Plan) -> PyResult<String> {
    run(py, || to_json(&replenish::orders::as_open_orders(&plan.inner.purchase_orders)))
}

/// Each PO of a plan as an e-mail message: (po_number, message or None when
/// neither the options nor the supplier give an address).
#[pyfunction]
fn po_emails(
    py: Python<'_>,
    plan: &Plan,
    dataset: &Dataset,
    options_json: String,
) -> PyResult<Vec<(String, Option<String>)>> {
    run(py, || {
        let opts: replenish::orders::email::EmailOptions = from_json(&options_json, "email")?;
        let suppliers = &dataset.inner.dataset.suppliers;
        plan.inner
            .purchase_orders
            .iter()
            .map(|po| {
                let to = suppliers.iter().find(|s| s.id == po.supplier_id).and_then(|s| s.email.as_deref());
                if opts.to.is_none() && to.is_none() {
                    return Ok((po.po_number.clone(), None));
                }
                replenish::orders::email::po_email(po, to, &opts).map(|m| (po.po_number.clone(), Some(m)))
            })
            .collect()
    })
}

/// The KPI report (JSON) of a plan and its dataset.
#[pyfunction]
#[pyo3(signature = (plan, dataset, config_json=None))]
fn kpis(py: Python<'_>, plan: &Plan, dataset: &Dataset, config_json: Option<String>) -> PyResult<String> {
    run(py, || {
        let cfg: replenish::kpi::KpiConfig = parse_json(config_json.as_deref(), "kpi")?;
        to_json(&replenish::kpi::kpis(&dataset.inner.dataset, &plan.inner, &cfg)?)
    })
}

/// Supplier performance (JSON) from receipts (JSON; the dataset's when None) and tracking states.
#[pyfunction]
#[pyo3(signature = (dataset, receipts_json, states_json, as_of))]
fn supplier_kpis(
    py: Python<'_>,
    dataset: &Dataset,
    receipts_json: Option<String>,
    states_json: String,
    as_of: String,
) -> PyResult<String> {
    run(py, || {
        let d = &dataset.inner.dataset;
        let receipts: Vec<replenish::orders::leadtime::Receipt> = match &receipts_json {
            Some(r) => from_json(r, "receipts")?,
            None => d.receipts.clone(),
        };
        let states: Vec<replenish::orders::tracking::PoTracking> = from_json(&states_json, "states")?;
        let date = from_json(&serde_json::json!(as_of).to_string(), "as_of")?;
        to_json(&replenish::kpi::supplier_kpis(&d.supply_terms, &receipts, &states, date))
    })
}

/// The data behind the HTML report (JSON) of a plan and its dataset, with tracked
/// purchase orders (JSON states) and a report configuration (JSON).
#[pyfunction]
#[pyo3(signature = (plan, dataset, states_json=None, config_json=None, on_progress=None))]
fn report_data(
    py: Python<'_>,
    plan: &Plan,
    dataset: &Dataset,
    states_json: Option<String>,
    config_json: Option<String>,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    run_long(py, on_progress.as_ref(), |progress| {
        let cfg: replenish::report::ReportConfig = parse_json(config_json.as_deref(), "report")?;
        let states: Vec<replenish::orders::tracking::PoTracking> = match &states_json {
            Some(s) => from_json(s, "tracked")?,
            None => Vec::new(),
        };
        to_json(&replenish::report::report_data_with(&dataset.inner.dataset, &plan.inner, &states, &cfg, progress)?)
    })
}

/// Forecast accuracy over time (rolling origins, JSON) of a model on a dataset's
/// demand; request JSON `{ model, windows, h, season_length }`.
#[pyfunction]
#[pyo3(signature = (dataset, request_json, on_progress=None))]
fn forecast_accuracy(
    py: Python<'_>,
    dataset: &Dataset,
    request_json: String,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    run_long(py, on_progress.as_ref(), |progress| {
        let (model, cfg) = replenish::kpi::AccuracyConfig::request_from_json(&request_json)?;
        to_json(&replenish::kpi::forecast_accuracy_with(&dataset.inner.dataset, &model, &cfg, progress)?)
    })
}

/// The HTML report page from report data (JSON).
#[pyfunction]
fn render_report(py: Python<'_>, report_json: String) -> PyResult<String> {
    run(py, move || {
        let r: replenish::report::ReportData = from_json(&report_json, "report")?;
        replenish::report::render_html(&r)
    })
}

/// The demo plan's purchase orders after the demo's week of approval and tracking
/// events (JSON states) and the date of the last event.
#[pyfunction]
fn demo_tracked(py: Python<'_>, plan: &Plan) -> PyResult<(String, String)> {
    run(py, || {
        let (states, as_of) = replenish::demo::tracked(&plan.inner)?;
        Ok((to_json(&states)?, as_of.to_string()))
    })
}

/// Alerts (JSON) counted by kind.
#[pyfunction]
fn alert_counts(py: Python<'_>, alerts_json: String) -> PyResult<String> {
    run(py, move || {
        let alerts: Vec<replenish::orders::tracking::Alert> = from_json(&alerts_json, "alerts")?;
        to_json(&replenish::kpi::alert_counts(&alerts))
    })
}

/// ABC/XYZ classes of a panel's series (`policy::classes::abc_xyz`) as JSON.
#[pyfunction]
#[pyo3(signature = (ids, offsets, values, unit_values, thresholds_json=None))]
fn abc_xyz(
    py: Python<'_>,
    ids: Vec<String>,
    offsets: Vec<usize>,
    values: F64s<'_>,
    unit_values: Vec<f64>,
    thresholds_json: Option<String>,
) -> PyResult<String> {
    let values = slice("values", &values)?;
    run(py, move || {
        let panel = replenish::forecast::Panel::new(ids, offsets, values.to_vec())?;
        let t: replenish::policy::classes::ClassThresholds = parse_json(thresholds_json.as_deref(), "thresholds")?;
        let out = replenish::policy::classes::abc_xyz(&panel, &unit_values, &t)?;
        serde_json::to_string(&out).map_err(|e| Error::InvalidInput(e.to_string()))
    })
}

/// (series id, model, why) of every fallback.
type Fallbacks = Vec<(String, String, String)>;

/// Forecasts a panel given as ids, offsets and a float64 array, with a JSON
/// `ForecastRequest`. Returns (columns, per-series total columns, fallbacks,
/// requested sample paths per model).
#[pyfunction]
#[pyo3(signature = (ids, offsets, values, request_json, regressors=None, times=None, on_progress=None))]
#[allow(clippy::too_many_arguments)]
fn forecast(
    py: Python<'_>,
    ids: Vec<String>,
    offsets: Vec<usize>,
    values: F64s<'_>,
    request_json: String,
    regressors: Option<RegressorArrays<'_>>,
    times: Option<TimeArrays<'_>>,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<(Columns, Columns, Fallbacks, Columns, Importance)> {
    let values = slice("values", &values)?;
    let (regressors, times) = borrow_inputs(&regressors, &times)?;
    let mut out = run_long(py, on_progress.as_ref(), move |progress| {
        let panel = with_times(panel_with(ids, offsets, values, regressors)?, times)?;
        let req = replenish::forecast::ForecastRequest::from_json(&request_json)?;
        replenish::forecast::forecast_batch_with(&panel, &req, progress)
    })?;
    let cols = out.columns().into_iter().map(|(n, v)| (n, copied(py, v))).collect();
    let totals = out.total_columns().into_iter().map(|(n, v)| (n, array(py, v))).collect();
    let paths = out.models.iter_mut().map(|m| (m.model.clone(), array(py, std::mem::take(&mut m.paths)))).collect();
    let importance = out
        .models
        .iter()
        .filter(|m| !m.importance.is_empty())
        .map(|m| (m.model.clone(), m.importance.clone()))
        .collect();
    Ok((cols, totals, out.fallbacks(), paths, importance))
}

/// Demand classification per series: (adi, cv2, class) in series order.
#[pyfunction]
fn classify(
    py: Python<'_>,
    ids: Vec<String>,
    offsets: Vec<usize>,
    values: F64s<'_>,
) -> PyResult<Vec<(f64, f64, String)>> {
    let values = slice("values", &values)?;
    run(py, move || {
        let panel = replenish::forecast::Panel::new(ids, offsets, values.to_vec())?;
        Ok(replenish::forecast::classify_panel(&panel)
            .into_iter()
            .map(|c| (c.adi, c.cv2, c.class.as_str().to_string()))
            .collect())
    })
}

/// One metric by name over float64 arrays (read in place).
#[pyfunction]
#[pyo3(signature = (name, y, f, insample=None, m=1, q=None, hi=None))]
#[allow(clippy::too_many_arguments)]
fn metric(
    py: Python<'_>,
    name: String,
    y: F64s<'_>,
    f: F64s<'_>,
    insample: Option<F64s<'_>>,
    m: usize,
    q: Option<f64>,
    hi: Option<F64s<'_>>,
) -> PyResult<f64> {
    let (y, f) = (slice("y", &y)?, slice("f", &f)?);
    let insample = insample.as_ref().map(|a| slice("insample", a)).transpose()?;
    let hi = hi.as_ref().map(|a| slice("hi", a)).transpose()?;
    run(py, move || {
        let args = replenish::metrics::MetricArgs { insample, m, q, hi };
        replenish::metrics::by_name(&name, y, f, &args)
    })
}

/// Cross-validation rows: (series index, cutoff position, target position, y),
/// forecast columns and fallbacks.
type CvOut = (Vec<usize>, Vec<usize>, Vec<usize>, Py<PyArray1<f64>>, Columns, Fallbacks);

/// Rolling-origin cross-validation of a panel with a JSON request
/// `{"forecast": ForecastRequest, "n_windows", "step_size", "refit"}`.
#[pyfunction]
#[pyo3(signature = (ids, offsets, values, request_json, regressors=None, times=None, on_progress=None))]
#[allow(clippy::too_many_arguments)]
fn cross_validation(
    py: Python<'_>,
    ids: Vec<String>,
    offsets: Vec<usize>,
    values: F64s<'_>,
    request_json: String,
    regressors: Option<RegressorArrays<'_>>,
    times: Option<TimeArrays<'_>>,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<CvOut> {
    let values = slice("values", &values)?;
    let (regressors, times) = borrow_inputs(&regressors, &times)?;
    let mut cv = run_long(py, on_progress.as_ref(), move |progress| {
        let panel = with_times(panel_with(ids, offsets, values, regressors)?, times)?;
        let req = replenish::forecast::CvRequest::from_json(&request_json)?;
        replenish::forecast::cross_validation_with(&panel, &req, progress)
    })?;
    let cols = cv.columns().into_iter().map(|(n, v)| (n, copied(py, v))).collect();
    let fallbacks = cv
        .models
        .iter()
        .flat_map(|m| m.fallbacks.iter().map(|(i, why)| (cv.ids[*i].clone(), m.model.clone(), why.clone())))
        .collect();
    let y = array(py, std::mem::take(&mut cv.y));
    Ok((cv.series.clone(), cv.cutoff.clone(), cv.position.clone(), y, cols, fallbacks))
}

/// (series id or None for the average, metric, model, value).
type Scores = Vec<(Option<String>, String, String, f64)>;

/// Scores forecast columns grouped by (series, window); see `forecast::evaluate`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn evaluate(
    py: Python<'_>,
    ids: Vec<String>,
    group_series: Vec<usize>,
    offsets: Vec<usize>,
    y: F64s<'_>,
    insample: F64s<'_>,
    insample_offsets: Vec<usize>,
    columns: Vec<(String, F64s<'_>)>,
    metrics: Vec<String>,
    m: usize,
) -> PyResult<Scores> {
    let (y, insample) = (slice("y", &y)?, slice("insample", &insample)?);
    let refs: Vec<(String, &[f64])> =
        columns.iter().map(|(n, a)| Ok((n.clone(), slice(n, a)?))).collect::<PyResult<_>>()?;
    run(py, move || {
        if let Some((n, _)) = refs.iter().find(|(_, v)| v.len() != y.len()) {
            return Err(Error::InvalidInput(format!("column `{n}` has a different length than `y`")));
        }
        let input = replenish::forecast::EvalInput {
            ids: &ids,
            group_series: &group_series,
            offsets: &offsets,
            y,
            insample,
            insample_offsets: &insample_offsets,
            columns: &refs,
        };
        Ok(replenish::forecast::evaluate(&input, &metrics, m)?
            .into_iter()
            .map(|s| (s.unique_id, s.metric, s.model, s.value))
            .collect())
    })
}

/// Model and metric names known to the engine.
#[pyfunction]
fn names() -> (Vec<&'static str>, Vec<&'static str>) {
    (replenish::forecast::MODEL_NAMES.to_vec(), replenish::metrics::METRICS.to_vec())
}

#[pymodule]
fn _replenish(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ReplenishError", py.get_type::<ReplenishError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("WorkflowError", py.get_type::<WorkflowError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("FileError", py.get_type::<FileError>())?;
    m.add("CancelledError", py.get_type::<CancelledError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add_class::<Dataset>()?;
    m.add_class::<Plan>()?;
    m.add_function(wrap_pyfunction!(read_tables, m)?)?;
    m.add_function(wrap_pyfunction!(read_folder, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(demo_tables, m)?)?;
    m.add_function(wrap_pyfunction!(config_from_toml, m)?)?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    m.add_function(wrap_pyfunction!(metric, m)?)?;
    m.add_function(wrap_pyfunction!(names, m)?)?;
    m.add_function(wrap_pyfunction!(cross_validation, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(align_future, m)?)?;
    m.add_function(wrap_pyfunction!(event_columns, m)?)?;
    m.add_function(wrap_pyfunction!(mstl_decompose, m)?)?;
    m.add_function(wrap_pyfunction!(formula, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_policy, m)?)?;
    m.add_function(wrap_pyfunction!(abc_xyz, m)?)?;
    m.add_function(wrap_pyfunction!(check_rules, m)?)?;
    m.add_function(wrap_pyfunction!(tune_policy, m)?)?;
    m.add_function(wrap_pyfunction!(calibrate, m)?)?;
    m.add_function(wrap_pyfunction!(lead_time_demand_distribution, m)?)?;
    m.add_function(wrap_pyfunction!(lead_time_demand_errors, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(approval_config_check, m)?)?;
    m.add_function(wrap_pyfunction!(approval_new, m)?)?;
    m.add_function(wrap_pyfunction!(approval_apply, m)?)?;
    m.add_function(wrap_pyfunction!(audit_verify, m)?)?;
    m.add_function(wrap_pyfunction!(learn_lead_times, m)?)?;
    m.add_function(wrap_pyfunction!(tracking_new, m)?)?;
    m.add_function(wrap_pyfunction!(tracking_apply, m)?)?;
    m.add_function(wrap_pyfunction!(tracking_alerts, m)?)?;
    m.add_function(wrap_pyfunction!(tracking_open_orders, m)?)?;
    m.add_function(wrap_pyfunction!(tracking_receipts, m)?)?;
    m.add_function(wrap_pyfunction!(tracking_verify, m)?)?;
    m.add_function(wrap_pyfunction!(ubl_import, m)?)?;
    m.add_function(wrap_pyfunction!(stock_outlook, m)?)?;
    m.add_function(wrap_pyfunction!(as_open_orders, m)?)?;
    m.add_function(wrap_pyfunction!(po_emails, m)?)?;
    m.add_function(wrap_pyfunction!(kpis, m)?)?;
    m.add_function(wrap_pyfunction!(report_data, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_accuracy, m)?)?;
    m.add_function(wrap_pyfunction!(render_report, m)?)?;
    m.add_function(wrap_pyfunction!(demo_tracked, m)?)?;
    m.add_function(wrap_pyfunction!(supplier_kpis, m)?)?;
    m.add_function(wrap_pyfunction!(alert_counts, m)?)?;
    m.add_function(wrap_pyfunction!(plan_stats, m)?)?;
    m.add_function(wrap_pyfunction!(season_counts_to_share, m)?)?;
    m.add_function(wrap_pyfunction!(plan_globals, m)?)?;
    m.add_function(wrap_pyfunction!(plan_lines, m)?)?;
    m.add_function(wrap_pyfunction!(finish_plan, m)?)?;
    m.add_function(wrap_pyfunction!(read_master, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
