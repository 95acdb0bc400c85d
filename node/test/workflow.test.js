// The PO approval workflow from Node: chains, separation of duties, audit log.
const test = require('node:test')
const assert = require('node:assert')
const replenish = require('..')

const CONFIG = `
auto_approve_when = "total_value < 500"

[actors]
ann = ["buyer"]
cat = ["category_manager"]
dan = ["finance_director"]
fay = ["cfo"]

[[rules]]
name = "every PO"
steps = [{ name = "category", roles = ["category_manager"] }]

[[rules]]
name = "large"
when = "total_value >= 10000"
steps = [{ name = "finance", roles = ["finance_director"], deadline_hours = 48, escalate_to = ["cfo"] }]
`

const t0 = Date.UTC(2026, 10, 2, 8)
const at = (h) => new Date(t0 + h * 3600e3)

test('a planned PO goes through its chain; refusals are typed; the audit log is verified', async () => {
  const cfg = replenish.approvalConfig(CONFIG)
  const plan = await replenish.plan(await replenish.demoData({ skus: 20, locations: 1 }))
  const big = plan.purchase_orders.reduce((a, b) => (b.total_value > a.total_value ? b : a))
  assert.ok(big.total_value >= 10000)
  let s = replenish.approvalNew(big)
  assert.strictEqual(s.status, 'draft')
  s = replenish.approvalApply(cfg, s, { event: 'submit', actor: 'ann', at: at(0) })
  assert.strictEqual(s.status, 'pending_approval')
  assert.throws(
    () => replenish.approvalApply(cfg, s, { event: 'approve', actor: 'ann', at: at(1) }),
    (e) => e instanceof replenish.WorkflowError && e.kind === 'self_approval' && e.code === 'WORKFLOW'
  )
  assert.throws(() => replenish.approvalApply(cfg, s, { event: 'approve', actor: 'dan', at: at(1) }), (e) => e.kind === 'not_authorised')
  s = replenish.approvalApply(cfg, s, { event: 'approve', actor: 'cat', at: at(1) })
  assert.throws(() => replenish.approvalApply(cfg, s, { event: 'escalate', at: at(10) }), (e) => e.kind === 'not_due')
  s = replenish.approvalApply(cfg, s, { event: 'escalate', at: at(60) })
  s = replenish.approvalApply(cfg, s, { event: 'approve', actor: 'fay', at: at(61) })
  assert.strictEqual(s.status, 'approved')
  assert.strictEqual(replenish.verifyAudit(s.audit, s.head_hash), null)
  const edited = s.audit.map((r) => ({ ...r }))
  edited[1].status = 'rejected'
  assert.strictEqual(replenish.verifyAudit(edited, s.head_hash).index, 1)
  assert.notStrictEqual(replenish.verifyAudit(s.audit.slice(0, -1), s.head_hash), null)
  const swapped = [s.audit[1], s.audit[0], ...s.audit.slice(2)]
  assert.notStrictEqual(replenish.verifyAudit(swapped, s.head_hash), null)
})

test('small POs are auto-approved; a bad approval rule is located', () => {
  const cfg = replenish.approvalConfig(CONFIG)
  const facts = { po_number: 'PO-X', supplier: 'S', location: 'L', currency: 'EUR', total_value: 100, total_quantity: 5, lines: 1 }
  const s = replenish.approvalApply(cfg, replenish.approvalNew(facts), { event: 'submit', actor: 'ann', at: at(0) })
  assert.strictEqual(s.status, 'approved')
  assert.throws(
    () => replenish.approvalConfig({ rules: [{ name: 'big', when: 'total_vale > 1', steps: [] }] }),
    (e) => e instanceof replenish.RuleError && e.column === 1 && e.reason.includes('did you mean `total_value`')
  )
})

test('lead times are learnt from receipts', async () => {
  const ds = await replenish.readTables(await replenish.demoData({ skus: 5, locations: 1 }))
  const terms = ds.table('supply_terms')[0]
  let seed = 3
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647)
  const receipts = Array.from({ length: 1500 }, (_, i) => {
    const order = new Date(Date.UTC(2025, 0, 1) + i * 86400e3)
    const lead = Math.max(0, Math.round(9 + 2 * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand())))
    return { supplier_id: terms.supplier_id, sku: terms.sku, order_date: order, received_date: new Date(order.getTime() + lead * 86400e3) }
  })
  const est = replenish.learnLeadTimes(ds, receipts, { half_life: null }).find((e) => e.supplier_id === terms.supplier_id && e.sku === terms.sku)
  assert.strictEqual(est.receipts, 1500)
  assert.ok(Math.abs(est.mean_days - 9) < 0.2 && Math.abs(est.std_days - 2.02) < 0.2, JSON.stringify(est))
})
