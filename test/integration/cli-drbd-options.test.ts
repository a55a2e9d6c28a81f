// Through the binary against a live `cairn combined`: `drbd-options` of resource definitions,
// resource and volume groups, volume definitions and the controller, `drbd-peer-options` of resource and node
// connections and of `resource`, all landing as DrbdOptions/* properties; `resource` and `volume`
// set-property/list-properties; sizes and rates with unit suffixes; and the error paths (bad values
// exit 2, unknown objects exit 10).
import assert from 'node:assert/strict'
import {before, describe, test} from 'node:test'
import {useCombinedCli} from '../support/cli-session.ts'

describe('cli: DRBD options and resource/volume properties', () => {
  const node = 'opt-node'
  const {ok, fails, json, row} = useCombinedCli(node)
  const props = async (...args: string[]): Promise<Record<string, string>> =>
    Object.fromEntries((await json<{key: string, value: string}[][]>(...args))[0]?.map((p) => [p.key, p.value]) ?? [])

  before(async () => {
    await ok('rg', 'c', 'grp', '--place-count', '1', '-l', 'storage')
    await ok('rg', 'spawn', 'grp', 'res', '4M')
  })

  test('rd drbd-options: linstor\'s flags set and --unset- removes', async () => {
    assert.match(await ok('rd', 'drbd-options', '--max-buffers', '8000', '--protocol', 'C', '--quorum', 'majority', '--on-no-quorum', 'io-error',
      '--auto-promote', 'no', '--drbd-timeout', '60', '--handler-split-brain', '/usr/lib/drbd/notify.sh', 'res'), /Resource definition 'res' modified/)
    const set = await props('rd', 'lp', 'res')
    assert.deepEqual([set['DrbdOptions/Net/max-buffers'], set['DrbdOptions/Net/protocol'], set['DrbdOptions/Resource/quorum'],
      set['DrbdOptions/Resource/on-no-quorum'], set['DrbdOptions/Resource/auto-promote'], set['DrbdOptions/Net/timeout'],
      set['DrbdOptions/Handlers/split-brain']], ['8000', 'C', 'majority', 'io-error', 'no', '60', '/usr/lib/drbd/notify.sh'])
    await ok('rd', 'opt', '--unset-max-buffers', '--unset-drbd-timeout', 'res')
    const after = await props('rd', 'lp', 'res')
    assert.equal(after['DrbdOptions/Net/max-buffers'], undefined)
    assert.equal(after['DrbdOptions/Net/timeout'], undefined)
    assert.equal(after['DrbdOptions/Net/protocol'], 'C')
  })

  test('sizes and rates with a unit land in DRBD\'s own unit; the help names it', async () => {
    await ok('rd', 'opt', '--c-max-rate', '250M', '--c-fill-target', '1M', '--max-buffers', '8K', 'res')
    const set = await props('rd', 'lp', 'res')
    assert.deepEqual([set['DrbdOptions/PeerDevice/c-max-rate'], set['DrbdOptions/PeerDevice/c-fill-target'], set['DrbdOptions/Net/max-buffers']],
      ['256000', '2048', '8192'], 'KiB/s, 512-byte sectors, buffers')
    assert.match(await fails(2, 'rd', 'opt', '--c-max-rate', '8G', 'res'), /'8G' \(8388608 KiB\/s\) is not a number from 250 to 4194304 KiB\/s/)
    assert.match(await fails(2, 'rd', 'opt', '--resync-rate', 'fast', 'res'), /'fast' is not a number from 1 to 8388608 KiB\/s or one with a unit/)
    assert.match(await ok('rd', 'opt', '--help'), /--c-max-rate=<value>\s+250-4194304 KiB\/s, or with a unit/)
  })

  test('rg, vg, vd and controller drbd-options', async () => {
    await ok('rg', 'opt', '--resync-rate', '10240', '--quorum', '2', '--on-suspended-primary-outdated', 'force-secondary', 'grp')
    const rg = await props('rg', 'lp', 'grp')
    assert.deepEqual([rg['DrbdOptions/PeerDevice/resync-rate'], rg['DrbdOptions/Resource/on-suspended-primary-outdated']], ['10240', 'force-secondary'])
    await ok('vd', 'opt', '--on-io-error', 'detach', '--al-extents', '6007', 'res', '0')
    const vd = await props('vd', 'lp', 'res', '0')
    assert.deepEqual([vd['DrbdOptions/Disk/on-io-error'], vd['DrbdOptions/Disk/al-extents']], ['detach', '6007'])
    await ok('vg', 'c', 'grp')
    await ok('vg', 'opt', '--al-extents', '4K', '--disk-flushes', 'no', 'grp', '0')
    const vg = await props('vg', 'lp', 'grp', '0')
    assert.deepEqual([vg['DrbdOptions/Disk/al-extents'], vg['DrbdOptions/Disk/disk-flushes']], ['4096', 'no'])
    await ok('c', 'opt', '--verify-alg', 'crc32c')
    assert.equal((await props('c', 'lp'))['DrbdOptions/Net/verify-alg'], 'crc32c')
    await ok('c', 'opt', '--unset-verify-alg')
    assert.equal((await props('c', 'lp'))['DrbdOptions/Net/verify-alg'], undefined)
  })

  test('drbd-peer-options of resource connections, node connections and resources', async () => {
    // A second replica on a node whose satellite never comes: enough for a resource connection.
    await ok('n', 'c', 'peer2', '10.0.0.2')
    await ok('sp', 'c', 'filethin', 'peer2', 'DfltStorPool', '/var/lib/cairn-test-unused')
    assert.match(await ok('r', 'c', 'peer2', 'res'), /Resource 'res' ready \(peer2 offline, not waited for\)/)
    await ok('rc', 'popt', '--protocol', 'A', '--c-max-rate', '102400', node, 'peer2', 'res')
    const rc = await props('rc', 'lp', node, 'peer2', 'res')
    assert.deepEqual([rc['DrbdOptions/Net/protocol'], rc['DrbdOptions/PeerDevice/c-max-rate']], ['A', '102400'])
    await ok('r', 'drbd-peer-options', '--unset-protocol', node, 'peer2', 'res')
    assert.equal((await props('rc', 'lp', node, 'peer2', 'res'))['DrbdOptions/Net/protocol'], undefined)
    await ok('nc', 'drbd-peer-options', '--ping-timeout', '20', node, 'peer2')
    assert.equal((await props('nc', 'lp', node, 'peer2'))['DrbdOptions/Net/ping-timeout'], '20')
    // A connection takes no resource options.
    assert.match(await fails(2, 'rc', 'popt', '--quorum', 'majority', node, 'peer2', 'res'), /Nonexistent flag: --quorum/)
  })

  test('bad values and no option at all: exit 2; an unknown object: exit 10', async () => {
    assert.match(await fails(2, 'rd', 'opt', '--max-buffers', '5', 'res'), /'5' is not a number from 32 to 131072/)
    assert.match(await fails(2, 'rd', 'opt', '--protocol', 'D', 'res'), /one of: A, B, C/)
    assert.match(await fails(2, 'rd', 'opt', '--auto-promote', 'maybe', 'res'), /one of yes, no/)
    assert.match(await fails(2, 'rd', 'opt', 'res'), /No DRBD option given/)
    assert.match(await fails(2, 'rd', 'opt', '--protocol', 'A', '--unset-protocol', 'res'), /contradict/)
    assert.match(await fails(10, 'rd', 'opt', '--protocol', 'A', 'nosuch'), /nosuch/)
  })

  test('resource set-property / list-properties', async () => {
    assert.match(await ok('r', 'sp', node, 'res', 'Aux/rack', 'r7'), /Resource 'res' on node 'opt-node' modified/)
    assert.match(await ok('r', 'set-property', '--aux', node, 'res', 'owner', 'ops'), /SUCCESS/)
    assert.deepEqual(row(await ok('r', 'lp', node, 'res'), 'Aux/rack'), ['Aux/rack', 'r7'])
    assert.equal((await props('r', 'lp', node, 'res'))['Aux/owner'], 'ops')
    await ok('r', 'sp', node, 'res', 'Aux/rack')
    assert.equal((await props('r', 'lp', node, 'res'))['Aux/rack'], undefined)
    assert.match(await fails(10, 'r', 'sp', 'nowhere', 'res', 'Aux/x', 'y'), /Resource 'res' on node 'nowhere' not found/)
  })

  test('volume set-property / list-properties', async () => {
    assert.match(await ok('v', 'sp', node, 'res', '0', 'Aux/tier', 'gold'), /Volume 0 of resource 'res' on node 'opt-node' modified/)
    assert.deepEqual(row(await ok('v', 'lp', node, 'res', '0'), 'Aux/tier'), ['Aux/tier', 'gold'])
    const listed = await json<{volumes?: {props?: Record<string, string>}[]}[]>('v', 'l', '-r', 'res')
    assert.equal(listed[0]?.volumes?.[0]?.props?.['Aux/tier'], 'gold', 'volume list shows the volume\'s properties')
    await ok('v', 'sp', node, 'res', '0', 'Aux/tier')
    assert.equal((await props('v', 'lp', node, 'res', '0'))['Aux/tier'], undefined)
    assert.match(await fails(10, 'v', 'sp', node, 'res', '7', 'Aux/x', 'y'), /Volume 7 of resource 'res' on node 'opt-node' not found/)
    assert.match(await fails(2, 'v', 'sp', node, 'res', 'zero', 'Aux/x', 'y'), /Expected an integer but received: zero/)
  })
})
