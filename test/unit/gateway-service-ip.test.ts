import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {catchAll, cidrFromParts, formatCidr, formatIp, isCatchAll, parseCidr, parseIp, parseServiceIp, sameIp, serviceIpProblem} from '../../gateway/service-ip.ts'

describe('parseCidr (Go net.ParseCIDR semantics)', () => {
  const ok: [string, string, 'ipv4' | 'ipv6', number][] = [
    ['192.168.122.181/24', '192.168.122.181/24', 'ipv4', 24],
    ['0.0.0.0/0', '0.0.0.0/0', 'ipv4', 0],
    ['10.0.0.1/32', '10.0.0.1/32', 'ipv4', 32],
    ['10.0.0.1/024', '10.0.0.1/24', 'ipv4', 24],
    ['::/0', '::/0', 'ipv6', 0],
    ['FD00:0:0:0:0:0:0:1/64', 'fd00::1/64', 'ipv6', 64],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128', 'ipv6', 128],
    ['2001:0db8::0001/48', '2001:db8::1/48', 'ipv6', 48],
    ['1:0:2:0:3:0:4:0/1', '1:0:2:0:3:0:4:0/1', 'ipv6', 1],
    ['::ffff:192.0.2.1/120', '::ffff:192.0.2.1/120', 'ipv6', 120],
    ['::192.0.2.1/96', '::c000:201/96', 'ipv6', 96],
    ['1:2:3:4:5:6:7::/64', '1:2:3:4:5:6:7:0/64', 'ipv6', 64],
  ]
  for (const [text, formatted, family, prefix] of ok) {
    test(`${text} keeps the host address`, () => {
      const c = parseCidr(text)
      assert.equal(formatCidr(c), formatted)
      assert.equal(c.family, family)
      assert.equal(c.prefix, prefix)
    })
  }
  const bad = ['192.168.122.181', '192.168.122.181/', '192.168.122.181/33', '192.168.122/24', '192.168.122.256/24', '01.2.3.4/8',
    ' 10.0.0.1/8', '10.0.0.1/+8', 'fd00::1/129', 'fd00::1%eth0/64', '1::2::3/64', '1:2:3:4:5:6:7:8:9/64', ':1::/64', '12345::/64',
    '1.2.3.4::/64', 'host/24', '/24', '']
  for (const text of bad) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseCidr(text), {message: `invalid CIDR address: ${text}`})
      assert.throws(() => parseServiceIp(text), {message: `failed to parse service ip: invalid CIDR address: ${text}`})
      assert.equal(serviceIpProblem(text), `failed to parse service ip: invalid CIDR address: ${text}`)
    })
  }
})

describe('addresses', () => {
  test('RFC 5952 formatting: longest zero run, first on ties, single zero groups kept', () => {
    assert.equal(formatIp([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]), '2001:db8::1:0:0:1')
    assert.equal(formatIp([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]), '2001:db8:0:1::1')
    assert.equal(formatIp(new Array<number>(16).fill(0)), '::')
    assert.throws(() => formatIp([1, 2, 3]), /4 or 16 bytes/)
  })
  test('an IPv4 address equals its IPv4-mapped form', () => {
    assert.ok(sameIp(parseIp('192.0.2.1')!, parseIp('::ffff:192.0.2.1')!))
    assert.ok(!sameIp(parseIp('192.0.2.1')!, parseIp('192.0.2.2')!))
    assert.ok(sameIp(parseIp('fd00::1')!, parseIp('FD00:0::1')!))
  })
  test('parts from an IPaddr2 agent', () => {
    assert.equal(formatCidr(cidrFromParts('10.0.0.1', 24)), '10.0.0.1/24')
    assert.throws(() => cidrFromParts('10.0.0', 24), {message: 'malformed ip 10.0.0'})
    assert.throws(() => cidrFromParts('10.0.0.1', 40), {message: 'invalid prefix length 40 for 10.0.0.1'})
  })
  test('catch-alls', () => {
    assert.equal(formatCidr(catchAll('ipv4')), '0.0.0.0/0')
    assert.equal(formatCidr(catchAll('ipv6')), '::/0')
    assert.ok(isCatchAll(parseCidr('::/0')))
    assert.ok(!isCatchAll(parseCidr('10.0.0.0/0')))
  })
})
