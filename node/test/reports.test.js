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
