'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const replenish = require('..')
const { FIXTURES, GOLDEN } = require('./helpers')

const small = path.join(FIXTURES, 'small')
const smallConfig = () => replenish.loadConfig(path.join(small, 'config.toml'))

test('small fixture matches hand computation', async () => {
  const p = await replenish.plan(small, smallConfig().plan)
  const a = p.lines.find((l) => l.sku === 'A' && l.location === 'L1')
  assert.equal(a.mean_daily_demand, 10)
  assert.equal(a.sigma_daily_demand, 3)
  assert.equal(a.censored_days, 1)
  // SS = z(0.95) * sqrt(5 * 9 + 10^2 * 1^2)
  assert.ok(Math.abs(a.safety_stock - 1.6448536269514722 * Math.sqrt(145)) < 1e-9)
  assert.equal(a.inventory_position, 45)
  assert.equal(a.order_quantity, 96)
  assert.equal(a.rounding.length, 2)
  assert.equal(a.po_number, 'PO-20250309-0001')
  assert.equal(p.lines.find((l) => l.sku === 'B' && l.location === 'L2').order_quantity, 278)
  assert.equal(p.lines.find((l) => l.sku === 'C').action, 'no_supplier')
  assert.deepEqual(p.purchase_orders.map((o) => o.total_value), [192, 278])
  assert.deepEqual(p.summary.order_value, { EUR: 470 })
})

test('tables as CSV text and as plain objects give the same plan as the folder', async () => {
  const cfg = smallConfig().plan
  const fromFolder = await replenish.plan(small, cfg)
  const text = {}
  for (const t of replenish.TABLES) if (fs.existsSync(path.join(small, `${t}.csv`))) text[t] = fs.readFileSync(path.join(small, `${t}.csv`), 'utf8')
  assert.deepEqual(await replenish.plan(text, cfg), fromFolder)
  // records: parse the CSV naively (the fixture has no quoted commas)
  const records = {}
  for (const [t, csv] of Object.entries(text)) {
    const [head, ...rows] = csv.trim().split('\n')
    const cols = head.split(',')
    records[t] = rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])))
  }
  assert.deepEqual(await replenish.plan(records, cfg), fromFolder)
})

test('dataset exposes report and long demand', async () => {
  const ds = await replenish.readFolder(small)
  assert.equal(ds.report.return_lines, 1)
  assert.equal(ds.report.series, 3)
  const demand = ds.table('demand')
  assert.equal(demand.filter((r) => r.sku === 'A').length, 9)
  assert.equal(demand.filter((r) => r.stockout).length, 1)
})

test('days closing without stock are censored like the stock-out log', async () => {
  const cfg = smallConfig().plan
  const text = {}
  for (const t of replenish.TABLES) if (fs.existsSync(path.join(small, `${t}.csv`))) text[t] = fs.readFileSync(path.join(small, `${t}.csv`), 'utf8')
  const { stockouts, stock_history: history, ...rest } = text
  assert.ok(stockouts)
  assert.equal((await replenish.plan(rest, cfg)).lines[0].mean_daily_demand, 9)
  const ds = await replenish.readTables({ ...rest, stock_history: history })
  assert.ok(ds.report.notes.some((n) => n.startsWith('1 day(s) closing with no stock')))
  const line = (await replenish.plan(ds, cfg)).lines[0]
  assert.deepEqual([line.mean_daily_demand, line.censored_days], [10, 1])
})

test('exports match the CLI formats', async () => {
  const p = await replenish.plan(small, smallConfig().plan)
  assert.match(replenish.planCsv(p), /^sku,location,item_name/)
  assert.match(replenish.purchaseOrdersCsv(p), /PO-20250309-0001/)
  assert.match(replenish.summaryText(p), /Plan as of 2025-03-09/)
})

test('demo plan is identical to the Rust golden file', async () => {
  const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'demo_plan.json'), 'utf8'))
  const p = await replenish.plan(await replenish.demoData())
  const got = p.lines.map((l) => golden.line_fields.map((f) => l[f]))
  assert.deepEqual(got, golden.lines)
  const pos = p.purchase_orders.map((o) => [o.po_number, o.supplier_id, o.location, o.order_date, o.lines.length, o.total_quantity, o.total_value])
  assert.deepEqual(pos, golden.purchase_orders)
  assert.deepEqual(p.summary, golden.summary)
})

test('planning does not block the event loop', async () => {
  const tables = await replenish.demoData({ skus: 150 })
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  await replenish.plan(tables)
  clearInterval(timer)
  assert.ok(ticks > 0, 'a timer fired while planning ran')
})

test('the demo plan orders ahead of planned promotions', async () => {
  const tables = await replenish.demoData({ skus: 40 })
  assert.ok('promotions' in tables)
  const p = await replenish.plan(tables)
  const promo = p.lines.filter((l) => l.promotion_days > 0)
  assert.ok(promo.length >= 3)
  for (const l of promo) {
    assert.ok(l.promotion_uplift > 1.2 && l.promotion_uplift < 2.6, String(l.promotion_uplift))
    assert.ok(l.promotion_extra_demand > 0 && /Includes a promotion from/.test(l.explanation))
  }
})
