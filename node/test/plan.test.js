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
  assert.equal(a.order_quantity, 636)
  assert.deepEqual(a.order_lines, [96, 96, 96, 96, 96, 96, 60])
  assert.equal(a.rounding.length, 2)
  assert.equal(a.po_number, 'PO-20250309-0001')
  assert.equal(p.lines.find((l) => l.sku === 'B' && l.location === 'L2').order_quantity, 278)
  assert.equal(p.lines.find((l) => l.sku === 'C').action, 'no_supplier')
  assert.deepEqual(p.purchase_orders.map((o) => o.total_value), [1272, 278])
  assert.deepEqual(p.summary.order_value, { EUR: 1550 })
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

test('the demo plan orders ahead of holidays', async () => {
  const tables = await replenish.demoData({ skus: 40 })
  for (const t of ['events', 'prices', 'weather']) assert.ok(t in tables, t)
  const p = await replenish.plan(tables)
  const ev = p.lines.filter((l) => l.event_days > 0)
  assert.ok(ev.length >= 5)
  const uplifts = []
  for (const l of ev) {
    assert.ok(/Events in the protection days: black_friday from 2026-11-27/.test(l.explanation), l.explanation)
    for (const e of l.events) if (e.name === 'black_friday' && e.uplift) uplifts.push(e.uplift)
  }
  uplifts.sort((a, b) => a - b)
  const median = uplifts[Math.floor(uplifts.length / 2)]
  assert.ok(median > 1.4 && median < 1.8, String(median))
})

test('event, price and weather problems name row and column', async () => {
  const tables = await replenish.demoData({ skus: 4, days: 60 })
  tables.events = 'date,name,location\n2025-12-24,christmas,\n2025-12-40,x,L9\n'
  tables.prices = 'sku,start,price\nSKU-0001,2025-01-01,4\nSKU-0001,2025-02-01,5\n'
  tables.weather = 'location,date,temperature\nL01,2025-03-01,8.5\nL02,2025-03-01,warm\n'
  await assert.rejects(replenish.readTables(tables), (e) => {
    assert.ok(e instanceof replenish.ValidationError)
    const found = e.problems
      .filter((p) => /^(events|prices|weather)/.test(p.file))
      .map((p) => [p.file.replace(/\.csv$/, ''), p.row, p.column])
    assert.deepStrictEqual(found, [['events', 3, 'date'], ['prices', 3, 'start'], ['weather', 3, 'temperature']])
    return true
  })
})

test('dataset drivers feed a GBDT forecast', async () => {
  const ds = await replenish.readTables(await replenish.demoData({ skus: 20, days: 400 }))
  const { data, X_df } = await replenish.drivers(ds, 14)
  const names = ['promotion', 'discount', 'price', 'black_friday', 'christmas', 'harbour_festival', 'temperature', 'precipitation']
  assert.deepStrictEqual(Object.keys(data), ['unique_id', 'ds', 'y', ...names])
  assert.deepStrictEqual(Object.keys(X_df), ['unique_id', 'ds', ...names])
  assert.ok(data.y.some((v) => v === null), 'stock-out days are missing')
  assert.ok(X_df.ds[0] instanceof Date)
  const fc = await replenish.forecast(data, 14, [{ model: 'GBDT', season_length: 7, n_estimators: 150 }], { X_df, missing: 'interpolate' })
  let sum = 0
  let n = 0
  for (let k = 0; k < X_df.unique_id.length; k++) {
    if (X_df.promotion[k] !== 1) continue
    const e = fc['GBDT-effect-promotion'][k]
    sum += e / (fc.GBDT[k] - e)
    n++
  }
  assert.ok(n >= 20 && sum / n > 0.2, `${n} promoted days, mean effect ${sum / n}`)
  await assert.rejects(replenish.drivers(ds, 20), /weather.csv has no row for location `L01` on 2026-11-15/)
})

test('purchase orders as UBL 2.1 Order documents', async () => {
  const p = await replenish.plan(await replenish.demoData({ skus: 20, locations: 1 }))
  const docs = replenish.ublOrders(p, { buyer_id: 'B1', buyer_name: 'Demo & Co' })
  assert.deepEqual(Object.keys(docs).sort(), p.purchase_orders.map((o) => o.po_number).sort())
  const [po] = p.purchase_orders
  const xml = docs[po.po_number]
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'))
  assert.ok(xml.includes('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"'))
  assert.ok(xml.includes(`<cbc:ID>${po.po_number}</cbc:ID>`) && xml.includes('<cbc:Name>Demo &amp; Co</cbc:Name>'))
  assert.equal(xml.split('<cac:OrderLine>').length - 1, po.lines.length)
})

