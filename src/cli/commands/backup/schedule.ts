// `backup schedule enable|disable|delete <remote> <schedule> [--rd X | --rg Y]`: a schedule-remote
// pair on a resource definition, a resource group, or (neither given) the controller.
import {Flags} from '@oclif/core'
import type {BackupSchedule} from '../../../api/wire.ts'
import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {renames} from '../../schedule-args.ts'

const pairArgs = {remote_name: arg('remote name'), schedule_name: arg('schedule name')}
const levelFlags = {
  rd: Flags.string({aliases: ['resource-definition'], exclusive: ['rg'], description: 'resource definition name'}),
  rg: Flags.string({aliases: ['resource-group'], exclusive: ['rd'], description: 'resource group name'}),
}
const where = 'on the resource definition (--rd), the resource group (--rg), or else the controller. ' +
  'A resource definition\'s setting overrides its group\'s, which overrides the controller\'s.'
const pairPath = (a: {remote_name: string, schedule_name: string}, verb: string): string =>
  path`/v1/remotes/${a.remote_name}/backups/schedule/${a.schedule_name}/` + verb

export class BackupScheduleEnable extends BaseCommand<typeof BackupScheduleEnable> {
  static override summary = 'Enable a schedule-remote pair'
  static override description = `Backups are shipped to the remote as the schedule says, ${where}`
  static override args = pairArgs
  static override flags = {
    ...levelFlags,
    node: Flags.string({aliases: ['preferred-node'], description: 'node to ship from, where possible'}),
    'target-storage-pool': Flags.string({description: 'storage pool the backup is received into (shipping to another cluster)'}),
    'target-resource-name': Flags.string({description: 'resource name on the other cluster; only with --rd'}),
    'storpool-rename': Flags.string({multiple: true, description: 'rename storage pools: oldname=newname'}),
    'force-restore': Flags.boolean({description: 'restore even if the target resource already has a replica'}),
    'target-resource-group': Flags.string({description: 'resource group of the target resource'}),
    'force-move-resource-group': Flags.boolean({aliases: ['force-mv-rg'], description: 'move an existing target resource into --target-resource-group'}),
  }

  async run(): Promise<void> {
    const f = this.flags
    if (f['target-resource-name'] && !f.rd) this.usage('--target-resource-name is only allowed in combination with --rd!')
    const body: BackupSchedule = {rsc_name: f.rd, grp_name: f.rg, node_name: f.node, dst_stor_pool: f['target-storage-pool'],
      stor_pool_rename: this.checked(() => renames(f['storpool-rename'] ?? [])), force_restore: f['force-restore'] || undefined,
      dst_rsc_grp: f['target-resource-group'], dst_rsc_name: f['target-resource-name'], force_mv_rsc_grp: f['force-move-resource-group'] || undefined}
    await this.mutate('PUT', pairPath(this.args, 'enable'), body)
  }
}

export class BackupScheduleDisable extends BaseCommand<typeof BackupScheduleDisable> {
  static override summary = 'Disable a schedule-remote pair'
  static override description = `Disabled ${where}`
  static override args = pairArgs
  static override flags = levelFlags

  async run(): Promise<void> {
    await this.mutate('PUT', pairPath(this.args, 'disable'), {rsc_name: this.flags.rd, grp_name: this.flags.rg} satisfies BackupSchedule)
  }
}

export class BackupScheduleDelete extends BaseCommand<typeof BackupScheduleDelete> {
  static override summary = 'Remove a schedule-remote pair\'s setting from one level'
  static override description = 'Removes what enable or disable set on the resource definition (--rd), the resource group (--rg), or else ' +
    'the controller; the levels above decide again. Snapshots and backups already made stay.'
  static override args = pairArgs
  static override flags = levelFlags

  async run(): Promise<void> {
    await this.mutate('DELETE', pairPath(this.args, 'delete'), undefined, {rsc_dfn_name: this.flags.rd, rsc_grp_name: this.flags.rg})
  }
}
