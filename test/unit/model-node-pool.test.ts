import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc, isError} from '../../src/common/api-call-rc.ts'
import {ApiFailure, type Ids} from '../../src/controller/model/api-failure.ts'
import {createNode, findNode, satelliteInterface} from '../../src/controller/model/node.ts'
import {type ClusterState, emptyState} from '../../src/controller/model/state.ts'
import {DISKLESS_POOL, createStorPool, driverPoolName, findStorPool} from '../../src/controller/model/storage-pool.ts'
import {counterIds, apply, failsWith} from '../support/model.ts'

const sat = (name: string, over: Record<string, unknown> = {}): Record<string, unknown> =>
  ({name, type: 'SATELLITE', net_interfaces: [{name: 'default', address: '10.0.0.1'}], ...over})

describe('createNode', () => {
  const types: [unknown, string][] = [
    ['SATELLITE', 'SATELLITE'], ['satellite', 'SATELLITE'], ['Combined', 'COMBINED'], ['controller', 'CONTROLLER'],
    ['AUXILIARY', 'AUXILIARY'], [undefined, 'SATELLITE'], [null, 'SATELLITE'],
  ]
  for (const [given, stored] of types) {
    test(`type ${String(given)} is stored as ${stored}`, () => {
      const {node} = createNode(emptyState(), sat('n1', {type: given}), counterIds())
      assert.equal(node.type, stored)
    })
  }

  const ports: [string, string, Record<string, unknown>, number | undefined][] = [
    ['satellite, plain: 3366', 'SATELLITE', {}, 3366],
    ['combined, plain: 3366', 'COMBINED', {}, 3366],
    ['satellite, SSL: 3367', 'SATELLITE', {satellite_encryption_type: 'ssl'}, 3367],
    ['explicit port kept', 'SATELLITE', {satellite_port: 4000}, 4000],
    ['explicit port as a numeric string', 'SATELLITE', {satellite_port: '4001'}, 4001],
    ['controller: no satellite port', 'CONTROLLER', {}, undefined],
  ]
  for (const [name, type, netIf, port] of ports) {
    test(`default port: ${name}`, () => {
      const {node} = createNode(emptyState(), {name: 'n1', type, net_interfaces: [{name: 'default', address: '10.0.0.1', ...netIf}]}, counterIds())
      assert.equal(node.netIfs[0]?.port, port)
    })
  }

  test('SSL is recorded as the encryption type, PLAIN by default', () => {
    const a = createNode(emptyState(), sat('n1', {net_interfaces: [{address: '10.0.0.1', satellite_encryption_type: 'SSL'}]}), counterIds())
    const b = createNode(emptyState(), sat('n1'), counterIds())
    assert.equal(a.node.netIfs[0]?.encryption, 'SSL')
    assert.equal(b.node.netIfs[0]?.encryption, 'PLAIN')
    assert.equal(a.node.netIfs[0]?.name, 'default')
  })

  const diskless: [string, boolean][] = [['SATELLITE', true], ['COMBINED', true], ['CONTROLLER', false], ['AUXILIARY', false]]
  for (const [type, gets] of diskless) {
    test(`${type} ${gets ? 'gets' : 'does not get'} ${DISKLESS_POOL}`, () => {
      const state = emptyState()
      apply(state, createNode(state, {name: 'n1', type, net_interfaces: [{address: '10.0.0.1'}]}, counterIds()).changes)
      assert.equal(state.storPools['N1/DFLTDISKLESSSTORPOOL']?.kind, gets ? 'DISKLESS' : undefined)
      assert.equal(state.storPoolDfns['DFLTDISKLESSSTORPOOL'] !== undefined, gets)
    })
  }

  test('the diskless pool definition is created only once', () => {
    const state = emptyState()
    const ids = counterIds()
    apply(state, createNode(state, sat('n1'), ids).changes)
    const second = createNode(state, sat('n2'), ids).changes
    assert.deepEqual(second.map((c) => `${c.t}:${c.k}`), ['nodes:N2', 'storPools:N2/DFLTDISKLESSSTORPOOL'])
  })

  test('records the node under its upper-cased name with its display name and props', () => {
    const state = emptyState()
    const {node, changes} = createNode(state, sat('Node-1', {props: {'Aux/rack': '1'}}), counterIds())
    apply(state, changes)
    assert.equal(node.name, 'Node-1')
    assert.deepEqual(node.props, {'Aux/rack': '1'})
    assert.equal(findNode(state, 'node-1'), node)
  })

  test('duplicate name in any case → FAIL_EXISTS_NODE', () => {
    const state = emptyState()
    apply(state, createNode(state, sat('n1'), counterIds()).changes)
    failsWith(() => createNode(state, sat('N1'), counterIds()), Rc.FAIL_EXISTS_NODE, /Node 'N1' already exists/)
  })

  const refused: [string, unknown, bigint, RegExp?][] = [
    ['missing name', {type: 'SATELLITE', net_interfaces: [{address: '10.0.0.1'}]}, Rc.FAIL_INVLD_NODE_NAME],
    ['bad name', sat('bad_name'), Rc.FAIL_INVLD_NODE_NAME, /Invalid node name 'bad_name'/],
    ['name starting with -', sat('-n1'), Rc.FAIL_INVLD_NODE_NAME],
    ['bad type', sat('n1', {type: 'STORAGE'}), Rc.FAIL_INVLD_NODE_TYPE],
    ['numeric type', sat('n1', {type: 5}), Rc.FAIL_INVLD_NODE_TYPE],
    ['host name as address', sat('n1', {net_interfaces: [{address: 'node1.example.com'}]}), Rc.FAIL_INVLD_NET_ADDR, /Invalid IP address/],
    ['bad IPv4', sat('n1', {net_interfaces: [{address: '10.0.0.256'}]}), Rc.FAIL_INVLD_NET_ADDR],
    ['missing address', sat('n1', {net_interfaces: [{name: 'eth0'}]}), Rc.FAIL_INVLD_NET_ADDR],
    ['satellite without net interfaces', sat('n1', {net_interfaces: []}), Rc.FAIL_INVLD_NET_ADDR, /needs a net interface/],
    ['bad net interface name', sat('n1', {net_interfaces: [{name: '1x', address: '10.0.0.1'}]}), Rc.FAIL_INVLD_NET_NAME],
    ['net interface given twice (any case)', sat('n1', {net_interfaces: [{name: 'a1', address: '10.0.0.1'}, {name: 'A1', address: '10.0.0.2'}]}),
      Rc.FAIL_EXISTS_NET_IF],
    ['body not an object', [], Rc.FAIL_INVLD_REQUEST, /must be a JSON object/],
    ['net_interfaces not a list', sat('n1', {net_interfaces: {}}), Rc.FAIL_INVLD_REQUEST],
    ['bad encryption type', sat('n1', {net_interfaces: [{address: '10.0.0.1', satellite_encryption_type: 'TLS'}]}), Rc.FAIL_INVLD_REQUEST],
    ['bad props', sat('n1', {props: {'bad key': 'x'}}), Rc.FAIL_INVLD_PROP],
  ]
  for (const [name, body, code, message] of refused) {
    test(`${name} is refused`, () => void failsWith(() => createNode(emptyState(), body, counterIds()), code, message))
  }

  test('port out of range is refused with an error naming the field', () => {
    assert.throws(() => createNode(emptyState(), sat('n1', {net_interfaces: [{address: '10.0.0.1', satellite_port: 70000}]}), counterIds()),
      (e: unknown) => e instanceof ApiFailure && isError(e.code) && /satellite_port/.test(e.message))
  })

  test('IPv6 addresses are accepted', () => {
    const {node} = createNode(emptyState(), sat('n1', {net_interfaces: [{address: 'fd00::1'}]}), counterIds())
    assert.equal(node.netIfs[0]?.address, 'fd00::1')
  })

  test('a CONTROLLER node needs no net interface', () => {
    const {node, changes} = createNode(emptyState(), {name: 'ctl', type: 'CONTROLLER'}, counterIds())
    assert.deepEqual(node.netIfs, [])
    assert.equal(changes.length, 1)
  })

  test('findNode of an unknown node → FAIL_NOT_FOUND_NODE', () => {
    failsWith(() => findNode(emptyState(), 'nope'), Rc.FAIL_NOT_FOUND_NODE, /Node 'nope' not found/)
  })

  test('satelliteInterface prefers CurStltConnName, else the first', () => {
    const {node} = createNode(emptyState(), sat('n1', {net_interfaces: [{name: 'a1', address: '10.0.0.1'}, {name: 'b1', address: '10.0.0.2'}]}), counterIds())
    assert.equal(satelliteInterface(node)?.name, 'a1')
    assert.equal(satelliteInterface({...node, props: {CurStltConnName: 'b1'}})?.name, 'b1')
    assert.equal(satelliteInterface({...node, props: {CurStltConnName: 'zz'}})?.name, 'a1')
  })
})

