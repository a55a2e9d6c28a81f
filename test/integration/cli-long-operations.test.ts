// Long operations through the binary: spawn, resource create, volume create and resize, snapshots
// and clones wait until the devices are ready (piped: one line saying so; -m: JSON only), and
// return at once with --async. Against a scripted controller, whose resources take a few polls to
// become ready: the progress line changing in place on a terminal, a timeout and a failure (exit 10).
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {createServer, type Server} from 'node:http'
import {promisify} from 'node:util'
import {after, before, describe, test} from 'node:test'
import {parse, stringify} from '../../src/common/json.ts'
import {cairnCommand, cli, freePort} from '../support/cluster.ts'
import {useCombinedCli} from '../support/cli-session.ts'

const exec = promisify(execFile)

describe('cli: long operations against cairn combined', () => {
  const node = 'long-node'
  const session = useCombinedCli(node)
  const {ok, run, json} = session

  before(async () => {
    await ok('rg', 'c', 'grp', '--place-count', '1', '-l', 'storage')
  })

  test('rg spawn waits for the devices; --async does not; -m stays JSON', async () => {
    const out = await ok('rg', 'spawn', 'grp', 'w1', '8M')
    assert.match(out, /Created resource 'w1' on 'long-node'\n(Resource 'w1' ready on long-node)\n$/)
    assert.doesNotMatch(await ok('rg', 'spawn', 'grp', 'w2', '8M', '--async'), /ready/)
    const replies = await json<{message: string}[][]>('rg', 'spawn', 'grp', 'w3', '8M')
    assert.ok(replies[0]?.some((r) => /Created resource 'w3'/.test(r.message)))
    assert.doesNotMatch(await ok('rg', 'spawn', 'grp', 'w4', '8M', '--definition-only'), /ready/)
  })

  test('r c and rd auto-place wait for the resources they place', async () => {
    await ok('rd', 'c', 'w5', '-l', 'storage')
    await ok('vd', 'c', 'w5', '4M')
    assert.match(await ok('r', 'c', node, 'w5'), /Resource 'w5' ready on long-node\n$/)
    assert.match(await ok('r', 'mkavail', node, 'w5'), /already available[\s\S]*Resource 'w5' ready on long-node\n$/)
    await ok('rd', 'c', 'w6', '--resource-group', 'grp')
    await ok('vd', 'c', 'w6', '4M')
    assert.match(await ok('rd', 'ap', 'w6'), /Resource 'w6' ready on long-node\n$/)
    assert.match(await ok('r', 'c', '--auto-place', '1', 'w4'), /Resource 'w4' ready on long-node\n$/)
  })

  test('vd c adds the volume and waits for it; vd set-size waits for the new size', async () => {
    assert.match(await ok('vd', 'c', 'w1', '4M'), /Resource 'w1' ready on long-node\n$/)
    assert.match(await ok('vd', 'set-size', 'w1', '0', '16M'), /Resized volume 0 of 'w1' to 16 MiB\n$/)
    assert.doesNotMatch(await ok('vd', 'size', 'w1', '1', '8M', '--async'), /Resized/)
    // A definition without resources has nothing to wait for.
    await ok('rd', 'c', 'empty', '-l', 'storage')
    assert.doesNotMatch(await ok('vd', 'c', 'empty', '4M'), /ready/)
  })

  test('s c and s cm wait until the snapshots are taken', async () => {
    assert.match(await ok('s', 'c', 'w1', 'snap1'), /Snapshot 'snap1' of 'w1' taken on long-node\n$/)
    assert.match(await ok('s', 'cm', 'multi', '-r', 'w1', 'w2'),
      /Snapshot 'multi' of 'w1' taken on long-node\nSnapshot 'multi' of 'w2' taken on long-node\n$/)
    assert.doesNotMatch(await ok('s', 'c', 'w1', 'snap2', '--async'), /taken/)
    const r = await run('s', 'c', 'nosuch', 'snap1')
    assert.equal(r.code, 10)
  })

  test('on a terminal: the outcome after the replies, no stray control characters when nothing had to wait', async () => {
    const [cmd, args] = cairnCommand([])
    // script(1) gives the command a terminal; the words come from the environment, not from a built string.
    const {stdout} = await exec('script', ['-qec', '"$CMD" $ARGS rg spawn grp tty1 8M --no-color --controllers "$CTL"', '/dev/null'],
      {env: {...process.env, CMD: cmd, ARGS: args.join(' '), CTL: `127.0.0.1:${session.c.port}`}})
    assert.ok(stdout.includes("Created resource 'tty1' on 'long-node'\r\nResource 'tty1' ready on long-node\r\n"), JSON.stringify(stdout))
  })
})

