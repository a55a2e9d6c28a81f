// The `gateway iscsi|nfs|nvme` commands, written once for the three kinds: a base that turns the
// gateway service's refusals into the client's exit codes (10, 20 from BaseCommand, 2 for a bad
// command line) and the list/show/start/stop/delete/add-volume/delete-volume commands built from
// a kind's description. Each kind's file adds its create command and these.
import {Flags, type Command} from '@oclif/core'
import {createInterface} from 'node:readline/promises'
import {GatewayError, gatewayService, type GatewayService} from '../../gateway/gateway-service.ts'
import type {AnyConfig, TargetKind} from '../../gateway/target-kinds.ts'
import {ApiError} from '../api/client.ts'
import {MASK_ERROR} from '../common/api-call-rc.ts'
import {stringify} from '../common/json.ts'
import {arg, numberArg, optionalArg, pastableFlags, variadicArg} from './args.ts'
import {BaseCommand, EXIT_API_ERROR} from './base-command.ts'
import {addVolumeRequest, resourceTimeoutMs} from './gateway-args.ts'
import {reactorStatus} from '../../gateway/host-probe.ts'
import {reactorSummary} from '../../gateway/reactor-status.ts'
import {keyValueText, listHeaders, listRows, showLines, volumeHeaders, volumeRows, withoutCredentials, withoutPassword,
  type ListColumns, type TargetView} from './gateway-rows.ts'
import {sizeKib} from './format.ts'
import {formatReplies} from './replies.ts'

/** How the commands of one kind talk about it. */
export interface GatewayCliKind<C extends AnyConfig> {
  kind: TargetKind<C>
  /** "iSCSI target", "NFS export", "NVMe-oF target". */
  what: string
  /** The identifier's title in help texts: "IQN", "NAME", "NQN". */
  idTitle: string
  columns: ListColumns
  view(config: C): TargetView
  /** What `create` prints. */
  created(config: C): string
}

export const HEALTH_HINT = 'Run `cairn gateway check-health` on the gateway nodes to find missing prerequisites.'

/** Flags of every create command. */
export const createFlags = {
  'resource-group': Flags.string({char: 'r', default: 'DfltRscGrp', description: 'LINSTOR resource group of the new resource'}),
  gross: Flags.boolean({description: 'the sizes include DRBD\'s metadata (volume definitions get GROSS_SIZE)'}),
  portblock: Flags.boolean({allowNo: true, default: true,
    description: 'block the service port while the target starts or stops, so that clients retry (--no-portblock: no portblock agents)'}),
}

export const resourceTimeoutFlag = {
  'resource-timeout': Flags.string({
    description: 'how long to wait for a node to take the target over (Go duration: 30s, 2m, 1h; 0 = do not wait)'}),
}

export abstract class GatewayCommand<T extends typeof Command> extends BaseCommand<T> {
  /** Set by create and start: when they fail, missing host prerequisites are a likely cause. */
  protected suggestHealthCheck = false

  protected get gateway(): GatewayService {
    return gatewayService(this.api)
  }

  protected json(value: unknown): void {
    this.log(stringify(value))
  }

  protected failure(e: GatewayError | ApiError): string {
    // Deployment failures ("failed to create …", failed starts), not refusals such as a taken IP.
    const hint = this.suggestHealthCheck && e instanceof GatewayError && (e.status >= 500 || e.message.startsWith('failed to '))
    return formatReplies([{ret_code: MASK_ERROR, message: e.message, ...(hint ? {correction: HEALTH_HINT} : {})}], this.colour)
  }

  /** --resource-timeout in milliseconds, undefined when not given. */
  protected timeoutMs(): number | undefined {
    const text = (this.flags as Record<string, unknown>)['resource-timeout'] as string | undefined
    return text === undefined ? undefined : this.checked(() => resourceTimeoutMs(text))
  }

