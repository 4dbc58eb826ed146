import type { TextParsing } from '../entry-parser.js'

/**
 * A parser turns one log entry (one line, or one multi-line entry such as a MySQL slow-log
 * record) into the ECS fields logship adds to the document it ships for that entry.
 *
 * The result is plain nested data (`{ source: { ip }, http: { request: { method } } }`), and
 * may carry `@timestamp` taken from the log's own clock. A parser never throws and never
 * drops an entry: text it cannot read yields `parseFailure(...)`, so the entry still ships
 * with its `message`.
 */
export type ParsedFields = { '@timestamp'?: string } & Record<string, unknown>

/** `asText`: the same fields as JSON text, where a parser offers it (entry-parser.ts). */
export type Parser = ((text: string) => ParsedFields) & { asText?: TextParsing }

/** The tag a document gets when its parser could not read the entry. */
export const PARSE_FAILURE_TAG = '_logship_parse_failure'

/** Options shared by every parser factory. */
export interface ParserOptions {
  /**
   * Zone for logs that write local time without an offset (nginx and apache error logs,
   * MariaDB, old MySQL): `local` (this machine's zone), `UTC`, a fixed offset such as
   * `+02:00`, or an IANA name such as `Europe/Berlin`. Times written with an offset ignore it.
   * @default 'local'
   */
  timezone?: string
}

/**
 * The result for an entry that does not parse: nothing is kept from it except the reason,
 * the failure tag and the dataset; the shipper keeps the raw text in `message`.
 */
export function parseFailure(dataset: string, module: string, reason: string): ParsedFields {
  return {
    event: { module, dataset },
    error: { message: `${dataset}: ${reason}` },
    tags: [PARSE_FAILURE_TAG],
  }
}

/** Drops one trailing `\n` or `\r\n` (and lone `\r`), which a reader may leave on a line. */
export function withoutLineEnd(text: string): string {
  let end = text.length
  if (end > 0 && text.charCodeAt(end - 1) === 10) end--
  if (end > 0 && text.charCodeAt(end - 1) === 13) end--
  return end === text.length ? text : text.slice(0, end)
}
