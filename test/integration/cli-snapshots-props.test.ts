// The linstor command tree through the binary, against one live `cairn combined`: snapshots and
// their restores, clones, controller properties, the key-value store, node and resource
// connections with their paths, remotes, and the global output switches.
import assert from 'node:assert/strict'
import {before, describe, test} from 'node:test'
import {freePort, waitFor} from '../support/cluster.ts'
import {useCombinedCli} from '../support/cli-session.ts'

describe('cli: snapshots, clones, controller, key-value store, connections, remotes', () => {
  const node = 'snap-node'
  const session = useCombinedCli(node)
  const {ok, json, run, row} = session

  before(async () => {
    await ok('rg', 'c', 'sg', '--place-count', '1', '-l', 'storage')
    await ok('rg', 'spawn', 'sg', 'src', '8M')
    await ok('rg', 'spawn', 'sg', 'src2', '4M')
  })

  test('snapshots: create, create-multiple, list, properties, restore, delete', async () => {
    assert.match(await ok('s', 'c', 'src', 'snap1'), /New snapshot 'snap1' of resource 'src' registered/)
    assert.match(await ok('s', 'cm', 'multi', '-r', 'src', 'src2'), /'multi' of resource 'src'[\s\S]*'multi' of resource 'src2'/)
    const out = await ok('s', 'l')
    assert.deepEqual(row(out, 'src')?.slice(0, 4), ['src', 'snap1', node, '0: 8 MiB'])
    assert.equal(row(out, 'src')?.[5], 'Successful')
    assert.deepEqual(row(await ok('s', 'l', '-r', 'src2'), 'src2')?.slice(0, 2), ['src2', 'multi'])
    const snaps = await json<{name: string, resource_name: string}[]>('snapshot', 'list', '--resources', 'src')
    assert.deepEqual(snaps.map((s) => [s.resource_name, s.name]), [['src', 'snap1'], ['src', 'multi']])
    assert.equal((await run('s', 'lp', 'src', 'snap1')).code, 0)
    let r = await run('s', 'lp', 'src', 'nosnap')
    assert.equal(r.code, 10)
    assert.match(r.stderr, /Snapshot 'nosnap' of resource 'src' not found/)

    await ok('rd', 'c', 'restored', '-l', 'storage')
    assert.match(await ok('s', 'vd', 'rst', '--fr', 'src', '--fs', 'snap1', '--tr', 'restored'), /SUCCESS/)
    assert.equal(row(await ok('vd', 'l', '-r', 'restored'), 'restored')?.[3], '8 MiB')
    assert.match(await ok('snapshot', 'resource', 'restore', '--from-resource', 'src', '--from-snapshot', 'snap1', '--to-resource', 'restored'),
      /Created resource 'restored' on 'snap-node'/)
    r = await run('s', 'r', 'rst', '--fr', 'src', '--tr', 'restored')
    assert.equal(r.code, 2, '--from-snapshot is required')

    assert.match(await ok('s', 'd', 'src2', 'multi'), /Snapshot 'multi' of resource 'src2' deleted/)
    assert.match(await ok('s', 'd', 'src', 'multi', '-n', node), /SUCCESS/)
    await waitFor('snapshots deleted', async () => ((await json<unknown[]>('s', 'l')).length === 1 ? true : undefined))
  })

  test('clone: waits for the copy and reports it; rd wait-sync waits for the replicas', async () => {
    const out = await ok('rd', 'clone', 'src', 'copy')
    // Piped: the outcome only, no progress lines.
    assert.match(out, /Completed cloning copy\./)
    assert.doesNotMatch(out, /Waiting/)
    assert.deepEqual(row(await ok('rd', 'l', '-r', 'copy'), 'copy')?.slice(0, 4), ['copy', 'sg', 'STORAGE', 'ok'])
    assert.doesNotMatch(await ok('rd', 'cln', 'src', 'copy2', '--no-wait'), /Waiting|Completed/)
    assert.match(await ok('rd', 'wait-sync', 'copy2', '--wait-timeout', '60'), new RegExp(`Resource 'copy2' in sync on ${node}`))
    const r = await run('rd', 'clone', 'nosuch', 'copy3')
    assert.equal(r.code, 10)
    assert.match(r.stderr, /nosuch/)
    const unknown = await run('rd', 'ws', 'nosuch')
    assert.deepEqual([unknown.code, /nosuch/.test(unknown.stderr)], [10, true], 'wait-sync of an unknown definition')
  })

  test('controller: properties, version, which', async () => {
    assert.match(await ok('c', 'sp', 'Aux/site', 'lab'), /SUCCESS/)
    assert.deepEqual(row(await ok('c', 'lp'), 'Aux/site'), ['Aux/site', 'lab'])
    assert.ok((await json<{key: string, value: string}[][]>('controller', 'list-properties'))[0]?.some((p) => p.key === 'Aux/site'))
    await ok('c', 'sp', 'Aux/site')
    assert.equal(row(await ok('c', 'lp'), 'Aux/site'), undefined)
    assert.match(await ok('c', 'v'), /^linstor controller \S+; GIT-hash: /)
    assert.equal((await ok('c', 'which')).trim(), `http://127.0.0.1:${session.c.port}`)
  })

  test('key-value store: modify, list, show, remove', async () => {
    await ok('kv', 'm', 'app', 'color', 'blue')
    await ok('key-value-store', 'modify', 'app', 'size', 'L')
    assert.deepEqual(row(await ok('kv', 'l'), 'app'), ['app'])
    const out = await ok('kv', 's', 'app')
    assert.deepEqual([row(out, 'color'), row(out, 'size')], [['color', 'blue'], ['size', 'L']])
    assert.deepEqual((await json<{name: string, props: Record<string, string>}[]>('kv', 's', 'app'))[0]?.props, {color: 'blue', size: 'L'})
    await ok('kv', 'm', 'app', 'color')
    assert.equal(row(await ok('kv', 's', 'app'), 'color'), undefined)
    assert.equal(row(await ok('kv', 's', 'none'), 'color'), undefined, 'an unknown instance is empty')
  })

  test('node and resource connections: properties, lists, paths', async () => {
    await ok('n', 'c', 'peer', '127.0.0.1', '-p', String(await freePort()))
    await ok('nc', 'sp', node, 'peer', 'DrbdOptions/Net/protocol', 'C')
    // The controller keeps the two nodes of a connection in name order.
    assert.deepEqual(row(await ok('nc', 'l'), 'peer'), ['peer', node, 'protocol=C'])
    assert.deepEqual(await json('nc', 'lp', node, 'peer'), [[{key: 'DrbdOptions/Net/protocol', value: 'C'}]])
    await ok('nc', 'p', 'c', node, 'peer', 'p1', 'default', 'default')
    assert.deepEqual(row(await ok('nc', 'path', 'list', node, 'peer'), `Paths/p1/${node}`), [`Paths/p1/${node}`, 'default'])
    await ok('nc', 'p', 'd', node, 'peer', 'p1')
    assert.deepEqual(await json('nc', 'p', 'l', node, 'peer'), [[]])
    const missing = await run('nc', 'lp', 'peer', 'nobody')
    assert.equal(missing.code, 10)
    assert.match(missing.stderr, /nobody/)

    // A replica on the (offline) peer, so that the resource has a connection between two nodes.
    await ok('sp', 'c', 'filethin', 'peer', 'peerpool', `${session.c.dir}/peerpool`)
    assert.match(await ok('r', 'c', 'peer', 'src', '-s', 'peerpool'), /No connection to satellite 'peer'/)
    assert.match(await ok('r', 'l', '-r', 'src'), /┊ src +┊ peer +┊ STORAGE ┊/)
    await ok('rc', 'sp', node, 'peer', 'src', 'Aux/x', '1')
    assert.deepEqual(await json('rc', 'lp', node, 'peer', 'src'), [[{key: 'Aux/x', value: '1'}]])
    assert.deepEqual(row(await ok('rc', 'l', 'src'), 'peer')?.slice(0, 3), ['peer', node, 'x=1'])
    await ok('rc', 'p', 'c', node, 'peer', 'src', 'p2', 'default', 'default')
    assert.deepEqual(row(await ok('rc', 'p', 'l', node, 'peer', 'src'), 'Paths/p2/peer'), ['Paths/p2/peer', 'default'])
    await ok('resource-connection', 'path', 'delete', node, 'peer', 'src', 'p2')
    assert.deepEqual(await json('rc', 'p', 'l', node, 'peer', 'src'), [[]])
    const r = await run('rc', 'l', 'nosuch')
    assert.equal(r.code, 10)
  })

  test('remotes and output switches', async () => {
    assert.match(await ok('remote', 'list'), /Name ┊ Type ┊ Info/)
    assert.deepEqual(await json('remote', 'l'), {})
    const ascii = await ok('rd', 'l', '--no-utf8')
    assert.match(ascii, /^\+-+\+\n\| ResourceName \|/)
    assert.ok(!(await ok('rd', 'l', '-p')).includes('\x1b'))
    const warn = await run('r', 'd', node, 'no-such-rsc', '--warn-as-error')
    assert.equal(warn.code, 10)
    assert.match(warn.stdout, /WARNING:/)
    assert.equal((await run('r', 'd', node, 'no-such-rsc')).code, 0)
  })
})
