'use strict'
// The catalogue of bad inputs (tests/catalogue/catalogue.json) through the Node
// package: every entry gets the same typed error or documented treatment as in Rust
// (crates/replenish/tests/catalogue.rs) and Python (python/tests/test_catalogue.py).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const replenish = require('..')

const ROOT = path.join(__dirname, '..', '..')
const CATALOGUE = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'catalogue', 'catalogue.json'), 'utf8'))
const TABLES = ['items', 'suppliers', 'sales', 'inventory', 'open_orders', 'stockouts', 'stock_history']
const FIXTURE = Object.fromEntries(
  TABLES.map((t) => [t, fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'small', `${t}.csv`), 'utf8')])
)

/** One table's CSV after the entry's edits, as a Buffer; null when dropped. */
function edited(text, edit) {
  if (edit.drop) return null
  let t = 'text' in edit ? edit.text : text
  for (const [a, b] of edit.replace || []) t = t.split(a).join(b)
  if (edit.reverse_rows) {
    const lines = t.split('\n').filter((l) => l.length > 0)
    t = [lines[0], ...lines.slice(1).reverse()].join('\n') + '\n'
  }
  t += edit.append || ''
  if (edit.bom) t = '\ufeff' + t
  return Buffer.from(t, edit.latin1 ? 'latin1' : 'utf8')
}

async function planOf(tables) {
  const ds = await replenish.readTables(tables)
  const p = await replenish.plan(ds)
  return { json: JSON.stringify([p.lines, p.purchase_orders]), report: ds.report }
}

const fixtureBuffers = () => Object.fromEntries(TABLES.map((t) => [t, Buffer.from(FIXTURE[t], 'utf8')]))
const key = (p) => JSON.stringify([p.table, p.row, p.column, p.kind])

test('every bad table gets its error or its treatment', async () => {
  const baseline = (await planOf(fixtureBuffers())).json
  for (const entry of CATALOGUE.tables) {
    const tables = fixtureBuffers()
    for (const [name, edit] of Object.entries(entry.edit)) {
      const b = edited(FIXTURE[name], edit)
      if (b === null) delete tables[name]
      else tables[name] = b
    }
    const expect = entry.expect
    if (expect.error) {
      await assert.rejects(replenish.readTables(tables), (e) => {
        assert.equal(e.code, expect.error, `${entry.id}: ${e.message}`)
        const got = e.problems
          .map((p) => key({ table: path.basename(p.file).replace(/\.csv$/, ''), row: p.row ?? null, column: p.column ?? null, kind: p.kind }))
          .sort()
        assert.deepEqual(got, expect.problems.map(key).sort(), `${entry.id}: ${e.message}`)
        return true
      }, entry.id)
    } else {
      const { json, report } = await planOf(tables)
      assert.equal(json === baseline, expect.plan === 'same_as_fixture', entry.id)
      for (const k of ['sales_lines', 'return_lines']) {
        if (k in expect) assert.equal(report[k], expect[k], entry.id)
      }
      if (expect.note) assert.ok(report.notes.some((n) => n.includes(expect.note)), entry.id)
    }
  }
})

test('every bad series gets its error or finite forecasts', async () => {
  for (const entry of CATALOGUE.series) {
    const y = entry.y.map((v) => (v === null ? NaN : v))
    const data = { unique_id: y.map(() => 's'), ds: y.map((_, i) => i), y: Float64Array.from(y) }
    if (entry.promotion) data.promotion = Float64Array.from(entry.promotion)
    if (entry.long_format) {
      // A long frame cannot hold an empty series: no rows forecast to no rows.
      const out = await replenish.forecast(data, 7, entry.models)
      assert.equal(out.unique_id.length, entry.long_format.rows, entry.id)
      continue
    }
    for (const model of entry.models) {
      const call = () => replenish.forecast(data, 7, [model], { seasonLength: entry.season_length ?? 1 })
      if (entry.expect.error) {
        await assert.rejects(call(), (e) => e.code === entry.expect.error, `${entry.id} ${model}`)
      } else {
        const out = await call()
        for (const [name, col] of Object.entries(out)) {
          if (name === 'unique_id' || name === 'ds') continue
          assert.ok(Array.from(col).every(Number.isFinite), `${entry.id} ${model}: ${name}`)
          if ('equals' in entry.expect && name === model) {
            assert.ok(Array.from(col).every((v) => Math.abs(v - entry.expect.equals) < 1e-9), `${entry.id} ${model}`)
          }
        }
      }
    }
  }
})

test('planViolations is empty for a plan and names what a tampered plan breaks', async () => {
  const p = await replenish.plan(fixtureBuffers())
  assert.deepEqual(replenish.planViolations(p), [])
  const k = p.lines.findIndex((l) => l.order_quantity > 0 && l.pack_size > 1)
  assert.ok(k >= 0)
  p.lines[k].order_quantity += 1
  const v = replenish.planViolations(p)
  assert.ok(v.some((m) => m.includes('whole number of packs')), v.join('\n'))
})
