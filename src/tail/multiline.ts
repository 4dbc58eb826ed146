import type { MultilineConfig } from '../config/schema.js'
import { TIME_ZERO } from '../util/time-zero.js'

export const FLAG_TRUNCATED = 1
export const FLAG_MULTILINE = 2

/** Receives one entry: its text, the offset of its first byte and the end of its last line. */
export type EntrySink = (text: string, offset: number, end: number, flags: number) => void

/**
 * Joins lines into entries, Filebeat style: a line "continues" when `pattern` matches it
 * (or does not, with `negate`). `after`: a continuing line joins the entry before it (stack
 * traces); `before`: the entry goes on until a line that does not continue (a trailing `\`).
 * Entries keep at most `maxLines` lines and `maxBytes` characters; more is left out and the
 * entry is flagged truncated.
 */
export class Multiline {
  readonly #pattern: RegExp
  readonly #negate: boolean
  readonly #after: boolean
  readonly #maxLines: number
  readonly #maxBytes: number
  readonly timeoutMs: number
  #lines: string[] = []
  #size = 0
  #offset = 0
  #end = 0
  #flags = 0
  /** When the last line joined the pending entry (ms). */
  lastLineAt = TIME_ZERO

  constructor(config: MultilineConfig, maxBytes: number) {
    this.#pattern = new RegExp(config.pattern)
    this.#negate = config.negate
    this.#after = config.match === 'after'
    this.#maxLines = config.maxLines
    this.#maxBytes = maxBytes
    this.timeoutMs = config.timeoutMs
  }

  /** Offset where the unfinished entry starts, or undefined when none is pending. */
  get pendingStart(): number | undefined {
    return this.#lines.length > 0 ? this.#offset : undefined
  }

  line(text: string, offset: number, end: number, truncated: boolean, sink: EntrySink, now: number): void {
    const continues = this.#pattern.test(text) !== this.#negate
    if (this.#after) {
      if (!continues || this.#lines.length === 0) this.flush(sink)
      this.#add(text, offset, end, truncated)
    } else {
      this.#add(text, offset, end, truncated)
      if (!continues) this.flush(sink)
    }
    this.lastLineAt = now
  }

  /** Ships the pending entry if no line came for `timeoutMs`. */
  flushIfIdle(now: number, sink: EntrySink): void {
    if (this.#lines.length > 0 && now - this.lastLineAt >= this.timeoutMs) this.flush(sink)
  }

  flush(sink: EntrySink): void {
    if (this.#lines.length === 0) return
    const text = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('\n')
    const flags = this.#flags | (this.#lines.length > 1 ? FLAG_MULTILINE : 0)
    const offset = this.#offset
    const end = this.#end
    this.#lines = []
    this.#size = 0
    this.#flags = 0
    sink(text, offset, end, flags)
  }

  /** Forgets the pending entry (the file was truncated under it). */
  reset(): void {
    this.#lines = []
    this.#size = 0
    this.#flags = 0
  }

  #add(text: string, offset: number, end: number, truncated: boolean): void {
    if (this.#lines.length === 0) this.#offset = offset
    this.#end = end
    if (truncated) this.#flags |= FLAG_TRUNCATED
    if (this.#lines.length >= this.#maxLines) {
      this.#flags |= FLAG_TRUNCATED | FLAG_MULTILINE
      return
    }
    const room = this.#maxBytes - this.#size - (this.#lines.length > 0 ? 1 : 0)
    if (room <= 0) {
      this.#flags |= FLAG_TRUNCATED | FLAG_MULTILINE
      return
    }
    const kept = text.length > room ? text.slice(0, room) : text
    if (kept.length < text.length) this.#flags |= FLAG_TRUNCATED
    this.#lines.push(kept)
    this.#size += kept.length + (this.#lines.length > 1 ? 1 : 0)
  }
}
