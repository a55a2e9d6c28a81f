// The satellite's LUKS layer: the cryptsetup command lines it runs and in which order (format
// only a volume without a LUKS header, open, resize after growth, close before the volume goes),
// keys only ever on stdin, and the capability probe. This host has no dm-crypt and no
// cryptsetup: commands answer from cryptsetup 2.x's output format.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import type {Logger} from '../../src/common/log.ts'
import {PROTOCOL_VERSION, type DesiredLuksVolume, type SatelliteReport} from '../../src/protocol/messages.ts'
import {createRun, ExecError, hasCommand, type Run} from '../../src/satellite/exec.ts'
import {closeCommand, formatCommand, isLuksCommand, luksDeviceName, luksDevicePath, luksProblems, needsResize, openCommand, parseStatus,
  resizeCommand, statusCommand} from '../../src/satellite/luks/cryptsetup.ts'
import {createLuksLayer, probeLuks, upperDevice, type LuksCapability} from '../../src/satellite/luks/luks-layer.ts'

const KEY = 'k3y-Secret-0123456789abcdef'
const active = (sizeSectors: number): string => `/dev/mapper/enc_00000 is active.
  type:    LUKS2
  cipher:  aes-xts-plain64
  keysize: 512 bits
  key location: keyring
  device:  /dev/loop7
  loop:    /var/lib/cairn/pools/default/enc_00000.img
  sector size:  512
  offset:  32768 sectors
  size:    ${sizeSectors} sectors
  mode:    read/write
`
const inactive = '/dev/mapper/enc_00000 is inactive.\n'

interface Answer {cmd: string, args: string[], input?: string, stdout?: string, exitCode?: number}

/** A Run that expects exactly `answers`, in order, inputs included, and records what it saw. */
function scripted(answers: Answer[]): {run: Run, seen: {cmd: string, args: readonly string[], input?: string}[]} {
  const seen: {cmd: string, args: readonly string[], input?: string}[] = []
  const run: Run = async (cmd, args, opts) => {
    seen.push({cmd, args, input: opts?.input})
    const a = answers.shift()
    assert.deepEqual({cmd, args: [...args], input: opts?.input}, a ? {cmd: a.cmd, args: a.args, input: a.input} : {cmd: '<nothing more expected>'})
    const result = {stdout: a?.stdout ?? '', stderr: a?.exitCode ? 'failed' : '', exitCode: a?.exitCode ?? 0}
    if (result.exitCode !== 0) throw new ExecError(cmd, args, result)
    return result
  }
  return {run, seen}
}

const report = (usableKib = 102400): SatelliteReport => ({
  protocol: PROTOCOL_VERSION, version: 't', instance: 'i', generation: 1, uname: 'alpha', providers: {supported: [], unsupported: {}},
  layers: {supported: [], unsupported: {}}, pools: {}, snapshots: [], drbd: [], errors: [],
  volumes: [{rsc: 'enc', vlmNr: 0, pool: 'DfltStorPool', state: 'Created', devicePath: '/dev/loop7', usableKib}],
})

const supported: LuksCapability = {supported: true}
const want = (over: Partial<DesiredLuksVolume> = {}): DesiredLuksVolume => ({rsc: 'enc', vlmNr: 0, present: true, key: KEY, ...over})
const cs = (c: {cmd: string, args: string[], input?: string}, more: Partial<Answer> = {}): Answer => ({...c, ...more})

function layer(run: Run, capability = supported): {luks: ReturnType<typeof createLuksLayer>, errors: string[]} {
  const errors: string[] = []
  return {luks: createLuksLayer(capability, {run, recordError: (_m, msg) => errors.push(msg)}), errors}
}

