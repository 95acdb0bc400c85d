// Data types of replenish, as the Rust core serialises them (snake_case fields).
// Kept in step with the core by test/types.test.js, which compares these field
// lists with real objects.

export type TableName =
  | 'items'
  | 'suppliers'
  | 'sales'
  | 'inventory'
  | 'open_orders'
  | 'stockouts'
  | 'stock_history'
  | 'promotions'
  | 'events'
  | 'prices'
  | 'weather'
  | 'receipts'

export type ProblemKind =
  | 'missing_file' | 'empty_file' | 'invalid_encoding' | 'missing_column' | 'duplicate_column'
  | 'malformed_row' | 'missing_value' | 'invalid_number' | 'invalid_date' | 'out_of_range'
  | 'invalid_value' | 'unknown_reference' | 'duplicate_key' | 'inconsistent'

/** One problem in the input, located by file, row (1-based line, header = 1) and column. */
export interface Problem {
  file: string
  row: number | null
  column: string | null
  kind: ProblemKind
  message: string
}

export interface ColumnMapping {
  /** Column name in the file → canonical name. */
  rename?: Record<string, string>
  /** chrono format of dates, e.g. `%d.%m.%Y`; default ISO. */
  date_format?: string | null
  decimal_separator?: string
  thousands_separator?: string | null
  delimiter?: string
}

export interface IngestOptions {
  tables?: Partial<Record<TableName, ColumnMapping>>
  /** `exclude` (default): returns are not demand; `net_same_day`: netted against the day's sales. */
  returns?: 'exclude' | 'net_same_day'
  /** The tables are one part of a plan in parts: sales, inventory and suppliers may have no rows. */
  part?: boolean
  /** Daily lines or weekly / monthly totals; `auto` (default) infers it from the dates. */
  frequency?: Frequency
  /** The day of its period a weekly or monthly line is dated by (default `start`). */
  period_dates?: 'start' | 'end'
}

export type Frequency = 'auto' | 'daily' | 'weekly' | 'monthly'

/** What one part of a plan in parts tells the merge (`planStats`). */
export interface PlanStats {
  as_of: string | null
  history_end: string | null
  values: Array<{ sku: string; location: string; value: number }>
  promotion_uplifts: Array<{ category: string; uplift: number }>
  event_uplifts: Array<{ category: string | null; event: string; uplift: number }>
  /** Out-of-sample coverage values of the `errors` method by demand class (docs/policy.md). */
  coverage: Coverage
  /** This part's sales by period of the year, for the seasonal profile (docs/policy.md). */
  season: SeasonCounts
}

/** Sales by period of the year (ISO week 1..52, or month 1..12 when `monthly`): thousandths of a unit, days seen, years seen. */
export interface SeasonCounts {
  monthly: boolean
  periods: Record<string, { milli: number; days: number; years: number[] }>
}

/** Out-of-sample coverage values by demand class, counted in bins of −ln(1 − u) 0.01 wide. */
export interface Coverage {
  classes: Record<string, { bins: Record<string, number> }>
  /**
   * Fill-rate targets only: per demand class, the thousandths of a unit the past cycles went short with
   * levels read at each probability of the replay's grid (1 − e^(−0.05·k), k = 1..184), their demand
   * and how many cycles (absent when no line has a fill-rate target).
   */
  fill?: Record<string, { short: number[]; demand: number; cycles: number }>
}

/** What the assortment as a whole decides, merged from every part (`mergePlanStats`). */
export interface PlanGlobals {
  as_of: string
  history_end: string | null
  /** ABC class by SKU, then location. */
  abc: Record<string, Record<string, 'A' | 'B' | 'C'>>
  promotion_uplifts: Record<string, number>
  event_category_uplifts: Record<string, Record<string, number>>
  event_uplifts: Record<string, number>
  /** The parts' coverage values, merged: what corrects cycle-service and fill-rate targets. */
  coverage: Coverage
  /** The parts' sales by period of the year, merged: the seasonal profile. */
  season: SeasonCounts
}

