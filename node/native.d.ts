import type { Plan, PlanConfig, IngestOptions, QualityReport, DriverPanel, SimReport, RuleSet, LtdSummary, LtdErrorsSummary, ApprovalConfig, ApprovalState, LeadTimeEstimate, PoTracking, Refusal, PoAlert, OpenOrderLine, PoEvent, StockOutlook, KpiReport, SupplierKpi, AlertCount } from './types'
/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/** A validated dataset and its data-quality report. */
export declare class Dataset {
  /** What was read and rejected per file, and every treatment applied. */
  get report(): QualityReport
  /**
   * One part of the canonical model as plain objects: `items`, `locations`,
   * `suppliers`, `supply_terms`, `inventory`, `open_orders` or `demand` (long records).
   */
  table(name: string): Array<Record<string, unknown>>
  /**
   * The demand history with its drivers as regressors for `h` days ahead, as a
   * panel (ids, offsets, values with stock-out days as null, times in
   * milliseconds, regressor names, history and horizon columns).
   */
  drivers(h: number): Promise<DriverPanel>
}

/**
 * Progress and cancellation of one long call, shared with the work: JS reads
 * `snapshot()` to report progress and calls `cancel()` when its `AbortSignal` fires;
 * the call then rejects with code `CANCELLED`.
 */
export declare class Progress {
  constructor()
  /** Asks the work to stop at its next check. */
  cancel(): void
  /** `[done, total]` units of work so far. */
  snapshot(): Array<number>
}
export type ProgressHandle = Progress

/** ABC/XYZ classes of a panel's series (`policy::classes::abc_xyz`). */
export declare function abcXyz(ids: Array<string>, offsets: Array<number>, values: Float64Array, unitValues: Array<number>, thresholdsJson?: string | undefined | null): Array<{ id: string; value: number; share: number; cumulative_share_before: number; abc: 'A' | 'B' | 'C'; cv: number | null; xyz: 'X' | 'Y' | 'Z' }>

/** Alerts counted by kind. */
export declare function alertCounts(alertsJson: string): AlertCount[]

/**
 * Future-regressor rows (`X_df`) laid out per series and forecast step. `expected`
 * holds each series' `h` future times; `unit` is `index` or `milliseconds`.
 */
export declare function alignFuture(ids: Array<string>, expected: Array<number>, h: number, regressors: Array<string>, rowIds: Array<string>, rowTimes: Array<number>, names: Array<string>, columns: Array<Float64Array>, unit: string): Array<Float64Array>

/** Applies one workflow event to a state under a configuration (all JSON). */
export declare function approvalApply(configJson: string, stateJson: string, eventJson: string): ApprovalState

/** Checks an approval configuration (TOML or JSON text). */
export declare function approvalConfigCheck(text: string, toml: boolean): ApprovalConfig

/** A new draft approval state for a PO. */
export declare function approvalNew(poJson: string): ApprovalState

/** A plan object's purchase orders as open-order lines. */
export declare function asOpenOrders(plan: Plan): OpenOrderLine[]

/** Verifies an audit log: the first problem, or null. */
export declare function auditVerify(logJson: string, head?: string | undefined | null): { index: number; message: string } | null

/** Backtest of the plan's policies over the last `days` of history. */
export declare function backtest(dataset: Dataset, optionsJson: string, configJson?: string | undefined | null): Promise<string>

/** The calibration experiment (`policy::calibration`). */
export declare function calibrate(configJson?: string | undefined | null): Promise<string>

/** Checks a rule set given as TOML (`toml = true`) or JSON text; the rules as an object. */
export declare function checkRules(text: string, toml: boolean): RuleSet

/** Demand classification per series of a panel. */
export declare function classify(ids: Array<string>, offsets: Array<number>, values: Float64Array): Array<DemandClassification>

/** A named column of values. */
export interface Column {
  name: string
  values: Float64Array
}

/** Parses a CLI configuration file's TOML text into `{plan, ingest}`. */
export declare function configFromToml(text: string): { plan: PlanConfig; ingest: IngestOptions }

/** Rolling-origin cross-validation with a JSON `{forecast, n_windows, step_size, refit}` request. */
export declare function crossValidation(ids: Array<string>, offsets: Array<number>, values: Float64Array, requestJson: string, regressors?: RegressorColumns | undefined | null, times?: TimeColumns | undefined | null, progress?: Progress | undefined | null): Promise<CvOutput>

/** Cross-validation rows and forecast columns. */
export interface CvOutput {
  ids: Array<string>
  /** Series index of each row. */
  series: Array<number>
  /** Position of the last training value of the row's window, in its series. */
  cutoff: Array<number>
  /** Position of the row's target value, in its series. */
  position: Array<number>
  y: Float64Array
  columns: Array<Column>
  fallbacks: Array<Fallback>
}

/** Syntetos–Boylan classification of one series. */
export interface DemandClassification {
  adi: number
  cv2: number
  demand_class: string
}

/** The demo company's input tables as CSV text by table name. */
export declare function demoTables(configJson?: string | undefined | null): Promise<Record<string, string>>

