// A proto3 wire codec driven by small schema objects instead of generated code: the runtime
// dependencies are fixed, and CSI needs only a handful of field kinds (no floats, no fixed-width
// integers, maps only of string to string).
//
// Representation of decoded messages:
// - plain objects keyed by the schema's field names (the CSI schema uses camelCase);
// - scalars without presence take their proto3 default when absent ('' / 0 / false / empty bytes),
//   repeated fields [] and maps {}, so readers need no `?? ''` everywhere;
// - singular message fields, oneof members and `optional` scalars are left out when absent;
// - int64/uint64 become a number when it is a safe integer and a bigint otherwise, the same rule
//   src/common/json.ts applies to LINSTOR's JSON; encoding accepts either;
// - enums stay numbers, as proto3 enums are open and may carry values newer than this schema;
// - strings are decoded leniently (invalid UTF-8 becomes U+FFFD) rather than failing the call.

/** Field kinds on the wire that CSI uses. */
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'enum'

export interface ScalarField {
  readonly no: number
  readonly type: ScalarType
  readonly repeated?: boolean
  /** Presence is tracked (proto3 `optional`): absent stays absent, a default value is still sent. */
  readonly optional?: boolean
  /** Name of the oneof group; members have presence and setting one clears the others. */
  readonly oneof?: string
}

export interface MessageField {
  readonly no: number
  readonly type: 'message'
  readonly message: MessageSchema
  readonly repeated?: boolean
  readonly oneof?: string
}

/** `map<string, string>`, the only map kind CSI has. */
export interface MapField {
  readonly no: number
  readonly type: 'map'
}

export type FieldSchema = ScalarField | MessageField | MapField

export interface MessageSchema<F extends Fields = Fields> {
  /** Fully qualified proto name, for error messages (e.g. `csi.v1.Volume`). */
  readonly name: string
  readonly fields: F
}

export type Fields = {readonly [field: string]: FieldSchema}

/** A 64-bit integer: number while it is safe, bigint beyond 2^53. */
export type Int64 = number | bigint

type ScalarValue<T> = T extends 'string' ? string
  : T extends 'bytes' ? Uint8Array
  : T extends 'bool' ? boolean
  : T extends 'int64' | 'uint64' ? Int64
  : number

type ScalarInit<T> = T extends 'int64' | 'uint64' ? number | bigint : ScalarValue<T>

type Many<F, V> = F extends {repeated: true} ? V[] : V

type DecodedValue<F> = F extends MapField ? Record<string, string>
  : F extends {type: 'message', message: infer M extends MessageSchema} ? Many<F, Message<M>>
  : F extends {type: infer T} ? Many<F, ScalarValue<T>>
  : never

type InitValue<F> = F extends MapField ? Readonly<Record<string, string>>
  : F extends {type: 'message', message: infer M extends MessageSchema} ? (F extends {repeated: true} ? readonly MessageInit<M>[] : MessageInit<M>)
  : F extends {type: infer T} ? (F extends {repeated: true} ? readonly ScalarInit<T>[] : ScalarInit<T>)
  : never

type HasPresence<F> = F extends {repeated: true} ? false
  : F extends {type: 'message'} ? true
  : F extends {optional: true} ? true
  : F extends {oneof: string} ? true
  : false

type Simplify<T> = {[K in keyof T]: T[K]} & {}

/** A decoded message of schema S: defaults filled in, fields with presence optional. */
export type Message<S extends MessageSchema> = Simplify<
  {-readonly [K in keyof S['fields'] as HasPresence<S['fields'][K]> extends true ? never : K]: DecodedValue<S['fields'][K]>} &
  {-readonly [K in keyof S['fields'] as HasPresence<S['fields'][K]> extends true ? K : never]?: DecodedValue<S['fields'][K]>}
>

/** What encode() accepts for schema S: every field may be left out. */
export type MessageInit<S extends MessageSchema> = Simplify<{[K in keyof S['fields']]?: InitValue<S['fields'][K]> | undefined}>

