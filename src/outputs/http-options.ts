import { z } from '../util/zod.js'
import { tlsSchema } from './tls.js'
import { lazySchema } from '../util/lazy-schema.js'

export const httpOutputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('http'),
    /** Where batches are POSTed as NDJSON. */
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    /** Extra request headers, e.g. `{ authorization: 'Bearer ...' }`. */
    headers: z.record(z.string(), z.string()).default({}),
    /** Compress request bodies. */
    compression: z.enum(['gzip', 'none']).default('none'),
    /** Longest time one request may take. */
    timeoutMs: z.number().int().min(1).default(30_000),
    /** Requests in flight at once; 1 keeps events in order at the sink. */
    maxInFlight: z.number().int().min(1).max(64).default(1),
    /** TLS for https:// URLs: ca, cert, key (PEM text or file paths), rejectUnauthorized, servername. */
    tls: tlsSchema.optional(),
  }),
)

export type HttpOutputOptions = z.output<typeof httpOutputSchema>

/** Shows where an output sends, without credentials or query strings. */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}
