import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {initiatorIqnProblem, invalidIqnMessage, parseTargetIqn, targetIqnProblem} from '../../gateway/iqn.ts'
import {nqnProblem, parseNqn} from '../../gateway/nqn.ts'
import {targetNameProblem} from '../../gateway/target-name.ts'

describe('target names', () => {
  const cases: [string, string | undefined][] = [
    ['ab', undefined],
    ['Example-1', undefined],
    ['a'.repeat(48), undefined],
    ['a', 'must be at least 2 characters long'],
    ['a'.repeat(49), 'must be at most 48 characters long'],
    ['1ab', 'must start with a letter'],
    ['-ab', 'must start with a letter'],
    ['a_b', 'must not contain \'_\' (only letters, digits and "-")'],
    ['a.b', 'must not contain \'.\' (only letters, digits and "-")'],
  ]
  for (const [name, problem] of cases) test(JSON.stringify(name), () => assert.equal(targetNameProblem(name), problem))
})

describe('target IQNs', () => {
  test('the unique part is after the last colon', () => {
    assert.deepEqual(parseTargetIqn('iqn.2019-08.com.linbit:example'), {iqn: 'iqn.2019-08.com.linbit:example', unique: 'example'})
    assert.deepEqual(parseTargetIqn('iqn.1993-08.org.debian:01:abcd1234'), {iqn: 'iqn.1993-08.org.debian:01:abcd1234', unique: 'abcd1234'})
    assert.deepEqual(parseTargetIqn('iqn.2024-01.com.example.storage:t1'), {iqn: 'iqn.2024-01.com.example.storage:t1', unique: 't1'})
  })
  const bad = ['', 'example', 'iqn.2019-8.com.linbit:example', 'iqn.2019-08.com:example', 'iqn.2019-08.com.linbit:',
    'iqn.2019-08.com.linbit:Example', 'IQN.2019-08.com.linbit:example', 'iqn.2019-08.com.linbit:ex_ample', 'iqn.2019-08.com.linbit:ex ample',
    'iqn.2019-28.com.linbit:example', 'iqn.2019-08.com.linbit:01:9abc']
  for (const text of bad) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      assert.equal(targetIqnProblem(text), invalidIqnMessage(text))
      assert.throws(() => parseTargetIqn(text), {message: invalidIqnMessage(text)})
    })
  }
  test('the message is upstream\'s', () => {
    assert.equal(invalidIqnMessage('x'), '\'x\' is not a valid IQN. expected format: iqn.YYYY-MM.DOTTED.DOMAIN.NAME:UNIQUE_RESOURCE_NAME (only lowercase characters, digits, and "-")')
  })
  test('RFC 3720 length limit', () => {
    const long = `iqn.2019-08.com.linbit:${'x'.repeat(200)}:ab`
    assert.equal(targetIqnProblem(long), `'${long}' is not a valid IQN: longer than 223 characters`)
  })
})

describe('initiator IQNs', () => {
  for (const ok of ['iqn.1993-08.org.debian:01:abcd1234', 'iqn.2024-01.com.example:host1', 'iqn.1991-05.com.microsoft:win-host.corp.example',
    'iqn.1998-01.com.vmware:esx1-4b2c3d4e', 'iqn.2001-04.com.example']) {
    test(`accepts ${ok}`, () => assert.equal(initiatorIqnProblem(ok), undefined))
  }
  for (const bad of ['host1', 'iqn.1993-08.org.debian:01:ABCD', 'iqn.1993-08.org.debian::x', 'iqn.1993-08.debian:01:x', 'eui.02004567A425678D']) {
    test(`refuses ${bad}`, () => assert.equal(initiatorIqnProblem(bad), invalidIqnMessage(bad)))
  }
})

describe('NQNs', () => {
  test('split into NQN and subsystem, kept as given', () => {
    assert.deepEqual(parseNqn('linbit:nvme:example'), {nqn: 'linbit:nvme:example', subsystem: 'example'})
    assert.deepEqual(parseNqn('nqn.2024-01.com.example:vol0'), {nqn: 'nqn.2024-01.com.example:vol0', subsystem: 'vol0'})
    assert.deepEqual(parseNqn('nqn.2014-08.org.nvmexpress:nvme:Vol-A'), {nqn: 'nqn.2014-08.org.nvmexpress:nvme:Vol-A', subsystem: 'Vol-A'})
  })
  const upstream = (s: string): string => `NQN '${s}' malformed, expected <vendor>:nvme:<subsystem>`
  const cases: [string, string][] = [
    ['example', upstream('example')],
    ['a:b:c:d', upstream('a:b:c:d')],
    ['linbit:x:example', upstream('linbit:x:example')],
    [':nvme:example', upstream(':nvme:example')],
    ['nqn.2024-01.com.example', `${upstream('nqn.2024-01.com.example')} or nqn.YYYY-MM.<domain>:<subsystem>`],
    ['nqn.24-01.com.example:vol0', `${upstream('nqn.24-01.com.example:vol0')} or nqn.YYYY-MM.<domain>:<subsystem>`],
    ['linbit:nvme:e', "NQN 'linbit:nvme:e' malformed: the subsystem 'e' must be at least 2 characters long"],
    [`linbit:nvme:${'x'.repeat(220)}`, `${upstream(`linbit:nvme:${'x'.repeat(220)}`)} (at most 223 characters)`],
  ]
  for (const [text, message] of cases) {
    test(`refuses ${text.slice(0, 40)}`, () => {
      assert.equal(nqnProblem(text), message)
      assert.throws(() => parseNqn(text), {message})
    })
  }
})
