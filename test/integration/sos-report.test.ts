// `cairn sos-report` on a loopback cluster of a controller and two satellites (plus a node that
// never answers): the archive is downloaded through the CLI, unpacked with the real tar, and
// must hold every node's directory and the controller's, and none of the cluster's secrets.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {api, cleanup, cli, tempDir} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster} from '../support/loopback-cluster.ts'

const DRBD_SECRET = 'SosDrbdSecret42x'

/** Every file under `dir`, as paths relative to it. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((n) => {
    const rel = prefix ? `${prefix}/${n}` : n
    return statSync(join(dir, rel)).isDirectory() ? walk(dir, rel) : [rel]
  })
}

describe('sos-report (loopback cluster, 2 satellites)', () => {
  let c: LoopbackCluster
  const dirs: string[] = []
  let secrets: string[]

  const download = async (...args: string[]): Promise<{dir: string, files: string[]}> => {
    const dir = await tempDir('cairn-sos-')
    dirs.push(dir)
    const r = await cli(['sos-report', 'download', '--controllers', c.base, '--path', dir, ...args])
    assert.equal(r.code, 0, r.stderr + r.stdout)
    const m = /SOS report saved as (\S+)/.exec(r.stdout)
    assert.ok(m, r.stdout)
    const archive = m[1] as string
    assert.match(archive, /sos_\d{8}_\d{6}\.tar\.gz$/)
    execFileSync('tar', ['-xzf', archive, '-C', dir])
    const roots = readdirSync(dir).filter((n) => !n.endsWith('.tar.gz'))
    assert.equal(roots.length, 1, `one report directory: ${roots.join(', ')}`)
    return {dir: join(dir, roots[0] as string), files: walk(join(dir, roots[0] as string))}
  }

  before(async () => {
    c = await startLoopbackCluster({satellites: 2})
    // The controller runs on the configured secret; it would otherwise be in its data dir.
    const file = join(c.ctrlDir, 'cluster-secret')
    secrets = [c.env.CAIRN_CLUSTER_SECRET as string, ...(existsSync(file) ? [readFileSync(file, 'utf8').trim()] : []), DRBD_SECRET]
    const rd = await api(c.base, 'POST', '/v1/resource-definitions', {resource_definition: {name: 'sosrd'}, drbd_secret: DRBD_SECRET})
    assert.equal(rd.status, 201, rd.text)
    const data = await api(c.base, 'POST', '/v1/resource-definitions', {resource_definition: {name: 'sosdata', layer_data: [{type: 'STORAGE'}]}})
    assert.equal(data.status, 201, data.text)
    const rsc = await api(c.base, 'POST', '/v1/resource-definitions/sosdata/resources', [{resource: {node_name: 'node2', props: {StorPoolName: 'thin'}}}])
    assert.equal(rsc.status, 201, rsc.text)
    const ghost = await api(c.base, 'POST', '/v1/nodes', {name: 'ghost', type: 'SATELLITE', net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: 1}]})
    assert.equal(ghost.status, 201, ghost.text)
  })

  after(async () => {
    await c?.stop()
    for (const d of dirs) await cleanup(d)
  })

  test('download: every node and the controller, the expected files, and no secret anywhere', async () => {
    const {dir, files} = await download('--since', '1h')
    const parts = [...new Set(files.map((f) => f.split('/')[0]))].sort()
    assert.deepEqual(parts, ['_controller', 'ghost', 'node1', 'node2'])
    for (const node of ['node1', 'node2']) {
      for (const f of ['uname.txt', 'lsblk.json', 'losetup.json', 'cairn-version.txt', 'settings.json', 'drbdadm-version.txt', 'journal-cairn.txt']) {
        assert.ok(files.includes(`${node}/${f}`), `${node}/${f} in ${files.join(', ')}`)
      }
      assert.match(readFileSync(join(dir, node, 'uname.txt'), 'utf8'), /Linux/)
      assert.match(readFileSync(join(dir, node, 'cairn-version.txt'), 'utf8'), /\(satellite\)/)
      assert.equal((JSON.parse(readFileSync(join(dir, node, 'settings.json'), 'utf8')) as Record<string, unknown>)['node-name'] !== undefined, true)
    }
    assert.deepEqual(files.filter((f) => f.startsWith('ghost/')), ['ghost/sos-note.txt'])
    assert.match(readFileSync(join(dir, 'ghost/sos-note.txt'), 'utf8'), /node 'ghost' is missing: the node is OFFLINE/)
    for (const f of ['state.json', 'settings.json', 'node-links.json', 'cairn-version.txt', 'uname.txt']) assert.ok(files.includes(`_controller/${f}`), f)
    const state = JSON.parse(readFileSync(join(dir, '_controller/state.json'), 'utf8')) as {tables: {rscDfns: Record<string, {drbd?: {secret: string}}>}}
    assert.equal(state.tables.rscDfns.SOSRD?.drbd?.secret, '<redacted>')

    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8')
      for (const s of secrets) assert.ok(!text.includes(s), `a secret in ${f}`)
    }
  })

  test('download --resources --no-controller: only the nodes of the resource', async () => {
    const {files} = await download('--resources', 'sosdata', '--no-controller')
    assert.deepEqual([...new Set(files.map((f) => f.split('/')[0]))], ['node2'])
  })

  test('create: the archive is written into the controller\'s sos directory; an unknown node is refused', async () => {
    const r = await cli(['sos', 'create', '--controllers', c.base, '--nodes', 'node1'])
    assert.equal(r.code, 0, r.stderr + r.stdout)
    const path = /SOS Report created on Controller: (\S+)/.exec(r.stdout)?.[1] ?? ''
    assert.ok(path.startsWith(join(c.ctrlDir, 'sos', 'sos_')), r.stdout)
    const listing = execFileSync('tar', ['-tzf', path], {encoding: 'utf8'})
    assert.match(listing, /^sos_\d{8}_\d{6}\/node1\/uname\.txt$/m)
    assert.doesNotMatch(listing, /\/node2\//)

    const bad = await cli(['sos-report', 'create', '--controllers', c.base, '--nodes', 'nosuch'])
    assert.equal(bad.code, 10, bad.stdout + bad.stderr)
    assert.match(bad.stderr, /Node 'NOSUCH' not found/i)
  })
})
