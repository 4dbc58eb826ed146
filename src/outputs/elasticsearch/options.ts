import { z } from '../../util/zod.js'
import { parseIndexTemplate } from './index-name.js'
import { decodeCloudId } from './cloud-id.js'
import { filterPathGaps } from './filter-path.js'
import { tlsSchema } from '../tls.js'
import { lazySchema } from '../../util/lazy-schema.js'
import { apiKeyAuth, basicAuth, bearerAuth, compressionOption, headersOption, httpUrl, maxInFlightOption, timeoutMsOption } from '../url-output-options.js'

const hostUrl = lazySchema(() => httpUrl('http://127.0.0.1:9200'))

const authSchema = lazySchema(() => z.union([basicAuth, apiKeyAuth, bearerAuth], { error: 'expected { username, password }, { apiKey } or { bearer }' }))

const indexName = lazySchema(() =>
  z
    .string()
    .min(1, 'expected an index name')
    .superRefine((value, ctx) => {
      const problem = parseIndexTemplate(value).problem
      if (problem) ctx.addIssue({ code: 'custom', input: value, message: problem })
    }),
)

export const elasticsearchOutputSchema = lazySchema(() =>
  z
    .strictObject({
      type: z.literal('elasticsearch'),
      /** Cluster nodes, e.g. `['http://127.0.0.1:9200']`; requests go round-robin and fail over. */
      hosts: z.array(hostUrl).min(1, 'expected at least one host URL').optional(),
      /** Elastic Cloud ID (`label:base64`), decoded into the host URL. Use instead of `hosts`. */
      cloudId: z
        .string()
        .min(1)
        .superRefine((value, ctx) => {
          try {
            decodeCloudId(value)
          } catch (err) {
            ctx.addIssue({ code: 'custom', input: value, message: (err as Error).message })
          }
        })
        .optional(),
      /**
       * Index (or data stream) to write to. Date placeholders such as `%{+yyyy.MM.dd}` are filled
       * from each event's `@timestamp` (UTC). Default `logs-logship-default`.
       */
      index: indexName.default('logs-logship-default'),
      /**
       * Use `create` operations, which data streams require (and plain indices accept).
       * `false` uses `index` operations. Default true.
       */
      dataStream: z.boolean().default(true),
      /**
       * Give every event a stable `_id` when logship accepts it and send it with `create`, so a
       * retry after a lost reply can never store it twice (409 conflicts count as delivered).
       * Default false.
       */
      idempotent: z.boolean().default(false),
      /** Ingest pipeline to run on every event. */
      pipeline: z.string().min(1).optional(),
      /** Compress request bodies (gzip level 1). Default 'gzip'. */
      compression: compressionOption(),
      auth: authSchema.optional(),
      /** Extra request headers. */
      headers: headersOption(),
      /** Longest time one request may take. Default 60000. */
      timeoutMs: timeoutMsOption(60_000),
      /** Bulk requests in flight at once (across hosts). Default 4. */
      maxInFlight: maxInFlightOption(4),
      /** TLS: ca (the CA that signed the cluster's certificate), cert, key (PEM text or file paths), rejectUnauthorized, servername. */
      tls: tlsSchema.optional(),
      /**
       * `filter_path` for bulk replies, so Elasticsearch only sends what logship reads.
       * `false` asks for the full reply. Default `errors,items.*.error,items.*.status`.
       */
      filterPath: z
        .union([
          z
            .string()
            .min(1)
            .superRefine((value, ctx) => {
              const gaps = filterPathGaps(value)
              if (gaps.length === 0) return
              ctx.addIssue({
                code: 'custom',
                input: value,
                message: `"${value}" leaves ${gaps.join(' and ')} out of bulk replies: Elasticsearch would then drop the items that succeeded, and logship could not tell which events failed (it would send stored ones again); keep errors and items.*.status in it (the default is errors,items.*.error,items.*.status), or set false`,
              })
            }),
          z.literal(false),
        ])
        .default('errors,items.*.error,items.*.status'),
      /** How long a failing host is skipped before it is tried again (doubles up to 30 s). Default 1000. */
      hostBackoffMs: z.number().int().min(0).default(1000),
    })
    .refine((o) => o.hosts !== undefined || o.cloudId !== undefined, {
      message: 'expected hosts (e.g. ["http://127.0.0.1:9200"]) or cloudId',
      path: ['hosts'],
    }),
)

export type ElasticsearchOutputOptions = z.output<typeof elasticsearchOutputSchema>
