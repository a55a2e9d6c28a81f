import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {addStanza, outline, parseStorageCfg, removeProperty, removeStanza, setProperty, writeStorageCfg,
  type StorageCfg} from '../../drivers/proxmox/storage-cfg.ts'
import {controllerUrls, drbdStorage, drbdStorages, linstorNodeName} from '../../drivers/proxmox/drbd-storage.ts'
import {checkStorageCfg, describeIssue} from '../../drivers/proxmox/storage-cfg-check.ts'
import {addDrbdStorage, removeDrbdOption, setDrbdOption} from '../../drivers/proxmox/drbd-edit.ts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/proxmox/${name}`, import.meta.url), 'utf8')
const CFG = fixture('storage.cfg')
const doc = (text: string): StorageCfg => parseStorageCfg(text)
const issues = (text: string): string[] => checkStorageCfg(doc(text)).map((i) => describeIssue(i))
const roundTrip = (d: StorageCfg): string => writeStorageCfg(d)

describe('storage.cfg document model', () => {
  test('round-trips the fixture byte for byte', () => {
    assert.equal(roundTrip(doc(CFG)), CFG)
  })

  const odd: [string, string][] = [
    ['empty file', ''],
    ['one newline', '\n'],
    ['two newlines', '\n\n'],
    ['no final newline', 'dir: local\n\tpath /var/lib/vz'],
    ['trailing spaces and tabs', 'dir: local \t\n\tpath /var/lib/vz  \t\n\n'],
    ['carriage returns kept as they are', 'dir: local\r\n\tpath /x\r\n'],
    ['comment-only file', '# nothing here\n   # indented comment\n'],
    ['whitespace-only lines', '   \n\t\n'],
    ['non-ASCII comment', '# Speicher für VMs – ök\ndir: local\n\tpath /v\n'],
  ]
  for (const [name, text] of odd) test(`round-trips: ${name}`, () => assert.equal(roundTrip(doc(text)), text))

  test('outline follows Proxmox: comments and blank-looking lines do not end a stanza, an empty line does', () => {
    const {stanzas, stray} = outline(doc(CFG))
    assert.deepEqual(stanzas.map((s) => [s.type, s.storeId, s.header + 1, s.end + 1]),
      [['dir', 'local', 3, 7], ['lvmthin', 'local-lvm', 8, 12], ['zfspool', 'tank', 13, 19], ['nfs', 'isos', 20, 27],
        ['pbs', 'backup', 28, 35], ['drbd', 'drbdstorage', 37, 43], ['drbd', 'fastdrbd', 44, 55]])
    assert.deepEqual(stray, [])
    const tank = stanzas[2]
    assert.deepEqual(tank?.properties.map((p) => p.key), ['pool', 'content', 'sparse', 'nodes'])
    assert.deepEqual(tank?.ignored, [])
  })

  test('a header without an empty line before it belongs to the previous stanza', () => {
    const {stanzas} = outline(doc('dir: local\n\tpath /a\ndrbd: d1\n\tresourcegroup rg\n'))
    assert.equal(stanzas.length, 1)
    assert.deepEqual(stanzas[0]?.properties.map((p) => p.key), ['path', 'resourcegroup'])
    assert.deepEqual(stanzas[0]?.ignored, [2])
  })
})

