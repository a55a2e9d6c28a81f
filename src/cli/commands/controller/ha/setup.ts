import {Flags} from '@oclif/core'
import {BaseCommand, path} from '../../../base-command.ts'
import {parseVolumeSizeKib} from '../../../format.ts'
import {HA_ALLOWED_DIRS, HA_DATA_DIR, HA_GROUP, HA_RESOURCE, HA_SERVICE, haFiles, haGroupBody, haSpawnBody} from '../../../../../gateway/controller-ha.ts'

export default class ControllerHaSetup extends BaseCommand<typeof ControllerHaSetup> {
  static override summary = 'Make the controller highly available: its database on a replicated resource, started by drbd-reactor'
  static override description = `Creates the resource group ${HA_GROUP}, the resource ${HA_RESOURCE} and three external files deployed with it ` +
    `(a mount unit for ${HA_DATA_DIR}, a drop-in for ${HA_SERVICE} and the drbd-reactor promoter config). Every satellite needs ` +
    `--allow-ext-files ${HA_ALLOWED_DIRS.join(',')}. Then copy the controller's data directory onto the volume as the printed steps say.`
  static override flags = {
    size: Flags.string({description: 'size of the database volume', default: '200MiB'}),
    'place-count': Flags.integer({description: 'replicas of the database (3 gives quorum)', default: 3, min: 1}),
    'storage-pool': Flags.string({char: 's', description: 'storage pool for the replicas'}),
    'layer-list': Flags.string({description: 'layers, comma-separated (default drbd,storage)'}),
  }

  async run(): Promise<void> {
    const opts = {sizeKib: this.checked(() => parseVolumeSizeKib(this.flags.size)), placeCount: this.flags['place-count'],
      storagePool: this.flags['storage-pool'], layers: this.flags['layer-list']?.split(',').map((l) => l.trim().toUpperCase())}
    const replies = [...await this.send('POST', '/v1/resource-groups', haGroupBody(opts)),
      ...await this.send('POST', path`/v1/resource-groups/${HA_GROUP}/spawn`, haSpawnBody(opts))]
    for (const f of haFiles()) {
      replies.push(...await this.send('PUT', path`/v1/files/${f.path}`, {path: f.path, content: Buffer.from(f.content).toString('base64')}),
        ...await this.send('POST', path`/v1/resource-definitions/${HA_RESOURCE}/files/${f.path}`))
    }
    this.replies(replies)
    if (this.machineReadable) return
    this.log([
      '',
      'Next, on the node that currently runs the controller:',
      `  1. systemctl stop ${HA_SERVICE}`,
      `  2. drbdadm primary ${HA_RESOURCE}; mount /dev/drbd/by-res/${HA_RESOURCE}/0 ${HA_DATA_DIR}`,
      `  3. cp -a <old data dir>/db <old data dir>/cluster-secret <old data dir>/reports ${HA_DATA_DIR}/`,
      `  4. umount ${HA_DATA_DIR}; drbdadm secondary ${HA_RESOURCE}`,
      `  5. on every controller candidate: systemctl disable ${HA_SERVICE}; systemctl enable --now drbd-reactor`,
      'drbd-reactor then mounts the database and starts the controller on one node; `drbd-reactorctl status` shows where.',
    ].join('\n'))
  }
}
