// Textbook inventory formulas from Node, against the books' worked examples.
const test = require('node:test')
const assert = require('node:assert')
const replenish = require('..')

const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`)

test('EOQ, EOQ with backorders, newsvendor (Snyder & Shen Examples 3.1, 3.8, 4.3)', () => {
  const e = replenish.formula({ formula: 'eoq', fixed_cost: 8, holding_cost: 0.225, demand_rate: 1300 })
  close(e.quantity, 304.0467800264368)
  close(e.cost, 68.41052550594829)
  const b = replenish.formula({ formula: 'eoq_backorders', fixed_cost: 8, holding_cost: 0.225, stockout_cost: 5, demand_rate: 1300 })
  close(b.quantity, 310.81255515896464)
  close(b.cost, 66.92136355097325)
  const n = replenish.formula({ formula: 'newsvendor_normal', holding_cost: 0.18, stockout_cost: 0.7, mean: 50, sd: 8 })
  close(n.quantity, 56.60395592743389)
  const p = replenish.formula({ formula: 'newsvendor_poisson', holding_cost: 0.18, stockout_cost: 0.7, mean: 50 })
  assert.equal(p.quantity, 56)
  close(p.cost, 1.797235211809178)
})

test('loss function, fill rate and the (s,S) power approximation (Example 4.7)', () => {
  close(replenish.formula({ formula: 'normal_loss', z: 1 }).value, 0.0833154705876863)
  const r = replenish.formula({ formula: 'sq_fill_rate', lead_time_mean: 100, lead_time_sd: 20, order_quantity: 200, fill_rate: 0.99 })
  close(replenish.formula({ formula: 'normal_loss', z: r.safety_factor }).value, 0.1)
  const s = replenish.formula({ formula: 'ss_power_approximation', holding_cost: 0.18, stockout_cost: 0.7, fixed_cost: 2.5, mean: 50, sd: 8 })
  close(s.reorder_point, 40.19461695647407)
  close(s.order_up_to, 74.29017010980579)
})

test('exact cost models: (r, Q), Zheng–Federgruen (s, S), EPQ, incremental discounts, Wagner–Whitin', () => {
  const f = replenish.formula
  const base = { formula: 'rq_normal', holding_cost: 0.225, stockout_cost: 7.5, fixed_cost: 8, demand_rate: 1300, demand_sd: 150, lead_time: 1 / 12 }
  close(f({ ...base, reorder_point: 126.8, order_quantity: 328.5 }).cost, 78.071162509282942) // Snyder & Shen Ex. 5.1
  close(f({ ...base, order_quantity: 318 }).reorder_point, 127.7880348669655)
  const opt = f(base)
  close(opt.reorder_point, 126.8670634479628) // Ex. 5.6, loss-function method
  close(opt.order_quantity, 328.4491421980451)
  const p = f({ formula: 'rq_poisson', holding_cost: 20, stockout_cost: 150, fixed_cost: 100, demand_rate: 1.5, lead_time: 2 })
  assert.deepStrictEqual([p.reorder_point, p.order_quantity], [3, 5]) // Ex. 5.8
  close(p.cost, 107.92358063314975)
  const s = f({ formula: 'ss_discrete', holding_cost: 1, stockout_cost: 4, fixed_cost: 5, mean: 6 })
  assert.deepStrictEqual([s.reorder_point, s.order_up_to], [4, 10]) // Ex. 4.7
  close(s.cost, 8.034111561471644)
  const z = f({ formula: 'ss_discrete', holding_cost: 1, stockout_cost: 9, fixed_cost: 64, mean: 55 })
  assert.deepStrictEqual([z.reorder_point, z.order_up_to], [47, 118]) // Zheng & Federgruen Table I
  assert.ok(Math.abs(z.cost - 74.149) < 5e-4)
  const e = f({ formula: 'epq', fixed_cost: 4, holding_cost: 0.08, demand_rate: 80, production_rate: 110 })
  close(e.quantity, 171.2697677155351) // Problem 3.22
  const d = f({
    formula: 'eoq_incremental_discount', fixed_cost: 8, holding_rate: 0.3, demand_rate: 1300,
    breaks: [{ min_quantity: 0, unit_cost: 0.75 }, { min_quantity: 400, unit_cost: 0.72 }, { min_quantity: 800, unit_cost: 0.68 }],
  })
  close(d.quantity, 304.04678003) // Ex. 3.7
  assert.equal(d.region, 0)
  close(d.cost, 1043.41052551)
  const w = f({ formula: 'wagner_whitin', fixed_cost: 120, holding_cost: 0.8, demand: [150, 100, 80, 200] })
  assert.deepStrictEqual(w.order_quantities, [150, 180, 0, 200]) // Problem 3.27
  close(w.cost, 424)
  assert.throws(
    () => f({ formula: 'ss_discrete', holding_cost: 1, stockout_cost: 4, fixed_cost: 5, pmf: [0.5, 0.6] }),
    (err) => err instanceof replenish.ConfigError && err.field === 'pmf'
  )
})

test('bad formula parameters name the field', () => {
  assert.throws(
    () => replenish.formula({ formula: 'eoq', fixed_cost: 8, holding_cost: 0, demand_rate: 1300 }),
    (e) => e instanceof replenish.ConfigError && e.field === 'holding_cost'
  )
})

test('simulating a policy reports service and stock', () => {
  const demand = Array(100).fill(10)
  const r = replenish.simulate(demand, { policy: 's_q', s: 30, q: 50 }, { lead_time_days: 3 })
  assert.equal(r.fill_rate, 1)
  assert.equal(r.cycle_service_level, 1)
  const tight = replenish.simulate(demand, { policy: 's_q', s: 20, q: 50 }, { lead_time_days: 3 })
  assert.ok(tight.fill_rate < 1 && tight.stockout_days > 0)
  assert.throws(() => replenish.simulate(demand, { policy: 'r_s', review_days: 0, big_s: 10 }), (e) => e.field === 'review_days')
})

test('ABC/XYZ classes by value and weekly variability', () => {
  const data = { unique_id: [], y: [] }
  const lumpy = Array(14).fill(0)
  lumpy[3] = 140
  const series = { a: Array(14).fill(10), b: lumpy, c: Array(14).fill(10), d: Array(14).fill(10), e: Array(14).fill(4) }
  for (const [id, y] of Object.entries(series)) for (const v of y) { data.unique_id.push(id); data.y.push(v) }
  const c = replenish.abcXyz(data, { a: 500 / 140, b: 300 / 140, c: 100 / 140, d: 60 / 140, e: 40 / 56 })
  assert.deepStrictEqual(c.map((r) => r.abc + r.xyz), ['AX', 'AZ', 'BX', 'BX', 'CX'])
  assert.throws(() => replenish.abcXyz(data, { a: 1 }), /no value for series `b`/)
})

test('EOQ with all-units quantity discounts (Nahmias §4.7, trash bags)', () => {
  const e = replenish.formula({
    formula: 'eoq_quantity_discount',
    fixed_cost: 8,
    holding_rate: 0.2,
    demand_rate: 600,
    breaks: [
      { min_quantity: 0, unit_cost: 0.3 },
      { min_quantity: 500, unit_cost: 0.29 },
      { min_quantity: 1000, unit_cost: 0.28 },
    ],
  })
  close(e.quantity, 500)
  close(e.cost, 198.1)
  assert.throws(() => replenish.formula({ formula: 'eoq_quantity_discount', fixed_cost: 8, holding_rate: 0.2, demand_rate: 600, breaks: [] }), (err) => err.code === 'CONFIG')
})

test('min_cost with lost sales simulates the order-up-to policy for its level', async () => {
  const path = require('node:path')
  const { FIXTURES } = require('./helpers')
  const dir = path.join(FIXTURES, 'small')
  // Read as the model says (no coverage correction): the search is bounded by the 99.9% quantile.
  const lost = await replenish.plan(dir, { policy: 'r_s', target: 'min_cost', shortage_cost: 5, lost_sales: true, correct_service: false })
  const high = await replenish.plan(dir, { policy: 'r_s', service_level: 0.999, correct_service: false })
  const moving = lost.lines.filter((l) => l.mean_daily_demand > 0)
  assert.ok(moving.length > 0)
  for (const l of moving) {
    assert.match(l.explanation, /least-cost level under lost sales/)
    const h = high.lines.find((x) => x.sku === l.sku && x.location === l.location)
    assert.ok(l.order_up_to <= h.order_up_to + 1e-9, `${l.order_up_to} vs ${h.order_up_to}`)
  }
})

test('simulation reports service on promotion days', () => {
  const demand = Array(70).fill(10)
  const promo = Array(70).fill(false)
  for (const week of [3, 6]) for (let d = week * 7; d < week * 7 + 7; d++) { demand[d] = 30; promo[d] = true }
  const r = replenish.simulate(demand, { policy: 'r_s', review_days: 7, big_s: 70 }, { shortage: 'lost_sales', promotion_days: promo })
  assert.ok(r.promotion_cycles >= 2)
  assert.equal(r.promotion_demand, 420)
  assert.ok(r.promotion_cycle_service_level < r.cycle_service_level)
  assert.ok(r.promotion_fill_rate < r.fill_rate)
})
