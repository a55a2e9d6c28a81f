// sos-report's pure parts and the node's collection against a fake host: the command list (argv
// arrays, timeouts), node selection by nodes/rscs/exclude, redaction of settings, state and
// text, and the archive layout with its last redaction pass.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc} from '../../src/common/api-call-rc.ts'
import type {Settings} from '../../src/common/config.ts'
import {REDACTED, redactDeep, redactedSettings, redactText, secretValues} from '../../src/common/redaction.ts'
import {CONTROLLER_DIR, noteFile, reportEntries, reportName, scrubbedDump, sosNodes, stateSecrets} from '../../src/controller/reports/sos-report.ts'
import {extFileKey} from '../../src/controller/model/external-file.ts'
import {PROTOCOL_VERSION} from '../../src/protocol/messages.ts'
import {COMMAND_TIMEOUT_S, commandFile, hostCommands, journalCommand, SOS_PATH} from '../../src/protocol/sos.ts'
import {ExecError, type Run} from '../../src/satellite/exec.ts'
import {satelliteSos, sosRoutes, type SosHost} from '../../src/satellite/sos.ts'
import {cluster, group, spawned, NOW} from '../support/lifecycle.ts'
import {apply, failsWith} from '../support/model.ts'

const keys = (names: string[]): Set<string> => new Set(names.map((n) => n.toUpperCase()))

