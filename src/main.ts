// The one entry point of the binary. A daemon start with plain settings flags goes straight to
// the daemon; everything else (client commands, help, malformed daemon flags) goes through oclif.
import {daemonInvocation} from './daemon/daemon-argv.ts'

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const daemon = daemonInvocation(argv)
  if (!daemon) return (await import('./cli/run-cli.ts')).runCli(argv)
  const {runDaemon} = await import('./daemon/run-daemon.ts')
  try {
    await runDaemon(daemon.mode, daemon.flags, daemon.config)
  } catch (e) {
    process.stderr.write(` ›   Error: ${(e as Error).message}\n`)
    process.exitCode = 1
  }
}

void main()
