// Which backup `backup info` and `backup restore` mean: the latest of a resource (and snapshot
// name), or one by id; and the storage pools to put its volumes in where the names differ.
import {Flags} from '@oclif/core'
import {renames} from '../../schedule-args.ts'

export const backupSourceFlags = {
  resource: Flags.string({char: 'r', exactlyOne: ['resource', 'id'], description: 'the latest backup of this resource'}),
  id: Flags.string({exactlyOne: ['resource', 'id'], description: 'the backup with this id (see `backup list --show-id`)'}),
  snapshot: Flags.string({char: 's', description: 'the latest backup with this snapshot name'}),
  'storpool-rename': Flags.string({multiple: true, description: 'storage pool of the backup and the one to use here: oldname=newname'}),
}

interface SourceFlags {resource?: string, id?: string, snapshot?: string, 'storpool-rename'?: string[]}

/** The request fields of BackupRestore and BackupInfoRequest that name the backup; throws on a malformed rename. */
export const backupSource = (f: SourceFlags): {src_rsc_name?: string, src_snap_name?: string, last_backup?: string, stor_pool_map: Record<string, string>} =>
  ({src_rsc_name: f.resource, src_snap_name: f.snapshot, last_backup: f.id, stor_pool_map: renames(f['storpool-rename'] ?? [])})
