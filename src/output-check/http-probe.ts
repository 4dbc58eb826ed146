import { request } from 'undici'
import type { HttpOutputOptions } from '../outputs/http.js'
import { redactUrl } from '../outputs/http.js'
import { explainAuthStatus, explainRequestError, explainStatus } from './explain.js'
import { probeAgent, tlsWords } from './tls.js'
import { readReply } from '../outputs/read-reply.js'
import type { HostCheck } from './types.js'
import { basicAuthOf } from '../outputs/url-auth.js'

/**
 * The http output: POSTs an empty NDJSON body (zero events) with the output's real headers
 * and credentials, so reachability, TLS and auth are tested exactly as shipping would, and
 * nothing is stored.
 */
export async function probeHttp(options: HttpOutputOptions, timeoutMs: number): Promise<HostCheck[]> {
  const url = new URL(options.url)
  const where = redactUrl(url)
  const credentials = credentialsOf(url, options.headers)
  const basic = basicAuthOf(url)
  const auth = basic ? { authorization: basic } : {}
  const agent = probeAgent(options.tls, timeoutMs)
  try {
    const res = await request(`${url.origin}${url.pathname}${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', ...auth, ...options.headers },
      body: '',
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    })
    const body = await readReply(res)
    const tls = url.protocol === 'https:' ? ` over TLS (${tlsWords(options.tls)})` : ''
    if (res.statusCode >= 200 && res.statusCode < 300) return [{ host: where, ok: true, message: `${where} answered ${res.statusCode}${tls}; an empty batch was accepted` }]
    if (res.statusCode === 401 || res.statusCode === 403) return [{ host: where, ok: false, message: explainAuthStatus(res.statusCode, where, credentials) }]
    if (res.statusCode === 400 || res.statusCode === 405 || res.statusCode === 411 || res.statusCode === 415) {
      // the server is there and took the credentials; it only disliked the empty probe body
      return [{ host: where, ok: true, message: `${where} answered ${res.statusCode} to an empty batch${tls}: it is reachable; run with --write to send a real test event` }]
    }
    return [{ host: where, ok: false, message: explainStatus(res.statusCode, where, body) }]
  } catch (err) {
    return [{ host: where, ok: false, message: explainRequestError(err, where, timeoutMs) }]
  } finally {
    await agent.close()
  }
}

function credentialsOf(url: URL, headers: Record<string, string>): string {
  const authorization = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1]
  if (authorization) return /^bearer /i.test(authorization) ? 'bearer token' : /^apikey /i.test(authorization) ? 'API key' : 'credentials in the authorization header'
  if (url.username) return 'user name and password in the URL'
  return 'request without credentials (the server wants some: add an authorization header)'
}
