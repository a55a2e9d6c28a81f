// Deterministic generators of bad REST requests, for test/integration/bad-input.test.ts.
//
// Every request is built from a template (method, path, a body that is close to valid) plus at
// least one mutation that is bad on its own: a bad name, a wrongly typed or out-of-range field,
// an unknown reference, a refused operation. Because each mutation is bad by itself, any mix of
// them is bad too, so the random part can combine them freely. Templates whose base body is valid
// are never sent without a mutation. Requests that only a lenient server would accept carry
// their own tag (`unknown-field`, `layer-order-filter`, `null-modify`, ...) and are never mixed
// into combinations, so that the test can list them as known problems one by one.

/** A JSON literal written verbatim: numbers JSON.stringify cannot produce (1e400, 2^63). */
export class Raw {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

// JSON.rawJSON (Node >= 21) emits the text verbatim; TypeScript's lib does not know it yet.
const rawJSON = (JSON as unknown as {rawJSON(text: string): unknown}).rawJSON

/** JSON text of a body that may hold Raw literals and bigints. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Raw ? rawJSON(v.text) : typeof v === 'bigint' ? rawJSON(v.toString()) : v))
}

export interface BadRequest {
  id: number
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Sent verbatim (already percent-encoded where needed). */
  path: string
  body?: string | Buffer
  headers?: Record<string, string>
  /** Categories; known-problem tags let the test set single cases aside as todo. */
  tags: string[]
  note: string
  /** A DELETE of something that does not exist may answer 200 with a warning. */
  mayBeGone?: boolean
  /** The path deliberately leaves every route: 404 "No such endpoint" is fine. */
  mayMissRoute?: boolean
}

/** The objects the test created before the storm; the generators refer to them by name. */
export interface Baseline {
  /** The combined node. */
  node: string
  /** Resource group with place_count 1, STORAGE only, holding `vol`. */
  rg: string
  /** Spawned from `rg`: one deployed 4096 KiB volume. */
  vol: string
  volSize: number
  /** Resource group with volume group 0, holding `def`. */
  rg2: string
  /** Definition in `rg2` with volume definition 0 (4096 KiB), not deployed. */
  def: string
  /** Storage pool definition without pools. */
  spd: string
  /** Key-value store instance with one property. */
  kvs: string
  /** The DRBD ports and minors in use (by `vol` and `def`). */
  ports: number[]
  minors: number[]
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32): the same seed gives the same requests.

export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ---------------------------------------------------------------------------------------------
// Values.

type Json = unknown
interface V {value: Json, note: string}

const short = (v: Json): string => {
  if (v instanceof Raw) return v.text.length > 40 ? `${v.text.slice(0, 37)}...` : v.text
  let s: string
  try {
    s = toJson(v) ?? String(v)
  } catch {
    s = String(v)
  }
  return s.length > 40 ? `${s.slice(0, 30)}...(${s.length} chars)` : s
}
const vals = (...xs: Json[]): V[] => xs.map((value) => ({value, note: short(value)}))
const long = (n: number, c = 'x'): string => c.repeat(n)

/** Non-string values for a required string field (a name). null counts: a name is required. */
const NOT_STRINGS = vals(null, 5, 0, -1, true, false, [], ['abc'], {}, {name: 'abc'}, 1.5, new Raw('1e400'))
/** Wrong types for an optional string field (null would mean "not given", which is fine). */
const WRONG_STRINGS = vals(5, true, [], ['abc'], {}, 1.5, long(5000))

/** Resource and resource group names: 2–48 ASCII letters, digits, _ and -, starting with a letter or _. */
const BAD_RSC_NAMES = vals('', 'a', '1abc', '9', '12345', '-abc', '__', '_1', long(49), long(255), long(10000),
  '..', '../x', '../../etc/passwd', 'a/b', '/abs', 'a\\b', 'a b', ' abc', 'abc ', 'a\tb', 'a\nb', 'ñame', 'naïve', 'ａｂｃ',
  'disk💾', '💾💾', 'a\u0000b', 'ab\u200b', 'a.b', 'a;b', 'a:b', 'a%2Fb', '<x>', "a'b", 'a"b', 'a*', 'a?b', 'a#b')
/** Storage pool names: as resource names, but at least 3 characters. */
const BAD_SP_NAMES = [...BAD_RSC_NAMES, ...vals('ab', 'x_')]
/** Net interface names: as resource names, at most 20 characters. */
const BAD_NETIF_NAMES = [...BAD_RSC_NAMES, ...vals(long(21))]
/** Key-value store names may contain / and . inside, but not start with them. */
const BAD_KVS_NAMES = BAD_RSC_NAMES.filter((v) => !['a/b', 'a.b', 'a%2Fb'].includes(v.value as string))
/** Node names are host names (RFC 1123): letters, digits, '-' and '.', labels of at most 63. */
const BAD_NODE_NAMES = vals('', 'a', '-abc', 'abc-', '.abc', 'a_b', '_ab', 'a b', 'ñame', 'disk💾', 'a\u0000b', '..', '../x', 'a/b',
  'a:b', 'a@b', '*', long(64), `${long(60)}.`.repeat(5) + 'x', long(10000), 'ab\u200b')

const BAD_SIZES = vals(0, -1, -4096, 1.5, 4096.5, '10G', '4096KiB', '4 MiB', '', ' ', 'NaN', 'Infinity', '-1', '0x1000', '1e3', '1.5',
  true, false, [], [4096], {}, {size_kib: 4096}, new Raw('1e400'), new Raw('-1e400'), new Raw('9223372036854775807'),
  new Raw('9223372036854775808'), new Raw('-9223372036854775808'), new Raw('18446744073709551616'), 2 ** 53, 2 ** 50 + 1, 1e20)
/** Wrong types for an integer field (any range). */
const WRONG_INTS = vals(1.5, 'two', '', '1.0', '0x1', 'NaN', true, false, [], [1], {}, new Raw('1e400'), new Raw('9223372036854775808'))
const BAD_BOOLS = vals('maybe', 'yes', 'no', '1', '0', 1, 0, [], {}, [true], 'true ')
const BAD_PROPS = vals('x', 5, true, [], ['a'], [['a', 'b']], {'': 'v'}, {'../x': 'v'}, {'Aux/../x': 'v'}, {'a//b': 'v'}, {'/abs': 'v'},
  {' a': 'v'}, {'a b': 'v'}, {'-x': 'v'}, {'.x': 'v'}, {'ñ': 'v'}, {'k💾': 'v'}, {'a\u0000b': 'v'}, {[long(300)]: 'v'},
  {'Aux/k': {}}, {'Aux/k': []}, {'Aux/k': ['v']}, {'Aux/k': null}, {'Aux/k': {v: 'v'}}, {'Aux/k': long(5000)})
