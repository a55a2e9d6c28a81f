import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {contractUrl, fieldsUrl, generate, generateFields, wireUrl} from '../../packaging/gen-api-types.ts'
import {wireFields} from '../../src/api/wire-fields.ts'
import {schemaNames, validateAgainst, validateListOf} from '../support/openapi.ts'

test('src/api/wire.ts is up to date with the contract (run `npm run gen:api` if not)', () => {
  const expected = generate(readFileSync(contractUrl, 'utf8'))
  assert.equal(readFileSync(wireUrl, 'utf8'), expected)
})

test('src/api/wire-fields.ts is up to date, and follows allOf and $ref', () => {
  assert.equal(readFileSync(fieldsUrl, 'utf8'), generateFields(readFileSync(contractUrl, 'utf8')))
  assert.deepEqual(wireFields.NodeModify, ['node_type', 'override_props', 'delete_props', 'delete_namespaces'])
  assert.ok(wireFields.ResourceWithVolumes?.includes('volumes') && wireFields.ResourceWithVolumes.includes('layer_object'))
})

test('wire.ts has one export per contract schema, in contract order', () => {
  const exported = [...readFileSync(wireUrl, 'utf8').matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1])
  assert.deepEqual(exported, schemaNames())
})

test('ret_code is bigint, other int64 fields are number | bigint', () => {
  const wire = readFileSync(wireUrl, 'utf8')
  assert.match(wire, /^ {2}ret_code: bigint$/m)
  assert.match(wire, /^ {2}size_kib: number \| bigint$/m)
})

test('a valid Node passes, with the upper-case type LINSTOR really sends', () => {
  assert.deepEqual(validateAgainst('Node', {name: 'n1', type: 'SATELLITE'}), [])
})

test('a Node without a name and with a numeric type reports both', () => {
  const problems = validateAgainst('Node', {type: 5})
  assert.ok(problems.some((p) => /required property 'name'/.test(p)), problems.join('\n'))
  assert.ok(problems.some((p) => /^Node\/type: must be string/.test(p)), problems.join('\n'))
})

test('an ApiCallRc with a bigint error ret_code is valid', () => {
  assert.deepEqual(validateAgainst('ApiCallRc', {ret_code: -4611686018427387604n, message: 'x'}), [])
})

test('int64 fields: Long.MAX_VALUE passes as bigint, fails as a rounded JS number', () => {
  const pool = {storage_pool_name: 'DfltDisklessStorPool', node_name: 'n1', provider_kind: 'DISKLESS'}
  assert.deepEqual(validateAgainst('StoragePool', {...pool, free_capacity: 9223372036854775807n}), [])
  assert.deepEqual(validateAgainst('StoragePool', {...pool, free_capacity: 2 ** 63}),
    ['StoragePool/free_capacity: 9223372036854776000 is not an int64'])
  assert.deepEqual(validateAgainst('StoragePool', {...pool, free_capacity: 2n ** 63n}),
    ['StoragePool/free_capacity: 9223372036854775808 is outside the int64 range'])
})

test('refs, allOf and oneOf resolve into nested objects', () => {
  const rsc = {name: 'r1', node_name: 'n1', volumes: [{volume_number: 0, layer_data_list: [{type: 'DRBD', data: {}}]}]}
  assert.deepEqual(validateAgainst('ResourceWithVolumes', rsc), [])
  assert.deepEqual(validateAgainst('ResourceWithVolumes', {...rsc, volumes: [{volume_number: 'zero'}]}),
    ['ResourceWithVolumes/volumes/0/volume_number: must be integer'])
})

test('lists are checked item by item; undefined fields count as absent', () => {
  assert.deepEqual(validateListOf('Node', [{name: 'a', type: 'SATELLITE', uuid: undefined}]), [])
  assert.deepEqual(validateListOf('Node', [{name: 'a', type: 'SATELLITE'}, {name: 'b'}]),
    ["Node[]/1: must have required property 'type'"])
})

test('an unknown schema name is a programming error', () => {
  assert.throws(() => validateAgainst('NoSuchSchema', {}), /no schema named NoSuchSchema/)
})
