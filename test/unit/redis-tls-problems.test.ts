import { describe, expect, it } from 'vitest'
import { explainConnection } from '../../src/outputs/redis/problems.js'

const tlsError = (code: string, message: string): Error => Object.assign(new Error(message), { code })
const where = 'rediss://127.0.0.1:6380/0'

// An expired certificate is not an untrusted one: "set output.tls.ca" sends the operator the wrong way.
describe('redis output: certificate problems get the advice that fits them', () => {
  it('an expired certificate says to renew it, not to change the CA', () => {
    const problem = explainConnection(tlsError('CERT_HAS_EXPIRED', 'certificate has expired'), where, 1000)
    expect(problem.fatal).toBe(true)
    expect(problem.message).toMatch(/certificate of rediss:\/\/127\.0\.0\.1:6380\/0 has expired .*renew it on the server/)
    expect(problem.message).not.toMatch(/tls\.ca/)
  })

  it('a certificate not valid yet says to check the clocks', () => {
    const problem = explainConnection(tlsError('CERT_NOT_YET_VALID', 'certificate is not yet valid'), where, 1000)
    expect(problem.message).toMatch(/is not valid yet .*check the clocks/)
    expect(problem.message).not.toMatch(/tls\.ca/)
  })

  it('an unknown CA still says to set output.tls.ca', () => {
    const problem = explainConnection(tlsError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), where, 1000)
    expect(problem.message).toMatch(/not trusted .*set output\.tls\.ca/)
  })
})
