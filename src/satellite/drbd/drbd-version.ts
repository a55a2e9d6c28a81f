// Which DRBD this host runs, from `/proc/drbd` and `drbdadm --version`, and what that means for
// the `.res` syntax: DRBD 9 (LINSTOR's native target) or 8.4 (every Debian kernel ships in-tree
// 8.4; drbd-utils 9 drives it through its bundled drbdadm-84/drbdsetup-84). Pure.
import type {DrbdMode} from './res-file.ts'

export interface DrbdVersion {major: number, minor: number, patch: number}

export type DrbdModeDecision = {mode: DrbdMode} | {mode: 'unsupported', reason: string}

/** Arguments of the version probe: `drbdadm --version` (exit 0 even without the kernel module). */
export const drbdadmVersionArgs = (): string[] => ['--version']

const dotted = (s: string): DrbdVersion | undefined => {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(s)
  return m ? {major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3])} : undefined
}

/** `0x08040b` → 8.4.11; 0 (what drbdadm prints without a loaded module) → undefined. */
const fromCode = (hex: string): DrbdVersion | undefined => {
  const code = Number.parseInt(hex, 16)
  if (!Number.isFinite(code) || code === 0) return undefined
  return {major: (code >> 16) & 0xff, minor: (code >> 8) & 0xff, patch: code & 0xff}
}

/**
 * The kernel module version from `/proc/drbd`: its first line is `version: 8.4.11
 * (api:1/proto:86-101)` on 8.4 and `version: 9.2.12 (api:2/proto:86-122)` on 9. Undefined when
 * the text has no such line (module not loaded: the file does not exist at all).
 */
export function parseProcDrbdVersion(text: string): DrbdVersion | undefined {
  const m = /^version:\s*(\S+)/m.exec(text)
  return m ? dotted(m[1] as string) : undefined
}

/**
 * Kernel and utils versions from `drbdadm --version` (KEY=value lines):
 * DRBD_KERNEL_VERSION_CODE=0x09020c / DRBD_KERNEL_VERSION=9.2.12 and
 * DRBDADM_VERSION_CODE=0x091600 / DRBDADM_VERSION=9.22.0. The kernel version is 0 when no module
 * is loaded; that reads as undefined. Other lines (and stderr noise such as "modinfo: not found")
 * are ignored.
 */
export function parseDrbdadmVersion(text: string): {kernel?: DrbdVersion, utils?: DrbdVersion} {
  const vars = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim())
    if (m) vars.set(m[1] as string, m[2] as string)
  }
  const pick = (codeKey: string, textKey: string): DrbdVersion | undefined => {
    const code = vars.get(codeKey)
    if (code !== undefined && /^0x[0-9a-f]+$/i.test(code)) return fromCode(code.slice(2))
    const t = vars.get(textKey)
    return t === undefined ? undefined : dotted(t)
  }
  const kernel = pick('DRBD_KERNEL_VERSION_CODE', 'DRBD_KERNEL_VERSION')
  const utils = pick('DRBDADM_VERSION_CODE', 'DRBDADM_VERSION')
  return {...(kernel ? {kernel} : {}), ...(utils ? {utils} : {})}
}

export const compareVersions = (a: DrbdVersion, b: DrbdVersion): number =>
  a.major - b.major || a.minor - b.minor || a.patch - b.patch

export const formatVersion = (v: DrbdVersion): string => `${v.major}.${v.minor}.${v.patch}`

/**
 * The `.res` syntax and command set to use. The kernel module decides; the utils must be able to
 * drive it: DRBD 9 needs drbd-utils 9, DRBD 8.4 works with drbd8-utils 8.9 or with drbd-utils 9
 * (which hands 8.4 work to its drbdadm-84).
 */
export function decideDrbdMode(kernel: DrbdVersion | undefined, utils: DrbdVersion | undefined): DrbdModeDecision {
  if (!utils) return {mode: 'unsupported', reason: "drbd-utils are not installed ('drbdadm' not found or gave no version)"}
  if (!kernel) return {mode: 'unsupported', reason: 'the drbd kernel module is not loaded (no /proc/drbd; try modprobe drbd)'}
  const k = formatVersion(kernel)
  if (kernel.major === 9) {
    if (utils.major < 9) return {mode: 'unsupported', reason: `DRBD ${k} needs drbd-utils 9, found ${formatVersion(utils)}`}
    return {mode: 'drbd9'}
  }
  if (kernel.major === 8 && kernel.minor === 4) {
    if (compareVersions(utils, {major: 8, minor: 9, patch: 0}) < 0) {
      return {mode: 'unsupported', reason: `DRBD ${k} needs drbd-utils 8.9 or later, found ${formatVersion(utils)}`}
    }
    return {mode: 'drbd84'}
  }
  return {mode: 'unsupported', reason: `DRBD kernel module ${k} is not supported (DRBD 9 or 8.4 needed)`}
}
