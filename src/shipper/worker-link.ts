import type { Worker } from 'node:worker_threads'
import { startWorker } from './worker-start.js'
import type { EngineEvents, AppMessage, WorkerMessage } from '../engine/events.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { HostHealth } from '../outputs/output.js'
import { Control, type SharedState } from '../shared/layout.js'
import { workerThreadsAllowed } from './worker-permission.js'
import { isPlainObject } from '../util/merge.js'

/**
 * The CommonJS build of the worker, whichever build the app loaded: Node 20 loads its CommonJS
 * module graph in about half the CPU time of the same graph as ES modules (30 against 55-60 ms).
 */
const WORKER_FILE = new URL('./worker.cjs', import.meta.url)

/**
 * 16 MB, not less: with 8 the reply objects and bodies of the requests in flight outlived the
 * scavenges, were promoted and piled up in the old generation until a full GC (peak RSS in tail
 * mode 203–214 MB against 172–175 MB with 16; 24 or more gave no less).
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 16 }

/** Unref'd from the start: the worker never keeps the app alive (close() refs it while it ships what is left), not even one started for options that turn out invalid. */
function startShippingWorker(outputType: string | undefined): Worker {
  const worker = startWorker(WORKER_FILE, { workerData: { outputType }, resourceLimits: RESOURCE_LIMITS })
  worker.unref()
  return worker
}

/**
 * Starts the shipping worker before the options are checked, when they ask for one. Checking
 * them takes the app thread 60–130 ms (loading zod, building the schema), the worker's start
 * about as much CPU (Node's bootstrap, our modules, the output's and `node:net`): side by side
 * on two cores, the worker is ready about when createShipper() returns, instead of starting
 * then and taking a core from the app's first writes. It waits for its options (`init`).
 * Undefined when the worker cannot start now: WorkerLink starts it (and reports why not).
 */
export function startWorkerEarly(input: unknown): Worker | undefined {
  try {
    if (!isPlainObject(input) || input.thread === 'main' || !workerThreadsAllowed()) return undefined
    const output = input.output
    return startShippingWorker(isPlainObject(output) && typeof output.type === 'string' ? output.type : undefined)
  } catch {
    return undefined // options whose reading throws (a getter, a revoked Proxy) get their answer from resolveOptions
  }
}

/** A worker started early for options that turned out invalid: ended, quietly (its errors, if any, are no longer news). */
export function discardWorker(worker: Worker): void {
  worker.on('error', () => undefined)
  void worker.terminate()
}

/** What the app thread hears from the worker besides the engine's events. */
export interface WorkerLinkEvents extends EngineEvents {
  ready(outputName: string): void
  failed(err: Error): void
}

/**
 * The app thread's end of the shipping worker: starts it, dispatches its messages (one typed
 * union on both sides, engine/events.ts), answers health requests, and closes it.
 */
export class WorkerLink {
  readonly #worker: Worker
  readonly #control: Int32Array
  readonly #healthRequests = new Map<number, (hosts: readonly HostHealth[]) => void>()
  #nextHealthRequest = 0
  #exited = false
  readonly #closed: Promise<void>

  /** `early`: the worker startWorkerEarly started for these options, if it could. */
  constructor(options: ResolvedOptions, state: SharedState, events: WorkerLinkEvents, early?: Worker) {
    this.#control = new Int32Array(state.control)
    const worker = early ?? startShippingWorker(options.output.type)
    worker.postMessage({ type: 'init', options, state } satisfies AppMessage)
    let resolveClosed!: () => void
    this.#closed = new Promise((resolve) => (resolveClosed = resolve))
    worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'error':
          return events.error(m)
        case 'drop':
          return events.drop(m)
        case 'dead-letter':
          return events.deadLetter(m)
        case 'closed':
          return resolveClosed()
        case 'ready':
          return events.ready(m.outputName)
        case 'health':
          return this.#answerHealth(m.id, m.hosts)
      }
    })
    worker.on('error', (err) => events.failed(err))
    worker.on('exit', () => {
      this.#exited = true
      // 2: gone without counting what it held (1: the engine closed and counted everything).
      // Either way a producer must not wait for it any more (drop-oldest).
      Atomics.compareExchange(this.#control, Control.ENGINE_CLOSED, 0, 2)
      for (const id of [...this.#healthRequests.keys()]) this.#answerHealth(id, [])
      resolveClosed()
    })
    // again: a 'message' listener refs a worker (Node 20–24), and the app must be able to exit without close()
    worker.unref()
    this.#worker = worker
  }

  get exited(): boolean {
    return this.#exited
  }

  #post(message: AppMessage): void {
    this.#worker.postMessage(message)
  }

  /** The output's health from the worker, or `silent` if it does not answer within `waitMs`. */
  health(silent: readonly HostHealth[], waitMs: number): Promise<readonly HostHealth[]> {
    if (this.#exited) return Promise.resolve([])
    const id = this.#nextHealthRequest++
    return new Promise((resolve) => {
      // (the timer also keeps the process alive until the unref'd worker answers)
      const timer = setTimeout(() => this.#answerHealth(id, silent), waitMs)
      this.#healthRequests.set(id, (hosts) => {
        clearTimeout(timer)
        resolve(hosts)
      })
      this.#post({ type: 'health', id })
    })
  }

  #answerHealth(id: number, hosts: readonly HostHealth[]): void {
    const resolve = this.#healthRequests.get(id)
    this.#healthRequests.delete(id)
    resolve?.(hosts)
  }

  /** Has the engine ship what is queued (bounded by `timeoutMs`), then ends the worker. */
  async close(timeoutMs: number): Promise<void> {
    this.#worker.ref()
    this.#post({ type: 'close', timeoutMs })
    await this.#closed
    await this.#worker.terminate()
  }

  /** The process ends now: the engine counts what it holds; blocks up to `timeoutMs` for that (ENGINE_CLOSED is 2 after when it did not). */
  abandonSync(timeoutMs: number): void {
    if (this.#exited) return
    this.#post({ type: 'close', timeoutMs: 0 })
    Atomics.wait(this.#control, Control.ENGINE_CLOSED, 0, timeoutMs)
    // A worker that did not answer in time (a starved machine, a wedged thread) ends with
    // the process now: the shipper counts what it held, as for a worker that died.
    Atomics.compareExchange(this.#control, Control.ENGINE_CLOSED, 0, 2)
  }
}
