'use strict'
// The README's Node example runs as written (with `require('replenish')` pointing here).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { REPO } = require('./helpers')

test('README Node example runs', async () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
  assert.equal(blocks.length, 2)
  const logged = []
  const fakeConsole = { log: (...a) => logged.push(a), error: (...a) => logged.push(a) }
  const localRequire = (name) => require(name === 'replenish' ? path.join(__dirname, '..') : name)
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor
  // Each block stands alone, as a reader would paste it.
  for (const block of blocks) await new AsyncFunction('require', 'console', block)(localRequire, fakeConsole)
  assert.equal(logged[0][1].po_number, 'PO-20261031-0001')
  const [code, problems] = logged[1]
  assert.equal(code, 'VALIDATION')
  assert.ok(problems.length > 0 && problems.every((p) => p.kind === 'unknown_reference' && p.column === 'sku'))
  const [length, exception] = logged[2]
  assert.ok(length > 50_000 && length < 3_000_000, `report of ${length} characters`)
  assert.equal(exception.severity, 'high')
})
