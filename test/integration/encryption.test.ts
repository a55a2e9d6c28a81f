// The master passphrase on a real combined node: /v1/encryption/passphrase with LINSTOR's status
// and ret codes, automatic create/enter from MASTER_PASSPHRASE and [encrypt] passphrase across
// restarts (the file winning), LUKS resources refused while locked and, once unlocked, reported
// failed with the reason on this host (no dm-crypt here), the `encryption` CLI commands, and no
// passphrase in the log or the controller properties at any point.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {Rc, withContext, type ObjKind, type OpKind} from '../../src/common/api-call-rc.ts'
import {validateAgainst, validateListOf} from '../support/openapi.ts'
import {api, cleanup, cli, freePort, startDaemon, tempDir, waitFor, waitHealthy, type Daemon} from '../support/cluster.ts'

const NODE = 'crypt-node'
const P1 = 'first-Passphrase-7d1f'
const P2 = 'second-Passphrase-93ab'
const WRONG = 'wrong-Passphrase-55c0'
const VOLUME_PASS = 'volume-Passphrase-e2c4'
const ALL_SECRETS = [P1, P2, WRONG, VOLUME_PASS]

interface RcEntry {ret_code: bigint | number, message: string, cause?: string, details?: string}
const signed = (c: bigint | number): bigint => BigInt.asIntN(64, BigInt(c))
const code = (c: bigint, op?: OpKind, obj?: ObjKind): bigint => withContext(c, op, obj)

