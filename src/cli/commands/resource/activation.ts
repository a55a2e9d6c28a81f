import {arg} from '../../args.ts'
import {BaseCommand, path} from '../../base-command.ts'

const args = {node_name: arg('node of the resource'), resource_name: arg('name of the resource definition')}

export class ResourceActivate extends BaseCommand<typeof ResourceActivate> {
  static override summary = 'Activate a deactivated resource: its node brings the DRBD resource up again'
  static override args = args

  async run(): Promise<void> {
    await this.mutate('POST', path`/v1/resource-definitions/${this.args.resource_name}/resources/${this.args.node_name}/activate`)
  }
}

export class ResourceDeactivate extends BaseCommand<typeof ResourceDeactivate> {
  static override summary = 'Deactivate a resource: its node takes the DRBD resource down but keeps the volumes'
  static override args = args

  async run(): Promise<void> {
    await this.mutate('POST', path`/v1/resource-definitions/${this.args.resource_name}/resources/${this.args.node_name}/deactivate`)
  }
}