const BAD_STRING_LISTS = vals('x', 5, true, {}, [1], [null], [{}], [['a']], [true])
/** Layer stacks no reader accepts: unknown kinds, wrong types. */
const BAD_LAYER_ENUMS = vals(['FOO'], ['drbd', 'FOO'], ['STORAGE ', 'x'], [5], [null], [['STORAGE']], [{}], ['STORAGEX'])
/** Layer stacks that are not lists at all. */
const LAYER_NOT_LISTS = vals('STORAGE', 5, {}, true)
/** Known kinds in an impossible order (STORAGE must come last, once). */
const BAD_LAYER_ORDER = vals(['DRBD'], ['STORAGE', 'DRBD'], ['LUKS'], ['STORAGE', 'STORAGE'], ['DRBD', 'DRBD', 'STORAGE'])
const BAD_PROVIDERS = vals('LVMX', 'lvm thin', 'LVM_THINX', '', 'file ', 5, true, [], {}, ['FILE'])
const BAD_PROVIDER_LISTS = vals(['LVMX'], 'FILE', [5], [null], ['FILE', 'NOPE'])
const BAD_NODE_TYPES = vals('robot', '', 'SATELLITE ', 'satelite', 'CONTROLLERX', 5, true, [], {}, ['SATELLITE'])
const BAD_ADDRESSES = vals('', 'not-an-ip', 'localhost', '999.1.1.1', '127.0.0.1/8', '127.0.0.1:3366', '::g', '1.2.3', ' 127.0.0.1',
  5, true, [], {}, ['127.0.0.1'])
const BAD_SAT_PORTS = [...vals(0, -1, 65536, 70000), ...WRONG_INTS]
const BAD_ENCRYPTION = vals('TLS', 'FOO', '', 'ssl ', 5, true, [], {})
const BAD_REGEX = vals('(', '[', 'a{2,1}', '*', '(?<', 5, [])

/** Names for path parameters: unknown, traversal, unicode, control characters, oversized. */
export const PATH_NAMES: string[] = ['nosuch', 'NoSuchThing42', 'zz', '..', '.', '../x', '../../etc/passwd', '..\\x', 'a/b', 'a/../b',
  '%2e%2e', 'a b', 'ñame', 'disk💾', 'a\u0000b', 'a\nb', long(49), long(300), long(5000), 'x?y=1', 'x#y', ';', '*', '~']

/** Percent-encodes a path segment completely, dots included (so '..' stays a name, not a step). */
export const seg = (s: string): string => encodeURIComponent(s).replace(/\./g, '%2E').replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

// ---------------------------------------------------------------------------------------------
// Mutations.

interface Mutation {tags: string[], note: string, apply: (body: Json) => Json, alone?: boolean}

function clone(v: Json): Json {
  if (Array.isArray(v)) return v.map(clone)
  if (v !== null && typeof v === 'object' && !(v instanceof Raw)) {
    return Object.fromEntries(Object.entries(v as Record<string, Json>).map(([k, x]) => [k, clone(x)]))
  }
  return v
}

/** Sets body[path] = value, creating (or replacing non-container) parents on the way. */
function setIn(body: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return clone(value)
  const [head, ...rest] = path as [string | number, ...(string | number)[]]
  const container: Record<string | number, Json> = typeof head === 'number'
    ? (Array.isArray(body) ? [...body] : []) as unknown as Record<number, Json>
    : (body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof Raw) ? {...body as Record<string, Json>} : {})
  container[head] = setIn(container[head], rest, value)
  return container
}

const at = (path: (string | number)[], values: V[], tags: string[], opts: {alone?: boolean} = {}): Mutation[] =>
  values.map((v) => ({tags, note: `${path.join('.')}=${v.note}`, apply: (b: Json) => setIn(b, path, v.value), alone: opts.alone}))
const whole = (values: V[], tags: string[], opts: {alone?: boolean} = {}): Mutation[] =>
  values.map((v) => ({tags, note: `body=${v.note}`, apply: () => clone(v.value), alone: opts.alone}))
const one = (note: string, tags: string[], apply: (b: Json) => Json, opts: {alone?: boolean} = {}): Mutation =>
  ({tags, note, apply, alone: opts.alone})

/** Bodies of the wrong JSON type for an endpoint that wants an object. */
const NOT_OBJECTS = vals([], 5, -1, 'x', '{}', true, false, [{}], [[]], new Raw('1e400'))

/** The `*Modify` property part, all bad. */
const propsModify = (): Mutation[] => [
  ...at(['override_props'], BAD_PROPS, ['bad-props']),
  ...at(['delete_props'], BAD_STRING_LISTS, ['wrong-type']),
  ...at(['delete_namespaces'], BAD_STRING_LISTS, ['wrong-type']),
]

/** Bad select_filter fields: each is refused by the filter reader whatever the rest is. */
const selectFilter = (p: (string | number)[]): Mutation[] => [
  ...at(p, vals('x', 5, [], true, ['place_count']), ['wrong-type']),
  ...at([...p, 'place_count'], [...vals(0, -1, 33, 1000), ...WRONG_INTS], ['bad-int']),
  ...at([...p, 'additional_place_count'], [...vals(0, -1, 33), ...WRONG_INTS.slice(0, 6)], ['bad-int']),
  ...at([...p, 'node_name_list'], BAD_STRING_LISTS, ['wrong-type']),
  ...at([...p, 'storage_pool'], WRONG_STRINGS.slice(0, 6), ['wrong-type']),
  ...at([...p, 'storage_pool_list'], BAD_STRING_LISTS, ['wrong-type']),
  ...at([...p, 'storage_pool_diskless_list'], BAD_STRING_LISTS.slice(0, 4), ['wrong-type']),
  ...at([...p, 'not_place_with_rsc'], BAD_STRING_LISTS.slice(0, 4), ['wrong-type']),
  ...at([...p, 'not_place_with_rsc_regex'], BAD_REGEX, ['bad-regex']),
  ...at([...p, 'replicas_on_same'], BAD_STRING_LISTS.slice(0, 4), ['wrong-type']),
  ...at([...p, 'replicas_on_different'], BAD_STRING_LISTS.slice(0, 4), ['wrong-type']),
  ...at([...p, 'x_replicas_on_different_map'], vals('x', [], 5, {zone: 0}, {zone: 'two'}, {zone: -1}, {zone: 256}, {zone: {}}), ['wrong-type']),
  ...at([...p, 'layer_stack'], [...BAD_LAYER_ENUMS, ...LAYER_NOT_LISTS], ['bad-enum']),
  ...at([...p, 'provider_list'], BAD_PROVIDER_LISTS, ['bad-enum']),
  ...at([...p, 'diskless_on_remaining'], BAD_BOOLS, ['wrong-type']),
  ...at([...p, 'diskless_type'], WRONG_STRINGS.slice(0, 5), ['wrong-type']),
  ...at([...p, 'overprovision'], vals(0, -1, -0.5, 'x', '2', true, [], {}), ['wrong-type']),
]

// ---------------------------------------------------------------------------------------------
// Templates.

interface Template {
  method: BadRequest['method']
  path: string
  /** A body close to valid; only sent together with a mutation unless baseIsBad. */
  base?: () => Json
  /** The base body alone is already refused (a duplicate, a refused delete...). */
  baseIsBad?: {tags: string[], note: string}
  mutations: Mutation[]
  mayBeGone?: boolean
  /** For malformed bodies: does an empty/whitespace body count as bad here? (creates: yes) */
  create?: boolean
}

