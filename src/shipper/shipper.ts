import { EventEmitter } from 'node:events'
import { resolveOptions, type ResolvedOptions, type ShipperOptionsInput } from '../options/resolve.js'
import { Control, createSharedState, type SharedState } from '../shared/layout.js'
import { Intake, type ProducerDropReason, type WriteOutcome } from './intake.js'
import { ConsumerLedger, ProducerLedger, readCounters } from '../shared/ledger.js'
import { waitOnWord, waitOnWordSync } from '../shared/wait.js'
import type { EngineEvents } from '../engine/engine.js'
import { WorkerLink, discardWorker, startWorkerEarly } from './worker-link.js'
import { LocalEngine } from './local-engine.js'
import { DropBatcher } from './drop-batcher.js'
import { outputNameOf } from '../outputs/registry.js'
import { ringDoorbell, wakeBytesFor } from './wakeup.js'
import type { ShipperEvents } from './shipper-events.js'
import { registerExitHooks, unregisterExitHooks } from './exit-hooks.js'
import { toStats, type ShipperStats } from './stats.js'
import { LogshipError, describeError } from '../errors.js'
import { SpillWriter } from '../spill/spill-writer.js'
import type { HostHealth } from '../outputs/output.js'
import type { MetricsServer } from '../metrics/server.js'
import { exposureWarnings } from '../metrics/exposure.js'
import { startStatsEndpoint } from '../metrics/start-endpoint.js'
import { tlsWarnings } from '../outputs/tls.js'
import { compileProcessors, type ProcessorChain } from '../processors/compile.js'
import { processWritten } from '../processors/apply.js'
import { HEALTH_WAIT_MS } from '../metrics/snapshot.js'
import { NO_WORKERS_WARNING, workerThreadsAllowed } from './worker-permission.js'
import { offered } from './offered.js'
import { AppReporter } from './report-to-app.js'
import { descriptorAdvice } from '../util/fd-limit.js'

export type ShipperOptions = ShipperOptionsInput

/**
 * How long an ending process waits for the worker to abort its requests and count what it held.
 * Normally milliseconds; on a starved machine a second was not enough for a worker still loading.
 */
const ABANDON_WAIT_MS = 5000
/**
 * A log shipper: `write()` events, they are batched and shipped to the output with
 * backpressure, retries and a ledger that always adds up. See docs/api.md.
 */
export class Shipper extends EventEmitter<ShipperEvents> {
  readonly options: ResolvedOptions
  readonly #state: SharedState
  readonly #control: Int32Array
  readonly #counters: Float64Array
  readonly #ledger: ProducerLedger
  readonly #intake: Intake
  /** The engine: on the shipping worker (default), or on this thread (`thread: 'main'`). */
  readonly #worker: WorkerLink | undefined
  readonly #local: LocalEngine | undefined
  #closed = false
  #closing: Promise<void> | undefined
  readonly #drops = new DropBatcher((reason, count) => this.emit('drop', { reason, count }))
  readonly #report = new AppReporter(this)
  /** Why the engine stopped (its output could not start, its worker died), for the shutdown message. */
  #engineFailure: string | undefined
  #spillWriter: SpillWriter | undefined
  #wake: () => void
  #outputName: string
  #http: Promise<MetricsServer | undefined> = Promise.resolve(undefined)
  #abandoned = false
  /** dropped.shutdown already reported in a message. */
  #shutdownReported = 0
  readonly #processors: ProcessorChain | undefined
  /** Events a processor dropped (drop_event): not received, so not in stats(). */
  filtered = 0

