// PUT .../resources/{node}/toggle-disk (ToggleDiskRequest), its deprecated forms
// toggle-disk/diskless[/{pool}], toggle-disk/diskful[/{pool}] and migrate-disk/{from}[/{pool}],
// and POST .../activate and .../deactivate.
import type {Request, Router} from 'express'
import {Rc, type ApiCallRc, type RcText} from '../../common/api-call-rc.ts'
import {object, optEnum, optString} from '../../common/input.ts'
import {nameKey} from '../../common/names.ts'
import {ApiFailure, asApiFailure} from '../model/api-failure.ts'
import {setActive} from '../model/resource-activation.ts'
import {findRsc, isDiskless, rscsOf} from '../model/resource.ts'
import {readLayerStack} from '../model/select-filter.ts'
import {key2} from '../model/state.ts'
import {DISK_ADDING, DISK_REMOVE_REQUESTED, DISK_REMOVING, toggleDisk, type ToggleDiskRequest} from '../model/toggle-disk.ts'
import {inUse, toggleDiskFacts, type RestDeps} from './deps.ts'
import {deploymentReplies} from './deployment.ts'
import {mutation} from './reply.ts'

type Ok = (code: bigint, text: RcText) => ApiCallRc

const OPERATIONS = ['INTO_DRBD_DISKFUL', 'INTO_DRBD_CLIENT', 'INTO_DRBD_DISKLESS'] as const

const layersOf = (body: unknown): ToggleDiskRequest['layers'] =>
  readLayerStack(asApiFailure(() => object(body ?? {}, 'toggle-disk request')).layer_list, 'layer_list')

export function toggleDiskRoutes(r: Router, deps: RestDeps): void {
  const {store, link, ids} = deps
  const base = '/v1/resource-definitions/:rd/resources/:node'

  async function toggle(req: Request, want: Omit<ToggleDiskRequest, 'diskless'> & {diskless?: boolean}, ok: Ok): Promise<ApiCallRc[]> {
    const {rd, node} = req.params as {rd: string, node: string}
    // Without an operation the request toggles: a diskless replica gets a disk, a diskful one loses it.
    const diskless = want.diskless ?? !isDiskless(findRsc(store.state, rd, node))
    const {rsc, changes} = toggleDisk(store.state, rd, node, {...want, diskless}, toggleDiskFacts(deps), ids)
    await store.commit(changes)
    const registered = ok(Rc.MODIFIED, {message: `${diskless ? 'Removal of disk from' : 'Addition of disk to'} resource '${rsc.rscDfn}' on node '${rsc.node}' registered`,
      obj_refs: {RscDfn: rsc.rscDfn, Node: rsc.node}})
    // The peers' configurations name the replica's disk, or its absence.
    void link.kick(rscsOf(store.state, rsc.rscDfn).map((x) => x.node).filter((n) => nameKey(n) !== nameKey(rsc.node)))
    // A removal takes two syncs of the node: DRBD lets go of the disk, then the volumes go.
    if (diskless) await link.kick([rsc.node])
    const outcome = (): string => {
      const now = store.state.rscs[key2(rsc.rscDfn, rsc.node)]
      const pending = now?.flags.some((f) => f === DISK_ADDING || f === DISK_REMOVE_REQUESTED || f === DISK_REMOVING)
      if (diskless) return pending ? `Removal of the disk of resource '${rsc.rscDfn}' on '${rsc.node}' is under way` : `Removed disk from resource '${rsc.rscDfn}' on '${rsc.node}'`
      return pending ? `Created the disk of resource '${rsc.rscDfn}' on '${rsc.node}'; DRBD attaches it and syncs it from the peers`
        : `Added disk to resource '${rsc.rscDfn}' on '${rsc.node}'`
    }
    return [registered, ...await deploymentReplies(deps, [rsc], ok, outcome)]
  }

  const ctx = (body?: string) => ({op: 'modify' as const, obj: 'rsc' as const, body})

  r.put(`${base}/toggle-disk`, mutation(ctx('ToggleDiskRequest'), async (req, _res, ok) => {
    const o = asApiFailure(() => object(req.body ?? {}, 'toggle-disk request'))
    const operation = asApiFailure(() => optEnum(typeof o.operation === 'string' ? o.operation.toUpperCase() : o.operation, 'operation', OPERATIONS))
    const pool = asApiFailure(() => optString(o.storage_pool, 'storage_pool'))
    const migrateFrom = asApiFailure(() => optString(o.migrate_from, 'migrate_from'))
    if (migrateFrom && operation && operation !== 'INTO_DRBD_DISKFUL') {
      throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: "'migrate_from' moves a disk: it needs the operation INTO_DRBD_DISKFUL."})
    }
    return toggle(req, {diskless: operation === undefined ? (migrateFrom ? false : undefined) : operation !== 'INTO_DRBD_DISKFUL',
      pool, migrateFrom, layers: readLayerStack(o.layer_list, 'layer_list')}, ok)
  }, 200))

  r.put(`${base}/toggle-disk/diskless`, mutation(ctx(), (req, _res, ok) => toggle(req, {diskless: true}, ok), 200))
  r.put(`${base}/toggle-disk/diskless/:pool`, mutation(ctx(), (req, _res, ok) => toggle(req, {diskless: true, pool: req.params.pool as string}, ok), 200))
  r.put(`${base}/toggle-disk/diskful`, mutation(ctx('ToggleDiskDiskful'), (req, _res, ok) =>
    toggle(req, {diskless: false, layers: layersOf(req.body)}, ok), 200))
  r.put(`${base}/toggle-disk/diskful/:sp`, mutation(ctx('ToggleDiskDiskful'), (req, _res, ok) =>
    toggle(req, {diskless: false, pool: req.params.sp as string, layers: layersOf(req.body)}, ok), 200))
  r.put(`${base}/migrate-disk/:from`, mutation(ctx('ToggleDiskDiskful'), (req, _res, ok) =>
    toggle(req, {diskless: false, migrateFrom: req.params.from as string, layers: layersOf(req.body)}, ok), 200))
  r.put(`${base}/migrate-disk/:from/:sp`, mutation(ctx(), (req, _res, ok) =>
    toggle(req, {diskless: false, migrateFrom: req.params.from as string, pool: req.params.sp as string}, ok), 200))

  for (const active of [true, false]) {
    r.post(`${base}/${active ? 'activate' : 'deactivate'}`, mutation(ctx(), async (req, _res, ok) => {
      const {rd, node} = req.params as {rd: string, node: string}
      const {rsc, changes, noop} = setActive(store.state, rd, node, active, inUse(deps))
      if (noop) return [ok(Rc.INFO_NOOP, noop)]
      await store.commit(changes)
      // The peers stop (or start again) connecting to it.
      void link.kick(rscsOf(store.state, rsc.rscDfn).map((x) => x.node).filter((n) => nameKey(n) !== nameKey(rsc.node)))
      return deploymentReplies(deps, [rsc], ok, (x) => `Resource ${active ? 'activated' : 'deactivated'} on ${x.node}`)
    }, 200))
  }
}
