// The pure parts of `error-reports`, `physical-storage` and `snapshot rollback`: --since/--to
// values (spans back from now and dates), the report table cells, the physical storage Nodes
// column, the device pool kinds, and linstor's spellings of the new commands.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {resolveArgv} from '../../src/cli/argv.ts'
import {COMMANDS} from '../../src/cli/commands.ts'
import {reportId, reportRange, reportSummary} from '../../src/cli/commands/error-reports/range.ts'
import {devicePoolKind} from '../../src/cli/commands/physical-storage/create-device-pool.ts'
import {physicalNodesText} from '../../src/cli/commands/physical-storage/list.ts'
import {parseDate, parseSpan, parseTimeArg} from '../../src/cli/time.ts'

const H = 3_600_000
const D = 24 * H
const NOW = Date.UTC(2024, 4, 15, 12, 0, 0)

describe('time spans', () => {
  const spans: [string, number][] = [
    ['5d', 5 * D], ['3h', 3 * H], ['1d10h', D + 10 * H], ['1d 10h', D + 10 * H], ['30m', 30 * 60_000], ['45s', 45_000],
    ['2w', 14 * D], ['3days', 3 * D], ['2 hours', 2 * H], ['1W2D', 9 * D], ['0d', 0],
  ]
  for (const [text, ms] of spans) test(`'${text}' is ${ms} ms`, () => assert.equal(parseSpan(text), ms))
  for (const bad of ['', 'd', '3', '3x', '3d!', 'yesterday', '-3d', '3.5d', '2024-01-01']) {
    test(`'${bad}' is not a span`, () => assert.equal(parseSpan(bad), undefined))
  }
})

describe('dates', () => {
  const dates: [string, 'start' | 'end', number][] = [
    ['2023-01-01', 'start', Date.UTC(2023, 0, 1)],
    ['2023-01-01', 'end', Date.UTC(2023, 0, 1, 23, 59, 59, 999)],
    ['2020-08-30 13:40:00', 'start', Date.UTC(2020, 7, 30, 13, 40)],
    ['2020-08-30 13:40:00', 'end', Date.UTC(2020, 7, 30, 13, 40, 0, 999)],
    ['2020-08-30 13:40', 'end', Date.UTC(2020, 7, 30, 13, 40, 59, 999)],
    ['2020-08-30T13:40:05.5', 'start', Date.UTC(2020, 7, 30, 13, 40, 5, 500)],
    ['2020-08-30T13:40:00Z', 'start', Date.UTC(2020, 7, 30, 13, 40)],
    ['2020-08-30 13:40:00+02:00', 'start', Date.UTC(2020, 7, 30, 11, 40)],
    ['2020-08-30T13:40-0130', 'start', Date.UTC(2020, 7, 30, 15, 10)],
    ['2024-2-29', 'start', Date.UTC(2024, 1, 29)],
  ]
  for (const [text, end, ms] of dates) {
    test(`'${text}' (${end}) is ${new Date(ms).toISOString()}`, () => assert.equal(parseDate(text, end), ms))
  }
  for (const bad of ['2023-02-30', '2023-13-01', '2023-01-01 24:00', '2023-01-01 12:60', '01/02/2023', '2023-01', 'today']) {
    test(`'${bad}' is not a date`, () => assert.equal(parseDate(bad, 'start'), undefined))
  }
})

