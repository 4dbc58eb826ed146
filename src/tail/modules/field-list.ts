import { PARSER_FIELDS, type FieldListing } from './fields.js'
import { compileLogFormatParser, PARSER_NAMES, type LogFormatParserConfig, type ParserName } from './parsers.js'

/**
 * What `logship modules fields` prints: for a built-in parser its documented fields, for a
 * format string the fields each of its variables fills, so a user sees what a document will
 * carry before shipping one.
 */
export interface ParserFieldList {
  parser: string
  fields: FieldListing[]
}

/** The built-in parsers' fields (all of them, or the one named). Throws a RangeError for an unknown name. */
export function builtInFieldLists(name?: string): ParserFieldList[] {
  if (name !== undefined && !PARSER_NAMES.includes(name as ParserName)) throw new RangeError(`unknown parser ${JSON.stringify(name)}; expected one of ${PARSER_NAMES.join(', ')}`)
  const names = name === undefined ? PARSER_NAMES : [name as ParserName]
  return names.map((parser) => ({ parser, fields: PARSER_FIELDS[parser].map((f) => ({ ...f, from: f.from.replaceAll('`', '') })) }))
}

/** The fields a compiled format fills, variable by variable, then the ones every line gets. Throws LogFormatProblem. */
export function formatFieldList(config: LogFormatParserConfig): ParserFieldList {
  const nginx = 'nginx' in config
  const module = nginx ? 'nginx' : 'apache'
  const fields: FieldListing[] = []
  const seen = new Set<string>()
  for (const spec of compileLogFormatParser(config).specs) {
    for (const field of spec.fields) {
      // a field several variables fill (`$host` and `$server_name`) is listed once, with each of them
      const earlier = fields.find((f) => f.field === field)
      if (earlier) {
        ;(earlier as { from: string }).from += `, ${spec.token}`
        continue
      }
      seen.add(field)
      fields.push({ field, type: spec.types?.[field] ?? spec.type, from: spec.token })
    }
  }
  const always: FieldListing[] = [
    { field: 'event.module', type: 'keyword', from: module },
    { field: 'event.dataset', type: 'keyword', from: `${module}.access` },
    { field: 'event.kind', type: 'keyword', from: 'event' },
    { field: 'event.category', type: 'keyword[]', from: '["web"]' },
    { field: 'event.type', type: 'keyword[]', from: '["access"]' },
    { field: 'error.message', type: 'keyword', from: 'on a line that does not have the format: what was expected after which variable' },
    { field: 'tags', type: 'keyword[]', from: 'on a line that does not have the format: ["_logship_parse_failure"]' },
  ]
  return { parser: `${module} logFormat`, fields: [...fields, ...always.filter((f) => !seen.has(f.field))] }
}

/** Aligned columns: field, type, from. */
export function formatFieldLists(lists: readonly ParserFieldList[]): string {
  const out: string[] = []
  for (const list of lists) {
    if (out.length > 0) out.push('')
    out.push(list.parser)
    const width = Math.max(...list.fields.map((f) => f.field.length))
    const typeWidth = Math.max(...list.fields.map((f) => f.type.length))
    for (const f of list.fields) out.push(`  ${f.field.padEnd(width)}  ${f.type.padEnd(typeWidth)}  ${f.from}`)
  }
  return `${out.join('\n')}\n`
}
