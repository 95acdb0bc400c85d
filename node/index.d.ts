import type { Dataset } from './native'
import type {
  LeadTimeEstimate,
  KpiReport,
  AccuracyPeriod,
  AccuracyOptions,
  ReportOptions,
  ReportData,
  SupplierKpi,
  AlertCount,
  PoTracking,
  PoEvent,
  Refusal,
  StockOutlook,
  PoAlert,
  EmailOptions,
  OpenOrderLine,
  PurchaseOrder,
  ApprovalConfig,
  ApprovalEvent,
  ApprovalState,
  AuditRecord,
  PoFacts,
  SimReport,
  RuleSet,
  LtdSummary,
  LtdErrorsSummary,
  CalibrationRow,
  Backtest,
  PolicyKind,
  DemoOptions,
  IngestOptions,
  ModelConfig,
  Plan,
  PlanLine,
  PlanStats,
  PlanGlobals,
  SeasonCounts,
  PlanConfig,
  Problem,
  TableName,
} from './types'

export * from './types'
export { Dataset } from './native'

/** Base class of every error: `code` is stable (`VALIDATION`, `CONFIG`, `IO`, `INVALID_INPUT`, `INTERNAL`). */
export declare class ReplenishError extends Error {
  code: 'VALIDATION' | 'CONFIG' | 'IO' | 'INVALID_INPUT' | 'INTERNAL' | string
  /** Every data problem found (validation errors), in file and row order. */
  problems: Problem[]
  /** The configuration field at fault (configuration errors). */
  field?: string
}
/** A long call stopped by its `AbortSignal`: code `ABORTED`, `cause` the signal's reason. */
export declare class AbortError extends ReplenishError {}
/** Options of every long call: cancel it with an `AbortSignal`, watch its progress. */
export interface LongCallOptions {
  signal?: AbortSignal
  /** Called about ten times a second and once at the end with units of work done and to do. */
  onProgress?: (progress: { done: number; total: number }) => void
}
export declare class ValidationError extends ReplenishError {}
export declare class ConfigError extends ReplenishError {}
/** A refused workflow event; `kind` says why. */
export declare class WorkflowError extends ReplenishError {
  kind:
    | 'invalid_transition'
    | 'unknown_actor'
    | 'not_authorised'
    | 'self_approval'
    | 'duplicate_approver'
    | 'bad_delegation'
    | 'not_due'
    | 'out_of_order'
}
/** A wrong rule expression, located by rule, field and character position. */
export declare class RuleError extends ConfigError {
  rule: string
  expression: string
  /** 0-based character offset in `expression`. */
  position: number
  /** 1-based column, as in the message. */
  column: number
  /** The message without the location. */
  reason: string
}

/** A table: CSV text, its bytes (a Buffer or Uint8Array, passed undecoded so that bad encodings are reported), or an array of plain objects (one per row). */
export type TableInput = string | Buffer | Uint8Array | Array<Record<string, unknown>>
export type Tables = Partial<Record<TableName | 'openOrders' | 'stockHistory', TableInput>> & {
  items: TableInput
  suppliers: TableInput
  sales: TableInput
  inventory: TableInput
}

export interface ReadOptions {
  ingest?: IngestOptions
}

export declare const TABLES: readonly TableName[]

/** Reads and validates the CSV tables of a folder. */
export declare function readFolder(path: string, options?: ReadOptions): Promise<Dataset>
/** Validates tables given as CSV text, Buffers or arrays of plain objects. */
export declare function readTables(tables: Tables, options?: ReadOptions): Promise<Dataset>
/**
 * A dataset's demand history with its drivers (`promotion`, `discount`, `price`, one
 * column per event name and per weather variable) for `forecast`: `data` in long
 * columns (stock-out days have `y` null: pass `missing: 'interpolate'`) and `X_df`
 * with the drivers of the next `h` days. A missing future value is an error naming it.
 */
