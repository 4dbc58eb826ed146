import type { Worker } from 'node:worker_threads'
import { startWorker } from './worker-start.js'
import type { EngineEvents, AppMessage, WorkerMessage } from '../engine/events.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { HostHealth } from '../outputs/output.js'
import { Control, type SharedState } from '../shared/layout.js'

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

  constructor(options: ResolvedOptions, state: SharedState, events: WorkerLinkEvents) {
    this.#control = new Int32Array(state.control)
    // The CommonJS build of the worker, whichever build the app loaded: the worker starts while
    // the app is already writing, and Node 20 loads its CommonJS module graph in about half the
    // CPU time of the same graph as ES modules (30 against 55-60 ms), time the app's thread
    // would otherwise share its cores with.
    const worker = startWorker(new URL('./worker.cjs', import.meta.url), {
      workerData: { options, state },
      // 16 MB, not less: with 8 the reply objects and bodies of the requests in flight outlived
      // the scavenges, were promoted and piled up in the old generation until a full GC (peak
      // RSS in tail mode 203–214 MB against 172–175 MB with 16; 24 or more gave no less).
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    })
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