function templates(b: Baseline, fresh: () => string): Template[] {
  const n = seg(b.node)
  const node = b.node
  const t: Template[] = []
  const unknownField = (extra: string[] = []): Mutation[] => [
    one('bogus_field=1', ['unknown-field'], (x) => setIn(x, ['bogus_field'], 1), {alone: true}),
    one('nOdE_TyPe_typo=1', ['unknown-field'], (x) => setIn(x, ['nOdE_TyPe_typo'], 1), {alone: true}),
    ...extra.map((p) => one(`${p}.bogus=1`, ['unknown-field'], (x) => setIn(x, [p, 'bogus'], 1), {alone: true})),
  ]
  const nullModify = one('body=null', ['null-modify'], () => null, {alone: true})

  // Nodes.
  const nodeBase = (): Json => ({name: fresh(), type: 'satellite',
    net_interfaces: [{name: 'default', address: '127.0.0.1', satellite_port: 1, satellite_encryption_type: 'plain'}]})
  t.push({method: 'POST', path: '/v1/nodes', base: nodeBase, create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['name'], [...BAD_NODE_NAMES, ...NOT_STRINGS], ['bad-name']),
    ...at(['name'], vals(node, node.toUpperCase(), node.toLowerCase()), ['duplicate']),
    ...at(['type'], BAD_NODE_TYPES, ['bad-enum']),
    ...at(['net_interfaces'], vals('x', 5, {}, [5], ['x'], [null], [[]], []), ['wrong-type']),
    ...at(['net_interfaces', 0, 'address'], [...BAD_ADDRESSES, ...vals(null)], ['bad-address']),
    ...at(['net_interfaces', 0, 'satellite_port'], BAD_SAT_PORTS, ['bad-int']),
    ...at(['net_interfaces', 0, 'satellite_encryption_type'], BAD_ENCRYPTION, ['bad-enum']),
    ...at(['net_interfaces', 0, 'name'], BAD_NETIF_NAMES, ['bad-name']),
    ...at(['net_interfaces', 0, 'is_active'], BAD_BOOLS, ['wrong-type']),
    ...at(['net_interfaces', 1], vals({name: 'default', address: '127.0.0.2'}, {name: 'DEFAULT', address: '127.0.0.2'}), ['duplicate']),
    ...at(['props'], BAD_PROPS, ['bad-props']),
  ]})
  t.push({method: 'PUT', path: `/v1/nodes/${n}`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']), nullModify,
    ...at(['node_type'], [...BAD_NODE_TYPES, ...vals('controller', 'AUXILIARY')], ['bad-enum']),
    ...propsModify(), ...unknownField(),
  ]})
  t.push({method: 'DELETE', path: `/v1/nodes/${n}`, baseIsBad: {tags: ['refused'], note: 'node with resources'}, mutations: []})
  t.push({method: 'DELETE', path: `/v1/nodes/${seg(node.toUpperCase())}`, baseIsBad: {tags: ['refused'], note: 'node with resources (upper case)'}, mutations: []})

  // Net interfaces.
  t.push({method: 'POST', path: `/v1/nodes/${n}/net-interfaces`, base: () => ({name: `if${fresh().slice(-6)}`, address: '127.0.0.2'}), create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['name'], [...BAD_NETIF_NAMES, ...NOT_STRINGS.slice(1)], ['bad-name']),
    ...at(['name'], vals('default', 'DEFAULT'), ['duplicate']),
    ...at(['address'], [...BAD_ADDRESSES, ...vals(null)], ['bad-address']),
    ...at(['satellite_port'], BAD_SAT_PORTS, ['bad-int']),
    ...at(['satellite_encryption_type'], BAD_ENCRYPTION, ['bad-enum']),
    ...at(['is_active'], BAD_BOOLS, ['wrong-type']),
  ]})
  t.push({method: 'PUT', path: `/v1/nodes/${n}/net-interfaces/default`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']),
    ...at(['address'], BAD_ADDRESSES, ['bad-address']),
    ...at(['satellite_port'], BAD_SAT_PORTS, ['bad-int']),
    ...at(['satellite_encryption_type'], BAD_ENCRYPTION, ['bad-enum']),
    ...at(['is_active'], BAD_BOOLS, ['wrong-type']),
  ]})
  t.push({method: 'DELETE', path: `/v1/nodes/${n}/net-interfaces/default`, baseIsBad: {tags: ['refused'], note: 'the only net interface'}, mutations: []})

  // Storage pools.
  const spBase = (): Json => ({storage_pool_name: `sp${fresh()}`, provider_kind: 'FILE_THIN',
    props: {'StorDriver/StorPoolName': '/tmp/cairn-bad-input-never-created'}})
  t.push({method: 'POST', path: `/v1/nodes/${n}/storage-pools`, base: spBase, create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['storage_pool_name'], [...BAD_SP_NAMES, ...NOT_STRINGS], ['bad-name']),
    ...at(['storage_pool_name'], vals('DfltStorPool', 'dfltstorpool', 'DfltDisklessStorPool'), ['duplicate']),
    ...at(['provider_kind'], [...BAD_PROVIDERS, ...vals(null)], ['bad-enum']),
    ...at(['props'], [...BAD_PROPS, ...vals({}, null)], ['bad-props']),
    ...at(['props', 'StorDriver/StorPoolName'], vals('', 'relative/dir', '../x', '/a/../b', '/tmp/../etc', 5, {}, []), ['bad-path']),
    ...at(['shared_space'], WRONG_STRINGS.slice(0, 5), ['wrong-type']),
    ...at(['external_locking'], BAD_BOOLS, ['wrong-type']),
  ]})
  for (const sp of ['DfltStorPool', 'DfltDisklessStorPool']) {
    t.push({method: 'PUT', path: `/v1/nodes/${n}/storage-pools/${sp}`, base: () => ({}), mutations: [
      ...whole(NOT_OBJECTS, ['wrong-type']), ...propsModify(),
      ...(sp === 'DfltStorPool' ? [
        ...at(['override_props'], vals({'StorDriver/FileDir': '/elsewhere'}, {'StorDriver/StorPoolName': '/elsewhere'}), ['refused']),
        ...at(['delete_props'], vals(['StorDriver/FileDir']), ['refused']),
        ...at(['delete_namespaces'], vals(['StorDriver']), ['refused']),
      ] : []),
    ]})
  }
  t.push({method: 'PUT', path: `/v1/nodes/${n}/storage-pools/DfltStorPool`, base: () => ({}), mutations: [...unknownField(), nullModify]})
  t.push({method: 'DELETE', path: `/v1/nodes/${n}/storage-pools/DfltStorPool`, baseIsBad: {tags: ['refused'], note: 'pool in use'}, mutations: []})
  t.push({method: 'DELETE', path: `/v1/nodes/${n}/storage-pools/dfltstorpool`, baseIsBad: {tags: ['refused'], note: 'pool in use (lower case)'}, mutations: []})

  // Storage pool definitions.
  t.push({method: 'POST', path: '/v1/storage-pool-definitions', base: () => ({storage_pool_name: `sp${fresh()}`}), create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['storage_pool_name'], [...BAD_SP_NAMES, ...NOT_STRINGS], ['bad-name']),
    ...at(['storage_pool_name'], vals('DfltStorPool', b.spd, b.spd.toUpperCase(), 'DfltDisklessStorPool'), ['duplicate']),
    ...at(['props'], BAD_PROPS, ['bad-props']),
  ]})
  t.push({method: 'PUT', path: `/v1/storage-pool-definitions/${seg(b.spd)}`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']), ...propsModify(), ...unknownField(), nullModify,
  ]})
  for (const sp of ['DfltStorPool', 'DfltDisklessStorPool']) {
    t.push({method: 'DELETE', path: `/v1/storage-pool-definitions/${sp}`, baseIsBad: {tags: ['refused'], note: 'definition with pools'}, mutations: []})
  }

  // Resource groups.
  t.push({method: 'POST', path: '/v1/resource-groups', base: () => ({name: `rg${fresh()}`, select_filter: {place_count: 1}}), create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['name'], [...BAD_RSC_NAMES, ...NOT_STRINGS], ['bad-name']),
    ...at(['name'], vals(b.rg, b.rg.toUpperCase(), b.rg2, 'DfltRscGrp', 'dfltrscgrp'), ['duplicate']),
    ...at(['description'], WRONG_STRINGS, ['wrong-type']),
    ...at(['props'], BAD_PROPS, ['bad-props']),
    ...at(['peer_slots'], [...vals(0, -1, 32, 100), ...WRONG_INTS], ['bad-int']),
    ...selectFilter(['select_filter']),
    ...at(['select_filter', 'layer_stack'], BAD_LAYER_ORDER, ['layer-order-filter'], {alone: true}),
  ]})
  t.push({method: 'PUT', path: `/v1/resource-groups/${seg(b.rg)}`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']),
    ...at(['description'], WRONG_STRINGS, ['wrong-type']),
    ...at(['peer_slots'], [...vals(0, -1, 32, 100), ...WRONG_INTS], ['bad-int']),
    ...propsModify(), ...selectFilter(['select_filter']),
  ]})
  t.push({method: 'PUT', path: `/v1/resource-groups/${seg(b.rg2)}`, base: () => ({}), mutations: [
    ...unknownField(['select_filter']), nullModify,
    ...at(['select_filter', 'layer_stack'], BAD_LAYER_ORDER, ['layer-order-filter'], {alone: true}),
  ]})
  for (const rg of [b.rg, b.rg.toUpperCase(), b.rg2, 'DfltRscGrp', 'dfltrscgrp', 'DFLTRSCGRP']) {
    t.push({method: 'DELETE', path: `/v1/resource-groups/${seg(rg)}`, baseIsBad: {tags: ['refused'], note: `delete ${rg}`}, mutations: []})
  }

  // Volume groups.
  t.push({method: 'POST', path: `/v1/resource-groups/${seg(b.rg2)}/volume-groups`, base: () => ({volume_number: 0}),
    baseIsBad: {tags: ['duplicate'], note: 'volume group 0 exists'}, mutations: [
      ...whole(NOT_OBJECTS, ['wrong-type']),
      ...at(['volume_number'], [...vals(-1, 32000, 65536, '0 0'), ...WRONG_INTS], ['bad-int']),
      ...at(['props'], BAD_PROPS, ['bad-props']),
      ...at(['flags'], vals('x', 5), ['wrong-type']),
    ]})
  t.push({method: 'PUT', path: `/v1/resource-groups/${seg(b.rg2)}/volume-groups/0`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']),
    ...at(['flags'], vals(['BOGUS'], ['-NOPE'], 'GROSS_SIZE', [5], [null], {}), ['bad-enum']),
    ...propsModify(), ...unknownField(), nullModify,
  ]})

  // Spawn.
  const spawnBase = (): Json => ({resource_definition_name: `rd${fresh()}`, volume_sizes: [4096]})
  t.push({method: 'POST', path: `/v1/resource-groups/${seg(b.rg)}/spawn`, base: spawnBase, create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['resource_definition_name'], [...BAD_RSC_NAMES, ...NOT_STRINGS], ['bad-name']),
    ...at(['resource_definition_name'], vals(b.vol, b.vol.toUpperCase(), b.def), ['duplicate']),
    ...at(['volume_sizes'], vals('x', 4096, {}, true, '4096', [null], [[4096]]), ['wrong-type']),
    ...at(['volume_sizes', 0], BAD_SIZES, ['bad-size']),
    ...at(['volume_sizes', 1], BAD_SIZES.slice(0, 10), ['bad-size']),
    ...at(['select_filter', 'place_count'], vals(2, 3, 32), ['not-enough-nodes']),
    ...at(['select_filter', 'node_name_list'], vals(['nosuch'], ['../x'], [b.node + 'x']), ['unknown-ref']),
    ...at(['select_filter', 'storage_pool'], vals('nosuch', '../x', 'DfltDisklessStorPool'), ['unknown-ref']),
    ...at(['select_filter', 'storage_pool_list'], vals(['nosuch'], ['..']), ['unknown-ref']),
    ...at(['select_filter', 'provider_list'], vals(['LVM'], ['ZFS_THIN']), ['unknown-ref']),
    ...at(['select_filter', 'layer_stack'], [...BAD_LAYER_ENUMS, ...vals(['DRBD'], ['STORAGE', 'DRBD'])], ['bad-enum']),
    ...selectFilter(['select_filter']).filter((m) => !m.note.startsWith('select_filter.layer_stack')),
    ...at(['partial'], BAD_BOOLS, ['wrong-type']),
    ...at(['definitions_only'], BAD_BOOLS, ['wrong-type']),
    ...at(['resource_definition_props'], BAD_PROPS, ['bad-props']),
    ...at(['peer_slots'], [...vals(0, -1, 32), ...WRONG_INTS.slice(0, 5)], ['bad-int']),
    ...at(['resource_definition_external_name'], vals(5, [], {}, true, long(300)), ['wrong-type']),
  ]})
  t.push({method: 'POST', path: `/v1/resource-groups/${seg(b.rg2)}/spawn`, base: () => ({resource_definition_name: `rd${fresh()}`, volume_sizes: [4096, 4096]}),
    baseIsBad: {tags: ['bad-size'], note: 'two sizes for one volume group'}, create: true, mutations: [
      ...at(['volume_sizes'], vals([4096, 4096, 4096], [4096, 0]), ['bad-size']),
      ...at(['volume_sizes', 0], BAD_SIZES.slice(0, 12), ['bad-size']),
    ]})

  // Resource definitions.
  const rdBase = (): Json => ({resource_definition: {name: `rd${fresh()}`, resource_group_name: b.rg2}})
  t.push({method: 'POST', path: '/v1/resource-definitions', base: rdBase, create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['resource_definition'], vals('x', 5, [], true, null, {}), ['wrong-type']),
    ...at(['resource_definition', 'name'], [...BAD_RSC_NAMES, ...NOT_STRINGS], ['bad-name']),
    ...at(['resource_definition', 'name'], vals(b.vol, b.vol.toUpperCase(), b.def, b.def.toLowerCase()), ['duplicate']),
    ...at(['resource_definition', 'resource_group_name'], vals('nosuch', '../x', 'a/b', long(49), 'ñame'), ['unknown-ref']),
    ...at(['resource_definition', 'resource_group_name'], WRONG_STRINGS.slice(0, 6), ['wrong-type']),
    ...at(['resource_definition', 'props'], BAD_PROPS, ['bad-props']),
    ...at(['resource_definition', 'external_name'], vals(5, [], {}, true, long(300)), ['wrong-type']),
    ...at(['drbd_port'], [...vals(0, -1, 1, 6999, 8000, 65536, ...b.ports), ...WRONG_INTS], ['bad-int']),
    ...at(['drbd_secret'], vals(5, [], {}, long(65)), ['wrong-type']),
    ...at(['drbd_peer_slots'], [...vals(0, -1, 32), ...WRONG_INTS.slice(0, 6)], ['bad-int']),
    ...at(['drbd_transport_type'], vals(5, [], {}, true), ['wrong-type']),
    ...at(['layer_stack'], [...BAD_LAYER_ENUMS, ...vals([], ['DRBD'], ['STORAGE', 'DRBD'], ['LUKS'])], ['bad-enum']),
    ...at(['layer_stack'], LAYER_NOT_LISTS, ['layer-not-list'], {alone: true}),
    ...at(['layer_stack'], vals(['STORAGE', 'STORAGE'], ['DRBD', 'DRBD', 'STORAGE']), ['layer-duplicate'], {alone: true}),
  ]})
  t.push({method: 'PUT', path: `/v1/resource-definitions/${seg(b.vol)}`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']),
    ...at(['layer_stack'], vals(['STORAGE'], ['DRBD', 'STORAGE']), ['refused']),
    ...at(['layer_stack'], [...BAD_LAYER_ENUMS, ...vals([], ['DRBD'])], ['bad-enum']),
    ...at(['resource_group'], vals('nosuch', '../x', long(49)), ['unknown-ref']),
    ...at(['resource_group'], WRONG_STRINGS.slice(0, 5), ['wrong-type']),
    ...at(['drbd_port'], [...vals(0, -1, 65536, ...b.ports.slice(1)), ...WRONG_INTS.slice(0, 6)], ['bad-int']),
    ...at(['drbd_peer_slots'], [...vals(0, 32, -1), ...WRONG_INTS.slice(0, 6)], ['bad-int']),
    ...propsModify(),
  ]})
  t.push({method: 'PUT', path: `/v1/resource-definitions/${seg(b.def)}`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']),
    ...at(['layer_stack'], [...BAD_LAYER_ENUMS, ...vals([], ['DRBD'], ['STORAGE', 'DRBD'])], ['bad-enum']),
    ...at(['layer_stack'], LAYER_NOT_LISTS, ['layer-not-list'], {alone: true}),
    ...at(['resource_group'], vals('nosuch'), ['unknown-ref']),
    ...at(['drbd_port'], vals(0, -1, 65536, b.ports[0] ?? 7000, 'x'), ['bad-int']),
    ...propsModify(), ...unknownField(), nullModify,
  ]})

  // Volume definitions.
  t.push({method: 'POST', path: `/v1/resource-definitions/${seg(b.vol)}/volume-definitions`, base: () => ({volume_definition: {size_kib: 4096, volume_number: 0}}),
    baseIsBad: {tags: ['duplicate'], note: 'volume definition 0 exists'}, create: true, mutations: [
      ...whole([...NOT_OBJECTS, ...vals(null)], ['wrong-type']),
      ...at(['volume_definition'], vals('x', 5, [], true), ['wrong-type']),
      ...at(['volume_definition', 'size_kib'], [...BAD_SIZES, ...vals(null)], ['bad-size']),
      ...at(['volume_definition', 'volume_number'], [...vals(-1, 32000), ...WRONG_INTS], ['bad-int']),
      ...at(['drbd_minor_number'], [...vals(-1, 0, 999, 50000, 1048576), ...WRONG_INTS.slice(0, 6)], ['bad-int']),
    ]})
  t.push({method: 'POST', path: `/v1/resource-definitions/${seg(b.def)}/volume-definitions`, base: () => ({volume_definition: {size_kib: 4096}}), create: true, mutations: [
    ...whole([...NOT_OBJECTS, ...vals(null, {})], ['wrong-type']),
    ...at(['volume_definition', 'size_kib'], [...BAD_SIZES, ...vals(null)], ['bad-size']),
    ...at(['volume_definition', 'volume_number'], [...vals(-1, 32000, 0), ...WRONG_INTS.slice(0, 8)], ['bad-int']),
    ...at(['volume_definition', 'props'], BAD_PROPS.slice(0, 12), ['bad-props']),
    ...at(['drbd_minor_number'], [...vals(-1, 0, 999, 50000, ...b.minors), ...WRONG_INTS.slice(0, 6)], ['bad-int']),
  ]})
  t.push({method: 'PUT', path: `/v1/resource-definitions/${seg(b.vol)}/volume-definitions/0`, base: () => ({size_kib: 2048}),
    baseIsBad: {tags: ['shrink'], note: 'shrink a deployed volume'}, mutations: [
      ...at(['size_kib'], vals(1, 1024, b.volSize - 1, String(b.volSize - 8)), ['shrink']),
      ...at(['size_kib'], BAD_SIZES, ['bad-size']),
      ...whole(NOT_OBJECTS, ['wrong-type']),
      ...propsModify(),
    ]})
  t.push({method: 'PUT', path: `/v1/resource-definitions/${seg(b.def)}/volume-definitions/0`, base: () => ({}), mutations: [
    ...at(['size_kib'], BAD_SIZES, ['bad-size']), ...whole(NOT_OBJECTS, ['wrong-type']), ...propsModify(), ...unknownField(), nullModify,
  ]})

  // Autoplace.
  for (const rd of [b.vol, b.def]) {
    t.push({method: 'POST', path: `/v1/resource-definitions/${seg(rd)}/autoplace`, base: () => ({}), mutations: [
      ...whole(NOT_OBJECTS, ['wrong-type']),
      ...at(['select_filter', 'place_count'], vals(2, 5), ['not-enough-nodes']),
      ...(rd === b.def ? [
        ...at(['select_filter', 'node_name_list'], vals(['nosuch'], ['../x']), ['unknown-ref']),
        ...at(['select_filter', 'storage_pool'], vals('nosuch', 'DfltDisklessStorPool'), ['unknown-ref']),
        ...at(['select_filter', 'provider_list'], vals(['LVM']), ['unknown-ref']),
      ] : []),
      ...selectFilter(['select_filter']),
      ...at(['layer_list'], [...BAD_LAYER_ENUMS, ...LAYER_NOT_LISTS], ['bad-enum']),
      ...(rd === b.def ? at(['layer_list'], BAD_LAYER_ORDER, ['layer-order-filter'], {alone: true}) : []),
    ]})
  }

  // Resources.
  const rscMut = (rd: string): Mutation[] => [
    ...whole(vals({}, {resource: {node_name: node}}, 'x', 5, null, [5], [null], [[]], ['x'], [{}], [{resource: {}}], [{resource: 'x'}]), ['wrong-type']),
    ...at([0, 'resource', 'node_name'], vals('nosuch', '../x', 'a/b', long(300), 'ñame', ''), ['unknown-ref']),
    ...at([0, 'resource', 'node_name'], WRONG_STRINGS.slice(0, 6), ['wrong-type']),
    ...at([0, 'resource', 'flags'], vals('DISKLESS', 5, [5], [null], {}), ['wrong-type']),
    ...at([0, 'resource', 'props'], BAD_PROPS, ['bad-props']),
    ...at([0, 'resource', 'props'], vals({StorPoolName: 'nosuchpool'}, {StorPoolName: '../x'}), ['unknown-ref']),
    ...at([0, 'layer_list'], [...BAD_LAYER_ENUMS, ...vals([], ['DRBD'], ['STORAGE', 'DRBD'])], ['bad-enum']),
    ...at([0, 'layer_list'], LAYER_NOT_LISTS, ['layer-not-list'], {alone: true}),
    ...at([0, 'drbd_node_id'], [...vals(-1, 32, 1000), ...WRONG_INTS.slice(0, 6)], ['bad-int']),
    ...(rd === b.def ? [
      ...at([0, 'resource', 'flags'], vals(['DISKLESS'], ['DRBD_DISKLESS']), ['refused']),
      ...at([1], vals({resource: {node_name: node}}, {resource: {node_name: node.toUpperCase()}}), ['duplicate']),
    ] : []),
  ]
  t.push({method: 'POST', path: `/v1/resource-definitions/${seg(b.vol)}/resources`, base: () => [{resource: {node_name: node}}],
    baseIsBad: {tags: ['duplicate'], note: 'resource exists'}, create: true, mutations: rscMut(b.vol)})
  t.push({method: 'POST', path: `/v1/resource-definitions/${seg(b.def)}/resources`, base: () => [{resource: {node_name: node}}], create: true, mutations: rscMut(b.def)})
  t.push({method: 'POST', path: `/v1/resource-definitions/${seg(b.vol)}/resources/${n}`, base: () => ({}),
    baseIsBad: {tags: ['duplicate'], note: 'resource exists'}, mutations: []})
  t.push({method: 'POST', path: `/v1/resource-definitions/${seg(b.def)}/resources/${n}`, base: () => ({}), mutations: [
    ...whole(vals([], 5, 'x', true, [{}]), ['wrong-type']),
    ...at(['resource', 'props'], BAD_PROPS, ['bad-props']),
    ...at(['resource', 'props'], vals({StorPoolName: 'nosuchpool'}), ['unknown-ref']),
    ...at(['resource', 'flags'], vals('DISKLESS', [5], ['DISKLESS']), ['refused']),
    ...at(['layer_list'], [...BAD_LAYER_ENUMS, ...vals([], ['DRBD'])], ['bad-enum']),
    ...at(['layer_list'], LAYER_NOT_LISTS, ['layer-not-list'], {alone: true}),
    ...at(['drbd_node_id'], vals(-1, 32, 'x'), ['bad-int']),
  ]})
  t.push({method: 'POST', path: `/v1/resource-definitions/${seg(b.def)}/resources/${n}/make-available`, base: () => ({}), mutations: [
    ...whole(vals([], 5, 'x', true), ['wrong-type']),
    ...at(['layer_list'], [...BAD_LAYER_ENUMS, ...vals([], ['DRBD'], ['STORAGE', 'DRBD'])], ['bad-enum']),
    ...at(['layer_list'], LAYER_NOT_LISTS, ['layer-not-list'], {alone: true}),
    ...at(['diskful'], BAD_BOOLS, ['wrong-type']),
  ]})

  // Controller properties.
  t.push({method: 'POST', path: '/v1/controller/properties', base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']),
    ...at(['override_props'], BAD_PROPS, ['bad-props']),
    ...at(['override_props'], vals({'Cairn/CombinedBootstrap': 'x'}, {'cairn/x': 'y'}, {TcpPortAutoRange: '9-1'}, {TcpPortAutoRange: 'x'},
      {TcpPortAutoRange: '0-70000'}, {MinorNrAutoRange: '-1-5'}, {MinorNrAutoRange: '1-1048577'}, {PeerSlotsNewResource: '0'},
      {PeerSlotsNewResource: '32'}, {PeerSlotsNewResource: 'x'}), ['refused']),
    ...at(['delete_props'], [...BAD_STRING_LISTS, ...vals(['Cairn/CombinedBootstrap'])], ['wrong-type']),
    ...at(['delete_namespaces'], [...BAD_STRING_LISTS, ...vals(['Cairn'], ['cairn/'])], ['wrong-type']),
  ]})
  t.push({method: 'POST', path: '/v1/controller/properties', base: () => ({}), mutations: [...unknownField(), nullModify]})
  for (const k of ['Cairn/CombinedBootstrap', 'cairn/x', '..', '../x', 'a//b', ' a', 'a b', 'ñ', '-x', '.x', long(300)]) {
    const path = `/v1/controller/properties/${k.split('/').map(seg).join('/')}`
    t.push({method: 'DELETE', path, baseIsBad: {tags: ['bad-props'], note: `delete key ${short(k)}`}, mutations: []})
  }

  // Key-value store.
  t.push({method: 'PUT', path: `/v1/key-value-store/${seg(b.kvs)}`, base: () => ({}), mutations: [
    ...whole(NOT_OBJECTS, ['wrong-type']), ...propsModify(), ...unknownField(), nullModify,
  ]})
  for (const v of BAD_KVS_NAMES) {
    const name = v.value as string
    if (name === '') continue
    t.push({method: 'PUT', path: `/v1/key-value-store/${seg(name)}`, base: () => ({override_props: {'Aux/x': '1'}}),
      baseIsBad: {tags: ['bad-name'], note: `kvs ${v.note}`}, mutations: []})
    t.push({method: 'DELETE', path: `/v1/key-value-store/${seg(name)}`, baseIsBad: {tags: ['bad-name'], note: `kvs ${v.note}`}, mutations: []})
  }

  // Connections.
  t.push({method: 'PUT', path: `/v1/node-connections/${n}/${seg(node.toUpperCase())}`, base: () => ({override_props: {'Aux/x': '1'}}),
    baseIsBad: {tags: ['refused'], note: 'a node connection to itself'}, mutations: [...propsModify(), ...whole(NOT_OBJECTS, ['wrong-type'])]})
  t.push({method: 'PUT', path: `/v1/resource-definitions/${seg(b.vol)}/resource-connections/${n}/${n}`, base: () => ({override_props: {'Aux/x': '1'}}),
    baseIsBad: {tags: ['refused'], note: 'a resource connection to itself'}, mutations: [...propsModify(), ...whole(NOT_OBJECTS, ['wrong-type'])]})

  return t
}

