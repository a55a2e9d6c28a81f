import {test} from 'node:test'
import assert from 'node:assert/strict'
import {createHash, randomBytes} from 'node:crypto'
import {mkdtemp, open, readFile, rm, truncate, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {applyBlockStream, BLOCK_SIZE, encodeBlockStream, imageSha256, type StreamTrailer} from '../../src/satellite/backup/block-stream.ts'
import {receiveFromPeer, sendToPeer} from '../../src/satellite/backup/peer-stream.ts'

const MiB = 1024 * 1024

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const p of gen) parts.push(p)
  return Buffer.concat(parts)
}

async function* chunks(buf: Buffer, size = 7777): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-bs-'))
  try {
    await fn(dir)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

async function encodeFile(snap: string, file: string, base?: {snap: string, file: string}): Promise<{stream: Buffer, trailer: StreamTrailer}> {
  const img = await open(file, 'r')
  const b = base ? await open(base.file, 'r') : undefined
  let trailer: StreamTrailer | undefined
  try {
    const size = (await img.stat()).size
    const stream = await collect(encodeBlockStream(snap, img, size, b && base ? {snap: base.snap, handle: b, sizeBytes: (await b.stat()).size} : undefined, (t) => (trailer = t)))
    return {stream, trailer: trailer as StreamTrailer}
  } finally {
    await img.close()
    await b?.close()
  }
}

test('a full stream skips zero blocks; an incremental one carries only changed blocks; the chain restores the exact image', () => withDir(async (dir) => {
  const v1 = join(dir, 'v1.img')
  await truncate(await (await open(v1, 'w')).close().then(() => v1), 8 * MiB)
  const f = await open(v1, 'r+')
  await f.write(randomBytes(3 * BLOCK_SIZE), 0, 3 * BLOCK_SIZE, MiB)
  await f.close()
  const full = await encodeFile('back_1', v1)
  assert.equal(full.trailer.blocks, 3, 'only the three written blocks travel')
  assert.ok(full.stream.length < 4 * BLOCK_SIZE)
  assert.equal(full.trailer.imageSha256, sha(await readFile(v1)))

  // Second state: one block changed, the volume grew by 1 MiB with data at its end.
  const v2 = join(dir, 'v2.img')
  await writeFile(v2, await readFile(v1))
  await truncate(v2, 9 * MiB)
  const g = await open(v2, 'r+')
  await g.write(Buffer.alloc(10, 7), 0, 10, MiB + 5)
  await g.write(randomBytes(BLOCK_SIZE), 0, BLOCK_SIZE, 9 * MiB - BLOCK_SIZE)
  await g.close()
  const inc = await encodeFile('back_2', v2, {snap: 'back_1', file: v1})
  assert.equal(inc.trailer.blocks, 2)

  const target = join(dir, 'restored.img')
  const t = await open(target, 'w+')
  await applyBlockStream(chunks(full.stream), t)
  await assert.rejects(applyBlockStream(chunks(inc.stream), t, 'back_0'), /incremental on snapshot 'back_1', but 'back_0' is there/)
  const r = await applyBlockStream(chunks(inc.stream), t, 'back_1')
  assert.equal(r.header.sizeBytes, 9 * MiB)
  assert.equal(await imageSha256(t, r.header.sizeBytes), inc.trailer.imageSha256)
  await t.close()
  assert.equal(sha(await readFile(target)), sha(await readFile(v2)))
}))

test('a corrupted or truncated stream is refused', () => withDir(async (dir) => {
  const v = join(dir, 'v.img')
  await writeFile(v, randomBytes(2 * BLOCK_SIZE + 100))
  const {stream} = await encodeFile('s', v)
  const bad = Buffer.from(stream)
  bad[300] = (bad[300] as number) ^ 0xff
  const t = await open(join(dir, 't.img'), 'w+')
  await assert.rejects(applyBlockStream(chunks(bad), t), /checksum does not match/)
  const badHeader = Buffer.from(stream)
  badHeader[20] = 0x7b
  await assert.rejects(applyBlockStream(chunks(badHeader), t), /header is corrupt|unsupported block stream header/)
  await assert.rejects(applyBlockStream(chunks(stream.subarray(0, stream.length - 5)), t), /ended early/)
  await assert.rejects(applyBlockStream(chunks(Buffer.concat([stream, Buffer.from('x')])), t), /data after its end/)
  await assert.rejects(applyBlockStream(chunks(Buffer.from('NOTASTREAM')), t), /bad magic/)
  await t.close()
}))

test('peer stream: a sender without the token gets nothing done; with it, the receiver applies the stream and answers', async () => {
  const payload = randomBytes(300_000)
  const {createServer} = await import('node:net')
  const probe = createServer().listen(0, '127.0.0.1')
  await new Promise((r) => probe.once('listening', r))
  const port = (probe.address() as {port: number}).port
  probe.close()
  let received: Buffer | undefined
  const ac = new AbortController()
  const receiving = receiveFromPeer('127.0.0.1', port, 'token-1', async (data) => {
    received = await collect(data as AsyncIterable<Buffer>)
  }, ac.signal)
  await assert.rejects(sendToPeer('127.0.0.1', port, 'wrong', chunks(payload), new AbortController().signal, 2000), /closed before|refused/)
  await sendToPeer('127.0.0.1', port, 'token-1', chunks(payload), new AbortController().signal)
  await receiving
  assert.ok(received?.equals(payload))

  const failing = assert.rejects(receiveFromPeer('127.0.0.1', port, 'token-2', async () => {
    throw new Error('checksum differs')
  }, ac.signal), /checksum differs/)
  await assert.rejects(sendToPeer('127.0.0.1', port, 'token-2', chunks(payload), new AbortController().signal), /refused the stream: checksum differs/)
  await failing

  const waiting = assert.rejects(receiveFromPeer('127.0.0.1', port, 'token-3', async () => undefined, ac.signal), /aborted before the sender connected/)
  ac.abort()
  await waiting
})
