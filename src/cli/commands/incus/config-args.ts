// `KEY=VALUE` arguments, as `incus storage set` takes them: the value runs to the end of the word
// and may be empty (an empty value unsets the key). Pure.

export function parseConfigArgs(words: readonly string[]): Record<string, string> {
  const config: Record<string, string> = {}
  for (const word of words) {
    const eq = word.indexOf('=')
    if (eq <= 0) throw new Error(`'${word}' is not KEY=VALUE`)
    const key = word.slice(0, eq)
    if (Object.hasOwn(config, key)) throw new Error(`${key} is given twice`)
    config[key] = word.slice(eq + 1)
  }
  return config
}
