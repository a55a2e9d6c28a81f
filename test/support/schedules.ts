// A small cluster for the backup schedule tests: two nodes with a FILE_THIN pool, r1 deployed in
// DfltRscGrp, r2 deployed in group grp, r3 in grp without resources; remotes rem1 and rem2 (a
// LINSTOR remote each, or S3 ones) and schedules sch1 (full at 4:00, incremental hourly) and
// sch2 (full on Sundays).
import {nodeCronReader} from '../../src/controller/backups/cron.ts'
import {createNode} from '../../src/controller/model/node.ts'
import type {RemoteRec} from '../../src/controller/model/remote.ts'
import {createRscDfn} from '../../src/controller/model/resource-definition.ts'
import {createRscGrp, defaultGroupChanges} from '../../src/controller/model/resource-group.ts'
import {createSchedule} from '../../src/controller/model/schedule.ts'
import {spawn} from '../../src/controller/model/spawn.ts'
import {emptyState, type ClusterState} from '../../src/controller/model/state.ts'
import {createStorPool} from '../../src/controller/model/storage-pool.ts'
import {apply, counterIds} from './model.ts'

const sealed = {v: 1, iv: '', tag: '', data: ''} as const

export const remoteRec = (name: string, kind: 'linstor' | 's3'): RemoteRec => (kind === 'linstor'
  ? {kind, name, uuid: `u-${name}`, url: 'http://10.0.0.9:3370'}
  : {kind, name, uuid: `u-${name}`, endpoint: 'http://127.0.0.1:9', bucket: 'b', region: 'r', accessKey: sealed, secretKey: sealed, usePathStyle: true})

export function cluster(remoteKind: 'linstor' | 's3' = 'linstor'): {state: ClusterState, ids: ReturnType<typeof counterIds>} {
  const state = emptyState()
  const ids = counterIds()
  apply(state, defaultGroupChanges(state, ids))
  for (const n of ['n1', 'n2']) {
    apply(state, createNode(state, {name: n, type: 'SATELLITE', net_interfaces: [{name: 'default', address: '10.0.0.1'}]}, ids).changes)
    apply(state, createStorPool(state, n, {storage_pool_name: 'pool1', provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': '/p'}}, ids).changes)
  }
  apply(state, createRscGrp(state, {name: 'grp', select_filter: {place_count: 1, layer_stack: ['STORAGE']}}, ids).changes)
  const facts = {online: () => true, layers: () => undefined, providers: () => undefined, capacity: () => ({freeKib: 1e9, totalKib: 1e9})}
  apply(state, spawn(state, 'DfltRscGrp', {resource_definition_name: 'r1', volume_sizes: [100], select_filter: {layer_stack: ['STORAGE']}}, ids, facts).changes)
  apply(state, spawn(state, 'grp', {resource_definition_name: 'r2', volume_sizes: [100]}, ids, facts).changes)
  apply(state, createRscDfn(state, {resource_definition: {name: 'r3', resource_group_name: 'grp'}}, ids).changes)
  apply(state, ['rem1', 'rem2'].map((r) => ({t: 'remotes' as const, k: r.toUpperCase(), v: remoteRec(r, remoteKind)})))
  apply(state, createSchedule(state, {schedule_name: 'sch1', full_cron: '0 4 * * *', inc_cron: '0 * * * *'}, ids, nodeCronReader).changes)
  apply(state, createSchedule(state, {schedule_name: 'sch2', full_cron: '0 0 * * 0'}, ids, nodeCronReader).changes)
  return {state, ids}
}
