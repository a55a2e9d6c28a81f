import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DRBD84_OPTIONS, DrbdConfigError, drbd84Problems, drbdOptionKey, renderResFile, type DrbdMode,
  type LocalDrbdFacts} from '../../src/satellite/drbd/res-file.ts'
import type {DesiredDrbdResource, DrbdPeer, DrbdVolume} from '../../src/protocol/drbd.ts'

// ---- building blocks --------------------------------------------------------------------------

const IP: Record<string, string> = {alpha: '192.168.10.11', bravo: '192.168.10.12', charlie: '192.168.10.13', delta: '192.168.10.14'}
const ip = (node: string): string => IP[node] ?? '192.168.10.99'

const peer = (local: string, node: string, nodeId: number, more: Partial<DrbdPeer> = {}): DrbdPeer => ({
  node, nodeId, diskless: false, paths: [{local: {ip: ip(local), port: 7000}, peer: {ip: ip(node), port: 7000}}], connectionOptions: {}, ...more,
})
const volume = (vlmNr: number, diskOptions: Record<string, string> = {}, sizeKib = 1048576): DrbdVolume =>
  ({vlmNr, minor: 1000 + vlmNr, pool: 'ssd', sizeKib, diskOptions})
const resource = (more: Partial<DesiredDrbdResource>): DesiredDrbdResource => ({
  rsc: 'nfs1', present: true, nodeId: 0, diskless: false, peerSlots: 7, port: 7000, volumes: [volume(0)], peers: [],
  options: {}, secret: 'Xq3kP0vUe7bT2mZa9LcR', skipInitialSync: false, ...more,
})
const disks = (rsc: string, ...vlmNrs: number[]): Record<number, string> =>
  Object.fromEntries(vlmNrs.map((n) => [n, `/dev/vg_ssd/${rsc}_${String(n).padStart(5, '0')}`]))
const onAlpha = (rsc = 'nfs1', ...vlmNrs: number[]): LocalDrbdFacts => ({node: 'alpha', backingDisks: disks(rsc, ...(vlmNrs.length ? vlmNrs : [0]))})

// What the controller hands over for a replicated resource (see drbd-config.ts): auto-quorum's
// result next to LINSTOR-only keys that must never reach the file.
const QUORUM = {'DrbdOptions/Resource/quorum': 'majority', 'DrbdOptions/Resource/on-no-quorum': 'io-error', 'DrbdOptions/auto-quorum': 'io-error'}

interface Case {name: string, mode: DrbdMode, res: DesiredDrbdResource, local: LocalDrbdFacts}

