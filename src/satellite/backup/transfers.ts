// Snapshot shipments on this node: each desired transfer runs in the background while syncs go
// on, and every report says where it stands. A transfer that is no longer desired is aborted; one
// that is desired again after a satellite restart starts over (the satellite keeps no state).
import {open, type FileHandle} from 'node:fs/promises'
import {createS3Client, type S3Target} from '../../api/s3-client.ts'
import type {Logger} from '../../common/log.ts'
import type {DesiredPool, DesiredTransfer, TransferReport} from '../../protocol/messages.ts'
import type {StorageProvider} from '../providers/provider.ts'
import {applyBlockStream, encodeBlockStream, imageSha256, type StreamTrailer} from './block-stream.ts'
import {receiveFromPeer, sendToPeer} from './peer-stream.ts'

/** A receiver waits this long for its sender before it fails. */
const LISTEN_MS = 10 * 60_000

interface Job {
  report: TransferReport
  abort: AbortController
}

export interface TransferDeps {
  providers: ReadonlyMap<string, StorageProvider>
  recordError: (module: string, message: string) => number
  log: Logger
}

export interface Transfers {
  /** Starts the new transfers, aborts the dropped ones, and answers the state of each desired one. */
  apply(desired: readonly DesiredTransfer[], pools: readonly DesiredPool[]): TransferReport[]
  /** Moves whenever a transfer finishes or fails. */
  activity(): number
}

function s3TargetOf(t: DesiredTransfer): S3Target {
  if (!t.s3) throw new Error('the transfer names no S3 bucket')
  const keys = JSON.parse(t.secret ?? '{}') as {accessKey?: string, secretKey?: string}
  if (!keys.accessKey || !keys.secretKey) throw new Error('the transfer carries no S3 keys')
  return {endpoint: t.s3.endpoint, bucket: t.s3.bucket, region: t.s3.region, usePathStyle: t.s3.usePathStyle, accessKey: keys.accessKey, secretKey: keys.secretKey}
}

/** Counts the bytes that pass, for progress reports; an abort ends the stream with an error (an S3 upload is then aborted too). */
async function* counted(source: AsyncIterable<Uint8Array>, job: Job): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    job.abort.signal.throwIfAborted()
    job.report.bytes += chunk.length
    yield chunk
  }
}

