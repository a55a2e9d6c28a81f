import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {Rc} from '../../src/common/api-call-rc.ts'
import {InputError} from '../../src/common/input.ts'
import {ApiFailure} from '../../src/controller/model/api-failure.ts'
import {inherited, modifyProps, readProps} from '../../src/controller/model/props.ts'
import {DFLT_RSC_GRP, createRscGrp, createVlmGrp, defaultGroupChanges, findRscGrp, vlmGrpsOf} from '../../src/controller/model/resource-group.ts'
import {type SelectFilter, mergeFilters, readSelectFilter} from '../../src/controller/model/select-filter.ts'
import {emptyState} from '../../src/controller/model/state.ts'
import {counterIds, apply, failsWith} from '../support/model.ts'

describe('readProps', () => {
  test('strings kept; numbers, booleans and bigints stringified', () => {
    assert.deepEqual(readProps({'Aux/a': 'x', 'Aux/n': 5, 'Aux/b': true, 'Aux/i': 9223372036854775807n}),
      {'Aux/a': 'x', 'Aux/n': '5', 'Aux/b': 'true', 'Aux/i': '9223372036854775807'})
  })

  test('null and undefined are an empty map', () => {
    assert.deepEqual(readProps(undefined), {})
    assert.deepEqual(readProps(null), {})
  })

  const bad: [string, unknown, RegExp][] = [
    ['a list', ['a'], /'props' must be an object of strings/],
    ['a string', 'a=b', /must be an object/],
    ['a key with a space', {'a b': 'x'}, /Invalid property key 'a b'/],
    ['a key starting with /', {'/abs': 'x'}, /Invalid property key/],
    ['a key with //', {'Aux//x': 'x'}, /Invalid property key/],
    ['a key with ..', {'Aux/../x': 'x'}, /Invalid property key/],
    ['an empty key', {'': 'x'}, /Invalid property key/],
    ['a key over 255 characters', {['A'.repeat(256)]: 'x'}, /Invalid property key/],
    ['an object value', {'Aux/x': {}}, /Property 'Aux\/x' must be a string/],
    ['a null value', {'Aux/x': null}, /must be a string/],
    ['a value over 4096 characters', {'Aux/x': 'v'.repeat(4097)}, /longer than 4096 characters/],
  ]
  for (const [name, raw, message] of bad) {
    test(`${name} → FAIL_INVLD_PROP`, () => void failsWith(() => readProps(raw), Rc.FAIL_INVLD_PROP, message))
  }

  test('the field name appears in the message', () => {
    failsWith(() => readProps(5, 'override_props'), Rc.FAIL_INVLD_PROP, /'override_props'/)
  })

  test('keys up to 255 characters and values up to 4096 are fine', () => {
    const key = 'A'.repeat(255)
    assert.equal(readProps({[key]: 'v'.repeat(4096)})[key]?.length, 4096)
  })
})

