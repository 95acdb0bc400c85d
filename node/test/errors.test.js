'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const replenish = require('..')
const { FIXTURES, expectedProblems } = require('./helpers')

for (const name of ['bad_quantity', 'unknown_sku', 'negative_lead_time']) {
  test(`${name}: rejects with the located problem`, async () => {
    const err = await replenish.plan(path.join(FIXTURES, name)).then(
      () => assert.fail('expected a rejection'),
      (e) => e,
    )
    assert.ok(err instanceof replenish.ValidationError)
    assert.ok(err instanceof replenish.ReplenishError)
    assert.equal(err.code, 'VALIDATION')
    const want = expectedProblems(name)
    assert.equal(err.problems.length, want.length)
    err.problems.forEach((g, i) => {
      assert.ok(g.file.endsWith(want[i].file), g.file)
      assert.deepEqual([g.row, g.column, g.kind], [want[i].row, want[i].column, want[i].kind])
    })
  })
}

test('records tables report the record table name and CSV row', async () => {
  const tables = {}
  for (const t of replenish.TABLES) if (fs.existsSync(path.join(FIXTURES, 'small', `${t}.csv`))) tables[t] = fs.readFileSync(path.join(FIXTURES, 'small', `${t}.csv`), 'utf8')
  tables.sales = [{ date: '2025-03-01', sku: 'A', location: 'L1', quantity: 'lots' }]
  const err = await replenish.plan(tables).catch((e) => e)
  assert.equal(err.code, 'VALIDATION')
  assert.deepEqual(err.problems.map((p) => [p.file, p.row, p.column, p.kind]), [['sales (records)', 2, 'quantity', 'invalid_number']])
})

test('configuration errors name the field', async () => {
  const err = await replenish.plan(path.join(FIXTURES, 'small'), { service_level: 2 }).catch((e) => e)
  assert.ok(err instanceof replenish.ConfigError)
  assert.equal(err.code, 'CONFIG')
  assert.equal(err.field, 'service_level')
})

test('invalid arguments and missing folders', async () => {
  await assert.rejects(replenish.plan(42), (e) => e.code === 'INVALID_INPUT')
  await assert.rejects(replenish.plan({ items: '', bogus: '' }), (e) => e.code === 'INVALID_INPUT')
  await assert.rejects(replenish.readFolder('/nonexistent/replenish'), (e) => e.code === 'IO')
  await assert.rejects(replenish.demoData({ skus: 0 }), (e) => e.code === 'INVALID_INPUT')
  assert.throws(() => replenish.planCsv({ not: 'a plan' }), (e) => e.code === 'INVALID_INPUT')
})

test('weekly sales are read as weeks; a stray date is located', async () => {
  const tables = {}
  for (const t of replenish.TABLES) if (fs.existsSync(path.join(FIXTURES, 'small', `${t}.csv`))) tables[t] = fs.readFileSync(path.join(FIXTURES, 'small', `${t}.csv`), 'utf8')
  const weeks = Array.from({ length: 26 }, (_, w) => {
    const d = new Date(Date.UTC(2024, 8, 2 + 7 * w)).toISOString().slice(0, 10)
    return { date: d, sku: 'A', location: 'L1', quantity: String(70 + 7 * (w % 2)) }
  })
  tables.sales = weeks
  const ds = await replenish.readTables(tables)
  assert.equal(ds.report.frequency, 'weekly')
  assert.ok(ds.report.notes.some((n) => n.includes('sales are weekly (inferred from the dates; dated on Mondays')))
  const p = await replenish.plan(ds)
  const a = p.lines.find((l) => l.sku === 'A' && l.location === 'L1')
  assert.ok(a.mean_daily_demand > 8 && a.mean_daily_demand < 13, String(a.mean_daily_demand))
  const daily = await replenish.readTables(tables, { ingest: { frequency: 'daily' } })
  assert.equal(daily.report.frequency, 'daily')
  tables.sales = [...weeks, { date: '2024-12-04', sku: 'A', location: 'L1', quantity: '5' }]
  const err = await replenish.readTables(tables).then(() => assert.fail('expected a rejection'), (e) => e)
  assert.ok(err instanceof replenish.ValidationError)
  const [p0] = err.problems.filter((q) => q.kind === 'invalid_date')
  assert.deepEqual([p0.row, p0.column], [28, 'date'])
  assert.match(p0.message, /2024-12-04 \(Wednesday\) does not fit.*Mondays/)
})
