// First start of combined mode: register this host as a COMBINED node and give it a FILE_THIN
// pool named DfltStorPool (the name LINSTOR falls back to), so a fresh machine can create volumes.
// Done once: a pool the administrator deletes later stays deleted.
import {networkInterfaces} from 'node:os'
import type {Settings} from '../common/config.ts'
import type {Logger} from '../common/log.ts'
import {nameKey} from '../common/names.ts'
import {createNode} from '../controller/model/node.ts'
import {createStorPool} from '../controller/model/storage-pool.ts'
import {key2, type Change} from '../controller/model/state.ts'
import type {RunningController} from './controller-service.ts'

const MARK = 'Cairn/CombinedBootstrap'
export const DEFAULT_POOL = 'DfltStorPool'

function nodeAddress(s: Settings): string {
  const bind = s['satellite-address']
  if (bind !== '::' && bind !== '0.0.0.0') return bind
  const v4 = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)
  return v4?.address ?? '127.0.0.1'
}

export async function bootstrapCombined(ctrl: RunningController, s: Settings, log: Logger): Promise<void> {
  const {store, ids} = ctrl
  const ctrlProps = store.state.ctrlProps.CTRL?.props ?? {}
  if (ctrlProps[MARK]) return
  const name = s['node-name']
  if (!store.state.nodes[nameKey(name)]) {
    const {changes} = createNode(store.state, {
      name, type: 'COMBINED',
      net_interfaces: [{name: 'default', address: nodeAddress(s), satellite_port: s['satellite-port'], satellite_encryption_type: 'PLAIN'}],
    }, ids)
    await store.commit(changes)
    log.info('registered this host as a COMBINED node', {node: name})
  }
  const changes: Change[] = [{t: 'ctrlProps', k: 'CTRL', v: {props: {...ctrlProps, [MARK]: name}}}]
  if (!store.state.storPools[key2(name, DEFAULT_POOL)]) {
    changes.push(...createStorPool(store.state, name, {
      storage_pool_name: DEFAULT_POOL, provider_kind: 'FILE_THIN', props: {'StorDriver/FileDir': s['default-pool-dir']},
    }, ids).changes)
    log.info('created the default FILE_THIN storage pool', {pool: DEFAULT_POOL, dir: s['default-pool-dir']})
  }
  await store.commit(changes)
  await ctrl.link.kick([name])
}
