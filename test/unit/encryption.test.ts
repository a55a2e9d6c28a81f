// The master passphrase (create, enter, modify, wrong and missing passphrases, status), the LUKS
// volume keys sealed with it, and the property that no secret ever shows in what the REST API
// returns: an app over an in-memory store is walked with several generated secrets.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {createServer, type Server} from 'node:http'
import {describe, test} from 'node:test'
import {Rc} from '../../src/common/api-call-rc.ts'
import type {Logger} from '../../src/common/log.ts'
import {createCryptHolder} from '../../src/controller/crypt-holder.ts'
import type {SatelliteLink} from '../../src/controller/link/satellite-link.ts'
import {desiredStateFor} from '../../src/controller/model/desired-state.ts'
import {createPassphrase, cryptRecordOf, ENCRYPTION_KEY, enterPassphrase, modifyPassphrase, openSecret, passphraseStatus,
  sealSecret} from '../../src/controller/model/encryption.ts'
import {givenPassphrases, LUKS2_HEADER_KIB, luksKeyOf, withLuksKeys} from '../../src/controller/model/luks-keys.ts'
import {createRscDfn, createVlmDfn} from '../../src/controller/model/resource-definition.ts'
import {createResources} from '../../src/controller/model/resource.ts'
import {applyChanges, emptyState, type Change, type ClusterState} from '../../src/controller/model/state.ts'
import {visibleCtrlProps} from '../../src/controller/model/controller-props.ts'
import type {ReportBook} from '../../src/controller/reports/report-book.ts'
import {buildApp} from '../../src/controller/rest/app.ts'
import type {Store} from '../../src/controller/store/store.ts'
import {apply, counterIds, failsWith} from '../support/model.ts'

describe('master passphrase', () => {
  test('unset → create unlocks; the record holds no passphrase and is not a visible controller property', () => {
    const state = emptyState()
    assert.equal(passphraseStatus(state, undefined), 'unset')
    const {masterKey, changes} = createPassphrase(state, 'first pass')
    apply(state, changes)
    assert.equal(masterKey.length, 32)
    assert.equal(passphraseStatus(state, masterKey), 'unlocked')
    assert.equal(passphraseStatus(state, undefined), 'locked')
    const stored = JSON.stringify(state.ctrlProps[ENCRYPTION_KEY])
    assert.ok(!stored.includes('first pass'))
    assert.ok(!stored.includes(masterKey.toString('base64')) && !stored.includes(masterKey.toString('hex')))
    assert.deepEqual(Object.keys(cryptRecordOf(state) ?? {}).sort(), ['blockSize', 'cost', 'kdf', 'parallel', 'salt', 'verifier', 'wrappedKey'])
    assert.deepEqual(visibleCtrlProps(state), {})
  })

  test('create twice is FAIL_EXISTS_CRYPT_PASSPHRASE; an empty passphrase is FAIL_INVLD_CRYPT_PASSPHRASE', () => {
    const state = emptyState()
    failsWith(() => createPassphrase(state, ''), Rc.FAIL_INVLD_CRYPT_PASSPHRASE)
    failsWith(() => createPassphrase(state, undefined), Rc.FAIL_INVLD_CRYPT_PASSPHRASE)
    apply(state, createPassphrase(state, 'p').changes)
    failsWith(() => createPassphrase(state, 'q'), Rc.FAIL_EXISTS_CRYPT_PASSPHRASE, /already exists/)
  })

  test('enter gives back the same master key; a wrong one is refused as LINSTOR does', () => {
    const state = emptyState()
    failsWith(() => enterPassphrase(state, 'x'), Rc.FAIL_MISSING_PROPS, /nothing to enter/)
    const {masterKey, changes} = createPassphrase(state, 'correct horse')
    apply(state, changes)
    assert.deepEqual(enterPassphrase(state, 'correct horse'), masterKey)
    const e = failsWith(() => enterPassphrase(state, 'battery staple'), Rc.FAIL_MISSING_PROPS, /incorrect/)
    assert.equal(e.text.cause, 'Wrong passphrase')
    failsWith(() => enterPassphrase(state, 42), Rc.FAIL_MISSING_PROPS)
  })

  test('modify needs the old passphrase and re-wraps the same master key: sealed secrets stay readable', () => {
    const state = emptyState()
    failsWith(() => modifyPassphrase(state, 'a', 'b'), Rc.FAIL_EXISTS_CRYPT_PASSPHRASE, /does not exist/)
    const first = createPassphrase(state, 'old one')
    apply(state, first.changes)
    const sealed = sealSecret(first.masterKey, 'luks volume key')
    failsWith(() => modifyPassphrase(state, 'not it', 'new one'), Rc.FAIL_MISSING_PROPS, /incorrect/)
    failsWith(() => modifyPassphrase(state, 'old one', ''), Rc.FAIL_INVLD_CRYPT_PASSPHRASE)
    const next = modifyPassphrase(state, 'old one', 'new one')
    apply(state, next.changes)
    assert.deepEqual(next.masterKey, first.masterKey)
    failsWith(() => enterPassphrase(state, 'old one'), Rc.FAIL_MISSING_PROPS)
    const key = enterPassphrase(state, 'new one')
    assert.equal(openSecret(key, sealed), 'luks volume key')
  })

  test('a damaged record is told apart from a wrong passphrase', () => {
    const state = emptyState()
    apply(state, createPassphrase(state, 'pw').changes)
    const props = {...state.ctrlProps[ENCRYPTION_KEY]?.props as Record<string, string>}
    const raw = Buffer.from(props.wrappedKey as string, 'base64')
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 0xff, raw.length - 1)
    apply(state, [{t: 'ctrlProps', k: ENCRYPTION_KEY, v: {props: {...props, wrappedKey: raw.toString('base64')}}}])
    failsWith(() => enterPassphrase(state, 'pw'), Rc.FAIL_INVLD_CRYPT_PASSPHRASE, /decrypt/)
  })

  test('secrets sealed with one master key do not open with another', () => {
    const sealed = sealSecret(randomBytes(32), 'x')
    assert.throws(() => openSecret(randomBytes(32), sealed))
  })
})

