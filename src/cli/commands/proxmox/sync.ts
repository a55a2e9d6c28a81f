// `cairn proxmox sync`: creates the resource groups the drbd storages of storage.cfg name, each
// with the one volume group the plugin's documentation asks for. The plugin never creates them
// itself. An existing group keeps its settings, except the placement given here explicitly; a
// second run finds nothing to do.
import {Flags} from '@oclif/core'
import type {ResourceGroup, VolumeGroup} from '../../../api/wire.ts'
import {drbdStorages} from '../../../../drivers/proxmox/drbd-storage.ts'
import {proxmoxResourceGroups, type ProxmoxResourceGroupPlan} from '../../../../drivers/proxmox/resource-group.ts'
import {path} from '../../base-command.ts'
import {groupChanges} from '../../group-changes.ts'
import {dryRunFlag, PlanCommand, type PlannedCall} from '../../planned-calls.ts'
import {fileFlag, readStorageCfg} from './storage-cfg-file.ts'

export default class ProxmoxSync extends PlanCommand<typeof ProxmoxSync> {
  static override summary = 'Create or update the resource groups that the drbd storages of storage.cfg use'
  static override description = 'A new group gets place count 2 (or --place-count) and one volume group. An existing group is '
    + 'changed only where --place-count or --storage-pool ask for something else; a group without volume groups gets one.'

  static override flags = {
    ...fileFlag, ...dryRunFlag,
    'place-count': Flags.integer({min: 1, description: 'replicas of every disk (default for new groups: 2)'}),
    'storage-pool': Flags.string({description: 'storage pool the groups place volumes in'}),
  }

  async run(): Promise<void> {
    const storages = drbdStorages((await readStorageCfg(this.flags.file)).doc)
    for (const s of storages.filter((x) => x.resourceGroup === undefined)) {
      this.note(`drbd storage '${s.storeId}' (line ${s.line}) has no resourcegroup; skipped, as Proxmox skips it`)
    }
    const plans = proxmoxResourceGroups(storages, {placeCount: this.flags['place-count'], storagePool: this.flags['storage-pool']})
    const calls: PlannedCall[] = []
    for (const plan of plans) {
      const mine = await this.callsFor(plan)
      if (mine.length === 0) this.note(`Resource group '${plan.name}' (${plan.storeIds.join(', ')}): up to date`)
      calls.push(...mine)
    }
    await this.apply(calls, this.flags['dry-run'])
  }

  private async callsFor(plan: ProxmoxResourceGroupPlan): Promise<PlannedCall[]> {
    const groupPath = path`/v1/resource-groups/${plan.name}`
    const addVolumeGroup: PlannedCall = {method: 'POST', path: `${groupPath}/volume-groups`, body: plan.volumeGroup,
      says: `Created volume group 0 of resource group '${plan.name}'`}
    const group = await this.getIfExists<ResourceGroup>(groupPath)
    if (!group) {
      const f = plan.create.select_filter ?? {}
      const placement = [`place count ${f.place_count}`, ...(f.storage_pool ? [`storage pool ${f.storage_pool}`] : [])].join(', ')
      return [{method: 'POST', path: '/v1/resource-groups', body: plan.create,
        says: `Created resource group '${plan.name}' for ${plan.storeIds.join(', ')} (${placement})`}, addVolumeGroup]
    }
    const calls: PlannedCall[] = []
    const changes = groupChanges(group, plan.modify)
    if (changes.length > 0) {
      calls.push({method: 'PUT', path: groupPath, body: plan.modify,
        says: [`Resource group '${plan.name}':`, ...changes.map((c) => `  ${c}`)].join('\n')})
    }
    if ((await this.get<VolumeGroup[]>(`${groupPath}/volume-groups`)).length === 0) calls.push(addVolumeGroup)
    return calls
  }
}