/** A forecasting model with its parameters (names follow statsforecast). */
export type ModelConfig =
  | { model: 'Naive' | 'HistoricAverage' | 'RandomWalkWithDrift' | 'CrostonClassic' | 'CrostonOptimized' | 'CrostonSBA' | 'ADIDA' | 'IMAPA' }
  | { model: 'SeasonalNaive'; season_length: number }
  | { model: 'WindowAverage'; window: number }
  | { model: 'SeasonalWindowAverage'; season_length: number; window: number }
  | { model: 'TSB'; alpha_d?: number | null; alpha_p?: number | null }
  | { model: 'Theta' | 'OptimizedTheta' | 'DynamicTheta' | 'DynamicOptimizedTheta' | 'AutoTheta'; season_length: number }
  | { model: 'AutoSelect'; season_length: number; candidates?: ModelConfig[] | null; holdout?: number | null; windows?: number | null }
  | { model: 'Ensemble'; models: ModelConfig[]; combine?: 'mean' | 'median' }
  | { model: 'AutoETS'; season_length: number }
  | { model: 'AutoARIMA'; season_length: number }
  | { model: 'ETS'; season_length: number; spec: string }
  | { model: 'SES' | 'Holt' | 'HoltDamped' }
  | { model: 'HoltWinters'; season_length: number; multiplicative?: boolean }
  | {
      model: 'ARIMA'
      /** (p, d, q); default (0, 0, 0). */
      order?: [number, number, number]
      season_length?: number
      /** (P, D, Q) at lag season_length; default (0, 0, 0). */
      seasonal_order?: [number, number, number]
      /** A mean when the series is not differenced (default true). */
      include_mean?: boolean
      /** A drift when it is differenced once (default false). */
      include_drift?: boolean
    }
  | {
      /** Several seasonal periods by MSTL, e.g. [7, 365.25]; the adjusted series by `trend_forecaster` (default AutoETS). */
      model: 'MSTL'
      season_length: number[]
      trend_forecaster?: ModelConfig | null
    }
  | {
      /** A global gradient-boosted-trees model across all series (lags, rolling means, calendar, regressors). */
      model: 'GBDT'
      season_length?: number
      /** Target lags; empty: 1, 2, 3 and 1–4 seasons. */
      lags?: number[]
      /** Rolling-mean windows; empty: one and four seasons. */
      rolling_means?: number[]
      strategy?: 'recursive' | 'direct'
      calendar?: boolean
      scale?: boolean
      n_estimators?: number
      learning_rate?: number
      num_leaves?: number
      min_data_in_leaf?: number
      lambda?: number
      subsample?: number
      colsample?: number
      /** Most histogram bins per feature (default 255, as LightGBM). */
      max_bin?: number
      seed?: number
    }

export interface PlanConfig {
  /** Planning date `YYYY-MM-DD`; default: the inventory snapshot's date. */
  as_of?: string | null
  service_level?: number
  category_service_levels?: Record<string, number>
  review_period_days?: number
  forecast?: ModelConfig
  /** Cost of one order line; with it the (R,s,S), (s,S) and (s,Q) cycle is at least the EOQ. Default: none, no EOQ. */
  ordering_cost?: number | null
  holding_rate?: number
  po_prefix?: string
  /** How lead-time demand is modelled (also accepted under the old name `safety_stock`). */
  lead_time_demand?: LtdMethod
  safety_stock?: LtdMethod
  n_paths?: number
  /** Read cycle-service levels where the assortment's own out-of-sample coverage says, and fill-rate levels where its levels served the target's share of past demand (order-up-to policies; reorder-point policies meet it on the distribution as that coverage fell) (default true; docs/policy.md). */
  correct_service?: boolean
  /** Read the errors method's days through each series' seasonal profile (its own ratios shrunk towards the assortment's; week of the year, month for monthly data) when every period was seen in two years (default true; docs/policy.md). */
  seasonal_profile?: boolean
  /**
   * A plan in parts: the whole assortment's seasonal counts (`seasonCountsToShare`), given to
   * every part's `planStats` so its coverage is measured with the whole assortment's profile.
   */
  season_counts?: SeasonCounts | null
  seed?: number
  policy?: PolicyKind
  target?: TargetKind
  fill_rate?: number
  shortage_cost?: number | null
  lost_sales?: boolean
  /** Segments and per-SKU overrides (see `rules()` and docs/policy.md). */
  rules?: RuleSet
  /** Spending caps; lines over them are deferred by priority (docs/purchase-orders.md). */
  budgets?: Budget[]
  /** Time of day (`HH:MM:SS`) the orders go out: after a supplier's cut-off they go on its next order day. */
  order_time?: string | null
}

