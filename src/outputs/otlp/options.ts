import { z } from '../../util/zod.js'
import { tlsSchema } from '../tls.js'
import { lazySchema } from '../../util/lazy-schema.js'

const attributeValue = lazySchema(() => z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }))

/** Top-level keys whose fields describe where events come from: they become Resource attributes. */
export const DEFAULT_RESOURCE_KEYS = ['service', 'host', 'deployment', 'cloud', 'k8s', 'container']

export const otlpOutputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('otlp'),
    /**
     * The collector's OTLP/HTTP base URL, e.g. `http://127.0.0.1:4318`: logs are POSTed to
     * `{endpoint}/v1/logs`. A URL whose path already ends in `/v1/logs` is used as it is.
     */
    endpoint: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as http://127.0.0.1:4318' }),
    /** `protobuf` (application/x-protobuf, the OTLP default) or `json` (OTLP/JSON). */
    encoding: z.enum(['protobuf', 'json'], { error: "expected 'protobuf' or 'json'" }).default('protobuf'),
    /** Compress request bodies (gzip level 1). Default 'gzip'. */
    compression: z.union([z.literal('gzip'), z.literal(false)], { error: "expected 'gzip' or false" }).default('gzip'),
    /** Extra request headers, e.g. an API key: `{ 'x-api-key': '...' }` or `{ authorization: 'Bearer ...' }`. */
    headers: z.record(z.string(), z.string()).default({}),
    /** Resource attributes sent with every event, e.g. `{ 'service.name': 'checkout' }`; they win over the event's own. */
    resource: z.record(z.string(), attributeValue).default({}),
    /** Top-level event keys whose (flattened) fields become Resource attributes instead of log attributes. */
    resourceKeys: z.array(z.string().min(1)).default(DEFAULT_RESOURCE_KEYS),
    /** Longest time one request may take. Default 30000. */
    timeoutMs: z.number().int().min(1).default(30_000),
    /** Requests in flight at once. Default 4. */
    maxInFlight: z.number().int().min(1).max(64).default(4),
    /** TLS for https:// endpoints: ca, cert, key (PEM text or file paths), rejectUnauthorized, servername. */
    tls: tlsSchema.optional(),
  }),
)

export type OtlpOutputOptions = z.output<typeof otlpOutputSchema>

/** The URL logs are POSTed to. */
export function logsUrl(endpoint: string): URL {
  const url = new URL(endpoint)
  if (!/\/v1\/logs\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/logs`
  return url
}