describe('drbd stanzas', () => {
  test('typed values of the fixture, defaults included', () => {
    assert.deepEqual(drbdStorages(doc(CFG)), [
      {storeId: 'drbdstorage', line: 37, resourceGroup: 'defaultpool', controllers: ['10.11.12.13', '10.11.12.14'],
        preferLocal: true, exactSize: false, allowTwoPrimaries: true, statusCache: 60, content: ['images', 'rootdir'],
        disabled: false, shared: true, nodes: undefined, apiCert: undefined, apiKey: undefined, apiCa: undefined,
        clusterLockTimeout: 0, searchDomain: undefined},
      {storeId: 'fastdrbd', line: 44, resourceGroup: 'ssd', controllers: ['10.11.12.13', '10.11.12.14', '10.11.12.15'],
        preferLocal: true, exactSize: false, allowTwoPrimaries: true, statusCache: 120, content: ['images'],
        disabled: true, shared: true, nodes: ['pve1', 'pve2', 'pve3'], apiCert: '/etc/linstor/client.crt',
        apiKey: '/etc/linstor/client.key', apiCa: '/etc/linstor/ca.crt', clusterLockTimeout: 0, searchDomain: undefined},
    ])
  })

  const quirks: [string, string, Record<string, unknown>][] = [
    ['yes/no is case-insensitive', 'preferlocal NO\n\texactsize Yes', {preferLocal: false, exactSize: true}],
    ["'true' is not yes: the plugin reads it as no", 'allowtwoprimaries true', {allowTwoPrimaries: false}],
    ["'0' is false to Perl, so the default applies", 'preferlocal 0\n\tstatuscache 0', {preferLocal: true, statusCache: 60}],
    ['an unparsable statuscache is dropped', 'statuscache soon', {statusCache: 60}],
    ['the first of two values wins', 'controller a\n\tcontroller b', {controllers: ['a']}],
    ['disable with a value', 'disable 0', {disabled: false}],
    ['unsupported content types are dropped', 'content images,iso', {content: ['images']}],
    ['searchdomain and clusterlocktimeout', 'searchdomain lab.example\n\tclusterlocktimeout 30',
      {searchDomain: 'lab.example', clusterLockTimeout: 30}],
  ]
  for (const [name, lines, expected] of quirks) {
    test(name, () => {
      const storage = drbdStorage(doc(`drbd: s1\n\tresourcegroup rg\n\t${lines}\n`), 's1')
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(storage?.[k as keyof typeof storage], v, k)
    })
  }

  test('controller URLs and node name', () => {
    const [plain, tls] = drbdStorages(doc(CFG)) as [NonNullable<ReturnType<typeof drbdStorage>>, NonNullable<ReturnType<typeof drbdStorage>>]
    assert.deepEqual(controllerUrls(plain), ['http://10.11.12.13:3370', 'http://10.11.12.14:3370'])
    assert.deepEqual(controllerUrls(plain, {tokenFile: true}), ['https://10.11.12.13:3371', 'https://10.11.12.14:3371'])
    assert.deepEqual(controllerUrls(tls), ['https://10.11.12.13:3371', 'https://10.11.12.14:3371', 'https://10.11.12.15:3371'])
    const onlyCert = drbdStorage(doc('drbd: s1\n\tresourcegroup rg\n\tapicrt /c\n'), 's1')
    assert.deepEqual(onlyCert && controllerUrls(onlyCert), ['http://localhost:3370'])
    assert.equal(linstorNodeName(plain, 'pve1'), 'pve1')
    const withDomain = drbdStorage(doc('drbd: s1\n\tresourcegroup rg\n\tsearchdomain lab.example\n'), 's1')
    assert.equal(withDomain && linstorNodeName(withDomain, 'pve1'), 'pve1.lab.example')
  })
})

