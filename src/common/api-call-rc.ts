// LINSTOR's ApiCallRc: an int64 ret_code whose top two bits give the class (error, warning,
// info, success), bits 24–25 the operation, bits 18–22 the object and the low 15 bits the code.
// Values follow linstor-common's consts.json so that clients decode them unchanged.

export const MASK_ERROR = 0xC000000000000000n
export const MASK_WARN = 0x8000000000000000n
export const MASK_INFO = 0x4000000000000000n
const MASK_TYPE = 0xC000000000000000n
const MASK_OP = 0x03000000n
const MASK_OBJ = 0x007C0000n

export const Op = {create: 0x01000000n, modify: 0x02000000n, delete: 0x03000000n} as const
export type OpKind = keyof typeof Op

export const Obj = {
  schedule: 0x540000n, extFiles: 0x500000n, physicalDevice: 0x4C0000n, vlmGrp: 0x480000n, rscGrp: 0x440000n,
  kvs: 0x400000n, node: 0x3C0000n, rscDfn: 0x380000n, rsc: 0x340000n, vlmDfn: 0x300000n, vlm: 0x2C0000n,
  nodeConn: 0x280000n, rscConn: 0x240000n, vlmConn: 0x200000n, netIf: 0x1C0000n, storPoolDfn: 0x180000n,
  storPool: 0x140000n, ctrlConf: 0x100000n, snapshot: 0x0C0000n, backup: 0x080000n, remote: 0x040000n,
} as const
export type ObjKind = keyof typeof Obj

/** Low 15-bit codes; the class mask is part of the constant, as in consts.json. */
export const Rc = {
  CREATED: 1n, DELETED: 2n, MODIFIED: 3n, PASSPHRASE_ACCEPTED: 4n,
  FAIL_INVLD_NODE_NAME: MASK_ERROR | 200n, FAIL_INVLD_NODE_TYPE: MASK_ERROR | 201n, FAIL_INVLD_RSC_NAME: MASK_ERROR | 202n,
  FAIL_INVLD_VLM_SIZE: MASK_ERROR | 206n, FAIL_INVLD_STOR_POOL_NAME: MASK_ERROR | 208n, FAIL_INVLD_NET_NAME: MASK_ERROR | 209n,
  FAIL_INVLD_NET_ADDR: MASK_ERROR | 210n, FAIL_INVLD_NET_PORT: MASK_ERROR | 211n, FAIL_INVLD_NET_TYPE: MASK_ERROR | 212n,
  FAIL_INVLD_PROP: MASK_ERROR | 213n, FAIL_INVLD_CRYPT_PASSPHRASE: MASK_ERROR | 216n, FAIL_INVLD_SNAPSHOT_NAME: MASK_ERROR | 218n, FAIL_INVLD_PLACE_COUNT: MASK_ERROR | 219n, FAIL_INVLD_STOR_DRIVER: MASK_ERROR | 221n, FAIL_INVLD_KVS_NAME: MASK_ERROR | 223n,
  FAIL_INVLD_LAYER_KIND: MASK_ERROR | 224n, FAIL_INVLD_LAYER_STACK: MASK_ERROR | 225n, FAIL_INVLD_PROVIDER: MASK_ERROR | 227n,
  FAIL_INVLD_VLM_SIZES: MASK_ERROR | 228n, FAIL_INVLD_CONF: MASK_ERROR | 230n, FAIL_INVLD_REQUEST: MASK_ERROR | 234n, FAIL_INVLD_RSC_GRP_NAME: MASK_ERROR | 237n,
  FAIL_NOT_FOUND_NODE: MASK_ERROR | 300n, FAIL_NOT_FOUND_RSC_DFN: MASK_ERROR | 301n, FAIL_NOT_FOUND_RSC: MASK_ERROR | 302n,
  FAIL_NOT_FOUND_VLM_DFN: MASK_ERROR | 303n, FAIL_NOT_FOUND_VLM: MASK_ERROR | 304n, FAIL_NOT_FOUND_NET_IF: MASK_ERROR | 305n, FAIL_NOT_FOUND_RSC_CONN: MASK_ERROR | 307n,
  FAIL_NOT_FOUND_STOR_POOL_DFN: MASK_ERROR | 309n, FAIL_NOT_FOUND_STOR_POOL: MASK_ERROR | 310n,
  FAIL_NOT_FOUND_DFLT_STOR_POOL: MASK_ERROR | 311n, FAIL_NOT_FOUND_CRYPT_KEY: MASK_ERROR | 312n, FAIL_NOT_FOUND_SNAPSHOT_DFN: MASK_ERROR | 313n, FAIL_NOT_FOUND_SNAPSHOT: MASK_ERROR | 315n, FAIL_NOT_FOUND_KVS: MASK_ERROR | 316n, FAIL_NOT_FOUND_RSC_GRP: MASK_ERROR | 317n,
  FAIL_NOT_FOUND_VLM_GRP: MASK_ERROR | 318n, FAIL_NOT_FOUND_EXT_FILE: MASK_ERROR | 320n,
  FAIL_ACC_DENIED_COMMAND: MASK_ERROR | 412n,
  FAIL_EXISTS_NODE: MASK_ERROR | 500n, FAIL_EXISTS_RSC_DFN: MASK_ERROR | 501n, FAIL_EXISTS_RSC: MASK_ERROR | 502n,
  FAIL_EXISTS_VLM_DFN: MASK_ERROR | 503n, FAIL_EXISTS_NET_IF: MASK_ERROR | 505n, FAIL_EXISTS_STOR_POOL_DFN: MASK_ERROR | 509n,
  FAIL_EXISTS_STOR_POOL: MASK_ERROR | 510n, FAIL_EXISTS_CRYPT_PASSPHRASE: MASK_ERROR | 512n, FAIL_EXISTS_SNAPSHOT_DFN: MASK_ERROR | 514n, FAIL_EXISTS_RSC_GRP: MASK_ERROR | 522n, FAIL_EXISTS_VLM_GRP: MASK_ERROR | 523n,
  FAIL_MISSING_PROPS: MASK_ERROR | 600n,
  FAIL_INSUFFICIENT_REPLICA_COUNT: MASK_ERROR | 991n, FAIL_RSC_BUSY: MASK_ERROR | 992n, FAIL_INSUFFICIENT_PEER_SLOTS: MASK_ERROR | 993n,
  FAIL_NOT_CONNECTED: MASK_ERROR | 995n, FAIL_IN_USE: MASK_ERROR | 997n, FAIL_NOT_ENOUGH_NODES: MASK_ERROR | 996n, FAIL_UNKNOWN_ERROR: MASK_ERROR | 998n,
  FAIL_SIGN_IN: MASK_ERROR | 10000n, FAIL_SIGN_IN_MISSING_CREDENTIALS: MASK_ERROR | 10001n,
  API_CALL_PARSE_ERROR: 0xCFFFFFFFFFFFFFFDn,
  WARN_NOT_CONNECTED: MASK_WARN | 1002n, WARN_RSC_ALREADY_HAS_DISK: MASK_WARN | 1007n, WARN_RSC_ALREADY_DISKLESS: MASK_WARN | 1008n,
  WARN_NOT_FOUND_CRYPT_KEY: MASK_WARN | 1011n, WARN_NODE_EVICTED: MASK_WARN | 1017n, WARN_NOT_EVACUATING: MASK_WARN | 1020n,
  WARN_INVLD_CONF: MASK_WARN | 1021n,
  // FAIL_NOT_ENOUGH_NODES's code as a warning: the operation goes on without that replica.
  WARN_NOT_ENOUGH_NODES: MASK_WARN | 996n, WARN_NOT_FOUND: MASK_WARN | 3000n,
  // FAIL_INVLD_PLACE_COUNT's code as a warning: adjust leaves more replicas than the place count alone.
  WARN_INVLD_PLACE_COUNT: MASK_WARN | 219n,
  INFO_NO_RSC_SPAWNED: MASK_INFO | 10000n, INFO_NOOP: MASK_INFO | 10007n,
} as const

