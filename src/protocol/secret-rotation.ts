// Rotating the cluster secret without downtime, in two steps. `stage`: the controller sends the
// new secret, sealed (link-seal.ts) with a key derived from the current one,
// and each satellite then accepts both. Once every satellite has it, the controller switches to
// the new secret and sends `commit`, after which satellites forget the old one. A satellite that
// restarts between the steps keeps accepting both (the staged secret is on disk).

export const SECRET_PATH = '/internal/v1/cluster-secret'

export type SecretRequest = {protocol: number, op: 'stage', sealed: string} | {protocol: number, op: 'commit'}
export interface SecretReply {protocol: number, error?: string}

/** The secrets a satellite accepts: the current one first, then a staged one. */
export interface SecretRing {
  current: string
  staged?: string
}

export const accepted = (ring: SecretRing): string[] => (ring.staged ? [ring.current, ring.staged] : [ring.current])
