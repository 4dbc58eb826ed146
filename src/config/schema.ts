import { z } from '../util/zod.js'
import { join } from 'node:path'
import { defaultStateDir } from './state-dir.js'
import { byteSize } from '../options/size.js'
import { duration } from './duration.js'
import { queueSchema, spillSchema, batchSchema, retrySchema, deadLetterSchema, httpSchema } from '../options/schema.js'
import { outputOptionsSchema } from '../outputs/registry.js'
import { parserInputShape, PARSER_NAMES, checkedLogFormatParserSchema } from '../tail/modules/parsers.js'
import { modulesSchema } from '../tail/modules/schema.js'
import { processorsSchema } from '../processors/schema.js'
import { lazySchema } from '../util/lazy-schema.js'

const ms = (what: string) => duration(what)
// Every schema here is built on first use (lazySchema), not when the module is imported.
const positiveInt = lazySchema(() => z.number('expected a whole number').int('expected a whole number').min(1, 'expected 1 or more'))

function isRegex(source: string): boolean {
  try {
    new RegExp(source)
    return true
  } catch {
    return false
  }
}

const regex = lazySchema(() => z.string('expected a regular expression as a string').refine(isRegex, 'expected a valid JavaScript regular expression'))
const regexList = lazySchema(() => z.array(regex, "expected a list of regular expressions such as ['ERROR', 'WARN']"))

/** Joins the lines of one entry (a stack trace, a slow-log record) into one event. */
export const multilineSchema = lazySchema(() =>
  z.strictObject({
    /** Regex tested against each line. */
    pattern: regex,
    /** Invert the match: lines NOT matching `pattern` are the continuation lines. @default false */
    negate: z.boolean('expected true or false').default(false),
    /** `after`: continuation lines join the line before them; `before`: they join the line after them. @default 'after' */
    match: z.enum(['after', 'before'], 'expected after | before').default('after'),
    /** Lines beyond this in one entry are left out (the event is flagged truncated). @default 500 */
    maxLines: positiveInt.default(500),
    /** An unfinished entry is shipped when no line arrives for this long. @default 5000 */
    timeoutMs: ms('timeoutMs').default(5000),
  }),
)

/** Settings every line-reading input shares (file and stdin); a function, so that nothing is built at import. */
const lineSettings = () => ({
  /** @default 'utf8' */
  encoding: z.enum(['utf8', 'latin1', 'utf16le'], 'expected utf8 | latin1 | utf16le').default('utf8'),
  /** Longer lines (and multiline entries) are cut here and flagged `log.flags: [truncated]`. @default 1mb */
  maxLineBytes: byteSize(64 * 1024 ** 2).default(1024 ** 2),
  multiline: multilineSchema.optional(),
  /** When set, only entries matching one of these regexes are shipped. */
  includeLines: regexList.default([]),
  /** Entries matching one of these regexes are not shipped. */
  excludeLines: regexList.default([]),
  /** Merged into each document of this input (the document's own keys win). */
  fields: z.record(z.string(), z.unknown(), 'expected an object such as { env: prod }').optional(),
  /** `parser`: a parser (docs/modules.md) that adds ECS fields to each entry; `timezone`: zone of times it reads without an offset. */
  ...parserInputShape,
  /** `json` takes each line as one JSON object (pino, winston, bunyan); the others are the modules' parsers; `{ nginx: { logFormat } }` / `{ apache: { logFormat } }` compile the server's format (docs/modules.md). */
  parser: z
    .union([z.enum(['json', ...PARSER_NAMES]), checkedLogFormatParserSchema], {
      error: `expected one of json | ${PARSER_NAMES.join(' | ')}, or { nginx: { logFormat: '...' } } or { apache: { logFormat: '...' } }`,
    })
    .optional(),
  /** Applied in order to each document after parsing, before the config's own `processors` (docs/processors.md). */
  processors: processorsSchema.optional(),
})

export const fileInputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('file'),
    /** Globs of files to read (`*`, `**`, `{a,b}`); relative paths are resolved from the working directory. */
    paths: z
      .array(z.string('expected a glob string').min(1, 'expected a non-empty glob'), "expected a list of globs such as ['/var/log/nginx/access.log*']")
      .min(1, 'expected at least one glob'),
    /** Files whose path matches one of these regexes are not read (e.g. `\.gz$`). */
    excludeFiles: regexList.default([]),
    /** Where to start in a file seen for the first time when logship starts: `beginning` or `end`. Files created later are always read from the beginning. @default 'beginning' */
    start: z.enum(['beginning', 'end'], 'expected beginning | end').default('beginning'),
    /** Close a file after it has not grown for this long (it is reopened when it grows). @default 300000 */
    closeInactiveMs: ms('closeInactiveMs').default(300_000),
    /** Skip files not modified for this long; 0 reads every file. @default 0 */
    ignoreOlderMs: ms('ignoreOlderMs').default(0),
    /** How often the globs are matched again for new, renamed and removed files. @default 1000 */
    scanIntervalMs: duration('scanIntervalMs', 10).default(1000),
    /** Files of this input open at once; 0 means no limit. @default 0 */
    harvesterLimit: z.number('expected a whole number').int('expected a whole number').min(0, 'expected 0 (no limit) or more').default(0),
    /** Follow symbolic links matched by `paths` (and linked directories under `**`). Off: a link planted in a watched directory could make logship ship any file it can read. @default false */
    symlinks: z.boolean('expected true or false').default(false),
    /** Forget a file's read pointer once the file is gone and all its lines are acknowledged. @default true */
    cleanRemoved: z.boolean('expected true or false').default(true),
    ...lineSettings(),
  }),
)

