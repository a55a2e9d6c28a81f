// Who is calling the REST API, and may they? Pure: the request's facts and the configured
// methods in, a principal or a refusal out. As LINSTOR's AuthenticationFilter, `/` and `/health`
// are always open; everything else needs credentials as soon as any method is configured (bearer
// tokens through Auth/TokenAuthenticationEnabled, a Basic user file, or a client-certificate CA).
// A read-only principal may read (GET, and the POST queries that change nothing).
import {rc, Rc, type ApiCallRc} from '../../common/api-call-rc.ts'
import {checkToken, tokenAuthEnabled} from '../model/auth-token.ts'
import type {ClusterState} from '../model/state.ts'

export interface Principal {kind: 'anonymous' | 'token' | 'user' | 'certificate', name: string, readOnly: boolean}

export interface AuthMethods {
  /** Basic users are configured (a user file was given). */
  basic: boolean
  /** The HTTPS listener asks for client certificates signed by a configured CA. */
  clientCertificates: boolean
}

export interface RequestFacts {
  method: string
  path: string
  authorization?: string
  /** The client certificate, when TLS verified one against the configured CA. */
  certificateSubject?: string
  remoteAddr?: string
}

export type Decision = {allow: true, principal: Principal} | {allow: false, status: 401 | 403, reply: ApiCallRc, challenges: string[]}

const PUBLIC_PATHS = new Set(['/', '/health'])
/** POSTs that only compute an answer (sizes, placement advice) are reads. */
const QUERY_POST = /^\/v1\/(queries\/.*|query-all-size-info|resource-groups\/[^/]+\/query-(max-volume-size|size-info))$/

/** GETs that change something: creating an SOS report writes a file on the controller. */
const WRITING_GET = new Set(['/v1/sos-report'])

export const isRead = (method: string, path: string): boolean =>
  ((method === 'GET' || method === 'HEAD') && !WRITING_GET.has(path)) || method === 'OPTIONS' || (method === 'POST' && QUERY_POST.test(path))

/** `tokensOn`: tokenAuthEnabled() of the moment, which decide() works out once per request. */
export const authRequired = (methods: AuthMethods, tokensOn: boolean): boolean => methods.basic || methods.clientCertificates || tokensOn

const BEARER_CHALLENGE = 'Bearer realm="linstor-controller"'
const BASIC_CHALLENGE = 'Basic realm="Linstor"'

/**
 * `checkBasic` verifies a user and password against the user file (the shell caches it, scrypt
 * being slow on purpose); it answers the principal, or undefined for a wrong pair.
 */
export function decide(state: ClusterState, methods: AuthMethods, req: RequestFacts, now: number,
  checkBasic: (user: string, password: string) => Principal | undefined): Decision {
  const anonymous: Principal = {kind: 'anonymous', name: '', readOnly: false}
  if (PUBLIC_PATHS.has(req.path)) return {allow: true, principal: anonymous}
  const tokensOn = tokenAuthEnabled(state, now)
  if (!authRequired(methods, tokensOn)) return {allow: true, principal: anonymous}
  const challenges = [...(tokensOn ? [BEARER_CHALLENGE] : []), ...(methods.basic ? [BASIC_CHALLENGE] : [])]
  const refuse = (status: 401 | 403, code: bigint, message: string, details?: string): Decision =>
    ({allow: false, status, challenges: status === 401 ? challenges : [], reply: rc(code, {message, details,
      cause: status === 401 ? 'The controller requires authentication for this endpoint.' : undefined,
      correction: status === 401 ? 'Send a bearer token (LS_BEARER_TOKEN_FILE or /var/lib/linstor.d/auth.json), a client certificate, or --user.' : undefined})})

  let principal: Principal | undefined
  const [scheme = '', credentials = ''] = (req.authorization ?? '').trim().split(/\s+/, 2)
  if (scheme.toLowerCase() === 'bearer') {
    const t = checkToken(state, credentials, req.remoteAddr, now)
    if (!t.ok) return refuse(401, Rc.FAIL_ACC_DENIED_COMMAND, 'Unauthorized: token invalid or not provided', t.reason)
    principal = {kind: 'token', name: `token ${t.token.id}${t.token.description ? ` (${t.token.description})` : ''}`, readOnly: t.token.readOnly === true}
  } else if (scheme.toLowerCase() === 'basic' && methods.basic) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    principal = colon > 0 ? checkBasic(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined
    if (!principal) return refuse(403, Rc.FAIL_SIGN_IN, 'Sign in failed: wrong user name or password.')
  } else if (req.certificateSubject !== undefined) {
    principal = {kind: 'certificate', name: req.certificateSubject, readOnly: false}
  }
  if (!principal) {
    return refuse(401, tokensOn ? Rc.FAIL_ACC_DENIED_COMMAND : Rc.FAIL_SIGN_IN_MISSING_CREDENTIALS,
      tokensOn ? 'Unauthorized: token invalid or not provided' : 'Unauthorized: credentials required')
  }
  if (principal.readOnly && !isRead(req.method, req.path)) {
    return refuse(403, Rc.FAIL_ACC_DENIED_COMMAND, `Access denied: ${principal.name} may only read.`,
      `${req.method} ${req.path} changes the cluster; read-only credentials allow GET requests and queries.`)
  }
  return {allow: true, principal}
}
