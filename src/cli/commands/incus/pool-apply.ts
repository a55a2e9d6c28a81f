// `cairn incus pool-apply POOL [KEY=VALUE]...`: sets up the resource group behind an Incus
// `linstor` pool as Incus's driver does. A missing group is created (create, then the properties);
// an existing one gets the update Incus sends for changed pool keys, and Incus's startup patch
// when it lacks rs-discard-granularity. Nothing is sent that would not change the group.
import type {ResourceGroup} from '../../../api/wire.ts'
import {DRBD_PROPS, RAW_PREFIX} from '../../../../drivers/incus/drbd-props.ts'
import {incusPoolConfig, type IncusPool} from '../../../../drivers/incus/pool-config.ts'
import {incusResourceGroupCreate, incusResourceGroupProps, incusResourceGroupUpdate, rsDiscardGranularityPatch,
  RS_DISCARD_GRANULARITY} from '../../../../drivers/incus/resource-group.ts'
import {arg, listOf, variadicArg} from '../../args.ts'
import {path} from '../../base-command.ts'
import {groupChanges} from '../../group-changes.ts'
import {dryRunFlag, PlanCommand, type PlannedCall} from '../../planned-calls.ts'
import {parseConfigArgs} from './config-args.ts'

/** Keys that name the group: they pick it, they do not change it. */
const NAME_KEYS = ['source', 'linstor.resource_group.name']
const GROUP_KEYS = ['linstor.resource_group.place_count', 'linstor.resource_group.storage_pool', ...Object.keys(DRBD_PROPS)]
const reachesGroup = (key: string): boolean => GROUP_KEYS.includes(key) || key.startsWith(RAW_PREFIX)

export default class IncusPoolApply extends PlanCommand<typeof IncusPoolApply> {
  static override summary = "Create or update the resource group of an Incus 'linstor' storage pool, as Incus does"
  static override description = 'Takes the pool keys of Incus\'s linstor driver (linstor.resource_group.name, .place_count, .storage_pool, '
    + 'linstor.volume.prefix, drbd.on_no_quorum, drbd.auto_diskful, drbd.auto_add_quorum_tiebreaker, linstor.raw.<LINSTOR key>, '
    + 'volume.<volume key>), checks them with Incus\'s rules and defaults, and creates the group or applies the changed keys to it. '
    + 'An empty value removes a property. drbd.auto_diskful is a duration ("5m") and reaches LINSTOR in minutes.'

  static override examples = [
    '<%= config.bin %> incus pool-apply tank linstor.resource_group.place_count=3 drbd.on_no_quorum=io-error',
    '<%= config.bin %> incus pool-apply tank drbd.auto_diskful=10m --dry-run',
  ]

  static override args = {
    pool: arg('Incus storage pool name (the resource group, unless linstor.resource_group.name or source names another)'),
    config: variadicArg('pool keys as KEY=VALUE', false),
  }

  static override flags = {...dryRunFlag}

  async run(): Promise<void> {
    const config = this.checked(() => parseConfigArgs(listOf(this.args.config)))
    const {pool, errors} = incusPoolConfig(config, this.args.pool)
    if (!pool) return this.usage(errors.join('\n'))
    const group = await this.getIfExists<ResourceGroup>(path`/v1/resource-groups/${pool.resourceGroup}`)
    const calls = group ? this.updateCalls(pool, group, config) : createCalls(pool)
    const incusOnly = Object.keys(config).filter((k) => !reachesGroup(k) && !NAME_KEYS.includes(k))
    if (incusOnly.length > 0) this.note(`Kept by Incus, nothing to do in LINSTOR: ${incusOnly.join(', ')}`)
    if (calls.length === 0) this.note(`Resource group '${pool.resourceGroup}' already matches; nothing to change.`)
    await this.apply(calls, this.flags['dry-run'])
  }

  private updateCalls(pool: IncusPool, group: ResourceGroup, config: Record<string, string>): PlannedCall[] {
    const changed = Object.fromEntries(Object.entries(config).filter(([k]) => reachesGroup(k)))
    const {body, errors} = incusResourceGroupUpdate(changed)
    if (!body) return this.usage(errors.join('\n'))
    const calls: PlannedCall[] = []
    const where = path`/v1/resource-groups/${pool.resourceGroup}`
    const lines = groupChanges(group, body)
    if (lines.length > 0) calls.push({method: 'PUT', path: where, body, says: changeText(pool.resourceGroup, lines)})
    const patch = rsDiscardGranularityPatch(group)
    if (patch && !body.override_props?.[RS_DISCARD_GRANULARITY]) {
      calls.push({method: 'PUT', path: where, body: patch,
        says: `Set ${RS_DISCARD_GRANULARITY} = ${patch.override_props?.[RS_DISCARD_GRANULARITY]} on resource group '${pool.resourceGroup}' (Incus adds it when it starts)`})
    }
    return calls
  }
}

function createCalls(pool: IncusPool): PlannedCall[] {
  const create = incusResourceGroupCreate(pool)
  const props = incusResourceGroupProps(pool)
  const placement = [`place count ${create.select_filter?.place_count}`, ...(pool.storagePool ? [`storage pool ${pool.storagePool}`] : [])]
  return [
    {method: 'POST', path: '/v1/resource-groups', body: create, says: `Created resource group '${pool.resourceGroup}' (${placement.join(', ')})`},
    {method: 'PUT', path: path`/v1/resource-groups/${pool.resourceGroup}`, body: props,
      says: changeText(pool.resourceGroup, Object.entries(props.override_props ?? {}).map(([k, v]) => `${k} = ${v}`))},
  ]
}

const changeText = (group: string, lines: string[]): string => [`Resource group '${group}':`, ...lines.map((l) => `  ${l}`)].join('\n')
