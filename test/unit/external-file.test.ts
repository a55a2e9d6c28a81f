// External files: the controller's registry and attachments (pure), and the satellite's writer
// against a real temporary directory standing in for the host's root.
import assert from 'node:assert/strict'
import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'
import {Rc} from '../../src/common/api-call-rc.ts'
import {completeExtFileDeletions, deleteExtFile, desiredExtFilesFor, extFileKey, extFileList, putExtFile, setExtFileDeployed}
  from '../../src/controller/model/external-file.ts'
import {createNode} from '../../src/controller/model/node.ts'
import {createRscDfn} from '../../src/controller/model/resource-definition.ts'
import type {RscRec} from '../../src/controller/model/resource.ts'
import {defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {emptyState, key2, type ClusterState} from '../../src/controller/model/state.ts'
import {nodeVersion} from '../../src/controller/model/state-index.ts'
import type {SatelliteReport} from '../../src/protocol/messages.ts'
import {extFileAllowed, extFilePathProblem} from '../../src/protocol/ext-file-path.ts'
import {applyExtFiles} from '../../src/satellite/ext-files.ts'
import {apply, counterIds, failsWith, NOW} from '../support/model.ts'

const PATH = '/etc/drbd-reactor.d/linstor-gateway-iscsi-tgt1.toml'
const b64 = (s: string): string => Buffer.from(s).toString('base64')

/** Nodes n1–n3; `r1` on n1 and n2 (n2's being deleted when `deleting`). */
function cluster(deleting = false): ClusterState {
  const s = emptyState()
  const ids = counterIds()
  apply(s, defaultGroupChanges(s, ids))
  for (const n of ['n1', 'n2', 'n3']) apply(s, createNode(s, {name: n, type: 'SATELLITE', net_interfaces: [{name: 'default', address: '10.0.0.1'}]}, ids).changes)
  apply(s, createRscDfn(s, {resource_definition: {name: 'r1'}}, ids).changes)
  for (const n of ['n1', 'n2']) {
    const flags = deleting && n === 'n2' ? ['DELETE'] : []
    const r: RscRec = {rscDfn: 'r1', node: n, props: {}, flags, layerStack: ['DRBD', 'STORAGE'], pools: {}, uuid: `rsc-${n}`, createTs: NOW}
    apply(s, [{t: 'rscs', k: key2('r1', n), v: r}])
  }
  return s
}

describe('external files on the controller', () => {
  test('paths: absolute and normalised; the allow-list matches whole directory names', () => {
    assert.equal(extFilePathProblem(PATH), undefined)
    for (const bad of ['etc/x', '/etc//x', '/etc/../shadow', '/etc/x/', '/etc/./x', '/etc/x y', `/${'a'.repeat(240)}`]) {
      assert.ok(extFilePathProblem(bad), bad)
    }
    assert.ok(extFileAllowed(['/etc/drbd-reactor.d'], PATH))
    assert.ok(extFileAllowed(['/etc/drbd-reactor.d/'], PATH))
    assert.ok(!extFileAllowed(['/etc/drbd-reactor'], PATH), 'a directory name prefix is not a parent')
    assert.ok(!extFileAllowed([], PATH))
  })

  test('register, modify, list with and without content; keys keep case apart', () => {
    const s = cluster()
    const first = putExtFile(s, PATH, {path: PATH, content: b64('a = 1\n')})
    assert.equal(first.created, true)
    apply(s, first.changes)
    apply(s, putExtFile(s, '/etc/drbd-reactor.d/X.toml', {content: b64('x')}).changes)
    assert.notEqual(extFileKey('/etc/drbd-reactor.d/X.toml'), extFileKey('/etc/drbd-reactor.d/x.toml'))
    const again = putExtFile(s, PATH, {content: b64('a = 2\n'), alt_suffixes: ['disabled']})
    assert.equal(again.created, false)
    apply(s, again.changes)
    assert.deepEqual(extFileList(s, false), [{path: '/etc/drbd-reactor.d/X.toml'}, {path: PATH, alt_suffixes: ['disabled']}])
    assert.equal(extFileList(s, true)[1]?.content, b64('a = 2\n'))
  })

  test('bad input is refused and changes nothing', () => {
    const s = cluster()
    failsWith(() => putExtFile(s, 'relative/x', {content: ''}), Rc.FAIL_INVLD_REQUEST, /must be absolute/)
    failsWith(() => putExtFile(s, PATH, {path: '/etc/other', content: ''}), Rc.FAIL_INVLD_REQUEST, /differs from the path in the URL/)
    failsWith(() => putExtFile(s, PATH, {content: 'not base64!'}), Rc.FAIL_INVLD_REQUEST, /not valid base64/)
    failsWith(() => putExtFile(s, PATH, {content: '', alt_suffixes: ['../x']}), Rc.FAIL_INVLD_REQUEST, /alternative suffix/)
    failsWith(() => putExtFile(s, PATH, {content: 5}), Rc.FAIL_INVLD_REQUEST)
    failsWith(() => setExtFileDeployed(s, 'r1', PATH, true), Rc.FAIL_NOT_FOUND_EXT_FILE)
    failsWith(() => setExtFileDeployed(s, 'nope', PATH, true), Rc.FAIL_NOT_FOUND_RSC_DFN)
    assert.deepEqual(s.extFiles, {})
  })

  test('deployed with a definition: present where it has resources, absent elsewhere, gone with the resource', () => {
    const s = cluster(true)
    apply(s, putExtFile(s, PATH, {content: b64('cfg')}).changes)
    assert.deepEqual(desiredExtFilesFor(s, 'n1'), [{path: PATH, present: false}])
    const before = nodeVersion(s, 'n1')
    apply(s, setExtFileDeployed(s, 'r1', PATH, true) ?? [])
    assert.notEqual(nodeVersion(s, 'n1'), before, 'the node hears of the attachment')
    assert.equal(s.rscDfns.R1?.props[`files${PATH}`], 'True')
    assert.equal(setExtFileDeployed(s, 'R1', PATH, true), undefined, 'deploying twice changes nothing')
    assert.deepEqual(desiredExtFilesFor(s, 'n1'), [{path: PATH, present: true, content: b64('cfg')}])
    assert.deepEqual(desiredExtFilesFor(s, 'n2'), [{path: PATH, present: false}], 'a resource being deleted drops it')
    assert.deepEqual(desiredExtFilesFor(s, 'n3'), [{path: PATH, present: false}])
    apply(s, setExtFileDeployed(s, 'r1', PATH, false) ?? [])
    assert.equal(s.rscDfns.R1?.props[`files${PATH}`], undefined)
    assert.deepEqual(desiredExtFilesFor(s, 'n1'), [{path: PATH, present: false}])
  })

  test('delete detaches everywhere and waits until no report shows the file', () => {
    const s = cluster()
    apply(s, putExtFile(s, PATH, {content: b64('cfg')}).changes)
    apply(s, setExtFileDeployed(s, 'r1', PATH, true) ?? [])
    apply(s, deleteExtFile(s, PATH))
    assert.equal(s.rscDfns.R1?.props[`files${PATH}`], undefined)
    assert.deepEqual(extFileList(s, false), [])
    failsWith(() => deleteExtFile(s, PATH), Rc.FAIL_NOT_FOUND_EXT_FILE)
    assert.deepEqual(desiredExtFilesFor(s, 'n1'), [{path: PATH, present: false}])
    const report = (state: 'Present' | 'Absent'): SatelliteReport => ({files: [{path: PATH, state}]}) as SatelliteReport
    assert.deepEqual(completeExtFileDeletions(s, (n) => (n === 'n1' ? report('Present') : undefined)), [])
    assert.deepEqual(completeExtFileDeletions(s, (n) => (n === 'n1' ? report('Absent') : undefined)), [{t: 'extFiles', k: extFileKey(PATH)}])
    // Registering it again revives it.
    const back = putExtFile(s, PATH, {content: b64('new')})
    assert.equal(back.created, true)
  })
})

describe('external files on the satellite (a temporary root)', () => {
  const dirs: string[] = []
  after(async () => { for (const d of dirs) await rm(d, {recursive: true, force: true}) })
  const root = async (): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), 'cairn-extfiles-'))
    dirs.push(d)
    return d
  }
  const errors: string[] = []
  const record = (_m: string, message: string): number => errors.push(message) - 1

  test('writes below allowed directories only, atomically, and removes absent files', async () => {
    const r = await root()
    const cfg = {allowed: ['/etc/drbd-reactor.d'], root: r}
    const reports = await applyExtFiles([
      {path: PATH, present: true, content: b64('[[promoter]]\n')},
      {path: '/etc/shadow', present: true, content: b64('root::0:0')},
      {path: '/etc/drbd-reactor.d/old.toml', present: false},
    ], cfg, record)
    assert.equal(await readFile(join(r, PATH), 'utf8'), '[[promoter]]\n')
    assert.equal((await stat(join(r, PATH))).mode & 0o777, 0o644)
    assert.deepEqual(reports.map((x) => [x.path, x.state]), [[PATH, 'Present'], ['/etc/shadow', 'Failed'], ['/etc/drbd-reactor.d/old.toml', 'Absent']])
    assert.match(reports[1]?.error ?? '', /does not have a whitelisted parent/)
    await assert.rejects(stat(join(r, 'etc/shadow')))
    assert.deepEqual(await readdir(join(r, 'etc/drbd-reactor.d')), ['linstor-gateway-iscsi-tgt1.toml'], 'no temporary file left')
    const gone = await applyExtFiles([{path: PATH, present: false}], cfg, record)
    assert.deepEqual(gone, [{path: PATH, state: 'Absent'}])
    await assert.rejects(stat(join(r, PATH)))
  })

  test('content that drifted is rewritten; an unchanged file is left alone', async () => {
    const r = await root()
    const cfg = {allowed: ['/etc/drbd-reactor.d'], root: r}
    await applyExtFiles([{path: PATH, present: true, content: b64('v1')}], cfg, record)
    const first = (await stat(join(r, PATH))).mtimeMs
    await new Promise((ok) => setTimeout(ok, 20))
    await applyExtFiles([{path: PATH, present: true, content: b64('v1')}], cfg, record)
    assert.equal((await stat(join(r, PATH))).mtimeMs, first)
    await writeFile(join(r, PATH), 'edited by hand')
    await applyExtFiles([{path: PATH, present: true, content: b64('v1')}], cfg, record)
    assert.equal(await readFile(join(r, PATH), 'utf8'), 'v1')
  })

  test('a file disabled under an alternative suffix is updated there, and removed with it', async () => {
    const r = await root()
    const cfg = {allowed: ['/etc/drbd-reactor.d'], root: r}
    await mkdir(join(r, 'etc/drbd-reactor.d'), {recursive: true})
    await writeFile(join(r, `${PATH}.disabled`), 'old')
    const [rep] = await applyExtFiles([{path: PATH, present: true, content: b64('new'), altSuffixes: ['disabled']}], cfg, record)
    assert.equal(rep?.actualPath, `${PATH}.disabled`)
    assert.equal(await readFile(join(r, `${PATH}.disabled`), 'utf8'), 'new')
    await assert.rejects(stat(join(r, PATH)))
    await applyExtFiles([{path: PATH, present: false, altSuffixes: ['disabled']}], cfg, record)
    assert.deepEqual(await readdir(join(r, 'etc/drbd-reactor.d')), [])
  })
})
