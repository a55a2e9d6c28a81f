// Listening on '::' gives IPv4 and IPv6; hosts with IPv6 disabled fall back to 0.0.0.0.
import type {Server} from 'node:net'

export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const attempt = (h: string): void => {
      const onError = (e: NodeJS.ErrnoException): void => {
        server.off('listening', onListening)
        if (h === '::' && (e.code === 'EAFNOSUPPORT' || e.code === 'EADDRNOTAVAIL')) attempt('0.0.0.0')
        else reject(new Error(`cannot listen on ${h}:${port}: ${e.message}`))
      }
      const onListening = (): void => {
        server.off('error', onError)
        resolve(`${h.includes(':') ? `[${h}]` : h}:${port}`)
      }
      server.once('error', onError)
      server.once('listening', onListening)
      server.listen(port, h)
    }
    attempt(host)
  })
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    ;(server as {closeAllConnections?: () => void}).closeAllConnections?.()
  })
}
