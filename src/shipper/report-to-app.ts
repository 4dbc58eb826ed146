import type { EventEmitter } from 'node:events'
import type { LogshipError } from '../errors.js'
import { TIME_ZERO } from '../util/time-zero.js'

/** Errors without a listener are said on stderr at most this often (a failing output repeats itself). */
const QUIET_MS = 10_000

/**
 * How a shipper tells the app what went wrong: its 'error' and 'warning' events when the app
 * listens, else one line on stderr. An 'error' event without a listener would throw and crash
 * the app; a shipper must never do that.
 */
export class AppReporter {
  readonly #emitter: EventEmitter
  #lastStderrError = TIME_ZERO

  constructor(emitter: EventEmitter) {
    this.#emitter = emitter
  }

  /** 'error' to listeners, else stderr (at most every 10 s, unless `always`). */
  error(error: LogshipError, always = false): void {
    if (this.#emitter.listenerCount('error') > 0) {
      this.#emitter.emit('error', error)
      return
    }
    const now = Date.now()
    if (!always && now - this.#lastStderrError < QUIET_MS) return
    this.#lastStderrError = now
    process.stderr.write(`logship: ${error.message} [${error.code}] (listen to the shipper's 'error' event to handle this yourself)\n`)
  }

  /** 'warning' to listeners, else one line on stderr. */
  warning(message: string): void {
    if (this.#emitter.listenerCount('warning') > 0) this.#emitter.emit('warning', message)
    else process.stderr.write(`logship: warning: ${message}\n`)
  }
}
