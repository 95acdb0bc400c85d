'use strict'
// replenish for Node: a thin layer over the native addon. Long calls return
// Promises and run off the main thread; errors are ReplenishError objects with a
// stable `code` and, for bad data, the list of `problems` (file, row, column).

const fs = require('node:fs')
const native = require('./native.js')

const TABLES = ['items', 'suppliers', 'sales', 'inventory', 'open_orders', 'stockouts', 'stock_history', 'promotions', 'events', 'prices', 'weather', 'receipts']
// camelCase spellings accepted for the two-word table names
const TABLE_ALIASES = new Map([
  ['openOrders', 'open_orders'],
  ['stockHistory', 'stock_history'],
])

class ReplenishError extends Error {
  constructor(code, message, problems = [], field = null) {
    super(message)
    this.name = 'ReplenishError'
    this.code = code
    this.problems = problems
    if (field != null) this.field = field
  }
}
class ValidationError extends ReplenishError {
  constructor(...args) {
    super(...args)
    this.name = 'ValidationError'
  }
}
class ConfigError extends ReplenishError {
  constructor(...args) {
    super(...args)
    this.name = 'ConfigError'
  }
}

class RuleError extends ConfigError {
  constructor(...args) {
    super(...args)
    this.name = 'RuleError'
  }
}

class WorkflowError extends ReplenishError {
  constructor(...args) {
    super(...args)
    this.name = 'WorkflowError'
  }
}

/** A long call stopped by its `AbortSignal` (`signal.reason` is the `cause`). */
class AbortError extends ReplenishError {
  constructor(message = 'the operation was aborted', reason) {
    super('ABORTED', message)
    this.name = 'AbortError'
    if (reason !== undefined) this.cause = reason
  }
}

const CLASSES = { VALIDATION: ValidationError, CONFIG: ConfigError, RULE: RuleError, WORKFLOW: WorkflowError }

/** Turns the native error (JSON reason) into a typed ReplenishError. */
function convert(err) {
  if (err instanceof ReplenishError) return err
  let info
  try {
    info = JSON.parse(err && err.message)
  } catch {
    return err
  }
  if (!info || typeof info.code !== 'string') return err
  const Cls = CLASSES[info.code] || ReplenishError
  const e = new Cls(info.code, info.message, info.problems || [], info.field)
  if (info.code === 'WORKFLOW') e.kind = info.kind
  if (info.code === 'RULE') {
    Object.assign(e, { rule: info.rule, expression: info.expression, position: info.position, column: info.column, reason: info.reason })
  }
  return e
}

async function call(promiseFactory) {
  try {
    return await promiseFactory()
  } catch (err) {
    throw convert(err)
  }
}

/**
 * Runs a long native call, `start(progress)`, with a native Progress handle: an
 * `AbortSignal` in `options.signal` cancels the work (the call rejects with
 * `AbortError` once it has stopped), and `options.onProgress({ done, total })` is
 * called about ten times a second and once at the end.
 */
async function withProgress(options, start) {
  const { signal, onProgress } = options || {}
  if (signal && signal.aborted) throw new AbortError(undefined, signal.reason)
  const progress = new native.Progress()
  let failure = null
  const abort = () => progress.cancel()
  const report = () => {
    if (failure) return
    try {
      const [done, total] = progress.snapshot()
      onProgress({ done, total })
    } catch (err) {
      failure = err
      progress.cancel()
    }
  }
  if (signal) signal.addEventListener('abort', abort, { once: true })
  const timer = typeof onProgress === 'function' ? setInterval(report, 100) : null
  try {
    const out = await start(progress)
    if (timer) report()
    if (failure) throw failure
    return out
  } catch (err) {
    if (failure) throw failure
    const e = convert(err)
    if (e.code === 'CANCELLED' || (signal && signal.aborted)) throw new AbortError(undefined, signal && signal.reason)
    throw e
  } finally {
    if (timer) clearInterval(timer)
    if (signal) signal.removeEventListener('abort', abort)
  }
}

function callSync(fn) {
  try {
    return fn()
  } catch (err) {
    throw convert(err)
  }
}

function csvField(v) {
  if (v === null || v === undefined) return ''
  let s
  if (v instanceof Date) {
    s = v.toISOString()
    if (s.endsWith('T00:00:00.000Z')) s = s.slice(0, 10)
  } else {
    s = String(v)
  }
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
}

/** Plain objects → CSV text; the header is the union of keys in first-seen order. */
function toCsv(records) {
  const cols = []
  const seen = new Set()
  for (const r of records) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k)
        cols.push(k)
      }
    }
  }
  const lines = [cols.map(csvField).join(',')]
  for (const r of records) lines.push(cols.map((c) => csvField(r[c])).join(','))
  return lines.join('\n') + '\n'
}

function tableText(name, value) {
  if (typeof value === 'string') return { name: `${name}.csv`, text: value }
  // Bytes go to the core as they are: a file that is not UTF-8 is reported, not decoded with U+FFFD.
  if (Buffer.isBuffer(value)) return { name: `${name}.csv`, bytes: value }
  if (value instanceof Uint8Array) return { name: `${name}.csv`, bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength) }
  if (Array.isArray(value)) return { name: `${name} (records)`, text: toCsv(value) }
  throw new ReplenishError('INVALID_INPUT', `table ${name}: expected CSV text, a Buffer or an array of objects`)
}

function ingestJson(options) {
  return options && options.ingest ? JSON.stringify(options.ingest) : undefined
}

/** Reads and validates the CSV tables of a folder. */
function readFolder(path, options) {
  return call(() => native.readFolder(String(path), ingestJson(options)))
}

