// Passphrases for the `encryption` commands: from a flag, else asked on the terminal without
// echo (twice where a typo would lock the data away), else one per line from standard input.
import {buffer} from 'node:stream/consumers'

export interface Ask {prompt: string, confirm?: string}

/** One hidden line from the terminal; Ctrl-C aborts. */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')
  return new Promise((resolve, reject) => {
    let text = ''
    const finish = (err?: Error): void => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (err) reject(err)
      else resolve(text)
    }
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') return finish()
        if (c === '\u0003' || c === '\u0004') return finish(new Error('aborted'))
        if (c === '\u007f' || c === '\b') text = text.slice(0, -1)
        else text += c
      }
    }
    stdin.on('data', onData)
  })
}

/** The lines of standard input (a pipe or file), in order. */
async function stdinLines(): Promise<string[]> {
  return (await buffer(process.stdin)).toString('utf8').split('\n').map((l) => l.replace(/\r$/, ''))
}

/**
 * One passphrase per `asks` entry: `given[i]` when set, else prompted (with confirmation) on a
 * terminal, else the next line of standard input. Throws when one is missing or mistyped.
 */
export async function readPassphrases(asks: readonly Ask[], given: readonly (string | undefined)[]): Promise<string[]> {
  const tty = process.stdin.isTTY === true
  const lines = asks.some((_a, i) => given[i] === undefined) && !tty ? await stdinLines() : []
  const out: string[] = []
  for (const [i, a] of asks.entries()) {
    let value = given[i]
    if (value === undefined && tty) {
      value = await askHidden(a.prompt)
      if (a.confirm !== undefined && (await askHidden(a.confirm)) !== value) throw new Error("Passphrase doesn't match.")
    } else if (value === undefined) value = lines.shift()
    if (!value) throw new Error(`no passphrase given for '${a.prompt.replace(/:\s*$/, '')}' (use the flag, a terminal, or one line per passphrase on standard input)`)
    out.push(value)
  }
  return out
}
