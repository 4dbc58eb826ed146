import type { LogshipErrorCode } from '../errors.js'
import type { Batch, HostHealth, Output, SendResult } from '../outputs/output.js'
import type { ConsumerLedger } from '../shared/ledger.js'
import { latencyBucket } from './latency.js'
import { contiguousNdjson, MARKER, recordViews, type WorkBatch } from './work-batch.js'

/** What the output's answer says about the output itself (for health and backoff wake-ups). */
export type OutputVerdict = 'answered' | 'failing' | 'unknown'

/** While the output fails, one batch tries again at least this often (see Sender#backoff). */
const PROBE_MS = 2000

/**
 * The engine's link to its output: sends a batch (timing it for the latency histogram and
 * the age of the oldest unanswered send), keeps the output's health from its answers, and
 * runs the retry sleeps, which end early when the output answers again or the engine stops.
 */
export class Sender {
  readonly #output: Output
  readonly #ledger: ConsumerLedger
  readonly #signal: AbortSignal
  readonly #unref: boolean
  readonly #streamId = Math.random().toString(36).slice(2, 10)
  readonly #onError: (code: LogshipErrorCode, message: string) => void
  readonly #maxDelayMs: number
  #failing = false
  /** A retrying slot is the probe of a failing output (see #backoff). */
  #probing = false
  readonly #backoffWaiters = new Set<() => void>()
  #failures = 0
  #lastError = ''
  /** Start times (epoch ms) of sends waiting for the output's answer, oldest first. */
  readonly #sendsOpen: number[] = []

  /** `unref`: timers must not keep the process alive (the engine runs on the app's thread). */
  constructor(output: Output, ledger: ConsumerLedger, signal: AbortSignal, unref: boolean, maxDelayMs: number, onError: (code: LogshipErrorCode, message: string) => void) {
    this.#output = output
    this.#ledger = ledger
    this.#signal = signal
    this.#unref = unref
    this.#maxDelayMs = maxDelayMs
    this.#onError = onError
  }

  /** Per-host health from the output, or the engine's own view of it as one host. */
  health(): readonly HostHealth[] {
    if (this.#output.health) return this.#output.health()
    const self = { host: this.#output.name, up: !this.#failing, failures: this.#failures }
    return this.#failing ? [{ ...self, lastError: this.#lastError }] : [self]
  }

  send(batch: WorkBatch): Promise<SendResult> {
    const key = (i: number): string => `${this.#streamId}-${batch.seqs[i] === MARKER ? `m${i}` : batch.seqs[i]}`
    const ndjson = contiguousNdjson(batch)
    const layout = { arena: batch.arena, starts: batch.starts, lengths: batch.lengths }
    let records: Buffer[] | undefined
    // one view per record only for outputs that ask (see WorkBatch)
    const view: Batch = {
      get records() {
        records ??= recordViews(batch)
        return records
      },
      layout,
      key,
      ...(ndjson ? { ndjson } : {}),
    }
    const startedAt = Date.now()
    const started = performance.now()
    this.#sendsOpen.push(startedAt)
    if (this.#sendsOpen.length === 1) this.#ledger.oldestSendAt(startedAt)
    return this.#output
      .send(view, this.#signal)
      .catch((err: unknown) => ({ status: 'retryable' as const, error: err instanceof Error ? err : new Error(String(err)) }))
      .then((result) => {
        this.#sendFinished(startedAt, performance.now() - started)
        return result
      })
  }

  #sendFinished(startedAt: number, ms: number): void {
    const open = this.#sendsOpen
    open.splice(open.indexOf(startedAt), 1)
    this.#ledger.sendFinished(latencyBucket(ms), ms, open.length === 0 ? 0 : Math.min(...open))
  }

  /** Takes in what an answer said about the output. */
  observe(verdict: OutputVerdict, result: SendResult): void {
    if (verdict === 'answered') this.#answered()
    else if (verdict === 'failing' && (result.status === 'retryable' || result.status === 'fatal')) this.#failed(result)
  }

  #failed(result: Extract<SendResult, { status: 'retryable' | 'fatal' }>): void {
    if (this.#signal.aborted) return
    this.#failures++
    // health() shows it next to the output's name already: not a second time inside it
    const prefix = `${this.#output.name}: `
    this.#lastError = result.error.message.startsWith(prefix) ? result.error.message.slice(prefix.length) : result.error.message
    if (!this.#failing) this.#ledger.outputFailing()
    if (result.status === 'fatal') {
      this.#onError('LOGSHIP_ERR_OUTPUT_FATAL', `${result.error.message} (retrying every ${this.#maxDelayMs} ms)`)
    } else if (!this.#failing) {
      this.#onError('LOGSHIP_ERR_OUTPUT', `${result.error.message}; retrying with backoff, events stay queued`)
    }
    this.#failing = true
  }

  #answered(): void {
    this.#ledger.outputAnswered(Date.now())
    this.#failing = false
    this.#failures = 0
    // the sink answers again: batches sleeping in backoff go now
    for (const wake of [...this.#backoffWaiters]) wake()
  }

  /**
   * Waits out a retry backoff. While the output fails, one retrying slot at a time is the
   * probe: it tries again after at most PROBE_MS, so a sink that comes back is noticed within
   * seconds (one request per PROBE_MS while it is down); the other slots sleep their full
   * backoff, and every sleeper is woken as soon as a send succeeds.
   */
  async backoff(delay: number): Promise<void> {
    const probe = this.#failing && !this.#probing && delay > PROBE_MS
    if (probe) this.#probing = true
    try {
      await this.#sleep(probe ? PROBE_MS : delay)
    } finally {
      if (probe) this.#probing = false
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#signal.aborted) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        this.#signal.removeEventListener('abort', done)
        this.#backoffWaiters.delete(done)
        resolve()
      }
      this.#backoffWaiters.add(done)
      const timer = setTimeout(done, ms)
      if (this.#unref) timer.unref()
      this.#signal.addEventListener('abort', done)
    })
  }
}