export declare function drivers(dataset: Dataset, h: number): Promise<{ data: LongData; X_df: FutureRegressors }>
/** Plans replenishment for a folder path, a Dataset or an object of tables. */
export declare function plan(data: string | Dataset | Tables, config?: PlanConfig | null, options?: ReadOptions & LongCallOptions): Promise<Plan>
/** A plan in parts, step 1: one part's statistics (a part is whole SKUs; its tables are read with `ingest.part`). */
export declare function planStats(data: Dataset | Tables, config?: PlanConfig | null, options?: ReadOptions): Promise<PlanStats>
/**
 * Between steps 1 and 2: the merged seasonal counts to run every part's `planStats` again with
 * (as `season_counts` in the configuration), or `null` when the statistics merge as they are.
 */
export declare function seasonCountsToShare(stats: PlanStats[], config?: PlanConfig | null): Promise<SeasonCounts | null>
/** Step 2: every part's statistics merged (plan date, ABC classes, category uplifts). */
export declare function mergePlanStats(stats: PlanStats[], config?: PlanConfig | null): Promise<PlanGlobals>
/** Step 3: one part's plan lines, given the merged globals. */
export declare function planLines(data: Dataset | Tables, globals: PlanGlobals, config?: PlanConfig | null, options?: ReadOptions & LongCallOptions): Promise<PlanLine[]>
/** Step 4: supplier minimums, truck fill, budgets and POs over every part's lines: the whole plan. */
export declare function finishPlan(master: Dataset | { items: Tables['items']; suppliers: Tables['suppliers'] }, lines: PlanLine[] | PlanLine[][], globals: PlanGlobals, config?: PlanConfig | null, options?: ReadOptions): Promise<Plan>
/** The built-in demo company's input tables as CSV text by table name. */
export declare function demoData(options?: DemoOptions): Promise<Record<TableName, string>>
/** Reads a CLI configuration file (TOML with [plan] and [ingest]). */
export declare function loadConfig(path: string): { plan: PlanConfig; ingest: IngestOptions }
/** `plan.csv` text, as the CLI writes it. */
export declare function planCsv(plan: Plan): string
/** `purchase_orders.csv` text, as the CLI writes it. */
export declare function purchaseOrdersCsv(plan: Plan): string
/** The summary text the CLI prints. */
export declare function summaryText(plan: Plan): string
/** Every broken invariant of a plan (MOQ, packs, maximums, no negatives, totals); empty when sound (docs/reliability.md). */
export declare function planViolations(plan: Plan): string[]
/** Plain objects to CSV text (header = union of keys). */
export declare function toCsv(records: Array<Record<string, unknown>>): string

// ---------------------------------------------------------------- forecasting

/** A model by name (default parameters; `seasonLength` for seasonal ones) or with parameters. */
export type ModelArg = ModelName | ModelConfig
export type ModelName =
  | 'Naive' | 'SeasonalNaive' | 'HistoricAverage' | 'WindowAverage' | 'SeasonalWindowAverage' | 'RandomWalkWithDrift'
  | 'CrostonClassic' | 'CrostonOptimized' | 'CrostonSBA' | 'TSB' | 'ADIDA' | 'IMAPA'
  | 'Theta' | 'OptimizedTheta' | 'DynamicTheta' | 'DynamicOptimizedTheta' | 'AutoTheta' | 'AutoSelect' | 'Ensemble'
  | 'AutoETS' | 'SES' | 'Holt' | 'HoltDamped' | 'HoltWinters' | 'AutoARIMA' | 'GBDT' | 'MSTL'

/** A regressor column: numbers (booleans count as 0/1). */
export type RegressorColumn = ArrayLike<number | boolean | null> | Float64Array

/**
 * Long data: one entry per observation, series identified by `unique_id`. Further
 * columns are exogenous regressors (promotion flags, prices, events, weather).
 */
