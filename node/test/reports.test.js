// KPIs from Node on the small fixture, against values computed by hand
// (the same figures as crates/replenish/tests/kpi.rs; docs/reports.md).
const test = require('node:test')
const assert = require('node:assert')
const path = require('node:path')
const replenish = require('..')

const SMALL = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'small')
const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b)), `${a} != ${b}`)

test('KPIs of the small fixture match hand computation', async () => {
  const cfg = replenish.loadConfig(path.join(SMALL, 'config.toml'))
  const dataset = await replenish.readFolder(SMALL, cfg.ingest)
  const plan = await replenish.plan(dataset, cfg.plan)
  const r = replenish.kpis(plan, dataset, { window_days: 7, dead_stock_days: 7 })
  assert.deepStrictEqual([r.window_start, r.window_end], ['2025-03-03', '2025-03-09'])
  const line = (sku, loc) => r.lines.find((l) => l.sku === sku && l.location === loc)
  const a = line('A', 'L1')
  assert.deepStrictEqual([a.units_sold, a.stockout_days], [63, 1])
  close(a.lost_units, 10.5)
  close(a.fill_rate, 63 / 73.5)
  close(a.cycle_service_level, 6 / 7)
  close(a.avg_inventory_value, 86 / 3)
  close(a.turnover, (126 * 365) / 7 / (86 / 3))
  close(a.open_po_value, 20)
  assert.strictEqual(line('C', 'L1').dead_value, 30)
  const total = r.groups.find((g) => g.group_by === 'total')
  assert.deepStrictEqual([total.sku_locations, total.out_of_stock_now], [4, 1])
  close(r.periods[0].avg_inventory_value, (6 + 12 + 80) / 3)
  assert.throws(() => replenish.kpis(plan, dataset, { window_days: 0 }), replenish.ConfigError)

  const receipts = [
    ['A', '2025-01-01', '2025-01-05'], ['A', '2025-01-08', '2025-01-14'],
    ['B', '2025-01-15', '2025-01-18'], ['B', '2025-01-22', '2025-01-27'],
  ].map(([sku, order_date, received_date]) => ({ supplier_id: 'S1', sku, order_date, received_date }))
  const [s] = replenish.supplierKpis(dataset, [], { receipts, asOf: '2025-03-20' })
  close(s.actual_lead_time_days, 4.5)
  close(s.on_time_rate, 0.5)
  close(s.within_one_day_rate, 0.75)
  assert.deepStrictEqual(replenish.alertCounts([]), [])
})

test('forecast accuracy per origin matches hand computation', async () => {
  // 60 days alternating 10 and 20 from 2025-01-01, forecast naively from days 51 and
  // 55: |error| 20 and bias +20 on 60 sold; lag-1 in-sample MAE 10, so MASE 0.5.
  const fs = require('node:fs')
  const read = (n) => fs.readFileSync(path.join(SMALL, `${n}.csv`), 'utf8')
  let sales = 'date,sku,location,quantity\n'
  for (let d = 0; d < 60; d++) {
    const day = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10)
    sales += `${day},A,L1,${d % 2 === 0 ? 10 : 20}\n`
  }
  const dataset = await replenish.readTables({ items: read('items'), suppliers: read('suppliers'), inventory: read('inventory'), open_orders: read('open_orders'), sales })
  const acc = await replenish.forecastAccuracy(dataset, 'Naive', { windows: 2, h: 4, season_length: 1 })
  assert.deepStrictEqual(acc.map((a) => a.cutoff), ['2025-02-21', '2025-02-25'])
  for (const a of acc) {
    assert.deepStrictEqual([a.series, a.actual, a.forecast], [1, 60, 80])
    close(a.wape, 1 / 3)
    close(a.bias, 1 / 3)
    close(a.mase, 0.5)
  }
  const m2 = await replenish.forecastAccuracy(dataset, { model: 'Naive' }, { windows: 2, h: 4, season_length: 2 })
  assert.ok(m2.every((a) => a.mase === null))
  await assert.rejects(replenish.forecastAccuracy(dataset, 'Naive', { windows: 0 }), replenish.ConfigError)
  await assert.rejects(replenish.forecastAccuracy(dataset, 'NoSuchModel'), /unknown model/)
})

// The small fixture's report (crates/replenish/tests/report.rs): the window average
// of 7 in-stock days, a 2-day back-test, 4 days ahead, the 80% interval.
const SMALL_REPORT = { series: ['A@L1'], history_days: 5, backtest_days: 2, horizon_days: 4, levels: [80], accuracy: null, kpi: { window_days: 7, dead_stock_days: 7 } }

