import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.ts'

const csv = (v?: string[]): string[] | undefined => v?.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)
/** The linstor client names auxiliary node properties without their namespace; the API wants it. */
const aux = (v?: string[]): string[] | undefined => csv(v)?.map((x) => (x.startsWith('Aux/') ? x : `Aux/${x}`))

/** The autoplacer flags shared by `rg create`, `rg spawn` and `r create --auto-place`. */
export const placementFlags = {
  'place-count': Flags.integer({description: 'number of diskful replicas', min: 1}),
  'storage-pool': Flags.string({multiple: true, description: 'storage pool(s) to place in'}),
  'layer-list': Flags.string({char: 'l', description: 'comma-separated layer stack, e.g. drbd,storage or storage'}),
  providers: Flags.string({multiple: true, description: 'allowed provider kinds'}),
  'replicas-on-same': Flags.string({multiple: true, description: 'node property all replicas must share'}),
  'replicas-on-different': Flags.string({multiple: true, description: 'node property whose values must differ'}),
  'do-not-place-with': Flags.string({multiple: true, description: 'avoid nodes that have these resources'}),
  'do-not-place-with-regex': Flags.string({description: 'avoid nodes with resources matching this regex'}),
  'diskless-on-remaining': Flags.boolean({description: 'add diskless replicas on all other nodes', allowNo: true}),
  'node-list': Flags.string({multiple: true, description: 'only these nodes'}),
}

export function selectFilter(f: Record<string, unknown>): Record<string, unknown> {
  return {
    place_count: f['place-count'], storage_pool_list: csv(f['storage-pool'] as string[] | undefined),
    layer_stack: csv(f['layer-list'] === undefined ? undefined : [f['layer-list'] as string])?.map((l) => l.toUpperCase()),
    provider_list: csv(f.providers as string[] | undefined)?.map((p) => p.toUpperCase()),
    replicas_on_same: aux(f['replicas-on-same'] as string[] | undefined),
    replicas_on_different: aux(f['replicas-on-different'] as string[] | undefined),
    not_place_with_rsc: csv(f['do-not-place-with'] as string[] | undefined), not_place_with_rsc_regex: f['do-not-place-with-regex'],
    diskless_on_remaining: f['diskless-on-remaining'], node_name_list: csv(f['node-list'] as string[] | undefined),
  }
}

export default class ResourceGroupCreate extends BaseCommand<typeof ResourceGroupCreate> {
  static override summary = 'Create a resource group: a template of placement rules and properties for resource definitions'
  static override args = {name: Args.string({required: true, description: 'resource group name'})}
  static override flags = {...placementFlags, description: Flags.string({description: 'free-text description'})}

  async run(): Promise<void> {
    this.replies(await this.api.mutate('POST', '/v1/resource-groups', {
      name: this.args.name, description: this.flags.description, select_filter: selectFilter(this.flags),
    }))
  }
}
