'use strict'
// A plan in parts: the demo split by SKU into three parts, planned with the four
// steps (each part on its own worker-pool task), equals the whole plan exactly.
const test = require('node:test')
const assert = require('node:assert/strict')
const replenish = require('..')

const SKU_TABLES = ['suppliers', 'sales', 'inventory', 'open_orders', 'stockouts', 'stock_history', 'promotions', 'prices', 'receipts']

/** The fields of one CSV line (quoted fields may hold commas). */
function fields(line) {
  const out = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++ } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === ',') { out.push(cur); cur = '' } else cur += c
  }
  out.push(cur)
  return out
}

function partOf(text, k, n) {
  const lines = text.split('\n').filter((l) => l !== '')
  const col = fields(lines[0]).indexOf('sku')
  const hash = (s) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1000003, 7)
  return [lines[0], ...lines.slice(1).filter((l) => hash(fields(l)[col]) % n === k)].join('\n') + '\n'
}

test('a plan in parts is the whole plan', async () => {
  // Two years: the seasonal profile is in use, so the parts share its counts.
  const tables = await replenish.demoData({ skus: 30, days: 730 })
  const whole = await replenish.plan(tables)
  const n = 3
  const parts = Array.from({ length: n }, (_, k) => {
    const part = { ...tables }
    for (const t of SKU_TABLES) if (part[t] !== undefined) part[t] = partOf(part[t], k, n)
    return part
  })
  const first = await Promise.all(parts.map((p) => replenish.planStats(p)))
  const counts = await replenish.seasonCountsToShare(first)
  assert.ok(counts && Object.keys(counts.periods).length === 52)
  await assert.rejects(replenish.mergePlanStats(first), (e) => e.code === 'CONFIG' && e.field === 'season_counts')
  const config = { season_counts: counts }
  const stats = await Promise.all(parts.map((p) => replenish.planStats(p, config)))
  assert.equal(await replenish.seasonCountsToShare(stats, config), null)
  assert.ok(stats.every((s) => s.values.length > 0 && s.values.length < whole.lines.length))
  const globals = await replenish.mergePlanStats(stats, config)
  assert.equal(globals.as_of, whole.as_of)
  // Each part's coverage values by demand class add up in the merge (they correct
  // cycle-service targets the same way as in the whole plan).
  const count = (c) => Object.values(c.classes).reduce((n, k) => n + Object.values(k.bins).reduce((a, b) => a + b, 0), 0)
  assert.ok(stats.every((s) => count(s.coverage) > 0))
  assert.equal(count(globals.coverage), stats.reduce((n, s) => n + count(s.coverage), 0))
  const lines = await Promise.all(parts.map((p) => replenish.planLines(p, globals)))
  const split = await replenish.finishPlan({ items: tables.items, suppliers: tables.suppliers }, lines.reverse(), globals)
  assert.deepStrictEqual(split, whole) // numbers compared with Object.is: bit for bit
  assert.ok(split.purchase_orders.length > 0)

  // A SKU in two parts, and bad globals, are typed errors.
  await assert.rejects(replenish.mergePlanStats([first[0], first[0]], { seasonal_profile: false }), (e) => e.code === 'INVALID_INPUT' && /more than one part/.test(e.message))
  await assert.rejects(replenish.planLines(parts[0], { as_of: 'soon' }), (e) => e.code === 'INVALID_INPUT' && /globals/.test(e.message))
  await assert.rejects(replenish.mergePlanStats('x'), (e) => e.code === 'INVALID_INPUT')
})
