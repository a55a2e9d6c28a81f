// Cairn's block stream: how a snapshot's data travels to S3 or to another node. A full stream
// carries every block that is not all zeros; an incremental one every block that differs from
// the base snapshot. The trailer carries the SHA-256 of the whole resulting image (checked after
// a restore, so a chain of streams is verified end to end) and of the stream itself (checked
// before anything is published).
//
//   "CAIRNBS1" | u32 header length | header JSON
//   { u64 offset | u32 length | data }*        (length > 0)
//   u64 0xFFFFFFFFFFFFFFFF | u32 0            (end of blocks)
//   u32 trailer length | trailer JSON | 32 bytes SHA-256 of everything before them
import {createHash, type Hash} from 'node:crypto'
import type {FileHandle} from 'node:fs/promises'

export const MAGIC = Buffer.from('CAIRNBS1')
/** Unit of comparison: small enough that a few changed bytes do not resend much. */
export const BLOCK_SIZE = 64 * 1024
/** Unit of reading: large enough for sequential throughput. */
const CHUNK = 16 * BLOCK_SIZE
const END = 0xFFFF_FFFF_FFFF_FFFFn
const MAX_JSON = 1024 * 1024

export interface StreamHeader {
  v: 1
  /** The snapshot whose content this is; the next stream of a chain names it as its base. */
  snap: string
  sizeBytes: number
  blockSize: number
  /** The snapshot the stream applies on; absent for a full stream. */
  base?: string
}
export interface StreamTrailer {imageSha256: string, blocks: number, dataBytes: number}

/** Something readable at offsets: a file handle, or nothing (a base that is shorter reads as zeros). */
type Source = Pick<FileHandle, 'read'>

