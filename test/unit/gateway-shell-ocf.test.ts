import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {formatOcfAgent, heartbeat, isOcfAgent, parseOcfAgent, parseStartEntry} from '../../gateway/ocf-agent.ts'
import {shellQuote, shellSplit} from '../../gateway/shell-words.ts'

describe('shellQuote', () => {
  const cases: [string, string][] = [
    ['', "''"],
    ['iqn.2019-08.com.linbit:example', 'iqn.2019-08.com.linbit:example'],
    ['/dev/drbd/by-res/x/0', '/dev/drbd/by-res/x/0'],
    ['fd00::1', 'fd00::1'],
    ['a=b+c@d%e', 'a=b+c@d%e'],
    ['rw,all_squash', "'rw,all_squash'"],
    ['1;2', "'1;2'"],
    ['a b', "'a b'"],
    ['*', "'*'"],
    ['[::]/0', "'[::]/0'"],
    ["it's", String.raw`'it'\''s'`],
    ['$HOME', "'$HOME'"],
    ['#x', "'#x'"],
    ['~', "'~'"],
  ]
  for (const [word, quoted] of cases) {
    test(JSON.stringify(word), () => {
      assert.equal(shellQuote(word), quoted)
      assert.deepEqual(shellSplit(quoted), [word])
    })
  }
})

describe('shellSplit (POSIX words, as drbd-reactor splits start entries)', () => {
  const cases: [string, string[]][] = [
    ['a b\tc\nd', ['a', 'b', 'c', 'd']],
    ['  a   b  ', ['a', 'b']],
    ["k=''", ['k=']],
    ['k=""', ['k=']],
    ["k='a b'", ['k=a b']],
    ['k="a b"', ['k=a b']],
    [String.raw`k=a\ b`, ['k=a b']],
    [String.raw`k="a\"b\\c\$d\x"`, [String.raw`k=a"b\c$d\x`]],
    ["k='a\\b'", [String.raw`k=a\b`]],
    ["a'b'\"c\"d", ['abcd']],
    ['a\\\nb', ['ab']],
    ['a # comment\nb', ['a', 'b']],
    ['a#b', ['a#b']],
    ["''", ['']],
    ['', []],
  ]
  for (const [text, words] of cases) test(JSON.stringify(text), () => assert.deepEqual(shellSplit(text), words))
  test('errors', () => {
    assert.throws(() => shellSplit("a 'b"), /unterminated single quote/)
    assert.throws(() => shellSplit('a "b'), /unterminated double quote/)
    assert.throws(() => shellSplit('a\\'), /trailing backslash/)
  })
})

describe('OCF agent entries', () => {
  test('parameters are sorted as whole k=v strings', () => {
    const a = heartbeat('nvmet-port', 'port', {type: 'tcp', addr_fam: 'ipv4', addr: '10.0.0.1', nqns: 'a:nvme:b'})
    assert.equal(formatOcfAgent(a), 'ocf:heartbeat:nvmet-port port addr=10.0.0.1 addr_fam=ipv4 nqns=a:nvme:b type=tcp')
    // "ip-x=" sorts before "ip=" although the key "ip" sorts first.
    assert.equal(formatOcfAgent(heartbeat('X', 'x', {'ip': '1', 'ip_x': '2', 'i': '3'})), 'ocf:heartbeat:X x i=3 ip=1 ip_x=2')
  })
  test('round trip with quoting', () => {
    const a = heartbeat('exportfs', 'export_1_0', {options: 'rw,all_squash', clientspec: '[::]/0', empty: '', quote: "it's"})
    assert.deepEqual(parseOcfAgent(formatOcfAgent(a)), a)
  })
  test('any quoting is read', () => {
    assert.deepEqual(parseOcfAgent('ocf:heartbeat:IPaddr2   service_ip "ip=10.0.0.1" cidr_netmask=\'24\''),
      heartbeat('IPaddr2', 'service_ip', {ip: '10.0.0.1', cidr_netmask: '24'}))
  })
  test('a parameter named __proto__ stays a parameter', () => {
    const a = parseOcfAgent('ocf:v:a i __proto__=x')
    assert.equal(Object.getPrototypeOf(a.params), Object.prototype)
    assert.deepEqual(Object.keys(a.params), ['__proto__'])
  })
  const bad: [string, string][] = [
    ['ocf:heartbeat:IPaddr2', 'expected at least type and name in "ocf:heartbeat:IPaddr2"'],
    ['ocf:heartbeat service_ip', "expected ocf:<vendor>:<agent>, got 'ocf:heartbeat'"],
    ['ocf:heartbeat:IPaddr2 service_ip ip', "expected key=value pairs as arguments, got 'ip'"],
    ['ocf:heartbeat:IPaddr2 service_ip ip=1 ip=2', "parameter 'ip' given twice"],
    ['ocf:heartbeat:IPaddr2 a/b ip=1', "invalid OCF instance name 'a/b'"],
    ['ocf:heartbeat:IPaddr2 x =1', "invalid OCF parameter name ''"],
    ['ocf:heartbeat:IPaddr2 x 1a=1', "invalid OCF parameter name '1a'"],
    ["ocf:heartbeat:IPaddr2 x 'ip=1", 'unterminated single quote in "ocf:heartbeat:IPaddr2 x \'ip=1"'],
  ]
  for (const [text, message] of bad) test(`refuses ${text}`, () => assert.throws(() => parseOcfAgent(text), {message}))
  test('formatting refuses names that would break the entry', () => {
    assert.throws(() => formatOcfAgent(heartbeat('IPaddr2', 'service ip', {})), {message: "invalid OCF instance name 'service ip'"})
    assert.throws(() => formatOcfAgent(heartbeat('IPaddr2', 'x', {'a-b': '1'})), {message: "invalid OCF parameter name 'a-b'"})
  })
  test('entries not starting with ocf: are systemd units', () => {
    const unit = parseStartEntry('nfs-server.service')
    assert.ok(!isOcfAgent(unit))
    assert.deepEqual(unit, {unit: 'nfs-server.service'})
    assert.ok(isOcfAgent(parseStartEntry('ocf:heartbeat:IPaddr2 x ip=1')))
  })
})
