import { dirname, resolve } from 'node:path'
import { checkStateDir, openAppend } from '../fs/safe-file.js'
import { describeError } from '../errors.js'
import type { DeadLetter, Output } from '../outputs/output.js'

export type DeadLetterEntry = DeadLetter

/** Where the engine puts events that could not be delivered. */
export interface DeadLetterSink {
  append(output: string, entries: readonly DeadLetterEntry[], onError: (message: string) => void): Promise<void>
  flushed(): Promise<void>
}

/**
 * Appends events that could not be delivered to a file, one JSON line each:
 * `{"@timestamp","output","reason","status","event"}` with the original event as a string
 * (it may be the reason it failed, so it is never spliced in raw). Writes are serialized.
 */
export class DeadLetterFile implements DeadLetterSink {
  readonly #path: string
  readonly #strictPerms: boolean
  #tail: Promise<void> = Promise.resolve()

  constructor(path: string, strictPerms = true) {
    this.#path = path
    this.#strictPerms = strictPerms
  }

  /** Never through a link, never into a directory others can write to (see src/fs/safe-file.ts). */
  async #appendSafely(text: string, onError: (message: string) => void): Promise<void> {
    await checkStateDir(dirname(resolve(this.#path)), { what: 'the dead-letter directory', strictPerms: this.#strictPerms, warn: onError })
    const fh = await openAppend(this.#path, { what: 'the dead-letter file', strictPerms: this.#strictPerms })
    try {
      await fh.writeFile(text)
    } finally {
      await fh.close()
    }
  }

  append(output: string, entries: readonly DeadLetterEntry[], onError: (message: string) => void): Promise<void> {
    const now = new Date().toISOString()
    const lines = entries
      .map((e) => JSON.stringify({ '@timestamp': now, output, reason: e.reason, ...(e.status === undefined ? {} : { status: e.status }), event: Buffer.from(e.record).toString('utf8') }))
      .join('\n')
    this.#tail = this.#tail.then(() =>
      this.#appendSafely(`${lines}\n`, onError).catch((err: unknown) => {
        onError(`cannot write ${entries.length} dead-lettered events to ${this.#path}: ${describeError(err)}; they are counted as failed`)
      }),
    )
    return this.#tail
  }

  flushed(): Promise<void> {
    return this.#tail
  }
}

/** Hands dead letters to the output itself (`deadLetter.index`), one call at a time. */
export class DeadLetterIndex implements DeadLetterSink {
  readonly #output: Output
  readonly #index: string
  #tail: Promise<void> = Promise.resolve()

  constructor(output: Output, index: string) {
    if (!output.storeDeadLetters) throw new Error(`${output.name} cannot store dead letters in an index; use deadLetter.path`)
    this.#output = output
    this.#index = index
  }

  append(output: string, entries: readonly DeadLetterEntry[], onError: (message: string) => void): Promise<void> {
    // records are views into a batch buffer the engine reuses once this returns: copy them now
    const owned = entries.map((e) => ({ ...e, record: Buffer.from(e.record) }))
    this.#tail = this.#tail.then(() =>
      this.#output.storeDeadLetters!(owned, { index: this.#index }).catch((err: unknown) => {
        onError(`cannot store ${entries.length} dead-lettered events in ${this.#index} (${output}): ${describeError(err)}; they are counted as failed`)
      }),
    )
    return this.#tail
  }

  flushed(): Promise<void> {
    return this.#tail
  }
}
