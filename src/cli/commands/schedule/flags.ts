// The flags `schedule create` and `schedule modify` share, spelled as the linstor client spells
// them, and the body they make.
import {Flags} from '@oclif/core'
import type {ScheduleModify} from '../../../api/wire.ts'
import {keepCount, onFailure, retryCount} from '../../schedule-args.ts'

export const scheduleFlags = {
  'incremental-cron': Flags.string({char: 'i', description: 'cron expression for incremental backups'}),
  'keep-local': Flags.string({char: 'l', description: 'number (or "all") of snapshots that full backups are based on to keep locally'}),
  'keep-remote': Flags.string({char: 'r', description: 'number (or "all") of full backups to keep at the remote (S3 only)'}),
  // In any case, as the linstor client takes it (oclif's `options` would be case-sensitive).
  'on-failure': Flags.string({helpValue: 'RETRY|SKIP', description: 'on failure: RETRY after a minute, or SKIP to the next time'}),
  'max-retries': Flags.string({description: 'how many retries with --on-failure RETRY, or "forever"'}),
}

type Given = {[K in keyof typeof scheduleFlags]?: string}

/** The fields given on the command line; throws (a usage error) on a value that does not parse. */
export function scheduleFields(f: Given): ScheduleModify {
  const n = <T>(v: string | undefined, parse: (t: string) => T): T | undefined => (v === undefined ? undefined : parse(v))
  return {inc_cron: f['incremental-cron'], keep_local: n(f['keep-local'], keepCount), keep_remote: n(f['keep-remote'], keepCount),
    on_failure: n(f['on-failure'], onFailure), max_retries: n(f['max-retries'], retryCount)}
}
