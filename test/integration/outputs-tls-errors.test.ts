import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { createShipper, type LogshipError, type ShipperOptions } from 'logship'
import { makeTestCerts, signServerCert, type TestCerts } from '../helpers/certs.js'
import { waitFor } from '../helpers/wait.js'

// An HTTPS sink whose certificate is wrong is a set-up mistake that retrying never fixes: the
// error must say what is wrong and what to change, on one line, for every HTTP-based output.

let certs: TestCerts
/** Certificates signed by the test CA: one expired yesterday, one for another host name. */
let expired: string
let otherName: string

const servers: http.Server[] = []

beforeAll(() => {
  certs = makeTestCerts()
  expired = signServerCert(certs, 'expired', -1, 'subjectAltName=IP:127.0.0.1\n')
  otherName = signServerCert(certs, 'other-name', 2, 'subjectAltName=DNS:elsewhere.test\n')
})

afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
})

async function serve(cert: string | undefined): Promise<string> {
  const answer = (_req: http.IncomingMessage, res: http.ServerResponse) => res.end('{}')
  const server = cert ? https.createServer({ cert, key: certs.serverKey }, answer) : http.createServer(answer)
  server.on('tlsClientError', () => {})
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const outputs = {
  http: (base: string, tls: object) => ({ type: 'http', url: `${base}/ingest`, tls, setting: 'url' }),
  elasticsearch: (base: string, tls: object) => ({ type: 'elasticsearch', hosts: [base], tls, setting: 'hosts' }),
  loki: (base: string, tls: object) => ({ type: 'loki', url: base, tls, setting: 'url' }),
  otlp: (base: string, tls: object) => ({ type: 'otlp', endpoint: base, tls, setting: 'endpoint' }),
}

const cases = [
  { problem: 'an expired certificate', cert: () => expired, trust: true, says: () => /the server's certificate has expired \(CERT_HAS_EXPIRED\); renew it on the server/ },
  {
    problem: 'a certificate for another host name',
    cert: () => otherName,
    trust: true,
    says: (setting: string) => new RegExp(`not issued for the host name in output\\.${setting} .*; use a name the certificate lists, or set output\\.tls\\.servername`),
  },
  {
    problem: 'a certificate of an unknown CA',
    cert: () => certs.serverCert,
    trust: false,
    says: () => /not signed by a CA this process trusts .*; set output\.tls\.ca to the CA certificate/,
  },
  {
    problem: 'no TLS at all (plain HTTP)',
    cert: () => undefined,
    trust: true,
    says: (setting: string) => new RegExp(`did not answer with TLS .*use an http:// address in output\\.${setting}`),
  },
]

describe('HTTPS sinks with a wrong certificate: the error says what is wrong and what to do', () => {
  for (const c of cases) {
    for (const [type, make] of Object.entries(outputs)) {
      it(`${type}: ${c.problem}`, async () => {
        const base = await serve(c.cert())
        const { setting, ...output } = make(base, c.trust ? { ca: certs.ca } : {})
        const shipper = createShipper({ output, batch: { flushMs: 5 }, closeTimeoutMs: 200, handleExit: false } as ShipperOptions)
        const errors: LogshipError[] = []
        shipper.on('error', (e) => errors.push(e))
        shipper.write({ n: 1 })
        const error = (await waitFor(() => errors[0], 'an error'))!
        await shipper.close()
        expect(error.message).toMatch(c.says(setting))
        expect(error.message).not.toMatch(/\n/)
      })
    }
  }
})
