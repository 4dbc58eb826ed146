import { CompressorPool } from '../../util/compressor-pool.js'
import { hostname } from 'node:os'
import type { Batch, Output, SendResult } from '../output.js'
import { outputError } from '../../errors.js'
import { isRedirect, redirectResult, retryAfterMs } from '../http-status.js'
import { redactUrl } from '../http.js'
import { VERSION } from '../../version.js'
import { logsUrl, type OtlpOutputOptions } from './options.js'
import { logModelOf, parseRecord, type Attribute, type LogModel } from './log-model.js'
import { groupByResource } from './group.js'
import type { Scope } from './encode-protobuf.js'
import { ScanEncoder } from './encode-scan.js'
import { encodeExportRequestJson } from './encode-json.js'
import { readErrorMessage, readPartialSuccess, resultForReply, type PartialSuccess } from './response.js'
import { replyExcerpt } from '../../redact.js'
import { EndpointHealth } from './endpoint-health.js'
import { readReplyBytes } from '../read-reply.js'
import { basicAuthOf } from '../url-auth.js'
import { keepAlivePool } from '../keep-alive-pool.js'
import { describeRequestFailure } from '../request-failure.js'

/** The InstrumentationScope of every log record logship sends. */
export const SCOPE: Scope = { name: 'logship', version: VERSION }

/**
 * The OTLP/HTTP logs output: each batch becomes one `ExportLogsServiceRequest` (protobuf or
 * JSON, gzip), POSTed to `{endpoint}/v1/logs` over a keep-alive undici pool. The reply's
 * status and `partial_success` decide the batch's fate (see response.ts).
 */
export function createOtlpOutput(options: OtlpOutputOptions): Output {
  const url = logsUrl(options.endpoint)
  const where = redactUrl(url)
  const name = `otlp(${where})`
  const json = options.encoding === 'json'
  const pool = keepAlivePool(url.origin, { connections: options.maxInFlight, timeoutMs: options.timeoutMs, tls: options.tls })
  const basic = basicAuthOf(url)
  const basicAuth = basic ? { authorization: basic } : {}
  const headers: Record<string, string> = {
    'content-type': json ? 'application/json' : 'application/x-protobuf',
    ...(options.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    'user-agent': `logship/${VERSION}`,
    ...basicAuth,
    ...Object.fromEntries(Object.entries(options.headers).map(([k, v]) => [k.toLowerCase(), v])),
  }
  const path = `${url.pathname}${url.search}`
  const gzip = options.compression === 'gzip' ? new CompressorPool({ format: 'gzip', level: 1, atOnce: options.maxInFlight }) : undefined
  const resourceKeys = new Set(options.resourceKeys)
  const fixedResource: Attribute[] = Object.entries(options.resource)
  const defaultResource: Attribute[] = [['host.name', hostname()]]
  const endpoint = new EndpointHealth(where)

  const protobuf = new ScanEncoder(SCOPE, resourceKeys, fixedResource, defaultResource)

  /** Protobuf straight from the records' text (encode-scan.ts); OTLP/JSON through the object model. */
  function encode(records: readonly Uint8Array[]): Uint8Array | string {
    const observed = BigInt(Date.now()) * 1_000_000n
    if (!json) return protobuf.encode(records, observed)
    const models: LogModel[] = records.map((record) => logModelOf(parseRecord(record), resourceKeys))
    return encodeExportRequestJson(groupByResource(models, fixedResource, defaultResource), SCOPE, observed)
  }

  return {
    name,
    maxInFlight: options.maxInFlight,

    async send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
      const count = batch.records.length
      try {
        const raw = encode(batch.records)
        const body = gzip ? await gzip.compressToBuffer(raw) : typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
        const res = await pool.request({ method: 'POST', path, headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) })
        const reply = await readReplyBytes(res)
        if (isRedirect(res.statusCode)) {
          const result = redirectResult(name, res.statusCode, res.headers.location, 'endpoint', url.href)
          endpoint.failed(result.error.message)
          return result
        }
        const contentType = String(res.headers['content-type'] ?? '')
        const ok = res.statusCode >= 200 && res.statusCode < 300
        let partial: PartialSuccess | undefined
        if (ok) {
          try {
            partial = readPartialSuccess(reply, /json/i.test(contentType))
          } catch {
            // Not an OTLP answer (a web server's page, a proxy's "OK"): nothing says the records
            // were stored, so they are sent again (a receiver that did store them stores them twice).
            const message = `HTTP ${res.statusCode} with a body that is not an OTLP ExportLogsServiceResponse (content-type ${contentType || 'none'}: ${JSON.stringify(replyExcerpt(reply.toString('utf8'), 80))}); is output.endpoint an OTLP/HTTP receiver? logship sends the batch again`
            endpoint.failed(message)
            return { status: 'retryable', error: outputError(name, message) }
          }
        }
        const message = ok ? '' : readErrorMessage(reply, contentType)
        const result = resultForReply(name, res.statusCode, message, partial, count, retryAfterMs(res.headers['retry-after']))
        if (result.status === 'retryable') endpoint.failed(result.error.message)
        else endpoint.ok()
        return result
      } catch (err) {
        const message = `request failed: ${describeRequestFailure(err, 'endpoint')}`
        endpoint.failed(message)
        return { status: 'retryable', error: outputError(name, message, err) }
      }
    },

    health: () => endpoint.health(),

    async close() {
      gzip?.close()
      await pool.close()
    },
  }
}
