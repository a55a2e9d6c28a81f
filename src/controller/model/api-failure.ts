// A refused request: the LINSTOR ret code and the texts the client prints. Pure model code throws
// it; the REST edge turns it into an ApiCallRc list with the call's operation and object masks.
import {Rc, type RcText} from '../../common/api-call-rc.ts'
import {InputError} from '../../common/input.ts'

export class ApiFailure extends Error {
  readonly code: bigint
  readonly text: RcText
  constructor(code: bigint, text: RcText) {
    super(text.message)
    this.code = code
    this.text = text
  }
}

/** Ids and the clock, passed in so that model functions stay deterministic under test. */
export interface Ids {
  uuid(): string
  now(): number
}

/** Turns input-shape errors into FAIL_INVLD_REQUEST; ApiFailures pass through. */
export function asApiFailure<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof InputError) throw new ApiFailure(Rc.FAIL_INVLD_REQUEST, {message: e.message})
    throw e
  }
}
