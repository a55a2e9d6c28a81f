// LUKS volume keys: every volume definition of a definition whose resources run the LUKS layer
// carries a passphrase for `cryptsetup`, random unless the client gave one, sealed with the master
// key (encryption.ts). Views never show it; only the desired state of a node that opens the
// volume carries it in the clear. Pure apart from the randomness passed in.
import {randomBytes} from 'node:crypto'
import {Rc} from '../../common/api-call-rc.ts'
import {nameKey} from '../../common/names.ts'
import {ApiFailure} from './api-failure.ts'
import {openSecret, sealSecret, type Random} from './encryption.ts'
import type {RscDfnRec, VlmDfnRec} from './resource-definition.ts'
import type {RscRec} from './resource.ts'
import {type Change, type ClusterState, key2} from './state.ts'
import {rscsOfDfn, vlmDfnsOfDfn} from './state-index.ts'

/** The LUKS2 header cryptsetup writes by default: the storage volume below LUKS is this much larger. */
export const LUKS2_HEADER_KIB = 16 * 1024

const KEY_BYTES = 32

export interface LuksKeyInput {
  /** The master key while unlocked. */
  masterKey: Buffer | undefined
  /** Passphrases the client chose, by volume number (VolumeDefinitionCreate.passphrase, volume_passphrases). */
  given?: ReadonlyMap<number, string>
  rand?: Random
}

const noMasterKey = (what: string): ApiFailure => new ApiFailure(Rc.FAIL_NOT_FOUND_CRYPT_KEY, {
  message: `Unable to create ${what} without having a master key`,
  cause: 'The master passphrase was not created yet, or not entered since the controller started.',
  correction: 'Create or enter the master passphrase (`encryption create-passphrase` or `encryption enter-passphrase`).'})

/** The records `changes` put (undefined: deleted), by key, over what the state has. */
function overlay<T>(changes: readonly Change[], table: 'rscDfns' | 'vlmDfns' | 'rscs'): Map<string, T | undefined> {
  const m = new Map<string, T | undefined>()
  for (const c of changes) if (c.t === table) m.set(c.k, c.v as T | undefined)
  return m
}

/**
 * The changes plus sealed keys for the volume definitions that need one after them: those of a
 * definition with LUKS in its layer stack or in the stack of any of its resources, and those the
 * client gave a passphrase for. A resource cloned or restored from another definition keeps the
 * source's key (its data was encrypted with it). Refused (FAIL_NOT_FOUND_CRYPT_KEY, as LINSTOR)
 * while the master key is not in memory.
 */
export function withLuksKeys(state: ClusterState, changes: readonly Change[], input: LuksKeyInput): Change[] {
  const rds = overlay<RscDfnRec>(changes, 'rscDfns')
  const vds = overlay<VlmDfnRec>(changes, 'vlmDfns')
  const rscs = overlay<RscRec>(changes, 'rscs')
  const newRscs = [...rscs].filter(([k, r]) => r && !state.rscs[k]).map(([, r]) => r as RscRec)
  if (!input.masterKey && newRscs.some((r) => r.layerStack.includes('LUKS'))) throw noMasterKey('an encrypted (LUKS) resource')

  const touched = new Set<string>([...[...vds.values()].flatMap((v) => (v ? [nameKey(v.rscDfn)] : [])), ...newRscs.map((r) => nameKey(r.rscDfn))])
  const out = [...changes]
  const rand = input.rand ?? randomBytes
  for (const rdKey of touched) {
    const rd = rds.has(rdKey) ? rds.get(rdKey) : state.rscDfns[rdKey]
    if (!rd) continue
    const rdStack = rd.layerStack ?? state.rscGrps[nameKey(rd.rscGrp)]?.selectFilter.layer_stack
    const all = [...rscsOfDfn(state, rd.name).filter((r) => !rscs.has(key2(r.rscDfn, r.node))), ...newRscs.filter((r) => nameKey(r.rscDfn) === rdKey)]
    const luks = (rdStack ?? []).includes('LUKS') || all.some((r) => r.layerStack.includes('LUKS'))
    const sources = newRscs.filter((r) => nameKey(r.rscDfn) === rdKey && r.restoreFrom).map((r) => r.restoreFrom?.rscDfn as string)
    const current = new Map<number, VlmDfnRec>()
    for (const v of vlmDfnsOfDfn(state, rd.name)) current.set(v.vlmNr, v)
    for (const [k, v] of vds) {
      if (v && nameKey(v.rscDfn) === rdKey) current.set(v.vlmNr, v)
      else if (!v && k.startsWith(`${rdKey}/`)) current.delete(Number(k.slice(rdKey.length + 1)))
    }
    for (const vd of current.values()) {
      const given = input.given?.get(vd.vlmNr)
      if (vd.luksKey !== undefined && given === undefined) continue
      if (!luks && given === undefined) continue
      const copied = given === undefined ? sources.map((s) => state.vlmDfns[key2(s, vd.vlmNr)]?.luksKey).find((x) => x !== undefined) : undefined
      let luksKey = copied
      if (luksKey === undefined) {
        if (!input.masterKey) throw noMasterKey('an encrypted volume definition')
        luksKey = sealSecret(input.masterKey, given ?? rand(KEY_BYTES).toString('base64url'), rand)
      }
      out.push({t: 'vlmDfns', k: key2(vd.rscDfn, vd.vlmNr), v: {...vd, luksKey}})
    }
  }
  return out
}

/** The clear LUKS passphrase of a volume definition, when it has one and the master key opens it. */
export function luksKeyOf(vd: VlmDfnRec, masterKey: Buffer | undefined): string | undefined {
  if (vd.luksKey === undefined || !masterKey) return undefined
  try {
    return openSecret(masterKey, vd.luksKey)
  } catch {
    return undefined
  }
}

/** `volume_passphrases` (spawn, clone): the i-th passphrase belongs to the i-th volume definition. */
export function givenPassphrases(raw: unknown, vlmNrs: readonly number[]): Map<number, string> {
  if (raw === undefined || raw === null) return new Map()
  if (!Array.isArray(raw) || raw.some((p) => typeof p !== 'string')) {
    throw new ApiFailure(Rc.FAIL_INVLD_CRYPT_PASSPHRASE, {message: "'volume_passphrases' must be a list of strings, one per volume."})
  }
  return new Map((raw as string[]).flatMap((p, i): [number, string][] => (vlmNrs[i] === undefined || p === '' ? [] : [[vlmNrs[i], p]])))
}
