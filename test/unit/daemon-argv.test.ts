import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {daemonInvocation} from '../../src/daemon/daemon-argv.ts'

describe('daemonInvocation: daemon starts that need no oclif', () => {
  test('mode and settings, both flag forms, and --config', () => {
    assert.deepEqual(daemonInvocation(['satellite', '--data-dir', '/d', '--satellite-port=3400', '--config', '/etc/x.toml']),
      {mode: 'satellite', flags: {'data-dir': '/d', 'satellite-port': '3400'}, config: '/etc/x.toml'})
    assert.deepEqual(daemonInvocation(['combined']), {mode: 'combined', flags: {}, config: undefined})
  })
  test('an empty value is still a value', () => assert.deepEqual(daemonInvocation(['controller', '--cluster-secret=']),
    {mode: 'controller', flags: {'cluster-secret': ''}, config: undefined}))
  // Left to oclif, which prints help or the right error.
  const toOclif: [string, string[]][] = [
    ['client commands', ['node', 'list']],
    ['help', ['satellite', '--help']],
    ['an unknown flag', ['satellite', '--no-such-flag', 'x']],
    ['a flag without its value', ['combined', '--data-dir']],
    ['a flag followed by another flag', ['combined', '--data-dir', '--rest-port', '1']],
    ['a positional argument', ['controller', 'extra']],
    ['nothing at all', []],
  ]
  for (const [name, argv] of toOclif) test(`left to oclif: ${name}`, () => assert.equal(daemonInvocation(argv), undefined))
})
