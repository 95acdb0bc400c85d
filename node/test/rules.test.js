// Rules, lead-time demand distributions, tuning, calibration and backtests from Node.
const test = require('node:test')
const assert = require('node:assert')
const replenish = require('..')

const RULES = `
[[rules]]
name = "A items"
when = "abc == 'A'"
priority = 10
set = { service_level = 0.99, policy = "r_s" }

[[rules]]
name = "slow movers"
when = "demand_class in ['intermittent', 'lumpy']"
set = { target = "fill_rate", fill_rate = 0.97 }

[[overrides]]
sku = "SKU-0002"
location = "L01"
set = { policy = "s_q" }
`

test('rules set parameters and every plan line cites them', async () => {
  const ds = await replenish.readTables(await replenish.demoData({ skus: 30, locations: 2 }))
  const p = await replenish.plan(ds, { rules: replenish.rules(RULES) })
  const a = p.lines.filter((l) => l.abc === 'A' && l.sku !== 'SKU-0002')
  assert.ok(a.length > 0)
  for (const l of a) {
    assert.strictEqual(l.policy, 'r_s')
    assert.strictEqual(l.parameter_sources.policy, 'rule:A items')
  }
  const slow = p.lines.filter((l) => l.segments.includes('slow movers'))
  assert.ok(slow.length > 0 && slow.every((l) => l.target === 'fill_rate' && l.fill_rate_target === 0.97))
  const o = p.lines.find((l) => l.sku === 'SKU-0002' && l.location === 'L01')
  assert.deepStrictEqual([o.policy, o.parameter_sources.policy], ['s_q', 'override:SKU-0002@L01'])
})

for (const [when, column, words] of [
  ["categroy == 'Frozen'", 1, 'did you mean `category`'],
  ["unit_cost > 'high'", 11, 'cannot compare a number with a text'],
  ['unit_cost > (1 +', 17, 'expected a value'],
]) {
  test(`a bad rule is located: ${when}`, async () => {
    const bad = { rules: [{ name: 'r', when }] }
    assert.throws(
      () => replenish.rules(bad),
      (e) =>
        e instanceof replenish.RuleError &&
        e instanceof replenish.ConfigError &&
        e.code === 'RULE' &&
        e.rule === 'r' &&
        e.field === 'when' &&
        e.column === column &&
        e.position === column - 1 &&
        e.expression === when &&
        e.reason.includes(words)
    )
    const ds = await replenish.readTables(await replenish.demoData({ skus: 2, locations: 1 }))
    await assert.rejects(replenish.plan(ds, { rules: bad }), (e) => e instanceof replenish.RuleError && e.column === column)
  })
}

test('errors lead-time demand sees runs of weeks that independent days miss', () => {
  let seed = 7
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647)
  const history = []
  for (let w = 0; w < 60; w++) {
    const v = rand() < 0.5 ? 5 : 1
    for (let d = 0; d < 7; d++) history.push(v)
  }
  const e = replenish.leadTimeDemandErrors({ history, lead_time_days: 7, review_period_days: 7, quantiles: [0.5, 0.95], seed: 1 })
  const mean = history.reduce((a, b) => a + b, 0) / history.length
  const sd = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / history.length)
  const indep = replenish.leadTimeDemandDistribution({ family: 'negative_binomial', daily_mean: mean, daily_sd: sd, lead_time_days: 7, review_period_days: 7, quantiles: [0.95] })
  assert.ok(e.quantiles[1] > indep.quantiles[0] + 5, `${e.quantiles[1]} vs ${indep.quantiles[0]}`)
  assert.ok(e.origins > 300 && e.smoothing_weight > 0 && e.level > 0)
  const gappy = history.map((v, i) => (i % 10 === 3 ? null : v))
  const a = replenish.leadTimeDemandErrors({ history: gappy, lead_time_days: 7, review_period_days: 7, quantiles: [0.95] })
  const b = replenish.leadTimeDemandErrors({ history: Float64Array.from(gappy.map((v) => (v === null ? NaN : v))), lead_time_days: 7, review_period_days: 7, quantiles: [0.95] })
  assert.deepStrictEqual(a, b)
  assert.throws(() => replenish.leadTimeDemandErrors({ history: [1, 2, -1, ...Array(100).fill(1)], lead_time_days: 7 }), /day 2/)
  assert.throws(() => replenish.leadTimeDemandErrors({ history: [1, 1, 1], lead_time_days: 7, review_period_days: 7 }), /fewer than 26 past origins/)
  // A seasonal profile: the history read at half its days' factor, twice as busy ahead.
  const plain = replenish.leadTimeDemandErrors({ history, lead_time_days: 7, review_period_days: 7, seed: 1 })
  const busy = replenish.leadTimeDemandErrors({ history, lead_time_days: 7, review_period_days: 7, seed: 1, profile_history: new Float64Array(history.length).fill(0.5), profile_ahead: Array(14).fill(2) })
  assert.ok(Math.abs(busy.level - 2 * plain.level) < 1e-9 && busy.mean > 3.5 * plain.mean, `${busy.level} ${plain.level}`)
  assert.throws(() => replenish.leadTimeDemandErrors({ history, lead_time_days: 7, profile_history: [1, 1] }), /profile_history/)
})