describe('validation', () => {
  test('the fixture is clean', () => assert.deepEqual(issues(CFG), []))

  const cases: [string, string, string[]][] = [
    ['unknown key', 'drbd: d1\n\tresourcegroup rg\n\tfoo bar\n', ["storage.cfg:3: unknown key 'foo' in drbd stanza 'd1'"]],
    ['shared is not a drbd option', 'drbd: d1\n\tresourcegroup rg\n\tshared 1\n',
      ["storage.cfg:3: key 'shared' is not allowed in drbd stanza 'd1' (drbd storage is always shared)"]],
    ['removed keys', 'drbd: d1\n\tresourcegroup rg\n\tredundancy 3\n\tstoragepool p\n\tcontrollervm 100\n', [
      "storage.cfg:3: key 'redundancy' in drbd stanza 'd1' was removed in linstor-proxmox 5; set the place count on the resource group instead",
      "storage.cfg:4: key 'storagepool' in drbd stanza 'd1' was removed in linstor-proxmox 5; set the storage pool on the resource group instead",
      "storage.cfg:5: key 'controllervm' in drbd stanza 'd1' was removed in linstor-proxmox 6; use drbd-reactor to make the controller highly available",
    ]],
    ['missing resourcegroup', '# c\ndrbd: d1\n\tcontent images\n',
      ["storage.cfg:2: drbd stanza 'd1' has no resourcegroup (Proxmox skips the whole stanza)"]],
    ['resourcegroup without a value', 'drbd: d1\n\tresourcegroup\n',
      ["storage.cfg:2: key 'resourcegroup' has no value in drbd stanza 'd1' (Proxmox skips the whole stanza)"]],
    ['controller without a value', 'drbd: d1\n\tresourcegroup rg\n\tcontroller\n',
      ["storage.cfg:3: key 'controller' has no value in drbd stanza 'd1'"]],
    ['bad resource group name', 'drbd: d1\n\tresourcegroup 1rg\n',
      ["storage.cfg:2: bad resourcegroup '1rg' (Cannot begin with character '1') in drbd stanza 'd1'"]],
    ['bad boolean', 'drbd: d1\n\tresourcegroup rg\n\tdisable maybe\n',
      ["storage.cfg:3: bad boolean 'maybe' for 'disable' in drbd stanza 'd1' (expected 1/0, yes/no, on/off or true/false)"]],
    ['yes/no spelled true', 'drbd: d1\n\tresourcegroup rg\n\tpreferlocal true\n',
      ["storage.cfg:3: bad value 'true' for 'preferlocal' in drbd stanza 'd1' (expected yes or no; the plugin reads anything else as no)"]],
    ['statuscache out of range', 'drbd: d1\n\tresourcegroup rg\n\tstatuscache 9000\n',
      ["storage.cfg:3: bad value '9000' for 'statuscache' in drbd stanza 'd1' (expected an integer from 0 to 7200)"]],
    ['statuscache 0 is not "no cache"', 'drbd: d1\n\tresourcegroup rg\n\tstatuscache 0\n',
      ["storage.cfg:3: warning: statuscache 0 in drbd stanza 'd1' does not disable the cache: the plugin falls back to 60 seconds"]],
    ['negative clusterlocktimeout', 'drbd: d1\n\tresourcegroup rg\n\tclusterlocktimeout -1\n',
      ["storage.cfg:3: bad value '-1' for 'clusterlocktimeout' in drbd stanza 'd1' (expected an integer of at least 0)"]],
    ['duplicate key', 'drbd: d1\n\tresourcegroup rg\n\tcontent images\n\tcontent rootdir\n',
      ["storage.cfg:4: duplicate key 'content' in drbd stanza 'd1' (Proxmox keeps the value from line 3)"]],
    ['duplicate storage ids', 'dir: d1\n\tpath /a\n\ndrbd: d1\n\tresourcegroup rg\n',
      ["storage.cfg:4: duplicate storage id 'd1' (first defined on line 1)"]],
    ['bad storage id', 'drbd: 9lives\n\tresourcegroup rg\n', [
      "storage.cfg:1: bad storage id '9lives' (letters, digits, '-', '_' and '.', starting with a letter and ending with a letter or digit);" +
      ' Proxmox skips the stanza']],
    ['controller list: empty entry', 'drbd: d1\n\tresourcegroup rg\n\tcontroller a,,b\n',
      ["storage.cfg:3: bad controller list 'a,,b': empty entry in drbd stanza 'd1'"]],
    ['controller list: scheme and port', 'drbd: d1\n\tresourcegroup rg\n\tcontroller http://a,b:3370\n', [
      "storage.cfg:3: bad controller list 'http://a,b:3370': 'http://a' has a scheme (the plugin adds http:// or https:// itself) in drbd stanza 'd1'",
      "storage.cfg:3: bad controller list 'http://a,b:3370': 'b:3370' has a port (the plugin always uses 3370, or 3371 for https) in drbd stanza 'd1'",
    ]],
    ['controller list: IPv6 and junk', 'drbd: d1\n\tresourcegroup rg\n\tcontroller fd00::1,[fd00::2],a b\n', [
      "storage.cfg:3: bad controller list 'fd00::1,[fd00::2],a b': 'fd00::1' is an IPv6 address without brackets (write [fd00::1]) in drbd stanza 'd1'",
      "storage.cfg:3: bad controller list 'fd00::1,[fd00::2],a b': 'a b' is not a host name or IP address in drbd stanza 'd1'",
    ]],
    ['unsupported content type', 'drbd: d1\n\tresourcegroup rg\n\tcontent images,iso\n',
      ["storage.cfg:3: content type 'iso' is not supported (only images, rootdir) in drbd stanza 'd1'"]],
    ['bad node name', 'drbd: d1\n\tresourcegroup rg\n\tnodes pve1,pve_2\n',
      ["storage.cfg:3: bad node name 'pve_2' in 'nodes' in drbd stanza 'd1'"]],
    ['certificate without key', 'drbd: d1\n\tresourcegroup rg\n\tapicrt /c.crt\n',
      ["storage.cfg:3: apicrt is set without apikey in drbd stanza 'd1' (the plugin uses a client certificate only together with its key)"]],
    ['key without certificate', 'drbd: d1\n\tresourcegroup rg\n\tapikey /c.key\n',
      ["storage.cfg:3: apikey is set without apicrt in drbd stanza 'd1' (the plugin uses a client certificate only together with its key)"]],
    ['searchdomain with a leading dot', 'drbd: d1\n\tresourcegroup rg\n\tsearchdomain .lab\n',
      ["storage.cfg:3: bad searchdomain '.lab' (give it without the leading dot; the plugin adds one) in drbd stanza 'd1'"]],
    ['header glued to the previous stanza', 'dir: local\n\tpath /a\ndrbd: d1\n\tresourcegroup rg\n',
      ["storage.cfg:3: 'drbd: d1' does not follow an empty line, so Proxmox reads it as part of stanza 'local' and ignores it"]],
    ['header with a trailing comment', 'drbd: d1 # replicated\n\tresourcegroup rg\n', [
      "storage.cfg:1: Proxmox ignores this line outside any stanza: 'drbd: d1 # replicated'",
      "storage.cfg:2: Proxmox ignores this line outside any stanza (an empty line ends a stanza): '\tresourcegroup rg'",
    ]],
    ['empty line inside a stanza', 'drbd: d1\n\tresourcegroup rg\n\n\tcontent images\n',
      ["storage.cfg:4: Proxmox ignores this line outside any stanza (an empty line ends a stanza): '\tcontent images'"]],
    ['unindented key inside a stanza', 'drbd: d1\n\tresourcegroup rg\ncontent images\n',
      ["storage.cfg:3: Proxmox ignores this line in stanza 'd1': 'content images'"]],
    ['keys of other storage types are not checked', 'dir: local\n\tpath /a\n\tfoo bar\n\tshared 1\n', []],
    ['several problems come sorted by line', 'drbd: d1\n\tfoo 1\n\tdisable maybe\n', [
      "storage.cfg:1: drbd stanza 'd1' has no resourcegroup (Proxmox skips the whole stanza)",
      "storage.cfg:2: unknown key 'foo' in drbd stanza 'd1'",
      "storage.cfg:3: bad boolean 'maybe' for 'disable' in drbd stanza 'd1' (expected 1/0, yes/no, on/off or true/false)",
    ]],
  ]
  for (const [name, text, expected] of cases) test(name, () => assert.deepEqual(issues(text), expected))

  test('describeIssue takes another file name', () => {
    const [issue] = checkStorageCfg(doc('drbd: d1\n\tresourcegroup rg\n\tfoo 1\n'))
    assert.ok(issue)
    assert.equal(describeIssue(issue, '/etc/pve/storage.cfg'), "/etc/pve/storage.cfg:3: unknown key 'foo' in drbd stanza 'd1'")
  })
})

