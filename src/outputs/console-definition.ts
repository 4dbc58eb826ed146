import { z } from 'zod'
import { defineOutput } from './definition.js'

export const consoleOutputSchema = z.strictObject({
  type: z.literal('console'),
  /** Which stream receives the NDJSON lines. */
  stream: z.enum(['stdout', 'stderr']).default('stdout'),
})

export type ConsoleOutputOptions = z.output<typeof consoleOutputSchema>

/** `output: { type: 'console' }`: NDJSON lines on stdout or stderr. */
export const consoleOutput = defineOutput(consoleOutputSchema, {
  name: (options) => `console(${options.stream})`,
  load: async () => (await import('./console.js')).createConsoleOutput,
  // nothing to connect to; the check says so
  probe: async () => async () => [{ host: 'stdout', ok: true, message: 'the console output writes to stdout; there is nothing to connect to' }],
  storesDeadLetters: false,
})
