import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {ApiError, ConnectionError} from '../../src/api/client.ts'
import {GrpcError, GrpcStatus} from '../../drivers/csi/grpc-server.ts'
import {errorCodes, grpcErrorFor, hasErrorCode, linstorMessage} from '../../drivers/csi/linstor-errors.ts'

const ERR = 0xC000000000000000n
const rc = (code: bigint, message: string, extra: {cause?: string, details?: string} = {}): {ret_code: bigint, message: string} =>
  ({ret_code: BigInt.asIntN(64, ERR | 0x380000n | code), message, ...extra})

describe('LINSTOR errors as gRPC statuses', () => {
  test('error codes and messages', () => {
    const replies = [rc(996n, 'Not enough available nodes', {cause: 'no space', details: 'node1/thin'}), {ret_code: 1n, message: 'info'}]
    assert.deepEqual(errorCodes(replies), [996n])
    assert.equal(hasErrorCode(new ApiError(500, replies), 996n, 501n), true)
    assert.equal(hasErrorCode(new ApiError(500, replies), 501n), false)
    assert.equal(hasErrorCode(new Error('x'), 996n), false)
    assert.equal(linstorMessage(new ApiError(500, replies)), 'Not enough available nodes: no space: node1/thin')
    assert.equal(linstorMessage(new ApiError(404, [])), 'HTTP 404')
  })

  test('statuses', () => {
    const cases: [unknown, number, RegExp][] = [
      [new ConnectionError('Unable to connect to http://x:3370: ECONNREFUSED'), GrpcStatus.UNAVAILABLE, /create: LINSTOR controller unreachable: .*ECONNREFUSED/],
      [new ApiError(404, []), GrpcStatus.NOT_FOUND, /create: HTTP 404/],
      [new ApiError(404, [rc(301n, "Resource definition 'x' not found.")]), GrpcStatus.NOT_FOUND, /'x' not found/],
      [new ApiError(500, [rc(996n, 'Not enough available nodes')]), GrpcStatus.RESOURCE_EXHAUSTED, /Not enough available nodes/],
      [new ApiError(500, [rc(998n, 'boom')]), GrpcStatus.INTERNAL, /create: boom/],
      [new Error('plain'), GrpcStatus.INTERNAL, /create: plain/],
      [new GrpcError(GrpcStatus.ABORTED, 'kept'), GrpcStatus.ABORTED, /^kept$/],
    ]
    for (const [e, code, message] of cases) {
      const g = grpcErrorFor(e, 'create')
      assert.equal(g.code, code, String(e))
      assert.match(g.message, message)
    }
    assert.equal(grpcErrorFor(new ApiError(404, []), 'place', GrpcStatus.FAILED_PRECONDITION).code, GrpcStatus.FAILED_PRECONDITION)
  })
})
