import type { SendResult } from './output.js'
import { outputError } from '../errors.js'
import { replyExcerpt } from '../redact.js'

const HTML_START = /^\s*<(?:!doctype\s+html|html|head|body)\b/i

/**
 * A 2xx whose body is an HTML page answered a push, not the sink: a web server on the wrong
 * port or path (Grafana instead of Loki, an app's catch-all route), a proxy's or portal's
 * page. Nothing says the events were stored, so counting them delivered would lose them
 * unsaid: the batch is retried (events stay queued) with what answered and which setting to
 * check. undefined for any other reply.
 */
export function webPageReply(name: string, status: number, contentType: string, body: string, setting: string): Extract<SendResult, { status: 'retryable' }> | undefined {
  if (status < 200 || status >= 300) return undefined
  if (!/\btext\/html\b/i.test(contentType) && !HTML_START.test(body)) return undefined
  const page = JSON.stringify(replyExcerpt(body.trim(), 80))
  return {
    status: 'retryable',
    error: outputError(
      name,
      `HTTP ${status} with a web page (${contentType || 'no content-type'}: ${page}), not an answer to a push; is ${setting} the ingest URL? The events stay queued and are sent again`,
    ),
  }
}
