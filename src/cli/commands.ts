// Every command of the binary, by oclif id. Listed explicitly because a single-executable
// binary cannot discover command files on disk. The ids follow the linstor client's command
// tree; argv.ts maps linstor's aliases and abbreviations onto them.
import {commands as help} from '@oclif/plugin-help'
import Combined from './commands/combined.ts'
import Controller from './commands/controller.ts'
import ControllerDbExport from './commands/controller/db/export.ts'
import ControllerDbImport from './commands/controller/db/import.ts'
import ControllerCertsCreate from './commands/controller/certs/create.ts'
import ControllerHaSetup from './commands/controller/ha/setup.ts'
import ControllerJoinSecret from './commands/controller/join-secret.ts'
import ControllerVersion from './commands/controller/version.ts'
import ControllerRotateSecret from './commands/controller/rotate-secret.ts'
import ControllerUserAdd from './commands/controller/user/add.ts'
import ControllerWhich from './commands/controller/which.ts'
import * as Token from './token-commands.ts'
import EncryptionCreatePassphrase from './commands/encryption/create-passphrase.ts'
import EncryptionEnterPassphrase from './commands/encryption/enter-passphrase.ts'
import EncryptionModifyPassphrase from './commands/encryption/modify-passphrase.ts'
import Csi from './commands/csi.ts'
import ErrorReportsDelete from './commands/error-reports/delete.ts'
import ErrorReportsList from './commands/error-reports/list.ts'
import ErrorReportsShow from './commands/error-reports/show.ts'
import SosReportCreate from './commands/sos-report/create.ts'
import SosReportDownload from './commands/sos-report/download.ts'
import GatewayCheckHealth from './commands/gateway/check-health.ts'
import {GatewayIscsi} from './commands/gateway/iscsi.ts'
import {GatewayNfs} from './commands/gateway/nfs.ts'
import {GatewayNvme} from './commands/gateway/nvme.ts'
import GatewayServer from './commands/gateway/server.ts'
import IncusPoolApply from './commands/incus/pool-apply.ts'
import IncusSatelliteVersion from './commands/incus/satellite-version.ts'
import IncusVolumeApply from './commands/incus/volume-apply.ts'
import IncusVolumes from './commands/incus/volumes.ts'
import KeyValueStoreList from './commands/key-value-store/list.ts'
import KeyValueStoreShow from './commands/key-value-store/show.ts'
import NodeConnectionList from './commands/node-connection/list.ts'
import {NodeConnectionPath} from './commands/node-connection/path.ts'
import NodeCreate from './commands/node/create.ts'
import NodeDelete from './commands/node/delete.ts'
import NodeDescribe from './commands/node/describe.ts'
import NodeEvacuate from './commands/node/evacuate.ts'
import NodeInfo from './commands/node/info.ts'
import NodeInterfaceCreate from './commands/node/interface/create.ts'
import NodeInterfaceDelete from './commands/node/interface/delete.ts'
import NodeInterfaceList from './commands/node/interface/list.ts'
import NodeInterfaceModify from './commands/node/interface/modify.ts'
import NodeList from './commands/node/list.ts'
import NodeLost from './commands/node/lost.ts'
import NodeModify from './commands/node/modify.ts'
import NodeReconnect from './commands/node/reconnect.ts'
import NodeRestore from './commands/node/restore.ts'
import NomadVolumeSpec from './commands/nomad/volume-spec.ts'
import PhysicalStorageCreateDevicePool from './commands/physical-storage/create-device-pool.ts'
import PhysicalStorageList from './commands/physical-storage/list.ts'
import * as P from './commands/properties.ts'
import ProxmoxAddStorage from './commands/proxmox/add-storage.ts'
import ProxmoxCheck from './commands/proxmox/check.ts'
import ProxmoxStatus from './commands/proxmox/status.ts'
import ProxmoxSync from './commands/proxmox/sync.ts'
import {RemoteCreateLinstor, RemoteCreateS3} from './commands/remote/create.ts'
import RemoteDelete from './commands/remote/delete.ts'
import RemoteList from './commands/remote/list.ts'
import {RemoteModifyLinstor, RemoteModifyS3} from './commands/remote/modify.ts'
import ResourceConnectionList from './commands/resource-connection/list.ts'
import {ResourceConnectionPath} from './commands/resource-connection/path.ts'
import ResourceDefinitionAutoPlace from './commands/resource-definition/auto-place.ts'
import ResourceDefinitionClone from './commands/resource-definition/clone.ts'
import ResourceDefinitionCreate from './commands/resource-definition/create.ts'
import ResourceDefinitionDelete from './commands/resource-definition/delete.ts'
import ResourceDefinitionList from './commands/resource-definition/list.ts'
import ResourceDefinitionModify from './commands/resource-definition/modify.ts'
import ResourceGroupCreate from './commands/resource-group/create.ts'
import ResourceGroupDelete from './commands/resource-group/delete.ts'
import ResourceGroupList from './commands/resource-group/list.ts'
import ResourceGroupModify from './commands/resource-group/modify.ts'
import ResourceGroupQuerySizeInfo from './commands/resource-group/query-size-info.ts'
import ResourceGroupSpawn from './commands/resource-group/spawn.ts'
import ResourceCreate from './commands/resource/create.ts'
import ResourceDelete from './commands/resource/delete.ts'
import ResourceList from './commands/resource/list.ts'
import ResourceMakeAvailable from './commands/resource/make-available.ts'
import Satellite from './commands/satellite.ts'
import SnapshotCreateMultiple from './commands/snapshot/create-multiple.ts'
import SnapshotCreate from './commands/snapshot/create.ts'
import SnapshotDelete from './commands/snapshot/delete.ts'
import SnapshotList from './commands/snapshot/list.ts'
import SnapshotResourceRestore from './commands/snapshot/resource/restore.ts'
import SnapshotRollback from './commands/snapshot/rollback.ts'
import SnapshotVolumeDefinitionRestore from './commands/snapshot/volume-definition/restore.ts'
import * as SpCreate from './commands/storage-pool/create.ts'
import StoragePoolDelete from './commands/storage-pool/delete.ts'
import StoragePoolList from './commands/storage-pool/list.ts'
import VolumeDefinitionCreate from './commands/volume-definition/create.ts'
import VolumeDefinitionDelete from './commands/volume-definition/delete.ts'
import VolumeDefinitionList from './commands/volume-definition/list.ts'
import VolumeDefinitionSetSize from './commands/volume-definition/set-size.ts'
import VolumeGroupCreate from './commands/volume-group/create.ts'
import VolumeGroupDelete from './commands/volume-group/delete.ts'
import VolumeGroupList from './commands/volume-group/list.ts'
import VolumeList, {ResourceListVolumes} from './commands/volume/list.ts'

