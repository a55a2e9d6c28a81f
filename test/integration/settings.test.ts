// Settings reach the daemon from a config file, the environment and flags, in that order of
// weakness; a broken config file stops the start with its line number.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'
import {cleanup, freePort, startDaemon, tempDir, waitHealthy} from '../support/cluster.ts'

test('config file < environment < flag, for the REST port', async () => {
  const dir = await tempDir()
  const [filePort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()]
  const config = join(dir, 'cairn.toml')
  await writeFile(config, `data_dir = "${dir}"\n[controller]\nrest_address = "127.0.0.1"\nrest_port = ${filePort}\n`)
  try {
    for (const [env, flags, port] of [
      [{}, [], filePort], [{CAIRN_REST_PORT: String(envPort)}, [], envPort],
      [{CAIRN_REST_PORT: String(envPort)}, ['--rest-port', String(flagPort)], flagPort],
    ] as [Record<string, string>, string[], number][]) {
      const d = startDaemon(['controller', '--config', config, ...flags], env)
      await waitHealthy(`http://127.0.0.1:${port}`)
      assert.equal(await d.stop(), 0)
    }
  } finally {
    await cleanup(dir)
  }
})

test('a config file with an error stops the start and names the line', async () => {
  const dir = await tempDir()
  const config = join(dir, 'cairn.toml')
  await writeFile(config, `[controller]\nrest_port = 3370\nrest_address = ::\n`)
  try {
    const d = startDaemon(['controller', '--config', config, '--data-dir', dir])
    assert.equal(await d.exited, 1)
    assert.match(d.output(), /cairn\.toml: line 3: invalid value '::'/)
  } finally {
    await cleanup(dir)
  }
})
