// /v1/remotes: backup targets, S3 buckets and other clusters. As LINSTOR does, a new or changed
// S3 remote is tried (one listing of the bucket) before it is stored, and every call answers in
// a "modify remote" context. Secrets are sealed with the master key and never listed.
import type {Request, Router} from 'express'
import {createS3Client} from '../../api/s3-client.ts'
import {Obj, rc, Rc, type ApiCallRc} from '../../common/api-call-rc.ts'
import {ApiFailure} from '../model/api-failure.ts'
import {createLinstorRemote, createS3Remote, deleteRemote, modifyLinstorRemote, modifyS3Remote, remoteList, s3TargetOf,
  type S3RemoteRec} from '../model/remote.ts'
import {openerFor, sealerFor} from '../model/remote-secret.ts'
import type {Change} from '../model/state.ts'
import type {RestDeps} from './deps.ts'
import {mutation, queryList, sendJson, type Ctx} from './reply.ts'

const PROBE_TIMEOUT_MS = 15_000
const CTX: Ctx = {op: 'modify', obj: 'remote'}

export function remoteRoutes(r: Router, deps: RestDeps): void {
  const {store, ids} = deps
  // Read at call time: the encryption routes may create the holder after this router.
  const masterKey = (): Buffer | undefined => deps.crypt?.masterKey()
  const seal = sealerFor(masterKey)
  const open = openerFor(masterKey)

  const listed = (req: Request) => remoteList(store.state, queryList(req, 'remote_name'))

  // One RemoteList object (not the array the contract shows): what LINSTOR's Remotes.java sends.
  r.get('/v1/remotes', (req, res) => sendJson(res, 200, listed(req)))
  r.get('/v1/remotes/s3', (req, res) => sendJson(res, 200, listed(req).s3_remotes))
  r.get('/v1/remotes/linstor', (req, res) => sendJson(res, 200, listed(req).linstor_remotes))
  r.get('/v1/remotes/ebs', (_req, res) => sendJson(res, 200, []))

  /** LINSTOR lists the bucket with the new settings and refuses what does not answer. */
  async function probe(remote: S3RemoteRec, verb: 'created' | 'modified'): Promise<void> {
    try {
      await createS3Client(s3TargetOf(remote, open), {timeoutMs: PROBE_TIMEOUT_MS}).listObjectsV2({maxKeys: 1})
    } catch (e) {
      if (e instanceof ApiFailure) throw e
      const err = e as Error
      const id = deps.reports.add({module: 'rest', message: err.message, exception: err.name,
        details: `S3 remote '${remote.name}': ${remote.endpoint}, bucket ${remote.bucket}, region ${remote.region}, ` +
          `${remote.usePathStyle ? 'path' : 'virtual-host'} style`})
      throw new ApiFailure(Rc.FAIL_UNKNOWN_ERROR | Obj.backup, {
        message: `The remote could not be reached with the given parameters and therefore wasn't ${verb}.\n` +
          'Please check for spelling errors and that you have the correct access-key and secret-key.\n' +
          'For more information on the error, please check the error-report.',
        details: err.message, error_report_ids: [id]})
    }
  }

  /**
   * Builds the change, tries the bucket, then builds it again on the state as it is after the
   * wait, so that a remote created meanwhile under the same name is refused, not overwritten.
   */
  async function checkedS3(build: () => {changes: Change[], remote: S3RemoteRec}, verb: 'created' | 'modified'): Promise<void> {
    await probe(build().remote, verb)
    await store.commit(build().changes)
  }

  r.post('/v1/remotes/s3', mutation({...CTX, body: 'S3Remote'}, async (req) => {
    await checkedS3(() => createS3Remote(store.state, req.body, ids, seal), 'created')
    return [rc(Rc.CREATED, {message: 'Remote created'}, undefined, 'remote')]
  }, 201))

  r.put('/v1/remotes/s3/:remote', mutation({...CTX, body: 'S3Remote'}, async (req) => {
    await checkedS3(() => modifyS3Remote(store.state, req.params.remote as string, req.body, seal), 'modified')
    return [rc(Rc.MODIFIED, {message: 'S3 remote successfully updated'}, undefined, 'remote')]
  }, 200))

  r.post('/v1/remotes/linstor', mutation({...CTX, body: 'LinstorRemote'}, async (req) => {
    await store.commit(createLinstorRemote(store.state, req.body, ids, seal).changes)
    return [rc(Rc.CREATED, {message: 'Linstor remote successfully created'})]
  }, 201))

  r.put('/v1/remotes/linstor/:remote', mutation({...CTX, body: 'LinstorRemote'}, async (req) => {
    await store.commit(modifyLinstorRemote(store.state, req.params.remote as string, req.body, seal).changes)
    return [rc(Rc.MODIFIED, {message: 'Linstor remote successfully updated'})]
  }, 200))

  // LINSTOR first marks the remote for deletion, then deletes it once no shipment uses it; with
  // no shipments yet both happen at once, and both are reported.
  r.delete('/v1/remotes', mutation(CTX, async (req): Promise<ApiCallRc[]> => {
    const name = typeof req.query.remote_name === 'string' ? req.query.remote_name : ''
    const {changes, deleted} = deleteRemote(store.state, name)
    if (!deleted) return [rc(Rc.WARN_NOT_FOUND, {message: `Remote: ${name} not found.`})]
    await store.commit(changes)
    const what = `Remote: ${deleted.name}`
    return [rc(Rc.DELETED, {message: `${what} marked for deletion.`, details: `${what} UUID is: ${deleted.uuid}`}),
      rc(Rc.DELETED, {message: `${what} deleted.`, details: `${what} UUID was: ${deleted.uuid}`})]
  }, 200))
}