describe('edits change only the affected lines', () => {
  const changedLines = (before: string, after: string): {removed: string[], added: string[]} => {
    const a = before.split('\n')
    const b = after.split('\n')
    let head = 0
    while (head < a.length && a[head] === b[head]) head++
    let tail = 0
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
    return {removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail)}
  }

  test('set an existing key keeps its indentation and spacing', () => {
    const after = roundTrip(setProperty(doc(CFG), 'fastdrbd', 'controller', '10.11.12.20'))
    assert.deepEqual(changedLines(CFG, after), {
      removed: ['\tcontroller   10.11.12.13 , 10.11.12.14,10.11.12.15'], added: ['\tcontroller   10.11.12.20']})
  })

  test('set a new key appends it after the last key, with the stanza indentation', () => {
    const after = roundTrip(setProperty(doc(CFG), 'drbdstorage', 'statuscache', '300'))
    assert.deepEqual(changedLines(CFG, after), {removed: [], added: ['   statuscache 300']})
    assert.equal(after.split('\n')[42], '   statuscache 300')
  })

  test('set a flag and give a flag a value', () => {
    const flagged = roundTrip(setProperty(doc(CFG), 'drbdstorage', 'disable', ''))
    assert.deepEqual(changedLines(CFG, flagged), {removed: [], added: ['   disable']})
    const valued = roundTrip(setProperty(doc(CFG), 'fastdrbd', 'disable', '0'))
    assert.deepEqual(changedLines(CFG, valued), {removed: ['\tdisable'], added: ['\tdisable 0']})
  })

  test('set drops later duplicates, which Proxmox would ignore anyway', () => {
    const text = 'drbd: d1\n\tresourcegroup a\n\tcontent images\n\tresourcegroup b\n'
    assert.equal(roundTrip(setProperty(doc(text), 'd1', 'resourcegroup', 'c')), 'drbd: d1\n\tresourcegroup c\n\tcontent images\n')
  })

  test('remove a key, and removing a missing key is a no-op', () => {
    const after = roundTrip(removeProperty(doc(CFG), 'drbdstorage', 'preferlocal'))
    assert.deepEqual(changedLines(CFG, after), {removed: ['   preferlocal yes'], added: []})
    const d = doc(CFG)
    assert.equal(removeProperty(d, 'drbdstorage', 'nosuchkey'), d)
  })

  test('add a stanza to a file that ends with an empty line', () => {
    const after = roundTrip(addStanza(doc(CFG), 'drbd', 'slowdrbd', [['resourcegroup', 'backup'], ['content', 'images']]))
    assert.equal(after, CFG + 'drbd: slowdrbd\n\tresourcegroup backup\n\tcontent images\n\n')
  })

  test('add a stanza to a file without a trailing empty line, or without a final newline', () => {
    assert.equal(roundTrip(addStanza(doc('dir: local\n\tpath /a\n'), 'drbd', 'dd', [['resourcegroup', 'rg']])),
      'dir: local\n\tpath /a\n\ndrbd: dd\n\tresourcegroup rg\n')
    assert.equal(roundTrip(addStanza(doc('dir: local\n\tpath /a'), 'drbd', 'dd', [['resourcegroup', 'rg']])),
      'dir: local\n\tpath /a\n\ndrbd: dd\n\tresourcegroup rg\n')
    assert.equal(roundTrip(addStanza(doc(''), 'drbd', 'dd', [['resourcegroup', 'rg']])), 'drbd: dd\n\tresourcegroup rg\n')
  })

  test('remove a stanza with the empty line that closed it', () => {
    const text = 'dir: a\n\tpath /a\n\ndrbd: b\n\tresourcegroup rg\n\ndir: c\n\tpath /c\n'
    assert.equal(roundTrip(removeStanza(doc(text), 'b')), 'dir: a\n\tpath /a\n\ndir: c\n\tpath /c\n')
    assert.equal(roundTrip(removeStanza(doc(text), 'c')), 'dir: a\n\tpath /a\n\ndrbd: b\n\tresourcegroup rg\n')
  })

  test('a sequence of edits on the fixture gives the golden file', () => {
    let d = doc(CFG)
    d = setProperty(d, 'drbdstorage', 'resourcegroup', 'pool3')
    d = setProperty(d, 'drbdstorage', 'exactsize', 'yes')
    d = removeProperty(d, 'fastdrbd', 'disable')
    d = addStanza(d, 'drbd', 'slowdrbd', [['content', 'images'], ['controller', '10.11.12.13'], ['resourcegroup', 'backup']])
    assert.equal(roundTrip(d), fixture('storage.cfg.edited'))
    assert.deepEqual(checkStorageCfg(d), [])
  })

  const refused: [string, () => unknown, string][] = [
    ['unknown storage id', () => setProperty(doc(CFG), 'nope', 'content', 'images'), "no stanza with storage id 'nope'"],
    ['line break in a value', () => setProperty(doc(CFG), 'fastdrbd', 'content', 'images\nrootdir'),
      "the value of 'content' contains a line break"],
    ['padded value', () => setProperty(doc(CFG), 'fastdrbd', 'content', ' images'),
      "the value of 'content' has leading or trailing whitespace, which Proxmox drops"],
    ['key with a space', () => setProperty(doc(CFG), 'fastdrbd', 'a b', 'x'), "bad key 'a b'"],
    ['existing storage id', () => addStanza(doc(CFG), 'drbd', 'tank', []), "storage id 'tank' already exists"],
    ['bad storage id', () => addStanza(doc(CFG), 'drbd', 'x', []),
      "bad storage id 'x' (letters, digits, '-', '_' and '.', starting with a letter and ending with a letter or digit)"],
    ['bad type', () => addStanza(doc(CFG), 'DRBD X', 'xx', []), "bad storage type 'DRBD X'"],
  ]
  for (const [name, run, message] of refused) test(`refuses: ${name}`, () => assert.throws(run, {message}))
})

