import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {parseCsiParameters, type CsiParameters} from '../../drivers/nomad/csi-parameters.ts'
import {parseYaml} from '../../drivers/nomad/csi-yaml.ts'
import {parseQuantity} from '../../drivers/nomad/kube-quantity.ts'
import {csiDerivedResourceGroupName, csiResourceNameProblem, csiVolumeResourceName, derivationModifyJson, goJson,
  sha1Uuid} from '../../drivers/nomad/csi-names.ts'
import {csiAllocationBytes, csiAutoPlace, csiAutoSelectFilter, csiDisklessFlag, csiManualResources, csiResourceGroupCreate,
  csiResourceGroupReconcile, csiSpawn} from '../../drivers/nomad/csi-placement.ts'

const MiB = 1024 * 1024

const parse = (params: Record<string, string>): CsiParameters => {
  const result = parseCsiParameters(params)
  if (!result.ok) assert.fail(result.errors.join('\n'))
  return result.parameters
}
const errorsOf = (params: Record<string, string>): string[] => {
  const result = parseCsiParameters(params)
  return result.ok ? [] : result.errors
}

// The UG's full StorageClass example, minus the keys that cannot go together (autoPlace with nodeList).
const FULL: Record<string, string> = {
  'csi.storage.k8s.io/fstype': 'xfs',
  'linstor.csi.linbit.com/placementCount': '2',
  'linstor.csi.linbit.com/resourceGroup': 'full-example',
  'linstor.csi.linbit.com/storagePool': 'my-storage-pool',
  'linstor.csi.linbit.com/disklessStoragePool': 'DfltDisklessStorPool',
  'linstor.csi.linbit.com/layerList': 'drbd storage',
  'linstor.csi.linbit.com/placementPolicy': 'AutoPlaceTopology',
  'linstor.csi.linbit.com/allowRemoteVolumeAccess': 'true',
  'linstor.csi.linbit.com/encryption': 'true',
  'linstor.csi.linbit.com/replicasOnSame': 'zone=a',
  'linstor.csi.linbit.com/replicasOnDifferent': 'rack',
  'linstor.csi.linbit.com/disklessOnRemaining': 'false',
  'linstor.csi.linbit.com/doNotPlaceWithRegex': 'tainted.*',
  'linstor.csi.linbit.com/fsOpts': '-E nodiscard',
  'linstor.csi.linbit.com/mountOpts': 'noatime',
  'linstor.csi.linbit.com/postMountXfsOpts': 'extsize 2m',
  'property.linstor.csi.linbit.com/DrbdOptions/auto-quorum': 'suspend-io',
  'DrbdOptions/Net/protocol': 'C',
}

