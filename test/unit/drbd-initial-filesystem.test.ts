// FileSystem/Type on DRBD stacks: the command sequence of a new resource's first sync with its file
// systems made through the DRBD device, on the one node that starts the sync, against recorded
// events2 output (DRBD 9.2 and 8.4; no DRBD module here).
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import type {DesiredDrbdResource, DrbdPeer, DrbdVolume} from '../../src/protocol/drbd.ts'
import {parseEvents2, type ResourceState} from '../../src/satellite/drbd/events2.ts'
import {initialSyncPlan, runInitialSyncWithFilesystems, type InitialSyncPlan} from '../../src/satellite/drbd/initial-filesystem.ts'
import {ExecError, type Run} from '../../src/satellite/exec.ts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/drbd/${name}`, import.meta.url), 'utf8')
/** The state right after the first line containing `marker`. */
const at = (text: string, marker: string, rsc: string): ResourceState => {
  const all = text.split('\n')
  const i = all.findIndex((l) => l.includes(marker))
  assert.ok(i >= 0, marker)
  return parseEvents2(all.slice(0, i + 1).join('\n')).resources[rsc] as ResourceState
}
const peer = (node: string, nodeId: number, diskless = false): DrbdPeer =>
  ({node, nodeId, diskless, paths: [{local: {ip: '192.168.10.11', port: 7000}, peer: {ip: '192.168.10.12', port: 7000}}], connectionOptions: {}})
const vol = (vlmNr: number, minor: number, filesystem?: DrbdVolume['filesystem']): DrbdVolume =>
  ({vlmNr, minor, sizeKib: 1048576, diskOptions: {}, ...(filesystem ? {filesystem} : {})})
const ext4 = {type: 'ext4'}

// DRBD 9.2: pvc-b (one volume, minor 1003) with bravo diskful and charlie diskless, both connected and Inconsistent.
const stream9 = fixture('events2-drbd92-stream-timestamps.txt')
const new9 = at(stream9, 'replication:Established peer-disk:Inconsistent', 'pvc-b')
const pvcB = (more: Partial<DesiredDrbdResource> = {}): DesiredDrbdResource => ({
  rsc: 'pvc-b', present: true, nodeId: 0, diskless: false, peerSlots: 7, port: 7000, volumes: [vol(0, 1003, ext4)],
  peers: [peer('bravo', 1), peer('charlie', 2, true)], options: {}, skipInitialSync: false, ...more,
})
// DRBD 8.4: r0 on node1 and node2 (the connection is "peer"), connected, both Inconsistent.
const new84 = at(fixture('events2-drbd84-stream.txt'), 'replication:Established peer-disk:Inconsistent', 'r0')
const r0 = (more: Partial<DesiredDrbdResource> = {}): DesiredDrbdResource =>
  pvcB({rsc: 'r0', volumes: [vol(0, 0, {type: 'xfs', mkfsParams: '-L gw -K'})], peers: [peer('node2', 1)], ...more})

const flat = (p: InitialSyncPlan): string[] =>
  [...p.sync.map((c) => [c.cmd, ...c.args]), ...p.mkfs.map((m) => [m.command.cmd, ...m.command.args]), ...p.demote.map((c) => [c.cmd, ...c.args])]
    .map((words) => words.join(' '))

