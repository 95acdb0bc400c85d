'use strict'
const path = require('node:path')
const fs = require('node:fs')

const REPO = path.resolve(__dirname, '..', '..')
const FIXTURES = path.join(REPO, 'tests', 'fixtures')
const GOLDEN = path.join(REPO, 'tests', 'golden')

function expectedProblems(name) {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8'))
}

module.exports = { REPO, FIXTURES, GOLDEN, expectedProblems }