describe('csi parameters', () => {
  test('the full example', () => {
    assert.deepEqual(parse(FULL), {
      resourceGroup: 'full-example', resourceGroupDerived: false, placementCount: 2, storagePools: ['my-storage-pool'],
      disklessStoragePool: 'DfltDisklessStorPool', layerList: ['DRBD', 'STORAGE'], placementPolicy: 'AutoPlaceTopology',
      allowRemoteVolumeAccess: [{fromSame: []}], nodeList: [], clientList: [], replicasOnSame: ['Aux/zone=a'],
      replicasOnDifferent: ['Aux/rack'], xReplicasOnDifferent: {}, doNotPlaceWithRegex: 'tainted.*', disklessOnRemaining: false,
      encryption: true, fsType: 'xfs', fsOpts: '-E nodiscard', mountOpts: 'noatime', postMountXfsOpts: 'extsize 2m', usePvcName: false,
      overProvision: undefined,
      nfs: {configTemplate: '/etc/nfs-helper/default-config.tmpl', serviceName: 'linstor-csi-nfs', squash: 'no_root_squash',
        recoveryVolumeBytes: 300 * MiB},
      properties: {'DrbdOptions/auto-quorum': 'suspend-io', 'DrbdOptions/Net/protocol': 'C'}, qos: {}, ignored: [],
    })
  })

  test('the Nomad guide example: bare keys, autoPlace', () => {
    const p = parse({resourceGroup: 'default-resource', storagePool: 'thinpool', autoPlace: '2'})
    assert.equal(p.placementCount, 2)
    assert.deepEqual(p.storagePools, ['thinpool'])
    assert.equal(p.resourceGroup, 'default-resource')
  })

  const spellings: [string, Record<string, string>, Partial<CsiParameters>][] = [
    ['names in any case', {PLACEMENTCOUNT: '3', 'linstor.csi.linbit.com/LayerList': 'DRBD LUKS STORAGE'},
      {placementCount: 3, layerList: ['DRBD', 'LUKS', 'STORAGE']}],
    ['layerList also comma-separated, as the LINSTOR guide writes it', {layerList: 'drbd,storage'}, {layerList: ['DRBD', 'STORAGE']}],
    ['an empty autoPlace means 1', {autoPlace: ''}, {placementCount: 1}],
    ['the same value twice is fine', {autoPlace: '2', placementCount: '2'}, {placementCount: 2}],
    ['keys already under Aux/ keep their name', {replicasOnSame: 'Aux/site zone'}, {replicasOnSame: ['Aux/site', 'Aux/zone']}],
    ['placement policy in any case', {placementPolicy: 'followtopology'}, {placementPolicy: 'FollowTopology'}],
    ['Go booleans', {disklessOnRemaining: 'T', encryption: '0', usePvcName: 'True'},
      {disklessOnRemaining: true, encryption: false, usePvcName: true}],
    ['remote access: false means the replica node only', {allowRemoteVolumeAccess: 'false'},
      {allowRemoteVolumeAccess: [{fromSame: ['linbit.com/hostname']}]}],
    ['remote access as YAML rules', {allowRemoteVolumeAccess: '- fromSame:\n  - topology.kubernetes.io/zone\n- fromSame: [rack, row]'},
      {allowRemoteVolumeAccess: [{fromSame: ['topology.kubernetes.io/zone']}, {fromSame: ['rack', 'row']}]}],
    ['without DRBD or NVMe the default is local access only', {layerList: 'storage'},
      {allowRemoteVolumeAccess: [{fromSame: ['linbit.com/hostname']}]}],
    ['xReplicasOnDifferent, block and flow', {xReplicasOnDifferent: 'zone: 2\nAux/rack: 1'}, {xReplicasOnDifferent: {'Aux/zone': 2, 'Aux/rack': 1}}],
    ['quantities and floats', {nfsRecoveryVolumeSize: '1Gi', overProvision: '1.5', 'qos.linbit.com/wbps': '100Mi', 'qos.linbit.com/riops': '500'},
      {nfs: {configTemplate: '/etc/nfs-helper/default-config.tmpl', serviceName: 'linstor-csi-nfs', squash: 'no_root_squash',
        recoveryVolumeBytes: 1024 * MiB}, overProvision: 1.5, qos: {wbps: 100 * MiB, riops: 500}}],
    ['other namespaces and sizeKiB are ignored', {'csi.storage.k8s.io/provisioner-secret-name': 's', 'snap.linstor.csi.linbit.com/type': 'S3',
      'qos.linbit.com/device': '/dev/x', sizeKiB: '1024'},
    {ignored: ['csi.storage.k8s.io/provisioner-secret-name', 'qos.linbit.com/device', 'snap.linstor.csi.linbit.com/type', 'sizeKiB']}],
    ['manual placement clears the automatic rules', {nodeList: 'alpha bravo', clientList: 'charlie', replicasOnSame: 'zone', resourceGroup: 'rg1'},
      {placementCount: 0, nodeList: ['alpha', 'bravo'], clientList: ['charlie'], replicasOnSame: [], placementPolicy: 'Manual'}],
  ]
  for (const [name, params, expected] of spellings) {
    test(name, () => {
      const p = parse(params)
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(p[k as keyof CsiParameters], v, k)
    })
  }

  const errors: [string, Record<string, string>, string[]][] = [
    ['unknown parameter', {placementCnt: '2', 'linstor.csi.linbit.com/foo': 'x'},
      ["unknown parameter 'linstor.csi.linbit.com/foo'", "unknown parameter 'placementCnt'"]],
    ['bad numbers', {placementCount: 'two', overProvision: '-1'},
      ["overProvision: '-1' is not a positive number", "placementCount: 'two' is not a positive 32 bit integer"]],
    ['zero replicas', {autoPlace: '0'}, ["autoPlace: '0' is not a positive 32 bit integer"]],
    ['autoPlace and placementCount disagree', {autoPlace: '2', placementCount: '3'}, ["placementCount: 'autoPlace' already sets this parameter to '2'"]],
    ['bare and prefixed spelling disagree', {'storagePool': 'a1a', 'linstor.csi.linbit.com/storagePool': 'b2b'},
      ["storagePool: 'linstor.csi.linbit.com/storagePool' already sets this parameter to 'b2b'"]],
    ['a property twice', {'DrbdOptions/Net/protocol': 'A', 'property.linstor.csi.linbit.com/DrbdOptions/Net/protocol': 'C'},
      ["property.linstor.csi.linbit.com/DrbdOptions/Net/protocol: property 'DrbdOptions/Net/protocol' is also set by DrbdOptions/Net/protocol to a different value"]],
    ['empty property names', {'DrbdOptions/': 'x', 'property.linstor.csi.linbit.com/': 'y'},
      ['DrbdOptions/: the property name is missing', 'property.linstor.csi.linbit.com/: the property name is missing']],
    ['bad booleans', {encryption: 'yes'}, ["encryption: 'yes' is not a boolean (true or false)"]],
    ['unknown layer', {layerList: 'drbd bcache storage'}, ["layerList: unknown layer 'bcache' (known: drbd, storage, luks, nvme, cache, writecache)"]],
    ['unknown placement policy', {placementPolicy: 'Spread'},
      ["placementPolicy: 'Spread' is not one of AutoPlaceTopology, AutoPlace, FollowTopology, Manual, Balanced"]],
    ['empty lists and bad names', {storagePool: ' ', nodeList: 'alpha -bad'}, [
      "nodeList: '-bad' is not a node name (Hostname cannot begin with '-')", 'storagePool: the list is empty']],
    ['nodeList with a placement count', {nodeList: 'alpha', autoPlace: '2'},
      ['autoPlace: cannot be combined with nodeList or clientList, which place the volume by hand']],
    ['nodeList with another policy', {nodeList: 'alpha', placementPolicy: 'AutoPlace'},
      ["placementPolicy: nodeList and clientList need placementPolicy Manual, not 'AutoPlace'"]],
    ['Manual without nodes', {placementPolicy: 'Manual'}, ['placementPolicy: placementPolicy Manual needs nodeList or clientList']],
    ['bad regex', {doNotPlaceWithRegex: '(unclosed'}, ["doNotPlaceWithRegex: '(unclosed' is not a regular expression"]],
    ['bad remote access', {allowRemoteVolumeAccess: 'maybe'},
      ['allowRemoteVolumeAccess: expected true, false or a list of {fromSame: [labels]}']],
    ['bad x replicas', {xReplicasOnDifferent: 'zone: two'}, ["xReplicasOnDifferent: the count for 'zone' is not a positive integer"]],
    ['bad quantities', {nfsRecoveryVolumeSize: '1GB', 'qos.linbit.com/rbps': '-5'}, [
      "nfsRecoveryVolumeSize: '1GB' is not a quantity (examples: 300Mi, 1Gi, 500k, 1e6)", 'qos.linbit.com/rbps: -5 is negative']],
    ['bad resource group', {resourceGroup: 'my group'},
      ["resourceGroup: 'my group' is not a resource group name (Cannot contain character ' ')"]],
  ]
  for (const [name, params, expected] of errors) test(`error: ${name}`, () => assert.deepEqual(errorsOf(params), expected))
})

