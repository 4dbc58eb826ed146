import { describe, it, expect } from 'vitest'
import { tempDir } from '../helpers/cli.js'
import { get, shipLogOnce, waitForLogLines } from '../helpers/access-log.js'
import { startApache } from '../helpers/apache.js'
import { missingSoftware } from '../helpers/system-software.js'

const MISSING = missingSoftware('apache with a custom LogFormat', ['apache2'])

/** Times in two units, a quoted custom header, the virtual host and port, the path and query apart, method and protocol. */
const FORMAT = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D %{ms}T "%{X-Tenant}i" %v:%{local}p %U%q %m %H %I %O'

describe.skipIf(MISSING)('a real apache with a custom LogFormat, through parser: { apache: { logFormat } }', () => {
  it('every directive lands in its ECS field', async () => {
    const dir = tempDir('apache-format')
    const apache = await startApache(dir, FORMAT)
    try {
      expect(await get(apache.port, '/index.html?q=1&r=2', { 'User-Agent': 'curl/8.4.0', Referer: 'http://example.test/', 'X-Tenant': 'acme "corp"' })).toBe(200)
      expect(await get(apache.port, '/missing', { 'User-Agent': 'probe' })).toBe(404)
      await waitForLogLines(apache.accessLog, 2)
    } finally {
      await apache.stop()
    }
    const events = await shipLogOnce(dir, apache.accessLog, `    parser: { apache: { logFormat: '${FORMAT}' } }\n`)
    expect(events).toHaveLength(2)
    const hit = events.find((e) => e.url?.path === '/index.html')!
    expect(hit, JSON.stringify(events)).toBeDefined()
    expect(hit.tags, hit.error?.message).toBeUndefined()
    expect(hit).toMatchObject({
      source: { address: '127.0.0.1', ip: '127.0.0.1' },
      destination: { domain: '127.0.0.1', port: apache.port },
      http: { request: { method: 'GET', referrer: 'http://example.test/' }, version: '1.1', response: { status_code: 200, body: { bytes: 3 } } },
      url: { original: '/index.html?q=1&r=2', path: '/index.html', query: 'q=1&r=2' },
      user_agent: { original: 'curl/8.4.0' },
      event: { module: 'apache', dataset: 'apache.access', outcome: 'success' },
      // apache writes the header's quotes as \\": unescaped again
      apache: { access: { http_x_tenant: 'acme "corp"' } },
    })
    expect(hit.http.request.bytes).toBeGreaterThan(0)
    expect(hit.http.response.bytes).toBeGreaterThan(3)
    // %D (microseconds) is the finer of the two times: it fills event.duration, %{ms}T is kept as written
    expect(Number.isInteger(hit.event.duration) && hit.event.duration > 0).toBe(true)
    expect(hit.apache.access.time_taken.ms).toBeTypeOf('number')
    expect(Date.parse(hit['@timestamp'])).toBeGreaterThan(Date.now() - 600_000)
    const miss = events.find((e) => e.url?.path === '/missing')!
    expect(miss.tags, miss.error?.message).toBeUndefined()
    expect(miss).toMatchObject({ http: { response: { status_code: 404 } }, event: { outcome: 'failure' }, user_agent: { original: 'probe' } })
    expect(miss.apache.access.http_x_tenant).toBeUndefined()
  })
})
