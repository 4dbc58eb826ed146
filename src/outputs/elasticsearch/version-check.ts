import type { Dispatcher } from 'undici'
import { readReply, parseReplyJson } from '../read-reply.js'
import { isRedirect, redirectMessage } from '../http-status.js'
import type { Endpoint } from './endpoints.js'
import { describeRequestFailure } from '../request-failure.js'

/** The oldest Elasticsearch major logship speaks `_bulk` to (no `_type`, `create` with ids). */
const MIN_MAJOR = 7

export type ServerVerdict =
  | { readonly ok: true; readonly version: string; readonly major: number; readonly product: 'Elasticsearch' | 'OpenSearch' }
  /** `fatal`: nothing will work until someone changes the config or the server; otherwise retry later. */
  | { readonly ok: false; readonly fatal: boolean; readonly message: string }

/**
 * Judges the answer to `GET /`. Pure. Elasticsearch 7.14+ sends `X-Elastic-Product`; older
 * ones are recognised by the tagline. OpenSearch speaks the same `_bulk` and is accepted.
 */
export function judgeServerInfo(status: number, productHeader: string | undefined, text: string): ServerVerdict {
  if (status === 401) return { ok: false, fatal: true, message: "Elasticsearch refused the credentials (HTTP 401); check the output's auth (username/password, apiKey or bearer)" }
  if (status === 403) {
    // a user allowed to write but not to read cluster info: the version check is impossible, not wrong
    return { ok: true, version: 'unknown', major: MIN_MAJOR, product: 'Elasticsearch' }
  }
  if (status === 429 || status >= 500) return { ok: false, fatal: false, message: `GET / answered HTTP ${status}` }
  let info: { version?: { number?: unknown; distribution?: unknown }; tagline?: unknown }
  try {
    info = parseReplyJson(text) as typeof info
  } catch {
    return {
      ok: false,
      fatal: true,
      message: `this is not an Elasticsearch server: GET / answered HTTP ${status} with ${text.length === 0 ? 'an empty body' : 'a body that is not JSON'}`,
    }
  }
  const number = typeof info?.version?.number === 'string' ? info.version.number : undefined
  const major = number ? Number.parseInt(number, 10) : Number.NaN
  if (info?.version?.distribution === 'opensearch' && number) return { ok: true, version: number, major, product: 'OpenSearch' }
  const looksLikeEs = productHeader === 'Elasticsearch' || info?.tagline === 'You Know, for Search'
  if (status < 200 || status >= 300 || !number || Number.isNaN(major) || !looksLikeEs) {
    return { ok: false, fatal: true, message: `this is not an Elasticsearch server: GET / answered HTTP ${status} without an Elasticsearch version and product name` }
  }
  if (major < MIN_MAJOR) {
    return { ok: false, fatal: true, message: `Elasticsearch ${number} is not supported; logship needs Elasticsearch ${MIN_MAJOR}.x or newer` }
  }
  if (productHeader !== 'Elasticsearch' && major >= 8) {
    return {
      ok: false,
      fatal: true,
      message: `the server says it is Elasticsearch ${number} but does not send X-Elastic-Product: Elasticsearch; it is not a genuine Elasticsearch server`,
    }
  }
  return { ok: true, version: number, major, product: 'Elasticsearch' }
}

/** `GET /` on one node. Network failures are not fatal: the node may come back. */
export async function checkServer(dispatcher: Dispatcher, endpoint: Endpoint, headers: Record<string, string>, signal: AbortSignal): Promise<ServerVerdict> {
  try {
    const res = await dispatcher.request({ origin: endpoint.origin, method: 'GET', path: `${endpoint.basePath}/`, headers, signal })
    const text = await readReply(res)
    if (isRedirect(res.statusCode)) {
      return { ok: false, fatal: true, message: `GET / answered ${redirectMessage(res.statusCode, res.headers.location, 'hosts', endpoint.origin)}` }
    }
    const product = res.headers['x-elastic-product']
    return judgeServerInfo(res.statusCode, Array.isArray(product) ? product[0] : product, text)
  } catch (err) {
    return { ok: false, fatal: false, message: `GET / failed: ${describeRequestFailure(err, 'hosts')}` }
  }
}
