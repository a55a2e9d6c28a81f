// `cairn controller ha setup` on three loopback satellites: the database resource is placed on
// every node and its mount unit, controller drop-in and promoter config appear on each of them;
// the promoter config is valid for drbd-reactor.
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {parse as parseToml} from 'smol-toml'
import {promoterConfigProblems} from '../../gateway/reactor-options.ts'
import {api, cli} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster} from '../support/loopback-cluster.ts'

describe('controller high availability setup', () => {
  let c: LoopbackCluster
  before(async () => {
    c = await startLoopbackCluster({satelliteArgs: (_i, dir) => ['--allow-ext-files', '/etc/systemd/system,/etc/drbd-reactor.d', '--ext-files-root', join(dir, 'root')]})
  })
  after(async () => c?.stop())

  test('creates the replicated database and puts its files on every node holding it', async () => {
    const ctl = ['--controllers', c.base.replace('http://', '')]
    // This host has no DRBD module: the database uses the storage layer here.
    const r = await cli(['controller', 'ha', 'setup', '--size', '64MiB', '--storage-pool', 'thin', '--layer-list', 'storage', ...ctl])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /drbd-reactor then mounts the database/)
    const placed = ((await api(c.base, 'GET', '/v1/resource-definitions/linstor_db/resources')).body as {node_name: string}[]).map((x) => x.node_name).sort()
    assert.deepEqual(placed, c.sats.map((s) => s.name))
    for (const s of c.sats) {
      const root = join(s.dir, 'root')
      const unit = await readFile(join(root, 'etc/systemd/system/var-lib-cairn-controller.mount'), 'utf8')
      assert.match(unit, /^What=\/dev\/drbd\/by-res\/linstor_db\/0$/m)
      assert.match(unit, /^Where=\/var\/lib\/cairn\/controller$/m)
      assert.match(await readFile(join(root, 'etc/systemd/system/cairn-controller.service.d/cairn-ha.conf'), 'utf8'), /CAIRN_DATA_DIR=\/var\/lib\/cairn\/controller/)
      const promoter = parseToml(await readFile(join(root, 'etc/drbd-reactor.d/cairn-controller.toml'), 'utf8')) as {promoter: unknown[]}
      assert.deepEqual(promoterConfigProblems(promoter.promoter[0]), [])
      assert.deepEqual((promoter.promoter[0] as {resources: {linstor_db: {start: string[]}}}).resources.linstor_db.start,
        ['var-lib-cairn-controller.mount', 'cairn-controller.service'])
    }
    const rd = (await api(c.base, 'GET', '/v1/resource-definitions/linstor_db')).body as {props: Record<string, string>}
    assert.equal(rd.props['files/etc/drbd-reactor.d/cairn-controller.toml'], 'True')
    // A second run is refused (the group exists) and changes nothing.
    const again = await cli(['controller', 'ha', 'setup', ...ctl])
    assert.equal(again.code, 10, again.stdout + again.stderr)
  })
})
