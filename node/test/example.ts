// Type-checked by `npm run typecheck` (tsc --noEmit): the README example in TypeScript.
import * as replenish from '..'

async function main(): Promise<void> {
  const tables = await replenish.demoData({ skus: 20 })
  const plan: replenish.Plan = await replenish.plan(tables, { service_level: 0.97 })
  const urgent: replenish.PlanLine[] = plan.lines.filter((l) => l.below_reorder_point)
  console.log(urgent.length, plan.summary.order_value)
  try {
    await replenish.plan('./data')
  } catch (e) {
    if (e instanceof replenish.ValidationError) {
      for (const p of e.problems) console.log(`${p.file}:${p.row}:${p.column}: ${p.message}`)
    }
  }
}

void main

async function forecasting(): Promise<void> {
  const data: replenish.LongData = { unique_id: ['a', 'a', 'a'], ds: [0, 1, 2], y: new Float64Array([1, 0, 2]) }
  const fc: replenish.ForecastFrame = await replenish.forecast(data, 7, ['CrostonSBA', { model: 'TSB', alpha_d: 0.2 }], { level: [80, 95] })
  const p80 = fc['CrostonSBA-hi-80'] as Float64Array
  const classes = replenish.classify(data).map((c) => c.demand_class)
  console.log(p80[0], classes, replenish.mase([1], [1], [1, 2, 3], 1), fc.fallbacks.length)
}

void forecasting

async function regressors(): Promise<void> {
  const data: replenish.LongData = { unique_id: ['a', 'a', 'a', 'a'], ds: [0, 1, 2, 3], y: [1, 5, 1, 5], promo: [0, 1, 0, 1] }
  const X_df: replenish.FutureRegressors = { unique_id: ['a', 'a'], ds: [4, 5], promo: [0, 1] }
  const fc = await replenish.forecast(data, 2, ['AutoARIMA'], { X_df })
  console.log(fc.AutoARIMA)
}

void regressors

async function reporting(): Promise<void> {
  const dataset = await replenish.readTables(await replenish.demoData({ skus: 20 }))
  const plan = await replenish.plan(dataset)
  const { tracked, asOf } = replenish.demoTracked(plan)
  const data: replenish.ReportData = await replenish.report(plan, dataset, { tracked, as_of: asOf, levels: [80], accuracy: null })
  const first: replenish.SeriesChart | undefined = data.series[0]
  const html: string = await replenish.htmlReport(plan, dataset, { series: first ? [`${first.sku}@${first.location}`] : [] })
  const acc: replenish.AccuracyPeriod[] = await replenish.forecastAccuracy(dataset, 'AutoETS', { windows: 4, h: 7 })
  console.log(html.length, replenish.renderReport(data).length, acc[0]?.wape, data.exceptions[0]?.severity)
}

void reporting
