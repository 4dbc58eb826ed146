import { describe, it, expect, beforeAll } from 'vitest'
import { join } from 'node:path'
import { createShipper, type LogshipError } from 'logship'
import { startFakeLogstash, distinctIds, range } from '../helpers/fake-logstash.js'
import { makeTestCerts, signServerCert, type TestCerts } from '../helpers/certs.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'

let certs: TestCerts
beforeAll(() => {
  certs = makeTestCerts()
})

function ship(address: string, tls: Record<string, unknown>) {
  const shipper = createShipper({
    output: { type: 'logstash', hosts: [address], tls, backoff: { initialDelayMs: 20, maxDelayMs: 100 } },
    batch: { maxEvents: 50, flushMs: 5 },
    retry: { initialDelayMs: 20, maxDelayMs: 100 },
    closeTimeoutMs: 300,
  })
  const errors: LogshipError[] = []
  shipper.on('error', (e) => errors.push(e))
  return { shipper, errors }
}

const MISSING = missingSoftware('logstash TLS', ['openssl'])

describe.skipIf(MISSING)('logstash output: TLS', () => {
  it('ships over TLS to a server whose certificate is signed by tls.ca (PEM text)', async () => {
    const fake = await startFakeLogstash({ tls: { key: certs.serverKey, cert: certs.serverCert } })
    const { shipper, errors } = ship(fake.address, { ca: certs.ca })
    for (let i = 0; i < 300; i++) shipper.write({ id: i, message: 'über TLS 🔒' })
    await shipper.flush()
    const state = await fake.state()
    expect(distinctIds(state)).toEqual(range(300))
    expect(state.events[0]!.event.message).toBe('über TLS 🔒')
    expect(state.compressedFrames).toBeGreaterThan(0)
    expect(errors).toEqual([])
    await shipper.close()
  })

  it('reads tls.ca from a file path and verifies the name given in tls.servername', async () => {
    const fake = await startFakeLogstash({ tls: { key: certs.serverKey, cert: certs.serverCert } })
    const { shipper, errors } = ship(`localhost:${fake.port}`, { ca: join(certs.dir, 'ca.crt'), servername: 'localhost' })
    for (let i = 0; i < 50; i++) shipper.write({ id: i })
    await shipper.flush()
    expect(distinctIds(await fake.state())).toEqual(range(50))
    expect(errors).toEqual([])
    await shipper.close()
  })

  it('refuses a server signed by another CA, with an error that says what to fix', async () => {
    const fake = await startFakeLogstash({ tls: { key: certs.serverKey, cert: certs.serverCert } })
    const { shipper, errors } = ship(fake.address, { ca: certs.otherCa })
    for (let i = 0; i < 20; i++) shipper.write({ id: i })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.code).toBe('LOGSHIP_ERR_OUTPUT_FATAL')
    expect(errors[0]!.message).toMatch(
      /TLS: the certificate of 127\.0\.0\.1:\d+ is not trusted \(.*(self-signed|unable to verify|issuer).*\); set tls\.ca to the CA certificate that signed the Logstash certificate/i,
    )
    expect((await fake.state()).events).toEqual([])
    expect(shipper.stats().acked).toBe(0)
    await shipper.close()
  })

  // An expired certificate is not an untrusted one: "set tls.ca" would send the operator the wrong way.
  it('says an expired server certificate has expired and is to be renewed, not that tls.ca is wrong', async () => {
    const expired = signServerCert(certs, 'expired', -1, 'subjectAltName=IP:127.0.0.1\n')
    const fake = await startFakeLogstash({ tls: { key: certs.serverKey, cert: expired } })
    const { shipper, errors } = ship(fake.address, { ca: certs.ca })
    shipper.write({ id: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.code).toBe('LOGSHIP_ERR_OUTPUT_FATAL')
    expect(errors[0]!.message).toMatch(/TLS: the certificate of 127\.0\.0\.1:\d+ has expired \(.*CERT_HAS_EXPIRED\)\); renew it on the server/)
    expect(errors[0]!.message).not.toMatch(/tls\.ca/)
    expect((await fake.state()).events).toEqual([])
    await shipper.close()
  })

  it('gives a client certificate to a server that demands one, and explains when it is missing', async () => {
    const fake = await startFakeLogstash({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requireClientCert: true } })
    const without = ship(fake.address, { ca: certs.ca })
    without.shipper.write({ id: -1 })
    await waitFor(() => without.errors.length > 0, 'an error event')
    expect(without.errors[0]!.message).toMatch(
      /TLS: 127\.0\.0\.1:\d+ refused the handshake \(tlsv13 alert certificate required \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\)\); it probably requires a client certificate signed by a CA it trusts: set tls\.cert and tls\.key/,
    )
    expect((await fake.state()).events).toEqual([])
    await without.shipper.close()

    const { shipper, errors } = ship(fake.address, { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey })
    for (let i = 0; i < 100; i++) shipper.write({ id: i })
    await shipper.flush()
    expect(distinctIds(await fake.state())).toEqual(range(100))
    expect(errors).toEqual([])
    await shipper.close()
  })

  it('says so when the server does not speak TLS at all', async () => {
    const fake = await startFakeLogstash()
    const { shipper, errors } = ship(fake.address, { ca: certs.ca })
    shipper.write({ id: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(
      /TLS: 127\.0\.0\.1:\d+ closed the connection during the TLS handshake \(.*\); check that this beats input has ssl enabled, or remove the tls option/,
    )
    await shipper.close()
  })

  it('stops at start-up with a clear message when a PEM file cannot be read', async () => {
    const { shipper, errors } = ship('127.0.0.1:1', { ca: '/nonexistent/ca.pem' })
    shipper.write({ id: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(/tls\.ca: cannot read the PEM file "\/nonexistent\/ca\.pem" \(ENOENT\)/)
    await shipper.close()
  })
})
