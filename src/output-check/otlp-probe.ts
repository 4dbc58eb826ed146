import { request } from 'undici'
import { logsUrl, type OtlpOutputOptions } from '../outputs/otlp/options.js'
import { redactUrl } from '../outputs/http.js'
import { explainAuthStatus, explainRequestError, explainStatus } from './explain.js'
import { probeAgent, tlsWords } from './tls.js'
import { readReply } from '../outputs/read-reply.js'
import type { HostCheck } from './types.js'
import { basicAuthOf } from '../outputs/url-auth.js'

/**
 * The otlp output: POSTs an empty `ExportLogsServiceRequest` (no log records) to
 * `{endpoint}/v1/logs` with the output's encoding, headers and TLS, so reachability, TLS,
 * credentials and the encoding are tested as shipping would, and nothing is stored.
 */
export async function probeOtlp(options: OtlpOutputOptions, timeoutMs: number): Promise<HostCheck[]> {
  const url = logsUrl(options.endpoint)
  const where = redactUrl(url)
  const json = options.encoding === 'json'
  const contentType = json ? 'application/json' : 'application/x-protobuf'
  const basic = basicAuthOf(url)
  const auth = basic ? { authorization: basic } : {}
  const headerNames = Object.keys(options.headers).map((k) => k.toLowerCase())
  const credentials = headerNames.includes('authorization')
    ? 'authorization header'
    : headerNames.length > 0
      ? `headers (${headerNames.join(', ')})`
      : url.username
        ? 'user name and password in the URL'
        : 'request without credentials (the collector wants some: set output.headers)'
  const agent = probeAgent(options.tls, timeoutMs)
  try {
    const res = await request(`${url.origin}${url.pathname}${url.search}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...auth, ...options.headers },
      body: json ? '{}' : Buffer.alloc(0),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    })
    const body = await readReply(res)
    const tls = url.protocol === 'https:' ? ` over TLS (${tlsWords(options.tls)})` : ''
    if (res.statusCode >= 200 && res.statusCode < 300) return [{ host: where, ok: true, message: `${where} accepted an empty OTLP ${options.encoding} export request${tls}` }]
    if (res.statusCode === 401 || res.statusCode === 403) return [{ host: where, ok: false, message: explainAuthStatus(res.statusCode, where, credentials) }]
    if (res.statusCode === 415)
      return [{ host: where, ok: false, message: `415 from ${where}: the collector does not take ${contentType}; set output.encoding to ${json ? 'protobuf' : 'json'}` }]
    if (res.statusCode === 404 || res.statusCode === 405)
      return [
        {
          host: where,
          ok: false,
          message: `${res.statusCode} from ${where}: no OTLP/HTTP logs receiver there; point output.endpoint at the collector's OTLP/HTTP port (4318 by default), without /v1/logs`,
        },
      ]
    return [{ host: where, ok: false, message: explainStatus(res.statusCode, where, body) }]
  } catch (err) {
    return [{ host: where, ok: false, message: explainRequestError(err, where, timeoutMs) }]
  } finally {
    await agent.close()
  }
}
