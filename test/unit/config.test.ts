import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {ConfigError, type Settings, describeSetting, resolveSettings, settingNames} from '../../src/common/config.ts'
import {parseToml} from '../../src/common/toml.ts'

const host = {hostname: 'host-a'}

describe('defaults', () => {
  test('every setting has a default and its source is default', () => {
    const {settings, sources} = resolveSettings({}, {}, {}, host)
    assert.deepEqual(settings, {
      'data-dir': '/var/lib/cairn', 'node-name': 'host-a', 'rest-address': '::', 'rest-port': 3370,
      'rest-http': true, 'https-address': '::', 'https-port': 3371, 'https-cert': '/var/lib/cairn/tls/server.pem',
      'https-key': '/var/lib/cairn/tls/server-key.pem', 'https-client-ca': '', 'users-file': '',
      'satellite-address': '::', 'satellite-port': 3366, 'satellite-tls-port': 0, 'default-pool-dir': '/var/lib/cairn/pools/default',
      'cluster-secret': '', 'allow-ext-files': '', 'ext-files-root': '/', 'keep-res': '^linstor_db$', 'log-level': 'info', 'log-format': 'text',
      'master-passphrase': '',
    })
    for (const name of settingNames) assert.equal(sources[name], 'default', name)
  })

  test('every setting has a description', () => {
    for (const name of settingNames) assert.notEqual(describeSetting(name), '', name)
  })
})

describe('precedence: flag > env > file > default', () => {
  // [setting, flag value, env var, env value, file text, file value, default]
  const rows: [keyof Settings, string | number, string, string, string, string | number, string | number][] = [
    ['data-dir', '/flag', 'CAIRN_DATA_DIR', '/env', 'data_dir = "/file"', '/file', '/var/lib/cairn'],
    ['node-name', 'flag-n', 'CAIRN_NODE_NAME', 'env-n', 'node_name = "file-n"', 'file-n', 'host-a'],
    ['rest-port', 1111, 'CAIRN_REST_PORT', '2222', '[controller]\nrest_port = 3333', 3333, 3370],
    ['rest-address', '10.0.0.1', 'CAIRN_REST_ADDRESS', '10.0.0.2', '[controller]\nrest_address = "10.0.0.3"', '10.0.0.3', '::'],
    ['satellite-port', '4444', 'CAIRN_SATELLITE_PORT', '5555', '[satellite]\nport = 6666', 6666, 3366],
    ['cluster-secret', 's-flag', 'CAIRN_CLUSTER_SECRET', 's-env', '[satellite]\ncluster_secret = "s-file"', 's-file', ''],
    ['log-level', 'debug', 'CAIRN_LOG_LEVEL', 'warn', '[logging]\nlevel = "error"', 'error', 'info'],
    ['https-port', '4443', 'CAIRN_HTTPS_PORT', '5443', '[https]\nport = 6443', 6443, 3371],
    ['users-file', '/f', 'CAIRN_USERS_FILE', '/e', '[auth]\nusers_file = "/t"', '/t', ''],
    ['log-format', 'json', 'CAIRN_LOG_FORMAT', 'text', '[logging]\nformat = "json"', 'json', 'text'],
    ['allow-ext-files', '/a,/b', 'CAIRN_ALLOW_EXT_FILES', '/e', '[files]\nallowExtFiles = ["/etc/drbd-reactor.d", "/etc/x"]', '/etc/drbd-reactor.d,/etc/x', ''],
    ['ext-files-root', '/r-flag', 'CAIRN_EXT_FILES_ROOT', '/r-env', '[files]\nroot = "/r-file"', '/r-file', '/'],
    ['default-pool-dir', '/p-flag', 'CAIRN_DEFAULT_POOL_DIR', '/p-env', '[combined]\ndefault_pool_dir = "/p-file"', '/p-file', '/var/lib/cairn/pools/default'],
  ]
  const num = (v: string | number, like: string | number): string | number => (typeof like === 'number' ? Number(v) : v)
  for (const [name, flagV, envName, envV, fileText, fileV, dflt] of rows) {
    const file = parseToml(fileText)
    const flags = {[name]: flagV}
    const env = {[envName]: envV}
    test(`${name}: flag wins over env and file`, () => {
      const r = resolveSettings(flags, env, file, host)
      assert.equal(r.settings[name], num(flagV, dflt))
      assert.equal(r.sources[name], 'flag')
    })
    test(`${name}: env wins over file`, () => {
      const r = resolveSettings({}, env, file, host)
      assert.equal(r.settings[name], num(envV, dflt))
      assert.equal(r.sources[name], 'env')
    })
    test(`${name}: file wins over default`, () => {
      const r = resolveSettings({}, {}, file, host)
      assert.equal(r.settings[name], fileV)
      assert.equal(r.sources[name], 'file')
    })
    test(`${name}: default when nothing sets it`, () => {
      const r = resolveSettings({}, {}, {}, host)
      assert.equal(r.settings[name], dflt)
      assert.equal(r.sources[name], 'default')
    })
  }

  test('an empty environment variable counts as unset', () => {
    const r = resolveSettings({}, {CAIRN_NODE_NAME: ''}, parseToml('node_name = "file-n"'), host)
    assert.equal(r.settings['node-name'], 'file-n')
    assert.equal(r.sources['node-name'], 'file')
  })

  test('an undefined flag falls through', () => {
    const r = resolveSettings({'rest-port': undefined}, {CAIRN_REST_PORT: '8080'}, {}, host)
    assert.equal(r.settings['rest-port'], 8080)
    assert.equal(r.sources['rest-port'], 'env')
  })

  test('enum values are read in any case and stored lower-case', () => {
    assert.equal(resolveSettings({'log-level': 'DEBUG'}, {}, {}, host).settings['log-level'], 'debug')
  })
})

