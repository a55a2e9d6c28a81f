import assert from 'node:assert/strict'
import {test} from 'node:test'
import {parse as parseToml} from 'smol-toml'
import {haFiles, haGroupBody, mountUnitName} from '../../gateway/controller-ha.ts'
import {promoterConfigProblems} from '../../gateway/reactor-options.ts'

test('mount unit names escape "-" as systemd does', () => {
  assert.equal(mountUnitName('/var/lib/cairn/controller'), 'var-lib-cairn-controller.mount')
  assert.equal(mountUnitName('/srv/my-db/'), 'srv-my\\x2ddb.mount')
})

test('the promoter starts the mount, then the controller; the group asks for quorum and ext4', () => {
  const files = haFiles()
  assert.deepEqual(files.map((f) => f.path), ['/etc/systemd/system/var-lib-cairn-controller.mount',
    '/etc/systemd/system/cairn-controller.service.d/cairn-ha.conf', '/etc/drbd-reactor.d/cairn-controller.toml'])
  const promoter = (parseToml(files[2]?.content ?? '') as {promoter: unknown[]}).promoter[0]
  assert.deepEqual(promoterConfigProblems(promoter), [])
  const body = haGroupBody({sizeKib: 204800, placeCount: 3}) as {select_filter: unknown, props: Record<string, string>}
  assert.deepEqual(body.select_filter, {place_count: 3})
  assert.equal(body.props['DrbdOptions/Resource/quorum'], 'majority')
  assert.equal(body.props['FileSystem/Type'], 'ext4')
})