/** A spending cap: a supplier's, a category's or all lines of one currency, optionally for a period. */
export interface Budget {
  name: string
  supplier?: string | null
  category?: string | null
  currency: string
  amount: number
  /** First and last order date covered (`YYYY-MM-DD`). */
  from?: string | null
  until?: string | null
  /** Already committed in the period. */
  spent?: number
}

/** An order line a budget or a supplier's minimum order deferred. */
export interface Deferral {
  sku: string
  location: string
  /** The budget's name (empty for a supplier minimum). */
  budget: string
  cause: 'budget' | 'minimum_order'
  order_quantity: number
  order_value: number
  days_of_supply: number | null
  service_level: number
  reason: string
}

export type LtdMethod = 'auto' | 'errors' | 'distribution' | 'bootstrap' | 'normal' | 'poisson' | 'negative_binomial' | 'gamma'
export type PolicyKind = 'r_s_s' | 'r_s' | 's_q' | 's_s' | 'min_max' | 'base_stock' | 'newsvendor'
export type TargetKind = 'cycle_service_level' | 'fill_rate' | 'min_cost'

/** What a rule or override may set. */
export interface RuleSettings {
  policy?: PolicyKind
  target?: TargetKind
  service_level?: number
  fill_rate?: number
  shortage_cost?: number
  lost_sales?: boolean
  review_period_days?: number
  forecast?: ModelConfig
  lead_time_demand?: LtdMethod
  ordering_cost?: number
  holding_rate?: number
  safety_stock_min_units?: number
  safety_stock_max_units?: number
  safety_stock_min_days?: number
  safety_stock_max_days?: number
  max_stock_units?: number
  max_stock_days?: number
  shelf_life_days?: number
  max_order?: number
  min_days_of_cover?: number
  max_days_of_cover?: number
  /** Trigger expression, e.g. `forecast_over_lead_time > on_hand + on_order`. */
  order_when?: string
}

export interface RuleSet {
  rules?: Array<{ name: string; when?: string | null; priority?: number; set?: RuleSettings }>
  overrides?: Array<{ sku: string; location?: string | null; reason?: string | null; set?: RuleSettings }>
}

export interface LtdSummary {
  mean: number
  variance: number
  quantiles: number[]
  cdf: number[]
  loss: number[]
  order_up_to_for_fill_rate: number | null
}

/** What `leadTimeDemandErrors` returns: the distribution's summary and what the
 * method measured (the chosen smoothing weight, today's level, past origins). */
export interface LtdErrorsSummary extends LtdSummary {
  smoothing_weight: number
  level: number
  origins: number
}

export interface CalibrationRow {
  class: 'smooth' | 'intermittent' | 'lumpy'
  target: number
  plan_csl: number
  plan_fill_rate: number
  plan_average_on_hand: number
  classic_csl: number
  classic_fill_rate: number
  classic_average_on_hand: number
  classic_tuned_z: number
  classic_tuned_average_on_hand: number
  method: string
  cycles: number
}

