// Structured logs to stdout for journald: one line per event, text or JSON. Fields whose name
// looks like a secret are redacted here, once, so no caller can leak one by accident.

export type Level = 'error' | 'warn' | 'info' | 'debug'
const rank: Record<Level, number> = {error: 0, warn: 1, info: 2, debug: 3}
const secretKey = /secret|passphrase|password|token|authorization|private.?key/i
/** True for a field name that looks like it holds a secret (sos-report redacts by the same rule). */
export const isSecretName = (name: string): boolean => secretKey.test(name)

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  debug(msg: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    if (secretKey.test(k)) out[k] = '<redacted>'
    else if (v instanceof Error) out[k] = v.message
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redact(v as Record<string, unknown>)
    else out[k] = typeof v === 'bigint' ? v.toString() : v
  }
  return out
}

export function createLogger(opts: {level: Level, format: 'text' | 'json', write?: (line: string) => void}, base: Record<string, unknown> = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}): void => {
    if (rank[level] > rank[opts.level]) return
    const all = redact({...base, ...fields})
    if (opts.format === 'json') {
      write(JSON.stringify({time: new Date().toISOString(), level, msg, ...all}))
    } else {
      const kv = Object.entries(all).map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      write([level.toUpperCase().padEnd(5), msg, ...kv].join(' '))
    }
  }
  return {
    error: (m, f) => emit('error', m, f), warn: (m, f) => emit('warn', m, f),
    info: (m, f) => emit('info', m, f), debug: (m, f) => emit('debug', m, f),
    child: (f) => createLogger(opts, {...base, ...f}),
  }
}
