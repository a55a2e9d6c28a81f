// SigV4 against the worked examples in AWS's S3 documentation ("Signature Calculations for the
// Authorization Header"): their example keys, requests and published signatures.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {amzDates, authorization, canonicalQuery, canonicalRequest, credentialScope, EMPTY_SHA256, sha256Hex, uriEncode} from '../../src/common/s3-signature.ts'

const creds = {accessKey: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}
const date = new Date('2013-05-24T00:00:00Z')
const host = 'examplebucket.s3.amazonaws.com'
const base = {'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': EMPTY_SHA256}

describe('SigV4: AWS documentation examples', () => {
  test('GET object with a Range header', () => {
    const r = {method: 'GET', path: '/test.txt', headers: {Host: host, Range: 'bytes=0-9', ...base}, payloadHash: EMPTY_SHA256}
    const {text, signedHeaders} = canonicalRequest(r)
    assert.equal(text, ['GET', '/test.txt', '', `host:${host}`, 'range:bytes=0-9', `x-amz-content-sha256:${EMPTY_SHA256}`,
      'x-amz-date:20130524T000000Z', '', 'host;range;x-amz-content-sha256;x-amz-date', EMPTY_SHA256].join('\n'))
    assert.equal(signedHeaders, 'host;range;x-amz-content-sha256;x-amz-date')
    assert.equal(sha256Hex(text), '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972')
    const auth = authorization(r, creds, 'us-east-1', date)
    assert.equal(auth.signature, 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41')
    assert.equal(auth.authorization, 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
      'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41')
  })

  test('PUT object: a signed payload, a reserved character in the key, a Date header', () => {
    const body = 'Welcome to Amazon S3.'
    assert.equal(sha256Hex(body), '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072')
    const r = {method: 'PUT', path: '/test$file.text', payloadHash: sha256Hex(body), headers: {Host: host, Date: 'Fri, 24 May 2013 00:00:00 GMT',
      'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'x-amz-content-sha256': sha256Hex(body)}}
    assert.match(canonicalRequest(r).text, /^PUT\n\/test%24file\.text\n/)
    assert.equal(authorization(r, creds, 'us-east-1', date).signature, '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd')
  })

  test('GET bucket lifecycle: a sub-resource without a value', () => {
    const r = {method: 'GET', path: '/', query: [['lifecycle', '']] as const, headers: {Host: host, ...base}, payloadHash: EMPTY_SHA256}
    assert.equal(authorization(r, creds, 'us-east-1', date).signature, 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543')
  })

  test('GET bucket (list objects): query parameters sorted', () => {
    const r = {method: 'GET', path: '/', query: [['prefix', 'J'], ['max-keys', '2']] as const, headers: {Host: host, ...base}, payloadHash: EMPTY_SHA256}
    assert.equal(authorization(r, creds, 'us-east-1', date).signature, '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7')
  })
})

describe('SigV4 pieces', () => {
  test('dates and scope', () => {
    assert.deepEqual(amzDates(new Date('2026-01-02T03:04:05.678Z')), {amzDate: '20260102T030405Z', dateStamp: '20260102'})
    assert.equal(credentialScope('20260102', 'eu-central-1'), '20260102/eu-central-1/s3/aws4_request')
  })

  test('URI encoding: RFC 3986 unreserved characters only, UTF-8 bytes, slashes kept in paths', () => {
    assert.equal(uriEncode('a b+c/d~e_f.g-h*', true), 'a%20b%2Bc/d~e_f.g-h%2A')
    assert.equal(uriEncode('a/b', false), 'a%2Fb')
    assert.equal(uriEncode('ü€', false), '%C3%BC%E2%82%AC')
  })

  test('canonical query: encoded, sorted by name then value, empty values keep their =', () => {
    assert.equal(canonicalQuery([['uploads', ''], ['b', '2'], ['a', 'x y'], ['a', '1']]), 'a=1&a=x%20y&b=2&uploads=')
    assert.equal(canonicalQuery([['continuation-token', 'a/b=']]), 'continuation-token=a%2Fb%3D')
    assert.equal(canonicalQuery(), '')
  })

  test('header values trimmed, inner runs of spaces collapsed, names lower-cased and sorted', () => {
    const {text, signedHeaders} = canonicalRequest({method: 'get', path: '/k', headers: {'X-Amz-Meta-A': '  one   two ', Host: 'h'}, payloadHash: 'UNSIGNED-PAYLOAD'})
    assert.equal(signedHeaders, 'host;x-amz-meta-a')
    assert.equal(text, 'GET\n/k\n\nhost:h\nx-amz-meta-a:one two\n\nhost;x-amz-meta-a\nUNSIGNED-PAYLOAD')
  })
})
