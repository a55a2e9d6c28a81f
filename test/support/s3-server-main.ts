// The local S3 server as its own process (see s3-server.ts): s3rver serving `dir` on loopback.
// Prints one JSON line with the port once it listens; stops on SIGTERM.
// argv: <dir> <lenient: 0|1> <bucket>...
import {createRequire} from 'node:module'

interface S3rverInstance {run(): Promise<{port: number}>, close(): Promise<void>}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverInstance

// A CommonJS package; required by name so that NODE_PATH can point at another install.
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverClass
const [dir, lenient, ...buckets] = process.argv.slice(2)
const server = new S3rver({address: '127.0.0.1', port: 0, directory: dir, silent: true, allowMismatchedSignatures: lenient === '1',
  // Virtual-host requests name the bucket as <bucket>.s3.localhost.
  serviceEndpoint: 'localhost', configureBuckets: buckets.map((name) => ({name, configs: []}))})
const {port} = await server.run()
process.stdout.write(`${JSON.stringify({port})}\n`)
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
