// The linstor command tree through the binary, against one live `cairn combined`: nodes and
// their interfaces, storage pools, resource and volume groups, resource and volume definitions,
// resources and volumes. Each group is driven with linstor's spellings and checked in its table
// output, its -m JSON and its exit codes, including the error paths; `help` takes the same spellings.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {parse} from '../../src/common/json.ts'
import {cli, freePort, waitFor} from '../support/cluster.ts'
import {useCombinedCli} from '../support/cli-session.ts'

describe('cli: nodes, pools, groups, definitions, resources', () => {
  const node = 'cli-node'
  const session = useCombinedCli(node)
  const {ok, json, run, row} = session

  test('node: create, list, modify, properties, interfaces, describe, info, delete', async () => {
    const port = await freePort()
    let out = await ok('n', 'c', 'n2', '127.0.0.1', '-p', String(port))
    assert.match(out, /SUCCESS:[\s\S]*New node 'n2' registered/)
    out = await ok('n', 'l')
    assert.deepEqual(row(out, 'n2')?.slice(0, 3), ['n2', 'SATELLITE', `127.0.0.1:${port} (PLAIN)`])
    assert.match(row(out, 'n2')?.[3] ?? '', /^OFFLINE/)
    assert.deepEqual(row(out, node)?.[3], 'Online')
    const nodes = await json<{name: string, type: string}[]>('n', 'l', '-n', 'n2')
    assert.deepEqual(nodes.map((n) => [n.name, n.type]), [['n2', 'SATELLITE']])

    await ok('n', 'm', 'n2', '-t', 'combined')
    assert.equal((await json<{type: string}[]>('node', 'list', '--nodes', 'n2'))[0]?.type, 'COMBINED')

    await ok('n', 'sp', 'n2', '--aux', 'site', 'a')
    await ok('node', 'set-property', 'n2', 'Other', 'x')
    out = await ok('n', 'lp', 'n2')
    assert.deepEqual(row(out, 'Aux/site'), ['Aux/site', 'a'])
    assert.deepEqual(await json('n', 'lp', 'n2'), [[{key: 'Aux/site', value: 'a'}, {key: 'Other', value: 'x'}]])
    assert.match(await ok('n', 'l', '--show-aux-props'), /Aux\/site=a/)
    assert.deepEqual(row(await ok('n', 'l', '-s', 'Aux/site=Site'), 'n2')?.slice(-1), ['a'])
    assert.deepEqual((await json<{name: string}[]>('n', 'l', '--props', 'Aux/site=a')).map((n) => n.name), ['n2'])
    await ok('n', 'sp', 'n2', 'Other')
    assert.equal(row(await ok('n', 'lp', 'n2'), 'Other'), undefined)

    await ok('n', 'i', 'c', 'n2', 'eth1', '127.0.0.2')
    await ok('node', 'interface', 'modify', 'n2', 'eth1', '--ip', '127.0.0.3')
    out = await ok('n', 'i', 'l', 'n2')
    assert.deepEqual(row(out, '+ StltCon')?.slice(1, 4), ['default', '127.0.0.1', String(port)])
    assert.deepEqual(row(out, '+')?.slice(1, 3), ['eth1', '127.0.0.3'])
    await ok('n', 'i', 'd', 'n2', 'eth1')
    assert.deepEqual((await json<{name: string}[]>('n', 'i', 'l', 'n2')).map((i) => i.name), ['default'])

    assert.match(await ok('n', 'rc', 'n2'), /SUCCESS|WARNING/)
    assert.match(await ok('n', 'dsc', node), /^cli-node \(node\)\n[\s\S]*DfltStorPool \(storage pool\)/)
    out = await ok('n', 'info')
    assert.equal(row(out, node)?.[5], '+', 'File/Thin is supported')

    await ok('n', 'd', 'n2')
    assert.deepEqual((await json<{name: string}[]>('n', 'l')).map((n) => n.name), [node])
  })

  test('node errors: an unknown node is exit 10 with the controller\'s message, a bad flag value exit 2', async () => {
    let r = await run('n', 'lp', 'nope')
    assert.equal(r.code, 10)
    assert.match(r.stderr, /ERROR:[\s\S]*Node 'nope' not found/)
    r = await run('n', 'sp', 'nope', 'k', 'v')
    assert.equal(r.code, 10)
    assert.match(r.stderr, /Node 'nope' not found/)
    r = await run('n', 'sp', 'nope', 'k', 'v', '-m')
    assert.equal(r.code, 10)
    assert.match((parse(r.stdout) as {message: string}[][])[0]?.[0]?.message ?? '', /Node 'nope' not found/)
    r = await run('n', 'c', 'bad', '127.0.0.1', '--node-type', 'robot')
    assert.equal(r.code, 2)
    r = await run('n', 'lo', 'nope')
    assert.equal(r.code, 10)
  })

  test('storage pools: create per kind with the StorDriver properties, list, properties, delete', async () => {
    const dir = join(session.c.dir, 'pool1')
    assert.match(await ok('sp', 'c', 'filethin', node, 'pool1', dir), /Storage pool 'pool1' on node 'cli-node' registered/)
    let out = await ok('sp', 'l', '-s', 'pool1')
    const cells = row(out, 'pool1')
    assert.deepEqual(cells?.slice(0, 4), ['pool1', node, 'FILE_THIN', dir])
    assert.match(cells?.[4] ?? '', /^\d+(\.\d\d)? [KMGT]iB$/)
    assert.equal(cells?.[6], 'True')
    assert.deepEqual(row(await ok('sp', 'l', '-s', 'pool1', '--bytes'), 'pool1')?.[4]?.match(/^\d+$/)?.length, 1)

    await ok('sp', 'c', 'lvmthin', node, 'thinpool', 'vg0/lv0')
    assert.deepEqual(await json('sp', 'lp', node, 'thinpool'),
      [[{key: 'StorDriver/LvmVg', value: 'vg0'}, {key: 'StorDriver/ThinPool', value: 'lv0'}]])
    await ok('sp', 'c', 'zfs', node, 'zpool1', 'tank')
    assert.deepEqual(await json('sp', 'lp', node, 'zpool1'), [[{key: 'StorDriver/ZPool', value: 'tank'}]])
    let r = await run('sp', 'c', 'lvmthin', node, 'badthin', 'vg0')
    assert.equal(r.code, 2)
    assert.match(r.stderr, /does not have format VG\/LV/)

    await ok('sp', 'sp', node, 'pool1', '--aux', 'tier', 'fast')
    assert.deepEqual(row(await ok('sp', 'lp', node, 'pool1'), 'Aux/tier'), ['Aux/tier', 'fast'])
    out = await ok('sp', 'l', '-p')
    assert.ok(!out.includes('┊') && out.includes('| pool1'), 'pastable output is plain ASCII')

    out = await ok('sp', 'd', node, 'thinpool')
    assert.match(out, /Storage pool 'thinpool' on node 'cli-node' deleted/)
    await ok('storage-pool', 'delete', node, 'zpool1')
    r = await run('sp', 'lp', node, 'thinpool')
    assert.equal(r.code, 10)
    assert.match(r.stderr, /Storage pool 'thinpool' on node 'cli-node' not found/)
  })

  test('storage pool definitions: create, list, properties, query-max-volume-size, delete only while no node has the pool', async () => {
    assert.match(await ok('spd', 'c', 'fastpool'), /SUCCESS:[\s\S]*New storage pool definition 'fastpool' created/)
    await ok('spd', 'sp', 'fastpool', 'Aux/tier', 'ssd')
    assert.deepEqual(row(await ok('spd', 'l', '-s', 'Aux/tier=Tier'), 'fastpool'), ['fastpool', 'ssd'])
    assert.deepEqual(row(await ok('storage-pool-definition', 'lp', 'fastpool'), 'Aux/tier'), ['Aux/tier', 'ssd'])
    assert.ok((await json<{storage_pool_name: string}[]>('spd', 'l')).some((d) => d.storage_pool_name === 'fastpool'))
    await ok('sp', 'c', 'filethin', node, 'fastpool', join(session.c.dir, 'fastpool'))
    const r = await run('spd', 'd', 'fastpool')
    assert.equal(r.code, 10, r.stdout + r.stderr)
    // The largest volume per pool, under flags (spd) or a group's rules (rg).
    // Once the satellite has reported the new pool's space; this node has no DRBD, so the storage layer alone.
    const cells = await waitFor('fastpool placeable', async () => row(await ok('spd', 'qmvs', '--place-count', '1', '-l', 'storage'), 'fastpool'))
    assert.deepEqual([cells?.[0], cells?.[2], cells?.[3]], ['fastpool', 'Thin', node])
    assert.match(cells?.[1] ?? '', /^\d+(\.\d\d)? [KMGT]iB$/)
    await ok('rg', 'c', 'qgrp', '--place-count', '1', '--storage-pool', 'fastpool', '-l', 'storage')
    const sizes = await json<{candidates: {storage_pool: string, node_names: string[]}[]}>('rg', 'qmvs', 'qgrp')
    assert.deepEqual(sizes.candidates.map((c) => [c.storage_pool, c.node_names]), [['fastpool', [node]]])
    assert.deepEqual((await json<{candidates?: unknown[]}>('spd', 'qmvs', '--place-count', '2', '-l', 'storage')).candidates ?? [], [], 'one node cannot hold two replicas')
    await ok('rg', 'd', 'qgrp')
    await ok('sp', 'd', node, 'fastpool')
    await ok('spd', 'd', 'fastpool')
    assert.equal(row(await ok('spd', 'l'), 'fastpool'), undefined)
  })

  test('resource and volume groups: create, list, modify, properties, query-size-info, spawn', async () => {
    await ok('rg', 'c', 'grp', '--place-count', '1', '-l', 'storage', '--storage-pool', 'pool1', '--replicas-on-different', 'site',
      '-d', 'cli group')
    let out = await ok('rg', 'l', '-r', 'grp')
    assert.deepEqual(row(out, 'grp'), ['grp', 'PlaceCount: 1', '', 'cli group'])
    assert.match(out, /StoragePool\(s\): pool1/)
    assert.match(out, /ReplicasOnDifferent: \['Aux\/site'\]/)
    assert.match(out, /LayerStack: \['STORAGE'\]/)
    await ok('rg', 'm', 'grp', '--description', 'changed', '--diskless-on-remaining', 'false')
    const [g] = await json<{description: string, select_filter: {diskless_on_remaining?: boolean, place_count?: number}}[]>('rg', 'l', '-r', 'grp')
    assert.equal(g?.description, 'changed')
    assert.equal(g?.select_filter.diskless_on_remaining, false)

    await ok('vg', 'c', 'grp')
    assert.deepEqual(row(await ok('vg', 'l', 'grp'), '0'), ['0', ''])
    await ok('vg', 'sp', 'grp', '0', 'Foo', 'bar')
    assert.deepEqual(await json('vg', 'lp', 'grp', '0'), [[{key: 'Foo', value: 'bar'}]])
    assert.equal(row(await ok('rg', 'l'), 'grp')?.[2], '0', 'VlmNrs column')

    await ok('rg', 'sp', 'grp', 'Aux/owner', 'me')
    assert.deepEqual(row(await ok('rg', 'lp', 'grp'), 'Aux/owner'), ['Aux/owner', 'me'])

    out = await ok('rg', 'qsi', 'grp')
    assert.match(out, /MaxVolumeSize ┊ AvailableSize ┊ +Capacity ┊ Next Spawn Result/)
    assert.match(out, /pool1 on cli-node/)
    const qsi = await json<{space_info: {max_vlm_size_in_kib: number}}>('rg', 'qsi', 'grp')
    assert.ok(qsi.space_info.max_vlm_size_in_kib > 0)

    out = await ok('rg', 'spawn', 'grp', 'res1', '20M')
    assert.match(out, /Created resource 'res1' on 'cli-node'/)
    const r = await run('rg', 'spawn', 'grp', 'res9', '12 parsecs')
    assert.equal(r.code, 2)
    assert.match(r.stderr, /'12 parsecs' is not a size/)
    await ok('vg', 'd', 'grp', '0')
    assert.deepEqual(await json('vg', 'l', 'grp'), [])
  })

  test('resource and volume definitions: create, sizes, properties, modify, list', async () => {
    await ok('rd', 'c', 'res2', '-l', 'storage', '--resource-group', 'grp')
    assert.match(await ok('vd', 'c', 'res2', '12M'), /New volume definition with number '0' of resource definition 'res2' created/)
    let r = await run('vd', 'c', 'res2', '12parsecs')
    assert.equal(r.code, 2)
    assert.match(r.stderr, /'12parsecs' is not a size/)
    assert.deepEqual(row(await ok('vd', 'l', '-r', 'res2'), 'res2'), ['res2', '0', '', '12 MiB', '', 'ok'])
    await ok('vd', 'size', 'res2', '0', '16M')
    assert.equal(row(await ok('volume-definition', 'list', '-r', 'res2'), 'res2')?.[3], '16 MiB')
    const [rd] = await json<{name: string, volume_definitions: {size_kib: number}[]}[]>('vd', 'l', '-r', 'res2')
    assert.equal(rd?.volume_definitions[0]?.size_kib, 16384)

    await ok('vd', 'sp', 'res2', '0', 'Aux/v', '1')
    assert.deepEqual(await json('vd', 'lp', 'res2', '0'), [[{key: 'Aux/v', value: '1'}]])
    await ok('rd', 'sp', 'res2', '--aux', 'app', 'db')
    assert.deepEqual(row(await ok('rd', 'lp', 'res2'), 'Aux/app'), ['Aux/app', 'db'])
    assert.deepEqual(row(await ok('rd', 'l', '-r', 'res2'), 'res2'), ['res2', 'grp', 'STORAGE', 'ok'])
    await ok('rd', 'm', 'res2', '--resource-group', 'DfltRscGrp')
    assert.equal(row(await ok('rd', 'l', '-r', 'res2', '-s', 'Aux/app'), 'res2')?.[4], 'db')
    assert.equal((await json<{resource_group_name: string}[]>('rd', 'l', '-r', 'res2'))[0]?.resource_group_name, 'DfltRscGrp')

    r = await run('rd', 'c')
    assert.equal(r.code, 2)
    r = await run('vd', 'lp', 'nope', '0')
    assert.equal(r.code, 10)
  })

  test('resources and volumes: create on a node, list, involved, volumes, properties, make-available, auto-place, delete', async () => {
    assert.match(await ok('r', 'c', node, 'res2', '-s', 'pool1'), /Created resource 'res2' on 'cli-node'/)
    const out = await waitFor('res2 created', async () => {
      const o = await ok('r', 'l', '-r', 'res2')
      return row(o, 'res2')?.[5] === 'Created' ? o : undefined
    })
    assert.deepEqual(row(out, 'res2')?.slice(0, 6), ['res2', node, 'STORAGE', 'Unused', 'Ok', 'Created'])
    assert.match(row(out, 'res2')?.[6] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)

    const vols = await ok('v', 'l', '-r', 'res2')
    const v = row(vols, 'res2')
    assert.deepEqual(v?.slice(0, 4), ['res2', node, 'pool1', '0'])
    assert.match(v?.[5] ?? '', /^\/dev\/loop\d+$/)
    assert.equal(v?.[8], 'Created')
    assert.equal(row(await ok('r', 'lv', '-r', 'res2'), 'res2')?.[5], v?.[5], 'r lv is v l')
    const rs = await json<{name: string, volumes: {device_path: string}[]}[]>('v', 'l', '-r', 'res2')
    assert.equal(rs[0]?.volumes[0]?.device_path, v?.[5])

    assert.deepEqual(await json('r', 'lp', node, 'res2'), [[{key: 'StorPoolName', value: 'pool1'}]])
    assert.equal((parse(await ok('v', 'lp', node, 'res2', '0', '-m')) as unknown[][]).length, 1)
    assert.match(await ok('r', 'mkavail', node, 'res2'), /INFO:[\s\S]*already/)
    assert.match(await ok('rd', 'ap', 'res2', '--place-count', '1'), /INFO:|SUCCESS:/)

    await ok('rd', 'c', 'res3', '-l', 'storage')
    await ok('vd', 'c', 'res3', '8M')
    assert.match(await ok('r', 'c', '--auto-place', '1', 'res3', '-s', 'pool1'), /Created resource 'res3' on 'cli-node'/)
    let r = await run('r', 'c', 'res3')
    assert.equal(r.code, 2, 'a node or --auto-place is needed')
    r = await run('r', 'c', 'nonode', 'res3')
    assert.equal(r.code, 10)
    assert.match(r.stderr, /nonode/)
    r = await run('r', 'td', node, 'res3', '--dflt', '-s', 'pool1')
    assert.equal(r.code, 2, 'toggle-disk: --default-storage-pool excludes --storage-pool')
    assert.deepEqual(row(await ok('r', 'inv', node), 'res3')?.slice(0, 2), ['res3', node], 'resource involved')
    assert.deepEqual(await json('r', 'involved', node, '--min-diskful', '1'), [])

    assert.match(await ok('r', 'd', node, 'res3'), /SUCCESS/)
    assert.match(await ok('rd', 'd', 'res3', 'res2', 'res1'), /'res3'[\s\S]*'res2'[\s\S]*'res1'/)
    await waitFor('definitions gone', async () => ((await json<unknown[]>('rd', 'l')).length === 0 ? true : undefined))
    assert.match(await ok('rg', 'd', 'grp'), /SUCCESS/)
    assert.deepEqual((await json<{name: string}[]>('rg', 'l')).map((g) => g.name), ['DfltRscGrp'])
  })

  test('help takes linstor\'s spellings: `help r l` is `resource list --help`', async () => {
    const pairs = [['help r', 'resource --help'], ['help r l', 'resource list --help'], ['help rg spawn', 'resource-group spawn-resources --help']]
    for (const [short, long] of pairs as [string, string][]) {
      const [a, b] = await Promise.all([cli(short.split(' ')), cli(long.split(' '))])
      assert.equal(a.code, 0, `cairn ${short}: ${a.stderr}`)
      assert.equal(a.stdout, b.stdout, `cairn ${short}`)
    }
  })

  test('connection problems exit 20', async () => {
    const r = await cli(['rd', 'l', '--controllers', `127.0.0.1:${await freePort()}`])
    assert.equal(r.code, 20)
    assert.match(r.stderr, /Unable to connect/)
  })
})
