// check-health's judgement on recorded probe results: a healthy host has no issues; a bare host
// gets one problem per missing piece, each with its fix; iSCSI needs one complete backend; the
// satellite must allow /etc/drbd-reactor.d.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {evaluateHealth, formatHealthReport, HEALTH_PROBES, issueCount, parseIptablesVersion, parseIscsiBackends, portblockMatchesNamesOnly,
  type HealthCheck, type HostFacts, type UnitState} from '../../gateway/check-health.ts'

const all = <K extends string>(names: readonly K[], v: boolean): Record<K, boolean> => Object.fromEntries(names.map((n) => [n, v])) as Record<K, boolean>
const unit = (active: string, enabled: string, load = 'loaded'): UnitState => ({active, enabled, load, fileExists: load === 'loaded'})

/** Everything installed and set up; nfs-server installed but left to the agent. */
const healthy = (): HostFacts => ({
  binaries: all(HEALTH_PROBES.binaries, true),
  units: {'drbd-reactor.service': unit('active', 'enabled'), 'drbd-reactor-reload.path': unit('active', 'enabled'),
    'nfs-server.service': unit('inactive', 'disabled')},
  modules: all(HEALTH_PROBES.modules, true),
  agentDir: true,
  agents: all(HEALTH_PROBES.agents, true),
  processes: {'iscsi-scstd': true},
  satellites: [{source: 'pid 42, cairn satellite', allowed: ['/etc/systemd/system', '/etc/drbd-reactor.d'], root: '/'}],
})

