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
