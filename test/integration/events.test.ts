// Server-sent events on a live combined node: a client on /v1/events/nodes sees a node being
// created, modified and deleted, in order, as text/event-stream frames.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import {cleanup, freePort, startCombined, type Combined} from '../support/cluster.ts'
import {replay} from '../support/rest-replay.ts'

/** Reads SSE frames from a stream until one satisfies `last`. */
async function collect(res: Response, last: (event: string) => boolean): Promise<{event: string, data: Record<string, unknown>}[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const out: {event: string, data: Record<string, unknown>}[] = []
  let buf = ''
  while (!out.some((e) => last(e.event))) {
    const {value, done} = await reader.read()
    if (done) break
    buf += Buffer.from(value).toString('utf8')
    let end: number
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, end)
      buf = buf.slice(end + 2)
      const event = /^event: (.*)$/m.exec(frame)?.[1]
      const data = /^data: (.*)$/m.exec(frame)?.[1]
      if (event && data) out.push({event, data: JSON.parse(data) as Record<string, unknown>})
    }
  }
  await reader.cancel()
  return out
}

describe('/v1/events', () => {
  let c: Combined
  const {ok} = replay(() => c.base)
  before(async () => { c = await startCombined('events1') })
  after(async () => {
    await c?.daemon.stop('SIGKILL')
    if (c) await cleanup(c.dir)
  })

  test('nodes: create, modify, delete arrive as events', async () => {
    const res = await fetch(`${c.base}/v1/events/nodes`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/)
    const events = collect(res, (e) => e === 'node-delete')
    await new Promise((r) => setTimeout(r, 300))
    await ok('POST', '/v1/nodes', 201, {name: 'far', type: 'SATELLITE', net_interfaces: [{name: 'default', address: '127.0.0.9', satellite_port: await freePort('127.0.0.9')}]})
    await new Promise((r) => setTimeout(r, 400))
    await ok('PUT', '/v1/nodes/far', 200, {override_props: {'Aux/rack': 'r1'}})
    await new Promise((r) => setTimeout(r, 400))
    await ok('DELETE', '/v1/nodes/far', 200)
    const got = await events
    assert.equal(got[0]?.event, 'node-create')
    assert.equal((got[0]?.data.node as {name: string}).name, 'far')
    const modified = got.find((e) => e.event === 'node-modified' && (e.data.new_node as {props?: Record<string, string>}).props?.['Aux/rack'] === 'r1')
    assert.ok(modified, JSON.stringify(got))
    assert.equal(got.at(-1)?.event, 'node-delete')
    assert.equal((got.at(-1)?.data.node as {name: string}).name, 'far')
    assert.ok(got.indexOf(modified) > 0)
  })
})
