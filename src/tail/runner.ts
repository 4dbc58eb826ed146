import { resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { createShipper, type Shipper } from '../shipper/shipper.js'
import { shipperOptionsFor } from '../config/shipper-options.js'
import type { ShipperStats } from '../shipper/stats.js'
import type { Config, FileInputConfig, InputConfig } from '../config/schema.js'
import { AckQueue, Feeder } from './feeder.js'
import { Registry } from './registry.js'
import { OwnFiles } from './own-files.js'
import { FileInput } from './file-input.js'
import { StdinInput } from './stdin-input.js'
import { DocumentBuilder, mergeFields } from './document.js'
import { createEntryParser } from './parsers.js'
import { inputChain } from '../processors/compile.js'
import { newCounters, type FileLag, type TailCounters } from './stats.js'
import { describeError } from '../errors.js'
import { maxRecordBytes } from './limits.js'
import { HandleBudget, harvesterBudget } from './handle-budget.js'
import { softNofileLimit } from '../util/fd-limit.js'

const ACK_POLL_MS = 100
/** After shutdownTimeoutMs, the shipper gets this long to stop (what it still holds is read again at the next start). */
const CLOSE_GRACE_MS = 1000

export interface TailLogger {
  warn(message: string): void
  info(message: string): void
}

export interface TailRunnerOptions {
  config: Config
  /** Read every file to its end, ship, wait for acknowledgements, write the registry, finish. */
  once?: boolean
  /** For `type: stdin` inputs. @default process.stdin */
  stdin?: Readable
  logger?: TailLogger
}

export interface TailStats {
  readonly counters: Readonly<TailCounters>
  readonly shipper: ShipperStats
  /** Open or known files, most behind first. */
  readonly files: readonly FileLag[]
  /** Sum of the files' lag in bytes. */
  readonly lagBytes: number
  /** Bytes waiting in tail mode's own hand-off (bounded by one chunk per reader). */
  readonly feederBytes: number
  readonly registryWrites: number
  /** Files left out because they look binary, with why. */
  readonly skippedFiles: readonly { path: string; reason: string }[]
  /** The first document shipped (as JSON text), if any. */
  readonly firstDocument: string | undefined
  /** This process (all threads): resident set size in bytes. */
  readonly rssBytes: number
}

export interface TailSummary {
  readonly stats: TailStats
  /** Events read but not acknowledged when logship stopped (they are read again at the next start). */
  readonly unacknowledged: number
  /** The last write of the read pointers failed: the next start reads again from the previous pointers. */
  readonly registryWriteFailed: boolean
}

const consoleLogger: TailLogger = {
  warn: (m) => process.stderr.write(`logship: warning: ${m}\n`),
  info: (m) => process.stderr.write(`logship: ${m}\n`),
}

/**
 * Tail mode: file and stdin inputs → one shipper (on a worker thread unless `engine.thread: main`, never dropping) → the
 * output, with read pointers that advance only on acknowledgement and are kept in the
 * registry. `start()`, then `finished()` (--once or stdin-only), or `stop()` on a signal.
 */
export class TailRunner {
  readonly config: Config
  readonly shipper: Shipper
  readonly #once: boolean
  readonly #logger: TailLogger
  readonly #counters = newCounters()
  readonly #acks = new AckQueue()
  readonly #feeder: Feeder
  readonly #fileInputs: FileInput[] = []
  /** File descriptors the harvesters of all inputs may hold (the soft `ulimit -n` minus a reserve). */
  readonly budget: HandleBudget
  #stdinInput: StdinInput | undefined
  #stdinRun: Promise<void> | undefined
  #registry: Registry | undefined
  #ackTimer: NodeJS.Timeout | undefined
  #saveTimer: NodeJS.Timeout | undefined
  #stopping = false
  #frozen = false
  readonly #ownFiles: OwnFiles

  private constructor(options: TailRunnerOptions, registry: Registry | undefined) {
    this.config = options.config
    this.#once = options.once ?? false
    this.#logger = options.logger ?? consoleLogger
    this.#registry = registry
    this.#ownFiles = OwnFiles.of(options.config)
    const c = this.config
    const output = c.output as { maxInFlight?: number; workers?: number; hosts?: unknown[] }
    const connections = Math.max(output.maxInFlight ?? 4, (output.workers ?? 1) * (output.hosts?.length ?? 1))
    this.budget = new HandleBudget(harvesterBudget(softNofileLimit(), { outputConnections: connections, http: c.http !== undefined }))
    this.shipper = createShipper({ ...shipperOptionsFor(c), thread: c.engine.thread, handleExit: false, closeTimeoutMs: CLOSE_GRACE_MS })
    this.shipper.on('error', (err) => {
      if (this.#stopping && err.code === 'LOGSHIP_ERR_SHUTDOWN') return
      this.#logger.warn(err.message)
    })
    this.shipper.on('warning', (m) => this.#logger.warn(m))
    this.shipper.on('dead-letter', (d) => this.#logger.warn(`${d.count} events were refused by the output and dead-lettered: ${d.reason}`))
    this.#feeder = new Feeder(this.shipper, this.#acks)
    this.#feeder.onTooLarge = (bytes) => this.#logger.warn(`an event of ${bytes} bytes does not fit in the queue and was not shipped; raise queue.maxBytes or lower maxLineBytes`)
  }

  /** Loads the registry, starts the shipper and every input. */
  static async start(options: TailRunnerOptions): Promise<TailRunner> {
    const logger = options.logger ?? consoleLogger
    const hasFiles = options.config.inputs.some((i) => i.type === 'file')
    const registry = hasFiles ? await Registry.open(resolve(options.config.registry.path), (m) => logger.warn(m), options.config.strictPerms) : undefined
    const runner = new TailRunner(options, registry)
    await runner.#startInputs(options.stdin ?? process.stdin)
    return runner
  }

  async #startInputs(stdin: Readable): Promise<void> {
    this.#ackTimer = setInterval(() => this.#advance(), ACK_POLL_MS)
    if (this.#registry) {
      this.#saveTimer = setInterval(() => void this.#save(), this.config.registry.flushMs)
    }
    for (const input of this.config.inputs) {
      const builder = (): DocumentBuilder => this.#builder(input)
      if (input.type === 'stdin') {
        this.#stdinInput = new StdinInput(input, stdin, builder(), this.#feeder, this.#counters, maxRecordBytes(this.config.queue.maxBytes))
        this.#stdinRun = this.#stdinInput.run().catch((err: unknown) => this.#logger.warn(`stopped reading stdin: ${describeError(err)}`))
        continue
      }
      this.#fileInputs.push(
        new FileInput({
          input,
          feeder: this.#feeder,
          registry: this.#registry!,
          counters: this.#counters,
          once: this.#once,
          maxRecordBytes: maxRecordBytes(this.config.queue.maxBytes),
          budget: this.budget,
          documentIds: wantsDocumentIds(this.config),
          newBuilder: builder,
          warn: (m) => this.#logger.warn(m),
          info: (m) => this.#logger.info(m),
          ownFiles: this.#ownFiles,
        }),
      )
    }
    await Promise.all(this.#fileInputs.map((i) => i.start(true)))
    this.#forgetUnclaimed()
  }

  #builder(input: InputConfig): DocumentBuilder {
    const parser = input.parser === undefined ? undefined : createEntryParser(input.parser, input.timezone === undefined ? {} : { timezone: input.timezone })
    const processors = inputChain(input.processors, this.config.processors, `inputs[${this.config.inputs.indexOf(input)}].processors`)
    return new DocumentBuilder({ inputType: input.type, fields: mergeFields(this.config.fields, input.fields), parser, processors })
  }

  /** Registry entries no input matched at start-up: their files are gone (or no longer configured). */
  #forgetUnclaimed(): void {
    const registry = this.#registry
    if (!registry || this.config.inputs.some((i) => i.type === 'file' && !(i as FileInputConfig).cleanRemoved)) return
    for (const state of [...registry.states.values()]) if (state.owner === undefined && state.settled) registry.delete(state)
  }

  /**
   * Resolves when the inputs are done: with --once when every file is read to its end, and
   * stdin (if configured) has ended; without --once only when there are no file inputs and
   * stdin has ended. Then call `stop()`.
   */
  async finished(): Promise<void> {
    if (!this.#once && this.#fileInputs.length > 0) return new Promise(() => {})
    await Promise.all([...this.#fileInputs.map((i) => i.finished()), this.#stdinRun])
    await this.#feeder.drained()
  }

  /**
   * Stops reading, waits (up to `waitMs`, or until `giveUp` resolves) for what was read to be
   * acknowledged, writes the registry, closes the shipper. Events still unacknowledged are read
   * again at the next start (from files; stdin cannot be read again).
   */
  async stop(waitMs = this.config.shutdownTimeoutMs, giveUp?: Promise<void>): Promise<TailSummary> {
    const deadline = Date.now() + waitMs
    this.#stopping = true
    this.#stdinInput?.stop()
    // Harvesters waiting for room in a full queue stop too (what they hold was never accepted).
    await Promise.all(this.#fileInputs.map((i) => i.stop()))
    const neverQueued = this.#feeder.close()
    await withTimeout(giveUp ? Promise.race([this.shipper.flush(), giveUp]) : this.shipper.flush(), deadline - Date.now())
    clearInterval(this.#ackTimer)
    clearInterval(this.#saveTimer)
    this.#advance()
    // From here on the shipper may drop what it still holds: read pointers must not move.
    this.#frozen = true
    const saved = await this.#save()
    await this.#registry?.release()
    const progress = this.shipper.progress()
    const unacknowledged = Math.max(0, progress.accepted - progress.settled) + neverQueued
    const stats = this.stats()
    // The shipper gets CLOSE_GRACE_MS to stop; whatever it still holds is read again at the next start.
    await withTimeout(this.shipper.close(), CLOSE_GRACE_MS + 250)
    return { stats, unacknowledged, registryWriteFailed: !saved }
  }

  /** SIGHUP: close every file and open them again by path (after an external tool rotated them). */
  async reopen(): Promise<void> {
    this.#logger.info('reopening files (SIGHUP)')
    await Promise.all(this.#fileInputs.map((i) => i.reopen()))
  }

  stats(): TailStats {
    const files: FileLag[] = []
    let lagBytes = 0
    for (const input of this.#fileInputs) {
      for (const s of input.states) {
        files.push({ path: s.path, size: s.size, readOffset: s.readOffset, ackedOffset: s.ackedOffset, lag: s.lag, open: s.harvester !== undefined })
        lagBytes += s.lag
      }
    }
    files.sort((a, b) => b.lag - a.lag)
    const skippedFiles = this.#fileInputs.flatMap((i) => [...i.skipped].map(({ path, reason }) => ({ path, reason })))
    return {
      counters: { ...this.#counters },
      skippedFiles,
      shipper: this.shipper.stats(),
      files,
      lagBytes,
      feederBytes: this.#feeder.queuedBytes,
      registryWrites: this.#registry?.writes ?? 0,
      firstDocument: this.#feeder.first,
      rssBytes: rss(),
    }
  }

  #advance(): void {
    if (this.#frozen) return
    this.#acks.advance(this.shipper.progress().settled)
  }

  /** Returns false when the write failed (said as a warning). */
  async #save(): Promise<boolean> {
    if (!this.#registry) return true
    this.#advance()
    try {
      await this.#registry.save()
      return true
    } catch (err) {
      this.#logger.warn(`cannot write the registry ${this.#registry.path}: ${describeError(err)}; read pointers are kept in memory and written again at the next flush`)
      return false
    }
  }
}

/** The idempotent Elasticsearch output stores each line under an id made from its file and offset. */
function wantsDocumentIds(config: Config): boolean {
  const output = config.output as { type: string; idempotent?: boolean }
  return output.type === 'elasticsearch' && output.idempotent === true
}

/** Resident set size; 0 when it cannot be read (it opens /proc/self/stat, which fails with EMFILE when descriptors run out). */
function rss(): number {
  try {
    return process.memoryUsage.rss()
  } catch {
    return 0
  }
}

async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  if (!Number.isFinite(ms)) return promise
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise, new Promise<void>((r) => (timer = setTimeout(r, ms)))])
  clearTimeout(timer)
}
