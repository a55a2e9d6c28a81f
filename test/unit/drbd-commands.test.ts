import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {ExecError, type ExecResult, type Run} from '../../src/satellite/exec.ts'
import {adjustArgs, adjustResource, checkResFileArgs, createMdArgs, downArgs, downResource, ensureIncludeFile, forcePrimaryArgs,
  awaitsPeersForInitialSync, getGiArgs, includeFileContent, initialSyncCommands, installResFile, metadataVerdict, newCurrentUuidArgs, removeResFile,
  resFilePath, resizeArgs, secondaryArgs, upCommands, type DrbdCommand, type DrbdLayout} from '../../src/satellite/drbd/drbdadm.ts'
import {compareVersions, decideDrbdMode, parseDrbdadmVersion, parseProcDrbdVersion, type DrbdVersion} from '../../src/satellite/drbd/drbd-version.ts'
import {parseEvents2, type ResourceState} from '../../src/satellite/drbd/events2.ts'
import type {DrbdMode} from '../../src/satellite/drbd/res-file.ts'
import type {DesiredDrbdResource, DrbdPeer} from '../../src/protocol/drbd.ts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/drbd/${name}`, import.meta.url), 'utf8')
const fixtureFile = (name: string): string => new URL(`../fixtures/drbd/${name}`, import.meta.url).pathname

