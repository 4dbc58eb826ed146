import { describe, it, expect, beforeAll } from 'vitest'
import { createServer as createHttpsServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createShipper } from '../../src/index.js'
import { makeTestCerts, type TestCerts } from '../helpers/certs.js'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'

let certs: TestCerts
let files: { ca: string; cert: string; key: string; openKey: string }

beforeAll(() => {
  if (MISSING) return
  certs = makeTestCerts()
  const dir = tempDir('sec-tls')
  const write = (name: string, text: string, mode: number) => {
    writeFileSync(join(dir, name), text, { mode })
    return join(dir, name)
  }
  files = {
    ca: write('ca.crt', certs.ca, 0o644),
    cert: write('client.crt', certs.clientCert, 0o644),
    key: write('client.key', certs.clientKey, 0o600),
    openKey: write('open.key', certs.clientKey, 0o644),
  }
})

/** An HTTPS sink that takes any POST (and answers GET / like Elasticsearch 8). */
async function httpsSink(): Promise<{ url: string; server: Server; bodies: string[] }> {
  const bodies: string[] = []
  const server = createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (d: string) => (body += d))
    req.on('end', () => {
      if (req.method === 'GET') {
        res
          .writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' })
          .end(JSON.stringify({ version: { number: '8.15.0' }, tagline: 'You Know, for Search' }))
        return
      }
      bodies.push(body)
      if (req.url?.includes('_bulk')) res.writeHead(200, { 'content-type': 'application/json' }).end('{"errors":false,"items":[]}')
      else res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server, bodies }
}

const MISSING = missingSoftware('TLS warnings and stats endpoint', ['openssl'])

describe.skipIf(MISSING)('TLS: file paths everywhere, loud when verification is off', () => {
  it.each(['http', 'elasticsearch'] as const)('%s output: tls.ca as a file path verifies the server', async (type) => {
    const sink = await httpsSink()
    try {
      const output = type === 'http' ? { type, url: `${sink.url}/ingest`, tls: { ca: files.ca } } : { type, hosts: [sink.url], tls: { ca: files.ca } }
      const shipper = createShipper({ output, thread: 'main', handleExit: false, retry: { maxRetries: 0 } })
      const errors: string[] = []
      shipper.on('error', (e) => errors.push(e.message))
      shipper.write({ message: 'over tls' })
      await shipper.flush()
      await shipper.close()
      expect(errors).toEqual([])
      expect(shipper.stats().acked).toBe(1)
    } finally {
      sink.server.close()
    }
  })

  it('rejectUnauthorized: false warns at run time, and test output says the certificate is NOT verified', async () => {
    const sink = await httpsSink()
    try {
      const warnings: string[] = []
      const shipper = createShipper({ output: { type: 'http', url: `${sink.url}/ingest`, tls: { rejectUnauthorized: false } }, thread: 'main', handleExit: false })
      shipper.on('warning', (w) => warnings.push(w))
      await waitFor(() => warnings.length > 0, 'the warning')
      await shipper.close()
      expect(warnings.join('\n')).toMatch(/does NOT verify the server's certificate/)

      const dir = tempDir('sec-tls-probe')
      for (const output of [
        `{ type: http, url: '${sink.url}/ingest', tls: { rejectUnauthorized: false } }`,
        `{ type: elasticsearch, hosts: ['${sink.url}'], tls: { rejectUnauthorized: false } }`,
      ]) {
        const r = await runCli(['test', 'output', '-c', writeConfig(dir, `inputs: [{ type: stdin }]\noutput: ${output}\n`)])
        expect(r.stdout + r.stderr).toMatch(/certificate NOT verified/)
        expect(r.stdout + r.stderr).not.toMatch(/certificate verified/)
      }
    } finally {
      sink.server.close()
    }
  })

  it('a private key file others can read is warned about (for every output, Logstash too)', async () => {
    for (const output of [
      { type: 'http' as const, url: 'https://127.0.0.1:9/ingest', tls: { cert: files.cert, key: files.openKey } },
      { type: 'logstash' as const, hosts: ['127.0.0.1:9'], tls: { cert: files.cert, key: files.openKey } },
      { type: 'elasticsearch' as const, hosts: ['https://127.0.0.1:9'], tls: { cert: files.cert, key: files.openKey } },
    ]) {
      const warnings: string[] = []
      const shipper = createShipper({ output, thread: 'main', handleExit: false, closeTimeoutMs: 0 })
      shipper.on('warning', (w) => warnings.push(w))
      shipper.on('error', () => {})
      await waitFor(() => warnings.length > 0, 'the warning')
      await shipper.close()
      expect(warnings.join('\n')).toMatch(/output\.tls\.key .*open\.key is readable by every user \(mode 644\).*chmod 600/)
    }
    const quiet: string[] = []
    const ok = createShipper({
      output: { type: 'http', url: 'https://127.0.0.1:9/ingest', tls: { cert: files.cert, key: files.key } },
      thread: 'main',
      handleExit: false,
      closeTimeoutMs: 0,
    })
    ok.on('warning', (w) => quiet.push(w))
    await new Promise((resolve) => setImmediate(resolve))
    await ok.close()
    expect(quiet).toEqual([])
  })
})

describe('stats endpoint', () => {
  it('warns when bound beyond loopback, not on 127.0.0.1', async () => {
    for (const [host, expected] of [
      ['0.0.0.0', /http\.host is 0\.0\.0\.0: .* served beyond this machine to anyone .*set http\.token/],
      ['127.0.0.1', undefined],
    ] as const) {
      const warnings: string[] = []
      const shipper = createShipper({ output: { type: 'console' }, thread: 'main', handleExit: false, http: { host, port: 0 } })
      shipper.on('warning', (w) => warnings.push(w))
      await shipper.httpUrl()
      await new Promise((resolve) => setImmediate(resolve))
      await shipper.close()
      if (expected) expect(warnings.join('\n')).toMatch(expected)
      else expect(warnings).toEqual([])
    }
  })

  it('with http.token, every route needs the bearer token; GET // is 404, not 500', async () => {
    const token = 'a-token-of-at-least-16-chars'
    const shipper = createShipper({ output: { type: 'console' }, thread: 'main', handleExit: false, http: { port: 0, token } })
    try {
      const base = (await shipper.httpUrl())!
      for (const path of ['/metrics', '/stats', '/healthz']) {
        expect((await fetch(`${base}${path}`)).status, path).toBe(401)
        expect((await fetch(`${base}${path}`, { headers: { authorization: 'Bearer wrong-token-of-16-chars!' } })).status).toBe(401)
        expect((await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
      }
      const { request } = await import('node:http')
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${base}//`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        })
        req.on('error', reject)
        req.end()
      })
      expect(status).toBe(404)
    } finally {
      await shipper.close()
    }
  })
})