/** Validates tables given as CSV text, Buffers or arrays of plain objects. */
function readTables(tables, options) {
  return call(async () => {
    if (!tables || typeof tables !== 'object') throw new ReplenishError('INVALID_INPUT', 'tables must be an object')
    const converted = {}
    for (const [name, value] of Object.entries(tables)) {
      if (value === undefined || value === null) continue
      const key = TABLE_ALIASES.get(name) || name
      if (!TABLES.includes(key)) {
        throw new ReplenishError('INVALID_INPUT', `unknown table \`${name}\`: expected ${TABLES.join(', ')}`)
      }
      converted[key] = tableText(key, value)
    }
    return native.readTables(converted, ingestJson(options))
  })
}

/**
 * Plans replenishment for a folder path, a Dataset, or an object of tables.
 * Resolves to the plan as a plain object.
 */
function plan(data, config, options) {
  return call(async () => {
    let ds
    if (data instanceof native.Dataset) ds = data
    else if (typeof data === 'string') ds = await readFolder(data, options)
    else if (data && typeof data === 'object') ds = await readTables(data, options)
    else throw new ReplenishError('INVALID_INPUT', 'data must be a folder path, a Dataset or an object of tables')
    const json = config == null ? undefined : JSON.stringify(config)
    const result = await withProgress(options, (progress) => native.plan(ds, json, progress))
    // The configuration the plan ran with (its `forecast` is the report's model); not serialised.
    Object.defineProperty(result, 'config', { value: config == null ? {} : config, enumerable: false })
    return result
  })
}

// A plan in parts (docs/node.md, "Plans in parts"): the four steps `plan` runs, for
// SKU partitions planned on several workers or machines.

function configJson(config) {
  return config == null ? undefined : JSON.stringify(config)
}

/** A part's Dataset: given, or its tables read with `ingest.part` (sales, inventory, suppliers may be empty). */
async function partDataset(data, options) {
  if (data instanceof native.Dataset) return data
  const ingest = { ...((options && options.ingest) || {}), part: true }
  return readTables(data, { ...options, ingest })
}

/** Step 1 on one part (whole SKUs, every location): its statistics. */
function planStats(data, config, options) {
  return call(async () => JSON.parse(await native.planStats(await partDataset(data, options), configJson(config))))
}

/**
 * Between steps 1 and 2: the merged seasonal counts every part's statistics must be run
 * again with (as `season_counts` in the configuration), or `null` when they merge as they are.
 */
function seasonCountsToShare(stats, config) {
  return call(async () => {
    if (!Array.isArray(stats)) throw new ReplenishError('INVALID_INPUT', 'stats must be an array of planStats results')
    return JSON.parse(await native.seasonCountsToShare(JSON.stringify(stats), configJson(config)))
  })
}

/** Step 2: every part's statistics merged into what the assortment decides (plan date, ABC, uplifts). */
function mergePlanStats(stats, config) {
  return call(async () => {
    if (!Array.isArray(stats)) throw new ReplenishError('INVALID_INPUT', 'stats must be an array of planStats results')
    return JSON.parse(await native.mergePlanStats(JSON.stringify(stats), configJson(config)))
  })
}

/** Step 3 on one part: its plan lines, given the merged globals (AbortSignal and onProgress as for `plan`). */
function planLines(data, globals, config, options) {
  return call(async () => {
    const ds = await partDataset(data, options)
    const text = await withProgress(options, (p) => native.planLines(ds, JSON.stringify(globals), configJson(config), p))
    return JSON.parse(text)
  })
}

/**
 * Step 4: supplier minimums, truck fill, budgets and purchase orders over every
 * part's lines (an array of `planLines` results, or one flat array); `master` is a
 * Dataset or `{ items, suppliers }` tables. Resolves to the whole plan.
 */
function finishPlan(master, lines, globals, config, options) {
  return call(async () => {
    let ds = master
    if (!(master instanceof native.Dataset)) {
      if (!master || typeof master !== 'object') throw new ReplenishError('INVALID_INPUT', 'master must be a Dataset or { items, suppliers }')
      ds = await native.readMaster({ items: tableText('items', master.items), suppliers: tableText('suppliers', master.suppliers) }, ingestJson(options))
    }
    const flat = Array.isArray(lines) && lines.every(Array.isArray) ? lines.flat() : lines
    const result = JSON.parse(await native.finishPlan(ds, JSON.stringify(flat), JSON.stringify(globals), configJson(config)))
    Object.defineProperty(result, 'config', { value: config == null ? {} : config, enumerable: false })
    return result
  })
}

/** The built-in demo company's input tables as CSV text by table name. */
function demoData(options = {}) {
  return call(() => native.demoTables(JSON.stringify(options)))
}

/** Reads a CLI configuration file (TOML) into `{ plan, ingest }`. */
function loadConfig(path) {
  return callSync(() => native.configFromToml(fs.readFileSync(path, 'utf8')))
}

// ---------------------------------------------------------------- forecasting