export interface BacktestKpis {
  group: string
  lines: number
  target_service_level: number
  cycle_service_level: number | null
  /** The cycle service the plans' whole levels were expected to give (above the target where one unit is a large step). */
  expected_cycle_service_level: number | null
  fill_rate: number
  stockout_day_share: number
  average_on_hand_units: number
  average_stock_value: number
  orders: number
  total_cost: number
  /** The textbook rule s = d̄·P + z·σ_d·√P at the target, on the same replay. */
  textbook_cycle_service_level: number | null
  textbook_fill_rate: number
  textbook_average_on_hand_units: number
  /** The textbook safety factor that reaches the plan's achieved cycle service level, and its stock then. */
  textbook_z_at_plan_service: number | null
  textbook_on_hand_at_plan_service: number | null
  /** The plan's stock over the textbook rule's at equal service (≤ 1: no more stock). */
  stock_ratio_at_equal_service: number | null
  /** Cycles holding a promotion day, the plan's and the textbook rule's cycle service on them, the plan's fill rate on promotion days. */
  promotion_cycles: number
  promotion_cycle_service_level: number | null
  promotion_fill_rate: number | null
  textbook_promotion_cycle_service_level: number | null
}

export interface Backtest {
  as_of: string
  end: string
  days: number
  /** Whether the plan was run again at every review. */
  replan: boolean
  /** Plans run over the replay. */
  plans: number
  lines: Array<{ sku: string; location: string; policy: string; demand_class: string; abc: string; target_service_level: number; unit_cost: number; plans: number; expected_service_level: number; report: SimReport; textbook: SimReport }>
  kpis: BacktestKpis[]
}

export interface FileReport {
  file: string
  rows_read: number
  rows_accepted: number
  rows_rejected: number
  problems: number
}

export interface QualityReport {
  files: FileReport[]
  items: number
  locations: number
  suppliers: number
  series: number
  demand_days: number
  sales_lines: number
  return_lines: number
  returned_units: number
  stockout_days: number
  history_start: string | null
  history_end: string | null
  notes: string[]
  /** The frequency the sales were read at (declared or inferred). */
  frequency: Frequency
}

export type LineAction = 'order' | 'no_order' | 'no_supplier' | 'deferred'

/** One SKU-location of the plan with every number behind the decision. */
export interface PlanLine {
  sku: string
  location: string
  item_name: string
  category: string
  supplier_id: string | null
  action: LineAction
  forecast_model: string
  history_days: number
  censored_days: number
  mean_daily_demand: number
  sigma_daily_demand: number
  lead_time_days: number
  lead_time_std_days: number
  review_period_days: number
  protection_days: number
  demand_over_protection: number
  service_level: number
  /** The cycle service the reorder level (in whole units) is expected to give: the share of the assortment's past intervals a level at its probability covered, or the distribution's own probability. */
  expected_service_level: number
  service_level_source: string
  safety_stock_method: string
  z: number
  safety_stock: number
  reorder_point: number
  /** Economic order quantity; `null` without an ordering cost (the default). */
  eoq: number | null
  cycle_quantity: number
  order_up_to: number
  on_hand: number
  on_order: number
  backorders: number
  reserved: number
  inventory_position: number
  below_reorder_point: boolean
  days_of_supply: number | null
  net_requirement: number
  /** Quantity per PO line (several when above the supplier's maximum per line). */
  order_lines: number[]
  order_quantity: number
  rounding: string[]
  moq: number
  pack_size: number
  max_order: number | null
  /** The most this line may order under its caps (maximum stock, shelf life, a rule's maximum). */
  max_quantity: number | null
  unit_cost: number
  currency: string
  order_value: number
  order_date: string | null
  expected_delivery: string | null
  po_number: string | null
  explanation: string
  policy: PolicyKind
  target: TargetKind | 'newsvendor'
  fill_rate_target: number | null
  demand_class: string
  abc: string
  xyz: string
  segments: string[]
  /** Per parameter, what set it: `config`, `category:<name>`, `supplier terms`, `rule:<name>`, `override:<sku>[@<location>]`. */
  parameter_sources: Record<string, string>
  trigger: string
  adjustments: string[]
  /** Planned promotion days within the protection days. */
  promotion_days: number
  /** Demand multiplier on those days, learnt from past promotions. */
  promotion_uplift: number | null
  /** `sku` or `category:<name>`. */
  promotion_uplift_source: string
  /** Expected extra demand from the planned promotion days. */
  promotion_extra_demand: number
  /** Planned event days (holidays, events) within the protection days. */
  event_days: number
  /** The events in the protection days and the uplift applied for each. */
  events: EventUplift[]
  /** Expected extra demand from the planned event days. */
  event_extra_demand: number
}

