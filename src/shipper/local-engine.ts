import { Engine, type EngineEvents } from '../engine/engine.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { HostHealth } from '../outputs/output.js'
import { loadOutput } from '../outputs/registry.js'
import { Control, type SharedState } from '../shared/layout.js'
import { LocalWakeup } from './wakeup.js'

/** What the shipper hears from an engine on its own thread besides the engine's events. */
export interface LocalEngineEvents extends EngineEvents {
  ready(outputName: string): void
  /** The output could not be loaded or started: nothing will ship. */
  failed(err: unknown): void
}

/**
 * `thread: 'main'`: the engine on the app's own thread, the counterpart of WorkerLink. It
 * loads the output's implementation (only the configured type), then runs the engine; events
 * written meanwhile wait in the queue.
 */
export class LocalEngine {
  /** Wakes the engine from this thread (the producer's doorbell). */
  readonly kick: () => void
  readonly #started: Promise<void>
  #engine: Engine | undefined
  #abandoned = false
  #closing = false

  constructor(options: ResolvedOptions, state: SharedState, events: LocalEngineEvents) {
    const wakeup = new LocalWakeup(state)
    this.kick = wakeup.kick
    this.#started = this.#start(options, state, events, wakeup)
  }

  async #start(options: ResolvedOptions, state: SharedState, events: LocalEngineEvents, wakeup: LocalWakeup): Promise<void> {
    try {
      const output = await loadOutput(options.output)
      if (this.#abandoned) {
        await output.close()
        return
      }
      this.#engine = new Engine(options, state, output, events, wakeup)
      this.#engine.start()
      events.ready(this.#engine.outputName)
    } catch (err) {
      // as for a worker that died: nothing ships, and close() counts what was queued as lost
      Atomics.compareExchange(new Int32Array(state.control), Control.ENGINE_CLOSED, 0, 2)
      events.failed(err)
    }
  }

  /** drop-oldest: the producer evicts right here, on the engine's thread (a no-op while the output loads). */
  evictNow(): void {
    this.#engine?.evictNow()
  }

  /** Waits for the output to load, then has the engine ship what is queued (bounded by `timeoutMs`). */
  async close(timeoutMs: number): Promise<void> {
    this.#closing = true
    await this.#started
    await this.#engine?.close(timeoutMs)
  }

  /**
   * The process ends now: the engine counts what it holds as dropped.shutdown. Returns false
   * when no engine runs (the output still loads, or could not start): nothing was counted, and
   * none will start.
   */
  abandonNow(): boolean {
    this.#abandoned = true
    if (!this.#engine) return false
    this.#engine.abandonNow()
    return true
  }

  /** The output's health once it is loaded; empty once closing or when it could not start. */
  health(): Promise<readonly HostHealth[]> {
    return this.#started.then(() => (this.#closing || !this.#engine ? [] : this.#engine.health()))
  }
}
