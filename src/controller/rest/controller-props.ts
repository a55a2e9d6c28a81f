// /v1/controller/properties: list, modify (ControllerPropsModify) and delete one key.
import type {Router} from 'express'
import {rc} from '../../common/api-call-rc.ts'
import {deleteCtrlProp, modifyCtrlProps, visibleCtrlProps} from '../model/controller-props.ts'
import type {RestDeps} from './deps.ts'
import {mutation, sendJson} from './reply.ts'

export function controllerPropsRoutes(r: Router, deps: RestDeps): void {
  const {store} = deps

  r.get('/v1/controller/properties', (_req, res) => {
    sendJson(res, 200, visibleCtrlProps(store.state))
  })

  // LINSTOR answers 201 here, with CREATED for each key set and DELETED for each key removed.
  r.post('/v1/controller/properties', mutation({op: 'modify', obj: 'ctrlConf', body: 'ControllerPropsModify'}, async (req) => {
    const {changes, notes} = modifyCtrlProps(store.state, req.body)
    if (changes.length) await store.commit(changes)
    return notes.map((n) => rc(n.code, n.text, n.op, 'ctrlConf'))
  }, 201))

  // The key may contain slashes ("DrbdOptions/Net/protocol"): everything after properties/ is the key.
  r.delete('/v1/controller/properties/*key', mutation({op: 'delete', obj: 'ctrlConf'}, async (req) => {
    const key = ([] as string[]).concat(req.params.key ?? []).join('/')
    const {changes, note} = deleteCtrlProp(store.state, key)
    if (changes.length) await store.commit(changes)
    return [rc(note.code, note.text, note.op, 'ctrlConf')]
  }, 200))
}