/**
 * The demo plan's purchase orders after the demo's week of approval and tracking
 * events, and the date of the last event.
 */
export declare function demoTracked(plan: Plan): { tracked: PoTracking[]; asOf: string }

/** Groups of evaluation rows (see `forecast::evaluate` in the core). */
export interface EvalGroups {
  ids: Array<string>
  groupSeries: Array<number>
  offsets: Array<number>
  y: Float64Array
  insample: Float64Array
  insampleOffsets: Array<number>
  columns: Array<Column>
}

/** Scores forecast columns grouped by (series, window). */
export declare function evaluate(groups: EvalGroups, metrics: Array<string>, m?: number | undefined | null): Array<Score>

/**
 * Event columns (one 0/1 column per event name) for rows at `days` (days since
 * 1970-01-01) with optional locations; events as JSON `[{date, name, location, before, after}]`.
 */
export declare function eventColumns(days: Array<number>, eventsJson: string, locations?: Array<string> | undefined | null): Array<Column>

/** A model that could not fit a series and what was used instead. */
export interface Fallback {
  id: string
  model: string
  reason: string
}

/** Step 4: supplier conditions, budgets and POs over every line (a JSON array); the plan (JSON). */
export declare function finishPlan(master: Dataset, linesJson: string, globalsJson: string, configJson?: string | undefined | null): Promise<string>

/** Forecasts a panel (ids, offsets into `values`) with a JSON `ForecastRequest`. */
export declare function forecast(ids: Array<string>, offsets: Array<number>, values: Float64Array, requestJson: string, regressors?: RegressorColumns | undefined | null, times?: TimeColumns | undefined | null, progress?: Progress | undefined | null): Promise<ForecastOutput>

/**
 * Forecast accuracy over time (rolling origins) of a model on a dataset's demand;
 * request JSON `{ model, windows, h, season_length }`; resolves to JSON text.
 */
export declare function forecastAccuracy(dataset: Dataset, requestJson: string, progress?: Progress | undefined | null): Promise<string>

/**
 * Forecast output: flat columns of `n_series × h` values in series order, and
 * per-series horizon totals, in the core's column order.
 */
export interface ForecastOutput {
  ids: Array<string>
  h: number
  columns: Array<Column>
  totals: Array<Column>
  fallbacks: Array<Fallback>
  /** Requested sample paths per model (series, then path, then step). */
  paths: Array<Column>
  /** Global models' features by share of the total gain. */
  importance: Array<ModelImportance>
}

/** One closed-form inventory formula (`Formula` as JSON, e.g. `{"formula": "eoq", ...}`). */
export declare function formula(requestJson: string): Record<string, number>

/** The KPI report of a plan object and its dataset. */
export declare function kpis(plan: Plan, dataset: Dataset, configJson?: string | undefined | null): KpiReport

/** A parametric lead-time demand distribution (`LtdRequest`). */
export declare function leadTimeDemandDistribution(requestJson: string): LtdSummary

/** The `errors` lead-time demand of one history (`ErrorsRequest`). */
export declare function leadTimeDemandErrors(requestJson: string): LtdErrorsSummary

/** Lead times learnt from receipts (JSON) against a dataset's supply terms. */
export declare function learnLeadTimes(dataset: Dataset, receiptsJson: string, optionsJson?: string | undefined | null): LeadTimeEstimate[]

/** Step 2: every part's statistics (a JSON array) merged into the globals (JSON). */
export declare function mergePlanStats(statsJson: string, configJson?: string | undefined | null): Promise<string>

/** One accuracy metric by name. */
export declare function metric(name: string, y: Float64Array, f: Float64Array, insample?: Float64Array | undefined | null, m?: number | undefined | null, q?: number | undefined | null, hi?: Float64Array | undefined | null): number

/** A global model's features by share of the total gain, largest first. */
export interface ModelImportance {
  model: string
  features: Array<string>
  shares: Array<number>
}

/**
 * MSTL decomposition columns of a panel (`trend`, `seasonal<p>`, `remainder`),
 * aligned with its values after the missing-value policy.
 */
export declare function mstlDecompose(ids: Array<string>, offsets: Array<number>, values: Float64Array, periods: Array<number>, missing: string): Array<Column>

/** Model and metric names known to the engine. */
export declare function names(): Record<string, Array<string>>

/** Plans a dataset with a JSON configuration; resolves to the plan as a plain object. */
export declare function plan(dataset: Dataset, configJson?: string | undefined | null, progress?: Progress | undefined | null): Promise<Plan>

/** `plan.csv` text of a plan object (as the CLI writes it). */
export declare function planCsv(plan: Plan): string

/** Step 3: one part's plan lines (JSON), given the globals. */
export declare function planLines(dataset: Dataset, globalsJson: string, configJson?: string | undefined | null, progress?: ProgressHandle | undefined | null): Promise<string>

/** A plan in parts (`replenish::plan::split`), step 1: one part's statistics (JSON). */
export declare function planStats(dataset: Dataset, configJson?: string | undefined | null): Promise<string>

