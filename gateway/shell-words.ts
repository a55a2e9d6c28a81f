// Start entries are shell words: drbd-reactor splits them with POSIX quoting rules (the Rust
// shell-words crate) before it turns `k=v` into OCF_RESKEY_k=v.

// Characters no POSIX shell treats specially anywhere in a word.
const BARE = /^[A-Za-z0-9._/:@%+=-]+$/

/** Quotes one word so that a POSIX shell reads it back unchanged; plain words stay bare. */
export function shellQuote(word: string): string {
  if (BARE.test(word)) return word
  // Inside single quotes nothing is special; a quote itself ends the string, so it is written as '\''.
  return `'${word.replaceAll("'", String.raw`'\''`)}'`
}

const BLANK = new Set([' ', '\t', '\n'])
// Inside double quotes a backslash escapes only these.
const DOUBLE_QUOTED_ESCAPES = new Set(['$', '`', '"', '\\'])

/**
 * Splits text into words with POSIX quoting: '...' literal, "..." with \$ \` \" \\ escapes, a
 * backslash outside quotes escapes the next character, backslash-newline continues the line, and
 * a # at the start of a word comments out the rest of the line. No expansions happen.
 */
export function shellSplit(text: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  const fail = (what: string): never => {
    throw new Error(`${what} in ${JSON.stringify(text)}`)
  }
  while (i < text.length) {
    const c = text[i] as string
    if (BLANK.has(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else if (c === '#' && !inWord) {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) fail('unterminated single quote')
      word += text.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      inWord = true
      i++
      for (;;) {
        if (i >= text.length) fail('unterminated double quote')
        const d = text[i] as string
        if (d === '"') break
        if (d === '\\' && i + 1 < text.length) {
          const next = text[i + 1] as string
          if (next === '\n') {
            i += 2
            continue
          }
          if (DOUBLE_QUOTED_ESCAPES.has(next)) {
            word += next
            i += 2
            continue
          }
        }
        word += d
        i++
      }
      i++
    } else if (c === '\\') {
      if (i + 1 >= text.length) fail('trailing backslash')
      const next = text[i + 1] as string
      if (next !== '\n') {
        word += next
        inWord = true
      }
      i += 2
    } else {
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}
