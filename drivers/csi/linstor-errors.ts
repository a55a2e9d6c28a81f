// LINSTOR failures as gRPC statuses a CO acts on: an unreachable controller is UNAVAILABLE (retry
// later), a missing object NOT_FOUND, too few nodes or too little space RESOURCE_EXHAUSTED (the
// external-provisioner then reschedules), anything else INTERNAL; always with LINSTOR's message.
import {ApiError, ConnectionError} from '../../src/api/client.ts'
import type {ApiCallRc} from '../../src/api/wire.ts'
import {GrpcError, GrpcStatus, type GrpcStatusCode} from './grpc-server.ts'

export const FAIL_NOT_ENOUGH_NODES = 996n
export const FAIL_IN_USE = 997n
export const FAIL_EXISTS_RSC_DFN = 501n
export const FAIL_EXISTS_RSC = 502n
export const FAIL_EXISTS_VLM_DFN = 503n
export const FAIL_EXISTS_RSC_GRP = 522n

const ERROR_MASK = 0xC000000000000000n

/** The low code of every error entry (`ret_code & 0x7FFF`), e.g. 996 for FailNotEnoughNodes. */
export function errorCodes(replies: readonly ApiCallRc[]): bigint[] {
  return replies.map((r) => BigInt.asUintN(64, BigInt(r.ret_code)))
    .filter((c) => (c & ERROR_MASK) === ERROR_MASK).map((c) => c & 0x7FFFn)
}

/** An ApiError carrying one of `codes`. */
export const hasErrorCode = (e: unknown, ...codes: bigint[]): boolean =>
  e instanceof ApiError && errorCodes(e.replies).some((c) => codes.includes(c))

/** The error's messages with LINSTOR's cause and details, on one line each. */
export function linstorMessage(e: ApiError): string {
  const errors = e.replies.filter((r) => errorCodes([r]).length > 0)
  const list = errors.length > 0 ? errors : e.replies
  if (list.length === 0) return e.message
  return list.map((r) => [r.message, r.cause, r.details].filter((x) => x !== undefined && x !== '').join(': ')).join('; ')
}

/**
 * The gRPC status for a failed LINSTOR call; `what` says what was being done. `notFound` is the
 * status for a missing object: NOT_FOUND unless the object is not what the RPC is about (e.g. a
 * storage pool named in the parameters of a CreateVolume).
 */
export function grpcErrorFor(e: unknown, what: string, notFound: GrpcStatusCode = GrpcStatus.NOT_FOUND): GrpcError {
  if (e instanceof GrpcError) return e
  if (e instanceof ConnectionError) return new GrpcError(GrpcStatus.UNAVAILABLE, `${what}: LINSTOR controller unreachable: ${e.message}`)
  if (e instanceof ApiError) {
    let code: GrpcStatusCode = GrpcStatus.INTERNAL
    const codes = errorCodes(e.replies)
    if (e.status === 404 || codes.some((c) => c >= 300n && c < 400n)) code = notFound
    if (codes.includes(FAIL_NOT_ENOUGH_NODES)) code = GrpcStatus.RESOURCE_EXHAUSTED
    return new GrpcError(code, `${what}: ${linstorMessage(e)}`)
  }
  return new GrpcError(GrpcStatus.INTERNAL, `${what}: ${e instanceof Error ? e.message : String(e)}`)
}