/** Sorts long columns by id then time; returns ids, offsets, values and last ds per series. */
function toPanel(data) {
  if (!data || !data.unique_id || !data.y) {
    throw new ReplenishError('INVALID_INPUT', 'data must have `unique_id` and `y` columns (arrays of equal length)')
  }
  const n = data.unique_id.length
  if (data.y.length !== n || (data.ds && data.ds.length !== n)) {
    throw new ReplenishError('INVALID_INPUT', '`unique_id`, `ds` and `y` must have the same length')
  }
  const ds = data.ds || Array.from({ length: n }, (_, i) => i)
  const key = (i) => (ds[i] instanceof Date ? ds[i].getTime() : Number(ds[i]))
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const ia = String(data.unique_id[a])
    const ib = String(data.unique_id[b])
    return ia < ib ? -1 : ia > ib ? 1 : key(a) - key(b)
  })
  const ids = []
  const offsets = []
  const last = []
  const step = []
  const values = new Float64Array(n)
  order.forEach((row, k) => {
    const id = String(data.unique_id[row])
    if (ids.length === 0 || ids[ids.length - 1] !== id) {
      ids.push(id)
      offsets.push(k)
    }
    values[k] = data.y[row] === null || data.y[row] === undefined ? NaN : Number(data.y[row])
  })
  offsets.push(n)
  // Columns beyond unique_id, ds and y are exogenous regressors, in panel order.
  const names = Object.keys(data).filter((c) => c !== 'unique_id' && c !== 'ds' && c !== 'y')
  const history = names.map((c) => sortedColumn(data[c], c, order, 'data'))
  const sortedDs = order.map((row) => ds[row])
  for (let s = 0; s < ids.length; s++) {
    const lastRow = order[offsets[s + 1] - 1]
    last.push(ds[lastRow])
    const prev = offsets[s + 1] - 2 >= offsets[s] ? order[offsets[s + 1] - 2] : null
    step.push(prev === null ? 1 : key(lastRow) - key(prev))
  }
  return { ids, offsets, values, last, step, sortedDs, names, history, hasDs: Boolean(data.ds) }
}

/** A regressor column as a Float64Array, in the given row order; checks type and length. */
function sortedColumn(col, name, order, frame) {
  if (!col || typeof col.length !== 'number' || col.length !== order.length) {
    throw new ReplenishError('INVALID_INPUT', `column \`${name}\` of ${frame} must be an array as long as its other columns`)
  }
  const out = new Float64Array(order.length)
  order.forEach((row, k) => {
    const v = col[row]
    const num = v === null || v === undefined ? NaN : typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : NaN
    if (typeof v === 'string' || typeof v === 'object' && v !== null) {
      throw new ReplenishError(
        'INVALID_INPUT',
        `column \`${name}\` of ${frame} is not numeric: columns beyond unique_id, ds and y are regressors and must be numbers (encode categories as 0/1 columns, or drop the column)`
      )
    }
    out[k] = num
  })
  return out
}

/** Times as integers and their unit: Date → milliseconds, numbers → index. */
function timesOf(values) {
  const isDate = values.length > 0 && values[0] instanceof Date
  return { unit: isDate ? 'milliseconds' : 'index', times: values.map((v) => (v instanceof Date ? v.getTime() : Number(v))) }
}

/** The panel's times (and the next `h` per series) for calendar features. */
function panelTimes(p, h) {
  if (!p.hasDs) return undefined
  const hist = timesOf(p.sortedDs)
  const future = h > 0 ? timesOf(p.last.flatMap((l, s) => futureDs(l, p.step[s], h))).times : []
  return { unit: hist.unit, history: hist.times, future }
}

/** `{ names, history, future }` for the native call, future values from `X_df`. */
function regressorsOf(p, h, X) {
  if (X == null) return p.names.length ? { names: p.names, history: p.history, future: [] } : undefined
  if (!p.names.length) {
    throw new ReplenishError('INVALID_INPUT', 'X_df was given but data has no regressor columns (columns beyond unique_id, ds and y)')
  }
  if (!X.unique_id || !X.ds) throw new ReplenishError('INVALID_INPUT', 'X_df must have `unique_id` and `ds` columns')
  const rows = Array.from({ length: X.unique_id.length }, (_, i) => i)
  const xNames = Object.keys(X).filter((c) => c !== 'unique_id' && c !== 'ds')
  const cols = xNames.map((c) => sortedColumn(X[c], c, rows, 'X_df'))
  const expected = timesOf(p.last.flatMap((l, s) => futureDs(l, p.step[s], h)))
  const given = timesOf(Array.from(X.ds))
  if (X.unique_id.length && given.unit !== expected.unit) {
    throw new ReplenishError('INVALID_INPUT', "X_df's `ds` must be of the same kind as data's (Dates or numbers)")
  }
  const future = native.alignFuture(
    p.ids, expected.times, h, p.names, Array.from(X.unique_id, String), given.times, xNames, cols, expected.unit
  )
  return { names: p.names, history: p.history, future }
}

/**
 * A dataset's demand history and drivers for `forecast`: `{ data, X_df }` in long
 * columns (ids `sku/location`, Date `ds`, `y` with stock-out days null, one column
 * per driver), `X_df` for the next `h` days.
 */
async function drivers(dataset, h) {
  if (!(dataset instanceof native.Dataset)) throw new ReplenishError('INVALID_INPUT', 'drivers needs a Dataset (readFolder / readTables)')
  const p = await call(() => dataset.drivers(h))
  const n = p.values.length
  const data = { unique_id: new Array(n), ds: new Array(n), y: p.values.map((v) => (v === null ? null : v)) }
  const X_df = { unique_id: new Array(p.ids.length * h), ds: new Array(p.ids.length * h) }
  p.ids.forEach((id, s) => {
    for (let k = p.offsets[s]; k < p.offsets[s + 1]; k++) {
      data.unique_id[k] = id
      data.ds[k] = new Date(p.times.history[k])
    }
    for (let k = s * h; k < (s + 1) * h; k++) {
      X_df.unique_id[k] = id
      X_df.ds[k] = new Date(p.times.future[k])
    }
  })
  const r = p.regressors
  if (r) {
    r.names.forEach((name, j) => {
      data[name] = Float64Array.from(r.history[j])
      X_df[name] = Float64Array.from(r.future[j])
    })
  }
  return { data, X_df }
}

function futureDs(last, step, h) {
  if (last instanceof Date) return Array.from({ length: h }, (_, k) => new Date(last.getTime() + step * (k + 1)))
  return Array.from({ length: h }, (_, k) => Number(last) + (k + 1) * (step || 1))
}

