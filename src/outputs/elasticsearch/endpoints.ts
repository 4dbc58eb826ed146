import type { ElasticsearchOutputOptions } from './options.js'
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

/** The `Authorization` header for the configured credentials (shared with the other URL outputs). */
export { authorizationOf as authorizationHeader } from '../url-output-options.js'
