import { replyExcerpt } from '../redact.js'
import { describeError } from '../errors.js'
import { UNTRUSTED_CERT_CODES } from '../tls-errors.js'

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined
  if (typeof e?.cause?.code === 'string') return e.cause.code
  return typeof e?.code === 'string' ? e.code : ''
}

/** Plain words for a request to `where` that got no HTTP answer, with what to do. */
export function explainRequestError(err: unknown, where: string, timeoutMs: number): string {
  const code = codeOf(err)
  const host = new URL(where).hostname
  const detail = describeError((err as { cause?: unknown })?.cause ?? err)
  if (code === 'ECONNREFUSED') return `${where} refused the connection: nothing listens on that port; is the server running, and are host and port right?`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name ${host} does not resolve (${code}); check its spelling and the DNS of this machine`
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where} is unreachable from this machine (${code}); check the network route and firewalls`
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || (err as Error)?.name === 'TimeoutError') {
    return `${where} did not answer within ${timeoutMs} ms; a firewall may drop the packets, or the server is overloaded`
  }
  if (code === 'CERT_HAS_EXPIRED') return `TLS: the certificate of ${where} has expired; renew it on the server`
  if (code === 'CERT_NOT_YET_VALID') return `TLS: the certificate of ${where} is not valid yet; check the clocks of both machines`
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: the certificate of ${where} is not issued for the name ${host}; connect by a name the certificate lists`
  if (UNTRUSTED_CERT_CODES.has(code))
    return `TLS: the certificate of ${where} is not signed by a CA this machine trusts (${code}); set output.tls.ca to the PEM text of the CA that signed it`
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') return `TLS: ${where} did not answer with TLS (${code}); if the server speaks plain HTTP, use an http:// URL`
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `${where} closed the connection without answering (${detail}); if the server expects TLS, use an https:// URL`
  return `${where}: the request failed: ${detail}`
}

/** What 401/403 mean for the credentials this output was given. */
export function explainAuthStatus(status: number, where: string, credentials: string): string {
  if (status === 401) return `401 from ${where}: the ${credentials} ${credentials.endsWith('s') ? 'were' : 'was'} rejected; check them (and that they have not expired)`
  return `403 from ${where}: the ${credentials} ${credentials.endsWith('s') ? 'were' : 'was'} accepted, but they lack the permission to write; grant it on the server`
}

/** Plain words for other HTTP statuses from a probe. */
export function explainStatus(status: number, where: string, body: string): string {
  const detail = body.trim() ? `: ${replyExcerpt(body)}` : ''
  if (status === 404) return `404 from ${where}: the server has no such path; check the URL's path${detail}`
  if (status === 429 || status >= 500) return `${status} from ${where}: the server is up but cannot take requests right now${detail}`
  return `${status} from ${where}${detail}`
}