export type LongData = {
  unique_id: ArrayLike<string>
  /** Time stamps (numbers or Dates); default 0, 1, 2, ... per row. */
  ds?: ArrayLike<number | Date>
  y: ArrayLike<number | null> | Float64Array
} & { [regressor: string]: RegressorColumn | ArrayLike<string> | ArrayLike<number | Date> | undefined }

/** Future values of the regressors: a row per series and forecast period. */
export type FutureRegressors = {
  unique_id: ArrayLike<string>
  ds: ArrayLike<number | Date>
} & { [regressor: string]: RegressorColumn | ArrayLike<string> | ArrayLike<number | Date> }

export interface ForecastOptions extends LongCallOptions {
  seasonLength?: number
  /** Prediction interval levels in percent, e.g. [80, 95]. */
  level?: number[]
  quantiles?: number[]
  missing?: 'error' | 'drop' | 'interpolate' | 'zero'
  nonNegative?: boolean
  /** Used when a model cannot fit a series (default 'Naive'; null: fail instead). */
  fallback?: ModelArg | null
  nPaths?: number
  seed?: number
  /** Convergence tolerance of parameter optimisation (default 1e-8). */
  tolerance?: number
  /** Iteration limit of parameter optimisation (default 200; ETS and Theta use at least 1000). */
  maxIterations?: number
  /**
   * Future regressor values for models that use them (ARIMA, AutoARIMA): rows for
   * the `h` periods after each series' last `ds`. A missing row or column, or an
   * unknown regressor, rejects with INVALID_INPUT naming it.
   */
  X_df?: FutureRegressors
}

/** Long forecast columns: `unique_id`, `ds`, then `Model`, `Model-lo-80`, `Model-hi-80`, `Model-q-0.9`, ... */
export type ForecastFrame = { unique_id: string[]; ds: Array<number | Date> } & { [column: string]: Float64Array | string[] | Array<number | Date> } & {
  /** Series on which the fallback model was used (not enumerable). */
  readonly fallbacks: Array<{ id: string; model: string; reason: string }>
  /** Global models (GBDT): feature → share of the total gain (not enumerable). */
  readonly importance: { [model: string]: { [feature: string]: number } }
}

export declare const MODEL_NAMES: ModelName[]
export declare const METRICS: string[]

/** Forecasts every series with every model (off the main thread). */
export declare function forecast(data: LongData, h: number, models: ModelArg | ModelArg[], options?: ForecastOptions): Promise<ForecastFrame>
/** Distribution of total demand over the next `h` periods per series: `mean` and `q-<q>` columns. */
export declare function leadTimeDemand(
  data: LongData,
  h: number,
  model: ModelArg,
  options?: ForecastOptions & { quantiles?: number[] },
): Promise<{ unique_id: string[] } & { [column: string]: Float64Array | string[] }>
/**
 * MSTL's decomposition per series: `unique_id`, `ds`, `y`, `trend`, `seasonal<p>` per
 * period (e.g. `seasonal7`) and `remainder` (Float64Array); y = trend + Σ seasonal + remainder.
 */