/**
 * A controller that answers just what `rg spawn` needs: the spawn, the nodes, and the resource
 * view, which reports the resource as `states` says, one entry per poll (the last one repeated).
 */
function scriptedController(states: (string | undefined)[]): {server: Server, polls: () => number} {
  let polls = 0
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, {'content-type': 'application/json'})
      res.end(stringify(body))
    }
    if (req.method === 'POST' && req.url === '/v1/resource-groups/g/spawn') return send(201, [{ret_code: 1n, message: "Resource definition 'x' created."}])
    if (req.url === '/v1/nodes') return send(200, [{name: 'n1', connection_status: 'ONLINE'}, {name: 'n2', connection_status: 'OFFLINE'}])
    if (req.url?.startsWith('/v1/view/resources')) {
      const disk = states[Math.min(polls++, states.length - 1)]
      const volume = {volume_number: 0, state: disk ? {disk_state: disk} : undefined, layer_data_list: [{type: 'STORAGE'}],
        reports: disk === 'Failed' ? [{ret_code: -1n, message: 'no space left in pool'}] : undefined}
      return send(200, [{name: 'x', node_name: 'n1', state: {in_use: false}, volumes: [volume]}, {name: 'x', node_name: 'n2', volumes: []}])
    }
    send(404, [])
  })
  return {server, polls: () => polls}
}

describe('cli: waiting, against a scripted controller', () => {
  const servers: Server[] = []
  const start = async (states: (string | undefined)[]): Promise<{ctl: string, polls: () => number}> => {
    const {server, polls} = scriptedController(states)
    const port = await freePort()
    await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok))
    servers.push(server)
    return {ctl: `127.0.0.1:${port}`, polls}
  }
  after(() => servers.forEach((s) => s.close()))

  test('piped: one line once ready, offline nodes not waited for', async () => {
    const {ctl, polls} = await start([undefined, undefined, 'Created'])
    const r = await cli(['rg', 'spawn', 'g', 'x', '1G', '--controllers', ctl])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /SUCCESS:\n {4}Resource definition 'x' created\.\nResource 'x' ready on n1 \(n2 offline, not waited for\)\n$/)
    assert.doesNotMatch(r.stdout, /Waiting/)
    assert.equal(polls(), 3)
  })

  test('on a terminal: the progress line is rewritten in place, then the outcome', async () => {
    const {ctl} = await start([undefined, undefined, 'Created'])
    const [cmd, args] = cairnCommand([])
    const {stdout} = await exec('script', ['-qec', '"$CMD" $ARGS rg spawn g x 1G --controllers "$CTL"', '/dev/null'],
      {env: {...process.env, CMD: cmd, ARGS: args.join(' '), CTL: ctl}})
    const clear = '\r\x1b[K'
    assert.ok(stdout.includes(`${clear}Waiting for resource 'x': 0 of 1 ready (n1: Unknown)${clear}Resource 'x' ready on n1`), JSON.stringify(stdout))
    assert.equal(stdout.match(/Waiting for/g)?.length, 1, 'an unchanged line is not written again')
  })

  test('--wait-timeout: gives up with exit 10 and says on what', async () => {
    const {ctl} = await start([undefined])
    const t = Date.now()
    const r = await cli(['rg', 'spawn', 'g', 'x', '1G', '--wait-timeout', '1', '--controllers', ctl])
    assert.equal(r.code, 10)
    assert.match(r.stderr, /Gave up waiting after 1 s: Waiting for resource 'x': 0 of 1 ready \(n1: Unknown\)/)
    assert.ok(Date.now() - t < 10_000)
  })

  test('a volume that fails: exit 10 with its error; with -m the JSON stays clean', async () => {
    let {ctl} = await start([undefined, 'Failed'])
    const r = await cli(['rg', 'spawn', 'g', 'x', '1G', '--controllers', ctl])
    assert.equal(r.code, 10)
    assert.match(r.stderr, /Resource 'x' failed on n1: no space left in pool/)
    ;({ctl} = await start(['Failed']))
    const m = await cli(['rg', 'spawn', 'g', 'x', '1G', '-m', '--controllers', ctl])
    assert.equal(m.code, 10)
    assert.deepEqual(parse(m.stdout), [[{ret_code: 1, message: "Resource definition 'x' created."}]])
  })
})
