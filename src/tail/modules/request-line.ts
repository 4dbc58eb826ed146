/**
 * An HTTP request line as servers log it: `METHOD target HTTP/x.y`, or `METHOD target`
 * (HTTP/0.9). Undefined when the first word is not a method token (TLS handshakes and
 * scanners sent to a plain-HTTP port), so no `http.request.method` or `url.*` is made up.
 */
export interface RequestLine {
  method: string
  /** As logged, still escaped. Empty when the line has no target. */
  target: string
  version?: string
}

export function parseRequestLine(raw: string): RequestLine | undefined {
  const firstSpace = raw.indexOf(' ')
  if (firstSpace <= 0) return undefined
  const method = raw.slice(0, firstSpace)
  if (!isMethod(method)) return undefined
  const lastSpace = raw.lastIndexOf(' ')
  if (lastSpace > firstSpace && raw.startsWith('HTTP/', lastSpace + 1)) {
    return { method, target: raw.slice(firstSpace + 1, lastSpace), version: raw.slice(lastSpace + 6) }
  }
  return { method, target: raw.slice(firstSpace + 1) }
}

const TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~"

/** An HTTP method is a token (RFC 9110): letters, digits and `!#$%&'*+-.^_`|~`. */
function isMethod(text: string): boolean {
  if (text.length > 40) return false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const alnum = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
    if (!alnum && TOKEN_SYMBOLS.indexOf(text[i]!) < 0) return false
  }
  return true
}