/** A cluster with one node and pool, a LUKS resource definition 'enc' with one volume, and a master key. */
function luksCluster(unlocked: boolean): {state: ClusterState, masterKey: Buffer | undefined, ids: ReturnType<typeof counterIds>} {
  const state = emptyState()
  const ids = counterIds()
  apply(state, [
    {t: 'nodes', k: 'N1', v: {name: 'n1', type: 'SATELLITE', props: {}, flags: [], netIfs: [], uuid: 'n'}},
    {t: 'storPools', k: 'N1/DFLTSTORPOOL', v: {node: 'n1', name: 'DfltStorPool', kind: 'FILE_THIN', props: {}, uuid: 'p'}},
    {t: 'rscGrps', k: 'DFLTRSCGRP', v: {name: 'DfltRscGrp', props: {}, selectFilter: {}, uuid: 'g'}},
  ])
  const created = createPassphrase(state, 'pw')
  apply(state, created.changes)
  return {state, masterKey: unlocked ? created.masterKey : undefined, ids}
}

describe('LUKS volume keys', () => {
  test('a volume definition of a LUKS definition gets a sealed random key; without the master key it is refused', () => {
    const {state, masterKey, ids} = luksCluster(true)
    const rd = createRscDfn(state, {resource_definition: {name: 'enc', layer_data: [{type: 'LUKS'}, {type: 'STORAGE'}]}}, ids)
    apply(state, rd.changes)
    const vd = createVlmDfn(state, rd.rd, {volume_definition: {size_kib: 1024}}, ids)
    failsWith(() => withLuksKeys(state, vd.changes, {masterKey: undefined}), Rc.FAIL_NOT_FOUND_CRYPT_KEY, /master key/)
    apply(state, withLuksKeys(state, vd.changes, {masterKey}))
    const rec = state.vlmDfns['ENC/0']
    assert.ok(rec?.luksKey)
    const clear = luksKeyOf(rec, masterKey)
    assert.ok(clear && clear.length >= 40 && !rec.luksKey.includes(clear))
    assert.equal(luksKeyOf(rec, undefined), undefined)
    assert.equal(luksKeyOf(rec, randomBytes(32)), undefined)
  })

  test('a given passphrase is used; definitions without LUKS get no key', () => {
    const {state, masterKey, ids} = luksCluster(true)
    const plain = createRscDfn(state, {resource_definition: {name: 'plain', layer_data: [{type: 'STORAGE'}]}}, ids)
    apply(state, plain.changes)
    apply(state, withLuksKeys(state, createVlmDfn(state, plain.rd, {volume_definition: {size_kib: 1024}}, ids).changes, {masterKey}))
    assert.equal(state.vlmDfns['PLAIN/0']?.luksKey, undefined)
    const enc = createRscDfn(state, {resource_definition: {name: 'enc', layer_data: [{type: 'DRBD'}, {type: 'LUKS'}, {type: 'STORAGE'}]}}, ids)
    apply(state, enc.changes)
    const vd = createVlmDfn(state, enc.rd, {volume_definition: {volume_number: 3, size_kib: 1024}}, ids)
    apply(state, withLuksKeys(state, vd.changes, {masterKey, given: givenPassphrases(['my own key'], [3])}))
    assert.equal(luksKeyOf(state.vlmDfns['ENC/3'] as never, masterKey), 'my own key')
    failsWith(() => givenPassphrases('nope', [0]), Rc.FAIL_INVLD_CRYPT_PASSPHRASE)
  })

  test('a LUKS resource is refused while locked; once unlocked the desired state carries the clear key and a larger volume', () => {
    const locked = luksCluster(false)
    const rd = createRscDfn(locked.state, {resource_definition: {name: 'enc', layer_data: [{type: 'STORAGE'}]}}, locked.ids)
    apply(locked.state, rd.changes)
    apply(locked.state, withLuksKeys(locked.state, createVlmDfn(locked.state, rd.rd, {volume_definition: {size_kib: 4096}}, locked.ids).changes,
      {masterKey: undefined}))
    const rscs = createResources(locked.state, rd.rd, [{node: 'n1', diskless: false, layers: ['LUKS', 'STORAGE']}], locked.ids)
    failsWith(() => withLuksKeys(locked.state, rscs.changes, {masterKey: undefined}), Rc.FAIL_NOT_FOUND_CRYPT_KEY, /LUKS/)

    const masterKey = enterPassphrase(locked.state, 'pw')
    const changes: Change[] = withLuksKeys(locked.state, rscs.changes, {masterKey})
    apply(locked.state, changes)
    const desired = desiredStateFor(locked.state, 'n1', masterKey)
    assert.equal(desired.volumes[0]?.sizeKib, 4096 + LUKS2_HEADER_KIB)
    const clear = luksKeyOf(locked.state.vlmDfns['ENC/0'] as never, masterKey)
    assert.deepEqual(desired.luks, [{rsc: 'enc', vlmNr: 0, present: true, key: clear}])
    // Locked again (a restart): the volume stays wanted, but no key goes out.
    assert.deepEqual(desiredStateFor(locked.state, 'n1').luks, [{rsc: 'enc', vlmNr: 0, present: true}])
  })
})

