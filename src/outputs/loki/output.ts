import { CompressorPool } from '../../util/compressor-pool.js'
import type { Batch, Output, SendResult } from '../output.js'
import { outputError } from '../../errors.js'
import { isRedirect, redirectResult, retryAfterMs } from '../http-status.js'
import { redactUrl } from '../http.js'
import { readReply } from '../read-reply.js'
import { replyExcerpt } from '../../redact.js'
import { VERSION } from '../../version.js'
import { EndpointHealth } from '../otlp/endpoint-health.js'
import { authorizationOf, pushUrl, type LokiOutputOptions } from './options.js'
import { StreamBuilder } from './streams.js'
import { encodePushJson, encodePushRequest } from './encode.js'
import { basicAuthOf } from '../url-auth.js'
import { keepAlivePool } from '../keep-alive-pool.js'
import { describeRequestFailure } from '../request-failure.js'
import { webPageReply } from '../web-page-reply.js'

/**
 * The Grafana Loki output: each batch becomes one push request (`POST /loki/api/v1/push`),
 * protobuf + snappy by default, streams keyed by the configured labels with a cap on how
 * many there may be, entries in time order per stream.
 */
export function createLokiOutput(options: LokiOutputOptions): Output {
  const url = pushUrl(options.url)
  const where = redactUrl(url)
  const name = `loki(${where})`
  const json = options.encoding === 'json'
  const pool = keepAlivePool(url.origin, { connections: options.maxInFlight, timeoutMs: options.timeoutMs, tls: options.tls })
  const urlAuth = basicAuthOf(url)
  const authorization = authorizationOf(options.auth) ?? urlAuth
  const headers: Record<string, string> = {
    'content-type': json ? 'application/json' : 'application/x-protobuf',
    ...(json && options.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    'user-agent': `logship/${VERSION}`,
    ...(authorization ? { authorization } : {}),
    ...(options.tenant ? { 'x-scope-orgid': options.tenant } : {}),
    ...Object.fromEntries(Object.entries(options.headers).map(([k, v]) => [k.toLowerCase(), v])),
  }
  const path = `${url.pathname}${url.search}`
  const gzip = json && options.compression === 'gzip' ? new CompressorPool({ format: 'gzip', level: 1, atOnce: options.maxInFlight }) : undefined
  const streams = new StreamBuilder(options.labels, options.structuredMetadata, options.maxStreams)
  const endpoint = new EndpointHealth(where)
  let report: ((message: string) => void) | undefined
  streams.onOverflow = (refused, count) =>
    report?.(
      `more than ${options.maxStreams} distinct label sets (output.maxStreams): ${count} event(s) so far went to the overflow stream (logship_overflow="true") instead of ${refused}; use fewer or lower-cardinality labels (move per-event values to structuredMetadata)`,
    )

  return {
    name,
    maxInFlight: options.maxInFlight,

    async send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
      const count = batch.records.length
      try {
        const built = streams.build(batch.records, BigInt(Date.now()) * 1_000_000n)
        const body = json ? (gzip ? await gzip.compressToBuffer(encodePushJson(built)) : encodePushJson(built)) : encodePushRequest(built)
        const res = await pool.request({ method: 'POST', path, headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) })
        const text = await readReply(res)
        if (isRedirect(res.statusCode)) {
          const result = redirectResult(name, res.statusCode, res.headers.location, 'url', url.href)
          endpoint.failed(result.error.message)
          return result
        }
        const page = webPageReply(name, res.statusCode, String(res.headers['content-type'] ?? ''), text, 'output.url')
        const result = page ?? resultForStatus(name, res.statusCode, text, count, retryAfterMs(res.headers['retry-after']))
        if (result.status === 'retryable') endpoint.failed(result.error.message)
        else endpoint.ok()
        return result
      } catch (err) {
        const message = `request failed: ${describeRequestFailure(err, 'url')}`
        endpoint.failed(message)
        return { status: 'retryable', error: outputError(name, message, err) }
      }
    },

    health: () => endpoint.health(),
    reportTo: (r) => {
      report = (message) => r(`${name}: ${message}`)
    },

    async close() {
      gzip?.close()
      await pool.close()
    },
  }
}

/**
 * Loki's answers: 204/2xx stored; 429 (rate limits) and 5xx retried with Retry-After; 413 split;
 * 400 malformed: Loki refuses entries (out of order, too old, line too long) with a 400 after
 * storing the others, so the engine bisects and resends, which Loki deduplicates (same stream,
 * time and line), until only the entries it refuses on their own are dead-lettered with its
 * words; 401/403 fatal; other 4xx refuse every entry.
 */
export function resultForStatus(name: string, status: number, body: string, count: number, retryAfter?: number): SendResult {
  if (status >= 200 && status < 300) return { status: 'delivered' }
  if (status === 413) return { status: 'too-large' }
  const detail = body.trim() ? `: ${replyExcerpt(body.trim(), 300)}` : ''
  if (status === 408 || status === 429 || status >= 500) {
    const error = outputError(name, `HTTP ${status}${detail}`)
    return retryAfter === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs: retryAfter }
  }
  if (status === 401 || status === 403)
    return { status: 'fatal', error: outputError(name, `HTTP ${status}: Loki refused the credentials; check output.auth, output.tenant and output.headers${detail}`) }
  const reason = `HTTP ${status}${detail}`
  if (status === 400) return { status: 'malformed', reason, sinkStatus: status }
  return { status: 'partial', retry: [], rejected: Array.from({ length: count }, (_, index) => ({ index, reason, status })) }
}