const DRBDADM = ['/usr/sbin/drbdadm', '/sbin/drbdadm'].find((p) => existsSync(p))
const DRBDADM84 = ['/lib/drbd/drbdadm-84', '/usr/lib/drbd/drbdadm-84'].find((p) => existsSync(p))
const noDrbdadm = DRBDADM && DRBDADM84 ? false : 'drbd-utils (drbdadm, drbdadm-84) not installed: apt-get install drbd-utils'
const env = (node?: string): NodeJS.ProcessEnv => ({PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C', ...(node ? {__DRBD_NODE__: node} : {})})

const peer = (node: string, nodeId: number, diskless = false): DrbdPeer =>
  ({node, nodeId, diskless, paths: [{local: {ip: '192.168.10.11', port: 7000}, peer: {ip: '192.168.10.12', port: 7000}}], connectionOptions: {}})
const resource = (more: Partial<DesiredDrbdResource> = {}): DesiredDrbdResource => ({
  rsc: 'nfs1', present: true, nodeId: 0, diskless: false, peerSlots: 7, port: 7000,
  volumes: [{vlmNr: 0, minor: 1000, sizeKib: 1048576, diskOptions: {}}, {vlmNr: 1, minor: 1001, sizeKib: 1048576, diskOptions: {}}],
  peers: [peer('bravo', 1), peer('charlie', 2, true)], options: {}, secret: 'Xq3kP0vUe7bT2mZa9LcR', skipInitialSync: false, ...more,
})
const local = {node: 'alpha', backingDisks: {0: '/dev/vg_ssd/nfs1_00000', 1: '/dev/vg_ssd/nfs1_00001'}}

// ---- argument builders ------------------------------------------------------------------------------

describe('argument builders', () => {
  const cases: [string, string[], string[]][] = [
    ['create-md, DRBD 9 (bitmap for the peer slots)', createMdArgs('nfs1', 0, 7, 'drbd9'), ['create-md', '--force', '--max-peers=7', 'nfs1/0']],
    ['create-md, DRBD 8.4 (drbdadm-84 has no --max-peers)', createMdArgs('r0', 1, 7, 'drbd84'), ['create-md', '--force', 'r0/1']],
    ['adjust', adjustArgs('nfs1'), ['adjust', 'nfs1']],
    ['down (drbdsetup)', downArgs('nfs1'), ['down', 'nfs1']],
    ['resize', resizeArgs('nfs1', 1), ['resize', 'nfs1/1']],
    ['resize of a thin volume', resizeArgs('nfs1', 1, {assumeClean: true}), ['--', '--assume-clean', 'resize', 'nfs1/1']],
    ['skip the initial sync', newCurrentUuidArgs('nfs1', 0), ['new-current-uuid', '--clear-bitmap', 'nfs1/0']],
    ['initial sync source', forcePrimaryArgs('nfs1'), ['primary', '--force', 'nfs1']],
    ['back to secondary', secondaryArgs('nfs1'), ['secondary', 'nfs1']],
    ['metadata probe, DRBD 9 (drbdmeta)', getGiArgs(1000, '/dev/vg/nfs1_00000', 2, 'drbd9'),
      ['1000', 'v09', '/dev/vg/nfs1_00000', 'internal', 'get-gi', '--node-id', '2', '--force']],
    ['metadata probe, DRBD 8.4', getGiArgs(0, '/dev/vg0/r0', 0, 'drbd84'), ['0', 'v08', '/dev/vg0/r0', 'internal', 'get-gi', '--force']],
    ['check a new file against the whole configuration', checkResFileArgs('drbd9', '/d/nfs1.res_tmp', '/d/nfs1.res'),
      ['--config-to-test', '/d/nfs1.res_tmp', '--config-to-exclude', '/d/nfs1.res', 'sh-nop']],
    ['check a new file, DRBD 8.4 (no --config-to-exclude)', checkResFileArgs('drbd84', '/d/r0.res_tmp', '/d/r0.res'), ['-c', '/d/r0.res_tmp', 'sh-nop']],
  ]
  for (const [name, actual, expected] of cases) test(name, () => assert.deepEqual(actual, expected))

  test('drbdmeta get-gi exit codes (recorded: 0 with a GI line, 1 on a blank or ext4 device, 20 when it cannot open)', () => {
    assert.deepEqual([0, 1, 255, 20, 10].map(metadataVerdict), ['present', 'absent', 'absent', 'unknown', 'unknown'])
  })

  test('files: <resDir>/<rsc>.res, included from /etc/drbd.d', () => {
    assert.equal(resFilePath({resDir: '/var/lib/cairn/drbd.d', includeFile: '/etc/drbd.d/cairn.res'}, 'nfs1'), '/var/lib/cairn/drbd.d/nfs1.res')
    assert.equal(includeFileContent('/var/lib/cairn/drbd.d/'), '# Written by Cairn: the DRBD resources it manages.\ninclude "/var/lib/cairn/drbd.d/*.res";\n')
  })
})

// ---- recorded dry runs -----------------------------------------------------------------------------------

interface DryRun {name: string, mode: DrbdMode, resFile: string, node: string, commands: string[][]}

const dryRuns: DryRun[] = [
  {name: 'dry-run-drbd9-alpha', mode: 'drbd9', resFile: 'three-nodes-tiebreaker.res', node: 'alpha', commands: [
    ...upCommands(resource(), 'drbd9', [1, 0]).map((c) => c.args),
    resizeArgs('nfs1', 0), resizeArgs('nfs1', 1, {assumeClean: true}),
    newCurrentUuidArgs('nfs1', 0), forcePrimaryArgs('nfs1'), secondaryArgs('nfs1'),
  ]},
  {name: 'dry-run-drbd9-diskless-charlie', mode: 'drbd9', resFile: 'diskless-client.res', node: 'charlie', commands: [
    ...upCommands(resource({diskless: true, nodeId: 2}), 'drbd9', []).map((c) => c.args),
  ]},
  {name: 'dry-run-drbd84-node1', mode: 'drbd84', resFile: 'drbd84-two-nodes.res', node: 'node1', commands: [
    ...upCommands(resource({rsc: 'r0'}), 'drbd84', [0]).map((c) => c.args),
    resizeArgs('r0', 0, {assumeClean: true}), newCurrentUuidArgs('r0', 0), forcePrimaryArgs('r0'), secondaryArgs('r0'),
  ]},
]

/** `drbdadm -c <file> -d <args>` as `node`; command paths reduced to their base name. */
function dryRun(d: DryRun, args: string[]): string {
  const r = spawnSync((d.mode === 'drbd9' ? DRBDADM : DRBDADM84) as string, ['-c', fixtureFile(d.resFile), '-d', ...args], {encoding: 'utf8', env: env(d.node)})
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`)
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.replace(/^(\S+)/, (cmd) => basename(cmd))).join('\n')
}

describe('command sequences against recorded drbdadm dry runs (drbd-utils 9.22, no DRBD module here)', () => {
  for (const d of dryRuns) {
    test(`${d.name}: what drbdadm makes of each command`, {skip: noDrbdadm}, () => {
      const text = `# drbdadm -c ${d.resFile} -d <command>, as ${d.node}\n${d.commands.map((args) => `$ drbdadm ${args.join(' ')}\n${dryRun(d, args)}\n`).join('')}`
      if (process.env.CAIRN_UPDATE_FIXTURES === '1') writeFileSync(fixtureFile(`${d.name}.txt`), text)
      assert.equal(text, fixture(`${d.name}.txt`))
    })
  }
})