export declare function mstlDecomposition(
  data: LongData,
  seasonLength: number | number[],
  options?: { missing?: 'error' | 'drop' | 'interpolate' | 'zero' },
): { unique_id: string[]; ds: Array<number | Date>; y: Array<number | null>; trend: Float64Array; remainder: Float64Array } & { [seasonal: string]: Float64Array | unknown[] }
/** A closed-form inventory formula and its parameters (docs/policy.md, "Textbook formulas"). */
export type Formula =
  | { formula: 'eoq'; fixed_cost: number; holding_cost: number; demand_rate: number }
  | { formula: 'eoq_backorders'; fixed_cost: number; holding_cost: number; stockout_cost: number; demand_rate: number }
  | {
      formula: 'eoq_quantity_discount'
      fixed_cost: number
      holding_rate: number
      demand_rate: number
      breaks: Array<{ min_quantity: number; unit_cost: number }>
    }
  | { formula: 'newsvendor_normal'; holding_cost: number; stockout_cost: number; mean: number; sd: number }
  | { formula: 'newsvendor_poisson'; holding_cost: number; stockout_cost: number; mean: number }
  | { formula: 'normal_loss'; z: number }
  | { formula: 'normal_loss_inverse'; loss: number }
  | { formula: 'sq_fill_rate'; lead_time_mean: number; lead_time_sd: number; order_quantity: number; fill_rate: number }
  | { formula: 'ss_power_approximation'; holding_cost: number; stockout_cost: number; fixed_cost: number; mean: number; sd: number }
  | {
      formula: 'rq_normal'
      holding_cost: number
      stockout_cost: number
      fixed_cost: number
      demand_rate: number
      demand_sd: number
      lead_time: number
      reorder_point?: number
      order_quantity?: number
    }
  | {
      formula: 'rq_poisson'
      holding_cost: number
      stockout_cost: number
      fixed_cost: number
      demand_rate: number
      lead_time: number
      reorder_point?: number
      order_quantity?: number
    }
  | {
      formula: 'ss_discrete'
      holding_cost: number
      stockout_cost: number
      fixed_cost: number
      /** Poisson demand per period with this mean, or */
      mean?: number
      /** P(D = 0), P(D = 1), … */
      pmf?: number[]
      reorder_point?: number
      order_up_to?: number
    }
  | { formula: 'epq'; fixed_cost: number; holding_cost: number; demand_rate: number; production_rate: number; order_quantity?: number }
  | {
      formula: 'eoq_incremental_discount'
      fixed_cost: number
      holding_rate: number
      demand_rate: number
      breaks: Array<{ min_quantity: number; unit_cost: number }>
    }
  | { formula: 'wagner_whitin'; fixed_cost: number; holding_cost: number; demand: number[]; purchase_cost?: number[] }
/**
 * Evaluates a formula: `eoq` → `{ quantity, cost }`, `eoq_quantity_discount` → `{ quantity,
 * unit_cost, cost }`, `eoq_backorders` → `{ quantity,
 * stockout_fraction, max_backorder, cost }`, newsvendors → `{ quantity, critical_ratio, cost }`,
 * `normal_loss(_inverse)` → `{ value }`, `sq_fill_rate` → `{ reorder_point, safety_factor,
 * safety_stock }`, `ss_power_approximation` → `{ reorder_point, order_up_to }`; the exact
 * models (docs/policy.md, "Exact cost models"): `rq_normal`, `rq_poisson` → `{ reorder_point,
 * order_quantity, cost }`, `ss_discrete` → `{ reorder_point, order_up_to, cost }`, `epq` →
 * `{ quantity, cost, max_inventory }`, `eoq_incremental_discount` → `{ quantity, region,
 * average_unit_cost, cost }`, `wagner_whitin` → `{ order_quantities, cost }`.
 */
export declare function formula(request: Formula & { formula: 'wagner_whitin' }): { order_quantities: number[]; cost: number }
export declare function formula(request: Formula): Record<string, number>
/** ABC (by value) and XYZ (by variability) class per series (docs/policy.md, "ABC/XYZ classes"). */
export declare function abcXyz(
  data: LongData,
  unitValue?: number | Record<string, number>,
  options?: { a?: number; b?: number; x?: number; y?: number; bucketDays?: number },
): Array<{ unique_id: string; value: number; share: number; cumulative_share_before: number; abc: 'A' | 'B' | 'C'; cv: number | null; xyz: 'X' | 'Y' | 'Z' }>
/** A reorder rule for `simulate`. */
export type SimPolicy =
  | { policy: 's_q'; s: number; q: number }
  | { policy: 's_s'; s: number; big_s: number }
  | { policy: 'r_s'; review_days: number; big_s: number }
  | { policy: 'r_s_s'; review_days: number; s: number; big_s: number }
