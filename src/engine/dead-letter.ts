import type { ResolvedOptions } from '../options/schema.js'
import { createReadStream } from 'node:fs'
import { rename, rm, stat, type FileHandle } from 'node:fs/promises'
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

/** The dead-letter file's caps (`deadLetter.maxBytes`, `deadLetter.maxFiles`). */
export interface DeadLetterFileLimits {
  /** A file is rotated once an append would take it past this many bytes. */
  readonly maxBytes: number
  /** Files kept, the current one included: `<path>`, `<path>.1`, … `<path>.<maxFiles-1>`. */
  readonly maxFiles: number
  /** Dead letters waiting to be written at most (bytes of JSON lines); beyond it they are discarded and counted. */
  readonly maxPendingBytes: number
}

const DEFAULT_DEAD_LETTER_LIMITS: DeadLetterFileLimits = { maxBytes: 100 * 1024 * 1024, maxFiles: 5, maxPendingBytes: 16 * 1024 * 1024 }

/**
 * Opens the dead-letter file for appending (created owner-only), never through a link, never
 * in a directory others can write to (see src/fs/safe-file.ts). The one place it is opened.
 */
async function openForAppend(path: string, strictPerms: boolean, warn: (message: string) => void): Promise<FileHandle> {
  await checkStateDir(dirname(resolve(path)), { what: 'the dead-letter directory', strictPerms, warn })
  return openAppend(path, { what: 'the dead-letter file', strictPerms })
}

/**
 * Appends events that could not be delivered to a file, one JSON line each:
 * `{"@timestamp","output","reason","status","event"}` with the original event as a string
 * (it may be the reason it failed, so it is never spliced in raw). Writes are serialized and
 * `append` resolves once its lines are written, so a caller that awaits it never has more
 * than its own lines pending. The file is rotated at `maxBytes` (`<path>.1`, `.2`, …); the
 * oldest file past `maxFiles` is deleted, and the dead letters it held are counted as
 * discarded, as are dead letters that arrive while more than `maxPendingBytes` wait.
 */
export class DeadLetterFile implements DeadLetterSink {
  readonly #path: string
  readonly #limits: DeadLetterFileLimits
  readonly #onDiscarded: (count: number, why: string) => void
  #tail: Promise<void> = Promise.resolve()
  #pendingBytes = 0
  #size: number | undefined

  readonly #strictPerms: boolean

  constructor(path: string, limits: DeadLetterFileLimits = DEFAULT_DEAD_LETTER_LIMITS, onDiscarded: (count: number, why: string) => void = () => {}, strictPerms = true) {
    this.#path = path
    this.#limits = limits
    this.#onDiscarded = onDiscarded
    this.#strictPerms = strictPerms
  }

  append(output: string, entries: readonly DeadLetterEntry[], onError: (message: string) => void): Promise<void> {
    const now = new Date().toISOString()
    const lines = entries
      .map((e) =>
        JSON.stringify({ '@timestamp': now, output, reason: e.reason, ...(e.status === undefined ? {} : { status: e.status }), event: Buffer.from(e.record).toString('utf8') }),
      )
      .join('\n')
    const text = Buffer.from(`${lines}\n`)
    if (this.#pendingBytes > 0 && this.#pendingBytes + text.length > this.#limits.maxPendingBytes) {
      this.#onDiscarded(entries.length, `${this.#pendingBytes} bytes of dead letters are still waiting to be written to ${this.#path} (the disk is slow)`)
      return this.#tail
    }
    this.#pendingBytes += text.length
    this.#tail = this.#tail.then(() =>
      this.#write(text, onError)
        .catch((err: unknown) => {
          onError(`cannot write ${entries.length} dead-lettered events to ${this.#path}: ${describeError(err)}; they are counted as failed`)
        })
        .finally(() => {
          this.#pendingBytes -= text.length
        }),
    )
    return this.#tail
  }

  async #write(text: Buffer, warn: (message: string) => void): Promise<void> {
    if (this.#size === undefined) this.#size = await sizeOf(this.#path)
    if (this.#size > 0 && this.#size + text.length > this.#limits.maxBytes) await this.#rotate()
    const file = await openForAppend(this.#path, this.#strictPerms, warn)
    try {
      let done = 0
      while (done < text.length) {
        const { bytesWritten } = await file.write(text, done, text.length - done)
        if (bytesWritten <= 0) throw new Error(`short write (${done} of ${text.length} bytes)`)
        done += bytesWritten
      }
    } finally {
      await file.close()
      this.#size = undefined // measured again: a failed write may have left part of it
    }
  }

  /** `<path>` becomes `<path>.1`, `.1` becomes `.2`, …; the oldest file past maxFiles is deleted. */
  async #rotate(): Promise<void> {
    const keep = this.#limits.maxFiles - 1
    const oldest = keep === 0 ? this.#path : `${this.#path}.${keep}`
    const discarded = await countLines(oldest)
    await rm(oldest, { force: true })
    if (discarded > 0)
      this.#onDiscarded(
        discarded,
        `${oldest} was removed to keep deadLetter.maxFiles = ${this.#limits.maxFiles} files of at most deadLetter.maxBytes = ${this.#limits.maxBytes} bytes`,
      )
    for (let i = keep - 1; i >= 1; i--) await rename(`${this.#path}.${i}`, `${this.#path}.${i + 1}`).catch(ignoreMissing)
    if (keep > 0) await rename(this.#path, `${this.#path}.1`).catch(ignoreMissing)
    this.#size = 0
  }

  flushed(): Promise<void> {
    return this.#tail
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw err
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}

/** Newlines in a file (streamed, never read whole); 0 when it does not exist. */
async function countLines(path: string): Promise<number> {
  let lines = 0
  try {
    for await (const chunk of createReadStream(path)) {
      const buf = chunk as Buffer
      for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) lines++
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  return lines
}

/** Hands dead letters to the output itself (`deadLetter.index`), one call at a time. */
class DeadLetterIndex implements DeadLetterSink {
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

/** The dead-letter sink `options.deadLetter` asks for, if any. */
export function deadLetterSink(options: ResolvedOptions, output: Output, onDiscarded: (count: number, why: string) => void): DeadLetterSink | undefined {
  const target = options.deadLetter
  if (target?.index !== undefined) return new DeadLetterIndex(output, target.index)
  if (target?.path !== undefined)
    return new DeadLetterFile(target.path, { ...DEFAULT_DEAD_LETTER_LIMITS, maxBytes: target.maxBytes, maxFiles: target.maxFiles }, onDiscarded, options.strictPerms)
  return undefined
}