export interface EventUplift {
  name: string
  /** Its first day in the protection days, `YYYY-MM-DD`. */
  first_day: string
  days: number
  /** Demand multiplier learnt from its past days; null: none to learn from. */
  uplift: number | null
  /** `sku`, `category:<name>` or `all`. */
  source: string
}

/** A dataset's demand history and drivers as a forecasting panel (`Dataset.drivers`). */
export interface DriverPanel {
  ids: string[]
  offsets: number[]
  /** Daily demand; stock-out days are null. */
  values: Array<number | null>
  regressors: { names: string[]; history: number[][]; future: number[][] } | null
  times: { unit: 'milliseconds'; history: number[]; future: number[] }
}

export interface PoLine {
  line: number
  sku: string
  item_name: string
  quantity: number
  pack_size: number
  unit_cost: number
  line_value: number
  expected_delivery: string | null
}

export type PoStatus =
  | 'draft' | 'pending_approval' | 'approved' | 'sent' | 'acknowledged' | 'shipped' | 'partially_received' | 'received' | 'closed' | 'cancelled'

export interface PurchaseOrder {
  po_number: string
  supplier_id: string
  supplier_name: string
  location: string
  order_date: string
  expected_delivery: string | null
  currency: string
  status: PoStatus
  lines: PoLine[]
  total_quantity: number
  total_value: number
  /** Truck or container load, for suppliers with a capacity. */
  load: TruckLoad | null
}

export interface TruckLoad {
  volume: number | null
  weight: number | null
  pallets: number | null
  trucks: number
  /** Use of the trucks' capacity in the binding dimension, 0..1. */
  fill: number
  binding: 'volume' | 'weight' | 'pallets'
  /** SKUs without the measure a capacity needs. */
  unmeasured: string[]
}

/** What supplier minimums and truck fill changed. */
export interface SupplierAdjustment {
  supplier_id: string
  location: string
  order_date: string
  kind: 'min_order_top_up' | 'min_order_deferred' | 'min_order_unmet' | 'truck_top_up'
  message: string
}

export interface PlanSummary {
  as_of: string
  sku_locations: number
  skus: number
  below_reorder_point: number
  out_of_stock: number
  no_supplier: number
  order_lines: number
  purchase_orders: number
  suppliers_ordered: number
  order_units: number
  order_value: Record<string, number>
  /** Lines with planned promotion days in their protection interval, and the extra demand. */
  promotion_lines: number
  promotion_extra_demand: number
  /** Lines with planned events (holidays) in their protection interval, and the extra demand. */
  event_lines: number
  event_extra_demand: number
}

export interface Plan {
  as_of: string
  lines: PlanLine[]
  purchase_orders: PurchaseOrder[]
  summary: PlanSummary
  warnings: string[]
  /** Order lines a budget or a supplier's minimum deferred. */
  deferred: Deferral[]
  supplier_adjustments: SupplierAdjustment[]
  /** The configuration the plan ran with (set by `plan()`, not serialised); its `forecast` is the report's model. */
  readonly config?: PlanConfig
}

export interface DemoOptions {
  seed?: number
  skus?: number
  locations?: number
  days?: number
}

/** What a policy simulation saw (after the warm-up days). */
export interface SimReport {
  days: number
  demand: number
  fill_rate: number
  cycle_service_level: number | null
  cycles: number
  stockout_days: number
  average_on_hand: number
  peak_on_hand: number
  orders: number
  units_ordered: number
  units_short: number
  holding_cost: number
  ordering_cost: number
  shortage_cost: number
  total_cost: number
  /** Cycles holding a day flagged in `promotion_days`, the share without a shortage, and demand and fill rate on those days. */
  promotion_cycles: number
  promotion_cycle_service_level: number | null
  promotion_demand: number
  promotion_fill_rate: number | null
}

