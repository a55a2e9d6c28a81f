// The schedule commands' values as the linstor client reads them: counts that are a number >= 0
// or a word for the default ("all" kept, retried "forever"), sent as -1 so that the controller
// goes back to the default, --on-failure in any case, and --storpool-rename's old=new pairs. Pure.

function count(text: string, word: string): number {
  if (text === word) return -1
  if (!/^\d+$/.test(text.trim())) throw new Error(`'${text}': only numbers >= 0 allowed or "${word}"`)
  return Number(text)
}

/** --keep-local, --keep-remote: a number, or "all". */
export const keepCount = (text: string): number => count(text, 'all')

/** --max-retries: a number, or "forever". */
export const retryCount = (text: string): number => count(text, 'forever')

/** --on-failure, in any case. */
export function onFailure(text: string): 'RETRY' | 'SKIP' {
  const v = text.toUpperCase()
  if (v !== 'RETRY' && v !== 'SKIP') throw new Error(`--on-failure: '${text}' is neither RETRY nor SKIP`)
  return v
}

/** --storpool-rename old=new …: the map the controller takes. */
export function renames(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((p) => {
    const eq = p.indexOf('=')
    if (eq <= 0 || eq === p.length - 1) throw new Error(`'${p}': expected oldname=newname`)
    return [p.slice(0, eq), p.slice(eq + 1)]
  }))
}
