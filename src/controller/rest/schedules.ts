// Backup shipping schedules (/v1/schedules), their pairs with remotes on the controller, a
// resource group or a resource definition (/v1/remotes/{remote}/backups/schedule/{schedule}/…),
// and the views by resource (/v1/view/schedules-by-resource). Changes take effect when the
// schedule runner next looks at the store, within a second.
import type {Request, Router} from 'express'
import {rc, Rc} from '../../common/api-call-rc.ts'
import {nodeCronReader} from '../backups/cron.ts'
import {deleteBackupSchedule, deleteSchedule, scheduleDetails, setBackupSchedule} from '../model/backup-schedule.ts'
import {createSchedule, modifySchedule, scheduleList} from '../model/schedule.ts'
import {scheduledRscs} from '../model/scheduled-shipping.ts'
import type {RestDeps} from './deps.ts'
import {mutation, sendJson} from './reply.ts'

/** A query parameter given once; empty counts as not given. */
const queryOf = (req: Request, name: string): string | undefined => {
  const v = req.query[name]
  return typeof v === 'string' && v ? v : undefined
}

export function scheduleRoutes(r: Router, deps: RestDeps): void {
  const {store, ids} = deps

  r.get('/v1/schedules', (_req, res) => sendJson(res, 200, scheduleList(store.state)))

  r.post('/v1/schedules', mutation({op: 'create', obj: 'schedule', body: 'Schedule'}, async (req, _res, ok) => {
    const {changes, message, details} = createSchedule(store.state, req.body, ids, nodeCronReader)
    await store.commit(changes)
    return [ok(Rc.CREATED, {message, details})]
    // 200, not 201: what LINSTOR's Schedules endpoint and the contract answer.
  }, 200))

  r.put('/v1/schedules/:schedule', mutation({op: 'modify', obj: 'schedule', body: 'ScheduleModify'}, async (req, _res, ok) => {
    const {changes, message, details} = modifySchedule(store.state, req.params.schedule as string, req.body, nodeCronReader)
    await store.commit(changes)
    return [ok(Rc.MODIFIED, {message, details})]
  }, 200))

  // As LINSTOR: "marked for deletion", then "deleted" in a modify context; both at once here.
  r.delete('/v1/schedules/:schedule', mutation({op: 'delete', obj: 'schedule'}, async (req, _res, ok) => {
    const name = req.params.schedule as string
    const {changes, deleted} = deleteSchedule(store.state, name)
    if (!deleted) return [ok(Rc.WARN_NOT_FOUND, {message: `Schedule: ${name} not found.`})]
    await store.commit(changes)
    const what = `Schedule: ${deleted.name}`
    return [ok(Rc.DELETED, {message: `${what} marked for deletion.`, details: `${what} UUID is: ${deleted.uuid}`}),
      rc(Rc.DELETED, {message: `${what} deleted.`, details: `${what} UUID was: ${deleted.uuid}`}, 'modify', 'schedule')]
  }, 200))

  const pair = (enable: boolean) => mutation({op: 'modify', obj: 'schedule', body: 'BackupSchedule'}, async (req, _res, ok) => {
    const {changes, replies} = setBackupSchedule(store.state, req.params.remote as string, req.params.schedule as string, req.body, enable)
    await store.commit(changes)
    return replies.map((x) => ok(x.code, {message: x.message}))
  }, 200)
  r.put('/v1/remotes/:remote/backups/schedule/:schedule/enable', pair(true))
  r.put('/v1/remotes/:remote/backups/schedule/:schedule/disable', pair(false))

  r.delete('/v1/remotes/:remote/backups/schedule/:schedule/delete', mutation({op: 'delete', obj: 'schedule'}, async (req, _res, ok) => {
    const {changes, message} = deleteBackupSchedule(store.state, req.params.remote as string, req.params.schedule as string,
      queryOf(req, 'rsc_dfn_name'), queryOf(req, 'rsc_grp_name'))
    await store.commit(changes)
    return [ok(Rc.DELETED, {message})]
  }, 200))

  r.get('/v1/view/schedules-by-resource', (req, res) => {
    const filter = {rsc: queryOf(req, 'rsc'), remote: queryOf(req, 'remote'), schedule: queryOf(req, 'schedule'),
      activeOnly: /^true$/i.test(queryOf(req, 'active-only') ?? '')}
    sendJson(res, 200, scheduledRscs(store.state, filter, ids.now(), (s) => deps.schedules?.runtime(s), nodeCronReader))
  })

  // A missing resource definition is a 404 with LINSTOR's error entry (the app's error handler).
  r.get('/v1/view/schedules-by-resource/:rsc', (req, res) => sendJson(res, 200, scheduleDetails(store.state, req.params.rsc as string)))
}