describe('createStorPool', () => {
  function withNodes(): {state: ClusterState, ids: Ids} {
    const state = emptyState()
    const ids = counterIds()
    apply(state, createNode(state, sat('Node-1'), ids).changes)
    apply(state, createNode(state, sat('n2'), ids).changes)
    return {state, ids}
  }
  const body = (name: string, kind: string, poolName?: string, extra: Record<string, string> = {}): Record<string, unknown> =>
    ({storage_pool_name: name, provider_kind: kind, props: {...(poolName === undefined ? {} : {'StorDriver/StorPoolName': poolName}), ...extra}})

  const mapping: [string, string, Record<string, string>, string][] = [
    ['LVM', 'vg0', {'StorDriver/LvmVg': 'vg0'}, 'vg0'],
    ['LVM_THIN', 'vg0/thin', {'StorDriver/LvmVg': 'vg0', 'StorDriver/ThinPool': 'thin'}, 'vg0/thin'],
    ['LVM_THIN', 'vg0', {'StorDriver/LvmVg': 'vg0'}, 'vg0'],
    ['ZFS', 'tank', {'StorDriver/ZPool': 'tank'}, 'tank'],
    ['ZFS_THIN', 'tank/thin', {'StorDriver/ZPoolThin': 'tank/thin'}, 'tank/thin'],
    ['FILE', '/srv/pool', {'StorDriver/FileDir': '/srv/pool'}, '/srv/pool'],
    ['FILE_THIN', '/var/lib/cairn/pools/default', {'StorDriver/FileDir': '/var/lib/cairn/pools/default'}, '/var/lib/cairn/pools/default'],
  ]
  for (const [kind, generic, props, shown] of mapping) {
    test(`${kind} StorPoolName '${generic}' → ${JSON.stringify(props)}`, () => {
      const {state, ids} = withNodes()
      const {pool} = createStorPool(state, 'node-1', body('pool1', kind, generic), ids)
      assert.deepEqual(pool.props, props)
      assert.equal(driverPoolName(pool), shown)
      assert.equal(pool.kind, kind)
    })
  }

  test('kind-specific keys given directly are kept, other props too', () => {
    const {state, ids} = withNodes()
    const {pool} = createStorPool(state, 'n2', body('pool1', 'LVM', undefined, {'StorDriver/LvmVg': 'vg1', 'Aux/x': 'y'}), ids)
    assert.deepEqual(pool.props, {'StorDriver/LvmVg': 'vg1', 'Aux/x': 'y'})
  })

  test('provider_kind in any case; node stored with its display name; defaults', () => {
    const {state, ids} = withNodes()
    const {pool, changes} = createStorPool(state, 'NODE-1', body('pool1', 'file_thin', '/srv/p'), ids)
    assert.equal(pool.kind, 'FILE_THIN')
    assert.equal(pool.node, 'Node-1')
    assert.equal(pool.externalLocking, false)
    assert.equal(pool.sharedSpace, undefined)
    assert.deepEqual(changes.map((c) => `${c.t}:${c.k}`), ['storPoolDfns:POOL1', 'storPools:NODE-1/POOL1'])
  })

  test('a DISKLESS pool needs no driver property', () => {
    const {state, ids} = withNodes()
    assert.equal(createStorPool(state, 'n2', body('dless', 'DISKLESS'), ids).pool.kind, 'DISKLESS')
  })

  test('the definition is created only with the first pool of that name', () => {
    const {state, ids} = withNodes()
    apply(state, createStorPool(state, 'node-1', body('pool1', 'LVM', 'vg0'), ids).changes)
    const {changes} = createStorPool(state, 'n2', body('POOL1', 'LVM', 'vg0'), ids)
    assert.deepEqual(changes.map((c) => `${c.t}:${c.k}`), ['storPools:N2/POOL1'])
    assert.equal(findStorPool(state, 'NODE-1', 'Pool1').name, 'pool1')
  })

  test('duplicate pool on the same node (any case) → FAIL_EXISTS_STOR_POOL', () => {
    const {state, ids} = withNodes()
    apply(state, createStorPool(state, 'node-1', body('pool1', 'LVM', 'vg0'), ids).changes)
    failsWith(() => createStorPool(state, 'node-1', body('POOL1', 'LVM', 'vg0'), ids), Rc.FAIL_EXISTS_STOR_POOL)
  })

  const refused: [string, string, Record<string, unknown>, bigint, RegExp?][] = [
    ['unknown node', 'nope', body('pool1', 'LVM', 'vg0'), Rc.FAIL_NOT_FOUND_NODE, /Node 'nope' not found/],
    ['missing directory', 'n2', body('pool1', 'FILE_THIN'), Rc.FAIL_INVLD_STOR_DRIVER, /needs the property 'StorDriver\/FileDir'/],
    ['missing volume group', 'n2', body('pool1', 'LVM'), Rc.FAIL_INVLD_STOR_DRIVER, /StorDriver\/LvmVg/],
    ['missing volume group for LVM_THIN', 'n2', body('pool1', 'LVM_THIN', '/thin'), Rc.FAIL_INVLD_STOR_DRIVER],
    ['missing zpool', 'n2', body('pool1', 'ZFS'), Rc.FAIL_INVLD_STOR_DRIVER, /StorDriver\/ZPool/],
    ['relative directory', 'n2', body('pool1', 'FILE', 'pools/x'), Rc.FAIL_INVLD_STOR_DRIVER, /not an absolute directory path/],
    ['directory with ..', 'n2', body('pool1', 'FILE', '/srv/../etc'), Rc.FAIL_INVLD_STOR_DRIVER, /not an absolute directory path/],
    ['unknown provider', 'n2', body('pool1', 'CEPH', 'x'), Rc.FAIL_INVLD_PROVIDER],
    ['missing provider', 'n2', {storage_pool_name: 'pool1'}, Rc.FAIL_INVLD_PROVIDER, /'provider_kind' is required/],
    ['short name', 'n2', body('p1', 'LVM', 'vg0'), Rc.FAIL_INVLD_STOR_POOL_NAME],
    ['bad name', 'n2', body('pool/1', 'LVM', 'vg0'), Rc.FAIL_INVLD_STOR_POOL_NAME],
    ['missing name', 'n2', {provider_kind: 'LVM'}, Rc.FAIL_INVLD_STOR_POOL_NAME],
    ['body not an object', 'n2', 'x' as unknown as Record<string, unknown>, Rc.FAIL_INVLD_REQUEST],
    ['external_locking not a bool', 'n2', {...body('pool1', 'LVM', 'vg0'), external_locking: 'maybe'}, Rc.FAIL_INVLD_REQUEST],
  ]
  for (const [name, nodeName, b, code, message] of refused) {
    test(`${name} is refused`, () => {
      const {state, ids} = withNodes()
      failsWith(() => createStorPool(state, nodeName, b, ids), code, message)
    })
  }

  test('findStorPool of an unknown pool → FAIL_NOT_FOUND_STOR_POOL', () => {
    failsWith(() => findStorPool(emptyState(), 'n1', 'x'), Rc.FAIL_NOT_FOUND_STOR_POOL)
  })
})
