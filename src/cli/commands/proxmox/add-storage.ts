// `cairn proxmox add-storage ID --resource-group RG`: appends a drbd stanza to storage.cfg, keys in
// the order Proxmox writes them, and leaves every other byte of the file as it was.
import {Flags} from '@oclif/core'
import {addDrbdStorage} from '../../../../drivers/proxmox/drbd-edit.ts'
import {findStanza, writeStorageCfg} from '../../../../drivers/proxmox/storage-cfg.ts'
import {arg} from '../../args.ts'
import {BaseCommand} from '../../base-command.ts'
import {fileFlag, readStorageCfg, writeStorageCfgFile} from './storage-cfg-file.ts'

export default class ProxmoxAddStorage extends BaseCommand<typeof ProxmoxAddStorage> {
  static override summary = 'Add a drbd storage (served by Cairn through linstor-proxmox) to storage.cfg'
  static override description = 'Run `cairn proxmox sync` afterwards to create its resource group.'
  static override examples = ['<%= config.bin %> proxmox add-storage drbdstorage --resource-group defaultpool --controller 10.0.0.1,10.0.0.2']

  static override args = {id: arg('storage id, as Proxmox names the storage')}
  static override flags = {
    ...fileFlag,
    'resource-group': Flags.string({required: true, description: 'resource group the storage spawns its disks from'}),
    controller: Flags.string({description: 'controllers the plugin asks, comma-separated (the plugin\'s default: localhost)'}),
    'dry-run': Flags.boolean({description: 'print the stanza instead of writing the file'}),
  }

  async run(): Promise<void> {
    const {file, controller} = this.flags
    const cfg = await readStorageCfg(file)
    const doc = this.checked(() => addDrbdStorage(cfg.doc, this.args.id, {
      resourcegroup: this.flags['resource-group'], ...(controller !== undefined ? {controller} : {}),
    }))
    const stanza = findStanza(doc, this.args.id)
    const text = writeStorageCfg({lines: doc.lines.slice(stanza?.header ?? 0, stanza?.end), finalNewline: false})
    if (this.flags['dry-run']) return this.log(text)
    await writeStorageCfgFile(cfg, doc)
    this.log(`Added to ${file}:\n${text}`)
  }
}
