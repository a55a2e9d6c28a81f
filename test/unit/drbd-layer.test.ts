// The satellite's DRBD layer end to end on one node: which commands run, in which order, for a
// new resource, an unwanted one and an orphan file; what the controller is told. The kernel
// commands answer from recorded DRBD 9.2 events2 output (no DRBD module here); the `.res` check
// runs the real drbdadm, acting as host 'alpha'.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Logger} from '../../src/common/log.ts'
import type {DesiredDrbdResource} from '../../src/protocol/drbd.ts'
import {PROTOCOL_VERSION, type SatelliteReport} from '../../src/protocol/messages.ts'
import {createDrbdLayer, growable, type DrbdCapability} from '../../src/satellite/drbd/drbd-layer.ts'
import {events2Args, type ResourceState} from '../../src/satellite/drbd/events2.ts'
import {ExecError, type Run} from '../../src/satellite/exec.ts'

const REC = '(against recorded DRBD 9.2 events2 output; no DRBD module here)'
const log: Logger = {error() {}, warn() {}, info() {}, debug() {}, child: () => log}
const events2Now = (): string[] => events2Args({now: true, statistics: true})
const recorded = (): Promise<string> => readFile(new URL('../fixtures/drbd/events2-drbd92-now-statistics.txt', import.meta.url), 'utf8')

const pvcA = (present = true): DesiredDrbdResource => ({
  rsc: 'pvc-a', present, nodeId: 0, diskless: false, peerSlots: 7, port: 7000, secret: 'Zm9vYmFyYmF6', skipInitialSync: true, options: {},
  volumes: [0, 1].map((vlmNr) => ({vlmNr, minor: 1000 + vlmNr, pool: 'ssd', sizeKib: 1048576 * (vlmNr + 1), diskOptions: {}})),
  peers: [
    {node: 'bravo', nodeId: 1, diskless: false, connectionOptions: {}, paths: [{local: {ip: '192.168.10.11', port: 7000}, peer: {ip: '192.168.10.12', port: 7000}}]},
    {node: 'charlie', nodeId: 2, diskless: true, connectionOptions: {}, paths: [{local: {ip: '192.168.10.11', port: 7000}, peer: {ip: '192.168.10.13', port: 7000}}]},
  ],
})

const emptyReport = (): SatelliteReport => ({
  protocol: PROTOCOL_VERSION, version: 't', instance: 'i', generation: 1, uname: 'alpha', providers: {supported: [], unsupported: {}},
  layers: {supported: [], unsupported: {}}, pools: {}, snapshots: [], drbd: [], errors: [],
  volumes: [0, 1].map((vlmNr) => ({rsc: 'pvc-a', vlmNr, pool: 'ssd', state: 'Created' as const, devicePath: `/dev/vg_ssd/pvc-a_0000${vlmNr}`})),
})

/**
 * A Run that answers kernel commands from `answers` (in order) and runs drbdadm's syntax check
 * for real; records every command.
 */
