import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc} from '../../src/common/api-call-rc.ts'
import {modifyKvs} from '../../src/controller/model/key-value-store.ts'
import {propertyProblem} from '../../src/controller/model/property-whitelist.ts'
import {modifyProps, readProps} from '../../src/controller/model/props.ts'
import {emptyState} from '../../src/controller/model/state.ts'
import {counterIds, failsWith} from '../support/model.ts'

describe('property whitelist', () => {
  // [key, value, refused as (undefined: allowed)]
  const cases: [string, string, 'key' | 'value' | undefined][] = [
    ['DrbdOptions/Net/protocol', 'C', undefined],
    ['DrbdOptions/Net/protocol', 'D', 'value'],
    ['DrbdOptions/Net/protocol', 'c', 'value'],
    ['DrbdOptions/Net/protocoll', 'C', 'key'],
    ['DrbdOptions/Nett/protocol', 'C', 'key'],
    ['DrbdOptions/Resource/quorum', 'majority', undefined],
    ['DrbdOptions/Resource/quorum', '2', undefined],
    ['DrbdOptions/Resource/quorum', '33', 'value'],
    ['DrbdOptions/Resource/quorum', 'foo', 'value'],
    ['DrbdOptions/Resource/on-no-quorum', 'suspend-io', undefined],
    ['DrbdOptions/Resource/auto-promote', 'no', undefined],
    ['DrbdOptions/Resource/auto-promote', 'False', undefined],
    ['DrbdOptions/Resource/auto-promote', 'maybe', 'value'],
    ['DrbdOptions/Resource/max-io-depth', '4294967295', undefined],
    ['DrbdOptions/Net/max-buffers', '8000', undefined],
    ['DrbdOptions/Net/max-buffers', '31', 'value'],
    ['DrbdOptions/Net/max-buffers', '8k', 'value'],
    ['DrbdOptions/Net/rr-conflict', 'retry-connect', undefined],
    ['DrbdOptions/Disk/on-io-error', 'detach', undefined],
    ['DrbdOptions/Disk/al-extents', '66', 'value'],
    ['DrbdOptions/PeerDevice/c-max-rate', '102400', undefined],
    ['DrbdOptions/PeerDevice/c-plan-ahead', '-1', 'value'],
    ['DrbdOptions/Handlers/fence-peer', '/usr/lib/drbd/crm-fence-peer.9.sh', undefined],
    ['DrbdOptions/Handlers/fence-peers', 'x', 'key'],
    ['DrbdOptions/Proxy/memlimit', '9223372036854775807', undefined],
    ['DrbdOptions/auto-quorum', 'disabled', undefined],
    ['DrbdOptions/auto-quorum', 'off', 'value'],
    ['DrbdOptions/auto-diskful', '30', undefined],
    ['DrbdOptions/auto-diskful', 'soon', 'value'],
    ['DrbdOptions/AutoEvictMaxDisconnectedNodes', '101', 'value'],
    ['DrbdOptions/ExactSize', 'True', undefined],
    ['DrbdOptions/nonsense', 'x', 'key'],
    // Outside DrbdOptions everything is free: Aux/*, other namespaces, and other spellings.
    ['Aux/DrbdOptions/Net/protocol', 'D', undefined],
    ['Aux/anything', 'at all', undefined],
    ['MyCompany/Setting', 'x', undefined],
    ['drbdoptions/net/protocol', 'D', undefined],
  ]
  for (const [key, value, refused] of cases) {
    test(`${key}=${value}: ${refused ? `refused (${refused})` : 'allowed'}`, () => {
      const problem = propertyProblem(key, value)
      assert.equal(problem?.message, refused === 'key' ? 'Invalid property key' : refused === 'value' ? 'Invalid property value' : undefined)
    })
  }

  test("LINSTOR's texts; a near miss is named", () => {
    assert.deepEqual(propertyProblem('DrbdOptions/Net/protocol', 'D'), {message: 'Invalid property value',
      cause: "The value 'D' is not valid for the key 'DrbdOptions/Net/protocol'", details: "The value must match 'A|B|C'", correction: "Give 'DrbdOptions/Net/protocol' A|B|C."})
    const p = propertyProblem('DrbdOptions/Net/protocoll', 'C')
    assert.equal(p?.cause, "The key 'DrbdOptions/Net/protocoll' is not whitelisted.")
    assert.match(p?.correction ?? '', /Did you mean 'DrbdOptions\/Net\/protocol'\?/)
  })

  test('every props map of a request is checked; the key-value store is not', () => {
    failsWith(() => readProps({'DrbdOptions/Net/protocol': 'D'}), Rc.FAIL_INVLD_PROP, /Invalid property value/)
    failsWith(() => modifyProps({}, {override_props: {'DrbdOptions/Resource/quorum': 'foo'}}), Rc.FAIL_INVLD_PROP, /Invalid property value/)
    assert.deepEqual(modifyProps({'DrbdOptions/Net/protocol': 'C'}, {delete_props: ['DrbdOptions/Net/protocol']}), {}, 'deleting needs no valid value')
    const r = modifyKvs(emptyState(), 'store', {override_props: {'DrbdOptions/Net/protocoll': 'D'}}, counterIds())
    assert.equal(r.kvs?.props['DrbdOptions/Net/protocoll'], 'D')
  })
})
