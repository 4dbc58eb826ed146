import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createParser } from '../../src/tail/modules/index.js'
import { startNginx, type NginxServer } from '../helpers/nginx.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'

/**
 * The parsers against what a real nginx writes (the Debian package's binary): requests
 * over IPv4 and IPv6, odd methods, quotes and UTF-8 in the request and the agent, a TLS
 * handshake sent to the plain port, a 404 and a 401 for the error log. The logs are read
 * back from the files nginx wrote; shipping them as they are written is tail mode's test.
 */
let dir: string
let nginx: NginxServer

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>

function send(host: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port: nginx.port, path, method, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

function raw(bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(nginx.port, '127.0.0.1')
    socket.on('connect', () => socket.end(bytes))
    socket.on('data', () => {})
    socket.on('close', () => resolve())
    socket.on('error', () => resolve())
  })
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)

const MISSING = missingSoftware('real nginx parsing', ['nginx'])

beforeAll(async () => {
  if (MISSING) return
  dir = mkdtempSync(join(tmpdir(), 'logship-nginx-'))
  nginx = await startNginx(dir)
  expect(await send('127.0.0.1', '/index.html?a=1&b=two', 'GET', { 'user-agent': 'Mozilla/5.0 "quoted" agent', referer: 'https://example.com/from' })).toBe(200)
  expect(await send('::1', '/', 'HEAD', { 'user-agent': 'curl/8.5.0' })).toBe(200)
  expect(await send('127.0.0.1', '/missing.png', 'GET', { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' })).toBe(404)
  expect(await send('127.0.0.1', '/private/x', 'GET', { authorization: `Basic ${Buffer.from('alice:wrong').toString('base64')}` })).toBe(401)
  expect(await send('127.0.0.1', '/', 'PROPFIND')).toBe(405)
  await raw(Buffer.concat([Buffer.from('GET /caf'), Buffer.from([0xc3, 0xa9]), Buffer.from('?q="x" HTTP/1.1\r\nHost: a\r\nUser-Agent: t\\u\r\nConnection: close\r\n\r\n')]))
  await raw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xf7, 0x01, 0x00, 0x00, 0xf3, 0x03, 0x03]))
  await waitFor(() => lines(nginx.accessLog).length >= 7 && lines(nginx.timedLog).length >= 7, 'nginx to log 7 requests in both access logs')
}, 30_000)

afterAll(async () => {
  await nginx?.stop()
  if (dir && !process.env.KEEP) rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(MISSING)('a real nginx', () => {
  it('writes access lines that nginx.access reads completely (combined format)', () => {
    const parse = createParser('nginx.access')
    const docs = lines(nginx.accessLog).map((l) => parse(l) as Doc)
    expect(docs.filter((d) => d.tags)).toEqual([])
    const [first, head, missing, denied, propfind, utf8, tls] = docs
    expect(first).toMatchObject({
      source: { address: '127.0.0.1', ip: '127.0.0.1' },
      http: { request: { method: 'GET', referrer: 'https://example.com/from' }, response: { status_code: 200, body: { bytes: 12 } }, version: '1.1' },
      url: { original: '/index.html?a=1&b=two', path: '/index.html', query: 'a=1&b=two' },
      user_agent: { original: 'Mozilla/5.0 "quoted" agent' },
      event: { dataset: 'nginx.access', outcome: 'success' },
    })
    expect(Math.abs(Date.parse(first!['@timestamp']) - Date.now())).toBeLessThan(10 * 60_000)
    expect(head).toMatchObject({ source: { ip: '::1' }, http: { request: { method: 'HEAD' } } })
    expect(missing).toMatchObject({ http: { response: { status_code: 404 } }, event: { outcome: 'failure' } })
    expect(denied).toMatchObject({ user: { name: 'alice' }, http: { response: { status_code: 401 } } })
    expect(propfind).toMatchObject({ http: { request: { method: 'PROPFIND' }, response: { status_code: 405 } } })
    expect(utf8).toMatchObject({ url: { original: '/café?q="x"', path: '/café', query: 'q="x"' }, user_agent: { original: 't\\u' } })
    expect(tls).toMatchObject({ http: { response: { status_code: 400 } } })
    expect(tls!.http.request).toBeUndefined()
    expect(tls!.url).toBeUndefined()
  })

  it('writes "main" lines with $request_time that nginx.access reads, duration and X-Forwarded-For included', () => {
    const parse = createParser('nginx.access')
    const docs = lines(nginx.timedLog).map((l) => parse(l) as Doc)
    expect(docs.filter((d) => d.tags)).toEqual([])
    for (const doc of docs) {
      expect(Number.isInteger(doc.event.duration)).toBe(true)
      expect(doc.event.duration).toBeGreaterThanOrEqual(0)
    }
    expect(docs[2]).toMatchObject({ nginx: { access: { x_forwarded_for: ['203.0.113.9', '10.0.0.2'] } }, url: { path: '/missing.png' } })
  })

  it('writes error lines that nginx.error reads, client and request included', () => {
    const parse = createParser('nginx.error')
    const docs = lines(nginx.errorLog).map((l) => parse(l) as Doc)
    expect(docs.filter((d) => d.tags)).toEqual([])
    expect(docs.every((d) => Number.isInteger(d.process.pid) && typeof d.log.level === 'string')).toBe(true)
    const notFound = docs.find((d) => String(d.message).includes('missing.png'))
    expect(notFound).toMatchObject({
      log: { level: 'error' },
      source: { address: '127.0.0.1', ip: '127.0.0.1' },
      http: { request: { method: 'GET' }, version: '1.1' },
      url: { original: '/missing.png', path: '/missing.png', domain: '127.0.0.1' },
      event: { dataset: 'nginx.error' },
    })
    expect(Number.isInteger(notFound!.nginx.error.connection_id)).toBe(true)
    expect(docs.find((d) => String(d.message).includes('alice'))).toMatchObject({ url: { path: '/private/x' } })
    // nginx writes the request raw in error logs: quotes inside it do not end the value.
    expect(docs.find((d) => String(d.message).includes('café'))).toMatchObject({ url: { original: '/café?q="x"', query: 'q="x"', domain: 'a' } })
    expect(docs.find((d) => String(d.message).includes('invalid method'))).toMatchObject({ source: { ip: '127.0.0.1' } })
    expect(docs.find((d) => String(d.message).includes('invalid method'))!.http).toBeUndefined()
    expect(Math.abs(Date.parse(notFound!['@timestamp']) - Date.now())).toBeLessThan(10 * 60_000)
  })
})