function requestJson(h, models, o, totalQuantiles) {
  const list = Array.isArray(models) ? models : [models]
  return JSON.stringify({
    h,
    season_length: o.seasonLength ?? 1,
    models: list,
    levels: o.level ?? [],
    quantiles: o.quantiles ?? [],
    total_quantiles: totalQuantiles ?? [],
    fallback: o.fallback === undefined ? 'Naive' : o.fallback,
    options: {
      missing: o.missing ?? 'error',
      non_negative: Boolean(o.nonNegative),
      n_paths: o.nPaths ?? 1000,
      seed: o.seed ?? 0,
      tolerance: o.tolerance ?? 1e-8,
      max_iterations: o.maxIterations ?? 200,
    },
  })
}

/**
 * Forecasts every series of long columns `{ unique_id, ds, y }` with every model.
 * Resolves to columns: `unique_id`, `ds` and a Float64Array per model, interval
 * (`<model>-lo-80`) and quantile (`<model>-q-0.9`) column, plus `fallbacks`.
 * Further columns of `data` are regressors; `options.X_df` gives their future
 * values (`unique_id`, `ds` and one column per regressor, for the h periods after
 * each series' last `ds`).
 */
function forecast(data, h, models, options = {}) {
  return call(async () => {
    const p = toPanel(data)
    const regs = regressorsOf(p, h, options.X_df)
    const req = requestJson(h, models, options)
    const out = await withProgress(options, (progress) => native.forecast(p.ids, p.offsets, p.values, req, regs, panelTimes(p, h), progress))
    const frame = { unique_id: p.ids.flatMap((id) => Array(h).fill(id)), ds: p.last.flatMap((l, s) => futureDs(l, p.step[s], h)) }
    for (const c of out.columns) frame[c.name] = c.values
    Object.defineProperty(frame, 'fallbacks', { value: out.fallbacks, enumerable: false })
    const importance = {}
    for (const m of out.importance) importance[m.model] = Object.fromEntries(m.features.map((f, k) => [f, m.shares[k]]))
    Object.defineProperty(frame, 'importance', { value: importance, enumerable: false })
    return frame
  })
}

const DAY_MS = 86400000

/** Days since 1970-01-01 of a Date or an ISO date string; NaN otherwise. */
function dayOf(v) {
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN
  return Math.floor(t / DAY_MS)
}

/**
 * Adds one 0/1 column per event name to long columns (the history or `X_df`): 1 on
 * the days from `date - before` to `date + after` of an occurrence, at its location
 * (or everywhere). `events`: `{ date, name, location?, before?, after? }` columns.
 */
function eventFeatures(data, events, options = {}) {
  return callSync(() => {
    if (!events || !events.date || !events.name) {
      throw new ReplenishError('INVALID_INPUT', 'events need `date` and `name` columns')
    }
    const n = events.date.length
    const rows = []
    for (let k = 0; k < n; k++) {
      const day = dayOf(events.date[k])
      if (!Number.isFinite(day)) throw new ReplenishError('INVALID_INPUT', `events row ${k}: \`date\` ${events.date[k]} is not a date`)
      const before = events.before ? Number(events.before[k] ?? 0) : 0
      const after = events.after ? Number(events.after[k] ?? 0) : 0
      if (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0) {
        throw new ReplenishError('INVALID_INPUT', `events row ${k}: \`before\` and \`after\` must be whole numbers of days ≥ 0`)
      }
      const loc = events.location ? events.location[k] : null
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10)
      rows.push({ date, name: String(events.name[k]), location: loc == null || loc === '' ? null : String(loc), before, after })
    }
    if (!data || !data.ds) throw new ReplenishError('INVALID_INPUT', 'event features need a `ds` column of dates')
    const days = Array.from(data.ds, (v, i) => {
      const d = dayOf(v)
      if (!Number.isFinite(d)) throw new ReplenishError('INVALID_INPUT', `ds[${i}] is not a date`)
      return d
    })
    const locations = options.locationCol ? Array.from(data[options.locationCol], String) : undefined
    const cols = native.eventColumns(days, JSON.stringify(rows), locations)
    const out = { ...data }
    for (const c of cols) {
      if (c.name in data) throw new ReplenishError('INVALID_INPUT', `event name \`${c.name}\` is already a column`)
      out[c.name] = c.values
    }
    return out
  })
}

/**
 * Distribution of total demand over the next `h` periods per series, from sample
 * paths. Regressor columns and `options.X_df` work as in `forecast`.
 */
function leadTimeDemand(data, h, model, options = {}) {
  return call(async () => {
    const p = toPanel(data)
    const quantiles = options.quantiles ?? [0.5, 0.9, 0.95, 0.99]
    const req = requestJson(h, [model], { ...options, nonNegative: true, nPaths: options.nPaths ?? 2000 }, quantiles)
    const out = await native.forecast(p.ids, p.offsets, p.values, req, regressorsOf(p, h, options.X_df), panelTimes(p, h))
    const frame = { unique_id: p.ids }
    for (const c of out.totals) frame[c.name.endsWith('-total') ? 'mean' : 'q-' + c.name.split('-q-').pop()] = c.values
    return frame
  })
}

/**
 * Simulated future paths of one model for every series: columns `unique_id`,
 * `path`, `ds` and `y` (Float64Array), series by series, path by path. Regressor
 * columns and `options.X_df` work as in `forecast`.
 */
