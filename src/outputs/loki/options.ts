import { z } from '../../util/zod.js'
import { tlsSchema } from '../tls.js'
import { parseTemplate } from './template.js'
import { lazySchema } from '../../util/lazy-schema.js'
import { basicAuth, bearerAuth, compressionOption, headersOption, httpUrl, maxInFlightOption, timeoutMsOption } from '../url-output-options.js'

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

const template = lazySchema(() =>
  z
    .string()
    .min(1, 'expected a value or a template such as {service.name}')
    .superRefine((value, ctx) => {
      const problem = parseTemplate(value).problem
      if (problem) ctx.addIssue({ code: 'custom', input: value, message: problem })
    }),
)

const labelMap = lazySchema(() =>
  z.record(z.string(), template).superRefine((labels, ctx) => {
    for (const name of Object.keys(labels))
      if (!LABEL_NAME.test(name))
        ctx.addIssue({ code: 'custom', path: [name], input: name, message: `${JSON.stringify(name)} is not a label name: use letters, digits and _, not starting with a digit` })
  }),
)

const authSchema = lazySchema(() => z.union([basicAuth, bearerAuth], { error: 'expected { username, password } or { bearer }' }))

export const lokiOutputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('loki'),
    /** Loki's base URL, e.g. `http://127.0.0.1:3100`; batches go to `{url}/loki/api/v1/push`. */
    url: httpUrl('http://127.0.0.1:3100'),
    /** `protobuf` (snappy-compressed, what Promtail and Alloy send) or `json`. */
    encoding: z.enum(['protobuf', 'json'], { error: "expected 'protobuf' or 'json'" }).default('protobuf'),
    /** Stream labels: fixed values or `{field.path}` templates filled from each event, e.g. `{ service: '{service.name}' }`. */
    labels: labelMap.default({ job: 'logship' }),
    /** Structured metadata (Loki 3) attached to each entry, same templates; fields missing from an event are left out. */
    structuredMetadata: labelMap.default({}),
    /** The most distinct label sets (streams) this output creates; events that would make more go to the overflow stream. */
    maxStreams: z.number().int().min(1).default(1000),
    /** `X-Scope-OrgID`: the tenant, for multi-tenant Loki. */
    tenant: z.string().min(1).optional(),
    auth: authSchema.optional(),
    /** Extra request headers. */
    headers: headersOption(),
    /** gzip for JSON bodies (protobuf bodies are always snappy-compressed, as Loki requires). Default 'gzip'. */
    compression: compressionOption(),
    /** Longest time one request may take. Default 30000. */
    timeoutMs: timeoutMsOption(30_000),
    /** Requests in flight at once. Default 1: entries of a stream reach Loki in time order. */
    maxInFlight: maxInFlightOption(1),
    /** TLS for https:// URLs: ca, cert, key (PEM text or file paths), rejectUnauthorized, servername. */
    tls: tlsSchema.optional(),
  }),
)

export type LokiOutputOptions = z.output<typeof lokiOutputSchema>

export function pushUrl(base: string): URL {
  const url = new URL(base)
  if (!/\/loki\/api\/v1\/push\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/loki/api/v1/push`
  return url
}

/** The `Authorization` header for `auth` (shared with the other URL outputs). */
export { authorizationOf } from '../url-output-options.js'
