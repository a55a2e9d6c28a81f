import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {REMOTE_ACCESS_ANYWHERE, REMOTE_ACCESS_LOCAL_ONLY} from '../../drivers/nomad/csi-parameters.ts'
import {
  accessibleSegments, diskfulNodes, isDiskful, nodeQueryFor, nodeSegments, poolsOfSegments, prunePatterns, volumeTopologies,
} from '../../drivers/csi/topology.ts'

const H = 'linbit.com/hostname'

describe('node segments', () => {
  test('hostname, properties of the namespace (prefix stripped), storage pools', () => {
    const node = {name: 'n1', props: {'Aux/topology/topology.kubernetes.io/zone': 'z1', 'Aux/topology/kubernetes.io/hostname': 'host-1',
      'Aux/other': 'x', 'CurStltConnName': 'default', 'Aux/topology/': 'empty key'}}
    assert.deepEqual(nodeSegments(node, 'Aux/topology', ['thin', 'DfltDisklessStorPool']), {
      [H]: 'n1', 'topology.kubernetes.io/zone': 'z1', 'kubernetes.io/hostname': 'host-1', 'linbit.com/sp-thin': 'true',
      'linbit.com/sp-DfltDisklessStorPool': 'true',
    })
    assert.deepEqual(nodeSegments(node, 'Aux'), {[H]: 'n1', 'topology/topology.kubernetes.io/zone': 'z1', 'topology/kubernetes.io/hostname': 'host-1',
      'other': 'x', 'topology/': 'empty key'})
    // The node's own name wins over a property that claims the same key.
    assert.equal(nodeSegments({name: 'n1', props: {'Aux/linbit.com/hostname': 'liar'}}, 'Aux')[H], 'n1')
    assert.deepEqual(nodeSegments({name: 'n2'}, 'Aux'), {[H]: 'n2'})
  })
})

describe('remote access', () => {
  test('prunePatterns keeps the broadest, drops duplicates', () => {
    const cases: [Record<string, string>[], Record<string, string>[]][] = [
      [[{a: '1'}, {a: '1'}], [{a: '1'}]],
      [[{a: '1'}, {a: '2'}], [{a: '1'}, {a: '2'}]],
      [[{a: '1', b: '1'}, {a: '1'}], [{a: '1'}]],
      [[{a: '1', b: '1'}, {a: '1', b: '2'}], [{a: '1', b: '1'}, {a: '1', b: '2'}]],
      [[{a: '1'}, {a: '1', b: '1'}, {a: '1', b: '2'}], [{a: '1'}]],
      [[{a: '1'}, {}], [{}]],
    ]
    for (const [input, want] of cases) assert.deepEqual(prunePatterns(input), want, JSON.stringify(input))
  })

  test('accessibleSegments per policy', () => {
    const seg = {[H]: 'n1', zone: 'z1', rack: 'r1'}
    assert.deepEqual(accessibleSegments(REMOTE_ACCESS_ANYWHERE, seg), [{}])
    assert.deepEqual(accessibleSegments(REMOTE_ACCESS_LOCAL_ONLY, seg), [{[H]: 'n1'}])
    assert.deepEqual(accessibleSegments([{fromSame: ['zone']}, {fromSame: ['zone', 'rack']}], seg), [{zone: 'z1'}])
    assert.deepEqual(accessibleSegments([{fromSame: ['missing']}], seg), [{}])
    assert.deepEqual(accessibleSegments([], seg), [])
  })

  test('volume topologies from the diskful nodes', () => {
    const nodes = [{name: 'n1', props: {'Aux/zone': 'a'}}, {name: 'n2', props: {'Aux/zone': 'a'}}, {name: 'n3', props: {'Aux/zone': 'b'}}]
    assert.deepEqual(volumeTopologies(nodes, 'Aux', REMOTE_ACCESS_LOCAL_ONLY), [{[H]: 'n1'}, {[H]: 'n2'}, {[H]: 'n3'}])
    assert.deepEqual(volumeTopologies(nodes, 'Aux', [{fromSame: ['zone']}]), [{zone: 'a'}, {zone: 'b'}])
    // Reachable from anywhere: CSI expresses that as no topology at all.
    assert.deepEqual(volumeTopologies(nodes, 'Aux', REMOTE_ACCESS_ANYWHERE), [])
  })
})

describe('nodes and resources', () => {
  test('nodeQueryFor: the hostname directly, else property filters without pool labels', () => {
    assert.deepEqual(nodeQueryFor({[H]: 'n1', zone: 'a'}, 'Aux'), {node: 'n1'})
    assert.deepEqual(nodeQueryFor({zone: 'a', 'linbit.com/sp-thin': 'true'}, 'Aux/topology'), {props: ['Aux/topology/zone=a']})
    assert.deepEqual(nodeQueryFor({}, 'Aux'), {props: []})
    assert.deepEqual(poolsOfSegments({'linbit.com/sp-thin': 'true', 'linbit.com/sp-fast': 'true', zone: 'a'}), ['thin', 'fast'])
  })

  test('diskful: deployed, not diskless, not deleting or failed', () => {
    const cases: [{node_name?: string, flags?: string[]}, boolean][] = [
      [{node_name: 'n1'}, true],
      [{node_name: 'n1', flags: []}, true],
      [{node_name: 'n1', flags: ['DISKLESS', 'DRBD_DISKLESS']}, false],
      [{node_name: 'n1', flags: ['DELETE']}, false],
      [{node_name: 'n1', flags: ['FAILED_DEPLOYMENT']}, false],
      [{node_name: 'n1', flags: ['FAILED_DISCONNECT']}, false],
      [{flags: []}, false],
    ]
    for (const [r, want] of cases) assert.equal(isDiskful(r), want, JSON.stringify(r))
    assert.deepEqual(diskfulNodes(cases.map(([r]) => r)), ['n1', 'n1'])
  })
})
