import { describeError } from '../errors.js'
import { certificateDateProblem, UNTRUSTED_CERT_CODES } from '../tls-errors.js'

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined
  if (typeof e?.code === 'string') return e.code
  return typeof e?.cause?.code === 'string' ? e.cause.code : ''
}

/**
 * Why an HTTP request of an output got no answer, in plain words with what to do. TLS
 * problems (the most common set-up mistakes, which retrying never fixes) are explained;
 * anything else is the error's own text, on one line (OpenSSL errors are multi-line dumps).
 * `addressSetting` is the option that holds the server's address (`url`, `hosts`, `endpoint`).
 */
export function describeRequestFailure(err: unknown, addressSetting: string): string {
  const code = codeOf(err)
  const text = oneLine(err)
  const dates = certificateDateProblem(code, "the server's certificate", code)
  if (dates) return dates
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS: the server's certificate is not issued for the host name in output.${addressSetting} (${text}); use a name the certificate lists, or set output.tls.servername to one`
  }
  if (UNTRUSTED_CERT_CODES.has(code)) {
    return `TLS: the server's certificate is not signed by a CA this process trusts (${text}); set output.tls.ca to the CA certificate that signed it`
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return `TLS: the server did not answer with TLS (${code}); if it speaks plain HTTP, use an http:// address in output.${addressSetting}`
  }
  return text
}

/** describeError on one line: OpenSSL's `reason` instead of its dump, newlines folded. */
function oneLine(err: unknown): string {
  const reason = (err as { reason?: unknown } | undefined)?.reason
  const code = codeOf(err)
  if (typeof reason === 'string' && code) return `${reason} (${code})`
  return describeError(err)
    .replace(/\s*\n\s*/g, ' ')
    .trim()
}