/** The approval configuration (docs/workflow.md). */
export interface ApprovalConfig {
  /** Actor → roles. */
  actors?: Record<string, string[]>
  rules?: Array<{
    name: string
    when?: string | null
    steps: Array<{ name: string; roles: string[]; min_approvers?: number; deadline_hours?: number | null; escalate_to?: string[] }>
  }>
  auto_approve_when?: string | null
}

export interface PoFacts {
  po_number: string
  supplier: string
  location: string
  currency: string
  total_value: number
  total_quantity: number
  lines: number
  supplier_new?: boolean
  supplier_on_watch?: boolean
  over_budget?: boolean
}

export type ApprovalStatus = 'draft' | 'pending_approval' | 'changes_requested' | 'approved' | 'rejected'

/** A workflow event; `at` is a Date or a local ISO date-time and may not go back in time. */
export type ApprovalEvent =
  | { event: 'submit'; actor: string; at: Date | string }
  | { event: 'approve'; actor: string; at: Date | string; comment?: string }
  | { event: 'reject'; actor: string; at: Date | string; reason: string }
  | { event: 'request_changes'; actor: string; at: Date | string; note: string }
  | { event: 'delegate'; actor: string; to: string; at: Date | string }
  | { event: 'escalate'; at: Date | string }

export interface AuditRecord {
  seq: number
  po_number: string
  event: ApprovalEvent
  status: ApprovalStatus
  prev_hash: string
  hash: string
}

export interface ApprovalState {
  po: PoFacts
  status: ApprovalStatus
  requester: string | null
  steps: Array<{
    spec: { name: string; roles: string[]; min_approvers: number; deadline_hours: number | null; escalate_to: string[] }
    rule: string
    started_at: string | null
    escalated: boolean
    approvals: Array<{ actor: string; role: string; at: string; on_behalf_of: string | null }>
    delegations: Array<[string, string]>
  }>
  current: number
  auto_approved_by: string | null
  audit: AuditRecord[]
  head_hash: string
}

/** A supplier-item lead time learnt from receipts (docs/purchase-orders.md). */
export interface LeadTimeEstimate {
  supplier_id: string
  sku: string
  receipts: number
  stated_mean_days: number | null
  stated_std_days: number | null
  mean_days: number
  std_days: number
}

/** An open purchase-order line (the `open_orders` table). */
export interface OpenOrderLine {
  po_number: string
  line: number
  supplier_id: string
  sku: string
  location: string
  status: PoStatus
  quantity_ordered: number
  quantity_received: number
  order_date: string
  expected_date: string | null
}

export interface LineQuantity {
  line: number
  quantity?: number | null
  date?: string | null
}

/** A tracking event; `at` is a Date or a local ISO date-time. */
export type TrackEvent =
  | { event: 'send'; at: Date | string; actor?: string | null }
  | { event: 'acknowledge'; at: Date | string; document_id?: string | null; lines?: LineQuantity[] }
  | { event: 'change'; at: Date | string; actor: string; lines: LineQuantity[] }
  | { event: 'ship'; at: Date | string; despatch_id?: string | null; expected_date?: string | null; lines: LineQuantity[] }
  | { event: 'receive'; at: Date | string; lines: LineQuantity[] }
  | { event: 'close'; at: Date | string; actor: string; reason?: string | null }
  | { event: 'cancel'; at: Date | string; actor: string; reason: string }

/** Any event of a PO, addressed by its number. */
export type PoEvent = { po_number: string } & (ApprovalEvent | TrackEvent)

export type LineStatus = 'open' | 'acknowledged' | 'shipped' | 'partially_received' | 'received' | 'closed' | 'cancelled'

export interface TrackedLine {
  line: number
  sku: string
  item_name: string
  ordered: number
  unit_cost: number
  requested_date: string | null
  confirmed_quantity: number | null
  confirmed_date: string | null
  shipped: number
  shipped_date: string | null
  received: number
  last_received: string | null
  status: LineStatus
}

