import { describe, it, expect } from 'vitest'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ROOT, runCli, tempDir, writeConfig } from '../helpers/cli.js'

const MiB = 1024 * 1024
const HUGE = 256 * MiB

/** Streams `bytes` of `fill` (1 MiB writes, respecting backpressure); stops when the client goes. */
async function stream(res: ServerResponse, head: string, fill: string, bytes: number, tail: string): Promise<void> {
  const chunk = Buffer.alloc(MiB, fill)
  res.write(head)
  for (let sent = 0; sent < bytes && !res.destroyed; sent += MiB) {
    if (!res.write(chunk))
      await new Promise<void>((resolve) => {
        res.once('drain', resolve)
        res.once('close', resolve)
      })
  }
  if (!res.destroyed) res.end(tail)
}

/** An "Elasticsearch" whose `_bulk` reply (and, for the http output, every reply) is huge. */
async function hugeReplyServer(kind: 'es-bulk' | 'http' | 'es-nested'): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (kind !== 'http' && req.method === 'GET' && req.url === '/') {
        res
          .writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' })
          .end(JSON.stringify({ version: { number: '8.15.0' }, tagline: 'You Know, for Search' }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }) // no content-length: chunked, so only reading tells the size
      if (kind === 'es-nested') void stream(res, '{"errors":true,"items":', '[', 6 * MiB, '')
      else void stream(res, '{"errors":true,"items":[', ' ', HUGE, ']}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

function shipOne(output: unknown): Promise<{ acked: number; failed: number; errors: string[]; rssBeforeBytes: number; maxRssBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'test/fixtures/security/ship-one.mjs'), JSON.stringify(output)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.on('error', reject)
    child.on('close', () => {
      try {
        resolve(JSON.parse(out))
      } catch {
        reject(new Error(`no result from the child: ${out}`))
      }
    })
  })
}

describe('reply bodies are read with a cap', () => {
  it.each([
    ['elasticsearch _bulk', 'es-bulk' as const, (url: string) => ({ type: 'elasticsearch', hosts: [url], compression: false })],
    ['http', 'http' as const, (url: string) => ({ type: 'http', url: `${url}/ingest` })],
  ])('%s: a 256 MB reply fails the request with a clear message and does not take the memory', async (_name, kind, output) => {
    const { url, server } = await hugeReplyServer(kind)
    try {
      const r = await shipOne(output(url))
      const grownMiB = (r.maxRssBytes - r.rssBeforeBytes) / MiB
      console.log(`${_name}: 256 MB reply: RSS before ${(r.rssBeforeBytes / MiB).toFixed(0)} MiB, peak ${(r.maxRssBytes / MiB).toFixed(0)} MiB (+${grownMiB.toFixed(0)} MiB)`)
      expect(r.acked).toBe(0)
      expect(r.errors.join('\n')).toMatch(/the reply body is larger than (1|8) MiB; it was not read/)
      expect(grownMiB).toBeLessThan(64)
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  it('test output: the http and elasticsearch probes stop reading at 1 MiB and say why', async () => {
    const { url, server } = await hugeReplyServer('http')
    try {
      const dir = tempDir('sec-probe-huge')
      for (const output of [`{ type: http, url: '${url}/ingest' }`, `{ type: elasticsearch, hosts: ['${url}'] }`]) {
        const r = await runCli(['test', 'output', '-c', writeConfig(dir, `inputs: [{ type: stdin }]\noutput: ${output}\n`)])
        expect(r.code).not.toBe(0)
        expect(r.stdout + r.stderr).toMatch(/the reply body is larger than 1 MiB; it was not read/)
      }
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  it('elasticsearch: a deeply nested reply under the cap is refused, not parsed', async () => {
    const { url, server } = await hugeReplyServer('es-nested')
    try {
      const r = await shipOne({ type: 'elasticsearch', hosts: [url], compression: false })
      console.log(`6 MiB of nested [: RSS before ${(r.rssBeforeBytes / MiB).toFixed(0)} MiB, peak ${(r.maxRssBytes / MiB).toFixed(0)} MiB`)
      expect(r.acked).toBe(0)
      expect(r.errors.join('\n')).toMatch(/the bulk reply is not JSON/)
      expect((r.maxRssBytes - r.rssBeforeBytes) / MiB).toBeLessThan(100)
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})
