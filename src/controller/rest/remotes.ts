// /v1/remotes: backup targets. None can be created yet, so every list is empty.
import type {Router} from 'express'
import type {EbsRemote, LinstorRemote, RemoteList, S3Remote} from '../../api/wire.ts'
import type {RestDeps} from './deps.ts'
import {sendJson} from './reply.ts'

export function remoteRoutes(r: Router, _deps: RestDeps): void {
  const s3: S3Remote[] = []
  const linstor: LinstorRemote[] = []
  const ebs: EbsRemote[] = []

  // One RemoteList object (not the array the contract shows): what LINSTOR's Remotes.java sends.
  r.get('/v1/remotes', (_req, res) => {
    const list: RemoteList = {s3_remotes: s3, linstor_remotes: linstor, ebs_remotes: ebs}
    sendJson(res, 200, list)
  })
  r.get('/v1/remotes/s3', (_req, res) => sendJson(res, 200, s3))
  r.get('/v1/remotes/linstor', (_req, res) => sendJson(res, 200, linstor))
  r.get('/v1/remotes/ebs', (_req, res) => sendJson(res, 200, ebs))
}
