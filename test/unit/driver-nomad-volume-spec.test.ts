import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import type {ResourceGroup} from '../../src/api/wire.ts'
import {nomadVolumeParameters, nomadVolumeSpec, parseNomadSize, quote, type NomadVolumeOptions} from '../../drivers/nomad/volume-spec.ts'
import {parseCsiParameters} from '../../drivers/nomad/csi-parameters.ts'
import {sha1Uuid} from '../../drivers/nomad/csi-names.ts'

const GUIDE_GROUP: ResourceGroup = {name: 'default-resource', select_filter: {place_count: 2, storage_pool: 'thinpool'}}
const RICH_GROUP: ResourceGroup = {
  name: 'db-group',
  props: {'DrbdOptions/Net/protocol': 'C'},
  select_filter: {place_count: 3, storage_pool_list: ['nvme1', 'nvme2'], layer_stack: ['DRBD', 'LUKS', 'STORAGE'],
    replicas_on_same: ['Aux/region=eu'], replicas_on_different: ['Aux/zone'], x_replicas_on_different_map: {'Aux/rack': 1},
    not_place_with_rsc_regex: 'scratch-.*', diskless_on_remaining: true, not_place_with_rsc: ['other']},
}

describe('nomadVolumeSpec', () => {
  test('the LINSTOR guide example (vol1.hcl)', () => {
    assert.equal(nomadVolumeSpec(GUIDE_GROUP, {id: 'vol1', capacityMin: '1GiB', capacityMax: '1GiB'}), [
      '# LINSTOR resource definition: vol1',
      'id        = "vol1"',
      'name      = "vol1"',
      'type      = "csi"',
      'plugin_id = "linstor.csi.linbit.com"',
      '',
      'capacity_min = "1GiB"',
      'capacity_max = "1GiB"',
      '',
      'capability {',
      '  access_mode     = "single-node-writer"',
      '  attachment_mode = "file-system"',
      '}',
      '',
      'mount_options {',
      '  fs_type = "ext4"',
      '}',
      '',
      'parameters {',
      '  "resourceGroup"  = "default-resource"',
      '  "placementCount" = "2"',
      '  "storagePool"    = "thinpool"',
      '}',
      '',
    ].join('\n'))
  })

  test('every option', () => {
    const options: NomadVolumeOptions = {
      id: 'pg-data', name: 'postgres data', namespace: 'db', pluginId: 'linstor', capacityMin: 10 * 2 ** 30, capacityMax: '20 GiB',
      accessMode: 'single-node-writer', fsType: 'xfs', mountFlags: ['noatime', 'discard'],
      parameters: {fsOpts: '-m reflink=0', 'property.linstor.csi.linbit.com/DrbdOptions/auto-quorum': 'suspend-io'},
      snapshotId: 'snap1', topology: {required: [{'linbit.com/hostname': 'alpha'}], preferred: [{'topology.kubernetes.io/zone': 'a'}]},
    }
    assert.equal(nomadVolumeSpec(RICH_GROUP, options), [
      `# LINSTOR resource definition: vol-${sha1Uuid('linstor.csi.linbit.com', 'postgres data')}`,
      'id        = "pg-data"',
      'name      = "postgres data"',
      'namespace = "db"',
      'type      = "csi"',
      'plugin_id = "linstor"',
      '',
      'capacity_min = "10GiB"',
      'capacity_max = "20 GiB"',
      '',
      'snapshot_id = "snap1"',
      '',
      'capability {',
      '  access_mode     = "single-node-writer"',
      '  attachment_mode = "file-system"',
      '}',
      '',
      'mount_options {',
      '  fs_type     = "xfs"',
      '  mount_flags = ["noatime", "discard"]',
      '}',
      '',
      'topology_request {',
      '  required {',
      '    topology {',
      '      segments {',
      '        "linbit.com/hostname" = "alpha"',
      '      }',
      '    }',
      '  }',
      '  preferred {',
      '    topology {',
      '      segments {',
      '        "topology.kubernetes.io/zone" = "a"',
      '      }',
      '    }',
      '  }',
      '}',
      '',
      'parameters {',
      '  "resourceGroup"                                           = "db-group"',
      '  "placementCount"                                          = "3"',
      '  "storagePool"                                             = "nvme1 nvme2"',
      '  "layerList"                                               = "drbd luks storage"',
      '  "replicasOnSame"                                          = "Aux/region=eu"',
      '  "replicasOnDifferent"                                     = "Aux/zone"',
      '  "xReplicasOnDifferent"                                    = "{\\"Aux/rack\\": 1}"',
      '  "doNotPlaceWithRegex"                                     = "scratch-.*"',
      '  "disklessOnRemaining"                                     = "true"',
      '  "fsOpts"                                                  = "-m reflink=0"',
      '  "property.linstor.csi.linbit.com/DrbdOptions/auto-quorum" = "suspend-io"',
      '}',
      '',
    ].join('\n'))
  })

  test('a block volume has no mount options; multi-writer block is fine', () => {
    const hcl = nomadVolumeSpec(GUIDE_GROUP, {id: 'raw1', accessMode: 'multi-node-multi-writer', attachmentMode: 'block-device'})
    assert.ok(!hcl.includes('mount_options'))
    assert.ok(hcl.includes('  access_mode     = "multi-node-multi-writer"\n  attachment_mode = "block-device"\n'))
  })

  test('the parameters give the group back to linstor-csi unchanged', () => {
    const parsed = parseCsiParameters(nomadVolumeParameters(RICH_GROUP))
    assert.ok(parsed.ok)
    const p = parsed.parameters
    assert.deepEqual([p.resourceGroup, p.placementCount, p.storagePools, p.layerList, p.replicasOnSame, p.replicasOnDifferent,
      p.xReplicasOnDifferent, p.doNotPlaceWithRegex, p.disklessOnRemaining], ['db-group', 3, ['nvme1', 'nvme2'], ['DRBD', 'LUKS', 'STORAGE'],
      RICH_GROUP.select_filter?.replicas_on_same, RICH_GROUP.select_filter?.replicas_on_different, {'Aux/rack': 1}, 'scratch-.*', true])
    assert.deepEqual(nomadVolumeParameters({name: 'bare'}), {resourceGroup: 'bare', placementCount: '2'})
  })

  const refused: [string, ResourceGroup, NomadVolumeOptions, string][] = [
    ['a group without a name', {}, {id: 'v1'}, 'the resource group has no name'],
    ['a bad id', GUIDE_GROUP, {id: 'my vol'}, "bad volume id 'my vol'"],
    ['fs_type on a block volume', GUIDE_GROUP, {id: 'v1', attachmentMode: 'block-device', fsType: 'ext4', mountFlags: ['ro']},
      'fs_type only applies to file-system volumes\nmount flags only apply to file-system volumes'],
    ['an unsupported filesystem', GUIDE_GROUP, {id: 'v1', fsType: 'btrfs'}, "unsupported filesystem 'btrfs' (ext4 or xfs)"],
    ['multi-writer filesystem without NFS', GUIDE_GROUP, {id: 'v1', accessMode: 'multi-node-multi-writer'},
      "access mode multi-node-multi-writer on a file-system volume needs linstor-csi's NFS export (--enable-rwx)"],
    ['unknown modes', GUIDE_GROUP, {id: 'v1', accessMode: 'everyone' as never, attachmentMode: 'tape' as never},
      "unknown access mode 'everyone' (one of single-node-reader-only, single-node-writer, multi-node-reader-only, multi-node-single-writer, " +
      "multi-node-multi-writer)\nunknown attachment mode 'tape' (file-system or block-device)"],
    ['min above max', GUIDE_GROUP, {id: 'v1', capacityMin: '2GiB', capacityMax: '1GiB'}, 'capacity_min is larger than capacity_max'],
    ['bad sizes', GUIDE_GROUP, {id: 'v1', capacityMin: 'lots', capacityMax: -1},
      "capacity_min: 'lots' is not a size (examples: 10GiB, 500MiB, 1TB)\ncapacity_max: -1 is not a positive number of bytes"],
    ['xfs below its minimum', GUIDE_GROUP, {id: 'v1', fsType: 'xfs', capacityMax: '100MiB'},
      "LINSTOR's minimum volume size (314572800) exceeds the maximum size limit (104857600) of the requested volume"],
    ['a layer linstor-csi does not know', {name: 'rg', select_filter: {layer_stack: ['DRBD', 'BCACHE', 'STORAGE']}}, {id: 'v1'},
      "linstor-csi cannot use layer 'BCACHE' of the resource group\nparameters: layerList: unknown layer 'bcache' " +
      '(known: drbd, storage, luks, nvme, cache, writecache)'],
    ['bad extra parameters', GUIDE_GROUP, {id: 'v1', parameters: {autoPlace: '3'}},
      "parameters: placementCount: 'autoPlace' already sets this parameter to '3'"],
    ['text HCL 1 cannot carry', GUIDE_GROUP, {id: 'v1', parameters: {mountOpts: 'x-${HOME}'}},
      "'x-${HOME}' contains ${ or %{, which HCL cannot carry in a string"],
  ]
  for (const [name, group, options, message] of refused) {
    test(`refuses: ${name}`, () => assert.throws(() => nomadVolumeSpec(group, options), {message}))
  }
})

describe('HCL and sizes', () => {
  test('quote', () => assert.equal(quote('a "b" \\ c\nd\t'), '"a \\"b\\" \\\\ c\\nd\\t"'))
  const sizes: [string, number][] = [['1GiB', 2 ** 30], ['1 GB', 1e9], ['1G', 1e9], ['1Gi', 2 ** 30], ['1.5MiB', 1.5 * 2 ** 20], ['4096', 4096],
    ['10gib', 10 * 2 ** 30], ['2TB', 2e12]]
  for (const [text, bytes] of sizes) test(`Nomad size '${text}'`, () => assert.equal(parseNomadSize(text), bytes))
})
