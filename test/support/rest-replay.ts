// Replaying an integration's REST calls: each call states the status code the integration
// checks, and the device helpers read and write through the device_path it was given.
import assert from 'node:assert/strict'
import {open} from 'node:fs/promises'
import {api} from './cluster.ts'

export interface Replay {
  call(method: string, path: string, body?: unknown): Promise<{status: number, body: unknown, text: string}>
  /** The call must answer exactly `status`; returns the parsed body. */
  ok(method: string, path: string, status: number, body?: unknown): Promise<unknown>
}

export function replay(base: () => string): Replay {
  const call = (method: string, path: string, body?: unknown) => api(base(), method, path, body)
  return {
    call,
    async ok(method, path, status, body) {
      const r = await call(method, path, body)
      assert.equal(r.status, status, `${method} ${path}: ${r.text}`)
      return r.body
    },
  }
}

export async function readBlock(dev: string, bytes: number): Promise<Buffer> {
  const fh = await open(dev, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    await fh.read(buf, 0, bytes, 0)
    return buf
  } finally {
    await fh.close()
  }
}

export async function writeBlock(dev: string, data: Buffer): Promise<void> {
  const fh = await open(dev, 'r+')
  try {
    await fh.write(data, 0, data.length, 0)
    await fh.datasync()
  } finally {
    await fh.close()
  }
}