describe('modifyProps', () => {
  const current = {'Aux/a': '1', 'Aux/b': '2', 'DrbdOptions/Net/x': '3', 'DrbdOptions/y': '4', 'Other': '5'}
  const cases: [string, Parameters<typeof modifyProps>[1], Record<string, string>][] = [
    ['override adds and replaces', {override_props: {'Aux/a': 'one', 'Aux/c': 'c'}},
      {...current, 'Aux/a': 'one', 'Aux/c': 'c'}],
    ['delete_props removes keys; unknown keys are ignored', {delete_props: ['Aux/a', 'Nope']},
      {'Aux/b': '2', 'DrbdOptions/Net/x': '3', 'DrbdOptions/y': '4', 'Other': '5'}],
    ['delete_namespaces removes the namespace recursively', {delete_namespaces: ['DrbdOptions']},
      {'Aux/a': '1', 'Aux/b': '2', 'Other': '5'}],
    ['delete_namespaces with a trailing /', {delete_namespaces: ['DrbdOptions/Net/']},
      {'Aux/a': '1', 'Aux/b': '2', 'DrbdOptions/y': '4', 'Other': '5'}],
    ['a namespace does not match a key with the same prefix', {delete_namespaces: ['Oth']}, current],
    ['deletes run after overrides', {override_props: {'Aux/z': 'z'}, delete_namespaces: ['Aux']},
      {'DrbdOptions/Net/x': '3', 'DrbdOptions/y': '4', 'Other': '5'}],
    ['null lists are empty', {override_props: null, delete_props: null, delete_namespaces: null}, current],
  ]
  for (const [name, body, expected] of cases) {
    test(name, () => assert.deepEqual(modifyProps(current, body), expected))
  }

  test('the input map is not changed', () => {
    const before = {...current}
    modifyProps(current, {override_props: {'Aux/a': 'x'}, delete_props: ['Aux/b']})
    assert.deepEqual(current, before)
  })

  const bad: [string, Parameters<typeof modifyProps>[1], RegExp][] = [
    ['delete_props not a list', {delete_props: 'Aux/a'}, /'delete_props' must be a list of strings/],
    ['delete_namespaces with a number', {delete_namespaces: [1]}, /'delete_namespaces' must be a list of strings/],
    ['override_props with a bad key', {override_props: {'a b': '1'}}, /Invalid property key/],
  ]
  for (const [name, body, message] of bad) {
    test(`${name} → FAIL_INVLD_PROP`, () => void failsWith(() => modifyProps(current, body), Rc.FAIL_INVLD_PROP, message))
  }
})

describe('inherited', () => {
  const cases: [string, (Record<string, string> | undefined)[], string | undefined][] = [
    ['the lowest object wins', [{k: 'rsc'}, {k: 'rd'}, {k: 'rg'}], 'rsc'],
    ['falls through to a higher object', [{}, undefined, {k: 'rg'}], 'rg'],
    ['an empty string still counts as set', [{k: ''}, {k: 'rd'}], ''],
    ['nobody sets it', [{}, undefined], undefined],
    ['empty chain', [], undefined],
  ]
  for (const [name, chain, expected] of cases) {
    test(name, () => assert.equal(inherited('k', chain), expected))
  }
})

