import { constants } from 'node:zlib'
import { CompressorPool } from '../util/compressor-pool.js'
import { Pool } from 'undici'
import type { Batch, Output, SendResult } from './output.js'
import { ndjsonOf } from './ndjson.js'
import { isRedirect, redirectResult, resultForStatus, retryAfterMs } from './http-status.js'
import { outputError } from '../errors.js'
import { readReply } from './read-reply.js'
import { tlsConnectOptions } from './tls.js'
import { redactUrl, type HttpOutputOptions } from './http-options.js'
import { basicAuthOf } from './url-auth.js'
import { describeRequestFailure } from './request-failure.js'
import { webPageReply } from './web-page-reply.js'

export type { HttpOutputOptions } from './http-options.js'

export { redactUrl }

export function createHttpOutput(options: HttpOutputOptions): Output {
  const url = new URL(options.url)
  const name = `http(${redactUrl(url)})`
  const basic = basicAuthOf(url)
  const auth = basic ? { authorization: basic } : {}
  const pool = new Pool(url.origin, {
    connections: options.maxInFlight,
    keepAliveTimeout: 10_000,
    connect: options.tls ? tlsConnectOptions(options.tls) : {},
  })
  const headers = {
    'content-type': 'application/x-ndjson',
    ...(options.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    ...auth,
    ...options.headers,
  }
  const path = `${url.pathname}${url.search}`
  const gzip = options.compression === 'gzip' ? new CompressorPool({ format: 'gzip', level: constants.Z_DEFAULT_COMPRESSION, atOnce: options.maxInFlight }) : undefined

  return {
    name,
    maxInFlight: options.maxInFlight,
    async send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
      try {
        const raw = ndjsonOf(batch)
        const body = gzip ? await gzip.compressToBuffer(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
        const res = await pool.request({
          method: 'POST',
          path,
          headers,
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
        })
        const text = await readReply(res)
        if (isRedirect(res.statusCode)) return redirectResult(name, res.statusCode, res.headers.location, 'url', url.href)
        const page = webPageReply(name, res.statusCode, String(res.headers['content-type'] ?? ''), text, 'output.url')
        return page ?? resultForStatus(name, res.statusCode, text, batch.records.length, retryAfterMs(res.headers['retry-after']))
      } catch (err) {
        return { status: 'retryable', error: outputError(name, `request failed: ${describeRequestFailure(err, 'url')}`, err) }
      }
    },
    async close() {
      gzip?.close()
      await pool.close()
    },
  }
}