/** Declares a message schema; `const` keeps the literal field kinds so Message<> can type it. */
export function message<const F extends Fields>(name: string, fields: F): MessageSchema<F> {
  const numbers = new Set<number>()
  for (const [key, field] of Object.entries(fields)) {
    if (!Number.isInteger(field.no) || field.no < 1 || field.no > 0x1fffffff || numbers.has(field.no)) {
      throw new Error(`${name}.${key}: bad or duplicate field number ${field.no}`)
    }
    numbers.add(field.no)
  }
  return {name, fields}
}

/** The input is not a valid encoding of the schema (truncated, wrong wire type, ...). */
export class DecodeError extends Error {
  override name = 'DecodeError'
}

// Wire types of the encoding spec.
const VARINT = 0
const FIXED64 = 1
const LEN = 2
const START_GROUP = 3
const END_GROUP = 4
const FIXED32 = 5

const utf8Decoder = new TextDecoder()
const utf8Encoder = new TextEncoder()
const TWO_POW_32 = 2 ** 32

// Lookups from field number to field, built once per schema on first use.
const byNumber = new WeakMap<MessageSchema, Map<number, [string, FieldSchema]>>()
const inNumberOrder = new WeakMap<MessageSchema, [string, FieldSchema][]>()

function fieldsByNumber(schema: MessageSchema): Map<number, [string, FieldSchema]> {
  let map = byNumber.get(schema)
  if (!map) {
    map = new Map(Object.entries(schema.fields).map(([key, field]) => [field.no, [key, field]]))
    byNumber.set(schema, map)
  }
  return map
}

// Encoding in field-number order is what other implementations do, so outputs compare byte for byte.
function fieldsInOrder(schema: MessageSchema): [string, FieldSchema][] {
  let list = inNumberOrder.get(schema)
  if (!list) {
    list = Object.entries(schema.fields).sort((a, b) => a[1].no - b[1].no)
    inNumberOrder.set(schema, list)
  }
  return list
}

const hasPresence = (field: FieldSchema): boolean =>
  !('repeated' in field && field.repeated) && (field.type === 'message' || ('optional' in field && !!field.optional) || ('oneof' in field && field.oneof !== undefined))

const isPackable = (field: FieldSchema): boolean => field.type !== 'message' && field.type !== 'map' && field.type !== 'string' && field.type !== 'bytes'

// --- decoding -------------------------------------------------------------------------------

class Reader {
  readonly buf: Uint8Array
  pos: number
  readonly end: number

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf
    this.pos = pos
    this.end = end
  }

  byte(): number {
    if (this.pos >= this.end) throw new DecodeError('truncated message')
    return this.buf[this.pos++] as number
  }

  /** An unsigned 64-bit varint: a number while it stays below 2^53, else a bigint. */
  varint(): number | bigint {
    let value = 0
    // Seven groups of 7 bits (49 bits) always fit a double exactly.
    for (let i = 0; i < 7; i++) {
      const b = this.byte()
      value += (b & 0x7f) * 2 ** (7 * i)
      if (b < 0x80) return value
    }
    let big = BigInt(value)
    for (let i = 7; i < 10; i++) {
      const b = this.byte()
      big |= BigInt(b & 0x7f) << BigInt(7 * i)
      if (b < 0x80) {
        big = BigInt.asUintN(64, big)
        return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
      }
    }
    throw new DecodeError('varint longer than 10 bytes')
  }

  length(): number {
    const n = this.varint()
    if (typeof n !== 'number' || n > this.end - this.pos) throw new DecodeError('truncated message')
    return n
  }

  bytes(): Uint8Array {
    const n = this.length()
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  /** A reader over the next length-delimited record; this one moves past it. */
  nested(): Reader {
    const n = this.length()
    const sub = new Reader(this.buf, this.pos, this.pos + n)
    this.pos += n
    return sub
  }

  skip(n: number): void {
    if (n > this.end - this.pos) throw new DecodeError('truncated message')
    this.pos += n
  }

  /** Skips a field of an unknown number, groups included, as the spec requires of parsers. */
  skipField(wireType: number, fieldNo: number): void {
    switch (wireType) {
      case VARINT: this.varint(); return
      case FIXED64: this.skip(8); return
      case LEN: this.skip(this.length()); return
      case FIXED32: this.skip(4); return
      case START_GROUP:
        for (;;) {
          const [no, wt] = this.tag()
          if (wt === END_GROUP) {
            if (no !== fieldNo) throw new DecodeError('mismatched end of group')
            return
          }
          this.skipField(wt, no)
        }
      default: throw new DecodeError(`invalid wire type ${wireType}`)
    }
  }

  tag(): [number, number] {
    const t = this.varint()
    if (typeof t !== 'number' || t > 0xffffffff) throw new DecodeError('invalid tag')
    const no = Math.floor(t / 8)
    if (no === 0) throw new DecodeError('invalid field number 0')
    return [no, t % 8]
  }
}

