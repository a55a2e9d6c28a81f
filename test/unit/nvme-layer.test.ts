// The satellite's NVMe layer (LINSTOR's NVME layer): the nvmet configfs changes a target makes, the
// nvme-cli command lines an initiator runs, and what their output means. This machine has neither
// nvmet nor nvme-cli: the changes and commands are checked against a session recorded on a real
// kernel (test/fixtures/nvme/session-bookworm.txt: Debian bookworm, Linux 6.1, nvme-cli 2.3, made
// by record-session.ts from the same functions), and the layer reports itself unsupported here.
import assert from 'node:assert/strict'
import {mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, test} from 'node:test'
import type {Logger} from '../../src/common/log.ts'
import {PROTOCOL_VERSION, type DesiredNvmeResource, type SatelliteReport} from '../../src/protocol/messages.ts'
import {createRun, ExecError, type Run} from '../../src/satellite/exec.ts'
import {connectArgs, disconnectArgs, discoverArgs, initiatorProblems, isEmptyTopology, listArgs, parseDiscovery, parseList} from '../../src/satellite/nvme/nvme-cli.ts'
import {createNvmeLayer, nvmeUnsupported, probeNvme, readNvmetTree, type NvmeCapability} from '../../src/satellite/nvme/nvme-layer.ts'
import {exportChanges, namespaceId, NVMET_ROOT, subsystemNqn, targetProblems, unexportChanges, type NvmetTree} from '../../src/satellite/nvme/nvmet.ts'
import {changeTitle, EMPTY_TREE, EXPORTED_TREE, SESSION_CONNECTION, SESSION_EXPORT} from '../fixtures/nvme/record-session.ts'

interface Step {title: string, command: string, stdout: string, stderr: string, rc: number}

/** The recorded session's steps: "### title", "$ command", stdout, "--- stderr", stderr, "--- rc N". */
async function session(): Promise<Step[]> {
  const text = await readFile(join(import.meta.dirname, '../fixtures/nvme/session-bookworm.txt'), 'utf8')
  return text.split(/^### /m).slice(1).map((block) => {
    const m = /^(.*)\n\$ (.*)\n([\s\S]*?)--- stderr\n([\s\S]*?)--- rc (\d+)\n?$/.exec(block)
    assert.ok(m, `unreadable step: ${block.slice(0, 80)}`)
    return {title: m[1] as string, command: m[2] as string, stdout: m[3] as string, stderr: m[4] as string, rc: Number(m[5])}
  })
}
const recorded = async (title: string): Promise<Step> => {
  const s = (await session()).find((x) => x.title === title)
  assert.ok(s, `no step '${title}' in the session`)
  return s
}

/** A Run that expects exactly `answers`, in order, and fails like execa on a non-zero exit. */
function scripted(answers: {cmd: string, args: string[], stdout?: string, stderr?: string, exitCode?: number}[]): Run {
  return async (cmd, args) => {
    const a = answers.shift()
    assert.deepEqual({cmd, args: [...args]}, a ? {cmd: a.cmd, args: a.args} : {cmd: '<nothing more expected>'})
    const result = {stdout: a?.stdout ?? '', stderr: a?.stderr ?? '', exitCode: a?.exitCode ?? 0}
    if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
    return result
  }
}
const answer = (s: Step): {stdout: string, stderr: string, exitCode: number} => ({stdout: s.stdout, stderr: s.stderr, exitCode: s.rc})

const report = (volumes: SatelliteReport['volumes'] = []): SatelliteReport => ({
  protocol: PROTOCOL_VERSION, version: 't', instance: 'i', generation: 1, uname: 'n', providers: {supported: [], unsupported: {}},
  layers: {supported: [], unsupported: {}}, pools: {}, snapshots: [], drbd: [], errors: [], volumes,
})
const supported: NvmeCapability = {target: [], initiator: []}
const initiator = (over: Partial<DesiredNvmeResource> = {}): DesiredNvmeResource =>
  ({rsc: 'rec1', role: 'initiator', present: true, transport: 'tcp', address: '127.0.0.1', trsvcid: '4420', volumes: [0, 1], ...over})

