import type { RejectedRecord, SendResult } from '../output.js'
import { outputError } from '../../errors.js'
import { parseReplyJson } from '../read-reply.js'
import { replyExcerpt } from '../../redact.js'

/**
 * Turns a `_bulk` reply into a SendResult. Pure: status, body text and count in, verdict out.
 *
 * Per item: 2xx stored; 409 on a `create` whose `_id` logship set is a retry of something
 * already stored, so it counts as stored; 429 and 5xx are retried alone; any other 4xx is
 * rejected for good with Elasticsearch's `type: reason`.
 */
export interface BulkReplyContext {
  /** The output's name, for error messages. */
  readonly name: string
  /** How many records the request carried (= items expected). */
  readonly count: number
  /** logship set every `_id` (idempotent mode): a 409 means "already stored". */
  readonly ownIds: boolean
}

interface EsError {
  type?: unknown
  reason?: unknown
  caused_by?: EsError
}

interface BulkItem {
  status?: unknown
  error?: EsError | string
}

const ERRORS_FALSE = /^\s*\{\s*(?:"took"\s*:\s*\d+\s*,\s*)?"errors"\s*:\s*false\b/

export function classifyBulkReply(context: BulkReplyContext, text: string): SendResult {
  // the common case: nothing failed, and the reply says so up front; skip parsing the items
  if (ERRORS_FALSE.test(text)) return { status: 'delivered' }
  let reply: { errors?: unknown; items?: unknown }
  try {
    reply = parseReplyJson(text) as typeof reply
  } catch {
    return retryable(context.name, `the bulk reply is not JSON (${describeBody(text)}); is this an Elasticsearch server?`)
  }
  if (reply.errors === false) return { status: 'delivered' }
  if (!Array.isArray(reply.items)) {
    return retryable(context.name, `the bulk reply has no items array (${describeBody(text)})`)
  }
  if (reply.items.length !== context.count) {
    return retryable(context.name, `the bulk reply has ${reply.items.length} items for ${context.count} events`)
  }
  const retry: number[] = []
  const rejected: RejectedRecord[] = []
  reply.items.forEach((entry: unknown, index: number) => {
    const item = firstValue(entry)
    const status = typeof item?.status === 'number' ? item.status : 0
    if (status >= 200 && status < 300) return
    if (status === 409 && context.ownIds) return
    if (status === 429 || status >= 500 || status === 0) retry.push(index)
    else rejected.push({ index, status, reason: describeEsError(item?.error, status) })
  })
  return retry.length === 0 && rejected.length === 0 ? { status: 'delivered' } : { status: 'partial', retry, rejected }
}

/**
 * A whole request that did not get a 2xx: 413 → split; 408/429/5xx → back off and retry
 * (honouring Retry-After); 401/403 → fatal (credentials); 404/405 → fatal (not a `_bulk`
 * endpoint); 400 → malformed (a record broke the whole body: the engine bisects to find it);
 * other 4xx → every record rejected with Elasticsearch's reason.
 */
export function classifyRequestFailure(context: BulkReplyContext, status: number, text: string, retryAfterMs?: number): SendResult {
  if (status === 413) return { status: 'too-large' }
  const reason = describeErrorBody(text, status)
  if (status === 408 || status === 429 || status >= 500) {
    const error = outputError(context.name, `HTTP ${status}: ${reason}`)
    return retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs }
  }
  if (status === 401) {
    return fatal(context.name, `Elasticsearch refused the credentials (HTTP 401: ${reason}); check the output's auth (username/password, apiKey or bearer)`)
  }
  if (status === 403) {
    return fatal(context.name, `the user has no permission to write there (HTTP 403: ${reason}); grant it the create_doc (or index) privilege on the index`)
  }
  if (status === 404 || status === 405) {
    return fatal(context.name, `the server has no _bulk endpoint at this address (HTTP ${status}: ${reason}); check hosts (and any path prefix)`)
  }
  if (status === 400) return { status: 'malformed', reason: `HTTP 400: ${reason}`, sinkStatus: status }
  return {
    status: 'partial',
    retry: [],
    rejected: Array.from({ length: context.count }, (_, index) => ({ index, status, reason })),
  }
}

/** `type: reason`, with the innermost cause when Elasticsearch gives one. */
function describeEsError(error: EsError | string | undefined, status: number): string {
  if (typeof error === 'string') return error
  if (!error || typeof error !== 'object') return `HTTP ${status}`
  const own = `${String(error.type ?? 'error')}: ${String(error.reason ?? `status ${status}`)}`
  let cause = error.caused_by
  while (cause?.caused_by) cause = cause.caused_by
  return cause ? `${own} (caused by ${String(cause.type ?? 'error')}: ${String(cause.reason ?? '')})` : own
}

function describeErrorBody(text: string, status: number): string {
  try {
    const body = parseReplyJson(text) as { error?: EsError | string }
    if (body && typeof body === 'object' && body.error) return replyExcerpt(describeEsError(body.error, status), 300)
  } catch {
    // not JSON: fall through to the text itself
  }
  return text ? describeBody(text) : `status ${status}`
}

function describeBody(text: string): string {
  return replyExcerpt(text, 200) || 'empty body'
}

function firstValue(entry: unknown): BulkItem | undefined {
  if (!entry || typeof entry !== 'object') return undefined
  for (const key in entry) return (entry as Record<string, BulkItem>)[key]
  return undefined
}

function retryable(name: string, message: string): SendResult {
  return { status: 'retryable', error: outputError(name, message) }
}

function fatal(name: string, message: string): SendResult {
  return { status: 'fatal', error: outputError(name, message) }
}
