import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {AccessMode, type VolumeCapability} from '../../drivers/csi/csi-schema.ts'
import {isMultiWriter, isReadOnly, volumeAccess} from '../../drivers/csi/volume-capabilities.ts'

const mount = (mode: number, fsType = '', mountFlags: string[] = []): VolumeCapability => ({mount: {fsType, mountFlags, volumeMountGroup: ''}, accessMode: {mode}})
const block = (mode: number): VolumeCapability => ({block: {}, accessMode: {mode}})

describe('volume capabilities', () => {
  test('what is served and what is refused', () => {
    const cases: [string, VolumeCapability[], string | undefined, ReturnType<typeof volumeAccess>][] = [
      ['ext4 single writer', [mount(AccessMode.SINGLE_NODE_WRITER, 'ext4')], undefined, {ok: true, access: {kind: 'mount', fsType: 'ext4'}}],
      ['no fs type: ext4', [mount(AccessMode.SINGLE_NODE_WRITER)], undefined, {ok: true, access: {kind: 'mount', fsType: 'ext4'}}],
      ['no fs type: the class default', [mount(AccessMode.SINGLE_NODE_WRITER)], 'xfs', {ok: true, access: {kind: 'mount', fsType: 'xfs'}}],
      ['xfs read-only on many', [mount(AccessMode.MULTI_NODE_READER_ONLY, 'xfs')], undefined, {ok: true, access: {kind: 'mount', fsType: 'xfs'}}],
      ['two compatible', [mount(AccessMode.SINGLE_NODE_WRITER, 'ext4'), mount(AccessMode.SINGLE_NODE_READER_ONLY)], undefined,
        {ok: true, access: {kind: 'mount', fsType: 'ext4'}}],
      ['block shared by many writers', [block(AccessMode.MULTI_NODE_MULTI_WRITER)], undefined, {ok: true, access: {kind: 'block'}}],
      ['none', [], undefined, {ok: false, error: 'no volume capabilities given'}],
      ['neither mount nor block', [{accessMode: {mode: 1}}], undefined, {ok: false, error: 'a volume capability has neither mount nor block access type'}],
      ['mixed', [mount(1), block(1)], undefined, {ok: false, error: 'unsupported FileSystem and Block mode on the same volume'}],
      ['fs on many writers (needs NFS)', [mount(AccessMode.MULTI_NODE_MULTI_WRITER, 'ext4')], undefined,
        {ok: false, error: 'unsupported access mode MULTI_NODE_MULTI_WRITER for filesystem volumes'}],
      ['unknown mode', [block(AccessMode.UNKNOWN)], undefined, {ok: false, error: 'unsupported access mode UNKNOWN for block volumes'}],
      ['conflicting fs types', [mount(1, 'ext4'), mount(1, 'xfs')], undefined, {ok: false, error: 'unsupported conflicting fs types: ext4, xfs'}],
      ['unsupported fs', [mount(1, 'btrfs')], undefined, {ok: false, error: "unsupported fs type 'btrfs' (use one of ext4, xfs)"}],
    ]
    for (const [name, caps, dflt, want] of cases) assert.deepEqual(volumeAccess(caps, dflt), want, name)
  })

  test('read-only and multi-writer', () => {
    assert.equal(isReadOnly(mount(AccessMode.SINGLE_NODE_WRITER), false), false)
    assert.equal(isReadOnly(mount(AccessMode.SINGLE_NODE_WRITER), true), true)
    assert.equal(isReadOnly(mount(AccessMode.MULTI_NODE_READER_ONLY), false), true)
    assert.equal(isReadOnly(mount(AccessMode.SINGLE_NODE_READER_ONLY), false), true)
    assert.equal(isReadOnly(undefined, false), false)
    assert.equal(isMultiWriter([block(AccessMode.MULTI_NODE_MULTI_WRITER)]), true)
    assert.equal(isMultiWriter([block(AccessMode.MULTI_NODE_SINGLE_WRITER), mount(1)]), false)
  })
})
