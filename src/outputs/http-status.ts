import type { SendResult } from './output.js'
import { outputError } from '../errors.js'
import { replyExcerpt } from '../redact.js'

/** 3xx: the server points somewhere else (logship does not follow redirects). */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400
}

/**
 * What a redirect says, for messages: where it points (without credentials or query) and
 * what to change. logship does not follow redirects: it would resend whole batches, and the
 * credentials with them, to wherever a server says. The events are not refused, the address
 * is wrong: the answer is fatal (the engine keeps the events and retries slowly), never a rejection.
 */
export function redirectMessage(status: number, location: string | string[] | undefined, setting: string, base?: string): string {
  const where = Array.isArray(location) ? location[0] : location
  let target = 'no Location'
  if (where) {
    try {
      const url = new URL(where, base)
      target = `${url.protocol}//${url.host}${url.pathname}`
    } catch {
      target = `"${replyExcerpt(where, 100)}"`
    }
  }
  return `HTTP ${status}: the server redirects to ${target}; logship does not follow redirects (it would resend the events and credentials wherever a server says): set the output's ${setting} to the address the events should go to`
}

/** A redirect as a SendResult (see redirectMessage); a relative `location` is resolved against `base`. */
export function redirectResult(name: string, status: number, location: string | string[] | undefined, setting: string, base?: string): Extract<SendResult, { status: 'fatal' }> {
  return { status: 'fatal', error: outputError(name, redirectMessage(status, location, setting, base)) }
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * Maps a whole-request HTTP status to a SendResult (redirects are handled before, see
 * redirectResult): 2xx delivered; 413 too large;
 * 408, 429 and 5xx retryable; 401/403 fatal (credentials); 400 and 422 malformed (the engine
 * bisects the batch to find the records to blame); other 4xx rejects every record.
 */
export function resultForStatus(name: string, status: number, body: string, count: number, retryAfter?: number): SendResult {
  if (status >= 200 && status < 300) return { status: 'delivered' }
  if (status === 413) return { status: 'too-large' }
  const detail = body ? `: ${replyExcerpt(body)}` : ''
  if (status === 408 || status === 429 || status >= 500) {
    const error = outputError(name, `HTTP ${status}${detail}`)
    return retryAfter === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs: retryAfter }
  }
  if (status === 401 || status === 403) {
    return { status: 'fatal', error: outputError(name, `HTTP ${status}: the server refused the credentials; check the output's auth or headers${detail}`) }
  }
  const reason = `HTTP ${status}${detail}`
  if (status === 400 || status === 422) return { status: 'malformed', reason, sinkStatus: status }
  return { status: 'partial', retry: [], rejected: Array.from({ length: count }, (_, index) => ({ index, reason, status })) }
}
