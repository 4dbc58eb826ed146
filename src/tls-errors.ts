/** OpenSSL verification codes meaning "no CA this process trusts signed that certificate". */
export const UNTRUSTED_CERT_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
])

/** Every certificate problem: retrying will not help until someone changes the configuration. */
export const CERTIFICATE_CODES: ReadonlySet<string> = new Set([...UNTRUSTED_CERT_CODES, 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'])

/**
 * Advice for a certificate outside its validity dates, or undefined for any other code.
 * Renewing it or fixing a clock helps; trusting another CA (tls.ca) does not.
 * `whose` names the certificate ("the certificate of 127.0.0.1:5044").
 */
export function certificateDateProblem(code: string, whose: string, detail: string): string | undefined {
  if (code === 'CERT_HAS_EXPIRED') return `TLS: ${whose} has expired (${detail}); renew it on the server (or check this machine's clock)`
  if (code === 'CERT_NOT_YET_VALID') return `TLS: ${whose} is not valid yet (${detail}); check the clocks of this machine and the server`
  return undefined
}
