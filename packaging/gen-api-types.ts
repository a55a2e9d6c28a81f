// Generates src/api/wire.ts, the TypeScript shapes of LINSTOR's REST API v1, from the OpenAPI
// contract in src/api/linstor-rest-v1.openapi.yaml. Run it with `npm run gen:api`; the unit test
// test/unit/api-wire.test.ts fails when the committed wire.ts no longer matches the contract.
//
// One export per entry of components.schemas, in file order: an `interface` for plain objects, a
// `type` alias for everything else (enums, arrays, maps, allOf). Integers with format int64 are
// `number | bigint` (src/common/json.ts parses unsafe integers as bigint), except `ret_code`, which
// is always a bigint because its top two bits carry the error/warning/info class.

import {readFileSync, writeFileSync} from 'node:fs'
import {parse} from 'yaml'

/** The subset of the OpenAPI 3.0 schema object that the contract uses. */
export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  format?: string
  description?: string
  enum?: unknown[]
  items?: OpenApiSchema
  properties?: Record<string, OpenApiSchema>
  required?: string[]
  additionalProperties?: boolean | OpenApiSchema
  allOf?: OpenApiSchema[]
  oneOf?: OpenApiSchema[]
  anyOf?: OpenApiSchema[]
  nullable?: boolean
  deprecated?: boolean
  $ref?: string
  [keyword: string]: unknown
}

export const contractUrl = new URL('../src/api/linstor-rest-v1.openapi.yaml', import.meta.url)
export const wireUrl = new URL('../src/api/wire.ts', import.meta.url)
export const fieldsUrl = new URL('../src/api/wire-fields.ts', import.meta.url)

const refPrefix = '#/components/schemas/'

/**
 * Places where what LINSTOR really sends differs from the contract. Each entry names the schema
 * property, the enum the contract gives (checked, so a contract update cannot slip past) and the
 * values added to it.
 */
export const contractPatches: readonly {schema: string, property: string, contractEnum: string[], add: string[], why: string}[] = [
  {
    schema: 'Node', property: 'type',
    contractEnum: ['Controller', 'Satellite', 'Combined', 'Auxiliary'],
    add: ['CONTROLLER', 'SATELLITE', 'COMBINED', 'AUXILIARY', 'REMOTE_SPDK', 'EBS_TARGET'],
    why: 'the server replies with the upper-case Node.Type.name() and clients send any case',
  },
]

/** Parses the contract and returns components.schemas, in file order, with contractPatches applied. */
export function loadSchemas(yamlText: string): Record<string, OpenApiSchema> {
  const doc = parse(yamlText) as {components?: {schemas?: Record<string, OpenApiSchema>}}
  const schemas = doc.components?.schemas
  if (!schemas) throw new Error('the contract has no components.schemas')
  for (const patch of contractPatches) {
    const prop = schemas[patch.schema]?.properties?.[patch.property]
    if (!prop) throw new Error(`contract patch: ${patch.schema}.${patch.property} is gone from the contract`)
    if (JSON.stringify(prop.enum) !== JSON.stringify(patch.contractEnum)) {
      throw new Error(`contract patch: ${patch.schema}.${patch.property} enum changed to ${JSON.stringify(prop.enum)}; review the patch`)
    }
    prop.enum = [...patch.contractEnum, ...patch.add]
  }
  return schemas
}

/** Name of the schema a `$ref` points at; throws for refs outside components.schemas. */
export function refName(ref: string, schemas: Record<string, OpenApiSchema>): string {
  const name = ref.startsWith(refPrefix) ? ref.slice(refPrefix.length) : undefined
  if (name === undefined || !(name in schemas)) throw new Error(`unresolvable $ref ${ref}`)
  return name
}

const identifier = /^[A-Za-z_$][\w$]*$/

function docComment(schema: OpenApiSchema, indent: string): string[] {
  const text = (schema.description ?? '').replace(/\s+/g, ' ').trim().replaceAll('*/', '*\\/')
  const tag = schema.deprecated ? '@deprecated' : ''
  const line = [tag, text].filter(Boolean).join(' ')
  return line ? [`${indent}/** ${line} */`] : []
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll('\'', '\\\'')}'`
  if (value === null) return 'null'
  return JSON.stringify(value)
}

/** Parenthesises a type with a top-level `|`, so that it can stand inside an intersection. */
function group(type: string): string {
  let depth = 0
  for (let i = 0; i < type.length; i++) {
    const c = type[i]
    if (c === '{' || c === '(' || c === '<' || c === '[') depth++
    else if (c === '}' || c === ')' || c === '>' || c === ']') depth--
    else if (c === '|' && depth === 0) return `(${type})`
  }
  return type
}

class Printer {
  private readonly schemas: Record<string, OpenApiSchema>

  constructor(schemas: Record<string, OpenApiSchema>) {
    this.schemas = schemas
  }

  /** The TypeScript type of a schema; `indent` is the indentation of the line the type starts on. */
  type(schema: OpenApiSchema, indent: string, propName?: string): string {
    const base = this.baseType(schema, indent, propName)
    return schema.nullable ? `${base} | null` : base
  }