describe('initialSyncPlan: the first sync of a new resource makes its file systems through DRBD', () => {
  const cases: [string, DesiredDrbdResource, ResourceState | undefined, 'drbd9' | 'drbd84', string[]][] = [
    ['full sync: this node is promoted by force, formats, and gives the role back', pvcB(), new9, 'drbd9',
      ['drbdadm primary --force pvc-b', 'mkfs.ext4 -q /dev/drbd1003', 'drbdadm secondary pvc-b']],
    ['skipped sync (thin): new current UUIDs, then an ordinary promotion, format, demotion', pvcB({skipInitialSync: true}), new9, 'drbd9',
      ['drbdadm new-current-uuid --clear-bitmap pvc-b/0', 'drbdadm primary pvc-b', 'mkfs.ext4 -q /dev/drbd1003', 'drbdadm secondary pvc-b']],
    ['DRBD 8.4, MkfsParams passed on', r0(), new84, 'drbd84',
      ['drbdadm primary --force r0', 'mkfs.xfs -q -L gw -K /dev/drbd0', 'drbdadm secondary r0']],
    ['only the volumes with a FileSystem/Type are formatted, in volume order',
      pvcB({volumes: [vol(2, 1005, ext4), vol(0, 1003), vol(1, 1004, {type: 'xfs'})], skipInitialSync: true}),
      {...new9, devices: {0: {volume: 0, disk: 'Inconsistent'}, 1: {volume: 1, disk: 'Inconsistent'}, 2: {volume: 2, disk: 'Inconsistent'}},
        connections: {...new9.connections, bravo: {...new9.connections.bravo, peerDevices: Object.fromEntries([0, 1, 2].map((v) =>
          [String(v), {volume: v, replication: 'Established', peerDisk: 'Inconsistent'}]))} as ResourceState['connections'][string]}},
      'drbd9', ['drbdadm new-current-uuid --clear-bitmap pvc-b/0', 'drbdadm new-current-uuid --clear-bitmap pvc-b/1',
        'drbdadm new-current-uuid --clear-bitmap pvc-b/2', 'drbdadm primary pvc-b', 'mkfs.xfs -q /dev/drbd1004', 'mkfs.ext4 -q /dev/drbd1005',
        'drbdadm secondary pvc-b']],
    ['without a FileSystem/Type: the first sync unchanged', pvcB({volumes: [vol(0, 1003)]}), new9, 'drbd9',
      ['drbdadm primary --force pvc-b', 'drbdadm secondary pvc-b']],
    ['not the node that starts the sync (a lower diskful node-id): nothing, so no second format', pvcB({nodeId: 3, peers: [peer('bravo', 1)]}), new9,
      'drbd9', []],
    ['peers not connected yet: nothing yet', pvcB(), at(stream9, 'disk:Inconsistent', 'pvc-b'), 'drbd9', []],
    ['already synced (an existing resource): never formatted again', pvcB(), at(stream9, 'may_promote:yes promotion_score:10102', 'pvc-b'), 'drbd9', []],
    ['a diskless node never formats', pvcB({diskless: true}), new9, 'drbd9', []],
  ]
  for (const [name, res, state, mode, expected] of cases) test(name, () => assert.deepEqual(flat(initialSyncPlan(res, state, mode)), expected))

  test('a volume added to an existing thin resource is synced on its own but not formatted (only a new resource is)', () => {
    const res = pvcB({volumes: [vol(0, 1003, ext4), vol(1, 1004, ext4)], skipInitialSync: true})
    const bravo = new9.connections.bravo as ResourceState['connections'][string]
    const state: ResourceState = {...new9, devices: {0: {volume: 0, disk: 'UpToDate'}, 1: {volume: 1, disk: 'Inconsistent'}},
      connections: {...new9.connections, bravo: {...bravo, peerDevices: {
        0: {volume: 0, replication: 'Established', peerDisk: 'UpToDate'}, 1: {volume: 1, replication: 'Established', peerDisk: 'Inconsistent'}}}}}
    assert.deepEqual(flat(initialSyncPlan(res, state, 'drbd9')), ['drbdadm new-current-uuid --clear-bitmap pvc-b/1'])
  })

  test('an unknown FileSystem/Type is refused before anything is planned', () =>
    assert.throws(() => initialSyncPlan(pvcB({volumes: [vol(0, 1003, {type: 'ntfs'})]}), new9, 'drbd9'), /FileSystem\/Type 'ntfs' is not supported/))
})

describe('runInitialSyncWithFilesystems', () => {
  const recording = (failing?: string): {run: Run, calls: string[], opts: Record<string, unknown>[]} => {
    const calls: string[] = []
    const opts: Record<string, unknown>[] = []
    const run: Run = async (cmd, args, o) => {
      calls.push([cmd, ...args].join(' '))
      opts.push(o ?? {})
      if (cmd === failing) throw new ExecError(cmd, args, {stdout: '', stderr: '/dev/drbd1003 is apparently in use by the system', exitCode: 1})
      return {stdout: '', stderr: '', exitCode: 0}
    }
    return {run, calls, opts}
  }

  test('runs the plan in order; mkfs gets no terminal input and a long timeout', async () => {
    const {run, calls, opts} = recording()
    await runInitialSyncWithFilesystems(run, pvcB(), new9, 'drbd9')
    assert.deepEqual(calls, ['drbdadm primary --force pvc-b', 'mkfs.ext4 -q /dev/drbd1003', 'drbdadm secondary pvc-b'])
    assert.equal(opts[1]?.input, '')
    assert.ok((opts[1]?.timeoutMs as number) >= 10 * 60_000)
  })

  test('a failing mkfs still gives the Primary role back, then fails with the volume and the way out', async () => {
    const {run, calls} = recording('mkfs.ext4')
    await assert.rejects(runInitialSyncWithFilesystems(run, pvcB(), new9, 'drbd9'),
      /making the file system of volume 0 failed \(make it by hand while Primary\): mkfs.ext4 -q \/dev\/drbd1003 failed \(exit 1\)/)
    assert.deepEqual(calls, ['drbdadm primary --force pvc-b', 'mkfs.ext4 -q /dev/drbd1003', 'drbdadm secondary pvc-b'])
  })

  test('a failing promotion stops it: nothing formatted, nothing to give back', async () => {
    const {run, calls} = recording('drbdadm')
    await assert.rejects(runInitialSyncWithFilesystems(run, pvcB(), new9, 'drbd9'), /drbdadm primary --force pvc-b failed/)
    assert.deepEqual(calls, ['drbdadm primary --force pvc-b'])
  })

  test('an unknown type runs nothing, so the next sync tries the whole first sync again', async () => {
    const {run, calls} = recording()
    await assert.rejects(runInitialSyncWithFilesystems(run, pvcB({volumes: [vol(0, 1003, {type: 'ntfs'})]}), new9, 'drbd9'), /not supported/)
    assert.deepEqual(calls, [])
  })
})