describe('checked drbd edits', () => {
  test('a valid change goes through, a warning does not block', () => {
    const after = roundTrip(setDrbdOption(doc(CFG), 'drbdstorage', 'statuscache', '0'))
    assert.ok(after.includes('   statuscache 0\n'))
    assert.equal(roundTrip(setDrbdOption(doc(CFG), 'drbdstorage', 'disable', '')), roundTrip(setProperty(doc(CFG), 'drbdstorage', 'disable', '')))
  })

  test('a new stanza in the order Proxmox writes keys', () => {
    const after = roundTrip(addDrbdStorage(doc(''), 'slowdrbd', {resourcegroup: 'backup', controller: 'a1,b1', disable: '', content: 'images'}))
    assert.equal(after, 'drbd: slowdrbd\n\tdisable\n\tresourcegroup backup\n\tcontent images\n\tcontroller a1,b1\n')
  })

  const refused: [string, () => unknown, string][] = [
    ['unknown key', () => setDrbdOption(doc(CFG), 'fastdrbd', 'redundancy', '3'),
      "key 'redundancy' in drbd stanza 'fastdrbd' was removed in linstor-proxmox 5; set the place count on the resource group instead"],
    ['bad value', () => setDrbdOption(doc(CFG), 'fastdrbd', 'preferlocal', 'true'),
      "bad value 'true' for 'preferlocal' in drbd stanza 'fastdrbd' (expected yes or no; the plugin reads anything else as no)"],
    ['bad controller', () => setDrbdOption(doc(CFG), 'fastdrbd', 'controller', 'https://ctl:3371'),
      "bad controller list 'https://ctl:3371': 'https://ctl:3371' has a scheme (the plugin adds http:// or https:// itself) in drbd stanza 'fastdrbd'"],
    ['resourcegroup as a flag', () => setDrbdOption(doc(CFG), 'fastdrbd', 'resourcegroup', ''),
      "key 'resourcegroup' has no value in drbd stanza 'fastdrbd' (Proxmox skips the whole stanza)"],
    ['not a drbd stanza', () => setDrbdOption(doc(CFG), 'tank', 'content', 'images'), "stanza 'tank' is of type zfspool, not drbd"],
    ['removing resourcegroup', () => removeDrbdOption(doc(CFG), 'fastdrbd', 'resourcegroup'),
      "resourcegroup is required: Proxmox skips drbd stanza 'fastdrbd' without it"],
    ['a new stanza with problems', () => addDrbdStorage(doc(CFG), 'newdrbd', {resourcegroup: 'rg 1', apicrt: '/c.crt'}), [
      "bad resourcegroup 'rg 1' (Cannot contain character ' ') in drbd stanza 'newdrbd'",
      'apicrt and apikey go together (the plugin uses a client certificate only with its key)'].join('\n')],
  ]
  for (const [name, run, message] of refused) test(`refuses: ${name}`, () => assert.throws(run, {message}))

  test('remove a key', () => {
    assert.ok(!roundTrip(removeDrbdOption(doc(CFG), 'fastdrbd', 'apica')).includes('apica'))
  })
})