// ---- running sequences with a recording Run -------------------------------------------------------

// drbdmeta output recorded on a 64 MiB loop device (drbd-utils 9.22).
const GI_PRESENT: ExecResult = {stdout: '0000000000000004:0000000000000000:0000000000000000:0000000000000000:0:0:0:0:1:0:0:0:0:0:0:0\n', stderr: '', exitCode: 0}
const GI_ABSENT: ExecResult = {stdout: '', stderr: '', exitCode: 1}
const GI_NO_DEVICE: ExecResult = {stdout: '', stderr: 'open(/dev/vg_ssd/nfs1_00000) failed: No such file or directory\n', exitCode: 20}
const OK: ExecResult = {stdout: '', stderr: '', exitCode: 0}

interface Call {cmd: string, args: readonly string[], opts?: {input?: string, timeoutMs?: number}}

/** A Run that records its calls and answers from `replies` (matched by the joined command line), throwing as createRun does. */
function recordingRun(replies: Record<string, ExecResult> = {}): {run: Run, calls: Call[]} {
  const calls: Call[] = []
  const run: Run = async (cmd, args, opts) => {
    calls.push({cmd, args, ...(opts ? {opts} : {})})
    const result = replies[[cmd, ...args].join(' ')] ?? OK
    if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
    return result
  }
  return {run, calls}
}
const lines = (calls: Call[]): string[] => calls.map((c) => [c.cmd, ...c.args].join(' '))

