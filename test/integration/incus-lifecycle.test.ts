// Incus's `linstor` storage driver against Cairn, replayed call by call: the request bodies,
// query strings and the status codes and fields Incus reads, in the order
// reference/integrations-source.md §1.4 lists them from Incus's source. The volumes are real
// (a combined node's FILE_THIN pool on loop devices), so data written through `device_path`
// must come back after rollback, clone and restore.
//
// This host has no DRBD module, so the pool's group is limited to the storage layer: Incus adopts
// an existing resource group, and the administrator (or `cairn incus pool-apply`) sets its layers.
import assert from 'node:assert/strict'
import {randomBytes, randomUUID} from 'node:crypto'
import {after, before, describe, test} from 'node:test'
import {cleanup, startCombined, waitFor, type Combined} from '../support/cluster.ts'
import {readBlock, replay, writeBlock} from '../support/rest-replay.ts'

const NODE = 'incus1'
const RG = 'incuspool'
const PREFIX = 'incus-volume-'
const MiB = 1024

/** Incus names resource definitions and snapshots prefix + a UUID without dashes. */
const linstorName = (): string => PREFIX + randomUUID().replaceAll('-', '')

describe('Incus storage driver replay', () => {
  let c: Combined
  const {call, ok} = replay(() => c.base)
  /** Incus's lookup: by the Aux/Incus props, then filtered by resource group client-side. */
  const lookup = async (name: string, type = 'custom'): Promise<{name: string, resource_group_name: string, props: Record<string, string>,
    volume_definitions?: {volume_number: number, size_kib: number}[]}> => {
    const q = `props=${encodeURIComponent(`Aux/Incus/name=${PREFIX}${name}`)}&props=${encodeURIComponent(`Aux/Incus/type=${type}`)}` +
      '&with_volume_definitions=true&offset=0&limit=0'
    const list = (await ok('GET', `/v1/resource-definitions?${q}`, 200)) as {name: string, resource_group_name: string, props: Record<string, string>}[]
    const mine = list.filter((rd) => rd.resource_group_name === RG)
    assert.equal(mine.length, 1, `exactly one definition for ${name}`)
    return mine[0] as never
  }
  /** getLinstorDevPath: make-available, then the volume list's device_path. */
  const devicePath = async (rd: string): Promise<string> => {
    await ok('POST', `/v1/resource-definitions/${rd}/resources/${NODE}/make-available`, 200, {})
    const vols = (await ok('GET', `/v1/resource-definitions/${rd}/resources/${NODE}/volumes`, 200)) as {volume_number: number, device_path: string}[]
    const dev = vols[0]?.device_path ?? ''
    assert.ok(dev.startsWith('/dev/'), JSON.stringify(vols))
    return dev
  }
  const createVolume = async (name: string, sizeKib: number): Promise<string> => {
    const rd = linstorName()
    await ok('POST', `/v1/resource-groups/${RG}/spawn`, 201,
      {resource_definition_name: rd, volume_sizes: [sizeKib], definitions_only: true, select_filter: {}})
    await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {override_props: {'Aux/Incus/name': PREFIX + name, 'Aux/Incus/type': 'custom',
      'Aux/Incus/content-type': 'block', 'DrbdOptions/Net/allow-two-primaries': 'yes'}})
    await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {override_props: {'DrbdOptions/ExactSize': 'true'}})
    await ok('POST', `/v1/resource-definitions/${rd}/autoplace`, 201, {select_filter: {}})
    return rd
  }
  /** DeleteVolume: retried while the controller says in use (or unknown error), as Incus does. */
  const deleteRd = async (rd: string): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      const r = await call('DELETE', `/v1/resource-definitions/${rd}`)
      if (r.status === 200) return
      const codes = (r.body as {ret_code: bigint}[]).map((x) => BigInt.asUintN(64, x.ret_code) & 0x7FFFn)
      assert.ok(codes.includes(997n) || codes.includes(998n), r.text)
      await new Promise((res) => setTimeout(res, 500))
    }
    assert.fail(`${rd} still in use`)
  }

  before(async () => {
    c = await startCombined(NODE)
    await waitFor('node online', async () => (((await call('GET', `/v1/nodes/${NODE}`)).body as {connection_status?: string}).connection_status === 'ONLINE' ? true : undefined))
  })
  after(async () => {
    await c?.daemon.stop('SIGKILL')
    if (c) await cleanup(c.dir)
  })

  test('client init, pool create on a new group, mount, update, capacity, delete of a pristine pool', async () => {
    const version = (await ok('GET', '/v1/controller/version', 200)) as {version: string}
    assert.match(version.version, /^\d+\.\d+\.\d+/)
    const fresh = 'incusfresh'
    const miss = await call('GET', `/v1/resource-groups/${fresh}`)
    assert.equal(miss.status, 404)
    await ok('POST', '/v1/resource-groups', 201, {name: fresh, description: 'Resource group managed by Incus', select_filter: {place_count: 2}})
    await ok('PUT', `/v1/resource-groups/${fresh}`, 200, {select_filter: {}, override_props: {'DrbdOptions/Resource/on-no-quorum': 'suspend-io',
      'DrbdOptions/auto-add-quorum-tiebreaker': 'true', 'DrbdOptions/Disk/rs-discard-granularity': '1048576'}})
    let rg = (await ok('GET', `/v1/resource-groups/${fresh}`, 200)) as {select_filter: {place_count: number, storage_pool?: string}, props: Record<string, string>}
    assert.equal(rg.select_filter.place_count, 2, 'an empty select_filter in the PUT changes nothing')
    assert.equal(rg.props['DrbdOptions/Resource/on-no-quorum'], 'suspend-io')
    // Pool Update: an emptied key is deleted.
    await ok('PUT', `/v1/resource-groups/${fresh}`, 200, {select_filter: {place_count: 1, storage_pool: 'DfltStorPool'},
      override_props: {'DrbdOptions/auto-diskful': '30'}, delete_props: ['DrbdOptions/auto-add-quorum-tiebreaker']})
    rg = (await ok('GET', `/v1/resource-groups/${fresh}`, 200)) as typeof rg
    assert.deepEqual([rg.select_filter.place_count, rg.select_filter.storage_pool], [1, 'DfltStorPool'])
    assert.equal(rg.props['DrbdOptions/auto-add-quorum-tiebreaker'], undefined)
    // Mount: the local satellite must be ONLINE.
    const node = (await ok('GET', `/v1/nodes/${NODE}`, 200)) as {connection_status: string}
    assert.equal(node.connection_status, 'ONLINE')
    // GetResources: Σ capacities of the group's pools, in KiB.
    const pools = (await ok('GET', '/v1/view/storage-pools?storage_pools=DfltStorPool&offset=0&limit=0', 200)) as {total_capacity: number, free_capacity: number}[]
    assert.equal(pools.length, 1)
    assert.ok(pools[0] && pools[0].total_capacity > 0 && pools[0].free_capacity > 0 && pools[0].free_capacity <= pools[0].total_capacity)
    await ok('DELETE', `/v1/resource-groups/${fresh}`, 200)
    assert.equal((await call('GET', `/v1/resource-groups/${fresh}`)).status, 404)
  })

  test('volume life: create, lookup, device path, usage, grow, snapshots, rollback, clone, restore, delete', async () => {
    // The pool adopts an existing group; Incus reads place_count and storage_pool back from it.
    await ok('POST', '/v1/resource-groups', 201, {name: RG, select_filter: {place_count: 1, storage_pool: 'DfltStorPool', layer_stack: ['STORAGE']}})
    const rd = await createVolume('default_vol1', 8 * MiB)
    const found = await lookup('default_vol1')
    assert.equal(found.name, rd)
    assert.equal(found.props['DrbdOptions/ExactSize'], 'true')
    assert.equal(found.volume_definitions?.[0]?.size_kib, 8 * MiB)
    assert.equal(found.volume_definitions?.[0]?.volume_number, 0)
    const dev = await devicePath(rd)
    const first = randomBytes(64 * 1024)
    await writeBlock(dev, first)

    // SetVolumeQuota: ExactSize goes first, then the volume definition grows.
    await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {delete_props: ['DrbdOptions/ExactSize']})
    await ok('PUT', `/v1/resource-definitions/${rd}/volume-definitions/0`, 200, {size_kib: 16 * MiB})
    assert.equal((await lookup('default_vol1')).volume_definitions?.[0]?.size_kib, 16 * MiB)
    const grown = (await ok('GET', `/v1/resource-definitions/${rd}/resources/${NODE}/volumes`, 200)) as {usable_size_kib?: number}[]
    assert.ok((grown[0]?.usable_size_kib ?? 0) >= 16 * MiB, JSON.stringify(grown))
    assert.deepEqual(await readBlock(dev, first.length), first, 'growing keeps the data')

    // GetVolumeUsage: a non-DISKLESS entry of the view (allocation as of the last sync, which the grow caused).
    const view = (await ok('GET', `/v1/view/resources?resources=${rd}&offset=0&limit=0`, 200)) as {node_name: string, flags?: string[],
      volumes: {allocated_size_kib: number}[]}[]
    const diskful = view.find((x) => !(x.flags ?? []).includes('DISKLESS'))
    assert.ok(diskful && diskful.volumes[0] && diskful.volumes[0].allocated_size_kib >= 64, JSON.stringify(view))


    // CreateVolumeSnapshot ×2, with the Aux map from Incus snapshot names.
    const snaps: string[] = []
    for (const [i, name] of ['snap0', 'snap1'].entries()) {
      const snap = linstorName()
      await ok('POST', `/v1/resource-definitions/${rd}/snapshots`, 201, {name: snap, resource_name: rd})
      await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {override_props: {[`Aux/Incus/snapshot-name/${name}`]: snap}})
      snaps.push(snap)
      if (i === 0) await writeBlock(dev, randomBytes(64 * 1024))
    }
    assert.equal((await call('GET', `/v1/resource-definitions/${rd}/snapshots/${snaps[0]}?`)).status, 200)
    assert.equal((await call('GET', `/v1/resource-definitions/${rd}/snapshots/${linstorName()}`)).status, 404, 'a missing snapshot is 404')
    const listed = (await ok('GET', `/v1/resource-definitions/${rd}/snapshots`, 200)) as {name: string, snapshots: {create_timestamp: number}[]}[]
    assert.equal(listed.length, 2)
    for (const s of listed) assert.equal(typeof s.snapshots[0]?.create_timestamp, 'number', 'create_timestamp is dereferenced: integer ms')

    // RestoreVolume to snap0: only the newest can be rolled back; with linstor.remove_snapshots
    // Incus deletes the newer ones first.
    const refused = await call('POST', `/v1/resource-definitions/${rd}/snapshot-rollback/${snaps[0]}`)
    assert.ok(refused.status >= 400, refused.text)
    await ok('DELETE', `/v1/resource-definitions/${rd}/snapshots/${snaps[1]}?`, 200)
    await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {delete_props: ['Aux/Incus/snapshot-name/snap1']})
    await ok('POST', `/v1/resource-definitions/${rd}/snapshot-rollback/${snaps[0]}`, 200)
    assert.deepEqual(await readBlock(await devicePath(rd), first.length), first, 'rolled back to snap0')

    // CreateVolumeFromCopy (volume): clone, poll the status until COMPLETE.
    const copy = linstorName()
    const cloned = (await ok('POST', `/v1/resource-definitions/${rd}/clone`, 201, {name: copy, resource_group: RG})) as {location: string, source_name: string, clone_name: string}
    assert.deepEqual([cloned.source_name, cloned.clone_name], [rd, copy])
    await waitFor('clone COMPLETE', async () => {
      const st = (await ok('GET', `/v1/resource-definitions/${rd}/clone/${copy}`, 200)) as {status: string}
      assert.notEqual(st.status, 'FAILED')
      return st.status === 'COMPLETE' ? true : undefined
    }, 30_000)
    await ok('PUT', `/v1/resource-definitions/${copy}`, 200, {override_props: {'Aux/Incus/name': `${PREFIX}default_copy`, 'Aux/Incus/type': 'custom',
      'Aux/Incus/content-type': 'block'}})
    assert.deepEqual(await readBlock(await devicePath(copy), first.length), first, 'the clone holds the data')

    // CreateVolumeFromCopy (from snapshot): new definition, restore volume definitions, then resources.
    const restored = linstorName()
    await ok('POST', '/v1/resource-definitions', 201, {resource_definition: {name: restored, resource_group_name: RG}})
    await ok('PUT', `/v1/resource-definitions/${restored}`, 200, {override_props: {'DrbdOptions/ExactSize': 'true'}})
    await ok('POST', `/v1/resource-definitions/${rd}/snapshot-restore-volume-definition/${snaps[0]}`, 200, {to_resource: restored})
    await ok('POST', `/v1/resource-definitions/${rd}/snapshot-restore-resource/${snaps[0]}`, 200, {to_resource: restored})
    await ok('PUT', `/v1/resource-definitions/${restored}`, 200, {override_props: {'Aux/Incus/name': `${PREFIX}default_restored`,
      'Aux/Incus/type': 'custom', 'Aux/Incus/content-type': 'block'}})
    assert.deepEqual(await readBlock(await devicePath(restored), first.length), first, 'restored from the snapshot')

    // ListVolumes: every RD of the group with the three Aux props.
    const all = (await ok('GET', '/v1/resource-definitions?offset=0&limit=0', 200)) as {name: string, resource_group_name: string, props: Record<string, string>}[]
    const volumes = all.filter((x) => x.resource_group_name === RG && x.props['Aux/Incus/name']).map((x) => x.props['Aux/Incus/name']).sort()
    assert.deepEqual(volumes, [`${PREFIX}default_copy`, `${PREFIX}default_restored`, `${PREFIX}default_vol1`])

    // RenameVolume.
    await ok('PUT', `/v1/resource-definitions/${copy}`, 200, {override_props: {'Aux/Incus/name': `${PREFIX}default_renamed`}})
    assert.equal((await lookup('default_renamed')).name, copy)

    // UnmountVolume: diskless entries of this node would be deleted; there are none here.
    const mine = (await ok('GET', `/v1/view/resources?resources=${rd}&nodes=${NODE}&offset=0&limit=0`, 200)) as {flags?: string[]}[]
    assert.deepEqual(mine.filter((x) => (x.flags ?? []).includes('DISKLESS')), [])

    // Deletes: the snapshot, then every volume; a second delete is idempotent (200 with a warning).
    await ok('DELETE', `/v1/resource-definitions/${rd}/snapshots/${snaps[0]}?`, 200)
    await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {delete_props: ['Aux/Incus/snapshot-name/snap0']})
    for (const x of [copy, restored, rd]) await deleteRd(x)
    const again = await call('DELETE', `/v1/resource-definitions/${rd}`)
    assert.equal(again.status, 200)
    assert.ok(((again.body as {ret_code: bigint}[])[0]?.ret_code ?? 0n) !== 0n)
    const left = (await ok('GET', '/v1/resource-definitions?offset=0&limit=0', 200)) as {resource_group_name: string}[]
    assert.deepEqual(left.filter((x) => x.resource_group_name === RG), [])
  })
})