async function readAt(src: Source | undefined, buf: Buffer, pos: number, limit: number): Promise<Buffer> {
  const want = Math.max(0, Math.min(buf.length, limit - pos))
  let got = 0
  while (src && got < want) {
    const {bytesRead} = await src.read(buf, got, want - got, pos + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  buf.fill(0, got)
  return buf
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

const jsonPart = (v: unknown): Buffer[] => {
  const body = Buffer.from(JSON.stringify(v))
  return [u32(body.length), body]
}

/**
 * Encodes `image` (sizeBytes long) as a stream; with `base` (a handle on the base snapshot's
 * content, `baseSize` long) only the blocks that differ from it.
 */
export async function* encodeBlockStream(snap: string, image: Source, sizeBytes: number, base?: {snap: string, handle: Source, sizeBytes: number},
  onTrailer?: (t: StreamTrailer) => void): AsyncGenerator<Buffer> {
  const streamHash = createHash('sha256')
  const imageHash = createHash('sha256')
  const out = function* (parts: Buffer[]): Generator<Buffer> {
    for (const p of parts) {
      streamHash.update(p)
      yield p
    }
  }
  const header: StreamHeader = {v: 1, snap, sizeBytes, blockSize: BLOCK_SIZE, ...(base ? {base: base.snap} : {})}
  yield* out([MAGIC, ...jsonPart(header)])
  const cur = Buffer.alloc(CHUNK)
  const old = Buffer.alloc(CHUNK)
  const zero = Buffer.alloc(BLOCK_SIZE)
  let blocks = 0
  let dataBytes = 0
  for (let pos = 0; pos < sizeBytes; pos += CHUNK) {
    const len = Math.min(CHUNK, sizeBytes - pos)
    await readAt(image, cur, pos, sizeBytes)
    imageHash.update(cur.subarray(0, len))
    if (base) await readAt(base.handle, old, pos, base.sizeBytes)
    for (let off = 0; off < len; off += BLOCK_SIZE) {
      const n = Math.min(BLOCK_SIZE, len - off)
      const block = cur.subarray(off, off + n)
      const same = base ? block.equals(old.subarray(off, off + n)) : block.equals(zero.subarray(0, n))
      if (same) continue
      const head = Buffer.alloc(12)
      head.writeBigUInt64BE(BigInt(pos + off))
      head.writeUInt32BE(n, 8)
      // A copy: `cur` is reused for the next chunk while the consumer may still hold this one.
      yield* out([head, Buffer.from(block)])
      blocks++
      dataBytes += n
    }
  }
  const end = Buffer.alloc(12)
  end.writeBigUInt64BE(END)
  const trailer: StreamTrailer = {imageSha256: imageHash.digest('hex'), blocks, dataBytes}
  onTrailer?.(trailer)
  yield* out([end, ...jsonPart(trailer)])
  yield streamHash.digest()
}

/** Pulls exact byte counts out of a chunked source, hashing what it hands out. */
class Reader {
  private buf = Buffer.alloc(0)
  private readonly it: AsyncIterator<Uint8Array>
  readonly hash: Hash = createHash('sha256')
  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]()
  }

  async take(n: number, hashed = true): Promise<Buffer> {
    while (this.buf.length < n) {
      const next = await this.it.next()
      if (next.done) throw new Error(`the block stream ended early (${this.buf.length} of ${n} bytes)`)
      this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : Buffer.from(next.value)
    }
    const part = this.buf.subarray(0, n)
    this.buf = this.buf.subarray(n)
    if (hashed) this.hash.update(part)
    return part
  }

  async json<T>(what: string): Promise<T> {
    const len = (await this.take(4)).readUInt32BE()
    if (len > MAX_JSON) throw new Error(`the block stream's ${what} is implausibly long (${len} bytes)`)
    const text = (await this.take(len)).toString('utf8')
    try {
      return JSON.parse(text) as T
    } catch {
      throw new Error(`the block stream's ${what} is corrupt`)
    }
  }

  async atEnd(): Promise<boolean> {
    if (this.buf.length) return false
    return (await this.it.next()).done === true
  }
}

/**
 * Writes a stream into `target` (already holding the base's content for an incremental stream,
 * else empty) and checks the stream's own checksum. `expectBase` is the snapshot the target
 * holds: a stream based on another one is refused before anything is written.
 */
/** Where a stream is written: a file handle, or a block device that `truncate` makes big enough. */
export interface StreamTarget {
  write(data: Buffer, offset: number, length: number, position: number): Promise<unknown>
  truncate(bytes: number): Promise<void>
}

export async function applyBlockStream(source: AsyncIterable<Uint8Array>, target: StreamTarget,
  expectBase?: string): Promise<{header: StreamHeader, trailer: StreamTrailer}> {
  const r = new Reader(source)
  if (!(await r.take(MAGIC.length)).equals(MAGIC)) throw new Error('not a Cairn block stream (bad magic)')
  const header = await r.json<StreamHeader>('header')
  if (header.v !== 1 || typeof header.snap !== 'string' || !Number.isSafeInteger(header.sizeBytes) || header.sizeBytes < 0) throw new Error('unsupported block stream header')
  if ((header.base ?? null) !== (expectBase ?? null)) {
    throw new Error(header.base ? `the stream is incremental on snapshot '${header.base}', but ${expectBase ? `'${expectBase}' is` : 'no base is'} there`
      : `a full stream was sent where an incremental one on '${expectBase}' was expected`)
  }
  await target.truncate(header.sizeBytes)
  for (;;) {
    const head = await r.take(12)
    const offset = head.readBigUInt64BE()
    const length = head.readUInt32BE(8)
    if (offset === END) break
    if (length === 0 || length > header.blockSize || offset + BigInt(length) > BigInt(header.sizeBytes)) {
      throw new Error(`the block stream has a bad block record (offset ${offset}, length ${length})`)
    }
    const data = await r.take(length)
    await target.write(data, 0, length, Number(offset))
  }
  const trailer = await r.json<StreamTrailer>('trailer')
  const expected = r.hash.digest()
  const got = await r.take(32, false)
  if (!got.equals(expected)) throw new Error('the block stream is corrupt: its checksum does not match')
  if (!(await r.atEnd())) throw new Error('the block stream has data after its end')
  return {header, trailer}
}

/** SHA-256 of a file's first `sizeBytes` bytes (holes read as zeros), to verify a restored image. */
export async function imageSha256(handle: Source, sizeBytes: number): Promise<string> {
  const hash = createHash('sha256')
  const buf = Buffer.alloc(CHUNK)
  for (let pos = 0; pos < sizeBytes; pos += CHUNK) {
    await readAt(handle, buf, pos, sizeBytes)
    hash.update(buf.subarray(0, Math.min(CHUNK, sizeBytes - pos)))
  }
  return hash.digest('hex')
}
