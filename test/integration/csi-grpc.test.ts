// The CSI gRPC transport against a real gRPC client (@grpc/grpc-js, messages serialised by
// protobufjs), over a unix socket as the sidecars use it and over TCP; plus the protocol edges
// grpc-js never produces, spoken directly over node:http2.
import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import http2 from 'node:http2'
import net from 'node:net'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import grpc from '@grpc/grpc-js'
import {CSI_METHODS} from '../../drivers/csi/csi-schema.ts'
import {
  GrpcError, GrpcStatus, parseEndpoint, parseTimeout, percentEncode, routesFor, serveGrpc,
  type CallContext, type GrpcServer, type Routes,
} from '../../drivers/csi/grpc-server.ts'
import {csiType} from '../support/csi-proto.ts'

// --- the messages these tests send, described to protobufjs (from csi.proto v1.9) --------------

const type = csiType

// --- a grpc-js client ---------------------------------------------------------------------------

type Reply = {error: grpc.ServiceError | null, value: Record<string, unknown> | undefined}

interface CallOptions {
  metadata?: Record<string, string>
  deadlineMs?: number
  onCall?: (call: grpc.ClientUnaryCall) => void
}

function call(client: grpc.Client, method: string, request: [string, object], response: string, options: CallOptions = {}): Promise<Reply> {
  const [requestType, value] = request
  const serialize = (v: object): Buffer => Buffer.from(type(requestType).encode(type(requestType).fromObject(v)).finish())
  // toObject with longs as strings: 64-bit values arrive exact, whatever their size.
  const deserialize = (b: Buffer): Record<string, unknown> => type(response).toObject(type(response).decode(b), {longs: String})
  const metadata = new grpc.Metadata()
  for (const [k, v] of Object.entries(options.metadata ?? {})) metadata.set(k, v)
  const callOptions: grpc.CallOptions = options.deadlineMs === undefined ? {} : {deadline: Date.now() + options.deadlineMs}
  return new Promise((resolve) => {
    const c = client.makeUnaryRequest(method, serialize, deserialize, value, metadata, callOptions, (error, value) => resolve({error, value}))
    options.onCall?.(c)
  })
}

const ok = (reply: Reply): Record<string, unknown> => {
  assert.equal(reply.error, null, reply.error?.message)
  assert.ok(reply.value)
  return reply.value
}

// --- the handlers under test --------------------------------------------------------------------

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function makeRoutes(): {routes: Routes, stats: {inFlight: number, maxInFlight: number}, aborted: Map<string, unknown>, internal: unknown[]} {
  const stats = {inFlight: 0, maxInFlight: 0}
  const aborted = new Map<string, unknown>()
  const internal: unknown[] = []
  const routes = routesFor(CSI_METHODS, {
    '/csi.v1.Identity/GetPluginInfo': () => ({name: 'csi.cairn.io', vendorVersion: '1.2.3', manifest: {commit: 'abc123'}}),
    '/csi.v1.Identity/Probe': () => ({ready: {value: true}}),
    '/csi.v1.Controller/CreateVolume': async (req) => {
      stats.inFlight++
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
      await sleep(20)
      stats.inFlight--
      const cap = req.volumeCapabilities[0]
      return {volume: {
        volumeId: req.name,
        capacityBytes: req.capacityRange?.limitBytes ?? 0,
        volumeContext: {...req.parameters, fsType: cap?.mount?.fsType ?? 'block', flags: cap?.mount?.mountFlags.join(',') ?? '', secret: req.secrets.key ?? ''},
        accessibleTopology: req.accessibilityRequirements?.requisite ?? [],
      }}
    },
    '/csi.v1.Controller/DeleteVolume': (req) => {
      throw new GrpcError(GrpcStatus.NOT_FOUND, req.volumeId === 'x' ? 'x' : `volume "${req.volumeId}" is 100% gone ✓\nreally`)
    },
    '/csi.v1.Controller/ControllerPublishVolume': (req) => {
      throw new Error(`disk of ${req.volumeId} on fire`)
    },
    '/csi.v1.Node/NodeGetInfo': (_req, c: CallContext) => ({
      nodeId: c.metadata['x-node'] ?? 'unnamed', maxVolumesPerNode: 2n ** 62n, accessibleTopology: {segments: {deadline: String(c.deadline !== undefined)}},
    }),
    // Waits for the call to end and records why, for the cancel and deadline tests.
    '/csi.v1.Node/NodeStageVolume': (req, c: CallContext) => new Promise((resolve) => {
      c.signal.addEventListener('abort', () => {
        aborted.set(req.volumeId, c.signal.reason)
        resolve({})
      })
    }),
  })
  return {routes, stats, aborted, internal}
}