describe('names linstor-csi derives', () => {
  test('uuid5 as pborman/uuid computes it (RFC 4122 vector)', () => {
    assert.equal(sha1Uuid(Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex'), 'python.org'), '886313e1-3b8a-5372-9b90-0c9aee199e5d')
  })

  test('volume names', () => {
    assert.equal(csiVolumeResourceName('vol1'), 'vol1')
    assert.equal(csiVolumeResourceName('pvc-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0'), 'pvc-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0')
    assert.equal(csiVolumeResourceName('db data'), `vol-${sha1Uuid('linstor.csi.linbit.com', 'db data')}`)
    assert.match(csiVolumeResourceName('all'), /^vol-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(csiResourceNameProblem('a'), 'the resource name does not match ^[A-Za-z_][A-Za-z0-9_-]{1,47}$')
    assert.equal(csiResourceNameProblem('1234'), 'the resource name has no letter (A-Z, a-z)')
  })

  test('the derived group hashes golinstor JSON of the parameters', () => {
    const p = parse({placementCount: '2', storagePool: 'thin1', replicasOnDifferent: 'zone', xReplicasOnDifferent: '{rack: 1, 10: 2}',
      doNotPlaceWithRegex: 'a<b&c>', disklessOnRemaining: 'true', 'DrbdOptions/Net/protocol': 'C'})
    const json = '{"override_props":{"DrbdOptions/Net/protocol":"C"},"select_filter":{"place_count":2,"storage_pool_list":["thin1"],' +
      '"not_place_with_rsc_regex":"a\\u003cb\\u0026c\\u003e","replicas_on_different":["Aux/zone"],' +
      '"x_replicas_on_different_map":{"Aux/10":2,"Aux/rack":1},"layer_stack":["DRBD","STORAGE"],"diskless_on_remaining":true}}'
    assert.equal(derivationModifyJson(p), json)
    assert.equal(p.resourceGroup, `sc-${sha1Uuid('resourcegroup.linstor.csi.linbit.com', json)}`)
    assert.equal(csiDerivedResourceGroupName(p), p.resourceGroup)
    assert.equal(p.resourceGroupDerived, true)
    assert.equal(derivationModifyJson(parse({})), '{"select_filter":{"place_count":1,"layer_stack":["DRBD","STORAGE"]}}')
  })

  test('manual placement derives from the counts as given, before they are cleared', () => {
    const p = parse({nodeList: 'alpha'})
    assert.equal(p.resourceGroup, `sc-${sha1Uuid('resourcegroup.linstor.csi.linbit.com', '{"select_filter":{"place_count":1,"layer_stack":["DRBD","STORAGE"]}}')}`)
    assert.equal(goJson({a: '<&>\u2028'}), '{"a":"\\u003c\\u0026\\u003e\\u2028"}')
  })
})

describe('small parsers', () => {
  const quantities: [string, number][] = [['300Mi', 300 * MiB], ['1Gi', 1024 * MiB], ['500k', 500_000], ['1.5G', 1_500_000_000], ['1e3', 1000],
    ['100m', 1], ['0', 0], ['.5Ki', 512]]
  for (const [text, value] of quantities) test(`quantity ${text}`, () => assert.equal(parseQuantity(text), value))
  test('bad quantity', () => assert.throws(() => parseQuantity('1 Gi'), {message: "'1 Gi' is not a quantity (examples: 300Mi, 1Gi, 500k, 1e6)"}))

  const yaml: [string, unknown][] = [
    ['zone: 2\nrack: 1', {zone: '2', rack: '1'}],
    ['{"Aux/zone": 2, rack: 1}', {'Aux/zone': '2', rack: '1'}],
    ['# comment\nzone: 2 # trailing\n\'a b\': 3', {zone: '2', 'a b': '3'}],
    ['- fromSame:\n  - a\n  - b\n- fromSame: [c]', [{fromSame: ['a', 'b']}, {fromSame: ['c']}]],
    ['- fromSame:\n    - a\n  other: x', [{fromSame: ['a'], other: 'x'}]],
    ['[{fromSame: [a, "b c"]}, {}]', [{fromSame: ['a', 'b c']}, {}]],
    ['key:\n- a\n- b', {key: ['a', 'b']}],
    ['plain', 'plain'],
  ]
  for (const [text, value] of yaml) test(`yaml ${JSON.stringify(text)}`, () => assert.deepEqual(parseYaml(text), value))
  const badYaml: [string, string][] = [
    ['[a, b', "line 1: expected ',' or ']' in '[a, b'"],
    ['a: 1\n  b: 2', 'line 2: unexpected indentation'],
    ['a: 1\na: 2', "line 2: duplicate key 'a'"],
    ['"open', "line 1: unterminated string in '\"open'"],
  ]
  for (const [text, message] of badYaml) test(`bad yaml ${JSON.stringify(text)}`, () => assert.throws(() => parseYaml(text), {message}))
})

describe('LINSTOR bodies', () => {
  const full = parse(FULL)

  test('select filter and resource group create', () => {
    assert.deepEqual(csiAutoSelectFilter(full), {place_count: 2, storage_pool_list: ['my-storage-pool'], not_place_with_rsc_regex: 'tainted.*',
      replicas_on_same: ['Aux/zone=a'], replicas_on_different: ['Aux/rack'], layer_stack: ['DRBD', 'STORAGE']})
    assert.deepEqual(csiResourceGroupCreate(full), {name: 'full-example', select_filter: csiAutoSelectFilter(full),
      props: {'DrbdOptions/auto-quorum': 'suspend-io', 'DrbdOptions/Net/protocol': 'C'}})
  })

  const reconciles: [string, Parameters<typeof csiResourceGroupReconcile>[1], ReturnType<typeof csiResourceGroupReconcile>][] = [
    ['an empty group gets everything', {name: 'full-example'}, {ok: true, changed: true, modify: {
      override_props: {'DrbdOptions/auto-quorum': 'suspend-io', 'DrbdOptions/Net/protocol': 'C'}, select_filter: csiAutoSelectFilter(full)}}],
    ['an up-to-date group: nothing changes', {name: 'full-example', select_filter: {...csiAutoSelectFilter(full), storage_pool: 'x'},
      props: {'DrbdOptions/auto-quorum': 'suspend-io', 'DrbdOptions/Net/protocol': 'C', 'Other': '1'}},
    {ok: true, changed: false, modify: {select_filter: {}}}],
    ['hand-made changes are overwritten; emptied fields count but are not sent', {name: 'full-example', select_filter: {
      ...csiAutoSelectFilter(full), place_count: 3, x_replicas_on_different_map: {'Aux/rack': 1}, diskless_on_remaining: true},
    props: {'DrbdOptions/auto-quorum': 'suspend-io', 'DrbdOptions/Net/protocol': 'C'}},
    {ok: true, changed: true, modify: {select_filter: {place_count: 2}}}],
    ['a property with another value is an error', {name: 'full-example', props: {'DrbdOptions/Net/protocol': 'A'}},
      {ok: false, error: 'cannot change existing property value: existing = A, expected = C'}],
  ]
  for (const [name, group, expected] of reconciles) test(`reconcile: ${name}`, () => assert.deepEqual(csiResourceGroupReconcile(full, group), expected))

  test('spawn and autoplace', () => {
    assert.deepEqual(csiSpawn(full, {resourceName: 'pvc-1', sizeKib: 1048576, fsType: 'xfs', props: {'Aux/csi-provisioning-completed-by': 'cairn'}}), {
      resource_definition_name: 'pvc-1', volume_sizes: [1048576], select_filter: csiAutoSelectFilter(full), definitions_only: true,
      resource_definition_props: {'FileSystem/Type': 'xfs', 'FileSystem/MkfsParams': '-E nodiscard', 'Aux/csi-provisioning-completed-by': 'cairn'}})
    const auto = parse({placementPolicy: 'AutoPlace', placementCount: '3'})
    assert.deepEqual(csiSpawn(auto, {resourceName: 'blk', sizeKib: 4096}),
      {resource_definition_name: 'blk', volume_sizes: [4096], select_filter: {place_count: 3, layer_stack: ['DRBD', 'STORAGE']}, definitions_only: false})
    assert.deepEqual(csiAutoPlace(full, {node_name_list: ['alpha'], place_count: 1, additional_place_count: 1}), {
      select_filter: {...csiAutoSelectFilter(full), node_name_list: ['alpha'], place_count: 1, additional_place_count: 1}, layer_list: ['DRBD', 'STORAGE']})
  })

  test('manual placement', () => {
    const p = parse({nodeList: 'alpha', clientList: 'charlie', disklessStoragePool: 'diskless1', resourceGroup: 'rg1'})
    assert.deepEqual(csiManualResources(p, 'vol1'), [
      {resource: {name: 'vol1', node_name: 'alpha', props: {}, flags: []}, layer_list: ['DRBD', 'STORAGE']},
      {resource: {name: 'vol1', node_name: 'charlie', props: {StorPoolName: 'diskless1'}, flags: ['DRBD_DISKLESS']}, layer_list: ['DRBD', 'STORAGE']},
    ])
    assert.equal(csiDisklessFlag(['NVME', 'STORAGE']), 'NVME_INITIATOR')
    assert.throws(() => csiDisklessFlag(['STORAGE']), {message: 'no layer of STORAGE can be diskless'})
  })

  const sizes: [number, number, string | undefined, number | string][] = [
    [1, 0, 'ext4', 2 * MiB], [1, 0, 'xfs', 300 * MiB], [1, 0, undefined, 4096], [1000 * MiB + 1, 0, 'ext4', 1000 * MiB + 1024],
    [MiB, 100 * MiB, 'xfs', "LINSTOR's minimum volume size (314572800) exceeds the maximum size limit (104857600) of the requested volume"],
    [5000, 5000, undefined, 'got request for 5000 bytes of storage, but needed to allocate 5120 bytes, violating the 5000 byte limit'],
  ]
  for (const [required, limit, fs, expected] of sizes) {
    test(`allocation ${required}/${limit}/${fs}`, () => {
      if (typeof expected === 'number') assert.equal(csiAllocationBytes(required, limit, fs), expected)
      else assert.throws(() => csiAllocationBytes(required, limit, fs), {message: expected})
    })
  }
})