export const stdinInputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('stdin'),
    ...lineSettings(),
  }),
)

export const inputSchema = lazySchema(() => z.discriminatedUnion('type', [fileInputSchema, stdinInputSchema]))

export const registrySchema = lazySchema(() =>
  z
    .strictObject({
      /** The read pointers file (created with mode 0600). Relative paths are resolved from the working directory. @default '<state dir>/registry.json' (docs/security.md) */
      path: z
        .string('expected a file path')
        .min(1, 'expected a file path')
        .default(() => join(defaultStateDir(), 'registry.json')),
      /** How often acknowledged read pointers are written to disk. @default 1000 */
      flushMs: duration('flushMs', 10).default(1000),
    })
    .prefault({}),
)

/** Tail mode's queue default: the file is the buffer, so a small queue is enough. */
export const TAIL_QUEUE_BYTES = 8 * 1024 * 1024

/**
 * The library's queue with tail mode's policy: it always blocks (a full queue pauses reading,
 * nothing is dropped), its queue is 8mb, and its spill lives in the state directory (never in
 * the working directory).
 */
const tailQueueSchema = lazySchema(() =>
  queueSchema
    .unwrap()
    .extend({
      /** @default 8mb */
      maxBytes: queueSchema.unwrap().shape.maxBytes.unwrap().default(TAIL_QUEUE_BYTES),
      /** @default 'block' */
      whenFull: z.literal('block', 'tail mode always blocks (the file is the buffer, nothing is dropped): remove it or write block').default('block'),
      spill: spillSchema
        .unwrap()
        .extend({
          /** @default '<state dir>/spill' */
          dir: z
            .string()
            .min(1, 'expected a directory path')
            .default(() => join(defaultStateDir(), 'spill')),
        })
        .prefault({}),
    })
    .prefault({}),
)

/** The YAML config of `logship run` / `logship pipe`: the library's options plus inputs and the registry. */
export const configSchema = lazySchema(() =>
  z.strictObject({
    inputs: z.array(inputSchema, 'expected a list of inputs such as [{ type: file, paths: [/var/log/app/*.log] }]').default([]),
    /** nginx, apache, mysql: file inputs with their parser and default paths (docs/modules.md). */
    modules: modulesSchema.optional(),
    output: outputOptionsSchema,
    queue: tailQueueSchema,
    batch: batchSchema,
    retry: retrySchema,
    deadLetter: deadLetterSchema.optional(),
    /** Merged into every document (an input's own `fields` win over these). */
    fields: z.record(z.string(), z.unknown(), 'expected an object such as { env: prod }').optional(),
    /** Applied to every document of every input, after the input's own `processors` (docs/processors.md). */
    processors: processorsSchema.optional(),
    registry: registrySchema,
    /** On SIGTERM/SIGINT, how long to wait for read lines to be acknowledged before exiting. @default 10000 */
    shutdownTimeoutMs: ms('shutdownTimeoutMs').default(10_000),
    /** Where batching and the output run: `worker` (a worker thread, the default) or `main` (the thread that reads the files: one V8 isolate less: ~25 MB less peak memory on Node 20/22, not on Node 24 without --max-semi-space-size; up to a core less throughput; docs/tail.md). */
    engine: z.strictObject({ thread: z.enum(['worker', 'main'], 'expected worker | main').default('worker') }).prefault({}),
    /** Serve `/metrics`, `/stats` and `/healthz` over HTTP (loopback unless `host` says otherwise). Off unless set. */
    http: httpSchema.optional(),
    /** Every this often, one stats line on stderr (silent when nothing changed); 0 turns it off. @default 30000 */
    statsIntervalMs: ms('statsIntervalMs').default(30_000),
    /** Refuse state directories (registry, spill, dead letters) and files other users could write to; false only warns (docs/security.md). @default true */
    strictPerms: z.boolean('expected true or false').default(true),
  }),
)

export type Config = z.output<typeof configSchema>
export type InputConfig = z.output<typeof inputSchema>
export type FileInputConfig = z.output<typeof fileInputSchema>
export type StdinInputConfig = z.output<typeof stdinInputSchema>
export type MultilineConfig = z.output<typeof multilineSchema>
export type LineSettings = Pick<FileInputConfig, 'encoding' | 'maxLineBytes' | 'multiline' | 'includeLines' | 'excludeLines' | 'fields' | 'parser' | 'timezone' | 'processors'>
