'use strict'
// The TypeScript interfaces in types.d.ts are written by hand; this test keeps
// them in step with what the core really returns.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const replenish = require('..')
const { FIXTURES } = require('./helpers')

function declaredFields(name) {
  const src = fs.readFileSync(path.join(__dirname, '..', 'types.d.ts'), 'utf8')
  const m = src.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))
  assert.ok(m, `interface ${name} not found`)
  return m[1]
    .split('\n')
    .map((l) => l.trim().match(/^([a-z_]+)\??:/))
    .filter(Boolean)
    .map((x) => x[1])
    .sort()
}

test('declared types match the objects the core returns', async () => {
  const p = await replenish.plan(path.join(FIXTURES, 'small'))
  assert.deepEqual(Object.keys(p).sort(), declaredFields('Plan'))
  assert.deepEqual(Object.keys(p.lines[0]).sort(), declaredFields('PlanLine'))
  assert.deepEqual(Object.keys(p.purchase_orders[0]).sort(), declaredFields('PurchaseOrder'))
  assert.deepEqual(Object.keys(p.purchase_orders[0].lines[0]).sort(), declaredFields('PoLine'))
  assert.deepEqual(Object.keys(p.summary).sort(), declaredFields('PlanSummary'))
  const ds = await replenish.readFolder(path.join(FIXTURES, 'small'))
  assert.deepEqual(Object.keys(ds.report).sort(), declaredFields('QualityReport'))
  assert.deepEqual(Object.keys(ds.report.files[0]).sort(), declaredFields('FileReport'))
  const err = await replenish.plan(path.join(FIXTURES, 'bad_quantity')).catch((e) => e)
  assert.deepEqual(Object.keys(err.problems[0]).sort(), declaredFields('Problem'))
})
