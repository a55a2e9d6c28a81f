import {test} from 'node:test'
import assert from 'node:assert/strict'
import {openLinkSecrets, seal, sealLinkSecrets, unseal, unsealWithAny} from '../../src/protocol/link-seal.ts'
import type {DesiredState} from '../../src/protocol/messages.ts'

test('sealed with one secret and purpose, opened only with the same', () => {
  const sealed = seal('new-secret', 'old-secret', 'cluster secret rotation')
  assert.equal(unseal(sealed, 'old-secret', 'cluster secret rotation'), 'new-secret')
  assert.throws(() => unseal(sealed, 'other', 'cluster secret rotation'))
  assert.throws(() => unseal(sealed, 'old-secret', 'luks volume key'), 'purposes have separate keys')
  assert.notEqual(seal('x', 's', 'luks volume key'), seal('x', 's', 'luks volume key'), 'a fresh IV each time')
})

test('LUKS keys never travel in the clear, and come back with either secret of a rotation', () => {
  const desired: DesiredState = {protocol: 1, generation: 1, node: 'n1', pools: [], volumes: [], snapshots: [], drbd: [],
    luks: [{rsc: 'r1', vlmNr: 0, present: true, key: 'KEY-r1-0'}, {rsc: 'r2', vlmNr: 0, present: true}]}
  const wire = sealLinkSecrets(desired, 'cluster-A')
  assert.ok(!JSON.stringify(wire).includes('KEY-r1-0'))
  assert.equal(wire.luks?.[1]?.sealedKey, undefined, 'a volume without a key (locked controller) stays without')
  assert.deepEqual(openLinkSecrets(JSON.parse(JSON.stringify(wire)) as DesiredState, ['cluster-B', 'cluster-A']), desired)
  assert.throws(() => openLinkSecrets(wire, ['cluster-B']), /not sealed with the cluster secret/)
  assert.equal(sealLinkSecrets({...desired, luks: undefined}, 'x').luks, undefined)
  assert.throws(() => unsealWithAny('AAAA', [], 'luks volume key'))
})

test('transfer secrets (S3 keys, peer tokens) never travel in the clear', () => {
  const desired: DesiredState = {protocol: 1, generation: 1, node: 'n1', pools: [], volumes: [], snapshots: [], drbd: [],
    transfers: [{id: 't1', direction: 'send', rsc: 'r1', vlmNr: 0, pool: 'p', snap: 's', peer: {host: '127.0.0.1', port: 12000}, secret: 'TOKEN-t1'},
      {id: 't2', direction: 'receive', rsc: 'r1', vlmNr: 1, pool: 'p', snap: 's'}]}
  const wire = sealLinkSecrets(desired, 'cluster-A')
  assert.ok(!JSON.stringify(wire).includes('TOKEN-t1'))
  assert.equal(wire.transfers?.[1]?.sealedSecret, undefined)
  assert.deepEqual(openLinkSecrets(JSON.parse(JSON.stringify(wire)) as DesiredState, ['cluster-A']), desired)
  assert.throws(() => openLinkSecrets(wire, ['cluster-B']), /transfer secret .*not sealed/)
})
