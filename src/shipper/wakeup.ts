import { Control, type SharedState } from '../ring/layout.js'
import type { Wakeup } from '../engine/engine.js'

/**
 * Worker-thread wake-up: the engine sleeps on the DOORBELL word with Atomics.waitAsync and
 * the producer rings it only when CONSUMER_SLEEPING is set, so a busy engine costs the
 * producer nothing. `kick` wakes it from its own thread (timers, close).
 */
export class AtomicsWakeup implements Wakeup {
  readonly #control: Int32Array
  #kicked = false
  #resolveKick: (() => void) | undefined

  constructor(state: SharedState) {
    this.#control = new Int32Array(state.control)
  }

  async wait(hasWork: () => boolean): Promise<void> {
    const c = this.#control
    Atomics.store(c, Control.CONSUMER_SLEEPING, 1)
    const seen = Atomics.load(c, Control.DOORBELL)
    if (hasWork() || this.#kicked) {
      this.#kicked = false
      Atomics.store(c, Control.CONSUMER_SLEEPING, 0)
      return
    }
    const waited = Atomics.waitAsync(c, Control.DOORBELL, seen)
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
