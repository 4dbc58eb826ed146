import { z } from '../src/util/zod.js'
import { Shipper } from '../src/shipper/shipper.js'
import type { ShipperOptionsInput } from '../src/options/schema.js'
import { splitOptions } from './options.js'
import { LineSplitter } from './line-splitter.js'
import { closeAndReport, reportErrors } from './report.js'
import { lazySchema } from '../src/util/lazy-schema.js'

type StreamName = 'stdout' | 'stderr'

export type WrapStdoutOptions = ShipperOptionsInput & {
  /** Which of the process's streams to capture. Default both. */
  streams?: StreamName[]
  /** Keep writing to the original stream too. Default true. */
  tee?: boolean
  /**
   * `json` (default): a line holding one JSON object is shipped as that object, other
   * lines as `{"message": line, "log": {"origin": {"stream": name}}}`. `text`: every line
   * as a message.
   */
  parse?: 'json' | 'text'
  /** A line longer than this (in characters) is shipped in pieces. Default 1 MiB. */
  maxLineChars?: number
}

const ownSchema = lazySchema(() =>
  z.strictObject({
    streams: z
      .array(z.enum(['stdout', 'stderr']))
      .min(1, 'expected at least one of "stdout", "stderr"')
      .default(['stdout', 'stderr']),
    tee: z.boolean().default(true),
    parse: z.enum(['json', 'text']).default('json'),
    maxLineChars: z
      .number()
      .int()
      .min(1)
      .default(1024 * 1024),
  }),
)

/** Undoes the wrapping, ships a last unterminated line, flushes and closes the shipper. */
export interface RestoreStdout {
  (): Promise<void>
  /** The shipper the captured lines go to (stats(), events). */
  readonly shipper: Shipper
}

type Write = NodeJS.WriteStream['write']

/**
 * Captures every line the app writes to process.stdout / process.stderr (console.log,
 * other loggers, libraries) and ships it. Returns `restore()`.
 */
export function wrapStdout(options: WrapStdoutOptions): RestoreStdout {
  const { own, shipper: resolved } = splitOptions(options, ownSchema)
  const shipper = new Shipper(resolved)
  // logship's own complaints go to fd 2 directly, never through the wrapper (no loops)
  reportErrors(shipper, 'logship/stdout')
  let busy = false
  const unwraps: (() => void)[] = []
  const enders: (() => void)[] = []

  for (const name of new Set(own.streams)) {
    const stream = process[name]
    const original: Write = stream.write
    const hadOwn = Object.hasOwn(stream, 'write')
    const splitter = new LineSplitter(own.maxLineChars)
    const ship = (line: string): void => {
      const trimmed = line.trim()
      if (trimmed.length === 0) return
      shipper.write(own.parse === 'json' && isJsonObjectLine(trimmed) ? trimmed : textRecord(line, name))
    }
    let active = true
    const wrapped = function (this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
      // Re-entry (something logship calls writes to this stream) or after restore while
      // someone else's wrapper sits on top of ours: pass straight through.
      if (busy || !active) return original.call(stream, chunk as string, encoding as BufferEncoding, cb as () => void)
      busy = true
      try {
        splitter.push(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined, ship)
      } catch {
        // capturing must never break the app's own output
      } finally {
        busy = false
      }
      if (own.tee) return original.call(stream, chunk as string, encoding as BufferEncoding, cb as () => void)
      const done = typeof encoding === 'function' ? encoding : cb
      if (typeof done === 'function') process.nextTick(done as () => void)
      return true
    } as Write
    stream.write = wrapped
    enders.push(() => splitter.end(ship))
    unwraps.push(() => {
      active = false
      if (stream.write !== wrapped) return // another wrapper was put on top: ours now passes through
      if (hadOwn) stream.write = original
      else delete (stream as { write?: Write }).write
    })
  }

  // A last line without a newline is shipped before the shipper's own exit flush runs.
  const onExit = (): void => {
    for (const end of enders) end()
  }
  process.prependListener('exit', onExit)

  let restoring: Promise<void> | undefined
  const restore = (() => {
    restoring ??= (async () => {
      process.off('exit', onExit)
      for (const unwrap of unwraps) unwrap()
      onExit()
      await closeAndReport(shipper, 'logship/stdout')
    })()
    return restoring
  }) as RestoreStdout
  Object.defineProperty(restore, 'shipper', { value: shipper, enumerable: true })
  return restore
}

/** One JSON object on the line? (Checked, since a broken record would spoil a whole batch at the sink.) */
function isJsonObjectLine(line: string): boolean {
  if (line.charCodeAt(0) !== 0x7b || line.charCodeAt(line.length - 1) !== 0x7d) return false
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

function textRecord(line: string, stream: StreamName): string {
  return `{"message":${JSON.stringify(line)},"log":{"origin":{"stream":"${stream}"}}}`
}