/** A fresh Debian without systemd running: what this project's CI containers look like. */
const bare = (): HostFacts => ({
  binaries: {...all(HEALTH_PROBES.binaries, false), fuser: true},
  units: Object.fromEntries(HEALTH_PROBES.units.map((u) => [u, {active: '', enabled: '', load: '', fileExists: false,
    error: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.'}])),
  agentDir: false,
  agents: all(HEALTH_PROBES.agents, false),
  processes: {'iscsi-scstd': false},
  satellites: [{source: '/etc/cairn/cairn.toml and the environment; no satellite is running', allowed: [], root: '/'}],
})

const both = {iscsiBackends: parseIscsiBackends('lio-t,scst')}
const problems = (checks: HealthCheck[]): string[] => checks.filter((c) => c.status === 'problem').map((c) => c.name)

describe('healthy host', () => {
  test('no issues, every category reported, LIO chosen when both backends are there', () => {
    const checks = evaluateHealth(healthy(), both)
    assert.equal(issueCount(checks), 0, JSON.stringify(checks.filter((c) => c.status === 'problem')))
    assert.deepEqual([...new Set(checks.map((c) => c.category))],
      ['System utilities', 'Cairn satellite', 'drbd-reactor', 'Resource agents', 'iSCSI', 'NVMe-oF', 'NFS'])
    assert.ok(checks.some((c) => c.name === 'targetcli in PATH'))
    assert.ok(!checks.some((c) => c.name === 'scstadmin in PATH'), 'only the complete backend is listed')
    assert.deepEqual(checks.filter((c) => c.category === 'Resource agents').map((c) => c.name), [
      'directory /usr/lib/ocf/resource.d/heartbeat', 'resource agent Filesystem', 'resource agent IPaddr2', 'resource agent portblock', 'fuser in PATH'])
  })
  test('the report: [✓] per category and ✓ per check; ASCII without UTF-8', () => {
    const text = formatHealthReport(evaluateHealth(healthy(), both), {utf8: true})
    assert.match(text, /^\[✓\] drbd-reactor\n {4}✓ drbd-reactor in PATH\n {4}✓ drbd-reactor\.service active$/m)
    assert.doesNotMatch(text, /✗|→|\[!\]/)
    assert.match(formatHealthReport(evaluateHealth(healthy(), both), {utf8: false}), /^\[\+\] NFS\n {4}\+ resource agent nfsserver$/m)
  })
})

describe('broken hosts', () => {
  test('a bare host: each missing piece once, with its fix; agents folded into their directory', () => {
    const checks = evaluateHealth(bare(), both)
    assert.deepEqual(problems(checks), [
      'iptables in PATH',
      'Cairn satellite (/etc/cairn/cairn.toml and the environment; no satellite is running) may write /etc/drbd-reactor.d',
      'drbd-reactor in PATH', 'drbd-reactor.service active', 'drbd-reactor.service enabled', 'drbd-reactor-reload.path active',
      'directory /usr/lib/ocf/resource.d/heartbeat',
      'targetcli in PATH', 'scstadmin in PATH', 'kernel module scst loaded', 'kernel module iscsi_scst loaded', 'kernel module scst_vdisk loaded',
      'process iscsi-scstd running',
      'nvmetcli in PATH', 'kernel module nvmet loaded',
      'nfs-server.service installed', 'nfs-server.service inactive and disabled',
    ])
    const byName = (name: string): HealthCheck | undefined => checks.find((c) => c.name === name)
    assert.match(byName('drbd-reactor in PATH')?.fix ?? '', /Install drbd-reactor/)
    assert.equal(byName('drbd-reactor.service active')?.detail, 'systemd could not be asked: System has not been booted with systemd as init system (PID 1). Can\'t operate.')
    assert.match(byName('drbd-reactor-reload.path active')?.fix ?? '', /systemctl enable --now drbd-reactor-reload\.path/)
    assert.match(byName('kernel module nvmet loaded')?.detail ?? '', /cannot tell/)
    assert.match(byName('nfs-server.service installed')?.fix ?? '', /nfs-kernel-server/)
    assert.ok(checks.every((c) => c.fix.length > 0))
    const text = formatHealthReport(checks, {utf8: true})
    assert.match(text, /^\[!\] Resource agents\n {4}✗ directory \/usr\/lib\/ocf\/resource\.d\/heartbeat: missing\n {8}→ Install resource-agents.*\n {4}✓ fuser in PATH$/m)
  })
  test('single problems on an otherwise healthy host', () => {
    const cases: [string, (f: HostFacts) => void, string, RegExp][] = [
      ['reactor stopped', (f) => { f.units['drbd-reactor.service'] = unit('inactive', 'enabled') }, 'drbd-reactor.service active', /systemctl enable --now drbd-reactor$/],
      ['reload path failed', (f) => { f.units['drbd-reactor-reload.path'] = unit('failed', 'enabled') }, 'drbd-reactor-reload.path active', /drbd-reactor-reload\.\{path,service\}/],
      ['no fuser', (f) => { f.binaries['fuser'] = false }, 'fuser in PATH', /psmisc/],
      ['no portblock agent', (f) => { f.agents['portblock'] = false }, 'resource agent portblock', /resource-agents/],
      ['old resource-agents', (f) => { f.agents['nvmet-subsystem'] = false }, 'resource agent nvmet-subsystem', /4\.9/],
      ['nvmet not loaded', (f) => { (f.modules as Record<string, boolean>)['nvmet'] = false }, 'kernel module nvmet loaded', /modprobe nvmet/],
      ['nfs-server running', (f) => { f.units['nfs-server.service'] = unit('active', 'enabled') }, 'nfs-server.service inactive and disabled', /disable --now nfs-server/],
      ['nfs-server enabled', (f) => { f.units['nfs-server.service'] = unit('inactive', 'enabled') }, 'nfs-server.service inactive and disabled', /disable --now/],
      ['nfs-server missing', (f) => { f.units['nfs-server.service'] = unit('inactive', '', 'not-found') }, 'nfs-server.service installed', /nfs-utils/],
      ['satellite without the directory', (f) => { f.satellites = [{source: 'pid 7, cairn combined', allowed: ['/etc/systemd/system'], root: '/'}] },
        'Cairn satellite (pid 7, cairn combined) may write /etc/drbd-reactor.d', /allowExtFiles/],
    ]
    for (const [what, breakIt, name, fix] of cases) {
      const f = healthy()
      breakIt(f)
      const checks = evaluateHealth(f, both)
      assert.deepEqual(problems(checks), [name], what)
      assert.match(checks.find((c) => c.name === name)?.fix ?? '', fix, what)
    }
  })
  test('a unit file without a running systemd counts as installed', () => {
    const f = healthy()
    f.units['nfs-server.service'] = {active: 'inactive', enabled: 'disabled', load: '', fileExists: true}
    assert.equal(issueCount(evaluateHealth(f, both)), 0)
  })
})

describe('portblock and iptables 1.8.9', () => {
  // The rule match of resource-agents 4.12 (Debian bookworm), heartbeat/portblock active_grep_pat.
  const stock = '  echo "^DROP${w}${1}${w}--${w}${src}${w}${dst}${w}multiport${w}${4}ports${w}${2}$"\n'
  const named = (iptables: string, numericProtocol: boolean): HealthCheck[] =>
    evaluateHealth({...healthy(), portblock: {iptables, numericProtocol}}, both).filter((c) => c.name.startsWith('portblock can unblock'))

  test('bookworm: iptables 1.8.9 with resource-agents 4.12 cannot unblock; the fix names the way out', () => {
    const [c] = named('1.8.9', !portblockMatchesNamesOnly(stock))
    assert.equal(c?.status, 'problem')
    assert.equal(c?.category, 'Resource agents')
    assert.match(c?.detail ?? '', /protocol numbers \("6", not "tcp"\).*never removes its DROP rule/)
    assert.match(c?.fix ?? '', /resource-agents 4\.14.*iptables 1\.8\.10.*--no-portblock/)
  })
  test('an agent that matches numbers too, or another iptables, is fine', () => {
    assert.equal(named('1.8.9', true)[0]?.status, 'ok')
    assert.equal(named('1.8.10', false)[0]?.status, 'ok')
    assert.equal(named('1.8.7', false)[0]?.status, 'ok')
  })
  test('nothing to judge without the agent or without an answer from iptables', () => {
    const f: HostFacts = {...healthy(), portblock: {numericProtocol: false}}
    assert.equal(evaluateHealth(f, both).filter((c) => c.name.startsWith('portblock')).length, 0)
    f.portblock = {iptables: '1.8.9', numericProtocol: false}
    f.agents['portblock'] = false
    assert.deepEqual(problems(evaluateHealth(f, both)), ['resource agent portblock'])
  })
  test('parsing iptables -V and reading the agent', () => {
    assert.equal(parseIptablesVersion('iptables v1.8.9 (nf_tables)\n'), '1.8.9')
    assert.equal(parseIptablesVersion('iptables v1.8.10 (legacy)'), '1.8.10')
    assert.equal(parseIptablesVersion('command not found'), undefined)
    assert.equal(portblockMatchesNamesOnly(stock), true)
    assert.equal(portblockMatchesNamesOnly(stock.replace('${w}${1}${w}', '${w}${prot}${w}')), false)
  })
})

describe('iSCSI backends', () => {
  test('one complete backend is enough; the incomplete one is not reported', () => {
    const f = healthy()
    f.binaries['targetcli'] = false
    const checks = evaluateHealth(f, both)
    assert.equal(issueCount(checks), 0)
    assert.ok(checks.some((c) => c.name === 'process iscsi-scstd running' && c.status === 'ok'))
  })
  test('no complete backend: every missing piece of each', () => {
    const f = healthy()
    f.binaries['targetcli'] = false
    f.processes['iscsi-scstd'] = false
    assert.deepEqual(problems(evaluateHealth(f, both)), ['targetcli in PATH', 'process iscsi-scstd running'])
  })
  test('only the named backends are checked', () => {
    const f = healthy()
    f.binaries['scstadmin'] = false
    assert.equal(issueCount(evaluateHealth(f, {iscsiBackends: ['lio-t']})), 0)
    assert.deepEqual(problems(evaluateHealth(f, {iscsiBackends: ['scst']})), ['scstadmin in PATH'])
  })
  test('parsing --iscsi-backends', () => {
    assert.deepEqual(parseIscsiBackends('lio-t, scst,lio-t'), ['lio-t', 'scst'])
    assert.throws(() => parseIscsiBackends('lio-t,iet'), /unknown iSCSI backend iet/)
    assert.throws(() => parseIscsiBackends(' , '), /no iSCSI backend/)
  })
})

describe('satellite settings', () => {
  test('a parent directory counts; an unreadable config is a problem; every running satellite is checked', () => {
    const f = healthy()
    f.satellites = [
      {source: 'pid 1, cairn satellite', allowed: ['/etc'], root: '/'},
      {source: 'pid 2, cairn satellite', allowed: [], root: '/', error: 'line 3: unterminated string'},
      {source: 'pid 3, cairn satellite', allowed: ['/etc/drbd-reactor.d'], root: '/srv/test/root'},
    ]
    const checks = evaluateHealth(f, both).filter((c) => c.category === 'Cairn satellite')
    assert.deepEqual(checks.map((c) => c.status), ['ok', 'problem', 'ok'])
    assert.match(checks[1]?.detail ?? '', /cannot be read: line 3: unterminated string/)
  })
  test('the detail names where the files go when the root is not /', () => {
    const f = healthy()
    f.satellites = [{source: 'pid 3, cairn satellite', allowed: [], root: '/srv/test/root/'}]
    assert.equal(evaluateHealth(f, both).find((c) => c.category === 'Cairn satellite')?.detail,
      'allowExtFiles is empty (files go to /srv/test/root/etc/drbd-reactor.d)')
  })
})
