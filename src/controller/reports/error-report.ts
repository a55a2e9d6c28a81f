// Error reports: what went wrong, where and when, kept on the controller for `cairn err list/show`.
// Ids follow LINSTOR's `<instance>-<node>-<sequence>` shape so that tools matching them still do.
// Pure: ids, texts and the list filter; the book in report-book.ts stores them.
import {createHash} from 'node:crypto'
import type {ErrorReport} from '../../api/wire.ts'

/** The controller's own reports use this node part, as LINSTOR's do. */
export const CONTROLLER_TAG = '00000'
export const CONTROLLER_NODE = 'Controller'

/** Five hex digits derived from the node name, so every node's reports have their own id space. */
export const nodeTag = (node: string): string => createHash('sha1').update(node.toUpperCase()).digest('hex').slice(0, 5).toUpperCase()

/** Eight hex digits of a process instance id (a UUID or any hex string). */
export const instanceTag = (instance: string): string => instance.replace(/[^0-9a-f]/gi, '').slice(0, 8).toUpperCase().padEnd(8, '0')

export const reportId = (instance: string, tag: string, seq: number): string =>
  `${instanceTag(instance)}-${tag}-${String(seq).padStart(6, '0')}`

export const reportFilename = (id: string): string => `ErrorReport-${id}.log`
export const idOfFilename = (filename: string): string => filename.replace(/^ErrorReport-/, '').replace(/\.log$/, '')

export interface ReportInput {
  node: string
  time: number
  module: string
  message: string
  /** An exception's class name, when there was one. */
  exception?: string
  details?: string
  peer?: string
  version: string
}

export function renderReportText(id: string, r: ReportInput): string {
  const lines = [
    `ERROR REPORT ${id}`,
    '',
    '============================================================',
    '',
    `Application:                        Cairn (${r.node === CONTROLLER_NODE ? 'controller' : 'satellite'})`,
    `Module:                             ${r.module}`,
    `Version:                            ${r.version}`,
    `Node:                               ${r.node}`,
    ...(r.peer ? [`Peer:                               ${r.peer}`] : []),
    `Error time:                         ${new Date(r.time).toISOString()}`,
    '',
    '============================================================',
    '',
    `Reported error:`,
    '===============',
    '',
    ...(r.exception ? [`Category:                           ${r.exception}`] : []),
    `Error message:                      ${r.message}`,
    ...(r.details ? ['', 'Details:', r.details] : []),
    '',
    'END OF ERROR REPORT.',
    '',
  ]
  return lines.join('\n')
}

export function makeReport(id: string, r: ReportInput): ErrorReport {
  return {
    node_name: r.node, error_time: r.time, filename: reportFilename(id), module: r.module, version: r.version, peer: r.peer,
    exception: r.exception, exception_message: r.message, text: renderReportText(id, r),
  }
}

export interface ReportQuery {
  /** Upper-cased node names; undefined means all. */
  nodes?: Set<string>
  since?: number
  to?: number
  ids?: Set<string>
  exception?: string
  version?: string
}

export function matches(r: ErrorReport, q: ReportQuery): boolean {
  return (!q.nodes || q.nodes.has((r.node_name ?? '').toUpperCase()))
    && (q.since === undefined || Number(r.error_time) >= q.since)
    && (q.to === undefined || Number(r.error_time) <= q.to)
    && (!q.ids || q.ids.has(idOfFilename(r.filename ?? '').toUpperCase()))
    && (q.exception === undefined || r.exception === q.exception)
    && (q.version === undefined || r.version === q.version)
}
