import type { EntryParser } from './parsers.js'

/**
 * `parser: json`: each line is one JSON object, as pino, winston, bunyan or an ECS logger
 * write it. Its keys go into the document and win over the ones tail mode sets; `message`
 * becomes the object's own `message` or `msg` (pino) instead of the whole raw line;
 * `@timestamp` comes from the object's `@timestamp`, else from a numeric `time` (epoch ms).
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
    if (fields.message === undefined && typeof fields.msg === 'string') fields.message = fields.msg
    if (fields['@timestamp'] === undefined && typeof fields.time === 'number' && Number.isFinite(fields.time)) {
      const date = new Date(fields.time)
      if (!Number.isNaN(date.getTime())) fields['@timestamp'] = date.toISOString()
    }
    return fields
  }
}