export interface SimConfig {
  lead_time_days?: number
  lead_time_std_days?: number
  shortage?: 'backorder' | 'lost_sales'
  initial_on_hand?: number | null
  moq?: number
  pack_size?: number
  max_order?: number | null
  /** Positions 0..6 in a week counted from the first day; empty: every day. */
  order_days?: number[]
  holding_cost?: number
  ordering_cost?: number
  shortage_cost?: number
  warmup_days?: number
  seed?: number
  /** Days of the demand path in a promotion: the report's service on promotion cycles and days. */
  promotion_days?: boolean[]
}
/** Simulates a reorder policy day by day over a demand path (docs/policy.md, "Simulation"). */
export declare function simulate(demand: ArrayLike<number>, policy: SimPolicy, config?: SimConfig): SimReport
/** Simulated future paths of one model per series: `unique_id`, `path`, `ds`, `y` (Float64Array). */
export declare function samplePaths(
  data: LongData,
  h: number,
  model: ModelArg,
  options?: ForecastOptions,
): Promise<{ unique_id: string[]; path: number[]; ds: Array<number | Date>; y: Float64Array }>
/** Occurrences of holidays and events: `date` and `name`, optional `location` and days `before`/`after`. */
export interface EventTable {
  date: ArrayLike<Date | string>
  name: ArrayLike<string>
  location?: ArrayLike<string | null>
  before?: ArrayLike<number>
  after?: ArrayLike<number>
}
/** Adds one 0/1 column (Float64Array) per event name to long columns with Date `ds` (the history or `X_df`). */
export declare function eventFeatures<T extends { ds?: ArrayLike<number | Date> }>(
  data: T,
  events: EventTable,
  options?: { locationCol?: string },
): T & { [event: string]: Float64Array }
/** Syntetos–Boylan demand class per series. */
export declare function classify(data: LongData): Array<{ unique_id: string; adi: number; cv2: number; demand_class: 'smooth' | 'intermittent' | 'erratic' | 'lumpy' | 'no_demand' }>

export interface MetricOptions {
  insample?: ArrayLike<number>
  m?: number
  q?: number
  hi?: ArrayLike<number>
}
type Num = ArrayLike<number>
/** One accuracy metric by name (see METRICS). */
export declare function metric(name: string, y: Num, f: Num, options?: MetricOptions): number
export declare function mae(y: Num, f: Num): number
export declare function rmse(y: Num, f: Num): number
export declare function mape(y: Num, f: Num): number
export declare function smape(y: Num, f: Num): number
export declare function wape(y: Num, f: Num): number
export declare function bias(y: Num, f: Num): number
export declare function mase(y: Num, f: Num, insample: Num, m?: number): number
export declare function rmsse(y: Num, f: Num, insample: Num, m?: number): number
export declare function pinball(y: Num, fq: Num, q: number): number
export declare function scaledPinball(y: Num, fq: Num, q: number, insample: Num, m?: number): number
export declare function coverage(y: Num, lo: Num, hi: Num): number

export interface CvOptions extends ForecastOptions {
  nWindows?: number
  /** Periods between cutoffs (default h). */
  stepSize?: number
  /** false: fit on the first window, reuse the estimated parameters later. */
  refit?: boolean
}
/** Cross-validation columns: `unique_id`, `ds`, `cutoff`, `y` (Float64Array) and the forecast columns. */
export type CvFrame = ForecastFrame & { cutoff: Array<number | Date>; y: Float64Array }
export declare function crossValidation(data: LongData, h: number, models: ModelArg | ModelArg[], options?: CvOptions): Promise<CvFrame>
/** Scores of a crossValidation() result: `{ unique_id, metric, <model>: value }` rows. */
export declare function evaluate(
  cv: CvFrame,
  data: LongData,
  metrics?: string[],
  options?: { seasonLength?: number; agg?: boolean },
): Array<{ unique_id: string | null; metric: string } & { [model: string]: number | string | null }>

