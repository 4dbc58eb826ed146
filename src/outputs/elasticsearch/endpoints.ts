import type { ElasticsearchAuth, ElasticsearchOutputOptions } from './options.js'

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
    if (!url.username) return endpoint
    const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')
    return { ...endpoint, urlAuthorization: `Basic ${basic}` }
  })
}

/**
 * Elastic Cloud IDs are `label:base64(host[:port]$es_uuid[$kibana_uuid])`; the cluster is at
 * `https://es_uuid.host[:port]`.
 */
export function decodeCloudId(cloudId: string): string {
  const colon = cloudId.indexOf(':')
  const encoded = colon === -1 ? cloudId : cloudId.slice(colon + 1)
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const [hostPart, esUuid] = decoded.split('$')
  if (!hostPart || !esUuid || !/^[\w.-]+(:\d+)?$/.test(hostPart)) {
    throw new Error('cloudId is not a valid Elastic Cloud ID; copy it from the deployment page (it looks like name:base64text)')
  }
  const [host, port] = hostPart.split(':')
  return `https://${esUuid}.${host}${port && port !== '443' ? `:${port}` : ''}`
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
