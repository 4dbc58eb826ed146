import type { EntryParser } from './entry-parser.js'

/** pino and bunyan write numeric levels. */
const NUMERIC_LEVELS: [number, string][] = [
  [60, 'fatal'],
  [50, 'error'],
  [40, 'warn'],
  [30, 'info'],
  [20, 'debug'],
  [10, 'trace'],
]

/**
 * `parser: json`: each line is one JSON object, as pino, winston, bunyan or an ECS logger
 * write it. Its keys go into the document (as they are) and win over the ones tail mode sets;
 * what these loggers write is also mapped to ECS:
 * - `message` is the object's own `message`, or `msg` (pino, bunyan), instead of the raw line;
 * - `level` (pino/bunyan numbers such as 30, winston names such as `info`) becomes `log.level`
 *   (`info`, `warn`, ...);
 * - `err` (pino's serialized error: type, message, stack) becomes `error.type`,
 *   `error.message`, `error.stack_trace`; winston's `stack` becomes `error.stack_trace`;
 * - `@timestamp` comes from the object's `@timestamp`, else `time` (pino: epoch ms; bunyan:
 *   ISO text) or `timestamp` (winston); one that is not a date is left out (the time the line
 *   was read stays) and the event is tagged `_logship_invalid_timestamp`.
 * A line that is not a JSON object is shipped as it is, tagged `_logship_parse_failure`.
 */
export function createJsonParser(): EntryParser {
  return (text) => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      return { error: { message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }, tags: ['_logship_parse_failure'] }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { error: { message: `not a JSON object but ${Array.isArray(value) ? 'an array' : typeof value}` }, tags: ['_logship_parse_failure'] }
    }
    const fields = value as Record<string, unknown>
    if (fields.message === undefined && typeof fields.msg === 'string') {
      fields.message = fields.msg
    }
    mapLevel(fields)
    mapError(fields)
    mapTimestamp(fields)
    return fields
  }
}

function levelName(level: unknown): string | undefined {
  if (typeof level === 'number' && Number.isFinite(level)) return NUMERIC_LEVELS.find(([n]) => level >= n)?.[1] ?? 'trace'
  if (typeof level === 'string' && level !== '') return level.toLowerCase()
  return undefined
}

function mapLevel(fields: Record<string, unknown>): void {
  const name = levelName(fields.level)
  if (name === undefined) return
  const log = isObject(fields.log) ? fields.log : {}
  log.level ??= name
  fields.log = log
}

function mapError(fields: Record<string, unknown>): void {
  const err = fields.err
  const error: Record<string, unknown> = isObject(fields.error) ? fields.error : {}
  if (isObject(err)) {
    if (typeof err.type === 'string') error.type ??= err.type
    else if (typeof err.name === 'string') error.type ??= err.name
    if (typeof err.message === 'string') error.message ??= err.message
    if (typeof err.stack === 'string') error.stack_trace ??= err.stack
    if (err.code !== undefined) error.code ??= String(err.code)
  } else if (typeof fields.stack === 'string') {
    error.stack_trace ??= fields.stack
  } else if (!isObject(fields.error)) {
    return
  }
  if (Object.keys(error).length > 0) fields.error = error
}

function mapTimestamp(fields: Record<string, unknown>): void {
  if (fields['@timestamp'] !== undefined) {
    if (toIso(fields['@timestamp']) === undefined) invalid(fields, '@timestamp')
    return
  }
  for (const key of ['time', 'timestamp']) {
    const value = fields[key]
    if (value === undefined) continue
    const iso = toIso(value)
    if (iso === undefined) continue
    fields['@timestamp'] = iso
    return
  }
}

function invalid(fields: Record<string, unknown>, key: string): void {
  const original = fields[key]
  delete fields[key]
  const event = isObject(fields.event) ? fields.event : {}
  event.original_timestamp ??= typeof original === 'string' ? original : JSON.stringify(original)
  fields.event = event
  fields.tags = [...(Array.isArray(fields.tags) ? fields.tags : []), '_logship_invalid_timestamp']
}

/** Epoch milliseconds or ISO-8601 text as an ISO string; undefined for anything else. */
function toIso(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(value)
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
    const date = new Date(value)
    return Number.isNaN(date.getTime()) ? undefined : value.includes('T') ? value : date.toISOString()
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