const methods = {
  info: '/csi.v1.Identity/GetPluginInfo',
  probe: '/csi.v1.Identity/Probe',
  create: '/csi.v1.Controller/CreateVolume',
  delete: '/csi.v1.Controller/DeleteVolume',
  publish: '/csi.v1.Controller/ControllerPublishVolume',
  nodeInfo: '/csi.v1.Node/NodeGetInfo',
  stage: '/csi.v1.Node/NodeStageVolume',
}

const createRequest = (name: string): [string, object] => ['CreateVolumeRequest', {
  name,
  capacityRange: {requiredBytes: '5000000000', limitBytes: '9223372036854775807'},
  volumeCapabilities: [{mount: {fsType: 'xfs', mountFlags: ['noatime', 'discard']}, accessMode: {mode: 1}}, {block: {}, accessMode: {mode: 5}}],
  parameters: {placementCount: '2', 'csi.storage.k8s.io/fstype': 'xfs'},
  secrets: {key: 's3cr=t'},
  accessibilityRequirements: {requisite: [{segments: {'topology.cairn.io/node': 'n1'}}], preferred: []},
}]

// --- the same behaviour on both transports ---------------------------------------------------

for (const transport of ['unix', 'tcp'] as const) {
  describe(`grpc-js client over ${transport}`, () => {
    let dir: string
    let server: GrpcServer
    let client: grpc.Client
    let handlers: ReturnType<typeof makeRoutes>

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cairn-csi-'))
      handlers = makeRoutes()
      const endpoint = transport === 'unix' ? `unix://${join(dir, 'csi.sock')}` : 'tcp://127.0.0.1:0'
      server = await serveGrpc(endpoint, handlers.routes, {onError: (e) => handlers.internal.push(e)})
      const target = server.endpoint.kind === 'unix' ? `unix://${server.endpoint.path}` : `127.0.0.1:${server.endpoint.port}`
      client = new grpc.Client(target, grpc.credentials.createInsecure())
    })

    after(async () => {
      client?.close()
      await server?.close()
      await rm(dir, {recursive: true, force: true})
    })

    test('the server reports where it listens', () => {
      if (transport === 'unix') assert.equal(server.address, `unix://${join(dir, 'csi.sock')}`)
      else assert.match(server.address, /^tcp:\/\/127\.0\.0\.1:[1-9]\d*$/)
    })

    test('Identity calls succeed', async () => {
      assert.deepEqual(ok(await call(client, methods.info, ['Empty', {}], 'GetPluginInfoResponse')),
        {name: 'csi.cairn.io', vendorVersion: '1.2.3', manifest: {commit: 'abc123'}})
      assert.deepEqual(ok(await call(client, methods.probe, ['Empty', {}], 'ProbeResponse')), {ready: {value: true}})
    })

    test('CreateVolume carries nested, repeated, map, oneof and 64-bit values both ways', async () => {
      const volume = ok(await call(client, methods.create, createRequest('pvc-1'), 'CreateVolumeResponse')).volume
      assert.deepEqual(volume, {
        volumeId: 'pvc-1',
        capacityBytes: '9223372036854775807',
        volumeContext: {placementCount: '2', 'csi.storage.k8s.io/fstype': 'xfs', fsType: 'xfs', flags: 'noatime,discard', secret: 's3cr=t'},
        accessibleTopology: [{segments: {'topology.cairn.io/node': 'n1'}}],
      })
    })

    test('metadata reaches the handler, and int64 beyond 2^53 comes back exact', async () => {
      const info = ok(await call(client, methods.nodeInfo, ['Empty', {}], 'NodeGetInfoResponse', {metadata: {'x-node': 'node-7'}, deadlineMs: 5000}))
      assert.deepEqual(info, {nodeId: 'node-7', maxVolumesPerNode: String(2n ** 62n), accessibleTopology: {segments: {deadline: 'true'}}})
    })

    test('a GrpcError arrives with its code and message', async () => {
      const {error} = await call(client, methods.delete, ['DeleteVolumeRequest', {volumeId: 'x'}], 'Empty')
      assert.equal(error?.code, grpc.status.NOT_FOUND)
      assert.equal(error?.code, 5)
      assert.equal(error?.details, 'x')
    })

    test('messages with quotes, %, non-ASCII and newlines survive the percent-encoding', async () => {
      const {error} = await call(client, methods.delete, ['DeleteVolumeRequest', {volumeId: 'pvc-ä'}], 'Empty')
      assert.equal(error?.code, 5)
      assert.equal(error?.details, 'volume "pvc-ä" is 100% gone ✓\nreally')
    })

    test('an unknown method is UNIMPLEMENTED', async () => {
      for (const method of ['/csi.v1.Controller/ControllerGetVolume', '/csi.v1.Nope/Nothing', '/toString']) {
        const {error} = await call(client, method, ['Empty', {}], 'Empty')
        assert.equal(error?.code, grpc.status.UNIMPLEMENTED, method)
        assert.equal(error?.code, 12)
      }
    })

    test('a handler throwing a plain Error answers INTERNAL and is reported', async () => {
      const reported = handlers.internal.length
      const {error} = await call(client, methods.publish, ['ControllerPublishVolumeRequest', {volumeId: 'pvc-9', nodeId: 'n'}], 'Empty')
      assert.equal(error?.code, grpc.status.INTERNAL)
      assert.equal(error?.details, 'disk of pvc-9 on fire')
      assert.equal(handlers.internal.length, reported + 1)
      assert.ok(handlers.internal.at(-1) instanceof Error)
    })

    test('concurrent calls are served concurrently and each gets its own answer', async () => {
      const names = Array.from({length: 40}, (_, i) => `pvc-${i}`)
      const replies = await Promise.all(names.map((n) => call(client, methods.create, createRequest(n), 'CreateVolumeResponse')))
      assert.deepEqual(replies.map((r) => (ok(r).volume as {volumeId: string}).volumeId), names)
      assert.ok(handlers.stats.maxInFlight > 1, `max in flight ${handlers.stats.maxInFlight}`)
      // Mixed with failing calls on the same connection.
      const mixed = await Promise.all([
        call(client, methods.delete, ['DeleteVolumeRequest', {volumeId: 'x'}], 'Empty'),
        call(client, methods.probe, ['Empty', {}], 'ProbeResponse'),
        call(client, '/csi.v1.Nope/Nothing', ['Empty', {}], 'Empty'),
        call(client, methods.publish, ['ControllerPublishVolumeRequest', {volumeId: 'v'}], 'Empty'),
      ])
      assert.deepEqual(mixed.map((r) => r.error?.code ?? 0), [5, 0, 12, 13])
    })

    test('a cancelled call aborts the handler\'s signal', async () => {
      const reply = call(client, methods.stage, ['NodeStageVolumeRequest', {volumeId: 'cancel-me'}], 'Empty', {
        onCall: (c) => setTimeout(() => c.cancel(), 50),
      })
      assert.equal((await reply).error?.code, grpc.status.CANCELLED)
      for (let i = 0; i < 100 && !handlers.aborted.has('cancel-me'); i++) await sleep(10)
      assert.ok(handlers.aborted.get('cancel-me') instanceof GrpcError)
    })

    test('a deadline ends the call with DEADLINE_EXCEEDED and aborts the handler', async () => {
      const {error} = await call(client, methods.stage, ['NodeStageVolumeRequest', {volumeId: 'slow'}], 'Empty', {deadlineMs: 100})
      assert.equal(error?.code, grpc.status.DEADLINE_EXCEEDED)
      for (let i = 0; i < 100 && !handlers.aborted.has('slow'); i++) await sleep(10)
      assert.ok(handlers.aborted.has('slow'))
    })

    test('a client sending gzip-compressed messages gets UNIMPLEMENTED', async () => {
      const target = server.endpoint.kind === 'unix' ? `unix://${server.endpoint.path}` : `127.0.0.1:${server.endpoint.port}`
      const gzipClient = new grpc.Client(target, grpc.credentials.createInsecure(), {'grpc.default_compression_algorithm': 2})
      try {
        const {error} = await call(gzipClient, methods.create, createRequest('zipped'), 'CreateVolumeResponse')
        assert.equal(error?.code, grpc.status.UNIMPLEMENTED)
        assert.match(error?.details ?? '', /compress/)
      } finally {
        gzipClient.close()
      }
    })
  })
}

