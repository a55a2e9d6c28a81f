import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {
  type ApiCallRc, type ObjKind, type OpKind, Rc, httpStatus, isError, isInfo, isWarning, isoOffset, rc, withContext,
} from '../../src/common/api-call-rc.ts'

// linstor-rest-api.md §5, "Worked examples": the signed decimal that goes in the JSON.
describe('worked examples', () => {
  const rows: [string, bigint, OpKind | undefined, ObjKind | undefined, bigint, bigint][] = [
    ['node created', Rc.CREATED, 'create', 'node', 0x00000000013C0001n, 20709377n],
    ['rsc-dfn created', Rc.CREATED, 'create', 'rscDfn', 0x0000000001380001n, 20447233n],
    ['resource created', Rc.CREATED, 'create', 'rsc', 0x0000000001340001n, 20185089n],
    ['resource-group created', Rc.CREATED, 'create', 'rscGrp', 0x0000000001440001n, 21233665n],
    ['snapshot created', Rc.CREATED, 'create', 'snapshot', 0x00000000010C0001n, 17563649n],
    ['node modified', Rc.MODIFIED, 'modify', 'node', 0x00000000023C0003n, 37486595n],
    ['resource deleted', Rc.DELETED, 'delete', 'rsc', 0x0000000003340002n, 53739522n],
    ['FAIL_NOT_FOUND_NODE (bare)', Rc.FAIL_NOT_FOUND_NODE, undefined, undefined, 0xC00000000000012Cn, -4611686018427387604n],
    ['FAIL_NOT_FOUND_NODE on node delete', Rc.FAIL_NOT_FOUND_NODE, 'delete', 'node', 0xC0000000033C012Cn, -4611686018373123796n],
    ['FAIL_EXISTS_NODE on node create', Rc.FAIL_EXISTS_NODE, 'create', 'node', 0xC0000000013C01F4n, -4611686018406678028n],
    ['FAIL_EXISTS_RSC_DFN on rd create', Rc.FAIL_EXISTS_RSC_DFN, 'create', 'rscDfn', 0xC0000000013801F5n, -4611686018406940171n],
    ['FAIL_NOT_ENOUGH_NODES on autoplace', Rc.FAIL_NOT_ENOUGH_NODES, 'create', 'rsc', 0xC0000000013403E4n, -4611686018407201820n],
    ['FAIL_UNKNOWN_ERROR', Rc.FAIL_UNKNOWN_ERROR, undefined, undefined, 0xC0000000000003E6n, -4611686018427386906n],
    ['API_CALL_PARSE_ERROR', Rc.API_CALL_PARSE_ERROR, undefined, undefined, 0xCFFFFFFFFFFFFFFDn, -3458764513820540931n],
    ['WARN_NOT_CONNECTED', Rc.WARN_NOT_CONNECTED, undefined, undefined, 0x80000000000003EAn, -9223372036854774806n],
    ['INFO_NO_RSC_SPAWNED', Rc.INFO_NO_RSC_SPAWNED, undefined, undefined, 0x4000000000002710n, 4611686018427397904n],
  ]
  for (const [meaning, code, op, obj, hex, json] of rows) {
    test(`${meaning} = ${json}`, () => {
      const got = withContext(code, op, obj)
      assert.equal(got, json)
      assert.equal(BigInt.asUintN(64, got), hex)
      const entry = rc(code, {message: meaning}, op, obj, new Date(0))
      assert.equal(entry.ret_code, json)
      assert.equal(entry.message, meaning)
    })
  }
})

describe('withContext', () => {
  test('keeps op and obj bits that are already set', () => {
    const alreadyDelete = Rc.FAIL_NOT_FOUND_NODE | 0x03000000n | 0x3C0000n
    assert.equal(withContext(alreadyDelete, 'create', 'rsc'), BigInt.asIntN(64, alreadyDelete))
    assert.equal(withContext(Rc.API_CALL_PARSE_ERROR, 'create', 'node'), -3458764513820540931n)
  })

  test('adds only the missing part', () => {
    const withObj = Rc.CREATED | 0x340000n
    assert.equal(withContext(withObj, 'create', 'node'), 20185089n)
  })

  test('accepts an already signed code', () => {
    assert.equal(withContext(-4611686018427387604n, 'delete', 'node'), -4611686018373123796n)
  })
})

describe('rc', () => {
  test('carries the texts and a created_at timestamp', () => {
    const e = rc(Rc.CREATED, {message: "New node 'n1' registered.", details: "Node 'n1' UUID is: u", obj_refs: {Node: 'n1'}}, 'create', 'node')
    assert.equal(e.ret_code, 20709377n)
    assert.equal(e.details, "Node 'n1' UUID is: u")
    assert.deepEqual(e.obj_refs, {Node: 'n1'})
    assert.match(e.created_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/)
  })
})

