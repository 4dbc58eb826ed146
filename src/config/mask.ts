import { MASK, SECRET_KEY, redactUrlsIn } from '../redact.js'

/** Header names that are safe to show. */
const PLAIN_HEADERS = new Set(['content-type', 'accept', 'user-agent', 'content-encoding'])

/**
 * A copy of the effective config safe to print: secret-looking keys, header values, inline
 * PEM keys, URL userinfo (a lone user name is a token) and URL query values are replaced by `***`.
 */
export function maskSecrets(value: unknown, key = '', parent = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key, parent))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = maskSecrets(v, k, key)
    return out
  }
  if (typeof value !== 'string') return value
  if (SECRET_KEY.test(key)) return MASK
  if (parent === 'headers' && !PLAIN_HEADERS.has(key.toLowerCase())) return MASK
  if (value.includes('-----BEGIN') && /PRIVATE KEY/.test(value)) return MASK
  return redactUrlsIn(value)
}
