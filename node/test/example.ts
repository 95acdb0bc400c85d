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