test('report data match hand computation and the page is self-contained', async () => {
  const cfg = replenish.loadConfig(path.join(SMALL, 'config.toml'))
  const dataset = await replenish.readFolder(SMALL, cfg.ingest)
  const plan = await replenish.plan(dataset, cfg.plan)
  assert.deepStrictEqual(plan.config.forecast, { model: 'WindowAverage', window: 7 })
  const r = await replenish.report(plan, dataset, SMALL_REPORT)
  assert.strictEqual(r.series.length, 1)
  const s = r.series[0]
  assert.deepStrictEqual([s.sku, s.location, s.item_name], ['A', 'L1', 'Apple Juice'])
  assert.deepStrictEqual([s.history.length, s.history[0].date, s.history[6].date], [7, '2025-03-03', '2025-03-09'])
  assert.deepStrictEqual(s.history.filter((d) => d.stockout).map((d) => d.date), ['2025-03-05'])
  assert.strictEqual(s.backtest.start, '2025-03-08')
  s.backtest.mean.forEach((m) => close(m, 9.5))
  close(s.backtest_wape, 4 / 23)
  assert.deepStrictEqual([s.forecast.start, s.forecast.mean.length], ['2025-03-10', 4])
  s.forecast.mean.forEach((m, t) => {
    close(m, 10)
    assert.ok(s.forecast.lo[0][t] <= m && m <= s.forecast.hi[0][t] && s.forecast.lo[0][t] >= 0)
  })
  const line = plan.lines.find((l) => l.sku === 'A' && l.location === 'L1')
  const q = line.order_quantity
  assert.ok(q > 0)
  ;[35, 25, 25, 15, 5 + q].forEach((v, t) => close(s.projection[t].value, v))
  assert.deepStrictEqual(s.arrivals.map((a) => [a.date, a.quantity, a.po_number === 'OLD-1', a.planned]),
    [['2025-03-11', 10, true, false], ['2025-03-13', q, false, true]])
  close(s.reorder_point, line.reorder_point)
  assert.strictEqual(r.exceptions[0].severity, 'high')
  assert.ok(r.exceptions.some((e) => e.kind === 'dead_stock' && e.sku === 'C' && e.value === 30))
  assert.strictEqual(Object.values(r.exception_counts).reduce((a, b) => a + b, 0), r.exceptions.length)

  const html = await replenish.htmlReport(plan, dataset, SMALL_REPORT)
  assert.strictEqual(replenish.renderReport(r), html)
  assert.ok(html.startsWith('<!DOCTYPE html>'))
  for (const chart of ['forecast:A@L1', 'projection:A@L1', 'fill-rate', 'stockout-rate', 'turnover', 'abc-xyz']) {
    assert.ok(html.includes(`data-chart="${chart}"`), chart)
  }
  for (const banned of ['<script', '<link', '<img', '@import', 'url(', 'src=']) assert.ok(!html.toLowerCase().includes(banned), banned)

  await assert.rejects(replenish.report(plan, dataset, { series: ['Z@L1'] }), (e) => e instanceof replenish.ConfigError && /Z@L1/.test(e.message))
  await assert.rejects(replenish.report(plan, dataset, { levels: [100] }), replenish.ConfigError)
  await assert.rejects(replenish.report(plan, dataset, { no_such_option: 1 }), replenish.ConfigError)
  assert.throws(() => replenish.renderReport({}), replenish.ReplenishError)
})

test('the report shows a backtest of the plan', async () => {
  const ds = await replenish.readTables(await replenish.demoData({ skus: 12, locations: 1 }))
  const b = await replenish.backtest(ds, 56)
  const p = await replenish.plan(ds)
  const r = await replenish.report(p, ds, { accuracy: null, service: b })
  assert.strictEqual(r.service.days, 56)
  assert.strictEqual(r.service.kpis.length, b.kpis.length)
  const all = r.service.kpis.find((k) => k.group === 'all')
  assert.strictEqual(all.lines, 12)
  const html = replenish.renderReport(r)
  assert.ok(html.includes('Does the plan keep its promise?') && html.includes(`${(all.fill_rate * 100).toFixed(1)}%`))
  // The demo's promotion calendar: cycles holding a promotion day get their own table.
  assert.ok(all.promotion_cycles > 0 && all.promotion_cycle_service_level >= 0)
  assert.ok(html.includes('On cycles with a promotion day'))
  const without = replenish.renderReport(await replenish.report(p, ds, { accuracy: null }))
  assert.ok(without.includes('replenish simulate --report'))
})