function samplePaths(data, h, model, options = {}) {
  return call(async () => {
    const p = toPanel(data)
    const n = options.nPaths ?? 100
    const req = JSON.parse(requestJson(h, [model], { ...options, nPaths: n }))
    req.return_paths = n
    const out = await native.forecast(p.ids, p.offsets, p.values, JSON.stringify(req), regressorsOf(p, h, options.X_df), panelTimes(p, h))
    const frame = { unique_id: [], path: [], ds: [], y: out.paths[0].values }
    p.ids.forEach((id, s) => {
      const future = futureDs(p.last[s], p.step[s], h)
      for (let k = 0; k < n; k++) {
        for (let t = 0; t < h; t++) {
          frame.unique_id.push(id)
          frame.path.push(k)
          frame.ds.push(future[t])
        }
      }
    })
    return frame
  })
}

/**
 * MSTL's decomposition of every series: columns `unique_id`, `ds`, `y`, `trend`,
 * `seasonal<p>` per period and `remainder` (y = trend + Σ seasonal + remainder). A
 * period of at least half a series' length is left out for it (column 0).
 */
function mstlDecomposition(data, seasonLength, options = {}) {
  return callSync(() => {
    const p = toPanel(data)
    const periods = Array.isArray(seasonLength) ? seasonLength.map(Number) : [Number(seasonLength)]
    const missing = options.missing ?? 'error'
    const cols = native.mstlDecompose(p.ids, p.offsets, p.values, periods, missing)
    const keep = Array.from(p.values, (v) => missing !== 'drop' || !Number.isNaN(v))
    const frame = { unique_id: [], ds: [], y: [] }
    p.ids.forEach((id, s) => {
      for (let k = p.offsets[s]; k < p.offsets[s + 1]; k++) {
        if (!keep[k]) continue
        frame.unique_id.push(id)
        frame.ds.push(p.hasDs ? p.sortedDs[k] : k - p.offsets[s])
        frame.y.push(Number.isNaN(p.values[k]) ? null : p.values[k])
      }
    })
    for (const c of cols) frame[c.name] = c.values
    return frame
  })
}

/**
 * One closed-form inventory formula: `{ formula: 'eoq', fixed_cost, holding_cost,
 * demand_rate }` → `{ quantity, cost }` (see docs/policy.md, "Textbook formulas").
 */
function formula(request) {
  return callSync(() => native.formula(JSON.stringify(request)))
}

/**
 * Simulates a reorder policy day by day over a demand path: `policy` is
 * `{ policy: 's_q', s, q }`, `'s_s'` (`s`, `big_s`), `'r_s'` (`review_days`, `big_s`) or
 * `'r_s_s'`; `config` holds lead time, shortage mode, rounding, costs, seed.
 */
function simulate(demand, policy, config) {
  return callSync(() =>
    native.simulatePolicy(Float64Array.from(demand), JSON.stringify(policy), config == null ? undefined : JSON.stringify(config))
  )
}

/**
 * ABC (by value) and XYZ (by variability) class per series of long columns;
 * `unitValue` is a number or `{ [id]: value }`. Options: a, b, x, y, bucketDays.
 */
function abcXyz(data, unitValue = 1, options = {}) {
  return callSync(() => {
    const p = toPanel(data)
    const units = p.ids.map((id) => {
      const v = typeof unitValue === 'number' ? unitValue : unitValue[id]
      if (v === undefined) throw new ReplenishError('INVALID_INPUT', `unitValue has no value for series \`${id}\``)
      return Number(v)
    })
    const t = { a: options.a ?? 0.8, b: options.b ?? 0.95, x: options.x ?? 0.5, y: options.y ?? 1.0, bucket_days: options.bucketDays ?? 7 }
    return native.abcXyz(p.ids, p.offsets, p.values, units, JSON.stringify(t)).map(({ id, ...rest }) => ({ unique_id: id, ...rest }))
  })
}

/**
 * Checks a rule set and returns it as an object (what `plan`'s `config.rules` takes):
 * TOML text (`[[rules]]`, `[[overrides]]`), a path to a `.toml` file, or an object
 * `{ rules: [...], overrides: [...] }`. A wrong expression throws a `RuleError` with
 * `rule`, `field`, `expression`, `position` (0-based) and `column`.
 */
function rules(spec) {
  return callSync(() => {
    if (typeof spec === 'string' && !spec.includes('\n') && spec.endsWith('.toml')) spec = fs.readFileSync(spec, 'utf8')
    if (typeof spec === 'string') return native.checkRules(spec, true)
    return native.checkRules(JSON.stringify(spec), false)
  })
}

/**
 * Shifts a policy's levels by the smallest amount that makes the simulation over
 * `demand` reach `target` (`{ cycle_service_level: 0.95 }` or `{ fill_rate: 0.98 }`).
 */
function tune(demand, policy, target, config) {
  return callSync(() => {
    const entries = Object.entries(target || {})
    if (entries.length !== 1) throw new ReplenishError('CONFIG', 'target: give one of cycle_service_level or fill_rate', [], 'target')
    const [metric, value] = entries[0]
    return native.tunePolicy(
      Float64Array.from(demand),
      JSON.stringify(policy),
      JSON.stringify({ metric, value }),
      config == null ? undefined : JSON.stringify(config)
    )
  })
}

/**
 * Demand over lead time + review as a distribution (`family`: normal, poisson,
 * negative_binomial, gamma; random lead time); returns mean, variance, quantiles,
 * cdf and loss at `at`, and the (R, S) level for a `fill_rate`.
 */
function leadTimeDemandDistribution(request) {
  return callSync(() => native.leadTimeDemandDistribution(JSON.stringify(request)))
}

function leadTimeDemandErrors(request) {
  const history = Array.from(request.history, (v) => (v == null || Number.isNaN(v) ? null : v))
  const profiles = {}
  for (const k of ['profile_history', 'profile_ahead']) if (request[k] != null) profiles[k] = Array.from(request[k])
  return callSync(() => native.leadTimeDemandErrors(JSON.stringify({ ...request, history, ...profiles })))
}

