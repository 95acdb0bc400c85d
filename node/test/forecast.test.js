'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const replenish = require('..')
const { GOLDEN, REPO } = require('./helpers')

function goldenData() {
  const g = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'forecast_demo.json'), 'utf8'))
  const data = { unique_id: [], ds: [], y: [] }
  for (const s of g.series) {
    s.y.forEach((v, t) => {
      data.unique_id.push(s.id)
      data.ds.push(t)
      data.y.push(v)
    })
  }
  return { g, data }
}

test('forecasts match the Rust golden bit for bit', async () => {
  const { g, data } = goldenData()
  const r = g.request
  const fc = await replenish.forecast(data, r.h, replenish.MODEL_NAMES, {
    seasonLength: r.season_length, level: r.level, quantiles: r.quantiles, nPaths: r.n_paths, seed: r.seed,
  })
  assert.equal(fc.unique_id.length, g.series.length * r.h)
  for (const [name, values] of Object.entries(g.columns)) {
    assert.ok(fc[name] instanceof Float64Array, name)
    assert.deepEqual(Array.from(fc[name]), values, name)
  }
})

test('dates, typed arrays, model objects and fallbacks', async () => {
  const day = 86400000
  const start = Date.UTC(2025, 0, 1)
  const data = { unique_id: [], ds: [], y: new Float64Array(24) }
  for (let i = 0; i < 21; i++) {
    data.unique_id.push('long')
    data.ds.push(new Date(start + i * day))
    data.y[i] = i
  }
  for (let i = 0; i < 3; i++) {
    data.unique_id.push('short')
    data.ds.push(new Date(start + i * day))
    data.y[21 + i] = 5
  }
  const fc = await replenish.forecast(data, 2, ['Naive', { model: 'SeasonalNaive', season_length: 7 }], { level: [90] })
  assert.deepEqual(Object.keys(fc), ['unique_id', 'ds', 'Naive', 'Naive-lo-90', 'Naive-hi-90', 'SeasonalNaive', 'SeasonalNaive-lo-90', 'SeasonalNaive-hi-90'])
  assert.deepEqual(fc.unique_id, ['long', 'long', 'short', 'short'])
  assert.deepEqual(fc.ds.map((d) => d.toISOString().slice(0, 10)), ['2025-01-22', '2025-01-23', '2025-01-04', '2025-01-05'])
  assert.deepEqual(Array.from(fc.SeasonalNaive), [14, 15, 5, 5])
  assert.deepEqual(fc.fallbacks.map((f) => [f.id, f.model]), [['short', 'SeasonalNaive']])
})

test('lead-time demand, classification and errors', async () => {
  const y = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 2 : 0))
  const data = { unique_id: y.map(() => 'i'), y }
  const ltd = await replenish.leadTimeDemand(data, 14, 'CrostonSBA', { quantiles: [0.5, 0.95] })
  assert.deepEqual(Object.keys(ltd), ['unique_id', 'mean', 'q-0.5', 'q-0.95'])
  assert.ok(ltd['q-0.5'][0] <= ltd['q-0.95'][0])
  assert.deepEqual(replenish.classify(data).map((c) => c.demand_class), ['intermittent'])
  await assert.rejects(replenish.forecast(data, 1, ['Prophet']), (e) => e.code === 'INVALID_INPUT' && /unknown model/.test(e.message))
  await assert.rejects(replenish.forecast(data, 0, ['Naive']), (e) => e.code === 'CONFIG')
  await assert.rejects(replenish.forecast({ unique_id: ['a', 'a'], y: [1, null] }, 1, 'Naive'), (e) => /missing value at position 1/.test(e.message))
  const dropped = await replenish.forecast({ unique_id: ['a', 'a', 'a'], y: [1, null, 3] }, 1, 'HistoricAverage', { missing: 'drop' })
  assert.deepEqual(Array.from(dropped.HistoricAverage), [2])
})

test('metrics by hand', () => {
  assert.equal(replenish.mae([2, 4, 0], [3, 2, 1]), 4 / 3)
  assert.equal(replenish.wape([2, 4, 0], [3, 2, 1]), 4 / 6)
  assert.ok(Math.abs(replenish.mase([5], [4], [1, 3, 2, 4]) - 0.6) < 1e-12)
  assert.ok(Math.abs(replenish.pinball([10], [8], 0.9) - 1.8) < 1e-12)
  assert.ok(Math.abs(replenish.coverage([1, 5, 3], [0, 0, 3], [2, 4, 3]) - 2 / 3) < 1e-12)
  assert.throws(() => replenish.metric('mase', [1], [1]), (e) => e.code === 'INVALID_INPUT')
  assert.ok(replenish.METRICS.includes('scaled_pinball') && replenish.MODEL_NAMES.includes('IMAPA'))
})

