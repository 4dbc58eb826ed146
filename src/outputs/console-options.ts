import { z } from 'zod'

export const consoleOutputSchema = z.strictObject({
  type: z.literal('console'),
  /** Which stream receives the NDJSON lines. */
  stream: z.enum(['stdout', 'stderr']).default('stdout'),
})

export type ConsoleOutputOptions = z.output<typeof consoleOutputSchema>