/** One entry of an ApiCallRc list, as on the wire (ret_code is a signed int64). */
export interface ApiCallRc {
  ret_code: bigint
  message: string
  details?: string
  cause?: string
  correction?: string
  error_report_ids?: string[]
  obj_refs?: Record<string, string>
  created_at?: string
}

export type RcText = Omit<ApiCallRc, 'ret_code' | 'created_at'>

/** ORs the operation and object masks into a code where those bits are still zero, then signs it. */
export function withContext(code: bigint, op?: OpKind, obj?: ObjKind): bigint {
  let c = BigInt.asUintN(64, code)
  if (op && (c & MASK_OP) === 0n) c |= Op[op]
  if (obj && (c & MASK_OBJ) === 0n) c |= Obj[obj]
  return BigInt.asIntN(64, c)
}

export function rc(code: bigint, text: RcText, op?: OpKind, obj?: ObjKind, now = new Date()): ApiCallRc {
  return {ret_code: withContext(code, op, obj), ...text, created_at: isoOffset(now)}
}

// Codes parsed from JSON are numbers when they fit a double exactly (success and info codes).
const u64 = (code: bigint | number): bigint => BigInt.asUintN(64, BigInt(code))
export const isError = (code: bigint | number): boolean => (u64(code) & MASK_TYPE) === MASK_ERROR
export const isWarning = (code: bigint | number): boolean => (u64(code) & MASK_TYPE) === MASK_WARN
export const isInfo = (code: bigint | number): boolean => (u64(code) & MASK_TYPE) === MASK_INFO
const codeOf = (code: bigint): bigint => u64(code) & 0x7FFFn

/** HTTP status for a reply list, as LINSTOR's ApiCallRcRestUtils decides it: the first error wins. */
export function httpStatus(list: readonly ApiCallRc[], successStatus: number): number {
  const err = list.find((e) => isError(e.ret_code))
  if (!err) return successStatus
  const c = codeOf(err.ret_code)
  if (u64(err.ret_code) === Rc.API_CALL_PARSE_ERROR) return 400
  if (c === 10001n) return 401
  if (c >= 300n && c <= 399n) return 404
  if (c === 10000n || (c >= 400n && c <= 499n)) return 403
  return 500
}

/** ISO-8601 with the local offset and milliseconds, as Java's ISO_OFFSET_DATE_TIME prints it. */
export function isoOffset(d: Date): string {
  const off = -d.getTimezoneOffset()
  const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0')
  const sign = off >= 0 ? '+' : '-'
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:` +
    `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
}
