import { Control } from '../ring/layout.js'

/**
 * The engine's half of the stats ledger. Each change is a group of counter moves made
 * inside a seqlock, so the app thread (another thread, in worker mode) always reads a
 * consistent snapshot and `received = acked + dropped + sampledOut + failed + queued +
 * inFlight` holds at every instant.
 */
export class Ledger {
  readonly #c: Float64Array
  readonly #control: Int32Array
  constructor(counters: Float64Array, control: Int32Array) {
    this.#c = counters
    this.#control = control
  }

  /** Applies `moves` (slot, delta pairs) as one update readers see whole or not at all. */
  move(...moves: number[]): void {
    const c = this.#c
    Atomics.add(this.#control, Control.LEDGER_SEQ, 1)
    for (let i = 0; i < moves.length; i += 2) c[moves[i]!]! += moves[i + 1]!
    Atomics.add(this.#control, Control.LEDGER_SEQ, 1)
  }
}

/** A consistent copy of every counter (retries while the engine is mid-update). */
export function readCounters(counters: Float64Array, control: Int32Array): Float64Array {
  for (;;) {
    const before = Atomics.load(control, Control.LEDGER_SEQ)
    if ((before & 1) === 1) continue
    const copy = counters.slice()
    if (Atomics.load(control, Control.LEDGER_SEQ) === before) return copy
  }
}