const signed64 = (u: number | bigint): Int64 => {
  if (typeof u === 'number') return u
  const s = BigInt.asIntN(64, u)
  return s >= BigInt(Number.MIN_SAFE_INTEGER) && s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : s
}

// int32 and enums are sign-extended to 64 bits on the wire; keep the low 32 bits as signed.
const signed32 = (u: number | bigint): number => (typeof u === 'number' ? u | 0 : Number(BigInt.asIntN(32, u)))
const unsigned32 = (u: number | bigint): number => (typeof u === 'number' ? u >>> 0 : Number(BigInt.asUintN(32, u)))

function readScalar(r: Reader, type: ScalarType): unknown {
  switch (type) {
    case 'string': return utf8Decoder.decode(r.bytes())
    // A plain copy: the input may be a pooled Buffer, whose slice() would share memory.
    case 'bytes': return new Uint8Array(r.bytes())
    case 'bool': return r.varint() !== 0
    case 'int32':
    case 'enum': return signed32(r.varint())
    case 'uint32': return unsigned32(r.varint())
    case 'int64': return signed64(r.varint())
    case 'uint64': return r.varint()
  }
}

function defaultOf(field: FieldSchema): unknown {
  if ('repeated' in field && field.repeated) return []
  switch (field.type) {
    case 'map': return {}
    case 'string': return ''
    case 'bytes': return new Uint8Array(0)
    case 'bool': return false
    default: return 0
  }
}

// A map key "__proto__" must become an own property, not replace the object's prototype.
function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true})
  else target[key] = value
}

function readMapEntry(r: Reader, target: Record<string, string>): void {
  const entry = r.nested()
  let key = ''
  let value = ''
  while (entry.pos < entry.end) {
    const [no, wt] = entry.tag()
    if (no === 1 && wt === LEN) key = utf8Decoder.decode(entry.bytes())
    else if (no === 2 && wt === LEN) value = utf8Decoder.decode(entry.bytes())
    else entry.skipField(wt, no)
  }
  setEntry(target, key, value)
}

