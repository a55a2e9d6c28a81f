// Remotes in the model (LINSTOR's checks and texts; no secret in a record or view) and the
// sealing of their secrets with the master key.
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {describe, test} from 'node:test'
import {Obj, Rc} from '../../src/common/api-call-rc.ts'
import {createLinstorRemote, createS3Remote, deleteRemote, linstorUrl, modifyLinstorRemote, modifyS3Remote, RemoteRc, remoteList,
  s3TargetOf, secretContext, type S3RemoteRec} from '../../src/controller/model/remote.ts'
import {openerFor, openSecret, sealerFor, sealSecret, type Sealer} from '../../src/controller/model/remote-secret.ts'
import {emptyState, type ClusterState} from '../../src/controller/model/state.ts'
import type {ShipmentRec} from '../../src/controller/model/shipment.ts'
import {apply, counterIds, failsWith} from '../support/model.ts'

// A stand-in sealer that shows what was sealed where, so the tests can follow values.
const fakeSeal: Sealer = (p, c) => ({v: 1, iv: c, tag: 't', data: `sealed:${p}`})
const s3Body = {remote_name: 'bak', endpoint: 'http://127.0.0.1:9000', bucket: 'bk', region: 'us-east-1', access_key: 'AK', secret_key: 'SK'}

const withS3 = (): ClusterState => {
  const s = emptyState()
  apply(s, createS3Remote(s, s3Body, counterIds(), fakeSeal).changes)
  return s
}