function fakeRun(answers: {cmd: string, args: string[], stdout?: string, exitCode?: number}[]): {run: Run, calls: string[][]} {
  const calls: string[][] = []
  const run: Run = async (cmd, args) => {
    calls.push([cmd, ...args])
    if (cmd === 'drbdadm' && args.at(-1) === 'sh-nop') {
      const r = spawnSync('drbdadm', [...args], {encoding: 'utf8', env: {PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C', __DRBD_NODE__: 'alpha'}})
      const result = {stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1}
      if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
      return result
    }
    const a = answers.shift()
    assert.deepEqual([cmd, ...args], a ? [a.cmd, ...a.args] : ['<nothing more expected>'])
    const result = {stdout: a?.stdout ?? '', stderr: '', exitCode: a?.exitCode ?? 0}
    if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
    return result
  }
  return {run, calls}
}

async function layout(): Promise<{resDir: string, includeFile: string, root: string}> {
  const root = await mkdtemp(join(tmpdir(), 'cairn-drbd-'))
  return {root, resDir: join(root, 'var/lib/cairn/drbd.d'), includeFile: join(root, 'etc/drbd.d/cairn.res')}
}

describe('DRBD layer on a satellite', () => {
  test(`a new resource: file checked by drbdadm, metadata probed and created, adjusted; the report from events2 ${REC}`, async () => {
    const l = await layout()
    try {
      const {run, calls} = fakeRun([
        {cmd: 'drbdsetup', args: events2Now(), stdout: 'exists -\n'},
        {cmd: 'drbdmeta', args: ['1000', 'v09', '/dev/vg_ssd/pvc-a_00000', 'internal', 'get-gi', '--node-id', '0', '--force'], exitCode: 255},
        {cmd: 'drbdmeta', args: ['1001', 'v09', '/dev/vg_ssd/pvc-a_00001', 'internal', 'get-gi', '--node-id', '0', '--force'], exitCode: 255},
        {cmd: 'drbdadm', args: ['create-md', '--force', '--max-peers=7', 'pvc-a/0']},
        {cmd: 'drbdadm', args: ['create-md', '--force', '--max-peers=7', 'pvc-a/1']},
        {cmd: 'drbdadm', args: ['adjust', 'pvc-a']},
        {cmd: 'drbdsetup', args: events2Now(), stdout: await recorded()},
      ])
      const layer = createDrbdLayer({mode: 'drbd9'}, {run, log, hostname: 'alpha', layout: l, recordError: () => assert.fail('no error expected')})
      const report = emptyReport()
      await layer.up([pvcA()], report)
      assert.equal(calls.filter((c) => c.at(-1) === 'sh-nop').length, 1, 'the .res file was checked once')
      const res = await readFile(join(l.resDir, 'pvc-a.res'), 'utf8')
      assert.match(res, /on "alpha"\s*\{[\s\S]*disk\s+\/dev\/vg_ssd\/pvc-a_00000;/)
      assert.match(await readFile(l.includeFile, 'utf8'), new RegExp(`include "${l.resDir}/\\*\\.res";`))
      assert.deepEqual(report.drbd, [{rsc: 'pvc-a', state: 'Created', role: 'Secondary', inUse: false, promotionScore: 10202, mayPromote: true,
        volumes: [{vlmNr: 0, minor: 1000, devicePath: '/dev/drbd1000', diskState: 'UpToDate'}, {vlmNr: 1, minor: 1001, devicePath: '/dev/drbd1001', diskState: 'UpToDate'}],
        connections: {bravo: 'Connected', charlie: 'Connected'}}])
    } finally {
      await rm(l.root, {recursive: true, force: true})
    }
  })

  test('a backing volume that is not ready: the resource fails with the reason, nothing runs for it', async () => {
    const l = await layout()
    try {
      const {run} = fakeRun([{cmd: 'drbdsetup', args: events2Now(), stdout: 'exists -\n'}, {cmd: 'drbdsetup', args: events2Now(), stdout: 'exists -\n'}])
      const errors: string[] = []
      const layer = createDrbdLayer({mode: 'drbd9'}, {run, log, hostname: 'alpha', layout: l, recordError: (_m, msg) => errors.push(msg) - 1})
      const report = {...emptyReport(), volumes: []}
      await layer.up([pvcA()], report)
      assert.equal(report.drbd[0]?.state, 'Failed')
      assert.match(report.drbd[0]?.error ?? '', /backing volume 0 in 'ssd' is not ready/)
      assert.equal(errors.length, 1)
    } finally {
      await rm(l.root, {recursive: true, force: true})
    }
  })

  test('a resource DRBD 8.4 cannot express fails with every reason, naming the resource once', async () => {
    const l = await layout()
    try {
      const {run, calls} = fakeRun([{cmd: 'drbdsetup', args: events2Now(), stdout: 'exists -\n'}, {cmd: 'drbdsetup', args: events2Now(), stdout: 'exists -\n'}])
      const errors: string[] = []
      const layer = createDrbdLayer({mode: 'drbd84'}, {run, log, hostname: 'alpha', layout: l, recordError: (_m, msg) => errors.push(msg) - 1})
      const report = emptyReport()
      await layer.up([pvcA()], report)
      assert.equal(report.drbd[0]?.state, 'Failed')
      assert.equal(report.drbd[0]?.error, "DRBD resource 'pvc-a': 2 peers need DRBD 9 (DRBD 8.4 connects exactly two nodes) (DRBD 8.4 mode); " +
        "diskless peer 'charlie' (client or tie-breaker) needs DRBD 9 (DRBD 8.4 mode)")
      assert.deepEqual(errors, [report.drbd[0]?.error])
      assert.equal(calls.length, 2, 'only the two state queries: no file, no kernel command')
    } finally {
      await rm(l.root, {recursive: true, force: true})
    }
  })

  test(`down: an unwanted resource that is up goes down; an orphan .res file is removed without a kernel call ${REC}`, async () => {
    const l = await layout()
    try {
      const {run} = fakeRun([
        {cmd: 'drbdsetup', args: events2Now(), stdout: await recorded()},
        {cmd: 'drbdsetup', args: ['down', 'pvc-a']},
      ])
      const layer = createDrbdLayer({mode: 'drbd9'}, {run, log, hostname: 'alpha', layout: l, recordError: () => assert.fail('no error expected')})
      await import('node:fs/promises').then((fs) => fs.mkdir(l.resDir, {recursive: true}))
      await writeFile(join(l.resDir, 'pvc-a.res'), '# old\n')
      await writeFile(join(l.resDir, 'forgotten.res'), '# nobody wants this any more\n')
      await layer.down([pvcA(false)])
      assert.deepEqual(await readdir(l.resDir), [])
    } finally {
      await rm(l.root, {recursive: true, force: true})
    }
  })

  test(`down: an unknown resource matching keep (the HA controller database) is left alone ${REC}`, async () => {
    const l = await layout()
    try {
      const {run, calls} = fakeRun([])
      const layer = createDrbdLayer({mode: 'drbd9'}, {run, log, hostname: 'alpha', layout: l, keep: /^linstor_db$/, recordError: () => assert.fail('no error expected')})
      await import('node:fs/promises').then((fs) => fs.mkdir(l.resDir, {recursive: true}))
      await writeFile(join(l.resDir, 'linstor_db.res'), '# the controller database\n')
      await layer.down([])
      assert.deepEqual(await readdir(l.resDir), ['linstor_db.res'])
      assert.deepEqual(calls, [], 'not even a state query')
    } finally {
      await rm(l.root, {recursive: true, force: true})
    }
  })

  test('without DRBD on the host every wanted resource fails with the reason, and nothing runs', async () => {
    const capability: DrbdCapability = {mode: 'unsupported', reason: 'the drbd kernel module is not loaded (no /proc/drbd; try modprobe drbd)'}
    const {run, calls} = fakeRun([])
    const layer = createDrbdLayer(capability, {run, log, hostname: 'alpha', recordError: () => 7})
    const report = emptyReport()
    await layer.down([pvcA(false)])
    await layer.up([pvcA()], report)
    assert.deepEqual(calls, [])
    assert.deepEqual([report.drbd[0]?.state, report.drbd[0]?.errorSeq], ['Failed', 7])
    assert.match(report.drbd[0]?.error ?? '', /DRBD cannot run on this node: the drbd kernel module is not loaded/)
  })
})

describe('growable', () => {
  const state = (sizes: number[]): ResourceState => ({name: 'pvc-a', connections: {},
    devices: Object.fromEntries(sizes.map((sizeKib, volume) => [String(volume), {volume, sizeKib}]))})
  test('volumes whose device is smaller than wanted, on the lowest diskful node-id', () =>
    assert.deepEqual(growable(pvcA(), state([1048576, 1048576])), [1]))
  test('nothing when the sizes match, or when another diskful node has a lower node-id', () => {
    assert.deepEqual(growable(pvcA(), state([1048576, 2097152])), [])
    assert.deepEqual(growable({...pvcA(), nodeId: 3}, state([1, 1])), [])
  })
})
