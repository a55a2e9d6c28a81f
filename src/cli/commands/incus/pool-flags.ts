// Which resource group and volume prefix an Incus pool uses. Incus keeps both in its own database
// (linstor.resource_group.name, linstor.volume.prefix); commands that work on an existing pool
// take them as flags, with Incus's defaults: the pool's name and `incus-volume-`.
import {Flags} from '@oclif/core'
import {DEFAULT_VOLUME_PREFIX, incusPoolConfig, type IncusPool} from '../../../../drivers/incus/pool-config.ts'

export const poolFlags = {
  'resource-group': Flags.string({description: "the pool's linstor.resource_group.name (default: the pool name)"}),
  prefix: Flags.string({description: `the pool's linstor.volume.prefix (default: ${DEFAULT_VOLUME_PREFIX})`}),
}

/** The pool as Incus fills it in; throws with every problem of the two names. */
export function incusPoolOf(poolName: string, flags: {'resource-group'?: string, prefix?: string}): IncusPool {
  const {pool, errors} = incusPoolConfig({
    ...(flags['resource-group'] !== undefined ? {'linstor.resource_group.name': flags['resource-group']} : {}),
    ...(flags.prefix !== undefined ? {'linstor.volume.prefix': flags.prefix} : {}),
  }, poolName)
  if (!pool) throw new Error(errors.join('\n'))
  return pool
}
