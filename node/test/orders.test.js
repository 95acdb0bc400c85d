// Purchase orders from Node: tracking with approval, supplier UBL documents,
// alerts, open orders, receipts, e-mails, supplier minimums and truck loads.
const test = require('node:test')
const assert = require('node:assert')
const replenish = require('..')

const APPROVALS = `
auto_approve_when = "total_value < 1000"
[actors]
ann = ["buyer"]
max = ["manager"]
fin = ["finance_director"]
[[rules]]
name = "manager"
steps = [{ name = "manager", roles = ["manager"] }]
[[rules]]
name = "finance"
when = "total_value >= 25000"
steps = [{ name = "finance", roles = ["finance_director"] }]
`

const response = (po, line, quantity, day) => `<?xml version="1.0" encoding="UTF-8"?>
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>R-1</cbc:ID><cbc:IssueDate>${day}</cbc:IssueDate><cbc:OrderResponseCode>CA</cbc:OrderResponseCode>
<cac:OrderReference><cbc:ID>${po}</cbc:ID></cac:OrderReference><cac:SellerSupplierParty/><cac:BuyerCustomerParty/>
<cac:OrderLine><cac:LineItem><cbc:ID>${line}</cbc:ID><cbc:Quantity unitCode="C62">${quantity}</cbc:Quantity><cac:Item/></cac:LineItem></cac:OrderLine>
</OrderResponse>`

