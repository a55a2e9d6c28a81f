// POST /v1/controller/cluster-secret/rotate (Cairn's own): a new cluster secret for the
// controller ↔ satellite link, rolled out without a moment in which satellites refuse the
// controller. Body {force?: boolean}: rotate even when some satellites cannot take it (they then
// need the new secret by hand: `cairn controller join-secret`).
import type {Router} from 'express'
import {randomBytes} from 'node:crypto'
import {Rc} from '../../common/api-call-rc.ts'
import {object, optBool} from '../../common/input.ts'
import {ApiFailure, asApiFailure} from '../model/api-failure.ts'
import type {RestDeps} from './deps.ts'
import {mutation} from './reply.ts'

export function clusterSecretRoutes(r: Router, deps: RestDeps): void {
  r.post('/v1/controller/cluster-secret/rotate', mutation({op: 'modify', obj: 'ctrlConf'}, async (req, _res, ok) => {
    const force = asApiFailure(() => optBool(object(req.body ?? {}, 'rotation').force, 'force')) === true
    if (!deps.persistSecret) {
      throw new ApiFailure(Rc.FAIL_INVLD_CONF, {message: 'The cluster secret comes from the configuration and cannot be rotated here.',
        correction: 'Change CAIRN_CLUSTER_SECRET or cluster_secret in cairn.toml on every node instead.'})
    }
    const result = await deps.link.rotateSecret(randomBytes(32).toString('base64url'), deps.persistSecret, force)
    const problems = result.failed.map((f) => ok(Rc.WARN_NOT_CONNECTED, {message: `Satellite '${f.node}' did not take the new secret: ${f.error}`,
      correction: result.switched ? `Copy the secret (cairn controller join-secret) to ${f.node}'s data directory and restart its satellite.` : undefined}))
    if (!result.switched) {
      return [ok(Rc.FAIL_NOT_CONNECTED, {message: 'The cluster secret was not rotated: not every satellite could take the new one.',
        correction: 'Bring the satellites online, or pass force to rotate anyway.'}), ...problems]
    }
    deps.log.info('cluster secret rotated', {satellites: result.rotated.length, failed: result.failed.length})
    return [ok(Rc.MODIFIED, {message: `Cluster secret rotated; ${result.rotated.length} satellite(s) switched without interruption.`}), ...problems]
  }, 200))
}
