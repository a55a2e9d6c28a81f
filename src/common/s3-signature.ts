// AWS Signature Version 4 for S3, header-based: the canonical request, the string to sign, the
// signing key and the Authorization header. Pure (the date is passed in), so that it can be
// checked against the examples AWS publishes.
import {createHash, createHmac} from 'node:crypto'

export const ALGORITHM = 'AWS4-HMAC-SHA256'
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export interface Credentials {accessKey: string, secretKey: string}

/** What is signed: `path` and the query's names and values are raw (not yet URI-encoded). */
export interface SignableRequest {
  method: string
  path: string
  query?: readonly (readonly [string, string])[]
  /** Every header to sign, `host` included; names in any case. */
  headers: Record<string, string>
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string
}

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest()

/** `20130524T000000Z` and `20130524`. */
export function amzDates(d: Date): {amzDate: string, dateStamp: string} {
  const amzDate = d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
  return {amzDate, dateStamp: amzDate.slice(0, 8)}
}

/** RFC 3986 encoding as SigV4 wants it: only A–Z a–z 0–9 - . _ ~ stay (and `/` when asked). */
export function uriEncode(s: string, keepSlash: boolean): string {
  let out = ''
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/') ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** The query string in canonical form: names and values encoded, sorted by name then value. Also what is sent. */
export function canonicalQuery(query: readonly (readonly [string, string])[] = []): string {
  return query.map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&')
}

export function canonicalRequest(r: SignableRequest): {text: string, signedHeaders: string} {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const signedHeaders = headers.map(([k]) => k).join(';')
  const text = [r.method.toUpperCase(), uriEncode(r.path, true), canonicalQuery(r.query),
    headers.map(([k, v]) => `${k}:${v}\n`).join(''), signedHeaders, r.payloadHash].join('\n')
  return {text, signedHeaders}
}

export const credentialScope = (dateStamp: string, region: string, service = 's3'): string => `${dateStamp}/${region}/${service}/aws4_request`

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n')
}

export function signingKey(secretKey: string, dateStamp: string, region: string, service = 's3'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretKey}`, dateStamp), region), service), 'aws4_request')
}

/**
 * The Authorization header for a request whose headers already carry `x-amz-date` (equal to
 * `date`) and, for S3, `x-amz-content-sha256`.
 */
export function authorization(r: SignableRequest, creds: Credentials, region: string, date: Date, service = 's3'): {authorization: string, signature: string} {
  const {amzDate, dateStamp} = amzDates(date)
  const scope = credentialScope(dateStamp, region, service)
  const {text, signedHeaders} = canonicalRequest(r)
  const signature = createHmac('sha256', signingKey(creds.secretKey, dateStamp, region, service)).update(stringToSign(amzDate, scope, text)).digest('hex')
  return {signature, authorization: `${ALGORITHM} Credential=${creds.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`}
}
