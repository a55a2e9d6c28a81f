// Checks values against the LINSTOR REST contract (src/api/linstor-rest-v1.openapi.yaml) with ajv.
//
// The contract is OpenAPI 3.0, whose schema dialect is close to, but not, JSON Schema. Before ajv
// sees it: `$ref: '#/components/schemas/X'` points into one registered document, `nullable` becomes
// a type union, `example` is dropped, OpenAPI formats (int32, int64, float, double, date-time,
// password) are registered, and `oneOf` becomes `anyOf` (the contract's oneOf alternatives, such as
// VolumeLayer.data, have no required fields and no discriminator, so several always match).
// Unknown properties are allowed, as the contract does not forbid them; required fields and types
// are checked. Values may hold bigint (src/common/json.ts parses large integers that way): they are
// checked against the int64 range and then handed to ajv as numbers.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import {contractUrl, loadSchemas, refName, type OpenApiSchema} from '../../packaging/gen-api-types.ts'

const documentId = 'linstor-rest-v1'
const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n
/** The largest double below 2^63: Long.MAX_VALUE as a JS number would round up to 2^63, out of range. */
const largestInt64Double = 9223372036854774784

type JsonSchema = Record<string, unknown>

let state: {ajv: Ajv, schemas: Record<string, OpenApiSchema>} | undefined
const validators = new Map<string, ValidateFunction>()

function contract(): {ajv: Ajv, schemas: Record<string, OpenApiSchema>} {
  if (state) return state
  const schemas = loadSchemas(readFileSync(contractUrl, 'utf8'))
  const ajv = new Ajv({allErrors: true, verbose: true, strict: true})
  ajv.addFormat('int32', {type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31})
  ajv.addFormat('int64', {type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63})
  ajv.addFormat('float', {type: 'number', validate: (n: number) => Number.isFinite(n)})
  ajv.addFormat('double', {type: 'number', validate: (n: number) => Number.isFinite(n)})
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i)
  ajv.addFormat('password', true)
  const definitions: Record<string, JsonSchema> = {}
  for (const [name, schema] of Object.entries(schemas)) definitions[name] = toJsonSchema(schema, schemas)
  ajv.addSchema({$id: documentId, definitions})
  state = {ajv, schemas}
  return state
}

/** Converts one OpenAPI 3.0 schema object to JSON Schema draft-07, recursively. */
export function toJsonSchema(schema: OpenApiSchema, schemas: Record<string, OpenApiSchema>): JsonSchema {
  if (schema.$ref !== undefined) {
    const ref = {$ref: `${documentId}#/definitions/${refName(schema.$ref, schemas)}`}
    return schema.nullable ? {anyOf: [ref, {type: 'null'}]} : ref
  }
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case 'example': case 'nullable': case 'discriminator': case 'xml': case 'externalDocs':
        break
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(value as Record<string, OpenApiSchema>)
          .map(([name, prop]) => [name, toJsonSchema(prop, schemas)]))
        break
      case 'items':
        out.items = toJsonSchema(value as OpenApiSchema, schemas)
        break
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : toJsonSchema(value as OpenApiSchema, schemas)
        break
      case 'allOf': case 'anyOf': case 'oneOf':
        out[key === 'oneOf' ? 'anyOf' : key] = (value as OpenApiSchema[]).map((s) => toJsonSchema(s, schemas))
        break
      case 'not':
        out.not = toJsonSchema(value as OpenApiSchema, schemas)
        break
      default:
        out[key] = value
    }
  }
  if (schema.nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null']
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
    if (out.type === undefined) return {anyOf: [out, {type: 'null'}]}
  }
  return out
}

/**
 * Copies a value the way it will look as JSON: bigint becomes a number (after an int64 range
 * check), undefined object fields disappear.
 */
function toJsonValue(value: unknown, path: string, problems: string[]): unknown {
  if (typeof value === 'bigint') {
    if (value < int64Min || value > int64Max) {
      problems.push(`${path}: ${value} is outside the int64 range`)
      return 0
    }
    const n = Number(value)
    return n >= 2 ** 63 ? largestInt64Double : n
  }
  if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${path}/${i}`, problems))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toJsonValue(v, `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, problems)
    }
    return out
  }
  return value
}

function describe(label: string, error: ErrorObject): string {
  const where = `${label}${error.instancePath}`
  if (error.keyword === 'enum') {
    const allowed = (error.params as {allowedValues: unknown[]}).allowedValues.map((v) => JSON.stringify(v)).join(', ')
    return `${where}: must be one of ${allowed}`
  }
  if (error.keyword === 'format') {
    const format = (error.params as {format: string}).format
    if (format === 'int32' || format === 'int64') return `${where}: ${String(error.data)} is not an ${format}`
  }
  return `${where}: ${error.message ?? error.keyword}`
}

function run(label: string, validate: ValidateFunction, value: unknown): string[] {
  const problems: string[] = []
  const json = toJsonValue(value, '', problems)
  const out = problems.map((p) => label + p)
  if (!validate(json)) out.push(...(validate.errors ?? []).map((e) => describe(label, e)))
  return out
}

/** Names of all schemas in the contract, in file order. */
export function schemaNames(): string[] {
  return Object.keys(contract().schemas)
}

/**
 * Checks `value` against components.schemas[schemaName]. Returns human-readable problems, e.g.
 * `Node: must have required property 'name'` or `Node/type: must be string`; empty means valid.
 * Throws if the contract has no such schema.
 */
export function validateAgainst(schemaName: string, value: unknown): string[] {
  return run(schemaName, validatorFor(schemaName, () => ({$ref: schemaRef(schemaName)})), value)
}

/** The JSON Schema for an array of `schemaName`, the shape every list endpoint returns. */
export function schemaForListOf(schemaName: string): JsonSchema {
  return {type: 'array', items: {$ref: schemaRef(schemaName)}}
}

/** Like validateAgainst, for a JSON array of `schemaName` (e.g. the body of GET /v1/nodes). */
export function validateListOf(schemaName: string, value: unknown): string[] {
  return run(`${schemaName}[]`, validatorFor(`${schemaName}[]`, () => schemaForListOf(schemaName)), value)
}

function schemaRef(schemaName: string): string {
  if (!Object.hasOwn(contract().schemas, schemaName)) throw new Error(`the contract has no schema named ${schemaName}`)
  return `${documentId}#/definitions/${schemaName}`
}

function validatorFor(key: string, build: () => JsonSchema): ValidateFunction {
  let validate = validators.get(key)
  if (!validate) {
    validate = contract().ajv.compile(build())
    validators.set(key, validate)
  }
  return validate
}

/** One ApiCallRc entry as tests read it. */
export interface RcEntry {ret_code: bigint | number, message: string, details?: string, cause?: string, error_report_ids?: string[]}

const signed = (c: bigint | number): bigint => BigInt.asIntN(64, BigInt(c))

/** Asserts the status, a valid ApiCallRc list and its ret codes (compared as signed int64); answers the entries. */
export function expectRcs(r: {status: number, body: unknown, text: string}, status: number, codes: bigint[]): RcEntry[] {
  assert.equal(r.status, status, r.text)
  assert.deepEqual(validateListOf('ApiCallRc', r.body), [])
  const list = r.body as RcEntry[]
  assert.deepEqual(list.map((e) => signed(e.ret_code)), codes.map(signed), r.text)
  return list
}