function layer(run: Run, over: {capability?: NvmeCapability, nvmetRoot?: string, nvmeClass?: string, keep?: RegExp} = {}) {
  const errors: string[] = []
  const nvme = createNvmeLayer(over.capability ?? supported, {run, recordError: (_m, msg) => errors.push(msg), settleMs: 50,
    nvmetRoot: over.nvmetRoot ?? '/nonexistent/nvmet', nvmeClass: over.nvmeClass ?? '/nonexistent/nvme', keep: over.keep})
  return {nvme, errors}
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-nvme-'))
  try {
    return await fn(dir)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

/** Files as the session's "tree" step read them (path=content; the kernel ends each with a newline), port links as entries. */
async function writeRecordedTree(root: string): Promise<void> {
  for (const line of (await recorded('tree')).stdout.trim().split('\n')) {
    const link = /^(ports\/[^/]+\/subsystems): (.*)$/.exec(line)
    if (link) {
      await mkdir(join(root, link[1] as string), {recursive: true})
      for (const nqn of (link[2] as string).split(/\s+/).filter(Boolean)) await symlink(join(root, 'subsystems', nqn), join(root, link[1] as string, nqn))
      continue
    }
    const [path, ...value] = line.split('=')
    await mkdir(dirname(join(root, path as string)), {recursive: true})
    await writeFile(join(root, path as string), `${value.join('=')}\n`)
  }
}

describe('names, as LINSTOR gives them', () => {
  test('subsystem LS-NVMe_<resource>, namespace = volume number + 1', () => {
    assert.equal(subsystemNqn('pvc-1'), 'LS-NVMe_pvc-1')
    assert.equal(namespaceId(0), 1)
    assert.equal(namespaceId(3), 4)
  })
})

describe('target: nvmet configfs changes (recorded on Debian bookworm, Linux 6.1)', () => {
  test('recorded: exporting a new target is the session\'s configfs sequence, and nvmet accepted every step', async () => {
    const steps = (await session()).filter((s) => s.title.startsWith('configfs '))
    const changes = exportChanges(SESSION_EXPORT, EMPTY_TREE)
    assert.deepEqual(steps.slice(0, changes.length).map((s) => s.title), changes.map(changeTitle))
    for (const s of steps.slice(0, changes.length)) assert.equal(s.rc, 0, `${s.title}: ${s.stderr}`)
    // subsystem open to any host, namespaces (device, then enable), then the port, linked last
    assert.deepEqual(changes.map((c) => c.op), ['mkdir', 'write', 'mkdir', 'write', 'write', 'mkdir', 'write', 'write', 'mkdir', 'write', 'write', 'write', 'write', 'symlink'])
  })

  test('recorded: the tree read back after the export is what the planner expects, and exporting again changes nothing', async () => {
    await withTempDir(async (root) => {
      await writeRecordedTree(root)
      const tree = await readNvmetTree(root)
      assert.deepEqual(tree, EXPORTED_TREE)
      assert.deepEqual(exportChanges(SESSION_EXPORT, tree), [])
    })
  })

  test('recorded: taking the target down unlinks it, removes the port it leaves empty, disables and removes the namespaces; nothing is left', async () => {
    const all = await session()
    const changes = unexportChanges(SESSION_EXPORT.nqn, EXPORTED_TREE)
    const steps = all.slice(all.findIndex((s) => s.title === 'list after disconnect') + 1).filter((s) => s.title.startsWith('configfs '))
    assert.deepEqual(steps.map((s) => s.title), changes.map(changeTitle))
    for (const s of steps) assert.equal(s.rc, 0, `${s.title}: ${s.stderr}`)
    assert.equal((await recorded('nvmet at the end')).stdout, '')
  })

  test('recorded: a port serving a subsystem refuses new settings (EACCES), so another address gets its own port', async () => {
    const refused = await recorded('write addr_traddr of a port in use')
    assert.equal(refused.rc, 1)
    assert.match(refused.stderr, /Permission denied/)
    const moved = exportChanges({...SESSION_EXPORT, traddr: '10.99.0.1'}, EXPORTED_TREE)
    assert.deepEqual(moved.map(changeTitle), [
      `configfs unlink ${NVMET_ROOT}/ports/1/subsystems/LS-NVMe_rec1`,
      `configfs rmdir ${NVMET_ROOT}/ports/1`,
      `configfs mkdir ${NVMET_ROOT}/ports/2`,
      `configfs write ${NVMET_ROOT}/ports/2/addr_traddr = 10.99.0.1`,
      `configfs write ${NVMET_ROOT}/ports/2/addr_trtype = tcp`,
      `configfs write ${NVMET_ROOT}/ports/2/addr_trsvcid = 4420`,
      `configfs write ${NVMET_ROOT}/ports/2/addr_adrfam = ipv4`,
      `configfs symlink ${NVMET_ROOT}/ports/2/subsystems/LS-NVMe_rec1`,
    ])
  })

  test('recorded: without nvmet loaded configfs has no nvmet directory (the layer loads the module first)', async () => {
    const s = await recorded('mkdir without nvmet')
    assert.equal(s.rc, 1)
    assert.match(s.stderr, /No such file or directory/)
  })

  test('a changed volume: its namespace is disabled, gets the new device, and is enabled again; a dropped volume goes', () => {
    const changes = exportChanges({...SESSION_EXPORT, namespaces: [{nsid: 1, devicePath: '/dev/mapper/rec1_00000'}]}, EXPORTED_TREE)
    const ns = `${NVMET_ROOT}/subsystems/LS-NVMe_rec1/namespaces`
    assert.deepEqual(changes.map(changeTitle), [
      `configfs write ${ns}/1/enable = 0`, `configfs write ${ns}/1/device_path = /dev/mapper/rec1_00000`, `configfs write ${ns}/1/enable = 1`,
      `configfs write ${ns}/2/enable = 0`, `configfs rmdir ${ns}/2`,
    ])
  })

  test('a port another subsystem uses is shared, and stays when this one goes; IPv6 addresses get adrfam ipv6', () => {
    const shared: NvmetTree = {subsystems: [{nqn: 'LS-NVMe_other', namespaces: []}],
      ports: [{id: '7', traddr: '127.0.0.1', trtype: 'tcp', trsvcid: '4420', subsystems: ['LS-NVMe_other']}]}
    const fresh = exportChanges({...SESSION_EXPORT, namespaces: []}, shared)
    assert.deepEqual(fresh.map(changeTitle).slice(-1), [`configfs symlink ${NVMET_ROOT}/ports/7/subsystems/LS-NVMe_rec1`])
    assert.ok(!fresh.some((c) => c.op === 'mkdir' && c.path.includes('/ports/')))
    const both: NvmetTree = {...shared, ports: [{...(shared.ports[0] as NvmetTree['ports'][number]), subsystems: ['LS-NVMe_other', 'LS-NVMe_rec1']}]}
    assert.deepEqual(unexportChanges('LS-NVMe_rec1', both).map(changeTitle), [`configfs unlink ${NVMET_ROOT}/ports/7/subsystems/LS-NVMe_rec1`])
    const v6 = exportChanges({...SESSION_EXPORT, traddr: 'fd00::1', namespaces: []}, shared)
    assert.ok(v6.some((c) => c.op === 'write' && c.path === `${NVMET_ROOT}/ports/8/addr_adrfam` && c.value === 'ipv6'))
  })
})

describe('initiator: nvme-cli (recorded with nvme-cli 2.3)', () => {
  test('recorded: the command lines are the ones the session ran', async () => {
    assert.equal((await recorded('connect')).command, `nvme ${connectArgs(SESSION_CONNECTION).join(' ')}`)
    assert.equal((await recorded('discover')).command, `nvme ${discoverArgs(SESSION_CONNECTION).join(' ')}`)
    assert.equal((await recorded('disconnect')).command, `nvme ${disconnectArgs('LS-NVMe_rec1').join(' ')}`)
    assert.equal((await recorded('list')).command, `nvme ${listArgs().join(' ')}`)
    assert.deepEqual(connectArgs(SESSION_CONNECTION),
      ['connect', '--transport=tcp', '--nqn=LS-NVMe_rec1', '--traddr=127.0.0.1', '--trsvcid=4420', '--hostnqn=rec-node'])
  })

  test('recorded: the verbose list maps each namespace of the subsystem to its block device (named after the subsystem, not the controller path)', async () => {
    assert.deepEqual(parseList((await recorded('list')).stdout),
      [{nqn: 'LS-NVMe_rec1', namespaces: [{nsid: 2, devicePath: '/dev/nvme0n2'}, {nsid: 1, devicePath: '/dev/nvme0n1'}]}])
    assert.deepEqual(parseList((await recorded('list after disconnect')).stdout), [])
    const none = await recorded('list, nothing connected')
    assert.equal(none.rc, 1)
    assert.ok(isEmptyTopology(none.stderr))
  })

  test('recorded: discovery offers the subsystem (the discovery subsystem itself is not counted); connect twice fails, disconnect twice does not', async () => {
    assert.deepEqual(parseDiscovery((await recorded('discover')).stdout), ['LS-NVMe_rec1'])
    assert.match((await recorded('connect again')).stderr, /already connected/)
    assert.equal((await recorded('connect again')).rc, 1)
    assert.equal((await recorded('disconnect again')).rc, 0)
    assert.equal((await recorded('same data')).stdout.split('\n').filter(Boolean).length, 2)
    const [a, b] = (await recorded('same data')).stdout.split('\n')
    assert.equal(a, b, 'the initiator reads what the target exports')
  })
})

describe('the NVMe layer on a satellite', () => {
  test('recorded: an initiator connects, then finds its volumes\' devices by namespace', async () => {
    const run = scripted([
      {cmd: 'nvme', args: listArgs(), ...answer(await recorded('list, nothing connected'))},
      {cmd: 'modprobe', args: ['nvme-tcp']},
      {cmd: 'nvme', args: connectArgs(SESSION_CONNECTION), ...answer(await recorded('connect'))},
      {cmd: 'nvme', args: listArgs(), ...answer(await recorded('list'))},
    ])
    const {nvme, errors} = layer(run)
    const r = report()
    await nvme.up([initiator()], 'rec-node', r)
    assert.deepEqual(errors, [])
    assert.deepEqual(r.nvme, [{rsc: 'rec1', role: 'initiator', state: 'Created',
      volumes: [{vlmNr: 0, devicePath: '/dev/nvme0n1'}, {vlmNr: 1, devicePath: '/dev/nvme0n2'}]}])
  })

  test('recorded: an initiator already connected runs only the list', async () => {
    const {nvme} = layer(scripted([{cmd: 'nvme', args: listArgs(), ...answer(await recorded('list'))}]))
    const r = report()
    await nvme.up([initiator({volumes: [1]})], 'rec-node', r)
    assert.deepEqual(r.nvme?.[0]?.volumes, [{vlmNr: 1, devicePath: '/dev/nvme0n2'}])
  })

  test('recorded: a failed connect says what the target offers instead', async () => {
    const nosuch = {...SESSION_CONNECTION, nqn: 'LS-NVMe_nosuch'}
    const run = scripted([
      {cmd: 'nvme', args: listArgs(), ...answer(await recorded('list after disconnect'))},
      {cmd: 'modprobe', args: ['nvme-tcp']},
      {cmd: 'nvme', args: connectArgs(nosuch), ...answer(await recorded('connect to a subsystem the target does not offer'))},
      {cmd: 'nvme', args: discoverArgs(nosuch), ...answer(await recorded('discover'))},
    ])
    const {nvme, errors} = layer(run)
    const r = report()
    await nvme.up([initiator({rsc: 'nosuch'})], 'rec-node', r)
    assert.equal(r.nvme?.[0]?.state, 'Failed')
    assert.match(r.nvme?.[0]?.error ?? '', /Input\/output error[\s\S]*; the target at tcp 127\.0\.0\.1:4420 does not offer LS-NVMe_nosuch \(it offers LS-NVMe_rec1\)/)
    assert.equal(errors.length, 1)
  })

  test('recorded: nobody listening at the target\'s address is said so', async () => {
    const run = scripted([
      {cmd: 'nvme', args: listArgs(), ...answer(await recorded('list after disconnect'))},
      {cmd: 'modprobe', args: ['nvme-tcp']},
      {cmd: 'nvme', args: connectArgs({...SESSION_CONNECTION, trsvcid: '4499'}), ...answer(await recorded('discover, nobody listening'))},
      {cmd: 'nvme', args: discoverArgs({...SESSION_CONNECTION, trsvcid: '4499'}), ...answer(await recorded('discover, nobody listening'))},
    ])
    const {nvme} = layer(run)
    const r = report()
    await nvme.up([initiator({trsvcid: '4499'})], 'rec-node', r)
    assert.match(r.nvme?.[0]?.error ?? '', /no NVMe-oF target answers at tcp 127\.0\.0\.1:4499/)
  })

  test('an initiator without a target, and a target whose volume is not ready, fail with the reason', async () => {
    const {nvme} = layer(scripted([]))
    const r = report()
    await nvme.up([initiator({address: undefined}), {...initiator(), role: 'target', volumes: [0]}], 'n', r)
    assert.deepEqual(r.nvme?.map((x) => [x.role, x.state, x.error]), [
      ['initiator', 'Failed', 'NVMe-oF initiator LS-NVMe_rec1: its definition has no NVMe target (a diskful resource) to connect to'],
      ['target', 'Failed', 'NVMe-oF target LS-NVMe_rec1: the volume 0 below it is not ready'],
    ])
  })

  test('recorded tree: a target exports the volumes below it, relinks a missing port link, and reports the devices', async () => {
    await withTempDir(async (root) => {
      await writeRecordedTree(root)
      await rm(join(root, 'ports/1/subsystems/LS-NVMe_rec1'))
      const {nvme, errors} = layer(scripted([]), {nvmetRoot: root})
      const r = report([{rsc: 'rec1', vlmNr: 0, pool: 'p', state: 'Created', devicePath: '/dev/vdb'}, {rsc: 'rec1', vlmNr: 1, pool: 'p', state: 'Created', devicePath: '/dev/loop0'}])
      await nvme.up([{...initiator(), role: 'target'}], 'n', r)
      assert.deepEqual(errors, [])
      assert.deepEqual(await readNvmetTree(root), EXPORTED_TREE)
      assert.deepEqual(r.nvme, [{rsc: 'rec1', role: 'target', state: 'Created',
        volumes: [{vlmNr: 0, devicePath: '/dev/vdb', backingDevice: '/dev/vdb'}, {vlmNr: 1, devicePath: '/dev/loop0', backingDevice: '/dev/loop0'}]}])
    })
  })

  test('down: targets and connections named LS-NVMe_* that are not wanted go; kept resources and foreign NQNs stay', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'nvmet')
      const cls = join(dir, 'class')
      for (const nqn of ['LS-NVMe_old', 'LS-NVMe_kept', 'LS-NVMe_rec1', 'nqn.2014-08.org.example:foreign']) await mkdir(join(root, 'subsystems', nqn), {recursive: true})
      for (const [c, nqn] of [['nvme0', 'LS-NVMe_rec1'], ['nvme1', 'nqn.2014.08.org.nvmexpress:uuid:local-ssd'], ['nvme2', 'LS-NVMe_kept']]) {
        await mkdir(join(cls, c as string), {recursive: true})
        await writeFile(join(cls, c as string, 'subsysnqn'), `${nqn}\n`)
      }
      const run = scripted([
        {cmd: 'nvme', args: listArgs(), ...answer(await recorded('list'))},
        {cmd: 'nvme', args: disconnectArgs('LS-NVMe_rec1'), ...answer(await recorded('disconnect'))},
      ])
      const {nvme, errors} = layer(run, {nvmetRoot: root, nvmeClass: cls, keep: /^kept$/})
      // rec1 stays a target here; as an initiator it is no longer wanted.
      await nvme.down([{...initiator(), role: 'target'}, {...initiator(), present: false}])
      assert.deepEqual(errors, [])
      assert.deepEqual((await readNvmetTree(root)).subsystems.map((x) => x.nqn).sort(), ['LS-NVMe_kept', 'LS-NVMe_rec1', 'nqn.2014-08.org.example:foreign'])
    })
  })

  test('nothing to take down runs no command', async () => {
    const {nvme, errors} = layer(scripted([]))
    await nvme.down([initiator(), {...initiator(), rsc: 'gone', present: false}])
    assert.deepEqual(errors, [])
  })
})