const M4 = path.join(REPO, '..', 'shared', 'data', 'm4')

test('M4 Hourly baselines reproduce the published rows', { skip: !fs.existsSync(path.join(M4, 'Hourly-train.csv')) && 'M4 data not found in ../shared/data/m4' }, async () => {
  const wide = (name) =>
    fs.readFileSync(path.join(M4, name), 'utf8').trim().split('\n').slice(1).map((line) => {
      const cells = line.split(',').map((c) => c.replace(/"/g, ''))
      return [cells[0], cells.slice(1).filter((c) => c !== '').map(Number)]
    })
  const train = wide('Hourly-train.csv')
  const test_ = wide('Hourly-test.csv')
  const data = { unique_id: [], y: [] }
  for (const [id, ys] of train) for (const v of ys) { data.unique_id.push(id); data.y.push(v) }
  const fc = await replenish.forecast(data, 48, ['Naive', 'SeasonalNaive'], { seasonLength: 24 })
  const byId = new Map(train)
  const row = new Map(fc.unique_id.filter((_, i) => i % 48 === 0).map((id, s) => [id, s]))
  for (const [model, want] of [['Naive', [43.003, 11.608]], ['SeasonalNaive', [13.912, 1.193]]]) {
    let s = 0
    let m = 0
    for (const [id, actual] of test_) {
      const k = row.get(id) * 48
      const f = fc[model].subarray(k, k + 48)
      s += replenish.smape(actual, f)
      m += replenish.mase(actual, f, byId.get(id), 24)
    }
    assert.deepEqual([Math.round((s / test_.length) * 1000) / 1000, Math.round((m / test_.length) * 1000) / 1000], want, model)
  }
})

test('cross-validation and evaluation by hand', async () => {
  const data = { unique_id: [], ds: [], y: [] }
  for (let t = 0; t < 20; t++) { data.unique_id.push('lin'); data.ds.push(t); data.y.push(2 * t) }
  for (let t = 0; t < 12; t++) { data.unique_id.push('const'); data.ds.push(t); data.y.push(5) }
  const cv = await replenish.crossValidation(data, 2, ['Naive', 'RandomWalkWithDrift'], { nWindows: 3, stepSize: 2, level: [80] })
  const lin = cv.unique_id.map((u, i) => i).filter((i) => cv.unique_id[i] === 'lin')
  assert.deepEqual(lin.map((i) => cv.cutoff[i]), [13, 13, 15, 15, 17, 17])
  assert.deepEqual(lin.map((i) => cv.ds[i]), [14, 15, 16, 17, 18, 19])
  assert.deepEqual(lin.map((i) => cv.Naive[i]), [26, 26, 30, 30, 34, 34])
  const ev = replenish.evaluate(cv, data, ['mae', 'mase', 'coverage'])
  const row = (u, m) => ev.find((r) => r.unique_id === u && r.metric === m)
  assert.equal(row('lin', 'mae').Naive, 3)
  assert.equal(row('lin', 'mase').Naive, 1.5)
  assert.equal(row('lin', 'coverage-80').RandomWalkWithDrift, 1)
  assert.deepEqual(replenish.evaluate(cv, data, ['mae'], { agg: true }), [{ unique_id: null, metric: 'mae', Naive: 1.5, RandomWalkWithDrift: 0 }])
  await assert.rejects(replenish.crossValidation(data, 5, 'Naive', { nWindows: 3 }), (e) => e.code === 'INVALID_INPUT')
})

test('cross-validation without refitting holds the parameters estimated at the first window', async () => {
  const data = { unique_id: [], ds: [], y: [] }
  for (let t = 0; t < 80; t++) { data.unique_id.push('s'); data.ds.push(t); data.y.push(50 + 10 * Math.sin(t / 3) + ((t * 37) % 11) - 5) }
  const run = (refit) => replenish.crossValidation(data, 7, ['DynamicOptimizedTheta'], { nWindows: 3, refit })
  const [a, b] = [await run(true), await run(false)]
  assert.deepEqual(b.DynamicOptimizedTheta.slice(0, 7), a.DynamicOptimizedTheta.slice(0, 7))
  assert.notDeepEqual(b.DynamicOptimizedTheta, a.DynamicOptimizedTheta)
})

test('Theta, AutoSelect and ensembles', async () => {
  const pattern = [5, 9, 4, 7, 12, 20, 3]
  const y = Array.from({ length: 140 }, (_, t) => pattern[t % 7])
  const data = { unique_id: y.map(() => 'w'), y }
  const fc = await replenish.forecast(data, 7, [
    { model: 'AutoSelect', season_length: 7 },
    { model: 'Ensemble', models: [{ model: 'Naive' }, { model: 'SeasonalNaive', season_length: 7 }], combine: 'median' },
    'AutoTheta',
  ], { seasonLength: 7 })
  assert.deepEqual(Array.from(fc.AutoSelect), pattern)
  assert.deepEqual(Array.from(fc.AutoTheta).map((v) => Math.round(v * 1e6) / 1e6), pattern)
  assert.ok(fc.EnsembleMedian instanceof Float64Array)
  await assert.rejects(replenish.forecast(data, 1, [{ model: 'Ensemble', models: [] }]), (e) => e.code === 'CONFIG')
})

test('ARIMA with a fixed order', async () => {
  // A deterministic zig-zag walk with drift 0.5: ARIMA(0,1,0) with drift forecasts the
  // random walk with drift's line; a seasonal MA model fits the weekly pattern.
  const y = new Float64Array(400)
  for (let t = 1; t < 400; t++) y[t] = y[t - 1] + 0.5 + (t % 3 === 0 ? 1.5 : -0.75)
  const data = { unique_id: Array.from(y, () => 'w'), y }
  const fc = await replenish.forecast(data, 3, [
    { model: 'ARIMA', order: [0, 1, 0], include_drift: true },
    'RandomWalkWithDrift',
    { model: 'ARIMA', order: [1, 0, 0], season_length: 3, seasonal_order: [0, 1, 1] },
  ], { level: [95] })
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(fc.ARIMA[k] - fc.RandomWalkWithDrift[k]) < 1e-6)
  assert.ok(fc.ARIMA1 instanceof Float64Array && fc['ARIMA-hi-95'][0] > fc.ARIMA[0])
  await assert.rejects(
    replenish.forecast(data, 1, [{ model: 'ARIMA', order: [1, 0, 0], seasonal_order: [1, 0, 0] }]),
    (e) => e.code === 'CONFIG' && /season/.test(e.message),
  )
})

test('AutoARIMA finds the season', async () => {
  const pattern = [10, -4, 3, -9, 0, 6, -6]
  // a deterministic wobble stands in for noise
  const y = Float64Array.from({ length: 280 }, (_, t) => 100 + pattern[t % 7] + Math.sin(t * 1.7))
  const fc = await replenish.forecast({ unique_id: Array.from(y, () => 's'), y }, 7, ['AutoARIMA'], { seasonLength: 7 })
  for (let k = 0; k < 7; k++) assert.ok(Math.abs(fc.AutoARIMA[k] - (100 + pattern[(280 + k) % 7])) < 1.5, `${k}: ${fc.AutoARIMA[k]}`)
})

test('sample paths on request', async () => {
  const y = Array.from({ length: 30 }, (_, t) => t % 5)
  const data = { unique_id: y.map(() => 'a'), y }
  const p = await replenish.samplePaths(data, 4, { model: 'SeasonalNaive', season_length: 5 }, { nPaths: 20, seed: 3 })
  assert.equal(p.y.length, 80)
  assert.deepEqual(p.ds.slice(0, 4), [30, 31, 32, 33])
  assert.equal(p.path[4], 1)
  const again = await replenish.samplePaths(data, 4, { model: 'SeasonalNaive', season_length: 5 }, { nPaths: 20, seed: 3 })
  assert.deepEqual(Array.from(again.y), Array.from(p.y))
})

/** Two daily series with a promotion flag adding 5 units; deterministic noise. */
function promoData(n = 120) {
  const data = { unique_id: [], ds: [], y: [], promo: [] }
  const start = Date.UTC(2025, 0, 1)
  for (const [id, base] of [['a', 20], ['b', 30]]) {
    let e = 0
    for (let t = 0; t < n; t++) {
      const promo = (t * 7 + base) % 5 === 0
      e = 0.5 * e + 0.4 * Math.sin(t * 1.3 + base)
      data.unique_id.push(id)
      data.ds.push(new Date(start + t * 86400000))
      data.y.push(base + (promo ? 5 : 0) + e)
      data.promo.push(promo)
    }
  }
  return data
}

function futurePromo(n, h = 7) {
  const X = { unique_id: [], ds: [], promo: [] }
  for (const id of ['a', 'b']) {
    for (let k = 0; k < h; k++) {
      X.unique_id.push(id)
      X.ds.push(new Date(Date.UTC(2025, 0, 1) + (n + k) * 86400000))
      X.promo.push(k === 2 ? 1 : 0)
    }
  }
  return X
}

test('AutoARIMA with a promotion regressor forecasts the uplift', async () => {
  const data = promoData()
  const fc = await replenish.forecast(data, 7, ['AutoARIMA', 'Naive'], { X_df: futurePromo(120) })
  const lift = fc.AutoARIMA[2] - (fc.AutoARIMA[1] + fc.AutoARIMA[3]) / 2
  assert.ok(lift > 4 && lift < 6, `lift ${lift}`)
  // The effect column explains it: β on the promoted day, 0 on the others.
  const effect = fc['AutoARIMA-effect-promo']
  assert.ok(effect[2] > 4 && effect[2] < 6 && effect[1] === 0 && effect[3] === 0, String(effect))
  assert.ok(!('Naive-effect-promo' in fc))
  const plain = await replenish.forecast({ unique_id: data.unique_id, ds: data.ds, y: data.y }, 7, ['Naive'])
  assert.deepEqual(Array.from(fc.Naive), Array.from(plain.Naive))
  const cv = await replenish.crossValidation(data, 7, ['AutoARIMA'], { nWindows: 2 })
  assert.equal(cv.AutoARIMA.length, 28)
})

test('lead-time demand takes future regressors', async () => {
  const data = promoData()
  const quiet = await replenish.leadTimeDemand(data, 7, 'AutoARIMA', { X_df: futurePromo(120), quantiles: [0.5] })
  const X = futurePromo(120)
  X.promo = X.promo.map((_, k) => (k % 7 >= 1 && k % 7 <= 3 ? 1 : 0))
  const promoted = await replenish.leadTimeDemand(data, 7, 'AutoARIMA', { X_df: X, quantiles: [0.5] })
  for (let s = 0; s < 2; s++) {
    const lift = promoted.mean[s] - quiet.mean[s]
    assert.ok(lift > 7 && lift < 13, `lift ${lift}`) // two more promoted days at about +5
  }
  const paths = await replenish.samplePaths(data, 7, 'AutoARIMA', { nPaths: 10, X_df: X })
  assert.equal(paths.y.length, 2 * 10 * 7)
})

test('MSTL decomposition columns sum to the series', () => {
  const n = 24 * 7 * 6
  const y = Array.from({ length: n }, (_, t) => 100 + 0.05 * t + 10 * Math.sin((2 * Math.PI * t) / 24) + 5 * Math.cos((2 * Math.PI * t) / 168))
  const d = replenish.mstlDecomposition({ unique_id: Array(n).fill('a'), y }, [24, 168])
  assert.deepStrictEqual(Object.keys(d), ['unique_id', 'ds', 'y', 'trend', 'seasonal24', 'seasonal168', 'remainder'])
  for (let t = 0; t < n; t++) {
    const sum = d.trend[t] + d.seasonal24[t] + d.seasonal168[t] + d.remainder[t]
    assert.ok(Math.abs(sum - y[t]) < 1e-9)
  }
  assert.throws(() => replenish.mstlDecomposition({ unique_id: ['a'], y: [1] }, 1), /at least 2/)
})

test('future regressor errors name what is missing', async () => {
  const data = promoData(60)
  const X = futurePromo(60)
  const rejects = (p, re) => assert.rejects(p, (e) => e.code === 'INVALID_INPUT' && re.test(e.message))
  await rejects(replenish.forecast(data, 7, ['AutoARIMA']), /AutoARIMA use the regressors `promo`.*X_df/)
  const cut = { unique_id: X.unique_id.slice(0, 12), ds: X.ds.slice(0, 12), promo: X.promo.slice(0, 12) }
  await rejects(replenish.forecast(data, 7, ['AutoARIMA'], { X_df: cut }), /no row for series `b` at 2025-03-07 \(and 1 more/)
  await rejects(replenish.forecast(data, 7, ['AutoARIMA'], { X_df: { ...X, price: X.promo } }), /unknown regressor `price`/)
  await rejects(replenish.forecast(data, 7, ['AutoARIMA'], { X_df: { unique_id: X.unique_id, ds: X.ds } }), /regressor `promo` has no column/)
  await rejects(replenish.forecast({ ...data, store: data.y.map(() => 'x') }, 7, ['AutoARIMA'], { X_df: X }), /column `store` of data is not numeric/)
})

test('GBDT learns promotions across series and explains the uplift', async () => {
  const week = [1.0, 0.9, 0.95, 1.0, 1.2, 1.4, 0.6]
  const data = { unique_id: [], ds: [], y: [], promo: [] }
  const X = { unique_id: [], ds: [], promo: [] }
  const start = Date.UTC(2024, 0, 1)
  for (let s = 0; s < 10; s++) {
    for (let t = 0; t < 214; t++) {
      const promo = (t * 13 + s * 7) % 11 < 2 ? 1 : 0
      const d = new Date(start + t * 86400000)
      const y = (50 + 30 * s) * week[(d.getUTCDay() + 6) % 7] * (1 + 0.4 * promo) * (1 + 0.05 * Math.sin(t * 31 + s * 17))
      const target = t < 200 ? data : X
      target.unique_id.push(`s${s}`)
      target.ds.push(d)
      target.promo.push(promo)
      if (t < 200) data.y.push(y)
    }
  }
  const model = { model: 'GBDT', season_length: 7, n_estimators: 200, min_data_in_leaf: 5 }
  const fc = await replenish.forecast(data, 14, [model], { X_df: X, level: [80] })
  for (let k = 0; k < 14; k++) {
    const rel = fc['GBDT-effect-promo'][k] / (fc.GBDT[k] - fc['GBDT-effect-promo'][k])
    if (X.promo[k] === 1) assert.ok(rel > 0.25 && rel < 0.55, `step ${k}: ${rel}`)
    else assert.ok(Math.abs(rel) < 0.1, `step ${k}: ${rel}`)
    assert.ok(fc['GBDT-lo-80'][k] <= fc.GBDT[k] && fc.GBDT[k] <= fc['GBDT-hi-80'][k])
  }
  assert.ok(fc.importance.GBDT.promo > 0.05 && 'dayofweek' in fc.importance.GBDT)
  await assert.rejects(replenish.forecast(data, 14, [{ ...model, num_leaves: 1 }], { X_df: X }), (e) => e.code === 'CONFIG' && /num_leaves/.test(e.message))
})

test('MSTL forecasts two seasonal cycles', async () => {
  const n = 24 * 7 * 6
  const f = (t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 24) + 5 * Math.cos((2 * Math.PI * t) / 168) + 0.01 * t
  const y = Float64Array.from({ length: n }, (_, t) => f(t))
  const fc = await replenish.forecast({ unique_id: Array.from(y, () => 'h'), y }, 48, [{ model: 'MSTL', season_length: [24, 168] }])
  let mae = 0
  for (let k = 0; k < 48; k++) mae += Math.abs(fc.MSTL[k] - f(n + k)) / 48
  assert.ok(mae < 1, `mae ${mae}`)
})

test('event tables become regressor columns', () => {
  const ds = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2024, 11, 20 + i)))
  const data = { unique_id: ds.map(() => 'a'), ds, y: ds.map(() => 1), loc: ds.map((_, i) => (i < 5 ? 'L1' : 'L2')) }
  const events = { date: ['2024-12-25', '2024-12-27'], name: ['christmas', 'fair'], location: [null, 'L1'], before: [2, 0], after: [1, 0] }
  const out = replenish.eventFeatures(data, events, { locationCol: 'loc' })
  assert.deepEqual(Array.from(out.christmas), [0, 0, 0, 1, 1, 1, 1, 0, 0, 0])
  assert.deepEqual(Array.from(out.fair), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) // the 27th is at L2
  assert.throws(() => replenish.eventFeatures(data, { date: ['nope'], name: ['x'] }), /is not a date/)
})
