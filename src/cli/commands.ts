// Every command of the binary, by oclif id. Listed explicitly because a single-executable
// binary cannot discover command files on disk.
import {commands as help} from '@oclif/plugin-help'
import Combined from './commands/combined.ts'
import Controller from './commands/controller.ts'
import ControllerDbExport from './commands/controller/db/export.ts'
import ControllerDbImport from './commands/controller/db/import.ts'
import ControllerJoinSecret from './commands/controller/join-secret.ts'
import ControllerVersion from './commands/controller/version.ts'
import NodeList from './commands/node/list.ts'
import ResourceDefinitionList from './commands/resource-definition/list.ts'
import ResourceGroupCreate from './commands/resource-group/create.ts'
import ResourceGroupList from './commands/resource-group/list.ts'
import ResourceGroupSpawn from './commands/resource-group/spawn.ts'
import ResourceList from './commands/resource/list.ts'
import Satellite from './commands/satellite.ts'
import StoragePoolList from './commands/storage-pool/list.ts'
import VolumeList from './commands/volume/list.ts'

export const COMMANDS = {
  ...help,
  combined: Combined,
  controller: Controller,
  'controller:db:export': ControllerDbExport,
  'controller:db:import': ControllerDbImport,
  'controller:join-secret': ControllerJoinSecret,
  'controller:version': ControllerVersion,
  'node:list': NodeList,
  'resource-definition:list': ResourceDefinitionList,
  'resource-group:create': ResourceGroupCreate,
  'resource-group:list': ResourceGroupList,
  'resource-group:spawn': ResourceGroupSpawn,
  'resource:list': ResourceList,
  satellite: Satellite,
  'storage-pool:list': StoragePoolList,
  'volume:list': VolumeList,
}