  /**
   * Creates a target. The request is validated here first: input the service would refuse as
   * invalid is a bad command line (exit 2), not a refusal of the cluster (exit 10).
   */
  protected async createTarget<C extends AnyConfig>(spec: GatewayCliKind<C>, input: object): Promise<void> {
    // Create inputs may leave out what the kind's defaults fill in (volume 0, owners).
    const request = input as Partial<C>
    const problem = spec.kind.validate(spec.kind.defaults(request))
    if (problem !== undefined) this.usage(problem)
    this.suggestHealthCheck = true
    const config = await this.gateway.create(spec.kind, request)
    if (this.machineReadable) this.json(withoutPassword(config))
    else this.log(spec.created(config))
  }

  /**
   * Runs `op` for each target in turn. A failure does not stop the others; all failures are
   * printed at the end and make the exit code 10. An unreachable controller ends it at once.
   */
  protected async eachTarget<R>(ids: readonly string[], op: (id: string) => Promise<{text: string, result: R}>): Promise<void> {
    const results: R[] = []
    const failures: string[] = []
    for (const id of ids) {
      try {
        const {text, result} = await op(id)
        results.push(result)
        if (!this.machineReadable) this.log(text)
      } catch (e) {
        // Anything else (an unreachable controller, a bug) ends the command through catch().
        if (!(e instanceof GatewayError || e instanceof ApiError)) throw e
        failures.push(this.failure(e))
      }
    }
    if (this.machineReadable) this.json(results)
    if (failures.length) {
      process.stderr.write(`${failures.join('\n')}\n`)
      this.exit(EXIT_API_ERROR)
    }
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (err instanceof GatewayError) {
      process.stderr.write(`${this.failure(err)}\n`)
      return this.exit(EXIT_API_ERROR)
    }
    return super.catch(err)
  }
}

type Args = Record<string, unknown>
const str = (a: Args, key: string): string => a[key] as string
const list = (a: Args, key: string): string[] => {
  const v = a[key]
  return Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]
}

