// Remotes through a live `cairn combined` and a local S3 server in its own process: the REST
// endpoints with LINSTOR's status and ret codes, secrets sealed with the master passphrase and
// never listed, S3 settings tried before they are stored, the state surviving a restart (keys
// opening again once the passphrase is entered), and the `remote` commands of the CLI.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import {Obj, Rc, withContext, type ObjKind, type OpKind} from '../../src/common/api-call-rc.ts'
import {RemoteRc} from '../../src/controller/model/remote.ts'
import {useCombinedCli} from '../support/cli-session.ts'
import {api, startDaemon, waitHealthy} from '../support/cluster.ts'
import {expectRcs, validateAgainst, validateListOf} from '../support/openapi.ts'
import {startS3Server, type LocalS3} from '../support/s3-server.ts'

type Reply = Awaited<ReturnType<typeof api>>

const CLUSTER_ID = '0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9'
const code = (c: bigint, op?: OpKind, obj?: ObjKind): bigint => withContext(c, op, obj)


describe('remotes', () => {
  const session = useCombinedCli('remote-node')
  const {ok, fails, json, row} = session
  let s3: LocalS3
  let base: string
  const call = (method: string, path: string, body?: unknown): Promise<Reply> => api(base, method, path, body)
  const s3Body = (over: Record<string, unknown> = {}): Record<string, unknown> => ({remote_name: 'bak', endpoint: s3.endpoint, bucket: 'backups',
    region: 'us-east-1', access_key: s3.accessKey, secret_key: s3.secretKey, use_path_style: true, ...over})

  before(async () => {
    s3 = await startS3Server({buckets: ['backups']})
    base = session.c.base
  })

  after(async () => {
    await s3?.stop()
  })

  test('nothing at first: an empty RemoteList object and empty lists', async () => {
    const r = await call('GET', '/v1/remotes')
    assert.equal(r.status, 200)
    assert.deepEqual(r.body, {})
    assert.deepEqual((await call('GET', '/v1/remotes/s3')).body, [])
  })

  test('an S3 remote needs the master passphrase', async () => {
    // A "not found" class code, so 404 by LINSTOR's status rule.
    const [e] = expectRcs(await call('POST', '/v1/remotes/s3', s3Body()), 404, [code(Rc.FAIL_NOT_FOUND_CRYPT_KEY, 'modify', 'remote')])
    assert.match(e?.message ?? '', /without having a master key/)
    assert.deepEqual((await call('GET', '/v1/remotes')).body, {})
    expectRcs(await call('POST', '/v1/encryption/passphrase', {new_passphrase: 'remote-test-pass'}), 201, [code(Rc.CREATED, 'create', 'ctrlConf')])
  })

  test('S3 create: tried first; refused when S3 refuses, with an error report', async () => {
    const [e] = expectRcs(await call('POST', '/v1/remotes/s3', s3Body({secret_key: 'wrong'})), 500, [code(Rc.FAIL_UNKNOWN_ERROR | Obj.backup, 'modify')])
    assert.match(e?.message ?? '', /^The remote could not be reached with the given parameters and therefore wasn't created\./)
    assert.match(e?.details ?? '', /SignatureDoesNotMatch/)
    assert.equal(e?.error_report_ids?.length, 1)
    expectRcs(await call('POST', '/v1/remotes/s3', s3Body({bucket: 'nosuch'})), 500, [code(Rc.FAIL_UNKNOWN_ERROR | Obj.backup, 'modify')])
    assert.deepEqual((await call('GET', '/v1/remotes')).body, {})
  })

  test('S3 create: 201; listed without its keys; duplicates and missing fields refused', async () => {
    const [e] = expectRcs(await call('POST', '/v1/remotes/s3', s3Body({secret_key: 'S3RVER'})), 201, [code(Rc.CREATED, undefined, 'remote')])
    assert.equal(e?.message, 'Remote created')
    const r = await call('GET', '/v1/remotes')
    assert.deepEqual(validateAgainst('RemoteList', r.body), [])
    assert.deepEqual(r.body, {s3_remotes: [{remote_name: 'bak', endpoint: s3.endpoint, bucket: 'backups', region: 'us-east-1', use_path_style: true}]})
    assert.ok(!/access_key|secret_key|S3RVER/.test(r.text))
    assert.ok(!/S3RVER/.test((await call('GET', '/v1/remotes/s3')).text))
    expectRcs(await call('POST', '/v1/remotes/s3', s3Body({remote_name: 'BAK'})), 500, [code(RemoteRc.FAIL_EXISTS_REMOTE, 'modify', 'remote')])
    const [m] = expectRcs(await call('POST', '/v1/remotes/s3', {remote_name: 'x1', endpoint: s3.endpoint}), 500,
      [code(RemoteRc.FAIL_INVLD_BACKUP_CONFIG | Obj.backup, 'modify')])
    assert.equal(m?.message, 'The remote could not be created because the following required parameters are missing: [bucket, region, access_key, secret_key]')
    expectRcs(await call('POST', '/v1/remotes/s3', s3Body({remote_name: 'bad name'})), 500, [code(RemoteRc.FAIL_INVLD_REMOTE_NAME, 'modify', 'remote')])
    expectRcs(await call('POST', '/v1/remotes/s3', {...s3Body(), extra: 1}), 400, [Rc.API_CALL_PARSE_ERROR])
  })

  test('S3 modify: tried with the new settings; 200; 404 for an unknown remote', async () => {
    const [e] = expectRcs(await call('PUT', '/v1/remotes/s3/bak', {bucket: 'nosuch'}), 500, [code(Rc.FAIL_UNKNOWN_ERROR | Obj.backup, 'modify')])
    assert.match(e?.message ?? '', /therefore wasn't modified/)
    expectRcs(await call('PUT', '/v1/remotes/s3/bak', {region: 'eu-west-1', secret_key: s3.secretKey}), 200, [code(Rc.MODIFIED, undefined, 'remote')])
    assert.equal(((await call('GET', '/v1/remotes/s3')).body as {region: string}[])[0]?.region, 'eu-west-1')
    const [n] = expectRcs(await call('PUT', '/v1/remotes/s3/nope', {region: 'x'}), 404, [code(RemoteRc.FAIL_NOT_FOUND_REMOTE, 'modify', 'remote')])
    assert.equal(n?.message, "Remote 'nope' not registered.")
  })

  test('LINSTOR remotes: create (201), modify (200), filter, wrong kind, bad cluster id', async () => {
    expectRcs(await call('POST', '/v1/remotes/linstor', {remote_name: 'dr', url: '10.0.0.9', cluster_id: CLUSTER_ID}), 201, [Rc.CREATED])
    expectRcs(await call('PUT', '/v1/remotes/linstor/dr', {url: 'https://10.0.0.10'}), 200, [Rc.MODIFIED])
    const r = await call('GET', '/v1/remotes?remote_name=DR')
    assert.deepEqual(r.body, {linstor_remotes: [{remote_name: 'dr', url: 'https://10.0.0.10:3371', cluster_id: CLUSTER_ID}]})
    assert.deepEqual(validateListOf('LinstorRemote', (await call('GET', '/v1/remotes/linstor')).body), [])
    expectRcs(await call('PUT', '/v1/remotes/s3/dr', {region: 'x'}), 500, [code(RemoteRc.FAIL_EXISTS_REMOTE, 'modify', 'remote')])
    expectRcs(await call('POST', '/v1/remotes/linstor', {remote_name: 'dr2', url: 'h', cluster_id: 'nope'}), 500, [code(Rc.FAIL_INVLD_CONF, 'modify', 'remote')])
  })

  test('delete: marked and deleted in one go; again is a warning; 200 both times', async () => {
    const list = expectRcs(await call('DELETE', '/v1/remotes?remote_name=dr'), 200, [Rc.DELETED, Rc.DELETED])
    assert.deepEqual(list.map((e) => e.message), ['Remote: dr marked for deletion.', 'Remote: dr deleted.'])
    expectRcs(await call('DELETE', '/v1/remotes?remote_name=dr'), 200, [Rc.WARN_NOT_FOUND])
    assert.deepEqual(Object.keys((await call('GET', '/v1/remotes')).body as object), ['s3_remotes'])
  })

  test('after a restart: still there, and the sealed keys open once the passphrase is entered', async () => {
    const c = session.c
    await c.daemon.stop('SIGTERM')
    c.daemon = startDaemon(c.args)
    await waitHealthy(base)
    assert.deepEqual(((await call('GET', '/v1/remotes/s3')).body as {remote_name: string}[]).map((x) => x.remote_name), ['bak'])
    // The modify tries the bucket with the stored keys, so it needs them in the clear.
    expectRcs(await call('PUT', '/v1/remotes/s3/bak', {region: 'us-east-1'}), 404, [code(Rc.FAIL_NOT_FOUND_CRYPT_KEY, 'modify', 'remote')])
    expectRcs(await call('PATCH', '/v1/encryption/passphrase', 'remote-test-pass'), 200, [code(Rc.PASSPHRASE_ACCEPTED, 'modify', 'ctrlConf')])
    expectRcs(await call('PUT', '/v1/remotes/s3/bak', {region: 'us-east-1'}), 200, [code(Rc.MODIFIED, undefined, 'remote')])
  })

  test('cli: create, list, modify and delete with the linstor client\'s arguments', async () => {
    assert.match(await ok('remote', 'create', 's3', 'cli-bak', s3.endpoint, 'backups', 'us-east-1', s3.accessKey, s3.secretKey, '--use-path-style'),
      /SUCCESS[\s\S]*Remote created/)
    assert.match(await ok('remote', 'c', 'l', 'cli-dr', 'localhost', '--cluster-id', CLUSTER_ID), /Linstor remote successfully created/)
    const out = await ok('remote', 'list')
    assert.deepEqual(row(out, 'cli-bak'), ['cli-bak', 'S3', `us-east-1.${s3.endpoint}/backups`])
    assert.deepEqual(row(out, 'cli-dr'), ['cli-dr', 'Linstor', 'http://localhost:3370'])
    assert.ok(!out.includes(s3.secretKey))
    await ok('remote', 'modify', 's3', 'cli-bak', '--region', 'eu-central-1', '--secret_key', s3.secretKey)
    await ok('remote', 'm', 'linstor', 'cli-dr', '--url', 'http://127.0.0.1:3380')
    const listed = await json<{s3_remotes: {remote_name: string, region: string}[], linstor_remotes: {remote_name: string, url: string}[]}>('remote', 'l')
    assert.equal(listed.s3_remotes.find((x) => x.remote_name === 'cli-bak')?.region, 'eu-central-1')
    assert.equal(listed.linstor_remotes.find((x) => x.remote_name === 'cli-dr')?.url, 'http://127.0.0.1:3380')
    assert.match(await fails(10, 'remote', 'create', 's3', 'cli-bad', s3.endpoint, 'backups', 'us-east-1', s3.accessKey, 'wrong'),
      /could not be reached/)
    assert.match(await fails(10, 'remote', 'modify', 's3', 'nope', '--region', 'x'), /Remote 'nope' not registered/)
    assert.match(await ok('remote', 'delete', 'cli-dr'), /Remote: cli-dr deleted\./)
    assert.match(await ok('remote', 'd', 'cli-bak'), /Remote: cli-bak deleted\./)
    assert.match(await ok('remote', 'delete', 'cli-bak'), /not found/)
  })
})
