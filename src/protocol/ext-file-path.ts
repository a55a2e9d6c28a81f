// Which external file paths are acceptable, shared by the controller (which refuses bad names)
// and the satellite (which also refuses paths outside its allow-list). Pure.

/** An absolute, normalised path: no `.`/`..` segments, no empty segments, no trailing slash. */
export function extFilePathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'the path must be absolute'
  if (path.length > 240) return 'the path is longer than 240 characters'
  const segments = path.slice(1).split('/')
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'the path must be normalised (no empty, "." or ".." segments, no trailing "/")'
  if (!/^[A-Za-z0-9_\-./:+@]+$/.test(path)) return 'the path may contain only letters, digits and _ - . / : + @'
  return undefined
}

/** A resource definition requires an external file through its property `files<path>` = True, as in LINSTOR. */
export const FILES_PROP_PREFIX = 'files'
export const filesProp = (path: string): string => `${FILES_PROP_PREFIX}${path}`
export const isFileDeployed = (rdProps: Readonly<Record<string, string>>, path: string): boolean => rdProps[filesProp(path)] === 'True'

/** Whether some allowed directory is a parent of `path`. */
export const extFileAllowed = (allowed: readonly string[], path: string): boolean =>
  allowed.some((dir) => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`))
