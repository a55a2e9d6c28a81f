// The controller's durable state behind one small interface, so that a networked database can
// replace the embedded one later without touching the REST layer or the model.
import type {Change, ClusterState} from '../model/state.ts'

export interface Store {
  /** The current state. Treat as read-only; change it only through commit. */
  readonly state: ClusterState
  /**
   * Applies the changes at once (so the next request sees them) and resolves when they are
   * durable. Reject means the process can no longer promise durability and must stop.
   */
  commit(changes: readonly Change[]): Promise<void>
  /** Writes a full snapshot and empties the journal. */
  compact(): Promise<void>
  close(): Promise<void>
}