test('lead-time demand distribution, tuning, calibration and backtest', async () => {
  const d = replenish.leadTimeDemandDistribution({ family: 'normal', daily_mean: 10, daily_sd: 3, lead_time_days: 4, review_period_days: 1, quantiles: [0.95], at: [50] })
  assert.ok(Math.abs(d.mean - 50) < 1e-9 && Math.abs(d.variance - 45) < 1e-9)
  assert.ok(Math.abs(d.quantiles[0] - (50 + 1.6448536269514722 * Math.sqrt(45))) < 1e-6)
  assert.ok(Math.abs(d.loss[0] - Math.sqrt(45) * 0.3989422804014327) < 1e-9)
  let seed = 1
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647)
  const demand = Array.from({ length: 20000 }, () => Math.max(0, 100 + 20 * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand())))
  const s = 400 + 1.6448536269514722 * 40
  const t = replenish.tune(demand, { policy: 's_q', s, q: 700 }, { cycle_service_level: 0.95 }, { lead_time_days: 4, warmup_days: 50 })
  assert.ok(t.offset > 20 && t.report.cycle_service_level >= 0.95)
  const rows = await replenish.calibrate({ series_per_class: 15, test_days: 3000, targets: [0.95] })
  assert.deepStrictEqual(rows.map((r) => r.class), ['smooth', 'intermittent', 'lumpy'])
  for (const r of rows) {
    assert.ok(Math.abs(r.plan_csl - 0.95) < 0.03, JSON.stringify(r))
    assert.ok(r.classic_csl < r.plan_csl)
  }
  const ds = await replenish.readTables(await replenish.demoData({ skus: 20 }))
  const b = await replenish.backtest(ds, 91)
  assert.strictEqual(b.kpis[b.kpis.length - 1].group, 'all')
  assert.ok(b.lines.length > 0 && b.lines[0].report.days === 91)
  // Re-planned at every review by default, with the textbook rule on the same replay.
  assert.ok(b.replan && b.plans > 1 && b.lines.some((l) => l.plans > 1))
  const all = b.kpis[b.kpis.length - 1]
  assert.ok(b.lines[0].textbook.days === 91 && all.textbook_cycle_service_level !== null)
  assert.ok(Math.abs(all.stock_ratio_at_equal_service - all.average_on_hand_units / all.textbook_on_hand_at_plan_service) < 1e-9)
  const once = await replenish.backtest(ds, 91, { replan: false })
  assert.ok(once.plans === 1 && once.lines.every((l) => l.plans === 1))
  await assert.rejects(replenish.backtest(ds, 91, { textbookWindowDays: 0 }), (e) => e instanceof replenish.ConfigError)
})

test('defaults need no invented costs; extra item columns drive rules; the chosen model is named', async () => {
  const tables = await replenish.demoData({ skus: 20, locations: 2 })
  tables.items = tables.items
    .trimEnd()
    .split('\n')
    .map((row, i) => row + (i === 0 ? ',shelf_life_days,perishable' : i === 1 ? ',3,1' : ',,0'))
    .join('\n')
  const ds = await replenish.readTables(tables)
  const p = await replenish.plan(ds)
  for (const l of p.lines) {
    assert.strictEqual(l.policy, 'r_s')
    assert.strictEqual(l.eoq, null)
    assert.strictEqual(l.reorder_point, l.order_up_to)
    assert.match(l.forecast_model, /^AutoSelect\(season_length=7\): \w+, (beat \w+: RMSE|the only)/)
  }
  const fresh = p.lines.filter((l) => l.sku === 'SKU-0001')
  assert.ok(fresh.length > 0 && fresh.every((l) => l.parameter_sources.shelf_life_days === 'items.csv'))
  const costed = await replenish.plan(ds, { ordering_cost: 25, policy: 'r_s_s' })
  assert.ok(costed.lines.some((l) => l.eoq !== null && l.eoq > 0))
  const r = await replenish.plan(ds, {
    rules: replenish.rules({ rules: [{ name: 'fresh', when: "perishable == '1'", set: { service_level: 0.9 } }] }),
  })
  for (const l of r.lines) {
    assert.deepStrictEqual(l.segments, l.sku === 'SKU-0001' ? ['fresh'] : [])
  }
  await assert.rejects(
    replenish.plan(ds, { rules: { rules: [{ name: 'x', when: "frozen_zone == 'B'" }] } }),
    (e) => e instanceof replenish.RuleError && /unknown attribute `frozen_zone`.*brand, perishable/.test(e.message)
  )
})
