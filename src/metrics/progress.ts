import { SingleBar } from 'cli-progress'

/** What a backfill has done so far. */
export interface ProgressReading {
  /** Bytes of the files acknowledged by the output so far / in all (both from where this run started). */
  readonly doneBytes: number
  readonly totalBytes: number
  /** Lines (entries) read so far. */
  readonly lines: number
  readonly files: number
}

export interface ProgressOptions {
  readonly stream: NodeJS.WriteStream
  /** Draw a bar (a terminal) or print plain lines (a pipe, a file, a journal). */
  readonly tty: boolean
  /** How often to redraw the bar or print a line. */
  readonly intervalMs: number
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  if (seconds < 60) return `${Math.ceil(seconds)} s`
  const m = Math.floor(seconds / 60)
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`
}

/**
 * Backfill progress (`logship run --once`): on a terminal a bar (cli-progress) with bytes
 * done of the total over all files, lines/s and ETA; elsewhere a plain line per interval,
 * plus one at the start and one at the end, so logs of a run always show both ends.
 */
export class ProgressReporter {
  readonly #options: ProgressOptions
  readonly #read: () => ProgressReading
  readonly #startedAt = performance.now()
  #bar: SingleBar | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(read: () => ProgressReading, options: ProgressOptions) {
    this.#read = read
    this.#options = options
    const first = read()
    if (options.tty) {
      this.#bar = new SingleBar({
        stream: options.stream,
        format: '{bar} {percentage}% | {doneMb}/{totalMb} MB | {lines} lines | {linesPerS} lines/s | ETA {eta_formatted}',
        barsize: 30,
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      })
      this.#bar.start(Math.max(1, first.totalBytes), first.doneBytes, this.#payload(first))
    } else {
      options.stream.write(`logship: reading ${first.files} file${first.files === 1 ? '' : 's'}, ${mb(first.totalBytes)} MB to ship\n`)
    }
    this.#timer = setInterval(() => this.#update(), options.intervalMs)
    this.#timer.unref()
  }

  #payload(r: ProgressReading): Record<string, string | number> {
    const seconds = (performance.now() - this.#startedAt) / 1000
    // a rate over the first few milliseconds says nothing
    return { doneMb: mb(r.doneBytes), totalMb: mb(r.totalBytes), lines: r.lines, linesPerS: seconds >= 0.5 ? Math.round(r.lines / seconds) : '-' }
  }

  /** The plain line for a reading; the ETA is the bytes left at the average rate so far. */
  line(r: ProgressReading): string {
    const seconds = (performance.now() - this.#startedAt) / 1000
    const ratio = r.totalBytes > 0 ? Math.min(1, r.doneBytes / r.totalBytes) : 1
    const rate = seconds > 0 ? r.doneBytes / seconds : 0
    const left = rate > 0 ? (r.totalBytes - r.doneBytes) / rate : Infinity
    const { linesPerS } = this.#payload(r)
    return `logship: progress ${Math.floor(ratio * 100)}% (${mb(r.doneBytes)} of ${mb(r.totalBytes)} MB), ${r.lines} lines, ${linesPerS} lines/s, ETA ${ratio >= 1 ? '0 s' : eta(left)}\n`
  }

  #update(): void {
    const r = this.#read()
    if (this.#bar) {
      if (r.totalBytes > this.#bar.getTotal()) this.#bar.setTotal(r.totalBytes)
      this.#bar.update(r.doneBytes, this.#payload(r))
    } else {
      this.#options.stream.write(this.line(r))
    }
  }

  /** Draws the last state (the full bar or a last line) and stops. */
  stop(): void {
    if (this.#timer === undefined) return
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#update()
    this.#bar?.stop()
  }
}
