/**
 * Descriptors kept out of the harvesters' reach: stdio, the event loop's own, the worker
 * thread, the registry's temp file and directory, a scan's fingerprint reads, the stats
 * endpoint's connections. Output connections are added per config.
 */
const BASE_RESERVE = 64
const HTTP_RESERVE = 32

/** How many files tail mode may hold open at once with `softLimit` descriptors. */
export function harvesterBudget(softLimit: number, reserve: { outputConnections: number; http: boolean }): number {
  const reserved = BASE_RESERVE + 2 * reserve.outputConnections + (reserve.http ? HTTP_RESERVE : 0)
  return Math.max(1, softLimit - reserved)
}

/**
 * The open files of every file input together stay within one budget. When opening a file
 * fails with EMFILE or ENFILE anyway (another part of the process holds more than expected),
 * the budget shrinks to what is open now, so the next attempts wait their turn instead of
 * failing again; it never grows back on its own.
 */
export class HandleBudget {
  #limit: number
  #open = 0
  #waiters: (() => void)[] = []
  /** Files waiting for a slot, in all inputs (harvesters yield their slot when this is above 0). */
  waiting = 0

  constructor(limit: number) {
    this.#limit = Math.max(1, limit)
  }

  get limit(): number {
    return this.#limit
  }

  get open(): number {
    return this.#open
  }

  tryAcquire(): boolean {
    if (this.#open >= this.#limit) return false
    this.#open++
    return true
  }

  release(): void {
    this.#open = Math.max(0, this.#open - 1)
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  /** Resolves at the next release (a file input whose files all wait for another input's slots). */
  released(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  /** Opening failed with EMFILE/ENFILE while `open` files were held: that is the real limit now. */
  exhausted(): number {
    this.#limit = Math.max(1, Math.min(this.#limit, this.#open))
    return this.#limit
  }
}

export function isOutOfHandles(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'EMFILE' || code === 'ENFILE'
}