describe('sos-report: the host commands', () => {
  test('every command is an argument vector with a timeout, and each file is named once', () => {
    const cmds = hostCommands(NOW)
    assert.ok(cmds.length >= 15)
    for (const c of cmds) {
      assert.ok(Array.isArray(c.argv) && c.argv.length >= 1 && c.argv.every((a) => typeof a === 'string' && !a.includes('\0')), c.file)
      assert.ok(!/^(sh|bash)$/.test(c.argv[0]), `${c.file} runs a shell`)
      assert.equal(c.timeoutS, COMMAND_TIMEOUT_S)
    }
    assert.equal(new Set(cmds.map((c) => c.file)).size, cmds.length)
    const argv = (file: string): readonly string[] | undefined => cmds.find((c) => c.file === file)?.argv
    assert.deepEqual(argv('uname.txt'), ['uname', '-a'])
    assert.deepEqual(argv('lsblk.json'), ['lsblk', '-O', '--json'])
    assert.deepEqual(argv('drbdsetup-events2.txt'), ['drbdsetup', 'events2', '--now', '--statistics'])
    assert.deepEqual(argv('lvs.json')?.slice(0, 3), ['lvs', '--reportformat', 'json'])
    assert.ok(argv('journal-kernel.txt')?.includes(`@${Math.floor(NOW / 1000)}`))
  })

  test('the journal covers the units since the given time, or the current boot', () => {
    const since = journalCommand('j.txt', ['cairn-satellite', 'cairn-combined'], NOW).argv
    assert.deepEqual(since.slice(0, 7), ['journalctl', '-u', 'cairn-satellite', '-u', 'cairn-combined', '--since', `@${NOW / 1000}`])
    assert.ok(since.includes('--no-pager'))
    assert.ok(journalCommand('j.txt', ['cairn-satellite'], undefined).argv.includes('-b'))
  })

  test('a failed command file says what ran and why it failed', () => {
    const c = hostCommands(undefined)[0] as Parameters<typeof commandFile>[0]
    assert.equal(commandFile(c, {stdout: 'out\n', exitCode: 0}), 'out\n')
    assert.match(commandFile(c, {stdout: '', stderr: 'boom\n', exitCode: 2, error: 'failed'}), /^\$ uname -a\n# failed \(exit 2\): failed\nboom\n$/)
  })
})

/** A host where `installed` tools answer "<tool> output" (or fail, for `failing`), with a few files. */
function fakeHost(installed: string[], failing: string[] = [], files: Record<string, string> = {}): SosHost & {ran: string[][]} {
  const ran: string[][] = []
  const run: Run = async (cmd, args, opts) => {
    ran.push([cmd, ...args, `timeout=${opts?.timeoutMs}`])
    const result = {stdout: `${cmd} output\n`, stderr: '', exitCode: 0}
    if (failing.includes(cmd)) throw new ExecError(cmd, args, {stdout: '', stderr: `${cmd} broke`, exitCode: 1})
    if (cmd === 'uptime') throw new Error('spawn uptime ENOENT')
    return result
  }
  return {
    ran, run,
    hasCommand: async (cmd) => installed.includes(cmd),
    readFile: async (p) => files[p],
    listDir: async (d) => Object.keys(files).filter((p) => p.startsWith(`${d}/`)).map((p) => p.slice(d.length + 1)),
  }
}

const SETTINGS = {'data-dir': '/var/lib/cairn', 'node-name': 'n1', 'cluster-secret': 'configured-secret-value', 'master-passphrase': '',
  'rest-port': 3370} as unknown as Settings

describe('sos-report: the node part', () => {
  test('missing tools give "not installed", failures their error, and the .res files and settings are there, redacted', async () => {
    const host = fakeHost(['uname', 'uptime', 'lsblk', 'dmesg', 'journalctl'], ['dmesg'], {
      '/proc/drbd': 'version: 9.2\n',
      '/var/lib/cairn/drbd.d/r1.res': 'resource r1 {\n  net {\n    cram-hmac-alg sha1;\n    shared-secret "drbdSecret123";\n  }\n}\n',
      '/var/lib/cairn/drbd.d/r1.res_tmp': 'ignored',
    })
    const reply = await satelliteSos({host, settings: SETTINGS, secrets: () => ['the-cluster-secret-xyz', undefined]}, {since: NOW})
    assert.equal(reply.protocol, PROTOCOL_VERSION)
    const file = (name: string): string | undefined => reply.files?.find((f) => f.name === name)?.content
    assert.equal(file('uname.txt'), 'uname output\n')
    assert.equal(file('drbdadm-version.txt'), 'drbdadm: not installed on this node\n')
    assert.equal(file('dmesg.txt'), '$ dmesg --ctime\n# failed (exit 1)\ndmesg broke')
    assert.equal(file('uptime.txt'), '$ uptime\n# failed: spawn uptime ENOENT\n')
    assert.equal(file('proc-drbd.txt'), 'version: 9.2\n')
    assert.match(file('res/r1.res') ?? '', /shared-secret "<redacted>";/)
    assert.equal(file('res/r1.res_tmp'), undefined)
    assert.equal(file('os-release.txt'), undefined, 'a file that is not there is left out')
    assert.match(file('cairn-version.txt') ?? '', /^cairn \S+ \(satellite\)/)
    const settings = JSON.parse(file('settings.json') ?? '{}') as Record<string, unknown>
    assert.equal(settings['cluster-secret'], REDACTED)
    assert.equal(settings['master-passphrase'], '')
    assert.equal(settings['rest-port'], 3370)
    assert.ok(host.ran.every((r) => r.at(-1) === `timeout=${COMMAND_TIMEOUT_S * 1000}`))
    assert.ok(host.ran.some((r) => r[0] === 'journalctl' && r.includes('cairn-satellite')))
  })

  test('the known secrets are taken out of every file', async () => {
    const host = fakeHost([], [], {'/etc/os-release': 'NAME=x the-cluster-secret-xyz\n'})
    const reply = await sosRoutes({host, settings: SETTINGS, secrets: () => ['the-cluster-secret-xyz']})[SOS_PATH]?.({}) as Awaited<ReturnType<typeof satelliteSos>>
    assert.equal(reply.files?.find((f) => f.name === 'os-release.txt')?.content, `NAME=x ${REDACTED}\n`)
    assert.ok(!JSON.stringify(reply).includes('the-cluster-secret-xyz'))
  })
})

describe('sos-report: redaction', () => {
  test('text: known values, key=value secrets, DRBD shared secrets and private keys', () => {
    const text = [
      'incoming_username=chap incoming_password=s3cretpass12 portals=1.2.3.4',
      'cluster_secret = "abc def"',
      '{"token": "tok123", "isUserToken": true, "name": "x"}',
      'Authorization: Bearer eyJhbGciOi',
      '    shared-secret "x1y2z3";',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----',
      'the value KNOWNVALUE-123 appears here, and short "abc" stays',
    ].join('\n')
    const out = redactText(text, ['KNOWNVALUE-123', 'abc'])
    for (const secret of ['s3cretpass12', 'abc def', 'tok123', 'eyJhbGciOi', 'x1y2z3', 'MIIEvQIBADANBg', 'KNOWNVALUE-123']) assert.ok(!out.includes(secret), secret)
    assert.match(out, /incoming_username=chap incoming_password=<redacted> portals=1\.2\.3\.4/)
    assert.match(out, /"isUserToken": true/)
    assert.match(out, /short "abc" stays/)
    assert.equal(redactText(out), out, 'redacting twice changes nothing')
  })

  test('structured values: secret-looking fields and known secret material, booleans kept', () => {
    const v = {name: 'r', drbd: {port: 7000, secret: 'S'}, hash: 'h', props: {'DrbdOptions/Net/shared-secret': 'p', Aux: 'a'}, isUserToken: true,
      accessKey: {v: 1, iv: 'i', tag: 't', data: 'd'}}
    assert.deepEqual(redactDeep(v), {name: 'r', drbd: {port: 7000, secret: REDACTED}, hash: REDACTED,
      props: {'DrbdOptions/Net/shared-secret': REDACTED, Aux: 'a'}, isUserToken: true, accessKey: REDACTED})
    assert.deepEqual(secretValues(v).sort(), ['S', 'd', 'h', 'i', 'p', 't'])
  })

  test('settings: the secrets and every setting without a flag are redacted, empty ones shown empty', () => {
    const r = redactedSettings({...SETTINGS, 'master-passphrase': 'pp'})
    assert.equal(r['cluster-secret'], REDACTED)
    assert.equal(r['master-passphrase'], REDACTED)
    assert.equal(r['data-dir'], '/var/lib/cairn')
  })
})

describe('sos-report: nodes and state', () => {
  const c = cluster(4)
  group(c, 'gg', 2, ['DRBD', 'STORAGE'])
  const r1 = spawned(c, 'gg', 'r1').map((r) => r.node).sort()
  apply(c.state, [{t: 'authTokens', k: '1', v: {id: 1, hash: 'feedface', description: 'd', createdAt: NOW, isActive: true, isUserToken: true}}])
  apply(c.state, [{t: 'extFiles', k: extFileKey('/etc/x.toml'), v: {path: '/etc/x.toml', content: Buffer.from('a incoming_password=chapSecret99 b').toString('base64')}}])
  const names = (f: Parameters<typeof sosNodes>[1]): string[] => sosNodes(c.state, f).map((n) => n.name)

  test('all nodes by default; nodes, the nodes of rscs, less exclude', () => {
    assert.deepEqual(names({}), ['n1', 'n2', 'n3', 'n4'])
    assert.deepEqual(names({nodes: keys(['n3'])}), ['n3'])
    assert.deepEqual(names({rscs: keys(['r1'])}), r1)
    assert.deepEqual(names({nodes: keys(['n4']), rscs: keys(['r1'])}), [...r1, 'n4'].sort())
    assert.deepEqual(names({exclude: keys(['n1', 'n2', 'nosuch'])}), ['n3', 'n4'])
  })

  test('an unknown node or resource is refused', () => {
    failsWith(() => sosNodes(c.state, {nodes: keys(['nosuch'])}), Rc.FAIL_NOT_FOUND_NODE)
    failsWith(() => sosNodes(c.state, {rscs: keys(['nosuch'])}), Rc.FAIL_NOT_FOUND_RSC_DFN)
  })

  test('the state dump has no secret material, and its secrets are known for the text pass', () => {
    const drbdSecret = c.state.rscDfns.R1?.drbd?.secret as string
    assert.ok(drbdSecret)
    const known = stateSecrets(c.state)
    assert.ok(known.includes(drbdSecret) && known.includes('feedface'))
    const text = JSON.stringify(scrubbedDump(c.state, NOW, known))
    for (const s of [drbdSecret, 'feedface', 'chapSecret99']) assert.ok(!text.includes(s), s)
    const dump = scrubbedDump(c.state, NOW, known) as {tables: {extFiles: Record<string, {content: string}>}}
    assert.match(Buffer.from(Object.values(dump.tables.extFiles)[0]?.content ?? '', 'base64').toString(), /incoming_password=<redacted>/)
  })

  test('the archive layout is sos_<stamp>/<node>/<file>, each text redacted once more; bad names are left out', () => {
    assert.equal(reportName(Date.UTC(2026, 0, 2, 3, 4, 5)), 'sos_20260102_030405')
    const entries = reportEntries('sos_x', [
      {dir: 'n1', files: [{name: 'a.txt', content: 'leak KNOWN-SECRET-1'}, {name: '../evil', content: ''}]},
      {dir: CONTROLLER_DIR, files: [noteFile('hello')]},
    ], ['KNOWN-SECRET-1'], NOW)
    assert.deepEqual(entries.map((e) => e.name), ['sos_x/n1/a.txt', 'sos_x/n1/sos-note.txt', 'sos_x/_controller/sos-note.txt'])
    assert.equal(entries[0]?.content, `leak ${REDACTED}`)
    assert.match(String(entries[1]?.content), /Left out, bad names: "\.\.\/evil"/)
  })
})
