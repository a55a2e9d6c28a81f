// The REST API's door: runs the authentication decision for every request before any route,
// and answers refusals as LINSTOR does (401 with WWW-Authenticate, 403), as ApiCallRc lists.
import type {NextFunction, Request, Response} from 'express'
import type {TLSSocket} from 'node:tls'
import {decide, type AuthMethods, type Principal} from '../auth/authentication.ts'
import type {RestDeps} from './deps.ts'
import {sendJson} from './reply.ts'

/** How this controller authenticates, beside the bearer tokens kept in the cluster state. */
export interface AuthSetup {
  methods: AuthMethods
  checkBasic(user: string, password: string): Principal | undefined
}

export const noAuthSetup: AuthSetup = {methods: {basic: false, clientCertificates: false}, checkBasic: () => undefined}

/** The verified client certificate's subject CN; undefined without one (or over plain HTTP). */
function certificateSubject(req: Request): string | undefined {
  const socket = req.socket as Partial<TLSSocket>
  if (!socket.encrypted || !socket.authorized || !socket.getPeerCertificate) return undefined
  const subject = socket.getPeerCertificate().subject as Record<string, string | string[]> | undefined
  const cn = subject?.CN
  return (Array.isArray(cn) ? cn[0] : cn) ?? ''
}

export function authGate(deps: RestDeps) {
  const setup = deps.auth ?? noAuthSetup
  return (req: Request, res: Response, next: NextFunction): void => {
    const d = decide(deps.store.state, setup.methods, {method: req.method, path: req.path, authorization: req.headers.authorization,
      certificateSubject: certificateSubject(req), remoteAddr: req.socket.remoteAddress}, deps.ids.now(), setup.checkBasic)
    if (d.allow) {
      res.locals.principal = d.principal
      return next()
    }
    if (d.challenges.length) res.setHeader('WWW-Authenticate', d.challenges)
    deps.log.info('request refused', {method: req.method, path: req.path, peer: req.socket.remoteAddress, status: d.status, why: d.reply.details ?? d.reply.message})
    sendJson(res, d.status, [d.reply])
  }
}