  constructor(input: ShipperOptions) {
    super()
    const early = startWorkerEarly(input)
    try {
      const resolved = resolveOptions(input)
      this.options = resolved.thread === 'worker' && !workerThreadsAllowed() ? { ...resolved, thread: 'main' } : resolved
      this.#processors = compileProcessors(this.options.processors)
      this.#state = createSharedState(this.options.queue.maxBytes)
      this.#control = new Int32Array(this.#state.control)
      this.#counters = new Float64Array(this.#state.counters)
      this.#ledger = new ProducerLedger(this.#counters)
      const onLoss = (reason: ProducerDropReason | 'sampled'): void => this.#drops.count(reason)
      const spill = this.#openSpill()
      this.#outputName = outputNameOf(this.options.output)
      const events: EngineEvents = {
        error: (info) => this.#report.error(new LogshipError(info.code, info.message)),
        deadLetter: (info) => this.emit('dead-letter', info),
        drop: (info) => this.emit('drop', info),
      }
      if (this.options.thread === 'main') {
        const local = new LocalEngine(this.options, this.#state, {
          ...events,
          ready: (outputName) => (this.#outputName = outputName),
          failed: (err) => this.#engineFailed('the output could not start', err),
        })
        this.#local = local
        this.#wake = local.kick
        this.#intake = new Intake(this.#state, this.options, local.kick, onLoss, false, 0, spill, () => local.evictNow())
      } else {
        this.#wake = () => ringDoorbell(this.#control)
        this.#intake = new Intake(this.#state, this.options, this.#wake, onLoss, true, wakeBytesFor(this.options), spill)
        this.#worker = new WorkerLink(
          this.options,
          this.#state,
          {
            ...events,
            ready: (outputName) => (this.#outputName = outputName),
            failed: (err) => this.#engineFailed('the shipping worker failed', err),
          },
          early,
        )
      }
      // after the caller had a chance to listen for 'warning'
      const warnings = [...tlsWarnings(this.options.output), ...(this.options.http ? exposureWarnings(this.options.http) : [])]
      if (this.options.thread !== resolved.thread) warnings.push(NO_WORKERS_WARNING)
      for (const w of warnings) process.nextTick(() => this.#report.warning(w))
    } catch (err) {
      // invalid options: the worker started for them ends (an app that catches and goes on keeps no thread)
      if (early) discardWorker(early)
      throw err
    }
    if (this.options.handleExit) registerExitHooks(this)
    if (this.options.http) this.#http = startStatsEndpoint({ shipper: this }, this.options.http, (err) => this.#report.error(err))
  }

  /** The engine could not start, or its worker died: nothing is shipped from now on. */
  #engineFailed(what: string, err: unknown): void {
    this.#engineFailure ??= describeError(err)
    this.#report.error(new LogshipError('LOGSHIP_ERR_WORKER', `${what}: ${describeError(err)}${descriptorAdvice(err)}; events are no longer shipped`, { cause: err }))
  }

