// `cairn gateway` through the binary against a controller and three satellites on loopback. The
// satellites write external files below their own directory, so the promoter configs can be
// watched appearing and disappearing on exactly the nodes of a target's resource. Nothing can
// promote here (no DRBD, no drbd-reactor), so every command runs with --resource-timeout 0.
// check-health runs for real on this host, which lacks drbd-reactor and friends.
import assert from 'node:assert/strict'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {parse as parseToml} from 'smol-toml'
import {parse} from '../../src/common/json.ts'
import {api, cli, getJson, waitFor, type CliResult} from '../support/cluster.ts'
import {startLoopbackCluster, type LoopbackCluster, type LoopbackSatellite} from '../support/loopback-cluster.ts'

const GROUP = 'gw'
const IQN = 'iqn.2019-08.com.example:tgt1'

interface PromoterFile {promoter: {resources: Record<string, {start: string[]}>}[]}

describe('cli: gateway targets on a loopback cluster', () => {
  let c: LoopbackCluster

  before(async () => {
    c = await startLoopbackCluster({satelliteArgs: (_i, dir) => ['--allow-ext-files', '/etc/drbd-reactor.d', '--ext-files-root', join(dir, 'root')]})
    const r = await api(c.base, 'POST', '/v1/resource-groups', {name: GROUP, select_filter: {place_count: 2, storage_pool: 'thin', layer_stack: ['STORAGE']}})
    assert.equal(r.status, 201, r.text)
  })
  after(async () => {
    await c?.stop()
  })

  const run = (...args: string[]): Promise<CliResult> => cli(['gateway', ...args, '--controllers', c.base])
  const ok = async (...args: string[]): Promise<string> => {
    const r = await run(...args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`)
    return r.stdout
  }
  const fails = async (code: number, ...args: string[]): Promise<string> => {
    const r = await run(...args)
    assert.equal(r.code, code, `${args.join(' ')} should exit ${code}: ${r.stderr}${r.stdout}`)
    // oclif wraps its error lines at 80 columns, continuing with " ›".
    return r.stderr.replace(/\n ›\s+/g, ' ')
  }
  const row = (out: string, first: string): string[][] => out.split('\n')
    .map((l) => l.split('┊').slice(1, -1).map((x) => x.trim())).filter((cells) => cells[0] === first)

  const fileOn = (s: LoopbackSatellite, kind: string, name: string): string =>
    join(s.dir, 'root', 'etc/drbd-reactor.d', `linstor-gateway-${kind}-${name}.toml`)
  const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false)
  /** The nodes that hold the resource, and the nodes that have the promoter file, both sorted. */
  const placement = async (kind: string, name: string): Promise<{nodes: string[], files: string[]}> => {
    const nodes = ((await getJson(`${c.base}/v1/resource-definitions/${name}/resources`)).body as {node_name: string}[])
      .map((r) => r.node_name).sort()
    const files: string[] = []
    for (const s of c.sats) if (await exists(fileOn(s, kind, name))) files.push(s.name)
    return {nodes, files}
  }
  /** Waits until the file is on exactly the resource's nodes (or on none); those nodes. */
  const filesSettle = (kind: string, name: string, present: boolean): Promise<string[]> =>
    waitFor(`${kind} ${name} files ${present ? 'present' : 'gone'}`, async () => {
      const {nodes, files} = await placement(kind, name)
      if (present) return nodes.length === 2 && files.join() === nodes.join() ? nodes : undefined
      return files.length === 0 ? nodes : undefined
    })
  const promoterOn = async (node: string, kind: string, name: string): Promise<{start: string[]}> => {
    const s = c.sats.find((x) => x.name === node) as LoopbackSatellite
    const doc = parseToml(await readFile(fileOn(s, kind, name), 'utf8')) as unknown as PromoterFile
    assert.equal(doc.promoter.length, 1)
    const options = doc.promoter[0]?.resources[name]
    assert.ok(options, `no [promoter.resources.${name}]`)
    return options
  }
  const rdGone = async (name: string): Promise<void> => {
    assert.equal((await getJson(`${c.base}/v1/resource-definitions/${name}`)).status, 404, `resource definition ${name} is left`)
  }

  test('iSCSI: create with CHAP, list, show, stop, add-volume, start, delete-volume, delete', async () => {
    let out = await ok('iscsi', 'create', IQN, '127.0.10.1/24', '64M', '32MiB', '-u', 'chapuser', '-p', 's3cretpass12',
      '-r', GROUP, '--resource-timeout', '0')
    assert.match(out, new RegExp(`Created iSCSI target '${IQN}'`))
    let nodes = await filesSettle('iscsi', 'tgt1', true)
    let start = (await promoterOn(nodes[0] as string, 'iscsi', 'tgt1')).start
    assert.ok(start.some((s) => s.startsWith('ocf:heartbeat:iSCSITarget target ') && s.includes(`iqn=${IQN}`) && s.includes('incoming_username=chapuser')))
    assert.deepEqual(start.filter((s) => s.includes('iSCSILogicalUnit')).map((s) => /lun=(\d+)/.exec(s)?.[1]), ['1', '2'])
    assert.equal(await readFile(fileOn(c.sats.find((s) => s.name === nodes[1]) as LoopbackSatellite, 'iscsi', 'tgt1'), 'utf8'),
      await readFile(fileOn(c.sats.find((s) => s.name === nodes[0]) as LoopbackSatellite, 'iscsi', 'tgt1'), 'utf8'))

    // Creating the same target again answers with it; the IP is not "in use" by itself.
    await ok('iscsi', 'create', IQN, '127.0.10.1/24', '64M', '32MiB', '-u', 'chapuser', '-p', 's3cretpass12', '-r', GROUP, '--resource-timeout', '0')

    out = await ok('iscsi', 'list')
    // Without DRBD no replica is ever UpToDate, which the status rules call Bad.
    const rows = row(out, IQN)
    assert.deepEqual(rows.map((r) => r.slice(1)), [['127.0.10.1/24', 'Stopped', '1', 'Bad'], ['127.0.10.1/24', 'Stopped', '2', 'Bad']])
    assert.match(out, /┊ IQN +┊ Service IP +┊ Service state ┊ LUN ┊ LINSTOR state ┊/)
    const listed = parse(await ok('iscsi', 'list', '-m')) as {iqn: string, volumes: {number: number, size_kib: number}[], username: string, password: string,
      resource_group: string, service_ips: string[], status: {nodes: string[]}}[]
    assert.equal(listed.length, 1)
    assert.equal(listed[0]?.iqn, IQN)
    assert.deepEqual(listed[0]?.volumes.map((v) => [v.number, v.size_kib]), [[0, 65536], [1, 65536], [2, 32768]])
    assert.deepEqual([listed[0]?.username, listed[0]?.password], ['', ''], 'the list blanks CHAP credentials, as REST v2 does')
    assert.equal(listed[0]?.resource_group, GROUP)
    assert.deepEqual(listed[0]?.status.nodes.sort(), nodes)

    out = await ok('iscsi', 'show', IQN)
    assert.match(out, /CHAP: +user chapuser, password set/)
    assert.match(out, new RegExp(`Nodes: +${nodes.join(', ')}`))
    assert.doesNotMatch(out, /s3cretpass12/)

    out = await ok('iscsi', 'stop', IQN, '--resource-timeout', '0')
    assert.match(out, new RegExp(`Stopped iSCSI target '${IQN}'`))
    await filesSettle('iscsi', 'tgt1', false)

    out = await ok('iscsi', 'add-volume', IQN, '16M')
    assert.match(out, /Added volume 3 \(16 MiB\)/)
    out = await ok('iscsi', 'start', IQN, '--resource-timeout', '0')
    assert.match(out, /Started iSCSI target .*no node has taken it over yet/)
    nodes = await filesSettle('iscsi', 'tgt1', true)
    start = (await promoterOn(nodes[0] as string, 'iscsi', 'tgt1')).start
    assert.deepEqual(start.filter((s) => s.includes('iSCSILogicalUnit')).map((s) => /lun=(\d+)/.exec(s)?.[1]), ['1', '2', '3'])

    await ok('iscsi', 'delete-volume', IQN, '2')
    await waitFor('LUN 2 gone from the promoter file', async () =>
      ((await promoterOn(nodes[0] as string, 'iscsi', 'tgt1')).start.some((s) => s.includes(' lu2 ')) ? undefined : true))
    assert.deepEqual((parse(await ok('iscsi', 'show', IQN, '-m')) as {volumes: {number: number}[]}).volumes.map((v) => v.number), [0, 1, 3])

    // Volume 0 and unknown volumes are refused with the service's messages.
    assert.match(await fails(10, 'iscsi', 'delete-volume', IQN, '0'), /cannot delete volume 0/)
    assert.match(await fails(10, 'iscsi', 'delete-volume', IQN, '7'), /volume 7 does not exist/)

    out = await ok('iscsi', 'delete', IQN, '-f', '--resource-timeout', '0')
    assert.match(out, new RegExp(`Deleted iSCSI target '${IQN}'`))
    await filesSettle('iscsi', 'tgt1', false)
    await rdGone('tgt1')
    assert.deepEqual(parse(await ok('iscsi', 'list', '-m')), [])
    assert.equal(((await getJson(`${c.base}/v1/files`)).body as unknown[]).length, 0, 'the external file is unregistered')
  })

  test('NFS: create, list, delete; a service IP in use, add-volume', async () => {
    let out = await ok('nfs', 'create', 'share1', '127.0.10.2/24', '32M', '-r', GROUP, '--resource-timeout', '0')
    assert.match(out, /Created export 'share1' at 127\.0\.10\.2:\/srv\/gateway-exports\/share1/)
    const nodes = await filesSettle('nfs', 'share1', true)
    const start = (await promoterOn(nodes[0] as string, 'nfs', 'share1')).start
    assert.ok(start.some((s) => s.startsWith('ocf:heartbeat:exportfs export_1_0 ') && s.includes('clientspec=0.0.0.0/0.0.0.0')), start.join('\n'))

    out = await ok('nfs', 'list')
    assert.deepEqual(row(out, 'share1').map((r) => r.slice(1)), [['127.0.10.2/24', 'Stopped', '/srv/gateway-exports/share1', 'Bad']])
    const listed = parse(await ok('nfs', 'list', '-m')) as {name: string, allowed_ips: string[], volumes: {export_path: string, file_system: string}[]}[]
    assert.deepEqual(listed.map((x) => [x.name, x.allowed_ips]), [['share1', ['0.0.0.0/0']]])
    assert.deepEqual(listed[0]?.volumes.map((v) => [v.export_path, v.file_system]), [['', 'ext4'], ['/', 'ext4']])

    // Another target may not take the export's service IP.
    let err = await fails(10, 'nvme', 'create', 'linbit:nvme:clash', '127.0.10.2/24', '16M', '-r', GROUP, '--resource-timeout', '0')
    assert.match(err, /IP address 127\.0\.10\.2 already in use by config share1/)
    await rdGone('clash')
    err = await fails(10, 'nfs', 'add-volume', 'share1', '2', '16M')
    assert.match(err, /volumes cannot be added to nfs targets/)
    err = await fails(10, 'nfs', 'delete-volume', 'share1', '1')
    assert.match(err, /cannot delete the last remaining volume/)

    await ok('nfs', 'delete', 'share1', '--force', '--resource-timeout', '0')
    await filesSettle('nfs', 'share1', false)
    await rdGone('share1')
  })

  test('NVMe-oF: two targets get different nvmet port ids; list, delete both at once', async () => {
    await ok('nvme', 'create', 'linbit:nvme:vol1', '127.0.10.3/24', '16M', '-r', GROUP, '--resource-timeout', '0')
    await ok('nvme', 'create', 'linbit:nvme:vol2', '127.0.10.4/24', '16M', '16M', '-r', GROUP, '--resource-timeout', '0')
    const portIds: string[] = []
    for (const name of ['vol1', 'vol2']) {
      const nodes = await filesSettle('nvmeof', name, true)
      const port = (await promoterOn(nodes[0] as string, 'nvmeof', name)).start.find((s) => s.startsWith('ocf:heartbeat:nvmet-port '))
      portIds.push(/port_id=(\d+)/.exec(port ?? '')?.[1] ?? '')
    }
    assert.ok(portIds.every(Boolean), `port ids: ${portIds.join(', ')}`)
    assert.notEqual(portIds[0], portIds[1])

    const out = await ok('nvme', 'list')
    assert.deepEqual(row(out, 'linbit:nvme:vol2').map((r) => r[3]), ['1', '2'])
    assert.equal(row(out, 'linbit:nvme:vol1').length, 1)
    assert.match(await ok('nvme', 'add-volume', 'linbit:nvme:vol1', '2', '8M'), /Added volume 2 \(8 MiB\)/)

    // One unknown target among several: the others are still deleted, the failure reported, exit 10.
    const r = await run('nvme', 'delete', '-f', 'linbit:nvme:vol1', 'linbit:nvme:nope', 'linbit:nvme:vol2', '--resource-timeout', '0')
    assert.equal(r.code, 10, r.stderr)
    assert.match(r.stdout, /Deleted NVMe-oF target 'linbit:nvme:vol1'[\s\S]*Deleted NVMe-oF target 'linbit:nvme:vol2'/)
    assert.match(r.stderr, /no resource found for nqn linbit:nvme:nope/)
    for (const name of ['vol1', 'vol2']) {
      await filesSettle('nvmeof', name, false)
      await rdGone(name)
    }
  })

  test('bad command lines exit 2 with the reason; cluster refusals exit 10; no controller exits 20', async () => {
    assert.match(await fails(2, 'iscsi', 'create', 'iqn.bad', '127.0.11.1/24', '1G', '--resource-timeout', '0'),
      /'iqn\.bad' is not a valid IQN/)
    assert.match(await fails(2, 'iscsi', 'create', 'iqn.2019-08.com.example:x1', '127.0.11.1', '1G'), /invalid CIDR address: 127\.0\.11\.1/)
    assert.match(await fails(2, 'nfs', 'create', 'share9', '127.0.11.1/24', '1G', '--allowed-ips', '10.0.0.0/33'), /invalid CIDR address: 10\.0\.0\.0\/33/)
    assert.match(await fails(2, 'nvme', 'create', 'linbit:nvme:x1', '127.0.11.1/24', '12Q'), /invalid volume size '12Q': unit "Q" is not valid/)
    assert.match(await fails(2, 'iscsi', 'create', 'iqn.2019-08.com.example:x1', '127.0.11.1/24', '1G', '-u', 'user', '-p', 'short'),
      /CHAP password must be 12 to 16 characters long, got 5/)
    assert.match(await fails(2, 'nfs', 'create', 'share9', '127.0.11.1/24', '1G', '1G', '-p', '/a,/b,/c'),
      /specified 2 volumes but 3 export paths/)
    assert.match(await fails(2, 'nvme', 'create', 'linbit:nvme:x1', '127.0.11.1/24', '1G', '--resource-timeout', '5x'), /invalid --resource-timeout: time: unknown unit "x"/)
    assert.match(await fails(2, 'iscsi', 'delete', IQN), /refusing to delete without --force/)
    assert.match(await fails(10, 'iscsi', 'delete', '-f', 'iqn.2019-08.com.example:nope'), /no resource found for iqn iqn\.2019-08\.com\.example:nope/)
    assert.match(await fails(10, 'iscsi', 'start', 'iqn.2019-08.com.example:nope'), /no resource found/)
    assert.match(await fails(10, 'nfs', 'show', 'nope'), /no resource found for name nope/)
    // Names of existing targets are checked by the service, so that one bad name among several does not stop the rest.
    assert.match(await fails(10, 'iscsi', 'stop', 'iqn.bad'), /malformed iqn: 'iqn\.bad' is not a valid IQN/)
    // A group that does not exist fails in LINSTOR; the hint points at check-health.
    const err = await fails(10, 'nvme', 'create', 'linbit:nvme:x2', '127.0.11.2/24', '16M', '-r', 'nogroup', '--resource-timeout', '0')
    assert.match(err, /failed to create nvmeof resource/)
    assert.match(err, /cairn gateway check-health/)
    await rdGone('x2')
    const r = await cli(['gateway', 'iscsi', 'list', '--controllers', '127.0.0.1:1'])
    assert.equal(r.code, 20, r.stderr)
  })

  test('check-health on this host names what is missing and how to fix it', async () => {
    const r = await cli(['gateway', 'check-health'])
    assert.equal(r.code, 1, r.stdout + r.stderr)
    assert.match(r.stderr, /found \d+ issues?/)
    assert.match(r.stdout, /^\[!\] drbd-reactor$/m)
    assert.match(r.stdout, /✗ drbd-reactor in PATH: not found\n +→ Install drbd-reactor/)
    assert.match(r.stdout, /✗ directory \/usr\/lib\/ocf\/resource\.d\/heartbeat: missing\n +→ Install resource-agents/)
    assert.match(r.stdout, /✗ nvmetcli in PATH: not found/)
    const json = await cli(['gateway', 'check-health', '-m', '--iscsi-backends', 'lio-t'])
    assert.equal(json.code, 1)
    const report = parse(json.stdout) as {issues: number, checks: {category: string, name: string, status: string, fix: string}[]}
    assert.equal(report.issues, report.checks.filter((x) => x.status === 'problem').length)
    assert.ok(report.checks.every((x) => x.fix.length > 0))
    assert.ok(!report.checks.some((x) => x.name.includes('scstadmin')), 'only the LIO backend is checked')
    // The running satellites of this test are found and read like the daemon reads its settings.
    const ours = report.checks.find((x) => x.category === 'Cairn satellite' && x.name.includes(`pid ${c.sats[0]?.daemon.proc.pid},`))
    assert.equal(ours?.status, 'ok', JSON.stringify(report.checks.filter((x) => x.category === 'Cairn satellite')))
    assert.match((await cli(['gateway', 'check-health', '--iscsi-backends', 'iet'])).stderr, /unknown iSCSI backend iet/)
  })
})
