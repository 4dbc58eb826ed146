import type { SendResult } from './output.js'
import { outputError } from '../errors.js'
import { replyExcerpt } from '../redact.js'

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
 * Maps a whole-request HTTP status to a SendResult: 2xx delivered; 413 too large;
 * 408, 429 and 5xx retryable; 401/403 fatal (credentials); other 4xx rejects every record.
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
  return { status: 'partial', retry: [], rejected: Array.from({ length: count }, (_, index) => ({ index, reason, status })) }
}
