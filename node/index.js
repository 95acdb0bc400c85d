'use strict'
// replenish for Node: a thin layer over the native addon. Long calls return
// Promises and run off the main thread; errors are ReplenishError objects with a
// stable `code` and, for bad data, the list of `problems` (file, row, column).

const fs = require('node:fs')
const native = require('./native.js')

const TABLES = ['items', 'suppliers', 'sales', 'inventory', 'open_orders', 'stockouts']

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

const CLASSES = { VALIDATION: ValidationError, CONFIG: ConfigError }

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
  return new Cls(info.code, info.message, info.problems || [], info.field)
}

async function call(promiseFactory) {
  try {
    return await promiseFactory()
  } catch (err) {
    throw convert(err)
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
  if (Buffer.isBuffer(value)) return { name: `${name}.csv`, text: value.toString('utf8') }
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
      const key = name === 'openOrders' ? 'open_orders' : name
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
    return native.plan(ds, config == null ? undefined : JSON.stringify(config))
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

module.exports = {
  Dataset: native.Dataset,
  ReplenishError,
  ValidationError,
  ConfigError,
  TABLES,
  readFolder,
  readTables,
  plan,
  demoData,
  loadConfig,
  planCsv: (p) => callSync(() => native.planCsv(p)),
  purchaseOrdersCsv: (p) => callSync(() => native.purchaseOrdersCsv(p)),
  summaryText: (p) => callSync(() => native.summaryText(p)),
  toCsv,
}
