// Long calls run off the main thread (the event loop keeps turning), report
// progress, and stop on an AbortSignal (docs/node.md#long-calls-progress-and-cancellation).
const test = require('node:test')
const assert = require('node:assert')
const replenish = require('..')

let demo
async function demoDataset() {
  demo = demo || (await replenish.readTables(await replenish.demoData()))
  return demo
}

test('the event loop keeps turning while a plan runs', async () => {
  const dataset = await demoDataset()
  let ticks = 0
  const timer = setInterval(() => ticks++, 10)
  const seen = []
  const started = Date.now()
  try {
    const plan = await replenish.plan(dataset, null, { onProgress: (p) => seen.push(p) })
    assert.strictEqual(plan.lines.length, 900)
  } finally {
    clearInterval(timer)
  }
  const elapsed = Date.now() - started
  // A blocked loop would fire the 10 ms timer at most once or twice in the whole call.
  assert.ok(ticks >= Math.min(10, elapsed / 40), `${ticks} ticks in ${elapsed} ms`)
  assert.deepStrictEqual(seen[seen.length - 1], { done: 900, total: 900 })
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].done >= seen[i - 1].done)
})

test('an AbortSignal stops a plan part way and rejects with AbortError', async () => {
  const dataset = await demoDataset()
  const controller = new AbortController()
  const seen = []
  setTimeout(() => controller.abort(new Error('user left')), 150)
  // 50 000 paths per SKU-location: seconds of work, far longer than the 150 ms before
  // the abort (the default plan of the demo can finish in less).
  await assert.rejects(
    replenish.plan(dataset, { n_paths: 50000 }, { signal: controller.signal, onProgress: (p) => seen.push(p) }),
    (e) => e instanceof replenish.AbortError && e.code === 'ABORTED' && e.cause.message === 'user left',
  )
  assert.ok(seen.length > 0, 'progress was reported before the abort')
  const last = seen[seen.length - 1]
  assert.ok(last.done < last.total, `stopped at ${last.done} of ${last.total}`)
  // An already aborted signal rejects before any work.
  await assert.rejects(replenish.plan(dataset, null, { signal: AbortSignal.abort() }), replenish.AbortError)
  // The library is fine afterwards.
  const small = await replenish.plan(await replenish.demoData({ skus: 5 }))
  assert.strictEqual(small.lines.length, 15)
})

test('forecast and cross-validation report progress over series × models and stop on abort', async () => {
  const n = 40
  const y = []
  const ids = []
  for (let s = 0; s < n; s++) for (let t = 0; t < 60; t++) { ids.push(`s${s}`); y.push(10 + (t % 7) + s) }
  const data = { unique_id: ids, y: Float64Array.from(y) }
  const seen = []
  await replenish.forecast(data, 7, ['Naive', 'SeasonalNaive'], { seasonLength: 7, onProgress: (p) => seen.push(p) })
  assert.deepStrictEqual(seen[seen.length - 1], { done: 2 * n, total: 2 * n })
  const cv = []
  await replenish.crossValidation(data, 7, ['Naive'], { nWindows: 2, onProgress: (p) => cv.push(p) })
  assert.deepStrictEqual(cv[cv.length - 1], { done: 2 * n, total: 2 * n })
  await assert.rejects(replenish.forecast(data, 7, ['AutoETS'], { signal: AbortSignal.abort() }), replenish.AbortError)
  // An error in the progress callback cancels the call and is what it rejects with.
  await assert.rejects(
    replenish.forecast(data, 7, ['AutoARIMA'], { seasonLength: 7, onProgress: () => { throw new Error('callback failed') } }),
    /callback failed/,
  )
})
