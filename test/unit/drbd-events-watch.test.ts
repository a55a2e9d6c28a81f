import {test} from 'node:test'
import assert from 'node:assert/strict'
import {isStateChange} from '../../src/satellite/drbd/events-watch.ts'

// Lines as DRBD 9's `drbdsetup events2` prints them (recorded on a real host).
test('only real changes count: not the initial listing, not helper calls', () => {
  const lines: [string, boolean][] = [
    ['exists resource name:r0 role:Secondary suspended:no write-ordering:flush', false],
    ['exists -', false],
    ['change connection name:r0 peer-node-id:1 conn-name:beta connection:Connected role:Secondary', true],
    ['change peer-device name:r0 peer-node-id:1 conn-name:beta volume:0 replication:SyncSource peer-disk:Inconsistent', true],
    ['change resource name:r0 role:Primary', true],
    ['create resource name:r1 role:Secondary suspended:no', true],
    ['destroy resource name:r1', true],
    ['call helper name:r0 peer-node-id:1 conn-name:beta volume:0 helper:before-resync-target', false],
    ['response helper name:r0 peer-node-id:1 conn-name:beta volume:0 helper:before-resync-target status:0', false],
    ['', false],
    ['garbage', false],
  ]
  for (const [line, want] of lines) assert.equal(isStateChange(line), want, line)
})
