// A block stream between two satellites over TCP, on a port from SnapshotShipping/TcpPortRange.
// The receiver listens for one sender that proves it holds the shipment's token (both got it
// sealed from their controllers), applies the stream and answers OK or the error, so the sender
// only reports done once the data is verified on the other side.
import {timingSafeEqual} from 'node:crypto'
import {createConnection, createServer, type Socket} from 'node:net'
import {once} from 'node:events'

const TOKEN_LINE_MAX = 256
const OK = 'OK\n'

/** One line off the socket; the socket is left paused with anything after the line put back. */
function readLine(socket: Socket, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0)
    const done = (): void => {
      socket.off('data', onData)
      socket.off('end', onEnd)
      socket.off('close', onEnd)
    }
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk])
      const nl = buf.indexOf(10)
      if (nl < 0 && buf.length <= max) return
      done()
      socket.pause()
      if (nl < 0) return reject(new Error('the peer sent an overlong line'))
      if (nl + 1 < buf.length) socket.unshift(buf.subarray(nl + 1))
      resolve(buf.subarray(0, nl).toString('utf8'))
    }
    const onEnd = (): void => {
      done()
      reject(new Error('the connection closed before a complete line arrived'))
    }
    socket.on('data', onData)
    socket.on('end', onEnd)
    socket.on('close', onEnd)
  })
}

const sameToken = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * Listens on host:port until a sender with `token` connects, hands its data to `consume`, and
 * answers it with the outcome. Connections without the token are closed unanswered. Stops (and
 * rejects) when `signal` aborts.
 */
export async function receiveFromPeer(host: string, port: number, token: string, consume: (data: AsyncIterable<Uint8Array>) => Promise<void>,
  signal: AbortSignal): Promise<void> {
  // Half-open: the sender ends its side after the stream and still reads the verdict.
  const server = createServer({allowHalfOpen: true})
  server.listen({host, port})
  await once(server, 'listening')
  try {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const abort = (): void => reject(new Error('the shipment was aborted before the sender connected'))
      if (signal.aborted) return abort()
      signal.addEventListener('abort', abort, {once: true})
      server.on('connection', (s: Socket) => {
        s.on('error', () => undefined)
        readLine(s, TOKEN_LINE_MAX).then((line) => {
          if (!sameToken(line, token)) return void s.destroy()
          signal.removeEventListener('abort', abort)
          resolve(s)
        }, () => s.destroy())
      })
    })
    server.close()
    const stop = (): void => void socket.destroy(new Error('the shipment was aborted'))
    signal.addEventListener('abort', stop, {once: true})
    try {
      await consume(socket)
      socket.end(OK)
    } catch (e) {
      socket.end(`ERR ${(e as Error).message.replace(/\n/g, ' ')}\n`)
      throw e
    } finally {
      signal.removeEventListener('abort', stop)
    }
  } finally {
    server.close()
  }
}

/** Connects to the receiver (retrying while it is not listening yet), sends token and stream, and waits for its verdict. */
export async function sendToPeer(host: string, port: number, token: string, data: AsyncIterable<Uint8Array>, signal: AbortSignal,
  retryMs = 60_000): Promise<void> {
  const deadline = Date.now() + retryMs
  let socket: Socket
  for (;;) {
    signal.throwIfAborted()
    socket = createConnection({host, port})
    socket.on('error', () => undefined)
    try {
      await once(socket, 'connect', {signal})
      break
    } catch (e) {
      socket.destroy()
      if (signal.aborted || Date.now() > deadline) throw new Error(`cannot reach the receiving node at ${host}:${port}: ${(e as Error).message}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  const stop = (): void => void socket.destroy(new Error('the shipment was aborted'))
  signal.addEventListener('abort', stop, {once: true})
  try {
    const verdict = readLine(socket, 64 * 1024)
    verdict.catch(() => undefined)
    socket.write(`${token}\n`)
    for await (const chunk of data) {
      if (!socket.write(chunk)) await once(socket, 'drain')
    }
    socket.end()
    const line = await verdict
    if (`${line}\n` !== OK) throw new Error(`the receiving node refused the stream: ${line.replace(/^ERR /, '')}`)
  } finally {
    signal.removeEventListener('abort', stop)
    socket.destroy()
  }
}
