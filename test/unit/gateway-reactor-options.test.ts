import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {PROMOTER_OPTIONS, promoterConfigProblems, promoterOptionProblems} from '../../gateway/reactor-options.ts'

describe('promoter options', () => {
  test('every option of drbd-reactor 1.11 with its default', () => {
    assert.deepEqual(Object.keys(PROMOTER_OPTIONS).sort(), ['adjust-resource-on-start', 'dependencies-as', 'fencing-promote-delay',
      'on-disk-detach', 'on-drbd-demote-failure', 'on-quorum-loss', 'on-stop-failure', 'preferred-nodes', 'preferred-nodes-policy',
      'runner', 'secondary-force', 'sleep-before-promote-factor', 'start', 'stop', 'stop-services-on-exit', 'target-as'])
    assert.equal(PROMOTER_OPTIONS['on-drbd-demote-failure'].default, 'none')
    assert.equal(PROMOTER_OPTIONS['secondary-force'].default, true)
    assert.equal(PROMOTER_OPTIONS['fencing-promote-delay'].default, 5)
  })
  test('a full valid set has no problems', () => {
    assert.deepEqual(promoterOptionProblems({
      'start': ['ocf:heartbeat:IPaddr2 ip ip=1.2.3.4 cidr_netmask=24', 'nfs-server.service'], 'stop': [], 'runner': 'systemd',
      'dependencies-as': 'Wants', 'target-as': 'BindsTo', 'on-drbd-demote-failure': 'poweroff-force', 'stop-services-on-exit': true,
      'secondary-force': false, 'sleep-before-promote-factor': 2, 'preferred-nodes': ['a', 'b'], 'preferred-nodes-policy': 'start-only',
      'on-quorum-loss': 'freeze', 'on-disk-detach': 'fail-over', 'fencing-promote-delay': 0, 'adjust-resource-on-start': false,
      'on-stop-failure': 'x',
    }), [])
  })
  test('wrong values are named', () => {
    assert.deepEqual(promoterOptionProblems({
      'runner': 'bash', 'target-as': 'requires', 'stop-services-on-exit': 'yes', 'sleep-before-promote-factor': -1,
      'fencing-promote-delay': 1.5, 'preferred-nodes': 'a', 'targetas': 'Requires', 'on-stop-failure': 1,
    }), [
      'promoter option \'runner\' must be one of systemd, shell, got "bash"',
      'promoter option \'target-as\' must be one of Wants, Requires, Requisite, BindsTo, got "requires"',
      'promoter option \'stop-services-on-exit\' must be true or false, got "yes"',
      "promoter option 'sleep-before-promote-factor' must be a whole number from 0 to 4294967295, got -1",
      "promoter option 'fencing-promote-delay' must be a whole number from 0 to 9007199254740991, got 1.5",
      "promoter option 'preferred-nodes' must be a list of strings",
      "unknown promoter option 'targetas'",
      "promoter option 'on-stop-failure' must be a string",
    ])
  })
  test('start entries must be valid units with distinct names (systemd runner)', () => {
    assert.deepEqual(promoterOptionProblems({start: ['ocf:heartbeat:IPaddr2 ip ip=1', 'ocf:heartbeat:portblock ip action=block', 'a/b.service', 'ocf:x']}), [
      'start entry "ocf:heartbeat:portblock ip action=block": the name \'ip\' is used twice',
      'start entry "a/b.service": invalid unit name \'a/b.service\'',
      'start entry "ocf:x": expected at least type and name in "ocf:x"',
    ])
    assert.deepEqual(promoterOptionProblems({runner: 'shell', start: ['echo a/b', 'echo a/b']}), [])
  })
  test('not a table', () => assert.deepEqual(promoterOptionProblems([]), ['promoter resource options must be a table']))
  test('[[promoter]] entries', () => {
    assert.deepEqual(promoterConfigProblems({resources: {r: {runner: 'systemd'}}, metadata: {x: 1}, id: 'old'}), [])
    assert.deepEqual(promoterConfigProblems({resource: {}, resources: {r: {runner: 'x'}}}), [
      "unknown promoter key 'resource'",
      'resource r: promoter option \'runner\' must be one of systemd, shell, got "x"',
    ])
    assert.deepEqual(promoterConfigProblems({resources: 1}), ["promoter 'resources' must be a table"])
    assert.deepEqual(promoterConfigProblems('x'), ['a promoter entry must be a table'])
  })
})
