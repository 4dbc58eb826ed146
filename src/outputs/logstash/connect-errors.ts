import { describeError } from '../../errors.js'
import { CERTIFICATE_CODES, certificateDateProblem } from '../../tls-errors.js'

export interface ConnectionProblem {
  readonly message: string
  /** A configuration problem (certificates): the output reports it as fatal when no host works. */
  readonly config: boolean
}

/** Plain words for why a connection to `address` failed, and what to do about it. */
export function explainConnectionError(err: unknown, address: string): ConnectionProblem {
  const code = (err as { code?: unknown } | undefined)?.code
  // OpenSSL errors carry a short `reason` ("tlsv13 alert certificate required"); their message is a long dump
  const reason = (err as { reason?: unknown } | undefined)?.reason
  const text = typeof reason === 'string' && typeof code === 'string' ? `${reason} (${code})` : describeError(err)
  if (code === 'ECONNREFUSED') return { message: `${address} refused the connection (${code}): is Logstash running with a beats input on that port?`, config: false }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { message: `cannot resolve the host of ${address} (${code})`, config: false }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { message: `TLS: the certificate of ${address} is not issued for that name (${text}); connect by a name the certificate lists, or set tls.servername`, config: true }
  }
  const dates = typeof code === 'string' ? certificateDateProblem(code, `the certificate of ${address}`, text) : undefined
  if (dates) return { message: dates, config: true }
  if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) {
    return { message: `TLS: the certificate of ${address} is not trusted (${text}); set tls.ca to the CA certificate that signed the Logstash certificate`, config: true }
  }
  if (typeof code === 'string' && /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA/.test(code)) {
    return {
      message: `TLS: ${address} refused the handshake (${text}); it probably requires a client certificate signed by a CA it trusts: set tls.cert and tls.key`,
      config: true,
    }
  }
  if (code === 'ECONNRESET' && /before secure TLS connection/.test(text)) {
    return {
      message: `TLS: ${address} closed the connection during the TLS handshake (${text}); check that this beats input has ssl enabled, or remove the tls option`,
      config: false,
    }
  }
  if (typeof code === 'string' && /^ERR_SSL_WRONG_VERSION_NUMBER$|^EPROTO$/.test(code)) {
    return { message: `TLS: ${address} did not answer with TLS (${text}); remove the tls option if this beats input has no ssl`, config: true }
  }
  return { message: `${address}: ${text}`, config: false }
}

/**
 * Why a connection with windows in flight was closed by the server. A server that closes
 * before sending a single byte is often a TLS beats input hearing plain TCP (it cannot
 * answer in Lumberjack, and TLS servers close without a word on a non-TLS first record).
 */
export function closedMessage(unacked: number, bytesIn: number, usingTls: boolean): string {
  const base = `the server closed the connection with ${unacked} events unacknowledged`
  if (bytesIn > 0 || usingTls) return base
  return `${base}, before sending a single byte: if this beats input has ssl enabled (ssl_enabled => true), set the tls option (e.g. tls: { ca: '/path/to/ca.pem' })`
}
