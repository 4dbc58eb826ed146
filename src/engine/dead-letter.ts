import { appendFile } from 'node:fs/promises'
import { describeError } from '../errors.js'

export interface DeadLetterEntry {
  readonly record: Uint8Array
  readonly reason: string
  readonly status?: number
}

/**
 * Appends events that could not be delivered to a file, one JSON line each:
 * `{"@timestamp","output","reason","status","event"}` with the original event as a string
 * (it may be the reason it failed, so it is never spliced in raw). Writes are serialized.
 */
export class DeadLetterFile {
  readonly #path: string
  #tail: Promise<void> = Promise.resolve()

  constructor(path: string) {
    this.#path = path
  }

  append(output: string, entries: readonly DeadLetterEntry[], onError: (message: string) => void): Promise<void> {
    const now = new Date().toISOString()
    const lines = entries
      .map((e) => JSON.stringify({ '@timestamp': now, output, reason: e.reason, ...(e.status === undefined ? {} : { status: e.status }), event: Buffer.from(e.record).toString('utf8') }))
      .join('\n')
    this.#tail = this.#tail.then(() =>
      appendFile(this.#path, `${lines}\n`, { mode: 0o600 }).catch((err: unknown) => {
        onError(`cannot write ${entries.length} dead-lettered events to ${this.#path}: ${describeError(err)}; they are counted as failed`)
      }),
    )
    return this.#tail
  }

  flushed(): Promise<void> {
    return this.#tail
  }
}
