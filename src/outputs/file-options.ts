import { z } from '../util/zod.js'
import { lazySchema } from '../util/lazy-schema.js'

export const fileOutputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('file'),
    /** NDJSON file to append to (created with mode 0600 when missing). */
    path: z.string().min(1, 'expected a file path'),
    /** false: appending to a file owned by another user is allowed (links and non-regular files are always refused). @default true */
    strictPerms: z.boolean().default(true),
  }),
)

export type FileOutputOptions = z.output<typeof fileOutputSchema>
