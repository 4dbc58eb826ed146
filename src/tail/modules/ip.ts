import { isIPv6 } from 'node:net'

/** True for dotted-quad IPv4 text (`10.0.0.1`), each part 0-255 without leading zeros. */
export function isIPv4(text: string): boolean {
  const length = text.length
  if (length < 7 || length > 15) return false
  let parts = 0
  let value = 0
  let digits = 0
  for (let i = 0; i <= length; i++) {
    const c = i === length ? 46 : text.charCodeAt(i)
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255) return false
      parts++
      value = 0
      digits = 0
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return false
      value = value * 10 + (c - 48)
      if (++digits > 3) return false
    } else {
      return false
    }
  }
  return parts === 4
}

/** True for IPv4 or IPv6 text (IPv6 as node:net reads it, zone ids like `fe80::1%eth0` included). */
export function isIP(text: string): boolean {
  if (isIPv4(text)) return true
  // Cheap pre-check before node's IPv6 reader: IPv6 text always has a colon.
  return text.includes(':') && isIPv6(text)
}

/**
 * ECS fields for an address a log wrote: always `address`; `ip` when it is an IP, else
 * `domain` (apache with `HostnameLookups On`, MySQL host names). Undefined for `-` or empty.
 */
export function addressFields(text: string): { address: string; ip?: string; domain?: string } | undefined {
  if (text.length === 0 || text === '-') return undefined
  return isIP(text) ? { address: text, ip: text } : { address: text, domain: text }
}

/**
 * Splits `host:port`, `[v6]:port` and `v6:port` (apache 2.4's `[client ::1:5432]`). With
 * `portAlwaysPresent` false, a bare IPv6 address is left whole rather than losing a group.
 */
export function splitHostPort(text: string, portAlwaysPresent: boolean): { host: string; port?: number } {
  if (text.charCodeAt(0) === 91 /* [ */) {
    const close = text.indexOf(']')
    if (close > 0) {
      const host = text.slice(1, close)
      const port = text.charCodeAt(close + 1) === 58 ? toPort(text.slice(close + 2)) : undefined
      return port === undefined ? { host } : { host, port }
    }
  }
  const colon = text.lastIndexOf(':')
  if (colon <= 0) return { host: text }
  const isV6 = text.indexOf(':') !== colon
  if (isV6 && !portAlwaysPresent) return { host: text }
  const port = toPort(text.slice(colon + 1))
  if (port === undefined) return { host: text }
  const host = text.slice(0, colon)
  if (isV6 && !isIPv6(host)) return { host: text }
  return { host, port }
}

function toPort(text: string): number | undefined {
  if (text.length === 0 || text.length > 5) return undefined
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
  }
  const port = Number(text)
  return port <= 65535 ? port : undefined
}
