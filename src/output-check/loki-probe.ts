import { request } from 'undici'
import { authorizationOf, pushUrl, type LokiOutputOptions } from '../outputs/loki/options.js'
import { redactUrl } from '../outputs/http.js'
import { explainAuthStatus, explainRequestError, explainStatus } from './explain.js'
import { probeAgent, tlsWords } from './tls.js'
import { readReply, parseReplyJson } from '../outputs/read-reply.js'
import type { HostCheck } from './types.js'
import { basicAuthOf } from '../outputs/url-auth.js'

/**
 * The loki output: `GET /loki/api/v1/status/buildinfo` with the output's credentials, tenant
 * and TLS, which says the server is Loki and which version, without pushing anything.
 */
export async function probeLoki(options: LokiOutputOptions, timeoutMs: number): Promise<HostCheck[]> {
  const push = pushUrl(options.url)
  const where = redactUrl(push)
  const base = push.pathname.replace(/\/loki\/api\/v1\/push\/?$/, '')
  const urlAuth = basicAuthOf(push)
  const authorization = authorizationOf(options.auth) ?? urlAuth
  const credentials = !options.auth
    ? urlAuth
      ? 'user name and password in the URL'
      : 'request without credentials (Loki wants some: set output.auth)'
    : 'bearer' in options.auth
      ? 'bearer token'
      : 'user name and password'
  const agent = probeAgent(options.tls, timeoutMs)
  try {
    const res = await request(`${push.origin}${base}/loki/api/v1/status/buildinfo`, {
      headers: { ...(authorization ? { authorization } : {}), ...(options.tenant ? { 'x-scope-orgid': options.tenant } : {}), ...options.headers },
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    })
    const body = await readReply(res)
    const tls = push.protocol === 'https:' ? `, over TLS (${tlsWords(options.tls)})` : ''
    if (res.statusCode === 401 || res.statusCode === 403) {
      const tenant = !options.tenant && /org ?id/i.test(body) ? '; this Loki is multi-tenant: set output.tenant (X-Scope-OrgID)' : ''
      return [{ host: where, ok: false, message: `${explainAuthStatus(res.statusCode, where, credentials)}${tenant}` }]
    }
    if (res.statusCode === 404)
      return [
        {
          host: where,
          ok: false,
          message: `404 from ${push.origin}${base}/loki/api/v1/status/buildinfo: no Loki API there; point output.url at Loki's HTTP port (3100 by default), without /loki/api/v1/push`,
        },
      ]
    if (res.statusCode !== 200) return [{ host: where, ok: false, message: explainStatus(res.statusCode, where, body) }]
    let version: unknown
    try {
      version = (parseReplyJson(body) as { version?: unknown } | null)?.version
    } catch {
      // not JSON: not Loki
    }
    if (typeof version !== 'string')
      return [{ host: where, ok: false, message: `${where}: the server answered, but not like Loki (no version in /loki/api/v1/status/buildinfo); check output.url` }]
    return [{ host: where, ok: true, message: `${where} is Loki ${version}${tls}; credentials accepted${options.tenant ? ` for tenant ${options.tenant}` : ''}` }]
  } catch (err) {
    return [{ host: where, ok: false, message: explainRequestError(err, where, timeoutMs) }]
  } finally {
    await agent.close()
  }
}
