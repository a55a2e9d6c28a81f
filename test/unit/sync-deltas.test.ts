import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {planSync, type SentState} from '../../src/controller/link/desired-deltas.ts'
import {modifyCtrlProps} from '../../src/controller/model/controller-props.ts'
import {desiredStateFor} from '../../src/controller/model/desired-state.ts'
import {modifyRscGrp} from '../../src/controller/model/resource-group.ts'
import {markRscDeleted, type PlacementFacts} from '../../src/controller/model/resource.ts'
import {spawn} from '../../src/controller/model/spawn.ts'
import {type ClusterState} from '../../src/controller/model/state.ts'
import {PROTOCOL_VERSION, type DesiredState, type SatelliteReport} from '../../src/protocol/messages.ts'
import {applyDelta, changedRscs, deltaOf, RSC_LISTS, textsByRsc} from '../../src/protocol/rsc-delta.ts'
import {carryLookups, drbdOf, volumesOf} from '../../src/protocol/report-lookup.ts'
import {withDeltas} from '../../src/satellite/sync-deltas.ts'
import {fakeNode} from '../support/fake-satellite.ts'
import {apply, counterIds, modelCluster} from '../support/model.ts'

const facts: PlacementFacts = {online: () => true, layers: () => undefined, providers: () => undefined, capacity: () => ({freeKib: 1e9, totalKib: 1e9})}

const cluster = (): ClusterState => modelCluster(3, () => [{name: 'pool1'}]).state

/** A message's lists in a canonical order: a delta applied appends, a full state lists by resource. */
function canonical(m: DesiredState): DesiredState {
  const out = {...m} as Record<string, unknown>
  for (const l of RSC_LISTS) {
    const items = (m[l] ?? []) as unknown[]
    if (items.length) out[l] = items.map((i) => JSON.stringify(i)).sort()
    else delete out[l]
  }
  return out as unknown as DesiredState
}

describe('deltas by resource (pure)', () => {
  const v = (rsc: string, vlmNr: number, sizeKib = 1) => ({rsc, vlmNr, sizeKib, pool: 'p', present: true})
  const msg = (volumes: ReturnType<typeof v>[], drbd: {rsc: string}[] = []) => ({volumes, drbd, pools: [{name: 'p'}]})

  test('texts group every list by resource, case-insensitively, and changes are found both ways', () => {
    const a = textsByRsc(msg([v('r1', 0), v('r1', 1), v('r2', 0)], [{rsc: 'R1'}]))
    assert.deepEqual([...a.keys()].sort(), ['R1', 'R2'])
    const b = textsByRsc(msg([v('r1', 0), v('r1', 1, 2), v('r3', 0)], [{rsc: 'R1'}]))
    assert.deepEqual(changedRscs(a, b).sort(), ['r1', 'r2', 'r3'])
    assert.deepEqual(changedRscs(a, a), [])
  })

  test('a delta applied to what was held gives the new message', () => {
    const held = msg([v('r1', 0), v('r2', 0), v('r2', 1)], [{rsc: 'r2'}])
    const next = msg([v('r1', 0), v('r2', 0, 5), v('r3', 0)], [{rsc: 'r3'}])
    const delta = deltaOf(next, changedRscs(textsByRsc(held), textsByRsc(next)))
    assert.deepEqual(delta.volumes.map((x) => `${x.rsc}/${x.vlmNr}`).sort(), ['r2/0', 'r3/0'], 'r1 unchanged is not carried')
    const got = applyDelta(held, delta)
    assert.equal('changed' in got, false)
    assert.deepEqual(canonical(got as unknown as DesiredState), canonical(next as unknown as DesiredState))
  })
})

