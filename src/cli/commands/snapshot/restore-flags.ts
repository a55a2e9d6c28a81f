import {Flags} from '@oclif/core'

/** Where a snapshot restore reads from and writes to; `snapshot resource restore` and `snapshot volume-definition restore`. */
export const restoreFlags = {
  'from-resource': Flags.string({aliases: ['fr'], required: true, description: 'resource definition that holds the snapshot'}),
  'from-snapshot': Flags.string({aliases: ['fs'], required: true, description: 'snapshot to restore from'}),
  'to-resource': Flags.string({aliases: ['tr'], required: true, description: 'resource definition to restore into'}),
}
