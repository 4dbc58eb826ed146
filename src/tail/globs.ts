import { resolve } from 'node:path'
import picomatch from 'picomatch'

/**
 * The globs of one file input, matched with forward slashes (relative ones from the working
 * directory), and which of them matched nothing at the last scan.
 */
export class InputGlobs {
  readonly patterns: string[]
  readonly #written: readonly string[]
  readonly #matchers: ((path: string) => boolean)[]
  /** Globs that matched nothing at their last scan (warned about once). */
  readonly #empty = new Set<string>()

  constructor(paths: readonly string[]) {
    this.#written = paths
    this.patterns = paths.map((p) => (p.startsWith('/') ? p : resolve(p).replace(/\\/g, '/')))
    this.#matchers = this.patterns.map((p) => picomatch(p, { dot: true }))
  }

  /** A glob that matches nothing is most often a typo or a permission problem: say so once (and again after it matched). */
  reportEmpty(paths: readonly string[], warn: (message: string) => void): void {
    this.patterns.forEach((pattern, i) => {
      const matches = this.#matchers[i]!
      const empty = !paths.some((p) => matches(p))
      if (empty && !this.#empty.has(pattern)) {
        warn(`${this.#written[i]} matches no file (yet); check the path and that logship may read its directories. Files that appear later are picked up at the next scan`)
      }
      if (empty) this.#empty.add(pattern)
      else this.#empty.delete(pattern)
    })
  }
}
