// /v1/key-value-store: named property maps kept for clients.
import type {Router} from 'express'
import {rc, Rc} from '../../common/api-call-rc.ts'
import {deleteKvs, kvsFind, kvsList, modifyKvs} from '../model/key-value-store.ts'
import type {RestDeps} from './deps.ts'
import {mutation, sendJson, sendRcs} from './reply.ts'

export function keyValueStoreRoutes(r: Router, deps: RestDeps): void {
  const {store, ids} = deps

  r.get('/v1/key-value-store', (_req, res) => {
    sendJson(res, 200, kvsList(store.state))
  })

  // A list even for one instance, as LINSTOR answers; 404 when nothing matches.
  r.get('/v1/key-value-store/:instance', (req, res) => {
    const list = kvsFind(store.state, req.params.instance)
    if (list.length) sendJson(res, 200, list)
    else sendRcs(res, [rc(Rc.FAIL_NOT_FOUND_KVS, {message: `Could not find key value store instance '${req.params.instance}'.`})], 200)
  })

  // LINSTOR reports a KVS modify as a controller-configuration modify.
  r.put('/v1/key-value-store/:instance', mutation({op: 'modify', obj: 'ctrlConf', body: 'KeyValueStoreModify'}, async (req, _res, ok) => {
    const {changes} = modifyKvs(store.state, req.params.instance as string, req.body, ids)
    if (changes.length) await store.commit(changes)
    return [ok(Rc.MODIFIED, {message: 'Successfully updated properties', obj_refs: {KeyValueStore: req.params.instance as string}})]
  }, 200))

  // LINSTOR's KVS delete replies carry no operation or object mask.
  r.delete('/v1/key-value-store/:instance', mutation({op: 'delete', obj: 'kvs'}, async (req) => {
    const name = req.params.instance as string
    const {changes, deleted} = deleteKvs(store.state, name)
    if (!deleted) return [rc(Rc.WARN_NOT_FOUND, {message: `Deletion of kvs '${name}' had no effect.`, cause: `Kvs '${name}' does not exist.`})]
    await store.commit(changes)
    return [rc(Rc.DELETED, {message: `Kvs '${deleted.name}' deleted.`, details: `Kvs '${deleted.name}' UUID was: ${deleted.uuid}`,
      obj_refs: {KeyValueStore: deleted.name, UUID: deleted.uuid}})]
  }, 200))
}
