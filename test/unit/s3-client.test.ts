// The S3 client's pure parts: addressing (path and virtual-host style), the XML it reads and
// writes, and re-cutting a stream into parts.
import assert from 'node:assert/strict'
import {Readable} from 'node:stream'
import {describe, test} from 'node:test'
import {createS3Client, MIN_PART_SIZE, partsOf, s3Address} from '../../src/api/s3-client.ts'
import {completeMultipartBody, parseError, parseListObjectsV2, xmlUnescape} from '../../src/common/s3-xml.ts'

describe('addressing', () => {
  test('virtual-host style by default; https when the endpoint has no scheme', () => {
    assert.deepEqual(s3Address({endpoint: 's3.us-west-2.amazonaws.com', bucket: 'my-bucket', usePathStyle: false}, 'a/b.img'),
      {protocol: 'https:', hostname: 'my-bucket.s3.us-west-2.amazonaws.com', port: 443, host: 'my-bucket.s3.us-west-2.amazonaws.com', path: '/a/b.img'})
    assert.equal(s3Address({endpoint: 's3.example', bucket: 'b', usePathStyle: false}, '').path, '/')
  })

  test('path style: the bucket in the path; an explicit port in the Host header', () => {
    assert.deepEqual(s3Address({endpoint: 'http://10.0.0.5:9000', bucket: 'bk', usePathStyle: true}, 'x y'),
      {protocol: 'http:', hostname: '10.0.0.5', port: 9000, host: '10.0.0.5:9000', path: '/bk/x y'})
    assert.equal(s3Address({endpoint: 'http://h:9000/', bucket: 'bk', usePathStyle: true}, '').path, '/bk')
    assert.equal(s3Address({endpoint: 'https://gw.example/s3/', bucket: 'bk', usePathStyle: true}, 'k').path, '/s3/bk/k')
    assert.equal(s3Address({endpoint: 'http://[::1]:9000', bucket: 'bk', usePathStyle: true}, 'k').hostname, '::1')
  })

  test('only http and https', () => {
    assert.throws(() => s3Address({endpoint: 'ftp://h', bucket: 'b', usePathStyle: true}, 'k'), /must be http or https/)
  })

  test('a part size below S3\'s minimum is refused up front', () => {
    const t = {endpoint: 'http://h', bucket: 'b', region: 'r', accessKey: 'a', secretKey: 's', usePathStyle: true}
    assert.throws(() => createS3Client(t, {partSize: MIN_PART_SIZE - 1}), RangeError)
  })
})

describe('XML', () => {
  test('ListObjectsV2 page, entities decoded', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bk</Name>' +
      '<Prefix>r/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>' +
      '<Contents><Key>r/a&amp;b</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>5</Size></Contents>' +
      '<Contents><Key>r/c</Key><LastModified>2026-01-02T00:00:00.000Z</LastModified><ETag>"def-2"</ETag><Size>10485760</Size></Contents>' +
      '<CommonPrefixes><Prefix>r/sub/</Prefix></CommonPrefixes><NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>'
    assert.deepEqual(parseListObjectsV2(xml), {
      objects: [{key: 'r/a&b', size: 5, etag: '"abc"', lastModified: '2026-01-01T00:00:00.000Z'},
        {key: 'r/c', size: 10485760, etag: '"def-2"', lastModified: '2026-01-02T00:00:00.000Z'}],
      commonPrefixes: ['r/sub/'], isTruncated: true, nextContinuationToken: 'tok/+='})
    assert.deepEqual(parseListObjectsV2('<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>'),
      {objects: [], commonPrefixes: [], isTruncated: false})
  })

  test('Error documents', () => {
    assert.deepEqual(parseError('<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>' +
      '<Resource>/bk/k</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>'),
    {code: 'NoSuchKey', message: 'The resource you requested does not exist', requestId: '4442587FB7D0A2F9', resource: '/bk/k'})
    assert.equal(parseError('<CompleteMultipartUploadResult><ETag>"x"</ETag></CompleteMultipartUploadResult>'), undefined)
  })

  test('CompleteMultipartUpload body: parts in order, ETags escaped', () => {
    assert.equal(completeMultipartBody([{partNumber: 2, etag: '"b"'}, {partNumber: 1, etag: '"a"'}]),
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      '<Part><PartNumber>1</PartNumber><ETag>&quot;a&quot;</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;b&quot;</ETag></Part></CompleteMultipartUpload>')
  })

  test('numeric character references', () => {
    assert.equal(xmlUnescape('&#65;&#x42;&lt;&unknown;'), 'AB<&unknown;')
  })
})

describe('partsOf', () => {
  const cut = async (chunks: number[], size: number): Promise<number[]> => {
    const out: number[] = []
    for await (const p of partsOf(Readable.from(chunks.map((n, i) => Buffer.alloc(n, i))), size)) out.push(p.length)
    return out
  }

  test('parts of exactly the size, the rest last, whatever the chunking', async () => {
    assert.deepEqual(await cut([3, 3, 3, 3], 5), [5, 5, 2])
    assert.deepEqual(await cut([12], 5), [5, 5, 2])
    assert.deepEqual(await cut([5, 5], 5), [5, 5])
    assert.deepEqual(await cut([], 5), [])
  })

  test('bytes keep their order', async () => {
    const data = Buffer.from('abcdefghijklmnopqrstuvwxyz')
    const parts: Buffer[] = []
    for await (const p of partsOf(Readable.from([data.subarray(0, 7), data.subarray(7, 8), data.subarray(8)]), 4)) parts.push(p)
    assert.equal(Buffer.concat(parts).toString(), data.toString())
  })
})