describe('master passphrase: a secret', () => {
  test('[encrypt] passphrase wins over MASTER_PASSPHRASE, as in LINSTOR; either alone works', () => {
    const file = parseToml('[encrypt]\npassphrase = "from-file"')
    assert.equal(resolveSettings({}, {MASTER_PASSPHRASE: 'from-env'}, file, host).settings['master-passphrase'], 'from-file')
    assert.equal(resolveSettings({}, {MASTER_PASSPHRASE: 'from-env'}, {}, host).settings['master-passphrase'], 'from-env')
    assert.equal(resolveSettings({}, {}, file, host).sources['master-passphrase'], 'file')
  })

  test('it has no command-line flag (argv is visible to every user of the host)', () => {
    assert.ok(!settingNames.includes('master-passphrase'))
    assert.equal(resolveSettings({'master-passphrase': 'flag'}, {}, {}, host).settings['master-passphrase'], '')
  })
})

describe('derived default-pool-dir', () => {
  const cases: [string, Parameters<typeof resolveSettings>[0], Record<string, string>, string, string][] = [
    ['from the data-dir flag', {'data-dir': '/d'}, {}, '', '/d/pools/default'],
    ['from the data-dir env var', {}, {CAIRN_DATA_DIR: '/e'}, '', '/e/pools/default'],
    ['from the data-dir in the file', {}, {}, 'data_dir = "/f"', '/f/pools/default'],
    ['not derived when set itself', {'data-dir': '/d', 'default-pool-dir': '/own'}, {}, '', '/own'],
  ]
  for (const [name, flags, env, fileText, expected] of cases) {
    test(name, () => {
      const r = resolveSettings(flags, env, parseToml(fileText), host)
      assert.equal(r.settings['default-pool-dir'], expected)
    })
  }
})

describe('validation errors name their source', () => {
  const cases: [string, Parameters<typeof resolveSettings>[0], Record<string, string>, string, RegExp][] = [
    ['port flag out of range', {'rest-port': 70000}, {}, '', /^--rest-port: '70000' is not a valid port$/],
    ['port env not a number', {}, {CAIRN_REST_PORT: 'http'}, '', /^CAIRN_REST_PORT: 'http' is not a valid port$/],
    ['negative port env', {}, {CAIRN_SATELLITE_PORT: '-1'}, '', /^CAIRN_SATELLITE_PORT: '-1' is not a valid port$/],
    ['port in file as float', {}, {}, '[satellite]\nport = 3366.5', /^'satellite\.port' in the config file: '3366\.5' is not a valid port$/],
    ['port in file as a bool', {}, {}, '[controller]\nrest_port = true', /^'controller\.rest_port' in the config file: 'true' is not a valid port$/],
    ['enum flag', {'log-level': 'verbose'}, {}, '', /^--log-level: 'verbose' is not one of error, warn, info, debug$/],
    ['enum env', {}, {CAIRN_LOG_FORMAT: 'xml'}, '', /^CAIRN_LOG_FORMAT: 'xml' is not one of text, json$/],
    ['enum in file', {}, {}, '[logging]\nlevel = "loud"', /^'logging\.level' in the config file: 'loud' is not one of/],
    ['string setting given a number in the file', {}, {}, 'data_dir = 5', /^'data_dir' in the config file: expected a string, got 5$/],
    ['string setting given an array in the file', {}, {}, 'node_name = ["a"]', /^'node_name' in the config file: expected a string/],
    ['bool env', {}, {CAIRN_REST_HTTP: 'maybe'}, '', /^CAIRN_REST_HTTP: 'maybe' is not true or false$/],
  ]
  for (const [name, flags, env, fileText, message] of cases) {
    test(name, () => {
      assert.throws(() => resolveSettings(flags, env, parseToml(fileText), host), (e: unknown) => {
        assert.ok(e instanceof ConfigError)
        assert.match(e.message, message)
        return true
      })
    })
  }

  test('booleans: TOML booleans and the usual words', () => {
    assert.equal(resolveSettings({}, {}, parseToml('[http]\nenabled = false'), host).settings['rest-http'], false)
    assert.equal(resolveSettings({'rest-http': 'no'}, {}, {}, host).settings['rest-http'], false)
    assert.equal(resolveSettings({}, {CAIRN_REST_HTTP: 'ON'}, {}, host).settings['rest-http'], true)
  })

  test('port bounds: 0 and 65535 accepted', () => {
    assert.equal(resolveSettings({'rest-port': 0}, {}, {}, host).settings['rest-port'], 0)
    assert.equal(resolveSettings({'rest-port': '65535'}, {}, {}, host).settings['rest-port'], 65535)
  })

  test('a flag wins even when a lower source is invalid', () => {
    const r = resolveSettings({'rest-port': 80}, {CAIRN_REST_PORT: 'bad'}, parseToml('[controller]\nrest_port = "bad"'), host)
    assert.equal(r.settings['rest-port'], 80)
  })
})