  private baseType(schema: OpenApiSchema, indent: string, propName?: string): string {
    if (schema.$ref !== undefined) return refName(schema.$ref, this.schemas)
    if (schema.allOf) return schema.allOf.map((s) => group(this.type(s, indent))).join(' & ')
    const alternatives = schema.oneOf ?? schema.anyOf
    if (alternatives) return alternatives.map((s) => this.type(s, indent)).join(' | ')
    if (schema.enum) return schema.enum.map(literal).join(' | ')
    switch (schema.type) {
      case 'string': return 'string'
      case 'boolean': return 'boolean'
      case 'number': return 'number'
      case 'integer':
        if (schema.format !== 'int64') return 'number'
        return propName === 'ret_code' ? 'bigint' : 'number | bigint'
      case 'array': {
        const item = schema.items ? this.type(schema.items, indent) : 'unknown'
        return /^[\w$]+$/.test(item) ? `${item}[]` : `Array<${item}>`
      }
      case 'object':
      case undefined: {
        const parts: string[] = []
        if (schema.properties) parts.push(this.objectLiteral(schema, indent))
        const extra = schema.additionalProperties
        if (extra === true || (extra === undefined && !schema.properties && schema.type === 'object')) {
          parts.push('Record<string, unknown>')
        } else if (extra && typeof extra === 'object') {
          parts.push(`Record<string, ${this.type(extra, indent)}>`)
        }
        return parts.length ? parts.join(' & ') : 'unknown'
      }
    }
  }

  /** `{ ... }` with one member per property; members sit one level deeper than `indent`. */
  objectLiteral(schema: OpenApiSchema, indent: string): string {
    const inner = indent + '  '
    const required = new Set(schema.required ?? [])
    const lines = ['{']
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      lines.push(...docComment(prop, inner))
      const key = identifier.test(name) ? name : literal(name)
      lines.push(`${inner}${key}${required.has(name) ? '' : '?'}: ${this.type(prop, inner, name)}`)
    }
    lines.push(`${indent}}`)
    return lines.join('\n')
  }
}

const header = `// Generated by packaging/gen-api-types.ts from src/api/linstor-rest-v1.openapi.yaml. Do not edit;
// regenerate with \`npm run gen:api\`.
//
// Wire shapes of the LINSTOR REST API v1, one export per components.schemas entry, with the exact
// JSON field names. Integers with format int64 are \`number | bigint\` (\`ret_code\` is always bigint):
// serialise with src/common/json.ts so that no digit is lost.`

/** Renders src/api/wire.ts from the contract's YAML text. Pure and deterministic. */
export function generate(yamlText: string): string {
  const schemas = loadSchemas(yamlText)
  const printer = new Printer(schemas)
  const out = [header]
  if (contractPatches.length) {
    out.push('//\n// Deviations from the contract, because LINSTOR itself deviates:')
    for (const p of contractPatches) out.push(`// - ${p.schema}.${p.property} also allows ${p.add.join(', ')}:\n//   ${p.why}.`)
  }
  for (const [name, schema] of Object.entries(schemas)) {
    if (!identifier.test(name)) throw new Error(`schema name ${JSON.stringify(name)} is not a TypeScript identifier`)
    out.push('')
    out.push(...docComment(schema, ''))
    const plainObject = schema.properties && !schema.additionalProperties && !schema.nullable &&
      !schema.allOf && !schema.oneOf && !schema.anyOf && !schema.$ref
    if (plainObject) out.push(`export interface ${name} ${printer.objectLiteral(schema, '')}`)
    else out.push(`export type ${name} = ${printer.type(schema, '')}`)
  }
  return out.join('\n') + '\n'
}

/**
 * The top-level field names of every object schema (allOf and $ref followed), so that the REST
 * edge can refuse fields the contract does not know, as LINSTOR's JSON mapper does.
 */
export function generateFields(yamlText: string): string {
  const schemas = loadSchemas(yamlText)
  const fieldsOf = (schema: OpenApiSchema, seen: Set<string>): string[] => {
    if (schema.$ref) {
      const name = refName(schema.$ref, schemas)
      if (seen.has(name)) return []
      return fieldsOf(schemas[name] as OpenApiSchema, new Set([...seen, name]))
    }
    return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap((part) => fieldsOf(part, seen))]
  }
  const lines = Object.entries(schemas)
    .map(([name, schema]) => [name, [...new Set(fieldsOf(schema, new Set([name])))]] as const)
    .filter(([, fields]) => fields.length > 0)
    .map(([name, fields]) => `  ${name}: [${fields.map((f) => `'${f}'`).join(', ')}],`)
  return ['// Generated by packaging/gen-api-types.ts from src/api/linstor-rest-v1.openapi.yaml. Do not edit;',
    '// regenerate with `npm run gen:api`. Top-level fields of each object schema of the contract.',
    '', 'export const wireFields: Readonly<Record<string, readonly string[]>> = {', ...lines, '}', ''].join('\n')
}

if (import.meta.main) {
  const yaml = readFileSync(contractUrl, 'utf8')
  const text = generate(yaml)
  writeFileSync(wireUrl, text)
  writeFileSync(fieldsUrl, generateFields(yaml))
  console.log(`wrote ${wireUrl.pathname} (${text.match(/^export /gm)?.length ?? 0} types) and ${fieldsUrl.pathname}`)
}
