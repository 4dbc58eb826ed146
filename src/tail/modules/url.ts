/**
 * ECS `url.*` parts of a request target as written in an access log (`url.original`):
 * origin-form `/a/b?q=1#f`, absolute-form `http://host:8080/a` (proxies), authority-form
 * `host:443` (CONNECT) and asterisk-form `*` (OPTIONS). Nothing is percent-decoded.
 */
const PORT = /^\d{1,5}$/

export interface UrlParts {
  scheme?: string
  domain?: string
  port?: number
  path?: string
  /** Without the `?`; an empty string when the target ends in a bare `?` (as ECS asks). */
  query?: string
  fragment?: string
}

/** Adds the parts of `original` to `into` (and returns it). */
export function splitUrl<T extends object>(original: string, into: T): T & UrlParts {
  const parts = into as T & UrlParts
  const first = original.charCodeAt(0)
  if (first === 47 /* / */) return splitPathQuery(original, 0, parts)
  if (original === '*') return parts
  const schemeEnd = original.indexOf('://')
  if (schemeEnd > 0 && isScheme(original, schemeEnd)) {
    parts.scheme = original.slice(0, schemeEnd).toLowerCase()
    const hostStart = schemeEnd + 3
    let hostEnd = hostStart
    while (hostEnd < original.length) {
      const c = original.charCodeAt(hostEnd)
      if (c === 47 || c === 63 || c === 35) break // / ? #
      hostEnd++
    }
    authority(original.slice(hostStart, hostEnd), parts)
    return hostEnd < original.length ? splitPathQuery(original, hostEnd, parts) : parts
  }
  // CONNECT host:port
  authority(original, parts)
  return parts
}

function isScheme(text: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i) | 0x20
    const ok = (c >= 97 && c <= 122) || (i > 0 && ((c >= 48 && c <= 57) || c === 0x2b || c === 0x2d || c === 0x2e))
    if (!ok) return false
  }
  return true
}

function authority(text: string, parts: UrlParts): void {
  const at = text.lastIndexOf('@')
  const hostPort = at >= 0 ? text.slice(at + 1) : text
  let host = hostPort
  let portText = ''
  if (hostPort.charCodeAt(0) === 91 /* [ */) {
    const close = hostPort.indexOf(']')
    host = close > 0 ? hostPort.slice(1, close) : hostPort
    if (close > 0 && hostPort.charCodeAt(close + 1) === 58) portText = hostPort.slice(close + 2)
  } else {
    const colon = hostPort.lastIndexOf(':')
    if (colon >= 0) {
      host = hostPort.slice(0, colon)
      portText = hostPort.slice(colon + 1)
    }
  }
  if (host.length > 0) parts.domain = host
  if (PORT.test(portText)) parts.port = Number(portText)
}

function splitPathQuery<P extends UrlParts>(text: string, start: number, parts: P): P {
  let hash = text.indexOf('#', start)
  if (hash < 0) hash = text.length
  const question = text.indexOf('?', start)
  if (question >= 0 && question < hash) {
    parts.path = text.slice(start, question)
    parts.query = text.slice(question + 1, hash)
  } else {
    parts.path = text.slice(start, hash)
  }
  if (hash < text.length) parts.fragment = text.slice(hash + 1)
  if (parts.path === '') delete parts.path
  return parts
}