/** Checks a rule set (TOML text, a `.toml` path or an object); throws `RuleError` on a wrong expression. */
export declare function rules(spec: string | RuleSet): RuleSet
/** Shifts a policy's levels by simulation until it reaches the target. */
export declare function tune(
  demand: ArrayLike<number>,
  policy: SimPolicy,
  target: { cycle_service_level: number } | { fill_rate: number },
  config?: SimConfig
): { offset: number; policy: SimPolicy; report: SimReport }
/** A parametric lead-time demand distribution with random lead times. */
export declare function leadTimeDemandDistribution(request: {
  family: 'normal' | 'poisson' | 'negative_binomial' | 'gamma'
  daily_mean: number
  daily_sd?: number
  lead_time_days: number
  lead_time_std_days?: number
  review_period_days?: number
  quantiles?: number[]
  at?: number[]
  fill_rate?: number
}): LtdSummary
/** Demand over lead time + review by the plan's default `errors` method: today's
 * level of a local-level forecast plus that forecast's errors over the same interval
 * from every past origin of the last 364 days (a negative binomial on their moments).
 * `history`: daily demand, oldest first; null or NaN for a day not seen. */
export declare function leadTimeDemandErrors(request: {
  history: ArrayLike<number | null>
  lead_time_days: number
  lead_time_std_days?: number
  review_period_days?: number
  n_paths?: number
  seed?: number
  quantiles?: number[]
  at?: number[]
  fill_rate?: number
  /** A seasonal profile's factor per history day: the history is divided by it. */
  profile_history?: ArrayLike<number>
  /** The profile's factor per day from tomorrow (1 past the end): each path is multiplied by its mean. */
  profile_ahead?: ArrayLike<number>
}): LtdErrorsSummary
/** The calibration experiment: plan vs classic formula on synthetic demand classes. */
export declare function calibrate(config?: {
  classes?: Array<'smooth' | 'intermittent' | 'lumpy'>
  targets?: number[]
  series_per_class?: number
  history_days?: number
  test_days?: number
  lead_time_days?: number
  lead_time_std_days?: number
  review_days?: number
  policy?: PolicyKind
  n_paths?: number
  seed?: number
}): Promise<CalibrationRow[]>
/** Plans as of `days` before the history ends and simulates the plan's policies over the rest. */
export declare function backtest(
  dataset: Dataset,
  days?: number,
  options?: { lostSales?: boolean; replan?: boolean; textbookWindowDays?: number; config?: PlanConfig; rules?: string | RuleSet }
): Promise<Backtest>

