import { describe, it, expect, onTestFinished } from 'vitest'
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { createShipper } from 'logship'
import { waitFor } from '../helpers/wait.js'

/**
 * A push answered 2xx with an HTML page came from a web server (Grafana's port instead of
 * Loki's, an app's catch-all route, a proxy's page), not from the sink: the events were
 * counted delivered and lost unsaid. Now they stay queued, the error says what answered, and
 * once the real sink answers they are delivered. (The OTLP output reads every 2xx body as an
 * ExportLogsServiceResponse and already refused a page: test/integration/otlp.test.ts.)
 */
async function webServer(): Promise<{ url: string; serveSink: () => void; posts: () => number }> {
  let sink = false
  let posts = 0
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      posts++
      if (sink) {
        res.writeHead(204)
        res.end()
      } else {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        res.end('<!DOCTYPE html><html><head><title>Grafana</title></head><body>Welcome</body></html>')
      }
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  onTestFinished(() => void server.close())
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, serveSink: () => (sink = true), posts: () => posts }
}

const outputs = {
  loki: (url: string) => ({ type: 'loki' as const, url }),
  http: (url: string) => ({ type: 'http' as const, url: `${url}/ingest` }),
}

describe('a 2xx with a web page is not a delivery', () => {
  for (const [type, output] of Object.entries(outputs)) {
    it(`${type}: the events stay queued with an error naming the page; delivered once the sink answers`, async () => {
      const web = await webServer()
      const errors: string[] = []
      const shipper = createShipper({ output: output(web.url), batch: { flushMs: 10 }, retry: { initialDelayMs: 20, maxDelayMs: 100 }, handleExit: false })
      shipper.on('error', (err: Error) => errors.push(err.message))
      for (let i = 0; i < 3; i++) shipper.write({ i })
      await waitFor(() => errors.some((m) => /with a web page \(text\/html.*Grafana.*is output\.url the ingest URL/.test(m)), 'the error naming the web page')
      expect(shipper.stats().acked).toBe(0)
      web.serveSink()
      await shipper.flush()
      expect(shipper.stats()).toMatchObject({ acked: 3, failed: 0 })
      await shipper.close()
    })
  }
})
