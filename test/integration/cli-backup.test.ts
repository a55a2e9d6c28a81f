// `cairn backup …` through the binary against a live `cairn combined` with a FILE_THIN pool and a
// real S3 server (s3rver in its own process): a full and an incremental backup, each waited for;
// list, info; restores into new resources with the data each backup had; a tampered backup's
// restore reported as failed; abort; deletes by id, filter, key and all, dry and with --cascade;
// shipping to this cluster through a remote pointing back to it; the shipping queue; errors and
// exit codes.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {promisify} from 'node:util'
import {createS3Client, type S3Client} from '../../src/api/s3-client.ts'
import type {BackupInfo, BackupList} from '../../src/api/wire.ts'
import {api, cli, freePort, tempDir, waitFor} from '../support/cluster.ts'
import {useCombinedCli} from '../support/cli-session.ts'
import {startS3Server, type LocalS3} from '../support/s3-server.ts'

const exec = promisify(execFile)
const SIZE = 4 * 1024 * 1024

describe('cli: backups to S3 and shipping', () => {
  const node = 'bak-node'
  const session = useCombinedCli(node)
  const {ok, run, fails, json, row} = session
  let s3: LocalS3
  let bucket: S3Client
  const call = (method: string, path: string, body?: unknown): ReturnType<typeof api> => api(session.c.base, method, path, body)
  const device = (rd: string): Promise<string> => waitFor(`${rd}'s device`, async () => {
    const vols = (await call('GET', `/v1/resource-definitions/${rd}/resources/${node}/volumes`)).body as {device_path?: string}[]
    return Array.isArray(vols) && vols[0]?.device_path ? vols[0].device_path : undefined
  }, 30_000)
  const sha = async (rd: string): Promise<string> => createHash('sha256').update((await readFile(await device(rd))).subarray(0, SIZE)).digest('hex')
  const write = async (rd: string, pattern: string, offsetMiB: number): Promise<void> => {
    await exec('sh', ['-c', 'yes "$1" | head -c 1048576 | dd of="$2" bs=64k seek="$3" oflag=direct status=none', 'sh', pattern, await device(rd), String(offsetMiB * 16)])
  }
  const backups = async (): Promise<BackupList> => json<BackupList>('backup', 'list', 'bak')
  const ids: {full?: string, inc?: string} = {}
  const sums: {full?: string, inc?: string} = {}

  before(async () => {
    // No client.conf or auth.json of the machine's.
    const dir = await tempDir('cairn-cli-backup-')
    Object.assign(process.env, {CAIRN_CLIENT_CONF: join(dir, 'none'), CAIRN_AUTH_JSON: join(dir, 'none')})
    s3 = await startS3Server({buckets: ['backups']})
    bucket = createS3Client({...s3, bucket: 'backups', region: 'us-east-1', usePathStyle: true})
    // S3 keys are stored encrypted with the master passphrase.
    assert.equal((await call('POST', '/v1/encryption/passphrase', {new_passphrase: 'cli-backup-pass'})).status, 201)
    await ok('remote', 'create', 's3', 'bak', s3.endpoint, 'backups', 'us-east-1', s3.accessKey, s3.secretKey, '--use-path-style')
    await ok('rg', 'c', 'bg', '--place-count', '1', '-l', 'storage')
    await ok('rg', 'spawn', 'bg', 'data', '4M')
  })

  after(async () => {
    await s3?.stop()
  })

  test('create: a full backup, then an incremental one based on it, each waited for', async () => {
    await write('data', 'first-pattern', 0)
    sums.full = await sha('data')
    let out = await ok('backup', 'create', 'bak', 'data', '--full')
    ids.full = /Backup '(data_back_\d{8}_\d{6})' shipped to remote 'bak'/.exec(out)?.[1]
    assert.ok(ids.full, out)
    assert.match(out, /^SUCCESS:\nDescription:\n\s+Backup shipping of resource 'data' to remote 'bak' in progress/)
    // Piped: the outcome only, no progress line.
    assert.doesNotMatch(out, /Shipping backup/)
    assert.equal((await backups()).linstor?.[ids.full]?.success, true, 'done when the command returns')

    await write('data', 'second-pattern', 2)
    sums.inc = await sha('data')
    // One second later at least: backup ids are timestamps.
    await new Promise((r) => setTimeout(r, 1100))
    out = await ok('b', 'c', 'bak', 'data')
    assert.match(out, /Incremental backup shipping of resource 'data'/)
    ids.inc = /Backup '(\S+)' shipped/.exec(out)?.[1]
    assert.equal((await backups()).linstor?.[ids.inc ?? '']?.based_on_id, ids.full)
  })

  test('list: linstor\'s columns, filters, ids, and the objects that are no backup', async () => {
    const {full, inc} = ids as Required<typeof ids>
    const out = await ok('backup', 'list', 'bak')
    assert.deepEqual(row(out, 'Resource'), ['Resource', 'Snapshot', 'Finished at', 'Based On', 'Status'])
    const rows = out.split('\n').map((l) => l.split('┊').slice(1, -1).map((x) => x.trim())).filter((c) => c[0] === 'data')
    assert.deepEqual(rows.map((r) => [r[1], r[3], r[4]]), [[full.slice(5), '', 'Success'], [inc.slice(5), full, 'Success']])
    assert.match(rows[0]?.[2] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    assert.equal(row(await ok('b', 'l', 'bak', '-i'), 'data')?.[5], full, '--show-id adds the id column')
    assert.equal(row(await ok('b', 'l', 'bak', '-r', 'other'), 'data'), undefined)
    assert.deepEqual(Object.keys((await json<BackupList>('b', 'l', 'bak', '-s', inc.slice(5))).linstor ?? {}), [inc])
    assert.match(await ok('b', 'l', 'bak', '--others'), /S3 Key/)
    await bucket.putObject('stray.txt', 'not a backup')
    assert.deepEqual(row(await ok('b', 'l', 'bak', '-o'), 'stray.txt'), ['stray.txt'])
    assert.deepEqual((await backups()).other?.files, ['stray.txt'])
  })

  test('info: the chain and its sizes, per target pool with -n', async () => {
    const {full, inc} = ids as Required<typeof ids>
    let out = await ok('backup', 'info', 'bak', '-r', 'data')
    assert.deepEqual(row(out, 'data')?.slice(0, 5), ['data', inc.slice(5), full, inc, '2'])
    assert.deepEqual(row(out, 'Origin StorPool (Type)')?.slice(0, 3), ['Origin StorPool (Type)', 'Volume to Download', 'Type'])
    assert.deepEqual(row(out, 'DfltStorPool (FILE_THIN)')?.slice(1, 3), ['data/0', 'STORAGE'])
    out = await ok('b', 'i', 'bak', '--id', full, '-n', node)
    assert.deepEqual(row(out, 'data')?.slice(2, 5), [full, full, '1'])
    assert.deepEqual(row(out, 'Origin StorPool (Type)')?.slice(1, 3), ['Target Pool', 'Remaining Free Space'])
    assert.equal(row(out, 'DfltStorPool (FILE_THIN)')?.[1], 'DfltStorPool')
    const info = await json<BackupInfo>('b', 'i', 'bak', '--id', inc, '--storpool-rename', 'DfltStorPool=Other')
    assert.deepEqual([info.full, info.latest, info.count, info.storpools[0]?.name], [full, inc, 2, 'Other'])
    assert.match(await fails(2, 'b', 'i', 'bak'), /Exactly one of the following must be provided: --id, --resource/)
    assert.match(await fails(2, 'b', 'i', 'bak', '-r', 'data', '--storpool-rename', 'nopair'), /expected oldname=newname/)
    assert.match(await fails(10, 'b', 'i', 'bak', '-r', 'nosuch'), /No backup of resource 'nosuch'/)
  })

  test('restore: each backup into a new resource with exactly its data, waited for; download only', async () => {
    const {full, inc} = ids as Required<typeof ids>
    let out = await ok('backup', 'restore', 'bak', node, 'fromfull', '--id', full)
    assert.match(out, /Restoring backup '\S+' into resource 'fromfull' on node 'bak-node' in progress/)
    assert.match(out, /Resource 'fromfull' ready on bak-node/)
    assert.equal(await sha('fromfull'), sums.full)
    assert.match(await ok('b', 'rst', 'bak', node, 'fromlatest', '-r', 'data'), /Resource 'fromlatest' ready/)
    assert.equal(await sha('fromlatest'), sums.inc)

    out = await ok('b', 'restore', 'bak', node, 'dlonly', '--id', inc, '--download-only')
    assert.match(out, new RegExp(`Downloaded snapshot '${inc.slice(5)}' of 'dlonly' to ${node}`))
    assert.deepEqual((await call('GET', '/v1/resource-definitions/dlonly/resources')).body, [])
    assert.equal(row(await ok('s', 'l', '-r', 'dlonly'), 'dlonly')?.[5], 'Successful')

    assert.match(await fails(10, 'b', 'rst', 'bak', node, 'fromfull', '--id', full), /already has resources or snapshots/)
    assert.match(await fails(2, 'b', 'rst', 'bak', node, 'x', '-r', 'data', '--id', full), /cannot also be provided/)
    // --async: the controller's answer only.
    out = await ok('b', 'rst', 'bak', node, 'later', '--id', full, '--async')
    assert.doesNotMatch(out, /ready/)
    assert.equal(await sha('later'), sums.full)
  })

  test('restore of a tampered backup: the download fails its checksum, the command says so and exits 10', async () => {
    const {inc} = ids as Required<typeof ids>
    const key = `data_00000_${inc.slice(5)}`
    const chunks: Buffer[] = []
    for await (const c of (await bucket.getObject(key)).body) chunks.push(c as Buffer)
    const original = Buffer.concat(chunks)
    const bad = Buffer.from(original)
    bad[5000] = (bad[5000] as number) ^ 0x55
    await bucket.putObject(key, bad)
    try {
      const r = await run('b', 'rst', 'bak', node, 'tampered', '--id', inc)
      assert.equal(r.code, 10, r.stdout + r.stderr)
      assert.match(r.stdout, /in progress/)
      assert.match(r.stderr, /Restoring into 'tampered' on bak-node failed or was aborted .*error-reports list/)
    } finally {
      await bucket.putObject(key, original)
    }
  })

  test('abort: nothing running is a warning; a running backup is aborted or, if too quick for that, done', async () => {
    const out = await ok('backup', 'abort', 'bak', 'data')
    assert.match(out, /WARNING:\n\s+No shipment of resource 'data' with remote 'bak' is running/)
    assert.equal((await run('b', 'abort', 'bak', 'data', '--create', '--warn-as-error')).code, 10)
    assert.match(await ok('b', 'c', 'bak', 'data', '-s', 'quick', '--async'), /in progress/)
    const aborted = /Aborted backup of 'data'/.test(await ok('b', 'abort', 'bak', 'data', '-c'))
    const listed = await waitFor('the backup settled', async () => {
      const b = (await backups()).linstor?.data_quick
      return b?.shipping ? undefined : {b}
    }, 30_000)
    assert.equal(listed.b?.success === true, !aborted, aborted ? 'an aborted backup is not listed' : 'not aborted: complete')
  })

  test('delete: refused without --cascade, dry runs list and keep, then by key, filter, id and all', async () => {
    const {full, inc} = ids as Required<typeof ids>
    assert.match(await fails(10, 'backup', 'delete', 'id', 'bak', full), /is the base of/)
    const out = await ok('b', 'd', 'id', 'bak', full, '--cascade', '--dry-run')
    assert.match(out, /Would delete \d+ object\(s\) on remote 'bak'/)
    for (const id of [full, inc]) assert.ok(out.includes(`${id}.meta`), out)
    assert.ok((await backups()).linstor?.[full], 'a dry run deletes nothing')
    assert.match(await ok('b', 'd', 'f', 'bak', '-r', 'data', '--dry-run'), /Would delete/)
    assert.match(await ok('b', 'd', 'a', 'bak', '--dry-run', '--cluster'), /Would delete/)

    assert.match(await ok('b', 'd', 's3key', 'bak', 'stray.txt'), /Deleted 1 object\(s\)/)
    assert.ok(!(await backups()).other?.files?.includes('stray.txt'))
    assert.match(await fails(2, 'b', 'd', 'filter', 'bak'), /At least one of --time, --resource or --node/)
    assert.match(await fails(2, 'b', 'd', 'filter', 'bak', '-t', '2021-09-14'), /expected YYYYMMDD_HHMMSS/)
    assert.match(await ok('b', 'd', 'filter', 'bak', '-t', '20000101_000000'), /WARNING:[\s\S]*No backup matched/)

    // The incremental has nothing based on it (an aborted-or-not `quick` is based on it: cascade).
    assert.match(await ok('b', 'd', 'id', 'bak', inc, '--cascade'), /Deleted/)
    assert.deepEqual(Object.keys((await backups()).linstor ?? {}), [full])
    assert.match(await ok('b', 'd', 'id', 'bak', full), /Deleted 2 object\(s\)/)
    assert.equal((await backups()).linstor, undefined)
    assert.match(await ok('b', 'd', 'all', 'bak'), /No backup matched/)
  })

  test('ship: to this cluster through a remote pointing back to it', async () => {
    const id = ((await call('GET', '/v1/controller/properties')).body as Record<string, string>)['Cluster/LocalID'] as string
    await ok('remote', 'create', 'linstor', 'self', session.c.base, '--cluster-id', id)
    const now = await sha('data')
    assert.match(await ok('backup', 'ship', 'self', 'data', 'shipped', '--target-node', node), /Shipping of resource 'data' to remote 'self' in progress/)
    assert.equal(await sha('shipped'), now)
    // Again into the same target: incremental unless forced full, from a snapshot of the name given.
    const again = await ok('b', 'ship', 'self', 'data', 'shipped', '--target-node', node, '--full', '--source-snapshot', 'by-hand')
    assert.match(again, /^Description:\n\s+Shipping of resource 'data'/m)
    assert.ok((await json<{name: string}[]>('s', 'l', '-r', 'data')).some((s) => s.name === 'by-hand'), 'the snapshot shipped has the name given')
    assert.match(await fails(10, 'b', 'ship', 'bak', 'data', 'x'), /is an s3 remote: shipping goes to LINSTOR remotes/)
  })

  test('queue list: nothing queued once the shipments are done; linstor\'s columns, per node or per snapshot', async () => {
    assert.match(await ok('b', 'queue', 'list'), /┊ Node ┊ Resource ┊ Snapshot ┊ Remote ┊ Based On ┊ Created at ┊ Preferred Node ┊/)
    assert.match(await ok('b', 'q', 'l', '--s2n', '-n', node), /┊ Resource ┊ Snapshot ┊ Remote ┊ Based On ┊ Created at ┊ Preferred Node ┊ Node ┊/)
    assert.deepEqual(await json('b', 'q', 'l'), {})
  })

  test('errors: unknown remote or resource exit 10, no controller exits 20', async () => {
    assert.match(await fails(10, 'backup', 'list', 'nosuch'), /Remote 'nosuch' not found/)
    assert.match(await fails(10, 'b', 'c', 'nosuch', 'data'), /Remote 'nosuch' not found/)
    assert.match(await fails(10, 'b', 'c', 'bak', 'nosuchrsc'), /nosuchrsc/)
    assert.match(await fails(10, 'b', 'rst', 'bak', node, 'y', '-r', 'nosuchrsc'), /No backup of resource 'nosuchrsc'/)
    assert.match(await fails(10, 'b', 'd', 'id', 'bak', 'data_back_19990101_000000'), /is not on remote 'bak'/)
    assert.match(await fails(10, 'b', 'l', 'self'), /is a linstor remote: backups go to S3 remotes/)
    const r = await cli(['backup', 'list', 'bak', '--controllers', `127.0.0.1:${await freePort()}`])
    assert.equal(r.code, 20, r.stderr)
    assert.match(r.stderr, /Unable to connect/)
  })
})
