import assert from 'node:assert/strict'
import {test} from 'node:test'
import {selectFilter} from '../../src/cli/placement.ts'

test('CLI placement flags become a select_filter; replica properties get the Aux/ namespace', () => {
  assert.deepEqual(selectFilter({
    'place-count': 2, 'storage-pool': ['a,b', 'c'], 'layer-list': 'drbd,storage', providers: ['lvm_thin'],
    'replicas-on-same': ['zone', 'Aux/rack'], 'replicas-on-different': ['room=1'], 'do-not-place-with': ['x,y'],
  }), {
    place_count: 2, storage_pool_list: ['a', 'b', 'c'], storage_pool_diskless_list: undefined, layer_stack: ['DRBD', 'STORAGE'], provider_list: ['LVM_THIN'],
    replicas_on_same: ['Aux/zone', 'Aux/rack'], replicas_on_different: ['Aux/room=1'], x_replicas_on_different_map: undefined, not_place_with_rsc: ['x', 'y'],
    not_place_with_rsc_regex: undefined, diskless_on_remaining: undefined, node_name_list: undefined,
  })
})
