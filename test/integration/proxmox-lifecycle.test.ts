// The Proxmox VE plugin (linstor-proxmox) against Cairn, replayed call by call with the exact
// status codes the Perl plugin compares (`responseCode() eq '201'`), in the order
// reference/integrations-source.md §2.3 lists them. Real volumes on a combined node's FILE_THIN
// pool; data written through the device path must survive rollback and the backup restore.
//
// This host has no DRBD module, so the storage's group uses the storage layer only; the plugin's
// sizes then come from the storage layer object instead of `layer_object.drbd`.
import assert from 'node:assert/strict'
import {randomBytes, randomUUID} from 'node:crypto'
import {after, before, describe, test} from 'node:test'
import {cleanup, startCombined, waitFor, type Combined} from '../support/cluster.ts'
import {readBlock, replay, writeBlock} from '../support/rest-replay.ts'

const NODE = 'pve1'
const RG = 'drbdgrp'
const MiB = 1024

interface ViewRsc {name: string, node_name: string, state?: {in_use?: boolean}, volumes: {provider_kind: string, device_path: string,
  storage_pool_name: string, state: {disk_state?: string}}[], layer_object?: {storage?: {storage_volumes?: {usable_size_kib: number}[]}}}

describe('Proxmox VE plugin replay', () => {
  let c: Combined
  const {call, ok} = replay(() => c.base)
  const view = async (): Promise<ViewRsc[]> => (await ok('GET', '/v1/view/resources', 200)) as ViewRsc[]
  const health = async (): Promise<void> => {
    const r = await call('GET', '/health')
    assert.equal(r.status, 200)
  }

  /** alloc_image with preferlocal: spawn definitions only, a local diskful replica, autoplace, owner prop. */
  async function allocImage(vmid: number, sizeKib: number): Promise<string> {
    await health()
    const rd = `pm-${randomUUID().slice(0, 8)}`
    assert.ok(!(await view()).some((x) => x.name === rd), 'no name collision')
    const rg = (await ok('GET', `/v1/resource-groups/${RG}`, 200)) as {select_filter: {layer_stack?: string[], place_count?: number}}
    assert.ok(!(rg.select_filter.layer_stack ?? []).includes('NVME'))
    await ok('POST', `/v1/resource-groups/${RG}/spawn`, 201, {resource_definition_name: rd, definitions_only: true, volume_sizes: [sizeKib],
      resource_definition_props: {'DrbdOptions/ExactSize': 'False', 'DrbdOptions/Net/allow-two-primaries': 'yes'}})
    await ok('POST', `/v1/resource-definitions/${rd}/resources/${NODE}/make-available`, 200, {diskful: true})
    await ok('POST', `/v1/resource-definitions/${rd}/autoplace`, 201, {})
    await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {override_props: {'Aux/pm/vmid': String(vmid)}})
    return rd
  }

  /** activate_volume (DRBD branch) and the device path as filesystem_path falls back to it. */
  async function activate(rd: string): Promise<string> {
    await call('PUT', `/v1/resource-definitions/${rd}`, {override_props: {'DrbdOptions/ExactSize': 'False'}})
    const dfn = (await ok('GET', `/v1/resource-definitions/${rd}`, 200)) as {layer_data?: {type: string}[]}
    assert.ok(!(dfn.layer_data ?? []).some((l) => l.type === 'NVME'))
    await ok('POST', `/v1/resource-definitions/${rd}/resources/${NODE}/make-available`, 200, {diskful: false})
    const mine = (await ok('GET', `/v1/view/resources?resources=${rd}&nodes=${NODE}`, 200)) as ViewRsc[]
    const dev = mine[0]?.volumes[0]?.device_path ?? ''
    assert.ok(dev.startsWith('/dev/'), JSON.stringify(mine))
    return dev
  }

  before(async () => {
    c = await startCombined(NODE)
    await waitFor('node online', async () => (((await call('GET', `/v1/nodes/${NODE}`)).body as {connection_status?: string}).connection_status === 'ONLINE' ? true : undefined))
    // `cairn proxmox sync` makes the group a drbd: stanza names; here the test makes it directly.
    await ok('POST', '/v1/resource-groups', 201, {name: RG, select_filter: {place_count: 1, storage_pool: 'DfltStorPool', layer_stack: ['STORAGE']}})
  })
  after(async () => {
    await c?.daemon.stop('SIGKILL')
    if (c) await cleanup(c.dir)
  })

  test('status: query-all-size-info per resource group; a missing group is simply absent', async () => {
    const sizes = (await ok('POST', '/v1/queries/resource-groups/query-all-size-info', 200, {ignore_cache_older_than_sec: 60})) as
      {result: Record<string, {space_info: {capacity_in_kib: number, available_size_in_kib: number}}>}
    const mine = sizes.result[RG]?.space_info
    assert.ok(mine && mine.capacity_in_kib > 0 && mine.available_size_in_kib > 0, JSON.stringify(sizes))
    assert.equal(sizes.result.nosuchgroup, undefined)
  })

  test('disk life: alloc, list, activate, resize, snapshot, rollback, backup restore, rename, deactivate, free', async () => {
    const rd = await allocImage(100, 8 * MiB)
    const dev = await activate(rd)
    const data = randomBytes(32 * 1024)
    await writeBlock(dev, data)

    // list_images: the group's definitions, the owner from Aux/pm/vmid, the size from the view.
    const rds = (await ok('GET', '/v1/resource-definitions', 200)) as {name: string, resource_group_name: string, props: Record<string, string>}[]
    const images = rds.filter((x) => x.resource_group_name === RG).map((x) => [x.name, x.props['Aux/pm/vmid']])
    assert.deepEqual(images, [[rd, '100']])
    const entry = (await view()).find((x) => x.name === rd && x.node_name === NODE)
    assert.ok(entry && Array.isArray(entry.volumes), 'volumes is always a list')
    assert.equal(entry.layer_object?.storage?.storage_volumes?.[0]?.usable_size_kib, 8 * MiB)
    assert.equal(entry.volumes[0]?.storage_pool_name, 'DfltStorPool')

    // volume_resize: the plugin sends bytes / 1024 (12 MiB here).
    await ok('PUT', `/v1/resource-definitions/${rd}/volume-definitions/0`, 200, {size_kib: (12 * 1024 * 1024) / 1024})
    // volume_snapshot, then more writes, then volume_snapshot_rollback.
    const snap = `snap_${rd}_before`
    await ok('POST', `/v1/resource-definitions/${rd}/snapshots`, 201, {name: snap})
    await writeBlock(dev, randomBytes(32 * 1024))
    await ok('POST', `/v1/resource-definitions/${rd}/snapshot-rollback/${snap}`, 200)
    assert.deepEqual(await readBlock(await activate(rd), data.length), data)

    // activate_volume of a snapshot (backup): a temporary RD named like the snapshot, restored from it.
    await ok('POST', '/v1/resource-definitions', 201, {resource_definition: {name: snap}})
    await ok('POST', `/v1/resource-definitions/${rd}/snapshot-restore-volume-definition/${snap}`, 200, {to_resource: snap})
    await ok('POST', `/v1/resource-definitions/${rd}/snapshot-restore-resource/${snap}`, 200, {to_resource: snap})
    assert.deepEqual(await readBlock(await activate(snap), data.length), data, 'the backup reads the snapshot')

    // volume_snapshot_delete: the temporary RD first, then the snapshot.
    await ok('DELETE', `/v1/resource-definitions/${snap}`, 200)
    await ok('DELETE', `/v1/resource-definitions/${rd}/snapshots/${snap}`, 200)

    // rename_volume: only the owner property changes.
    await ok('PUT', `/v1/resource-definitions/${rd}`, 200, {override_props: {'Aux/pm/vmid': '101'}})
    assert.equal(((await ok('GET', `/v1/resource-definitions/${rd}`, 200)) as {props: Record<string, string>}).props['Aux/pm/vmid'], '101')

    // deactivate_volume: the local replica is diskful, so nothing is deleted.
    const local = (await view()).find((x) => x.name === rd && x.node_name === NODE)
    assert.notEqual(local?.volumes[0]?.provider_kind, 'DISKLESS')

    // free_image: wait until not in use, then delete the definition.
    await waitFor('not in use', async () => ((await view()).find((x) => x.name === rd)?.state?.in_use ? undefined : true))
    await ok('DELETE', `/v1/resource-definitions/${rd}`, 200)
    assert.equal((await call('GET', `/v1/resource-definitions/${rd}`)).status, 404)
  })

  test('a diskless client is removed with keep_tiebreaker=True, as deactivate_volume sends it', async () => {
    const rd = await allocImage(102, 4 * MiB)
    const r = await call('DELETE', `/v1/resource-definitions/${rd}/resources/ghost?keep_tiebreaker=True`)
    assert.equal(r.status, 200, 'deleting a resource that is not there is idempotent')
    await ok('DELETE', `/v1/resource-definitions/${rd}`, 200)
  })
})