export function createTransfers(deps: TransferDeps): Transfers {
  const jobs = new Map<string, Job>()
  let activity = 0

  async function send(t: DesiredTransfer, pool: DesiredPool, provider: StorageProvider, job: Job): Promise<StreamTrailer> {
    const support = provider.snapshots
    if (!support?.read) throw new Error(`storage pool '${pool.name}' (${pool.kind}) cannot ship snapshots`)
    const snap = await support.read(pool, {rsc: t.rsc, vlmNr: t.vlmNr, snap: t.snap})
    const base = t.base ? await support.read(pool, {rsc: t.rsc, vlmNr: t.vlmNr, snap: t.base}) : undefined
    const image = await open(snap.path, 'r')
    const baseHandle = base ? await open(base.path, 'r') : undefined
    let trailer: StreamTrailer | undefined
    try {
      const stream = encodeBlockStream(t.snap, image, snap.sizeBytes, base && baseHandle ? {snap: t.base as string, handle: baseHandle, sizeBytes: base.sizeBytes} : undefined,
        (x) => (trailer = x))
      const data = counted(stream, job)
      if (t.s3) {
        const key = t.s3.keys[0]
        if (!key) throw new Error('the transfer names no S3 object')
        await createS3Client(s3TargetOf(t)).upload(key, data, {contentType: 'application/octet-stream', metadata: {'cairn-snapshot': t.snap}})
      } else if (t.peer) {
        await sendToPeer(t.peer.host, t.peer.port, t.secret ?? '', data, job.abort.signal)
      } else {
        throw new Error('the transfer names neither S3 nor a peer')
      }
    } finally {
      await image.close()
      await baseHandle?.close()
      await snap.release()
      await base?.release()
    }
    if (!trailer) throw new Error('the block stream ended without its trailer')
    return trailer
  }

  async function receive(t: DesiredTransfer, pool: DesiredPool, provider: StorageProvider, job: Job): Promise<StreamTrailer> {
    const support = provider.snapshots
    if (!support?.receive) throw new Error(`storage pool '${pool.name}' (${pool.kind}) cannot receive snapshots`)
    const place = await support.receive(pool, {rsc: t.rsc, vlmNr: t.vlmNr, snap: t.snap}, t.base)
    // Opened once the header said the size: a block device may only exist (or be big enough) then.
    let handle: FileHandle | undefined
    const target = {
      truncate: async (bytes: number): Promise<void> => {
        await place.resize?.(bytes)
        handle ??= await open(place.path, 'r+')
        if (!place.resize) await handle.truncate(bytes)
      },
      write: (data: Buffer, offset: number, length: number, position: number) => (handle as FileHandle).write(data, offset, length, position),
    }
    try {
      let last: {header: {sizeBytes: number, snap: string}, trailer: StreamTrailer} | undefined
      const verify = async (): Promise<void> => {
        if (!last || !handle) throw new Error('no stream arrived')
        await handle.sync()
        const got = await imageSha256(handle, last.header.sizeBytes)
        if (got !== last.trailer.imageSha256) {
          throw new Error(`the received image's checksum ${got.slice(0, 16)}… differs from the sender's ${last.trailer.imageSha256.slice(0, 16)}…`)
        }
      }
      const applyOne = async (data: AsyncIterable<Uint8Array>): Promise<void> => {
        last = await applyBlockStream(counted(data, job), target, last ? last.header.snap : t.base)
      }
      if (t.s3) {
        const client = createS3Client(s3TargetOf(t))
        for (const key of t.s3.keys) {
          job.abort.signal.throwIfAborted()
          await applyOne((await client.getObject(key)).body)
        }
        await verify()
      } else if (t.peer) {
        await receiveFromPeer(t.peer.host, t.peer.port, t.secret ?? '', async (data) => {
          await applyOne(data)
          await verify()
        }, AbortSignal.any([job.abort.signal, AbortSignal.timeout(LISTEN_MS)]))
      } else {
        throw new Error('the transfer names neither S3 nor a peer')
      }
      await handle?.close()
      handle = undefined
      await place.commit()
      return (last as NonNullable<typeof last>).trailer
    } catch (e) {
      await handle?.close().catch(() => undefined)
      await place.abort()
      throw e
    }
  }

  function start(t: DesiredTransfer, pools: readonly DesiredPool[]): Job {
    const job: Job = {report: {id: t.id, state: 'Running', bytes: 0}, abort: new AbortController()}
    const what = `${t.direction === 'send' ? 'Shipping' : 'Receiving'} snapshot '${t.snap}' of ${t.rsc}/${t.vlmNr}`
    const run = async (): Promise<StreamTrailer> => {
      const pool = pools.find((p) => p.name.toUpperCase() === t.pool.toUpperCase())
      const provider = pool ? deps.providers.get(pool.kind) : undefined
      if (!pool || !provider) throw new Error(`storage pool '${t.pool}' is not usable on this node`)
      return t.direction === 'send' ? send(t, pool, provider, job) : receive(t, pool, provider, job)
    }
    run().then((trailer) => {
      job.report = {...job.report, state: 'Done', trailer}
      deps.log.info(`${what} done`, {bytes: job.report.bytes})
    }, (e: unknown) => {
      const message = `${what} failed: ${(e as Error).message}`
      job.report = {...job.report, state: 'Failed', error: message, errorSeq: job.abort.signal.aborted ? undefined : deps.recordError('shipping', message)}
    }).finally(() => {
      activity++
    })
    return job
  }

  return {
    apply(desired, pools) {
      const wanted = new Set(desired.map((t) => t.id))
      for (const [id, job] of jobs) {
        if (wanted.has(id)) continue
        job.abort.abort()
        jobs.delete(id)
      }
      return desired.map((t) => {
        let job = jobs.get(t.id)
        if (!job) jobs.set(t.id, (job = start(t, pools)))
        return {...job.report}
      })
    },
    activity: () => activity,
  }
}