describe('adjustResource (recorded drbdmeta answers)', () => {
  test('new resource: probe each volume, create-md where there is none, then adjust', async () => {
    const {run, calls} = recordingRun({
      'drbdmeta 1000 v09 /dev/vg_ssd/nfs1_00000 internal get-gi --node-id 0 --force': GI_ABSENT,
      'drbdmeta 1001 v09 /dev/vg_ssd/nfs1_00001 internal get-gi --node-id 0 --force': GI_ABSENT,
    })
    assert.deepEqual(await adjustResource(run, resource(), local, 'drbd9'), {createdMetadata: [0, 1]})
    assert.deepEqual(lines(calls), [
      'drbdmeta 1000 v09 /dev/vg_ssd/nfs1_00000 internal get-gi --node-id 0 --force',
      'drbdmeta 1001 v09 /dev/vg_ssd/nfs1_00001 internal get-gi --node-id 0 --force',
      'drbdadm create-md --force --max-peers=7 nfs1/0',
      'drbdadm create-md --force --max-peers=7 nfs1/1',
      'drbdadm adjust nfs1',
    ])
    // drbdmeta and drbdadm never wait on a terminal; create-md may take long on big devices.
    assert.ok(calls.every((c) => c.opts?.input === ''))
    assert.equal(calls[2]?.opts?.timeoutMs, 15 * 60_000)
  })

  test('existing resource: an attached volume is not probed, metadata found on the other', async () => {
    const current = parseEvents2('exists device name:nfs1 volume:0 minor:1000 disk:UpToDate\nexists device name:nfs1 volume:1 minor:1001 disk:Diskless').resources.nfs1
    const {run, calls} = recordingRun({'drbdmeta 1001 v09 /dev/vg_ssd/nfs1_00001 internal get-gi --node-id 0 --force': GI_PRESENT})
    assert.deepEqual(await adjustResource(run, resource(), local, 'drbd9', current), {createdMetadata: []})
    assert.deepEqual(lines(calls), ['drbdmeta 1001 v09 /dev/vg_ssd/nfs1_00001 internal get-gi --node-id 0 --force', 'drbdadm adjust nfs1'])
  })

  test('DRBD 8.4: v08 metadata, create-md without --max-peers', async () => {
    const res = resource({rsc: 'r0', volumes: [{vlmNr: 0, minor: 0, sizeKib: 262100, diskOptions: {}}], peers: [peer('node2', 1)]})
    const {run, calls} = recordingRun({'drbdmeta 0 v08 /dev/vg0/r0 internal get-gi --force': GI_ABSENT})
    await adjustResource(run, res, {node: 'node1', backingDisks: {0: '/dev/vg0/r0'}}, 'drbd84')
    assert.deepEqual(lines(calls), ['drbdmeta 0 v08 /dev/vg0/r0 internal get-gi --force', 'drbdadm create-md --force r0/0', 'drbdadm adjust r0'])
  })

  test('a diskless resource has no metadata to probe', async () => {
    const {run, calls} = recordingRun()
    await adjustResource(run, resource({diskless: true}), {node: 'charlie', backingDisks: {}}, 'drbd9')
    assert.deepEqual(lines(calls), ['drbdadm adjust nfs1'])
  })

  test('when drbdmeta cannot tell, nothing is created and nothing adjusted', async () => {
    const {run, calls} = recordingRun({'drbdmeta 1000 v09 /dev/vg_ssd/nfs1_00000 internal get-gi --node-id 0 --force': GI_NO_DEVICE})
    await assert.rejects(adjustResource(run, resource(), local, 'drbd9'), /cannot tell whether nfs1\/0 has DRBD metadata.*exited 20/)
    assert.deepEqual(lines(calls), ['drbdmeta 1000 v09 /dev/vg_ssd/nfs1_00000 internal get-gi --node-id 0 --force'])
  })

  test('a failing adjust is passed on', async () => {
    const {run} = recordingRun({
      'drbdmeta 1000 v09 /dev/vg_ssd/nfs1_00000 internal get-gi --node-id 0 --force': GI_PRESENT,
      'drbdmeta 1001 v09 /dev/vg_ssd/nfs1_00001 internal get-gi --node-id 0 --force': GI_PRESENT,
      'drbdadm adjust nfs1': {stdout: '', stderr: "nfs1: Failure: (162) Invalid configuration request\nadditional info from kernel:\npeer connection already exists\nCommand 'drbdsetup new-peer nfs1 1 --_name=bravo' terminated with exit code 10\n", exitCode: 10},
    })
    await assert.rejects(adjustResource(run, resource(), local, 'drbd9'), (e: unknown) => e instanceof ExecError && /peer connection already exists/.test(e.message))
  })

  test('down uses drbdsetup, which needs no .res file', async () => {
    const {run, calls} = recordingRun()
    await downResource(run, 'nfs1')
    assert.deepEqual(lines(calls), ['drbdsetup down nfs1'])
  })
})

// ---- initial sync -------------------------------------------------------------------------------------

