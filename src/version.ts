// Build facts, injected by packaging/esbuild.mjs into the binary; a dev run reads package.json.
import pjson from '../package.json' with {type: 'json'}

declare const CAIRN_BUILD_INFO: {version: string, git_hash: string, build_time: string} | undefined

export const buildInfo = typeof CAIRN_BUILD_INFO !== 'undefined'
  ? CAIRN_BUILD_INFO
  : {version: pjson.version, git_hash: '0'.repeat(40), build_time: new Date(0).toISOString().replace('.000Z', '+00:00')}

/** The LINSTOR REST API version Cairn speaks; python-linstor needs plain dotted numbers. */
export const REST_API_VERSION = '1.28.0'
