import { Control, type SharedState } from '../ring/layout.js'
import type { Wakeup } from '../engine/engine.js'

/**
 * Worker-thread wake-up: the engine sleeps on the DOORBELL word with Atomics.waitAsync, for
 * at most `pollMs`. The producer rings only when the engine sleeps and enough is unread
 * (see RingWriter), so steady logging costs the producer no system calls; smaller amounts
 * are picked up when the sleep times out. `kick` wakes it from its own thread.
 */
export class AtomicsWakeup implements Wakeup {
  readonly #control: Int32Array
  readonly #pollMs: number
  #kicked = false
  #resolveKick: (() => void) | undefined

  constructor(state: SharedState, pollMs: number) {
    this.#control = new Int32Array(state.control)
    this.#pollMs = pollMs
  }

  async wait(hasWork: () => boolean, producerMayWake = true): Promise<void> {
    const c = this.#control
    Atomics.store(c, Control.CONSUMER_SLEEPING, producerMayWake ? 1 : 0)
    const seen = Atomics.load(c, Control.DOORBELL)
    if (hasWork() || this.#kicked) {
      this.#kicked = false
      Atomics.store(c, Control.CONSUMER_SLEEPING, 0)
      return
    }
    const waited = Atomics.waitAsync(c, Control.DOORBELL, seen, this.#pollMs)
    if (waited.async) {
      await Promise.race([waited.value, new Promise<void>((resolve) => (this.#resolveKick = resolve))])
      this.#resolveKick = undefined
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
  #resolve: (() => void) | undefined
  #scheduled = false

  constructor(state: SharedState) {
    this.#control = new Int32Array(state.control)
  }

  wait(hasWork: () => boolean): Promise<void> {
    Atomics.store(this.#control, Control.CONSUMER_SLEEPING, 1)
    if (hasWork()) {
      Atomics.store(this.#control, Control.CONSUMER_SLEEPING, 0)
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      this.#resolve = resolve
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