// --- protocol details, spoken over raw HTTP/2 -----------------------------------------------

describe('gRPC framing on the wire', () => {
  let dir: string
  let server: GrpcServer
  let session: http2.ClientHttp2Session

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-csi-'))
    const routes: Routes = {...makeRoutes().routes, '/test.Raw/Echo': async (bytes) => bytes}
    server = await serveGrpc(`unix://${join(dir, 'csi.sock')}`, routes, {maxMessageBytes: 1024})
    const path = join(dir, 'csi.sock')
    session = http2.connect('http://localhost', {createConnection: () => net.connect(path)})
  })

  after(async () => {
    session?.close()
    await server?.close()
    await rm(dir, {recursive: true, force: true})
  })

  interface Raw {headers: http2.IncomingHttpHeaders, trailers: http2.IncomingHttpHeaders, body: Buffer}

  function raw(path: string, body: Uint8Array, headers: http2.OutgoingHttpHeaders = {}): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const req = session.request({':method': 'POST', ':path': path, 'content-type': 'application/grpc', 'te': 'trailers', ...headers})
      const chunks: Buffer[] = []
      let head: http2.IncomingHttpHeaders = {}
      let trailers: http2.IncomingHttpHeaders = {}
      req.on('response', (h) => (head = h))
      req.on('trailers', (t) => (trailers = t))
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => resolve({headers: head, trailers, body: Buffer.concat(chunks)}))
      req.on('error', reject)
      req.end(body)
    })
  }

  const framed = (message: Uint8Array, flag = 0): Buffer => {
    const out = Buffer.alloc(5 + message.length)
    out[0] = flag
    out.writeUInt32BE(message.length, 1)
    out.set(message, 5)
    return out
  }
  // A status either in the trailers or, for trailers-only answers, in the headers.
  const status = (r: Raw): [string | undefined, string | undefined] => {
    const from = r.trailers['grpc-status'] === undefined ? r.headers : r.trailers
    return [from['grpc-status'] as string | undefined, from['grpc-message'] as string | undefined]
  }

  test('a success is 200, application/grpc, one framed message, grpc-status 0 in trailers', async () => {
    const r = await raw('/test.Raw/Echo', framed(Buffer.from('hello')))
    assert.equal(r.headers[':status'], 200)
    assert.equal(r.headers['content-type'], 'application/grpc')
    assert.equal(r.headers['grpc-status'], undefined)
    assert.equal(r.trailers['grpc-status'], '0')
    assert.deepEqual(r.body, framed(Buffer.from('hello')))
  })

  test('an error is a trailers-only answer with a percent-encoded grpc-message', async () => {
    const request = type('DeleteVolumeRequest').encode({volumeId: 'ä'}).finish()
    const r = await raw('/csi.v1.Controller/DeleteVolume', framed(request))
    assert.equal(r.headers[':status'], 200)
    assert.equal(r.headers['content-type'], 'application/grpc')
    assert.deepEqual(status(r), ['5', 'volume "%C3%A4" is 100%25 gone %E2%9C%93%0Areally'])
    assert.equal(r.body.length, 0)
  })

  test('a message split over many DATA frames is reassembled', async () => {
    const req = session.request({':method': 'POST', ':path': '/test.Raw/Echo', 'content-type': 'application/grpc'})
    const whole = framed(Buffer.from('split into pieces'))
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    const done = new Promise<void>((resolve) => req.on('end', resolve))
    for (let i = 0; i < whole.length; i += 3) {
      req.write(whole.subarray(i, i + 3))
      await sleep(1)
    }
    req.end()
    await done
    assert.deepEqual(Buffer.concat(chunks), whole)
  })

  test('a compressed message is UNIMPLEMENTED', async () => {
    const r = await raw('/test.Raw/Echo', framed(Buffer.from('x'), 1), {'grpc-encoding': 'gzip'})
    assert.equal(status(r)[0], String(GrpcStatus.UNIMPLEMENTED))
  })

  test('no message, two messages, a truncated frame or an invalid flag are INTERNAL', async () => {
    const two = Buffer.concat([framed(Buffer.from('a')), framed(Buffer.from('b'))])
    for (const body of [Buffer.alloc(0), two, framed(Buffer.from('abc')).subarray(0, 6), framed(Buffer.from('a')).subarray(0, 3), framed(Buffer.from('a'), 2)]) {
      assert.equal(status(await raw('/test.Raw/Echo', body))[0], String(GrpcStatus.INTERNAL), body.toString('hex'))
    }
  })

  test('an undecodable protobuf request is INTERNAL', async () => {
    const r = await raw('/csi.v1.Controller/DeleteVolume', framed(Buffer.from([0x0a, 0x09, 0x61])))
    assert.equal(status(r)[0], String(GrpcStatus.INTERNAL))
    assert.match(status(r)[1] ?? '', /unmarshalling/)
  })

  test('a request above the size limit is RESOURCE_EXHAUSTED', async () => {
    const r = await raw('/test.Raw/Echo', framed(Buffer.alloc(2000, 1)))
    assert.equal(status(r)[0], String(GrpcStatus.RESOURCE_EXHAUSTED))
  })

  test('non-gRPC requests get plain HTTP answers: 415 for another content type, 405 for GET', async () => {
    const json = await raw('/csi.v1.Identity/Probe', Buffer.from('{}'), {'content-type': 'application/json'})
    assert.equal(json.headers[':status'], 415)
    const get = await new Promise<number | undefined>((resolve) => {
      const req = session.request({':method': 'GET', ':path': '/csi.v1.Identity/Probe'})
      req.on('response', (h) => resolve(h[':status']))
      req.end()
    })
    assert.equal(get, 405)
  })
})

