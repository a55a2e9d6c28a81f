// `cairn proxmox status`: each drbd storage of storage.cfg as `pvesm status` shows it (sizes in
// KiB), worked out from the answer the plugin asks for (query-all-size-info) the way it does.
import type {QueryAllSizeInfoResponse} from '../../../api/wire.ts'
import type {DrbdStorage} from '../../../../drivers/proxmox/drbd-storage.ts'
import {drbdStorages} from '../../../../drivers/proxmox/drbd-storage.ts'
import {pveStatuses, REFRESH_SIZE_INFO, sizeInfoRequest, type PveStorageStatus} from '../../../../drivers/proxmox/pve-status.ts'
import {stringify} from '../../../common/json.ts'
import {BaseCommand} from '../../base-command.ts'
import {fileFlag, readStorageCfg} from './storage-cfg-file.ts'

const QUERY = '/v1/queries/resource-groups/query-all-size-info'

export default class ProxmoxStatus extends BaseCommand<typeof ProxmoxStatus> {
  static override summary = "Show the drbd storages of storage.cfg as Proxmox's pvesm status does"
  static override description = 'Total, used and available are in KiB, as pvesm prints them. A storage whose resource group is '
    + 'missing is inactive; a disabled one is not asked about.'

  static override flags = {...fileFlag}

  async run(): Promise<void> {
    const storages = drbdStorages((await readStorageCfg(this.flags.file)).doc)
    if (storages.length === 0) return this.log(`${this.flags.file}: no drbd storage`)
    // One query serves every storage; the shortest statuscache is the freshest any of them accepts.
    const freshest = storages.reduce((a, b) => (b.statusCache < a.statusCache ? b : a))
    const query = async (body: unknown): Promise<QueryAllSizeInfoResponse> => (await this.api.request<QueryAllSizeInfoResponse>('POST', QUERY, body)).data
    const statuses = pveStatuses(storages, await query(sizeInfoRequest(freshest)))
    // The plugin asks again, uncached, after a zero capacity (LINSTOR starting) but shows the zeros.
    if ([...statuses.values()].some((s) => s.active && s.requery)) await query(REFRESH_SIZE_INFO)
    const rows = storages.map((s) => row(s, statuses.get(s.storeId) ?? {active: false}))
    if (this.machineReadable) return this.log(stringify(rows))
    const width = Math.max(4, ...rows.map((r) => r.name.length))
    const line = (cells: string[]): string => `${(cells[0] ?? '').padEnd(width)} ${(cells[1] ?? '').padStart(8)} ${(cells[2] ?? '').padStart(10)}`
      + cells.slice(3, 6).map((c) => ` ${c.padStart(15)}`).join('') + ` ${(cells[6] ?? '').padStart(8)}`
    this.log([line(['Name', 'Type', 'Status', 'Total', 'Used', 'Available', '%']),
      ...rows.map((r) => line([r.name, 'drbd', r.status, String(r.total_kib), String(r.used_kib), String(r.available_kib), r.percent]))].join('\n'))
  }
}

interface StatusRow {name: string, resource_group: string | undefined, status: 'active' | 'inactive' | 'disabled',
  total_kib: number, used_kib: number, available_kib: number, percent: string}

function row(s: DrbdStorage, status: PveStorageStatus): StatusRow {
  const kib = (bytes: number): number => Math.floor(bytes / 1024)
  const shown = s.disabled ? 'disabled' : status.active ? 'active' : 'inactive'
  if (shown !== 'active' || !status.active) {
    return {name: s.storeId, resource_group: s.resourceGroup, status: shown, total_kib: 0, used_kib: 0, available_kib: 0, percent: 'N/A'}
  }
  const percent = status.totalBytes > 0 ? `${(status.usedBytes * 100 / status.totalBytes).toFixed(2)}%` : 'N/A'
  return {name: s.storeId, resource_group: s.resourceGroup, status: shown, total_kib: kib(status.totalBytes), used_kib: kib(status.usedBytes),
    available_kib: kib(status.availBytes), percent}
}