/** Requests whose path names something that does not exist (or could never exist). */
function pathCases(b: Baseline): Omit<BadRequest, 'id'>[] {
  const n = seg(b.node)
  const out: Omit<BadRequest, 'id'>[] = []
  const add = (method: BadRequest['method'], path: string, body: Json, note: string, opts: Partial<BadRequest> = {}): void => {
    out.push({method, path, body: body === undefined ? undefined : toJson(body), tags: ['unknown-ref'], note, ...opts})
  }
  for (const raw of PATH_NAMES) {
    const x = seg(raw)
    const note = `path name ${short(raw)}`
    add('GET', `/v1/nodes/${x}`, undefined, note)
    add('PUT', `/v1/nodes/${x}`, {override_props: {'Aux/a': 'b'}}, note)
    add('DELETE', `/v1/nodes/${x}`, undefined, note, {mayBeGone: true})
    add('DELETE', `/v1/nodes/${x}/lost`, undefined, note)
    add('PUT', `/v1/nodes/${x}/reconnect`, undefined, note)
    add('POST', `/v1/nodes/${x}/net-interfaces`, {name: 'eth1', address: '127.0.0.3'}, note)
    add('PUT', `/v1/nodes/${x}/net-interfaces/default`, {address: '127.0.0.4'}, note)
    add('DELETE', `/v1/nodes/${x}/net-interfaces/default`, undefined, note)
    add('PUT', `/v1/nodes/${n}/net-interfaces/${x}`, {address: '127.0.0.4'}, note)
    add('DELETE', `/v1/nodes/${n}/net-interfaces/${x}`, undefined, note, {mayBeGone: true})
    add('POST', `/v1/nodes/${x}/storage-pools`, {storage_pool_name: 'pool1', provider_kind: 'FILE_THIN', props: {'StorDriver/StorPoolName': '/tmp/cairn-bad-input-never-created'}}, note)
    add('GET', `/v1/nodes/${x}/storage-pools/DfltStorPool`, undefined, note)
    add('PUT', `/v1/nodes/${x}/storage-pools/DfltStorPool`, {override_props: {'Aux/a': 'b'}}, note)
    add('PUT', `/v1/nodes/${n}/storage-pools/${x}`, {override_props: {'Aux/a': 'b'}}, note)
    add('DELETE', `/v1/nodes/${n}/storage-pools/${x}`, undefined, note, {mayBeGone: true})
    add('DELETE', `/v1/nodes/${x}/storage-pools/DfltStorPool`, undefined, note, {mayBeGone: true})
    add('PUT', `/v1/storage-pool-definitions/${x}`, {override_props: {'Aux/a': 'b'}}, note)
    add('DELETE', `/v1/storage-pool-definitions/${x}`, undefined, note, {mayBeGone: true})
    add('GET', `/v1/resource-groups/${x}`, undefined, note)
    add('PUT', `/v1/resource-groups/${x}`, {description: 'd'}, note)
    add('DELETE', `/v1/resource-groups/${x}`, undefined, note, {mayBeGone: true})
    add('POST', `/v1/resource-groups/${x}/volume-groups`, {}, note)
    add('PUT', `/v1/resource-groups/${x}/volume-groups/0`, {override_props: {'Aux/a': 'b'}}, note)
    add('PUT', `/v1/resource-groups/${seg(b.rg2)}/volume-groups/${x}`, {override_props: {'Aux/a': 'b'}}, note)
    add('DELETE', `/v1/resource-groups/${x}/volume-groups/0`, undefined, note, {mayBeGone: true})
    add('DELETE', `/v1/resource-groups/${seg(b.rg2)}/volume-groups/${x}`, undefined, note, {mayBeGone: true})
    add('POST', `/v1/resource-groups/${x}/spawn`, {resource_definition_name: 'spawnme', volume_sizes: [4096]}, note)
    add('GET', `/v1/resource-definitions/${x}`, undefined, note)
    add('PUT', `/v1/resource-definitions/${x}`, {override_props: {'Aux/a': 'b'}}, note)
    add('DELETE', `/v1/resource-definitions/${x}`, undefined, note, {mayBeGone: true})
    add('POST', `/v1/resource-definitions/${x}/volume-definitions`, {volume_definition: {size_kib: 4096}}, note)
    add('PUT', `/v1/resource-definitions/${x}/volume-definitions/0`, {size_kib: 8192}, note)
    add('PUT', `/v1/resource-definitions/${seg(b.vol)}/volume-definitions/${x}`, {size_kib: 8192}, note)
    add('DELETE', `/v1/resource-definitions/${x}/volume-definitions/0`, undefined, note, {mayBeGone: true})
    add('DELETE', `/v1/resource-definitions/${seg(b.vol)}/volume-definitions/${x}`, undefined, note, {mayBeGone: true})
    add('POST', `/v1/resource-definitions/${x}/autoplace`, {}, note)
    add('POST', `/v1/resource-definitions/${x}/resources`, [{resource: {node_name: b.node}}], note)
    add('POST', `/v1/resource-definitions/${seg(b.def)}/resources`, [{resource: {node_name: raw}}], note)
    add('POST', `/v1/resource-definitions/${seg(b.def)}/resources/${x}`, {}, note)
    add('POST', `/v1/resource-definitions/${x}/resources/${n}`, {}, note)
    add('DELETE', `/v1/resource-definitions/${x}/resources/${n}`, undefined, note, {mayBeGone: true})
    add('DELETE', `/v1/resource-definitions/${seg(b.vol)}/resources/${x}`, undefined, note, {mayBeGone: true})
    add('POST', `/v1/resource-definitions/${seg(b.def)}/resources/${x}/make-available`, {}, note)
    add('POST', `/v1/resource-definitions/${x}/resources/${n}/make-available`, {}, note)
    add('PUT', `/v1/node-connections/${n}/${x}`, {override_props: {'Aux/x': '1'}}, note)
    add('PUT', `/v1/node-connections/${x}/${n}`, {override_props: {'Aux/x': '1'}}, note)
    add('PUT', `/v1/resource-definitions/${x}/resource-connections/${n}/${n}`, {override_props: {'Aux/x': '1'}}, note)
    add('PUT', `/v1/resource-definitions/${seg(b.vol)}/resource-connections/${n}/${x}`, {override_props: {'Aux/x': '1'}}, note)
  }
  for (const nr of ['1', '-1', '0x0', '1e0', '0.0', '9999999999999', 'x']) {
    add('GET', `/v1/resource-definitions/${seg(b.vol)}/volume-definitions/${seg(nr)}`, undefined, `volume number ${nr}`)
    add('PUT', `/v1/resource-definitions/${seg(b.vol)}/volume-definitions/${seg(nr)}`, {size_kib: 2048}, `volume number ${nr}`)
    add('PUT', `/v1/resource-groups/${seg(b.rg2)}/volume-groups/${seg(nr)}`, {flags: ['GROSS_SIZE']}, `volume number ${nr}`)
    add('DELETE', `/v1/resource-definitions/${seg(b.vol)}/volume-definitions/${seg(nr)}`, undefined, `volume number ${nr}`, {mayBeGone: true})
    add('DELETE', `/v1/resource-groups/${seg(b.rg2)}/volume-groups/${seg(nr)}`, undefined, `volume number ${nr}`, {mayBeGone: true})
  }
  // Raw dot segments: a server (or proxy) that normalised them would act on the existing objects.
  const rawTraversal: [BadRequest['method'], string, Json][] = [
    ['DELETE', `/v1/resource-definitions/../resource-definitions/${seg(b.vol)}`, undefined],
    ['DELETE', `/v1/resource-definitions/x/../${seg(b.vol)}`, undefined],
    ['DELETE', `/v1/resource-groups/x/../${seg(b.rg2)}/volume-groups/0`, undefined],
    ['DELETE', `/v1/resource-definitions/${seg(b.vol)}/resources/../resources/${n}`, undefined],
    ['DELETE', `/v1/nodes/x/../${n}/lost`, undefined],
    ['DELETE', `/v1/nodes/./${n}/lost`, undefined],
    ['PUT', `/v1/resource-definitions/x/../${seg(b.def)}/volume-definitions/0`, {size_kib: 8192}],
    ['PUT', `/v1/resource-groups/x/../${seg(b.rg)}`, {description: 'changed'}],
    ['DELETE', `/v1/storage-pool-definitions/x/../${seg(b.spd)}`, undefined],
    ['DELETE', `/v1/key-value-store/x/../${seg(b.kvs)}`, undefined],
    ['DELETE', `/v1/nodes/${n}/storage-pools/x/../DfltDisklessStorPool`, undefined],
    ['DELETE', '/v1/../v1/storage-pool-definitions/' + seg(b.spd), undefined],
    ['DELETE', `//v1/storage-pool-definitions/${seg(b.spd)}`, undefined],
    ['DELETE', `/v1//storage-pool-definitions/${seg(b.spd)}`, undefined],
  ]
  for (const [method, path, body] of rawTraversal) {
    add(method, path, body, `raw dot segments ${path}`, {mayMissRoute: true, mayBeGone: method === 'DELETE', tags: ['traversal']})
  }
  // Percent-encoding that does not decode.
  for (const [method, path] of [['DELETE', '/v1/nodes/%E0%A4%A'], ['PUT', '/v1/resource-groups/%'], ['DELETE', '/v1/resource-definitions/%ZZ'],
    ['PUT', '/v1/key-value-store/%C0%AF'], ['POST', `/v1/resource-definitions/%FF/resources/${n}`]] as const) {
    add(method, path, {override_props: {'Aux/x': '1'}}, `undecodable path ${path}`, {tags: ['bad-percent']})
  }
  return out
}

