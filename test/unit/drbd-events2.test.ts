import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {applyEventLine, emptyEvents2State, events2Args, inUse, parseEventLine, parseEvents2, syncPercent,
  type Events2State} from '../../src/satellite/drbd/events2.ts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/drbd/${name}`, import.meta.url), 'utf8')
const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '')
/** The state after the fixture's lines up to and including the first (or last) one containing `marker`. */
const upTo = (text: string, marker: string, which: 'first' | 'last' = 'first'): Events2State => {
  const all = lines(text)
  const i = which === 'first' ? all.findIndex((l) => l.includes(marker)) : all.findLastIndex((l) => l.includes(marker))
  assert.ok(i >= 0, `marker ${marker} not in fixture`)
  return parseEvents2(all.slice(0, i + 1).join('\n'))
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

describe('events2 against recorded DRBD 9.2 events2 output (no DRBD module here)', () => {
  const state = parseEvents2(fixture('events2-drbd92-now-statistics.txt'))

  test('`events2 --now --statistics`: the initial dump is complete and has both resources', () => {
    assert.equal(state.initialDone, true)
    assert.equal(state.skipped, 0)
    assert.deepEqual(Object.keys(state.resources).sort(), ['pvc-a', 'web'])
  })

  test('resource: role, promotion score, may_promote, suspension, write ordering', () => {
    const a = state.resources['pvc-a']
    assert.ok(a)
    assert.deepEqual({role: a.role, mayPromote: a.mayPromote, promotionScore: a.promotionScore, suspended: a.suspended,
      forceIoFailures: a.forceIoFailures, writeOrdering: a.writeOrdering},
    {role: 'Secondary', mayPromote: true, promotionScore: 10202, suspended: 'no', forceIoFailures: false, writeOrdering: 'flush'})
    const web = state.resources.web
    assert.ok(web)
    assert.deepEqual({role: web.role, mayPromote: web.mayPromote, promotionScore: web.promotionScore}, {role: 'Primary', mayPromote: false, promotionScore: 10101})
  })

  test('devices per volume: disk state, backing device, quorum, open, size', () => {
    assert.deepEqual(state.resources['pvc-a']?.devices, {
      0: {volume: 0, minor: 1000, backingDev: '/dev/vg_ssd/pvc-a_00000', disk: 'UpToDate', client: false, open: false, quorum: true, sizeKib: 1048576},
      1: {volume: 1, minor: 1001, backingDev: '/dev/vg_ssd/pvc-a_00001', disk: 'UpToDate', client: false, open: false, quorum: true, sizeKib: 2097152},
    })
    assert.equal(state.resources.web?.devices[0]?.open, true)
  })

  test('connections per peer with peer disks, replication and paths', () => {
    const a = state.resources['pvc-a']
    assert.deepEqual(Object.keys(a?.connections ?? {}), ['bravo', 'charlie'])
    const bravo = a?.connections.bravo
    assert.deepEqual({connection: bravo?.connection, peerRole: bravo?.peerRole, peerNodeId: bravo?.peerNodeId, congested: bravo?.congested},
      {connection: 'Connected', peerRole: 'Secondary', peerNodeId: 1, congested: false})
    assert.deepEqual(bravo?.peerDevices[1], {volume: 1, replication: 'Established', peerDisk: 'UpToDate', peerClient: false, resyncSuspended: 'no', outOfSyncKib: 0})
    assert.deepEqual(bravo?.paths, [{local: 'ipv4:192.168.10.11:7000', peer: 'ipv4:192.168.10.12:7000', established: true}])
    assert.deepEqual(a?.connections.charlie?.peerDevices[0]?.peerDisk, 'Diskless')
    assert.deepEqual(a?.connections.charlie?.peerDevices[0]?.peerClient, true)
    const web = state.resources.web
    assert.equal(web?.connections.charlie?.connection, 'Connecting')
    assert.equal(web?.connections.charlie?.paths[0]?.established, false)
  })

  test('a running resync: replication SyncSource with its `done:` percent', () => {
    const pd = state.resources.web?.connections.bravo?.peerDevices[0]
    assert.deepEqual({replication: pd?.replication, peerDisk: pd?.peerDisk, done: pd?.done, outOfSyncKib: pd?.outOfSyncKib},
      {replication: 'SyncSource', peerDisk: 'Inconsistent', done: 42.17, outOfSyncKib: 6063796})
    const web = state.resources.web
    assert.ok(web)
    assert.equal(syncPercent(web, 'bravo', 0), 42.17)
    assert.equal(syncPercent(web, 'charlie', 0), undefined)
  })

  test('in use: Primary or a device held open', () => {
    assert.equal(inUse(state.resources.web as never), true)
    assert.equal(inUse(state.resources['pvc-a'] as never), false)
  })
})

describe('events2 stream against recorded DRBD 9.2 events2 output (no DRBD module here)', () => {
  const text = fixture('events2-drbd92-stream-timestamps.txt')

  test('timestamps are skipped; a created resource starts diskless and standalone', () => {
    const s = upTo(text, 'create peer-device')
    assert.equal(s.initialDone, true)
    const r = s.resources['pvc-b']
    assert.equal(r?.devices[0]?.disk, 'Diskless')
    assert.equal(r?.devices[0]?.backingDev, null)
    assert.equal(r?.connections.bravo?.connection, 'StandAlone')
  })

  test('change lines merge: attach, connect, both sides Inconsistent', () => {
    const r = upTo(text, 'replication:Established peer-disk:Inconsistent').resources['pvc-b']
    assert.deepEqual(r?.devices[0], {volume: 0, minor: 1003, backingDev: '/dev/vg_ssd/pvc-b_00000', disk: 'Inconsistent', client: false, open: false, quorum: true})
    // The role was only sent on create; the connection change did not repeat it.
    assert.equal(r?.role, 'Secondary')
    assert.deepEqual(r?.connections.bravo?.peerDevices[0], {volume: 0, replication: 'Established', peerDisk: 'Inconsistent', peerClient: false, resyncSuspended: 'no'})
    assert.equal(r?.connections.bravo?.paths[0]?.established, true)
  })

  test('after the skipped sync: UpToDate on both sides, promotable', () => {
    const r = upTo(text, 'may_promote:yes promotion_score:10102').resources['pvc-b']
    assert.equal(r?.devices[0]?.disk, 'UpToDate')
    assert.equal(r?.connections.bravo?.peerDevices[0]?.peerDisk, 'UpToDate')
    assert.deepEqual({mayPromote: r?.mayPromote, score: r?.promotionScore, role: r?.role}, {mayPromote: true, score: 10102, role: 'Secondary'})
  })

  test('opened and promoted: in use; lost events are counted', () => {
    const s = upTo(text, 'skipped 2')
    const r = s.resources['pvc-b']
    assert.ok(r)
    assert.equal(r.role, 'Primary')
    assert.equal(r.devices[0]?.open, true)
    assert.equal(inUse(r), true)
    assert.equal(s.skipped, 2)
  })

  test('helper calls leave the state alone; the peer drops and reconnects', () => {
    const s = upTo(text, 'response helper')
    assert.equal(s.resources['pvc-b']?.connections.bravo?.connection, 'NetworkFailure')
    assert.equal(s.resources['pvc-b']?.connections.bravo?.peerDevices[0]?.replication, 'Off')
    const again = upTo(text, 'connection:Connecting', 'last').resources['pvc-b']?.connections.bravo
    assert.deepEqual({connection: again?.connection, peerRole: again?.peerRole}, {connection: 'Connecting', peerRole: 'Unknown'})
  })

  test('destroy removes peer device, path, connection, device and finally the resource', () => {
    const beforeLast = upTo(text, 'destroy device')
    assert.deepEqual(beforeLast.resources['pvc-b']?.connections, {})
    assert.deepEqual(beforeLast.resources['pvc-b']?.devices, {})
    assert.deepEqual(parseEvents2(text).resources, {})
  })
})

describe('events2 against recorded DRBD 8.4 events2 output (drbdsetup-84, no DRBD module here)', () => {
  test('`events2 --now --statistics` on 8.4.11: fewer fields, connection named "peer"', () => {
    const s = parseEvents2(fixture('events2-drbd84-now-statistics.txt'))
    const r = s.resources.r0
    assert.ok(r)
    assert.equal(s.initialDone, true)
    assert.deepEqual({role: r.role, mayPromote: r.mayPromote, promotionScore: r.promotionScore}, {role: 'Primary', mayPromote: undefined, promotionScore: undefined})
    assert.deepEqual(r.devices[0], {volume: 0, minor: 0, disk: 'UpToDate', sizeKib: 262100})
    assert.deepEqual(Object.keys(r.connections), ['peer'])
    assert.equal(r.connections.peer?.peerDevices[0]?.replication, 'SyncSource')
    // 8.4 prints no done:, the percentage comes from out-of-sync and size.
    assert.equal(syncPercent(r, 'peer', 0), 43.74)
    assert.equal(inUse(r), true)
  })

  test('an 8.4 stream: connect, forced primary, full sync, back to Secondary', () => {
    const text = fixture('events2-drbd84-stream.txt')
    const waiting = upTo(text, 'exists -').resources.r0
    assert.equal(waiting?.connections.peer?.peerDevices[0]?.replication, 'WFConnection')
    const due = upTo(text, 'replication:Established peer-disk:Inconsistent').resources.r0
    assert.deepEqual({disk: due?.devices[0]?.disk, conn: due?.connections.peer?.connection, peerDisk: due?.connections.peer?.peerDevices[0]?.peerDisk},
      {disk: 'Inconsistent', conn: 'Connected', peerDisk: 'Inconsistent'})
    const syncing = upTo(text, 'replication:SyncSource').resources.r0
    assert.equal(syncing?.connections.peer?.peerDevices[0]?.peerDisk, 'Inconsistent')
    const done = parseEvents2(text).resources.r0
    assert.deepEqual({role: done?.role, disk: done?.devices[0]?.disk, repl: done?.connections.peer?.peerDevices[0]?.replication,
      peerDisk: done?.connections.peer?.peerDevices[0]?.peerDisk}, {role: 'Secondary', disk: 'UpToDate', repl: 'Established', peerDisk: 'UpToDate'})
  })
})

describe('applyEventLine', () => {
  test('is pure: the old state is never changed', () => {
    const before = deepFreeze(parseEvents2(fixture('events2-drbd92-now-statistics.txt')))
    const snapshot = JSON.stringify(before)
    const after = applyEventLine(before, 'change device name:pvc-a volume:0 minor:1000 backing_dev:/dev/vg_ssd/pvc-a_00000 disk:Outdated client:no open:no quorum:no')
    assert.equal(JSON.stringify(before), snapshot)
    assert.equal(after.resources['pvc-a']?.devices[0]?.disk, 'Outdated')
    assert.equal(after.resources['pvc-a']?.devices[1]?.disk, 'UpToDate')
    assert.equal(after.resources.web, before.resources.web)
  })

  const ignored: [string, string][] = [
    ['empty line', ''],
    ['garbage', 'modinfo: ERROR: Module drbd not found.'],
    ['unknown action', 'frobnicate resource name:x role:Primary'],
    ['helper call', 'call helper name:pvc-a volume:0 minor:1000 helper:before-resync-target'],
    ['no name', 'change resource role:Primary'],
    ['destroy of something never seen', 'destroy connection name:ghost peer-node-id:3 conn-name:delta'],
    ['rename of something never seen', 'rename resource name:ghost new_name:ghost2'],
  ]
  for (const [name, line] of ignored) {
    test(`leaves the state as it is: ${name}`, () => {
      const s = emptyEvents2State()
      assert.equal(applyEventLine(s, line), s)
    })
  }

  test('`--diff` old->new values keep the new value', () => {
    const s = applyEventLine(emptyEvents2State(), 'change resource name:r role:Secondary->Primary may_promote:yes->no promotion_score:10101->10101')
    assert.deepEqual({role: s.resources.r?.role, mayPromote: s.resources.r?.mayPromote}, {role: 'Primary', mayPromote: false})
  })

  test('rename moves the resource', () => {
    const s = parseEvents2('exists resource name:old role:Secondary\nexists device name:old volume:0 minor:5 disk:UpToDate\nrename resource name:old new_name:new')
    assert.deepEqual(Object.keys(s.resources), ['new'])
    assert.equal(s.resources.new?.name, 'new')
    assert.equal(s.resources.new?.devices[0]?.minor, 5)
  })

  test('a resync that ends drops its `done` percent', () => {
    const s = parseEvents2([
      'change peer-device name:r peer-node-id:1 conn-name:b volume:0 replication:SyncTarget peer-disk:UpToDate done:10.00',
      'change peer-device name:r peer-node-id:1 conn-name:b volume:0 replication:Established',
    ].join('\n'))
    assert.equal(s.resources.r?.connections.b?.peerDevices[0]?.done, undefined)
  })

  test('parseEventLine: action, object, fields (values keep their colons)', () => {
    assert.deepEqual(parseEventLine('2026-06-20T10:00:00.1+02:00 exists path name:r peer-node-id:1 conn-name:b local:ipv6:[fd00::1]:7000 peer:ipv6:[fd00::2]:7000 established:yes'), {
      action: 'exists', object: 'path',
      fields: new Map([['name', 'r'], ['peer-node-id', '1'], ['conn-name', 'b'], ['local', 'ipv6:[fd00::1]:7000'], ['peer', 'ipv6:[fd00::2]:7000'], ['established', 'yes']]),
    })
  })

  test('events2 arguments', () => {
    assert.deepEqual(events2Args({now: true, statistics: true}), ['events2', '--statistics', '--now', 'all'])
    assert.deepEqual(events2Args({timestamps: true}), ['events2', '--timestamps', 'all'])
    assert.deepEqual(events2Args(), ['events2', 'all'])
  })
})
