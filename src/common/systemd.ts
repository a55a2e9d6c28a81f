// systemd readiness (Type=notify). Node cannot send unix datagrams, so `systemd-notify` sends
// READY=1 on our behalf; the units set NotifyAccess=all and we name our own pid.
import {execFile} from 'node:child_process'

export function notifyReady(status: string): Promise<void> {
  if (!process.env.NOTIFY_SOCKET) return Promise.resolve()
  return new Promise((resolve) => {
    execFile('systemd-notify', ['--ready', `--pid=${process.pid}`, `--status=${status}`], () => resolve())
  })
}
