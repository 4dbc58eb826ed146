import type { FileState } from './file-state.js'
import { Harvester, type HarvestContext } from './harvester.js'

/**
 * The harvesters of one file input: at most `harvesterLimit` at once, and within the
 * descriptor budget of all inputs. A file that finds no room waits its turn (first come,
 * first served); while files wait, harvesters hand their slot on after a short slice, so
 * every file makes progress.
 */
export class HarvesterPool {
  readonly #ctx: HarvestContext
  /** True while no harvester may start (stopping, or letting go of every file for SIGHUP). */
  readonly #closed: () => boolean
  /** Called when a harvester ends, with the state it ended on (a new one after a truncation). */
  readonly #ended: (state: FileState) => void
  readonly #waiting = new Set<FileState>()
  readonly #running = new Set<Promise<void>>()
  readonly #harvesters = new Set<Harvester>()
  #active = 0

  constructor(ctx: HarvestContext, closed: () => boolean, ended: (state: FileState) => void) {
    this.#ctx = ctx
    this.#closed = closed
    this.#ended = ended
  }

  /** --once: resolves when no harvester runs and no file waits. */
  async finished(): Promise<void> {
    while (this.#running.size > 0 || this.#waiting.size > 0) {
      this.startWaiting()
      if (this.#running.size > 0) await Promise.race(this.#running)
      // Still waiting with nothing of its own running: every slot is held by another input's harvesters.
      else if (this.#waiting.size > 0) await this.#ctx.budget.released()
    }
  }

  /** Stops every harvester (after the chunk in hand) and forgets the waiting files. */
  async stopAll(): Promise<void> {
    this.#ctx.budget.waiting -= this.#waiting.size
    this.#waiting.clear()
    // Harvesters, not states: a harvester moves to a new state when its file is truncated.
    for (const harvester of this.#harvesters) harvester.stop()
    await Promise.all(this.#running)
  }

  /** Opens a harvester for `state` if there is room; otherwise it waits its turn. */
  start(state: FileState): void {
    if (state.harvester || this.#closed()) return
    const limit = this.#ctx.input.harvesterLimit
    const budget = this.#ctx.budget
    if ((limit > 0 && this.#active >= limit) || !budget.tryAcquire()) {
      this.#wait(state)
      return
    }
    this.unwait(state)
    const harvester = new Harvester(state, this.#ctx)
    state.harvester = harvester
    this.#active++
    this.#harvesters.add(harvester)
    const run: Promise<void> = harvester.run().finally(() => {
      this.#active--
      this.#harvesters.delete(harvester)
      this.#ended(harvester.state)
      this.#running.delete(run)
      // Its turn is over but its file has more to read (or it could not be opened for lack of descriptors): back in the queue.
      if (harvester.unfinished && !this.#closed() && this.#ctx.registry.get(harvester.state.key) === harvester.state) this.#wait(harvester.state)
      budget.release()
      this.startWaiting()
    })
    this.#running.add(run)
  }

  #wait(state: FileState): void {
    if (this.#waiting.has(state)) return
    this.#waiting.add(state)
    this.#ctx.budget.waiting++
  }

  /** `state` no longer waits (its file is forgotten, or it got a harvester). */
  unwait(state: FileState): void {
    if (this.#waiting.delete(state)) this.#ctx.budget.waiting--
  }

  /** Starts waiting files while there is room (also called when another input frees a slot). */
  startWaiting(): void {
    for (const state of this.#waiting) {
      if (this.#closed()) return
      const limit = this.#ctx.input.harvesterLimit
      if (limit > 0 && this.#active >= limit) return
      if (this.#ctx.budget.open >= this.#ctx.budget.limit) return
      this.unwait(state)
      if (this.#ctx.registry.get(state.key) === state) this.start(state)
    }
  }
}
