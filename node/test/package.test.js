// `npm pack` makes a package that installs into a clean directory and runs the
// README example from there, through both entry points (CommonJS and ESM); the ESM
// entry exports every name of the CommonJS one.
const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync, spawnSync } = require('node:child_process')
const { REPO } = require('./helpers')

const NODE_DIR = path.join(__dirname, '..')

test('the packed tarball installs in a clean directory and the README example runs', { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replenish-npm-'))
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: NODE_DIR, encoding: 'utf8' }))
    const files = packed[0].files.map((f) => f.path).sort()
    for (const f of ['index.js', 'index.mjs', 'index.d.ts', 'types.d.ts', 'native.js', 'native.d.ts', 'package.json']) {
      assert.ok(files.includes(f), `${f} is not in the package: ${files}`)
    }
    assert.ok(files.some((f) => f.endsWith('.node')), 'the native addon is not in the package')
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('node_modules/')), 'tests or dependencies packed')

    const app = path.join(dir, 'app')
    fs.mkdirSync(app)
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }))
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', path.join(dir, packed[0].filename)], { cwd: app, stdio: 'pipe' })
    assert.ok(!fs.existsSync(path.join(app, 'node_modules', 'replenish', 'src')), 'Rust sources packed')

    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')
    const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)][0][1]
    fs.writeFileSync(path.join(app, 'readme.js'), `(async () => {\n${block}\n})().catch((e) => { console.error(e); process.exit(1) })\n`)
    const run = spawnSync('node', ['readme.js'], { cwd: app, encoding: 'utf8' })
    assert.strictEqual(run.status, 0, run.stderr)
    assert.match(run.stdout, /PO-20261031-0001/)
    assert.match(run.stderr, /VALIDATION[\s\S]*unknown_reference/)

    fs.writeFileSync(path.join(app, 'esm.mjs'), [
      "import replenish, { plan, demoData, ValidationError } from 'replenish'",
      "import { createRequire } from 'node:module'",
      'const cjs = createRequire(import.meta.url)(\'replenish\')',
      "const esm = await import('replenish')",
      'const missing = Object.keys(cjs).filter((k) => !(k in esm))',
      "if (missing.length) throw new Error('not exported from ESM: ' + missing)",
      'if (replenish !== cjs || ValidationError !== cjs.ValidationError) throw new Error("two module instances")',
      'const p = await plan(await demoData({ skus: 5 }))',
      'console.log(p.lines.length)',
    ].join('\n'))
    assert.strictEqual(execFileSync('node', ['esm.mjs'], { cwd: app, encoding: 'utf8' }).trim(), '15')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
