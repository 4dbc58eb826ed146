import { isIP } from 'node:net'

/** Where one Redis server is, parsed from `redis://` / `rediss://` URLs. */
export interface RedisAddress {
  readonly host: string
  readonly port: number
  readonly tls: boolean
  readonly db: number
  readonly username?: string
  readonly password?: string
  /** `redis://host:port/db` without credentials: for names, messages and health. */
  readonly label: string
}

/** Redis listens here unless told otherwise. */
const DEFAULT_PORT = 6379

/**
 * Parses `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). A lone name
 * without a colon (`redis://secret@host`) is taken as a password (for the `default` user),
 * never shown. Problems never quote the URL: it may hold a password.
 */
export function parseRedisUrl(text: string): RedisAddress | { problem: string } {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { problem: 'expected a URL such as redis://127.0.0.1:6379 or rediss://user:password@redis.internal:6380/0' }
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return { problem: `expected the scheme redis:// or rediss:// (TLS), got ${url.protocol}//` }
  if (!url.hostname) return { problem: 'expected a host, e.g. redis://127.0.0.1:6379' }
  if (url.search || url.hash) return { problem: 'expected no query or fragment in the URL; use the options username, password, db and tls instead' }
  const path = url.pathname.replace(/^\/+/, '')
  if (path !== '' && !/^\d+$/.test(path)) return { problem: 'expected the URL path to be a database number such as /0, or no path' }
  const db = path === '' ? 0 : Number(path)
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port)
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  const hostText = isIP(host) === 6 ? `[${host}]` : host
  const user = decodeURIComponent(url.username)
  const pass = decodeURIComponent(url.password)
  const credentials: { username?: string; password?: string } = {}
  if (pass !== '') {
    if (user !== '') credentials.username = user
    credentials.password = pass
  } else if (user !== '') {
    credentials.password = user
  }
  return { host, port, tls: url.protocol === 'rediss:', db, ...credentials, label: `${url.protocol}//${hostText}:${port}/${db}` }
}