describe('cryptsetup command lines', () => {
  test('names and keys: <rsc>_<5 digits> under /dev/mapper, the key only ever as stdin', () => {
    assert.equal(luksDeviceName('pvc-1', 3), 'pvc-1_00003')
    assert.equal(luksDevicePath('pvc-1', 3), '/dev/mapper/pvc-1_00003')
    assert.deepEqual(formatCommand('/dev/loop7', KEY), {cmd: 'cryptsetup', args: ['luksFormat', '--batch-mode', '--type', 'luks2', '--key-file', '-', '/dev/loop7'], input: KEY})
    assert.deepEqual(openCommand('/dev/loop7', 'enc_00000', KEY), {cmd: 'cryptsetup', args: ['open', '--key-file', '-', '/dev/loop7', 'enc_00000'], input: KEY})
    assert.deepEqual(closeCommand('enc_00000'), {cmd: 'cryptsetup', args: ['close', 'enc_00000']})
    assert.deepEqual(resizeCommand('enc_00000', KEY), {cmd: 'cryptsetup', args: ['resize', '--key-file', '-', 'enc_00000'], input: KEY})
    assert.deepEqual(resizeCommand('enc_00000', undefined), {cmd: 'cryptsetup', args: ['resize', 'enc_00000']})
    for (const c of [formatCommand('/d', KEY), openCommand('/d', 'n', KEY), resizeCommand('n', KEY)]) assert.ok(!c.args.join(' ').includes(KEY))
  })

  test('status output: active with offset and size, or inactive', () => {
    assert.deepEqual(parseStatus(active(172032)), {active: true, device: '/dev/loop7', offsetSectors: 32768, sizeSectors: 172032})
    assert.deepEqual(parseStatus(inactive), {active: false})
    // 32768 + 172032 sectors = 102400 KiB: exactly the backing volume, nothing to grow.
    assert.equal(needsResize(parseStatus(active(172032)), 102400), false)
    assert.equal(needsResize(parseStatus(active(172032)), 204800), true)
    assert.equal(needsResize(parseStatus(inactive), 204800), false)
  })
})

