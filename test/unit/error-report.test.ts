import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {idOfFilename, instanceTag, makeReport, matches, nodeTag, reportFilename, reportId} from '../../src/controller/reports/error-report.ts'

describe('error report ids', () => {
  test("LINSTOR's <instance>-<node>-<sequence> shape", () => {
    assert.equal(reportId('5b9a15b7-1234-4000-8000-000000000000', '00000', 7), '5B9A15B7-00000-000007')
    assert.equal(instanceTag('ab'), 'AB000000')
  })
  test('node tags are stable, five hex digits, and ignore case', () => {
    assert.match(nodeTag('alpha'), /^[0-9A-F]{5}$/)
    assert.equal(nodeTag('alpha'), nodeTag('ALPHA'))
    assert.notEqual(nodeTag('alpha'), nodeTag('bravo'))
  })
  test('file names round-trip', () => {
    assert.equal(reportFilename('5B9A15B7-00000-000007'), 'ErrorReport-5B9A15B7-00000-000007.log')
    assert.equal(idOfFilename('ErrorReport-5B9A15B7-00000-000007.log'), '5B9A15B7-00000-000007')
    assert.equal(idOfFilename('5B9A15B7-00000-000007'), '5B9A15B7-00000-000007')
  })
})

describe('error report filter', () => {
  const r = makeReport('AAAAAAAA-00000-000001', {node: 'n1', time: 1000, module: 'storage', message: 'boom', version: '1.0.0', details: 'more'})
  const cases: [string, Parameters<typeof matches>[1], boolean][] = [
    ['empty query matches', {}, true],
    ['node, case-insensitive', {nodes: new Set(['N1'])}, true],
    ['other node', {nodes: new Set(['N2'])}, false],
    ['since before', {since: 999}, true],
    ['since after', {since: 1001}, false],
    ['to inclusive', {to: 1000}, true],
    ['to before', {to: 999}, false],
    ['by id', {ids: new Set(['AAAAAAAA-00000-000001'])}, true],
    ['other id', {ids: new Set(['AAAAAAAA-00000-000002'])}, false],
    ['version', {version: '1.0.0'}, true],
    ['other version', {version: '2.0.0'}, false],
  ]
  for (const [name, q, want] of cases) test(name, () => assert.equal(matches(r, q), want))
  test('the text carries id, node, module, message and details', () => {
    assert.match(r.text ?? '', /^ERROR REPORT AAAAAAAA-00000-000001/)
    for (const re of [/Node: +n1/, /Module: +storage/, /Error message: +boom/, /Details:\nmore/]) assert.match(r.text ?? '', re)
  })
})