describe('readSelectFilter', () => {
  test('null and undefined are an empty filter', () => {
    assert.deepEqual(readSelectFilter(undefined), {})
    assert.deepEqual(readSelectFilter(null), {})
  })

  test('reads every field; absent and null fields are left out', () => {
    const f = readSelectFilter({
      place_count: '3', additional_place_count: 1, node_name_list: ['n1'], storage_pool: 'sp', storage_pool_list: ['a', 'b'],
      storage_pool_diskless_list: ['dl'], not_place_with_rsc: ['r1'], not_place_with_rsc_regex: '^pvc-', replicas_on_same: ['Aux/z'],
      replicas_on_different: ['Aux/r=1'], x_replicas_on_different_map: {'Aux/dc': '2'}, layer_stack: ['drbd', 'Storage'],
      provider_list: ['lvm_thin', 'ZFS'], diskless_on_remaining: 'true', diskless_type: 'DRBD', overprovision: 1.5,
      unknown_field: 'ignored', port_count: null,
    })
    assert.deepEqual(f, {
      place_count: 3, additional_place_count: 1, node_name_list: ['n1'], storage_pool: 'sp', storage_pool_list: ['a', 'b'],
      storage_pool_diskless_list: ['dl'], not_place_with_rsc: ['r1'], not_place_with_rsc_regex: '^pvc-', replicas_on_same: ['Aux/z'],
      replicas_on_different: ['Aux/r=1'], x_replicas_on_different_map: {'Aux/dc': 2}, layer_stack: ['DRBD', 'STORAGE'],
      provider_list: ['LVM_THIN', 'ZFS'], diskless_on_remaining: true, diskless_type: 'DRBD', overprovision: 1.5,
    })
    assert.deepEqual(Object.keys(readSelectFilter({place_count: 2, storage_pool: null})), ['place_count'])
  })

  const numeric: [unknown, number][] = [[2, 2], ['2', 2], [' 7 ', 7], [32, 32], [2n, 2]]
  for (const [raw, n] of numeric) {
    test(`place_count ${JSON.stringify(typeof raw === 'bigint' ? `${raw}n` : raw)} → ${n}`, () => {
      assert.equal(readSelectFilter({place_count: raw}).place_count, n)
    })
  }

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['bad regex', {not_place_with_rsc_regex: '(unclosed'}, /'not_place_with_rsc_regex' is not a valid regular expression/],
    ['place_count 0', {place_count: 0}, /'place_count' must be between 1 and 32/],
    ['place_count 33', {place_count: 33}, /between 1 and 32/],
    ['place_count not a number', {place_count: 'two'}, /'place_count' must be an integer/],
    ['place_count fractional', {place_count: 1.5}, /must be an integer/],
    ['unknown layer', {layer_stack: ['DRBD', 'RAID']}, /'RAID' is not a valid layer/],
    ['unknown provider', {provider_list: ['CEPH']}, /'CEPH' is not a valid provider_list/],
    ['list that is a string', {node_name_list: 'n1'}, /'node_name_list' must be a list of strings/],
    ['overprovision zero', {overprovision: 0}, /'overprovision' must be a positive number/],
    ['overprovision as a string', {overprovision: '2'}, /positive number/],
    ['x_replicas count zero', {x_replicas_on_different_map: {'Aux/dc': 0}}, /x_replicas_on_different_map\.Aux\/dc/],
    ['diskless_on_remaining not a bool', {diskless_on_remaining: 'yes'}, /'diskless_on_remaining' must be true or false/],
    ['not an object', ['x'] as unknown as Record<string, unknown>, /'select_filter' must be a JSON object/],
  ]
  for (const [name, raw, message] of bad) {
    test(`${name} is refused`, () => assert.throws(() => readSelectFilter(raw), (e: unknown) => (e instanceof InputError || e instanceof ApiFailure) && message.test(e.message)))
  }
})

test('mergeFilters: request fields win, absent ones come from the group', () => {
  const group: SelectFilter = {place_count: 2, storage_pool: 'sp', replicas_on_same: ['Aux/z']}
  assert.deepEqual(mergeFilters(group, {place_count: 3, node_name_list: ['n1']}),
    {place_count: 3, storage_pool: 'sp', replicas_on_same: ['Aux/z'], node_name_list: ['n1']})
  assert.deepEqual(mergeFilters(group, {}), group)
})