describe('LUKS layer', () => {
  test('a new volume: isLuks says no, luksFormat, open, status; reported open on /dev/mapper (command sequence, no dm-crypt on this host)', async () => {
    const {run, seen} = scripted([
      cs(statusCommand('enc_00000'), {stdout: inactive, exitCode: 4}),
      cs(isLuksCommand('/dev/loop7'), {exitCode: 1}),
      cs(formatCommand('/dev/loop7', KEY)),
      cs(openCommand('/dev/loop7', 'enc_00000', KEY)),
      cs(statusCommand('enc_00000'), {stdout: active(172032)}),
    ])
    const r = report()
    const {luks, errors} = layer(run)
    await luks.up([want()], r)
    assert.deepEqual(errors, [])
    assert.deepEqual(r.luks, [{rsc: 'enc', vlmNr: 0, state: 'Created', opened: true, devicePath: '/dev/mapper/enc_00000', backingDevice: '/dev/loop7', usableKib: 86016}])
    for (const s of seen) assert.ok(!s.args.join(' ').includes(KEY), `key in argv: ${s.args.join(' ')}`)
    assert.ok(!JSON.stringify(r).includes(KEY))
  })

  test('a volume that already holds LUKS (restored, or a crash after the format) is opened, never formatted again (command sequence, no dm-crypt on this host)', async () => {
    const {run} = scripted([
      cs(statusCommand('enc_00000'), {stdout: inactive, exitCode: 4}),
      cs(isLuksCommand('/dev/loop7')),
      cs(openCommand('/dev/loop7', 'enc_00000', KEY)),
      cs(statusCommand('enc_00000'), {stdout: active(172032)}),
    ])
    const r = report()
    await layer(run).luks.up([want()], r)
    assert.equal(r.luks?.[0]?.state, 'Created')
  })

  test('an unreadable device (isLuks exit 4) fails without formatting (command sequence, no dm-crypt on this host)', async () => {
    const {run} = scripted([
      cs(statusCommand('enc_00000'), {stdout: inactive, exitCode: 4}),
      cs(isLuksCommand('/dev/loop7'), {exitCode: 4}),
    ])
    const r = report()
    const {luks, errors} = layer(run)
    await luks.up([want()], r)
    assert.equal(r.luks?.[0]?.state, 'Failed')
    assert.equal(errors.length, 1)
  })

  test('an open mapping on a grown volume is resized, key on stdin (command sequence, no dm-crypt on this host)', async () => {
    const {run} = scripted([
      cs(statusCommand('enc_00000'), {stdout: active(172032)}),
      cs(resizeCommand('enc_00000', KEY)),
      cs(statusCommand('enc_00000'), {stdout: active(376832)}),
    ])
    const r = report(204800)
    await layer(run).luks.up([want()], r)
    assert.equal(r.luks?.[0]?.usableKib, 188416)
  })

  test('locked controller: an open mapping stays, a closed one fails naming the passphrase (command sequence, no dm-crypt on this host)', async () => {
    const open = scripted([cs(statusCommand('enc_00000'), {stdout: active(172032)})])
    const r1 = report()
    await layer(open.run).luks.up([want({key: undefined})], r1)
    assert.equal(r1.luks?.[0]?.state, 'Created')

    const closed = scripted([cs(statusCommand('enc_00000'), {stdout: inactive, exitCode: 4})])
    const r2 = report()
    await layer(closed.run).luks.up([want({key: undefined})], r2)
    assert.equal(r2.luks?.[0]?.state, 'Failed')
    assert.match(r2.luks?.[0]?.error ?? '', /master passphrase is locked/)
  })

  test('removal: an open mapping is closed before the storage layer deletes the volume (command sequence, no dm-crypt on this host)', async () => {
    const {run} = scripted([
      cs(statusCommand('enc_00000'), {stdout: active(172032)}),
      cs(closeCommand('enc_00000')),
      cs(statusCommand('enc_00001'), {stdout: inactive, exitCode: 4}),
    ])
    await layer(run).luks.down([want({present: false}), want({vlmNr: 1, present: false}), want({vlmNr: 2})])
  })

  test('without dm-crypt nothing runs and every wanted volume fails with the reason', async () => {
    const {run} = scripted([])
    const r = report()
    const {luks, errors} = layer(run, {supported: false, reasons: ["'cryptsetup' not found (install cryptsetup)"]})
    await luks.down([want({present: false})])
    await luks.up([want()], r)
    assert.deepEqual(r.luks?.map((l) => [l.state, l.error]), [['Failed', "LUKS cannot run on this node: 'cryptsetup' not found (install cryptsetup)"]])
    assert.equal(errors.length, 1)
  })

  test('the layer above uses the opened device, never the ciphertext below it', () => {
    const r = report()
    assert.equal(upperDevice(r, 'enc', 0), '/dev/loop7')
    r.luks = [{rsc: 'enc', vlmNr: 0, state: 'Failed', opened: false, error: 'x'}]
    assert.equal(upperDevice(r, 'enc', 0), undefined)
    r.luks = [{rsc: 'enc', vlmNr: 0, state: 'Created', opened: true, devicePath: '/dev/mapper/enc_00000'}]
    assert.equal(upperDevice(r, 'enc', 0), '/dev/mapper/enc_00000')
  })

  test('the command runner logs and reports argv only: a key given as input never shows', async () => {
    const lines: string[] = []
    const log: Logger = {error: (m, f) => lines.push(m + JSON.stringify(f)), warn: (m, f) => lines.push(m + JSON.stringify(f)),
      info: (m, f) => lines.push(m + JSON.stringify(f)), debug: (m, f) => lines.push(m + JSON.stringify(f)), child: () => log}
    const run = createRun(log)
    assert.equal((await run('cat', [], {input: KEY})).stdout, KEY)
    await assert.rejects(run('sh', ['-c', 'cat >/dev/null; exit 3'], {input: KEY}), (e: Error) => !e.message.includes(KEY))
    assert.ok(lines.length >= 2 && lines.every((l) => !l.includes(KEY)))
  })
})

const cryptsetupHere = await hasCommand('cryptsetup')

describe('LUKS capability', () => {
  test('each missing piece is named', () => {
    assert.deepEqual(luksProblems({cryptsetup: true, deviceMapper: true, dmCrypt: true}), [])
    assert.deepEqual(luksProblems({cryptsetup: false, deviceMapper: false, dmCrypt: false}), [
      "'cryptsetup' not found (install cryptsetup)",
      'the kernel device-mapper is not available (no /dev/mapper/control; try modprobe dm_mod)',
      'the dm-crypt kernel module is not available (try modprobe dm_crypt)'])
  })

  test('the probe on this host reports LUKS unsupported with the reason', {skip: cryptsetupHere ? 'cryptsetup is installed here' : false}, async () => {
    const cap = await probeLuks(async () => {
      throw new Error('modinfo not run here')
    })
    assert.equal(cap.supported, false)
    assert.ok(!cap.supported && cap.reasons.includes("'cryptsetup' not found (install cryptsetup)"))
  })
})
