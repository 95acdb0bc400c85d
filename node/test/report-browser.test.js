// The demo's HTML report in a real headless Chromium (Debian's package, driven by
// playwright-core): every chart renders, nothing is fetched, the console stays
// clean, and a screenshot is written for review. scripts/test-all installs
// Chromium; run alone without it, the test is skipped with a message.
const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const replenish = require('..')
const { REPO } = require('./helpers')

const CHROMIUM = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p))
const SHOTS = path.join(REPO, 'target', 'report-screenshots')
// "A few MB at most" for the demo (300 SKUs × 3 locations × 2 years).
const MAX_BYTES = 3 * 1024 * 1024

test('the demo report renders every chart in headless Chromium, offline, without console errors', { skip: CHROMIUM ? false : 'Chromium not found (apt-get install chromium, or set CHROMIUM)' }, async () => {
  const { chromium } = require('playwright-core')
  // What `replenish demo` writes: the demo plan, its tracked POs as of the last event.
  const dataset = await replenish.readTables(await replenish.demoData())
  const plan = await replenish.plan(dataset)
  const { tracked, asOf } = replenish.demoTracked(plan)
  const data = await replenish.report(plan, dataset, { tracked, as_of: asOf })
  const html = replenish.renderReport(data)
  const bytes = Buffer.byteLength(html, 'utf8')
  console.log(`demo report: ${(bytes / 1024).toFixed(0)} KiB`)
  assert.ok(bytes < MAX_BYTES, `the demo report is ${bytes} bytes`)
  const charts = [...html.matchAll(/<figure data-chart="([^"]+)"/g)].map((m) => m[1])
  // Two per charted SKU-location, fill rate, stock-out rate, accuracy, turnover, ABC/XYZ.
  assert.strictEqual(data.series.length, 4)
  assert.ok(data.accuracy.length === 8)
  assert.deepStrictEqual(charts.slice(0, 8), data.series.flatMap((s) => [`forecast:${s.sku}@${s.location}`, `projection:${s.sku}@${s.location}`]))
  assert.strictEqual(charts.length, 2 * data.series.length + 5)

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replenish-report-'))
  const file = path.join(dir, 'report.html')
  fs.writeFileSync(file, html)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
  try {
    // No network: the page must not need it, and any attempt is a failure.
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    const problems = []
    const requests = []
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`) })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`))
    await page.route('**/*', (route) => {
      const url = route.request().url()
      if (url === `file://${file}`) return route.continue()
      requests.push(url)
      return route.abort()
    })
    await page.goto(`file://${file}`, { waitUntil: 'load' })
    assert.deepStrictEqual(requests, [], 'the report fetched something')
    assert.deepStrictEqual(problems, [])

    // Every chart is an SVG drawn to a visible size, with marks and text in it.
    const drawn = await page.$$eval('figure[data-chart]', (figs) => figs.map((f) => {
      const svg = f.querySelector('svg')
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 }
      const marks = svg ? svg.querySelectorAll('path, polyline, line, rect, circle, polygon').length : 0
      const text = svg ? [...svg.querySelectorAll('text')].map((t) => t.textContent).join(' ') : ''
      const bbox = svg && svg.getBBox ? svg.getBBox() : { width: 0, height: 0 }
      return { chart: f.dataset.chart, width: box.width, height: box.height, marks, text, drawnWidth: bbox.width, drawnHeight: bbox.height }
    }))
    assert.deepStrictEqual(drawn.map((d) => d.chart), charts)
    for (const d of drawn) {
      assert.ok(d.width > 200 && d.height > 100, `${d.chart} is ${d.width}×${d.height}`)
      assert.ok(d.drawnWidth > 100 && d.drawnHeight > 50, `${d.chart} draws nothing visible`)
      assert.ok(d.marks >= 5, `${d.chart} has ${d.marks} marks`)
      assert.ok(d.text.trim().length > 0, `${d.chart} has no axis text`)
    }
    // Axes and legends say what they show.
    const text = (name) => drawn.find((d) => d.chart === name).text
    assert.match(text(charts.find((c) => c.startsWith('forecast:'))), /units per day.*actual|actual.*units per day/s)
    assert.match(text(charts.find((c) => c.startsWith('projection:'))), /reorder point/)
    assert.match(text('fill-rate'), /%/)
    assert.match(text('abc-xyz'), /AX/)

    // The page's sections are all there, and every table has rows.
    const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent))
    for (const h of ['Summary', 'Forecasts and projected stock', 'Service trends', 'Forecast accuracy over time', 'ABC/XYZ matrix', 'Exceptions']) {
      assert.ok(headings.some((x) => x.startsWith(h)), `no "${h}" section in ${headings}`)
    }

    fs.mkdirSync(SHOTS, { recursive: true })
    const shot = path.join(SHOTS, 'demo-report.png')
    await page.screenshot({ path: shot, fullPage: true })
    assert.ok(fs.statSync(shot).size > 50_000)
    console.log(`screenshot: ${path.relative(REPO, shot)}`)
    await context.close()
  } finally {
    await browser.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