const cases: Case[] = [
  {name: 'two-nodes', mode: 'drbd9', local: onAlpha(), res: resource({
    peers: [peer('alpha', 'bravo', 1)],
    options: {'DrbdOptions/Resource/quorum': 'off', 'DrbdOptions/auto-quorum': 'io-error', 'DrbdOptions/Net/protocol': 'C'},
  })},
  {name: 'three-nodes-tiebreaker', mode: 'drbd9', local: onAlpha('nfs1', 0, 1), res: resource({
    volumes: [volume(0), volume(1, {'DrbdOptions/Disk/discard-zeroes-if-aligned': 'no', 'DrbdOptions/Disk/rs-discard-granularity': '65536'})],
    peers: [peer('alpha', 'charlie', 2, {diskless: true}), peer('alpha', 'bravo', 1)],
    options: {...QUORUM, 'DrbdOptions/auto-add-quorum-tiebreaker': 'True', 'DrbdOptions/Resource/auto-promote': 'no',
      'DrbdOptions/Resource/on-suspended-primary-outdated': 'force-secondary', 'DrbdOptions/Net/rr-conflict': 'retry-connect',
      'DrbdOptions/auto-verify-alg': 'crct10dif'},
  })},
  // charlie is the diskless tie-breaker; delta another client: two clients are never connected.
  {name: 'diskless-client', mode: 'drbd9', local: {node: 'charlie', backingDisks: {}}, res: resource({
    nodeId: 2, diskless: true, volumes: [volume(0), volume(1)],
    peers: [peer('charlie', 'alpha', 0), peer('charlie', 'bravo', 1), peer('charlie', 'delta', 3, {diskless: true})],
    options: QUORUM,
  })},
  {name: 'multi-volume', mode: 'drbd9', local: onAlpha('db', 0, 1, 2), res: resource({
    rsc: 'db',
    volumes: [volume(2, {'DrbdOptions/Disk/al-extents': '6007'}, 4194304), volume(0, {'DrbdOptions/Disk/al-extents': '1237'}), volume(1, {'DrbdOptions/Disk/al-extents': '1237'}, 524288)],
    peers: [peer('alpha', 'bravo', 1)],
    options: {'DrbdOptions/Disk/al-extents': '1237', 'DrbdOptions/ExactSize': 'true'},
  })},
  {name: 'multi-path', mode: 'drbd9', local: onAlpha(), res: resource({
    peers: [peer('alpha', 'bravo', 1, {paths: [
      {local: {ip: '192.168.10.11', port: 7000}, peer: {ip: '192.168.10.12', port: 7000}},
      {local: {ip: '10.99.0.11', port: 7000}, peer: {ip: '10.99.0.12', port: 7000}},
    ]}), peer('alpha', 'charlie', 2)],
    options: QUORUM,
  })},
  {name: 'ipv6', mode: 'drbd9', local: onAlpha(), res: resource({
    port: 7789,
    peers: [
      peer('alpha', 'bravo', 1, {paths: [{local: {ip: 'fd00:10::11', port: 7789}, peer: {ip: 'fd00:10::12', port: 7789}}]}),
      peer('alpha', 'charlie', 2, {diskless: true, paths: [{local: {ip: 'fd00:10::11', port: 7789}, peer: {ip: '::ffff:192.168.10.13', port: 7789}}]}),
    ],
    options: QUORUM,
  })},
  {name: 'all-sections', mode: 'drbd9', local: onAlpha('pvc-7f3a', 0, 1), res: resource({
    rsc: 'pvc-7f3a',
    volumes: [volume(0, {'DrbdOptions/Disk/on-io-error': 'detach', 'DrbdOptions/Disk/disk-flushes': 'no'}),
      volume(1, {'DrbdOptions/Disk/on-io-error': 'pass_on', 'DrbdOptions/Disk/disk-flushes': 'no'})],
    peers: [
      peer('alpha', 'bravo', 1, {connectionOptions: {'DrbdOptions/Net/protocol': 'A', 'DrbdOptions/Net/sndbuf-size': '1048576',
        'DrbdOptions/PeerDevice/c-max-rate': '4096000', 'DrbdOptions/PeerDevice/resync-rate': '250000'}}),
      peer('alpha', 'charlie', 2, {diskless: true}),
    ],
    options: {
      ...QUORUM,
      'DrbdOptions/Resource/auto-promote': 'yes', 'DrbdOptions/Resource/cpu-mask': '3', 'DrbdOptions/Resource/max-io-depth': '8000',
      'DrbdOptions/Net/protocol': 'C', 'DrbdOptions/Net/max-buffers': '36864', 'DrbdOptions/Net/csums-alg': 'sha256',
      'DrbdOptions/Net/verify-alg': 'sha256', 'DrbdOptions/Net/after-sb-0pri': 'discard-zero-changes', 'DrbdOptions/Net/fencing': 'resource-only',
      'DrbdOptions/Disk/on-io-error': 'detach', 'DrbdOptions/Disk/disk-flushes': 'no', 'DrbdOptions/Disk/read-balancing': 'prefer-local',
      'DrbdOptions/PeerDevice/c-plan-ahead': '20', 'DrbdOptions/PeerDevice/c-max-rate': '102400',
      'DrbdOptions/Handlers/fence-peer': '/usr/lib/drbd/crm-fence-peer.9.sh', 'DrbdOptions/Handlers/after-resync-target': '/usr/lib/drbd/crm-unfence-peer.9.sh',
      'DrbdOptions/Handlers/quorum-lost': '/usr/lib/drbd/notify-quorum-lost.sh --with spaces',
      // Steering keys of the controller, never options in the file.
      'DrbdOptions/auto-verify-alg': 'crct10dif', 'DrbdOptions/auto-diskful': '30', 'DrbdOptions/auto-diskful-allow-cleanup': 'true',
      'DrbdOptions/AutoEvictAllowEviction': 'false', 'DrbdOptions/Proxy/memlimit': '100M', 'DrbdOptions/auto-resync-after-disable': 'true',
    },
  })},
  {name: 'single-node', mode: 'drbd9', local: onAlpha('scratch'), res: resource({rsc: 'scratch', secret: undefined})},
  {name: 'drbd84-two-nodes', mode: 'drbd84', local: {node: 'node1', backingDisks: {0: '/dev/vg0/r0'}}, res: resource({
    rsc: 'r0', volumes: [{vlmNr: 0, minor: 0, sizeKib: 262100, diskOptions: {}}],
    peers: [{node: 'node2', nodeId: 1, diskless: false, paths: [{local: {ip: '10.99.0.1', port: 7789}, peer: {ip: '10.99.0.2', port: 7789}}],
      connectionOptions: {'DrbdOptions/PeerDevice/c-plan-ahead': '0', 'DrbdOptions/PeerDevice/resync-rate': '200M'}}],
    // What the controller sends for two nodes: quorum off and auto-promote no restate 8.4 and are left out.
    options: {'DrbdOptions/Resource/quorum': 'off', 'DrbdOptions/auto-quorum': 'io-error', 'DrbdOptions/Resource/auto-promote': 'no',
      'DrbdOptions/Net/protocol': 'C', 'DrbdOptions/Net/fencing': 'resource-only', 'DrbdOptions/Handlers/fence-peer': '/usr/lib/drbd/crm-fence-peer.sh'},
    secret: 'rig-test',
  })},
  // A gateway target on two 8.4 nodes (TARGET_DRBD_PROPS after auto-quorum): on-suspended-primary-outdated
  // has no effect on 8.4 and is left out, named in the header.
  {name: 'drbd84-gateway-target', mode: 'drbd84', local: {node: 'node1', backingDisks: {0: '/dev/vg_rig/gw1_00000', 1: '/dev/vg_rig/gw1_00001'}},
    res: resource({
      rsc: 'gw1', volumes: [{vlmNr: 0, minor: 1000, sizeKib: 16384, diskOptions: {}}, {vlmNr: 1, minor: 1001, sizeKib: 32768, diskOptions: {}}],
      peers: [{node: 'node2', nodeId: 1, diskless: false, paths: [{local: {ip: '10.99.0.1', port: 7000}, peer: {ip: '10.99.0.2', port: 7000}}], connectionOptions: {}}],
      options: {'DrbdOptions/Resource/auto-promote': 'no', 'DrbdOptions/Resource/quorum': 'off', 'DrbdOptions/auto-quorum': 'io-error',
        'DrbdOptions/Resource/on-suspended-primary-outdated': 'force-secondary'},
    })},
  {name: 'drbd84-multi-volume-ipv6', mode: 'drbd84', local: onAlpha('vm-disks', 0, 1), res: resource({
    rsc: 'vm-disks', volumes: [volume(0, {'DrbdOptions/Disk/al-extents': '3389'}), volume(1, {'DrbdOptions/Disk/on-io-error': 'detach'})],
    peers: [peer('alpha', 'bravo', 1, {paths: [{local: {ip: 'fd00:10::11', port: 7001}, peer: {ip: 'fd00:10::12', port: 7001}}],
      connectionOptions: {'DrbdOptions/Net/protocol': 'B'}})],
    options: {'DrbdOptions/Net/protocol': 'C', 'DrbdOptions/Net/max-buffers': '8000', 'DrbdOptions/auto-verify-alg': 'crc32c', 'DrbdOptions/ExactSize': 'yes'},
  })},
]