describe('capability', () => {
  test('what each role needs, in words', () => {
    const none = {nvmeCli: false, nvmet: false, configfs: false}
    assert.deepEqual(initiatorProblems(none), ["'nvme' not found (an NVMe-oF initiator needs nvme-cli; install nvme-cli)"])
    assert.equal(targetProblems(none).length, 2)
    assert.deepEqual(targetProblems({nvmeCli: false, nvmet: true, configfs: true}), [])
    assert.deepEqual(nvmeUnsupported({target: ['x'], initiator: ['y']}), ['NVMe-oF target: x', 'NVMe-oF initiator: y'])
  })

  test('on this machine (no nvmet, no nvme-cli) the layer is unsupported with its reasons, and a wanted resource fails with them', async () => {
    const quiet: Logger = {error() {}, warn() {}, info() {}, debug() {}, child: () => quiet}
    const capability = await probeNvme(createRun(quiet))
    assert.match(capability.target.join('\n'), /nvmet kernel module is not available/)
    assert.match(capability.initiator.join('\n'), /'nvme' not found/)
    const {nvme, errors} = layer(scripted([]), {capability})
    const r = report()
    await nvme.up([initiator()], 'n', r)
    assert.equal(r.nvme?.[0]?.state, 'Failed')
    assert.match(r.nvme?.[0]?.error ?? '', /^NVMe-oF initiator LS-NVMe_rec1 cannot run on this node: 'nvme' not found/)
    assert.equal(errors.length, 1)
    await nvme.down([])
  })
})
