/**
 * The seam between tail mode and parsers (modules): an input may name `parser: <name>`;
 * the parser maps each entry's text to ECS fields that are merged into its document
 * (objects key by key, arrays appended, other values from the parser win, `@timestamp`
 * included). Parsers are registered by name; tail mode only looks them up.
 */
import { PARSER_NAMES, createParser, compileLogFormatParser, type LogFormatParserConfig } from './modules/parsers.js'
import { createJsonParser } from './json-parser.js'
import type { EntryParser } from './entry-parser.js'
import { isPlainObject } from '../util/merge.js'

export interface ParserFactoryOptions {
  /** Zone of times the log writes without an offset (`inputs[].timezone`). */
  timezone?: string
}

export type ParserFactory = (options: ParserFactoryOptions) => EntryParser

const factories = new Map<string, ParserFactory>()

// The built-in parsers (docs/modules.md).
for (const name of PARSER_NAMES) factories.set(name, (options) => createParser(name, options))
factories.set('json', () => createJsonParser())

/** Makes `name` available to `inputs[].parser`. */
export function registerParser(name: string, factory: ParserFactory): void {
  factories.set(name, factory)
}

export function parserNames(): string[] {
  return [...factories.keys()].sort()
}

/** One parser instance per input (parsers may keep small caches); a format string from the server's config is compiled here. */
export function createEntryParser(name: string | LogFormatParserConfig, options: ParserFactoryOptions): EntryParser {
  if (typeof name !== 'string') return compileLogFormatParser(name).parse
  const factory = factories.get(name)
  if (!factory) throw new RangeError(`unknown parser ${JSON.stringify(name)}; expected one of ${parserNames().join(', ') || '(none registered)'}`)
  return factory(options)
}

/** Puts parser fields into a document: objects merged key by key, arrays appended, other values win. */
export function mergeParsed(document: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(fields)) {
    const value = fields[key]
    if (value === undefined) continue
    const existing = document[key]
    if (Array.isArray(value) && Array.isArray(existing)) document[key] = [...existing, ...value]
    else if (isPlainObject(value) && isPlainObject(existing)) mergeParsed(existing, value)
    else document[key] = value
  }
  return document
}
