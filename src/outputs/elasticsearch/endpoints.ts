import type { ElasticsearchAuth, ElasticsearchOutputOptions } from './options.js'
import { decodeCloudId } from './cloud-id.js'
import { basicAuthOf } from '../url-auth.js'

/** One node to send to: its origin, an optional path prefix (behind a proxy), its credentials. */
export interface Endpoint {
  readonly origin: string
  /** `''` or a prefix such as `/es` (no trailing slash). */
  readonly basePath: string
  /** For names and messages: never holds credentials. */
  readonly label: string
  /** `Authorization` from credentials written into the URL (`http://user:pass@host`), if any. */
  readonly urlAuthorization?: string
}

export function resolveEndpoints(options: Pick<ElasticsearchOutputOptions, 'hosts' | 'cloudId'>): Endpoint[] {
  const urls = (options.hosts ?? []).map((h) => new URL(h))
  if (options.cloudId) urls.push(new URL(decodeCloudId(options.cloudId)))
  return urls.map((url) => {
    const basePath = url.pathname.replace(/\/+$/, '')
    const endpoint: Endpoint = { origin: url.origin, basePath, label: `${url.origin}${basePath}` }
    const urlAuthorization = basicAuthOf(url)
    return urlAuthorization ? { ...endpoint, urlAuthorization } : endpoint
  })
}

/** The `Authorization` header for the configured credentials. */
export function authorizationHeader(auth: ElasticsearchAuth | undefined): string | undefined {
  if (!auth) return undefined
  if ('username' in auth) return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
  if ('apiKey' in auth) {
    // `id:api_key` is what Beats configs hold; Elasticsearch wants it base64-encoded
    const key = auth.apiKey.includes(':') ? Buffer.from(auth.apiKey).toString('base64') : auth.apiKey
    return `ApiKey ${key}`
  }
  return `Bearer ${auth.bearer}`
}
