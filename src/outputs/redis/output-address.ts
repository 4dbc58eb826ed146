import type { RedisOutputOptions } from './options.js'
import { parseRedisUrl, type RedisAddress } from './address.js'

/** Where the output writes, from the URL and the options that override it. */
export function redisAddress(options: RedisOutputOptions): RedisAddress {
  const parsed = parseRedisUrl(options.url)
  if ('problem' in parsed) throw new Error(`output.url: ${parsed.problem}`)
  const username = options.username ?? parsed.username
  const password = options.password ?? parsed.password
  const db = options.db ?? parsed.db
  const tls = parsed.tls || options.tls !== undefined
  const scheme = tls ? 'rediss' : 'redis'
  const hostText = parsed.label.slice(parsed.label.indexOf('//') + 2, parsed.label.lastIndexOf(':'))
  return {
    host: parsed.host,
    port: parsed.port,
    tls,
    db,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    label: `${scheme}://${hostText}:${parsed.port}/${db}`,
  }
}
