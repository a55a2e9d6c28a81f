// `cairn proxmox check`: reads storage.cfg as Proxmox and linstor-proxmox will, and reports with
// line numbers what they would drop, skip or misread. Exits 1 when there is an error (warnings
// alone pass). Looks at the file only; the controller is not asked.
import {drbdStorages} from '../../../../drivers/proxmox/drbd-storage.ts'
import {checkStorageCfg, describeIssue} from '../../../../drivers/proxmox/storage-cfg-check.ts'
import {stringify} from '../../../common/json.ts'
import {BaseCommand} from '../../base-command.ts'
import {fileFlag, readStorageCfg} from './storage-cfg-file.ts'

export default class ProxmoxCheck extends BaseCommand<typeof ProxmoxCheck> {
  static override summary = 'Check storage.cfg as Proxmox and the LINSTOR plugin read it'
  static override description = 'Every problem is printed as FILE:LINE: message. Exits 1 when one of them is an error.'
  static override flags = {...fileFlag}

  async run(): Promise<void> {
    const {file} = this.flags
    const {doc} = await readStorageCfg(file)
    const issues = checkStorageCfg(doc)
    const errors = issues.filter((i) => i.severity === 'error').length
    if (this.machineReadable) this.log(stringify(issues))
    else if (issues.length > 0) this.log(issues.map((i) => describeIssue(i, file)).join('\n'))
    else this.log(`${file}: no problems (${drbdStorages(doc).length} drbd storages)`)
    if (errors > 0) this.error(`${errors} error${errors === 1 ? '' : 's'} in ${file}`, {exit: 1})
  }
}
