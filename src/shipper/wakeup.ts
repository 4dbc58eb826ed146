import { Control, Counter, type SharedState } from '../shared/layout.js'
import type { Wakeup } from '../engine/engine.js'
import type { ResolvedOptions } from '../options/schema.js'

/**
 * Tells whether the engine got anywhere since its last wait: records drained (or settled as
 * lost) or spill bytes passed. When it reports work but made no progress (a record it cannot
 * take yet, a damaged spill), returning at once would spin: the wait then sleeps instead, and
 * every return goes through a macrotask, so timers, I/O and other threads' messages always
 * get their turn, whatever the input.
 */
class ProgressMark {
  readonly #counters: Float64Array
  #last = Number.NaN

  constructor(state: SharedState) {
    this.#counters = new Float64Array(state.counters)
  }

  /** True when nothing moved since the previous call. */
  stalled(): boolean {
    const mark = this.#counters[Counter.DRAINED]! + this.#counters[Counter.SPILL_READ_POS]!
    const stalled = mark === this.#last
    this.#last = mark
    return stalled
  }
}

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Worker-thread wake-up: the engine sleeps on the DOORBELL word with Atomics.waitAsync, for
 * at most `pollMs`. The producer rings only when the engine sleeps and enough is unread
 * (see RingWriter), so steady logging costs the producer no system calls; smaller amounts
 * are picked up when the sleep times out. `kick` wakes it from its own thread.
 */
export class AtomicsWakeup implements Wakeup {
  readonly #control: Int32Array
  readonly #pollMs: number
  readonly #progress: ProgressMark
  #kicked = false
  #resolveKick: (() => void) | undefined

  constructor(state: SharedState, pollMs: number) {
    this.#control = new Int32Array(state.control)
    this.#pollMs = pollMs
    this.#progress = new ProgressMark(state)
  }

  async wait(hasWork: () => boolean, producerMayWake = true): Promise<void> {
    const c = this.#control
    Atomics.store(c, Control.CONSUMER_SLEEPING, producerMayWake ? 1 : 0)
    const seen = Atomics.load(c, Control.DOORBELL)
    const stalled = this.#progress.stalled()
    if (this.#kicked || (hasWork() && !stalled)) {
      this.#kicked = false
      Atomics.store(c, Control.CONSUMER_SLEEPING, 0)
      await macrotask()
      return
    }
    const waited = Atomics.waitAsync(c, Control.DOORBELL, seen, this.#pollMs)
    if (waited.async) {
      await Promise.race([waited.value, new Promise<void>((resolve) => (this.#resolveKick = resolve))])
      this.#resolveKick = undefined
    } else {
      await macrotask()
    }
    this.#kicked = false
    Atomics.store(c, Control.CONSUMER_SLEEPING, 0)
  }

  kick(): void {
    this.#kicked = true
    this.#resolveKick?.()
  }
}

/** Rings the doorbell from the producer side (another thread). */
export function ringDoorbell(control: Int32Array): void {
  Atomics.add(control, Control.DOORBELL, 1)
  Atomics.notify(control, Control.DOORBELL)
}

/** Same-thread wake-up for `thread: 'main'`: the producer schedules the engine directly. */
export class LocalWakeup implements Wakeup {
  readonly #control: Int32Array
  readonly #progress: ProgressMark
  readonly #pollMs: number
  #resolve: (() => void) | undefined
  #scheduled = false

  constructor(state: SharedState, pollMs = 100) {
    this.#control = new Int32Array(state.control)
    this.#progress = new ProgressMark(state)
    this.#pollMs = pollMs
  }

  wait(hasWork: () => boolean): Promise<void> {
    Atomics.store(this.#control, Control.CONSUMER_SLEEPING, 1)
    const stalled = this.#progress.stalled()
    if (hasWork() && !stalled) {
      Atomics.store(this.#control, Control.CONSUMER_SLEEPING, 0)
      return macrotask() // the app's own timers and I/O run between two turns of the engine
    }
    return new Promise((resolve) => {
      this.#resolve = resolve
      // Work it cannot make progress on: look again later (unref'd: never keeps the app alive).
      if (stalled && hasWork()) setTimeout(this.kick, this.#pollMs).unref()
    })
  }

  /** Called by the producer (and by the engine itself): run the engine soon, not now. */
  kick = (): void => {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      Atomics.store(this.#control, Control.CONSUMER_SLEEPING, 0)
      const resolve = this.#resolve
      this.#resolve = undefined
      resolve?.()
    })
  }
}

/** Unread bytes at which the producer wakes the worker: about a quarter batch, at most 256 KiB. */
export function wakeBytesFor(options: Pick<ResolvedOptions, 'batch' | 'queue'>): number {
  return Math.min(options.batch.maxBytes >> 2, options.queue.maxBytes >> 3, 256 * 1024)
}
