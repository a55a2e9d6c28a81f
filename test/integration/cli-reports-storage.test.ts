// `error-reports`, `physical-storage` and `snapshot rollback` through the binary, against one live
// `cairn combined`: a real satellite failure becomes a report that the CLI lists, shows and
// deletes; this host's (absent) unused disks; a device pool refused by the node; rollbacks; an SOS
// report downloaded.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {execFile} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import {promisify} from 'node:util'
import {cleanup, getJson, tempDir, waitFor} from '../support/cluster.ts'
import {useCombinedCli} from '../support/cli-session.ts'

const exec = promisify(execFile)

describe('cli: error reports, physical storage, snapshot rollback', () => {
  const node = 'err-node'
  const session = useCombinedCli(node)
  const {ok, json, run, fails} = session
  /** The table's data rows as cells (the header row excluded). */
  const rows = (out: string): string[][] => out.split('\n').filter((l) => l.startsWith('┊'))
    .map((l) => l.split('┊').slice(1, -1).map((x) => x.trim())).slice(1)
  const headers = (out: string): string[] => out.split('\n').find((l) => l.startsWith('┊'))?.split('┊').slice(1, -1).map((x) => x.trim()) ?? []

  test('a satellite failure becomes a report: err list finds it, err show prints it, err delete removes it', async () => {
    // A pool directory below a regular file: creating a volume in it fails on the node.
    await writeFile(join(session.c.dir, 'not-a-dir'), 'x')
    await ok('sp', 'c', 'filethin', node, 'broken', join(session.c.dir, 'not-a-dir', 'pool'))
    await ok('rd', 'c', 'doomed', '-l', 'storage')
    await ok('vd', 'c', 'doomed', '4M')
    const created = await run('r', 'c', node, 'doomed', '--storage-pool', 'broken')
    assert.equal(created.code, 10, created.stdout)
    assert.match(created.stderr, /Resource 'doomed' could not be created on node 'err-node'/)
    const id = /cairn error-reports show (\S+)/.exec(created.stderr)?.[1]
    assert.ok(id, created.stderr)
    assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{5}-\d{6}$/)

    const list = await ok('err', 'l')
    assert.deepEqual(headers(list), ['Id', 'Datetime', 'Node', 'Exception'])
    const row = rows(list).find((r) => r[0] === id)
    assert.ok(row, list)
    assert.match(row[1] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    assert.equal(row[2], node)
    assert.match(row[3] ?? '', /^storage: Creating volume doomed\/0 in 'broken' failed/)
    assert.deepEqual(headers(await ok('error-reports', 'list', '--full')), ['Id', 'Datetime', 'Node', 'Exception', 'Location', 'Version'])

    // The filters: nodes, time spans and dates, id prefixes.
    const ids = async (...args: string[]): Promise<string[]> => rows(await ok('err', 'l', ...args)).map((r) => r[0] as string)
    assert.ok((await ids('-n', node, '--since', '1h')).includes(id))
    assert.ok((await ids('--report-id', id.slice(0, 6).toLowerCase())).includes(id))
    assert.deepEqual(await ids('--nodes', 'other-node'), [])
    assert.deepEqual(await ids('--to', '2001-01-01'), [])
    assert.deepEqual(await ids('-s', '2001-01-01', '-t', '2001-12-31'), [])
    assert.deepEqual(await ids('--report-id', 'nothing'), [])
    assert.match(await fails(2, 'err', 'l', '--since', 'yesterday'), /'yesterday' is neither a time span/)
    const listed = await json<{filename: string, node_name: string, text?: string}[]>('err', 'l', '-n', node)
    assert.ok(listed.some((r) => r.filename === `ErrorReport-${id}.log` && r.node_name === node && r.text === undefined))

    const shown = await ok('err', 's', id)
    assert.match(shown, new RegExp(`^ERROR REPORT ${id}\\n[\\s\\S]*Node: +${node}\\n[\\s\\S]*Error message: +Creating volume doomed/0[\\s\\S]*END OF ERROR REPORT\\.`))
    assert.match((await json<{text: string}[]>('error-reports', 'show', id))[0]?.text ?? '', /^ERROR REPORT/)
    const missing = await run('err', 's', id, 'NOSUCH-REPORT')
    assert.equal(missing.code, 10)
    assert.match(missing.stdout, new RegExp(`ERROR REPORT ${id}`), 'the reports that exist are still printed')
    assert.match(missing.stderr, /Error report 'NOSUCH-REPORT' not found/)

    // Done with the failure. The satellite sends the errors it keeps with every full sync (after
    // a change for the node, and each minute), and the controller files a deleted one again: let
    // the syncs that finish the clean-up happen before deleting (one check interval is 3 s).
    await ok('rd', 'd', 'doomed')
    await ok('sp', 'd', node, 'broken')
    await waitFor('clean-up done', async () => ((await getJson(`${session.c.base}/v1/resource-definitions/doomed`)).status === 404
      && (await getJson(`${session.c.base}/v1/nodes/${node}/storage-pools/broken`)).status === 404 ? true : undefined))
    await new Promise((r) => setTimeout(r, 4000))

    // A range delete that matches nothing (PATCH), then the report itself.
    assert.match(await ok('err', 'd', '--exception', 'NoSuchException', '--nodes', node), /0 error reports deleted/)
    assert.ok((await ids()).includes(id))
    assert.match(await fails(2, 'err', 'd'), /Name the reports to delete/)
    assert.match(await ok('err', 'd', id), new RegExp(`Error report '${id}' deleted`))
    assert.match(await fails(10, 'err', 's', id), new RegExp(`Error report '${id}' not found`))
    assert.ok(!(await ids()).includes(id))
    assert.match(await ok('err', 'd', 'NOSUCH-REPORT'), /WARNING:[\s\S]*Error report 'NOSUCH-REPORT' not found/)
  })

  test('physical-storage list on this host, which has no unused disk: an empty table', async () => {
    const out = await ok('ps', 'l')
    assert.deepEqual(headers(out), ['Size', 'Rotational', 'Nodes'])
    assert.deepEqual(rows(out), [])
    assert.deepEqual(await json('physical-storage', 'list'), [])
  })

  test('physical-storage create-device-pool: the node refuses a device it does not have (exit 10); bad words are usage errors', async () => {
    const refused = await fails(10, 'ps', 'cdp', 'lvm', node, '/dev/nonexistent')
    assert.match(refused, new RegExp(`Node '${node}' refused to create the device pool\\. Refused: Device '/dev/nonexistent' does not exist on this node`))
    assert.match(refused, /Details:\n {4}Nothing was changed on the node\./)
    assert.match(await fails(10, 'ps', 'cdp', 'LVMTHIN', node, '/dev/nonexistent', '--pool-name', 'fast', '--storage-pool', 'fastpool'),
      /refused to create the device pool/)
    assert.equal(rows(await ok('sp', 'l')).find((r) => r[0] === 'fastpool'), undefined, 'no storage pool was created')
    assert.match(await fails(10, 'ps', 'cdp', 'lvm', node, '/dev/nonexistent', '--pv-create-arguments=--dataalignment=1m', '--vg-create-arguments=--addtag=x'),
      /refused to create the device pool/, 'linstor\'s pass-through arguments are taken')
    assert.match(await fails(10, 'ps', 'cdp', 'zfs', node, '/dev/nonexistent', '--vdo-enable'), /VDO is not supported/)
    assert.match(await fails(10, 'ps', 'cdp', 'zfsthin', node, '/dev/nonexistent', '--sed'), /Self-encrypting drives \(sed\) are not supported/)
    assert.match(await fails(2, 'ps', 'cdp', 'file', node, '/dev/nonexistent'), /provider_kind to be one of lvm, lvmthin, zfs, zfsthin,\s[\s›]*spdk, not 'file'/)
    await fails(2, 'ps', 'cdp', 'lvm', node)
  })

  test('sos-report download into the directory given as its argument, as linstor takes it', async () => {
    const dir = await tempDir('cairn-sos-cli-')
    try {
      assert.match(await ok('sos-report', 'download', dir, '-s', '1h'), new RegExp(`SOS report saved as ${dir}/sos_\\d{8}_\\d{6}\\.tar\\.gz`))
    } finally {
      await cleanup(dir)
    }
  })

  test('snapshot rollback: the newest snapshot brings the data back (exit 0); an older one is refused (exit 10)', async () => {
    await ok('rg', 'c', 'rbgroup', '--place-count', '1', '-l', 'storage', '-s', 'DfltStorPool')
    await ok('rg', 'spawn', 'rbgroup', 'rbdata', '4M')
    // Read each time: a rollback re-attaches the volume, possibly on another loop device.
    const device = async (): Promise<string> =>
      ((await getJson(`${session.c.base}/v1/resource-definitions/rbdata/resources/${node}/volumes`)).body as {device_path: string}[])[0]?.device_path as string
    const write = async (pattern: string): Promise<unknown> =>
      exec('sh', ['-c', 'yes "$1" | head -c 262144 | dd of="$2" bs=64k oflag=direct status=none', 'sh', pattern, await device()])
    const sha = async (): Promise<string> => createHash('sha256').update((await readFile(await device())).subarray(0, 262144)).digest('hex')

    await ok('s', 'c', 'rbdata', 'first')
    await write('at-second')
    const atSecond = await sha()
    await ok('snapshot', 'create', 'rbdata', 'second')
    await write('after-second')
    assert.notEqual(await sha(), atSecond)

    assert.match(await ok('s', 'rb', 'rbdata', 'second'), /SUCCESS:\n {4}Resource 'rbdata' rolled back to snapshot 'second'\./)
    assert.equal(await sha(), atSecond)
    const older = await fails(10, 'snapshot', 'rollback', 'rbdata', 'first')
    assert.match(older, /Snapshot 'first' is not the most recent snapshot of 'rbdata'[\s\S]*Newer snapshots exist: second/)
    assert.match(await fails(10, 's', 'rb', 'rbdata', 'nosuch'), /Snapshot 'nosuch' of resource 'rbdata' not found/)
    await fails(2, 's', 'rb', 'rbdata')

    // With the newer one gone, the older one is the newest again.
    await ok('s', 'd', 'rbdata', 'second')
    await waitFor('snapshot deleted', async () => ((await json<unknown[]>('s', 'l', '-r', 'rbdata')).length === 1 ? true : undefined))
    assert.match(await ok('s', 'rollback', 'rbdata', 'first'), /rolled back to snapshot 'first'/)
  })
})