function decodeInto(schema: MessageSchema, r: Reader, out: Record<string, unknown>): void {
  const fields = fieldsByNumber(schema)
  while (r.pos < r.end) {
    const [no, wt] = r.tag()
    const found = fields.get(no)
    if (!found) {
      r.skipField(wt, no)
      continue
    }
    const [key, field] = found
    const where = `${schema.name}.${key}`
    if (field.type === 'map') {
      if (wt !== LEN) throw new DecodeError(`${where}: wire type ${wt} for a map`)
      readMapEntry(r, out[key] as Record<string, string>)
      continue
    }
    if (field.oneof !== undefined) clearOneof(schema, field.oneof, key, out)
    if (field.type === 'message') {
      if (wt !== LEN) throw new DecodeError(`${where}: wire type ${wt} for a message`)
      const sub = r.nested()
      if (field.repeated) {
        const item = emptyMessage(field.message)
        decodeInto(field.message, sub, item)
        ;(out[key] as unknown[]).push(item)
      } else {
        // A repeated occurrence of a singular message merges into the first, per the spec.
        const existing = out[key] as Record<string, unknown> | undefined
        const item = existing ?? emptyMessage(field.message)
        decodeInto(field.message, sub, item)
        out[key] = item
      }
      continue
    }
    // Repeated numeric fields arrive packed (one LEN record) or unpacked; parsers accept both.
    if (field.repeated && isPackable(field) && wt === LEN) {
      const packed = r.nested()
      while (packed.pos < packed.end) (out[key] as unknown[]).push(readScalar(packed, field.type))
      continue
    }
    const expected = field.type === 'string' || field.type === 'bytes' ? LEN : VARINT
    if (wt !== expected) throw new DecodeError(`${where}: wire type ${wt}, expected ${expected}`)
    const value = readScalar(r, field.type)
    if (field.repeated) (out[key] as unknown[]).push(value)
    else out[key] = value
  }
}

function clearOneof(schema: MessageSchema, oneof: string, keep: string, out: Record<string, unknown>): void {
  for (const [key, field] of Object.entries(schema.fields)) {
    if (key !== keep && 'oneof' in field && field.oneof === oneof) delete out[key]
  }
}

function emptyMessage(schema: MessageSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(schema.fields)) {
    if (!hasPresence(field)) out[key] = defaultOf(field)
  }
  return out
}

/** Decodes `bytes` as a message of `schema`; unknown fields are skipped. Throws DecodeError. */
export function decode<S extends MessageSchema>(schema: S, bytes: Uint8Array): Message<S> {
  const out = emptyMessage(schema)
  decodeInto(schema, new Reader(bytes), out)
  return out as Message<S>
}

// --- encoding -------------------------------------------------------------------------------

class Writer {
  buf = new Uint8Array(64)
  pos = 0

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.buf.subarray(0, this.pos))
    this.buf = grown
  }

  byte(b: number): void {
    this.reserve(1)
    this.buf[this.pos++] = b
  }

  /** A non-negative integer below 2^53 as a varint (bit operators would truncate to 32 bits). */
  varint(v: number): void {
    this.reserve(10)
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    this.buf[this.pos++] = v
  }

  /** Any value as its unsigned 64-bit two's complement varint. */
  varint64(v: bigint): void {
    let u = BigInt.asUintN(64, v)
    if (u <= BigInt(Number.MAX_SAFE_INTEGER)) return this.varint(Number(u))
    this.reserve(10)
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80
      u >>= 7n
    }
    this.buf[this.pos++] = Number(u)
  }

  tag(no: number, wireType: number): void {
    this.varint(no * 8 + wireType)
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length)
    this.buf.set(bytes, this.pos)
    this.pos += bytes.length
  }

  lengthDelimited(bytes: Uint8Array): void {
    this.varint(bytes.length)
    this.raw(bytes)
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos)
  }
}

function integer(value: unknown, where: string): number | bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isInteger(value)) return value
  throw new TypeError(`${where}: expected an integer, got ${typeof value === 'number' ? value : typeof value}`)
}

function writeInteger(w: Writer, value: number | bigint, type: ScalarType, where: string): void {
  if (type === 'int32' || type === 'enum') {
    const v = Number(value)
    if (v < -(2 ** 31) || v >= 2 ** 31) throw new RangeError(`${where}: ${value} out of int32 range`)
    // Negative int32 is sign-extended to ten bytes so 64-bit readers see the same number.
    if (v < 0) w.varint64(BigInt(v))
    else w.varint(v)
  } else if (type === 'uint32') {
    const v = Number(value)
    if (v < 0 || v >= TWO_POW_32) throw new RangeError(`${where}: ${value} out of uint32 range`)
    w.varint(v)
  } else {
    const big = BigInt(value)
    const [lo, hi] = type === 'int64' ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n]
    if (big < lo || big > hi) throw new RangeError(`${where}: ${value} out of ${type} range`)
    if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER) w.varint(value)
    else w.varint64(big)
  }
}