describe('createRscGrp', () => {
  test('stores name, description, props, filter and peer slots', () => {
    const {rg, changes} = createRscGrp(emptyState(), {
      name: 'Gold', description: 'fast', props: {'Aux/x': '1'}, select_filter: {place_count: '3', storage_pool: 'ssd'}, peer_slots: 4,
    }, counterIds())
    assert.deepEqual(rg, {name: 'Gold', description: 'fast', props: {'Aux/x': '1'}, selectFilter: {place_count: 3, storage_pool: 'ssd'},
      peerSlots: 4, uuid: 'uuid-1'})
    assert.deepEqual(changes, [{t: 'rscGrps', k: 'GOLD', v: rg}])
  })

  test('a minimal group has an empty filter', () => {
    const {rg} = createRscGrp(emptyState(), {name: 'rg1'}, counterIds())
    assert.deepEqual(rg.selectFilter, {})
    assert.deepEqual(rg.props, {})
  })

  test('duplicate in any case → FAIL_EXISTS_RSC_GRP', () => {
    const state = emptyState()
    apply(state, createRscGrp(state, {name: 'rg1'}, counterIds()).changes)
    failsWith(() => createRscGrp(state, {name: 'RG1'}, counterIds()), Rc.FAIL_EXISTS_RSC_GRP, /already exists/)
  })

  const refused: [string, unknown, bigint, RegExp?][] = [
    ['missing name', {}, Rc.FAIL_INVLD_RSC_GRP_NAME],
    ['bad name', {name: '1rg'}, Rc.FAIL_INVLD_RSC_GRP_NAME, /Invalid resource group name '1rg'/],
    ['bad regex in the filter', {name: 'rg1', select_filter: {not_place_with_rsc_regex: '['}}, Rc.FAIL_INVLD_REQUEST, /not a valid regular expression/],
    ['bad place_count', {name: 'rg1', select_filter: {place_count: -1}}, Rc.FAIL_INVLD_REQUEST, /place_count/],
    ['peer_slots 0', {name: 'rg1', peer_slots: 0}, Rc.FAIL_INVLD_REQUEST, /peer_slots/],
    ['peer_slots 32', {name: 'rg1', peer_slots: 32}, Rc.FAIL_INVLD_REQUEST, /peer_slots/],
    ['bad props', {name: 'rg1', props: {'x y': '1'}}, Rc.FAIL_INVLD_PROP],
    ['not an object', null, Rc.FAIL_INVLD_REQUEST],
  ]
  for (const [name, body, code, message] of refused) {
    test(`${name} is refused`, () => void failsWith(() => createRscGrp(emptyState(), body, counterIds()), code, message))
  }

  test('findRscGrp of an unknown group → FAIL_NOT_FOUND_RSC_GRP', () => {
    failsWith(() => findRscGrp(emptyState(), 'nope'), Rc.FAIL_NOT_FOUND_RSC_GRP)
  })
})

describe('DfltRscGrp and volume groups', () => {
  test('defaultGroupChanges creates DfltRscGrp with place_count 2, once', () => {
    const state = emptyState()
    const changes = defaultGroupChanges(state, counterIds())
    apply(state, changes)
    assert.deepEqual(findRscGrp(state, 'dfltrscgrp').selectFilter, {place_count: 2})
    assert.equal(findRscGrp(state, DFLT_RSC_GRP).name, 'DfltRscGrp')
    assert.deepEqual(defaultGroupChanges(state, counterIds()), [])
  })

  test('volume numbers count up from 0, or are taken as given', () => {
    const state = emptyState()
    const ids = counterIds()
    apply(state, createRscGrp(state, {name: 'rg1'}, ids).changes)
    apply(state, createVlmGrp(state, 'RG1', undefined, ids).changes)
    apply(state, createVlmGrp(state, 'rg1', {volume_number: 5}, ids).changes)
    apply(state, createVlmGrp(state, 'rg1', {}, ids).changes)
    assert.deepEqual(vlmGrpsOf(state, 'rg1').map((v) => v.vlmNr), [0, 5, 6])
    assert.equal(vlmGrpsOf(state, 'rg1')[0]?.rscGrp, 'rg1')
  })

  test('duplicate volume number → FAIL_EXISTS_VLM_GRP; unknown group → FAIL_NOT_FOUND_RSC_GRP', () => {
    const state = emptyState()
    const ids = counterIds()
    apply(state, createRscGrp(state, {name: 'rg1'}, ids).changes)
    apply(state, createVlmGrp(state, 'rg1', {volume_number: 0}, ids).changes)
    failsWith(() => createVlmGrp(state, 'rg1', {volume_number: 0}, ids), Rc.FAIL_EXISTS_VLM_GRP)
    failsWith(() => createVlmGrp(state, 'nope', {}, ids), Rc.FAIL_NOT_FOUND_RSC_GRP)
    failsWith(() => createVlmGrp(state, 'rg1', {volume_number: 32000}, ids), Rc.FAIL_INVLD_REQUEST)
  })
})