/** Asks on the terminal; false when the answer is not yes. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    return /^(y|yes)$/i.test((await rl.question(`${question} [y/N] `)).trim())
  } finally {
    rl.close()
  }
}

export interface GatewayCommandSet {
  list: typeof Command
  show: typeof Command
  start: typeof Command
  stop: typeof Command
  delete: typeof Command
  addVolume: typeof Command
  deleteVolume: typeof Command
}

/** Every command of a kind but create. */
export function gatewayCommands<C extends AnyConfig>(spec: GatewayCliKind<C>): GatewayCommandSet {
  const {kind, what, idTitle} = spec
  const ids = {ids: variadicArg(`one or more ${idTitle}s`, true)}

  class List extends GatewayCommand<typeof Command> {
    static override summary = `List the ${what}s`
    static override description = `One row per volume; the cluster-private volume 0 is not shown. -m prints the configs as the REST API v2 does.`
    static override flags = {...pastableFlags}
    async run(): Promise<void> {
      const configs = await this.gateway.list(kind)
      if (this.machineReadable) return this.json(configs.map(withoutCredentials))
      const reactor = await reactorStatus()
      const cells = reactor && configs.map((c) => reactorSummary(reactor.get(kind.resourceOf(c))))
      this.log(this.render(listHeaders(spec.columns, cells !== undefined), listRows(configs.map(spec.view), cells)))
    }
  }

  class Show extends GatewayCommand<typeof Command> {
    static override summary = `Show one ${what}: its settings, state and volumes`
    static override args = {id: arg(`${idTitle} of the ${what}`)}
    static override flags = {...pastableFlags}
    async run(): Promise<void> {
      const config = await this.gateway.get(kind, str(this.args, 'id'))
      if (this.machineReadable) return this.json(withoutPassword(config))
      const view = spec.view(config)
      const reactor = await reactorStatus()
      this.log(keyValueText(showLines(spec.columns.id, view, reactor && reactorSummary(reactor.get(kind.resourceOf(config))))))
      this.log(this.render(volumeHeaders(spec.columns.volume), volumeRows(view)))
    }
  }

  class Start extends GatewayCommand<typeof Command> {
    static override summary = `Start ${what}s: deploy their drbd-reactor config so that a node takes each over`
    static override args = ids
    static override flags = {...resourceTimeoutFlag}
    async run(): Promise<void> {
      const timeout = this.timeoutMs()
      this.suggestHealthCheck = true
      await this.eachTarget(list(this.args, 'ids'), async (id) => {
        const c = await this.gateway.start(kind, id, timeout)
        const where = c.status?.primary ? ` on node ${c.status.primary}` : ' (no node has taken it over yet)'
        return {text: `Started ${what} '${id}'${where}`, result: withoutPassword(c)}
      })
    }
  }

  class Stop extends GatewayCommand<typeof Command> {
    static override summary = `Stop ${what}s: remove their drbd-reactor config from the nodes`
    static override args = ids
    static override flags = {...resourceTimeoutFlag}
    async run(): Promise<void> {
      const timeout = this.timeoutMs()
      await this.eachTarget(list(this.args, 'ids'), async (id) =>
        ({text: `Stopped ${what} '${id}'`, result: withoutPassword(await this.gateway.stop(kind, id, timeout))}))
    }
  }

  class Delete extends GatewayCommand<typeof Command> {
    static override summary = `Delete ${what}s with their LINSTOR resources and all data on them`
    static override description = 'Asks for confirmation unless --force is given; without a terminal to ask on, --force is required.'
    static override args = ids
    static override flags = {...resourceTimeoutFlag, force: Flags.boolean({char: 'f', description: 'do not ask for confirmation'})}
    async run(): Promise<void> {
      const targets = list(this.args, 'ids')
      if (!(this.flags as Args)['force']) {
        if (!process.stdin.isTTY) this.usage('refusing to delete without --force: standard input is not a terminal to ask on')
        if (!await confirm(`Delete ${what} ${targets.join(', ')} and all data on it?`)) return this.log('Nothing deleted.')
      }
      const timeout = this.timeoutMs()
      await this.eachTarget(targets, async (id) => {
        await this.gateway.delete(kind, id, timeout)
        return {text: `Deleted ${what} '${id}'`, result: id}
      })
    }
  }

  // NFS cannot grow by volumes; its command stays, hidden, so that trying says why.
  const numberFirst = kind.kind === 'iscsi'
  class AddVolume extends GatewayCommand<typeof Command> {
    static override summary = `Add a volume to a stopped ${what}`
    static override description = numberFirst ? 'Without a number, the volume gets the next free one.' : undefined
    static override hidden = !kind.canAddVolumes
    static override args = {
      id: arg(`${idTitle} of the ${what}`),
      first: arg(numberFirst ? `volume number, or the size when no number is given` : 'volume number'),
      second: numberFirst ? optionalArg('size (1G, 500MB, 2GiB)') : arg('size (1G, 500MB, 2GiB)'),
    }
    async run(): Promise<void> {
      const id = str(this.args, 'id')
      const second = this.args['second'] as string | undefined
      // The next free number needs the target's volumes; a given number does not.
      const existing = second === undefined ? (await this.gateway.get(kind, id)).volumes : []
      const volume = this.checked(() => addVolumeRequest(str(this.args, 'first'), second, existing))
      const c = await this.gateway.addVolume(kind, id, volume)
      if (this.machineReadable) this.json(withoutPassword(c))
      else this.log(`Added volume ${volume.number} (${sizeKib(volume.size_kib)}) to ${what} '${id}'`)
    }
  }

  class DeleteVolume extends GatewayCommand<typeof Command> {
    static override summary = `Delete a volume of a stopped ${what}, with its data`
    static override args = {id: arg(`${idTitle} of the ${what}`), number: numberArg('volume number')}
    async run(): Promise<void> {
      const id = str(this.args, 'id')
      const number = this.args['number'] as number
      const c = await this.gateway.deleteVolume(kind, id, number)
      if (this.machineReadable) this.json(withoutPassword(c))
      else this.log(`Deleted volume ${number} of ${what} '${id}'`)
    }
  }

  return {list: List, show: Show, start: Start, stop: Stop, delete: Delete, addVolume: AddVolume, deleteVolume: DeleteVolume}
}
