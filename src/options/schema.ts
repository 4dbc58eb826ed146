import { z } from '../util/zod.js'
import { byteSize } from './size.js'
import { outputOptionsSchema, canStoreDeadLetters } from '../outputs/registry.js'
import { processorsSchema } from '../processors/schema.js'
import { lazySchema } from '../util/lazy-schema.js'

const ms = (what: string) => z.number().int(`expected ${what} in whole milliseconds`).min(0, `expected ${what} of 0 ms or more`)
const positiveInt = lazySchema(() => z.number().int('expected a whole number').min(1, 'expected 1 or more'))

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const

/** The smallest queue: its ring holds at least this much (and a record may use half of it). */
const MIN_QUEUE_BYTES = 4096

export const spillSchema = lazySchema(() =>
  z
    .strictObject({
      /** Directory of the spill segments (created 0700; files 0600). One process per directory; no default (two apps sharing one would ship each other's events). */
      dir: z.string().min(1, 'expected a directory path').optional(),
      /** Disk the spill may use; when it is full, `whenFull` decides. */
      maxBytes: byteSize(2 ** 50).default(1024 ** 3),
      /** Size at which a new segment file is started; acknowledged segments are deleted whole. */
      segmentBytes: byteSize(1024 ** 3).default(64 * 1024 * 1024),
      /** `never`: page cache only (survives a process crash, not a power cut); `interval`: fsync every fsyncIntervalMs; `always`: fsync before write() returns. */
      fsync: z.enum(['never', 'interval', 'always']).default('interval'),
      fsyncIntervalMs: z.number().int().min(1).default(1000),
      /** When the spill is full: wait (up to queue.maxBlockMs) or drop the new event. */
      whenFull: z.enum(['block', 'drop-newest']).default('block'),
    })
    .prefault({}),
)

export const queueSchema = lazySchema(() =>
  z
    .strictObject({
      /** Memory the queue may hold, in bytes (accepted but not yet acknowledged events). At least 4 KiB. */
      maxBytes: byteSize(1024 ** 3, MIN_QUEUE_BYTES, 'smaller queues cannot hold ordinary events').default(32 * 1024 * 1024),
      /** What `write()` does when the queue is full. */
      whenFull: z.enum(['drop-newest', 'drop-oldest', 'block', 'sample', 'spill']).default('drop-newest'),
      /** Longest time `block` holds the producer before the event is dropped (and counted). */
      maxBlockMs: ms('maxBlockMs').default(1000),
      /**
       * `block`, bounded per outage: once write() has waited this long in total without the
       * output making progress, writes stop waiting and a full queue drops like drop-newest
       * (`queue_full`) until the output acknowledges (or refuses) an event again.
       */
      blockBudgetMs: ms('blockBudgetMs').default(2000),
      /** Every accepted event is written to the spill before write() returns (survives kill -9). */
      durable: z.boolean().default(false),
      spill: spillSchema,
    })
    .prefault({}),
)

export const batchSchema = lazySchema(() =>
  z
    .strictObject({
      maxEvents: positiveInt.default(2048),
      maxBytes: byteSize(512 * 1024 * 1024).default(4 * 1024 * 1024),
      /** Longest time an event waits for its batch to fill up. */
      flushMs: ms('flushMs').default(1000),
    })
    .prefault({}),
)

export const retrySchema = lazySchema(() =>
  z
    .strictObject({
      initialDelayMs: ms('initialDelayMs').default(1000),
      maxDelayMs: ms('maxDelayMs').default(60_000),
      /** Sends of a batch after the first that fail in a row, delivering nothing, before its events are dead-lettered (one that delivers part of it resets the count). */
      maxRetries: z.union([z.number().int().min(0), z.literal(Infinity)], 'expected a whole number of 0 or more, or Infinity').default(Infinity),
    })
    .prefault({})
    .refine((r) => r.maxDelayMs >= r.initialDelayMs, { message: 'expected maxDelayMs at least as long as initialDelayMs', path: ['maxDelayMs'] }),
)

const sampleSchema = lazySchema(() =>
  z
    .strictObject({
      /** Events at or above this level are always kept. */
      keepLevelsAtOrAbove: z.enum(LEVELS).default('warn'),
      /** Queue fill ratio above which lower levels are sampled. */
      watermark: z.number().gt(0, 'expected a ratio above 0').max(1, 'expected a ratio of at most 1').default(0.8),
      /** Above the watermark, keep 1 in N lower-level events. */
      keepOneIn: positiveInt.default(10),
    })
    .prefault({}),
)