describe('S3 remotes', () => {
  test('create: sealed keys, path style off by default, listed without secrets', () => {
    const s = emptyState()
    const {changes, remote} = createS3Remote(s, s3Body, counterIds(), fakeSeal)
    assert.deepEqual(remote, {kind: 's3', name: 'bak', uuid: 'uuid-1', endpoint: 'http://127.0.0.1:9000', bucket: 'bk', region: 'us-east-1',
      usePathStyle: false, accessKey: fakeSeal('AK', 'remote/BAK/access_key'), secretKey: fakeSeal('SK', 'remote/BAK/secret_key')})
    apply(s, changes)
    assert.deepEqual(remoteList(s), {s3_remotes: [{remote_name: 'bak', endpoint: 'http://127.0.0.1:9000', bucket: 'bk', region: 'us-east-1',
      use_path_style: false}], linstor_remotes: [], ebs_remotes: []})
    assert.ok(!JSON.stringify(remoteList(s)).includes('sealed'))
  })

  test('missing parameters are listed as LINSTOR lists them', () => {
    const f = failsWith(() => createS3Remote(emptyState(), {remote_name: 'x1', bucket: 'b', region: ''}, counterIds(), fakeSeal),
      RemoteRc.FAIL_INVLD_BACKUP_CONFIG | Obj.backup)
    assert.equal(f.text.message, 'The remote could not be created because the following required parameters are missing: [endpoint, region, access_key, secret_key]')
    failsWith(() => createS3Remote(emptyState(), {...s3Body, secret_key: undefined}, counterIds(), fakeSeal), RemoteRc.FAIL_INVLD_BACKUP_CONFIG | Obj.backup,
      /following required parameter is missing: \[secret_key\]/)
  })

  test('bad name, duplicate name (any case), bad field types', () => {
    failsWith(() => createS3Remote(emptyState(), {...s3Body, remote_name: '1bad'}, counterIds(), fakeSeal), RemoteRc.FAIL_INVLD_REMOTE_NAME, /'1bad' is invalid/)
    failsWith(() => createS3Remote(withS3(), {...s3Body, remote_name: 'BAK'}, counterIds(), fakeSeal), RemoteRc.FAIL_EXISTS_REMOTE,
      /^A remote with the name 'BAK' already exists\. Please use a different name or try to modify the remote instead\.$/)
    failsWith(() => createS3Remote(emptyState(), {...s3Body, use_path_style: 'often'}, counterIds(), fakeSeal), Rc.FAIL_INVLD_REQUEST, /use_path_style/)
    failsWith(() => createS3Remote(emptyState(), {...s3Body, bucket: 7}, counterIds(), fakeSeal), Rc.FAIL_INVLD_REQUEST, /'bucket' must be a string/)
  })

  test('modify: given fields change, empty or missing ones stay; the name keeps its spelling', () => {
    const s = withS3()
    const {changes, remote} = modifyS3Remote(s, 'BAK', {bucket: 'other', region: '', secret_key: 'SK2', use_path_style: true}, fakeSeal)
    assert.equal(remote.name, 'bak')
    assert.equal(remote.bucket, 'other')
    assert.equal(remote.region, 'us-east-1')
    assert.equal(remote.usePathStyle, true)
    assert.deepEqual(remote.accessKey, fakeSeal('AK', 'remote/BAK/access_key'))
    assert.deepEqual(remote.secretKey, fakeSeal('SK2', 'remote/BAK/secret_key'))
    apply(s, changes)
    assert.equal(remoteList(s).s3_remotes?.[0]?.bucket, 'other')
  })

  test('modify: unknown remote, wrong kind', () => {
    const f = failsWith(() => modifyS3Remote(emptyState(), 'nope', {}, fakeSeal), RemoteRc.FAIL_NOT_FOUND_REMOTE, /^Remote 'nope' not registered\.$/)
    assert.equal(f.text.cause, "The specified remote 'nope' could not be found in the database")
    const s = emptyState()
    apply(s, createLinstorRemote(s, {remote_name: 'other', url: 'h'}, counterIds(), fakeSeal).changes)
    failsWith(() => modifyS3Remote(s, 'other', {}, fakeSeal), RemoteRc.FAIL_EXISTS_REMOTE, /^The remote with the name 'other' is not a s3 remote\.$/)
  })

  test('the S3 target opens the keys with the context they were sealed for', () => {
    const key = randomBytes(32)
    const s = emptyState()
    const {remote} = createS3Remote(s, s3Body, counterIds(), sealerFor(() => key))
    assert.deepEqual(s3TargetOf(remote, openerFor(() => key)),
      {endpoint: 'http://127.0.0.1:9000', bucket: 'bk', region: 'us-east-1', accessKey: 'AK', secretKey: 'SK', usePathStyle: false})
    // The two keys cannot be swapped in the stored record.
    const swapped: S3RemoteRec = {...remote, accessKey: remote.secretKey}
    failsWith(() => s3TargetOf(swapped, openerFor(() => key)), Rc.FAIL_UNKNOWN_ERROR, /Decrypting a remote's secret \(remote\/BAK\/access_key\) failed/)
  })
})

describe('LINSTOR remotes', () => {
  test('create: URL completed as LINSTOR does, cluster id checked, passphrase sealed only when given', () => {
    const s = emptyState()
    const id = '0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9'
    const {changes, remote} = createLinstorRemote(s, {remote_name: 'dr', url: '192.168.0.15', cluster_id: id.toUpperCase()}, counterIds(), () => assert.fail('nothing to seal'))
    assert.deepEqual(remote, {kind: 'linstor', name: 'dr', uuid: 'uuid-1', url: 'http://192.168.0.15:3370', clusterId: id})
    apply(s, changes)
    assert.deepEqual(remoteList(s).linstor_remotes, [{remote_name: 'dr', url: 'http://192.168.0.15:3370', cluster_id: id}])
    const p = createLinstorRemote(s, {remote_name: 'dr2', url: 'h', passphrase: 'pw'}, counterIds(), fakeSeal).remote
    assert.deepEqual(p.passphrase, fakeSeal('pw', secretContext('dr2', 'passphrase')))
    failsWith(() => createLinstorRemote(s, {remote_name: 'x2', url: 'h', cluster_id: 'not-a-uuid'}, counterIds(), fakeSeal), Rc.FAIL_INVLD_CONF,
      /^The given cluster id is not a valid UUID$/)
    failsWith(() => createLinstorRemote(s, {remote_name: 'x3'}, counterIds(), fakeSeal), RemoteRc.FAIL_INVLD_BACKUP_CONFIG | Obj.backup, /missing: \[url\]/)
  })

  test('URL defaults', () => {
    assert.equal(linstorUrl('localhost'), 'http://localhost:3370')
    assert.equal(linstorUrl('https://ctrl.example'), 'https://ctrl.example:3371')
    assert.equal(linstorUrl('http://10.0.0.1:3380'), 'http://10.0.0.1:3380')
  })

  test('modify: URL and cluster id change, the rest stays', () => {
    const s = emptyState()
    apply(s, createLinstorRemote(s, {remote_name: 'dr', url: 'a', passphrase: 'pw'}, counterIds(), fakeSeal).changes)
    const {remote} = modifyLinstorRemote(s, 'dr', {url: 'https://b:4000', cluster_id: '0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9'}, fakeSeal)
    assert.equal(remote.url, 'https://b:4000')
    assert.equal(remote.clusterId, '0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9')
    assert.deepEqual(remote.passphrase, fakeSeal('pw', 'remote/DR/passphrase'))
    failsWith(() => modifyLinstorRemote(withS3(), 'bak', {}, fakeSeal), RemoteRc.FAIL_EXISTS_REMOTE, /is not a linstor remote/)
  })
})

describe('listing and deleting', () => {
  test('sorted by name, filtered by upper-cased names', () => {
    const s = withS3()
    apply(s, createLinstorRemote(s, {remote_name: 'alpha', url: 'h'}, counterIds(), fakeSeal).changes)
    apply(s, createS3Remote(s, {...s3Body, remote_name: 'Aaa'}, counterIds(), fakeSeal).changes)
    assert.deepEqual(remoteList(s).s3_remotes?.map((r) => r.remote_name), ['Aaa', 'bak'])
    assert.deepEqual(remoteList(s, new Set(['ALPHA'])), {s3_remotes: [], linstor_remotes: [{remote_name: 'alpha', url: 'http://h:3370'}], ebs_remotes: []})
  })

  test('delete: the record goes; an unknown name is no error; a bad name is', () => {
    const s = withS3()
    const {changes, deleted} = deleteRemote(s, 'Bak')
    assert.equal(deleted?.name, 'bak')
    apply(s, changes)
    assert.deepEqual(s.remotes, {})
    assert.deepEqual(deleteRemote(s, 'bak'), {changes: []})
    failsWith(() => deleteRemote(s, ''), RemoteRc.FAIL_INVLD_REMOTE_NAME)
  })

  test('delete: refused while a shipment uses the remote', () => {
    const s = withS3()
    s.shipments['BACKUP/BAK/R/S'] = {key: 'BACKUP/BAK/R/S', kind: 'backup', remote: 'bak', rsc: 'r', snap: 's', node: 'n', state: 'RUNNING', startTs: 0, vlms: []}
    failsWith(() => deleteRemote(s, 'bak'), Rc.FAIL_IN_USE)
    s.shipments['BACKUP/BAK/R/S'] = {...s.shipments['BACKUP/BAK/R/S'] as ShipmentRec, state: 'SUCCEEDED'}
    assert.equal(deleteRemote(s, 'bak').deleted?.name, 'bak')
  })
})

describe('sealing secrets', () => {
  const key = randomBytes(32)

  test('round trip; a fresh IV each time; nothing readable in the sealed form', () => {
    const a = sealSecret('wJalrXUtnFEMI/K7MDENG', key, 'remote/X/secret_key')
    const b = sealSecret('wJalrXUtnFEMI/K7MDENG', key, 'remote/X/secret_key')
    assert.notEqual(a.iv, b.iv)
    assert.notEqual(a.data, b.data)
    assert.ok(!JSON.stringify(a).includes('wJalr'))
    assert.equal(openSecret(a, key, 'remote/X/secret_key'), 'wJalrXUtnFEMI/K7MDENG')
    assert.equal(openSecret(sealSecret('', key, 'c'), key, 'c'), '')
  })

  test('another key, another place or an altered value does not open', () => {
    const sealed = sealSecret('s3cret', key, 'remote/X/secret_key')
    failsWith(() => openSecret(sealed, randomBytes(32), 'remote/X/secret_key'), Rc.FAIL_UNKNOWN_ERROR)
    failsWith(() => openSecret(sealed, key, 'remote/Y/secret_key'), Rc.FAIL_UNKNOWN_ERROR)
    const data = Buffer.from(sealed.data, 'base64')
    data[0] = (data[0] ?? 0) ^ 1
    const f = failsWith(() => openSecret({...sealed, data: data.toString('base64')}, key, 'remote/X/secret_key'), Rc.FAIL_UNKNOWN_ERROR)
    assert.ok(!JSON.stringify(f.text).includes('s3cret'))
  })

  test('without a master key: LINSTOR\'s refusal, for sealing and opening', () => {
    const f = failsWith(() => sealSecret('x', undefined, 'c'), Rc.FAIL_NOT_FOUND_CRYPT_KEY, /without having a master key/)
    assert.equal(f.text.correction, 'Create or enter the master passphrase')
    failsWith(() => openSecret(sealSecret('x', key, 'c'), Buffer.alloc(0), 'c'), Rc.FAIL_NOT_FOUND_CRYPT_KEY)
    failsWith(() => createS3Remote(emptyState(), s3Body, counterIds(), sealerFor(() => undefined)), Rc.FAIL_NOT_FOUND_CRYPT_KEY)
    // A LINSTOR remote without a passphrase has nothing to seal, as in LINSTOR.
    assert.equal(createLinstorRemote(emptyState(), {remote_name: 'dr', url: 'h'}, counterIds(), sealerFor(() => undefined)).remote.url, 'http://h:3370')
  })
})