export interface TrackRecord {
  seq: number
  po_number: string
  event: ApprovalEvent | TrackEvent
  status: PoStatus
  prev_hash: string
  hash: string
}

/** A PO's tracking state (docs/purchase-orders.md). */
export interface PoTracking {
  po_number: string
  supplier_id: string
  supplier_name: string
  location: string
  currency: string
  order_date: string
  status: PoStatus
  tolerance: { under: number; over: number }
  lines: TrackedLine[]
  approval: ApprovalState
  sent_at: string | null
  acknowledged_at: string | null
  reason: string | null
  history: TrackRecord[]
  head_hash: string
}

export interface Refusal {
  index: number
  po_number: string
  event: string
  kind: string
  message: string
}

export interface StockOutlook {
  sku: string
  location: string
  as_of: string
  available: number
  mean_daily_demand: number
  arrivals: Array<{ po_number: string; date: string | null; quantity: number }>
}

export type AlertKind = 'overdue' | 'at_risk' | 'short_confirmation' | 'late_confirmation' | 'no_acknowledgement'

export interface PoAlert {
  kind: AlertKind
  po_number: string
  supplier_id: string
  location: string
  lines: number[]
  skus: string[]
  expected_date: string | null
  days_late: number
  stockout_date: string | null
  projected_lost_sales: number
  message: string
}

export interface EmailOptions {
  /** Sender address. */
  from: string
  from_name?: string | null
  /** Recipient; default: the supplier's e-mail. */
  to?: string | null
  cc?: string[]
  reply_to?: string | null
  /** The message date (Date or `YYYY-MM-DD[THH:MM:SS]`, UTC). */
  date: Date | string
  ubl?: { buyer_id?: string; buyer_name?: string; customization_id?: string | null; unit_code?: string }
  attach_ubl?: boolean
  note?: string | null
  /** Leave out POs whose supplier has no e-mail instead of throwing. */
  skipMissing?: boolean
}

/** KPIs of one SKU-location over the window (docs/reports.md). */
export interface SkuKpi {
  sku: string
  location: string
  category: string
  supplier_id: string | null
  abc: string
  xyz: string
  days: number
  units_sold: number
  stockout_days: number
  lost_units: number
  fill_rate: number | null
  cycle_service_level: number | null
  cogs: number
  unit_cost: number
  on_hand: number
  inventory_value: number
  avg_inventory_value: number
  peak_inventory_value: number
  inventory_source: 'stock_history' | 'snapshot'
  turnover: number | null
  days_of_supply: number | null
  excess_units: number
  excess_value: number
  dead_units: number
  dead_value: number
  open_po_units: number
  open_po_value: number
  out_of_stock_now: boolean
}

export interface GroupKpi {
  group_by: 'category' | 'location' | 'supplier' | 'abc' | 'total'
  key: string
  sku_locations: number
  units_sold: number
  cogs: number
  inventory_value: number
  avg_inventory_value: number
  turnover: number | null
  days_of_supply: number | null
  stockout_rate: number | null
  stockout_sku_share: number | null
  out_of_stock_now: number
  fill_rate: number | null
  excess_value: number
  dead_value: number
  open_po_value: number
}

export interface PeriodKpi {
  period_start: string
  days: number
  units_sold: number
  lost_units: number
  fill_rate: number | null
  stockout_rate: number | null
  sku_locations_with_stockout: number
  avg_inventory_value: number | null
}

export interface KpiReport {
  window_start: string
  window_end: string
  lines: SkuKpi[]
  groups: GroupKpi[]
  periods: PeriodKpi[]
  abc_xyz: Array<{ abc: string; xyz: string; sku_locations: number; units_sold: number; cogs: number; inventory_value: number }>
}

export interface SupplierKpi {
  supplier_id: string
  receipts: number
  stated_lead_time_days: number | null
  actual_lead_time_days: number | null
  lead_time_std_days: number | null
  lead_time_bias_days: number | null
  on_time_rate: number | null
  within_one_day_rate: number | null
  lines_due: number
  in_full_rate: number | null
  otif_rate: number | null
}