function isDefault(value: unknown): boolean {
  return value === '' || value === 0 || value === 0n || value === false || (value instanceof Uint8Array && value.length === 0)
}

// Writes one scalar's payload (the tag is the caller's), checking its JS type.
function writeScalarValue(w: Writer, type: ScalarType, value: unknown, where: string): void {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw new TypeError(`${where}: expected a string, got ${typeof value}`)
      w.lengthDelimited(utf8Encoder.encode(value))
      return
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw new TypeError(`${where}: expected a Uint8Array`)
      w.lengthDelimited(value)
      return
    case 'bool':
      if (typeof value !== 'boolean') throw new TypeError(`${where}: expected a boolean, got ${typeof value}`)
      w.byte(value ? 1 : 0)
      return
    default:
      writeInteger(w, integer(value, where), type, where)
  }
}

function encodeInto(schema: MessageSchema, value: object, w: Writer): void {
  const obj = value as Record<string, unknown>
  const oneofsSeen = new Map<string, string>()
  for (const [key, field] of fieldsInOrder(schema)) {
    const v = obj[key]
    if (v === undefined || v === null) continue
    const where = `${schema.name}.${key}`
    if ('oneof' in field && field.oneof !== undefined) {
      const other = oneofsSeen.get(field.oneof)
      if (other !== undefined) throw new TypeError(`${schema.name}: ${other} and ${key} are both set in oneof ${field.oneof}`)
      oneofsSeen.set(field.oneof, key)
    }
    if (field.type === 'map') {
      if (typeof v !== 'object') throw new TypeError(`${where}: expected an object of strings`)
      for (const [k, s] of Object.entries(v)) {
        if (typeof s !== 'string') throw new TypeError(`${where}[${k}]: expected a string, got ${typeof s}`)
        // An entry is a small message {key = 1, value = 2}; both are written, as other encoders do.
        const entry = new Writer()
        entry.tag(1, LEN)
        entry.lengthDelimited(utf8Encoder.encode(k))
        entry.tag(2, LEN)
        entry.lengthDelimited(utf8Encoder.encode(s))
        w.tag(field.no, LEN)
        w.lengthDelimited(entry.finish())
      }
      continue
    }
    if (field.repeated) {
      if (!Array.isArray(v)) throw new TypeError(`${where}: expected an array`)
      if (v.length === 0) continue
      if (field.type === 'message') {
        for (const item of v) writeMessageField(w, field, item, where)
      } else if (isPackable(field)) {
        // proto3 packs repeated numeric fields by default.
        const packed = new Writer()
        for (const item of v) writeScalarValue(packed, field.type, item, where)
        w.tag(field.no, LEN)
        w.lengthDelimited(packed.finish())
      } else {
        for (const item of v) {
          w.tag(field.no, LEN)
          writeScalarValue(w, field.type, item, where)
        }
      }
      continue
    }
    if (field.type === 'message') {
      writeMessageField(w, field, v, where)
      continue
    }
    // Without presence a default value is indistinguishable from absence, so it is not sent.
    if (!hasPresence(field) && isDefault(v)) continue
    w.tag(field.no, field.type === 'string' || field.type === 'bytes' ? LEN : VARINT)
    writeScalarValue(w, field.type, v, where)
  }
}

function writeMessageField(w: Writer, field: MessageField, value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where}: expected an object`)
  const sub = new Writer()
  encodeInto(field.message, value, sub)
  w.tag(field.no, LEN)
  w.lengthDelimited(sub.finish())
}

/** Encodes `value` as a message of `schema`. Throws TypeError/RangeError on values that do not fit. */
export function encode<S extends MessageSchema>(schema: S, value: MessageInit<S>): Uint8Array {
  const w = new Writer()
  encodeInto(schema, value, w)
  return w.finish()
}
