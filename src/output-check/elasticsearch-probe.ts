import { request } from 'undici'
import type { ElasticsearchOutputOptions } from '../outputs/elasticsearch/options.js'
import { authorizationHeader, resolveEndpoints } from '../outputs/elasticsearch/endpoints.js'
import { judgeServerInfo } from '../outputs/elasticsearch/version-check.js'
import { explainAuthStatus, explainRequestError, explainStatus } from './explain.js'
import { probeAgent, tlsWords } from './tls.js'
import { readReply } from '../outputs/read-reply.js'
import type { HostCheck } from './types.js'

/** Elasticsearch: `GET /` on every host, as the output does before its first bulk request. */
export async function probeElasticsearch(options: ElasticsearchOutputOptions, timeoutMs: number): Promise<HostCheck[]> {
  const configured = authorizationHeader(options.auth)
  return Promise.all(
    resolveEndpoints(options).map(async (endpoint): Promise<HostCheck> => {
      const where = endpoint.label
      const authorization = configured ?? endpoint.urlAuthorization
      const credentials = !options.auth
        ? endpoint.urlAuthorization
          ? 'user name and password in the URL'
          : 'request without credentials (the cluster wants some: set output.auth)'
        : 'apiKey' in options.auth
          ? 'API key'
          : 'bearer' in options.auth
            ? 'bearer token'
            : 'user name and password'
      const agent = probeAgent(options.tls, timeoutMs)
      try {
        const res = await request(`${endpoint.origin}${endpoint.basePath}/`, {
          headers: { ...(authorization ? { authorization } : {}), ...options.headers },
          dispatcher: agent,
          signal: AbortSignal.timeout(timeoutMs),
        })
        const text = await readReply(res)
        if (res.statusCode === 401) return { host: where, ok: false, message: explainAuthStatus(401, where, credentials) }
        if (res.statusCode === 403)
          return {
            host: where,
            ok: true,
            message: `${where} accepted the ${credentials} but they may not read the cluster version (403 on GET /); shipping only needs write access: run with --write to check it`,
          }
        if (res.statusCode === 404) return { host: where, ok: false, message: explainStatus(404, where, text) }
        const product = res.headers['x-elastic-product']
        const verdict = judgeServerInfo(res.statusCode, Array.isArray(product) ? product[0] : product, text)
        if (!verdict.ok) return { host: where, ok: false, message: verdict.fatal ? `${where}: ${verdict.message}` : explainStatus(res.statusCode, where, text) }
        const tls = endpoint.origin.startsWith('https:') ? `, over TLS (${tlsWords(options.tls)})` : ''
        return { host: where, ok: true, message: `${where} is ${verdict.product} ${verdict.version}${tls}; credentials accepted` }
      } catch (err) {
        return { host: where, ok: false, message: explainRequestError(err, where, timeoutMs) }
      } finally {
        await agent.close()
      }
    }),
  )
}
