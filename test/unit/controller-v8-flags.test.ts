import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {CONTROLLER_V8_FLAGS} from '../../src/daemon/controller-service.ts'

// V8 ignores an unknown flag, and the rest after it, saying so only on stderr.
test('the controller\'s V8 flags are known to the Node that the binary embeds', () => {
  const r = spawnSync(process.execPath, ['-e', 'require("node:v8").setFlagsFromString(process.argv[1])', '--', CONTROLLER_V8_FLAGS], {encoding: 'utf8'})
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stderr, '')
})