describe('class tests accept number and bigint', () => {
  const cases: [string, bigint | number, boolean, boolean, boolean][] = [
    ['error bigint', -4611686018427387604n, true, false, false],
    ['parse error', -3458764513820540931n, true, false, false],
    ['warning bigint', -9223372036854774806n, false, true, false],
    ['info bigint', 4611686018427397904n, false, false, true],
    ['info number (rounded double keeps the top bits)', Number(4611686018427397904n), false, false, true],
    ['success number', 20709377, false, false, false],
    ['success bigint', 20709377n, false, false, false],
    ['error as a rounded number', Number(-4611686018427387604n), true, false, false],
  ]
  for (const [name, code, err, warn, info] of cases) {
    test(name, () => {
      assert.equal(isError(code), err)
      assert.equal(isWarning(code), warn)
      assert.equal(isInfo(code), info)
    })
  }
})

describe('httpStatus', () => {
  const e = (code: bigint): ApiCallRc => ({ret_code: withContext(code), message: 'm'})
  const cases: [string, ApiCallRc[], number, number][] = [
    ['no entries → success status', [], 201, 201],
    ['only success → success status', [e(Rc.CREATED)], 201, 201],
    ['warning and info do not count as errors', [e(Rc.WARN_NOT_CONNECTED), e(Rc.INFO_NO_RSC_SPAWNED)], 200, 200],
    ['not found (300) → 404', [e(Rc.FAIL_NOT_FOUND_NODE)], 200, 404],
    ['not found with context → 404', [{ret_code: -4611686018373123796n, message: 'm'}], 200, 404],
    ['not found upper end (399) → 404', [e(Rc.FAIL_NOT_FOUND_NODE + 99n)], 200, 404],
    ['acc denied (400) → 403', [e(Rc.FAIL_NOT_FOUND_NODE + 100n)], 200, 403],
    ['acc denied (499) → 403', [e(Rc.FAIL_NOT_FOUND_NODE + 199n)], 200, 403],
    ['FAIL_SIGN_IN → 403', [e(Rc.FAIL_SIGN_IN)], 200, 403],
    ['FAIL_SIGN_IN_MISSING_CREDENTIALS → 401', [e(Rc.FAIL_SIGN_IN_MISSING_CREDENTIALS)], 200, 401],
    ['parse error → 400', [e(Rc.API_CALL_PARSE_ERROR)], 200, 400],
    ['exists (500) → 500', [e(Rc.FAIL_EXISTS_NODE)], 201, 500],
    ['not enough nodes → 500', [e(Rc.FAIL_NOT_ENOUGH_NODES)], 201, 500],
    ['invalid name (200) → 500', [e(Rc.FAIL_INVLD_NODE_NAME)], 201, 500],
    ['success before an error: the error decides', [e(Rc.CREATED), e(Rc.FAIL_NOT_FOUND_RSC)], 201, 404],
    ['first error decides (404 before 500)', [e(Rc.FAIL_NOT_FOUND_NODE), e(Rc.FAIL_EXISTS_NODE)], 200, 404],
    ['first error decides (500 before 404)', [e(Rc.FAIL_EXISTS_NODE), e(Rc.FAIL_NOT_FOUND_NODE)], 200, 500],
  ]
  for (const [name, list, success, expected] of cases) {
    test(name, () => assert.equal(httpStatus(list, success), expected))
  }
})

describe('isoOffset', () => {
  const withTz = (tz: string, fn: () => void): void => {
    const old = process.env.TZ
    process.env.TZ = tz
    try {
      fn()
    } finally {
      if (old === undefined) delete process.env.TZ
      else process.env.TZ = old
    }
  }
  const d = new Date(Date.UTC(2026, 0, 1, 11, 0, 0, 123))
  const cases: [string, string][] = [
    ['UTC', '2026-01-01T11:00:00.123+00:00'],
    ['Europe/Vienna', '2026-01-01T12:00:00.123+01:00'],
    ['Asia/Kolkata', '2026-01-01T16:30:00.123+05:30'],
    ['America/St_Johns', '2026-01-01T07:30:00.123-03:30'],
  ]
  for (const [tz, expected] of cases) {
    test(`${tz}: local time, milliseconds and ±HH:MM`, () => withTz(tz, () => assert.equal(isoOffset(d), expected)))
  }

  test('pads small fields', () => withTz('UTC', () => {
    assert.equal(isoOffset(new Date(Date.UTC(2026, 1, 3, 4, 5, 6, 7))), '2026-02-03T04:05:06.007+00:00')
  }))
})