describe('master passphrase and LUKS volumes', () => {
  let dir: string
  let base: string
  let args: string[]
  let daemon: Daemon | undefined
  /** Everything every controller process of this test wrote. */
  let logs = ''

  const start = async (env: Record<string, string> = {}, extra: string[] = []): Promise<void> => {
    daemon = startDaemon([...args, ...extra], env)
    await waitHealthy(base, 30_000)
  }
  const stop = async (): Promise<void> => {
    await daemon?.stop('SIGTERM')
    logs += daemon?.output() ?? ''
    daemon = undefined
  }
  const call = (method: string, path: string, body?: unknown): ReturnType<typeof api> => api(base, method, path, body)
  const expectRcs = (r: {status: number, body: unknown}, status: number, codes: bigint[], messages: RegExp[] = []): RcEntry[] => {
    assert.equal(r.status, status, JSON.stringify(r.body, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
    assert.deepEqual(validateListOf('ApiCallRc', r.body), [])
    const list = r.body as RcEntry[]
    assert.deepEqual(list.map((e) => signed(e.ret_code)), codes.map(signed))
    messages.forEach((m, i) => assert.match(list[i]?.message ?? '', m))
    return list
  }
  const status = async (): Promise<string> => {
    const r = await call('GET', '/v1/encryption/passphrase')
    assert.equal(r.status, 200)
    assert.deepEqual(validateAgainst('PassphraseStatus', r.body), [])
    return (r.body as {status: string}).status
  }
  const luksResourceRefused = async (): Promise<void> => {
    const r = await call('POST', `/v1/resource-definitions/data/resources/${NODE}`, {resource: {node_name: NODE}, layer_list: ['LUKS', 'STORAGE']})
    expectRcs(r, 404, [code(Rc.FAIL_NOT_FOUND_CRYPT_KEY, 'create', 'rsc')], [/master key/])
  }

  before(async () => {
    dir = await tempDir()
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    args = ['combined', '--data-dir', dir, '--rest-address', '127.0.0.1', '--rest-port', String(port),
      '--satellite-address', '127.0.0.1', '--satellite-port', String(await freePort()), '--node-name', NODE]
    await start()
  })

  after(async () => {
    await daemon?.stop('SIGKILL')
    await cleanup(dir)
  })

  test('unset: status, no enter or modify, and encrypted objects are refused', async () => {
    assert.equal(await status(), 'unset')
    expectRcs(await call('PATCH', '/v1/encryption/passphrase', P1), 500, [code(Rc.FAIL_MISSING_PROPS, 'modify', 'ctrlConf')])
    expectRcs(await call('PUT', '/v1/encryption/passphrase', {old_passphrase: P1, new_passphrase: P2}), 500,
      [code(Rc.FAIL_EXISTS_CRYPT_PASSPHRASE, 'modify', 'ctrlConf')], [/does not exist/])
    expectRcs(await call('POST', '/v1/resource-definitions', {resource_definition: {name: 'data', layer_data: [{type: 'STORAGE'}]}}), 201,
      [code(Rc.CREATED, 'create', 'rscDfn')])
    expectRcs(await call('POST', '/v1/resource-definitions/data/volume-definitions', {volume_definition: {size_kib: 8192}}), 200,
      [code(Rc.CREATED, 'create', 'vlmDfn')])
    await luksResourceRefused()
    expectRcs(await call('POST', '/v1/resource-definitions', {resource_definition: {name: 'enc', layer_data: [{type: 'LUKS'}, {type: 'STORAGE'}]}}), 201,
      [code(Rc.CREATED, 'create', 'rscDfn'), code(Rc.WARN_NOT_FOUND_CRYPT_KEY, 'create', 'rscDfn')], [/created/, /master key has not yet been set/])
    expectRcs(await call('POST', '/v1/resource-definitions/enc/volume-definitions', {volume_definition: {size_kib: 8192}, passphrase: VOLUME_PASS}), 404,
      [code(Rc.FAIL_NOT_FOUND_CRYPT_KEY, 'create', 'vlmDfn')], [/encrypted volume definition without having a master key/])
  })

  test('create (201), create again (refused), modify with the wrong and the right old passphrase', async () => {
    expectRcs(await call('POST', '/v1/encryption/passphrase', {new_passphrase: P1}), 201, [code(Rc.CREATED, 'create', 'ctrlConf')], [/created/])
    assert.equal(await status(), 'unlocked')
    expectRcs(await call('POST', '/v1/encryption/passphrase', {new_passphrase: P2}), 500,
      [code(Rc.FAIL_EXISTS_CRYPT_PASSPHRASE, 'create', 'ctrlConf')], [/already exists/])
    expectRcs(await call('PUT', '/v1/encryption/passphrase', {old_passphrase: WRONG, new_passphrase: P2}), 500,
      [code(Rc.FAIL_MISSING_PROPS, 'modify', 'ctrlConf')], [/incorrect/])
    expectRcs(await call('PUT', '/v1/encryption/passphrase', {old_passphrase: P1, new_passphrase: P2}), 200, [code(Rc.MODIFIED, 'modify', 'ctrlConf')])
    expectRcs(await call('POST', '/v1/resource-definitions/enc/volume-definitions', {volume_definition: {size_kib: 8192}, passphrase: VOLUME_PASS}), 200,
      [code(Rc.CREATED, 'create', 'vlmDfn')])
  })

  test('after a restart: locked, LUKS refused, a wrong entry refused, the right one accepted', async () => {
    await stop()
    await start()
    assert.equal(await status(), 'locked')
    await luksResourceRefused()
    expectRcs(await call('PATCH', '/v1/encryption/passphrase', WRONG), 500, [code(Rc.FAIL_MISSING_PROPS, 'modify', 'ctrlConf')], [/incorrect/])
    expectRcs(await call('PATCH', '/v1/encryption/passphrase', {passphrase: P2}), 400, [Rc.API_CALL_PARSE_ERROR])
    expectRcs(await call('PATCH', '/v1/encryption/passphrase', P2), 200, [code(Rc.PASSPHRASE_ACCEPTED, 'modify', 'ctrlConf')], [/accepted/])
    assert.equal(await status(), 'unlocked')
  })

  test('unlocked, a LUKS resource is created but this host has no dm-crypt: the node and the resource say why', async () => {
    const nodeView = await waitFor('the node online', async () => {
      const n = await call('GET', `/v1/nodes/${NODE}`)
      return (n.body as {connection_status?: string}).connection_status === 'ONLINE' ? n : undefined
    }, 30_000)
    const unsupported = (nodeView.body as {unsupported_layers?: Record<string, string[]>}).unsupported_layers
    assert.ok(unsupported?.LUKS?.length, JSON.stringify(nodeView.body))
    const reason = unsupported.LUKS.join('; ')
    const r = await call('POST', `/v1/resource-definitions/data/resources/${NODE}`, {resource: {node_name: NODE}, layer_list: ['LUKS', 'STORAGE']})
    const replies = r.body as RcEntry[]
    assert.ok(replies.some((e) => (e.details ?? '').includes(reason)), JSON.stringify(replies, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
    const view = await call('GET', `/v1/view/resources?resources=data`)
    assert.deepEqual(validateListOf('ResourceWithVolumes', view.body), [])
    const [rsc] = view.body as {layer_object: {type: string, luks?: {luks_volumes: {disk_state?: string, opened?: boolean}[]}, children?: {type: string}[]},
      volumes: {state?: {disk_state?: string}, reports?: {message: string}[], layer_data_list: {type: string}[]}[]}[]
    assert.equal(rsc?.layer_object.type, 'LUKS')
    assert.deepEqual(rsc.layer_object.children?.map((c) => c.type), ['STORAGE'])
    assert.deepEqual(rsc.layer_object.luks?.luks_volumes.map((v) => [v.disk_state, v.opened]), [['Failed', false]])
    assert.equal(rsc.volumes[0]?.state?.disk_state, 'Failed')
    assert.deepEqual(rsc.volumes[0]?.layer_data_list.map((l) => l.type), ['LUKS', 'STORAGE'])
    assert.match(rsc.volumes[0]?.reports?.[0]?.message ?? '', new RegExp(`LUKS cannot run on this node: .*${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    expectRcs(await call('DELETE', `/v1/resource-definitions/data/resources/${NODE}`), 200, [code(Rc.DELETED, 'delete', 'rsc')])
  })

  test('MASTER_PASSPHRASE enters it at start; a mismatch stays locked and says so; [encrypt] passphrase wins over it', async () => {
    await stop()
    await start({MASTER_PASSPHRASE: P2})
    assert.equal(await status(), 'unlocked')
    await stop()
    await start({MASTER_PASSPHRASE: WRONG})
    assert.equal(await status(), 'locked')
    await waitFor('the log line', async () => (/automatic entry of the master passphrase failed/.test(daemon?.output() ?? '') ? true : undefined))
    await stop()
    const config = join(dir, 'cairn.toml')
    await writeFile(config, `[encrypt]\npassphrase = "${P2}"\n`)
    await start({MASTER_PASSPHRASE: WRONG}, ['--config', config])
    assert.equal(await status(), 'unlocked')
  })

  test('a fresh controller with MASTER_PASSPHRASE creates it', async () => {
    const fresh = await tempDir()
    const port = await freePort()
    const d = startDaemon(['controller', '--data-dir', fresh, '--rest-address', '127.0.0.1', '--rest-port', String(port)], {MASTER_PASSPHRASE: P1})
    try {
      await waitHealthy(`http://127.0.0.1:${port}`, 30_000)
      const r = await api(`http://127.0.0.1:${port}`, 'GET', '/v1/encryption/passphrase')
      assert.deepEqual(r.body, {status: 'unlocked'})
    } finally {
      await d.stop('SIGTERM')
      logs += d.output()
      await cleanup(fresh)
    }
  })

  test('the encryption CLI commands (alias e)', async () => {
    const controllers = ['--controllers', base.replace('http://', '')]
    const entered = await cli(['e', 'ep', '--passphrase', P2, ...controllers])
    assert.equal(entered.code, 0, entered.stderr)
    assert.match(entered.stdout, /Passphrase accepted/)
    const again = await cli(['encryption', 'create-passphrase', '-p', P1, ...controllers])
    assert.equal(again.code, 10)
    assert.match(again.stderr, /already exists/)
    const modified = await cli(['encryption', 'modify-passphrase', '--old-passphrase', P2, '--new-passphrase', P1, ...controllers])
    assert.equal(modified.code, 0, modified.stderr)
    const back = await cli(['e', 'mp', '--old-passphrase', P1, '--new-passphrase', P2, ...controllers])
    assert.equal(back.code, 0, back.stderr)
    for (const out of [entered, again, modified, back]) for (const s of ALL_SECRETS) assert.ok(!(out.stdout + out.stderr).includes(s))
  })

  test('no passphrase in the controller properties, and none in any log line', async () => {
    const props = await call('GET', '/v1/controller/properties')
    assert.equal(props.status, 200)
    for (const s of ALL_SECRETS) assert.ok(!props.text.includes(s))
    assert.ok(!Object.keys(props.body as object).some((k) => /passphrase|encrypt|crypt/i.test(k)), props.text)
    await stop()
    assert.ok(logs.includes('master passphrase entered from the configuration'), 'the log should show the automatic entry')
    for (const s of ALL_SECRETS) assert.ok(!logs.includes(s), `the log shows a passphrase: ${s}`)
  })
})
