import {Flags} from '@oclif/core'
import {ApiError} from '../../../api/client.ts'
import type {LayerType, ResourceDefinitionCloneRequest, ResourceDefinitionCloneStarted, ResourceDefinitionCloneStatus} from '../../../api/wire.ts'
import {isError, type ApiCallRc} from '../../../common/api-call-rc.ts'
import {arg, layerList, layerListFlag, optionalArg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'
import {cloneDone} from '../../readiness.ts'

export default class ResourceDefinitionClone extends BaseCommand<typeof ResourceDefinitionClone> {
  static override summary = 'Clone a resource definition with all its resources and volumes, including the data'
  static override args = {
    source_resource: arg('source resource definition'),
    clone_name: optionalArg('name of the new resource definition; ignored when --external-name is given'),
  }
  static override flags = {
    ...layerListFlag,
    'external-name': Flags.string({char: 'e', description: 'user specified name'}),
    // linstor's clone spells --async as --no-wait and waits without a time limit.
    async: Flags.boolean({aliases: ['no-wait'], description: 'do not wait until the clone is complete'}),
    'wait-timeout': Flags.integer({min: 1, description: 'give up waiting after this many seconds'}),
    'use-zfs-clone': Flags.boolean({description: 'use a ZFS clone instead of send/recv (keeps a dependent snapshot)'}),
    'resource-group': Flags.string({aliases: ['rsc-grp'], description: 'resource group for the clone (its storage pools are used)'}),
    'volume-passphrase': Flags.string({multiple: true, description: 'passphrases of the clone\'s LUKS volumes, in volume order'}),
  }

  async run(): Promise<void> {
    const external = this.flags['external-name']
    if (!this.args.clone_name && !external) this.usage('At least a clone name or an external name has to be specified.')
    const body: ResourceDefinitionCloneRequest = {
      name: external ? undefined : this.args.clone_name, external_name: external, use_zfs_clone: this.flags['use-zfs-clone'] || undefined,
      layer_list: layerList(this.flags['layer-list']) as LayerType[] | undefined, resource_group: this.flags['resource-group'],
      volume_passphrases: this.flags['volume-passphrase'],
    }
    const {status, data} = await this.api.request<ResourceDefinitionCloneStarted | ApiCallRc[]>('POST',
      path`/v1/resource-definitions/${this.args.source_resource}/clone`, body)
    const messages = Array.isArray(data) ? data : data.messages ?? []
    if (messages.some((m) => isError(m.ret_code))) throw new ApiError(status, messages)
    this.replies(messages)
    if (Array.isArray(data)) return
    await this.waitFor(async () =>
      cloneDone(data.clone_name, await this.get<ResourceDefinitionCloneStatus>(path`/v1/resource-definitions/${data.source_name}/clone/${data.clone_name}`)))
  }
}
