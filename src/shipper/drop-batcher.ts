/**
 * Producer-side drops come in bursts: they are counted here and reported once per turn of
 * the event loop, one call per reason with its count, not one per event.
 */
export class DropBatcher {
  readonly #report: (reason: string, count: number) => void
  #pending = new Map<string, number>()
  #timer: NodeJS.Immediate | undefined

  constructor(report: (reason: string, count: number) => void) {
    this.#report = report
  }

  count(reason: string): void {
    this.#pending.set(reason, (this.#pending.get(reason) ?? 0) + 1)
    this.#timer ??= setImmediate(() => this.flush())
    this.#timer.unref?.()
  }

  /** Reports what is counted now (also on close and exit). */
  flush(): void {
    if (this.#timer) clearImmediate(this.#timer)
    this.#timer = undefined
    const drops = this.#pending
    this.#pending = new Map()
    for (const [reason, count] of drops) this.#report(reason, count)
  }
}
