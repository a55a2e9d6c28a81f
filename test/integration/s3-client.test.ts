// The S3 client against a real S3 server in its own process (s3rver, which checks SigV4): objects
// up and down as buffers and streams, listing with pagination, multipart uploads (a 20 MiB
// stream compared by SHA-256), and S3's errors as S3Errors.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import type {LookupFunction} from 'node:net'
import {Readable} from 'node:stream'
import {after, before, describe, test} from 'node:test'
import {createS3Client, MIN_PART_SIZE, readAll, S3Error, type S3Client, type S3Target} from '../../src/api/s3-client.ts'
import {sha256Hex} from '../../src/common/s3-signature.ts'
import {startS3Server, type LocalS3} from '../support/s3-server.ts'

const MiB = 1024 * 1024

/** `size` bytes of a fixed pseudo-random pattern (64 KiB chunks, each one different), and its SHA-256. */
function pattern(size: number, seed: number): {stream: () => Readable, sha256: string} {
  const CHUNK = 64 * 1024
  const base = Buffer.concat(Array.from({length: CHUNK / 64}, (_v, i) => createHash('sha512').update(`${seed}:${i}`).digest()))
  const chunk = (n: number): Buffer => {
    const b = Buffer.from(base)
    b.writeUInt32BE(n, 0)
    return b.subarray(0, Math.min(CHUNK, size - n * CHUNK))
  }
  const gen = function* (): Generator<Buffer> {
    for (let n = 0; n * CHUNK < size; n++) yield chunk(n)
  }
  const hash = createHash('sha256')
  for (const b of gen()) hash.update(b)
  return {stream: () => Readable.from(gen()), sha256: hash.digest('hex')}
}

const sha256Of = async (s: AsyncIterable<Uint8Array>): Promise<string> => {
  const h = createHash('sha256')
  for await (const c of s) h.update(c)
  return h.digest('hex')
}

const rejectsWith = async (p: Promise<unknown>, code: string, message?: RegExp): Promise<S3Error> => {
  let caught: S3Error | undefined
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof S3Error, `expected S3Error, got ${String(e)}`)
    assert.equal(e.code, code, e.message)
    if (message) assert.match(e.message, message)
    caught = e
    return true
  })
  return caught as S3Error
}

