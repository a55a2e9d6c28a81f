// The host-platform commands through the binary, against one live `cairn combined`: Incus pools
// and volumes (`incus pool-apply`, `volume-apply`, `volumes`) and its version probe, Proxmox's
// storage.cfg (`proxmox check`, `sync`, `status`, `add-storage` on a copy of the fixture) and
// Nomad volume specifications. Each change is checked through the REST API, and each command is
// run a second time to see that it then changes nothing.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {chmod, copyFile, readFile, stat, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {describe, test} from 'node:test'
import {promisify} from 'node:util'
import pjson from '../../package.json' with {type: 'json'}
import {parse} from '../../src/common/json.ts'
import {api, cairnCommand, cli} from '../support/cluster.ts'
import {useCombinedCli} from '../support/cli-session.ts'

const exec = promisify(execFile)
const repo = resolve(import.meta.dirname, '../..')
const FIXTURE = join(repo, 'test/fixtures/proxmox/storage.cfg')

interface Group {name: string, description?: string, props?: Record<string, string>, select_filter?: {place_count?: number, storage_pool?: string}}
interface Rd {name: string, props?: Record<string, string>, volume_definitions?: {volume_number: number, size_kib: number}[]}

describe('cli: Incus, Proxmox and Nomad commands', () => {
  const node = 'drivers-node'
  const session = useCombinedCli(node)
  const {ok, run, fails, json} = session
  /** A table's data rows as cells (the header row excluded). */
  const rows = (out: string): string[][] => out.split('\n').filter((l) => l.startsWith('┊'))
    .map((l) => l.split('┊').slice(1, -1).map((x) => x.trim())).slice(1)
  const rest = async <T>(path: string): Promise<{status: number, body: T}> => {
    const r = await api(session.c.base, 'GET', path)
    return {status: r.status, body: r.body as T}
  }
  const group = async (name: string): Promise<Group> => {
    const r = await rest<Group>(`/v1/resource-groups/${name}`)
    assert.equal(r.status, 200, `resource group ${name}`)
    return r.body
  }

  describe('incus pool-apply', () => {
    test('a new pool: the group and properties Incus creates, with its defaults', async () => {
      const planned = await ok('incus', 'pool-apply', 'tank', '--dry-run')
      assert.match(planned, /^POST \/v1\/resource-groups\n\{\n {2}"name": "tank",\n {2}"description": "Resource group managed by Incus",/)
      assert.match(planned, /\nPUT \/v1\/resource-groups\/tank\n[\s\S]*"DrbdOptions\/Disk\/rs-discard-granularity": "1048576"/)
      assert.deepEqual(await json('incus', 'pool-apply', 'tank', '--dry-run'), [
        {method: 'POST', path: '/v1/resource-groups', body: {name: 'tank', description: 'Resource group managed by Incus', select_filter: {place_count: 2}}},
        {method: 'PUT', path: '/v1/resource-groups/tank', body: {override_props: {'DrbdOptions/Disk/rs-discard-granularity': '1048576',
          'DrbdOptions/Resource/on-no-quorum': 'suspend-io', 'DrbdOptions/auto-add-quorum-tiebreaker': 'true'}}},
      ])
      assert.equal((await rest('/v1/resource-groups/tank')).status, 404, 'a dry run changes nothing')

      const out = await ok('incus', 'pool-apply', 'tank', 'linstor.volume.prefix=tank-', 'volume.size=20GiB')
      assert.equal(out, [
        'Kept by Incus, nothing to do in LINSTOR: linstor.volume.prefix, volume.size',
        "Created resource group 'tank' (place count 2)",
        "Resource group 'tank':",
        '  DrbdOptions/Disk/rs-discard-granularity = 1048576',
        '  DrbdOptions/Resource/on-no-quorum = suspend-io',
        '  DrbdOptions/auto-add-quorum-tiebreaker = true',
        '',
      ].join('\n'))
      const g = await group('tank')
      assert.equal(g.description, 'Resource group managed by Incus')
      assert.equal(g.select_filter?.place_count, 2)
      assert.deepEqual(g.props, {'DrbdOptions/Disk/rs-discard-granularity': '1048576', 'DrbdOptions/Resource/on-no-quorum': 'suspend-io',
        'DrbdOptions/auto-add-quorum-tiebreaker': 'true'})
      assert.equal(await ok('incus', 'pool-apply', 'tank'), "Resource group 'tank' already matches; nothing to change.\n")
    })

    test('linstor.resource_group.name and storage_pool pick and place the group', async () => {
      await ok('incus', 'pool-apply', 'pool2', 'linstor.resource_group.name=named-rg', 'linstor.resource_group.storage_pool=DfltStorPool',
        'linstor.resource_group.place_count=1', 'drbd.auto_diskful=90s')
      const g = await group('named-rg')
      assert.deepEqual([g.select_filter?.place_count, g.select_filter?.storage_pool], [1, 'DfltStorPool'])
      assert.equal(g.props?.['DrbdOptions/auto-diskful'], '1', 'LINSTOR reads minutes; 90s truncates as Incus truncates')
      assert.equal((await rest('/v1/resource-groups/pool2')).status, 404)
    })

    test('an update: changed keys only, empty values remove, a second run changes nothing', async () => {
      const out = await ok('incus', 'pool-apply', 'tank', 'linstor.resource_group.place_count=3', 'drbd.on_no_quorum=io-error',
        'drbd.auto_diskful=5m', 'linstor.raw.DrbdOptions/Net/protocol=C')
      assert.equal(out, [
        "Resource group 'tank':",
        '  place count: 2 -> 3',
        '  DrbdOptions/Net/protocol: (unset) -> C',
        '  DrbdOptions/Resource/on-no-quorum: suspend-io -> io-error',
        '  DrbdOptions/auto-diskful: (unset) -> 5',
        '',
      ].join('\n'))
      let g = await group('tank')
      assert.equal(g.select_filter?.place_count, 3)
      assert.deepEqual(g.props, {'DrbdOptions/Disk/rs-discard-granularity': '1048576', 'DrbdOptions/Net/protocol': 'C',
        'DrbdOptions/Resource/on-no-quorum': 'io-error', 'DrbdOptions/auto-add-quorum-tiebreaker': 'true', 'DrbdOptions/auto-diskful': '5'})
      assert.match(await ok('incus', 'pool-apply', 'tank', 'linstor.resource_group.place_count=3', 'drbd.auto_diskful=5m'), /already matches/)

      // An empty value removes the property; rs-discard-granularity goes back to its default instead.
      assert.match(await ok('incus', 'pool-apply', 'tank', 'drbd.auto_diskful=', 'linstor.raw.DrbdOptions/Disk/rs-discard-granularity='),
        /^Resource group 'tank':\n {2}DrbdOptions\/auto-diskful: 5 -> \(removed\)\n$/)
      g = await group('tank')
      assert.equal(g.props?.['DrbdOptions/auto-diskful'], undefined)
      assert.equal(g.props?.['DrbdOptions/Disk/rs-discard-granularity'], '1048576')
    })

    test('bad values: exit 2 with every problem, the group untouched', async () => {
      const before = await group('tank')
      let err = await fails(2, 'incus', 'pool-apply', 'tank', 'drbd.on_no_quorum=freeze', 'linstor.resource_group.place_count=0')
      assert.match(err, /linstor\.resource_group\.place_count: '0' is not a positive whole\s+(› {3})?number/)
      assert.match(err, /drbd\.on_no_quorum: 'freeze' is not one of io-error, suspend-io/)
      err = await fails(2, 'incus', 'pool-apply', 'tank', 'linstor.raw.Aux/Incus/name=x')
      assert.match(err, /Incus metadata cannot be set by hand/)
      assert.match(await fails(2, 'incus', 'pool-apply', 'tank', 'drbd.auto_diskful=30s'), /shorter than one minute/)
      assert.match(await fails(2, 'incus', 'pool-apply', 'tank', 'linstor.resource_group.storage_pool='), /cannot be unset/)
      assert.match(await fails(2, 'incus', 'pool-apply', 'tank', 'size'), /'size' is not KEY=VALUE/)
      assert.match(await fails(2, 'incus', 'pool-apply', 'tank', 'zfs.pool_name=x'), /unknown key 'zfs\.pool_name'/)
      assert.deepEqual(await group('tank'), before)
    })
  })

  describe('incus volumes and volume-apply', () => {
    const data = 'incus-volume-4df9c3e5a1b04c7e9f2d6a8b1c3e5f70'
    const vm = 'incus-volume-7a1c9e2b4d6f48a0b2c4e6f8a0b2c4d6'

    test('the volumes table maps Incus volumes to resource definitions, sizes and nodes', async () => {
      await ok('rg', 'c', 'ipool', '--place-count', '1', '--layer-list', 'storage')
      await ok('vg', 'c', 'ipool')
      await ok('rg', 'spawn', 'ipool', data, '8M')
      for (const [k, v] of [['Aux/Incus/name', 'incus-volume-default_data'], ['Aux/Incus/type', 'custom'],
        ['Aux/Incus/content-type', 'filesystem'], ['DrbdOptions/ExactSize', 'true'],
        ['Aux/Incus/snapshot-name/snap1', 'incus-volume-0b1c2d3e4f5061728394a5b6c7d8e9f0']]) await ok('rd', 'sp', data, k as string, v as string)
      // A VM in project staging: a disk and its filesystem volume, definitions only.
      await ok('rg', 'spawn', 'ipool', vm, '12M', '--definition-only')
      await ok('vd', 'c', vm, '8M')
      for (const [k, v] of [['Aux/Incus/name', 'incus-volume-staging_db01'], ['Aux/Incus/type', 'virtual-machines'],
        ['Aux/Incus/content-type', 'block']]) await ok('rd', 'sp', vm, k as string, v as string)
      await ok('rd', 'c', 'not-incus')

      const out = await ok('incus', 'volumes', 'ipool')
      assert.deepEqual(out.split('\n')[1]?.split('┊').slice(1, -1).map((x) => x.trim()),
        ['Pool', 'Volume', 'Type', 'Content', 'Snapshots', 'ResourceDefinition', 'Size', 'Nodes'])
      assert.deepEqual(rows(out), [
        ['ipool', 'data', 'custom', 'filesystem', 'snap1 → incus-volume-0b1c2d3e4f5061728394a5b6c7d8e9f0', data, '8 MiB', node],
        ['ipool', 'db01 (staging)', 'virtual-machines', 'block', '', vm, '12 MiB, 8 MiB', ''],
      ])
      assert.match(await ok('incus', 'volumes', '--no-utf8', 'ipool'), /snap1 -> incus-volume-0b1c/)
      const all = await ok('incus', 'volumes')
      assert.equal(all.split('\n')[1]?.split('┊')[1]?.trim(), 'ResourceGroup')
      assert.deepEqual(rows(all).map((r) => [r[0], r[1]]), [['ipool', 'data'], ['ipool', 'db01 (staging)']])
      assert.deepEqual(rows(await ok('incus', 'volumes', 'other')), [])
      assert.deepEqual(rows(await ok('incus', 'volumes', 'other', '--resource-group', 'ipool')).map((r) => r[0]), ['other', 'other'])
      // -m leaves out empty lists, as LINSTOR's JSON does.
      const listed = await json<{volume: string, resource: string, sizesKib: number[], nodes?: string[]}[]>('incus', 'volumes', 'ipool')
      assert.deepEqual(listed.map((r) => [r.volume, r.resource, r.sizesKib, r.nodes ?? []]), [['data', data, [8192], [node]], ['db01', vm, [12288, 8192], []]])
    })

    test('volume-apply: the volume found as Incus finds it, properties set, ExactSize dropped, grown once', async () => {
      const planned = await ok('incus', 'volume-apply', 'ipool', 'data', 'size=16MiB', 'drbd.on_no_quorum=io-error', 'block.mount_options=noatime',
        '--dry-run')
      assert.match(planned, /^The filesystem on volume 0 keeps its size until it is grown where the volume is mounted\n/)
      assert.match(planned, /\nKept by Incus, nothing to do in LINSTOR: block\.mount_options\n/)
      assert.match(planned, new RegExp(`PUT /v1/resource-definitions/${data}\\n\\{\\n {2}"delete_props": \\[\\n {4}"DrbdOptions/ExactSize"`))
      assert.match(planned, new RegExp(`PUT /v1/resource-definitions/${data}/volume-definitions/0\\n\\{\\n {2}"size_kib": 16384\\n\\}`))
      let rd = (await rest<Rd>(`/v1/resource-definitions/${data}?with_volume_definitions=true`)).body
      assert.equal(rd.props?.['DrbdOptions/ExactSize'], 'true', 'a dry run changes nothing')

      const out = await ok('incus', 'volume-apply', 'ipool', 'data', 'size=16MiB', 'drbd.on_no_quorum=io-error', 'linstor.raw.DrbdOptions/Net/protocol=A')
      assert.match(out, new RegExp(`Resource definition '${data}':\\n {2}DrbdOptions/Resource/on-no-quorum: \\(unset\\) -> io-error\\n {2}DrbdOptions/Net/protocol: \\(unset\\) -> A\\n`))
      assert.match(out, new RegExp(`Removed DrbdOptions/ExactSize from '${data}' \\(needed to resize\\)\\nVolume 0 of '${data}': 8 MiB -> 16 MiB\\n$`))
      rd = (await rest<Rd>(`/v1/resource-definitions/${data}`)).body
      assert.equal(rd.props?.['DrbdOptions/Resource/on-no-quorum'], 'io-error')
      assert.equal(rd.props?.['DrbdOptions/Net/protocol'], 'A')
      assert.equal(rd.props?.['DrbdOptions/ExactSize'], undefined)
      const vds = (await rest<{volume_number: number, size_kib: number}[]>(`/v1/resource-definitions/${data}/volume-definitions`)).body
      assert.equal(vds[0]?.size_kib, 16384)
      assert.match(await ok('incus', 'volume-apply', 'ipool', 'data', 'size=16MiB', 'drbd.on_no_quorum=io-error'), /already matches; nothing to change/)
      assert.match(await ok('incus', 'volume-apply', 'ipool', 'data', 'linstor.raw.DrbdOptions/Net/protocol='),
        /DrbdOptions\/Net\/protocol: A -> \(removed\)/)

      // A VM in another project: its filesystem volume (volume 1) is size.state.
      assert.match(await ok('incus', 'volume-apply', 'ipool', 'db01', '--type', 'virtual-machines', '--project', 'staging', 'size.state=10MiB'),
        new RegExp(`Volume 1 of '${vm}': 8 MiB -> 10 MiB`))
    })

    test('volume-apply refusals: unknown volume (10), shrinking and keys that do not fit the volume (2)', async () => {
      assert.match(await fails(10, 'incus', 'volume-apply', 'ipool', 'nope', 'size=1GiB'),
        /Incus custom volume 'default_nope'[\s\S]*Aux\/Incus\/name=incus-volume-default_nope[\s\S]*not[\s\S]*found/)
      assert.match(await fails(10, 'incus', 'volume-apply', 'tank', 'data'), /resource group 'tank'/)
      assert.match(await fails(2, 'incus', 'volume-apply', 'ipool', 'data', 'size=4MiB'), /only grow/)
      assert.match(await fails(2, 'incus', 'volume-apply', 'ipool', 'data', 'security.shared=true'), /only applies to custom block volumes/)
      assert.match(await fails(2, 'incus', 'volume-apply', 'ipool', 'data', 'drbd.on_no_quorum=panic'), /'panic' is not one of/)
    })
  })

  test('the version probe Incus runs: a Version: line it can read, also through packaging/incus/Satellite', async () => {
    const r = await cli(['incus', 'satellite-version'])
    assert.equal(r.code, 0, r.stderr)
    const incusReads = (out: string): string | undefined => out.split('\n').find((l) => l.startsWith('Version:'))?.split(/\s+/)[1]
    assert.equal(incusReads(r.stdout), pjson.version)
    assert.match(r.stdout, /^Build time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/m)
    assert.match(r.stdout, /^Git commit: [0-9a-f]{40}$/m)

    const [cmd, args] = cairnCommand([])
    const wrapper = join(session.c.dir, 'cairn-wrapper')
    await writeFile(wrapper, `#!/bin/sh\nexec ${[cmd, ...args].map((a) => `'${a}'`).join(' ')} "$@"\n`)
    await chmod(wrapper, 0o755)
    const probe = join(repo, 'packaging/incus/Satellite')
    const {stdout} = await exec(probe, ['--version'], {env: {...process.env, CAIRN: wrapper}})
    assert.equal(stdout, r.stdout)
    await assert.rejects(exec(probe, ['--logs=/var/log/linstor-satellite'], {env: {...process.env, CAIRN: wrapper}}), {code: 2})
  })

  describe('proxmox', () => {
    let cfg = ''
    const original = (): Promise<string> => readFile(FIXTURE, 'utf8')

    test('check: the fixture is clean; problems come with line numbers and exit 1', async () => {
      cfg = join(session.c.dir, 'storage.cfg')
      await copyFile(FIXTURE, cfg)
      await chmod(cfg, 0o640)
      assert.equal(await ok('proxmox', 'check', '--file', cfg), `${cfg}: no problems (2 drbd storages)\n`)
      const bad = join(session.c.dir, 'bad.cfg')
      await writeFile(bad, 'drbd: d1\n\tresourcegroup rg\n\tfoo bar\n\tstatuscache 0\n\ndrbd: d2\n\tcontent images\n')
      const r = await run('proxmox', 'check', '-f', bad)
      assert.equal(r.code, 1)
      assert.equal(r.stdout, [
        `${bad}:3: unknown key 'foo' in drbd stanza 'd1'`,
        `${bad}:4: warning: statuscache 0 in drbd stanza 'd1' does not disable the cache: the plugin falls back to 60 seconds`,
        `${bad}:6: drbd stanza 'd2' has no resourcegroup (Proxmox skips the whole stanza)`,
        '',
      ].join('\n'))
      assert.match(r.stderr, /2 errors in/)
      await writeFile(bad, 'drbd: d1\n\tresourcegroup rg\n\tstatuscache 0\n')
      assert.equal((await run('proxmox', 'check', '-f', bad)).code, 0, 'warnings alone pass')
      assert.match(await fails(1, 'proxmox', 'check', '-f', join(session.c.dir, 'missing.cfg')), /cannot read .*missing\.cfg: ENOENT/)
    })

    test('sync: the groups the stanzas name, with a volume group; a second run is a no-op', async () => {
      assert.match(await ok('proxmox', 'sync', '-f', cfg, '--dry-run'), /^POST \/v1\/resource-groups\n[\s\S]*POST \/v1\/resource-groups\/ssd\/volume-groups\n\{\}$/m)
      assert.equal((await rest('/v1/resource-groups/defaultpool')).status, 404, 'a dry run changes nothing')

      assert.equal(await ok('proxmox', 'sync', '-f', cfg), [
        "Created resource group 'defaultpool' for drbdstorage (place count 2)",
        "Created volume group 0 of resource group 'defaultpool'",
        "Created resource group 'ssd' for fastdrbd (place count 2)",
        "Created volume group 0 of resource group 'ssd'",
        '',
      ].join('\n'))
      for (const [name, storage] of [['defaultpool', 'drbdstorage'], ['ssd', 'fastdrbd']] as const) {
        const g = await group(name)
        assert.deepEqual([g.description, g.select_filter?.place_count], [`Proxmox storage ${storage} (linstor-proxmox)`, 2])
        assert.equal((await rest<unknown[]>(`/v1/resource-groups/${name}/volume-groups`)).body.length, 1)
      }
      const before = [await group('defaultpool'), await group('ssd')]
      assert.equal(await ok('proxmox', 'sync', '-f', cfg),
        "Resource group 'defaultpool' (drbdstorage): up to date\nResource group 'ssd' (fastdrbd): up to date\n")
      assert.deepEqual([await group('defaultpool'), await group('ssd')], before)

      assert.equal(await ok('proxmox', 'sync', '-f', cfg, '--place-count', '1'),
        "Resource group 'defaultpool':\n  place count: 2 -> 1\nResource group 'ssd':\n  place count: 2 -> 1\n")
      assert.match(await ok('proxmox', 'sync', '-f', cfg, '--place-count', '1'), /^(Resource group '\w+' \(\w+\): up to date\n){2}$/)
      assert.equal(await readFile(cfg, 'utf8'), await original(), 'sync only reads the file')
    })

    test('status: each drbd storage as pvesm status shows it', async () => {
      // DRBD is not loaded here: with the storage layer alone the group has capacity.
      await ok('rg', 'm', 'defaultpool', '--layer-list', 'storage')
      const sizes = (await api(session.c.base, 'POST', '/v1/queries/resource-groups/query-all-size-info', {})).body as
        {result: Record<string, {space_info: {capacity_in_kib: number, available_size_in_kib: number}}>}
      const info = sizes.result['defaultpool']?.space_info
      assert.ok(info && info.capacity_in_kib > 0, JSON.stringify(sizes))
      const used = info.capacity_in_kib - info.available_size_in_kib
      const out = await ok('proxmox', 'status', '-f', cfg)
      const lines = out.trimEnd().split('\n').map((l) => l.trim().split(/\s+/))
      assert.deepEqual(lines, [
        ['Name', 'Type', 'Status', 'Total', 'Used', 'Available', '%'],
        ['drbdstorage', 'drbd', 'active', String(info.capacity_in_kib), String(used), String(info.available_size_in_kib),
          `${(used * 100 / info.capacity_in_kib).toFixed(2)}%`],
        ['fastdrbd', 'drbd', 'disabled', '0', '0', '0', 'N/A'],
      ])
      const listed = await json<{name: string, status: string, resource_group: string}[]>('proxmox', 'status', '-f', cfg)
      assert.deepEqual(listed.map((s) => [s.name, s.resource_group, s.status]), [['drbdstorage', 'defaultpool', 'active'], ['fastdrbd', 'ssd', 'disabled']])
    })

    test('add-storage: one stanza appended, every other byte and the mode kept', async () => {
      const text = await original()
      const stanza = 'drbd: drbd2\n\tresourcegroup fastpool\n\tcontroller 10.0.0.1,10.0.0.2\n'
      assert.equal(await ok('proxmox', 'add-storage', 'drbd2', '--resource-group', 'fastpool', '--controller', '10.0.0.1,10.0.0.2', '-f', cfg,
        '--dry-run'), stanza)
      assert.equal(await readFile(cfg, 'utf8'), text)

      assert.equal(await ok('proxmox', 'add-storage', 'drbd2', '--resource-group', 'fastpool', '--controller', '10.0.0.1,10.0.0.2', '-f', cfg),
        `Added to ${cfg}:\n${stanza}`)
      // The fixture ends its last stanza with an empty line, so the new one gets one too.
      assert.equal(await readFile(cfg, 'utf8'), `${text}${stanza}\n`)
      assert.equal((await stat(cfg)).mode & 0o777, 0o640)
      assert.match(await ok('proxmox', 'check', '-f', cfg), /no problems \(3 drbd storages\)/)

      assert.match(await fails(2, 'proxmox', 'add-storage', 'drbd2', '--resource-group', 'other', '-f', cfg), /storage id 'drbd2' already exists/)
      assert.match(await fails(2, 'proxmox', 'add-storage', 'drbd3', '--resource-group', '1bad', '-f', cfg), /bad resourcegroup '1bad'/)
      assert.equal(await readFile(cfg, 'utf8'), `${text}${stanza}\n`, 'refused edits leave the file alone')

      assert.match(await ok('proxmox', 'sync', '-f', cfg), /Created resource group 'fastpool' for drbd2 \(place count 2\)/)
      assert.deepEqual(rows(await ok('rg', 'l', '-r', 'fastpool')).map((r) => r[0]), ['fastpool'])
    })
  })

  describe('nomad volume-spec', () => {
    test("the group's placement becomes the spec's parameters", async () => {
      await ok('rg', 'c', 'nomadrg', '--place-count', '2', '--storage-pool', 'DfltStorPool', '--layer-list', 'drbd,storage')
      const spec = await ok('nomad', 'volume-spec', 'nomadrg', '--id', 'vol1', '--capacity-min', '1GiB', '--capacity-max', '2GiB', '--fs-type', 'xfs',
        '--mount-flag', 'noatime')
      assert.equal(spec, [
        '# LINSTOR resource definition: vol1',
        'id        = "vol1"',
        'name      = "vol1"',
        'type      = "csi"',
        'plugin_id = "linstor.csi.linbit.com"',
        '',
        'capacity_min = "1GiB"',
        'capacity_max = "2GiB"',
        '',
        'capability {',
        '  access_mode     = "single-node-writer"',
        '  attachment_mode = "file-system"',
        '}',
        '',
        'mount_options {',
        '  fs_type     = "xfs"',
        '  mount_flags = ["noatime"]',
        '}',
        '',
        'parameters {',
        '  "resourceGroup"  = "nomadrg"',
        '  "placementCount" = "2"',
        '  "storagePool"    = "DfltStorPool"',
        '  "layerList"      = "drbd storage"',
        '}',
        '',
      ].join('\n'))
      assert.match(await ok('nomad', 'volume-spec', 'nomadrg', '--id', 'raw', '--attachment-mode', 'block-device', '--plugin-id', 'cairn'),
        /plugin_id = "cairn"[\s\S]*attachment_mode = "block-device"/)
    })

    test('an unknown group is the controller\'s error (exit 10); a spec Nomad would refuse is exit 2', async () => {
      const err = await fails(10, 'nomad', 'volume-spec', 'nope', '--id', 'vol1')
      assert.match(err, /Resource group 'nope' not found/)
      const r = await run('nomad', 'volume-spec', 'nope', '--id', 'vol1', '-m')
      assert.equal(r.code, 10)
      assert.match((parse(r.stdout) as {message: string}[][])[0]?.[0]?.message ?? '', /Resource group 'nope' not found/)
      assert.match(await fails(2, 'nomad', 'volume-spec', 'nomadrg', '--id', 'v', '--attachment-mode', 'block-device', '--fs-type', 'xfs'),
        /fs_type only applies to file-system volumes/)
      assert.match(await fails(2, 'nomad', 'volume-spec', 'nomadrg', '--id', 'v', '--capacity-min', 'lots'), /capacity_min: 'lots' is not a size/)
    })
  })
})
