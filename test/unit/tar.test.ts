// The ustar writer, checked against the real GNU tar: listing (names, modes, times, implied
// directories), extraction (contents byte for byte), and the 255-byte names that need the prefix
// field.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {impliedDirs, splitTarName, tar, tarGz, tarNameProblem, type TarFile} from '../../src/common/tar.ts'

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5)
const long = (n: number, c = 'd'): string => c.repeat(n)

function withArchive(data: Buffer, fn: (dir: string, archive: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-tar-'))
  try {
    const archive = join(dir, 'a.tar.gz')
    writeFileSync(archive, data)
    fn(dir, archive)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

describe('tar', () => {
  // 254 bytes, near the most ustar holds: 154 of directories in the prefix, 99 of file name.
  const deepName = `sos/${long(90)}/${long(59, 'e')}/${long(95, 'f')}.txt`
  const files: TarFile[] = [
    {name: 'sos/node1/uname.txt', content: 'Linux node1 6.1.0\n', mtime: MTIME},
    {name: 'sos/node1/res/r1.res', content: 'resource r1 {}\n', mode: 0o600, mtime: MTIME},
    {name: 'sos/_controller/state.json', content: '{"ä": "ü€"}\n', mtime: MTIME},
    {name: 'sos/empty.txt', content: '', mtime: MTIME},
    {name: 'sos/block.bin', content: Buffer.alloc(512, 7), mtime: MTIME},
    {name: deepName, content: 'deep\n', mtime: MTIME},
  ]

  test('GNU tar lists every file and implied directory with its mode and time', () => {
    withArchive(tarGz(files), (_dir, archive) => {
      const listing = execFileSync('tar', ['-tzvf', archive, '--utc'], {encoding: 'utf8'}).trim().split('\n')
      const byName = new Map(listing.map((l) => [l.split(/\s+/).slice(5).join(' '), l]))
      assert.deepEqual([...byName.keys()].sort(), [...impliedDirs(files.map((f) => f.name)).map((d) => `${d}/`), ...files.map((f) => f.name)].sort())
      assert.match(byName.get('sos/node1/uname.txt') ?? '', /^-rw-r--r-- root\/root\s+18 2026-01-02 03:04 /)
      assert.match(byName.get('sos/node1/res/r1.res') ?? '', /^-rw------- /)
      assert.match(byName.get('sos/node1/') ?? '', /^drwxr-xr-x /)
    })
  })

  test('GNU tar extracts the contents byte for byte, names beyond 100 bytes included', () => {
    withArchive(tarGz(files), (dir, archive) => {
      execFileSync('tar', ['-xzf', archive, '-C', dir])
      for (const f of files) assert.deepEqual(readFileSync(join(dir, f.name)), Buffer.from(f.content), f.name)
      assert.equal(statSync(join(dir, 'sos/node1/uname.txt')).mtimeMs, MTIME)
    })
  })

  test('the archive is whole blocks, padded to 10 KiB records, and ends with two zero blocks', () => {
    const raw = tar(files)
    assert.equal(raw.length % 10240, 0)
    assert.deepEqual(gunzipSync(tarGz(files)), raw)
    assert.equal(raw.subarray(257, 263).toString('latin1'), 'ustar\0')
  })

  test('long names are split at a slash into prefix and name; what cannot be split is refused', () => {
    assert.deepEqual(splitTarName('a/b'), {name: 'a/b', prefix: ''})
    assert.equal(Buffer.byteLength(deepName), 254)
    assert.deepEqual(splitTarName(deepName), {name: `${long(95, 'f')}.txt`, prefix: `sos/${long(90)}/${long(59, 'e')}`})
    assert.deepEqual(splitTarName(`${long(120)}/x/`), {name: 'x/', prefix: long(120)})
    assert.throws(() => splitTarName(`${long(160)}/x`), /too long/)
    assert.throws(() => splitTarName(`a/${long(101)}`), /too long/)
  })

  test('names that could leave the target directory, and duplicates, are refused', () => {
    for (const bad of ['/etc/passwd', 'a/../b', '..', 'a//b', '', 'a\0b']) assert.ok(tarNameProblem(bad), bad)
    assert.throws(() => tar([{name: '../x', content: '', mtime: 0}]), /relative path|'\.\.'/)
    assert.throws(() => tar([{name: 'x', content: '', mtime: 0}, {name: 'x', content: '', mtime: 0}]), /twice/)
  })
})
