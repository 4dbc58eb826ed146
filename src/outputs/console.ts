import type { ConsoleOutputOptions } from './console-options.js'
import type { Batch, Output, SendResult } from './output.js'
import { ndjsonOf } from './ndjson.js'
import { writeAll } from './write-all.js'

export type { ConsoleOutputOptions } from './console-options.js'

/** NDJSON lines on stdout (or stderr), written straight to the file descriptor. */
export function createConsoleOutput(options: ConsoleOutputOptions): Output {
  const fd = options.stream === 'stdout' ? 1 : 2
  return {
    name: `console(${options.stream})`,
    maxInFlight: 1,
    async send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
      return writeAll(`console(${options.stream})`, fd, ndjsonOf(batch), signal)
    },
    async close() {},
  }
}
