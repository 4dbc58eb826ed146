import { z } from 'zod'
import type { Parser, ParserOptions } from './types.js'
import { createNginxAccessParser } from './nginx-access.js'
import { createNginxErrorParser } from './nginx-error.js'
import { createApacheAccessParser } from './apache-access.js'
import { createApacheErrorParser } from './apache-error.js'
import { createMysqlErrorParser } from './mysql-error.js'
import { createMysqlSlowlogParser } from './mysql-slowlog.js'
import { wallClock } from './time.js'

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

const parserNameSchema = z.enum(PARSER_NAMES as [ParserName, ...ParserName[]], {
  error: `expected one of ${PARSER_NAMES.join(' | ')}`,
})

export const timezoneSchema = z.string().refine(
  (zone) => {
    try {
      wallClock(zone)
      return true
    } catch {
      return false
    }
  },
  { error: 'expected local, UTC, an offset such as +02:00, or an IANA zone name such as Europe/Berlin' },
)

/**
 * Keys a file input accepts to run a parser on its own (`inputs[].parser: nginx.access`).
 * Tail mode spreads this into its file-input schema.
 */
export const parserInputShape = {
  /** Parse each entry into ECS fields with this parser; unparsed entries are still shipped. */
  parser: parserNameSchema.optional(),
  /** Zone of times the log writes without an offset. @default 'local' */
  timezone: timezoneSchema.optional(),
}