/** The calibration experiment (docs/policy.md): resolves to one row per class and target. */
function calibrate(config = {}) {
  return call(async () => JSON.parse(await native.calibrate(JSON.stringify(config))))
}

/**
 * Plans as of `days` before the history ends and replays every line's policy over
 * the days that followed, re-planning at every review (`replan: false`: plan once);
 * resolves to `{ as_of, end, days, replan, plans, lines, kpis }` with the textbook
 * rule's figures on the same replay.
 */
function backtest(dataset, days = 182, options = {}) {
  return call(async () => {
    if (!(dataset instanceof native.Dataset)) throw new ReplenishError('INVALID_INPUT', 'backtest needs a Dataset (readFolder / readTables)')
    const config = { ...(options.config || {}) }
    if (options.rules != null) config.rules = rules(options.rules)
    const cfg = Object.keys(config).length ? JSON.stringify(config) : undefined
    const opts = {
      days,
      shortage: options.lostSales ? 'lost_sales' : 'backorder',
      replan: options.replan ?? true,
      textbook_window_days: options.textbookWindowDays ?? 91,
    }
    return JSON.parse(await native.backtest(dataset, JSON.stringify(opts), cfg))
  })
}

// ---------------------------------------------------------------- approval workflow

/** JSON with Dates as local ISO date-times (what the core's `at` fields read). */
const wfJson = (v) =>
  JSON.stringify(v, function (key, value) {
    const raw = this[key]
    return raw instanceof Date ? raw.toISOString().slice(0, 23) : value
  })

/**
 * Checks an approval configuration (TOML text, a `.toml` path, or an object with
 * `actors`, `rules`, `auto_approve_when`); throws `RuleError` on a wrong expression.
 */
function approvalConfig(spec) {
  return callSync(() => {
    if (typeof spec === 'string' && !spec.includes('\n') && spec.endsWith('.toml')) spec = fs.readFileSync(spec, 'utf8')
    if (typeof spec === 'string') return native.approvalConfigCheck(spec, true)
    return native.approvalConfigCheck(JSON.stringify(spec), false)
  })
}

/** What approval rules see of a PO (a `plan().purchase_orders` entry plus flags). */
function poFacts(po, flags = {}) {
  return {
    po_number: String(po.po_number),
    supplier: String(po.supplier_id ?? po.supplier),
    location: String(po.location),
    currency: String(po.currency),
    total_value: Number(po.total_value),
    total_quantity: Number(po.total_quantity ?? 0),
    lines: Array.isArray(po.lines) ? po.lines.length : Number(po.lines ?? 0),
    supplier_new: Boolean(flags.supplierNew),
    supplier_on_watch: Boolean(flags.supplierOnWatch),
    over_budget: Boolean(flags.overBudget),
  }
}

/** A draft approval state for a PO. */
function approvalNew(po, flags) {
  return callSync(() => native.approvalNew(JSON.stringify('supplier' in po && !('supplier_id' in po) ? po : poFacts(po, flags))))
}

/**
 * Applies one event (`{ event: 'approve', actor, at }`, ...) to a PO's approval
 * state; returns the new state or throws a `WorkflowError` with a `kind`.
 */
function approvalApply(config, state, event) {
  return callSync(() => native.approvalApply(JSON.stringify(config), wfJson(state), wfJson(event)))
}

/** Checks an audit log (pass the state's `head_hash` to catch a removed last record). */
function verifyAudit(audit, head) {
  return callSync(() => native.auditVerify(wfJson(audit), head ?? undefined))
}

/**
 * Lead times learnt from receipts (`[{ supplier_id, sku, order_date, received_date }]`,
 * dates as Date or 'YYYY-MM-DD') against a dataset's supply terms; options
 * `{ prior_weight, half_life }`.
 */
function learnLeadTimes(dataset, receipts, options) {
  return callSync(() => {
    if (!(dataset instanceof native.Dataset)) throw new ReplenishError('INVALID_INPUT', 'learnLeadTimes needs a Dataset')
    const day = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d))
    const rows = receipts.map((r) => ({ supplier_id: r.supplier_id, sku: r.sku, order_date: day(r.order_date), received_date: day(r.received_date) }))
    return native.learnLeadTimes(dataset, JSON.stringify(rows), options == null ? undefined : JSON.stringify(options))
  })
}

// ---------------------------------------------------------------- tracking

const ordersOf = (orders) => (Array.isArray(orders) ? orders : orders && orders.purchase_orders) || []

/** Draft tracking states for a plan's purchase orders (or the PO objects); tolerance `{ under, over }`. */
function trackOrders(orders, tolerance) {
  return callSync(() => native.trackingNew(JSON.stringify(ordersOf(orders)), tolerance == null ? undefined : JSON.stringify(tolerance)))
}

/**
 * Applies events (`{ po_number, event, at, ... }`: approval events and `send`,
 * `acknowledge`, `change`, `ship`, `receive`, `close`, `cancel`) to tracking states
 * under an approval configuration; a refused event changes nothing and is listed.
 */
function applyEvents(config, states, events) {
  return callSync(() => native.trackingApply(JSON.stringify(approvalConfig(config)), wfJson(states), wfJson(events)))
}

/** Alerts on `asOf` (Date or 'YYYY-MM-DD'), largest projected lost sales first. */
function poAlerts(states, stock, asOf, options) {
  const day = asOf instanceof Date ? asOf.toISOString().slice(0, 10) : String(asOf).slice(0, 10)
  return callSync(() => native.trackingAlerts(wfJson(states), JSON.stringify(stock), day, options == null ? undefined : JSON.stringify(options)))
}

/** A supplier's UBL OrderResponse or DespatchAdvice (XML text) as a tracking event. */
function importUbl(xml) {
  return callSync(() => native.ublImport(String(xml)))
}

