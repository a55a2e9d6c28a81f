// `cairn incus satellite-version`: what LINSTOR's `Satellite --version` prints, for Incus. Incus
// runs /usr/share/linstor-server/bin/Satellite --version and shows the second word of the line
// starting with `Version:` as the LINSTOR version in `incus info`; packaging/incus/Satellite,
// installed at that path, runs this.
import {Command} from '@oclif/core'
import {buildInfo, REST_API_VERSION} from '../../../version.ts'

export default class IncusSatelliteVersion extends Command {
  static override summary = "Print the version as LINSTOR's Satellite --version does (Incus reads it)"

  async run(): Promise<void> {
    this.log([
      `Cairn, Module Satellite (LINSTOR REST API ${REST_API_VERSION})`,
      `Version:    ${buildInfo.version}`,
      `Build time: ${buildInfo.build_time}`,
      `Git commit: ${buildInfo.git_hash}`,
    ].join('\n'))
  }
}
