// Certificates for a cluster's REST API: a CA, a server certificate for the controller(s) and
// client certificates, made with the openssl command (Node can use X.509 but not issue it).
// OpenSSL 3's `req -x509 -CA` signs in one step with extensions given as arguments, so no
// config or CSR file is ever written. The argument lists are pure and tested; `issue` runs them.
import {isIP} from 'node:net'

export interface Subject {cn: string, days: number}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc']

/** A self-signed CA that may only sign certificates. */
export const caArgs = (cert: string, key: string, s: Subject): string[] =>
  ['req', '-x509', ...KEY, '-keyout', key, '-out', cert, '-days', String(s.days), '-subj', `/CN=${escapeRdn(s.cn)}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']

/** subjectAltName entries: IP addresses as IP:, everything else as DNS:. */
export function altNames(names: readonly string[]): string {
  for (const n of names) if (!isIP(n) && !/^[A-Za-z0-9*]([A-Za-z0-9-.]*[A-Za-z0-9])?$/.test(n)) throw new Error(`'${n}' is neither a host name nor an IP address`)
  return names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',')
}

/**
 * A leaf certificate signed by the CA (or self-signed when `ca` is absent): `server` ones carry
 * the names clients connect to, `client` ones the user name as CN.
 */
export function leafArgs(role: 'server' | 'client', cert: string, key: string, s: Subject & {names?: readonly string[]},
  ca?: {cert: string, key: string}): string[] {
  const ext = role === 'server' ? ['-addext', `subjectAltName=${altNames(s.names?.length ? s.names : [s.cn])}`, '-addext', 'extendedKeyUsage=serverAuth']
    : ['-addext', 'extendedKeyUsage=clientAuth']
  return ['req', '-x509', ...KEY, '-keyout', key, '-out', cert, '-days', String(s.days), '-subj', `/CN=${escapeRdn(s.cn)}`,
    ...(ca ? ['-CA', ca.cert, '-CAkey', ca.key] : []), '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', `keyUsage=critical,digitalSignature${role === 'server' ? ',keyEncipherment' : ''}`, ...ext]
}

/** openssl's -subj syntax: `/` and `\` inside a value are escaped. */
const escapeRdn = (v: string): string => v.replace(/[\\/]/g, (c) => `\\${c}`)

/** What to make: the files that will exist afterwards and the openssl runs that make them, in order. */
export interface CertPlan {files: string[], runs: string[][]}

/** `cairn controller certs create`: a CA, a server certificate for `names`, a client certificate per user. */
export function clusterPlan(dir: string, o: {names: readonly string[], clients: readonly string[], days: number}): CertPlan {
  const at = (f: string): string => `${dir}/${f}`
  const ca = {cert: at('ca.pem'), key: at('ca-key.pem')}
  const [first = 'localhost'] = o.names
  const runs = [caArgs(ca.cert, ca.key, {cn: 'Cairn cluster CA', days: Math.max(o.days, 3650)}),
    leafArgs('server', at('server.pem'), at('server-key.pem'), {cn: first, days: o.days, names: o.names}, ca),
    ...o.clients.map((c) => leafArgs('client', at(`client-${c}.pem`), at(`client-${c}-key.pem`), {cn: c, days: o.days}, ca))]
  return {files: [ca.cert, ca.key, at('server.pem'), at('server-key.pem'), ...o.clients.flatMap((c) => [at(`client-${c}.pem`), at(`client-${c}-key.pem`)])], runs}
}

/** LINSTOR's automatic HTTPS: one self-signed server certificate, made when token auth is initialised. */
export function selfSignedPlan(cert: string, key: string, names: readonly string[]): CertPlan {
  return {files: [cert, key], runs: [leafArgs('server', cert, key, {cn: names[0] ?? 'localhost', days: 3650, names})]}
}
