// The name of a gateway target becomes the LINSTOR resource definition, the DRBD resource and the
// promoter's resource key. It comes from the IQN's unique part, the NQN's subsystem or the NFS name.

/** LINSTOR's limit for resource names. */
export const MAX_TARGET_NAME_LENGTH = 48

/**
 * Why `name` cannot name a gateway target, or undefined when it can. Stricter than LINSTOR: a letter
 * first and no "_", because rtslib refuses "_" in an iSCSI WWN; one rule for all three kinds keeps
 * the check in one place.
 */
export function targetNameProblem(name: string): string | undefined {
  if (name.length < 2) return 'must be at least 2 characters long'
  if (name.length > MAX_TARGET_NAME_LENGTH) return `must be at most ${MAX_TARGET_NAME_LENGTH} characters long`
  if (!/^[A-Za-z]/.test(name)) return 'must start with a letter'
  const bad = /[^A-Za-z0-9-]/.exec(name)
  if (bad) return `must not contain '${bad[0]}' (only letters, digits and "-")`
  return undefined
}