describe('S3 client against a local S3 server', () => {
  let s3: LocalS3
  let target: S3Target
  let c: S3Client

  before(async () => {
    s3 = await startS3Server({buckets: ['bk']})
    target = {endpoint: s3.endpoint, bucket: 'bk', region: 'us-east-1', accessKey: s3.accessKey, secretKey: s3.secretKey, usePathStyle: true}
    c = createS3Client(target, {partSize: MIN_PART_SIZE})
  })

  after(async () => {
    await s3?.stop()
  })

  test('put, head, get (whole and a range), delete; keys with reserved characters', async () => {
    const key = 'dir one/obj+1$(x)=ü.bin'
    const {etag} = await c.putObject(key, 'hello world', {metadata: {origin: 'cairn'}, contentType: 'application/octet-stream'})
    assert.equal(etag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"')
    const head = await c.headObject(key)
    assert.equal(head.contentLength, 11)
    assert.equal(head.etag, etag)
    assert.deepEqual(head.metadata, {origin: 'cairn'})
    const got = await c.getObject(key)
    assert.equal((await readAll(got.body)).toString(), 'hello world')
    assert.equal((await readAll((await c.getObject(key, {range: 'bytes=6-10'})).body)).toString(), 'world')
    await c.deleteObject(key)
    await rejectsWith(c.headObject(key), 'NotFound', /HeadObject bk\/dir one\/obj\+1\$\(x\)=ü\.bin: NotFound/)
    await rejectsWith(c.getObject(key), 'NoSuchKey', /^S3 GetObject bk\/.*: NoSuchKey: .* \(HTTP 404\)$/)
  })

  test('a stream with a known length goes up UNSIGNED-PAYLOAD, or signed with its SHA-256', async () => {
    const p = pattern(300 * 1024, 1)
    await c.putObject('stream/unsigned', p.stream(), {contentLength: 300 * 1024})
    await c.putObject('stream/signed', p.stream(), {contentLength: 300 * 1024, sha256: p.sha256})
    for (const key of ['stream/unsigned', 'stream/signed']) assert.equal(await sha256Of((await c.getObject(key)).body), p.sha256)
    await assert.rejects(c.putObject('stream/x', p.stream()), /needs contentLength/)
  })

  test('listing: prefix, delimiter, pages joined by continuation tokens', async () => {
    for (let i = 0; i < 7; i++) await c.putObject(`list/k${i}`, `v${i}`)
    await c.putObject('list/sub/deep', 'x')
    await c.putObject('other/k', 'x')
    const page = await c.listObjectsV2({prefix: 'list/', maxKeys: 3})
    assert.deepEqual(page.objects.map((o) => o.key), ['list/k0', 'list/k1', 'list/k2'])
    assert.equal(page.isTruncated, true)
    assert.ok(page.nextContinuationToken)
    const next = await c.listObjectsV2({prefix: 'list/', maxKeys: 3, continuationToken: page.nextContinuationToken})
    assert.deepEqual(next.objects.map((o) => o.key), ['list/k3', 'list/k4', 'list/k5'])
    const all: string[] = []
    for await (const o of c.listAll('list/')) all.push(o.key)
    assert.deepEqual(all, ['list/k0', 'list/k1', 'list/k2', 'list/k3', 'list/k4', 'list/k5', 'list/k6', 'list/sub/deep'])
    const top = await c.listObjectsV2({prefix: 'list/', delimiter: '/'})
    assert.deepEqual(top.commonPrefixes, ['list/sub/'])
    assert.equal(top.objects.length, 7)
    assert.equal(top.objects[0]?.size, 2)
  })

  test('upload(): a 20 MiB stream in 5 MiB parts, read back with the same SHA-256', async () => {
    const p = pattern(20 * MiB, 2)
    const r = await c.upload('big/volume.img', p.stream())
    assert.deepEqual({size: r.size, parts: r.parts, sha256: r.sha256}, {size: 20 * MiB, parts: 4, sha256: p.sha256})
    assert.ok(r.etag)
    assert.equal((await c.headObject('big/volume.img')).contentLength, 20 * MiB)
    assert.equal(await sha256Of((await c.getObject('big/volume.img')).body), p.sha256)
    await c.deleteObject('big/volume.img')
  })

  test('upload(): a stream shorter than a part is one plain PUT; an empty one too', async () => {
    const p = pattern(MiB + 17, 3)
    const r = await c.upload('small/one', p.stream())
    assert.deepEqual({size: r.size, parts: r.parts, sha256: r.sha256}, {size: MiB + 17, parts: 1, sha256: p.sha256})
    const empty = await c.upload('small/empty', Readable.from([]))
    assert.deepEqual({size: empty.size, parts: empty.parts, sha256: empty.sha256}, {size: 0, parts: 1, sha256: sha256Hex('')})
    assert.equal((await c.headObject('small/empty')).contentLength, 0)
  })

  test('multipart by hand: create, upload parts, complete', async () => {
    const a = Buffer.alloc(MIN_PART_SIZE, 'a')
    const b = Buffer.from('tail')
    const id = await c.createMultipartUpload('mp/manual')
    const parts = [{partNumber: 1, etag: await c.uploadPart('mp/manual', id, 1, a)}, {partNumber: 2, etag: await c.uploadPart('mp/manual', id, 2, b)}]
    await c.completeMultipartUpload('mp/manual', id, parts)
    assert.equal(await sha256Of((await c.getObject('mp/manual')).body), sha256Hex(Buffer.concat([a, b])))
  })

  test('a failing source stream aborts the upload and its own error comes through', async () => {
    const p = pattern(12 * MiB, 4)
    const failing = async function* (): AsyncGenerator<Buffer> {
      let n = 0
      for await (const chunk of p.stream()) {
        if ((n += chunk.length) > 11 * MiB) throw new Error('disk read failed')
        yield chunk as Buffer
      }
    }
    await assert.rejects(c.upload('mp/failed', failing()), /disk read failed/)
    await rejectsWith(c.headObject('mp/failed'), 'NotFound')
  })

  test('abort is sent as S3 defines it; s3rver does not implement it and says so', async () => {
    const id = await c.createMultipartUpload('mp/abort')
    await rejectsWith(c.abortMultipartUpload('mp/abort', id), 'MethodNotAllowed', /AbortMultipartUpload bk\/mp\/abort: MethodNotAllowed/)
  })

  test('S3 errors: wrong secret, unknown access key, unknown bucket, nothing listening', async () => {
    await rejectsWith(createS3Client({...target, secretKey: 'wrong'}).listObjectsV2(), 'SignatureDoesNotMatch', /\(HTTP 403\)$/)
    const e = await rejectsWith(createS3Client({...target, accessKey: 'NOBODY'}).putObject('k', 'x'), 'InvalidAccessKeyId')
    assert.equal(e.status, 403)
    await rejectsWith(createS3Client({...target, bucket: 'nosuch'}).listObjectsV2(), 'NoSuchBucket', /ListObjectsV2 nosuch: NoSuchBucket/)
    const closed = createS3Client({...target, endpoint: 'http://127.0.0.1:1'})
    await rejectsWith(closed.listObjectsV2(), 'ECONNREFUSED', /ListObjectsV2 bk at 127\.0\.0\.1:1: /)
  })

  test('secrets never appear in an error', async () => {
    const e = await rejectsWith(createS3Client({...target, secretKey: 'TOPSECRET-123'}).putObject('k', 'x'), 'SignatureDoesNotMatch')
    assert.ok(!`${e.message} ${e.stack ?? ''}`.includes('TOPSECRET'))
  })
})

describe('S3 client, virtual-host style', () => {
  let s3: LocalS3

  before(async () => {
    // s3rver checks virtual-host signatures its own (non-AWS) way; see S3ServerOptions.
    s3 = await startS3Server({buckets: ['vbk'], lenientSignatures: true})
  })

  after(async () => {
    await s3?.stop()
  })

  test('the bucket is named in the Host header (<bucket>.s3.localhost), the path holds only the key', async () => {
    // Every name resolves to loopback here; in production DNS does this.
    const lookup = ((_host: string, o: {all?: boolean}, cb: (...a: unknown[]) => void) =>
      (o.all ? cb(null, [{address: '127.0.0.1', family: 4}]) : cb(null, '127.0.0.1', 4))) as unknown as LookupFunction
    const c = createS3Client({endpoint: `http://s3.localhost:${s3.port}`, bucket: 'vbk', region: 'us-east-1', accessKey: s3.accessKey,
      secretKey: s3.secretKey, usePathStyle: false}, {lookup})
    await c.putObject('v/a.txt', 'virtual')
    assert.deepEqual((await c.listObjectsV2({prefix: 'v/'})).objects.map((o) => o.key), ['v/a.txt'])
    // The same object, seen path-style.
    const path = createS3Client({endpoint: s3.endpoint, bucket: 'vbk', region: 'us-east-1', accessKey: s3.accessKey, secretKey: s3.secretKey, usePathStyle: true})
    assert.equal((await readAll((await path.getObject('v/a.txt')).body)).toString(), 'virtual')
  })
})
