// When `backup create` and `backup restore` stop waiting: a backup listed as complete, or gone
// (failed or aborted); a restore's snapshot downloaded, then its resource ready.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import type {Backup, ResourceWithVolumes, Snapshot} from '../../src/api/wire.ts'
import {backupRestored, backupShipped} from '../../src/cli/backup-progress.ts'

const backup = (extra: Partial<Backup>): Backup => ({id: 'r_back_1', origin_rsc: 'r', vlms: [], ...extra})

describe('backup shipped', () => {
  test('shipping, then listed as successful', () => {
    assert.equal(backupShipped('s3', 'r_back_1', backup({shipping: true, success: false})).state, 'waiting')
    assert.deepEqual(backupShipped('s3', 'r_back_1', backup({success: true, restorable: true})),
      {state: 'done', text: "Backup 'r_back_1' shipped to remote 's3'"})
  })
  test('no longer listed: failed or aborted', () => {
    const p = backupShipped('s3', 'r_back_1', undefined)
    assert.equal(p.state, 'failed')
    assert.match(p.text, /failed or was aborted; `cairn error-reports list` shows why/)
  })
})

describe('backup restored', () => {
  const t = {rd: 'tgt', snap: 'back_1', node: 'n1', downloadOnly: false}
  const ready: ResourceWithVolumes[] = [{name: 'tgt', node_name: 'n1', state: {in_use: false},
    volumes: [{volume_number: 0, state: {disk_state: 'Created'}, layer_data_list: [{type: 'STORAGE'}]}]}]
  const snap = (flags: string[]): Snapshot => ({name: 'back_1', resource_name: 'tgt', nodes: ['n1'], flags})
  const never = (): Promise<ResourceWithVolumes[]> => assert.fail('resources are asked for only once the snapshot is there')

  test('downloading until the snapshot is complete', async () => {
    assert.deepEqual(await backupRestored(t, snap([]), never), {state: 'waiting', text: "Downloading snapshot 'back_1' of 'tgt' to n1…"})
  })
  test('then the resource: not listed yet, then ready', async () => {
    assert.equal((await backupRestored(t, snap(['SUCCESSFUL']), async () => [])).state, 'waiting')
    assert.deepEqual(await backupRestored(t, snap(['SUCCESSFUL']), async () => ready), {state: 'done', text: "Resource 'tgt' ready on n1"})
  })
  test('download only: done with the snapshot', async () => {
    assert.equal((await backupRestored({...t, downloadOnly: true}, snap(['SUCCESSFUL']), never)).state, 'done')
  })
  test('the snapshot dropped or failed: the restore failed', async () => {
    for (const s of [undefined, snap(['DELETE']), snap(['FAILED_DEPLOYMENT'])]) {
      const p = await backupRestored(t, s, never)
      assert.equal(p.state, 'failed')
      assert.match(p.text, /^Restoring into 'tgt' on n1 failed or was aborted/)
    }
  })
})
