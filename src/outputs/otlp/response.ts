import protobuf from 'protobufjs/minimal.js'
import type { SendResult } from '../output.js'
import { outputError } from '../../errors.js'
import { replyExcerpt } from '../../redact.js'
import { parseReplyJson } from '../read-reply.js'

export interface PartialSuccess {
  readonly rejected: number
  readonly message: string
}

/**
 * The `partial_success` of an `ExportLogsServiceResponse` (protobuf or JSON, by the reply's
 * content type). An empty or missing one is `{ rejected: 0, message: '' }`.
 */
export function readPartialSuccess(body: Uint8Array, json: boolean): PartialSuccess {
  if (body.length === 0) return { rejected: 0, message: '' }
  if (json) {
    const reply = parseReplyJson(Buffer.from(body).toString('utf8')) as { partialSuccess?: { rejectedLogRecords?: unknown; errorMessage?: unknown } } | null
    const partial = reply?.partialSuccess
    return { rejected: Number(partial?.rejectedLogRecords ?? 0) || 0, message: typeof partial?.errorMessage === 'string' ? partial.errorMessage : '' }
  }
  let rejected = 0
  let message = ''
  const outer = protobuf.Reader.create(body)
  while (outer.pos < outer.len) {
    const t = outer.uint32()
    if (t >>> 3 !== 1 || (t & 7) !== 2) {
      outer.skipType(t & 7)
      continue
    }
    const inner = protobuf.Reader.create(outer.bytes())
    while (inner.pos < inner.len) {
      const u = inner.uint32()
      if (u === ((1 << 3) | 0)) rejected = Number(inner.int64().toString())
      else if (u === ((2 << 3) | 2)) message = inner.string()
      else inner.skipType(u & 7)
    }
  }
  return { rejected, message }
}

/** The `message` of a `google.rpc.Status` error body (protobuf or JSON), else the body's text. */
export function readErrorMessage(body: Uint8Array, contentType: string): string {
  if (body.length === 0) return ''
  try {
    if (/protobuf/i.test(contentType)) {
      const r = protobuf.Reader.create(body)
      while (r.pos < r.len) {
        const t = r.uint32()
        if (t === ((2 << 3) | 2)) return r.string()
        r.skipType(t & 7)
      }
      return ''
    }
    const text = Buffer.from(body).toString('utf8')
    if (/json/i.test(contentType)) {
      const status = parseReplyJson(text) as { message?: unknown } | null
      if (typeof status?.message === 'string') return status.message
    }
    return text
  } catch {
    return Buffer.from(body).toString('utf8')
  }
}

/**
 * A whole-request reply as a SendResult, per the OTLP/HTTP spec: 2xx with partial_success
 * (rejected records are dead-lettered), 429/502/503/504 (and 408, other 5xx) retried with
 * Retry-After, 413 split, 400 malformed (the engine isolates the records to blame), 401/403
 * fatal (credentials), other 4xx refuse every record.
 */
export function resultForReply(name: string, status: number, message: string, partial: PartialSuccess | undefined, count: number, retryAfterMs?: number): SendResult {
  const detail = message ? `: ${replyExcerpt(message)}` : ''
  if (status >= 200 && status < 300) {
    if (!partial || partial.rejected <= 0) return { status: 'delivered' }
    const why = partial.message ? ` (${replyExcerpt(partial.message)})` : ''
    const reason =
      partial.rejected >= count
        ? `the collector rejected the log records${why}`
        : `the collector rejected ${partial.rejected} of the ${count} log records of this request without saying which${why}; all ${count} are dead-lettered so none is lost`
    return { status: 'partial', retry: [], rejected: Array.from({ length: count }, (_, index) => ({ index, reason })) }
  }
  if (status === 413) return { status: 'too-large' }
  if (status === 408 || status === 429 || status >= 500) {
    const error = outputError(name, `HTTP ${status}${detail}`)
    return retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs }
  }
  if (status === 401 || status === 403) {
    return { status: 'fatal', error: outputError(name, `HTTP ${status}: the collector refused the credentials; check the output's headers (API key, authorization)${detail}`) }
  }
  const reason = `HTTP ${status}${detail}`
  if (status === 400) return { status: 'malformed', reason, sinkStatus: status }
  return { status: 'partial', retry: [], rejected: Array.from({ length: count }, (_, index) => ({ index, reason, status })) }
}
