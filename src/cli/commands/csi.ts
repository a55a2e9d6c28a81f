// `cairn csi`: the CSI plugin for Kubernetes and Nomad, under linstor-csi's name so existing
// StorageClasses and Nomad jobs work. It runs until SIGTERM/SIGINT, like the daemons.
import {Flags} from '@oclif/core'
import type {Level} from '../../common/log.ts'
import {buildInfo} from '../../version.ts'
import {BaseCommand} from '../base-command.ts'

export default class Csi extends BaseCommand<typeof Csi> {
  static override summary = 'Run the CSI plugin (linstor.csi.linbit.com): Identity, Controller and Node services for Kubernetes and Nomad'
  static override description = 'Serves the Container Storage Interface on --endpoint and manages volumes through the LINSTOR REST API '
    + 'of --controllers, as linstor-csi does. Runs until SIGTERM or SIGINT.'

  static override examples = [
    '<%= config.bin %> csi --node $(hostname) --controllers ctrl.example.org',
    '<%= config.bin %> csi --mode controller --endpoint unix:///csi/csi.sock',
  ]

  static override flags = {
    endpoint: Flags.string({description: 'where to serve CSI: unix:///path or tcp://host:port', aliases: ['csi-endpoint'],
      env: 'CSI_ENDPOINT', default: 'unix:///var/lib/kubelet/plugins/linstor.csi.linbit.com/csi.sock'}),
    node: Flags.string({description: 'this node\'s LINSTOR node name (required unless --mode controller)'}),
    mode: Flags.string({description: 'services to run besides Identity', options: ['controller', 'node', 'all'], default: 'all'}),
    'property-namespace': Flags.string({description: 'node properties under this namespace are topology segments (linstor-csi\'s default: Aux)',
      default: 'Aux/topology'}),
    'label-by-storage-pool': Flags.boolean({description: 'add a linbit.com/sp-<pool> topology segment per storage pool of the node',
      default: true, allowNo: true}),
    'linstor-endpoint': Flags.string({description: 'same as --controllers (linstor-csi\'s name for it)', hidden: true}),
    'log-level': Flags.string({options: ['error', 'warn', 'info', 'debug'], default: 'info', description: 'log level'}),
  }

  async run(): Promise<void> {
    const {startCsiPlugin} = await import('../../../drivers/csi/csi-plugin.ts')
    const {createLogger} = await import('../../common/log.ts')
    const {flags} = this
    const log = createLogger({level: flags['log-level'] as Level, format: 'text'}, {component: 'csi'})
    if (flags['linstor-endpoint']) flags.controllers ??= flags['linstor-endpoint']
    const controller = this.connection
    let server
    try {
      server = await startCsiPlugin({
        endpoint: flags.endpoint, controller, mode: flags.mode as 'controller' | 'node' | 'all',
        node: flags.node, propertyNamespace: flags['property-namespace'], labelByStoragePool: flags['label-by-storage-pool'],
        version: buildInfo.version, log,
      })
    } catch (e) {
      return this.error((e as Error).message, {exit: 1})
    }
    log.info('ready', {endpoint: server.address, mode: flags.mode, node: flags.node, controller: controller.urls.join(','), pid: process.pid})
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        log.info('shutting down', {signal})
        resolve()
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
    })
    await server.close()
  }
}