/** Bodies that are not JSON. Each is refused before any handler runs. */
function malformedBodies(): {body: string | Buffer, note: string, createOnly?: boolean}[] {
  const texts = ['{', '}', '[', ']', '{"name":', '{"name": "x"', '{"name": "x",}', '[1,]', '{"a":1}}', '{"a":1} trailing', '{"a":1}{"b":2}',
    '{"a":1}]', "{'name':'x'}", '{name:"x"}', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}',
    '{"a":"\\q"}', '{"a":"\\u12"}', '{"a":"line\nbreak"}', '{"a":"tab\there"}', '{"a":"nul\u0000"}', 'NaN', 'undefined', 'nul', 'tru',
    '"unterminated', '/* c */ {}', '{} // c', '{"a":1,,"b":2}', '{"a" 1}', '{"a":[1,2}', '{"a":{"b":1}', '\u0000', 'x', '{"a":1}\u0000',
    '{"a":1}\n{"a":2}', '0x10', '1 2', '--1', '{"a":-}', '{"a":1e}', '{"a":"\ud800"'].map((body) => ({body, note: `malformed ${short(body)}`}))
  return [
    ...texts,
    {body: '['.repeat(100_000), note: 'malformed: 100k unclosed ['},
    {body: '['.repeat(100_000) + ']'.repeat(100_000), note: 'nesting 100k deep'},
    {body: '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), note: 'objects nested 50k deep'},
    {body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), note: 'invalid UTF-8 inside braces'},
    {body: Buffer.from([0xc0, 0xaf, 0x7b, 0x7d]), note: 'overlong UTF-8 before {}'},
    {body: '   ', note: 'only whitespace', createOnly: true},
    {body: '', note: 'empty body', createOnly: true},
  ]
}