// --- the unix socket file --------------------------------------------------------------------

describe('the unix socket', () => {
  let dir: string
  const exec = promisify(execFile)
  const probe = (path: string): Promise<Reply> => {
    const client = new grpc.Client(`unix://${path}`, grpc.credentials.createInsecure())
    return call(client, methods.probe, ['Empty', {}], 'ProbeResponse').finally(() => client.close())
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-csi-'))
  })

  after(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  test('a stale socket left by a dead process is replaced', async () => {
    const path = join(dir, 'stale.sock')
    // A process that exits without closing its server leaves the socket file behind.
    await exec(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`])
    assert.ok((await stat(path)).isSocket())
    const server = await serveGrpc(`unix://${path}`, makeRoutes().routes)
    try {
      assert.deepEqual(ok(await probe(path)), {ready: {value: true}})
    } finally {
      await server.close()
    }
  })

  test('a socket another server is listening on is not taken over', async () => {
    const path = join(dir, 'live.sock')
    const first = await serveGrpc(`unix://${path}`, makeRoutes().routes)
    try {
      await assert.rejects(serveGrpc(`unix://${path}`, {}), {code: 'EADDRINUSE'})
      assert.deepEqual(ok(await probe(path)), {ready: {value: true}})
    } finally {
      await first.close()
    }
  })

  test('a regular file at the path is left alone', async () => {
    const path = join(dir, 'not-a-socket')
    await writeFile(path, 'keep me')
    await assert.rejects(serveGrpc(path, {}), /not a socket/)
    assert.equal(await readFile(path, 'utf8'), 'keep me')
  })

  test('close() resolves with a client still connected, and removes the socket file', async () => {
    const path = join(dir, 'close.sock')
    const server = await serveGrpc(`unix:${path}`, makeRoutes().routes)
    const client = new grpc.Client(`unix://${path}`, grpc.credentials.createInsecure())
    try {
      ok(await call(client, methods.probe, ['Empty', {}], 'ProbeResponse'))
      await server.close()
      await assert.rejects(stat(path), {code: 'ENOENT'})
      const {error} = await call(client, methods.probe, ['Empty', {}], 'ProbeResponse', {deadlineMs: 2000})
      assert.ok(error?.code === grpc.status.UNAVAILABLE || error?.code === grpc.status.DEADLINE_EXCEEDED, String(error?.code))
    } finally {
      client.close()
    }
  })

  test('a call in flight when close() starts still gets its answer', async () => {
    const path = join(dir, 'drain.sock')
    const server = await serveGrpc(`unix://${path}`, makeRoutes().routes)
    const client = new grpc.Client(`unix://${path}`, grpc.credentials.createInsecure())
    try {
      ok(await call(client, methods.probe, ['Empty', {}], 'ProbeResponse'))
      const pending = call(client, methods.create, createRequest('draining'), 'CreateVolumeResponse')
      await sleep(5)
      const closed = server.close()
      assert.equal((ok(await pending).volume as {volumeId: string}).volumeId, 'draining')
      await closed
    } finally {
      client.close()
    }
  })
})

// --- small parsers --------------------------------------------------------------------------

describe('endpoints, timeouts and messages', () => {
  test('endpoints as CSI sidecars and drivers pass them', () => {
    assert.deepEqual(parseEndpoint('unix:///csi/csi.sock'), {kind: 'unix', path: '/csi/csi.sock'})
    assert.deepEqual(parseEndpoint('unix:/csi/csi.sock'), {kind: 'unix', path: '/csi/csi.sock'})
    assert.deepEqual(parseEndpoint('unix:csi.sock'), {kind: 'unix', path: 'csi.sock'})
    assert.deepEqual(parseEndpoint('/var/lib/kubelet/plugins/csi.cairn.io/csi.sock'), {kind: 'unix', path: '/var/lib/kubelet/plugins/csi.cairn.io/csi.sock'})
    assert.deepEqual(parseEndpoint('tcp://127.0.0.1:10000'), {kind: 'tcp', host: '127.0.0.1', port: 10000})
    assert.deepEqual(parseEndpoint('tcp://[::1]:10000'), {kind: 'tcp', host: '::1', port: 10000})
    assert.deepEqual(parseEndpoint('tcp://:10000'), {kind: 'tcp', host: '', port: 10000})
    assert.deepEqual(parseEndpoint('tcp://csi.example.org:0'), {kind: 'tcp', host: 'csi.example.org', port: 0})
    for (const bad of ['unix://relative', 'unix:', 'tcp://host', 'tcp://host:99999', 'http://x:1', 'csi.sock', '']) {
      assert.throws(() => parseEndpoint(bad), Error, bad)
    }
  })

  test('grpc-timeout values', () => {
    assert.equal(parseTimeout('100m'), 100)
    assert.equal(parseTimeout('2S'), 2000)
    assert.equal(parseTimeout('1H'), 3_600_000)
    assert.equal(parseTimeout('5000u'), 5)
    assert.equal(parseTimeout('123456789S'), undefined)
    assert.equal(parseTimeout('1x'), undefined)
    assert.equal(parseTimeout(undefined), undefined)
  })

  test('grpc-message percent-encoding keeps printable ASCII and escapes the rest', () => {
    assert.equal(percentEncode('plain text: ok!'), 'plain text: ok!')
    assert.equal(percentEncode('50% ä\t\u{1F680}'), '50%25 %C3%A4%09%F0%9F%9A%80')
    assert.equal(decodeURIComponent(percentEncode('a%b ü\n')), 'a%b ü\n')
  })
})