const quietLog: Logger = {error() {}, warn() {}, info() {}, debug() {}, child: () => quietLog}

function memoryStore(): Store {
  const state = emptyState()
  return {state, commit: async (c) => void (applyChanges(state, c), state.seq++), compact: async () => {}, close: async () => {}}
}

/** Only what the REST layer uses; the rest of the link does not matter to these calls. */
const offlineLink = {runtime: () => ({status: 'OFFLINE'}), kick: async () => {}, call: async () => ({}), stop: () => {}} as Partial<SatelliteLink> as SatelliteLink

async function listening(server: Server): Promise<string> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return `http://127.0.0.1:${(server.address() as {port: number}).port}`
}

describe('no secret in what the REST API returns', () => {
  test('property: for generated passphrases, no reply of any call contains a passphrase, the master key or a volume key', async () => {
    for (let round = 0; round < 4; round++) {
      const master = `m-${randomBytes(9).toString('base64url')}`
      const newMaster = `n-${randomBytes(9).toString('base64url')}`
      const volumePass = `v-${randomBytes(9).toString('base64url')}`
      const store = memoryStore()
      const crypt = createCryptHolder()
      const reports = {add: () => 'r', ingest: () => new Map(), idOf: () => 'r', list: () => [], get: () => undefined, remove: async () => 0,
        count: () => 0, flush: async () => {}} as unknown as ReportBook
      const server = createServer(buildApp({store, link: offlineLink, ids: counterIds(), reports, log: quietLog, pending: new Set(), crypt}))
      const base = await listening(server)
      const texts: string[] = []
      const call = async (method: string, path: string, body?: unknown): Promise<number> => {
        const res = await fetch(base + path, {method, body: body === undefined ? undefined : JSON.stringify(body), headers: {'content-type': 'application/json'}})
        texts.push(await res.text())
        return res.status
      }
      try {
        assert.equal(await call('PATCH', '/v1/encryption/passphrase', master), 500)
        assert.equal(await call('POST', '/v1/encryption/passphrase', {new_passphrase: master}), 201)
        assert.equal(await call('POST', '/v1/encryption/passphrase', {new_passphrase: master}), 500)
        assert.equal(await call('PATCH', '/v1/encryption/passphrase', `${master}-wrong`), 500)
        assert.equal(await call('PUT', '/v1/encryption/passphrase', {old_passphrase: `${master}-wrong`, new_passphrase: newMaster}), 500)
        assert.equal(await call('PUT', '/v1/encryption/passphrase', {old_passphrase: master, new_passphrase: newMaster}), 200)
        assert.equal(await call('PATCH', '/v1/encryption/passphrase', newMaster), 200)
        await call('POST', '/v1/resource-groups', {name: 'crypt', select_filter: {place_count: 1, layer_stack: ['LUKS', 'STORAGE']}})
        await call('POST', '/v1/resource-groups/crypt/spawn', {resource_definition_name: 'enc', volume_sizes: [1024, 2048],
          volume_passphrases: [volumePass], definitions_only: true})
        await call('POST', '/v1/resource-definitions', {resource_definition: {name: 'enc2', resource_group_name: 'crypt', layer_data: [{type: 'LUKS'}, {type: 'STORAGE'}]}})
        await call('POST', '/v1/resource-definitions/enc2/volume-definitions', {volume_definition: {size_kib: 1024}, passphrase: volumePass})
        for (const path of ['/v1/encryption/passphrase', '/v1/controller/properties', '/v1/resource-definitions?with_volume_definitions=true',
          '/v1/resource-definitions/enc/volume-definitions', '/v1/resource-definitions/enc2/volume-definitions/0', '/v1/resource-groups',
          '/v1/view/resources', '/v1/key-value-store']) {
          assert.equal(await call('GET', path), 200, `${path} ${texts.slice(-4, -1).join('\n')}`)
        }
        const masterKey = crypt.masterKey() as Buffer
        const vds = Object.values(store.state.vlmDfns)
        assert.equal(vds.filter((v) => v.luksKey).length, 3)
        const secrets = [master, newMaster, volumePass, masterKey.toString('base64'), masterKey.toString('hex'),
          ...vds.flatMap((v) => [v.luksKey as string, luksKeyOf(v, masterKey) as string])]
        for (const t of texts) for (const s of secrets) assert.ok(!t.includes(s), `a reply leaks a secret: ${t.slice(0, 200)}`)
        assert.match(texts.at(-8) ?? '', /"status":"unlocked"/)
      } finally {
        server.close()
      }
    }
  })
})