test('a budget cap defers the least urgent lines and reports them', async () => {
  const tables = await replenish.demoData({ skus: 30, locations: 1 })
  const free = await replenish.plan(tables)
  const total = free.lines.filter((l) => l.action === 'order' && l.currency === 'EUR').reduce((s, l) => s + l.order_value, 0)
  const p = await replenish.plan(tables, { budgets: [{ name: 'EUR cap', currency: 'EUR', amount: total / 2 }] })
  assert.ok(p.deferred.length > 0)
  const kept = p.lines.filter((l) => l.action === 'order' && l.currency === 'EUR').reduce((s, l) => s + l.order_value, 0)
  assert.ok(kept <= total / 2 + 1e-6)
  assert.equal(p.lines.filter((l) => l.action === 'deferred').length, p.deferred.length)
})

test('cycle-service levels are read where the past coverage says, unless turned off', async () => {
  const data = await replenish.demoData()
  const corrected = (await replenish.plan(data)).lines
  const plain = (await replenish.plan(data, { correct_service: false })).lines
  assert.ok(corrected.filter((l) => l.explanation.includes('read at the')).length > 0.9 * corrected.length)
  assert.ok(!plain.some((l) => l.explanation.includes('read at the')))
  assert.ok(corrected.every((l, k) => l.service_level === plain[k].service_level))
  assert.ok(corrected.some((l, k) => l.order_up_to !== plain[k].order_up_to))
  // The whole level is the smallest that reaches the target: the service it is
  // expected to give is at or above it, and said where whole units lift it.
  for (const lines of [corrected, plain]) {
    for (const l of lines.filter((x) => x.adjustments.length === 0)) {
      assert.ok(l.expected_service_level >= l.service_level - 1e-6, l.sku)
      const lifted = l.expected_service_level > l.service_level + 0.005
      assert.equal(lifted, l.explanation.includes('the smallest level that reaches it, the order-up-to level, is expected to give'), l.explanation)
    }
  }
  const lifted = plain.filter((l) => l.expected_service_level > l.service_level + 0.005).length
  assert.ok(lifted > 0 && lifted < plain.length, String(lifted))
  // Lost sales: coverage measured by replaying the policy with lost sales; levels
  // covered at least as often, so none is higher and some are lower.
  const lost = (await replenish.plan(data, { lost_sales: true })).lines
  assert.ok(lost.every((l, k) => l.order_up_to <= corrected[k].order_up_to + 1e-9))
  assert.ok(lost.some((l, k) => l.order_up_to < corrected[k].order_up_to))
  await assert.rejects(replenish.plan(data, { correct_service: 'yes' }), (e) => e.code === 'CONFIG')
  // Fill-rate targets of an order-up-to policy: read where levels served the
  // target's share of the assortment's past demand, the policy replayed on it; of a
  // reorder-point policy: met on the distribution as the coverage values fell.
  const fill = { target: 'fill_rate', fill_rate: 0.95 }
  const replayed = (await replenish.plan(data, fill)).lines
  const plainFill = (await replenish.plan(data, { ...fill, correct_service: false })).lines
  const share = (lines, text) => lines.filter((l) => l.explanation.includes(text)).length / lines.length
  assert.ok(share(replayed, 'the policy replayed with backorders') > 0.9)
  assert.ok(share(plainFill, 'the policy replayed') === 0 && share(plainFill, 'fell out of sample') === 0)
  assert.ok(replayed.every((l) => l.fill_rate_target === 0.95))
  assert.ok(replayed.some((l, k) => l.order_up_to !== plainFill[k].order_up_to))
  const lostFill = (await replenish.plan(data, { ...fill, lost_sales: true })).lines
  assert.ok(share(lostFill, 'the policy replayed with lost sales') > 0.9)
  assert.ok(lostFill.every((l, k) => l.order_up_to <= replayed[k].order_up_to + 1e-9))
  const reorderPoint = (await replenish.plan(data, { ...fill, policy: 's_s' })).lines
  assert.ok(share(reorderPoint, 'fell out of sample') > 0.9)
})

test('errors lines read the assortment\'s seasonal profile, unless turned off', async () => {
  const data = await replenish.demoData()
  const seasonal = (await replenish.plan(data)).lines
  const plain = (await replenish.plan(data, { seasonal_profile: false })).lines
  const onErrors = seasonal.filter((l) => l.safety_stock_method.startsWith('errors'))
  assert.ok(onErrors.length > 10)
  assert.ok(onErrors.every((l) => l.safety_stock_method.includes('week of the year profile')))
  assert.ok(!plain.some((l) => l.safety_stock_method.includes('profile')))
  assert.ok(seasonal.some((l, k) => l.order_up_to !== plain[k].order_up_to))
  await assert.rejects(replenish.plan(data, { seasonal_profile: 'yes' }), (e) => e.code === 'CONFIG')
})