export const COMMANDS = {
  ...help,
  combined: Combined,
  controller: Controller,
  'controller:db:export': ControllerDbExport,
  'controller:db:import': ControllerDbImport,
  'controller:certs:create': ControllerCertsCreate,
  'controller:ha:setup': ControllerHaSetup,
  'controller:join-secret': ControllerJoinSecret,
  'controller:list-properties': P.ControllerListProperties,
  'controller:rotate-secret': ControllerRotateSecret,
  'controller:set-property': P.ControllerSetProperty,
  'controller:token:create': Token.TokenCreate,
  'controller:token:init': Token.TokenInit,
  'controller:token:list': Token.TokenList,
  'controller:token:modify': Token.TokenModify,
  'controller:token:revoke': Token.TokenRevoke,
  'controller:user:add': ControllerUserAdd,
  'controller:version': ControllerVersion,
  'controller:which': ControllerWhich,
  'encryption:create-passphrase': EncryptionCreatePassphrase,
  'encryption:enter-passphrase': EncryptionEnterPassphrase,
  'encryption:modify-passphrase': EncryptionModifyPassphrase,
  csi: Csi,
  'error-reports:delete': ErrorReportsDelete,
  'error-reports:list': ErrorReportsList,
  'error-reports:show': ErrorReportsShow,
  'sos-report:create': SosReportCreate,
  'sos-report:download': SosReportDownload,
  'gateway:check-health': GatewayCheckHealth,
  'gateway:iscsi:add-volume': GatewayIscsi.addVolume,
  'gateway:iscsi:create': GatewayIscsi.create,
  'gateway:iscsi:delete': GatewayIscsi.delete,
  'gateway:iscsi:delete-volume': GatewayIscsi.deleteVolume,
  'gateway:iscsi:list': GatewayIscsi.list,
  'gateway:iscsi:show': GatewayIscsi.show,
  'gateway:iscsi:start': GatewayIscsi.start,
  'gateway:iscsi:stop': GatewayIscsi.stop,
  'gateway:nfs:add-volume': GatewayNfs.addVolume,
  'gateway:nfs:create': GatewayNfs.create,
  'gateway:nfs:delete': GatewayNfs.delete,
  'gateway:nfs:delete-volume': GatewayNfs.deleteVolume,
  'gateway:nfs:list': GatewayNfs.list,
  'gateway:nfs:show': GatewayNfs.show,
  'gateway:nfs:start': GatewayNfs.start,
  'gateway:nfs:stop': GatewayNfs.stop,
  'gateway:nvme:add-volume': GatewayNvme.addVolume,
  'gateway:nvme:create': GatewayNvme.create,
  'gateway:nvme:delete': GatewayNvme.delete,
  'gateway:nvme:delete-volume': GatewayNvme.deleteVolume,
  'gateway:nvme:list': GatewayNvme.list,
  'gateway:nvme:show': GatewayNvme.show,
  'gateway:nvme:start': GatewayNvme.start,
  'gateway:nvme:stop': GatewayNvme.stop,
  'gateway:server': GatewayServer,
  'incus:pool-apply': IncusPoolApply,
  'incus:satellite-version': IncusSatelliteVersion,
  'incus:volume-apply': IncusVolumeApply,
  'incus:volumes': IncusVolumes,
  'key-value-store:list': KeyValueStoreList,
  'key-value-store:modify': P.KeyValueStoreModify,
  'key-value-store:show': KeyValueStoreShow,
  'node:create': NodeCreate,
  'node:delete': NodeDelete,
  'node:describe': NodeDescribe,
  'node:evacuate': NodeEvacuate,
  'node:info': NodeInfo,
  'node:interface:create': NodeInterfaceCreate,
  'node:interface:delete': NodeInterfaceDelete,
  'node:interface:list': NodeInterfaceList,
  'node:interface:modify': NodeInterfaceModify,
  'node:list': NodeList,
  'node:list-properties': P.NodeListProperties,
  'node:lost': NodeLost,
  'node:modify': NodeModify,
  'node:reconnect': NodeReconnect,
  'node:restore': NodeRestore,
  'node:set-property': P.NodeSetProperty,
  'node-connection:list': NodeConnectionList,
  'node-connection:list-properties': P.NodeConnectionListProperties,
  'node-connection:path:create': NodeConnectionPath.create,
  'node-connection:path:delete': NodeConnectionPath.delete,
  'node-connection:path:list': NodeConnectionPath.list,
  'node-connection:set-property': P.NodeConnectionSetProperty,
  'nomad:volume-spec': NomadVolumeSpec,
  'physical-storage:create-device-pool': PhysicalStorageCreateDevicePool,
  'physical-storage:list': PhysicalStorageList,
  'proxmox:add-storage': ProxmoxAddStorage,
  'proxmox:check': ProxmoxCheck,
  'proxmox:status': ProxmoxStatus,
  'proxmox:sync': ProxmoxSync,
  'remote:create:linstor': RemoteCreateLinstor,
  'remote:create:s3': RemoteCreateS3,
  'remote:delete': RemoteDelete,
  'remote:list': RemoteList,
  'remote:modify:linstor': RemoteModifyLinstor,
  'remote:modify:s3': RemoteModifyS3,
  'resource:create': ResourceCreate,
  'resource:delete': ResourceDelete,
  'resource:list': ResourceList,
  'resource:list-properties': P.ResourceListProperties,
  'resource:list-volumes': ResourceListVolumes,
  'resource:make-available': ResourceMakeAvailable,
  'resource-connection:list': ResourceConnectionList,
  'resource-connection:list-properties': P.ResourceConnectionListProperties,
  'resource-connection:path:create': ResourceConnectionPath.create,
  'resource-connection:path:delete': ResourceConnectionPath.delete,
  'resource-connection:path:list': ResourceConnectionPath.list,
  'resource-connection:set-property': P.ResourceConnectionSetProperty,
  'resource-definition:auto-place': ResourceDefinitionAutoPlace,
  'resource-definition:clone': ResourceDefinitionClone,
  'resource-definition:create': ResourceDefinitionCreate,
  'resource-definition:delete': ResourceDefinitionDelete,
  'resource-definition:list': ResourceDefinitionList,
  'resource-definition:list-properties': P.ResourceDefinitionListProperties,
  'resource-definition:modify': ResourceDefinitionModify,
  'resource-definition:set-property': P.ResourceDefinitionSetProperty,
  'resource-group:create': ResourceGroupCreate,
  'resource-group:delete': ResourceGroupDelete,
  'resource-group:list': ResourceGroupList,
  'resource-group:list-properties': P.ResourceGroupListProperties,
  'resource-group:modify': ResourceGroupModify,
  'resource-group:query-size-info': ResourceGroupQuerySizeInfo,
  'resource-group:set-property': P.ResourceGroupSetProperty,
  'resource-group:spawn-resources': ResourceGroupSpawn,
  satellite: Satellite,
  'snapshot:create': SnapshotCreate,
  'snapshot:create-multiple': SnapshotCreateMultiple,
  'snapshot:delete': SnapshotDelete,
  'snapshot:list': SnapshotList,
  'snapshot:list-properties': P.SnapshotListProperties,
  'snapshot:resource:restore': SnapshotResourceRestore,
  'snapshot:rollback': SnapshotRollback,
  'snapshot:volume-definition:restore': SnapshotVolumeDefinitionRestore,
  'storage-pool:create:diskless': SpCreate.StoragePoolCreateDiskless,
  'storage-pool:create:file': SpCreate.StoragePoolCreateFile,
  'storage-pool:create:filethin': SpCreate.StoragePoolCreateFileThin,
  'storage-pool:create:lvm': SpCreate.StoragePoolCreateLvm,
  'storage-pool:create:lvmthin': SpCreate.StoragePoolCreateLvmThin,
  'storage-pool:create:zfs': SpCreate.StoragePoolCreateZfs,
  'storage-pool:create:zfsthin': SpCreate.StoragePoolCreateZfsThin,
  'storage-pool:delete': StoragePoolDelete,
  'storage-pool:list': StoragePoolList,
  'storage-pool:list-properties': P.StoragePoolListProperties,
  'storage-pool:set-property': P.StoragePoolSetProperty,
  'volume:list': VolumeList,
  'volume:list-properties': P.VolumeListProperties,
  'volume-definition:create': VolumeDefinitionCreate,
  'volume-definition:delete': VolumeDefinitionDelete,
  'volume-definition:list': VolumeDefinitionList,
  'volume-definition:list-properties': P.VolumeDefinitionListProperties,
  'volume-definition:set-property': P.VolumeDefinitionSetProperty,
  'volume-definition:set-size': VolumeDefinitionSetSize,
  'volume-group:create': VolumeGroupCreate,
  'volume-group:delete': VolumeGroupDelete,
  'volume-group:list': VolumeGroupList,
  'volume-group:list-properties': P.VolumeGroupListProperties,
  'volume-group:set-property': P.VolumeGroupSetProperty,
}