/** Checks a tracking state's hash-chained history: null when intact. */
function verifyHistory(state) {
  return callSync(() => native.trackingVerify(wfJson(state.history), state.head_hash ?? undefined))
}

/**
 * Each PO of a plan as an e-mail message (MIME text, by PO number) for the host to
 * send. Options: `{ from, date, to?, cc?, reply_to?, from_name?, ubl?, attach_ubl?,
 * note?, skipMissing? }`; a PO whose supplier has no e-mail throws a ConfigError
 * unless `skipMissing`.
 */
function poEmails(p, dataset, options) {
  return callSync(() => {
    const { skipMissing, ...opts } = options || {}
    if (opts.date instanceof Date) opts.date = opts.date.toISOString().slice(0, 19)
    else if (typeof opts.date === 'string' && opts.date.length === 10) opts.date += 'T00:00:00'
    const out = native.poEmails(p, dataset, JSON.stringify(opts))
    const missing = Object.keys(out).filter((k) => out[k] === null)
    if (missing.length && !skipMissing) {
      throw new ConfigError('CONFIG', `no e-mail address for the supplier of ${missing.join(', ')}: give to or a supplier_email column (or skipMissing)`, [], 'email.to')
    }
    for (const k of missing) delete out[k]
    return out
  })
}

// ---------------------------------------------------------------- reports

/** The KPI report of a plan and its dataset; options `{ window_days, dead_stock_days, period }`. */
function kpis(p, dataset, options) {
  return callSync(() => native.kpis(p, dataset, options == null ? undefined : JSON.stringify(options)))
}

/** Supplier performance: lead-time reliability from receipts (the dataset's unless given) and OTIF of tracked POs. */
function supplierKpis(dataset, states = [], options = {}) {
  return callSync(() => {
    const day = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10))
    const receipts = options.receipts == null ? undefined
      : JSON.stringify(options.receipts.map((r) => ({ supplier_id: r.supplier_id, sku: r.sku, order_date: day(r.order_date), received_date: day(r.received_date) })))
    if (options.asOf == null) throw new ReplenishError('INVALID_INPUT', 'supplierKpis needs options.asOf')
    return native.supplierKpis(dataset, receipts, wfJson(states), day(options.asOf))
  })
}

const reportDay = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10))

/**
 * The data behind the HTML report (docs/reports.md#the-html-report): KPIs, forecast
 * vs actual with intervals and projected stock for the charted SKU-locations,
 * forecast accuracy per origin, supplier performance, PO alerts and exceptions.
 * Options are the `[report]` section of the CLI configuration plus `tracked`
 * (tracking states, for alerts and OTIF); `forecast` defaults to the plan's model.
 */
function report(p, dataset, options = {}) {
  return call(async () => {
    const { tracked, signal, onProgress, ...cfg } = options || {}
    if (cfg.forecast == null && p && p.config && p.config.forecast != null) cfg.forecast = p.config.forecast
    if (cfg.as_of != null) cfg.as_of = reportDay(cfg.as_of)
    const states = tracked && tracked.length ? wfJson(tracked) : undefined
    return JSON.parse(await withProgress({ signal, onProgress }, (progress) => native.reportData(p, dataset, states, JSON.stringify(cfg), progress)))
  })
}

/** The report of `report()` as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched). */
async function htmlReport(p, dataset, options = {}) {
  const data = await report(p, dataset, options)
  return renderReport(data)
}

/** The HTML page of report data (the result of `report()`). */
function renderReport(data) {
  return callSync(() => native.renderReport(JSON.stringify(data)))
}

/**
 * Forecast accuracy over time: `model` refitted at `windows` origins `h` days apart
 * before the history ends, each scored on the `h` days after it (stock-out days left
 * out): `{ cutoff, series, actual, forecast, wape, mase, bias }` per origin.
 */
function forecastAccuracy(dataset, model = 'SeasonalNaive', options = {}) {
  const { signal, onProgress, ...rest } = options || {}
  return call(async () => JSON.parse(await withProgress({ signal, onProgress }, (progress) => native.forecastAccuracy(dataset, JSON.stringify({ ...rest, model }), progress))))
}

/** Syntetos–Boylan demand class per series. */
function classify(data) {
  return callSync(() => {
    const p = toPanel(data)
    return native.classify(p.ids, p.offsets, p.values).map((c, i) => ({ unique_id: p.ids[i], ...c }))
  })
}

const f64 = (a) => (a instanceof Float64Array ? a : Float64Array.from(a))

/**
 * Rolling-origin cross-validation: `nWindows` forecasts of `h` steps, cutoffs
 * `stepSize` apart (default h). Resolves to columns `unique_id`, `ds`, `cutoff`, `y`
 * and the forecast columns of `forecast`.
 */
function crossValidation(data, h, models, options = {}) {
  return call(async () => {
    const p = toPanel(data)
    const req = JSON.stringify({
      forecast: JSON.parse(requestJson(h, models, options)),
      n_windows: options.nWindows ?? 1,
      step_size: options.stepSize ?? null,
      refit: options.refit ?? true,
    })
    const out = await withProgress(options, (progress) => native.crossValidation(p.ids, p.offsets, p.values, req, regressorsOf(p, h, null), panelTimes(p, 0), progress))
    const at = (s, pos) => p.sortedDs[p.offsets[s] + pos]
    const frame = {
      unique_id: out.series.map((s) => p.ids[s]),
      ds: out.series.map((s, r) => at(s, out.position[r])),
      cutoff: out.series.map((s, r) => at(s, out.cutoff[r])),
      y: out.y,
    }
    for (const c of out.columns) frame[c.name] = c.values
    Object.defineProperty(frame, 'fallbacks', { value: out.fallbacks, enumerable: false })
    // Kept for evaluate(): which series and training end each row belongs to.
    Object.defineProperty(frame, 'windows', { value: { series: out.series, cutoff: out.cutoff }, enumerable: false })
    return frame
  })
}

