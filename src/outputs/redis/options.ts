import { z } from '../../util/zod.js'
import { tlsSchema } from '../tls.js'
import { parseIndexTemplate } from '../elasticsearch/index-name.js'
import { parseRedisUrl } from './address.js'
import { lazySchema } from '../../util/lazy-schema.js'

const ms = (what: string) => z.number().int(`expected ${what} in whole milliseconds`).min(0, `expected ${what} of 0 ms or more`)

const redisUrl = lazySchema(() =>
  z.string('expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379').superRefine((value, ctx) => {
    const parsed = parseRedisUrl(value)
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', input: '(the URL, not shown: it may hold a password)', message: parsed.problem })
  }),
)

const keyName = lazySchema(() =>
  z
    .string('expected a key name such as "logs" or "logs-%{+yyyy.MM.dd}"')
    .min(1, 'expected a key name such as "logs"')
    .superRefine((value, ctx) => {
      const problem = parseIndexTemplate(value).problem
      if (problem) ctx.addIssue({ code: 'custom', input: value, message: problem.replace('logs-app-', 'logs-') })
    }),
)

export const redisOutputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('redis'),
    /**
     * `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. Default
     * `redis://127.0.0.1:6379`. Credentials in the URL are never shown in messages.
     */
    url: redisUrl.default('redis://127.0.0.1:6379'),
    /** ACL user name (Redis 6+); overrides the one in the URL. */
    username: z.string().min(1, 'expected a user name').optional(),
    /** Password (of `username`, or of the `default` user); overrides the one in the URL. */
    password: z.string().min(1, 'expected a password').optional(),
    /** Database number; overrides the URL's path. */
    db: z.number().int('expected a whole number').min(0, 'expected 0 or more').optional(),
    /**
     * The list or stream to write to. Date placeholders such as `%{+yyyy.MM.dd}` are filled from
     * each event's `@timestamp` (UTC), as in the Elasticsearch index name. Default `logship`.
     */
    key: keyName.default('logship'),
    /** `list`: RPUSH (what Logstash's redis input with `data_type => list` reads). `stream`: XADD. Default `list`. */
    dataType: z.enum(['list', 'stream'], { error: "expected 'list' or 'stream'" }).default('list'),
    /** Only for `dataType: stream`. */
    stream: z
      .strictObject({
        /**
         * `XADD ... MAXLEN ~ maxLen`: Redis trims the stream to about this many entries, dropping
         * the oldest, read or not. 0: never trim. Default 1000000.
         */
        maxLen: z.number().int('expected a whole number').min(0, 'expected 0 (no trimming) or more').default(1_000_000),
        /** The field that holds the event's JSON text in each stream entry. Default `event`. */
        field: z.string().min(1, 'expected a field name').default('event'),
      })
      .prefault({}),
    /**
     * Batches on the wire at once (all on one connection, replies in order). 1 keeps strict
     * order even across retries. Default 2.
     */
    maxInFlight: z.number().int('expected a whole number').min(1, 'expected 1 or more').max(16, 'expected at most 16').default(2),
    /** Longest wait for a connection, and for the replies to one batch. Default 30000. */
    timeoutMs: ms('timeoutMs').min(1, 'expected 1 ms or more').default(30_000),
    /** Present (even as `{}`) to connect with TLS; a `rediss://` URL turns TLS on by itself. */
    tls: tlsSchema.optional(),
  }),
)

export type RedisOutputOptions = z.output<typeof redisOutputSchema>
