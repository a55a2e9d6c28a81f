// The files a client command may read to find and authenticate to its controller. Missing files
// are normal; a file named by a setting that cannot be read is an error the caller reports.
import {readFileSync} from 'node:fs'
import type {ConnectionInputs} from '../api/connection.ts'

const CONF_FILES = ['/etc/cairn/client.conf', '/etc/linstor/linstor-client.conf']
const AUTH_JSON = '/var/lib/linstor.d/auth.json'

const readIfThere = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** CAIRN_CLIENT_CONF names the one config file to read instead of the system ones (tests, several clusters). */
export function readClientFiles(env: Readonly<Record<string, string | undefined>> = process.env): Omit<ConnectionInputs, 'flags' | 'env'> {
  const conf = env.CAIRN_CLIENT_CONF ? [env.CAIRN_CLIENT_CONF] : CONF_FILES
  return {
    confFiles: conf.map(readIfThere).filter((t): t is string => t !== undefined),
    readFile: (path) => readFileSync(path, 'utf8'),
    authJson: readIfThere(env.CAIRN_AUTH_JSON ?? AUTH_JSON),
  }
}