describe('initialSyncCommands against recorded DRBD 9.2 events2 output (no DRBD module here)', () => {
  const stream = fixture('events2-drbd92-stream-timestamps.txt')
  const at = (text: string, marker: string, rsc: string): ResourceState | undefined => {
    const all = text.split('\n')
    const i = all.findIndex((l) => l.includes(marker))
    assert.ok(i >= 0, marker)
    return parseEvents2(all.slice(0, i + 1).join('\n')).resources[rsc]
  }
  const pvcB = (more: Partial<DesiredDrbdResource> = {}): DesiredDrbdResource =>
    resource({rsc: 'pvc-b', volumes: [{vlmNr: 0, minor: 1003, sizeKib: 1048576, diskOptions: {}}], peers: [peer('bravo', 1), peer('charlie', 2, true)], ...more})
  const connected = at(stream, 'replication:Established peer-disk:Inconsistent', 'pvc-b')
  const cmds = (c: DrbdCommand[]): string[] => c.map((x) => [x.cmd, ...x.args].join(' '))

  const cases: [string, DesiredDrbdResource, ResourceState | undefined, DrbdMode, string[]][] = [
    ['new thin volume, all connected and Inconsistent, lowest node-id: skip the sync', pvcB({skipInitialSync: true}), connected, 'drbd9',
      ['drbdadm new-current-uuid --clear-bitmap pvc-b/0']],
    ['new thick volume: this node becomes the sync source', pvcB(), connected, 'drbd9', ['drbdadm primary --force pvc-b', 'drbdadm secondary pvc-b']],
    ['not the lowest diskful node-id: the peer acts', pvcB({nodeId: 3, skipInitialSync: true}), connected, 'drbd9', []],
    ['a lower node-id on a diskless peer does not count', pvcB({nodeId: 3, skipInitialSync: true, peers: [peer('bravo', 4), peer('charlie', 0, true)]}),
      connected, 'drbd9', ['drbdadm new-current-uuid --clear-bitmap pvc-b/0']],
    ['peer not connected yet', pvcB({skipInitialSync: true}), at(stream, 'disk:Inconsistent', 'pvc-b'), 'drbd9', []],
    ['already UpToDate', pvcB({skipInitialSync: true}), at(stream, 'may_promote:yes promotion_score:10102', 'pvc-b'), 'drbd9', []],
    ['no events2 state yet', pvcB({skipInitialSync: true}), undefined, 'drbd9', []],
    ['a diskless resource never starts a sync', pvcB({diskless: true, skipInitialSync: true}), connected, 'drbd9', []],
    ['an unknown diskful peer blocks it', pvcB({skipInitialSync: true, peers: [peer('bravo', 1), peer('delta', 3)]}), connected, 'drbd9', []],
    ['a full sync waits until every volume is due', pvcB({volumes: [{vlmNr: 0, minor: 1003, sizeKib: 1, diskOptions: {}}, {vlmNr: 1, minor: 1004, sizeKib: 1, diskOptions: {}}]}),
      connected, 'drbd9', []],
  ]
  for (const [name, res, state, mode, expected] of cases) test(name, () => assert.deepEqual(cmds(initialSyncCommands(res, state, mode)), expected))

  test('DRBD 8.4: the connection is called "peer"', () => {
    const r0 = at(fixture('events2-drbd84-stream.txt'), 'replication:Established peer-disk:Inconsistent', 'r0')
    const res = resource({rsc: 'r0', volumes: [{vlmNr: 0, minor: 0, sizeKib: 262100, diskOptions: {}}], peers: [peer('node2', 1)]})
    assert.deepEqual(cmds(initialSyncCommands(res, r0, 'drbd84')), ['drbdadm primary --force r0', 'drbdadm secondary r0'])
    assert.deepEqual(cmds(initialSyncCommands({...res, skipInitialSync: true}, r0, 'drbd84')), ['drbdadm new-current-uuid --clear-bitmap r0/0'])
    assert.equal(awaitsPeersForInitialSync(res, r0, 'drbd84'), false)
  })

  test('awaitsPeersForInitialSync: only the node that starts the sync waits, and only until its diskful peers connect', () => {
    const notYet = at(stream, 'disk:Inconsistent', 'pvc-b')
    assert.equal(awaitsPeersForInitialSync(pvcB(), notYet, 'drbd9'), true)
    assert.equal(awaitsPeersForInitialSync(pvcB(), connected, 'drbd9'), false)
    assert.equal(awaitsPeersForInitialSync(pvcB({nodeId: 3}), notYet, 'drbd9'), false)
    assert.equal(awaitsPeersForInitialSync(pvcB({diskless: true}), notYet, 'drbd9'), false)
    assert.equal(awaitsPeersForInitialSync(pvcB(), at(stream, 'may_promote:yes promotion_score:10102', 'pvc-b'), 'drbd9'), false)
    assert.equal(awaitsPeersForInitialSync(pvcB(), undefined, 'drbd9'), false)
  })
})

// ---- files ------------------------------------------------------------------------------------------------