  /** The stats endpoint's base URL (`http://127.0.0.1:5066`) once it listens; undefined when `http` is not set or it could not listen. */
  async httpUrl(): Promise<string | undefined> {
    return (await this.#http)?.url
  }

  /**
   * The spill is written on this thread (a record is on disk before write() returns) and
   * read by the engine. Records a previous run left behind count as received and accepted:
   * they are shipped first.
   */
  #openSpill(): { writer: SpillWriter; onError: (message: string) => void } | undefined {
    const { durable, whenFull, spill } = this.options.queue
    if (!durable && whenFull !== 'spill') return undefined
    const onError = (message: string): void => this.#report.error(new LogshipError('LOGSHIP_ERR_SPILL', message))
    // resolveOptions refuses durable/spill without a dir
    const writer = new SpillWriter({ ...spill, dir: spill.dir!, strictPerms: this.options.strictPerms, warn: (m) => this.#report.warning(m) }, this.#counters, onError)
    this.#spillWriter = writer
    this.#ledger.adoptSpilled(writer.leftover)
    return { writer, onError }
  }

  /**
   * Queues one event. Synchronous; never throws. Returns false when the event was not
   * accepted (dropped by the whenFull policy, sampled out, too large, or after close),
   * which is counted and reported through the 'drop' event and a loss marker.
   */
  write(event: unknown): boolean {
    if (this.#processors && !this.#closed) return this.#writeProcessed(processWritten(this.#processors, event, this.#intake.maxRecordBytes), event)
    return this.#closed ? this.#intake.refuse('closed') : this.#intake.write(event)
  }

  /** Queues bytes that already are one JSON object text (no trailing newline); what is not bytes (from JavaScript) goes as write() ships it. */
  writeRecord(record: Uint8Array): boolean {
    if (!ArrayBuffer.isView(record)) return this.write(record)
    if (this.#processors && !this.#closed) return this.#writeProcessed(processWritten(this.#processors, record), record)
    return this.#closed ? this.#intake.refuse('closed') : this.#intake.writeRecord(record)
  }

  /** `processors` ran on this thread (the event exists here as an object); a dropped event is not received, it is counted in `filtered`. */
  #writeProcessed(text: string | null | undefined, event: unknown): boolean {
    if (typeof text === 'string') return this.#intake.write(text)
    if (text === undefined) return ArrayBuffer.isView(event) ? this.#intake.writeRecord(event as Uint8Array) : this.#intake.write(event) // refused as usual
    this.filtered++
    return true
  }

  /**
   * For producers that can wait instead of dropping (tail mode, adapters with their own
   * backpressure): 'full' is not counted as a loss; await `writable()` and offer again.
   * The n-th accepted record (0-based, counting from this shipper's start) has seq n;
   * `progress().settled` passes n once it is acknowledged, failed or dropped. Processors and a
   * durable queue apply as for write(); a record a processor drops is 'accepted' (and `filtered`)
   * without a seq. Given another type (from JavaScript) they do not throw: see offered().
   */
  offerRecord(record: Uint8Array): WriteOutcome {
    return this.#offer(record)
  }

  /** offerRecord for a JSON object text: encoded straight into the queue (no copy on the way). */
  offerText(text: string): WriteOutcome {
    return this.#offer(text)
  }

  #offer(value: unknown): WriteOutcome {
    if (this.#closed) return 'full'
    const record = offered(value, this.#intake.maxRecordBytes)
    if (record === undefined) {
      this.#intake.refuse('invalid') // nothing to ship: counted as write() counts it, and taken
      return 'accepted'
    }
    const text = this.#processors ? processWritten(this.#processors, record) : undefined
    if (text === null) {
      this.filtered++ // a dropped record is taken (never offered again)
      return 'accepted'
    }
    if (text !== undefined) return this.#intake.offerText(text)
    return typeof record === 'string' ? this.#intake.offerText(record) : this.#intake.offerRecord(record)
  }

  /** `accepted`: records accepted so far; `settled`: every record with seq below it is settled. */
  progress(): { accepted: number; settled: number } {
    return { accepted: this.#ledger.acceptedCount, settled: this.#ledger.settled }
  }

  /**
   * Resolves when the queue has room for `bytes` more (default 1 KiB) — for producers that
   * can wait instead of meeting the whenFull policy.
   */
  async writable(bytes = 1024): Promise<void> {
    const need = Math.min(bytes, this.#intake.maxRecordBytes)
    await waitOnWord({ control: this.#control, word: Control.SPACE_SEQ, waitingFlag: Control.PRODUCER_WAITING, done: () => this.#closed || this.#intake.hasRoom(need), pollMs: 50 })
  }

  /** Resolves when every event accepted so far is acknowledged, dead-lettered or dropped. */
  async flush(): Promise<void> {
    const target = this.#requestFlush()
    await waitOnWord(this.#settledWait(target))
  }

  /** Waiting for the settled watermark to reach `target` (or for the worker to be gone). */
  #settledWait(target: number): Parameters<typeof waitOnWordSync>[0] {
    const done = (): boolean => this.#ledger.settled >= target || this.#worker?.exited === true
    return { control: this.#control, word: Control.SETTLE_SEQ, waitingFlag: Control.FLUSH_WAITING, done, pollMs: 100 }
  }

  /**
   * Blocks the calling thread until what was accepted is settled or `timeoutMs` passes.
   * Used on process exit, when nothing asynchronous can run on this thread any more; the
   * worker thread keeps shipping meanwhile. Returns how many events were left unsettled.
   */
  flushSync(timeoutMs: number): number {
    if (!this.#worker) return this.#unsettled()
    const target = this.#requestFlush()
    waitOnWordSync(this.#settledWait(target), timeoutMs)
    return Math.max(0, target - this.#ledger.settled)
  }

  #requestFlush(): number {
    const target = this.#ledger.requestFlush()
    this.#wake()
    return target
  }

  #unsettled(): number {
    return Math.max(0, this.#ledger.acceptedCount - this.#ledger.settled)
  }

  /** Flushes (bounded by closeTimeoutMs), then stops the engine and closes the output. */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    const timeoutMs = this.options.closeTimeoutMs
    this.#closed = true
    // The exit hooks stay until the close is done: an app that exits (or crashes) without
    // awaiting close() still gets the flush, and what is left counted, at exit.
    if (this.#worker) await this.#worker.close(timeoutMs)
    else await this.#local?.close(timeoutMs)
    // a worker that died (or thread: 'main' whose output could not start) counted nothing: what it held is lost
    if (Atomics.load(this.#control, Control.ENGINE_CLOSED) === 2) this.#countWhatTheDeadWorkerHeld()
    this.#spillWriter?.close()
    this.#drops.flush()
    this.#reportShutdownLoss()
    unregisterExitHooks(this)
    await (await this.#http)?.close()
  }

  /**
   * The process is ending now (exit hooks): stop shipping and count everything still queued
   * or in flight as dropped.shutdown before this returns, so that stats() adds up in any
   * 'exit' listener; then say so once. Blocks the calling thread up to `timeoutMs` while the
   * worker aborts its requests and counts.
   */
  abandonSync(timeoutMs = ABANDON_WAIT_MS): void {
    if (this.#abandoned) return
    this.#abandoned = true
    this.#closed = true
    unregisterExitHooks(this)
    if (this.#worker) {
      this.#worker.abandonSync(timeoutMs)
    } else if (this.#local?.abandonNow() === false) {
      // thread: 'main' and the output still loading: no engine holds anything yet, and none will start
      this.#countWhatTheDeadWorkerHeld()
    }
    if (Atomics.load(this.#control, Control.ENGINE_CLOSED) === 2) this.#countWhatTheDeadWorkerHeld()
    this.#spillWriter?.close()
    this.#drops.flush()
    this.#reportShutdownLoss()
  }

  /** The worker died (it cannot have counted anything since): what it held is lost. */
  #countWhatTheDeadWorkerHeld(): void {
    if (this.#spillWriter) return // spilled records stay on disk for the next run
    new ConsumerLedger(this.#counters, this.#control).droppedByDeadWorker()
  }

  /** One message for everything that shutdown dropped since the last one (close or exit). */
  #reportShutdownLoss(): void {
    const lost = this.#ledger.droppedShutdown - this.#shutdownReported
    if (lost <= 0) return
    this.#shutdownReported += lost
    const message = this.#engineFailure
      ? `${lost} events were not delivered and were dropped (counted as dropped.shutdown): the shipper had stopped shipping (${this.#engineFailure}); fix that and create the shipper again`
      : `${lost} events were not delivered within closeTimeoutMs (${this.options.closeTimeoutMs} ms) and were dropped (counted as dropped.shutdown); check ${this.#outputName} or raise closeTimeoutMs`
    this.#report.error(new LogshipError('LOGSHIP_ERR_SHUTDOWN', message), true)
  }

  /** A consistent snapshot of the ledger: received = acked + dropped + sampledOut + failed + queued + inFlight. */
  stats(): ShipperStats {
    return toStats(
      readCounters(this.#counters, this.#control),
      Atomics.load(this.#control, Control.RING_FILL),
      Atomics.load(this.#control, Control.USED_BYTES),
      this.options.queue.maxBytes,
    )
  }

  /** The output's name as it shows in stats and errors, e.g. `http(http://127.0.0.1:8080/ingest)`. */
  get outputName(): string {
    return this.#outputName
  }

  /**
   * How each host of the output is doing (outputs that do not report hosts show as one).
   * Empty once the shipper is closed.
   */
  health(): Promise<readonly HostHealth[]> {
    if (this.#local) return this.#local.health()
    if (!this.#worker || this.#closing) return Promise.resolve([])
    // A worker that is busy or stuck must not hang the caller: answer for it, and say so.
    const silent = [{ host: this.#outputName, up: false, failures: 0, lastError: `the shipping worker did not answer within ${HEALTH_WAIT_MS} ms (busy or stuck)` }]
    return this.#worker.health(silent, HEALTH_WAIT_MS)
  }
}

/** Creates a shipper; throws an OptionError naming every invalid option. */
export function createShipper(options: ShipperOptions): Shipper {
  return new Shipper(options)
}
