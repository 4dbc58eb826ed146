import { describe, it, expect, onTestFinished } from 'vitest'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'
import { startSink } from '../helpers/sink.js'
import { startFakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { startFakeLogstash, userEvents } from '../helpers/fake-logstash.js'
import { freePort } from '../helpers/ports.js'
import { missingSoftware } from '../helpers/system-software.js'

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(() => void server.close())
  return (server.address() as AddressInfo).port
}

/** An NDJSON endpoint that wants `Authorization: Bearer right-token`. */
function authServer(): Server {
  return createHttpServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.headers.authorization !== 'Bearer right-token') res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('{"error":"unauthorized"}')
      else res.writeHead(200).end('{}')
    })
  })
}

async function testOutput(dir: string, output: string, extra: string[] = []) {
  const cfg = writeConfig(dir, `inputs:\n  - type: stdin\noutput: ${output}\n`, `cfg-${Math.random().toString(36).slice(2)}.yml`)
  return runCli(['test', 'output', '-c', cfg, '--timeout-ms', '5000', ...extra])
}

describe('logship test output', () => {
  it('has --help', async () => {
    const r = await runCli(['test', 'output', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: logship test output \[options\]/)
    expect(r.stdout).toMatch(/--write/)
  })

  it('http: a live server passes; --write ships one test event the sink stores', async () => {
    const dir = tempDir('test-output')
    const sink = await startSink()
    const r = await testOutput(dir, `{ type: http, url: '${sink.url}' }`)
    expect(r.stdout).toMatch(new RegExp(`^ok   http://127\\.0\\.0\\.1:${sink.port}/ingest answered 200; an empty batch was accepted$`, 'm'))
    expect(r.stdout).toMatch(/add --write to ship one test event/)
    expect(r.stdout).toMatch(/logship: the http output is ready/)
    expect(r.code).toBe(0)
    expect(await sink.events()).toEqual([])

    const w = await testOutput(dir, `{ type: http, url: '${sink.url}' }`, ['--write'])
    expect(w.code, w.stdout + w.stderr).toBe(0)
    expect(w.stdout).toMatch(/^ok {3}write: http\(http:\/\/127\.0\.0\.1:\d+\/ingest\) stored the test event/m)
    const events = await sink.events()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ message: 'logship test event (sent by `logship test output --write`)', event: { dataset: 'logship.test' } })
  })

  it('logstash: a live beats input passes, a refusing one is named, and --write waits for the ACK', async () => {
    const dir = tempDir('test-output')
    const logstash = await startFakeLogstash()
    const closed = await freePort()
    const r = await testOutput(dir, `{ type: logstash, hosts: ['${logstash.address}', '127.0.0.1:${closed}'] }`)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^ok   ${logstash.address} accepts connections`, 'm'))
    expect(r.stdout).toMatch(new RegExp(`^FAIL 127\\.0\\.0\\.1:${closed} refused the connection \\(ECONNREFUSED\\): is Logstash running with a beats input on that port\\?$`, 'm'))
    expect(userEvents(await logstash.state())).toEqual([]) // the probe sends no frame

    const w = await testOutput(dir, `{ type: logstash, hosts: ['${logstash.address}'] }`, ['--write'])
    expect(w.code, w.stdout + w.stderr).toBe(0)
    expect(w.stdout).toMatch(/^ok {3}write: .*stored the test event/m)
    expect(userEvents(await logstash.state())).toEqual([expect.objectContaining({ message: 'logship test event (sent by `logship test output --write`)' })])
  })

  it('http: a refusing port and rejected credentials are said in plain words, exit 1', async () => {
    const dir = tempDir('test-output')
    const closed = await freePort()
    const refused = await testOutput(dir, `{ type: http, url: 'http://127.0.0.1:${closed}/ingest' }`)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(
      new RegExp(`^FAIL http://127\\.0\\.0\\.1:${closed}/ingest refused the connection: nothing listens on that port; is the server running, and are host and port right\\?$`, 'm'),
    )
    expect(refused.stdout).toMatch(/the http output has problems/)

    const port = await listen(authServer())
    const wrong = await testOutput(dir, `{ type: http, url: 'http://127.0.0.1:${port}/ingest', headers: { authorization: 'Bearer wrong-token' } }`)
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toMatch(new RegExp(`^FAIL 401 from http://127\\.0\\.0\\.1:${port}/ingest: the bearer token was rejected; check them`, 'm'))
    expect(wrong.stdout + wrong.stderr).not.toMatch(/wrong-token/)
    const none = await testOutput(dir, `{ type: http, url: 'http://127.0.0.1:${port}/ingest' }`)
    expect(none.stdout).toMatch(/401 from .*: the request without credentials \(the server wants some: add an authorization header\) was rejected/)
    const right = await testOutput(dir, `{ type: http, url: 'http://127.0.0.1:${port}/ingest', headers: { authorization: 'Bearer right-token' } }`)
    expect(right.code, right.stdout).toBe(0)

    // --write through a refusing output: the test event is not stored, and logship says why
    const write = await testOutput(dir, `{ type: http, url: 'http://127.0.0.1:${port}/ingest', headers: { authorization: 'Bearer wrong-token' } }`, ['--write'])
    expect(write.code).toBe(1)
    expect(write.stdout).toMatch(/^FAIL write: http\(.*\) did not store the test event: .*HTTP 401/m)
  })

  it.skipIf(missingSoftware('test output over TLS', ['openssl']))('http over TLS: a self-signed certificate is explained, and passes once tls.ca names it', async () => {
    const dir = tempDir('test-output-tls')
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    )
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      req.resume()
      req.on('end', () => res.writeHead(200).end('{}'))
    })
    const port = await listen(server as unknown as Server)
    const untrusted = await testOutput(dir, `{ type: http, url: 'https://127.0.0.1:${port}/ingest' }`)
    expect(untrusted.code).toBe(1)
    expect(untrusted.stdout).toMatch(
      /^FAIL TLS: the certificate of https:\/\/127\.0\.0\.1:\d+\/ingest is not signed by a CA this machine trusts \(DEPTH_ZERO_SELF_SIGNED_CERT\); set output\.tls\.ca/m,
    )
    const plain = await testOutput(dir, `{ type: http, url: 'http://127.0.0.1:${port}/ingest' }`)
    expect(plain.code).toBe(1)
    expect(plain.stdout).toMatch(/^FAIL http:\/\/127\.0\.0\.1:\d+\/ingest closed the connection without answering .*; if the server expects TLS, use an https:\/\/ URL/m)
    const pem = readFileSync(cert, 'utf8').replace(/\n/g, '\n      ')
    const trusted = await testOutput(dir, `\n  type: http\n  url: 'https://127.0.0.1:${port}/ingest'\n  tls:\n    ca: |\n      ${pem}`)
    expect(trusted.stdout).toMatch(/answered 200 over TLS \(certificate verified\)/)
    expect(trusted.code).toBe(0)
  })

  it('elasticsearch: reads the version from GET /, names a rejected API key, and reports every host', async () => {
    const dir = tempDir('test-output-es')
    const es = await startFakeElasticsearch({ version: '8.15.0', authorization: 'ApiKey right-key' })
    onTestFinished(() => es.close())
    const closed = await freePort()
    const good = await testOutput(dir, `{ type: elasticsearch, hosts: ['${es.urls[0]}', 'http://127.0.0.1:${closed}'], auth: { apiKey: right-key } }`)
    expect(good.stdout).toMatch(new RegExp(`^ok   ${es.urls[0]} is Elasticsearch 8\\.15\\.0; credentials accepted$`, 'm'))
    expect(good.stdout).toMatch(new RegExp(`^FAIL http://127\\.0\\.0\\.1:${closed} refused the connection`, 'm'))
    expect(good.code).toBe(1)

    const wrong = await testOutput(dir, `{ type: elasticsearch, hosts: ['${es.urls[0]}'], auth: { apiKey: wrong-key } }`)
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toMatch(new RegExp(`^FAIL 401 from ${es.urls[0]}: the API key was rejected`, 'm'))
    expect(wrong.stdout).not.toMatch(/wrong-key/)

    const old = await startFakeElasticsearch({ version: '6.8.0' })
    onTestFinished(() => old.close())
    const six = await testOutput(dir, `{ type: elasticsearch, hosts: ['${old.urls[0]}'] }`)
    expect(six.stdout).toMatch(/^FAIL .*Elasticsearch 6\.8\.0 is not supported; logship needs Elasticsearch 7\.x or newer/m)

    const write = await testOutput(dir, `{ type: elasticsearch, hosts: ['${es.urls[0]}'], auth: { apiKey: right-key }, index: logship-test }`, ['--write'])
    expect(write.code, write.stdout + write.stderr).toBe(0)
    expect(write.stdout).toMatch(/^ok {3}write: elasticsearch\(.*\) stored the test event/m)
    expect([...(es.indices.get('logship-test')?.values() ?? [])].map((d) => d.source.message)).toEqual(['logship test event (sent by `logship test output --write`)'])
  })
})