// ---- the real drbdadm ----------------------------------------------------------------------------

const DRBDADM = ['/usr/sbin/drbdadm', '/sbin/drbdadm'].find((p) => existsSync(p))
const DRBDADM84 = ['/lib/drbd/drbdadm-84', '/usr/lib/drbd/drbdadm-84'].find((p) => existsSync(p))
const noDrbdadm = DRBDADM && DRBDADM84 ? false : 'drbd-utils (drbdadm, drbdadm-84) not installed: apt-get install drbd-utils'

/**
 * drbdadm with an argument array. `__DRBD_NODE__` makes it act as that host (as `uname -n` would),
 * so a dry run needs neither root nor the kernel module; its stderr noise about modinfo is ignored.
 */
function drbdadm(mode: DrbdMode, node: string, args: string[]): {status: number | null, stdout: string, stderr: string} {
  const bin = mode === 'drbd9' ? DRBDADM : DRBDADM84
  const r = spawnSync(bin as string, args, {encoding: 'utf8', env: {PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C', __DRBD_NODE__: node}})
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

const fixturePath = (name: string): URL => new URL(`../fixtures/drbd/${name}.res`, import.meta.url)

describe('renderResFile: fixtures, each accepted by the real drbdadm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-drbd-res-'))
  test.after(() => rmSync(dir, {recursive: true, force: true}))

  for (const c of cases) {
    test(`${c.name} (${c.mode})`, () => {
      const text = renderResFile(c.res, c.local, c.mode)
      if (process.env.CAIRN_UPDATE_FIXTURES === '1') writeFileSync(fixturePath(c.name), text)
      assert.equal(text, readFileSync(fixturePath(c.name), 'utf8'))
    })

    test(`${c.name}: drbdadm parses it and can bring it up on ${c.local.node} (dry run)`, {skip: noDrbdadm}, () => {
      const file = join(dir, `${c.name}.res`)
      writeFileSync(file, renderResFile(c.res, c.local, c.mode))
      const nop = drbdadm(c.mode, c.local.node, ['-c', file, 'sh-nop'])
      assert.equal(nop.status, 0, nop.stderr)
      // adjust checks more than the parser: inheritance, addresses, minors; -d only prints.
      const up = drbdadm(c.mode, c.local.node, ['-c', file, '-d', 'adjust', c.res.rsc])
      assert.equal(up.status, 0, up.stderr)
      assert.match(up.stdout, new RegExp(`new-resource ${c.res.rsc}\\b`))
    })
  }

  test('drbdadm does reject a broken file (the check above is not vacuous)', {skip: noDrbdadm}, () => {
    const c = cases[0] as Case
    const file = join(dir, 'broken.res')
    writeFileSync(file, renderResFile(c.res, c.local, c.mode).replace('protocol C;', 'protocol C'))
    assert.equal(drbdadm('drbd9', 'alpha', ['-c', file, 'sh-nop']).status, 10)
  })
})

describe('renderResFile: what goes where', () => {
  const render = (c: string): string => {
    const found = cases.find((x) => x.name === c) as Case
    return renderResFile(found.res, found.local, found.mode)
  }

  test('LINSTOR-only DrbdOptions keys never reach the file', () => {
    const text = render('all-sections')
    for (const word of ['auto-quorum', 'auto-diskful', 'AutoEvict', 'memlimit', 'auto-resync-after', 'auto-add-quorum-tiebreaker']) {
      assert.doesNotMatch(text, new RegExp(word))
    }
    // An explicit verify-alg wins over the controller's auto-verify-alg.
    assert.match(text, /verify-alg "sha256";/)
    assert.doesNotMatch(text, /crct10dif/)
  })

  test('peer-device options only in connections, merged with the connection\'s own', () => {
    const text = render('all-sections')
    const [beforeOn] = text.split('on "alpha"')
    assert.doesNotMatch(beforeOn as string, /c-plan-ahead|c-max-rate/)
    assert.match(text, /disk\n {8}\{\n {12}c-max-rate 4096000;\n {12}c-plan-ahead 20;\n {12}resync-rate 250000;/)
  })

  test('DRBD 8.4: peer-device options and fencing land in `disk`, implied DRBD 9 settings are dropped', () => {
    const text = render('drbd84-two-nodes')
    assert.match(text, /disk\n {4}\{\n {8}c-plan-ahead 0;\n {8}fencing resource-only;\n {8}resync-rate 200M;\n {4}\}/)
    assert.doesNotMatch(text, /quorum|auto-promote|node-id|connection/)
  })

  test('DRBD 8.4: options without effect on 8.4 are left out and named in the header', () => {
    const text = render('drbd84-gateway-target')
    assert.match(text, /^# Left out \(DRBD 9 only, without effect on DRBD 8\.4\): DrbdOptions\/Resource\/on-suspended-primary-outdated=force-secondary$/m)
    assert.equal(text.match(/on-suspended-primary-outdated/g)?.length, 1)
    assert.doesNotMatch(render('drbd84-two-nodes'), /Left out/)
  })

  test('drbdOptionKey: sections only; everything else is the controller\'s', () => {
    assert.deepEqual(drbdOptionKey('DrbdOptions/Net/protocol'), {section: 'Net', name: 'protocol'})
    assert.deepEqual(drbdOptionKey('DrbdOptions/PeerDevice/c-max-rate'), {section: 'PeerDevice', name: 'c-max-rate'})
    for (const k of ['DrbdOptions/auto-quorum', 'DrbdOptions/auto-add-quorum-tiebreaker', 'DrbdOptions/ExactSize', 'DrbdOptions/Proxy/memlimit',
      'DrbdOptions/ProxyCompression/lz4/level', 'Aux/DrbdOptions/Net/protocol', 'DrbdOptions']) {
      assert.equal(drbdOptionKey(k), undefined, k)
    }
  })

  test('the same input renders the same bytes (no timestamp)', () => {
    assert.equal(render('two-nodes'), render('two-nodes'))
  })
})

describe('renderResFile: values that would break the syntax are refused', () => {
  const base = (): {res: DesiredDrbdResource, local: LocalDrbdFacts} => ({res: resource({peers: [peer('alpha', 'bravo', 1)]}), local: onAlpha()})
  const bad: [string, (c: {res: DesiredDrbdResource, local: LocalDrbdFacts}) => void, RegExp][] = [
    ['newline in an option', (c) => { c.res.options['DrbdOptions/Net/protocol'] = 'C;\n}\nresource "x" {' }, /DrbdOptions\/Net\/protocol.*contains ";"/],
    ['semicolon in an option', (c) => { c.res.options['DrbdOptions/Net/protocol'] = 'C; allow-two-primaries yes' }, /contains ";"/],
    ['brace in a handler', (c) => { c.res.options['DrbdOptions/Handlers/fence-peer'] = '/bin/x }' }, /fence-peer.*contains "}"/],
    ['opening brace', (c) => { c.res.options['DrbdOptions/Disk/al-extents'] = '{' }, /contains "\{"/],
    ['quote in a handler', (c) => { c.res.options['DrbdOptions/Handlers/split-brain'] = '/bin/echo "hi"' }, /contains "\\""/],
    ['backslash', (c) => { c.res.options['DrbdOptions/Net/verify-alg'] = 'sha\\1' }, /contains "\\\\"/],
    ['newline alone', (c) => { c.res.options['DrbdOptions/Net/verify-alg'] = 'sha1\n' }, /contains "\\n"/],
    ['empty value', (c) => { c.res.options['DrbdOptions/Net/protocol'] = '' }, /protocol' is empty/],
    ['option name with a space', (c) => { c.res.options['DrbdOptions/Net/max buffers'] = '1' }, /'DrbdOptions\/Net\/max buffers' does not name a DRBD option/],
    ['option name with a slash', (c) => { c.res.options['DrbdOptions/Net/a/b'] = '1' }, /does not name a DRBD option/],
    ['bad connection option', (c) => { (c.res.peers[0] as DrbdPeer).connectionOptions['DrbdOptions/Net/protocol'] = 'A}' }, /contains "}"/],
    ['bad volume disk option', (c) => { (c.res.volumes[0] as DrbdVolume).diskOptions['DrbdOptions/Disk/al-extents'] = '1;' }, /contains ";"/],
    ['quote in the secret, without showing it', (c) => { c.res.secret = 'top"secret' }, /shared secret \(hidden\) contains "\\""/],
    ['secret too long for DRBD', (c) => { c.res.secret = 'x'.repeat(64) }, /shared secret is longer than 63/],
    ['resource name with a slash', (c) => { c.res.rsc = 'a/b' }, /resource name "a\/b"/],
    ['resource name "all"', (c) => { c.res.rsc = 'all' }, /resource name "all"/],
    ['resource name with a quote', (c) => { c.res.rsc = 'a"b' }, /resource name/],
    ['node name with a space', (c) => { (c.res.peers[0] as DrbdPeer).node = 'bra vo' }, /peer name "bra vo"/],
    ['local node name with a brace', (c) => { c.local.node = 'alpha{' }, /local node name/],
    ['same node twice', (c) => { (c.res.peers[0] as DrbdPeer).node = 'ALPHA' }, /node 'ALPHA' appears twice/],
    ['duplicate node-id', (c) => { (c.res.peers[0] as DrbdPeer).nodeId = 0 }, /node-id 0 is used twice/],
    ['node-id out of range', (c) => { c.res.nodeId = 32 }, /node-id 32, outside 0..31/],
    ['duplicate minor', (c) => { c.res.volumes.push({...(c.res.volumes[0] as DrbdVolume), vlmNr: 1}); c.local.backingDisks[1] = '/dev/x' }, /minor 1000 is used twice/],
    ['missing backing device', (c) => { c.local.backingDisks = {} }, /volume 0 has no local backing device/],
    ['relative backing device', (c) => { c.local.backingDisks = {0: 'dev/sdb'} }, /not an absolute path/],
    ['backing device with a semicolon', (c) => { c.local.backingDisks = {0: '/dev/x;y'} }, /backing device of volume 0.*contains ";"/],
    ['bad peer address', (c) => { (c.res.peers[0] as DrbdPeer).paths = [{local: {ip: '192.168.10.11', port: 7000}, peer: {ip: 'bravo.example', port: 7000}}] }, /address of peer 'bravo'.*not an IP address/],
    ['port 0', (c) => { (c.res.peers[0] as DrbdPeer).paths = [{local: {ip: '192.168.10.11', port: 0}, peer: {ip: '192.168.10.12', port: 7000}}] }, /local address port 0 is out of range/],
    ['no path to a peer', (c) => { (c.res.peers[0] as DrbdPeer).paths = [] }, /no network path to peer 'bravo'/],
    ['no volumes', (c) => { c.res.volumes = [] }, /no volumes/],
  ]
  for (const [name, mutate, message] of bad) {
    test(name, () => {
      const c = base()
      mutate(c)
      assert.throws(() => renderResFile(c.res, c.local, 'drbd9'), (e: unknown) => {
        assert.ok(e instanceof DrbdConfigError)
        assert.match(e.message, message)
        assert.doesNotMatch(e.message, /top"secret/)
        return true
      })
    })
  }

  test('every problem is reported at once', () => {
    const c = base()
    c.res.options['DrbdOptions/Net/protocol'] = 'C;'
    c.res.rsc = 'a b'
    assert.throws(() => renderResFile(c.res, c.local, 'drbd9'), (e: unknown) => e instanceof DrbdConfigError && e.problems.length === 2)
  })

  test('the same checks hold in DRBD 8.4 mode', () => {
    const c = base()
    c.res.options['DrbdOptions/Net/protocol'] = 'C;'
    assert.throws(() => renderResFile(c.res, c.local, 'drbd84'), /contains ";"/)
  })
})

describe('drbd84Problems: what needs DRBD 9', () => {
  const two = (): DesiredDrbdResource => resource({peers: [peer('alpha', 'bravo', 1)]})
  const cases84: [string, (r: DesiredDrbdResource) => void, string[]][] = [
    ['a plain two-node resource is fine', () => undefined, []],
    ['quorum off, auto-promote no, bitmap yes and on-no-quorum without quorum restate 8.4', (r) => {
      Object.assign(r.options, {'DrbdOptions/Resource/quorum': 'off', 'DrbdOptions/Resource/auto-promote': 'no',
        'DrbdOptions/PeerDevice/bitmap': 'yes', 'DrbdOptions/Resource/on-no-quorum': 'io-error', 'DrbdOptions/auto-quorum': 'io-error'})
    }, []],
    ['on-suspended-primary-outdated (every gateway target sets it) acts only where 8.4 never gets: left out, not refused', (r) => {
      r.options['DrbdOptions/Resource/on-suspended-primary-outdated'] = 'force-secondary'
    }, []],
    ['single node', (r) => { r.peers = [] }, ['a single-node resource needs DRBD 9 (DRBD 8.4 needs exactly one peer)']],
    ['three nodes', (r) => { r.peers.push(peer('alpha', 'charlie', 2)) }, ['2 peers need DRBD 9 (DRBD 8.4 connects exactly two nodes)']],
    ['diskless tie-breaker', (r) => { r.peers.push(peer('alpha', 'charlie', 2, {diskless: true})) },
      ['2 peers need DRBD 9 (DRBD 8.4 connects exactly two nodes)', "diskless peer 'charlie' (client or tie-breaker) needs DRBD 9"]],
    ['diskless local resource', (r) => { r.diskless = true }, ['a diskless (client) resource needs DRBD 9']],
    ['two paths', (r) => {
      (r.peers[0] as DrbdPeer).paths.push({local: {ip: '10.0.0.1', port: 7000}, peer: {ip: '10.0.0.2', port: 7000}})
    }, ["2 network paths to 'bravo' need DRBD 9"]],
    ['quorum', (r) => { Object.assign(r.options, QUORUM) },
      ['option DrbdOptions/Resource/quorum does not exist in DRBD 8.4', 'option DrbdOptions/Resource/on-no-quorum does not exist in DRBD 8.4']],
    ['auto-promote yes', (r) => { r.options['DrbdOptions/Resource/auto-promote'] = 'yes' }, ['option DrbdOptions/Resource/auto-promote does not exist in DRBD 8.4']],
    ['DRBD 9 only net, peer-device and handler options', (r) => {
      Object.assign(r.options, {'DrbdOptions/Net/allow-remote-read': 'no', 'DrbdOptions/PeerDevice/bitmap': 'no', 'DrbdOptions/Handlers/quorum-lost': '/bin/true'})
      ;(r.peers[0] as DrbdPeer).connectionOptions['DrbdOptions/Net/transport'] = 'rdma'
    }, ['option DrbdOptions/Net/allow-remote-read does not exist in DRBD 8.4', 'option DrbdOptions/PeerDevice/bitmap does not exist in DRBD 8.4',
      'option DrbdOptions/Handlers/quorum-lost does not exist in DRBD 8.4', 'option DrbdOptions/Net/transport does not exist in DRBD 8.4']],
    ['options 8.4 has, some in another section', (r) => {
      Object.assign(r.options, {'DrbdOptions/Net/fencing': 'resource-only', 'DrbdOptions/PeerDevice/c-max-rate': '100M', 'DrbdOptions/Resource/cpu-mask': 'ff',
        'DrbdOptions/Handlers/before-resync-target': '/bin/true', 'DrbdOptions/Disk/read-balancing': 'prefer-remote'})
    }, []],
  ]
  for (const [name, mutate, expected] of cases84) {
    test(name, () => {
      const r = two()
      mutate(r)
      assert.deepEqual(drbd84Problems(r), expected)
    })
  }

  test('renderResFile in 8.4 mode refuses with the reasons', () => {
    const r = two()
    r.peers.push(peer('alpha', 'charlie', 2, {diskless: true}))
    assert.throws(() => renderResFile(r, onAlpha(), 'drbd84'), /nfs1.*2 peers need DRBD 9.*\(DRBD 8\.4 mode\).*diskless peer 'charlie'/)
  })

  test('the 8.4 option table matches drbdsetup-84 xml-help', {skip: existsSync('/lib/drbd/drbdsetup-84') ? false : 'no drbdsetup-84'}, () => {
    const names = (cmd: string): string[] => {
      const out = spawnSync('/lib/drbd/drbdsetup-84', ['xml-help', cmd], {encoding: 'utf8'}).stdout
      return [...out.matchAll(/<option name="([^"]+)"/g)].map((m) => m[1] as string).filter((n) => n !== 'set-defaults')
    }
    assert.deepEqual(DRBD84_OPTIONS.options, names('resource-options'))
    assert.deepEqual(DRBD84_OPTIONS.net, names('net-options'))
    assert.deepEqual(DRBD84_OPTIONS.disk, names('disk-options'))
  })

  test('the 8.4 handler names are the ones drbdadm-84 accepts, and no more', {skip: noDrbdadm}, () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-drbd-h-'))
    try {
      const check = (name: string, text: string): number | null => {
        const file = join(dir, `${name}.res`)
        writeFileSync(file, text)
        return drbdadm('drbd84', 'alpha', ['-c', file, 'sh-nop']).status
      }
      for (const h of DRBD84_OPTIONS.handlers) {
        const r = two()
        r.options[`DrbdOptions/Handlers/${h}`] = '/bin/true'
        assert.equal(check(h, renderResFile(r, onAlpha(), 'drbd84')), 0, h)
      }
      // DRBD 9 handlers drbdadm-84 rejects, written by hand since the renderer refuses them.
      const plain = renderResFile(two(), onAlpha(), 'drbd84')
      for (const h of ['quorum-lost', 'disconnected']) {
        assert.equal(check(h, plain.replace('{\n', `{\n    handlers { ${h} "/bin/true"; }\n`)), 10, h)
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