export const deadLetterSchema = lazySchema(() =>
  z
    .strictObject({
      /** Append events that could not be delivered here, one JSON line each with the reason. */
      path: z.string().min(1, 'expected a file path').optional(),
      /** Store them in this index of the output's own cluster (outputs that can: elasticsearch). */
      index: z.string().min(1, 'expected an index name').optional(),
      /** With path: the file is rotated (`<path>.1`, `.2`, …) before it grows past this. */
      maxBytes: byteSize(2 ** 40).default(100 * 1024 * 1024),
      /** With path: files kept, the current one included; dead letters in the oldest past it are discarded (and counted). */
      maxFiles: z.number().int('expected a whole number of files').min(1, 'expected at least 1 file').max(1000, 'expected at most 1000 files').default(5),
    })
    .refine((d) => (d.path === undefined) !== (d.index === undefined), { message: 'expected exactly one of path or index' }),
)

export const httpSchema = lazySchema(() =>
  z.strictObject({
    /** Address to listen on. Loopback by default: the stats are not meant for the network at large. */
    host: z.string().min(1, 'expected a host name or IP address such as 127.0.0.1').default('127.0.0.1'),
    /** Port to listen on; 0 picks a free one. */
    port: z.number().int('expected a whole port number').min(0, 'expected a port from 0 to 65535').max(65535, 'expected a port from 0 to 65535').default(5066),
    /** `/healthz` answers 503 when the queue is at least this full (0..1). */
    maxQueueFill: z.number().gt(0, 'expected a ratio above 0').max(1, 'expected a ratio of at most 1').default(0.9),
    /** `/healthz` answers 503 when a request to the output has waited this long for its answer. */
    stallMs: ms('stallMs').default(10_000),
    /** When set, every request must send `Authorization: Bearer <token>` (401 otherwise). At least 16 characters. */
    token: z.string().min(16, 'expected a token of at least 16 characters, e.g. from `openssl rand -hex 24`').optional(),
  }),
)

export const shipperSchema = lazySchema(() =>
  z
    .strictObject({
      output: outputOptionsSchema,
      queue: queueSchema,
      batch: batchSchema,
      retry: retrySchema,
      sample: sampleSchema,
      deadLetter: deadLetterSchema.optional(),
      /** Merged into every event; the event's own top-level keys win. */
      fields: z.record(z.string(), z.unknown()).optional(),
      /** Applied in order to each event on the calling thread, before it is queued (docs/processors.md). */
      processors: processorsSchema.optional(),
      /** `worker` ships from a worker thread (default); `main` runs the engine on the calling thread. */
      thread: z.enum(['worker', 'main']).default('worker'),
      /** Longest time `close()` and process exit wait for queued events to be acknowledged. */
      closeTimeoutMs: ms('closeTimeoutMs').default(5000),
      /** Flush on process exit and on SIGTERM/SIGINT when nothing else handles them. */
      handleExit: z.boolean().default(true),
      /** Serve `/metrics` (Prometheus), `/stats` (JSON) and `/healthz` over HTTP. Off unless set. */
      http: httpSchema.optional(),
      /** Refuse spill and dead-letter directories (and files) that other users could write to; false only warns (docs/security.md). */
      strictPerms: z.boolean().default(true),
    })
    .superRefine((o, ctx) => {
      if ((o.queue.durable || o.queue.whenFull === 'spill') && o.queue.spill.dir === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['queue', 'spill', 'dir'],
          input: undefined,
          message:
            "expected a directory only this app uses for the spill, e.g. spill: { dir: '/var/lib/myapp/logship-spill' } (there is no default: it must not be the working directory or shared with another app)",
        })
      }
      const index = o.deadLetter?.index
      if (index === undefined || canStoreDeadLetters(o.output.type)) return
      ctx.addIssue({
        code: 'custom',
        path: ['deadLetter', 'index'],
        input: index,
        message: `expected deadLetter.path: a ${o.output.type} output cannot store dead letters in an index (elasticsearch can)`,
      })
    }),
)

export type ShipperOptionsInput = z.input<typeof shipperSchema>
export type ResolvedOptions = z.output<typeof shipperSchema>
