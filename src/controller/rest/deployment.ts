// After resources are placed, the reply reports what each satellite did with them, as LINSTOR's
// does ("Created resource 'r' on 'n1'"), instead of answering before anything happened.
import {Rc, type ApiCallRc, type RcText} from '../../common/api-call-rc.ts'
import type {RscRec} from '../model/resource.ts'
import {drbdOf, luksOfRsc, nvmeOf, volumesOf} from '../../protocol/report-lookup.ts'
import type {RestDeps} from './deps.ts'

/** `what` names the change on each node; new resources are also announced as set up. */
export async function deploymentReplies(deps: RestDeps, rscs: RscRec[], ok: (code: bigint, text: RcText) => ApiCallRc,
  what?: (r: RscRec) => string): Promise<ApiCallRc[]> {
  const out: ApiCallRc[] = what ? [] : rscs.map((r) => ok(Rc.CREATED, {message: `Successfully set up resource '${r.rscDfn}' on node '${r.node}'.`,
    obj_refs: {RscDfn: r.rscDfn, Node: r.node}}))
  await deps.link.kick([...new Set(rscs.map((r) => r.node))])
  for (const r of rscs) {
    const rt = deps.link.runtime(r.node)
    if (rt.status !== 'ONLINE') {
      out.push(ok(Rc.WARN_NOT_CONNECTED, {message: `No connection to satellite '${r.node}'`,
        details: `The resource '${r.rscDfn}' will be created when the satellite connects.${rt.lastError ? ` Last error: ${rt.lastError}` : ''}`}))
      continue
    }
    const drbd = r.layerStack.includes('DRBD') ? drbdOf(rt.report, r.rscDfn) : undefined
    const luks = r.layerStack.includes('LUKS') ? luksOfRsc(rt.report, r.rscDfn) : []
    const nvme = r.layerStack.includes('NVME') ? nvmeOf(rt.report, r.rscDfn) : undefined
    const failed: {error?: string, errorSeq?: number}[] = [...volumesOf(rt.report, r.rscDfn), ...luks, ...(nvme ? [nvme] : []), ...(drbd ? [drbd] : [])]
      .filter((v) => v.state === 'Failed')
    if (failed.length) {
      const reportIds = failed.flatMap((v) => (v.errorSeq === undefined || !rt.report ? [] : [deps.reports.idOf(r.node, rt.report.instance, v.errorSeq)]))
      out.push({...ok(Rc.FAIL_UNKNOWN_ERROR, {message: `Resource '${r.rscDfn}' could not be created on node '${r.node}'.`,
        details: failed.map((v) => v.error ?? 'unknown error').join('\n'),
        correction: 'Fix the cause on the node; the satellite retries on every sync. Delete the resource to give up.'}),
      ...(reportIds.length ? {error_report_ids: [...new Set(reportIds)]} : {})})
    } else {
      out.push(ok(Rc.CREATED, {message: what ? what(r) : `Created resource '${r.rscDfn}' on '${r.node}'`}))
    }
  }
  return out
}

/**
 * After a delete was flagged: let the satellites act, then say whether the records are gone or
 * still waiting for a node (which then shows DELETING until it reconnects or is declared lost).
 */
export async function deletionReplies(deps: RestDeps, nodes: string[], stillThere: () => string[], what: string,
  ok: (code: bigint, text: RcText) => ApiCallRc): Promise<ApiCallRc[]> {
  await deps.link.kick([...new Set(nodes)])
  const waiting = stillThere()
  if (!waiting.length) return [ok(Rc.DELETED, {message: `${what} deleted.`})]
  return waiting.map((node) => {
    const rt = deps.link.runtime(node)
    return ok(Rc.WARN_NOT_CONNECTED, {message: `${what}: deletion on node '${node}' is pending.`,
      details: rt.status === 'ONLINE' ? 'The satellite has not removed the volumes yet; see its error reports.'
        : `The satellite is ${rt.status}${rt.lastError ? ` (${rt.lastError})` : ''}; it removes the volumes when it reconnects.`,
      correction: `If node '${node}' is gone for good, 'node lost ${node}' forgets it and everything on it.`})
  })
}