describe('installResFile', () => {
  const tmp = (): {dir: string, layout: DrbdLayout} => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-drbd-files-'))
    return {dir, layout: {resDir: join(dir, 'lib'), includeFile: join(dir, 'etc', 'drbd.d', 'cairn.res')}}
  }

  test('checked before it goes live; the same content again is left alone', async () => {
    const {dir, layout} = tmp()
    try {
      const {run, calls} = recordingRun()
      assert.equal(await installResFile(run, layout, 'nfs1', 'resource "nfs1" {}\n', 'drbd9'), 'written')
      assert.deepEqual(lines(calls), [`drbdadm --config-to-test ${layout.resDir}/nfs1.res_tmp --config-to-exclude ${layout.resDir}/nfs1.res sh-nop`])
      assert.equal(readFileSync(resFilePath(layout, 'nfs1'), 'utf8'), 'resource "nfs1" {}\n')
      assert.equal(await installResFile(run, layout, 'nfs1', 'resource "nfs1" {}\n', 'drbd9'), 'unchanged')
      assert.equal(calls.length, 1)
      assert.deepEqual(readdirSync(layout.resDir), ['nfs1.res'])
      await removeResFile(layout, 'nfs1')
      assert.deepEqual(readdirSync(layout.resDir), [])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  test('a file drbdadm rejects never replaces the old one', async () => {
    const {dir, layout} = tmp()
    try {
      const ok = recordingRun()
      await installResFile(ok.run, layout, 'nfs1', 'old\n', 'drbd84')
      const bad = recordingRun({[`drbdadm -c ${layout.resDir}/nfs1.res_tmp sh-nop`]: {stdout: '', stderr: 'nfs1.res_tmp:3: Parse error', exitCode: 10}})
      await assert.rejects(installResFile(bad.run, layout, 'nfs1', 'new\n', 'drbd84'), /Parse error/)
      assert.equal(readFileSync(resFilePath(layout, 'nfs1'), 'utf8'), 'old\n')
      assert.deepEqual(readdirSync(layout.resDir), ['nfs1.res'])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  test('with the real drbdadm: the whole configuration is checked, clashes with other resources refused', {skip: noDrbdadm}, async () => {
    const {dir, layout} = tmp()
    try {
      assert.equal(await ensureIncludeFile(layout), true)
      assert.equal(await ensureIncludeFile(layout), false)
      const conf = join(dir, 'etc', 'drbd.conf')
      writeFileSync(conf, `include "${join(dir, 'etc', 'drbd.d')}/*.res";\n`)
      // The real drbdadm, pointed at this scratch configuration instead of /etc/drbd.conf.
      const run: Run = async (cmd, args) => {
        const r = spawnSync(DRBDADM as string, ['-c', conf, ...args], {encoding: 'utf8', env: env()})
        const result = {stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1}
        if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
        return result
      }
      const nfs1 = fixture('three-nodes-tiebreaker.res')
      assert.equal(await installResFile(run, layout, 'nfs1', nfs1, 'drbd9'), 'written')
      // The old nfs1.res is excluded while its successor is checked, so it does not clash with itself.
      assert.equal(await installResFile(run, layout, 'nfs1', nfs1.replace('rr-conflict retry-connect;', 'rr-conflict disconnect;'), 'drbd9'), 'written')
      // Another resource on the same minors is refused with drbdadm's reason.
      const clash = nfs1.replace('resource "nfs1"', 'resource "nfs2"').replaceAll(':7000', ':7001')
      await assert.rejects(installResFile(run, layout, 'nfs2', clash, 'drbd9'), /conflicting use of device-minor/)
      assert.deepEqual(readdirSync(layout.resDir), ['nfs1.res'])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

// ---- versions --------------------------------------------------------------------------------------------

describe('DRBD versions and the mode they select', () => {
  const v = (major: number, minor: number, patch: number): DrbdVersion => ({major, minor, patch})

  test('/proc/drbd of DRBD 8.4.11 (Debian 6.1 kernel) and DRBD 9.2.12', () => {
    assert.deepEqual(parseProcDrbdVersion('version: 8.4.11 (api:1/proto:86-101)\nsrcversion: 211FB288A383ED945B83420 \n'), v(8, 4, 11))
    assert.deepEqual(parseProcDrbdVersion([
      'version: 9.2.12 (api:2/proto:86-122)',
      'GIT-hash: 2da6f528dc3ab8dd7a6e0e0d1ffaafc01ed0dc30 build by root@alpha, 2024-11-06 10:24:46',
      'Transports (api:21): tcp (9.2.12) lb-tcp (9.2.12)', '',
    ].join('\n')), v(9, 2, 12))
    assert.equal(parseProcDrbdVersion(''), undefined)
    assert.equal(parseProcDrbdVersion('cat: /proc/drbd: No such file or directory'), undefined)
  })

  test('drbdadm --version without a kernel module (recorded here, modinfo noise included)', () => {
    const text = [
      'sh: 1: modinfo: not found', 'sh: 1: modinfo: not found',
      'DRBDADM_BUILDTAG=GIT-hash:\\ 409097fe02187f83790b88ac3e0d94f3c167adab\\ reproducible\\ build\\,\\ 2023-01-09\\ 14:51:18',
      'DRBDADM_API_VERSION=2', 'DRBD_KERNEL_VERSION_CODE=0x000000', 'DRBD_KERNEL_VERSION=0', 'DRBDADM_VERSION_CODE=0x091600', 'DRBDADM_VERSION=9.22.0', '',
    ].join('\n')
    assert.deepEqual(parseDrbdadmVersion(text), {utils: v(9, 22, 0)})
  })

  test('drbdadm --version with DRBD 8.4.11 loaded (answered by drbdadm-84) and with DRBD 9.2.12', () => {
    assert.deepEqual(parseDrbdadmVersion('DRBDADM_API_VERSION=1\nDRBD_KERNEL_VERSION_CODE=0x08040b\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0\n'),
      {kernel: v(8, 4, 11), utils: v(9, 22, 0)})
    assert.deepEqual(parseDrbdadmVersion('DRBDADM_API_VERSION=2\nDRBD_KERNEL_VERSION_CODE=0x09020c\nDRBD_KERNEL_VERSION=9.2.12\nDRBDADM_VERSION_CODE=0x091d00\nDRBDADM_VERSION=9.29.0\n'),
      {kernel: v(9, 2, 12), utils: v(9, 29, 0)})
    // Only the text forms: still read.
    assert.deepEqual(parseDrbdadmVersion('DRBD_KERNEL_VERSION=9.1.23\nDRBDADM_VERSION=9.27.0\n'), {kernel: v(9, 1, 23), utils: v(9, 27, 0)})
    assert.deepEqual(parseDrbdadmVersion(''), {})
  })

  test('the real drbdadm --version on this host parses', {skip: noDrbdadm}, () => {
    const r = spawnSync(DRBDADM as string, ['--version'], {encoding: 'utf8', env: env()})
    const parsed = parseDrbdadmVersion(r.stdout)
    assert.ok(parsed.utils && parsed.utils.major >= 9, r.stdout)
  })

  const modes: [string, DrbdVersion | undefined, DrbdVersion | undefined, string][] = [
    ['DRBD 9.2 with utils 9.29', v(9, 2, 12), v(9, 29, 0), 'drbd9'],
    ['DRBD 8.4.11 with bookworm utils 9.22 (drbdadm-84)', v(8, 4, 11), v(9, 22, 0), 'drbd84'],
    ['DRBD 8.4 with drbd8-utils 8.9.10', v(8, 4, 10), v(8, 9, 10), 'drbd84'],
    ['DRBD 8.4 with ancient utils 8.4.4', v(8, 4, 11), v(8, 4, 4), 'unsupported: DRBD 8.4.11 needs drbd-utils 8.9 or later, found 8.4.4'],
    ['DRBD 9 with 8.x utils', v(9, 2, 12), v(8, 9, 10), 'unsupported: DRBD 9.2.12 needs drbd-utils 9, found 8.9.10'],
    ['DRBD 8.3', v(8, 3, 16), v(9, 22, 0), 'unsupported: DRBD kernel module 8.3.16 is not supported (DRBD 9 or 8.4 needed)'],
    ['module not loaded', undefined, v(9, 22, 0), 'unsupported: the drbd kernel module is not loaded (no /proc/drbd; try modprobe drbd)'],
    ['no utils', v(9, 2, 12), undefined, "unsupported: drbd-utils are not installed ('drbdadm' not found or gave no version)"],
  ]
  for (const [name, kernel, utils, expected] of modes) {
    test(`mode: ${name}`, () => {
      const d = decideDrbdMode(kernel, utils)
      assert.equal(d.mode === 'unsupported' ? `unsupported: ${d.reason}` : d.mode, expected)
    })
  }

  test('compareVersions', () => {
    assert.ok(compareVersions(v(9, 2, 12), v(9, 10, 0)) < 0)
    assert.ok(compareVersions(v(8, 4, 11), v(8, 4, 11)) === 0)
    assert.ok(compareVersions(v(9, 0, 0), v(8, 9, 99)) > 0)
  })
})