export interface AlertCount {
  kind: AlertKind
  alerts: number
  pos: number
  projected_lost_sales: number
}

/** Forecast accuracy of one origin (docs/reports.md#forecast-accuracy-over-time-forecast_accuracy). */
export interface AccuracyPeriod {
  /** Last day the model saw. */
  cutoff: string
  series: number
  actual: number
  forecast: number
  /** Σ|actual − forecast| / Σ actual. */
  wape: number | null
  /** Mean over series of MAE / the in-sample seasonal-naive MAE. */
  mase: number | null
  /** Σ(forecast − actual) / Σ actual: positive is over-forecasting. */
  bias: number | null
}

export interface AccuracyOptions {
  /** Forecast origins, one every `h` days (default 8). */
  windows?: number
  /** Days forecast from each origin (default 7). */
  h?: number
  /** Season of the naive forecast that scales MASE (default 7). */
  season_length?: number
}

/** What the report shows: the `[report]` section of the CLI configuration (docs/configuration.md). */
export interface ReportOptions {
  title?: string
  kpi?: { window_days?: number; dead_stock_days?: number; period?: 'week' | 'month' }
  /** Forecast accuracy over time; `null` leaves it out. */
  accuracy?: AccuracyOptions | null
  /** The model of the charts and the accuracy; default the plan's `forecast`. */
  forecast?: ModelConfig
  /** SKU-locations to chart, as `SKU@LOCATION`, or `SKU` for all its locations. */
  series?: string[]
  top_series?: number
  history_days?: number
  backtest_days?: number
  horizon_days?: number
  /** Prediction-interval levels in percent. */
  levels?: number[]
  max_exceptions?: number
  alerts?: { acknowledgement_days?: number; grace_days?: number }
  /** Date of the tracking alerts and supplier OTIF; default the plan date. */
  as_of?: Date | string
  /** Purchase orders under tracking, for alerts and on-time-in-full. */
  tracked?: PoTracking[]
  /** A backtest of the plan (`backtest()`'s result) for the report's service table. */
  service?: Backtest | ServiceTable
}

/** What a report shows of a backtest: its span and the KPIs per demand class. */
export interface ServiceTable {
  as_of: string
  end: string
  days: number
  replan: boolean
  plans: number
  kpis: BacktestKpis[]
}

export interface DayValue {
  date: string
  value: number
  stockout?: boolean
}

/** Point forecasts with prediction intervals, one value per day from `start`; `lo[j]`, `hi[j]` per level. */
export interface ForecastBand {
  start: string
  mean: number[]
  lo: number[][]
  hi: number[][]
}

export interface SeriesChart {
  sku: string
  location: string
  item_name: string
  model: string
  history: DayValue[]
  backtest: ForecastBand
  forecast: ForecastBand
  backtest_wape: number | null
  backtest_coverage: Array<number | null>
  /** Projected available stock at the end of each day from the plan date. */
  projection: DayValue[]
  arrivals: Array<{ date: string; quantity: number; po_number: string; planned: boolean }>
  safety_stock: number
  reorder_point: number
  order_up_to: number
}

export interface ReportException {
  kind: string
  severity: 'high' | 'medium' | 'low'
  sku: string
  location: string
  supplier_id: string | null
  po_number: string | null
  detail: string
  value: number
}

/** Everything the HTML report draws (`report()`); `renderReport()` turns it into the page. */
export interface ReportData {
  title: string
  as_of: string
  summary: PlanSummary
  orders: Array<{ supplier_id: string; supplier_name: string; purchase_orders: number; lines: number; units: number; value: number; currency: string; first_delivery: string | null }>
  kpis: KpiReport
  accuracy: AccuracyPeriod[]
  suppliers: SupplierKpi[]
  alerts: AlertCount[]
  levels: number[]
  series: SeriesChart[]
  exceptions: ReportException[]
  exception_counts: Record<string, number>
  notes: string[]
  /** The backtest given as `service`, if any. */
  service: ServiceTable | null
}