/** Checks an approval configuration (TOML text, a `.toml` path or an object). */
export declare function approvalConfig(spec: string | ApprovalConfig): ApprovalConfig
/** What approval rules see of a PO. */
export declare function poFacts(
  po: Record<string, unknown>,
  flags?: { supplierNew?: boolean; supplierOnWatch?: boolean; overBudget?: boolean }
): PoFacts
/** A draft approval state for a PO (a `plan().purchase_orders` entry or `PoFacts`). */
export declare function approvalNew(
  po: PoFacts | Record<string, unknown>,
  flags?: { supplierNew?: boolean; supplierOnWatch?: boolean; overBudget?: boolean }
): ApprovalState
/** Applies one event; throws `WorkflowError` when it is refused. */
export declare function approvalApply(config: ApprovalConfig, state: ApprovalState, event: ApprovalEvent): ApprovalState
/** The first problem of an audit log, or null when it is intact. */
export declare function verifyAudit(audit: AuditRecord[], head?: string | null): { index: number; message: string } | null
/** Each purchase order of a plan as a UBL 2.1 Order XML document, by PO number. */
export declare function ublOrders(
  plan: Plan,
  options?: { buyer_id?: string; buyer_name?: string; customization_id?: string | null; unit_code?: string }
): Record<string, string>
/** The KPI report of a plan and its dataset (docs/reports.md). */
export declare function kpis(
  plan: Plan,
  dataset: Dataset,
  options?: { window_days?: number; dead_stock_days?: number; period?: 'week' | 'month' }
): KpiReport
/** Supplier lead-time reliability (receipts) and on-time-in-full (tracked POs due by `asOf`). */
export declare function supplierKpis(
  dataset: Dataset,
  states: PoTracking[],
  options: { asOf: Date | string; receipts?: Array<{ supplier_id: string; sku: string; order_date: Date | string; received_date: Date | string }> }
): SupplierKpi[]
/** Alerts counted by kind. */
export declare function alertCounts(alerts: PoAlert[]): AlertCount[]
/** Forecast accuracy over time of `model` (default SeasonalNaive) on the dataset's demand, per origin. */
export declare function forecastAccuracy(dataset: Dataset, model?: ModelArg, options?: AccuracyOptions & LongCallOptions): Promise<AccuracyPeriod[]>
/** The data behind the HTML report of a plan and its dataset. */
export declare function report(plan: Plan, dataset: Dataset, options?: ReportOptions & LongCallOptions): Promise<ReportData>
/** The self-contained HTML report page (no script, nothing fetched) of a plan and its dataset. */
export declare function htmlReport(plan: Plan, dataset: Dataset, options?: ReportOptions & LongCallOptions): Promise<string>
/** The HTML page of report data. */
export declare function renderReport(data: ReportData): string
/** The demo plan's POs after the demo's week of approval and tracking events, and the date of the last event. */
export declare function demoTracked(plan: Plan): { tracked: PoTracking[]; asOf: string }
/** Draft tracking states for a plan's purchase orders; tolerance as fractions of the ordered quantity. */
export declare function trackOrders(orders: Plan | PurchaseOrder[], tolerance?: { under?: number; over?: number }): PoTracking[]
/** Applies events to tracking states under an approval configuration; refused events change nothing. */
export declare function applyEvents(
  config: string | ApprovalConfig,
  states: PoTracking[],
  events: PoEvent[]
): { states: PoTracking[]; refused: Refusal[] }
/** Alerts on a date, largest projected lost sales first. */
export declare function poAlerts(
  states: PoTracking[],
  stock: StockOutlook[],
  asOf: Date | string,
  options?: { acknowledgement_days?: number; grace_days?: number }
): PoAlert[]
/** A supplier's UBL OrderResponse (acknowledge) or DespatchAdvice (ship) as an event. */
export declare function importUbl(xml: string): PoEvent
/** The first problem of a tracking state's history, or null when it is intact. */
export declare function verifyHistory(state: PoTracking): { index: number; message: string } | null
/** Each PO of a plan as an e-mail message (MIME text) by PO number. */
export declare function poEmails(plan: Plan, dataset: Dataset, options: EmailOptions): Record<string, string>
/** The open-order lines of tracking states, for the next plan. */
export declare function trackedOpenOrders(states: PoTracking[]): OpenOrderLine[]
/** The goods receipts of tracking states, for `learnLeadTimes`. */
export declare function trackedReceipts(states: PoTracking[]): Array<{ supplier_id: string; sku: string; order_date: string; received_date: string }>
/** Stock, demand and open orders per SKU-location on the plan date, for `poAlerts`. */
export declare function stockOutlook(plan: Plan, dataset: Dataset): StockOutlook[]
/** A plan's purchase orders as open-order lines (re-planning with them orders nothing twice). */
export declare function asOpenOrders(plan: Plan): OpenOrderLine[]
/** Lead times learnt from receipts against a dataset's supply terms. */
export declare function learnLeadTimes(
  dataset: Dataset,
  receipts: Array<{ supplier_id: string; sku: string; order_date: Date | string; received_date: Date | string }>,
  options?: { prior_weight?: number; half_life?: number | null }
): LeadTimeEstimate[]