/**
 * Every broken invariant of a plan object (MOQ, packs, maximums, no negatives,
 * totals; `plan::invariants`); empty when the plan is sound.
 */
export declare function planViolations(plan: Plan): Array<string>

/** Each PO of a plan object as an e-mail message, by PO number (null: no address). */
export declare function poEmails(plan: Plan, dataset: Dataset, optionsJson: string): Record<string, string | null>

/** `purchase_orders.csv` text of a plan object. */
export declare function purchaseOrdersCsv(plan: Plan): string

/** Reads and validates the CSV tables of a folder. */
export declare function readFolder(path: string, ingestJson?: string | undefined | null): Promise<Dataset>

/** Validates only the master tables (`items`, `suppliers`): what `finishPlan` needs. */
export declare function readMaster(tables: Record<string, TableText>, ingestJson?: string | undefined | null): Promise<Dataset>

/** Validates tables given as `{ items: {name, text}, ... }`. */
export declare function readTables(tables: Record<string, TableText>, ingestJson?: string | undefined | null): Promise<Dataset>

/**
 * Exogenous regressors: names, history columns (aligned with the panel's values)
 * and future columns (`h` values per series; empty for cross-validation).
 */
export interface RegressorColumns {
  names: Array<string>
  history: Array<Float64Array>
  future: Array<Float64Array>
}

/** The HTML report page from report data (JSON text). */
export declare function renderReport(reportJson: string): string

/**
 * The data behind the HTML report of a plan object and its dataset, with tracked
 * purchase orders (JSON states) and a report configuration (JSON); resolves to JSON text.
 */
export declare function reportData(plan: Plan, dataset: Dataset, statesJson?: string | undefined | null, configJson?: string | undefined | null, progress?: Progress | undefined | null): Promise<string>

/** One evaluated value; `unique_id` is null for the average over series. */
export interface Score {
  unique_id?: string
  metric: string
  model: string
  value: number
}

/**
 * Between steps 1 and 2: the merged seasonal counts (JSON) every part's statistics
 * must be run again with (`season_counts` in the configuration), or `null` when
 * the statistics merge as they are.
 */
export declare function seasonCountsToShare(statsJson: string, configJson?: string | undefined | null): Promise<string>

/** Simulates a reorder policy (JSON) over a daily demand path with settings (JSON). */
export declare function simulatePolicy(demand: Float64Array, policyJson: string, configJson?: string | undefined | null): SimReport

/** The stock outlook of a plan object with a dataset's open orders. */
export declare function stockOutlook(plan: Plan, dataset: Dataset): StockOutlook[]

/** The CLI's summary text of a plan object. */
export declare function summaryText(plan: Plan): string

/** Supplier performance from receipts (the dataset's when null) and tracking states. */
export declare function supplierKpis(dataset: Dataset, receiptsJson: string | undefined | null, statesJson: string, asOf: string): SupplierKpi[]

/**
 * One input table: the name problems are reported under, and its CSV as text or
 * as bytes (a Buffer is passed as it is, so that a file that is not UTF-8 is
 * reported as such rather than decoded with replacement characters).
 */
export interface TableText {
  name: string
  text?: string
  bytes?: Buffer
}

/**
 * The values' times and the horizon's (`h` per series), as integers in `unit`
 * (`index` or `milliseconds`).
 */
export interface TimeColumns {
  unit: string
  history: Array<number>
  future: Array<number>
}

/** The alerts of tracking states against a stock outlook on a date. */
export declare function trackingAlerts(statesJson: string, stockJson: string, asOf: string, configJson?: string | undefined | null): PoAlert[]

/** Applies events (each with `po_number`) to tracking states under an approval configuration. */
export declare function trackingApply(configJson: string, statesJson: string, eventsJson: string): { states: PoTracking[]; refused: Refusal[] }

/** Tracking states for purchase orders (JSON), as drafts. */
export declare function trackingNew(ordersJson: string, toleranceJson?: string | undefined | null): PoTracking[]

/** The open-order lines of tracking states, for the next plan. */
export declare function trackingOpenOrders(statesJson: string): OpenOrderLine[]

/** The goods receipts of tracking states, for lead-time learning. */
export declare function trackingReceipts(statesJson: string): Array<{ supplier_id: string; sku: string; order_date: string; received_date: string }>

/** Verifies a tracking history: the first problem, or null. */
export declare function trackingVerify(historyJson: string, head?: string | undefined | null): { index: number; message: string } | null

/** Tunes a policy's levels by simulation to reach a target. */
export declare function tunePolicy(demand: Float64Array, policyJson: string, targetJson: string, configJson?: string | undefined | null): { offset: number; policy: Record<string, unknown>; report: SimReport }

/** A UBL OrderResponse or DespatchAdvice as the tracking event it stands for. */
export declare function ublImport(xml: string): PoEvent

/** Each purchase order of a plan as a UBL 2.1 Order document, by PO number. */
export declare function ublOrders(plan: Plan, optionsJson?: string | undefined | null): Record<string, string>