// ---------------------------------------------------------------------------------------------

export interface Generated {requests: BadRequest[], counts: Record<string, number>}

/**
 * All requests, shuffled: every template mutation once, every path case, every malformed body on
 * every endpoint, then `combos` random combinations of mutations.
 */
export function generateBadRequests(b: Baseline, seed: number, combos: number): Generated {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  let serial = 0
  const fresh = (): string => `bz${(++serial).toString(36)}${Math.floor(rnd() * 1e6).toString(36)}`
  const tpls = templates(b, fresh)
  const out: Omit<BadRequest, 'id'>[] = []
  const send = (tp: Template, body: Json, tags: string[], note: string): void => {
    out.push({method: tp.method, path: tp.path, body: body === undefined ? undefined : toJson(body), tags, note, mayBeGone: tp.mayBeGone})
  }

  for (const tp of tpls) {
    if (tp.baseIsBad) send(tp, tp.base?.(), tp.baseIsBad.tags, tp.baseIsBad.note)
    for (const m of tp.mutations) send(tp, m.apply(tp.base?.() ?? {}), m.tags, m.note)
  }
  out.push(...pathCases(b))

  // Malformed bodies on every endpoint that takes a body (each method + path once), and on a few
  // deletes: the body is read before routing, so one code path serves them all.
  const endpoints = new Map<string, Template>()
  for (const tp of tpls) if (tp.mutations.length) endpoints.set(`${tp.method} ${tp.path}`, tp)
  for (const tp of tpls.filter((x) => x.method === 'DELETE').slice(0, 3)) endpoints.set(`${tp.method} ${tp.path}`, tp)
  const bodies = malformedBodies()
  for (const tp of endpoints.values()) {
    for (const m of bodies) {
      if (m.createOnly && !tp.create) continue
      out.push({method: tp.method, path: tp.path, body: m.body, tags: ['malformed'], note: m.note})
    }
  }
  // A body over the 16 MiB limit, charsets and encodings the body reader cannot handle.
  out.push({method: 'POST', path: '/v1/resource-groups', body: `{"name":"${'x'.repeat(17 * 1024 * 1024)}"}`, tags: ['malformed'], note: 'body of 17 MiB'})
  out.push({method: 'PUT', path: `/v1/resource-groups/${seg(b.rg)}`, body: toJson({description: 'x'}), headers: {'content-type': 'application/json; charset=utf-16le'},
    tags: ['malformed'], note: 'ASCII body declared as UTF-16'})
  for (const tp of [...endpoints.values()].filter((x) => x.method !== 'DELETE').slice(0, 12)) {
    for (const [h, v] of [['content-type', 'application/json; charset=foo'], ['content-encoding', 'gzip'], ['content-encoding', 'bogus'],
      ['content-encoding', 'deflate']] as const) {
      out.push({method: tp.method, path: tp.path, body: '{"a":1}', headers: {[h]: v}, tags: ['body-encoding'], note: `${h}: ${v}`})
    }
  }

  // Random combinations of 1–3 mutations (never the lenient-server ones), sometimes with an unknown field on top.
  const combinable = tpls.map((tp) => ({tp, ms: tp.mutations.filter((m) => !m.alone)})).filter((x) => x.ms.length > 0)
  for (let c = 0; c < combos; c++) {
    const {tp, ms} = pick(combinable)
    const k = 1 + Math.floor(rnd() * 3)
    let body: Json = tp.base?.() ?? {}
    const used: Mutation[] = []
    for (let i = 0; i < k; i++) {
      const m = pick(ms)
      body = m.apply(body)
      used.push(m)
    }
    if (rnd() < 0.25 && body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof Raw)) body = setIn(body, ['zz_unknown'], rnd())
    send(tp, body, [...new Set(['combined', ...used.flatMap((m) => m.tags)])], used.map((m) => m.note).join(' + '))
  }

  // Deterministic shuffle (Fisher–Yates), then number them.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[out[i], out[j]] = [out[j] as Omit<BadRequest, 'id'>, out[i] as Omit<BadRequest, 'id'>]
  }
  const requests = out.map((r, id) => ({...r, id}))
  const counts: Record<string, number> = {}
  for (const r of requests) for (const tag of r.tags) counts[tag] = (counts[tag] ?? 0) + 1
  return {requests, counts}
}