describe('--since and --to', () => {
  test('a span counts back from now; a date is absolute', () => {
    assert.equal(parseTimeArg('5d', NOW, 'start'), NOW - 5 * D)
    assert.equal(parseTimeArg('1d10h', NOW, 'end'), NOW - D - 10 * H)
    assert.equal(parseTimeArg('2024-05-01', NOW, 'start'), Date.UTC(2024, 4, 1))
    assert.equal(parseTimeArg('2024-05-01', NOW, 'end'), Date.UTC(2024, 4, 1, 23, 59, 59, 999))
  })
  test('anything else is refused with the flag and the accepted forms named', () => {
    assert.throws(() => parseTimeArg('yesterday', NOW, 'start'), /^Error: --since: 'yesterday' is neither a time span \(such as 3d.*nor a date/)
    assert.throws(() => parseTimeArg('soon', NOW, 'end'), /^Error: --to: 'soon'/)
  })
  test('the flags become a query range: since from the start, to through the end, nodes split at commas', () => {
    assert.deepEqual(reportRange({since: '2h', to: '2024-05-14', nodes: ['a,b', 'c']}, NOW),
      {since: NOW - 2 * H, to: Date.UTC(2024, 4, 14, 23, 59, 59, 999), nodes: ['a', 'b', 'c']})
    assert.deepEqual(reportRange({}, NOW), {since: undefined, to: undefined, nodes: undefined})
  })
})

describe('error report cells', () => {
  test('the id comes from the file name', () => {
    assert.equal(reportId({error_time: 0, filename: 'ErrorReport-5F3A0B1C-00000-000012.log'}), '5F3A0B1C-00000-000012')
    assert.equal(reportId({error_time: 0}), '')
  })
  test('the Exception column: exception or module, then the message cut at 60 characters', () => {
    assert.equal(reportSummary({error_time: 0, exception: 'TypeError', module: 'rest', exception_message: 'x is undefined'}), 'TypeError: x is undefined')
    assert.equal(reportSummary({error_time: 0, module: 'storage', exception_message: 'disk gone'}), 'storage: disk gone')
    assert.equal(reportSummary({error_time: 0, exception_message: 'only a message'}), 'only a message')
    const long = 'y'.repeat(60)
    assert.equal(reportSummary({error_time: 0, module: 'drbd', exception_message: long}), `drbd: ${'y'.repeat(57)}...`)
    assert.equal(reportSummary({error_time: 0, module: 'drbd', exception_message: 'y'.repeat(59)}), `drbd: ${'y'.repeat(59)}`)
  })
})

describe('physical storage', () => {
  test('the Nodes column: a line per node, devices with serial and WWN when known', () => {
    assert.equal(physicalNodesText({
      alpha: [{device: '/dev/sdb', serial: 'S1', wwn: '0x5000'}, {device: '/dev/sdc', model: 'ignored'}],
      beta: [{device: '/dev/vdb', serial: 'S9'}],
    }), 'alpha[/dev/sdb(S1,0x5000),/dev/sdc]\nbeta[/dev/vdb(S9)]')
    assert.equal(physicalNodesText(undefined), '')
  })
  test('device pool kinds as linstor spells them, in any case', () => {
    assert.deepEqual(['lvm', 'LVMTHIN', 'zfs', 'ZfsThin', 'spdk'].map(devicePoolKind), ['LVM', 'LVM_THIN', 'ZFS', 'ZFS_THIN', 'SPDK'])
    assert.throws(() => devicePoolKind('file'), /one of lvm, lvmthin, zfs, zfsthin, spdk, not 'file'/)
    assert.throws(() => devicePoolKind('lvm_thin'), /not 'lvm_thin'/)
  })
})

describe('linstor spellings of the new commands', () => {
  const ids = Object.keys(COMMANDS)
  const cases: [string, string][] = [
    ['err l -s 3d', 'error-reports list -s 3d'],
    ['err s ABC', 'error-reports show ABC'],
    ['err d ABC DEF', 'error-reports delete ABC DEF'],
    ['error-reports li', 'error-reports list'],
    ['ps l', 'physical-storage list'],
    ['ps cdp lvm n1 /dev/sdb --pool-name p', 'physical-storage create-device-pool lvm n1 /dev/sdb --pool-name p'],
    ['ps create-device-pool zfs n1 /dev/sdb', 'physical-storage create-device-pool zfs n1 /dev/sdb'],
    ['s rb r snap', 'snapshot rollback r snap'],
    ['snapshot roll r snap', 'snapshot rollback r snap'],
  ]
  for (const [input, expected] of cases) {
    test(`${input} → ${expected}`, () => assert.equal(resolveArgv(input.split(' '), ids).join(' '), expected))
  }
})
