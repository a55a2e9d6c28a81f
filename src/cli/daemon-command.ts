// `cairn combined|controller|satellite`: flags for every setting, generated from the settings
// table so that a new setting is one line there.
import {Command, Flags} from '@oclif/core'
import {describeSetting, settingNames, type Settings} from '../common/config.ts'
import type {Mode} from '../daemon/run-daemon.ts'

const settingFlags = Object.fromEntries(settingNames.map((name) => [name, Flags.string({description: describeSetting(name), helpGroup: 'SETTINGS'})]))

export abstract class DaemonCommand extends Command {
  static override flags = {
    config: Flags.string({description: 'config file (default $CAIRN_CONFIG or /etc/cairn/cairn.toml)'}),
    ...settingFlags,
  }

  protected abstract readonly mode: Mode

  async run(): Promise<void> {
    const {flags} = await this.parse(this.ctor)
    const {config, ...rest} = flags as Record<string, string | undefined>
    const {runDaemon} = await import('../daemon/run-daemon.ts')
    try {
      await runDaemon(this.mode, rest as Partial<Record<keyof Settings, string>>, config)
    } catch (e) {
      this.error((e as Error).message, {exit: 1})
    }
  }
}
