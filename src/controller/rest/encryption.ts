// /v1/encryption/passphrase: the master passphrase, as LINSTOR's Encryption endpoints serve it.
// POST creates (201), PUT modifies (200), PATCH enters (200, the body is a JSON string), GET
// tells whether it is unset, locked or unlocked. Passphrases are never logged nor echoed.
import type {Router} from 'express'
import {Rc} from '../../common/api-call-rc.ts'
import {createCryptHolder} from '../crypt-holder.ts'
import {createPassphrase, enterPassphrase, modifyPassphrase, passphraseStatus} from '../model/encryption.ts'
import {ApiFailure} from '../model/api-failure.ts'
import type {RestDeps} from './deps.ts'
import {mutation, sendJson} from './reply.ts'

const PATH = '/v1/encryption/passphrase'

export function encryptionRoutes(r: Router, deps: RestDeps): void {
  // An app built without a holder (tests) still gets one, shared by every router through deps.
  const crypt = (deps.crypt ??= createCryptHolder())
  const {store, link} = deps

  /** With the key in memory, satellites get their LUKS keys on a full sync (nothing in the store changed). */
  const unlocked = (key: Buffer): void => {
    crypt.set(key)
    void link.kick()
  }

  // LINSTOR's Encryption.java answers one object, although the contract draws a list.
  r.get(PATH, (_req, res) => {
    sendJson(res, 200, {status: passphraseStatus(store.state, crypt.masterKey())})
  })

  r.post(PATH, mutation({op: 'create', obj: 'ctrlConf', body: 'PassPhraseCreate'}, async (req, _res, ok) => {
    const body = (req.body ?? {}) as {new_passphrase?: unknown}
    const {masterKey, changes} = createPassphrase(store.state, body.new_passphrase)
    await store.commit(changes)
    unlocked(masterKey)
    return [ok(Rc.CREATED, {message: 'Crypt passphrase created.'})]
  }, 201))

  r.put(PATH, mutation({op: 'modify', obj: 'ctrlConf', body: 'PassPhraseCreate'}, async (req, _res, ok) => {
    const body = (req.body ?? {}) as {new_passphrase?: unknown, old_passphrase?: unknown}
    const {masterKey, changes} = modifyPassphrase(store.state, body.old_passphrase, body.new_passphrase)
    await store.commit(changes)
    unlocked(masterKey)
    return [ok(Rc.MODIFIED, {message: 'Crypt passphrase updated'})]
  }, 200))

  r.patch(PATH, mutation({op: 'modify', obj: 'ctrlConf'}, async (req, _res, ok) => {
    if (typeof req.body !== 'string') {
      throw new ApiFailure(Rc.API_CALL_PARSE_ERROR, {message: 'Unable to parse input json.',
        details: 'The body must be the passphrase as a JSON string, e.g. "my passphrase".',
        cause: 'The request does not match the LINSTOR REST API contract (PassPhraseEnter).', correction: 'Send the passphrase as a JSON string.'})
    }
    unlocked(enterPassphrase(store.state, req.body))
    return [ok(Rc.PASSPHRASE_ACCEPTED, {message: 'Passphrase accepted'})]
  }, 200))
}
