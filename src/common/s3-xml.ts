// The few S3 XML documents the client reads and writes. S3's answers are flat and regular (no
// attributes that matter, no mixed content), so element text is pulled out by name instead of
// bringing in an XML library. Pure.

const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"}

export function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#') ? String.fromCodePoint(parseInt(e.slice(1), 10))
        : ENTITIES[e] ?? m)
}

export const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

/** The bodies of every `<tag>…</tag>` (and nothing for `<tag/>`), in document order. */
export function elements(xml: string, tag: string): string[] {
  const out: string[] = []
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}>)`, 'g')
  for (const m of xml.matchAll(re)) out.push(m[1] ?? '')
  return out
}

/** The unescaped text of the first `<tag>`, or undefined. */
export function text(xml: string, tag: string): string | undefined {
  const first = elements(xml, tag)[0]
  return first === undefined ? undefined : xmlUnescape(first)
}

export interface S3ErrorDoc {code: string, message: string, requestId?: string, resource?: string}

/** An `<Error>` document; undefined when the body is not one. */
export function parseError(xml: string): S3ErrorDoc | undefined {
  const body = elements(xml, 'Error')[0]
  if (body === undefined) return undefined
  return {code: text(body, 'Code') ?? 'UnknownError', message: text(body, 'Message') ?? '', requestId: text(body, 'RequestId'), resource: text(body, 'Resource')}
}

export interface S3Object {key: string, size: number, etag: string, lastModified: string}

export interface ListPage {
  objects: S3Object[]
  commonPrefixes: string[]
  isTruncated: boolean
  nextContinuationToken?: string
}

/** A ListObjectsV2 answer (`ListBucketResult`). */
export function parseListObjectsV2(xml: string): ListPage {
  const nextContinuationToken = text(xml, 'NextContinuationToken')
  return {
    objects: elements(xml, 'Contents').map((c) => ({key: text(c, 'Key') ?? '', size: Number(text(c, 'Size') ?? 0),
      etag: text(c, 'ETag') ?? '', lastModified: text(c, 'LastModified') ?? ''})),
    commonPrefixes: elements(xml, 'CommonPrefixes').map((p) => text(p, 'Prefix') ?? ''),
    isTruncated: text(xml, 'IsTruncated') === 'true',
    ...(nextContinuationToken ? {nextContinuationToken} : {}),
  }
}

export interface CompletedPart {partNumber: number, etag: string}

export function completeMultipartBody(parts: readonly CompletedPart[]): string {
  const items = [...parts].sort((a, b) => a.partNumber - b.partNumber)
    .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${xmlEscape(p.etag)}</ETag></Part>`)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items.join('')}</CompleteMultipartUpload>`
}
