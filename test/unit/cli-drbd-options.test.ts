// The drbd-options / drbd-peer-options flags: generated from the contract's option lists, spelled
// as the linstor client spells them, values checked as it checks them, and the property changes
// they make.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'
import {contractUrl} from '../../packaging/gen-api-types.ts'
import {generate, tableUrl} from '../../packaging/gen-drbd-options.ts'
import {drbdFlagName, drbdOptionChanges, drbdOptionFlags, drbdOptionsOf, drbdValue} from '../../src/cli/drbd-options.ts'

test('src/cli/drbd-option-table.ts is up to date with the contract (run packaging/gen-drbd-options.ts if not)', () => {
  assert.equal(readFileSync(tableUrl, 'utf8'), generate(readFileSync(contractUrl, 'utf8')))
})

test('the flags linstor has, by object', () => {
  const rd = Object.keys(drbdOptionFlags('resource-definition'))
  for (const f of ['max-buffers', 'protocol', 'quorum', 'on-no-quorum', 'auto-promote', 'drbd-timeout', 'handler-split-brain', 'unset-protocol']) {
    assert.ok(rd.includes(f), f)
  }
  assert.ok(!rd.includes('timeout') && !rd.includes('auto-quorum'))
  const peer = drbdOptionsOf('resource-connection').map((s) => s.key.split('/')[1])
  assert.deepEqual([...new Set(peer)].sort(), ['Net', 'PeerDevice'])
  assert.deepEqual([...new Set(drbdOptionsOf('volume-definition').map((s) => s.key.split('/')[1]))], ['Disk'])
  assert.ok(Object.keys(drbdOptionFlags('controller')).includes('resync-rate'))
  assert.ok(Object.keys(drbdOptionFlags('resource-group')).includes('quorum'))
  assert.ok(Object.keys(drbdOptionFlags('resource-group')).includes('on-suspended-primary-outdated'), 'an option the contract\'s lists lack')
  assert.deepEqual([...new Set(drbdOptionsOf('volume-group').map((s) => s.key.split('/')[1]))], ['Disk'])
})

test('flag names: handlers get handler-, net timeout becomes drbd-timeout', () => {
  assert.equal(drbdFlagName('DrbdOptions/Net/max-buffers'), 'max-buffers')
  assert.equal(drbdFlagName('DrbdOptions/Handlers/fence-peer'), 'handler-fence-peer')
  assert.equal(drbdFlagName('DrbdOptions/Net/timeout'), 'drbd-timeout')
})

test('values: ranges, number-or-word, yes/no, text', () => {
  const spec = (key: string) => drbdOptionsOf('resource-definition').find((s) => s.key === key) ?? assert.fail(key)
  assert.equal(drbdValue(spec('DrbdOptions/Net/max-buffers'), '8000'), '8000')
  assert.throws(() => drbdValue(spec('DrbdOptions/Net/max-buffers'), '31'), /'31' is not a number from 32 to 131072/)
  assert.equal(drbdValue(spec('DrbdOptions/Net/max-buffers'), '8k'), '8192', 'a count takes a unit, as in the linstor client')
  assert.throws(() => drbdValue(spec('DrbdOptions/Net/max-buffers'), 'many'), /'many' is not a number from 32 to 131072 or one with a unit/)
  assert.throws(() => drbdValue(spec('DrbdOptions/Net/timeout'), '6s'), /'6s' is not a number from 1 to 600 tenths of a second/)
  assert.equal(drbdValue(spec('DrbdOptions/Resource/quorum'), 'majority'), 'majority')
  assert.equal(drbdValue(spec('DrbdOptions/Resource/quorum'), '2'), '2')
  assert.throws(() => drbdValue(spec('DrbdOptions/Resource/quorum'), 'most'), /a number from 1 to 32 or one of off, majority, all/)
  assert.equal(drbdValue(spec('DrbdOptions/Resource/auto-promote'), 'No'), 'no')
  assert.throws(() => drbdValue(spec('DrbdOptions/Resource/auto-promote'), 'maybe'), /one of yes, no/)
  assert.equal(drbdValue(spec('DrbdOptions/Net/cram-hmac-alg'), 'sha256'), 'sha256')
})

test('sizes and rates: a unit converts to the option\'s own, the help names it', () => {
  const spec = (key: string) => drbdOptionsOf('resource-definition').find((s) => s.key === key) ?? assert.fail(key)
  const rate = spec('DrbdOptions/PeerDevice/c-max-rate')
  assert.equal(drbdValue(rate, '250M'), '256000')
  assert.equal(drbdValue(rate, '102400'), '102400', 'a bare number is KiB/s')
  assert.throws(() => drbdValue(rate, '8G'), /'8G' \(8388608 KiB\/s\) is not a number from 250 to 4194304 KiB\/s$/)
  assert.throws(() => drbdValue(rate, '100'), /'100' is not a number from 250 to 4194304 KiB\/s$/)
  assert.throws(() => drbdValue(rate, '250Q'), /'250Q' is not a number from 250 to 4194304 KiB\/s or one with a unit: K, M, G, T/)
  assert.equal(drbdValue(spec('DrbdOptions/PeerDevice/c-fill-target'), '1M'), '2048', 'sectors')
  assert.equal(drbdValue(spec('DrbdOptions/PeerDevice/resync-rate'), '40M'), '40960')
  assert.equal(drbdValue(spec('DrbdOptions/Net/sndbuf-size'), '2M'), '2097152')
  assert.equal(drbdValue(spec('DrbdOptions/Resource/peer-ack-window'), '4M'), '8192')
  const flags = drbdOptionFlags('resource-definition') as Record<string, {description?: string}>
  assert.match(flags['c-max-rate']?.description ?? '', /^250-4194304 KiB\/s, or with a unit/)
  assert.match(flags['c-fill-target']?.description ?? '', /^0-1048576 sectors, or with a unit/)
  assert.match(flags['drbd-timeout']?.description ?? '', /^1-600 tenths of a second; /)
  assert.match(flags['ping-int']?.description ?? '', /^1-120 seconds; /)
})

test('the changes: set what is given, remove what is unset, refuse both at once', () => {
  assert.deepEqual(drbdOptionChanges('resource-definition', {'protocol': 'C', 'drbd-timeout': '60', 'unset-quorum': true, 'unset-max-buffers': false}),
    {override_props: {'DrbdOptions/Net/protocol': 'C', 'DrbdOptions/Net/timeout': '60'}, delete_props: ['DrbdOptions/Resource/quorum']})
  assert.throws(() => drbdOptionChanges('resource-definition', {'protocol': 'C', 'unset-protocol': true}), /contradict/)
  assert.deepEqual(drbdOptionChanges('resource-connection', {'protocol': 'A', 'quorum': 'majority'}),
    {override_props: {'DrbdOptions/Net/protocol': 'A'}, delete_props: []}, 'a connection takes no resource options')
})