describe('planSync: deltas that add up to the desired state', () => {
  test('after every kind of change, what the node holds equals the whole desired state, and only changed resources travel', () => {
    const state = cluster()
    const ids = counterIds()
    const held = new Map<string, DesiredState>()
    const sent = new Map<string, SentState | undefined>()
    /** Syncs every node as the link does; returns the resources each delta carried. */
    const syncAll = (): Record<string, string[] | 'whole'> => {
      const carried: Record<string, string[] | 'whole'> = {}
      for (const n of ['n1', 'n2', 'n3']) {
        const {message, acknowledged} = planSync(state, n, undefined, sent.get(n))
        const h = held.get(n)
        if (message.base !== undefined) {
          assert.equal(message.base, h?.generation)
          const {base: _b, ...delta} = message
          held.set(n, applyDelta(h as DesiredState, delta))
          carried[n] = message.changed ?? []
        } else {
          held.set(n, message)
          carried[n] = 'whole'
        }
        sent.set(n, acknowledged())
        assert.deepEqual(canonical(held.get(n) as DesiredState), canonical(desiredStateFor(state, n)), `node ${n}`)
      }
      return carried
    }
    assert.deepEqual(syncAll(), {n1: 'whole', n2: 'whole', n3: 'whole'})
    apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100]}, ids, facts).changes)
    assert.deepEqual(syncAll(), {n1: ['r1'], n2: ['r1'], n3: ['r1']}, 'a spawn sends the new resource alone')
    apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r2', volume_sizes: [100]}, ids, facts).changes)
    assert.deepEqual(syncAll(), {n1: ['r2'], n2: ['r2'], n3: ['r2']})
    assert.deepEqual(syncAll(), {n1: [], n2: [], n3: []}, 'nothing changed, nothing carried')
    // A resource removed from one node: that node drops it, its peers get the new peer list.
    apply(state, markRscDeleted(state, 'r1', 'n3') ?? [])
    const afterDelete = syncAll()
    assert.deepEqual(afterDelete.n3, ['r1'])
    // A shared record (the group's DRBD options) changes what every resource may be: whole states.
    apply(state, modifyRscGrp(state, 'DfltRscGrp', {override_props: {'DrbdOptions/Net/max-buffers': '9000'}}).changes)
    assert.deepEqual(syncAll(), {n1: 'whole', n2: 'whole', n3: 'whole'})
    apply(state, modifyCtrlProps(state, {override_props: {'DrbdOptions/Resource/auto-promote': 'no'}}).changes)
    assert.deepEqual(syncAll(), {n1: 'whole', n2: 'whole', n3: 'whole'})
    assert.deepEqual(syncAll(), {n1: [], n2: [], n3: []})
  })

  test('a different master key, or nothing acknowledged, means the whole state', () => {
    const state = cluster()
    const first = planSync(state, 'n1', undefined, undefined)
    assert.equal(first.message.base, undefined)
    const sent = first.acknowledged()
    assert.equal(planSync(state, 'n1', undefined, sent).message.base, sent.generation)
    assert.equal(planSync(state, 'n1', Buffer.alloc(32), sent).message.base, undefined)
  })
})

describe('withDeltas (the satellite end)', () => {
  const desired = (generation: number, rscs: string[]): DesiredState => ({protocol: PROTOCOL_VERSION, generation, node: 'n1', pools: [],
    volumes: rscs.map((rsc) => ({rsc, vlmNr: 0, sizeKib: 1, pool: 'p', present: true})), snapshots: [], drbd: []})
  const reportOf = (d: DesiredState): SatelliteReport => ({protocol: PROTOCOL_VERSION, version: 'x', instance: 'i1', generation: d.generation, uname: 'h',
    providers: {supported: [], unsupported: {}}, layers: {supported: [], unsupported: {}}, pools: {},
    volumes: d.volumes.map((v) => ({rsc: v.rsc, vlmNr: v.vlmNr, pool: v.pool, state: 'Created'})), snapshots: [], drbd: [], errors: []})

  test('applies deltas to what it holds, asks for the whole state when it holds something else, and reports deltas on the report named', async () => {
    const seen: DesiredState[] = []
    const sync = withDeltas((d) => {
      seen.push(d)
      return reportOf(d)
    }, 'i1')
    assert.deepEqual(await sync({...desired(5, ['r1']), base: 4, changed: ['r1']}), {protocol: PROTOCOL_VERSION, instance: 'i1', resync: true},
      'nothing held after a restart')
    const r1 = await sync(desired(5, ['r1', 'r2'])) as SatelliteReport
    assert.equal(r1.seq, 1)
    assert.equal(r1.base, undefined)
    const r2 = await sync({...desired(6, ['r3']), base: 5, changed: ['r3', 'r1'], reportBase: 'i1/1'}) as SatelliteReport
    assert.deepEqual(seen[1]?.volumes.map((v) => v.rsc).sort(), ['r2', 'r3'], 'r1 gone, r2 kept, r3 new')
    assert.equal(seen[1]?.base, undefined)
    assert.deepEqual({seq: r2.seq, base: r2.base, changed: r2.changed?.sort(), volumes: r2.volumes.map((v) => v.rsc)},
      {seq: 2, base: 1, changed: ['r1', 'r3'], volumes: ['r3']})
    const r3 = await sync({...desired(7, []), base: 6, changed: [], reportBase: 'other/2'}) as SatelliteReport
    assert.equal(r3.base, undefined, 'a report base of another instance gets the whole report')
    assert.deepEqual(r3.volumes.map((v) => v.rsc).sort(), ['r2', 'r3'])
  })
})

