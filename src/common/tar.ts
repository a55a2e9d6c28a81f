// A minimal POSIX ustar writer, enough for `sos-report` tarballs: regular files with a mode and a
// modification time, names up to 255 bytes (through the prefix field), and a directory entry
// for every parent directory the names imply, so that any tar recreates the tree with sane
// permissions. Pure: entries in, bytes out; gzip with node:zlib on top.
import {gzipSync} from 'node:zlib'

export interface TarFile {
  /** Relative path with '/' separators; no '..' components. */
  name: string
  content: Buffer | string
  /** Permission bits; 0o644 when left out. */
  mode?: number
  /** Modification time, epoch milliseconds. */
  mtime: number
}

const BLOCK = 512
/** Archives are padded to whole records of 20 blocks, as tar writes them. */
const RECORD = 20 * BLOCK
const NAME_MAX = 100
const PREFIX_MAX = 155
/** The size field holds 11 octal digits. */
const SIZE_MAX = 8 ** 11 - 1

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Why `name` cannot be stored, or undefined. */
export function tarNameProblem(name: string): string | undefined {
  if (name === '' || name.startsWith('/')) return `'${name}' is not a relative path`
  if (name.includes('\0')) return `'${name}' contains NUL`
  if (name.split('/').some((p) => p === '..' || p === '')) return `'${name}' has an empty or '..' component`
  return undefined
}

/**
 * The ustar name and prefix fields for `path` (a directory's ends with '/'): the whole path when
 * it fits 100 bytes, else split at a '/' so that the prefix fits 155 and the rest 100.
 */
export function splitTarName(path: string): {name: string, prefix: string} {
  if (bytes(path) <= NAME_MAX) return {name: path, prefix: ''}
  // The split '/' is dropped; a directory's trailing slash is not a split point.
  for (let i = path.lastIndexOf('/', path.length - 2); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (bytes(prefix) > PREFIX_MAX) continue
    if (bytes(name) <= NAME_MAX) return {name, prefix}
    break
  }
  throw new Error(`'${path}' is too long for a ustar name (at most 155 bytes of directories and 100 of file name)`)
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

function header(path: string, type: '0' | '5', size: number, mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK)
  const {name, prefix} = splitTarName(path)
  h.write(name, 0, NAME_MAX, 'utf8')
  h.write(octal(mode & 0o7777, 8), 100, 'ascii')
  h.write(octal(0, 8), 108, 'ascii')
  h.write(octal(0, 8), 116, 'ascii')
  h.write(octal(size, 12), 124, 'ascii')
  h.write(octal(Math.max(0, Math.floor(mtime / 1000)), 12), 136, 'ascii')
  h.write(' '.repeat(8), 148, 'ascii')
  h.write(type, 156, 'ascii')
  h.write('ustar\0', 257, 'ascii')
  h.write('00', 263, 'ascii')
  h.write('root', 265, 'ascii')
  h.write('root', 297, 'ascii')
  h.write(prefix, 345, PREFIX_MAX, 'utf8')
  let sum = 0
  for (const b of h) sum += b
  h.write(octal(sum, 7) + ' ', 148, 'ascii')
  return h
}

/** The parent directories of the files, each once, parents before children. */
export function impliedDirs(names: readonly string[]): string[] {
  const dirs = new Set<string>()
  for (const n of names) {
    const parts = n.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
  }
  return [...dirs]
}

/** The archive: directories first (0755, the newest file's time), then the files in order. */
export function tar(files: readonly TarFile[]): Buffer {
  for (const f of files) {
    const problem = tarNameProblem(f.name)
    if (problem) throw new Error(`tar: ${problem}`)
  }
  const dupe = files.find((f, i) => files.findIndex((g) => g.name === f.name) !== i)
  if (dupe) throw new Error(`tar: '${dupe.name}' is given twice`)
  const newest = files.reduce((t, f) => Math.max(t, f.mtime), 0)
  const out: Buffer[] = impliedDirs(files.map((f) => f.name)).map((d) => header(`${d}/`, '5', 0, 0o755, newest))
  for (const f of files) {
    const data = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content
    if (data.length > SIZE_MAX) throw new Error(`tar: '${f.name}' is larger than ustar allows`)
    out.push(header(f.name, '0', data.length, f.mode ?? 0o644, f.mtime), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK))
  }
  out.push(Buffer.alloc(2 * BLOCK))
  const length = out.reduce((n, b) => n + b.length, 0)
  out.push(Buffer.alloc((RECORD - (length % RECORD)) % RECORD))
  return Buffer.concat(out)
}

export const tarGz = (files: readonly TarFile[]): Buffer => gzipSync(tar(files))