const addDays = (iso, n) => new Date(Date.parse(iso + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10)

test('POs are approved, sent, confirmed by UBL, received; alerts and open orders follow', async () => {
  const tables = await replenish.demoData({ skus: 30, locations: 1, days: 300 })
  const dataset = await replenish.readTables(tables)
  const plan = await replenish.plan(dataset)
  let states = replenish.trackOrders(plan)
  assert.strictEqual(states.length, plan.purchase_orders.length)
  const events = []
  const t = (h) => `${plan.as_of}T${String(h).padStart(2, '0')}:00:00`
  for (const po of plan.purchase_orders) {
    events.push({ po_number: po.po_number, event: 'submit', actor: 'ann', at: t(9) })
    if (po.total_value >= 1000) events.push({ po_number: po.po_number, event: 'approve', actor: 'max', at: t(10) })
    if (po.total_value >= 25000) events.push({ po_number: po.po_number, event: 'approve', actor: 'fin', at: t(11) })
    events.push({ po_number: po.po_number, event: 'send', at: t(12) })
  }
  let out = replenish.applyEvents(APPROVALS, states, events)
  assert.deepStrictEqual(out.refused, [])
  states = out.states
  assert.ok(states.every((s) => s.status === 'sent'))

  const po = plan.purchase_orders[0]
  const line = po.lines[0]
  const ack = replenish.importUbl(response(po.po_number, line.line, Math.floor(line.quantity / 2), addDays(plan.as_of, 1)))
  assert.strictEqual(ack.event, 'acknowledge')
  assert.strictEqual(ack.po_number, po.po_number)
  out = replenish.applyEvents(APPROVALS, states, [ack])
  assert.deepStrictEqual(out.refused, [])
  states = out.states
  assert.strictEqual(states[0].status, 'acknowledged')

  const stock = replenish.stockOutlook(plan, dataset)
  assert.strictEqual(stock.length, plan.lines.length)
  const alerts = replenish.poAlerts(states, stock, addDays(plan.as_of, 5))
  const short = alerts.find((a) => a.kind === 'short_confirmation' && a.po_number === po.po_number)
  assert.ok(short, JSON.stringify(alerts.slice(0, 3)))
  assert.deepStrictEqual(short.skus, [line.sku])
  assert.ok(short.projected_lost_sales >= line.quantity - Math.floor(line.quantity / 2))
  assert.strictEqual(alerts.filter((a) => a.kind === 'no_acknowledgement').length, states.length - 1)

  // Over-delivery beyond the tolerance is refused; the confirmed quantity completes the line.
  const at = `${addDays(plan.as_of, 3)}T07:00:00`
  out = replenish.applyEvents(APPROVALS, states, [
    { po_number: po.po_number, event: 'receive', at, lines: [{ line: line.line, quantity: line.quantity * 2 }] },
    { po_number: po.po_number, event: 'receive', at, lines: [{ line: line.line, quantity: Math.floor(line.quantity / 2) }] },
  ])
  assert.deepStrictEqual(out.refused.map((r) => [r.index, r.kind]), [[0, 'bad_quantity']])
  states = out.states
  assert.strictEqual(states[0].lines[0].status, 'received')
  assert.strictEqual(replenish.verifyHistory(states[0]), null)
  const tampered = { ...states[0], history: states[0].history.map((r) => ({ ...r })) }
  tampered.history[2].status = 'cancelled'
  assert.strictEqual(replenish.verifyHistory(tampered).index, 2)

  const receipts = replenish.trackedReceipts(states)
  assert.ok(receipts.some((r) => r.sku === line.sku))
  const learnt = replenish.learnLeadTimes(dataset, receipts)
  assert.ok(learnt.some((e) => e.sku === line.sku))
  const open = replenish.trackedOpenOrders(states)
  assert.strictEqual(open.find((o) => o.po_number === po.po_number && o.line === line.line).quantity_ordered, Math.floor(line.quantity / 2))

  // Sending a draft is refused; unknown documents are typed errors.
  const fresh = replenish.trackOrders(plan)
  out = replenish.applyEvents(APPROVALS, fresh, [{ po_number: po.po_number, event: 'send', at: t(9) }])
  assert.strictEqual(out.refused[0].kind, 'invalid_transition')
  assert.throws(() => replenish.importUbl('<Invoice/>'), (e) => e instanceof replenish.ReplenishError && /OrderResponse/.test(e.message))
})

test('e-mails, open orders of the plan, supplier minimums and truck loads', async () => {
  const tables = await replenish.demoData({ skus: 30, locations: 1, days: 300 })
  const dataset = await replenish.readTables(tables)
  const plan = await replenish.plan(dataset)
  const mails = replenish.poEmails(plan, dataset, { from: 'buying@shop.example', date: '2026-11-02', skipMissing: true, ubl: { buyer_name: 'Shop' } })
  const [po, text] = Object.entries(mails)[0]
  assert.match(text, new RegExp(`Subject: Purchase order ${po} from Shop`))
  assert.match(text, /Content-Type: multipart\/mixed/)
  assert.match(text, new RegExp(`filename="${po}.csv"`))
  assert.match(text, new RegExp(`filename="${po}.xml"`))
  if (Object.keys(mails).length < plan.purchase_orders.length) {
    assert.throws(() => replenish.poEmails(plan, dataset, { from: 'buying@shop.example', date: '2026-11-02' }), replenish.ConfigError)
  }
  // The plan's own POs as open orders: re-planning orders nothing new.
  const open = replenish.asOpenOrders(plan)
  const extra = open.map((o) => [o.po_number, o.line, o.supplier_id, o.sku, o.location, o.status, o.quantity_ordered, o.quantity_received, o.order_date, o.expected_date ?? ''].join(',')).join('\n')
  const again = await replenish.plan({ ...tables, open_orders: tables.open_orders.trimEnd() + '\n' + extra + '\n' })
  assert.strictEqual(again.purchase_orders.length, 0)
  // Truck loads for SUP-01 (the demo gives it a truck); supplier adjustments are listed.
  assert.ok(plan.purchase_orders.some((p) => p.load && p.load.trucks >= 1 && p.load.fill <= 1))
  assert.ok(Array.isArray(plan.supplier_adjustments))
  // A minimum far above every PO, with defer: the supplier's lines are deferred.
  const sid = plan.purchase_orders[0].supplier_id
  const header = tables.suppliers.split('\n')[0].split(',')
  const col = header.indexOf('min_order_value')
  const act = header.indexOf('min_order_action')
  const rows = tables.suppliers.trimEnd().split('\n').map((r, i) => {
    if (i === 0) return act < 0 ? r + ',min_order_action' : r
    const f = r.split(',')
    if (f[0] === sid) f[col] = '1000000000'
    else f[col] = ''
    if (act < 0) f.push(f[0] === sid ? 'defer' : '')
    return f.join(',')
  })
  const strict = await replenish.plan({ ...tables, suppliers: rows.join('\n') + '\n' })
  assert.ok(strict.deferred.some((d) => d.cause === 'minimum_order'))
  assert.ok(strict.purchase_orders.every((p) => p.supplier_id !== sid))
})

test('receipts teach the next plan its lead times', async () => {
  const tables = await replenish.demoData({ skus: 20, locations: 1, days: 300 })
  const plan = await replenish.plan(tables)
  const line = plan.lines.find((l) => l.supplier_id)
  const day = (n) => new Date(Date.UTC(2026, 0, 5) + n * 86400e3).toISOString().slice(0, 10)
  const receipts = Array.from({ length: 30 }, (_, k) => ({
    supplier_id: line.supplier_id, sku: line.sku, order_date: day(7 * k), received_date: day(7 * k + Math.round(line.lead_time_days) + 6),
  }))
  const learnt = await replenish.plan({ ...tables, receipts })
  const again = learnt.lines.find((l) => l.sku === line.sku && l.location === line.location)
  assert.ok(again.lead_time_days > line.lead_time_days + 4)
  assert.strictEqual(again.parameter_sources.lead_time, 'learnt from 30 receipt(s)')
  await assert.rejects(
    replenish.plan({ ...tables, receipts: [{ ...receipts[0], received_date: '2025-01-01' }] }),
    (e) => e instanceof replenish.ValidationError && e.problems[0].column === 'received_date'
  )
})
