/**
 * `new Date(now).toISOString()`, remembered for the last `now` asked: records stamped in
 * one go share one timestamp, and formatting a date costs more than stamping a record.
 */
export class IsoClock {
  #at = Number.NaN
  #iso = ''

  iso(now: number): string {
    if (now !== this.#at) {
      this.#at = now
      this.#iso = new Date(now).toISOString()
    }
    return this.#iso
  }
}
