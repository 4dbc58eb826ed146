import { z } from '../../util/zod.js'
import type { Parser, ParserOptions } from './types.js'
import { createNginxAccessParser } from './nginx-access.js'
import { createNginxErrorParser } from './nginx-error.js'
import { createApacheAccessParser } from './apache-access.js'
import { createApacheErrorParser } from './apache-error.js'
import { createMysqlErrorParser } from './mysql-error.js'
import { createMysqlSlowlogParser } from './mysql-slowlog.js'
import { wallClock } from './time.js'
import { type CompiledFormat, LogFormatProblem } from './log-format/compile.js'
import { compileNginxFormat } from './log-format/nginx.js'
import { compileApacheFormat } from './log-format/apache.js'
import { lazySchema } from '../../util/lazy-schema.js'

/** Every parser by the name an input uses (`parser: nginx.access`); the name is also `event.dataset`. */
const FACTORIES = {
  'nginx.access': createNginxAccessParser,
  'nginx.error': createNginxErrorParser,
  'apache.access': createApacheAccessParser,
  'apache.error': createApacheErrorParser,
  'mysql.error': createMysqlErrorParser,
  'mysql.slowlog': createMysqlSlowlogParser,
} as const satisfies Record<string, (options?: ParserOptions) => Parser>

export type ParserName = keyof typeof FACTORIES

export const PARSER_NAMES = Object.keys(FACTORIES) as readonly ParserName[]

/**
 * A parser for one input. Create one per input (not per line): each keeps small caches,
 * such as the last time text it converted. Throws a RangeError for an unknown timezone
 * (the config schema has rejected it earlier).
 */
export function createParser(name: ParserName, options: ParserOptions = {}): Parser {
  const factory = FACTORIES[name]
  if (factory === undefined) throw new RangeError(`unknown parser ${JSON.stringify(name)}; expected one of ${PARSER_NAMES.join(', ')}`)
  return factory(options)
}

// The schemas below are built on first use (lazySchema), not when the module is imported.
const parserNameSchema = lazySchema(() =>
  z.enum(PARSER_NAMES as [ParserName, ...ParserName[]], {
    error: `expected one of ${PARSER_NAMES.join(' | ')}`,
  }),
)

export const timezoneSchema = lazySchema(() =>
  z.string().refine(
    (zone) => {
      try {
        wallClock(zone)
        return true
      } catch {
        return false
      }
    },
    { error: 'expected local, UTC, an offset such as +02:00, or an IANA zone name such as Europe/Berlin' },
  ),
)

/**
 * Keys a file input accepts to run a parser on its own (`inputs[].parser: nginx.access`).
 * Tail mode spreads this into its file-input schema.
 */
export const parserInputShape = {
  /** Parse each entry into ECS fields with this parser; unparsed entries are still shipped. */
  parser: lazySchema(() => parserNameSchema.optional()),
  /** Zone of times the log writes without an offset. @default 'local' */
  timezone: lazySchema(() => timezoneSchema.optional()),
}

/**
 * `parser: { nginx: { logFormat } }` / `parser: { apache: { logFormat } }`: the server's own
 * format string, compiled once into a parser (log-format/). Checked when the config loads, so
 * an unknown `$variable` or `%x` is a config error naming it.
 */
const logFormatText = lazySchema(() => z.string('expected the format string from the server config').min(1, 'expected the format string from the server config'))
export const logFormatParserSchema = lazySchema(() =>
  z.union([
    z.strictObject({
      nginx: z.strictObject({
        /** The `log_format` string from nginx.conf, its quoted parts joined. */
        logFormat: logFormatText,
        /** Variables nginx.conf makes itself (`map`, `set`), without the `$`: kept as `nginx.access.<name>`. */
        variables: z.array(z.string().regex(/^[A-Za-z0-9_]+$/, 'expected a variable name without the $, such as tenant'), 'expected a list of variable names').optional(),
      }),
    }),
    z.strictObject({
      apache: z.strictObject({
        /** The `LogFormat` string from the apache config (the part in quotes). */
        logFormat: logFormatText,
      }),
    }),
  ]),
)

export type LogFormatParserConfig = z.output<typeof logFormatParserSchema>

export function compileLogFormatParser(config: LogFormatParserConfig): CompiledFormat {
  if ('nginx' in config) return compileNginxFormat(config.nginx.logFormat, config.nginx.variables === undefined ? {} : { variables: config.nginx.variables })
  return compileApacheFormat(config.apache.logFormat)
}

/** The compile-time check, as a schema: the problem lands on `<dialect>.logFormat`. */
export const checkedLogFormatParserSchema = lazySchema(() =>
  logFormatParserSchema.superRefine((config, ctx) => {
    try {
      compileLogFormatParser(config)
    } catch (err) {
      if (!(err instanceof LogFormatProblem)) throw err
      const dialect = 'nginx' in config ? 'nginx' : 'apache'
      ctx.addIssue({ code: 'custom', path: [dialect, 'logFormat'], input: 'nginx' in config ? config.nginx.logFormat : config.apache.logFormat, message: err.message })
    }
  }),
)
