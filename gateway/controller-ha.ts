// The controller's own high availability (user guide §3.1): its database lives on a replicated
// resource, and drbd-reactor mounts it and starts the controller on whichever node wins. Every
// piece is a LINSTOR object — a resource group, the `linstor_db` definition and three external
// files (mount unit, controller drop-in, promoter config) — so the satellites put the files on
// exactly the nodes holding the database. Pure: the CLI command sends what this builds.
import {promoterToml} from './promoter-toml.ts'
import type {PromoterConfig} from './reactor-options.ts'
import {TARGET_DRBD_PROPS} from './target-kinds.ts'

/** LINSTOR's name for it; satellites keep it by default (`--keep-res`). */
export const HA_RESOURCE = 'linstor_db'
export const HA_GROUP = 'linstor-db-grp'
/** Below the satellite's own /var/lib/cairn, which must stay on the node's local disk. */
export const HA_DATA_DIR = '/var/lib/cairn/controller'
export const HA_SERVICE = 'cairn-controller.service'

export interface HaOptions {sizeKib: number, placeCount: number, storagePool?: string, layers?: string[]}

export interface HaFile {path: string, content: string}

/** systemd's name for the mount unit of a path: "/" becomes "-", and "-" itself is escaped. */
export function mountUnitName(path: string): string {
  return `${path.replace(/^\/+|\/+$/g, '').split('/').map((p) => p.replace(/-/g, '\\x2d')).join('-')}.mount`
}

export function haFiles(): HaFile[] {
  const unit = mountUnitName(HA_DATA_DIR)
  const promoter: PromoterConfig = {resources: {[HA_RESOURCE]: {
    'start': [unit, HA_SERVICE],
    'on-drbd-demote-failure': 'reboot-immediate',
    'stop-services-on-exit': true,
  }}}
  return [
    {path: `/etc/systemd/system/${unit}`, content: [
      '# Written by Cairn (cairn controller ha setup): the controller database, on the node drbd-reactor promotes.',
      '[Unit]', `Description=Cairn controller database (DRBD resource ${HA_RESOURCE})`, '',
      '[Mount]', `What=/dev/drbd/by-res/${HA_RESOURCE}/0`, `Where=${HA_DATA_DIR}`, 'Type=ext4', 'Options=defaults,noatime', '',
    ].join('\n')},
    {path: `/etc/systemd/system/${HA_SERVICE}.d/cairn-ha.conf`, content: [
      '# Written by Cairn (cairn controller ha setup): the controller keeps its state on the replicated volume.',
      '[Unit]', `RequiresMountsFor=${HA_DATA_DIR}`, '',
      '[Service]', `Environment=CAIRN_DATA_DIR=${HA_DATA_DIR}`, '',
    ].join('\n')},
    {path: '/etc/drbd-reactor.d/cairn-controller.toml', content: `# Written by Cairn (cairn controller ha setup).\n${promoterToml(promoter)}`},
  ]
}

/** The resource group: quorum so that only one node can ever promote the database. */
export function haGroupBody(o: HaOptions): Record<string, unknown> {
  return {
    name: HA_GROUP, description: 'Cairn controller database (high availability)',
    select_filter: {place_count: o.placeCount, ...(o.storagePool ? {storage_pool: o.storagePool} : {}), ...(o.layers ? {layer_stack: o.layers} : {})},
    props: {...TARGET_DRBD_PROPS, 'FileSystem/Type': 'ext4'},
  }
}

export const haSpawnBody = (o: HaOptions): Record<string, unknown> => ({resource_definition_name: HA_RESOURCE, volume_sizes: [o.sizeKib]})

/** Directories every satellite must allow for these files (`--allow-ext-files`). */
export const HA_ALLOWED_DIRS = ['/etc/systemd/system', '/etc/drbd-reactor.d']