/**
 * Scores a crossValidation() result against the data it was run on: rows of
 * `{ unique_id, metric, <model>: value }`, each metric averaged over a series'
 * windows; `agg: true` gives the averages over series (`unique_id` null).
 */
function evaluate(cv, data, metrics = ['mae', 'rmse', 'smape', 'mase'], options = {}) {
  return callSync(() => {
    if (!cv || !cv.windows) throw new ReplenishError('INVALID_INPUT', 'evaluate takes the result of crossValidation()')
    const p = toPanel(data)
    const { series, cutoff } = cv.windows
    const groupSeries = []
    const offsets = []
    const insampleOffsets = [0]
    const parts = []
    for (let r = 0; r < series.length; r++) {
      if (r === 0 || series[r] !== series[r - 1] || cutoff[r] !== cutoff[r - 1]) {
        groupSeries.push(series[r])
        offsets.push(r)
        const part = Array.from(p.values.subarray(p.offsets[series[r]], p.offsets[series[r]] + cutoff[r] + 1)).filter((v) => !Number.isNaN(v))
        parts.push(part)
        insampleOffsets.push(insampleOffsets[insampleOffsets.length - 1] + part.length)
      }
    }
    offsets.push(series.length)
    const skip = new Set(['unique_id', 'ds', 'cutoff', 'y'])
    const columns = Object.keys(cv).filter((k) => !skip.has(k)).map((name) => ({ name, values: f64(cv[name]) }))
    const scores = native.evaluate(
      { ids: p.ids, groupSeries, offsets, y: f64(cv.y), insample: Float64Array.from(parts.flat()), insampleOffsets, columns },
      metrics,
      options.seasonLength ?? 1,
    )
    const rows = new Map()
    for (const s of scores) {
      if ((s.unique_id === null || s.unique_id === undefined) !== Boolean(options.agg)) continue
      const key = `${s.unique_id}\u0000${s.metric}`
      if (!rows.has(key)) rows.set(key, { unique_id: s.unique_id ?? null, metric: s.metric })
      rows.get(key)[s.model] = s.value
    }
    return [...rows.values()]
  })
}

/** One accuracy metric by name (see METRICS). */
function metric(name, y, f, options = {}) {
  return callSync(() =>
    native.metric(
      name,
      f64(y),
      f64(f),
      options.insample ? f64(options.insample) : undefined,
      options.m,
      options.q,
      options.hi ? f64(options.hi) : undefined,
    ),
  )
}

const NAMES = native.names()

module.exports = {
  forecast,
  samplePaths,
  mstlDecomposition,
  formula,
  simulate,
  tune,
  rules,
  leadTimeDemandDistribution,
  leadTimeDemandErrors,
  calibrate,
  backtest,
  approvalConfig,
  poFacts,
  approvalNew,
  approvalApply,
  verifyAudit,
  learnLeadTimes,
  kpis,
  supplierKpis,
  alertCounts: (alerts) => callSync(() => native.alertCounts(JSON.stringify(alerts))),
  forecastAccuracy,
  report,
  htmlReport,
  renderReport,
  demoTracked: (p) => callSync(() => native.demoTracked(p)),
  trackOrders,
  applyEvents,
  poAlerts,
  importUbl,
  verifyHistory,
  poEmails,
  trackedOpenOrders: (states) => callSync(() => native.trackingOpenOrders(wfJson(states))),
  trackedReceipts: (states) => callSync(() => native.trackingReceipts(wfJson(states))),
  stockOutlook: (p, dataset) => callSync(() => native.stockOutlook(p, dataset)),
  asOpenOrders: (p) => callSync(() => native.asOpenOrders(p)),
  abcXyz,
  eventFeatures,
  crossValidation,
  evaluate,
  leadTimeDemand,
  classify,
  metric,
  MODEL_NAMES: NAMES.models,
  METRICS: NAMES.metrics,
  mae: (y, f) => metric('mae', y, f),
  rmse: (y, f) => metric('rmse', y, f),
  mape: (y, f) => metric('mape', y, f),
  smape: (y, f) => metric('smape', y, f),
  wape: (y, f) => metric('wape', y, f),
  bias: (y, f) => metric('bias', y, f),
  mase: (y, f, insample, m = 1) => metric('mase', y, f, { insample, m }),
  rmsse: (y, f, insample, m = 1) => metric('rmsse', y, f, { insample, m }),
  pinball: (y, fq, q) => metric('pinball', y, fq, { q }),
  scaledPinball: (y, fq, q, insample, m = 1) => metric('scaled_pinball', y, fq, { q, insample, m }),
  coverage: (y, lo, hi) => metric('coverage', y, lo, { hi }),
  Dataset: native.Dataset,
  ReplenishError,
  AbortError,
  ValidationError,
  ConfigError,
  RuleError,
  WorkflowError,
  TABLES,
  readFolder,
  readTables,
  drivers,
  plan,
  planStats,
  seasonCountsToShare,
  mergePlanStats,
  planLines,
  finishPlan,
  demoData,
  loadConfig,
  planCsv: (p) => callSync(() => native.planCsv(p)),
  purchaseOrdersCsv: (p) => callSync(() => native.purchaseOrdersCsv(p)),
  summaryText: (p) => callSync(() => native.summaryText(p)),
  planViolations: (p) => callSync(() => native.planViolations(p)),
  ublOrders: (p, options) => callSync(() => native.ublOrders(p, options == null ? undefined : JSON.stringify(options))),
  toCsv,
}
