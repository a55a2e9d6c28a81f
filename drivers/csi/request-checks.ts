// Checks of CSI request fields shared by the controller and node services: a missing or
// malformed field is the caller's error, INVALID_ARGUMENT with the method named.
import {GrpcError, GrpcStatus} from './grpc-server.ts'
import {parseVolumeId, type VolumeId} from './volume-id.ts'

export const invalid = (message: string): GrpcError => new GrpcError(GrpcStatus.INVALID_ARGUMENT, message)
export const required = (method: string, field: string): GrpcError => invalid(`${method}: ${field} is required`)

export function volumeIdOf(method: string, raw: string): VolumeId {
  if (raw === '') throw required(method, 'volume_id')
  try {
    return parseVolumeId(raw)
  } catch (e) {
    throw invalid(`${method}: ${(e as Error).message}`)
  }
}