describe('report lookups across deltas', () => {
  test('the maps move to the new report, updated for the resources the delta names', () => {
    const vol = (rsc: string, vlmNr: number, state: 'Created' | 'Failed' = 'Created') => ({rsc, vlmNr, pool: 'p', state})
    const base = {protocol: PROTOCOL_VERSION, version: 'x', instance: 'i', generation: 1, uname: 'h', providers: {supported: [], unsupported: {}},
      layers: {supported: [], unsupported: {}}, pools: {}, snapshots: [], errors: []}
    const held: SatelliteReport = {...base, volumes: [vol('r1', 0), vol('r2', 0)], drbd: [{rsc: 'r2', state: 'Created', volumes: [], connections: {}}]}
    assert.equal(volumesOf(held, 'R2').length, 1)
    assert.equal(drbdOf(held, 'r2')?.state, 'Created')
    const delta: SatelliteReport = {...base, volumes: [vol('r2', 0, 'Failed'), vol('r3', 0)], drbd: [], changed: ['R2', 'r3', 'r1'], base: 1}
    const next = applyDelta(held, delta)
    carryLookups(held, next, delta)
    assert.deepEqual(volumesOf(next, 'r2').map((v) => v.state), ['Failed'])
    assert.deepEqual(volumesOf(next, 'r3').length, 1)
    assert.deepEqual(volumesOf(next, 'r1'), [])
    assert.equal(drbdOf(next, 'r2'), undefined)
    assert.deepEqual(next.volumes.map((v) => v.rsc).sort(), ['r2', 'r3'])
  })
})

describe('the benchmark\'s fake satellite speaks the same deltas', () => {
  test('reports merged by the controller equal the real wrapper\'s, sync after sync', async () => {
    const instance = 'i1'
    const fake = fakeNode({capacityKib: 1000, accountAllocations: true, instance})
    const real = withDeltas(fakeNode({capacityKib: 1000, accountAllocations: true, instance}) as (d: DesiredState) => SatelliteReport, instance)
    const state = cluster()
    const ids = counterIds()
    let sent: SentState | undefined
    const held: Record<string, SatelliteReport | undefined> = {}
    const normal = (r: SatelliteReport) => ({pools: r.pools, volumes: r.volumes.map((v) => JSON.stringify(v)).sort()})
    for (let i = 0; i < 4; i++) {
      if (i) apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: `r${i}`, volume_sizes: [100]}, ids, facts).changes)
      if (i === 3) apply(state, markRscDeleted(state, 'r1', 'n1') ?? [])
      const plan = planSync(state, 'n1', undefined, sent)
      for (const [name, end] of [['fake', fake], ['real', real]] as const) {
        const h = held[name]
        const reply = await end({...plan.message, ...(h ? {reportBase: `${instance}/${h.seq}`} : {})}) as SatelliteReport
        assert.equal(reply.base, h?.seq, `${name} answers a delta on the report held`)
        held[name] = h && reply.base !== undefined ? applyDelta(h, reply) : reply
      }
      sent = plan.acknowledged()
      assert.deepEqual(normal(held.fake as SatelliteReport), normal(held.real as SatelliteReport), `sync ${i}`)
    }
    assert.deepEqual((held.fake as SatelliteReport).volumes.map((v) => v.rsc).sort(), ['r2', 'r3'])
    const used = (held.fake as SatelliteReport).volumes.reduce((n, v) => n + (v.allocatedKib ?? 0), 0)
    assert.ok(used > 200, 'two volumes with DRBD metadata')
    assert.deepEqual((held.fake as SatelliteReport).pools.pool1, {freeKib: 1000 - used, totalKib: 1000})
  })
})
