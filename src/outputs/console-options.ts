import { z } from '../util/zod.js'
import { lazySchema } from '../util/lazy-schema.js'

export const consoleOutputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('console'),
    /** Which stream receives the NDJSON lines. */
    stream: z.enum(['stdout', 'stderr']).default('stdout'),
  }),
)

export type ConsoleOutputOptions = z.output<typeof consoleOutputSchema>
